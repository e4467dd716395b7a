"""A monitor's NIHIL and PANTAU messages by SMS/WhatsApp: the nil report and the area checklist for the Babinsa, the
ketua RT or the tokoh with a phone and no data plan (the early warnings and the silent reporter's reminder reach them
by SMS; the answer now goes back the same way).

The sender is recognised by the phone number of an SMS/WhatsApp gateway channel the administrator gave a trusted
reporter's account or, when no account has it, a serving person of the directory placed in a kelurahan (the
number the password-reset link and the early warnings go to); a number a person could add themselves counts for
nothing. Anyone else's NIHIL or PANTAU is answered with how to report, and nothing is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation

from sigap.core.crypto import contact_digest, international_phone
from sigap.core.roles import Role
from sigap.intake.choices import Channel, FieldAnswer, MessageDirection, PeaceSign, WarningSign
from sigap.intake.field_checks import FieldCheckError, field_check_answer
from sigap.intake.gateways import (
    CheckCommand,
    CheckHelpCommand,
    Command,
    FieldAnswerCommand,
    NilCommand,
    courtesy_only,
    parse_command,
    parse_message,
    resolution_words,
)
from sigap.intake.models import INCIDENT_RESOLVED, FieldCheck, GatewayCommand, Report, ReporterMessage
from sigap.intake.resolution import ResolutionAnswerRefused, reports_asked, resolution_answer_give
from sigap.intake.services import (
    Monitor,
    MonitorCheckRefused,
    ReportDraft,
    monitor_check_send,
    nil_report_send,
    public_text_number,
    report_receive,
    reporter_message_receive,
    text_gateway_on,
)
from sigap.regions.choices import Level
from sigap.regions.models import Region

# The checklist's words, short enough for an SMS; the number of each is its place on the checklist.
SIGN_WORDS: dict[str, str] = {
    WarningSign.MOBILISATION: "pengumpulan massa",
    WarningSign.PROVOCATION: "provokasi",
    WarningSign.INTIMIDATION: "ancaman/intimidasi",
    WarningSign.WEAPONS: "senjata tajam",
    WarningSign.MONEY_POLITICS: "politik uang",
    WarningSign.TENSION: "ketegangan antarkelompok",
    WarningSign.OUTSIDERS: "kelompok dari luar",
    WarningSign.LAND_RESOURCES: "sengketa lahan",
    WarningSign.HARDSHIP: "keresahan ekonomi",
    WarningSign.CROWDS_NO_PROTOCOL: "kerumunan tanpa prokes",
}
PEACE_WORDS: dict[str, str] = {
    PeaceSign.DIALOGUE: "dialog antarkelompok",
    PeaceSign.LEADERS_CALM: "tokoh menyejukkan",
    PeaceSign.JOINT_ACTIVITY: "kegiatan bersama",
    PeaceSign.NIGHT_WATCH: "ronda/siskamling",
    PeaceSign.AGREEMENT_KEPT: "kesepakatan dijaga",
}

# "NIHIL, situasi aman dan kondusif" is how a Bhabinkamtibmas says it; any other word after NIHIL may be something
# to handle, so such a message is not taken as a nil report (the reporter is told to send NIHIL alone, or LAPOR).
_CALM_TEXT = """nihil nil situasi kondisi keadaan wilayah kelurahan desa rt rw hari ini malam pagi siang sore aman dan
kondusif terkendali tertib lancar normal tenang masih tetap terima kasih trims mohon izin ijin lapor melaporkan di pak
bu monitor terpantau"""
_CALM_WORDS = frozenset(_CALM_TEXT.split())
# "tidak ada kejadian menonjol": the only words of trouble that are calm, as a whole phrase ("ada gangguan" is not).
_NOTHING_HAPPENED = re.compile(r"\btidak ada (kejadian|gangguan|masalah)( yang)?( menonjol| kamtibmas| berarti)?\b")


class MessageReplayed(Exception):
    """The gateway sent this message before; it was taken then."""


class EmptyMessage(ValueError):
    pass


@dataclass(frozen=True)
class TextMessage:
    """One SMS or WhatsApp message as a gateway hands it over."""

    channel: str  # intake.choices.Channel.SMS or WHATSAPP
    sender: str
    text: str
    message_id: str
    gateway: str  # generic, twilio, demo


@dataclass(frozen=True)
class TextAnswer:
    status: int  # 201 a report stored, 200 anything else
    receipt: str | None
    outcome: str  # report, reply, resolution, nil_report, checklist, field_check, help, courtesy, refused
    reply: str


@dataclass(frozen=True)
class Answer:
    outcome: str  # nil_report, checklist, help, refused
    reply: str


def text_message_receive(message: TextMessage) -> TextAnswer:
    """A report, or a trusted reporter's NIHIL or PANTAU; the answer carries the reply for the sender. Raises
    MessageReplayed for a message id taken before, EmptyMessage for a report without words."""
    key = f"{message.gateway}:{message.message_id}"
    if _taken_before(key):  # whatever it would be read as now (a question asked since, a report become a reply)
        raise MessageReplayed(key)
    monitors = monitors_by_phone(message.sender)
    command = command_of(message.text)
    if isinstance(command, FieldAnswerCommand) and not monitors:
        command = None  # "cek 3 orang luka..." from the public is a report: only monitors are asked to check
    if command is not None:
        answer = command_answer(command, monitors=monitors, key=key)
        return TextAnswer(status=200, receipt=None, outcome=answer.outcome, reply=answer.reply)
    parsed = parse_message(message.text, resolve_place=_resolve_place)
    if not parsed.description.strip():
        raise EmptyMessage("empty message")
    monitor = monitors[0] if len(monitors) == 1 else None
    resolution = None if parsed.short_format else resolution_words(message.text)
    if resolution is not None:
        resolved = report_resolution_asked(message.sender, monitor, timezone.now())
        if resolved is not None:
            return _resolution_answer(resolved, resolution, monitor, key)
    if not parsed.short_format and courtesy_only(message.text):
        return _courtesy(monitors, key)
    if not parsed.short_format:
        asked = report_awaiting_reply(message.sender, monitor, timezone.now())
        if asked is not None:
            return _reply(asked, message, monitor, key)
    region = Region.objects.filter(code=parsed.place_code).first() if parsed.place_code else None
    # A trusted reporter's report counts as theirs (their standing, their home page); a directory person's is the
    # public's (no account to follow it), with the number sealed for the answers. Both are placed in the sender's
    # kelurahan unless the words name another.
    reporter = monitor.user if monitor else None
    draft = ReportDraft(
        channel=Channel(message.channel),
        description=parsed.description,
        region=region,
        home_region=Region.objects.get(pk=monitor.region_id) if monitor else None,
        location_text=parsed.place_text,
        reporter_contact="" if reporter else message.sender,
        anonymous=reporter is not None,
        submitted_by=reporter,
        idempotency_key=key,
        raw={
            "gateway": message.gateway,
            "id": message.message_id,
            "text": message.text,
            "from": message.sender,
            "short_format": parsed.short_format,
            "trusted_reporter": reporter is not None,
        },
    )
    report, created = report_receive(draft)
    if not created:
        raise MessageReplayed(key)
    return TextAnswer(
        status=201,
        receipt=report.receipt,
        outcome="report",
        reply=f"Laporan diterima. Kode: {report.receipt}. Simpan kode ini untuk cek status di situs Sigap. "
        "Terima kasih.",
    )


def _courtesy(monitors: list[Monitor], key: str) -> TextAnswer:
    """Thanks after the receipt: answered, kept as taken (a retry answers the same), never a report."""
    sender = monitors[0].sender if len(monitors) == 1 else {}
    _taken(sender, key, "courtesy", timezone.now())
    return TextAnswer(
        status=200,
        receipt=None,
        outcome="courtesy",
        reply="Sama-sama. Untuk melaporkan kejadian: LAPOR <kelurahan> <uraian>.",
    )


REPLY_WINDOW = timedelta(hours=48)


def _taken_before(key: str) -> bool:
    if GatewayCommand.objects.filter(key=key).exists():
        return True
    # The partial unique index on report keys is used only when the query repeats its condition (see _replayed).
    return Report.objects.exclude(idempotency_key="").filter(partner__isnull=True, idempotency_key=key).exists()


def _sender_reports(sender: str, monitor: Monitor | None) -> Any:
    """Their own reports if the sender is a trusted reporter, else those left with this number (None: no number)."""
    if monitor is not None and monitor.user is not None:
        return Report.objects.filter(submitted_by=monitor.user)
    digest = contact_digest(sender)
    return Report.objects.filter(contact_digest=digest) if digest else None


def report_resolution_asked(sender: str, monitor: Monitor | None, now: datetime) -> Report | None:
    """The sender's report, most recently resolved first, that waits for their word on its resolution."""
    reports = _sender_reports(sender, monitor)
    if reports is None:
        return None
    since = now - timedelta(days=settings.SIGAP_RESOLUTION_ANSWER_DAYS)
    resolved = reports.filter(incident__status=INCIDENT_RESOLVED, incident__closed_at__gte=since)
    latest_first = list(resolved.select_related("incident", "region").order_by("-incident__closed_at", "-pk")[:20])
    asking = reports_asked(latest_first, now)
    return next((report for report in latest_first if report.pk in asking), None)


