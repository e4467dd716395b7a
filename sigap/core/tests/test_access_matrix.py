"""Access control as a matrix: every role x every page and API route x its objects x view/change/reveal/export.

The expected answer comes from two sources written independently of the views:
- ROUTE_POLICY below: which roles may use a route at all (the product's access rules, in one table);
- the models' `visible_to` querysets: which objects a role may see (so a view that forgets to scope its
  object look-up, an IDOR, shows up as a leak); those querysets are themselves held to a table of their own in
  accounts/tests/test_visibility_matrix.py.
Denied means 403, 404, 405 or a redirect to the sign-in page. A leak is a denied cell that answered otherwise,
or any page that shows a reporter's identity without a recorded reveal. SIGAP_EVIDENCE_OUT=FILE writes the
figures for `make evidence`.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sigap.accounts.models import User
from sigap.actors.models import Actor, IncidentActor
from sigap.alerts.models import Alert
from sigap.cases.models import Case, ConflictStatus, Task
from sigap.coordination.models import Decision, Meeting, PlanItem
from sigap.core.models import AuditLog, Document
from sigap.core.roles import Role, role_of
from sigap.demo.generator import seed_demo
from sigap.demo.identities import sealed_identities
from sigap.directory.models import Organisation
from sigap.intake.models import Attachment, FieldCheck, Report, ResolutionAnswer
from sigap.mediation.models import Forum, Mediation, Taskforce
from sigap.notify.models import DutyShift
from sigap.public.models import Clarification, PublicWarning
from sigap.regions.models import Region
from sigap.risk.models import LevelFloor
from sigap.triage.models import Incident

ANY = "anonymous"
ALL_ROLES: set[str] = {ANY, *(r.value for r in Role)}
SIGNED_IN: set[str] = {r.value for r in Role}
STAFF: set[str] = SIGNED_IN - {Role.TRUSTED_REPORTER.value}
ANALYSTS: set[str] = {Role.ADMIN, Role.ANALYST}
CITYWIDE: set[str] = {Role.ADMIN, Role.ANALYST, Role.LEADERSHIP}
WORKERS: set[str] = {Role.ADMIN, Role.ANALYST, Role.RESPONDER, Role.MEDIATOR}
MEDIATION: set[str] = {Role.ADMIN, Role.ANALYST, Role.MEDIATOR}  # who runs forums and opens mediations

# route name -> (roles that may view, roles that may change). Object scoping is checked on top of this.
ROUTE_POLICY: dict[str, tuple[set[str], set[str]]] = {
    "core:healthz": (ALL_ROLES, set()),
    "home:landing": (ALL_ROLES, set()),
    "home:home": (SIGNED_IN, set()),
    "accounts:account": (SIGNED_IN, SIGNED_IN),
    "accounts:two_factor": (SIGNED_IN, SIGNED_IN),
    "intake:report_new": (ALL_ROLES, ALL_ROLES),
    "intake:report_done": (ALL_ROLES, set()),
    "intake:trusted_report_new": ({Role.TRUSTED_REPORTER.value, *ANALYSTS}, {Role.TRUSTED_REPORTER.value, *ANALYSTS}),
    "intake:receipt_check": (ALL_ROLES, ALL_ROLES),
    "intake:receipt_status": (ALL_ROLES, ALL_ROLES),
    "intake:receipt_resend": (ALL_ROLES, ALL_ROLES),
    "intake:my_report": ({Role.TRUSTED_REPORTER.value}, set()),  # their own reports (submitted_by), by visible_to
    "intake:nil_report": (set(), {Role.TRUSTED_REPORTER.value}),  # "nothing to report in my kelurahan today"
    "intake:field_check_reply": (set(), {Role.TRUSTED_REPORTER.value}),  # their answer to a field check asked of them
    "intake:resolution_answer": (set(), ALL_ROLES),  # a reporter's word on a resolution, for a receipt they opened
    "intake:identity_requests": (set(), set()),  # identity custodians only: a flag on the account, not a role
    "intake:monitor_check": ({Role.TRUSTED_REPORTER.value}, {Role.TRUSTED_REPORTER.value}),  # the area checklist
    "intake:report_import": (ANALYSTS, ANALYSTS),
    "triage:incident_list": (SIGNED_IN, set()),  # scoped by visible_to: a trusted reporter lists their own
    "triage:incident_export": (SIGNED_IN, set()),
    "triage:incident_detail": (SIGNED_IN, set()),
    "triage:incident_decide": (set(), ANALYSTS),
    "triage:incidents_set_aside": (set(), ANALYSTS),  # many new incidents "not a conflict" at once
    "triage:incident_claim": (set(), ANALYSTS),  # "I am checking this one"
    "triage:incident_retriage": (set(), ANALYSTS),
    "triage:incident_reopen": (set(), ANALYSTS),
    "triage:incident_facts": (set(), ANALYSTS),
    "triage:incident_field_note": (set(), WORKERS),  # responders and mediators write what they did
    "triage:incident_document_add": (set(), WORKERS),  # and keep its papers and photos
    "triage:incident_document_remove": (set(), WORKERS),  # who added one, or the secretariat
    "triage:incident_follow_up": (set(), ANALYSTS),  # a day to look at a verified incident again
    "triage:incident_field_check": (set(), ANALYSTS),  # ask the kelurahan's monitors to check on the ground
    "triage:resolution_uphold": (set(), ANALYSTS),  # keep an incident resolved that a reporter says is not, saying why
    "triage:incident_merge": (set(), ANALYSTS),
    "triage:report_split": (set(), ANALYSTS),
    "triage:report_reveal": (set(), ANALYSTS),  # reveal: the only way to a reporter's identity
    "triage:report_reply": (set(), ANALYSTS),
    "triage:attachment": (SIGNED_IN, set()),
    "core:document": (STAFF, set()),  # scoped by its owner's visible_to (case, mediation, meeting, incident)
    "triage:reports_unplaced": (ANALYSTS, ANALYSTS),
    "triage:reporter_messages": (ANALYSTS, set()),
    "risk:map": (STAFF, set()),
    "risk:area": (STAFF, set()),
    "risk:network": (STAFF, set()),
    "risk:checks": (STAFF, set()),  # the field monitors' checklists across the city
    "risk:indicator": (set(), ANALYSTS),
    "risk:level_set": (set(), ANALYSTS),
    "regions:boundaries": ({Role.ADMIN.value}, {Role.ADMIN.value}),
    "risk:level_withdraw": (set(), ANALYSTS),
    "alerts:list": (STAFF, set()),
    "alerts:raise": (set(), ANALYSTS),
    "alerts:detail": (STAFF, set()),
    "alerts:step": (set(), WORKERS),
    "alerts:override": (set(), ANALYSTS),
    "alerts:merge": (set(), ANALYSTS),
    "notify:inbox": (SIGNED_IN, SIGNED_IN),
    "notify:my_channels": (set(), SIGNED_IN),  # one's own e-mail address (POST only)
    "notify:preview": (ANALYSTS, set()),
    "notify:duty": (STAFF, ANALYSTS),  # the secretariat's duty roster: every staff role reads who is on duty
    "notify:duty_shift": (STAFF, ANALYSTS),  # its hand-over is written by the one on duty (tests/test_duty.py)
    "cases:list": (STAFF, set()),
    "cases:new": (ANALYSTS, ANALYSTS),
    "cases:detail": (STAFF, set()),
    "cases:act": (set(), WORKERS),
    "cases:tasks": (STAFF, set()),
    "cases:task_finish": (set(), WORKERS),
    "cases:task_change": (STAFF, WORKERS),  # a reader who may not change the task is sent to it in the list
    "cases:incident_settle": (set(), ANALYSTS),
    "cases:status_list": (CITYWIDE, ANALYSTS),
    "cases:status_detail": (CITYWIDE, set()),
    "cases:status_act": (set(), ANALYSTS),
    "cases:status_consider": (set(), ANALYSTS),
    "mediation:list": (STAFF, set()),
    "mediation:forums": (STAFF, MEDIATION),
    "mediation:forum_edit": (MEDIATION, MEDIATION),
    "mediation:new": (MEDIATION, MEDIATION),
    "mediation:detail": (STAFF, set()),
    "mediation:agreement_paper": (STAFF, set()),  # the recorded kesepakatan as a PDF, by visible_to
    "mediation:agreement_draft": (set(), MEDIATION),  # the agreement form printed for signing, nothing saved
    "mediation:act": (set(), WORKERS),
    "mediation:taskforces": (CITYWIDE | {Role.MEDIATOR.value}, ANALYSTS),  # the Satgas PKS: the secretariat records
    "mediation:taskforce_detail": (CITYWIDE | {Role.MEDIATOR.value}, set()),
    "mediation:taskforce_act": (set(), ANALYSTS),
    "coordination:meetings": (STAFF, ANALYSTS),
    "coordination:meeting": (STAFF, set()),
    "coordination:meeting_minutes_pdf": (STAFF, set()),  # the notulen on paper, from what was recorded
    "coordination:meeting_document": (set(), ANALYSTS),  # the secretariat keeps the meeting's papers
    "coordination:decision_task": (set(), ANALYSTS),
    "coordination:contacts": (STAFF, WORKERS),
    "coordination:plan": (STAFF, ANALYSTS),
    "coordination:plan_progress": (set(), ANALYSTS),
    "coordination:plan_report": (STAFF, set()),
    "coordination:plan_report_xlsx": (STAFF, set()),
    "actors:list": (STAFF, ANALYSTS),  # the registry of groups: sensitive (camps, religion), never public
    "actors:detail": (STAFF, ANALYSTS),  # its incidents scoped by visible_to
    "actors:merge": (set(), ANALYSTS),  # registered twice
    "actors:follow": (set(), STAFF),  # be told when a new incident names the group
    "actors:incident_link": (set(), ANALYSTS),
    "actors:incident_unlink": (set(), ANALYSTS),
    "dashboard:page": (CITYWIDE, set()),
    "dashboard:export": (CITYWIDE, set()),
    "sitrep:page": (CITYWIDE, set()),
    "sitrep:download": (CITYWIDE, set()),
    "public:page": (ALL_ROLES, set()),
    "public:cap_feed": (ALL_ROLES, set()),
    "public:cap_message": (ALL_ROLES, set()),
    "public:publish": (ANALYSTS, ANALYSTS),
    "public:cancel": (set(), ANALYSTS),
    "public:clarification": (ALL_ROLES, set()),
    "public:clarification_new": (ANALYSTS, ANALYSTS),
    "public:clarification_withdraw": (set(), ANALYSTS),
    "demo:webhook": (set(), ALL_ROLES),  # the demo's webhook receiver: POST only, refused by its signature check
    "demo:sms": (set(), ALL_ROLES),  # the demo's SMS gateway: POST only, a token when set (make run sets one)
    "demo:mailbox": (CITYWIDE, set()),
    "demo:phone": ({Role.TRUSTED_REPORTER.value}, {Role.TRUSTED_REPORTER.value}),  # a reporter's phone, demo only
}
# Routes whose behaviour is not a role question: sign-in pages, language choice, token links (tested elsewhere).
# The sign-in's code step belongs to no role: it answers only a session whose password was right moments ago.
# "Forgot your password?" answers anyone the same, and its link page is a token link.
NOT_ROLE_ROUTES = {
    "login",
    "accounts:sign_in_code",
    "accounts:password_reset",
    "accounts:password_reset_confirm",
    "logout",
    "set_language",
    "notify:ack",
    "public:None",
}


@dataclass
class Matrix:
    cells: int = 0
    leaks: list[str] = field(default_factory=list)
    refused_wrongly: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    by_action: Counter[str] = field(default_factory=Counter)
    identity_pages_scanned: int = 0
    reveals: int = 0
    reveals_audited: int = 0


def _routes() -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []

    def walk(resolver: URLResolver, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = ":".join(x for x in (namespace, entry.namespace or "") if x)
                walk(entry, inner)
            else:
                found.append(((f"{namespace}:" if namespace else "") + str(entry.name), entry))

    walk(get_resolver(), "")
    return [(n, p) for n, p in found if not n.startswith(("admin:", "api-v1:"))]


def _documents_visible_to(user: Any) -> Any:
    if role_of(user) in (None, Role.TRUSTED_REPORTER):  # the team's papers
        return Document.objects.none()
    cases = Document.objects.filter(owner_type=ContentType.objects.get_for_model(Case)).filter(
        owner_id__in=Case.objects.visible_to(user).values("pk")
    )
    mediations = Document.objects.filter(owner_type=ContentType.objects.get_for_model(Mediation)).filter(
        owner_id__in=Mediation.objects.visible_to(user).values("pk")
    )
    meetings = Document.objects.filter(owner_type=ContentType.objects.get_for_model(Meeting)).filter(
        owner_id__in=Meeting.objects.visible_to(user).values("pk")
    )
    incidents = Document.objects.filter(owner_type=ContentType.objects.get_for_model(Incident)).filter(
        owner_id__in=Incident.objects.visible_to(user).values("pk")
    )
    return cases | mediations | meetings | incidents


def _samples(user: Any) -> dict[str, list[tuple[Any, bool]]]:
    """Objects per kind with whether `user` may see them: a few visible and a few not (guessed ids)."""

    def pick(queryset: Any, visible: Any) -> list[tuple[Any, bool]]:
        inside = queryset.filter(pk__in=visible.values("pk")).order_by("pk")[:2]
        outside = queryset.exclude(pk__in=visible.values("pk")).order_by("pk")[:2]
        return [(o, True) for o in inside] + [(o, False) for o in outside]

    def every(queryset: Any) -> list[tuple[Any, bool]]:  # kinds without per-object scope: the role decides
        return [(o, True) for o in queryset[:2]]

    return {
        "incident": pick(Incident.objects.all(), Incident.objects.visible_to(user)),
        "report": pick(Report.objects.filter(incident__isnull=False), Report.objects.visible_to(user)),
        "attachment": pick(
            Attachment.objects.all(), Attachment.objects.filter(report__in=Report.objects.visible_to(user))
        ),
        "document": pick(Document.objects.all(), _documents_visible_to(user)),
        "alert": pick(Alert.objects.all(), Alert.objects.visible_to(user)),
        "case": pick(Case.objects.all(), Case.objects.visible_to(user)),
        "task": pick(Task.objects.all(), Task.objects.visible_to(user)),
        "mediation": pick(Mediation.objects.all(), Mediation.objects.visible_to(user)),
        "status": every(ConflictStatus.objects.all()),
        "meeting": every(Meeting.objects.all()),
        "decision": every(Decision.objects.all()),
        "plan": every(PlanItem.objects.all()),
        "warning": every(PublicWarning.objects.all()),
        "clarification": every(Clarification.objects.all()),
        "forum": every(Forum.objects.all()),
        "taskforce": every(Taskforce.objects.all()),
        "group": every(Actor.objects.all()),
        "area": every(Region.objects.filter(code__startswith="35.75.", level="desa_kelurahan")),
        "shift": every(DutyShift.objects.all()),
        "fieldcheck": pick(FieldCheck.objects.all(), FieldCheck.objects.filter(reporter_id=user.pk or 0)),
    }


def _urls(name: str, pattern: URLPattern, samples: dict[str, list[tuple[Any, bool]]]) -> list[tuple[str, bool]]:
    """Concrete URLs for a route, each with whether its object is in the user's scope."""
    out: list[tuple[str, bool]] = []
    if name in ("triage:report_split", "triage:report_reveal", "triage:report_reply"):
        for report, visible in samples["report"]:
            out.append((reverse(name, args=[report.incident_id, report.pk]), visible))
        return out
    if name == "triage:resolution_uphold":
        answer = ResolutionAnswer.objects.order_by("pk").values_list("pk", flat=True).first() or 1
        return [(reverse(name, args=[incident.pk, answer]), visible) for incident, visible in samples["incident"]]
    kinds = {
        "triage:incident_": "incident",
        "triage:attachment": "attachment",
        "core:document": "document",
        "intake:my_report": "report",
        "cases:status_consider": "incident",
        "alerts:": "alert",
        "public:publish": "alert",
        "public:cancel": "warning",
        "public:cap_message": "warning",
        "public:clarification_new": "incident",
        "public:clarification": "clarification",
        "cases:task_finish": "task",
        "cases:task_change": "task",
        "cases:incident_settle": "incident",
        "cases:status_": "status",
        "cases:": "case",
        "mediation:forum_edit": "forum",
        "mediation:taskforce": "taskforce",
        "mediation:": "mediation",
        "coordination:meeting": "meeting",
        "coordination:decision_task": "decision",
        "coordination:plan_progress": "plan",
        "risk:": "area",
        "notify:duty_shift": "shift",
        "intake:field_check_reply": "fieldcheck",
        "actors:incident_": "incident",
        "actors:": "group",
    }
    extra: list[Any] = []
    if name in ("cases:act", "mediation:act", "cases:status_act", "mediation:taskforce_act"):
        extra = {"cases:act": ["acknowledge"], "mediation:act": ["session"], "mediation:taskforce_act": ["bubar"]}.get(
            name, ["revoke"]
        )
    if name == "coordination:meeting_document":
        extra = ["tambah"]
    if name == "actors:incident_unlink":
        extra = [IncidentActor.objects.order_by("pk").values_list("pk", flat=True).first() or 1]
    if name == "risk:level_withdraw":
        extra = [LevelFloor.objects.order_by("pk").values_list("pk", flat=True).first() or 1]
    if name == "coordination:plan_report" or name == "coordination:plan_report_xlsx":
        return [(reverse(name, args=[2020, "B.12"]), True)]
    if name == "triage:incident_export":
        return [(reverse(name, args=["csv"]) + "?status=open", True)]
    if name == "dashboard:export":
        return [(reverse(name, args=["csv"]) + "?start=2020-12-01&end=2020-12-07", True)]
    if name == "sitrep:download":
        return [(reverse(name, args=["xlsx"]) + "?start=2020-12-07&end=2020-12-13", True)]
    if not pattern.pattern.converters:
        return [(reverse(name), True)]
    kind = next(k for prefix, k in kinds.items() if name.startswith(prefix))
    for obj, visible in samples[kind]:
        key = obj.code if kind == "area" else obj.pk
        out.append((reverse(name, args=[key, *extra]), visible))
    return out


