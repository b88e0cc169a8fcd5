"""hreflang alternates for the page head: the live translations of the current page (not of
the extra views a routable page serves under its address)."""

from django import template

from website.pagecache import cached
from website.sitemaps import page_alternates, with_x_default

register = template.Library()


@register.simple_tag(takes_context=True)
def hreflang_alternates(context) -> list[dict]:
    page = context.get("page")
    request = context.get("request")
    if page is None or not getattr(page, "pk", None) or not getattr(page, "translation_key", None):
        return []
    if request is not None and request.path != page.get_url(request):
        return []  # a sub-route of a routable page: its translations are other addresses
    key = f"hreflang:{request.get_host() if request is not None else ''}:{page.translation_key}"
    return cached(
        key,
        lambda: with_x_default(page_alternates([page], request).get(page.translation_key, [])),
    )
