"""Relational health (trustaccount.health): each signal's rule at its boundaries, counted as
the facts stood at the moment assessed."""

from __future__ import annotations

import pytest

from alliances import health
from alliances.health import Layer
from trustaccount.health import Round, Trend, balance_score, check_in_score

from .health_data import (
    DAY,
    NOW,
    WITHDRAWAL,
    ago,
    confirm,
    log,
    promise,
    reverse,
    self_reported,
    signals,
)

# Trust balance ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trend", "score"),
    [
        (Trend(1, 0, 0), 80),  # positive, unchanged
        (Trend(0, 0, 0), 60),  # nothing yet
        (Trend(-1, 0, 0), 30),  # negative, unchanged
        (Trend(5, -1, 0), 50),  # positive but falling: 80 - 30
        (Trend(-5, -1, 0), 0),  # negative and falling: 30 - 30
        (Trend(5, 1, 0), 100),  # rising faster than before: 80 + 20
        (Trend(5, 3, 3), 100),  # rising as fast as before
        (Trend(5, 2, 3), 80),  # rising, but slower than before
        (Trend(0, 0, -4), 60),  # no change is no rise
        (Trend(-1, 1, 0), 50),  # recovering from below zero: 30 + 20
    ],
)
def test_balance_score_follows_sign_and_trend(trend, score):
    assert balance_score(trend) == score


def test_the_balance_counts_only_what_had_happened_by_now(pilot):
    log(pilot, ago(200), points=4)
    log(pilot, ago(90), points=3)  # exactly 90 days ago: the earlier window
    log(pilot, ago(90) + DAY / 24, points=2)  # just inside the last 90 days
    log(pilot, ago(-1), points=50)  # after now

    signal = signals(pilot)["trust_balance"]

    assert signal.layer == Layer.RELATIONAL
    assert "9 points: +2 over the last 90 days, +3 over the 90 days before" in signal.fact
    assert signal.score == 80  # positive; the rise (+2) is smaller than before (+3)
    assert signal.url.endswith(f"/alliances/{pilot.alliance.pk}/trust/#trend")
    assert signal.weight == 2


def test_a_withdrawal_in_the_last_90_days_costs_thirty(pilot):
    log(pilot, ago(120), points=9)
    log(pilot, ago(10), kind=WITHDRAWAL, points=3)

    signal = signals(pilot)["trust_balance"]

    assert "6 points: -3 over the last 90 days, +9 over the 90 days before" in signal.fact
    assert signal.score == 50


def test_a_self_reported_deposit_counts_from_its_confirmation(pilot):
    entry = self_reported(pilot, ago(30), points=5)
    confirm(pilot, entry, ago(20))

    assert signals(pilot, ago(21))["trust_balance"].score == 60  # not confirmed yet
    assert signals(pilot, ago(20))["trust_balance"].score == 100


def test_a_reversal_counts_from_its_own_moment(pilot):
    entry = log(pilot, ago(120), points=5)
    reverse(pilot, entry, ago(10))

    assert signals(pilot, ago(11))["trust_balance"].score == 80  # +5, nothing in 90 days
    assert signals(pilot)["trust_balance"].score == 30  # 0 - 30: the balance fell to zero


# Confirmed deposits ---------------------------------------------------------------------


def test_no_self_reported_deposit_does_not_count(pilot):
    log(pilot, ago(5))  # logged by another partner: counts at once, nothing to confirm

    signal = signals(pilot)["confirmed_deposits"]

    assert signal.weight == 0
    assert "No partner logged a deposit about itself" in signal.fact
    assert signal.url.endswith("/trust/ledger/?kind=deposit")


def test_share_of_self_reported_deposits_confirmed(pilot):
    for days in (80, 60, 40):
        confirm(pilot, self_reported(pilot, ago(days)), ago(days - 2))
    self_reported(pilot, ago(14))  # waiting exactly 14 days: counts against

    signal = signals(pilot)["confirmed_deposits"]

    assert signal.score == 75
    assert "3 of 4 deposits" in signal.fact
    assert "1 has waited more than 14 days." in signal.fact
    assert signal.weight == 1