def _resolution_answer(report: Report, answer: tuple[bool, str], monitor: Monitor | None, key: str) -> TextAnswer:
    settled, note = answer
    at = timezone.now()
    where = f" di {report.region.name}" if report.region else ""
    try:
        with transaction.atomic():
            _taken(monitor.sender if monitor is not None else {}, key, "resolution", at)
            resolution_answer_give(
                report=report, settled=settled, note=note, actor=monitor.user if monitor else None, at=at
            )
    except ResolutionAnswerRefused:
        return TextAnswer(status=200, receipt=None, outcome="refused", reply="Jawaban Anda sudah tercatat sebelumnya.")
    if settled:
        reply = f"Terima kasih: tercatat bahwa masalah yang Anda laporkan{where} sudah selesai."
    else:
        reply = (
            f"Terima kasih: tim diberi tahu bahwa masalah yang Anda laporkan{where} belum selesai, dan akan "
            "menjawab Anda. Kejadian baru yang mendesak: kirim diawali LAPOR, atau hubungi 110."
        )
    return TextAnswer(status=200, receipt=None, outcome="resolution", reply=reply)


def report_awaiting_reply(sender: str, monitor: Monitor | None, now: datetime) -> Report | None:
    """The report on which the team's latest message to this sender (a person's answer, not Sigap's status words)
    came within REPLY_WINDOW and is not answered yet: the sender's next text without LAPOR answers it ("sekitar 10
    orang") instead of opening a report of its own. Their own reports if the sender is a trusted reporter, else
    those left with this number."""
    reports = _sender_reports(sender, monitor)
    if reports is None:
        return None
    latest = (
        ReporterMessage.objects.filter(report__in=reports, at__gte=now - REPLY_WINDOW, at__lte=now)
        .order_by("-at", "-id")
        .select_related("report__region")
        .first()
    )
    if latest is None or latest.direction != MessageDirection.TO_REPORTER or latest.author_id is None:
        return None
    return latest.report


