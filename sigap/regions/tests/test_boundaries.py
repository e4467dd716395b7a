"""A deployment's own desa boundaries (`sigap regions boundaries`): checked feature by feature, stored all or none."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from shapely.geometry import shape

from sigap.alerts.services import _neighbours
from sigap.core.models import AuditLog
from sigap.regions.choices import Level
from sigap.regions.models import Region
from sigap.regions.selectors import region_at_point
from sigap.regions.services import regions_load
from sigap.risk.mapareas import map_plan

KABUPATEN = "35.14"  # Kabupaten Pasuruan: kecamatan shapes are shipped, desa shapes are not
SIDE = 0.004  # degrees, ~450 m: small squares side by side inside one kecamatan


@pytest.fixture
def kabupaten(db: None) -> Region:
    regions_load(code=KABUPATEN)
    return Region.objects.get(code=KABUPATEN)


def _kecamatan_with_desa(n: int) -> tuple[Region, list[Region]]:
    for kecamatan in Region.objects.under(KABUPATEN).filter(level=Level.KECAMATAN).exclude(boundary=None):
        desa = list(kecamatan.children.order_by("code"))
        if len(desa) >= n:
            return kecamatan, desa[:n]
    raise AssertionError("no kecamatan with enough desa")


def _square(lng: float, lat: float, side: float = SIDE) -> dict[str, Any]:
    ring = [[lng, lat], [lng + side, lat], [lng + side, lat + side], [lng, lat + side], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _row_of_squares(kecamatan: Region, desa: list[Region], code_of: Any = lambda r: r.code) -> list[dict[str, Any]]:
    """Squares touching side by side, starting at a point well inside the kecamatan."""
    inner = shape(kecamatan.boundary).buffer(-0.003).representative_point()
    return [
        {
            "type": "Feature",
            "properties": {"KDEPUM": code_of(region), "WADMKD": region.name},
            "geometry": _square(inner.x + i * SIDE, inner.y),
        }
        for i, region in enumerate(desa)
    ]


def _write(tmp_path: Path, features: list[Any], name: str = "desa.geojson", **extra: Any) -> Path:
    data = json.dumps({"type": "FeatureCollection", "features": features, **extra})
    path = tmp_path / name
    if name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_a_preview_stores_nothing_and_commit_stores_every_shape(kabupaten, tmp_path, capsys):
    kecamatan, desa = _kecamatan_with_desa(3)
    # Undotted codes, as a number in many shapefiles' attribute tables, in a gzip file.
    path = _write(tmp_path, _row_of_squares(kecamatan, desa, lambda r: int(r.code.replace(".", ""))), "d.geojson.gz")

    call_command("regions", "boundaries", str(path))
    out = capsys.readouterr().out
    assert "3 fitur (kode dari 'KDEPUM'), 3 siap (3 desa_kelurahan), 0 bermasalah" in out
    assert "Pratinjau saja" in out
    assert not Region.objects.filter(code__in=[r.code for r in desa]).exclude(boundary=None).exists()

    call_command("regions", "boundaries", str(path), "--commit")
    assert "Disimpan 3 batas wilayah" in capsys.readouterr().out
    stored = Region.objects.get(code=desa[1].code)
    assert stored.boundary_source.startswith("upload ") and stored.boundary_source.endswith("d.geojson.gz")
    assert stored.area_km2 == pytest.approx(0.1953, rel=0.003)  # 0.004 degrees square near 7.7 S: 442 m x 442 m
    centre = shape(stored.boundary).centroid
    assert region_at_point(lat=centre.y, lng=centre.x) == stored  # a report's pin now finds its desa
    audit = AuditLog.objects.get(action="regions.boundaries_imported")
    assert audit.object_id == str(kabupaten.pk) and audit.details["codes"] == [r.code for r in desa]

    plan = map_plan(Region.objects.under(kecamatan.code), {})
    assert {area.region.code for area in plan.areas if area.stands_for == 0} == {r.code for r in desa}
    assert plan.stood_in == kecamatan.children.count() - 3  # the others are still drawn through their kecamatan


@pytest.mark.django_db
def test_loading_the_gazetteer_again_keeps_the_deployments_own_shapes(kabupaten, tmp_path):
    """A kecamatan of Jawa Timur has a shipped (coarse) shape; an uploaded one replaces it and stays replaced."""
    kecamatan, _ = _kecamatan_with_desa(1)
    assert kecamatan.boundary_source == "jatim_kecamatan"
    own = shape(kecamatan.boundary).buffer(-0.001).simplify(0.0005)
    feature = {"type": "Feature", "properties": {"kode": kecamatan.code}, "geometry": own.__geo_interface__}
    call_command("regions", "boundaries", str(_write(tmp_path, [feature])), "--commit")
    uploaded = Region.objects.get(pk=kecamatan.pk)
    assert uploaded.boundary_source.startswith("upload ")

    regions_load(code=KABUPATEN)
    again = Region.objects.get(pk=kecamatan.pk)
    assert (again.boundary_source, again.boundary) == (uploaded.boundary_source, uploaded.boundary)


@pytest.mark.django_db
def test_every_bad_feature_is_named_and_nothing_is_stored(kabupaten, tmp_path, capsys):
    kecamatan, desa = _kecamatan_with_desa(3)
    good = _row_of_squares(kecamatan, desa)
    far_kecamatan = Region.objects.under(KABUPATEN).filter(level=Level.KECAMATAN).exclude(pk=kecamatan.pk)
    elsewhere = shape(far_kecamatan.exclude(boundary=None).last().boundary).representative_point()
    lng, lat = good[0]["geometry"]["coordinates"][0][0]

    def feature(code: Any, geometry: Any) -> dict[str, Any]:
        return {"type": "Feature", "properties": {"KDEPUM": code}, "geometry": geometry}

    bad = [
        *good,
        feature(None, _square(lng, lat)),  # 4: no code
        feature("35.14.99.9999", _square(lng, lat)),  # 5: not in the gazetteer
        feature(desa[0].code, _square(lng, lat)),  # 6: the same code twice
        feature(kecamatan.children.order_by("code")[3].code, _square(lat, lng)),  # 7: [lat, lng]
        feature(kecamatan.children.order_by("code")[4].code, _square(500000.0, 9150000.0, 400.0)),  # 8: UTM metres
        feature(kecamatan.children.order_by("code")[5].code, {"type": "Point", "coordinates": [lng, lat]}),  # 9
        feature(kecamatan.children.order_by("code")[6].code, _square(elsewhere.x, elsewhere.y)),  # 10: wrong place
        feature(kecamatan.children.order_by("code")[7].code, {"type": "Polygon", "coordinates": "x"}),  # 11
    ]
    path = _write(tmp_path, bad)
    with pytest.raises(CommandError, match="Tidak ada yang disimpan"):
        call_command("regions", "boundaries", str(path), "--commit")
    err = capsys.readouterr().err
    assert "fitur 4 (tanpa kode): tanpa kode (KDEPUM)" in err
    assert "fitur 5 (35.14.99.9999): kode 35.14.99.9999 tidak ada di gazetir" in err
    assert f"fitur 1 ({desa[0].code}): kode {desa[0].code} muncul 2 kali" in err
    assert f"fitur 6 ({desa[0].code}): kode {desa[0].code} muncul 2 kali" in err
    assert "fitur 7 " in err and "urutan koordinat tertukar" in err
    assert "fitur 8 " in err and "koordinat di luar Indonesia" in err
    assert "fitur 9 " in err and "geometri Point, bukan poligon" in err
    assert "fitur 10 " in err and f"letaknya di luar {kecamatan.label}" in err
    assert "fitur 11 " in err and "geometri tidak terbaca" in err
    assert "fitur 2 " not in err and "fitur 3 " not in err
    assert not Region.objects.under(KABUPATEN).filter(level=Level.DESA_KELURAHAN).exclude(boundary=None).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json {", "Bukan GeoJSON yang terbaca"),
        ("[" * 100_000 + "]" * 100_000, "Bukan GeoJSON yang terbaca"),
        (json.dumps({"type": "Feature", "geometry": None}), "harus GeoJSON FeatureCollection"),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32749"}},
                    "features": [],
                }
            ),
            "ubah dulu ke WGS 84",
        ),
        (
            json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"KDEBPS": 1}}]}),
            "Tidak ada kolom kode wilayah",
        ),
        (json.dumps({"type": "FeatureCollection", "crs": "EPSG:4326", "features": []}), "tidak berisi satu fitur"),
    ],
)
def test_a_file_sigap_cannot_read_is_refused_as_a_whole(kabupaten, tmp_path, content, message):
    path = tmp_path / "x.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("regions", "boundaries", str(path), "--commit")


@pytest.mark.django_db
def test_a_self_crossing_polygon_is_repaired_and_detail_is_simplified(kabupaten, tmp_path, capsys):
    kecamatan, desa = _kecamatan_with_desa(2)
    features = _row_of_squares(kecamatan, desa)
    (x0, y0), (x1, _), (_, y2) = features[0]["geometry"]["coordinates"][0][:3]
    # A bow tie: the ring crosses itself in the middle.
    features[0]["geometry"]["coordinates"] = [[[x0, y0], [x1, y2], [x1, y0], [x0, y2], [x0, y0]]]
    # A side drawn with 400 points that wander by centimetres: detail no city map shows.
    x, y = features[1]["geometry"]["coordinates"][0][0]
    wiggle = [[x + SIDE * i / 400, y + (1e-7 if i % 2 else 0.0)] for i in range(400)]
    features[1]["geometry"]["coordinates"] = [[*wiggle, [x + SIDE, y], [x + SIDE, y + SIDE], [x, y + SIDE], [x, y]]]
    path = _write(tmp_path, features)

    call_command("regions", "boundaries", str(path), "--commit")
    out = capsys.readouterr().out
    assert f"catatan fitur 1 ({desa[0].code}): poligon diperbaiki" in out
    assert "titik batas 412 -> 13 setelah disederhanakan" in out  # two triangles and a square
    repaired = shape(Region.objects.get(code=desa[0].code).boundary)
    assert repaired.is_valid and repaired.geom_type == "MultiPolygon"
    assert len(Region.objects.get(code=desa[1].code).boundary["coordinates"][0]) == 5

    call_command("regions", "boundaries", str(path), "--simplify", "0")
    assert "setelah disederhanakan" not in capsys.readouterr().out


@pytest.mark.django_db
def test_neighbours_that_simplifying_would_part_keep_their_detail(kabupaten, tmp_path, capsys):
    """Two desa 5 m apart that touch through a thin strip: simplified, they would no longer be neighbours (a
    spreading cluster is found through shared borders), so both keep the file's own points."""
    kecamatan, desa = _kecamatan_with_desa(3)
    features = _row_of_squares(kecamatan, desa)
    x, y = features[1]["geometry"]["coordinates"][0][0]  # the second square's corner, on the first one's side
    apart, mid = x + 5e-5, y + SIDE / 2
    ring = [[apart, y], [x + SIDE, y], [x + SIDE, y + SIDE], [apart, y + SIDE]]
    ring += [[apart, mid + 5e-8], [x, mid], [apart, mid - 5e-8], [apart, y]]
    features[1]["geometry"]["coordinates"] = [ring]
    del features[2]  # the third square would touch the second one's unchanged right side
    call_command("regions", "boundaries", str(_write(tmp_path, features)), "--commit")
    assert "catatan desa_kelurahan: 2 bentuk dibiarkan serinci aslinya" in capsys.readouterr().out
    assert Region.objects.get(code=desa[1].code).boundary["coordinates"][0] == ring
    assert _neighbours(kabupaten)[desa[0].code][:1] == [desa[1].code]


