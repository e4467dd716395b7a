import hashlib
import time
from datetime import datetime
from html import escape
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, StrictBool, StrictFloat, field_validator

from sigap.core.net import client_ip
from sigap.core.ratelimit import over_hourly_limit
from sigap.intake.choices import Channel, CrowdSize, PublicStatus
from sigap.intake.commands import EmptyMessage, MessageReplayed, TextAnswer, TextMessage, text_message_receive
from sigap.intake.gateways import SignatureError, verify_generic, verify_twilio
from sigap.intake.models import ApiPartner, Report, ResolutionAnswer
from sigap.intake.partners import partner_for_token
from sigap.intake.receipts import receipt_normalise
from sigap.intake.resolution import (
    ResolutionAnswerRefused,
    resolution_answer_current,
    resolution_answer_give,
    resolution_asked,
)
from sigap.intake.services import ReportDraft, report_receive
from sigap.regions.choices import Level
from sigap.regions.models import Region

router = Router(tags=["reports"])


def _point_needs(given: str, needed: str) -> dict[str, Any]:
    return {
        "if": {"properties": {given: {"type": "number"}}, "required": [given]},
        "then": {"properties": {needed: {"type": "number"}}, "required": [needed]},
    }


class ReportIn(Schema):
    description: str = Field(..., min_length=1, max_length=5000, description="What happened (required)")
    region_code: str | None = Field(
        None,
        max_length=16,
        pattern=r"^\s*[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?\s*$",
        examples=["35.75.04.1010"],
        description="Kemendagri code of the desa/kelurahan, if known (a code the gazetteer does not hold: 422)",
    )
    latitude: StrictFloat | None = Field(None, ge=-90, le=90)  # a number: not true/false, not "7.6"
    longitude: StrictFloat | None = Field(None, ge=-180, le=180)
    occurred_at: datetime | None = Field(None, description="ISO 8601; without a zone it is read as WIB")
    location_text: str | None = Field(None, max_length=300)
    groups_involved: str | None = Field(None, max_length=300)
    crowd_size: CrowdSize | None = None
    weapons_seen: StrictBool = False  # true or false, not 0/1 or "yes": what the schema says
    mass_mobilisation: StrictBool = False
    online_provocation: StrictBool = False
    reporter_name: str | None = Field(None, max_length=120)
    reporter_contact: str | None = Field(None, max_length=120)

    # A point needs both coordinates; JSON Schema says so, so generated clients (and schemathesis) know it.
    model_config = ConfigDict(
        json_schema_extra={"allOf": [_point_needs("latitude", "longitude"), _point_needs("longitude", "latitude")]}
    )

    @field_validator("occurred_at", mode="before")
    @classmethod
    def _time_as_text(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, str):  # a bare number is not a time anyone wrote
            raise ValueError("occurred_at must be an ISO 8601 string")
        return value


class ReportCreated(Schema):
    id: int
    receipt: str
    status: PublicStatus
    region_code: str | None
    received_at: datetime


class Error(Schema):
    detail: str


class MessageOut(Schema):
    at: datetime
    direction: str = Field(description="'in' from the reporter, 'out' from the team")
    body: str


class ReceiptOut(Schema):
    receipt: str
    status: PublicStatus
    status_label: str
    received_at: datetime
    kelurahan: str | None
    messages: list[MessageOut]
    resolution_asked: bool = Field(
        description="The incident is resolved and the reporter may say whether the problem is really settled "
        "(POST .../resolution), for SIGAP_RESOLUTION_ANSWER_DAYS after the resolution, once"
    )
    resolution_answer: str | None = Field(
        description="'settled' or 'not_settled': the reporter's answer about the resolution in force, if any"
    )


class ResolutionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    settled: StrictBool = Field(description="true: the problem is settled; false: not yet")
    note: str = Field("", max_length=2000, description="What is still going on (read by the team, who answer)")


class ResolutionOut(Schema):
    receipt: str
    resolution_answer: str


def _partner(request: HttpRequest) -> ApiPartner | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HttpError(401, "Token tidak sah / invalid token: use 'Authorization: Bearer <token>'")
    partner = partner_for_token(token.strip())
    if partner is None:
        raise HttpError(401, "Token tidak dikenal atau tidak aktif / unknown or inactive token")
    return partner


