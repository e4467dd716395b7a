"""Importing a paper log (CSV or XLSX): every row checked first, nothing written unless all rows are good."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.core import audit
from sigap.core.grading import Reliability
from sigap.intake.choices import Channel
from sigap.intake.models import Report
from sigap.intake.services import ReportDraft, report_build, report_hooks_run, report_region
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.regions.names import name_key
from sigap.regions.selectors import deployment_village_word, regions_by_name

MAX_ROWS = 10_000
KEY_BATCH = 500  # rows per query and per INSERT: under every database's limit of bound parameters
MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # 10,000 rows of reports are a few MB once unpacked
# Column names people use, folded with name_key (so "Uraian Kejadian" and "uraian_kejadian" match).
COLUMNS = {
    "description": {"uraian", "uraiankejadian", "description", "keterangan", "kejadian", "isi", "laporan"},
    "kelurahan": {"kelurahan", "desa", "desakelurahan", "wilayah", "kodewilayah", "regioncode", "region"},
    "occurred_at": {"tanggal", "waktu", "tanggalkejadian", "waktukejadian", "occurredat", "date"},
    "location_text": {"lokasi", "tempat", "alamat", "location"},
    "reporter_name": {"pelapor", "namapelapor", "nama", "reportername"},
    "reporter_contact": {"kontak", "telepon", "hp", "nohp", "email", "reportercontact"},
}
DATE_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
]


class ImportFileError(ValueError):
    """The file as a whole cannot be read (type, size, missing description column)."""


@dataclass
class Row:
    number: int  # as people count them: 1 is the header, data starts at 2
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    draft: ReportDraft | None = None


@dataclass
class ImportPlan:
    rows: list[Row]
    fingerprint: str

    @property
    def errors(self) -> list[Row]:
        return [row for row in self.rows if row.errors]


def _refuse_zip_bomb(data: bytes) -> None:
    """An XLSX is a zip: refuse one that would unpack to far more than any real report list before opening it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(f"Berkas XLSX tidak dapat dibaca / unreadable XLSX: {type(exc).__name__}") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            f"Berkas XLSX terbongkar lebih dari {MAX_UNPACKED_BYTES // 1024 // 1024} MB / "
            f"unpacks to more than {MAX_UNPACKED_BYTES // 1024 // 1024} MB"
        )


def _read_table(data: bytes, suffix: str) -> Iterator[list[Any]]:
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"Berkas lebih dari {MAX_BYTES // 1024 // 1024} MB / file too large")
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        _refuse_zip_bomb(data)
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = book.worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ImportFileError(f"Berkas XLSX tidak dapat dibaca / unreadable XLSX: {type(exc).__name__}") from None
        yield from (list(row) for row in sheet.iter_rows(values_only=True))
        book.close()
    elif suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")  # old spreadsheet exports; names stay readable enough to check
        try:
            dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
        except csv.Error:
            dialect = csv.excel  # one column, or no clear separator: read as commas and let the checks speak
        try:
            yield from csv.reader(io.StringIO(text), dialect)
        except csv.Error as exc:
            raise ImportFileError(f"Berkas CSV rusak / broken CSV: {exc}") from None
    else:
        raise ImportFileError("Hanya berkas .csv atau .xlsx / only .csv or .xlsx files")


def _header_map(header: list[Any]) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for index, cell in enumerate(header):
        key = name_key(str(cell or ""))
        for field_name, names in COLUMNS.items():
            if key in names and field_name not in mapping.values():
                mapping[index] = field_name
    if "description" not in mapping.values():
        raise ImportFileError("Kolom uraian tidak ditemukan (uraian/keterangan/description) / no description column")
    return mapping


def _parse_when(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(12, 0))
    else:
        for fmt in DATE_FORMATS:
            try:
                moment = datetime.strptime(str(value).strip(), fmt)  # noqa: DTZ007 - made aware (WIB) below
            except ValueError:
                continue
            if "%H" not in fmt:  # a day without an hour: midday, as for a spreadsheet's date cell, not midnight
                moment = moment.replace(hour=12)
            break
        else:
            raise ValueError(_("date %(value)r not recognised (use 31/12/2020 or 2020-12-31)") % {"value": value})
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _resolve_kelurahan(value: Any, cache: dict[str, Region | None]) -> Region | None:
    text = str(value or "").strip()
    if not text:
        return None
    if text not in cache:
        by_code = Region.objects.filter(code=text, level=Level.DESA_KELURAHAN).first()
        if by_code is None:
            matches = regions_by_name(
                text, within=settings.SIGAP_DEPLOYMENT_REGION, level=Level.DESA_KELURAHAN, limit=1, min_score=88
            )
            by_code = matches[0].region if matches else None
        cache[text] = by_code
    return cache[text]


def import_plan(path: Path, *, reliability: Reliability = Reliability.C) -> ImportPlan:
    """Read and check every row of a file; nothing is written."""
    if path.stat().st_size > MAX_BYTES:  # before reading it into memory
        raise ImportFileError(f"Berkas lebih dari {MAX_BYTES // 1024 // 1024} MB / file too large")
    return import_plan_of(path.read_bytes(), path.suffix, reliability=reliability)


