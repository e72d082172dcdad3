"""The ballot pages: who votes and how the votes count, the vote form for delegates,
the outcome once closed, and secrecy kept on every page."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alliances import timers
from charters import ballots, services
from charters.models import Ballot, CharterVersion, Vote, VoteChange
from charters.tally import Outcome

from .conftest import adopt, draft, motion, pilot_rules


def _detail(ballot):
    return reverse(
        "ballot_detail", kwargs={"alliance_pk": ballot.alliance_id, "ballot_pk": ballot.pk}
    )


def _vote(ballot):
    return reverse(
        "ballot_vote", kwargs={"alliance_pk": ballot.alliance_id, "ballot_pk": ballot.pk}
    )


@pytest.fixture
def proposal(pilot):
    version = draft(pilot)
    return services.version_propose(version=version, by=pilot.manager)


def test_a_delegate_sees_the_vote_form_with_the_question_and_deadline(client, pilot, proposal):
    client.force_login(pilot.steering)
    page = client.get(_detail(proposal)).content.decode()
    assert "Adopt version 1 of the charter?" in page
    assert "Vote for LogiCorp" in page
    assert 'type="radio" name="choice" value="yes"' in page
    assert 'name="veto"' not in page  # LogiCorp holds no veto
    assert "Unanimity (every partner says yes)" in page
    assert "left)" in page


def test_the_deadline_is_shown_in_the_viewers_time_zone(client, pilot, proposal):
    pilot.steering.time_zone = "Asia/Tokyo"
    pilot.steering.save()
    client.force_login(pilot.steering)
    page = client.get(_detail(proposal)).content.decode()
    local = timezone.localtime(proposal.closes_at, timezone=ZoneInfo("Asia/Tokyo"))
    assert f'datetime="{local:%Y-%m-%dT%H:%M}' in page
    assert "+09:00" in page


def test_people_who_cast_no_vote_see_no_form_and_get_403_when_posting(client, pilot, proposal):
    client.force_login(pilot.manager)
    page = client.get(_detail(proposal)).content.decode()
    assert 'name="choice"' not in page
    assert client.post(_vote(proposal), {"choice": "yes"}).status_code == 403
    assert not Vote.objects.exists()


def test_outsider_gets_404_for_the_ballot_and_its_vote(client, pilot, proposal, outsider):
    client.force_login(outsider)
    assert client.get(_detail(proposal)).status_code == 404
    assert client.post(_vote(proposal), {"choice": "yes"}).status_code == 404


def test_a_delegate_votes_and_changes_the_vote_until_closing(client, pilot, proposal):
    client.force_login(pilot.rep)  # TechCo has no steering member: its representative votes
    response = client.post(_vote(proposal), {"choice": "no"})
    assert response.status_code == 302
    client.post(_vote(proposal), {"choice": "yes"})
    page = client.get(_detail(proposal)).content.decode()
    assert "Your current vote:" in page
    assert "Change our vote" in page
    assert Vote.objects.get().choice == "yes"
    assert VoteChange.objects.count() == 2


def test_an_open_ballot_shows_who_voted_but_not_how(client, pilot, proposal):
    ballots.vote_cast(ballot=proposal, by=pilot.rep, choice="no")
    client.force_login(pilot.manager)
    page = client.get(_detail(proposal)).content.decode()
    assert "1 of 3 partners have voted" in page
    assert "voted" in page
    assert "Outcome" not in page
    assert 'data-label="Vote"' not in page


def test_all_yes_adopts_the_version_and_supersedes_the_old_one_in_the_diff(
    client, pilot, adopted, delegates
):
    client.force_login(pilot.manager)
    client.post(reverse("charter_version_start", kwargs={"alliance_pk": pilot.alliance.pk}))
    v2 = CharterVersion.objects.get(number=2)
    client.post(
        reverse(
            "charter_version_propose",
            kwargs={"alliance_pk": pilot.alliance.pk, "version_pk": v2.pk},
        )
    )
    ballot = Ballot.objects.get(proposal=v2)
    for person in delegates:
        client.force_login(person)
        client.post(_vote(ballot), {"choice": "yes"})

    ballot.refresh_from_db()
    assert (ballot.status, ballot.outcome) == (Ballot.Status.CLOSED, Outcome.PASSED)
    page = client.get(_detail(ballot)).content.decode()
    assert "Passed" in page
    assert ballot.explanation in page
    assert 'data-label="Vote"' in page  # an open ballot, closed: each partner's vote
    diff = client.get(
        reverse("charter_diff", kwargs={"alliance_pk": pilot.alliance.pk})
    ).content.decode()
    assert "Version 1 · Superseded" in diff
    assert "Version 2 · Adopted" in diff


def test_a_closed_ballot_refuses_votes(client, pilot, proposal):
    with time_machine.travel(proposal.closes_at + timedelta(minutes=1)):
        timers.sweep(timers.get("ballot-closing"), timezone.now())
        client.force_login(pilot.steering)
        page = client.get(_detail(proposal)).content.decode()
        assert 'name="choice"' not in page
        response = client.post(_vote(proposal), {"choice": "yes"})
    assert response.status_code == 400
    assert "votes are no longer accepted" in response.content.decode()
    assert not Vote.objects.exists()
    proposal.refresh_from_db()
    assert proposal.outcome == Outcome.NO_QUORUM


def test_a_veto_holder_gets_the_veto_checkbox(client, pilot, delegates):
    rules = pilot_rules(pilot)
    rules.scopes["strategy"].veto_holders = [pilot.greenalliance.pk]
    adopt(pilot, delegates, draft(pilot, rules=rules))
    ballot = motion(pilot)
    client.force_login(delegates[2])
    assert 'name="veto"' in client.get(_detail(ballot)).content.decode()
    client.post(_vote(ballot), {"choice": "no", "veto": "on"})
    assert Vote.objects.get(ballot=ballot).veto


def test_a_secret_ballot_never_reveals_how_anyone_voted(client, pilot, delegates):
    ballot = motion(pilot, secret=True)
    ballots.vote_cast(ballot=ballot, by=pilot.rep, choice="no")
    pages = lambda: [  # noqa: E731
        client.get(url).content.decode()
        for url in (
            _detail(ballot),
            reverse("ballot_list", kwargs={"alliance_pk": pilot.alliance.pk}),
        )
    ]
    client.force_login(pilot.manager)
    for page in pages():
        assert 'data-label="Vote"' not in page
        assert "Your current vote" not in page
    for person in delegates[1:]:
        ballots.vote_cast(ballot=ballot, by=person, choice="yes")
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.CLOSED
    for person in (pilot.manager, pilot.steering):
        client.force_login(person)
        for page in pages():
            assert 'data-label="Vote"' not in page
            assert "Your current vote" not in page
            assert "— veto" not in page
    page = client.get(_detail(ballot)).content.decode()
    assert "Turnout" in page
    assert (
        "of the voting weight" not in page.split("How the votes count")[0]
    )  # no shares per option


def test_manager_opens_a_motion_in_their_time_zone(client, pilot):
    pilot.manager.time_zone = "America/New_York"
    pilot.manager.save()
    client.force_login(pilot.manager)
    url = reverse("ballot_create", kwargs={"alliance_pk": pilot.alliance.pk})
    closes = (timezone.now() + timedelta(days=5)).astimezone(ZoneInfo("America/New_York"))
    response = client.post(
        url,
        {
            "question": "Extend to a second city?",
            "scope": "strategy",
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
            "custom_options": "Lyon\nTurin\n",
            "secret": "on",
        },
    )
    ballot = Ballot.objects.get()
    assert response.url == _detail(ballot)
    assert ballot.options == ["Lyon", "Turin"]
    assert ballot.secret
    assert abs(ballot.closes_at - closes) < timedelta(minutes=1)


def test_a_motion_needs_time_to_vote(client, pilot):
    client.force_login(pilot.manager)
    url = reverse("ballot_create", kwargs={"alliance_pk": pilot.alliance.pk})
    soon = timezone.localtime(timezone.now() + timedelta(minutes=1))
    response = client.post(
        url, {"question": "Now?", "scope": "strategy", "closes_at": soon.strftime("%Y-%m-%dT%H:%M")}
    )
    assert "at least a few minutes" in response.content.decode()
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("persona", ["rep", "steering"])
def test_non_managers_get_403_on_the_motion_form(client, pilot, persona):
    client.force_login(getattr(pilot, persona))
    assert (
        client.get(reverse("ballot_create", kwargs={"alliance_pk": pilot.alliance.pk})).status_code
        == 403
    )


@pytest.mark.parametrize("count", [3, 30])
def test_ballot_list_and_detail_queries_do_not_grow(
    client, pilot, delegates, count, django_assert_num_queries
):
    for _ in range(count):
        ballot = motion(pilot)
        ballots.vote_cast(ballot=ballot, by=pilot.rep, choice="yes")
    client.force_login(pilot.steering)
    with django_assert_num_queries(6):
        client.get(reverse("ballot_list", kwargs={"alliance_pk": pilot.alliance.pk}))
    with django_assert_num_queries(9):
        client.get(_detail(ballot))


def test_the_list_shows_open_ballots_first_then_the_latest_closed(client, pilot, delegates):
    first = motion(pilot, question="Older decision")
    second = motion(pilot, question="Newer decision")
    for ballot in (first, second):
        for person in delegates:
            ballots.vote_cast(ballot=ballot, by=person, choice="yes")
    motion(pilot, question="Still open")
    client.force_login(pilot.rep)
    page = client.get(
        reverse("ballot_list", kwargs={"alliance_pk": pilot.alliance.pk})
    ).content.decode()
    assert page.index("Still open") < page.index("Newer decision") < page.index("Older decision")
