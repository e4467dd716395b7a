"""The Satgas PKS (UU 7/2012 Ps 42-51): formed on a basis that holds, its members with the women's share of the
community side, the final report to the Pemda copied to the DPRD (reminded, and late when late), its dissolution,
and who may do what."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from sigap.cases import services as cases
from sigap.cases.tests.factories import mailbox
from sigap.core.calendar import holidays_load
from sigap.core.models import AuditLog
from sigap.dashboard.selectors import mediation_counts
from sigap.mediation import services, taskforce
from sigap.mediation.models import Taskforce
from sigap.mediation.taskforce import Formation, TaskforceRuleError
from sigap.mediation.tests.test_mediation import case, forum, open_mediation  # noqa: F401 - fixtures
from sigap.notify.models import Notification
from sigap.notify.services import overtaken

WIB = ZoneInfo("Asia/Jakarta")
FORMED = date(2020, 12, 15)


def formation(**changes):
    values = dict(
        name="Satgas PKS Kota Pasuruan",
        decree_number="188.45/410/423.011/2020",
        formed_on=FORMED,
        basis="pranata_failed",
        mandate="Perselisihan pemuda RW 05 dan RW 07 yang tidak selesai di musyawarah kelurahan",
        report_due_on=FORMED + timedelta(days=30),
    )
    values.update(changes)
    return Formation(**values)


@pytest.fixture
def failed_talks(case, forum, personas):  # noqa: F811 - the fixtures above
    mediator = personas["mediator"]
    talks = open_mediation(case, forum, mediator)
    session = services.session_schedule(
        mediation=talks, scheduled_at=datetime(2020, 12, 11, 19, tzinfo=WIB), venue="Balai RW 05", actor=mediator
    )
    services.session_record(
        session=session, actor=mediator, attendees="", attendee_count=12, women_count=3, minutes="Tidak sepakat"
    )
    return services.mediation_end(mediation=talks, actor=mediator, failed=True, note="Buntu")


@pytest.fixture
def satgas(failed_talks, personas):
    return taskforce.taskforce_form(formation(), actor=personas["analyst"], mediations=[failed_talks])


def add(satgas, actor, name, element, woman=False):
    return taskforce.member_add(
        satgas, name=name, position="-", element=element, woman=woman, joined_on=FORMED, actor=actor
    )


@pytest.mark.django_db
def test_a_satgas_is_formed_only_on_a_basis_that_holds(case, forum, personas):  # noqa: F811
    analyst = personas["analyst"]
    talks = open_mediation(case, forum, personas["mediator"])
    with pytest.raises(TaskforceRuleError, match="belum berakhir tanpa kesepakatan"):
        taskforce.taskforce_form(formation(), actor=analyst, mediations=[talks])  # musyawarah still runs
    with pytest.raises(TaskforceRuleError, match="Status Keadaan Konflik"):
        taskforce.taskforce_form(formation(basis="status"), actor=analyst)
    holidays_load()
    status = cases.status_declare(
        cases.Declaration(
            "188.45/1/2020", "Bentrok", date(2020, 12, 19), date(2020, 12, 20), date(2020, 12, 20), date(2021, 1, 31)
        ),
        actor=analyst,
    )
    with pytest.raises(TaskforceRuleError, match="tidak berlaku"):
        taskforce.taskforce_form(formation(basis="status"), actor=analyst, conflict_status=status)  # formed before
    with pytest.raises(TaskforceRuleError, match="sesudah hari"):
        taskforce.taskforce_form(formation(report_due_on=FORMED), actor=analyst)
    with pytest.raises(TaskforceRuleError, match="bukan sebelumnya"):
        taskforce.taskforce_form(formation(formed_on=timezone.localdate() + timedelta(days=2)), actor=analyst)
    assert not Taskforce.objects.exists()
    made = taskforce.taskforce_form(
        formation(basis="status", formed_on=date(2020, 12, 21)), actor=analyst, conflict_status=status
    )
    assert made.events.get().verb == "taskforce_formed"
    assert AuditLog.objects.filter(action="taskforce.taskforce_formed").count() == 1


@pytest.mark.django_db
def test_the_women_s_share_counts_the_community_side_that_still_serves(satgas, personas):
    analyst = personas["analyst"]
    for name in ("Wali Kota", "Ketua DPRD", "Kapolres", "Dandim", "Kajari"):
        add(satgas, analyst, name, "government")
    add(satgas, analyst, "Ibu Kapolres", "government", woman=True)  # the government side is not counted
    for name, element in (("KH. Hamid", "religious"), ("Pak RW 05", "party"), ("Pak RW 07", "party")):
        add(satgas, analyst, name, element)
    aminah = add(satgas, analyst, "Ibu Aminah", "community", woman=True)
    share = taskforce.women_share(satgas.members.all())
    assert (share.women, share.community, share.needed, share.enough, share.percent) == (1, 4, 2, False, 25)
    add(satgas, analyst, "Ibu Sri", "peace", woman=True)
    share = taskforce.women_share(satgas.members.all())
    assert (share.women, share.community, share.needed, share.enough) == (2, 5, 2, True)
    taskforce.member_leave(aminah, left_on=date(2020, 12, 20), reason="Pindah domisili", actor=analyst)
    share = taskforce.women_share(satgas.members.all())
    assert (share.women, share.community, share.enough) == (1, 4, False)
    with pytest.raises(TaskforceRuleError):
        taskforce.member_leave(aminah, left_on=date(2020, 12, 21), reason="lagi", actor=analyst)
    with pytest.raises(TaskforceRuleError, match="sesudah"):
        taskforce.member_add(
            satgas, name="X", position="Y", element="adat", woman=False, joined_on=date(2020, 12, 1), actor=analyst
        )
    assert satgas.events.filter(verb="member_added").last().note.endswith("perempuan unsur masyarakat 2/5")


@pytest.mark.django_db
def test_the_final_report_is_reminded_then_kept_and_only_then_the_satgas_is_dissolved(
    client, satgas, personas, organisations
):
    analyst = personas["analyst"]
    mailbox(organisations["kesbangpol"], "sekretariat@kesbangpol.example")
    due = satgas.report_due_on
    at = lambda day: datetime.combine(day, datetime.min.time(), tzinfo=WIB) + timedelta(hours=9)  # noqa: E731
    assert taskforce.taskforce_reports_due(at(due - timedelta(days=4))) == 0
    assert taskforce.taskforce_reports_due(at(due - timedelta(days=3))) == 1  # three days ahead
    assert taskforce.taskforce_reports_due(at(due - timedelta(days=2))) == 0  # once
    assert taskforce.taskforce_reports_due(at(due)) == 1  # on the day
    assert taskforce.taskforce_reports_due(at(due + timedelta(days=1))) == 1  # late
    assert taskforce.taskforce_reports_due(at(due + timedelta(days=5))) == 0  # once
    reminders = Notification.objects.filter(subject__contains="Satgas PKS").order_by("pk")
    subjects = list(reminders.values_list("subject", flat=True))
    assert len(subjects) == 3 and subjects[-1].startswith("[Terlambat]")
    with pytest.raises(TaskforceRuleError, match="laporan akhir"):
        taskforce.taskforce_dissolve(satgas, dissolved_on=due, note="SK", actor=analyst)
    client.force_login(personas["leadership"])
    assert "laporan akhirnya kepada Pemda jatuh tempo" in client.get(reverse("home:home")).content.decode()
    with pytest.raises(TaskforceRuleError, match="rekomendasi"):
        taskforce.final_report_record(
            satgas, sent_on=due, letter_number="300/9", findings="x", losses="x", recommendations=" ", actor=analyst
        )
    taskforce.final_report_record(
        satgas,
        sent_on=due + timedelta(days=2),
        letter_number="300/99/423.011/2021",
        findings="Perselisihan berawal dari pertandingan voli",
        losses="Dua sepeda motor rusak; ganti rugi Rp 3.000.000 oleh kedua pihak",
        recommendations="Turnamen bersama di bawah Karang Taruna kelurahan",
        actor=analyst,
    )
    note = satgas.events.get(verb="final_report_sent").note
    assert "tembusan DPRD" in note and "2 hari lewat batas" in note
    reminder = reminders.first()
    assert overtaken(reminder)  # a reminder still queued is not sent once the report is kept
    assert taskforce.taskforce_reports_due(at(due + timedelta(days=6))) == 0
    at_work = dict(mediation_counts(analyst))["Satgas PKS yang bertugas"]
    assert "laporan akhirnya kepada Pemda" not in client.get(reverse("home:home")).content.decode()
    with pytest.raises(TaskforceRuleError, match="hari ini"):
        ahead = timezone.localdate() + timedelta(days=1)
        taskforce.taskforce_dissolve(satgas, dissolved_on=ahead, note="SK pembubaran", actor=analyst)
    taskforce.taskforce_dissolve(satgas, dissolved_on=due + timedelta(days=3), note="SK pembubaran", actor=analyst)
    assert (at_work, dict(mediation_counts(analyst))["Satgas PKS yang bertugas"]) == (1, 0)  # the sitrep's count
    with pytest.raises(TaskforceRuleError, match="dibubarkan"):
        add(satgas, analyst, "Terlambat", "adat")


@pytest.mark.django_db
def test_the_secretariat_records_the_leadership_and_mediators_read_responders_do_not(client, satgas, personas):
    url = reverse("mediation:taskforce_detail", args=[satgas.pk])
    client.force_login(personas["responder"])
    assert client.get(reverse("mediation:taskforces")).status_code == 403
    assert client.get(url).status_code == 403
    client.force_login(personas["mediator"])
    page = client.get(url).content.decode()
    assert satgas.name in page and "Tambah anggota" not in page
    act = reverse("mediation:taskforce_act", args=[satgas.pk, "anggota"])
    member = {
        "name": "Ibu Aminah",
        "position": "Tokoh masyarakat",
        "element": "community",
        "woman": "on",
        "joined_on": "2020-12-16",
    }
    assert client.post(act, member).status_code == 403
    client.force_login(personas["leadership"])
    assert client.post(reverse("mediation:taskforces"), {"name": "x"}).status_code == 403
    client.force_login(personas["analyst"])
    client.post(act, member)
    client.post(act, member | {"name": "Pak RW 05", "element": "party", "woman": ""})
    client.post(act, member | {"name": "Pak RW 07", "element": "party", "woman": ""})
    client.post(act, member | {"name": "KH. Hamid", "element": "religious", "woman": ""})
    page = client.get(url).content.decode()
    share = page.split('id="keterwakilan"')[1].split("</p>")[0]
    assert 'class="error"' in share and "1 dari 4 (25%)" in share
    listing = client.get(reverse("mediation:taskforces")).content.decode()
    assert "1/4 (25%)" in listing
    refused = client.post(
        reverse("mediation:taskforces"),
        {
            "name": "Satgas kedua",
            "decree_number": "188/2",
            "formed_on": "2020-12-16",
            "basis": "status",
            "mandate": "x",
            "report_due_on": "2021-01-16",
        },
    )
    assert refused.status_code == 200 and "Sebutkan Status Keadaan Konflik" in refused.content.decode()
    assert Taskforce.objects.count() == 1


@pytest.mark.django_db
def test_talks_that_failed_point_to_the_satgas_that_followed_them(client, case, forum, personas, failed_talks):  # noqa: F811
    client.force_login(personas["mediator"])
    page = client.get(reverse("mediation:detail", args=[failed_talks.pk])).content.decode()
    assert "Wali Kota dapat membentuk Satgas PKS" in page  # none formed yet
    satgas = taskforce.taskforce_form(formation(), actor=personas["analyst"], mediations=[failed_talks])
    page = client.get(reverse("mediation:detail", args=[failed_talks.pk])).content.decode()
    assert "Ditindaklanjuti Satgas PKS" in page and reverse("mediation:taskforce_detail", args=[satgas.pk]) in page
    client.force_login(personas["responder"])  # reads the mediation, not the Satgas
    page = client.get(reverse("mediation:detail", args=[failed_talks.pk]))
    assert page.status_code == 200 and "Satgas PKS" not in page.content.decode()


@pytest.mark.django_db
def test_a_mediator_reads_the_satgas_but_not_the_talks_outside_their_scope(client, satgas, failed_talks, personas):
    from sigap.accounts.models import User
    from sigap.core.roles import Role

    elsewhere = User.objects.create_user("mediator-elsewhere", password="x" * 12, role=Role.MEDIATOR)
    client.force_login(elsewhere)
    page = client.get(reverse("mediation:taskforce_detail", args=[satgas.pk])).content.decode()
    talks = reverse("mediation:detail", args=[failed_talks.pk])
    assert satgas.name in page and talks not in page
    client.force_login(personas["mediator"])  # follows the talks
    page = client.get(reverse("mediation:taskforce_detail", args=[satgas.pk])).content.decode()
    assert talks in page
