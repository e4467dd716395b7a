"""The situation report on the demo month: PDF (with the map) and XLSX in one click and from the command line,
what changed since the previous one, and who may make it."""

import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from sigap.accounts.models import User
from sigap.core import audit
from sigap.demo.generator import seed_demo
from sigap.intake.choices import WarningSign
from sigap.intake.models import MonitorCheck
from sigap.public.models import Clarification
from sigap.sitrep.models import SitrepRecord
from sigap.triage.choices import IncidentStatus
from sigap.triage.models import Incident

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def demo(db):
    seed_demo(seed=2020)


@pytest.mark.django_db
def test_one_click_pdf_and_xlsx_and_what_changed_since(client, demo):
    client.force_login(User.objects.get(username="pimpinan"))
    page = client.get(reverse("sitrep:page") + "?preset=mingguan")
    text = page.content.decode()
    assert page.status_code == 200 and "Laporan Situasi" in text and "awal periode" in text
    query = "?start=2020-12-14&end=2020-12-20"
    pdf = client.get(reverse("sitrep:download", args=["pdf"]) + query)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    pages = re.search(rb"/Type /Pages.*?/Count (\d+)", pdf.content, re.S) or re.search(rb"/Count (\d+)", pdf.content)
    assert pages is not None and int(pages.group(1)) >= 2
    xlsx = client.get(reverse("sitrep:download", args=["xlsx"]) + query)
    book = load_workbook(BytesIO(xlsx.content))
    assert book.sheetnames == [
        "Ringkasan",
        "Kerawanan",
        "Peringatan",
        "Penanganan",
        "Keterlambatan",
        "Waktu respons",
        "Mediasi",
        "Kelompok",
        "Tanda kerawanan",
        "Hoaks",
        "Piket",
    ]
    assert book["Kerawanan"].max_row == 35  # 34 kelurahan and the header
    # The registry's groups of the week, counted on verified incidents only, with whom they met.
    groups = {row[0]: row for row in book["Kelompok"].iter_rows(min_row=2, values_only=True)}
    verified = Incident.objects.filter(
        status__in=[IncidentStatus.VERIFIED, IncidentStatus.RESOLVED],
        occurred_at__gte=datetime(2020, 12, 14, tzinfo=WIB),
        occurred_at__lt=datetime(2020, 12, 21, tzinfo=WIB),
        actor_links__actor__name="Pendukung paslon 02",
        actor_links__removed_at__isnull=True,
    )
    assert groups["Pendukung paslon 02"][2] == verified.count() > 0
    assert "Pendukung paslon 01" in groups["Pendukung paslon 02"][4]
    # The field monitors' warning signs of the week: per sign, the kelurahan that ticked it and the checklists.
    ticked: dict[str, set[str]] = defaultdict(set)
    checklists: Counter[str] = Counter()
    for check in MonitorCheck.objects.filter(day__gte=date(2020, 12, 14), day__lte=date(2020, 12, 20)):
        for sign in check.signs:
            ticked[str(WarningSign(sign).label)].add(check.region.name)
            checklists[str(WarningSign(sign).label)] += 1
    signs = {row[0]: row[1:3] for row in book["Tanda kerawanan"].iter_rows(min_row=2, values_only=True)}
    assert ticked and signs == {sign: (len(places), checklists[sign]) for sign, places in ticked.items()}
    assert SitrepRecord.objects.count() == 2
    again = client.get(reverse("sitrep:page") + query).content.decode()
    assert "laporan sebelumnya" in again  # compared with the last one made
    groups_section = again[again.index('id="groups"') : again.index('id="hoaxes"')]
    assert "Pendukung paslon 02" in groups_section and "Pendukung paslon 01 (" in groups_section
    signs_section = again[again.index('id="signs"') : again.index('id="hoaxes"')]
    assert all(sign in signs_section for sign in ticked) and "daftar periksa dari" in signs_section


