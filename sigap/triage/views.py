from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from sigap.actors.forms import LinkForm
from sigap.actors.models import IncidentActor
from sigap.core.documents import document_removable_by, documents_for_page, documents_of, uploaded_file
from sigap.core.forms import form_errors, id_param
from sigap.core.grading import Credibility, Reliability
from sigap.core.roles import ANALYST_ROLES, STAFF_ROLES, Role, require_role, role_of
from sigap.dashboard import exports
from sigap.intake.choices import MessageDirection
from sigap.intake.forms import MessageForm
from sigap.intake.identity import IdentityRequestError, identity_request
from sigap.intake.models import Attachment, IdentityRequest, Report, ReporterMessage, ResolutionAnswer
from sigap.intake.services import (
    IDENTITY_ROLES,
    IdentityAccessDenied,
    IdentityConsentNeeded,
    identity_custodians,
    report_identity_reveal,
)
from sigap.intake.tasks import imported_reports_triage
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.regions.selectors import region_at_point
from sigap.triage.choices import Category, IncidentStatus, Urgency
from sigap.triage.field_checks import FieldCheckAskError, checker_querysets, field_check_ask
from sigap.triage.forms import (
    FactsForm,
    FieldCheckForm,
    FollowUpForm,
    IncidentFilterForm,
    MergeForm,
    PlaceForm,
    RevealForm,
    TriageForm,
    VerifyForm,
)
from sigap.triage.models import Incident
from sigap.triage.resolution import ResolutionReviewError, resolution_uphold
from sigap.triage.selectors import incidents_matching
from sigap.triage.services import (
    FIELD_VERBS,
    INCIDENT_FACTS,
    REOPENED_TO,
    SET_ASIDE_AT_ONCE,
    IncidentRuleError,
    ReportAlreadyPlaced,
    incident_claim,
    incident_document_add,
    incident_document_remove,
    incident_field_note,
    incident_follow_up,
    incident_merge,
    incident_reopen,
    incident_unclaim,
    incident_update_facts,
    incident_update_triage,
    incident_verify,
    incidents_set_aside,
    report_place,
    report_split,
    reporter_message_answer,
)
from sigap.triage.states import TransitionError

FIELD_ROLES = {Role.ADMIN, Role.ANALYST, Role.RESPONDER, Role.MEDIATOR}  # who writes what was done on the ground
INCIDENTS_PER_PAGE = 50
MORE_FILTERS = ("area", "urgency", "since", "until", "group", "category")  # folded under "More filters"

SUGGESTION_NAMES = {
    "place": gettext_lazy("Place"),
    "text_model": gettext_lazy("Text model"),
    "category": gettext_lazy("Category"),
    "urgency": gettext_lazy("Urgency"),
    "merge": pgettext_lazy("triage suggestion", "Merge"),
}

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SuggestionLine:
    name: str
    value: str
    confidence: float | None
    reasons: list[str]


def suggestion_lines(triage: dict[str, Any]) -> list[SuggestionLine]:
    """The automatic triage stored with an incident, as an analyst reads it: names and labels instead of keys,
    codes and slugs."""
    places = {
        r.code: r for r in Region.objects.filter(code__in=[s.get("code") for s in triage.values()]).defer("boundary")
    }
    lines = []
    for key, suggestion in triage.items():
        value = suggestion.get("value")
        if "code" in suggestion:
            region = places.get(suggestion["code"])
            shown = f"{region.name} ({region.code})" if region else str(suggestion["code"])
        elif "incident" in suggestion:
            shown = f"#{suggestion['incident']}"
        elif key == "category" and value in Category.values:
            shown = str(Category(value).label)
        elif key == "urgency" and value in Urgency.values:
            shown = str(Urgency(value).label)
        elif isinstance(value, list):
            shown = ", ".join(str(v) for v in value)  # none: the reason says so
        else:
            shown = "\u2014" if value is None else str(value)
        name = str(SUGGESTION_NAMES.get(key, key))
        lines.append(SuggestionLine(name, shown, suggestion.get("confidence"), list(suggestion.get("reasons", []))))
    return lines


