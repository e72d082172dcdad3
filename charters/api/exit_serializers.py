"""The shapes of exit plans, shared assets, exit notices and wind-down tasks in API v1."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alliances.api.interest_serializers import PartnerRefSerializer
from alliances.api.serializers import AlliancePartnerField, PersonSerializer
from charters.models import AssetConfirmation, ExitNotice, ExitPlan, SharedAsset, WindDownTask


class SharedAssetSerializer(serializers.ModelSerializer[SharedAsset]):
    contributed_by = PartnerRefSerializer(read_only=True)

    class Meta:
        model = SharedAsset
        fields = ["id", "name", "contributed_by", "division_rule", "allocation_on_exit"]
        read_only_fields = fields


class ExitPlanSerializer(serializers.ModelSerializer[ExitPlan]):
    updated_by = PersonSerializer(read_only=True, allow_null=True)
    assets = SharedAssetSerializer(many=True, read_only=True)

    class Meta:
        model = ExitPlan
        fields = [
            "notice_period_days",
            "non_disparagement",
            "data_terms",
            "transition_obligations",
            "updated_at",
            "updated_by",
            "assets",
        ]
        read_only_fields = fields


class WindDownTaskSerializer(serializers.ModelSerializer[WindDownTask]):
    owner = PartnerRefSerializer(read_only=True)
    done_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = WindDownTask
        fields = ["id", "title", "owner", "due_on", "done_at", "done_by"]
        read_only_fields = fields


class ExitNoticeSerializer(serializers.ModelSerializer[ExitNotice]):
    partner = PartnerRefSerializer(read_only=True)
    given_by = PersonSerializer(read_only=True, allow_null=True)
    tasks = WindDownTaskSerializer(
        many=True, read_only=True, help_text=_("The wind-down checklist, soonest due first.")
    )

    class Meta:
        model = ExitNotice
        fields = [
            "id",
            "partner",
            "reason",
            "given_on",
            "effective_on",
            "given_by",
            "status",
            "tasks",
        ]
        read_only_fields = fields


class ConfirmationSerializer(serializers.ModelSerializer[AssetConfirmation]):
    partner = PartnerRefSerializer(read_only=True)
    by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = AssetConfirmation
        fields = ["partner", "by", "at"]
        read_only_fields = fields


class AllocationSerializer(serializers.Serializer[Any]):
    asset = SharedAssetSerializer(read_only=True)
    parties = PartnerRefSerializer(
        many=True,
        read_only=True,
        help_text=_("Who confirms the allocation: the leaving partner and the contributor."),
    )
    confirmations = ConfirmationSerializer(many=True, read_only=True)


class ExitNoticeDetailSerializer(ExitNoticeSerializer):
    # The view passes each shared asset with its parties and confirmations ("allocations").
    allocations = serializers.SerializerMethodField(
        help_text=_("Each shared asset's allocation and who has confirmed it.")
    )

    class Meta(ExitNoticeSerializer.Meta):
        fields = [*ExitNoticeSerializer.Meta.fields, "allocations"]
        read_only_fields = fields

    def get_allocations(self, notice: ExitNotice) -> Any:
        return AllocationSerializer(self.context["allocations"], many=True).data


# Input


class ExitPlanInputSerializer(serializers.Serializer[Any]):
    notice_period_days = serializers.IntegerField(min_value=0, max_value=32767)
    non_disparagement = serializers.CharField(allow_blank=True, required=False, default="")
    data_terms = serializers.CharField(allow_blank=True, required=False, default="")
    transition_obligations = serializers.CharField(
        allow_blank=True,
        required=False,
        default="",
        help_text=_("One obligation per line; each becomes a wind-down task on notice."),
    )


class SharedAssetInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    contributed_by = AlliancePartnerField()
    division_rule = serializers.CharField(max_length=500)
    allocation_on_exit = serializers.CharField(
        max_length=500, allow_blank=True, required=False, default=""
    )


class ExitNoticeInputSerializer(serializers.Serializer[Any]):
    partner = AlliancePartnerField(help_text=_("The partner that leaves."))
    reason = serializers.CharField()
    given_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        # The effective date adds up to 32767 days: keep it a date Python can hold.
        validators=[MinValueValidator(date(1900, 1, 1)), MaxValueValidator(date(9000, 12, 31))],
        help_text=_("Today if left out."),
    )
