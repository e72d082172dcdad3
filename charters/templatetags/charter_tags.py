"""Charter facts shown on the alliances app's pages (overview, dashboard).

Templates load these tags so that the alliances app never imports charters (DESIGN.md:
dependencies run one way).
"""

from __future__ import annotations

from django import template
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from alliances.models import Alliance, Role, User
from charters.audit import Item, audit
from charters.models import Ballot, Elector, Vote

register = template.Library()


@register.simple_tag
def governance_audit(alliance: Alliance) -> list[Item]:
    return audit(alliance)


@register.simple_tag
def decisions_awaiting(person: User) -> list[Elector]:
    """Open ballots where the person casts a partner's vote and that partner has not voted yet.

    One query. It mirrors charters.ballots.delegates: a partner's steering committee members
    vote for it, or its representatives when it has none.
    """
    roles = Role.objects.filter(partner=OuterRef("partner"))
    steering = roles.filter(kind=Role.Kind.STEERING_COMMITTEE)
    mine = roles.filter(person=person)
    return list(
        Elector.objects.filter(
            ballot__status=Ballot.Status.OPEN, ballot__closes_at__gt=timezone.now()
        )
        .filter(
            Q(Exists(mine.filter(kind=Role.Kind.STEERING_COMMITTEE)))
            | Q(Exists(mine.filter(kind=Role.Kind.PARTNER_REPRESENTATIVE)), ~Exists(steering))
        )
        .exclude(
            Exists(Vote.objects.filter(ballot=OuterRef("ballot"), partner=OuterRef("partner")))
        )
        .select_related("ballot__alliance", "partner__organization")
        .order_by("ballot__closes_at", "pk")
    )
