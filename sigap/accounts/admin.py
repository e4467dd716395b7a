from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sigap.accounts.models import User
from sigap.accounts.two_factor import two_factor_off

# django-otp's own pages would show every account's secret key to the administrator and let one add a recovery
# token to any account: the reset below is the only thing an administrator needs (a lost phone), and it is audited.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    list_display = ["username", "first_name", "last_name", "role", "organisation", "area", "two_step", "is_active"]
    list_filter = ["role", "is_active", "organisation"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("Sigap", {"fields": ("role", "organisation", "area", "title", "identity_custodian")}),
    )
    # The Sigap fields on the add page too, so that a link can prefill them (the reporter network's "add one here").
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("Sigap", {"fields": ("role", "organisation", "area", "title")}))
    raw_id_fields = ["area"]
    actions = ["turn_two_step_off"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        # One query for the list's two-step column, not one per row.
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        users: QuerySet[User] = super().get_queryset(request)
        return users.annotate(has_two_step=Exists(confirmed))

    @admin.display(boolean=True, description="Dua langkah / two-step")
    def two_step(self, obj: User) -> bool:
        return bool(getattr(obj, "has_two_step", False))

    @admin.action(description="Matikan masuk dua langkah (HP hilang) / turn two-step sign-in off (lost phone)")
    def turn_two_step_off(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        turned = sum(1 for user in queryset if two_factor_off(user, actor=request.user, reason="administrator reset"))
        messages.success(request, f"{turned} akun / accounts: masuk dua langkah dimatikan / two-step sign-in off")
