"""Importing a kelurahan's paper log: preview, per-row errors, all or nothing, and safe to run twice."""

from datetime import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from sigap.intake.models import Report

GOOD_CSV = (
    "No;Tanggal;Kelurahan;Uraian Kejadian;Lokasi;Pelapor;Kontak\n"
    "1;05/12/2020 19:30;Bugul Lor;Pembagian amplop oleh tim paslon 01;RW 03;Pak RT;0812 1111 0001\n"
    "2;06/12/2020;35.75.03.1003;Spanduk SARA dipasang di gang;;;\n"
    ";;;;;;\n"
    "3;2020-12-09 10:00;Kel. Tembokrejo;Adu mulut saksi di TPS 12;TPS 12;;\n"
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_a_preview_writes_nothing_and_commit_writes_everything_once(tmp_path, capsys):
    path = write(tmp_path, "log.csv", GOOD_CSV)
    call_command("reports", "import", str(path), "--no-progress")
    assert "3 baris, 3 siap, 0 bermasalah" in capsys.readouterr().out
    assert Report.objects.count() == 0
    call_command("reports", "import", str(path), "--commit", "--no-progress")
    assert "Diimpor 3 laporan baru; 0 sudah ada" in capsys.readouterr().out
    reports = Report.objects.order_by("occurred_at")
    assert [r.region.name for r in reports] == ["Bugul Lor", "Tapa'an", "Tembokrejo"]
    assert timezone.localtime(reports[1].occurred_at).hour == 12  # "06/12/2020" has no hour: midday, not midnight
    assert {r.channel for r in reports} == {"import"} and {r.source_reliability for r in reports} == {"C"}
    assert reports[0].has_identity and "0812" not in str(reports[0].raw)
    assert all(r.incident_id for r in reports)  # triaged like every other channel
    call_command("reports", "import", str(path), "--commit", "--no-progress")
    assert "Diimpor 0 laporan baru; 3 sudah ada" in capsys.readouterr().out
    assert Report.objects.count() == 3


@pytest.mark.django_db
def test_triage_that_stops_midway_loses_no_row_and_a_second_import_finishes_it(tmp_path, monkeypatch):
    """The rows are stored together (all or none) before triage, which takes the write lock one report at a time;
    a triage that fails at the second report leaves every row stored, and importing the file again triages the
    rest without adding a report."""
    from sigap.triage import services as triage

    path = write(tmp_path, "log.csv", GOOD_CSV)
    real_prepare, seen = triage.triage_prepare, []

    def prepare_then_fail(draft, region):
        seen.append(draft.description)
        if len(seen) == 2:
            raise RuntimeError("the classifier fell over")
        return real_prepare(draft, region)

    monkeypatch.setattr("sigap.intake.services._received_hooks", [(prepare_then_fail, triage.report_triage)])
    with pytest.raises(RuntimeError, match="fell over"):
        call_command("reports", "import", str(path), "--commit", "--no-progress")
    assert Report.objects.count() == 3  # every row kept
    assert Report.objects.exclude(triage={}).count() == 1 and Report.objects.exclude(incident=None).count() == 1
    call_command("reports", "import", str(path), "--commit", "--no-progress")
    assert Report.objects.count() == 3
    assert Report.objects.filter(incident=None).count() == 0  # the rest triaged now, the first not twice
    assert seen.count(seen[0]) == 1


@pytest.mark.django_db
def test_one_bad_row_stops_the_whole_import_with_every_error_named(tmp_path, capsys):
    bad = (
        GOOD_CSV
        + "4;31/02/2020;Bugul Lor;Tanggal tidak ada;;;\n5;;Kampung Antah;Tidak dikenal;;;\n6;;;;lokasi saja;;\n"
    )
    path = write(tmp_path, "log.csv", bad)
    with pytest.raises(CommandError, match="Tidak ada yang diimpor"):
        call_command("reports", "import", str(path), "--commit", "--no-progress")
    errors = capsys.readouterr().err
    assert "baris 6: tanggal '31/02/2020' tidak dikenali" in errors
    assert "baris 7: kelurahan 'Kampung Antah' tidak dikenal" in errors
    assert "baris 8: uraian kosong" in errors
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_xlsx_with_real_dates_imports(tmp_path, capsys):
    book = Workbook()
    sheet = book.active
    sheet.append(["Tanggal", "Desa", "Keterangan"])
    # Spreadsheets store local times without a zone, as a paper log does.
    sheet.append([datetime(2020, 12, 10, 8, 0), "Kebonagung", "Massa protes hasil penghitungan suara"])  # noqa: DTZ001
    path = tmp_path / "log.xlsx"
    book.save(path)
    call_command("reports", "import", str(path), "--commit", "--no-progress")
    report = Report.objects.get()
    assert report.region.name == "Kebonagung" and report.occurred_at.year == 2020


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("log.txt", "uraian\nx\n", "Hanya berkas .csv atau .xlsx"),
        ("log.csv", "tanggal;kelurahan\n1;2\n", "Kolom uraian tidak ditemukan"),
        ("log.csv", "", "Berkas kosong"),
        ("log.xlsx", "this is not a zip file", "tidak dapat dibaca"),
    ],
)
def test_unreadable_files_get_a_clear_error(tmp_path, name, content, message):
    with pytest.raises(CommandError, match=message):
        call_command("reports", "import", str(write(tmp_path, name, content)), "--no-progress")


