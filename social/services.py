"""Queueing and posting: one SocialPost per page and network, made on the page's first
publish (or by a coordinator's "post now"), posted by a task that claims it first."""

import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from social.content import page_content, text_for
from social.models import Network, SocialPost, SocialSettings
from social.networks import ADAPTERS, UNEXPECTED, PostKey, SocialError

logger = logging.getLogger(__name__)
Status = SocialPost.Status

# Networks that recognise a repeat of the same post (Mastodon's Idempotency-Key, kept for an
# hour; Bluesky's record key, for good), so a post a crash left half-done can go again.
RETRY_SAFE = {"mastodon": timedelta(minutes=55), "bluesky": None}
# Longer than any attempt takes (a few requests, each with a 30-second timeout).
STUCK_AFTER = timedelta(minutes=10)
POSTABLE = {Status.QUEUED, Status.FAILED, Status.IN_DOUBT}
IN_DOUBT_MESSAGE = (
    "The worker stopped while posting, so it is not known whether this went out. Look at "
    "the page on the network: if the post is there, mark it posted; if not, post it again."
)


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


def preview(page: Page) -> list[tuple[str, str]]:
    """What the page would say on each configured network: (network name, text)."""
    config = settings_for(page)
    content = page_content(page, config.hashtags)
    return [
        (str(Network(network).label), text_for(config, content, network))
        for network in config.enabled_networks()
    ]


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
        if post is None or post.status not in POSTABLE:
            return None
        post.status = Status.POSTING
        post.attempts += 1
        post.claimed_at = timezone.now()
        post.save(update_fields=["status", "attempts", "claimed_at"])
        return post


def publish(pk: int) -> SocialPost | None:
    """Post once. A post left POSTING by a crash is settled by `recover_stuck`, never by
    posting it again blindly."""
    post = claim(pk)
    if post is None:
        return None
    page = post.page.specific
    config = settings_for(page)
    try:
        content = page_content(page, config.hashtags)
        posted = ADAPTERS[post.network](config, content, PostKey.for_post(post.pk, post.created_at))
    except SocialError as error:
        return _failed(post, str(error))
    except (OSError, KeyError, TypeError, ValueError):
        logger.exception("Posting %s to %s failed", post.page_id, post.network)
        return _failed(post, str(UNEXPECTED % {"network": post.get_network_display()}))
    post.status = Status.POSTED
    post.remote_id, post.remote_url, post.text = posted.remote_id, posted.url[:500], posted.text
    post.error, post.posted_at = "", timezone.now()
    post.save(update_fields=["status", "remote_id", "remote_url", "text", "error", "posted_at"])
    return post


def _failed(post: SocialPost, error: str) -> SocialPost:
    post.status, post.error = Status.FAILED, error[:2000]
    post.save(update_fields=["status", "error"])
    return post


def recover_stuck(now=None) -> dict[str, int]:
    """Posts left POSTING by a worker that died mid-post. Where the network recognises a
    repeat (and still remembers the first try) the post goes again and cannot double; on the
    others nobody can know whether it went out, so it is marked in doubt for a coordinator
    to look and then mark it posted or post it again."""
    from social.tasks import post_to_network

    now = now or timezone.now()
    stuck = SocialPost.objects.filter(status=Status.POSTING).filter(
        Q(claimed_at__lt=now - STUCK_AFTER)
        | Q(claimed_at__isnull=True, created_at__lt=now - STUCK_AFTER)
    )
    counts = {"requeued": 0, "in_doubt": 0}
    for post in stuck:
        memory = RETRY_SAFE.get(post.network, timedelta(0))
        again = (
            post.network in RETRY_SAFE
            and post.claimed_at is not None
            and (memory is None or post.claimed_at > now - memory)
        )
        status = Status.QUEUED if again else Status.IN_DOUBT
        error = "" if again else IN_DOUBT_MESSAGE
        claimed = SocialPost.objects.filter(
            pk=post.pk, status=Status.POSTING, claimed_at=post.claimed_at
        ).update(status=status, error=error)
        if claimed and again:
            post_to_network.delay_on_commit(post.pk)
        counts["requeued" if again else "in_doubt"] += claimed
    return counts


def retry(post: SocialPost) -> bool:
    from social.tasks import post_to_network

    if post.status not in {Status.FAILED, Status.IN_DOUBT}:
        return False
    post_to_network.delay_on_commit(post.pk)
    return True


def mark_posted(post: SocialPost, link: str) -> bool:
    """A coordinator found the post on the network: record it, so it never goes again."""
    return bool(
        SocialPost.objects.filter(pk=post.pk, status__in=[Status.IN_DOUBT, Status.FAILED]).update(
            status=Status.POSTED, remote_url=link, error="", posted_at=timezone.now()
        )
    )


def skip(post: SocialPost) -> bool:
    return bool(
        SocialPost.objects.filter(pk=post.pk, status__in=list(POSTABLE)).update(
            status=Status.SKIPPED
        )
    )
