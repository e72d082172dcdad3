"""API v1 of the portfolio."""

urlpatterns: list = []

app_name = "portfolio_api"
