"""Relational health while a check-in round is taking answers, and where its moves and advice
lead: to pages every member of the alliance can open."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alliances.models import Partner, Role
from alliances.timers import start_of_day
from tests.factories import MembershipFactory, RoleFactory, UserFactory
from trustaccount import checkins
from trustaccount.health import RelationalHealth
from trustaccount.models import CheckInRound

from .health_data import NOW, ago, check_in, promise, signals

SECOND, HOUR = timedelta(seconds=1), timedelta(hours=1)
LAST_DAY = NOW.date() + timedelta(days=3)  # June 4, 2026


def _taking(pilot, at, answers=(), *, anonymous=True, closes_on=LAST_DAY) -> CheckInRound:
    """A round opened at ``at``, still taking answers until ``closes_on``, each answer an
    hour later."""
    with time_machine.travel(at, tick=False):
        opened = checkins.round_open(
            alliance=pilot.alliance, by=pilot.manager, anonymous=anonymous, closes_on=closes_on
        )
    with time_machine.travel(at + HOUR, tick=False):
        for person, rating in answers:
            checkins.answer_give(round=opened, by=person, openness=rating, reliability=rating,
                                 fairness=rating, communication=rating)  # fmt: skip
    return opened


def _round_url(pilot, opened):
    return f"/alliances/{pilot.alliance.pk}/trust/check-ins/#round-{opened.pk}"


def test_an_open_round_nobody_answered_asks_for_answers_not_another_round(pilot):
    opened = _taking(pilot, ago(2))

    signal = signals(pilot)["check_in"]

    assert signal.score == 50
    assert signal.fact == "A trust check-in is open until June 4, 2026, with no answers yet."
    assert signal.url == _round_url(pilot, opened)
    assert signal.move is not None
    assert signal.move.key == "schedule_check_in"
    assert signal.move.title == "Answer the open trust check-in"
    assert signal.move.url == _round_url(pilot, opened)


@pytest.mark.parametrize("answers", [1, 2])
def test_an_open_anonymous_round_below_three_answers_says_how_many_so_far(pilot, answers):
    people = [pilot.rep, pilot.steering][:answers]
    _taking(pilot, ago(2), [(person, 5) for person in people])

    signal = signals(pilot)["check_in"]

    assert signal.score == 50
    noun = "answer" if answers == 1 else "answers"
    assert signal.fact == (
        f"A trust check-in is open until June 4, 2026, with {answers} {noun} so far."
    )
    assert signal.move is not None
    assert signal.move.title == "Answer the open trust check-in"


def test_an_open_round_with_three_answers_shows_them_and_asks_nothing(pilot):
    _taking(pilot, ago(2), [(pilot.rep, 5), (pilot.steering, 5), (pilot.manager, 5)])

    signal = signals(pilot)["check_in"]

    assert signal.score == 100
    assert signal.fact.endswith(
        "a mean rating of 5.0 out of 5. It takes answers until June 4, 2026."
    )
    assert signal.move is None


def test_a_new_round_beside_earlier_results_is_mentioned_and_keeps_their_score(pilot):
    check_in(pilot, ago(30), [(pilot.rep, 4), (pilot.steering, 4), (pilot.manager, 4)])
    _taking(pilot, ago(2))

    signal = signals(pilot)["check_in"]

    assert signal.score == 75
    assert signal.fact.endswith("A new check-in takes answers until June 4, 2026.")
    assert signal.move is None


def test_a_far_last_day_stored_before_the_limit_is_said_as_it_is(pilot):
    opened = _taking(pilot, ago(2))
    CheckInRound.objects.filter(pk=opened.pk).update(closes_on=date.max)

    assert signals(pilot)["check_in"].fact == (
        "A trust check-in is open until Dec. 31, 9999, with no answers yet."
    )


def test_a_round_takes_answers_until_its_last_day_is_over_in_utc(pilot):
    _taking(pilot, ago(2))
    over = start_of_day(LAST_DAY + timedelta(days=1))

    assert signals(pilot, over - SECOND)["check_in"].move.title == (
        "Answer the open trust check-in"
    )
    after = signals(pilot, over)["check_in"]
    assert after.score == 20
    assert after.fact == "No trust check-in has been held yet."
    assert after.move.title == "Schedule a trust check-in"


def test_a_round_opened_after_the_moment_is_not_open_at_it(pilot):
    opened_at = ago(2)
    _taking(pilot, opened_at)

    assert signals(pilot, opened_at - SECOND)["check_in"].move.title == "Schedule a trust check-in"
    assert signals(pilot, opened_at)["check_in"].move.title == "Answer the open trust check-in"


def test_answers_given_after_the_moment_are_not_counted_so_far(pilot):
    opened_at = ago(2)
    _taking(pilot, opened_at, [(pilot.rep, 5)])

    assert signals(pilot, opened_at + HOUR - SECOND)["check_in"].fact.endswith("no answers yet.")
    assert signals(pilot, opened_at + HOUR)["check_in"].fact.endswith("1 answer so far.")


def test_open_rounds_stay_in_their_own_alliance_in_the_same_queries(
    pilot, django_assert_num_queries
):
    from .health_data import another_pilot

    other = another_pilot("Packaging coalition")
    _taking(other, ago(2))
    source = RelationalHealth()

    with django_assert_num_queries(5):
        found = source.signals([pilot.alliance, other.alliance], NOW)

    titles = {
        pk: getattr(next(s for s in found[pk] if s.key == "check_in").move, "title", None)
        for pk in found
    }
    assert titles == {
        pilot.alliance.pk: "Schedule a trust check-in",
        other.alliance.pk: "Answer the open trust check-in",
    }


# Where the moves and the advice lead --------------------------------------------------------


@pytest.fixture
def everyone(pilot):
    """The pilot's people, and a sponsor and an observer of TechCo's."""
    people = {"manager": pilot.manager, "rep": pilot.rep, "steering": pilot.steering}
    for kind in (Role.Kind.EXECUTIVE_SPONSOR, Role.Kind.OBSERVER):
        person = UserFactory.create()
        MembershipFactory.create(person=person, organization=pilot.techco.organization)
        partner = pilot.techco if kind in Role.KINDS_FOR_A_PARTNER else None
        RoleFactory.create(alliance=pilot.alliance, person=person, kind=kind, partner=partner)
        people[kind] = person
    return people


def _statuses(client, everyone, url):
    found = {}
    for name, person in everyone.items():
        client.force_login(person)
        found[name] = client.get(url.split("#")[0]).status_code
    return found


def test_every_member_opens_the_check_in_moves_page_and_managers_find_the_button(
    client, pilot, everyone
):
    url = signals(pilot)["check_in"].move.url
    assert url == reverse("check_in_list", kwargs={"alliance_pk": pilot.alliance.pk})

    assert _statuses(client, everyone, url) == dict.fromkeys(everyone, 200)
    client.force_login(pilot.manager)
    button = reverse("check_in_open", kwargs={"alliance_pk": pilot.alliance.pk})
    assert f'href="{button}"' in client.get(url).content.decode()


def test_every_member_opens_the_open_rounds_page(client, pilot, everyone):
    opened = _taking(pilot, ago(2))
    url = signals(pilot)["check_in"].move.url

    assert url.endswith(f"#round-{opened.pk}")
    assert _statuses(client, everyone, url) == dict.fromkeys(everyone, 200)


def test_every_member_opens_the_escalations_page_of_the_not_contributing_advice(
    client, pilot, everyone
):
    promise(pilot, ago(30), kept=False)
    (advice,) = RelationalHealth().advice([pilot.alliance], NOW)[pilot.alliance.pk]

    assert advice.url == reverse("escalation_list", kwargs={"alliance_pk": pilot.alliance.pk})
    assert _statuses(client, everyone, advice.url) == dict.fromkeys(everyone, 200)


# The same for every viewer ------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_a_partner_leaving_is_judged_by_the_utc_date_whatever_the_viewers_zone(pilot, zone):
    """LogiCorp leaves at the start of 2 June (UTC); at 23:00 UTC on 1 June it still
    counts, though it is already 2 June in Kiritimati."""
    promise(pilot, ago(30), kept=False)
    Partner.objects.filter(pk=pilot.logicorp.pk).update(exited_on=NOW.date() + timedelta(days=1))
    now = datetime(2026, 6, 1, 23, 0, tzinfo=UTC)

    with timezone.override(zone):
        found = RelationalHealth().advice([pilot.alliance], now)

    assert [advice.key for advice in found[pilot.alliance.pk]] == ["partner_not_contributing"]
