"""Uploaded images lose their EXIF, GPS and other metadata before they are stored.

Wagtail copies an original's EXIF into every rendition it makes (Willow's save_as_jpeg and
save_as_png pass it on), so the place to clean is the original, once, before it reaches the
storage: a `pre_save` receiver on the image model and on Wagtail's `UploadedFile` (where the
multiple upload parks a file whose form needs more fields). Every upload path saves through
one of them with the file not yet written: the image form (add, replace, chooser upload),
the multiple upload, and code that saves images (factories, the demo). The picture is
turned upright by its EXIF orientation first, then re-encoded from its pixels alone; its ICC
colour profile is kept, nothing else. A file that carries no metadata (postcards, cleaned
when they are sent) is stored as it came. Images stored before this existed are cleaned by
`manage.py strip_image_metadata`.
"""

import io
import logging
import os
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models.signals import pre_save
from PIL import Image, ImageOps, UnidentifiedImageError
from wagtail.utils.file import hash_filelike

logger = logging.getLogger(__name__)

# Format as read -> format written. MPO is how Pillow reads a phone's multi-picture JPEG.
FORMATS = {"GIF": "GIF", "JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
# What Pillow reads from a file that is about how to show its pixels, not about the picture.
HARMLESS_INFO = {
    "adobe",
    "adobe_transform",
    "aspect",
    "background",
    "dpi",
    "duration",
    "gamma",
    "icc_profile",
    "interlace",
    "jfif",
    "jfif_density",
    "jfif_unit",
    "jfif_version",
    "lossless",
    "loop",
    "progression",
    "progressive",
    "srgb",
    "transparency",
    "version",
}
JPEG_QUALITY = 90


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    width: int
    height: int


def has_metadata(image: Image.Image) -> bool:
    return bool(image.getexif()) or bool(set(image.info) - HARMLESS_INFO)


def strip_metadata(data: bytes) -> CleanImage | None:
    """The picture upright and re-encoded without metadata, or None when there is nothing
    to clean (no metadata) or it is not an image Pillow reads (Wagtail's form refuses
    those). An animation keeps its frames and timing, and loses the rest."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            written = FORMATS.get(image.format or "")
            if written is None or not has_metadata(image):
                return None
            if getattr(image, "n_frames", 1) > 1 and image.format != "MPO":
                return _strip_animation(image, written)
            image.load()
            icc_profile = image.info.get("icc_profile")
            transparency = image.info.get("transparency")
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return None
    # A new image from the pixels alone: nothing of the file's metadata comes along.
    clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    if upright.mode == "P":
        clean.putpalette(upright.getpalette())
    options: dict = {"icc_profile": icc_profile} if icc_profile else {}
    if written == "JPEG":
        if clean.mode not in {"RGB", "L", "CMYK"}:
            clean = clean.convert("RGB")
        options.update(quality=JPEG_QUALITY, optimize=True)
    elif written in {"PNG", "GIF"}:
        options["optimize"] = True
        if transparency is not None:
            options["transparency"] = transparency
    else:
        options["quality"] = JPEG_QUALITY
    buffer = io.BytesIO()
    clean.save(buffer, format=written, **options)
    return CleanImage(buffer.getvalue(), clean.width, clean.height)


def _strip_animation(image: Image.Image, written: str) -> CleanImage:
    """Pillow writes an animation's EXIF and XMP only when asked to, and its comments and
    extensions from the image's info, which is emptied of them first."""
    image.info = {key: value for key, value in image.info.items() if key in HARMLESS_INFO}
    buffer = io.BytesIO()
    image.save(buffer, format=written, save_all=True)
    return CleanImage(buffer.getvalue(), image.width, image.height)


def clean_unsaved_file(sender, instance, **kwargs) -> None:
    """pre_save: a file not yet written to the storage is written clean."""
    field_file = getattr(instance, "file", None)
    if not field_file or getattr(field_file, "_committed", True):
        return
    field_file.seek(0)
    cleaned = strip_metadata(field_file.read())
    field_file.seek(0)
    if cleaned is None:
        return
    instance.file = ContentFile(cleaned.content, name=os.path.basename(field_file.name))
    if hasattr(instance, "width"):
        instance.width, instance.height = cleaned.width, cleaned.height
    if hasattr(instance, "file_size"):
        instance.file_size = len(cleaned.content)
    if hasattr(instance, "file_hash"):
        instance.file_hash = hash_filelike(io.BytesIO(cleaned.content))


def clean_stored(image) -> bool:
    """Clean an image already stored: a new original replaces the old, its renditions go
    (the worker makes them again, clean, from the new one). True if it was cleaned."""
    with image.open_file() as stored:
        cleaned = strip_metadata(stored.read())
    if cleaned is None:
        return False
    old_name = image.file.name
    image.file.save(os.path.basename(old_name), ContentFile(cleaned.content), save=False)
    image.width, image.height = cleaned.width, cleaned.height
    image.file_size = len(cleaned.content)
    image.file_hash = hash_filelike(io.BytesIO(cleaned.content))
    image.save(update_fields=["file", "width", "height", "file_size", "file_hash"])
    image.renditions.all().delete()
    image.file.storage.delete(old_name)
    return True


def connect() -> None:
    from wagtail.images import get_image_model
    from wagtail.models import UploadedFile

    pre_save.connect(clean_unsaved_file, sender=get_image_model(), dispatch_uid="images.clean")
    pre_save.connect(clean_unsaved_file, sender=UploadedFile, dispatch_uid="uploads.clean")
