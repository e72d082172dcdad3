"""The interest map pages: the matrix and its gap analysis, goals, interests, links, exports.

Interests are shown only as ``alliances.alignment`` hands them to the viewer, so another
organisation's summary-only interest shows its summary and its own-organisation-only drafts do
not exist here. Forms load a real interest only through ``get_interest_to_edit``.

Every form is a page of its own; an htmx request gets the form as a partial of the same
template, and a change made through htmx answers with the refreshed map.
"""

from __future__ import annotations

import copy
import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from . import services
from .access import (
    get_alliance_for,
    get_goal_for,
    get_interest_to_edit,
    get_link_to_edit,
    get_partner_to_represent,
)
from .alignment import Alignment, Row, SeenInterest, SeenLink, alignment_for, portfolio
from .forms import GoalForm, InterestForm, InterestLinkForm, InterestShareForm, add_service_error
from .models import Alliance, Goal, Interest, Role
from .spreadsheets import safe_cell
from .views import AuthenticatedRequest

MAP = "interests/interest_map.html"


@dataclass
class InterestLine:
    """One interest as the viewer sees it, with the goals that support it or conflict with it."""

    interest: SeenInterest
    supports: list[tuple[Goal, SeenLink]] = field(default_factory=list)
    conflicts: list[tuple[Goal, SeenLink]] = field(default_factory=list)


@dataclass
class PartnerSection:
    row: Row
    lines: list[InterestLine]


def _sections(alignment: Alignment) -> list[PartnerSection]:
    sections = []
    for row in alignment.rows:
        lines = {interest.id: InterestLine(interest) for interest in row.interests}
        for goal, cell in zip(alignment.goals, row.cells, strict=True):
            for interest, link in cell.supports:
                lines[interest.id].supports.append((goal, link))
            for interest, link in cell.conflicts:
                lines[interest.id].conflicts.append((goal, link))
        sections.append(PartnerSection(row, list(lines.values())))
    return sections


def _read_context(request: AuthenticatedRequest, alliance: Alliance) -> dict[str, Any]:
    """The map as the viewer may see it: what the page, its partial and the print view show."""
    alignment = alignment_for(request.user, alliance)
    partner_of = {partner.pk: partner for partner in alignment.partners}
    return {
        "alliance": alliance,
        "alignment": alignment,
        "sections": _sections(alignment),
        "red_lines": [(partner_of[c.interest.partner_id], c) for c in alignment.red_lines_at_risk],
        "conflicts": [(partner_of[c.interest.partner_id], c) for c in alignment.conflicts],
        "unserved": [(partner_of[i.partner_id], i) for i in alignment.unserved],
    }


def _map_context(request: AuthenticatedRequest, alliance: Alliance) -> dict[str, Any]:
    my_roles = list(alliance.roles.filter(person=request.user))
    return _read_context(request, alliance) | {
        "is_manager": any(role.kind == Role.Kind.COALITION_MANAGER for role in my_roles),
        "represented": {
            role.partner_id for role in my_roles if role.kind == Role.Kind.PARTNER_REPRESENTATIVE
        },
    }


def _next_url(request: AuthenticatedRequest) -> str | None:
    """Where a form opened from another page (``?next=``, e.g. a review's goals) returns to."""
    target = request.POST.get("next") or request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else None


def _back_to_map(request: AuthenticatedRequest, alliance: Alliance, notice: str) -> HttpResponse:
    """After a change: htmx gets the refreshed map in place, a plain POST a redirect to it,
    or to the page the form was opened from."""
    if next_url := _next_url(request):
        messages.success(request, notice)
        return redirect(next_url)
    if request.htmx:
        context = _map_context(request, alliance) | {"notice": notice}
        response = render(request, MAP + "#map", context)
        return retarget(reswap(response, "outerHTML"), "#interest-map")
    messages.success(request, notice)
    return redirect("interest_map", alliance_pk=alliance.pk)


def _form_page(
    request: AuthenticatedRequest, template: str, form: BaseForm, **context: Any
) -> HttpResponse:
    if request.htmx:
        template += "#form"
    return render(request, template, {"form": form, "next_url": _next_url(request), **context})


@login_required
def interest_map(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    template = MAP + "#map" if request.htmx and not request.htmx.history_restore_request else MAP
    return render(request, template, _map_context(request, alliance))


@login_required
def interest_map_print(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    context = _read_context(request, alliance)
    return render(request, "interests/interest_map_print.html", context)


def _goal_titles(pairs: list[tuple[Goal, SeenLink]]) -> str:
    return "; ".join(safe_cell(goal.title) for goal, _link in pairs)


@login_required
def interest_map_csv(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk)
    filename = f"interest-map-{slugify(alliance.name) or alliance.pk}.csv"
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Partner"),
            _("Kind"),
            _("Interest"),
            _("Shown as a summary"),
            _("Importance"),
            _("Red line"),
            _("Visibility"),
            _("Goals that support it"),
            _("Goals in conflict with it"),
        ]
    )
    yes_no = {True: _("yes"), False: _("no")}
    for section in _sections(alignment_for(request.user, alliance)):
        for line in section.lines:
            interest = line.interest
            writer.writerow(
                [
                    safe_cell(section.row.partner.organization.name),
                    interest.get_kind_display(),
                    safe_cell(interest.text),
                    yes_no[interest.is_summary],
                    interest.importance,
                    yes_no[interest.is_red_line],
                    interest.get_visibility_display(),
                    _goal_titles(line.supports),
                    _goal_titles(line.conflicts),
                ]
            )
    return response


@login_required
def interest_portfolio(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "interests/portfolio.html", {"alignments": portfolio(request.user)})


