"""Queueing and posting: one SocialPost per page and network, made on the page's first
publish (or by a coordinator's "post now"), posted by a task that claims it first."""

import logging

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from social.content import page_content
from social.models import SocialPost, SocialSettings
from social.networks import ADAPTERS, SocialError

logger = logging.getLogger(__name__)
Status = SocialPost.Status


def autopost_models() -> tuple[type, ...]:
    found = []
    for label in settings.SOCIAL_AUTOPOST_PAGE_TYPES:
        try:
            found.append(apps.get_model(label))
        except (LookupError, ValueError):
            logger.warning("SOCIAL_AUTOPOST_PAGE_TYPES names an unknown model: %s", label)
    return tuple(found)


def settings_for(page: Page) -> SocialSettings:
    site = page.get_site() or Site.objects.filter(is_default_site=True).first()
    return SocialSettings.for_site(site)


def queue_page(page: Page) -> list[SocialPost]:
    """A post for each configured network that has none for this page yet; posted after
    the transaction commits. Calling it again queues nothing more."""
    from social.tasks import post_to_network

    config = settings_for(page)
    queued = []
    for network in config.enabled_networks():
        try:
            with transaction.atomic():
                post, created = SocialPost.objects.get_or_create(page=page, network=network)
        except IntegrityError:
            continue
        if created:
            post_to_network.delay_on_commit(post.pk)
            queued.append(post)
    return queued


def on_publish(page: Page) -> list[SocialPost]:
    """The first publish of a page of the configured types, in the program's language."""
    page = page.specific
    if not isinstance(page, autopost_models()):
        return []
    if page.locale_id != Locale.get_default().pk:
        return []
    first, last = page.first_published_at, page.last_published_at
    if first and last and (last - first).total_seconds() > 5:
        return []
    return queue_page(page)


def claim(pk: int) -> SocialPost | None:
    with transaction.atomic():
        post = SocialPost.objects.select_for_update().filter(pk=pk).first()
        if post is None or post.status not in {Status.QUEUED, Status.FAILED}:
            return None
        post.status = Status.POSTING
        post.attempts += 1
        post.save(update_fields=["status", "attempts"])
        return post


def publish(pk: int) -> SocialPost | None:
    """Post once. A post left POSTING by a crash is not posted again by anyone but a person
    who has looked (it shows as in doubt in the queue)."""
    post = claim(pk)
    if post is None:
        return None
    page = post.page.specific
    config = settings_for(page)
    try:
        content = page_content(page, config.hashtags)
        posted = ADAPTERS[post.network](config, content, f"iln-social-{post.pk}")
    except (SocialError, OSError, KeyError, ValueError) as error:
        post.status, post.error = Status.FAILED, str(error)[:2000]
        post.save(update_fields=["status", "error"])
        return post
    post.status = Status.POSTED
    post.remote_id, post.remote_url, post.text = posted.remote_id, posted.url[:500], posted.text
    post.error, post.posted_at = "", timezone.now()
    post.save(update_fields=["status", "remote_id", "remote_url", "text", "error", "posted_at"])
    return post


def retry(post: SocialPost) -> bool:
    from social.tasks import post_to_network

    if post.status != Status.FAILED:
        return False
    post_to_network.delay_on_commit(post.pk)
    return True


def skip(post: SocialPost) -> bool:
    return bool(
        SocialPost.objects.filter(
            pk=post.pk, status__in=[Status.QUEUED, Status.FAILED, Status.POSTING]
        ).update(status=Status.SKIPPED)
    )
