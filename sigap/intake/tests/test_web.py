"""The public form and the receipt page, through Django's test client (real database, real views)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from sigap.intake.models import Report
from sigap.triage.models import IncidentEvent


def photo(name="foto.jpg", fmt="JPEG"):
    out = io.BytesIO()
    Image.new("RGB", (320, 240), "orange").save(out, fmt)
    out.seek(0)
    out.name = name
    return out


FORM = {
    "description": "Pendukung paslon 01 dan 02 saling dorong di pasar Bugul Lor, sekitar 30 orang",
    "location_text": "depan pasar",
    "crowd_size": "11-50",
    "anonymous": "on",
}


@pytest.mark.django_db
def test_a_warga_reports_with_a_photo_and_follows_it_with_the_receipt(client, personas):
    response = client.post(reverse("intake:report_new"), {**FORM, "photos": [photo()]}, follow=True)
    assert response.status_code == 200
    report = Report.objects.get()
    page = response.content.decode()
    assert report.receipt in page and "Kode laporan Anda" in page
    assert report.region.name == "Bugul Lor"  # placed from the text
    assert report.incident is not None and report.attachments.count() == 1
    assert report.receipt not in response.redirect_chain[-1][0]  # the receipt never travels in a URL

    # the team writes a staff note (timeline) and a message to the reporter
    IncidentEvent.objects.create(
        incident=report.incident, at=report.received_at, verb="note", note="RAHASIA: informan di lokasi"
    )
    client.force_login(personas["analyst"])
    client.post(
        reverse("triage:report_reply", args=[report.incident.pk, report.pk]), {"body": "Terima kasih, kami cek."}
    )
    client.logout()

    # the reporter, in a fresh browser, checks with the receipt typed loosely
    client.cookies.clear()
    status = client.post(
        reverse("intake:receipt_check"), {"receipt": report.receipt.lower().replace("-", " ")}, follow=True
    ).content.decode()
    assert "Sedang diperiksa" in status and "Terima kasih, kami cek." in status
    assert "RAHASIA" not in status
    client.post(reverse("intake:receipt_status"), {"receipt": report.receipt, "body": "Massa bertambah."})
    assert list(report.messages.values_list("direction", flat=True)) == ["out", "in"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"description": ""}, "Ceritakan apa yang terjadi."),
        ({"description": "ribut"}, "minimal 10 huruf"),
        ({**FORM, "anonymous": "", "reporter_contact": "bukan nomor"}, "nomor telepon"),
        ({**FORM, "latitude": "-7.64"}, "Titik peta belum lengkap"),
        ({**FORM, "occurred_at": "2999-01-01T10:00"}, "masa depan"),
        ({**FORM, "kelurahan": "999999"}, "Masukkan pilihan yang valid"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(client, data, message):
    response = client.post(reverse("intake:report_new"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    if data.get("description"):
        assert data["description"][:20] in page  # nothing typed is lost
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_a_file_that_is_not_a_photo_is_refused_by_name(client):
    fake = io.BytesIO(b"<svg onload='alert(1)'></svg>")
    fake.name = "gambar.jpg"
    response = client.post(reverse("intake:report_new"), {**FORM, "photos": [fake]})
    assert response.status_code == 400
    assert "gambar.jpg" in response.content.decode()
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_receipt_says_what_to_do(client):
    page = client.post(reverse("intake:receipt_check"), {"receipt": "AAAA-BBBB-CCCC"}).content.decode()
    assert "Tidak ada laporan dengan kode ini" in page


@pytest.mark.django_db
def test_a_flood_from_one_address_is_throttled_without_losing_staff_pages(client, settings, personas):
    settings.SIGAP_ANON_REPORTS_PER_HOUR = 3
    codes = [client.post(reverse("intake:report_new"), FORM, REMOTE_ADDR="10.9.9.9").status_code for _ in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert client.post(reverse("intake:report_new"), FORM, REMOTE_ADDR="10.9.9.10").status_code == 302
    client.force_login(personas["analyst"])
    assert client.get(reverse("home:home")).status_code == 200
    assert Report.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_a_lost_receipt_is_emailed_again_by_the_worker(client, smtp_server, gazetteer):
    client.post(
        reverse("intake:report_new"),
        {**FORM, "anonymous": "", "reporter_name": "Budi", "reporter_contact": "budi@example.org"},
    )
    receipt = Report.objects.get().receipt
    page = client.post(reverse("intake:receipt_resend"), {"contact": "Budi@Example.org"}, follow=True)
    assert "sedang dikirim" in page.content.decode()
    client.post(reverse("intake:receipt_resend"), {"contact": "orang-lain@example.org"})  # same answer, no mail
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload", verbosity=0)
    assert len(smtp_server) == 1
    mail = smtp_server[0]
    assert mail["To"] == "budi@example.org"
    assert receipt in mail.get_payload(decode=True).decode()
    from sigap.core.models import AuditLog

    [read] = AuditLog.objects.filter(action="report.contact_read")  # decrypting the contact to send is recorded
    assert read.details == {"for": "receipt resend", "by": "e-mail"}


@pytest.mark.django_db
def test_a_trusted_reporter_reports_with_the_area_filled_in_and_their_standing(client, personas):
    reporter = personas["trusted_reporter"]  # Bhabinkamtibmas-like account for Bugul Lor
    client.force_login(reporter)
    form = client.get(reverse("intake:trusted_report_new")).content.decode()
    assert "Lapor sebagai pelapor terpercaya" in form and "selected>Bugul Lor" in form
    response = client.post(
        reverse("intake:trusted_report_new"),
        {"description": "Ketegangan pemuda dua RW setelah pertandingan bola", "kelurahan": reporter.area_id},
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.channel, report.submitted_by, report.source_reliability) == ("trusted", reporter, "B")
    assert report.region == reporter.area and not report.has_identity
    client.force_login(personas["responder"])
    assert client.get(reverse("intake:trusted_report_new")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_a_lost_receipt_goes_by_sms_to_a_phone_number_through_the_gateway(client, settings, http_receiver, gazetteer):
    import json

    from sigap.core.models import AuditLog

    settings.SIGAP_REPORTER_GATEWAY_URL = f"{http_receiver.url}/kirim"
    settings.SIGAP_REPORTER_GATEWAY_TOKEN = "token-gateway"
    settings.SIGAP_PUBLIC_URL = "https://sigap.pasuruankota.go.id"
    for _ in range(2):
        client.post(
            reverse("intake:report_new"),
            {**FORM, "anonymous": "", "reporter_name": "Siti", "reporter_contact": "0812-3456-7890"},
        )
    receipts = list(Report.objects.order_by("-received_at").values_list("receipt", flat=True))
    assert "dapat mengirim SMS" not in client.get(reverse("intake:receipt_resend")).content.decode()
    page = client.post(reverse("intake:receipt_resend"), {"contact": "+62 812 3456 7890"}, follow=True)
    assert "sedang dikirim" in page.content.decode()
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload", verbosity=0)
    [sms] = http_receiver.requests
    body = json.loads(sms["raw"])
    assert sms["path"] == "/kirim" and sms["headers"]["Authorization"] == "Bearer token-gateway"
    assert body["to"] == "+6281234567890" and len(body["text"]) <= 160
    assert all(receipt in body["text"] for receipt in receipts)
    assert "https://sigap.pasuruankota.go.id/laporan/cek/" in body["text"]
    read = AuditLog.objects.get(action="report.contact_read")
    assert read.details == {"for": "receipt resend", "by": "SMS/WhatsApp"}


@pytest.mark.django_db(transaction=True)
def test_a_receipt_sms_that_the_gateway_refuses_for_now_is_sent_again_later_once(client, settings, http_receiver):
    import json

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.SIGAP_REPORTER_GATEWAY_URL = http_receiver.url
    client.post(
        reverse("intake:report_new"),
        {**FORM, "anonymous": "", "reporter_name": "Siti", "reporter_contact": "0812-3456-7890"},
    )
    receipt = Report.objects.get().receipt

    def work() -> None:
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload", verbosity=0)

    http_receiver.fail = 1  # the gateway is down (503) for the first try
    client.post(reverse("intake:receipt_resend"), {"contact": "0812 3456 7890"})
    work()
    [retry] = DBTaskResult.objects.filter(task_path__endswith="receipts_resend", status="READY")
    assert retry.run_after > timezone.now() and retry.args_kwargs["kwargs"]["attempt"] == 1
    work()  # not yet due: nothing is sent
    assert len(http_receiver.requests) == 1
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    work()
    first, second = (json.loads(r["raw"]) for r in http_receiver.requests)
    assert receipt in second["text"] and first["id"] == second["id"]  # the gateway can drop a repeat
    assert not DBTaskResult.objects.filter(status="READY").exists()
    # A refusal that will not change (400) is not tried again: the task fails and the worker records it.
    http_receiver.fail, http_receiver.code = 1, 400
    client.post(reverse("intake:receipt_resend"), {"contact": "0812 3456 7890"})
    work()
    assert len(http_receiver.requests) == 3 and not DBTaskResult.objects.filter(status="READY").exists()
    assert DBTaskResult.objects.filter(task_path__endswith="receipts_resend", status="FAILED").count() == 1


def test_a_receipt_sms_drops_a_public_address_too_long_to_leave_room_for_a_code(settings):
    from sigap.intake.tasks import _receipts_sms

    reports = [Report(receipt=f"K{n}XQ-7R2M-PW4D") for n in range(3)]
    settings.SIGAP_PUBLIC_URL = "https://" + "sigap-kota-pasuruan." * 7 + "go.id"
    text, sent = _receipts_sms(reports)
    assert sent == 3 and text.endswith("PW4D.") and len(text) <= 160 and "https://" not in text
    settings.SIGAP_PUBLIC_URL = "https://sigap.pasuruankota.go.id"
    text, sent = _receipts_sms(reports)
    assert sent >= 1 and "https://sigap.pasuruankota.go.id/" in text and len(text) <= 160


@pytest.mark.django_db(transaction=True)
def test_without_a_gateway_a_phone_number_is_told_that_only_email_works(client, settings, gazetteer):
    from django_tasks_db.models import DBTaskResult

    settings.SIGAP_REPORTER_GATEWAY_URL = ""
    client.post(
        reverse("intake:report_new"),
        {**FORM, "anonymous": "", "reporter_name": "Siti", "reporter_contact": "0812-3456-7890"},
    )
    form = client.get(reverse("intake:receipt_resend")).content.decode()
    assert "server ini tidak mengirim SMS" in form
    for contact in ("0812-3456-7890", "0899-0000-1111"):  # a number with a report and one without: one answer
        page = client.post(reverse("intake:receipt_resend"), {"contact": contact})
        assert page.status_code == 400
        assert "hanya dapat dikirim ulang ke alamat e-mail" in page.content.decode()
    assert not DBTaskResult.objects.filter(task_path__endswith="receipts_resend").exists()


@pytest.mark.django_db
def test_a_photo_missing_from_the_server_is_not_found_not_a_server_error(client, personas, settings, tmp_path, caplog):
    settings.MEDIA_ROOT = tmp_path
    client.post(reverse("intake:report_new"), {**FORM, "photos": [photo()]})
    attachment = Report.objects.get().attachments.get()
    client.force_login(personas["analyst"])
    assert client.get(reverse("triage:attachment", args=[attachment.pk])).status_code == 200
    (tmp_path / attachment.file.name).unlink()  # restored without its files backup
    assert client.get(reverse("triage:attachment", args=[attachment.pk])).status_code == 404
    assert "missing from MEDIA_ROOT" in caplog.text
