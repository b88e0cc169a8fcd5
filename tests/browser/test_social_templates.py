"""A director sets up X with a text template of the program's own (a mistyped placeholder
is refused with the input kept), previews what an older page would say, and posts it now;
a coordinator settles a post left in doubt by marking it posted."""

import pytest
from django.conf import settings
from playwright.sync_api import expect
from wagtail.models import Site

from social.models import SocialPost
from tests.browser.admin import sign_in
from website.factories.website import StandardPageFactory, UserFactory
from website.models import HomePage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def older_story(settings):
    settings.SOCIAL_AUTOPOST_PAGE_TYPES = ["website.StandardPage"]
    home = HomePage.objects.get(depth=2, locale__language_code="en")
    return StandardPageFactory(parent=home, title="An older story")


def test_director_writes_the_x_template_previews_and_posts(page, networks, older_story):
    UserFactory(username="director", groups=[settings.DIRECTORS_GROUP])
    sign_in(page, "director")
    site = Site.objects.get(is_default_site=True)
    page.goto(f"/admin/settings/social/socialsettings/{site.pk}/")
    page.get_by_label("post to X").check()
    page.get_by_label("X API address").fill(networks.url)
    page.get_by_label("X OAuth 2.0 user access token").fill("x-token")
    template = page.get_by_label("text on X")
    template.fill("On the blog: {title} {link} {hashtag}")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Unknown placeholder {hashtag}")).to_be_visible()
    expect(page.get_by_label("text on X")).to_have_value("On the blog: {title} {link} {hashtag}")
    page.get_by_label("text on X").fill("On the blog: {title} {link}")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("updated")).to_be_visible()

    page.goto("/admin/snippets/social/socialpost/")
    page.get_by_role("link", name="Post a page now").click()
    page.get_by_label("Page").select_option(label="An older story")
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name="X")
    expect(preview).to_contain_text(f"On the blog: An older story {older_story.full_url}")
    assert networks.requests == []
    page.get_by_role("button", name="Post now").click()
    expect(page.get_by_text("Posting to X.")).to_be_visible()
    page.reload()
    row = page.get_by_role("row").filter(has_text="An older story")
    expect(row).to_contain_text("Posted")
    tweets = [r for r in networks.requests if r.path == "/2/tweets"]
    assert [r.json["text"] for r in tweets] == [
        f"On the blog: An older story {older_story.full_url}"
    ]


def test_coordinator_marks_a_post_in_doubt_as_posted(page, older_story):
    UserFactory(username="social", groups=[settings.SOCIAL_COORDINATORS_GROUP])
    post = SocialPost.objects.create(
        page=older_story, network="x", status=SocialPost.Status.IN_DOUBT, attempts=1
    )
    sign_in(page, "social")
    page.goto("/admin/snippets/social/socialpost/")
    row = page.get_by_role("row").filter(has_text="An older story")
    expect(row).to_contain_text("In doubt")
    row.get_by_role("button", name="More options").click()
    row.get_by_role("link", name="Mark posted").click()
    page.get_by_label("Link to the post on the network").fill("x.com/iln/status/42")
    page.get_by_role("button", name="Mark posted").click()
    expect(page.get_by_text("Marked as posted.")).to_be_visible()
    post.refresh_from_db()
    assert post.status == SocialPost.Status.POSTED
    assert post.remote_url == "https://x.com/iln/status/42"
