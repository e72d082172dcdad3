"""Notifications in the app and by email.

``notify`` writes one in-app notification per recipient and, where the person wants email
for that kind, one outbox row. Both carry the delivery key ``<event>:<moment>:<recipient>``
under a unique constraint, so calling ``notify`` twice for the same event and moment
changes nothing. The "send-email" timer sends the outbox with capped, spaced retries and
records a failure it gives up on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import timers
from .models import (
    Alliance,
    Notification,
    NotificationKind,
    NotificationPreference,
    OutboundEmail,
    User,
)

logger = logging.getLogger(__name__)

# Renders (title, body) for one recipient, called in that person's language and time zone.
Render = Callable[[User], tuple[str, str]]


@contextmanager
def person_locale(person: User | None, *, fallback_language: str = "") -> Iterator[None]:
    """Render for one person: in their language and their time zone.

    A person who left their language blank gets ``fallback_language``, or else the site's.
    Without an account (someone invited by email): ``fallback_language`` and UTC.
    """
    language = (person.language if person else "") or fallback_language or settings.LANGUAGE_CODE
    zone = person.time_zone if person else "UTC"
    with timezone.override(zone), translation.override(language):
        yield


def delivery_key(event: str, moment: datetime, recipient: User) -> str:
    return f"{event}:{moment.isoformat()}:{recipient.pk}"


@dataclass
class Message:
    """One event to tell some people about; rendered for each in their language and time zone."""

    recipients: Iterable[User]
    kind: str
    event: str
    moment: datetime
    render: Render
    alliance: Alliance | None = None
    url: str = ""


def notify(**message: Any) -> None:
    notify_many([Message(**message)])


def notify_many(messages: list[Message]) -> None:
    """Write the notifications and emails of many events at once (the timers' batches)."""
    audiences = [_active(message.recipients) for message in messages]
    everyone = {person.pk for audience in audiences for person in audience}
    email_off = set(
        NotificationPreference.objects.filter(person__in=everyone, email=False).values_list(
            "person_id", "kind"
        )
    )
    now = timezone.now()
    notifications, emails = [], []
    for message, audience in zip(messages, audiences, strict=True):
        for person in audience:
            key = delivery_key(message.event, message.moment, person)
            with person_locale(person):
                title, body = message.render(person)
                if (person.pk, message.kind) not in email_off:
                    emails.append(_email(person, key, title, body, message.url, now))
            notifications.append(
                Notification(
                    recipient=person,
                    alliance=message.alliance,
                    kind=message.kind,
                    title=title,
                    body=body,
                    url=message.url,
                    delivery_key=key,
                    created_at=now,
                )
            )
    with transaction.atomic():
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        OutboundEmail.objects.bulk_create(emails, ignore_conflicts=True)


def _active(people: Iterable[User]) -> list[User]:
    return list({person.pk: person for person in people if person.is_active}.values())


def _email(person: User, key: str, title: str, body: str, url: str, now: datetime) -> OutboundEmail:
    context = {
        "person": person,
        "title": title,
        "body": body,
        "url": settings.SITE_URL.rstrip("/") + url if url else "",
        "preferences_url": settings.SITE_URL.rstrip("/") + "/notifications/preferences/",
    }
    return OutboundEmail(
        to=person.email,
        subject=title,
        text_body=render_to_string("email/notification.txt", context),
        html_body=render_to_string("email/notification.html", context),
        delivery_key=key + ":email",
        next_attempt_at=now,
        created_at=now,
    )


def retry_delay(attempts: int) -> timedelta:
    """1, 4, 16, 64 minutes: a mail server that is down for a while is not hammered."""
    return timedelta(minutes=4 ** (attempts - 1))


def send_due_emails(emails: list[OutboundEmail], now: datetime) -> None:
    """The "send-email" timer: one attempt per claimed email, its outcome recorded."""
    connection = get_connection()
    for email in emails:
        email.attempts += 1
        try:
            message = EmailMultiAlternatives(
                email.subject, email.text_body, to=[email.to], connection=connection
            )
            if email.html_body:
                message.attach_alternative(email.html_body, "text/html")
            message.send()
        except Exception as error:  # any failure of the mail server is recorded, then retried
            logger.warning("email %s to %s failed: %s", email.pk, email.to, error)
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if email.attempts >= OutboundEmail.MAX_ATTEMPTS:
                email.status, email.next_attempt_at = OutboundEmail.Status.FAILED, None
            else:
                email.next_attempt_at = now + retry_delay(email.attempts)
        else:
            email.status, email.sent_at, email.next_attempt_at = (
                OutboundEmail.Status.SENT,
                now,
                None,
            )
        email.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error"])


SEND_EMAIL = timers.Timer(
    name="send-email",
    model=OutboundEmail,
    due_field="next_attempt_at",
    act=send_due_emails,
    alliance_path=None,
    batch_size=50,
)


def mark_read(*, person: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some, or all, of the person's unread notifications read; returns how many."""
    unread = Notification.objects.for_person(person).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def preferences_of(person: User) -> dict[str, bool]:
    """Email on or off for every kind (on unless the person turned it off)."""
    saved = dict(NotificationPreference.objects.filter(person=person).values_list("kind", "email"))
    return {kind: saved.get(kind, True) for kind in NotificationKind.values}


@transaction.atomic
def preferences_set(*, person: User, email_by_kind: dict[str, bool]) -> None:
    for kind, email in email_by_kind.items():
        NotificationPreference.objects.update_or_create(
            person=person, kind=kind, defaults={"email": email}
        )
