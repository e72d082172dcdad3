"""Adding and changing goals, interests, links and who sees an interest, with and without htmx.

Without JavaScript a form is its own page and a saved change redirects to the map; with htmx the
form comes as a partial and a saved change answers with the refreshed map in its place.
Bad input changes nothing and the error stands next to its field.
"""

import datetime as dt

import pytest
import time_machine

from alliances.models import Goal, Interest, InterestLink, VisibilityChange

from .helpers import field_errors
from .interest_data import TECHCO_SUMMARY, map_pilot

HTMX = {"HX-Request": "true"}
NEW_INTEREST = {"kind": "implicit", "statement": "Our brand on the results", "importance": 4}


@pytest.fixture
def mapped(pilot):
    return map_pilot(pilot)


def test_goal_form_comes_as_a_partial_for_htmx(client, mapped):
    client.force_login(mapped.pilot.manager)
    text = client.get(mapped.url("goal_add"), headers=HTMX).content.decode()
    assert "<html" not in text
    assert f'hx-post="{mapped.url("goal_add")}"' in text
    assert '<label for="id_title">' in text


def test_goal_form_page_works_without_javascript(client, mapped):
    client.force_login(mapped.pilot.manager)
    text = client.get(mapped.url("goal_add")).content.decode()
    assert "<html" in text
    assert "hx-post" not in text
    assert f'action="{mapped.url("goal_add")}"' in text


