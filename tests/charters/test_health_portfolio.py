"""What the operational source gives the portfolio: upcoming deadlines (ballots closing,
escalations' level deadlines, notices taking effect, wind-down tasks due) and what awaits a
person (open escalations, ballots waiting for the vote they cast for their partner).

Each fact is recorded at a moment around a fixed ``NOW`` (travelling there), and each
question is asked at the moment it names, with the clock at that moment too.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from alliances.health import Awaiting, Deadline
from alliances.models import Role
from alliances.timers import end_of_day, start_of_day
from charters import ballots, exits
from charters.escalations import escalation_raise, escalation_resolve
from charters.health import OperationalHealth
from charters.models import Ballot, Elector, Escalation, ExitNotice, WindDownTask
from tests.factories import AllianceFactory, PartnerFactory, RoleFactory, UserFactory

from .escalation_data import adopt_charter

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SECOND, HOUR, DAY = timedelta(seconds=1), timedelta(hours=1), timedelta(days=1)
CLOSES = NOW + 3 * DAY
QUESTION = "Admit a fourth partner?"
TITLE = "Who owns the delivery data?"


def deadlines(alliance, now):
    with time_machine.travel(now, tick=False):
        return OperationalHealth().deadlines([alliance], now).get(alliance.pk, [])


def awaiting(alliance, person, now):
    with time_machine.travel(now, tick=False):
        return OperationalHealth().awaiting([alliance], person, now).get(alliance.pk, [])


def titles(found):
    return [item.title for item in found]


@pytest.fixture
def charter(pilot, green_steering):
    """The guide's ladder (7, 10 and 5 days), adopted a month before NOW."""
    with time_machine.travel(NOW - 30 * DAY, tick=False):
        return adopt_charter(pilot, green_steering)


def _ballot(pilot, *, secret=False):
    with time_machine.travel(NOW, tick=False):
        return ballots.ballot_open(alliance=pilot.alliance, by=pilot.manager, question=QUESTION,
                                   scope="membership", closes_at=CLOSES, secret=secret)  # fmt: skip


def _vote(ballot, person, at):
    with time_machine.travel(at, tick=False):
        ballots.vote_cast(ballot=ballot, by=person, choice="yes")


def _escalation(pilot):
    with time_machine.travel(NOW, tick=False):
        return escalation_raise(alliance=pilot.alliance, by=pilot.rep, title=TITLE,
                                description="Both claim it.", scope="execution",
                                partners=[pilot.techco, pilot.logicorp])  # fmt: skip


def _ballot_url(ballot):
    return reverse(
        "ballot_detail", kwargs={"alliance_pk": ballot.alliance_id, "ballot_pk": ballot.pk}
    )


def _escalation_url(escalation):
    kwargs = {"alliance_pk": escalation.alliance_id, "escalation_pk": escalation.pk}
    return reverse("escalation_detail", kwargs=kwargs)


# Ballots ---------------------------------------------------------------------------------


def test_an_open_ballot_is_a_deadline_from_its_opening_until_it_closes(pilot, charter):
    ballot = _ballot(pilot)
    expected = Deadline(f"Ballot closes: {QUESTION}", CLOSES, _ballot_url(ballot))

    assert deadlines(pilot.alliance, NOW - SECOND) == []
    assert deadlines(pilot.alliance, NOW) == [expected]
    assert deadlines(pilot.alliance, CLOSES - SECOND) == [expected]
    assert deadlines(pilot.alliance, CLOSES) == []  # before the closing sweep has even run


def test_a_ballot_everyone_voted_on_closes_early_and_leaves_the_deadlines(
    pilot, charter, green_steering
):
    ballot = _ballot(pilot)
    for person in (pilot.rep, pilot.steering, green_steering):
        _vote(ballot, person, NOW + HOUR)
    assert Ballot.objects.get(pk=ballot.pk).status == Ballot.Status.CLOSED

    assert titles(deadlines(pilot.alliance, NOW + HOUR - SECOND)) == [f"Ballot closes: {QUESTION}"]
    assert deadlines(pilot.alliance, NOW + HOUR) == []


