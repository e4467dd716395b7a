"""What each role does next: the data behind the landing page of every persona."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, F, Max, Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from sigap.accounts.models import User
from sigap.alerts.choices import AlertState
from sigap.alerts.models import Alert
from sigap.cases.choices import CaseStatus
from sigap.cases.models import Case
from sigap.core.models import AuditLog
from sigap.core.roles import Role, role_of
from sigap.intake.models import Report, ResolutionAnswer
from sigap.mediation.choices import Compliance, MediationStatus
from sigap.mediation.models import Commitment, Mediation, Session
from sigap.notify.duty import desk_for
from sigap.public.models import Clarification
from sigap.public.selectors import clarifications_recent
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.regions.selectors import desa_without_shape
from sigap.triage.choices import Category, IncidentStatus, Urgency
from sigap.triage.models import Incident, IncidentQuerySet
from sigap.triage.services import FIELD_VERBS, SET_ASIDE_AT_ONCE

# A mediation that still carries its incidents: being prepared, in session, or agreed and followed up.
ACTIVE_MEDIATIONS = [MediationStatus.PREPARING, MediationStatus.IN_SESSION, MediationStatus.AGREED]

# Categories where a settlement through a forum (musyawarah, mediation) is the usual next step.
MEDIATION_CATEGORIES = [
    Category.IDENTITAS,
    Category.SUMBER_DAYA,
    Category.BATAS_WILAYAH,
    Category.BENTROK_PENDUKUNG,
    Category.SENGKETA_HASIL,
]


@dataclass
class Home:
    role: Role
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def _queue(incidents: IncidentQuerySet, limit: int = 10) -> list[Incident]:
    # With the field checks asked and answered: the analyst sees which waiting incidents have news from the ground.
    ordered = (
        incidents.select_related("region", "region__parent", "claimed_by")
        .annotate(
            checks_asked=Count("field_checks"),
            checks_answered=Count("field_checks", filter=Q(field_checks__answered_at__isnull=False)),
        )
        .order_by("-urgency", "verification_due_at", "pk")
    )
    return list(ordered[:limit])


def _with_open_cases(incidents: list[Incident], user: User) -> list[Incident]:
    """Each incident with `open_cases`, and without one the alert in response (`responding_alerts`) or the
    mediation under way (`active_mediations`) that carries it, so that a responder or mediator sees which verified
    incidents are handled (and by whom) and which nobody handles yet; an incident of an alert the team is responding
    to is not "no handling", and one of an alert that a case answers is handled by that case. What the reader may
    not open (a case another organisation leads, an alert or a mediation outside their areas) is named without a
    link (`readable`)."""
    open_cases = Case.objects.open().select_related("lead_organisation").order_by("pk")
    responding = Alert.objects.filter(state=AlertState.RESPONDING).order_by("pk")
    active = Mediation.objects.filter(status__in=ACTIVE_MEDIATIONS).order_by("pk")
    prefetch_related_objects(
        incidents,
        Prefetch("cases", queryset=open_cases, to_attr="open_cases"),
        Prefetch(
            "alerts",
            queryset=responding.prefetch_related(Prefetch("cases", queryset=open_cases, to_attr="open_cases")),
            to_attr="responding_alerts",
        ),
        Prefetch("mediations", queryset=active, to_attr="active_mediations"),
    )
    prefetched: list[Any] = incidents  # the prefetches' to_attr lists
    for incident in prefetched:
        if not incident.open_cases:  # an alert answered by a case (case_link_alert): that case handles it
            by_alert = {case.pk: case for alert in incident.responding_alerts for case in alert.open_cases}
            incident.open_cases = list(by_alert.values())
    readable = {
        Case: Case.objects.visible_to(user),
        Alert: Alert.objects.visible_to(user),
        Mediation: Mediation.objects.visible_to(user),
    }
    for attr, model in (("open_cases", Case), ("responding_alerts", Alert), ("active_mediations", Mediation)):
        shown = {item.pk for incident in incidents for item in getattr(incident, attr)}
        mine = set(readable[model].filter(pk__in=shown).values_list("pk", flat=True))
        for incident in incidents:
            for item in getattr(incident, attr):
                item.readable = item.pk in mine
    return incidents


def _analyst(user: User) -> dict[str, Any]:
    incidents = Incident.objects.visible_to(user)
    waiting = incidents.filter(status=IncidentStatus.NEW)
    return {
        "waiting_count": waiting.count(),
        "waiting": _queue(waiting, limit=50),
        "set_aside_at_once": SET_ASIDE_AT_ONCE,
        "untriaged_reports": Report.objects.visible_to(user).filter(incident=None).count(),
        "awaiting_answer": Report.objects.visible_to(user).awaiting_answer().count(),
        "verified_open": incidents.filter(status=IncidentStatus.VERIFIED).count(),
        "settled_in_field": list(_settled_in_field(incidents)[:20]),
        "without_follow_up": _without_follow_up(incidents),
        "hoaxes_untold": list(_hoaxes_untold(incidents)[:20]),
        "resolution_disputed": list(_resolution_disputed(incidents)[:20]),
        "desk": desk_for(user),
    }


def _resolution_disputed(incidents: IncidentQuerySet) -> Any:
    """Reporters who said the problem is not settled, about the resolution in force, that no analyst answered yet:
    the analyst reopens the incident or tells the reporter why it stays resolved."""
    return (
        ResolutionAnswer.objects.disputed()
        .filter(report__incident__in=incidents)
        .select_related("report__incident__region")
        .order_by("answered_at", "pk")
    )


def _hoaxes_untold(incidents: IncidentQuerySet, days: int = 14) -> IncidentQuerySet:
    """Rumours decided untrue in the last `days` that the public has not been told about (only their reporters
    have): the analyst publishes a clarification, or lets it be for a rumour that went nowhere."""
    told = Clarification.objects.in_force().values("incident_id")
    since = timezone.now() - timedelta(days=days)
    return (
        incidents.filter(status=IncidentStatus.HOAX, closed_at__gte=since)
        .exclude(pk__in=told)
        .select_related("region")
        .order_by("-closed_at", "-pk")
    )


@dataclass
class Unfollowed:
    count: int
    first: list[Incident]
    quiet_days: int


def _without_follow_up(incidents: IncidentQuerySet, now: datetime | None = None, shown: int = 20) -> Unfollowed:
    """Verified incidents that nothing carries forward: no open case of their own, no alert of theirs in response
    or handled by a case, no mediation under way, nothing on the timeline for SIGAP_FOLLOW_UP_QUIET_DAYS, and no
    look-again day still to come (or that day has come). Small problems get no case, and without this list they
    stayed "verified and open" until someone happened to look (sampai tuntas). The analyst opens a case or
    mediation, resolves the incident, or chooses a day to look again."""
    now = now or timezone.now()
    quiet_days = settings.SIGAP_FOLLOW_UP_QUIET_DAYS
    open_cases = [s for s in CaseStatus if s != CaseStatus.RESOLVED]
    found = (
        incidents.filter(status=IncidentStatus.VERIFIED)
        .exclude(cases__status__in=open_cases)
        # An alert it raised or joined that is being responded to, or that a case handles, carries it too.
        .exclude(alerts__state=AlertState.RESPONDING)
        .exclude(alerts__cases__status__in=open_cases)
        .exclude(mediations__status__in=ACTIVE_MEDIATIONS)
        .annotate(last_at=Max("events__at"))
        .filter(
            Q(follow_up_on__lte=timezone.localdate(now))
            | Q(follow_up_on__isnull=True, last_at__lt=now - timedelta(days=quiet_days))
        )
        .select_related("region", "region__parent")
        # The days an analyst chose come first: they were meant for today.
        .order_by(F("follow_up_on").asc(nulls_last=True), "-urgency", "last_at", "pk")
    )
    return Unfollowed(found.count(), list(found[:shown]), quiet_days)


def _settled_in_field(incidents: IncidentQuerySet) -> IncidentQuerySet:
    """Open incidents whose latest word from the field is "settled on the ground" and that no open case handles: the
    analyst resolves them, or answers with a field note of their own ("not yet: ..."), which takes them off."""
    handled = Q(cases__status__in=[s for s in CaseStatus if s != CaseStatus.RESOLVED])
    return (
        incidents.filter(status=IncidentStatus.VERIFIED)
        .exclude(handled)
        .annotate(
            settled_at=Max("events__at", filter=Q(events__verb="field_settled")),
            last_field_at=Max("events__at", filter=Q(events__verb__in=FIELD_VERBS)),
        )
        .filter(settled_at__isnull=False, settled_at=F("last_field_at"))
        .select_related("region")
        .order_by("settled_at", "pk")
    )


def _responder(user: User) -> dict[str, Any]:
    open_incidents = Incident.objects.visible_to(user).filter(status=IncidentStatus.VERIFIED)
    return {
        "areas": list(Region.objects.filter(code__in=user.area_codes())),
        "open_count": open_incidents.count(),
        "open": _with_open_cases(_queue(open_incidents), user),
    }


def _mediator(user: User) -> dict[str, Any]:
    disputes = Incident.objects.visible_to(user).filter(
        status=IncidentStatus.VERIFIED, category__in=MEDIATION_CATEGORIES
    )
    return {
        "areas": list(Region.objects.filter(code__in=user.area_codes())),
        "dispute_count": disputes.count(),
        "disputes": _with_open_cases(_queue(disputes), user),
        "dispute_query": urlencode([("category", c.value) for c in MEDIATION_CATEGORIES]),
    }


def _leadership(user: User) -> dict[str, Any]:
    open_q = Q(incidents__status__in=[IncidentStatus.NEW, IncidentStatus.VERIFIED])
    kecamatan = (
        Region.objects.filter(level=Level.KECAMATAN, code__startswith=f"{_deployment_code()}.")
        .annotate(
            open_count=Count(
                "children__incidents",
                filter=Q(children__incidents__status__in=[IncidentStatus.NEW, IncidentStatus.VERIFIED]),
            ),
            grave_count=Count(
                "children__incidents",
                filter=Q(
                    children__incidents__status__in=[IncidentStatus.NEW, IncidentStatus.VERIFIED],
                    children__incidents__urgency__gte=Urgency.HIGH,
                ),
            ),
            resolved_count=Count("children__incidents", filter=Q(children__incidents__status=IncidentStatus.RESOLVED)),
        )
        .order_by("code")
    )
    hot = (
        Region.objects.filter(level=Level.DESA_KELURAHAN, code__startswith=f"{_deployment_code()}.")
        .annotate(open_count=Count("incidents", filter=open_q))
        .filter(open_count__gt=0)
        .select_related("parent")
        .order_by("-open_count", "code")[:8]
    )
    by_category = Incident.objects.visible_to(user).open().values("category").annotate(n=Count("id")).order_by("-n")
    labels = dict(Category.choices)
    return {
        "desk": desk_for(user),  # whom the posko has on duty, to call
        "kecamatan": list(kecamatan),
        "hot": list(hot),
        "by_category": [
            {"value": row["category"], "label": labels.get(row["category"], row["category"]), "n": row["n"]}
            for row in by_category
        ],
    }


def _trusted_reporter(user: User) -> dict[str, Any]:
    """Their reports, and the warning for their own area (its level and reasons, as public as /api/v1/risk): a
    tokoh or a Bhabinkamtibmas reports and also receives warnings (UU 7/2012's first prevention effort)."""
    from sigap.intake.commands import by_text_for
    from sigap.intake.field_checks import checks_open_for
    from sigap.intake.forms import FieldAnswerForm
    from sigap.intake.resolution import reports_asked
    from sigap.notify.choices import ChannelKind
    from sigap.risk.selectors import latest_of
    from sigap.risk.words import driver_text

    reports = Report.objects.visible_to(user).select_related("incident", "region")
    latest = list(reports[:20])
    risk = latest_of([user.area]).get(user.area.pk) if user.area else None
    return {
        "area": user.area,
        "reports": latest,
        # Resolved reports whose receipt page asks the reporter whether the problem is really settled.
        "resolution_asked": reports_asked(latest),
        "report_count": reports.count(),
        "area_risk": risk,
        "area_reasons": [driver_text(d) for d in risk.drivers] if risk else [],
        "warned_in_app": user.channels.filter(active=True, kind=ChannelKind.IN_APP).exists(),
        "last_nil_report": user.nil_reports.first(),
        "last_check": user.monitor_checks.first(),
        "by_text": by_text_for(user),
        "clarifications": clarifications_recent(area_code=user.area.code) if user.area else [],
        # The team's questions to check on the ground, each with its own answer form.
        "field_checks": [
            (check, FieldAnswerForm(prefix=f"check{check.pk}", auto_id=f"check{check.pk}-%s"))
            for check in checks_open_for(user=user)
        ],
    }


def _admin(user: User) -> dict[str, Any]:
    users_by_role = dict(User.objects.values_list("role").annotate(n=Count("id")).order_by("role"))
    # The accounts that may reveal a reporter's identity, and how many of them a stolen password alone would open.
    revealers = User.objects.filter(is_active=True, role__in=[Role.ADMIN, Role.ANALYST])
    two_step = revealers.filter(totpdevice__confirmed=True).distinct()
    return {
        "desk": desk_for(user),
        "revealers": revealers.count(),
        "revealers_two_step": two_step.count(),
        "two_step_required": settings.SIGAP_TWO_FACTOR_ROLES,
        "regions_by_level": dict(Region.objects.values_list("level").annotate(n=Count("id")).order_by("level")),
        # Drawn through their kecamatan on every map until the deployment loads its own (regions/boundaries.py).
        "desa_without_shape": desa_without_shape(_deployment_code()),
        "users_by_role": [(Role(r).label, n) for r, n in users_by_role.items()],
        "report_count": Report.objects.count(),
        "incident_count": Incident.objects.count(),
        "without_reporter": sum(1 for r in _network() if not r.trusted_reporters),
        # Someone guessing passwords shows here before anywhere else (accounts/forms.py locks and audits).
        "sign_in_locks": list(
            AuditLog.objects.filter(action="account.sign_in_locked", at__gte=timezone.now() - timedelta(days=7))
            .order_by("-at")
            .values("at", "object_id", "details")[:20]
        ),
    }


def _network() -> list[Any]:
    from django.utils import timezone

    from sigap.risk.network import reporter_network

    return reporter_network(_deployment_code(), timezone.now())


def _deployment_code() -> str:
    from django.conf import settings

    return str(settings.SIGAP_DEPLOYMENT_REGION)


_BUILDERS = {
    Role.ADMIN: _admin,
    Role.ANALYST: _analyst,
    Role.RESPONDER: _responder,
    Role.MEDIATOR: _mediator,
    Role.LEADERSHIP: _leadership,
    Role.TRUSTED_REPORTER: _trusted_reporter,
}


def _early_warning(user: User) -> dict[str, Any]:
    """Levels of the latest assessment and the open alerts the user can see (every staff home shows them)."""
    from sigap.alerts.models import Alert
    from sigap.risk.choices import RiskLevel
    from sigap.risk.selectors import risks_under

    rows = risks_under(_deployment_code())
    elevated = [r for r in rows if r.level >= RiskLevel.SIAGA]
    alerts = Alert.objects.visible_to(user).open().prefetch_related("regions").order_by("-level", "-triggered_at")
    return {
        "risk_day": rows[0].day if rows else None,
        "risk_counts": [(level, sum(1 for r in rows if r.level == level)) for level in RiskLevel],
        "risk_elevated": elevated[:6],
        "open_alerts": list(alerts[:6]),
        "open_alert_count": alerts.count(),
    }


def _handling(user: User) -> dict[str, Any]:
    """The response side of every staff home: cases and tasks to act on, proposals to confirm, a status to consider."""
    from django.utils import timezone

    from sigap.cases.choices import CaseStatus
    from sigap.cases.models import Case, Task
    from sigap.cases.selectors import status_in_force, status_overdue, status_prompts
    from sigap.mediation.models import Taskforce

    role = role_of(user)
    cases = Case.objects.visible_to(user).open().select_related("lead_organisation").order_by("act_due_at")
    if role in (Role.RESPONDER, Role.MEDIATOR):
        tasks = Task.objects.visible_to(user).open().filter(owner_organisation=user.organisation_id)
    else:
        tasks = Task.objects.none()
    citywide = role in (Role.ADMIN, Role.ANALYST, Role.LEADERSHIP)
    in_force = status_in_force() if citywide else None
    now = timezone.now()
    return {
        "my_cases": list(cases[:10]),
        "my_case_count": cases.count(),
        "my_tasks": list(tasks.select_related("case").order_by("due_at")[:10]),
        "to_confirm": list(cases.filter(status=CaseStatus.RESOLUTION_PROPOSED)[:10]) if citywide else [],
        "status_prompts": status_prompts() if citywide else [],
        "status_in_force": in_force,
        "status_overdue": status_overdue(in_force, timezone.localdate(now), now) if in_force else [],
        "taskforces_overdue": list(
            Taskforce.objects.filter(dissolved_on=None, report_sent_on=None, report_due_on__lt=timezone.localdate(now))
        )
        if citywide
        else [],
        "handling_now": now,
    }


# How far the home pages look ahead for mediation sessions, and back for sessions held but not yet recorded.
SESSIONS_AHEAD_DAYS = 7
SESSIONS_UNRECORDED_DAYS = 7


def _settlement(user: User, now: datetime | None = None) -> dict[str, Any]:
    """Peaceful settlement in the coming days, in the mediations the user may see: the sessions ahead (where and
    when: a mediator goes, a Polsek secures the venue), those past but not recorded yet, and, for those who run
    mediations, the commitments whose follow-up visit is due."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start_of_today = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    mediations = Mediation.objects.visible_to(user)
    sessions = list(
        Session.objects.filter(
            mediation__in=mediations.active(),
            held=False,
            cancelled_at__isnull=True,
            scheduled_at__gte=start_of_today - timedelta(days=SESSIONS_UNRECORDED_DAYS),
            scheduled_at__lt=start_of_today + timedelta(days=SESSIONS_AHEAD_DAYS + 1),
        )
        .select_related("mediation")
        .order_by("scheduled_at")[:10]
    )
    for session in sessions:
        day = timezone.localdate(session.scheduled_at)
        session.is_today = day == today  # type: ignore[attr-defined]
        session.unrecorded = day < today  # type: ignore[attr-defined]
    runs = role_of(user) in (Role.ADMIN, Role.ANALYST, Role.MEDIATOR)
    due = (
        Commitment.objects.filter(
            agreement__mediation__in=mediations.filter(status=MediationStatus.AGREED),
            agreement__replaced_at=None,
            compliance=Compliance.PENDING,
            due_on__lte=today,
        )
        .select_related("agreement")
        .order_by("due_on", "id")[:10]
        if runs
        else Commitment.objects.none()
    )
    return {"sessions": sessions, "commitments_due": list(due), "settlement_today": today}


def home_for(user: User) -> Home:
    role = role_of(user)
    if role is None:
        raise PermissionError("home_for needs a signed-in user")
    context = _BUILDERS[role](user)
    if role != Role.TRUSTED_REPORTER:
        context |= _early_warning(user) | _handling(user)
    if role in (Role.ANALYST, Role.RESPONDER, Role.MEDIATOR, Role.LEADERSHIP):
        context |= _settlement(user)
    return Home(role=role, template=f"home/role_{role.value}.html", context=context)
