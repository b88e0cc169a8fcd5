"""The interface in Spanish, French, Portuguese and Arabic (right to left), the language
switcher, and hreflang alternates in the page head and the sitemap."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db

STATEMENT_ES = "El programa se desarrolla únicamente en inglés."


@pytest.fixture
def spanish_promo(promo, locales):
    spanish = promo.copy_for_translation(locales["es"]).specific
    spanish.title = "Únete a la próxima ronda"
    spanish.english_only_statement = STATEMENT_ES
    spanish.save_revision().publish()
    return spanish


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("es", "Saltar al contenido"),
        ("fr", "Aller au contenu"),
        ("pt", "Saltar para o conteúdo"),
        ("ar", "انتقل إلى المحتوى"),
    ],
)
def test_the_interface_is_translated(client, home_page, locales, code, text):
    body = client.get(f"/{code}/").content.decode()
    assert text in body
    assert f'lang="{code}"' in body


def test_arabic_is_right_to_left(client, directory):
    body = client.get("/ar/ambassadors/").content.decode()
    assert 'dir="rtl"' in body
    assert "سفراؤنا حسب المنطقة" in body or "لا يوجد سفراء بعد." in body
    assert 'dir="ltr"' in client.get("/es/ambassadors/").content.decode()


def test_catalogues_are_complete_and_compiled():
    locale_dir = Path(settings.BASE_DIR) / "locale"
    for code in ["es", "fr", "pt", "ar"]:
        po = (locale_dir / code / "LC_MESSAGES" / "django.po").read_text()
        assert (locale_dir / code / "LC_MESSAGES" / "django.mo").exists()
        blocks = po.split("\n\n")[1:]
        untranslated = [block for block in blocks if block.rstrip().endswith('msgstr ""')]
        assert untranslated == [], f"{code}: {len(untranslated)} untranslated"
    with translation.override("ar"):
        assert translation.gettext("Search") == "بحث"


def test_switcher_leads_to_a_translation_or_that_languages_home(client, promo, spanish_promo):
    body = client.get(promo.url).content.decode()
    assert 'href="/es/ambassadors/join/" lang="es"' in body
    assert 'href="/fr/ambassadors/join/"' not in body
    assert 'href="/fr/" lang="fr"' in body


def test_untranslated_promo_text_in_arabic_is_marked_english(client, promo, locales):
    arabic = promo.copy_for_translation(locales["ar"]).specific
    arabic.title = "انضم إلى الجولة القادمة"
    arabic.english_only_statement = "يُدار البرنامج باللغة الإنجليزية فقط."
    arabic.save_revision().publish()
    arabic.refresh_from_db()
    soup = BeautifulSoup(client.get(arabic.url).content.decode(), "html.parser")
    assert soup.h1.get("lang") is None
    assert soup.find(class_="promo__statement").get("lang") is None
    long_text = soup.find(class_="promo__long")
    assert (long_text["lang"], long_text["dir"]) == ("en", "ltr")
    assert soup.find(id="short-text")["lang"] == "en"


def test_head_has_hreflang_alternates(client, promo, spanish_promo):
    body = client.get(spanish_promo.url).content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://localhost/ambassadors/join/">' in body
    assert (
        '<link rel="alternate" hreflang="es" href="http://localhost/es/ambassadors/join/">' in body
    )
    assert 'hreflang="x-default" href="http://localhost/ambassadors/join/"' in body
    assert 'hreflang="fr"' not in body.split("</head>")[0]


def test_an_untranslated_page_has_no_alternates(client, promo):
    head = client.get(promo.url).content.decode().split("</head>")[0]
    assert 'rel="alternate"' not in head


def test_sitemap_lists_translations_with_alternates(client, promo, spanish_promo):
    body = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://localhost/es/ambassadors/join/</loc>" in body
    assert (
        '<xhtml:link rel="alternate" hreflang="es" href="http://localhost/es/ambassadors/join/"/>'
        in body
    )
    assert 'hreflang="x-default" href="http://localhost/ambassadors/join/"' in body


def test_a_routable_sub_page_has_no_alternates_of_its_parent(client, directory, spanish_ambassador):
    head = client.get("/ambassadors/country/mx/").content.decode().split("</head>")[0]
    assert 'rel="alternate"' not in head
    head = client.get("/ambassadors/").content.decode().split("</head>")[0]
    assert 'hreflang="es"' in head
