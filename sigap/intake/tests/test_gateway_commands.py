"""A trusted reporter's NIHIL and PANTAU by SMS/WhatsApp: the nil report and the area checklist from a phone without
a data plan, recognised by the number the administrator gave the reporter's gateway channel."""

import json
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from sigap.accounts.models import User
from sigap.core.grading import Credibility, Reliability
from sigap.core.models import AuditLog
from sigap.directory.choices import PersonRole
from sigap.directory.models import Person
from sigap.intake.commands import command_of
from sigap.intake.gateways import CheckCommand, CheckHelpCommand, NilCommand, courtesy_only, twilio_signature
from sigap.intake.models import GatewayCommand, MonitorCheck, NilReport, Report
from sigap.intake.tests.test_gateways import TOKEN, gateways, send_generic  # noqa: F401 (the fixture sets secrets)
from sigap.notify.models import Channel as NotifyChannel
from sigap.notify.models import Notification
from sigap.notify.services import deliver, deliver_due, periodic_due
from sigap.risk.models import AreaRisk
from sigap.risk.network import network_of
from sigap.risk.services import risk_recompute
from sigap.risk.tests.factories import BUGUL_LOR, CITY, DAY, WIB, at
from sigap.triage.choices import IncidentStatus
from sigap.triage.services import incident_tell_reporters, incident_verify, reporter_message_answer

PHONE = "+6281234500001"


@pytest.fixture
def on_day():
    with time_machine.travel(datetime.combine(DAY, datetime.min.time(), tzinfo=WIB) + timedelta(hours=9), tick=False):
        yield


@pytest.fixture
def reporter(personas):
    """The Bhabinkamtibmas of Bugul Lor, whose phone the administrator wrote as 0812-3450-0001."""
    user = personas["trusted_reporter"]
    user.source_reliability = Reliability.A
    user.save()
    phone_of(user, "0812-3450-0001")
    return user


def phone_of(user, number):
    NotifyChannel.objects.create(
        name="HP", kind="gateway", user=user, config={"url": "http://127.0.0.1:9/", "phone": number}
    )


def sms(client, text, *, sender=PHONE, message_id="sms-1", channel="sms"):
    return send_generic(client, {"channel": channel, "from": sender, "text": text, "id": message_id})


@pytest.mark.parametrize(
    ("text", "command"),
    [
        (
            "PANTAU 1 4 D2 massa kumpul di posko, malam ini",
            CheckCommand(("mobilisation", "weapons"), ("leaders_calm",), "massa kumpul di posko, malam ini", ()),
        ),
        ("pantau 1,4. d2", CheckCommand(("mobilisation", "weapons"), ("leaders_calm",), "", ())),
        ("Pantau 0", CheckCommand((), (), "", ())),
        ("PANTAU aman, warga tenang", CheckCommand((), (), "warga tenang", ())),
        ("PANTAU 12 3 D9", CheckCommand(("intimidation",), (), "", ("12", "D9"))),
        ("PANTAU", CheckHelpCommand()),
        ("pantau kode", CheckHelpCommand()),
        ("NIHIL", NilCommand("")),
        ("Nihil, situasi aman.", NilCommand("situasi aman.")),
        ("LAPOR Bugul Lor ada amplop dibagikan", None),
        ("pantauan saya ada massa di pasar", None),
        ("nihilnya kemarin ada ribut", None),
    ],
)
def test_the_commands_read(text, command):
    assert command_of(text) == command


