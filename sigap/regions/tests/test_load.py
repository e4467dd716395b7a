import pytest
from django.core.management import CommandError, call_command

from sigap.regions.choices import Level
from sigap.regions.models import Region, RegionAlias
from sigap.regions.services import kabkota_catalogue, regions_load


@pytest.mark.django_db
def test_kota_pasuruan_is_loaded_with_boundaries():
    city = Region.objects.get(code="35.75")
    assert city.name == "Kota Pasuruan"
    assert city.parent.code == "35"
    kecamatan = Region.objects.under("35.75").filter(level=Level.KECAMATAN)
    assert sorted(kecamatan.values_list("name", flat=True)) == [
        "Bugul Kidul",
        "Gadingrejo",
        "Panggungrejo",
        "Purworejo",
    ]
    kelurahan = Region.objects.under("35.75").filter(level=Level.DESA_KELURAHAN)
    assert kelurahan.count() == 34
    assert kelurahan.filter(boundary__isnull=True).count() == 0
    assert {k.name for k in kelurahan.filter(parent__name="Bugul Kidul")} == {
        "Bakalan",
        "Blandongan",
        "Bugul Kidul",
        "Kepel",
        "Krampyangan",
        "Tapa'an",
    }
    assert city.population and city.population > 200_000
    assert Region.objects.get(code="35.75.04.1010").boundary_source == "kota_pasuruan_kelurahan"


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    before = Region.objects.count(), RegionAlias.objects.count()
    result = regions_load(code="35.75")
    assert result.created == 0
    assert result.updated == 40
    assert (Region.objects.count(), RegionAlias.objects.count()) == before


@pytest.mark.django_db
def test_any_kabupaten_kota_loads_with_the_boundaries_that_are_shipped():
    assert len(kabkota_catalogue()) == 514
    result = regions_load(code="11.01")  # Kabupaten Aceh Selatan: kab/kota and province boundaries only
    assert result.name == "Kabupaten Aceh Selatan"
    assert result.by_level[Level.KECAMATAN] > 10
    assert Region.objects.get(code="11.01").boundary_source == "indonesia_kabkota"
    assert Region.objects.under("11.01").filter(level=Level.KECAMATAN).exclude(boundary=None).count() == 0
    neighbour = regions_load(code="35.14")  # Kabupaten Pasuruan: Jawa Timur kecamatan boundaries are shipped
    assert neighbour.with_boundary >= 24
    assert Region.objects.get(code="35.14").boundary_source == "jatim_kabkota"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["99.99", "35", "35.75.04", "pasuruan", ""])
def test_an_unknown_code_gets_a_clear_error(code):
    with pytest.raises(CommandError, match="bukan kabupaten/kota"):
        call_command("regions", "load", code, "--no-progress")


@pytest.mark.django_db
def test_the_command_lists_codes_by_name(capsys):
    call_command("regions", "list", "pasuruan")
    out = capsys.readouterr().out
    assert "35.14\tKabupaten Pasuruan" in out
    assert "35.75\tKota Pasuruan" in out