def _denied(response: Any) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    return response.status_code == 302 and "/masuk/" in response.get("Location", "")


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    demo = seed_demo(seed=2020)
    users: dict[str, Any] = {ANY: AnonymousUser()}
    for persona in demo.personas:  # one per role
        users[persona.role.value] = User.objects.get(username=persona.username)
    # The demo's responder (Polres) covers the whole city; a Polsek responder covers one kecamatan, so that
    # objects outside a responder's scope exist.
    polsek = Organisation.objects.filter(name__startswith="Polsek ").order_by("name").first()
    users["responder"] = User.objects.create_user(
        "matrix-polsek", password="x" * 12, role=Role.RESPONDER, organisation=polsek
    )
    identities, _shared_with_officials = sealed_identities(warga_only=True)
    _status_and_taskforce(users[Role.ANALYST.value])
    return {"users": users, "identities": identities}


def _status_and_taskforce(analyst: Any) -> None:
    """The demo's story declares no status and forms no Satgas: one of each (with a TNI request and a member), so
    that their pages are checked with real objects too."""
    from sigap.cases import services as cases
    from sigap.mediation import taskforce

    status = cases.status_declare(
        cases.Declaration(
            "188.45/1/2020",
            "Matriks akses",
            date(2020, 12, 1),
            date(2020, 12, 2),
            date(2020, 12, 2),
            date(2020, 12, 31),
        ),
        actor=analyst,
    )
    ask = cases.TniRequest(
        asked_at=datetime(2020, 12, 3, 9, tzinfo=UTC),
        asked_orally=True,
        addressed_to="Pemerintah",
        reason="x",
        area="y",
        days=3,
        logistics="z",
    )
    cases.tni_request_record(status, ask, actor=analyst)
    formation = taskforce.Formation(
        "Satgas PKS", "188.45/2/2020", date(2020, 12, 3), "status", "Matriks akses", date(2020, 12, 30)
    )
    made = taskforce.taskforce_form(formation, actor=analyst, conflict_status=status)
    taskforce.member_add(
        made,
        name="Ibu Aminah",
        position="Tokoh masyarakat",
        element="community",
        woman=True,
        joined_on=date(2020, 12, 3),
        actor=analyst,
    )


