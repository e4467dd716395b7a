"""Generated input against every parser that reads what outsiders send: SMS text, the gateways' signatures, and
CSV/XLSX imports. Each must answer with its own clear error (or a result), never an unexpected exception."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sigap.intake.choices import PeaceSign, WarningSign
from sigap.intake.gateways import (
    CheckCommand,
    CheckHelpCommand,
    NilCommand,
    SignatureError,
    parse_command,
    parse_message,
    verify_generic,
    verify_twilio,
)
from sigap.intake.importer import ImportFileError, import_plan

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PLACES = {"bugul lor": "35.75.04.1010", "bugul": "35.75.04.1010"}


@FUZZ
@given(st.text())
def test_any_sms_text_parses(text):
    parsed = parse_message(text, resolve_place=lambda name: PLACES.get(name.lower()))
    assert isinstance(parsed.description, str)
    assert parsed.place_code in (None, "35.75.04.1010")
    assert "\n" not in parsed.description  # whitespace folded, so one line in every list


@FUZZ
@given(st.sampled_from(["PANTAU ", "pantau\n", "NIHIL ", "nil.", "Pantau: d"]), st.text())
def test_any_nihil_or_pantau_text_reads_as_a_command_on_the_list(start, rest):
    command = parse_command(start + rest, signs=WarningSign.values, peace=PeaceSign.values)
    assert isinstance(command, (NilCommand, CheckCommand, CheckHelpCommand))
    if isinstance(command, CheckCommand):
        assert set(command.signs) <= set(WarningSign.values) and set(command.peace) <= set(PeaceSign.values)


@FUZZ
@given(st.text(max_size=40), st.text(max_size=80), st.binary(max_size=2000))
def test_any_generic_gateway_signature_is_refused_cleanly(timestamp, signature, body):
    with pytest.raises(SignatureError):
        verify_generic(secret="rahasia-gateway-0123456789", timestamp=timestamp, signature=signature, body=body, now=0)


@FUZZ
@given(st.dictionaries(st.text(max_size=20), st.text(max_size=60), max_size=8), st.text(max_size=80))
def test_any_twilio_signature_is_refused_cleanly(params, signature):
    with pytest.raises(SignatureError):
        verify_twilio(token="twilio-token-0123456789", url="https://sigap.test/api/v1/gateways/twilio",
                      params=params, signature=signature)  # fmt: skip


def _plan_or_clear_error(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"laporan{suffix}"
        path.write_bytes(data)
        try:
            plan = import_plan(path)
        except ImportFileError as exc:
            assert str(exc)  # a message for the person importing
        else:
            assert all(row.errors or row.draft is not None for row in plan.rows)


@pytest.mark.django_db
@FUZZ
@given(st.binary(max_size=3000) | st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_csv_bytes_give_a_plan_or_a_clear_error(data):
    _plan_or_clear_error(data, ".csv")


@pytest.mark.django_db
@FUZZ
@given(st.binary(max_size=3000))
def test_any_xlsx_bytes_give_a_plan_or_a_clear_error(data):
    _plan_or_clear_error(data, ".xlsx")


@pytest.mark.django_db
def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_it_is_unpacked(tmp_path):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", "A" * (300 * 1024 * 1024))  # 300 MB of one letter
    path = tmp_path / "bom.xlsx"
    path.write_bytes(bomb.getvalue())
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(ImportFileError, match="unpacks to more than"):
        import_plan(path)
