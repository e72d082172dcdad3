"""No input to the charters API, however malformed, produces a server error."""

from __future__ import annotations

from typing import Any

import pytest

from charters.models import Ballot, CharterVersion, Vote

from .conftest import good_rules

HUGE = 10**30


@pytest.fixture
def urls(pilot, draft, ballot) -> dict[str, str]:
    charter = f"/api/v1/alliances/{pilot.alliance.pk}/charter/"
    ballots = f"/api/v1/alliances/{pilot.alliance.pk}/ballots/"
    return {
        "version": f"{charter}versions/{draft.pk}/",
        "propose": f"{charter}versions/{draft.pk}/propose/",
        "ballots": ballots,
        "vote": f"{ballots}{ballot.pk}/vote/",
    }


def _unchanged() -> list[Any]:
    return [
        list(CharterVersion.objects.values_list("pk", "status", "summary", "rules_json")),
        Ballot.objects.count(),
        Vote.objects.count(),
    ]


@pytest.mark.parametrize(
    ("method", "name"),
    [("patch", "version"), ("post", "propose"), ("post", "ballots"), ("post", "vote")],
)
@pytest.mark.parametrize("body", ['{"choice": ', "[1, 2]", '"text"', "null", "12"])
def test_bad_json_and_bodies_that_are_no_object_get_400(api_as, pilot, urls, method, name, body):
    before = _unchanged()
    person = pilot.steering if name == "vote" else pilot.manager
    response = getattr(api_as(person), method)(urls[name], body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert _unchanged() == before


@pytest.mark.parametrize(
    "rules",
    [
        None,
        "consensus",
        [1],
        {"scopes": None},
        {"scopes": {"strategy": None}},
        {"scopes": {"strategy": {"mode": "consensus", "veto_holders": "all"}}},
        {"scopes": {"strategy": {"mode": "consensus", "lead_partner": HUGE}}},
        {"weights": {"1": HUGE}},
        {"weights": {"1": "NaN"}},
        {"weights": {"-1": "1"}},
        {"quorum": "1e400"},
        {"quorum": HUGE},
        {"ladder": "three levels"},
        {"ladder": [{"name": "x" * 1000, "days": 3}]},
        {"ladder": [{"name": "WG", "days": HUGE}]},
        {"review_cadence_months": HUGE},
        {"force_majeure": ["war"]},
    ],
    ids=repr,
)
def test_rules_of_any_wrong_shape_get_400(api_as, pilot, urls, rules):
    before = _unchanged()
    body = {"rules": rules if not isinstance(rules, dict) else good_rules(pilot) | rules}
    response = api_as(pilot.manager).patch(urls["version"], body, format="json")
    assert response.status_code == 400, response.content
    assert _unchanged() == before


@pytest.mark.parametrize(
    "body",
    [
        {"closes_at": "tomorrow"},
        {"closes_at": HUGE},
        {"closes_at": "9999-12-31T23:59:59Z"},
        {"closes_at": ["2100-01-01"]},
    ],
    ids=repr,
)
def test_propose_with_a_bad_deadline_gets_400(api_as, pilot, urls, body):
    before = _unchanged()
    response = api_as(pilot.manager).post(urls["propose"], body, format="json")
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert _unchanged() == before


@pytest.mark.parametrize(
    "changes",
    [
        {"options": "yes,no"},
        {"options": [["a"], ["b"]]},
        {"options": ["x" * 200, "y"]},
        {"options": [str(n) for n in range(100)]},
        {"question": "x" * 1000},
        {"scope": None},
        {"closes_at": None},
    ],
    ids=repr,
)
def test_a_motion_of_the_wrong_shape_gets_400(api_as, pilot, urls, changes):
    before = _unchanged()
    body = {"question": "Q?", "scope": "budget", "closes_at": "2100-01-01T00:00:00Z"} | changes
    response = api_as(pilot.manager).post(urls["ballots"], body, format="json")
    assert response.status_code == 400, response.content
    assert _unchanged() == before


@pytest.mark.parametrize("pk", [HUGE, 999_999])
@pytest.mark.parametrize("kind", ["charter/versions", "ballots"])
def test_ids_that_do_not_exist_get_404(api_as, pilot, kind, pk):
    url = f"/api/v1/alliances/{pilot.alliance.pk}/{kind}/{pk}/"
    assert api_as(pilot.manager).get(url).status_code == 404


@pytest.mark.parametrize("query", [f"?from={HUGE}&to=1", "?from=1.5&to=2", "?from=&to="])
def test_diff_with_odd_ids_gets_400(api_as, pilot, query):
    url = f"/api/v1/alliances/{pilot.alliance.pk}/charter/diff/{query}"
    assert api_as(pilot.rep).get(url).status_code == 400
