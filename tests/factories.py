"""Small factories for the domain. Tests build exactly the data they talk about."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from alliances.models import (
    Alliance,
    Goal,
    Interest,
    InterestLink,
    Invitation,
    Organization,
    OrganizationMembership,
    Partner,
    Role,
    User,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisation {n}")
    country = "DE"
    kind = Organization.Kind.COMPANY


class MembershipFactory(factory.django.DjangoModelFactory[OrganizationMembership]):
    class Meta:
        model = OrganizationMembership

    organization = factory.SubFactory(OrganizationFactory)
    person = factory.SubFactory(UserFactory)


class AllianceFactory(factory.django.DjangoModelFactory[Alliance]):
    class Meta:
        model = Alliance

    name = factory.Sequence(lambda n: f"Alliance {n}")
    purpose = "Cut last-mile emissions together."
    form = Alliance.Form.JOINT_VENTURE
    stage = Alliance.Stage.ACTIVE


class PartnerFactory(factory.django.DjangoModelFactory[Partner]):
    class Meta:
        model = Partner

    alliance = factory.SubFactory(AllianceFactory)
    organization = factory.SubFactory(OrganizationFactory)
    resource_share = 10


class RoleFactory(factory.django.DjangoModelFactory[Role]):
    class Meta:
        model = Role

    alliance = factory.SubFactory(AllianceFactory)
    person = factory.SubFactory(UserFactory)
    kind = Role.Kind.OBSERVER


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation
        exclude = ["token"]

    alliance = factory.SubFactory(AllianceFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    kind = Role.Kind.OBSERVER
    token = factory.Sequence(lambda n: f"test-token-{n}")
    token_hash = factory.LazyAttribute(lambda o: Invitation.hash_token(o.token))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class GoalFactory(factory.django.DjangoModelFactory[Goal]):
    class Meta:
        model = Goal

    alliance = factory.SubFactory(AllianceFactory)
    title = factory.Sequence(lambda n: f"Goal {n}")
    measure = "Tonnes of CO2e measured per month"


class InterestFactory(factory.django.DjangoModelFactory[Interest]):
    class Meta:
        model = Interest

    partner = factory.SubFactory(PartnerFactory)
    kind = Interest.Kind.EXPLICIT
    statement = factory.Sequence(lambda n: f"Statement {n}")
    importance = 3
    visibility = Interest.Visibility.ALLIANCE


class InterestLinkFactory(factory.django.DjangoModelFactory[InterestLink]):
    class Meta:
        model = InterestLink

    interest = factory.SubFactory(InterestFactory)
    goal = factory.SubFactory(GoalFactory)
    effect = InterestLink.Effect.SUPPORTS
