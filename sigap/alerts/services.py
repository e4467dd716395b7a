"""Alert writes. Every step goes through here and leaves a timeline row and an audit row.

Triggers (sigap.analytics.alerting decides, this module stores): a kelurahan's level rises; elevated kelurahan
touch each other and spread; an incident meets the escalation criteria of PP 2/2015 Ps 43. New signals in the
area of an open alert attach to it within the window instead of raising another one. Alerts whose conditions no
longer hold are proposed for closing; only a person closes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from sigap.alerts.choices import ORDER, AlertKind, AlertState
from sigap.alerts.models import Alert, AlertEvent
from sigap.analytics.alerting import IncidentFacts, escalation_criteria, level_rises, spreading_clusters
from sigap.core.services import audit_record
from sigap.regions.models import Region
from sigap.regions.selectors import touching_pairs, village_word
from sigap.risk.choices import RiskLevel
from sigap.risk.models import AreaRisk
from sigap.risk.services import COUNTED, AreaResult, city_of, end_of, level_floor_in_force
from sigap.risk.words import driver_text
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident


class AlertStateError(ValueError):
    pass


# Later rooms (notifications) follow alerts without alerts importing them. Hooks run inside the transaction of the
# change, so what they write (the outbox) commits or rolls back with it.
AlertHook = Callable[[Alert, str, datetime], None]
_alert_hooks: list[AlertHook] = []


def on_alert_changed(hook: AlertHook) -> None:
    if hook not in _alert_hooks:
        _alert_hooks.append(hook)


def _is_user(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _event(alert: Alert, *, at: datetime, actor: Any, verb: str, note: str = "", to_state: str = "") -> None:
    AlertEvent.objects.create(
        alert=alert,
        at=at,
        actor=actor if _is_user(actor) else None,
        verb=verb,
        from_state=alert.state if to_state else "",
        to_state=to_state,
        note=note,
    )
    audit_record(actor=actor, action=f"alert.{verb}", target=alert, details={"to": to_state} if to_state else {})
    for hook in _alert_hooks:
        hook(alert, verb, at)


def _window() -> timedelta:
    return timedelta(hours=settings.SIGAP_ALERT_WINDOW_HOURS)


def open_alert_for(regions: Iterable[Region], at: datetime, kinds: Iterable[str] | None = None) -> Alert | None:
    """The open alert touching these kelurahan that was active within the window before `at`."""
    query = Alert.objects.open().filter(regions__in=list(regions), last_activity_at__gte=at - _window())
    if kinds is not None:
        query = query.filter(kind__in=list(kinds))
    return query.order_by("-last_activity_at").first()


@transaction.atomic
def alert_raise(
    *,
    kind: AlertKind,
    city: Region,
    regions: list[Region],
    level: int,
    title: str,
    reason: str,
    at: datetime,
    incidents: Iterable[Incident] = (),
    actor: Any = None,
    attach_to_open: bool = True,
) -> Alert:
    """Raise an alert, or attach the signal to the open alert of the same area (returned either way)."""
    if attach_to_open:
        kinds = [AlertKind.CLUSTER] if kind == AlertKind.CLUSTER else None
        existing = open_alert_for(regions, at, kinds)
        if existing is not None:
            return alert_attach(
                existing,
                regions=regions,
                incidents=incidents,
                reason=reason,
                level=level,
                at=at,
                kind=kind,
                title=title,
            )
    alert = Alert.objects.create(
        kind=kind,
        level=level,
        title=title[:200],
        reasons=[reason],
        city=city,
        triggered_at=at,
        last_activity_at=at,
    )
    alert.regions.set(regions)
    alert.incidents.set(list(incidents))
    _event(alert, at=at, actor=actor, verb="triggered", note=reason)
    return alert


@transaction.atomic
def alert_attach(
    alert: Alert,
    *,
    regions: Iterable[Region] = (),
    incidents: Iterable[Incident] = (),
    reason: str,
    level: int | None = None,
    at: datetime,
    kind: AlertKind | None = None,
    title: str = "",
) -> Alert:
    """A new signal in the alert's area: it joins the alert; the level only goes up; a close proposal lapses.
    An incident that meets the escalation criteria makes the whole alert a grave-incident alert."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    new_regions = [r for r in regions if not alert.regions.filter(pk=r.pk).exists()]
    new_incidents = [i for i in incidents if not alert.incidents.filter(pk=i.pk).exists()]
    raised = level is not None and level > alert.level
    graver = kind == AlertKind.GRAVE_INCIDENT and alert.kind != AlertKind.GRAVE_INCIDENT
    if not new_regions and not new_incidents and not raised and not graver and reason in alert.reasons:
        return alert  # the same signal again (a recompute): nothing new
    if graver:
        alert.kind = AlertKind.GRAVE_INCIDENT
        alert.title = title[:200] or alert.title
    alert.regions.add(*new_regions)
    alert.incidents.add(*new_incidents)
    if raised:
        alert.level = level  # type: ignore[assignment]
    if reason not in alert.reasons:
        alert.reasons = [*alert.reasons, reason]
    alert.last_activity_at = max(alert.last_activity_at, at)
    withdrawn = alert.close_proposed_at is not None
    alert.close_proposed_at = None
    alert.close_proposed_reason = ""
    alert.save()
    verb = "escalated" if graver else "level_raised" if raised else "signal_attached"
    _event(alert, at=at, actor=None, verb=verb, note=reason)
    if withdrawn:
        _event(alert, at=at, actor=None, verb="close_withdrawn", note=reason)
    return alert


