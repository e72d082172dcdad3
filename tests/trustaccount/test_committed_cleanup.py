"""Tests on committed data may leave ledger entries: the harness still empties the database."""

from trustaccount import ledger
from trustaccount.models import Category, TrustEntry


def test_a_committed_test_can_append_to_the_ledger(transactional_db, pilot):
    ledger.entry_record(
        alliance=pilot.alliance, by=pilot.rep, kind=TrustEntry.Kind.DEPOSIT,
        category=Category.CONTRIBUTION_ACKNOWLEDGED, actor=pilot.logicorp, idempotency_key="k",
    )  # fmt: skip
    assert TrustEntry.objects.count() == 1


def test_and_the_next_one_starts_empty(transactional_db):
    assert not TrustEntry.objects.exists()
