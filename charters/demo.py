"""The pilot's charter for the demo (called by ``manage.py seed_demo``).

Version 1 is adopted through a real ballot; version 2, on data ownership, is out for a vote.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from alliances.models import Alliance, Notification, OutboundEmail, Partner, Role

from . import ballots, services
from .models import Ballot, Charter, CharterVersion
from .rules import LadderLevel, Mode, Rules, ScopeRule, Weighting

PROSE_V1 = """## Why we are together
We measure the carbon emitted by last-mile deliveries and publish what we learn.

## How we decide
Strategy needs consensus. Budget passes by simple majority of the resource-weighted vote.
LogiCorp leads day-to-day execution of the delivery rounds.

## How disputes climb
A working group has 7 days, the steering committee 10 more; then the executive sponsors decide.

## Information
Partners share incidents that affect the pilot within two working days.
"""

PROSE_V2_ADDITION = """
## Data ownership
Pilot data is published under an open licence. Algorithms a partner derives from it stay
with that partner.
"""


def seed(pilot: Alliance) -> bool:
    """Create the demo charter once; returns whether anything was created."""
    if Charter.objects.filter(alliance=pilot).exists():
        return False
    partners = {p.organization.name: p for p in pilot.partners.select_related("organization")}
    manager = Role.objects.get(alliance=pilot, kind=Role.Kind.COALITION_MANAGER).person
    v1 = services.version_draft(alliance=pilot, by=manager)
    services.version_update(
        version=v1, summary="First charter", prose=PROSE_V1, rules=_rules_v1(partners)
    )
    ballot = services.version_propose(version=v1, by=manager)
    for partner in partners.values():
        ballots.vote_cast(ballot=ballot, by=ballots.delegates(partner)[0], choice="yes")
    _backdate(pilot, v1, ballot, days=150)

    v2 = services.version_draft(alliance=pilot, by=manager)
    rules = v2.rules
    rules.scopes["charter"].veto_holders = [partners["GreenAlliance"].pk]
    services.version_update(
        version=v2,
        summary="Open pilot data; derivative algorithms stay with their developer",
        prose=PROSE_V1 + PROSE_V2_ADDITION,
        rules=rules,
    )
    services.version_propose(version=v2, by=manager, closes_at=timezone.now() + timedelta(days=6))
    return True


def _rules_v1(partners: dict[str, Partner]) -> Rules:
    return Rules(
        scopes={
            "strategy": ScopeRule(mode=Mode.CONSENSUS),
            "budget": ScopeRule(mode=Mode.SIMPLE_MAJORITY),
            "execution": ScopeRule(mode=Mode.LEAD_PARTNER, lead_partner=partners["LogiCorp"].pk),
            "membership": ScopeRule(mode=Mode.UNANIMITY),
            "charter": ScopeRule(mode=Mode.TWO_THIRDS),
        },
        weighting=Weighting.RESOURCE_SHARE,
        quorum=Decimal("0.6"),
        ladder=[
            LadderLevel("Working group", 7),
            LadderLevel("Steering committee", 10),
            LadderLevel("Executive sponsors", None),
        ],
        force_majeure="Changes in government policy, sanctions, or a regulator stopping the "
        "collection of delivery data suspend every deadline of this charter.",
        review_cadence_months=6,
    )


def _backdate(pilot: Alliance, version: CharterVersion, ballot: Ballot, *, days: int) -> None:
    adopted = timezone.now() - timedelta(days=days)
    CharterVersion.objects.filter(pk=version.pk).update(
        created_at=adopted - timedelta(days=8),
        proposed_at=adopted - timedelta(days=7),
        adopted_at=adopted,
    )
    Ballot.objects.filter(pk=ballot.pk).update(
        opens_at=adopted - timedelta(days=7), closes_at=adopted, closed_at=adopted
    )
    ballot.votes.update(cast_at=adopted - timedelta(days=2))
    ballot.vote_changes.update(at=adopted - timedelta(days=2))
    # What was said about that old ballot was read and emailed back then, not today.
    for event in ("ballot-opened", "ballot-result"):
        key = f"{event}:{ballot.pk}:"
        Notification.objects.filter(delivery_key__startswith=key).update(
            created_at=adopted, read_at=adopted
        )
        OutboundEmail.objects.filter(delivery_key__startswith=key).update(
            status=OutboundEmail.Status.SENT, sent_at=adopted, next_attempt_at=None
        )
