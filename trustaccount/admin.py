from django.contrib import admin

from .models import (
    CategoryPoints,
    CheckInAnswer,
    CheckInRound,
    CheckInSchedule,
    Commitment,
    TrustConfirmation,
    TrustEntry,
)


@admin.register(TrustEntry)
class TrustEntryAdmin(admin.ModelAdmin):
    """The ledger is read here, never changed: the database would refuse it anyway."""

    list_display = ["alliance", "sequence", "kind", "category", "points", "actor", "occurred_at"]
    list_filter = ["kind", "category"]
    list_select_related = ["alliance", "actor__organization"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TrustConfirmation)
class TrustConfirmationAdmin(admin.ModelAdmin):
    list_display = ["entry", "partner", "by", "at"]
    list_select_related = ["entry", "partner__organization", "by"]
    raw_id_fields = ["entry", "partner", "by"]


@admin.register(CategoryPoints)
class CategoryPointsAdmin(admin.ModelAdmin):
    list_display = ["alliance", "category", "points"]
    raw_id_fields = ["alliance"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["description", "owner", "beneficiary", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["owner__organization", "beneficiary__organization"]
    raw_id_fields = ["alliance", "owner", "beneficiary", "created_by"]


@admin.register(CheckInSchedule)
class CheckInScheduleAdmin(admin.ModelAdmin):
    list_display = ["alliance", "cadence_days", "anonymous", "next_round_at"]
    raw_id_fields = ["alliance"]


class CheckInAnswerInline(admin.TabularInline):
    model = CheckInAnswer
    raw_id_fields = ["person", "partner"]
    extra = 0


@admin.register(CheckInRound)
class CheckInRoundAdmin(admin.ModelAdmin):
    list_display = ["alliance", "opened_at", "closes_on", "anonymous"]
    raw_id_fields = ["alliance", "opened_by"]
    inlines = [CheckInAnswerInline]
