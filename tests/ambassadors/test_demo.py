"""The ambassadors' demo: 40+ fictional ambassadors in 30+ countries, and the open round's
promotional page live in the five languages; safe to run again."""

import io

import pytest
from django.conf import settings
from wagtail.models import Page, Site

from ambassadors import demo
from ambassadors.models import Ambassador, AmbassadorCountry, PromoPage
from website import demo as website_demo
from website.models import NavigationSettings

pytestmark = pytest.mark.django_db


def test_demo_builds_ambassadors_and_promo_pages(client):
    website_demo.build(io.StringIO(), seed=2013)
    out = io.StringIO()
    demo.build(out, seed=2013)
    pages, ambassadors = Page.objects.count(), Ambassador.objects.count()
    demo.build(io.StringIO(), seed=2013)
    assert (Page.objects.count(), Ambassador.objects.count()) == (pages, ambassadors)

    assert ambassadors >= 40
    assert AmbassadorCountry.objects.values("country").distinct().count() >= 30
    promos = PromoPage.objects.live().select_related("locale")
    assert {page.locale.language_code for page in promos} == {"en", "es", "fr", "pt", "ar"}
    assert all(page.english_only_statement for page in promos if page.locale.language_code != "en")
    assert "ambassador-ar" in website_demo.accounts_summary()

    spanish_account = Ambassador.objects.get(user__username="ambassador").user
    groups = set(spanish_account.groups.values_list("name", flat=True))
    assert groups == {settings.AMBASSADORS_GROUP, "Ambassadors: Spanish"}
    for page in promos:
        assert client.get(page.url).status_code == 200, page.url
    assert client.get("/ar/ambassadors/").status_code == 200
    footer = NavigationSettings.for_site(Site.objects.get(is_default_site=True)).footer_links
    assert [block.value["page"].slug for block in footer].count("ambassadors") == 1
