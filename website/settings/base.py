"""Settings shared by every environment.

The environment is read here, once; the other settings modules only change defaults.
Every variable is documented in `.env.example`. With nothing set the site runs on SQLite,
and development sends Celery tasks to a broker kept in files (see dev.py).
"""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def object_storages(
    *,
    media_bucket: str,
    private_bucket: str,
    media_prefix: str = "media",
    private_prefix: str = "private",
    custom_domain: str | None = None,
    private_url_seconds: int = 300,
) -> dict[str, dict]:
    """The "default" (public media) and "private" (unpublished postcard photos) entries of
    STORAGES in S3-compatible buckets; the connection comes from the AWS_S3_* settings."""
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": media_bucket,
                "location": media_prefix,
                "custom_domain": custom_domain,
                # Public objects at plain addresses: pages and feeds link to them for years.
                "querystring_auth": False,
                "file_overwrite": False,
                "object_parameters": {"CacheControl": "public, max-age=31536000"},
            },
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": private_bucket,
                "location": private_prefix,
                # Every address is signed and expires: the bucket itself answers no one.
                "querystring_auth": True,
                "querystring_expire": private_url_seconds,
                "file_overwrite": False,
                "default_acl": "private",
                "object_parameters": {"CacheControl": "private, no-store"},
            },
        },
    }


def s3_origins(
    buckets: list[str], endpoint: str | None, region: str | None, custom_domain: str | None
) -> list[str]:
    """Where browsers fetch objects of these buckets from (path- or host-style addresses)."""
    origins = [f"https://{custom_domain}"] if custom_domain else []
    if endpoint:
        scheme, _, host = endpoint.rstrip("/").partition("://")
        origins.append(f"{scheme}://{host}")
        origins += [f"{scheme}://{bucket}.{host}" for bucket in buckets]
    else:
        hosts = ["s3.amazonaws.com"] + ([f"s3.{region}.amazonaws.com"] if region else [])
        origins += [f"https://{bucket}.{host}" for bucket in buckets for host in hosts]
    return list(dict.fromkeys(origins))


def fixed_fernet_key(text: str) -> str:
    """A valid Fernet key made from a fixed text: for development and tests only."""
    return base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).decode()


SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Fernet keys for the secrets stored in the database (website/encryption.py), comma-separated,
# the newest first: it encrypts, all of them decrypt. Production refuses to start without one.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEY")

