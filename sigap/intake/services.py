"""Report writes: receive from any channel, reveal a reporter's identity (audited), exchange messages."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from sigap.core.crypto import contact_digest, seal
from sigap.core.grading import Reliability
from sigap.core.photos import CleanPhoto
from sigap.core.roles import Role, role_of
from sigap.core.services import audit_record
from sigap.intake.choices import GRAVE_SIGNS, Channel, MessageDirection, PeaceSign, WarningSign
from sigap.intake.models import (
    ApiPartner,
    Attachment,
    IdentityRequest,
    MonitorCheck,
    NilReport,
    Report,
    ReporterMessage,
    persons_answer,
)
from sigap.intake.receipts import receipt_new
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.regions.selectors import region_at_point

# Rooms above intake (triage) register here to act on every new report, so that a 201 means the report and its
# triage are both on disk. Imports stay one-way: intake never imports triage. A hook has two halves: `prepare`
# runs before the write transaction (CPU work: reading text, models), `apply` inside it (the writes). On SQLite
# the write lock is then held only for the writes. `apply` gets the report before it is inserted (no primary key
# yet): what it sets on it is written with the report's own INSERT.
Prepare = Callable[["ReportDraft", "Region | None"], Any]
Apply = Callable[[Report, Any], None]
_received_hooks: list[tuple[Prepare, Apply]] = []

IDENTITY_ROLES = {Role.ADMIN, Role.ANALYST}  # who may see a reporter's name and contact
IDENTITY_FIELDS = ("reporter_name", "reporter_contact", "name", "contact", "phone", "email", "from", "sender")


def on_report_received(*, prepare: Prepare, apply: Apply) -> None:
    if (prepare, apply) not in _received_hooks:
        _received_hooks.append((prepare, apply))


class IdentityAccessDenied(PermissionError):
    pass


@dataclass
class ReportDraft:
    """Everything a channel may know about a report; only `description` is required."""

    channel: Channel
    description: str
    region: Region | None = None
    location_text: str = ""
    latitude: float | None = None
    longitude: float | None = None
    occurred_at: datetime | None = None
    groups_involved: str = ""
    crowd_size: str = ""
    weapons_seen: bool = False
    mass_mobilisation: bool = False
    online_provocation: bool = False
    reporter_name: str = ""
    reporter_contact: str = ""
    anonymous: bool = True
    submitted_by: Any | None = None
    partner: ApiPartner | None = None
    idempotency_key: str = ""
    raw: dict[str, Any] = field(default_factory=dict)
    photos: list[CleanPhoto] = field(default_factory=list)
    received_at: datetime | None = None
    reliability: Reliability | None = None  # set by channels that know better (an imported official log)
    # Where the report is placed when neither the channel nor its words name a kelurahan: a trusted reporter's own,
    # for a text message from their phone (the web form fills it in, and the reporter changes it there).
    home_region: Region | None = None


def _without_identity(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: ("[sealed]" if k.lower() in IDENTITY_FIELDS and v else v) for k, v in raw.items()}


def _reliability(draft: ReportDraft) -> Reliability:
    if draft.reliability is not None:
        return draft.reliability
    if draft.partner is not None:
        return Reliability(draft.partner.reliability)
    if draft.submitted_by is not None and role_of(draft.submitted_by) is not None:
        return Reliability(draft.submitted_by.source_reliability)
    return Reliability.F  # an unknown member of the public: reliability cannot be judged yet


def report_region(draft: ReportDraft) -> Region | None:
    """The kelurahan a draft names, or the one its point lies in."""
    if draft.region is None and draft.latitude is not None and draft.longitude is not None:
        return region_at_point(lat=draft.latitude, lng=draft.longitude)
    return draft.region


def report_build(draft: ReportDraft, region: Region | None) -> Report:
    """The report a draft stores, not yet saved nor triaged, with a new receipt and its identity sealed."""
    keep_identity = not draft.anonymous
    return Report(
        receipt=receipt_new(),
        channel=draft.channel,
        description=draft.description.strip(),
        region=region,
        location_text=draft.location_text.strip()[:300],
        latitude=draft.latitude,
        longitude=draft.longitude,
        occurred_at=draft.occurred_at,
        received_at=draft.received_at or timezone.now(),
        submitted_by=draft.submitted_by,
        raw=_without_identity(draft.raw),
        groups_involved=draft.groups_involved.strip()[:300],
        crowd_size=draft.crowd_size,
        weapons_seen=draft.weapons_seen,
        mass_mobilisation=draft.mass_mobilisation,
        online_provocation=draft.online_provocation,
        anonymous=not keep_identity,
        reporter_name_sealed=seal(draft.reporter_name.strip()) if keep_identity else "",
        reporter_contact_sealed=seal(draft.reporter_contact.strip()) if keep_identity else "",
        contact_digest=contact_digest(draft.reporter_contact) if keep_identity else "",
        source_reliability=_reliability(draft),
        partner=draft.partner,
        idempotency_key=draft.idempotency_key,
    )


def report_receive(draft: ReportDraft) -> tuple[Report, bool]:
    """Store one report as received and run the triage hooks. Returns (report, created).

    A retried request with the same partner and Idempotency-Key returns the first report, created=False.
    """
    if not draft.description.strip():
        raise ValueError("A report needs a description")
    if draft.idempotency_key:
        existing = _replayed(draft)
        if existing:
            return existing, False
    region = report_region(draft)
    # The moment of receipt is fixed before the hooks prepare, so that what they weigh (e.g. a merge window) is
    # what gets stored.
    draft = replace(draft, received_at=draft.received_at or timezone.now())
    prepared = [(apply, prepare(draft, region)) for prepare, apply in _received_hooks]
    for _attempt in range(3):  # a receipt collision is astronomically rare; retry rather than fail
        try:
            with transaction.atomic():
                report = report_build(draft, region)
                # The hooks fill in the report (its place, triage, incident) before it is written: one INSERT
                # with all of it rather than an INSERT and an UPDATE.
                for apply, data in prepared:
                    apply(report, data)
                report.save(force_insert=True)
                for photo in draft.photos:
                    _attach(report, photo)
                return report, True
        except IntegrityError:
            existing = _replayed(draft) if draft.idempotency_key else None
            if existing:  # a concurrent retry won the race: answer with its report
                return existing, False
            continue
    raise RuntimeError("Could not store the report (receipt allocation failed three times)")


def draft_of(report: Report) -> ReportDraft:
    """What triage reads of a stored report (no identity: triage never needs it)."""
    return ReportDraft(
        channel=Channel(report.channel),
        description=report.description,
        region=report.region,
        location_text=report.location_text,
        latitude=report.latitude,
        longitude=report.longitude,
        occurred_at=report.occurred_at,
        groups_involved=report.groups_involved,
        crowd_size=report.crowd_size,
        weapons_seen=report.weapons_seen,
        mass_mobilisation=report.mass_mobilisation,
        online_provocation=report.online_provocation,
        received_at=report.received_at,
    )


def report_hooks_run(report: Report) -> bool:
    """Triage a report that was stored without its hooks, in a transaction of its own; False when it was triaged
    already (a second run finishes what an interrupted one left, and does nothing twice)."""
    if report.triage or report.incident_id is not None:
        return False
    draft = draft_of(report)
    prepared = [(apply, prepare(draft, report.region)) for prepare, apply in _received_hooks]
    with transaction.atomic():
        if Report.objects.filter(pk=report.pk).values_list("triage", flat=True).first():
            return False  # another run got here first
        for apply, data in prepared:
            apply(report, data)
    return True


def _replayed(draft: ReportDraft) -> Report | None:
    # The unique indexes are partial (keys that are not empty): SQLite uses one only when the query repeats its
    # condition, and without it searched every report of the partner, or every public one (4 ms at 6,000 reports,
    # growing; an imported log asks once per row).
    keyed = Report.objects.exclude(idempotency_key="").order_by()  # at most one row: nothing to sort
    found = list(keyed.filter(partner=draft.partner, idempotency_key=draft.idempotency_key)[:1])
    return found[0] if found else None


def _attach(report: Report, photo: CleanPhoto) -> Attachment:
    attachment = Attachment(
        report=report,
        content_type=photo.content_type,
        size=len(photo.content),
        sha256=photo.sha256,
        width=photo.width,
        height=photo.height,
    )
    # A random file name: the reporter's own file name may carry a name or a place.
    attachment.file.save(f"{uuid.uuid4().hex}.{photo.extension}", ContentFile(photo.content), save=False)
    attachment.save()
    return attachment


@dataclass(frozen=True)
class Identity:
    name: str
    contact: str


class IdentityConsentNeeded(PermissionError):
    """Identity custodians are named and none has consented to this user seeing this report's identity (now)."""


