"""/api/v1/alliances/{alliance_pk}/interests/{interest_pk}/links/ and .../links/{link_pk}/.

A partner's representatives say which goals support or work against its interests; the other
members read the links of the interests they may see.
"""

from __future__ import annotations

from typing import Any

import pytest

from alliances.models import Goal, Interest, InterestLink
from tests.factories import GoalFactory, InterestFactory, InterestLinkFactory

from .interest_map_data import fill_interest_map

HUGE = 10**30


def _links(interest: Interest, link_pk: int | None = None) -> str:
    url = f"/api/v1/alliances/{interest.partner.alliance_id}/interests/{interest.pk}/links/"
    return url if link_pk is None else f"{url}{link_pk}/"


@pytest.fixture
def goal(pilot) -> Goal:
    return GoalFactory.create(alliance=pilot.alliance, title="Public emissions data")


@pytest.fixture
def interest(pilot) -> Interest:
    return InterestFactory.create(partner=pilot.techco, created_by=pilot.rep)


def _snapshot() -> list[tuple[Any, ...]]:
    return list(InterestLink.objects.values_list("pk", "interest", "goal", "effect", "note"))


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_members_list_the_links_of_a_shared_interest(api_as, pilot, goal, interest, persona):
    link = InterestLinkFactory.create(interest=interest, goal=goal, note="Sells on the data")
    response = api_as(getattr(pilot, persona)).get(_links(interest))
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": link.pk,
            "interest": interest.pk,
            "goal": goal.pk,
            "effect": "supports",
            "note": "Sells on the data",
        }
    ]


def test_rep_links_their_interest_to_a_goal(api_as, pilot, goal, interest):
    body = {"goal": goal.pk, "effect": "conflicts", "note": "Open data undercuts resale"}
    response = api_as(pilot.rep).post(_links(interest), body, format="json")
    assert response.status_code == 201
    assert response.json()["note"] == "Open data undercuts resale"
    link = InterestLink.objects.get()
    assert (link.interest, link.goal, link.effect, link.created_by) == (
        interest,
        goal,
        "conflicts",
        pilot.rep,
    )


def test_saying_it_again_for_the_same_goal_replaces_the_link(api_as, pilot, goal, interest):
    client = api_as(pilot.rep)
    client.post(_links(interest), {"goal": goal.pk, "effect": "conflicts"}, format="json")
    response = client.post(_links(interest), {"goal": goal.pk, "effect": "supports"}, format="json")
    assert response.status_code == 201
    assert list(InterestLink.objects.values_list("effect", flat=True)) == ["supports"]


def test_rep_removes_a_link(api_as, pilot, goal, interest):
    link = InterestLinkFactory.create(interest=interest, goal=goal)
    assert api_as(pilot.rep).delete(_links(interest, link.pk)).status_code == 204
    assert not InterestLink.objects.exists()


@pytest.mark.parametrize("persona", ["manager", "steering"])
def test_other_members_get_403_on_writes_and_nothing_changes(
    api_as, pilot, goal, interest, persona
):
    link = InterestLinkFactory.create(interest=interest, goal=goal)
    before = _snapshot()
    client = api_as(getattr(pilot, persona))
    body = {"goal": goal.pk, "effect": "conflicts"}
    assert client.post(_links(interest), body, format="json").status_code == 403
    assert client.delete(_links(interest, link.pk)).status_code == 403
    assert _snapshot() == before


def test_outsider_gets_404_and_anonymous_401(api_as, api_client, pilot, outsider, goal, interest):
    link = InterestLinkFactory.create(interest=interest, goal=goal)
    before = _snapshot()
    for client, code in ((api_as(outsider), 404), (api_client, 401)):
        assert client.get(_links(interest)).status_code == code
        body = {"goal": goal.pk, "effect": "conflicts"}
        assert client.post(_links(interest), body, format="json").status_code == code
        assert client.delete(_links(interest, link.pk)).status_code == code
    assert _snapshot() == before


def test_link_of_another_interest_is_404_under_this_one(api_as, pilot, goal, interest):
    other = InterestFactory.create(partner=pilot.techco, created_by=pilot.rep)
    link = InterestLinkFactory.create(interest=other, goal=goal)
    assert api_as(pilot.rep).delete(_links(interest, link.pk)).status_code == 404
    assert InterestLink.objects.filter(pk=link.pk).exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"goal": "abc"},
        {"goal": HUGE},
        {"goal": -1},
        {"goal": None},
        {"goal": {"id": 1}},
        {"effect": "neutral"},
        {"effect": None},
        {"note": "x" * 501},
    ],
    ids=repr,
)
def test_invalid_fields_get_400_on_that_field(api_as, pilot, goal, interest, fields):
    body = {"goal": goal.pk, "effect": "supports"} | fields
    response = api_as(pilot.rep).post(_links(interest), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == list(fields)
    assert _snapshot() == []


def test_goal_of_another_alliance_gets_400(api_as, pilot, outsider, interest):
    foreign = GoalFactory.create(alliance=outsider.alliance_roles.get().alliance)
    body = {"goal": foreign.pk, "effect": "supports"}
    response = api_as(pilot.rep).post(_links(interest), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["goal"]
    assert _snapshot() == []


@pytest.mark.parametrize("link_pk", [HUGE, 0])
def test_link_ids_that_do_not_exist_get_404(api_as, pilot, interest, link_pk):
    assert api_as(pilot.rep).delete(_links(interest, link_pk)).status_code == 404


@pytest.mark.parametrize(("partners", "goals"), [(3, 5), (10, 30)])
def test_list_takes_the_same_queries_from_3x5_to_10x30(
    api_as, pilot, django_assert_num_queries, partners, goals
):
    fill_interest_map(pilot.alliance, partners=partners, goals=goals)
    interest = pilot.techco.interests.get(visibility=Interest.Visibility.ALLIANCE)
    client = api_as(pilot.steering)
    # the alliance, the interest as seen, then the map as seen: alliances, interests, partners,
    # goals, links
    with django_assert_num_queries(7):
        response = client.get(_links(interest))
    assert response.json()["count"] == goals
