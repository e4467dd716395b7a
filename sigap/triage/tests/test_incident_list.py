"""The incident list: every incident a reader may see, found again by words, place, status, category, urgency and
date once it has left the queues of the home pages."""

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from sigap.conftest import BUGUL_LOR, GADINGREJO_KEC, PANGGUNGREJO
from sigap.intake.choices import Channel
from sigap.intake.services import ReportDraft, report_receive
from sigap.triage.choices import Category, IncidentStatus, Urgency
from sigap.triage.models import Incident

WIB = ZoneInfo("Asia/Jakarta")
GADINGREJO_KEL = "35.75.01.1001"


@pytest.fixture
def incidents(region):
    def made(code, words, *, status, category, urgency, day):
        report = report_receive(ReportDraft(channel=Channel.WEB, region=region(code), description=words))[0]
        incident = report.incident
        Incident.objects.filter(pk=incident.pk).update(
            status=status, category=category, urgency=urgency, occurred_at=datetime(2020, 12, day, 23, 30, tzinfo=WIB)
        )
        return incident

    made_all = {
        "clash": made(
            BUGUL_LOR,
            "Pendukung paslon membawa celurit di pasar",
            status=IncidentStatus.VERIFIED,
            category=Category.BENTROK_PENDUKUNG,
            urgency=Urgency.CRITICAL,
            day=9,
        ),
        "hoax": made(
            BUGUL_LOR,
            "Pesan berantai soal surat suara tercoblos",
            status=IncidentStatus.HOAX,
            category=Category.HOAKS_UJARAN_KEBENCIAN,
            urgency=Urgency.LOW,
            day=3,
        ),
        "far": made(
            GADINGREJO_KEL,
            "Warga protes pembagian bansos tidak merata",
            status=IncidentStatus.NEW,
            category=Category.TATA_KELOLA,
            urgency=Urgency.MEDIUM,
            day=12,
        ),
    }
    assert len({i.pk for i in made_all.values()}) == 3  # three events, not merged
    return made_all


def _listed(client, **query):
    page = client.get(reverse("triage:incident_list"), query)
    assert page.status_code == 200
    text = page.content.decode()
    return text, {pk for pk in Incident.objects.values_list("pk", flat=True) if f'href="/kejadian/{pk}/"' in text}


@pytest.mark.django_db
def test_an_analyst_finds_incidents_again_by_each_filter(client, personas, incidents):
    clash, hoax, far = incidents["clash"].pk, incidents["hoax"].pk, incidents["far"].pk
    client.force_login(personas["analyst"])
    text, found = _listed(client)
    assert found == {clash, hoax, far} and "3 kejadian" in text
    assert text.index(f"/kejadian/{far}/") < text.index(f"/kejadian/{clash}/") < text.index(f"/kejadian/{hoax}/")
    assert _listed(client, q="celurit")[1] == {clash}  # a word of the report, not of the title
    receipt = incidents["far"].reports.get().receipt
    assert _listed(client, q=receipt.lower().replace("-", " "))[1] == {far}  # a receipt read out on the phone
    assert _listed(client, status="open")[1] == {clash, far}
    assert _listed(client, status="hoax")[1] == {hoax}
    assert _listed(client, area=PANGGUNGREJO)[1] == {clash, hoax}  # a kecamatan holds its kelurahan
    assert _listed(client, area=GADINGREJO_KEL)[1] == {far}
    assert _listed(client, category=[Category.HOAKS_UJARAN_KEBENCIAN, Category.TATA_KELOLA])[1] == {hoax, far}
    assert _listed(client, urgency=Urgency.MEDIUM)[1] == {clash, far}
    # Days in Jakarta's time: 23.30 WIB on 9 December is still the 9th (16.30 UTC).
    assert _listed(client, since="2020-12-09", until="2020-12-09")[1] == {clash}
    # A mistyped date is said and ignored; the other filters still apply.
    text, found = _listed(client, since="9 Desember", status="open")
    assert found == {clash, far} and "Masukkan tanggal yang valid" in text
    assert "<details open><summary>Saringan lain (1)" in text  # folded filters open to show the error
    _listed(client, area="x' OR 1=1", urgency="9", category="nope", page="-1")  # mangled: no server error


@pytest.mark.django_db
def test_a_responder_finds_only_the_incidents_of_the_area(client, personas, incidents):
    client.force_login(personas["responder"])  # Kecamatan Panggungrejo
    assert _listed(client)[1] == {incidents["clash"].pk, incidents["hoax"].pk}
    assert _listed(client, area=GADINGREJO_KEC)[1] == set()


