"""The alliance list: my alliances, filtered by stage and form, with an htmx partial for the results."""

import pytest
from django.urls import reverse

from alliances.models import Alliance, Role
from tests.factories import AllianceFactory, PartnerFactory, RoleFactory


@pytest.fixture
def portfolio(pilot):
    """The pilot manager also manages a proposed advocacy coalition."""
    other = AllianceFactory(
        name="Clean air advocacy", form=Alliance.Form.ADVOCACY_COALITION, stage="proposed"
    )
    RoleFactory(alliance=other, person=pilot.manager, kind=Role.Kind.COALITION_MANAGER)
    return pilot


def test_list_shows_my_alliances(client, portfolio):
    client.force_login(portfolio.manager)
    response = client.get(reverse("alliance_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Last-mile carbon pilot" in page
    assert "Clean air advocacy" in page


def test_list_filters_by_stage(client, portfolio):
    client.force_login(portfolio.manager)
    response = client.get(reverse("alliance_list"), {"stage": "proposed"})
    page = response.content.decode()
    assert "Clean air advocacy" in page
    assert "Last-mile carbon pilot" not in page


def test_list_filters_by_form(client, portfolio):
    client.force_login(portfolio.manager)
    response = client.get(reverse("alliance_list"), {"form": "joint_venture"})
    page = response.content.decode()
    assert "Last-mile carbon pilot" in page
    assert "Clean air advocacy" not in page


def test_list_ignores_an_unknown_filter_value(client, portfolio):
    client.force_login(portfolio.manager)
    response = client.get(reverse("alliance_list"), {"stage": "bogus"})
    assert response.status_code == 200
    assert "Last-mile carbon pilot" in response.content.decode()


def test_outsider_does_not_see_the_pilot_in_the_list(client, pilot, outsider):
    client.force_login(outsider)
    page = client.get(reverse("alliance_list")).content.decode()
    assert "Packaging coalition" in page
    assert "Last-mile carbon pilot" not in page


def test_filter_form_works_without_javascript(client, portfolio):
    client.force_login(portfolio.manager)
    page = client.get(reverse("alliance_list")).content.decode()
    assert f'method="get" action="{reverse("alliance_list")}"' in page
    assert '<label for="id_stage">' in page
    assert 'hx-target="#results"' in page


def test_htmx_request_gets_only_the_results(client, portfolio):
    client.force_login(portfolio.manager)
    response = client.get(
        reverse("alliance_list"), {"stage": "proposed"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert "Clean air advocacy" in page
    assert "Last-mile carbon pilot" not in page
    assert "<html" not in page
    assert "<header" not in page
    assert "<form" not in page


def _alliances_of(person, count):
    for _ in range(count):
        alliance = AllianceFactory()
        PartnerFactory(alliance=alliance)
        RoleFactory(alliance=alliance, person=person, kind=Role.Kind.COALITION_MANAGER)


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow_with_alliances(
    client, django_user_model, django_assert_num_queries, count
):
    person = django_user_model.objects.create_user(email="busy@example.org", password="x")
    _alliances_of(person, count)
    client.force_login(person)
    # ... and the header's unread count, which the partial does not show
    with django_assert_num_queries(6):
        response = client.get(reverse("alliance_list"), {"form": "joint_venture"})
    assert response.content.decode().count('<th scope="row"') == count


@pytest.mark.parametrize("count", [3, 30])
def test_htmx_partial_query_count_does_not_grow_with_alliances(
    client, django_user_model, django_assert_num_queries, count
):
    person = django_user_model.objects.create_user(email="busy@example.org", password="x")
    _alliances_of(person, count)
    client.force_login(person)
    with django_assert_num_queries(5):
        client.get(reverse("alliance_list"), headers={"HX-Request": "true"})


def test_htmx_history_restore_gets_the_whole_page(client, portfolio):
    client.force_login(portfolio.manager)
    response = client.get(
        reverse("alliance_list"),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()
