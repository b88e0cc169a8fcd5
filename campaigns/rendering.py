"""A campaign's body as email: HTML with inline styles that reads without loading any image
(every image has its description), and a plain-text part made from the same blocks.

The body is rendered once when the campaign starts (its snapshot); each message only adds the
recipient's name and unsubscribe link around it."""

import html
import re
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

from campaigns.models import Campaign

TEMPLATE = "campaign"
IMAGE_WIDTH = 600
BUTTON_STYLE = (
    "display:inline-block;padding:10px 18px;background:#0b5cad;color:#ffffff;"
    "text-decoration:none;border-radius:6px;font-weight:bold;"
)


def _absolute_links(fragment: str) -> str:
    return re.sub(r'(href|src)="/(?!/)', rf'\1="{settings.BASE_URL}/', fragment)


def _image_html(image, alt: str, link: str = "") -> str:
    rendition = image.get_rendition(f"width-{IMAGE_WIDTH}")
    tag = (
        f'<img src="{escape(_absolute_links_url(rendition.url))}" alt="{escape(alt)}" '
        f'width="{rendition.width}" height="{rendition.height}" '
        'style="display:block;max-width:100%;height:auto;border:0;">'
    )
    return f'<a href="{escape(link)}">{tag}</a>' if link else tag


def _absolute_links_url(url: str) -> str:
    return f"{settings.BASE_URL}{url}" if url.startswith("/") else url


def _text_from_html(fragment: str) -> str:
    def link(match: re.Match) -> str:
        label = strip_tags(match.group(2)).strip()
        href = match.group(1)
        return f"{label} ({href})" if label and label != href else href

    text = re.sub(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', link, fragment, flags=re.S)
    text = re.sub(r"<li[^>]*>", "- ", text)
    text = re.sub(r"</(p|h2|h3|li|ul|ol)>|<br\s*/?>", "\n", text)
    text = html.unescape(strip_tags(text))
    return "\n".join(line.strip() for line in text.splitlines()).strip()


def render_blocks(campaign: Campaign) -> tuple[str, str]:
    """The body's HTML and plain text."""
    html_parts, text_parts = [], []
    for block in campaign.body:
        value = block.value
        if block.block_type == "text":
            fragment = _absolute_links(expand_db_html(value.source))
            html_parts.append(f'<div style="margin:0 0 16px;">{fragment}</div>')
            text_parts.append(_text_from_html(fragment))
        elif block.block_type == "image":
            caption = value.get("caption") or ""
            html_parts.append(
                '<div style="margin:0 0 16px;">'
                + _image_html(value["image"], value["alt"])
                + (
                    f'<p style="font-size:13px;color:#4e5a6b;margin:4px 0 0;">{escape(caption)}</p>'
                    if caption
                    else ""
                )
                + "</div>"
            )
            text_parts.append(f"[{value['alt']}]" + (f" {caption}" if caption else ""))
        elif block.block_type == "button":
            html_parts.append(
                f'<p style="margin:0 0 16px;"><a href="{escape(value["url"])}" '
                f'style="{BUTTON_STYLE}">{escape(value["label"])}</a></p>'
            )
            text_parts.append(f"{value['label']}: {value['url']}")
        elif block.block_type == "video":
            html_parts.append(
                '<div style="margin:0 0 16px;">'
                + _image_html(value["thumbnail"], value["alt"], link=value["url"])
                + f'<p style="margin:4px 0 0;"><a href="{escape(value["url"])}">'
                + escape(value["title"])
                + "</a></p></div>"
            )
            text_parts.append(f"{value['title']}: {value['url']}")
    return "\n".join(html_parts), "\n\n".join(part for part in text_parts if part)


def snapshot(campaign: Campaign) -> None:
    """Freeze what the campaign sends (subject, HTML and text) on the campaign row."""
    with translation.override("en"):
        campaign.html_snapshot, campaign.text_snapshot = render_blocks(campaign)
    campaign.subject_snapshot = campaign.subject


def wrap(
    subject: str, body_html: str, body_text: str, name: str, unsubscribe_url: str
) -> tuple[str, str, str]:
    context = {
        "base_url": settings.BASE_URL,
        "subject": subject,
        "name": name,
        "content": mark_safe(body_html),
        "text": body_text,
        "unsubscribe_url": unsubscribe_url,
    }
    with translation.override("en"):
        text = render_to_string("email/campaign/body.txt", context)
        page = render_to_string("email/campaign/body.html", context)
    return subject, text, page


@lru_cache(maxsize=16)
def _frozen(campaign_id: int, started_at: str) -> tuple[str, str, str]:
    campaign = Campaign.objects.only("subject_snapshot", "html_snapshot", "text_snapshot").get(
        pk=campaign_id
    )
    return campaign.subject_snapshot, campaign.html_snapshot, campaign.text_snapshot


def render_message(context: dict) -> tuple[str, str, str]:
    """The outbox's renderer for campaign messages (template "campaign"). A test send
    renders the campaign as it is now; a real one its snapshot."""
    if context.get("test"):
        campaign = Campaign.objects.get(pk=context["campaign"])
        with translation.override("en"):
            body_html, body_text = render_blocks(campaign)
        subject = f"[Test] {campaign.subject}"
    else:
        subject, body_html, body_text = _frozen(context["campaign"], context.get("started", ""))
    return wrap(subject, body_html, body_text, context.get("name", ""), context["unsubscribe_url"])


def preview(campaign: Campaign, name: str = "Alex") -> tuple[str, str, str]:
    """What a recipient would get if the campaign were sent now."""
    from campaigns.services.suppression import unsubscribe_url

    with translation.override("en"):
        body_html, body_text = render_blocks(campaign)
    # A preview is no message: its link names none and unsubscribes nobody.
    return wrap(campaign.subject, body_html, body_text, name, unsubscribe_url(0))


def register() -> None:
    from website import outbox

    outbox.register_renderer(TEMPLATE, render_message)
