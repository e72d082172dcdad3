"""Commitments: kept on time a full deposit, late a smaller one; left open past the due date,
the "commitment-lapse" timer records one withdrawal however often it sweeps; the owner's
people are reminded two days ahead."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from alliances import timers
from alliances.models import Notification, NotificationKind
from trustaccount import commitments, ledger
from trustaccount.models import Commitment, TrustEntry

TODAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DUE = date(2026, 3, 6)


@pytest.fixture
def promise(pilot) -> Commitment:
    with time_machine.travel(TODAY, tick=False):
        return commitments.commitment_make(
            alliance=pilot.alliance, by=pilot.rep, owner=pilot.techco,
            beneficiary=pilot.logicorp, description="Send the API keys", due_on=DUE,
        )  # fmt: skip


def _deliver(pilot, promise, at: datetime) -> TrustEntry:
    with time_machine.travel(at, tick=False):
        return commitments.commitment_deliver(
            commitment=promise, by=pilot.steering, partner=pilot.logicorp
        )


def _sweep(name: str, at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        timers.sweep(timers.get(name), at)


def test_delivered_on_time_earns_the_full_deposit(pilot, promise):
    entry = _deliver(pilot, promise, datetime(2026, 3, 6, 17, 0, tzinfo=UTC))

    promise.refresh_from_db()
    assert promise.status == Commitment.Status.DELIVERED
    assert (entry.points, entry.actor, entry.counterpart) == (2, pilot.techco, pilot.logicorp)
    assert ledger.balances(pilot.alliance).per_partner == {pilot.techco.pk: 2}


def test_delivered_late_earns_a_smaller_deposit(pilot, promise):
    entry = _deliver(pilot, promise, datetime(2026, 3, 7, 8, 0, tzinfo=UTC))

    promise.refresh_from_db()
    assert promise.status == Commitment.Status.DELIVERED_LATE
    assert entry.points == 1


def test_only_the_beneficiary_marks_it_delivered_and_only_once(pilot, promise):
    with pytest.raises(PermissionDenied):
        commitments.commitment_deliver(commitment=promise, by=pilot.rep, partner=pilot.techco)
    _deliver(pilot, promise, TODAY)
    with pytest.raises(ValidationError):
        _deliver(pilot, promise, TODAY)
    assert TrustEntry.objects.count() == 1


def test_a_lapsed_promise_costs_one_withdrawal_however_often_the_timer_sweeps(pilot, promise):
    before_due = datetime(2026, 3, 6, 23, 0, tzinfo=UTC)
    _sweep("commitment-lapse", before_due)
    assert not TrustEntry.objects.exists()

    after = datetime(2026, 3, 7, 0, 5, tzinfo=UTC)
    for minutes in range(3):
        _sweep("commitment-lapse", after + timedelta(minutes=minutes))

    promise.refresh_from_db()
    assert promise.status == Commitment.Status.LAPSED
    (withdrawal,) = TrustEntry.objects.all()
    assert (withdrawal.kind, withdrawal.category, withdrawal.points) == (
        "withdrawal", "commitment_missed", -3,
    )  # fmt: skip
    assert ledger.balances(pilot.alliance).per_partner == {pilot.techco.pk: -3}


def test_a_delivered_promise_never_lapses(pilot, promise):
    _deliver(pilot, promise, TODAY)
    _sweep("commitment-lapse", datetime(2026, 3, 8, tzinfo=UTC))
    assert list(TrustEntry.objects.values_list("kind", flat=True)) == ["deposit"]


def test_the_owner_is_reminded_two_days_before_the_due_date_once(pilot, promise):
    _sweep("commitment-reminder", datetime(2026, 3, 3, 12, 0, tzinfo=UTC))
    assert not Notification.objects.exists()

    for hour in (0, 1):
        _sweep("commitment-reminder", datetime(2026, 3, 4, hour, 0, tzinfo=UTC))

    (reminder,) = Notification.objects.all()
    assert (reminder.recipient, reminder.kind) == (pilot.rep, NotificationKind.TRUST)
    assert "Send the API keys" in reminder.title


def test_a_promise_is_made_to_another_partner_by_a_date_to_come(pilot):
    with time_machine.travel(TODAY, tick=False):
        with pytest.raises(ValidationError):
            commitments.commitment_make(alliance=pilot.alliance, by=pilot.rep, owner=pilot.techco,
                                        beneficiary=pilot.techco, description="x", due_on=DUE)  # fmt: skip
        with pytest.raises(ValidationError):
            commitments.commitment_make(alliance=pilot.alliance, by=pilot.rep, owner=pilot.techco,
                                        beneficiary=pilot.logicorp, description="x",
                                        due_on=date(2026, 3, 1))  # fmt: skip
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(
    ("due_on", "accepted"),
    [(TODAY.date() + timedelta(days=366), True), (TODAY.date() + timedelta(days=367), False),
     (date.max, False)],
)  # fmt: skip
def test_a_commitment_is_due_within_a_year(pilot, due_on: date, accepted: bool):
    with time_machine.travel(TODAY, tick=False):
        make = lambda: commitments.commitment_make(  # noqa: E731
            alliance=pilot.alliance, by=pilot.rep, owner=pilot.techco,
            beneficiary=pilot.logicorp, description="Far off", due_on=due_on,
        )  # fmt: skip
        if accepted:
            assert make().lapse_due_at == timers.start_of_day(due_on + timedelta(days=1))
        else:
            with pytest.raises(ValidationError) as refused:
                make()
            assert "due_on" in refused.value.message_dict
            assert not Commitment.objects.exists()
