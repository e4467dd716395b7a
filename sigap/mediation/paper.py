"""The kesepakatan damai on paper: the text the parties sign, made from what the mediator typed into Sigap.

A draft is printed from the agreement form before anything is saved (the parties sign that paper at the session,
and the same words are then saved, or corrected first); the recorded agreement prints the same way, with who signed,
for the parties' copies. Paper speaks Bahasa Indonesia, as the sitrep does."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import formats, timezone, translation

from sigap.mediation.models import Agreement, Mediation
from sigap.regions.choices import Level
from sigap.sitrep.render import latin1


@dataclass(frozen=True)
class CommitmentLine:
    description: str
    party: str
    owner: str
    due_on: date


@dataclass(frozen=True)
class AgreementPaper:
    reference: str
    title: str
    forum: str
    place: str
    venue: str
    signed_on: date
    text: str
    parties: list[tuple[str, str]]
    commitments: list[CommitmentLine]
    mediator: str
    facilitators: list[str]
    village_head: str
    signatories: str
    draft: bool
    made_at: datetime
    city: str = field(default="")


def _place(mediation: Mediation) -> tuple[str, str, str]:
    """Where, as a letter says it ('Kelurahan Trajeng, Kecamatan Panggungrejo, Kota Pasuruan'), the kabupaten/kota,
    and the lurah (or kepala desa) who knows of the agreement (none when the mediation covers a wider area)."""
    region = mediation.region
    if region is None:
        return "", "", ""
    chain = [region]
    while chain[-1].parent is not None and chain[-1].level != Level.KABUPATEN_KOTA:
        chain.append(chain[-1].parent)
    city = chain[-1].name if chain[-1].level == Level.KABUPATEN_KOTA else ""
    head = ""
    if region.level == Level.DESA_KELURAHAN:
        head = f"{'Kepala Desa' if region.kind == 'desa' else 'Lurah'} {region.name}"
    return ", ".join(r.label for r in chain), city, head


def agreement_paper(
    mediation: Mediation,
    *,
    signed_on: date,
    text: str,
    commitments: list[CommitmentLine],
    signatories: str = "",
    draft: bool,
    now: datetime | None = None,
) -> AgreementPaper:
    place, city, village_head = _place(mediation)
    held = mediation.sessions.filter(held=True).order_by("-scheduled_at").first()
    mediator = mediation.mediator
    return AgreementPaper(
        reference=f"M-{mediation.pk}",
        title=mediation.title,
        forum=mediation.forum.name if mediation.forum else "",
        place=place,
        venue=held.venue if held else "",
        signed_on=signed_on,
        text=text.strip(),
        parties=[(p.name, p.representative) for p in mediation.parties.all()],
        commitments=commitments,
        mediator=(mediator.get_full_name() or mediator.username) if mediator else "",
        facilitators=[p.name for p in mediation.facilitators.filter(active=True)],
        village_head=village_head,
        signatories=signatories.strip(),
        draft=draft,
        made_at=now or timezone.now(),
        city=city,
    )


def recorded_agreement_paper(agreement: Agreement, now: datetime | None = None) -> AgreementPaper:
    lines = [
        CommitmentLine(c.description, c.party.name if c.party else "", c.owner, c.due_on)
        for c in agreement.commitments.select_related("party")
    ]
    return agreement_paper(
        agreement.mediation,
        signed_on=agreement.signed_on,
        text=agreement.text,
        commitments=lines,
        signatories=agreement.signatories,
        draft=False,
        now=now,
    )


def _long_date(day: date) -> str:
    with translation.override("id"):
        return formats.date_format(day, "l, j F Y")


def _short_date(day: date) -> str:
    with translation.override("id"):
        return formats.date_format(day, "j F Y")


def _signature_blocks(pdf: Any, blocks: list[tuple[str, str]]) -> None:
    """Two blocks a row: the role above, room to sign, the name under a line. A row never splits over a page."""
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    for start in range(0, len(blocks), 2):
        if pdf.get_y() > pdf.h - pdf.b_margin - 38:
            pdf.add_page()
        top = pdf.get_y()
        for column, (role, name) in enumerate(blocks[start : start + 2]):
            x = pdf.l_margin + column * width
            pdf.set_xy(x, top)
            pdf.set_font("Helvetica", size=10)
            pdf.multi_cell(width - 6, 5, latin1(role), align="C", new_x="LEFT", new_y="NEXT")
            pdf.set_xy(x, top + 26)
            pdf.set_font("Helvetica", style="B", size=10)
            pdf.multi_cell(width - 6, 5, latin1(name or "(" + "." * 40 + ")"), align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_xy(pdf.l_margin, top + 38)


def agreement_pdf(paper: AgreementPaper) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(22, 18, 22)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_title(latin1(f"Kesepakatan perdamaian {paper.reference}"))
    pdf.set_creator("Sigap")
    pdf.alias_nb_pages()
    made = timezone.localtime(paper.made_at)
    footer = latin1(
        f"Sigap {paper.reference} - {'DRAF, belum ditandatangani' if paper.draft else 'naskah tercatat'} - "
        f"dicetak {made:%d-%m-%Y %H:%M}"
    )

    def page_footer() -> None:
        pdf.set_y(-12)
        pdf.set_font("Helvetica", size=7)
        pdf.cell(0, 4, f"{footer} - halaman {pdf.page_no()}/{{nb}}", align="C")

    pdf.footer = page_footer  # type: ignore[method-assign]
    pdf.add_page()
    full = pdf.w - pdf.l_margin - pdf.r_margin
    if paper.draft:
        pdf.set_text_color(192, 0, 0)
        pdf.set_font("Helvetica", style="B", size=10)
        pdf.cell(0, 6, "DRAF UNTUK DITANDATANGANI - belum tercatat di Sigap", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.cell(0, 8, "KESEPAKATAN PERDAMAIAN", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, latin1(paper.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, "Nomor: " + "." * 50, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    where = f" bertempat di {paper.venue}," if paper.venue else ""
    forum = f" dalam {paper.forum}" if paper.forum else ""
    area = f" ({paper.place})" if paper.place else ""
    pdf.multi_cell(
        0,
        6,
        latin1(
            f"Pada hari ini, {_long_date(paper.signed_on)},{where}{forum}{area}, "
            "kami yang bertanda tangan di bawah ini, mewakili para pihak:"
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for number, (name, representative) in enumerate(paper.parties, start=1):
        by = f", diwakili oleh {representative}" if representative else ""
        pdf.multi_cell(0, 6, latin1(f"{number}. {name}{by};"), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        0,
        6,
        latin1(
            f"dengan difasilitasi oleh {', '.join(filter(None, [paper.mediator, *paper.facilitators])) or '-'}, "
            "sepakat menyelesaikan permasalahan di atas secara damai dengan ketentuan sebagai berikut:"
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    for paragraph in [p.strip() for p in paper.text.splitlines() if p.strip()]:
        pdf.multi_cell(0, 6, latin1(paragraph), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    pdf.set_font("Helvetica", style="B", size=11)
    pdf.cell(0, 7, "Kewajiban yang disepakati dan batas waktunya", new_x="LMARGIN", new_y="NEXT")
    widths = [8, full - 8 - 34 - 40 - 26, 34, 40, 26]
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=5) as table:
        header = table.row()
        for title in ["No", "Kewajiban", "Pihak", "Pelaksana", "Batas waktu"]:
            header.cell(title)
        pdf.set_font("Helvetica", size=9)
        for number, line in enumerate(paper.commitments, start=1):
            row = table.row()
            for value in [str(number), line.description, line.party or "-", line.owner, _short_date(line.due_on)]:
                row.cell(latin1(value))
    pdf.set_font("Helvetica", size=11)
    pdf.ln(3)
    who_watches = f"Tim Terpadu Penanganan Konflik Sosial {paper.city}".strip()
    pdf.multi_cell(
        0,
        6,
        latin1(
            f"Pelaksanaan kesepakatan ini dipantau oleh {who_watches} melalui kunjungan tindak lanjut. Apabila timbul "
            "perselisihan baru, para pihak menempuh musyawarah kembali dan tidak menyelesaikannya sendiri. Demikian "
            "kesepakatan ini dibuat dengan sebenar-benarnya tanpa paksaan dari pihak mana pun, untuk dipatuhi dan "
            "dilaksanakan bersama."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    town = paper.city.removeprefix("Kota ").removeprefix("Kabupaten ") if paper.city else ""
    dated = f"{town + ', ' if town else ''}{_short_date(paper.signed_on)}"
    pdf.cell(0, 6, latin1(dated), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    parties = [(f"Pihak {number}: {name}", rep) for number, (name, rep) in enumerate(paper.parties, start=1)]
    _signature_blocks(pdf, parties)
    witnesses = [("Mediator", paper.mediator)] + [("Fasilitator", name) for name in paper.facilitators]
    if paper.village_head:
        witnesses.append((f"Mengetahui, {paper.village_head}", ""))
    pdf.set_font("Helvetica", style="B", size=10)
    pdf.cell(0, 6, "Saksi", align="C", new_x="LMARGIN", new_y="NEXT")
    _signature_blocks(pdf, witnesses)
    if paper.signatories:
        pdf.set_font("Helvetica", size=9)
        pdf.multi_cell(
            0, 5, latin1(f"Ditandatangani oleh (tercatat di Sigap): {paper.signatories}"), new_x="LMARGIN", new_y="NEXT"
        )
    return bytes(pdf.output())
