"""The geometry of the trust trend chart, drawn as SVG by the template (no JavaScript)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

WIDTH, HEIGHT, PAD_X, PAD_Y = 640, 220, 48, 24


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    month: datetime
    balance: int


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    points: list[Point]
    zero_y: float
    top: int
    bottom: int

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def first(self) -> Point:
        return self.points[0]

    @property
    def last(self) -> Point:
        return self.points[-1]


def trend_chart(trend: list[tuple[datetime, int]]) -> TrendChart | None:
    """Scale the running balance month by month into the chart's box; zero is always shown."""
    if not trend:
        return None
    top = max(0, *(balance for _, balance in trend))
    bottom = min(0, *(balance for _, balance in trend))
    span = (top - bottom) or 1
    step = (WIDTH - 2 * PAD_X) / max(1, len(trend) - 1)

    def y(value: int) -> float:
        return PAD_Y + (top - value) * (HEIGHT - 2 * PAD_Y) / span

    points = [Point(PAD_X + i * step, y(b), month, b) for i, (month, b) in enumerate(trend)]
    return TrendChart(WIDTH, HEIGHT, points, y(0), top, bottom)
