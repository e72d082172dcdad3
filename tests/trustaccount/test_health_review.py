"""Relational health: the "partner not contributing" advice, and the missed-commitments
condition that opens a realignment review early (once, until it passes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from alliances import health
from alliances.models import Alliance, Review, ReviewTrigger
from alliances.reviews import review_complete
from trustaccount.health import RelationalHealth

from .health_data import DAY, NOW, WITHDRAWAL, ago, confirm, log, promise, reverse, self_reported


def _advice(pilot, now=NOW):
    return RelationalHealth().advice([pilot.alliance], now).get(pilot.alliance.pk, [])


def _conditions(pilot, now=NOW):
    return RelationalHealth().review_conditions([pilot.alliance], now).get(pilot.alliance.pk, [])


# Partner not contributing ---------------------------------------------------------------


def test_a_partner_missing_commitments_without_deposits_is_shown_the_escalation_path(pilot):
    log(pilot, ago(100), actor=pilot.logicorp)  # before the last 90 days
    promise(pilot, ago(30), kept=False)  # LogiCorp's; the lapse records a withdrawal

    (advice,) = _advice(pilot)

    assert advice.key == "partner_not_contributing"
    assert advice.reason == (
        "In the last 90 days LogiCorp missed 1 commitment and had 1 withdrawal recorded, and "
        "no deposit of its own counted."
    )
    assert advice.action == (
        "On the escalations page, raise an escalation naming LogiCorp as not contributing. "
        "If the escalation path does not settle it, turn to the exit plan."
    )
    assert advice.url == f"/alliances/{pilot.alliance.pk}/escalations/"


def test_a_withdrawal_alone_is_enough(pilot):
    log(pilot, ago(10), kind=WITHDRAWAL, actor=pilot.techco)

    (advice,) = _advice(pilot)

    assert advice.reason == (
        "In the last 90 days TechCo had 1 withdrawal recorded, and no deposit of its own counted."
    )


def test_a_counted_deposit_in_the_last_90_days_is_a_contribution(pilot):
    promise(pilot, ago(30), kept=False)
    log(pilot, ago(90) + DAY / 24, actor=pilot.logicorp)  # just inside the window

    assert _advice(pilot) == []
    assert len(_advice(pilot, NOW + DAY / 24)) == 1  # an hour later it falls out


def test_a_deposit_awaiting_confirmation_is_no_contribution_yet(pilot):
    log(pilot, ago(10), kind=WITHDRAWAL, actor=pilot.techco)
    entry = self_reported(pilot, ago(5))  # TechCo's own, not yet confirmed

    assert len(_advice(pilot)) == 1
    confirm(pilot, entry, ago(1))
    assert _advice(pilot) == []


def test_a_reversed_withdrawal_no_longer_counts(pilot):
    entry = log(pilot, ago(10), kind=WITHDRAWAL, actor=pilot.techco)
    reverse(pilot, entry, ago(2))

    assert len(_advice(pilot, ago(3))) == 1
    assert _advice(pilot) == []


def test_old_misses_and_partners_who_left_are_not_named(pilot):
    promise(pilot, ago(91), kept=False)  # LogiCorp, before the last 90 days
    log(pilot, ago(10), kind=WITHDRAWAL, actor=pilot.techco)
    pilot.techco.exited_on = ago(1).date()
    pilot.techco.save(update_fields=["exited_on"])

    assert _advice(pilot) == []
    assert len(_advice(pilot, ago(2))) == 1  # before TechCo left


def test_each_partner_not_contributing_is_named(pilot):
    promise(pilot, ago(30), kept=False)
    log(pilot, ago(10), kind=WITHDRAWAL, actor=pilot.techco)

    (advice,) = _advice(pilot)

    assert "LogiCorp missed" in advice.reason
    assert "TechCo had" in advice.reason
    assert "naming LogiCorp, TechCo as not contributing" in advice.action


# Missed commitments open a review early -------------------------------------------------


def _missed(pilot, count: int) -> None:
    for n in range(count):
        promise(pilot, ago(10 + n), kept=False)


@pytest.mark.parametrize(("threshold", "missed", "fires"), [
    (2, 1, False), (2, 2, True), (2, 3, True), (1, 1, True), (0, 5, False),
])  # fmt: skip
def test_missed_commitments_call_for_a_review_at_the_alliances_threshold(
    pilot, threshold, missed, fires
):
    Alliance.objects.filter(pk=pilot.alliance.pk).update(review_when_missed_commitments=threshold)
    pilot.alliance.refresh_from_db()
    _missed(pilot, missed)
    promise(pilot, ago(5), kept=True)  # kept ones do not count

    found = _conditions(pilot)

    assert [c.key for c in found] == (["missed_commitments"] if fires else [])


def test_only_the_last_90_days_count(pilot):
    Alliance.objects.filter(pk=pilot.alliance.pk).update(review_when_missed_commitments=1)
    pilot.alliance.refresh_from_db()
    promise(pilot, ago(91), kept=False)

    assert _conditions(pilot) == []
    assert len(_conditions(pilot, NOW - DAY)) == 1


def _check(pilot, at):
    with time_machine.travel(at, tick=False):
        alliance = Alliance.objects.get(pk=pilot.alliance.pk)
        health.check_health([alliance], at)


def test_the_review_opens_once_under_repeated_sweeps_and_the_condition_clears(pilot):
    Alliance.objects.filter(pk=pilot.alliance.pk).update(review_when_missed_commitments=2)
    _missed(pilot, 2)  # due 10 and 11 days ago

    for hours in range(4):
        _check(pilot, NOW + timedelta(hours=hours))

    (trigger,) = ReviewTrigger.objects.filter(key="missed_commitments")
    assert trigger.reason == (
        "Commitments missed in the last 90 days: 2. This alliance reviews itself early from 2."
    )
    assert trigger.cleared_at is None
    assert Review.objects.filter(alliance=pilot.alliance).count() == 1
    assert trigger.review.status == Review.Status.OPEN

    # The review is held; 80 days on, the first miss is more than 90 days old: one left,
    # below the threshold. (A trigger clears only once its review is complete.)
    review_complete(
        review=trigger.review, by=pilot.manager, outcome=Review.Outcome.CONTINUE, now=NOW
    )
    passed = NOW + timedelta(days=80)
    _check(pilot, passed)
    _check(pilot, passed + timedelta(hours=1))

    trigger.refresh_from_db()
    assert trigger.cleared_at == passed
    assert ReviewTrigger.objects.filter(key="missed_commitments").count() == 1
