"""Mediation writes: each step through one function that writes the timeline and audit rows."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext

from sigap.cases.choices import CaseStatus
from sigap.cases.models import Case, CaseEvent
from sigap.cases.rules import party_mentioned
from sigap.core.documents import DocumentError, document_discard, document_store
from sigap.core.models import Document
from sigap.core.services import audit_record
from sigap.directory.models import Person
from sigap.mediation.choices import Compliance, MediationStatus
from sigap.mediation.models import (
    Agreement,
    Commitment,
    FollowUp,
    Forum,
    Mediation,
    MediationEvent,
    Party,
    RelapseFlag,
    Session,
)
from sigap.mediation.states import check_transition
from sigap.notify.models import Notification
from sigap.notify.services import public_link, queue_to, secretariat
from sigap.risk.services import area_flag_raise
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident


class MediationRuleError(ValueError):
    pass


def _is_user(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _event(
    mediation: Mediation, *, actor: Any, verb: str, note: str = "", to_status: str = "", at: datetime | None = None
) -> None:
    MediationEvent.objects.create(
        mediation=mediation,
        at=at or timezone.now(),
        actor=actor if _is_user(actor) else None,
        verb=verb,
        from_status=mediation.status if to_status and verb != "opened" else "",
        to_status=to_status,
        note=note,
    )
    audit_record(
        actor=actor, action=f"mediation.{verb}", target=mediation, details={"to": to_status} if to_status else {}
    )


def _move(
    mediation: Mediation, to: MediationStatus, *, actor: Any, verb: str, note: str = "", at: datetime | None = None
) -> None:
    check_transition(MediationStatus(mediation.status), to)
    _event(mediation, actor=actor, verb=verb, note=note, to_status=to, at=at)
    mediation.status = to
    if to in (MediationStatus.FULFILLED, MediationStatus.FAILED, MediationStatus.WITHDRAWN):
        mediation.closed_at = at or timezone.now()
    else:
        mediation.closed_at = None


def _link(mediation: Mediation) -> str:
    return public_link("mediation:detail", mediation.pk)


def _tell_followers(
    mediation: Mediation, *, key: str, subject: str, body: str, at: datetime, secretariat_too: bool = False
) -> int:
    orgs: list[Any] = []
    users: list[Any] = [mediation.mediator] if mediation.mediator_id else []
    if mediation.forum_id and mediation.forum and mediation.forum.organisation_id:
        orgs.append(mediation.forum.organisation)
    if secretariat_too:
        more_orgs, more_users = secretariat()
        orgs += more_orgs
        users += more_users
    return len(
        queue_to(
            organisations=orgs,
            users=users,
            purpose="mediation",
            subject=f"[Mediasi M-{mediation.pk}] {subject}",
            body=f"{body}\n\n{mediation.title}\n{_link(mediation)}",
            key=key,
            at=at,
        )
    )


# ---- Forums ------------------------------------------------------------------------------------------------------


@transaction.atomic
def forum_save(*, forum: Forum, actor: Any, areas: Iterable[Any], facilitators: Iterable[Person]) -> Forum:
    created = forum.pk is None
    forum.save()
    forum.areas.set(list(areas))
    forum.facilitators.set(list(facilitators))
    audit_record(actor=actor, action="forum.created" if created else "forum.updated", target=forum)
    return forum


# ---- A mediation from start to agreement -------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyInput:
    name: str
    representative: str = ""


@transaction.atomic
def mediation_open(
    *,
    title: str,
    actor: Any,
    parties: Sequence[PartyInput],
    forum: Forum | None = None,
    region: Any = None,
    incidents: Iterable[Incident] = (),
    cases: Iterable[Case] = (),
    facilitators: Iterable[Person] = (),
    mediator: Any = None,
    at: datetime | None = None,
) -> Mediation:
    """A dispute goes to a forum: at least two parties, linked to the incidents and cases it settles."""
    at = at or timezone.now()
    named = [p for p in parties if p.name.strip()]
    if len(named) < 2:
        raise MediationRuleError(gettext("A mediation needs at least two parties"))
    incident_list, case_list = list(incidents), list(cases)
    if region is None:
        region = next((i.region for i in incident_list if i.region_id), None) or next(
            (c.region for c in case_list if c.region_id), None
        )
    mediation = Mediation.objects.create(title=title[:200], forum=forum, region=region, mediator=mediator, opened_at=at)
    mediation.incidents.set(incident_list)
    mediation.cases.set(case_list)
    mediation.facilitators.set(list(facilitators))
    for p in named:
        Party.objects.create(mediation=mediation, name=p.name.strip()[:200], representative=p.representative.strip())
    _event(
        mediation,
        actor=actor,
        verb="opened",
        to_status=MediationStatus.PREPARING,
        note=", ".join(p.name for p in named),
        at=at,
    )
    for case in case_list:
        _case_event(case, mediation, verb="mediation_started", actor=actor, at=at)
    return mediation


def _case_event(case: Case, mediation: Mediation, *, verb: str, actor: Any, at: datetime) -> None:
    """The mediation's step on the timeline of a case it serves, where the case's lead reads it."""
    CaseEvent.objects.create(
        case=case,
        at=at,
        actor=actor if _is_user(actor) else None,
        verb=verb,
        note=f"M-{mediation.pk} {mediation.title}",
    )


@transaction.atomic
def session_schedule(
    *, mediation: Mediation, scheduled_at: datetime, venue: str, actor: Any, at: datetime | None = None
) -> Session:
    at = at or timezone.now()
    if mediation.status in (MediationStatus.WITHDRAWN, MediationStatus.FULFILLED):
        raise MediationRuleError(gettext("The mediation is closed"))
    if not venue.strip():
        raise MediationRuleError(gettext("Where is the session held?"))
    session = Session.objects.create(mediation=mediation, scheduled_at=scheduled_at, venue=venue.strip())
    note = f"{timezone.localtime(scheduled_at):%d-%m-%Y %H:%M}, {venue.strip()}"
    _event(mediation, actor=actor, verb="session_scheduled", note=note, at=at)
    _tell_followers(
        mediation,
        key=f"med{mediation.pk}:session{session.pk}",
        subject="Jadwal pertemuan mediasi",
        body=note,
        at=at,
    )
    return session


@transaction.atomic
def session_cancel(*, session: Session, actor: Any, reason: str, at: datetime | None = None) -> Session:
    """A session that will not take place as scheduled leaves the agenda with its reason, and the followers are
    told, so that nobody waits at the venue. A new date is scheduled as a new session."""
    at = at or timezone.now()
    reason = reason.strip()
    if not reason:
        raise MediationRuleError(gettext("Say why the session is called off"))
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.held:
        raise MediationRuleError(gettext("The session was held; record it instead"))
    if session.cancelled_at is not None:
        raise MediationRuleError(gettext("The session was already called off"))
    session.cancelled_at = at
    session.cancel_reason = reason
    session.save(update_fields=["cancelled_at", "cancel_reason"])
    mediation = session.mediation
    note = f"{timezone.localtime(session.scheduled_at):%d-%m-%Y %H:%M}, {session.venue}: {reason}"
    _event(mediation, actor=actor, verb="session_cancelled", note=note, at=at)
    key = f"med{mediation.pk}:session{session.pk}:cancelled"
    _tell_followers(mediation, key=key, subject="Pertemuan mediasi batal", body=note, at=at)
    return session


@transaction.atomic
def session_record(
    *,
    session: Session,
    actor: Any,
    attendees: str,
    attendee_count: int,
    women_count: int,
    minutes: str,
    held_at: datetime | None = None,
    at: datetime | None = None,
) -> Session:
    """The session took place: who came and what was said. The first one starts the talks.

    It is recorded once it has been held: a session still ahead is refused (the form of next week's session sits
    beside tonight's). One held at another time than scheduled gives `held_at`, which becomes its time; the
    timeline keeps the time it was scheduled for."""
    at = at or timezone.now()
    if not minutes.strip():
        raise MediationRuleError(gettext("A held session needs its minutes"))
    if women_count > attendee_count:
        raise MediationRuleError(gettext("More women than people present"))
    if held_at is not None and held_at > at:
        raise MediationRuleError(gettext("The time it was held is still ahead"))
    if held_at is None and session.scheduled_at > at:
        raise MediationRuleError(
            gettext(
                "The session is scheduled for %(when)s, still ahead: record it once it has been held "
                "(one held earlier takes the time it was held)"
            )
            % {"when": formats.date_format(timezone.localtime(session.scheduled_at), "j M Y H:i")}
        )
    mediation = Mediation.objects.select_for_update().get(pk=session.mediation_id)
    if Session.objects.filter(pk=session.pk, cancelled_at__isnull=False).exists():
        raise MediationRuleError(gettext("The session was called off; schedule a new one"))
    moved = ""
    if held_at is not None and held_at != session.scheduled_at:
        moved = f"diadakan {timezone.localtime(held_at):%d-%m-%Y %H:%M}, dijadwalkan "
        moved += f"{timezone.localtime(session.scheduled_at):%d-%m-%Y %H:%M}; "
        session.scheduled_at = held_at
    session.held = True
    session.attendees = attendees.strip()
    session.attendee_count = attendee_count
    session.women_count = women_count
    session.minutes = minutes.strip()
    session.save()
    if mediation.status in (MediationStatus.PREPARING, MediationStatus.FAILED):
        _move(mediation, MediationStatus.IN_SESSION, actor=actor, verb="talks_started", at=at)
        mediation.save()
    note = f"{moved}{attendee_count} hadir: {minutes.strip()[:300]}"
    _event(mediation, actor=actor, verb="session_held", note=note, at=at)
    return session


@dataclass(frozen=True)
class CommitmentInput:
    description: str
    owner: str
    due_on: date
    party: Party | None = None


@transaction.atomic
def agreement_record(
    *,
    mediation: Mediation,
    actor: Any,
    signed_on: date,
    text: str,
    signatories: str,
    commitments: Sequence[CommitmentInput],
    at: datetime | None = None,
) -> Agreement:
    """The parties signed a kesepakatan damai; each commitment has an owner and a due date, to be followed up.
    Talks resumed after a relapse end in a renewed agreement that replaces the one in force."""
    mediation = Mediation.objects.select_for_update().get(pk=mediation.pk)  # the caller's copy may be stale
    if mediation.status != MediationStatus.IN_SESSION:
        raise MediationRuleError(gettext("An agreement comes out of held sessions"))
    replaced = mediation.agreement
    if replaced is not None and signed_on < replaced.signed_on:
        raise MediationRuleError(
            gettext("A renewed agreement is signed after the one it replaces (%(day)s)")
            % {"day": f"{replaced.signed_on:%d-%m-%Y}"}
        )
    if not text.strip():
        raise MediationRuleError(gettext("Write down what was agreed"))
    listed = [c for c in commitments if c.description.strip()]
    if not listed:
        raise MediationRuleError(gettext("An agreement needs at least one commitment to follow up"))
    for c in listed:
        if not c.owner.strip():
            raise MediationRuleError(gettext("Who is to do it: %(what)s") % {"what": c.description})
        if c.due_on < signed_on:
            raise MediationRuleError(
                gettext("A commitment falls due after the signing: %(what)s") % {"what": c.description}
            )
    at = at or timezone.now()
    if replaced is not None:
        # The renewed agreement is the one followed up; the one replaced stays as signed, with its compliance.
        Agreement.objects.filter(pk=replaced.pk).update(replaced_at=at)
    agreement = Agreement.objects.create(
        mediation=mediation,
        signed_on=signed_on,
        text=text.strip(),
        signatories=signatories.strip(),
        recorded_by=actor if _is_user(actor) else None,
    )
    for c in listed:
        Commitment.objects.create(
            agreement=agreement,
            party=c.party,
            description=c.description.strip()[:400],
            owner=c.owner.strip()[:200],
            due_on=c.due_on,
        )
    note = f"{len(listed)} komitmen"
    if replaced is not None:
        note += f"; menggantikan kesepakatan {replaced.signed_on:%d-%m-%Y}"
    _move(mediation, MediationStatus.AGREED, actor=actor, verb="agreed", note=note, at=at)
    mediation.outcome = text.strip()
    mediation.save()
    return agreement


@transaction.atomic
def mediation_end(
    *, mediation: Mediation, actor: Any, failed: bool, note: str, at: datetime | None = None
) -> Mediation:
    """No agreement (the case may go to court), or withdrawn."""
    mediation = Mediation.objects.select_for_update().get(pk=mediation.pk)  # the caller's copy may be stale
    if not note.strip():
        raise MediationRuleError(gettext("Say why"))
    to = MediationStatus.FAILED if failed else MediationStatus.WITHDRAWN
    _move(mediation, to, actor=actor, verb="failed" if failed else "withdrawn", note=note.strip(), at=at)
    mediation.outcome = note.strip()
    mediation.save()
    return mediation


@transaction.atomic
def mediation_resume(*, mediation: Mediation, actor: Any, note: str, at: datetime | None = None) -> Mediation:
    """Talks again (after a relapse, or another attempt after a failure)."""
    mediation = Mediation.objects.select_for_update().get(pk=mediation.pk)  # the caller's copy may be stale
    if not note.strip():
        raise MediationRuleError(gettext("Say why the talks resume"))
    _move(mediation, MediationStatus.IN_SESSION, actor=actor, verb="talks_resumed", note=note.strip(), at=at)
    mediation.save()
    return mediation


@transaction.atomic
def follow_up_record(
    *,
    agreement: Agreement,
    actor: Any,
    visited_on: date,
    results: dict[int, Compliance],
    notes: str,
    at: datetime | None = None,
) -> FollowUp:
    """A visit checks the commitments. A broken one is reported to the secretariat; when every commitment is
    kept, the agreement is fulfilled."""
    at = at or timezone.now()
    mediation = Mediation.objects.select_for_update().get(pk=agreement.mediation_id)
    if visited_on < agreement.signed_on:
        raise MediationRuleError(gettext("A follow-up comes after the signing"))
    commitments = {c.pk: c for c in agreement.commitments.all()}
    unknown = set(results) - set(commitments)
    if unknown:
        raise MediationRuleError(gettext("Those commitments are not part of this agreement"))
    if not results:
        raise MediationRuleError(gettext("Record at least one commitment's state"))
    follow_up = FollowUp.objects.create(
        agreement=agreement,
        visited_on=visited_on,
        notes=notes.strip(),
        visited_by=actor if _is_user(actor) else None,
        results={str(k): str(v) for k, v in results.items()},
    )
    for pk, compliance in results.items():
        commitment = commitments[pk]
        commitment.compliance = compliance
        commitment.checked_on = visited_on
        commitment.save(update_fields=["compliance", "checked_on"])
    counts = {c: sum(1 for v in results.values() if v == c) for c in Compliance}
    summary = ", ".join(f"{Compliance(c).label}: {n}" for c, n in counts.items() if n)
    _event(mediation, actor=actor, verb="follow_up", note=f"{visited_on:%d-%m-%Y}: {summary}", at=at)
    broken = [commitments[pk] for pk, v in results.items() if v == Compliance.BROKEN]
    if broken:
        _tell_followers(
            mediation,
            key=f"med{mediation.pk}:fu{follow_up.pk}:broken",
            subject="Komitmen dilanggar",
            body="\n".join(f"- {c.description} ({c.owner})" for c in broken),
            at=at,
            secretariat_too=True,
        )
    all_kept = all(c.compliance == Compliance.KEPT for c in Commitment.objects.filter(agreement=agreement))
    if all_kept and mediation.status == MediationStatus.AGREED:
        _move(
            mediation, MediationStatus.FULFILLED, actor=actor, verb="fulfilled", note="semua komitmen dipenuhi", at=at
        )
        mediation.save()
        _fulfilled_tell(mediation, actor=actor, at=at)
    return follow_up


def _fulfilled_tell(mediation: Mediation, *, actor: Any, at: datetime) -> None:
    """A kept agreement does not close the problem by itself (the lead proposes a case's resolution, an analyst
    settles an incident without one): the cases' timelines say it, and the followers and the secretariat are told
    what is still open, so that the problem is followed until it is finished."""
    cases = list(mediation.cases.order_by("pk"))
    open_cases = [c for c in cases if c.status != CaseStatus.RESOLVED]
    open_incidents = list(
        mediation.incidents.filter(status__in=(IncidentStatus.NEW, IncidentStatus.VERIFIED)).order_by("pk")
    )
    for case in cases:
        _case_event(case, mediation, verb="fulfilled", actor=actor, at=at)
    still_open = [f"- penanganan P-{c.pk} {c.title}: {public_link('cases:detail', c.pk)}" for c in open_cases]
    still_open += [
        f"- kejadian #{i.pk} {i.title}: {public_link('triage:incident_detail', i.pk)}" for i in open_incidents
    ]
    body = "Semua komitmen kesepakatan dipenuhi."
    if still_open:
        body += (
            " Masih terbuka:\n"
            + "\n".join(still_open)
            + "\nBila masalahnya sudah tuntas, instansi pemimpin mengusulkan "
            "penanganan selesai dan analis menyelesaikan kejadian yang tidak ditangani."
        )
    _tell_followers(
        mediation,
        key=f"med{mediation.pk}:fulfilled:{at.isoformat()}",
        subject="Kesepakatan dipenuhi",
        body=body,
        at=at,
        secretariat_too=True,
    )


# ---- Relapse watch -----------------------------------------------------------------------------------------------


def relapse_reason(mediation: Mediation, incident: Incident, text: str) -> str | None:
    """The same parties (named in the incident), or the same kelurahan."""
    named = [p.name for p in mediation.parties.all() if party_mentioned(p.name, text)]
    if named:
        return f"pihak yang sama: {', '.join(named)}"
    if mediation.region_id is not None and incident.region_id == mediation.region_id:
        return f"wilayah yang sama: {incident.region}"
    return None


def incident_changed(incident: Incident, at: datetime) -> None:
    """Hook from triage (after the commit): a verified incident after an agreement, involving the same parties or
    area, raises a flag on the mediation and on the kelurahan's risk, and tells the mediator and the secretariat."""
    if incident.status != IncidentStatus.VERIFIED or incident.region_id is None:
        return
    happened = incident.occurred_at or at
    watch_from = timezone.localdate(happened) - timedelta(days=settings.SIGAP_RELAPSE_WATCH_DAYS)
    candidates = (
        Mediation.objects.filter(
            agreements__replaced_at=None,
            agreements__signed_on__lt=timezone.localdate(happened),
            agreements__signed_on__gte=watch_from,
        )
        .exclude(incidents=incident)
        .select_related("region", "forum")
    )
    text = f"{incident.title} {incident.summary} " + " ".join(
        g for g in incident.reports.values_list("groups_involved", flat=True) if g
    )
    for mediation in candidates.filter(Q(region=incident.region_id) | Q(parties__isnull=False)).distinct():
        reason = relapse_reason(mediation, incident, text)
        agreement = mediation.agreement
        if reason is None or agreement is None:
            continue
        if RelapseFlag.objects.filter(mediation=mediation, incident=incident).exists():
            continue
        with transaction.atomic():
            RelapseFlag.objects.create(mediation=mediation, incident=incident, raised_at=at, reason=reason[:300])
            _event(
                mediation, actor=None, verb="relapse_flagged", note=f"#{incident.pk} {incident.title}: {reason}", at=at
            )
            area = mediation.region or incident.region
            assert area is not None  # noqa: S101 - the incident has a region (checked above)
            area_flag_raise(
                region=area,
                kind="relapse",
                starts_on=timezone.localdate(happened),
                days=settings.SIGAP_RELAPSE_FLAG_DAYS,
                note=f"M-{mediation.pk}: {reason}",
                source=f"mediation:{mediation.pk}:incident:{incident.pk}",
            )
            _tell_followers(
                mediation,
                key=f"med{mediation.pk}:relapse:i{incident.pk}",
                subject="Kejadian baru setelah kesepakatan damai",
                body=f"Kejadian #{incident.pk} ({reason}) setelah kesepakatan "
                f"{agreement.signed_on:%d-%m-%Y}. Mohon ditinjau.",
                at=at,
                secretariat_too=True,
            )


@transaction.atomic
def relapse_review(*, flag: RelapseFlag, actor: Any, note: str, at: datetime | None = None) -> RelapseFlag:
    """The mediator looked at it: what it means for the agreement (the flag on the risk runs its course)."""
    if not note.strip():
        raise MediationRuleError(gettext("Write what the review found"))
    at = at or timezone.now()
    flag.reviewed_at = at
    flag.reviewed_by = actor if _is_user(actor) else None
    flag.review_note = note.strip()
    flag.save()
    _event(flag.mediation, actor=actor, verb="relapse_reviewed", note=f"#{flag.incident_id}: {note.strip()}", at=at)
    return flag


@transaction.atomic
def mediation_document_add(
    *, mediation: Mediation, title: str, data: bytes | None, actor: Any, at: datetime | None = None
) -> Document:
    """A document kept with the mediation (the signed kesepakatan damai, the attendance list, minutes), on its
    timeline."""
    at = at or timezone.now()
    try:
        document = document_store(owner=mediation, title=title, data=data, actor=actor, at=at)
    except DocumentError as exc:
        raise MediationRuleError(str(exc)) from None
    _event(mediation, actor=actor, verb="document_added", note=document.title, at=at)
    return document


@transaction.atomic
def mediation_document_remove(
    *, mediation: Mediation, document: Document, actor: Any, reason: str, at: datetime | None = None
) -> None:
    at = at or timezone.now()
    try:
        document_discard(document=document, actor=actor, reason=reason, at=at)
    except DocumentError as exc:
        raise MediationRuleError(str(exc)) from None
    _event(mediation, actor=actor, verb="document_removed", note=f"{document.title}: {reason.strip()}", at=at)


def commitments_due(now: datetime | None = None) -> int:
    """Commitments past their due date that no follow-up has checked: remind the mediator (once per commitment)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    queued = 0
    due = Commitment.objects.filter(
        compliance=Compliance.PENDING,
        due_on__lt=today,
        agreement__mediation__status=MediationStatus.AGREED,
        agreement__replaced_at=None,
    ).select_related("agreement__mediation__forum__organisation", "agreement__mediation__mediator")
    for commitment in due:
        mediation = commitment.agreement.mediation
        queued += _tell_followers(
            mediation,
            key=f"commitment{commitment.pk}:due:{commitment.due_on.isoformat()}",
            subject="Kunjungan tindak lanjut jatuh tempo",
            body=f'Komitmen "{commitment.description}" ({commitment.owner}) jatuh tempo '
            f"{commitment.due_on:%d-%m-%Y} dan belum diperiksa.",
            at=now,
        )
    return queued


# A session's followers are reminded once it is this close, unless they were told of its date this recently.
SESSION_REMINDER_AHEAD = timedelta(hours=24)
SESSION_RECENTLY_TOLD = timedelta(hours=12)


def sessions_soon(now: datetime | None = None) -> int:
    """Remind the followers (the mediator and the forum's organisation) of a session in the next 24 hours, once:
    where and when. Told of the date less than 12 hours ago, they are reminded later."""
    now = now or timezone.now()
    queued = 0
    soon = Session.objects.filter(
        held=False,
        cancelled_at__isnull=True,
        scheduled_at__gt=now,
        scheduled_at__lte=now + SESSION_REMINDER_AHEAD,
        mediation__status__in=[MediationStatus.PREPARING, MediationStatus.IN_SESSION, MediationStatus.AGREED],
    ).select_related("mediation__forum__organisation", "mediation__mediator")
    for session in soon:
        mediation = session.mediation
        dated = f"med{mediation.pk}:session{session.pk}:c"
        if Notification.objects.filter(
            idempotency_key__startswith=dated, created_at__gt=now - SESSION_RECENTLY_TOLD
        ).exists():
            continue
        queued += _tell_followers(
            mediation,
            key=f"med{mediation.pk}:session{session.pk}:soon",
            subject="Pengingat pertemuan mediasi",
            body=f"{timezone.localtime(session.scheduled_at):%d-%m-%Y %H:%M}, {session.venue}",
            at=now,
        )
    return queued


_DUE_KEY = re.compile(r"^commitment(\d+):due:")


# The date's message and its reminder, not the message that calls the session off.
_SESSION_KEY = re.compile(r"^med\d+:session(\d+)(?::soon)?:c\d+$")


def message_overtaken(notification: Notification) -> str:
    """A "follow-up visit due" reminder for a commitment that a follow-up has checked meanwhile, or the date of a
    session called off or already past, is not sent (notify.services.overtaken_by)."""
    found_session = _SESSION_KEY.match(notification.idempotency_key)
    if found_session:
        pk = int(found_session.group(1))
        session = Session.objects.filter(pk=pk).only("cancelled_at", "held", "scheduled_at").first()
        if session is None or session.cancelled_at is not None:
            return f"pertemuan #{pk} dibatalkan"
        if session.held or session.scheduled_at <= timezone.now():
            return f"pertemuan #{pk} sudah lewat"  # a worker that was down must not announce yesterday's session
        return ""
    found = _DUE_KEY.match(notification.idempotency_key)
    if not found:
        return ""
    pk = int(found.group(1))
    checked = Commitment.objects.filter(pk=pk).exclude(compliance=Compliance.PENDING).exists()
    return f"komitmen #{pk} sudah diperiksa" if checked else ""