def test_a_ballot_awaits_each_delegate_whose_partner_has_not_voted(pilot, charter, green_steering):
    ballot = _ballot(pilot)
    expected = [Awaiting("ballot", QUESTION, _ballot_url(ballot), CLOSES)]

    for person in (pilot.rep, pilot.steering, green_steering):
        assert awaiting(pilot.alliance, person, NOW + HOUR) == expected

    _vote(ballot, pilot.rep, NOW + HOUR)

    assert awaiting(pilot.alliance, pilot.rep, NOW + 2 * HOUR) == []  # TechCo has voted
    assert awaiting(pilot.alliance, pilot.steering, NOW + 2 * HOUR) == expected


def test_a_ballot_awaits_nobody_before_it_opens_nor_once_it_closes(pilot, charter):
    _ballot(pilot)

    assert awaiting(pilot.alliance, pilot.rep, NOW - SECOND) == []
    assert titles(awaiting(pilot.alliance, pilot.rep, CLOSES - SECOND)) == [QUESTION]
    assert awaiting(pilot.alliance, pilot.rep, CLOSES) == []


def test_a_ballot_is_awaited_as_of_the_moment_asked_whatever_the_clock(pilot, charter):
    _ballot(pilot)

    with time_machine.travel(CLOSES + DAY, tick=False):  # the clock, past the close
        found = OperationalHealth().awaiting([pilot.alliance], pilot.rep, CLOSES - SECOND)
    with time_machine.travel(NOW - DAY, tick=False):  # the clock, before the close
        after = OperationalHealth().awaiting([pilot.alliance], pilot.rep, CLOSES)

    assert titles(found[pilot.alliance.pk]) == [QUESTION]
    assert pilot.alliance.pk not in after


def test_a_secret_ballot_awaits_its_voters_too(pilot, charter):
    ballot = _ballot(pilot, secret=True)

    assert awaiting(pilot.alliance, pilot.rep, NOW) == [
        Awaiting("ballot", QUESTION, _ballot_url(ballot), CLOSES)
    ]


def test_no_ballot_awaits_someone_who_does_not_cast_a_partners_vote(pilot, charter, outsider):
    _ballot(pilot)
    observer = UserFactory.create()
    RoleFactory.create(alliance=pilot.alliance, person=observer, kind=Role.Kind.OBSERVER,
                       partner=pilot.techco)  # fmt: skip

    # The coalition manager and an observer see the alliance but vote for no partner.
    assert awaiting(pilot.alliance, pilot.manager, NOW) == []
    assert awaiting(pilot.alliance, observer, NOW) == []
    assert awaiting(pilot.alliance, outsider, NOW) == []


def test_a_representative_stops_voting_once_their_partner_has_a_steering_member(pilot, charter):
    _ballot(pilot)
    steering = UserFactory.create()
    RoleFactory.create(alliance=pilot.alliance, person=steering,
                       kind=Role.Kind.STEERING_COMMITTEE, partner=pilot.techco)  # fmt: skip

    assert awaiting(pilot.alliance, pilot.rep, NOW) == []
    assert titles(awaiting(pilot.alliance, steering, NOW)) == [QUESTION]


def test_a_person_voting_for_two_partners_has_the_ballot_once(pilot, charter):
    _ballot(pilot)
    # LogiCorp's steering member also represents TechCo, which has no steering member.
    RoleFactory.create(alliance=pilot.alliance, person=pilot.steering,
                       kind=Role.Kind.PARTNER_REPRESENTATIVE, partner=pilot.techco)  # fmt: skip

    assert titles(awaiting(pilot.alliance, pilot.steering, NOW)) == [QUESTION]


# Escalations -----------------------------------------------------------------------------


def test_an_escalations_level_deadline_is_a_deadline_until_it_passes(pilot, charter):
    escalation = _escalation(pilot)
    level_deadline = NOW + 7 * DAY
    expected = Deadline(f"Escalation level deadline: {TITLE}", level_deadline,
                        _escalation_url(escalation))  # fmt: skip

    assert deadlines(pilot.alliance, NOW - SECOND) == []
    assert deadlines(pilot.alliance, NOW) == [expected]
    assert deadlines(pilot.alliance, level_deadline - SECOND) == [expected]
    assert deadlines(pilot.alliance, level_deadline) == []


