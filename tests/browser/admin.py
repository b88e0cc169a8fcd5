"""Signing in to the admin as a user of the tests (every one has the demo password)."""

import re

from playwright.sync_api import Page, expect

from tests.factories.website import DEMO_PASSWORD


def sign_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