def _api_cells(matrix: Matrix, role: str, client: Client, user: Any) -> None:
    """The JSON API: staff lists only what the caller may see; receipts by guessing find nothing."""
    matrix.cells += 1
    matrix.by_action["api view"] += 1
    response = client.get("/api/v1/alerts?limit=500")
    cell = f"{role} GET /api/v1/alerts"
    if response.status_code >= 500:
        matrix.server_errors.append(cell)
    elif role in STAFF:
        visible = set(Alert.objects.visible_to(user).values_list("pk", flat=True))
        shown = {row["id"] for row in response.json()}
        if response.status_code != 200:
            matrix.refused_wrongly.append(cell)
        elif shown - visible:
            matrix.leaks.append(f"{cell} lists alerts outside the caller's scope: {sorted(shown - visible)[:5]}")
    elif response.status_code not in (401, 403):
        matrix.leaks.append(f"{cell} -> {response.status_code}")
    for guess in ("SGP-AAAA-AAAA", "SGP-0000-0001", "../../etc/passwd"):
        matrix.cells += 1
        matrix.by_action["api receipt guess"] += 1
        answer = client.get(f"/api/v1/receipts/{guess}")
        if answer.status_code >= 500:
            matrix.server_errors.append(f"{role} GET receipt {guess}")
        elif answer.status_code not in (404, 429):
            matrix.leaks.append(f"{role} GET receipt {guess} -> {answer.status_code}")


