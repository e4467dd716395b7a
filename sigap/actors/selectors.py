"""What the registry shows: each group's activity, and one group's history across incidents, cases and mediations,
limited to what the reader may see."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, Max, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sigap.actors import rules
from sigap.actors.models import Actor, IncidentActor
from sigap.cases.models import Case
from sigap.mediation.models import Mediation
from sigap.triage.choices import Category, IncidentStatus
from sigap.triage.models import Incident

RECENT_DAYS = 90


def actor_rows(user: Any, now: datetime) -> list[Actor]:
    """Every group the reader may see, with the incidents they may see: in the last 90 days, open, in all, and
    the latest; the most recently involved first, the groups never involved last."""
    # A duplicate's reports moved to the incident it was merged into: that one counts, not both.
    visible = Incident.objects.visible_to(user).exclude(status=IncidentStatus.DUPLICATE).values("pk")
    linked = Q(incident_links__removed_at__isnull=True, incident_links__incident__in=visible)
    since = now - timedelta(days=RECENT_DAYS)
    rows = (
        Actor.objects.visible_to(user)
        .select_related("region")
        .annotate(
            incident_count=Count("incident_links", filter=linked, distinct=True),
            recent_count=Count(
                "incident_links",
                filter=linked & Q(incident_links__incident__first_received_at__gte=since),
                distinct=True,
            ),
            open_count=Count(
                "incident_links",
                filter=linked & Q(incident_links__incident__status__in=[IncidentStatus.NEW, IncidentStatus.VERIFIED]),
                distinct=True,
            ),
            last_seen=Max("incident_links__incident__first_received_at", filter=linked),
        )
    )

    return list(rows.order_by(F("last_seen").desc(nulls_last=True), "name"))


SHOWN_INCIDENTS = 100  # the group page's table; the incident list (filtered by the group) has them all
MONTHS_SHOWN = 24  # the group page's months, in the deployment's time zone


@dataclass
class ActorHistory:
    total: int  # incidents the reader may see
    first_seen: datetime | None
    incidents: list[Incident]  # the latest SHOWN_INCIDENTS, each with its `actor_link`
    counterparts: list[tuple[Actor, int]]
    places: list[tuple[str, int]]
    categories: list[tuple[str, int]]
    months: list[tuple[date, int, int]]  # month, incidents, bar width in % of the busiest month (latest 24)
    cases: list[Case]
    mediations: list[Mediation]  # each with its relapse flags prefetched


def _months(counts: dict[date, int]) -> list[tuple[date, int, int]]:
    """Each month from the first with an incident to the last (at most the latest MONTHS_SHOWN), quiet months
    included: a month without incidents is part of the story. With a bar width in % of the busiest month."""
    if not counts:
        return []
    months: list[date] = []
    month, first = max(counts), min(counts)
    while month >= first and len(months) < MONTHS_SHOWN:
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    busiest = max(counts.get(m, 0) for m in months) or 1
    return [(m, counts.get(m, 0), round(100 * counts.get(m, 0) / busiest)) for m in reversed(months)]


def _names_party(actor: Actor, party: str) -> bool:
    return rules.name_found(actor.names(), party) is not None


def actor_history(actor: Actor, user: Any) -> ActorHistory:
    """The incidents the group was involved in (the latest, and how many), whom it met there, where and over what,
    counted in the database (a camp of a big city is named in thousands); the cases and mediations that name it
    among their parties or carry one of its incidents."""
    current = IncidentActor.objects.current().filter(actor=actor)
    linked_ids = set(current.values_list("incident_id", flat=True))
    visible = (
        Incident.objects.visible_to(user)
        .filter(pk__in=current.values("incident_id"))
        .exclude(status=IncidentStatus.DUPLICATE)
    )
    incidents = list(visible.select_related("region").order_by("-first_received_at", "-pk")[:SHOWN_INCIDENTS])
    shown = current.filter(incident__in=[i.pk for i in incidents]).select_related("linked_by")
    links = {link.incident_id: link for link in shown}
    for incident in incidents:
        incident.actor_link = links[incident.pk]  # type: ignore[attr-defined]
    others = (
        IncidentActor.objects.current()
        .filter(incident__in=visible.values("pk"))
        .exclude(actor=actor)
        .values("actor")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    by_pk = Actor.objects.in_bulk([row["actor"] for row in others])
    labels = dict(Category.choices)
    places = (
        visible.filter(region__isnull=False)
        .values("region__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "region__name")
    )
    categories = visible.values("category").annotate(n=Count("pk")).order_by("-n", "category")
    per_month = (
        visible.filter(first_received_at__isnull=False)
        .annotate(month=TruncMonth("first_received_at"))
        .values("month")
        .annotate(n=Count("pk"))
    )
    counts = {timezone.localtime(row["month"]).date(): row["n"] for row in per_month}

    cases = [
        case
        for case in Case.objects.visible_to(user).prefetch_related("incidents").order_by("-opened_at")
        if any(_names_party(actor, p) for p in case.parties) or any(i.pk in linked_ids for i in case.incidents.all())
    ]
    mediations = [
        mediation
        for mediation in Mediation.objects.visible_to(user)
        .select_related("forum")
        .prefetch_related("parties", "incidents", "relapses__incident")
        if any(_names_party(actor, p.name) for p in mediation.parties.all())
        or any(i.pk in linked_ids for i in mediation.incidents.all())
    ]
    return ActorHistory(
        total=visible.count(),
        first_seen=visible.aggregate(first=Min("first_received_at"))["first"],
        incidents=incidents,
        counterparts=[(by_pk[row["actor"]], row["n"]) for row in others],
        places=[(row["region__name"], row["n"]) for row in places],
        categories=[(str(labels.get(row["category"], row["category"])), row["n"]) for row in categories],
        months=_months(counts),
        cases=cases,
        mediations=mediations,
    )


@dataclass(frozen=True)
class GroupLine:
    """One group in a situation report: its verified incidents of the period, where, and whom it met there."""

    name: str
    kind: str
    incidents: int
    places: str
    met: str


def groups_involved(incidents: Any, limit: int = 10) -> list[GroupLine]:
    """The groups most involved in `incidents` that were verified (a report to leadership names a camp on
    verified facts, never on an unchecked report), most incidents first."""
    verified = incidents.filter(status__in=[IncidentStatus.VERIFIED, IncidentStatus.RESOLVED])
    links = list(
        IncidentActor.objects.current()
        .filter(incident__in=verified.values("pk"))
        .select_related("actor", "incident__region")
        .order_by("incident_id", "actor__name")
    )
    by_incident: dict[int, list[Actor]] = {}
    for link in links:
        by_incident.setdefault(link.incident_id, []).append(link.actor)
    counts: Counter[int] = Counter()
    places: dict[int, Counter[str]] = {}
    met: dict[int, Counter[str]] = {}
    actors: dict[int, Actor] = {}
    for link in links:
        actor = actors.setdefault(link.actor_id, link.actor)
        counts[actor.pk] += 1
        if link.incident.region is not None:
            places.setdefault(actor.pk, Counter())[link.incident.region.name] += 1
        others = (a.name for a in by_incident[link.incident_id] if a.pk != actor.pk)
        met.setdefault(actor.pk, Counter()).update(others)

    def words(counter: Counter[str] | None) -> str:
        return ", ".join(f"{name} ({n})" for name, n in (counter or Counter()).most_common(3)) or "-"

    ranked = sorted(counts, key=lambda pk: (-counts[pk], actors[pk].name))[:limit]
    return [
        GroupLine(
            name=actors[pk].name,
            kind=str(actors[pk].get_kind_display()),
            incidents=counts[pk],
            places=words(places.get(pk)),
            met=words(met.get(pk)),
        )
        for pk in ranked
    ]


def party_suggestions(incident: Incident) -> list[str]:
    """The parties to offer when a case or mediation is opened from an incident: its registered groups under their
    registry names, then what its reports wrote under "groups involved" that names none of them (one per item,
    split at semicolons and line ends), so that nobody types them again."""
    linked = [link.actor for link in IncidentActor.objects.current().filter(incident=incident).select_related("actor")]
    out = [actor.name for actor in sorted(linked, key=lambda a: a.name)]
    seen = {name.casefold() for name in out}
    for written in incident.reports.order_by("received_at", "pk").values_list("groups_involved", flat=True):
        for item in re.split(r"[;\n]+", written or ""):
            item = item.strip()
            if not item or item.casefold() in seen or any(rules.name_found(a.names(), item) for a in linked):
                continue
            seen.add(item.casefold())
            out.append(item)
    return out
