"""Exit plans, notices, the wind-down checklist and the exit made effective by its timer."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from alliances import timers
from alliances.models import Alliance
from charters import exits
from charters.audit import Status, audit
from charters.models import ExitNotice


@pytest.fixture
def plan(pilot):
    plan = exits.exit_plan_save(
        alliance=pilot.alliance,
        by=pilot.manager,
        notice_period_days=90,
        non_disparagement="No public criticism of a partner for two years.",
        data_terms="Return delivery data within 30 days.",
        transition_obligations="Hand over open tickets\nIntroduce the replacement carrier",
    )
    exits.shared_asset_add(plan=plan, name="Tracking platform", contributed_by=pilot.techco,
                           division_rule="Stays with TechCo", allocation_on_exit="TechCo")  # fmt: skip
    return plan


def test_the_plan_counts_in_the_governance_audit(pilot, plan):
    item = next(i for i in audit(pilot.alliance) if i.key == "exit")
    assert item.status == Status.PASSED


def test_notice_sets_the_effective_date_and_the_checklist(pilot, plan):
    notice = exits.exit_notice_give(partner=pilot.logicorp, by=pilot.steering,
                                    reason="Network restructuring", given_on=date(2026, 12, 1))  # fmt: skip

    assert notice.effective_on == date(2027, 3, 1)
    titles = list(notice.tasks.values_list("title", "owner__organization__name"))
    assert ("Hand over open tickets", "LogiCorp") in titles
    assert ("Return or destroy shared data as agreed", "LogiCorp") in titles
    assert ("Settle the shared asset: Tracking platform", "TechCo") in titles
    assert all(task.due_on < notice.effective_on for task in notice.tasks.all())


def test_the_partner_is_exited_on_the_effective_date(pilot, plan):
    notice = exits.exit_notice_give(partner=pilot.logicorp, by=pilot.steering, reason="r")
    exit_timer = timers.get("exit-effective")

    day_before = datetime.combine(notice.effective_on, time.min, tzinfo=UTC) - timedelta(minutes=1)
    with time_machine.travel(day_before, tick=False):
        assert timers.sweep(exit_timer, timezone.now()) == 0
    with time_machine.travel(day_before + timedelta(minutes=2), tick=False):
        assert timers.sweep(exit_timer, timezone.now()) == 1

    pilot.logicorp.refresh_from_db()
    assert pilot.logicorp.exited_on == notice.effective_on
    assert ExitNotice.objects.get().status == ExitNotice.Status.EFFECTIVE
    pilot.alliance.refresh_from_db()
    # Two partners remain; the notice opened a realignment review, which is still under way.
    assert pilot.alliance.stage == Alliance.Stage.UNDER_REVIEW


def test_fewer_than_two_partners_moves_the_alliance_to_exit(pilot, plan):
    for partner in (pilot.logicorp, pilot.greenalliance):
        exits.exit_notice_give(partner=partner, by=pilot.manager, reason="Pilot over")
    later = timezone.now() + timedelta(days=91)

    with time_machine.travel(later, tick=False):
        timers.sweep(timers.get("exit-effective"), timezone.now())

    pilot.alliance.refresh_from_db()
    assert pilot.alliance.stage == Alliance.Stage.EXITING


def test_no_notice_without_a_plan_or_twice(pilot, plan):
    exits.exit_notice_give(partner=pilot.logicorp, by=pilot.steering, reason="r")
    with pytest.raises(ValidationError):
        exits.exit_notice_give(partner=pilot.logicorp, by=pilot.steering, reason="again")


def test_only_the_parties_confirm_an_asset_allocation(pilot, plan):
    notice = exits.exit_notice_give(partner=pilot.logicorp, by=pilot.steering, reason="r")
    asset = plan.assets.get()

    with pytest.raises(ValidationError):
        exits.asset_allocation_confirm(
            notice=notice, asset=asset, partner=pilot.greenalliance, by=pilot.manager
        )
    exits.asset_allocation_confirm(notice=notice, asset=asset, partner=pilot.techco, by=pilot.rep)
    exits.asset_allocation_confirm(
        notice=notice, asset=asset, partner=pilot.logicorp, by=pilot.steering
    )
    assert notice.confirmations.count() == 2


def test_mutual_dissolution_by_ballot_starts_the_exit(pilot, plan, green_steering):
    from datetime import timedelta as td

    from charters import ballots

    ballot = exits.dissolution_propose(
        alliance=pilot.alliance, by=pilot.manager, closes_at=timezone.now() + td(days=3)
    )
    with pytest.raises(ValidationError):
        exits.dissolution_propose(
            alliance=pilot.alliance, by=pilot.manager, closes_at=timezone.now() + td(days=3)
        )
    for person in (pilot.rep, pilot.steering, green_steering):
        ballots.vote_cast(ballot=ballot, by=person, choice="yes")

    pilot.alliance.refresh_from_db()
    assert pilot.alliance.stage == Alliance.Stage.EXITING


def test_notice_periods_join_the_calendar_feed(pilot, plan, outsider):
    from icalendar import Calendar

    from alliances import calendar

    notice = exits.exit_notice_give(partner=pilot.logicorp, by=pilot.steering, reason="r")

    events = Calendar.from_ical(calendar.feed_for(pilot.rep)).walk("VEVENT")
    leaving = [e for e in events if "leaves" in str(e["summary"])]
    assert [e.decoded("dtstart") for e in leaving] == [notice.effective_on]
    outsider_feed = Calendar.from_ical(calendar.feed_for(outsider)).walk("VEVENT")
    assert not any("leaves" in str(e["summary"]) for e in outsider_feed)


def test_a_force_majeure_pause_moves_the_exit_day(pilot, plan):
    from alliances import reviews

    notice = exits.exit_notice_give(partner=pilot.logicorp, by=pilot.steering, reason="r")
    before = notice.effective_on
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        reviews.timers_pause(alliance=pilot.alliance, by=pilot.manager, reason="Sanctions")
    with time_machine.travel(start + timedelta(days=20), tick=False):
        reviews.timers_resume(alliance=pilot.alliance, by=pilot.manager)

    notice.refresh_from_db()
    assert notice.effective_on == before + timedelta(days=20)
