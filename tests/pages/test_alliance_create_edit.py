"""Starting an alliance (anyone signed in) and editing it (its coalition managers only)."""

from django.urls import reverse

from alliances.models import Alliance, Role, StageTransition

from .helpers import field_errors

NEW = {
    "name": "River clean-up coalition",
    "purpose": "Keep the river clean together.",
    "form": "advocacy_coalition",
    "market_pace": "stable",
    "expected_end": "",
}


def test_create_page_has_a_label_for_every_field(client, outsider):
    client.force_login(outsider)
    page = client.get(reverse("alliance_create")).content.decode()
    for field in ("name", "purpose", "form", "market_pace", "expected_end"):
        assert f'<label for="id_{field}">' in page


def test_creator_becomes_coalition_manager(client, outsider):
    client.force_login(outsider)
    response = client.post(reverse("alliance_create"), NEW)
    alliance = Alliance.objects.get(name="River clean-up coalition")
    assert response.status_code == 302
    assert response.url == reverse("alliance_detail", kwargs={"alliance_pk": alliance.pk})
    assert alliance.stage == Alliance.Stage.PROPOSED
    assert alliance.roles.get().kind == Role.Kind.COALITION_MANAGER
    assert alliance.roles.get().person == outsider
    transition = StageTransition.objects.get(alliance=alliance)
    assert transition.by == outsider


def test_project_based_alliance_without_expected_end_is_refused(client, outsider):
    client.force_login(outsider)
    response = client.post(reverse("alliance_create"), {**NEW, "form": "project_based"})
    assert response.status_code == 200
    assert "needs an expected end date" in field_errors(response, "expected_end")
    assert not Alliance.objects.filter(name=NEW["name"]).exists()


def test_missing_name_shows_next_to_the_name(client, outsider):
    client.force_login(outsider)
    response = client.post(reverse("alliance_create"), {**NEW, "name": ""})
    assert "This field is required." in field_errors(response, "name")
    assert not Alliance.objects.filter(purpose=NEW["purpose"]).exists()


def test_manager_edits_the_alliance(client, pilot):
    client.force_login(pilot.manager)
    url = reverse("alliance_edit", kwargs={"alliance_pk": pilot.alliance.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            **NEW,
            "name": "Carbon pilot, phase two",
            "market_pace": "fast",
            "review_cadence_months": 3,
            "review_when_open_escalations": 2,
            "review_when_missed_commitments": 0,
        },
    )
    assert response.status_code == 302
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.name == "Carbon pilot, phase two"
    assert pilot.alliance.market_pace == "fast"
    assert pilot.alliance.review_cadence_months == 3
    assert pilot.alliance.review_when_open_escalations == 2
    assert pilot.alliance.review_when_missed_commitments == 0


def test_rejected_edit_saves_nothing(client, pilot):
    client.force_login(pilot.manager)
    url = reverse("alliance_edit", kwargs={"alliance_pk": pilot.alliance.pk})
    response = client.post(url, {**NEW, "name": "Renamed", "form": "project_based"})
    assert "needs an expected end date" in field_errors(response, "expected_end")
    assert "<h1>Edit Last-mile carbon pilot</h1>" in response.content.decode()
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.name == "Last-mile carbon pilot"


def test_rep_cannot_edit_alliance(client, pilot):
    client.force_login(pilot.rep)
    url = reverse("alliance_edit", kwargs={"alliance_pk": pilot.alliance.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {**NEW, "name": "Hijacked"}).status_code == 403
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.name == "Last-mile carbon pilot"


def test_steering_member_cannot_edit_alliance(client, pilot):
    client.force_login(pilot.steering)
    url = reverse("alliance_edit", kwargs={"alliance_pk": pilot.alliance.pk})
    assert client.get(url).status_code == 403


def test_outsider_gets_404_for_editing_the_pilot(client, pilot, outsider):
    client.force_login(outsider)
    url = reverse("alliance_edit", kwargs={"alliance_pk": pilot.alliance.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, NEW).status_code == 404
