"""Letters on A4 that people sign: the layout shared by the kesepakatan damai and the notulen of a rakor.

fpdf2's core fonts (Latin-1: Bahasa Indonesia fits, a few typographic marks are spelled out by `latin1`, which the
situation report uses too)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.utils import formats, translation

from sigap.regions.models import Region

_REPLACE = {
    "\u2192": "->",
    "\u2013": "-",
    "\u2014": "-",
    "\u00b7": "-",
    "\u2026": "...",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2265": ">=",
}


def latin1(text: str) -> str:
    """The PDF's core fonts speak Latin-1; Bahasa Indonesia fits, a few typographic marks are spelled out."""
    for char, plain in _REPLACE.items():
        text = text.replace(char, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


def deployment_city() -> str:
    """The kabupaten/kota whose Tim Terpadu signs the papers ('Kota Pasuruan'); empty before its regions load."""
    city = Region.objects.filter(code=settings.SIGAP_DEPLOYMENT_REGION).first()
    return city.name if city else ""


def long_date(day: date) -> str:
    """'Senin, 21 Desember 2020', as a letter names its day."""
    with translation.override("id"):
        return formats.date_format(day, "l, j F Y")


def short_date(day: date) -> str:
    with translation.override("id"):
        return formats.date_format(day, "j F Y")


def letter(title: str, footer: str) -> Any:
    """A new A4 letter with wide margins and a footer on every page: `footer`, then the page of pages."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(22, 18, 22)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_title(latin1(title))
    pdf.set_creator("Sigap")
    pdf.alias_nb_pages()
    plain = latin1(footer)

    def page_footer() -> None:
        pdf.set_y(-12)
        pdf.set_font("Helvetica", size=7)
        pdf.cell(0, 4, f"{plain} - halaman {pdf.page_no()}/{{nb}}", align="C")

    pdf.footer = page_footer  # type: ignore[method-assign]
    pdf.add_page()
    return pdf


def paragraph(pdf: Any, text: str, height: float = 6) -> None:
    pdf.multi_cell(0, height, latin1(text), new_x="LMARGIN", new_y="NEXT")


def signature_blocks(pdf: Any, blocks: list[tuple[str, str]]) -> None:
    """Two blocks a row: the role above, room to sign, the name under it (dots when nobody is named yet).
    A row never splits over a page."""
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    for start in range(0, len(blocks), 2):
        if pdf.get_y() > pdf.h - pdf.b_margin - 38:
            pdf.add_page()
        top = pdf.get_y()
        row = blocks[start : start + 2]
        for column, (role, name) in enumerate(row):
            # A lone block in the last row stands on the right, where a letter's signer stands.
            x = pdf.l_margin + (column + (1 if len(row) == 1 and len(blocks) > 1 else 0)) * width
            pdf.set_xy(x, top)
            pdf.set_font("Helvetica", size=10)
            pdf.multi_cell(width - 6, 5, latin1(role), align="C", new_x="LEFT", new_y="NEXT")
            pdf.set_xy(x, top + 26)
            pdf.set_font("Helvetica", style="B", size=10)
            pdf.multi_cell(width - 6, 5, latin1(name or "(" + "." * 40 + ")"), align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_xy(pdf.l_margin, top + 38)


def table(pdf: Any, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
    pdf.set_font("Helvetica", style="B", size=10)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=5) as grid:
        first = grid.row()
        for title in header:
            first.cell(latin1(title))
        pdf.set_font("Helvetica", size=9)
        for values in rows:
            line = grid.row()
            for value in values:
                line.cell(latin1(value))
    pdf.set_font("Helvetica", size=11)
