"""Who speaks for which partner, for the escalation and exit endpoints.

A person acts for a partner they represent or sit on the steering committee for
(charters.escalations.PARTY_KINDS); coalition managers act for the alliance as a whole,
never for one partner.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from alliances.models import Partner, Role, User
from charters.escalations import PARTY_KINDS


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def require_acting_for(person: User, partner: Partner) -> None:
    require(
        Role.objects.filter(person=person, partner=partner, kind__in=PARTY_KINDS).exists(),
        _("Only this partner's representatives and steering members act for it."),
    )