@transaction.atomic
def alert_transition(*, alert: Alert, to: AlertState, actor: Any, note: str = "", at: datetime | None = None) -> Alert:
    """Move along triggered -> acknowledged -> assessed -> responding -> closed (forward only; closing needs a
    note and is possible from any open state)."""
    at = at or timezone.now()
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    current = AlertState(alert.state)
    if current == AlertState.CLOSED:
        raise AlertStateError("The alert is closed")
    if to == AlertState.CLOSED:
        if not note.strip():
            raise AlertStateError("Closing an alert needs a reason")
    elif ORDER.index(to) <= ORDER.index(current):
        raise AlertStateError(f"An alert goes forward: {current} cannot become {to}")
    _event(alert, at=at, actor=actor, verb="state_changed", note=note, to_state=to)
    alert.state = to
    alert.save(update_fields=["state", "updated_at"])
    return alert


@transaction.atomic
def alert_override(*, alert: Alert, level: int, actor: Any, reason: str) -> Alert:
    """An analyst sets the level by judgement; the reason stays on the timeline."""
    if not reason.strip():
        raise AlertStateError("An override needs a reason")
    alert = Alert.objects.select_for_update().get(pk=alert.pk)  # the level it had is the one the timeline names
    old = alert.level
    alert.level = level
    alert.save(update_fields=["level", "updated_at"])
    note = f"{RiskLevel(old).label} \u2192 {RiskLevel(level).label}: {reason}"
    _event(alert, at=timezone.now(), actor=actor, verb="level_overridden", note=note)
    return alert


@transaction.atomic
def alert_merge(*, source: Alert, target: Alert, actor: Any, reason: str) -> Alert:
    """Two alerts are one situation: the source's areas, incidents and reasons move to the target. Both are read
    again under lock (in id order) and only what the merge changes is written: a step a colleague took on the
    target meanwhile stays."""
    if source.pk == target.pk:
        raise AlertStateError("An alert cannot be merged into itself")
    locked = {a.pk: a for a in Alert.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).order_by("pk")}
    source, target = locked[source.pk], locked[target.pk]
    if target.state == AlertState.CLOSED or target.merged_into_id is not None:
        raise AlertStateError("Merge into an open alert")
    if source.merged_into_id is not None:
        raise AlertStateError("This alert has already been merged")
    target.regions.add(*source.regions.all())
    target.incidents.add(*source.incidents.all())
    target.reasons = [*target.reasons, *[r for r in source.reasons if r not in target.reasons]]
    target.level = max(target.level, source.level)
    target.save(update_fields=["reasons", "level", "updated_at"])
    at = timezone.now()
    source.merged_into = target
    source.save(update_fields=["merged_into", "updated_at"])
    alert_transition(alert=source, to=AlertState.CLOSED, actor=actor, note=f"digabung ke #{target.pk}: {reason}", at=at)
    _event(target, at=at, actor=actor, verb="merged", note=f"dari #{source.pk}: {reason}")
    return target


@transaction.atomic
def alert_propose_close(*, alert: Alert, reason: str, at: datetime) -> Alert:
    alert.close_proposed_at = at
    alert.close_proposed_reason = reason
    alert.save(update_fields=["close_proposed_at", "close_proposed_reason", "updated_at"])
    _event(alert, at=at, actor=None, verb="close_proposed", note=reason)
    return alert


# ---- Triggers ----------------------------------------------------------------------------------------------------


def _bahasa(text_fn: Any, *args: Any) -> str:
    with translation.override("id"):  # reasons are records of the team, kept in Bahasa Indonesia
        return str(text_fn(*args))


def _reason_for(result: AreaResult, previous_level: int) -> str:
    def words() -> str:
        lines = "; ".join(driver_text(d) for d in result.drivers[:4])
        change = f"{RiskLevel(previous_level).label} \u2192 {RiskLevel(result.level).label}"
        return f"{result.region.name}: {change} (skor {result.score:g}). {lines}"

    return _bahasa(words)


