"""A report written where the signal drops: nothing typed is lost, nothing identifying stays on the phone.

Real Chromium against the live server; the browser context is switched offline and online as a phone's is."""

import json

import pytest
from django.db import connection

from sigap.intake.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WHAT = "Spanduk paslon dirobek, dua kelompok pemuda saling tantang di dekat balai RW 03"


@pytest.fixture
def plain_http(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _kept(page) -> dict[str, dict[str, object]]:
    """What the tab keeps of the form being written (sessionStorage), by draft key."""
    raw = page.evaluate(
        "() => Object.fromEntries(Object.keys(sessionStorage).filter(k => k.startsWith('sigap-draft:'))"
        ".map(k => [k, sessionStorage.getItem(k)]))"
    )
    return {key: json.loads(value) for key, value in raw.items()}


def test_a_report_written_offline_is_kept_and_sent_when_the_signal_is_back(
    page, live_server, gazetteer, plain_http, artifacts
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/lapor/")
    page.get_by_label("Apa yang terjadi?").fill(WHAT)
    page.get_by_label("Kelurahan").select_option(label="Bugul Lor (Panggungrejo)")
    page.get_by_label("Lapor tanpa identitas (nama dan kontak tidak disimpan)").uncheck()
    page.get_by_label("Nama Anda").fill("Siti Rahmawati")
    page.get_by_label("Telepon atau e-mail").fill("081234567890")
    kept = _kept(page)["sigap-draft:public"]
    assert kept["description"] == WHAT and kept["anonymous"] is False
    assert "Siti" not in json.dumps(kept) and "081234567890" not in json.dumps(kept)  # identity never kept

    page.context.set_offline(True)
    page.get_by_role("button", name="Kirim laporan").click()
    page.get_by_text("Tidak ada sambungan internet").wait_for()
    assert page.url.endswith("/lapor/") and page.get_by_label("Apa yang terjadi?").input_value() == WHAT
    page.screenshot(path=str(artifacts / f"report-offline-phone-{connection.vendor}.png"), full_page=True)
    assert not Report.objects.exists()

    page.context.set_offline(False)
    page.get_by_text("Sambungan kembali").wait_for()
    # The page is opened again (the phone reloaded it, or the reporter came back to it in the same tab).
    page.goto(f"{live_server.url}/lapor/")
    page.get_by_text("Tulisan Anda yang belum terkirim dikembalikan").wait_for()
    assert page.get_by_label("Apa yang terjadi?").input_value() == WHAT
    assert page.get_by_label("Kelurahan").input_value() != ""
    assert page.get_by_label("Nama Anda").input_value() == ""
    page.get_by_label("Nama Anda").fill("Siti Rahmawati")
    page.get_by_label("Telepon atau e-mail").fill("081234567890")
    page.get_by_role("button", name="Kirim laporan").click()
    receipt = page.locator("#receipt").inner_text()
    report = Report.objects.get(receipt=receipt)
    assert report.description == WHAT and report.region.name == "Bugul Lor"
    assert report._identity() == ("Siti Rahmawati", "081234567890")
    assert _kept(page) == {}  # delivered: the tab forgets it

    page.goto(f"{live_server.url}/lapor/")
    assert page.get_by_label("Apa yang terjadi?").input_value() == ""
    assert page.get_by_text("Tulisan Anda yang belum terkirim dikembalikan").is_hidden()

    # The same on the receipt page, for a message to the team.
    page.goto(f"{live_server.url}/laporan/status/")
    page.get_by_label("Pesan").fill("Massa mulai bertambah, ada yang datang dari kelurahan lain.")
    page.context.set_offline(True)
    page.get_by_role("button", name="Kirim ke tim").click()
    page.get_by_text("Tidak ada sambungan internet").wait_for()
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/laporan/status/")
    assert page.get_by_label("Pesan").input_value().startswith("Massa mulai bertambah")
    page.get_by_role("button", name="Kirim ke tim").click()
    page.get_by_text("Pesan terkirim ke tim.").wait_for()
    assert report.messages.get().body.startswith("Massa mulai bertambah") and _kept(page) == {}
    assert page.get_by_label("Pesan").input_value() == ""


def test_the_reporter_can_empty_a_restored_form(page, live_server, gazetteer, plain_http):
    page.goto(f"{live_server.url}/lapor/")
    page.get_by_label("Apa yang terjadi?").fill(WHAT)
    page.goto(f"{live_server.url}/lapor/")
    page.get_by_role("button", name="Kosongkan formulir").click()
    assert page.get_by_label("Apa yang terjadi?").input_value() == ""
    assert _kept(page) == {}
    page.goto(f"{live_server.url}/lapor/")
    assert page.get_by_label("Apa yang terjadi?").input_value() == ""


def test_a_trusted_reporters_draft_is_forgotten_once_sent(page, live_server, gazetteer, personas, plain_http):
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill("trusted_reporter")
    page.get_by_label("Kata sandi").fill("correct horse battery staple")
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{live_server.url}/lapor/terpercaya/")
    page.get_by_label("Apa yang terjadi?").fill(WHAT)
    assert _kept(page)["sigap-draft:trusted"]["description"] == WHAT
    page.get_by_role("button", name="Kirim laporan").click()
    page.get_by_text("Laporan terkirim").wait_for()
    assert _kept(page) == {}
    assert Report.objects.get().submitted_by.username == "trusted_reporter"
