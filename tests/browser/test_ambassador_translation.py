"""An ambassador translates the current promotional page into Spanish, is refused until the
English-only statement is there, submits it for review; a director approves; a visitor
switches to Spanish and reads it, and reads the Arabic page right to left."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect
from wagtail.models import Locale

from ambassadors.models import PromoPage
from tests.browser.admin import sign_in
from website.factories.ambassadors import (
    AmbassadorFactory,
    AmbassadorIndexPageFactory,
    PromoPageFactory,
)
from website.factories.website import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SPANISH_TITLE = "Únete a la próxima ronda"
STATEMENT = "El programa se desarrolla únicamente en inglés."


@pytest.fixture
def promo(home_page):
    locales = {}
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        locales[code], _created = Locale.objects.get_or_create(language_code=code)
    for code in ["es", "ar"]:
        home_page.copy_for_translation(locales[code]).save_revision().publish()
    directory = AmbassadorIndexPageFactory(parent=home_page)
    for code in ["es", "ar"]:
        directory.copy_for_translation(locales[code]).save_revision().publish()
    english = PromoPageFactory(parent=directory, title="Join the next round", slug="join")
    english.save_revision().publish()
    arabic = english.copy_for_translation(locales["ar"]).specific
    arabic.title = "انضم إلى الدورة القادمة"
    arabic.english_only_statement = "يُدار البرنامج باللغة الإنجليزية فقط."
    arabic.save_revision().publish()
    user = UserFactory(username="lucia")
    AmbassadorFactory(
        name="Lucía Pérez", slug="lucia", user=user, languages=["es"], countries=["MX"]
    )
    UserFactory(username="director-1", groups=[settings.DIRECTORS_GROUP])
    return english


def choose_action(page: Page, label: str) -> None:
    button = page.locator("footer").get_by_role("button", name=label)
    if not button.is_visible():
        page.locator("footer .w-dropdown__toggle").click()
    button.click()


def test_ambassador_translates_director_approves_visitor_reads(
    page: Page, browser, live_server, promo, requests_made
):
    sign_in(page, "lucia")
    page.get_by_role("button", name="Translate into Spanish").click()
    expect(page.locator("#id_title")).to_be_visible()
    page.fill("#id_title", SPANISH_TITLE)
    page.fill("#id_short_text", "Mentoría gratuita entre pares: inscríbete.")

    choose_action(page, "Submit to Translation review")
    expect(
        page.get_by_text("must say that the program is conducted in English only")
    ).to_be_visible()
    spanish = PromoPage.objects.get(locale__language_code="es")
    assert not spanish.workflow_in_progress

    page.fill("#id_english_only_statement", STATEMENT)
    choose_action(page, "Submit to Translation review")
    expect(page.get_by_text("has been submitted for moderation")).to_be_visible()
    spanish.refresh_from_db()
    assert spanish.workflow_in_progress and not spanish.live

    director = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    sign_in(director, "director-1")
    director.goto(f"/admin/pages/{spanish.pk}/edit/")
    choose_action(director, "Approve and Publish")
    # Publishing makes the page's renditions (tasks run eagerly here): allow it some time.
    expect(director.get_by_text("has been updated")).to_be_visible(timeout=20_000)
    director.context.close()
    spanish.refresh_from_db()
    assert spanish.live

    page.goto(promo.url)
    page.get_by_role("link", name="español").click()
    expect(page).to_have_url(re.compile(r"/es/ambassadors/join/$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(SPANISH_TITLE)
    expect(page.get_by_text(STATEMENT)).to_be_visible()

    page.get_by_role("link", name="العربيّة").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_text("يُدار البرنامج باللغة الإنجليزية فقط.")).to_be_visible()
    assert requests_made.third_party() == []
