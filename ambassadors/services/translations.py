"""Ambassadors translate promotional pages with wagtail-localize, into their own languages only,
and hear when the English source changes after they translated it."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize.operations import translate_object

from ambassadors.models import ENGLISH, Ambassador, PromoPage
from ambassadors.services.locales import language_label, locale_root
from website.outbox import queue_email


def can_translate(user, page: Page, locale: Locale) -> bool:
    """May this user create the page's translation in this locale? They need the right to add
    pages where it would go: under the parent's translation, or the locale's root."""
    if locale.pk == page.locale_id or page.get_translation_or_none(locale) is not None:
        return False
    parent = page.get_parent().get_translation_or_none(locale)
    target = parent or locale_root(locale)
    return target is not None and target.permissions_for_user(user).can_add_subpage()


def translate_page(user, page: Page, locale: Locale) -> Page:
    """Make the page's translation in this locale, a draft, through wagtail-localize."""
    if not can_translate(user, page, locale):
        raise PermissionDenied
    translate_object(page.specific, [locale], user=user)
    return page.get_translation(locale).specific


def is_outdated(translation: Page, source: Page) -> bool:
    """Has the English source been published since the translation was last edited?"""
    edited = translation.latest_revision_created_at
    return bool(source.last_published_at and edited and source.last_published_at > edited)


def admin_url(page: Page) -> str:
    return settings.BASE_URL + reverse("wagtailadmin_pages:edit", args=[page.pk])


def flag_outdated(source: PromoPage) -> int:
    """Email, once per published version of the English page, each ambassador whose language
    has a translation that is now older than the English. Returns how many emails were queued."""
    if source.locale.language_code != ENGLISH or source.live_revision_id is None:
        return 0
    outdated = [
        page
        for page in source.get_translations().select_related("locale")
        if is_outdated(page, source)
    ]
    if not outdated:
        return 0
    by_language = {page.locale.language_code: page for page in outdated}
    queued = 0
    for ambassador in Ambassador.objects.active().exclude(email=""):
        pages = [
            by_language[code] for code in ambassador.site_language_codes if code in by_language
        ]
        if not pages:
            continue
        queue_email(
            f"translation-outdated:{source.live_revision_id}:{ambassador.pk}",
            ambassador.email,
            "translation_outdated",
            {
                "name": ambassador.name,
                "source_title": source.title,
                "source_url": source.full_url or "",
                "translations": [
                    {
                        "language": language_label(page.locale.language_code),
                        "edit_url": admin_url(page),
                    }
                    for page in pages
                ],
            },
        )
        queued += 1
    return queued


@dataclass
class TranslationRow:
    source: PromoPage
    locale: Locale
    language: str
    translation: Page | None
    can_translate: bool

    @property
    def status(self) -> str:
        page = self.translation
        if page is None:
            return "missing"
        if page.workflow_in_progress:
            return "in_review"
        if is_outdated(page, self.source):
            return "outdated"
        if page.live and not page.has_unpublished_changes:
            return "live"
        return "draft"


def translation_rows(user, ambassador: Ambassador, limit: int = 3) -> list[TranslationRow]:
    """The newest live English promotional pages, each with its translation (or its absence) in
    each of the ambassador's languages."""
    english = Locale.objects.filter(language_code=ENGLISH).first()
    sources = (
        PromoPage.objects.live().filter(locale=english).order_by("-first_published_at")[:limit]
    )
    locales = list(Locale.objects.filter(language_code__in=ambassador.site_language_codes))
    rows = []
    for source in sources:
        for locale in locales:
            translation = source.get_translation_or_none(locale)
            rows.append(
                TranslationRow(
                    source=source,
                    locale=locale,
                    language=locale.get_display_name(),
                    translation=translation.specific if translation else None,
                    can_translate=translation is None and can_translate(user, source, locale),
                )
            )
    return rows
