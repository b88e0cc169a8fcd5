"""Checking and cleaning photos sent by the public.

A file is accepted only if Pillow recognises it as a JPEG, PNG or WebP by its content (the
name and the declared type are ignored), it is under the size limit, and its pixel count is
under the limit *before* it is decoded (so a decompression bomb is refused unopened). An
accepted photo is turned upright, shrunk to a sensible size and re-encoded as a fresh JPEG:
EXIF, GPS and every other metadata do not survive.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
DEFAULT_MAX_FILES = 4
MAX_EDGE = 2000
JPEG_QUALITY = 85


def max_bytes() -> int:
    return getattr(settings, "SUBMISSION_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_pixels() -> int:
    return getattr(settings, "SUBMISSION_PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def max_files() -> int:
    return getattr(settings, "SUBMISSION_PHOTO_MAX_FILES", DEFAULT_MAX_FILES)


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    width: int
    height: int
    original_name: str


def clean_photo(upload) -> CleanPhoto:
    """The photo re-encoded without metadata, or a ValidationError saying what is wrong."""
    name = (getattr(upload, "name", "") or "")[-255:]
    if upload.size > max_bytes():
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s); photos can be at most %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_bytes()),
            }
        )
    not_a_photo = ValidationError(
        _("“%(name)s” is not a photo we can use: send a JPEG, PNG or WebP image.") % {"name": name}
    )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise not_a_photo
                width, height = probe.size
                if width * height > max_pixels():
                    raise too_many_pixels(name)
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
                cleaned = prepare(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many_pixels(name) from error
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ) as error:
        raise not_a_photo from error
    buffer = io.BytesIO()
    cleaned.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return CleanPhoto(buffer.getvalue(), cleaned.width, cleaned.height, name)


def too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” has too many pixels; send a photo of at most %(limit)s megapixels.")
        % {"name": name, "limit": max_pixels() // 1_000_000}
    )


def prepare(image: Image.Image) -> Image.Image:
    """Upright, RGB on white where it was transparent, at most MAX_EDGE pixels a side; a new
    image, so nothing of the original's metadata comes along."""
    image = ImageOps.exif_transpose(image)
    if image.mode in {"RGBA", "LA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    image.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    return clean
