"""A kabupaten's map where desa have no shipped boundary: their kecamatan stands in, coloured by the highest level
among them, on the peta kerawanan, in the GeoJSON the dashboard draws and in the situation report's PDF.

Kota Pasuruan is the only kab/kota whose kelurahan boundaries Sigap ships; the test takes them away from two of its
kecamatan, as a kabupaten elsewhere in Jawa Timur (kecamatan shapes only) or outside it (none) would load."""

import re

import pytest

from sigap.core.tests.pdf import pdf_text
from sigap.dashboard.selectors import Filters
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.risk.mapareas import map_plan
from sigap.risk.models import AreaRisk
from sigap.risk.services import risk_recompute
from sigap.risk.tests.factories import CITY, DAY, verified
from sigap.sitrep.build import build_sitrep
from sigap.sitrep.render import to_pdf

GADINGREJO = "35.75.01"  # its kelurahan lose their shapes: the kecamatan stands in
PURWOREJO = "35.75.02"  # its kelurahan and the kecamatan itself lose theirs: not drawn
BUKIR = "35.75.01.1005"


@pytest.fixture
def kabupaten_like(region, personas):
    """Kota Pasuruan with the shapes of a kabupaten: two clashes in Bukir, assessed on DAY."""
    Region.objects.under(GADINGREJO).update(boundary=None)
    Region.objects.under(PURWOREJO).update(boundary=None)
    Region.objects.filter(code=PURWOREJO).update(boundary=None)
    bukir = region(BUKIR)
    verified(bukir, DAY)
    verified(bukir, DAY)
    risk_recompute(region(CITY), DAY, DAY)
    desa = Region.objects.filter(level=Level.DESA_KELURAHAN)
    return {
        "stood_in": desa.filter(code__startswith=f"{GADINGREJO}.").count(),
        "not_drawn": desa.filter(code__startswith=f"{PURWOREJO}.").count(),
        "own": desa.filter(code__startswith=f"{CITY}.").exclude(boundary=None).count(),
        "bukir": AreaRisk.objects.get(region=bukir, day=DAY),
    }


@pytest.mark.django_db
def test_the_kecamatan_stands_in_with_the_highest_level_of_its_desa_without_a_shape(kabupaten_like):
    bukir = kabupaten_like["bukir"]
    calm = AreaRisk.objects.filter(region__code__startswith=f"{GADINGREJO}.", day=DAY).exclude(pk=bukir.pk)
    assert bukir.score > max(calm.values_list("score", flat=True))  # the clashes make Bukir the highest
    desa = list(Region.objects.under(CITY).filter(level=Level.DESA_KELURAHAN))
    risks = {row.region.code: row for row in AreaRisk.objects.filter(day=DAY).select_related("region")}
    plan = map_plan(desa, risks)
    stand_in = plan.areas[0]
    assert stand_in.region.code == GADINGREJO and stand_in.risk == bukir
    assert stand_in.stands_for == kabupaten_like["stood_in"] == plan.stood_in
    assert [a.region.code for a in plan.areas[1:]] == sorted(r.code for r in desa if r.boundary)
    assert {r.code for r in plan.unmapped} == {r.code for r in desa if r.code.startswith(f"{PURWOREJO}.")}

    # Not assessed yet: the stand-in is drawn grey, not left out.
    unassessed = map_plan(desa, {})
    assert unassessed.areas[0].region.code == GADINGREJO and unassessed.areas[0].risk is None


@pytest.mark.django_db
def test_the_peta_kerawanan_draws_the_stand_in_and_says_what_is_missing(client, personas, kabupaten_like):
    client.force_login(personas["leadership"])
    page = client.get("/kerawanan/").content.decode()
    assert page.count("<path") == kabupaten_like["own"] + 1
    assert page.count(" standin") == 1
    level = kabupaten_like["bukir"].get_level_display()
    title = re.search(r'standin"><title>([^<]*)</title>', page).group(1)
    assert title == (
        f"Kecamatan Gadingrejo, mewakili {kabupaten_like['stood_in']} kelurahan tanpa batas peta: "
        f"tertinggi {level} ({str(kabupaten_like['bukir'].score).replace('.', ',')}) di Bukir"
    )
    assert f'<a href="/kerawanan/{BUKIR}/?day=2020-12-09"><path d="' in page  # the stand-in leads to Bukir
    assert f"{kabupaten_like['stood_in']} kelurahan tidak memiliki batas peta di Sigap" in page
    assert f"{kabupaten_like['not_drawn']} kelurahan tidak ada di peta" in page
    assert "Administrator dapat mengunggah batas kelurahan sebagai berkas GeoJSON" in page

    # Nothing to draw at all: no blank sheet, the words say why.
    Region.objects.update(boundary=None)
    page = client.get("/kerawanan/").content.decode()
    assert "<svg" not in page and "34 kelurahan tidak ada di peta" in page


@pytest.mark.django_db
def test_the_geojson_stands_in_only_when_asked(client, kabupaten_like):
    plain = client.get("/api/v1/risk.geojson", {"parent": CITY}).json()["features"]
    assert len(plain) == 34 and all("stands_for" not in f["properties"] for f in plain)
    assert sum(f["geometry"] is None for f in plain) == kabupaten_like["stood_in"] + kabupaten_like["not_drawn"]

    drawn = client.get("/api/v1/risk.geojson", {"parent": CITY, "stand_in": "true"}).json()["features"]
    assert len(drawn) == 1 + kabupaten_like["own"] + kabupaten_like["not_drawn"]
    stand_in = drawn[0]["properties"]
    bukir = kabupaten_like["bukir"]
    assert stand_in["region_code"] == GADINGREJO and stand_in["name"] == "Kecamatan Gadingrejo"
    assert stand_in["stands_for"] == kabupaten_like["stood_in"]
    assert stand_in["highest"] == {"region_code": BUKIR, "name": "Bukir"}
    assert stand_in["score"] == bukir.score and stand_in["drivers"]
    assert drawn[0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    # Purworejo has no shape to stand in with: its kelurahan keep their levels, without geometry.
    unmapped = [f["properties"]["region_code"] for f in drawn if f["geometry"] is None]
    assert len(unmapped) == kabupaten_like["not_drawn"] and all(c.startswith(f"{PURWOREJO}.") for c in unmapped)


@pytest.mark.django_db
def test_the_situation_report_draws_the_same_map(kabupaten_like, personas):
    report = build_sitrep(Filters(DAY, DAY), personas["leadership"], with_boundaries=True)
    assert len(report.map_shapes) == 1 + kabupaten_like["own"]
    assert [s.stand_in for s in report.map_shapes].count(True) == 1
    assert report.map_shapes[0].level == kabupaten_like["bukir"].level
    words = pdf_text(to_pdf(report))
    assert f"kecamatan yang mewakili {kabupaten_like['stood_in']} kelurahan tanpa batas peta" in words
    assert f"{kabupaten_like['not_drawn']} kelurahan tidak tergambar" in words

    Region.objects.update(boundary=None)
    report = build_sitrep(Filters(DAY, DAY), personas["leadership"], with_boundaries=True)
    assert report.map_shapes == []
    assert "Sigap tidak membawa batas kelurahan ini maupun kecamatannya" in pdf_text(to_pdf(report))
