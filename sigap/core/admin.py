from django.contrib import admin

from sigap.core.models import PublicHoliday


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin[PublicHoliday]):
    list_display = ["day", "name", "kind"]
    list_filter = ["kind"]
    date_hierarchy = "day"