@router.post(
    "/reports",
    response={201: ReportCreated, 200: ReportCreated, 400: Error, 401: Error, 413: Error, 422: Error, 429: Error},
    summary="Send a report",
    description="Anonymous calls are accepted and rate limited; a partner token (`Authorization: Bearer ...`) "
    "raises the source's standing. Send an `Idempotency-Key` header to make retries safe: the same key "
    "returns the first report (200) instead of creating another.",
)
def report_create(request: HttpRequest, payload: ReportIn, response: HttpResponse) -> Any:
    partner = _partner(request)
    if partner is None and over_hourly_limit(request, "report-api", settings.SIGAP_ANON_REPORTS_PER_HOUR):
        raise HttpError(429, "Terlalu banyak laporan dari alamat ini / too many reports from this address; retry later")
    if not payload.description.strip():
        raise HttpError(422, "Uraian laporan kosong / the description is empty")
    region = None
    if payload.region_code:
        region = Region.objects.filter(code=payload.region_code.strip()).defer("boundary").first()
        if region is None or region.level != Level.DESA_KELURAHAN:
            raise HttpError(
                422,
                f"Kode wilayah {payload.region_code!r} bukan desa/kelurahan yang dikenal / unknown desa/kelurahan code",
            )
    if (payload.latitude is None) != (payload.longitude is None):
        raise HttpError(422, "Latitude dan longitude harus lengkap / give both latitude and longitude")
    occurred_at = payload.occurred_at
    if occurred_at is not None and timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    key = request.headers.get("Idempotency-Key", "").strip()[:150]
    if key and partner is None:
        # Anonymous keys are scoped to the caller's address, so one client can never see another's receipt.
        key = "anon:" + hashlib.sha256(f"{client_ip(request)}\0{key}".encode()).hexdigest()
    contact = (payload.reporter_contact or "").strip()
    draft = ReportDraft(
        channel=Channel.API,
        description=payload.description,
        region=region,
        location_text=payload.location_text or "",
        latitude=payload.latitude,
        longitude=payload.longitude,
        occurred_at=occurred_at,
        groups_involved=payload.groups_involved or "",
        crowd_size=payload.crowd_size or "",
        weapons_seen=payload.weapons_seen,
        mass_mobilisation=payload.mass_mobilisation,
        online_provocation=payload.online_provocation,
        reporter_name=payload.reporter_name or "",
        reporter_contact=contact,
        anonymous=not (contact or payload.reporter_name),
        partner=partner,
        idempotency_key=key,
        raw=payload.model_dump(mode="json"),
    )
    report, created = report_receive(draft)
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, _created(report))


def _created(report: Report) -> dict[str, Any]:
    return {
        "id": report.pk,
        "receipt": report.receipt,
        "status": report.public_status,
        "region_code": report.region.code if report.region else None,
        "received_at": report.received_at,
    }


@router.get(
    "/receipts/{receipt}",
    response={200: ReceiptOut, 404: Error, 429: Error},
    summary="Public status of a report, by its receipt code",
)
def receipt_detail(request: HttpRequest, receipt: str) -> Any:
    if over_hourly_limit(request, "receipt-api", 60):
        raise HttpError(429, "Terlalu banyak permintaan / too many requests; retry later")
    report = Report.objects.select_related("incident", "region").filter(receipt=receipt_normalise(receipt)).first()
    if report is None:
        raise HttpError(404, "Kode laporan tidak dikenal / unknown receipt")
    status = report.public_status
    return Status(
        200,
        {
            "receipt": report.receipt,
            "status": status,
            "status_label": str(status.label),
            "received_at": report.received_at,
            "kelurahan": report.region.name if report.region else None,
            "messages": [{"at": m.at, "direction": m.direction, "body": m.body} for m in report.messages.all()],
            "resolution_asked": resolution_asked(report),
            "resolution_answer": _answer_word(resolution_answer_current(report)),
        },
    )


def _answer_word(answer: ResolutionAnswer | None) -> str | None:
    if answer is None:
        return None
    return "settled" if answer.settled else "not_settled"


@router.post(
    "/receipts/{receipt}/resolution",
    response={201: ResolutionOut, 404: Error, 409: Error, 422: Error, 429: Error},
    summary="The reporter's word on the resolution: is the problem really settled?",
    description="Accepted once per resolution, while `resolution_asked` is true on the receipt; a `false` "
    "(not settled yet) goes to the secretariat and its `note` into the report's conversation.",
)
def receipt_resolution(request: HttpRequest, receipt: str, payload: ResolutionIn) -> Any:
    if over_hourly_limit(request, "receipt-api", 60):
        raise HttpError(429, "Terlalu banyak permintaan / too many requests; retry later")
    report = Report.objects.select_related("incident").filter(receipt=receipt_normalise(receipt)).first()
    if report is None:
        raise HttpError(404, "Kode laporan tidak dikenal / unknown receipt")
    try:
        answer = resolution_answer_give(report=report, settled=payload.settled, note=payload.note)
    except ResolutionAnswerRefused:
        raise HttpError(
            409,
            "Laporan ini tidak sedang menunggu tanggapan atas penyelesaiannya / this report is not waiting for an "
            "answer about its resolution (not resolved, answered already, or the days to answer have passed)",
        ) from None
    return Status(201, {"receipt": report.receipt, "resolution_answer": _answer_word(answer)})


