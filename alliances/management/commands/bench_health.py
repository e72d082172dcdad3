"""Measure alliance health on its real code path: a portfolio of N alliances, and the hourly
health checks of those N alliances.

    python manage.py bench_health --count 300

Everything it creates lives in scratch alliances and is deleted afterwards. It prints two
lines:
``portfolio of N alliances: Q queries in S s`` and
``health-checked N alliances in S s: R/s, snapshots K``.
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliances import health, timers
from alliances.models import (
    Alliance,
    Goal,
    HealthSnapshot,
    Interest,
    InterestLink,
    Organization,
    OrganizationMembership,
    Partner,
    Review,
    Role,
    User,
)
from alliances.portfolio import Query, person_portfolio


class Command(BaseCommand):
    help = "Build a portfolio of N scratch alliances and health-check them; print the figures."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", type=int, default=300)

    def handle(self, *args: Any, count: int, **options: Any) -> None:
        if count < 1:
            raise CommandError("--count must be at least 1.")
        tag = f"bench-{uuid.uuid4().hex[:8]}"
        person = self._scratch(tag, count)
        try:
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                portfolio = person_portfolio(person, Query())
            portfolio_seconds = time.perf_counter() - started
            if len(portfolio.rows) != count:
                raise CommandError(f"expected {count} rows, got {len(portfolio.rows)}")
            Alliance.objects.filter(name__startswith=tag).update(health_check_at=timezone.now())
            started = time.perf_counter()
            timers.sweep(health.HEALTH_CHECKS, timezone.now(), max_batches=count)
            check_seconds = time.perf_counter() - started
            snapshots = HealthSnapshot.objects.filter(alliance__name__startswith=tag).count()
        finally:
            self._clean_up(tag, person)
        rate = count / check_seconds if check_seconds else float("inf")
        self.stdout.write(
            f"portfolio of {count} alliances: {len(queries.captured_queries)} queries "
            f"in {portfolio_seconds:.2f} s"
        )
        self.stdout.write(
            f"health-checked {count} alliances in {check_seconds:.2f} s: {rate:,.0f}/s, "
            f"snapshots {snapshots}"
        )

    @transaction.atomic
    def _scratch(self, tag: str, count: int) -> User:
        """One manager and N active alliances of three partners, each with two goals, an
        interest per partner (one of them a red line the second goal works against) and a
        review due within the month."""
        person = User.objects.create_user(email=f"{tag}@bench.invalid", password=None)
        organizations = Organization.objects.bulk_create(
            Organization(name=f"{tag} org {n}", country=country, kind=Organization.Kind.COMPANY)
            for n, country in enumerate(("DE", "NL", "GB"))
        )
        OrganizationMembership.objects.create(organization=organizations[0], person=person)
        alliances = Alliance.objects.bulk_create(
            Alliance(name=f"{tag} {n:05}", purpose="benchmark", form=Alliance.Form.INFORMAL,
                     stage=Alliance.Stage.ACTIVE, health_check_at=None)
            for n in range(count)
        )  # fmt: skip
        Role.objects.bulk_create(
            Role(alliance=a, person=person, kind=Role.Kind.COALITION_MANAGER) for a in alliances
        )
        partners = Partner.objects.bulk_create(
            Partner(alliance=a, organization=o, resource_share=30)
            for a in alliances
            for o in organizations
        )
        goals = Goal.objects.bulk_create(
            Goal(alliance=a, title=title, measure="benchmark")
            for a in alliances
            for title in ("Serve", "Strain")
        )
        interests = Interest.objects.bulk_create(
            Interest(partner=p, kind=Interest.Kind.EXPLICIT, statement="benchmark",
                     importance=3, is_red_line=n % 3 == 0,
                     visibility=Interest.Visibility.ALLIANCE)
            for n, p in enumerate(partners)
        )  # fmt: skip
        goals_of = {a.pk: [g for g in goals if g.alliance_id == a.pk] for a in alliances}
        partner_alliance = {p.pk: p.alliance_id for p in partners}
        links = []
        for n, interest in enumerate(interests):
            serve, strain = goals_of[partner_alliance[interest.partner_id]]
            links.append(InterestLink(interest=interest, goal=serve, effect="supports"))
            if n % 3 == 0:
                links.append(InterestLink(interest=interest, goal=strain, effect="conflicts"))
        InterestLink.objects.bulk_create(links)
        due = timezone.now() + timedelta(days=20)
        Review.objects.bulk_create(Review(alliance=a, due_at=due) for a in alliances)
        return person

    def _clean_up(self, tag: str, person: User) -> None:
        Alliance.objects.filter(name__startswith=tag).delete()
        Organization.objects.filter(name__startswith=tag).delete()
        person.delete()
