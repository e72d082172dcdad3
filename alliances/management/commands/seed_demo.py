"""The guide's worked example as demo data: three partners running a last-mile carbon pilot.

Idempotent: every object is looked up by its natural key first, so a second run changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from alliances import health, services
from alliances.models import (
    Alliance,
    HealthSnapshot,
    Interest,
    InterestLink,
    Notification,
    Organization,
    OrganizationMembership,
    Review,
    Role,
    StageTransition,
    User,
    VisibilityChange,
)
from alliances.reviews import send_review_reminders

DEMO_PASSWORD = "alliance-demo"
PILOT_NAME = "Last-mile carbon tracking pilot"
OTHER_NAME = "Reusable packaging coalition"

ORGANIZATIONS = {
    "techco": ("TechCo", "DE", Organization.Kind.COMPANY),
    "logicorp": ("LogiCorp", "NL", Organization.Kind.COMPANY),
    "greenalliance": ("GreenAlliance", "GB", Organization.Kind.NONPROFIT),
    "elsewhere": ("Elsewhere Packaging Ltd", "IE", Organization.Kind.COMPANY),
    "refill": ("Refill Network", "IE", Organization.Kind.NONPROFIT),
}

# email, first name, last name, organisation, alliance, role
PEOPLE = [
    ("manager@greenalliance.example", "Maya", "Okafor", "greenalliance", PILOT_NAME,
     Role.Kind.COALITION_MANAGER),
    ("rep@techco.example", "Tomas", "Berg", "techco", PILOT_NAME,
     Role.Kind.PARTNER_REPRESENTATIVE),
    ("rep@logicorp.example", "Lena", "de Vries", "logicorp", PILOT_NAME,
     Role.Kind.PARTNER_REPRESENTATIVE),
    ("steering@techco.example", "Anika", "Hoffmann", "techco", PILOT_NAME,
     Role.Kind.STEERING_COMMITTEE),
    ("steering@logicorp.example", "Joost", "Jansen", "logicorp", PILOT_NAME,
     Role.Kind.STEERING_COMMITTEE),
    ("steering@greenalliance.example", "Priya", "Shah", "greenalliance", PILOT_NAME,
     Role.Kind.STEERING_COMMITTEE),
    ("outsider@elsewhere.example", "Ollie", "Byrne", "elsewhere", OTHER_NAME,
     Role.Kind.COALITION_MANAGER),
]  # fmt: skip

PEOPLE_TIME_ZONES = {
    "techco": "Europe/Berlin",
    "logicorp": "Europe/Amsterdam",
    "greenalliance": "Europe/London",
    "elsewhere": "Europe/Dublin",
}


class Command(BaseCommand):
    help = "Create the demo alliances and sign-ins (safe to run again: it changes nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        # Each step looks for its own data first, so a database seeded by an older version
        # of this command gains the newer parts and nothing else changes.
        with transaction.atomic():
            created = self.seed()
            pilot = Alliance.objects.get(name=PILOT_NAME)
            if not pilot.goals.exists():
                self.seed_interest_map(pilot)
                self.backdate_interest_map(pilot, days_ago=135)
                created = True
            if not Notification.objects.filter(alliance=pilot).exists():
                self.seed_review_reminder(pilot)
                created = True
            created |= self.seed_manager_portfolio()
            created |= self.seed_other_apps(pilot)
            created |= self.seed_settlement(pilot)
            if not HealthSnapshot.objects.filter(alliance=pilot).exists():
                self.seed_health_history()
                created = True
            if created:
                # What the hourly health check would do at once: today's scores, and the
                # early reviews the facts call for.
                running = Alliance.objects.filter(stage__in=health.ASSESSED_STAGES)
                health.check_health(list(running), timezone.now())
        self.stdout.write(
            self.style.SUCCESS("Demo data created.") if created else "Demo data already present."
        )
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        for email, *_, role in PEOPLE:
            self.stdout.write(f"  {email:34} {Role.Kind(role).label}")

    def seed(self) -> bool:
        if Alliance.objects.filter(name=PILOT_NAME).exists():
            return False
        orgs = {
            key: Organization.objects.get_or_create(
                name=name, defaults={"country": country, "kind": kind}
            )[0]
            for key, (name, country, kind) in ORGANIZATIONS.items()
        }
        people = {email: self.person(email, first, last, orgs[org], org)
                  for email, first, last, org, *_ in PEOPLE}  # fmt: skip
        today = timezone.localdate()
        pilot = self.alliance(
            name=PILOT_NAME,
            by=people["manager@greenalliance.example"],
            age=timedelta(days=170),
            purpose=(
                "Measure the carbon emitted by last-mile deliveries with a tracking platform, "
                "a real delivery network and independent oversight, and publish the results."
            ),
            form=Alliance.Form.PROJECT_BASED,
            expected_end=today + timedelta(days=200),
            review_cadence_months=Alliance.ReviewCadence.HALF_YEARLY,
        )
        other = self.alliance(
            name=OTHER_NAME,
            by=people["outsider@elsewhere.example"],
            age=timedelta(days=60),
            purpose="Make refillable packaging the default for regional grocers.",
            form=Alliance.Form.ADVOCACY_COALITION,
        )
        shares = {"techco": 40, "logicorp": 35, "greenalliance": 25}
        partners = {
            key: services.partner_add(
                alliance=pilot,
                organization=orgs[key],
                resource_share=Decimal(share),
                joined_on=today - timedelta(days=170),
            )
            for key, share in shares.items()
        }
        for key, share in (("elsewhere", 60), ("refill", 40)):
            partners[key] = services.partner_add(
                alliance=other,
                organization=orgs[key],
                resource_share=Decimal(share),
                joined_on=today - timedelta(days=60),
            )
        for email, _first, _last, org, alliance_name, kind in PEOPLE:
            if kind == Role.Kind.COALITION_MANAGER:
                continue  # alliance_create made the creator its manager
            alliance = pilot if alliance_name == PILOT_NAME else other
            services.role_grant(
                alliance=alliance, person=people[email], kind=kind, partner=partners[org]
            )
        # The nonprofit's coordinator also keeps its interests on the map.
        services.role_grant(
            alliance=pilot,
            person=people["manager@greenalliance.example"],
            kind=Role.Kind.PARTNER_REPRESENTATIVE,
            partner=partners["greenalliance"],
        )
        services.role_grant(
            alliance=other,
            person=people["outsider@elsewhere.example"],
            kind=Role.Kind.PARTNER_REPRESENTATIVE,
            partner=partners["elsewhere"],
        )
        # Everyone took up their role when their alliance began, not today.
        for alliance, age in ((pilot, 170), (other, 60)):
            Role.objects.filter(alliance=alliance).update(
                granted_at=timezone.now() - timedelta(days=age)
            )
        services.invitation_create(
            alliance=pilot,
            by=people["manager@greenalliance.example"],
            email="sponsor@techco.example",
            kind=Role.Kind.EXECUTIVE_SPONSOR,
            partner=partners["techco"],
        )
        return True

    def person(self, email: str, first: str, last: str, org: Organization, key: str) -> User:
        person = User.objects.filter(email=email).first()
        if person is None:
            person = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                time_zone=PEOPLE_TIME_ZONES.get(key, "UTC"),
            )
        OrganizationMembership.objects.get_or_create(organization=org, person=person)
        return person

    def alliance(self, *, name: str, by: User, age: timedelta, **fields: Any) -> Alliance:
        """Create the alliance and walk it to active, backdating each step of its history."""
        alliance = services.alliance_create(by=by, name=name, **fields)
        started = timezone.now() - age
        StageTransition.objects.filter(alliance=alliance).update(at=started)
        alliance.move_to(Alliance.Stage.FORMING, by=by, note="Partners agreed to explore the idea.")
        alliance.move_to(Alliance.Stage.ACTIVE, by=by, note="Pilot agreement signed.")
        steps = StageTransition.objects.filter(alliance=alliance).exclude(from_stage="")
        for step in steps:
            offset = (
                timedelta(days=10) if step.to_stage == Alliance.Stage.FORMING else timedelta(30)
            )
            StageTransition.objects.filter(pk=step.pk).update(at=started + offset)
        return alliance

    def seed_interest_map(self, pilot: Alliance) -> None:
        """The pilot's goals and each partner's interests, including what goes unsaid."""
        today = timezone.localdate()
        goal_fields: dict[str, dict[str, Any]] = {
            "measure": {
                "title": "Measure last-mile emissions for every delivery",
                "measure": "Share of pilot deliveries with a verified CO2e figure",
                "target_date": today + timedelta(days=60),
            },
            "open_data": {
                "title": "Publish an open, verifiable emissions dataset",
                "measure": "A quarterly dataset under an open licence, independently checked",
                "target_date": today + timedelta(days=120),
            },
            "on_time": {
                "title": "Keep deliveries on time",
                "measure": "On-time rate on pilot routes stays at 97% or more",
            },
            "funding": {
                "title": "Fund the pilot beyond the grant",
                "measure": "Retailer fees cover running costs by the end of the pilot",
                "target_date": today + timedelta(days=200),
            },
        }
        goals = {
            key: services.goal_create(alliance=pilot, **fields)
            for key, fields in goal_fields.items()
        }
        partners = {p.organization.name: p for p in pilot.partners.select_related("organization")}
        people = {p.email: p for p in User.objects.filter(email__in=[e for e, *_ in PEOPLE])}
        Visibility, Kind = Interest.Visibility, Interest.Kind
        interests = [
            # partner, author, kind, visibility, importance, red line, statement, summary, links
            ("TechCo", "rep@techco.example", Kind.EXPLICIT, Visibility.ALLIANCE, 4, False,
             "Prove the tracking platform works across a real delivery fleet.", "",
             [("measure", "supports", "")]),
            ("TechCo", "rep@techco.example", Kind.IMPLICIT, Visibility.SUMMARY, 5, True,
             "Turn the pilot into a product we can sell to other logistics clients, and keep "
             "the rights to algorithms derived from pilot data.",
             "Wants the platform work to be reusable beyond the pilot.",
             [("measure", "supports", ""),
              ("open_data", "conflicts", "Open raw data lets competitors train the same models.")]),
            ("LogiCorp", "rep@logicorp.example", Kind.EXPLICIT, Visibility.ALLIANCE, 3, False,
             "Cut fuel costs on dense urban routes.", "",
             [("measure", "supports", "")]),
            ("LogiCorp", "rep@logicorp.example", Kind.IMPLICIT, Visibility.ALLIANCE, 5, True,
             "Speed and reliability come first: nothing may slow the drivers down.", "",
             [("on_time", "supports", ""),
              ("measure", "conflicts", "Extra scanning steps at each stop cost drivers time.")]),
            ("GreenAlliance", "manager@greenalliance.example", Kind.EXPLICIT, Visibility.ALLIANCE,
             4, False, "Bring in grant funding and keep the pilot fundable.", "",
             [("funding", "supports", "")]),
            ("GreenAlliance", "manager@greenalliance.example", Kind.IMPLICIT, Visibility.ALLIANCE,
             5, True, "The data must be credible and publicly accessible.", "",
             [("open_data", "supports", "")]),
            ("GreenAlliance", "manager@greenalliance.example", Kind.IMPLICIT,
             Visibility.ORGANIZATION, 4, False,
             "Avoid any impression that we endorse TechCo's commercial product.", "", []),
        ]  # fmt: skip
        for (
            partner,
            author,
            kind,
            visibility,
            importance,
            red_line,
            statement,
            summary,
            links,
        ) in interests:
            interest = services.interest_create(
                partner=partners[partner],
                by=people[author],
                kind=kind,
                visibility=visibility,
                importance=importance,
                is_red_line=red_line,
                statement=statement,
                summary=summary,
            )
            for goal, effect, note in links:
                services.interest_link(
                    interest=interest, goal=goals[goal], effect=effect, note=note, by=people[author]
                )

    def seed_other_apps(self, pilot: Alliance) -> bool:
        """Apps built on this one (charters, ...) add their part of the demo in <app>/demo.py;
        this app imports none of them."""
        created = False
        for app in apps.get_app_configs():
            if app.name != "alliances" and module_has_submodule(app.module, "demo"):
                created |= import_module(f"{app.name}.demo").seed(pilot)
        return created

    def seed_review_reminder(self, pilot: Alliance) -> None:
        """The six-month review falls due in a few days; its 7-day reminder has gone out."""
        now = timezone.now()
        review = pilot.reviews.get(status=Review.Status.SCHEDULED)
        review.due_at = now + timedelta(days=5)
        review.save(update_fields=["due_at"])
        send_review_reminders([review], review.due_at - timedelta(days=7))

    def seed_manager_portfolio(self) -> bool:
        """The pilot's manager also speaks for GreenAlliance in the packaging coalition, so her
        portfolio holds two alliances with different profiles (the outsider still sees
        nothing of the pilot)."""
        other = Alliance.objects.filter(name=OTHER_NAME).first()
        green = Organization.objects.filter(name="GreenAlliance").first()
        manager = User.objects.filter(email="manager@greenalliance.example").first()
        if other is None or green is None or manager is None:
            return False
        if other.partners.filter(organization=green).exists():
            return False
        other.partners.filter(organization__name="Elsewhere Packaging Ltd").update(
            resource_share=Decimal(50)
        )
        joined = timezone.now() - timedelta(days=30)
        partner = services.partner_add(
            alliance=other,
            organization=green,
            resource_share=Decimal(10),
            joined_on=timezone.localdate(joined),
        )
        role = services.role_grant(
            alliance=other, person=manager, kind=Role.Kind.PARTNER_REPRESENTATIVE, partner=partner
        )
        Role.objects.filter(pk=role.pk).update(granted_at=joined)
        return True

    def backdate_interest_map(self, pilot: Alliance, *, days_ago: int) -> None:
        """The partners mapped their interests early in the pilot, so its health history
        (assessed as of each past week) shows the map from then on, not from today."""
        then = timezone.now() - timedelta(days=days_ago)
        pilot.goals.update(created_at=then)
        interests = Interest.objects.filter(partner__alliance=pilot)
        interests.update(created_at=then)
        InterestLink.objects.filter(interest__in=interests).update(created_at=then)
        VisibilityChange.objects.filter(interest__in=interests).update(at=then)

    def seed_settlement(self, pilot: Alliance) -> bool:
        """The steering committee settled the data-ownership dispute (charters/demo.py): the
        open dataset no longer works against TechCo's interest in its algorithms."""
        link = InterestLink.objects.filter(
            interest__partner__alliance=pilot,
            interest__partner__organization__name="TechCo",
            interest__is_red_line=True,
            goal__title__startswith="Publish an open",
            effect=InterestLink.Effect.CONFLICTS,
        ).first()
        if link is None:
            return False
        services.interest_link(
            interest=link.interest,
            goal=link.goal,
            effect=InterestLink.Effect.SUPPORTS,
            note="Settled by the steering committee: pilot data stays open and TechCo keeps "
            "the rights to the algorithms it derives from it.",
            by=link.created_by or pilot.people()[0],
        )
        return True

    def seed_health_history(self) -> None:
        """Weekly health records since each alliance became active, assessed as of each week, so the
        history chart tells the demo's story: the dispute, the missed deadline, the recovery."""
        now = timezone.now()
        for alliance in Alliance.objects.filter(stage__in=health.ASSESSED_STAGES):
            began = (
                alliance.transitions.filter(to_stage=Alliance.Stage.ACTIVE)
                .order_by("at")
                .values_list("at", flat=True)
                .first()
                or now
            )
            moment = began + timedelta(days=7)
            while moment < now:
                health.record([health.assess(alliance, moment)], moment)
                moment += timedelta(days=7)
