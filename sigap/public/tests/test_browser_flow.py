"""The main flow in a real browser (Debian's Chromium, headless), end to end:

a warga reports with a photo from a phone and keeps the receipt -> the analyst verifies and records the facts of
the event -> an Awas alert is raised -> its e-mail reaches a real SMTP server on 127.0.0.1 -> the responder
acknowledges from the link in that e-mail -> the analyst publishes a public warning and opens a case -> the
responder works it and proposes the resolution -> the analyst confirms -> the warga sees it through the receipt ->
the public page shows it. The report carries a stored cross-site-scripting payload that must never run in any
staff page. Screenshots of every page at phone and desktop widths are kept as test artefacts."""

import re

import pytest
from django.db import connection
from PIL import Image

from sigap.accounts.models import User
from sigap.alerts.choices import AlertKind, AlertState
from sigap.alerts.models import Alert
from sigap.cases.choices import CaseStatus
from sigap.cases.models import Case
from sigap.core.roles import Role
from sigap.directory.choices import OrganisationKind
from sigap.directory.models import Organisation
from sigap.intake.models import Report
from sigap.notify.choices import ChannelKind
from sigap.notify.models import Channel, RoutingRule
from sigap.notify.services import deliver_due
from sigap.regions.models import Region
from sigap.risk.choices import RiskLevel
from sigap.triage.choices import IncidentStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
XSS = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 1">'
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def team(gazetteer, settings, live_server, smtp_server):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SIGAP_PUBLIC_URL = live_server.url
    city, kecamatan = Region.objects.get(code="35.75"), Region.objects.get(code="35.75.04")
    kesbangpol = Organisation.objects.create(name="Bakesbangpol", kind=OrganisationKind.KESBANGPOL)
    polsek = Organisation.objects.create(name="Polsek Panggungrejo", kind=OrganisationKind.POLRI)
    kesbangpol.areas.set([city])
    polsek.areas.set([kecamatan])

    def user(username, role, org):
        made = User(username=username, role=role, organisation=org, first_name=username.title())
        made.set_password(PASSWORD)
        made.save()
        return made

    user("analis", Role.ANALYST, kesbangpol)
    user("kanit", Role.RESPONDER, polsek)
    Channel.objects.create(
        name="Piket Polsek", kind=ChannelKind.EMAIL, organisation=polsek, config={"address": "piket@polsek.example"}
    )
    rule = RoutingRule.objects.create(name="Kota: Siaga ke atas", region=city, min_level=RiskLevel.SIAGA)
    rule.organisations.add(polsek)
    return smtp_server


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="Keluar").or_(page.get_by_role("button", name="Keluar")).first.wait_for()


def no_script_ran(page):
    assert page.evaluate("window.__xss") is None, page.url


