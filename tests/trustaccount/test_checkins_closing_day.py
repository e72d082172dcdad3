"""A check-in round's last day: from today to 90 days ahead, whether a manager opens the
round on its page, through the API or through the service. A day outside that is refused
next to its field and opens nothing; a far-off day stored before this rule never breaks
the health that reads it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from alliances.timers import end_of_day
from trustaccount import checkins
from trustaccount.health import RelationalHealth
from trustaccount.models import CheckInRound

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
REFUSED = "A round closes within 90 days from today."


def _open(pilot, closes_on):
    with time_machine.travel(NOW, tick=False):
        return checkins.round_open(alliance=pilot.alliance, by=pilot.manager, closes_on=closes_on)


@pytest.mark.parametrize("ahead", [0, 14, 90])
def test_a_round_closes_from_today_up_to_90_days_ahead(pilot, ahead):
    opened = _open(pilot, TODAY + timedelta(days=ahead))

    assert opened.closes_on == TODAY + timedelta(days=ahead)


@pytest.mark.parametrize("closes_on", [TODAY + timedelta(days=91), date.max])
def test_a_later_last_day_is_refused_on_its_field(pilot, closes_on):
    with pytest.raises(ValidationError) as refused:
        _open(pilot, closes_on)

    assert refused.value.message_dict == {"closes_on": [REFUSED]}
    assert not CheckInRound.objects.exists()


def test_the_last_day_is_checked_before_the_round_already_open(pilot):
    _open(pilot, None)

    with pytest.raises(ValidationError) as refused:
        _open(pilot, date.max)

    assert refused.value.message_dict == {"closes_on": [REFUSED]}
    assert CheckInRound.objects.count() == 1


def test_the_page_refuses_a_far_day_next_to_its_field(client, pilot):
    client.force_login(pilot.manager)
    url = reverse("check_in_open", kwargs={"alliance_pk": pilot.alliance.pk})

    with time_machine.travel(NOW, tick=False):
        page = client.get(url)
        response = client.post(url, {"anonymous": "on", "closes_on": "9999-12-31"})

    assert 'max="2026-08-30"' in page.content.decode()
    assert "at most 90 days ahead" in page.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {"closes_on": [REFUSED]}
    assert not CheckInRound.objects.exists()


def test_the_api_refuses_a_far_day_with_a_field_error(pilot):
    client = APIClient()
    client.force_authenticate(pilot.manager)
    url = f"/api/v1/alliances/{pilot.alliance.pk}/trust/check-ins/"

    with time_machine.travel(NOW, tick=False):
        response = client.post(url, {"closes_on": "9999-12-31"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"closes_on": [REFUSED]}
    assert not CheckInRound.objects.exists()


def test_a_far_last_day_stored_earlier_never_breaks_the_deadlines(pilot):
    opened = _open(pilot, None)
    CheckInRound.objects.filter(pk=opened.pk).update(closes_on=date.max)

    found = RelationalHealth().deadlines([pilot.alliance], NOW)[pilot.alliance.pk]

    assert [(d.day, d.at) for d in found] == [(date.max, end_of_day(date.max))]
    assert len(RelationalHealth().signals([pilot.alliance], NOW)[pilot.alliance.pk]) == 4


@pytest.mark.parametrize("path", ["/portfolio/", "/portfolio.csv", "/api/v1/portfolio/"])
def test_the_portfolio_shows_a_far_last_day_in_a_zone_ahead_of_utc(client, pilot, path):
    opened = _open(pilot, None)
    CheckInRound.objects.filter(pk=opened.pk).update(closes_on=date.max)
    pilot.manager.time_zone = "Pacific/Kiritimati"
    pilot.manager.save()
    client.force_login(pilot.manager)

    # The middleware leaves the manager's zone active after a page: the override ends it.
    with time_machine.travel(NOW, tick=False), timezone.override(None):
        response = client.get(path)

    assert response.status_code == 200


def test_a_day_ends_where_the_next_begins_and_the_last_day_still_shows_everywhere():
    assert end_of_day(date(2026, 6, 1)) == datetime(2026, 6, 2, tzinfo=UTC)
    assert end_of_day(date(2026, 12, 31)) == datetime(2027, 1, 1, tzinfo=UTC)
    last = end_of_day(date.max)
    assert last > datetime.combine(date.max, datetime.min.time(), tzinfo=UTC)
    assert last.astimezone(ZoneInfo("Pacific/Kiritimati")).date() == date.max
    assert last.astimezone(ZoneInfo("Pacific/Pago_Pago")).year == 9999  # shown, not raised
