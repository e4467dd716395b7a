"""The situation report as XLSX (openpyxl) and as PDF (fpdf2, with the map and the charts drawn as vectors)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils import timezone

from sigap.core.paper import latin1
from sigap.core.spreadsheet import append_text_safe
from sigap.dashboard.metrics import StageSummary
from sigap.risk.choices import RiskLevel
from sigap.sitrep.build import Sitrep

# Level colours of the map (the same as the web map's legend): Aman, Waspada, Siaga, Awas.
LEVEL_RGB = {0: (226, 240, 217), 1: (255, 230, 153), 2: (244, 177, 131), 3: (192, 0, 0)}
NOT_ASSESSED_RGB = (216, 222, 230)
STAGES = [
    ("verify", "Verifikasi (per kategori)"),
    ("acknowledge", "Diterima instansi (per instansi)"),
    ("first_action", "Tindakan pertama (per instansi)"),
    ("resolve", "Selesai (per instansi)"),
]


def _hours(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f} jam" if value < 72 else f"{value / 24:.1f} hari"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def _stage_rows(rows: list[StageSummary]) -> list[list[Any]]:
    return [
        [s.group, s.measured, s.pending, _hours(s.median_hours), _hours(s.p90_hours), _pct(s.within_deadline)]
        for s in rows
    ]


# ---- XLSX --------------------------------------------------------------------------------------------------------


GROUP_HEADER = ["Kelompok", "Jenis", "Kejadian", "Di mana", "Bertemu dengan"]


def _group_rows(report: Sitrep) -> list[list[Any]]:
    return [[g.name, g.kind, g.incidents, g.places, g.met] for g in report.groups]


def _sign_header(report: Sitrep) -> list[str]:
    return ["Tanda kerawanan", report.village_title, "Daftar periksa", "Di mana"]


def _sign_rows(report: Sitrep) -> list[list[Any]]:
    return [[s.sign, s.kelurahan, s.checks, s.places] for s in report.signs]


def _signs_said(report: Sitrep) -> str:
    received, areas = report.checklists
    return f"{received} daftar periksa dari {areas} {report.village} dalam periode ini."


def _hoax_header(report: Sitrep) -> list[str]:
    return ["Diputuskan", report.village_title, "Kabar", "Kepada masyarakat"]


def _hoax_rows(report: Sitrep) -> list[list[Any]]:
    return [[h.decided, h.kelurahan, h.what, h.told] for h in report.hoaxes]


SHIFT_HEADER = ["Piket", "Petugas", "Serah terima"]


def _shift_rows(report: Sitrep) -> list[list[Any]]:
    return [[s.span, s.on_duty, s.handover] for s in report.shifts]


def to_xlsx(report: Sitrep) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    summary = book.active
    assert summary is not None  # noqa: S101 - a new workbook has one sheet
    summary.title = "Ringkasan"
    summary.append([report.title])
    summary.append([f"{report.area_name}, {report.starts_on:%d-%m-%Y} s.d. {report.ends_on:%d-%m-%Y}"])
    made = timezone.localtime(report.made_at)
    summary.append([f"Dibuat {made:%d-%m-%Y %H:%M} {made.tzname()}; perubahan dibanding {report.compared_with}"])
    summary.append([f"Jejak audit {report.audit_anchor}"])
    if report.status_in_force:
        summary.append([f"Status Keadaan Konflik berlaku: {report.status_in_force}"])
        for line in report.status_notes:
            append_text_safe(summary, [line])
    summary.append([])
    for label, value in report.totals:
        summary.append([label, value])
    summary.append([])
    summary.append(["Yang berubah"])
    for line in report.changes:
        append_text_safe(summary, [line])
    summary["A1"].font = Font(bold=True, size=13)
    summary.column_dimensions["A"].width = 70

    def sheet(title: str, header: list[str], rows: list[list[Any]], widths: list[int]) -> None:
        ws = book.create_sheet(title)
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            append_text_safe(ws, row)  # titles may carry a reporter's words
        for i, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = width
        for line in ws.iter_rows(min_row=2):
            for cell in line:
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    sheet(
        "Kerawanan",
        ["Kode", report.village_title, "Kecamatan", "Tingkat", "Skor", "Alasan"],
        [
            [a.code, a.name, a.kecamatan, str(RiskLevel(a.level).label), a.score, "; ".join(a.reasons)]
            for a in report.levels
        ],
        [16, 20, 16, 10, 8, 80],
    )
    sheet(
        "Peringatan",
        ["No", "Tingkat", "Peringatan", "Tahap", report.village_title],
        [list(a) for a in report.alerts],
        [6, 10, 50, 16, 40],
    )
    sheet(
        "Penanganan",
        ["No", "Penanganan", "Pemimpin", "Status", "Terlambat"],
        [[f"P-{c[0]}", *c[1:]] for c in report.cases],
        [8, 50, 20, 22, 30],
    )
    sheet(
        "Keterlambatan",
        ["Instansi", "Penanganan terbuka", "Penanganan terlambat", "Tugas terlambat"],
        [list(b) for b in report.breaches],
        [30, 18, 20, 16],
    )
    response_rows: list[list[Any]] = []
    for key, title in STAGES:
        response_rows.append([title])
        response_rows += _stage_rows(report.response[key])
        response_rows.append([])
    score = report.alert_score
    response_rows += [
        ["Mutu peringatan dini"],
        ["Peringatan dari mesin", score.alerts],
        ["Terkonfirmasi kejadian dalam 7 hari", score.confirmed, _pct(score.precision)],
        ["Median waktu mendahului kejadian", _hours(score.median_lead_hours)],
        ["Kejadian yang didahului peringatan", score.warned, _pct(score.warned_share)],
        ["Kejadian berat yang didahului peringatan", score.grave_warned, _pct(score.grave_warned_share)],
    ]
    sheet(
        "Waktu respons",
        ["Kelompok", "Terukur", "Belum", "Median", "P90", "Tepat waktu"],
        response_rows,
        [40, 10, 10, 12, 12, 12],
    )
    sheet("Mediasi", ["Status", "Jumlah"], [list(m) for m in report.mediation], [30, 10])
    sheet("Kelompok", GROUP_HEADER, _group_rows(report), [30, 24, 10, 40, 40])
    sheet("Tanda kerawanan", _sign_header(report), _sign_rows(report), [60, 12, 14, 60])
    sheet("Hoaks", _hoax_header(report), _hoax_rows(report), [12, 18, 70, 26])
    sheet("Piket", SHIFT_HEADER, _shift_rows(report), [30, 24, 90])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


# ---- PDF ---------------------------------------------------------------------------------------------------------


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry.get("type") == "MultiPolygon":
        return [poly[0] for poly in geometry["coordinates"]]
    return []


def _draw_map(pdf: Any, report: Sitrep, x: float, y: float, w: float, h: float) -> None:
    shapes = [(shape, ring) for shape in report.map_shapes for ring in _rings(shape.boundary)]
    if not shapes:
        pdf.set_xy(x, y)
        if report.levels:
            missing = f"Peta belum tersedia: Sigap tidak membawa batas {report.village} ini maupun kecamatannya."
            pdf.multi_cell(w, 4.5, missing)
        else:
            pdf.cell(w, 8, "Peta belum tersedia (belum ada penilaian).")
        return
    xs = [pt[0] for _, ring in shapes for pt in ring]
    ys = [pt[1] for _, ring in shapes for pt in ring]
    span = max(max(xs) - min(xs), 1e-9), max(max(ys) - min(ys), 1e-9)
    scale = min(w / span[0], h / span[1])
    pdf.set_line_width(0.2)
    for shape, ring in shapes:
        pdf.set_fill_color(*(LEVEL_RGB[shape.level] if shape.level is not None else NOT_ASSESSED_RGB))
        points = [(x + (px - min(xs)) * scale, y + (max(ys) - py) * scale) for px, py in ring]
        if shape.stand_in:  # a kecamatan drawn for its desa without a boundary: dashed, as on the screen
            pdf.set_draw_color(29, 39, 51)
            pdf.set_dash_pattern(dash=1, gap=0.7)
        else:
            pdf.set_draw_color(255, 255, 255)
            pdf.set_dash_pattern()
        pdf.polygon(points, style="DF")
    pdf.set_dash_pattern()
    legend_y = y + h + 2
    pdf.set_font("Helvetica", size=7)
    for i, level in enumerate(RiskLevel):
        pdf.set_fill_color(*LEVEL_RGB[int(level)])
        pdf.rect(x + i * 28, legend_y, 4, 4, style="F")
        pdf.set_xy(x + i * 28 + 5, legend_y - 0.5)
        pdf.cell(22, 5, latin1(str(level.label)))
    notes = []
    if report.map_stood_in:
        notes.append(
            f"Garis putus-putus: kecamatan yang mewakili {report.map_stood_in} {report.village} tanpa batas peta, "
            "dengan tingkat tertinggi di antaranya."
        )
    if report.map_not_drawn:
        notes.append(f"{report.map_not_drawn} {report.village} tidak tergambar (tanpa batas peta).")
    if notes:
        pdf.set_xy(x, legend_y + 5)
        pdf.set_font("Helvetica", size=6.5)
        pdf.multi_cell(w, 3.2, latin1(" ".join(notes)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(0, 0, 0)


def _draw_bars(pdf: Any, rows: list[tuple[str, int]], x: float, y: float, w: float) -> float:
    if not rows:
        return y
    top = max(n for _, n in rows) or 1
    pdf.set_font("Helvetica", size=7)
    for label, n in rows[:10]:
        pdf.set_xy(x, y)
        pdf.cell(38, 4.5, latin1(label[:28]))
        pdf.set_fill_color(31, 78, 121)
        pdf.rect(x + 39, y + 0.8, max((w - 50) * n / top, 0.5), 3, style="F")
        pdf.set_xy(x + 40 + (w - 50) * n / top, y)
        pdf.cell(10, 4.5, str(n))
        y += 5
    return y


def _table(pdf: Any, header: list[str], rows: list[list[Any]], widths: list[float]) -> None:
    pdf.set_font("Helvetica", style="B", size=7.5)
    pdf.set_fill_color(235, 239, 243)
    for text, width in zip(header, widths, strict=True):
        pdf.cell(width, 5, latin1(text), border=1, fill=True)
    pdf.ln()
    pdf.set_font("Helvetica", size=7.5)
    for row in rows:
        texts = [latin1(str(v)) for v in row]
        lines = max(
            len(pdf.multi_cell(w, 4, t, dry_run=True, output="LINES")) for t, w in zip(texts, widths, strict=True)
        )
        height = 4 * max(lines, 1)
        if pdf.get_y() + height > pdf.h - 15:
            pdf.add_page()
        y = pdf.get_y()
        x = pdf.l_margin
        for text, width in zip(texts, widths, strict=True):
            pdf.set_xy(x, y)
            pdf.multi_cell(width, 4, text, border=0, align="L")
            pdf.rect(x, y, width, height)
            x += width
        pdf.set_xy(pdf.l_margin, y + height)
    pdf.ln(2)


def _heading(pdf: Any, text: str) -> None:
    if pdf.get_y() > pdf.h - 40:
        pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=11)
    pdf.cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")


def to_pdf(report: Sitrep) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_title(latin1(report.title))
    pdf.set_creator("Sigap")
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.multi_cell(0, 7, latin1(report.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    made = timezone.localtime(report.made_at)
    pdf.cell(
        0,
        5,
        latin1(
            f"{report.area_name} - periode {report.starts_on:%d-%m-%Y} s.d. {report.ends_on:%d-%m-%Y}"
            f" - dibuat {made:%d-%m-%Y %H:%M} {made.tzname()}"
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", size=7)
    pdf.cell(0, 4, latin1(f"Jejak audit {report.audit_anchor}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    if report.status_in_force:
        pdf.set_text_color(192, 0, 0)
        pdf.cell(
            0, 5, latin1(f"Status Keadaan Konflik berlaku: {report.status_in_force}"), new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font("Helvetica", size=8)
        for line in report.status_notes:
            pdf.multi_cell(0, 4, latin1(f"- {line}"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=9)
        pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    top = pdf.get_y()
    pdf.set_font("Helvetica", size=8.5)
    for label, value in report.totals:
        pdf.cell(62, 5, latin1(label))
        pdf.cell(14, 5, str(value), align="R", new_x="LMARGIN", new_y="NEXT")
    _draw_map(pdf, report, 100, top, 100, 70)
    pdf.set_y(max(pdf.get_y(), top + 78))
    _heading(pdf, f"Yang berubah (dibanding {report.compared_with})")
    pdf.set_font("Helvetica", size=8.5)
    for line in report.changes[:25]:
        pdf.multi_cell(0, 4.5, latin1(f"- {line}"), new_x="LMARGIN", new_y="NEXT", align="L")
    _heading(pdf, "Kejadian terverifikasi per kategori")
    pdf.set_y(_draw_bars(pdf, report.by_category, pdf.l_margin, pdf.get_y(), 180) + 2)
    _heading(pdf, f"{report.village_title} berstatus Siaga atau Awas, dan alasannya")
    if report.elevated:
        _table(
            pdf,
            [report.village_title, "Tingkat", "Skor", "Alasan"],
            [
                [f"{a.name} ({a.kecamatan})", str(RiskLevel(a.level).label), f"{a.score:g}", "; ".join(a.reasons)]
                for a in report.elevated
            ],
            [40, 16, 12, 122],
        )
    else:
        pdf.set_font("Helvetica", size=8.5)
        pdf.cell(0, 5, "Tidak ada.", new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, "Peringatan terbuka")
    _table(
        pdf,
        ["No", "Tingkat", "Peringatan", "Tahap", report.village_title],
        [list(a) for a in report.alerts[:40]],
        [10, 16, 84, 24, 56],
    )
    _heading(pdf, "Penanganan terbuka")
    _table(
        pdf,
        ["No", "Penanganan", "Pemimpin", "Status", "Terlambat"],
        [[f"P-{c[0]}", *c[1:]] for c in report.cases[:40]],
        [12, 78, 30, 36, 34],
    )
    _heading(pdf, "Keterlambatan per instansi")
    _table(
        pdf,
        ["Instansi", "Terbuka", "Terlambat", "Tugas terlambat"],
        [list(b) for b in report.breaches],
        [90, 30, 30, 40],
    )
    for key, title in STAGES:
        _heading(pdf, f"Waktu respons: {title}")
        _table(
            pdf,
            ["Kelompok", "Terukur", "Belum", "Median", "P90", "Tepat waktu"],
            _stage_rows(report.response[key]),
            [70, 20, 20, 26, 26, 28],
        )
    score = report.alert_score
    _heading(pdf, "Mutu peringatan dini (dibanding kejadian yang terverifikasi kemudian, 7 hari)")
    _table(
        pdf,
        ["Ukuran", "Nilai"],
        [
            ["Peringatan dari mesin dalam periode", score.alerts],
            ["Terkonfirmasi kejadian (presisi)", f"{score.confirmed} ({_pct(score.precision)})"],
            ["Median waktu mendahului kejadian", _hours(score.median_lead_hours)],
            [
                "Kejadian yang didahului peringatan",
                f"{score.warned} dari {score.incidents} ({_pct(score.warned_share)})",
            ],
            [
                "Kejadian berat yang didahului peringatan",
                f"{score.grave_warned} dari {score.grave_incidents} ({_pct(score.grave_warned_share)})",
            ],
        ],
        [110, 80],
    )
    _heading(pdf, "Mediasi")
    _table(pdf, ["Status", "Jumlah"], [list(m) for m in report.mediation], [110, 80])
    _heading(pdf, "Kelompok yang paling sering terlibat (kejadian terverifikasi)")
    _table(pdf, GROUP_HEADER, _group_rows(report) or [["Tidak ada.", "-", "-", "-", "-"]], [42, 30, 14, 52, 52])
    _heading(pdf, "Tanda kerawanan dari daftar periksa pemantau lapangan")
    pdf.set_font("Helvetica", size=8.5)
    pdf.multi_cell(0, 4.5, latin1(_signs_said(report)), new_x="LMARGIN", new_y="NEXT", align="L")
    _table(pdf, _sign_header(report), _sign_rows(report) or [["Tidak ada.", "-", "-", "-"]], [70, 22, 24, 74])
    _heading(pdf, "Kabar yang diputuskan hoaks, dan klarifikasinya kepada masyarakat")
    _table(pdf, _hoax_header(report), _hoax_rows(report) or [["-", "-", "Tidak ada.", "-"]], [22, 28, 100, 40])
    _heading(pdf, "Piket sekretariat dan serah terimanya")
    _table(pdf, SHIFT_HEADER, _shift_rows(report) or [["-", "-", "Tidak ada piket."]], [44, 36, 110])
    return bytes(pdf.output())
