from django.contrib import admin

from .models import Ballot, Charter, CharterVersion, Elector, Vote, VoteChange


class CharterVersionInline(admin.TabularInline):
    model = CharterVersion
    fields = ("number", "status", "summary", "adopted_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Charter)
class CharterAdmin(admin.ModelAdmin):
    list_display = ["alliance", "created_at"]
    list_select_related = ["alliance"]
    raw_id_fields = ["alliance"]
    inlines = [CharterVersionInline]


@admin.register(CharterVersion)
class CharterVersionAdmin(admin.ModelAdmin):
    """Versions change only through charters.services: here they are read, not edited."""

    list_display = ["charter", "number", "status", "proposed_at", "adopted_at"]
    list_filter = ["status"]
    list_select_related = ["charter__alliance"]
    readonly_fields = [f.name for f in CharterVersion._meta.fields]


class ElectorInline(admin.TabularInline):
    model = Elector
    readonly_fields = ("partner", "weight", "can_veto")
    extra = 0
    can_delete = False


class VoteChangeInline(admin.TabularInline):
    model = VoteChange
    readonly_fields = ("partner", "choice", "veto", "cast_by", "at")
    extra = 0
    can_delete = False


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    """Ballots are locked records; operators can read them, not rewrite them."""

    list_display = ["question", "alliance", "status", "closes_at", "outcome"]
    list_filter = ["status", "outcome", "subject"]
    list_select_related = ["alliance"]
    readonly_fields = [f.name for f in Ballot._meta.fields]
    inlines = [ElectorInline, VoteChangeInline]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["ballot", "partner", "choice", "veto", "cast_at"]
    list_select_related = ["ballot", "partner__organization"]
    readonly_fields = [f.name for f in Vote._meta.fields]
