"""The trust pages: balances, the ledger, quick deposits, commitments and check-ins.

Each view fetches through the alliance the person may see, validates a form, calls a
service of trustaccount (ledger, commitments, checkins) and redirects."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliances.access import get_alliance_for
from alliances.forms import add_service_error
from alliances.models import Alliance, Partner, User
from alliances.spreadsheets import safe_cell
from alliances.views import AuthenticatedRequest

from . import checkins, commitments, ledger
from .charts import trend_chart
from .forms import (
    CheckInAnswerForm,
    CheckInOpenForm,
    CommitmentForm,
    EntryForm,
    LedgerFilterForm,
    PointsForm,
    ReverseForm,
)
from .models import CheckInAnswer, CheckInRound, Commitment, TrustEntry

PAGE_SIZE = 50


def _partners(alliance: Alliance) -> QuerySet[Partner]:
    return alliance.partners.select_related("organization").order_by("organization__name")


def _entries(alliance: Alliance) -> QuerySet[TrustEntry]:
    """Entries with everything a ledger row shows, in one query."""
    return TrustEntry.objects.filter(alliance=alliance).select_related(
        "actor__organization",
        "counterpart__organization",
        "recorded_by",
        "confirmation__partner__organization",
        "reverses",
        "reversed_by",
    )


def _own_partner_ids(user: User, alliance: Alliance) -> set[int]:
    return set(Partner.objects.own_to(user).filter(alliance=alliance).values_list("pk", flat=True))


def _latest_round(alliance: Alliance) -> tuple[CheckInRound | None, checkins.Results | None]:
    latest = CheckInRound.objects.filter(alliance=alliance).first()
    return latest, checkins.results(latest) if latest else None


@login_required
def trust(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    totals = ledger.balances(alliance)
    partners = list(_partners(alliance))
    names = {p.pk: p.organization.name for p in partners}
    latest, results = _latest_round(alliance)
    context = {
        "alliance": alliance,
        "is_manager": alliance.is_managed_by(request.user),
        "balance": totals.alliance,
        "partner_balances": [(p, totals.per_partner.get(p.pk, 0)) for p in partners],
        "pairs": sorted(
            ((names[a], names[c], points) for (a, c), points in totals.per_pair.items()),
            key=lambda row: (-row[2], row[0], row[1]),
        ),
        "chart": trend_chart(totals.trend),
        "broken": ledger.verify(alliance),
        "awaiting": list(
            ledger.awaiting_confirmation(alliance).select_related(
                "actor__organization", "counterpart__organization", "recorded_by"
            )
        ),
        "own_partner_ids": _own_partner_ids(request.user, alliance),
        "commitments": list(_commitments(alliance).filter(status=Commitment.Status.OPEN)),
        "latest_round": latest,
        "results": results,
        "can_log": _may_log(request.user, alliance),
    }
    return render(request, "trust/trust.html", context)


def _may_log(user: User, alliance: Alliance) -> bool:
    represented = Partner.objects.represented_by(user).filter(alliance=alliance)
    return alliance.is_managed_by(user) or represented.exists()


def _loggable(user: User, alliance: Alliance) -> tuple[QuerySet[Partner], bool]:
    """The partners the person records for, and whether they may record withdrawals."""
    manager = alliance.is_managed_by(user)
    if manager:
        return _partners(alliance), True
    represented = _partners(alliance).filter(pk__in=Partner.objects.represented_by(user))
    if not represented.exists():
        raise PermissionDenied(_("Partner representatives and coalition managers log trust."))
    return represented, False


@login_required
def trust_log(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    actors, withdrawals = _loggable(request.user, alliance)
    kwargs: dict[str, Any] = {
        "actors": actors, "partners": _partners(alliance), "withdrawals": withdrawals,
    }  # fmt: skip
    form = EntryForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            ledger.entry_record(alliance=alliance, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Logged. Thank you for keeping the trust account."))
            return redirect("trust", alliance_pk=alliance.pk)
    return render(request, "trust/log.html", {"alliance": alliance, "form": form})


def _filtered(
    request: AuthenticatedRequest, alliance: Alliance
) -> tuple[Any, QuerySet[TrustEntry]]:
    form = LedgerFilterForm(request.GET or None, partners=_partners(alliance))
    entries = _entries(alliance).order_by("-sequence")
    if not form.is_valid():
        return form, entries
    data = form.cleaned_data
    if data.get("partner"):
        entries = entries.filter(actor=data["partner"]) | entries.filter(
            counterpart=data["partner"]
        )
    if data.get("kind"):
        entries = entries.filter(kind=data["kind"])
    if data.get("category"):
        entries = entries.filter(category=data["category"])
    if data.get("month"):
        start = timezone.make_aware(dt.datetime.combine(data["month"], dt.time.min))
        following = (data["month"].replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        end = timezone.make_aware(dt.datetime.combine(following, dt.time.min))
        entries = entries.filter(occurred_at__gte=start, occurred_at__lt=end)
    return form, entries


@login_required
def trust_ledger(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    form, entries = _filtered(request, alliance)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "alliance": alliance,
        "is_manager": alliance.is_managed_by(request.user),
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "own_partner_ids": _own_partner_ids(request.user, alliance),
    }
    template = "trust/ledger.html#ledger-results" if request.htmx else "trust/ledger.html"
    return render(request, template, context)


def _state(entry: TrustEntry) -> str:
    if getattr(entry, "reversed_by", None):
        return _("reversed by #%(n)s") % {"n": entry.reversed_by.sequence}
    if entry.needs_confirmation and not getattr(entry, "confirmation", None):
        return _("awaiting confirmation")
    return _("counts")


@login_required
def trust_ledger_csv(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    _form, entries = _filtered(request, alliance)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="trust-ledger-{alliance.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow([
        _("Number"), _("Kind"), _("Category"), _("Points"), _("Acting partner"),
        _("Counterpart"), _("Note"), _("Happened at"), _("Recorded by"), _("Recorded at"),
        _("Confirmed by"), _("Reverses"), _("State"),
    ])  # fmt: skip
    for e in entries.iterator(chunk_size=500):
        confirmation = getattr(e, "confirmation", None)
        writer.writerow([safe_cell(v) for v in (
            e.sequence, e.get_kind_display(), e.get_category_display(), e.points,
            e.actor.organization.name, e.counterpart.organization.name if e.counterpart else "",
            e.note, timezone.localtime(e.occurred_at).isoformat(), e.recorded_by,
            timezone.localtime(e.recorded_at).isoformat(),
            confirmation.partner.organization.name if confirmation else "",
            f"#{e.reverses.sequence}" if e.reverses else "", _state(e),
        )])  # fmt: skip
    return response


def _get_entry(alliance: Alliance, entry_pk: int) -> TrustEntry:
    return get_object_or_404(_entries(alliance), pk=entry_pk)


@login_required
@require_POST
def entry_confirm(request: AuthenticatedRequest, alliance_pk: int, entry_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    entry = _get_entry(alliance, entry_pk)
    own = Partner.objects.own_to(request.user).filter(alliance=alliance)
    partner = own.exclude(pk=entry.actor_id).select_related("organization").first()
    if partner is None:
        raise PermissionDenied(_("Someone from another partner of the alliance confirms it."))
    try:
        ledger.entry_confirm(entry=entry, by=request.user, partner=partner)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Confirmed: the deposit now counts."))
    return redirect("trust", alliance_pk=alliance.pk)


@login_required
def entry_reverse(request: AuthenticatedRequest, alliance_pk: int, entry_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    entry = _get_entry(alliance, entry_pk)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ledger.entry_reverse(entry=entry, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Entry #%(n)s reversed.") % {"n": entry.sequence})
            return redirect("trust_ledger", alliance_pk=alliance.pk)
    context = {"alliance": alliance, "entry": entry, "form": form}
    return render(request, "trust/reverse.html", context)


def _commitments(alliance: Alliance) -> QuerySet[Commitment]:
    return Commitment.objects.filter(alliance=alliance).select_related(
        "owner__organization", "beneficiary__organization"
    )


@login_required
def commitment_list(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    everything = list(_commitments(alliance))
    context = {
        "alliance": alliance,
        "open": [c for c in everything if c.status == Commitment.Status.OPEN],
        "settled": [c for c in everything if c.status != Commitment.Status.OPEN],
        "own_partner_ids": _own_partner_ids(request.user, alliance),
        "can_make": _may_log(request.user, alliance),
    }
    return render(request, "trust/commitments.html", context)


@login_required
def commitment_make(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    owners, _withdrawals = _loggable(request.user, alliance)
    form = CommitmentForm(request.POST or None, owners=owners, partners=_partners(alliance))
    if request.method == "POST" and form.is_valid():
        try:
            commitments.commitment_make(alliance=alliance, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Commitment recorded."))
            return redirect("commitment_list", alliance_pk=alliance.pk)
    return render(request, "trust/commitment_form.html", {"alliance": alliance, "form": form})


@login_required
@require_POST
def commitment_deliver(
    request: AuthenticatedRequest, alliance_pk: int, commitment_pk: int
) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    commitment = get_object_or_404(_commitments(alliance), pk=commitment_pk)
    partner = Partner.objects.own_to(request.user).filter(pk=commitment.beneficiary_id).first()
    if partner is None:
        raise PermissionDenied(_("The partner it was promised to marks it delivered."))
    try:
        commitments.commitment_deliver(commitment=commitment, by=request.user, partner=partner)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marked delivered: a deposit for %(owner)s.") % {
            "owner": commitment.owner.organization.name
        })  # fmt: skip
    return redirect("commitment_list", alliance_pk=alliance.pk)


@login_required
def check_in_list(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    rounds = list(CheckInRound.objects.filter(alliance=alliance)[:12])
    answered = set(
        CheckInAnswer.objects.filter(round__in=rounds, person=request.user).values_list(
            "round_id", flat=True
        )
    )
    context = {
        "alliance": alliance,
        "is_manager": alliance.is_managed_by(request.user),
        "rounds": [(r, checkins.results(r), r.pk in answered) for r in rounds],
        "may_answer": bool(_own_partner_ids(request.user, alliance)),
        "today": timezone.localdate(),
        "threshold": checkins.ANONYMITY_THRESHOLD,
        "partner_names": {p.pk: p.organization.name for p in _partners(alliance)},
        "items": checkins.ITEMS,
    }
    return render(request, "trust/check_ins.html", context)


@login_required
def check_in_open(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    form = CheckInOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            checkins.round_open(alliance=alliance, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Check-in opened. The partners' people can answer now."))
            return redirect("check_in_list", alliance_pk=alliance.pk)
    return render(request, "trust/check_in_open.html", {"alliance": alliance, "form": form})


@login_required
def check_in_answer(request: AuthenticatedRequest, alliance_pk: int, round_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    check_in = get_object_or_404(CheckInRound.objects.filter(alliance=alliance), pk=round_pk)
    if not _own_partner_ids(request.user, alliance):
        raise PermissionDenied(_("People of the partner organisations answer the check-in."))
    previous = CheckInAnswer.objects.filter(round=check_in, person=request.user).first()
    initial = {f: getattr(previous, f) for f in [*checkins.ITEMS, "one_thing"]} if previous else {}
    form = CheckInAnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            checkins.answer_give(round=check_in, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Thank you: your answer is in."))
            return redirect("check_in_list", alliance_pk=alliance.pk)
    context = {"alliance": alliance, "round": check_in, "form": form, "previous": previous}
    return render(request, "trust/check_in_answer.html", context)


@login_required
def trust_points(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    """Managers weigh the categories for their alliance."""
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    form = PointsForm(request.POST or None, initial_points=ledger.points_table(alliance))
    if request.method == "POST" and form.is_valid():
        try:
            ledger.points_set(alliance=alliance, points_by_category=form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("New entries use these points; past ones keep theirs."))
            return redirect("trust", alliance_pk=alliance.pk)
    return render(request, "trust/points_form.html", {"alliance": alliance, "form": form})
