from __future__ import annotations

import re
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from sigap.core.crypto import UnreadableSecret, contact_digest, seal_bytes, unseal_bytes
from sigap.core.forms import form_errors, id_param
from sigap.core.grading import Reliability
from sigap.core.ratelimit import over_hourly_limit
from sigap.core.roles import Role, role_of
from sigap.intake.choices import Channel
from sigap.intake.commands import by_text_for
from sigap.intake.field_checks import FieldCheckError, field_check_answer
from sigap.intake.forms import (
    FieldAnswerForm,
    ImportForm,
    MessageForm,
    MonitorCheckForm,
    PublicReportForm,
    ReceiptForm,
    ReportForm,
    ResendForm,
    ResolutionAnswerForm,
)
from sigap.intake.identity import IdentityRequestError, identity_request_decide
from sigap.intake.importer import ImportFileError, ImportPlan, import_plan_of, import_store
from sigap.intake.models import FieldCheck, IdentityRequest, MonitorCheck, Report
from sigap.intake.resolution import (
    ResolutionAnswerRefused,
    resolution_answer_current,
    resolution_answer_give,
    resolution_asked,
)
from sigap.intake.services import (
    MonitorCheckRefused,
    NilReportRefused,
    ReportDraft,
    monitor_check_send,
    nil_report_send,
    public_text_number,
    report_receive,
    reporter_message_receive,
)
from sigap.intake.tasks import imported_reports_triage, phones_reachable, reach_by, receipts_resend

SESSION_RECEIPTS = "sigap_receipts"  # receipts this browser may see; kept out of URLs and access logs


def _remember_receipt(request: HttpRequest, receipt: str) -> None:
    known = [r for r in request.session.get(SESSION_RECEIPTS, []) if r != receipt]
    request.session[SESSION_RECEIPTS] = [receipt, *known][:10]


def _draft(form: ReportForm, channel: Channel, **extra: Any) -> ReportDraft:
    data = form.cleaned_data
    raw = {k: v for k, v in form.data.items() if k not in {"csrfmiddlewaretoken", "website"}}
    return ReportDraft(
        channel=channel,
        description=data["description"],
        region=data.get("kelurahan"),
        location_text=data.get("location_text", ""),
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        occurred_at=data.get("occurred_at"),
        groups_involved=data.get("groups_involved", ""),
        crowd_size=data.get("crowd_size", ""),
        weapons_seen=data.get("weapons_seen", False),
        mass_mobilisation=data.get("mass_mobilisation", False),
        online_provocation=data.get("online_provocation", False),
        photos=data.get("photos") or [],
        raw=raw,
        **extra,
    )


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """The public form: no login, anonymous by default, a receipt at the end."""
    form = PublicReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if over_hourly_limit(request, "report-web", settings.SIGAP_ANON_REPORTS_PER_HOUR):
            messages.error(
                request,
                _(
                    "Too many reports from this connection. Please wait an hour, or call the "
                    "Bakesbangpol office if it is urgent."
                ),
            )
            return render(
                request, "intake/report_form.html", {"form": form, "sms_number": public_text_number()}, status=429
            )
        if form.is_valid():
            data = form.cleaned_data
            draft = _draft(
                form,
                Channel.WEB,
                reporter_name=data["reporter_name"],
                reporter_contact=data["reporter_contact"],
                anonymous=data["anonymous"],
            )
            report, _created = report_receive(draft)
            _remember_receipt(request, report.receipt)
            request.session["sigap_new_receipt"] = report.receipt
            return redirect("intake:report_done")
    return render(
        request,
        "intake/report_form.html",
        {"form": form, "sms_number": public_text_number()},
        status=400 if form.errors else 200,
    )


def report_done(request: HttpRequest) -> HttpResponse:
    receipt = request.session.pop("sigap_new_receipt", None)
    if receipt is None:
        return redirect("intake:receipt_check")
    return render(request, "intake/report_done.html", {"receipt": receipt})


