"""A content officer drafts a post in the admin and submits it; the guest editor approves
it; the post is live, in the blog and in its feed."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from blog.models import BlogPage
from tests.browser.admin import sign_in
from website.factories.blog import BlogIndexPageFactory
from website.factories.website import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_officer_drafts_and_submits_editor_approves_post_goes_live(page, home_page, requests_made):
    blog = BlogIndexPageFactory(parent=home_page)
    blog.save_revision().publish()
    UserFactory(username="officer", groups=[settings.CONTENT_OFFICERS_GROUP])
    UserFactory(username="editor", groups=[settings.GUEST_EDITORS_GROUP])

    sign_in(page, "officer")
    page.goto(f"/admin/pages/add/blog/blogpage/{blog.pk}/")
    page.locator("#id_title").fill("Letters across the equator")
    page.locator("#id_intro").fill("Two librarians, one round, forty letters.")
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Paragraph").click()
    editor = page.locator(".public-DraftEditor-content").first
    editor.scroll_into_view_if_needed()
    editor.focus()
    editor.press_sequentially("We wrote every week.", delay=20)
    expect(editor).to_contain_text("We wrote every week.")
    page.locator("#id_intro").focus()
    expect(page.locator("input[name='body-0-value']")).to_have_value(re.compile("We wrote"))
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name=re.compile("Submit to Editorial review")).click()
    expect(page.get_by_text("created and submitted for moderation")).to_be_visible()
    post = BlogPage.objects.get(title="Letters across the equator")
    assert not post.live
    assert "We wrote every week." in str(post.get_latest_revision_as_object().body)
    assert not post.permissions_for_user(post.owner).can_publish()

    sign_in(page, "editor")
    page.goto(f"/admin/pages/{post.pk}/edit/")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Letters across the equator")
    post.refresh_from_db()
    assert post.live

    page.goto(blog.url)
    page.get_by_role("link", name="Letters across the equator").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Letters across the equator")
    expect(page.get_by_text("We wrote every week.")).to_be_visible()
    feed = page.request.get(f"{blog.url}feed/rss/")
    assert "Letters across the equator" in feed.text()
    assert requests_made.third_party() == []