def _recent_incidents(region: Region, day: date) -> list[Incident]:
    start = end_of(day - timedelta(days=7))
    return list(
        Incident.objects.filter(region=region, status__in=COUNTED, occurred_at__gt=start, occurred_at__lte=end_of(day))
    )


def _neighbours(city: Region) -> dict[str, list[str]]:
    """Kelurahan that share a border (shapely on the shipped boundaries), cached per city. A desa without a shape
    (outside Kota Pasuruan Sigap ships none) neighbours every desa of its kecamatan: nearness is then all we know,
    and without it a kabupaten would never see a spreading cluster. The cache is keyed by the newest boundary source
    too, so that a worker sees the shapes an administrator uploaded (`sigap regions boundaries`) without a restart."""
    from django.db.models import Count, Max

    from sigap.regions.choices import Level

    shapes = (
        Region.objects.under(city.code)
        .filter(level=Level.DESA_KELURAHAN)
        .with_boundary()
        .aggregate(n=Count("pk"), newest=Max("boundary_source"))
    )
    key = (city.code, shapes["n"], shapes["newest"])
    cached = _NEIGHBOURS.get(key)
    if cached is not None:
        return cached
    from shapely.geometry import shape

    desa = list(Region.objects.under(city.code).filter(level=Level.DESA_KELURAHAN).only("code", "parent", "boundary"))
    shaped = [r for r in desa if r.boundary]
    out: dict[str, set[str]] = {r.code: set() for r in desa}
    for i, j in touching_pairs([shape(r.boundary) for r in shaped]):
        out[shaped[i].code].add(shaped[j].code)
        out[shaped[j].code].add(shaped[i].code)
    by_kecamatan: dict[int | None, list[str]] = {}
    for region in desa:
        by_kecamatan.setdefault(region.parent_id, []).append(region.code)
    for region in desa:
        if not region.boundary:
            for other in by_kecamatan[region.parent_id]:
                if other != region.code:
                    out[region.code].add(other)
                    out[other].add(region.code)
    result = {code: sorted(codes) for code, codes in out.items()}
    _NEIGHBOURS[key] = result
    return result


_NEIGHBOURS: dict[tuple[str, int, str | None], dict[str, list[str]]] = {}


def _cluster_reason(city: Region, regions: list[Region]) -> str:
    names = ", ".join(r.name for r in regions)
    if all(r.boundary for r in regions):
        return f"{len(regions)} {village_word(city.code)} bersebelahan berstatus Siaga atau lebih: {names}"
    kecamatan = sorted({r.parent.name for r in regions if r.parent})
    return (
        f"{len(regions)} desa/kelurahan berdekatan berstatus Siaga atau lebih di Kecamatan {', '.join(kecamatan)} "
        f"(tanpa batas peta desa, yang sekecamatan dihitung berdekatan): {names}"
    )


def alerts_evaluate(city: Region, day: date, results: list[AreaResult], previous: dict[str, int]) -> None:
    """Hook from risk after each assessment of a city and day."""
    at = min(timezone.now(), end_of(day))
    by_code = {r.region.code: r for r in results}
    current = {code: r.level for code, r in by_code.items()}
    for code in level_rises(previous, current, at_least=settings.SIGAP_ALERT_MIN_LEVEL):
        r = by_code[code]
        # A rise that only an analyst's level makes is that analyst's alert, not the engine's: the dashboard's
        # measure of the engine's alerts (precision, lead time) must not take credit for the team's knowledge.
        floor = level_floor_in_force(r.region, day) if r.drivers and r.drivers[0]["code"] == "analyst" else None
        alert_raise(
            kind=AlertKind.MANUAL if floor else AlertKind.LEVEL_RISE,
            city=city,
            regions=[r.region],
            level=r.level,
            title=f"Kerawanan naik: {r.region.name}",
            reason=_reason_for(r, previous.get(code, 0)),
            at=at,
            incidents=_recent_incidents(r.region, day),
            actor=floor.set_by if floor else None,
        )
    elevated = [code for code, level in current.items() if level >= RiskLevel.SIAGA]
    for cluster in spreading_clusters(elevated, _neighbours(city), min_areas=3):
        regions = [by_code[c].region for c in cluster]
        level = max(by_code[c].level for c in cluster)
        alert_raise(
            kind=AlertKind.CLUSTER,
            city=city,
            regions=regions,
            level=level,
            title=f"Kerawanan meluas: {len(regions)} {village_word(city.code)}",
            reason=_cluster_reason(city, regions),
            at=at,
        )
    for incident in Incident.objects.filter(
        region__in=[r.region for r in results], verified_at__date=day, status__in=COUNTED
    ).select_related("region"):
        grave_incident_check(incident, at)
    _attach_new_incidents(city, day, at)
    _propose_closing(city, day, at, current)


