"""Open escalations and exit notices on the dashboard (issue 6).

Template tags, so that the alliances app never imports charters (DESIGN.md: dependencies run
one way). Each tag is one query, whatever the number of rows.
"""

from __future__ import annotations

from django import template

from alliances.models import User
from charters.models import Escalation, ExitNotice

register = template.Library()

DASHBOARD_ROWS = 10


@register.simple_tag
def open_escalations(person: User) -> list[Escalation]:
    """The person's alliances' open escalations, the nearest deadline first."""
    rows = Escalation.objects.visible_to(person).open().select_related("alliance")
    return list(rows.order_by("level_deadline", "pk")[:DASHBOARD_ROWS])


@register.simple_tag
def pending_exit_notices(person: User) -> list[ExitNotice]:
    rows = ExitNotice.objects.visible_to(person).filter(status=ExitNotice.Status.PENDING)
    return list(rows.select_related("alliance", "partner__organization")[:DASHBOARD_ROWS])
