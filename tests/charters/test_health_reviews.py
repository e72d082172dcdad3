"""Early realignment reviews called for by the charters' facts: open escalations reaching the
alliance's threshold, and a partner's exit notice. Each fires once however often the
"health-checks" timer sweeps, clears when its condition passes, and one review is open at
a time. A notice opens its review at once, inside the service that records it."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from alliances import health
from alliances.models import Alliance, Review, ReviewTrigger
from alliances.reviews import review_complete
from alliances.timers import start_of_day
from charters import exits
from charters.health import OperationalHealth
from charters.models import Escalation, ExitNotice
from tests.factories import AllianceFactory, PartnerFactory

SECOND, HOUR, DAY = timedelta(seconds=1), timedelta(hours=1), timedelta(days=1)


@pytest.fixture
def only_operational() -> Iterator[None]:
    """Sweep with this source alone, so that other layers' conditions stay out of the count."""
    kept = list(health._sources)
    health._sources[:] = [s for s in kept if isinstance(s, OperationalHealth)]
    yield
    health._sources[:] = kept


def _utc_today():
    """Exits take effect at the start of their day in UTC."""
    return timezone.now().astimezone(UTC).date()


def _open_escalation(alliance, raised=None):
    return Escalation.objects.create(
        alliance=alliance, title="Dispute", description="d", scope="budget",
        ladder_json=[{"name": "Working group", "days": 7}, {"name": "Sponsors", "days": None}],
        raised_at=raised or timezone.now() - DAY,
    )  # fmt: skip


def _conditions(alliance, now=None):
    alliance.refresh_from_db()
    found = OperationalHealth().review_conditions([alliance], now or timezone.now())
    return {condition.key: condition for condition in found[alliance.pk]}


def _sweep(alliance, now=None):
    alliance.refresh_from_db()
    health.check_health([alliance], now or timezone.now())


def _threshold(alliance, n):
    Alliance.objects.filter(pk=alliance.pk).update(review_when_open_escalations=n)


def _triggers(alliance, key):
    return ReviewTrigger.objects.filter(alliance=alliance, key=key)


def _open_reviews(alliance):
    return Review.objects.filter(alliance=alliance, status=Review.Status.OPEN)


# Open escalations ---------------------------------------------------------------------------


@pytest.mark.parametrize(("open_now", "fires"), [(1, False), (2, True), (3, True)])
def test_open_escalations_call_for_a_review_from_the_threshold(pilot, open_now, fires):
    _threshold(pilot.alliance, 2)
    for _ in range(open_now):
        _open_escalation(pilot.alliance)

    conditions = _conditions(pilot.alliance)

    assert ("escalations" in conditions) is fires
    if fires:
        assert str(conditions["escalations"].reason) == (
            f"Escalations open: {open_now}. This alliance reviews itself early from 2."
        )


def test_a_threshold_of_zero_never_calls_for_a_review(pilot):
    _threshold(pilot.alliance, 0)
    for _ in range(5):
        _open_escalation(pilot.alliance)

    assert "escalations" not in _conditions(pilot.alliance)


def test_escalations_count_as_they_stood_at_the_moment(pilot):
    _threshold(pilot.alliance, 1)
    now = timezone.now()
    later = _open_escalation(pilot.alliance, raised=now + DAY)
    assert "escalations" not in _conditions(pilot.alliance, now)

    Escalation.objects.filter(pk=later.pk).update(
        raised_at=now - DAY, status=Escalation.Status.RESOLVED, closed_at=now + DAY
    )
    assert "escalations" in _conditions(pilot.alliance, now)
    assert "escalations" not in _conditions(pilot.alliance, now + DAY)


