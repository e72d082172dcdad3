"""What an organisation may not see never reaches it: not through the map page, its htmx partials,
the CSV, the printable page, the portfolio, a count or an error page.

Visibility levels: another organisation's own-organisation-only draft does not exist for the
viewer; its summary-only interest shows the summary, never the statement (nor a link's note);
the owner reads its own interests in full.
"""

import re

import pytest
from django.urls import reverse

from .interest_data import (
    LOGICORP_DRAFT,
    LOGICORP_SECRETS,
    LOGICORP_STATEMENT,
    LOGICORP_SUMMARY,
    TECHCO_DRAFT,
    TECHCO_NOTE,
    TECHCO_SECRETS,
    TECHCO_STATEMENT,
    TECHCO_SUMMARY,
    map_pilot,
)

HTMX = {"HX-Request": "true"}


@pytest.fixture
def mapped(pilot):
    return map_pilot(pilot)


CHANNELS = {
    "map page": lambda client, m: client.get(m.url("interest_map")),
    "map partial": lambda client, m: client.get(m.url("interest_map"), headers=HTMX),
    "printable page": lambda client, m: client.get(m.url("interest_map_print")),
    "csv": lambda client, m: client.get(m.url("interest_map_csv")),
    "portfolio": lambda client, m: client.get(reverse("interest_portfolio")),
}
MAP_CHANNELS = [name for name in CHANNELS if name != "portfolio"]


def without_csrf_token(response):
    """The page as a person reads it: the CSRF token differs on every answer."""
    token = r'(X-CSRFToken": "|csrfmiddlewaretoken" value=")\w+'
    return re.sub(token, "", response.content.decode())


def read(client, mapped, channel, persona):
    client.force_login(getattr(mapped.pilot, persona))
    response = CHANNELS[channel](client, mapped)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("channel", CHANNELS)
def test_manager_of_a_third_organisation_never_reads_drafts_statements_or_notes(
    client, mapped, channel
):
    text = read(client, mapped, channel, "manager")
    for secret in TECHCO_SECRETS + LOGICORP_SECRETS:
        assert secret not in text


@pytest.mark.parametrize("channel", MAP_CHANNELS)
def test_summary_only_interests_show_their_summary_to_other_organisations(client, mapped, channel):
    text = read(client, mapped, channel, "manager")
    assert TECHCO_SUMMARY in text
    assert LOGICORP_SUMMARY in text


def test_portfolio_names_a_red_line_at_risk_by_its_summary(client, mapped):
    text = read(client, mapped, "portfolio", "manager")
    assert TECHCO_SUMMARY in text


@pytest.mark.parametrize("channel", MAP_CHANNELS)
def test_rep_reads_its_own_organisations_interests_in_full_and_others_summaries(
    client, mapped, channel
):
    text = read(client, mapped, channel, "rep")
    assert TECHCO_DRAFT in text
    assert TECHCO_STATEMENT in text
    assert LOGICORP_SUMMARY in text
    for secret in LOGICORP_SECRETS:
        assert secret not in text


@pytest.mark.parametrize("channel", MAP_CHANNELS)
def test_steering_member_reads_its_own_draft_but_not_another_organisations(client, mapped, channel):
    text = read(client, mapped, channel, "steering")
    assert LOGICORP_DRAFT in text
    assert LOGICORP_STATEMENT in text
    for secret in TECHCO_SECRETS:
        assert secret not in text


def test_owner_reads_its_link_notes_on_the_map(client, mapped):
    assert TECHCO_NOTE in read(client, mapped, "map page", "rep")


@pytest.mark.parametrize("channel", ["map page", "map partial", "printable page"])
def test_another_organisations_draft_is_in_no_count(client, mapped, channel):
    text = read(client, mapped, channel, "manager")
    # LogiCorp's red-line draft conflicts with a goal: it would make two red lines at risk.
    assert "Red line at risk (1)" in text
    assert text.count("2 interests") == 2  # TechCo and LogiCorp: shared and summary-only
    assert "Partner with no implicit interest surfaced yet (1)" in text
    assert f"/interests/{mapped.logicorp_draft.pk}/" not in text
    assert f"/interests/{mapped.techco_draft.pk}/" not in text