def test_a_deposit_waiting_less_than_fourteen_days_is_not_held_against(pilot):
    confirm(pilot, self_reported(pilot, ago(30)), ago(29))
    self_reported(pilot, ago(14) + DAY / 24)

    assert signals(pilot)["confirmed_deposits"].score == 100


def test_only_waiting_deposits_do_not_count_yet(pilot):
    self_reported(pilot, ago(3))

    signal = signals(pilot)["confirmed_deposits"]

    assert signal.weight == 0
    assert "waiting for confirmation" in signal.fact


def test_confirmed_deposits_as_of_now(pilot):
    late = self_reported(pilot, ago(40))
    confirm(pilot, late, ago(-1))  # confirmed after now
    old = self_reported(pilot, ago(90))  # exactly 90 days ago: outside the window
    confirm(pilot, old, ago(89))
    reversed_one = self_reported(pilot, ago(50))
    reverse(pilot, reversed_one, ago(45))

    signal = signals(pilot)["confirmed_deposits"]

    assert signal.score == 0  # the one left has waited 40 days
    assert signal.fact == (
        "0 of 1 deposit partners logged about themselves in the last 90 days is confirmed. "
        "1 has waited more than 14 days."
    )


# Missed commitments ---------------------------------------------------------------------


def test_no_commitment_due_does_not_count(pilot):
    promise(pilot, NOW)  # due today: not yet due
    promise(pilot, ago(91), kept=False)  # before the window

    signal = signals(pilot)["missed_commitments"]

    assert signal.weight == 0
    assert signal.fact == "No commitment fell due in the last 90 days."


def test_share_of_commitments_due_in_the_last_90_days_that_were_kept(pilot):
    promise(pilot, ago(90), kept=False)  # due 90 days before today: in the window
    promise(pilot, ago(1), kept=True)  # due yesterday
    promise(pilot, ago(30), kept=True)
    promise(pilot, ago(60), kept=True)
    promise(pilot, NOW, kept=True)  # due today, delivered early: not due yet

    signal = signals(pilot)["missed_commitments"]

    assert signal.score == 75
    assert signal.fact == "1 of 4 commitments due in the last 90 days were missed."
    assert signal.url.endswith("/trust/commitments/#settled")
    assert signal.weight == 2


def test_every_commitment_missed_scores_zero(pilot):
    promise(pilot, ago(2), kept=False)

    assert signals(pilot)["missed_commitments"].score == 0
    # The day the commitment was due, it had not fallen due yet.
    assert signals(pilot, ago(2))["missed_commitments"].weight == 0


def test_commitments_made_after_now_do_not_count(pilot):
    promise(pilot, ago(-10), kept=True)  # made 3 days from now, due in 10 days

    assert signals(pilot, NOW + 20 * DAY)["missed_commitments"].score == 100
    assert signals(pilot)["missed_commitments"].weight == 0


# The relational layer -------------------------------------------------------------------


def test_the_layer_is_the_weighted_mean_of_its_signals(pilot):
    log(pilot, ago(10), points=5)
    promise(pilot, ago(20), kept=False)  # its lapse withdraws 3: balance +2, scoring 100
    # missed commitments 0, weight 2
    # no check-in: 20, weight 2; no self-reported deposit: weight 0

    layer = health.assess(pilot.alliance, NOW).layer(Layer.RELATIONAL)

    assert layer.score == 40  # (2*100 + 2*0 + 2*20) / 6
    assert layer.state == "watch"


@pytest.mark.parametrize(
    ("shown", "score"),
    [
        (Round(1, NOW, 3, 5.0, None), 100),
        (Round(1, NOW, 3, 1.0, None), 0),
        (Round(1, NOW, 3, 3.0, None), 50),
        (Round(1, NOW, 3, 3.0, 0.5), 50),  # half a point apart costs nothing
        (Round(1, NOW, 3, 3.0, 0.75), 45),  # a quarter beyond costs 5
        (Round(1, NOW, 3, 3.0, 2.5), 10),
        (Round(1, NOW, 3, 1.5, 4.0), 0),  # never below zero
        (Round(1, NOW, 2, None, None), 50),  # too few answers to show
    ],
)
def test_check_in_score_maps_the_mean_and_takes_off_for_divergence(shown, score):
    assert check_in_score(shown) == score
