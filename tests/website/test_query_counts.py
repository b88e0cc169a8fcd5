"""Every public page type answers an anonymous visitor in at most 10 database queries, with
the page cache off, whatever the number of posts, postcards, images, tags, authors and
translations on it: the demo site (35 posts, 24 postcards with photos, rounds, ambassadors,
pages in five languages) plus many more tags, authors and posts added here. The shared
cache is warm (one visit first), as it is on a running site: the locale table, settings,
menus, language links and renditions come from it; a page's own content does not."""

import pytest
from wagtail.models import Page

from blog.models import (
    BlogIndexPage,
    BlogPage,
    DiscussionTopicPage,
    SubmissionGuidelinesPage,
    TopicIndexPage,
)
from postcards.models import PostcardIndexPage, PostcardPage
from reporting.models import StatisticsIndexPage
from tests.website.demo_db import _media_root, demo_module  # noqa: F401
from volunteers.models import PositionIndexPage, PositionPage
from website.factories.blog import AuthorFactory, BlogPageFactory
from website.models import StandardPage

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


@pytest.fixture(scope="module")
def many_posts(demo_module, django_db_blocker):  # noqa: F811
    """Twenty more posts, each with six tags and three authors (a per-item query shows);
    rolled back with the demo when the module is done."""
    with django_db_blocker.unblock():
        blog = BlogIndexPage.objects.live().filter(locale__language_code="en").first()
        authors = [AuthorFactory(name=f"Author {n}") for n in range(6)]
        for n in range(20):
            post = BlogPageFactory(
                parent=blog,
                title=f"Many tags {n}",
                tags=[f"topic-{n % 7}", f"theme-{n % 5}", "libraries", "mentoring", "a", "b"],
                authors=authors[n % 3 : n % 3 + 3],
            )
            post.save_revision().publish()
        # The worker has made the renditions of the pages measured with photos, as it does on
        # a running site when an image is saved or a page published.
        from ambassadors.models import PromoPage
        from website.renditions import make_page_renditions

        for model in (PostcardPage, PromoPage):
            for page in model.objects.live().filter(locale__language_code__in=["en", "es"]):
                make_page_renditions(page.pk)
    return blog


def first_url(model) -> str:
    page = model.objects.live().filter(locale__language_code="en").first()
    assert page is not None, model
    return page.get_url()


def url_of(kind: str) -> str:
    blog = first_url(BlogIndexPage)
    post = BlogPage.objects.live().filter(title__startswith="Many tags").first()
    from ambassadors.models import AmbassadorIndexPage, PromoPage

    urls = {
        "home": lambda: "/",
        "standard page": lambda: first_url(StandardPage),
        "blog index": lambda: blog,
        "blog index, page 2": lambda: f"{blog}?page=2",
        "blog post": lambda: post.get_url(),
        "tag": lambda: f"{blog}tag/libraries/",
        "author": lambda: f"{blog}author/{post.authors.first().slug}/",
        "feed": lambda: f"{blog}feed/rss/",
        "postcards gallery": lambda: first_url(PostcardIndexPage),
        "postcard": lambda: first_url(PostcardPage),
        "topics": lambda: first_url(TopicIndexPage),
        "topic": lambda: first_url(DiscussionTopicPage),
        "ambassadors": lambda: first_url(AmbassadorIndexPage),
        "promo page": lambda: first_url(PromoPage),
        "submission guidelines": lambda: first_url(SubmissionGuidelinesPage),
        "apply": lambda: "/apply/",
        "search": lambda: "/search/?query=library",
        "Spanish home": lambda: "/es/",
        "Arabic home": lambda: "/ar/",
        "volunteer positions": lambda: first_url(PositionIndexPage),
        "position": lambda: first_url(PositionPage),
        "statistics": lambda: first_url(StatisticsIndexPage),
        "Spanish promo page": lambda: (
            PromoPage.objects.live().filter(locale__language_code="es").first().get_url()
        ),
    }
    return urls[kind]()


PAGE_TYPES = [
    "home",
    "standard page",
    "blog index",
    "blog index, page 2",
    "blog post",
    "tag",
    "author",
    "feed",
    "postcards gallery",
    "postcard",
    "topics",
    "topic",
    "ambassadors",
    "promo page",
    "submission guidelines",
    "apply",
    "search",
    "Spanish home",
    "Arabic home",
    "Spanish promo page",
    "volunteer positions",
    "position",
    "statistics",
]


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_a_public_page_takes_at_most_ten_queries(
    kind, client, many_posts, django_assert_max_num_queries
):
    url = url_of(kind)
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES, info=f"{kind}: {url}"):
        response = client.get(url)
    assert response.status_code == 200


def test_every_live_page_type_is_measured(many_posts):
    measured = {
        "homepage",
        "standardpage",
        "blogindexpage",
        "blogpage",
        "postcardindexpage",
        "postcardpage",
        "topicindexpage",
        "discussiontopicpage",
        "ambassadorindexpage",
        "promopage",
        "submissionguidelinespage",
        "positionindexpage",
        "positionpage",
        "statisticsindexpage",
    }
    live = {page.content_type.model for page in Page.objects.live().filter(depth__gt=1)}
    assert live <= measured


@pytest.mark.parametrize("kind", ["home", "apply", "feed", "postcards gallery"])
def test_the_site_and_the_pages_settings_point_to_come_from_the_cache(kind, client, many_posts):
    """Wagtail's site lookup (SiteMiddleware) and the pages the program settings link to
    (the apply form's code of conduct and requirements) cost no query once read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentoring.models import ProgramSettings

    linked = ProgramSettings.objects.exclude(code_of_conduct_page=None).first()
    assert linked is not None, "the demo's program settings link to no code of conduct"
    url = url_of(kind)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sql = [query["sql"] for query in queries]
    assert not [q for q in sql if '"wagtailcore_site"' in q], sql
    page_ids = {linked.code_of_conduct_page_id, linked.requirements_page_id}
    assert not [q for q in sql for pk in page_ids if f'"wagtailcore_page"."id" = {pk}' in q], sql
