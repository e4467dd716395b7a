from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigap.core.crypto import unseal
from sigap.core.roles import CITYWIDE_ROLES, Role, role_of, under_codes
from sigap.intake.choices import (
    GRAVE_SIGNS,
    Channel,
    CrowdSize,
    FieldAnswer,
    MessageDirection,
    PeaceSign,
    PublicStatus,
    Reliability,
    WarningSign,
)


def persons_answer(prefix: str = "") -> Q:
    """A message of the team written by a person (through `prefix`, a path to ReporterMessage); Sigap's own status
    words ("your report was verified") have no author and answer nothing the reporter asked."""
    return Q(**{f"{prefix}direction": MessageDirection.TO_REPORTER, f"{prefix}author__isnull": False})


class ReportQuerySet(models.QuerySet["Report"]):
    def visible_to(self, user: Any) -> ReportQuerySet:
        role = role_of(user)
        if role is None:
            return self.none()
        if role in CITYWIDE_ROLES:
            return self.all()
        if role == Role.TRUSTED_REPORTER:
            return self.filter(submitted_by=user)
        return self.filter(under_codes("region", user.area_codes()))

    def awaiting_answer(self) -> ReportQuerySet:
        """Reports whose reporter wrote (through the receipt page) after the team's last answer: the team owes them
        one. The status words Sigap sends by itself ("your report was verified") answer nothing the reporter asked.
        Annotated with `last_from_reporter`."""
        from_reporter = Q(messages__direction=MessageDirection.FROM_REPORTER)
        to_reporter = persons_answer("messages__")
        return self.annotate(
            last_from_reporter=Max("messages__at", filter=from_reporter),
            last_to_reporter=Max("messages__at", filter=to_reporter),
        ).filter(
            Q(last_from_reporter__isnull=False)
            & (Q(last_to_reporter__isnull=True) | Q(last_to_reporter__lt=F("last_from_reporter")))
        )


class Report(models.Model):
    """One submission from one source, kept as received, with its receipt code."""

    receipt = models.CharField(max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    description = models.TextField(_("what happened"))
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    location_text = models.CharField(_("place (as written)"), max_length=300, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    raw = models.JSONField(default=dict, blank=True, help_text="The payload as received (identity fields removed)")
    groups_involved = models.CharField(_("groups involved"), max_length=300, blank=True)
    crowd_size = models.CharField(_("how many people"), max_length=12, choices=CrowdSize.choices, blank=True)
    weapons_seen = models.BooleanField(_("weapons seen"), default=False)
    mass_mobilisation = models.BooleanField(_("people being mobilised"), default=False)
    online_provocation = models.BooleanField(_("provocation online"), default=False)
    # Identity: sealed (encrypted) at rest; read only through intake.services.report_identity_reveal().
    anonymous = models.BooleanField(_("anonymous"), default=True)
    reporter_name_sealed = models.TextField(blank=True)
    reporter_contact_sealed = models.TextField(blank=True)
    contact_digest = models.CharField(max_length=64, blank=True, db_index=True)
    identity_erased_at = models.DateTimeField(null=True, blank=True)  # kept no longer than needed (identities_expire)
    source_reliability = models.CharField(
        _("source reliability"), max_length=1, choices=Reliability.choices, default=Reliability.F
    )
    partner = models.ForeignKey(
        "intake.ApiPartner", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    idempotency_key = models.CharField(max_length=200, blank=True)
    triage = models.JSONField(default=dict, blank=True, help_text="Automatic suggestions with reasons")
    # Incident is defined by the triage app, which merges reports; referenced by name to keep imports one-way.
    incident = models.ForeignKey(
        "triage.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="report_unique_idempotency_key_per_partner",
            ),
            # NULL partners are distinct in SQL, so anonymous keys (already scoped to the caller) need their own.
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=models.Q(partner__isnull=True) & ~models.Q(idempotency_key=""),
                name="report_unique_anonymous_idempotency_key",
            ),
        ]
        # An incident's latest reports (what a merge compares a new report with) without reading all of them.
        indexes = [models.Index(fields=["incident", "received_at", "id"], name="report_incident_latest")]

    def __str__(self) -> str:
        return self.receipt

    @property
    def has_identity(self) -> bool:
        return bool(self.reporter_name_sealed or self.reporter_contact_sealed)

    def _identity(self) -> tuple[str, str]:
        """Plaintext name and contact. Private: callers go through report_identity_reveal (audited)."""
        return unseal(self.reporter_name_sealed), unseal(self.reporter_contact_sealed)

    @property
    def public_status(self) -> PublicStatus:
        if self.incident is None:
            return PublicStatus.RECEIVED
        shown: dict[str, PublicStatus] = {
            "new": PublicStatus.IN_REVIEW,
            "verified": PublicStatus.VERIFIED,
            "resolved": PublicStatus.RESOLVED,
        }
        return shown.get(self.incident.status, PublicStatus.CLOSED)


class Attachment(models.Model):
    """A photo sent with a report: type and size checked, re-encoded without EXIF or other metadata."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    def __str__(self) -> str:
        return str(self.file.name)


class ReporterMessage(models.Model):
    """The conversation between a reporter (through the receipt) and the team. Never staff notes."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    at = models.DateTimeField(default=timezone.now)  # the service may give the moment (an imported history)
    direction = models.CharField(max_length=12, choices=MessageDirection.choices)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report.receipt} {self.direction} {self.at:%Y-%m-%d %H:%M}"


