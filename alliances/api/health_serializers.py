"""The shapes of alliance health, its history and the guide's advice in API v1.

Health is computed, not stored: these serializers read the values of ``alliances.health``.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliances import health
from alliances.models import HealthSnapshot, ReviewTrigger

URL_HELP = _("Where to see or act on it: a path on this site.")
LAYER_HELP = _("A layer: strategic, operational or relational.")


class MoveSerializer(serializers.Serializer[Any]):
    """A concrete action that would improve a layer."""

    key = serializers.CharField(read_only=True, help_text=_("Names the kind of action."))
    title = serializers.CharField(read_only=True)
    reason = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True, help_text=URL_HELP)


class SignalSerializer(serializers.Serializer[Any]):
    """One recorded fact about a layer, scored by the rule it states."""

    key = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    score = serializers.IntegerField(read_only=True, min_value=0, max_value=100)
    fact = serializers.CharField(read_only=True)
    rule = serializers.CharField(read_only=True, help_text=_("How the fact is scored."))
    weight = serializers.IntegerField(read_only=True, help_text=_("Its weight in the layer."))
    url = serializers.CharField(read_only=True, help_text=URL_HELP)
    move = MoveSerializer(read_only=True, allow_null=True)


class LayerStateSerializer(serializers.Serializer[Any]):
    """A layer's score and state (the portfolio shows these; the health page more)."""

    layer = serializers.ChoiceField(choices=health.Layer.choices, read_only=True)
    score = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("0-100; null while no fact feeds the layer.")
    )
    # A plain string with its values named: an enum named "state" would rename another's.
    state = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=_("healthy, watch or at_risk; null while no fact feeds the layer."),
    )
    state_label = serializers.CharField(source="get_state_display", read_only=True)


class LayerSerializer(LayerStateSerializer):
    name = serializers.CharField(source="label", read_only=True)
    question = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text=_("The layer on the health page."))
    signals = SignalSerializer(many=True, read_only=True)

    def get_url(self, layer: health.LayerHealth) -> str:
        page = reverse("alliance_health", kwargs={"alliance_pk": self.context["alliance"].pk})
        return f"{page}#{layer.layer}"


class ImbalanceSerializer(serializers.Serializer[Any]):
    """The guide's warning when one layer is strong and another weak."""

    key = serializers.CharField(read_only=True)
    strong = serializers.CharField(read_only=True, help_text=LAYER_HELP)
    weak = serializers.CharField(read_only=True, help_text=LAYER_HELP)
    title = serializers.CharField(read_only=True)
    explanation = serializers.CharField(read_only=True)


class HealthSerializer(serializers.Serializer[Any]):
    """An alliance's health now: each layer with its facts, the guide's warnings and the next
    moves. The same for everyone in the alliance."""

    rule = serializers.SerializerMethodField(help_text=_("How the scores are computed."))
    healthy_from = serializers.SerializerMethodField()
    watch_from = serializers.SerializerMethodField()
    layers = LayerSerializer(many=True, read_only=True)
    imbalances = ImbalanceSerializer(many=True, read_only=True)
    moves = MoveSerializer(
        many=True, read_only=True, help_text=_("At most three, the weakest facts' first.")
    )

    def get_rule(self, assessed: health.Health) -> str:
        return str(health.SCORE_RULE)

    @extend_schema_field(serializers.IntegerField(help_text=_("A layer is healthy from here.")))
    def get_healthy_from(self, assessed: health.Health) -> int:
        return health.HEALTHY_FROM

    @extend_schema_field(
        serializers.IntegerField(help_text=_("On watch from here; below, at risk."))
    )
    def get_watch_from(self, assessed: health.Health) -> int:
        return health.WATCH_FROM


class HealthSnapshotSerializer(serializers.ModelSerializer[HealthSnapshot]):
    """The layer scores recorded on one day (null: no fact fed the layer that day)."""

    class Meta:
        model = HealthSnapshot
        fields = ["recorded_on", "strategic", "operational", "relational", "recorded_at"]
        read_only_fields = fields


class AdviceSerializer(serializers.Serializer[Any]):
    """Advice from the guide that fits the alliance's shape, with its reason."""

    key = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    reason = serializers.CharField(read_only=True)
    action = serializers.CharField(read_only=True, help_text=_("What to do about it."))
    url = serializers.CharField(read_only=True, help_text=URL_HELP)


class ReviewTriggerSerializer(serializers.ModelSerializer[ReviewTrigger]):
    key = serializers.CharField(
        read_only=True,
        help_text=_(
            'The condition: "layer:<layer>", "escalations", "missed_commitments" or '
            '"notice:<notice id>".'
        ),
    )
    reason = serializers.CharField(
        source="reason_shown", read_only=True, help_text=_("Why, in the caller's language.")
    )
    review = serializers.IntegerField(
        source="review_id",
        read_only=True,
        help_text=_("The realignment review it opened or joined."),
    )
    active = serializers.SerializerMethodField(
        help_text=_(
            "Whether the condition still counts: it clears once it has passed and its review is complete."
        )
    )

    class Meta:
        model = ReviewTrigger
        fields = ["id", "key", "reason", "review", "fired_at", "cleared_at", "active"]
        read_only_fields = fields

    def get_active(self, trigger: ReviewTrigger) -> bool:
        return trigger.cleared_at is None