def _reply(report: Report, message: TextMessage, monitor: Monitor | None, key: str) -> TextAnswer:
    at = timezone.now()
    with transaction.atomic():
        _taken(monitor.sender if monitor is not None else {}, key, "reply", at)
        reporter_message_receive(report=report, body=message.text, at=at, via="sms")
    where = f" di {report.region.name}" if report.region else ""
    return TextAnswer(
        status=200,
        receipt=None,
        outcome="reply",
        reply=f"Jawaban Anda untuk laporan{where} ({_day(report.received_at)}) tercatat dan dibaca tim. Terima kasih. "
        "Kejadian baru: kirim diawali LAPOR.",
    )


def _resolve_place(name: str) -> str | None:
    from sigap.regions.selectors import regions_by_name

    matches = regions_by_name(
        name, within=settings.SIGAP_DEPLOYMENT_REGION, level=Level.DESA_KELURAHAN, limit=1, min_score=90
    )
    return matches[0].region.code if matches else None


def command_of(text: str) -> Command | None:
    return parse_command(text, signs=WarningSign.values, peace=PeaceSign.values)


@dataclass(frozen=True)
class ByText:
    """What a trusted reporter's pages say of NIHIL and PANTAU by SMS/WhatsApp (the directory's people have none)."""

    number: str  # the deployment's number to send to, as written for people; "" when not given
    phone_end: str  # the last digits of the reporter's own registered number; "" when none is registered


def by_text_for(user: Any) -> ByText | None:
    """None where no gateway takes messages (neither SIGAP_GATEWAY_SECRET nor SIGAP_TWILIO_AUTH_TOKEN)."""
    from sigap.notify.choices import ChannelKind

    if not text_gateway_on():
        return None
    phone = (
        user.channels.filter(kind=ChannelKind.GATEWAY, active=True)
        .exclude(phone="")
        .values_list("phone", flat=True)
        .first()
    )
    return ByText(number=public_text_number(), phone_end=(phone or "")[-4:])


