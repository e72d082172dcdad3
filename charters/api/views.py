"""API v1 for charters, their versions and rules, the governance audit, ballots and votes.

Any member of the alliance reads. Coalition managers draft, change, withdraw and propose
versions and open motions; a partner's vote is cast by its delegate (charters.ballots). Writes
call charters.services and charters.ballots, like the pages do; their ValidationErrors
become 400s and their PermissionDenied a 403.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from alliances.api.schema import ValidationErrorSerializer
from alliances.api.views import AllianceScopedView, _person
from alliances.models import Partner, User
from charters import ballots, services
from charters.audit import audit
from charters.diff import prose_diff, rules_diff
from charters.models import Ballot, CharterVersion
from charters.rules import Rules, describe

from .filters import BallotFilter
from .serializers import (
    AuditItemSerializer,
    BallotDetailSerializer,
    BallotSerializer,
    CharterSerializer,
    DiffQuerySerializer,
    DiffSerializer,
    MotionInputSerializer,
    ProposeInputSerializer,
    VersionDetailSerializer,
    VersionSerializer,
    VersionUpdateInputSerializer,
    VoteInputSerializer,
)

# Charter and versions


class CharterScopedView(AllianceScopedView):
    def versions(self) -> QuerySet[CharterVersion]:
        return CharterVersion.objects.filter(charter__alliance=self.alliance).select_related(
            "created_by"
        )

    def get_version(self, version_pk: int) -> CharterVersion:
        versions = self.versions().annotate(adoption_ballot=Max("adoption_ballots"))
        return get_object_or_404(versions, pk=version_pk)

    def described(self, version: CharterVersion | None) -> list[dict[str, str]]:
        if version is None:
            return []
        partners = self.alliance.partners.select_related("organization")
        names = {partner.pk: partner.organization.name for partner in partners}
        return [{"topic": k, "text": v} for k, v in describe(version.rules, names).items()]

    def version_detail(self, version_pk: int, code: int = status.HTTP_200_OK) -> Response:
        # Re-read: the services change the row behind the instance they were given.
        version = self.get_version(version_pk)
        context = {"described": self.described(version)}
        return Response(VersionDetailSerializer(version, context=context).data, code)


class CharterView(CharterScopedView):
    """The alliance's charter: the version in force with its rules (structured and in plain
    language), the open draft and every version, latest first."""

    @extend_schema(responses={200: CharterSerializer})
    def get(self, request: Request, alliance_pk: int) -> Response:
        versions = list(
            # Meta.ordering does not apply to aggregating queries.
            self.versions().annotate(adoption_ballot=Max("adoption_ballots")).order_by("-number")
        )
        in_force = next((v for v in versions if v.status == CharterVersion.Status.ADOPTED), None)
        open_statuses = {CharterVersion.Status.DRAFT, CharterVersion.Status.PROPOSED}
        open_draft = next((v.pk for v in versions if v.status in open_statuses), None)
        charter = {"in_force": in_force, "open_draft": open_draft, "versions": versions}
        context = {"described": self.described(in_force)}
        return Response(CharterSerializer(charter, context=context).data)


class AuditView(AllianceScopedView):
    """The governance audit: what the charter in force covers, misses or should reconsider."""

    @extend_schema(responses={200: AuditItemSerializer(many=True)})
    def get(self, request: Request, alliance_pk: int) -> Response:
        return Response(AuditItemSerializer(audit(self.alliance), many=True).data)


class VersionListView(CharterScopedView, generics.ListAPIView[CharterVersion]):
    """The charter's versions, latest first. Managers start a draft from the version in force."""

    queryset = CharterVersion.objects.none()
    serializer_class = VersionSerializer

    def get_queryset(self) -> QuerySet[CharterVersion]:
        return self.versions()

    @extend_schema(request=None, responses={201: VersionDetailSerializer})
    def post(self, request: Request, alliance_pk: int) -> Response:
        version = services.version_draft(alliance=self.alliance, by=_person(request))
        return self.version_detail(version.pk, status.HTTP_201_CREATED)


