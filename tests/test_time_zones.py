"""Every date and deadline in the person's own time zone: on pages, in emails and in the calendar.

The pilot's first review falls due at 12:00 UTC on 15 January 2027: already 16 January in
Auckland (UTC+13 in summer), still the morning of 15 January in Los Angeles (UTC-8). The manager
reads French in Auckland, the representative English in Los Angeles.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from alliances import calendar, services, timers
from alliances.models import Alliance, Invitation, OutboundEmail, Review, Role
from charters import services as charter_services

from .factories import UserFactory

START = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
DUE = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)
REMINDERS = timers.get("review-reminders")


@pytest.fixture
def apart(pilot):
    """The pilot made active on START (its review is due on DUE), its people far apart."""
    pilot.manager.language, pilot.manager.time_zone = "fr", "Pacific/Auckland"
    pilot.manager.save()
    pilot.rep.language, pilot.rep.time_zone = "en", "America/Los_Angeles"
    pilot.rep.save()
    with time_machine.travel(START, tick=False):
        pilot.alliance.stage = Alliance.Stage.FORMING
        pilot.alliance.save()
        pilot.alliance.move_to(Alliance.Stage.ACTIVE, by=pilot.manager)
    assert Review.objects.get(alliance=pilot.alliance).due_at == DUE
    return pilot


def _email_to(person) -> OutboundEmail:
    return OutboundEmail.objects.get(to=person.email)


# Reminders by email ---------------------------------------------------------------------------


def test_the_review_reminder_names_the_due_day_of_each_recipients_zone(apart):
    with time_machine.travel(DUE - timedelta(days=7), tick=False):
        timers.sweep(REMINDERS, timezone.now())

    french, english = _email_to(apart.manager), _email_to(apart.rep)
    assert french.subject == (
        "La revue de réalignement de Last-mile carbon pilot arrive à échéance le 16 janvier 2027"
    )
    assert (
        english.subject
        == "The realignment review of Last-mile carbon pilot is due on Jan. 15, 2027"
    )


def test_the_reminder_email_around_the_message_speaks_the_recipients_language(apart):
    with time_machine.travel(DUE - timedelta(days=7), tick=False):
        timers.sweep(REMINDERS, timezone.now())

    french, english = _email_to(apart.manager), _email_to(apart.rep)
    assert '<html lang="fr">' in french.html_body
    assert "Ouvrir dans Alliance Keeper" in french.text_body
    assert "Open it in" not in french.text_body
    assert '<html lang="en">' in english.html_body
    assert "Open it in Alliance Keeper:" in english.text_body


def test_the_in_app_notification_is_written_in_the_recipients_language_and_zone(apart):
    with time_machine.travel(DUE - timedelta(days=7), tick=False):
        timers.sweep(REMINDERS, timezone.now())

    assert apart.manager.notifications.get().title.endswith("le 16 janvier 2027")
    assert apart.rep.notifications.get().title.endswith("is due on Jan. 15, 2027")


def test_a_blank_language_gets_the_sites_language_in_emails(apart):
    apart.rep.language = ""
    apart.rep.save()
    with time_machine.travel(DUE - timedelta(days=7), tick=False):
        timers.sweep(REMINDERS, timezone.now())

    assert _email_to(apart.rep).subject.startswith("The realignment review")


def test_a_ballot_deadline_is_told_at_the_recipients_local_hour(pilot):
    pilot.rep.language, pilot.rep.time_zone = "fr", "Pacific/Auckland"
    pilot.rep.save()
    pilot.steering.language, pilot.steering.time_zone = "en", "America/Los_Angeles"
    pilot.steering.save()
    version = charter_services.version_draft(alliance=pilot.alliance, by=pilot.manager)
    charter_services.version_propose(version=version, by=pilot.manager, closes_at=DUE)

    assert "avant 16 janvier 2027 01:00." in _email_to(pilot.rep).text_body
    assert "before Jan. 15, 2027, 4 a.m." in _email_to(pilot.steering).text_body


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("fr", "Échéance le 16 janvier 2027 : Send the March data"),
        ("en", "Due Jan. 16, 2027: Send the March data"),
    ],
)
def test_a_commitment_reminder_names_its_day_as_the_recipient_writes_dates(pilot, language, title):
    from trustaccount.commitments import commitment_make

    pilot.rep.language = language
    pilot.rep.save()
    with time_machine.travel(START, tick=False):
        commitment = commitment_make(
            alliance=pilot.alliance, by=pilot.rep, owner=pilot.techco,
            beneficiary=pilot.logicorp, description="Send the March data", due_on=date(2027, 1, 16),
        )  # fmt: skip
    with time_machine.travel(commitment.remind_due_at, tick=False):
        timers.sweep(timers.get("commitment-reminder"), timezone.now())

    assert pilot.rep.notifications.get().title == title


# Invitations ----------------------------------------------------------------------------------


def _invite(pilot, email, capture):
    with capture(execute=True):  # the email goes out from a task once the invitation is saved
        services.invitation_create(
            alliance=pilot.alliance, by=pilot.manager, email=email,
            kind=Role.Kind.PARTNER_REPRESENTATIVE, partner=pilot.logicorp,
        )  # fmt: skip
    (message,) = mail.outbox
    return message


def test_an_invitation_to_someone_new_speaks_the_inviters_language_with_utc(
    apart, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(DUE - timedelta(days=14), tick=False):
        message = _invite(apart, "new@logicorp.example", django_capture_on_commit_callbacks)

    assert Invitation.objects.get(email="new@logicorp.example").expires_at == DUE
    assert message.subject == "Invitation à rejoindre Last-mile carbon pilot"
    assert "15 janvier 2027 12:00 (UTC)" in message.body


def test_an_invitation_to_an_existing_account_uses_its_language_and_zone(
    apart, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory.create(
        email="known@logicorp.example", language="en", time_zone="America/Los_Angeles"
    )
    with time_machine.travel(DUE - timedelta(days=14), tick=False):
        message = _invite(apart, "known@logicorp.example", django_capture_on_commit_callbacks)

    assert message.subject == "You are invited to Last-mile carbon pilot"
    assert "Jan. 15, 2027, 4 a.m. (America/Los_Angeles)" in message.body


# Pages ----------------------------------------------------------------------------------------


def test_pages_show_the_due_day_in_the_viewers_zone(apart, client):
    url = f"/alliances/{apart.alliance.pk}/reviews/"

    client.force_login(apart.manager)
    assert "16 janvier 2027" in client.get(url).content.decode()
    client.force_login(apart.rep)
    assert "Jan. 15, 2027" in client.get(url).content.decode()


def test_anonymous_pages_are_in_utc(client, db):
    client.get("/accounts/login/")

    assert timezone.get_current_timezone_name() == "UTC"


def test_the_profile_shows_the_time_now_in_the_persons_zone(apart, client):
    with time_machine.travel(DUE, tick=False):
        client.force_login(apart.rep)
        page = client.get("/profile/").content.decode()

    assert "Jan. 15, 2027, 4 a.m." in page


# The calendar feed ----------------------------------------------------------------------------


def _feed(person):
    return Calendar.from_ical(calendar.feed_for(person))


def test_the_feed_of_a_french_person_in_auckland(apart):
    version = charter_services.version_draft(alliance=apart.alliance, by=apart.manager)
    charter_services.version_propose(version=version, by=apart.manager, closes_at=DUE)

    feed = _feed(apart.manager)
    events = {str(e["uid"]).split("-")[0]: e for e in feed.walk("VEVENT")}

    assert str(feed["x-wr-calname"]).startswith("Alliance Keeper : ")
    assert str(feed["x-wr-timezone"]) == "Pacific/Auckland"
    review = events["review"]
    assert str(review["summary"]) == "Revue de réalignement : Last-mile carbon pilot"
    assert review.decoded("dtstart").isoformat() == "2027-01-16"
    assert "stratégie" in str(review["description"])
    ballot = events["ballot"]
    assert str(ballot["summary"]).startswith("Clôture du scrutin : ")
    assert ballot["dtstart"].params["TZID"] == "Pacific/Auckland"
    assert ballot.decoded("dtstart").replace(tzinfo=None) == datetime(2027, 1, 16, 1, 0)
    assert [str(tz["tzid"]) for tz in feed.walk("VTIMEZONE")] == ["Pacific/Auckland"]


def test_an_exit_notice_in_the_feed_speaks_the_persons_language(apart):
    from charters import exits

    exits.exit_plan_save(alliance=apart.alliance, by=apart.manager, notice_period_days=90)
    exits.exit_notice_give(
        partner=apart.logicorp, by=apart.manager, reason="Strategy", given_on=date(2027, 1, 1)
    )

    summaries = {
        str(e["uid"]).split("-")[0]: str(e["summary"]) for e in _feed(apart.manager).walk("VEVENT")
    }
    assert summaries["exit"] == "LogiCorp quitte Last-mile carbon pilot"


def test_the_same_feed_in_english_in_los_angeles(apart):
    (review,) = _feed(apart.rep).walk("VEVENT")

    assert str(review["summary"]) == "Realignment review: Last-mile carbon pilot"
    assert review.decoded("dtstart").isoformat() == "2027-01-15"


def test_the_feed_url_follows_the_calendar_apps_language_when_the_person_left_it_blank(
    apart, client
):
    apart.rep.language = ""
    apart.rep.save()
    token = calendar.feed_token_issue(person=apart.rep)

    french = client.get(f"/calendar/{token}.ics", headers={"accept-language": "fr"})
    apart.manager.language = "en"  # the manager chose English: that wins over the app's
    apart.manager.save()
    manager_token = calendar.feed_token_issue(person=apart.manager)
    english = client.get(f"/calendar/{manager_token}.ics", headers={"accept-language": "fr"})

    assert "Revue de réalignement" in french.content.decode()
    assert "Realignment review" in english.content.decode()
