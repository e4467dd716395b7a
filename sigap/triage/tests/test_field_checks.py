"""Field checks (cek lapangan): the analyst asks the incident's kelurahan (its trusted reporter, the directory's ketua
RW with a phone) to look on the ground; the answers come back from the reporter's home page or by SMS (CEK <n>
YA|TIDAK|BELUM) onto the incident's page and timeline, and the analyst who asked is told."""

from datetime import timedelta

import pytest
from django.urls import reverse

from sigap.core.grading import Credibility, Reliability
from sigap.core.models import AuditLog
from sigap.directory.choices import PersonRole
from sigap.directory.models import Person
from sigap.intake.choices import Channel as ReportChannel
from sigap.intake.choices import FieldAnswer
from sigap.intake.commands import command_of
from sigap.intake.field_checks import field_check_answer
from sigap.intake.gateways import FieldAnswerCommand
from sigap.intake.models import FieldCheck
from sigap.intake.services import ReportDraft, report_receive
from sigap.intake.tests.test_gateways import gateways, send_generic  # noqa: F401 (the fixture sets secrets)
from sigap.notify.models import Channel as NotifyChannel
from sigap.notify.models import Notification
from sigap.notify.services import deliver
from sigap.triage.choices import IncidentStatus
from sigap.triage.field_checks import FieldCheckAskError, field_check_ask, field_checkers, field_checks_late
from sigap.triage.services import incident_verify

BUGUL_LOR = "35.75.04.1010"


def _set_aside(incident, personas):
    return {
        "incident": incident,
        "decision": IncidentStatus.NOT_CONFLICT,
        "actor": personas["analyst"],
        "reliability": Reliability.C,
        "credibility": Credibility.POSSIBLY_TRUE,
    }


RW_PHONE = "+6285711112222"


@pytest.fixture
def kelurahan(db, personas, region):
    """Bugul Lor's Bhabinkamtibmas (a trusted reporter with the inbox), its ketua RW in the directory with an SMS
    number, a tokoh there without any channel, its lurah with an e-mail address only, and a ketua RW of another
    kelurahan."""
    reporter = personas["trusted_reporter"]
    NotifyChannel.objects.create(name="Inbox", kind="in_app", user=reporter)
    NotifyChannel.objects.create(name="Inbox", kind="in_app", user=personas["analyst"])
    rw = Person.objects.create(name="Pak Slamet", role=PersonRole.KETUA_RT_RW, region=region(BUGUL_LOR))
    NotifyChannel.objects.create(
        name="SMS", kind="gateway", person=rw, config={"url": "http://127.0.0.1:9/", "phone": "0857-1111-2222"}
    )
    Person.objects.create(name="Bu Sri", role=PersonRole.TOKOH_AGAMA, region=region(BUGUL_LOR))
    lurah = Person.objects.create(name="Pak Budi", role=PersonRole.LURAH, region=region(BUGUL_LOR))
    NotifyChannel.objects.create(name="Surel", kind="email", person=lurah, config={"address": "lurah@example.org"})
    elsewhere = Person.objects.create(name="Pak Joko", role=PersonRole.KETUA_RT_RW, region=region("35.75.01.1001"))
    NotifyChannel.objects.create(
        name="SMS", kind="gateway", person=elsewhere, config={"url": "http://127.0.0.1:9/", "phone": "0857-3333"}
    )
    draft = ReportDraft(  # the Bhabinkamtibmas' own report: they may open the incident's page
        channel=ReportChannel.WEB,
        region=region(BUGUL_LOR),
        description="Ada kumpulan massa di depan balai RW 03, katanya mau mendatangi rumah calon",
        submitted_by=reporter,
        anonymous=True,
    )
    incident = report_receive(draft)[0].incident
    return {"reporter": reporter, "rw": rw, "elsewhere": elsewhere, "incident": incident}


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("CEK 12 ya, sudah bubar", FieldAnswerCommand(12, "true", "sudah bubar")),
        ("cek#5 belum", FieldAnswerCommand(5, "unsure", "")),
        ("Cek 7 TIDAK. Hanya arisan warga", FieldAnswerCommand(7, "false", "Hanya arisan warga")),
        ("CEK 7 entah", FieldAnswerCommand(7, "", "entah")),
        ("cek lokasi dulu ya", None),
    ],
)
def test_the_answer_to_a_field_check_is_read_from_the_sms(text, command):
    assert command_of(text) == command


