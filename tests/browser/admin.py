"""Signing in to the admin as a user of the tests (every one has the demo password, and
those whose role needs a second step have an authenticator with the demo key)."""

import re
import time

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from website.factories.website import DEMO_PASSWORD, demo_totp_code


def sign_in(page: Page, username: str) -> None:
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/($|signin/)"))
    if "/admin/signin/verify/" in page.url:
        page.get_by_label("Code").fill(fresh_code(username))
        page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def fresh_code(username: str) -> str:
    """The authenticator's code, waiting for the next one if the current one was used (a
    code works once)."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    step = int(time.time()) // device.step
    if device.last_t >= step:
        time.sleep((step + 1) * device.step - time.time() + 0.5)
    return demo_totp_code()
