"""Test settings: fast hashing, local memory cache, eager tasks unless a test starts a worker."""

from .base import *  # noqa: F403
from .base import (
    BASE_DIR,
    DATABASES,
    PIECES_CACHE,
    SILENCED_SYSTEM_CHECKS,
    STORAGES,
    fixed_fernet_key,
)

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
FIELD_ENCRYPTION_KEYS = [fixed_fernet_key("test-only-field-encryption-key")]
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pieces": PIECES_CACHE,
}
# Tests count the rate limits within their own process, in the local-memory cache, which
# django-ratelimit refuses as not shared.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "django_ratelimit.E003"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = BASE_DIR / ".test-media"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "website.search_backend"}}

# A file, not memory, so that a Celery worker started by a test sees the same database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}

# Sign-in failures are counted in the test database; tests of the shared-cache count switch
# to django-axes' cache handler themselves.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# Page speed (#17): the page cache is off in tests but for those of tests/website/
# test_page_cache.py, which turn it on (a page kept from one test would show in the next).
PAGE_CACHE_SECONDS = 0
