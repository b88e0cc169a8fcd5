"""Template tags for the site's menus and its language switcher."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info
from wagtail.models import Locale, Page, Site

from website.templatetags.language_tags import default_lang_attrs, object_lang_attrs

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation_links(context, stream) -> list[dict]:
    """Menu links from a settings StreamField, each page shown in the visitor's language
    when a live translation exists (one query for all the links).

    A translated page is labelled with its translated title (ambassadors translate it with
    the page); the settings' own labels are in the default language, shown as such in
    other languages. Each link carries `attrs`, the language of its label when it differs
    from the page's."""
    request = context.get("request")
    active = Locale.get_active()
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
            if value["label"] and page.locale_id == Locale.get_default().pk:
                label, attrs = value["label"], default_lang_attrs()
            else:
                label, attrs = page.title, object_lang_attrs(page)
        else:
            href, label, attrs = value["url"], value["label"], default_lang_attrs()
        current = bool(request and href and request.path == href)
        links.append({"href": href, "label": label, "current": current, "attrs": attrs})
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
        translations = {
            translation.locale.language_code: translation
            for translation in page.get_translations(inclusive=True).live().select_related("locale")
        }
        homes = _home_pages(request)
        for code in codes:
            if code in translations:
                links.append(_language_link(code, translations[code].get_url(request), True))
            elif code in homes:
                links.append(_language_link(code, homes[code].get_url(request), False))
    elif request is not None:
        for code in codes:
            links.append(_language_link(code, translate_url(request.get_full_path(), code), True))
    return links


def _home_pages(request) -> dict[str, Page]:
    """The live home page of each language of the request's site."""
    site = Site.find_for_request(request) if request is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return {}
    translations = site.root_page.get_translations(inclusive=True).live()
    return {home.locale.language_code: home for home in translations.select_related("locale")}


def _language_link(code: str, href: str, translated: bool) -> dict:
    info = get_language_info(code)
    return {
        "code": code,
        "name": info["name_local"],
        "href": href,
        "bidi": info["bidi"],
        "translated": translated,
    }
