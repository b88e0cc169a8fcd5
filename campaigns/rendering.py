"""A campaign's body as email: HTML with inline styles that reads without loading any image
(every image has its description), and a plain-text part made from the same blocks.

The body is rendered once when the campaign starts (its snapshot); each message only adds the
recipient's name and unsubscribe link around it, and fills in the `{personal_link}`
placeholder: the signed link to the recipient's own personal page."""

import html
import re
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from wagtail.rich_text import expand_db_html

from campaigns.models import Campaign

TEMPLATE = "campaign"
# Written in a text block, or chosen for a button, it becomes each recipient's own link.
PERSONAL_LINK = "{personal_link}"
PREVIEW_PERSONAL_LINK = "#personal-link"
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
            url = PERSONAL_LINK if value.get("personal_link") else value["url"]
            html_parts.append(
                f'<p style="margin:0 0 16px;"><a href="{escape(url)}" '
                f'style="{BUTTON_STYLE}">{escape(value["label"])}</a></p>'
            )
            text_parts.append(f"{value['label']}: {url}")
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


def uses_personal_link(campaign: Campaign) -> bool:
    return body_uses_personal_link(campaign.body)


def body_uses_personal_link(body) -> bool:
    for block in body or []:
        if block.block_type == "button" and block.value.get("personal_link"):
            return True
        if block.block_type == "text" and PERSONAL_LINK in block.value.source:
            return True
    return False


def check_placeholders(campaign: Campaign, people) -> None:
    """Refuse to send a personal link to people who have no personal page."""
    from campaigns.services.sending import CampaignError

    if not uses_personal_link(campaign):
        return
    missing = sum(1 for person in people if not person.application_id)
    if missing:
        raise CampaignError(without_page_message(missing))


def without_page_message(missing: int) -> str:
    return ngettext(
        "The message links each person to their personal page, but %(n)d recipient has none "
        "(only applicants have one). Narrow the audience to applicants or remove the link.",
        "The message links each person to their personal page, but %(n)d recipients have none "
        "(only applicants have one). Narrow the audience to applicants or remove the link.",
        missing,
    ) % {"n": missing}


def message_context(campaign: Campaign, person, started: str, personal: bool) -> dict:
    """What one recipient's row keeps for its message: name and, if the body asks for it
    (`personal`), the signed link to their personal page."""
    context = {"campaign": campaign.pk, "name": person.name, "started": started}
    if personal and person.application_id:
        context["personal_link"] = _personal_link(person.application_id, person.access_key)
    return context


def _personal_link(application_id: int, access_key) -> str:
    from mentoring.links import personal_page_url
    from mentoring.models import Application

    return personal_page_url(Application(pk=application_id, access_key=access_key))


def personalise(body_html: str, body_text: str, link: str) -> tuple[str, str]:
    """Fill in the personal-link placeholder; without a link (a preview, a test) it stays
    visibly a placeholder."""
    if PERSONAL_LINK not in body_html and PERSONAL_LINK not in body_text:
        return body_html, body_text
    href = escape(link or PREVIEW_PERSONAL_LINK)
    shown = escape(link) if link else escape(gettext("[the recipient's personal link]"))
    body_html = body_html.replace(f'href="{PERSONAL_LINK}"', f'href="{href}"')
    body_html = body_html.replace(PERSONAL_LINK, f'<a href="{href}">{shown}</a>')
    body_text = body_text.replace(PERSONAL_LINK, link or gettext("[the recipient's personal link]"))
    return body_html, body_text


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
    with translation.override("en"):
        body_html, body_text = personalise(body_html, body_text, context.get("personal_link", ""))
    return wrap(subject, body_html, body_text, context.get("name", ""), context["unsubscribe_url"])


def preview(campaign: Campaign, name: str = "Alex") -> tuple[str, str, str]:
    """What a recipient would get if the campaign were sent now."""
    from campaigns.services.suppression import unsubscribe_url

    with translation.override("en"):
        body_html, body_text = render_blocks(campaign)
        body_html, body_text = personalise(body_html, body_text, "")
    # A preview is no message: its link names none and unsubscribes nobody.
    return wrap(campaign.subject, body_html, body_text, name, unsubscribe_url(0))


def register() -> None:
    from website import outbox

    outbox.register_renderer(TEMPLATE, render_message)