def _incident_for(request: HttpRequest, pk: int) -> Incident:
    return get_object_or_404(Incident.objects.visible_to(request.user).select_related("region__parent"), pk=pk)


def _report_in(request: HttpRequest, pk: int, report_pk: int) -> tuple[Incident, Report]:
    incident = _incident_for(request, pk)
    return incident, get_object_or_404(incident.reports, pk=report_pk)


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    """Every incident the reader may see, filtered and paged: the way back to an event once it has left a queue."""
    if role_of(request.user) is None:
        raise PermissionDenied
    form = IncidentFilterForm(request.GET or None, user=request.user)
    visible = Incident.objects.visible_to(request.user).select_related("region", "region__parent", "claimed_by")
    found = incidents_matching(visible, form.valid_data())
    page = Paginator(found, INCIDENTS_PER_PAGE).get_page(request.GET.get("page"))
    rest = request.GET.copy()
    rest.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": f"{rest.urlencode()}&" if rest else "",
        "now": timezone.now(),
        "filtered": bool(rest),
        "more_fields": MORE_FILTERS,
        # Ticks for a bulk "not a conflict" where an analyst sees new incidents on this page.
        "can_set_aside": role_of(request.user) in ANALYST_ROLES
        and any(i.status == IncidentStatus.NEW for i in page.object_list),
        "set_aside_at_once": SET_ASIDE_AT_ONCE,
        # Open when one of them is asked for, or is wrong (its error must show).
        "more_filters": sum(1 for name in MORE_FILTERS if request.GET.get(name) or form.errors.get(name)),
    }
    return render(request, "triage/incident_list.html", context)


