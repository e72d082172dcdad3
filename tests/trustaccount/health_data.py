"""Shared by the relational health tests: trust facts recorded at chosen moments.

Each helper travels to the moment it records, so ``recorded_at``, ``created_at``,
``opened_at`` and ``answered_at`` are what they would have been; health is then assessed
"as of" a fixed NOW."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

import time_machine

from alliances.models import OrganizationMembership, Partner, Role, User
from tests.conftest import Pilot
from tests.factories import (
    AllianceFactory,
    MembershipFactory,
    PartnerFactory,
    RoleFactory,
    UserFactory,
)
from trustaccount import checkins, commitments, ledger
from trustaccount.health import RelationalHealth
from trustaccount.models import Category, CheckInRound, Commitment, TrustEntry

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
DEPOSIT, WITHDRAWAL = TrustEntry.Kind.DEPOSIT, TrustEntry.Kind.WITHDRAWAL
_keys = count()


def ago(days: float = 0, **delta: float) -> datetime:
    return NOW - timedelta(days=days, **delta)


def log(pilot: Pilot, at: datetime, *, kind: str = DEPOSIT, actor: Partner | None = None,
        by: User | None = None, points: int = 2, category: str = "") -> TrustEntry:  # fmt: skip
    """An entry that happened and was recorded at ``at``. By default the manager (of
    GreenAlliance) logs a TechCo deposit, which counts without confirmation."""
    default = Category.CONTRIBUTION_ACKNOWLEDGED if kind == DEPOSIT else Category.BREACH
    with time_machine.travel(at, tick=False):
        return ledger.entry_record(
            alliance=pilot.alliance, by=by or pilot.manager, kind=kind,
            category=category or default, actor=actor or pilot.techco, points=points,
            occurred_at=at, idempotency_key=f"health-{next(_keys)}",
        )  # fmt: skip


def self_reported(pilot: Pilot, at: datetime, points: int = 2) -> TrustEntry:
    """TechCo's representative logs a TechCo deposit: it waits for another partner."""
    return log(pilot, at, by=pilot.rep, points=points)


def confirm(pilot: Pilot, entry: TrustEntry, at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        ledger.entry_confirm(entry=entry, by=pilot.steering, partner=pilot.logicorp)


def reverse(pilot: Pilot, entry: TrustEntry, at: datetime) -> TrustEntry:
    with time_machine.travel(at, tick=False):
        return ledger.entry_reverse(
            entry=entry, by=pilot.manager, note="Logged twice", idempotency_key=f"r-{entry.pk}"
        )


def promise(pilot: Pilot, due: datetime, *, owner: Partner | None = None,
            kept: bool | None = None) -> Commitment:  # fmt: skip
    """A commitment made a week before ``due`` (a date), then delivered on the day
    (``kept``), lapsed by the timer the day after (``kept=False``), or left open."""
    owner = owner or pilot.logicorp
    beneficiary = pilot.greenalliance if owner != pilot.greenalliance else pilot.techco
    with time_machine.travel(due - 7 * DAY, tick=False):
        made = commitments.commitment_make(
            alliance=pilot.alliance, by=pilot.manager, owner=owner, beneficiary=beneficiary,
            description="Send the delivery data", due_on=due.date(),
        )  # fmt: skip
    if kept:
        people = {pilot.greenalliance: pilot.manager, pilot.techco: pilot.rep}
        with time_machine.travel(due, tick=False):
            commitments.commitment_deliver(
                commitment=made, by=people[beneficiary], partner=beneficiary
            )
    elif kept is False:
        lapse = datetime.combine(due.date() + DAY, datetime.min.time(), tzinfo=UTC)
        with time_machine.travel(lapse, tick=False):
            commitments.lapse_overdue([made], lapse)
    made.refresh_from_db()
    return made


def person_of(partner: Partner) -> User:
    person = UserFactory.create()
    OrganizationMembership.objects.create(person=person, organization=partner.organization)
    return person


def check_in(pilot: Pilot, at: datetime, answers: list[tuple[User, int]], *,
             anonymous: bool = True) -> CheckInRound:  # fmt: skip
    """A round opened at ``at`` and answered an hour later, each person giving one rating
    to all four items."""
    with time_machine.travel(at, tick=False):
        opened = checkins.round_open(alliance=pilot.alliance, by=pilot.manager, anonymous=anonymous)
    with time_machine.travel(at + timedelta(hours=1), tick=False):
        for person, rating in answers:
            checkins.answer_give(
                round=opened, by=person, openness=rating, reliability=rating, fairness=rating,
                communication=rating,
            )  # fmt: skip
    # Closed, so that a later round may open.
    CheckInRound.objects.filter(pk=opened.pk).update(closes_on=at.date())
    return opened


def signals(pilot: Pilot, now: datetime = NOW) -> dict:
    found = RelationalHealth().signals([pilot.alliance], now)[pilot.alliance.pk]
    return {signal.key: signal for signal in found}


def another_pilot(name: str) -> Pilot:
    """An alliance like the ``pilot`` fixture's, for tests that need many."""
    alliance = AllianceFactory.create(name=name)
    partners = [PartnerFactory.create(alliance=alliance) for _ in range(3)]
    people = [UserFactory.create() for _ in partners]
    for person, partner in zip(people, partners, strict=True):
        MembershipFactory.create(person=person, organization=partner.organization)
    RoleFactory.create(alliance=alliance, person=people[2], kind=Role.Kind.COALITION_MANAGER)
    techco, logicorp, green = partners
    return Pilot(alliance, techco, logicorp, green, people[2], people[0], people[1])


def with_every_kind_of_fact(pilot: Pilot) -> None:
    """Something for every query to find: counted, confirmed, reversed and waiting entries,
    kept and missed commitments, and an answered check-in."""
    log(pilot, ago(150), points=5)
    confirm(pilot, self_reported(pilot, ago(60)), ago(58))
    self_reported(pilot, ago(20))
    reverse(pilot, log(pilot, ago(40), kind=WITHDRAWAL, actor=pilot.logicorp), ago(39))
    promise(pilot, ago(30), kept=False)
    promise(pilot, ago(20), kept=True)
    check_in(pilot, ago(10), [(pilot.rep, 4), (pilot.steering, 3), (pilot.manager, 5)])
