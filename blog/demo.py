"""Demo content of the blog: authors, 33 posts with generated images and tags, the
submission guidelines, and discussion topics for the demo rounds (the finished round's all
released, the open round's scheduled)."""

import random
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from typing import TextIO

from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, Site
from wagtail.rich_text import RichText
from wagtail.signals import page_published

from blog import demo_content
from blog.models import Author, BlogIndexPage, BlogPage, SubmissionGuidelinesPage, TopicIndexPage
from website.factories.blog import (
    AuthorFactory,
    BlogIndexPageFactory,
    BlogPageFactory,
    DiscussionTopicPageFactory,
    SubmissionGuidelinesPageFactory,
    TopicIndexPageFactory,
)
from website.factories.images import IllustrationFactory, describe_illustration
from website.models import HomePage, NavigationSettings

SCHEDULED_TOPICS = 4


def build(out: TextIO, seed: int) -> None:
    rng = random.Random(seed)
    home = HomePage.objects.get(pk=Site.objects.get(is_default_site=True).root_page_id)
    blog = child(home, BlogIndexPage) or add(home, BlogIndexPageFactory.build())
    authors = [
        AuthorFactory(name=name, country=country, bio=bio)
        for name, country, bio in demo_content.AUTHORS
    ]
    if not BlogPage.objects.child_of(blog).exists():
        build_posts(blog, authors, rng)
    guidelines = child(home, SubmissionGuidelinesPage) or add(
        home, SubmissionGuidelinesPageFactory.build(body=guidelines_body())
    )
    topics = child(home, TopicIndexPage)
    if topics is None:
        topics = add(home, TopicIndexPageFactory.build())
        build_topics(topics, rng)
    add_footer_links(home, [blog, topics, guidelines])
    out.write(
        f"Blog: {BlogPage.objects.count()} posts, {Author.objects.count()} authors; "
        f"topics at {topics.url}"
    )


def child(parent: Page, model: type[Page]) -> Page | None:
    return model.objects.child_of(parent).first()


def add(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def guidelines_body() -> list:
    return [
        ("heading", {"text": "What we publish", "size": "h2"}),
        (
            "paragraph",
            RichText(
                "<p>Guest articles of 500 to 1,500 words about your library, your work or "
                "your experience of the program, and postcards: one to four photos of your "
                "library or workplace with a few lines of text.</p>"
            ),
        ),
        ("heading", {"text": "Language", "size": "h2"}),
        (
            "paragraph",
            RichText(
                "<p>The program runs in English, so we publish in English. Plain language is "
                "welcome; our editors help with the rest.</p>"
            ),
        ),
        ("heading", {"text": "Licence", "size": "h2"}),
        (
            "paragraph",
            RichText(
                "<p>Everything we publish carries a Creative Commons licence that you choose "
                "when you send it (CC BY 4.0 unless you say otherwise). Send only photos you "
                "took yourself, and ask people before they appear in one.</p>"
            ),
        ),
    ]


def post_body(rng: random.Random, image, index: int) -> list:
    paragraphs = rng.sample(demo_content.PARAGRAPHS, 4)
    body = [("paragraph", RichText(f"<p>{paragraphs[0]}</p><p>{paragraphs[1]}</p>"))]
    text, attribution = demo_content.QUOTES[index % len(demo_content.QUOTES)]
    body.append(("quote", {"text": text, "attribution": attribution}))
    body.append(("paragraph", RichText(f"<p>{paragraphs[2]}</p>")))
    body.append(
        (
            "image",
            {
                "image": image,
                "alt": image.description,
                "caption": "Our reading room",
                "credit": "CC BY 4.0",
            },
        )
    )
    if index % 4 == 0:
        body.append(
            (
                "video",
                {
                    "url": f"https://video.example.org/watch/{index}",
                    "title": "A tour of the library (video)",
                    "description": "Three minutes, with subtitles.",
                    "poster": image,
                },
            )
        )
    body.append(("paragraph", RichText(f"<p>{paragraphs[3]}</p>")))
    return body


def build_posts(blog: BlogIndexPage, authors: list[Author], rng: random.Random) -> None:
    now = timezone.now()
    for index, title in enumerate(demo_content.POST_TITLES):
        image = IllustrationFactory(
            title=title,
            seed=index,
            caption="",
            size=(1200, 675),
            description=describe_illustration(index, (1200, 675)),
        )
        post = BlogPageFactory.build(
            title=title,
            intro=rng.choice(demo_content.PARAGRAPHS).split(". ")[0] + ".",
            hero_image=image,
            hero_image_alt=describe_illustration(index, (1200, 675)),
            body=post_body(rng, image, index),
            first_published_at=now - timedelta(days=11 * (len(demo_content.POST_TITLES) - index)),
        )
        blog.add_child(instance=post)
        post.authors = rng.sample(authors, 1 if index % 5 else 2)
        post.tags.add(*rng.sample(demo_content.TAGS, rng.randint(1, 3)))
        post.save()
        post.save_revision().publish()


@contextmanager
def topic_emails_paused():
    """The demo's past topics went out long ago: building them sends nothing."""
    page_published.disconnect(dispatch_uid="blog_topic_published")
    try:
        yield
    finally:
        from blog import signals

        signals.connect()


def build_topics(archive: TopicIndexPage, rng: random.Random) -> None:
    from mentoring.models import Round

    finished = Round.objects.filter(slug="round-5").first()
    upcoming = Round.objects.filter(slug="round-9").first()
    curator = AuthorFactory(
        name="Lecturers of the School of Information, Pacific University",
        country="NZ",
        bio="A partner university whose lecturers curate one topic each round.",
    )
    with topic_emails_paused():
        for round_, limit in ((finished, None), (upcoming, SCHEDULED_TOPICS + 1)):
            if round_ is None:
                continue
            dates = round_.topic_release_dates()[:limit]
            for number, (day, (title, intro)) in enumerate(
                zip(dates, demo_content.TOPICS, strict=False)
            ):
                release_at = datetime.combine(day, time(8), tzinfo=UTC)
                topic = DiscussionTopicPageFactory.build(
                    title=title,
                    slug=f"{round_.slug}-{slugify(title)}",
                    intro=intro,
                    round=round_,
                    release_at=release_at,
                    go_live_at=release_at,
                    guest_curator=curator if number == 3 else None,
                    live=False,
                    body=[
                        ("paragraph", RichText(f"<p>{intro}</p>")),
                        ("paragraph", RichText(f"<p>{rng.choice(demo_content.PARAGRAPHS)}</p>")),
                    ],
                )
                archive.add_child(instance=topic)
                revision = topic.save_revision()
                if round_ is finished or number < SCHEDULED_TOPICS:
                    revision.publish()
                if round_ is finished:
                    Page.objects.filter(pk=topic.pk).update(
                        first_published_at=release_at, last_published_at=release_at
                    )


def add_footer_links(home: HomePage, pages: list[Page]) -> None:
    navigation = NavigationSettings.for_site(home.get_site())
    linked = {block.value["page"].pk for block in navigation.footer_links if block.value["page"]}
    missing = [page for page in pages if page.pk not in linked]
    if not missing:
        return
    links = [("link", block.value) for block in navigation.footer_links]
    links += [("link", {"page": page, "url": "", "label": ""}) for page in missing]
    navigation.footer_links = links
    navigation.save()
