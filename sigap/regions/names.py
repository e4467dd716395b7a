"""Folding of region names for tolerant matching. Plain Python; no Django."""

from __future__ import annotations

import re
import unicodedata

# Administrative prefixes people write in front of a name ("Kel. Bugul Lor", "Desa Sumberrejo").
# "Kota" is not among them: many desa are called "Kota ..." (e.g. "Kota Palak").
_PREFIX = re.compile(
    r"^(?:kelurahan|kel|desa|ds|kecamatan|kec|kabupaten|kab|provinsi|prov)(?:\.|\s)+",
)
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def fold(text: str) -> str:
    """Lower case, accents removed, apostrophes dropped, runs of space squeezed."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(ascii_text.lower().replace("'", "").replace("`", "").split())


def name_key(text: str) -> str:
    """The matching key: 'Kel. Bugul Lor', 'bugullor' and 'BUGUL-LOR' all give 'bugullor'."""
    folded = fold(text)
    while True:
        stripped = _PREFIX.sub("", folded, count=1)
        if stripped == folded:
            break
        folded = stripped
    return _NOT_ALNUM.sub("", folded)
