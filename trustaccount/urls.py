from django.urls import path

from . import views

# URL kwargs are named after their model (alliance_pk, entry_pk, commitment_pk, round_pk):
# the access test fills them by name when it walks every pattern.
trust = "alliances/<int:alliance_pk>/trust/"
entry = trust + "entries/<int:entry_pk>/"
commitments = trust + "commitments/"
check_ins = trust + "check-ins/"

urlpatterns = [
    path(trust, views.trust, name="trust"),
    path(trust + "log/", views.trust_log, name="trust_log"),
    path(trust + "points/", views.trust_points, name="trust_points"),
    path(trust + "ledger/", views.trust_ledger, name="trust_ledger"),
    path(trust + "ledger.csv", views.trust_ledger_csv, name="trust_ledger_csv"),
    path(entry + "confirm/", views.entry_confirm, name="trust_entry_confirm"),
    path(entry + "reverse/", views.entry_reverse, name="trust_entry_reverse"),
    path(commitments, views.commitment_list, name="commitment_list"),
    path(commitments + "new/", views.commitment_make, name="commitment_make"),
    path(
        commitments + "<int:commitment_pk>/delivered/",
        views.commitment_deliver,
        name="commitment_deliver",
    ),
    path(check_ins, views.check_in_list, name="check_in_list"),
    path(check_ins + "new/", views.check_in_open, name="check_in_open"),
    path(check_ins + "<int:round_pk>/answer/", views.check_in_answer, name="check_in_answer"),
]
