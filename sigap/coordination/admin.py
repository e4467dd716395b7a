from django.contrib import admin

from sigap.coordination.models import ContactLog, Meeting, PlanItem


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin[Meeting]):
    list_display = ["title", "kind", "held_at"]
    list_filter = ["kind"]


@admin.register(ContactLog)
class ContactLogAdmin(admin.ModelAdmin[ContactLog]):
    list_display = ["at", "organisation", "counterpart", "channel"]


@admin.register(PlanItem)
class PlanItemAdmin(admin.ModelAdmin[PlanItem]):
    list_display = ["year", "part", "action", "owner", "progress"]
    list_filter = ["year", "part"]
