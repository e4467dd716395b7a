"""Reading back the PDFs Sigap prints, in tests: no PDF library needed for fpdf2's plain output."""

import re
import zlib


def pdf_text(data: bytes) -> str:
    """The words a PDF shows (fpdf2's core-font strings in its zlib-compressed page streams), lines joined by a
    space as a reader would (a table cell wraps its words over several lines)."""
    words = []
    # Each stream read by its /Length: its compressed bytes may end in a byte a pattern would take for a line end.
    for head in re.finditer(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", data):
        try:
            content = zlib.decompress(data[head.end() : head.end() + int(head.group(1))])
        except zlib.error:
            continue
        for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content):
            words.append(re.sub(rb"\\(.)", rb"\1", literal).decode("latin-1"))
    return " ".join(" ".join(words).split())
