"""Commitments and check-ins pages, per persona."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from alliances.models import User
from trustaccount import checkins, ledger
from trustaccount.commitments import commitment_make
from trustaccount.models import CheckInAnswer, Commitment


def _url(name, pilot, **kwargs):
    return reverse(name, kwargs={"alliance_pk": pilot.alliance.pk, **kwargs})


def _commitment(pilot):
    return commitment_make(
        alliance=pilot.alliance, by=pilot.rep, owner=pilot.techco, beneficiary=pilot.logicorp,
        description="Send the March data", due_on=timezone.localdate() + timedelta(days=5),
    )  # fmt: skip


def test_rep_records_a_commitment_for_their_partner(client, pilot):
    client.force_login(pilot.rep)
    response = client.post(_url("commitment_make", pilot), {
        "owner": pilot.techco.pk, "beneficiary": pilot.logicorp.pk,
        "description": "Share the API roadmap", "due_on": timezone.localdate() + timedelta(days=3),
    })  # fmt: skip
    assert response.status_code == 302
    assert Commitment.objects.get().owner == pilot.techco


def test_a_past_due_date_is_refused_next_to_its_field(client, pilot):
    client.force_login(pilot.rep)
    response = client.post(_url("commitment_make", pilot), {
        "owner": pilot.techco.pk, "beneficiary": pilot.logicorp.pk, "description": "Late",
        "due_on": timezone.localdate() - timedelta(days=1),
    })  # fmt: skip
    assert "due_on" in response.context["form"].errors


def test_steering_member_cannot_record_a_commitment(client, pilot):
    client.force_login(pilot.steering)
    assert client.get(_url("commitment_make", pilot)).status_code == 403


def test_the_beneficiary_marks_it_delivered_and_the_owner_gains_trust(client, pilot):
    commitment = _commitment(pilot)
    client.force_login(pilot.steering)
    page = client.get(_url("commitment_list", pilot)).content.decode()
    assert "Mark delivered" in page

    client.post(_url("commitment_deliver", pilot, commitment_pk=commitment.pk))

    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.DELIVERED
    assert ledger.balances(pilot.alliance).per_partner == {pilot.techco.pk: 2}


def test_the_owner_cannot_mark_its_own_promise_delivered(client, pilot):
    commitment = _commitment(pilot)
    client.force_login(pilot.rep)
    response = client.post(_url("commitment_deliver", pilot, commitment_pk=commitment.pk))
    assert response.status_code == 403


def test_only_managers_open_a_check_in(client, pilot):
    client.force_login(pilot.rep)
    assert client.post(_url("check_in_open", pilot), {"anonymous": "on"}).status_code == 403
    client.force_login(pilot.manager)
    assert client.post(_url("check_in_open", pilot), {"anonymous": "on"}).status_code == 302


def _answer(client, person: User, pilot, check_in, rating="4"):
    client.force_login(person)
    return client.post(_url("check_in_answer", pilot, round_pk=check_in.pk), {
        "openness": rating, "reliability": rating, "fairness": rating, "communication": "2",
        "one_thing": "Meet monthly",
    })  # fmt: skip


def test_anonymous_results_stay_hidden_below_three_answers(client, pilot):
    check_in = checkins.round_open(alliance=pilot.alliance, by=pilot.manager)
    _answer(client, pilot.rep, pilot, check_in)
    _answer(client, pilot.steering, pilot, check_in, rating="2")

    page = client.get(_url("check_in_list", pilot)).content.decode()
    assert "1 more answer is needed" in page
    assert "Meet monthly" not in page

    _answer(client, pilot.manager, pilot, check_in, rating="5")
    page = client.get(_url("check_in_list", pilot)).content.decode()
    assert "Meet monthly" in page
    # One person per partner answered: showing per-partner views would show their answers.
    assert "Where views diverge most" not in page
    assert CheckInAnswer.objects.count() == 3


def test_the_answer_form_offers_four_rating_groups(client, pilot):
    check_in = checkins.round_open(alliance=pilot.alliance, by=pilot.manager)
    client.force_login(pilot.rep)
    page = client.get(_url("check_in_answer", pilot, round_pk=check_in.pk)).content.decode()
    assert page.count("<fieldset") >= 4
    assert "One thing we could do to make this partnership stronger" in page


def test_a_rating_out_of_range_is_refused(client, pilot):
    check_in = checkins.round_open(alliance=pilot.alliance, by=pilot.manager)
    response = _answer(client, pilot.rep, pilot, check_in, rating="9")
    assert "openness" in response.context["form"].errors


def test_the_overview_and_dashboard_show_the_trust_balance(client, pilot):
    checkins.round_open(alliance=pilot.alliance, by=pilot.manager)
    client.force_login(pilot.steering)
    overview = client.get(reverse("alliance_detail", kwargs={"alliance_pk": pilot.alliance.pk}))
    dashboard = client.get(reverse("dashboard"))
    assert "Trust balance" in overview.content.decode()
    assert "Trust accounts" in dashboard.content.decode()