def test_goal_added_through_htmx_answers_with_the_refreshed_map(client, mapped):
    client.force_login(mapped.pilot.manager)
    data = {"title": "Self-funding by month 12", "target_date": "2026-06-30"}
    response = client.post(mapped.url("goal_add"), data, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#interest-map"
    assert response["HX-Reswap"] == "outerHTML"
    text = response.content.decode()
    assert text.lstrip().startswith('<div id="interest-map"')
    assert "Goal “Self-funding by month 12” added." in text
    goal = Goal.objects.get(title="Self-funding by month 12")
    assert goal.target_date == dt.date(2026, 6, 30)


def test_goal_without_a_title_is_refused_next_to_the_title(client, mapped):
    client.force_login(mapped.pilot.manager)
    response = client.post(mapped.url("goal_add"), {"title": ""}, headers=HTMX)
    assert field_errors(response, "title") == "This field is required."
    assert Goal.objects.count() == 3


def test_goal_edit_that_fails_keeps_the_goal(client, mapped):
    client.force_login(mapped.pilot.manager)
    url = mapped.url("goal_edit", goal_pk=mapped.speed.pk)
    response = client.post(url, {"title": "", "target_date": "someday"})
    assert field_errors(response, "target_date") == "Enter a valid date."
    mapped.speed.refresh_from_db()
    assert mapped.speed.title == "Next-day delivery for 95% of parcels"


def test_new_interest_stays_with_the_organisation_by_default(client, mapped):
    client.force_login(mapped.pilot.rep)
    url = mapped.url("interest_add", partner_pk=mapped.pilot.techco.pk)
    text = client.get(url).content.decode()
    assert '<option value="organization" selected>' in text
    client.post(url, {**NEW_INTEREST, "visibility": "organization"})
    interest = Interest.objects.get(statement="Our brand on the results")
    assert interest.visibility == Interest.Visibility.ORGANIZATION
    assert interest.created_by == mapped.pilot.rep
    assert not interest.visibility_changes.exists()


def test_summary_only_interest_without_a_summary_is_refused_next_to_the_summary(client, mapped):
    client.force_login(mapped.pilot.rep)
    url = mapped.url("interest_add", partner_pk=mapped.pilot.techco.pk)
    response = client.post(url, {**NEW_INTEREST, "visibility": "summary"}, headers=HTMX)
    assert field_errors(response, "summary") == "Write the summary other partners will see."
    assert not Interest.objects.filter(statement="Our brand on the results").exists()


def test_interest_created_as_summary_only_records_the_sharing(client, mapped):
    client.force_login(mapped.pilot.rep)
    url = mapped.url("interest_add", partner_pk=mapped.pilot.techco.pk)
    data = {**NEW_INTEREST, "visibility": "summary", "summary": "Visibility for our brand"}
    client.post(url, data)
    change = VisibilityChange.objects.get(interest__statement="Our brand on the results")
    assert (change.from_visibility, change.to_visibility) == ("organization", "summary")
    assert change.by == mapped.pilot.rep


def test_importance_outside_1_to_5_is_refused_next_to_it(client, mapped):
    client.force_login(mapped.pilot.rep)
    url = mapped.url("interest_edit", interest_pk=mapped.techco_shared.pk)
    response = client.post(url, {**NEW_INTEREST, "importance": 9})
    assert "Ensure this value is less than or equal to 5." in field_errors(response, "importance")
    assert Interest.objects.get(pk=mapped.techco_shared.pk).importance == 5


def test_editing_does_not_offer_to_change_visibility(client, mapped):
    client.force_login(mapped.pilot.rep)
    url = mapped.url("interest_edit", interest_pk=mapped.techco_shared.pk)
    assert 'name="visibility"' not in client.get(url).content.decode()
    client.post(url, {**NEW_INTEREST, "visibility": "organization"})
    interest = Interest.objects.get(pk=mapped.techco_shared.pk)
    assert interest.statement == "Our brand on the results"
    assert interest.visibility == Interest.Visibility.ALLIANCE


def test_clearing_the_summary_of_a_summary_only_interest_is_refused(client, mapped):
    client.force_login(mapped.pilot.rep)
    url = mapped.url("interest_edit", interest_pk=mapped.techco_summary.pk)
    data = {**NEW_INTEREST, "summary": ""}
    response = client.post(url, data)
    assert field_errors(response, "summary") == "Write the summary other partners will see."
    assert Interest.objects.get(pk=mapped.techco_summary.pk).summary == TECHCO_SUMMARY


def test_sharing_a_draft_as_a_summary_is_recorded_with_who_and_when(client, mapped):
    client.force_login(mapped.pilot.rep)
    url = mapped.url("interest_share", interest_pk=mapped.techco_draft.pk)
    moment = dt.datetime(2025, 5, 6, 9, 30, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        response = client.post(url, {"visibility": "summary", "summary": "Brand matters to us"})
    assert response.status_code == 302
    interest = Interest.objects.get(pk=mapped.techco_draft.pk)
    assert (interest.visibility, interest.summary) == ("summary", "Brand matters to us")
    change = interest.visibility_changes.get()
    assert (change.from_visibility, change.to_visibility) == ("organization", "summary")
    assert (change.by, change.at) == (mapped.pilot.rep, moment)


def test_the_edit_page_shows_the_owner_the_sharing_history(client, mapped):
    client.force_login(mapped.pilot.rep)
    share = mapped.url("interest_share", interest_pk=mapped.techco_draft.pk)
    client.post(share, {"visibility": "alliance"})
    edit = mapped.url("interest_edit", interest_pk=mapped.techco_draft.pk)
    text = client.get(edit).content.decode()
    assert "Own organisation only → Shared with the alliance" in text
    assert f"by {mapped.pilot.rep.display_name}" in text


def test_sharing_as_a_summary_without_one_changes_nothing(client, mapped):
    client.force_login(mapped.pilot.rep)
    url = mapped.url("interest_share", interest_pk=mapped.techco_draft.pk)
    response = client.post(url, {"visibility": "summary", "summary": ""}, headers=HTMX)
    assert field_errors(response, "summary") == "Write the summary other partners will see."
    interest = Interest.objects.get(pk=mapped.techco_draft.pk)
    assert interest.visibility == Interest.Visibility.ORGANIZATION
    assert not interest.visibility_changes.exists()


def test_sharing_at_the_same_visibility_is_refused_next_to_the_choice(client, mapped):
    client.force_login(mapped.pilot.rep)
    url = mapped.url("interest_share", interest_pk=mapped.techco_shared.pk)
    response = client.post(url, {"visibility": "alliance"})
    assert field_errors(response, "visibility") == "The interest already has this visibility."
    assert not VisibilityChange.objects.exists()


def test_a_link_is_added_then_replaced_for_the_same_goal(client, mapped):
    client.force_login(mapped.pilot.rep)
    url = mapped.url("interest_links", interest_pk=mapped.techco_shared.pk)
    client.post(url, {"goal": mapped.speed.pk, "effect": "supports", "note": "Fast data"})
    client.post(url, {"goal": mapped.speed.pk, "effect": "conflicts", "note": "Too fast"})
    link = InterestLink.objects.get(interest=mapped.techco_shared, goal=mapped.speed)
    assert (link.effect, link.note, link.created_by) == ("conflicts", "Too fast", mapped.pilot.rep)


def test_a_link_needs_a_goal_of_this_alliance(client, mapped, outsider):
    elsewhere = Goal.objects.create(alliance=outsider.alliance_roles.get().alliance, title="X")
    client.force_login(mapped.pilot.rep)
    url = mapped.url("interest_links", interest_pk=mapped.techco_shared.pk)
    response = client.post(url, {"goal": elsewhere.pk, "effect": "supports"})
    assert "Select a valid choice." in field_errors(response, "goal")
    assert not InterestLink.objects.filter(goal=elsewhere).exists()


def test_rep_removes_a_link_and_an_interest(client, mapped):
    client.force_login(mapped.pilot.rep)
    link = mapped.techco_shared.links.get()
    unlink = mapped.url(
        "interest_link_delete", interest_pk=mapped.techco_shared.pk, link_pk=link.pk
    )
    assert client.post(unlink, headers=HTMX)["HX-Retarget"] == "#interest-map"
    assert not mapped.techco_shared.links.exists()
    response = client.post(mapped.url("interest_delete", interest_pk=mapped.techco_shared.pk))
    assert response["Location"] == mapped.url("interest_map")
    assert not Interest.objects.filter(pk=mapped.techco_shared.pk).exists()


def test_delete_urls_refuse_get(client, mapped):
    client.force_login(mapped.pilot.manager)
    assert client.get(mapped.url("goal_delete", goal_pk=mapped.speed.pk)).status_code == 405
    assert Goal.objects.filter(pk=mapped.speed.pk).exists()
