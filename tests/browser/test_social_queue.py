"""A social media coordinator sees a failed post in the social queue, with the network's
error, and retries it: it posts once and shows its link."""

import pytest
from django.conf import settings
from playwright.sync_api import expect
from wagtail.models import Site

from social.models import SocialPost, SocialSettings
from tests.browser.admin import sign_in
from website.factories.website import StandardPageFactory, UserFactory
from website.models import HomePage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_coordinator_retries_a_failed_post(page, networks):
    UserFactory(username="social", groups=[settings.SOCIAL_COORDINATORS_GROUP])
    config = SocialSettings.for_site(Site.objects.get(is_default_site=True))
    config.mastodon_enabled, config.mastodon_url = True, networks.url
    config.mastodon_access_token = "md-token"
    config.save()
    home = HomePage.objects.get(depth=2, locale__language_code="en")
    story = StandardPageFactory(parent=home, title="Postcard from Lagos")
    SocialPost.objects.create(
        page=story,
        network="mastodon",
        status=SocialPost.Status.FAILED,
        error='Mastodon answered 503: {"error": "Service unavailable"}',
        attempts=1,
    )

    sign_in(page, "social")
    page.goto("/admin/snippets/social/socialpost/")
    row = page.get_by_role("row").filter(has_text="Postcard from Lagos")
    expect(row).to_contain_text("Failed")
    expect(row).to_contain_text("Service unavailable")
    row.get_by_role("link", name="Retry").click()
    page.get_by_role("button", name="Yes").click()
    expect(page.get_by_text("Posting again.")).to_be_visible()
    page.reload()
    row = page.get_by_role("row").filter(has_text="Postcard from Lagos")
    expect(row).to_contain_text("Posted")
    expect(row.get_by_role("link", name="View post")).to_have_attribute(
        "href", "https://social.example/@iln/1"
    )
    assert networks.statuses == 1
