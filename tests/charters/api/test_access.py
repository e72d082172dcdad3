"""Who may do what on the charters API, endpoint by endpoint.

Every member of the alliance reads everything; only coalition managers draft, change,
withdraw and propose versions and open motions (votes have their own rules: test_votes).
An outsider gets 404 for every method on every URL of the pilot; anonymous callers get 401.
"""

from __future__ import annotations

from typing import Any

import pytest

from charters.models import Ballot, CharterVersion, Vote

READS = ["charter", "audit", "diff", "versions", "version", "ballots", "ballot"]
WRITES: list[tuple[str, str, dict[str, Any]]] = [
    ("post", "versions", {}),
    ("patch", "version", {"summary": "Changed"}),
    ("delete", "version", {}),
    ("post", "propose", {}),
    ("post", "ballots", {"question": "Q?", "scope": "budget", "closes_at": "2100-01-01T00:00Z"}),
]
METHODS = ["get", "post", "put", "patch", "delete"]


@pytest.fixture
def urls(pilot, adopted, draft, ballot) -> dict[str, str]:
    charter = f"/api/v1/alliances/{pilot.alliance.pk}/charter/"
    version = f"{charter}versions/{draft.pk}/"
    ballots = f"/api/v1/alliances/{pilot.alliance.pk}/ballots/"
    return {
        "charter": charter,
        "audit": charter + "audit/",
        "diff": f"{charter}diff/?from={adopted.pk}&to={draft.pk}",
        "versions": charter + "versions/",
        "version": version,
        "propose": version + "propose/",
        "ballots": ballots,
        "ballot": f"{ballots}{ballot.pk}/",
        "vote": f"{ballots}{ballot.pk}/vote/",
    }


def _snapshot() -> list[Any]:
    return [
        list(CharterVersion.objects.order_by("pk").values_list("pk", "status", "summary")),
        list(Ballot.objects.order_by("pk").values_list("pk", "status")),
        Vote.objects.count(),
    ]


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
@pytest.mark.parametrize("name", READS)
def test_every_member_reads_every_endpoint(api_as, pilot, urls, persona, name):
    response = api_as(getattr(pilot, persona)).get(urls[name])
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("persona", ["rep", "steering"])
@pytest.mark.parametrize(("method", "name", "body"), WRITES)
def test_members_who_are_not_managers_get_403_for_every_write_and_nothing_changes(
    api_as, pilot, urls, persona, method, name, body
):
    before = _snapshot()
    response = getattr(api_as(getattr(pilot, persona)), method)(urls[name], body, format="json")
    assert response.status_code == 403
    assert _snapshot() == before


@pytest.mark.parametrize("name", [*READS, "propose", "vote"])
def test_outsider_gets_404_for_every_method_on_every_url(api_as, outsider, urls, name):
    before = _snapshot()
    client = api_as(outsider)
    for method in METHODS:
        response = getattr(client, method)(urls[name], {"choice": "yes"}, format="json")
        assert response.status_code == 404, f"{method} {urls[name]}: {response.status_code}"
    assert _snapshot() == before


@pytest.mark.parametrize("name", [*READS, "propose", "vote"])
def test_anonymous_gets_401_for_every_method_on_every_url(api_client, urls, name):
    before = _snapshot()
    for method in METHODS:
        response = getattr(api_client, method)(urls[name], {"choice": "yes"}, format="json")
        assert response.status_code == 401, f"{method} {urls[name]}: {response.status_code}"
    assert _snapshot() == before
