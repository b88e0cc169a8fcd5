"""The role matrix: every admin URL pattern (walked from the URL resolver), filled with real
objects, requested by one user of each role and a superuser, with GET and with the unsafe
methods its view accepts, against the README's Roles table.

The table is written twice here, as in the README: `CAPABILITIES` gives each capability
its roles, `URLS` gives each URL name its capability. A new admin URL that nobody
classified fails `test_every_admin_url_is_classified`, by name. Objects outside a role's
remit are among the fixtures: the pages are English (outside a French ambassador's
locale) and each page URL is tried again on a French page (inside it).

A refused request must be a 403 and change nothing (each request runs in a savepoint that
is rolled back, and refused unsafe requests are checked against table row counts); an
allowed one must not be a 403. No response to a role without personal data contains any
of the personal data in the fixtures. The fixtures are built once for the module."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    Locale,
    Page,
    Site,
    Task,
    Workflow,
)

from campaigns.models import Campaign, Suppression
from mentoring.models import (
    Application,
    BarredEmail,
    Interest,
    MatchRun,
    PairRule,
    PartnerOrganisation,
    Partnership,
    Pathway,
)
from social.models import SocialPost
from website.factories.ambassadors import AmbassadorFactory
from website.factories.blog import AuthorFactory
from website.factories.campaigns import CampaignFactory, SuppressionFactory
from website.factories.images import IllustrationFactory
from website.factories.mentoring import (
    ApplicationFactory,
    InterestedPersonFactory,
    RoundFactory,
)
from website.factories.website import StandardPageFactory, UserFactory, pass_second_step
from website.models import HomePage, OutboundEmail

User = get_user_model()
pytestmark = pytest.mark.django_db

D = "director"
CO = "content officer"
GE = "guest editor"
AM = "ambassador"
SC = "social coordinator"
CM = "communications officer"
DO = "data officer"
SU = "superuser"
GROUP_OF = {
    D: settings.DIRECTORS_GROUP,
    CO: settings.CONTENT_OFFICERS_GROUP,
    GE: settings.GUEST_EDITORS_GROUP,
    AM: settings.AMBASSADORS_GROUP,
    SC: settings.SOCIAL_COORDINATORS_GROUP,
    CM: settings.COMMUNICATIONS_OFFICERS_GROUP,
    DO: settings.DATA_OFFICERS_GROUP,
}
ROLES = [SU, *GROUP_OF]
EVERYONE = frozenset(GROUP_OF)
EDITORS = frozenset({D, CO, GE})
NOBODY: frozenset[str] = frozenset()

# The README's Roles table, capability by capability (a superuser may do everything).
CAPABILITIES: dict[str, frozenset[str]] = {
    "admin": EVERYONE,  # dashboard, own account, page/link choosers, help screens
    "pages.any": frozenset({D, CO, GE, AM}),  # page search and reports, in their sections
    "pages.read": EDITORS,  # explorer, history, revisions, usage, drafts
    "pages.workflow history": EDITORS,
    "pages.edit": EDITORS,
    "pages.add": frozenset({D, CO}),
    "pages.review": frozenset({D, GE}),  # act on a page in review
    "pages.publish": frozenset({D}),  # publish, unpublish, privacy, order, schedule
    "pages.restructure": frozenset({D}),  # delete, move
    "pages.translate": frozenset({D}),  # submit for translation (wagtail-localize)
    "translations": frozenset({D, CO, AM}),  # start a page's translation into a language
    "images.choose": frozenset({D, CO, GE, AM, SC, CM}),
    "images.add": frozenset({D, CO, CM}),
    "images.manage": frozenset({D}),  # others' images
    "documents.choose": frozenset({D, CO, GE}),
    "documents.add": frozenset({D, CO}),
    "documents.manage": frozenset({D}),
    "collections": frozenset({D}),
    "authors": frozenset({D, CO, GE}),
    "authors.add": frozenset({D, CO}),
    "authors.delete": frozenset({D}),
    "rounds.read": frozenset({D, DO}),
    "rounds.manage": frozenset({D}),
    "applications.read": frozenset({D, DO}),  # personal data
    "applications.edit": frozenset({D, DO}),
    "applications.manage": frozenset({D}),
    "interest list": frozenset({D, DO}),  # personal data
    "interest list.manage": frozenset({D}),
    "barred list": frozenset({D, DO}),  # personal data
    "barred list.manage": frozenset({D}),
    "programme setup": frozenset({D}),  # organisations, interests
    "pair rules.read": frozenset({D, DO}),  # personal data
    "pair rules.manage": frozenset({D}),
    "matching": frozenset({D}),  # personal data: runs, acting on partnerships
    "partnerships.read": frozenset({D, DO}),  # personal data
    "outbox": frozenset({D, DO}),  # personal data: recipients and bodies
    "outbox.settle": frozenset({D}),  # mark sent, send again
    "campaigns": frozenset({D, CM}),
    "suppression list": frozenset({D, DO}),  # personal data
    "social queue": frozenset({D, SC}),
    "ambassador profiles": frozenset({D, AM}),  # an ambassador: their own only
    "ambassadors": frozenset({D}),
    "site settings": frozenset({D}),
    "social settings": frozenset({D, SC}),
    "users": frozenset({D}),
    "redirects": frozenset({D}),
    "locales": frozenset({D}),
    "complaints": frozenset({D}),  # code of conduct: complaints, evidence, decisions (#16)
    # volunteers: records and expressions of interest (personal data), document versions,
    # announcements for directors; the noticeboard for every volunteer
    "volunteer records": frozenset({D}),
    "volunteer interest": frozenset({D}),
    "document versions": frozenset({D}),
    "announcements": frozenset({D}),
    "noticeboard": EVERYONE,
    # surveys (#15): responses are personal data until anonymised
    "surveys.list": frozenset({D, DO}),  # list, inspect (questions, a response count)
    "surveys.results": frozenset({D}),  # results, free-text answers, exports
    "surveys.build": frozenset({D}),  # add, edit, copy (the template), delete
    "superuser": NOBODY,  # groups, sites, workflows and tasks
    "not in this project": NOBODY,  # no form pages; password reset links
    # Statistics (#15): the dashboard (every count, small cohorts too) and partner reports.
    "statistics": frozenset({D}),
    "partner reports": frozenset({D}),
}
PERSONAL_DATA_ROLES = frozenset({SU, D, DO})

# Inside an ambassador's own locale, they read, add and edit pages (never publish). These
# page URLs are tried on a page of that locale too.
OWN_LOCALE = {"pages.read": {AM}, "pages.edit": {AM}, "pages.add": {AM}}
IN_OWN_LOCALE = {
    "wagtailadmin_explore",
    "wagtailadmin_pages:edit",
    "wagtailadmin_pages:history",
    "wagtailadmin_pages:add_subpage",
    "wagtailadmin_pages:delete",
    "wagtailadmin_pages:unpublish",
    "wagtailadmin_pages:move",
    "wagtailadmin_pages:set_privacy",
    "wagtailadmin_pages:copy",
}


def snippet(
    app_model: str,
    read: str,
    manage: str,
    delete: str | None = None,
    edit: str | None = None,
    choose: str | None = None,
) -> dict:
    """The URL names of a snippet's viewset and chooser. Reading is listing and inspecting;
    the edit screen, history and usage need the change permission."""
    ns = f"wagtailsnippets_{app_model}"
    choosers = f"wagtailsnippetchoosers_{app_model}"
    edit = edit or manage
    choose = choose or read
    return {
        f"{ns}:list": read,
        f"{ns}:list_results": read,
        f"{ns}:inspect": read,
        f"{ns}:history": edit,
        f"{ns}:history_results": edit,
        f"{ns}:usage": edit,
        f"{ns}:edit": edit,
        f"{ns}:add": manage,
        f"{ns}:copy": manage,
        f"{ns}:delete": delete or manage,
        f"{choosers}:choose": choose,
        f"{choosers}:choose_results": choose,
        f"{choosers}:chosen": choose,
        f"{choosers}:chosen_multiple": choose,
        f"{choosers}:create": manage,
    }


# Each admin URL name (fnmatch patterns allowed) and its capability.
URLS: dict[str, str] = {
    "wagtailadmin_home": "admin",
    "wagtailadmin_account": "admin",
    "wagtailadmin_logout": "admin",
    "wagtailadmin_dismissibles": "admin",
    "wagtailadmin_sprite": "admin",
    "wagtailadmin_login": "admin",
    "wagtailadmin_password_reset*": "admin",
    "wagtailadmin_javascript_catalog": "admin",
    "wagtail_localize:javascript_catalog": "admin",
    "wagtailadmin_error_test": "admin",
    "wagtailadmin_block_preview": "admin",
    "wagtailadmin_choose_page*": "admin",
    "wagtailadmin_tag_autocomplete": "admin",
    "wagtailadmin_tag_model_autocomplete": "admin",
    "wagtailembeds:*": "admin",
    "wagtailsnippets:index": "not in this project",  # every snippet has its own menu
    "wagtailadmin_editing_sessions:*": "admin",
    "admin-catch-all": "admin",
    # Pages
    "wagtailadmin_explore*": "pages.read",
    "wagtailadmin_pages:search*": "pages.any",
    "wagtailadmin_pages:type_use*": "pages.any",
    "wagtailadmin_pages:usage": "pages.read",
    "wagtailadmin_pages:history*": "pages.read",
    "wagtailadmin_pages:revisions_index": "admin",  # a redirect to the (checked) history
    "wagtailadmin_pages:revisions_view": "pages.read",
    "wagtailadmin_pages:revisions_compare": "pages.read",
    "wagtailadmin_pages:workflow_history*": "pages.workflow history",
    "wagtailadmin_pages:view_draft": "pages.edit",
    "wagtailadmin_pages:edit": "pages.edit",
    "wagtailadmin_pages:preview_on_edit": "pages.edit",
    "wagtailadmin_pages:revisions_revert": "pages.edit",
    "wagtailadmin_pages:convert_alias": "pages.edit",
    "wagtailadmin_pages:lock": "pages.publish",
    "wagtailadmin_pages:unlock": "pages.publish",
    "wagtailadmin_pages:add": "pages.add",
    "wagtailadmin_pages:add_subpage": "pages.add",
    "wagtailadmin_pages:preview_on_add": "pages.add",
    "wagtailadmin_pages:choose_parent": "admin",  # lists only the parents one may add under
    "wagtailadmin_pages:copy": "pages.add",
    "wagtailadmin_pages:workflow_action": "pages.review",
    "wagtailadmin_pages:collect_workflow_action_data": "pages.review",
    "wagtailadmin_pages:workflow_preview": "pages.review",
    "wagtailadmin_pages:confirm_workflow_cancellation": "admin",  # a confirmation dialog only
    "wagtailadmin_pages:unpublish": "pages.publish",
    "wagtailadmin_pages:set_privacy": "pages.publish",
    "wagtailadmin_pages:set_page_position": "pages.publish",
    "wagtailadmin_pages:revisions_unschedule": "pages.publish",
    "wagtailadmin_pages:delete": "pages.restructure",
    "wagtailadmin_pages:move": "pages.restructure",
    "wagtailadmin_pages:move_confirm": "pages.restructure",
    "wagtail_bulk_action": "pages.restructure",
    "wagtailadmin_api:*": "admin",  # page, image and document metadata, no personal data
    # Translation
    "wagtail_localize:submit_page_translation": "pages.translate",
    "wagtail_localize:submit_snippet_translation": "pages.translate",
    "wagtail_localize:update_translations": "pages.translate",
    "wagtail_localize:convert_to_alias": "pages.translate",
    "wagtail_localize:edit_string_translation": "pages.translate",
    "wagtail_localize:edit_override": "pages.translate",
    "wagtail_localize:download_pofile": "pages.translate",
    "wagtail_localize:upload_pofile": "pages.translate",
    "wagtail_localize:machine_translate": "pages.translate",
    "wagtail_localize:preview_translation": "pages.translate",
    "wagtail_localize:stop_translation": "pages.translate",
    "wagtail_localize:translations_report*": "admin",  # page titles and languages
    "wagtail_localize:snippets_api_*": "by model",
    "ambassadors_translate_page": "translations",
    # Images, documents, collections
    "wagtailimages_chooser:*": "admin",  # lists only the collections one may choose from
    "wagtailimages_chooser:chosen": "images.choose",
    "wagtailimages_chooser:select_format": "images.choose",
    "wagtailimages_chooser:create": "images.add",
    "wagtailimages:index*": "images.add",
    "wagtailimages:add*": "images.add",
    "wagtailimages:create_multiple_from_uploaded_image": "images.add",
    "wagtailimages:delete_upload_multiple": "images.add",
    "wagtailimages:edit*": "images.manage",
    "wagtailimages:delete*": "images.manage",
    "wagtailimages:url_generator*": "images.manage",
    "wagtailimages:preview": "images.manage",
    "wagtailimages:image_usage": "images.manage",
    "wagtaildocs_chooser:*": "admin",  # lists only the collections one may choose from
    "wagtaildocs_chooser:chosen": "documents.choose",
    "wagtaildocs_chooser:create": "documents.add",
    "wagtaildocs:index*": "documents.add",
    "wagtaildocs:add*": "documents.add",
    "wagtaildocs:create_multiple_from_uploaded_document": "documents.add",
    "wagtaildocs:delete_upload_multiple": "documents.add",
    "wagtaildocs:edit*": "documents.manage",
    "wagtaildocs:delete*": "documents.manage",
    "wagtaildocs:document_usage": "documents.manage",
    "wagtailadmin_collections:*": "collections",
    # Snippets
    # Page editors pick rounds and authors in the page editor: those choosers are open.
    **snippet("blog_author", "authors", "authors.add", "authors.delete", "authors", "admin"),
    **snippet("mentoring_round", "rounds.read", "rounds.manage", choose="admin"),
    **snippet(
        "mentoring_application",
        "applications.read",
        "applications.manage",
        edit="applications.edit",
    ),
    **snippet("mentoring_interestedperson", "interest list", "interest list.manage"),
    **snippet("mentoring_barredemail", "barred list", "barred list.manage"),
    **snippet("mentoring_partnerorganisation", "programme setup", "programme setup"),
    **snippet("mentoring_interest", "programme setup", "programme setup"),
    **snippet("mentoring_pairrule", "pair rules.read", "pair rules.manage"),
    **snippet("campaigns_campaign", "campaigns", "campaigns"),
    "wagtailsnippets_campaigns_campaign:*": "campaigns",
    **snippet("campaigns_suppression", "suppression list", "suppression list"),
    **snippet("social_socialpost", "social queue", "superuser", choose="social queue"),
    "wagtailsnippets_social_socialpost:retry": "social queue",
    "wagtailsnippets_social_socialpost:skip": "social queue",
    "wagtailsnippets_social_socialpost:mark_posted": "social queue",
    "wagtailsnippets_social_socialpost:post_now": "social queue",
    # The profile tried is another ambassador's: outside the ambassador's remit.
    **snippet("ambassadors_ambassador", "ambassador profiles", "ambassadors", edit="ambassadors"),
    # A profile's history and usage are open to ambassadors as its listing is: public profiles.
    "wagtailsnippets_ambassadors_ambassador:history": "ambassador profiles",
    "wagtailsnippets_ambassadors_ambassador:history_results": "ambassador profiles",
    "wagtailsnippets_ambassadors_ambassador:usage": "ambassador profiles",
    # surveys (#15)
    **snippet("surveys_survey", "surveys.list", "surveys.build"),
    "wagtailsnippets_surveys_survey:results": "surveys.results",
    "wagtailsnippets_surveys_survey:export_*": "surveys.results",
    "mentoring_matching:*": "matching",
    "round_cockpit:*": "rounds.manage",
    "mentoring_partnerships:*": "partnerships.read",
    "mentoring_partnerships:act": "matching",
    # Partnerships are made by approving a run, outbox rows by sending: never by hand.
    "mentoring_partnerships:add": "not in this project",
    "mentoring_partnerships:edit": "not in this project",
    "mentoring_partnerships:delete": "not in this project",
    "outbox:*": "outbox",
    "outbox:mark_sent": "outbox.settle",
    "outbox:send_again": "outbox.settle",
    "outbox:add": "not in this project",
    "outbox:history*": "not in this project",
    "outbox:usage": "not in this project",
    "mentoring_partnerships:history*": "not in this project",
    "mentoring_partnerships:usage": "not in this project",
    "outbox:edit": "not in this project",
    "outbox:delete": "not in this project",
    # Code of conduct (#16): complaints and their evidence, directors only; never deleted.
    **snippet("conduct_complaint", "complaints", "complaints", "not in this project"),
    "conduct_evidence": "complaints",
    # volunteers: the directors' screens; the noticeboard and the acceptance screen for all
    **snippet("volunteers_volunteerrecord", "volunteer records", "volunteer records", "superuser"),
    **snippet(
        "volunteers_expressionofinterest", "volunteer interest", "superuser", "volunteer interest"
    ),
    **snippet(
        "volunteers_documentversion",
        "document versions",
        "document versions",
        "superuser",
        "superuser",
    ),
    **snippet("volunteers_announcement", "announcements", "announcements"),
    "wagtailsnippets_volunteers_expressionofinterest:history": "volunteer interest",
    "wagtailsnippets_volunteers_expressionofinterest:history_results": "volunteer interest",
    "wagtailsnippets_volunteers_documentversion:history": "document versions",
    "wagtailsnippets_volunteers_documentversion:history_results": "document versions",
    "volunteers_accept": "admin",
    "volunteers_noticeboard": "noticeboard",
    "volunteers_announcement": "noticeboard",
    # The second sign-in step, for every admin user
    "signin_*": "admin",
    # Settings, accounts, the rest of the set-up
    "wagtailsettings:*": "by model",
    "wagtailusers_users:*": "users",
    "wagtailusers_users:copy": "superuser",
    "wagtailusers_groups:*": "superuser",
    "wagtailredirects:*": "redirects",
    "wagtaillocales:*": "locales",
    "wagtailsites:*": "superuser",
    "wagtailadmin_workflows:*": "superuser",
    "wagtailadmin_workflows:task_chooser*": "admin",  # creating a task needs its permission
    "wagtailadmin_workflows:task_chosen": "admin",
    "wagtailforms:*": "pages.any",  # lists the form pages one may edit: there are none
    "wagtailforms:list_submissions*": "not in this project",
    "wagtailforms:delete_submissions": "not in this project",
    "wagtailadmin_reports:*": "pages.any",
    "wagtailadmin_reports:locked_pages*": "pages.publish",
    "wagtailadmin_reports:site_history*": "admin",  # filtered to what each may see
    # Statistics (#15)
    "statistics:index": "statistics",
    "statistics:partner*": "partner reports",
}

# URLs that take a model in their path: the capability for each model tried.
BY_MODEL: dict[str, dict[str, str]] = {
    "wagtail_localize:snippets_api_listing": {
        "blog.author": "admin",
        "mentoring.round": "admin",
        "mentoring.application": "applications.read",
        "mentoring.barredemail": "barred list",
        "mentoring.interestedperson": "interest list",
        "campaigns.suppression": "suppression list",
        "conduct.complaint": "complaints",
        "surveys.survey": "surveys.list",  # surveys (#15)
    },
    "wagtailsettings:edit": {
        "website.organisationsettings": "site settings",
        "website.navigationsettings": "site settings",
        "mentoring.programsettings": "site settings",
        "social.socialsettings": "social settings",
    },
    "wagtailsettings:preview_on_edit": {"website.organisationsettings": "site settings"},
}
BY_MODEL["wagtail_localize:snippets_api_detail"] = BY_MODEL["wagtail_localize:snippets_api_listing"]

# Some URLs take other models in their path; these are the ones tried.
MODEL_ARGS: dict[str, list[tuple[str, str]]] = {
    "wagtail_bulk_action": [("wagtailcore", "page")],
    "wagtailadmin_tag_model_autocomplete": [("wagtailimages", "image")],
    "wagtail_localize:submit_snippet_translation": [("blog", "author")],
    "wagtailadmin_editing_sessions:ping": [("wagtailcore", "page")],
    "wagtailadmin_workflows:add_task": [("wagtailcore", "groupapprovaltask")],
    "wagtailadmin_pages:add": [("website", "standardpage")],
    "wagtailadmin_pages:preview_on_add": [("website", "standardpage")],
    "wagtailadmin_pages:type_use": [("website", "standardpage")],
    "wagtailadmin_pages:type_use_results": [("website", "standardpage")],
    "wagtailadmin_pages:choose_parent": [("website", "standardpage")],
}


def capability_for(name: str) -> str | None:
    if name in URLS:
        return URLS[name]
    matches = [pattern for pattern in URLS if fnmatch.fnmatchcase(name, pattern)]
    if not matches:
        return None
    return URLS[max(matches, key=len)]  # the most specific pattern


# Walking the resolver


@dataclass
class AdminURL:
    name: str
    route: str
    callback: object
    converters: list[str] = field(default_factory=list)

    @property
    def unsafe_methods(self) -> list[str]:
        view_class = getattr(self.callback, "view_class", None)
        actions = getattr(self.callback, "actions", None)
        if actions is not None:
            return [m.upper() for m in actions if m not in ("get", "head", "options")]
        if view_class is not None:
            return [m.upper() for m in ("post", "put", "patch", "delete") if hasattr(view_class, m)]
        return ["POST"]


def admin_urls() -> list[AdminURL]:
    result = []

    def walk(resolver, prefix: str, namespaces: tuple[str, ...]):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = namespaces + ((entry.namespace,) if entry.namespace else ())
                walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                if not route.startswith("admin/"):
                    continue
                name = ":".join((*namespaces, entry.name)) if entry.name else "admin-catch-all"
                converters = list(entry.pattern.regex.groupindex)
                result.append(AdminURL(name, route, entry.callback, converters))

    walk(get_resolver(), "", ())
    return result


ADMIN_URLS = admin_urls()


def test_every_admin_url_is_classified():
    missing = sorted({url.name for url in ADMIN_URLS if capability_for(url.name) is None})
    assert not missing, "Admin URLs nobody classified in the Roles table: " + ", ".join(missing)
    unknown = sorted(
        {capability_for(url.name) for url in ADMIN_URLS} - set(CAPABILITIES) - {"by model"}
    )
    assert not unknown, f"Capabilities missing from CAPABILITIES: {unknown}"


# The world


@dataclass
class World:
    users: dict[str, object]
    objects: dict[str, object]
    markers: list[str]


def build_world() -> World:
    home = HomePage.objects.get(locale=Locale.get_default(), depth=2)
    french = Locale.objects.get_or_create(language_code="fr")[0]
    Locale.objects.get_or_create(language_code="es")
    french_home = home.copy_for_translation(french)
    french_home.save_revision().publish()

    users = {SU: User.objects.create_superuser("root", "root@example.org", "x")}
    for role, group in GROUP_OF.items():
        users[role] = UserFactory(username=role.replace(" ", "-"), groups=[group])
    ambassador = AmbassadorFactory(
        name="Amadou Ambassador", slug="amadou", user=users[AM], languages=["fr"], countries=["SN"]
    )
    other_ambassador = AmbassadorFactory(
        name="Lucia Ambassador", slug="lucia", languages=["es"], countries=["MX"]
    )
    users[AM].refresh_from_db()
    assert users[AM].groups.filter(name__startswith=f"{settings.AMBASSADORS_GROUP}: ").exists()
    volunteer = UserFactory(username="volunteer", groups=[settings.CONTENT_OFFICERS_GROUP])

    english = StandardPageFactory(parent=home, title="About the network", slug="about")
    english.save_revision().publish()
    french_page = StandardPageFactory(parent=french_home, title="Le réseau", slug="reseau")
    french_page.save_revision().publish()
    review = StandardPageFactory(parent=home, title="Under review", slug="review", live=False)
    review.save_revision(user=users[CO])
    workflow_state = review.get_workflow().start(review, users[CO])
    english.save_revision(user=users[CO])

    collection = Collection.get_first_root_node().add_child(name="Photos")
    image = IllustrationFactory(title="A reading room", collection=collection, size=(80, 60))
    document = get_document_model().objects.create(
        title="Guide", file=ContentFile(b"guide", name="guide.txt"), collection=collection
    )

    round_ = RoundFactory(name="Round 9", slug="round-9")
    organisation = PartnerOrganisation.objects.create(name="Library Association")
    Pathway.objects.create(round=round_, organisation=organisation, kind=Pathway.Kind.MEMBERS_ONLY)
    first = ApplicationFactory(
        round=round_, name="Zebedee Quarrington", email="zebedee.q@example.org", country="SN"
    )
    second = ApplicationFactory(
        round=round_, name="Ottoline Vasquez-Imre", email="ottoline.vi@example.org", country="MX"
    )
    interested = InterestedPersonFactory(name="Ignatius Waitlister", email="ignatius.w@example.org")
    barred = BarredEmail.objects.create(email_normalised="barred.person@example.org")
    suppression = SuppressionFactory(email_normalised="suppressed.person@example.org")
    rule = PairRule.objects.create(round=round_, first=first, second=second, kind="pin")
    run = MatchRun.objects.create(round=round_, hierarchy=round_.hierarchy)
    partnership = Partnership.objects.create(round=round_, score=80)
    Application.objects.filter(pk__in=[first.pk, second.pk]).update(partnership=partnership)
    email = OutboundEmail.objects.create(
        key="verify:application:matrix",
        to="outboxed.person@example.org",
        template="verify",
        status=OutboundEmail.Status.IN_DOUBT,
    )
    campaign = CampaignFactory(name="Spring news")
    post = SocialPost.objects.create(page=english, network="mastodon")
    author = AuthorFactory(name="Ada Author")
    redirect = Redirect.objects.create(old_path="/old", redirect_link="/about/")
    # Code of conduct (#16): a complaint with an evidence file.
    from conduct.models import Complaint, Evidence

    complaint = Complaint.objects.create(
        subject_name="Quillon Marchbanks", what_happened="Shouted at the meeting."
    )
    evidence = Evidence.objects.create(
        complaint=complaint, name="evidence.txt", file=ContentFile(b"x", name="evidence.txt")
    )
    interest = Interest.objects.order_by("pk").first()
    volunteers = volunteers_world(volunteer)  # volunteers
    # surveys (#15): a survey with one response whose free text is a marker
    from surveys.models import Survey, SurveyResponse

    survey = Survey.objects.get(is_template=True)
    SurveyResponse.objects.create(
        survey=survey, round=round_, answers={"what_worked": "Quillon survey words"}
    )

    objects = {
        "page": english,
        "french page": french_page,
        "review page": review,
        "home": home,
        "workflow state": workflow_state,
        "task state": workflow_state.current_task_state,
        "workflow": Workflow.objects.get(name=settings.EDITORIAL_WORKFLOW_NAME),
        "task": Task.objects.order_by("pk").first(),
        "collection": collection,
        "image": image,
        "document": document,
        "blog.author": author,
        "mentoring.round": round_,
        "mentoring.application": first,
        "mentoring.interestedperson": interested,
        "mentoring.barredemail": barred,
        "mentoring.partnerorganisation": organisation,
        "mentoring.interest": interest,
        "mentoring.pairrule": rule,
        "campaigns.campaign": campaign,
        "campaigns.suppression": suppression,
        "social.socialpost": post,
        "ambassadors.ambassador": other_ambassador,
        "own profile": ambassador,
        "user": volunteer,
        "group": Group.objects.get(name=settings.SOCIAL_COORDINATORS_GROUP),
        "locale": french,
        "site": Site.objects.get(is_default_site=True),
        "redirect": redirect,
        "run": run,
        "partnership": partnership,
        "outbound email": email,
        "conduct.complaint": complaint,
        "conduct.evidence": evidence,
        **volunteers,
        "surveys.survey": survey,  # surveys (#15)
    }
    markers = [
        "Zebedee Quarrington",
        "zebedee.q@example.org",
        "Ottoline Vasquez-Imre",
        "ignatius.w@example.org",
        "barred.person@example.org",
        "suppressed.person@example.org",
        "outboxed.person@example.org",
        "Quillon Marchbanks",
        "interested.volunteer@example.org",  # volunteers
        "Quillon survey words",  # surveys (#15)
    ]
    return World(users, objects, markers)


def volunteers_world(volunteer) -> dict:
    """volunteers: a record (of a user nobody signs in as), an expression of interest, a
    document version and an announcement."""
    from volunteers.models import DocumentVersion, ExpressionOfInterest
    from website.factories.volunteers import AnnouncementFactory, make_record

    return {
        "volunteers.volunteerrecord": make_record(volunteer, ["content_officer"]),
        "volunteers.expressionofinterest": ExpressionOfInterest.objects.create(
            name="Ivo Volunteer", email="interested.volunteer@example.org", roles=["director"]
        ),
        "volunteers.documentversion": DocumentVersion.objects.create(
            document="code_of_conduct", number=2, summary="A new section"
        ),
        "volunteers.announcement": AnnouncementFactory(title="Round 8 opens"),
    }


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_root(settings, media_root) -> None:
    """The module's images stay where the world put them."""
    settings.MEDIA_ROOT = media_root


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_root) -> World:
    with (
        override_settings(MEDIA_ROOT=media_root),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def clients(world) -> dict[str, Client]:
    """One signed-in client per role."""
    result = {}
    for role, user in world.users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        pass_second_step(client, user)
        result[role] = client
    return result


# Filling a URL pattern


def object_for(url: AdminURL, world: World, pages: str):
    """The object a URL's `pk` stands for."""
    o = world.objects
    namespace = url.name.rsplit(":", 1)[0]
    for prefix in ("wagtailsnippets_", "wagtailsnippetchoosers_"):
        if namespace.startswith(prefix):
            app_model = namespace[len(prefix) :]
            key = next(k for k in o if k.replace(".", "_") == app_model)
            return o[key]
    by_namespace = {
        "wagtailusers_users": o["user"],
        "wagtailusers_groups": o["group"],
        "wagtaillocales": o["locale"],
        "wagtailsites": o["site"],
        "wagtailadmin_collections": o["collection"],
        "wagtailadmin_api:images": o["image"],
        "wagtailadmin_api:documents": o["document"],
        "wagtailimages_chooser": o["image"],
        "wagtaildocs_chooser": o["document"],
        "wagtailsettings": o["site"],
        "mentoring_partnerships": o["partnership"],
        "statistics": o["mentoring.partnerorganisation"],  # statistics (#15): partner reports
        "outbox": o["outbound email"],
        "volunteers_announcement": o["volunteers.announcement"],  # volunteers
    }
    if namespace in by_namespace:
        return by_namespace[namespace]
    if namespace == "wagtailadmin_workflows":
        return o["task"] if "task" in url.name else o["workflow"]
    return o[pages]


def fill(url: AdminURL, world: World, pages: str, model: tuple[str, str] | None) -> dict:
    o = world.objects
    page = o[pages]
    if url.name.startswith("wagtailadmin_pages:workflow") or url.name.endswith(
        ("collect_workflow_action_data", "confirm_workflow_cancellation")
    ):
        page = o["review page"]
    values = {
        "pk": lambda: object_for(url, world, pages).pk,
        "page_id": lambda: page.pk,
        "parent_page_id": lambda: page.pk,
        "page_to_move_id": lambda: page.pk,
        "page_pk": lambda: page.pk,
        "destination_id": lambda: o["home"].pk,
        "revision_id": lambda: page.get_latest_revision().pk,
        "revision_id_a": lambda: "earliest",
        "revision_id_b": lambda: "live",
        "image_id": lambda: o["image"].pk,
        "document_id": lambda: o["document"].pk,
        "doc_id": lambda: o["document"].pk,
        "collection_id": lambda: o["collection"].pk,
        "redirect_id": lambda: o["redirect"].pk,
        "task_id": lambda: o["task"].pk,
        "task_state_id": lambda: o["task state"].pk,
        "workflow_state_id": lambda: o["workflow state"].pk,
        "workflow_pk": lambda: o["workflow"].pk,
        "round_id": lambda: o["mentoring.round"].pk,
        "run_id": lambda: o["run"].pk,
        "evidence_id": lambda: o["conduct.evidence"].pk,
        "action_name": lambda: "approve",
        "action": lambda: "delete",
        "filter_spec": lambda: "fill-100x100",
        "fmt": lambda: "csv",
        "language_code": lambda: "fr",
        "mode": lambda: "",
        "object_id": lambda: str(page.pk),
        "session_id": lambda: 0,
        "translation_id": lambda: 0,
        "translation_source_id": lambda: 0,
        "string_segment_id": lambda: 0,
        "overridable_segment_id": lambda: 0,
        "uploaded_file_id": lambda: 0,
        "uidb64": lambda: "MQ",
        "token": lambda: "no-such-token",
    }
    kwargs = {}
    for name in url.converters:
        if name in ("app_label", "app_name", "content_type_app_name"):
            kwargs[name] = model[0]
        elif name in ("model_name", "content_type_model_name"):
            kwargs[name] = model[1]
        elif name == "pk" and model and url.name.startswith("wagtail_localize:snippets_api"):
            kwargs[name] = o[".".join(model)].pk
        elif name == "pk" and url.name.startswith("wagtailsettings"):
            kwargs[name] = o["site"].pk
        else:
            kwargs[name] = values[name]()
    return kwargs


def path_of(url: AdminURL, kwargs: dict) -> str:
    if url.name == "admin-catch-all":
        return "/admin/no-such-screen/"
    path = url.route
    path = path.replace("^", "").replace("$", "")
    if "(?P<" in path:
        for name, value in kwargs.items():
            start = path.index(f"(?P<{name}>")
            depth, end = 0, start
            for end in range(start, len(path)):
                if path[end] == "(":
                    depth += 1
                elif path[end] == ")":
                    depth -= 1
                    if depth == 0:
                        break
            path = path[:start] + str(value) + path[end + 1 :]
        path = path.replace("\\.", ".").replace("\\", "")
    else:
        for name, value in kwargs.items():
            for kind in ("int", "str", "slug", "path"):
                path = path.replace(f"<{kind}:{name}>", str(value))
    return "/" + path


@dataclass
class Case:
    url: AdminURL
    capability: str
    pages: str
    model: tuple[str, str] | None

    @property
    def id(self) -> str:
        extra = f"[{'.'.join(self.model)}]" if self.model else ""
        return f"{self.url.name}{extra}@{self.pages}"


def cases() -> list[Case]:
    result = []
    for url in ADMIN_URLS:
        capability = capability_for(url.name)
        if capability is None:
            continue
        models: list[tuple[str, str] | None] = [None]
        if capability == "by model":
            models = [tuple(label.split(".")) for label in BY_MODEL[url.name]]
        elif url.name in MODEL_ARGS:
            models = MODEL_ARGS[url.name]
        for model in models:
            cap = capability
            if capability == "by model":
                cap = BY_MODEL[url.name][".".join(model)]
            result.append(Case(url, cap, "page", model))
            if url.name in IN_OWN_LOCALE:
                result.append(Case(url, cap, "french page", model))
    return result


CASES = cases()


def allowed(case: Case, role: str) -> bool:
    if role == SU:
        return case.capability != "not in this project"
    roles = set(CAPABILITIES[case.capability])
    if case.pages == "french page":
        roles |= OWN_LOCALE.get(case.capability, set())
    return role in roles


def row_counts() -> tuple[int, ...]:
    from conduct.models import Complaint
    from mentoring.models import Application

    return (
        User.objects.count(),
        User.objects.filter(is_superuser=True).count(),
        Page.objects.count(),
        Page.objects.filter(live=True).count(),
        Application.objects.count(),
        BarredEmail.objects.count(),
        Suppression.objects.count(),
        Campaign.objects.count(),
        get_image_model().objects.count(),
        Complaint.objects.count(),  # code of conduct (#16)
    )


def request(client: Client, method: str, path: str) -> tuple[object, bool]:
    """The response, and whether the request changed the main tables' row counts. Nothing
    it does stays: the database is rolled back and the client keeps its session cookie (the
    sign-out URL would drop it)."""
    cookies = {key: morsel.value for key, morsel in client.cookies.items()}
    with transaction.atomic():
        before = row_counts()
        response = getattr(client, method.lower())(path)
        changed = method != "GET" and row_counts() != before
        transaction.set_rollback(True)
    client.cookies.clear()
    for key, value in cookies.items():
        client.cookies[key] = value
    return response, changed


EXEMPT_FROM_500 = {"wagtailadmin_error_test"}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_role_matrix(case: Case, world: World, clients):
    path = path_of(case.url, fill(case.url, world, case.pages, case.model))
    problems = []
    for role in ROLES:
        may = allowed(case, role)
        # Those the table allows are only shown the screen; those it refuses also try to act.
        for method in ["GET"] if may else ["GET", *case.url.unsafe_methods]:
            response, changed = request(clients[role], method, path)
            status = response.status_code
            refusals = (403, 404, 405, 302) if method == "GET" else (400, 403, 404, 405)
            if response.get("Location") == "/admin/":
                refusals += (302,)  # back to the dashboard, with a message saying why
            if status >= 500 and case.url.name not in EXEMPT_FROM_500:
                problems.append(f"{role} {method}: {status} (server error)")
            elif may and status == 403:
                problems.append(f"{role} {method}: refused, the table allows it")
            elif not may and status not in refusals:
                where = f" to {response['Location']}" if response.has_header("Location") else ""
                problems.append(f"{role} {method}: {status}{where}, the table refuses it")
            if changed and not may:
                problems.append(f"{role} {method}: refused but changed data")
            if method == "GET" and role not in PERSONAL_DATA_ROLES:
                body = response.content.decode(errors="replace")
                leaked = [marker for marker in world.markers if marker in body]
                if leaked:
                    problems.append(f"{role} GET: shows personal data {leaked}")
    assert not problems, f"{path} ({case.capability}):\n  " + "\n  ".join(problems)


# What the screens show: a value the admin prints raw ("None", a list or dict of Python) is a
# screen nobody finished. Every screen a superuser opens is read as a person would read it.
PYTHON_REPRS = re.compile(r"\bNone\b(?! chosen)|\[\{|\{'|\['")
# The project's own screens (snippets are all the project's models).
OUR_SCREENS = (
    "wagtailsnippets_",
    "mentoring",
    "round_cockpit",
    "outbox",
    "signin",
    "ambassadors",
    "conduct",
    "wagtailsettings",
    "volunteers",
)


def visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "template", "textarea", "noscript"]):
        hidden.decompose()
    return " ".join(soup.get_text(" ").split())


@pytest.mark.parametrize(
    "case",
    [
        c
        for c in CASES
        if c.capability != "not in this project" and c.url.name.startswith(OUR_SCREENS)
    ],
    ids=lambda c: c.id,
)
def test_admin_screens_show_no_python_values(case: Case, world: World, clients):
    path = path_of(case.url, fill(case.url, world, case.pages, case.model))
    response, _ = request(clients[SU], "GET", path)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return
    text = visible_text(response.content.decode(errors="replace"))
    found = sorted(
        {text[max(0, m.start() - 40) : m.end() + 40] for m in PYTHON_REPRS.finditer(text)}
    )
    assert not found, f"{path} shows raw values: {found}"
