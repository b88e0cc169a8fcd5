"""The sitemap: every live page in every language, each with its hreflang alternates (the same
page's live translations, and x-default for the English original)."""

from functools import reduce
from operator import or_

from django.conf import settings
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from website.locales import locale_of


def page_alternates(pages, request) -> dict:
    """For each translation key among the pages, its live translations as sitemap alternates."""
    keys = {page.translation_key for page in pages}
    translations = (
        Page.objects.live().public().filter(translation_key__in=keys, alias_of__isnull=True)
    )
    alternates: dict = {}
    for page in translations:
        url = page.get_full_url(request)
        if url:
            alternates.setdefault(page.translation_key, []).append(
                {"lang_code": locale_of(page).language_code, "location": url}
            )
    return alternates


def with_x_default(alternates: list[dict]) -> list[dict]:
    if len(alternates) < 2:
        return []
    default = next(
        (item for item in alternates if item["lang_code"] == settings.LANGUAGE_CODE), None
    )
    extra = [{"lang_code": "x-default", "location": default["location"]}] if default else []
    return sorted(alternates, key=lambda item: item["lang_code"]) + extra


class TranslatedSitemap(Sitemap):
    def items(self):
        site = self.get_wagtail_site()
        roots = site.root_page.get_translations(inclusive=True)
        in_any_root = reduce(
            or_, (Page.objects.descendant_of_q(root, inclusive=True) for root in roots)
        )
        return (
            Page.objects.live()
            .public()
            .filter(in_any_root, alias_of__isnull=True)
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        items = list(self.paginator.page(page).object_list)
        alternates = page_alternates(items, self.request)
        urls = []
        last_mods = set()
        for item in items:
            for position, url_info in enumerate(item.get_sitemap_urls(self.request)):
                if position == 0:
                    url_info = {
                        **url_info,
                        "alternates": with_x_default(alternates.get(item.translation_key, [])),
                    }
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
