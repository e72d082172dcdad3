"""The governance audit as of a past moment (the demo back-fills health that way): only the
partners that had joined by that day (UTC) and not yet left, and only the people holding a
role granted by then; and the same answer whatever the reader's time zone."""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from alliances.models import Alliance, Partner, Role
from charters.audit import Status, audit_many
from tests.factories import AllianceFactory, PartnerFactory

NOW = timezone.now()
TODAY = NOW.astimezone(UTC).date()
SECOND = timedelta(seconds=1)


def _statuses(alliance, now=NOW):
    return {item.key: item.status for item in audit_many([alliance], now)[alliance.pk]}


def _start_of(day):
    return datetime.combine(day, time(), tzinfo=UTC)


def _joined(partner, day):
    Partner.objects.filter(pk=partner.pk).update(joined_on=day)


def test_a_partner_counts_from_the_start_of_the_day_it_joined(pilot):
    # TechCo 40 and LogiCorp 35 are balanced; with GreenAlliance's 25 the shares are uneven.
    for partner in (pilot.techco, pilot.logicorp):
        _joined(partner, TODAY - timedelta(days=30))
    joined = TODAY - timedelta(days=5)
    _joined(pilot.greenalliance, joined)

    assert _statuses(pilot.alliance, _start_of(joined) - SECOND)["minority"] == Status.PASSED
    assert _statuses(pilot.alliance, _start_of(joined))["minority"] == Status.ADVISED
    assert _statuses(pilot.alliance)["minority"] == Status.ADVISED


def test_a_partner_that_joins_later_is_not_counted_yet(pilot):
    _joined(pilot.greenalliance, TODAY + timedelta(days=1))

    assert _statuses(pilot.alliance)["minority"] == Status.PASSED  # 40 against 35


def test_a_partner_counts_until_the_start_of_its_exit_day(pilot):
    for partner in (pilot.techco, pilot.logicorp, pilot.greenalliance):
        _joined(partner, TODAY - timedelta(days=30))
    left = TODAY - timedelta(days=3)
    Partner.objects.filter(pk=pilot.greenalliance.pk).update(exited_on=left)

    assert _statuses(pilot.alliance, _start_of(left) - SECOND)["minority"] == Status.ADVISED
    assert _statuses(pilot.alliance, _start_of(left))["minority"] == Status.PASSED


def test_people_count_from_when_their_role_was_granted(pilot):
    # The pilot's manager, representative and steering member: three people, no advice.
    Role.objects.filter(alliance=pilot.alliance).update(granted_at=NOW - timedelta(days=10))
    assert "one_page" not in _statuses(pilot.alliance)
    granted = NOW - timedelta(days=2)
    Role.objects.filter(alliance=pilot.alliance, person=pilot.steering).update(granted_at=granted)

    assert _statuses(pilot.alliance, granted - SECOND)["one_page"] == Status.ADVISED
    assert "one_page" not in _statuses(pilot.alliance, granted)


def _created_late_on(day, *, lasts_days):
    """An alliance created at 23:30 UTC on ``day`` (the next day east of UTC)."""
    alliance = AllianceFactory.create(
        form=Alliance.Form.PROJECT_BASED, expected_end=day + timedelta(days=lasts_days)
    )
    for share in (50, 50):
        PartnerFactory.create(alliance=alliance, resource_share=share)
    created = datetime.combine(day, time(23, 30), tzinfo=UTC)
    Alliance.objects.filter(pk=alliance.pk).update(created_at=created)
    alliance.refresh_from_db()
    return alliance


def test_a_short_alliance_is_counted_in_utc_days_whatever_the_readers_zone(db):
    day = TODAY - timedelta(days=10)
    short = _created_late_on(day, lasts_days=182)
    long = _created_late_on(day, lasts_days=183)

    for zone in ("UTC", "Asia/Tokyo", "America/Los_Angeles"):
        with timezone.override(zone):
            found = audit_many([short, long], NOW)
        advice = {pk: {i.key: i.reason for i in items}["one_page"] for pk, items in found.items()}
        # Both have fewer than three people; only the first is short.
        assert advice[short.pk].startswith("Expected to last under six months"), zone
        assert advice[long.pk].startswith("Fewer than three people take part"), zone
