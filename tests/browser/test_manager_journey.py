"""The demo manager signs in, creates an alliance, adds a partner and finds it on the dashboard."""

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_manager_creates_an_alliance_and_adds_a_partner(page, demo):
    page.goto("/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Email").fill("manager@greenalliance.example")
    page.get_by_label("Password").fill("alliance-demo")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My alliances").wait_for()
    assert page.get_by_text("Last-mile carbon tracking pilot").first.is_visible()

    page.goto("/alliances/new/")
    page.get_by_label("Name").fill("Cold-chain data pool")
    page.get_by_label("Purpose").fill("Share temperature logs to cut spoilage.")
    page.get_by_label("Form").select_option("partner_ecosystem")
    page.get_by_role("button", name="Create the alliance").click()
    page.get_by_role("heading", name="Cold-chain data pool").wait_for()

    page.get_by_role("link", name="Add a partner").click()
    page.get_by_label("Name").fill("FrostFreight")
    page.get_by_label("Country").select_option("PT")
    page.get_by_label("Kind").select_option("company")
    page.get_by_label("Resource share (%)").fill("30")
    page.get_by_role("button", name="Add the partner").click()
    page.get_by_text("FrostFreight joined the alliance.").wait_for()

    page.goto("/")
    card = page.locator("li.card").filter(has_text="Cold-chain data pool")
    assert "FrostFreight" in card.inner_text()
    assert "Coalition manager" in card.inner_text()
