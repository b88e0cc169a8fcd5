"""Community submissions: turning a guest article into a draft page in the editorial workflow
(the guards every public form shares are in website.public_forms).

A submission is never live: it is saved as a draft, submitted to the page's workflow, and
its sender is told by email that it arrived, and later that it was published (with a link)
or not accepted (with the reviewer's comment)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import Truncator, slugify
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText

from website.outbox import queue_email

from .models import Author, BlogIndexPage, BlogPage, Submission, SubmissionGuidelinesPage


class SubmissionsClosed(Exception):
    """There is no page to file the submission under (the site has no blog or gallery)."""


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
