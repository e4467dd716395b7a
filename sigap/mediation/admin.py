from django.contrib import admin

from sigap.mediation.models import Forum, Mediation


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin[Forum]):
    list_display = ["name", "kind", "organisation", "active"]
    list_filter = ["kind", "active"]
    filter_horizontal = ["areas", "facilitators"]


@admin.register(Mediation)
class MediationAdmin(admin.ModelAdmin[Mediation]):
    """Mediations change through their page (every step on the timeline); here they are read-only."""

    list_display = ["pk", "title", "forum", "status", "opened_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Mediation._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
