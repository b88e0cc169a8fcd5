"""Guest articles and postcards from the public forms: drafts in the workflow, never live;
private photos until approval; honeypot, rate limit and errors that lose nothing; the
sender told at each step."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.models import WorkflowState

from blog.models import BlogPage, Submission
from postcards.models import PostcardPage, SubmittedPhoto
from website.factories.blog import BlogIndexPageFactory, SubmissionGuidelinesPageFactory
from website.factories.postcards import PostcardIndexPageFactory
from website.factories.website import UserFactory
from website.models import OutboundEmail

ARTICLE_URL = "/contribute/article/"
POSTCARD_URL = "/contribute/postcard/"


def photo(name="library.jpg", colour=(10, 120, 200)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def indexes(home_page):
    blog = BlogIndexPageFactory(parent=home_page)
    gallery = PostcardIndexPageFactory(parent=home_page)
    guidelines = SubmissionGuidelinesPageFactory(parent=home_page)
    for page in (blog, gallery, guidelines):
        page.save_revision().publish()
    return blog, gallery


def article_data(**overrides) -> dict:
    data = {
        "title": "Our mobile library",
        "text": "We drive books to villages.\n\nEvery week, <b>rain or shine</b>.",
        "author_name": "Amina Diallo",
        "bio": "Librarian in Dakar.",
        "email": "amina@example.org",
        "licence": "cc-by-4.0",
        "agreement": "on",
        "website": "",
    }
    return {**data, **overrides}


def photos(*names: str, described: bool = True) -> dict:
    """The form's photo slots, filled in order: each photo with its own description."""
    data = {}
    for number, name in enumerate(names, start=1):
        data[f"photo_{number}"] = photo(name)
        if described:
            data[f"description_{number}"] = f"Description of {name}"
    return data


