"""Pages in other languages: the switcher on every page, menus in the visitor's language, and
content left in English inside a translated page marked with its own language and direction."""

import re

import pytest
from bs4 import BeautifulSoup, Comment
from django.utils import translation
from wagtail.models import Locale

from website.factories.website import StandardPageFactory
from website.models import NavigationSettings

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
ARABIC = re.compile(r"[\u0600-\u06FF]")
EMAIL = re.compile(r"^\S+@\S+$")


@pytest.fixture(autouse=True)
def _language_restored():
    """Requests in other languages leave their language active in this thread: restore it."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def about(home_page):
    return StandardPageFactory(
        parent=home_page,
        title="About the network",
        slug="about",
        intro="Volunteers run it.",
        body=[("paragraph", "<p>Librarians meet a partner abroad, for four months.</p>")],
    )


@pytest.fixture
def locales(home_page):
    """Spanish and Arabic, each with its own home page (as the demo and the ambassadors have)."""
    made = {}
    for code, title in [("es", "Inicio"), ("ar", "الرئيسية")]:
        locale = Locale.objects.create(language_code=code)
        home = home_page.copy_for_translation(locale)
        home.title = title
        home.save_revision().publish()
        made[code] = locale
    return made


def translate(page, locale, **fields):
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


def switcher(content: str) -> dict[str, dict]:
    nav = BeautifulSoup(content, "html.parser").find("nav", class_="language-switcher")
    assert nav is not None, "no language switcher"
    return {link["lang"]: link for link in nav.find_all("a")}


@pytest.mark.django_db
def test_switcher_on_an_untranslated_page_leads_to_each_languages_home(client, about, locales):
    links = switcher(client.get("/about/").content.decode())
    assert links["en"]["href"] == "/about/"
    assert links["en"]["aria-current"] == "true"
    assert links["es"]["href"] == "/es/"
    assert links["ar"]["href"] == "/ar/"
    assert links["ar"]["dir"] == "rtl"
    assert "not translated yet" in links["es"]["title"]


@pytest.mark.django_db
def test_switcher_on_a_translated_page_leads_to_its_translation(client, about, locales):
    translate(about, locales["es"], title="Acerca de la red", slug="acerca")
    links = switcher(client.get("/about/").content.decode())
    assert links["es"]["href"] == "/es/acerca/"
    assert "title" not in links["es"].attrs
    assert links["ar"]["href"] == "/ar/"
    back = switcher(client.get("/es/acerca/").content.decode())
    assert back["en"]["href"] == "/about/"
    assert back["es"]["aria-current"] == "true"


@pytest.mark.django_db
def test_menu_labels_are_the_translated_titles_in_spanish(client, site, home_page, about, locales):
    faq = StandardPageFactory(parent=home_page, title="Frequently asked questions", slug="faq")
    translate(about, locales["es"], title="Acerca de la red", slug="acerca")
    navigation = NavigationSettings.for_site(site)
    navigation.primary_links = [
        ("link", {"page": about, "url": "", "label": "About us"}),
        ("link", {"page": faq, "url": "", "label": ""}),
    ]
    navigation.footer_links = [("link", {"page": about, "url": "", "label": ""})]
    navigation.save()

    soup = BeautifulSoup(client.get("/es/").content.decode(), "html.parser")
    menu = soup.find("nav", class_="site-nav").find_all("a")
    assert [(a.get_text(), a.get("lang")) for a in menu[:2]] == [
        ("Acerca de la red", None),
        ("Frequently asked questions", "en"),
    ]
    assert menu[1]["dir"] == "ltr"
    footer = soup.find("footer").find("nav").find_all("a")
    assert [(a["href"], a.get_text()) for a in footer] == [("/es/acerca/", "Acerca de la red")]
    english = BeautifulSoup(client.get("/").content.decode(), "html.parser")
    assert english.find("nav", class_="site-nav").find("a").get_text() == "About us"


def unmarked_english(content: str) -> list[str]:
    """Text in Latin script without Arabic letters, in no element marked with another language.
    The call to apply is interface text from the catalogue (its own test checks that every
    string is translated), so it is left out here."""
    soup = BeautifulSoup(content, "html.parser")
    for call in soup.select(".apply-call"):
        call.decompose()
    found = []
    for text in soup.body.find_all(string=True):
        if isinstance(text, Comment) or text.parent.name in ("script", "style"):
            continue
        value = text.strip()
        if not LATIN_WORD.search(value) or ARABIC.search(value) or EMAIL.match(value):
            continue
        marked = next((p["lang"] for p in text.parents if p.attrs and p.get("lang")), None)
        if marked == "ar":
            found.append(value)
    return found


@pytest.mark.django_db
def test_english_content_inside_an_arabic_page_carries_lang_and_dir(
    client, site, home_page, about, locales
):
    arabic = translate(about, locales["ar"], title="عن الشبكة", slug="an")
    navigation = NavigationSettings.for_site(site)
    navigation.primary_links = [("link", {"page": about, "url": "", "label": ""})]
    navigation.footer_links = [
        ("link", {"page": None, "url": "https://example.org/report", "label": "Final report"})
    ]
    navigation.save()

    content = client.get(arabic.url).content.decode()
    soup = BeautifulSoup(content, "html.parser")
    assert soup.html["lang"] == "ar" and soup.html["dir"] == "rtl"
    assert soup.h1.get("lang") is None
    intro = soup.find("p", class_="lead")
    assert (intro["lang"], intro["dir"]) == ("en", "ltr")
    body = soup.find(string=re.compile("for four months")).find_parent(attrs={"lang": True})
    assert (body["lang"], body["dir"]) == ("en", "ltr")
    assert unmarked_english(content) == []

    arabic.intro = "يديرها متطوعون."
    arabic.save_revision().publish()
    translated = BeautifulSoup(client.get(arabic.url).content.decode(), "html.parser")
    assert translated.find("p", class_="lead").get("lang") is None