@pytest.mark.django_db
def test_the_analyst_asks_the_kelurahan_and_the_trusted_reporter_answers_from_home(kelurahan, personas, client):
    incident, reporter, rw = kelurahan["incident"], kelurahan["reporter"], kelurahan["rw"]
    checkers = field_checkers(incident)
    # Not the tokoh without a channel, nor the lurah with only an e-mail address: neither could answer.
    assert checkers.reporters == [reporter] and checkers.persons == [rw]
    client.force_login(personas["analyst"])
    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert "Minta cek lapangan" in page and "Pak Slamet" in page and "Pak Joko" not in page
    url = reverse("triage:incident_field_check", args=[incident.pk])
    question = "Apakah masih ada massa di depan balai RW 03?"
    refused = client.post(url, {"question": question, "hours": 6, "persons": [kelurahan["elsewhere"].pk]})
    assert refused.status_code == 302 and not FieldCheck.objects.exists()  # another kelurahan's ketua RW
    asked = client.post(url, {"question": question, "hours": 6, "reporters": [reporter.pk], "persons": [rw.pk]})
    assert asked.status_code == 302
    to_reporter, to_rw = FieldCheck.objects.order_by("pk")
    assert to_reporter.reporter == reporter and to_rw.person == rw
    sms = Notification.objects.get(purpose="field_check", channel__person=rw)
    assert question in sms.body and f"CEK {to_rw.pk} YA" in sms.body and "Bugul Lor" in sms.subject
    assert Notification.objects.filter(purpose="field_check", channel__user=reporter).exists()
    assert incident.events.filter(verb="field_check_asked", note__contains="Pak Slamet").exists()
    assert AuditLog.objects.filter(action="incident.field_check_asked").count() == 1

    queue = client.get(reverse("home:home")).content.decode()  # the analyst's queue says an answer is awaited
    assert "cek lapangan: 0 dari 2 dijawab" in queue
    client.force_login(reporter)
    home = client.get(reverse("home:home")).content.decode()
    assert question in home and "Kirim jawaban" in home and "cek lapangan: 0 dari" not in home
    unsure = {f"check{to_reporter.pk}-answer": "unsure", f"check{to_reporter.pk}-note": "Belum ke sana."}
    client.post(reverse("intake:field_check_reply", args=[to_reporter.pk]), unsure)
    assert "jawab lagi setelah Anda tahu" in client.get(reverse("home:home")).content.decode()  # stays on the page
    form = {f"check{to_reporter.pk}-answer": "true", f"check{to_reporter.pk}-note": "Benar, sekitar 20 orang."}
    answered = client.post(reverse("intake:field_check_reply", args=[to_reporter.pk]), form)
    assert answered.status_code == 302
    to_reporter.refresh_from_db()
    assert to_reporter.answer == FieldAnswer.TRUE and to_reporter.answered_via == "web"
    assert question not in client.get(reverse("home:home")).content.decode()  # answered: off their home
    # Not theirs to answer: the ketua RW's check.
    other = client.post(reverse("intake:field_check_reply", args=[to_rw.pk]), {f"check{to_rw.pk}-answer": "true"})
    assert other.status_code == 404
    # Their own incident page does not say whom else the team asked, nor what was answered.
    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert "Pak Slamet" not in page and "sekitar 20 orang" not in page

    first, told = Notification.objects.filter(purpose="field_check", channel__user=personas["analyst"]).order_by("pk")
    assert "Belum dapat dipastikan" in first.subject  # each answer is news, the later one too
    assert "Benar" in told.subject and "sekitar 20 orang" in told.body
    client.force_login(personas["analyst"])
    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert "Benar, seperti dilaporkan" in page and "sekitar 20 orang" in page and "menunggu, sampai" in page


