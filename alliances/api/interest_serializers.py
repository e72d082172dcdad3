"""The shapes of the interest map in API v1: goals, interests, links and the gap analysis.

Interests and links are rendered from ``alliances.alignment``'s SeenInterest and SeenLink
values, never from model instances: those carry only the text the caller may see.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliances.models import Alliance, Goal, Interest, InterestLink, VisibilityChange

from .serializers import AlliancePartnerField, PersonSerializer, ScopedIdField

SUMMARY_REQUIRED = _("Write the summary other partners will see.")

# Output


class GoalSerializer(serializers.ModelSerializer[Goal]):
    class Meta:
        model = Goal
        fields = [
            "id",
            "title",
            "description",
            "measure",
            "target_date",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class GoalRefSerializer(serializers.ModelSerializer[Goal]):
    class Meta:
        model = Goal
        fields = ["id", "title"]
        read_only_fields = fields


class SeenInterestSerializer(serializers.Serializer[Any]):
    """An interest as the caller may see it."""

    id = serializers.IntegerField(read_only=True)
    partner = serializers.IntegerField(source="partner_id", read_only=True)
    kind = serializers.ChoiceField(choices=Interest.Kind.choices, read_only=True)
    text = serializers.CharField(
        read_only=True,
        help_text=_(
            "The statement; for another organisation's summary-only interest, its summary."
        ),
    )
    is_summary = serializers.BooleanField(
        read_only=True, help_text=_("The text is the summary the owner wrote for others.")
    )
    importance = serializers.IntegerField(read_only=True)
    is_red_line = serializers.BooleanField(read_only=True)
    visibility = serializers.ChoiceField(choices=Interest.Visibility.choices, read_only=True)
    is_own = serializers.BooleanField(
        read_only=True, help_text=_("The caller belongs to the partner's organisation.")
    )


class SeenLinkSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    interest = serializers.IntegerField(source="interest_id", read_only=True)
    goal = serializers.IntegerField(source="goal_id", read_only=True)
    effect = serializers.ChoiceField(choices=InterestLink.Effect.choices, read_only=True)
    note = serializers.CharField(
        read_only=True,
        help_text=_("Empty for another organisation's summary-only interest."),
    )


class VisibilityChangeSerializer(serializers.ModelSerializer[VisibilityChange]):
    by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = VisibilityChange
        fields = ["id", "from_visibility", "to_visibility", "by", "at"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class CountField(serializers.Field):
    """How many items a list attribute holds."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Any) -> int:
        return len(value)


class ConflictSerializer(serializers.Serializer[Any]):
    """A goal that works against an interest."""

    interest = SeenInterestSerializer(read_only=True)
    goal = GoalRefSerializer(read_only=True)
    link = serializers.IntegerField(source="link.id", read_only=True)
    note = serializers.CharField(source="link.note", read_only=True)


class PartnerRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="pk", read_only=True)
    organization = serializers.CharField(source="organization.name", read_only=True)


class PartnerScoreSerializer(serializers.Serializer[Any]):
    partner = PartnerRefSerializer(read_only=True)
    interests = CountField(help_text=_("The partner's interests the caller can see."))
    score = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("0-100; null without interests.")
    )


class AlignmentSerializer(serializers.Serializer[Any]):
    """The gap analysis of one alliance, built only from what the caller may see."""

    score = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("0-100; null without interests.")
    )
    rule = serializers.SerializerMethodField(help_text=_("How the score is computed."))
    partners = PartnerScoreSerializer(source="rows", many=True, read_only=True)
    open_gaps = serializers.IntegerField(read_only=True)
    red_lines_at_risk = ConflictSerializer(many=True, read_only=True)
    conflicts = ConflictSerializer(many=True, read_only=True)
    unserved = SeenInterestSerializer(many=True, read_only=True)
    partners_without_implicit = PartnerRefSerializer(many=True, read_only=True)

    def get_rule(self, alignment: Any) -> str:
        return str(self.context["rule"])


class AllianceRefSerializer(serializers.ModelSerializer[Alliance]):
    class Meta:
        model = Alliance
        fields = ["id", "name", "stage"]
        read_only_fields = fields


class PortfolioEntrySerializer(serializers.Serializer[Any]):
    alliance = AllianceRefSerializer(read_only=True)
    open_gaps = serializers.IntegerField(read_only=True)
    red_lines_at_risk = CountField()
    conflicts = CountField()
    unserved = CountField()
    score = serializers.IntegerField(read_only=True, allow_null=True)


# Input


class AllianceGoalField(ScopedIdField):
    def get_queryset(self) -> QuerySet[Goal]:
        return self.context["view"].alliance.goals.all()


class GoalInputSerializer(serializers.ModelSerializer[Goal]):
    class Meta:
        model = Goal
        fields = ["title", "description", "measure", "target_date"]


class InterestCreateInputSerializer(serializers.ModelSerializer[Interest]):
    partner = AlliancePartnerField(help_text=_("A partner the caller represents."))

    class Meta:
        model = Interest
        fields = [
            "partner",
            "kind",
            "statement",
            "summary",
            "importance",
            "is_red_line",
            "visibility",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The model's constraint says the same without naming the field.
        if attrs.get("visibility") == Interest.Visibility.SUMMARY and not attrs.get("summary"):
            raise serializers.ValidationError({"summary": [SUMMARY_REQUIRED]})
        return attrs


class InterestUpdateInputSerializer(serializers.ModelSerializer[Interest]):
    class Meta:
        model = Interest
        fields = ["statement", "summary", "kind", "importance", "is_red_line"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Silently ignoring it would let a client believe the interest was shared.
        if "visibility" in self.initial_data:
            message = _("Change the visibility with the interest's visibility action.")
            raise serializers.ValidationError({"visibility": [message]})
        return attrs


class VisibilityInputSerializer(serializers.Serializer[Any]):
    visibility = serializers.ChoiceField(choices=Interest.Visibility.choices)
    summary = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required to share as a summary, unless the interest already has one."),
    )


class LinkInputSerializer(serializers.Serializer[Any]):
    goal = AllianceGoalField(help_text=_("A goal of this alliance."))
    effect = serializers.ChoiceField(choices=InterestLink.Effect.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
