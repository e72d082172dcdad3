"""API v1 of alliance health: see alliances.health."""

urlpatterns: list = []

app_name = "health_api"
