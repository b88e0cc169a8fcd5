"""Fixtures of the ambassadors tests: the site's languages with their root pages, the
directory, an English promotional page, and ambassadors for Spanish and French."""

import pytest
from django.conf import settings
from wagtail.models import Locale

from website.factories.ambassadors import (
    AmbassadorFactory,
    AmbassadorIndexPageFactory,
    PromoPageFactory,
)
from website.factories.website import UserFactory


@pytest.fixture
def locales(home_page) -> dict[str, Locale]:
    """Every site language, each with its translation of the home page (its locale root)."""
    result = {}
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        locale, _created = Locale.objects.get_or_create(language_code=code)
        result[code] = locale
        if code != "en" and home_page.get_translation_or_none(locale) is None:
            home_page.copy_for_translation(locale).save_revision().publish()
    return result


@pytest.fixture
def directory(home_page, locales):
    page = AmbassadorIndexPageFactory(parent=home_page)
    for code in ["es", "fr", "ar"]:
        translation = page.copy_for_translation(locales[code])
        translation.save_revision().publish()
    return page


@pytest.fixture
def promo(directory):
    page = PromoPageFactory(parent=directory, title="Join the next round", slug="join", live=False)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_ambassador(username: str, languages: list[str], countries: list[str]):
    user = UserFactory(username=username)
    return AmbassadorFactory(
        name=username.title(),
        slug=username,
        user=user,
        languages=languages,
        countries=countries,
    )


@pytest.fixture
def spanish_ambassador(locales):
    return make_ambassador("lucia", ["es", "en"], ["MX", "CO"])


@pytest.fixture
def french_ambassador(locales):
    return make_ambassador("amadou", ["fr", "wo"], ["SN"])


@pytest.fixture
def director(db):
    return UserFactory(username="director-1", groups=[settings.DIRECTORS_GROUP])
