"""The exit plan, its shared-asset register, and the notice flow with its wind-down."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from alliances import timers
from charters import exits
from charters.models import ExitNotice, ExitPlan


def url(name, pilot, **kwargs):
    return reverse(name, kwargs={"alliance_pk": pilot.alliance.pk, **kwargs})


@pytest.fixture
def plan(pilot):
    plan = exits.exit_plan_save(
        alliance=pilot.alliance, by=pilot.manager, notice_period_days=90,
        data_terms="Return delivery data within 30 days.",
        transition_obligations="Hand over the routes\nBrief the new carrier",
    )  # fmt: skip
    exits.shared_asset_add(plan=plan, name="Tracking platform", contributed_by=pilot.techco,
                           division_rule="Stays with TechCo")  # fmt: skip
    return plan


@pytest.fixture
def notice(pilot, plan):
    return exits.exit_notice_give(
        partner=pilot.logicorp, by=pilot.steering, reason="New strategy", given_on=date(2030, 1, 1)
    )


def test_outsider_gets_404_and_anonymous_signs_in(client, pilot, outsider, notice):
    assert client.get(url("exit_plan", pilot))["Location"].startswith("/accounts/login/")
    client.force_login(outsider)
    assert client.get(url("exit_plan", pilot)).status_code == 404
    assert client.get(url("exit_notice_detail", pilot, notice_pk=notice.pk)).status_code == 404


def test_a_manager_writes_the_plan(client, pilot):
    client.force_login(pilot.manager)
    data = {"notice_period_days": 90, "non_disparagement": "No public criticism.",
            "data_terms": "Destroy copies.", "transition_obligations": "Hand over"}  # fmt: skip
    assert client.post(url("exit_plan_edit", pilot), data).status_code == 302
    html = client.get(url("exit_plan", pilot)).content.decode()
    assert "90 days" in html
    assert "No public criticism." in html


def test_a_plan_without_a_notice_period_shows_the_error_and_saves_nothing(client, pilot):
    client.force_login(pilot.manager)
    response = client.post(url("exit_plan_edit", pilot), {"notice_period_days": ""})
    assert "notice_period_days" in response.context["form"].errors
    assert not ExitPlan.objects.exists()


def test_representatives_and_steering_members_may_not_edit_the_plan(client, pilot, plan):
    for person in (pilot.rep, pilot.steering):
        client.force_login(person)
        assert client.get(url("exit_plan_edit", pilot)).status_code == 403
        assert client.get(url("shared_asset_add", pilot)).status_code == 403
        assert client.get(url("exit_plan", pilot)).status_code == 200


def test_a_manager_adds_a_shared_asset(client, pilot, plan):
    client.force_login(pilot.manager)
    data = {"name": "Grant funds", "contributed_by": pilot.greenalliance.pk,
            "division_rule": "Returned pro rata", "allocation_on_exit": "Unspent funds back"}  # fmt: skip
    assert client.post(url("shared_asset_add", pilot), data).status_code == 302
    assert "Grant funds" in client.get(url("exit_plan", pilot)).content.decode()


def test_giving_notice_computes_the_effective_date_and_builds_the_checklist(client, pilot, plan):
    client.force_login(pilot.rep)
    data = {"partner": pilot.techco.pk, "reason": "Leaving the market", "given_on": "2030-01-01"}
    response = client.post(url("exit_notice_give", pilot), data)
    notice = ExitNotice.objects.get()
    assert response["Location"] == url("exit_notice_detail", pilot, notice_pk=notice.pk)
    assert notice.effective_on == date(2030, 4, 1)
    titles = [task.title for task in notice.tasks.all()]
    assert "Hand over the routes" in titles
    assert "Settle the shared asset: Tracking platform" in titles
    html = client.get(response["Location"]).content.decode()
    assert "Brief the new carrier" in html


def test_the_form_shows_the_effective_date_for_the_chosen_day(client, pilot, plan):
    client.force_login(pilot.manager)
    response = client.get(
        url("exit_notice_give", pilot), {"given_on": "2030-01-01"}, HTTP_HX_REQUEST="true"
    )
    assert "April 1, 2030" in response.content.decode()
    page = client.get(url("exit_notice_give", pilot), {"partner": pilot.logicorp.pk})
    assert page.context["form"]["partner"].value() == str(pilot.logicorp.pk)


def test_a_representative_gives_notice_only_for_its_own_partner(client, pilot, plan):
    client.force_login(pilot.rep)
    data = {"partner": pilot.logicorp.pk, "reason": "x", "given_on": "2030-01-01"}
    response = client.post(url("exit_notice_give", pilot), data)
    assert "partner" in response.context["form"].errors
    assert not ExitNotice.objects.exists()
    client.force_login(pilot.steering)  # steering members are not representatives
    assert client.get(url("exit_notice_give", pilot)).status_code == 403


def test_the_partner_is_exited_on_the_effective_date_by_the_timer(pilot, notice):
    sweep = timers.get("exit-effective")
    day_before = datetime(2030, 3, 31, 12, tzinfo=datetime.now().astimezone().tzinfo)
    with time_machine.travel(day_before, tick=False):
        timers.sweep(sweep, day_before)
    pilot.logicorp.refresh_from_db()
    assert pilot.logicorp.exited_on is None
    on_the_day = day_before + timedelta(days=1)
    with time_machine.travel(on_the_day, tick=False):
        timers.sweep(sweep, on_the_day)
    pilot.logicorp.refresh_from_db()
    notice.refresh_from_db()
    assert pilot.logicorp.exited_on == date(2030, 4, 1)
    assert notice.status == ExitNotice.Status.EFFECTIVE


def test_the_owner_ticks_off_a_task_and_others_may_not(client, pilot, notice):
    task = notice.tasks.filter(owner=pilot.logicorp).first()
    done = url("wind_down_task_done", pilot, notice_pk=notice.pk, task_pk=task.pk)
    client.force_login(pilot.rep)
    assert client.post(done).status_code == 403
    client.force_login(pilot.steering)
    assert client.post(done).status_code == 302
    task.refresh_from_db()
    assert task.done_by == pilot.steering


def test_the_leaving_partner_and_the_contributor_confirm_an_allocation(client, pilot, notice):
    asset = notice.alliance.exit_plan.assets.get()
    confirm = url("asset_allocation_confirm", pilot, notice_pk=notice.pk, asset_pk=asset.pk)
    client.force_login(pilot.manager)
    assert client.post(confirm).status_code == 403
    for person in (pilot.rep, pilot.steering):
        client.force_login(person)
        client.post(confirm)
    assert {c.partner for c in notice.confirmations.all()} == {pilot.techco, pilot.logicorp}


def test_withdrawing_needs_a_manager_or_the_leaving_partners_representative(client, pilot, notice):
    withdraw = url("exit_notice_withdraw", pilot, notice_pk=notice.pk)
    client.force_login(pilot.rep)  # TechCo's representative; LogiCorp leaves
    assert client.post(withdraw).status_code == 403
    client.force_login(pilot.manager)
    client.post(withdraw)
    notice.refresh_from_db()
    assert notice.status == ExitNotice.Status.WITHDRAWN


@pytest.mark.parametrize("rows", [3, 30])
def test_the_exit_plan_page_takes_the_same_queries_with_3_or_30_rows(
    client, pilot, plan, django_assert_max_num_queries, rows
):
    for i in range(rows):
        exits.shared_asset_add(plan=plan, name=f"Asset {i}", contributed_by=pilot.techco,
                               division_rule="Split")  # fmt: skip
    exits.exit_notice_give(partner=pilot.logicorp, by=pilot.manager, reason="x")
    client.force_login(pilot.manager)
    with django_assert_max_num_queries(12):
        assert client.get(url("exit_plan", pilot)).status_code == 200
