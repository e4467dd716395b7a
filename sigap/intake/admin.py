from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sigap.intake.models import ApiPartner, Report, ReporterMessage


class ReporterMessageInline(admin.TabularInline[ReporterMessage, Report]):
    model = ReporterMessage
    extra = 0
    readonly_fields = ["at", "direction", "body", "author"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    """Read-only: reports are changed through the incident pages; identities only through an audited reveal."""

    list_display = ["receipt", "channel", "received_at", "region", "incident", "source_reliability", "anonymous"]
    list_filter = ["channel", "source_reliability", "anonymous"]
    search_fields = ["receipt"]
    exclude = ["reporter_name_sealed", "reporter_contact_sealed", "contact_digest"]
    inlines = [ReporterMessageInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ApiPartner)
class ApiPartnerAdmin(admin.ModelAdmin[ApiPartner]):
    """Tokens are issued with `sigap partners add NAME` (shown once); here only standing and state change."""

    list_display = ["name", "organisation", "reliability", "active", "created_at"]
    readonly_fields = ["token_sha256", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
