"""The TNI's help during a Status Keadaan Konflik (UU 7/2012 Ps 33-34, PP 2/2015 Ps 45-47): asked by telephone and
confirmed in writing within 1 x 24 hours (reminded, and late when it is not), answered, ended early or with the
status."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from sigap.cases import services
from sigap.cases.models import TniAssistance
from sigap.cases.rules import StatusRuleError
from sigap.cases.tests.factories import mailbox
from sigap.cases.tests.test_conflict_status import START, declaration
from sigap.core.calendar import holidays_load
from sigap.core.models import AuditLog
from sigap.notify.models import Notification
from sigap.notify.services import overtaken

WIB = ZoneInfo("Asia/Jakarta")
ASKED = datetime(2020, 12, 11, 22, 15, tzinfo=WIB)


def ask(**changes):
    values = dict(
        asked_at=ASKED,
        asked_orally=True,
        addressed_to="Pemerintah (Presiden RI) melalui Menko Polhukam",
        reason="Bentrok meluas ke tiga kecamatan; Polres kewalahan",
        area="Kecamatan Bugul Kidul, Panggungrejo dan Purworejo",
        days=14,
        logistics="Angkutan dan konsumsi dari APBD (belanja tidak terduga)",
    )
    values.update(changes)
    return services.TniRequest(**values)


@pytest.fixture
def status(db, personas, organisations):
    holidays_load()
    mailbox(organisations["kesbangpol"], "sekretariat@kesbangpol.example")
    return services.status_declare(declaration(), actor=personas["analyst"])


def reminders(**filters):
    return list(
        Notification.objects.filter(subject__contains="bantuan TNI", **filters).values_list("subject", flat=True)
    )


@pytest.mark.django_db
def test_an_oral_request_is_confirmed_in_writing_within_a_day_or_the_secretariat_hears_it_is_late(status, personas):
    analyst = personas["analyst"]
    services.status_funding_plan_filed(status=status, filed_on=START, actor=analyst)  # the other duty of the day
    with time_machine.travel(ASKED + timedelta(minutes=20), tick=False):
        request = services.tni_request_record(status, ask(), actor=analyst)
    duty = next(d for d in services.status_duties(status, START) if "bantuan TNI" in d.what)
    assert duty.due_at == ASKED + timedelta(hours=24) and not duty.done
    assert services.status_duties_due(ASKED + timedelta(minutes=30)) == 1  # told at once
    assert services.status_duties_due(ASKED + timedelta(hours=3)) == 0  # once
    assert services.status_duties_due(ASKED + timedelta(hours=23, minutes=59)) == 0
    assert services.status_duties_due(ASKED + timedelta(hours=24)) == 1  # and again once the day has passed
    assert reminders(subject__startswith="[Terlambat]") and len(reminders()) == 2
    with time_machine.travel(ASKED + timedelta(hours=25), tick=False):
        assert not any(overtaken(n) for n in Notification.objects.filter(subject__contains="bantuan TNI"))
    sent = ASKED + timedelta(hours=26, minutes=10)
    with time_machine.travel(sent + timedelta(minutes=5), tick=False):
        services.tni_letter_record(
            request,
            sent_at=sent,
            letter_number="300/77/423.011/2020",
            copies_to="Menko Polhukam\n\n Mendagri \nPanglima TNI",
            actor=analyst,
        )
        request.refresh_from_db()
        assert request.letter_late and request.copies_to.splitlines() == ["Menko Polhukam", "Mendagri", "Panglima TNI"]
    with time_machine.travel(sent + timedelta(minutes=10), tick=False):
        late = Notification.objects.get(subject__startswith="[Terlambat]", subject__contains="bantuan TNI")
        assert overtaken(late) == "kewajiban status sudah dipenuhi"  # still queued when the letter went: not sent
    event = status.events.get(verb="tni_letter_sent")
    assert "300/77/423.011/2020" in event.note and "3 jam lewat batas" in event.note
    assert next(d for d in services.status_duties(status, START) if "bantuan TNI" in d.what).done
    assert services.status_duties_due(ASKED + timedelta(hours=40)) == 0
    with pytest.raises(StatusRuleError):
        services.tni_letter_record(request, sent_at=sent, letter_number="x", copies_to="", actor=analyst)
    assert AuditLog.objects.filter(action="conflict_status.tni_letter_sent").count() == 1


@pytest.mark.django_db
def test_a_request_in_writing_owes_no_letter_and_a_timely_letter_is_not_late(status, personas):
    analyst = personas["analyst"]
    with time_machine.travel(ASKED + timedelta(hours=2), tick=False):
        written = services.tni_request_record(
            status, ask(asked_orally=False, letter_number="300/1/2020", copies_to="Gubernur Jawa Timur"), actor=analyst
        )
        oral = services.tni_request_record(status, ask(days=3), actor=analyst)
        services.tni_letter_record(
            oral, sent_at=ASKED + timedelta(hours=1), letter_number="300/2/2020", copies_to="", actor=analyst
        )
    assert written.letter_sent_at == ASKED and not written.letter_late
    oral.refresh_from_db()
    assert not oral.letter_late
    assert all(d.done for d in services.status_duties(status, START) if "bantuan TNI" in d.what)
    assert "jam lewat" not in status.events.get(verb="tni_letter_sent").note


@pytest.mark.django_db
def test_a_request_outside_the_status_or_beyond_its_end_is_refused_and_nothing_is_kept(status, personas):
    analyst = personas["analyst"]
    with time_machine.travel(ASKED + timedelta(hours=1), tick=False):
        with pytest.raises(StatusRuleError, match="selama status berlaku"):
            services.tni_request_record(status, ask(asked_at=datetime(2020, 12, 9, 9, tzinfo=WIB)), actor=analyst)
        with pytest.raises(StatusRuleError, match="berakhir bersama status"):
            services.tni_request_record(status, ask(days=90), actor=analyst)  # asked on day 2 of 90
        with pytest.raises(StatusRuleError, match="nomor surat"):
            services.tni_request_record(status, ask(asked_orally=False), actor=analyst)
        with pytest.raises(StatusRuleError, match="logistik"):
            services.tni_request_record(status, ask(logistics="  "), actor=analyst)
        with pytest.raises(StatusRuleError, match="bukan sebelumnya"):
            services.tni_request_record(status, ask(asked_at=ASKED + timedelta(days=1)), actor=analyst)
        request = services.tni_request_record(status, ask(days=89), actor=analyst)  # to the status's last day
    assert TniAssistance.objects.count() == 1 and request.last_day == status.last_day
    assert sorted(status.events.values_list("verb", flat=True)) == ["declared", "tni_requested"]


@pytest.mark.django_db
def test_granted_help_ends_early_or_with_the_revoked_status_and_refused_help_is_over(status, personas):
    analyst = personas["analyst"]
    with time_machine.travel(ASKED + timedelta(hours=1), tick=False):
        first = services.tni_request_record(status, ask(days=30), actor=analyst)
        second = services.tni_request_record(status, ask(days=60), actor=analyst)
        third = services.tni_request_record(status, ask(days=5), actor=analyst)
    assert first.state_on(date(2020, 12, 12)) == "asked"
    with pytest.raises(StatusRuleError, match="paling lambat hari ini"):
        services.tni_answer_record(
            first, answered_on=timezone.localdate() + timedelta(days=1), granted=True, note="x", actor=analyst
        )
    with pytest.raises(StatusRuleError, match="apa yang dikabulkan"):
        services.tni_answer_record(first, answered_on=date(2020, 12, 12), granted=True, note=" ", actor=analyst)
    services.tni_answer_record(
        first, answered_on=date(2020, 12, 12), granted=True, note="2 SSK Yonif 509, mulai 13-12", actor=analyst
    )
    services.tni_answer_record(
        second, answered_on=date(2020, 12, 12), granted=True, note="1 SSK Kodim 0819", actor=analyst
    )
    services.tni_answer_record(third, answered_on=date(2020, 12, 12), granted=False, note="Cukup Brimob", actor=analyst)
    third.refresh_from_db()
    assert third.state_on(date(2020, 12, 13)) == "refused"
    with pytest.raises(StatusRuleError, match="sudah berakhir"):
        services.tni_end_record(third, ended_on=date(2020, 12, 14), reason="x", actor=analyst)
    with pytest.raises(StatusRuleError, match="paling lambat"):
        services.tni_end_record(first, ended_on=date(2021, 1, 30), reason="Kondusif", actor=analyst)
    services.tni_end_record(first, ended_on=date(2020, 12, 20), reason="Situasi terkendali", actor=analyst)
    first.refresh_from_db()
    assert first.last_day == date(2020, 12, 19) and first.state_on(date(2020, 12, 20)) == "ended"
    services.status_revoke(status=status, revoked_on=date(2021, 1, 5), actor=analyst, reason="Kondusif")
    second.refresh_from_db()
    assert second.ended_on == date(2021, 1, 5) and second.last_day == date(2021, 1, 4)
    assert second.state_on(date(2021, 1, 4)) == "granted" and second.state_on(date(2021, 1, 5)) == "ended"
    ended = list(status.events.filter(verb="tni_ended").values_list("note", flat=True))
    assert len(ended) == 2 and "UU 7/2012 Ps 34" in ended[1]  # the refused one needs no end


@pytest.mark.django_db
def test_analysts_record_the_help_on_the_status_page_and_the_leadership_reads_it(client, status, personas):
    client.force_login(personas["leadership"])
    page = client.get(reverse("cases:status_detail", args=[status.pk])).content.decode()
    assert 'id="bantuan-tni"' in page and "cases:status_act" not in page
    assert 'name="asked_orally"' not in page  # no form for the leadership
    form = {
        "asked_at": "2020-12-11T22:15",
        "asked_orally": "on",
        "addressed_to": "Pemerintah",
        "reason": "Bentrok meluas",
        "area": "Tiga kecamatan",
        "days": "10",
        "logistics": "APBD",
    }
    act = reverse("cases:status_act", args=[status.pk, "tni"])
    assert client.post(act, form).status_code == 403
    client.force_login(personas["analyst"])
    with time_machine.travel(ASKED + timedelta(hours=1), tick=False):
        refused = client.post(act, form | {"days": "0"}, follow=True).content.decode()
        assert "Tidak tersimpan" in refused and not TniAssistance.objects.exists()
        client.post(act, form)
        request = TniAssistance.objects.get()
        assert request.asked_orally and request.asked_at == ASKED
        letter = reverse("cases:status_act", args=[status.pk, "tni-surat"])
        client.post(letter, {"request": request.pk, "sent_at": "2020-12-11T23:00", "letter_number": "300/9/2020"})
        other = services.status_declare(
            declaration(
                decree_number="lain", starts_on=START + timedelta(days=100), ends_on=START + timedelta(days=120)
            ),
            actor=personas["analyst"],
        )
        elsewhere = reverse("cases:status_act", args=[other.pk, "tni-jawaban"])
        answer = {"request": request.pk, "answered_on": "2020-12-11", "granted": "yes", "note": "2 SSK"}
        assert client.post(elsewhere, answer).status_code == 404  # a request of another status
        client.post(reverse("cases:status_act", args=[status.pk, "tni-jawaban"]), answer)
        page = client.get(reverse("cases:status_detail", args=[status.pk])).content.decode()
    request.refresh_from_db()
    assert request.letter_number == "300/9/2020" and request.granted is True
    assert f"TNI #{request.pk}" in page and "300/9/2020" in page and "2 SSK" in page


@pytest.mark.django_db
def test_the_home_pages_name_what_the_status_owes_past_its_deadline(client, status, personas):
    with time_machine.travel(ASKED + timedelta(minutes=10), tick=False):
        request = services.tni_request_record(status, ask(), actor=personas["analyst"])
    client.force_login(personas["leadership"])
    with time_machine.travel(ASKED + timedelta(hours=23), tick=False):
        page = client.get(reverse("home:home")).content.decode()
        assert status.decree_number in page and "bantuan TNI" not in page  # the letter is not late yet
    with time_machine.travel(ASKED + timedelta(hours=25), tick=False):
        page = client.get(reverse("home:home")).content.decode()
        assert f"Permintaan tertulis bantuan TNI #{request.pk}" in page
        assert "Rencana kebutuhan biaya" in page  # one working day after the declaration, not filed
    client.force_login(personas["responder"])
    with time_machine.travel(ASKED + timedelta(hours=25), tick=False):
        assert "bantuan TNI" not in client.get(reverse("home:home")).content.decode()
