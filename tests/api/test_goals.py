"""/api/v1/alliances/{alliance_pk}/goals/ and .../goals/{goal_pk}/: any member reads, managers write."""

from __future__ import annotations

import pytest

from alliances.models import Goal, InterestLink
from tests.factories import GoalFactory, InterestFactory, InterestLinkFactory

HUGE = 10**30


def _list(pilot) -> str:
    return f"/api/v1/alliances/{pilot.alliance.pk}/goals/"


def _detail(goal: Goal) -> str:
    return f"/api/v1/alliances/{goal.alliance_id}/goals/{goal.pk}/"


@pytest.fixture
def goal(pilot) -> Goal:
    return GoalFactory.create(alliance=pilot.alliance, title="Verified emissions data")


def _snapshot(pilot) -> list[tuple[object, ...]]:
    return list(pilot.alliance.goals.values_list("pk", "title", "measure", "target_date"))


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_every_member_lists_and_reads_goals(api_as, pilot, goal, persona):
    client = api_as(getattr(pilot, persona))
    listed = client.get(_list(pilot)).json()
    assert [g["title"] for g in listed["results"]] == ["Verified emissions data"]
    assert client.get(_detail(goal)).json()["measure"] == goal.measure


def test_manager_adds_a_goal(api_as, pilot):
    body = {"title": "Self-funding by year two", "target_date": "2026-06-30", "measure": "Revenue"}
    response = api_as(pilot.manager).post(_list(pilot), body, format="json")
    assert response.status_code == 201
    assert response.json()["target_date"] == "2026-06-30"
    assert pilot.alliance.goals.get().title == "Self-funding by year two"


def test_manager_changes_a_goal(api_as, pilot, goal):
    response = api_as(pilot.manager).patch(_detail(goal), {"measure": "Audited"}, format="json")
    assert response.status_code == 200
    goal.refresh_from_db()
    assert (goal.title, goal.measure) == ("Verified emissions data", "Audited")


def test_manager_removes_a_goal_with_what_partners_said_about_it(api_as, pilot, goal):
    InterestLinkFactory(interest=InterestFactory.create(partner=pilot.techco), goal=goal)
    assert api_as(pilot.manager).delete(_detail(goal)).status_code == 204
    assert not Goal.objects.exists()
    assert not InterestLink.objects.exists()


@pytest.mark.parametrize("persona", ["rep", "steering"])
@pytest.mark.parametrize(
    ("method", "target", "body"),
    [
        ("post", "list", {"title": "Ours"}),
        ("patch", "detail", {"title": "Ours"}),
        ("delete", "detail", {}),
    ],
)
def test_members_without_manager_role_get_403_and_nothing_changes(
    api_as, pilot, goal, persona, method, target, body
):
    before = _snapshot(pilot)
    url = _list(pilot) if target == "list" else _detail(goal)
    response = getattr(api_as(getattr(pilot, persona)), method)(url, body, format="json")
    assert response.status_code == 403
    assert _snapshot(pilot) == before


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_outsider_gets_404_for_the_pilots_goals(api_as, pilot, outsider, goal, method):
    client = api_as(outsider)
    assert getattr(client, method)(_detail(goal), {}, format="json").status_code == 404
    assert client.get(_list(pilot)).status_code == 404
    assert client.post(_list(pilot), {"title": "Mine"}, format="json").status_code == 404
    assert _snapshot(pilot) == [(goal.pk, goal.title, goal.measure, None)]


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_gets_401(api_client, pilot, goal, method):
    assert getattr(api_client, method)(_list(pilot)).status_code == 401
    assert api_client.get(_detail(goal)).status_code == 401


def test_goal_of_another_alliance_is_404_under_the_pilot(api_as, pilot, outsider):
    foreign = GoalFactory.create(alliance=outsider.alliance_roles.get().alliance)
    url = f"/api/v1/alliances/{pilot.alliance.pk}/goals/{foreign.pk}/"
    assert api_as(pilot.manager).get(url).status_code == 404
    assert api_as(pilot.manager).patch(url, {"title": "Taken"}, format="json").status_code == 404
    foreign.refresh_from_db()
    assert foreign.title != "Taken"


@pytest.mark.parametrize(
    "body",
    [
        {"title": ""},
        {"title": "x" * 201},
        {"title": ["a", "list"]},
        {"target_date": "next spring"},
        {"target_date": HUGE},
        {"measure": {"an": "object"}},
    ],
    ids=repr,
)
def test_invalid_goal_fields_get_400_on_that_field_and_change_nothing(api_as, pilot, goal, body):
    before = _snapshot(pilot)
    response = api_as(pilot.manager).patch(_detail(goal), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == list(body)
    assert _snapshot(pilot) == before


def test_new_goal_needs_a_title(api_as, pilot):
    response = api_as(pilot.manager).post(_list(pilot), {"measure": "Tonnes"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["title"]
    assert not pilot.alliance.goals.exists()


@pytest.mark.parametrize("url_pk", [HUGE, -1])
def test_goal_ids_out_of_range_get_404(api_as, pilot, url_pk):
    url = f"/api/v1/alliances/{pilot.alliance.pk}/goals/{url_pk}/"
    assert api_as(pilot.manager).get(url).status_code == 404


@pytest.mark.parametrize("count", [5, 30])
def test_list_takes_the_same_queries_for_5_and_30_goals(
    api_as, pilot, django_assert_num_queries, count
):
    GoalFactory.create_batch(count, alliance=pilot.alliance)
    client = api_as(pilot.steering)
    # the alliance, count, page of goals
    with django_assert_num_queries(3):
        response = client.get(_list(pilot))
    assert response.json()["count"] == count
