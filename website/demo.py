"""Demo content of the site shell: program pages, menus, languages, demo volunteers."""

import textwrap
from typing import TextIO
from urllib.parse import urlsplit

from django.conf import settings
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from website import demo_content
from website.factories.website import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    StandardPageFactory,
    UserFactory,
    give_authenticator,
)
from website.models import HomePage, NavigationSettings, OrganisationSettings

DEMO_COLLECTION = "Demo images"
DEMO_VOLUNTEERS = [
    ("director", settings.DIRECTORS_GROUP),
    ("content", settings.CONTENT_OFFICERS_GROUP),
    ("editor", settings.GUEST_EDITORS_GROUP),
    ("ambassador", settings.AMBASSADORS_GROUP),
    ("social", settings.SOCIAL_COORDINATORS_GROUP),
    ("comms", settings.COMMUNICATIONS_OFFICERS_GROUP),
    ("data", settings.DATA_OFFICERS_GROUP),
]
# What to try as each demo account; the README lists the same (a test compares them).
DEMO_ACCOUNTS = [
    ("admin", "superuser", "everything; Settings → Groups shows each role's rights"),
    (
        "director",
        settings.DIRECTORS_GROUP,
        "Mentoring → Rounds: Round 7 is ready to match (run, review, approve), Round 6 is "
        "running with a report to act on; Outbox: settle the message in doubt; approve "
        "the postcard waiting for review",
    ),
    (
        "content",
        settings.CONTENT_OFFICERS_GROUP,
        "edit a page or write a blog post and submit it for review",
    ),
    ("editor", settings.GUEST_EDITORS_GROUP, "preview and approve the postcard waiting for review"),
    (
        "ambassador",
        settings.AMBASSADORS_GROUP,
        "translate Round 9's promotional page into Spanish (also ambassador-fr, "
        "ambassador-pt, ambassador-ar)",
    ),
    (
        "social",
        settings.SOCIAL_COORDINATORS_GROUP,
        "Social queue: a post in doubt on X and one refused by Mastodon",
    ),
    (
        "comms",
        settings.COMMUNICATIONS_OFFICERS_GROUP,
        "Campaigns: preview, test and send the draft to Oceania's applicants",
    ),
    (
        "data",
        settings.DATA_OFFICERS_GROUP,
        "Mentoring: applications of every round, the interest list; Outbox",
    ),
]


def build(out: TextIO, seed: int) -> None:
    home = HomePage.objects.get(pk=Site.objects.get(is_default_site=True).root_page_id)
    pages = {page["slug"]: build_standard_page(home, page) for page in demo_content.PAGES}
    if not home.hero_text:
        fill_home_page(home, hero_link=pages["how-it-works"])
    build_settings(home, pages)
    build_translations(home, pages)
    build_volunteers(out)


def fill_home_page(home: HomePage, hero_link: Page) -> None:
    content = demo_content.HOME
    home.hero_heading = content["hero_heading"]
    home.hero_text = content["hero_text"]
    home.hero_link = hero_link
    home.hero_link_label = content["hero_link_label"]
    home.body = content["body"]
    home.search_description = content["hero_text"]
    home.save_revision().publish()


def build_standard_page(parent: Page, content: dict) -> Page:
    existing = parent.get_children().filter(slug=content["slug"]).first()
    if existing:
        return existing.specific
    page = StandardPageFactory.build(
        title=content["title"],
        slug=content["slug"],
        intro=content["intro"],
        search_description=content["search_description"],
        body=content["body"],
        show_in_menus=content["slug"] in demo_content.PRIMARY_MENU,
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def build_settings(home: HomePage, pages: dict[str, Page]) -> None:
    site = home.get_site()
    address = urlsplit(settings.BASE_URL)
    site.hostname = address.hostname or "localhost"
    site.port = address.port or (443 if address.scheme == "https" else 80)
    site.save()
    organisation = OrganisationSettings.for_site(site)
    if not organisation.contact_email:
        organisation.tagline = "Free online peer mentoring for the library world"
        organisation.contact_email = "hello@example.org"
        organisation.social_links = [
            ("link", {"network": "mastodon", "url": "https://mastodon.example.org/@network"}),
            ("link", {"network": "bluesky", "url": "https://bsky.example.org/profile/network"}),
        ]
        organisation.save()
    navigation = NavigationSettings.for_site(site)
    if not navigation.primary_links:
        navigation.primary_links = [
            ("link", {"page": pages[slug], "url": "", "label": ""})
            for slug in demo_content.PRIMARY_MENU
        ]
        navigation.footer_links = [
            ("link", {"page": pages[slug], "url": "", "label": ""})
            for slug in demo_content.FOOTER_MENU
        ]
        navigation.save()


def build_translations(home: HomePage, pages: dict[str, Page]) -> None:
    """Every site language gets a Locale; the home page and "How it works" are in Spanish."""
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    spanish = Locale.objects.get(language_code="es")
    translate(home, spanish, demo_content.SPANISH["home"])
    translate(pages["how-it-works"], spanish, demo_content.SPANISH["how-it-works"])


def translate(page: Page, locale: Locale, content: dict) -> Page:
    existing = page.get_translation_or_none(locale)
    if existing:
        return existing.specific
    translation = page.copy_for_translation(locale).specific
    for field, value in content.items():
        setattr(translation, field, value)
    translation.save_revision().publish()
    return translation


def build_volunteers(out: TextIO) -> None:
    admin = UserFactory(username="admin", first_name="Demo", last_name="Administrator")
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save()
    give_authenticator(admin)
    for username, group in DEMO_VOLUNTEERS:
        UserFactory(username=username, groups=[group])


def accounts_summary() -> str:
    """The demo accounts that exist and what to try as each, as `make run` prints them."""
    from website.models import User

    existing = set(
        User.objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    if not existing:
        return ""
    lines = [f"Demo accounts, all with the password {DEMO_PASSWORD} (demo only):"]
    for username, role, what in DEMO_ACCOUNTS:
        if username in existing:
            lines.append(f"  {username} ({role})")
            lines.append(
                textwrap.fill(what, width=96, initial_indent=" " * 6, subsequent_indent=" " * 6)
            )
    lines.append(
        "Two-step accounts (directors, data officers, admin): add the key "
        f"{DEMO_TOTP_SECRET} to an authenticator app (time-based, six digits), or run "
        "`python manage.py demo_totp_code` for the current code."
    )
    return "\n".join(lines)


def gather_images() -> Collection:
    """The demo's images and documents in one collection under the root, where every role
    that chooses images sees them (the factories leave each in a top-level collection of its
    own, which only a superuser sees)."""
    root = Collection.get_first_root_node()
    shared = root.get_children().filter(name=DEMO_COLLECTION).first()
    if shared is None:
        shared = root.add_child(name=DEMO_COLLECTION)
    stray = Collection.objects.filter(depth=1).exclude(pk=root.pk)
    get_image_model().objects.filter(collection__in=stray).update(collection=shared)
    get_document_model().objects.filter(collection__in=stray).update(collection=shared)
    stray.delete()
    return shared
