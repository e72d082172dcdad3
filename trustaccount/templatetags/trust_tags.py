"""Trust facts shown on the alliances app's pages (overview, dashboard), and small helpers of
the trust templates.

Templates load these tags so that the alliances app never imports trustaccount (DESIGN.md:
dependencies run one way).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.db.models import Sum
from django.utils import timezone

from alliances.models import Alliance, User
from trustaccount import checkins, ledger
from trustaccount.models import CheckInRound, TrustEntry

register = template.Library()


@register.simple_tag
def item_label(name: str) -> Any:
    return checkins.ITEMS.get(name, name)


@register.filter
def missing_answers(results: checkins.Results) -> int:
    return max(0, checkins.ANONYMITY_THRESHOLD - results.answers)


@dataclass(frozen=True)
class Summary:
    balance: int
    latest_round: CheckInRound | None
    results: checkins.Results | None
    awaiting: int


@register.simple_tag
def trust_summary(alliance: Alliance) -> Summary:
    """The alliance overview's trust facts: balance, confirmations due, the latest check-in."""
    entries = ledger.counted(TrustEntry.objects.filter(alliance=alliance))
    latest = CheckInRound.objects.filter(alliance=alliance).first()
    return Summary(
        balance=entries.aggregate(total=Sum("points"))["total"] or 0,
        latest_round=latest,
        results=checkins.results(latest) if latest else None,
        awaiting=ledger.awaiting_confirmation(alliance).count(),
    )


@dataclass(frozen=True)
class AllianceTrust:
    alliance: Alliance
    balance: int
    latest_round: CheckInRound | None
    open_round: bool


@register.simple_tag
def trust_for(person: User) -> list[AllianceTrust]:
    """Per alliance of the person: the trust balance and the latest check-in, in 3 queries."""
    alliances = list(Alliance.objects.visible_to(person).order_by("name"))
    entries = ledger.counted(TrustEntry.objects.filter(alliance__in=alliances))
    totals = dict(
        entries.order_by().values("alliance").annotate(p=Sum("points")).values_list("alliance", "p")
    )
    latest: dict[int, CheckInRound] = {}
    for check_in in CheckInRound.objects.filter(alliance__in=alliances).order_by("opened_at"):
        latest[check_in.alliance_id] = check_in
    today = timezone.localdate()
    return [
        AllianceTrust(
            alliance=a,
            balance=totals.get(a.pk, 0),
            latest_round=latest.get(a.pk),
            open_round=a.pk in latest and latest[a.pk].closes_on >= today,
        )
        for a in alliances
        if a.pk in totals or a.pk in latest
    ]


@register.filter
def confirmable_by(entry: TrustEntry, own_partner_ids: set[int]) -> bool:
    """Whether one of the viewer's own partners, other than the actor, can confirm the entry."""
    return bool(own_partner_ids - {entry.actor_id})


@register.simple_tag
def partner_name(names: dict[int, str], partner_id: int) -> str:
    return names.get(partner_id, "")


@dataclass(frozen=True)
class PartnerRecord:
    balance: int
    missed: int  # commitments that lapsed
    open_commitments: int
    recent: list[TrustEntry]


@register.simple_tag
def partner_trust_record(partner: Any) -> PartnerRecord:
    """A partner's trust record, the evidence beside a "partner not contributing" escalation."""
    from trustaccount.models import Commitment

    entries = TrustEntry.objects.filter(alliance_id=partner.alliance_id, actor=partner)
    commitments = Commitment.objects.filter(owner=partner)
    return PartnerRecord(
        balance=ledger.counted(entries).aggregate(total=Sum("points"))["total"] or 0,
        missed=commitments.filter(status=Commitment.Status.LAPSED).count(),
        open_commitments=commitments.filter(status=Commitment.Status.OPEN).count(),
        recent=list(entries.order_by("-sequence")[:5]),
    )