def once_a_day_per_monitor(prefix: str, *, one_sender: str) -> list[models.BaseConstraint]:
    """One row per monitor and day; the monitor is an account or a person of the directory, never both."""
    return [
        models.UniqueConstraint(fields=["reporter", "day"], name=f"{prefix}_once_a_day"),
        models.UniqueConstraint(fields=["person", "day"], name=f"{prefix}_once_a_day_person"),
        models.CheckConstraint(
            condition=models.Q(reporter__isnull=False, person__isnull=True)
            | models.Q(reporter__isnull=True, person__isnull=False),
            name=one_sender,
        ),
    ]


class NilReport(models.Model):
    """ "Nothing to report in my kelurahan today" from a trusted reporter (laporan nihil): silence that is heard, so
    that a quiet kelurahan can be told from one where nobody is listening (EWARS' zero reporting). One per reporter
    and day; no incident, no triage. The sender is an account, or a person of the directory without one (a ketua
    RW, a tokoh) who sends NIHIL by SMS from the phone the administrator registered for them."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="nil_reports"
    )
    person = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="nil_reports"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="nil_reports")
    day = models.DateField()  # local date
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        constraints = once_a_day_per_monitor("nil_report", one_sender="nil_report_has_one_sender")

    def __str__(self) -> str:
        return f"{self.region_id} {self.day}"


class GatewayCommand(models.Model):
    """A monitor's NIHIL or PANTAU, or a reporter's answer to the team, taken through an SMS/WhatsApp gateway,
    kept by the gateway's message id: a gateway that sends it again (a retry, perhaps hours later) is refused,
    instead of replacing the checklist the reporter sent since or answering twice. The text and the number are not
    kept here (the checklist keeps the note, the report's thread the answer); a public sender's has no one."""

    key = models.CharField(max_length=160, unique=True)  # "<gateway>:<message id>"
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("directory.Person", null=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)  # nil_report, checklist, reply, field_check, courtesy, resolution
    received_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key


def monitor_key(reporter_id: int | None, person_id: int | None) -> str:
    return f"u{reporter_id}" if reporter_id is not None else f"p{person_id}"


class MonitorCheckQuerySet(models.QuerySet["MonitorCheck"]):
    def visible_to(self, user: Any) -> MonitorCheckQuerySet:
        """Staff of the city read them all, others those of their area (a note may name a camp or a person); a
        monitor their own."""
        role = role_of(user)
        if role is None:
            return self.none()
        if role in CITYWIDE_ROLES:
            return self.all()
        if role == Role.TRUSTED_REPORTER:
            return self.filter(reporter=user)
        return self.filter(under_codes("region", user.area_codes()))


class MonitorCheck(models.Model):
    """A field monitor's checklist for their kelurahan (pantauan kondisi wilayah): the warning signs they see and the
    peace signs beside them, before anything has happened. One per monitor and day (sent again, it is replaced);
    the signs of each monitor's latest checklist of the last fortnight weigh in the kelurahan's level. The monitor
    is a trusted reporter's account, or a person of the directory without one who sends PANTAU by SMS."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="monitor_checks"
    )
    person = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="monitor_checks"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="monitor_checks")
    day = models.DateField()  # local date
    at = models.DateTimeField()
    signs = models.JSONField(default=list)  # WarningSign codes
    peace = models.JSONField(default=list)  # PeaceSign codes
    note = models.TextField(blank=True)
    # The gateway ("generic", "twilio") for PANTAU from a registered phone: the analyst weighs a sender id that can
    # be forged.
    via = models.CharField(max_length=8, default="web", blank=True)

    objects = MonitorCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        constraints = once_a_day_per_monitor("monitor_check", one_sender="monitor_check_has_one_monitor")
        indexes = [models.Index(fields=["region", "day"], name="monitor_check_region_day")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.day}"

    @property
    def monitor_key(self) -> str:
        """One key per monitor, account or person: a monitor's latest checklist is the one that weighs."""
        return monitor_key(self.reporter_id, self.person_id)

    @property
    def monitor_name(self) -> str:
        if self.reporter is not None:
            return self.reporter.title or self.reporter.get_username()
        person = self.person
        return f"{person.name} ({person.title})" if person and person.title else str(person or "")

    def sign_items(self) -> list[tuple[str, bool]]:
        """Each warning sign in words, with whether it is a sign of violence being prepared."""
        return [(str(WarningSign(c).label), c in GRAVE_SIGNS) for c in self.signs if c in WarningSign.values]

    def peace_labels(self) -> list[str]:
        return [str(PeaceSign(c).label) for c in self.peace if c in PeaceSign.values]


