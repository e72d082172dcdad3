"""Moving an alliance through its lifecycle: only allowed steps, each recorded with who and when."""

from django.urls import reverse

from alliances.models import StageTransition

from .helpers import field_errors


def stage_url(pilot):
    return reverse("alliance_stage", kwargs={"alliance_pk": pilot.alliance.pk})


def test_manager_is_offered_only_the_next_stages(client, pilot):
    client.force_login(pilot.manager)
    page = client.get(stage_url(pilot)).content.decode()
    assert '<option value="under_review">Under review</option>' in page
    assert '<option value="exiting">Exiting</option>' in page
    assert 'value="dissolved"' not in page


def test_manager_moves_the_alliance_and_it_is_recorded(client, pilot):
    client.force_login(pilot.manager)
    response = client.post(stage_url(pilot), {"stage": "under_review", "note": "Six-month review."})
    assert response.status_code == 302
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.stage == "under_review"
    transition = StageTransition.objects.get(alliance=pilot.alliance)
    assert (transition.from_stage, transition.to_stage) == ("active", "under_review")
    assert transition.by == pilot.manager
    assert transition.note == "Six-month review."
    page = client.get(response.url).content.decode()
    assert "The alliance is now Under review." in page


def test_disallowed_transition_is_refused_next_to_the_stage(client, pilot):
    client.force_login(pilot.manager)
    response = client.post(stage_url(pilot), {"stage": "dissolved"})
    assert response.status_code == 200
    assert "Select a valid choice" in field_errors(response, "stage")
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.stage == "active"
    assert not StageTransition.objects.filter(alliance=pilot.alliance).exists()


def test_dissolved_alliance_offers_no_further_stage(client, pilot):
    pilot.alliance.stage = "dissolved"
    pilot.alliance.save(update_fields=["stage"])
    client.force_login(pilot.manager)
    page = client.get(stage_url(pilot)).content.decode()
    assert "A dissolved alliance stays dissolved" in page
    assert "<select" not in page


def test_rep_cannot_change_the_stage(client, pilot):
    client.force_login(pilot.rep)
    assert client.get(stage_url(pilot)).status_code == 403
    assert client.post(stage_url(pilot), {"stage": "exiting"}).status_code == 403
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.stage == "active"


def test_outsider_gets_404_for_the_stage_page(client, pilot, outsider):
    client.force_login(outsider)
    assert client.post(stage_url(pilot), {"stage": "exiting"}).status_code == 404
