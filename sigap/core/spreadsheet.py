"""Rows for spreadsheets that carry text from outside (a warga's words become an incident's title): a cell must
never become a formula when leadership opens the file (CSV/formula injection)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# Spreadsheet programs treat a CSV field starting with one of these as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(row: Iterable[Any]) -> list[Any]:
    """A CSV row whose text fields cannot start a formula: those that could get a leading apostrophe."""
    return [f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value for value in row]


def append_text_safe(sheet: Any, row: Iterable[Any]) -> None:
    """openpyxl's append turns a string starting with '=' into a formula; such strings go in as text cells (this
    works for write-only sheets too)."""
    from openpyxl.cell import WriteOnlyCell

    def text_cell(value: Any) -> Any:
        if not (isinstance(value, str) and value.startswith("=")):
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell

    sheet.append([text_cell(value) for value in row])
