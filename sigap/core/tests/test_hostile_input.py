"""A corpus of hostile input, each with the clear answer it must get; nothing crashes, nothing runs."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from sigap.intake.models import Attachment, Report
from sigap.triage.choices import Category, IncidentStatus
from sigap.triage.models import Incident

API = "/api/v1/reports"
HOSTILE_TEXT = (
    "<script>alert('xss')</script> <img src=x onerror=alert(1)> {{ 7|add:7 }}{% debug %} "
    "'; DROP TABLE intake_report; -- ${jndi:ldap://x} ../../etc/passwd"
)


def _post_json(client, raw: bytes | str, **headers):
    return client.generic("POST", API, raw, content_type="application/json", **headers)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("[" * 100_000 + "]" * 100_000, 400),  # deep JSON: Python's parser would recurse until it fails
        (b"\xff\xfe\x00{\x00}", 400),  # not UTF-8
        (b'{"description": "\xc3\x28 bad utf-8 inside a string"}', 400),
        ('{"description": "x", "description": "y"' + ', "a": 1' * 10, 400),  # truncated
        (json.dumps({"description": "x" * 3_000_000}), 413),  # over the request body limit
        (json.dumps({"description": ["not", "text"]}), 422),
        (json.dumps({"description": "ok", "latitude": float("nan"), "longitude": 1.0}), 422),  # NaN is not a place
    ],
)
def test_broken_json_gets_a_clear_refusal(client, raw, status):
    response = _post_json(client, raw)
    assert response.status_code == status, response.content[:200]
    assert response.json()["detail"]
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_injection_strings_are_kept_as_words_and_shown_as_words(client, personas):
    response = _post_json(client, json.dumps({"description": HOSTILE_TEXT, "region_code": "35.75.04.1010"}))
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.description == HOSTILE_TEXT  # kept exactly: the team must see what was sent
    client.force_login(personas["analyst"])
    page = client.get(reverse("triage:incident_detail", args=[report.incident_id])).content.decode()
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in page
    assert "<script>alert(" not in page and "<img src=x" not in page
    assert "{{ 7|add:7 }}" in page and "{% debug %}" in page  # not evaluated
    assert Report.objects.count() == 1  # the table is still there


@pytest.mark.django_db
def test_exports_never_turn_a_title_into_a_formula(client, personas, region):
    Incident.objects.create(
        title='=HYPERLINK("http://penipu.example/","klik")',
        region=region("35.75.04.1010"),
        category=Category.LAINNYA,
        status=IncidentStatus.VERIFIED,
        occurred_at=timezone.now(),
        verified_at=timezone.now(),
    )
    client.force_login(personas["analyst"])
    query = f"?start={timezone.localdate():%Y-%m-%d}&end={timezone.localdate():%Y-%m-%d}"
    raw = b"".join(client.get(reverse("dashboard:export", args=["csv"]) + query).streaming_content).decode()
    rows = list(csv.reader(io.StringIO(raw)))
    assert rows[2][6] == '\'=HYPERLINK("http://penipu.example/","klik")'
    book = load_workbook(io.BytesIO(client.get(reverse("dashboard:export", args=["xlsx"]) + query).content))
    cell = book["Kejadian"]["G3"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"  # text, not a formula


def _jpeg(trailer: bytes = b"") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    return out.getvalue() + trailer


@pytest.mark.django_db
def test_photo_names_and_polyglots_do_not_survive(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    polyglot = _jpeg(b"<html><script>alert(1)</script></html>")
    upload = io.BytesIO(polyglot)
    upload.name = "../../../../etc/cron.d/sigap.jpg"
    form = {"description": "Spanduk provokatif dipasang semalam di gapura RW 02", "anonymous": "on", "photos": upload}
    assert client.post(reverse("intake:report_new"), form).status_code == 302
    stored = Attachment.objects.get()
    assert ".." not in stored.file.name and "cron" not in stored.file.name
    path = tmp_path / stored.file.name
    assert path.resolve().is_relative_to(tmp_path.resolve())
    assert b"<script>" not in path.read_bytes()  # re-encoded: the appended page is gone


@pytest.mark.django_db
def test_what_schemathesis_found_is_refused_cleanly(client, settings):
    """Each of these once answered 500 or was accepted against the schema (make evidence, bad_input)."""
    settings.SIGAP_TWILIO_AUTH_TOKEN = "twilio-token-0123456789"
    no_boundary = client.generic("POST", "/api/v1/gateways/twilio", b"x", content_type="multipart/form-data")
    assert no_boundary.status_code == 400 and "unreadable form body" in no_boundary.json()["detail"]
    assert client.get("/api/v1/regions?offset=74703053510114747203517939712&limit=10").status_code == 422
    for body in ({"description": "ok", "occurred_at": 0}, {"description": "ok", "latitude": 0.0, "longitude": False}):
        assert _post_json(client, json.dumps(body)).status_code == 422
    assert _post_json(client, json.dumps({"description": "ok", "online_provocation": 0})).status_code == 422
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_nul_characters_are_refused_at_the_edge(client):
    """PostgreSQL cannot store NUL; schemathesis found GET /api/v1/risk?parent=<NUL> answering 500 there."""
    assert client.get("/api/v1/risk?parent=35%0075").json()["detail"].startswith("Karakter NUL")
    assert client.get("/api/v1/risk?parent=35%0075").status_code == 400
    assert _post_json(client, json.dumps({"description": "ada\u0000di sini"})).status_code == 400
    assert client.get("/lapor/?q=%00").status_code == 400
    assert Report.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("impossible", [10**20, -(10**20)])
def test_an_id_no_column_can_hold_matches_nothing_in_the_admin_filters(client, personas, region, impossible):
    """The admin turns `?parent=...` into a foreign-key lookup, which SQLite failed with OverflowError."""
    from sigap.regions.models import Region

    assert Region.objects.filter(parent=impossible).count() == 0
    assert Region.objects.exclude(parent=impossible).count() == Region.objects.count() > 0
    client.force_login(personas["admin"])
    for url, name in (
        ("/admin/regions/region/", "parent"),
        ("/admin/risk/areaindicator/", "region"),
        ("/admin/cases/case/", "lead_organisation"),
    ):
        response = client.get(url, {name: str(impossible)})
        assert response.status_code == 200 and 'id="result_list"' not in response.content.decode(), url
    kecamatan = Region.objects.get(code="35.75.01")
    listed = client.get("/admin/regions/region/", {"parent": str(kecamatan.pk)}).content.decode()
    assert 'id="result_list"' in listed


@pytest.mark.django_db
def test_numbers_no_column_can_hold_get_a_clear_answer_in_the_forms(client, personas, region):
    """A tampered multiple choice (a form's `pk__in`) and a headcount typed with a few zeros too many were a
    server error on SQLite."""
    from sigap.directory.models import Person
    from sigap.intake.choices import Channel
    from sigap.intake.services import ReportDraft, report_receive
    from sigap.mediation.models import Mediation

    assert list(Person.objects.filter(pk__in=[10**20, -(10**20)])) == []
    assert Incident.objects.filter(pk__in=[10**20]).count() == 0
    assert Report.objects.filter(incident__in=[10**20]).count() == 0

    incident = report_receive(
        ReportDraft(channel=Channel.WEB, region=region("35.75.04.1010"), description="Massa berkumpul di pasar")
    )[0].incident
    client.force_login(personas["analyst"])
    facts = {"people_estimate": "99999999999999999999", "injured": "0", "killed": "0", "reason": "Polsek"}
    answer = client.post(reverse("triage:incident_facts", args=[incident.pk]), facts, follow=True)
    assert answer.status_code == 200 and "Fakta tidak diubah: " in answer.content.decode()
    incident.refresh_from_db()
    assert incident.people_estimate is None

    client.force_login(personas["mediator"])
    opened = client.post(
        reverse("mediation:new"),
        {"title": "Musyawarah", "party_0": "Warga RW 1", "party_1": "Warga RW 2", "facilitators": str(10**20)},
    )
    assert opened.status_code == 200 and 'name="facilitators"' in opened.content.decode()
    assert not Mediation.objects.exists()
