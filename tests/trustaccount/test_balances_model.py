"""Balances agree with a model a child could check: a state machine records deposits and
withdrawals (self-reported and acknowledged), confirmations and reversals through the
services, and after every step compares ledger.balances() with sums kept in Python."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import count

import pytest
from django.db import transaction
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

from tests.conftest import Pilot
from trustaccount import ledger
from trustaccount.models import Category, TrustEntry

PARTNERS = ["techco", "logicorp", "greenalliance"]
# Who records: TechCo's representative reports TechCo's own actions (they wait for a
# confirmation); the manager, of GreenAlliance, reports the others'.
SPEAKERS = {"techco": "rep", "logicorp": "manager", "greenalliance": "manager"}


@dataclass
class Booked:
    entry: TrustEntry
    pair: tuple[int, int | None]
    waiting: bool  # a self-report nobody has confirmed yet


@dataclass
class Model:
    entries: list[Booked] = field(default_factory=list)

    def counted(self) -> list[tuple[tuple[int, int | None], int]]:
        return [(b.pair, b.entry.points) for b in self.entries if not b.waiting]


def machine_for(pilot: Pilot) -> type[RuleBasedStateMachine]:
    keys = count()

    class LedgerMachine(RuleBasedStateMachine):
        unconfirmed = Bundle("unconfirmed")
        reversible = Bundle("reversible")

        def __init__(self) -> None:
            super().__init__()
            # One rolled-back transaction per example: each starts from an empty ledger.
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.model = Model()

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        def _record(self, kind: str, category: str, actor: str, counterpart: str | None,
                    points: int) -> Booked:  # fmt: skip
            by = getattr(pilot, SPEAKERS[actor])
            partner = getattr(pilot, actor)
            other = getattr(pilot, counterpart) if counterpart else None
            entry = ledger.entry_record(
                alliance=pilot.alliance, by=by, kind=kind, category=category, actor=partner,
                counterpart=other, points=points, idempotency_key=f"k{next(keys)}",
            )  # fmt: skip
            booked = Booked(
                entry, (partner.pk, other.pk if other else None), entry.needs_confirmation
            )
            self.model.entries.append(booked)
            return booked

        @rule(target=unconfirmed, points=st.integers(1, 10),
              counterpart=st.sampled_from(["logicorp", "greenalliance", None]))  # fmt: skip
        def self_reported_deposit(self, points: int, counterpart: str | None) -> Booked:
            booked = self._record("deposit", Category.INFORMATION_SHARED_EARLY, "techco",
                                  counterpart, points)  # fmt: skip
            assert booked.waiting
            return booked

        @rule(target=reversible, points=st.integers(1, 10),
              actor=st.sampled_from(["logicorp", "greenalliance"]),
              counterpart=st.sampled_from([*PARTNERS, None]))  # fmt: skip
        def acknowledged_deposit(self, points: int, actor: str, counterpart: str | None) -> Booked:
            if counterpart == actor:
                counterpart = None
            category = Category.CONTRIBUTION_ACKNOWLEDGED
            # The manager belongs to GreenAlliance: GreenAlliance's deposits are self-reports.
            booked = self._record("deposit", category, actor, counterpart, points)
            return booked

        @rule(target=reversible, points=st.integers(1, 10), actor=st.sampled_from(PARTNERS),
              category=st.sampled_from([Category.COMMITMENT_MISSED, Category.BREACH]))  # fmt: skip
        def withdrawal(self, points: int, actor: str, category: str) -> Booked:
            return self._record("withdrawal", category, actor, None, points)

        @rule(target=reversible, booked=consumes(unconfirmed))
        def confirm(self, booked: Booked) -> Booked:
            ledger.entry_confirm(entry=booked.entry, by=pilot.steering, partner=pilot.logicorp)
            booked.waiting = False
            return booked

        @rule(booked=consumes(reversible))
        def reverse(self, booked: Booked) -> None:
            reversal = ledger.entry_reverse(entry=booked.entry, by=pilot.manager, note="Mistake",
                                            idempotency_key=f"k{next(keys)}")  # fmt: skip
            # The reversal counts exactly when its original does.
            self.model.entries.append(Booked(reversal, booked.pair, booked.waiting))

        @invariant()
        def balances_match_the_model(self) -> None:
            found = ledger.balances(pilot.alliance)
            counted = self.model.counted()
            per_partner: Counter[int] = Counter()
            per_pair: Counter[tuple[int, int]] = Counter()
            for (actor, counterpart), points in counted:
                per_partner[actor] += points
                if counterpart is not None:
                    per_pair[(actor, counterpart)] += points
            assert found.alliance == sum(points for _pair, points in counted)
            assert {k: v for k, v in found.per_partner.items() if v} == {
                k: v for k, v in per_partner.items() if v
            }
            assert {k: v for k, v in found.per_pair.items() if v} == {
                k: v for k, v in per_pair.items() if v
            }
            assert (found.trend[-1][1] if found.trend else 0) == found.alliance

    return LedgerMachine


@pytest.mark.django_db
def test_balances_follow_a_simple_model(pilot):
    run_state_machine_as_test(
        machine_for(pilot),
        settings=settings(max_examples=50, stateful_step_count=15, deadline=None),
    )
    assert not TrustEntry.objects.exists()  # every example rolled back
