"""The trust ledger in API v1: appending with an idempotency key, reversing, confirming,
filtering, and list sizes that cost no extra queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.trustaccount.ledger_data import chained
from trustaccount import ledger
from trustaccount.models import TrustConfirmation, TrustEntry

from .conftest import base, bug_shared, entry_body, state

# Appending


def test_a_representative_logs_a_deposit_for_their_partner(api_as, pilot):
    response = api_as(pilot.rep).post(base(pilot) + "entries/", entry_body(pilot), format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["sequence"], data["kind"], data["points"]) == (1, "deposit", 3)
    assert data["actor"] == {"id": pilot.techco.pk, "organization": "TechCo"}
    assert data["needs_confirmation"] is True  # TechCo reports its own action
    assert data["confirmation"] is None
    assert data["recorded_by"]["email"] == pilot.rep.email
    assert data["previous_hash"] == ledger.GENESIS
    assert ledger.verify(pilot.alliance) is None


def test_a_replayed_request_answers_200_with_the_first_entry_and_records_nothing(api_as, pilot):
    client = api_as(pilot.rep)
    first = client.post(base(pilot) + "entries/", entry_body(pilot), format="json")
    again = client.post(
        base(pilot) + "entries/", entry_body(pilot, note="sent twice"), format="json"
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert TrustEntry.objects.count() == 1


def test_a_manager_records_for_any_partner_and_an_acknowledgement_counts_at_once(api_as, pilot):
    body = entry_body(pilot, category="contribution_acknowledged", actor=pilot.logicorp.pk,
                      counterpart=pilot.greenalliance.pk)  # fmt: skip
    response = api_as(pilot.manager).post(base(pilot) + "entries/", body, format="json")

    assert response.status_code == 201
    assert response.json()["needs_confirmation"] is False
    assert ledger.balances(pilot.alliance).per_partner == {pilot.logicorp.pk: 2}


def test_a_withdrawal_is_recorded_with_negative_points(api_as, pilot):
    body = entry_body(pilot, kind="withdrawal", category="commitment_missed",
                      actor=pilot.logicorp.pk, counterpart=pilot.techco.pk, points=5)  # fmt: skip
    response = api_as(pilot.manager).post(base(pilot) + "entries/", body, format="json")

    assert response.status_code == 201
    assert response.json()["points"] == -5


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "reversal"},
        {"kind": "withdrawal"},  # information shared early is no withdrawal
        {"category": "gossip"},
        {"counterpart": "self"},
        {"points": 0},
        {"points": 101},
        {"occurred_at": "future"},
        {"occurred_at": "1066-10-14T09:00:00Z"},
        {"idempotency_key": ""},
        {"idempotency_key": "x" * 101},
        {"idempotency_key": "commitment-delivered:1"},  # the services' keys are not a client's
        {"actor": None},
        {"note": "x" * 2001},
    ],
    ids=repr,
)
def test_bad_entries_get_400_and_nothing_is_recorded(api_as, pilot, changes):
    if changes.get("counterpart") == "self":
        changes = {"counterpart": pilot.techco.pk}
    if changes.get("occurred_at") == "future":
        changes = {"occurred_at": (timezone.now() + timedelta(days=1)).isoformat()}
    before = state()
    response = api_as(pilot.rep).post(
        base(pilot) + "entries/", entry_body(pilot, **changes), format="json"
    )
    assert response.status_code == 400, response.content
    assert state() == before


# Reversing


def test_a_manager_reverses_an_entry_once_and_a_replay_answers_200(api_as, pilot, entry):
    url = f"{base(pilot)}entries/{entry.pk}/reverse/"
    body = {"note": "Logged twice", "idempotency_key": "rev-1"}
    client = api_as(pilot.manager)

    first = client.post(url, body, format="json")
    replay = client.post(url, body, format="json")
    second = client.post(url, {"note": "again", "idempotency_key": "rev-2"}, format="json")

    assert (first.status_code, replay.status_code, second.status_code) == (201, 200, 400)
    assert first.json()["reverses"] == entry.pk
    assert first.json()["points"] == -3
    assert (
        client.get(f"{base(pilot)}entries/{entry.pk}/").json()["reversed_by"]
        == (first.json()["id"])
    )
    assert TrustEntry.objects.count() == 2


def test_a_reversal_key_used_for_another_entry_gets_400(api_as, pilot, entry):
    before = state()
    url = f"{base(pilot)}entries/{entry.pk}/reverse/"
    response = api_as(pilot.manager).post(
        url, {"note": "Wrong", "idempotency_key": "bug-shared"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["idempotency_key"]
    assert state() == before


@pytest.mark.parametrize("body", [{"note": "", "idempotency_key": "r"}, {"note": "Why"}, {}])
def test_a_reversal_needs_a_reason_and_a_key(api_as, pilot, entry, body):
    before = state()
    url = f"{base(pilot)}entries/{entry.pk}/reverse/"
    assert api_as(pilot.manager).post(url, body, format="json").status_code == 400
    assert state() == before


def test_a_reversal_is_not_reversed(api_as, pilot, entry):
    reversal = ledger.entry_reverse(entry=entry, by=pilot.manager, note="No", idempotency_key="r")
    url = f"{base(pilot)}entries/{reversal.pk}/reverse/"
    body = {"note": "Undo", "idempotency_key": "r2"}
    assert api_as(pilot.manager).post(url, body, format="json").status_code == 400


# Confirming


def test_another_partners_person_confirms_and_the_deposit_counts(api_as, pilot, entry):
    url = f"{base(pilot)}entries/{entry.pk}/confirm/"
    client = api_as(pilot.steering)

    first = client.post(url)
    again = client.post(url)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["confirmation"]["partner"]["organization"] == "LogiCorp"
    assert TrustConfirmation.objects.count() == 1
    assert ledger.balances(pilot.alliance).per_partner == {pilot.techco.pk: 3}


def test_an_entry_that_counts_at_once_needs_no_confirmation(api_as, pilot):
    thanks = ledger.entry_record(
        alliance=pilot.alliance, by=pilot.rep, kind="deposit", category="contribution_acknowledged",
        actor=pilot.logicorp, idempotency_key="thanks",
    )  # fmt: skip
    response = api_as(pilot.rep).post(f"{base(pilot)}entries/{thanks.pk}/confirm/")
    assert response.status_code == 400
    assert not TrustConfirmation.objects.exists()


# Reading


def test_the_list_filters_by_partner_kind_and_category(api_as, pilot, entry):
    ledger.entry_record(
        alliance=pilot.alliance, by=pilot.manager, kind="withdrawal", category="breach",
        actor=pilot.greenalliance, idempotency_key="breach",
    )  # fmt: skip
    client = api_as(pilot.steering)

    def sequences(query: str) -> list[int]:
        response = client.get(f"{base(pilot)}entries/?{query}")
        assert response.status_code == 200, response.content
        return [row["sequence"] for row in response.json()["results"]]

    assert sequences("") == [2, 1]
    assert sequences(f"partner={pilot.logicorp.pk}") == [1]  # the counterpart
    assert sequences(f"partner={pilot.greenalliance.pk}") == [2]
    assert sequences("kind=withdrawal") == [2]
    assert sequences("category=information_shared_early") == [1]


@pytest.mark.parametrize("query", ["partner=abc", "partner=999999", "kind=gift", "category=x"])
def test_unknown_filter_values_get_400(api_as, pilot, query):
    response = api_as(pilot.rep).get(f"{base(pilot)}entries/?{query}")
    assert response.status_code == 400


@pytest.mark.parametrize("size", [10, 10_000])
def test_the_entry_list_takes_the_same_queries_whatever_the_size(
    api_as, pilot, size, django_assert_num_queries
):
    entries = chained(pilot, size)
    ledger.entry_reverse(entry=entries[0], by=pilot.manager, note="x", idempotency_key="r")
    confirmed = bug_shared(pilot)
    TrustConfirmation.objects.create(entry=confirmed, partner=pilot.logicorp, by=pilot.steering)
    client = api_as(pilot.steering)

    with django_assert_num_queries(4):  # the alliance, the partner filtered by, count, page
        response = client.get(f"{base(pilot)}entries/?partner={pilot.techco.pk}")

    assert response.status_code == 200
