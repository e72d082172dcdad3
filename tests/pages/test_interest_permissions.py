"""Who may change what on the interest map.

Coalition managers keep the goals; a partner's representatives keep that partner's interests;
steering committee members read; outsiders learn nothing (404 everywhere).
"""

import pytest
from django.urls import reverse

from alliances.models import Goal, Interest

from .interest_data import map_pilot


@pytest.fixture
def mapped(pilot):
    return map_pilot(pilot)


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_members_read_the_map_and_its_exports(client, mapped, persona):
    client.force_login(getattr(mapped.pilot, persona))
    for name in ("interest_map", "interest_map_print", "interest_map_csv"):
        assert client.get(mapped.url(name)).status_code == 200


def test_manager_adds_edits_and_removes_goals(client, mapped):
    client.force_login(mapped.pilot.manager)
    response = client.post(mapped.url("goal_add"), {"title": "Self-funding by month 12"})
    assert response.status_code == 302
    assert response["Location"] == mapped.url("interest_map")
    client.post(mapped.url("goal_edit", goal_pk=mapped.speed.pk), {"title": "Same-day"})
    mapped.speed.refresh_from_db()
    assert mapped.speed.title == "Same-day"
    client.post(mapped.url("goal_delete", goal_pk=mapped.product.pk))
    titles = set(
        Goal.objects.filter(alliance=mapped.pilot.alliance).values_list("title", flat=True)
    )
    assert titles == {"Same-day", "Publish the emissions data openly", "Self-funding by month 12"}


@pytest.mark.parametrize("persona", ["rep", "steering"])
def test_members_without_the_manager_role_cannot_change_goals(client, mapped, persona):
    client.force_login(getattr(mapped.pilot, persona))
    assert client.get(mapped.url("goal_add")).status_code == 403
    assert client.post(mapped.url("goal_add"), {"title": "Mine"}).status_code == 403
    goal = {"goal_pk": mapped.speed.pk}
    assert client.post(mapped.url("goal_edit", **goal), {"title": "Mine"}).status_code == 403
    assert client.post(mapped.url("goal_delete", **goal)).status_code == 403
    assert Goal.objects.filter(alliance=mapped.pilot.alliance).count() == 3
    page = client.get(mapped.url("interest_map")).content.decode()
    assert mapped.url("goal_add") not in page


def test_rep_adds_interests_for_its_own_partner_only(client, mapped):
    client.force_login(mapped.pilot.rep)
    data = {"kind": "explicit", "statement": "Ours", "importance": 3, "visibility": "alliance"}
    own = mapped.url("interest_add", partner_pk=mapped.pilot.techco.pk)
    other = mapped.url("interest_add", partner_pk=mapped.pilot.logicorp.pk)
    assert client.post(own, data).status_code == 302
    assert client.post(other, data).status_code == 403
    assert list(Interest.objects.filter(statement="Ours").values_list("partner", flat=True)) == [
        mapped.pilot.techco.pk
    ]


@pytest.mark.parametrize(
    "name", ["interest_edit", "interest_share", "interest_links", "interest_delete"]
)
def test_rep_gets_403_on_another_partners_shared_interest(client, mapped, name):
    client.force_login(mapped.pilot.rep)
    url = mapped.url(name, interest_pk=mapped.logicorp_shared.pk)
    assert client.post(url, {"statement": "Taken over"}).status_code == 403
    assert Interest.objects.get(pk=mapped.logicorp_shared.pk).statement == "Reliable, fast delivery"


@pytest.mark.parametrize(
    "name", ["interest_edit", "interest_share", "interest_links", "interest_delete"]
)
def test_rep_gets_404_on_another_organisations_draft(client, mapped, name):
    client.force_login(mapped.pilot.rep)
    url = mapped.url(name, interest_pk=mapped.logicorp_draft.pk)
    assert client.post(url).status_code == 404
    assert Interest.objects.filter(pk=mapped.logicorp_draft.pk).exists()


def test_rep_cannot_remove_another_partners_link(client, mapped):
    client.force_login(mapped.pilot.rep)
    link = mapped.logicorp_shared.links.get()
    url = mapped.url("interest_link_delete", interest_pk=mapped.logicorp_shared.pk, link_pk=link.pk)
    assert client.post(url).status_code == 403
    # Its own interest's id with another interest's link: the link is not found there.
    url = mapped.url("interest_link_delete", interest_pk=mapped.techco_shared.pk, link_pk=link.pk)
    assert client.post(url).status_code == 404
    assert mapped.logicorp_shared.links.exists()


def test_rep_sees_edit_links_only_on_its_own_partners_interests(client, mapped):
    client.force_login(mapped.pilot.rep)
    page = client.get(mapped.url("interest_map")).content.decode()
    assert mapped.url("interest_edit", interest_pk=mapped.techco_shared.pk) in page
    assert mapped.url("interest_edit", interest_pk=mapped.logicorp_shared.pk) not in page
    assert mapped.url("interest_add", partner_pk=mapped.pilot.techco.pk) in page
    assert mapped.url("interest_add", partner_pk=mapped.pilot.logicorp.pk) not in page


def test_steering_member_reads_but_changes_nothing(client, mapped):
    client.force_login(mapped.pilot.steering)
    page = client.get(mapped.url("interest_map")).content.decode()
    assert "/edit/" not in page
    assert "/delete/" not in page
    own = mapped.url("interest_edit", interest_pk=mapped.logicorp_shared.pk)
    assert client.post(own, {"statement": "Changed"}).status_code == 403
    add = mapped.url("interest_add", partner_pk=mapped.pilot.logicorp.pk)
    assert client.get(add).status_code == 403


def test_manager_cannot_change_partners_interests(client, mapped):
    client.force_login(mapped.pilot.manager)
    url = mapped.url("interest_edit", interest_pk=mapped.techco_shared.pk)
    assert client.post(url, {"statement": "Changed"}).status_code == 403
    add = mapped.url("interest_add", partner_pk=mapped.pilot.greenalliance.pk)
    assert client.get(add).status_code == 403


def test_outsider_gets_404_everywhere_on_the_map(client, mapped, outsider):
    client.force_login(outsider)
    interest = {"interest_pk": mapped.techco_shared.pk}
    urls = [
        mapped.url("interest_map"),
        mapped.url("interest_map_csv"),
        mapped.url("interest_map_print"),
        mapped.url("goal_add"),
        mapped.url("goal_edit", goal_pk=mapped.speed.pk),
        mapped.url("interest_add", partner_pk=mapped.pilot.techco.pk),
        mapped.url("interest_edit", **interest),
        mapped.url("interest_share", **interest),
        mapped.url("interest_links", **interest),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(mapped.url("interest_delete", **interest)).status_code == 404
    assert client.post(mapped.url("goal_delete", goal_pk=mapped.speed.pk)).status_code == 404


def test_outsiders_portfolio_does_not_mention_the_pilot(client, mapped, outsider):
    client.force_login(outsider)
    page = client.get(reverse("interest_portfolio")).content.decode()
    assert "Packaging coalition" in page
    assert mapped.pilot.alliance.name not in page


def test_anonymous_visitors_are_sent_to_sign_in(client, mapped):
    response = client.get(mapped.url("interest_map"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
