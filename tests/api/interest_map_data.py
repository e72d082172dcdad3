"""Interest maps of a chosen size, for the tests that pin query counts as a map grows."""

from __future__ import annotations

from alliances.models import Alliance, Interest, InterestLink, Partner
from tests.factories import GoalFactory, InterestFactory, PartnerFactory

VISIBILITIES = list(Interest.Visibility)


def fill_interest_map(alliance: Alliance, *, partners: int, goals: int) -> None:
    """Grow the alliance to this many partners and goals. Every partner gets an interest of each
    visibility, and each interest supports or works against every goal."""
    missing = partners - alliance.partners.count()
    PartnerFactory.create_batch(missing, alliance=alliance, resource_share=0)
    made_goals = GoalFactory.create_batch(goals, alliance=alliance)
    links = []
    for partner in Partner.objects.filter(alliance=alliance):
        for number, visibility in enumerate(VISIBILITIES):
            interest = InterestFactory.create(
                partner=partner,
                visibility=visibility,
                summary="In short",
                is_red_line=number == 0,
                kind=Interest.Kind.IMPLICIT if number else Interest.Kind.EXPLICIT,
            )
            links += [
                InterestLink(
                    interest=interest,
                    goal=goal,
                    effect=list(InterestLink.Effect)[(number + index) % 2],
                    note="Why",
                )
                for index, goal in enumerate(made_goals)
            ]
    InterestLink.objects.bulk_create(links)
