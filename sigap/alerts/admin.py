from django.contrib import admin

from sigap.alerts.models import Alert, AlertEvent


class AlertEventInline(admin.TabularInline[AlertEvent, Alert]):
    model = AlertEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "verb", "from_state", "to_state", "note"]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin[Alert]):
    """Alerts change through their page (every step on the timeline); here they are read-only."""

    list_display = ["pk", "title", "kind", "level", "state", "triggered_at"]
    list_filter = ["kind", "state", "level"]
    inlines = [AlertEventInline]
    readonly_fields = [f.name for f in Alert._meta.fields] + ["regions", "incidents"]

    def has_add_permission(self, request: object) -> bool:
        return False
