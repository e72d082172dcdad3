"""/api/v1/alliances/{alliance_pk}/reviews/: the history and the pending review, each with its
partners' strategic fit, and the actions that move a review along.

Any member reads; coalition managers open and complete; a partner representative records the
fit of the partner it represents, and nobody else records one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from alliances import reviews
from alliances.models import Alliance, Notification, PartnerFit, Review
from tests.factories import PartnerFactory

HUGE = 10**30
ACTIONS = ["open", "fit", "complete"]
BODIES: dict[str, dict[str, Any]] = {
    "open": {},
    "fit": {"fit": 4, "comments": "Still central to our roadmap."},
    "complete": {"outcome": "continue", "notes": "Carry on."},
}


def _list(pilot) -> str:
    return f"/api/v1/alliances/{pilot.alliance.pk}/reviews/"


def _detail(review: Review, action: str = "") -> str:
    return f"/api/v1/alliances/{review.alliance_id}/reviews/{review.pk}/" + (
        f"{action}/" if action else ""
    )


@pytest.fixture
def review(pilot) -> Review:
    pilot.alliance.ensure_review_scheduled(timezone.now())
    return pilot.alliance.reviews.get()


@pytest.fixture
def open_review(pilot, review) -> Review:
    reviews.review_open(review=review, by=pilot.manager)
    review.refresh_from_db()
    return review


def _past_reviews(alliance: Alliance, count: int) -> list[Review]:
    now = timezone.now()
    return Review.objects.bulk_create(
        Review(
            alliance=alliance,
            status=Review.Status.COMPLETED,
            due_at=now - timedelta(days=90 * (n + 1)),
            completed_at=now - timedelta(days=90 * (n + 1)),
            outcome=Review.Outcome.CONTINUE,
        )
        for n in range(count)
    )


def _snapshot() -> list[Any]:
    review_fields = ("pk", "status", "opened_at", "completed_at", "outcome", "outcome_notes")
    return [
        list(Review.objects.order_by("pk").values_list(*review_fields)),
        list(PartnerFit.objects.order_by("pk").values_list("pk", "partner", "fit", "comments")),
        list(Alliance.objects.order_by("pk").values_list("pk", "stage")),
        Notification.objects.count(),
    ]


# Reading


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_every_member_lists_the_pending_review_and_the_history_latest_due_first(
    api_as, pilot, review, persona
):
    _past_reviews(pilot.alliance, 2)
    response = api_as(getattr(pilot, persona)).get(_list(pilot))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["scheduled", "completed", "completed"]
    assert [r["due_at"] for r in results] == sorted((r["due_at"] for r in results), reverse=True)
    assert results[1]["outcome"] == "continue"


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_every_member_reads_a_review_with_a_row_per_partner(api_as, pilot, open_review, persona):
    reviews.review_record_fit(
        review=open_review, partner=pilot.techco, by=pilot.rep, fit=4, comments="Central."
    )
    response = api_as(getattr(pilot, persona)).get(_detail(open_review))
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["opened_by"]["email"]) == ("open", pilot.manager.email)
    rows = {row["partner"]["organization"]: row for row in data["fits"]}
    assert list(rows) == ["GreenAlliance", "LogiCorp", "TechCo"]
    techco = rows["TechCo"]
    assert (techco["fit"], techco["comments"], techco["recorded_by"]["email"]) == (
        4,
        "Central.",
        pilot.rep.email,
    )
    assert rows["LogiCorp"] | {"partner": None} == {
        "partner": None,
        "fit": None,
        "comments": None,
        "recorded_by": None,
        "recorded_at": None,
    }


def test_a_review_of_another_alliance_is_404_under_the_pilot(api_as, pilot, outsider):
    other = outsider.alliance_roles.get().alliance
    other.ensure_review_scheduled(timezone.now())
    foreign = other.reviews.get()
    url = f"/api/v1/alliances/{pilot.alliance.pk}/reviews/{foreign.pk}/"
    assert api_as(pilot.manager).get(url).status_code == 404
    assert api_as(pilot.manager).post(url + "open/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Review.Status.SCHEDULED


@pytest.mark.parametrize("url_pk", [HUGE, -1, 999_999])
def test_review_ids_that_do_not_exist_get_404(api_as, pilot, url_pk):
    url = f"/api/v1/alliances/{pilot.alliance.pk}/reviews/{url_pk}/"
    assert api_as(pilot.manager).get(url).status_code == 404


# Opening


def test_manager_opens_the_review_and_the_alliance_goes_under_review(api_as, pilot, review):
    response = api_as(pilot.manager).post(_detail(review, "open"))
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["opened_by"]["id"]) == (
        "open",
        pilot.manager.pk,
    )
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.stage == Alliance.Stage.UNDER_REVIEW
    told = Notification.objects.filter(kind="review_opened")
    assert {n.recipient for n in told} == {pilot.manager, pilot.rep}


def test_opening_an_open_review_gets_400_and_changes_nothing(api_as, pilot, open_review):
    before = _snapshot()
    response = api_as(pilot.manager).post(_detail(open_review, "open"))
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert _snapshot() == before


# Recording the strategic fit


def test_rep_records_their_partners_fit_and_changes_it_later(api_as, pilot, open_review):
    client = api_as(pilot.rep)
    first = client.post(_detail(open_review, "fit"), BODIES["fit"], format="json")
    assert first.status_code == 200
    again = client.post(_detail(open_review, "fit"), {"fit": 2}, format="json")
    assert again.status_code == 200
    fit = PartnerFit.objects.get()
    assert (fit.partner, fit.fit, fit.comments, fit.recorded_by) == (
        pilot.techco,
        2,
        "",
        pilot.rep,
    )
    rows = {row["partner"]["id"]: row["fit"] for row in again.json()["fits"]}
    assert rows == {pilot.techco.pk: 2, pilot.logicorp.pk: None, pilot.greenalliance.pk: None}


@pytest.mark.parametrize("persona", ["manager", "steering"])
def test_only_partner_representatives_record_a_fit(api_as, pilot, open_review, persona):
    before = _snapshot()
    client = api_as(getattr(pilot, persona))
    response = client.post(_detail(open_review, "fit"), BODIES["fit"], format="json")
    assert response.status_code == 403
    assert _snapshot() == before


def test_recording_a_fit_before_the_review_opens_gets_400(api_as, pilot, review):
    before = _snapshot()
    response = api_as(pilot.rep).post(_detail(review, "fit"), BODIES["fit"], format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert _snapshot() == before


def test_recording_a_fit_after_the_review_completes_gets_400(api_as, pilot, open_review):
    reviews.review_complete(review=open_review, by=pilot.manager, outcome="continue")
    before = _snapshot()
    response = api_as(pilot.rep).post(_detail(open_review, "fit"), BODIES["fit"], format="json")
    assert response.status_code == 400
    assert _snapshot() == before


# Completing


def test_manager_completes_the_review_and_the_next_one_is_scheduled(api_as, pilot, open_review):
    body = {"outcome": "adjust_goals", "notes": "Add a data-sharing goal."}
    response = api_as(pilot.manager).post(_detail(open_review, "complete"), body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["outcome"], data["outcome_notes"]) == (
        "completed",
        "adjust_goals",
        "Add a data-sharing goal.",
    )
    assert data["completed_by"]["id"] == pilot.manager.pk
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.stage == Alliance.Stage.ACTIVE
    assert pilot.alliance.reviews.pending().get().due_at > open_review.due_at


def test_completing_twice_gets_400_and_changes_nothing(api_as, pilot, open_review):
    client = api_as(pilot.manager)
    assert client.post(_detail(open_review, "complete"), BODIES["complete"]).status_code == 200
    before = _snapshot()
    response = client.post(_detail(open_review, "complete"), {"outcome": "pivot"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert _snapshot() == before


def test_completing_a_review_that_is_not_open_gets_400(api_as, pilot, review):
    before = _snapshot()
    response = api_as(pilot.manager).post(_detail(review, "complete"), BODIES["complete"])
    assert response.status_code == 400
    assert _snapshot() == before


# Who may do what


@pytest.mark.parametrize("persona", ["rep", "steering"])
@pytest.mark.parametrize("action", ["open", "complete"])
def test_members_without_manager_role_get_403_on_open_and_complete(
    api_as, pilot, open_review, persona, action
):
    if action == "open":
        reviews.review_complete(review=open_review, by=pilot.manager, outcome="continue")
        open_review = pilot.alliance.reviews.pending().get()
    before = _snapshot()
    client = api_as(getattr(pilot, persona))
    response = client.post(_detail(open_review, action), BODIES[action], format="json")
    assert response.status_code == 403
    assert _snapshot() == before


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
def test_outsider_gets_404_for_every_review_endpoint_and_method(
    api_as, pilot, outsider, open_review, action, method
):
    before = _snapshot()
    client = api_as(outsider)
    assert client.get(_list(pilot)).status_code == 404
    assert client.get(_detail(open_review)).status_code == 404
    response = getattr(client, method)(_detail(open_review, action), BODIES[action], format="json")
    assert response.status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_gets_401(api_client, pilot, open_review, action):
    before = _snapshot()
    assert api_client.get(_list(pilot)).status_code == 401
    assert api_client.get(_detail(open_review)).status_code == 401
    response = api_client.post(_detail(open_review, action), BODIES[action], format="json")
    assert response.status_code == 401
    assert _snapshot() == before


@pytest.mark.parametrize("action", ACTIONS)
def test_members_get_405_for_a_method_an_action_does_not_offer(api_as, pilot, review, action):
    assert api_as(pilot.manager).get(_detail(review, action)).status_code == 405


# Invalid and malformed input


def _actor(pilot, action: str):
    return pilot.rep if action == "fit" else pilot.manager


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [
        ("fit", "fit", 0),
        ("fit", "fit", 6),
        ("fit", "fit", -1),
        ("fit", "fit", HUGE),
        ("fit", "fit", "high"),
        ("fit", "fit", 2.5),
        ("fit", "fit", True),
        ("fit", "fit", None),
        ("fit", "fit", [3]),
        ("fit", "comments", {"an": "object"}),
        ("fit", "comments", "nul\x00byte"),
        ("complete", "outcome", "abandon"),
        ("complete", "outcome", ""),
        ("complete", "outcome", None),
        ("complete", "outcome", 3),
        ("complete", "outcome", ["continue"]),
        ("complete", "notes", ["a", "list"]),
    ],
    ids=repr,
)
def test_invalid_input_gets_400_on_its_field_and_changes_nothing(
    api_as, pilot, open_review, action, field, value
):
    before = _snapshot()
    body = BODIES[action] | {field: value}
    response = api_as(_actor(pilot, action)).post(_detail(open_review, action), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert _snapshot() == before


@pytest.mark.parametrize(("action", "field"), [("fit", "fit"), ("complete", "outcome")])
def test_a_fit_needs_a_value_and_completing_an_outcome(api_as, pilot, open_review, action, field):
    response = api_as(_actor(pilot, action)).post(_detail(open_review, action), {}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize("action", ["fit", "complete"])
def test_bad_json_and_lists_get_400(api_as, pilot, open_review, action):
    client = api_as(_actor(pilot, action))
    url = _detail(open_review, action)
    assert client.post(url, '{"fit": ', content_type="application/json").status_code == 400
    listed = client.post(url, [BODIES[action]], format="json")
    assert listed.status_code == 400
    assert list(listed.json()) == ["non_field_errors"]


# Query counts


@pytest.mark.parametrize("count", [3, 30])
def test_list_takes_the_same_queries_for_3_and_30_reviews(
    api_as, pilot, open_review, django_assert_num_queries, count
):
    _past_reviews(pilot.alliance, count - 1)
    client = api_as(pilot.steering)
    # the alliance, count, page of reviews with who opened and completed them
    with django_assert_num_queries(3):
        response = client.get(_list(pilot))
    assert response.json()["count"] == count


@pytest.mark.parametrize("count", [3, 30])
def test_detail_takes_the_same_queries_for_3_and_30_partners(
    api_as, pilot, open_review, django_assert_num_queries, count
):
    for _ in range(count - 3):
        PartnerFactory.create(alliance=pilot.alliance, resource_share=0)
    for partner in pilot.alliance.partners.all():
        reviews.review_record_fit(review=open_review, partner=partner, by=pilot.rep, fit=3)
    client = api_as(pilot.steering)
    # the alliance, the review, its partners, their fits with who recorded them
    with django_assert_num_queries(4):
        response = client.get(_detail(open_review))
    assert [row["fit"] for row in response.json()["fits"]] == [3] * count