def test_an_open_escalation_awaits_everyone_in_the_alliance(pilot, charter, outsider):
    escalation = _escalation(pilot)
    expected = [Awaiting("escalation", TITLE, _escalation_url(escalation), NOW + 7 * DAY)]

    for person in (pilot.manager, pilot.rep, pilot.steering):
        assert awaiting(pilot.alliance, person, NOW + HOUR) == expected
    assert awaiting(pilot.alliance, pilot.manager, NOW - SECOND) == []  # not raised yet
    # Past its level's deadline it is still open, and overdue.
    assert awaiting(pilot.alliance, pilot.manager, NOW + 8 * DAY) == expected
    assert awaiting(pilot.alliance, outsider, NOW + HOUR) == []


def test_a_resolved_escalation_leaves_the_deadlines_and_awaits_nobody(pilot, charter):
    escalation = _escalation(pilot)
    with time_machine.travel(NOW + DAY, tick=False):
        escalation_resolve(escalation=escalation, by=pilot.manager, resolution="Shared.")

    before = NOW + DAY - SECOND
    assert titles(deadlines(pilot.alliance, before)) == [f"Escalation level deadline: {TITLE}"]
    assert titles(awaiting(pilot.alliance, pilot.rep, before)) == [TITLE]
    assert deadlines(pilot.alliance, NOW + DAY) == []
    assert awaiting(pilot.alliance, pilot.rep, NOW + DAY) == []


def test_an_escalation_at_a_level_without_a_deadline_awaits_without_a_due_moment(pilot):
    Escalation.objects.create(alliance=pilot.alliance, title=TITLE, description="d",
                              scope="execution", raised_at=NOW - DAY, level_deadline=None)  # fmt: skip

    assert deadlines(pilot.alliance, NOW) == []
    assert [(item.kind, item.due) for item in awaiting(pilot.alliance, pilot.rep, NOW)] == [
        ("escalation", None)
    ]


# Exit notices and their wind-down ----------------------------------------------------------


@pytest.fixture
def notice(pilot):
    """LogiCorp gives 60 days' notice on NOW's day: it leaves on 31 July, hands over its
    routes by 1 July (half-way) and deals with the shared data by 30 July."""
    exits.exit_plan_save(alliance=pilot.alliance, by=pilot.manager, notice_period_days=60,
                         transition_obligations="Hand over the routes",
                         data_terms="Delete the shared data.")  # fmt: skip
    with time_machine.travel(NOW, tick=False):
        return exits.exit_notice_give(partner=pilot.logicorp, by=pilot.steering, reason="Focus")


def _notice_url(notice):
    return reverse(
        "exit_notice_detail", kwargs={"alliance_pk": notice.alliance_id, "notice_pk": notice.pk}
    )


def test_a_notice_and_its_wind_down_tasks_are_deadlines(pilot, notice):
    url = _notice_url(notice)
    handover, data, leaving = date(2026, 7, 1), date(2026, 7, 30), date(2026, 7, 31)

    assert sorted(deadlines(pilot.alliance, NOW + HOUR), key=lambda d: (d.at, d.title)) == [
        Deadline("Wind-down task due: Hand over the routes",
                 start_of_day(handover + DAY), url, day=handover),
        Deadline("Notice takes effect: LogiCorp", start_of_day(leaving), url, day=leaving),
        Deadline("Wind-down task due: Return or destroy shared data as agreed",
                 start_of_day(data + DAY), url, day=data),
    ]  # fmt: skip


def test_a_task_is_due_all_its_day_and_the_exit_comes_at_the_start_of_its_own(pilot, notice):
    handover, leaving = start_of_day(date(2026, 7, 1)), start_of_day(date(2026, 7, 31))

    assert "Wind-down task due: Hand over the routes" in titles(
        deadlines(pilot.alliance, handover + DAY - SECOND)
    )
    assert "Wind-down task due: Hand over the routes" not in titles(
        deadlines(pilot.alliance, handover + DAY)
    )
    assert sorted(titles(deadlines(pilot.alliance, leaving - SECOND))) == [
        "Notice takes effect: LogiCorp",
        "Wind-down task due: Return or destroy shared data as agreed",  # due the day before
    ]
    assert deadlines(pilot.alliance, leaving) == []