def test_every_route_has_a_policy():
    names = {name for name, _ in _routes()} - NOT_ROLE_ROUTES
    assert names - set(ROUTE_POLICY) == set(), "a new route needs its row in ROUTE_POLICY"
    assert set(ROUTE_POLICY) - names == set(), "a policy row for a route that no longer exists"


def test_access_matrix(world, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    matrix = Matrix()
    routes = [(n, p) for n, p in _routes() if n in ROUTE_POLICY]
    for role, user in world["users"].items():
        client = Client(raise_request_exception=False)
        if user.is_authenticated:
            client.force_login(user)
        samples = _samples(user)
        for name, pattern in routes:
            may_view, may_change = ROUTE_POLICY[name]
            # A read-only page answers a POST like a GET (nothing to change), so it is judged as a view.
            may_post = may_change or may_view
            for url, in_scope in _urls(name, pattern, samples):
                for action, method, allowed_roles in (("view", "get", may_view), ("change", "post", may_post)):
                    if name == "triage:report_reveal":
                        action = "reveal" if method == "post" else action
                    if name in ("dashboard:export", "sitrep:download", "coordination:plan_report_xlsx"):
                        action = "export" if method == "get" else action
                    response = getattr(client, method)(url, {"reason": "matrix check"} if method == "post" else None)
                    matrix.cells += 1
                    matrix.by_action[action] += 1
                    cell = f"{role} {method.upper()} {url}"
                    if response.status_code >= 500:
                        matrix.server_errors.append(cell)
                        continue
                    expected = role in allowed_roles and in_scope
                    if _denied(response):
                        if expected and method == "get":
                            matrix.refused_wrongly.append(cell)
                        continue
                    if not expected:
                        matrix.leaks.append(f"{cell} -> {response.status_code}")
                    if method == "get" and response.get("Content-Type", "").startswith("text/"):
                        raw = b"".join(response.streaming_content) if response.streaming else response.content
                        body = raw.decode(errors="replace")
                        matrix.identity_pages_scanned += 1
                        for identity in world["identities"]:
                            if identity in body:
                                matrix.leaks.append(f"{cell} shows a reporter identity ({identity})")
                    if action == "reveal":
                        matrix.reveals += 1
        _api_cells(matrix, role, client, user)
    matrix.reveals_audited = AuditLog.objects.filter(action="report.identity_revealed").count()
    figures = {
        "cells": matrix.cells,
        "by_action": dict(matrix.by_action),
        "roles": sorted(world["users"]),
        "routes": len(routes),
        "leaks": len(matrix.leaks),
        "leak_examples": matrix.leaks[:20],
        "refused_wrongly": len(matrix.refused_wrongly),
        "refused_wrongly_examples": matrix.refused_wrongly[:20],
        "server_errors": len(matrix.server_errors),
        "server_error_examples": matrix.server_errors[:20],
        "identity_pages_scanned": matrix.identity_pages_scanned,
        "identities_looked_for": len(world["identities"]),
        "reveals": matrix.reveals,
        "reveals_audited": matrix.reveals_audited,
    }
    if os.environ.get("SIGAP_EVIDENCE_OUT"):
        with open(os.environ["SIGAP_EVIDENCE_OUT"], "w") as out:
            json.dump(figures, out, indent=1)
    assert matrix.leaks == [] and matrix.server_errors == [], json.dumps(figures, indent=1)
    assert matrix.reveals_audited >= matrix.reveals > 0
    assert matrix.refused_wrongly == [], json.dumps(figures, indent=1)
