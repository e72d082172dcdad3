"""Alliance health in the guide's three layers, and what the product does about it.

Strategic: why we are together. Operational: how we work together. Relational: how we
build trust. Each layer's score (0-100) is the weighted mean of its signals, each one a
recorded fact scored by a rule that is shown beside it. A layer is healthy from 70, on
watch from 40 and at risk below.

Facts live in three apps, and ``alliances`` imports neither of the others: each app
describes what it knows in a ``Source`` and registers it in ``AppConfig.ready``
(``alliances.strategic_health``, ``charters.health``, ``trustaccount.health``). A source
answers for many alliances at once in a fixed number of queries, so the portfolio costs
the same for 3 alliances as for 300. Sources give:

- signals, scored facts for a layer, each linking to where the fact is recorded, and
  perhaps with a "next move": the concrete action that would improve it;
- advice from the guide that fits the alliance's shape, each with its reason;
- conditions that call for a realignment review before its date;
- for the portfolio, upcoming deadlines and what awaits a person (escalations, ballots).

Health is the same for everyone who sees it: it is computed only from what every member
of the alliance may see, so it cannot give away an organisation's private interests.

The "health-checks" timer assesses every alliance hourly, records the day's scores for the
history chart and opens a review early when a condition calls for one (once per
condition: see ``alliances.reviews.review_open_early``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from . import timers
from .models import Alliance, HealthSnapshot, ReviewTrigger, User
from .reasons import Reason

HEALTHY_FROM = 70
WATCH_FROM = 40
# A layer is "strong" when healthy and "weak" when it is not and at least this much lower.
IMBALANCE_GAP = 20
HEALTH_CHECK_INTERVAL = timedelta(hours=1)
# Alliances that are no longer running have nothing left to assess.
ASSESSED_STAGES = (
    Alliance.Stage.PROPOSED,
    Alliance.Stage.FORMING,
    Alliance.Stage.ACTIVE,
    Alliance.Stage.UNDER_REVIEW,
    Alliance.Stage.EXITING,
)
# Conditions may open a review early only while the alliance is running.
REVIEWABLE_STAGES = (Alliance.Stage.ACTIVE, Alliance.Stage.UNDER_REVIEW)


class Layer(models.TextChoices):
    STRATEGIC = "strategic", gettext_lazy("Strategic")
    OPERATIONAL = "operational", gettext_lazy("Operational")
    RELATIONAL = "relational", gettext_lazy("Relational")


LAYER_QUESTIONS = {
    Layer.STRATEGIC: gettext_lazy("Why we are together"),
    Layer.OPERATIONAL: gettext_lazy("How we work together"),
    Layer.RELATIONAL: gettext_lazy("How we build trust"),
}


# The reasons a layer at risk gives for an early review, worded for each reader.
LAYER_AT_RISK = {
    Layer.STRATEGIC: gettext_noop("The strategic layer is at risk (score %(score)s)."),
    Layer.OPERATIONAL: gettext_noop("The operational layer is at risk (score %(score)s)."),
    Layer.RELATIONAL: gettext_noop("The relational layer is at risk (score %(score)s)."),
}


class State(models.TextChoices):
    HEALTHY = "healthy", gettext_lazy("Healthy")
    WATCH = "watch", gettext_lazy("Watch")
    AT_RISK = "at_risk", gettext_lazy("At risk")


SCORE_RULE = gettext_lazy(
    "Each layer's score, from 0 to 100, is the weighted mean of the scores of the facts "
    "listed under it. A layer is healthy from 70, on watch from 40 and at risk below 40."
)


def local_date(moment: datetime) -> str:
    """A moment as a date in the reader's zone and format, for the facts sources write."""
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def state_of(score: int | None) -> str | None:
    if score is None:
        return None
    if score >= HEALTHY_FROM:
        return State.HEALTHY
    return State.WATCH if score >= WATCH_FROM else State.AT_RISK


