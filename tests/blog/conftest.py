import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
