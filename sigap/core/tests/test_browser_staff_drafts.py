"""A staff form the server refuses keeps what was typed: the minutes of a mediation session or a case's resolution
come back in the form with the reason for the refusal, are forgotten once saved, and nothing typed by one person
waits in the tab for the next after signing out.

Real Chromium against the live server with the demo's data."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from sigap.accounts.models import User
from sigap.cases.choices import TaskStatus
from sigap.cases.models import Case
from sigap.conftest import BUGUL_LOR
from sigap.mediation import services
from sigap.mediation.models import Agreement, Mediation, Session
from sigap.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MINUTES = "Kedua kelompok pendukung sepakat tidak konvoi melewati Jl. Gatot Subroto; ketua RW 04 menjadi penghubung."
AGREED = "Juru parkir dan pedagang berbagi sisi pasar; tarif parkir mengikuti Perda, ditempel di pintu masuk."
RESOLUTION = "Kedua RW sepakat menjaga ketertiban bersama; patroli gabungan sampai rekapitulasi selesai."


def _sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("button", name="Keluar").wait_for(timeout=5000)


def _kept(page) -> dict[str, dict[str, object]]:
    raw = page.evaluate(
        "() => Object.fromEntries(Object.keys(sessionStorage).filter(k => k.startsWith('sigap-draft:'))"
        ".map(k => [k, sessionStorage.getItem(k)]))"
    )
    return {key: json.loads(value) for key, value in raw.items()}


def test_refused_session_minutes_come_back_and_are_forgotten_once_saved(page, live_server, live_demo, artifacts):
    session = Session.objects.filter(held=False, cancelled_at=None).select_related("mediation").first()
    mediation = session.mediation
    key = f"sigap-draft:mediation{mediation.pk}-session{session.pk}"
    _sign_in(page, live_server, "mediator", live_demo["mediator"])
    page.goto(f"{live_server.url}/mediasi/{mediation.pk}/")
    page.get_by_text("Catat pertemuan").click()
    record = page.locator("form", has=page.get_by_label("Notulen"))
    page.get_by_label("Jumlah hadir").fill("12")
    page.get_by_label("Perempuan yang hadir").fill("21")  # a slip the browser cannot see; the server refuses it
    page.get_by_label("Notulen").fill(MINUTES)
    record.get_by_role("button", name="Simpan", exact=True).click()
    page.get_by_text("Jumlah perempuan melebihi jumlah yang hadir").wait_for(timeout=5000)

    # Back on the page: the form is unfolded and holds what was typed, with a word that it was not saved.
    assert page.get_by_label("Notulen").input_value() == MINUTES
    assert page.get_by_label("Perempuan yang hadir").input_value() == "21"
    assert record.get_by_text("belum tersimpan").is_visible()
    page.screenshot(path=str(artifacts / "staff-draft-refused.png"), full_page=True)
    assert not Session.objects.get(pk=session.pk).held

    page.get_by_label("Perempuan yang hadir").fill("5")
    record.get_by_role("button", name="Simpan", exact=True).click()
    page.get_by_text("Pertemuan dicatat.").wait_for(timeout=5000)
    assert Session.objects.get(pk=session.pk).minutes == MINUTES
    assert key not in _kept(page)  # saved: nothing waits to be filled in again
    assert Mediation.objects.get(pk=mediation.pk).events.filter(verb="session_held").count() >= 1


def test_a_resolution_refused_for_open_tasks_is_kept_and_signing_out_forgets_it(page, live_server, live_demo):
    case = (
        Case.objects.filter(tasks__status=TaskStatus.OPEN, lead_organisation__users__username="polres")
        .distinct()
        .first()
    )
    _sign_in(page, live_server, "polres", live_demo["polres"])
    page.goto(f"{live_server.url}/penanganan/{case.pk}/")
    page.get_by_label("Bagaimana masalah diselesaikan?").fill(RESOLUTION)
    page.get_by_role("button", name="Usulkan selesai").click()
    page.get_by_text("tugas terbuka").first.wait_for(timeout=5000)
    assert page.get_by_label("Bagaimana masalah diselesaikan?").input_value() == RESOLUTION
    assert _kept(page)[f"sigap-draft:case{case.pk}-resolution"]["note"] == RESOLUTION

    # Someone else at this computer after signing out finds nothing of it, even signing in as the same role.
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{live_server.url}/")
    assert _kept(page) == {}
    _sign_in(page, live_server, "polres", live_demo["polres"])
    page.goto(f"{live_server.url}/penanganan/{case.pk}/")
    assert page.get_by_label("Bagaimana masalah diselesaikan?").input_value() == ""


def test_the_agreement_printed_for_signing_stays_in_the_form_until_saved(page, live_server, live_demo, artifacts):
    mediator = User.objects.get(username="mediator")
    mediation = services.mediation_open(
        title="Perselisihan parkir pasar Bugul Lor",
        actor=mediator,
        mediator=mediator,
        region=Region.objects.get(code=BUGUL_LOR),
        parties=[services.PartyInput("Juru parkir pasar", "Pak Slamet"), services.PartyInput("Pedagang", "Bu Ani")],
    )
    session = services.session_schedule(
        mediation=mediation, scheduled_at=timezone.now() - timedelta(hours=2), venue="Balai RW 02", actor=mediator
    )
    services.session_record(
        session=session, actor=mediator, attendees="", attendee_count=9, women_count=3, minutes="Duduk perkara"
    )
    key = f"sigap-draft:mediation{mediation.pk}-agreement"
    _sign_in(page, live_server, "mediator", live_demo["mediator"])
    page.goto(f"{live_server.url}/mediasi/{mediation.pk}/")
    page.locator("#id_signed_on").fill("2020-12-21")
    page.locator("#id_text").fill(AGREED)
    page.locator("#id_c0_text").fill("Parkir hanya di sisi utara pasar")
    page.locator("#id_c0_owner").fill("Koordinator juru parkir")
    page.locator("#id_c0_due").fill("2021-01-04")
    page.locator("form", has=page.locator("#id_text")).screenshot(path=str(artifacts / "agreement-form.png"))
    with page.expect_download() as download:
        page.get_by_role("button", name="Cetak draf untuk ditandatangani (PDF)").click()
    assert download.value.suggested_filename == f"draf-kesepakatan-M-{mediation.pk}.pdf"
    assert not Agreement.objects.filter(mediation=mediation).exists()
    assert page.locator("#id_text").input_value() == AGREED and _kept(page)[key]["text"] == AGREED
    # Printing is no send: the next page that says "saved" (of another form) must not take this draft with it.
    assert page.evaluate("() => sessionStorage.getItem('sigap-draft-pending')") is None

    page.get_by_role("button", name="Simpan kesepakatan").click()
    page.get_by_text("Kesepakatan dicatat").wait_for(timeout=5000)
    assert Agreement.objects.get(mediation=mediation).text == AGREED
    assert key not in _kept(page)
    page.screenshot(path=str(artifacts / "agreement-recorded.png"), full_page=True)