def postcard_data(**overrides) -> dict:
    data = {
        "text": "Our reading room opens at seven.",
        "place": "Valparaíso",
        "country": "CL",
        "name": "Diego Rojas",
        "email": "diego@example.org",
        "licence": "cc-by-sa-4.0",
        "agreement": "on",
        "website": "",
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_guest_article_becomes_a_draft_in_the_workflow_and_the_sender_is_told(client, indexes):
    response = client.post(ARTICLE_URL, article_data())
    assert response.status_code == 302
    submission = Submission.objects.get()
    page = submission.page.specific
    assert isinstance(page, BlogPage)
    assert not page.live
    assert page.licence == "cc-by-4.0"
    assert page.authors.get().name == "Amina Diallo"
    assert "&lt;b&gt;rain or shine&lt;/b&gt;" in str(page.body[0].value)
    assert WorkflowState.objects.filter(
        object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS
    ).exists()
    assert client.get(page.url).status_code == 404
    ack = OutboundEmail.objects.get(key=f"submission:{submission.pk}:received")
    assert ack.to == "amina@example.org"


@pytest.mark.django_db
def test_errors_keep_what_was_typed(client, indexes):
    response = client.post(ARTICLE_URL, article_data(agreement="", email="not-an-address"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Please confirm that you agree before sending." in content
    assert "We drive books to villages." in content
    assert 'value="Our mobile library"' in content
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_honeypot_silently_drops_the_submission(client, indexes):
    response = client.post(ARTICLE_URL, article_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Submission.objects.exists()
    assert not BlogPage.objects.exists()


@pytest.mark.django_db
def test_rate_limit_tells_a_person_clearly_and_keeps_the_text(client, indexes, settings):
    settings.SUBMISSION_RATE_LIMIT = 2
    for n in range(2):
        assert client.post(ARTICLE_URL, article_data(title=f"Article {n}")).status_code == 302
    response = client.post(ARTICLE_URL, article_data(title="One too many"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "You have sent several submissions in a short time" in content
    assert 'value="One too many"' in content
    assert Submission.objects.count() == 2


@pytest.mark.django_db
def test_postcard_with_two_photos_waits_privately_then_is_published(
    client, indexes, django_capture_on_commit_callbacks
):
    _blog, gallery = indexes
    response = client.post(
        POSTCARD_URL,
        {
            **postcard_data(),
            "photo_1": photo("a.jpg"),
            "description_1": "A reading room with tall windows",
            "photo_2": photo("b.png"),
            "description_2": "Two librarians at the loans desk, laughing",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    submission = Submission.objects.get()
    page = submission.page.specific
    assert isinstance(page, PostcardPage)
    assert not page.live
    photos = list(page.photos.order_by("sort_order"))
    assert [p.alt_text for p in photos] == [
        "A reading room with tall windows",
        "Two librarians at the loans desk, laughing",
    ]
    assert [p.submitted_photo.original_name for p in photos] == ["a.jpg", "b.png"]
    assert all(p.is_private for p in photos)

    private_url = f"/contribute/photos/{photos[0].submitted_photo_id}/"
    assert client.get(private_url).status_code == 404
    assert client.get(page.url).status_code == 404
    assert "Valparaíso" not in client.get(gallery.url).content.decode()

    stranger = UserFactory(username="stranger")
    client.force_login(stranger)
    assert client.get(private_url).status_code == 403
    officer = UserFactory(username="officer", groups=["Content officers"])
    client.force_login(officer)
    shown = client.get(private_url)
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/jpeg"
    assert "no-store" in shown["Cache-Control"]
    client.logout()

    editor = UserFactory(username="editor", groups=["Guest editors"])
    workflow_state = WorkflowState.objects.get(object_id=str(page.pk))
    task_state = workflow_state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, editor, "approve")
    page.refresh_from_db()
    assert page.live

    for row in page.photos.all():
        assert row.public_image is not None
        assert not SubmittedPhoto.objects.get(pk=row.submitted_photo_id).file
    gallery_html = client.get(gallery.url).content.decode()
    assert "Valparaíso" in gallery_html
    assert 'alt="A reading room with tall windows"' in gallery_html
    assert 'type="image/webp"' in gallery_html
    assert 'loading="lazy"' in gallery_html
    card_html = client.get(page.url).content.decode()
    assert "/contribute/photos/" not in card_html
    assert 'alt="A reading room with tall windows"' in card_html
    assert 'alt="Two librarians at the loans desk, laughing"' in card_html
    assert '<meta property="og:image:alt" content="A reading room with tall windows">' in card_html
    assert client.get(private_url).status_code == 404

    published = OutboundEmail.objects.get(key=f"submission:{submission.pk}:published")
    assert page.full_url in published.context["url"]
    page.save_revision().publish()
    assert OutboundEmail.objects.filter(to="diego@example.org").count() == 2


def stored_files(settings) -> list[str]:
    """Every file in the public and the private media folders."""
    from postcards.storage import private_media_root

    roots = [Path(settings.MEDIA_ROOT), private_media_root()]
    return sorted(
        str(path) for root in roots if root.exists() for path in root.rglob("*") if path.is_file()
    )


@pytest.mark.django_db
def test_a_refused_postcard_stores_nothing_and_asks_for_the_photos_again(client, indexes, settings):
    files_before = stored_files(settings)
    pages_before = PostcardPage.objects.count()
    refusals = [
        postcard_data(place=""),
        postcard_data(country="XX"),
        postcard_data(email="not an email"),
        postcard_data(agreement=""),
        postcard_data(text="x" * 1501),
    ]
    for data in refusals:
        response = client.post(POSTCARD_URL, {**data, **photos(*(f"{n}.jpg" for n in range(4)))})
        assert response.status_code == 200
        content = response.content.decode()
        assert "please choose them again" in content
        assert "Choose photo 4 again." in content
        assert 'value="Description of 3.jpg"' in content

    assert stored_files(settings) == files_before
    assert not SubmittedPhoto.objects.exists()
    assert not Submission.objects.exists()
    assert PostcardPage.objects.count() == pages_before

    response = client.post(POSTCARD_URL, {**postcard_data(), **photos("kept.jpg")})
    assert response.status_code == 302
    page = Submission.objects.get().page.specific
    assert page.photos.get().submitted_photo.original_name == "kept.jpg"
    assert len(stored_files(settings)) == len(files_before) + 1


@pytest.mark.django_db
def test_a_postcard_that_fails_after_its_photos_are_written_leaves_no_files(
    client, indexes, settings, monkeypatch
):
    def broken_workflow(page):
        raise RuntimeError("the workflow is unavailable")

    monkeypatch.setattr("postcards.services.submit_for_review", broken_workflow)
    files_before = stored_files(settings)

    with pytest.raises(RuntimeError):
        client.post(POSTCARD_URL, {**postcard_data(), **photos("1.jpg", "2.jpg")})

    assert stored_files(settings) == files_before
    assert not SubmittedPhoto.objects.exists()


@pytest.mark.django_db
def test_hostile_files_and_missing_photos_get_a_message_not_an_error(client, indexes, settings):
    settings.SUBMISSION_PHOTO_MAX_FILES = 2
    hostile = SimpleUploadedFile(
        "evil.png", b"\x89PNG\r\n\x1a\n<html>hi</html>", content_type="image/png"
    )
    response = client.post(
        POSTCARD_URL, {**postcard_data(), "photo_1": hostile, "description_1": "A library"}
    )
    assert response.status_code == 200
    assert "is not a photo we can use" in response.content.decode()
    response = client.get(POSTCARD_URL)
    content = response.content.decode()
    assert 'name="photo_2"' in content
    assert 'name="photo_3"' not in content
    response = client.post(POSTCARD_URL, postcard_data())
    assert "Add at least one photo." in response.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_each_photo_needs_its_own_description_and_nothing_typed_is_lost(client, indexes):
    response = client.post(
        POSTCARD_URL,
        {
            **postcard_data(),
            "photo_1": photo("front.jpg"),
            "description_1": "The library's front door under a jacaranda",
            "photo_2": photo("inside.jpg"),
            "description_2": "",
            "description_3": "Children reading on floor cushions",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Describe photo 2 for people who cannot see it." in content
    assert "You described photo 3 but did not choose it" in content
    assert 'href="#id_description_2"' in content  # the error summary links to the field
    assert 'value="The library&#x27;s front door under a jacaranda"' in content
    assert 'value="Children reading on floor cushions"' in content
    assert "Choose photo 1 again." in content
    assert "screen readers read it aloud" in content  # the guidance on what alt text is for
    assert not Submission.objects.exists()
    assert not SubmittedPhoto.objects.exists()

    response = client.post(POSTCARD_URL, {**postcard_data(), "description_1": "A door"})
    assert "Add at least one photo." in response.content.decode()
    response = client.post(POSTCARD_URL, {**postcard_data(), "photo_1": photo("front.jpg")})
    assert "Describe photo 1 for people who cannot see it." in response.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_rejection_tells_the_sender_with_the_comment(client, indexes):
    client.post(ARTICLE_URL, article_data())
    submission = Submission.objects.get()
    editor = UserFactory(username="editor", groups=["Guest editors"])
    task_state = WorkflowState.objects.get().current_task_state
    task_state.task.specific.on_action(
        task_state, editor, "reject", comment="Please shorten it to 1,500 words."
    )
    rejected = OutboundEmail.objects.get(key__startswith=f"submission:{submission.pk}:rejected")
    assert rejected.to == "amina@example.org"
    assert rejected.context["comment"] == "Please shorten it to 1,500 words."
    assert not submission.page.live


@pytest.mark.django_db
def test_abandoned_private_photos_are_removed_and_used_ones_kept(client, indexes):
    from datetime import timedelta

    from django.utils import timezone

    from postcards.services import store_private_photo
    from postcards.tasks import remove_abandoned_submission_photos
    from postcards.uploads import clean_photo

    store_private_photo(clean_photo(photo("left.jpg")))  # as a crash mid-submission would
    client.post(POSTCARD_URL, {**postcard_data(), **photos("sent.jpg")})
    abandoned = SubmittedPhoto.objects.get(original_name="left.jpg")
    storage, name = abandoned.file.storage, abandoned.file.name
    assert storage.exists(name)
    assert remove_abandoned_submission_photos() == 0
    SubmittedPhoto.objects.update(created_at=timezone.now() - timedelta(days=3))
    assert remove_abandoned_submission_photos() == 1
    assert not storage.exists(name)
    assert list(SubmittedPhoto.objects.values_list("original_name", flat=True)) == ["sent.jpg"]


@pytest.mark.django_db
def test_reviewers_see_the_private_photos_in_the_editor(client, indexes):
    client.post(POSTCARD_URL, {**postcard_data(), **photos("front.jpg")})
    page = Submission.objects.get().page
    editor = UserFactory(username="editor", groups=["Guest editors"])
    client.force_login(editor)
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    photo_id = page.specific.photos.get().submitted_photo_id
    content = response.content.decode()
    assert f'src="/contribute/photos/{photo_id}/"' in content
    # The sender's description is the photo's alt, and the moderator's to edit.
    assert 'alt="Description of front.jpg"' in content
    assert 'value="Description of front.jpg"' in content


@pytest.mark.django_db
def test_repeated_failed_attempts_are_limited_too(client, indexes, settings):
    settings.SUBMISSION_RATE_LIMIT = 1
    for _n in range(6):
        client.post(ARTICLE_URL, article_data(agreement=""))
    response = client.post(ARTICLE_URL, article_data())
    assert "You have sent several submissions in a short time" in response.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_a_request_far_too_large_gets_a_clear_message(client, indexes, settings):
    settings.SUBMISSION_PHOTO_MAX_BYTES = 10_000
    settings.SUBMISSION_PHOTO_MAX_FILES = 1
    big = SimpleUploadedFile("big.jpg", b"\xff" * 2_000_000, content_type="image/jpeg")
    response = client.post(
        POSTCARD_URL, {**postcard_data(), "photo_1": big, "description_1": "Big"}
    )
    assert response.status_code == 413
    assert "too large to accept" in response.content.decode()
    assert not SubmittedPhoto.objects.exists()
