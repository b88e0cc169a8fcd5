"""Every page type previews in every state an editor meets: an unsaved draft in the editor, a
saved revision, a revision under review in the workflow, and a translation."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from wagtail.models import Locale, Page, get_page_models

from tests.website.demo_db import _media_root, demo_module  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_module")]

PAGE_MODELS = [model for model in get_page_models() if model is not Page]


@pytest.fixture
def director(db) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(get_user_model().objects.get(username="director"))
    return client


@pytest.fixture
def guest_editor(db) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(get_user_model().objects.get(username="editor"))
    return client


def demo_page(model: type[Page]) -> Page:
    page = model.objects.filter(locale=Locale.get_default()).order_by("path").first()
    assert page is not None, f"the demo has no {model.__name__}: add one to its demo module"
    return page


def preview_draft(page: Page, title: str) -> str:
    """What the editor's preview panel shows for unsaved changes: the page object built from
    the form, rendered in memory (Wagtail's preview view calls the same method)."""
    page.title = title
    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(username="director")
    response = page.make_preview_request(request, page.default_preview_mode)
    assert response.status_code == 200
    return (
        response.render().content.decode()
        if hasattr(response, "render")
        else response.content.decode()
    )


@pytest.mark.parametrize("model", PAGE_MODELS, ids=lambda model: model.__name__)
def test_a_draft_previews_in_the_editor(director, model):
    page = demo_page(model).specific
    preview_draft(page, "Draft title under preview")


@pytest.mark.parametrize("model", PAGE_MODELS, ids=lambda model: model.__name__)
def test_a_saved_revision_previews(director, model):
    page = demo_page(model).specific
    page.title = "A revision to compare"
    revision = page.save_revision()
    response = director.get(f"/admin/pages/{page.pk}/revisions/{revision.pk}/view/")
    assert response.status_code == 200


@pytest.mark.parametrize("model", PAGE_MODELS, ids=lambda model: model.__name__)
def test_a_revision_under_review_previews_for_its_reviewer(guest_editor, model):
    page = demo_page(model).specific
    author = get_user_model().objects.get(username="content")
    page.title = "Submitted for review"
    page.save_revision(user=author)
    workflow = page.get_workflow()
    assert workflow is not None, "every page is under the review workflow"
    state = workflow.start(page, author)
    task = state.current_task_state.task

    response = guest_editor.get(f"/admin/pages/workflow/preview/{page.pk}/{task.pk}/")

    assert response.status_code == 200
    assert "Submitted for review" in response.content.decode()


@pytest.mark.parametrize("model", PAGE_MODELS, ids=lambda model: model.__name__)
def test_a_translation_previews_as_draft_and_revision(director, model):
    page = demo_page(model).specific
    locale = Locale.objects.get(language_code=settings.LANGUAGES[1][0])
    translation = page.get_translation_or_none(locale)
    if translation is None:
        translation = page.copy_for_translation(locale, copy_parents=True).specific
    translation = translation.specific
    translation.title = "Traducción en revisión"
    revision = translation.save_revision()

    response = director.get(f"/admin/pages/{translation.pk}/revisions/{revision.pk}/view/")
    assert response.status_code == 200
    preview_draft(translation, "Borrador de la traducción")