@pytest.mark.django_db
def test_a_name_that_differs_from_kemendagri_is_noted_not_refused(kabupaten, tmp_path, capsys):
    kecamatan, desa = _kecamatan_with_desa(1)
    features = _row_of_squares(kecamatan, desa)
    features[0]["properties"]["WADMKD"] = "Desa Lain Sekali"
    call_command("regions", "boundaries", str(_write(tmp_path, features)))
    assert f"bernama 'Desa Lain Sekali' di berkas, {desa[0].name!r} menurut Kemendagri" in capsys.readouterr().out


@pytest.mark.django_db
def test_neighbours_follow_the_uploaded_shapes_without_a_restart(kabupaten, tmp_path):
    kecamatan, desa = _kecamatan_with_desa(4)
    everyone = sorted(kecamatan.children.values_list("code", flat=True))
    assert _neighbours(kabupaten)[desa[0].code] == [c for c in everyone if c != desa[0].code]

    features = _row_of_squares(kecamatan, desa[:3])
    x, y = features[0]["geometry"]["coordinates"][0][0]
    features.append({**features[0], "properties": {"KDEPUM": desa[3].code}, "geometry": _square(x, y + 3 * SIDE)})
    call_command("regions", "boundaries", str(_write(tmp_path, features)), "--commit")

    neighbours = _neighbours(kabupaten)
    shapeless = [c for c in everyone if c not in {r.code for r in desa}]
    # Side by side: neighbours; the fourth square lies apart. The desa still without a shape neighbour all of them.
    assert neighbours[desa[0].code] == sorted([desa[1].code, *shapeless])
    assert neighbours[desa[1].code] == sorted([desa[0].code, desa[2].code, *shapeless])
    assert neighbours[desa[3].code] == sorted(shapeless)


