"""The pilot's charter, dispute and exit plan for the demo (called by ``manage.py seed_demo``).

Version 1 is adopted through a real ballot; the data-ownership dispute outlasts the working
group's seven days, climbs to the steering committee at that deadline and is settled by its
vote (so the operational layer of the pilot's health is on watch); version 2, which writes
that decision into the charter, is out for a vote. The organisations' decision cultures
differ: the pilot's charter already decides in the hybrid way that suits them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from alliances.models import (
    Alliance,
    Notification,
    Organization,
    OutboundEmail,
    Partner,
    Role,
)

from . import ballots, escalations, exits, services
from .models import Ballot, Charter, CharterVersion, Escalation
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


# How each demo organisation decides. The pilot's charter already has the hybrid mode the
# guide advises for mixed cultures; the packaging coalition has no charter yet, so it is
# advised to agree on one.
DECISION_CULTURES = {
    "TechCo": Organization.DecisionCulture.HIERARCHICAL,
    "LogiCorp": Organization.DecisionCulture.DELEGATED,
    "GreenAlliance": Organization.DecisionCulture.CONSENSUS,
    "Elsewhere Packaging Ltd": Organization.DecisionCulture.HIERARCHICAL,
    "Refill Network": Organization.DecisionCulture.CONSENSUS,
}


def seed(pilot: Alliance) -> bool:
    """Create the demo charter once; returns whether anything was created."""
    created = _decision_cultures()
    if Charter.objects.filter(alliance=pilot).exists():
        return created
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

    _data_ownership_dispute(pilot, partners)
    _exit_plan(pilot, partners, manager)

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


def _decision_cultures() -> bool:
    """Record the demo organisations' decision cultures, unless already recorded."""
    changed = 0
    for name, culture in DECISION_CULTURES.items():
        changed += Organization.objects.filter(name=name, decision_culture="").update(
            decision_culture=culture
        )
    return bool(changed)


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
    _quiet_history([f"ballot-opened:{ballot.pk}:", f"ballot-result:{ballot.pk}:"], adopted)


def _quiet_history(key_prefixes: list[str], at: datetime) -> None:
    """Messages about demo events in the past were read and emailed back then, not today."""
    for key in key_prefixes:
        Notification.objects.filter(delivery_key__startswith=key).update(created_at=at, read_at=at)
        OutboundEmail.objects.filter(delivery_key__startswith=key).update(
            status=OutboundEmail.Status.SENT, sent_at=at, next_attempt_at=None
        )


def _data_ownership_dispute(pilot: Alliance, partners: dict[str, Partner]) -> None:
    """Raised by the nonprofit, taken to the steering committee, settled by its vote."""
    rep = ballots.delegates(partners["GreenAlliance"])[0]
    escalation = escalations.escalation_raise(
        alliance=pilot, by=rep, scope="strategy",
        title="Who owns the pilot's delivery data?",
        description="TechCo asked for exclusive rights to the raw data; GreenAlliance needs "
        "it public to keep the results credible.",
        partners=[partners["TechCo"], partners["GreenAlliance"]],
    )  # fmt: skip
    resolution = "Pilot data stays open; TechCo keeps the rights to derivative algorithms"
    escalations.escalation_propose(escalation=escalation, by=rep, text=resolution)
    # The working group's seven days ran out: the deadline sweep took it to the committee.
    escalations.climb_overdue([escalation], timezone.now())
    escalation.refresh_from_db()
    assert escalation.ballot is not None
    for partner in partners.values():
        ballots.vote_cast(
            ballot=escalation.ballot, by=ballots.delegates(partner)[0], choice=resolution
        )
    raised = timezone.now() - timedelta(days=60)
    offsets = {"raised": 0, "proposal": 1, "climbed": 7, "ballot": 7, "resolved": 12}
    for event in escalation.events.all():
        event.at = raised + timedelta(days=offsets.get(event.kind, 12))
        event.save(update_fields=["at"])
    Escalation.objects.filter(pk=escalation.pk).update(
        raised_at=raised,
        closed_at=raised + timedelta(days=12),
        climb_due_at=None,
        level_deadline=raised + timedelta(days=17),
    )
    Ballot.objects.filter(escalation=escalation).update(
        opens_at=raised + timedelta(days=7), closes_at=raised + timedelta(days=17),
        closed_at=raised + timedelta(days=12),
    )  # fmt: skip
    _quiet_history(
        [
            "escalation-",
            f"ballot-opened:{escalation.ballot_id}:",
            f"ballot-result:{escalation.ballot_id}:",
        ],
        raised + timedelta(days=12),
    )


def _exit_plan(pilot: Alliance, partners: dict[str, Partner], manager: Any) -> None:
    plan = exits.exit_plan_save(
        alliance=pilot,
        by=manager,
        notice_period_days=90,
        non_disparagement="Partners do not criticise each other in public about the pilot, "
        "during it and for two years after a partner leaves.",
        data_terms="Raw delivery data goes back to LogiCorp within 30 days of an exit; the "
        "published open dataset stays public.",
        transition_obligations="Hand over the open support tickets\n"
        "Brief the remaining partners on the work in progress",
    )
    for name, owner, rule, allocation in (
        ("Tracking platform", "TechCo", "Stays with TechCo; the pilot's licence ends on exit",
         "TechCo"),
        ("Delivery data", "LogiCorp", "Raw data returns to LogiCorp; the open dataset stays "
         "public", "LogiCorp (raw), public (open dataset)"),
        ("Grant funds", "GreenAlliance", "Unspent funds return to the funder in proportion",
         "The funder"),
    ):  # fmt: skip
        exits.shared_asset_add(plan=plan, name=name, contributed_by=partners[owner],
                               division_rule=rule, allocation_on_exit=allocation)  # fmt: skip
