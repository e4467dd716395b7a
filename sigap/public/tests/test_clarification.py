"""Clarifications: a rumour the team found untrue, told to the public and forwarded back to where it went round."""

from datetime import datetime, timedelta
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from sigap.accounts.models import User
from sigap.conftest import BUGUL_LOR
from sigap.core.grading import Credibility, Reliability
from sigap.core.models import AuditLog
from sigap.core.roles import Role
from sigap.intake.choices import Channel
from sigap.intake.services import ReportDraft, report_receive
from sigap.intake.tasks import _update_sms
from sigap.notify.choices import ChannelKind
from sigap.notify.models import Channel as NotifyChannel
from sigap.notify.models import Notification
from sigap.notify.services import deliver_due
from sigap.public.models import Clarification
from sigap.public.services import ClarificationError, clarification_publish, clarification_withdraw
from sigap.triage.choices import IncidentStatus
from sigap.triage.services import incident_reopen, incident_verify

WIB = ZoneInfo("Asia/Jakarta")
BUKIR = "35.75.01.1005"
CLAIM = "Surat suara di Bugul Lor sudah dicoblos untuk salah satu paslon."
FINDING = "KPU dan Bawaslu memeriksa gudang: surat suara masih tersegel."


def rumour(region, *, decide=IncidentStatus.HOAX, analyst=None):
    """A reporter with a name and a contact reports a rumour; the analyst decides on it."""
    with time_machine.travel(datetime(2020, 12, 5, 9, tzinfo=WIB), tick=False):
        report = report_receive(
            ReportDraft(
                channel=Channel.WEB,
                description="Pesan berantai dari Pak Darmaji: surat suara sudah dicoblos untuk paslon 01",
                region=region(BUGUL_LOR),
                reporter_name="Siti Rahayu",
                reporter_contact="siti@example.org",
            )
        )[0]
    incident = report.incident
    if decide != IncidentStatus.NEW:
        incident = incident_verify(
            incident=incident,
            decision=decide,
            actor=analyst,
            reliability=Reliability.F,
            credibility=Credibility.IMPROBABLE,
        )
    return report, incident


@pytest.mark.django_db
def test_an_analyst_publishes_a_clarification_that_the_public_reads_and_forwards(client, region, personas):
    report, incident = rumour(region, analyst=personas["analyst"])
    client.force_login(personas["analyst"])
    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert reverse("public:clarification_new", args=[incident.pk]) in page
    answer = client.post(reverse("public:clarification_new", args=[incident.pk]), {"claim": CLAIM, "finding": FINDING})
    published = Clarification.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"#klarifikasi-{published.pk}")
    assert published.region.code == BUGUL_LOR and published.published_by == personas["analyst"]
    assert incident.events.filter(verb="clarified", note=CLAIM).exists()
    assert AuditLog.objects.filter(action="clarification.published").count() == 1

    client.logout()
    listed = client.get(reverse("public:page")).content.decode()
    assert CLAIM in listed and reverse("public:clarification", args=[published.pk]) in listed
    landing = client.get(reverse("home:landing")).content.decode()  # where a warga arrives
    assert reverse("public:clarification", args=[published.pk]) in landing
    own = client.get(reverse("public:clarification", args=[published.pk])).content.decode()
    assert CLAIM in own and FINDING in own
    share = own.split('href="https://wa.me/?text=')[1].split('"')[0]
    assert CLAIM in unquote(share) and f"/publik/klarifikasi/{published.pk}/" in unquote(share)
    for secret in ("Siti", "siti@example.org", "Darmaji", report.receipt):
        assert secret not in listed and secret not in own

    [listed_in_api] = client.get("/api/v1/clarifications").json()
    assert listed_in_api["claim"] == CLAIM and listed_in_api["region_code"] == BUGUL_LOR
    assert listed_in_api["url"].endswith(f"/publik/klarifikasi/{published.pk}/")
    assert not any(secret in str(listed_in_api) for secret in ("Siti", "siti@example.org", "Darmaji"))

    # The reporter reads the link on the receipt, to pass on to the group the rumour came from; one who left a phone
    # number gets it whole in one SMS, with the city's own address.
    receipt = client.get(f"/api/v1/receipts/{report.receipt}").json()
    [told] = [m["body"] for m in receipt["messages"] if f"/publik/klarifikasi/{published.pk}/" in m["body"]]
    long_link = f"https://sigap.pasuruankota.go.id/publik/klarifikasi/{published.pk}/"
    assert _update_sms(report.receipt, told.replace(told.split()[-1], long_link), bilingual=False).endswith(long_link)