def monitors_by_phone(number: str) -> list[Monitor]:
    """Who sends from this number: the active trusted reporters with a kelurahan whose administrator-given gateway
    channel has it; when none, the serving people of the directory, placed in a kelurahan, whose channel has it (a
    ketua RW or a tokoh without an account). One is the sender; none or several is nobody."""
    users, people = phone_holders(number)
    # Someone both in the directory and with an account is their account.
    if users:
        return [Monitor(region_id=u.area_id, user=u) for u in users]
    return [Monitor(region_id=p.region_id, person=p) for p in people]


def phone_holders(number: str) -> tuple[list[Any], list[Any]]:
    """The trusted reporters and the directory's people who may send NIHIL and PANTAU from this number."""
    from sigap.notify.choices import ChannelKind
    from sigap.notify.models import Channel

    wanted = international_phone(number)
    if len(wanted) < 9 or "@" in number:
        return [], []
    channels = Channel.objects.filter(kind=ChannelKind.GATEWAY, active=True, phone=wanted[:20]).filter(
        Q(user__role=Role.TRUSTED_REPORTER, user__is_active=True, user__area__isnull=False)
        | Q(person__active=True, person__region__level=Level.DESA_KELURAHAN)
    )
    users: dict[int, Any] = {}
    people: dict[int, Any] = {}
    for channel in channels.select_related("user__area", "person__region"):
        if channel.user is not None:
            users[channel.user.pk] = channel.user
        elif channel.person is not None:
            people[channel.person.pk] = channel.person
    return list(users.values()), list(people.values())


def codes_help() -> str:
    signs = ", ".join(f"{n} {SIGN_WORDS[c]}" for n, c in enumerate(WarningSign.values, start=1))
    peace = ", ".join(f"D{n} {PEACE_WORDS[c]}" for n, c in enumerate(PeaceSign.values, start=1))
    return (
        f"PANTAU lalu nomor tanda yang terlihat: {signs}. Tanda damai: {peace}. Lalu catatan. "
        "Contoh: PANTAU 1 4 D2 massa kumpul di posko. Tidak ada tanda: PANTAU 0. Tidak ada kejadian: NIHIL."
    )


def command_answer(command: Command, *, monitors: list[Monitor], key: str, at: datetime | None = None) -> Answer:
    """Carry out a NIHIL or PANTAU message of the recognised sender; the reply says what was recorded or why not.
    Raises MessageReplayed for a message id taken before."""
    if isinstance(command, CheckHelpCommand):
        return Answer("help", codes_help())
    if len(monitors) != 1:
        return Answer(
            "refused",
            "Nomor ini tidak terdaftar sebagai nomor pemantau Sigap, jadi pesan ini tidak dicatat. Untuk melapor: "
            "LAPOR <kelurahan> <uraian>. Pelapor terpercaya, tokoh, RT/RW: minta admin Sigap mendaftarkan nomor Anda."
            if not monitors
            else "Nomor ini terdaftar untuk lebih dari satu pemantau, jadi pesan ini tidak dicatat. Kirim lewat situs "
            "Sigap, atau minta admin Sigap membetulkan nomornya.",
        )
    monitor = monitors[0]
    at = at or timezone.now()
    if isinstance(command, NilCommand):
        return _nil(command, monitor=monitor, key=key, at=at)
    if isinstance(command, FieldAnswerCommand):
        return _field_answer(command, monitor=monitor, key=key, at=at)
    return _check(command, monitor=monitor, key=key, at=at)


