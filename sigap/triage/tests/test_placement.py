import pytest

from sigap.regions.models import Region
from sigap.regions.services import region_alias_add
from sigap.triage.placement import place_from_text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Keributan di pasar Kel. Bugul Lor tadi malam", "35.75.04.1010"),
        ("ada amplop dibagi di tapaan rw 3", "35.75.03.1003"),
        ("LAPOR Krampyangan spanduk sara", "35.75.03.1006"),
        ("warga Sekargadung resah", "35.75.02.1011"),
        ("kejadian di Kandangsapy dekat gang", "35.75.04.1011"),  # a typo in a long name
    ],
)
def test_a_kelurahan_named_in_the_text_places_the_report(text, code):
    suggestion = place_from_text(text, within="35.75")
    assert suggestion is not None and suggestion.region.code == code
    assert suggestion.reason


@pytest.mark.django_db
def test_a_name_shared_with_a_kecamatan_is_less_sure_unless_written_as_kelurahan():
    plain = place_from_text("ribut di Gadingrejo", within="35.75")
    explicit = place_from_text("ribut di Kelurahan Gadingrejo", within="35.75")
    assert plain.region.code == explicit.region.code == "35.75.01.1009"
    assert plain.confidence < explicit.confidence


@pytest.mark.django_db
def test_no_place_is_guessed_from_ordinary_words():
    assert place_from_text("ada keributan di dekat rumah saya tadi malam", within="35.75") is None


@pytest.mark.django_db
def test_landmarks_taught_by_an_admin_place_reports():
    region_alias_add(region=Region.objects.get(code="35.75.04.1011"), name="Pos Kamling Melati")
    assert place_from_text("ada lemparan batu di pos kamling melati", within="35.75").region.code == "35.75.04.1011"
