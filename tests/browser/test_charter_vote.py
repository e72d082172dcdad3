"""A steering member votes on a phone, straight from the ballot link in the email (real browser).

The link leads through sign-in to the ballot; the vote is cast with a tap on a large choice,
shown back as the current vote, and changed before the deadline.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from charters import ballots
from charters.models import Vote
from tests.factories import PASSWORD

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def ballot(transactional_db, pilot):
    return ballots.ballot_open(
        alliance=pilot.alliance,
        by=pilot.manager,
        question="Share delivery data with the city?",
        scope="strategy",
        closes_at=timezone.now() + timedelta(days=2),
    )


def test_a_steering_member_votes_from_the_email_link_on_a_phone(page, live_server, pilot, ballot):
    page.set_viewport_size(PHONE)
    page.goto(f"/alliances/{pilot.alliance.pk}/ballots/{ballot.pk}/")  # the email's link
    page.get_by_label("Email").fill(pilot.steering.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Vote for LogiCorp").wait_for()

    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Cast our vote").click()
    page.get_by_text("Your current vote:").wait_for()
    assert Vote.objects.get().choice == "yes"
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Change our vote").click()
    page.get_by_text("Your organisation's vote is recorded.").wait_for()
    assert Vote.objects.get().choice == "no"
