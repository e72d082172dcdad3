from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    Alliance,
    Goal,
    Interest,
    InterestLink,
    Invitation,
    Notification,
    NotificationPreference,
    Organization,
    OrganizationMembership,
    OutboundEmail,
    Partner,
    PartnerFit,
    Review,
    Role,
    StageTransition,
    TimerPause,
    User,
    VisibilityChange,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "time_zone", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "time_zone")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class RecordInline(admin.TabularInline):
    """A history shown under its object: read, never added to or deleted here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields or [f.name for f in self.model._meta.fields]


class MembershipInline(admin.TabularInline):
    model = OrganizationMembership
    raw_id_fields = ["person"]
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "kind", "created_at"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(OrganizationMembership)
class OrganizationMembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "organization", "joined_at"]
    raw_id_fields = ["person", "organization"]
    list_select_related = ["person", "organization"]


class PartnerInline(admin.TabularInline):
    model = Partner
    raw_id_fields = ["organization"]
    extra = 0


class StageTransitionInline(RecordInline):
    model = StageTransition
    fields = ("at", "from_stage", "to_stage", "by", "note")


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ["name", "form", "market_pace", "stage", "created_at"]
    list_filter = ["stage", "form", "market_pace"]
    search_fields = ["name", "purpose"]
    # The stage changes only through Alliance.move_to, which records the transition.
    readonly_fields = ["stage"]
    inlines = [PartnerInline, StageTransitionInline]


@admin.register(StageTransition)
class StageTransitionAdmin(admin.ModelAdmin):
    list_display = ["alliance", "from_stage", "to_stage", "by", "at"]
    list_filter = ["to_stage"]
    list_select_related = ["alliance", "by"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["organization", "alliance", "resource_share", "joined_on", "exited_on"]
    list_select_related = ["organization", "alliance"]
    raw_id_fields = ["alliance", "organization"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "alliance", "partner"]
    list_filter = ["kind"]
    list_select_related = ["person", "alliance", "partner__organization"]
    raw_id_fields = ["person", "alliance", "partner"]
    search_fields = ["person__email", "alliance__name"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "alliance", "kind", "created_at", "expires_at", "accepted_at"]
    list_select_related = ["alliance"]
    raw_id_fields = ["alliance", "partner", "invited_by", "accepted_by"]
    readonly_fields = ["token_hash"]
    search_fields = ["email"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "alliance", "target_date"]
    list_select_related = ["alliance"]
    raw_id_fields = ["alliance"]
    search_fields = ["title"]


class InterestLinkInline(admin.TabularInline):
    model = InterestLink
    raw_id_fields = ["goal", "created_by"]
    extra = 0


class VisibilityChangeInline(RecordInline):
    model = VisibilityChange
    fields = ("at", "from_visibility", "to_visibility", "by")


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    """Operators (staff) only; the admin is closed to everyone else."""

    list_display = ["partner", "kind", "importance", "is_red_line", "visibility"]
    list_filter = ["kind", "visibility", "is_red_line"]
    list_select_related = ["partner__organization"]
    raw_id_fields = ["partner", "created_by"]
    # Visibility changes only through Interest.change_visibility, which records them.
    readonly_fields = ["visibility"]
    inlines = [InterestLinkInline, VisibilityChangeInline]


class PartnerFitInline(admin.TabularInline):
    model = PartnerFit
    raw_id_fields = ["partner", "recorded_by"]
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["alliance", "status", "due_at", "next_reminder_at", "outcome"]
    list_filter = ["status", "outcome"]
    list_select_related = ["alliance"]
    raw_id_fields = ["alliance", "opened_by", "completed_by"]
    readonly_fields = ["next_reminder_at"]
    inlines = [PartnerFitInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "due_at" in form.changed_data:
            obj.move_due(obj.due_at, timezone.now())


@admin.register(TimerPause)
class TimerPauseAdmin(admin.ModelAdmin):
    list_display = ["alliance", "reason", "paused_at", "resumed_at"]
    list_select_related = ["alliance"]
    raw_id_fields = ["alliance", "paused_by", "resumed_by"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "title", "created_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "alliance"]
    search_fields = ["recipient__email", "title"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "email"]
    raw_id_fields = ["person"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    readonly_fields = ["delivery_key", "last_error"]
