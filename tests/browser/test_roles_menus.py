"""A social coordinator signs in from the admin login page and walks every item of their
menus: no screen they reach shows personal data, and no menu offers the personal-data
screens."""

import json

import pytest
from django.conf import settings
from playwright.sync_api import expect

from campaigns.models import Suppression
from mentoring.models import BarredEmail
from tests.browser.admin import sign_in
from website.factories.mentoring import ApplicationFactory, InterestedPersonFactory
from website.factories.website import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PERSONAL = [
    "Zebedee Quarrington",
    "zebedee.q@example.org",
    "ignatius.w@example.org",
    "barred.person@example.org",
    "suppressed.person@example.org",
]
PERSONAL_SCREENS = ["Applications", "Interest list", "Barred people", "Suppression list", "Outbox"]


def menu_urls(items: list) -> list[tuple[str, str]]:
    """Every (label, url) in the sidebar's menu props, submenus included."""
    found = []
    for item in items:
        if not isinstance(item, dict):
            continue
        args = item.get("_args", [])
        for arg in args:
            if isinstance(arg, dict) and arg.get("url"):
                found.append((arg.get("label", ""), arg["url"]))
            if isinstance(arg, list):
                found.extend(menu_urls(arg))
    return found


def test_social_coordinator_finds_no_personal_data_in_any_menu(page):
    ApplicationFactory(name="Zebedee Quarrington", email="zebedee.q@example.org")
    InterestedPersonFactory(name="Ignatius Waitlister", email="ignatius.w@example.org")
    BarredEmail.objects.create(email_normalised="barred.person@example.org")
    Suppression.objects.create(email_normalised="suppressed.person@example.org", reason="bounce")
    UserFactory(username="social", groups=[settings.SOCIAL_COORDINATORS_GROUP])

    sign_in(page, "social")
    props = json.loads(page.locator("#wagtail-sidebar-props").text_content())
    items = menu_urls(props["modules"])
    labels = [label for label, _url in items]
    assert "Social queue" in " ".join(labels), labels
    for screen in PERSONAL_SCREENS:
        assert screen not in labels
        expect(page.get_by_role("navigation")).not_to_contain_text(screen)

    for label, url in items:
        if not url.startswith("/") or url.startswith("/admin/logout"):
            continue  # Wagtail's help links lead off the site
        response = page.goto(url)
        assert response.status < 400, f"{label} ({url}): {response.status}"
        body = page.content()
        leaked = [marker for marker in PERSONAL if marker in body]
        assert not leaked, f"{label} ({url}) shows {leaked}"