# ---- The same importer in the browser, for analysts --------------------------------------------------------------


def upload(client, name, text, reliability="B"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    log = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post("/laporan/impor/", {"log": log, "reliability": reliability})


@pytest.mark.django_db(transaction=True)  # the worker runs here too, and closes its connection after its batch
def test_an_analyst_previews_a_log_then_imports_it_all_once(client, gazetteer, personas, settings, tmp_path):
    from sigap.core.models import AuditLog

    settings.DATA_DIR = tmp_path
    client.force_login(personas["analyst"])
    assert client.get("/laporan/impor/").status_code == 200
    preview = upload(client, "log-bugul.csv", GOOD_CSV)
    page = preview.content.decode()
    assert preview.status_code == 200 and Report.objects.count() == 0  # a preview writes nothing
    assert "Bugul Lor" in page and "Tembokrejo" in page and "Adu mulut saksi di TPS 12" in page
    assert "0812" not in page  # the reporter's contact stays off the page
    token = preview.context["token"]
    (kept,) = (tmp_path / "imports").iterdir()
    assert token and b"0812" not in kept.read_bytes() and b"Pak RT" not in kept.read_bytes()  # sealed at rest
    done = client.post("/laporan/impor/", {"confirm": token}, follow=True)
    assert "3" in done.content.decode() and "log-bugul.csv" in done.content.decode()
    reports = Report.objects.all()
    assert reports.count() == 3 and {r.source_reliability for r in reports} == {"B"}
    # The page answers once the rows are stored; the worker places and merges them.
    assert "sedang ditempatkan" in done.content.decode() and not any(r.incident_id for r in reports)
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload", verbosity=0)
    assert all(r.incident_id for r in reports.all())
    row = AuditLog.objects.get(action="reports.imported")
    assert row.actor == personas["analyst"] and row.details == {
        "file": "log-bugul.csv",
        "rows": 3,
        "created": 3,
        "existing": 0,
    }
    assert not list((tmp_path / "imports").iterdir())  # the kept upload is gone
    again = client.post("/laporan/impor/", {"confirm": token}, follow=True)
    assert "sudah kedaluwarsa atau sudah diimpor" in again.content.decode()
    second = upload(client, "log-bugul.csv", GOOD_CSV)
    client.post("/laporan/impor/", {"confirm": second.context["token"]})
    assert Report.objects.count() == 3  # the same file twice adds nothing
    assert AuditLog.objects.filter(action="reports.imported").order_by("pk").last().details["existing"] == 3


@pytest.mark.django_db
def test_a_log_with_bad_rows_shows_every_problem_and_cannot_be_imported(client, personas, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(personas["analyst"])
    bad = GOOD_CSV + "4;31/02/2020;Bugul Lor;Tanggal tidak ada;;;\n5;;Kampung Antah;Tidak dikenal;;;\n"
    preview = upload(client, "log.csv", bad)
    page = preview.content.decode()
    assert "tidak dikenali" in page and "Kampung Antah" in page and "tidak dikenal" in page
    assert preview.context["token"] == "" and 'name="confirm"' not in page
    assert not list(tmp_path.glob("imports/*"))  # nothing kept: it cannot be imported
    wrong = upload(client, "log.txt", "uraian\nx\n")
    assert wrong.status_code == 400 and "Hanya berkas .csv atau .xlsx" in wrong.content.decode()
    headless = upload(client, "log.csv", "tanggal;kelurahan\n1;2\n")
    assert headless.status_code == 400 and "Kolom uraian tidak ditemukan" in headless.content.decode()
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_only_analysts_import_and_only_their_own_preview(client, personas, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(personas["responder"])
    assert client.get("/laporan/impor/").status_code == 403
    client.force_login(personas["analyst"])
    token = upload(client, "log.csv", GOOD_CSV).context["token"]
    client.force_login(personas["admin"])
    client.post("/laporan/impor/", {"confirm": token})
    client.post("/laporan/impor/", {"confirm": token[:-2] + "xx"})
    assert Report.objects.count() == 0
    client.force_login(personas["analyst"])
    client.post("/laporan/impor/", {"confirm": token})
    assert Report.objects.count() == 3
