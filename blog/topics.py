"""Sending a released discussion topic to the round's active participants, once each,
through the outbox."""

from wagtail.models import Locale

from mentoring.services.participants import active_participants
from website.models import OutboundEmail
from website.outbox import queue_email

from .models import DiscussionTopicPage


def topic_email_key(topic: DiscussionTopicPage, application_pk: int) -> str:
    return f"topic:{topic.pk}:application:{application_pk}"


def send_topic(topic_id: int) -> int:
    """Queue the topic for every active participant of its round who has not had it yet;
    nothing for a topic that is not live, or for a translation (the program runs in English,
    so each participant gets the English topic once). Returns how many were queued now."""
    topic = (
        DiscussionTopicPage.objects.live()
        .filter(pk=topic_id, locale=Locale.get_default())
        .select_related("round")
        .first()
    )
    if topic is None:
        return 0
    context = {
        "topic_title": topic.title,
        "topic_intro": topic.intro,
        "topic_url": topic.full_url or "",
        "round": topic.round.name,
        "curator": topic.guest_curator.name if topic.guest_curator_id else "",
    }
    already = set(
        OutboundEmail.objects.filter(key__startswith=f"topic:{topic.pk}:application:").values_list(
            "key", flat=True
        )
    )
    queued = 0
    for application in active_participants(topic.round).order_by("pk"):
        key = topic_email_key(topic, application.pk)
        if key in already:
            continue
        queue_email(
            key,
            application.email,
            "topic_released",
            {
                **context,
                "name": application.name,
                "personal_page_url": application.personal_page_url(),
            },
            bulk=True,
        )
        queued += 1
    return queued
