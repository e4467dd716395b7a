"""The secretariat's duty roster (jadwal piket posko): who among the analysts is on duty when, the hand-over from
one shift to the next, and who therefore hears the secretariat's notices at 2 a.m.

Through an election the posko runs day and night; before the roster, every analyst's phone woke for every urgent
report and nobody in particular answered it. Paging systems solve this with an on-call schedule (Grafana OnCall's
schedules); here a shift is a person and an interval, nothing more, and a roster with nobody on duty at a moment
falls back to every analyst, so that an empty roster changes nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from sigap.core.roles import Role
from sigap.core.services import audit_record
from sigap.notify.models import DutyShift, Notification

# Roles that keep the secretariat's desk: they see the whole queue and act on it.
DESK_ROLES = (Role.ANALYST, Role.ADMIN)
LONGEST_SHIFT = timedelta(hours=24)
STARTS_SOON = timedelta(hours=1)
ENDS_SOON = timedelta(minutes=30)
DIGEST_AHEAD = timedelta(hours=24)
_DUTY_KEY = re.compile(r"^duty(\d+):(start|added|handed|ending):(\d+)")


class DutyError(ValueError):
    pass


def _when(at: datetime) -> str:
    local = timezone.localtime(at)
    return f"{local:%d-%m-%Y %H.%M}"


def shift_span(shift: DutyShift) -> str:
    start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    return f"{start:%d-%m-%Y %H.%M} s.d. " + (f"{end:%H.%M}" if end.date() == start.date() else f"{end:%d-%m-%Y %H.%M}")


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def on_duty(at: datetime) -> list[Any]:
    """The desk's people on duty at `at` (active accounts of the desk's roles), earliest shift first."""
    shifts = (
        DutyShift.objects.covering(at)
        .filter(user__is_active=True, user__role__in=DESK_ROLES)
        .select_related("user")
        .order_by("starts_at", "pk")
    )
    people: dict[int, Any] = {}
    for shift in shifts:
        people.setdefault(shift.user_id, shift.user)
    return list(people.values())


def _check(user: Any, starts_at: datetime, ends_at: datetime, now: datetime, *, leave_out: int | None = None) -> None:
    if not user.is_active or user.role not in DESK_ROLES:
        raise DutyError(translation.gettext("Only an active analyst or administrator keeps the secretariat's desk"))
    if ends_at <= starts_at:
        raise DutyError(translation.gettext("A shift ends after it starts"))
    if ends_at - starts_at > LONGEST_SHIFT:
        raise DutyError(translation.gettext("A shift lasts at most 24 hours"))
    if ends_at <= now:
        raise DutyError(translation.gettext("That shift is already over"))
    overlapping = DutyShift.objects.standing().filter(user=user, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if leave_out is not None:
        overlapping = overlapping.exclude(pk=leave_out)
    if clash := overlapping.first():
        raise DutyError(
            translation.gettext("%(name)s is already on duty %(span)s")
            % {"name": _name(user), "span": shift_span(clash)}
        )


def _tell(shift: DutyShift, user: Any, *, what: str, subject: str, body: str, at: datetime) -> None:
    from sigap.notify.services import public_link, queue_to

    queue_to(
        users=[user],
        purpose="duty",
        subject=subject,
        body=f"{body}\n{public_link('notify:duty_shift', shift.pk)}",
        # The time too: a shift handed on and back again is news each time.
        key=f"duty{shift.pk}:{what}:{user.pk}:{at.timestamp() * 1e6:.0f}",
        at=at,
    )


def spans_of(day: date, starts: time, ends: time, days: int) -> list[tuple[datetime, datetime]]:
    """The same hours on `days` days in a row from `day`, in local time; an end at or before the start is the next
    day's (a night shift)."""
    spans = []
    for offset in range(days):
        on = day + timedelta(days=offset)
        start = timezone.make_aware(datetime.combine(on, starts))
        end = timezone.make_aware(datetime.combine(on + timedelta(days=1) if ends <= starts else on, ends))
        spans.append((start, end))
    return spans


