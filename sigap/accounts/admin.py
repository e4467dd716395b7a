from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from sigap.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    list_display = ["username", "first_name", "last_name", "role", "organisation", "area", "is_active"]
    list_filter = ["role", "is_active", "organisation"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Sigap", {"fields": ("role", "organisation", "area", "title")}))  # type: ignore[misc]
    # The Sigap fields on the add page too, so that a link can prefill them (the reporter network's "add one here").
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("Sigap", {"fields": ("role", "organisation", "area", "title")}))
    raw_id_fields = ["area"]
