"""The calendar page and the personal feed it hands out: made, shown once, replaced, turned off."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from alliances.models import User


@pytest.fixture
def scheduled(pilot):
    pilot.alliance.ensure_review_scheduled(timezone.now())
    return pilot


def _make_feed(client) -> str:
    """Ask for a feed address and read it off the next page, as a person copies it."""
    response = client.post(reverse("calendar_feed_new"), follow=True)
    match = re.search(
        r'<input type="text" id="feed-url" value="([^"]+)"', response.content.decode()
    )
    assert match, "the new address is shown"
    return match.group(1)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("calendar"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert client.post(reverse("calendar_feed_new")).status_code == 302


def test_page_explains_the_feed_before_there_is_one(client, pilot):
    client.force_login(pilot.rep)

    page = client.get(reverse("calendar")).content.decode()

    assert "realignment reviews of all your alliances" in page
    assert "Make my calendar address" in page


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_the_feed_holds_my_review_and_is_shown_once(client, scheduled, persona):
    person = getattr(scheduled, persona)
    client.force_login(person)
    url = _make_feed(client)

    assert "Make my calendar address" not in client.get(reverse("calendar")).content.decode()
    assert url not in client.get(reverse("calendar")).content.decode()  # shown once only
    client.logout()
    response = client.get(_path(url))  # calendar apps do not sign in

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    review = scheduled.alliance.reviews.get()
    assert str(event["summary"]) == "Realignment review: Last-mile carbon pilot"
    assert str(event["url"]).endswith(f"/reviews/{review.pk}/")
    assert event.decoded("dtstart") == timezone.localdate(review.due_at)


def test_the_feed_is_only_mine(client, scheduled, outsider):
    client.force_login(outsider)
    url = _make_feed(client)
    client.logout()

    events = Calendar.from_ical(client.get(_path(url)).content).walk("VEVENT")

    assert all("Last-mile" not in str(event["summary"]) for event in events)


def test_a_new_address_turns_the_old_one_off(client, scheduled):
    client.force_login(scheduled.rep)
    old = _make_feed(client)
    new = _make_feed(client)

    assert client.get(_path(old)).status_code == 404
    assert client.get(_path(new)).status_code == 200


def test_turning_it_off_answers_404(client, scheduled):
    client.force_login(scheduled.rep)
    url = _make_feed(client)

    response = client.post(reverse("calendar_feed_off"), follow=True)

    assert "Make my calendar address" in response.content.decode()
    assert client.get(_path(url)).status_code == 404
    assert User.objects.get(pk=scheduled.rep.pk).calendar_token_hash is None


def test_an_unknown_token_is_404(client, db):
    response = client.get(reverse("calendar_feed", kwargs={"token": "not-a-real-one"}))
    assert response.status_code == 404


def test_changing_the_address_needs_post(client, pilot):
    client.force_login(pilot.rep)
    assert client.get(reverse("calendar_feed_new")).status_code == 405
    assert client.get(reverse("calendar_feed_off")).status_code == 405


def test_profile_and_review_pages_link_to_the_calendar(client, scheduled):
    client.force_login(scheduled.rep)
    review = scheduled.alliance.reviews.get()
    pages = [
        reverse("profile"),
        reverse("review_list", kwargs={"alliance_pk": scheduled.alliance.pk}),
        reverse(
            "review_detail", kwargs={"alliance_pk": scheduled.alliance.pk, "review_pk": review.pk}
        ),
    ]
    for url in pages:
        assert f'href="{reverse("calendar")}"' in client.get(url).content.decode(), url