@pytest.mark.django_db
def test_only_a_hoax_gets_a_clarification_and_one_at_a_time(region, personas):
    analyst = personas["analyst"]
    _report, open_incident = rumour(region, decide=IncidentStatus.NEW)
    with pytest.raises(ClarificationError):
        clarification_publish(incident=open_incident, actor=analyst, claim=CLAIM, finding=FINDING)
    _report, hoax = rumour(region, analyst=analyst)
    for claim, finding in (("", FINDING), (CLAIM, "  "), ("x" * 301, FINDING)):
        with pytest.raises(ClarificationError):
            clarification_publish(incident=hoax, actor=analyst, claim=claim, finding=finding)
    first = clarification_publish(incident=hoax, actor=analyst, claim=CLAIM, finding=FINDING)
    with pytest.raises(ClarificationError):
        clarification_publish(incident=hoax, actor=analyst, claim=CLAIM, finding="Kedua kalinya")
    clarification_withdraw(clarification=first, actor=analyst, note="Salah kelurahan")
    second = clarification_publish(incident=hoax, actor=analyst, claim=CLAIM, finding="Diperbaiki")
    assert list(Clarification.objects.in_force()) == [second]


@pytest.mark.django_db
def test_a_form_with_an_error_keeps_what_was_written_and_others_may_not_publish(client, region, personas):
    _report, incident = rumour(region, analyst=personas["analyst"])
    url = reverse("public:clarification_new", args=[incident.pk])
    for role in ("responder", "leadership", "trusted_reporter"):
        client.force_login(personas[role])
        assert client.post(url, {"claim": CLAIM, "finding": FINDING}).status_code in (403, 404)
    client.force_login(personas["analyst"])
    answer = client.post(url, {"claim": CLAIM, "finding": ""})
    assert answer.status_code == 200 and CLAIM in answer.content.decode()
    assert not Clarification.objects.exists()


@pytest.mark.django_db
def test_a_withdrawn_clarification_or_a_reopened_incident_takes_it_off_the_public_page(client, region, personas):
    analyst = personas["analyst"]
    _report, first = rumour(region, analyst=analyst)
    _report, second = rumour(region, analyst=analyst)
    withdrawn = clarification_publish(incident=first, actor=analyst, claim=CLAIM, finding=FINDING)
    doubted = clarification_publish(
        incident=second, actor=analyst, claim="Ada penculikan anak", finding="Tidak ada anak hilang"
    )
    client.force_login(analyst)
    answer = client.post(reverse("public:clarification_withdraw", args=[withdrawn.pk]), {"note": "Info KPU berubah"})
    assert answer.status_code == 302 and first.events.filter(verb="clarification_withdrawn").exists()
    incident_reopen(incident=second, actor=analyst, reason="Ada laporan baru dari Polsek")
    client.logout()

    listed = client.get(reverse("public:page")).content.decode()
    assert CLAIM not in listed and "Ada penculikan anak" not in listed
    page = client.get(reverse("public:clarification", args=[withdrawn.pk])).content.decode()
    assert "Info KPU berubah" in page and FINDING not in page and "wa.me" not in page
    page = client.get(reverse("public:clarification", args=[doubted.pk])).content.decode()
    assert "Tidak ada anak hilang" not in page and "wa.me" not in page


@pytest.mark.django_db
def test_the_analysts_home_lists_the_recent_hoaxes_the_public_was_not_told_about(client, region, personas):
    analyst = personas["analyst"]
    _report, told = rumour(region, analyst=analyst)
    _report, untold = rumour(region, analyst=analyst)
    clarification_publish(incident=told, actor=analyst, claim=CLAIM, finding=FINDING)
    client.force_login(analyst)
    home = client.get(reverse("home:home")).content.decode()
    section = home.split('id="hoaxes-untold"')[1].split("</section>")[0]
    assert reverse("triage:incident_detail", args=[untold.pk]) in section
    assert reverse("triage:incident_detail", args=[told.pk]) not in section
    with time_machine.travel(untold.closed_at + timedelta(days=15)):
        assert 'id="hoaxes-untold"' not in client.get(reverse("home:home")).content.decode()


