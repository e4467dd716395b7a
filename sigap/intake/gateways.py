"""Inbound SMS/WhatsApp: signature checks for the two webhook forms, and the parser of message text. No Django ORM.

Generic form: JSON {"channel": "sms"|"whatsapp", "from": "+62...", "text": "...", "id": "<message id>"} with
headers X-Sigap-Timestamp (unix seconds) and X-Sigap-Signature = hex(HMAC-SHA256(secret, "<timestamp>.<body>")).
A timestamp outside the window, or a message id already received, is a replay and is refused.

Twilio form (SMS and WhatsApp): application/x-www-form-urlencoded with From, Body, MessageSid, signed in the
X-Twilio-Signature header = base64(HMAC-SHA1(auth token, URL + each POST key and value, keys sorted)).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

REPLAY_WINDOW_SECONDS = 300
_SHORT_FORMAT = re.compile(r"^\s*lapor[\s:#.,-]+(?P<rest>.+)$", re.IGNORECASE | re.DOTALL)


class SignatureError(ValueError):
    pass


def _same(expected: str, given: str) -> bool:
    """Constant-time comparison of a signature as bytes: compare_digest refuses str with non-ASCII characters, and a
    forged header may carry any."""
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "surrogatepass"))


def generic_signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify_generic(*, secret: str, timestamp: str, signature: str, body: bytes, now: float) -> None:
    if not secret:
        raise SignatureError("gateway secret not configured")
    try:
        sent = int(timestamp)
    except ValueError:
        raise SignatureError("missing or malformed X-Sigap-Timestamp") from None
    if abs(now - sent) > REPLAY_WINDOW_SECONDS:
        raise SignatureError("timestamp outside the replay window")
    if not _same(generic_signature(secret, timestamp, body), signature.strip().lower()):
        raise SignatureError("signature does not match")


def twilio_signature(token: str, url: str, params: Mapping[str, str]) -> str:
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()).decode()


def verify_twilio(*, token: str, url: str, params: Mapping[str, str], signature: str) -> None:
    if not token:
        raise SignatureError("gateway secret not configured")
    if not _same(twilio_signature(token, url, params), signature.strip()):
        raise SignatureError("signature does not match")


@dataclass(frozen=True)
class ParsedMessage:
    description: str
    place_code: str | None  # a kelurahan named right after LAPOR
    place_text: str
    short_format: bool


def parse_message(text: str, *, resolve_place: Callable[[str], str | None]) -> ParsedMessage:
    """'LAPOR Bugul Lor ada bentrok di pasar' -> place Bugul Lor + description; anything else is free text.

    resolve_place maps a candidate name (1-3 words) to a kelurahan code or None.
    """
    text = " ".join(text.split())
    match = _SHORT_FORMAT.match(text)
    if not match:
        return ParsedMessage(description=text, place_code=None, place_text="", short_format=False)
    words = match.group("rest").split(" ")
    for size in (3, 2, 1):
        if len(words) <= size:
            continue
        candidate = " ".join(words[:size])
        code = resolve_place(candidate)
        if code:
            return ParsedMessage(
                description=" ".join(words[size:]), place_code=code, place_text=candidate, short_format=True
            )
    return ParsedMessage(description=match.group("rest"), place_code=None, place_text="", short_format=True)


# Words of courtesy only, sent after Sigap's receipt or status message ("terima kasih", "ok siap pak"): nothing to
# handle, so no report for the analysts' queue. Anything else in the text makes it a report as before.
_COURTESY = frozenset(
    [
        "terima",
        "kasih",
        "makasih",
        "makasi",
        "trims",
        "trimakasih",
        "terimakasih",
        "thanks",
        "thank",
        "you",
        "thx",
        "tq",
        "ty",
        "ok",
        "oke",
        "okey",
        "okay",
        "okeh",
        "siap",
        "baik",
        "sama",
        "sama-sama",
        "noted",
        "sip",
        "mantap",
        "salam",
        "wassalam",
        "pak",
        "bu",
        "bapak",
        "ibu",
        "mas",
        "mbak",
        "kak",
        "ya",
        "iya",
        "nggih",
        "njih",
    ]
)


def courtesy_only(text: str) -> bool:
    """True for a short text of thanks or acknowledgement alone, in any case, with punctuation or emoji."""
    words = re.findall(r"[a-z]+(?:-[a-z]+)?", text.lower())
    return 0 < len(text.strip()) <= 80 and bool(words) and all(word in _COURTESY for word in words)


_RESOLUTION = re.compile(
    r"^\s*(?P<not>belum|blm|sudah|sdh)?\s*selesai\b[\s.,!:;-]*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL
)


_SETTLED_WORDS = frozenset(["aman", "kondusif", "beres", "sudah", "sdh", "tuntas", "damai"])


def resolution_words(text: str) -> tuple[bool, str] | None:
    """A reporter's answer by SMS to "resolved; if it is not, reply BELUM SELESAI": (settled, the words after), or
    None for any other text. "SELESAI" and "SUDAH SELESAI, aman" say settled, "BELUM SELESAI masih ribut" not yet.
    "Selesai sholat jumat ada keributan" is a report, not a settled answer: words after a settled answer may only
    thank or say it is calm."""
    found = _RESOLUTION.match(text)
    if found is None:
        return None
    settled = (found.group("not") or "").lower() not in ("belum", "blm")
    rest = found.group("rest").strip()
    words = re.findall(r"[a-z]+(?:-[a-z]+)?", rest.lower())
    if settled and not all(word in _COURTESY or word in _SETTLED_WORDS for word in words):
        return None
    return settled, rest


# A trusted reporter's commands by SMS/WhatsApp, for the Babinsa or the ketua RT with a phone and no data plan:
# "NIHIL" is the nil report; "PANTAU 1 4 D2 massa di posko" the area checklist (warning signs by their number on the
# checklist, peace signs as D1-D5, then a note); "PANTAU 0" or "PANTAU AMAN" a checklist with nothing ticked;
# "PANTAU" alone or "PANTAU KODE" asks for the numbers.
_NIL = re.compile(r"^\s*(nihil|nil)\b[\s.,!:-]*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_CHECK = re.compile(r"^\s*pantau\b[\s:#.,-]*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_CODE = re.compile(r"^(?P<peace>d)?(?P<number>\d{1,3})$", re.IGNORECASE)
_HELP_WORDS = {"?", "kode", "bantuan", "help", "daftar"}
_CALM_WORDS = {"aman", "nol", "nihil"}


@dataclass(frozen=True)
class NilCommand:
    rest: str  # words after NIHIL: a nil report says nothing happened, so these are refused, never dropped


@dataclass(frozen=True)
class CheckCommand:
    signs: tuple[str, ...]
    peace: tuple[str, ...]
    note: str
    unknown: tuple[str, ...]  # codes not on the checklist, as typed


@dataclass(frozen=True)
class CheckHelpCommand:
    pass


# The answer to a field check the team sent: "CEK 14 YA massa sudah bubar", "CEK 14 TIDAK", "CEK 14 BELUM".
_FIELD = re.compile(r"^\s*cek\s*#?(?P<number>\d{1,9})\b[\s:.,-]*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_FIELD_WORDS = {
    "ya": "true",
    "y": "true",
    "benar": "true",
    "betul": "true",
    "tidak": "false",
    "tdk": "false",
    "bukan": "false",
    "salah": "false",
    "hoaks": "false",
    "hoax": "false",
    "belum": "unsure",
    "ragu": "unsure",
}


@dataclass(frozen=True)
class FieldAnswerCommand:
    number: int  # the field check's number, as the team's SMS gave it
    answer: str  # a FieldAnswer value, "" when the first word is none of them
    note: str


Command = NilCommand | CheckCommand | CheckHelpCommand | FieldAnswerCommand


def parse_command(text: str, *, signs: Sequence[str], peace: Sequence[str]) -> Command | None:
    """A trusted reporter's NIHIL, PANTAU or CEK message, or None for a report. `signs` and `peace` are the checklist's
    codes in order: warning sign n is signs[n - 1], peace sign Dn is peace[n - 1]."""
    if match := _NIL.match(text):
        return NilCommand(rest=" ".join(match.group("rest").split()))
    if match := _FIELD.match(text):
        rest = match.group("rest").strip()
        first, _, after = rest.partition(" ")
        answer = _FIELD_WORDS.get(first.lower().strip(".,;:!"), "")
        note = after.strip(" \t\n,;:-") if answer else rest
        return FieldAnswerCommand(number=int(match.group("number")), answer=answer, note=note)
    match = _CHECK.match(text)
    if not match:
        return None
    rest = match.group("rest").strip()
    tokens = list(re.finditer(r"[^\s,;/+]+", rest))
    if not tokens or tokens[0].group().lower() in _HELP_WORDS:
        return CheckHelpCommand()
    chosen_signs: list[str] = []
    chosen_peace: list[str] = []
    unknown: list[str] = []
    note_from = len(rest)
    for index, token in enumerate(tokens):
        word = token.group()
        if index == 0 and word.lower() in _CALM_WORDS:  # as a lone 0: nothing ticked
            continue
        code = _CODE.match(word.rstrip(".)"))
        if not code:
            note_from = token.start()
            break
        number = int(code.group("number"))
        pool, chosen = (peace, chosen_peace) if code.group("peace") else (signs, chosen_signs)
        if 1 <= number <= len(pool):
            chosen.append(pool[number - 1])
        elif number or code.group("peace"):  # a lone 0 means nothing ticked
            unknown.append(word.upper())
    note = rest[note_from:].strip(" \t\n,;:-")
    return CheckCommand(signs=tuple(chosen_signs), peace=tuple(chosen_peace), note=note, unknown=tuple(unknown))
