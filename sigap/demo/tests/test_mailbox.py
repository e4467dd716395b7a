import json
import time

import pytest
from django.core.mail import send_mail

from sigap.accounts.models import User
from sigap.demo.generator import seed_demo
from sigap.demo.models import DemoWebhookDelivery
from sigap.demo.views import DEMO_WEBHOOK_NAME
from sigap.notify.choices import NotificationStatus
from sigap.notify.models import Channel, Notification
from sigap.notify.services import deliver
from sigap.notify.transports.webhook import signature


@pytest.mark.django_db
def test_the_demo_receives_its_own_webhook_and_mail(client, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    seed_demo(seed=2020)
    channel = Channel.objects.get(name=DEMO_WEBHOOK_NAME)
    body = json.dumps({"subject": "[Siaga] uji", "level": "siaga", "purpose": "alert"}).encode()
    stamp = str(int(time.time()))
    headers = {
        "HTTP_X_SIGAP_TIMESTAMP": stamp,
        "HTTP_X_SIGAP_SIGNATURE": "sha256=" + signature(channel.config["secret"], stamp, body),
        "HTTP_IDEMPOTENCY_KEY": "k1",
    }
    assert client.post("/demo/webhook/", body, content_type="application/json", **headers).status_code == 200
    assert client.post("/demo/webhook/", body, content_type="application/json", **headers).status_code == 200
    forged = client.post(
        "/demo/webhook/",
        body,
        content_type="application/json",
        **{**headers, "HTTP_X_SIGAP_SIGNATURE": "sha256=00", "HTTP_IDEMPOTENCY_KEY": "k2"},
    )
    assert forged.status_code == 401
    assert [d.signature_ok for d in DemoWebhookDelivery.objects.order_by("id")] == [True, False]
    # The demo's alert messages to Bakesbangpol's duty desk go to the mailbox folder.
    email = Notification.objects.filter(channel__name="Surel piket Bakesbangpol").first()
    assert deliver(email) and Notification.objects.get(pk=email.pk).status == NotificationStatus.SENT
    send_mail("Uji kotak surat", "isi", None, ["sari.warga@example.org"])  # as a receipt resend to a reporter
    client.force_login(User.objects.get(username="analis"))
    page = client.get("/demo/kotak-surat/").content.decode()
    assert email.subject in page and "Uji kotak surat" in page and "[Siaga] uji" in page
    # The duty desk's address is shown; a reporter's is not.
    assert email.channel.config["address"] in page
    assert "s***@example.org" in page and "sari.warga" not in page


@pytest.mark.django_db
def test_the_demo_gateway_takes_reporters_texts_once_and_shows_them_masked(client, settings):
    from sigap.demo.models import DemoTextMessage

    sms = {"to": "+6281234567890", "text": "Sigap: kode laporan Anda ABCD-EFGH-JKLM.", "id": "r1"}
    assert client.post("/demo/sms/", sms, content_type="application/json").status_code == 404  # no demo, no gateway
    seed_demo(seed=2020)
    settings.SIGAP_REPORTER_GATEWAY_TOKEN = "rahasia"
    assert client.post("/demo/sms/", sms, content_type="application/json").status_code == 401
    auth = {"HTTP_AUTHORIZATION": "Bearer rahasia"}
    for _ in range(2):  # a retry of the same message is kept once
        assert client.post("/demo/sms/", sms, content_type="application/json", **auth).status_code == 200
    assert client.post("/demo/sms/", "{", content_type="application/json", **auth).status_code == 400
    assert DemoTextMessage.objects.count() == 1
    client.force_login(User.objects.get(username="analis"))
    page = client.get("/demo/kotak-surat/").content.decode()
    assert "ABCD-EFGH-JKLM" in page and "+6281*****7890" in page and "+6281234567890" not in page


@pytest.mark.django_db
def test_the_demo_phone_texts_sigap_as_the_trusted_reporter_and_shows_the_replies(client, settings):
    from sigap.demo.generator import DEMO_REPORTER_PHONE
    from sigap.demo.models import DemoTextMessage
    from sigap.intake.models import MonitorCheck, NilReport

    client.force_login(User.objects.create(username="warga", role="trusted_reporter"))
    assert client.get("/demo/ponsel/").status_code == 404  # no demo, no phone
    seed_demo(seed=2020)
    settings.SIGAP_GATEWAY_SECRET = "rahasia-masuk"
    pelapor = User.objects.get(username="pelapor")
    client.force_login(User.objects.get(username="analis"))
    assert client.get("/demo/ponsel/").status_code == 403  # a trusted reporter's phone, not staff's
    client.force_login(pelapor)
    page = client.get("/demo/ponsel/").content.decode()
    assert DEMO_REPORTER_PHONE in page and "Bhabinkamtibmas Bugul Lor" in page

    client.post("/demo/ponsel/", {"text": "PANTAU 1 D4 massa berkumpul di lapangan"})
    check = MonitorCheck.objects.filter(reporter=pelapor).order_by("-at").first()
    assert check.signs == ["mobilisation"] and check.peace == ["night_watch"]
    assert check.note == "massa berkumpul di lapangan"
    page = client.get("/demo/ponsel/").content.decode()
    assert "PANTAU 1 D4 massa berkumpul di lapangan" in page
    assert "tercatat: 1 pengumpulan massa; tanda damai: D4 ronda/siskamling." in page
    client.post("/demo/ponsel/", {"text": "NIHIL"})
    assert NilReport.objects.filter(reporter=pelapor).order_by("-at").first().at > check.at
    assert DemoTextMessage.objects.filter(from_phone=True).count() == 2
    assert "Laporan nihil Bugul Lor" in client.get("/demo/ponsel/").content.decode()
    empty = client.post("/demo/ponsel/", {"text": "  "}, follow=True).content.decode()
    assert "Ketik pesan dulu." in empty and DemoTextMessage.objects.filter(from_phone=True).count() == 2
