"""What a page says on each network: title, intro, link and hashtags from its tags, cut to
the network's length limit; and the page's image, if it has one."""

import re
from dataclasses import dataclass, field

from django.conf import settings

# Characters a post may have, and how many a link counts for (X and Mastodon count every
# link as 23; Bluesky and the others count it as written).
LIMITS = {"x": 280, "mastodon": 500, "bluesky": 300, "linkedin": 3000, "facebook": 5000}
LINK_WEIGHT = {"x": 23, "mastodon": 23}


@dataclass
class PageContent:
    title: str
    description: str
    url: str
    hashtags: list[str] = field(default_factory=list)
    image: bytes | None = None
    image_alt: str = ""
    image_type: str = "image/jpeg"


def _first(page, names: list[str]):
    for name in names:
        value = getattr(page, name, None)
        if callable(value):
            value = value()
        if value:
            return value
    return None


def page_image(page):
    """The page's image: a hero or meta image, or the first photo of a postcard."""
    image = _first(page, ["meta_image", "hero_image", "image"])
    if image is None and hasattr(page, "photos"):
        photo = page.photos.first()
        image = getattr(photo, "public_image", None) or getattr(photo, "image", None)
    return image


def hashtag(name: str) -> str:
    words = re.findall(r"\w+", name)
    return "#" + "".join(word[:1].upper() + word[1:] for word in words) if words else ""


def page_content(page, extra_hashtags: str = "") -> PageContent:
    description = _first(page, ["meta_description", "search_description", "intro"]) or ""
    tags = []
    if hasattr(page, "tags"):
        tags = [hashtag(name) for name in page.tags.names()]
    tags += [tag for tag in extra_hashtags.split() if tag.startswith("#")]
    url = page.full_url or f"{settings.BASE_URL}{page.url}"
    content = PageContent(
        title=page.title,
        description=" ".join(str(description).split()),
        url=url,
        hashtags=list(dict.fromkeys(tag for tag in tags if tag)),
    )
    image = page_image(page)
    if image is not None:
        rendition = image.get_rendition("max-1200x1200|format-jpeg|jpegquality-80")
        with rendition.file.open("rb") as handle:
            content.image = handle.read()
        content.image_alt = getattr(image, "description", "") or image.title
    return content


def _length(text: str, network: str, url: str) -> int:
    if network in LINK_WEIGHT and url in text:
        return len(text) - len(url) + LINK_WEIGHT[network]
    return len(text)


def compose(content: PageContent, network: str, with_link: bool = True) -> str:
    """Title, intro, link, hashtags; the intro is shortened (then hashtags dropped) until the
    post fits the network's limit."""
    limit = LIMITS[network]
    link = content.url if with_link else ""
    tags = list(content.hashtags)
    description = content.description

    def build() -> str:
        parts = [content.title]
        if description:
            parts.append(description)
        if link:
            parts.append(link)
        if tags:
            parts.append(" ".join(tags))
        return "\n\n".join(parts)

    while _length(build(), network, link) > limit and tags:
        tags.pop()
    text = build()
    overflow = _length(text, network, link) - limit
    if overflow > 0 and description:
        keep = max(0, len(description) - overflow - 1)
        description = (description[:keep].rsplit(" ", 1)[0] + "…") if keep else ""
        text = build()
    if _length(text, network, link) > limit:
        text = text[: limit - 1] + "…"
    return text
