"""API v1 for trust accounts: the append-only ledger, balances, commitments and check-ins.

Any member of the alliance reads. Writes call trustaccount.ledger, .commitments and .checkins,
like the pages do; their ValidationErrors become 400s and their PermissionDenied a 403.
A partner's representatives record entries and make commitments for their own partner,
coalition managers for any partner; managers reverse entries and open check-in rounds. A
self-reported deposit is confirmed, and a commitment marked delivered, by a person of another
partner's organisation: the partner they speak for is their own organisation's.

Entries are never changed or deleted (the database refuses it), so no URL offers PUT, PATCH
or DELETE. Appends carry a client-chosen idempotency key: a replay answers 200 with the
first entry instead of 201, and records nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from alliances.api.views import AllianceScopedView, _person
from alliances.models import Partner
from charters.api.access import require
from trustaccount import checkins, commitments, ledger
from trustaccount.models import CheckInAnswer, CheckInRound, Commitment, TrustEntry

from .filters import CommitmentFilter, EntryFilter
from .serializers import (
    AnswerInputSerializer,
    AnswerSerializer,
    BalancesSerializer,
    CommitmentInputSerializer,
    CommitmentSerializer,
    DeliveredSerializer,
    EntryInputSerializer,
    EntrySerializer,
    ReverseInputSerializer,
    RoundDetailSerializer,
    RoundInputSerializer,
    RoundSerializer,
)


def _created_or_replayed(description: str) -> dict[int, OpenApiResponse]:
    return {
        201: OpenApiResponse(EntrySerializer, description),
        200: OpenApiResponse(
            EntrySerializer, _("A replayed idempotency key: the first answer, nothing new.")
        ),
    }


class TrustScopedView(AllianceScopedView):
    def entries(self) -> QuerySet[TrustEntry]:
        return TrustEntry.objects.filter(alliance=self.alliance).select_related(
            "actor__organization",
            "counterpart__organization",
            "recorded_by",
            "reversed_by",
            "confirmation__partner__organization",
            "confirmation__by",
        )

    def get_entry(self, entry_pk: int) -> TrustEntry:
        return get_object_or_404(self.entries(), pk=entry_pk)

    def entry_data(self, entry_pk: int, code: int) -> Response:
        # Re-read: the services return the row without the related objects shown.
        return Response(EntrySerializer(self.get_entry(entry_pk)).data, code)

    def keyed(self, key: str) -> TrustEntry | None:
        return TrustEntry.objects.filter(alliance=self.alliance, idempotency_key=key).first()

    def own_partners(self) -> QuerySet[Partner]:
        return Partner.objects.own_to(_person(self.request)).filter(alliance=self.alliance)

    def require_speaking_for(self, partner: Partner | None) -> None:
        """Managers for any partner; representatives for their own (``None``: for any one)."""
        person = _person(self.request)
        represented = Partner.objects.represented_by(person).filter(alliance=self.alliance)
        if partner is not None:
            represented = represented.filter(pk=partner.pk)
        require(
            self.alliance.is_managed_by(person) or represented.exists(),
            _("Only coalition managers and the partner's representatives can do this."),
        )


# Ledger


class EntryListView(TrustScopedView, generics.ListAPIView[TrustEntry]):
    """The trust ledger, latest first. A partner's representatives record a deposit or a
    withdrawal for their own partner, managers for any partner. A deposit a partner reports
    about itself counts once a person of another partner confirms it."""

    managers_write = False  # representatives record for their own partner
    queryset = TrustEntry.objects.none()
    serializer_class = EntrySerializer
    filterset_class = EntryFilter

    def get_queryset(self) -> QuerySet[TrustEntry]:
        return self.entries()

    @extend_schema(
        request=EntryInputSerializer,
        responses=_created_or_replayed(_("The entry, appended to the chain.")),
    )
    def post(self, request: Request, alliance_pk: int) -> Response:
        self.require_speaking_for(None)
        data = self.validated(EntryInputSerializer)
        self.require_speaking_for(data["actor"])
        replay = self.keyed(data["idempotency_key"]) is not None
        entry = ledger.entry_record(alliance=self.alliance, by=_person(request), **data)
        return self.entry_data(entry.pk, status.HTTP_200_OK if replay else status.HTTP_201_CREATED)


class EntryDetailView(TrustScopedView):
    """One entry with its hashes, its confirmation and the reversal that cancels it, if any.
    Entries are never changed or deleted."""

    managers_write = False  # no write exists here: every member gets 405 for one

    @extend_schema(responses={200: EntrySerializer})
    def get(self, request: Request, alliance_pk: int, entry_pk: int) -> Response:
        return self.entry_data(entry_pk, status.HTTP_200_OK)


class EntryReverseView(TrustScopedView):
    """Correct a mistake (managers): one reversal entry cancels the original's points. An
    entry is reversed once; a reversal is never reversed."""

    @extend_schema(
        request=ReverseInputSerializer,
        responses=_created_or_replayed(_("The reversal entry.")),
    )
    def post(self, request: Request, alliance_pk: int, entry_pk: int) -> Response:
        entry = self.get_entry(entry_pk)
        data = self.validated(ReverseInputSerializer)
        earlier = self.keyed(data["idempotency_key"])
        if earlier is not None and earlier.reverses_id != entry.pk:
            raise ValidationError({"idempotency_key": [_("This key was used for another entry.")]})
        reversal = ledger.entry_reverse(entry=entry, by=_person(request), **data)
        code = status.HTTP_200_OK if earlier else status.HTTP_201_CREATED
        return self.entry_data(reversal.pk, code)


class EntryConfirmView(TrustScopedView):
    """Vouch for another partner's self-reported deposit, for the caller's own partner
    organisation; from then on it counts. Confirming again changes nothing."""

    managers_write = False  # ledger.entry_confirm checks the partner

    @extend_schema(
        request=None,
        responses={
            201: OpenApiResponse(EntrySerializer, _("The entry, now confirmed.")),
            200: OpenApiResponse(EntrySerializer, _("It was confirmed already.")),
        },
    )
    def post(self, request: Request, alliance_pk: int, entry_pk: int) -> Response:
        entry = self.get_entry(entry_pk)
        partner = self.own_partners().exclude(pk=entry.actor_id).first()
        require(partner is not None, _("Someone from another partner of the alliance confirms it."))
        confirmed = getattr(entry, "confirmation", None) is not None
        ledger.entry_confirm(entry=entry, by=_person(request), partner=partner)  # type: ignore[arg-type]
        code = status.HTTP_200_OK if confirmed else status.HTTP_201_CREATED
        return self.entry_data(entry.pk, code)


class BalancesView(TrustScopedView):
    """Trust balances: the alliance's, each partner's, each directed pair's, the balance at
    the end of every month, and whether the hash chain is intact (the first broken entry if
    not). Only counted entries add up: an unconfirmed self-report waits."""

    @extend_schema(responses={200: BalancesSerializer})
    def get(self, request: Request, alliance_pk: int) -> Response:
        sums = ledger.balances(self.alliance)
        partners = {p.pk: p for p in self.alliance.partners.select_related("organization")}
        broken = ledger.verify(self.alliance)
        data: dict[str, Any] = {
            "alliance": sums.alliance,
            "per_partner": [
                {"partner": partners[pk], "points": points}
                for pk, points in sorted(sums.per_partner.items())
            ],
            "per_pair": [
                {"actor": partners[a], "counterpart": partners[c], "points": points}
                for (a, c), points in sorted(sums.per_pair.items())
            ],
            "trend": [{"month": month.date(), "balance": b} for month, b in sums.trend],
            "awaiting_confirmation": ledger.awaiting_confirmation(self.alliance).count(),
            "chain": {
                "intact": broken is None,
                "broken_at": broken.sequence if broken else None,
                "reason": broken.reason if broken else None,
            },
        }
        return Response(BalancesSerializer(data).data)


# Commitments


class CommitmentScopedView(TrustScopedView):
    managers_write = False  # each write checks the partner the caller speaks for

    def commitments(self) -> QuerySet[Commitment]:
        return Commitment.objects.filter(alliance=self.alliance).select_related(
            "owner__organization", "beneficiary__organization", "created_by"
        )


class CommitmentListView(CommitmentScopedView, generics.ListAPIView[Commitment]):
    """Small promises between partners, soonest due first. The owner partner's
    representatives make one, or a manager. Delivered on time it earns a deposit, late a
    smaller one; left open past its due date, the timer records a withdrawal."""

    queryset = Commitment.objects.none()
    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilter

    def get_queryset(self) -> QuerySet[Commitment]:
        return self.commitments()

    @extend_schema(request=CommitmentInputSerializer, responses={201: CommitmentSerializer})
    def post(self, request: Request, alliance_pk: int) -> Response:
        self.require_speaking_for(None)
        data = self.validated(CommitmentInputSerializer)
        self.require_speaking_for(data["owner"])
        made = commitments.commitment_make(alliance=self.alliance, by=_person(request), **data)
        commitment = self.commitments().get(pk=made.pk)
        return Response(CommitmentSerializer(commitment).data, status.HTTP_201_CREATED)


class CommitmentDeliveredView(CommitmentScopedView):
    """The partner it was promised to marks the promise kept (a person of its organisation):
    the owner earns a deposit, smaller when it came late."""

    @extend_schema(request=None, responses={200: DeliveredSerializer})
    def post(self, request: Request, alliance_pk: int, commitment_pk: int) -> Response:
        commitment = get_object_or_404(self.commitments(), pk=commitment_pk)
        partner = self.own_partners().filter(pk=commitment.beneficiary_id).first()
        require(partner is not None, _("The partner it was promised to marks it delivered."))
        entry = commitments.commitment_deliver(
            commitment=commitment,
            by=_person(request),
            partner=partner,  # type: ignore[arg-type]
        )
        data = {
            "commitment": self.commitments().get(pk=commitment.pk),
            "entry": self.get_entry(entry.pk),
        }
        return Response(DeliveredSerializer(data).data)


# Check-ins


class CheckInScopedView(TrustScopedView):
    def rounds(self) -> QuerySet[CheckInRound]:
        return (
            CheckInRound.objects.filter(alliance=self.alliance)
            .select_related("opened_by")
            .annotate(answer_count=Count("answers"))
            .order_by("-opened_at", "-pk")  # Meta.ordering does not apply to aggregating queries
        )

    def get_round(self, round_pk: int) -> CheckInRound:
        return get_object_or_404(self.rounds(), pk=round_pk)


class CheckInListView(CheckInScopedView, generics.ListAPIView[CheckInRound]):
    """Relationship check-in rounds, latest first; a round opens on the alliance's cadence
    (monthly by default), or when a manager opens one. One round is open at a time."""

    queryset = CheckInRound.objects.none()
    serializer_class = RoundSerializer

    def get_queryset(self) -> QuerySet[CheckInRound]:
        return self.rounds()

    @extend_schema(request=RoundInputSerializer, responses={201: RoundSerializer})
    def post(self, request: Request, alliance_pk: int) -> Response:
        data = self.validated(RoundInputSerializer)
        if data["closes_on"] is not None and data["closes_on"] < timezone.localdate():
            raise ValidationError({"closes_on": [_("Give a closing date from today on.")]})
        opened = checkins.round_open(alliance=self.alliance, by=_person(request), **data)
        return Response(RoundSerializer(self.get_round(opened.pk)).data, status.HTTP_201_CREATED)


def _scores(averages: dict[str, float]) -> list[dict[str, Any]]:
    return [{"item": item, "score": score} for item, score in averages.items()]


class CheckInDetailView(CheckInScopedView):
    """One round: per-item averages, each partner's, the items where partners' views diverge
    most, and the suggestions. An anonymous round shows results only once three people have
    answered. The caller's own answer, if given."""

    @extend_schema(responses={200: RoundDetailSerializer})
    def get(self, request: Request, alliance_pk: int, round_pk: int) -> Response:
        check_in: Any = self.get_round(round_pk)
        found = checkins.results(check_in)
        partners = {p.pk: p for p in self.alliance.partners.select_related("organization")}
        check_in.results = {
            "answers": found.answers,
            "shown": found.shown,
            "averages": _scores(found.averages),
            "by_partner": [
                {"partner": partners[pk], "averages": _scores(averages)}
                for pk, averages in found.by_partner.items()
            ],
            "divergence": [{"item": item, "score": spread} for item, spread in found.divergence],
            "suggestions": found.suggestions,
        }
        check_in.my_answer = (
            CheckInAnswer.objects.filter(round=check_in, person=_person(request))
            .select_related("partner__organization")
            .first()
        )
        return Response(RoundDetailSerializer(check_in).data)


class CheckInAnswerView(CheckInScopedView):
    """Answer the round, or change the caller's answer while it is open: four ratings from 1
    to 5 and one thing that would make the partnership stronger. People of the partner
    organisations answer, each for their own organisation."""

    managers_write = False  # checkins.answer_give checks the caller's partner

    @extend_schema(request=AnswerInputSerializer, responses={200: AnswerSerializer})
    def post(self, request: Request, alliance_pk: int, round_pk: int) -> Response:
        check_in = self.get_round(round_pk)
        data = self.validated(AnswerInputSerializer)
        answer = checkins.answer_give(round=check_in, by=_person(request), **data)
        answer = CheckInAnswer.objects.select_related("partner__organization").get(pk=answer.pk)
        return Response(AnswerSerializer(answer).data)
