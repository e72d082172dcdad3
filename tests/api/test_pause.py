"""/api/v1/alliances/{alliance_pk}/timers/pause/ and .../resume/: force majeure (managers).

While paused, none of the alliance's timers fire; resuming moves every pending deadline on by
the length of the pause.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from alliances import reviews
from alliances.models import Alliance, Notification, Review, TimerPause

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
REASON = {"reason": "Sanctions on a partner's home country."}


def _url(pilot, action: str) -> str:
    return f"/api/v1/alliances/{pilot.alliance.pk}/timers/{action}/"


def _snapshot() -> list[Any]:
    return [
        list(Alliance.objects.order_by("pk").values_list("pk", "paused_at")),
        list(TimerPause.objects.order_by("pk").values_list("pk", "reason", "resumed_at")),
        list(Review.objects.order_by("pk").values_list("pk", "due_at", "next_reminder_at")),
        Notification.objects.count(),
    ]


@pytest.fixture
def paused(pilot) -> TimerPause:
    with time_machine.travel(START, tick=False):
        return reviews.timers_pause(alliance=pilot.alliance, by=pilot.manager, **REASON)


def test_manager_pauses_the_timers_for_a_reason_and_everyone_is_told(api_as, pilot):
    with time_machine.travel(START, tick=False):
        response = api_as(pilot.manager).post(_url(pilot, "pause"), REASON, format="json")
    assert response.status_code == 201
    data = response.json()
    assert (data["reason"], data["paused_by"]["id"], data["resumed_at"]) == (
        REASON["reason"],
        pilot.manager.pk,
        None,
    )
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.paused_at == START
    told = Notification.objects.filter(kind="timers_paused").values_list("recipient", flat=True)
    assert set(told) == {pilot.manager.pk, pilot.rep.pk, pilot.steering.pk}


def test_resuming_moves_the_pending_review_on_by_the_length_of_the_pause(api_as, pilot):
    with time_machine.travel(START, tick=False):
        pilot.alliance.ensure_review_scheduled(START)
    due = pilot.alliance.reviews.get().due_at
    client = api_as(pilot.manager)
    with time_machine.travel(START, tick=False):
        assert client.post(_url(pilot, "pause"), REASON, format="json").status_code == 201
    with time_machine.travel(START + timedelta(days=10), tick=False):
        response = client.post(_url(pilot, "resume"))
    assert response.status_code == 200
    assert response.json()["resumed_by"]["id"] == pilot.manager.pk
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.paused_at is None
    assert pilot.alliance.reviews.get().due_at == due + timedelta(days=10)


def test_pausing_paused_timers_gets_400_and_changes_nothing(api_as, pilot, paused):
    before = _snapshot()
    response = api_as(pilot.manager).post(_url(pilot, "pause"), REASON, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert _snapshot() == before


def test_resuming_running_timers_gets_400_and_changes_nothing(api_as, pilot):
    before = _snapshot()
    response = api_as(pilot.manager).post(_url(pilot, "resume"))
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert _snapshot() == before


@pytest.mark.parametrize(
    "reason", [None, "", "   ", "x" * 501, ["a", "list"], {"an": "object"}, "nul\x00byte"], ids=repr
)
def test_a_pause_needs_a_reason(api_as, pilot, reason):
    before = _snapshot()
    response = api_as(pilot.manager).post(_url(pilot, "pause"), {"reason": reason}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["reason"]
    assert _snapshot() == before


def test_bad_json_and_lists_get_400(api_as, pilot):
    client = api_as(pilot.manager)
    url = _url(pilot, "pause")
    assert client.post(url, '{"reason": ', content_type="application/json").status_code == 400
    assert client.post(url, [REASON], format="json").status_code == 400
    assert not TimerPause.objects.exists()


@pytest.mark.parametrize("persona", ["rep", "steering"])
def test_members_without_manager_role_get_403_and_nothing_changes(api_as, pilot, paused, persona):
    before = _snapshot()
    client = api_as(getattr(pilot, persona))
    assert client.post(_url(pilot, "resume")).status_code == 403
    assert _snapshot() == before
    reviews.timers_resume(alliance=pilot.alliance, by=pilot.manager)
    before = _snapshot()
    assert client.post(_url(pilot, "pause"), REASON, format="json").status_code == 403
    assert _snapshot() == before


@pytest.mark.parametrize("action", ["pause", "resume"])
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_outsider_gets_404_whatever_the_method(api_as, pilot, outsider, paused, action, method):
    before = _snapshot()
    response = getattr(api_as(outsider), method)(_url(pilot, action), REASON, format="json")
    assert response.status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize("action", ["pause", "resume"])
def test_anonymous_gets_401(api_client, pilot, paused, action):
    before = _snapshot()
    assert api_client.post(_url(pilot, action), REASON, format="json").status_code == 401
    assert _snapshot() == before


@pytest.mark.parametrize("action", ["pause", "resume"])
def test_manager_gets_405_for_get(api_as, pilot, action):
    assert api_as(pilot.manager).get(_url(pilot, action)).status_code == 405
