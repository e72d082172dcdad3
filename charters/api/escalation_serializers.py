"""The shapes of escalations and their timelines in API v1.

The view passes the moment it answers in the context (``now``), so every row's time left is
counted from the same instant.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alliances.api.interest_serializers import PartnerRefSerializer
from alliances.api.serializers import AlliancePartnerField, PersonSerializer
from charters.models import Escalation, EscalationEvent
from charters.rules import Scope

from .serializers import LadderLevelSerializer


class EscalationSerializer(serializers.ModelSerializer[Escalation]):
    level_name = serializers.CharField(read_only=True)
    seconds_left = serializers.SerializerMethodField(
        help_text=_(
            "Time left before the escalation climbs to the next level, in seconds; null once "
            "closed or at a level without a deadline."
        )
    )
    partners = PartnerRefSerializer(many=True, read_only=True)
    against = PartnerRefSerializer(read_only=True, allow_null=True)
    raised_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Escalation
        fields = [
            "id",
            "kind",
            "title",
            "scope",
            "status",
            "level",
            "level_name",
            "level_deadline",
            "seconds_left",
            "partners",
            "against",
            "raised_by",
            "raised_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_seconds_left(self, escalation: Escalation) -> int | None:
        if escalation.status != Escalation.Status.OPEN or escalation.level_deadline is None:
            return None
        return max(0, int((escalation.level_deadline - self.context["now"]).total_seconds()))


class EscalationEventSerializer(serializers.ModelSerializer[EscalationEvent]):
    by = PersonSerializer(read_only=True, allow_null=True)
    partner = PartnerRefSerializer(
        read_only=True, allow_null=True, help_text=_("The party that asked or consented.")
    )
    days = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("The extension's length, for extensions.")
    )

    class Meta:
        model = EscalationEvent
        fields = ["id", "kind", "level", "by", "partner", "at", "text", "days"]
        read_only_fields = fields


class EscalationDetailSerializer(EscalationSerializer):
    ladder = LadderLevelSerializer(
        many=True, read_only=True, help_text=_("The levels it climbs, fixed when it was raised.")
    )
    closed_by = PersonSerializer(read_only=True, allow_null=True)
    ballot = serializers.IntegerField(
        source="ballot_id",
        read_only=True,
        allow_null=True,
        help_text=_("The steering committee's ballot on it, once it reached the committee."),
    )
    events = EscalationEventSerializer(
        many=True, read_only=True, help_text=_("The timeline, oldest first.")
    )

    class Meta(EscalationSerializer.Meta):
        fields = [
            *EscalationSerializer.Meta.fields,
            "description",
            "evidence",
            "ladder",
            "resolution",
            "closed_by",
            "ballot",
            "events",
        ]
        read_only_fields = fields


# Input


class EscalationRaiseInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=Escalation.Kind.choices,
        required=False,
        default=Escalation.Kind.DISPUTE,
        help_text=_("A partner not contributing is raised by coalition managers only."),
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    scope = serializers.ChoiceField(choices=Scope.choices)
    partners = AlliancePartnerField(many=True, help_text=_("The partners involved."))
    against = AlliancePartnerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The partner not contributing: one of the partners involved."),
    )
    evidence = serializers.CharField(allow_blank=True, required=False, default="")


class ResolveInputSerializer(serializers.Serializer[Any]):
    resolution = serializers.CharField(help_text=_("What was agreed."))
    level = serializers.IntegerField(
        min_value=0,
        max_value=100,
        help_text=_(
            "The level the caller resolves at: refused if the escalation has climbed since."
        ),
    )


class TextInputSerializer(serializers.Serializer[Any]):
    text = serializers.CharField()


class ExtensionAskInputSerializer(serializers.Serializer[Any]):
    partner = AlliancePartnerField(help_text=_("The party asking, which the caller speaks for."))
    days = serializers.IntegerField(
        min_value=1, max_value=30, help_text=_("How many more days: 1 to 30.")
    )
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class PartyInputSerializer(serializers.Serializer[Any]):
    partner = AlliancePartnerField(help_text=_("The party acting, which the caller speaks for."))
