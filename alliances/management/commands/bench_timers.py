"""Measure the timer engine on its real code path: N due review reminders, swept, checked.

    python manage.py bench_timers --count 5000 [--sweepers 2]

Everything it creates lives in scratch alliances and is deleted afterwards. The last
line reads: ``swept N due timers in S s: R/s, lost L, duplicates D``.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.utils import timezone

from alliances import timers
from alliances.models import Alliance, Notification, OutboundEmail, Review, Role, User


class Command(BaseCommand):
    help = "Create N due review reminders, sweep them with the real code path, check and clean up."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", type=int, default=2000)
        parser.add_argument(
            "--sweepers", type=int, default=1, help="Sweep from this many threads at once."
        )

    def handle(self, *args: Any, count: int, sweepers: int, **options: Any) -> None:
        if count < 1 or sweepers < 1:
            raise CommandError("--count and --sweepers must be at least 1.")
        if sweepers > 1 and connection.vendor != "postgresql":
            raise CommandError("Parallel sweepers need PostgreSQL (SQLite has one writer).")
        tag = f"bench-{uuid.uuid4().hex[:8]}"
        person = self._scratch(tag, count)
        try:
            seconds = self._sweep(sweepers)
            lost, duplicates = self._check(person, count)
        finally:
            self._clean_up(tag, person)
        rate = count / seconds if seconds else float("inf")
        self.stdout.write(
            f"swept {count} due timers in {seconds:.2f} s: {rate:,.0f}/s, "
            f"lost {lost}, duplicates {duplicates}"
        )

    @transaction.atomic
    def _scratch(self, tag: str, count: int) -> User:
        """One manager and N alliances whose review's 1-day reminder is due now."""
        person = User.objects.create_user(email=f"{tag}@bench.invalid", password=None)
        alliances = Alliance.objects.bulk_create(
            Alliance(name=f"{tag} {n}", purpose="benchmark", form=Alliance.Form.INFORMAL,
                     stage=Alliance.Stage.ACTIVE)
            for n in range(count)
        )  # fmt: skip
        Role.objects.bulk_create(
            Role(alliance=a, person=person, kind=Role.Kind.COALITION_MANAGER) for a in alliances
        )
        now = timezone.now()
        Review.objects.bulk_create(
            Review(alliance=a, due_at=now + timedelta(hours=12),
                   next_reminder_at=now - timedelta(hours=12))
            for a in alliances
        )  # fmt: skip
        return person

    def _sweep(self, sweepers: int) -> float:
        timer = timers.get("review-reminders")

        def sweep_until_done() -> None:
            try:
                while timers.sweep(timer, timezone.now()):
                    pass
            finally:
                if sweepers > 1:
                    connections.close_all()

        started = time.perf_counter()
        if sweepers == 1:
            sweep_until_done()
            return time.perf_counter() - started
        threads = [threading.Thread(target=sweep_until_done) for _ in range(sweepers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started

    def _check(self, person: User, count: int) -> tuple[int, int]:
        keys = Notification.objects.filter(recipient=person).values_list("delivery_key", flat=True)
        per_review = Counter(key.split(":")[1] for key in keys)
        lost = count - len(per_review)
        duplicates = sum(n - 1 for n in per_review.values())
        return lost, duplicates

    @transaction.atomic
    def _clean_up(self, tag: str, person: User) -> None:
        OutboundEmail.objects.filter(to=person.email).delete()
        Alliance.objects.filter(name__startswith=f"{tag} ").delete()
        person.delete()