INSTALLED_APPS = [
    "website",
    "website.signin",
    "blog",
    "postcards",
    "mentoring",
    "ambassadors",
    "campaigns",
    "social",
    "conduct",  # code-of-conduct complaints and removals
    "volunteers",  # volunteers: records, position descriptions, code of conduct, noticeboard
    "surveys",  # surveys (#15)
    "reporting",  # statistics: dashboard, partner reports, public figures (#15)
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",  # page speed (#17): purges a CDN when one is configured
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "website.apps.WagtailUsersConfig",  # wagtail.users with the account rules of our permissions
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_countries",
    "timezone_field",
    "django_celery_beat",
    "anymail",
    "axes",
    "django_ratelimit",  # its system checks refuse a cache the processes do not share
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: a load balancer's health check needs no host, HTTPS, session or language.
    "website.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Page speed (#17): anonymous visitors' public pages from the shared cache (its key holds
    # the language set just above; a hit skips everything below).
    "website.pagecache.AnonymousPageCacheMiddleware",
    # The Wagtail site of the request from the same cache, instead of a query every request.
    "website.pagecache.SiteMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "website.signin.middleware.AdminSignInMiddleware",
    # volunteers: the code of conduct and position descriptions before any other admin page
    "volunteers.middleware.AcceptanceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "website.permissions.AdminPermissionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "website.admin_guards.AdminInputGuardMiddleware",
    # Last, as django-axes requires: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Page speed (#17): Django's form templates, with the long choice lists written in Python.
FORM_RENDERER = "website.forms.FormRenderer"

ROOT_URLCONF = "website.urls"
WSGI_APPLICATION = "website.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: PostgreSQL from DATABASE_URL in production and CI, SQLite otherwise.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat share the file: WAL lets readers go on while one
    # writes, and IMMEDIATE takes the write lock when a transaction begins, so a writer waits
    # its turn (up to `timeout` seconds) instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "website.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# django-axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    CACHES = {
        # Django's Redis backend, with one client per connection pool (website/cache.py).
        "default": {"BACKEND": "website.cache.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The pieces that public pages share, stored under the content generation (menus, settings,
# image tags): each process keeps a copy of what it read from the default cache.
PIECES_CACHE = {
    "BACKEND": "website.cache.GenerationalCache",
    "LOCATION": "default",
    "TIMEOUT": 3600,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
CACHES["pieces"] = PIECES_CACHE
# The public forms' rate limits (website/public_forms.py) are counted in that cache.
RATELIMIT_USE_CACHE = "default"

# Page speed (#17): public pages kept in the shared cache for anonymous visitors (0 turns
# it off), purged on every published change (website/pagecache.py); browsers and proxies may
# keep a page PAGE_CACHE_BROWSER_SECONDS. With a CDN or caching proxy that accepts HTTP PURGE
# requests, FRONTEND_CACHE_PURGE_URL makes Wagtail purge a published page's address there.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
PAGE_CACHE_BROWSER_SECONDS = env_int("PAGE_CACHE_BROWSER_SECONDS", 60)
FRONTEND_CACHE_PURGE_URL = env_str("FRONTEND_CACHE_PURGE_URL")
WAGTAILFRONTENDCACHE = (
    {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
        }
    }
    if FRONTEND_CACHE_PURGE_URL
    else {}
)

# Languages. The program runs in English; the interface and the promotional pages are
# translated. wagtail-localize replaces Wagtail's own locales app.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Photos of unpublished postcards: never served by the web server (postcards/storage.py).
    "private": {"BACKEND": "postcards.storage.PrivateStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# --- Media for many machines (#17): object storage -------------------------------------------
# MEDIA_STORAGE=s3: uploaded media in a public bucket and the private postcard store in a
# private bucket of any S3-compatible service (django-storages), so every web process and
# Celery worker on every machine reads and writes the same files. Moderators see a private
# photo through a signed address that expires after PRIVATE_MEDIA_URL_SECONDS.
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "local").lower()
PRIVATE_MEDIA_URL_SECONDS = env_int("PRIVATE_MEDIA_URL_SECONDS", 300)
# Hosts media is served from when it is not this site: allowed in img-src (CSP) below.
MEDIA_ORIGINS: list[str] = []
if MEDIA_STORAGE not in {"local", "s3"}:
    raise ImproperlyConfigured('MEDIA_STORAGE is "local" (the default) or "s3".')
if MEDIA_STORAGE == "s3":
    AWS_S3_ENDPOINT_URL = env_str("S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = env_str("S3_REGION") or None
    AWS_S3_ACCESS_KEY_ID = env_str("S3_ACCESS_KEY_ID") or None
    AWS_S3_SECRET_ACCESS_KEY = env_str("S3_SECRET_ACCESS_KEY") or None
    AWS_S3_ADDRESSING_STYLE = env_str("S3_ADDRESSING_STYLE") or None
    AWS_S3_SIGNATURE_VERSION = "s3v4"
    S3_MEDIA_DOMAIN = env_str("S3_MEDIA_DOMAIN") or None
    _buckets = [env_str("S3_MEDIA_BUCKET"), env_str("S3_PRIVATE_BUCKET")]
    if not all(_buckets) or _buckets[0] == _buckets[1]:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs S3_MEDIA_BUCKET (public media) and S3_PRIVATE_BUCKET (the "
            "photos of unpublished postcards), two different buckets."
        )
    STORAGES.update(
        object_storages(
            media_bucket=_buckets[0],
            private_bucket=_buckets[1],
            media_prefix=env_str("S3_MEDIA_PREFIX", "media"),
            private_prefix=env_str("S3_PRIVATE_PREFIX", "private"),
            custom_domain=S3_MEDIA_DOMAIN,
            private_url_seconds=PRIVATE_MEDIA_URL_SECONDS,
        )
    )
    MEDIA_ORIGINS = s3_origins(
        _buckets,
        endpoint=AWS_S3_ENDPOINT_URL,
        region=AWS_S3_REGION_NAME,
        custom_domain=S3_MEDIA_DOMAIN,
    )
# --- end: media for many machines ------------------------------------------------------------
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email: console unless an SMTP host is configured.
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "International Librarians Network <hello@example.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# An email provider through django-anymail instead of SMTP (e.g. "postmark", "mailgun",
# "sendgrid", "brevo", "amazon_ses"); its events come to /anymail/<provider>/tracking/,
# protected by basic auth with ANYMAIL_WEBHOOK_SECRET ("user:password") and, for the
# providers that sign them, the signature checked with ANYMAIL_WEBHOOK_SIGNING_KEY. In
# production a provider without them is a system check error (campaigns/checks.py).
ANYMAIL_ESP = env_str("ANYMAIL_ESP").lower()
ANYMAIL_CREDENTIAL_NAMES = {
    "brevo": "API_KEY",
    "mailersend": "API_TOKEN",
    "mailgun": "API_KEY",
    "mailjet": "API_KEY",
    "mandrill": "API_KEY",
    "postal": "API_KEY",
    "postmark": "SERVER_TOKEN",
    "resend": "API_KEY",
    "sendgrid": "API_KEY",
    "sparkpost": "API_KEY",
}
# The providers that sign their webhooks, and anymail's name for the key that checks them.
ANYMAIL_SIGNING_KEY_NAMES = {
    "mailersend": "SIGNING_SECRET",
    "mailgun": "WEBHOOK_SIGNING_KEY",
    "mandrill": "WEBHOOK_KEY",
    "postal": "WEBHOOK_KEY",
    "resend": "SIGNING_SECRET",
    "sendgrid": "TRACKING_WEBHOOK_VERIFICATION_KEY",
}
ANYMAIL = {"WEBHOOK_SECRET": env_str("ANYMAIL_WEBHOOK_SECRET") or None}
if ANYMAIL_ESP:
    EMAIL_BACKEND = f"anymail.backends.{ANYMAIL_ESP}.EmailBackend"
    if ANYMAIL_ESP in ANYMAIL_CREDENTIAL_NAMES:
        ANYMAIL[f"{ANYMAIL_ESP.upper()}_{ANYMAIL_CREDENTIAL_NAMES[ANYMAIL_ESP]}"] = env_str(
            "ANYMAIL_API_KEY"
        )
    if env_str("ANYMAIL_WEBHOOK_SIGNING_KEY") and ANYMAIL_ESP in ANYMAIL_SIGNING_KEY_NAMES:
        ANYMAIL[f"{ANYMAIL_ESP.upper()}_{ANYMAIL_SIGNING_KEY_NAMES[ANYMAIL_ESP]}"] = env_str(
            "ANYMAIL_WEBHOOK_SIGNING_KEY"
        )
# Production sets it: a provider whose webhooks are not authenticated is then an error.
EMAIL_WEBHOOK_AUTH_REQUIRED = False
# Where mailto: unsubscribe requests go (an inbound route of the provider to anymail).
EMAIL_UNSUBSCRIBE_ADDRESS = env_str(
    "EMAIL_UNSUBSCRIBE_ADDRESS",
    "unsubscribe@" + DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >"),
)
# The global rate of bulk mail (campaigns and other program mail), for all workers together,
# counted in Redis (the broker's). 0: no limit. Transactional mail is never held back.
EMAIL_RATE_PER_SECOND = env_int("EMAIL_RATE_PER_SECOND", 0)
EMAIL_RATE_PER_DAY = env_int("EMAIL_RATE_PER_DAY", 0)
# A campaign's driver holds its campaign for this long between renewals (it renews five
# times as often); beat's dispatcher, every CAMPAIGN_DISPATCH_SECONDS, hands a campaign whose
# driver died to another once the lease has lapsed: sending resumes within about 25 s.
CAMPAIGN_LEASE_SECONDS = 15
CAMPAIGN_DISPATCH_SECONDS = 10
# A driver queued behind other mail is given this long to start before another is queued.
CAMPAIGN_QUEUED_GRACE_SECONDS = 120
CAMPAIGN_MAX_ATTEMPTS = 5
CAMPAIGN_SMTP_TIMEOUT = 10
CAMPAIGN_MAX_WAIT_IN_WORKER = 2.0
CAMPAIGN_RETRY_AFTER_REFUSAL = 30

# Celery's resilience: workers outlive their broker and their own deaths.
# - A lost broker (Redis restarted, unreachable for minutes) is retried for ever, at start
#   and while running, instead of the worker exiting.
# - A task is acknowledged when it ends (acks_late above), so one whose worker died is
#   delivered again once the visibility timeout passes; the leases of campaigns and matching
#   runs make a second delivery harmless and beat recovers them sooner. Every countdown stays
#   below CELERY_MAX_COUNTDOWN_SECONDS, well within the visibility timeout, because Redis
#   would deliver a message waiting longer a second time.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_CONNECTION_TIMEOUT = 10
CELERY_BROKER_POOL_LIMIT = 10
# A task running when the broker goes away finishes; its message comes back after the
# visibility timeout and finds its work done (cancelling it would leave messages in doubt).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_BROKER_VISIBILITY_TIMEOUT = env_int("CELERY_BROKER_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 5,
    "socket_timeout": 30,
    "socket_keepalive": True,
    "retry_on_timeout": True,
    "health_check_interval": 25,
}
CELERY_MAX_COUNTDOWN_SECONDS = 300
# A matching run's worker renews its lease every MATCHING_LEASE_SECONDS / 4 from a
# heartbeat thread; beat requeues a run whose lease lapsed (or fails it after
# MATCHING_MAX_ATTEMPTS), so a killed run is running again within about 2 minutes.
MATCHING_LEASE_SECONDS = 60
MATCHING_RECOVER_SECONDS = 30
MATCHING_MAX_ATTEMPTS = 3

# Celery: Redis in production and CI. Without CELERY_BROKER_URL, development uses the
# embedded broker (files in .broker/, see dev.py) and the other settings run tasks eagerly.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
EMBEDDED_BROKER_FOLDER = Path(env_str("CELERY_BROKER_FOLDER", str(BASE_DIR / ".broker")))
EMAIL_RATE_REDIS_URL = CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else ""
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "*.send_*": {"queue": "mail"},
    "mentoring.tasks.run_matching": {"queue": "matching"},
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-pages": {
        "task": "website.tasks.publish_scheduled_pages",
        "schedule": 60.0,
    },
    "remove-abandoned-submission-photos": {
        "task": "postcards.tasks.remove_abandoned_submission_photos",
        "schedule": 6 * 3600.0,
    },
    "mentoring-round-schedule": {
        "task": "mentoring.tasks.run_round_schedule",
        "schedule": 300.0,
    },
    "ambassadors-marketing-kits": {
        "task": "ambassadors.tasks.send_marketing_kits",
        "schedule": 900.0,
    },
    "ambassadors-term-reminders": {
        "task": "ambassadors.tasks.send_term_reminders",
        "schedule": 3600.0,
    },
    "campaigns-dispatch": {
        "task": "campaigns.tasks.dispatch_campaigns",
        "schedule": float(CAMPAIGN_DISPATCH_SECONDS),
    },
    "mentoring-recover-runs": {
        "task": "mentoring.tasks.recover_matching_runs",
        "schedule": float(MATCHING_RECOVER_SECONDS),
    },
    "social-recover-stuck-posts": {
        "task": "social.tasks.recover_stuck_posts",
        "schedule": 300.0,
    },
    # Code of conduct: complaints past their retention period are anonymised.
    "conduct-anonymise-complaints": {
        "task": "conduct.tasks.anonymise_expired_complaints",
        "schedule": 24 * 3600.0,
    },
    # volunteers: terms (recommit-or-resign emails, lapsed terms) and noticeboard digests
    "volunteers-term-reminders": {
        "task": "volunteers.tasks.send_term_reminders",
        "schedule": 3600.0,
    },
    "volunteers-noticeboard-digests": {
        "task": "volunteers.tasks.send_noticeboard_digests",
        "schedule": 3600.0,
    },
    # surveys (#15): each due survey's links and its one reminder, once each
    "surveys-send-round-surveys": {
        "task": "surveys.tasks.send_round_surveys",
        "schedule": 3600.0,
    },
}