def _attach_new_incidents(city: Region, day: date, at: datetime) -> None:
    for alert in Alert.objects.open().filter(city=city).prefetch_related("regions"):
        fresh = Incident.objects.filter(
            region__in=alert.regions.all(),
            status__in=COUNTED,
            occurred_at__gt=alert.last_activity_at - _window(),
            occurred_at__lte=end_of(day),
        ).exclude(alerts=alert)
        fresh_list = list(fresh)
        if fresh_list and alert.last_activity_at + _window() >= at:
            ids = ", ".join(f"#{i.pk}" for i in fresh_list)
            alert_attach(alert, incidents=fresh_list, reason=f"Kejadian baru di wilayah yang sama: {ids}", at=at)


def _propose_closing(city: Region, day: date, at: datetime, current: dict[str, int]) -> None:
    """Conditions no longer support an alert when, for N days, none of its kelurahan stood at the alert level
    (and none at the level that raises alerts), nothing new joined it, and none of its incidents is still open."""
    quiet_days = settings.SIGAP_ALERT_CLOSE_AFTER_DAYS
    since = day - timedelta(days=quiet_days - 1)
    for alert in Alert.objects.open().filter(city=city, close_proposed_at=None).prefetch_related("regions"):
        if alert.last_activity_at > at - timedelta(days=quiet_days):
            continue
        codes = [r.code for r in alert.regions.all()]
        bar = min(alert.level, settings.SIGAP_ALERT_MIN_LEVEL)
        recent = AreaRisk.objects.filter(region__code__in=codes, day__gte=since, day__lte=day)
        if recent.count() < len(codes) * quiet_days or recent.filter(level__gte=bar).exists():
            continue
        if alert.incidents.filter(status=IncidentStatus.VERIFIED).exists():
            continue  # an incident of the alert is still being handled
        highest = max((current.get(c, 0) for c in codes), default=0)
        reason = (
            f"Selama {quiet_days} hari semua wilayahnya di bawah {RiskLevel(bar).label} "
            f"(kini tertinggi {RiskLevel(highest).label}), tidak ada kejadian baru dan semua kejadiannya selesai: "
            "usul ditutup."
        )
        alert_propose_close(alert=alert, reason=reason, at=at)


CRITERIA_WORDS = {
    "massive_crowd": "massa semakin banyak dan meluas",
    "arson_looting": "pembakaran, penjarahan atau perusakan",
    "vital_object": "kantor atau objek vital dirusak atau diduduki",
    "police_outnumbered": "aparat kalah jumlah atau kurang perlengkapan",
    "deaths": "ada korban meninggal",
    "several_kecamatan": "meluas ke beberapa kecamatan",
}


def incident_facts(incident: Incident) -> IncidentFacts:
    kecamatan = {r.code.rsplit(".", 1)[0] for r in Region.objects.filter(reports__incident=incident).distinct()}
    if incident.region is not None:
        kecamatan.add(incident.region.code.rsplit(".", 1)[0])
    return IncidentFacts(
        people_estimate=incident.people_estimate,
        killed=incident.killed,
        injured=incident.injured,
        arson_or_looting=incident.arson_or_looting,
        police_outnumbered=incident.police_outnumbered,
        vital_object_damaged=incident.vital_object_damaged,
        kecamatan_affected=len(kecamatan),
        crowd_growing=incident.crowd_growing,
    )


def grave_incident_check(incident: Incident, at: datetime) -> Alert | None:
    """An incident that meets PP 2/2015 Ps 43 raises an Awas alert (or joins the open one of its area), once: an
    incident that already made a grave-incident alert, even one since closed, does not raise another."""
    if incident.region is None or incident.status not in ("new", *COUNTED):
        return None
    if incident.alerts.filter(kind=AlertKind.GRAVE_INCIDENT).exists():
        return None
    met = escalation_criteria(incident_facts(incident))
    if not met:
        return None
    city = city_of(incident.region)
    if city is None:
        return None
    reason = f"Kejadian #{incident.pk} memenuhi kriteria eskalasi PP 2/2015 Ps 43: " + "; ".join(
        CRITERIA_WORDS[c] for c in met
    )
    return alert_raise(
        kind=AlertKind.GRAVE_INCIDENT,
        city=city,
        regions=[incident.region],
        level=RiskLevel.AWAS,
        title=f"Eskalasi: {incident.title}",
        reason=reason,
        at=at,
        incidents=[incident],
    )


def incident_changed(incident: Incident, at: datetime) -> None:
    """Hook from triage, after commit: grave incidents raise their alert straight away."""
    grave_incident_check(incident, at)
