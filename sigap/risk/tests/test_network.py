"""The reporter network: who can report from each kelurahan, and where nobody did lately (the map's blind spots)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from sigap.accounts.models import User
from sigap.conftest import BUGUL_LOR, CITY
from sigap.core.roles import Role
from sigap.directory.choices import PersonRole
from sigap.directory.models import Person
from sigap.intake.choices import Channel
from sigap.intake.models import Report
from sigap.intake.receipts import receipt_new
from sigap.intake.services import nil_report_send
from sigap.notify.models import Channel as NotifyChannel
from sigap.notify.models import Notification
from sigap.notify.services import periodic_due
from sigap.risk.network import network_of, reporter_network

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2020, 12, 9, 12, tzinfo=WIB)
TRAJENG = "35.75.04.1003"
KARANGANYAR = "35.75.04.1001"


def _report(region, at):
    Report.objects.create(
        channel=Channel.WEB, description="Spanduk dirobek", region=region, received_at=at, receipt=receipt_new()
    )


@pytest.mark.django_db
def test_each_kelurahan_is_counted_and_the_blind_ones_come_first(personas, region):
    covered, lapsed = region(BUGUL_LOR), region(TRAJENG)
    # Bugul Lor: the fixture's trusted reporter, the four kinds of people, a report last week.
    for role in (PersonRole.TOKOH_AGAMA, PersonRole.KETUA_RT_RW, PersonRole.BABINSA, PersonRole.BHABINKAMTIBMAS):
        Person.objects.create(name=f"{role} Bugul Lor", role=role, region=covered)
    _report(covered, NOW - timedelta(days=6))
    NotifyChannel.objects.create(name="Aplikasi", kind="in_app", user=personas["trusted_reporter"])
    # Trajeng: a Babinsa, a trusted reporter whose account was closed, and a report two months ago.
    Person.objects.create(name="Serka Trajeng", role=PersonRole.BABINSA, region=lapsed)
    # and a Bhabinkamtibmas who moved on: in the directory's history, not in the network
    Person.objects.create(name="Aipda Trajeng", role=PersonRole.BHABINKAMTIBMAS, region=lapsed, active=False)
    User.objects.create_user("gone", role=Role.TRUSTED_REPORTER, area=lapsed, is_active=False)
    _report(lapsed, NOW - timedelta(days=60))
    _report(lapsed, NOW + timedelta(days=1))  # after the day looked at: not "recent" then

    rows = reporter_network(CITY, NOW)
    assert len(rows) == 34
    by_code = {r.region.code: r for r in rows}
    good = by_code[BUGUL_LOR]
    assert (good.trusted_reporters, good.recent_reports, good.gaps, good.blind) == (1, 1, [], False)
    assert good.people == {"leaders": 1, "rt_rw": 1, "babinsa": 1, "bhabinkamtibmas": 1}
    quiet = by_code[TRAJENG]
    assert (quiet.trusted_reporters, quiet.recent_reports, quiet.blind) == (0, 0, True)
    assert quiet.last_report_at == NOW + timedelta(days=1)
    assert quiet.gaps == [
        "tidak ada pelapor terpercaya",
        "tidak ada Bhabinkamtibmas terdaftar",
        "tidak ada tokoh atau RT/RW terdaftar",
        "tidak seorang pun di sini menerima peringatan dini (tanpa kanal)",
        "tidak ada kabar dalam 30 hari, laporan nihil pun tidak",
    ]
    # The blind kelurahan first (the most gaps among them first), the covered one last.
    assert rows[-1].region.code == BUGUL_LOR and all(r.blind for r in rows[:33])
    assert network_of(lapsed, NOW).gaps == quiet.gaps
    # A nil report within the window is heard: the kelurahan is quiet, not unwatched; an old one is not enough.
    reporter = User.objects.create_user("tokoh_trajeng", role=Role.TRUSTED_REPORTER, area=lapsed)
    nil_report_send(user=reporter, at=NOW - timedelta(days=40))
    assert network_of(lapsed, NOW).blind
    nil_report_send(user=reporter, at=NOW - timedelta(days=5))
    heard = network_of(lapsed, NOW)
    assert not heard.blind and heard.recent_reports == 0 and heard.last_nil_at == NOW - timedelta(days=5)
    assert "tidak ada pelapor terpercaya" not in heard.gaps and not any("kabar" in g for g in heard.gaps)


@pytest.mark.django_db
def test_the_network_counts_who_an_alert_would_reach(client, personas, region):
    """A tokoh in the directory without a channel is in the network but hears no early warning: the network says
    how many of each kelurahan's people an alert reaches (an active channel; a serving person; an active account),
    and names the kelurahan where nobody would hear it."""
    bugul_lor = region(BUGUL_LOR)
    tokoh = Person.objects.create(name="Kyai Bugul Lor", role=PersonRole.TOKOH_AGAMA, region=bugul_lor)
    ketua = Person.objects.create(name="Pak RW", role=PersonRole.KETUA_RT_RW, region=bugul_lor)
    gone = Person.objects.create(name="Pak RW lama", role=PersonRole.KETUA_RT_RW, region=bugul_lor, active=False)
    sms = {"url": "http://127.0.0.1:9/sms", "phone": "+6281200000001"}
    NotifyChannel.objects.create(name="SMS", kind="gateway", person=gone, config=sms)
    NotifyChannel.objects.create(name="SMS", kind="gateway", person=ketua, config=sms, active=False)
    row = network_of(bugul_lor, NOW)
    assert row.warned == 0 and "tidak seorang pun di sini menerima peringatan dini (tanpa kanal)" in row.gaps
    NotifyChannel.objects.create(name="SMS", kind="gateway", person=tokoh, config=sms)
    NotifyChannel.objects.create(name="Surel", kind="email", person=tokoh, config={"address": "kyai@example.org"})
    NotifyChannel.objects.create(name="Aplikasi", kind="in_app", user=personas["trusted_reporter"])
    row = network_of(bugul_lor, NOW)
    assert row.warned == 2 and not any("peringatan dini" in g for g in row.gaps)  # the tokoh once, the reporter
    assert row.by_text == 1  # the tokoh has a phone (he answers NIHIL and PANTAU by SMS); the reporter an inbox
    client.force_login(personas["analyst"])
    assert "2 orang menerima peringatan di sini" in client.get(reverse("risk:area", args=[BUGUL_LOR])).content.decode()
    page = client.get(reverse("risk:network")).content.decode()
    assert 'data-label="Menerima peringatan">2</td>' in page and 'data-label="Lewat SMS">1</td>' in page


@pytest.mark.django_db
def test_the_network_page_and_the_area_page_say_where_nobody_reports(client, personas, region):
    client.force_login(personas["leadership"])
    page = client.get(reverse("risk:network")).content.decode()
    assert "Tidak ada kabar dari 34 kelurahan dalam 30 hari terakhir" in page
    assert f'href="{reverse("risk:area", args=[KARANGANYAR])}"' in page
    area = client.get(reverse("risk:area", args=[KARANGANYAR])).content.decode()
    assert "Tidak ada yang melapor dari sini" in area
    area = client.get(reverse("risk:area", args=[BUGUL_LOR])).content.decode()
    assert "1 pelapor terpercaya" in area and "Tidak ada yang melapor dari sini" in area  # a silent reporter
    nil_report_send(user=personas["trusted_reporter"])
    area = client.get(reverse("risk:area", args=[BUGUL_LOR])).content.decode()
    assert "laporan nihil terakhir" in area and "Tidak ada yang melapor dari sini" not in area
    client.force_login(personas["admin"])  # who adds the accounts: told on the home page
    home = client.get(reverse("home:home")).content.decode()
    assert f'<a href="{reverse("risk:network")}">33 kelurahan tidak punya pelapor terpercaya.</a>' in home
    # and the network links each kelurahan without one to the account form, its role and area filled in
    page = client.get(reverse("risk:network")).content.decode()
    karanganyar = region(KARANGANYAR)
    add = f"{reverse('admin:accounts_user_add')}?role=trusted_reporter&amp;area={karanganyar.pk}"
    assert add in page and f"area={region(BUGUL_LOR).pk}" not in page
    form = client.get(add.replace("&amp;", "&")).content.decode()
    assert f'name="area" value="{karanganyar.pk}"' in form
    assert '<option value="trusted_reporter" selected>' in form
    made = client.post(
        add.replace("&amp;", "&"),
        {
            "username": "tokoh_karanganyar",
            "password1": "Rahasia-Karanganyar-2020",
            "password2": "Rahasia-Karanganyar-2020",
            "usable_password": "true",
            "role": "trusted_reporter",
            "area": karanganyar.pk,
            "title": "Tokoh masyarakat Karanganyar",
        },
    )
    assert made.status_code == 302
    assert User.objects.get(username="tokoh_karanganyar").area == karanganyar
    assert network_of(karanganyar, NOW).trusted_reporters == 1
    client.force_login(personas["trusted_reporter"])
    assert client.get(reverse("risk:network")).status_code == 403


@pytest.mark.django_db
def test_a_trusted_reporter_sends_nothing_to_report_from_the_home_page(client, personas, region):
    reporter = personas["trusted_reporter"]  # Bugul Lor
    client.force_login(reporter)
    home = client.get(reverse("home:home")).content.decode()
    assert "Tidak ada yang perlu dilaporkan di Bugul Lor hari ini" in home
    sent = client.post(reverse("intake:nil_report"), follow=True).content.decode()
    assert "laporan nihil untuk Bugul Lor tercatat" in sent and "Terakhir dikirim:" in sent
    client.post(reverse("intake:nil_report"))  # twice the same day: still one nil report
    assert reporter.nil_reports.count() == 1 and reporter.nil_reports.get().region == region(BUGUL_LOR)
    assert not Report.objects.exists()  # no incident, nothing to triage
    row = network_of(region(BUGUL_LOR), reporter.nil_reports.get().at)
    assert row.heard_recently and row.last_nil_at is not None
    client.force_login(personas["responder"])
    assert client.post(reverse("intake:nil_report")).status_code == 403


@pytest.mark.django_db
def test_a_silent_trusted_reporter_is_asked_for_a_report_or_a_nil_report(personas, region):
    reporter = personas["trusted_reporter"]
    NotifyChannel.objects.create(name="Kotak masuk", kind="in_app", user=reporter, config={})
    User.objects.filter(pk=reporter.pk).update(date_joined=NOW - timedelta(days=60))
    nil_report_send(user=reporter, at=NOW - timedelta(days=6, hours=2))

    def asked():
        return list(Notification.objects.filter(subject__startswith="Ada kabar dari").values_list("body", flat=True))

    periodic_due(NOW)  # six days of silence: not yet
    assert asked() == []
    periodic_due(NOW + timedelta(days=1, hours=-6))  # seven days, but before the digest hour
    assert asked() == []
    periodic_due(NOW + timedelta(days=1))
    periodic_due(NOW + timedelta(days=1, hours=2))  # the same silence: asked once
    assert len(asked()) == 1 and "Sudah 7 hari" in asked()[0] and "laporan nihil" in asked()[0]
    assert "daftar periksa wilayah" in asked()[0]  # what to do when something is brewing but nothing happened
    periodic_due(NOW + timedelta(days=8))  # another week of it: asked again
    assert len(asked()) == 2
    nil_report_send(user=reporter, at=NOW + timedelta(days=8, hours=1))  # heard again: quiet for a week
    periodic_due(NOW + timedelta(days=10))
    assert len(asked()) == 2
