"""Renditions are made by a Celery worker when an image is uploaded or changed and when a page
is published, never while a visitor waits.

The sizes are those the public templates ask for (`PUBLIC_SPECS`, one entry per template tag;
tests/website/test_renditions.py fails when a template asks for one that is not here). Every
image gets all of them: an image can be chosen for any page, the set is small, and the worker
makes them from one read of the original.

The public templates load `public_images` instead of `wagtailimages_tags`: its `image`,
`picture` and `srcset_image` tags use the renditions that exist and, for one that does not
(an image saved before a worker was running, a focal point just moved), show the original at
its own width and height and queue the task again, instead of making the rendition during
the visitor's request. `manage.py make_renditions` makes every missing rendition at once; the
demo ends with it.
"""

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage, AbstractRendition, Filter, SourceImageIOError
from wagtail.models import Page, ReferenceIndex

from website import pagecache

logger = logging.getLogger(__name__)

# The filter specs of each image tag of the public templates, as written there (the order of
# the parts names the rendition), expanded like Wagtail's {% picture %} expands them.
PUBLIC_SPECS: list[tuple[str, ...]] = [
    # website/templates/blocks/captioned_image_block.html, postcards/includes/photo.html
    ("format-{webp,jpeg}", "width-{400,800,1200}"),
    # postcards/postcard_index_page.html: the gallery
    ("format-{webp,jpeg}", "fill-{300x225,600x450}"),
    # blog/blog_page.html, blog/discussion_topic_page.html: the hero image
    ("format-{webp,jpeg}", "fill-{480x270,800x450,1200x675}"),
    # blog/includes/post_card.html
    ("format-{webp,jpeg}", "fill-{400x250,800x500}"),
    # blog/blocks/video_link_block.html
    ("format-{webp,jpeg}", "fill-{480x270,960x540}"),
    # base.html: the Open Graph image
    ("fill-1200x630", "format-jpeg"),
    # ambassadors/promo_page.html, ambassadors/country_page.html
    ("max-400x300",),
    ("fill-160x160",),
]
# How long a visitor's page waits before asking the worker again for the same image.
REQUEUE_SECONDS = 600


def public_filters() -> list[Filter]:
    specs = dict.fromkeys(spec for parts in PUBLIC_SPECS for spec in Filter.expand_spec(parts))
    return [Filter(spec=spec) for spec in specs]


def missing_filters(image: AbstractImage, filters: Iterable[Filter]) -> list[Filter]:
    """The filters this image has no stored rendition for (one query)."""
    filters = [image.clean_filter_for_svg(f) for f in filters]
    stored = set(image.renditions.values_list("filter_spec", "focal_point_key"))
    return [f for f in filters if (f.spec, f.get_cache_key(image)) not in stored]


def make_renditions(image_ids: Iterable[int]) -> int:
    """Make every public rendition these images lack; safe to run again (it makes nothing
    then). An image whose original cannot be read is logged and skipped. Returns how many
    renditions were made."""
    made = 0
    for image in get_image_model().objects.filter(pk__in=list(image_ids)).order_by("pk"):
        missing = missing_filters(image, public_filters())
        if not missing:
            continue
        try:
            made += len(image.create_renditions(*missing))
        except (SourceImageIOError, OSError) as error:
            logger.warning("Renditions of image %s not made: %s", image.pk, error)
    if made:
        pagecache.bump()  # pages cached while showing an original are rendered afresh
    return made


def make_all_renditions() -> int:
    ids = list(get_image_model().objects.order_by("pk").values_list("pk", flat=True))
    return make_renditions(ids)


_queue_paused: ContextVar[bool] = ContextVar("renditions_queue_paused", default=False)


@contextmanager
def queue_paused() -> Iterator[None]:
    """Ask the worker for nothing while code that makes its renditions itself saves images
    and publishes pages (the demo)."""
    token = _queue_paused.set(True)
    try:
        yield
    finally:
        _queue_paused.reset(token)


def queue_renditions(image_ids: Iterable[int]) -> None:
    """Ask the worker for these images' renditions once the current transaction commits."""
    from website.tasks import make_image_renditions

    ids = sorted(set(image_ids))
    if ids and not _queue_paused.get():
        make_image_renditions.delay_on_commit(ids)


