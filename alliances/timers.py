"""The one timer mechanism. Every deadline in the product is a row's datetime column.

A ``Timer`` names such a column. The Celery beat tick (config/celery.py) runs every
registered timer each minute: ``sweep`` claims the rows whose moment has come in bounded
batches (``select_for_update(skip_locked=True)``, so several workers can sweep at once),
hands each batch to the timer's ``act`` and commits the outcome in the same transaction.
``act`` must move the column forward or clear it, and create what it creates under a
unique key: then a sweep that runs twice, or a worker killed half-way, neither loses
nor repeats anything.

A timer whose rows belong to an alliance stops while the alliance's timers are paused
(force majeure), and ``shift_for_pause`` moves its pending moments on by the pause.

Apps add their timers in ``AppConfig.ready`` with ``register``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import F

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Timer:
    name: str
    model: type[models.Model]
    due_field: str
    act: Callable[[list[Any], datetime], None]
    # Lookup from a row to its alliance, or None for timers no alliance can pause.
    alliance_path: str | None = "alliance"
    # Other deadlines on the row that a force-majeure pause moves along with the due moment.
    shifts_with: Sequence[str] = field(default_factory=tuple)
    # For what a plain column shift cannot move (a calendar date, say): called after the shift.
    after_shift: Callable[[int, timedelta], None] | None = None
    batch_size: int = 200

    def due(self, now: datetime) -> models.QuerySet[Any]:
        rows = self.model._default_manager.filter(**{f"{self.due_field}__lte": now})
        if self.alliance_path:
            rows = rows.filter(**{f"{self.alliance_path}__paused_at__isnull": True})
        return rows.order_by(self.due_field, "pk")


_registry: dict[str, Timer] = {}


def start_of_day(day: date) -> datetime:
    """The first moment of a calendar day (UTC), for timers due on a date."""
    return datetime.combine(day, time.min, tzinfo=UTC)


# The latest moment every time zone can show: the zones furthest ahead are 14 hours past UTC.
_LAST_SHOWN_MOMENT = datetime.combine(date.max, time.max, tzinfo=UTC) - timedelta(hours=14)


def end_of_day(day: date) -> datetime:
    """The first moment after a calendar day (UTC): when a deadline on that day is over.
    The last day a date can hold has no day after it: it ends at the latest moment every
    time zone can still show."""
    if day == date.max:
        return _LAST_SHOWN_MOMENT
    return start_of_day(day + timedelta(days=1))


def register(timer: Timer) -> Timer:
    _registry[timer.name] = timer
    return timer


def registered() -> list[Timer]:
    return list(_registry.values())


def get(name: str) -> Timer:
    return _registry[name]


def sweep(timer: Timer, now: datetime, *, max_batches: int = 50) -> int:
    """Act on every row due at ``now`` (up to ``max_batches`` batches); returns how many."""
    swept = 0
    for _batch in range(max_batches):
        with transaction.atomic():
            claimed = list(
                timer.due(now).select_for_update(skip_locked=True, of=("self",))[: timer.batch_size]
            )
            if claimed:
                timer.act(claimed, now)
        swept += len(claimed)
        if len(claimed) < timer.batch_size:
            break
    if swept:
        logger.info("timer %s: %d due rows handled", timer.name, swept)
    return swept


def shift_for_pause(*, alliance_id: int, by: timedelta) -> None:
    """Move every pending moment of the alliance's timers on by the length of a pause."""
    for timer in registered():
        if not timer.alliance_path:
            continue
        pending = timer.model._default_manager.filter(
            **{timer.alliance_path: alliance_id, f"{timer.due_field}__isnull": False}
        )
        shifted = {name: F(name) + by for name in (timer.due_field, *timer.shifts_with)}
        pending.update(**shifted)
        if timer.after_shift is not None:
            timer.after_shift(alliance_id, by)
