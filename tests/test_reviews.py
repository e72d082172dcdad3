"""Realignment reviews on their cadence, and the reminders the timer sends for them."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from alliances import reviews, timers
from alliances.models import (
    Alliance,
    Notification,
    NotificationKind,
    OutboundEmail,
    Review,
    Role,
    add_months,
)
from alliances.notifications import preferences_set

from .factories import AllianceFactory, UserFactory

START = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
REMINDERS = timers.get("review-reminders")


@pytest.fixture
def activated(pilot):
    """The pilot, made active on START: its first review is scheduled a cadence later."""
    with time_machine.travel(START, tick=False):
        pilot.alliance.stage = Alliance.Stage.FORMING
        pilot.alliance.save()
        pilot.alliance.move_to(Alliance.Stage.ACTIVE, by=pilot.manager)
    return pilot


def _review(pilot) -> Review:
    return Review.objects.get(alliance=pilot.alliance, status__in=["scheduled", "open"])


def _sweep_at(moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return timers.sweep(REMINDERS, timezone.now())


def _reminded() -> list[str]:
    return sorted(
        Notification.objects.filter(kind=NotificationKind.REVIEW_REMINDER).values_list(
            "recipient__email", flat=True
        )
    )


def test_becoming_active_schedules_a_review_a_cadence_later(activated):
    review = _review(activated)

    assert review.status == Review.Status.SCHEDULED
    assert review.due_at == add_months(START, 12)
    assert review.next_reminder_at == review.due_at - timedelta(days=30)


def test_fast_markets_default_to_quarterly_reviews(db):
    from alliances import services

    alliance = services.alliance_create(
        by=UserFactory(), name="Fashion drop", purpose="x", form="informal", market_pace="fast"
    )
    assert alliance.review_cadence_months == 3


def test_a_reminder_goes_to_managers_and_representatives_once(activated):
    due = _review(activated).due_at

    assert _sweep_at(due - timedelta(days=30)) == 1
    assert _sweep_at(due - timedelta(days=30)) == 0  # the same sweep again sends nothing

    assert _reminded() == ["manager@greenalliance.example", "rep@techco.example"]
    assert OutboundEmail.objects.count() == 2


def test_nothing_is_sent_before_the_moment(activated):
    due = _review(activated).due_at

    assert _sweep_at(due - timedelta(days=31)) == 0
    assert _reminded() == []


def test_reminders_at_30_7_and_1_days_and_when_due(activated):
    due = _review(activated).due_at
    for lead in (30, 7, 1, 0):
        _sweep_at(due - timedelta(days=lead))

    keys = Notification.objects.filter(recipient=activated.manager).values_list(
        "delivery_key", flat=True
    )
    reminder_keys = [k for k in keys if k.startswith("review-reminder")]
    assert len(reminder_keys) == 4
    assert _review(activated).next_reminder_at is None


def test_a_late_sweep_sends_only_the_latest_reminder(activated):
    due = _review(activated).due_at

    _sweep_at(due - timedelta(days=2))  # the 30- and 7-day moments passed while nobody swept

    assert len(_reminded()) == 2  # one per person, not three
    assert _review(activated).next_reminder_at == due - timedelta(days=1)


def test_the_due_date_opens_the_review_and_puts_the_alliance_under_review(activated):
    due = _review(activated).due_at

    _sweep_at(due)

    review = _review(activated)
    assert review.status == Review.Status.OPEN
    assert review.opened_by is None
    activated.alliance.refresh_from_db()
    assert activated.alliance.stage == Alliance.Stage.UNDER_REVIEW


def test_partners_that_recorded_their_fit_are_not_reminded(activated):
    review = _review(activated)
    with time_machine.travel(review.due_at - timedelta(days=10), tick=False):
        reviews.review_open(review=review, by=activated.manager)
        reviews.review_record_fit(
            review=review, partner=activated.techco, by=activated.rep, fit=4, comments="Still core"
        )

    _sweep_at(review.due_at - timedelta(days=7))

    assert _reminded() == ["manager@greenalliance.example"]


def test_email_can_be_turned_off_per_kind(activated):
    preferences_set(person=activated.rep, email_by_kind={NotificationKind.REVIEW_REMINDER: False})

    _sweep_at(_review(activated).due_at - timedelta(days=30))

    assert len(_reminded()) == 2
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [
        "manager@greenalliance.example"
    ]


def test_completing_schedules_the_next_review_from_that_day(activated):
    review = _review(activated)
    done = review.due_at + timedelta(days=3)
    with time_machine.travel(done, tick=False):
        reviews.review_open(review=review, by=activated.manager)
        reviews.review_complete(
            review=review, by=activated.manager, outcome="pivot", notes="Self-funding model"
        )

    next_review = _review(activated)
    assert next_review.due_at == add_months(done, 12)
    assert Review.objects.get(pk=review.pk).outcome == "pivot"
    activated.alliance.refresh_from_db()
    assert activated.alliance.stage == Alliance.Stage.ACTIVE


def test_begin_exit_starts_the_exit(activated):
    review = _review(activated)
    reviews.review_open(review=review, by=activated.manager)
    reviews.review_complete(review=review, by=activated.manager, outcome="begin_exit")

    activated.alliance.refresh_from_db()
    assert activated.alliance.stage == Alliance.Stage.EXITING
    assert not Review.objects.filter(alliance=activated.alliance).pending().exists()


def test_only_an_open_review_takes_fits_and_outcomes(activated):
    review = _review(activated)
    with pytest.raises(ValidationError):
        reviews.review_record_fit(review=review, partner=activated.techco, by=activated.rep, fit=3)
    with pytest.raises(ValidationError):
        reviews.review_complete(review=review, by=activated.manager, outcome="continue")


def test_changing_the_cadence_moves_the_scheduled_review(activated):
    from alliances import services

    with time_machine.travel(START + timedelta(days=1), tick=False):
        services.alliance_update(alliance=activated.alliance, review_cadence_months=6)

    assert _review(activated).due_at == add_months(START, 6)


def test_a_paused_alliance_sends_no_reminder_and_resuming_shifts_deadlines(activated):
    review = _review(activated)
    first_reminder, due = review.next_reminder_at, review.due_at
    assert first_reminder is not None
    pause_start = first_reminder - timedelta(days=5)
    with time_machine.travel(pause_start, tick=False):
        reviews.timers_pause(alliance=activated.alliance, by=activated.manager, reason="Sanctions")

    assert _sweep_at(first_reminder + timedelta(days=1)) == 0

    with time_machine.travel(pause_start + timedelta(days=20), tick=False):
        reviews.timers_resume(alliance=activated.alliance, by=activated.manager)

    review.refresh_from_db()
    assert review.due_at == due + timedelta(days=20)
    assert review.next_reminder_at == first_reminder + timedelta(days=20)
    assert _sweep_at(first_reminder + timedelta(days=19)) == 0
    assert _sweep_at(first_reminder + timedelta(days=20)) == 1


def test_a_pause_needs_a_reason_and_cannot_be_doubled(activated):
    with pytest.raises(ValidationError):
        reviews.timers_pause(alliance=activated.alliance, by=activated.manager, reason=" ")
    reviews.timers_pause(alliance=activated.alliance, by=activated.manager, reason="Policy change")
    with pytest.raises(ValidationError):
        reviews.timers_pause(alliance=activated.alliance, by=activated.manager, reason="Again")


def test_inactive_people_are_not_reminded(activated):
    activated.rep.is_active = False
    activated.rep.save()

    _sweep_at(_review(activated).due_at - timedelta(days=30))

    assert _reminded() == ["manager@greenalliance.example"]


def test_many_due_reviews_are_swept_in_bounded_batches(db, django_assert_max_num_queries):
    manager = UserFactory.create()
    for _ in range(12):
        alliance = AllianceFactory.create(stage=Alliance.Stage.FORMING)
        Role.objects.create(alliance=alliance, person=manager, kind=Role.Kind.COALITION_MANAGER)
        alliance.move_to(Alliance.Stage.ACTIVE, by=manager)
    moment = Review.objects.aggregate(last=Max("next_reminder_at"))["last"]

    assert _sweep_at(moment) == 12
    assert Notification.objects.filter(recipient=manager).count() == 12


def test_moving_the_due_date_into_the_past_fires_the_due_reminder_once(activated):
    review = _review(activated)
    now = START + timedelta(days=40)
    with time_machine.travel(now, tick=False):
        review.move_due(now - timedelta(hours=1), now)

    assert _sweep_at(now) == 1
    assert _sweep_at(now + timedelta(minutes=1)) == 0
    assert len(_reminded()) == 2
    assert _review(activated).status == Review.Status.OPEN


def test_bringing_a_review_forward_plans_the_reminders_again(activated):
    review = _review(activated)
    now = START + timedelta(days=40)
    review.move_due(now + timedelta(days=10), now)

    assert review.next_reminder_at == review.due_at - timedelta(days=7)
