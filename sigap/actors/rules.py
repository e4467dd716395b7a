"""Finding a registered group in free text: pure functions, no database."""

from __future__ import annotations

from collections.abc import Iterable

from sigap.cases.rules import normalise

# Words that name no group on their own: an alias made only of them would match half the reports.
GENERIC_WORDS = {
    "warga", "kelompok", "massa", "pendukung", "pihak", "dan", "dengan", "rt", "rw", "kel", "kelurahan", "desa",
    "orang", "masyarakat", "tim", "relawan", "paslon", "calon", "partai", "ormas", "pemuda", "oknum", "aparat",
    "the", "group", "people", "residents", "supporters",
}  # fmt: skip


def alias_problem(alias: str) -> str | None:
    """Why an alias cannot be used to find the group in reports, or None."""
    words = normalise(alias).split()
    if not words:
        return "no letters or digits"
    if all(w in GENERIC_WORDS or len(w) < 3 and not w.isdigit() for w in words):
        return "too general"
    return None


def name_found(names: Iterable[str], text: str) -> str | None:
    """The first of `names` that the text contains as whole words, in order (case, accents and punctuation
    ignored): "paslon 01" is in "pendukung Paslon-01 melempar botol", not in "paslon 02 di RW 01"."""
    haystack = f" {normalise(text)} "
    for name in names:
        needle = normalise(name)
        if needle and alias_problem(name) is None and f" {needle} " in haystack:
            return name
    return None
