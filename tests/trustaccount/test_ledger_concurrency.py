"""Several threads append to one alliance's ledger at once, half of them replaying the same
idempotency keys: no entry twice, numbers 1..N without a gap, and an intact chain.
PostgreSQL only: SQLite serialises writers anyway."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.db import connection, connections

from tests.conftest import Pilot
from trustaccount import ledger
from trustaccount.models import Category, TrustEntry

from ..test_timer_reliability import committed_postgres  # noqa: F401

THREADS, KEYS_PER_THREAD = 8, 6


@pytest.fixture
def ledger_erased_afterwards(committed_postgres: None) -> Iterator[None]:  # noqa: F811
    yield
    # Test scaffolding only: the harness empties tables with TRUNCATE, which the database
    # refuses for a ledger holding entries (as it refuses DELETE), so lift the triggers.
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SET CONSTRAINTS ALL IMMEDIATE;"
            " ALTER TABLE trustaccount_trustentry DISABLE TRIGGER USER;"
            " DELETE FROM trustaccount_trustconfirmation;"
            " DELETE FROM trustaccount_trustentry;"
            " ALTER TABLE trustaccount_trustentry ENABLE TRIGGER USER;"
        )


def _append_all(pilot: Pilot, keys: list[str], errors: list[BaseException],
                start: threading.Barrier) -> None:  # fmt: skip
    try:
        start.wait()
        for key in keys:
            ledger.entry_record(
                alliance=pilot.alliance, by=pilot.manager, kind=TrustEntry.Kind.DEPOSIT,
                category=Category.CONTRIBUTION_ACKNOWLEDGED, actor=pilot.logicorp,
                counterpart=pilot.techco, idempotency_key=key,
            )  # fmt: skip
    except BaseException as error:
        errors.append(error)
    finally:
        connections.close_all()


def test_parallel_appends_with_replayed_keys_leave_one_gapless_intact_chain(
    ledger_erased_afterwards, pilot
):
    # Threads pair up: each pair sends the same keys, so every key arrives twice at once.
    keys = [[f"t{n // 2}-k{k}" for k in range(KEYS_PER_THREAD)] for n in range(THREADS)]
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)
    threads = [
        threading.Thread(target=_append_all, args=(pilot, mine, errors, start)) for mine in keys
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    unique = THREADS // 2 * KEYS_PER_THREAD
    entries = TrustEntry.objects.filter(alliance=pilot.alliance)
    assert sorted(entries.values_list("sequence", flat=True)) == list(range(1, unique + 1))
    assert entries.values("idempotency_key").distinct().count() == unique
    assert ledger.verify(pilot.alliance) is None
    assert connection.vendor == "postgresql"