@dataclass(frozen=True)
class Move:
    """A concrete action that would improve a signal, one click away."""

    key: str
    title: str
    reason: str
    url: str


@dataclass(frozen=True)
class Signal:
    """One recorded fact about a layer, scored 0-100 by the rule it states."""

    layer: str
    key: str
    title: str
    score: int
    fact: str
    rule: str
    url: str
    weight: int = 1
    move: Move | None = None


@dataclass(frozen=True)
class Advice:
    """Advice from the guide that fits this alliance, with its reason and where to act."""

    key: str
    title: str
    reason: str
    action: str
    url: str


@dataclass(frozen=True)
class Condition:
    """A fact that calls for a realignment review now. ``key`` names the condition; the
    reason is kept untranslated and worded for each reader (``alliances.reasons``)."""

    key: str
    reason: Reason


@dataclass(frozen=True)
class Deadline:
    """A moment coming up in an alliance: a review due, a ballot closing, a notice ending.

    A deadline that falls on a calendar day (a commitment due, a round's last day) gives
    that ``day``, shown as a date in every time zone, and ``at`` the moment it has passed.
    """

    title: str
    at: datetime
    url: str
    day: date | None = None


@dataclass(frozen=True)
class Awaiting:
    """Something open that needs a person: an escalation in progress, a ballot to vote on."""

    kind: str  # "escalation" or "ballot"
    title: str
    url: str
    due: datetime | None = None


class Source:
    """What one app knows about the state of alliances. Each method answers for a batch of
    alliances in a fixed number of queries, keyed by alliance id; override what applies."""

    def signals(self, alliances: Sequence[Alliance], now: datetime) -> dict[int, list[Signal]]:
        return {}

    def advice(self, alliances: Sequence[Alliance], now: datetime) -> dict[int, list[Advice]]:
        return {}

    def review_conditions(
        self, alliances: Sequence[Alliance], now: datetime
    ) -> dict[int, list[Condition]]:
        return {}

    def deadlines(self, alliances: Sequence[Alliance], now: datetime) -> dict[int, list[Deadline]]:
        """Upcoming deadlines (after ``now``), whoever looks."""
        return {}

    def awaiting(
        self, alliances: Sequence[Alliance], person: User, now: datetime
    ) -> dict[int, list[Awaiting]]:
        """What is open in each alliance for this person: escalations, ballots awaiting
        their vote. Only what the person may see."""
        return {}


_sources: list[Source] = []


def register(source: Source) -> Source:
    _sources.append(source)
    return source


@dataclass
class LayerHealth:
    layer: str
    signals: list[Signal]
    score: int | None = field(init=False)
    state: str | None = field(init=False)

    def __post_init__(self) -> None:
        weight = sum(signal.weight for signal in self.signals)
        weighted = sum(signal.score * signal.weight for signal in self.signals)
        self.score = round(weighted / weight) if weight else None
        self.state = state_of(self.score)

    @property
    def label(self) -> str:
        return str(Layer(self.layer).label)

    @property
    def question(self) -> str:
        return str(LAYER_QUESTIONS[Layer(self.layer)])

    def get_state_display(self) -> str:
        return str(State(self.state).label) if self.state else _("Not enough facts")


@dataclass(frozen=True)
class Imbalance:
    """The guide's warning when one layer is strong and another weak."""

    key: str
    strong: str
    weak: str
    title: str
    explanation: str


def _imbalance_rules() -> list[Imbalance]:
    return [
        Imbalance(
            "confusion",
            Layer.STRATEGIC,
            Layer.OPERATIONAL,
            _("Strong strategy, weak operations: expect confusion"),
            _(
                "The partners agree on why they are together but not on how they work "
                "together. Start with the weakest operational facts below: how decisions are "
                "made, how disputes are settled, how partners would leave."
            ),
        ),
        Imbalance(
            "micromanagement",
            Layer.OPERATIONAL,
            Layer.RELATIONAL,
            _("Good operations, low trust: expect micromanagement"),
            _(
                "The rules work, but without trust every decision gets checked twice. Log "
                "deposits, keep small commitments and hold a trust check-in."
            ),
        ),
        Imbalance(
            "drift",
            Layer.RELATIONAL,
            Layer.STRATEGIC,
            _("High trust, unclear strategy: expect drift"),
            _(
                "The partners like working together, but the reason for the alliance is "
                "fading. Map the interests again and bring the realignment review forward."
            ),
        ),
    ]


