"""The demo pilot's relational health, assessed week by week as the history chart is:
healthy before LogiCorp's missed deadline, a dip after it, recovered by now."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from alliances import health
from alliances.health import Layer
from alliances.models import Alliance
from trustaccount.demo import MISSED_DEADLINE


def test_the_pilot_dips_after_the_missed_deadline_and_recovers(db):
    call_command("seed_demo")
    pilot = Alliance.objects.get(name="Last-mile carbon tracking pilot")
    now = timezone.now()

    def relational(days_ago: int) -> int:
        score = health.assess(pilot, now - timedelta(days=days_ago)).layer(Layer.RELATIONAL).score
        assert score is not None
        return score

    before = [relational(days) for days in range(MISSED_DEADLINE + 30, MISSED_DEADLINE, -7)]
    # Until LogiCorp keeps its next promises (22 days ago) and the good check-in.
    after = [relational(days) for days in range(MISSED_DEADLINE - 2, 22, -7)]

    assert min(before) >= 70
    assert max(after) < 70
    assert min(after) < min(before) - 25
    assert relational(0) >= 70
    assert health.assess(pilot, now).layer(Layer.RELATIONAL).state == "healthy"
    advice = health.advice_for(pilot, now - timedelta(days=MISSED_DEADLINE - 2))
    assert "partner_not_contributing" not in {a.key for a in advice}  # the cushion holds