def test_from_a_warga_report_to_a_resolved_case_seen_through_the_receipt(page, live_server, team, artifacts, tmp_path):
    vendor = connection.vendor
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # 1. A warga reports from a phone, with a photo, anonymously.
    photo = tmp_path / "kejadian.jpg"
    Image.new("RGB", (640, 480), "orange").save(photo, "JPEG")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/lapor/")
    page.get_by_label("Apa yang terjadi?").fill(f"Massa membakar pos kamling di RW 05, sekitar 80 orang. {XSS}")
    page.get_by_label("Kelurahan").select_option(label="Bugul Lor (Panggungrejo)")
    page.get_by_label("Foto (boleh dikosongkan)").set_input_files(str(photo))
    page.get_by_role("button", name="Kirim laporan").click()
    receipt = page.locator("#receipt").inner_text()
    report = Report.objects.get(receipt=receipt)
    incident = report.incident
    assert report.attachments.count() == 1 and incident is not None

    # 2. The analyst verifies it and records what officers on site say; the incident meets PP 2/2015 Ps 43.
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "analis")
    no_script_ran(page)  # the queue shows the report's text
    page.goto(f"{live_server.url}/kejadian/{incident.pk}/")
    no_script_ran(page)
    page.get_by_label("Keputusan").select_option("verified")
    page.get_by_label("Keandalan sumber").select_option("B")
    page.get_by_label("Kredibilitas informasi").select_option("2")
    page.get_by_role("button", name="Simpan keputusan").click()
    page.get_by_text("Keputusan tersimpan.").wait_for()  # back to the queue
    page.goto(f"{live_server.url}/kejadian/{incident.pk}/")
    page.get_by_label("Pembakaran, penjarahan atau perusakan").check()
    page.get_by_label("Sumber informasi ini").fill("Kapolsek di lokasi")
    page.locator("form[action$='/fakta/'] button[type=submit]").click()
    page.get_by_text("Fakta kejadian diperbarui").wait_for()
    alert = Alert.objects.get(kind=AlertKind.GRAVE_INCIDENT)
    assert alert.level == RiskLevel.AWAS and alert.state == AlertState.TRIGGERED

    # 3. The alert's e-mail reaches the SMTP server; the responder acknowledges from its link, on a phone.
    assert deliver_due() >= 1
    mail = next(m for m in team if m["To"] == "piket@polsek.example")
    body = (
        mail.get_payload(decode=True).decode()
        if not mail.is_multipart()
        else mail.get_payload(0).get_payload(decode=True).decode()
    )
    link = re.search(r"(http://\S+/terima/\S+/)", body).group(1)
    assert link.startswith(live_server.url)
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(link)
    page.get_by_role("button", name="Terima: saya sudah menerima peringatan ini").click()
    page.get_by_text("peringatan sudah diterima", exact=False).first.wait_for()
    alert.refresh_from_db()
    assert alert.state == AlertState.ACKNOWLEDGED
    page.screenshot(path=str(artifacts / f"flow-ack-from-email-phone-{vendor}.png"), full_page=True)

    # 4. The analyst tells the public (no names) and opens a case led by the Polsek.
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "analis")
    page.goto(f"{live_server.url}/peringatan/{alert.pk}/")
    no_script_ran(page)
    page.get_by_role("link", name="Publikasikan peringatan publik").click()
    page.get_by_label("Judul").fill("Hindari sekitar RW 05 Bugul Lor")
    page.get_by_label("Apa yang terjadi", exact=False).first.fill("Ada kerusuhan; aparat sudah di lokasi.")
    page.get_by_label("Apa yang perlu dilakukan warga").fill("Hindari lokasi dan jangan menyebarkan kabar belum pasti.")
    page.get_by_role("button", name="Publikasikan").click()
    page.get_by_text("Dipublikasikan di halaman publik").wait_for()
    page.goto(f"{live_server.url}/kejadian/{incident.pk}/")
    page.get_by_role("link", name="Buka penanganan").click()
    page.get_by_label("Instansi pemimpin").select_option(label="Polsek Panggungrejo")
    page.get_by_role("button", name="Buka penanganan").click()
    page.get_by_text("Penanganan dibuka").wait_for()
    case = Case.objects.get(incidents=incident)
    no_script_ran(page)

    # 5. The responder works the case from a phone and proposes the resolution; the analyst confirms it.
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "kanit")
    page.goto(f"{live_server.url}/penanganan/{case.pk}/")
    no_script_ran(page)
    page.get_by_role("button", name="Terima: kami menangani ini").click()
    page.get_by_label("Apa yang dilakukan").fill("Massa dibubarkan; pemadam memadamkan api; saksi didata.")
    page.get_by_role("button", name="Catat", exact=True).click()
    page.get_by_label("Bagaimana masalah diselesaikan?").fill("Pelaku diproses; warga RW 05 bermusyawarah.")
    page.get_by_role("button", name="Usulkan selesai").click()
    page.get_by_text("Diusulkan selesai").first.wait_for()
    page.screenshot(path=str(artifacts / f"flow-case-phone-{vendor}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "analis")
    page.goto(f"{live_server.url}/penanganan/{case.pk}/")
    page.get_by_role("button", name="Konfirmasi: selesai").click()
    page.get_by_text("Penanganan selesai.").wait_for()
    case.refresh_from_db()
    incident.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED and incident.status == IncidentStatus.RESOLVED

    # Every staff page the analyst has, at both widths, with the payload nowhere executed.
    staff_pages = [
        "/beranda/",
        f"/kejadian/{incident.pk}/",
        "/peringatan/",
        f"/peringatan/{alert.pk}/",
        "/penanganan/",
        f"/penanganan/{case.pk}/",
        "/tugas/",
        "/mediasi/",
        "/koordinasi/",
        "/koordinasi/rat/",
        "/dasbor/",
        "/laporan-situasi/",
        "/kerawanan/",
        "/kerawanan/35.75.04.1010/",
        "/kotak-masuk/",
        "/status-konflik/",
        "/mediasi/forum/",
        "/koordinasi/kontak/",
    ]
    for url in staff_pages:
        for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(size)
            response = page.goto(f"{live_server.url}{url}")
            assert response.status == 200, url
            no_script_ran(page)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (url, name)
            slug = url.strip("/").replace("/", "-") or "home"
            page.screenshot(path=str(artifacts / f"page-{slug}-{name}-{vendor}.png"), full_page=True)

    # The kelurahan's last days are bars painted in their level's colour (spans, not SVG: `fill` would not paint them).
    page.goto(f"{live_server.url}/kerawanan/35.75.04.1010/")
    painted = page.evaluate(
        "[...document.querySelectorAll('.bars span')].map(b => getComputedStyle(b).backgroundColor)"
    )
    assert painted and "rgba(0, 0, 0, 0)" not in painted, painted

    # 6. The warga follows the report with the receipt: it is resolved. The public page shows the city.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/laporan/cek/")
    page.get_by_label("Kode laporan").fill(receipt)
    page.get_by_role("button", name="Cek").click()
    page.get_by_text("sudah ditangani sampai selesai", exact=False).wait_for()
    page.screenshot(path=str(artifacts / f"flow-receipt-resolved-phone-{vendor}.png"), full_page=True)
    # Asked whether it is really settled where they live, the warga says so; the question is not asked again.
    page.get_by_label("Ya, sudah selesai").check()
    page.get_by_role("button", name="Kirim jawaban saya").click()
    page.get_by_text("Terima kasih sudah memberi tahu kami.").wait_for()
    assert page.get_by_label("Ya, sudah selesai").count() == 0
    for url in ("/publik/", "/lapor/", "/laporan/cek/", "/"):
        for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(size)
            page.goto(f"{live_server.url}{url}")
            slug = url.strip("/").replace("/", "-") or "landing"
            page.screenshot(path=str(artifacts / f"public-{slug}-{name}-{vendor}.png"), full_page=True)
    page.goto(f"{live_server.url}/publik/")
    public = page.locator("main").inner_text()
    assert "Hindari sekitar RW 05 Bugul Lor" in public
    row = page.locator("tr", has_text="Bugul Lor").last.inner_text()
    assert "<5" in row  # one report, one verified and resolved incident: shown, suppressed
    assert "kamling" not in public and receipt not in public
    assert dialogs == []


def test_a_rumour_found_untrue_is_clarified_and_a_visitor_copies_it_to_pass_on(page, live_server, team):
    """A warga reports a rumour -> the analyst decides it is a hoax and publishes a clarification -> a visitor on a
    phone finds it on the public page and copies it, line by line, to send back to the group it came from."""
    page.goto(f"{live_server.url}/lapor/")
    page.get_by_label("Apa yang terjadi?").fill("Pesan berantai: surat suara di Bugul Lor sudah dicoblos")
    page.get_by_label("Kelurahan").select_option(label="Bugul Lor (Panggungrejo)")
    page.get_by_role("button", name="Kirim laporan").click()
    incident = Report.objects.get(receipt=page.locator("#receipt").inner_text()).incident

    sign_in(page, live_server, "analis")
    page.goto(f"{live_server.url}/kejadian/{incident.pk}/")
    page.get_by_label("Keputusan").select_option("hoax")
    page.get_by_label("Keandalan sumber").select_option("F")
    page.get_by_label("Kredibilitas informasi").select_option("5")
    page.get_by_role("button", name="Simpan keputusan").click()
    page.get_by_text("Keputusan tersimpan.").wait_for()
    page.goto(f"{live_server.url}/kejadian/{incident.pk}/")
    page.get_by_role("link", name="Umumkan klarifikasi").click()
    page.get_by_label("Kabar yang beredar").fill(f"Surat suara di Bugul Lor sudah dicoblos {XSS}")
    page.get_by_label("Temuan tim").fill("KPU memeriksa gudang: surat suara masih tersegel.")
    page.get_by_role("button", name="Publikasikan").click()
    page.get_by_text("Diumumkan di halaman publik").wait_for()
    no_script_ran(page)

    page.context.clear_cookies()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/publik/")
    page.get_by_role("link", name=re.compile("Surat suara di Bugul Lor")).click()
    no_script_ran(page)
    page.get_by_role("button", name="Salin").click()
    copied = page.evaluate("navigator.clipboard.readText()").splitlines()
    assert copied[0].startswith("Tidak benar: Surat suara di Bugul Lor sudah dicoblos <script>")
    assert copied[1] == "KPU memeriksa gudang: surat suara masih tersegel."
    assert re.fullmatch(rf"{re.escape(live_server.url)}/publik/klarifikasi/\d+/", copied[-1])
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
