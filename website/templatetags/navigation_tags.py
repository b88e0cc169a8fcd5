"""Template tags for the site's menus and its language switcher."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info
from wagtail.models import Locale, Page

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation_links(context, stream) -> list[dict]:
    """Menu links from a settings StreamField, each page shown in the visitor's language
    when a live translation exists (one query for all the links)."""
    request = context.get("request")
    chosen = [block.value for block in stream]
    keys = [value["page"].translation_key for value in chosen if value["page"]]
    translated = {
        page.translation_key: page
        for page in Page.objects.live().filter(translation_key__in=keys, locale=Locale.get_active())
    }
    links = []
    for value in chosen:
        page = value["page"]
        if page:
            page = translated.get(page.translation_key, page)
            if not page.live:
                continue
            href = page.get_url(request)
            label = value["label"] or page.title
        else:
            href, label = value["url"], value["label"]
        current = bool(request and href and request.path == href)
        links.append({"href": href, "label": label, "current": current})
    return links


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The languages a visitor can switch to: for a page, the languages it is published in;
    for any other view, every language of the interface."""
    request = context.get("request")
    page = context.get("page")
    links = []
    if isinstance(page, Page) and page.pk:
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            code = translation.locale.language_code
            links.append(_language_link(code, translation.get_url(request)))
    elif request is not None:
        for code, _name in settings.LANGUAGES:
            links.append(_language_link(code, translate_url(request.get_full_path(), code)))
    links.sort(key=lambda link: [code for code, _ in settings.LANGUAGES].index(link["code"]))
    return links


def _language_link(code: str, href: str) -> dict:
    info = get_language_info(code)
    return {"code": code, "name": info["name_local"], "href": href, "bidi": info["bidi"]}
