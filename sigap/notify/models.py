"""Ways to reach people (channels), who is reached for what (routing rules), and the outbox of messages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sigap.core.crypto import international_phone
from sigap.core.models import TimeStampedModel
from sigap.notify.choices import ChannelKind, NotificationStatus
from sigap.risk.choices import RiskLevel


class Channel(TimeStampedModel):
    """One way to reach an organisation or a person; `config` is checked by the kind's transport."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=ChannelKind.choices)
    config = models.JSONField(_("configuration"), default=dict, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="channels"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="channels"
    )
    # A tokoh, RT/RW head, Babinsa... of the directory without an account: warned of their kelurahan's alerts and
    # asked to pass on clarifications, like the trusted reporters (UU 7/2012: every element of society).
    person = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="channels"
    )
    active = models.BooleanField(_("active"), default=True)
    # A gateway channel's number in international digits (62812...), kept on save: an SMS's sender is found by it
    # (intake/commands.py) with an index, not by reading every channel's configuration.
    phone = models.CharField(max_length=20, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False)
                | models.Q(user__isnull=False)
                | models.Q(person__isnull=False),
                name="channel_has_an_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.phone = gateway_phone(self.kind, self.config)
        if kwargs.get("update_fields") is not None and "config" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "phone"}
        super().save(*args, **kwargs)


def gateway_phone(kind: str, config: Any) -> str:
    if kind != ChannelKind.GATEWAY or not isinstance(config, dict):
        return ""
    return international_phone(str(config.get("phone", "")))[:20]


class RoutingRule(TimeStampedModel):
    """Alerts in `region` (a kelurahan, kecamatan or the city) at `min_level` or above, optionally only some
    categories, go to these organisations and people; tier 0 at once, tier N after N escalation steps."""

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    min_level = models.PositiveSmallIntegerField(_("from level"), choices=RiskLevel.choices, default=RiskLevel.SIAGA)
    categories = models.JSONField(_("categories (empty: all)"), default=list, blank=True)
    tier = models.PositiveSmallIntegerField(
        _("escalation tier"), default=0, help_text=_("0: at once; 1, 2...: when nobody acknowledged in time")
    )
    organisations = models.ManyToManyField("directory.Organisation", blank=True, related_name="+")
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["tier", "name"]

    def __str__(self) -> str:
        return self.name


PURPOSE_LABELS = {
    "alert": pgettext_lazy("notification purpose", "alert"),
    "escalation": pgettext_lazy("notification purpose", "escalation"),
    "reminder": pgettext_lazy("notification purpose", "reminder"),
    "case": pgettext_lazy("notification purpose", "case"),
    "incident": pgettext_lazy("notification purpose", "incident"),
    "mediation": pgettext_lazy("notification purpose", "mediation"),
    "task": pgettext_lazy("notification purpose", "task"),
    "test": pgettext_lazy("notification purpose", "test"),
    "digest": pgettext_lazy("notification purpose", "daily summary"),
    "warning": pgettext_lazy("notification purpose", "early warning to the area's reporters"),
    "reporter": pgettext_lazy("notification purpose", "a reporter waiting for an answer"),
    "report_news": pgettext_lazy("notification purpose", "news of a trusted reporter's own report"),
    "nil_reminder": pgettext_lazy("notification purpose", "asking a silent monitor for news"),
    "clarification": pgettext_lazy("notification purpose", "a rumour found untrue, to pass on"),
    "duty": pgettext_lazy("notification purpose", "the secretariat's duty roster"),
    "field_check": pgettext_lazy("notification purpose", "a field check of an incident"),
    "identity": pgettext_lazy("notification purpose", "a request to see a reporter's identity"),
}
# Only these ask for an acknowledgement: the team's own alert messages. A warning to the area's trusted reporters
# informs them; a tokoh's click must not acknowledge the alert for the team.
ACKNOWLEDGED_PURPOSES = frozenset({"alert", "escalation", "reminder"})


class Notification(models.Model):
    """The outbox: one message to one channel. Written in the transaction of the alert change that caused it;
    the worker claims due rows atomically and records every attempt."""

    alert = models.ForeignKey("alerts.Alert", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="notifications")
    purpose = models.CharField(max_length=16, help_text="alert, escalation, reminder, test")
    tier = models.PositiveSmallIntegerField(default=0)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    idempotency_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(
        max_length=8, choices=NotificationStatus.choices, default=NotificationStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # Why a message was not sent when its turn came (status dropped): what it asked for had been done meanwhile.
    dropped_because = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.purpose} -> {self.channel} ({self.status})"

    @property
    def purpose_label(self) -> str:
        return str(PURPOSE_LABELS.get(self.purpose, self.purpose))


class DeliveryAttempt(models.Model):
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="delivery_attempts")
    at = models.DateTimeField()
    ok = models.BooleanField()
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.at:%H:%M:%S} {'ok' if self.ok else self.error[:40]}"


class InAppMessage(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox")
    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return self.subject


class DutyShiftQuerySet(models.QuerySet["DutyShift"]):
    def standing(self) -> DutyShiftQuerySet:
        """Shifts not called off."""
        return self.filter(cancelled_at=None)

    def covering(self, at: Any) -> DutyShiftQuerySet:
        """The standing shifts under way at `at`."""
        return self.standing().filter(starts_at__lte=at, ends_at__gt=at)


class DutyShift(TimeStampedModel):
    """One analyst's turn at the secretariat's duty desk (piket posko), as an on-call schedule is in a paging
    system: while someone is on duty, the secretariat's notices to people (an urgent report at 2 a.m., a clock run
    out) reach those on duty instead of every analyst, and the one who ends a shift hands over in writing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="duty_shifts", verbose_name=_("on duty")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    handover_note = models.TextField(_("handover"), blank=True)
    handover_at = models.DateTimeField(null=True, blank=True)

    objects = DutyShiftQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="duty_shift_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.starts_at:%Y-%m-%d %H:%M}"
