"""SMS and WhatsApp webhooks: signatures, replays, the short format, and the receipt sent back."""

import json
import time
from urllib.parse import urlencode

import pytest

from sigap.intake.gateways import generic_signature, parse_message, twilio_signature
from sigap.intake.models import Report

SECRET, TOKEN = "gateway-shared-secret", "twilio-auth-token"


@pytest.fixture(autouse=True)
def gateways(settings):
    settings.SIGAP_GATEWAY_SECRET = SECRET
    settings.SIGAP_TWILIO_AUTH_TOKEN = TOKEN
    settings.SIGAP_PUBLIC_URL = "https://sigap.example.go.id"


def send_generic(client, message, *, secret=SECRET, timestamp=None, signature=None):
    body = json.dumps(message).encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = signature or generic_signature(secret, timestamp, body)
    return client.post(
        "/api/v1/gateways/generic",
        body,
        content_type="application/json",
        HTTP_X_SIGAP_TIMESTAMP=timestamp,
        HTTP_X_SIGAP_SIGNATURE=signature,
    )


MESSAGE = {
    "channel": "sms",
    "from": "+6281234500001",
    "text": "LAPOR Bugul Lor ada amplop dibagikan di RW 02",
    "id": "sms-1",
}


@pytest.mark.django_db
def test_a_short_format_sms_becomes_a_placed_report_and_the_receipt_goes_back(client):
    response = send_generic(client, MESSAGE)
    assert response.status_code == 201
    report = Report.objects.get()
    assert response.json()["receipt"] == report.receipt and report.receipt in response.json()["reply"]
    assert report.region.code == "35.75.04.1010" and report.description == "ada amplop dibagikan di RW 02"
    assert report.channel == "sms" and report.incident is not None
    assert report.has_identity and "+62812" not in json.dumps(report.raw)


@pytest.mark.django_db
def test_free_text_whatsapp_is_placed_by_its_words(client):
    message = {
        **MESSAGE,
        "channel": "whatsapp",
        "id": "wa-9",
        "text": "tolong, ada massa bawa celurit di dekat pasar Kebonagung",
    }
    assert send_generic(client, message).status_code == 201
    report = Report.objects.get()
    assert (report.channel, report.region.name) == ("whatsapp", "Kebonagung")
    assert report.incident.urgency == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "detail"),
    [
        ({"secret": "wrong"}, "signature does not match"),
        ({"signature": "00" * 32}, "signature does not match"),
        ({"timestamp": int(time.time()) - 3600}, "replay window"),
        ({"timestamp": "kemarin"}, "malformed"),
    ],
)
def test_bad_signatures_and_old_messages_are_refused(client, kwargs, detail):
    response = send_generic(client, MESSAGE, **kwargs)
    assert response.status_code == 401
    assert detail in response.json()["detail"]
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_a_replayed_message_id_is_refused(client):
    assert send_generic(client, MESSAGE).status_code == 201
    again = send_generic(client, MESSAGE)  # freshly signed, but the same message id
    assert again.status_code == 409
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_an_unconfigured_gateway_says_so(client, settings):
    settings.SIGAP_GATEWAY_SECRET = ""
    response = send_generic(client, MESSAGE)
    assert response.status_code == 503 and "SIGAP_GATEWAY_SECRET" in response.json()["detail"]


def post_twilio(client, params, signature=None):
    url = "https://sigap.example.go.id/api/v1/gateways/twilio"
    signature = signature or twilio_signature(TOKEN, url, params)
    return client.post(
        "/api/v1/gateways/twilio",
        urlencode(params),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=signature,
    )


@pytest.mark.django_db
def test_twilio_whatsapp_is_verified_and_answered_in_twiml(client):
    params = {
        "From": "whatsapp:+6285700000002",
        "Body": "LAPOR tapaan spanduk SARA dipasang di gang",
        "MessageSid": "SM0001",
        "To": "whatsapp:+14155238886",
    }
    response = post_twilio(client, params)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    report = Report.objects.get()
    assert report.channel == "whatsapp" and report.region.code == "35.75.03.1003"
    assert f"Kode: {report.receipt}" in response.content.decode()
    assert (
        post_twilio(client, {**params, "Body": "diubah"}, signature=twilio_signature(TOKEN, "x", params)).status_code
        == 401
    )
    assert post_twilio(client, params).status_code == 409


def resolve(name):
    return {"bugul lor": "35.75.04.1010", "tapaan": "35.75.03.1003"}.get(name.lower())


@pytest.mark.parametrize(
    ("text", "place", "description"),
    [
        ("LAPOR Bugul Lor ada bentrok", "35.75.04.1010", "ada bentrok"),
        ("lapor: tapaan   ada   amplop", "35.75.03.1003", "ada amplop"),
        ("LAPOR kampung entah ribut", None, "kampung entah ribut"),
        ("ada ribut di pasar", None, "ada ribut di pasar"),
        ("Laporan warga: ribut", None, "Laporan warga: ribut"),
    ],
)
def test_the_short_format_parser(text, place, description):
    parsed = parse_message(text, resolve_place=resolve)
    assert (parsed.place_code, parsed.description) == (place, description)


@pytest.mark.django_db
def test_a_demo_on_its_story_clock_still_takes_messages_signed_with_the_real_time(client):
    from datetime import UTC, datetime

    from sigap.core import clock

    clock.install(clock.StoryClock(story=datetime(2020, 12, 20, 10, 0, tzinfo=UTC), real=clock.real_now()))
    try:
        response = send_generic(client, MESSAGE)  # the gateway stamps with its own (real) clock
    finally:
        clock.uninstall()
    assert response.status_code == 201, response.json()
    assert Report.objects.get().received_at.year == 2020  # received in the story's time
