"""Hand-made admin requests that Wagtail itself answers with a server error get a message or
a 404 instead (website.admin_guards, website.wagtail_hooks)."""

import pytest
from django.conf import settings
from django.test import Client
from wagtail.models import Page

from website.factories.website import StandardPageFactory, UserFactory


@pytest.fixture
def director(db) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(UserFactory(username="boss", groups=[settings.DIRECTORS_GROUP]))
    return client


@pytest.fixture
def page(home_page):
    page = StandardPageFactory(parent=home_page, title="Original title")
    page.save_revision().publish()
    return page


def test_a_page_edit_without_its_streamfield_is_refused_and_nothing_saved(director, page):
    revisions = page.revisions.count()

    response = director.post(
        f"/admin/pages/{page.pk}/edit/", {"title": "Changed", "slug": page.slug}, follow=True
    )

    assert response.status_code == 200
    assert "The form arrived incomplete" in response.content.decode()
    fresh = Page.objects.get(pk=page.pk)
    assert fresh.title == "Original title"
    assert fresh.revisions.count() == revisions


def test_a_garbled_streamfield_count_is_refused(director, page):
    response = director.post(
        f"/admin/pages/{page.pk}/edit/",
        {"title": "Changed", "slug": page.slug, "body-count": "many"},
    )
    assert response.status_code == 302


def test_a_new_page_without_its_streamfield_is_refused(director, home_page):
    response = director.post(
        f"/admin/pages/add/website/standardpage/{home_page.pk}/",
        {"title": "New", "slug": "new"},
    )
    assert response.status_code == 302
    assert not Page.objects.filter(slug="new").exists()


@pytest.mark.parametrize("intro", ["1.5", '"unterminated', "[]"])
def test_a_rich_text_field_whose_content_is_not_the_editors_is_refused(director, home_page, intro):
    response = director.post(
        f"/admin/pages/add/volunteers/positionindexpage/{home_page.pk}/",
        {"title": "Volunteer", "slug": "volunteer-garbled", "intro": intro},
        follow=True,
    )
    assert response.status_code == 200
    assert "The form arrived incomplete" in response.content.decode()
    assert not Page.objects.filter(slug="volunteer-garbled").exists()


@pytest.mark.parametrize("parent", ["abc", "", "99999999", "-1"])
def test_a_copy_to_an_unknown_parent_is_refused(director, page, parent):
    response = director.post(
        f"/admin/pages/{page.pk}/copy/",
        {"new_title": "Copy", "new_slug": "copy", "new_parent_page": parent},
    )
    assert response.status_code == 302
    assert not Page.objects.filter(slug="copy").exists()


def test_a_chooser_shows_nothing_for_a_value_that_is_not_an_id(director, page):
    response = director.post(f"/admin/pages/{page.pk}/move/", {"new_parent_page": "not-an-id"})
    assert response.status_code == 200


@pytest.mark.parametrize("pk", ["abc", "1.5", "%27"])
def test_an_admin_id_that_is_not_a_number_is_not_found(director, pk):
    response = director.get(f"/admin/snippets/choose/mentoring/round/chosen/{pk}/")
    assert response.status_code == 404


def test_a_next_that_is_not_a_url_is_ignored(director, page):
    response = director.post(f"/admin/pages/{page.pk}/unpublish/", {"next": "foo"})
    assert response.status_code == 302
    assert response["Location"] != "foo"


@pytest.mark.parametrize("row_id", ["_", "abc", None])
def test_an_inline_row_with_an_id_that_is_not_a_number_is_refused(director, home_page, row_id):
    from website.factories.postcards import PostcardIndexPageFactory, PostcardPageFactory

    gallery = PostcardIndexPageFactory(parent=home_page)
    postcard = PostcardPageFactory(parent=gallery, title="Original title")
    data = {
        "title": "Changed",
        "slug": postcard.slug,
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "1",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
        "photos-0-alt_text": "x",
    }
    if row_id is not None:
        data["photos-0-id"] = row_id

    response = director.post(f"/admin/pages/{postcard.pk}/edit/", data)

    assert response.status_code == 302
    assert Page.objects.get(pk=postcard.pk).title == "Original title"


@pytest.mark.parametrize("listing", ["images", "documents"])
@pytest.mark.parametrize("path", ["", "results/"])
def test_a_media_search_filtered_by_usage_count_drops_that_filter_with_a_message(
    director, listing, path
):
    from website.factories.images import IllustrationFactory

    IllustrationFactory(title="Reading room")
    url = f"/admin/{listing}/{path}?q=reading&usage_count_min=0&usage_count_max=5&ordering=title"

    response = director.get(url, follow=True)

    assert response.status_code == 200
    final_url, _ = response.redirect_chain[-1]
    assert "q=reading" in final_url and "ordering=title" in final_url
    assert "usage_count" not in final_url
    messages = [str(message) for message in response.context["messages"]]
    assert "Usage count cannot be combined with a search" in " ".join(messages)


def test_a_media_listing_filtered_by_usage_count_without_a_search_is_left_alone(director):
    response = director.get("/admin/images/?usage_count_min=0&usage_count_max=5")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "content"),
    [("cut.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"), ("cut.png", b"\x89PNG\r\n\x1a\n<html>")],
)
def test_a_truncated_image_is_refused_with_the_fields_message_and_nothing_stored(
    director, name, content
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.images import get_image_model

    images = get_image_model().objects.count()
    upload = SimpleUploadedFile(name, content)

    response = director.post("/admin/images/multiple/add/", {"files[]": upload})

    assert response.status_code == 200
    assert response.json()["success"] is False
    assert "Upload a valid image" in response.json()["error_message"]
    assert get_image_model().objects.count() == images


@pytest.mark.parametrize("pk", [str(10**20), str(-(10**20))])
def test_an_id_beyond_64_bits_in_a_choice_of_several_is_an_unknown_choice(director, pk):
    response = director.get(f"/admin/pages/usage/website/standardpage/?content_type={pk}")
    assert response.status_code == 200


def test_an_inline_panel_posted_with_thousands_of_rows_is_refused_at_once(director):
    from ambassadors.models import Ambassador
    from website.factories.ambassadors import AmbassadorFactory

    ambassador = AmbassadorFactory()
    url = f"/admin/snippets/ambassadors/ambassador/edit/{ambassador.pk}/"
    data = {"bio": "Changed", "countries-TOTAL_FORMS": "99999", "countries-INITIAL_FORMS": "0"}

    response = director.post(url, data, follow=True)

    assert response.status_code == 200
    assert "more rows than it can hold" in response.content.decode()
    assert Ambassador.objects.get(pk=ambassador.pk).bio != "Changed"


@pytest.mark.parametrize("field", ["new_title", "new_slug"])
def test_a_copy_with_an_overlong_title_or_slug_is_refused_with_a_message(
    director, page, home_page, field
):
    data = {"new_title": "Copy", "new_slug": "copy", "new_parent_page": home_page.pk}
    data[field] = "x" * 1_000_000

    response = director.post(f"/admin/pages/{page.pk}/copy/", data, follow=True)

    assert response.status_code == 200
    assert "can each have at most 255 characters" in response.content.decode()
    assert not Page.objects.filter(slug__in=["copy", "x" * 255]).exists()
