"""The parts of the site every page shares: menus, search, language switcher, robots.txt,
the sitemap, error pages and the security headers."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error
from wagtail.models import Locale

from website.factories.website import StandardPageFactory
from website.models import NavigationSettings


@pytest.fixture
def about(home_page):
    return StandardPageFactory(
        parent=home_page, title="About the network", slug="about", intro="Volunteers run it."
    )


@pytest.mark.django_db
def test_menu_links_come_from_the_navigation_settings(client, site, about):
    navigation = NavigationSettings.for_site(site)
    navigation.primary_links = [
        ("link", {"page": about, "url": "", "label": ""}),
        ("link", {"page": None, "url": "https://example.org/report", "label": "Final report"}),
    ]
    navigation.save()
    content = client.get("/").content.decode()
    assert '<a href="/about/">About the network</a>' in content
    assert '<a href="https://example.org/report">Final report</a>' in content
    about_page = client.get("/about/").content.decode()
    assert '<a href="/about/" aria-current="page">About the network</a>' in about_page


@pytest.mark.django_db
def test_menu_shows_a_translated_page_in_the_visitors_language(client, site, home_page, about):
    spanish = Locale.objects.create(language_code="es")
    home_es = home_page.copy_for_translation(spanish)
    home_es.save_revision().publish()
    about_es = about.copy_for_translation(spanish)
    about_es.title = "Acerca de la red"
    about_es.slug = "acerca"
    about_es.save_revision().publish()
    navigation = NavigationSettings.for_site(site)
    navigation.primary_links = [("link", {"page": about, "url": "", "label": ""})]
    navigation.save()

    spanish_home = client.get("/es/").content.decode()
    assert '<a href="/es/acerca/">Acerca de la red</a>' in spanish_home
    assert 'lang="es" dir="ltr" hreflang="es" aria-current="true"' in spanish_home
    assert '<a href="/" lang="en" dir="ltr" hreflang="en">English</a>' in spanish_home


@pytest.mark.django_db
def test_search_finds_live_pages_only(client, home_page):
    StandardPageFactory(parent=home_page, title="Time zones", intro="Partners across time zones")
    StandardPageFactory(
        parent=home_page, title="Draft about time zones", intro="time zones", live=False
    )
    response = client.get("/search/", {"query": "time zones"})
    assert response.status_code == 200
    results = response.context["search_results"]
    assert [page.title for page in results] == ["Time zones"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"query": "x" * 10_000},
        {"query": "null\x00byte"},
        {"query": "partner", "page": "not-a-number"},
        {"query": "partner", "page": "999999"},
        {"query": ""},
    ],
)
def test_search_survives_odd_input(client, home_page, params):
    response = client.get("/search/", params)
    assert response.status_code == 200


@pytest.mark.django_db
def test_search_rejects_posts(client):
    assert client.post("/search/", {"query": "x"}).status_code == 405


@pytest.mark.django_db
def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


@pytest.mark.django_db
def test_sitemap_lists_live_pages(client, about):
    StandardPageFactory(parent=about.get_parent(), title="Hidden", slug="hidden", live=False)
    body = client.get("/sitemap.xml").content.decode()
    assert "/about/</loc>" in body
    assert "/hidden/" not in body


@pytest.mark.django_db
def test_unknown_address_gets_the_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_stands_alone():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


@pytest.mark.django_db
def test_public_pages_send_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "http" not in csp.replace("'self'", "")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.django_db
def test_footer_shows_the_content_licence(client):
    body = client.get("/").content.decode()
    assert 'rel="license" href="https://creativecommons.org/licenses/by/4.0/"' in body
    assert "The program is conducted in English." in body