def _field_answer(command: FieldAnswerCommand, *, monitor: Monitor, key: str, at: datetime) -> Answer:
    """CEK <n> YA|TIDAK|BELUM <what was found>: the answer to field check n, if it was asked of this sender."""
    asked = FieldCheck.objects.filter(pk=command.number)
    asked = asked.filter(reporter=monitor.user) if monitor.user is not None else asked.filter(person=monitor.person)
    check = asked.first()
    if check is None:
        return Answer(
            "refused",
            f"Tidak ada permintaan cek lapangan nomor {command.number} untuk nomor ini, jadi pesan ini tidak dicatat. "
            "Untuk melapor: LAPOR <uraian>.",
        )
    if not command.answer:
        return Answer(
            "refused",
            f"Jawaban belum dicatat. Balas CEK {check.pk} YA (benar), CEK {check.pk} TIDAK (tidak benar) atau "
            f"CEK {check.pk} BELUM (belum bisa dipastikan), lalu yang Anda lihat.",
        )
    try:
        with transaction.atomic():
            _taken(monitor.sender, key, "field_check", at)
            field_check_answer(check=check, answer=command.answer, note=command.note, via="sms", at=at)
    except FieldCheckError:
        return Answer(
            "refused",
            f"Kejadian yang ditanyakan di cek lapangan {check.pk} sudah ditutup tim, jadi jawaban ini tidak dicatat. "
            "Terima kasih.",
        )
    with translation.override("id"):
        label = str(FieldAnswer(command.answer).label).lower()
    return Answer("field_check", f"Jawaban cek lapangan {check.pk} tercatat: {label}. Terima kasih.")


def _calm_only(words: str, area_name: str) -> bool:
    """Only the words of "situasi aman dan kondusif, tidak ada kejadian menonjol" and the kelurahan's name."""
    allowed = _CALM_WORDS | set(area_name.lower().split())
    rest = _NOTHING_HAPPENED.sub(" ", " ".join(re.findall(r"[a-z0-9]+", words.lower())))
    return all(w in allowed for w in rest.split())


def _taken(sender: dict[str, Any], key: str, kind: str, at: datetime) -> None:
    """Keep the message id as taken; one taken before (a concurrent retry) raises MessageReplayed."""
    try:
        with transaction.atomic():
            GatewayCommand.objects.create(key=key, **sender, kind=kind, received_at=at)
    except IntegrityError:
        raise MessageReplayed(key) from None


def _day(at: datetime) -> str:
    with translation.override("id"):
        return formats.date_format(timezone.localtime(at), "j M")


def _nil(command: NilCommand, *, monitor: Monitor, key: str, at: datetime) -> Answer:
    area = Region.objects.get(pk=monitor.region_id).name
    if command.rest and not _calm_only(command.rest, area):
        return Answer(
            "refused",
            "Laporan nihil berarti tidak ada kejadian, dan pesan Anda berisi lebih dari itu, jadi belum dicatat. "
            "Bila ada yang perlu ditangani: LAPOR <uraian>. Bila tidak ada: NIHIL saja. Tanda yang terlihat: "
            "PANTAU <nomor> (PANTAU KODE untuk daftarnya).",
        )
    with transaction.atomic():
        _taken(monitor.sender, key, "nil_report", at)
        nil_report_send(user=monitor.user, person=monitor.person, at=at)
    return Answer("nil_report", f"Laporan nihil {area} {_day(at)} tercatat. Terima kasih.")


def _check(command: CheckCommand, *, monitor: Monitor, key: str, at: datetime) -> Answer:
    if command.unknown:
        return Answer(
            "refused",
            f"Nomor tidak ada di daftar: {', '.join(command.unknown)}. Pantauan belum dicatat. Tanda 1-"
            f"{len(WarningSign.values)}, tanda damai D1-D{len(PeaceSign.values)}; PANTAU KODE untuk daftarnya.",
        )
    try:
        with transaction.atomic():
            _taken(monitor.sender, key, "checklist", at)
            check = monitor_check_send(
                user=monitor.user,
                person=monitor.person,
                signs=list(command.signs),
                peace=list(command.peace),
                note=command.note,
                at=at,
                via=key.split(":")[0],
            )
    except MonitorCheckRefused:
        return Answer("refused", "Catatan terlalu panjang; pantauan belum dicatat. Kirim yang lebih singkat.")
    numbers = {c: n for n, c in enumerate(WarningSign.values, start=1)}
    peace_numbers = {c: n for n, c in enumerate(PeaceSign.values, start=1)}
    seen = ", ".join(f"{numbers[c]} {SIGN_WORDS[c]}" for c in check.signs) or "tidak ada tanda kerawanan"
    calm = ", ".join(f"D{peace_numbers[c]} {PEACE_WORDS[c]}" for c in check.peace)
    return Answer(
        "checklist",
        f"Pantauan {check.region.name} {_day(at)} tercatat: {seen}"
        + (f"; tanda damai: {calm}" if calm else "")
        + ". Terima kasih. Kirim lagi hari ini untuk mengganti.",
    )
