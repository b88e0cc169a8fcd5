"""Hostile and ordinary uploads: only real images pass, cleaned of their metadata; nothing
makes the server fail."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from postcards.uploads import clean_photo


def jpeg_with_gps(size=(800, 600)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # orientation: rotate 90
    gps = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def png_bomb(width=30_000, height=30_000) -> bytes:
    """A tiny PNG that claims 900 million pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * 16)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def upload(content: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_real_photo_is_re_encoded_without_exif_or_gps_and_turned_upright():
    cleaned = clean_photo(upload(jpeg_with_gps()))
    image = Image.open(io.BytesIO(cleaned.content))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert "exif" not in image.info
    assert (cleaned.width, cleaned.height) == (600, 800)


def test_a_png_header_on_an_html_file_is_refused():
    hostile = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"
    with pytest.raises(ValidationError, match="not a photo"):
        clean_photo(upload(hostile, "cat.png", "image/png"))


def test_a_text_file_named_jpg_is_refused():
    with pytest.raises(ValidationError, match="not a photo"):
        clean_photo(upload(b"GIF89a but not really", "x.jpg"))


def test_a_decompression_bomb_is_refused_before_decoding():
    with pytest.raises(ValidationError, match="too many pixels"):
        clean_photo(upload(png_bomb(), "bomb.png", "image/png"))


def test_a_huge_file_is_refused_by_size(settings):
    settings.SUBMISSION_PHOTO_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="too large"):
        clean_photo(upload(jpeg_with_gps()))


def test_a_gif_is_refused_and_a_large_photo_is_shrunk():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    with pytest.raises(ValidationError):
        clean_photo(upload(buffer.getvalue(), "a.gif", "image/gif"))
    big = io.BytesIO()
    Image.new("RGBA", (4000, 1000), (0, 0, 0, 0)).save(big, format="PNG")
    cleaned = clean_photo(upload(big.getvalue(), "wide.png", "image/png"))
    assert (cleaned.width, cleaned.height) == (2000, 500)


def test_a_truncated_jpeg_is_refused():
    with pytest.raises(ValidationError):
        clean_photo(upload(jpeg_with_gps()[:300]))
