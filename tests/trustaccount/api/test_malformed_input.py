"""No input to the trust API, however malformed, produces a server error."""

from __future__ import annotations

import pytest

from .conftest import base, state

HUGE = 10**30


@pytest.fixture
def urls(pilot, entry, commitment, check_in) -> dict[str, str]:
    trust = base(pilot)
    return {
        "entries": trust + "entries/",
        "reverse": f"{trust}entries/{entry.pk}/reverse/",
        "confirm": f"{trust}entries/{entry.pk}/confirm/",
        "commitments": trust + "commitments/",
        "delivered": f"{trust}commitments/{commitment.pk}/delivered/",
        "check-ins": trust + "check-ins/",
        "answer": f"{trust}check-ins/{check_in.pk}/answer/",
    }


@pytest.mark.parametrize("name", ["entries", "reverse", "commitments", "check-ins", "answer"])
@pytest.mark.parametrize("body", ['{"note": ', "[1, 2]", '"text"', "null", "12"])
def test_bad_json_and_bodies_that_are_no_object_get_400(api_as, pilot, urls, name, body):
    before = state()
    response = api_as(pilot.manager).post(urls[name], body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert state() == before


@pytest.mark.parametrize(
    "value", [HUGE, -1, "1; DROP TABLE", None, [1], {"id": 1}, True, 1.5, "NaN", "1e400", ""],
    ids=repr,
)  # fmt: skip
@pytest.mark.parametrize(
    "field", ["kind", "category", "actor", "counterpart", "occurred_at", "points", "note",
              "idempotency_key"],
)  # fmt: skip
def test_any_value_of_any_entry_field_is_never_a_server_error(api_as, pilot, urls, field, value):
    body = {"kind": "deposit", "category": "other", "actor": pilot.greenalliance.pk,
            "idempotency_key": "k-1"} | {field: value}  # fmt: skip
    response = api_as(pilot.manager).post(urls["entries"], body, format="json")
    assert response.status_code in (200, 201, 400), response.content


@pytest.mark.parametrize("pk", [HUGE, 999_999])
@pytest.mark.parametrize("kind", ["entries", "check-ins"])
def test_ids_that_do_not_exist_get_404(api_as, pilot, kind, pk):
    assert api_as(pilot.manager).get(f"{base(pilot)}{kind}/{pk}/").status_code == 404


@pytest.mark.parametrize("action", ["entries/{}/reverse/", "entries/{}/confirm/",
                                    "commitments/{}/delivered/", "check-ins/{}/answer/"])  # fmt: skip
def test_actions_on_ids_that_do_not_exist_get_404(api_as, pilot, action):
    url = base(pilot) + action.format(HUGE)
    assert api_as(pilot.manager).post(url, {}, format="json").status_code == 404


@pytest.mark.parametrize("query", ["partner=1.5", f"partner={HUGE}", "page=abc", "page=99"])
def test_odd_queries_are_never_a_server_error(api_as, pilot, query):
    response = api_as(pilot.rep).get(f"{base(pilot)}entries/?{query}")
    assert response.status_code in (400, 404)