@login_required
@require_http_methods(["GET", "POST"])
def trusted_report_new(request: HttpRequest) -> HttpResponse:
    """Trusted reporters (tokoh, RT/RW, Babinsa, Bhabinkamtibmas): their area filled in, their standing kept."""
    if role_of(request.user) not in {Role.TRUSTED_REPORTER, Role.ADMIN, Role.ANALYST}:
        raise PermissionDenied
    area = getattr(request.user, "area", None)
    form = ReportForm(request.POST or None, request.FILES or None, initial={"kelurahan": area})
    if request.method == "POST" and form.is_valid():
        report, _created = report_receive(_draft(form, Channel.TRUSTED, submitted_by=request.user, anonymous=True))
        # "report-sent" tells the page's script that the draft kept in this tab was delivered.
        messages.success(
            request, _("Report sent. Receipt: %(receipt)s") % {"receipt": report.receipt}, extra_tags="report-sent"
        )
        return redirect("home:home")
    return render(
        request,
        "intake/report_form.html",
        {"form": form, "area": area, "trusted": True},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def receipt_check(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST or None)
    if request.method == "POST":
        if over_hourly_limit(request, "receipt-check", 30):
            messages.error(request, _("Too many attempts from this connection. Please wait an hour."))
            return render(request, "intake/receipt_check.html", {"form": form}, status=429)
        if form.is_valid():
            receipt = form.cleaned_data["receipt"]
            if Report.objects.filter(receipt=receipt).exists():
                _remember_receipt(request, receipt)
                return redirect("intake:receipt_status")
            form.add_error("receipt", _("No report has this receipt code. Check the letters and try again."))
    return render(request, "intake/receipt_check.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def receipt_status(request: HttpRequest) -> HttpResponse:
    """What the reporter may see: status and the conversation. Never staff notes, never identities."""
    receipts = request.session.get(SESSION_RECEIPTS, [])
    if not receipts:
        return redirect("intake:receipt_check")
    wanted = request.POST.get("receipt") or request.GET.get("r") or receipts[0]
    if wanted not in receipts:
        wanted = receipts[0]
    report = Report.objects.select_related("incident", "region").get(receipt=wanted)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reporter_message_receive(report=report, body=form.cleaned_data["body"])
        messages.success(request, _("Message sent to the team."), extra_tags="report-sent")
        return redirect(f"{request.path}?r={report.receipt}")
    return render(
        request,
        "intake/receipt_status.html",
        {
            "report": report,
            "form": form,
            "receipts": receipts,
            "conversation": report.messages.all(),
            "status": report.public_status,
            "resolution_form": ResolutionAnswerForm(auto_id="resolution-%s") if resolution_asked(report) else None,
            "resolution_answer": resolution_answer_current(report),
            "resolution_days": settings.SIGAP_RESOLUTION_ANSWER_DAYS,
        },
    )


@require_http_methods(["POST"])
def resolution_answer(request: HttpRequest) -> HttpResponse:
    """The reporter's word on the team's resolution, from the receipt page (a receipt this browser opened, or a
    trusted reporter's own report opened from their home)."""
    receipt = request.POST.get("receipt", "")
    if receipt not in request.session.get(SESSION_RECEIPTS, []):
        return redirect("intake:receipt_check")
    report = Report.objects.select_related("incident").get(receipt=receipt)
    back = f"{reverse('intake:receipt_status')}?r={report.receipt}"
    form = ResolutionAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not saved: %(why)s") % {"why": form_errors(form)})
        return redirect(back)
    try:
        answer = resolution_answer_give(
            report=report, settled=form.cleaned_data["settled"], note=form.cleaned_data["note"], actor=request.user
        )
    except ResolutionAnswerRefused as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": exc})
        return redirect(back)
    if answer.settled:
        messages.success(request, _("Thank you for telling us."))
    else:
        messages.success(request, _("Thank you: the team is told the problem is not settled, and answers you here."))
    return redirect(back)


@login_required
@require_http_methods(["POST"])
def nil_report(request: HttpRequest) -> HttpResponse:
    """Laporan nihil from the trusted reporter's home: nothing happened in their kelurahan today."""
    try:
        nil = nil_report_send(user=request.user)
    except NilReportRefused:
        raise PermissionDenied from None
    messages.success(request, _("Thank you: the nil report for %(area)s is recorded.") % {"area": nil.region.name})
    return redirect("home:home")


@login_required
@require_http_methods(["POST"])
def field_check_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """A trusted reporter's answer to the team's field check, from their home page."""
    if role_of(request.user) != Role.TRUSTED_REPORTER:
        raise PermissionDenied
    check = get_object_or_404(FieldCheck, pk=pk, reporter_id=request.user.pk)
    form = FieldAnswerForm(request.POST, prefix=f"check{check.pk}")
    if not form.is_valid():
        messages.error(request, _("Not saved: %(why)s") % {"why": form_errors(form)})
        return redirect(f"{reverse('home:home')}#cek-lapangan")
    try:
        field_check_answer(
            check=check,
            answer=form.cleaned_data["answer"],
            note=form.cleaned_data["note"],
            via="web",
            actor=request.user,
        )
    except FieldCheckError as exc:
        messages.error(request, _("Not saved: %(why)s") % {"why": exc})
    else:
        messages.success(request, _("Thank you: the team has your answer."))
    return redirect(f"{reverse('home:home')}#cek-lapangan")


@login_required
@require_http_methods(["GET", "POST"])
def monitor_check(request: HttpRequest) -> HttpResponse:
    """A trusted reporter's checklist for their kelurahan (pantauan kondisi wilayah): warning and peace signs."""
    user: Any = request.user
    if role_of(user) != Role.TRUSTED_REPORTER or not user.area_id:
        raise PermissionDenied
    today = MonitorCheck.objects.filter(reporter=user, day=timezone.localdate()).first()
    if request.method == "POST":
        form = MonitorCheckForm(request.POST)
        if form.is_valid():
            try:
                check = monitor_check_send(user=user, **form.cleaned_data)
            except MonitorCheckRefused as exc:  # the form checks the same; a race with a changed list lands here
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    ngettext(
                        "Thank you: the checklist for %(area)s is recorded, with %(n)d warning sign.",
                        "Thank you: the checklist for %(area)s is recorded, with %(n)d warning signs.",
                        len(check.signs),
                    )
                    % {"area": check.region.name, "n": len(check.signs)},
                )
                return redirect("home:home")
    else:
        initial = {"signs": today.signs, "peace": today.peace, "note": today.note} if today else {}
        form = MonitorCheckForm(initial=initial)
    return render(
        request,
        "intake/monitor_check.html",
        {"form": form, "area": user.area, "today": today, "by_text": by_text_for(user)},
    )


@login_required
@require_http_methods(["GET"])
def my_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A trusted reporter opens one of their reports from their home: its receipt page (status and the conversation
    with the team) without typing the code, which stays out of the address as on the public path."""
    if role_of(request.user) != Role.TRUSTED_REPORTER:
        raise PermissionDenied
    report = get_object_or_404(Report.objects.filter(submitted_by_id=request.user.pk), pk=pk)
    _remember_receipt(request, report.receipt)
    return redirect("intake:receipt_status")


@require_http_methods(["GET", "POST"])
def receipt_resend(request: HttpRequest) -> HttpResponse:
    """A lost receipt: sent again to the contact left with the report. The answer never says whether it exists."""
    form = ResendForm(request.POST or None)
    if request.method == "POST":
        if over_hourly_limit(request, "receipt-resend", 5):
            messages.error(request, _("Too many attempts from this connection. Please wait an hour."))
            return render(request, "intake/receipt_resend.html", {"form": form}, status=429)
        if form.is_valid() and not reach_by(form.cleaned_data["contact"]):
            # Said whoever asks, so it tells nothing about which numbers left reports.
            messages.error(
                request, _("This server cannot send text messages: receipt codes go only to an e-mail address.")
            )
            context = {"form": form, "phones_reachable": False}
            return render(request, "intake/receipt_resend.html", context, status=400)
        if form.is_valid():
            digest = contact_digest(form.cleaned_data["contact"])
            if Report.objects.filter(contact_digest=digest).exists():
                receipts_resend.enqueue(digest)
            messages.success(
                request, _("If this contact was given with a report, its receipt codes are on their way to it.")
            )
            return redirect("intake:receipt_check")
    context = {"form": form, "phones_reachable": phones_reachable()}
    return render(request, "intake/receipt_resend.html", context, status=400 if form.errors else 200)


# ---- A paper log uploaded by an analyst: preview first, then all rows or none ------------------------------------

IMPORT_SALT = "sigap.intake.import"
IMPORT_KEPT_SECONDS = 3600  # an upload waits this long for its confirmation
WEB_IMPORT_MAX_ROWS = 2000  # larger logs go through `sigap reports import`, with its progress bar
KEPT_NAME = re.compile(r"^[0-9a-f]{32}\.(csv|xlsx)$")
PREVIEW_GOOD_ROWS = 50


def _imports_folder() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _keep_upload(data: bytes, suffix: str) -> Path:
    """A previewed log, kept until the analyst confirms: the import reads these bytes again rather than trusting
    the preview. Encrypted with the identities' key, since a log names reporters and their contacts; an upload
    never confirmed is removed once its confirmation has expired."""
    folder = _imports_folder()
    expired = time.time() - IMPORT_KEPT_SECONDS
    for old in folder.iterdir():
        if old.stat().st_mtime < expired:
            old.unlink(missing_ok=True)
    path = folder / f"{secrets.token_hex(16)}{suffix}"
    path.write_bytes(seal_bytes(data))
    return path


def _preview_rows(plan: ImportPlan) -> list[dict[str, Any]]:
    """Every row with an error and the first good ones, in file order; contacts stay off the page."""
    shown, good = [], 0
    for row in plan.rows:
        if not row.errors:
            good += 1
            if good > PREVIEW_GOOD_ROWS:
                continue
        draft = row.draft
        shown.append(
            {
                "number": row.number,
                "place": draft.region.name if draft and draft.region else str(row.values.get("kelurahan") or ""),
                "when": draft.occurred_at if draft else row.values.get("occurred_at"),
                "description": str(row.values.get("description") or ""),
                "identity": bool(draft and not draft.anonymous),
                "errors": row.errors,
            }
        )
    return shown


@login_required
@require_http_methods(["GET", "POST"])
def report_import(request: HttpRequest) -> HttpResponse:
    """A kelurahan's paper log (CSV/XLSX) for analysts: every row checked and shown first; confirmed, all rows
    are imported in one transaction or none, and imported twice adds nothing."""
    if role_of(request.user) not in {Role.ADMIN, Role.ANALYST}:
        raise PermissionDenied
    if request.method == "POST" and "confirm" in request.POST:
        return _import_confirmed(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "max_rows": WEB_IMPORT_MAX_ROWS}
    if request.method == "POST" and form.is_valid():
        log, reliability = form.cleaned_data["log"], Reliability(form.cleaned_data["reliability"])
        data, suffix = b"".join(log.chunks()), Path(log.name or "").suffix.lower()
        try:
            plan = import_plan_of(data, suffix, reliability=reliability)
            if len(plan.rows) > WEB_IMPORT_MAX_ROWS:
                raise ImportFileError(
                    _("More than %(n)d rows: split the file, or ask the administrator to run `sigap reports import`.")
                    % {"n": WEB_IMPORT_MAX_ROWS}
                )
        except ImportFileError as exc:
            form.add_error("log", str(exc))
        else:
            # A log with a bad row is not kept: nothing can be imported from it until it is fixed and sent again.
            token = "" if plan.errors else _import_token(request, _keep_upload(data, suffix), log.name, reliability)
            context |= {"plan": plan, "rows": _preview_rows(plan), "file_name": log.name, "token": token}
    return render(request, "intake/import.html", context, status=400 if form.errors else 200)


def _import_token(request: HttpRequest, path: Path, name: str | None, reliability: Reliability) -> str:
    """The confirmation names the kept file, its uploader and the chosen reliability, signed: the form can only
    confirm an upload of this analyst's own, within the hour."""
    data = {"file": path.name, "user": request.user.pk, "name": (name or "")[:200], "reliability": reliability.value}
    return signing.dumps(data, salt=IMPORT_SALT)


def _import_confirmed(request: HttpRequest) -> HttpResponse:
    try:
        data = signing.loads(request.POST.get("confirm", ""), salt=IMPORT_SALT, max_age=IMPORT_KEPT_SECONDS)
    except signing.BadSignature:
        data = None
    path = _imports_folder() / str(data["file"]) if data and KEPT_NAME.match(str(data["file"])) else None
    if data is None or data.get("user") != request.user.pk or path is None or not path.exists():
        messages.error(request, _("This preview has expired or was already imported: upload the file again."))
        return redirect("intake:report_import")
    try:
        kept = unseal_bytes(path.read_bytes())
        plan = import_plan_of(kept, path.suffix, reliability=Reliability(data["reliability"]))
        stored, created, existing = import_store(plan, actor=request.user, source=str(data["name"]))
    except (ImportFileError, UnreadableSecret) as exc:  # a key rotated away within the hour: upload again
        messages.error(request, _("Nothing imported: %(why)s") % {"why": exc})
        return redirect("intake:report_import")
    finally:
        path.unlink(missing_ok=True)
    # Triage (about 6 ms a report) goes on in the worker: the page answers once the rows are stored.
    imported_reports_triage.enqueue([report.pk for report in stored])
    messages.success(
        request,
        _(
            "Imported %(created)d new reports from %(name)s; %(existing)d were already there. They are being placed "
            "and merged now and join the queue within a minute."
        )
        % {"created": created, "name": data["name"], "existing": existing},
    )
    return redirect("home:home")


@login_required
@require_http_methods(["GET", "POST"])
def identity_requests(request: HttpRequest) -> HttpResponse:
    """An identity custodian's page: analysts' requests to see a reporter's name and contact, with their reasons, to
    consent to or refuse; and the last decisions."""
    if not getattr(request.user, "identity_custodian", False):
        raise PermissionDenied
    if request.method == "POST":
        asked = get_object_or_404(IdentityRequest, pk=id_param(request.POST, "request"))
        try:
            identity_request_decide(
                request=asked,
                custodian=request.user,
                grant=request.POST.get("decision") == "grant",
                note=request.POST.get("note", ""),
            )
        except IdentityRequestError as exc:
            messages.error(request, _("Not saved: %(why)s") % {"why": exc})
        else:
            messages.success(request, _("Decided; the analyst is told."))
        return redirect("intake:identity_requests")
    requests = IdentityRequest.objects.select_related("report__incident__region", "requested_by", "decided_by")
    context = {
        "waiting": list(requests.filter(decided_at=None).order_by("requested_at", "pk")),
        "decided": list(requests.exclude(decided_at=None).order_by("-decided_at", "-pk")[:30]),
    }
    return render(request, "intake/identity_requests.html", context)
