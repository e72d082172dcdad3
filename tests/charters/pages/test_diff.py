"""Two charter versions side by side: the rules topic by topic, the text line by line."""

import re

from django.urls import reverse

from charters import services
from charters.rules import Mode

from .conftest import adopt, draft, pilot_rules


def _url(pilot):
    return reverse("charter_diff", kwargs={"alliance_pk": pilot.alliance.pk})


def _second_draft(pilot):
    rules = pilot_rules(pilot)
    rules.scopes["budget"].mode = Mode.TWO_THIRDS
    version = services.version_draft(alliance=pilot.alliance, by=pilot.manager)
    return services.version_update(
        version=version,
        summary="Budget by two thirds",
        prose="# Our charter\n\nWe vote.",
        rules=rules,
    )


def test_by_default_the_version_in_force_is_compared_with_the_newest(client, pilot, adopted):
    _second_draft(pilot)
    client.force_login(pilot.steering)
    page = client.get(_url(pilot)).content.decode()
    assert "Version 1 · Adopted" in page
    assert "Version 2 · Draft" in page
    assert re.search(r'diff__row--changed">\s*<th scope="row">Budget', page)
    assert "Two-thirds majority" in page
    assert "We decide together." in page
    assert "We vote." in page


def test_any_two_versions_can_be_picked_and_htmx_gets_the_comparison_only(
    client, pilot, delegates, adopted
):
    v2 = _second_draft(pilot)
    adopt(pilot, delegates, v2)
    client.force_login(pilot.rep)
    response = client.get(
        _url(pilot), {"from": v2.pk, "to": adopted.pk}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="comparison"')
    assert page.index("Version 2 · Adopted") < page.index("Version 1 · Superseded")


def test_without_versions_there_is_nothing_to_compare(client, pilot):
    client.force_login(pilot.rep)
    assert "No versions to compare yet." in client.get(_url(pilot)).content.decode()


def test_a_version_of_another_alliance_is_ignored(client, pilot, outsider, adopted):
    client.force_login(pilot.rep)
    response = client.get(_url(pilot), {"from": "999999", "to": adopted.pk})
    assert response.status_code == 200
    assert "Version 1 · Adopted" in response.content.decode()


def test_outsider_gets_404_for_the_diff(client, pilot, outsider):
    draft(pilot)
    client.force_login(outsider)
    assert client.get(_url(pilot)).status_code == 404
