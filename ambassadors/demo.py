"""Demo content of the ambassadors: the directory in five languages, 44 fictional ambassadors
in 36 countries with generated portraits, and the open round's promotional page in English,
Spanish, French, Portuguese and Arabic. Safe to run again."""

import random
from datetime import timedelta
from typing import TextIO

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from faker import Faker
from wagtail.models import Locale, Site
from wagtail_localize.operations import translate_object

from ambassadors import demo_content
from ambassadors.models import Ambassador, AmbassadorIndexPage, PromoPage, PromoPageImage
from ambassadors.services.locales import set_up_all_locales
from ambassadors.services.profiles import sync_groups
from mentoring.models import Round
from website.demo import translate
from website.factories.ambassadors import (
    AmbassadorFactory,
    AmbassadorIndexPageFactory,
    PortraitFactory,
    PromoPageFactory,
    open_round,
)
from website.factories.images import IllustrationFactory
from website.factories.website import UserFactory
from website.models import HomePage, NavigationSettings

LANGUAGES = ["es", "fr", "pt", "ar"]
# Demo accounts that are ambassadors: (username, index in demo_content.AMBASSADORS).
ACCOUNTS = {"ambassador": 0, "ambassador-fr": 8, "ambassador-pt": 14, "ambassador-ar": 19}


def build(out: TextIO, seed: int) -> None:
    home = HomePage.objects.get(pk=Site.objects.get(is_default_site=True).root_page_id)
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}
    for code, content in demo_content.HOME.items():
        translate(home, locales[code], content)
    set_up_all_locales()
    directory = build_directory(home, locales)
    link_from_footer(home, directory)
    build_promo_page(directory, locales, seed)
    build_ambassadors(seed)
    out.write(
        f"Ambassadors: {Ambassador.objects.count()} profiles, Round 9's promotional page in "
        f"{len(LANGUAGES) + 1} languages."
    )


def build_directory(home: HomePage, locales: dict[str, Locale]) -> AmbassadorIndexPage:
    directory = AmbassadorIndexPage.objects.filter(locale=home.locale).first()
    if directory is None:
        title, intro = demo_content.DIRECTORY["en"]
        directory = AmbassadorIndexPageFactory.build(title=title, intro=intro, show_in_menus=True)
        home.add_child(instance=directory)
        directory.save_revision().publish()
    for code, locale in locales.items():
        title, intro = demo_content.DIRECTORY[code]
        translate(directory, locale, {"title": title, "intro": intro})
    return directory


def link_from_footer(home: HomePage, directory: AmbassadorIndexPage) -> None:
    navigation = NavigationSettings.for_site(home.get_site())
    if any(
        getattr(block.value["page"], "pk", None) == directory.pk
        for block in navigation.footer_links
    ):
        return
    navigation.footer_links.append(("link", {"page": directory, "url": "", "label": ""}))
    navigation.save()


def build_promo_page(directory: AmbassadorIndexPage, locales: dict[str, Locale], seed: int) -> None:
    round_ = Round.objects.applications_open().order_by("application_opens_at").first()
    round_ = round_ or open_round()
    promo = PromoPage.objects.filter(round=round_, locale=directory.locale).first()
    if promo is None:
        english = texts("en", round_)
        promo = PromoPageFactory.build(
            round=round_,
            title=english["title"],
            slug=slugify(f"join-{round_.slug}"),
            short_text=english["short_text"],
            long_text=english["long_text"],
            search_description=english["short_text"],
        )
        directory.add_child(instance=promo)
        for n, caption in enumerate(["Apply now", "Free peer mentoring"]):
            image = IllustrationFactory(
                title=f"{round_.name}: {caption}",
                seed=seed + 500 + n,
                caption=f"{round_.name}: {caption}",
                size=(1200, 630),
            )
            PromoPageImage.objects.create(page=promo, image=image, caption=caption, sort_order=n)
        promo.save_revision().publish()
        promo.refresh_from_db()
    for code, locale in locales.items():
        if promo.get_translation_or_none(locale) is not None:
            continue
        translate_object(promo, [locale])
        translation = promo.get_translation(locale).specific
        content = texts(code, round_)
        translation.title = content["title"]
        translation.short_text = content["short_text"]
        translation.long_text = content["long_text"]
        translation.english_only_statement = content["statement"]
        translation.search_description = content["short_text"]
        translation.save_revision().publish()


def texts(code: str, round_: Round) -> dict[str, str]:
    content = demo_content.PROMO[code]
    closes = timezone.localtime(round_.application_closes_at).date()
    with translation.override(code):
        values = {"round": round_.name, "closes": date_format(closes, "j F Y")}
    return {
        "title": content["title"].format(**values),
        "statement": content["statement"],
        "short_text": content["short"].format(**values),
        "long_text": content["long"].format(**values),
    }


def build_ambassadors(seed: int) -> None:
    rng = random.Random(seed)
    usernames = {index: username for username, index in ACCOUNTS.items()}
    today = timezone.localdate()
    for n, (country, faker_locale, languages) in enumerate(demo_content.AMBASSADORS):
        fake = Faker(faker_locale)
        fake.seed_instance(seed + n)
        name = f"{fake.first_name()} {fake.last_name()}"
        slug = f"{slugify(name) or 'ambassador'}-{country.lower()}"
        if Ambassador.objects.filter(slug=slug).exists():
            continue
        user = None
        if n in usernames:
            user = UserFactory(username=usernames[n], groups=[settings.AMBASSADORS_GROUP])
            first, _space, last = name.partition(" ")
            user.first_name, user.last_name = first, last
            user.save()
        # A few terms end within the month, so the recommit-or-resign email has someone to go to.
        starts = today - timedelta(days=340 if n % 9 == 4 else rng.randint(10, 300))
        AmbassadorFactory(
            name=name,
            slug=slug,
            user=user,
            email=f"{slug}@example.org",
            languages=languages,
            countries=[country],
            term_starts_on=starts,
            photo=PortraitFactory(person=name, seed=seed + n),
            bio=bio(rng, country),
        )
    # The site shell's demo resets its volunteers' groups on every run: give them back.
    for ambassador in Ambassador.objects.filter(user__isnull=False).select_related("user"):
        sync_groups(ambassador)


BIO_OPENINGS = [
    "Reference librarian at a university library",
    "Runs a small public library",
    "School librarian and storyteller",
    "Archivist and digital collections lead",
    "Library science student",
    "Cataloguer at a national library",
    "Health sciences librarian",
    "Community library volunteer coordinator",
]
BIO_ENDINGS = [
    "took part in two rounds before becoming an ambassador.",
    "loves connecting colleagues across borders.",
    "speaks at library association events about peer mentoring.",
    "first joined the network as a student.",
]


def bio(rng: random.Random, country: str) -> str:
    from django_countries import countries

    return f"{rng.choice(BIO_OPENINGS)} in {countries.name(country)}; {rng.choice(BIO_ENDINGS)}"
