"""The timer engine loses nothing and repeats nothing: twice, in parallel, or killed half-way.

The concurrent and multi-process cases need PostgreSQL (SQLite serialises writers anyway);
the end-to-end case runs a real Celery worker with beat against Redis.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, connections
from django.utils import timezone

from alliances import timers
from alliances.models import Alliance, Notification, OutboundEmail, Review, Role

from .conftest import skip_or_fail
from .factories import AllianceFactory, UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent
REMINDERS = timers.get("review-reminders")


@pytest.fixture
def committed_postgres(transactional_db: None) -> None:
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: set DATABASE_URL=postgres://...")


def _due_reviews(count: int) -> list[Review]:
    """``count`` alliances, each with one manager and a review whose 1-day reminder is due."""
    manager = UserFactory.create()
    for _ in range(count):
        alliance = AllianceFactory.create(stage=Alliance.Stage.FORMING)
        Role.objects.create(alliance=alliance, person=manager, kind=Role.Kind.COALITION_MANAGER)
        alliance.move_to(Alliance.Stage.ACTIVE, by=manager)
    now = timezone.now()
    Review.objects.update(
        due_at=now + timedelta(hours=12), next_reminder_at=now - timedelta(hours=12)
    )
    return list(Review.objects.all())


def _assert_each_reminded_once(reviews: list[Review]) -> None:
    assert Notification.objects.count() == len(reviews)
    assert OutboundEmail.objects.count() == len(reviews)
    assert not Review.objects.filter(next_reminder_at__lte=timezone.now()).exists()


def test_parallel_sweepers_deliver_each_reminder_once(committed_postgres):
    reviews = _due_reviews(60)
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def sweeper() -> None:
        try:
            start.wait()
            small_batches = timers.Timer(**{**REMINDERS.__dict__, "batch_size": 7})
            timers.sweep(small_batches, timezone.now())
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweeper) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    _assert_each_reminded_once(reviews)


def _database_env() -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}


def test_a_sweeper_killed_mid_batch_loses_and_repeats_nothing(committed_postgres):
    reviews = _due_reviews(30)
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.timer_worker"],
        cwd=BASE_DIR,
        env={**_database_env(), "BATCH": "5", "DELAY": "0.05"},
    )
    try:
        deadline = time.monotonic() + 30
        while Notification.objects.count() < 10 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert Notification.objects.count() >= 10, "the sweeper made no progress"
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.wait(timeout=10)
    assert Notification.objects.count() < len(reviews), "killed too late to prove anything"

    timers.sweep(REMINDERS, timezone.now())  # the restarted worker's next tick

    _assert_each_reminded_once(reviews)


def test_a_real_worker_and_beat_deliver_a_due_reminder(committed_postgres, tmp_path):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        skip_or_fail("needs Redis: set REDIS_URL=redis://...")
    (review,) = _due_reviews(1)
    env = {**_database_env(), "REDIS_URL": redis_url, "TIMER_TICK_SECONDS": "1"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--beat", "--pool=solo",
         "--schedule", str(tmp_path / "beat-schedule"), "--loglevel=WARNING"],
        cwd=BASE_DIR,
        env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        sent = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT)
        while not sent.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)

    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.SENT
    assert f"review-reminder:{review.pk}:" in email.delivery_key
    assert Notification.objects.count() == 1
