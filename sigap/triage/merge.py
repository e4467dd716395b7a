"""Which open incident a new report belongs to: same kelurahan, close in time, similar words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from rapidfuzz import fuzz

from sigap.intake.models import Report
from sigap.regions.names import fold
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


def _similarity(a: str, b: str) -> float:
    return float(fuzz.token_set_ratio(fold(a), fold(b)))


def merge_candidate(report: Report, category: str) -> MergeSuggestion | None:
    """The open incident this report most likely describes, or None to open a new one."""
    if report.region_id is None:
        return None
    moment = report.occurred_at or report.received_at
    candidates = Incident.objects.filter(
        region_id=report.region_id,
        status__in=[IncidentStatus.NEW, IncidentStatus.VERIFIED],
        occurred_at__gte=moment - WINDOW,
        occurred_at__lte=moment + WINDOW,
    )
    best: MergeSuggestion | None = None
    for incident in candidates:
        # The summary and the latest reports describe the event; older ones add cost, not evidence.
        recent = incident.reports.order_by("-received_at").values_list("description", flat=True)[:RECENT_REPORTS]
        texts = [incident.summary, *recent]
        similarity = max((_similarity(report.description, t) for t in texts if t), default=0.0)
        threshold = SAME_CATEGORY_MIN_SIMILARITY if incident.category == category else ANY_CATEGORY_MIN_SIMILARITY
        if similarity >= threshold and (best is None or similarity > best.similarity):
            hours = abs((incident.occurred_at - moment).total_seconds()) / 3600 if incident.occurred_at else 0
            best = MergeSuggestion(
                incident, similarity, f"kelurahan sama, selisih {hours:.0f} jam, kemiripan teks {similarity:.0f}%"
            )
    return best
