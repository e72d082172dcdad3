"""The alliance page: overview, partners, people and roles, stage history, pending invitations."""

import datetime as dt

import pytest
from django.urls import reverse

from alliances.models import StageTransition
from tests.factories import InvitationFactory, PartnerFactory


def detail_url(pilot):
    return reverse("alliance_detail", kwargs={"alliance_pk": pilot.alliance.pk})


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_members_see_overview_partners_and_people(client, pilot, persona):
    client.force_login(getattr(pilot, persona))
    response = client.get(detail_url(pilot))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cut last-mile emissions together." in page
    for name in ("TechCo", "LogiCorp", "GreenAlliance"):
        assert name in page
    assert "Steering committee member" in page
    assert "Together the partners bring 100% of the alliance's resources." in page


def test_manager_sees_action_links(client, pilot):
    client.force_login(pilot.manager)
    page = client.get(detail_url(pilot)).content.decode()
    kwargs = {"alliance_pk": pilot.alliance.pk}
    for name in ("alliance_edit", "alliance_stage", "partner_add", "invitation_create"):
        assert reverse(name, kwargs=kwargs) in page
    assert reverse("partner_edit", kwargs={**kwargs, "partner_pk": pilot.techco.pk}) in page


@pytest.mark.parametrize("persona", ["rep", "steering"])
def test_members_without_the_manager_role_see_no_action_links(client, pilot, persona):
    client.force_login(getattr(pilot, persona))
    page = client.get(detail_url(pilot)).content.decode()
    kwargs = {"alliance_pk": pilot.alliance.pk}
    for name in ("alliance_edit", "alliance_stage", "partner_add", "invitation_create"):
        assert reverse(name, kwargs=kwargs) not in page
    assert "/remove/" not in page


def test_only_managers_see_pending_invitations(client, pilot):
    InvitationFactory(alliance=pilot.alliance, email="newcomer@techco.example")
    client.force_login(pilot.manager)
    assert "newcomer@techco.example" in client.get(detail_url(pilot)).content.decode()
    client.force_login(pilot.rep)
    page = client.get(detail_url(pilot)).content.decode()
    assert "newcomer@techco.example" not in page
    assert "Pending invitations" not in page


def test_stage_history_is_shown_in_the_viewers_time_zone(client, pilot):
    StageTransition.objects.create(
        alliance=pilot.alliance,
        from_stage="forming",
        to_stage="active",
        by=pilot.manager,
        at=dt.datetime(2025, 3, 1, 23, 30, tzinfo=dt.UTC),
        note="Kick-off done.",
    )
    pilot.rep.time_zone = "Asia/Tokyo"
    pilot.rep.save(update_fields=["time_zone"])
    client.force_login(pilot.rep)
    page = client.get(detail_url(pilot)).content.decode()
    assert "March 2, 2025, 8:30 a.m. (JST)" in page
    assert "Forming → Active" in page
    assert "Kick-off done." in page
    assert f"by {pilot.manager.display_name}" in page


def test_outsider_gets_404_for_alliance(client, pilot, outsider):
    client.force_login(outsider)
    assert client.get(detail_url(pilot)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, pilot):
    response = client.get(detail_url(pilot))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("extra_partners", [0, 7])
def test_detail_query_count_does_not_grow_with_partners(
    client, pilot, django_assert_num_queries, extra_partners
):
    """3 partners and 10 partners cost the same number of queries."""
    for _ in range(extra_partners):
        PartnerFactory(alliance=pilot.alliance, resource_share=0)
    client.force_login(pilot.manager)
    # session, person, alliance, partners, roles, invitations, stage history, next review,
    # the header's unread count, and the governance audit (charter in force, partners, people,
    # exit plan); then the health summary: 24 for every source's signals and advice, pinned
    # source by source in their own tests
    with django_assert_num_queries(40):
        response = client.get(detail_url(pilot))
    assert response.content.decode().count("/edit/") == 3 + extra_partners + 1