def test_repeated_sweeps_open_one_review_once_and_it_clears_when_escalations_close(
    pilot, only_operational
):
    _threshold(pilot.alliance, 2)
    first, _second = _open_escalation(pilot.alliance), _open_escalation(pilot.alliance)

    for _ in range(3):
        _sweep(pilot.alliance)

    trigger = _triggers(pilot.alliance, "escalations").get()
    assert trigger.cleared_at is None
    assert "Escalations open: 2." in trigger.reason
    review = _open_reviews(pilot.alliance).get()
    assert trigger.review == review
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.stage == Alliance.Stage.UNDER_REVIEW

    Escalation.objects.filter(pk=first.pk).update(
        status=Escalation.Status.RESOLVED, closed_at=timezone.now()
    )
    _sweep(pilot.alliance)  # passed, but its review is still under way: it holds
    trigger.refresh_from_db()
    assert trigger.cleared_at is None
    _open_escalation(pilot.alliance)  # back over the threshold during the review: no refire
    _sweep(pilot.alliance)
    assert _triggers(pilot.alliance, "escalations").count() == 1

    review_complete(review=review, by=pilot.manager, outcome=Review.Outcome.CONTINUE)
    Escalation.objects.filter(pk=_second.pk).update(
        status=Escalation.Status.RESOLVED, closed_at=timezone.now()
    )
    _sweep(pilot.alliance)  # passed with its review complete: cleared
    trigger.refresh_from_db()
    assert trigger.cleared_at is not None

    _open_escalation(pilot.alliance)  # the condition holds again: it may fire again
    _sweep(pilot.alliance)
    _sweep(pilot.alliance)
    assert _triggers(pilot.alliance, "escalations").filter(cleared_at__isnull=True).count() == 1
    assert _open_reviews(pilot.alliance).count() == 1  # one review at a time


# Exit notices -------------------------------------------------------------------------------


@pytest.fixture
def plan(pilot):
    return exits.exit_plan_save(alliance=pilot.alliance, by=pilot.manager, notice_period_days=60)


def _give(pilot, given_on=None):
    return exits.exit_notice_give(
        partner=pilot.logicorp, by=pilot.steering, reason="New strategy", given_on=given_on
    )


def test_giving_notice_opens_a_review_at_once_with_the_reason(pilot, plan):
    notice = _give(pilot)

    trigger = _triggers(pilot.alliance, f"notice:{notice.pk}").get()
    review = _open_reviews(pilot.alliance).get()
    assert trigger.review == review
    assert review.reason == trigger.reason
    assert trigger.reason.startswith("LogiCorp gave notice on ")
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.stage == Alliance.Stage.UNDER_REVIEW


def test_later_sweeps_open_nothing_more_for_the_notice(pilot, plan, only_operational):
    notice = _give(pilot)
    reviews = Review.objects.filter(alliance=pilot.alliance).count()

    for _ in range(3):
        _sweep(pilot.alliance)

    assert _triggers(pilot.alliance, f"notice:{notice.pk}").count() == 1
    assert Review.objects.filter(alliance=pilot.alliance).count() == reviews


def test_a_second_condition_joins_the_review_already_open(pilot, plan, only_operational):
    _give(pilot)
    _threshold(pilot.alliance, 1)
    _open_escalation(pilot.alliance)

    _sweep(pilot.alliance)

    review = _open_reviews(pilot.alliance).get()
    assert set(review.triggers.values_list("key", flat=True)) == {
        f"notice:{ExitNotice.objects.get().pk}",
        "escalations",
    }


def test_a_withdrawn_notice_clears_its_trigger(pilot, plan, only_operational):
    notice = _give(pilot)
    exits.exit_notice_withdraw(notice=notice)

    assert _conditions(pilot.alliance) == {}
    review = Review.objects.get(alliance=pilot.alliance, status=Review.Status.OPEN)
    review_complete(review=review, by=pilot.manager, outcome=Review.Outcome.CONTINUE)
    _sweep(pilot.alliance)  # clears once the review it called for is complete
    assert _triggers(pilot.alliance, f"notice:{notice.pk}").get().cleared_at is not None


@pytest.mark.parametrize(
    ("given", "pending"),
    # Days from today (UTC); 60 days' notice. A notice dated tomorrow may have been given
    # today in a time zone ahead of UTC.
    [(-59, True), (0, True), (1, True), (2, False), (-60, False)],
)
def test_a_notice_calls_for_a_review_from_its_day_until_it_takes_effect(
    pilot, plan, given, pending
):
    today = _utc_today()
    notice = ExitNotice.objects.create(
        alliance=pilot.alliance, partner=pilot.logicorp, reason="r",
        given_on=today + timedelta(days=given), effective_on=today + timedelta(days=given + 60),
    )  # fmt: skip

    assert (f"notice:{notice.pk}" in _conditions(pilot.alliance)) is pending


