"""Notifications in the app: my own list, marking read, the header's unread count, email choices."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from alliances.models import Notification, NotificationKind, NotificationPreference

HTMX = {"HX-Request": "true"}


def notify(person, title="The realignment review is due", *, minutes_ago=0, read=False):
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        recipient=person,
        kind=NotificationKind.REVIEW_REMINDER,
        title=title,
        url="/alliances/1/reviews/",
        delivery_key=f"test:{person.pk}:{title}:{minutes_ago}",
        created_at=at,
        read_at=at if read else None,
    )


def _notification_queries(queries):
    return [q["sql"] for q in queries if "alliances_notification" in q["sql"]]


def test_anonymous_is_sent_to_sign_in(client, db):
    for name in ("notification_list", "notification_preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_my_list_is_mine_newest_first_with_links(client, pilot):
    notify(pilot.rep, "Older news", minutes_ago=60)
    notify(pilot.rep, "Newer news", minutes_ago=1)
    notify(pilot.manager, "The manager's own")
    client.force_login(pilot.rep)

    page = client.get(reverse("notification_list")).content.decode()

    assert page.index("Newer news") < page.index("Older news")
    assert "The manager's own" not in page
    assert 'href="/alliances/1/reviews/"' in page


def test_unread_ones_are_marked_in_words(client, pilot):
    notify(pilot.rep, "Still to read")
    notify(pilot.rep, "Already read", minutes_ago=5, read=True)
    client.force_login(pilot.rep)

    page = client.get(reverse("notification_list")).content.decode()

    assert page.count("notification--unread") == 1
    assert page.count(">Unread</span>") == 1
    assert "1 unread" in page


def test_list_pages_by_fifty(client, pilot):
    for n in range(51):
        notify(pilot.rep, f"News {n}", minutes_ago=n)
    client.force_login(pilot.rep)

    first = client.get(reverse("notification_list")).content.decode()
    second = client.get(reverse("notification_list"), {"page": 2}).content.decode()

    assert first.count('<li class="notification') == 50
    assert "Page 1 of 2" in first
    assert second.count('<li class="notification') == 1
    assert "News 50" in second


def test_marking_one_read_redirects_back_without_htmx(client, pilot):
    mine = notify(pilot.rep)
    client.force_login(pilot.rep)
    url = reverse("notification_read", kwargs={"notification_pk": mine.pk})

    response = client.post(url, {"next": "/notifications/?page=1"})

    assert response.status_code == 302
    assert response.url == "/notifications/?page=1"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_marking_read_never_redirects_off_the_site(client, pilot):
    mine = notify(pilot.rep)
    client.force_login(pilot.rep)
    url = reverse("notification_read", kwargs={"notification_pk": mine.pk})

    response = client.post(url, {"next": "https://evil.example/"})

    assert response.url == reverse("notification_list")


def test_marking_one_read_with_htmx_swaps_its_row_and_the_count(client, pilot):
    mine = notify(pilot.rep)
    notify(pilot.rep, "Another", minutes_ago=1)
    client.force_login(pilot.rep)
    url = reverse("notification_read", kwargs={"notification_pk": mine.pk})

    response = client.post(url, headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{mine.pk}"' in html
    assert "notification--unread" not in html
    assert "<html" not in html
    assert 'id="unread-badge" hx-swap-oob="true"' in html
    assert '<span class="count">1' in html


def test_someone_elses_notification_is_404(client, pilot):
    theirs = notify(pilot.manager)
    client.force_login(pilot.rep)

    response = client.post(reverse("notification_read", kwargs={"notification_pk": theirs.pk}))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_all_read_touches_only_mine(client, pilot):
    notify(pilot.rep, "One")
    notify(pilot.rep, "Two", minutes_ago=1)
    theirs = notify(pilot.manager)
    client.force_login(pilot.rep)

    response = client.post(reverse("notification_read_all"))

    assert response.status_code == 302
    assert not Notification.objects.for_person(pilot.rep).unread().exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_header_shows_my_unread_count_on_every_page(client, pilot):
    notify(pilot.rep, "One")
    notify(pilot.rep, "Two", minutes_ago=1)
    notify(pilot.manager, "Not mine")
    client.force_login(pilot.rep)

    for name in ("profile", "alliance_list", "calendar"):
        page = client.get(reverse(name)).content.decode()
        assert '<span class="count">2<span class="visually-hidden"> unread' in page, name


def test_the_count_costs_one_query_per_page_and_none_for_visitors(client, pilot):
    notify(pilot.rep)
    client.force_login(pilot.rep)
    with CaptureQueriesContext(connection) as signed_in:
        client.get(reverse("profile"))
    client.logout()
    with CaptureQueriesContext(connection) as anonymous:
        client.get(reverse("account_login"))

    assert len(_notification_queries(signed_in.captured_queries)) == 1
    assert _notification_queries(anonymous.captured_queries) == []


def test_no_badge_without_unread(client, pilot):
    notify(pilot.rep, read=True)
    client.force_login(pilot.rep)

    assert 'class="count"' not in client.get(reverse("profile")).content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow(client, pilot, django_assert_num_queries, count):
    for n in range(count):
        notify(pilot.rep, f"News {n}", minutes_ago=n)
    client.force_login(pilot.rep)
    # session, person, count for the pages, the page, the header's unread count
    with django_assert_num_queries(5):
        response = client.get(reverse("notification_list"))
    assert response.content.decode().count('<li class="notification') == count


def test_preferences_show_one_labelled_checkbox_per_kind(client, pilot):
    client.force_login(pilot.rep)

    page = client.get(reverse("notification_preferences")).content.decode()

    assert "Email me about" in page
    for kind, label in NotificationKind.choices:
        assert f'<label for="id_{kind}">{escape(label)}</label>' in page
        assert f'name="{kind}"' in page


def test_turning_one_kind_off_keeps_the_others_on(client, pilot):
    client.force_login(pilot.rep)
    on = {kind: "on" for kind in NotificationKind.values if kind != "review_reminder"}

    response = client.post(reverse("notification_preferences"), on)

    assert response.status_code == 302
    saved = dict(
        NotificationPreference.objects.filter(person=pilot.rep).values_list("kind", "email")
    )
    assert saved["review_reminder"] is False
    assert all(saved[kind] for kind in on)
    page = client.get(reverse("notification_preferences")).content.decode()
    assert 'name="review_reminder" id="id_review_reminder"' in page
    assert 'name="review_reminder" id="id_review_reminder" checked' not in page


def test_preferences_are_per_person(client, pilot):
    client.force_login(pilot.rep)
    client.post(reverse("notification_preferences"), {})

    assert not NotificationPreference.objects.filter(person=pilot.manager).exists()