def import_plan_of(data: bytes, suffix: str, *, reliability: Reliability = Reliability.C) -> ImportPlan:
    """Read and check every row of a file's bytes (`suffix` .csv or .xlsx); nothing is written."""
    fingerprint = hashlib.sha256(data).hexdigest()[:16]
    table = _read_table(data, suffix.lower())
    header = next(table, None)
    if header is None:
        raise ImportFileError("Berkas kosong / empty file")
    mapping = _header_map(header)
    rows: list[Row] = []
    places: dict[str, Region | None] = {}
    for number, cells in enumerate(table, start=2):
        if number - 1 > MAX_ROWS:
            raise ImportFileError(f"Lebih dari {MAX_ROWS} baris / more than {MAX_ROWS} rows")
        values = {mapping[i]: cell for i, cell in enumerate(cells) if i in mapping}
        if not any(str(v or "").strip() for v in values.values()):
            continue  # blank line
        rows.append(_check_row(number, values, places, fingerprint, reliability))
    return ImportPlan(rows=rows, fingerprint=fingerprint)


def _check_row(
    number: int, values: dict[str, Any], places: dict[str, Region | None], fingerprint: str, reliability: Reliability
) -> Row:
    row = Row(number=number, values=values)
    description = str(values.get("description") or "").strip()
    if not description:
        row.errors.append(_("empty description"))
    region = _resolve_kelurahan(values.get("kelurahan"), places)
    if values.get("kelurahan") and region is None:
        row.errors.append(
            _("%(village)s %(name)r unknown") % {"village": deployment_village_word(), "name": values["kelurahan"]}
        )
    try:
        occurred = _parse_when(values.get("occurred_at"))
    except ValueError as exc:
        row.errors.append(str(exc))
        occurred = None
    if occurred and occurred > timezone.now():
        row.errors.append(_("date in the future"))
    if not row.errors:
        contact = str(values.get("reporter_contact") or "").strip()
        name = str(values.get("reporter_name") or "").strip()
        row.draft = ReportDraft(
            channel=Channel.IMPORT,
            description=description,
            region=region,
            occurred_at=occurred,
            location_text=str(values.get("location_text") or ""),
            reporter_name=name,
            reporter_contact=contact,
            anonymous=not (name or contact),
            idempotency_key=f"import:{fingerprint}:{number}",
            reliability=reliability,
            raw={k: (v.isoformat() if isinstance(v, datetime | date) else v) for k, v in values.items()},
        )
    return row


def import_commit(
    plan: ImportPlan, *, actor: Any = None, source: str = "", progress: Callable[[int], None] | None = None
) -> tuple[int, int]:
    """Store every row (import_store), then triage the stored reports one at a time (import_triage); returns
    (created, existing)."""
    stored, created, existing = import_store(plan, actor=actor, source=source)
    import_triage(stored, progress=progress)
    return created, existing


def import_store(plan: ImportPlan, *, actor: Any = None, source: str = "") -> tuple[list[Report], int, int]:
    """Store every row in one transaction, or none, with one audit row naming the file and who imported it, without
    triage; returns (the reports in row order, created, existing). Re-importing the same file adds nothing (row
    keys); its reports come back for import_triage, which finishes what an interrupted import left untriaged.

    Why triage is a second step: it is most of the work (about 6 ms a row), and a transaction holds the database's
    write lock (SQLite has one for everyone): with triage inside, a 2,000-row log kept every other writer, the public
    form included, waiting 12 s, and a 10,000-row log would outlast their 20 s timeout. Storing takes a fraction of
    that; each report's triage then takes the lock for a few milliseconds, between the public's reports."""
    if plan.errors:
        raise ImportFileError(f"{len(plan.errors)} baris bermasalah; perbaiki dulu / fix the rows first")
    drafts = [row.draft for row in plan.rows if row.draft is not None]
    for attempt in range(3):  # a receipt collision, or the same file imported at once elsewhere: try again
        try:
            with transaction.atomic():
                return _store(plan, drafts, actor=actor, source=source)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _store(plan: ImportPlan, drafts: list[ReportDraft], *, actor: Any, source: str) -> tuple[list[Report], int, int]:
    """In one transaction: the rows' reports already stored (by row key) and the others written in batches; about a
    tenth of a millisecond a row, where one report_receive per row took about two."""
    keys = [draft.idempotency_key for draft in drafts]
    keyed = Report.objects.exclude(idempotency_key="").filter(partner=None)
    known = {
        report.idempotency_key: report
        for start in range(0, len(keys), KEY_BATCH)
        for report in keyed.filter(idempotency_key__in=keys[start : start + KEY_BATCH])
    }
    now = timezone.now()
    fresh = [
        report_build(replace(draft, received_at=draft.received_at or now), report_region(draft))
        for draft in drafts
        if draft.idempotency_key not in known
    ]
    Report.objects.bulk_create(fresh, batch_size=KEY_BATCH)
    by_key = {**known, **{report.idempotency_key: report for report in fresh}}
    audit.append(
        actor=actor,
        action="reports.imported",
        object_type="intake.import",
        object_id=plan.fingerprint,
        details={"file": source, "rows": len(plan.rows), "created": len(fresh), "existing": len(known)},
    )
    return [by_key[key] for key in keys], len(fresh), len(known)


def import_triage(reports: list[Report], *, progress: Callable[[int], None] | None = None) -> int:
    """Place, categorise and merge imported reports in row order, each in a transaction of its own; returns how
    many were triaged now (one triaged already is left as it is)."""
    triaged = 0
    for report in reports:
        triaged += report_hooks_run(report)
        if progress:
            progress(1)
    return triaged
