import hashlib
import json

import pytest

from sigap.intake.models import ApiPartner, Report

URL = "/api/v1/reports"
BODY = {
    "description": "Ada pembagian amplop atas nama paslon 02 di RW 04 Kelurahan Tembokrejo",
    "reporter_name": "Pak RT",
    "reporter_contact": "0813 1111 2222",
}


def post(client, body, **headers):
    return client.post(
        URL,
        json.dumps(body) if isinstance(body, dict) else body,
        content_type="application/json",
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()},
    )


@pytest.fixture
def partner(db):
    token = "partner-secret-token"
    made = ApiPartner.objects.create(
        name="Aplikasi Polres", reliability="B", token_sha256=hashlib.sha256(token.encode()).hexdigest()
    )
    return made, token


@pytest.mark.django_db
def test_an_anonymous_report_gets_201_with_a_receipt_and_is_triaged(client):
    response = post(client, BODY)
    assert response.status_code == 201
    body = response.json()
    report = Report.objects.get(pk=body["id"])
    assert body["receipt"] == report.receipt and report.region.name == "Tembokrejo"
    assert body["region_code"] == report.region.code
    assert body["status"] == "in_review"
    assert report.source_reliability == "F" and report.has_identity
    assert "0813" not in json.dumps(report.raw)


@pytest.mark.django_db
def test_a_partner_retry_with_the_same_key_never_creates_a_second_report(client, partner):
    made, token = partner
    first = post(client, BODY, authorization=f"Bearer {token}", idempotency_key="evt-42")
    again = post(client, BODY, authorization=f"Bearer {token}", idempotency_key="evt-42")
    other = post(client, BODY, authorization=f"Bearer {token}", idempotency_key="evt-43")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["receipt"] == first.json()["receipt"] != other.json()["receipt"]
    assert Report.objects.filter(partner=made).count() == 2
    assert Report.objects.get(pk=first.json()["id"]).source_reliability == "B"


@pytest.mark.django_db
def test_anonymous_keys_are_scoped_to_the_caller(client):
    first = client.post(
        URL, json.dumps(BODY), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1", REMOTE_ADDR="10.0.0.1"
    )
    again = client.post(
        URL, json.dumps(BODY), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1", REMOTE_ADDR="10.0.0.1"
    )
    stranger = client.post(
        URL, json.dumps(BODY), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1", REMOTE_ADDR="10.0.0.2"
    )
    assert again.json()["receipt"] == first.json()["receipt"]
    assert stranger.status_code == 201 and stranger.json()["receipt"] != first.json()["receipt"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "headers", "status", "detail"),
    [
        ("{not json", {}, 400, "bukan JSON yang sah"),
        ({"description": "   "}, {}, 422, "kosong"),
        ({}, {}, 422, "invalid input"),
        ({"description": "x", "region_code": "35.75"}, {}, 422, "bukan desa/kelurahan"),
        ({"description": "x", "latitude": -7.6}, {}, 422, "Latitude dan longitude"),
        ({"description": "x", "latitude": 200, "longitude": 1}, {}, 422, "invalid input"),
        ({"description": "x"}, {"authorization": "Bearer wrong"}, 401, "tidak dikenal"),
        ({"description": "x"}, {"authorization": "Basic abc"}, 401, "Bearer"),
    ],
)
def test_bad_requests_get_a_json_detail(client, body, headers, status, detail):
    response = post(client, body, **headers)
    assert response.status_code == status
    assert detail in response.json()["detail"] if isinstance(response.json()["detail"], str) else True
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_anonymous_api_calls_are_rate_limited(client, settings):
    settings.SIGAP_ANON_REPORTS_PER_HOUR = 2
    codes = [
        client.post(URL, json.dumps(BODY), content_type="application/json", REMOTE_ADDR="10.7.7.7").status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]


@pytest.mark.django_db
def test_the_receipt_endpoint_shows_status_and_messages_but_no_identity(client):
    receipt = post(client, BODY).json()["receipt"]
    body = client.get(f"/api/v1/receipts/{receipt.lower()}").json()
    assert body["receipt"] == receipt and body["status"] == "in_review" and body["messages"] == []
    assert "Pak RT" not in json.dumps(body) and "0813" not in json.dumps(body)
    assert client.get("/api/v1/receipts/AAAA-BBBB-CCCC").status_code == 404


def test_the_schema_documents_the_report_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"201", "200", "422", "429"} <= set(paths["/api/v1/reports"]["post"]["responses"])
    assert "/api/v1/receipts/{receipt}" in paths
