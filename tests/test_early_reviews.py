"""Realignment reviews that facts open before their date: once per condition, one at a time."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

import pytest
from django.db import connections
from django.utils import timezone

from alliances import health, timers
from alliances.health import Condition, Layer, Signal, Source
from alliances.models import Alliance, Notification, Review, ReviewTrigger
from alliances.reviews import review_complete, review_open_early

from .test_timer_reliability import committed_postgres  # noqa: F401


class FakeFacts(Source):
    """Conditions and a relational score the test sets; nothing else."""

    def __init__(self) -> None:
        self.conditions: list[Condition] = []
        self.relational: int | None = None

    def signals(self, alliances: Sequence[Alliance], now: datetime) -> dict[int, list[Signal]]:
        if self.relational is None:
            return {}
        signal = Signal(Layer.RELATIONAL, "trust", "Trust", self.relational, "f", "r", "/")
        return {alliance.pk: [signal] for alliance in alliances}

    def review_conditions(
        self, alliances: Sequence[Alliance], now: datetime
    ) -> dict[int, list[Condition]]:
        return {alliance.pk: list(self.conditions) for alliance in alliances}


@pytest.fixture
def facts() -> Iterator[FakeFacts]:
    """The fake source alone: the real ones would add their own conditions."""
    kept = list(health._sources)
    fake = FakeFacts()
    health._sources[:] = [fake]
    yield fake
    health._sources[:] = kept


def _sweep(now: datetime) -> None:
    Alliance.objects.update(health_check_at=now)
    timers.sweep(health.HEALTH_CHECKS, now)


def test_a_layer_at_risk_opens_the_review_once(pilot, facts) -> None:
    pilot.alliance.ensure_review_scheduled(timezone.now())
    scheduled = Review.objects.get(alliance=pilot.alliance)
    facts.relational = 39
    now = timezone.now()
    for hour in range(3):
        _sweep(now + timedelta(hours=hour))
    review = Review.objects.get(alliance=pilot.alliance)
    assert review.pk == scheduled.pk
    assert review.status == Review.Status.OPEN
    assert review.due_at == now
    assert review.opened_by is None
    assert review.reason == "The relational layer is at risk (score 39)."
    trigger = ReviewTrigger.objects.get()
    assert (trigger.key, trigger.review_id, trigger.cleared_at) == (
        "layer:relational",
        review.pk,
        None,
    )
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.stage == Alliance.Stage.UNDER_REVIEW
    told = Notification.objects.filter(delivery_key__startswith=f"review-trigger:{trigger.pk}:")
    assert list(told.values_list("recipient", flat=True)) == [pilot.manager.pk]


def test_on_watch_is_not_enough(pilot, facts) -> None:
    facts.relational = 40
    _sweep(timezone.now())
    assert not Review.objects.filter(status=Review.Status.OPEN).exists()
    assert not ReviewTrigger.objects.exists()


def test_a_condition_that_passes_is_cleared_and_may_fire_again(pilot, facts) -> None:
    now = timezone.now()
    facts.conditions = [Condition("escalations", "Three escalations are open.")]
    _sweep(now)
    first = Review.objects.get(status=Review.Status.OPEN)
    review_complete(review=first, by=pilot.manager, outcome=Review.Outcome.CONTINUE, now=now)

    _sweep(now + timedelta(hours=1))  # still holds: no second review
    assert not Review.objects.filter(status=Review.Status.OPEN).exists()

    facts.conditions = []
    _sweep(now + timedelta(hours=2))
    assert ReviewTrigger.objects.get().cleared_at == now + timedelta(hours=2)

    facts.conditions = [Condition("escalations", "Four escalations are open.")]
    _sweep(now + timedelta(hours=3))
    again = Review.objects.get(status=Review.Status.OPEN)
    assert again.pk != first.pk
    assert again.reason == "Four escalations are open."
    assert ReviewTrigger.objects.filter(cleared_at__isnull=True).count() == 1


def test_one_review_at_a_time_whatever_the_number_of_conditions(pilot, facts) -> None:
    facts.relational = 10
    facts.conditions = [
        Condition("escalations", "Escalations pile up."),
        Condition("missed_commitments", "Commitments are missed."),
    ]
    _sweep(timezone.now())
    review = Review.objects.get()
    assert review.status == Review.Status.OPEN
    assert review.reason == "The relational layer is at risk (score 10)."
    assert sorted(t.key for t in review.triggers.all()) == [
        "escalations",
        "layer:relational",
        "missed_commitments",
    ]


def test_a_review_already_open_takes_the_reason_without_another(pilot, facts) -> None:
    open_review = Review.objects.create(
        alliance=pilot.alliance, due_at=timezone.now(), status=Review.Status.OPEN
    )
    trigger = review_open_early(
        alliance=pilot.alliance, key="notice:7", reason="A partner gave notice."
    )
    assert trigger is not None
    assert trigger.review_id == open_review.pk
    assert review_open_early(alliance=pilot.alliance, key="notice:7", reason="again") is None
    assert Review.objects.count() == 1
    assert ReviewTrigger.objects.count() == 1


@pytest.mark.parametrize("stage", [Alliance.Stage.FORMING, Alliance.Stage.EXITING])
def test_only_running_alliances_open_reviews_early(pilot, facts, stage: str) -> None:
    Alliance.objects.filter(pk=pilot.alliance.pk).update(stage=stage)
    facts.relational = 0
    _sweep(timezone.now())
    assert not Review.objects.exists()
    assert not ReviewTrigger.objects.exists()


def test_force_majeure_holds_early_reviews_but_not_the_record(pilot, facts) -> None:
    Alliance.objects.filter(pk=pilot.alliance.pk).update(paused_at=timezone.now())
    facts.relational = 0
    _sweep(timezone.now())
    assert not Review.objects.exists()
    assert pilot.alliance.health_history.get().relational == 0


def test_without_a_scheduled_review_one_is_made_and_opened(pilot, facts) -> None:
    now = timezone.now()
    review_open_early(alliance=pilot.alliance, key="k", reason="r" * 400, now=now)
    review = Review.objects.get()
    assert review.status == Review.Status.OPEN
    assert review.due_at == now
    assert review.reason == "r" * 300


def test_the_same_condition_raced_from_many_threads_fires_once(committed_postgres, pilot) -> None:  # noqa: F811
    """A notice's own call and sweepers may report one condition at the same moment."""
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def fire() -> None:
        try:
            start.wait()
            review_open_early(alliance=pilot.alliance, key="notice:1", reason="Notice given.")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fire) for _n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ReviewTrigger.objects.count() == 1
    assert Review.objects.filter(status=Review.Status.OPEN).count() == 1