@pytest.mark.django_db
def test_a_checklist_by_sms_is_the_reporters_and_a_retried_message_replaces_nothing(
    personas, on_day, client, reporter, django_capture_on_commit_callbacks
):
    NotifyChannel.objects.create(name="Kotak masuk", kind="in_app", user=personas["analyst"], config={})
    with django_capture_on_commit_callbacks(execute=True):
        response = sms(client, "PANTAU 4 d2 ada yang bawa celurit di posko paslon 01")
    assert response.status_code == 200
    assert response.json()["outcome"] == "checklist" and response.json()["receipt"] is None
    assert response.json()["reply"] == (
        "Pantauan Bugul Lor 9 Des tercatat: 4 senjata tajam; tanda damai: D2 tokoh menyejukkan. Terima kasih. "
        "Kirim lagi hari ini untuk mengganti."
    )
    check = MonitorCheck.objects.get()
    assert (check.reporter, check.region.code, check.day) == (reporter, BUGUL_LOR, DAY)
    assert check.signs == ["weapons"] and check.peace == ["leaders_calm"]
    assert check.note == "ada yang bawa celurit di posko paslon 01"
    assert AuditLog.objects.get(action="monitor.check_sent").details["via"] == "generic" == check.via
    client.force_login(personas["analyst"])  # the city's checklists say which came by SMS (a sender id is forgeable)
    assert "Bugul Lor" in (page := client.get(reverse("risk:checks")).content.decode()) and "SMS/WhatsApp" in page
    # A sign of violence being prepared wakes the secretariat as from the web form.
    assert Notification.objects.filter(subject__startswith="[Pantauan] Bugul Lor: senjata tajam").count() == 1
    assert not Report.objects.exists()

    calm = sms(client, "PANTAU 0", message_id="sms-2")
    assert calm.json()["reply"].startswith("Pantauan Bugul Lor 9 Des tercatat: tidak ada tanda kerawanan.")
    retried = sms(client, "PANTAU 4 d2 ada yang bawa celurit di posko paslon 01")  # the gateway's late retry
    assert retried.status_code == 409
    assert MonitorCheck.objects.get().signs == []  # the later checklist stands
    assert GatewayCommand.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["NIHIL", "nihil. Situasi wilayah Bugul Lor aman dan kondusif, tidak ada kejadian menonjol. Terima kasih"]
)
def test_nihil_by_sms_is_the_nil_report(on_day, client, reporter, text):
    response = sms(client, text, sender="081234500001")  # the same number written another way
    assert response.status_code == 200 and response.json()["outcome"] == "nil_report"
    assert response.json()["reply"] == "Laporan nihil Bugul Lor 9 Des tercatat. Terima kasih."
    nil = NilReport.objects.get()
    assert (nil.reporter, nil.region.code, nil.day) == (reporter, BUGUL_LOR, DAY)
    assert sms(client, text, sender="081234500001").status_code == 409


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["NIHIL tapi ada massa kumpul di RW 3", "Nihil, ada gangguan", "NIHIL situasi tidak aman", "PANTAU 3 11"]
)
def test_a_message_that_says_more_than_nothing_or_a_code_not_on_the_list_records_nothing(
    on_day, client, reporter, text
):
    response = sms(client, text)
    assert response.status_code == 200 and response.json()["outcome"] == "refused"
    assert "belum dicatat" in response.json()["reply"]
    assert not (NilReport.objects.exists() or MonitorCheck.objects.exists() or GatewayCommand.objects.exists())
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_only_a_number_given_to_one_active_trusted_reporter_counts(on_day, client, reporter, personas):
    assert NotifyChannel.objects.get(user=reporter).phone == "6281234500001"  # kept on save, found by index
    stranger = sms(client, "PANTAU 1 massa di lapangan", sender="+6285700000009")
    assert stranger.json()["outcome"] == "refused" and "tidak terdaftar" in stranger.json()["reply"]
    help_ = sms(client, "PANTAU KODE", sender="+6285700000009", message_id="sms-2")
    assert help_.json()["outcome"] == "help"
    assert "10 kerumunan tanpa prokes" in help_.json()["reply"] and "D5 kesepakatan dijaga" in help_.json()["reply"]

    # A number the person added as an e-mail channel of their own, or one on a staff account, counts for nothing.
    NotifyChannel.objects.create(
        name="HP",
        kind="gateway",
        user=personas["analyst"],
        config={"url": "http://127.0.0.1:9/", "phone": "0857-0000-0009"},
    )
    assert sms(client, "NIHIL", sender="+6285700000009", message_id="sms-3").json()["outcome"] == "refused"
    reporter.is_active = False
    reporter.save()
    assert sms(client, "NIHIL", message_id="sms-4").json()["outcome"] == "refused"
    assert not NilReport.objects.exists() and not MonitorCheck.objects.exists()


