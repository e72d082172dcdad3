from django.urls import path

from . import views, views_interests, views_notifications, views_reviews

# URL kwargs are named after their model (alliance_pk, partner_pk, ...): the access test fills
# them by name when it walks every pattern.
alliance = "alliances/<int:alliance_pk>/"
review = alliance + "reviews/<int:review_pk>/"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("alliances/", views.alliance_list, name="alliance_list"),
    path("alliances/new/", views.alliance_create, name="alliance_create"),
    path(alliance, views.alliance_detail, name="alliance_detail"),
    path(alliance + "edit/", views.alliance_edit, name="alliance_edit"),
    path(alliance + "stage/", views.alliance_stage, name="alliance_stage"),
    path(alliance + "partners/add/", views.partner_add, name="partner_add"),
    path(alliance + "partners/<int:partner_pk>/edit/", views.partner_edit, name="partner_edit"),
    path(alliance + "invite/", views.invitation_create, name="invitation_create"),
    path(
        alliance + "invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(alliance + "roles/<int:role_pk>/remove/", views.role_remove, name="role_remove"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]

# The interest map (issue 3): its pages live in views_interests.
goal = alliance + "goals/<int:goal_pk>/"
interest = alliance + "interests/<int:interest_pk>/"
urlpatterns += [
    path(alliance + "interests/", views_interests.interest_map, name="interest_map"),
    path(
        alliance + "interests/export.csv",
        views_interests.interest_map_csv,
        name="interest_map_csv",
    ),
    path(
        alliance + "interests/print/",
        views_interests.interest_map_print,
        name="interest_map_print",
    ),
    path("portfolio/interests/", views_interests.interest_portfolio, name="interest_portfolio"),
    path(alliance + "goals/add/", views_interests.goal_add, name="goal_add"),
    path(goal + "edit/", views_interests.goal_edit, name="goal_edit"),
    path(goal + "delete/", views_interests.goal_delete, name="goal_delete"),
    path(
        alliance + "partners/<int:partner_pk>/interests/add/",
        views_interests.interest_add,
        name="interest_add",
    ),
    path(interest + "edit/", views_interests.interest_edit, name="interest_edit"),
    path(interest + "delete/", views_interests.interest_delete, name="interest_delete"),
    path(interest + "share/", views_interests.interest_share, name="interest_share"),
    path(interest + "links/", views_interests.interest_links, name="interest_links"),
    path(
        interest + "links/<int:link_pk>/delete/",
        views_interests.interest_link_delete,
        name="interest_link_delete",
    ),
    path(alliance + "reviews/", views_reviews.review_list, name="review_list"),
    path(review, views_reviews.review_detail, name="review_detail"),
    path(review + "open/", views_reviews.review_open, name="review_open"),
    path(review + "fit/", views_reviews.review_fit, name="review_fit"),
    path(review + "complete/", views_reviews.review_complete, name="review_complete"),
    path(review + "reschedule/", views_reviews.review_reschedule, name="review_reschedule"),
    path(alliance + "timers/pause/", views_reviews.timers_pause, name="timers_pause"),
    path(alliance + "timers/resume/", views_reviews.timers_resume, name="timers_resume"),
]

# A person's own notifications, email choices and calendar feed.
notification = "notifications/<int:notification_pk>/"
urlpatterns += [
    path("notifications/", views_notifications.notification_list, name="notification_list"),
    path(notification + "read/", views_notifications.notification_read, name="notification_read"),
    path(
        "notifications/read-all/",
        views_notifications.notification_read_all,
        name="notification_read_all",
    ),
    path(
        "notifications/preferences/",
        views_notifications.notification_preferences,
        name="notification_preferences",
    ),
    path("calendar/", views_notifications.calendar_page, name="calendar"),
    path("calendar/new/", views_notifications.calendar_feed_new, name="calendar_feed_new"),
    path("calendar/off/", views_notifications.calendar_feed_off, name="calendar_feed_off"),
    path("calendar/<str:token>.ics", views_notifications.calendar_feed, name="calendar_feed"),
]
