"""An editor signs in to the admin and works on a page."""

import pytest
from playwright.sync_api import expect

from tests.browser.admin import sign_in
from website.models import HomePage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_content_officer_signs_in_and_saves_a_draft(page, demo_site, requests_made):
    sign_in(page, "content")
    expect(page.get_by_role("heading", level=1)).to_contain_text("International Librarians Network")

    home = HomePage.objects.get(depth=2, locale__language_code="en")
    page.goto(f"/admin/pages/{home.pk}/")
    page.get_by_role("link", name="About the network").first.click()
    page.locator("#id_title").fill("About the network and its volunteers")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("has been updated")).to_be_visible()
    assert requests_made.third_party() == []


def test_wrong_password_is_refused(page, demo_site):
    page.goto("/admin/")
    page.get_by_label("Username").fill("content")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Your username and password didn't match")).to_be_visible()
