"""The interest map's pages answer in a fixed number of queries, however big the map is:
the same count for 3 partners and 5 goals as for 10 partners and 30 goals (and for the portfolio,
3 alliances as 30)."""

import pytest
from django.urls import reverse

from alliances.models import Interest, InterestLink, Role
from tests.factories import (
    AllianceFactory,
    GoalFactory,
    InterestFactory,
    InterestLinkFactory,
    PartnerFactory,
    RoleFactory,
)

HTMX = {"HX-Request": "true"}
SIZES = pytest.mark.parametrize(("partners", "goals"), [(3, 5), (10, 30)])
VISIBILITIES = list(Interest.Visibility)


def fill(alliance, partners, goals):
    """Partners with an interest of every visibility, each linked to some of the goals."""
    partners_ = list(alliance.partners.all())
    partners_ += [PartnerFactory(alliance=alliance) for _ in range(partners - len(partners_))]
    goals_ = [GoalFactory.create(alliance=alliance) for _ in range(goals)]
    for p, partner in enumerate(partners_):
        for v, visibility in enumerate(VISIBILITIES):
            interest = InterestFactory.create(
                partner=partner, visibility=visibility, summary="In short", is_red_line=v == 0
            )
            for goal in goals_[p % 3 :: 4]:
                effect = list(InterestLink.Effect)[(p + v) % 2]
                InterestLinkFactory.create(interest=interest, goal=goal, effect=effect)


def assert_same_count(django_assert_num_queries, count, fetch):
    with django_assert_num_queries(count):
        response = fetch()
    assert response.status_code == 200
    return response


READ_ONLY = {
    "map page": ("interest_map", {}, 10),  # the partial without the header's unread count
    "map partial": ("interest_map", HTMX, 9),
    "printable page": ("interest_map_print", {}, 8),
    "csv": ("interest_map_csv", {}, 8),
}


@SIZES
@pytest.mark.parametrize("page", READ_ONLY)
def test_reading_the_map(client, pilot, django_assert_num_queries, partners, goals, page):
    name, headers, count = READ_ONLY[page]
    fill(pilot.alliance, partners, goals)
    client.force_login(pilot.rep)
    url = reverse(name, kwargs={"alliance_pk": pilot.alliance.pk})
    assert_same_count(django_assert_num_queries, count, lambda: client.get(url, headers=headers))


@SIZES
def test_map_partial_after_an_htmx_change(
    client, pilot, django_assert_num_queries, partners, goals
):
    fill(pilot.alliance, partners, goals)
    client.force_login(pilot.manager)
    url = reverse("goal_add", kwargs={"alliance_pk": pilot.alliance.pk})
    post = lambda: client.post(url, {"title": "One more"}, headers=HTMX)  # noqa: E731
    assert_same_count(django_assert_num_queries, 14, post)


@SIZES
def test_interest_form_partials(client, pilot, django_assert_num_queries, partners, goals):
    fill(pilot.alliance, partners, goals)
    client.force_login(pilot.rep)
    interest = Interest.objects.filter(partner=pilot.techco).earliest("pk")
    kwargs = {"alliance_pk": pilot.alliance.pk, "interest_pk": interest.pk}
    for name, count in (("interest_edit", 8), ("interest_share", 8), ("interest_links", 9)):
        url = reverse(name, kwargs=kwargs)
        with django_assert_num_queries(count):
            assert client.get(url, headers=HTMX).status_code == 200


@pytest.mark.parametrize("alliances", [3, 30])
def test_portfolio(client, pilot, django_assert_num_queries, alliances):
    fill(pilot.alliance, 3, 5)
    for _ in range(alliances - 1):
        alliance = AllianceFactory()
        RoleFactory(alliance=alliance, person=pilot.manager, kind=Role.Kind.COALITION_MANAGER)
        fill(alliance, 2, 2)
    client.force_login(pilot.manager)
    url = reverse("interest_portfolio")
    assert_same_count(django_assert_num_queries, 8, lambda: client.get(url))
