"""Photos from reporters (and with cases' documents): accept JPEG, PNG and WebP only, refuse bombs, and keep a
copy without metadata.

Re-encoding drops EXIF (GPS position, camera serial, time), XMP and ICC comments: a photo must never reveal
where or with what phone a reporter stood.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is plenty; more is a decompression bomb
MAX_SIDE = 2560  # larger photos are scaled down before they are kept


class PhotoError(ValueError):
    """A photo that is refused, with a message for the person who sent it."""


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int
    sha256: str


def photo_clean(data: bytes, *, max_bytes: int) -> CleanPhoto:
    if len(data) > max_bytes:
        raise PhotoError(_("The photo is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format or ""
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise PhotoError(_("This file is not a photo Sigap can read (JPEG, PNG or WebP).")) from None
    if kind not in ALLOWED:
        raise PhotoError(_("Only JPEG, PNG or WebP photos are accepted."))
    if width * height > MAX_PIXELS:
        raise PhotoError(_("The photo has too many pixels."))
    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened)  # keep the visible orientation, then drop the EXIF block
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        out = io.BytesIO()
        if kind == "JPEG":
            image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
        elif kind == "PNG":
            image.save(out, "PNG", optimize=True)
        else:
            image.save(out, "WEBP", quality=85)
        size = image.size
    content = out.getvalue()
    return CleanPhoto(
        content=content,
        content_type=ALLOWED[kind],
        extension=kind.lower().replace("jpeg", "jpg"),
        width=size[0],
        height=size[1],
        sha256=hashlib.sha256(content).hexdigest(),
    )
