"""Portfolio pages: every alliance of a person or an organisation, with its health."""

from django.urls import path

from . import views_portfolio

organization = "organisations/<int:organization_pk>/"

urlpatterns = [
    path("portfolio/", views_portfolio.portfolio_page, name="portfolio"),
    path("portfolio.csv", views_portfolio.portfolio_csv, name="portfolio_csv"),
    path(
        organization + "portfolio/",
        views_portfolio.organization_portfolio,
        name="organization_portfolio",
    ),
    path(
        organization + "portfolio.csv",
        views_portfolio.organization_portfolio_csv,
        name="organization_portfolio_csv",
    ),
    path(organization + "edit/", views_portfolio.organization_edit, name="organization_edit"),
]
