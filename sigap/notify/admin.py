from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from sigap.core.roles import Role
from sigap.notify.choices import ChannelKind
from sigap.notify.models import Channel, DeliveryAttempt, Notification, RoutingRule
from sigap.notify.services import send_test
from sigap.notify.transports import REGISTRY


class ChannelForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Channel
        fields = ["name", "kind", "config", "organisation", "user", "person", "active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == ChannelKind.IN_APP and not data.get("user"):
            field = "user" if "user" in self.fields else "kind"  # a person's own page has no user field
            self.add_error(field, "Kotak masuk milik akun pengguna / an in-app inbox belongs to a user account")
        if kind in REGISTRY:
            try:
                data["config"] = REGISTRY[kind].validate(data.get("config") or {})
            except ValidationError as exc:
                self.add_error("config", exc.message_dict.get("config", exc.messages))
        if kind == ChannelKind.GATEWAY and "config" not in self.errors:
            self._one_monitor_per_phone(data.get("user"), data.get("person"), str(data["config"].get("phone", "")))
        return data

    def _one_monitor_per_phone(self, user: Any, person: Any, phone: str) -> None:
        """A trusted reporter's or a directory person's phone also says who sends NIHIL and PANTAU
        (intake/commands.py): a number two reporters, or two people, carry would be nobody's, so the second is
        refused here rather than silently there."""
        from sigap.intake.commands import phone_holders

        users, people = phone_holders(phone)
        if user is not None and user.role == Role.TRUSTED_REPORTER:
            others = [u.get_username() for u in users if u.pk != user.pk]
        elif user is None and person is not None:
            others = [p.name for p in people if p.pk != person.pk]
        else:
            return
        if others:
            self.add_error(
                "config",
                f"Nomor ini sudah terdaftar untuk {others[0]}; satu nomor mengenali satu pemantau / "
                f"this number already identifies {others[0]}",
            )


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin[Channel]):
    form = ChannelForm
    list_display = ["name", "kind", "organisation", "user", "person", "active"]
    list_filter = ["kind", "active"]
    raw_id_fields = ["organisation", "user", "person"]
    actions = ["send_a_test"]

    @admin.action(description="Kirim pesan uji / send a test")
    def send_a_test(self, request: HttpRequest, queryset: QuerySet[Channel]) -> None:
        for channel in queryset:
            send_test(channel, request.user)
        messages.success(request, f"{queryset.count()} pesan uji diantrekan / test messages queued")


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin[RoutingRule]):
    list_display = ["name", "region", "min_level", "tier", "active"]
    list_filter = ["tier", "min_level", "active"]
    raw_id_fields = ["region"]
    filter_horizontal = ["organisations", "users"]


class AttemptInline(admin.TabularInline[DeliveryAttempt, Notification]):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "ok", "error", "duration_ms"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["pk", "purpose", "channel", "status", "attempts", "next_attempt_at", "sent_at", "dropped_because"]
    list_filter = ["status", "purpose"]
    inlines = [AttemptInline]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