@pytest.mark.django_db
def test_a_trusted_reporters_report_by_sms_is_theirs_in_their_kelurahan(
    on_day, client, reporter, personas, http_receiver
):
    response = sms(client, "ada spanduk provokatif dipasang di depan masjid semalam")
    assert response.status_code == 201 and response.json()["outcome"] == "report"
    report = Report.objects.get()
    assert report.submitted_by == reporter and report.source_reliability == Reliability.A
    assert report.region.code == BUGUL_LOR and report.channel == "sms"
    assert not report.has_identity  # the account is who sent it; the number is not kept beside it
    # With no contact on the report (the account is who sent it), the team's answer and the status words reach the
    # reporter through their own channels: here the phone the administrator registered. No receipt code leaves.
    reporter_message_answer(report=report, body="Berapa orang yang memasang?", author=personas["analyst"])
    incident_verify(
        incident=report.incident,
        decision=IncidentStatus.VERIFIED,
        actor=personas["analyst"],
        reliability=Reliability.B,
        credibility=Credibility.CONFIRMED,
    )
    told = list(Notification.objects.filter(purpose="report_news").order_by("pk"))
    assert [(n.channel.user, n.channel.kind) for n in told] == [(reporter, "gateway")] * 2
    assert "Berapa orang yang memasang?" in told[0].body and "dinyatakan benar" in told[1].body
    assert all(f"/laporan/saya/{report.pk}/" in n.body and report.receipt not in n.subject + n.body for n in told)
    assert told[0].subject == "Kabar laporan Anda di Bugul Lor"
    # By SMS the words themselves go, with the link: the subject only says whom it is about.
    NotifyChannel.objects.filter(user=reporter).update(
        config={"url": f"{http_receiver.url}/sms", "phone": "0812-3450-0001"}
    )
    assert deliver_due(limit=10) == 2
    texts = [json.loads(r["raw"])["text"] for r in http_receiver.requests]
    link = f"/laporan/saya/{report.pk}/"
    assert texts[0].startswith("Sigap: Berapa orang yang memasang? http") and texts[0].endswith(link)
    assert texts[1].startswith("Sigap: Laporan Anda sudah diperiksa dan dinyatakan benar") and len(texts[1]) <= 160
    assert "Your report" not in texts[1] and texts[1].endswith(link)
    named = sms(client, "ada yang bawa celurit di dekat pasar Kebonagung", message_id="sms-9")  # another kelurahan
    assert Report.objects.get(receipt=named.json()["receipt"]).region.name == "Kebonagung"

    # A number two accounts share is nobody's: the report is a member of the public's, with the number sealed.
    phone_of(User.objects.create(username="twin", role="trusted_reporter", area=reporter.area), PHONE)
    shared = sms(client, "LAPOR Kebonagung ada amplop dibagikan", message_id="sms-2")
    public = Report.objects.get(receipt=shared.json()["receipt"])
    assert public.submitted_by is None and public.has_identity and public.source_reliability == Reliability.F
    assert sms(client, "NIHIL", message_id="sms-3").json()["reply"].startswith("Nomor ini terdaftar untuk lebih dari")


@pytest.mark.django_db
def test_nihil_over_twilio_whatsapp_answers_in_twiml(on_day, client, reporter, settings):
    params = {"From": f"whatsapp:{PHONE}", "Body": "Nihil", "MessageSid": "SM1"}
    url = "https://sigap.example.go.id/api/v1/gateways/twilio"
    response = client.post(
        "/api/v1/gateways/twilio",
        urlencode(params),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=twilio_signature(TOKEN, url, params),
    )
    assert response.status_code == 200
    assert "<Message>Laporan nihil Bugul Lor 9 Des tercatat. Terima kasih.</Message>" in response.content.decode()
    assert NilReport.objects.get().reporter == reporter


