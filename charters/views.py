"""The charter and ballot pages. Each view fetches through the alliance the person may see,
validates a form, calls a service, and redirects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, F, Prefetch, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliances.access import get_alliance_for
from alliances.forms import add_service_error
from alliances.models import Alliance, Partner, Role
from alliances.views import AuthenticatedRequest

from . import ballots, prose, services
from .audit import audit
from .diff import prose_diff, rules_diff
from .forms import BallotForm, DiffForm, VersionForm, VoteForm, option_label
from .models import Ballot, CharterVersion, Vote
from .rules import Mode, describe

T = TypeVar("T")
OPEN_STATUSES = (CharterVersion.Status.DRAFT, CharterVersion.Status.PROPOSED)


def _versions(alliance: Alliance) -> list[CharterVersion]:
    """Every version, newest first, each with its adoption ballots (for the history)."""
    return list(
        CharterVersion.objects.filter(charter__alliance=alliance).prefetch_related(
            Prefetch("adoption_ballots", queryset=Ballot.objects.order_by("-opens_at"))
        )
    )


def _get_version(alliance: Alliance, version_pk: int) -> CharterVersion:
    versions = CharterVersion.objects.filter(charter__alliance=alliance)
    return get_object_or_404(versions.select_related("created_by"), pk=version_pk)


def _get_ballot(alliance: Alliance, ballot_pk: int) -> Ballot:
    related = ("decided_under", "proposal", "lead_partner__organization", "opened_by")
    return get_object_or_404(
        Ballot.objects.filter(alliance=alliance).select_related(*related), pk=ballot_pk
    )


def _partner_names(alliance: Alliance) -> dict[int, str]:
    return dict(alliance.partners.values_list("pk", "organization__name"))


@login_required
def charter(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    versions = _versions(alliance)
    in_force = next((v for v in versions if v.status == CharterVersion.Status.ADOPTED), None)
    context = {
        "alliance": alliance,
        "is_manager": alliance.is_managed_by(request.user),
        "versions": versions,
        "in_force": in_force,
        "open_version": next((v for v in versions if v.status in OPEN_STATUSES), None),
        "rules": describe(in_force.rules, _partner_names(alliance)) if in_force else None,
        "prose": prose.render(in_force.prose) if in_force else "",
        "audit": audit(alliance),
    }
    return render(request, "charters/charter.html", context)


def _attempt(request: AuthenticatedRequest, action: Callable[[], T]) -> T | None:
    """Run a charter action started by a button: its refusal becomes a message on the page."""
    try:
        return action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None


@login_required
@require_POST
def version_start(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    version = _attempt(request, lambda: services.version_draft(alliance=alliance, by=request.user))
    if version is None:
        return redirect("charter", alliance_pk=alliance.pk)
    return redirect("charter_version_edit", alliance_pk=alliance.pk, version_pk=version.pk)


@login_required
def version_detail(
    request: AuthenticatedRequest, alliance_pk: int, version_pk: int
) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    version = _get_version(alliance, version_pk)
    context = {
        "alliance": alliance,
        "is_manager": alliance.is_managed_by(request.user),
        "version": version,
        "rules": describe(version.rules, _partner_names(alliance)),
        "prose": prose.render(version.prose),
        "ballots": version.adoption_ballots.order_by("-opens_at"),
    }
    return render(request, "charters/version_detail.html", context)


@login_required
def version_edit(request: AuthenticatedRequest, alliance_pk: int, version_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    version = _get_version(alliance, version_pk)
    if not version.is_editable:
        messages.error(request, _("Only a draft can change; a proposed version is fixed."))
        return redirect("charter_version", alliance_pk=alliance.pk, version_pk=version.pk)
    partners = list(alliance.partners.filter(exited_on__isnull=True).select_related("organization"))
    form = VersionForm(request.POST or None, version=version, partners=partners)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(
                version=version,
                summary=form.cleaned_data["summary"],
                prose=form.cleaned_data["prose"],
                rules=form.rules(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("charter", alliance_pk=alliance.pk)
    context = {"alliance": alliance, "version": version, "form": form}
    return render(request, "charters/version_form.html", context)


@login_required
@require_POST
def version_propose(
    request: AuthenticatedRequest, alliance_pk: int, version_pk: int
) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    version = _get_version(alliance, version_pk)
    ballot = _attempt(request, lambda: services.version_propose(version=version, by=request.user))
    if ballot is None:
        return redirect("charter", alliance_pk=alliance.pk)
    messages.success(request, _("The version is proposed: the partners' delegates can now vote."))
    return redirect("ballot_detail", alliance_pk=alliance.pk, ballot_pk=ballot.pk)


@login_required
@require_POST
def version_withdraw(
    request: AuthenticatedRequest, alliance_pk: int, version_pk: int
) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    version = _get_version(alliance, version_pk)
    if _attempt(request, lambda: services.version_withdraw(version=version) or True):
        messages.success(request, _("The draft is withdrawn."))
    return redirect("charter", alliance_pk=alliance.pk)


def _default_pair(versions: list[CharterVersion]) -> dict[str, int]:
    """The version in force against the newest one (or the two newest when none is in force)."""
    in_force = next((v for v in versions if v.status == CharterVersion.Status.ADOPTED), None)
    old = in_force or versions[min(1, len(versions) - 1)]
    return {"from": old.pk, "to": versions[0].pk}


@login_required
def charter_diff(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    versions = list(CharterVersion.objects.filter(charter__alliance=alliance))
    context: dict[str, Any] = {"alliance": alliance, "versions": versions}
    if versions:
        form = DiffForm(request.GET or _default_pair(versions), versions=versions)
        pair = form.cleaned_data if form.is_valid() else _default_pair(versions)
        by_pk = {v.pk: v for v in versions}
        old, new = by_pk[pair["from"]], by_pk[pair["to"]]
        context |= {
            "form": form,
            "old": old,
            "new": new,
            "prose_rows": prose_diff(old, new),
            "rules_rows": rules_diff(old, new, _partner_names(alliance)),
        }
    template = "charters/charter_diff.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#comparison"
    return render(request, template, context)


@login_required
def charter_one_page(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    partners = alliance.partners.filter(exited_on__isnull=True).select_related("organization")
    managers = alliance.roles.filter(kind=Role.Kind.COALITION_MANAGER).select_related("person")
    context = {"alliance": alliance, "partners": partners, "managers": managers}
    return render(request, "charters/one_page.html", context)


@login_required
def ballot_list(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    listed = (
        Ballot.objects.filter(alliance=alliance)
        .select_related("decided_under", "proposal")
        .annotate(voted=Count("votes", distinct=True), electorate=Count("electors", distinct=True))
        # Open ballots first, the soonest deadline first; then closed ones, the latest first.
        .order_by(
            "-status", Case(When(status=Ballot.Status.OPEN, then=F("closes_at"))), "-closed_at"
        )
    )
    context = {
        "alliance": alliance,
        "is_manager": alliance.is_managed_by(request.user),
        "ballots": listed,
        "now": timezone.now(),
    }
    return render(request, "charters/ballot_list.html", context)


@login_required
def ballot_create(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    form = BallotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = ballots.ballot_open(
                alliance=alliance,
                by=request.user,
                question=data["question"],
                description=data["description"],
                scope=data["scope"],
                closes_at=data["closes_at"],
                options=form.options(),
                secret=data["secret"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The ballot is open: the partners' delegates are told."))
            return redirect("ballot_detail", alliance_pk=alliance.pk, ballot_pk=ballot.pk)
    return render(request, "charters/ballot_form.html", {"alliance": alliance, "form": form})


def _ballot_context(
    request: AuthenticatedRequest, alliance: Alliance, ballot: Ballot
) -> dict[str, Any]:
    now = timezone.now()
    electors = list(ballot.electors.select_related("partner__organization"))
    votes = {v.partner_id: v for v in ballot.votes.all()}
    closed = ballot.status == Ballot.Status.CLOSED
    my_partner = ballots.partner_voting_as(request.user, ballot)
    show_votes = (
        closed and not ballot.secret
    )  # an open ballot shows who voted; a secret one, never how
    rows = [
        {
            "elector": e,
            "voted": e.partner_id in votes,
            "vote": votes.get(e.partner_id) if show_votes else None,
        }
        for e in electors
    ]
    return {
        "alliance": alliance,
        "ballot": ballot,
        "rows": rows,
        "voted_count": len(votes),
        "now": now,
        "closed": closed,
        "accepting": ballot.is_open_at(now) or (not closed and alliance.is_paused),
        "my_partner": my_partner,
        "my_vote": votes.get(my_partner.pk) if my_partner else None,
        "support": _support(ballot) if closed else [],
        "mode_text": _mode_text(ballot),
        "quorum_percent": f"{ballot.quorum * 100:.0f}",
        "decided_label": option_label(ballot.decided_option),
    }


def _support(ballot: Ballot) -> list[tuple[str, str]]:
    """Each option's share of the weight; a secret ballot keeps none, since shares would tell."""
    support = ballot.result_json.get("support")
    if not support:
        return []
    return [(option_label(option), support.get(option, "0")) for option in ballot.options]


