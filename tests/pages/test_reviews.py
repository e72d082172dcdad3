"""Realignment review pages, persona by persona, and a whole review round through them."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alliances import reviews
from alliances.models import Alliance, PartnerFit, Review
from tests.factories import GoalFactory, PartnerFactory, UserFactory

from .helpers import field_errors

NOW = datetime(2026, 4, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def review(pilot) -> Review:
    pilot.alliance.ensure_review_scheduled(timezone.now())
    return pilot.alliance.reviews.get()


@pytest.fixture
def open_review(pilot, review) -> Review:
    return reviews.review_open(review=review, by=pilot.manager)


def url(name: str, review: Review) -> str:
    return reverse(name, kwargs={"alliance_pk": review.alliance_id, "review_pk": review.pk})


def alliance_url(name: str, alliance: Alliance) -> str:
    return reverse(name, kwargs={"alliance_pk": alliance.pk})


# Reading


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_members_read_the_list_and_the_review(client, pilot, review, persona):
    client.force_login(getattr(pilot, persona))

    listing = client.get(alliance_url("review_list", pilot.alliance))
    detail = client.get(url("review_detail", review))

    assert listing.status_code == detail.status_code == 200
    assert "Every 12 months" in listing.content.decode()
    assert "Realignment review of Last-mile carbon pilot" in detail.content.decode()


def test_steering_member_only_reads(client, pilot, open_review):
    client.force_login(pilot.steering)
    page = client.get(url("review_detail", open_review)).content.decode()

    assert "Record our fit" not in page
    assert "Complete the review" not in page
    assert "Change the due date" not in page


def test_outsider_gets_404_everywhere(client, pilot, outsider, open_review):
    client.force_login(outsider)
    assert client.get(url("review_detail", open_review)).status_code == 404
    for name in ("review_open", "review_fit", "review_complete", "review_reschedule"):
        assert client.post(url(name, open_review)).status_code == 404, name
    assert client.get(alliance_url("review_list", pilot.alliance)).status_code == 404
    for name in ("timers_pause", "timers_resume"):
        assert client.post(alliance_url(name, pilot.alliance)).status_code == 404, name


def test_anonymous_is_sent_to_sign_in(client, pilot, review):
    response = client.get(url("review_detail", review))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# The manager


def test_manager_opens_the_review(client, pilot, review):
    client.force_login(pilot.manager)

    response = client.post(url("review_open", review))

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.OPEN
    assert review.opened_by == pilot.manager


@pytest.mark.parametrize("persona", ["rep", "steering"])
def test_only_managers_open_complete_and_reschedule(client, pilot, review, persona):
    client.force_login(getattr(pilot, persona))
    assert client.post(url("review_open", review)).status_code == 403
    assert client.post(url("review_complete", review), {"outcome": "pivot"}).status_code == 403
    assert (
        client.post(url("review_reschedule", review), {"due_on": "2026-05-04"}).status_code == 403
    )
    assert (
        client.post(alliance_url("timers_pause", pilot.alliance), {"reason": "x"}).status_code
        == 403
    )
    review.refresh_from_db()
    assert (review.status, review.due_at) == (Review.Status.SCHEDULED, review.due_at)


def test_manager_reschedules_to_nine_in_their_time_zone(client, pilot, review):
    pilot.manager.time_zone = "Europe/Berlin"
    pilot.manager.save()
    client.force_login(pilot.manager)

    response = client.post(url("review_reschedule", review), {"due_on": "2026-05-04"}, follow=True)

    review.refresh_from_db()
    assert review.due_at == datetime(2026, 5, 4, 7, 0, tzinfo=UTC)  # 09:00 in Berlin (CEST)
    assert review.next_reminder_at == review.due_at - timedelta(days=7)
    assert "The review is now due on May 4, 2026." in response.content.decode()


def test_a_past_date_makes_the_review_due_at_once(client, pilot, review):
    client.force_login(pilot.manager)
    page = client.get(url("review_detail", review)).content.decode()
    assert "A date in the past makes it due at once" in page

    client.post(url("review_reschedule", review), {"due_on": "2026-04-01"})

    review.refresh_from_db()
    assert review.due_at < timezone.now()
    assert review.next_reminder_at == timezone.now()
    assert "Overdue" in client.get(url("review_detail", review)).content.decode()


def test_a_bad_date_is_shown_next_to_its_field_and_changes_nothing(client, pilot, review):
    client.force_login(pilot.manager)
    due = review.due_at

    response = client.post(url("review_reschedule", review), {"due_on": "next week"})

    assert response.status_code == 400
    assert "Enter a valid date" in field_errors(response, "due_on")
    review.refresh_from_db()
    assert review.due_at == due


def test_a_completed_review_keeps_its_date(client, pilot, open_review):
    client.force_login(pilot.manager)
    client.post(url("review_complete", open_review), {"outcome": "continue"})

    response = client.post(url("review_reschedule", open_review), {"due_on": "2026-05-04"})

    assert response.status_code == 400
    assert "A completed review keeps its date." in response.content.decode()


def test_manager_pauses_and_resumes_the_timers(client, pilot, review):
    client.force_login(pilot.manager)
    due = review.due_at

    client.post(alliance_url("timers_pause", pilot.alliance), {"reason": "Sanctions on LogiCorp"})
    detail = client.get(alliance_url("alliance_detail", pilot.alliance)).content.decode()
    assert "Timers paused (force majeure)." in detail
    assert "Sanctions on LogiCorp" in detail

    with time_machine.travel(NOW + timedelta(days=10), tick=False):
        client.post(alliance_url("timers_resume", pilot.alliance))

    review.refresh_from_db()
    assert review.due_at == due + timedelta(days=10)
    detail = client.get(alliance_url("alliance_detail", pilot.alliance)).content.decode()
    assert "Timers paused" not in detail


def test_pausing_without_a_reason_says_so_next_to_the_field(client, pilot):
    client.force_login(pilot.manager)

    response = client.post(alliance_url("timers_pause", pilot.alliance), {"reason": ""})

    assert "This field is required." in field_errors(response, "reason")
    pilot.alliance.refresh_from_db()
    assert not pilot.alliance.is_paused


def test_completing_without_an_outcome_is_refused_next_to_the_field(client, pilot, open_review):
    client.force_login(pilot.manager)

    response = client.post(url("review_complete", open_review), {"notes": "We carry on"})

    assert response.status_code == 400
    assert "This field is required." in field_errors(response, "outcome")
    open_review.refresh_from_db()
    assert open_review.status == Review.Status.OPEN


# Partner representatives


def test_rep_records_their_own_partners_fit_only(client, pilot, open_review):
    client.force_login(pilot.rep)

    response = client.post(
        url("review_fit", open_review),
        {"fit": "4", "comments": "Still core", "partner": pilot.logicorp.pk},
    )

    assert response.status_code == 302
    (fit,) = PartnerFit.objects.filter(review=open_review)
    assert (fit.partner, fit.fit, fit.recorded_by) == (pilot.techco, 4, pilot.rep)


def test_a_fit_out_of_range_is_shown_next_to_its_field(client, pilot, open_review):
    client.force_login(pilot.rep)

    response = client.post(url("review_fit", open_review), {"fit": "7"})

    assert response.status_code == 400
    assert "less than or equal to 5" in field_errors(response, "fit")
    assert not PartnerFit.objects.exists()


@pytest.mark.parametrize("persona", ["manager", "steering"])
def test_people_who_represent_no_partner_record_no_fit(client, pilot, open_review, persona):
    client.force_login(getattr(pilot, persona))
    assert client.post(url("review_fit", open_review), {"fit": "3"}).status_code == 403
    assert not PartnerFit.objects.exists()


def test_no_fit_before_the_review_opens(client, pilot, review):
    client.force_login(pilot.rep)
    page = client.get(url("review_detail", review)).content.decode()
    assert "once the review opens" in page

    response = client.post(url("review_fit", review), {"fit": "3"})

    assert response.status_code == 400
    assert "while the review is open" in response.content.decode()


# A whole round, as the people do it


def test_a_whole_review_round_through_the_pages(client, pilot):
    goal = GoalFactory.create(alliance=pilot.alliance, title="Cut emissions 20%")
    client.force_login(pilot.manager)
    client.post(alliance_url("alliance_stage", pilot.alliance), {"stage": "under_review"})
    client.post(alliance_url("alliance_stage", pilot.alliance), {"stage": "active"})
    review = pilot.alliance.reviews.get()
    assert client.post(url("review_open", review)).status_code == 302

    client.force_login(pilot.rep)
    client.post(url("review_fit", review), {"fit": "2", "comments": "Too slow for us"})

    client.force_login(pilot.manager)
    detail = client.get(url("review_detail", review)).content.decode()
    edit = reverse("goal_edit", kwargs={"alliance_pk": pilot.alliance.pk, "goal_pk": goal.pk})
    assert f"{edit}?next={url('review_detail', review)}%23goals" in detail
    response = client.post(
        f"{edit}?next={url('review_detail', review)}%23goals",
        {
            "title": "Cut emissions 30%",
            "measure": "Tonnes CO2e",
            "next": url("review_detail", review) + "#goals",
        },
    )
    assert response.status_code == 302
    assert response.url == url("review_detail", review) + "#goals"
    response = client.post(
        url("review_complete", review),
        {"outcome": "adjust_goals", "notes": "Faster targets, see the goals."},
    )
    assert response.url == alliance_url("review_list", pilot.alliance)

    goal.refresh_from_db()
    assert goal.title == "Cut emissions 30%"
    review.refresh_from_db()
    assert (review.status, review.outcome) == (Review.Status.COMPLETED, "adjust_goals")
    upcoming = pilot.alliance.reviews.pending().get()
    assert upcoming.due_at.date() == datetime(2027, 4, 20).date()
    history = client.get(alliance_url("review_list", pilot.alliance)).content.decode()
    assert "Adjust the goals" in history
    assert "Faster targets, see the goals." in history
    assert "April 20, 2027" in history


def test_editing_a_goal_never_returns_off_the_site(client, pilot):
    goal = GoalFactory.create(alliance=pilot.alliance)
    client.force_login(pilot.manager)
    edit = reverse("goal_edit", kwargs={"alliance_pk": pilot.alliance.pk, "goal_pk": goal.pk})

    response = client.post(edit, {"title": "T", "measure": "M", "next": "https://evil.example/"})

    assert response.url == alliance_url("interest_map", pilot.alliance)


# The alliance's own pages


def test_alliance_page_shows_the_next_review_and_links_to_the_reviews(client, pilot, review):
    client.force_login(pilot.steering)

    page = client.get(alliance_url("alliance_detail", pilot.alliance)).content.decode()

    assert "Realignment reviews" in page
    assert f'href="{alliance_url("review_list", pilot.alliance)}"' in page
    assert f'href="{url("review_detail", review)}"' in page
    assert timezone.localtime(review.due_at).strftime("%B %-d, %Y") in page


def test_manager_changes_the_cadence_and_the_review_moves(client, pilot, review):
    client.force_login(pilot.manager)
    edit = alliance_url("alliance_edit", pilot.alliance)
    assert 'name="review_cadence_months"' in client.get(edit).content.decode()
    data = {
        "name": pilot.alliance.name,
        "purpose": pilot.alliance.purpose,
        "form": pilot.alliance.form,
        "market_pace": pilot.alliance.market_pace,
        "review_cadence_months": "6",
        "review_when_open_escalations": "3",
        "review_when_missed_commitments": "3",
    }

    assert client.post(edit, data).status_code == 302

    pilot.alliance.refresh_from_db()
    assert pilot.alliance.review_cadence_months == 6
    assert pilot.alliance.reviews.pending().get().due_at < review.due_at


# Query counts


def _history(alliance, count):
    for n in range(count):
        moment = NOW - timedelta(days=400 * (n + 1))
        Review.objects.create(
            alliance=alliance,
            status=Review.Status.COMPLETED,
            due_at=moment,
            completed_at=moment,
            completed_by=UserFactory.create(),
            outcome="continue",
            outcome_notes=f"Round {n}",
        )


@pytest.mark.parametrize("count", [3, 30])
def test_review_list_query_count_does_not_grow(
    client, pilot, review, django_assert_num_queries, count
):
    _history(pilot.alliance, count)
    client.force_login(pilot.steering)
    # session, person, alliance, is manager, current, history, pauses, unread count, and
    # the condition that opened the current review early (its reason, in the reader's words)
    with django_assert_num_queries(9):
        response = client.get(alliance_url("review_list", pilot.alliance))
    assert response.content.decode().count("Continue as we are") == count


@pytest.mark.parametrize("count", [3, 30])
def test_review_detail_query_count_does_not_grow(
    client, pilot, open_review, django_assert_num_queries, count
):
    for _ in range(count):
        partner = PartnerFactory.create(alliance=pilot.alliance)
        PartnerFit.objects.create(review=open_review, partner=partner, fit=3, comments="ok")
        GoalFactory.create(alliance=pilot.alliance)
    client.force_login(pilot.rep)
    # session, person, alliance, review, my partner, fits, partners, is manager, goals, unread
    # count, and the conditions that opened the review early
    with django_assert_num_queries(11):
        response = client.get(url("review_detail", open_review))
    assert response.content.decode().count("<strong>3</strong>/5") == count
