"""API v1 for trust accounts. URL kwargs are named after their model (alliance_pk, entry_pk,
commitment_pk, round_pk): the access test fills them by name when it walks every pattern.

Ledger entries are never changed or deleted, so no URL offers PUT, PATCH or DELETE: a
mistake is corrected by a reversal."""

from django.urls import path

from . import views

app_name = "trust_api"

trust = "v1/alliances/<int:alliance_pk>/trust/"
entry = trust + "entries/<int:entry_pk>/"
commitment = trust + "commitments/<int:commitment_pk>/"
check_in = trust + "check-ins/<int:round_pk>/"

urlpatterns = [
    path(trust + "entries/", views.EntryListView.as_view(), name="entry-list"),
    path(entry, views.EntryDetailView.as_view(), name="entry-detail"),
    path(entry + "reverse/", views.EntryReverseView.as_view(), name="entry-reverse"),
    path(entry + "confirm/", views.EntryConfirmView.as_view(), name="entry-confirm"),
    path(trust + "balances/", views.BalancesView.as_view(), name="balances"),
    path(trust + "commitments/", views.CommitmentListView.as_view(), name="commitment-list"),
    path(
        commitment + "delivered/",
        views.CommitmentDeliveredView.as_view(),
        name="commitment-delivered",
    ),
    path(trust + "check-ins/", views.CheckInListView.as_view(), name="check-in-list"),
    path(check_in, views.CheckInDetailView.as_view(), name="check-in-detail"),
    path(check_in + "answer/", views.CheckInAnswerView.as_view(), name="check-in-answer"),
]
