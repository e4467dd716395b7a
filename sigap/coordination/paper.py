"""The notulen of a meeting, on paper: what the secretariat recorded in Sigap, signed by the chair and the notulis
and filed with the Tim Terpadu's records (the signed scan goes back to the meeting as a document)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from sigap.coordination.models import Meeting
from sigap.core.paper import deployment_city, latin1, letter, long_date, paragraph, short_date, signature_blocks, table


def minutes_pdf(meeting: Meeting, now: datetime | None = None) -> bytes:
    made = timezone.localtime(now or timezone.now())
    held = timezone.localtime(meeting.held_at)
    pdf = letter(f"Notulen {meeting.title}", f"Sigap rapat {meeting.pk} - dicetak {made:%d-%m-%Y %H:%M}")
    full = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.cell(0, 8, "NOTULEN", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", style="B", size=11)
    team = f"Tim Terpadu Penanganan Konflik Sosial {deployment_city()}".strip()
    pdf.multi_cell(0, 6, latin1(team.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font("Helvetica", size=11)
    facts = [
        ("Acara", meeting.title),
        ("Jenis", str(meeting.get_kind_display())),
        ("Hari, tanggal", long_date(held.date())),
        ("Waktu", f"{held:%H.%M} {held.tzname()}"),
        ("Tempat", meeting.venue or "-"),
        ("Pimpinan rapat", meeting.chaired_by or "-"),
        ("Jumlah hadir", f"{meeting.attendee_count} orang"),
    ]
    organisations = ", ".join(str(o) for o in meeting.organisations.all())
    if organisations:
        facts.append(("Instansi hadir", organisations))
    for label, value in facts:
        pdf.cell(38, 6, latin1(label))
        pdf.multi_cell(0, 6, latin1(f": {value}"), new_x="LMARGIN", new_y="NEXT")
    attendees = [line.strip() for line in meeting.attendees.splitlines() if line.strip()]
    if attendees:
        pdf.ln(2)
        pdf.set_font("Helvetica", style="B", size=11)
        pdf.cell(0, 7, "Peserta", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        for number, name in enumerate(attendees, start=1):
            paragraph(pdf, f"{number}. {name}", height=5)
        pdf.set_font("Helvetica", size=11)

    pdf.ln(2)
    pdf.set_font("Helvetica", style="B", size=11)
    pdf.cell(0, 7, "Pembahasan", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    lines = [line.strip() for line in meeting.minutes.splitlines() if line.strip()]
    for line in lines or ["-"]:
        paragraph(pdf, line)

    decisions = list(meeting.decisions.select_related("task__owner_organisation"))
    pdf.ln(2)
    pdf.set_font("Helvetica", style="B", size=11)
    pdf.cell(0, 7, "Keputusan dan tindak lanjut", new_x="LMARGIN", new_y="NEXT")
    if decisions:
        rows = []
        for number, decision in enumerate(decisions, start=1):
            task = decision.task
            owner = str(task.owner_organisation) if task else "-"
            due = short_date(timezone.localtime(task.due_at).date()) if task else "-"
            rows.append([str(number), decision.text, owner, due])
        table(pdf, ["No", "Keputusan", "Penanggung jawab", "Batas waktu"], rows, [8, full - 8 - 46 - 28, 46, 28])
    else:
        pdf.set_font("Helvetica", size=11)
        paragraph(pdf, "Tidak ada keputusan yang dicatat.")
    cases = [f"P-{c.pk} {c.title}" for c in meeting.cases.all()]
    incidents = [f"#{i.pk} {i.title}" for i in meeting.incidents.all()]
    if cases or incidents:
        pdf.ln(2)
        pdf.set_font("Helvetica", size=10)
        paragraph(pdf, "Terkait: " + "; ".join(cases + incidents), height=5)

    pdf.ln(6)
    pdf.set_font("Helvetica", size=11)
    recorder = meeting.recorded_by
    notulis = (recorder.get_full_name() or recorder.username) if recorder else ""
    signature_blocks(pdf, [("Notulis", notulis), ("Pimpinan rapat", meeting.chaired_by)])
    return bytes(pdf.output())