def test_a_task_done_leaves_the_deadlines(pilot, notice):
    task = WindDownTask.objects.get(notice=notice, title="Hand over the routes")
    with time_machine.travel(NOW + DAY, tick=False):
        exits.wind_down_task_done(task=task, by=pilot.steering)

    assert "Wind-down task due: Hand over the routes" in titles(
        deadlines(pilot.alliance, NOW + DAY - SECOND)
    )
    assert "Wind-down task due: Hand over the routes" not in titles(
        deadlines(pilot.alliance, NOW + DAY)
    )


def test_a_withdrawn_notice_leaves_nothing_behind(pilot, notice):
    with time_machine.travel(NOW + DAY, tick=False):
        exits.exit_notice_withdraw(notice=notice)

    assert deadlines(pilot.alliance, NOW + 2 * DAY) == []


def test_a_notice_is_a_deadline_from_the_day_before_its_date(pilot, notice):
    """Its date is the giver's own, up to a day ahead of UTC's: from the day before, it is
    listed wherever it was given."""
    day_before = start_of_day(NOW.date()) - DAY

    assert deadlines(pilot.alliance, day_before - SECOND) == []
    assert "Notice takes effect: LogiCorp" in titles(deadlines(pilot.alliance, day_before))


def test_a_wind_down_task_on_the_last_day_a_date_holds_is_listed(pilot, notice):
    """A day with no day after it ends at the latest moment every time zone can show."""
    WindDownTask.objects.filter(notice=notice).update(due_on=date.max)
    ExitNotice.objects.filter(pk=notice.pk).update(effective_on=date.max)

    found = {d.title: d for d in deadlines(pilot.alliance, NOW + HOUR)}

    task = found["Wind-down task due: Hand over the routes"]
    assert task.day == date.max
    assert task.at == end_of_day(date.max)
    assert task.at.astimezone(ZoneInfo("Pacific/Kiritimati")).date() == date.max


# Queries ---------------------------------------------------------------------------------


def _busy(alliance, person):
    """An open ballot the person votes in, an escalation, and a notice with a task."""
    voter, other = (PartnerFactory.create(alliance=alliance, resource_share=50) for _ in "ab")
    RoleFactory.create(alliance=alliance, person=person, kind=Role.Kind.STEERING_COMMITTEE,
                       partner=voter)  # fmt: skip
    ballot = Ballot.objects.create(alliance=alliance, subject=Ballot.Subject.MOTION,
                                   question=QUESTION, scope="strategy", mode="simple_majority",
                                   quorum=Decimal("0.5"), opens_at=NOW - DAY, closes_at=CLOSES)  # fmt: skip
    Elector.objects.bulk_create(Elector(ballot=ballot, partner=p) for p in (voter, other))
    Escalation.objects.create(alliance=alliance, title=TITLE, description="d", scope="execution",
                              raised_at=NOW - DAY, level_deadline=NOW + DAY)  # fmt: skip
    notice = ExitNotice.objects.create(alliance=alliance, partner=other, reason="r",
                                       given_on=NOW.date(), effective_on=NOW.date() + 60 * DAY)  # fmt: skip
    WindDownTask.objects.create(notice=notice, title="Hand over", owner=other,
                                due_on=NOW.date() + 30 * DAY)  # fmt: skip


@pytest.fixture
def busy_alliances(pilot):
    person = pilot.manager
    alliances = [AllianceFactory.create() for _ in range(10)]
    for alliance in alliances:
        _busy(alliance, person)
    return person, alliances


@pytest.mark.parametrize("many", [1, 10])
def test_deadlines_take_four_queries_for_one_alliance_or_ten(
    busy_alliances, many, django_assert_num_queries
):
    _person, alliances = busy_alliances
    with time_machine.travel(NOW, tick=False), django_assert_num_queries(4):
        found = OperationalHealth().deadlines(alliances[:many], NOW)

    assert set(found) == {alliance.pk for alliance in alliances[:many]}
    assert all(len(items) == 4 for items in found.values())


@pytest.mark.parametrize("many", [1, 10])
def test_awaiting_takes_two_queries_for_one_alliance_or_ten(
    busy_alliances, many, django_assert_num_queries
):
    person, alliances = busy_alliances
    with time_machine.travel(NOW, tick=False), django_assert_num_queries(2):
        found = OperationalHealth().awaiting(alliances[:many], person, NOW)

    assert set(found) == {alliance.pk for alliance in alliances[:many]}
    assert all(
        sorted(item.kind for item in items) == ["ballot", "escalation"] for items in found.values()
    )
