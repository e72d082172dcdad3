"""/api/v1/alliances/{alliance_pk}/ballots/: the alliance's ballots, free motions (coalition
managers), and one ballot as each member may see it.

Who voted shows at once; how each partner voted only once the ballot is closed, and never on a
secret ballot. The totals wait for the close too.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from charters import ballots
from charters.models import Ballot, Elector
from tests.factories import PartnerFactory

from .conftest import close_now, open_ballot


def _list(pilot) -> str:
    return f"/api/v1/alliances/{pilot.alliance.pk}/ballots/"


def _detail(ballot: Ballot) -> str:
    return f"/api/v1/alliances/{ballot.alliance_id}/ballots/{ballot.pk}/"


def _motion(**changes) -> dict:
    closes_at = (timezone.now() + timedelta(days=2)).isoformat()
    return {"question": "Fund a shared depot?", "scope": "budget", "closes_at": closes_at} | changes


# Listing


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_every_member_lists_the_ballots_latest_first_with_turnout(api_as, pilot, persona):
    first = open_ballot(pilot, question="First?")
    ballots.vote_cast(ballot=first, by=pilot.rep, choice="yes")
    open_ballot(pilot, question="Second?")
    response = api_as(getattr(pilot, persona)).get(_list(pilot))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["question"], r["elector_count"], r["vote_count"]) for r in rows] == [
        ("Second?", 3, 0),
        ("First?", 3, 1),
    ]


def test_ballots_filter_by_status(api_as, pilot):
    close_now(open_ballot(pilot, question="Closed?"))
    open_ballot(pilot, question="Open?")
    client = api_as(pilot.rep)
    closed = client.get(_list(pilot) + "?status=closed").json()["results"]
    assert [r["question"] for r in closed] == ["Closed?"]
    assert client.get(_list(pilot) + "?status=sideways").status_code == 400


# Motions


def test_manager_puts_a_motion_to_the_vote(api_as, pilot):
    body = _motion(options=["north", "south"], secret=True, description="Which site?")
    response = api_as(pilot.manager).post(_list(pilot), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["subject"], data["options"], data["secret"], data["status"]) == (
        "motion",
        ["north", "south"],
        True,
        "open",
    )
    # No charter in force: the founding rules, unanimity.
    assert (data["mode"], data["decided_under"]) == ("unanimity", None)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"closes_at": "2001-01-01T00:00:00Z"}, "closes_at"),
        ({"scope": "lunch"}, "scope"),
        ({"options": ["yes", "yes"]}, "options"),
        ({"question": ""}, "question"),
        ({"secret": "maybe"}, "secret"),
    ],
)
def test_an_invalid_motion_gets_a_400_on_its_field_and_opens_nothing(api_as, pilot, changes, field):
    response = api_as(pilot.manager).post(_list(pilot), _motion(**changes), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Ballot.objects.exists()


# One ballot


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_an_open_ballot_shows_who_voted_but_neither_how_nor_the_totals(
    api_as, pilot, ballot, persona
):
    ballots.vote_cast(ballot=ballot, by=pilot.steering, choice="no")
    response = api_as(getattr(pilot, persona)).get(_detail(ballot))
    assert response.status_code == 200
    data = response.json()
    assert (data["question"], data["scope"], data["mode"], data["quorum"]) == (
        "Add a fourth partner?",
        "membership",
        "unanimity",
        "0.5000",
    )
    voted = {e["partner"]["organization"]: e["has_voted"] for e in data["electors"]}
    assert voted == {"GreenAlliance": False, "LogiCorp": True, "TechCo": False}
    assert (data["votes"], data["totals"], data["outcome"]) == (None, None, "")


def test_the_caller_sees_their_own_partners_vote(api_as, pilot, ballot):
    ballots.vote_cast(ballot=ballot, by=pilot.steering, choice="no")
    mine = api_as(pilot.steering).get(_detail(ballot)).json()["my_vote"]
    assert (mine["partner"]["organization"], mine["choice"], mine["veto"]) == (
        "LogiCorp",
        "no",
        False,
    )
    assert api_as(pilot.rep).get(_detail(ballot)).json()["my_vote"] is None
    assert api_as(pilot.manager).get(_detail(ballot)).json()["my_vote"] is None


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_a_closed_ballot_shows_each_vote_the_totals_and_the_outcome_explained(
    api_as, pilot, ballot, persona
):
    ballots.vote_cast(ballot=ballot, by=pilot.rep, choice="yes")
    ballots.vote_cast(ballot=ballot, by=pilot.steering, choice="no")
    close_now(ballot)
    data = api_as(getattr(pilot, persona)).get(_detail(ballot)).json()
    assert data["status"] == "closed"
    assert {v["partner"]["organization"]: v["choice"] for v in data["votes"]} == {
        "TechCo": "yes",
        "LogiCorp": "no",
    }
    assert data["totals"]["support"] == {"yes": "1.0000", "no": "1.0000"}
    assert data["totals"]["turnout"] == "2.0000"
    assert data["outcome"] == "failed"
    assert "Unanimity" in data["explanation"]


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_a_secret_ballot_never_shows_how_another_partner_voted(api_as, pilot, persona):
    secret = open_ballot(pilot, secret=True)
    ballots.vote_cast(ballot=secret, by=pilot.rep, choice="yes")
    ballots.vote_cast(ballot=secret, by=pilot.steering, choice="no")
    client = api_as(getattr(pilot, persona))
    for moment in ("open", "closed"):
        if moment == "closed":
            close_now(secret)
        data = client.get(_detail(secret)).json()
        assert data["votes"] is None, moment
        assert all(
            set(e) == {"partner", "weight", "can_veto", "has_voted"} for e in data["electors"]
        )
        assert sum(e["has_voted"] for e in data["electors"]) == 2
        # Only the caller's own partner's vote, which its delegates cast.
        own = {"rep": pilot.techco.pk, "steering": pilot.logicorp.pk}.get(persona)
        assert (data["my_vote"] or {}).get("partner", {}).get("id") == own
        listed = client.get(_list(pilot)).json()["results"][0]
        assert not {"votes", "my_vote"} & listed.keys()


def test_a_ballot_of_another_alliance_is_404(api_as, pilot, outsider):
    other = outsider.alliance_roles.get().alliance
    PartnerFactory.create(alliance=other)
    foreign = ballots.ballot_open(
        alliance=other,
        by=outsider,
        question="Theirs?",
        scope="budget",
        closes_at=timezone.now() + timedelta(days=1),
    )
    url = f"{_list(pilot)}{foreign.pk}/"
    assert api_as(pilot.manager).get(url).status_code == 404
    assert api_as(pilot.steering).post(url + "vote/", {"choice": "yes"}).status_code == 404


# Query counts


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_ballot_list_costs_the_same_for_3_and_30_ballots(
    api_as, pilot, django_assert_max_num_queries
):
    client = api_as(pilot.steering)
    template = open_ballot(pilot)
    for _ in range(2):
        open_ballot(pilot)
    few = _queries(client, _list(pilot))
    for _ in range(27):
        template.pk = None
        template.save()
    with django_assert_max_num_queries(few):
        assert client.get(_list(pilot)).json()["count"] == 30
    assert few <= 6


@pytest.mark.parametrize("persona", ["manager", "steering"])
def test_a_ballot_costs_the_same_for_3_and_30_electors(
    api_as, pilot, ballot, persona, django_assert_max_num_queries
):
    client = api_as(getattr(pilot, persona))
    ballots.vote_cast(ballot=ballot, by=pilot.steering, choice="yes")
    few = _queries(client, _detail(ballot))
    partners = [PartnerFactory.create(alliance=pilot.alliance) for _ in range(27)]
    Elector.objects.bulk_create(Elector(ballot=ballot, partner=p) for p in partners)
    with django_assert_max_num_queries(few):
        assert len(client.get(_detail(ballot)).json()["electors"]) == 30
    assert few <= 10
