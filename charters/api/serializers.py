"""The shapes of charters, their versions and rules, the audit and ballots in API v1.

Rules travel as the structured JSON the versions store (``Rules.to_json``). These serializers
check only the types; ``Rules.validate`` judges whether the rules hold together.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliances.api.interest_serializers import PartnerRefSerializer
from alliances.api.serializers import PersonSerializer
from charters import prose
from charters.audit import Status as AuditStatus
from charters.models import Ballot, CharterVersion, Vote
from charters.rules import Mode, Scope, Weighting

PK_MAX = 2**31 - 1  # partner ids are database integers

# Rules, both ways


class ScopeRuleSerializer(serializers.Serializer[Any]):
    mode = serializers.ChoiceField(choices=Mode.choices)
    lead_partner = serializers.IntegerField(
        min_value=1,
        max_value=PK_MAX,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The partner that decides, in the lead partner mode."),
    )
    veto_holders = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=PK_MAX),
        required=False,
        default=list,
        help_text=_("Partners that can veto decisions of this scope."),
    )


class LadderLevelSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100, allow_blank=True)
    days = serializers.IntegerField(
        allow_null=True,
        max_value=3650,
        help_text=_("The time limit at this level; null only at the top of the ladder."),
    )


class PartnerWeightsField(serializers.DictField):
    """Partner id -> voting weight. The keys are ids, so a key that is no number is a 400."""

    child = serializers.DecimalField(max_digits=9, decimal_places=4)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        weights: dict[str, Any] = super().to_internal_value(data)
        if not all(str(key).isdigit() for key in weights):
            raise serializers.ValidationError(_("Weights are keyed by partner id."))
        return weights


class RulesSerializer(serializers.Serializer[Any]):
    """The decision rules of a charter version. Sent whole: every key is required."""

    scopes = serializers.DictField(
        child=ScopeRuleSerializer(),
        help_text=_("Decision scope (%(scopes)s) -> how it is decided.")
        % {"scopes": ", ".join(Scope.values)},
    )
    weighting = serializers.ChoiceField(choices=Weighting.choices)
    weights = PartnerWeightsField(
        help_text=_("Partner id -> voting weight, used when the weighting is custom.")
    )
    quorum = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        help_text=_("The share of the total voting weight that must vote: above 0, at most 1."),
    )
    ladder = serializers.ListField(
        child=LadderLevelSerializer(), help_text=_("Escalation levels, lowest first.")
    )
    force_majeure = serializers.CharField(allow_blank=True)
    review_cadence_months = serializers.IntegerField(help_text=_("3, 6 or 12."))


class RuleLineSerializer(serializers.Serializer[Any]):
    topic = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)


# Versions


class VersionSerializer(serializers.ModelSerializer[CharterVersion]):
    created_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CharterVersion
        fields = [
            "id",
            "number",
            "status",
            "summary",
            "created_by",
            "created_at",
            "proposed_at",
            "adopted_at",
            "superseded_at",
        ]
        read_only_fields = fields


class VersionDetailSerializer(VersionSerializer):
    # The view passes the rules in plain language in the context ("described").
    rendered_prose = serializers.SerializerMethodField(help_text=_("The prose as sanitised HTML."))
    rules = serializers.SerializerMethodField()
    rules_described = serializers.SerializerMethodField(
        help_text=_("The rules in plain language, one line per topic.")
    )
    is_editable = serializers.BooleanField(read_only=True)
    adoption_ballot = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("The latest ballot on adopting this version, once proposed."),
        default=None,
    )

    class Meta(VersionSerializer.Meta):
        fields = [
            *VersionSerializer.Meta.fields,
            "prose",
            "rendered_prose",
            "rules",
            "rules_described",
            "is_editable",
            "adoption_ballot",
        ]
        read_only_fields = fields

    def get_rendered_prose(self, version: CharterVersion) -> str:
        return str(prose.render(version.prose))

    @extend_schema_field(RulesSerializer)
    def get_rules(self, version: CharterVersion) -> Any:
        return RulesSerializer(version.rules.to_json()).data

    @extend_schema_field(RuleLineSerializer(many=True))
    def get_rules_described(self, version: CharterVersion) -> Any:
        return RuleLineSerializer(self.context["described"], many=True).data


class CharterSerializer(serializers.Serializer[Any]):
    in_force = VersionDetailSerializer(
        read_only=True, allow_null=True, help_text=_("The adopted version, if any.")
    )
    open_draft = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("The version being drafted or put to the vote, if any."),
    )
    versions = VersionSerializer(many=True, read_only=True, help_text=_("Latest first."))


class AuditItemSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=AuditStatus.choices, read_only=True)
    reason = serializers.CharField(read_only=True)


class DiffRowSerializer(serializers.Serializer[Any]):
    tag = serializers.ChoiceField(choices=["equal", "changed", "added", "removed"], read_only=True)
    old = serializers.CharField(read_only=True)
    new = serializers.CharField(read_only=True)


class RulesDiffRowSerializer(DiffRowSerializer):
    topic = serializers.CharField(read_only=True)


class VersionRefSerializer(serializers.ModelSerializer[CharterVersion]):
    class Meta:
        model = CharterVersion
        fields = ["id", "number", "status"]
        read_only_fields = fields


class DiffSerializer(serializers.Serializer[Any]):
    old = VersionRefSerializer(read_only=True)
    new = VersionRefSerializer(read_only=True)
    prose = DiffRowSerializer(many=True, read_only=True, help_text=_("Line by line."))
    rules = RulesDiffRowSerializer(many=True, read_only=True, help_text=_("Topic by topic."))


# Ballots


class BallotSerializer(serializers.ModelSerializer[Ballot]):
    elector_count = serializers.IntegerField(read_only=True)
    vote_count = serializers.IntegerField(
        read_only=True, help_text=_("How many partners have voted.")
    )

    class Meta:
        model = Ballot
        common = [
            "id",
            "subject",
            "question",
            "scope",
            "secret",
            "decided_under",
            "proposal",
            "opens_at",
            "closes_at",
            "status",
            "closed_at",
            "outcome",
        ]
        fields = [*common, "elector_count", "vote_count"]
        read_only_fields = fields


class ElectorRowSerializer(serializers.Serializer[Any]):
    partner = PartnerRefSerializer(read_only=True)
    weight = serializers.DecimalField(max_digits=9, decimal_places=4, read_only=True)
    can_veto = serializers.BooleanField(read_only=True)
    has_voted = serializers.BooleanField(read_only=True)


class VoteSerializer(serializers.ModelSerializer[Vote]):
    partner = PartnerRefSerializer(read_only=True)

    class Meta:
        model = Vote
        fields = ["partner", "choice", "veto", "cast_at"]
        read_only_fields = fields


class TotalsSerializer(serializers.Serializer[Any]):
    support = serializers.DictField(
        child=serializers.DecimalField(max_digits=12, decimal_places=4),
        read_only=True,
        help_text=_("Option -> the voting weight that chose it."),
    )
    turnout = serializers.DecimalField(
        max_digits=12, decimal_places=4, read_only=True, help_text=_("The weight that voted.")
    )
    total = serializers.DecimalField(
        max_digits=12, decimal_places=4, read_only=True, help_text=_("The electorate's weight.")
    )


class BallotDetailSerializer(BallotSerializer):
    # The view decides what the caller may see and passes it in the context: "electors",
    # "my_vote", "votes" (None unless closed and not secret) and "totals" (None until closed).
    mode = serializers.ChoiceField(choices=Mode.choices, read_only=True)
    lead_partner = serializers.IntegerField(
        source="lead_partner_id", read_only=True, allow_null=True
    )
    electors = serializers.SerializerMethodField()
    my_vote = serializers.SerializerMethodField(
        help_text=_("The vote of the partner the caller votes for, if it has voted.")
    )
    votes = serializers.SerializerMethodField(
        help_text=_("Each partner's vote: only once closed, and never on a secret ballot.")
    )
    totals = serializers.SerializerMethodField(help_text=_("Only once the ballot is closed."))

    class Meta(BallotSerializer.Meta):
        fields = [
            *BallotSerializer.Meta.common,
            "description",
            "options",
            "mode",
            "quorum",
            "lead_partner",
            "decided_option",
            "explanation",
            "electors",
            "my_vote",
            "votes",
            "totals",
        ]
        read_only_fields = fields

    @extend_schema_field(ElectorRowSerializer(many=True))
    def get_electors(self, ballot: Ballot) -> Any:
        return ElectorRowSerializer(self.context["electors"], many=True).data

    @extend_schema_field(VoteSerializer(allow_null=True))
    def get_my_vote(self, ballot: Ballot) -> Any:
        vote = self.context["my_vote"]
        return VoteSerializer(vote).data if vote else None

    @extend_schema_field(VoteSerializer(many=True, allow_null=True))
    def get_votes(self, ballot: Ballot) -> Any:
        votes = self.context["votes"]
        return None if votes is None else VoteSerializer(votes, many=True).data

    @extend_schema_field(TotalsSerializer(allow_null=True))
    def get_totals(self, ballot: Ballot) -> Any:
        totals = self.context["totals"]
        return None if totals is None else TotalsSerializer(totals).data


# Input


class VersionUpdateInputSerializer(serializers.Serializer[Any]):
    """What a draft changes; a key left out stays as it is. ``rules`` replaces the rules whole."""

    summary = serializers.CharField(max_length=300, allow_blank=True, required=False)
    prose = serializers.CharField(allow_blank=True, required=False, max_length=100_000)
    rules = RulesSerializer(required=False)


class ProposeInputSerializer(serializers.Serializer[Any]):
    closes_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("When the adoption ballot closes; a week from now if left out."),
    )


class DiffQuerySerializer(serializers.Serializer[Any]):
    # "from" is a Python keyword, so the fields are named here rather than declared.
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "from": serializers.IntegerField(
                min_value=1, help_text=_("The id of the older version.")
            ),
            "to": serializers.IntegerField(
                min_value=1, help_text=_("The id of the newer version.")
            ),
        }


class MotionInputSerializer(serializers.Serializer[Any]):
    question = serializers.CharField(max_length=300)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    scope = serializers.ChoiceField(choices=Scope.choices)
    closes_at = serializers.DateTimeField()
    options = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        default=None,
        allow_null=True,
        max_length=20,
        help_text=_("The choices; yes, no and abstain if left out."),
    )
    secret = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Everyone sees who voted, nobody sees how. This cannot be undone."),
    )


class VoteInputSerializer(serializers.Serializer[Any]):
    choice = serializers.CharField(max_length=100, help_text=_("One of the ballot's options."))
    veto = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Only a partner that holds a veto on the ballot's scope can veto."),
    )