def _saved(
    request: AuthenticatedRequest, form: BaseForm, alliance: Alliance, change: Callable[[], str]
) -> HttpResponse | None:
    """Make a valid POST's change and answer with the map; None leaves the form to show again.

    ``change`` calls the service and says what happened; a service's refusal lands on the form.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        notice = change()
    except ValidationError as error:
        add_service_error(form, error)
        return None
    return _back_to_map(request, alliance, notice)


# Goals: the alliance's coalition managers keep them.


@login_required
def goal_add(request: AuthenticatedRequest, alliance_pk: int) -> HttpResponse:
    alliance = get_alliance_for(request.user, alliance_pk, manage=True)
    form = GoalForm(request.POST or None)

    def add() -> str:
        goal = services.goal_create(alliance=alliance, **form.cleaned_data)
        return _("Goal “%(goal)s” added.") % {"goal": goal}

    return _saved(request, form, alliance, add) or _form_page(
        request, "interests/goal_form.html", form, alliance=alliance
    )


@login_required
def goal_edit(request: AuthenticatedRequest, alliance_pk: int, goal_pk: int) -> HttpResponse:
    goal = get_goal_for(request.user, alliance_pk, goal_pk, manage=True)
    # The form gets its own copy: a rejected edit must not rename the goal on the page.
    form = GoalForm(request.POST or None, instance=copy.copy(goal))

    def edit() -> str:
        services.goal_update(goal=goal, **form.cleaned_data)
        return _("Goal “%(goal)s” saved.") % {"goal": goal}

    return _saved(request, form, goal.alliance, edit) or _form_page(
        request, "interests/goal_form.html", form, alliance=goal.alliance, goal=goal
    )


@require_POST
@login_required
def goal_delete(request: AuthenticatedRequest, alliance_pk: int, goal_pk: int) -> HttpResponse:
    goal = get_goal_for(request.user, alliance_pk, goal_pk, manage=True)
    services.goal_delete(goal=goal)
    return _back_to_map(request, goal.alliance, _("Goal “%(goal)s” removed.") % {"goal": goal})


# Interests: the partner's representatives keep them.


@login_required
def interest_add(request: AuthenticatedRequest, alliance_pk: int, partner_pk: int) -> HttpResponse:
    partner = get_partner_to_represent(request.user, alliance_pk, partner_pk)
    form = InterestForm(request.POST or None)

    def add() -> str:
        services.interest_create(partner=partner, by=request.user, **form.cleaned_data)
        return _("Interest of %(partner)s added.") % {"partner": partner}

    return _saved(request, form, partner.alliance, add) or _form_page(
        request, "interests/interest_form.html", form, alliance=partner.alliance, partner=partner
    )


def _interest_context(interest: Interest) -> dict[str, Any]:
    return {
        "alliance": interest.partner.alliance,
        "partner": interest.partner,
        "interest": interest,
        "links": interest.links.select_related("goal"),
    }


@login_required
def interest_edit(
    request: AuthenticatedRequest, alliance_pk: int, interest_pk: int
) -> HttpResponse:
    interest = get_interest_to_edit(request.user, alliance_pk, interest_pk)
    form = InterestForm(request.POST or None, instance=copy.copy(interest))

    def edit() -> str:
        services.interest_update(interest=interest, **form.cleaned_data)
        return _("The interest is saved.")

    # The sharing history is the interest's own organisation's: get_interest_to_edit let them in.
    changes = interest.visibility_changes.select_related("by")
    return _saved(request, form, interest.partner.alliance, edit) or _form_page(
        request,
        "interests/interest_form.html",
        form,
        **_interest_context(interest),
        changes=changes,
    )


@require_POST
@login_required
def interest_delete(
    request: AuthenticatedRequest, alliance_pk: int, interest_pk: int
) -> HttpResponse:
    interest = get_interest_to_edit(request.user, alliance_pk, interest_pk)
    services.interest_delete(interest=interest)
    return _back_to_map(request, interest.partner.alliance, _("The interest is removed."))


@login_required
def interest_share(
    request: AuthenticatedRequest, alliance_pk: int, interest_pk: int
) -> HttpResponse:
    interest = get_interest_to_edit(request.user, alliance_pk, interest_pk)
    initial = {"visibility": interest.visibility, "summary": interest.summary}
    form = InterestShareForm(request.POST or None, initial=initial)

    def share() -> str:
        change = services.interest_share(interest=interest, by=request.user, **form.cleaned_data)
        visibility = change.get_to_visibility_display()
        return _("The interest is now: %(visibility)s.") % {"visibility": visibility}

    return _saved(request, form, interest.partner.alliance, share) or _form_page(
        request, "interests/interest_share.html", form, **_interest_context(interest)
    )


@login_required
def interest_links(
    request: AuthenticatedRequest, alliance_pk: int, interest_pk: int
) -> HttpResponse:
    interest = get_interest_to_edit(request.user, alliance_pk, interest_pk)
    form = InterestLinkForm(request.POST or None, alliance=interest.partner.alliance)

    def link() -> str:
        saved = services.interest_link(interest=interest, by=request.user, **form.cleaned_data)
        return _("Link to “%(goal)s” saved.") % {"goal": saved.goal}

    return _saved(request, form, interest.partner.alliance, link) or _form_page(
        request, "interests/interest_links.html", form, **_interest_context(interest)
    )


@require_POST
@login_required
def interest_link_delete(
    request: AuthenticatedRequest, alliance_pk: int, interest_pk: int, link_pk: int
) -> HttpResponse:
    link = get_link_to_edit(request.user, alliance_pk, interest_pk, link_pk)
    services.interest_unlink(link=link)
    notice = _("Link to “%(goal)s” removed.") % {"goal": link.goal}
    return _back_to_map(request, link.interest.partner.alliance, notice)
