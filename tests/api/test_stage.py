"""POST /api/v1/alliances/{alliance_pk}/stage/ and GET .../stage-history/."""

from __future__ import annotations

import pytest

from alliances.models import Alliance, StageTransition
from tests.factories import UserFactory


def _stage(alliance: Alliance) -> str:
    return f"/api/v1/alliances/{alliance.pk}/stage/"


def _history(alliance: Alliance) -> str:
    return f"/api/v1/alliances/{alliance.pk}/stage-history/"


def test_manager_moves_the_alliance_and_the_step_is_recorded(api_as, pilot):
    body = {"stage": "under_review", "note": "Six-month review."}
    response = api_as(pilot.manager).post(_stage(pilot.alliance), body, format="json")
    assert response.status_code == 201
    step = response.json()
    assert (step["from_stage"], step["to_stage"]) == ("active", "under_review")
    assert step["by"]["email"] == "manager@greenalliance.example"
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.stage == "under_review"

    history = api_as(pilot.rep).get(_history(pilot.alliance)).json()["results"]
    assert [(h["to_stage"], h["note"]) for h in history] == [("under_review", "Six-month review.")]


def test_disallowed_transition_gets_400_on_stage_and_changes_nothing(api_as, pilot):
    response = api_as(pilot.manager).post(
        _stage(pilot.alliance), {"stage": "proposed"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"stage": ["An alliance cannot move from Active to proposed."]}
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.stage == "active"
    assert not StageTransition.objects.filter(alliance=pilot.alliance).exists()


def test_unknown_stage_gets_400(api_as, pilot):
    response = api_as(pilot.manager).post(
        _stage(pilot.alliance), {"stage": "thriving", "note": 5 * "x" * 200}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"stage", "note"}


@pytest.mark.parametrize("count", [3, 30])
def test_history_takes_the_same_queries_for_3_and_30_steps(
    api_as, pilot, django_assert_num_queries, count
):
    people = UserFactory.create_batch(count)
    StageTransition.objects.bulk_create(
        StageTransition(alliance=pilot.alliance, from_stage="active", to_stage="active", by=by)
        for by in people
    )
    client = api_as(pilot.rep)
    # the alliance, count, page of steps with who took them
    with django_assert_num_queries(3):
        response = client.get(_history(pilot.alliance))
    assert len(response.json()["results"]) == count
