from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


GENESIS_DIGEST = "0" * 64


class AuditLog(models.Model):
    """Who did what to which object, and when. Written only by core.audit.append, never edited.

    The rows form a hash chain: each row's digest covers its content and the previous row's digest, so
    `sigap audit verify` detects a changed, removed or inserted row (see core/audit.py).
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # The actor's username at the time: part of the digest, so deleting a user does not break the chain.
    actor_name = models.CharField(max_length=150, blank=True, default="")
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    details = models.JSONField(default=dict, blank=True)
    seq = models.BigIntegerField(unique=True)
    prev_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class AuditChainHead(models.Model):
    """The chain's last link (one row): appending locks it, so rows get consecutive numbers even with
    many writers, and truncating the log's tail is detected because the head no longer matches."""

    seq = models.BigIntegerField(default=0)
    digest = models.CharField(max_length=64, default=GENESIS_DIGEST)

    def __str__(self) -> str:
        return f"audit head #{self.seq} {self.digest[:12]}"


class PublicHoliday(models.Model):
    """A day off for the working-day clock: national holidays, cuti bersama, local holidays."""

    day = models.DateField(unique=True)
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=16, default="national", help_text="national, cuti_bersama or local")

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.name}"


class RateCount(models.Model):
    """Requests of one key (a limit's name and a client address) in one fixed window; see core/ratelimit.py."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="ratecount_one_row_per_window")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%H:%M}: {self.count}"


class Document(models.Model):
    """A file kept with a case, a mediation or a meeting: the signed kesepakatan damai, a berita acara, a letter,
    photos of the work on the ground. Written through `core.documents`, which the owning room's service calls so that
    the owner's timeline (or, for a meeting, the audit log) says who added or removed what. A removed document keeps
    its row (who, when, why) and loses its file."""

    owner_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    title = models.CharField(_("what it is"), max_length=200)
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["added_at", "id"]
        indexes = [models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"
