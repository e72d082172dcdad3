"""API v1 of the portfolio: the same rows, filters and sorts as the pages
(``alliances.portfolio``). A bad filter or sort is a 400 here, where the page shows its error
above the whole portfolio."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from alliances import portfolio
from alliances.models import Organization

from .portfolio_serializers import OrganizationPortfolioSerializer, PersonPortfolioSerializer
from .schema import ValidationErrorSerializer
from .views import V1View, _person

BAD_QUERY = OpenApiResponse(ValidationErrorSerializer, _("An unknown filter value or sort."))


def _parameters(*, organization: bool) -> list[OpenApiParameter]:
    """The query parameters, described from the form that checks them."""
    parameters = []
    for name, field in portfolio.PortfolioFilterForm.base_fields.items():
        if organization and name == "organization":
            continue
        kind, enum = OpenApiTypes.STR, None
        if isinstance(field, forms.ModelChoiceField):
            kind = OpenApiTypes.INT  # an organisation's id
        elif isinstance(field, forms.ChoiceField):
            enum = [value for value, _label in cast(list[tuple[str, Any]], field.choices) if value]
        description = str(field.label)
        if field.help_text:
            description += f": {field.help_text}"
        parameters.append(OpenApiParameter(name, kind, description=description, enum=enum))
    return parameters


def _query(request: Request, organization: Organization | None = None) -> portfolio.Query:
    form = portfolio.PortfolioFilterForm(
        request.query_params, person=_person(request), organization=organization
    )
    if not form.is_valid():
        raise ValidationError(
            {field: [str(message) for message in errors] for field, errors in form.errors.items()}
        )
    return form.query()


class PortfolioView(V1View):
    """The caller's alliances with each layer's state, the next deadlines, the open escalations
    and the ballots awaiting their vote, and the next moves across the portfolio, most in need
    of attention first unless sorted otherwise; and the concentration risk of the caller's
    organisations."""

    @extend_schema(
        parameters=_parameters(organization=False),
        responses={200: PersonPortfolioSerializer, 400: BAD_QUERY},
    )
    def get(self, request: Request) -> Response:
        found = portfolio.person_portfolio(_person(request), _query(request))
        return Response(PersonPortfolioSerializer(found).data)


class OrganizationPortfolioView(V1View):
    """An organisation's portfolio, for its members: the caller's alliances where it is a
    partner, and how much of its activity hangs on a single alliance (concentration risk)."""

    read_roles_checked = True

    @extend_schema(
        parameters=_parameters(organization=True),
        responses={200: OrganizationPortfolioSerializer, 400: BAD_QUERY},
    )
    def get(self, request: Request, organization_pk: int) -> Response:
        organization = portfolio.organization_for_portfolio(request.user, organization_pk)
        query = _query(request, organization)
        found = portfolio.organization_portfolio(_person(request), organization, query)
        return Response(OrganizationPortfolioSerializer(found).data)
