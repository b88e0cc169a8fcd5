"""Demo social queue: the networks are not set up (no credentials in a demo), and the
latest blog post shows the states a coordinator deals with: in doubt after a worker
stopped, refused by the network, skipped."""

from datetime import timedelta
from typing import TextIO

from django.utils import timezone
from wagtail.models import Site

from blog.models import BlogPage
from social import services
from social.models import SocialPost, SocialSettings

Status = SocialPost.Status


def build(out: TextIO, seed: int) -> None:
    config = SocialSettings.for_site(Site.objects.get(is_default_site=True))
    if not config.hashtags:
        config.hashtags = "#librarians #mentoring"
        config.save()
    latest = BlogPage.objects.live().order_by("-first_published_at").first()
    if latest is None or SocialPost.objects.filter(page=latest).exists():
        return
    an_hour_ago = timezone.now() - timedelta(hours=1)
    SocialPost.objects.bulk_create(
        [
            SocialPost(
                page=latest,
                network="x",
                status=Status.IN_DOUBT,
                attempts=1,
                claimed_at=an_hour_ago,
                error=services.IN_DOUBT_MESSAGE,
            ),
            SocialPost(
                page=latest,
                network="mastodon",
                status=Status.FAILED,
                attempts=1,
                claimed_at=an_hour_ago,
                error='Mastodon answered 401: {"error": "The access token is invalid"}',
            ),
            SocialPost(page=latest, network="bluesky", status=Status.SKIPPED),
        ]
    )
    out.write(
        f"Social queue: “{latest.title}” in doubt on X and failed on Mastodon "
        "(sign in as social).\n"
    )
