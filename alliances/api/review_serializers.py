"""The shapes of realignment reviews and force-majeure pauses in API v1."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliances.models import Review, TimerPause

from .interest_serializers import PartnerRefSerializer
from .serializers import PersonSerializer

# Output


class ReviewSerializer(serializers.ModelSerializer[Review]):
    opened_by = PersonSerializer(read_only=True, allow_null=True)
    completed_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "status",
            "due_at",
            "reason",
            "opened_at",
            "opened_by",
            "completed_at",
            "completed_by",
            "outcome",
            "outcome_notes",
        ]
        read_only_fields = fields


class PartnerFitRowSerializer(serializers.Serializer[Any]):
    """One partner of the alliance and the strategic fit it recorded: null until it does."""

    partner = PartnerRefSerializer(read_only=True)
    fit = serializers.IntegerField(source="record.fit", read_only=True, allow_null=True)
    comments = serializers.CharField(source="record.comments", read_only=True, allow_null=True)
    recorded_by = PersonSerializer(source="record.recorded_by", read_only=True, allow_null=True)
    recorded_at = serializers.DateTimeField(
        source="record.recorded_at", read_only=True, allow_null=True
    )


class ReviewDetailSerializer(ReviewSerializer):
    # The view pairs each partner with its fit and passes the rows in the context as "fits".
    fits = serializers.SerializerMethodField(help_text=_("One row per partner of the alliance."))

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "fits"]
        read_only_fields = fields

    @extend_schema_field(PartnerFitRowSerializer(many=True))
    def get_fits(self, review: Review) -> Any:
        return PartnerFitRowSerializer(self.context["fits"], many=True).data


class TimerPauseSerializer(serializers.ModelSerializer[TimerPause]):
    paused_by = PersonSerializer(read_only=True, allow_null=True)
    resumed_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = TimerPause
        fields = ["id", "reason", "paused_at", "paused_by", "resumed_at", "resumed_by"]
        read_only_fields = fields


# Input


class FitInputSerializer(serializers.Serializer[Any]):
    fit = serializers.IntegerField(
        min_value=1,
        max_value=5,
        help_text=_("1: the alliance no longer serves our strategy. 5: it is central to it."),
    )
    comments = serializers.CharField(required=False, allow_blank=True, default="")


class CompleteInputSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=Review.Outcome.choices)
    notes = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("What we decided: everyone in the alliance reads it with the outcome."),
    )


class PauseInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        max_length=500, help_text=_("For example sanctions, or a change in government policy.")
    )
