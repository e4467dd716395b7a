import pytest

from sigap.triage.choices import Category, Urgency
from sigap.triage.rules import suggest_category, suggest_urgency


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Diduga serangan fajar, tim paslon 01 membagikan amplop ke warga", Category.POLITIK_UANG),
        ("Terjadi bentrokan antara pendukung paslon 01 dan 02 di perempatan", Category.BENTROK_PENDUKUNG),
        ("Massa pendukung paslon 02 membawa celurit berkumpul", Category.BENTROK_PENDUKUNG),
        # prefixed verbs: "melempar" does not begin with "lempar" (the demo's #184 was "Lainnya")
        ("Konvoi pendukung paslon 01 melintas, warga pendukung paslon 02 melempar botol", Category.BENTROK_PENDUKUNG),
        ("Relawan paslon 02 dipukul dan dikeroyok di dekat posko", Category.BENTROK_PENDUKUNG),
        ("Pesan berantai hoaks di grup WhatsApp: surat suara sudah dicoblos", Category.HOAKS_UJARAN_KEBENCIAN),
        ("Seorang ASN kelurahan ikut kampanye dan mengarahkan warga", Category.NETRALITAS_ASN),
        ("Saksi menolak menandatangani hasil penghitungan suara, minta hitung ulang", Category.SENGKETA_HASIL),
        ("Selebaran SARA menyerang agama salah satu calon", Category.KAMPANYE_HITAM_SARA),
        ("Seorang terduga maling dihakimi massa di gang", Category.MAIN_HAKIM_SENDIRI),
        ("Sengketa lahan warga dengan pengembang perumahan memanas", Category.SUMBER_DAYA),
        ("Warga protes pembagian bansos Covid-19 tidak merata", Category.TATA_KELOLA),
        ("Pergeseran patok tapal batas antara dua kelurahan", Category.BATAS_WILAYAH),
        ("Lampu jalan mati sudah seminggu", Category.LAINNYA),
    ],
)
def test_categories_from_indonesian_text(text, expected):
    suggestion = suggest_category(text)
    assert suggestion.value == expected
    assert suggestion.reasons and 0 < suggestion.confidence <= 1


def test_a_category_says_which_words_led_to_it():
    assert "amplop" in suggest_category("pembagian amplop di RW 2").reasons[0]


@pytest.mark.parametrize(
    ("text", "fields", "expected"),
    [
        ("Warga berkumpul membahas jadwal ronda", {}, Urgency.LOW),
        ("Sekitar 30 orang protes di balai RW", {}, Urgency.MEDIUM),
        ("Ada yang membawa celurit di dekat TPS", {}, Urgency.HIGH),
        ("Massa 100 orang membawa senjata tajam dan parang", {}, Urgency.CRITICAL),
        ("Rumah warga dibakar massa", {}, Urgency.CRITICAL),
        ("Keributan kecil", {"weapons_seen": True}, Urgency.HIGH),
        ("Keributan kecil", {"crowd_size": "100+"}, Urgency.HIGH),
        ("Anak-anak ketakutan mendengar ancaman", {}, Urgency.MEDIUM),
    ],
)
def test_urgency_from_signs_in_the_text_and_the_form(text, fields, expected):
    suggestion = suggest_urgency(text, **fields)
    assert suggestion.value == expected, suggestion.reasons


def test_more_severe_signs_never_lower_the_urgency():
    base = "Pendukung paslon berkumpul di lapangan"
    levels = [
        suggest_urgency(t).value
        for t in (
            base,
            base + ", sekitar 30 orang",
            base + ", 60 orang bawa parang",
            base + ", 60 orang bawa parang, rumah dibakar",
        )
    ]
    assert levels == sorted(levels)
