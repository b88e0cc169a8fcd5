"""The site's locales without a query per lookup.

A public page asks for locales many times (the active one, the default one, each page's and
snippet's own for its `lang` attribute): each of Wagtail's `Locale.get_active()`,
`Locale.get_default()` and `page.locale` is a query. Here the few rows of the locale table are
one of the pieces public pages share (website/pagecache.py: kept under the content
generation, which a locale saved or deleted, or the database migrated, renews), and held for
the rest of a request (or Celery task) in memory, so that a page's locale lookups cost no
query and, once a process has read the table, no round trip to the cache.
"""

from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.signals import request_started
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

from website import pagecache


@dataclass(frozen=True)
class LocaleTable:
    by_id: dict[int, Locale]
    by_code: dict[str, Locale]
    # Languages found to have no locale, during this request.
    missing: set[str] = field(default_factory=set)


_memo: ContextVar[LocaleTable | None] = ContextVar("website_locales", default=None)


def table() -> LocaleTable:
    """Every locale, by id and by language code."""
    memo = _memo.get()
    if memo is not None:
        return memo
    rows = pagecache.cached("locales", lambda: list(Locale.objects.order_by("pk")))
    memo = LocaleTable(
        by_id={locale.pk: locale for locale in rows},
        by_code={locale.language_code: locale for locale in rows},
    )
    _memo.set(memo)
    return memo


def _by_code(code: str | None) -> Locale | None:
    try:
        variant = get_supported_content_language_variant(code)
    except LookupError:
        return None
    locales = table()
    locale = locales.by_code.get(variant)
    if locale is None and variant not in locales.missing:
        # A language with no locale yet, or one added where no signal is sent (a data
        # migration, raw SQL): asked of the database, and the table read afresh if it is new.
        locale = Locale.objects.filter(language_code=variant).first()
        if locale is not None:
            _locale_changed()
        else:
            locales.missing.add(variant)
    return locale


def default_locale() -> Locale:
    """As `Locale.get_default()`."""
    from django.conf import settings

    locale = _by_code(settings.LANGUAGE_CODE)
    return locale if locale is not None else Locale._uncached_get_default()


def active_locale() -> Locale:
    """As `Locale.get_active()`: the locale of the language being shown, else the default."""
    locale = _by_code(translation.get_language())
    return locale if locale is not None else default_locale()


def locale_of(obj) -> Locale:
    """A translatable object's locale (as `obj.locale`), remembered on the object."""
    field = type(obj)._meta.get_field("locale")
    if field.is_cached(obj):
        return obj.locale
    locale = table().by_id.get(obj.locale_id)
    if locale is None:
        return obj.locale
    field.set_cached_value(obj, locale)
    return locale


def forget(**_kwargs) -> None:
    """Drop what is known of the locales: at the start of each request, and when one changes."""
    _memo.set(None)


def _locale_changed(**_kwargs) -> None:
    pagecache.bump()
    forget()


def _get_default(cls) -> Locale:
    return default_locale()


def _get_active(cls) -> Locale:
    return active_locale()


def _migrated(**_kwargs) -> None:
    _locale_changed()


def connect() -> None:
    """Forget the table at each request and on each change; and answer Wagtail's own
    `Locale.get_default()` / `Locale.get_active()` from it (page routing, translations)."""
    if not hasattr(Locale, "_uncached_get_default"):
        Locale._uncached_get_default = Locale.get_default
        Locale.get_default = classmethod(_get_default)
        Locale.get_active = classmethod(_get_active)
    from celery.signals import task_prerun
    from django.db.models.signals import post_migrate

    request_started.connect(forget, dispatch_uid="website.locales.forget")
    task_prerun.connect(forget, dispatch_uid="website.locales.forget_task", weak=False)
    post_migrate.connect(_migrated, dispatch_uid="website.locales.migrated")
    post_save.connect(_locale_changed, sender=Locale, dispatch_uid="website.locales.saved")
    post_delete.connect(_locale_changed, sender=Locale, dispatch_uid="website.locales.deleted")
