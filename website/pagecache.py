"""Public pages served from the shared cache to anonymous visitors, and the purge that keeps
them right.

Every public page shows more than itself: the menus (page titles in the visitor's language),
the language switcher (which translations are live), the round now open, the latest posts,
related posts, authors, tags, images, the organisation's settings. So "what changed" is
turned into one number, the *content generation*: every cached page is stored with it, and
every piece that pages share (menus, settings, the locale table's users) under it; a page
stored with an older generation is not served. Publishing,
unpublishing, moving or deleting a page (a translation included), saving or deleting a
snippet, image, tag, round, locale, site or setting shown on public pages, and each
`migrate` (every deploy runs it, so no piece written by older code is read), takes a new
generation, and every page is rendered afresh on its next request. Saving a draft, a revision,
a participant's application or anything else not shown publicly purges nothing. A change
of generation costs one cache write; the old entries simply expire.

The middleware (`AnonymousPageCacheMiddleware`) stores a page only when it is the same for
every visitor: a GET of a Wagtail page or the search by a request carrying no session or
messages cookie, answered 200 with no cookie set, no session written, no CSRF token used (a
page with a form is never shared: each visitor needs their own token) and nothing that says
private. Personal pages (signed links), the admin and every other view are never stored.
A hit is answered before the session, CSRF, authentication and every later middleware, with
no database query and one read of the cache (the page and the generation together).

With a CDN or caching proxy in front (`FRONTEND_CACHE_PURGE_URL`), Wagtail's frontend cache
app also purges a published or unpublished page's address there; pages are sent with a short
`max-age` (`PAGE_CACHE_BROWSER_SECONDS`), which bounds how long a change elsewhere on the
page (a menu, a setting) can stay in a browser or proxy.
"""

import hashlib
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.signals import request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date

GENERATION_KEY = "website:pagecache:generation"
# Views whose anonymous GET answers may be shared (the rest of the conditions hold too).
CACHEABLE_VIEWS = {"wagtail_serve", "search"}
# Cookies that make a request personal: a session (signed in, a restricted page's password,
# anything stored for the visitor) or a message waiting to be shown.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")

_generation: ContextVar[int | None] = ContextVar("website_pagecache_generation", default=None)


def generation() -> int:
    """The current content generation (read from the shared cache once per request or task)."""
    value = _generation.get()
    if value is None:
        value = cache.get(GENERATION_KEY)
        if value is None:
            # Lost from the cache (a flush, an eviction): a new number, never an old one.
            value = time.time_ns()
            if not cache.add(GENERATION_KEY, value, None):
                value = cache.get(GENERATION_KEY, value)
        _generation.set(value)
    return value


def bump(**_kwargs) -> None:
    """A new content generation: every cached page and shared piece is rendered afresh.
    Taken at once and again when the transaction commits, so that a page rendered meanwhile
    from the old rows is not kept."""
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    value = time.time_ns()
    cache.set(GENERATION_KEY, value, None)
    _generation.set(value)


def _forget(**_kwargs) -> None:
    _generation.set(None)


PIECE_SECONDS = 3600


def cached(name: str, compute: Callable[[], Any]) -> Any:
    """`compute()`, kept in the shared cache until the content changes (at most an hour), and
    in each process's memory once read (website/cache.py)."""
    pieces = caches["pieces"]
    key = f"website:gen:{generation()}:{name}"
    value = pieces.get(key)
    if value is None:
        value = compute()
        pieces.set(key, value, PIECE_SECONDS)
    return value


def public(pages):
    """`pages.public()` without its query: the restricted sections (pages with a view
    restriction, and everything under them) come from the shared cache."""
    from django.db.models import Q
    from wagtail.models import PageViewRestriction

    def restricted() -> list[str]:
        return sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True)))

    paths = cached("restricted-paths", restricted)
    if not paths:
        return pages
    hidden = Q()
    for path in paths:
        hidden |= Q(path__startswith=path)
    return pages.exclude(hidden)


# What saving a revision writes on the page row: a draft, not a published change.
REVISION_FIELDS = {
    "wagtail_admin_comments",
    "comments",
    "latest_revision",
    "latest_revision_created_at",
    "has_unpublished_changes",
    "draft_title",
    "locked",
    "locked_at",
    "locked_by",
}


def _page_deleted(sender, instance=None, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page):
        bump()


def _page_saved(sender, instance=None, update_fields=None, **kwargs) -> None:
    """A live page saved other than by a revision (created live, renamed in place)."""
    from wagtail.models import Page

    if not isinstance(instance, Page) or not instance.live:
        return
    if update_fields and set(update_fields) <= REVISION_FIELDS:
        return
    bump()


# Models shown on public pages besides pages: saving or deleting one takes a new generation.
PUBLIC_MODELS = [
    "wagtailcore.Locale",
    "wagtailcore.Site",
    "wagtailcore.PageViewRestriction",
    "wagtailimages.Image",
    "taggit.Tag",
    "blog.Author",
    "ambassadors.Ambassador",
    "mentoring.Round",
    "website.OrganisationSettings",
    "website.NavigationSettings",
    "mentoring.ProgramSettings",
    "social.SocialSettings",
]


