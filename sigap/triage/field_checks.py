"""Field checks (cek lapangan): before deciding on an incident, the analyst asks the monitors of its kelurahan (the
trusted reporters with an account, the directory's Babinsa, Bhabinkamtibmas, lurah or ketua RW with a channel) a
question, and their answers come back onto the incident's page and timeline.

The question leaves Sigap by SMS or e-mail as the analyst wrote it, so the form says to keep the reporter's name and
words out of it; the answer comes back on the monitor's home page or as "CEK <n> YA|TIDAK|BELUM <what was found>"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from sigap.accounts.models import User
from sigap.core.roles import Role
from sigap.core.services import audit_record
from sigap.directory.models import Person
from sigap.intake.choices import FieldAnswer
from sigap.intake.models import FieldCheck
from sigap.notify.choices import ChannelKind
from sigap.notify.models import Channel as NotifyChannel
from sigap.notify.services import public_link, queue_to, secretariat
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident, IncidentEvent

FIELD_CHECK_HOURS = (2, 6, 12, 24)
QUESTION_LIMIT = 300
OPEN = (IncidentStatus.NEW, IncidentStatus.VERIFIED)


class FieldCheckAskError(ValueError):
    pass


@dataclass(frozen=True)
class Checkers:
    """Whom an incident's field check may go to: its kelurahan's monitors who can be reached."""

    reporters: list[Any]
    persons: list[Any]


def checker_querysets(incident: Incident) -> tuple[Any, Any]:
    """The kelurahan's active trusted reporters (they answer on their home page), and the serving people of the
    directory placed there with a registered phone (they answer by SMS; an e-mail address alone could not answer),
    in the order the form lists them."""
    if incident.region_id is None:
        return User.objects.none(), Person.objects.none()
    reporters = User.objects.filter(role=Role.TRUSTED_REPORTER, is_active=True, area_id=incident.region_id)
    phones = NotifyChannel.objects.filter(active=True, person__isnull=False, kind=ChannelKind.GATEWAY)
    reached = phones.exclude(phone="").values("person_id")
    persons = Person.objects.filter(active=True, region_id=incident.region_id, pk__in=reached)
    return reporters.order_by("first_name", "pk"), persons.order_by("name", "pk")


def field_checkers(incident: Incident) -> Checkers:
    """checker_querysets, read."""
    reporters, persons = checker_querysets(incident)
    return Checkers(list(reporters), list(persons))


def _sms_line(check: FieldCheck) -> str:
    return f"Balas SMS: CEK {check.pk} YA / CEK {check.pk} TIDAK / CEK {check.pk} BELUM, lalu yang Anda lihat."


@transaction.atomic
def field_check_ask(
    *,
    incident: Incident,
    question: str,
    reporters: list[Any],
    persons: list[Any],
    hours: int,
    actor: Any,
    at: datetime | None = None,
) -> list[FieldCheck]:
    """One question to each chosen monitor; each is told through their channels, and the timeline and the audit
    log say who was asked what."""
    at = at or timezone.now()
    question = " ".join(question.split())
    incident = Incident.objects.select_for_update(of=("self",)).select_related("region").get(pk=incident.pk)
    if incident.status not in OPEN:
        raise FieldCheckAskError(gettext("Only an open incident is checked in the field"))
    if not question:
        raise FieldCheckAskError(gettext("Write the question for the field"))
    if len(question) > QUESTION_LIMIT:
        raise FieldCheckAskError(gettext("At most %(n)d characters: it goes out by SMS") % {"n": QUESTION_LIMIT})
    if hours not in FIELD_CHECK_HOURS:
        raise FieldCheckAskError(gettext("Choose when the answer is needed"))
    allowed = field_checkers(incident)
    if not reporters and not persons:
        raise FieldCheckAskError(gettext("Choose whom to ask"))
    outside = [r for r in reporters if r not in allowed.reporters] + [p for p in persons if p not in allowed.persons]
    if outside:
        raise FieldCheckAskError(gettext("Only the monitors of the incident's kelurahan who can be reached are asked"))
    due = at + timedelta(hours=hours)
    checks = [
        FieldCheck.objects.create(
            incident=incident, question=question, asked_by=actor, asked_at=at, due_at=due, reporter=reporter
        )
        for reporter in reporters
    ] + [
        FieldCheck.objects.create(
            incident=incident, question=question, asked_by=actor, asked_at=at, due_at=due, person=person
        )
        for person in persons
    ]
    whom = ", ".join(check.asked_whom for check in checks)
    IncidentEvent.objects.create(
        incident=incident, at=at, actor=actor, verb="field_check_asked", note=f"{question} ({whom})"
    )
    audit_record(
        actor=actor,
        action="incident.field_check_asked",
        target=incident,
        details={"checks": [c.pk for c in checks], "hours": hours},
    )
    place = incident.region.name if incident.region else ""
    local_due = timezone.localtime(due)
    for check in checks:
        ask = f"Tim Terpadu mohon cek lapangan di {place}: {question}\nMohon jawab sebelum {local_due:%d-%m %H.%M}.\n"
        if check.reporter is not None:
            body = ask + f"Jawab di beranda Sigap: {public_link('home:home')}\n" + _sms_line(check)
            queue_to(
                users=[check.reporter],
                purpose="field_check",
                subject=f"[Cek lapangan] {place}",
                body=body,
                key=f"fieldcheck{check.pk}:ask",
                at=at,
            )
        else:
            body = ask + _sms_line(check)
            channels = list(NotifyChannel.objects.filter(active=True, person=check.person).order_by("pk"))
            queue_to(
                purpose="field_check",
                subject=f"[Cek lapangan] {place}",
                body=body,
                key=f"fieldcheck{check.pk}:ask",
                at=at,
                channels=channels,
            )
    return checks


def field_check_answered(check: FieldCheck) -> None:
    """Registered with intake: the answer on the incident's timeline, and the analyst who asked is told (the
    secretariat's desk when that analyst has left)."""
    answered_at = check.answered_at or timezone.now()
    with translation.override("id"):
        label = str(FieldAnswer(check.answer).label)
    note = f"{check.asked_whom}: {label}" + (f". {check.answer_note}" if check.answer_note else "")
    IncidentEvent.objects.create(
        incident_id=check.incident_id,
        at=answered_at,
        actor=check.reporter,
        verb="field_check_answered",
        note=note,
    )
    asker = check.asked_by
    users = [asker] if asker is not None and asker.is_active else secretariat(answered_at)[1]
    queue_to(
        users=users,
        purpose="field_check",
        subject=f"[Cek lapangan] Kejadian #{check.incident_id}: {label}",
        body=f"{note}\n(A field check was answered.)\n{public_link('triage:incident_detail', check.incident_id)}",
        key=f"fieldcheck{check.pk}:answer:{answered_at.timestamp() * 1e6:.0f}",
        at=answered_at,
    )


