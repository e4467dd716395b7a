"""The situation report on the demo month: PDF (with the map) and XLSX in one click and from the command line,
what changed since the previous one, and who may make it."""

import re
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from sigap.accounts.models import User
from sigap.core import audit
from sigap.demo.generator import seed_demo
from sigap.sitrep.models import SitrepRecord


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
    ]
    assert book["Kerawanan"].max_row == 35  # 34 kelurahan and the header
    assert SitrepRecord.objects.count() == 2
    again = client.get(reverse("sitrep:page") + query).content.decode()
    assert "laporan sebelumnya" in again  # compared with the last one made


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
