"""A real browser: the analyst reads the map of conflict-prone areas, a kelurahan's reasons, and acknowledges an
alert; the responder sees it acknowledged. Screenshots are kept."""

import pytest
from django.db import connection

from sigap.alerts.choices import AlertState
from sigap.alerts.models import Alert

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_analyst_reads_the_map_and_acknowledges_an_alert(page, live_server, live_demo, artifacts):
    _sign_in(page, live_server, "analis", live_demo["analis"])
    page.get_by_role("heading", name="Peringatan dini").wait_for(timeout=5000)
    page.get_by_role("link", name="Peta kerawanan").first.click()
    page.get_by_role("heading", level=1, name="Peta kerawanan konflik · Kota Pasuruan").wait_for(timeout=5000)
    assert page.locator("svg.riskmap path").count() == 34
    assert "tangga lokal" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts / f"risk-map-{connection.vendor}.png"), full_page=True)

    # The most elevated kelurahan heads the table; its page says why, in words.
    first = page.locator("table.list tbody tr").first
    name = first.locator("td a").first.inner_text()
    first.locator("td a").first.click()
    page.get_by_role("heading", level=1).filter(has_text=name).wait_for(timeout=5000)
    reasons = page.locator("section.card").first.inner_text()
    assert "kejadian terverifikasi" in reasons or "kerawanan tetap" in reasons
    page.screenshot(path=str(artifacts / f"risk-area-{connection.vendor}.png"), full_page=True)

    alert = Alert.objects.filter(state=AlertState.TRIGGERED).order_by("-triggered_at").first()
    page.goto(f"{live_server.url}/peringatan/")
    page.get_by_role("link", name=alert.title).first.click()
    page.get_by_label("Catatan").first.fill("Diterima, Bhabinkamtibmas dikabari.")
    page.get_by_role("button", name="Diterima").click()
    page.get_by_text("Peringatan kini: Diterima").wait_for(timeout=5000)
    assert "Diterima, Bhabinkamtibmas dikabari." in page.locator("ol.timeline").inner_text()
    page.screenshot(path=str(artifacts / f"alert-acknowledged-{connection.vendor}.png"), full_page=True)
    alert.refresh_from_db()
    assert alert.state == AlertState.ACKNOWLEDGED
    assert alert.events.last().actor.username == "analis"
