"""The public page (no login, small counts suppressed, never an identity, a title or a point) and the CAP 1.2
feed of the warnings the analysts publish."""

import re
from datetime import date, datetime, timedelta
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from sigap.alerts.choices import AlertKind
from sigap.alerts.services import alert_raise
from sigap.conftest import BUGUL_LOR, CITY
from sigap.intake.choices import Channel
from sigap.intake.services import ReportDraft, report_receive
from sigap.public.services import PublicWarningError, warning_cancel, warning_publish
from sigap.risk.choices import RiskLevel
from sigap.risk.models import AreaRisk

WIB = ZoneInfo("Asia/Jakarta")
DAY = date(2020, 12, 9)
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
ATOM = "{http://www.w3.org/2005/Atom}"
# CAP 1.2 element order (OASIS CAP-v1.2 section 3.2), what this feed may use of it.
ALERT_ORDER = [
    "identifier",
    "sender",
    "sent",
    "status",
    "msgType",
    "source",
    "scope",
    "restriction",
    "addresses",
    "code",
    "note",
    "references",
    "incidents",
    "info",
]
INFO_ORDER = [
    "language",
    "category",
    "event",
    "responseType",
    "urgency",
    "severity",
    "certainty",
    "audience",
    "eventCode",
    "effective",
    "onset",
    "expires",
    "senderName",
    "headline",
    "description",
    "instruction",
    "web",
    "contact",
    "parameter",
    "resource",
    "area",
]
AREA_ORDER = ["areaDesc", "polygon", "circle", "geocode", "altitude", "ceiling"]


def assert_cap_order(element, order, required):
    tags = [child.tag.replace(CAP, "") for child in element]
    assert all(tag in order for tag in tags), tags
    positions = [order.index(tag) for tag in tags]
    assert positions == sorted(positions), tags
    assert set(required) <= set(tags), (required, tags)


def assert_valid_cap(alert):
    assert alert.tag == f"{CAP}alert"
    assert_cap_order(alert, ALERT_ORDER, ["identifier", "sender", "sent", "status", "msgType", "scope"])
    assert alert.findtext(f"{CAP}status") in {"Actual", "Exercise", "System", "Test", "Draft"}
    assert alert.findtext(f"{CAP}msgType") in {"Alert", "Update", "Cancel", "Ack", "Error"}
    assert alert.findtext(f"{CAP}scope") in {"Public", "Restricted", "Private"}
    sent = alert.findtext(f"{CAP}sent")
    assert datetime.fromisoformat(sent).utcoffset() is not None and "." not in sent
    for info in alert.findall(f"{CAP}info"):
        assert_cap_order(info, INFO_ORDER, ["category", "event", "urgency", "severity", "certainty"])
        assert info.findtext(f"{CAP}urgency") in {"Immediate", "Expected", "Future", "Past", "Unknown"}
        assert info.findtext(f"{CAP}severity") in {"Extreme", "Severe", "Moderate", "Minor", "Unknown"}
        assert info.findtext(f"{CAP}certainty") in {"Observed", "Likely", "Possible", "Unlikely", "Unknown"}
        for area in info.findall(f"{CAP}area"):
            assert_cap_order(area, AREA_ORDER, ["areaDesc"])
            for polygon in area.findall(f"{CAP}polygon"):
                pairs = polygon.text.split()
                assert len(pairs) >= 4 and pairs[0] == pairs[-1]
                lat, lon = (float(x) for x in pairs[0].split(","))
                assert -8.0 < lat < -7.0 and 112.5 < lon < 113.5  # Pasuruan, as lat,lon


@pytest.fixture
def assessed(region, db):
    for code, level in ((BUGUL_LOR, RiskLevel.SIAGA), ("35.75.01.1001", RiskLevel.AMAN)):
        AreaRisk.objects.create(region=region(code), day=DAY, score=50 if level else 5, level=level)


def receive(region, text, name=""):
    with time_machine.travel(datetime(2020, 12, 8, 9, tzinfo=WIB), tick=False):
        return report_receive(
            ReportDraft(
                channel=Channel.WEB,
                description=text,
                region=region,
                reporter_name=name,
                reporter_contact="0812345678" if name else "",
                anonymous=not name,
            )
        )[0]


