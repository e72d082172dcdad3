"""The trust ledger: recording, confirming, reversing, balances, and history nobody rewrites."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from alliances.models import OrganizationMembership
from trustaccount import ledger
from trustaccount.models import Category, TrustEntry

from .ledger_data import WITHDRAWAL, bypass_the_triggers, record


def test_a_replayed_key_creates_nothing_new(pilot):
    first = record(pilot, "k1")
    again = record(pilot, "k1")

    assert again == first
    assert TrustEntry.objects.count() == 1


def test_own_deposits_count_once_another_partner_confirms(pilot):
    entry = record(pilot, "bug-shared", counterpart=pilot.logicorp, note="Found a bug early")
    assert entry.needs_confirmation
    assert ledger.balances(pilot.alliance).alliance == 0

    with pytest.raises(PermissionDenied):
        ledger.entry_confirm(entry=entry, by=pilot.rep, partner=pilot.techco)
    ledger.entry_confirm(entry=entry, by=pilot.steering, partner=pilot.logicorp)

    balances = ledger.balances(pilot.alliance)
    assert balances.alliance == 3
    assert balances.per_partner == {pilot.techco.pk: 3}
    assert balances.per_pair == {(pilot.techco.pk, pilot.logicorp.pk): 3}


def test_acknowledging_another_partner_counts_at_once(pilot):
    record(pilot, "thanks", category=Category.CONTRIBUTION_ACKNOWLEDGED, actor=pilot.logicorp,
            counterpart=pilot.techco)  # fmt: skip

    assert ledger.balances(pilot.alliance).per_partner == {pilot.logicorp.pk: 2}


def test_a_withdrawal_draws_on_the_reserve(pilot):
    record(pilot, "thanks", category=Category.CONTRIBUTION_ACKNOWLEDGED, actor=pilot.logicorp)
    record(
        pilot, "late", kind=WITHDRAWAL, category=Category.COMMITMENT_MISSED, actor=pilot.logicorp
    )

    assert ledger.balances(pilot.alliance).per_partner == {pilot.logicorp.pk: -1}


def test_a_mistake_is_corrected_by_one_reversal(pilot):
    entry = record(pilot, "oops", category=Category.CONTRIBUTION_ACKNOWLEDGED, actor=pilot.logicorp)

    reversal = ledger.entry_reverse(
        entry=entry, by=pilot.manager, note="Wrong partner", idempotency_key="r1"
    )

    assert (reversal.kind, reversal.points, reversal.reverses) == ("reversal", -2, entry)
    assert ledger.balances(pilot.alliance).alliance == 0
    assert (
        ledger.entry_reverse(entry=entry, by=pilot.manager, note="x", idempotency_key="r1")
        == reversal
    )
    with pytest.raises(ValidationError):
        ledger.entry_reverse(entry=entry, by=pilot.manager, note="again", idempotency_key="r2")
    with pytest.raises(ValidationError):
        ledger.entry_reverse(entry=reversal, by=pilot.manager, note="undo", idempotency_key="r3")


def test_bad_entries_are_refused_with_reasons(pilot):
    with pytest.raises(ValidationError):
        record(pilot, "a", kind=WITHDRAWAL, category=Category.INFORMATION_SHARED_EARLY)
    with pytest.raises(ValidationError):
        record(pilot, "b", counterpart=pilot.techco)
    with pytest.raises(ValidationError):
        record(pilot, "c", occurred_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError):
        record(pilot, "d", points=0)
    assert not TrustEntry.objects.exists()


def test_the_chain_links_every_entry_and_verifies(pilot):
    entries = [record(pilot, f"k{n}", actor=pilot.logicorp, category=Category.CONTRIBUTION_ACKNOWLEDGED)
               for n in range(3)]  # fmt: skip

    assert [e.sequence for e in entries] == [1, 2, 3]
    assert entries[1].previous_hash == entries[0].hash
    assert ledger.verify(pilot.alliance) is None


@pytest.mark.parametrize("sql", [
    "UPDATE trustaccount_trustentry SET points = 50",
    "DELETE FROM trustaccount_trustentry",
])  # fmt: skip
def test_the_database_refuses_to_rewrite_history(pilot, sql):
    record(pilot, "k", actor=pilot.logicorp, category=Category.CONTRIBUTION_ACKNOWLEDGED)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)

    assert TrustEntry.objects.get().points == 2


def test_truncating_the_ledger_is_refused_on_postgresql(pilot, postgres):
    record(pilot, "k", actor=pilot.logicorp, category=Category.CONTRIBUTION_ACKNOWLEDGED)

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # settle the test's own inserts first
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("TRUNCATE trustaccount_trustentry CASCADE")

    assert TrustEntry.objects.count() == 1


def test_editing_one_stored_byte_is_detected(pilot):
    for n in range(3):
        record(pilot, f"k{n}", actor=pilot.logicorp, category=Category.CONTRIBUTION_ACKNOWLEDGED,
                note="Thanks for the quick fix")  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        bypass_the_triggers(cursor)
        cursor.execute(
            "UPDATE trustaccount_trustentry SET note = 'Thanks for the quick fiX' WHERE sequence = 2"
        )
        broken = ledger.verify(pilot.alliance)
        transaction.set_rollback(True)

    assert broken is not None
    assert broken.sequence == 2


def test_a_removed_entry_is_detected(pilot):
    for n in range(3):
        record(pilot, f"k{n}", actor=pilot.logicorp, category=Category.CONTRIBUTION_ACKNOWLEDGED)
    with transaction.atomic(), connection.cursor() as cursor:
        bypass_the_triggers(cursor)
        cursor.execute("DELETE FROM trustaccount_trustentry WHERE sequence = 2")
        broken = ledger.verify(pilot.alliance)
        transaction.set_rollback(True)

    assert broken is not None
    assert broken.sequence == 2


@pytest.mark.parametrize("size", [10, 200])
def test_balances_take_the_same_queries_whatever_the_size(pilot, size, django_assert_num_queries):
    OrganizationMembership.objects.get_or_create(
        person=pilot.steering, organization=pilot.logicorp.organization
    )
    for n in range(size):
        record(pilot, f"k{n}", actor=pilot.logicorp, counterpart=pilot.techco,
                category=Category.CONTRIBUTION_ACKNOWLEDGED)  # fmt: skip

    with django_assert_num_queries(4):
        ledger.balances(pilot.alliance)


def test_the_command_names_the_first_broken_entry(pilot):
    from django.core.management import CommandError, call_command

    for n in range(2):
        record(pilot, f"k{n}", actor=pilot.logicorp, category=Category.CONTRIBUTION_ACKNOWLEDGED)
    out = StringIO()
    call_command("verify_trust_ledger", stdout=out)
    assert "intact" in out.getvalue()

    with transaction.atomic(), connection.cursor() as cursor:
        bypass_the_triggers(cursor)
        cursor.execute("UPDATE trustaccount_trustentry SET points = 99 WHERE sequence = 1")
        out = StringIO()
        with pytest.raises(CommandError):
            call_command("verify_trust_ledger", stdout=out)
        transaction.set_rollback(True)
    assert "broken at entry 1" in out.getvalue()


def test_a_reversal_key_used_for_another_entry_is_refused(pilot):
    first = record(pilot, "a", actor=pilot.logicorp, category=Category.CONTRIBUTION_ACKNOWLEDGED)
    second = record(pilot, "b", actor=pilot.logicorp, category=Category.CONTRIBUTION_ACKNOWLEDGED)

    with pytest.raises(ValidationError):
        ledger.entry_reverse(entry=second, by=pilot.manager, note="x", idempotency_key="a")
    assert not TrustEntry.objects.filter(reverses__in=[first, second]).exists()
