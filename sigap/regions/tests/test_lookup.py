import pytest
from shapely.geometry import shape

from sigap.regions.choices import AliasSource, Level
from sigap.regions.models import Region
from sigap.regions.selectors import region_at_point, regions_by_name
from sigap.regions.services import region_alias_add


@pytest.mark.django_db
def test_every_kelurahan_is_found_from_a_point_inside_it():
    kelurahan = Region.objects.under("35.75").filter(level=Level.DESA_KELURAHAN)
    for expected in kelurahan:
        inside = shape(expected.boundary).representative_point()
        found = region_at_point(lat=inside.y, lng=inside.x)
        assert found == expected, f"{expected.name}: got {found}"


@pytest.mark.django_db
def test_points_map_to_kecamatan_too_and_outside_points_to_nothing():
    bugul_lor = shape(Region.objects.get(code="35.75.04.1010").boundary).representative_point()
    kecamatan = region_at_point(lat=bugul_lor.y, lng=bugul_lor.x, level=Level.KECAMATAN)
    assert kecamatan.code == "35.75.04"
    assert region_at_point(lat=-7.60, lng=112.95) is None  # Madura Strait, off the coast
    assert region_at_point(lat=-6.2, lng=106.8) is None  # Jakarta: not loaded, so no kelurahan there


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bugul Lor", "35.75.04.1010"),
        ("bugullor", "35.75.04.1010"),
        ("Kel. Bugul Lor", "35.75.04.1010"),
        ("Gadingrejo'an", "35.75.01.1009"),  # the 2022 official name
        ("kelurahan pohjentrek", "35.75.02.1001"),
        ("Bugul Lro", "35.75.04.1010"),  # a typo
        ("Krampiangan", "35.75.03.1006"),  # a spelling by ear
    ],
)
def test_names_find_their_kelurahan(text, expected):
    matches = regions_by_name(text, within="35.75", level=Level.DESA_KELURAHAN)
    assert matches, text
    assert matches[0].region.code == expected


@pytest.mark.django_db
def test_exact_matches_score_100_and_fuzzy_ones_less():
    exact = regions_by_name("Kel. Tapaan", within="35.75")[0]
    fuzzy = regions_by_name("Tapan", within="35.75", level=Level.DESA_KELURAHAN)[0]
    assert exact.score == 100.0
    assert fuzzy.region.name == "Tapa'an"
    assert 80.0 <= fuzzy.score < 100.0


@pytest.mark.django_db
def test_unrelated_text_finds_nothing():
    assert regions_by_name("Surabaya Pusat", within="35.75", level=Level.DESA_KELURAHAN) == []
    assert regions_by_name("   ", within="35.75") == []


@pytest.mark.django_db
def test_gadingrejo_is_ambiguous_until_the_level_is_given():
    both = {m.region.level for m in regions_by_name("Gadingrejo", within="35.75")}
    assert both == {Level.KECAMATAN, Level.DESA_KELURAHAN}


@pytest.mark.django_db
def test_an_admin_can_teach_a_landmark():
    assert regions_by_name("Pos Kamling Melati", within="35.75", level=Level.DESA_KELURAHAN) == []
    region_alias_add(region=Region.objects.get(code="35.75.04.1011"), name="Pos Kamling Melati")
    match = regions_by_name("pos kamling melati", within="35.75", level=Level.DESA_KELURAHAN)[0]
    assert match.region.code == "35.75.04.1011"
    assert match.region.aliases.get().source == AliasSource.LANDMARK