@login_required
def incident_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The incident list's answer as a spreadsheet (CSV or XLSX, the dashboard's columns; no reporter, no point)."""
    if role_of(request.user) is None or fmt not in ("csv", "xlsx"):
        raise Http404
    filters = IncidentFilterForm(request.GET or None, user=request.user).valid_data()
    incidents = incidents_matching(Incident.objects.visible_to(request.user), filters)
    return exports.incidents_download(incidents, fmt, f"sigap-kejadian-{timezone.localdate():%Y%m%d}")


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident_for(request, pk)
    is_analyst = role_of(request.user) in ANALYST_ROLES
    reports = incident.reports.select_related("region", "submitted_by").prefetch_related("attachments", "messages")
    clarifications = list(incident.clarifications.all())
    context: dict[str, Any] = {
        "incident": incident,
        "reports": reports,
        "events": _timeline_for(request.user, incident),
        "suggestions": suggestion_lines(incident.triage or {}),
        "is_analyst": is_analyst,
        "writes_from_field": role_of(request.user) in FIELD_ROLES
        and incident.status in (IncidentStatus.NEW, IncidentStatus.VERIFIED),
        "field_settled": _field_settled(incident),
        "reopenable": [status.value for status in REOPENED_TO],
        "can_reveal": role_of(request.user) in IDENTITY_ROLES,
        "now": timezone.now(),
        "revealed": request.session.pop("sigap_revealed", None),
        "clarifications": clarifications,
        "documents": documents_for_page(incident, request.user),
        "keeps_documents": role_of(request.user) in FIELD_ROLES,
        "can_clarify": is_analyst
        and incident.status == IncidentStatus.HOAX
        and not any(c.in_force for c in clarifications),
    }
    if role_of(request.user) in STAFF_ROLES:
        actor_links = list(
            IncidentActor.objects.current().filter(incident=incident).select_related("actor", "linked_by")
        )
        context |= {"sees_actors": True, "actor_links": actor_links}
        if is_analyst:
            context["link_form"] = LinkForm(linked={link.actor_id for link in actor_links}, auto_id="link-%s")
    if is_analyst:
        context |= {
            # Several forms on one page: each its own id prefix, so that every label names its own field.
            "verify_form": VerifyForm(
                initial={"reliability": _best_reliability(reports), "credibility": Credibility.POSSIBLY_TRUE},
                auto_id="verify-%s",
            ),
            "triage_form": TriageForm(
                initial={"category": incident.category, "urgency": incident.urgency, "region": incident.region},
                auto_id="triage-%s",
            ),
            "merge_form": MergeForm(auto_id="merge-%s"),
            "facts_form": FactsForm(
                initial={name: getattr(incident, name) for name in INCIDENT_FACTS}, auto_id="facts-%s"
            ),
            "reveal_form": RevealForm(auto_id="reveal-%s"),
            "message_form": MessageForm(auto_id="message-%s"),
        }
    if context["can_reveal"] and identity_custodians():
        context["reports"] = _with_identity_asks(list(reports), request.user)
        context["custodians_named"] = True
    if role_of(request.user) in STAFF_ROLES and incident.status == IncidentStatus.RESOLVED:
        context["resolution_answers"] = list(
            ResolutionAnswer.objects.current()
            .filter(report__incident=incident)
            .select_related("report", "reviewed_by")
            .order_by("answered_at", "pk")
        )
    if role_of(request.user) in STAFF_ROLES:
        context["field_checks"] = list(
            incident.field_checks.select_related("reporter", "person", "asked_by").order_by("asked_at", "pk")
        )
        if is_analyst and incident.status in (IncidentStatus.NEW, IncidentStatus.VERIFIED):
            context["field_check_form"] = _field_check_form(incident)
    return render(request, "triage/incident_detail.html", context)


def _with_identity_asks(reports: list[Report], user: Any) -> list[Report]:
    """Each report with this reader's latest request to see its reporter's identity (`identity_ask`), and whether
    a custodian's consent is in force now (`identity_open`)."""
    asks: dict[int, IdentityRequest] = {}
    for ask in IdentityRequest.objects.filter(report__in=reports, requested_by=user).select_related("decided_by"):
        asks.setdefault(ask.report_id, ask)  # newest first (the model's ordering)
    now = timezone.now()
    for report in reports:
        latest = asks.get(report.pk)
        in_force = bool(latest and latest.granted and latest.valid_until and latest.valid_until > now)
        report.identity_ask, report.identity_open = latest, in_force  # type: ignore[attr-defined]
    return reports


def _field_check_form(incident: Incident, data: Any = None) -> FieldCheckForm:
    reporters, persons = checker_querysets(incident)
    return FieldCheckForm(data, reporters=reporters, persons=persons, auto_id="check-%s")


@login_required
@require_POST
def incident_field_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the kelurahan's monitors to check on the ground before deciding."""
    require_role(request.user, ANALYST_ROLES)
    incident = _incident_for(request, pk)
    form = _field_check_form(incident, request.POST)
    if not form.is_valid():
        messages.error(request, _("Not saved: %(why)s") % {"why": form_errors(form)})
        return redirect(f"{reverse('triage:incident_detail', args=[pk])}#cek-lapangan")
    data = form.cleaned_data
    try:
        checks = field_check_ask(
            incident=incident,
            question=data["question"],
            reporters=list(data["reporters"]),
            persons=list(data["persons"]),
            hours=data["hours"],
            actor=request.user,
        )
    except FieldCheckAskError as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    else:
        messages.success(
            request,
            ngettext(
                "Asked of %(n)d person; the answer comes onto this page.",
                "Asked of %(n)d people; their answers come onto this page.",
                len(checks),
            )
            % {"n": len(checks)},
        )
    return redirect(f"{reverse('triage:incident_detail', args=[pk])}#cek-lapangan")


# Timeline rows a trusted reporter does not read on their own incident's page: the groups the team linked (the
# registry is staff-only) and the titles of papers they cannot open.
STAFF_ONLY_VERBS = (
    "actor_linked",
    "actor_unlinked",
    "document_added",
    "document_removed",
    "field_check_asked",  # who in the kelurahan was asked to check, and what they found
    "field_check_answered",
    "reporter_settled",  # another reporter's word on the resolution
    "reporter_unsettled",
)


