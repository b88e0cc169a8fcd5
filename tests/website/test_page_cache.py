"""Anonymous visitors' public pages come from the shared cache: a second visit runs no query;
a published change (the page, a snippet or setting it shows, a move, a deletion) is seen on
the next visit; a draft is not; signed-in visitors, personal pages and pages with a form are
never shared; the headers say what browsers and proxies may keep."""

import re

import pytest
from wagtail.models import Page, PageViewRestriction

from mentoring import links
from website.factories.blog import AuthorFactory, BlogIndexPageFactory, BlogPageFactory
from website.factories.mentoring import ApplicationFactory
from website.factories.website import StandardPageFactory, UserFactory
from website.models import HomePage, NavigationSettings, OrganisationSettings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings) -> None:
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_CACHE_BROWSER_SECONDS = 60


@pytest.fixture
def home() -> HomePage:
    """The home page, its site's settings saved (as on any site once set up: the first
    reading of a setting creates its row, which is a change of content)."""
    home = HomePage.objects.get(depth=2)
    OrganisationSettings.for_site(home.get_site())
    NavigationSettings.for_site(home.get_site())
    return home


def publish(page: Page) -> None:
    page.save_revision().publish()


def test_a_second_anonymous_visit_is_served_from_the_cache_without_a_query(
    client, home, django_assert_num_queries
):
    first = client.get("/")
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_a_cached_page_says_who_may_keep_it_and_answers_a_revalidation(client, home):
    response = client.get("/")
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    again = client.get("/", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_publishing_the_page_purges_it_and_a_draft_does_not(client, home):
    client.get("/")
    home.hero_heading = "A draft heading"
    home.save_revision()
    draft = client.get("/")
    assert draft["X-Page-Cache"] == "hit"
    assert b"A draft heading" not in draft.content

    home.hero_heading = "Applications are open"
    publish(home)
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert b"Applications are open" in response.content


def test_a_page_stored_in_another_generation_is_rendered_afresh(client, home):
    from django.core.cache import cache

    from website import pagecache

    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    cache.set(pagecache.GENERATION_KEY, cache.get(pagecache.GENERATION_KEY) + 1, None)
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    cache.delete(pagecache.GENERATION_KEY)  # evicted: a new generation, nothing stored matches
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_publishing_a_translation_purges_the_language_switcher(client, home):
    from wagtail.models import Locale

    spanish = Locale.objects.create(language_code="es")
    page = StandardPageFactory(parent=home, title="About", slug="about")
    publish(page)
    before = client.get("/about/").content.decode()
    assert 'href="/es/about/"' not in before
    home_es = home.copy_for_translation(spanish)
    publish(home_es)
    translation = page.copy_for_translation(spanish)
    publish(translation)
    after = client.get("/about/").content.decode()
    assert re.search(r'href="/es/[^"]*"[^>]*hreflang="es"', after)
    assert "/es/about/" in after


def test_changing_a_snippet_shown_on_a_page_purges_it(client, home):
    blog = BlogIndexPageFactory(parent=home, title="Blog", slug="blog")
    author = AuthorFactory(name="Ana Gomez")
    post = BlogPageFactory(parent=blog, title="A day at the library", authors=[author])
    publish(post)
    url = post.get_url()
    assert b"Ana Gomez" in client.get(url).content
    assert client.get(url)["X-Page-Cache"] == "hit"
    author.name = "Ana G\u00f3mez Ruiz"
    author.save()
    assert "Ana G\u00f3mez Ruiz" in client.get(url).content.decode()


def test_changing_a_setting_purges_every_page(client, home):
    client.get("/")
    organisation = OrganisationSettings.for_site(home.get_site())
    organisation.name = "Librarians Across Borders"
    organisation.save()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert b"Librarians Across Borders" in response.content


def test_moving_and_deleting_a_page_purge_it(client, home):
    parent = StandardPageFactory(parent=home, title="About", slug="about")
    child = StandardPageFactory(parent=home, title="Our team", slug="team")
    publish(parent)
    publish(child)
    assert client.get("/team/").status_code == 200
    child.move(parent, pos="last-child")
    moved = client.get("/team/")
    assert moved.status_code == 301  # Wagtail's redirect from the old address
    assert moved["Location"] == "/about/team/"
    assert client.get("/about/team/").status_code == 200
    Page.objects.get(pk=child.pk).delete()
    assert client.get("/about/team/").status_code == 404


def test_a_signed_in_visitor_is_never_served_or_stored(client, home):
    user = UserFactory()
    client.get("/")  # stored for anonymous visitors
    client.force_login(user)
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    client.logout()
    client.cookies.clear()
    anonymous = client.get("/")
    assert anonymous["X-Page-Cache"] == "hit"


def test_a_personal_page_is_never_stored(client):
    application = ApplicationFactory()
    token = links.make_token(links.PERSONAL, application.pk, application.access_key)
    url = f"/me/{token}/"
    first = client.get(url)
    assert first.status_code == 200
    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in client.get(url)


def test_a_page_with_a_form_is_never_shared_nor_its_csrf_token(client, home):
    """A password-protected page is served with a form: each visitor has their own token."""
    page = StandardPageFactory(parent=home, title="Volunteers' corner", slug="corner")
    publish(page)
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    tokens = []
    for _visitor in range(2):
        client.cookies.clear()
        response = client.get("/corner/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "private" in response["Cache-Control"]
        tokens.append(re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content))
    assert all(tokens)
    assert tokens[0].group(1) != tokens[1].group(1)


def test_the_cache_keys_on_the_language_and_the_query(client, home):
    assert client.get("/search/?query=library")["X-Page-Cache"] == "miss"
    assert client.get("/search/?query=library")["X-Page-Cache"] == "hit"
    assert client.get("/search/?query=mentor")["X-Page-Cache"] == "miss"


def test_a_page_showing_the_apply_call_is_kept_no_longer_than_until_the_round_opens(client, home):
    import time
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from website.factories.mentoring import RoundFactory

    RoundFactory(name="Round 12", application_opens_at=timezone.now() + timedelta(seconds=90))
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert b"Round 12" in response.content
    expiries = [
        expiry - time.time()
        for key, expiry in cache._expire_info.items()
        if ":website:page:" in key
    ]
    assert expiries
    assert max(expiries) <= 90
