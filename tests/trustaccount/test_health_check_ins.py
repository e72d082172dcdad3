"""Relational health: the check-in signal, within the anonymity rules of trustaccount.checkins."""

from __future__ import annotations

from datetime import timedelta

from .health_data import NOW, ago, check_in, person_of, signals


def test_no_check_in_ever_scores_low_and_asks_for_one(pilot):
    signal = signals(pilot)["check_in"]

    assert signal.score == 20
    assert signal.fact == "No trust check-in has been held yet."
    assert signal.move is not None
    assert signal.move.key == "schedule_check_in"
    assert signal.move.title == "Schedule a trust check-in"
    assert signal.move.reason == "The partners have never checked in on how they trust each other."
    assert signal.move.url == f"/alliances/{pilot.alliance.pk}/trust/check-ins/"


def test_a_round_opened_exactly_90_days_ago_is_too_old(pilot):
    old = check_in(pilot, ago(90), [(pilot.rep, 4), (pilot.steering, 4), (pilot.manager, 4)])

    signal = signals(pilot)["check_in"]

    assert signal.score == 20
    assert signal.move is not None
    day = f"{old.opened_at:%B} {old.opened_at.day}, 2026"
    assert signal.move.reason == f"The partners have not checked in on trust since {day}."
    assert signal.fact == f"No trust check-in in the last 90 days: the last was on {day}."
    assert signals(pilot, NOW - timedelta(minutes=1))["check_in"].score == 75


def test_a_round_nobody_answered_is_no_check_in(pilot):
    check_in(pilot, ago(10), [])

    assert signals(pilot)["check_in"].fact == "No trust check-in has been held yet."


def test_the_latest_round_maps_its_mean_rating_onto_0_to_100(pilot):
    check_in(pilot, ago(60), [(pilot.rep, 2), (pilot.steering, 2), (pilot.manager, 2)])
    latest = check_in(pilot, ago(20), [(pilot.rep, 5), (pilot.steering, 4), (pilot.manager, 3)])

    signal = signals(pilot)["check_in"]

    assert signal.score == 75  # a mean of 4 out of 5
    assert signal.move is None
    assert "3 answers, a mean rating of 4.0 out of 5" in signal.fact
    assert signal.url.endswith(f"/trust/check-ins/#round-{latest.pk}")
    assert signal.weight == 2


def test_answers_given_after_now_do_not_count(pilot):
    check_in(pilot, ago(20), [(pilot.rep, 5), (pilot.steering, 5), (pilot.manager, 5)])

    opened = signals(pilot, ago(20))["check_in"]  # opened, not answered yet
    assert opened.score == 50
    assert opened.fact.endswith("with no answers yet.")
    assert signals(pilot, ago(20) + timedelta(hours=1))["check_in"].score == 100


def test_an_anonymous_round_below_three_answers_shows_nothing(pilot):
    check_in(pilot, ago(60), [(pilot.rep, 5), (pilot.steering, 5), (pilot.manager, 5)])
    check_in(pilot, ago(5), [(pilot.rep, 1), (pilot.steering, 1)])

    signal = signals(pilot)["check_in"]

    assert signal.score == 100  # the latest round that shows its results
    assert "a mean rating of 5.0" in signal.fact


def test_with_no_round_to_show_the_score_is_neutral(pilot):
    check_in(pilot, ago(5), [(pilot.rep, 1), (pilot.steering, 1)])

    signal = signals(pilot)["check_in"]

    assert signal.score == 50
    assert "has 2 answers; an anonymous round shows its results from 3" in signal.fact
    assert signal.move is None


def _diverging(pilot):
    """Three TechCo people rate 5 and two LogiCorp people rate 2."""
    techco = [pilot.rep, person_of(pilot.techco), person_of(pilot.techco)]
    logicorp = [pilot.steering, person_of(pilot.logicorp)]
    return [(person, 5) for person in techco] + [(person, 2) for person in logicorp]


def test_an_anonymous_round_shows_no_divergence_unless_every_partner_has_three(pilot):
    check_in(pilot, ago(5), _diverging(pilot))

    signal = signals(pilot)["check_in"]

    assert signal.score == 70  # a mean of 3.8; LogiCorp's two answers stay hidden
    assert "differ" not in signal.fact


def test_a_named_round_takes_off_for_divergence(pilot):
    check_in(pilot, ago(5), _diverging(pilot), anonymous=False)

    signal = signals(pilot)["check_in"]

    assert signal.score == 20  # 70 - 20 * (3.0 - 0.5)
    assert "Partners' own averages differ by 3.0." in signal.fact


def test_an_anonymous_round_with_three_answers_from_every_partner_shows_divergence(pilot):
    techco = [pilot.rep, person_of(pilot.techco), person_of(pilot.techco)]
    logicorp = [pilot.steering, person_of(pilot.logicorp), person_of(pilot.logicorp)]
    answers = [(p, 4) for p in techco] + [(logicorp[0], 4), (logicorp[1], 3), (logicorp[2], 3)]
    check_in(pilot, ago(5), answers)

    signal = signals(pilot)["check_in"]

    # Mean 3.67 maps to 67; the partners' averages (4 and 3.33) differ by 0.67: 3 less.
    assert signal.score == 64
    assert "differ by 0.7" in signal.fact