def field_checks_late(now: datetime | None = None) -> int:
    """A field check its time ran out on without an answer is put before the analyst who asked (the secretariat's
    desk when that analyst has left), once, after quiet hours: decide without it, or ring the monitor. Registered
    with the notification worker's minute."""
    from sigap.notify.services import Reminder, queue_reminders

    now = now or timezone.now()
    late = list(
        FieldCheck.objects.filter(answered_at=None, due_at__lte=now, incident__status__in=OPEN)
        .select_related("asked_by", "reporter", "person", "incident")
        .order_by("due_at", "pk")[:200]
    )
    if not late:
        return 0
    desk = secretariat(now, can_wait=True)
    reminders = []
    for check in late:
        asker = check.asked_by
        people = (asker,) if asker is not None and asker.is_active else tuple(desk[1])
        due = timezone.localtime(check.due_at)
        reminders.append(
            Reminder(
                (),
                people,
                "field_check",
                f"[Cek lapangan] Belum dijawab: kejadian #{check.incident_id}",
                f"{check.asked_whom} belum menjawab cek lapangan (batas {due:%d-%m %H.%M}): {check.question}\n"
                "Putuskan tanpa jawaban itu, atau hubungi langsung.\n(A field check was not answered in time.)\n"
                + public_link("triage:incident_detail", check.incident_id),
                f"fieldcheck{check.pk}:late",
                quiet_hours=True,
            )
        )
    return queue_reminders(reminders, now)


def field_check_message_overtaken(notification: Any) -> str:
    """ "Not answered yet" for a check answered since, or whose incident the team decided."""
    key = notification.idempotency_key
    if not key.startswith("fieldcheck") or ":late" not in key:
        return ""
    check = FieldCheck.objects.filter(pk=int(key.removeprefix("fieldcheck").partition(":")[0])).first()
    if check is None or check.answered_at is not None:
        return "cek lapangan sudah dijawab"
    if check.incident.status not in OPEN:
        return f"kejadian #{check.incident_id} sudah diputuskan"
    return ""
