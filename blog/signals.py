"""What happens when an editorial page goes live, by a person or by scheduled publishing:
the sender of a community submission gets the link (once), and a discussion topic is
emailed to its round's participants (once each, in the background)."""

from wagtail.signals import page_published

from .models import DiscussionTopicPage
from .submissions import notify_published


def on_page_published(sender, instance, revision=None, **kwargs) -> None:
    notify_published(instance)


def on_topic_published(sender, instance, revision=None, **kwargs) -> None:
    from .tasks import send_topic_emails

    send_topic_emails.delay_on_commit(instance.pk)


def connect() -> None:
    page_published.connect(on_page_published, dispatch_uid="blog_submission_published")
    page_published.connect(
        on_topic_published, sender=DiscussionTopicPage, dispatch_uid="blog_topic_published"
    )
