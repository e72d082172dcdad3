"""The health page of one alliance: its three layers with the facts and rules behind each
score, the guide's warnings, the reviews the facts opened early, and the scores over time.

Health comes from ``alliances.health``, which only uses what every member may see, so the
page is the same for everyone in the alliance.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import health
from .access import get_alliance_for
from .charts import health_chart
from .views import AuthenticatedRequest

# The chart and its table cover this much history; the API serves all of it.
HISTORY_SHOWN = timedelta(days=365)


@login_required
def alliance_health(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    now = timezone.now()
    history = alliance.health_history.filter(recorded_on__gte=(now - HISTORY_SHOWN).date())
    context = {
        "alliance": alliance,
        "health": health.assess(alliance, now),
        "rule": health.SCORE_RULE,
        "chart": health_chart(list(history)),
        "history_days": HISTORY_SHOWN.days,
        "triggers": alliance.review_triggers.filter(cleared_at__isnull=True).select_related(
            "review"
        ),
        "now": now,
        "ended": alliance.stage not in health.ASSESSED_STAGES,
    }
    return render(request, "health/health.html", context)
