"""The exit plan, shared assets and exit notices in API v1, persona by persona.

The manager speaks for the alliance; TechCo's representative gives notice for TechCo only;
LogiCorp's steering member ticks off LogiCorp's tasks and confirms allocations for LogiCorp,
but gives no notice (that is a representative's or a manager's act).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from alliances.models import Partner
from charters import exits
from charters.models import AssetConfirmation, ExitNotice, ExitPlan, SharedAsset, WindDownTask
from tests.factories import PartnerFactory

from .every_method import assert_every_method_answers
from .test_ballots import _queries

PLAN = {
    "notice_period_days": 90,
    "non_disparagement": "No public criticism of a partner for two years.",
    "data_terms": "Return delivery data within 30 days.",
    "transition_obligations": "Hand over open tickets\nIntroduce the replacement carrier",
}


@pytest.fixture
def plan(pilot) -> ExitPlan:
    plan = exits.exit_plan_save(alliance=pilot.alliance, by=pilot.manager, **PLAN)
    exits.shared_asset_add(plan=plan, name="Tracking platform", contributed_by=pilot.techco,
                           division_rule="Stays with TechCo", allocation_on_exit="TechCo")  # fmt: skip
    return plan


@pytest.fixture
def notice(pilot, plan) -> ExitNotice:
    return exits.exit_notice_give(
        partner=pilot.logicorp, by=pilot.manager, reason="Network restructuring"
    )


def _base(pilot) -> str:
    return f"/api/v1/alliances/{pilot.alliance.pk}/"


def _notice_url(notice: ExitNotice, action: str = "") -> str:
    return f"/api/v1/alliances/{notice.alliance_id}/exit-notices/{notice.pk}/{action}"


def _task(notice: ExitNotice, owner: Partner) -> WindDownTask:
    return notice.tasks.filter(owner=owner).first()


def _state() -> list[Any]:
    return [
        list(ExitPlan.objects.values_list("pk", "notice_period_days", "data_terms")),
        list(SharedAsset.objects.values_list("pk", "name")),
        list(ExitNotice.objects.order_by("pk").values_list("pk", "status", "effective_on")),
        list(WindDownTask.objects.order_by("pk").values_list("pk", "done_at")),
        AssetConfirmation.objects.count(),
        list(Partner.objects.order_by("pk").values_list("pk", "exiting_on")),
    ]


# The plan and its assets


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_every_member_reads_the_plan_with_its_assets(api_as, pilot, plan, persona):
    response = api_as(getattr(pilot, persona)).get(_base(pilot) + "exit-plan/")

    assert response.status_code == 200
    data = response.json()
    assert data["notice_period_days"] == 90
    assert [(a["name"], a["contributed_by"]["organization"]) for a in data["assets"]] == [
        ("Tracking platform", "TechCo")
    ]
    assets = api_as(getattr(pilot, persona)).get(_base(pilot) + "exit-plan/assets/")
    assert [a["name"] for a in assets.json()["results"]] == ["Tracking platform"]


def test_without_a_plan_the_plan_is_a_404_and_the_register_empty(api_as, pilot):
    client = api_as(pilot.rep)
    response = client.get(_base(pilot) + "exit-plan/")
    assert response.status_code == 404
    assert "exit plan" in response.json()["detail"]
    assert client.get(_base(pilot) + "exit-plan/assets/").json()["count"] == 0


def test_a_manager_agrees_the_plan_and_changes_it(api_as, pilot):
    client = api_as(pilot.manager)
    response = client.put(_base(pilot) + "exit-plan/", PLAN, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["updated_by"]["email"] == "manager@greenalliance.example"

    changed = client.put(_base(pilot) + "exit-plan/", {"notice_period_days": 60}, format="json")

    assert changed.json()["notice_period_days"] == 60
    assert changed.json()["data_terms"] == ""
    assert ExitPlan.objects.count() == 1


@pytest.mark.parametrize("persona", ["rep", "steering"])
def test_only_managers_write_the_plan_and_its_assets(api_as, pilot, plan, persona):
    before = _state()
    client = api_as(getattr(pilot, persona))
    asset = {"name": "Grant funds", "contributed_by": pilot.greenalliance.pk, "division_rule": "x"}
    assert client.put(_base(pilot) + "exit-plan/", PLAN, format="json").status_code == 403
    assert client.post(_base(pilot) + "exit-plan/assets/", asset, format="json").status_code == 403
    assert _state() == before


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"notice_period_days": -1},
        {"notice_period_days": "soon"},
        {"notice_period_days": 10**30},
    ],
)
def test_an_invalid_plan_is_a_400_that_changes_nothing(api_as, pilot, plan, body):
    before = _state()
    response = api_as(pilot.manager).put(_base(pilot) + "exit-plan/", body, format="json")
    assert response.status_code == 400
    assert _state() == before


def test_a_manager_adds_a_shared_asset(api_as, pilot, plan):
    body = {
        "name": "Grant funds",
        "contributed_by": pilot.greenalliance.pk,
        "division_rule": "Returned pro rata",
        "allocation_on_exit": "GreenAlliance",
    }
    response = api_as(pilot.manager).post(_base(pilot) + "exit-plan/assets/", body, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["contributed_by"]["organization"] == "GreenAlliance"


def test_an_asset_needs_a_plan_and_a_partner_of_the_alliance(api_as, pilot, outsider):
    client = api_as(pilot.manager)
    url = _base(pilot) + "exit-plan/assets/"
    body = {"name": "Grant funds", "contributed_by": pilot.greenalliance.pk, "division_rule": "x"}
    assert client.post(url, body, format="json").status_code == 400

    exits.exit_plan_save(alliance=pilot.alliance, by=pilot.manager, notice_period_days=30)
    before = _state()
    elsewhere = Partner.objects.exclude(alliance=pilot.alliance).get()
    for fields in ({"contributed_by": elsewhere.pk}, {"name": ""}, {"division_rule": None}):
        assert client.post(url, body | fields, format="json").status_code == 400
    assert _state() == before


# Giving notice


def test_a_manager_gives_notice_for_a_partner_with_date_and_checklist(api_as, pilot, plan):
    body = {"partner": pilot.logicorp.pk, "reason": "Restructuring", "given_on": "2026-12-01"}
    response = api_as(pilot.manager).post(_base(pilot) + "exit-notices/", body, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["effective_on"]) == ("pending", "2027-03-01")
    tasks = [(t["title"], t["owner"]["organization"], t["due_on"]) for t in data["tasks"]]
    assert ("Hand over open tickets", "LogiCorp", "2027-01-15") in tasks
    assert ("Settle the shared asset: Tracking platform", "TechCo", "2027-02-28") in tasks
    [allocation] = data["allocations"]
    parties = {p["organization"] for p in allocation["parties"]}
    assert (parties, allocation["confirmations"]) == ({"LogiCorp", "TechCo"}, [])


def test_a_representative_gives_notice_for_its_own_partner_only(api_as, pilot, plan):
    client = api_as(pilot.rep)
    before = _state()
    body = {"partner": pilot.logicorp.pk, "reason": "Not ours to say"}
    assert client.post(_base(pilot) + "exit-notices/", body, format="json").status_code == 403
    assert _state() == before

    body = {"partner": pilot.techco.pk, "reason": "Focus on the core business"}
    response = client.post(_base(pilot) + "exit-notices/", body, format="json")
    assert response.status_code == 201
    assert response.json()["given_by"]["email"] == "rep@techco.example"


def test_a_steering_member_gives_no_notice(api_as, pilot, plan):
    before = _state()
    body = {"partner": pilot.logicorp.pk, "reason": "Restructuring"}
    response = api_as(pilot.steering).post(_base(pilot) + "exit-notices/", body, format="json")
    assert response.status_code == 403
    assert _state() == before


@pytest.mark.parametrize(
    "fields",
    [
        {"reason": "  "},
        {"reason": ""},
        {"given_on": "next week"},
        {"given_on": "2026-02-30"},
        {"given_on": "9999-12-30"},
        {"given_on": "0001-01-01"},
        {"partner": None},
        {"partner": 10**30},
        {"partner": "techco"},
    ],
)
def test_an_invalid_notice_is_a_400_that_changes_nothing(api_as, pilot, plan, fields):
    before = _state()
    body = {"partner": pilot.techco.pk, "reason": "Focus"} | fields
    response = api_as(pilot.manager).post(_base(pilot) + "exit-notices/", body, format="json")
    assert response.status_code == 400, response.content
    assert _state() == before


def test_notice_needs_a_plan_and_is_given_once(api_as, pilot):
    client = api_as(pilot.manager)
    body = {"partner": pilot.techco.pk, "reason": "Focus"}
    assert client.post(_base(pilot) + "exit-notices/", body, format="json").status_code == 400

    exits.exit_plan_save(alliance=pilot.alliance, by=pilot.manager, notice_period_days=30)
    assert client.post(_base(pilot) + "exit-notices/", body, format="json").status_code == 201
    before = _state()
    assert client.post(_base(pilot) + "exit-notices/", body, format="json").status_code == 400
    assert _state() == before


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_every_member_reads_the_notices_and_one_notice(api_as, pilot, notice, persona):
    client = api_as(getattr(pilot, persona))
    [row] = client.get(_base(pilot) + "exit-notices/").json()["results"]
    assert (row["id"], row["partner"]["organization"]) == (notice.pk, "LogiCorp")
    assert len(row["tasks"]) == 4

    detail = client.get(_notice_url(notice))
    assert detail.status_code == 200
    assert detail.json()["allocations"][0]["asset"]["name"] == "Tracking platform"


# The wind-down


def test_the_owner_partners_people_tick_off_their_tasks(api_as, pilot, notice):
    task = _task(notice, pilot.logicorp)
    url = _notice_url(notice, f"tasks/{task.pk}/done/")

    response = api_as(pilot.steering).post(url)

    assert response.status_code == 200, response.content
    done = next(t for t in response.json()["tasks"] if t["id"] == task.pk)
    assert done["done_by"]["email"] == "steering@logicorp.example"
    before = _state()
    assert api_as(pilot.steering).post(url).status_code == 400  # already done
    assert _state() == before


def test_a_manager_ticks_off_any_task_and_others_none(api_as, pilot, notice):
    task = _task(notice, pilot.logicorp)
    url = _notice_url(notice, f"tasks/{task.pk}/done/")
    before = _state()
    assert api_as(pilot.rep).post(url).status_code == 403
    assert _state() == before
    assert api_as(pilot.manager).post(url).status_code == 200


def test_a_task_of_another_notice_is_a_404(api_as, pilot, notice):
    other = exits.exit_notice_give(partner=pilot.techco, by=pilot.rep, reason="Focus")
    task = _task(other, pilot.techco)
    assert (
        api_as(pilot.manager).post(_notice_url(notice, f"tasks/{task.pk}/done/")).status_code == 404
    )


def test_the_leaving_partner_and_the_contributor_confirm_an_allocation(api_as, pilot, notice):
    asset = SharedAsset.objects.get()
    url = _notice_url(notice, f"assets/{asset.pk}/confirm/")

    assert api_as(pilot.rep).post(url, {"partner": pilot.techco.pk}).status_code == 200
    response = api_as(pilot.steering).post(url, {"partner": pilot.logicorp.pk})

    assert response.status_code == 200
    confirmed = response.json()["allocations"][0]["confirmations"]
    assert {(c["partner"]["organization"], c["by"]["email"]) for c in confirmed} == {
        ("TechCo", "rep@techco.example"),
        ("LogiCorp", "steering@logicorp.example"),
    }


def test_a_person_confirms_only_for_a_party_they_speak_for(api_as, pilot, notice, green_steering):
    asset = SharedAsset.objects.get()
    url = _notice_url(notice, f"assets/{asset.pk}/confirm/")
    before = _state()
    assert api_as(pilot.rep).post(url, {"partner": pilot.logicorp.pk}).status_code == 403
    assert api_as(pilot.manager).post(url, {"partner": pilot.techco.pk}).status_code == 403
    # GreenAlliance speaks for itself, but is no party to this allocation.
    body = {"partner": pilot.greenalliance.pk}
    assert api_as(green_steering).post(url, body).status_code == 400
    for bad in ({}, {"partner": "x"}, {"partner": 10**30}):
        assert api_as(pilot.rep).post(url, bad, format="json").status_code == 400
    assert _state() == before


# Withdrawing


def test_a_manager_withdraws_a_notice_and_the_partner_stays(api_as, pilot, notice):
    response = api_as(pilot.manager).post(_notice_url(notice, "withdraw/"))

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    pilot.logicorp.refresh_from_db()
    assert pilot.logicorp.exiting_on is None
    before = _state()
    assert api_as(pilot.manager).post(_notice_url(notice, "withdraw/")).status_code == 400
    assert _state() == before


@pytest.mark.parametrize("persona", ["rep", "steering"])
def test_others_than_managers_and_its_representatives_cannot_withdraw(
    api_as, pilot, notice, persona
):
    before = _state()
    assert api_as(getattr(pilot, persona)).post(_notice_url(notice, "withdraw/")).status_code == 403
    assert _state() == before


def test_a_representative_withdraws_its_own_partners_notice(api_as, pilot, plan):
    notice = exits.exit_notice_give(partner=pilot.techco, by=pilot.rep, reason="Focus")
    assert api_as(pilot.rep).post(_notice_url(notice, "withdraw/")).status_code == 200


# Access


@pytest.fixture
def urls(pilot, notice) -> list[str]:
    task = _task(notice, pilot.logicorp)
    asset = SharedAsset.objects.get()
    return [
        _base(pilot) + "exit-plan/",
        _base(pilot) + "exit-plan/assets/",
        _base(pilot) + "exit-notices/",
        _notice_url(notice),
        _notice_url(notice, "withdraw/"),
        _notice_url(notice, f"tasks/{task.pk}/done/"),
        _notice_url(notice, f"assets/{asset.pk}/confirm/"),
    ]


def test_outsider_gets_404_for_every_method_on_every_url(api_as, outsider, urls):
    before = _state()
    assert_every_method_answers(api_as(outsider), urls, PLAN, 404)
    assert _state() == before


def test_anonymous_gets_401_for_every_method_on_every_url(api_client, urls):
    before = _state()
    assert_every_method_answers(api_client, urls, PLAN, 401)
    assert _state() == before


@pytest.mark.parametrize("body", ['{"partner": ', "[1, 2]", '"text"', "null", "12"])
def test_malformed_bodies_are_400s(api_as, pilot, urls, body):
    before = _state()
    client = api_as(pilot.manager)
    writes = [("put", urls[0]), ("post", urls[1]), ("post", urls[2]), ("post", urls[6])]
    for method, url in writes:
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code == 400, f"{method} {url}: {response.status_code}"
    assert _state() == before


# Query counts


def test_the_notices_cost_the_same_for_3_and_30_notices(
    api_as, pilot, plan, django_assert_max_num_queries
):
    client = api_as(pilot.rep)
    for partner in (pilot.techco, pilot.logicorp, pilot.greenalliance):
        exits.exit_notice_give(partner=partner, by=pilot.manager, reason="Pilot over")
    few = _queries(client, _base(pilot) + "exit-notices/")
    for _ in range(27):
        partner = PartnerFactory.create(alliance=pilot.alliance)
        exits.exit_notice_give(partner=partner, by=pilot.manager, reason="Pilot over",
                               given_on=date(2026, 12, 1))  # fmt: skip
    with django_assert_max_num_queries(few):
        assert client.get(_base(pilot) + "exit-notices/").json()["count"] == 30
    assert few <= 6
