"""The site search and the admin's page search take any text: quotes, SQL and markup
characters, NUL, very long strings give results or "no results", never a server error."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Page

from tests.website.demo_db import _media_root, demo_module  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_module")]

HOSTILE_QUERIES = [
    '"',
    '""',
    'a"b',
    '"unterminated phrase',
    'mentoring "peer',
    "'",
    "' OR 1=1 --",
    "'; DROP TABLE wagtailcore_page; --",
    'mentor" OR "1"="1',
    "<script>alert(1)</script>",
    "a AND",
    "OR",
    "NOT mentoring",
    "NEAR(a b)",
    "title:mentoring",
    "{title}: x",
    "(",
    "*",
    "mentor*",
    "^mentoring",
    "-mentoring",
    "%",
    "_",
    "\\",
    "a\x00b",
    "\x00",
    "é" * 300,
    "mentoring " * 5000,
    "🙂",
    "\u202e",
]
LANGUAGE_PREFIXES = ["", "/es", "/fr", "/pt", "/ar"]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_the_site_search_answers_any_query(client, query):
    for prefix in LANGUAGE_PREFIXES:
        response = client.get(f"{prefix}/search/", {"query": query})
        assert response.status_code == 200, (prefix, query)
    assert b"<script>alert(1)" not in response.content


def test_a_query_with_quotes_still_finds_pages(client):
    response = client.get("/search/", {"query": '"mentoring'})

    assert response.status_code == 200
    assert response.context["search_results"].paginator.count > 0


def test_a_bad_page_number_shows_a_page_of_results(client):
    for page in ["0", "-1", "x", "99999999999999999999", "'"]:
        response = client.get("/search/", {"query": "mentoring", "page": page})
        assert response.status_code == 200


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_the_model_search_and_autocomplete_take_any_query(db, query):
    """The backend itself, as the admin's choosers and page search use it."""
    list(Page.objects.search(query)[:5])
    list(Page.objects.autocomplete(query)[:5])


def test_the_admin_page_search_answers_any_query(db):
    director = Client(raise_request_exception=True)
    director.force_login(get_user_model().objects.get(username="director"))
    for query in HOSTILE_QUERIES:
        response = director.get("/admin/pages/search/", {"q": query})
        assert response.status_code == 200, query
