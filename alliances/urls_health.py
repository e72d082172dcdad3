"""Pages of alliance health: see alliances.health."""

from django.urls import path

from . import views_health

urlpatterns = [
    path(
        "alliances/<int:alliance_pk>/health/", views_health.alliance_health, name="alliance_health"
    ),
]