@pytest.mark.django_db
def test_the_pages_and_the_reminder_say_how_and_to_which_number(
    on_day, client, reporter, personas, settings, http_receiver
):
    settings.SIGAP_GATEWAY_NUMBER = "0811-3030-2020"
    client.force_login(reporter)
    form = client.get(reverse("intake:monitor_check")).content.decode()
    assert '<span class="code">4</span> Senjata tajam' in form and '<span class="code">D2</span> Tokoh' in form
    assert "Tanpa kuota, kirim ke <strong>0811-3030-2020</strong>" in form and "berakhiran 0001" in form
    home = client.get(reverse("home:home")).content.decode()
    assert "lewat SMS atau WhatsApp ke 0811-3030-2020" in home
    client.logout()
    public = client.get(reverse("intake:report_new")).content.decode()
    assert "Kirim SMS atau WhatsApp ke <strong>0811-3030-2020</strong>: LAPOR, nama kelurahan" in public

    # The silent reporter's reminder (it may reach them by SMS) says the same.
    User.objects.filter(pk=reporter.pk).update(date_joined=timezone.now() - timedelta(days=60))
    periodic_due(at(DAY, 19) + timedelta(days=1))
    asked = Notification.objects.get(subject__startswith="Ada kabar dari")
    assert "Tanpa kuota: NIHIL, atau PANTAU + nomor tanda, lewat SMS ke 0811-3030-2020." in asked.body
    NotifyChannel.objects.filter(pk=asked.channel_id).update(
        config={"url": f"{http_receiver.url}/sms", "phone": "0812-3450-0001"}
    )
    assert deliver(asked)  # by SMS, the first paragraph whole: how to answer without data
    assert json.loads(http_receiver.requests[0]["raw"])["text"] == (
        "Sigap: Ada kabar dari Bugul Lor? Sudah 61 hari tidak ada laporan dari Anda. Tanpa kuota: NIHIL, atau PANTAU "
        "+ nomor tanda, lewat SMS ke 0811-3030-2020."
    )

    # A reporter without a registered phone is told to ask for one; where no gateway takes messages, nothing is said.
    other = User.objects.create(username="rt05", role="trusted_reporter", area=reporter.area)
    client.force_login(other)
    assert (
        "Belum ada nomor HP yang terdaftar untuk Anda" in client.get(reverse("intake:monitor_check")).content.decode()
    )
    settings.SIGAP_GATEWAY_SECRET = settings.SIGAP_TWILIO_AUTH_TOKEN = ""
    quiet = client.get(reverse("intake:monitor_check")).content.decode()
    assert 'id="by-text"' not in quiet and 'class="code"' not in quiet
    client.logout()
    assert "0811-3030-2020" not in client.get(reverse("intake:report_new")).content.decode()


@pytest.mark.django_db
def test_the_administrator_cannot_give_one_number_to_two_trusted_reporters(reporter, personas):
    from sigap.notify.admin import ChannelForm

    def form(user, phone):
        config = json.dumps({"url": "http://127.0.0.1:9/", "phone": phone})
        return ChannelForm(data={"name": "HP", "kind": "gateway", "config": config, "user": user.pk, "active": True})

    other = User.objects.create(username="rt05", role="trusted_reporter", area=reporter.area)
    refused = form(other, "+62 812-3450-0001")  # the Bhabinkamtibmas' number, written another way
    assert not refused.is_valid() and "sudah terdaftar untuk trusted_reporter" in str(refused.errors)
    assert form(other, "0812-9999-0001").is_valid()
    assert form(personas["analyst"], "0812-3450-0001").is_valid()  # staff numbers say nothing of reporters
    assert form(reporter, "0812-3450-0001").is_valid()  # the reporter's own second channel


@pytest.fixture
def ketua_rw(region):
    """A ketua RW of Bugul Lor in the directory, without an account; the administrator registered his phone."""
    person = Person.objects.create(
        name="Pak Slamet", role=PersonRole.KETUA_RT_RW, title="Ketua RW 03", region=region(BUGUL_LOR)
    )
    NotifyChannel.objects.create(
        name="SMS", kind="gateway", person=person, config={"url": "http://127.0.0.1:9/", "phone": "0857-1111-2222"}
    )
    return person