# Code of conduct: a decided complaint keeps its names, addresses, text and evidence files
# this many days after the decision, then beat anonymises it (its kind of decision and its
# dates stay). Evidence files a participant or director uploads are at most this large.
CONDUCT_RETENTION_DAYS = env_int("CONDUCT_RETENTION_DAYS", 3 * 365)
CONDUCT_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024

# How many proxies (load balancer, reverse proxy) stand in front of the site, each adding
# the address it saw to X-Forwarded-For. The visitor's address, which the rate limits of the
# public forms count by, is the one the outermost proxy saw. 0: no proxy, REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Social auto-posting: pages of these types are posted to the configured networks (the
# "social networks" site setting) when first published.
SOCIAL_AUTOPOST_PAGE_TYPES = ["blog.BlogPage", "blog.DiscussionTopicPage", "postcards.PostcardPage"]
# The LinkedIn API version the posts are made with (YYYYMM; LinkedIn keeps each version for
# about a year: move it on when LinkedIn announces a version's sunset).
LINKEDIN_API_VERSION = env_str("LINKEDIN_API_VERSION", "202610")

# Wagtail
WAGTAIL_SITE_NAME = "International Librarians Network"
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "website.search_backend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatar requests to a third-party host
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
# Approving a workflow publishes with the workflow's authority (website.workflows).
WAGTAIL_FINISH_WORKFLOW_ACTION = "website.workflows.publish_approved"
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Accessibility (#19): the rich text editor named by its block's label (website/rich_text.py).
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "website.rich_text.NamedDraftailRichTextArea"},
}

