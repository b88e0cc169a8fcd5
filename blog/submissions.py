"""Community submissions: the guards every public form shares (honeypot, per-address rate
limit) and turning a guest article into a draft page in the editorial workflow.

A submission is never live: it is saved as a draft, submitted to the page's workflow, and
its sender is told by email that it arrived, and later that it was published (with a link)
or not accepted (with the reviewer's comment)."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import Truncator, slugify
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText

from website.http import client_address
from website.outbox import queue_email

from .models import Author, BlogIndexPage, BlogPage, Submission, SubmissionGuidelinesPage

HONEYPOT_FIELD = "website"
DEFAULT_RATE_LIMIT = 5
DEFAULT_RATE_WINDOW = 3600
ATTEMPTS_PER_SUBMISSION = 6


class SubmissionsClosed(Exception):
    """There is no page to file the submission under (the site has no blog or gallery)."""


def rate_limit_key(request: HttpRequest, form_name: str, counter: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()
    return f"submissions:{form_name}:{counter}:{digest[:32]}"


def rate_limits() -> dict[str, int]:
    """How many submissions, and how many attempts (sent or not), one address may make in
    the window."""
    sent = getattr(settings, "SUBMISSION_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    return {"sent": sent, "tried": sent * ATTEMPTS_PER_SUBMISSION}


def rate_window() -> int:
    return getattr(settings, "SUBMISSION_RATE_WINDOW", DEFAULT_RATE_WINDOW)


def is_rate_limited(request: HttpRequest, form_name: str) -> bool:
    return any(
        (cache.get(rate_limit_key(request, form_name, counter)) or 0) >= limit
        for counter, limit in rate_limits().items()
    )


def count(request: HttpRequest, form_name: str, counter: str) -> None:
    key = rate_limit_key(request, form_name, counter)
    if not cache.add(key, 1, timeout=rate_window()):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=rate_window())


def count_attempt(request: HttpRequest, form_name: str) -> None:
    count(request, form_name, "tried")


def count_submission(request: HttpRequest, form_name: str) -> None:
    count(request, form_name, "sent")


def unique_child_slug(parent: Page, title: str) -> str:
    base = slugify(title, allow_unicode=True)[:60].strip("-") or "submission"
    slug, n = base, 2
    siblings = parent.get_children()
    while siblings.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def text_to_html(text: str) -> str:
    """Plain text from a form as paragraphs of HTML: blank lines separate paragraphs."""
    paragraphs = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>{}</p>".format(escape(block).replace("\n", "<br/>")) for block in paragraphs if block
    )


def default_parent(model: type[Page]) -> Page:
    parent = (
        model.objects.filter(locale=Locale.get_default()).order_by("path").first()
        or model.objects.order_by("path").first()
    )
    if parent is None:
        raise SubmissionsClosed(model.__name__)
    return parent


def current_guidelines_revision() -> int | None:
    guidelines = SubmissionGuidelinesPage.current()
    return guidelines.live_revision_id if guidelines else None


def submit_for_review(page: Page) -> None:
    """Save the draft's revision and start its workflow; nobody signed in asked for it."""
    page.save_revision(log_action=True)
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, None)


def acknowledge(submission: Submission) -> None:
    queue_email(
        f"submission:{submission.pk}:received",
        submission.email,
        "submission_received",
        {
            "name": submission.name,
            "kind": submission.get_kind_display(),
            "title": submission.page.title if submission.page else "",
        },
    )


@dataclass(frozen=True)
class ArticleData:
    title: str
    text: str
    author_name: str
    bio: str
    email: str
    licence: str


@transaction.atomic
def submit_article(data: ArticleData) -> Submission:
    parent = default_parent(BlogIndexPage)
    author = Author.objects.create(name=data.author_name, bio=data.bio)
    first_paragraph = data.text.strip().split("\n\n", 1)[0]
    page = BlogPage(
        title=data.title,
        slug=unique_child_slug(parent, data.title),
        intro=Truncator(" ".join(first_paragraph.split())).words(45),
        body=[("paragraph", RichText(text_to_html(data.text)))],
        licence=data.licence,
        live=False,
    )
    parent.add_child(instance=page)
    page.authors = [author]
    page.save()
    submission = Submission.objects.create(
        kind=Submission.Kind.ARTICLE,
        page=page,
        name=data.author_name,
        email=data.email,
        licence=data.licence,
        agreed_at=timezone.now(),
        guidelines_revision=current_guidelines_revision(),
    )
    submit_for_review(page)
    acknowledge(submission)
    return submission


def notify_published(page: Page) -> None:
    """Tell the sender of a submission that it is live, with its address; once."""
    submission = Submission.objects.filter(page=page).first()
    if submission is None:
        return
    queue_email(
        f"submission:{submission.pk}:published",
        submission.email,
        "submission_published",
        {
            "name": submission.name,
            "kind": submission.get_kind_display(),
            "title": page.title,
            "url": page.full_url or "",
        },
    )


def notify_rejected(page: Page, task_state_pk: int, comment: str) -> bool:
    """Tell the sender of a submission that it was not accepted, with the reviewer's
    comment. False when the page did not come from the public forms."""
    submission = Submission.objects.filter(page=page).first()
    if submission is None:
        return False
    queue_email(
        f"submission:{submission.pk}:rejected:{task_state_pk}",
        submission.email,
        "submission_rejected",
        {
            "name": submission.name,
            "kind": submission.get_kind_display(),
            "title": page.title,
            "comment": comment,
        },
    )
    return True