def identity_custodians() -> list[Any]:
    """The active accounts that decide requests to see a reporter's identity; none: analysts decide alone."""
    from sigap.accounts.models import User

    return list(User.objects.filter(identity_custodian=True, is_active=True).order_by("pk"))


def identity_consent(report: Report, user: Any, at: datetime | None = None) -> IdentityRequest | None:
    """The custodian's consent in force for `user` to see this report's identity, if any."""
    at = at or timezone.now()
    granted = IdentityRequest.objects.filter(report=report, requested_by=user, granted=True, valid_until__gt=at)
    return granted.order_by("-valid_until").first()


def report_identity_reveal(*, report: Report, user: Any, reason: str, at: datetime | None = None) -> Identity:
    """The reporter's name and contact, for roles that need them; every reveal is written to the audit log. While
    identity custodians are named, only with a custodian's consent in force (IdentityConsentNeeded otherwise)."""
    if role_of(user) not in IDENTITY_ROLES:
        audit_record(actor=user, action="report.identity_denied", target=report, details={"reason": reason})
        raise IdentityAccessDenied("This role may not see reporters' identities")
    if not reason.strip():
        raise ValueError("A reason is required to reveal a reporter's identity")
    details: dict[str, Any] = {"reason": reason.strip()}
    if identity_custodians():
        consent = identity_consent(report, user, at)
        if consent is None:
            raise IdentityConsentNeeded("A custodian's consent is needed to see this reporter's identity")
        details |= {"consent": consent.pk, "consented_by": consent.decided_by_id}
    name, contact = report._identity()
    audit_record(actor=user, action="report.identity_revealed", target=report, details=details)
    return Identity(name=name, contact=contact)


