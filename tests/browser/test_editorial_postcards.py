"""A visitor sends a postcard with two photos; it waits in moderation where nobody outside
can reach it or its photos; a guest editor approves it in the admin; it shows in the
gallery."""

import io
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from PIL import Image
from playwright.sync_api import expect

from blog.models import Submission
from website.factories.blog import SubmissionGuidelinesPageFactory
from website.factories.postcards import PostcardIndexPageFactory
from website.factories.website import DEMO_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    cache.clear()


def jpeg(colour) -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, format="JPEG")
    return {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def test_visitor_sends_a_postcard_it_waits_unreachable_then_appears_after_approval(
    page, home_page, requests_made
):
    gallery = PostcardIndexPageFactory(parent=home_page)
    gallery.save_revision().publish()
    SubmissionGuidelinesPageFactory(parent=home_page).save_revision().publish()
    UserFactory(username="editor", groups=[settings.GUEST_EDITORS_GROUP])

    page.goto(gallery.url)
    page.get_by_role("link", name="Send a postcard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send a postcard")
    page.get_by_label(re.compile(r"^Photo 1")).set_input_files(
        {**jpeg((200, 30, 30)), "name": "front.jpg"}
    )
    page.get_by_label("Description of photo 1").fill("Wooden shelves under a skylight")
    page.get_by_label(re.compile(r"^Photo 2")).set_input_files(
        {**jpeg((30, 30, 200)), "name": "desk.jpg"}
    )
    page.get_by_label("Description of photo 2").fill("A loans desk with a green lamp")
    page.get_by_label("Your postcard").fill("Our library is the oldest in town.")
    page.get_by_label("Place (library, town)").fill("Town library, Ghent")
    page.get_by_label("Country").select_option("BE")
    page.get_by_label("Your name, as it should appear").fill("Els Peeters")
    page.get_by_label("Your email address").fill("els@example.org")
    page.get_by_role("button", name="Send the postcard").click()
    expect(
        page.get_by_text("Please confirm that you agree before sending.", exact=True)
    ).to_be_visible()
    # A refused form keeps the typed text but stores no photo: they are chosen again.
    expect(page.get_by_text("please choose them again")).to_be_visible()
    expect(page.get_by_label("Your postcard")).to_have_value("Our library is the oldest in town.")
    # Each photo's description is kept; the photos are chosen again.
    expect(page.get_by_label("Description of photo 2")).to_have_value(
        "A loans desk with a green lamp"
    )
    page.get_by_label(re.compile(r"^Photo 1")).set_input_files(
        {**jpeg((200, 30, 30)), "name": "front.jpg"}
    )
    page.get_by_label(re.compile(r"^Photo 2")).set_input_files(
        {**jpeg((30, 30, 200)), "name": "desk.jpg"}
    )
    page.get_by_label(re.compile("I have read the submission guidelines")).check()
    page.get_by_role("button", name="Send the postcard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")

    postcard = Submission.objects.get().page.specific
    assert not postcard.live
    assert postcard.photos.count() == 2
    private_photo = f"/contribute/photos/{postcard.photos.first().submitted_photo_id}/"
    assert page.request.get(postcard.url).status == 404
    assert page.request.get(private_photo).status == 404
    page.goto(gallery.url)
    expect(page.get_by_text("Town library, Ghent")).to_have_count(0)

    page.goto("/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    assert page.request.get(private_photo).status == 200
    page.goto(f"/admin/pages/{postcard.pk}/edit/")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Ghent")
    page.context.clear_cookies()

    page.goto(gallery.url)
    page.get_by_label("Country").select_option("BE")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name=re.compile("Town library, Ghent")).click()
    expect(page.get_by_text("Our library is the oldest in town.")).to_be_visible()
    expect(page.get_by_alt_text("Wooden shelves under a skylight")).to_have_count(1)
    expect(page.get_by_alt_text("A loans desk with a green lamp")).to_have_count(1)
    assert page.request.get(private_photo).status == 404
    assert requests_made.third_party() == []
