"""Every public page type, in English and in Arabic, fits a phone, a tablet and a laptop without
scrolling sideways; in Arabic, English content keeps its own direction and the switcher leads
from any page to every language."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Page

from ambassadors.models import Ambassador
from mentoring.models import Application

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = [320, 768, 1280]
OTHER_VIEWS = [
    "/search/?query=partner",
    "/apply/",
    "/me/",
    "/contribute/article/",
    "/contribute/postcard/",
    "/no-such-page/",
]


def public_addresses() -> list[str]:
    """One live page of each page type in each language, the extra views the ambassadors'
    directory serves, a personal page, and the views outside the page tree."""
    addresses: dict[tuple[int, int], str] = {}
    for page in Page.objects.live().filter(depth__gt=1).order_by("path"):
        addresses.setdefault((page.content_type_id, page.locale_id), page.url)
    ambassador = next(person for person in Ambassador.objects.all() if person.is_active)
    directory = next(url for url in addresses.values() if url.endswith("/ambassadors/"))
    extra = [
        f"{directory}country/{ambassador.country_codes[0]}/",
        f"{directory}contact/{ambassador.slug}/",
        re.sub(r"^https?://[^/]+", "", Application.objects.first().personal_page_url()),
    ]
    return [*addresses.values(), *extra, *OTHER_VIEWS]


def test_no_page_scrolls_sideways_from_320_to_1280_pixels(browser, live_server, demo_site):
    addresses = public_addresses()
    assert any(address.startswith("/ar/") for address in addresses)
    overflowing = []
    for width in WIDTHS:
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 800}
        )
        page = context.new_page()
        for address in addresses:
            page.goto(address)
            page.wait_for_load_state("load")
            scroll, window = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            if scroll > window:
                overflowing.append((width, address, scroll))
        context.close()
    assert overflowing == []


def test_arabic_reader_sees_english_left_to_right_and_can_switch_anywhere(page, demo_site):
    page.goto("/ar/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    english_block = page.locator(".prose [lang='en'][dir='ltr']").first
    expect(english_block).to_be_visible()
    assert english_block.evaluate("node => getComputedStyle(node).direction") == "ltr"
    menu_link = page.locator(".site-nav a[lang='en']").first
    assert menu_link.evaluate("node => getComputedStyle(node).direction") == "ltr"

    page.goto("/about/")
    switcher = page.get_by_role("navigation", name="Language")
    switcher.locator("a[lang='ar']").click()
    expect(page).to_have_url(re.compile(r"/ar/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ar")