class NilReportRefused(ValueError):
    pass


@dataclass(frozen=True)
class Monitor:
    """Who sends a nil report or a checklist: a trusted reporter's account, or a serving person of the directory
    without one (a ketua RW, a tokoh agama) whose phone the administrator registered, by SMS."""

    region_id: int
    user: Any | None = None
    person: Any | None = None

    @property
    def sender(self) -> dict[str, Any]:
        return {"reporter": self.user} if self.user is not None else {"person": self.person}


def monitor_of(*, user: Any | None = None, person: Any | None = None) -> Monitor | None:
    """The monitor `user` or `person` is, or None: a trusted reporter with a kelurahan, or a person of the directory
    who still serves, placed in a kelurahan."""
    if user is not None:
        if role_of(user) == Role.TRUSTED_REPORTER and getattr(user, "area_id", None):
            return Monitor(region_id=user.area_id, user=user)
        return None
    if person is not None and person.active and person.region and person.region.level == Level.DESA_KELURAHAN:
        return Monitor(region_id=person.region_id, person=person)
    return None


def nil_report_send(*, user: Any = None, person: Any = None, at: datetime | None = None) -> NilReport:
    """A trusted reporter (or a person of the directory, by SMS) says nothing happened in their kelurahan today; sent
    again the same day, it is the same nil report with its time moved on."""
    at = at or timezone.now()
    monitor = monitor_of(user=user, person=person)
    if monitor is None:
        raise NilReportRefused("Only a trusted reporter with a kelurahan sends a nil report")
    nil, _created = NilReport.objects.update_or_create(
        **monitor.sender, day=timezone.localdate(at), defaults={"region_id": monitor.region_id, "at": at}
    )
    return nil


MONITOR_NOTE_MAX = 2000
MONITOR_DAYS = 14  # a monitor's checklist weighs for a fortnight, unless a later one of theirs replaces it

# Rooms above intake (risk) follow a monitor's checklist after its commit: the kelurahan's level weighs its signs.
_monitor_hooks: list[Callable[[MonitorCheck], None]] = []


def on_monitor_check(hook: Callable[[MonitorCheck], None]) -> None:
    if hook not in _monitor_hooks:
        _monitor_hooks.append(hook)


@contextmanager
def monitor_hooks_paused() -> Iterator[None]:
    """Bulk loads (the demo) skip the assessment after each checklist and assess once at the end."""
    saved = _monitor_hooks[:]
    _monitor_hooks.clear()
    try:
        yield
    finally:
        _monitor_hooks[:] = saved


class MonitorNotAllowed(PermissionError):
    pass


class MonitorCheckRefused(ValueError):
    """A checklist that cannot be taken; the message is for the monitor."""


