"""Balances in API v1: per partner, per pair, the monthly trend and the chain's health, in the
same number of queries for 10 entries as for 10,000."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from tests.trustaccount.ledger_data import chained
from trustaccount import ledger

from .conftest import base, bug_shared


def test_balances_count_confirmed_and_acknowledged_entries_only(api_as, pilot):
    bug_shared(pilot)  # waits for confirmation
    ledger.entry_record(
        alliance=pilot.alliance, by=pilot.manager, kind="deposit",
        category="contribution_acknowledged", actor=pilot.logicorp,
        counterpart=pilot.greenalliance, idempotency_key="thanks",
    )  # fmt: skip

    data = api_as(pilot.rep).get(base(pilot) + "balances/").json()

    assert data["alliance"] == 2
    assert data["per_partner"] == [
        {"partner": {"id": pilot.logicorp.pk, "organization": "LogiCorp"}, "points": 2}
    ]
    assert [(r["actor"]["id"], r["counterpart"]["id"], r["points"]) for r in data["per_pair"]] == [
        (pilot.logicorp.pk, pilot.greenalliance.pk, 2)
    ]
    assert [row["balance"] for row in data["trend"]] == [2]
    assert data["awaiting_confirmation"] == 1
    assert data["chain"] == {"intact": True, "broken_at": None, "reason": None}


def test_a_tampered_entry_shows_in_the_chain_status(api_as, pilot):
    chained(pilot, 5)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE trustaccount_trustentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER trustentry_no_update")
        cursor.execute("UPDATE trustaccount_trustentry SET points = 9 WHERE sequence = 3")
        chain = api_as(pilot.manager).get(base(pilot) + "balances/").json()["chain"]
        transaction.set_rollback(True)

    assert (chain["intact"], chain["broken_at"]) == (False, 3)


@pytest.mark.parametrize("size", [10, 10_000])
def test_balances_take_the_same_queries_whatever_the_size(
    api_as, pilot, size, django_assert_num_queries
):
    chained(pilot, size)
    client = api_as(pilot.steering)

    # The alliance; four sums; the partners; the waiting deposits; the chain, read once.
    with django_assert_num_queries(8):
        response = client.get(base(pilot) + "balances/")

    assert response.status_code == 200
    assert response.json()["alliance"] == 2 * size
    assert response.json()["chain"]["intact"] is True