class VersionDetailView(CharterScopedView):
    """One version: its prose (Markdown, and sanitised HTML) and its rules. Managers change or
    withdraw a draft; once proposed, a version never changes."""

    @extend_schema(responses={200: VersionDetailSerializer})
    def get(self, request: Request, alliance_pk: int, version_pk: int) -> Response:
        return self.version_detail(version_pk)

    @extend_schema(request=VersionUpdateInputSerializer, responses={200: VersionDetailSerializer})
    def patch(self, request: Request, alliance_pk: int, version_pk: int) -> Response:
        version = self.get_version(version_pk)
        data = self.validated(VersionUpdateInputSerializer)
        services.version_update(
            version=version,
            summary=data.get("summary", version.summary),
            prose=data.get("prose", version.prose),
            rules=Rules.from_json(data["rules"]) if "rules" in data else version.rules,
        )
        return self.version_detail(version_pk)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, alliance_pk: int, version_pk: int) -> Response:
        services.version_withdraw(version=self.get_version(version_pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class VersionProposeView(CharterScopedView):
    """Put a draft to the vote (managers): it is fixed, and a ballot opens under the rules in
    force (the first version needs every partner's yes). Passing adopts it."""

    @extend_schema(request=ProposeInputSerializer, responses={201: BallotDetailSerializer})
    def post(self, request: Request, alliance_pk: int, version_pk: int) -> Response:
        version = self.get_version(version_pk)
        data = self.validated(ProposeInputSerializer)
        ballot = services.version_propose(version=version, by=_person(request), **data)
        return _ballot_detail(_person(request), ballot, status.HTTP_201_CREATED)


class DiffView(CharterScopedView):
    """Two versions side by side: the prose line by line and the rules topic by topic."""

    @extend_schema(
        parameters=[DiffQuerySerializer],
        responses={
            200: DiffSerializer,
            400: OpenApiResponse(ValidationErrorSerializer, _("Invalid input.")),
        },
    )
    def get(self, request: Request, alliance_pk: int) -> Response:
        query = DiffQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        old, new = (self.version_named(query.validated_data, key) for key in ("from", "to"))
        partners = self.alliance.partners.select_related("organization")
        names = {partner.pk: partner.organization.name for partner in partners}
        diff = {
            "old": old,
            "new": new,
            "prose": prose_diff(old, new),
            "rules": [{"topic": t, **asdict(row)} for t, row in rules_diff(old, new, names)],
        }
        return Response(DiffSerializer(diff).data)

    def version_named(self, query: dict[str, int], key: str) -> CharterVersion:
        version = self.versions().filter(pk=query[key]).first()
        if version is None:
            raise ValidationError({key: [_("No such version of this charter.")]})
        return version


# Ballots


@dataclass(frozen=True)
class ElectorRow:
    partner: Partner
    weight: Decimal
    can_veto: bool
    has_voted: bool


def _ballot_detail(person: User, ballot: Ballot, code: int = status.HTTP_200_OK) -> Response:
    # Individual votes show once the ballot is closed, and never on a secret ballot; the
    # delegates of a partner see its own vote, which they may change until closing.
    electors = list(ballot.electors.select_related("partner__organization"))
    votes = list(ballot.votes.select_related("partner__organization"))
    voted = {vote.partner_id for vote in votes}
    voting_for = ballots.partner_voting_as(person, ballot)
    mine = voting_for.pk if voting_for else None
    closed = ballot.status == Ballot.Status.CLOSED
    context: dict[str, Any] = {
        "electors": [
            ElectorRow(e.partner, e.weight, e.can_veto, e.partner_id in voted) for e in electors
        ],
        "my_vote": next((vote for vote in votes if vote.partner_id == mine), None),
        "votes": votes if closed and not ballot.secret else None,
        "totals": ballot.result_json if closed else None,
    }
    return Response(BallotDetailSerializer(ballot, context=context).data, code)


class BallotListView(AllianceScopedView, generics.ListAPIView[Ballot]):
    """The alliance's ballots, latest first. Managers put a free motion to the vote."""

    queryset = Ballot.objects.none()
    serializer_class = BallotSerializer
    filterset_class = BallotFilter

    def get_queryset(self) -> QuerySet[Ballot]:
        return (
            Ballot.objects.filter(alliance=self.alliance)
            .annotate(
                elector_count=Count("electors", distinct=True),
                vote_count=Count("votes", distinct=True),
            )
            .order_by("-opens_at", "-pk")
        )  # Meta.ordering does not apply to aggregating queries

    @extend_schema(request=MotionInputSerializer, responses={201: BallotDetailSerializer})
    def post(self, request: Request, alliance_pk: int) -> Response:
        data = self.validated(MotionInputSerializer)
        ballot = ballots.ballot_open(alliance=self.alliance, by=_person(request), **data)
        return _ballot_detail(_person(request), ballot, status.HTTP_201_CREATED)


class BallotScopedView(AllianceScopedView):
    def get_ballot(self, ballot_pk: int) -> Ballot:
        return get_object_or_404(Ballot.objects.filter(alliance=self.alliance), pk=ballot_pk)


class BallotDetailView(BallotScopedView):
    """One ballot: its question and rules, who may vote with what weight and who has voted;
    how each partner voted and the totals once it is closed (never how on a secret ballot)."""

    @extend_schema(responses={200: BallotDetailSerializer})
    def get(self, request: Request, alliance_pk: int, ballot_pk: int) -> Response:
        return _ballot_detail(_person(request), self.get_ballot(ballot_pk))


class BallotVoteView(BallotScopedView):
    """Cast or change the vote of the partner the caller votes for: its steering committee
    member, or its representative if it has none. Every change is kept."""

    managers_write = False  # vote_cast checks who votes for which partner

    @extend_schema(request=VoteInputSerializer, responses={200: BallotDetailSerializer})
    def post(self, request: Request, alliance_pk: int, ballot_pk: int) -> Response:
        ballot = self.get_ballot(ballot_pk)
        data = self.validated(VoteInputSerializer)
        ballots.vote_cast(ballot=ballot, by=_person(request), **data)
        return _ballot_detail(_person(request), self.get_ballot(ballot_pk))
