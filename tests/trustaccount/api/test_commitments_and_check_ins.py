"""Commitments and check-ins in API v1."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from alliances.models import OrganizationMembership
from tests.factories import UserFactory
from trustaccount import checkins
from trustaccount.models import Commitment, TrustEntry

from .conftest import base, state

# Commitments


def test_a_representative_promises_for_their_own_partner(api_as, pilot):
    body = {"owner": pilot.techco.pk, "beneficiary": pilot.logicorp.pk,
            "description": "Send the API keys", "due_on": str(timezone.localdate())}  # fmt: skip
    response = api_as(pilot.rep).post(base(pilot) + "commitments/", body, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "open"
    assert response.json()["owner"]["organization"] == "TechCo"


@pytest.mark.parametrize(
    "changes",
    [{"due_on": "2000-01-01"}, {"beneficiary": "owner"}, {"description": ""},
     {"description": "x" * 301}, {"due_on": "soon"}, {"owner": 10**30}],
    ids=repr,
)  # fmt: skip
def test_bad_commitments_get_400_and_nothing_changes(api_as, pilot, changes):
    if changes.get("beneficiary") == "owner":
        changes = {"beneficiary": pilot.techco.pk}
    body = {"owner": pilot.techco.pk, "beneficiary": pilot.logicorp.pk,
            "description": "Send the API keys", "due_on": "2100-01-01"} | changes  # fmt: skip
    before = state()
    response = api_as(pilot.manager).post(base(pilot) + "commitments/", body, format="json")
    assert response.status_code == 400, response.content
    assert state() == before


def test_the_beneficiary_marks_it_delivered_on_time_for_a_full_deposit(api_as, pilot, commitment):
    url = f"{base(pilot)}commitments/{commitment.pk}/delivered/"
    client = api_as(pilot.steering)

    response = client.post(url)
    again = client.post(url)

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["commitment"]["status"] == "delivered"
    assert (data["entry"]["points"], data["entry"]["category"]) == (2, "commitment_delivered")
    assert data["entry"]["needs_confirmation"] is False
    assert again.status_code == 400
    assert TrustEntry.objects.count() == 1


def test_a_late_delivery_earns_less(api_as, pilot, commitment):
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = api_as(pilot.steering).post(
            f"{base(pilot)}commitments/{commitment.pk}/delivered/"
        )
    assert response.json()["commitment"]["status"] == "delivered_late"
    assert response.json()["entry"]["points"] == 1


def test_the_commitment_list_filters_by_status(api_as, pilot, commitment):
    client = api_as(pilot.rep)
    assert client.get(base(pilot) + "commitments/?status=open").json()["count"] == 1
    assert client.get(base(pilot) + "commitments/?status=lapsed").json()["count"] == 0
    assert client.get(base(pilot) + "commitments/?status=maybe").status_code == 400


def test_the_commitment_list_takes_few_queries(api_as, pilot, commitment,
                                               django_assert_num_queries):  # fmt: skip
    Commitment.objects.bulk_create(
        Commitment(alliance=pilot.alliance, owner=pilot.logicorp, beneficiary=pilot.techco,
                   description=f"Promise {n}", due_on=timezone.localdate())
        for n in range(30)
    )  # fmt: skip
    with django_assert_num_queries(3):  # the alliance, the count, the page
        assert api_as(pilot.rep).get(base(pilot) + "commitments/").status_code == 200


# Check-ins


def test_a_manager_opens_a_round_and_only_one_at_a_time(api_as, pilot):
    client = api_as(pilot.manager)
    first = client.post(base(pilot) + "check-ins/", {"anonymous": False}, format="json")
    second = client.post(base(pilot) + "check-ins/", {}, format="json")

    assert first.status_code == 201, first.content
    assert (first.json()["anonymous"], first.json()["answer_count"]) == (False, 0)
    assert second.status_code == 400


@pytest.mark.parametrize("body", [{"closes_on": "2000-01-01"}, {"anonymous": "perhaps"},
                                  {"closes_on": "next week"}])  # fmt: skip
def test_bad_rounds_get_400(api_as, pilot, body):
    before = state()
    response = api_as(pilot.manager).post(base(pilot) + "check-ins/", body, format="json")
    assert response.status_code == 400
    assert state() == before


RATINGS = {"openness": 4, "reliability": 3, "fairness": 5, "communication": 2}


def _answer(api_as, pilot, person, check_in, **ratings):
    url = f"{base(pilot)}check-ins/{check_in.pk}/answer/"
    return api_as(person).post(url, RATINGS | ratings, format="json")


def test_people_answer_for_their_organisation_and_may_change_their_answer(api_as, pilot, check_in):
    first = _answer(api_as, pilot, pilot.rep, check_in, one_thing="Meet monthly")
    changed = _answer(api_as, pilot, pilot.rep, check_in, openness=1)

    assert first.status_code == 200, first.content
    assert first.json()["partner"]["organization"] == "TechCo"
    assert changed.json()["openness"] == 1
    assert check_in.answers.count() == 1


@pytest.mark.parametrize("changes", [{"openness": 0}, {"fairness": 6}, {"reliability": "good"},
                                     {"communication": None}, {"one_thing": ["a"]}])  # fmt: skip
def test_ratings_out_of_range_get_400(api_as, pilot, check_in, changes):
    before = state()
    assert _answer(api_as, pilot, pilot.rep, check_in, **changes).status_code == 400
    assert state() == before


def test_someone_of_no_partner_organisation_cannot_answer(api_as, pilot, check_in):
    OrganizationMembership.objects.filter(person=pilot.manager).delete()
    assert _answer(api_as, pilot, pilot.manager, check_in).status_code == 403


def test_an_anonymous_round_shows_results_from_three_answers(api_as, pilot, check_in):
    url = f"{base(pilot)}check-ins/{check_in.pk}/"
    _answer(api_as, pilot, pilot.rep, check_in, openness=5, one_thing="Share the roadmap")
    _answer(api_as, pilot, pilot.steering, check_in, openness=1)

    hidden = api_as(pilot.rep).get(url).json()
    assert hidden["results"] == {"answers": 2, "shown": False, "averages": [], "by_partner": [],
                                 "divergence": [], "suggestions": []}  # fmt: skip
    assert hidden["my_answer"]["openness"] == 5  # one's own answer is no secret to oneself

    _answer(api_as, pilot, pilot.manager, check_in, openness=3)
    shown = api_as(pilot.rep).get(url).json()["results"]
    assert shown["shown"] is True
    assert {"item": "openness", "score": 3.0} in shown["averages"]
    # One person per partner: their partners' own averages would be their answers.
    assert shown["by_partner"] == []
    assert shown["divergence"] == []
    assert shown["suggestions"] == ["Share the roadmap"]


def test_a_named_round_shows_results_at_once(api_as, pilot):
    check_in = checkins.round_open(alliance=pilot.alliance, by=pilot.manager, anonymous=False)
    _answer(api_as, pilot, pilot.rep, check_in)
    results = api_as(pilot.steering).get(f"{base(pilot)}check-ins/{check_in.pk}/").json()
    assert results["results"]["shown"] is True
    assert results["my_answer"] is None


def test_a_closed_round_takes_no_answers(api_as, pilot, check_in):
    with time_machine.travel(timezone.now() + timedelta(days=20)):
        assert _answer(api_as, pilot, pilot.rep, check_in).status_code == 400


def test_the_round_list_counts_answers_in_few_queries(api_as, pilot, check_in,
                                                      django_assert_num_queries):  # fmt: skip
    for person in UserFactory.create_batch(5):
        OrganizationMembership.objects.create(person=person, organization=pilot.techco.organization)
        checkins.answer_give(round=check_in, by=person, **RATINGS)
    with django_assert_num_queries(3):  # the alliance, the count, the page
        rows = api_as(pilot.rep).get(base(pilot) + "check-ins/").json()["results"]
    assert rows[0]["answer_count"] == 5
