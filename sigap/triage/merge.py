"""Which open incident a new report belongs to: same kelurahan, close in time, similar words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from rapidfuzz import fuzz

from sigap.intake.models import Report
from sigap.regions.names import fold
from sigap.regions.selectors import deployment_village_word
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident

WINDOW = timedelta(hours=48)
RECENT_REPORTS = 5
SAME_CATEGORY_MIN_SIMILARITY = 45.0
ANY_CATEGORY_MIN_SIMILARITY = 75.0


@dataclass(frozen=True)
class MergeSuggestion:
    incident: Incident
    similarity: float
    reason: str


def _similarity(folded: str, other: str) -> float:
    return float(fuzz.token_set_ratio(folded, fold(other)))


def _recent_descriptions(incident_ids: list[int]) -> list[tuple[int, str]]:
    """(incident, description) of each incident's latest reports, in one query. The summary and the latest reports
    describe the event; older ones add cost, not evidence."""
    if not incident_ids:
        return []
    # One statement of per-incident LIMIT queries, each a short walk down the report_incident_latest index (a window
    # function would number every report of a large incident). Written out: the ORM cannot union sliced querysets on
    # SQLite. The table name is the model's own; values are parameters.
    table = Report._meta.db_table
    latest = (
        f"SELECT * FROM (SELECT incident_id, description FROM {table} WHERE incident_id = %s "  # noqa: S608
        "ORDER BY received_at DESC, id DESC LIMIT %s) AS latest"
    )
    sql = " UNION ALL ".join([latest] * len(incident_ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for pk in incident_ids for value in (pk, RECENT_REPORTS)])
        return [(int(incident_id), str(description)) for incident_id, description in cursor.fetchall()]


def _open_near(region_id: int, moment: datetime, columns: tuple[str, ...] = ()) -> list[Incident]:
    """The kelurahan's open incidents within the window around `moment`, newest first (as the model's ordering: on
    equal similarity the newest incident takes the report); only `columns` (and the key) loaded, if given.

    Written as SQL: it runs twice for every report, and building the ORM's query cost several times running it
    (about a millisecond each time here). The few rows are sorted in Python, the planner's choice of index left to
    the filter."""
    table = Incident._meta.db_table
    selected = ", ".join(["id", *columns]) if columns else "*"
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        f"SELECT {selected} FROM {table} WHERE region_id = %s AND status IN (%s, %s) "  # noqa: S608 (our own names)
        "AND occurred_at >= %s AND occurred_at <= %s"
    )
    params = [region_id, IncidentStatus.NEW.value, IncidentStatus.VERIFIED.value]
    incidents = list(Incident.objects.raw(sql, [*params, adapt(moment - WINDOW), adapt(moment + WINDOW)]))
    return sorted(incidents, key=lambda incident: (incident.occurred_at, incident.pk), reverse=True)


def best_match(
    *, candidates: list[Incident], moment: datetime, description: str, category: str
) -> MergeSuggestion | None:
    """Which of the open incidents near a report (about `moment`) it most likely describes, or None."""
    by_id = {incident.pk: incident for incident in candidates}
    texts: dict[int, list[str]] = {pk: [incident.summary] for pk, incident in by_id.items()}
    for incident_id, text in _recent_descriptions(list(by_id)):
        texts[incident_id].append(text)
    folded = fold(description)
    best: MergeSuggestion | None = None
    for pk, incident in by_id.items():
        similarity = max((_similarity(folded, t) for t in texts[pk] if t), default=0.0)
        threshold = SAME_CATEGORY_MIN_SIMILARITY if incident.category == category else ANY_CATEGORY_MIN_SIMILARITY
        if similarity >= threshold and (best is None or similarity > best.similarity):
            hours = abs((incident.occurred_at - moment).total_seconds()) / 3600 if incident.occurred_at else 0
            why = f"{deployment_village_word()} sama, selisih {hours:.0f} jam, kemiripan teks {similarity:.0f}%"
            best = MergeSuggestion(incident, similarity, why)
    return best


# What weighing a report reads and what attaching it writes (triage.services.incident_attach_report): the other
# columns, the triage JSON among them, are not converted on every report.
WEIGH_COLUMNS = ("summary", "category", "occurred_at")
# "title" for the secretariat's notice of an urgent incident (triage.services._tell_secretariat_urgent).
ATTACH_COLUMNS = (
    *WEIGH_COLUMNS,
    "title",
    "status",
    "urgency",
    "verification_due_at",
    "first_received_at",
    "crowd_growing",
)


@dataclass(frozen=True)
class MergeLookout:
    """A merge decision taken before the write lock, and the candidates it weighed."""

    region_id: int
    moment: datetime
    description: str
    category: str
    seen: frozenset[int]
    suggestion: MergeSuggestion | None


def merge_lookout(*, region_id: int, moment: datetime, description: str, category: str) -> MergeLookout:
    """Weigh the candidates outside the write transaction: reading them and their latest reports and comparing
    texts is most of the merge's cost, and writers queue for SQLite's single lock, so every millisecond inside it
    is a millisecond for every report in the queue."""
    # Only what the weighing reads: these rows are never written (merge_confirm reads the chosen one again).
    candidates = _open_near(region_id, moment, WEIGH_COLUMNS)
    suggestion = best_match(candidates=candidates, moment=moment, description=description, category=category)
    seen = frozenset(incident.pk for incident in candidates)
    return MergeLookout(region_id, moment, description, category, seen, suggestion)


def merge_confirm(lookout: MergeLookout) -> MergeSuggestion | None:
    """Inside the write transaction: the lookout's decision if the candidates are still those it weighed, else a
    fresh one. The chosen incident comes from this read, so its writes start from its current row; texts attached
    in the meantime are not weighed again (they change a similarity, not which incidents are open)."""
    open_now = {incident.pk: incident for incident in _open_near(lookout.region_id, lookout.moment, ATTACH_COLUMNS)}
    chosen = lookout.suggestion.incident.pk if lookout.suggestion else None
    # Weigh again when an incident opened or reopened nearby since the lookout, or when the chosen one was verified
    # as a hoax, merged away or closed since.
    if open_now.keys() - lookout.seen or (chosen is not None and chosen not in open_now):
        return best_match(
            candidates=list(open_now.values()),
            moment=lookout.moment,
            description=lookout.description,
            category=lookout.category,
        )
    if lookout.suggestion is None or chosen is None:
        return None
    return MergeSuggestion(open_now[chosen], lookout.suggestion.similarity, lookout.suggestion.reason)
