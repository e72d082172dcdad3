"""The shapes of trust entries, balances, commitments and check-ins in API v1."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alliances.api.interest_serializers import PartnerRefSerializer
from alliances.api.serializers import AlliancePartnerField, PersonSerializer
from trustaccount.models import (
    Category,
    CheckInAnswer,
    CheckInRound,
    Commitment,
    TrustConfirmation,
    TrustEntry,
)

# Keys the services derive themselves ("commitment-delivered:7") hold a colon; a client's
# key never does, so no client can take a key a service will need later.
CLIENT_KEY = RegexValidator(
    r"^[A-Za-z0-9._-]+$", _("Use letters, digits, dots, dashes and underscores (a UUID fits).")
)

# Hand-typed years like 0202 are typos; the ledger's trend starts nowhere near them.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


def idempotency_key_field() -> serializers.CharField:
    return serializers.CharField(
        max_length=100,
        validators=[CLIENT_KEY],
        help_text=_(
            "Chosen by the client, unique per request: sending it again replays the first "
            "answer and records nothing new."
        ),
    )


# Output


class ConfirmationSerializer(serializers.ModelSerializer[TrustConfirmation]):
    partner = PartnerRefSerializer(read_only=True)
    by = PersonSerializer(read_only=True)

    class Meta:
        model = TrustConfirmation
        fields = ["partner", "by", "at"]
        read_only_fields = fields


class EntrySerializer(serializers.ModelSerializer[TrustEntry]):
    actor = PartnerRefSerializer(read_only=True)
    counterpart = PartnerRefSerializer(read_only=True, allow_null=True)
    recorded_by = PersonSerializer(read_only=True)
    reverses: serializers.PrimaryKeyRelatedField[TrustEntry] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    reversed_by: serializers.PrimaryKeyRelatedField[TrustEntry] = (
        serializers.PrimaryKeyRelatedField(
            read_only=True, allow_null=True, help_text=_("The reversal that cancels this entry.")
        )
    )
    confirmation = ConfirmationSerializer(
        read_only=True,
        allow_null=True,
        help_text=_("Who vouched for a self-reported deposit; null while it waits."),
    )

    class Meta:
        model = TrustEntry
        fields = [
            "id",
            "sequence",
            "kind",
            "category",
            "points",
            "actor",
            "counterpart",
            "note",
            "occurred_at",
            "recorded_by",
            "recorded_at",
            "idempotency_key",
            "reverses",
            "reversed_by",
            "needs_confirmation",
            "confirmation",
            "previous_hash",
            "hash",
        ]
        read_only_fields = fields


class PartnerPointsSerializer(serializers.Serializer[Any]):
    partner = PartnerRefSerializer(read_only=True)
    points = serializers.IntegerField(read_only=True)


class PairPointsSerializer(serializers.Serializer[Any]):
    actor = PartnerRefSerializer(read_only=True)
    counterpart = PartnerRefSerializer(read_only=True)
    points = serializers.IntegerField(
        read_only=True, help_text=_("What the actor did for (or cost) the counterpart.")
    )


class MonthSerializer(serializers.Serializer[Any]):
    month = serializers.DateField(read_only=True)
    balance = serializers.IntegerField(
        read_only=True, help_text=_("The alliance's balance at the end of the month.")
    )


class ChainSerializer(serializers.Serializer[Any]):
    intact = serializers.BooleanField(read_only=True)
    broken_at = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("The first entry whose hashes do not hold.")
    )
    reason = serializers.CharField(read_only=True, allow_null=True)


class BalancesSerializer(serializers.Serializer[Any]):
    alliance = serializers.IntegerField(read_only=True)
    per_partner = PartnerPointsSerializer(many=True, read_only=True)
    per_pair = PairPointsSerializer(many=True, read_only=True)
    trend = MonthSerializer(many=True, read_only=True)
    awaiting_confirmation = serializers.IntegerField(
        read_only=True, help_text=_("Self-reported deposits that count once confirmed.")
    )
    chain = ChainSerializer(read_only=True)


class CommitmentSerializer(serializers.ModelSerializer[Commitment]):
    owner = PartnerRefSerializer(read_only=True)
    beneficiary = PartnerRefSerializer(read_only=True)
    created_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "owner",
            "beneficiary",
            "description",
            "due_on",
            "status",
            "delivered_at",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class DeliveredSerializer(serializers.Serializer[Any]):
    commitment = CommitmentSerializer(read_only=True)
    entry = EntrySerializer(read_only=True, help_text=_("The deposit the delivery earned."))


class RoundSerializer(serializers.ModelSerializer[CheckInRound]):
    opened_by = PersonSerializer(read_only=True, allow_null=True)
    answer_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = CheckInRound
        fields = ["id", "opened_at", "closes_on", "anonymous", "opened_by", "answer_count"]
        read_only_fields = fields


class ItemScoreSerializer(serializers.Serializer[Any]):
    item = serializers.CharField(read_only=True)
    score = serializers.FloatField(read_only=True)


class PartnerAveragesSerializer(serializers.Serializer[Any]):
    partner = PartnerRefSerializer(read_only=True)
    averages = ItemScoreSerializer(many=True, read_only=True)


class ResultsSerializer(serializers.Serializer[Any]):
    answers = serializers.IntegerField(read_only=True)
    shown = serializers.BooleanField(
        read_only=True,
        help_text=_("False for an anonymous round with fewer than three answers: nothing shows."),
    )
    averages = ItemScoreSerializer(many=True, read_only=True)
    by_partner = PartnerAveragesSerializer(many=True, read_only=True)
    divergence = ItemScoreSerializer(
        many=True,
        read_only=True,
        help_text=_("Each item's spread between the partners' averages, widest first."),
    )
    suggestions = serializers.ListField(child=serializers.CharField(), read_only=True)


class AnswerSerializer(serializers.ModelSerializer[CheckInAnswer]):
    partner = PartnerRefSerializer(read_only=True)

    class Meta:
        model = CheckInAnswer
        fields = [
            "partner",
            "openness",
            "reliability",
            "fairness",
            "communication",
            "one_thing",
            "answered_at",
        ]
        read_only_fields = fields


class RoundDetailSerializer(RoundSerializer):
    results = ResultsSerializer(read_only=True)
    my_answer = AnswerSerializer(
        read_only=True, allow_null=True, help_text=_("The caller's own answer, if given.")
    )

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "results", "my_answer"]
        read_only_fields = fields


# Input


class EntryInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=[TrustEntry.Kind.DEPOSIT, TrustEntry.Kind.WITHDRAWAL],
        help_text=_("A mistake is corrected by reversing its entry, not by a new kind."),
    )
    category = serializers.ChoiceField(choices=Category.choices)
    actor = AlliancePartnerField(help_text=_("The partner whose action this is."))
    counterpart = AlliancePartnerField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    occurred_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("When it happened; now if left out. Never in the future."),
    )
    points = serializers.IntegerField(
        min_value=1,
        max_value=100,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Defaults to the alliance's points for the category."),
    )
    idempotency_key = idempotency_key_field()

    def validate_occurred_at(self, value: datetime | None) -> datetime | None:
        if value is not None and value < EARLIEST:
            raise serializers.ValidationError(_("Give a date in this century."))
        return value


class ReverseInputSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=2000, help_text=_("What was wrong with the entry."))
    idempotency_key = idempotency_key_field()


class CommitmentInputSerializer(serializers.Serializer[Any]):
    owner = AlliancePartnerField(help_text=_("The partner who promises."))
    beneficiary = AlliancePartnerField(help_text=_("The partner it is promised to."))
    description = serializers.CharField(max_length=300)
    due_on = serializers.DateField()


class RoundInputSerializer(serializers.Serializer[Any]):
    anonymous = serializers.BooleanField(required=False, default=True)
    closes_on = serializers.DateField(required=False, allow_null=True, default=None)


class AnswerInputSerializer(serializers.Serializer[Any]):
    openness = serializers.IntegerField(min_value=1, max_value=5)
    reliability = serializers.IntegerField(min_value=1, max_value=5)
    fairness = serializers.IntegerField(min_value=1, max_value=5)
    communication = serializers.IntegerField(min_value=1, max_value=5)
    one_thing = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("One thing we could do to make this partnership stronger."),
    )
