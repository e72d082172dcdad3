"""A resolution through the API racing the deadline sweep, on PostgreSQL with committed
transactions: exactly one of them wins. Either the escalation is resolved at the working
group and never climbs, or it climbs to the steering committee and the resolution, made for
the working group, is refused."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from alliances import timers
from charters.models import Escalation, EscalationEvent
from tests.charters.escalation_data import adopt_charter
from tests.test_timer_reliability import committed_postgres  # noqa: F401

from .test_escalations_api import _raise
from .test_vote_races import _run_together

CLIMB = timers.get("escalation-deadline")
EventKind = EscalationEvent.Kind
pytestmark = pytest.mark.usefixtures("committed_postgres")


@pytest.fixture
def dispute(pilot, green_steering) -> Escalation:
    adopt_charter(pilot, green_steering)
    return _raise(pilot)


# The request needs a few milliseconds to reach the lock, so the sweep starts a little later
# in some runs to give each side its chance to win.
@pytest.mark.parametrize("delay", [0.0, 0.005, 0.01, 0.02, 0.03, 0.05])
def test_a_resolution_racing_the_deadline_sweep_leaves_one_final_state(pilot, dispute, delay):
    past = timezone.now() - timedelta(seconds=1)
    Escalation.objects.filter(pk=dispute.pk).update(level_deadline=past, climb_due_at=past)
    url = f"/api/v1/alliances/{pilot.alliance.pk}/escalations/{dispute.pk}/resolve/"
    answers: list[int] = []

    def resolve() -> None:
        client = APIClient()
        client.force_authenticate(pilot.manager)
        body = {"resolution": "Pilot data stays open", "level": 0}
        answers.append(client.post(url, body, format="json").status_code)

    def sweep() -> None:
        time.sleep(delay)
        timers.sweep(CLIMB, timezone.now())

    assert _run_together(resolve, sweep) == []
    timers.sweep(CLIMB, timezone.now())  # the next tick, had the resolution held the lock

    dispute.refresh_from_db()
    kinds = set(dispute.events.values_list("kind", flat=True))
    if answers == [200]:
        assert (dispute.status, dispute.level) == (Escalation.Status.RESOLVED, 0)
        assert EventKind.CLIMBED not in kinds
    else:
        assert answers == [400]
        assert (dispute.status, dispute.level) == (Escalation.Status.OPEN, 1)
        assert EventKind.RESOLVED not in kinds
        assert dispute.resolution == ""