@pytest.mark.django_db
def test_the_public_page_shows_levels_and_counts_without_identities(client, region, assessed):
    bugul_lor = region(BUGUL_LOR)
    for i in range(6):
        receive(bugul_lor, f"Pak Slamet Riyadi warga RT {i} melihat baliho dirusak nomor {i}", name="Slamet Riyadi")
    receive(region("35.75.01.1001"), "Pembagian amplop oleh Bu Wartini di RW 2")
    page = client.get("/publik/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bugul Lor" in text and "Siaga" in text
    assert "&lt;5" in text  # Karangketug's single report
    for secret in ("Slamet", "Wartini", "0812345678", "baliho", "amplop"):
        assert secret not in text
    assert client.get("/public/").status_code == 301


@pytest.mark.django_db
def test_the_public_counts_are_computed_once_a_minute(client, region, assessed):
    """Anyone can load the public page as often as they like: its counts are computed at most once a minute per
    process (as old as its Cache-Control allows), then show the new reports."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def bugul_lor_row() -> str:
        found = re.search(r"<tr><td>Bugul Lor</td>.*?</tr>", client.get("/publik/").content.decode())
        assert found is not None
        return found.group(0)

    receive(region(BUGUL_LOR), "Baliho dirusak di RW 05")
    with time_machine.travel(datetime(2020, 12, 8, 10, tzinfo=WIB), tick=False):
        with CaptureQueriesContext(connection) as first:
            before = bugul_lor_row()
        for i in range(6):
            receive(region(BUGUL_LOR), f"Baliho dirusak lagi nomor {i}")
        with CaptureQueriesContext(connection) as again:
            assert bugul_lor_row() == before  # within the minute: the same counts
        assert len(again.captured_queries) < len(first.captured_queries)
    with time_machine.travel(datetime(2020, 12, 8, 10, 1, 1, tzinfo=WIB), tick=False):
        after = bugul_lor_row()
    assert '<td data-label="Laporan">&lt;5</td>' in before and '<td data-label="Laporan">7</td>' in after


@pytest.mark.django_db
def test_a_published_warning_is_on_the_page_and_in_the_cap_feed_until_withdrawn(client, region, personas, assessed):
    bugul_lor = region(BUGUL_LOR)
    alert = alert_raise(
        kind=AlertKind.MANUAL,
        city=region(CITY),
        regions=[bugul_lor],
        level=RiskLevel.SIAGA,
        title="Ketegangan pendukung di Bugul Lor (Pak X)",
        reason="x",
        at=datetime(2020, 12, 9, 8, tzinfo=WIB),
    )
    with pytest.raises(PublicWarningError):
        warning_publish(
            actor=personas["analyst"],
            regions=[bugul_lor],
            level=2,
            headline="",
            description="x",
            instruction="y",
            alert=alert,
        )
    client.force_login(personas["responder"])
    assert client.post(reverse("public:publish", args=[alert.pk]), {}).status_code == 403
    client.force_login(personas["analyst"])
    response = client.post(
        reverse("public:publish", args=[alert.pk]),
        {
            "level": 2,
            "headline": "Waspada kerumunan di Bugul Lor",
            "hours": 48,
            "description": "Ada ketegangan antarpendukung setelah pemungutan suara.",
            "instruction": "Hindari kerumunan dan jangan menyebarkan kabar yang belum pasti.",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert "Waspada kerumunan di Bugul Lor" in client.get("/publik/").content.decode()
    feed = ET.fromstring(client.get("/publik/cap.xml").content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    alert_xml = entries[0].find(f"{ATOM}content/{CAP}alert")
    assert_valid_cap(alert_xml)
    info = alert_xml.find(f"{CAP}info")
    assert info.findtext(f"{CAP}severity") == "Severe" and info.findtext(f"{CAP}language") == "id-ID"
    assert info.find(f"{CAP}area/{CAP}geocode/{CAP}value").text == BUGUL_LOR
    assert "Pak X" not in client.get("/publik/cap.xml").content.decode()  # the internal title never goes out
    warning = alert.public_warnings.get()
    single = ET.fromstring(client.get(reverse("public:cap_message", args=[warning.pk])).content)
    assert_valid_cap(single)
    warning_cancel(warning=warning, actor=personas["analyst"], note="Situasi kondusif")
    cancelled = ET.fromstring(client.get(reverse("public:cap_message", args=[warning.pk])).content)
    assert_valid_cap(cancelled)
    assert cancelled.findtext(f"{CAP}msgType") == "Cancel"
    assert cancelled.findtext(f"{CAP}references").split(",")[1] == single.findtext(f"{CAP}identifier")
    assert "Waspada kerumunan" not in client.get("/publik/").content.decode()
    assert len(ET.fromstring(client.get("/publik/cap.xml").content).findall(f"{ATOM}entry")) == 1  # the Cancel
    with time_machine.travel(datetime.now(tz=WIB) + timedelta(days=3)):
        assert ET.fromstring(client.get("/publik/cap.xml").content).findall(f"{ATOM}entry") == []


@pytest.mark.django_db
def test_a_kabupaten_names_itself_and_folds_its_desa_under_their_kecamatan(client, settings, assessed, personas):
    from django.core.management import call_command

    from sigap.regions.models import Region

    page = client.get("/publik/").content.decode()  # Kota Pasuruan: 34 kelurahan in one table
    assert "<h1>Situasi Kota Pasuruan</h1>" in page and "Per kecamatan dan kelurahan" in page
    assert page.count("<tr><td>") == 34 and "Pilih kecamatan" not in page
    assert "Seluruh Kota Pasuruan" in page
    assert '<label for="id_kelurahan">Kelurahan:</label>' in client.get("/lapor/").content.decode()

    call_command("regions", "load", "35.14", "--no-progress", verbosity=0)
    settings.SIGAP_DEPLOYMENT_REGION = "35.14"
    page = client.get("/publik/").content.decode()
    assert "<h1>Situasi Kabupaten Pasuruan</h1>" in page and "Per kecamatan dan desa/kelurahan" in page
    assert "Pilih kecamatan untuk melihat desa/kelurahan di dalamnya." in page
    assert page.count("<tr><td>") == 0 and page.count('aria-expanded="false"') == 24
    lumbang = Region.objects.get(code="35.14.04")
    assert f'<a href="?kecamatan=35.14.04#kec-35.14.04" aria-expanded="false">Kecamatan {lumbang.name}</a>' in page
    assert "Seluruh Kabupaten Pasuruan" in page

    opened = client.get("/publik/", {"kecamatan": "35.14.04"}).content.decode()
    assert opened.count("<tr><td>") == lumbang.children.count() > 5
    assert opened.count('aria-expanded="true"') == 1
    assert client.get("/publik/", {"kecamatan": "35.75.01"}).content.decode().count("<tr><td>") == 0  # not here
    assert '<label for="id_kelurahan">Desa/kelurahan:</label>' in client.get("/lapor/").content.decode()

    # The staff pages and the situation report name them the same way.
    from sigap.dashboard.selectors import Filters
    from sigap.sitrep.build import build_sitrep

    client.force_login(personas["leadership"])
    assert "Desa/kelurahan dengan kejadian terbuka terbanyak" in client.get("/beranda/").content.decode()
    assert "Tingkat kerawanan per desa/kelurahan" in client.get("/dasbor/").content.decode()
    report = build_sitrep(Filters(DAY, DAY), personas["leadership"])
    assert report.village_title == "Desa/kelurahan"
    client.force_login(personas["analyst"])
    network = client.get(reverse("risk:network")).content.decode()
    assert "Siapa yang dapat melapor dari setiap desa/kelurahan:" in network
    assert re.search(r"\d+ desa/kelurahan tidak punya pelapor terpercaya", network)
    for url in (reverse("alerts:list"), reverse("notify:preview"), reverse("mediation:new")):
        label = re.search(r'<label for="id_regions?">([^<]*)</label>', client.get(url).content.decode())
        assert label and label[1] == "Desa/kelurahan:", url
    settings.SIGAP_DEPLOYMENT_REGION = CITY
    assert build_sitrep(Filters(DAY, DAY), personas["leadership"]).village_title == "Kelurahan"