def test_a_condition_that_comes_and_goes_during_the_review_fires_once(pilot, facts) -> None:
    now = timezone.now()
    for hour, score in enumerate((30, 45, 35, 50, 20)):  # hovering around the at-risk line
        facts.relational = score
        _sweep(now + timedelta(hours=hour))
    trigger = ReviewTrigger.objects.get()
    assert trigger.cleared_at is None
    told = Notification.objects.filter(delivery_key__startswith="review-trigger:")
    assert told.count() == 1


def test_an_alliance_that_ends_clears_its_conditions(pilot, facts) -> None:
    facts.relational = 10
    _sweep(timezone.now())
    Alliance.objects.filter(pk=pilot.alliance.pk).update(stage=Alliance.Stage.DISSOLVED)
    later = timezone.now() + timedelta(hours=1)
    _sweep(later)
    assert ReviewTrigger.objects.get().cleared_at == later


def test_each_reader_gets_the_reason_in_their_own_language(client, pilot, facts) -> None:
    """The timer speaks no one's language: the reason is kept untranslated and worded for
    each reader, on the pages, in the API and in each manager's notification."""
    pilot.manager.language = "fr"
    pilot.manager.save()
    facts.relational = 12
    _sweep(timezone.now())
    trigger = ReviewTrigger.objects.get()
    assert trigger.reason == "The relational layer is at risk (score 12)."  # the record

    client.force_login(pilot.manager)
    french = "Le niveau relationnel est à risque (score 12)."
    assert french in client.get(f"/alliances/{pilot.alliance.pk}/health/").content.decode()
    review_page = f"/alliances/{pilot.alliance.pk}/reviews/{trigger.review_id}/"
    assert french in client.get(review_page).content.decode()
    told = Notification.objects.get(
        recipient=pilot.manager, delivery_key__startswith="review-trigger:"
    )
    assert told.body == french

    client.force_login(pilot.steering)  # language left blank: the site's English
    page = client.get(f"/alliances/{pilot.alliance.pk}/health/").content.decode()
    assert "The relational layer is at risk (score 12)." in page


def test_a_notice_reason_shows_its_dates_in_the_reader_s_format() -> None:
    from django.utils import translation

    from alliances.reasons import Reason

    reason = Reason(
        "%(partner)s gave notice on %(given)s and leaves on %(day)s.",
        {"partner": "LogiCorp", "given": "2026-11-20", "day": "2027-02-18"},
        dates=("given", "day"),
    )
    again = Reason.from_data(reason.as_data())
    with translation.override("fr"):
        assert (
            str(again)
            == "LogiCorp a donné son préavis le 20 novembre 2026 et part le 18 février 2027."
        )
    with translation.override("en"):
        assert str(again) == "LogiCorp gave notice on Nov. 20, 2026 and leaves on Feb. 18, 2027."
