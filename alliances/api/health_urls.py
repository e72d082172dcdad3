"""API v1 of alliance health: see alliances.health."""

from django.urls import path

from . import health_views

app_name = "health_api"

alliance = "v1/alliances/<int:alliance_pk>/"

urlpatterns = [
    path(alliance + "health/", health_views.HealthView.as_view(), name="health"),
    path(
        alliance + "health/history/",
        health_views.HealthHistoryView.as_view(),
        name="health-history",
    ),
    path(alliance + "advice/", health_views.AdviceView.as_view(), name="advice"),
    path(
        alliance + "review-triggers/",
        health_views.ReviewTriggerListView.as_view(),
        name="review-triggers",
    ),
]
