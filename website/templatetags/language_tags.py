"""Mark content whose language differs from the page's: ` lang="en" dir="ltr"` on the element
that holds it, so that English text inside an Arabic page keeps its own direction, and screen
readers and hyphenation use the right language.

Content counts as untranslated when a translated page still holds the same value as its source
in the default language (a field, a StreamField block with the same id, an inline row). Site
settings and other fixed content are written in the default language.
"""

from django import template
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info
from wagtail.models import Page, TranslatableMixin

from website.locales import default_locale, locale_of
from website.pagecache import cached

register = template.Library()


def language_attrs(language_code: str | None) -> SafeString:
    """` lang="xx" dir="…"` when `language_code` is not the language being shown, else empty."""
    if not language_code:
        return mark_safe("")
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    code = language_code.split("-")[0]
    if code == current:
        return mark_safe("")
    bidi = get_language_info(code)["bidi"] if code in dict(settings.LANGUAGES) else False
    return format_html(' lang="{}" dir="{}"', language_code, "rtl" if bidi else "ltr")


def _source(obj: TranslatableMixin) -> TranslatableMixin | None:
    """The object's version in the default language, when `obj` is a translation of it."""
    default = default_locale()
    if obj.locale_id == default.pk:
        return None
    cache = "_language_tags_source"
    if not hasattr(obj, cache):

        def find() -> tuple:
            source = obj.get_translation_or_none(default)
            if isinstance(source, Page):
                source = source.specific
            return (source,)

        # Kept in the shared cache until the content changes (website/pagecache.py).
        key = f"source:{obj._meta.label_lower}:{obj.translation_key}"
        (source,) = cached(key, find)
        setattr(obj, cache, source)
    return getattr(obj, cache)


def _language_of(obj: TranslatableMixin) -> str:
    return locale_of(obj).language_code


@register.simple_tag
def default_lang_attrs() -> SafeString:
    """For text from the site settings or the program, written in the default language."""
    return language_attrs(settings.LANGUAGE_CODE)


@register.simple_tag
def object_lang_attrs(obj) -> SafeString:
    """For a page or translatable snippet shown whole (a title in a menu, a card)."""
    if isinstance(obj, TranslatableMixin):
        return language_attrs(_language_of(obj))
    return mark_safe("")


@register.simple_tag
def field_lang_attrs(obj, field: str) -> SafeString:
    """For one field of a page or snippet: its source's language while it is untranslated."""
    if not isinstance(obj, TranslatableMixin):
        return mark_safe("")
    source = _source(obj)
    if source is not None and getattr(source, field, None) == getattr(obj, field, None):
        return language_attrs(_language_of(source))
    return language_attrs(_language_of(obj))


@register.simple_tag
def child_lang_attrs(page: Page, relation: str, child, field: str) -> SafeString:
    """For a field of an inline row (an image caption): its source's language while the row
    holds the same text as the source page's row in the same position."""
    source = _source(page)
    if source is not None:
        position = _rows(page, relation).index(child)
        key = f"rows:{source._meta.label_lower}:{source.pk}:{relation}"
        rows = cached(key, lambda: _rows(source, relation))
        if position < len(rows) and getattr(rows[position], field) == getattr(child, field):
            return language_attrs(_language_of(source))
    return language_attrs(_language_of(page))


def _rows(obj, relation: str) -> list:
    """An inline relation's rows, read once per object."""
    memo = obj.__dict__.setdefault("_language_tags_rows", {})
    if relation not in memo:
        memo[relation] = list(getattr(obj, relation).all())
    return memo[relation]


@register.simple_tag(takes_context=True)
def include_stream(context, obj, field: str) -> SafeString:
    """Render a StreamField block by block; a block still the same as in the source language
    is wrapped in an element carrying that language."""
    stream = getattr(obj, field)
    source = _source(obj) if isinstance(obj, TranslatableMixin) else None
    untranslated: set[str] = set()
    if source is not None:
        originals = {child.id: child for child in getattr(source, field)}
        for child in stream:
            original = originals.get(child.id)
            if (
                original is not None
                and original.block_type == child.block_type
                and child.get_prep_value() == original.get_prep_value()
            ):
                untranslated.add(child.id)
    own = object_lang_attrs(obj) if isinstance(obj, TranslatableMixin) else mark_safe("")
    source_attrs = language_attrs(_language_of(source)) if source is not None else own
    parts = []
    for child in stream:
        attrs = source_attrs if child.id in untranslated else own
        html = child.render(context=context.flatten())
        parts.append(format_html("<div{}>{}</div>", attrs, html) if attrs else html)
    return format_html_join("", "{}", ((part,) for part in parts))


@register.simple_tag
def default_lang_span(text: str) -> SafeString:
    """Text in the default language as HTML to place inside a translated sentence."""
    attrs = default_lang_attrs()
    return format_html("<span{}>{}</span>", attrs, text) if attrs else format_html("{}", text)
