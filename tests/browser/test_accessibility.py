"""WCAG 2.2 A/AA, as axe-core checks it: every public page type of the demo site, the Spanish
and Arabic home pages, every public form after an empty submit (with its error summary), and
every admin screen the project adds, as a superuser. Any violation fails the test."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Page, expect
from wagtail.models import Locale
from wagtail.models import Page as WagtailPage

from ambassadors.models import Ambassador, AmbassadorIndexPage, PromoPage
from blog.models import (
    BlogIndexPage,
    BlogPage,
    DiscussionTopicPage,
    SubmissionGuidelinesPage,
    TopicIndexPage,
)
from campaigns.models import Campaign
from mentoring.models import Application, MatchRun, Partnership, Round
from postcards.models import PostcardIndexPage, PostcardPage
from tests.browser.admin import sign_in
from tests.browser.axe import axe_source, new_axe_page, report, violations
from website.factories.website import UserFactory
from website.models import HomePage, OutboundEmail, StandardPage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


PAGE_TYPES = [
    HomePage,
    StandardPage,
    BlogIndexPage,
    BlogPage,
    SubmissionGuidelinesPage,
    TopicIndexPage,
    DiscussionTopicPage,
    PostcardIndexPage,
    PostcardPage,
    AmbassadorIndexPage,
    PromoPage,
]


@pytest.fixture(scope="session")
def axe_script() -> str:
    return axe_source()


@pytest.fixture
def axe_page(browser, live_server) -> Iterator[Page]:
    page = new_axe_page(browser, live_server.url, locale="en-GB")
    yield page
    page.context.close()


# Wagtail's StreamField slides new blocks and their "Insert a block" buttons in with jQuery
# (400 ms, outside the Web Animations API): axe run mid-slide sees the buttons overlap.
NO_JQUERY_ANIMATION = "() => !window.jQuery || window.jQuery(':animated').length === 0"
BLUR_UNTIL_NO_EDITOR_FOCUSED = """() => {
    document.activeElement?.blur();
    return !document.querySelector('.Draftail-Editor--focus');
}"""


def check(page: Page, script: str, where: str, exclusions=()) -> list[str]:
    page.wait_for_load_state("load")
    page.wait_for_function(NO_JQUERY_ANIMATION)
    found = violations(page, script, exclusions)
    return [report(where, found)] if found else []


def url_of(page: WagtailPage) -> str:
    return page.relative_url(page.get_site())


def first_live(model) -> WagtailPage:
    page = model.objects.live().filter(locale=Locale.get_default()).order_by("path").first()
    assert page is not None, f"the demo has no live {model.__name__}"
    return page


def public_paths() -> list[str]:
    """One page of each type, and the routes of the routable ones (an ambassadors' country
    and contact form, a blog tag)."""
    paths = [url_of(first_live(model)) for model in PAGE_TYPES]
    directory = url_of(first_live(AmbassadorIndexPage))
    ambassador = Ambassador.objects.order_by("pk").first()
    country = ambassador.countries.order_by("pk").first()
    paths.append(f"{directory}country/{country.country.code.lower()}/")
    paths.append(f"{directory}contact/{ambassador.slug}/")
    post = first_live(BlogPage)
    tag = post.tags.order_by("pk").first()
    if tag is not None:
        paths.append(f"{url_of(first_live(BlogIndexPage))}tag/{tag.slug}/")
    return paths


def test_public_pages_have_no_violations(axe_page, axe_script, demo_site):
    paths = [*public_paths(), "/es/", "/ar/", "/search/?query=mentoring", "/no-such-page/"]
    application = Application.objects.order_by("pk").first()
    paths.append(application.personal_page_url().split("://", 1)[-1].split("/", 1)[-1])
    problems = []
    for path in paths:
        path = "/" + path.lstrip("/")
        axe_page.goto(path)
        problems += check(axe_page, axe_script, path)
    assert not problems, "\n\n".join(problems)


FORMS = {
    "/apply/": "Send my application",
    "/me/": None,
    "/contribute/article/": None,
    "/contribute/postcard/": None,
}


def test_public_forms_in_their_error_state(axe_page, axe_script, demo_site):
    assert Round.objects.applications_open().exists(), "the demo has no open round"
    directory = url_of(first_live(AmbassadorIndexPage))
    ambassador = Ambassador.objects.order_by("pk").first()
    paths = [*FORMS, f"{directory}contact/{ambassador.slug}/"]
    problems = []
    for path in paths:
        axe_page.goto(path)
        axe_page.locator("main form[method=post] [type=submit]").last.click()
        axe_page.wait_for_load_state("load")
        summary = axe_page.locator(".error-summary")
        expect(summary, f"{path}: no error summary").to_be_visible()
        expect(summary, f"{path}: the summary does not have the focus").to_be_focused()
        expect(summary.get_by_role("heading")).to_have_text(re.compile(r"\d"))
        expect(axe_page).to_have_title(re.compile(r"^Error: "))
        links = summary.get_by_role("link")
        assert links.count() >= 1
        first = links.first
        target = first.get_attribute("href")
        first.click()
        expect(axe_page.locator(target), f"{path}: {target}").to_be_focused()
        problems += check(axe_page, axe_script, f"{path} after an empty submit")
    assert not problems, "\n\n".join(problems)


PROJECT_APPS = ("mentoring", "blog", "postcards", "ambassadors", "campaigns", "social", "website")
PROJECT_VIEWS = (
    "outbox:index",
    "mentoring_partnerships:index",
    "round_cockpit:index",
    "round_cockpit:round",
    "mentoring_matching:round",
    "mentoring_matching:run",
    "wagtailsnippets_mentoring_round:inspect",
    "wagtailsnippets_mentoring_application:inspect",
    "wagtailsnippets_campaigns_campaign:inspect",
    "wagtailsnippets_campaigns_campaign:edit",
    "outbox:inspect",
    "mentoring_partnerships:inspect",
)
SNIPPET = re.compile(r"^wagtailsnippets_(?P<app>[a-z]+)_(?P<model>[a-z]+):(?P<view>list|add)$")


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver: URLResolver, namespaces: tuple[str, ...]) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern, namespaces + ((pattern.namespace,) if pattern.namespace else ()))
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(":".join((*namespaces, pattern.name)))

    walk(get_resolver(), ())
    return names


def admin_screens() -> list[str]:
    """A listing and a create form of each snippet viewset of the project's apps, and the
    project's own admin views (matching, cockpit, partnerships, outbox, inspect and edit
    screens that the project writes), filled with the demo's first objects."""
    names = url_names()
    screens = sorted(
        name for name in names if (match := SNIPPET.match(name)) and match["app"] in PROJECT_APPS
    )
    missing = [name for name in PROJECT_VIEWS if name not in names]
    assert not missing, f"admin URL names gone: {missing}"
    round = Round.objects.order_by("pk").first()
    run = MatchRun.objects.order_by("pk").first()
    kwargs = {
        "round_cockpit:round": {"round_id": round.pk},
        "mentoring_matching:round": {"round_id": round.pk},
        "mentoring_matching:run": {"run_id": run.pk} if run else None,
    }
    firsts = {
        "wagtailsnippets_mentoring_round:inspect": Round,
        "wagtailsnippets_mentoring_application:inspect": Application,
        "wagtailsnippets_campaigns_campaign:inspect": Campaign,
        "wagtailsnippets_campaigns_campaign:edit": Campaign,
        "outbox:inspect": OutboundEmail,
        "mentoring_partnerships:inspect": Partnership,
    }
    paths = [reverse(name) for name in screens]
    for name in PROJECT_VIEWS:
        if name in kwargs:
            if kwargs[name] is not None:
                paths.append(reverse(name, kwargs=kwargs[name]))
        elif name.endswith((":inspect", ":edit")):
            first = firsts[name].objects.order_by("pk").first()
            if first is not None:
                paths.append(reverse(name, args=[first.pk]))
        else:
            paths.append(reverse(name))
    for model in ("website/organisationsettings", "website/navigationsettings"):
        paths.append(f"/admin/settings/{model}/")
    # Postcard moderation: the editor of a sent postcard, with the panel of its private photos.
    sent = PostcardPage.objects.filter(photos__submitted_photo__isnull=False).first()
    assert sent is not None, "the demo has no postcard waiting for moderation"
    paths.append(reverse("wagtailadmin_pages:edit", args=[sent.pk]))
    return paths