def test_an_effective_notice_no_longer_calls_for_a_review(pilot, plan):
    notice = _give(pilot, given_on=_utc_today() - timedelta(days=60))  # effective today
    ExitNotice.objects.filter(pk=notice.pk).update(status=ExitNotice.Status.EFFECTIVE)

    assert not ReviewTrigger.objects.exists()  # given too late to open anything
    assert _conditions(pilot.alliance) == {}
    assert f"notice:{notice.pk}" in _conditions(pilot.alliance, timezone.now() - DAY)


NOON = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # 2 June, 2 a.m. in Kiritimati (UTC+14)


def test_a_notice_given_ahead_of_utc_opens_one_review_at_once_that_no_sweep_clears(
    pilot, plan, only_operational
):
    with time_machine.travel(NOON, tick=False), timezone.override("Pacific/Kiritimati"):
        notice = _give(pilot)
    assert notice.given_on == date(2026, 6, 2)  # the giver's date, a day ahead of UTC's
    key = f"notice:{notice.pk}"

    trigger = _triggers(pilot.alliance, key).get()
    assert trigger.fired_at == NOON
    review = _open_reviews(pilot.alliance).get()
    with time_machine.travel(NOON + HOUR, tick=False):
        review_complete(review=review, by=pilot.manager, outcome=Review.Outcome.CONTINUE)
    leaving = start_of_day(notice.effective_on)
    for moment in (NOON + HOUR, start_of_day(NOON.date() + DAY) - SECOND,
                   start_of_day(NOON.date() + DAY), NOON + 30 * DAY, leaving - SECOND):  # fmt: skip
        with time_machine.travel(moment, tick=False):
            _sweep(pilot.alliance, moment)

    trigger.refresh_from_db()
    assert trigger.cleared_at is None  # the notice still runs: its condition has held all along
    with time_machine.travel(leaving, tick=False):
        _sweep(pilot.alliance, leaving)
    trigger.refresh_from_db()
    assert trigger.cleared_at == leaving  # effective: the condition has passed
    assert _triggers(pilot.alliance, key).count() == 1


@pytest.mark.parametrize("stage", [Alliance.Stage.FORMING, Alliance.Stage.EXITING])
def test_no_early_review_while_the_alliance_is_not_running(pilot, plan, stage):
    Alliance.objects.filter(pk=pilot.alliance.pk).update(stage=stage)

    _give(pilot)

    assert not ReviewTrigger.objects.exists()
    assert not _open_reviews(pilot.alliance).exists()


def test_during_a_force_majeure_pause_the_review_waits_for_the_resumption(
    pilot, plan, only_operational
):
    Alliance.objects.filter(pk=pilot.alliance.pk).update(paused_at=timezone.now())
    notice = _give(pilot)
    _sweep(pilot.alliance)
    assert not ReviewTrigger.objects.exists()

    Alliance.objects.filter(pk=pilot.alliance.pk).update(paused_at=None)
    _sweep(pilot.alliance)

    assert _triggers(pilot.alliance, f"notice:{notice.pk}").count() == 1
    assert _open_reviews(pilot.alliance).count() == 1


# In bulk ------------------------------------------------------------------------------------


def test_conditions_take_the_same_queries_for_one_alliance_or_ten(
    pilot, plan, django_assert_num_queries
):
    def busy(alliance):
        alliance.review_when_open_escalations = 1
        alliance.save()
        _open_escalation(alliance)
        partner = PartnerFactory.create(alliance=alliance)
        ExitNotice.objects.create(
            alliance=alliance, partner=partner, reason="r", given_on=_utc_today(),
            effective_on=_utc_today() + timedelta(days=30),
        )  # fmt: skip

    busy(pilot.alliance)
    source = OperationalHealth()
    alliances = [pilot.alliance]
    with django_assert_num_queries(2):
        source.review_conditions(alliances, timezone.now())
    for _ in range(9):
        alliance = AllianceFactory.create()
        busy(alliance)
        alliances.append(alliance)
    with django_assert_num_queries(2):
        found = source.review_conditions(alliances, timezone.now())
    assert all(len(conditions) == 2 for conditions in found.values())