@dataclass
class Health:
    alliance: Alliance
    layers: list[LayerHealth]
    imbalances: list[Imbalance] = field(init=False)
    moves: list[Move] = field(init=False)

    def __post_init__(self) -> None:
        by_key = {layer.layer: layer for layer in self.layers}
        self.imbalances = [
            rule
            for rule in _imbalance_rules()
            if _is_strong(by_key[rule.strong]) and _is_weak(by_key[rule.weak], by_key[rule.strong])
        ]
        self.moves = next_moves(signal for layer in self.layers for signal in layer.signals)

    def layer(self, key: str) -> LayerHealth:
        return next(layer for layer in self.layers if layer.layer == key)

    @property
    def at_risk(self) -> list[LayerHealth]:
        return [layer for layer in self.layers if layer.state == State.AT_RISK]

    @property
    def worst_score(self) -> int:
        """Sort key for "needs attention first"; layers without facts count as healthy."""
        return min((layer.score for layer in self.layers if layer.score is not None), default=100)


def _is_strong(layer: LayerHealth) -> bool:
    return layer.state == State.HEALTHY


def _is_weak(layer: LayerHealth, strong: LayerHealth) -> bool:
    if layer.score is None or strong.score is None:
        return False
    return layer.state != State.HEALTHY and strong.score - layer.score >= IMBALANCE_GAP


MOVES_SHOWN = 3


def next_moves(signals: Iterable[Signal], limit: int = MOVES_SHOWN) -> list[Move]:
    """The moves of the weakest signals first, each kind of move once."""
    ranked = sorted((s for s in signals if s.move), key=lambda s: (s.score, s.key))
    moves: dict[str, Move] = {}
    for signal in ranked:
        if signal.move is not None:
            moves.setdefault(signal.move.key, signal.move)
    return list(moves.values())[:limit]


def assess_many(alliances: Sequence[Alliance], now: datetime | None = None) -> dict[int, Health]:
    """The health of each alliance, in a fixed number of queries however many there are."""
    now = now or timezone.now()
    alliances = list(alliances)
    gathered: dict[int, dict[str, list[Signal]]] = {
        alliance.pk: defaultdict(list) for alliance in alliances
    }
    for source in _sources:
        for alliance_id, signals in source.signals(alliances, now).items():
            for signal in signals:
                gathered[alliance_id][signal.layer].append(signal)
    return {
        alliance.pk: Health(
            alliance, [LayerHealth(layer, gathered[alliance.pk][layer]) for layer in Layer.values]
        )
        for alliance in alliances
    }


def assess(alliance: Alliance, now: datetime | None = None) -> Health:
    return assess_many([alliance], now)[alliance.pk]


def advice_many(
    alliances: Sequence[Alliance], now: datetime | None = None
) -> dict[int, list[Advice]]:
    now = now or timezone.now()
    alliances = list(alliances)
    advice: dict[int, list[Advice]] = {alliance.pk: [] for alliance in alliances}
    for source in _sources:
        for alliance_id, items in source.advice(alliances, now).items():
            advice[alliance_id].extend(items)
    return advice


def advice_for(alliance: Alliance, now: datetime | None = None) -> list[Advice]:
    return advice_many([alliance], now)[alliance.pk]


