"""API v1 for charters, ballots, escalations and exits. URL kwargs are named after their
model (alliance_pk, version_pk, ballot_pk, escalation_pk, notice_pk, task_pk, asset_pk): the
access test fills them by name when it walks every pattern."""

from django.urls import path

from . import escalation_views as esc
from . import exit_views as exits
from . import views

app_name = "charters_api"

charter = "v1/alliances/<int:alliance_pk>/charter/"
version = charter + "versions/<int:version_pk>/"
ballots = "v1/alliances/<int:alliance_pk>/ballots/"
ballot = ballots + "<int:ballot_pk>/"
escalations = "v1/alliances/<int:alliance_pk>/escalations/"
escalation = escalations + "<int:escalation_pk>/"
plan = "v1/alliances/<int:alliance_pk>/exit-plan/"
notices = "v1/alliances/<int:alliance_pk>/exit-notices/"
notice = notices + "<int:notice_pk>/"

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
    path(escalations, esc.EscalationListView.as_view(), name="escalation-list"),
    path(escalation, esc.EscalationDetailView.as_view(), name="escalation-detail"),
    path(escalation + "resolve/", esc.EscalationResolveView.as_view(), name="escalation-resolve"),
    path(
        escalation + "withdraw/", esc.EscalationWithdrawView.as_view(), name="escalation-withdraw"
    ),
    path(
        escalation + "escalate/", esc.EscalationEscalateView.as_view(), name="escalation-escalate"
    ),
    path(
        escalation + "proposals/", esc.EscalationProposalView.as_view(), name="escalation-proposals"
    ),
    path(escalation + "comments/", esc.EscalationCommentView.as_view(), name="escalation-comments"),
    path(escalation + "extension/", esc.ExtensionAskView.as_view(), name="escalation-extension"),
    path(
        escalation + "extension/consent/",
        esc.ExtensionConsentView.as_view(),
        name="escalation-extension-consent",
    ),
    path(plan, exits.ExitPlanView.as_view(), name="exit-plan"),
    path(plan + "assets/", exits.SharedAssetListView.as_view(), name="exit-plan-assets"),
    path(notices, exits.ExitNoticeListView.as_view(), name="exit-notice-list"),
    path(notice, exits.ExitNoticeDetailView.as_view(), name="exit-notice-detail"),
    path(notice + "withdraw/", exits.ExitNoticeWithdrawView.as_view(), name="exit-notice-withdraw"),
    path(
        notice + "tasks/<int:task_pk>/done/",
        exits.WindDownTaskDoneView.as_view(),
        name="wind-down-task-done",
    ),
    path(
        notice + "assets/<int:asset_pk>/confirm/",
        exits.AssetConfirmView.as_view(),
        name="asset-allocation-confirm",
    ),
]
