"""Who may do what on the trust API, endpoint by endpoint.

Every member of the alliance reads everything. An outsider gets 404 for every method on every
URL of the pilot, anonymous callers 401, and nobody may change or delete an entry (405).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.charters.api.every_method import METHODS, assert_every_method_answers

from .conftest import base, entry_body, state

READS = ["entries", "entry", "balances", "commitments", "check-ins", "check-in"]
ACTIONS = ["reverse", "confirm", "delivered", "answer"]


@pytest.fixture
def urls(pilot, entry, commitment, check_in) -> dict[str, str]:
    trust = base(pilot)
    return {
        "entries": trust + "entries/",
        "entry": f"{trust}entries/{entry.pk}/",
        "reverse": f"{trust}entries/{entry.pk}/reverse/",
        "confirm": f"{trust}entries/{entry.pk}/confirm/",
        "balances": trust + "balances/",
        "commitments": trust + "commitments/",
        "delivered": f"{trust}commitments/{commitment.pk}/delivered/",
        "check-ins": trust + "check-ins/",
        "check-in": f"{trust}check-ins/{check_in.pk}/",
        "answer": f"{trust}check-ins/{check_in.pk}/answer/",
    }


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
@pytest.mark.parametrize("name", READS)
def test_every_member_reads_every_endpoint(api_as, pilot, urls, persona, name):
    response = api_as(getattr(pilot, persona)).get(urls[name])
    assert response.status_code == 200, response.content


def test_outsider_gets_404_for_every_method_on_every_url(api_as, outsider, urls):
    before = state()
    assert_every_method_answers(api_as(outsider), list(urls.values()), {"note": "x"}, 404)
    assert state() == before


def test_anonymous_gets_401_for_every_method_on_every_url(api_client, urls):
    before = state()
    assert_every_method_answers(api_client, list(urls.values()), {"note": "x"}, 401)
    assert state() == before


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_nobody_changes_or_deletes_an_entry(api_as, pilot, urls, persona, method):
    before = state()
    for name in ("entries", "entry"):
        response = getattr(api_as(getattr(pilot, persona)), method)(
            urls[name], {"points": 50}, format="json"
        )
        assert response.status_code == 405, f"{method} {name}: {response.status_code}"
    assert state() == before


def test_the_schema_offers_no_way_to_change_an_entry(api_as, pilot):
    schema = api_as(pilot.manager).get("/api/schema/?format=json").json()
    entry_path = "/api/v1/alliances/{alliance_pk}/trust/entries/{entry_pk}/"
    assert set(schema["paths"][entry_path]) == {"get"}
    assert set(schema["paths"][entry_path.replace("{entry_pk}/", "")]) == {"get", "post"}


FORBIDDEN: list[tuple[str, str, str, dict[str, Any]]] = [
    # Steering members represent nobody: they record and promise nothing.
    ("steering", "post", "entries", {"actor": "logicorp"}),
    ("steering", "post", "commitments", {"owner": "logicorp"}),
    # A representative speaks for their own partner only.
    ("rep", "post", "entries", {"actor": "logicorp"}),
    ("rep", "post", "commitments", {"owner": "logicorp"}),
    # Reversing and opening rounds is the managers' business.
    ("rep", "post", "reverse", {}),
    ("steering", "post", "reverse", {}),
    ("rep", "post", "check-ins", {}),
    ("steering", "post", "check-ins", {}),
    # The promise was made to LogiCorp: TechCo's and GreenAlliance's people cannot tick it off.
    ("rep", "post", "delivered", {}),
    ("manager", "post", "delivered", {}),
    # TechCo cannot vouch for its own report.
    ("rep", "post", "confirm", {}),
]


def _body(pilot, name: str, changes: dict[str, Any]) -> dict[str, Any]:
    partners = {k: getattr(pilot, v).pk for k, v in changes.items()}
    if name == "entries":
        return entry_body(pilot, **partners)
    if name == "commitments":
        return {"beneficiary": pilot.greenalliance.pk, "description": "Share the dashboard",
                "due_on": "2100-01-01"} | partners  # fmt: skip
    return {"note": "Wrong partner", "idempotency_key": "r-1"}


@pytest.mark.parametrize(("persona", "method", "name", "changes"), FORBIDDEN)
def test_missing_roles_get_403_and_nothing_changes(api_as, pilot, urls, persona, method, name,
                                                   changes):  # fmt: skip
    before = state()
    client = api_as(getattr(pilot, persona))
    response = getattr(client, method)(urls[name], _body(pilot, name, changes), format="json")
    assert response.status_code == 403, response.content
    assert state() == before


@pytest.mark.parametrize("method", METHODS)
def test_ids_of_another_alliance_get_404(api_as, pilot, outsider, method):
    from tests.factories import AllianceFactory

    other = AllianceFactory.create()
    url = f"/api/v1/alliances/{other.pk}/trust/entries/"
    assert getattr(api_as(pilot.manager), method)(url).status_code == 404
