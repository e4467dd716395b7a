import pytest


@pytest.mark.django_db
def test_regions_filter_by_parent_and_level(client):
    body = client.get("/api/v1/regions", {"parent": "35.75"}).json()
    assert body["count"] == 4
    assert [r["name"] for r in body["items"]] == ["Gadingrejo", "Purworejo", "Bugul Kidul", "Panggungrejo"]
    kelurahan = client.get("/api/v1/regions", {"under": "35.75", "level": "desa_kelurahan", "limit": 100}).json()
    assert kelurahan["count"] == 34
    first = kelurahan["items"][0]
    assert first["has_boundary"] is True
    assert first["parent_code"].startswith("35.75.0")


@pytest.mark.django_db
def test_regions_search_by_name(client):
    body = client.get("/api/v1/regions", {"under": "35.75", "q": "Kel. bugullor"}).json()
    assert [r["code"] for r in body["items"]] == ["35.75.04.1010"]


@pytest.mark.django_db
def test_one_region_and_a_clear_404(client):
    assert client.get("/api/v1/regions/35.75.04").json()["name"] == "Panggungrejo"
    missing = client.get("/api/v1/regions/99.99")
    assert missing.status_code == 404
    assert "tidak ditemukan" in missing.json()["detail"] and "not found" in missing.json()["detail"]


@pytest.mark.django_db
def test_bad_filters_get_422_with_a_detail(client):
    response = client.get("/api/v1/regions", {"level": "kampung"})
    assert response.status_code == 422
    assert response.json()["detail"] == "Data tidak valid / invalid input"


@pytest.mark.django_db
def test_boundaries_as_geojson(client):
    body = client.get("/api/v1/regions.geojson", {"parent": "35.75.04"}).json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 13
    assert body["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Sigap API"
    assert "/api/v1/regions" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200
