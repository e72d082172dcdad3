"""Open escalations and partners serving notice on the dashboard."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charters import exits
from charters.escalations import escalation_raise


def _raise(pilot, n):
    for i in range(n):
        escalation_raise(alliance=pilot.alliance, by=pilot.rep, title=f"Dispute {i}",
                         description="d", scope="budget", partners=[pilot.techco])  # fmt: skip


def test_the_dashboard_shows_open_escalations_with_level_and_time_left_and_notices(
    client, pilot, ladder_in_force
):
    _raise(pilot, 1)
    exits.exit_plan_save(alliance=pilot.alliance, by=pilot.manager, notice_period_days=90)
    exits.exit_notice_give(partner=pilot.logicorp, by=pilot.manager, reason="x")
    client.force_login(pilot.rep)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Open escalations" in html
    assert "Dispute 0" in html
    assert "Working group" in html
    assert "left" in html
    assert "LogiCorp leaves" in html


def test_the_outsider_sees_none_of_the_pilots(client, pilot, ladder_in_force, outsider):
    _raise(pilot, 1)
    client.force_login(outsider)
    assert "Dispute 0" not in client.get(reverse("dashboard")).content.decode()


def _queries(client, person):
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("dashboard"))
    return len(queries)


def test_the_dashboard_takes_the_same_queries_with_3_or_30_escalations(
    client, pilot, ladder_in_force
):
    _raise(pilot, 3)
    few = _queries(client, pilot.rep)
    _raise(pilot, 27)
    assert _queries(client, pilot.rep) == few
