"""A visitor reads the site: home page, "How it works", search, another language; and no
page asks any other host for anything."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGE_BUDGET_BYTES = 200 * 1024


def test_visitor_reads_how_it_works_searches_and_switches_language(page, demo_site):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Peer mentoring for librarians, across the world"
    )

    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="How it works"
    ).click()
    expect(page).to_have_url(re.compile(r"/how-it-works/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How it works")
    expect(page.get_by_text("Confirm that you will take part")).to_be_visible()

    page.get_by_role("searchbox", name="Search the site").fill("confirmed applicants")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    results = page.locator(".search-results li")
    expect(results.first).to_be_visible()
    expect(page.locator(".search-results")).to_contain_text("How it works")

    page.goto("/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mentoría entre pares para bibliotecarios de todo el mundo"
    )
    page.get_by_role("link", name="Cómo funciona").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cómo funciona")


def test_no_page_requests_a_third_party_host(page, demo_site, requests_made):
    for path in [
        "/",
        "/about/",
        "/how-it-works/",
        "/faq/",
        "/code-of-conduct/",
        "/search/?query=partner",
        "/es/",
        "/no-such-page/",
    ]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert requests_made.urls, "no request was recorded"
    assert requests_made.third_party() == []


def test_home_page_weighs_under_the_budget(page, demo_site):
    sizes: list[int] = []
    page.on("response", lambda response: sizes.append(len(response.body())))
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert 0 < sum(sizes) < PAGE_BUDGET_BYTES, sizes
