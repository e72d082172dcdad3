"""The outbox: every notification email is sent once, retried when the server fails, then given up."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from alliances import timers
from alliances.models import NotificationKind, OutboundEmail
from alliances.notifications import notify

from .factories import UserFactory

SEND = timers.get("send-email")


MOMENT = timezone.now()


def _notify(person, moment=MOMENT):
    notify(
        recipients=[person],
        kind=NotificationKind.REVIEW_REMINDER,
        event="test-event",
        moment=moment,
        render=lambda p: ("Review due", f"Times shown in {timezone.get_current_timezone_name()}"),
        url="/alliances/1/reviews/",
    )


@pytest.fixture
def person(db):
    return UserFactory.create(email="maya@example.org", time_zone="Europe/Berlin")


@pytest.fixture
def queued(person):
    _notify(person)
    return OutboundEmail.objects.get()


def test_notify_twice_for_the_same_event_and_moment_queues_once(queued, person):
    _notify(person)

    assert OutboundEmail.objects.count() == 1
    assert person.notifications.count() == 1

    _notify(person, MOMENT + timedelta(days=1))  # another moment is another message
    assert person.notifications.count() == 2


def test_messages_are_written_in_the_recipients_time_zone(queued):
    assert "Europe/Berlin" in queued.text_body
    assert "/alliances/1/reviews/" in queued.text_body
    assert "<strong>Review due</strong>" in queued.html_body


def test_the_sweep_sends_and_records_it(queued, mailoutbox):
    assert timers.sweep(SEND, timezone.now()) == 1
    assert timers.sweep(SEND, timezone.now()) == 0

    queued.refresh_from_db()
    assert queued.status == OutboundEmail.Status.SENT
    assert [m.to for m in mailoutbox] == [["maya@example.org"]]
    assert mailoutbox[0].alternatives[0][1] == "text/html"


def test_a_failing_server_is_retried_with_growing_delays_then_given_up(queued, settings):
    settings.EMAIL_BACKEND = "tests.test_email_outbox.BrokenBackend"
    moment = timezone.now()
    delays = []
    for _attempt in range(OutboundEmail.MAX_ATTEMPTS):
        with time_machine.travel(moment, tick=False):
            assert timers.sweep(SEND, moment) == 1
        queued.refresh_from_db()
        if queued.next_attempt_at:
            delays.append(queued.next_attempt_at - moment)
            moment = queued.next_attempt_at

    assert delays == [timedelta(minutes=m) for m in (1, 4, 16, 64)]
    assert queued.status == OutboundEmail.Status.FAILED
    assert queued.attempts == OutboundEmail.MAX_ATTEMPTS
    assert "ConnectionRefusedError" in queued.last_error
    assert timers.sweep(SEND, moment + timedelta(days=1)) == 0


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")