@pytest.mark.django_db
def test_a_ketua_rw_without_an_account_is_a_monitor_by_sms_too(
    on_day, client, reporter, ketua_rw, personas, region, django_capture_on_commit_callbacks
):
    risk_recompute(region(CITY), DAY, DAY)
    with django_capture_on_commit_callbacks(execute=True):
        sms(client, "PANTAU 4 bawa celurit", message_id="sms-1")  # the Bhabinkamtibmas
        answer = sms(client, "PANTAU 1 6 D3 pemuda dua kubu saling ejek", sender="+6285711112222", message_id="sms-2")
    assert answer.json()["reply"].startswith("Pantauan Bugul Lor 9 Des tercatat: 1 pengumpulan massa, 6 ketegangan")
    check = MonitorCheck.objects.get(person=ketua_rw)
    assert check.reporter is None and check.signs == ["mobilisation", "tension"] and check.peace == ["joint_activity"]
    audit = AuditLog.objects.get(action="monitor.check_sent", details__person=ketua_rw.pk)
    assert audit.actor is None and audit.details["via"] == "generic"
    # Two monitors, three distinct signs, in the level; the kelurahan's page names him.
    monitor = next(d for d in AreaRisk.objects.get(region__code=BUGUL_LOR, day=DAY).drivers if d["code"] == "monitor")
    assert (monitor["signs"], monitor["reporters"]) == (3, 2)
    client.force_login(personas["analyst"])
    page = client.get(reverse("risk:area", args=[BUGUL_LOR])).content.decode()
    assert "Pak Slamet (Ketua RW 03)" in page and "pemuda dua kubu saling ejek" in page
    client.logout()

    assert sms(client, "NIHIL", sender="+6285711112222", message_id="sms-3").json()["outcome"] == "nil_report"
    nil = NilReport.objects.get(person=ketua_rw)
    assert nil.reporter is None and network_of(region(BUGUL_LOR), timezone.now()).last_nil_at == nil.at

    # His report is the public's (no account to follow it), his number sealed for the answers, placed in his RW.
    report_answer = sms(client, "ada spanduk provokatif di gapura", sender="+6285711112222", message_id="sms-4")
    report = Report.objects.get(receipt=report_answer.json()["receipt"])
    assert report.submitted_by is None and report.has_identity and report.region.code == BUGUL_LOR

    # One who no longer serves is nobody.
    ketua_rw.active = False
    ketua_rw.save()
    gone = sms(client, "NIHIL", sender="+6285711112222", message_id="sms-5")
    assert gone.json()["outcome"] == "refused" and NilReport.objects.filter(person=ketua_rw).count() == 1


@pytest.mark.django_db
def test_two_people_of_the_directory_cannot_share_a_number(ketua_rw, personas, region, client):
    other = Person.objects.create(name="Bu Sri", role=PersonRole.TOKOH_AGAMA, region=region(BUGUL_LOR))
    client.force_login(personas["admin"])
    url = reverse("admin:directory_person_change", args=[other.pk])
    form = {
        **{"name": other.name, "role": other.role, "region": other.region_id, "active": "on"},
        **{"channels-TOTAL_FORMS": "1", "channels-INITIAL_FORMS": "0", "channels-MAX_NUM_FORMS": "1000"},
        **{"channels-0-name": "SMS", "channels-0-active": "on", "channels-0-kind": "gateway"},
    }
    config = {"url": "http://127.0.0.1:9/", "phone": "+62 857 1111 2222"}
    refused = client.post(url, {**form, "channels-0-config": json.dumps(config)})
    assert refused.status_code == 200 and "sudah terdaftar untuk Pak Slamet" in refused.content.decode()
    config["phone"] = "0857-3333-4444"
    assert client.post(url, {**form, "channels-0-config": json.dumps(config)}).status_code == 302


@pytest.mark.django_db
def test_a_text_after_the_teams_question_answers_it_instead_of_opening_a_report(
    client, reporter, personas, time_machine
):
    time_machine.move_to(datetime.combine(DAY, datetime.min.time(), tzinfo=WIB) + timedelta(hours=9), tick=False)
    NotifyChannel.objects.create(name="Kotak masuk", kind="in_app", user=personas["analyst"], config={})
    public = "+6285799998888"
    first = sms(client, "ada massa kumpul di pasar Kebonagung", sender=public, message_id="p-1")
    report = Report.objects.get(receipt=first.json()["receipt"])
    reporter_message_answer(report=report, body="Berapa orang kira-kira?", author=personas["analyst"])

    answer = sms(client, "sekitar 30 orang, sudah mulai bubar", sender=public, message_id="p-2")
    assert answer.status_code == 200 and answer.json()["outcome"] == "reply"
    assert answer.json()["reply"].startswith("Jawaban Anda untuk laporan di Kebonagung (9 Des) tercatat")
    assert Report.objects.count() == 1
    thread = list(report.messages.order_by("at", "id").values_list("direction", "body"))
    assert thread[-1] == ("in", "sekitar 30 orang, sudah mulai bubar")
    waiting = Notification.objects.get(purpose="reporter")
    assert "menulis pesan lewat SMS/WhatsApp" in waiting.body and "30 orang" not in waiting.body
    assert sms(client, "sekitar 30 orang, sudah mulai bubar", sender=public, message_id="p-2").status_code == 409

    # The gateway's late retry of the first report is not taken for an answer.
    assert sms(client, "ada massa kumpul di pasar Kebonagung", sender=public, message_id="p-1").status_code == 409
    # Answered once: the next text is a report again, and so is one that says LAPOR while a question waits.
    assert sms(client, "ada spanduk baru di gang 5", sender=public, message_id="p-3").json()["outcome"] == "report"
    reporter_message_answer(report=report, body="Di RW berapa?", author=personas["analyst"])
    lapor = sms(client, "LAPOR Kebonagung ada yang lempar batu", sender=public, message_id="p-4")
    assert lapor.json()["outcome"] == "report"
    # A question two days old is past; Sigap's own status words ask nothing, and thanks for them is no report.
    time_machine.shift(timedelta(hours=49))
    late = sms(client, "RW 04", sender=public, message_id="p-5")
    assert late.json()["outcome"] == "report" and Report.objects.count() == 4
    incident_tell_reporters(incident=report.incident, words="Laporan Anda sedang diperiksa.", at=timezone.now())
    assert sms(client, "terima kasih", sender=public, message_id="p-6").json()["outcome"] == "courtesy"
    assert Report.objects.count() == 4

    # A trusted reporter answers on their own report, from the phone the administrator registered.
    own = Report.objects.get(receipt=sms(client, "ada spanduk provokatif", message_id="t-1").json()["receipt"])
    reporter_message_answer(report=own, body="Spanduknya sudah diturunkan?", author=personas["analyst"])
    assert sms(client, "sudah, pagi ini", message_id="t-2").json()["outcome"] == "reply"
    assert own.messages.filter(direction="in", body="sudah, pagi ini").exists()


