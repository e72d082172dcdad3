"""What the relational source gives the portfolio: open commitments falling due and open
check-in rounds coming to their last day, each a deadline from the start (UTC) of its day.

Facts are recorded at moments around a fixed ``NOW`` (travelling there); each question is
asked at the moment it names.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from alliances.health import Deadline
from alliances.timers import start_of_day
from trustaccount import checkins, commitments
from trustaccount.health import RelationalHealth

from .health_data import DAY, NOW, another_pilot

SECOND = timedelta(seconds=1)
DUE = date(2026, 6, 10)
PROMISE = "Send the delivery data"


def deadlines(alliance, now):
    with time_machine.travel(now, tick=False):
        return RelationalHealth().deadlines([alliance], now).get(alliance.pk, [])


def _promise(pilot, due_on=DUE):
    with time_machine.travel(NOW, tick=False):
        return commitments.commitment_make(
            alliance=pilot.alliance, by=pilot.manager, owner=pilot.logicorp,
            beneficiary=pilot.greenalliance, description=PROMISE, due_on=due_on,
        )  # fmt: skip


def _round(pilot):
    with time_machine.travel(NOW, tick=False):
        return checkins.round_open(alliance=pilot.alliance, by=pilot.manager)


# Commitments -----------------------------------------------------------------------------


def test_an_open_commitment_is_due_all_through_its_day(pilot):
    _promise(pilot)
    over = start_of_day(DUE + DAY)
    expected = Deadline(
        f"Commitment due: {PROMISE} (LogiCorp)",
        over,
        reverse("commitment_list", kwargs={"alliance_pk": pilot.alliance.pk}) + "#open",
        day=DUE,
    )

    assert deadlines(pilot.alliance, NOW - SECOND) == []  # not made yet
    assert deadlines(pilot.alliance, NOW) == [expected]
    assert deadlines(pilot.alliance, over - SECOND) == [expected]
    assert deadlines(pilot.alliance, over) == []


def test_a_delivered_commitment_leaves_the_deadlines(pilot):
    made = _promise(pilot)
    with time_machine.travel(NOW + DAY, tick=False):
        commitments.commitment_deliver(
            commitment=made, by=pilot.manager, partner=pilot.greenalliance
        )

    assert len(deadlines(pilot.alliance, NOW + DAY - SECOND)) == 1  # as it stood then
    assert deadlines(pilot.alliance, NOW + DAY) == []


def test_a_commitment_due_today_is_still_upcoming_until_the_day_is_over(pilot):
    _promise(pilot, due_on=NOW.date())

    assert [d.day for d in deadlines(pilot.alliance, NOW)] == [NOW.date()]


# Check-in rounds -------------------------------------------------------------------------


def test_an_open_check_in_round_has_its_last_day_as_a_deadline(pilot):
    opened = _round(pilot)
    last_day = NOW.date() + checkins.ROUND_LENGTH
    over = start_of_day(last_day + DAY)
    url = reverse("check_in_list", kwargs={"alliance_pk": pilot.alliance.pk})
    expected = Deadline(
        "Last day to answer the trust check-in", over, f"{url}#round-{opened.pk}", day=last_day
    )

    assert deadlines(pilot.alliance, NOW - SECOND) == []  # not opened yet
    assert deadlines(pilot.alliance, NOW) == [expected]
    assert deadlines(pilot.alliance, over - SECOND) == [expected]
    assert deadlines(pilot.alliance, over) == []


def test_deadlines_of_every_kind_stay_in_their_own_alliance(pilot):
    other = another_pilot("Packaging coalition")
    _promise(pilot)
    _round(other)

    with time_machine.travel(NOW, tick=False):
        found = RelationalHealth().deadlines([pilot.alliance, other.alliance], NOW)

    assert [d.title for d in found[pilot.alliance.pk]] == [f"Commitment due: {PROMISE} (LogiCorp)"]
    assert [d.title for d in found[other.alliance.pk]] == ["Last day to answer the trust check-in"]


def test_the_relational_source_awaits_nothing_of_anyone(pilot):
    _promise(pilot)

    assert RelationalHealth().awaiting([pilot.alliance], pilot.manager, NOW) == {}


# Queries ---------------------------------------------------------------------------------


@pytest.fixture
def busy_alliances(pilot):
    pilots = [pilot] + [another_pilot(f"Alliance {n}") for n in range(9)]
    for each in pilots:
        _promise(each)
        _round(each)
    return [each.alliance for each in pilots]


@pytest.mark.parametrize("many", [1, 10])
def test_deadlines_take_two_queries_for_one_alliance_or_ten(
    busy_alliances, many, django_assert_num_queries
):
    with time_machine.travel(NOW, tick=False), django_assert_num_queries(2):
        found = RelationalHealth().deadlines(busy_alliances[:many], NOW)

    assert set(found) == {alliance.pk for alliance in busy_alliances[:many]}
    assert all(len(items) == 2 for items in found.values())
