"""A director signs in from the admin's login page with a code from an authenticator app; a
new data officer sets one up on the way in; and the admin, used in earnest, breaks not one
rule of its Content-Security-Policy."""

import re

import pytest
from django.conf import settings
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect
from wagtail.models import Site

from tests.browser.admin import fresh_code, sign_in
from website.factories.website import DEMO_PASSWORD, UserFactory
from website.models import HomePage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.reportCspViolation(
        `${event.violatedDirective} blocked ${event.blockedURI} at ${event.documentURI}`
        + ` (${event.sourceFile}:${event.lineNumber})`
    );
});
"""


def password_step(page: Page, username: str) -> None:
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_director_signs_in_with_a_code_from_the_authenticator(page):
    UserFactory(username="director", groups=[settings.DIRECTORS_GROUP])
    password_step(page, "director")
    expect(page.get_by_role("heading", name="Two-step sign-in")).to_be_visible()

    page.goto("/admin/pages/")
    expect(page).to_have_url(re.compile(r"/admin/signin/verify/"))
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("That code is not valid")).to_be_visible()

    page.wait_for_timeout(1100)  # django-otp makes the next try wait a second
    page.get_by_label("Code").fill(fresh_code("director"))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_new_data_officer_sets_up_an_authenticator_on_the_way_in(page, requests_made):
    UserFactory(username="data", groups=[settings.DATA_OFFICERS_GROUP], authenticator=False)
    password_step(page, "data")
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    expect(page.locator(".signin-qr-code svg")).to_be_visible()
    key = page.locator("[data-signin-key]").inner_text().replace(" ", "")

    page.get_by_label("Code").fill(code_for_key(key))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator("[data-signin-recovery-codes] code").all_inner_texts()
    assert len(codes) == settings.SIGNIN_RECOVERY_CODE_COUNT

    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # Next time, a recovery code stands in for the app.
    password_step(page, "data")
    expect(page).to_have_url(re.compile(r"/admin/signin/verify/"))
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    assert requests_made.third_party() == []


def test_the_admin_breaks_no_rule_of_its_policy(page, demo_site, requests_made):
    violations: list[str] = []
    page.expose_binding("reportCspViolation", lambda source, text: violations.append(text))
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    policies: dict[str, str] = {}
    page.on(
        "response",
        lambda response: (
            policies.__setitem__(response.url, response.headers.get("content-security-policy", ""))
            if response.request.resource_type == "document"
            else None
        ),
    )

    sign_in(page, "director")
    expect(page.get_by_role("heading", level=1)).to_contain_text("International Librarians Network")

    home = HomePage.objects.get(depth=2, locale__language_code="en")
    page.goto(f"/admin/pages/{home.pk}/")
    page.get_by_role("link", name="About the network").first.click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    page.locator("#id_title").fill("About the network and its volunteers")
    assert widgets_started(page) > 0  # the scheduling dialog's date and time choosers
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("has been updated")).to_be_visible()

    # An inline panel, started without an inline script, adds its forms.
    page.goto("/admin/snippets/mentoring/round/add/")
    page.get_by_role("button", name="Add Pathway").click()
    expect(page.locator("#id_pathways-TOTAL_FORMS")).to_have_value("1")
    assert widgets_started(page) > 0

    page.goto("/admin/images/")
    expect(page.get_by_role("heading", name="Images")).to_be_visible()
    page.goto("/admin/snippets/blog/author/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    site = Site.objects.get(is_default_site=True)
    page.goto(f"/admin/settings/website/organisationsettings/{site.pk}/")
    expect(page.get_by_role("button", name="Save")).to_be_visible()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("updated")).to_be_visible()

    admin_pages = {url: policy for url, policy in policies.items() if "/admin/" in url}
    assert len(admin_pages) >= 7
    assert all("script-src 'self'" in policy for policy in admin_pages.values()), admin_pages

    assert violations == [], "\n".join(violations)
    assert errors == []
    assert requests_made.third_party() == []


def widgets_started(page: Page) -> int:
    """How many widgets website/signin/static/signin/admin-init.js started on this page (all
    of those waiting, or the test fails)."""
    waiting = page.locator("script[data-signin-init]:not([data-signin-started])")
    expect(waiting).to_have_count(0)
    return page.locator("script[data-signin-started]").count()


def code_for_key(base32_key: str) -> str:
    from base64 import b32decode

    padded = base32_key + "=" * (-len(base32_key) % 8)
    return f"{TOTP(b32decode(padded)).token():06d}"
