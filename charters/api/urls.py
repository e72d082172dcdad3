"""API v1 for charters and ballots. URL kwargs are named after their model (alliance_pk,
version_pk, ballot_pk): the access test fills them by name when it walks every pattern."""

from django.urls import path

from . import views

app_name = "charters_api"

charter = "v1/alliances/<int:alliance_pk>/charter/"
version = charter + "versions/<int:version_pk>/"
ballots = "v1/alliances/<int:alliance_pk>/ballots/"
ballot = ballots + "<int:ballot_pk>/"

urlpatterns = [
    path(charter, views.CharterView.as_view(), name="charter"),
    path(charter + "audit/", views.AuditView.as_view(), name="charter-audit"),
    path(charter + "diff/", views.DiffView.as_view(), name="charter-diff"),
    path(charter + "versions/", views.VersionListView.as_view(), name="version-list"),
    path(version, views.VersionDetailView.as_view(), name="version-detail"),
    path(version + "propose/", views.VersionProposeView.as_view(), name="version-propose"),
    path(ballots, views.BallotListView.as_view(), name="ballot-list"),
    path(ballot, views.BallotDetailView.as_view(), name="ballot-detail"),
    path(ballot + "vote/", views.BallotVoteView.as_view(), name="ballot-vote"),
]
