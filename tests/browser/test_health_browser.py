"""The demo manager finds the alliance whose strategy is at risk, sees why on its health page
and follows the action that addresses it (real browser).

The facts are built here: the pilot's only shared interest is a red line that its one goal
works against, and the realignment review is two months overdue.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alliances.models import Interest, InterestLink, Review
from tests.factories import PASSWORD, GoalFactory, InterestFactory, InterestLinkFactory


@pytest.fixture
def strategy_at_risk(transactional_db, pilot):
    goal = GoalFactory.create(alliance=pilot.alliance, title="Sell the tracking data")
    interest = InterestFactory.create(
        partner=pilot.logicorp,
        statement="Our delivery data stays ours",
        is_red_line=True,
        visibility=Interest.Visibility.ALLIANCE,
    )
    InterestLinkFactory.create(interest=interest, goal=goal, effect=InterestLink.Effect.CONFLICTS)
    Review.objects.create(alliance=pilot.alliance, due_at=timezone.now() - timedelta(days=60))
    return pilot


def test_the_manager_goes_from_the_portfolio_to_the_action_for_an_at_risk_layer(
    page, strategy_at_risk
):
    pilot = strategy_at_risk
    page.goto(reverse("portfolio"))
    page.get_by_label("Email").fill(pilot.manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your portfolio").wait_for()

    page.get_by_role("link", name=pilot.alliance.name, exact=True).first.click()
    page.get_by_role("heading", name=pilot.alliance.name, exact=True).wait_for()
    summary = page.locator("section[aria-labelledby=health]")
    strategic = summary.get_by_role("link").filter(has_text="Strategic")
    assert "At risk" in strategic.inner_text()

    strategic.click()
    page.wait_for_url(f"**/alliances/{pilot.alliance.pk}/health/#strategic")
    layer = page.locator("section#strategic")
    assert layer.is_visible()
    assert "At risk" in layer.locator(".health-state").inner_text()
    assert "1 red line is at risk" in layer.inner_text()

    layer.locator(".signal__move").get_by_role("link", name="Map interests").first.click()
    page.wait_for_url(f"**/alliances/{pilot.alliance.pk}/interests/**")
    assert "Our delivery data stays ours" in page.content()
