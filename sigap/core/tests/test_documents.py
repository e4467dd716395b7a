"""Documents kept with a case: the signed papers and photos of the work, seen by those who see the case, removed
with a reason, and always on the case's timeline."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import override
from fpdf import FPDF
from PIL import Image

from sigap.accounts.models import User
from sigap.cases import services as cases
from sigap.cases.tests.factories import reported, verify
from sigap.conftest import BUGUL_LOR
from sigap.core.documents import DocumentError, document_clean
from sigap.core.models import AuditLog, Document
from sigap.core.roles import Role
from sigap.intake.choices import Channel
from sigap.intake.services import ReportDraft, report_receive
from sigap.intake.tests.test_photos import GPS_IFD, jpeg_with_gps


def signed_agreement_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Berita acara kesepakatan damai, Bugul Lor, 14 Desember 2020")
    return bytes(pdf.output())


@override("en")
def test_a_pdf_is_kept_as_sent_and_anything_else_is_refused_with_what_to_do():
    pdf = signed_agreement_pdf()
    assert document_clean(pdf).content == pdf and document_clean(pdf).content_type == "application/pdf"
    with pytest.raises(DocumentError, match="incomplete"):
        document_clean(pdf[: len(pdf) // 2])
    with pytest.raises(DocumentError, match="save a Word or Excel document as PDF"):
        document_clean(b"PK\x03\x04 word/document.xml")  # a .docx
    with pytest.raises(DocumentError, match="empty"):
        document_clean(b"")
    with pytest.raises(DocumentError, match="larger than 10 MB"):
        document_clean(b"%PDF-1.4" + b"0" * (10 * 1024 * 1024) + b"%%EOF")
    with pytest.raises(DocumentError, match="not a photo"):
        document_clean(b"\xff\xd8\xff but not a JPEG at all")


def test_a_photo_is_kept_without_its_location():
    clean = document_clean(jpeg_with_gps())
    with Image.open(io.BytesIO(clean.content)) as kept:
        assert not kept.getexif().get_ifd(GPS_IFD) and clean.content_type == "image/jpeg"


@pytest.fixture
def case(region, personas, organisations):
    incident = verify(reported(region(BUGUL_LOR), "Sengketa batas tanah makam antarwarga RW 02"), personas["analyst"])
    return cases.case_open(
        title="Sengketa batas tanah makam",
        lead_organisation=organisations["polsek_panggungrejo"],
        supporting=[organisations["fkub"]],
        parties=["Warga RW 02", "Ahli waris"],
        incidents=[incident],
        actor=personas["analyst"],
    )


def _add(client, case, title, content, name):
    return client.post(
        reverse("cases:act", args=[case.pk, "dokumen"]),
        {"title": title, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


@pytest.mark.django_db
def test_the_lead_keeps_the_signed_agreement_with_the_case_and_removes_a_wrong_file(
    client, case, personas, organisations, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(personas["responder"])  # the lead organisation's
    page = _add(client, case, "Berita acara kesepakatan, ditandatangani", signed_agreement_pdf(), "BA-Sdr-Fajar.pdf")
    assert "Dokumen ditambahkan." in page.content.decode()
    document = Document.objects.get()
    assert document.owner == case and document.added_by == personas["responder"] and document.is_pdf
    stored = tmp_path / document.file.name
    assert stored.read_bytes().startswith(b"%PDF-") and "Fajar" not in stored.name  # a random name
    assert case.events.filter(verb="document_added", note="Berita acara kesepakatan, ditandatangani").exists()
    assert AuditLog.objects.filter(action="case.document_added", object_id=str(case.pk)).exists()
    assert "Berita acara kesepakatan, ditandatangani" in page.content.decode()  # listed on the case's page

    answer = client.get(reverse("core:document", args=[document.pk]))
    assert answer.status_code == 200 and b"".join(answer.streaming_content).startswith(b"%PDF-")
    assert answer["Content-Disposition"].startswith('attachment; filename="berita-acara-kesepakatan-ditandatangani.pdf')
    assert answer["X-Content-Type-Options"] == "nosniff" and answer["Content-Security-Policy"].startswith("sandbox")

    refused = _add(client, case, "Notulen", b"PK\x03\x04 a word file", "notulen.docx").content.decode()
    assert "Tidak tersimpan: Hanya berkas PDF dan foto" in refused and Document.objects.count() == 1
    assert (
        "Tidak tersimpan: Sebutkan dokumen apa ini"
        in _add(client, case, "  ", b"%PDF-1 %%EOF", "x.pdf").content.decode()
    )

    # FKUB supports the case: it adds a photo, and may not remove the lead's document
    client.force_login(personas["mediator"])
    _add(client, case, "Foto musyawarah di balai RW", jpeg_with_gps(), "IMG_2041.jpg")
    photo = Document.objects.get(title="Foto musyawarah di balai RW")
    assert photo.content_type == "image/jpeg" and not photo.is_pdf
    remove = reverse("cases:act", args=[case.pk, "hapus-dokumen"])
    assert client.post(remove, {"document": document.pk, "reason": "salah"}).status_code == 403

    # the uploader removes the wrong file: the file goes, the row and the reason stay
    client.force_login(personas["responder"])
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the removal is committed
        client.post(remove, {"document": document.pk, "reason": "Salah unggah: ini berita acara kasus lain"})
    document.refresh_from_db()
    assert document.removed_by == personas["responder"] and document.file.name == "" and not stored.exists()
    assert case.events.filter(
        verb="document_removed",
        note="Berita acara kesepakatan, ditandatangani: Salah unggah: ini berita acara kasus lain",
    ).exists()
    assert client.get(reverse("core:document", args=[document.pk])).status_code == 404
    assert "Salah unggah" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert client.post(remove, {"document": photo.pk, "reason": "bukan dari kami"}).status_code == 403  # FKUB's

    # an analyst may remove anyone's, with a reason
    client.force_login(personas["analyst"])
    empty_reason = client.post(remove, {"document": photo.pk, "reason": " "}, follow=True).content.decode()
    assert "Sebutkan mengapa dokumen dihapus." in empty_reason and Document.objects.get(pk=photo.pk).removed_at is None
    client.post(remove, {"document": photo.pk, "reason": "Wajah anak-anak terlihat"})
    assert Document.objects.get(pk=photo.pk).removed_at is not None


@pytest.mark.django_db
def test_only_those_who_see_the_case_get_its_documents(client, case, personas, organisations, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = cases.case_document_add(
        case=case, title="Surat undangan musyawarah", data=signed_agreement_pdf(), actor=personas["responder"]
    )
    url = reverse("core:document", args=[document.pk])
    outsider = User.objects.create(
        username="polsek_lain", role=Role.RESPONDER, organisation=organisations["polsek_gadingrejo"]
    )
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(reverse("cases:act", args=[case.pk, "dokumen"])).status_code == 404  # the case is not theirs
    client.force_login(personas["trusted_reporter"])
    assert client.get(url).status_code == 404
    client.force_login(personas["leadership"])  # reads the case and its papers, adds nothing
    assert client.get(url).status_code == 200
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Surat undangan musyawarah" in page and "Tambahkan dokumen" not in page
    assert client.post(reverse("cases:act", args=[case.pk, "dokumen"])).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
    Path(tmp_path / document.file.name).unlink()  # restored without its files backup
    client.force_login(personas["analyst"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_paper_from_the_ground_is_kept_with_an_incident_that_has_no_case(
    client, region, personas, organisations, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Most small problems get no case: the Bhabinkamtibmas' berita acara of a quarrel calmed, or the photo of a
    torn banner, is kept with the incident, on its timeline, for the staff who see it (not its trusted reporter)."""
    settings.MEDIA_ROOT = tmp_path
    trusted = personas["trusted_reporter"]
    words = "Cekcok warga soal parkir pasar Bugul Lor"
    report, _ = report_receive(
        ReportDraft(channel=Channel.TRUSTED, description=words, region=region(BUGUL_LOR), submitted_by=trusted)
    )
    incident = verify(report.incident, personas["analyst"])
    add = reverse("triage:incident_document_add", args=[incident.pk])
    remove = reverse("triage:incident_document_remove", args=[incident.pk])
    client.force_login(personas["responder"])
    page = client.post(
        add,
        {"title": "BA mediasi cekcok parkir", "file": SimpleUploadedFile("BA.pdf", signed_agreement_pdf())},
        follow=True,
    ).content.decode()
    assert "Dokumen ditambahkan." in page and "BA mediasi cekcok parkir" in page
    document = Document.objects.get()
    assert document.owner == incident and document.added_by == personas["responder"]
    assert incident.events.filter(verb="document_added", note="BA mediasi cekcok parkir").exists()
    assert client.get(reverse("core:document", args=[document.pk])).status_code == 200
    refused = client.post(add, {"title": "Foto", "file": SimpleUploadedFile("a.docx", b"PK\x03\x04")}, follow=True)
    assert "Tidak tersimpan: Hanya berkas PDF dan foto" in refused.content.decode() and Document.objects.count() == 1
    nothing = client.post(add, {"title": "Foto spanduk"}, follow=True).content.decode()  # no file chosen
    assert "Tidak tersimpan: Pilih berkas" in nothing and Document.objects.count() == 1

    client.force_login(trusted)  # reported it and follows its timeline, without the team's papers
    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert 'id="dokumen"' not in page and reverse("core:document", args=[document.pk]) not in page
    assert client.get(reverse("core:document", args=[document.pk])).status_code == 404
    assert client.post(add, {"title": "x"}).status_code == 403
    outsider = User.objects.create(
        username="polsek_lain", role=Role.RESPONDER, organisation=organisations["polsek_gadingrejo"]
    )
    client.force_login(outsider)  # another kecamatan's Polsek does not see the incident
    assert client.get(reverse("core:document", args=[document.pk])).status_code == 404
    assert client.post(add, {"title": "x"}).status_code == 404
    client.force_login(personas["leadership"])
    page = client.get(reverse("triage:incident_detail", args=[incident.pk])).content.decode()
    assert "BA mediasi cekcok parkir" in page and "Tambahkan dokumen" not in page

    client.force_login(personas["mediator"])  # sees the incident, did not add the paper
    assert client.post(remove, {"document": document.pk, "reason": "salah"}).status_code == 403
    client.force_login(personas["responder"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(remove, {"document": document.pk, "reason": "Salah berkas"})
    document.refresh_from_db()
    assert document.removed_at is not None and document.file.name == ""
    assert incident.events.filter(verb="document_removed", note="BA mediasi cekcok parkir: Salah berkas").exists()
