"""The pilot's interest map with one interest of every visibility, for the interest page tests.

Strings in capitals are what other organisations must never read: the tests search every
response for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from alliances.models import Goal, Interest, InterestLink
from tests.conftest import Pilot
from tests.factories import GoalFactory, InterestFactory, InterestLinkFactory

TECHCO_DRAFT = "TECHCO-DRAFT worried the pilot dents our brand"
TECHCO_STATEMENT = "TECHCO-STATEMENT keep the platform source closed"
TECHCO_SUMMARY = "TechCo wants to keep control of its platform"
TECHCO_NOTE = "TECHCO-NOTE open data would expose the code"
LOGICORP_DRAFT = "LOGICORP-DRAFT the drivers union must not hear of tracking"
LOGICORP_STATEMENT = "LOGICORP-STATEMENT we lose money on every rural stop"
LOGICORP_SUMMARY = "LogiCorp wants predictable volumes"
TECHCO_SECRETS = (TECHCO_DRAFT, TECHCO_STATEMENT, TECHCO_NOTE)
LOGICORP_SECRETS = (LOGICORP_DRAFT, LOGICORP_STATEMENT)


@dataclass
class Mapped:
    pilot: Pilot
    speed: Goal
    open_data: Goal
    product: Goal
    techco_shared: Interest
    techco_summary: Interest
    techco_draft: Interest
    logicorp_shared: Interest
    logicorp_summary: Interest
    logicorp_draft: Interest
    green_implicit: Interest

    def url(self, name: str, **kwargs: int) -> str:
        return reverse(name, kwargs={"alliance_pk": self.pilot.alliance.pk, **kwargs})


def interest(partner, statement, **fields) -> Interest:
    # Written by one of the partner's people: a full_clean() refuses an interest without its author.
    author = partner.organization.members.first()
    return InterestFactory.create(partner=partner, statement=statement, created_by=author, **fields)


def map_pilot(pilot: Pilot) -> Mapped:
    alliance = pilot.alliance
    speed = GoalFactory.create(alliance=alliance, title="Next-day delivery for 95% of parcels")
    open_data = GoalFactory.create(alliance=alliance, title="Publish the emissions data openly")
    product = GoalFactory.create(alliance=alliance, title="A tracking product for other fleets")
    summary_only = {"visibility": Interest.Visibility.SUMMARY}
    draft = {"visibility": Interest.Visibility.ORGANIZATION}
    implicit = {"kind": Interest.Kind.IMPLICIT}
    mapped = Mapped(
        pilot,
        speed,
        open_data,
        product,
        techco_shared=interest(pilot.techco, "A product we can sell on", importance=5),
        techco_summary=interest(
            pilot.techco, TECHCO_STATEMENT, summary=TECHCO_SUMMARY, is_red_line=True,
            **summary_only, **implicit,
        ),
        techco_draft=interest(pilot.techco, TECHCO_DRAFT, **draft, **implicit),
        logicorp_shared=interest(pilot.logicorp, "Reliable, fast delivery", importance=4),
        logicorp_summary=interest(
            pilot.logicorp, LOGICORP_STATEMENT, summary=LOGICORP_SUMMARY, **summary_only
        ),
        logicorp_draft=interest(
            pilot.logicorp, LOGICORP_DRAFT, is_red_line=True, **draft, **implicit
        ),
        green_implicit=interest(pilot.greenalliance, "Credible, public data", **implicit),
    )  # fmt: skip
    conflicts = InterestLink.Effect.CONFLICTS
    InterestLinkFactory.create(interest=mapped.techco_shared, goal=product)
    InterestLinkFactory.create(
        interest=mapped.techco_summary, goal=open_data, effect=conflicts, note=TECHCO_NOTE
    )
    InterestLinkFactory.create(interest=mapped.logicorp_shared, goal=speed)
    InterestLinkFactory.create(interest=mapped.logicorp_draft, goal=open_data, effect=conflicts)
    InterestLinkFactory.create(interest=mapped.green_implicit, goal=open_data)
    return mapped
