"""The shapes of API v1. Input serializers only parse and check types; output serializers only
render. Every write goes through alliances.services or a model verb, like the pages do.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alliances.models import (
    Alliance,
    Invitation,
    Organization,
    Partner,
    Role,
    StageTransition,
    User,
)

# Output


class PersonSerializer(serializers.ModelSerializer[User]):
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "display_name"]
        read_only_fields = fields


class MyRoleSerializer(serializers.ModelSerializer[Role]):
    class Meta:
        model = Role
        fields = ["id", "kind", "partner"]
        read_only_fields = fields


class AllianceSerializer(serializers.ModelSerializer[Alliance]):
    partner_count = serializers.IntegerField(read_only=True)
    my_roles = MyRoleSerializer(many=True, read_only=True, help_text=_("The caller's roles."))

    class Meta:
        model = Alliance
        fields = [
            "id",
            "name",
            "purpose",
            "form",
            "market_pace",
            "expected_end",
            "stage",
            "review_cadence_months",
            "review_when_open_escalations",
            "review_when_missed_commitments",
            "created_at",
            "updated_at",
            "partner_count",
            "my_roles",
        ]
        read_only_fields = fields


class StageTransitionSerializer(serializers.ModelSerializer[StageTransition]):
    by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = StageTransition
        fields = ["id", "from_stage", "to_stage", "by", "at", "note"]
        read_only_fields = fields


class OrganizationSerializer(serializers.ModelSerializer[Organization]):
    class Meta:
        model = Organization
        fields = ["id", "name", "country", "kind", "decision_culture"]
        read_only_fields = fields


class PartnerSerializer(serializers.ModelSerializer[Partner]):
    organization = OrganizationSerializer(read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Partner
        fields = [
            "id",
            "organization",
            "resource_share",
            "joined_on",
            "exiting_on",
            "exited_on",
            "status",
        ]
        read_only_fields = fields


class RoleSerializer(serializers.ModelSerializer[Role]):
    person = PersonSerializer(read_only=True)

    class Meta:
        model = Role
        fields = ["id", "person", "kind", "partner", "granted_at"]
        read_only_fields = fields


class InvitationSerializer(serializers.ModelSerializer[Invitation]):
    """An invitation never shows its token: that travels by email only."""

    state = serializers.ChoiceField(choices=Invitation.State.choices, read_only=True)
    invited_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "kind",
            "partner",
            "state",
            "invited_by",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]
        read_only_fields = fields


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(read_only=True)


# Input


class ScopedIdField(serializers.PrimaryKeyRelatedField[Any]):
    """A whole-number id that resolves only among what the caller may see: others do not exist."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(pk_field=serializers.IntegerField(), **kwargs)


class VisibleOrganizationField(ScopedIdField):
    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.visible_to(self.context["request"].user)


class AlliancePartnerField(ScopedIdField):
    def get_queryset(self) -> QuerySet[Partner]:
        return self.context["view"].alliance.partners.all()


class TokenRequestSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class AllianceInputSerializer(serializers.ModelSerializer[Alliance]):
    class Meta:
        model = Alliance
        fields = [
            "name",
            "purpose",
            "form",
            "market_pace",
            "expected_end",
            "review_cadence_months",
            "review_when_open_escalations",
            "review_when_missed_commitments",
        ]


class StageChangeInputSerializer(serializers.Serializer[Any]):
    stage = serializers.ChoiceField(choices=Alliance.Stage.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class OrganizationInputSerializer(serializers.ModelSerializer[Organization]):
    class Meta:
        model = Organization
        fields = ["name", "country", "kind", "decision_culture"]


class PartnerAddInputSerializer(serializers.ModelSerializer[Partner]):
    organization = VisibleOrganizationField()

    class Meta:
        model = Partner
        fields = ["organization", "resource_share", "joined_on"]


class PartnerUpdateInputSerializer(serializers.ModelSerializer[Partner]):
    class Meta:
        model = Partner
        fields = ["resource_share", "joined_on", "exiting_on", "exited_on"]


class RoleGrantInputSerializer(serializers.Serializer[Any]):
    person_email = serializers.EmailField(
        help_text=_("Someone who already holds a role in this alliance; invite anyone else.")
    )
    kind = serializers.ChoiceField(choices=Role.Kind.choices)
    partner = AlliancePartnerField(required=False, allow_null=True, default=None)


class InvitationInputSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    kind = serializers.ChoiceField(choices=Role.Kind.choices)
    partner = AlliancePartnerField(required=False, allow_null=True, default=None)