def _mode_text(ballot: Ballot) -> str:
    if ballot.mode == Mode.LEAD_PARTNER and ballot.lead_partner:
        return _("%(partner)s decides as the lead partner") % {
            "partner": ballot.lead_partner.organization.name
        }
    return str(Mode(ballot.mode).label) if ballot.mode in Mode.values else ballot.mode


def _vote_form(ballot: Ballot, partner: Partner, vote: Vote | None, data: Any = None) -> VoteForm:
    can_veto = ballot.electors.filter(partner=partner, can_veto=True).exists()
    initial = {"choice": vote.choice, "veto": vote.veto} if vote else None
    return VoteForm(data, ballot=ballot, can_veto=can_veto, initial=initial)


@login_required
def ballot_detail(request: AuthenticatedRequest, alliance_pk: int, ballot_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    ballot = _get_ballot(alliance, ballot_pk)
    context = _ballot_context(request, alliance, ballot)
    if context["accepting"] and context["my_partner"]:
        context["form"] = _vote_form(ballot, context["my_partner"], context["my_vote"])
    return render(request, "charters/ballot_detail.html", context)


@login_required
@require_POST
def ballot_vote(request: AuthenticatedRequest, alliance_pk: int, ballot_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    ballot = _get_ballot(alliance, ballot_pk)
    partner = ballots.partner_voting_as(request.user, ballot)
    if partner is None:
        raise PermissionDenied(_("You do not cast a vote in this ballot."))
    form = _vote_form(ballot, partner, None, request.POST)
    if form.is_valid():
        try:
            ballots.vote_cast(
                ballot=ballot,
                by=request.user,
                choice=form.cleaned_data["choice"],
                veto=form.cleaned_data.get("veto", False),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your organisation's vote is recorded. You can change it until the ballot closes."
                ),
            )
            return redirect("ballot_detail", alliance_pk=alliance.pk, ballot_pk=ballot.pk)
    context = _ballot_context(request, alliance, ballot) | {"form": form}
    return render(request, "charters/ballot_detail.html", context, status=400)
