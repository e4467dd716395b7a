"""The shape of the demo month: election calendar, report templates, escalating threads. Plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sigap.triage.choices import Category, Urgency

VOTING_DAY = date(2020, 12, 9)
START = date(2020, 11, 20)
END = date(2020, 12, 20)


def election_phase(day: date) -> str:
    """Pilkada 2020 calendar: campaign to 5 Dec, masa tenang 6-8 Dec, voting 9 Dec, recapitulation after."""
    if day <= date(2020, 12, 5):
        return "kampanye"
    if day < VOTING_DAY:
        return "masa_tenang"
    if day == VOTING_DAY:
        return "pemungutan"
    return "rekapitulasi"


# Relative weight of each category by phase: money politics peaks in the quiet period ("serangan fajar"),
# clashes and disputes over results after voting.
PHASE_WEIGHTS: dict[str, dict[Category, float]] = {
    "kampanye": {
        Category.KAMPANYE_HITAM_SARA: 3,
        Category.HOAKS_UJARAN_KEBENCIAN: 3,
        Category.NETRALITAS_ASN: 2,
        Category.POLITIK_UANG: 2,
        Category.TATA_KELOLA: 2,
        Category.BENTROK_PENDUKUNG: 1,
        Category.SUMBER_DAYA: 1,
        Category.MAIN_HAKIM_SENDIRI: 1,
        Category.RUMOR: 2,
        Category.LAINNYA: 1,
    },
    "masa_tenang": {
        Category.POLITIK_UANG: 5,
        Category.KAMPANYE_HITAM_SARA: 2,
        Category.HOAKS_UJARAN_KEBENCIAN: 2,
        Category.NETRALITAS_ASN: 1,
        Category.RUMOR: 2,
        Category.BENTROK_PENDUKUNG: 1,
    },
    "pemungutan": {
        Category.POLITIK_UANG: 3,
        Category.BENTROK_PENDUKUNG: 2,
        Category.HOAKS_UJARAN_KEBENCIAN: 2,
        Category.RUMOR: 2,
        Category.LAINNYA: 1,
    },
    "rekapitulasi": {
        Category.SENGKETA_HASIL: 3,
        Category.HOAKS_UJARAN_KEBENCIAN: 3,
        Category.BENTROK_PENDUKUNG: 2,
        Category.RUMOR: 2,
        Category.TATA_KELOLA: 1,
        Category.SUMBER_DAYA: 1,
        Category.LAINNYA: 1,
    },
}
# Reports per day for the whole city, by phase.
PHASE_RATE = {"kampanye": 5.0, "masa_tenang": 8.0, "pemungutan": 12.0, "rekapitulasi": 6.0}

# Templates in Bahasa Indonesia; slots: {kel} kelurahan, {rw} RW number, {n} people, {paslon} pair number,
# {tempat} a place, {lawan} the other pair.
TEMPLATES: dict[Category, list[str]] = {
    Category.BENTROK_PENDUKUNG: [
        "Terjadi adu mulut antara pendukung paslon {paslon} dan paslon {lawan} di dekat {tempat}, Kel. {kel}. "
        "Sekitar {n} orang berkumpul, sempat saling dorong.",
        "Konvoi pendukung paslon {paslon} melintas di RW {rw} {kel}, warga pendukung paslon {lawan} melempar botol. "
        "Kurang lebih {n} orang terlibat.",
        "Ketegangan antar-pendukung di {tempat} ({kel}), ada yang membawa senjata tajam. Massa sekitar {n} orang.",
    ],
    Category.POLITIK_UANG: [
        "Ada pembagian amplop berisi uang Rp50.000 kepada warga RW {rw} Kel. {kel} atas nama paslon {paslon}.",
        "Warga {kel} melaporkan pembagian sembako dengan stiker paslon {paslon} di {tempat} malam hari.",
        "Diduga serangan fajar di RW {rw} {kel}: tim paslon {paslon} mendatangi rumah warga membawa uang.",
    ],
    Category.KAMPANYE_HITAM_SARA: [
        "Beredar selebaran yang menyerang agama salah satu calon di {tempat}, Kel. {kel}.",
        "Spanduk berisi ujaran bernada SARA terhadap paslon {paslon} dipasang di RW {rw} {kel}.",
    ],
    Category.NETRALITAS_ASN: [
        "Seorang ASN kelurahan {kel} terlihat ikut kampanye paslon {paslon} di {tempat}.",
        "Ketua RT di RW {rw} {kel} mengarahkan warga memilih paslon {paslon} saat pembagian bantuan.",
    ],
    Category.HOAKS_UJARAN_KEBENCIAN: [
        "Pesan berantai di grup WhatsApp warga {kel} menyebut surat suara sudah dicoblos untuk paslon {paslon}.",
        "Akun media sosial menyebarkan ujaran kebencian kepada pendukung paslon {lawan} dan menyebut RW {rw} {kel}.",
        "Beredar video lama yang diklaim kericuhan di {tempat} {kel} hari ini, warga mulai resah.",
    ],
    Category.SENGKETA_HASIL: [
        "Saksi paslon {lawan} menolak menandatangani hasil penghitungan di TPS RW {rw} {kel}, "
        "sekitar {n} orang protes.",
        "Massa sekitar {n} orang mendatangi kantor kelurahan {kel} menuntut hitung ulang suara.",
    ],
    Category.TATA_KELOLA: [
        "Warga RW {rw} {kel} protes pembagian bansos Covid-19 yang dianggap tidak merata, sekitar {n} orang berkumpul.",
        "Kerumunan kampanye tanpa masker di {tempat} {kel}, warga khawatir penularan Covid-19.",
    ],
    Category.SUMBER_DAYA: [
        "Sengketa lahan antara warga RW {rw} {kel} dan pengembang perumahan memanas, {n} warga menghadang alat berat.",
        "Perebutan lapak parkir di {tempat} {kel} antara dua kelompok pemuda.",
    ],
    Category.MAIN_HAKIM_SENDIRI: [
        "Seorang terduga pencuri motor dihakimi massa di {tempat}, Kel. {kel}.",
    ],
    Category.RUMOR: [
        "Ada kabar akan ada pengerahan massa dari luar kota ke {tempat} {kel} besok, belum jelas sumbernya.",
        "Isu penculikan anak beredar di RW {rw} {kel}, warga berjaga-jaga malam hari.",
    ],
    Category.LAINNYA: [
        "Keributan pemuda mabuk di {tempat} {kel} tengah malam, warga terganggu.",
    ],
}

# What the team told the public about the rumours it found untrue: a phrase of the report's template, then the claim and
# the finding in the team's words ({kel}: the incident's kelurahan).
CLARIFICATIONS = [
    (
        "surat suara sudah dicoblos",
        "Surat suara Pilkada di Kelurahan {kel} sudah dicoblos untuk salah satu pasangan calon.",
        "KPU Kota Pasuruan dan Bawaslu bersama Polres Pasuruan Kota memeriksa gudang logistik: surat suara masih "
        "tersegel dan belum dibagikan ke TPS. Pesan berantai itu tidak benar.",
    ),
    (
        "video lama",
        "Video kericuhan di {kel} yang beredar hari ini.",
        "Diskominfo dan Polres Pasuruan Kota memeriksa: video itu rekaman lama dari tempat lain. Tidak ada kericuhan "
        "di {kel}; situasi aman.",
    ),
    (
        "penculikan anak",
        "Ada penculikan anak di {kel}.",
        "Bhabinkamtibmas dan Polsek setempat memeriksa: tidak ada laporan anak hilang atau penculikan di {kel}. "
        "Mohon tidak menyebarkan kabar ini; laporkan bila melihat hal yang mencurigakan.",
    ),
    (
        "pengerahan massa dari luar kota",
        "Akan ada pengerahan massa dari luar kota ke {kel}.",
        "Polres Pasuruan Kota dan Kodim 0819 tidak menemukan rencana pengerahan massa; situasi aman terkendali.",
    ),
]

PLACES = [
    "pasar",
    "masjid",
    "balai RW",
    "pos kamling",
    "lapangan",
    "warung kopi",
    "alun-alun",
    "terminal",
    "pelabuhan",
    "SD negeri",
    "gang buntu",
    "perempatan jalan",
]

URGENCY_BY_CATEGORY = {
    Category.BENTROK_PENDUKUNG: Urgency.HIGH,
    Category.SENGKETA_HASIL: Urgency.HIGH,
    Category.MAIN_HAKIM_SENDIRI: Urgency.HIGH,
    Category.SUMBER_DAYA: Urgency.MEDIUM,
    Category.POLITIK_UANG: Urgency.MEDIUM,
    Category.KAMPANYE_HITAM_SARA: Urgency.MEDIUM,
    Category.HOAKS_UJARAN_KEBENCIAN: Urgency.MEDIUM,
    Category.TATA_KELOLA: Urgency.MEDIUM,
    Category.NETRALITAS_ASN: Urgency.LOW,
    Category.RUMOR: Urgency.LOW,
    Category.LAINNYA: Urgency.LOW,
}


@dataclass(frozen=True)
class Thread:
    """A problem that grows over several days in one place, reported many times (merged into one incident)."""

    kelurahan: str
    category: Category
    start: date
    days: int
    title: str
    resolved_after_days: int | None  # None: still open at the end of the month


THREADS = [
    Thread(
        "Trajeng",
        Category.BENTROK_PENDUKUNG,
        date(2020, 12, 7),
        6,
        "Ketegangan pendukung paslon di Trajeng",
        None,
    ),
    Thread(
        "Blandongan",
        Category.SUMBER_DAYA,
        date(2020, 11, 24),
        9,
        "Sengketa lahan warga dan pengembang di Blandongan",
        12,
    ),
    Thread(
        "Mayangan",
        Category.SENGKETA_HASIL,
        date(2020, 12, 10),
        4,
        "Protes hasil penghitungan suara di Mayangan",
        6,
    ),
]

GIVEN_NAMES = [
    "Ahmad",
    "Siti",
    "Budi",
    "Nur",
    "Agus",
    "Dewi",
    "Slamet",
    "Yuliani",
    "Hasan",
    "Rina",
    "Joko",
    "Fatimah",
    "Imam",
    "Lestari",
    "Samsul",
    "Wahyuni",
    "Rudi",
    "Endang",
    "Abdul",
    "Sri",
]
FAMILY_NAMES = [
    "Hidayat",
    "Santoso",
    "Rahmawati",
    "Wibisono",
    "Fauzi",
    "Susanti",
    "Prasetyo",
    "Maulana",
    "Kurniawan",
    "Handayani",
    "Syaifudin",
    "Setiawan",
    "Anwar",
    "Wulandari",
    "Hakim",
    "Mulyono",
]
