"""Incident writes. Every state change goes through here and leaves a timeline row and an audit row."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone, translation
from django.utils.translation import gettext

from sigap.core.calendar import deadline
from sigap.core.documents import DocumentError, document_discard, document_store
from sigap.core.grading import Credibility, Reliability
from sigap.core.models import Document
from sigap.core.services import audit_record
from sigap.intake.choices import Channel, MessageDirection
from sigap.intake.models import Report, ReporterMessage, ResolutionAnswer, persons_answer
from sigap.intake.services import ReportDraft, draft_of, reporter_message_post
from sigap.intake.tasks import reporter_update
from sigap.notify.models import Channel as NotifyChannel
from sigap.notify.models import Notification
from sigap.notify.services import (
    Reminder,
    public_link,
    queue_reminders,
    queue_to,
    queue_to_secretariat,
    secretariat,
)
from sigap.regions.selectors import deployment_village_word
from sigap.triage import textmodel
from sigap.triage.choices import Category, IncidentStatus, Urgency
from sigap.triage.merge import MergeLookout, merge_confirm, merge_lookout
from sigap.triage.models import Incident, IncidentEvent
from sigap.triage.placement import place_from_text
from sigap.triage.rules import suggest_category, suggest_urgency
from sigap.triage.states import TransitionError, check_transition

VERIFY_DECISIONS = {IncidentStatus.VERIFIED, IncidentStatus.NOT_CONFLICT, IncidentStatus.HOAX, IncidentStatus.DUPLICATE}

# Later rooms (risk, alerts) follow incidents without triage importing them: they register a hook that runs
# after the transaction commits, with the incident and the moment of the change.
IncidentHook = Callable[[Incident, datetime], None]
_changed_hooks: list[IncidentHook] = []


def on_incident_changed(hook: IncidentHook) -> None:
    if hook not in _changed_hooks:
        _changed_hooks.append(hook)


_hooks_paused = False


class incident_hooks_paused:  # noqa: N801 - a context manager, used like a function
    """Bulk loads (the demo, imports) skip the hooks and assess once at the end instead of after every change."""

    def __enter__(self) -> None:
        global _hooks_paused
        _hooks_paused = True

    def __exit__(self, *exc: object) -> None:
        global _hooks_paused
        _hooks_paused = False


def _changed(incident: Incident, at: datetime) -> None:
    if _hooks_paused:
        return
    for hook in _changed_hooks:
        transaction.on_commit(lambda hook=hook: hook(incident, at))  # type: ignore[misc]


# Hooks that read what an incident's reports say (the groups they name), run after the commit whenever a report
# joins an incident (opened, attached, merged), lighter than the "changed" hooks: no assessment, no case rule.
_words_hooks: list[IncidentHook] = []


def on_incident_words(hook: IncidentHook) -> None:
    if hook not in _words_hooks:
        _words_hooks.append(hook)


def _words_changed(incident: Incident, at: datetime) -> None:
    if _hooks_paused:
        return
    for hook in _words_hooks:
        # Robust: reading the words is a courtesy to the analyst; it must never turn an accepted report into an
        # error for its reporter.
        transaction.on_commit(lambda hook=hook: hook(incident, at), robust=True)  # type: ignore[misc]


def _is_user(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _event(
    incident: Incident,
    *,
    at: datetime,
    actor: Any,
    verb: str,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
) -> None:
    IncidentEvent.objects.create(
        incident=incident,
        at=at,
        actor=actor if _is_user(actor) else None,
        verb=verb,
        note=note,
        from_status=from_status,
        to_status=to_status,
    )
    audit_record(
        actor=actor,
        action=f"incident.{verb}",
        target=incident,
        details={"from": from_status, "to": to_status} if to_status else {},
    )


def _due(received: datetime, urgency: int) -> datetime:
    """Verify by: urgent incidents within hours, the others within working days (the end-to-end clock)."""
    if urgency >= Urgency.HIGH:
        return received + timedelta(hours=settings.SIGAP_VERIFY_TARGET_HOURS)
    return deadline(received, settings.SIGAP_CLOCK_VERIFY_DAYS)


def _tighten_due(incident: Incident) -> None:
    """A more urgent incident is verified sooner; a deadline never moves later."""
    if incident.status != IncidentStatus.NEW or incident.verification_due_at is None:
        return
    # Kept on the incident as its reports come and go; a report being attached may not be in the database yet.
    first = incident.first_received_at
    if first is None:
        first = incident.reports.order_by("received_at").values_list("received_at", flat=True).first()
    if first is not None:
        incident.verification_due_at = min(incident.verification_due_at, _due(first, incident.urgency))


def _link(report: Report, incident: Incident, report_fields: tuple[str, ...]) -> None:
    """Point the report at its incident, saved in one UPDATE with the fields the caller changed; a report being
    received is not in the database yet, and report_receive inserts it with all of this set."""
    report.incident = incident
    if not report._state.adding:
        report.save(update_fields=["incident", *report_fields])


@transaction.atomic(savepoint=False)
def incident_open(
    *,
    report: Report,
    actor: Any | None,
    title: str,
    category: Category = Category.LAINNYA,
    urgency: Urgency = Urgency.MEDIUM,
    people_estimate: int | None = None,
    at: datetime | None = None,
    triage: dict[str, Any] | None = None,
    report_fields: tuple[str, ...] = (),
) -> Incident:
    """Open a new incident from a report (the report's place and time carry over). `report_fields` names fields
    of the report that the caller changed, saved in the same UPDATE as the link to the incident."""
    at = at or timezone.now()
    incident = Incident.objects.create(
        title=title[:200],
        summary=report.description,
        region=report.region,
        category=category,
        urgency=urgency,
        occurred_at=report.occurred_at or report.received_at,
        people_estimate=people_estimate,
        verification_due_at=_due(report.received_at, urgency),
        first_received_at=report.received_at,
        triage=triage or {},
        crowd_growing=report.mass_mobilisation,
    )
    _link(report, incident, report_fields)
    _event(incident, at=at, actor=actor, verb="opened", to_status=IncidentStatus.NEW, note=f"laporan {report.receipt}")
    _words_changed(incident, at)
    return incident


@transaction.atomic(savepoint=False)
def incident_attach_report(
    *,
    incident: Incident,
    report: Report,
    actor: Any | None,
    at: datetime | None = None,
    note: str = "",
    report_fields: tuple[str, ...] = (),
) -> None:
    """Merge one more report into an incident (same event, another source); urgency only goes up. `report_fields`
    as in incident_open."""
    _link(report, incident, report_fields)
    if incident.first_received_at is None or report.received_at < incident.first_received_at:
        incident.first_received_at = report.received_at
        incident.save(update_fields=["first_received_at", "updated_at"])
    suggested = report.triage.get("urgency", {}).get("value")
    if isinstance(suggested, int) and suggested > incident.urgency:
        incident.urgency = suggested
        _tighten_due(incident)
        incident.save(update_fields=["urgency", "verification_due_at", "updated_at"])
    if report.mass_mobilisation and not incident.crowd_growing:
        incident.crowd_growing = True  # another source sees people being mobilised: the crowd grows
        incident.save(update_fields=["crowd_growing", "updated_at"])
    _event(
        incident,
        at=at or timezone.now(),
        actor=actor,
        verb="report_attached",
        note=f"laporan {report.receipt}" + (f": {note}" if note else ""),
    )
    _words_changed(incident, at or timezone.now())


@transaction.atomic
def incident_transition(
    *, incident: Incident, to: IncidentStatus, actor: Any | None, note: str = "", at: datetime | None = None
) -> Incident:
    """Move an incident along its workflow (verify, reject as hoax, resolve, reopen...)."""
    at = at or timezone.now()
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    current = IncidentStatus(incident.status)
    check_transition(current, to)
    incident.status = to
    if to == IncidentStatus.VERIFIED and incident.verified_at is None:
        incident.verified_at = at
    incident.closed_at = None if to in (IncidentStatus.NEW, IncidentStatus.VERIFIED) else at
    incident.claimed_by, incident.claimed_at = None, None  # decided (or back in the queue for anyone to take)
    incident.save(update_fields=["status", "verified_at", "closed_at", "claimed_by", "claimed_at", "updated_at"])
    _event(incident, at=at, actor=actor, verb="status_changed", from_status=current, to_status=to, note=note)
    _tell_reporters(incident, to, at, reopened=current == IncidentStatus.RESOLVED)
    _changed(incident, at)
    return incident


# What a reporter reads on the receipt page (and by e-mail, if they left an address) when their report is decided.
REPORTER_WORDS = {
    IncidentStatus.VERIFIED: (
        "Laporan Anda sudah diperiksa dan dinyatakan benar; tim terpadu sedang menanganinya. Terima kasih. "
        "(Your report was checked and confirmed; the team is handling it.)"
    ),
    IncidentStatus.RESOLVED: (
        # One SMS carries the Indonesian half whole, with how to answer (intake.tasks._update_sms).
        "Masalah yang Anda laporkan sudah ditangani sampai selesai, terima kasih. Bila belum, balas BELUM SELESAI "
        "dan ceritanya, dalam {days} hari. (The problem you reported has been resolved. If it is not, tell us "
        "within {days} days.)"
    ),
    IncidentStatus.HOAX: (
        "Setelah diperiksa, kabar dalam laporan Anda tidak benar (hoaks). Terima kasih sudah melapor sebelum "
        "menyebarkannya. (After checking, the news in your report turned out to be untrue.)"
    ),
    IncidentStatus.NOT_CONFLICT: (
        "Laporan Anda sudah diperiksa: ini bukan potensi konflik sosial, dan diteruskan ke pihak yang berwenang bila "
        "perlu. (Your report was checked: it is not a social-conflict matter.)"
    ),
}


@transaction.atomic
def reporter_message_answer(*, report: Report, body: str, author: Any, at: datetime | None = None) -> ReporterMessage:
    """The team answers a reporter: on the receipt page, and by SMS or e-mail to one who left a contact, as the
    status updates go (a reporter without internet, who wrote by SMS, would otherwise never read it)."""
    message = reporter_message_post(
        report=report, body=body, direction=MessageDirection.TO_REPORTER, author=author, at=at
    )
    if report.reporter_contact_sealed:
        transaction.on_commit(partial(reporter_update.enqueue, report.pk, message.body, False))
    elif report.submitted_by_id:
        _tell_submitter(report, message)
    return message


def _tell_submitter(report: Report, message: ReporterMessage) -> None:
    """A trusted reporter's report carries no contact (their account is who sent it, from the web form or their
    registered phone): the status words and the team's answers reach them through their own channels (the inbox,
    the phone or mailbox the administrator gave them), at once, as a public reporter's reach the contact they left.
    The link opens the report after signing in; no receipt code leaves Sigap."""
    where = f" di {report.region.name}" if report.region else ""
    queue_to(
        users=[report.submitted_by],
        purpose="report_news",
        subject=f"Kabar laporan Anda{where}",
        body=f"{message.body}\n\n{public_link('intake:my_report', report.pk)}",
        key=f"report{report.pk}:news:{message.pk}",
        at=message.at,
    )


# A resolved incident taken up again (the problem came back, or a reporter said it was not over): "your report was
# checked and confirmed" would read as if nothing had happened since.
REOPENED_WORDS = (
    "Masalah yang Anda laporkan ternyata belum selesai; tim terpadu sedang menanganinya kembali. (The problem you "
    "reported is not over; the team is handling it again.)"
)


def _tell_reporters(incident: Incident, status: IncidentStatus, at: datetime, *, reopened: bool = False) -> None:
    words = REOPENED_WORDS if reopened else REPORTER_WORDS.get(status)
    if words is not None:
        words = words.replace("{days}", str(settings.SIGAP_RESOLUTION_ANSWER_DAYS))
        incident_tell_reporters(incident=incident, words=words, at=at)


def incident_tell_reporters(*, incident: Incident, words: str, at: datetime, bilingual: bool = True) -> None:
    """The same words to every reporter of the incident: on the receipt page, and by SMS or e-mail to one who left a
    contact (`bilingual` as for `reporter_update`)."""
    for report in incident.reports.all():
        message = reporter_message_post(report=report, body=words, direction=MessageDirection.TO_REPORTER, at=at)
        if report.reporter_contact_sealed:
            transaction.on_commit(partial(reporter_update.enqueue, report.pk, words, bilingual))
        elif report.submitted_by_id:
            _tell_submitter(report, message)


@transaction.atomic
def incident_verify(
    *,
    incident: Incident,
    decision: IncidentStatus,
    actor: Any,
    reliability: Reliability,
    credibility: Credibility,
    corroboration: str = "",
    note: str = "",
    at: datetime | None = None,
) -> Incident:
    """An analyst's decision on a new incident, graded A-F / 1-6, with the sources that corroborate it."""
    if decision not in VERIFY_DECISIONS:
        raise ValueError(f"{decision} is not a verification decision")
    incident = incident_transition(incident=incident, to=decision, actor=actor, note=note, at=at)
    incident.source_reliability = reliability
    incident.info_credibility = credibility
    incident.corroboration = corroboration.strip()
    incident.verified_by = actor if _is_user(actor) else None
    incident.save(
        update_fields=["source_reliability", "info_credibility", "corroboration", "verified_by", "updated_at"]
    )
    return incident


