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
