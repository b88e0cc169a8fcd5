"""A director builds a campaign for a segment in the admin, sees how many it will reach,
sends a test, then sends it; the campaign page shows the figures."""

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from campaigns.models import Campaign
from tests.browser.admin import sign_in
from website.factories.mentoring import ApplicationFactory, RoundFactory
from website.factories.website import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_director_builds_counts_tests_and_sends_a_campaign(page, requests_made):
    UserFactory(
        username="director", email="director@example.org", groups=[settings.DIRECTORS_GROUP]
    )
    round = RoundFactory(name="Round 9")
    for n in range(3):
        ApplicationFactory(round=round, email=f"kiwi{n}@example.org", country="NZ")
    ApplicationFactory(round=round, email="aussie@example.org", country="AU")

    sign_in(page, "director")
    page.goto("/admin/snippets/campaigns/campaign/add/")
    page.locator("#id_name").fill("New Zealand round news")
    page.locator("#id_subject").fill("Round 9: a word for New Zealand")
    page.locator("button[title='Insert a block']").first.click()
    page.get_by_role("option", name="Text").click()
    editor = page.locator(".public-DraftEditor-content").first
    editor.scroll_into_view_if_needed()
    editor.focus()
    editor.press_sequentially("Kia ora! Partners are announced next week.", delay=20)
    expect(editor).to_contain_text("Kia ora!")
    page.locator("#id_subject").focus()
    expect(page.locator("input[name='body-0-value']")).to_have_value(re.compile("Kia ora"))
    page.locator("#id_countries").select_option("NZ")
    page.get_by_role("button", name="Save").first.click()

    expect(page.locator("[data-recipient-count]")).to_have_attribute("data-recipient-count", "3")
    expect(page.get_by_text("3 recipients, counted now.")).to_be_visible()

    page.get_by_label("Send a test to").fill("director@example.org")
    page.get_by_role("button", name="Send a test").click()
    expect(
        page.get_by_text("A test message is on its way to director@example.org.")
    ).to_be_visible()
    assert [m.to for m in mail.outbox] == [["director@example.org"]]
    assert "Kia ora!" in mail.outbox[0].body

    page.get_by_role("button", name="Send now to 3 recipients").click()
    # Nothing goes before the director confirms with the count.
    expect(page.locator("[data-confirm-question]")).to_contain_text("now to 3 recipients?")
    assert len(mail.outbox) == 1
    page.get_by_role("button", name="Yes, send to 3 recipients").click()
    expect(page.get_by_text("Sending to 3 recipients has started.")).to_be_visible()
    expect(page.locator("[data-figure='sent']")).to_have_text("3")
    assert sorted(m.to[0] for m in mail.outbox[1:]) == [f"kiwi{n}@example.org" for n in range(3)]
    assert Campaign.objects.get().status == Campaign.Status.SENT
    assert requests_made.third_party() == []
