"""When a postcard goes live its sender's photos leave private storage and become public
Wagtail images; until then no address reaches them."""

from wagtail.signals import page_published

from .models import PostcardPage
from .services import release_photos


def on_postcard_published(sender, instance, revision=None, **kwargs) -> None:
    release_photos(instance)


def connect() -> None:
    page_published.connect(
        on_postcard_published, sender=PostcardPage, dispatch_uid="postcards_release_photos"
    )
