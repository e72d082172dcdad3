"""The operational layer's signals, rule by rule at their boundaries: the governance audit's
items in place, escalations resolved within their deadlines, ballots reaching quorum.

Facts are recorded at moments around a fixed ``NOW`` and read as of ``NOW``, so nothing
depends on the clock.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alliances import timers
from alliances.health import assess
from alliances.models import Alliance, TimerPause
from charters import ballots, exits
from charters.audit import audit, audit_many
from charters.escalations import escalation_propose, escalation_raise, escalation_resolve
from charters.health import OVERDUE_PENALTY, SWEEP_LAG, OperationalHealth
from charters.models import Ballot, Escalation, EscalationEvent
from charters.rules import Mode
from charters.tally import Outcome
from tests.factories import AllianceFactory, PartnerFactory

from .escalation_data import adopt_charter
from .test_audit import _adopt, _complete

NOW = timezone.now()
DAY = timedelta(days=1)
LADDER = [
    {"name": "Working group", "days": 7},
    {"name": "Steering committee", "days": 10},
    {"name": "Executive sponsors", "days": None},
]
Event = EscalationEvent.Kind


def _signals(alliance, now=NOW):
    found = OperationalHealth().signals([alliance], now)[alliance.pk]
    return {signal.key: signal for signal in found}


def _signal(alliance, key, now=NOW):
    return _signals(alliance, now)[key]


# The governance audit -------------------------------------------------------------------


def _balanced(pilot):
    for partner, share in ((pilot.techco, 34), (pilot.logicorp, 33), (pilot.greenalliance, 33)):
        partner.resource_share = Decimal(share)
        partner.save()


def _exit_plan(pilot, *, assets=True):
    plan = exits.exit_plan_save(alliance=pilot.alliance, by=pilot.manager,
                                notice_period_days=60, non_disparagement="No public criticism.")  # fmt: skip
    if assets:
        exits.shared_asset_add(plan=plan, name="Data", contributed_by=pilot.logicorp,
                               division_rule="Back to LogiCorp")  # fmt: skip
    return plan


def test_without_a_charter_the_audit_signal_names_what_is_undefined(pilot):
    signal = _signal(pilot.alliance, "governance_audit", timezone.now())

    # In place: force majeure (one country). Advice: minority (40/35/25). The rest missing.
    assert signal.score == round(100 * 1.5 / 6) == 25
    assert signal.layer == "operational"
    assert signal.url == reverse("charter", kwargs={"alliance_pk": pilot.alliance.pk}) + "#audit"
    assert signal.move is not None
    assert signal.move.key == "audit_governance"
    assert signal.move.title == "Audit governance"
    assert signal.move.url == signal.url
    for title in (
        "Decision-making for each scope",
        "Mutual exit plan",
        "Realignment review cadence",
    ):
        assert title in signal.move.reason
        assert title in signal.fact
    assert "Force majeure" not in signal.move.reason


def test_every_item_in_place_scores_100_without_a_move(pilot, green_steering):
    _balanced(pilot)
    _adopt(pilot, green_steering, _complete())
    _exit_plan(pilot)

    signal = _signal(pilot.alliance, "governance_audit", timezone.now())

    assert (signal.score, signal.move) == (100, None)
    assert signal.fact == "6 of 6 governance items are in place."


def test_an_item_with_advice_counts_half_and_a_missing_one_nothing(pilot, green_steering):
    _balanced(pilot)
    _adopt(pilot, green_steering, _complete())
    assert _signal(pilot.alliance, "governance_audit", timezone.now()).score == round(500 / 6)

    _exit_plan(pilot, assets=False)  # a plan without its shared assets: advice
    signal = _signal(pilot.alliance, "governance_audit", timezone.now())

    assert signal.score == round(550 / 6) == 92
    assert signal.move is None  # advice alone calls for no audit
    assert "Advice on: Mutual exit plan." in signal.fact


def test_the_one_page_advice_is_not_an_item_the_charter_lacks(pilot, green_steering):
    _balanced(pilot)
    _adopt(pilot, green_steering, _complete())
    _exit_plan(pilot)
    pilot.alliance.expected_end = pilot.alliance.created_at.date() + timedelta(days=30)
    pilot.alliance.save()

    assert "one_page" in {item.key for item in audit(pilot.alliance)}
    assert _signal(pilot.alliance, "governance_audit", timezone.now()).score == 100


def test_the_audit_reads_the_charter_in_force_at_the_moment_assessed(pilot, green_steering):
    _balanced(pilot)
    version = _adopt(pilot, green_steering, _complete())
    version.refresh_from_db()

    before = _signal(pilot.alliance, "governance_audit", version.adopted_at - timedelta(seconds=1))
    after = _signal(pilot.alliance, "governance_audit", version.adopted_at)

    assert before.score < after.score
    assert "Decision-making for each scope" in before.move.reason


def test_a_superseded_version_was_in_force_until_it_was_superseded(pilot, green_steering):
    _balanced(pilot)
    first = _adopt(pilot, green_steering, _complete())
    with time_machine.travel(timezone.now() + DAY, tick=False):
        second = _adopt(pilot, green_steering, _complete(force_majeure="", scopes={}))
    first.refresh_from_db()
    second.refresh_from_db()

    while_first = audit_many([pilot.alliance], second.adopted_at - timedelta(seconds=1))
    under_second = audit_many([pilot.alliance], second.adopted_at)

    decisions = {k: {i.key: i.status for i in v}["decisions"] for k, v in while_first.items()}
    assert decisions == {pilot.alliance.pk: "passed"}
    assert {i.key: i.status for i in under_second[pilot.alliance.pk]}["decisions"] == "missing"


def test_audit_many_gives_each_alliance_what_audit_gives_it(pilot, green_steering, outsider):
    _adopt(pilot, green_steering, _complete())
    _exit_plan(pilot, assets=False)
    others = list(Alliance.objects.exclude(pk=pilot.alliance.pk))

    many = audit_many([pilot.alliance, *others])

    for alliance in [pilot.alliance, *others]:
        assert many[alliance.pk] == audit(alliance)


@pytest.mark.parametrize("days_ago", [0, 30])
def test_audit_many_takes_four_queries_for_one_alliance_or_ten(
    pilot, django_assert_num_queries, days_ago
):
    moment = timezone.now() - timedelta(days=days_ago)
    alliances = [pilot.alliance]
    with django_assert_num_queries(4):
        audit_many(alliances, moment)
    for _ in range(9):
        alliance = AllianceFactory.create()
        for share in (60, 40):
            PartnerFactory.create(alliance=alliance, resource_share=share)
        alliances.append(alliance)
    with django_assert_num_queries(4):
        audit_many(alliances, moment)


# Escalations ------------------------------------------------------------------------------


def _escalation(alliance, raised, *, moves=(), closed=None, status=Escalation.Status.OPEN,
                extended=(), title="Who owns the data?"):  # fmt: skip
    """An escalation recorded as the services record one: ``moves`` are (kind, at, level)
    climbs, ``extended`` (level, days) extensions, ``closed`` the closing moment."""
    level = max((to for _kind, _at, to in moves), default=0)
    escalation = Escalation.objects.create(
        alliance=alliance, title=title, description="d", scope="strategy", ladder_json=LADDER,
        raised_at=raised, level=level, status=status, closed_at=closed,
    )  # fmt: skip
    events = [EscalationEvent(escalation=escalation, kind=Event.RAISED, level=0, at=raised)]
    events += [EscalationEvent(escalation=escalation, kind=kind, level=to, at=at)
               for kind, at, to in moves]  # fmt: skip
    events += [EscalationEvent(escalation=escalation, kind=Event.EXTENDED, level=lv, days=days,
                               at=raised) for lv, days in extended]  # fmt: skip
    if closed is not None:
        kind = {"resolved": Event.RESOLVED, "withdrawn": Event.WITHDRAWN,
                "unresolved": Event.UNRESOLVED}[status]  # fmt: skip
        events.append(EscalationEvent(escalation=escalation, kind=kind, level=level, at=closed))
    EscalationEvent.objects.bulk_create(events)
    return escalation


def _resolved(alliance, raised, closed, moves=(), **kwargs):
    return _escalation(alliance, raised, moves=moves, closed=closed,
                       status=Escalation.Status.RESOLVED, **kwargs)  # fmt: skip


def test_no_escalations_at_all_is_a_good_sign(pilot):
    signal = _signal(pilot.alliance, "escalations")

    assert signal.score == 100
    assert "No escalations" in signal.fact
    assert signal.url == reverse("escalation_list", kwargs={"alliance_pk": pilot.alliance.pk})
    assert signal.weight == 2


def test_resolved_where_it_started_counts_as_on_time_whenever_it_closed(pilot):
    raised = NOW - 30 * DAY
    _resolved(pilot.alliance, raised, raised + 7 * DAY + SWEEP_LAG + DAY)  # a lagging sweep

    signal = _signal(pilot.alliance, "escalations")
    assert signal.score == 100
    assert signal.fact.startswith("1 of 1 escalation closed in the last 12 months was resolved")


@pytest.mark.parametrize(("late_by", "score"), [(timedelta(0), 100), (timedelta(seconds=1), 0)])
def test_moved_up_by_hand_within_the_deadline_is_on_time(pilot, late_by, score):
    raised = NOW - 30 * DAY
    moved = raised + 7 * DAY + SWEEP_LAG + late_by
    _resolved(pilot.alliance, raised, moved + DAY, moves=[(Event.ESCALATED, moved, 1)])

    assert _signal(pilot.alliance, "escalations").score == score


def test_moved_up_by_the_deadline_sweep_means_the_deadline_passed(pilot):
    raised = NOW - 30 * DAY
    _resolved(pilot.alliance, raised, raised + 8 * DAY,
              moves=[(Event.CLIMBED, raised + 7 * DAY, 1)])  # fmt: skip

    signal = _signal(pilot.alliance, "escalations")
    assert signal.score == 0
    assert "“Who owns the data?” stayed with the Working group past its deadline." in signal.fact


@pytest.mark.parametrize(("late_by", "score"), [(timedelta(0), 100), (timedelta(seconds=1), 0)])
def test_resolved_at_a_higher_level_by_its_deadline_is_on_time(pilot, late_by, score):
    raised = NOW - 60 * DAY
    moved = raised + 2 * DAY
    resolved = moved + 10 * DAY + SWEEP_LAG + late_by
    _resolved(pilot.alliance, raised, resolved, moves=[(Event.ESCALATED, moved, 1)])

    assert _signal(pilot.alliance, "escalations").score == score


def test_an_agreed_extension_moves_the_deadline_on(pilot):
    raised = NOW - 60 * DAY
    moved = raised + 9 * DAY  # two days after the working group's seven
    _resolved(pilot.alliance, raised, moved + DAY, moves=[(Event.ESCALATED, moved, 1)],
              extended=[(0, 2)])  # fmt: skip

    assert _signal(pilot.alliance, "escalations").score == 100


def test_a_force_majeure_pause_lifted_meanwhile_moves_the_deadline_on(pilot):
    raised = NOW - 60 * DAY
    TimerPause.objects.create(alliance=pilot.alliance, reason="Sanctions",
                              paused_at=raised + DAY, resumed_at=raised + 4 * DAY)  # fmt: skip
    moved = raised + 10 * DAY  # seven days plus the three of the pause
    _resolved(pilot.alliance, raised, moved + DAY, moves=[(Event.ESCALATED, moved, 1)])

    assert _signal(pilot.alliance, "escalations").score == 100


def test_unresolved_at_the_top_fails_and_withdrawn_ones_do_not_count(pilot):
    raised = NOW - 60 * DAY
    _resolved(pilot.alliance, raised, raised + DAY)
    _escalation(pilot.alliance, raised, closed=raised + 2 * DAY, status="withdrawn")
    _escalation(pilot.alliance, raised, closed=raised + 30 * DAY, status="unresolved",
                moves=[(Event.ESCALATED, raised + DAY, 1), (Event.ESCALATED, raised + 2 * DAY, 2)])  # fmt: skip

    signal = _signal(pilot.alliance, "escalations")
    assert signal.score == 50
    assert signal.fact.startswith("1 of 2 escalations closed")


@pytest.mark.parametrize(("age", "counted"), [(365 * DAY, False), (365 * DAY - timedelta(seconds=1), True)])  # fmt: skip
def test_escalations_closed_in_the_last_12_months_count(pilot, age, counted):
    closed = NOW - age
    _escalation(pilot.alliance, closed - 30 * DAY, closed=closed, status="unresolved")

    assert _signal(pilot.alliance, "escalations").score == (0 if counted else 100)


def test_what_happened_after_the_moment_assessed_is_left_out(pilot):
    raised = NOW - 10 * DAY
    # Climbed by the sweep and resolved after NOW: at NOW it was open, within its deadline.
    _resolved(pilot.alliance, raised, NOW + DAY, moves=[(Event.CLIMBED, NOW - 3 * DAY, 1)])
    _escalation(pilot.alliance, NOW + DAY)  # not raised yet

    signal = _signal(pilot.alliance, "escalations")
    assert signal.score == 100
    assert "1 escalation is open, within its deadline." in signal.fact


@pytest.mark.parametrize(("past", "score"), [(timedelta(0), 100), (timedelta(seconds=1), 100 - OVERDUE_PENALTY)])  # fmt: skip
def test_an_open_escalation_past_its_deadline_costs_points(pilot, past, score):
    _escalation(pilot.alliance, NOW - 7 * DAY - SWEEP_LAG - past)

    signal = _signal(pilot.alliance, "escalations")
    assert signal.score == score
    if score < 100:
        assert "1 open escalation is past its level's deadline." in signal.fact


def test_the_penalty_comes_off_the_share_and_stops_at_zero(pilot):
    raised = NOW - 60 * DAY
    _resolved(pilot.alliance, raised, raised + DAY)
    _escalation(pilot.alliance, raised, closed=raised + 30 * DAY, status="unresolved")
    _escalation(pilot.alliance, NOW - 8 * DAY)
    assert _signal(pilot.alliance, "escalations").score == 50 - OVERDUE_PENALTY

    for _ in range(2):
        _escalation(pilot.alliance, NOW - 8 * DAY)
    assert _signal(pilot.alliance, "escalations").score == 0


def test_during_a_force_majeure_pause_deadlines_wait(pilot):
    _escalation(pilot.alliance, NOW - 8 * DAY)
    Alliance.objects.filter(pk=pilot.alliance.pk).update(paused_at=NOW - 2 * DAY)
    pilot.alliance.refresh_from_db()

    assert _signal(pilot.alliance, "escalations").score == 100


def test_the_top_of_the_ladder_without_a_limit_is_never_overdue(pilot):
    raised = NOW - 90 * DAY
    _escalation(pilot.alliance, raised, moves=[(Event.ESCALATED, raised + DAY, 1),
                                               (Event.ESCALATED, raised + 2 * DAY, 2)])  # fmt: skip

    assert _signal(pilot.alliance, "escalations").score == 100


def test_through_the_services_a_dispute_left_to_its_deadline_is_late(pilot, green_steering):
    adopt_charter(pilot, green_steering)
    late = escalation_raise(alliance=pilot.alliance, by=pilot.rep, title="Late", description="d",
                            scope="strategy", partners=[pilot.techco, pilot.greenalliance])  # fmt: skip
    settled = escalation_raise(alliance=pilot.alliance, by=pilot.rep, title="Settled",
                               description="d", scope="budget", partners=[pilot.techco])  # fmt: skip
    escalation_propose(escalation=late, by=pilot.rep, text="Open data")
    escalation_resolve(escalation=settled, by=pilot.rep, resolution="Agreed")
    assert late.level_deadline is not None
    sweep_at = late.level_deadline + timedelta(minutes=1)
    with time_machine.travel(sweep_at, tick=False):
        timers.sweep(timers.get("escalation-deadline"), timezone.now())
    late.refresh_from_db()
    assert late.level == 1
    with time_machine.travel(sweep_at + DAY, tick=False):
        escalation_resolve(escalation=late, by=pilot.manager, resolution="Open data")

    signal = _signal(pilot.alliance, "escalations", sweep_at + 2 * DAY)

    assert signal.score == 50
    assert "“Late” stayed with the Working group past its deadline." in signal.fact


# Ballots ----------------------------------------------------------------------------------


def _ballot(alliance, *, outcome=Outcome.PASSED, closed=NOW - DAY, mode=Mode.SIMPLE_MAJORITY,
            turnout="1", total="1", quorum="0.5"):  # fmt: skip
    return Ballot.objects.create(
        alliance=alliance, subject=Ballot.Subject.MOTION, question="q", scope="budget",
        options=["yes", "no"], mode=mode, quorum=Decimal(quorum), opens_at=closed - 7 * DAY,
        closes_at=closed, status=Ballot.Status.CLOSED, closed_at=closed, outcome=outcome,
        result_json={"turnout": turnout, "total": total},
    )  # fmt: skip


def test_without_ballots_the_signal_is_neutral(pilot):
    signal = _signal(pilot.alliance, "ballots")

    assert signal.score == 70
    assert signal.fact == "No ballot was held in the last 12 months."
    assert signal.url == reverse("ballot_list", kwargs={"alliance_pk": pilot.alliance.pk})


def test_passed_and_failed_ballots_reached_quorum_and_no_quorum_did_not(pilot):
    _ballot(pilot.alliance, outcome=Outcome.PASSED)
    _ballot(pilot.alliance, outcome=Outcome.FAILED)
    _ballot(pilot.alliance, outcome=Outcome.NO_QUORUM)

    signal = _signal(pilot.alliance, "ballots")
    assert signal.score == 67
    assert signal.fact == "2 of 3 ballots closed in the last 12 months reached their quorum."


@pytest.mark.parametrize(
    ("turnout", "mode", "reached"),
    [("0.5", Mode.SIMPLE_MAJORITY, True), ("0.49", Mode.SIMPLE_MAJORITY, False),
     ("0", Mode.LEAD_PARTNER, True)],
)  # fmt: skip
def test_a_vetoed_ballot_reached_quorum_if_enough_weight_took_part(pilot, turnout, mode, reached):
    _ballot(pilot.alliance, outcome=Outcome.VETOED, turnout=turnout, total="1", mode=mode)

    assert _signal(pilot.alliance, "ballots").score == (100 if reached else 0)


@pytest.mark.parametrize(
    ("closed", "counted"),
    [(NOW - 365 * DAY, False), (NOW - 365 * DAY + timedelta(seconds=1), True),
     (NOW, True), (NOW + timedelta(seconds=1), False)],
)  # fmt: skip
def test_ballots_closed_in_the_12_months_up_to_the_moment_count(pilot, closed, counted):
    _ballot(pilot.alliance, outcome=Outcome.NO_QUORUM, closed=closed)

    assert _signal(pilot.alliance, "ballots").score == (0 if counted else 70)


def test_a_real_ballot_nobody_voted_in_fails_its_quorum(pilot):
    ballot = ballots.ballot_open(alliance=pilot.alliance, by=pilot.manager, question="Budget?",
                                 scope="budget", closes_at=timezone.now() + DAY)  # fmt: skip
    with time_machine.travel(ballot.closes_at, tick=False):
        timers.sweep(timers.get("ballot-closing"), timezone.now())

    assert _signal(pilot.alliance, "ballots", ballot.closes_at + DAY).score == 0


# The layer --------------------------------------------------------------------------------


def test_the_operational_layer_weighs_audit_and_escalations_double(pilot):
    layer = assess(pilot.alliance, NOW).layer("operational")

    scores = {signal.key: (signal.score, signal.weight) for signal in layer.signals}
    assert scores == {"governance_audit": (25, 2), "escalations": (100, 2), "ballots": (70, 1)}
    assert layer.score == round((25 * 2 + 100 * 2 + 70) / 5) == 64


def test_signals_take_the_same_queries_for_one_alliance_or_ten(pilot, django_assert_num_queries):
    def busy(alliance):
        for share in (60, 40):
            PartnerFactory.create(alliance=alliance, resource_share=share)
        _resolved(
            alliance, NOW - 30 * DAY, NOW - 20 * DAY, moves=[(Event.CLIMBED, NOW - 23 * DAY, 1)]
        )
        _escalation(alliance, NOW - 9 * DAY)
        _ballot(alliance)
        TimerPause.objects.create(alliance=alliance, reason="r", paused_at=NOW - 5 * DAY,
                                  resumed_at=NOW - 4 * DAY)  # fmt: skip

    busy(pilot.alliance)
    source = OperationalHealth()
    with django_assert_num_queries(8):
        source.signals([pilot.alliance], NOW)
    alliances = [pilot.alliance]
    for _ in range(9):
        alliance = AllianceFactory.create()
        busy(alliance)
        alliances.append(alliance)
    with django_assert_num_queries(8):
        signals = source.signals(alliances, NOW)
    assert {signals[a.pk][1].score for a in alliances} == {0}  # late, and one overdue


def test_without_escalations_their_events_and_pauses_are_not_read(pilot, django_assert_num_queries):
    alliances = [pilot.alliance, *AllianceFactory.create_batch(9)]
    for alliance in alliances:
        _ballot(alliance)
    with django_assert_num_queries(6):
        OperationalHealth().signals(alliances[:1], NOW)
    with django_assert_num_queries(6):
        OperationalHealth().signals(alliances, NOW)
