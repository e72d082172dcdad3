from django.contrib import admin

from alliances.admin import RecordInline

from .models import Ballot, Charter, CharterVersion, Elector, Vote, VoteChange


class CharterVersionInline(RecordInline):
    model = CharterVersion
    fields = ("number", "status", "summary", "adopted_at")


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


class ElectorInline(RecordInline):
    model = Elector
    fields = ("partner", "weight", "can_veto")


class VoteChangeInline(RecordInline):
    model = VoteChange
    fields = ("partner", "choice", "veto", "cast_by", "at")


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