def test_admin_screens_have_no_violations(axe_page, axe_script, demo_site):
    UserFactory(username="axe-admin", is_superuser=True, is_staff=True)
    sign_in(axe_page, "axe-admin")
    paths = admin_screens()
    assert len(paths) >= 20, paths
    problems = []
    for path in paths:
        response = axe_page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        problems += check(axe_page, axe_script, path)
    assert not problems, f"{len(paths)} screens\n\n" + "\n\n".join(problems)


def test_rich_text_editors_are_named_by_their_block(axe_page, axe_script, demo_site):
    """Draftail in a StreamField block (website/rich_text.py): named by the block's label and
    described by ids that exist, for the blocks on the page and for a block added now."""
    UserFactory(username="axe-admin", is_superuser=True, is_staff=True)
    sign_in(axe_page, "axe-admin")
    campaign = Campaign.objects.order_by("pk").first()
    axe_page.goto(reverse("wagtailsnippets_campaigns_campaign:edit", args=[campaign.pk]))
    editors = axe_page.get_by_role("textbox", name="Text", exact=True)
    expect(editors.first).to_be_visible()
    before = editors.count()
    axe_page.get_by_title("Insert a block").first.click()
    axe_page.get_by_role("option", name="Text", exact=True).click()
    expect(editors).to_have_count(before + 1)
    editors.first.fill("Applications close on Friday.")
    # Away from the editors: their "Insert a block" trigger (16 px, Wagtail's) shows only on
    # focus. The new block slides in, and its editor may take the focus after the fill; so
    # once the slide is over, whatever holds the focus is blurred until Draftail, on its next
    # render, has dropped its focus class everywhere.
    axe_page.wait_for_function(NO_JQUERY_ANIMATION)
    axe_page.wait_for_function(BLUR_UNTIL_NO_EDITOR_FOCUSED)
    expect(axe_page.locator(".Draftail-Editor--focus")).to_have_count(0)
    problems = check(axe_page, axe_script, "campaign edit screen with a new text block")
    assert not problems, "\n\n".join(problems)


# Text in Latin letters on the Arabic pages that no element marks as another language (3.1.2):
# addresses, numbers and the language switcher's own names aside.
UNMARKED_LATIN_TEXT = """() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const found = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent.trim();
        const parent = node.parentElement;
        if (!/[A-Za-z]{3,}/.test(text) || /[\\u0600-\\u06FF]/.test(text)) continue;
        if (parent.closest('script, style, [hidden], option') || /@|:\\/\\//.test(text)) continue;
        if (parent.closest('[lang]').lang.split('-')[0] === 'ar') found.push(text.slice(0, 60));
    }
    return found;
}"""


def test_arabic_pages_mark_their_english_text(axe_page, demo_site):
    for path in ["/ar/", "/ar/apply/"]:
        axe_page.goto(path)
        found = axe_page.evaluate(UNMARKED_LATIN_TEXT)
        assert not found, f"{path}: text in Latin letters not marked as such: {found}"
