"""API v1 of the portfolio."""

from django.urls import path

from . import portfolio_views

app_name = "portfolio_api"

urlpatterns = [
    path("v1/portfolio/", portfolio_views.PortfolioView.as_view(), name="portfolio"),
    path(
        "v1/organizations/<int:organization_pk>/portfolio/",
        portfolio_views.OrganizationPortfolioView.as_view(),
        name="organization-portfolio",
    ),
]
