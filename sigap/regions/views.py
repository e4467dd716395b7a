"""The administrator's upload of the deployment's own desa boundaries: the same checks as `sigap regions
boundaries`, a preview, then a confirmation that stores them all or none."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sigap.core.roles import Role, require_role
from sigap.regions.boundaries import BoundaryFileError, boundaries_commit, boundary_plan
from sigap.regions.selectors import desa_without_shape

SALT = "sigap.regions.boundaries"
KEPT_SECONDS = 3600  # a preview may be confirmed within the hour; the file is then removed
KEPT_NAME = re.compile(r"^[0-9a-f]{32}\.geojson(\.gz)?$")
WEB_MAX_BYTES = 60 * 1024 * 1024  # a kabupaten's desa from BIG, simplified or gzipped; larger through the command
SHOWN_ROWS = 200


class BoundaryUploadForm(forms.Form):
    geojson = forms.FileField(
        label=gettext_lazy("GeoJSON file (.geojson or .geojson.gz)"),
        help_text=gettext_lazy(
            "WGS 84 longitude/latitude, one feature per desa with its Kemendagri code in a property (kode, KDEPUM)."
        ),
    )
    simplify = forms.FloatField(
        label=gettext_lazy("Simplify to (metres; 0 keeps the shapes as given)"), min_value=0, max_value=100, initial=10
    )

    def clean_geojson(self) -> Any:
        upload = self.cleaned_data["geojson"]
        name = (upload.name or "").lower()
        if not name.endswith((".geojson", ".json", ".geojson.gz", ".json.gz")):
            raise forms.ValidationError(_("Choose a .geojson or .geojson.gz file."))
        if upload.size > WEB_MAX_BYTES:
            raise forms.ValidationError(
                _("Larger than %(mb)d MB: gzip it, or run `sigap regions boundaries` on the server.")
                % {"mb": WEB_MAX_BYTES // 2**20}
            )
        return upload


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "boundary-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _keep(upload: Any) -> Path:
    """The previewed file, kept until it is confirmed: the confirmation reads it again rather than trusting the
    preview. Files older than the hour a preview lives are removed."""
    folder = _folder()
    expired = time.time() - KEPT_SECONDS
    for old in folder.iterdir():
        if old.stat().st_mtime < expired:
            old.unlink(missing_ok=True)
    suffix = ".geojson.gz" if (upload.name or "").lower().endswith(".gz") else ".geojson"
    path = folder / f"{secrets.token_hex(16)}{suffix}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


@login_required
def boundaries_upload(request: HttpRequest) -> HttpResponse:
    require_role(request.user, {Role.ADMIN})
    if request.method == "POST" and "confirm" in request.POST:
        return _confirmed(request)
    form = BoundaryUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "without_shape": desa_without_shape(str(settings.SIGAP_DEPLOYMENT_REGION))}
    if request.method == "POST" and form.is_valid():
        upload, simplify = form.cleaned_data["geojson"], form.cleaned_data["simplify"]
        path = _keep(upload)
        try:
            plan = boundary_plan(path, simplify_m=simplify, file_name=upload.name)
        except BoundaryFileError as exc:
            form.add_error("geojson", str(exc))
            path.unlink(missing_ok=True)
        else:
            token = ""
            if plan.errors:  # nothing can be stored from it until it is fixed and sent again
                path.unlink(missing_ok=True)
            else:
                kept = {"file": path.name, "user": request.user.pk, "name": (upload.name or "")[:100], "s": simplify}
                token = signing.dumps(kept, salt=SALT)
            shown = sorted(plan.rows, key=lambda row: (not row.errors, not row.warnings, row.number))[:SHOWN_ROWS]
            context |= {
                "plan": plan,
                "rows": shown,
                "good": len(plan.rows) - len(plan.errors),
                "points": (
                    sum(row.points_before for row in plan.rows if not row.errors),
                    sum(row.points_after for row in plan.rows if not row.errors),
                ),
                "token": token,
            }
    return render(request, "regions/boundaries.html", context, status=400 if form.errors else 200)


def _confirmed(request: HttpRequest) -> HttpResponse:
    try:
        kept = signing.loads(request.POST.get("confirm", ""), salt=SALT, max_age=KEPT_SECONDS)
    except signing.BadSignature:
        kept = None
    path = _folder() / str(kept["file"]) if kept and KEPT_NAME.match(str(kept["file"])) else None
    if kept is None or kept.get("user") != request.user.pk or path is None or not path.exists():
        messages.error(request, _("This preview has expired or was already stored: upload the file again."))
        return redirect("regions:boundaries")
    try:
        plan = boundary_plan(path, simplify_m=float(kept["s"]), file_name=str(kept["name"]))
        stored = boundaries_commit(plan, actor=request.user)
    except BoundaryFileError as exc:
        messages.error(request, _("Nothing stored: %(why)s") % {"why": exc})
        return redirect("regions:boundaries")
    finally:
        path.unlink(missing_ok=True)
    messages.success(
        request,
        _("Stored %(n)d boundaries from %(name)s: the maps, the placing of pins and the alerts use them from now on.")
        % {"n": stored, "name": kept["name"]},
    )
    return redirect("regions:boundaries")
