"""Template tags for the site's menus and its language switcher."""

import hashlib
import json

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info
from wagtail.models import Page, Site

from website.locales import active_locale, default_locale, locale_of
from website.pagecache import cached
from website.templatetags.language_tags import default_lang_attrs, object_lang_attrs

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation_links(context, stream) -> list[dict]:
    """Menu links from a settings StreamField, each page shown in the visitor's language
    when a live translation exists.

    A translated page is labelled with its translated title (ambassadors translate it with
    the page); the settings' own labels are in the default language, shown as such in
    other languages. Each link carries `attrs`, the language of its label when it differs
    from the page's. Kept in the shared cache until the content changes (website/pagecache.py)."""
    request = context.get("request")
    raw = json.dumps(list(stream.raw_data), sort_keys=True, default=str)
    digest = hashlib.sha256(raw.encode()).hexdigest()
    name = f"menu:{_host(request)}:{active_locale().language_code}:{digest}"
    links = cached(name, lambda: _menu_links(request, stream))
    path = request.path if request is not None else None
    return [{**link, "current": bool(path and link["href"] == path)} for link in links]


def _host(request) -> str:
    return request.get_host() if request is not None else ""


def _menu_links(request, stream) -> list[dict]:
    active = active_locale()
    chosen = [block.value for block in stream]
    keys = [value["page"].translation_key for value in chosen if value["page"]]
    translated = {
        page.translation_key: page
        for page in Page.objects.live().filter(translation_key__in=keys, locale=active)
    }
    links = []
    for value in chosen:
        page = value["page"]
        if page:
            page = translated.get(page.translation_key, page)
            if not page.live:
                continue
            href = page.get_url(request)
            if value["label"] and page.locale_id == default_locale().pk:
                label, attrs = value["label"], default_lang_attrs()
            else:
                label, attrs = page.title, object_lang_attrs(page)
        else:
            href, label, attrs = value["url"], value["label"], default_lang_attrs()
        links.append({"href": href, "label": str(label), "attrs": attrs})
    return links


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """Every language of the site, on every page: a page's live translation where it exists,
    else that language's home page (`translated` False); for any other view, the same view
    in each language."""
    request = context.get("request")
    page = context.get("page")
    codes = [code for code, _name in settings.LANGUAGES]
    links = []
    if isinstance(page, Page) and page.pk:
        translations = page_translation_urls(request, page)
        homes = cached(f"homes:{_host(request)}", lambda: _home_urls(request))
        for code in codes:
            if code in translations:
                links.append(_language_link(code, translations[code], True))
            elif code in homes:
                links.append(_language_link(code, homes[code], False))
    elif request is not None:
        for code in codes:
            links.append(_language_link(code, translate_url(request.get_full_path(), code), True))
    return links


def page_translation_urls(request, page: Page) -> dict[str, str]:
    """The address of each live translation of the page (itself included), by language;
    kept in the shared cache until the content changes."""

    def compute() -> dict[str, str]:
        translations = Page.objects.live().filter(translation_key=page.translation_key)
        return {locale_of(t).language_code: t.get_url(request) for t in translations}

    return cached(f"translations:{_host(request)}:{page.translation_key}", compute)


def _home_urls(request) -> dict[str, str]:
    """The address of the live home page of each language of the request's site."""
    site = Site.find_for_request(request) if request is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return {}
    translations = site.root_page.get_translations(inclusive=True).live()
    return {locale_of(home).language_code: home.get_url(request) for home in translations}


def _language_link(code: str, href: str, translated: bool) -> dict:
    info = get_language_info(code)
    return {
        "code": code,
        "name": info["name_local"],
        "href": href,
        "bidi": info["bidi"],
        "translated": translated,
    }
