"""Editing a draft: its text and structured rules, with clear errors that save nothing."""

import pytest
from django.urls import reverse

from charters.models import CharterVersion
from charters.rules import Mode, Scope, Weighting
from tests.pages.helpers import field_errors, non_field_errors

from .conftest import draft


def _url(pilot, version):
    return reverse(
        "charter_version_edit", kwargs={"alliance_pk": pilot.alliance.pk, "version_pk": version.pk}
    )


def _post(pilot, **changes):
    """A complete, coherent submission of the form; changes override single fields."""
    data: dict[str, object] = {
        "summary": "Budget by majority",
        "prose": "# Charter\n\nRevised.",
        "weighting": Weighting.RESOURCE_SHARE,
        "quorum": "60",
        "force_majeure": "Sanctions suspend obligations.",
        "review_cadence_months": "6",
        "ladder-TOTAL_FORMS": "5",
        "ladder-INITIAL_FORMS": "0",
        "ladder-MIN_NUM_FORMS": "5",
        "ladder-MAX_NUM_FORMS": "5",
        "ladder-0-name": "Working group",
        "ladder-0-days": "7",
        "ladder-1-name": "Steering committee",
        "ladder-1-days": "10",
        "ladder-2-name": "Executive sponsors",
    }
    for scope in Scope:
        data[f"{scope}_mode"] = Mode.CONSENSUS
    data[f"{Scope.STRATEGY}_veto"] = [str(pilot.greenalliance.pk)]
    for partner in (pilot.techco, pilot.logicorp, pilot.greenalliance):
        data[f"weight_{partner.pk}"] = ""
    return data | changes


def test_manager_sees_the_form_filled_from_the_draft(client, pilot):
    version = draft(pilot)
    client.force_login(pilot.manager)
    page = client.get(_url(pilot, version)).content.decode()
    assert 'value="First charter"' in page
    assert 'value="Working group"' in page
    assert 'value="50"' in page  # the quorum as a percentage


def test_manager_saves_prose_and_rules(client, pilot):
    version = draft(pilot)
    client.force_login(pilot.manager)
    response = client.post(_url(pilot, version), _post(pilot))
    assert response.status_code == 302
    version.refresh_from_db()
    rules = version.rules
    assert version.summary == "Budget by majority"
    assert rules.rule_for(Scope.STRATEGY).veto_holders == [pilot.greenalliance.pk]
    assert str(rules.quorum) == "0.6"
    assert [(level.name, level.days) for level in rules.ladder] == [
        ("Working group", 7),
        ("Steering committee", 10),
        ("Executive sponsors", None),
    ]
    assert rules.review_cadence_months == 6


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quorum": "0"}, "above 0% and at most 100%"),
        ({"quorum": "150"}, "above 0% and at most 100%"),
        ({"ladder-0-days": ""}, "Only the top escalation level may have no time limit."),
        ({"ladder-1-name": ""}, "Every escalation level needs a name."),
    ],
)
def test_incoherent_rules_are_listed_and_nothing_is_saved(client, pilot, change, message):
    version = draft(pilot)
    before = version.rules_json
    client.force_login(pilot.manager)
    response = client.post(_url(pilot, version), _post(pilot, **change))
    assert response.status_code == 200
    assert message in non_field_errors(response)
    version.refresh_from_db()
    assert (version.rules_json, version.summary) == (before, "First charter")


def test_custom_weights_must_be_positive(client, pilot):
    version = draft(pilot)
    client.force_login(pilot.manager)
    weights = {f"weight_{p.pk}": "1" for p in (pilot.techco, pilot.logicorp)}
    data = _post(
        pilot, weighting=Weighting.CUSTOM, **weights, **{f"weight_{pilot.greenalliance.pk}": "-2"}
    )
    response = client.post(_url(pilot, version), data)
    assert "Voting weights must be positive." in non_field_errors(response)
    version.refresh_from_db()
    assert version.rules.weighting == Weighting.RESOURCE_SHARE


def test_custom_weights_need_one_per_partner_next_to_its_field(client, pilot):
    version = draft(pilot)
    client.force_login(pilot.manager)
    data = _post(pilot, weighting=Weighting.CUSTOM, **{f"weight_{pilot.techco.pk}": "2"})
    response = client.post(_url(pilot, version), data)
    assert "Give LogiCorp a weight." in field_errors(response, f"weight_{pilot.logicorp.pk}")
    assert field_errors(response, f"weight_{pilot.techco.pk}") == ""


def test_a_lead_partner_must_be_chosen_among_the_partners(client, pilot, outsider):
    version = draft(pilot)
    client.force_login(pilot.manager)
    execution = {f"{Scope.EXECUTION}_mode": Mode.LEAD_PARTNER}
    response = client.post(_url(pilot, version), _post(pilot, **execution))
    assert "Execution: choose the partner that decides." in field_errors(
        response, f"{Scope.EXECUTION}_lead"
    )
    stranger = outsider.alliance_roles.get().alliance.partners.get()
    response = client.post(
        _url(pilot, version),
        _post(pilot, **execution, **{f"{Scope.EXECUTION}_lead": str(stranger.pk)}),
    )
    assert "Select a valid choice" in field_errors(response, f"{Scope.EXECUTION}_lead")
    version.refresh_from_db()
    assert version.rules.rule_for(Scope.EXECUTION).mode == Mode.SIMPLE_MAJORITY


def test_a_lead_partner_is_saved_for_its_scope(client, pilot):
    version = draft(pilot)
    client.force_login(pilot.manager)
    execution = {
        f"{Scope.EXECUTION}_mode": Mode.LEAD_PARTNER,
        f"{Scope.EXECUTION}_lead": str(pilot.techco.pk),
    }
    client.post(_url(pilot, version), _post(pilot, **execution))
    version.refresh_from_db()
    assert version.rules.rule_for(Scope.EXECUTION).lead_partner == pilot.techco.pk


@pytest.mark.parametrize("persona", ["rep", "steering"])
def test_non_managers_get_403_on_the_edit_page(client, pilot, persona):
    version = draft(pilot)
    client.force_login(getattr(pilot, persona))
    assert client.get(_url(pilot, version)).status_code == 403
    assert client.post(_url(pilot, version), _post(pilot)).status_code == 403


def test_outsider_gets_404_on_the_edit_page(client, pilot, outsider):
    version = draft(pilot)
    client.force_login(outsider)
    assert client.get(_url(pilot, version)).status_code == 404


def test_a_proposed_version_cannot_be_edited(client, pilot, adopted):
    client.force_login(pilot.manager)
    response = client.post(_url(pilot, adopted), _post(pilot), follow=True)
    assert "Only a draft can change" in response.content.decode()
    adopted.refresh_from_db()
    assert adopted.summary == "First charter"
    assert adopted.status == CharterVersion.Status.ADOPTED