def _timeline_for(user: Any, incident: Incident) -> Any:
    events = incident.events.select_related("actor")
    if role_of(user) == Role.TRUSTED_REPORTER:
        events = events.exclude(verb__in=STAFF_ONLY_VERBS)
    return events


def _field_settled(incident: Incident) -> Any:
    """The latest word from the field when it is "settled on the ground" (a later note answers it)."""
    latest = incident.events.filter(verb__in=FIELD_VERBS).select_related("actor").order_by("at", "id").last()
    return latest if latest is not None and latest.verb == "field_settled" else None


def _best_reliability(reports: Any) -> str:
    grades = sorted(r.source_reliability for r in reports)
    return grades[0] if grades else Reliability.F


@login_required
@require_POST
def incident_decide(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    incident = _incident_for(request, pk)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The decision was not saved: %(errors)s") % {"errors": form_errors(form)})
        return redirect("triage:incident_detail", pk=pk)
    data = form.cleaned_data
    try:
        incident_verify(
            incident=incident,
            decision=IncidentStatus(data["decision"]),
            actor=request.user,
            reliability=Reliability(data["reliability"]),
            credibility=Credibility(data["credibility"]),
            corroboration=data["corroboration"],
            note=data["note"],
        )
    except TransitionError:
        messages.error(request, _("This incident was already decided; reopen it first."))
        return redirect("triage:incident_detail", pk=pk)
    messages.success(request, _("Decision saved."))
    return redirect("home:home")


@login_required
@require_POST
def incident_claim_view(request: HttpRequest, pk: int) -> HttpResponse:
    """ "I am checking this one" (or "let go of it") from the incident page."""
    require_role(request.user, ANALYST_ROLES)
    incident = _incident_for(request, pk)
    try:
        if request.POST.get("action") == "release":
            incident_unclaim(incident=incident, actor=request.user)
            messages.success(request, _("Back in the queue for anyone to take."))
        else:
            incident_claim(incident=incident, actor=request.user)
            messages.success(request, _("The queue shows that you are checking this incident."))
    except IncidentRuleError as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    return redirect("triage:incident_detail", pk=pk)


@login_required
@require_POST
def incidents_set_aside_view(request: HttpRequest) -> HttpResponse:
    """The ticked incidents of the queue or the list, decided "not a social conflict" with one reason."""
    require_role(request.user, ANALYST_ROLES)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith("/"):
        back = reverse("home:home")
    wanted = [int(v) for v in request.POST.getlist("incident") if v.isdigit() and len(v) < 19]
    if not wanted:
        messages.error(request, _("Tick the incidents to decide first."))
        return redirect(back)
    if len(set(wanted)) > SET_ASIDE_AT_ONCE:
        messages.error(request, _("At most %(n)d incidents at once.") % {"n": SET_ASIDE_AT_ONCE})
        return redirect(back)
    found = {i.pk: i for i in Incident.objects.visible_to(request.user).filter(pk__in=wanted)}
    try:
        outcome = incidents_set_aside(
            incidents=[found[pk] for pk in dict.fromkeys(wanted) if pk in found],
            actor=request.user,
            reason=request.POST.get("reason", "")[:500],
            to_reporters=request.POST.get("to_reporters", "")[:500],
        )
    except IncidentRuleError as exc:
        messages.error(request, _("Nothing was decided: %(why)s") % {"why": exc})
        return redirect(back)
    if outcome.decided:
        messages.success(
            request,
            ngettext(
                "%(n)d incident decided not a social conflict; its reporters are told.",
                "%(n)d incidents decided not a social conflict; their reporters are told.",
                len(outcome.decided),
            )
            % {"n": len(outcome.decided)},
        )
    untouched = [i.pk for i in outcome.left] + [pk for pk in dict.fromkeys(wanted) if pk not in found]
    if untouched:
        messages.warning(
            request,
            _("Not changed (already decided, being checked by a colleague, or not found): %(which)s")
            % {"which": ", ".join(f"#{pk}" for pk in untouched)},
        )
    return redirect(back)


@login_required
@require_POST
def incident_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    incident = _incident_for(request, pk)
    try:
        incident_reopen(incident=incident, actor=request.user, reason=request.POST.get("reason", "")[:2000])
        messages.success(request, _("Incident reopened."))
    except IncidentRuleError as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    return redirect("triage:incident_detail", pk=pk)


@login_required
@require_POST
def resolution_uphold_view(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    """A reporter said the problem is not settled; the analyst keeps the incident resolved and tells them why."""
    require_role(request.user, ANALYST_ROLES)
    incident = _incident_for(request, pk)
    answer = get_object_or_404(ResolutionAnswer, pk=answer_pk, report__incident=incident)
    try:
        resolution_uphold(answer=answer, actor=request.user, message=request.POST.get("message", "")[:4000])
    except ResolutionReviewError as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    else:
        messages.success(request, _("The incident stays resolved; the reporter reads why."))
    return redirect(f"{reverse('triage:incident_detail', args=[pk])}#kata-pelapor")


@login_required
@require_POST
def incident_field_note_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, FIELD_ROLES)
    incident = _incident_for(request, pk)
    settled = request.POST.get("settled") == "on"
    try:
        incident_field_note(
            incident=incident, actor=request.user, note=request.POST.get("note", "")[:2000], settled=settled
        )
        messages.success(
            request,
            _("Written on the timeline; the secretariat is asked to resolve the incident.")
            if settled
            else _("Written on the timeline."),
        )
    except IncidentRuleError as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    return redirect("triage:incident_detail", pk=pk)


@login_required
@require_POST
def incident_document_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Those who write from the field (and the secretariat) keep a paper or photo with any incident they see."""
    require_role(request.user, FIELD_ROLES)
    incident = _incident_for(request, pk)
    title, data = request.POST.get("title", ""), uploaded_file(request)
    try:
        incident_document_add(incident=incident, title=title, data=data, actor=request.user)
        messages.success(request, _("Document added."))
    except IncidentRuleError as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    return redirect(f"{reverse('triage:incident_detail', args=[pk])}#dokumen")


@login_required
@require_POST
def incident_document_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, FIELD_ROLES)
    incident = _incident_for(request, pk)
    document = get_object_or_404(documents_of(incident).filter(removed_at=None), pk=id_param(request.POST, "document"))
    if not document_removable_by(document, request.user):
        raise PermissionDenied
    try:
        incident_document_remove(
            incident=incident, document=document, actor=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("The document's file was removed; the page keeps who removed it and why."))
    except IncidentRuleError as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    return redirect(f"{reverse('triage:incident_detail', args=[pk])}#dokumen")


@login_required
@require_POST
def incident_follow_up_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    incident = _incident_for(request, pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not saved: %(why)s") % {"why": form_errors(form)})
        return redirect("triage:incident_detail", pk=pk)
    try:
        incident_follow_up(
            incident=incident, actor=request.user, on=form.cleaned_data["on"], note=form.cleaned_data["note"]
        )
        messages.success(request, _("Scheduled: you will be reminded on that day."))
    except IncidentRuleError as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    return redirect("triage:incident_detail", pk=pk)


@login_required
@require_POST
def incident_retriage(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    incident = _incident_for(request, pk)
    form = TriageForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        incident_update_triage(
            incident=incident,
            actor=request.user,
            reason=data["reason"],
            category=Category(data["category"]),
            urgency=Urgency(data["urgency"]),
            region=data["region"],
        )
        messages.success(request, _("Triage updated."))
    else:
        messages.error(request, _("Triage not changed: %(errors)s") % {"errors": form_errors(form)})
    return redirect("triage:incident_detail", pk=pk)


@login_required
@require_POST
def incident_facts(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    incident = _incident_for(request, pk)
    form = FactsForm(request.POST)
    if form.is_valid():
        facts = {name: form.cleaned_data[name] for name in INCIDENT_FACTS}
        incident_update_facts(incident=incident, actor=request.user, reason=form.cleaned_data["reason"], **facts)
        messages.success(request, _("Facts of the event updated."))
    else:
        messages.error(request, _("Facts not changed: %(errors)s") % {"errors": form_errors(form)})
    return redirect("triage:incident_detail", pk=pk)


@login_required
@require_POST
def incident_merge_into(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    source = _incident_for(request, pk)
    form = MergeForm(request.POST)
    target = None
    if form.is_valid():
        target = Incident.objects.visible_to(request.user).filter(pk=form.cleaned_data["target"]).first()
    if target is None or target.pk == source.pk:
        messages.error(request, _("Choose another existing incident number to merge into."))
        return redirect("triage:incident_detail", pk=pk)
    try:
        incident_merge(source=source, target=target, actor=request.user)
    except TransitionError:
        messages.error(request, _("A closed incident cannot be merged; reopen it first."))
        return redirect("triage:incident_detail", pk=pk)
    messages.success(request, _("Merged into incident #%(n)d.") % {"n": target.pk})
    return redirect("triage:incident_detail", pk=target.pk)


@login_required
@require_POST
def report_split_out(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    _incident, report = _report_in(request, pk, report_pk)
    try:
        new = report_split(report=report, actor=request.user)
    except ValueError:
        messages.error(request, _("The only report of an incident cannot be split off."))
        return redirect("triage:incident_detail", pk=pk)
    messages.success(request, _("The report now has its own incident #%(n)d.") % {"n": new.pk})
    return redirect("triage:incident_detail", pk=new.pk)


@login_required
@require_POST
def report_reveal(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    incident, report = _report_in(request, pk, report_pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A reason is required; it is kept in the audit log."))
        return redirect("triage:incident_detail", pk=pk)
    try:
        identity = report_identity_reveal(report=report, user=request.user, reason=form.cleaned_data["reason"])
    except IdentityAccessDenied:
        raise PermissionDenied from None  # the refusal itself is in the audit log
    except IdentityConsentNeeded:  # custodians are named: the reason goes to them
        try:
            identity_request(report=report, user=request.user, reason=form.cleaned_data["reason"])
        except IdentityRequestError as exc:
            messages.error(request, _("Not sent: %(why)s") % {"why": exc})
        else:
            messages.success(
                request, _("An identity custodian is asked; you are told of the decision, and then see it here.")
            )
        return redirect(f"{reverse('triage:incident_detail', args=[pk])}#laporan-{report.pk}")
    # Shown once on the next page; never stored in plain text.
    request.session["sigap_revealed"] = {"report": report.pk, "name": identity.name, "contact": identity.contact}
    return redirect("triage:incident_detail", pk=pk)


@login_required
@require_POST
def report_reply(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    require_role(request.user, ANALYST_ROLES)
    incident, report = _report_in(request, pk, report_pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        reporter_message_answer(report=report, body=form.cleaned_data["body"], author=request.user)
        sent = _("Message sent; the reporter reads it with the receipt, and by SMS or e-mail if they left a contact.")
        messages.success(request, sent)
    else:
        messages.error(request, _("The message is empty."))
    return redirect("triage:incident_detail", pk=pk)


@login_required
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("report"), pk=pk)
    if not Report.objects.visible_to(request.user).filter(pk=attachment.report_id).exists():
        raise Http404
    try:
        content = attachment.file.open("rb")
    except FileNotFoundError:  # a server restored without its files backup (sigap backup --restore)
        logger.error("photo %s of report %s is missing from MEDIA_ROOT", attachment.file.name, attachment.report_id)
        raise Http404 from None
    response = FileResponse(content, content_type=attachment.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


REPORTS_PER_PAGE = 30


@login_required
def reports_unplaced(request: HttpRequest) -> HttpResponse:
    """Reports in no incident yet: triage found no kelurahan (none chosen, none in the words), or an imported log's
    triage is still running. The analyst places each; it is then merged or opens an incident as on arrival."""
    require_role(request.user, ANALYST_ROLES)
    waiting = Report.objects.visible_to(request.user).filter(incident=None).order_by("received_at", "id")
    untriaged = waiting.filter(triage={})
    if request.method == "POST" and request.POST.get("action") == "triage":
        _triage_again(request, untriaged)
        return redirect(request.path)
    if request.method == "POST":
        _place(request, waiting)
        return redirect(f"{request.path}?page={id_param(request.POST, 'page') or 1}")
    page = Paginator(waiting.select_related("region").prefetch_related("messages"), REPORTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = []
    for report in page:
        near = _pin_kecamatan(report)
        rows.append((report, suggestion_lines(report.triage), _place_form(report, near), near))
    context = {"page": page, "rows": rows, "untriaged": untriaged.count()}
    return render(request, "triage/unplaced.html", context)


def _triage_again(request: HttpRequest, untriaged: Any) -> None:
    """An import's triage that stopped (a worker restarted on other code, a crash) runs again for all of them."""
    ids = list(untriaged.values_list("pk", flat=True))
    if ids:
        imported_reports_triage.enqueue(ids)
    messages.success(request, _("Automatic triage started for %(n)d reports.") % {"n": len(ids)})


def _place(request: HttpRequest, waiting: Any) -> None:
    form = PlaceForm(request.POST)
    report = waiting.filter(pk=form.cleaned_data["report"]).first() if form.is_valid() else None
    try:
        if report is None:
            raise ReportAlreadyPlaced
        incident = report_place(report=report, region=form.cleaned_data["region"], actor=request.user)
    except ReportAlreadyPlaced:
        messages.error(request, _("Not placed: %(why)s") % {"why": form_errors(form) or _("already placed")})
        return
    messages.success(
        request,
        _("Report %(receipt)s placed in %(place)s: incident #%(number)d.")
        % {"receipt": report.receipt, "place": report.region, "number": incident.pk},
    )


def _pin_kecamatan(report: Report) -> Region | None:
    """The kecamatan of the deployment the report's pin lies in, when no desa of it has a shape to place it by
    (outside Kota Pasuruan Sigap ships kecamatan boundaries of Jawa Timur only)."""
    if report.region_id is not None or report.latitude is None or report.longitude is None:
        return None
    kecamatan = region_at_point(
        lat=report.latitude, lng=report.longitude, level=Level.KECAMATAN, within=settings.SIGAP_DEPLOYMENT_REGION
    )
    if kecamatan is None or kecamatan.children.with_boundary().exists():
        return None  # outside the deployment, or between the shapes of its kelurahan: nothing to say of the pin
    return kecamatan


def _place_form(report: Report, near: Region | None = None) -> PlaceForm:
    """One form per report (its own element ids); the kelurahan already known (an imported row's) chosen."""
    return PlaceForm(
        initial={"report": report.pk, "region": report.region_id}, auto_id=f"place-{report.pk}-%s", near=near
    )


@login_required
def reporter_messages(request: HttpRequest) -> HttpResponse:
    """Reporters who wrote through their receipt after a person's last answer, longest waiting first, with what they
    wrote; the answer is written on the report's incident (or after placing it)."""
    require_role(request.user, ANALYST_ROLES)
    waiting = (
        Report.objects.visible_to(request.user)
        .awaiting_answer()
        .select_related("incident", "region")
        .order_by("last_from_reporter", "id")
    )
    page = Paginator(waiting, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    latest = {
        m.report_id: m
        for m in ReporterMessage.objects.filter(
            report__in=list(page), direction=MessageDirection.FROM_REPORTER
        ).order_by("report_id", "at", "id")
    }
    rows = [(report, latest.get(report.pk)) for report in page]
    return render(request, "triage/reporter_messages.html", {"page": page, "rows": rows})
