"""The dashboard: my alliances with their stage, partners and my roles; the reviews coming up;
my latest unread notifications."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alliances.models import Notification, NotificationKind, Role
from tests.factories import AllianceFactory, PartnerFactory, RoleFactory


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_members_see_the_pilot_with_its_partners(client, pilot, persona):
    client.force_login(getattr(pilot, persona))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Last-mile carbon pilot" in page
    assert "Active" in page
    for name in ("TechCo", "LogiCorp", "GreenAlliance"):
        assert name in page


def test_rep_sees_their_role_and_partner(client, pilot):
    client.force_login(pilot.rep)
    response = client.get(reverse("dashboard"))
    assert "Partner representative" in response.content.decode()
    assert "for TechCo" in response.content.decode()


def test_outsider_does_not_see_the_pilot(client, pilot, outsider):
    client.force_login(outsider)
    response = client.get(reverse("dashboard"))
    page = response.content.decode()
    assert "Packaging coalition" in page
    assert "Last-mile carbon pilot" not in page


def test_person_without_alliances_is_told_how_to_start(client, django_user_model):
    person = django_user_model.objects.create_user(email="new@example.org", password="x")
    client.force_login(person)
    response = client.get(reverse("dashboard"))
    assert "You are not part of any alliance yet." in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_dashboard_query_count_does_not_grow_with_alliances(
    client, django_user_model, django_assert_num_queries, count
):
    person = django_user_model.objects.create_user(email="busy@example.org", password="x")
    for _ in range(count):
        alliance = AllianceFactory.create()
        partner = PartnerFactory(alliance=alliance)
        PartnerFactory(alliance=alliance)
        RoleFactory(
            alliance=alliance,
            person=person,
            kind=Role.Kind.PARTNER_REPRESENTATIVE,
            partner=partner,
        )
        alliance.ensure_review_scheduled(timezone.now() - timedelta(days=360))
        notify(person, alliance)
    client.force_login(person)
    # session, person, alliances, my roles (with partner and organisation), partners (with
    # organisation), reviews due, latest unread notifications, the header's unread count
    # ... decisions awaiting the person, open escalations, partners serving notice; then the
    # "needs attention" block: the person's running alliances and every health source's
    # signals (pinned source by source in their own tests)
    with django_assert_num_queries(32):
        response = client.get(reverse("dashboard"))
    page = response.content.decode()
    assert page.count('class="card"') == count
    assert page.count("Realignment review of") == count
    assert page.count("Overdue") == 0


def notify(person, alliance, *, read=False, title=None):
    return Notification.objects.create(
        recipient=person,
        alliance=alliance,
        kind=NotificationKind.REVIEW_REMINDER,
        title=title or f"The realignment review of {alliance} is due",
        url=reverse("alliance_detail", kwargs={"alliance_pk": alliance.pk}),
        delivery_key=f"dashboard:{person.pk}:{alliance.pk}:{title}",
        read_at=timezone.now() if read else None,
    )


def test_reviews_due_soon_or_late_are_listed_with_overdue_marked(client, pilot):
    pilot.manager.time_zone = "Asia/Tokyo"
    pilot.manager.save()
    pilot.alliance.ensure_review_scheduled(timezone.now())
    review = pilot.alliance.reviews.get()
    review.move_due(datetime(2026, 3, 31, 20, 0, tzinfo=UTC), timezone.now())
    client.force_login(pilot.manager)

    with time_machine.travel(datetime(2026, 4, 2, tzinfo=UTC), tick=False):
        page = client.get(reverse("dashboard")).content.decode()

    detail = reverse(
        "review_detail", kwargs={"alliance_pk": pilot.alliance.pk, "review_pk": review.pk}
    )
    assert f'href="{detail}"' in page
    assert "due April 1, 2026" in page  # 20:00 UTC is the next morning in Tokyo
    assert "Overdue" in page


def test_reviews_far_ahead_wait_for_their_time(client, pilot):
    pilot.alliance.ensure_review_scheduled(timezone.now())  # a year ahead
    client.force_login(pilot.manager)

    assert "Realignment review of" not in client.get(reverse("dashboard")).content.decode()


def test_my_latest_unread_notifications_with_a_link_to_all(client, pilot):
    notify(pilot.rep, pilot.alliance, title="Mine, unread")
    notify(pilot.rep, pilot.alliance, title="Mine, read", read=True)
    notify(pilot.manager, pilot.alliance, title="The manager's")
    client.force_login(pilot.rep)

    page = client.get(reverse("dashboard")).content.decode()

    assert "Mine, unread" in page
    assert "Mine, read" not in page
    assert "The manager's" not in page
    assert f'href="{reverse("notification_list")}"' in page
