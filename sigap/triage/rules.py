"""Category and urgency suggestions from Indonesian text, with the words that led to them. Plain Python.

Patterns match word beginnings on folded text, so suffixed forms count ("bentrok" finds "bentrokan"); the
common verbal prefixes (di-, ter-, ber-, meng-...) are spelled out where they matter ("dihakimi").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sigap.regions.names import fold
from sigap.triage.choices import Category, Urgency


def _pattern(words: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + words + r")\w*", re.IGNORECASE)


_CLASH = _pattern(
    r"bentrok|ricuh|keributan|ribut|adu mulut|saling dorong|lempar|melempar|dilempar|pelemparan|tawuran|"
    r"perkelahian|berkelahi|bacok|membacok|dibacok|serang|menyerang|diserang|penyerangan|keroyok|mengeroyok|"
    r"dikeroyok|pengeroyokan|pukul|memukul|dipukul|pemukulan|ketegangan|tegang|provokasi|memprovokasi"
)
_ELECTION = _pattern(
    r"pendukung|paslon|simpatisan|relawan|kampanye|konvoi|tim sukses|timses|calon|pilkada|"
    r"pilwali|pemilu|tps|coblos|kpu|bawaslu|saksi"
)
# Each category: (strong patterns, weight) lists. A match adds its weight; the best total wins.
_CATEGORY_PATTERNS: dict[Category, list[tuple[re.Pattern[str], float]]] = {
    Category.POLITIK_UANG: [
        (
            _pattern(
                r"amplop|serangan fajar|politik uang|money politic|bagi uang|bagi-bagi uang|"
                r"membagikan uang|dibagikan uang|uang rp|sembako"
            ),
            3.0,
        )
    ],
    Category.KAMPANYE_HITAM_SARA: [
        (
            _pattern(
                r"sara|kampanye hitam|black campaign|kafir|fitnah|menghina agama|"
                r"menyerang agama|selebaran"
            ),
            3.0,
        )
    ],
    Category.NETRALITAS_ASN: [
        (
            _pattern(
                r"asn|pns|aparatur|netralitas|tidak netral|mengarahkan warga|"
                r"mengarahkan memilih"
            ),
            3.0,
        )
    ],
    Category.HOAKS_UJARAN_KEBENCIAN: [
        (
            _pattern(
                r"hoaks|hoax|kabar bohong|berita bohong|berita palsu|"
                r"ujaran kebencian|pesan berantai|video lama|diklaim|disinformasi"
            ),
            3.0,
        ),
        (_pattern(r"media sosial|medsos|grup whatsapp|grup wa|akun|facebook|tiktok"), 1.0),
    ],
    Category.SENGKETA_HASIL: [
        (
            _pattern(
                r"hitung ulang|penghitungan suara|perhitungan suara|rekapitulasi|rekap|"
                r"hasil penghitungan|menolak menandatangani|kecurangan|curang|kotak suara|"
                r"formulir c|sirekap"
            ),
            3.0,
        )
    ],
    Category.IDENTITAS: [
        (
            _pattern(
                r"agama|gereja|masjid|musala|ibadah|suku|etnis|madura|tionghoa|pendatang|"
                r"syiah|ahmadiyah|rasis"
            ),
            2.0,
        )
    ],
    Category.SUMBER_DAYA: [
        (
            _pattern(
                r"sengketa lahan|lahan|tanah|pengembang|tambang|galian|sumber air|irigasi|"
                r"lapak|parkir|nelayan|tambak"
            ),
            2.5,
        )
    ],
    Category.BATAS_WILAYAH: [(_pattern(r"batas desa|batas wilayah|batas kelurahan|tapal batas|patok"), 3.0)],
    Category.TATA_KELOLA: [
        (
            _pattern(
                r"bansos|bantuan sosial|blt|bantuan|tidak merata|pelayanan|kebijakan|"
                r"covid|masker|protokol kesehatan|kerumunan|pungli"
            ),
            2.0,
        )
    ],
    Category.MAIN_HAKIM_SENDIRI: [
        (
            _pattern(
                r"dihakimi|main hakim|amuk massa|diamuk|dipukuli massa|maling|"
                r"pencuri|copet|begal"
            ),
            3.0,
        )
    ],
    Category.RUMOR: [(_pattern(r"isu|kabar|katanya|belum jelas|beredar|penculikan|simpang siur"), 1.5)],
}
_WEAPONS = _pattern(
    r"senjata|sajam|celurit|clurit|parang|golok|pisau|pedang|bom|molotov|pistol|senapan|panah|"
    r"ketapel|lempar batu|melempar batu"
)
_VIOLENCE = _pattern(
    r"luka|terluka|korban|meninggal|tewas|dibakar|membakar|pembakaran|penjarahan|dijarah|"
    r"perusakan|dirusak|merusak|dipukul|dibacok|ditusuk|berdarah"
)
_GRAVE = _pattern(r"meninggal|tewas|dibakar|membakar|pembakaran|penjarahan|dijarah")
_CROWD = re.compile(r"\b(?:massa|ratusan|puluhan|ribuan)\b|\b(\d{2,5})\s*(?:orang|warga)\b", re.IGNORECASE)
_VULNERABLE = _pattern(r"anak|perempuan|lansia|ibu hamil|disabilitas|balita|pelajar|siswa")
_MOBILISATION = _pattern(r"pengerahan massa|mobilisasi|dikerahkan|konvoi|massa dari luar")


@dataclass(frozen=True)
class Suggestion:
    value: str | int
    confidence: float
    reasons: list[str] = field(default_factory=list)


def _hits(pattern: re.Pattern[str], text: str) -> list[str]:
    return sorted({m.group(0).lower() for m in pattern.finditer(text)})


# What the text model's labels add: hate against a religion or race is SARA (in an election, a black campaign);
# other hate speech falls in the hoax/hate-speech lane.
_LABEL_WORDS = {"HS_Religion": "agama", "HS_Race": "ras/etnis", "HS_Strong": "kuat", "HS": "ujaran kebencian"}


def _model_votes(labels: dict[str, float], election: bool) -> tuple[Category, float, str] | None:
    if "HS" not in labels:
        return None
    if "HS_Religion" in labels or "HS_Race" in labels:
        target = Category.KAMPANYE_HITAM_SARA if election else Category.IDENTITAS
    else:
        target = Category.HOAKS_UJARAN_KEBENCIAN
    named = ", ".join(f"{_LABEL_WORDS.get(k, k)} {v:.2f}" for k, v in labels.items() if k in _LABEL_WORDS)
    return target, 2.0 + 2.0 * labels["HS"], f"model teks: {named}"


def suggest_category(text: str, model_labels: dict[str, float] | None = None) -> Suggestion:
    folded = fold(text)
    scores: dict[Category, float] = {}
    reasons: dict[Category, list[str]] = {}
    vote = _model_votes(model_labels or {}, bool(_hits(_ELECTION, folded)))
    if vote:
        scores[vote[0]] = vote[1]
        reasons[vote[0]] = [vote[2]]
    for category, patterns in _CATEGORY_PATTERNS.items():
        for pattern, weight in patterns:
            words = _hits(pattern, folded)
            if words:
                scores[category] = scores.get(category, 0.0) + weight * min(len(words), 3)
                reasons.setdefault(category, []).extend(words)
    clash, election = _hits(_CLASH, folded), _hits(_ELECTION, folded)
    if clash:
        target = Category.BENTROK_PENDUKUNG if election else Category.LAINNYA
        scores[target] = scores.get(target, 0.0) + 2.5 * min(len(clash), 3) + (1.0 if election else 0.0)
        reasons.setdefault(target, []).extend(clash + election)
    elif election and (_hits(_WEAPONS, folded) or _CROWD.search(folded)):
        # Armed or massed supporters are a clash in the making, before anyone writes "bentrok".
        scores[Category.BENTROK_PENDUKUNG] = scores.get(Category.BENTROK_PENDUKUNG, 0.0) + 2.0
        reasons.setdefault(Category.BENTROK_PENDUKUNG, []).extend(election + _hits(_WEAPONS, folded))
    if not scores:
        return Suggestion(Category.LAINNYA.value, 0.2, ["tidak ada kata kunci kategori"])
    best = max(scores, key=lambda c: (scores[c], c.value))
    confidence = round(scores[best] / sum(scores.values()), 2)
    return Suggestion(best.value, confidence, [f"kata: {', '.join(sorted(set(reasons[best])))}"])


def _crowd_size(text: str) -> int:
    largest = 0
    for match in _CROWD.finditer(text):
        if match.group(1):
            largest = max(largest, int(match.group(1)))
        else:
            word = match.group(0).lower()
            largest = max(largest, {"puluhan": 20, "massa": 30, "ratusan": 200, "ribuan": 1000}.get(word, 0))
    return largest


def suggest_urgency(
    text: str,
    *,
    weapons_seen: bool = False,
    mass_mobilisation: bool = False,
    crowd_size: str = "",
    online_provocation: bool = False,
    model_labels: dict[str, float] | None = None,
) -> Suggestion:
    """Signs of violence, weapons, crowds and vulnerable groups, from the text and from the form's own fields."""
    folded = fold(text)
    reasons: list[str] = []
    weapons = _hits(_WEAPONS, folded)
    if weapons or weapons_seen:
        reasons.append("senjata: " + (", ".join(weapons) if weapons else "dicentang pelapor"))
    violence, grave = _hits(_VIOLENCE, folded), _hits(_GRAVE, folded)
    if violence:
        reasons.append("kekerasan: " + ", ".join(violence))
    people = max(_crowd_size(folded), {"1-10": 5, "11-50": 30, "51-100": 80, "100+": 150}.get(crowd_size, 0))
    if people:
        reasons.append(f"massa sekitar {people} orang")
    mobilised = _hits(_MOBILISATION, folded)
    if mobilised or mass_mobilisation:
        reasons.append("pengerahan massa: " + (", ".join(mobilised) if mobilised else "dicentang pelapor"))
    vulnerable = _hits(_VULNERABLE, folded)
    if vulnerable:
        reasons.append("kelompok rentan: " + ", ".join(vulnerable))
    if online_provocation:
        reasons.append("provokasi daring: dicentang pelapor")
    strong_hate = (model_labels or {}).get("HS_Strong")
    if strong_hate:
        reasons.append(f"ujaran kebencian kuat (model teks {strong_hate:.2f})")

    armed = bool(weapons or weapons_seen)
    if grave or (armed and (people >= 11 or violence)):
        level = Urgency.CRITICAL
    elif armed or violence or people > 50 or mobilised or mass_mobilisation:
        level = Urgency.HIGH
    elif people > 10 or vulnerable or online_provocation or strong_hate:
        level = Urgency.MEDIUM
    else:
        level = Urgency.LOW
    confidence = 0.9 if reasons else 0.5
    return Suggestion(int(level), confidence, reasons or ["tidak ada tanda kekerasan, senjata, atau massa"])
