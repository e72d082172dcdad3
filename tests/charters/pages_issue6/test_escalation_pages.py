"""The escalation board, raising one, and the escalation page with its timeline and actions."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alliances import timers
from charters.escalations import escalation_comment, escalation_propose, escalation_raise
from charters.models import Ballot, Escalation, EscalationEvent

Event = EscalationEvent.Kind


def board(pilot):
    return reverse("escalation_list", kwargs={"alliance_pk": pilot.alliance.pk})


def raise_url(pilot):
    return reverse("escalation_raise", kwargs={"alliance_pk": pilot.alliance.pk})


def page(escalation, action=""):
    kwargs = {"alliance_pk": escalation.alliance_id, "escalation_pk": escalation.pk}
    if not action:
        return reverse("escalation_detail", kwargs=kwargs)
    return reverse(f"escalation_{action}", kwargs=kwargs)


def _good(pilot, **overrides):
    data = {
        "title": "Who owns the delivery data?",
        "description": "TechCo wants the rights to derivative algorithms.",
        "scope": "strategy",
        "partners": [pilot.techco.pk, pilot.logicorp.pk],
        "kind": "dispute",
    }
    return data | overrides


# Who sees what


def test_anonymous_is_sent_to_sign_in(client, pilot):
    response = client.get(board(pilot))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_outsider_gets_404_for_the_board_and_the_escalation(client, outsider, dispute, pilot):
    client.force_login(outsider)
    assert client.get(board(pilot)).status_code == 404
    assert client.get(page(dispute)).status_code == 404
    assert client.post(page(dispute, "resolve"), {"resolution": "x"}).status_code == 404


def test_the_board_shows_each_open_escalation_in_its_levels_column_with_time_left(
    client, pilot, dispute
):
    client.force_login(pilot.steering)
    response = client.get(board(pilot))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Working group" in html
    assert "Executive sponsors" in html
    assert "Who owns the delivery data?" in html
    assert "6\xa0days" in html  # time left to the first level's 7-day deadline
    assert "Raise an escalation" not in html  # steering members do not raise


def test_closed_ones_are_listed_apart_and_the_filter_hides_them(client, pilot, dispute):
    client.force_login(pilot.rep)
    client.post(page(dispute, "withdraw"))
    html = client.get(board(pilot), {"status": "closed"}).content.decode()
    assert "Withdrawn" in html
    assert "No open escalations" not in html
    html = client.get(board(pilot), {"status": "open"}).content.decode()
    assert "Who owns the delivery data?" not in html


# Raising


def test_a_representative_raises_a_dispute_which_starts_at_the_first_level(
    client, pilot, ladder_in_force
):
    client.force_login(pilot.rep)
    response = client.post(raise_url(pilot), _good(pilot))
    escalation = Escalation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == page(escalation)
    assert escalation.level == 0
    assert escalation.raised_by == pilot.rep
    assert set(escalation.partners.all()) == {pilot.techco, pilot.logicorp}


def test_a_steering_member_may_not_raise_one(client, pilot, ladder_in_force):
    client.force_login(pilot.steering)
    assert client.get(raise_url(pilot)).status_code == 403
    assert client.post(raise_url(pilot), _good(pilot)).status_code == 403


def test_raising_with_bad_input_shows_the_errors_and_saves_nothing(client, pilot, ladder_in_force):
    client.force_login(pilot.rep)
    response = client.post(raise_url(pilot), _good(pilot, title="", partners=[], scope=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"title", "partners", "scope"}
    assert not Escalation.objects.exists()


def test_raising_without_a_ladder_in_force_says_so(client, pilot):
    client.force_login(pilot.manager)
    response = client.post(raise_url(pilot), _good(pilot))
    assert "defines no escalation ladder" in response.content.decode()
    assert not Escalation.objects.exists()


def test_a_manager_names_a_partner_not_contributing_with_the_evidence(
    client, pilot, ladder_in_force
):
    client.force_login(pilot.manager)
    data = _good(pilot, kind="not_contributing", against=pilot.logicorp.pk, evidence="")
    response = client.post(raise_url(pilot), data)
    assert "evidence" in response.context["form"].errors
    data["evidence"] = "No delivery data shared since March."
    client.post(raise_url(pilot), data)
    escalation = Escalation.objects.get()
    assert escalation.kind == "not_contributing"
    assert escalation.against == pilot.logicorp


def test_only_managers_may_name_a_partner_not_contributing(client, pilot, ladder_in_force):
    client.force_login(pilot.rep)
    assert "evidence" not in client.get(raise_url(pilot)).context["form"].fields
    data = _good(pilot, kind="not_contributing", against=pilot.logicorp.pk, evidence="x")
    client.post(raise_url(pilot), data)
    assert Escalation.objects.get().kind == "dispute"


# Climbing by timer


def test_left_alone_it_climbs_to_the_steering_committee_and_one_ballot_opens(
    client, pilot, dispute
):
    sweep = timers.get("escalation-deadline")
    later = timezone.now() + timedelta(days=7, minutes=1)
    with time_machine.travel(later, tick=False):
        timers.sweep(sweep, later)
        timers.sweep(sweep, later)
    dispute.refresh_from_db()
    assert dispute.level == 1
    assert dispute.level_name == "Steering committee"
    assert Ballot.objects.filter(subject=Ballot.Subject.ESCALATION).count() == 1
    client.force_login(pilot.steering)
    html = client.get(page(dispute)).content.decode()
    assert "Steering committee vote" in html
    assert (
        reverse(
            "ballot_detail",
            kwargs={"alliance_pk": pilot.alliance.pk, "ballot_pk": dispute.ballot_id},
        )
        in html
    )
    assert "Moved up at its deadline" in html


def test_unresolved_at_the_top_offers_the_exit_plan(client, pilot, dispute):
    client.force_login(pilot.manager)
    client.post(page(dispute, "escalate"))
    client.post(page(dispute, "escalate"))
    dispute.refresh_from_db()
    assert dispute.is_at_top
    Escalation.objects.filter(pk=dispute.pk).update(status="unresolved")
    html = client.get(page(dispute)).content.decode()
    give = reverse("exit_notice_give", kwargs={"alliance_pk": pilot.alliance.pk})
    assert f"{give}?partner={pilot.logicorp.pk}" in html
    assert "Back to the board" not in html


# Resolving and withdrawing


def test_a_party_resolves_it_with_the_resolution_recorded(client, pilot, dispute):
    client.force_login(pilot.steering)
    response = client.post(page(dispute, "resolve"), {"resolution": "Data stays open."})
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == "resolved"
    assert dispute.resolution == "Data stays open."
    html = client.get(page(dispute)).content.decode()
    assert "Back to the board" in html


def test_resolving_without_a_resolution_shows_the_error_next_to_it(client, pilot, dispute):
    client.force_login(pilot.manager)
    response = client.post(page(dispute, "resolve"), {"resolution": ""})
    assert response.status_code == 200
    assert "resolution" in response.context["resolve_form"].errors
    dispute.refresh_from_db()
    assert dispute.status == "open"


def test_a_member_with_no_part_in_it_may_not_resolve(client, pilot, dispute, green_steering):
    client.force_login(green_steering)  # GreenAlliance is not involved; level 1 is the reps
    assert client.post(page(dispute, "resolve"), {"resolution": "x"}).status_code == 403
    assert client.post(page(dispute, "escalate")).status_code == 403


def test_only_the_raiser_withdraws(client, pilot, dispute):
    client.force_login(pilot.manager)
    assert client.post(page(dispute, "withdraw")).status_code == 403
    client.force_login(pilot.rep)
    client.post(page(dispute, "withdraw"))
    dispute.refresh_from_db()
    assert dispute.status == "withdrawn"


# Extensions


def test_an_extension_is_asked_once_per_level_and_takes_effect_with_consent(client, pilot, dispute):
    deadline = dispute.level_deadline
    client.force_login(pilot.rep)
    client.post(page(dispute, "extension_ask"), {"days": 5, "reason": "Lawyers are reviewing."})
    response = client.post(page(dispute, "extension_ask"), {"days": 5, "reason": "Again"})
    assert "only once" in response.content.decode()
    client.force_login(pilot.steering)
    assert "Consent for LogiCorp" in client.get(page(dispute)).content.decode()
    client.post(page(dispute, "extension_consent"))
    dispute.refresh_from_db()
    assert dispute.level_deadline == deadline + timedelta(days=5)
    kinds = list(dispute.events.values_list("kind", flat=True))
    assert kinds == [Event.RAISED, Event.EXTENSION_ASKED, Event.EXTENSION_CONSENT, Event.EXTENDED]


def test_a_member_who_is_no_party_may_not_ask_for_more_time(client, pilot, dispute):
    client.force_login(pilot.manager)
    assert (
        client.post(page(dispute, "extension_ask"), {"days": 5, "reason": "x"}).status_code == 403
    )


# The timeline


def test_the_timeline_shows_each_event_with_who_and_when(client, pilot, dispute):
    client.force_login(pilot.rep)
    client.post(page(dispute, "comment"), {"text": "We met on Tuesday."})
    client.post(page(dispute, "propose"), {"text": "Pilot data stays open"})
    client.force_login(pilot.manager)
    client.post(page(dispute, "escalate"))
    html = client.get(page(dispute)).content.decode()
    for text in ("Raised", "Comment", "We met on Tuesday.", "Resolution proposed",
                 "Pilot data stays open", "Escalated by hand", pilot.rep.display_name):  # fmt: skip
        assert text in html


def test_the_deadline_is_shown_in_the_viewers_time_zone(client, pilot, dispute):
    pilot.steering.time_zone = "Asia/Tokyo"
    pilot.steering.save(update_fields=["time_zone"])
    client.force_login(pilot.steering)
    html = client.get(page(dispute)).content.decode()
    local = timezone.localtime(dispute.level_deadline, timezone=ZoneInfo("Asia/Tokyo"))
    assert local.isoformat()[:16] in html


# Query counts


def _many(pilot, n):
    for i in range(n):
        escalation = escalation_raise(
            alliance=pilot.alliance, by=pilot.rep, title=f"Dispute {i}", description="d",
            scope="budget", partners=[pilot.techco, pilot.logicorp],
        )  # fmt: skip
        escalation_comment(escalation=escalation, by=pilot.rep, text="c")
        escalation_propose(escalation=escalation, by=pilot.steering, text=f"p{i}")
    return escalation


@pytest.mark.parametrize("rows", [3, 30])
def test_the_board_takes_the_same_queries_with_3_or_30_escalations(
    client, pilot, ladder_in_force, django_assert_max_num_queries, rows
):
    _many(pilot, rows)
    client.force_login(pilot.rep)
    with django_assert_max_num_queries(9):
        assert client.get(board(pilot)).status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_the_escalation_page_takes_the_same_queries_with_3_or_30_events(
    client, pilot, dispute, django_assert_max_num_queries, rows
):
    for i in range(rows):
        escalation_comment(escalation=dispute, by=pilot.rep, text=f"c{i}")
    client.force_login(pilot.rep)
    with django_assert_max_num_queries(8):
        assert client.get(page(dispute)).status_code == 200