def test_the_owner_counts_its_own_draft(client, mapped):
    text = read(client, mapped, "map page", "steering")
    assert "3 interests" in text  # LogiCorp's, with its draft
    assert "Red lines at risk (2)" in text


def test_csv_has_one_row_per_interest_the_viewer_may_see(client, mapped):
    manager = read(client, mapped, "csv", "manager").splitlines()
    steering = read(client, mapped, "csv", "steering").splitlines()
    assert len(manager) == 1 + 5
    assert len(steering) == 1 + 6


def test_portfolio_counts_only_what_the_viewer_may_see(client, mapped):
    text = read(client, mapped, "portfolio", "manager")
    assert "<dt>Red lines at risk</dt><dd>1</dd>" in text
    assert "<dt>Conflicts</dt><dd>1</dd>" in text


def test_another_organisations_draft_answers_like_a_missing_interest(client, mapped):
    client.force_login(mapped.pilot.rep)
    for name in ("interest_edit", "interest_share", "interest_links"):
        draft = client.get(mapped.url(name, interest_pk=mapped.logicorp_draft.pk))
        missing = client.get(mapped.url(name, interest_pk=999_999))
        assert draft.status_code == missing.status_code == 404
        assert without_csrf_token(draft) == without_csrf_token(missing)
    for name in ("interest_delete", "interest_edit"):
        draft = client.post(mapped.url(name, interest_pk=mapped.logicorp_draft.pk))
        assert draft.status_code == 404
        assert LOGICORP_DRAFT not in draft.content.decode()


def test_refusing_another_organisations_shared_interest_tells_nothing_of_it(client, mapped):
    client.force_login(mapped.pilot.rep)
    for name in ("interest_edit", "interest_share", "interest_links"):
        response = client.get(mapped.url(name, interest_pk=mapped.logicorp_summary.pk))
        assert response.status_code == 403
        assert LOGICORP_STATEMENT not in response.content.decode()
        assert LOGICORP_SUMMARY not in response.content.decode()


def test_the_map_a_change_sends_back_by_htmx_keeps_other_organisations_secrets(client, mapped):
    client.force_login(mapped.pilot.rep)
    response = client.post(
        mapped.url("interest_links", interest_pk=mapped.techco_shared.pk),
        {"goal": mapped.speed.pk, "effect": "supports"},
        headers=HTMX,
    )
    assert response["HX-Retarget"] == "#interest-map"
    text = response.content.decode()
    assert LOGICORP_SUMMARY in text
    for secret in LOGICORP_SECRETS:
        assert secret not in text


@pytest.mark.parametrize("name", ["interest_edit", "interest_share", "interest_links"])
def test_form_partials_of_the_owner_hold_nothing_of_other_organisations(client, mapped, name):
    client.force_login(mapped.pilot.rep)
    url = mapped.url(name, interest_pk=mapped.techco_summary.pk)
    text = client.get(url, headers=HTMX).content.decode()
    assert "<html" not in text
    for secret in (*LOGICORP_SECRETS, LOGICORP_SUMMARY):
        assert secret not in text


def test_a_form_error_shows_no_other_organisations_interest(client, mapped):
    client.force_login(mapped.pilot.rep)
    response = client.post(
        mapped.url("interest_add", partner_pk=mapped.pilot.techco.pk),
        {"kind": "explicit", "statement": "", "importance": 3, "visibility": "organization"},
        headers=HTMX,
    )
    text = response.content.decode()
    assert "This field is required." in text
    for secret in (*LOGICORP_SECRETS, LOGICORP_SUMMARY):
        assert secret not in text