# Roles: the Wagtail groups made by the data migrations `website.0004_roles_and_workflow` and
# `website.0006_permission_model` (the README's Roles table).
DIRECTORS_GROUP = "Directors"
CONTENT_OFFICERS_GROUP = "Content officers"
GUEST_EDITORS_GROUP = "Guest editors"
AMBASSADORS_GROUP = "Ambassadors"
SOCIAL_COORDINATORS_GROUP = "Social coordinators"
COMMUNICATIONS_OFFICERS_GROUP = "Communications officers"
DATA_OFFICERS_GROUP = "Data officers"
EDITORIAL_WORKFLOW_NAME = "Editorial review"
# Made by the ambassadors app for each translated locale's root page (ambassadors.services.locales).
TRANSLATION_WORKFLOW_NAME = "Translation review"
TRANSLATION_REVIEW_TASK_NAME = "Review of a translation by a director"
# wagtail-localize makes every new translation a draft, which goes through review before it
# is published, whatever the state of its source.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

# Admin sign-in (website.signin). Lockout by django-axes: after AXES_FAILURE_LIMIT failed
# attempts (a wrong password or a wrong second-factor code) for one account, or from one
# address, both are refused for SIGNIN_LOCKOUT_MINUTES, counted from the last failure. With a
# shared cache (CACHE_URL) the failures are counted there, so every web process sees them at
# once and nothing is written to the database per attempt; without one, in the database,
# which all processes share (a local-memory cache would count per process).
AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 5)
SIGNIN_LOCKOUT_MINUTES = env_int("SIGNIN_LOCKOUT_MINUTES", 30)
AXES_COOLOFF_TIME = timedelta(minutes=SIGNIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = (
    "axes.handlers.cache.AxesCacheHandler"
    if CACHE_URL
    else "axes.handlers.database.AxesDatabaseHandler"
)
AXES_CLIENT_IP_CALLABLE = "website.http.signin_client_address"
AXES_LOCKOUT_CALLABLE = "website.signin.views.locked_out"
# A right password alone clears nothing; a completed sign-in clears the account's count.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
# Second factor (django-otp: TOTP, with single-use recovery codes) is required of these
# groups and of superusers; every other volunteer may enrol from their account menu.
SIGNIN_SECOND_FACTOR_GROUPS = [DIRECTORS_GROUP, DATA_OFFICERS_GROUP]
SIGNIN_RECOVERY_CODE_COUNT = 10
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
# A signed-in session ends after this long without a request (website.signin.middleware);
# other sessions keep Django's default, and visitors who store nothing get none.
SIGNIN_IDLE_HOURS = env_int("SIGNIN_IDLE_HOURS", 12)

# Content-Security-Policy (django-csp 4): nothing from any other host, on any public page.
# The Wagtail admin has a policy of its own, ADMIN_CONTENT_SECURITY_POLICY below, set by
# website.signin.middleware.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# The admin's policy: nothing from another host and no inline or eval'd script (the admin's
# own inline scripts are replaced: see website.signin.choosers). Wagtail's editor injects
# <style> elements and sets style attributes from its scripts, so inline styles are allowed
# there (and only there); tests/browser/test_admin_signin.py records no violation.
ADMIN_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", *MEDIA_ORIGINS],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail's live preview shows the site in a frame of the admin, on the same origin; so
# SAMEORIGIN rather than DENY, and Django's deploy warning about it is silenced for that reason.
X_FRAME_OPTIONS = "SAMEORIGIN"
# django-ratelimit lists only memcached and django-redis as supported; Django's own Redis
# backend (CACHE_URL) is shared and increments atomically too.
SILENCED_SYSTEM_CHECKS = ["security.W019", "django_ratelimit.W001"]

# Services the tests must find when REQUIRE_SERVICES / REQUIRE_BROWSER are set (CI).
REQUIRE_SERVICES = env_bool("REQUIRE_SERVICES")
REQUIRE_BROWSER = env_bool("REQUIRE_BROWSER")
CHROMIUM_PATH = env_str("CHROMIUM_PATH", "/usr/bin/chromium")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# Statistics (#15): how many days a partner-report link sent to a liaison keeps working.
PARTNER_REPORT_LINK_DAYS = env_int("PARTNER_REPORT_LINK_DAYS", 30)
