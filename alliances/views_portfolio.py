"""The portfolio pages: a person's alliances and an organisation's, with their health, their
CSV exports, and the organisation's own details. The rows come from ``alliances.portfolio``;
an htmx request (the filter form, a sort link) gets the results as a partial of the page."""

from __future__ import annotations

import copy
import csv
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import portfolio, services
from .access import get_organization_for
from .forms import OrganizationForm, add_service_error
from .health import SCORE_RULE, Deadline, Layer
from .portfolio import Portfolio, PortfolioFilterForm, Query, Row
from .spreadsheets import safe_cell
from .views import AuthenticatedRequest

# The sortable columns, in the table's order.
SORTABLE = ("name", "attention", "strategic", "operational", "relational", "deadline")


@dataclass(frozen=True)
class SortLink:
    url: str
    direction: str  # "ascending", "descending" or "" when the table is not sorted by it


def _params(query: Query, **changes: str) -> str:
    """The query string of a valid query (a bad one is left behind, as the rows leave it)."""
    params = {
        "q": query.text,
        "state": query.state,
        "stage": query.stage,
        "organization": str(query.organization.pk) if query.organization else "",
        "sort": "" if query.sort == portfolio.DEFAULT_SORT else query.sort,
    } | changes
    return urlencode({name: value for name, value in params.items() if value})


def _sort_links(page_url: str, query: Query) -> dict[str, SortLink]:
    links = {}
    for key in SORTABLE:
        current = query.sort.lstrip("-") == key
        descending = query.sort.startswith("-")
        target = f"-{key}" if current and not descending else key
        direction = ("descending" if descending else "ascending") if current else ""
        params = _params(query, sort="" if target == portfolio.DEFAULT_SORT else target)
        links[key] = SortLink(f"{page_url}?{params}" if params else page_url, direction)
    return links


def _context(
    form: PortfolioFilterForm,
    found: Portfolio,
    page_url: str,
    csv_url: str,
) -> dict[str, Any]:
    params = _params(found.query)
    return {
        "form": form,
        "portfolio": found,
        "rows": found.rows,
        "sorts": _sort_links(page_url, found.query),
        "page_url": page_url,
        "csv_url": f"{csv_url}?{params}" if params else csv_url,
        "score_rule": SCORE_RULE,
    }


def _render(request: AuthenticatedRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    # A history restore (back button after a cache miss) needs the whole page, not the partial.
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context)


@login_required
def portfolio_page(request: AuthenticatedRequest) -> HttpResponse:
    form = PortfolioFilterForm(request.GET, person=request.user)
    found = portfolio.person_portfolio(request.user, form.query())
    context = _context(form, found, reverse("portfolio"), reverse("portfolio_csv"))
    context["concentrations"] = found.concentrations
    return _render(request, "portfolio/portfolio.html", context)


@login_required
def organization_portfolio(request: AuthenticatedRequest, organization_pk: int) -> HttpResponse:
    organization = portfolio.organization_for_portfolio(request.user, organization_pk)
    form = PortfolioFilterForm(request.GET, person=request.user, organization=organization)
    found = portfolio.organization_portfolio(request.user, organization, form.query())
    urls = [
        reverse(name, kwargs={"organization_pk": organization.pk})
        for name in ("organization_portfolio", "organization_portfolio_csv")
    ]
    context = _context(form, found, *urls) | {
        "organization": organization,
        "concentration": found.concentration,
    }
    return _render(request, "portfolio/organization_portfolio.html", context)


# CSV exports: exactly the rows the page shows for the same query string.


def _deadline_moment(deadline: Deadline | None) -> str:
    if deadline is None:
        return ""
    return deadline.day.isoformat() if deadline.day else timezone.localtime(deadline.at).isoformat()


def _layer_cells(row: Row, layer: str) -> list[object]:
    if row.health is None:
        return ["", ""]
    found = row.health.layer(layer)
    return ["" if found.score is None else found.score, found.get_state_display()]


def _csv(request: AuthenticatedRequest, rows: list[Row], filename: str) -> HttpResponse:
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    writer = csv.writer(response)
    header = [_("Alliance"), _("Stage"), _("Form"), _("Partners")]
    for layer in Layer:
        header += [
            _("%(layer)s score") % {"layer": layer.label},
            _("%(layer)s state") % {"layer": layer.label},
        ]
    header += [
        _("Weakest state"), _("Next deadline"), _("Next deadline at"), _("Open escalations"),
        _("Ballots awaiting your vote"), _("Health page"),
    ]  # fmt: skip
    writer.writerow(header)
    for row in rows:
        deadline = row.next_deadline
        cells: list[object] = [
            row.alliance.name,
            row.alliance.get_stage_display(),
            row.alliance.get_form_display(),
            "; ".join(partner.organization.name for partner in row.partners),
        ]
        for layer in Layer:
            cells += _layer_cells(row, layer)
        cells += [
            row.get_worst_state_display(),
            deadline.title if deadline else "",
            _deadline_moment(deadline),
            row.open_escalations,
            row.ballots_awaiting,
            request.build_absolute_uri(row.health_url),
        ]
        writer.writerow([safe_cell(cell) for cell in cells])
    return response


@login_required
def portfolio_csv(request: AuthenticatedRequest) -> HttpResponse:
    form = PortfolioFilterForm(request.GET, person=request.user)
    found = portfolio.person_portfolio(request.user, form.query())
    return _csv(request, found.rows, "portfolio.csv")


@login_required
def organization_portfolio_csv(request: AuthenticatedRequest, organization_pk: int) -> HttpResponse:
    organization = portfolio.organization_for_portfolio(request.user, organization_pk)
    form = PortfolioFilterForm(request.GET, person=request.user, organization=organization)
    found = portfolio.organization_portfolio(request.user, organization, form.query())
    filename = f"portfolio-{slugify(organization.name) or organization.pk}.csv"
    return _csv(request, found.rows, filename)


@login_required
def organization_edit(request: AuthenticatedRequest, organization_pk: int) -> HttpResponse:
    organization = get_organization_for(request.user, organization_pk, manage=True)
    # The form gets its own copy: a rejected edit must not rename the page's heading.
    form = OrganizationForm(request.POST or None, instance=copy.copy(organization))
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(organization=organization, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": organization.name})
            return redirect("organization_portfolio", organization_pk=organization.pk)
    context = {"form": form, "organization": organization}
    return render(request, "portfolio/organization_form.html", context)
