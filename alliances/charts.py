"""The geometry of the health history chart, drawn as SVG by the template (no JavaScript).

The three layer scores day by day on a fixed 0-100 scale with the state thresholds marked,
so every alliance's chart reads the same way. A day without a score for a layer (no facts
yet) breaks that layer's line rather than drawing it down to zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .health import HEALTHY_FROM, WATCH_FROM, Layer
from .models import HealthSnapshot

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 24, 16, 28
# Beyond this many days the dots would merge into the line; lone points keep theirs.
DOTS_UP_TO = 45


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    score: int


@dataclass(frozen=True)
class Line:
    layer: str
    label: str
    segments: tuple[tuple[Point, ...], ...]
    dots: tuple[Point, ...]

    @property
    def polylines(self) -> list[str]:
        return [" ".join(f"{p.x:.1f},{p.y:.1f}" for p in segment) for segment in self.segments]


@dataclass(frozen=True)
class Row:
    """One day of the text alternative: the scores in layer order, None without facts."""

    day: date
    scores: tuple[int | None, ...]


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class HealthChart:
    width: int
    height: int
    left: int
    right: float
    baseline: float
    lines: tuple[Line, ...]
    ticks: tuple[Tick, ...]
    rows: tuple[Row, ...]  # latest first
    watch_from: int = WATCH_FROM
    healthy_from: int = HEALTHY_FROM

    @property
    def first_day(self) -> date:
        return self.rows[-1].day

    @property
    def last_day(self) -> date:
        return self.rows[0].day


def _y(score: float) -> float:
    return TOP + (100 - score) * (HEIGHT - TOP - BOTTOM) / 100


def _x(day: date, first: date, last: date) -> float:
    span = (last - first).days
    if not span:
        return (LEFT + WIDTH - RIGHT) / 2
    return LEFT + (day - first).days * (WIDTH - LEFT - RIGHT) / span


def _line(layer: Layer, snapshots: Sequence[HealthSnapshot], first: date, last: date) -> Line:
    segments: list[list[Point]] = [[]]
    for snapshot in snapshots:
        score = getattr(snapshot, layer.value)
        if score is None:
            segments.append([])
            continue
        segments[-1].append(Point(_x(snapshot.recorded_on, first, last), _y(score), score))
    kept = tuple(tuple(segment) for segment in segments if segment)
    every = len(snapshots) <= DOTS_UP_TO
    dots = tuple(p for segment in kept if every or len(segment) == 1 for p in segment)
    return Line(layer.value, str(layer.label), kept, dots)


def health_chart(snapshots: Sequence[HealthSnapshot]) -> HealthChart | None:
    """The chart of these snapshots (oldest first), or None when there are none yet."""
    if not snapshots:
        return None
    first, last = snapshots[0].recorded_on, snapshots[-1].recorded_on
    layers = [Layer(value) for value in Layer.values]
    rows = tuple(
        Row(s.recorded_on, tuple(getattr(s, layer.value) for layer in layers))
        for s in reversed(snapshots)
    )
    return HealthChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        baseline=_y(0),
        lines=tuple(_line(layer, snapshots, first, last) for layer in layers),
        ticks=tuple(Tick(value, _y(value)) for value in (0, WATCH_FROM, HEALTHY_FROM, 100)),
        rows=rows,
    )
