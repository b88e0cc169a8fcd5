"""Where photos of unpublished submissions wait until their postcard is published: the
"private" entry of STORAGES. On local disk that is a directory outside MEDIA_ROOT that no web
server serves (`private-media` beside MEDIA_ROOT, or the PRIVATE_MEDIA_ROOT setting); with
MEDIA_STORAGE=s3 it is a private bucket, and a moderator is sent to a signed address that
expires after PRIVATE_MEDIA_URL_SECONDS. Everything that touches these files goes through the
storage API (open, save, delete), never a path on this machine."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty


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


class _PrivateStorage(LazyObject):
    """The configured private storage, looked up again when STORAGES changes (tests)."""

    def _setup(self) -> None:
        self._wrapped = storages["private"]


_private = _PrivateStorage()


def _reset(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        _private._wrapped = empty


setting_changed.connect(_reset, dispatch_uid="postcards_private_storage_reset")


def private_storage() -> Storage:
    return _private


def signed_url(name: str) -> str | None:
    """A short-lived address of a private file for a moderator's browser, or None when the
    store has none (local disk: the file is streamed by the view instead)."""
    try:
        return private_storage().url(name)
    except (ValueError, NotImplementedError):
        return None
