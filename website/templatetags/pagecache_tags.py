"""The content generation in templates, to key fragments kept with `{% cache %}` (an image's
`<picture>` in a listing): a published change takes a new one (website/pagecache.py)."""

from django import template

from website.pagecache import generation

register = template.Library()


@register.simple_tag
def content_generation() -> int:
    return generation()