@pytest.mark.django_db
def test_the_trusted_reporters_of_the_kelurahan_get_the_clarification_to_pass_on(client, region, personas, smtp_server):
    """The tokoh and the Bhabinkamtibmas of the kelurahan sit in the groups where the rumour goes round: they get
    the clarification by their channels (a real SMTP server here); a reporter of another kelurahan does not."""
    tokoh = personas["trusted_reporter"]  # Bugul Lor
    elsewhere = User.objects.create(username="tokoh-bukir", role=Role.TRUSTED_REPORTER, area=region(BUKIR))
    for user in (tokoh, elsewhere):
        NotifyChannel.objects.create(
            name=f"Surel {user.username}", kind=ChannelKind.EMAIL, user=user, config={"address": f"{user}@rt.example"}
        )
    _report, incident = rumour(region, analyst=personas["analyst"])
    published = clarification_publish(incident=incident, actor=personas["analyst"], claim=CLAIM, finding=FINDING)
    [queued] = Notification.objects.filter(purpose="clarification")
    with time_machine.travel(queued.next_attempt_at + timedelta(minutes=1)):  # after quiet hours, if it was held
        deliver_due(limit=50)
    client.force_login(tokoh)  # and on their home page, channels or not
    section = client.get(reverse("home:home")).content.decode().split('id="clarifications"')[1].split("</section>")[0]
    assert reverse("public:clarification", args=[published.pk]) in section
    client.force_login(elsewhere)
    assert 'id="clarifications"' not in client.get(reverse("home:home")).content.decode()
    [mail] = [m for m in smtp_server if "Klarifikasi" in m["Subject"]]
    assert mail["To"] == "trusted_reporter@rt.example" and "Bugul Lor" in mail["Subject"]
    part = mail.get_payload(0) if mail.is_multipart() else mail
    body = part.get_payload(decode=True).decode()
    assert CLAIM in body and FINDING in body and f"/publik/klarifikasi/{published.pk}/" in body

    # Published late in the evening, it waits for the morning, as an early warning to them does.
    _report, late = rumour(region, analyst=personas["analyst"])
    evening = datetime(2020, 12, 5, 23, 0, tzinfo=WIB)
    clarification_publish(incident=late, actor=personas["analyst"], claim=CLAIM, finding=FINDING, at=evening)
    held = Notification.objects.filter(purpose="clarification").exclude(pk=queued.pk).get()
    assert held.next_attempt_at == datetime(2020, 12, 6, 6, 0, tzinfo=WIB)


@pytest.mark.django_db
def test_a_clarification_withdrawn_overnight_is_not_passed_on_in_the_morning(region, personas, smtp_server):
    """Published at 23.00, held for the morning, withdrawn at 23.30 because the finding was wrong: at 06.00 the
    tokoh still got it to forward to their groups."""
    tokoh = personas["trusted_reporter"]
    NotifyChannel.objects.create(
        name="Surel tokoh", kind=ChannelKind.EMAIL, user=tokoh, config={"address": "t@rt.example"}
    )
    _report, incident = rumour(region, analyst=personas["analyst"])
    evening = datetime(2020, 12, 5, 23, 0, tzinfo=WIB)
    published = clarification_publish(
        incident=incident, actor=personas["analyst"], claim=CLAIM, finding=FINDING, at=evening
    )
    clarification_withdraw(
        clarification=published, actor=personas["analyst"], note="Temuan keliru", at=evening + timedelta(minutes=30)
    )
    with time_machine.travel(datetime(2020, 12, 6, 6, 5, tzinfo=WIB)):
        deliver_due(limit=50)
    held = Notification.objects.get(purpose="clarification")
    assert held.status == "dropped" and held.dropped_because == f"klarifikasi #{published.pk} sudah ditarik"
    assert not [m for m in smtp_server if "Klarifikasi" in m["Subject"]]
