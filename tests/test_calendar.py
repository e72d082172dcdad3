"""The personal calendar feed, read back with the icalendar library."""

from datetime import UTC, datetime

import pytest
import time_machine
from icalendar import Calendar

from alliances import calendar
from alliances.models import Alliance


@pytest.fixture
def scheduled(pilot):
    with time_machine.travel(datetime(2026, 3, 31, 23, 30, tzinfo=UTC), tick=False):
        pilot.alliance.stage = Alliance.Stage.FORMING
        pilot.alliance.save()
        pilot.alliance.move_to(Alliance.Stage.ACTIVE, by=pilot.manager)
    return pilot


def _events(person):
    return Calendar.from_ical(calendar.feed_for(person)).walk("VEVENT")


def test_feed_lists_the_review_dates_of_my_alliances(scheduled, outsider):
    (event,) = _events(scheduled.rep)

    assert str(event["summary"]) == "Realignment review: Last-mile carbon pilot"
    assert event.decoded("dtstart").isoformat() == "2027-03-31"
    assert "/reviews/" in str(event["url"])
    assert all("Last-mile" not in str(e["summary"]) for e in _events(outsider))


def test_review_dates_are_in_the_persons_time_zone(scheduled):
    scheduled.rep.time_zone = "Europe/Berlin"  # 23:30 UTC is already the next day there

    (event,) = _events(scheduled.rep)

    assert event.decoded("dtstart").isoformat() == "2027-04-01"


def test_a_new_token_turns_the_old_url_off(scheduled):
    first = calendar.feed_token_issue(person=scheduled.rep)
    assert calendar.person_for_token(first) == scheduled.rep

    second = calendar.feed_token_issue(person=scheduled.rep)

    assert calendar.person_for_token(first) is None
    assert calendar.person_for_token(second) == scheduled.rep
    calendar.feed_token_revoke(person=scheduled.rep)
    assert calendar.person_for_token(second) is None
