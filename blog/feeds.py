"""RSS and Atom feeds of a listing page (the blog, the topics, the postcards), built with
Django's syndication framework: the index page says what the feed is, the queryset what
is in it."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from wagtail.models import Page

FEED_ITEMS = 20


class PageFeed(Feed):
    def __init__(self, index: Page, pages, atom: bool = False) -> None:
        super().__init__()
        self.index = index
        self.pages = pages
        self.feed_type = Atom1Feed if atom else Rss201rev2Feed
        self.request = None

    def __call__(self, request, *args, **kwargs):
        # Page addresses made with the request read the site's root paths once, not per item.
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self) -> str:
        return self.index.title

    def link(self) -> str:
        return self.index.get_full_url(self.request)

    def description(self) -> str:
        return getattr(self.index, "intro", "") or self.index.title

    def subtitle(self) -> str:
        return self.description()

    def author_name(self) -> str:
        return settings.WAGTAIL_SITE_NAME

    def items(self):
        return list(self.pages[:FEED_ITEMS])

    def item_title(self, item: Page) -> str:
        return item.title

    def item_description(self, item: Page) -> str:
        return getattr(item, "meta_description", "") or item.search_description

    def item_link(self, item: Page) -> str:
        return item.get_full_url(self.request)

    def item_guid(self, item: Page) -> str:
        return item.get_full_url(self.request)

    def item_pubdate(self, item: Page):
        return item.first_published_at

    def item_updateddate(self, item: Page):
        return item.last_published_at

    def item_author_name(self, item: Page) -> str | None:
        names = getattr(item, "feed_author_names", None)
        return names() if callable(names) else None

    def item_categories(self, item: Page) -> list[str]:
        tags = getattr(item, "tags", None)
        return [tag.name for tag in tags.all()] if tags is not None else []
