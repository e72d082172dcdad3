from django.urls import path

from . import views

# URL kwargs are named after their model (alliance_pk, version_pk, ballot_pk): the access test
# fills them by name when it walks every pattern.
charter = "alliances/<int:alliance_pk>/charter/"
version = charter + "versions/<int:version_pk>/"
ballots = "alliances/<int:alliance_pk>/ballots/"
ballot = ballots + "<int:ballot_pk>/"

urlpatterns = [
    path(charter, views.charter, name="charter"),
    path(charter + "new/", views.version_start, name="charter_version_start"),
    path(charter + "diff/", views.charter_diff, name="charter_diff"),
    path(charter + "one-page/", views.charter_one_page, name="charter_one_page"),
    path(version, views.version_detail, name="charter_version"),
    path(version + "edit/", views.version_edit, name="charter_version_edit"),
    path(version + "propose/", views.version_propose, name="charter_version_propose"),
    path(version + "withdraw/", views.version_withdraw, name="charter_version_withdraw"),
    path(ballots, views.ballot_list, name="ballot_list"),
    path(ballots + "new/", views.ballot_create, name="ballot_create"),
    path(ballot, views.ballot_detail, name="ballot_detail"),
    path(ballot + "vote/", views.ballot_vote, name="ballot_vote"),
]
