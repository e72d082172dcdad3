"""The pilot's trust history for the demo (called by ``manage.py seed_demo``).

TechCo shares a routing bug early and LogiCorp confirms it; GreenAlliance and TechCo
acknowledge LogiCorp's work; then LogiCorp misses a delivery deadline and the lapse costs it
trust, cushioned by what it had built up. Commitments are open and delivered, and this
month's check-in round has answers from four people. Entries are appended in the order they
happened, so the chain runs in time order.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from alliances.models import Alliance, Partner, User

from . import checkins, commitments, ledger
from .models import Category, CheckInRound, CheckInSchedule, TrustEntry


def seed(pilot: Alliance) -> bool:
    """Create the demo trust history once; returns whether anything was created."""
    if TrustEntry.objects.filter(alliance=pilot).exists():
        return False
    partners = {p.organization.name: p for p in pilot.partners.select_related("organization")}
    people = {
        person.email: person
        for person in User.objects.filter(alliance_roles__alliance=pilot).distinct()
    }
    _deposits(pilot, partners, people)
    _missed_deadline(pilot, partners, people)
    _commitments(pilot, partners, people)
    _check_in(pilot, people)
    return True


def _deposits(pilot: Alliance, partners: dict[str, Partner], people: dict[str, User]) -> None:
    now = timezone.now()
    bug = ledger.entry_record(
        alliance=pilot, by=people["rep@techco.example"], kind=TrustEntry.Kind.DEPOSIT,
        category=Category.INFORMATION_SHARED_EARLY, actor=partners["TechCo"],
        counterpart=partners["LogiCorp"], occurred_at=now - timedelta(days=120),
        note="Told LogiCorp about a routing bug in the tracking app before the first rounds ran.",
        idempotency_key="demo-bug-shared-early",
    )  # fmt: skip
    ledger.entry_confirm(
        entry=bug, by=people["steering@logicorp.example"], partner=partners["LogiCorp"]
    )
    ledger.entry_record(
        alliance=pilot, by=people["manager@greenalliance.example"],
        kind=TrustEntry.Kind.DEPOSIT, category=Category.CONTRIBUTION_ACKNOWLEDGED,
        actor=partners["LogiCorp"], counterpart=partners["GreenAlliance"], points=4,
        occurred_at=now - timedelta(days=95),
        note="Thanked LogiCorp publicly at the launch event for opening its depots to the pilot.",
        idempotency_key="demo-green-thanks-logicorp",
    )  # fmt: skip
    ledger.entry_record(
        alliance=pilot, by=people["rep@techco.example"], kind=TrustEntry.Kind.DEPOSIT,
        category=Category.CONTRIBUTION_ACKNOWLEDGED, actor=partners["LogiCorp"],
        counterpart=partners["TechCo"], occurred_at=now - timedelta(days=70),
        note="LogiCorp's drivers tested the new scanner firmware over a weekend.",
        idempotency_key="demo-techco-thanks-logicorp",
    )  # fmt: skip


def _missed_deadline(
    pilot: Alliance, partners: dict[str, Partner], people: dict[str, User]
) -> None:
    """LogiCorp promised the February delivery data and did not send it: the lapse timer's
    own verb records the withdrawal, on the day after the due date."""
    promise = commitments.commitment_make(
        alliance=pilot, by=people["manager@greenalliance.example"], owner=partners["LogiCorp"],
        beneficiary=partners["GreenAlliance"], due_on=timezone.localdate(),
        description="Send February's delivery data for the emissions report",
    )  # fmt: skip
    due = timezone.localdate() - timedelta(days=31)
    type(promise).objects.filter(pk=promise.pk).update(due_on=due)
    promise.refresh_from_db()
    commitments.lapse_overdue([promise], timezone.now() - timedelta(days=30))


def _commitments(pilot: Alliance, partners: dict[str, Partner], people: dict[str, User]) -> None:
    today = timezone.localdate()
    delivered = commitments.commitment_make(
        alliance=pilot, by=people["rep@techco.example"], owner=partners["TechCo"],
        beneficiary=partners["LogiCorp"], due_on=today + timedelta(days=2),
        description="Open the tracking API sandbox to LogiCorp's developers",
    )  # fmt: skip
    commitments.commitment_deliver(
        commitment=delivered, by=people["rep@logicorp.example"], partner=partners["LogiCorp"]
    )
    commitments.commitment_make(
        alliance=pilot, by=people["rep@logicorp.example"], owner=partners["LogiCorp"],
        beneficiary=partners["GreenAlliance"], due_on=today + timedelta(days=10),
        description="Send March's delivery data, on time this month",
    )  # fmt: skip
    commitments.commitment_make(
        alliance=pilot, by=people["manager@greenalliance.example"],
        owner=partners["GreenAlliance"], beneficiary=partners["TechCo"],
        due_on=today + timedelta(days=6),
        description="Review the methodology note before TechCo publishes it",
    )  # fmt: skip


ANSWERS = {
    "rep@techco.example": (4, 3, 4, 4, "Agree the data deadlines at the steering meeting."),
    "steering@logicorp.example": (4, 4, 3, 2, "Tell us earlier when the app changes."),
    "steering@greenalliance.example": (5, 2, 4, 3, ""),
    "rep@logicorp.example": (3, 4, 3, 3, "One shared calendar of deliverables."),
}


def _check_in(pilot: Alliance, people: dict[str, User]) -> None:
    now = timezone.now()
    check_in = checkins.round_open(alliance=pilot, by=people["manager@greenalliance.example"])
    CheckInRound.objects.filter(pk=check_in.pk).update(opened_at=now - timedelta(days=4))
    for email, (openness, reliability, fairness, communication, one_thing) in ANSWERS.items():
        checkins.answer_give(
            round=check_in, by=people[email], openness=openness, reliability=reliability,
            fairness=fairness, communication=communication, one_thing=one_thing,
        )  # fmt: skip
    CheckInSchedule.objects.get_or_create(
        alliance=pilot, defaults={"next_round_at": now + timedelta(days=26)}
    )