def deadlines_many(
    alliances: Sequence[Alliance], now: datetime | None = None
) -> dict[int, list[Deadline]]:
    """Each alliance's upcoming deadlines, soonest first."""
    now = now or timezone.now()
    found: dict[int, list[Deadline]] = {alliance.pk: [] for alliance in alliances}
    for source in _sources:
        for alliance_id, items in source.deadlines(alliances, now).items():
            found[alliance_id].extend(items)
    return {pk: sorted(items, key=lambda d: d.at) for pk, items in found.items()}


def awaiting_many(
    alliances: Sequence[Alliance], person: User, now: datetime | None = None
) -> dict[int, list[Awaiting]]:
    now = now or timezone.now()
    found: dict[int, list[Awaiting]] = {alliance.pk: [] for alliance in alliances}
    for source in _sources:
        for alliance_id, items in source.awaiting(alliances, person, now).items():
            found[alliance_id].extend(items)
    return found


def review_conditions(
    alliances: Sequence[Alliance], assessed: dict[int, Health], now: datetime
) -> dict[int, list[Condition]]:
    """Every condition that calls for an early review: a layer at risk, and the sources'."""
    conditions: dict[int, list[Condition]] = {alliance.pk: [] for alliance in alliances}
    for alliance in alliances:
        for layer in assessed[alliance.pk].at_risk:
            reason = Reason(LAYER_AT_RISK[Layer(layer.layer)], {"score": layer.score or 0})
            conditions[alliance.pk].append(Condition(f"layer:{layer.layer}", reason))
    for source in _sources:
        for alliance_id, found in source.review_conditions(alliances, now).items():
            conditions[alliance_id].extend(found)
    return conditions


def check_health(alliances: list[Alliance], now: datetime) -> None:
    """The "health-checks" timer: record today's scores, act on the conditions found."""
    from .reviews import review_conditions_apply

    running = [alliance for alliance in alliances if alliance.stage in ASSESSED_STAGES]
    finished = [alliance.pk for alliance in alliances if alliance.stage not in ASSESSED_STAGES]
    Alliance.objects.filter(pk__in=finished).update(health_check_at=None)
    # An alliance that has ended calls for no review: its conditions are over.
    ReviewTrigger.objects.filter(alliance__in=finished, cleared_at__isnull=True).update(
        cleared_at=now
    )
    if not running:
        return
    assessed = assess_many(running, now)
    record(assessed.values(), now)
    reviewable = [a for a in running if a.stage in REVIEWABLE_STAGES and not a.is_paused]
    review_conditions_apply(reviewable, review_conditions(reviewable, assessed, now), now)
    Alliance.objects.filter(pk__in=[a.pk for a in running]).update(
        health_check_at=now + HEALTH_CHECK_INTERVAL
    )


def record(assessed: Iterable[Health], now: datetime) -> None:
    """Keep each alliance's scores for the day, replacing an earlier check's of that day."""
    today = now.date()
    assessed = list(assessed)
    kept = {
        snapshot.alliance_id: snapshot
        for snapshot in HealthSnapshot.objects.filter(
            alliance__in=[health.alliance for health in assessed], recorded_on=today
        )
    }
    new = []
    for health in assessed:
        snapshot = kept.get(health.alliance.pk) or HealthSnapshot(
            alliance=health.alliance, recorded_on=today
        )
        snapshot.recorded_at = now
        snapshot.strategic = health.layer(Layer.STRATEGIC).score
        snapshot.operational = health.layer(Layer.OPERATIONAL).score
        snapshot.relational = health.layer(Layer.RELATIONAL).score
        if snapshot.pk is None:
            new.append(snapshot)
    HealthSnapshot.objects.bulk_create(new)
    HealthSnapshot.objects.bulk_update(
        list(kept.values()), ["strategic", "operational", "relational", "recorded_at"]
    )


HEALTH_CHECKS = timers.Timer(
    name="health-checks",
    model=Alliance,
    due_field="health_check_at",
    act=check_health,
    # Health is still recorded during a force-majeure pause; only early reviews wait.
    alliance_path=None,
    batch_size=100,
)