@pytest.mark.django_db
def test_the_command_line_makes_the_same_report(demo, tmp_path, capsys):
    out = tmp_path / "sitrep.pdf"
    call_command("sitrep", "--from", "2020-12-07", "--to", "2020-12-13", "--format", "pdf", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF") and "KiB in" in capsys.readouterr().out
    xlsx = tmp_path / "sitrep.xlsx"
    call_command("sitrep", "--from", "2020-12-07", "--to", "2020-12-13", "--format", "xlsx", "--out", str(xlsx))
    summary = load_workbook(xlsx)["Ringkasan"]
    assert "07-12-2020 s.d. 13-12-2020" in summary["A2"].value
    seq, digest = audit.head()
    assert seq > 0 and summary["A4"].value == f"Jejak audit #{seq} {digest[:16]}"  # the chain's anchor
    with pytest.raises(Exception, match="--to comes before --from"):
        call_command("sitrep", "--from", "2020-12-13", "--to", "2020-12-07", "--format", "pdf", "--out", str(out))


@pytest.mark.django_db
def test_responders_do_not_make_city_reports(client, demo):
    client.force_login(User.objects.get(username="polres"))
    assert client.get(reverse("sitrep:page")).status_code == 403
    assert client.get(reverse("sitrep:download", args=["pdf"])).status_code == 403


@pytest.mark.django_db
def test_the_report_lists_the_rumours_decided_untrue_and_what_the_public_was_told(client, demo):
    """Every hoax decided in the week, with the clarification's words where the public was told, in the page, the
    XLSX and the totals; one the public was not told about says so."""
    lo = datetime(2020, 12, 14, tzinfo=WIB)
    decided = Incident.objects.filter(status=IncidentStatus.HOAX, closed_at__gte=lo, closed_at__lt=lo + timedelta(7))
    clarified = {c.incident_id: c.claim for c in Clarification.objects.filter(incident__in=decided)}
    assert clarified and len(clarified) < decided.count()  # the demo's week has both kinds
    client.force_login(User.objects.get(username="pimpinan"))
    query = "?start=2020-12-14&end=2020-12-20"
    page = client.get(reverse("sitrep:page") + query).content.decode()
    section = page.split('id="hoaxes"')[1].split("</section>")[0]
    assert section.count("<tr>") == decided.count() + 1  # and the header
    assert all(escape(claim) in section for claim in clarified.values())
    assert section.count("belum diklarifikasi") == decided.count() - len(clarified)
    rows = list(load_workbook(BytesIO(client.get(reverse("sitrep:download", args=["xlsx"]) + query).content))["Hoaks"])
    assert len(rows) == decided.count() + 1
    assert {r[2].value for r in rows[1:]} >= set(clarified.values())
    assert f"Diklarifikasi kepada masyarakat: <strong>{len(clarified)}</strong>" in page


@pytest.mark.django_db
def test_the_report_carries_the_posko_s_hand_overs_of_the_period(client, demo):
    """Every duty shift that ended in the period with its hand-over, in the page, the XLSX and the PDF's section."""
    from sigap.demo.generator import HANDOVERS
    from sigap.notify.models import DutyShift

    ended = DutyShift.objects.filter(ends_at__lt=datetime(2020, 12, 21, tzinfo=WIB)).order_by("starts_at")
    assert ended.count() == 5 and all(s.handover_note for s in ended)  # 18 Dec day to 20 Dec day
    client.force_login(User.objects.get(username="pimpinan"))
    query = "?start=2020-12-14&end=2020-12-20"
    page = client.get(reverse("sitrep:page") + query).content.decode()
    section = page.split('id="piket"')[1].split("</section>")[0]
    assert section.count("<tr>") == 5 + 1 and escape(HANDOVERS[0]) in section
    rows = list(load_workbook(BytesIO(client.get(reverse("sitrep:download", args=["xlsx"]) + query).content))["Piket"])
    assert [r[2].value for r in rows[1:]] == HANDOVERS[:5]
    earlier = client.get(reverse("sitrep:page") + "?start=2020-12-07&end=2020-12-13").content.decode()
    assert 'id="piket"' not in earlier  # no shift ended then


def test_the_report_counts_what_reporters_said_of_the_resolutions(client, demo):
    """The summary counts the reporters' answers of the period, settled or not yet, as the demo's reporters gave
    them; a week without answers counts none."""
    from sigap.intake.models import ResolutionAnswer

    lo, hi = datetime(2020, 12, 7, tzinfo=WIB), datetime(2020, 12, 21, tzinfo=WIB)
    said = ResolutionAnswer.objects.filter(answered_at__gte=lo, answered_at__lt=hi)
    settled, not_yet = said.filter(settled=True).count(), said.filter(settled=False).count()
    assert settled >= 1 and not_yet >= 1
    client.force_login(User.objects.get(username="pimpinan"))
    query = "?start=2020-12-07&end=2020-12-20"

    def summary(query):
        book = load_workbook(BytesIO(client.get(reverse("sitrep:download", args=["xlsx"]) + query).content))
        return {row[0].value: row[1].value for row in book["Ringkasan"] if row[0].value}

    week = summary(query)
    assert week["Pelapor: masalah sudah selesai"] == settled
    assert week["Pelapor: masalah belum selesai"] == not_yet
    quiet = summary("?start=2020-11-20&end=2020-11-26")
    assert quiet["Pelapor: masalah sudah selesai"] == quiet["Pelapor: masalah belum selesai"] == 0
    assert "Pelapor: masalah belum selesai" in client.get(reverse("sitrep:page") + query).content.decode()


def test_a_status_in_force_comes_with_its_late_duties_and_the_tni_s_help(client, demo):
    """A Status Keadaan Konflik in force at the end of the period is named with what it still owes (the spending
    plan past its working day, a telephone request for the TNI's help not yet confirmed in writing) and the state
    of each request for the TNI's help, on the page, in the XLSX and in the PDF."""
    from sigap.cases import services
    from sigap.core.calendar import holidays_load

    holidays_load()
    analyst = User.objects.get(username="analis")
    status = services.status_declare(
        services.Declaration(
            decree_number="188.45/301/423.011/2020",
            reasons="Bentrok pendukung meluas",
            dprd_consulted_on=date(2020, 12, 14),
            declared_on=date(2020, 12, 15),
            starts_on=date(2020, 12, 15),
            ends_on=date(2021, 1, 31),
        ),
        actor=analyst,
    )
    ask = dict(addressed_to="Pemerintah", reason="Polres kewalahan", area="Kec. Gadingrejo", logistics="BTT APBD")
    oral = services.tni_request_record(
        status,
        services.TniRequest(asked_at=datetime(2020, 12, 16, 21, tzinfo=WIB), asked_orally=True, days=10, **ask),
        actor=analyst,
    )
    written = services.tni_request_record(
        status,
        services.TniRequest(
            asked_at=datetime(2020, 12, 17, 8, tzinfo=WIB), asked_orally=False, days=7, letter_number="300/5", **ask
        ),
        actor=analyst,
    )
    services.tni_answer_record(written, answered_on=date(2020, 12, 18), granted=True, note="1 SSK", actor=analyst)
    client.force_login(User.objects.get(username="pimpinan"))
    query = "?start=2020-12-14&end=2020-12-20"
    page = client.get(reverse("sitrep:page") + query).content.decode()
    section = page.split('id="status-konflik"')[1].split("</div>")[0]
    assert "188.45/301/423.011/2020" in section
    assert f"Bantuan TNI #{oral.pk}" in section and "menunggu jawaban Pemerintah" in section
    assert "permintaan tertulis belum dikirim (batas 17-12-2020 21:00)" in section
    assert f"Bantuan TNI #{written.pk}" in section and "dikabulkan 18-12-2020: 1 SSK" in section
    assert "Lewat batas: Rencana kebutuhan biaya" in section and "Lewat batas: Permintaan tertulis" in section
    book = load_workbook(BytesIO(client.get(reverse("sitrep:download", args=["xlsx"]) + query).content))
    lines = [row[0].value for row in book["Ringkasan"] if row[0].value]
    assert any(str(line).startswith(f"Bantuan TNI #{written.pk}") for line in lines)
    pdf = client.get(reverse("sitrep:download", args=["pdf"]) + query)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    before = client.get(reverse("sitrep:page") + "?start=2020-12-07&end=2020-12-13").content.decode()
    assert 'id="status-konflik"' not in before  # not yet declared then


def test_the_report_leads_with_the_toll_of_the_period_s_verified_incidents(client, demo):
    """Killed, injured, displaced and damaged buildings, summed over the verified incidents of the period as the
    analysts recorded them (the demo's Trajeng clash: two injured, a warung damaged); a rejected report's words do
    not count."""
    from django.db.models import Sum

    verified = Incident.objects.filter(
        status__in=[IncidentStatus.VERIFIED, IncidentStatus.RESOLVED],
        occurred_at__gte=datetime(2020, 12, 7, tzinfo=WIB),
        occurred_at__lt=datetime(2020, 12, 21, tzinfo=WIB),
    ).aggregate(injured=Sum("injured"), damaged=Sum("buildings_damaged"))
    assert verified["injured"] >= 2 and verified["damaged"] >= 1
    Incident.objects.filter(status=IncidentStatus.HOAX).update(killed=5)  # a hoax's "deaths" are no toll
    client.force_login(User.objects.get(username="pimpinan"))
    query = "?start=2020-12-07&end=2020-12-20"
    book = load_workbook(BytesIO(client.get(reverse("sitrep:download", args=["xlsx"]) + query).content))
    summary = {row[0].value: row[1].value for row in book["Ringkasan"] if row[0].value}
    assert summary["Korban luka"] == verified["injured"]
    assert summary["Rumah atau bangunan rusak"] == verified["damaged"]
    assert summary["Korban meninggal"] == 0 and summary["Warga mengungsi"] == 0
    page = client.get(reverse("sitrep:page") + query).content.decode()
    assert f"Korban luka: <strong>{verified['injured']}</strong>" in page