@pytest.mark.django_db
def test_the_ketua_rw_answers_by_sms_and_a_stranger_s_cek_is_a_report(kelurahan, personas, client, gateways):  # noqa: F811
    incident, rw = kelurahan["incident"], kelurahan["rw"]
    (check,) = field_check_ask(
        incident=incident, question="Masih ada massa?", reporters=[], persons=[rw], hours=2, actor=personas["analyst"]
    )

    def sms(text, message_id, sender=RW_PHONE):
        return send_generic(client, {"channel": "sms", "from": sender, "text": text, "id": message_id})

    advice = sms(f"CEK {check.pk} mungkin", "m1").json()
    assert advice["outcome"] == "refused" and f"CEK {check.pk} YA" in advice["reply"]
    assert sms("CEK 999999 YA", "m2").json()["outcome"] == "refused"
    done = sms(f"CEK {check.pk} TIDAK hanya arisan ibu-ibu", "m3")
    assert done.status_code == 200 and done.json()["outcome"] == "field_check"
    assert "tidak benar" in done.json()["reply"]
    check.refresh_from_db()
    assert (check.answer, check.answer_note, check.answered_via) == ("false", "hanya arisan ibu-ibu", "sms")
    assert incident.events.filter(verb="field_check_answered", note__contains="Pak Slamet: Tidak benar").exists()
    assert sms(f"CEK {check.pk} YA", "m3").status_code == 409  # the gateway's retry of the same message
    # Once the team decided, a late answer is thanked and not recorded.
    incident_verify(**_set_aside(incident, personas))
    late = sms(f"CEK {check.pk} YA", "m4").json()
    assert late["outcome"] == "refused" and "sudah ditutup" in late["reply"]
    check.refresh_from_db()
    assert check.answer == "false"
    # From a number nobody registered, "cek ..." is somebody's report, not a command.
    stranger = sms("cek 3 orang luka di pasar Bugul Lor", "m5", sender="+6281999999999")
    assert stranger.status_code == 201 and stranger.json()["outcome"] == "report"


@pytest.mark.django_db
def test_a_field_check_is_refused_without_a_question_or_on_a_closed_incident(kelurahan, personas):
    incident, rw = kelurahan["incident"], kelurahan["rw"]
    ask = {"incident": incident, "reporters": [], "persons": [rw], "hours": 6, "actor": personas["analyst"]}
    for question, hours, why in (("  ", 6, "pertanyaan"), ("x" * 301, 6, "300"), ("Ada massa?", 5, "kapan")):
        with pytest.raises(FieldCheckAskError, match=why):
            field_check_ask(**{**ask, "question": question, "hours": hours})
    with pytest.raises(FieldCheckAskError, match="siapa"):
        field_check_ask(**{**ask, "question": "Ada massa?", "persons": []})
    incident_verify(**_set_aside(incident, personas))
    with pytest.raises(FieldCheckAskError, match="terbuka"):
        field_check_ask(**{**ask, "question": "Ada massa?"})
    assert not FieldCheck.objects.exists()


@pytest.mark.django_db
def test_a_check_without_an_answer_in_time_is_put_before_the_analyst_who_asked(kelurahan, personas):
    incident, rw = kelurahan["incident"], kelurahan["rw"]
    asked_at = incident.first_received_at + timedelta(minutes=10)
    (check,) = field_check_ask(
        incident=incident,
        question="Ada massa?",
        reporters=[],
        persons=[rw],
        hours=2,
        actor=personas["analyst"],
        at=asked_at,
    )
    assert field_checks_late(asked_at + timedelta(hours=1)) == 0
    assert field_checks_late(asked_at + timedelta(hours=2, minutes=1)) == 1
    assert field_checks_late(asked_at + timedelta(hours=3)) == 0  # once
    late = Notification.objects.get(purpose="field_check", subject__startswith="[Cek lapangan] Belum dijawab")
    assert late.channel.user == personas["analyst"] and "Pak Slamet belum menjawab" in late.body
    field_check_answer(check=check, answer="true", note="", via="sms", at=asked_at + timedelta(hours=2, minutes=5))
    assert deliver(late) is False
    assert Notification.objects.get(pk=late.pk).dropped_because == "cek lapangan sudah dijawab"
