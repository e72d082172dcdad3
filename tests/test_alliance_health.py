"""Alliance health: the layer rule, the guide's warnings, next moves, the strategic signals
and the daily record (alliances.health, alliances.strategic_health)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from alliances import health
from alliances.health import Layer, LayerHealth, Move, Signal, State
from alliances.models import (
    Alliance,
    Goal,
    HealthSnapshot,
    Interest,
    InterestLink,
    Partner,
    PartnerFit,
    Review,
    StageTransition,
    VisibilityChange,
)
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


# As of a past moment (the demo back-fills its history that way) ------------------------------


def _recorded(*objects: Goal | Interest | InterestLink, at: datetime) -> None:
    """Backdate when these were recorded."""
    for obj in objects:
        type(obj).objects.filter(pk=obj.pk).update(created_at=at)


def _served_interest(pilot, at: datetime) -> tuple[Goal, InterestLink]:
    """A goal serving TechCo's interest, all recorded at ``at``."""
    goal = GoalFactory.create(alliance=pilot.alliance)
    interest = InterestFactory.create(partner=pilot.techco)
    link = InterestLinkFactory.create(interest=interest, goal=goal)
    _recorded(goal, interest, link, at=at)
    return goal, link


def test_a_moment_before_anything_existed_gives_the_empty_map_score(pilot) -> None:
    now = timezone.now()
    goal = GoalFactory.create(alliance=pilot.alliance)
    red = InterestFactory.create(partner=pilot.logicorp, is_red_line=True)
    InterestLinkFactory.create(interest=red, goal=goal, effect=InterestLink.Effect.CONFLICTS)
    assert _strategic(pilot.alliance, now + timedelta(seconds=1))["red_lines"].score == 50

    before = _strategic(pilot.alliance, now - timedelta(seconds=1))
    assert before["alignment"].score == 20
    assert before["alignment"].fact == "No interests are shared on the interest map yet."
    assert before["red_lines"].score == 100


def test_an_interest_recorded_after_the_moment_is_left_out(pilot) -> None:
    now = timezone.now()
    _served_interest(pilot, now - timedelta(days=10))
    late = InterestFactory.create(partner=pilot.logicorp)  # no goal serves it
    _recorded(late, at=now - timedelta(days=5))

    assert _strategic(pilot.alliance, now - timedelta(days=5, seconds=1))["alignment"].score == 100
    assert _strategic(pilot.alliance, now - timedelta(days=5))["alignment"].score == 50
    assert _strategic(pilot.alliance, now)["alignment"].score == 50


def test_a_goal_or_link_recorded_after_the_moment_is_left_out(pilot) -> None:
    now = timezone.now()
    goal, link = _served_interest(pilot, now - timedelta(days=10))
    _recorded(link, at=now - timedelta(days=3))
    assert _strategic(pilot.alliance, now - timedelta(days=4))["alignment"].score == 0
    assert _strategic(pilot.alliance, now - timedelta(days=3))["alignment"].score == 100

    _recorded(goal, at=now - timedelta(days=2))  # the link cannot count before its goal
    assert _strategic(pilot.alliance, now - timedelta(days=3))["alignment"].score == 0
    assert _strategic(pilot.alliance, now - timedelta(days=2))["alignment"].score == 100


def test_an_interest_counts_only_while_it_was_shared_and_is_still_shared(pilot) -> None:
    now = timezone.now()
    _served_interest(pilot, now - timedelta(days=10))
    unserved = InterestFactory.create(
        partner=pilot.logicorp, visibility=Interest.Visibility.ORGANIZATION
    )
    _recorded(unserved, at=now - timedelta(days=10))
    unserved.change_visibility(Interest.Visibility.ALLIANCE, by=pilot.steering)
    VisibilityChange.objects.filter(interest=unserved).update(at=now - timedelta(days=4))
    # Private until four days ago, shared since.
    assert _strategic(pilot.alliance, now - timedelta(days=5))["alignment"].score == 100
    assert _strategic(pilot.alliance, now - timedelta(days=4))["alignment"].score == 50

    # Withdrawn today: it never counts again, not even for the days it was shared.
    unserved.change_visibility(Interest.Visibility.ORGANIZATION, by=pilot.steering)
    assert _strategic(pilot.alliance, now - timedelta(days=4))["alignment"].score == 100
    assert _strategic(pilot.alliance, timezone.now())["alignment"].score == 100


def _completed_review(
    alliance: Alliance, now: datetime, *, due: int, opened: int, completed: int
) -> Review:
    """A review due, opened and completed these many days before ``now``."""
    return Review.objects.create(
        alliance=alliance,
        due_at=now - timedelta(days=due),
        status=Review.Status.COMPLETED,
        outcome=Review.Outcome.CONTINUE,
        opened_at=now - timedelta(days=opened),
        completed_at=now - timedelta(days=completed),
    )