@transaction.atomic
def monitor_check_send(
    *,
    user: Any = None,
    person: Any = None,
    signs: list[str],
    peace: list[str],
    note: str = "",
    at: datetime | None = None,
    via: str = "web",
) -> MonitorCheck:
    """A monitor's checklist for their kelurahan today (a trusted reporter's, or a directory person's by SMS): the
    warning signs seen and the peace signs beside them (none of either is an answer too: all is calm). Sent again
    the same day, it replaces that day's. Audited, and the kelurahan's level is assessed again after the commit."""
    at = at or timezone.now()
    monitor = monitor_of(user=user, person=person)
    if monitor is None:
        raise MonitorNotAllowed(
            "Only a trusted reporter with a kelurahan, or a serving person placed in one, sends a checklist"
        )
    unknown = sorted((set(signs) - set(WarningSign.values)) | (set(peace) - set(PeaceSign.values)))
    if unknown:
        raise MonitorCheckRefused(f"Not on the checklist: {', '.join(unknown)}")
    if len(note) > MONITOR_NOTE_MAX:
        raise MonitorCheckRefused(f"The note is longer than {MONITOR_NOTE_MAX} characters")
    # Stored in the checklist's order, each once: the same answers always read the same.
    values = {
        "region_id": monitor.region_id,
        "at": at,
        "signs": [c for c in WarningSign.values if c in signs],
        "peace": [c for c in PeaceSign.values if c in peace],
        "note": note.strip(),
        "via": via,
    }
    day = timezone.localdate(at)
    before = (
        MonitorCheck.objects.filter(**monitor.sender, day__lt=day, day__gte=day - timedelta(days=MONITOR_DAYS - 1))
        .order_by("-day")
        .values_list("signs", flat=True)
        .first()
    )
    check, created = MonitorCheck.objects.update_or_create(**monitor.sender, day=day, defaults=values)
    audit_record(
        actor=user,
        action="monitor.check_sent" if created else "monitor.check_replaced",
        target=check,
        details={"signs": check.signs, "peace": check.peace, "via": via}
        | ({"person": person.pk} if monitor.person is not None else {}),
    )
    newly_grave = [str(c) for c in GRAVE_SIGNS if c in check.signs and c not in (before or [])]
    if newly_grave:
        transaction.on_commit(partial(_tell_secretariat_grave_signs, check, newly_grave), robust=True)
    for hook in _monitor_hooks:
        transaction.on_commit(lambda hook=hook: hook(check), robust=True)  # type: ignore[misc]
    return check


def _tell_secretariat_grave_signs(check: MonitorCheck, signs: list[str]) -> None:
    """A monitor newly ticks a sign of violence being prepared (weapons, intimidation, a mobilisation, outsiders):
    the secretariat hears at once, as it does of an urgent report, instead of at its next look at the kelurahan.
    The message leaves Sigap by SMS or e-mail: the place and the signs, never the monitor's name or note (those are
    on the kelurahan's page). Once per monitor, day and set of signs."""
    from django.utils import translation

    from sigap.notify.services import public_link, queue_to_secretariat

    region = check.region
    kecamatan = region.parent
    with translation.override("id"):
        words = "; ".join(str(WarningSign(c).label).lower() for c in signs)
        body = (
            f"Pemantau lapangan di {region.name}"
            + (f" (Kecamatan {kecamatan.name})" if kecamatan else "")
            + f" mencentang: {words}.\n"
            + "Tanda ini ikut menaikkan tingkat kewaspadaan; baca catatannya dan pertimbangkan tindak lanjut.\n"
            + "(A field monitor ticked a sign of violence being prepared.)\n"
            + public_link("risk:area", region.code)
            + "#checks"
        )
    queue_to_secretariat(
        purpose="incident",
        subject=f"[Pantauan] {region.name}: {words}",
        body=body,
        key=f"monitor{check.reporter_id or f'p{check.person_id}'}:{check.day.isoformat()}:{'+'.join(signs)}",
        at=check.at,
    )


def text_gateway_on() -> bool:
    """A gateway takes SMS/WhatsApp messages in (the generic webhook's secret or Twilio's token is set)."""
    return bool(settings.SIGAP_GATEWAY_SECRET or settings.SIGAP_TWILIO_AUTH_TOKEN)