@pytest.mark.django_db
def test_the_administrators_home_counts_the_desa_without_a_shape(kabupaten, tmp_path, client, personas, settings):
    settings.SIGAP_DEPLOYMENT_REGION = KABUPATEN
    desa_count = Region.objects.under(KABUPATEN).filter(level=Level.DESA_KELURAHAN).count()
    client.force_login(personas["admin"])
    page = client.get(reverse("home:home")).content.decode()
    assert f"{desa_count} desa/kelurahan tidak memiliki batas peta: peta menggambarnya lewat kecamatannya" in page
    assert 'href="/wilayah/batas/"' in page

    kecamatan, desa = _kecamatan_with_desa(3)
    call_command("regions", "boundaries", str(_write(tmp_path, _row_of_squares(kecamatan, desa))), "--commit")
    page = client.get(reverse("home:home")).content.decode()
    assert f"{desa_count - 3} desa/kelurahan tidak memiliki batas peta" in page

    settings.SIGAP_DEPLOYMENT_REGION = "35.75"  # every kelurahan of Kota Pasuruan has its shipped shape
    page = client.get(reverse("home:home")).content.decode()
    assert "tidak memiliki batas peta" not in page and 'href="/wilayah/batas/"' in page
    assert "Setiap kelurahan di wilayah ini sudah memiliki batas peta" in client.get("/wilayah/batas/").content.decode()


