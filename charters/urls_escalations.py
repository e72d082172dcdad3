from django.urls import path

from . import views_escalations as esc
from . import views_exits as exits

# URL kwargs are named after their model (alliance_pk, escalation_pk, notice_pk, task_pk,
# asset_pk): the access test fills them by name when it walks every pattern.
escalations = "alliances/<int:alliance_pk>/escalations/"
escalation = escalations + "<int:escalation_pk>/"
plan = "alliances/<int:alliance_pk>/exit-plan/"
notices = "alliances/<int:alliance_pk>/exit-notices/"
notice = notices + "<int:notice_pk>/"

urlpatterns = [
    path(escalations, esc.escalation_list, name="escalation_list"),
    path(escalations + "new/", esc.escalation_raise, name="escalation_raise"),
    path(escalation, esc.escalation_detail, name="escalation_detail"),
    path(escalation + "resolve/", esc.escalation_resolve, name="escalation_resolve"),
    path(escalation + "withdraw/", esc.escalation_withdraw, name="escalation_withdraw"),
    path(escalation + "escalate/", esc.escalation_escalate, name="escalation_escalate"),
    path(escalation + "propose/", esc.escalation_propose, name="escalation_propose"),
    path(escalation + "comment/", esc.escalation_comment, name="escalation_comment"),
    path(escalation + "extension/", esc.extension_ask, name="escalation_extension_ask"),
    path(
        escalation + "extension/consent/",
        esc.extension_consent,
        name="escalation_extension_consent",
    ),
    path(plan, exits.exit_plan, name="exit_plan"),
    path(plan + "edit/", exits.exit_plan_edit, name="exit_plan_edit"),
    path(plan + "assets/add/", exits.shared_asset_add, name="shared_asset_add"),
    path(plan + "dissolve/", exits.dissolution_propose, name="dissolution_propose"),
    path(notices + "new/", exits.exit_notice_give, name="exit_notice_give"),
    path(notice, exits.exit_notice_detail, name="exit_notice_detail"),
    path(notice + "withdraw/", exits.exit_notice_withdraw, name="exit_notice_withdraw"),
    path(
        notice + "tasks/<int:task_pk>/done/",
        exits.wind_down_task_done,
        name="wind_down_task_done",
    ),
    path(
        notice + "assets/<int:asset_pk>/confirm/",
        exits.asset_allocation_confirm,
        name="asset_allocation_confirm",
    ),
]
