"""Factories for the blog: authors, the blog index, posts, the submission guidelines."""

from datetime import UTC, datetime, time

import factory
import wagtail_factories
from django.utils.text import slugify
from wagtail.rich_text import RichText

from blog.models import (
    Author,
    BlogIndexPage,
    BlogPage,
    DiscussionTopicPage,
    SubmissionGuidelinesPage,
    TopicIndexPage,
)

from .mentoring import RoundFactory


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ("slug",)

    name = factory.Faker("name")
    slug = factory.LazyAttribute(lambda author: slugify(author.name))
    bio = factory.Faker("paragraph", nb_sentences=2)
    country = factory.Faker("country_code")


class BlogIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = BlogIndexPage

    title = "Blog"
    slug = "blog"
    intro = "News, stories and guest articles from the network."


class BlogPageFactory(wagtail_factories.PageFactory):
    """A post; `tags=[...]` and `authors=[...]` may be given."""

    class Meta:
        model = BlogPage
        skip_postgeneration_save = True

    title = factory.Faker("sentence", nb_words=6)
    intro = factory.Faker("paragraph", nb_sentences=2)
    body = factory.LazyAttribute(lambda post: [("paragraph", RichText(f"<p>{post.paragraph}</p>"))])

    class Params:
        paragraph = factory.Faker("paragraph", nb_sentences=6)

    @factory.post_generation
    def tags(self, create, names, **kwargs):
        if names:
            self.tags.add(*names)
            if create:
                self.save()

    @factory.post_generation
    def authors(self, create, authors, **kwargs):
        if authors:
            self.authors = authors
            if create:
                self.save()


class SubmissionGuidelinesPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SubmissionGuidelinesPage

    title = "Submission guidelines"
    slug = "submission-guidelines"
    intro = "What we publish from the community, and how."
    body = factory.LazyFunction(
        lambda: [
            (
                "paragraph",
                RichText(
                    "<p>Articles of 500 to 1,500 words, in English, under a Creative Commons "
                    "licence.</p>"
                ),
            )
        ]
    )


class TopicIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = TopicIndexPage

    title = "Discussion topics"
    slug = "topics"
    intro = "Every round, partners talk over a topic we release on a fixed schedule."


class DiscussionTopicPageFactory(wagtail_factories.PageFactory):
    """A topic released on the round's `release_number`-th topic date at 08:00 UTC."""

    class Meta:
        model = DiscussionTopicPage

    class Params:
        release_number = 0
        paragraph = factory.Faker("paragraph", nb_sentences=6)

    title = factory.Faker("sentence", nb_words=5)
    round = factory.SubFactory(RoundFactory)
    release_at = factory.LazyAttribute(
        lambda topic: datetime.combine(
            topic.round.topic_release_dates()[topic.release_number], time(8), tzinfo=UTC
        )
    )
    go_live_at = factory.LazyAttribute(lambda topic: topic.release_at)
    intro = factory.Faker("paragraph", nb_sentences=2)
    body = factory.LazyAttribute(
        lambda topic: [("paragraph", RichText(f"<p>{topic.paragraph}</p>"))]
    )
