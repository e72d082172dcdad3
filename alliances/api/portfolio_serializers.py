"""The shapes of the portfolio in API v1: the rows of ``alliances.portfolio`` as the pages show
them, and an organisation's concentration risk. Everything here is computed, never stored."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliances import health, portfolio
from alliances.models import Alliance

from .health_serializers import URL_HELP, LayerStateSerializer, MoveSerializer
from .serializers import OrganizationSerializer


class PortfolioMoveSerializer(serializers.Serializer[Any]):
    """A next move in one alliance: the concrete action that would improve its weakest facts."""

    alliance = serializers.IntegerField(source="alliance.pk", read_only=True)
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)
    layer = serializers.ChoiceField(choices=health.Layer.choices, read_only=True)
    score = serializers.IntegerField(
        read_only=True, help_text=_("The score of the weakest fact the move would improve.")
    )
    key = serializers.CharField(source="move.key", read_only=True)
    title = serializers.CharField(source="move.title", read_only=True)
    reason = serializers.CharField(source="move.reason", read_only=True)
    url = serializers.CharField(source="move.url", read_only=True, help_text=URL_HELP)


class PortfolioDeadlineSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(read_only=True)
    at = serializers.DateTimeField(read_only=True, help_text=_("When it has passed."))
    day = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=_("For a deadline that falls on a calendar day: that day, whatever the zone."),
    )
    url = serializers.CharField(read_only=True, help_text=URL_HELP)


class PortfolioAwaitingSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(read_only=True, help_text=_("escalation or ballot."))
    title = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True, help_text=URL_HELP)
    due = serializers.DateTimeField(read_only=True, allow_null=True)


class PortfolioRowSerializer(serializers.Serializer[Any]):
    """One alliance of the portfolio with its health, next deadlines, open escalations and the
    ballots awaiting the caller's vote."""

    alliance = serializers.IntegerField(source="alliance.pk", read_only=True)
    name = serializers.CharField(source="alliance.name", read_only=True)
    stage = serializers.ChoiceField(
        source="alliance.stage", choices=Alliance.Stage.choices, read_only=True
    )
    form = serializers.ChoiceField(
        source="alliance.form", choices=Alliance.Form.choices, read_only=True
    )
    partners = serializers.SerializerMethodField()
    layers = LayerStateSerializer(
        many=True, read_only=True, help_text=_("Empty once the alliance no longer runs.")
    )
    worst_state = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=_("The weakest layer's state: healthy, watch or at_risk; null without facts."),
    )
    needs_attention = serializers.BooleanField(
        read_only=True, help_text=_("A layer is on watch or at risk.")
    )
    deadlines = PortfolioDeadlineSerializer(
        many=True, read_only=True, help_text=_("Upcoming deadlines, soonest first.")
    )
    open_escalations = serializers.IntegerField(
        read_only=True,
        help_text=_("Escalations open in the alliance, whoever is to settle them."),
    )
    ballots_awaiting = serializers.IntegerField(
        read_only=True, help_text=_("Ballots awaiting the caller's vote.")
    )
    awaiting = PortfolioAwaitingSerializer(
        many=True, read_only=True, help_text=_("The escalations and ballots behind the counts.")
    )
    moves = MoveSerializer(many=True, read_only=True, help_text=_("The alliance's next moves."))
    health_url = serializers.CharField(read_only=True, help_text=URL_HELP)

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(), help_text=_("The partner organisations' names.")
        )
    )
    def get_partners(self, row: portfolio.Row) -> list[str]:
        return [partner.organization.name for partner in row.partners]


class PortfolioSerializer(serializers.Serializer[Any]):
    """The caller's alliances, filtered and sorted as asked, and the next moves across them."""

    count = serializers.SerializerMethodField()
    rows = PortfolioRowSerializer(many=True, read_only=True)
    moves = PortfolioMoveSerializer(
        many=True, read_only=True, help_text=_("The most urgent moves over the rows.")
    )

    def get_count(self, found: portfolio.Portfolio) -> int:
        return len(found.rows)


class ShareSerializer(serializers.Serializer[Any]):
    """One running alliance's share of the organisation's recorded activity."""

    alliance = serializers.IntegerField(source="alliance.pk", read_only=True)
    name = serializers.CharField(source="alliance.name", read_only=True)
    roles = serializers.IntegerField(read_only=True)
    interests = serializers.IntegerField(read_only=True)
    fits = serializers.IntegerField(read_only=True)
    activity = serializers.IntegerField(read_only=True)
    percent = serializers.IntegerField(read_only=True, help_text=_("Rounded down."))
    resource_share = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        read_only=True,
        help_text=_("The organisation's share of the alliance's resources, for context."),
    )


class ConcentrationSerializer(serializers.Serializer[Any]):
    """How much of the organisation's activity hangs on a single alliance, counted over the
    caller's alliances only."""

    organization = serializers.IntegerField(source="organization.pk", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    level = serializers.CharField(
        read_only=True,
        help_text=_(
            "high (one alliance holds 50% or more, or is the only running one), watch (35% to "
            "49%), spread (less), none (no running alliance)."
        ),
    )
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    explanation = serializers.CharField(read_only=True)
    method = serializers.CharField(read_only=True, help_text=_("How the shares are counted."))
    shares = ShareSerializer(many=True, read_only=True)


class PersonPortfolioSerializer(PortfolioSerializer):
    """The caller's alliances, filtered and sorted as asked, the next moves across them, and
    the concentration risk of each of the caller's organisations (whatever the filters)."""

    concentrations = ConcentrationSerializer(many=True, read_only=True)


class OrganizationPortfolioSerializer(PortfolioSerializer):
    """The caller's alliances where the organisation is a partner, and its concentration risk
    (always over all of them, whatever the filters)."""

    organization = OrganizationSerializer(read_only=True)
    concentration = ConcentrationSerializer(read_only=True)
