"""The kesepakatan damai on paper: the text the parties sign, made from what the mediator typed into Sigap.

A draft is printed from the agreement form before anything is saved (the parties sign that paper at the session,
and the same words are then saved, or corrected first); the recorded agreement prints the same way, with who signed,
for the parties' copies. Paper speaks Bahasa Indonesia, as the sitrep does."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from sigap.core.paper import deployment_city, latin1, letter, long_date, paragraph, short_date, signature_blocks, table
from sigap.mediation.models import Agreement, Mediation
from sigap.regions.choices import Level


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
        return "", deployment_city(), ""
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


def agreement_pdf(paper: AgreementPaper) -> bytes:
    made = timezone.localtime(paper.made_at)
    state = "DRAF, belum ditandatangani" if paper.draft else "naskah tercatat"
    pdf = letter(
        f"Kesepakatan perdamaian {paper.reference}",
        f"Sigap {paper.reference} - {state} - dicetak {made:%d-%m-%Y %H:%M}",
    )
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
    paragraph(
        pdf,
        f"Pada hari ini, {long_date(paper.signed_on)},{where}{forum}{area}, "
        "kami yang bertanda tangan di bawah ini, mewakili para pihak:",
    )
    for number, (name, representative) in enumerate(paper.parties, start=1):
        by = f", diwakili oleh {representative}" if representative else ""
        paragraph(pdf, f"{number}. {name}{by};")
    helpers = ", ".join(filter(None, [paper.mediator, *paper.facilitators])) or "-"
    paragraph(
        pdf,
        f"dengan difasilitasi oleh {helpers}, "
        "sepakat menyelesaikan permasalahan di atas secara damai dengan ketentuan sebagai berikut:",
    )
    pdf.ln(2)
    for line in [p.strip() for p in paper.text.splitlines() if p.strip()]:
        paragraph(pdf, line)
    pdf.ln(3)

    pdf.set_font("Helvetica", style="B", size=11)
    pdf.cell(0, 7, "Kewajiban yang disepakati dan batas waktunya", new_x="LMARGIN", new_y="NEXT")
    table(
        pdf,
        ["No", "Kewajiban", "Pihak", "Pelaksana", "Batas waktu"],
        [
            [str(number), c.description, c.party or "-", c.owner, short_date(c.due_on)]
            for number, c in enumerate(paper.commitments, start=1)
        ],
        [8, full - 8 - 34 - 40 - 26, 34, 40, 26],
    )
    pdf.ln(3)
    who_watches = f"Tim Terpadu Penanganan Konflik Sosial {paper.city}".strip()
    paragraph(
        pdf,
        f"Pelaksanaan kesepakatan ini dipantau oleh {who_watches} melalui kunjungan tindak lanjut. Apabila timbul "
        "perselisihan baru, para pihak menempuh musyawarah kembali dan tidak menyelesaikannya sendiri. Demikian "
        "kesepakatan ini dibuat dengan sebenar-benarnya tanpa paksaan dari pihak mana pun, untuk dipatuhi dan "
        "dilaksanakan bersama.",
    )
    pdf.ln(4)
    town = paper.city.removeprefix("Kota ").removeprefix("Kabupaten ") if paper.city else ""
    paragraph(pdf, f"{town + ', ' if town else ''}{short_date(paper.signed_on)}")
    pdf.ln(2)

    signature_blocks(pdf, [(f"Pihak {n}: {name}", rep) for n, (name, rep) in enumerate(paper.parties, start=1)])
    witnesses = [("Mediator", paper.mediator)] + [("Fasilitator", name) for name in paper.facilitators]
    if paper.village_head:
        witnesses.append((f"Mengetahui, {paper.village_head}", ""))
    pdf.set_font("Helvetica", style="B", size=10)
    pdf.cell(0, 6, "Saksi", align="C", new_x="LMARGIN", new_y="NEXT")
    signature_blocks(pdf, witnesses)
    if paper.signatories:
        pdf.set_font("Helvetica", size=9)
        paragraph(pdf, f"Ditandatangani oleh (tercatat di Sigap): {paper.signatories}", height=5)
    return bytes(pdf.output())
