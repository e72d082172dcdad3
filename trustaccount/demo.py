"""The pilot's trust history for the demo (called by ``manage.py seed_demo``).

Over the pilot's six months: a friendly kick-off check-in; TechCo shares a routing bug early and
LogiCorp confirms it; GreenAlliance and TechCo acknowledge LogiCorp's work. Then LogiCorp
misses the February data deadline: the lapse costs it trust, cushioned by what it had built
up, and a named check-in shows the partners' views apart. LogiCorp recovers: it explains the
scanner glitch early (GreenAlliance confirms), delivers the corrected data and a firmware
trial on time, and this month's check-in is good again. Assessed week by week, the
relational layer dips after the missed deadline and recovers (see ``trustaccount.health``).

Entries are appended in the order they happened, so the chain runs in time order; every
fact is dated when it happened (entries, confirmations, commitments, rounds and answers).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from alliances.management.commands.seed_demo import OTHER_NAME
from alliances.models import Alliance, Partner, Role, User

from . import checkins, commitments, ledger
from .models import (
    Category,
    CheckInAnswer,
    CheckInRound,
    CheckInSchedule,
    Commitment,
    TrustConfirmation,
    TrustEntry,
)

# Days before seeding that the missed deadline fell due (the lapse is the day after).
MISSED_DEADLINE = 64

# Each round: days ago it opened, whether anonymous, and each person's four ratings
# (openness, reliability, fairness, communication) and one thing to make it stronger.
ROUNDS = [
    # The kick-off round, five days after the pilot agreement was signed.
    (135, True, {
        "rep@techco.example": (4, 4, 4, 5, "A shared channel for incidents."),
        "steering@logicorp.example": (4, 4, 4, 4, ""),
        "steering@greenalliance.example": (5, 4, 4, 4, "Meet in person once a quarter."),
        "rep@logicorp.example": (4, 4, 5, 4, ""),
    }),
    # After the missed deadline the manager asks for named answers, to talk it through.
    (55, False, {
        "rep@techco.example": (3, 3, 3, 3, "Agree the data deadlines at the steering meeting."),
        "steering@logicorp.example": (4, 3, 4, 4, "Tell us earlier when the app changes."),
        "steering@greenalliance.example": (3, 1, 3, 2, "Warn us before a deadline slips."),
        "rep@logicorp.example": (4, 3, 4, 4, "One shared calendar of deliverables."),
    }),
    (10, True, {
        "rep@techco.example": (4, 4, 4, 4, "Keep the incident channel going."),
        "steering@logicorp.example": (4, 4, 3, 4, "Tell us earlier when the app changes."),
        "steering@greenalliance.example": (5, 4, 4, 4, ""),
        "rep@logicorp.example": (4, 4, 4, 4, "One shared calendar of deliverables."),
    }),
]  # fmt: skip


def seed(pilot: Alliance) -> bool:
    """Create the demo trust histories once; returns whether anything was created."""
    created = _seed_pilot(pilot)
    other = Alliance.objects.filter(name=OTHER_NAME).first()
    if other is not None:
        created |= _seed_packaging_coalition(other)
    return created


def _seed_pilot(pilot: Alliance) -> bool:
    if TrustEntry.objects.filter(alliance=pilot).exists():
        return False
    partners = {p.organization.name: p for p in pilot.partners.select_related("organization")}
    people = {
        person.email: person
        for person in User.objects.filter(alliance_roles__alliance=pilot).distinct()
    }
    _check_in(pilot, people, *ROUNDS[0])
    _deposits(pilot, partners, people)
    _missed_deadline(pilot, partners, people)
    _check_in(pilot, people, *ROUNDS[1])
    _recovery(pilot, partners, people)
    _check_in(pilot, people, *ROUNDS[2])
    _commitments(pilot, partners, people)
    CheckInSchedule.objects.get_or_create(
        alliance=pilot, defaults={"next_round_at": _ago(ROUNDS[2][0]) + timedelta(days=30)}
    )
    return True


def _seed_packaging_coalition(other: Alliance) -> bool:
    """The packaging coalition is a different story: Refill Network has let two promises to
    Elsewhere Packaging lapse this autumn and nobody has held a check-in. Its relational layer
    is at risk, so the first health check opens its realignment review early."""
    if TrustEntry.objects.filter(alliance=other).exists():
        return False
    partners = {p.organization.name: p for p in other.partners.select_related("organization")}
    manager = other.roles.filter(kind=Role.Kind.COALITION_MANAGER).select_related("person").first()
    if manager is None or {"Refill Network", "Elsewhere Packaging Ltd"} - set(partners):
        return False
    for description, due in (
        ("Share the refill-station footfall counts for the grocer pitch", 40),
        ("Send the deposit-return cost model to Elsewhere", 12),
    ):
        promise = _promise(
            other, manager.person, partners["Refill Network"],
            partners["Elsewhere Packaging Ltd"], description, due=due, made=due + 20,
        )  # fmt: skip
        commitments.lapse_overdue([promise], _ago(due - 1))
    return True


def _ago(days: float) -> datetime:
    return timezone.now() - timedelta(days=days)


def _deposits(pilot: Alliance, partners: dict[str, Partner], people: dict[str, User]) -> None:
    bug = ledger.entry_record(
        alliance=pilot, by=people["rep@techco.example"], kind=TrustEntry.Kind.DEPOSIT,
        category=Category.INFORMATION_SHARED_EARLY, actor=partners["TechCo"],
        counterpart=partners["LogiCorp"], occurred_at=_ago(120),
        note="Told LogiCorp about a routing bug in the tracking app before the first rounds ran.",
        idempotency_key="demo-bug-shared-early",
    )  # fmt: skip
    _confirm(bug, people["steering@logicorp.example"], partners["LogiCorp"], _ago(119))
    ledger.entry_record(
        alliance=pilot, by=people["manager@greenalliance.example"],
        kind=TrustEntry.Kind.DEPOSIT, category=Category.CONTRIBUTION_ACKNOWLEDGED,
        actor=partners["LogiCorp"], counterpart=partners["GreenAlliance"], points=4,
        occurred_at=_ago(95),
        note="Thanked LogiCorp publicly at the launch event for opening its depots to the pilot.",
        idempotency_key="demo-green-thanks-logicorp",
    )  # fmt: skip
    ledger.entry_record(
        alliance=pilot, by=people["rep@techco.example"], kind=TrustEntry.Kind.DEPOSIT,
        category=Category.CONTRIBUTION_ACKNOWLEDGED, actor=partners["LogiCorp"],
        counterpart=partners["TechCo"], occurred_at=_ago(70),
        note="LogiCorp's drivers tested the new scanner firmware over a weekend.",
        idempotency_key="demo-techco-thanks-logicorp",
    )  # fmt: skip


def _missed_deadline(
    pilot: Alliance, partners: dict[str, Partner], people: dict[str, User]
) -> None:
    """LogiCorp promised the February delivery data and did not send it: the lapse timer's
    own verb records the withdrawal, on the day after the due date."""
    promise = _promise(
        pilot, people["manager@greenalliance.example"], partners["LogiCorp"],
        partners["GreenAlliance"], "Send February's delivery data for the emissions report",
        due=MISSED_DEADLINE, made=MISSED_DEADLINE + 21,
    )  # fmt: skip
    commitments.lapse_overdue([promise], _ago(MISSED_DEADLINE - 1))


def _recovery(pilot: Alliance, partners: dict[str, Partner], people: dict[str, User]) -> None:
    """LogiCorp explains what went wrong and keeps its next promises."""
    glitch = ledger.entry_record(
        alliance=pilot, by=people["rep@logicorp.example"], kind=TrustEntry.Kind.DEPOSIT,
        category=Category.INFORMATION_SHARED_EARLY, actor=partners["LogiCorp"],
        counterpart=partners["GreenAlliance"], occurred_at=_ago(50),
        note="Explained the scanner glitch behind the missed data, with a fix plan, before "
        "anyone asked.",
        idempotency_key="demo-logicorp-explains-glitch",
    )  # fmt: skip
    _confirm(glitch, people["steering@greenalliance.example"], partners["GreenAlliance"], _ago(48))
    corrected = _promise(
        pilot, people["rep@logicorp.example"], partners["LogiCorp"], partners["GreenAlliance"],
        "Send the corrected February data", due=40, made=49,
    )  # fmt: skip
    _deliver(corrected, people["manager@greenalliance.example"], at=_ago(41))
    trial = _promise(
        pilot, people["rep@logicorp.example"], partners["LogiCorp"], partners["TechCo"],
        "Run the fixed scanner firmware on ten more vans", due=21, made=35,
    )  # fmt: skip
    _deliver(trial, people["rep@techco.example"], at=_ago(22))


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


def _promise(pilot: Alliance, by: User, owner: Partner, beneficiary: Partner, description: str,
             *, due: int, made: int) -> Commitment:  # fmt: skip
    """A commitment made ``made`` days ago and due ``due`` days ago (the service only takes
    due dates from today on, so it is made today and moved back)."""
    promise = commitments.commitment_make(
        alliance=pilot, by=by, owner=owner, beneficiary=beneficiary, description=description,
        due_on=timezone.localdate(),
    )  # fmt: skip
    Commitment.objects.filter(pk=promise.pk).update(
        due_on=timezone.localdate() - timedelta(days=due), created_at=_ago(made)
    )
    promise.refresh_from_db()
    return promise


def _deliver(promise: Commitment, by: User, *, at: datetime) -> None:
    """What ``commitments.commitment_deliver`` records, on the day it happened: the
    beneficiary marks it delivered on time and the owner earns the full deposit."""
    ledger.entry_record(
        alliance=promise.alliance, by=by, kind=TrustEntry.Kind.DEPOSIT,
        category=Category.COMMITMENT_DELIVERED, actor=promise.owner,
        counterpart=promise.beneficiary, note=promise.description, occurred_at=at,
        idempotency_key=f"commitment-delivered:{promise.pk}",
    )  # fmt: skip
    Commitment.objects.filter(pk=promise.pk).update(
        status=Commitment.Status.DELIVERED, delivered_at=at, remind_due_at=None, lapse_due_at=None
    )


def _confirm(entry: TrustEntry, by: User, partner: Partner, at: datetime) -> None:
    ledger.entry_confirm(entry=entry, by=by, partner=partner)
    TrustConfirmation.objects.filter(entry=entry).update(at=at)


def _check_in(pilot: Alliance, people: dict[str, User], days: int, anonymous: bool,
              answers: dict[str, tuple[int, int, int, int, str]]) -> None:  # fmt: skip
    """A round opened ``days`` ago, answered over the next two days; a round that would have
    closed by now is closed, so the next one may open."""
    opened = _ago(days)
    check_in = checkins.round_open(
        alliance=pilot, by=people["manager@greenalliance.example"], anonymous=anonymous
    )
    for email, (openness, reliability, fairness, communication, one_thing) in answers.items():
        checkins.answer_give(
            round=check_in, by=people[email], openness=openness, reliability=reliability,
            fairness=fairness, communication=communication, one_thing=one_thing,
        )  # fmt: skip
    CheckInRound.objects.filter(pk=check_in.pk).update(
        opened_at=opened,
        closes_on=timezone.localdate(opened + checkins.ROUND_LENGTH),
    )
    CheckInAnswer.objects.filter(round=check_in).update(answered_at=opened + timedelta(days=2))
