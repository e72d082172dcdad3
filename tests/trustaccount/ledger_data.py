"""Ledgers of any size for tests: correctly chained entries written in one bulk insert."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.conftest import Pilot
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
