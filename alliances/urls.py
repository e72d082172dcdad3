from django.urls import path

from . import views

# URL kwargs are named after their model (alliance_pk, partner_pk, ...): the access test fills
# them by name when it walks every pattern.
alliance = "alliances/<int:alliance_pk>/"

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
