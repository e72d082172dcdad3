"""A personal calendar feed: review dates, and whatever other apps add (ballot deadlines...).

Apps that build on this one add their events with ``register_source`` in ``AppConfig.ready``:
a source takes the person and returns icalendar events, with texts in the active language
and dates in the active time zone (the person's own: ``feed_for`` activates both).

The feed is read by calendar apps that cannot sign in, so its URL carries a secret token.
Only the token's hash is stored: the URL is shown once when it is made, and making a new
one (or revoking it) turns the old URL off.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Alliance, Review, User
from .notifications import person_locale


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_token_issue(*, person: User) -> str:
    """A new secret feed URL for the person; the previous one stops working."""
    token = secrets.token_urlsafe(32)
    person.calendar_token_hash = _hash(token)
    person.save(update_fields=["calendar_token_hash"])
    return token


def feed_token_revoke(*, person: User) -> None:
    person.calendar_token_hash = None
    person.save(update_fields=["calendar_token_hash"])


def feed_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("calendar_feed", kwargs={"token": token})


def person_for_token(token: str) -> User | None:
    return User.objects.filter(calendar_token_hash=_hash(token), is_active=True).first()


Source = Callable[[User], Iterable[Event]]
_sources: list[Source] = []


def register_source(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def feed_for(person: User, *, fallback_language: str = "") -> bytes:
    """The person's calendar, in their own language and time zone.

    Sources run inside that language and zone, so their texts and dates follow it too.
    ``fallback_language`` (the calendar app's) applies when the person left theirs blank.
    """
    calendar = Calendar()
    with person_locale(person, fallback_language=fallback_language):
        calendar.add("prodid", "-//Alliance Keeper//alliance calendar//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", _("Alliance Keeper: %(name)s") % {"name": person})
        calendar.add("x-wr-timezone", person.time_zone)
        for source in [review_events, *_sources]:
            for event in source(person):
                calendar.add_component(event)
    # Events with a time name their zone (TZID); calendar apps need its definition too.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def review_events(person: User) -> Iterable[Event]:
    """Each pending review as an all-day event on its due date."""
    reviews = (
        Review.objects.filter(alliance__in=Alliance.objects.visible_to(person))
        .pending()
        .select_related("alliance")
        .order_by("due_at")
    )
    return [_review_event(review) for review in reviews]


def _review_event(review: Review) -> Event:
    event = Event()
    event.add("uid", f"review-{review.pk}@alliance-keeper")
    event.add("summary", _("Realignment review: %(alliance)s") % {"alliance": review.alliance})
    event.add("dtstart", timezone.localdate(review.due_at))
    event.add("dtstamp", timezone.now())
    url = reverse(
        "review_detail", kwargs={"alliance_pk": review.alliance_id, "review_pk": review.pk}
    )
    event.add("url", settings.SITE_URL.rstrip("/") + url)
    event.add(
        "description",
        _("Reassess whether the alliance still fits each partner's strategy."),
    )
    return event
