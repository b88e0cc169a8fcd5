"""Local development: debug on, a fixed insecure key, static files served from the apps, the
embedded broker and email kept in the outbox."""

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    CACHE_URL,
    CELERY_BROKER_URL,
    EMAIL_BACKEND,
    EMBEDDED_BROKER_FOLDER,
    FIELD_ENCRYPTION_KEYS,
    SECRET_KEY,
    SILENCED_SYSTEM_CHECKS,
    STORAGES,
    fixed_fernet_key,
)

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or [fixed_fernet_key("dev-only-field-encryption-key")]

# The embedded default: without CELERY_BROKER_URL, tasks go to a broker kept in files under
# EMBEDDED_BROKER_FOLDER (kombu's filesystem transport: no server to install), read by the
# worker and beat that `make run` starts beside the web server. Production uses Redis.
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(EMBEDDED_BROKER_FOLDER / "queue"),
        "data_folder_out": str(EMBEDDED_BROKER_FOLDER / "queue"),
        "control_folder": str(EMBEDDED_BROKER_FOLDER / "control"),
        "processed_folder": str(EMBEDDED_BROKER_FOLDER / "processed"),
    }
    CELERY_TASK_ALWAYS_EAGER = False

# Without CACHE_URL each process keeps a local-memory cache, and the public forms' rate limits
# are counted per process: django-ratelimit refuses that cache as not shared, which is fine for
# the single web process of `make run`. Production requires CACHE_URL (website/checks.py).
if not CACHE_URL:
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "django_ratelimit.E003"]

# Without an SMTP host or a provider, email is not printed whole: each message is one log
# line, and its row in the admin's Outbox holds the rest.
if EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
    EMAIL_BACKEND = "website.outbox.OutboxLogBackend"