def connect() -> None:
    from celery.signals import task_prerun
    from django.apps import apps
    from django.db.models.signals import post_migrate
    from wagtail.signals import page_published, page_unpublished, post_page_move

    # A deploy runs `migrate`: pieces written by the code before it are not read again.
    post_migrate.connect(bump, dispatch_uid="website.pagecache.migrated")
    request_started.connect(_forget, dispatch_uid="website.pagecache.forget")
    task_prerun.connect(_forget, dispatch_uid="website.pagecache.forget_task", weak=False)
    page_published.connect(bump, dispatch_uid="website.pagecache.published")
    page_unpublished.connect(bump, dispatch_uid="website.pagecache.unpublished")
    post_page_move.connect(bump, dispatch_uid="website.pagecache.moved")
    post_delete.connect(_page_deleted, dispatch_uid="website.pagecache.page_deleted")
    post_save.connect(_page_saved, dispatch_uid="website.pagecache.page_saved")
    for label in PUBLIC_MODELS:
        model = apps.get_model(label)
        post_save.connect(bump, sender=model, dispatch_uid=f"website.pagecache.save.{label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"website.pagecache.del.{label}")


def _request_key(request: HttpRequest) -> str:
    """The page's key. The generation is not in it but in the entry, so that one read of the
    cache brings both (`_lookup`); an entry of an older generation is a miss."""
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    language = getattr(request, "LANGUAGE_CODE", "")
    return f"website:page:{request.scheme}:{request.get_host()}:{language}:{address}"


def _lookup(key: str) -> tuple[int, tuple[bytes, list] | None]:
    """The current generation and the page stored under `key` in it, if any: one round trip
    to the cache, which reads the generation along with the page (and keeps it for the rest
    of the request, as `generation()` does)."""
    current = _generation.get()
    found = cache.get_many([key] if current is not None else [GENERATION_KEY, key])
    if current is None:
        current = found.get(GENERATION_KEY)
        if current is None:
            return generation(), None  # lost from the cache: a new one, which nothing matches
        _generation.set(current)
    entry = found.get(key)
    if entry is None or entry[0] != current:
        return current, None
    return current, (entry[1], entry[2])


def _is_personal(request: HttpRequest) -> bool:
    return any(name in request.COOKIES for name in PERSONAL_COOKIES)


def _is_shareable(request: HttpRequest, response: HttpResponse) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name not in CACHEABLE_VIEWS:
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # a CSRF token was put in the page: it is this visitor's alone
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-cache", "no-store"))


def _timeout(request: HttpRequest) -> int:
    """How long the page may be kept: the setting, or less when the page shows the apply
    call and the round opens or closes sooner."""
    from django.utils import timezone

    seconds = settings.PAGE_CACHE_SECONDS
    call = getattr(request, "_apply_call", None)
    round_ = getattr(call, "round", None)
    if round_ is not None:
        boundary = round_.application_closes_at if call.open else round_.application_opens_at
        seconds = min(seconds, int((boundary - timezone.now()).total_seconds()))
    return seconds


def _public_headers(response: HttpResponse) -> None:
    patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_BROWSER_SECONDS)
    patch_vary_headers(response, ("Cookie",))


class AnonymousPageCacheMiddleware:
    """Serves and stores shareable public pages (see the module's description). Placed after
    the LocaleMiddleware, whose language is part of the key, and before the session, CSRF and
    authentication middleware it lets a hit skip."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if _is_personal(request):
            response = self.get_response(request)
            self._mark_private(request, response)
            return response
        key = _request_key(request)
        rendered_in, entry = _lookup(key)
        if entry is not None:
            return self._from_entry(request, entry)
        response = self.get_response(request)
        if request.method == "GET" and _is_shareable(request, response):
            timeout = _timeout(request)
            if timeout > 0:
                _public_headers(response)
                response["ETag"] = f'"{hashlib.md5(response.content).hexdigest()}"'
                response["Last-Modified"] = http_date()
                entry = (rendered_in, response.content, list(response.items()))
                cache.set(key, entry, timeout)
                response["X-Page-Cache"] = "miss"
                return response
        self._mark_private(request, response)
        return response

    @staticmethod
    def _from_entry(request: HttpRequest, entry: tuple[bytes, list]) -> HttpResponse:
        content, headers = entry
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        conditional = get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=None,
            response=response,
        )
        return conditional

    @staticmethod
    def _mark_private(request: HttpRequest, response: HttpResponse) -> None:
        """A public page answered for one visitor alone says so, for proxies and browsers."""
        match = getattr(request, "resolver_match", None)
        if match is None or match.url_name not in CACHEABLE_VIEWS:
            return
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)


class SiteMiddleware:
    """The Wagtail site of the request and the sites' root paths, from the pieces: Wagtail
    looks the site up with a query on every request, and reads the root paths from the
    shared cache, keeping both on the request (`Site.find_for_request`,
    `Page._get_site_root_paths`); here they come from the pieces (by validated host and
    port), and are kept where Wagtail looks for them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.core.exceptions import DisallowedHost
        from wagtail.models import Site

        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)  # Django refuses it further on
        (site,) = cached(
            f"site:{host}:{request.get_port()}", lambda: (Site._find_for_request(request),)
        )
        request._wagtail_site = site
        request._wagtail_cached_site_root_paths = cached(
            "site-root-paths", Site.get_site_root_paths
        )
        return self.get_response(request)
