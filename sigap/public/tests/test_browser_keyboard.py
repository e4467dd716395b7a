"""The public form on a small phone, by keyboard only: every field is reached with Tab, the report is sent with
Enter, and no page of the public side scrolls sideways at 360 pixels."""

import pytest

from sigap.intake.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focus_by_tab(page, name, limit=40):
    """Press Tab until the field called `name` (or, for "submit", the form's send button) has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.name, document.activeElement.type]")
        if focused[0] == name or (name == "submit" and focused[1] == "submit"):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_a_report_by_keyboard_on_a_small_phone(page, live_server, gazetteer, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    page.set_viewport_size({"width": 360, "height": 640})
    for url in ("/", "/lapor/", "/publik/", "/laporan/cek/", "/laporan/kirim-ulang/"):
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
    page.goto(f"{live_server.url}/lapor/")
    focus_by_tab(page, "description")
    page.keyboard.type("Ada provokasi di grup WhatsApp warga RW 03 menjelang pemungutan suara")
    focus_by_tab(page, "kelurahan")
    page.keyboard.type("Bugul Lor")  # a focused select picks the option whose text is typed
    assert page.evaluate("document.activeElement.selectedOptions[0].text").startswith("Bugul Lor")
    focus_by_tab(page, "online_provocation")
    page.keyboard.press("Space")
    focus_by_tab(page, "submit")
    page.keyboard.press("Enter")
    receipt = page.locator("#receipt").inner_text()
    report = Report.objects.get(receipt=receipt)
    assert report.region.name == "Bugul Lor" and report.online_provocation