def public_text_number() -> str:
    """The SMS/WhatsApp number Sigap gives people (LAPOR, NIHIL, PANTAU), where a gateway takes messages."""
    return settings.SIGAP_GATEWAY_NUMBER if text_gateway_on() else ""


def _latest(rows: Any, column: str) -> Subquery:
    return Subquery(rows.order_by(f"-{column}").values(column)[:1])


def nil_report_reminders_due(now: datetime) -> int:
    """A trusted reporter not heard from (no report, no nil report, no checklist) for SIGAP_NIL_REPORT_REMIND_DAYS is
    asked once, from the digest hour, for a report or a nil report; again after as many days of silence. Returns the
    messages queued (the worker's minute)."""
    from django.contrib.auth import get_user_model

    from sigap.notify.services import public_link, queue_to

    days = settings.SIGAP_NIL_REPORT_REMIND_DAYS
    if days <= 0 or timezone.localtime(now).hour < settings.SIGAP_DIGEST_HOUR:
        return 0
    today = timezone.localdate(now)
    number = public_text_number()
    by_text = f" Tanpa kuota: NIHIL, atau PANTAU + nomor tanda, lewat SMS ke {number}." if number else ""
    queued = 0
    reporters = (
        get_user_model()
        .objects.filter(role=Role.TRUSTED_REPORTER, is_active=True, area__isnull=False)
        .select_related("area")
        .annotate(
            # One subquery each: three aggregates over three joins would multiply every reporter's rows.
            last_report=_latest(
                Report.objects.filter(submitted_by=OuterRef("pk"), received_at__lte=now), "received_at"
            ),
            last_nil=_latest(NilReport.objects.filter(reporter=OuterRef("pk"), at__lte=now), "at"),
            last_check=_latest(MonitorCheck.objects.filter(reporter=OuterRef("pk"), at__lte=now), "at"),
        )
    )
    for reporter in reporters:
        moments = [m for m in (reporter.last_report, reporter.last_nil, reporter.last_check) if m is not None]
        since = timezone.localdate(max(moments, default=reporter.date_joined))
        silent = (today - since).days
        area = reporter.area.name if reporter.area else ""
        if silent < days:
            continue
        queued += len(
            queue_to(
                users=[reporter],
                purpose="nil_reminder",
                subject=f"Ada kabar dari {area}?",
                body=(
                    # The first paragraph is the SMS: how to answer without a data plan.
                    f"Ada kabar dari {area}? Sudah {silent} hari tidak ada laporan dari Anda.{by_text}\n\n"
                    "Bila ada masalah, laporkan; bila tidak ada, kirim laporan nihil dengan satu tombol di beranda "
                    "Sigap, agar tim tahu wilayah Anda tenang, bukan tidak terpantau. Tanda kerawanan yang Anda lihat "
                    "sebelum sesuatu terjadi dicentang di daftar periksa wilayah.\n"
                    f"{public_link('home:home')}"
                ),
                key=f"nil-remind:{reporter.pk}:{since.isoformat()}:{silent // days}",
                at=now,
            )
        )
    return queued + _people_reminders(now, days, today)


def _people_reminders(now: datetime, days: int, today: date) -> int:
    """The directory's people without an account who answer by SMS (they sent NIHIL or PANTAU at least once) and
    fell silent are asked the same way, on their phone, in one SMS that says how to answer: the heartbeat covers a
    ketua RW as it does a Bhabinkamtibmas. One who never used it is not asked: nobody agreed to a weekly SMS."""
    from sigap.directory.models import Person
    from sigap.notify.choices import ChannelKind
    from sigap.notify.models import Channel as NotifyChannel
    from sigap.notify.services import queue_to

    number = public_text_number()
    people: Any = (  # annotated rows
        Person.objects.serving()
        .filter(region__level=Level.DESA_KELURAHAN)
        .select_related("region")
        .annotate(
            last_nil=_latest(NilReport.objects.filter(person=OuterRef("pk"), at__lte=now), "at"),
            last_check=_latest(MonitorCheck.objects.filter(person=OuterRef("pk"), at__lte=now), "at"),
        )
        .filter(Q(last_nil__isnull=False) | Q(last_check__isnull=False))
        .prefetch_related(
            Prefetch(
                "channels",
                queryset=NotifyChannel.objects.filter(kind=ChannelKind.GATEWAY, active=True),
                to_attr="phones",
            )
        )
    )
    queued = 0
    for person in people:
        since = timezone.localdate(max(m for m in (person.last_nil, person.last_check) if m is not None))
        silent = (today - since).days
        phones = person.phones
        if silent < days or not phones:
            continue
        area = person.region.name if person.region else ""
        queued += len(
            queue_to(
                channels=phones,
                purpose="nil_reminder",
                subject=f"Ada kabar dari {area}?",
                body=(
                    f"Ada kabar dari {area}? {silent} hari sepi. Tidak ada kejadian: NIHIL. Tanda: PANTAU "
                    "+ nomor (PANTAU KODE). Kejadian: LAPOR + uraian." + (f" Ke {number}." if number else "")
                ),
                key=f"nil-remind:p{person.pk}:{since.isoformat()}:{silent // days}",
                at=now,
            )
        )
    return queued


