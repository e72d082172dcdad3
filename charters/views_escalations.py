"""Escalation pages (issue 6): the board by level, raising one, and its page with the timeline.

Who may do what on an escalation: anyone in the alliance reads and comments; the coalition
managers, the parties' representatives and steering members, and the people the current
level brings in resolve, propose and escalate; only the raiser withdraws; a party asks for
more time once per level and the other parties consent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliances.access import get_alliance_for
from alliances.forms import add_service_error
from alliances.models import Alliance, Partner, Role
from alliances.views import AuthenticatedRequest

from . import escalations as service
from .forms_escalations import (
    CommentForm,
    EscalationRaiseForm,
    ExtensionForm,
    ProposeForm,
    ResolveForm,
)
from .models import CharterVersion, Escalation, EscalationEvent

DETAIL = "escalations/escalation_detail.html"
Event = EscalationEvent.Kind
WITH_WHOM: dict[str, Any] = {
    Role.Kind.PARTNER_REPRESENTATIVE: gettext_lazy("The partners' representatives"),
    Role.Kind.STEERING_COMMITTEE: gettext_lazy("The steering committee"),
    Role.Kind.EXECUTIVE_SPONSOR: gettext_lazy("The executive sponsors"),
}


def _partners() -> Prefetch:
    return Prefetch("partners", queryset=Partner.objects.select_related("organization"))


def _get_escalation_for(
    request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int
) -> Escalation:
    alliance = get_alliance_for(request.user, alliance_pk)
    escalations = (
        Escalation.objects.filter(alliance=alliance)
        .select_related("alliance", "raised_by", "closed_by", "against__organization", "ballot")
        .prefetch_related(_partners())
    )
    return get_object_or_404(escalations, pk=escalation_pk)


def _ladder_in_force(alliance: Alliance) -> list[Any]:
    in_force = CharterVersion.objects.filter(
        charter__alliance=alliance, status=CharterVersion.Status.ADOPTED
    ).first()
    return in_force.rules.ladder if in_force else []


class BoardFilter(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[
            ("", gettext_lazy("Open and closed")),
            ("open", gettext_lazy("Open")),
            ("closed", gettext_lazy("Closed")),
        ],
    )


@login_required
def escalation_list(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    filters = BoardFilter(request.GET)
    show = filters.cleaned_data["status"] if filters.is_valid() else ""
    rows = list(
        Escalation.objects.filter(alliance=alliance)
        .select_related("against__organization")
        .prefetch_related(_partners())
    )
    ladder = _ladder_in_force(alliance)
    columns: list[dict[str, Any]] = [{"name": lv.name, "cards": []} for lv in ladder]
    for escalation in (e for e in rows if e.status == Escalation.Status.OPEN):
        while len(columns) <= escalation.level:
            columns.append({"name": escalation.level_name, "cards": []})
        columns[escalation.level]["cards"].append(escalation)
    context = {
        "alliance": alliance,
        "filters": filters,
        "columns": columns if show != "closed" else [],
        "closed": [e for e in rows if e.status != Escalation.Status.OPEN] if show != "open" else [],
        "has_ladder": bool(ladder),
        "may_raise": service.may_raise(request.user, alliance),
        "now": timezone.now(),
    }
    return render(request, "escalations/escalation_list.html", context)


@login_required
def escalation_raise(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    if not service.may_raise(request.user, alliance):
        raise PermissionDenied(
            _("Coalition managers and partner representatives raise escalations.")
        )
    mine = list(Partner.objects.represented_by(request.user).filter(alliance=alliance))
    form = EscalationRaiseForm(
        request.POST or None,
        alliance=alliance,
        can_name_free_rider=alliance.is_managed_by(request.user),
        initial={"partners": mine},
    )
    if request.method == "POST" and form.is_valid():
        try:
            escalation = service.escalation_raise(
                alliance=alliance, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The escalation is raised and the first level is told."))
            return redirect(escalation_url(escalation))
    context = {"alliance": alliance, "form": form, "has_ladder": bool(_ladder_in_force(alliance))}
    return render(request, "escalations/escalation_form.html", context)


def escalation_url(escalation: Escalation) -> str:
    kwargs = {"alliance_pk": escalation.alliance_id, "escalation_pk": escalation.pk}
    return reverse("escalation_detail", kwargs=kwargs)


@login_required
def escalation_detail(
    request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int
) -> HttpResponse:
    escalation = _get_escalation_for(request, alliance_pk, escalation_pk)
    return render(request, DETAIL, _detail_context(request, escalation))


def _detail_context(
    request: AuthenticatedRequest, escalation: Escalation, **bound: forms.Form
) -> dict[str, Any]:
    standing = service.standing(request.user, escalation)
    events = list(escalation.events.select_related("by", "partner__organization"))
    here = [e for e in events if e.level == escalation.level]
    asked = next((e for e in here if e.kind == Event.EXTENSION_ASKED), None)
    extended = any(e.kind == Event.EXTENDED for e in here)
    agreed = {e.partner_id for e in here if e.kind == Event.EXTENSION_CONSENT}
    if asked:
        agreed.add(asked.partner_id)
    party = standing.party
    return {
        "alliance": escalation.alliance,
        "escalation": escalation,
        "standing": standing,
        "events": events,
        "is_open": escalation.status == Escalation.Status.OPEN,
        "with_whom": WITH_WHOM[service.audience_kind(escalation, escalation.level)],
        "extension_asked": asked if asked and not extended else None,
        "may_ask_extension": party is not None
        and asked is None
        and bool(escalation.level_deadline),
        "may_consent": party is not None
        and asked is not None
        and not extended
        and party.pk not in agreed,
        "waiting_for": [p for p in escalation.partners.all() if p.pk not in agreed],
        "resolve_form": bound.get("resolve_form")
        or ResolveForm(initial={"level": escalation.level}),
        "propose_form": bound.get("propose_form") or ProposeForm(),
        "comment_form": bound.get("comment_form") or CommentForm(),
        "extension_form": bound.get("extension_form") or ExtensionForm(),
        "now": timezone.now(),
    }


def _submit(
    request: AuthenticatedRequest,
    escalation: Escalation,
    name: str,
    form: forms.Form,
    act: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Validate the form and call the service; errors show next to the form's fields."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect(escalation_url(escalation))
    return render(request, DETAIL, _detail_context(request, escalation, **{name: form}))


def _button(
    request: AuthenticatedRequest, escalation: Escalation, act: Callable[[], object], done: str
) -> HttpResponse:
    """A one-click action: the service's refusal becomes a message on the escalation page."""
    try:
        act()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(escalation_url(escalation))


