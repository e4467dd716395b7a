""" "Forgot your password?": a link by e-mail to the address the administrator gave the account, through a real
SMTP server on 127.0.0.1."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from sigap.core.models import AuditLog
from sigap.notify.choices import ChannelKind
from sigap.notify.models import Channel, Notification

RIGHT = "correct horse battery staple"  # the personas' password (conftest)
NEW = "Kupu-kupu malam 2020 di Pasuruan"
FORGOT = "/masuk/lupa/"
SENT = "link to choose a new password is on its way"


def _link(mail) -> str:
    body = mail.get_payload(decode=True).decode()
    found = re.search(r"https?://[^/\s]+(/masuk/lupa/\S+/)", body)
    assert found is not None, body
    return found.group(1)


@pytest.fixture
def analyst(personas):
    user = personas["analyst"]
    user.email = "budi@kesbangpol.test"
    user.save(update_fields=["email"])
    return user


@pytest.mark.django_db
def test_an_analyst_who_forgot_the_password_chooses_a_new_one_from_a_mailed_link(analyst, smtp_server):
    """Before, a forgotten password waited for the administrator in the secretariat: on a Sunday of the
    recapitulation, an analyst could not open the verification queue."""
    elsewhere = Client()
    elsewhere.force_login(analyst)  # a phone left signed in somewhere
    assert "Lupa kata sandi?" in Client().get("/masuk/").content.decode()
    page = Client().post(FORGOT, {"account": "ANALYST"}).content.decode()
    assert "Bila ada akun dengan nama pengguna atau alamat itu" in page
    assert len(smtp_server) == 1 and smtp_server[0]["To"] == "budi@kesbangpol.test"
    link = _link(smtp_server[0])
    browser = Client()
    form_page = browser.get(link, follow=True)
    assert "Pilih kata sandi baru" in form_page.content.decode()
    set_password = form_page.redirect_chain[-1][0]  # Django takes the token out of the address bar
    assert "set-password" in set_password
    weak = browser.post(set_password, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200 and analyst.__class__.objects.get(pk=analyst.pk).check_password(RIGHT)
    done = browser.post(set_password, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done.url == "/masuk/"
    assert "Kata sandi baru tersimpan" in browser.get("/masuk/").content.decode()
    assert Client().post("/masuk/", {"username": "analyst", "password": RIGHT}).status_code == 200  # refused
    assert Client().post("/masuk/", {"username": "analyst", "password": NEW}).url == "/beranda/"
    assert elsewhere.get("/beranda/").status_code == 302  # the other session ended with the old password
    # The link worked once.
    again = Client().get(link, follow=True).content.decode()
    assert "Tautan ini tidak berlaku lagi" in again
    requested = AuditLog.objects.get(action="account.password_reset_requested")
    assert requested.object_id == str(analyst.pk) and requested.details["sent"] == ["email"]
    assert AuditLog.objects.get(action="account.password_reset").actor == analyst


@pytest.mark.django_db
def test_the_page_tells_nobody_which_accounts_exist_and_a_mailbox_is_not_flooded(analyst, personas, smtp_server):
    for named in ("nobody-here", "responder"):  # no such account; an account without an e-mail address
        page = Client().post(FORGOT, {"account": named}).content.decode()
        assert "Bila ada akun dengan nama pengguna atau alamat itu" in page
    assert smtp_server == [] and not AuditLog.objects.filter(action="account.password_reset_requested").exists()
    assert "tidak boleh kosong" in Client().post(FORGOT, {"account": ""}).content.decode()
    for number in range(5):
        Client(REMOTE_ADDR=f"198.51.100.{number}").post(FORGOT, {"account": "budi@kesbangpol.test"})
    assert len(smtp_server) == 3  # three links an hour per account, whoever asks
    # One machine asking again and again is told to wait, whichever account it names.
    asker = Client(REMOTE_ADDR="203.0.113.9")
    answers = [asker.post(FORGOT, {"account": f"user{n}"}).content.decode() for n in range(11)]
    assert "Terlalu banyak permintaan" not in answers[9] and "Terlalu banyak permintaan" in answers[10]


@pytest.mark.django_db
def test_a_link_expires_after_an_hour(analyst, smtp_server):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        Client().post(FORGOT, {"account": "analyst"})
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        assert "Tautan ini tidak berlaku lagi" in Client().get(_link(smtp_server[0]), follow=True).content.decode()


@pytest.mark.django_db
def test_a_bhabinkamtibmas_without_e_mail_gets_the_link_by_sms(personas, http_receiver, smtp_server):
    """A trusted reporter in the kelurahan has a phone, not a mailbox: the link goes through the SMS/WhatsApp
    gateway channel the administrator gave them, at once (never stored in the outbox)."""
    reporter = personas["trusted_reporter"]
    Channel.objects.create(
        name="SMS Bhabinkamtibmas",
        kind=ChannelKind.GATEWAY,
        user=reporter,
        config={"url": f"{http_receiver.url}/sms", "phone": "+6281234567890", "token": "t"},
    )
    Client().post(FORGOT, {"account": "trusted_reporter"})
    [sent] = http_receiver.requests
    payload = json.loads(sent["raw"])
    assert payload["to"] == "+6281234567890" and len(payload["text"]) <= 160 and smtp_server == []
    link = re.search(r"https?://[^/\s]+(/masuk/lupa/\S+/)", payload["text"])
    assert link is not None and not Notification.objects.filter(body__contains=link.group(1)).exists()
    browser = Client()
    set_password = browser.get(link.group(1), follow=True).redirect_chain[-1][0]
    assert browser.post(set_password, {"new_password1": NEW, "new_password2": NEW}).url == "/masuk/"
    assert Client().post("/masuk/", {"username": "trusted_reporter", "password": NEW}).url == "/beranda/"
    requested = AuditLog.objects.get(action="account.password_reset_requested")
    assert requested.details["sent"] == [f"gateway:{Channel.objects.get().pk}"]
