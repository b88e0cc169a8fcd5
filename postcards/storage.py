"""Where photos of unpublished submissions wait: a directory outside MEDIA_ROOT that no web
server serves (`private-media` beside MEDIA_ROOT, or the PRIVATE_MEDIA_ROOT setting). They
become public Wagtail images only when their postcard is published."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_media_root() -> Path:
    configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT).parent / "private-media"


class PrivateStorage(FileSystemStorage):
    """File storage in the private media directory, worked out from the settings each time
    (so tests can move it), with no public address."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return private_media_root()

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public address.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()