def _person(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else "\u2014"


@transaction.atomic
def incident_claim(*, incident: Incident, actor: Any, at: datetime | None = None) -> Incident:
    """An analyst says "I am checking this one": the queue shows who, so that two analysts do not both call the
    same Babinsa about it. Only an incident awaiting verification; taking one over from a colleague (who went home,
    or got stuck) is allowed, and the timeline names the colleague. The decision clears it."""
    at = at or timezone.now()
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status != IncidentStatus.NEW:
        raise IncidentRuleError(gettext("Only an incident awaiting verification can be taken to check"))
    previous = incident.claimed_by
    if previous is not None and previous.pk == actor.pk:
        return incident
    incident.claimed_by, incident.claimed_at = actor, at
    incident.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
    _event(
        incident, at=at, actor=actor, verb="claimed", note=f"diambil alih dari {_person(previous)}" if previous else ""
    )
    return incident


@transaction.atomic
def incident_unclaim(*, incident: Incident, actor: Any, at: datetime | None = None) -> Incident:
    """Back to the queue for anyone to take (the analyst's shift ends, or the source cannot be reached today)."""
    at = at or timezone.now()
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.claimed_by is None:
        return incident
    who = incident.claimed_by
    incident.claimed_by, incident.claimed_at = None, None
    incident.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
    _event(incident, at=at, actor=actor, verb="unclaimed", note="" if who.pk == actor.pk else f"dari {_person(who)}")
    return incident


SET_ASIDE_AT_ONCE = 50  # incidents one bulk "not a conflict" may decide: a page of the queue


@dataclass(frozen=True)
class SetAside:
    decided: list[Incident]
    left: list[Incident]  # decided meanwhile, or being checked by a colleague: left as they are


def incidents_set_aside(
    *, incidents: list[Incident], actor: Any, reason: str, to_reporters: str = "", at: datetime | None = None
) -> SetAside:
    """Many new incidents decided "not a social conflict" at once: in an election month the queue fills with
    complaints about street lights, rubbish and advertising (Uchaguzi archived 6,296 of 6,875 reports as noise).
    Each goes through incident_verify, so each gets its timeline row with the reason, its audit row and its
    reporters' words; the grading is F / 6 (cannot be judged), because nobody weighed them one by one, and the
    timeline says so. An incident that is no longer new (a colleague decided it meanwhile), or that a colleague is
    checking (incident_claim), is left as it is.

    `to_reporters`, if given, goes to the reporters of each decided incident after the status words: where to take
    the matter instead (SP4N-LAPOR!, the kelurahan), so that "not ours" is not the end of it for them."""
    reason, to_reporters = reason.strip(), to_reporters.strip()
    if not reason:
        raise IncidentRuleError(gettext("Say why these are not social-conflict matters."))
    if len(incidents) > SET_ASIDE_AT_ONCE:
        raise IncidentRuleError(gettext("At most %(n)d incidents at once.") % {"n": SET_ASIDE_AT_ONCE})
    at = at or timezone.now()
    mine = getattr(actor, "pk", None)
    # A colleague checking an incident decides it (incident_claim); one decided meanwhile is refused below too.
    eligible = [i for i in incidents if i.status == IncidentStatus.NEW and i.claimed_by_id in (None, mine)]
    left = [i for i in incidents if i not in eligible]
    note = f"{reason} (diputuskan bersama {len(eligible)} kejadian; sumber dan informasi tidak dinilai satu per satu)"
    decided = []
    for incident in eligible:
        try:
            decided.append(
                incident_verify(
                    incident=incident,
                    decision=IncidentStatus.NOT_CONFLICT,
                    actor=actor,
                    reliability=Reliability.F,
                    credibility=Credibility.CANNOT_JUDGE,
                    note=note,
                    at=at,
                )
            )
        except TransitionError:
            left.append(incident)
            continue
        if to_reporters:
            incident_tell_reporters(incident=incident, words=to_reporters, at=at, bilingual=False)
    return SetAside(decided, left)


@transaction.atomic
def incident_update_triage(
    *,
    incident: Incident,
    actor: Any,
    reason: str,
    category: Category | None = None,
    urgency: Urgency | None = None,
    region: Any | None = None,
) -> Incident:
    """An analyst overrides the automatic place, category or urgency; the reason is kept on the timeline. Only those
    fields are written, on a locked fresh copy: a verification saved meanwhile is not undone by the page's copy."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    changes, changed = [], ["updated_at"]
    for name, value in (("category", category), ("urgency", urgency), ("region", region)):
        if value is not None and getattr(incident, name) != value:
            changes.append(f"{name}: {getattr(incident, name)} \u2192 {value}")
            setattr(incident, name, value)
            changed.append(name)
    if not changes:
        return incident
    if urgency is not None:
        _tighten_due(incident)
        changed.append("verification_due_at")
    incident.save(update_fields=changed)
    if region is not None:
        incident.reports.filter(region=None).update(region=region)
    at = timezone.now()
    _event(incident, at=at, actor=actor, verb="triage_changed", note="; ".join(changes) + f" ({reason})")
    _changed(incident, at)
    return incident


INCIDENT_FACTS = (
    "people_estimate",
    "injured",
    "killed",
    "displaced",
    "buildings_damaged",
    "crowd_growing",
    "arson_or_looting",
    "vital_object_damaged",
    "police_outnumbered",
)


def _fact_words(value: Any) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return "\u2014" if value is None else str(value)


@transaction.atomic
def incident_update_facts(
    *, incident: Incident, actor: Any, reason: str, at: datetime | None = None, **facts: Any
) -> Incident:
    """The analyst records what is known of the event: people involved, victims, the displaced and the damage,
    and the escalation signs of PP 2/2015 Ps 43. Alerts follow (the hook), the reason stays on the timeline (in
    Indonesian, like the notes). Only the facts are written, on a locked fresh copy, with their timeline row."""
    unknown = set(facts) - set(INCIDENT_FACTS)
    if unknown:
        raise ValueError(f"Not an incident fact: {', '.join(sorted(unknown))}")
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    changes, changed = [], ["updated_at"]
    with translation.override("id"):
        for name, value in facts.items():
            if getattr(incident, name) != value:
                label = getattr(Incident._meta.get_field(name), "verbose_name", name)
                changes.append(f"{label}: {_fact_words(getattr(incident, name))} \u2192 {_fact_words(value)}")
                setattr(incident, name, value)
                changed.append(name)
    if not changes:
        return incident
    incident.save(update_fields=changed)
    at = at or timezone.now()
    _event(incident, at=at, actor=actor, verb="facts_changed", note="; ".join(changes) + f" ({reason})")
    _changed(incident, at)
    return incident


# A closed incident goes back where it was decided from: a rejection to the verification queue, a resolution to the
# open incidents.
REOPENED_TO = {
    IncidentStatus.NOT_CONFLICT: IncidentStatus.NEW,
    IncidentStatus.HOAX: IncidentStatus.NEW,
    IncidentStatus.DUPLICATE: IncidentStatus.NEW,
    IncidentStatus.RESOLVED: IncidentStatus.VERIFIED,
}


class IncidentRuleError(ValueError):
    """A step on an incident that its state does not allow; the message is said to the analyst."""


@transaction.atomic
def incident_reopen(*, incident: Incident, actor: Any, reason: str, at: datetime | None = None) -> Incident:
    """A decision taken wrongly, or a problem that came back. Back in the queue, a rejected incident is verified again
    on a fresh clock (its old deadline has long passed)."""
    at = at or timezone.now()
    if not reason.strip():
        raise IncidentRuleError(gettext("Say why the incident is reopened"))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)  # the caller's copy may be stale
    current = IncidentStatus(incident.status)
    if current not in REOPENED_TO:
        raise IncidentRuleError(gettext("The incident is still open"))
    if current == IncidentStatus.DUPLICATE and not incident.reports.exists():
        raise IncidentRuleError(gettext("Its reports were merged into another incident: split them out there"))
    to = REOPENED_TO[current]
    incident = incident_transition(
        incident=incident, to=to, actor=actor, note=f"dibuka kembali: {reason.strip()}", at=at
    )
    if to == IncidentStatus.NEW:
        incident.verification_due_at = _due(at, incident.urgency)
        incident.save(update_fields=["verification_due_at", "updated_at"])
    return incident


@transaction.atomic
def incident_record(*, incident: Incident, actor: Any, verb: str, note: str = "", at: datetime | None = None) -> None:
    """A line on the incident's timeline (and in the audit log) for a step taken in another room, such as a
    clarification published for the public."""
    _event(incident, at=at or timezone.now(), actor=actor, verb=verb, note=note)


FIELD_VERBS = ("field_note", "field_settled")  # the timeline's words from the ground; the latest one counts


@transaction.atomic
def incident_field_note(
    *, incident: Incident, actor: Any, note: str, settled: bool = False, at: datetime | None = None
) -> Incident:
    """What a responder or mediator did or found on the ground, on the incident's timeline: most small problems get
    no case, and without this the Bhabinkamtibmas who calmed a quarrel had nowhere to say so. One who says the problem
    is settled there asks the secretariat to resolve the incident (an analyst does, as for a case)."""
    at = at or timezone.now()
    if not note.strip():
        raise IncidentRuleError(gettext("Write what was done or found"))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status not in (IncidentStatus.NEW, IncidentStatus.VERIFIED):
        raise IncidentRuleError(gettext("The incident is closed; reopen it first"))
    _event(incident, at=at, actor=actor, verb="field_settled" if settled else "field_note", note=note.strip())
    if settled:
        who = getattr(actor, "organisation", None) or getattr(actor, "username", "")
        queue_to_secretariat(
            purpose="incident",
            subject=f"[Kejadian #{incident.pk}] Selesai di lapangan, menunggu analis",
            body=(
                f"{who}: {note.strip()}\n\nBila benar, analis menyelesaikan kejadian ini di halamannya.\n"
                f"{public_link('triage:incident_detail', incident.pk)}"
            ),
            key=f"incident{incident.pk}:field-settled:{at.isoformat()}",
            at=at,
        )
    return incident


@transaction.atomic
def incident_document_add(
    *, incident: Incident, title: str, data: bytes | None, actor: Any, at: datetime | None = None
) -> Document:
    """A paper or photo from the ground kept with the incident, on its timeline: most small problems get no case,
    and the Bhabinkamtibmas' berita acara of a quarrel calmed, or the photo of a torn banner, had nowhere to go."""
    at = at or timezone.now()
    try:
        document = document_store(owner=incident, title=title, data=data, actor=actor, at=at)
    except DocumentError as exc:
        raise IncidentRuleError(str(exc)) from None
    _event(incident, at=at, actor=actor, verb="document_added", note=document.title)
    return document


@transaction.atomic
def incident_document_remove(
    *, incident: Incident, document: Document, actor: Any, reason: str, at: datetime | None = None
) -> None:
    at = at or timezone.now()
    try:
        document_discard(document=document, actor=actor, reason=reason, at=at)
    except DocumentError as exc:
        raise IncidentRuleError(str(exc)) from None
    _event(incident, at=at, actor=actor, verb="document_removed", note=f"{document.title}: {reason.strip()}")


@transaction.atomic
def incident_merge(*, source: Incident, target: Incident, actor: Any) -> Incident:
    """Two incidents are one event: the source's reports move to the target; the source becomes a duplicate."""
    if source.pk == target.pk:
        raise ValueError("An incident cannot be merged into itself")
    moved = list(source.reports.values_list("receipt", flat=True))
    source.reports.update(incident=target)
    incident_transition(incident=source, to=IncidentStatus.DUPLICATE, actor=actor, note=f"digabung ke #{target.pk}")
    if source.urgency > target.urgency:
        target.urgency = source.urgency
        target.save(update_fields=["urgency", "updated_at"])
    if source.first_received_at and (
        target.first_received_at is None or source.first_received_at < target.first_received_at
    ):
        target.first_received_at = source.first_received_at
        target.save(update_fields=["first_received_at", "updated_at"])
    _event(target, at=timezone.now(), actor=actor, verb="merged", note=f"dari #{source.pk}: {', '.join(moved)}")
    _words_changed(target, timezone.now())
    return target


@transaction.atomic
def report_split(*, report: Report, actor: Any) -> Incident:
    """A report was merged wrongly: it leaves its incident and opens its own."""
    old = report.incident
    if old is None:
        raise ValueError("The report is not in an incident")
    if old.reports.count() < 2:
        raise ValueError("The only report of an incident cannot be split off")
    new = incident_open(
        report=report,
        actor=actor,
        title=f"{old.title} (dipisah)",
        category=Category(old.category),
        urgency=Urgency(old.urgency),
        triage=report.triage,
    )
    old.first_received_at = old.reports.aggregate(first=Min("received_at"))["first"]
    old.save(update_fields=["first_received_at", "updated_at"])
    _event(old, at=timezone.now(), actor=actor, verb="report_split", note=f"laporan {report.receipt} \u2192 #{new.pk}")
    return new


@dataclass(frozen=True)
class Prepared:
    """Triage worked out before the write transaction: only reads and CPU."""

    suggestions: dict[str, Any]
    region: Any | None
    category: Category
    urgency: Urgency
    merge: MergeLookout | None  # None when the report has no place (nothing to merge with)


def triage_prepare(draft: ReportDraft, region: Any | None) -> Prepared:
    """Place, categorise and grade a report that is about to be stored (no writes)."""
    suggestions: dict[str, Any] = {}
    if region is not None:
        how = "titik koordinat" if draft.latitude is not None else "dipilih pelapor"
        suggestions["place"] = {"code": region.code, "confidence": 1.0, "reasons": [how]}
    else:
        place = place_from_text(f"{draft.location_text} {draft.description}", within=settings.SIGAP_DEPLOYMENT_REGION)
        if place is not None:
            region = place.region
            suggestions["place"] = {"code": region.code, "confidence": place.confidence, "reasons": [place.reason]}
        elif draft.home_region is not None:
            region = draft.home_region
            suggestions["place"] = {"code": region.code, "confidence": 0.6, "reasons": ["wilayah pelapor terpercaya"]}
    model = textmodel.load(settings.SIGAP_TEXT_MODEL_PATH)
    labels = model.labels_for(draft.description) if model else {}
    if model:
        suggestions["text_model"] = {
            "value": sorted(labels),
            "reasons": [f"{k} {v:.2f}" for k, v in labels.items()] or ["tidak ada label ujaran kebencian/kasar"],
        }
    category = suggest_category(draft.description, model_labels=labels)
    urgency = suggest_urgency(
        draft.description,
        weapons_seen=draft.weapons_seen,
        mass_mobilisation=draft.mass_mobilisation,
        crowd_size=draft.crowd_size,
        online_provocation=draft.online_provocation,
        model_labels=labels,
    )
    suggestions["category"] = {"value": category.value, "confidence": category.confidence, "reasons": category.reasons}
    suggestions["urgency"] = {"value": urgency.value, "confidence": urgency.confidence, "reasons": urgency.reasons}
    lookout = None
    if region is not None:
        lookout = merge_lookout(
            region_id=region.pk,
            moment=draft.occurred_at or draft.received_at or timezone.now(),
            description=draft.description.strip(),
            category=str(category.value),
        )
    return Prepared(suggestions, region, Category(str(category.value)), Urgency(int(urgency.value)), lookout)


def report_triage(report: Report, prepared: Prepared) -> None:
    """Runs on every new report inside its transaction, before its INSERT (registered with intake): merge or open
    an incident."""
    report.triage = dict(prepared.suggestions)
    if report.region_id is None and prepared.region is not None:
        report.region = prepared.region
    if report.region is None or prepared.merge is None:
        if not report._state.adding:
            report.save(update_fields=["triage"])
        if prepared.urgency >= Urgency.HIGH and report.channel != Channel.IMPORT:
            # No place, so no incident and no clock: the report has an id only once it is saved. Robust: a notice
            # that fails must not turn an accepted report into an error for its reporter.
            transaction.on_commit(partial(_tell_secretariat_unplaced, report, prepared.urgency), robust=True)
        return  # no place: it waits in the analysts' queue of unplaced reports
    match = merge_confirm(prepared.merge)
    if match is not None:
        report.triage["merge"] = {"incident": match.incident.pk, "reasons": [match.reason]}
        urgency_before = match.incident.urgency
        incident_attach_report(
            incident=match.incident,
            report=report,
            actor=None,
            note=match.reason,
            at=report.received_at,
            report_fields=("region", "triage"),
        )
        if match.incident.urgency > urgency_before:  # its urgency before was told when the incident reached it
            _tell_secretariat_urgent(match.incident, report)
        return
    with translation.override("id"):  # titles are records of the team, kept in Bahasa Indonesia
        title = f"{prepared.category.label} di {report.region.name}"
    incident = incident_open(
        report=report,
        actor=None,
        title=str(title),
        category=prepared.category,
        urgency=prepared.urgency,
        triage=report.triage,
        at=report.received_at,
        report_fields=("region", "triage"),
    )
    _tell_secretariat_urgent(incident, report)


def _signs(report: Report) -> str:
    """What the reporter ticked, in words: the notices below say this, never the reporter's own words."""
    signs = [
        words
        for ticked, words in (
            (report.weapons_seen, "senjata terlihat"),
            (report.mass_mobilisation, "pengerahan massa"),
            (report.online_provocation, "provokasi di media sosial"),
        )
        if ticked
    ]
    if report.crowd_size:
        signs.append(f"massa {report.get_crowd_size_display()}")
    return "; ".join(signs) or "lihat uraian di Sigap"


def _tell_secretariat_urgent(incident: Incident, report: Report) -> None:
    """A report that opens an incident, or joins one, at high or critical urgency: the secretariat hears at once,
    day or night, instead of at its next look at the queue (the queue shows the clock; nobody watches it at 2 a.m.).
    Once per incident and urgency. The notice leaves Sigap by SMS or e-mail, so it carries the place, the urgency,
    the signs ticked and the verify-by time, never the reporter's words or receipt. Imported paper logs are left
    out: the analyst who imports them is looking at them."""
    if incident.urgency < Urgency.HIGH or incident.status != IncidentStatus.NEW or report.channel == Channel.IMPORT:
        return
    region = report.region  # the incident's own (a merge stays in its kelurahan), already loaded
    kecamatan = region.parent if region else None
    due = timezone.localtime(incident.verification_due_at) if incident.verification_due_at else None
    with translation.override("id"):
        level = str(Urgency(incident.urgency).label)
        body = (
            f"Kejadian berurgensi {level}: {incident.title}"
            + (f" (Kecamatan {kecamatan.name})" if kecamatan else "")
            + f".\nTanda: {_signs(report)}.\n"
            + (f"Verifikasi sebelum {due:%d-%m-%Y %H.%M}.\n" if due else "")
            + f"(An incident of {Urgency(incident.urgency).name.lower()} urgency awaits verification.)\n"
            + public_link("triage:incident_detail", incident.pk)
        )
    queue_to_secretariat(
        purpose="incident",
        subject=f"[Kejadian #{incident.pk}] {level}, menunggu verifikasi: {incident.title}",
        body=body,
        key=f"incident{incident.pk}:urgent:{incident.urgency}",
        at=report.received_at or timezone.now(),
    )


def _tell_secretariat_unplaced(report: Report, urgency: Urgency) -> None:
    with translation.override("id"):
        level = str(Urgency(urgency).label)
        village = deployment_village_word()
        body = (
            f"Laporan berurgensi {level} tanpa {village} yang dikenali. Tanda: {_signs(report)}.\n"
            f"Tempatkan di {village}nya agar menjadi kejadian dan bisa diverifikasi.\n"
            f"(An urgent report could not be placed.)\n{public_link('triage:reports_unplaced')}"
        )
    queue_to_secretariat(
        purpose="incident",
        subject=f"[Laporan #{report.pk}] {level}, belum ditempatkan di {village}",
        body=body,
        key=f"report{report.pk}:unplaced-urgent",
        at=report.received_at or timezone.now(),
    )


def _reachable(user_ids: set[int]) -> set[int]:
    """The people among these who have an active channel of their own."""
    return set(NotifyChannel.objects.filter(active=True, user_id__in=user_ids).values_list("user_id", flat=True))


def _person_or_secretariat(
    person: Any, reachable: set[int], secretariat_people: tuple[Any, Any]
) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """(organisations, people) for a reminder meant for one person: that person alone when they still have an
    account and can be reached, else the whole secretariat."""
    if person is not None and person.is_active and person.pk in reachable:
        return (), (person,)
    orgs, users = secretariat_people
    return tuple(orgs), tuple(users)


def verifications_late(now: datetime | None = None) -> int:
    """An incident whose verification clock ran out is put before the secretariat once per deadline (a clock on a
    page nobody opens over a long weekend does not get anything verified). Urgent ones at once; the others wait for
    the end of quiet hours. One an analyst took to check (incident_claim) goes to that analyst alone when they have a
    channel of their own. Returns messages queued."""
    now = now or timezone.now()
    desk_now, desk_later = secretariat(now), secretariat(now, can_wait=True)
    late = list(
        Incident.objects.filter(status=IncidentStatus.NEW, verification_due_at__lte=now)
        .only("pk", "title", "urgency", "verification_due_at", "claimed_by")
        .select_related("claimed_by")
        .order_by("verification_due_at", "pk")
    )
    reachable = _reachable({i.claimed_by_id for i in late if i.claimed_by_id})
    reminders = []
    with translation.override("id"):
        for incident in late:
            due_at = incident.verification_due_at
            if due_at is None:  # excluded by the filter; said again for the type checker
                continue
            level = str(Urgency(incident.urgency).label)
            due = timezone.localtime(due_at)
            body = (
                f"Belum diverifikasi, batasnya {due:%d-%m-%Y %H.%M}: {incident.title} (urgensi {level}).\n"
                f"(Verification is overdue.)\n{public_link('triage:incident_detail', incident.pk)}"
            )
            # One who took the incident to check hears it alone, if they can be reached; the others are not woken.
            can_wait = incident.urgency < Urgency.HIGH
            reminders.append(
                Reminder(
                    *_person_or_secretariat(incident.claimed_by, reachable, desk_later if can_wait else desk_now),
                    "reminder",
                    f"[Terlambat] Kejadian #{incident.pk} belum diverifikasi",
                    body,
                    f"incident{incident.pk}:verify-late:{due_at.isoformat()}",
                    quiet_hours=can_wait,
                )
            )
    return queue_reminders(reminders, now)


FOLLOW_UP_MAX_DAYS = 90


@transaction.atomic
def incident_follow_up(*, incident: Incident, actor: Any, on: date, note: str, at: datetime | None = None) -> Incident:
    """An analyst who neither opens a case nor resolves a verified incident yet says when to look at it again and
    what to check then ("did the RW 05 musyawarah take place?"). Until that day the incident is not listed as left
    without follow-up; on that day the analyst is reminded (`follow_ups_due`)."""
    at = at or timezone.now()
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status != IncidentStatus.VERIFIED:
        raise IncidentRuleError(gettext("Only a verified, open incident is followed up"))
    if not note.strip():
        raise IncidentRuleError(gettext("Write what is to be checked then"))
    today = timezone.localdate(at)
    if on <= today:
        raise IncidentRuleError(gettext("Choose a day after today"))
    if on > today + timedelta(days=FOLLOW_UP_MAX_DAYS):
        raise IncidentRuleError(
            gettext("At most %(days)d days ahead: a problem left longer needs a case or a decision")
            % {"days": FOLLOW_UP_MAX_DAYS}
        )
    incident.follow_up_on = on
    incident.follow_up_by = actor if getattr(actor, "is_authenticated", False) else None
    incident.save(update_fields=["follow_up_on", "follow_up_by", "updated_at"])
    _event(incident, at=at, actor=actor, verb="follow_up_set", note=f"{on:%d-%m-%Y}: {note.strip()}")
    audit_record(actor=actor, action="incident.follow_up_set", target=incident, details={"on": on.isoformat()})
    return incident


def follow_ups_due(now: datetime | None = None) -> int:
    """On the day an analyst chose to look at a verified incident again, that analyst is reminded (the secretariat
    when the analyst has no channel of their own or left), once per incident and day, after quiet hours."""
    now = now or timezone.now()
    due = list(
        Incident.objects.filter(status=IncidentStatus.VERIFIED, follow_up_on__lte=timezone.localdate(now))
        .select_related("follow_up_by")
        .order_by("follow_up_on", "pk")
    )
    if not due:
        return 0
    reachable = _reachable({i.follow_up_by_id for i in due if i.follow_up_by_id})
    orgs, users = secretariat(now, can_wait=True)
    reminders = []
    for incident in due:
        last = incident.events.filter(verb="follow_up_set").order_by("-at", "-pk").values_list("note", flat=True)
        what = (last.first() or "").partition(": ")[2]  # the timeline's note is "dd-mm-yyyy: what to check"
        body = (
            f"Hari ini dijadwalkan cek ulang kejadian #{incident.pk} {incident.title}.\nYang dicek: {what}\n"
            f"(A verified incident is due for a follow-up.)\n{public_link('triage:incident_detail', incident.pk)}"
        )
        reminders.append(
            Reminder(
                *_person_or_secretariat(incident.follow_up_by, reachable, (orgs, users)),
                "reminder",
                f"[Tindak lanjut] Kejadian #{incident.pk} dicek lagi hari ini",
                body,
                f"incident{incident.pk}:follow-up:{incident.follow_up_on}",
                quiet_hours=True,
            )
        )
    return queue_reminders(reminders, now)


def secretariat_queue_digest(org: Any) -> list[str]:
    """The secretariat's own work in its morning summary (notify's daily digest): the verification queue with what
    is past its clock, the reports still to place, the reporters waiting for an answer. Other organisations' summaries
    stay about their alerts."""
    from sigap.directory.choices import OrganisationKind

    if org.kind != OrganisationKind.KESBANGPOL:
        return []
    waiting = Incident.objects.filter(status=IncidentStatus.NEW)
    count, late = waiting.count(), waiting.filter(verification_due_at__lte=timezone.now()).count()
    unplaced = Report.objects.filter(incident=None).count()
    unanswered = Report.objects.awaiting_answer().count()
    follow_ups = Incident.objects.filter(status=IncidentStatus.VERIFIED, follow_up_on__lte=timezone.localdate()).count()
    if not (count or unplaced or unanswered or follow_ups):
        return []
    lines = [
        "Antrean sekretariat:",
        f"- {count} kejadian menunggu verifikasi" + (f", {late} lewat batas" if late else ""),
    ]
    if unplaced:
        lines.append(f"- {unplaced} laporan belum ditempatkan di {deployment_village_word()}")
    if unanswered:
        lines.append(f"- {unanswered} pelapor menunggu jawaban")
    if follow_ups:
        lines.append(f"- {follow_ups} kejadian terverifikasi dijadwalkan dicek lagi hari ini")
    lines.append(public_link("home:home"))
    return lines


class ReportAlreadyPlaced(ValueError):
    """The report is in an incident already: it is moved with split and merge on the incident's page."""


def report_place(*, report: Report, region: Any, actor: Any) -> Incident:
    """An analyst places a report that triage could not place (no kelurahan named, none found in its words, or a
    triage still to run): it is then merged into an incident or opens one, exactly as on arrival, and the analyst's
    choice is in the report's suggestions and the audit log."""
    if report.incident_id is not None:
        raise ReportAlreadyPlaced(f"report {report.receipt} is in incident {report.incident_id}")
    draft = draft_of(report)
    prepared = triage_prepare(replace(draft, region=region), region)
    prepared.suggestions["place"] = {"code": region.code, "confidence": 1.0, "reasons": ["ditempatkan analis"]}
    with transaction.atomic():
        # An imported log's triage may have reached it meanwhile (the worker): placed once, not twice.
        if not Report.objects.filter(pk=report.pk, incident=None).exists():
            raise ReportAlreadyPlaced(f"report {report.receipt} was placed meanwhile")
        report.region = region
        report_triage(report, prepared)
        assert report.incident is not None  # noqa: S101 - a placed report is merged or opens an incident
        audit_record(
            actor=actor,
            action="report.placed",
            target=report,
            details={"region": region.code, "incident": report.incident.pk},
        )
    return report.incident


_MESSAGE_KEY = re.compile(
    r"^(incident|report)(\d+):(urgent|verify-late|follow-up|unplaced-urgent|waiting|unsettled):?([0-9-]+)?"
)


def message_overtaken(notification: Notification) -> str:
    """Why a message of this room is no longer true when its turn comes (notify.services.overtaken_by): "awaiting
    verification" and "verification late" for an incident that left the queue, a follow-up for an incident moved
    to another day or closed, "could not be placed" for a report an analyst placed, "a reporter waits for an
    answer" once someone answered."""
    found = _MESSAGE_KEY.match(notification.idempotency_key)
    if not found:
        return ""
    kind, pk, what, value = found.group(1), int(found.group(2)), found.group(3), found.group(4)
    if kind == "report" and what == "waiting":  # the key holds the team's last answer when the reporter wrote
        answers = ReporterMessage.objects.filter(persons_answer(), report_id=pk).order_by("-at", "-id")
        answered_since = str(answers.values_list("pk", flat=True).first() or 0) != value
        return f"pelapor laporan #{pk} sudah dijawab" if answered_since else ""
    if kind == "report" and what == "unsettled":  # the key holds the reporter's answer
        waits = ResolutionAnswer.objects.disputed().filter(pk=int(value or 0)).exists()
        return "" if waits else f"tanggapan pelapor laporan #{pk} sudah ditindaklanjuti analis"
    if kind == "report":
        placed = Report.objects.filter(pk=pk, region__isnull=False).exists()
        return f"laporan #{pk} sudah ditempatkan" if placed else ""
    incident = Incident.objects.filter(pk=pk).only("status", "follow_up_on").first()
    if incident is None:
        return f"kejadian #{pk} tidak ada lagi"
    with translation.override("id"):
        status = str(IncidentStatus(incident.status).label).lower()
    if what in ("urgent", "verify-late") and incident.status != IncidentStatus.NEW:
        return f"kejadian #{pk} kini: {status}"
    if what == "follow-up":
        if incident.status != IncidentStatus.VERIFIED:
            return f"kejadian #{pk} kini: {status}"
        if incident.follow_up_on is None or incident.follow_up_on.isoformat() != value:
            return f"kejadian #{pk} tidak lagi dijadwalkan dicek pada {value}"
    return ""
