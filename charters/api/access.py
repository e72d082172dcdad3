"""Who speaks for which partner, for the escalation and exit endpoints.

A person acts for a partner they represent or sit on the steering committee for; coalition
managers act for the alliance as a whole, never for one partner.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from alliances.models import Alliance, Partner, Role, User

PARTY_KINDS = (Role.Kind.PARTNER_REPRESENTATIVE, Role.Kind.STEERING_COMMITTEE)


def partners_acted_for(person: User, alliance: Alliance) -> QuerySet[Partner]:
    return alliance.partners.filter(roles__person=person, roles__kind__in=PARTY_KINDS).distinct()


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def require_acting_for(person: User, partner: Partner) -> None:
    require(
        Role.objects.filter(person=person, partner=partner, kind__in=PARTY_KINDS).exists(),
        _("Only this partner's representatives and steering members act for it."),
    )
