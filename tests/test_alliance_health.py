"""Alliance health: the layer rule, the guide's warnings, next moves, the strategic signals
and the daily record (alliances.health, alliances.strategic_health)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from alliances import health
from alliances.health import Layer, LayerHealth, Move, Signal, State
from alliances.models import Alliance, HealthSnapshot, Interest, InterestLink, PartnerFit, Review
from alliances.strategic_health import StrategicHealth

from .factories import (
    AllianceFactory,
    GoalFactory,
    InterestFactory,
    InterestLinkFactory,
    PartnerFactory,
)


def _signal(
    layer: str, score: int, weight: int = 1, key: str = "k", move: Move | None = None
) -> Signal:
    return Signal(layer, key, "title", score, "fact", "rule", "/url/", weight=weight, move=move)


@pytest.mark.parametrize(
    ("score", "state"),
    [(100, State.HEALTHY), (70, State.HEALTHY), (69, State.WATCH), (40, State.WATCH),
     (39, State.AT_RISK), (0, State.AT_RISK), (None, None)],
)  # fmt: skip
def test_state_boundaries(score: int | None, state: str | None) -> None:
    assert health.state_of(score) == state


def test_layer_score_is_the_weighted_mean_of_its_signals() -> None:
    layer = LayerHealth(
        Layer.STRATEGIC, [_signal(Layer.STRATEGIC, 100, 2), _signal(Layer.STRATEGIC, 10, 1)]
    )
    assert layer.score == 70
    assert layer.state == State.HEALTHY
    empty = LayerHealth(Layer.RELATIONAL, [])
    assert empty.score is None
    assert empty.state is None
    assert empty.get_state_display() == "Not enough facts"


def _health(
    strategic: int | None, operational: int | None, relational: int | None
) -> health.Health:
    scores = {
        Layer.STRATEGIC: strategic,
        Layer.OPERATIONAL: operational,
        Layer.RELATIONAL: relational,
    }
    return health.Health(
        Alliance(name="x"),
        [
            LayerHealth(layer, [] if s is None else [_signal(layer, s)])
            for layer, s in scores.items()
        ],
    )


@pytest.mark.parametrize(
    ("scores", "warnings"),
    [
        ((90, 50, 90), ["confusion"]),
        ((90, 70, 90), []),  # operations healthy: no gap that matters
        ((80, 61, 80), []),  # weak but only 19 points below
        ((80, 60, 80), ["confusion"]),  # 20 points below: the warning
        ((69, 40, 90), ["drift"]),  # strategy on watch is not strong; trust is, strategy lags 21
        ((50, 90, 30), ["micromanagement"]),
        ((30, 90, 90), ["drift"]),
        ((40, 80, 80), ["drift"]),
        ((90, None, 90), []),  # no facts, no warning
    ],
)
def test_the_guides_warnings_need_a_strong_layer_and_a_weak_one(scores, warnings) -> None:
    assert [i.key for i in _health(*scores).imbalances] == warnings


def test_next_moves_weakest_signal_first_each_kind_once() -> None:
    a = Move("map_interests", "Map", "r", "/a/")
    b = Move("audit_governance", "Audit", "r", "/b/")
    c = Move("schedule_check_in", "Check in", "r", "/c/")
    d = Move("fourth", "Fourth", "r", "/d/")
    signals = [
        _signal(Layer.STRATEGIC, 60, key="s1", move=a),
        _signal(Layer.STRATEGIC, 10, key="s2", move=a),
        _signal(Layer.OPERATIONAL, 30, key="o", move=b),
        _signal(Layer.RELATIONAL, 20, key="r", move=c),
        _signal(Layer.RELATIONAL, 50, key="r2", move=d),
        _signal(Layer.RELATIONAL, 0, key="none"),
    ]
    assert [m.key for m in health.next_moves(signals)] == [
        "map_interests",
        "schedule_check_in",
        "audit_governance",
    ]


# The strategic layer --------------------------------------------------------------------------


def _strategic(alliance: Alliance, now: datetime | None = None) -> dict[str, Signal]:
    signals = StrategicHealth().signals([alliance], now or timezone.now())[alliance.pk]
    return {signal.key: signal for signal in signals}


def test_an_empty_interest_map_scores_20_and_asks_to_map_interests(pilot) -> None:
    alignment = _strategic(pilot.alliance)["alignment"]
    assert alignment.score == 20
    assert alignment.move is not None
    assert alignment.move.key == "map_interests"


def test_alignment_and_red_lines_follow_the_shared_interest_map(pilot) -> None:
    goal = GoalFactory.create(alliance=pilot.alliance)
    served = InterestFactory.create(partner=pilot.techco)
    InterestLinkFactory.create(interest=served, goal=goal)
    signals = _strategic(pilot.alliance)
    assert signals["alignment"].score == 100
    assert signals["alignment"].move is None
    assert signals["red_lines"].score == 100

    red = InterestFactory.create(partner=pilot.logicorp, is_red_line=True, importance=3)
    InterestLinkFactory.create(interest=red, goal=goal, effect=InterestLink.Effect.CONFLICTS)
    signals = _strategic(pilot.alliance)
    assert signals["red_lines"].score == 50
    assert signals["alignment"].score == 33  # weight 3 of 9 counted
    assert signals["alignment"].move is not None

    second = InterestFactory.create(partner=pilot.greenalliance, is_red_line=True)
    InterestLinkFactory.create(interest=second, goal=goal, effect=InterestLink.Effect.CONFLICTS)
    assert _strategic(pilot.alliance)["red_lines"].score == 10


def test_a_private_interest_never_moves_the_health_everyone_sees(pilot) -> None:
    goal = GoalFactory.create(alliance=pilot.alliance)
    InterestLinkFactory.create(interest=InterestFactory.create(partner=pilot.techco), goal=goal)
    before = _strategic(pilot.alliance)
    private = InterestFactory.create(
        partner=pilot.logicorp, is_red_line=True, visibility=Interest.Visibility.ORGANIZATION
    )
    InterestLinkFactory.create(interest=private, goal=goal, effect=InterestLink.Effect.CONFLICTS)
    after = _strategic(pilot.alliance)
    assert [(s.score, s.fact) for s in after.values()] == [
        (s.score, s.fact) for s in before.values()
    ]


def test_summary_only_interests_count_for_everyone(pilot) -> None:
    InterestFactory.create(
        partner=pilot.logicorp, visibility=Interest.Visibility.SUMMARY, summary="Data access"
    )
    assert _strategic(pilot.alliance)["alignment"].score == 0


@pytest.mark.parametrize(
    ("overdue_days", "status", "score"),
    [(-1, Review.Status.SCHEDULED, 100), (0, Review.Status.SCHEDULED, 100),
     (1, Review.Status.SCHEDULED, 50), (60, Review.Status.SCHEDULED, 50),
     (61, Review.Status.SCHEDULED, 10),
     (0, Review.Status.OPEN, 100), (30, Review.Status.OPEN, 100), (31, Review.Status.OPEN, 50),
     (60, Review.Status.OPEN, 50), (61, Review.Status.OPEN, 10)],
)  # fmt: skip
def test_review_up_to_date(pilot, overdue_days: int, status: str, score: int) -> None:
    now = timezone.now()
    Review.objects.create(
        alliance=pilot.alliance, due_at=now - timedelta(days=overdue_days), status=status
    )
    assert _strategic(pilot.alliance, now)["review"].score == score


def test_the_review_rule_states_the_limits_the_code_applies(pilot) -> None:
    rule = _strategic(pilot.alliance)["review"].rule
    assert "30 days past its date, scores 100" in rule
    assert "60 days overdue scores 50, and longer 10" in rule
    assert "scores 60" in rule


def test_no_review_yet_and_a_completed_one(pilot) -> None:
    assert _strategic(pilot.alliance)["review"].score == 60
    review = Review.objects.create(
        alliance=pilot.alliance,
        due_at=timezone.now() - timedelta(days=3),
        status=Review.Status.COMPLETED,
        outcome=Review.Outcome.CONTINUE,
        completed_at=timezone.now() - timedelta(days=2),
    )
    assert _strategic(pilot.alliance)["review"].score == 100
    assert "fit" not in _strategic(pilot.alliance)
    PartnerFit.objects.create(review=review, partner=pilot.techco, fit=5)
    PartnerFit.objects.create(review=review, partner=pilot.logicorp, fit=2)
    assert _strategic(pilot.alliance)["fit"].score == 62  # mean 3.5 -> 62.5, rounded to even


def test_strategic_signals_cost_the_same_for_one_and_many_alliances(
    pilot, django_assert_num_queries
) -> None:
    def queries(alliances: Sequence[Alliance]) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            StrategicHealth().signals(alliances, timezone.now())
        return len(captured.captured_queries)

    one = queries([pilot.alliance])
    for _n in range(5):
        alliance = AllianceFactory.create()
        partner = PartnerFactory.create(alliance=alliance)
        goal = GoalFactory.create(alliance=alliance)
        InterestLinkFactory.create(interest=InterestFactory.create(partner=partner), goal=goal)
        Review.objects.create(alliance=alliance, due_at=timezone.now())
    assert queries(list(Alliance.objects.all())) == one


# The daily record ---------------------------------------------------------------------------


@pytest.fixture
def only_strategic() -> Iterator[None]:
    """Assess with the strategic source alone, so that scores here do not depend on the others."""
    kept = list(health._sources)
    health._sources[:] = [s for s in kept if isinstance(s, StrategicHealth)]
    yield
    health._sources[:] = kept


def test_health_checks_record_one_snapshot_a_day_and_move_on(pilot, only_strategic) -> None:
    timer = health.HEALTH_CHECKS
    now = timezone.now().replace(hour=12, minute=0)  # a later check falls on the same day
    Alliance.objects.update(health_check_at=now)
    assert health.timers.sweep(timer, now) >= 1
    snapshot = HealthSnapshot.objects.get(alliance=pilot.alliance)
    assert snapshot.strategic == health.assess(pilot.alliance, now).layer(Layer.STRATEGIC).score
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.health_check_at == now + health.HEALTH_CHECK_INTERVAL
    assert health.timers.sweep(timer, now) == 0  # nothing due again within the hour

    goal = GoalFactory.create(alliance=pilot.alliance)
    InterestLinkFactory.create(interest=InterestFactory.create(partner=pilot.techco), goal=goal)
    later = now + timedelta(hours=1)
    health.timers.sweep(timer, later)
    # The day's scores are replaced, not added: alignment 100 (weight 2), no red line at risk
    # (100), no review yet (60): 90.
    assert HealthSnapshot.objects.get(alliance=pilot.alliance).strategic == 90

    health.timers.sweep(timer, now + timedelta(days=1))
    assert HealthSnapshot.objects.filter(alliance=pilot.alliance).count() == 2


def test_a_dissolved_alliance_is_no_longer_checked(pilot, only_strategic) -> None:
    Alliance.objects.filter(pk=pilot.alliance.pk).update(stage=Alliance.Stage.DISSOLVED)
    health.timers.sweep(health.HEALTH_CHECKS, timezone.now())
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.health_check_at is None
    assert not HealthSnapshot.objects.filter(alliance=pilot.alliance).exists()


def test_health_checks_cost_the_same_for_a_batch_of_any_size(pilot, only_strategic) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = timezone.now()
    with CaptureQueriesContext(connection) as one:
        health.check_health([pilot.alliance], now)
    alliances = [AllianceFactory.create() for _n in range(6)]
    with CaptureQueriesContext(connection) as many:
        health.check_health(alliances, now)
    assert len(many.captured_queries) == len(one.captured_queries)