def page_image_ids(page: Page) -> list[int]:
    """The images a page shows: its image fields, its inline rows' (postcard photos, promo
    images) and those chosen in its StreamField blocks, from Wagtail's reference index."""
    Image = get_image_model()
    page = page.specific
    ReferenceIndex.create_or_update_for_object(page)
    ids = set(
        ReferenceIndex.get_references_for_object(page)
        .filter(to_content_type=ContentType.objects.get_for_model(Image))
        .values_list("to_object_id", flat=True)
    )
    for photo in page.photos.all() if hasattr(page, "photos") else []:
        public = getattr(photo, "public_image", None)
        if public is not None:
            ids.add(str(public.pk))
    return sorted(int(pk) for pk in ids if str(pk).isdigit())


def make_page_renditions(page_id: int) -> int:
    """Make what the images of a published page lack; safe to run again."""
    page = Page.objects.filter(pk=page_id).first()
    return make_renditions(page_image_ids(page)) if page else 0


# --- During a visitor's request ------------------------------------------------------------


def original_as_rendition(image: AbstractImage, filter: Filter) -> AbstractRendition:
    """The original, at its own width and height, standing in for a rendition not made yet
    (an unsaved object: nothing is written)."""
    Rendition = image.get_rendition_model()
    return Rendition(
        image=image,
        filter_spec=filter.spec,
        focal_point_key=filter.get_cache_key(image),
        file=image.file.name,
        width=image.width,
        height=image.height,
    )


def ready_renditions(
    image: AbstractImage, filters: list[Filter]
) -> tuple[dict[str, AbstractRendition], bool]:
    """The stored renditions for these filters (prefetched, cached or from the database)
    keyed by spec, and True; or, when one is missing, the original standing in for all of
    them (keyed by the first spec), and False. What is missing is asked of the worker;
    nothing is made here."""
    filters = list(dict.fromkeys(image.clean_filter_for_svg(f) for f in filters))
    found = image.find_existing_renditions(*filters)
    if len(found) == len(filters):
        remember_renditions(image, found)
        return {f.spec: found[f] for f in filters}, True
    request_renditions(image)
    return {filters[0].spec: original_as_rendition(image, filters[0])}, False


def remember_renditions(image: AbstractImage, found: dict[Filter, AbstractRendition]) -> None:
    """Keep renditions read from the database in Wagtail's rendition cache, as
    `Image.get_renditions` does, so that the next visitor's page reads none. They are
    stored marked as coming from the cache (Wagtail's `_from_cache`, which it sets only on
    prefetched ones), so that reading them back writes nothing: otherwise every page view
    wrote each of its renditions to the cache again."""
    rendition_model = image.get_rendition_model()
    additions = {
        rendition_model.construct_cache_key(image, filter.get_cache_key(image), filter.spec): (
            rendition
        )
        for filter, rendition in found.items()
        if not getattr(rendition, "_from_cache", False)
    }
    for rendition in additions.values():
        rendition._from_cache = True
    if additions:
        rendition_model.cache_backend.set_many(additions)


def request_renditions(image: AbstractImage) -> None:
    """Queue the image's renditions at most once every REQUEUE_SECONDS. Not without a
    worker (tasks run eagerly): the task would then run inside the visitor's request."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    if cache.add(f"renditions-requested:{image.pk}", True, REQUEUE_SECONDS):
        queue_renditions([image.pk])


# --- When images and pages change ----------------------------------------------------------


def on_image_saved(sender, instance, **kwargs) -> None:
    queue_renditions([instance.pk])


def on_rendition_deleted(sender, instance, **kwargs) -> None:
    """Renditions deleted while the image stays (a new file, a cleaned original) are made
    again; one task for all the renditions of an image deleted together."""
    if cache.add(f"renditions-remade:{instance.image_id}", True, 10):
        queue_renditions([instance.image_id])


def on_page_published(sender, instance, **kwargs) -> None:
    from website.tasks import make_page_renditions as task

    if not _queue_paused.get():
        task.delay_on_commit(instance.pk)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published

    Image = get_image_model()
    post_save.connect(on_image_saved, sender=Image, dispatch_uid="renditions_image_saved")
    post_delete.connect(
        on_rendition_deleted,
        sender=Image.get_rendition_model(),
        dispatch_uid="renditions_rendition_deleted",
    )
    page_published.connect(on_page_published, dispatch_uid="renditions_page_published")
