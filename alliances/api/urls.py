"""API v1 and its schema. URL kwargs are named after their model (alliance_pk, partner_pk...)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import interest_views, notification_views, review_views, views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/alliances/", views.AllianceListView.as_view(), name="alliance-list"),
    path(
        "v1/alliances/<int:alliance_pk>/",
        views.AllianceDetailView.as_view(),
        name="alliance-detail",
    ),
    path(
        "v1/alliances/<int:alliance_pk>/stage/",
        views.AllianceStageView.as_view(),
        name="alliance-stage",
    ),
    path(
        "v1/alliances/<int:alliance_pk>/stage-history/",
        views.StageHistoryView.as_view(),
        name="alliance-stage-history",
    ),
    path(
        "v1/alliances/<int:alliance_pk>/partners/",
        views.PartnerListView.as_view(),
        name="partner-list",
    ),
    path(
        "v1/alliances/<int:alliance_pk>/partners/<int:partner_pk>/",
        views.PartnerDetailView.as_view(),
        name="partner-detail",
    ),
    path(
        "v1/alliances/<int:alliance_pk>/roles/",
        views.RoleListView.as_view(),
        name="role-list",
    ),
    path(
        "v1/alliances/<int:alliance_pk>/roles/<int:role_pk>/",
        views.RoleDetailView.as_view(),
        name="role-detail",
    ),
    path(
        "v1/alliances/<int:alliance_pk>/invitations/",
        views.InvitationListView.as_view(),
        name="invitation-list",
    ),
    path(
        "v1/alliances/<int:alliance_pk>/invitations/<int:invitation_pk>/",
        views.InvitationDetailView.as_view(),
        name="invitation-detail",
    ),
    path(
        "v1/alliances/<int:alliance_pk>/invitations/<int:invitation_pk>/revoke/",
        views.InvitationRevokeView.as_view(),
        name="invitation-revoke",
    ),
    path("v1/organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path(
        "v1/organizations/<int:organization_pk>/",
        views.OrganizationDetailView.as_view(),
        name="organization-detail",
    ),
]

alliance = "v1/alliances/<int:alliance_pk>/"
interest = alliance + "interests/<int:interest_pk>/"

urlpatterns += [
    path(alliance + "goals/", interest_views.GoalListView.as_view(), name="goal-list"),
    path(
        alliance + "goals/<int:goal_pk>/",
        interest_views.GoalDetailView.as_view(),
        name="goal-detail",
    ),
    path(alliance + "interests/", interest_views.InterestListView.as_view(), name="interest-list"),
    path(interest, interest_views.InterestDetailView.as_view(), name="interest-detail"),
    path(
        interest + "visibility/",
        interest_views.InterestVisibilityView.as_view(),
        name="interest-visibility",
    ),
    path(
        interest + "visibility-history/",
        interest_views.VisibilityHistoryView.as_view(),
        name="interest-visibility-history",
    ),
    path(interest + "links/", interest_views.InterestLinkListView.as_view(), name="link-list"),
    path(
        interest + "links/<int:link_pk>/",
        interest_views.InterestLinkDetailView.as_view(),
        name="link-detail",
    ),
    path(
        alliance + "alignment/",
        interest_views.AllianceAlignmentView.as_view(),
        name="alliance-alignment",
    ),
    path(
        "v1/portfolio/alignment/",
        interest_views.PortfolioAlignmentView.as_view(),
        name="portfolio-alignment",
    ),
]

review = alliance + "reviews/<int:review_pk>/"
notification = "v1/notifications/"

urlpatterns += [
    path(alliance + "reviews/", review_views.ReviewListView.as_view(), name="review-list"),
    path(review, review_views.ReviewDetailView.as_view(), name="review-detail"),
    path(review + "open/", review_views.ReviewOpenView.as_view(), name="review-open"),
    path(review + "fit/", review_views.ReviewFitView.as_view(), name="review-fit"),
    path(review + "complete/", review_views.ReviewCompleteView.as_view(), name="review-complete"),
    path(alliance + "timers/pause/", review_views.TimersPauseView.as_view(), name="timers-pause"),
    path(
        alliance + "timers/resume/", review_views.TimersResumeView.as_view(), name="timers-resume"
    ),
    path(notification, notification_views.NotificationListView.as_view(), name="notification-list"),
    path(
        notification + "<int:notification_pk>/read/",
        notification_views.NotificationReadView.as_view(),
        name="notification-read",
    ),
    path(
        notification + "read-all/",
        notification_views.NotificationReadAllView.as_view(),
        name="notification-read-all",
    ),
    path(
        notification + "unread-count/",
        notification_views.UnreadCountView.as_view(),
        name="notification-unread-count",
    ),
    path(
        notification + "preferences/",
        notification_views.PreferencesView.as_view(),
        name="notification-preferences",
    ),
]
