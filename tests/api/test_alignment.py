"""/api/v1/alliances/{alliance_pk}/alignment/ (the gap analysis) and /api/v1/portfolio/alignment/."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.functional import Promise

from alliances.api.interest_views import SCORE_RULE
from alliances.models import Interest, InterestLink, Role
from tests.factories import (
    AllianceFactory,
    GoalFactory,
    InterestFactory,
    InterestLinkFactory,
    PartnerFactory,
    RoleFactory,
)

from .interest_map_data import fill_interest_map

PORTFOLIO = "/api/v1/portfolio/alignment/"
CONFLICTS = InterestLink.Effect.CONFLICTS


def _alignment(pilot) -> str:
    return f"/api/v1/alliances/{pilot.alliance.pk}/alignment/"


@pytest.fixture
def tensions(pilot):
    """TechCo's resale served, LogiCorp's red line at risk, GreenAlliance's credibility in both."""
    data, speed = GoalFactory.create_batch(2, alliance=pilot.alliance)
    resale = InterestFactory.create(partner=pilot.techco, statement="Resale", importance=4)
    fast = InterestFactory.create(
        partner=pilot.logicorp, statement="Fast rounds", is_red_line=True, kind="implicit"
    )
    public = InterestFactory.create(partner=pilot.greenalliance, statement="Public data")
    InterestFactory.create(partner=pilot.greenalliance, statement="Unserved", importance=1)
    InterestLinkFactory(interest=resale, goal=data)
    InterestLinkFactory(interest=fast, goal=data, effect=CONFLICTS, note="Audits slow us")
    InterestLinkFactory(interest=public, goal=data)
    InterestLinkFactory(interest=public, goal=speed, effect=CONFLICTS)
    return data, speed


def test_member_reads_the_gap_analysis(api_as, pilot, tensions):
    data, speed = tensions
    response = api_as(pilot.steering).get(_alignment(pilot))
    assert response.status_code == 200
    body = response.json()
    # weights: resale 4 (full), fast 6 (nothing), public 3 (half), unserved 1 (nothing)
    assert body["score"] == round(100 * (4 + 1.5) / 14)
    scores = {p["partner"]["organization"]: (p["score"], p["interests"]) for p in body["partners"]}
    assert scores == {"TechCo": (100, 1), "LogiCorp": (0, 1), "GreenAlliance": (38, 2)}
    (at_risk,) = body["red_lines_at_risk"]
    assert (at_risk["interest"]["text"], at_risk["goal"]["id"], at_risk["note"]) == (
        "Fast rounds",
        data.pk,
        "Audits slow us",
    )
    assert [c["goal"]["title"] for c in body["conflicts"]] == [data.title, speed.title]
    assert [i["text"] for i in body["unserved"]] == ["Fast rounds", "Unserved"]
    missing = {p["organization"] for p in body["partners_without_implicit"]}
    assert missing == {"TechCo", "GreenAlliance"}
    assert body["open_gaps"] == 4
    assert "red line" in body["rule"]


def test_rule_is_rendered_in_the_callers_language_when_asked(api_as, pilot):
    # Only English ships so far: the sentence goes through gettext when rendered.
    assert isinstance(SCORE_RULE, Promise)
    with translation.override("en"):
        rule = api_as(pilot.manager).get(_alignment(pilot)).json()["rule"]
    assert rule == str(SCORE_RULE)


def test_without_interests_there_is_no_score(api_as, pilot):
    body = api_as(pilot.manager).get(_alignment(pilot)).json()
    assert (body["score"], body["open_gaps"]) == (None, 0)
    assert [p["score"] for p in body["partners"]] == [None, None, None]


def test_outsider_gets_404_and_anonymous_401(api_as, api_client, pilot, outsider):
    assert api_as(outsider).get(_alignment(pilot)).status_code == 404
    assert api_client.get(_alignment(pilot)).status_code == 401
    assert api_client.get(PORTFOLIO).status_code == 401


@pytest.mark.parametrize(("partners", "goals"), [(3, 5), (10, 30)])
def test_alignment_takes_the_same_queries_from_3x5_to_10x30(
    api_as, pilot, django_assert_num_queries, partners, goals
):
    fill_interest_map(pilot.alliance, partners=partners, goals=goals)
    client = api_as(pilot.manager)
    # the alliance, then the map as seen: alliances, interests, partners, goals, links
    with django_assert_num_queries(6):
        response = client.get(_alignment(pilot))
    assert len(response.json()["partners"]) == partners


# Portfolio


def _alliance_managed_by(person, *, red_lines: int = 0, conflicts: int = 0, name: str = ""):
    alliance = AllianceFactory.create(**({"name": name} if name else {}))
    RoleFactory(alliance=alliance, person=person, kind=Role.Kind.COALITION_MANAGER)
    partner = PartnerFactory.create(alliance=alliance)
    goal = GoalFactory.create(alliance=alliance)
    for number in range(red_lines + conflicts):
        interest = InterestFactory.create(partner=partner, is_red_line=number < red_lines)
        InterestLinkFactory(interest=interest, goal=goal, effect=CONFLICTS)
    return alliance


def test_portfolio_puts_the_most_urgent_alliance_first(api_as, pilot, outsider, tensions):
    _alliance_managed_by(pilot.manager, conflicts=3, name="Many conflicts")
    _alliance_managed_by(pilot.manager, red_lines=2, name="Two red lines")
    response = api_as(pilot.manager).get(PORTFOLIO)
    assert response.status_code == 200
    rows = [
        (r["alliance"]["name"], r["red_lines_at_risk"], r["conflicts"], r["unserved"])
        for r in response.json()["results"]
    ]
    assert rows == [
        ("Two red lines", 2, 2, 2),
        ("Last-mile carbon pilot", 1, 2, 2),
        ("Many conflicts", 0, 3, 3),
    ]
    pilot_row = response.json()["results"][1]
    assert (pilot_row["open_gaps"], pilot_row["score"]) == (4, 39)


def test_portfolio_holds_only_the_callers_alliances(api_as, pilot, outsider):
    names = [r["alliance"]["name"] for r in api_as(outsider).get(PORTFOLIO).json()["results"]]
    assert names == ["Packaging coalition"]


@pytest.mark.parametrize("count", [3, 30])
def test_portfolio_takes_the_same_queries_for_3_and_30_alliances(
    api_as, outsider, django_assert_num_queries, count
):
    for _ in range(count - 1):
        alliance = _alliance_managed_by(outsider, red_lines=1, conflicts=1)
        InterestFactory(
            partner=alliance.partners.get(), visibility=Interest.Visibility.SUMMARY, summary="S"
        )
    client = api_as(outsider)
    # the alliances, then their interests, partners, goals and links
    with django_assert_num_queries(5):
        response = client.get(PORTFOLIO)
    assert response.json()["count"] == count
