"""The verification clock: an incident shows the time left, then how late it is, in the analysts' queue."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from sigap.intake.choices import Channel
from sigap.intake.services import ReportDraft, report_receive
from sigap.triage.choices import Urgency

RECEIVED = datetime(2020, 12, 9, 2, 0, tzinfo=UTC)
WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.django_db
def test_the_queue_shows_the_clock_running_out(client, personas, region, settings):
    settings.SIGAP_VERIFY_TARGET_HOURS = 24
    with time_machine.travel(RECEIVED, tick=False):
        report = report_receive(
            ReportDraft(
                channel=Channel.WEB,
                description="Pendukung paslon membawa celurit, massa 60 orang di gang RW 4",
                region=region("35.75.04.1010"),
            )
        )[0]
    incident = report.incident
    assert incident.urgency >= Urgency.HIGH  # urgent: verified within hours
    assert incident.verification_due_at == RECEIVED + timedelta(hours=24)
    client.force_login(personas["analyst"])
    with time_machine.travel(RECEIVED + timedelta(hours=20), tick=False):
        page = client.get(reverse("home:home")).content.decode()
        assert "verifikasi dalam 4\xa0jam" in page
    with time_machine.travel(RECEIVED + timedelta(hours=30), tick=False):
        page = client.get(reverse("home:home")).content.decode()
        assert "terlambat 6\xa0jam" in page
        detail = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
        assert "terlambat 6\xa0jam" in detail


@pytest.mark.django_db
def test_the_most_urgent_and_most_overdue_come_first(client, personas, region):
    def receive(text, hours):
        with time_machine.travel(RECEIVED + timedelta(hours=hours), tick=False):
            return report_receive(ReportDraft(channel=Channel.WEB, description=text, region=region("35.75.01.1001")))[
                0
            ].incident

    calm_old = receive("Warga berkumpul membahas jadwal ronda malam", 0)
    armed_new = receive("Pendukung paslon membawa celurit, massa 60 orang", 5)
    calm_new = receive("Ada isu penculikan anak di RW 03", 6)
    client.force_login(personas["analyst"])
    page = client.get(reverse("home:home")).content.decode()
    positions = [page.index(f"#{i.pk} ") for i in (armed_new, calm_new, calm_old)]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_a_calm_report_is_verified_within_working_days(region, settings):
    """LAPOR!'s three working days: received on Wednesday 9 December 2020 (the Pilkada holiday, once the shipped
    holidays are loaded), the clock counts Thursday, Friday and Monday."""
    from sigap.core.calendar import holidays_load

    holidays_load()
    settings.SIGAP_CLOCK_VERIFY_DAYS = 3
    with time_machine.travel(RECEIVED, tick=False):
        report = report_receive(
            ReportDraft(channel=Channel.WEB, description="Spanduk SARA di gang RW 4", region=region("35.75.04.1010"))
        )[0]
    assert report.incident.urgency < Urgency.HIGH
    due = report.incident.verification_due_at.astimezone(WIB)
    assert (due.date(), due.hour) == (date(2020, 12, 15), 0)