def test_a_review_completed_after_the_moment_was_pending_then(pilot) -> None:
    now = timezone.now()
    _completed_review(pilot.alliance, now, due=40, opened=35, completed=1)
    # Two days ago it had been open 38 days past its date: 50.
    review = _strategic(pilot.alliance, now - timedelta(days=2))["review"]
    assert (review.score, review.fact) == (50, "The review is 38 days overdue.")
    # Before it opened it was scheduled, and overdue: 36 days ago, 4 days.
    assert _strategic(pilot.alliance, now - timedelta(days=36))["review"].score == 50
    # Before its date it was not due yet.
    assert _strategic(pilot.alliance, now - timedelta(days=41))["review"].score == 100
    assert _strategic(pilot.alliance, now)["review"].fact.startswith("The last review was")


def test_the_review_scheduled_after_the_moment_did_not_exist_then(pilot) -> None:
    now = timezone.now()
    _completed_review(pilot.alliance, now, due=12, opened=12, completed=2)
    # The next one, scheduled when that one completed, is already overdue today.
    Review.objects.create(alliance=pilot.alliance, due_at=now - timedelta(days=1))
    assert _strategic(pilot.alliance, now)["review"].score == 50
    # Three days ago only the first existed, open for 9 days past its date.
    three_days_ago = _strategic(pilot.alliance, now - timedelta(days=3))["review"]
    assert (three_days_ago.score, three_days_ago.fact) == (100, "A review is under way.")


def test_the_first_review_exists_from_when_the_alliance_became_active(pilot) -> None:
    now = timezone.now()
    StageTransition.objects.create(
        alliance=pilot.alliance,
        from_stage=Alliance.Stage.FORMING,
        to_stage=Alliance.Stage.ACTIVE,
        at=now - timedelta(days=20),
    )
    Review.objects.create(alliance=pilot.alliance, due_at=now + timedelta(days=100))
    assert _strategic(pilot.alliance, now - timedelta(days=20))["review"].score == 100
    assert _strategic(pilot.alliance, now - timedelta(days=21))["review"].score == 60


def test_fits_recorded_after_the_moment_do_not_count(pilot) -> None:
    now = timezone.now()
    review = _completed_review(pilot.alliance, now, due=12, opened=12, completed=10)
    early = PartnerFit.objects.create(review=review, partner=pilot.techco, fit=5)
    late = PartnerFit.objects.create(review=review, partner=pilot.logicorp, fit=1)
    PartnerFit.objects.filter(pk=early.pk).update(recorded_at=now - timedelta(days=11))
    PartnerFit.objects.filter(pk=late.pk).update(recorded_at=now - timedelta(days=5))
    assert _strategic(pilot.alliance, now)["fit"].score == 50  # mean 3
    assert _strategic(pilot.alliance, now - timedelta(days=6))["fit"].score == 100  # mean 5
    # Before the review completed, its fits were not the last review's yet.
    assert "fit" not in _strategic(pilot.alliance, now - timedelta(days=11))


def _reviewed(alliance: Alliance, partner: Partner, now: datetime) -> None:
    """A review completed five days ago with a fit, and the next one scheduled."""
    review = _completed_review(alliance, now, due=10, opened=9, completed=5)
    PartnerFit.objects.create(review=review, partner=partner, fit=4)
    Review.objects.create(alliance=alliance, due_at=now + timedelta(days=100))


@pytest.mark.parametrize("days_ago", [0, 3])
def test_strategic_signals_cost_the_same_for_one_and_many_alliances(
    pilot, django_assert_num_queries, days_ago: int
) -> None:
    now = timezone.now()
    moment = now - timedelta(days=days_ago)
    _reviewed(pilot.alliance, pilot.techco, now)
    # The alliances, partners, goals, interests and links of the interest map; the reviews; the
    # fits of the last completed reviews.
    with django_assert_num_queries(7):
        StrategicHealth().signals([pilot.alliance], moment)
    for _n in range(5):
        alliance = AllianceFactory.create()
        partner = PartnerFactory.create(alliance=alliance)
        goal = GoalFactory.create(alliance=alliance)
        InterestLinkFactory.create(interest=InterestFactory.create(partner=partner), goal=goal)
        _reviewed(alliance, partner, now)
    alliances = list(Alliance.objects.all())
    with django_assert_num_queries(7):
        StrategicHealth().signals(alliances, moment)


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
    # Tomorrow at noon: after every fact below is recorded, and a later check is the same day.
    now = (timezone.now() + timedelta(days=1)).replace(hour=12, minute=0)
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