class ApiPartner(models.Model):
    """A partner system that posts reports with a token (a stored SHA-256 of it, never the token)."""

    name = models.CharField(max_length=120, unique=True)
    organisation = models.ForeignKey("directory.Organisation", null=True, blank=True, on_delete=models.SET_NULL)
    token_sha256 = models.CharField(max_length=64, unique=True)
    reliability = models.CharField(max_length=1, choices=Reliability.choices, default=Reliability.C)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class FieldCheck(models.Model):
    """The team's question about an incident it is verifying, put to a monitor of that kelurahan ("is there still a
    crowd at the market?"), as analysts check with the Bhabinkamtibmas, the Babinsa or the ketua RW before deciding;
    and the monitor's answer, on the web for an account, by SMS (CEK <n> YA|TIDAK|BELUM) from a registered phone.
    Asked of an account or a person of the directory, never both."""

    incident = models.ForeignKey("triage.Incident", on_delete=models.CASCADE, related_name="field_checks")
    question = models.CharField(_("question"), max_length=300)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField()
    due_at = models.DateTimeField()
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="field_checks"
    )
    person = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="field_checks"
    )
    answer = models.CharField(_("answer"), max_length=8, choices=FieldAnswer.choices, blank=True)
    answer_note = models.TextField(_("what was found"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_via = models.CharField(max_length=8, blank=True)  # web, sms

    class Meta:
        ordering = ["asked_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reporter__isnull=False, person__isnull=True)
                | Q(reporter__isnull=True, person__isnull=False),
                name="field_check_asks_an_account_or_a_person",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.question[:40]}"

    @property
    def asked_whom(self) -> str:
        if self.reporter is not None:
            return str(self.reporter.get_full_name() or self.reporter.get_username())
        return str(self.person) if self.person is not None else ""


INCIDENT_RESOLVED = "resolved"  # triage's IncidentStatus.RESOLVED, named here so that intake does not import triage


class ResolutionAnswerQuerySet(models.QuerySet["ResolutionAnswer"]):
    def current(self) -> ResolutionAnswerQuerySet:
        """Answers about the resolution in force: the incident is still resolved, and resolved when they answered
        (one reopened and resolved again is asked afresh)."""
        return self.filter(report__incident__status=INCIDENT_RESOLVED, resolved_at=F("report__incident__closed_at"))

    def disputed(self) -> ResolutionAnswerQuerySet:
        """ "Not settled" answers about the resolution in force that no analyst has looked at yet."""
        return self.current().filter(settled=False, reviewed_at=None)


class ResolutionAnswer(models.Model):
    """A reporter's word on the team's "the problem is resolved" (sampai tuntas, as the reporter sees it): asked on
    the receipt page for some days after the resolution, as LAPOR! asks the complainant and FixMyStreet asks "has
    this been fixed?". One per report and resolution; a "not settled" goes to the secretariat and waits for an
    analyst, who reopens the incident or answers the reporter why it stays resolved."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="resolution_answers")
    resolved_at = models.DateTimeField()  # the incident's closed_at the answer is about
    settled = models.BooleanField()
    note = models.TextField(blank=True)
    answered_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ResolutionAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["answered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "resolved_at"], name="resolution_answer_once_per_resolution")
        ]

    def __str__(self) -> str:
        return f"{self.report.receipt} {'settled' if self.settled else 'not settled'}"


class IdentityRequest(models.Model):
    """An analyst's request to see a reporter's name and contact, for a stated reason, decided by an identity
    custodian (GlobaLeaks' custodian; four eyes). Granted, the requester may reveal that report's identity until
    `valid_until`, each reveal audited as before; refused, the custodian says why."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="identity_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    granted = models.BooleanField(null=True)
    decision_note = models.TextField(blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"identity of report #{self.report_id} for {self.requested_by_id}"
