import io

import pytest
from PIL import Image

from sigap.core.photos import PhotoError, photo_clean

GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (640, 480), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0131] = "Reporter's phone"  # software
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (7.0, 38.0, 30.0), 3: "E", 4: (112.0, 54.0, 10.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_location_and_camera_metadata_are_removed():
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(GPS_IFD)  # the test photo really carries a position
    clean = photo_clean(original, max_bytes=5_000_000)
    with Image.open(io.BytesIO(clean.content)) as after:
        assert not after.getexif()
        assert "exif" not in after.info
    assert b"PhoneMaker" not in clean.content and b"Reporter" not in clean.content
    assert (clean.content_type, clean.width, clean.height) == ("image/jpeg", 640, 480)


def test_large_photos_are_scaled_down():
    out = io.BytesIO()
    Image.new("RGB", (5000, 3000), "white").save(out, "PNG")
    clean = photo_clean(out.getvalue(), max_bytes=50_000_000)
    assert max(clean.width, clean.height) == 2560


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "bukan foto"),
        (b"GIF89a" + b"\x00" * 100, "bukan foto"),
        (b"%PDF-1.4 not an image", "bukan foto"),
    ],
)
def test_files_that_are_not_photos_are_refused(data, message):  # messages in Bahasa, the default language
    with pytest.raises(PhotoError, match=message):
        photo_clean(data, max_bytes=5_000_000)


def test_oversize_and_wrong_type_are_refused():
    with pytest.raises(PhotoError, match="lebih besar"):
        photo_clean(b"x" * 2_000_000, max_bytes=1_048_576)
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    with pytest.raises(PhotoError, match="Hanya foto JPEG, PNG, atau WebP"):
        photo_clean(gif.getvalue(), max_bytes=5_000_000)