@pytest.mark.django_db
def test_pages_keep_the_filters_and_the_home_counts_lead_to_the_list(client, personas, region):
    Incident.objects.bulk_create(
        Incident(title=f"Spanduk SARA di gang {n}", region=region(BUGUL_LOR), status=IncidentStatus.VERIFIED)
        for n in range(53)
    )
    client.force_login(personas["analyst"])
    text, _ = _listed(client, status="verified")
    assert "Halaman 1 dari 2" in text and 'href="?status=verified&amp;page=2"' in text
    home = client.get(reverse("home:home")).content.decode()
    assert f'href="{reverse("triage:incident_list")}?status=verified"' in home
    client.force_login(personas["responder"])
    home = client.get(reverse("home:home")).content.decode()
    assert "Semua " in home and f'href="{reverse("triage:incident_list")}?status=verified"' in home


@pytest.mark.django_db
def test_the_mediators_count_of_disputes_opens_those_disputes(client, personas, region):
    def many(n, category, code=BUGUL_LOR):
        Incident.objects.bulk_create(
            Incident(title=f"{category} {k}", region=region(code), status=IncidentStatus.VERIFIED, category=category)
            for k in range(n)
        )

    many(12, Category.BENTROK_PENDUKUNG)  # disputes in the mediator's kecamatan
    many(3, Category.BATAS_WILAYAH)
    many(4, Category.TATA_KELOLA)  # not a dispute for a forum
    many(5, Category.BENTROK_PENDUKUNG, code=GADINGREJO_KEL)  # outside the mediator's area
    client.force_login(personas["mediator"])
    home = client.get(reverse("home:home")).content.decode()
    link = re.search(r'<a href="(/kejadian/\?[^"]+)">Semua 15 ', home)
    assert link, "the home offers all 15 disputes when it shows the first 10"
    listed = client.get(html.unescape(link.group(1))).content.decode()
    assert "15 kejadian" in listed
    assert f"{Category.TATA_KELOLA} 0" not in listed and f"{Category.BATAS_WILAYAH} 2" in listed


@pytest.mark.django_db
def test_the_listed_incidents_download_as_a_spreadsheet_without_reporters(client, personas, incidents):
    import csv
    from io import BytesIO, StringIO

    from openpyxl import load_workbook

    client.force_login(personas["analyst"])
    page = client.get(reverse("triage:incident_list"), {"status": "open", "area": PANGGUNGREJO}).content.decode()
    assert 'href="/kejadian/unduh.csv?status=open&amp;area=35.75.04&amp;"' in page
    answer = client.get(reverse("triage:incident_export", args=["csv"]), {"status": "open", "area": PANGGUNGREJO})
    assert answer["Content-Disposition"].startswith('attachment; filename="sigap-kejadian-')
    rows = list(csv.reader(StringIO(b"".join(answer.streaming_content).decode())))
    assert rows[0][0] == "id" and rows[1][0] == "#event+id"  # the header and its HXL tags
    assert [int(r[0]) for r in rows[2:]] == [incidents["clash"].pk]
    book = load_workbook(BytesIO(client.get(reverse("triage:incident_export", args=["xlsx"]), {"q": "bansos"}).content))
    assert [row[0] for row in book.active.iter_rows(min_row=3, values_only=True)] == [incidents["far"].pk]
    assert client.get(reverse("triage:incident_export", args=["pdf"])).status_code == 404
    client.force_login(personas["responder"])  # Kecamatan Panggungrejo: the far incident stays out
    book = load_workbook(BytesIO(client.get(reverse("triage:incident_export", args=["xlsx"]), {"q": "bansos"}).content))
    assert list(book.active.iter_rows(min_row=3, values_only=True)) == []


@pytest.mark.django_db
def test_every_number_on_the_leaderships_home_opens_the_incidents_it_counts(client, personas, incidents):
    import re

    client.force_login(personas["leadership"])
    home = client.get(reverse("home:home")).content.decode()
    links = re.findall(r'<a href="(/kejadian/\?[^"]+)">([^<]+)</a>', home)
    assert len(links) >= 4 * 3 + 2  # three numbers per kecamatan, the kelurahan and the categories
    for href, shown in links:
        count = int(shown.rsplit(":", 1)[-1])
        listed = client.get(href.replace("&amp;", "&")).content.decode()
        assert f"{count} kejadian" in listed, (href, shown)
