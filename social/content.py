"""What a page says on each network: the network's text template (title, intro, link,
hashtags from the page's tags) filled in and cut to the network's length limit, and the
page's image if it has one."""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

# Characters a post may have. X and Mastodon count every link as 23 characters; X also
# counts most characters outside Latin and the common punctuation as two (its "weighted
# length"), which matters for posts in Chinese, Japanese or Korean.
LIMITS = {"x": 280, "mastodon": 500, "bluesky": 300, "linkedin": 3000, "facebook": 63206}
LINK_WEIGHT = {"x": 23, "mastodon": 23}
X_SINGLE_WEIGHT = [(0, 4351), (8192, 8205), (8208, 8223), (8242, 8247)]

PLACEHOLDERS = ("title", "intro", "link", "hashtags")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

# Facebook and LinkedIn show the link as a card with the page's image, so their text
# leaves it out; the others put it in the text, where the network makes a card from it.
DEFAULT_TEMPLATES = {
    "x": "{title}\n\n{intro}\n\n{link}\n\n{hashtags}",
    "facebook": "{title}\n\n{intro}\n\n{hashtags}",
    "linkedin": "{title}\n\n{intro}\n\n{hashtags}",
    "mastodon": "{title}\n\n{intro}\n\n{link}\n\n{hashtags}",
    "bluesky": "{title}\n\n{intro}\n\n{link}\n\n{hashtags}",
}


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
        content.image_alt = (
            getattr(page, "meta_image_alt", "") or getattr(image, "description", "") or image.title
        )
    return content


def length(text: str, network: str, url: str = "") -> int:
    """The length the network counts for the text."""
    extra = 0
    if network in LINK_WEIGHT and url:
        extra = text.count(url) * LINK_WEIGHT[network]
        text = text.replace(url, "")
    if network == "x":
        return extra + sum(
            1 if any(low <= ord(char) <= high for low, high in X_SINGLE_WEIGHT) else 2
            for char in text
        )
    return extra + len(text)


@deconstructible
class TemplateValidator:
    """Only the known placeholders, at least one of them, and room left for the page's
    own words within the network's limit."""

    ROOM = 60

    def __init__(self, network: str) -> None:
        self.network = network

    def __call__(self, template: str) -> None:
        known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        used = PLACEHOLDER.findall(template)
        unknown = sorted({name for name in used if name not in PLACEHOLDERS})
        if unknown:
            raise ValidationError(
                _("Unknown placeholder %(unknown)s. The placeholders are %(known)s.")
                % {"unknown": ", ".join(f"{{{name}}}" for name in unknown), "known": known}
            )
        if not used:
            raise ValidationError(
                _("A template needs at least one of %(known)s, or every post would say the same.")
                % {"known": known}
            )
        empty = dict.fromkeys(PLACEHOLDERS, "") | {"link": "https://x.example/"}
        fixed = length(fill(template, empty), self.network)
        if fixed + self.ROOM > LIMITS[self.network]:
            raise ValidationError(
                _("The template's own words leave too little room within the limit of %(limit)s.")
                % {"limit": LIMITS[self.network]}
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, TemplateValidator) and other.network == self.network


def fill(template: str, values: dict[str, str]) -> str:
    text = PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), template)
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _shortened(text: str, keep: int) -> str:
    """The first `keep` characters, cut back to a word where there are words, with "…"."""
    if keep >= len(text):
        return text
    if keep <= 1:
        return ""
    cut = text[: keep - 1]
    if " " in cut and not text[keep - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-\u2013\u2014") + "…"


def compose(content: PageContent, network: str, template: str | None = None) -> str:
    """The template filled in to fit the network's limit: hashtags go first (from the end),
    then the intro is shortened, then the title; the link is never cut."""
    template = template or DEFAULT_TEMPLATES[network]
    limit = LIMITS[network]
    tags = list(content.hashtags)
    values = {
        "title": content.title,
        "intro": content.description,
        "link": content.url,
        "hashtags": " ".join(tags),
    }

    def fits() -> bool:
        return length(fill(template, values), network, content.url) <= limit

    while not fits() and tags:
        tags.pop()
        values["hashtags"] = " ".join(tags)
    for name in ("intro", "title"):
        if fits():
            break
        whole = values[name]
        low, high = 0, len(whole)
        while low < high:
            middle = (low + high + 1) // 2
            values[name] = _shortened(whole, middle)
            if fits():
                low = middle
            else:
                high = middle - 1
        values[name] = _shortened(whole, low)
    text = fill(template, values)
    while length(text, network, content.url) > limit:
        text = text[:-2] + "…"
    return text


def text_for(config, content: PageContent, network: str) -> str:
    """The post's text on one network, from the settings' template for it."""
    return compose(content, network, getattr(config, f"{network}_template", "") or None)
