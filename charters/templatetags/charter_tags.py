"""Charter facts shown on the alliances app's pages (overview, dashboard).

Templates load these tags so that the alliances app never imports charters (DESIGN.md:
dependencies run one way).
"""

from __future__ import annotations

from django import template

from alliances.models import Alliance, User
from charters.audit import Item, audit
from charters.models import Elector

register = template.Library()


@register.simple_tag
def governance_audit(alliance: Alliance) -> list[Item]:
    return audit(alliance)


@register.simple_tag
def decisions_awaiting(person: User) -> list[Elector]:
    """Open ballots where the person casts a partner's vote and that partner has not voted yet."""
    return list(
        Elector.objects.cast_by(person)
        .awaiting_vote()
        .select_related("ballot__alliance", "partner__organization")
        .order_by("ballot__closes_at", "pk")
    )
