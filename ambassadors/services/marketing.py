"""When a round's applications open, each ambassador gets the marketing kit by email, once:
the round's promotional page in English and in each of their languages (the short and long
texts, and the links), and the round's dates."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from wagtail.models import Locale

from ambassadors.models import ENGLISH, Ambassador, PromoPage
from ambassadors.services.locales import language_label
from mentoring.models import Round
from website.outbox import queue_email


def promo_source(round_: Round) -> PromoPage | None:
    english = Locale.objects.filter(language_code=ENGLISH).first()
    return (
        PromoPage.objects.live()
        .filter(round=round_, locale=english)
        .order_by("-first_published_at")
        .first()
    )


def _date(value) -> str:
    """A date as the emails give it, in English (the program's language): 8 December 2026."""
    if hasattr(value, "astimezone"):
        value = timezone.localtime(value).date()
    with translation.override("en"):
        return date_format(value, "j F Y")


def kit_context(round_: Round, source: PromoPage, ambassador: Ambassador) -> dict:
    pages = []
    for code in [ENGLISH, *ambassador.site_language_codes]:
        locale = Locale.objects.filter(language_code=code).first()
        page = source.get_translation_or_none(locale) if locale else None
        if page is None or not page.live:
            continue
        page = page.specific
        pages.append(
            {
                "language": language_label(code),
                "title": page.title,
                "url": page.full_url or settings.BASE_URL + page.url,
                "statement": page.english_only_statement,
                "short_text": page.short_text,
                "long_text": page.long_text,
            }
        )
    missing = [
        language_label(code)
        for code in ambassador.site_language_codes
        if language_label(code) not in {page["language"] for page in pages}
    ]
    return {
        "name": ambassador.name,
        "round_name": round_.name,
        "dates": {
            "applications_open": _date(round_.application_opens_at),
            "applications_close": _date(round_.application_closes_at),
            "confirmation_deadline": _date(round_.confirmation_deadline),
            "matching": _date(round_.matching_date),
            "starts": _date(round_.starts_on),
            "ends": _date(round_.ends_on),
        },
        "pages": pages,
        "missing_languages": missing,
    }


def send_marketing_kits() -> int:
    """Queue the kit of every active ambassador for every round whose applications are open and
    whose English promotional page is published; rerunning sends nothing twice. The kit is
    volunteers' working mail, not program news, so it is sent as transactional mail."""
    queued = 0
    for round_ in Round.objects.applications_open():
        source = promo_source(round_)
        if source is None:
            continue
        for ambassador in Ambassador.objects.active().exclude(email=""):
            key = f"marketing-kit:{round_.pk}:{ambassador.pk}"
            queue_email(
                key,
                ambassador.email,
                "marketing_kit",
                kit_context(round_, source, ambassador),
            )
            queued += 1
    return queued
