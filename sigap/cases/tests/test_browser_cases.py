"""A real browser: the analyst opens a case from a verified incident, the responder of the lead organisation
acknowledges it, records what was done and proposes the resolution, the analyst confirms it, and the incident's
reporter is told through the receipt. Screenshots are kept."""

import pytest
from django.db import connection

from sigap.cases.choices import CaseStatus
from sigap.cases.models import Case
from sigap.intake.models import ReporterMessage
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username, password):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="Penanganan").first.wait_for(timeout=5000)


def test_a_case_from_incident_to_confirmed_resolution(page, live_server, live_demo, artifacts):
    incident = Incident.objects.filter(status=IncidentStatus.VERIFIED, cases=None).order_by("-verified_at").first()
    _sign_in(page, live_server, "analis", live_demo["analis"])
    page.goto(f"{live_server.url}/kejadian/{incident.pk}/")
    page.get_by_role("link", name="Buka penanganan").click()
    page.get_by_label("Instansi pemimpin").select_option(label="Polres")
    page.get_by_label("Pihak yang terlibat").fill("Warga RW 02\nPemuda RW 05")
    page.get_by_role("button", name="Buka penanganan").click()
    page.get_by_text("Penanganan dibuka; instansi pemimpin sudah diberi tahu.").wait_for(timeout=5000)
    case = Case.objects.get(incidents=incident)
    page.screenshot(path=str(artifacts / f"case-opened-{connection.vendor}.png"), full_page=True)

    _sign_in(page, live_server, "polres", live_demo["polres"])
    page.goto(f"{live_server.url}/penanganan/{case.pk}/")
    page.get_by_role("button", name="Terima: kami menangani ini").click()
    page.get_by_text("Penanganan diterima.").wait_for(timeout=5000)
    page.get_by_label("Apa yang dilakukan").fill("Bhabinkamtibmas mempertemukan ketua RW 02 dan RW 05")
    page.get_by_role("button", name="Catat", exact=True).click()
    page.get_by_text("Tindakan dicatat.").wait_for(timeout=5000)
    page.get_by_label("Bagaimana masalah diselesaikan?").fill("Kedua RW sepakat menjaga ketertiban bersama")
    page.get_by_role("button", name="Usulkan selesai").click()
    page.get_by_text("Diusulkan selesai; analis akan mengonfirmasi.").wait_for(timeout=5000)
    assert page.get_by_role("button", name="Konfirmasi: selesai").count() == 0  # not the responder's step

    _sign_in(page, live_server, "analis", live_demo["analis"])
    page.goto(f"{live_server.url}/penanganan/{case.pk}/")
    page.get_by_role("button", name="Konfirmasi: selesai").click()
    page.get_by_text("Penanganan selesai.").wait_for(timeout=5000)
    timeline = page.locator("ol.timeline").inner_text()
    assert "Bhabinkamtibmas mempertemukan" in timeline and "selesai (Diusulkan selesai → Selesai)" in timeline
    page.screenshot(path=str(artifacts / f"case-resolved-{connection.vendor}.png"), full_page=True)
    case.refresh_from_db()
    incident.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED and incident.status == IncidentStatus.RESOLVED
    assert ReporterMessage.objects.filter(report__incident=incident, body__contains="sudah ditangani").exists()
