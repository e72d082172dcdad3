"""Shared by the trust tests: ledgers of any size (chained in one bulk insert), recording
entries, and tampering the way a database user could."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from tests.conftest import Pilot
from trustaccount import ledger
from trustaccount.ledger import GENESIS, content_hash
from trustaccount.models import Category, TrustEntry


def chained(pilot: Pilot, count: int) -> list[TrustEntry]:
    """``count`` acknowledgements, alternating between partners and spread over two years,
    chained exactly as ledger.entry_record chains them."""
    now = timezone.now()
    pairs = [(pilot.logicorp, pilot.techco), (pilot.greenalliance, pilot.logicorp),
             (pilot.techco, pilot.greenalliance)]  # fmt: skip
    entries, previous = [], GENESIS
    for n in range(1, count + 1):
        actor, counterpart = pairs[n % len(pairs)]
        entry = TrustEntry(
            alliance=pilot.alliance, sequence=n, kind=TrustEntry.Kind.DEPOSIT,
            category=Category.CONTRIBUTION_ACKNOWLEDGED, points=2, actor=actor,
            counterpart=counterpart, note=f"Thanks #{n}",
            occurred_at=now - timedelta(days=730) + timedelta(days=730) * n / (count + 1),
            recorded_by=pilot.manager, recorded_at=now, idempotency_key=f"bulk-{n}",
            previous_hash=previous,
        )  # fmt: skip
        entry.hash = previous = content_hash(entry)
        entries.append(entry)
    return TrustEntry.objects.bulk_create(entries, batch_size=2000)


DEPOSIT, WITHDRAWAL = TrustEntry.Kind.DEPOSIT, TrustEntry.Kind.WITHDRAWAL


def record(pilot, key, *, by=None, kind=DEPOSIT, category=Category.INFORMATION_SHARED_EARLY,
            actor=None, counterpart=None, **fields):  # fmt: skip
    return ledger.entry_record(
        alliance=pilot.alliance, by=by or pilot.rep, kind=kind, category=category,
        actor=actor or pilot.techco, counterpart=counterpart, idempotency_key=key, **fields,
    )  # fmt: skip


def bypass_the_triggers(cursor):
    """What a determined database user could do; the verification must still notice."""
    if connection.vendor == "postgresql":
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # settle the test's own inserts first
        cursor.execute("ALTER TABLE trustaccount_trustentry DISABLE TRIGGER USER")
    else:
        cursor.execute("DROP TRIGGER trustentry_no_update")
        cursor.execute("DROP TRIGGER trustentry_no_delete")