def identities_expire(now: datetime | None = None, batch: int = 500) -> int:
    """Erase the name and contact of reporters whose report is past SIGAP_IDENTITY_KEEP_DAYS: counted from the close
    of its incident, or from its receipt for a report never placed. Kept no longer than the work needs them (the
    team's answers and status updates); the receipt page keeps working. Each erasure is in the audit log."""
    days = settings.SIGAP_IDENTITY_KEEP_DAYS
    if days <= 0:
        return 0
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    due = (
        Report.objects.filter(Q(incident__closed_at__lt=cutoff) | Q(incident=None, received_at__lt=cutoff))
        .exclude(reporter_name_sealed="", reporter_contact_sealed="")
        .order_by("pk")
    )
    erased = 0
    for report in due[:batch]:
        with transaction.atomic():
            Report.objects.filter(pk=report.pk).update(
                reporter_name_sealed="", reporter_contact_sealed="", contact_digest="", identity_erased_at=now
            )
            audit_record(actor=None, action="report.identity_erased", target=report, details={"kept_days": days})
        erased += 1
    return erased


def identities_expire_job(now: datetime) -> int:
    """identities_expire on the worker's minute, which counts messages queued: it queues none."""
    identities_expire(now)
    return 0


def reporter_message_post(
    *,
    report: Report,
    body: str,
    direction: MessageDirection,
    author: Any | None = None,
    at: datetime | None = None,
) -> ReporterMessage:
    body = body.strip()
    if not body:
        raise ValueError("An empty message is not sent")
    message = ReporterMessage.objects.create(
        report=report,
        at=at or timezone.now(),
        body=body[:4000],
        direction=direction,
        author=author if direction == MessageDirection.TO_REPORTER else None,
    )
    audit_record(actor=author, action=f"report.message_{direction}", target=report)
    return message


@transaction.atomic
def reporter_message_receive(
    *, report: Report, body: str, at: datetime | None = None, via: str = "receipt"
) -> ReporterMessage:
    """A reporter writes through the receipt page, or answers the team's message by SMS (`via` "sms"). The message
    is kept and the secretariat is told, once per wait: more messages before the team answers queue nothing more.
    The notice names neither the receipt (the reporter's key to the conversation) nor the reporter's words (they
    may say who wrote): it can leave Sigap by email or chat, so it only points to the page where the message is
    read and answered."""
    from sigap.notify.services import public_link, queue_to_secretariat

    at = at or timezone.now()
    message = reporter_message_post(report=report, body=body, direction=MessageDirection.FROM_REPORTER, at=at)
    last_answer = report.messages.filter(persons_answer()).order_by("-at", "-id").values_list("pk", flat=True).first()
    where = f"kejadian #{report.incident_id}" if report.incident_id else "belum ditempatkan di kejadian"
    how = "lewat SMS/WhatsApp" if via == "sms" else "lewat tanda terimanya"
    queue_to_secretariat(
        purpose="reporter",
        subject=f"[Laporan #{report.pk}] Pelapor menunggu jawaban",
        body=(
            f"Seorang pelapor menulis pesan {how} ({where}). Baca dan jawab di Sigap; isi pesan "
            f"tidak dikirim lewat pemberitahuan ini.\n\n{public_link('triage:reporter_messages')}"
        ),
        key=f"report{report.pk}:waiting:{last_answer or 0}",
        at=at,
    )
    return message


def receipts_for_contact(contact: str) -> list[Report]:
    """Reports left with this contact (found by keyed digest; no contact is decrypted to search)."""
    digest = contact_digest(contact)
    if not digest:
        return []
    return list(Report.objects.filter(contact_digest=digest).order_by("-received_at")[:20])