class GenericMessageIn(Schema):
    channel: str = Field("sms", pattern="^(sms|whatsapp)$")
    sender: str = Field(..., alias="from", min_length=3, max_length=40)
    text: str = Field(..., min_length=1, max_length=2000)
    id: str = Field(..., min_length=1, max_length=120, description="The gateway's message id (replays are refused)")


class GatewayReply(Schema):
    receipt: str | None = Field(None, description="The report's receipt; none for a nil report or a checklist")
    outcome: str = Field(
        "report",
        description="report | reply (the sender's answer to the team's message on their report, within 48 hours) | "
        "nil_report | checklist (a monitor's NIHIL or PANTAU) | field_check (a monitor's CEK <n> YA|TIDAK|BELUM, "
        "the answer to the team's field check) | help (PANTAU KODE) | courtesy (thanks or ok alone: no report) | "
        "refused (nothing recorded; the reply says why)",
    )
    reply: str = Field(description="Text for the gateway to send back to the reporter")


def _receive_message(*, channel: Channel, sender: str, text: str, message_id: str, gateway: str) -> TextAnswer:
    try:
        return text_message_receive(
            TextMessage(channel=channel, sender=sender, text=text, message_id=message_id, gateway=gateway)
        )
    except MessageReplayed:
        raise HttpError(409, "Pesan ini sudah diterima / message already received (replay refused)") from None
    except EmptyMessage:
        raise HttpError(422, "Pesan kosong / empty message") from None


@router.post(
    "/gateways/generic",
    response={200: GatewayReply, 201: GatewayReply, 400: Error, 401: Error, 409: Error, 422: Error, 503: Error},
    summary="Inbound SMS/WhatsApp, generic signed JSON (201 a report; 200 an answer, a NIHIL or a PANTAU)",
    tags=["gateways"],
)
def gateway_generic(request: HttpRequest, payload: GenericMessageIn) -> Any:
    secret = settings.SIGAP_GATEWAY_SECRET
    if not secret:
        raise HttpError(503, "Gateway belum dikonfigurasi / gateway not configured (SIGAP_GATEWAY_SECRET)")
    try:
        verify_generic(
            secret=secret,
            timestamp=request.headers.get("X-Sigap-Timestamp", ""),
            signature=request.headers.get("X-Sigap-Signature", ""),
            body=request.body,
            now=time.time(),  # the gateway signs with the real clock (a demo's story clock is not its)
        )
    except SignatureError as exc:
        raise HttpError(401, f"Tanda tangan ditolak / signature refused: {exc}") from None
    channel = Channel.WHATSAPP if payload.channel == "whatsapp" else Channel.SMS
    answer = _receive_message(
        channel=channel, sender=payload.sender, text=payload.text, message_id=payload.id, gateway="generic"
    )
    return Status(answer.status, {"receipt": answer.receipt, "outcome": answer.outcome, "reply": answer.reply})


@router.post(
    "/gateways/twilio",
    response={200: None, 400: Error, 401: Error, 409: Error, 422: Error, 503: Error},
    summary="Inbound SMS/WhatsApp from Twilio (form-encoded, X-Twilio-Signature)",
    tags=["gateways"],
)
def gateway_twilio(request: HttpRequest) -> HttpResponse:
    token = settings.SIGAP_TWILIO_AUTH_TOKEN
    if not token:
        raise HttpError(503, "Gateway belum dikonfigurasi / gateway not configured (SIGAP_TWILIO_AUTH_TOKEN)")
    try:
        params = {key: request.POST.get(key, "") for key in request.POST}
    except MultiPartParserError as exc:  # e.g. multipart/form-data without a boundary
        raise HttpError(400, f"Isi permintaan tidak dapat dibaca / unreadable form body: {exc}") from None
    url = (
        settings.SIGAP_PUBLIC_URL.rstrip("/") + request.path
        if settings.SIGAP_PUBLIC_URL
        else request.build_absolute_uri(request.path)
    )
    try:
        verify_twilio(token=token, url=url, params=params, signature=request.headers.get("X-Twilio-Signature", ""))
    except SignatureError as exc:
        raise HttpError(401, f"Tanda tangan ditolak / signature refused: {exc}") from None
    sender, body, sid = params.get("From", ""), params.get("Body", ""), params.get("MessageSid", "")
    if not (sender and body.strip() and sid):
        raise HttpError(422, "From, Body dan MessageSid wajib / From, Body and MessageSid are required")
    channel = Channel.WHATSAPP if sender.startswith("whatsapp:") else Channel.SMS
    answer = _receive_message(
        channel=channel, sender=sender.removeprefix("whatsapp:"), text=body, message_id=sid, gateway="twilio"
    )
    twiml = f'<?xml version="1.0" encoding="UTF-8"?><Response><Message>{escape(answer.reply)}</Message></Response>'

    return HttpResponse(twiml, content_type="text/xml; charset=utf-8")
