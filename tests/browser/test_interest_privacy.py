"""A partner keeps an implicit interest to itself, then shares it as a summary (real browser).

TechCo's representative writes an implicit interest down as own-organisation-only: LogiCorp's
representative does not see it. Shared as a summary, the coalition manager reads the summary,
never the statement, and the gap analysis no longer lists TechCo as a partner with no implicit
interest surfaced.
"""

import pytest

from alliances.models import Interest, Role
from tests.factories import (
    PASSWORD,
    AllianceFactory,
    GoalFactory,
    InterestFactory,
    MembershipFactory,
    PartnerFactory,
    RoleFactory,
    UserFactory,
)

STATEMENT = "We want to resell the delivery data to insurers"
SUMMARY = "TechCo wants a say in how the delivery data is reused"
NOT_SURFACED = "h3:has-text('no implicit interest surfaced yet') + ul"


@pytest.fixture
def alliance(transactional_db):
    alliance = AllianceFactory.create(name="Last-mile carbon pilot")
    GoalFactory(alliance=alliance, title="Publish the emissions data openly")
    people = {}
    for name, kind in (
        ("TechCo", Role.Kind.PARTNER_REPRESENTATIVE),
        ("LogiCorp", Role.Kind.PARTNER_REPRESENTATIVE),
        ("GreenAlliance", Role.Kind.COALITION_MANAGER),
    ):
        partner = PartnerFactory(alliance=alliance, organization__name=name)
        person = UserFactory(email=f"{kind}@{name.lower()}.example")
        MembershipFactory(person=person, organization=partner.organization)
        partner_of_role = partner if kind == Role.Kind.PARTNER_REPRESENTATIVE else None
        RoleFactory(alliance=alliance, person=person, kind=kind, partner=partner_of_role)
        people[name] = person
    logicorp = alliance.partners.get(organization__name="LogiCorp")
    InterestFactory(partner=logicorp, kind=Interest.Kind.IMPLICIT, statement="Quiet streets")
    return alliance, people


def sign_in(page, person):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My alliances").wait_for()


def open_map(page, alliance):
    page.goto(f"/alliances/{alliance.pk}/interests/")
    page.get_by_role("heading", name="Interest map").wait_for()


def test_an_implicit_interest_kept_then_shared_as_a_summary(page, alliance):
    alliance, people = alliance
    sign_in(page, people["TechCo"])
    open_map(page, alliance)
    page.get_by_role("link", name="Add an interest of TechCo").click()
    page.get_by_label("Kind").select_option("implicit")
    page.get_by_label("Statement").fill(STATEMENT)
    assert page.get_by_label("Visibility").input_value() == "organization"
    page.get_by_role("button", name="Add the interest").click()
    page.get_by_text("Interest of TechCo added.").wait_for()
    assert page.get_by_text(STATEMENT).first.is_visible()

    sign_in(page, people["LogiCorp"])
    open_map(page, alliance)
    assert STATEMENT not in page.content()
    assert "TechCo" in page.locator(NOT_SURFACED).inner_text()

    sign_in(page, people["TechCo"])
    open_map(page, alliance)
    page.get_by_role("link", name="Who sees it").click()
    page.get_by_label("Who may see this interest").select_option("summary")
    page.get_by_label("Summary for other partners").fill(SUMMARY)
    page.get_by_role("button", name="Save who sees it").click()
    page.get_by_text("The interest is now: Summary only.").wait_for()

    sign_in(page, people["GreenAlliance"])
    open_map(page, alliance)
    assert page.get_by_text(SUMMARY).first.is_visible()
    assert STATEMENT not in page.content()
    assert "TechCo" not in page.locator(NOT_SURFACED).inner_text()
    assert "GreenAlliance" in page.locator(NOT_SURFACED).inner_text()
