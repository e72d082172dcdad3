"""The charter page: the version in force in plain language, the open draft, the history and the audit."""

import pytest
from django.urls import reverse

from charters import services
from charters.models import CharterVersion

from .conftest import adopt, draft


def _url(pilot):
    return reverse("charter", kwargs={"alliance_pk": pilot.alliance.pk})


@pytest.mark.parametrize("persona", ["manager", "rep", "steering"])
def test_members_see_the_charter_in_force_in_plain_language(client, pilot, adopted, persona):
    client.force_login(getattr(pilot, persona))
    page = client.get(_url(pilot)).content.decode()
    assert "In force: version 1" in page
    assert "Simple majority" in page
    assert "Working group (7 d) → Steering committee" in page
    assert "<h1>Our charter</h1>" in page


def test_outsider_gets_404_for_the_charter(client, pilot, outsider):
    client.force_login(outsider)
    assert client.get(_url(pilot)).status_code == 404


def test_an_alliance_without_charter_is_told_that_every_decision_needs_everyone(client, pilot):
    client.force_login(pilot.rep)
    page = client.get(_url(pilot)).content.decode()
    assert "No charter in force yet" in page
    assert "every partner's yes" in page
    assert "Write the first version" not in page  # not a manager


def test_the_governance_audit_shows_each_item_with_its_reason(client, pilot):
    client.force_login(pilot.rep)
    page = client.get(_url(pilot)).content.decode()
    assert "Governance audit" in page
    assert "Mutual exit plan" in page
    assert "No exit plan yet" in page
    assert "Missing" in page


def test_manager_starts_a_new_version_from_the_one_in_force(client, pilot, adopted):
    client.force_login(pilot.manager)
    response = client.post(
        reverse("charter_version_start", kwargs={"alliance_pk": pilot.alliance.pk})
    )
    new = CharterVersion.objects.get(number=2)
    assert response.url == reverse(
        "charter_version_edit", kwargs={"alliance_pk": pilot.alliance.pk, "version_pk": new.pk}
    )
    assert (new.status, new.prose, new.rules_json) == ("draft", adopted.prose, adopted.rules_json)


@pytest.mark.parametrize("persona", ["rep", "steering"])
def test_non_managers_get_403_when_starting_a_version(client, pilot, persona):
    client.force_login(getattr(pilot, persona))
    response = client.post(
        reverse("charter_version_start", kwargs={"alliance_pk": pilot.alliance.pk})
    )
    assert response.status_code == 403
    assert not CharterVersion.objects.exists()


def test_starting_a_second_draft_says_to_finish_the_first(client, pilot):
    draft(pilot)
    client.force_login(pilot.manager)
    url = reverse("charter_version_start", kwargs={"alliance_pk": pilot.alliance.pk})
    response = client.post(url, follow=True)
    assert "Finish or withdraw the open draft" in response.content.decode()
    assert CharterVersion.objects.count() == 1


def test_prose_with_a_script_is_rendered_harmless(client, pilot, delegates):
    version = draft(pilot, prose='Hello <script>alert("x")</script> [x](javascript:alert(1))')
    adopt(pilot, delegates, version)
    client.force_login(pilot.rep)
    for url in (
        _url(pilot),
        reverse(
            "charter_version", kwargs={"alliance_pk": pilot.alliance.pk, "version_pk": version.pk}
        ),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "javascript:alert" not in page


@pytest.mark.parametrize("count", [3, 30])
def test_charter_page_queries_do_not_grow_with_versions(
    client, pilot, delegates, count, django_assert_num_queries
):
    for _ in range(count):
        version = draft(pilot)
        services.version_withdraw(version=version) if _ < count - 1 else adopt(
            pilot, delegates, version
        )
    client.force_login(pilot.rep)
    with django_assert_num_queries(12):
        assert client.get(_url(pilot)).status_code == 200
