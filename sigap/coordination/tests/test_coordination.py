"""Meetings whose decisions become tasks, the contact log, and the action plan with its four-monthly report."""

import re
from datetime import date, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from sigap.cases import services as cases_services
from sigap.cases.models import Task
from sigap.coordination import services
from sigap.coordination.choices import PlanPart
from sigap.coordination.models import ContactLog, Meeting
from sigap.core.models import AuditLog, Document
from sigap.core.tests.pdf import pdf_text
from sigap.core.tests.test_documents import signed_agreement_pdf

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.django_db
def test_a_meeting_decision_becomes_a_task_with_an_owner(client, personas, organisations):
    client.force_login(personas["analyst"])
    response = client.post(
        reverse("coordination:meetings"),
        {
            "kind": "rakor",
            "title": "Rakor pengamanan pemungutan suara",
            "held_at": "2020-12-07T09:00",
            "venue": "Ruang Untung Suropati",
            "chaired_by": "Wali Kota",
            "attendee_count": "23",
            "organisations": [organisations["polsek_panggungrejo"].pk, organisations["kesbangpol"].pk],
            "decisions": "Patroli gabungan di TPS rawan\nSosialisasi anti hoaks lewat RT/RW",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.decisions.count() == 2
    decision = meeting.decisions.first()
    client.post(
        reverse("coordination:decision_task", args=[decision.pk]),
        {"owner": organisations["polsek_panggungrejo"].pk, "due": "2020-12-08T18:00"},
    )
    task = Task.objects.get()
    assert (
        task.title == "Patroli gabungan di TPS rawan"
        and task.owner_organisation == organisations["polsek_panggungrejo"]
    )
    with pytest.raises(services.CoordinationError):
        services.decision_to_task(
            decision=decision, owner=organisations["kesbangpol"], due_at=task.due_at, actor=personas["analyst"]
        )
    client.force_login(personas["responder"])  # responders read meetings, do not record them
    assert client.get(reverse("coordination:meeting", args=[meeting.pk])).status_code == 200
    notulen = client.get(reverse("coordination:meeting_minutes_pdf", args=[meeting.pk]))
    assert notulen["Content-Disposition"] == f'attachment; filename="notulen-rapat-{meeting.pk}.pdf"'
    words = pdf_text(notulen.content)
    assert "NOTULEN" in words and "TIM TERPADU PENANGANAN KONFLIK SOSIAL KOTA PASURUAN" in words
    assert "Senin, 7 Desember 2020" in words and "Ruang Untung Suropati" in words and ": 23 orang" in words
    assert "Patroli gabungan di TPS rawan" in words and "8 Desember 2020" in words  # the decision's task
    assert str(organisations["polsek_panggungrejo"]) in words and "Sosialisasi anti hoaks lewat RT/RW" in words
    assert "Pimpinan rapat" in words and "Wali Kota" in words
    assert client.post(reverse("coordination:meetings"), {"title": "x"}).status_code == 403
    assert "Patroli gabungan" in client.get(reverse("cases:tasks")).content.decode()

    # The meeting page follows its decision's task: moved, then done with what was done (it had the status only).
    page = client.get(reverse("coordination:meeting", args=[meeting.pk])).content.decode()
    assert "8 Des 2020 · Terbuka <strong" in page  # past its deadline in the real present
    cases_services.task_change(
        task=task,
        actor=personas["analyst"],
        reason="Menunggu jadwal KPU",
        due_at=task.due_at + timedelta(days=1),
        at=task.due_at - timedelta(hours=6),
    )
    cases_services.task_finish(task=task, actor=personas["responder"], done=True, note="12 TPS rawan dipatroli")
    page = client.get(reverse("coordination:meeting", args=[meeting.pk])).content.decode()
    assert "9 Des 2020 (semula 8 Des 2020) · Selesai" in page and "12 TPS rawan dipatroli" in page
    # Why it moved, which only the audit log kept: a decision's task has no case timeline.
    analyst = personas["analyst"].get_full_name() or personas["analyst"].username
    assert re.search(
        rf"<li>\d+ \w+ \d{{4}} \d\d:\d\d, {analyst}: batas 9 Des 2020, "
        rf"{re.escape(str(organisations['polsek_panggungrejo']))}\. Menunggu jadwal KPU</li>",
        page,
    )


@pytest.mark.django_db
def test_contacts_between_stakeholders_are_logged(client, personas, organisations):
    client.force_login(personas["responder"])
    client.post(
        reverse("coordination:contacts"),
        {
            "at": "2020-12-06T20:15",
            "organisation": organisations["polsek_panggungrejo"].pk,
            "counterpart": "Ketua RW 05 Bugul Lor",
            "channel": "phone",
            "summary": "Minta warga tidak terpancing isu",
            "incident_ids": "",
        },
    )
    contact = ContactLog.objects.get()
    assert contact.recorded_by == personas["responder"] and contact.channel == "phone"
    bad = client.post(
        reverse("coordination:contacts"), {"at": "kemarin", "counterpart": "", "channel": "x", "summary": ""}
    )
    assert bad.status_code == 200 and ContactLog.objects.count() == 1
    contact = {
        "at": "2020-12-06T21:00",
        "organisation": organisations["polsek_panggungrejo"].pk,
        "counterpart": "Lurah Bugul Lor",
        "channel": "phone",
        "summary": "Kabar terbaru",
    }
    not_numbers = client.post(reverse("coordination:contacts"), contact | {"incident_ids": "12, dua"})
    assert not_numbers.status_code == 200 and "Nomor kejadian berupa bilangan bulat." in not_numbers.content.decode()
    assert ContactLog.objects.count() == 1
    # A number no incident can have is no incident: the contact is kept, about none.
    beyond = client.post(reverse("coordination:contacts"), contact | {"incident_ids": "99999999999999999999"})
    assert beyond.status_code == 302 and not ContactLog.objects.latest("pk").incidents.exists()


@pytest.mark.django_db
def test_the_four_monthly_report_shows_progress_as_of_the_end_of_its_period(client, personas, organisations):
    analyst = personas["analyst"]
    item = services.plan_item_add(
        year=2020,
        part=PlanPart.PENCEGAHAN,
        action="Pemetaan kelurahan rawan Pilkada",
        owner=organisations["kesbangpol"],
        target="34 kelurahan terpetakan",
        actor=analyst,
    )
    services.plan_item_add(
        year=2020,
        part=PlanPart.PEMULIHAN,
        action="Dialog pasca-Pilkada",
        owner=organisations["fkub"],
        target="4 kecamatan",
        actor=analyst,
    )
    services.plan_progress_record(
        item=item, on=date(2020, 7, 20), progress=40, note="Gadingrejo dan Purworejo", actor=analyst
    )
    services.plan_progress_record(item=item, on=date(2020, 10, 2), progress=100, note="Semua kecamatan", actor=analyst)
    with pytest.raises(services.CoordinationError):
        services.plan_progress_record(item=item, on=date(2020, 10, 3), progress=140, note="x", actor=analyst)
    Meeting.objects.create(title="Rakor", held_at=datetime(2020, 6, 3, 9, tzinfo=WIB))
    b08 = services.plan_report(2020, "B.08")
    assert [r.progress for r in b08.rows] == [40, 0] and b08.achievement == 20.0 and b08.meetings == 1
    assert b08.rows[0].done_in_period == ["20-07-2020: Gadingrejo dan Purworejo"]
    assert services.plan_report(2020, "B.12").rows[0].progress == 100
    client.force_login(personas["leadership"])
    response = client.get(reverse("coordination:plan_report_xlsx", args=[2020, "B.08"]))
    sheet = load_workbook(BytesIO(response.content)).active
    assert response["Content-Disposition"].endswith('RAT-2020-B.08.xlsx"')
    assert sheet["C6"].value == "Pemetaan kelurahan rawan Pilkada" and sheet["F6"].value == 40
    assert "B.08" in sheet["A2"].value
    assert client.get(reverse("coordination:plan_report", args=[2020, "B.05"])).status_code == 404


@pytest.mark.django_db
def test_the_secretariat_keeps_a_meetings_signed_minutes(client, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = services.meeting_record(
        meeting=Meeting(title="Rakor kesiapan pemungutan suara", held_at=datetime(2020, 12, 7, 9, tzinfo=WIB)),
        actor=personas["analyst"],
    )
    add = reverse("coordination:meeting_document", args=[meeting.pk, "tambah"])
    minutes = {"title": "Notulen bertanda tangan", "file": SimpleUploadedFile("notulen.pdf", signed_agreement_pdf())}
    client.force_login(personas["responder"])  # reads meetings, keeps none of their papers
    assert client.post(add, minutes).status_code == 403

    client.force_login(personas["analyst"])
    minutes["file"].seek(0)
    assert "Dokumen ditambahkan." in client.post(add, minutes, follow=True).content.decode()
    document = Document.objects.get()
    assert document.owner == meeting
    assert AuditLog.objects.filter(action="meeting.document_added", object_id=str(meeting.pk)).exists()
    wrong = {"title": "Foto", "file": SimpleUploadedFile("a.exe", b"MZ\x90\x00")}
    assert "Tidak tersimpan: Hanya berkas PDF dan foto" in client.post(add, wrong, follow=True).content.decode()

    client.force_login(personas["responder"])
    assert client.get(reverse("core:document", args=[document.pk])).status_code == 200
    page = client.get(reverse("coordination:meeting", args=[meeting.pk])).content.decode()
    assert "Notulen bertanda tangan" in page and "Tambahkan dokumen" not in page

    client.force_login(personas["analyst"])
    remove = reverse("coordination:meeting_document", args=[meeting.pk, "hapus"])
    client.post(remove, {"document": document.pk, "reason": "Belum diparaf ketua"})
    assert Document.objects.get().removed_reason == "Belum diparaf ketua"
    assert AuditLog.objects.filter(action="meeting.document_removed").get().details["reason"] == "Belum diparaf ketua"
    assert client.post(reverse("coordination:meeting_document", args=[meeting.pk, "lain"])).status_code == 404
