"""The postcard gallery: where pages live, the country filter, light pages, feeds and the
sharing meta tags."""

from xml.etree import ElementTree

import pytest
from wagtail.test.utils import WagtailPageTestCase

from postcards.models import PostcardIndexPage, PostcardPage
from website.factories.postcards import PostcardIndexPageFactory, PostcardPageFactory
from website.models import HomePage


class TestPostcardTree(WagtailPageTestCase):
    def test_postcards_live_in_the_gallery_under_home(self):
        self.assertAllowedParentPageTypes(PostcardIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(PostcardIndexPage, {PostcardPage})
        self.assertAllowedParentPageTypes(PostcardPage, {PostcardIndexPage})


@pytest.fixture
def gallery(home_page, django_capture_on_commit_callbacks):
    page = PostcardIndexPageFactory(parent=home_page)
    page.save_revision().publish()
    # Publishing asks the worker for the photos' renditions once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        for place, country in [("Quito", "EC"), ("Lima", "PE"), ("Cusco", "PE")]:
            PostcardPageFactory(
                parent=page, place=place, country=country, photos=2
            ).save_revision().publish()
    return page


@pytest.mark.django_db
def test_gallery_filters_by_country_and_stays_light(client, gallery):
    everything = client.get(gallery.url).content.decode()
    assert all(place in everything for place in ("Quito", "Lima", "Cusco"))
    assert everything.count('loading="lazy"') >= 3
    assert 'type="image/webp"' in everything
    assert "srcset=" in everything
    peru = client.get(gallery.url + "?country=pe").content.decode()
    assert "Lima" in peru and "Cusco" in peru and "Quito" not in peru
    assert '<option value="PE" selected>' in peru
    assert client.get(gallery.url + "?country=ZZ").status_code == 200


@pytest.mark.django_db
def test_postcard_page_shows_every_photo_with_alt_text_and_sharing_meta(client, gallery):
    postcard = PostcardPage.objects.get(place="Quito")
    content = client.get(postcard.url).content.decode()
    assert content.count('alt="Shelves and reading tables at Quito"') == 2
    assert '<meta name="twitter:card" content="summary_large_image">' in content
    assert '<meta property="og:image" content="http' in content
    assert 'rel="license"' in content


@pytest.mark.django_db
def test_postcard_feeds(client, gallery):
    rss = ElementTree.fromstring(client.get(gallery.url + "feed/rss/").content)
    items = rss.find("channel").findall("item")
    assert len(items) == 3
    assert all(item.findtext("link").startswith("http") for item in items)
    atom = client.get(gallery.url + "feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert (
        len(ElementTree.fromstring(atom.content).findall("{http://www.w3.org/2005/Atom}entry")) == 3
    )