@pytest.mark.django_db
def test_a_ketua_rw_who_answers_by_sms_and_falls_silent_is_asked_by_sms(
    on_day, client, ketua_rw, region, settings, http_receiver
):
    settings.SIGAP_GATEWAY_NUMBER = "0811-3030-2020"
    NotifyChannel.objects.filter(person=ketua_rw).update(
        config={"url": f"{http_receiver.url}/sms", "phone": "0857-1111-2222"}
    )
    never = Person.objects.create(name="Bu Sri", role=PersonRole.TOKOH_AGAMA, region=region(BUGUL_LOR))
    NotifyChannel.objects.create(
        name="SMS", kind="gateway", person=never, config={"url": f"{http_receiver.url}/sms", "phone": "0857-5555-6666"}
    )
    assert sms(client, "NIHIL", sender="+6285711112222").json()["outcome"] == "nil_report"
    periodic_due(at(DAY, 19) + timedelta(days=6))  # six days: not yet
    assert not Notification.objects.filter(purpose="nil_reminder").exists()
    periodic_due(at(DAY, 19) + timedelta(days=7))
    asked = Notification.objects.get(purpose="nil_reminder")  # him, not the tokoh who never answered by SMS
    assert asked.channel.person == ketua_rw
    assert deliver(asked)  # by the outbox's worker, a week on
    text = json.loads(http_receiver.requests[0]["raw"])["text"]
    assert text == (
        "Sigap: Ada kabar dari Bugul Lor? 7 hari sepi. Tidak ada kejadian: NIHIL. Tanda: PANTAU + nomor "
        "(PANTAU KODE). Kejadian: LAPOR + uraian. Ke 0811-3030-2020."
    )


@pytest.mark.parametrize(
    ("text", "courtesy"),
    [
        ("Terima kasih pak 🙏", True),
        ("ok siap", True),
        ("Makasih, sama-sama!", True),
        ("THX", True),
        ("terima kasih, tapi massa datang lagi ke balai RW", False),
        ("ok ada ribut di pasar", False),
        ("", False),
        ("🙏🙏", False),
    ],
)
def test_thanks_alone_is_told_apart_from_a_report(text, courtesy):
    assert courtesy_only(text) is courtesy


@pytest.mark.django_db
def test_thanks_after_the_receipt_is_answered_and_makes_no_report(client, gateways):  # noqa: F811
    thanks = sms(client, "Terima kasih pak 🙏", sender="+6281777700001", message_id="t1")
    assert thanks.status_code == 200 and thanks.json()["outcome"] == "courtesy"
    assert "LAPOR" in thanks.json()["reply"] and not Report.objects.exists()
    assert sms(client, "Terima kasih pak 🙏", sender="+6281777700001", message_id="t1").status_code == 409
    more = sms(client, "terima kasih, tapi massa datang lagi ke balai RW", sender="+6281777700001", message_id="t2")
    assert more.status_code == 201 and Report.objects.count() == 1
