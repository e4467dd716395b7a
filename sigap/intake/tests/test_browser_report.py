"""A warga on a phone: report with a photo, get the receipt, follow the status. Real Chromium, real server."""

import pytest
from django.db import connection
from PIL import Image

from sigap.intake.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_public_report_with_a_photo_from_a_phone(page, live_server, gazetteer, settings, artifacts, tmp_path):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    photo = tmp_path / "kejadian.jpg"
    Image.new("RGB", (800, 600), "red").save(photo, "JPEG")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Laporkan masalah").click()
    page.get_by_label("Apa yang terjadi?").fill("Pendukung paslon saling dorong di depan pasar, sekitar 30 orang")
    page.get_by_label("Kelurahan").select_option(label="Bugul Lor (Panggungrejo)")
    page.get_by_label("Foto (boleh dikosongkan)").set_input_files(str(photo))
    page.screenshot(path=str(artifacts / f"report-form-phone-{connection.vendor}.png"), full_page=True)
    page.get_by_role("button", name="Kirim laporan").click()
    receipt = page.locator("#receipt").inner_text()
    page.screenshot(path=str(artifacts / f"report-receipt-phone-{connection.vendor}.png"), full_page=True)
    report = Report.objects.get(receipt=receipt)
    assert report.region.name == "Bugul Lor" and report.attachments.count() == 1 and report.incident_id

    page.get_by_role("link", name="Lihat status").click()
    page.get_by_text("Sedang diperiksa").wait_for()
    page.get_by_label("Pesan").fill("Massa mulai bertambah.")
    page.get_by_role("button", name="Kirim ke tim").click()
    page.get_by_text("Pesan terkirim ke tim.").wait_for()
    assert report.messages.get().body == "Massa mulai bertambah."
    page.screenshot(path=str(artifacts / f"report-status-phone-{connection.vendor}.png"), full_page=True)