def _acting(request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int) -> Escalation:
    escalation = _get_escalation_for(request, alliance_pk, escalation_pk)
    if not service.standing(request.user, escalation).can_act:
        raise PermissionDenied(
            _("The managers, the parties and the people of the current level act on it.")
        )
    return escalation


def _party(request: AuthenticatedRequest, escalation: Escalation) -> Partner:
    party = service.standing(request.user, escalation).party
    if party is None:
        raise PermissionDenied(
            _("Only a party's representatives and steering members can do this.")
        )
    return party


@require_POST
@login_required
def escalation_resolve(
    request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int
) -> HttpResponse:
    escalation = _acting(request, alliance_pk, escalation_pk)
    return _submit(
        request, escalation, "resolve_form", ResolveForm(request.POST),
        lambda data: service.escalation_resolve(escalation=escalation, by=request.user, **data),
        _("The escalation is resolved and everyone involved is told."),
    )  # fmt: skip


@require_POST
@login_required
def escalation_withdraw(
    request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int
) -> HttpResponse:
    escalation = _get_escalation_for(request, alliance_pk, escalation_pk)
    return _button(
        request, escalation,
        lambda: service.escalation_withdraw(escalation=escalation, by=request.user),
        _("You withdrew the escalation."),
    )  # fmt: skip


@require_POST
@login_required
def escalation_escalate(
    request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int
) -> HttpResponse:
    escalation = _acting(request, alliance_pk, escalation_pk)
    return _button(
        request, escalation,
        lambda: service.escalation_escalate(escalation=escalation, by=request.user),
        _("The escalation moved up to the next level."),
    )  # fmt: skip


@require_POST
@login_required
def escalation_propose(
    request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int
) -> HttpResponse:
    escalation = _acting(request, alliance_pk, escalation_pk)
    return _submit(
        request, escalation, "propose_form", ProposeForm(request.POST),
        lambda data: service.escalation_propose(escalation=escalation, by=request.user, **data),
        _("Your proposal is on the timeline."),
    )  # fmt: skip


@require_POST
@login_required
def escalation_comment(
    request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int
) -> HttpResponse:
    escalation = _get_escalation_for(request, alliance_pk, escalation_pk)
    return _submit(
        request, escalation, "comment_form", CommentForm(request.POST),
        lambda data: service.escalation_comment(escalation=escalation, by=request.user, **data),
        _("Your comment is on the timeline."),
    )  # fmt: skip


@require_POST
@login_required
def extension_ask(
    request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int
) -> HttpResponse:
    escalation = _get_escalation_for(request, alliance_pk, escalation_pk)
    party = _party(request, escalation)
    return _submit(
        request, escalation, "extension_form", ExtensionForm(request.POST),
        lambda data: service.extension_ask(
            escalation=escalation, by=request.user, partner=party, **data
        ),
        _("You asked for more time; the other parties are asked to consent."),
    )  # fmt: skip


@require_POST
@login_required
def extension_consent(
    request: AuthenticatedRequest, alliance_pk: int, escalation_pk: int
) -> HttpResponse:
    escalation = _get_escalation_for(request, alliance_pk, escalation_pk)
    party = _party(request, escalation)
    return _button(
        request, escalation,
        lambda: service.extension_consent(escalation=escalation, by=request.user, partner=party),
        _("Your consent is recorded."),
    )  # fmt: skip
