"""A real browser: every persona signs in, lands on its next step, and switches language. Screenshots are kept."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
HEADINGS = {
    "admin": "Ringkasan sistem",
    "analis": "Antrean verifikasi",
    "polres": "Kejadian untuk ditangani",
    "mediator": "Sengketa untuk diselesaikan",
    "pimpinan": "Situasi sekilas",
    "pelapor": "Laporan saya",
}


def _sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Masuk").first.click()
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_every_persona_lands_on_its_next_step(page, live_server, live_demo, artifacts, width):
    page.set_viewport_size(PHONE if width == "phone" else DESKTOP)
    for username, heading in HEADINGS.items():
        _sign_in(page, live_server, username, live_demo[username])
        page.get_by_role("heading", level=1, name=heading).wait_for(timeout=5000)
        assert "Berikutnya:" in page.locator("main").inner_text()
        # The stylesheet is applied (the header is a white bar, not bare text).
        assert page.locator("header.top").evaluate("e => getComputedStyle(e).display") == "flex"
        page.screenshot(path=str(artifacts / f"home-{username}-{width}-{connection.vendor}.png"), full_page=True)
        page.get_by_role("button", name="Keluar").click()
        page.get_by_role("link", name="Masuk").first.wait_for()


def test_english_is_one_click_away_and_stays(page, live_server, live_demo, artifacts):
    _sign_in(page, live_server, "analis", live_demo["analis"])
    page.get_by_role("button", name="EN").click()
    page.get_by_role("heading", level=1, name="Verification queue").wait_for(timeout=5000)
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text() == "Verification queue"
    page.screenshot(path=str(artifacts / f"home-analis-english-{connection.vendor}.png"), full_page=True)
    page.get_by_role("button", name="ID").click()
    page.get_by_role("heading", level=1, name="Antrean verifikasi").wait_for(timeout=5000)


def test_a_wrong_password_is_said_plainly(page, live_server, live_demo):
    _sign_in(page, live_server, "analis", "salah-sekali")
    alert = page.get_by_role("alert")
    alert.wait_for(timeout=5000)
    assert "Nama pengguna atau kata sandi salah" in alert.inner_text()


def test_on_a_phone_no_number_stands_without_its_column(page, live_server, live_demo, artifacts):
    """A stacked table prints each cell's column before it; any other table keeps its header and scrolls sideways
    (it used to stack without names: the public page's counts were bare numbers)."""
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/publik/")
    cell = page.locator("table.list.stacked tbody tr:not(.group) td[data-label='Laporan']").first
    label = cell.evaluate("e => getComputedStyle(e, '::before').content")
    assert label == '"Laporan: "', label  # the column's name, printed before the number
    assert cell.evaluate("e => getComputedStyle(e).display") == "block"  # one card per kelurahan
    assert not page.locator("table.list.stacked thead").is_visible()
    page.screenshot(path=str(artifacts / f"public-phone-{connection.vendor}.png"), full_page=True)
    # A responder in the field: the cases and the tasks are cards, each value with its name, within the screen.
    _sign_in(page, live_server, "polres", live_demo["polres"])
    for path, label in (("/penanganan/", "Penanganan terbuka"), ("/tugas/", "Batas waktu")):
        page.goto(f"{live_server.url}{path}")
        cell = page.locator(f"table.list.stacked td[data-label='{label}']").first
        assert cell.evaluate("e => getComputedStyle(e, '::before').content") == f'"{label}: "'
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    page.screenshot(path=str(artifacts / f"tasks-phone-{connection.vendor}.png"), full_page=True)
    # A matrix (weeks by category) keeps its header row and scrolls sideways; the page does not.
    page.context.clear_cookies()
    _sign_in(page, live_server, "pimpinan", live_demo["pimpinan"])
    page.goto(f"{live_server.url}/dasbor/")
    table = page.locator("table.list.trend")
    assert "stacked" not in (table.get_attribute("class") or "")
    assert table.locator("thead").is_visible()  # the column names stay above the numbers
    assert table.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / f"dashboard-phone-{connection.vendor}.png"), full_page=True)
