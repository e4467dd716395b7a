import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from sigap.accounts.auth import staff_caller
from sigap.alerts.choices import AlertState
from sigap.alerts.models import Alert
from sigap.risk.choices import RiskLevel

router = Router(tags=["alerts"])


class AlertFilter(Schema):
    state: AlertState | None = None
    open: bool | None = Field(None, description="true: only alerts not yet closed")
    limit: int = Field(50, ge=1, le=500)


class EventOut(Schema):
    at: datetime.datetime
    verb: str
    from_state: str
    to_state: str
    actor: str | None
    note: str


class AlertOut(Schema):
    id: int
    kind: str
    state: str
    level: str
    title: str
    reasons: list[str]
    regions: list[str] = Field(description="Kemendagri codes of the kelurahan concerned")
    incidents: list[int]
    triggered_at: datetime.datetime
    close_proposed: bool
    merged_into: int | None
    history: list[EventOut]


def _out(a: Alert) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "state": a.state,
        "level": RiskLevel(a.level).name.lower(),
        "title": a.title,
        "reasons": a.reasons,
        "regions": [r.code for r in a.regions.all()],
        "incidents": [i.pk for i in a.incidents.all()],
        "triggered_at": a.triggered_at,
        "close_proposed": a.close_proposed_at is not None,
        "merged_into": a.merged_into_id,
        "history": [
            {
                "at": e.at,
                "verb": e.verb,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "actor": e.actor.username if e.actor else None,
                "note": e.note,
            }
            for e in a.events.all()
        ],
    }


@router.get(
    "/alerts",
    response=list[AlertOut],
    summary="Alerts with their state and history (staff: session or `Authorization: Bearer <staff token>`)",
)
def alerts_list(request: HttpRequest, filters: Query[AlertFilter]) -> Any:
    user = staff_caller(request)
    if user is None and request.user.is_authenticated:  # signed in, but not staff (a trusted reporter)
        raise HttpError(403, "Peringatan hanya untuk tim / alerts are for the team only")
    if user is None:
        raise HttpError(401, "Hanya untuk petugas; masuk atau pakai token / staff only: sign in or use a staff token")
    alerts = Alert.objects.visible_to(user).prefetch_related("regions", "incidents", "events__actor")
    if filters.state:
        alerts = alerts.filter(state=filters.state)
    if filters.open:
        alerts = alerts.open()
    return [_out(a) for a in alerts[: filters.limit]]
