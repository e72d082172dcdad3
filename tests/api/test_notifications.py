"""/api/v1/notifications/: the caller's own notifications, and their email preferences.

Notifications are strictly per person: another person's is never listed or counted, and its id
answers 404 exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from alliances import reviews
from alliances.models import Notification, NotificationKind, NotificationPreference, User
from alliances.notifications import preferences_of

LIST = "/api/v1/notifications/"
READ_ALL = LIST + "read-all/"
UNREAD = LIST + "unread-count/"
PREFERENCES = LIST + "preferences/"
HUGE = 10**30
ALL_ON = dict.fromkeys(NotificationKind.values, True)


def _read(notification: Notification) -> str:
    return f"{LIST}{notification.pk}/read/"


def _notify(person: User, count: int = 1, *, read: bool = False, **fields: Any) -> list[Any]:
    now = timezone.now()
    return Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind=NotificationKind.REVIEW_REMINDER,
            title=f"{person.email} {n}",
            delivery_key=f"test:{person.pk}:{n}:{read}",
            created_at=now - timedelta(minutes=n),
            read_at=now if read else None,
            **fields,
        )
        for n in range(count)
    )


def _states() -> list[tuple[Any, ...]]:
    return list(Notification.objects.order_by("pk").values_list("pk", "recipient", "read_at"))


# Listing


def test_the_list_is_the_callers_own_latest_first_with_every_field(api_as, pilot):
    _notify(pilot.rep, alliance=pilot.alliance, url="/alliances/1/reviews/")
    _notify(pilot.manager, 2)
    response = api_as(pilot.rep).get(LIST)
    assert response.status_code == 200
    (only,) = response.json()["results"]
    assert set(only) == {
        "id",
        "kind",
        "title",
        "body",
        "url",
        "alliance",
        "created_at",
        "read_at",
    }
    assert (only["title"], only["alliance"], only["url"], only["read_at"]) == (
        "rep@techco.example 0",
        pilot.alliance.pk,
        "/alliances/1/reviews/",
        None,
    )
    titles = [n["title"] for n in api_as(pilot.manager).get(LIST).json()["results"]]
    assert titles == ["manager@greenalliance.example 0", "manager@greenalliance.example 1"]


def test_unread_filters_the_list(api_as, pilot):
    _notify(pilot.rep, 2)
    _notify(pilot.rep, 1, read=True)
    client = api_as(pilot.rep)
    assert client.get(LIST, {"unread": "true"}).json()["count"] == 2
    assert client.get(LIST, {"unread": "false"}).json()["count"] == 1
    assert client.get(LIST).json()["count"] == 3


@pytest.mark.parametrize("value", ["maybe", "2", HUGE])
def test_an_unreadable_filter_gets_400(api_as, pilot, value):
    response = api_as(pilot.rep).get(LIST, {"unread": value})
    assert response.status_code == 400
    assert list(response.json()) == ["unread"]


def test_opening_a_review_notifies_with_a_link_to_it(api_as, pilot):
    pilot.alliance.ensure_review_scheduled(timezone.now())
    review = pilot.alliance.reviews.get()
    reviews.review_open(review=review, by=pilot.manager)
    (notification,) = api_as(pilot.rep).get(LIST).json()["results"]
    assert notification["kind"] == "review_opened"
    assert notification["alliance"] == pilot.alliance.pk
    assert notification["url"] == f"/alliances/{pilot.alliance.pk}/reviews/{review.pk}/"


# Strictly per person


@pytest.mark.parametrize("persona", ["manager", "rep", "steering", "outsider"])
def test_nobody_lists_counts_or_reads_anyone_elses_notifications(api_as, pilot, outsider, persona):
    people = {"manager": pilot.manager, "rep": pilot.rep, "steering": pilot.steering}
    people["outsider"] = outsider
    for person in people.values():
        _notify(person, 2)
    me = people.pop(persona)
    others = Notification.objects.exclude(recipient=me)
    before = _states()
    client = api_as(me)
    listed = {n["id"] for n in client.get(LIST).json()["results"]}
    assert listed == set(me.notifications.values_list("pk", flat=True))
    assert client.get(UNREAD).json() == {"unread": 2}
    for notification in others:
        assert client.post(_read(notification)).status_code == 404
    assert _states() == before


@pytest.mark.parametrize("url_pk", [HUGE, -1, 999_999])
def test_notification_ids_that_do_not_exist_get_404(api_as, pilot, url_pk):
    assert api_as(pilot.rep).post(f"{LIST}{url_pk}/read/").status_code == 404


# Marking read


def test_reading_one_marks_only_that_one_and_reading_it_again_changes_nothing(api_as, pilot):
    first, second = _notify(pilot.rep, 2)
    client = api_as(pilot.rep)
    response = client.post(_read(first))
    assert response.status_code == 200
    read_at = response.json()["read_at"]
    assert read_at is not None
    assert client.post(_read(first)).json()["read_at"] == read_at
    assert client.get(UNREAD).json() == {"unread": 1}
    second.refresh_from_db()
    assert second.read_at is None


def test_read_all_marks_the_callers_unread_and_says_how_many(api_as, pilot):
    _notify(pilot.rep, 3)
    _notify(pilot.rep, 1, read=True)
    _notify(pilot.manager, 2)
    client = api_as(pilot.rep)
    assert client.post(READ_ALL).json() == {"marked": 3}
    assert client.post(READ_ALL).json() == {"marked": 0}
    assert client.get(UNREAD).json() == {"unread": 0}
    assert api_as(pilot.manager).get(UNREAD).json() == {"unread": 2}


@pytest.mark.parametrize("url", [READ_ALL, f"{LIST}1/read/"])
def test_mark_read_is_post_only(api_as, pilot, url):
    assert api_as(pilot.rep).get(url).status_code == 405


# Preferences


def test_email_is_on_for_every_kind_until_turned_off(api_as, pilot):
    response = api_as(pilot.rep).get(PREFERENCES)
    assert response.status_code == 200
    assert response.json() == {"email": ALL_ON}


def test_preferences_round_trip(api_as, pilot):
    client = api_as(pilot.rep)
    wanted = ALL_ON | {"review_reminder": False, "timers_paused": False}
    response = client.put(PREFERENCES, {"email": wanted}, format="json")
    assert response.status_code == 200
    assert response.json() == {"email": wanted}
    assert client.get(PREFERENCES).json() == {"email": wanted}
    assert preferences_of(pilot.rep) == wanted
    assert preferences_of(pilot.manager) == ALL_ON


def test_patch_changes_only_the_kinds_it_names(api_as, pilot):
    client = api_as(pilot.rep)
    client.put(PREFERENCES, {"email": ALL_ON | {"review_opened": False}}, format="json")
    body = {"email": {"review_reminder": False}}
    response = client.patch(PREFERENCES, body, format="json")
    assert response.status_code == 200
    assert response.json() == {"email": ALL_ON | {"review_opened": False, "review_reminder": False}}


@pytest.mark.parametrize(
    ("email", "errors"),
    [
        (ALL_ON | {"fax": False}, ["email.fax"]),
        (ALL_ON | {"review_opened": "maybe"}, ["email.review_opened"]),
        (ALL_ON | {"review_opened": None}, ["email.review_opened"]),
        (ALL_ON | {"review_opened": [True]}, ["email.review_opened"]),
        (ALL_ON | {"review_opened": 2}, ["email.review_opened"]),
        (ALL_ON | {"fax": True, "review_opened": "maybe"}, ["email.fax", "email.review_opened"]),
        ({"review_opened": False}, ["email.review_completed", "email.review_reminder"]),
        ("all off", ["email.non_field_errors"]),
        (None, ["email"]),
    ],
    ids=repr,
)
def test_bad_preferences_get_400_per_field_and_change_nothing(api_as, pilot, email, errors):
    before = list(NotificationPreference.objects.values_list("person", "kind", "email"))
    response = api_as(pilot.rep).put(PREFERENCES, {"email": email}, format="json")
    assert response.status_code == 400
    assert set(errors) <= set(response.json())
    assert all(key.startswith("email") for key in response.json())
    assert list(NotificationPreference.objects.values_list("person", "kind", "email")) == before


def test_preferences_need_the_email_object(api_as, pilot):
    client = api_as(pilot.rep)
    assert list(client.put(PREFERENCES, {}, format="json").json()) == ["email"]
    assert client.put(PREFERENCES, [ALL_ON], format="json").status_code == 400
    assert client.put(PREFERENCES, '{"email": ', content_type="application/json").status_code == 400
    assert not NotificationPreference.objects.exists()


# Anonymous


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", LIST),
        ("post", f"{LIST}1/read/"),
        ("post", READ_ALL),
        ("get", UNREAD),
        ("get", PREFERENCES),
        ("put", PREFERENCES),
        ("patch", PREFERENCES),
    ],
)
def test_anonymous_gets_401(api_client, pilot, method, url):
    _notify(pilot.rep)
    before = _states()
    assert getattr(api_client, method)(url, {"email": ALL_ON}, format="json").status_code == 401
    assert _states() == before
    assert not NotificationPreference.objects.exists()


# Query counts


@pytest.mark.parametrize("count", [3, 30])
def test_list_takes_the_same_queries_for_3_and_30_notifications(
    api_as, pilot, django_assert_num_queries, count
):
    _notify(pilot.rep, count, alliance=pilot.alliance)
    _notify(pilot.manager, count)
    client = api_as(pilot.rep)
    # count, page of notifications
    with django_assert_num_queries(2):
        response = client.get(LIST, {"unread": "true"})
    assert response.json()["count"] == count