@pytest.mark.django_db
def test_the_administrator_uploads_them_previews_and_confirms(kabupaten, tmp_path, client, personas, settings):
    settings.SIGAP_DEPLOYMENT_REGION = KABUPATEN
    kecamatan, desa = _kecamatan_with_desa(3)
    good = _row_of_squares(kecamatan, desa)
    client.force_login(personas["analyst"])
    assert client.get("/wilayah/batas/").status_code == 403
    client.force_login(personas["admin"])
    assert "desa/kelurahan di wilayah ini tidak memiliki batas peta" in client.get("/wilayah/batas/").content.decode()
    kept = Path(settings.DATA_DIR) / "boundary-uploads"

    bad = [*good, {"type": "Feature", "properties": {"KDEPUM": "35.14.99.9999"}, "geometry": good[0]["geometry"]}]
    with _write(tmp_path, bad).open("rb") as upload:
        page = client.post("/wilayah/batas/", {"geojson": upload, "simplify": "10"}).content.decode()
    assert "Tidak ada yang akan disimpan" in page and "kode 35.14.99.9999 tidak ada di gazetir" in page
    assert 'name="confirm"' not in page and not list(kept.iterdir())  # a file with a bad feature is not kept

    with _write(tmp_path, good, "desa-bangil.geojson").open("rb") as upload:
        page = client.post("/wilayah/batas/", {"geojson": upload, "simplify": "10"}).content.decode()
    token = re.search(r'name="confirm" value="([^"]+)"', page).group(1)
    assert "Simpan ketiga 3 batas wilayah" in page or "Simpan 3 batas wilayah" in page
    assert not Region.objects.filter(code=desa[0].code).exclude(boundary=None).exists()

    response = client.post("/wilayah/batas/", {"confirm": token}, follow=True)
    assert "Tersimpan 3 batas wilayah dari desa-bangil.geojson" in response.content.decode()
    stored = Region.objects.get(code=desa[0].code)
    assert stored.boundary_source.endswith("desa-bangil.geojson") and not list(kept.iterdir())
    assert AuditLog.objects.get(action="regions.boundaries_imported").actor_id == personas["admin"].pk
    again = client.post("/wilayah/batas/", {"confirm": token}, follow=True).content.decode()
    assert "Pratinjau ini sudah kedaluwarsa atau sudah disimpan" in again

    client.force_login(personas["analyst"])
    assert client.post("/wilayah/batas/", {"confirm": token}).status_code == 403


@pytest.mark.django_db
def test_a_file_that_is_not_geojson_is_refused_beside_the_field(kabupaten, client, personas, tmp_path):
    client.force_login(personas["admin"])
    path = tmp_path / "desa.shp"
    path.write_bytes(b"\x00\x00\x27\x0a")
    with path.open("rb") as upload:
        response = client.post("/wilayah/batas/", {"geojson": upload, "simplify": "10"})
    assert response.status_code == 400 and "Pilih berkas .geojson atau .geojson.gz" in response.content.decode()
    broken = tmp_path / "desa.geojson"
    broken.write_text("{ not json", encoding="utf-8")
    with broken.open("rb") as upload:
        response = client.post("/wilayah/batas/", {"geojson": upload, "simplify": "-3"})
    assert response.status_code == 400 and "lebih besar dari atau sama dengan 0" in response.content.decode()
    with broken.open("rb") as upload:
        response = client.post("/wilayah/batas/", {"geojson": upload, "simplify": "10"})
    assert response.status_code == 400 and "Bukan GeoJSON yang terbaca" in response.content.decode()
