"""Renditions are made by the worker's task when an image is saved and when a page is
published; a visitor's request never makes one: while they are missing the page shows the
original at its own size and asks the worker again (website/renditions.py)."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils.text import smart_split
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from website.factories.blog import BlogIndexPageFactory, BlogPageFactory
from website.factories.images import IllustrationFactory
from website.factories.website import StandardPageFactory
from website.renditions import (
    PUBLIC_SPECS,
    make_renditions,
    missing_filters,
    page_image_ids,
    public_filters,
)
from website.tasks import make_image_renditions

Rendition = get_image_model().get_rendition_model()
IMAGE_TAG = re.compile(r"{%\s*(image|picture|srcset_image)\s+(.*?)%}")


def project_templates() -> list[Path]:
    root = Path(django_settings.BASE_DIR)
    return [
        path
        for path in root.glob("*/**/templates/**/*.html")
        if ".venv" not in path.parts and "node_modules" not in path.parts
    ]


def test_every_size_the_public_templates_ask_for_is_made_by_the_worker():
    made = {f.spec for f in public_filters()}
    asked = set()
    for path in project_templates():
        text = path.read_text()
        for _tag, arguments in IMAGE_TAG.findall(text):
            assert "public_images" in text and "wagtailimages_tags" not in text, (
                f"{path} must load public_images (no rendition made on a visitor's request)"
            )
            parts = [bit for bit in list(smart_split(arguments))[1:] if "=" not in bit]
            parts = parts[: parts.index("as")] if "as" in parts else parts
            asked |= set(Filter.expand_spec(parts))
    assert asked, "no image tag found in the templates"
    assert asked <= made, f"sizes missing from PUBLIC_SPECS: {sorted(asked - made)}"
    assert len(PUBLIC_SPECS) >= 8


@pytest.mark.django_db
def test_the_task_makes_every_public_rendition_once():
    image = IllustrationFactory()
    assert Rendition.objects.count() == 0
    assert make_renditions([image.pk]) == len(public_filters())
    assert missing_filters(image, public_filters()) == []
    assert make_renditions([image.pk]) == 0
    assert Rendition.objects.filter(image=image).count() == len(public_filters())


@pytest.mark.django_db
def test_saving_an_image_asks_the_worker_for_its_renditions(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = IllustrationFactory()
    assert missing_filters(image, public_filters()) == []
    # A new focal point makes new crops.
    with django_capture_on_commit_callbacks(execute=True):
        image.focal_point_x, image.focal_point_y = 10, 10
        image.focal_point_width, image.focal_point_height = 20, 20
        image.save()
    assert missing_filters(image, public_filters()) == []


@pytest.mark.django_db
def test_publishing_a_page_makes_the_renditions_of_its_images(
    home_page, django_capture_on_commit_callbacks
):
    hero, in_body = IllustrationFactory(), IllustrationFactory()
    blog = BlogIndexPageFactory(parent=home_page)
    blog.save_revision().publish()
    post = BlogPageFactory(parent=blog, hero_image=hero)
    page = StandardPageFactory(
        parent=home_page,
        body=json.dumps(
            [{"type": "image", "value": {"image": in_body.pk, "alt": "Shelves", "caption": ""}}]
        ),
    )
    assert Rendition.objects.count() == 0
    assert page_image_ids(page) == [in_body.pk]
    with django_capture_on_commit_callbacks(execute=True):
        post.save_revision().publish()
        page.save_revision().publish()
    assert missing_filters(hero, public_filters()) == []
    assert missing_filters(in_body, public_filters()) == []


@pytest.mark.django_db
def test_a_visitor_never_waits_for_a_rendition(
    client, home_page, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a worker runs, as in production
    settings.PAGE_CACHE_SECONDS = 600  # and the page cache keeps what visitors were shown
    sent = []
    monkeypatch.setattr(make_image_renditions, "delay", lambda ids: sent.append(ids))
    image = IllustrationFactory(size=(900, 600))
    blog = BlogIndexPageFactory(parent=home_page)
    blog.save_revision().publish()
    post = BlogPageFactory(parent=blog, hero_image=image)
    post.save_revision().publish()
    assert Rendition.objects.count() == 0

    with django_capture_on_commit_callbacks() as queued:
        html = client.get(post.url).content.decode()
        again = client.get(blog.url).content.decode()
    assert Rendition.objects.count() == 0
    original = f'src="{image.file.url}"'
    assert original in html and 'height="600"' in html and 'width="900"' in html
    assert original in again
    assert "srcset=" not in html
    # The worker is asked once, not on every page view.
    for callback in queued:
        callback()
    assert sent == [[image.pk]]
    client.get(post.url)
    cached = client.get(post.url)
    assert cached["X-Page-Cache"] == "hit" and original in cached.content.decode()
    make_image_renditions.apply(args=sent)  # as the worker runs it
    assert missing_filters(image, public_filters()) == []
    with django_capture_on_commit_callbacks() as queued:
        html = client.get(post.url).content.decode()
    assert queued == []
    # The page cached with the original is not kept once the renditions exist.
    assert 'type="image/webp"' in html and original not in html
    assert "800w" in html and ".webp" in html


@pytest.mark.django_db
def test_without_a_worker_a_visitor_request_queues_nothing(
    client, home_page, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the task would run inside this request
    image = IllustrationFactory()
    blog = BlogIndexPageFactory(parent=home_page)
    blog.save_revision().publish()
    post = BlogPageFactory(parent=blog, hero_image=image)
    post.save_revision().publish()
    client.get("/")  # the site's settings are read (and made) once, as on any running site
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert client.get(post.url).status_code == 200
    assert queued == []
    assert Rendition.objects.count() == 0


@pytest.mark.django_db
def test_renditions_are_written_to_the_cache_once_not_on_every_page_view(
    client, home_page, monkeypatch
):
    image = IllustrationFactory(size=(900, 600))
    make_renditions([image.pk])
    blog = BlogIndexPageFactory(parent=home_page)
    blog.save_revision().publish()
    post = BlogPageFactory(parent=blog, hero_image=image)
    post.save_revision().publish()
    written = []
    backend = Rendition.cache_backend
    monkeypatch.setattr(backend, "set_many", lambda data, *a, **k: written.extend(data))
    client.get(post.url)
    assert written  # read from the database, kept in the cache
    monkeypatch.undo()
    client.get(post.url)  # now stored
    monkeypatch.setattr(backend, "set_many", lambda data, *a, **k: written.extend(data))
    written.clear()
    html = client.get(post.url).content.decode()
    assert ".webp" in html
    assert written == []
