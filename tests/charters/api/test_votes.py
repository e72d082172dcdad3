"""POST /api/v1/alliances/{alliance_pk}/ballots/{ballot_pk}/vote/: a partner's vote, cast by its
steering committee member (or its representative if it has none), changeable until closing
with every change kept. Anyone else gets 403; a closed ballot refuses with a 400.
"""

from __future__ import annotations

import pytest

from alliances.models import Role
from charters import ballots, services
from charters.models import Ballot, CharterVersion, Vote, VoteChange
from tests.factories import RoleFactory, UserFactory

from .conftest import close_now, open_ballot


def _vote_url(ballot: Ballot) -> str:
    return f"/api/v1/alliances/{ballot.alliance_id}/ballots/{ballot.pk}/vote/"


def _votes() -> list[tuple[int, str, bool]]:
    return list(Vote.objects.order_by("pk").values_list("partner", "choice", "veto"))


@pytest.mark.parametrize(("persona", "partner"), [("rep", "techco"), ("steering", "logicorp")])
def test_a_delegate_casts_their_partners_vote(api_as, pilot, ballot, persona, partner):
    response = api_as(getattr(pilot, persona)).post(
        _vote_url(ballot), {"choice": "yes"}, format="json"
    )
    assert response.status_code == 200
    mine = response.json()["my_vote"]
    assert (mine["partner"]["id"], mine["choice"]) == (getattr(pilot, partner).pk, "yes")
    assert _votes() == [(getattr(pilot, partner).pk, "yes", False)]


def test_a_vote_changes_until_closing_and_every_change_is_kept(api_as, pilot, ballot):
    client = api_as(pilot.steering)
    for choice in ("yes", "abstain", "no"):
        assert client.post(_vote_url(ballot), {"choice": choice}, format="json").status_code == 200
    assert _votes() == [(pilot.logicorp.pk, "no", False)]
    history = VoteChange.objects.filter(ballot=ballot).values_list("partner", "choice")
    assert list(history) == [(pilot.logicorp.pk, c) for c in ("yes", "abstain", "no")]


def test_the_manager_casts_no_vote(api_as, pilot, ballot):
    response = api_as(pilot.manager).post(_vote_url(ballot), {"choice": "yes"}, format="json")
    assert response.status_code == 403
    assert _votes() == []


def test_a_representative_does_not_vote_where_a_steering_member_does(api_as, pilot, ballot):
    second = UserFactory.create()
    RoleFactory.create(
        alliance=pilot.alliance,
        person=second,
        kind=Role.Kind.PARTNER_REPRESENTATIVE,
        partner=pilot.logicorp,
    )
    response = api_as(second).post(_vote_url(ballot), {"choice": "yes"}, format="json")
    assert response.status_code == 403
    assert _votes() == []


def test_a_closed_ballot_refuses_votes(api_as, pilot, ballot):
    close_now(ballot)
    response = api_as(pilot.rep).post(_vote_url(ballot), {"choice": "yes"}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"][0].startswith("The ballot is closed")
    assert _votes() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"choice": "maybe"}, "choice"),
        ({"choice": ""}, "choice"),
        ({}, "choice"),
        ({"choice": ["yes"]}, "choice"),
        ({"choice": {"yes": 1}}, "choice"),
        ({"choice": "yes", "veto": "perhaps"}, "veto"),
        ({"choice": "no", "veto": True}, "veto"),  # TechCo holds no veto
    ],
)
def test_an_invalid_vote_gets_a_400_on_its_field_and_counts_nothing(
    api_as, pilot, ballot, body, field
):
    response = api_as(pilot.rep).post(_vote_url(ballot), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert _votes() == []
    assert not VoteChange.objects.exists()


def test_a_veto_holder_stops_the_decision(api_as, pilot, adopted, green_steering):
    strategy = open_ballot(pilot, scope="strategy", question="Enter the Dutch market?")
    ballots.vote_cast(ballot=strategy, by=pilot.rep, choice="yes")
    response = api_as(green_steering).post(
        _vote_url(strategy), {"choice": "no", "veto": True}, format="json"
    )
    assert response.status_code == 200
    close_now(strategy)
    assert (strategy.outcome, strategy.explanation) == ("vetoed", "Vetoed by GreenAlliance.")


def test_every_partners_yes_adopts_the_first_charter(api_as, pilot, green_steering):
    draft = services.version_draft(alliance=pilot.alliance, by=pilot.manager)
    propose = f"/api/v1/alliances/{pilot.alliance.pk}/charter/versions/{draft.pk}/propose/"
    ballot_id = api_as(pilot.manager).post(propose, {}, format="json").json()["id"]
    ballot = Ballot.objects.get(pk=ballot_id)
    for person in (pilot.rep, pilot.steering, green_steering):
        response = api_as(person).post(_vote_url(ballot), {"choice": "yes"}, format="json")
        assert response.status_code == 200
    # Everyone has voted: the ballot closes without waiting for its deadline.
    data = response.json()
    assert (data["status"], data["outcome"]) == ("closed", "passed")
    draft.refresh_from_db()
    assert draft.status == CharterVersion.Status.ADOPTED
    charter = api_as(pilot.rep).get(f"/api/v1/alliances/{pilot.alliance.pk}/charter/").json()
    assert (charter["in_force"]["id"], charter["open_draft"]) == (draft.pk, None)


def test_one_no_rejects_the_first_charter(api_as, pilot, green_steering):
    draft = services.version_draft(alliance=pilot.alliance, by=pilot.manager)
    ballot = services.version_propose(version=draft, by=pilot.manager)
    for person, choice in ((pilot.rep, "yes"), (pilot.steering, "no"), (green_steering, "yes")):
        api_as(person).post(_vote_url(ballot), {"choice": choice}, format="json")
    draft.refresh_from_db()
    assert draft.status == CharterVersion.Status.REJECTED
