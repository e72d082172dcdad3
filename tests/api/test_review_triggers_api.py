"""/api/v1/alliances/{alliance_pk}/review-triggers/ and the alliance's early-review thresholds."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from alliances.models import Alliance, Review, ReviewTrigger
from alliances.reviews import review_open_early


def _url(alliance: Alliance) -> str:
    return f"/api/v1/alliances/{alliance.pk}/review-triggers/"


def test_members_read_the_conditions_that_opened_a_review_early(api_as, pilot):
    now = timezone.now()
    first = review_open_early(
        alliance=pilot.alliance, key="escalations", reason="Three escalations.", now=now
    )
    later = review_open_early(
        alliance=pilot.alliance,
        key="layer:relational",
        reason="Trust at risk.",
        now=now + timedelta(hours=1),
    )
    assert first is not None
    assert later is not None
    ReviewTrigger.objects.filter(pk=first.pk).update(cleared_at=now + timedelta(days=2))

    response = api_as(pilot.steering).get(_url(pilot.alliance))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["key"], r["reason"], r["active"]) for r in rows] == [
        ("layer:relational", "Trust at risk.", True),
        ("escalations", "Three escalations.", False),
    ]
    review = Review.objects.get(alliance=pilot.alliance)
    assert {r["review"] for r in rows} == {review.pk}

    active = api_as(pilot.steering).get(_url(pilot.alliance), {"active": "true"}).json()
    assert [r["key"] for r in active["results"]] == ["layer:relational"]
    assert api_as(pilot.steering).get(_url(pilot.alliance), {"active": "maybe"}).status_code == 400


def test_outsiders_do_not_learn_of_an_alliance_s_triggers(api_as, pilot, outsider):
    assert api_as(outsider).get(_url(pilot.alliance)).status_code == 404


def test_managers_set_the_thresholds_through_the_api(api_as, pilot):
    url = f"/api/v1/alliances/{pilot.alliance.pk}/"
    response = api_as(pilot.manager).patch(
        url, {"review_when_open_escalations": 2, "review_when_missed_commitments": 0}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["review_when_open_escalations"] == 2
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.review_when_missed_commitments == 0

    bad = api_as(pilot.manager).patch(url, {"review_when_open_escalations": -1}, format="json")
    assert bad.status_code == 400
    assert "review_when_open_escalations" in bad.json()
    pilot.alliance.refresh_from_db()
    assert pilot.alliance.review_when_open_escalations == 2
