"""A visitor sends a guest article from the blog (a mistake loses nothing); a guest editor
asks for changes in the admin; the sender is emailed the editor's comment."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from blog.models import Submission
from website.factories.blog import BlogIndexPageFactory, SubmissionGuidelinesPageFactory
from website.factories.website import DEMO_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def test_visitor_sends_an_article_and_hears_the_editors_comment(page, home_page, requests_made):
    blog = BlogIndexPageFactory(parent=home_page)
    blog.save_revision().publish()
    SubmissionGuidelinesPageFactory(parent=home_page).save_revision().publish()
    UserFactory(username="editor", groups=[settings.GUEST_EDITORS_GROUP])

    page.goto(blog.url)
    page.get_by_role("link", name="Write for the blog").click()
    page.get_by_label("Title").fill("A library on a boat")
    page.get_by_label("Your article").fill("Our library floats.\n\nIt visits islands.")
    page.get_by_label("Your name, as it should appear").fill("Ingrid Berg")
    page.get_by_label("Your email address").fill("ingrid@example.org")
    page.get_by_role("button", name="Send the article").click()
    expect(
        page.get_by_text("Please confirm that you agree before sending.", exact=True)
    ).to_be_visible()
    expect(page.get_by_label("Your article")).to_have_value(
        "Our library floats.\n\nIt visits islands."
    )
    page.get_by_label(re.compile("I have read the submission guidelines")).check()
    page.get_by_role("button", name="Send the article").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert [message.to for message in mail.outbox if message.to == ["ingrid@example.org"]]
    article = Submission.objects.get().page
    assert not article.live

    mail.outbox.clear()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.goto(f"/admin/pages/{article.pk}/edit/")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Request changes").click()
    page.get_by_role("dialog").get_by_label("Comment").fill("Please add a photo of the boat.")
    page.get_by_role("dialog").get_by_role("button", name="Request changes").click()
    expect(page.get_by_role("status").first).to_contain_text("A library on a boat")

    article.refresh_from_db()
    assert not article.live
    (message,) = mail.outbox
    assert message.to == ["ingrid@example.org"]
    assert "Please add a photo of the boat." in message.body
    assert requests_made.third_party() == []