@transaction.atomic
def shifts_add(
    *, user: Any, spans: list[tuple[datetime, datetime]], actor: Any, now: datetime | None = None
) -> list[DutyShift]:
    """Put someone on the roster for these spans, all or none; they are told once (unless they put themselves
    there) and reminded an hour before each shift."""
    now = now or timezone.now()
    shifts = []
    for starts_at, ends_at in spans:
        _check(user, starts_at, ends_at, now)
        shift = DutyShift.objects.create(user=user, starts_at=starts_at, ends_at=ends_at, created_by=actor)
        audit_record(
            actor=actor,
            action="duty.shift_added",
            target=shift,
            details={"user": user.pk, "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()},
        )
        shifts.append(shift)
    if shifts and (actor is None or actor.pk != user.pk):
        listed = "\n".join(f"- {shift_span(shift)}" for shift in shifts)
        _tell(
            shifts[0],
            user,
            what="added",
            subject=f"[Piket] Anda dijadwalkan piket {shift_span(shifts[0])}"
            + (f" dan {len(shifts) - 1} piket berikutnya" if len(shifts) > 1 else ""),
            body=f"Anda dijadwalkan piket sekretariat Tim Terpadu:\n{listed}\n(You are on the duty roster.)",
            at=now,
        )
    return shifts


def shift_add(
    *, user: Any, starts_at: datetime, ends_at: datetime, actor: Any, now: datetime | None = None
) -> DutyShift:
    """shifts_add for one shift."""
    return shifts_add(user=user, spans=[(starts_at, ends_at)], actor=actor, now=now)[0]


def _changeable(shift: DutyShift, reason: str, now: datetime, *, missing: str, ended: str) -> str:
    """The reason for changing a shift, stripped; refused without one, or once the shift has ended or was called off."""
    reason = reason.strip()
    if not reason:
        raise DutyError(missing)
    if shift.cancelled_at is not None or shift.ends_at <= now:
        raise DutyError(ended)
    return reason


@transaction.atomic
def shift_cancel(*, shift: DutyShift, actor: Any, reason: str, now: datetime | None = None) -> DutyShift:
    """Call a shift off with a reason, before it ends; it stays on the roster's history."""
    now = now or timezone.now()
    reason = _changeable(
        shift,
        reason,
        now,
        missing=translation.gettext("Say why the shift is called off"),
        ended=translation.gettext("Only a shift that has not ended can be called off"),
    )
    shift.cancelled_at, shift.cancel_reason = now, reason[:300]
    shift.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
    audit_record(actor=actor, action="duty.shift_cancelled", target=shift, details={"reason": shift.cancel_reason})
    return shift


@transaction.atomic
def shift_hand_to(*, shift: DutyShift, to_user: Any, actor: Any, reason: str, now: datetime | None = None) -> DutyShift:
    """Hand a shift to a colleague (tukar piket): the shift keeps its hours, the colleague takes it, both are told.
    The one who had it stops hearing the desk's notices from then."""
    now = now or timezone.now()
    reason = _changeable(
        shift,
        reason,
        now,
        missing=translation.gettext("Say why the shift changes hands"),
        ended=translation.gettext("Only a shift that has not ended can change hands"),
    )
    if to_user.pk == shift.user_id:
        raise DutyError(translation.gettext("The shift is already theirs"))
    _check(to_user, max(shift.starts_at, now), shift.ends_at, now, leave_out=shift.pk)
    before = shift.user
    shift.user = to_user
    shift.save(update_fields=["user", "updated_at"])
    audit_record(
        actor=actor,
        action="duty.shift_handed",
        target=shift,
        details={"from": before.pk, "to": to_user.pk, "reason": reason[:300]},
    )
    text = f"Piket {shift_span(shift)} beralih dari {_name(before)} ke {_name(to_user)}: {reason[:300]}"
    for person in (before, to_user):
        if actor is None or actor.pk != person.pk:
            _tell(shift, person, what="handed", subject=f"[Piket] {text}"[:200], body=text, at=now)
    return shift


@transaction.atomic
def handover_record(*, shift: DutyShift, actor: Any, note: str, now: datetime | None = None) -> DutyShift:
    """The hand-over note (laporan serah terima piket), by the one on duty, once the shift has started; written
    again, it replaces the earlier words and the audit log keeps each."""
    now = now or timezone.now()
    note = note.strip()
    if not note:
        raise DutyError(translation.gettext("Write what the next shift needs to know"))
    if actor is None or actor.pk != shift.user_id:
        raise DutyError(translation.gettext("Only the one on duty writes the shift's hand-over"))
    if shift.cancelled_at is not None or shift.starts_at > now:
        raise DutyError(translation.gettext("The hand-over is written once the shift has started"))
    shift.handover_note, shift.handover_at = note, now
    shift.save(update_fields=["handover_note", "handover_at", "updated_at"])
    audit_record(actor=actor, action="duty.handover", target=shift, details={"length": len(note)})
    return shift


def shift_before(shift: DutyShift) -> DutyShift | None:
    """The latest shift that ended at or before this one started, with a hand-over: what this shift takes over."""
    return (
        DutyShift.objects.standing()
        .filter(ends_at__lte=shift.starts_at + timedelta(minutes=30))
        .exclude(pk=shift.pk)
        .exclude(handover_at=None)
        .select_related("user")
        .order_by("-ends_at", "-pk")
        .first()
    )


def gaps(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The stretches between `start` and `end` when nobody is on duty, once the roster covers any of it: a desk
    that takes shifts through the election week shows the night nobody took."""
    shifts = list(
        DutyShift.objects.standing()
        .filter(starts_at__lt=end, ends_at__gt=start, user__is_active=True, user__role__in=DESK_ROLES)
        .order_by("starts_at")
        .values_list("starts_at", "ends_at")
    )
    if not shifts:
        return []
    found, cursor = [], start
    for shift_start, shift_end in shifts:
        if shift_start > cursor:
            found.append((cursor, shift_start))
        cursor = max(cursor, shift_end)
    return found


@dataclass(frozen=True)
class ShiftSummary:
    """What happened during a shift, and what the desk leaves open at its end (or now, for a running shift)."""

    reports: int
    incidents_opened: int
    verified: int
    set_aside: int
    alerts_raised: int
    alerts_acknowledged: int
    waiting: int
    late: int
    reporters_waiting: int
    alerts_unacknowledged: int


def shift_summary(shift: DutyShift, now: datetime | None = None) -> ShiftSummary:
    """Counts over the whole city (the desk sees it all); a running shift is summed up to now."""
    from sigap.alerts.choices import AlertState
    from sigap.alerts.models import Alert, AlertEvent
    from sigap.intake.models import Report
    from sigap.triage.choices import IncidentStatus
    from sigap.triage.models import Incident

    now = now or timezone.now()
    start, end = shift.starts_at, min(shift.ends_at, now)
    closed_not_resolved = [IncidentStatus.NOT_CONFLICT, IncidentStatus.HOAX, IncidentStatus.DUPLICATE]
    waiting = Incident.objects.filter(status=IncidentStatus.NEW)
    return ShiftSummary(
        reports=Report.objects.filter(received_at__gte=start, received_at__lt=end).count(),
        incidents_opened=Incident.objects.filter(first_received_at__gte=start, first_received_at__lt=end).count(),
        verified=Incident.objects.filter(verified_at__gte=start, verified_at__lt=end).count(),
        set_aside=Incident.objects.filter(
            status__in=closed_not_resolved, closed_at__gte=start, closed_at__lt=end
        ).count(),
        alerts_raised=Alert.objects.filter(triggered_at__gte=start, triggered_at__lt=end).count(),
        alerts_acknowledged=AlertEvent.objects.filter(to_state=AlertState.ACKNOWLEDGED, at__gte=start, at__lt=end)
        .values("alert")
        .distinct()
        .count(),
        waiting=waiting.count(),
        late=waiting.filter(verification_due_at__lte=now).count(),
        reporters_waiting=Report.objects.awaiting_answer().count(),
        alerts_unacknowledged=Alert.objects.filter(state=AlertState.TRIGGERED).count(),
    )


def shifts_starting(now: datetime | None = None) -> int:
    """Tell each one on duty an hour before their shift starts (once per shift and person): a roster made on
    Monday for Wednesday night is easy to forget. Registered with the notification worker's minute."""
    from sigap.notify.services import Reminder, public_link, queue_reminders

    now = now or timezone.now()
    soon = (
        DutyShift.objects.standing()
        .filter(starts_at__gt=now, starts_at__lte=now + STARTS_SOON, user__is_active=True)
        .select_related("user")
    )
    reminders = [
        Reminder(
            (),
            (shift.user,),
            "duty",
            f"[Piket] Piket Anda mulai {_when(shift.starts_at)}",
            f"Piket sekretariat Tim Terpadu {shift_span(shift)}: pesan sekretariat (laporan mendesak, tenggat "
            f"verifikasi) datang kepada Anda selama piket.\n(Your duty shift starts within the hour.)\n"
            f"{public_link('notify:duty_shift', shift.pk)}",
            f"duty{shift.pk}:start:{shift.user_id}",
        )
        for shift in soon
    ]
    return queue_reminders(reminders, now) if reminders else 0


def shifts_ending(now: datetime | None = None) -> int:
    """Half an hour before a shift ends without a hand-over, the one on duty is asked for it (once per shift): the
    next shift reads it on its page, and a desk that changes hands in silence loses what the night learnt."""
    from sigap.notify.services import Reminder, public_link, queue_reminders

    now = now or timezone.now()
    ending = (
        DutyShift.objects.standing()
        .filter(ends_at__gt=now, ends_at__lte=now + ENDS_SOON, starts_at__lte=now, handover_at=None)
        .filter(user__is_active=True)
        .select_related("user")
    )
    reminders = [
        Reminder(
            (),
            (shift.user,),
            "duty",
            f"[Piket] Piket Anda berakhir {_when(shift.ends_at)}: tulis serah terima",
            "Tuliskan serah terima untuk piket berikutnya: apa yang terjadi, apa yang masih terbuka, apa yang perlu "
            "diawasi.\n(Your duty shift ends soon: write the hand-over.)\n"
            + public_link("notify:duty_shift", shift.pk),
            f"duty{shift.pk}:ending:{shift.user_id}",
        )
        for shift in ending
    ]
    return queue_reminders(reminders, now) if reminders else 0


def duty_digest(org: Any) -> list[str]:
    """The roster of the next 24 hours in the secretariat's morning summary, with the stretches nobody took, so that
    a night without anyone on duty is found in the morning and not at 2 a.m. Nothing when the roster is not used."""
    from sigap.directory.choices import OrganisationKind
    from sigap.notify.services import public_link

    if org.kind != OrganisationKind.KESBANGPOL:
        return []
    now = timezone.now()
    shifts = list(
        DutyShift.objects.standing()
        .filter(ends_at__gt=now, starts_at__lt=now + DIGEST_AHEAD)
        .select_related("user")
        .order_by("starts_at", "pk")
    )
    if not shifts:
        return []
    lines = ["Piket sekretariat 24 jam ke depan:"]
    lines += [f"- {_name(shift.user)}: {shift_span(shift)}" for shift in shifts]
    lines += [
        f"- belum ada yang piket: {_when(start)} s.d. {_when(end)}" for start, end in gaps(now, now + DIGEST_AHEAD)
    ]
    lines.append(public_link("notify:duty"))
    return lines


def duty_message_overtaken(notification: Notification) -> str:
    """A roster message about a shift called off, or one that is no longer the recipient's."""
    found = _DUTY_KEY.match(notification.idempotency_key)
    if not found:
        return ""
    shift = DutyShift.objects.filter(pk=int(found.group(1))).first()
    if shift is None or shift.cancelled_at is not None:
        return f"piket #{found.group(1)} dibatalkan"
    if found.group(2) in ("start", "added", "ending") and shift.user_id != int(found.group(3)):
        return f"piket #{shift.pk} sudah beralih"
    if found.group(2) == "ending" and shift.handover_at is not None:
        return f"serah terima piket #{shift.pk} sudah ditulis"
    return ""


def desk_people(at: datetime) -> list[Any]:
    """Who among the people hears the secretariat's notices at `at`: those on duty, or every active analyst and
    administrator when nobody is."""
    from sigap.accounts.models import User

    return on_duty(at) or list(User.objects.filter(role__in=DESK_ROLES, is_active=True))


@dataclass(frozen=True)
class Desk:
    """For an analyst's home: who is on duty, and the reader's own shift now or next."""

    on_duty: list[Any]
    mine: DutyShift | None
    next_mine: DutyShift | None
    used: bool  # the roster has any shift from now on, or one under way


def desk_for(user: Any, now: datetime | None = None) -> Desk:
    now = now or timezone.now()
    standing = DutyShift.objects.standing()
    mine = standing.covering(now).filter(user=user).order_by("-ends_at").first()
    next_mine = standing.filter(user=user, starts_at__gt=now).order_by("starts_at").first()
    return Desk(
        on_duty=on_duty(now),
        mine=mine,
        next_mine=next_mine,
        used=standing.filter(ends_at__gt=now).exists(),
    )
