import pytest

from sigap.regions.names import fold, name_key


@pytest.mark.parametrize(
    "text",
    ["Bugul Lor", "bugullor", "Kel. Bugul Lor", "KELURAHAN BUGUL LOR", "bugul-lor", "  Bugul   Lor ", "Kel.Bugul Lor"],
)
def test_spellings_of_one_kelurahan_share_a_key(text):
    assert name_key(text) == "bugullor"


def test_apostrophes_and_accents_fold_away():
    assert name_key("Gadingrejo'an") == "gadingrejoan"
    assert fold("Désa  Sumbér") == "desa sumber"


def test_kota_is_part_of_a_name_not_a_prefix():
    # Many desa are called "Kota ..."; stripping it would merge them with other names.
    assert name_key("Kota Palak") == "kotapalak"
    assert name_key("Kabupaten Pasuruan") == "pasuruan"
    assert name_key("Kec. Panggungrejo") == "panggungrejo"


def test_empty_and_punctuation_only_give_an_empty_key():
    assert name_key("") == ""
    assert name_key("Kel. ...") == ""
