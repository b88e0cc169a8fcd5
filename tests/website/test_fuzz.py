"""Hostile input, everywhere: crawl every public page and form of the demo, and the admin as a
director (every URL the resolver knows, and the forms the crawl finds), and send generated bad
values: quotes, NUL, invalid UTF-8, huge and negative numbers, impossible dates, 1 MB strings,
unknown choices, duplicated and missing fields, bad uploads.

Fails on any server error, any request slower than FUZZ_TIMEOUT seconds and any script payload
sent back unescaped. The seed is fixed (FUZZ_SEED) and printed with each failure, so a failure
can be replayed. FUZZ_REQUESTS sets the number of requests (`make fuzz` sends 20,000).
"""

import os
import random
import re
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import Page

from tests.website.demo_db import _media_root, demo_module  # noqa: F401 (fixtures)
from tests.website.html_forms import Form, parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_module")]

SEED = int(os.environ.get("FUZZ_SEED", "2013"))
REQUESTS = int(os.environ.get("FUZZ_REQUESTS", "2200"))
TIMEOUT = float(os.environ.get("FUZZ_TIMEOUT", "10"))
ADMIN_SHARE = 0.4
MAX_CRAWL = 400
SAME_SHAPE = 3  # pages crawled per URL shape (digits and slugs aside)

SCRIPT = "<script>fuzz({n})</script>"
ATTRIBUTE = '"><svg onload=fuzz({n})>'
UNESCAPED = re.compile(rb"<script>fuzz\(\d+\)</script>|<svg onload=fuzz\(\d+\)>")
MEGABYTE = "A" * 1_000_000

HOSTILE_TEXT = [
    "",
    " ",
    '"',
    "'",
    "''",
    '"unterminated',
    "' OR '1'='1",
    "'; DROP TABLE wagtailcore_page; --",
    "1; SELECT pg_sleep(5)",
    "%",
    "%00",
    "%%",
    "_",
    "\\",
    "\x00",
    "a\x00b",
    "\r\n\r\nInjected: header",
    "{{ 7|add:7 }}",
    "{% debug %}",
    "${7*7}",
    "../../../../etc/passwd",
    "javascript:alert(1)",
    "http://",
    "mailto:",
    "@",
    "a@b",
    "x" * 256,
    "é" * 3000,
    "🙂" * 50,
    "\u202e\u0000\ufeff",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "-1",
    "0",
    "-0",
    "-99999999999999999999",
    "99999999999999999999",
    str(2**63),
    str(-(2**63) - 1),
    "0x10",
    "1.5",
    "true",
    "null",
    "None",
    "[]",
    "{}",
    '{"a": [}',
    "2023-02-30",
    "0000-00-00",
    "9999-99-99",
    "-0001-01-01",
    "2024-13-01T25:61:61",
    "31/12/2024",
    "99:99",
    "yesterday",
    "XX",
    "zz-ZZ",
    "__all__",
]
QUERY_NAMES = [
    "q",
    "query",
    "page",
    "p",
    "ordering",
    "order",
    "sort",
    "locale",
    "lang",
    "tag",
    "topic",
    "country",
    "type",
    "status",
    "id",
    "pk",
    "next",
    "search",
    "year",
    "month",
    "date",
    "from",
    "to",
    "per_page",
    "content_type",
    "collection_id",
    "mode",
    "format",
]


@dataclass
class Failure:
    method: str
    url: str
    problem: str
    fields: str

    def __str__(self) -> str:
        return f"{self.method} {self.url} [{self.fields}]: {self.problem}"


def hostile_value(rng: random.Random, n: int) -> str | bytes:
    roll = rng.random()
    if roll < 0.12:
        return rng.choice([SCRIPT, ATTRIBUTE]).format(n=n)
    if roll < 0.15:
        return MEGABYTE
    if roll < 0.2:
        return rng.choice([b"\xff\xfe", b"caf\xe9", b"\xc3\x28", b"\xed\xa0\x80"])
    return rng.choice(HOSTILE_TEXT)


def bad_upload(rng: random.Random, name: str) -> SimpleUploadedFile:
    kind = rng.choice(["text", "empty", "png-html", "truncated-jpeg", "long-name", "traversal"])
    content = {
        "text": b"just text",
        "empty": b"",
        "png-html": b"\x89PNG\r\n\x1a\n<html><script>fuzz(0)</script></html>",
        "truncated-jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
        "long-name": b"GIF89a",
        "traversal": b"GIF89a",
    }[kind]
    filename = {"long-name": "a" * 300 + ".jpg", "traversal": "../../../evil.jpg"}.get(
        kind, f"{name}.jpg"
    )
    return SimpleUploadedFile(filename, content, content_type=rng.choice(["image/jpeg", "x/y"]))


def mutate(form: Form, rng: random.Random, n: int) -> dict:
    """The form as a browser would send it, then made hostile: some fields bad, some
    missing, some sent twice, unknown choices, bad files."""
    data: dict = {name: list(values) for name, values in form.data().items()}
    names = list(data) + form.file_fields
    if not names:
        return {"unexpected": hostile_value(rng, n)}
    for name in rng.sample(names, k=max(1, rng.randint(1, max(1, len(names) // 2)))):
        roll = rng.random()
        if name in form.file_fields:
            data[name] = [bad_upload(rng, name) for _ in range(rng.randint(1, 5))]
        elif roll < 0.15:
            data.pop(name, None)
        elif roll < 0.3:
            data[name] = [hostile_value(rng, n), hostile_value(rng, n)]
        else:
            data[name] = [hostile_value(rng, n)]
    if rng.random() < 0.1:
        data[rng.choice(QUERY_NAMES)] = [hostile_value(rng, n)]
    return data


def hostile_query(url: str, names: list[str], rng: random.Random, n: int) -> str:
    pairs = []
    for _ in range(rng.randint(1, 3)):
        value = hostile_value(rng, n)
        if value is MEGABYTE:
            value = "A" * 4000  # what a server's request line allows
        raw = value if isinstance(value, bytes) else value.encode()
        pairs.append(f"{quote(rng.choice(names))}={quote(raw)}")
    if rng.random() < 0.1:
        pairs.append(pairs[0])
    return "&".join(pairs)


def url_shape(path: str) -> str:
    path = urlsplit(path).path
    return re.sub(r"/[^/]*\d[^/]*/", "/N/", path)


class Fuzzer:
    def __init__(self, client: Client, seed: int, relogin: Callable[[], None] | None = None):
        self.client = client
        self.rng = random.Random(seed)
        self.relogin = relogin
        self.failures: list[Failure] = []
        self.sent = 0

    def send(
        self, method: str, url: str, *, data=None, query: str = "", fields: str = "", keep=False
    ):
        """One request in a savepoint rolled back afterwards, so the data set stays whole
        (`keep`: the crawl's plain GETs keep what they make, such as image renditions)."""
        self.sent += 1
        full = f"{url}{'&' if '?' in url else '?'}{query}" if query else url
        started = time.monotonic()
        response = None
        try:
            with transaction.atomic():
                if method == "GET":
                    response = self.client.get(full)
                else:
                    response = self.client.post(full, data or {})
                transaction.set_rollback(not keep)
        except Exception as error:
            frames = traceback.extract_tb(error.__traceback__)
            own = [
                frame
                for frame in frames
                if "site-packages" not in frame.filename and "/tests/" not in frame.filename
            ] or frames
            where = f"{own[-1].filename.rsplit('/', 2)[-1]}:{own[-1].lineno}"
            self.fail(
                method, full, f"{type(error).__name__}: {str(error)[:160]} at {where}", fields
            )
            return None
        elapsed = time.monotonic() - started
        if response.status_code >= 500:
            self.fail(method, full, f"status {response.status_code}", fields)
        if elapsed > TIMEOUT:
            self.fail(method, full, f"took {elapsed:.1f} s", fields)
        if "html" in response.get("Content-Type", "") and UNESCAPED.search(response.content):
            self.fail(method, full, "a script payload came back unescaped", fields)
        return response

    def fail(self, method: str, url: str, problem: str, fields: str) -> None:
        self.failures.append(Failure(method, url[:200], problem, fields[:200]))

    def crawl(self, starts: list[str], allowed: Callable[[str], bool]) -> tuple[list, list]:
        """Pages (GET, followed by their links) and forms, breadth first."""
        seen_shapes: dict[str, int] = {}
        queue, pages, forms, seen = list(starts), [], [], set()
        while queue and len(pages) < MAX_CRAWL:
            url = queue.pop(0)
            shape = url_shape(url)
            if url in seen or not allowed(url) or seen_shapes.get(shape, 0) >= SAME_SHAPE:
                continue
            seen.add(url)
            seen_shapes[shape] = seen_shapes.get(shape, 0) + 1
            response = self.send("GET", url, keep=True)
            if response is None or response.status_code != 200:
                continue
            if "html" not in response.get("Content-Type", ""):
                continue
            pages.append(url)
            found_forms, links = parse(response.content.decode(errors="replace"), url)
            forms.extend(form for form in found_forms if allowed(form.action))
            queue.extend(link for link in links if link not in seen)
        return pages, forms

    def attack(self, pages: list[str], forms: list[Form], count: int) -> None:
        post_forms = [form for form in forms if form.method == "post"]
        get_forms = [form for form in forms if form.method == "get"]
        for n in range(count):
            if n % 50 == 0:
                cache.clear()  # the public forms' rate limits would answer every later post
                if self.relogin:
                    self.relogin()
            roll = self.rng.random()
            if post_forms and roll < 0.5:
                form = self.rng.choice(post_forms)
                data = mutate(form, self.rng, n)
                self.send("POST", form.action, data=data, fields=",".join(sorted(data)))
            elif get_forms and roll < 0.65:
                form = self.rng.choice(get_forms)
                names = list(form.data()) or QUERY_NAMES
                self.send("GET", form.action, query=hostile_query("", names, self.rng, n))
            else:
                url = self.rng.choice(pages)
                self.send("GET", url, query=hostile_query(url, QUERY_NAMES, self.rng, n))

    def report(self) -> str:
        lines = [f"{len(self.failures)} failures in {self.sent} requests; replay with "]
        # FUZZ_SEED, which this fuzzer's own seed derives from, replays it.
        lines[0] += f"FUZZ_SEED={SEED} FUZZ_REQUESTS={REQUESTS}"
        distinct: dict[str, Failure] = {}
        for failure in self.failures:
            distinct.setdefault(
                f"{failure.method} {url_shape(failure.url)} {failure.problem}", failure
            )
        lines += [f"  {failure}" for failure in list(distinct.values())[:40]]
        return "\n".join(lines)


def public_url(url: str) -> bool:
    path = urlsplit(url).path
    return not path.startswith(("/admin", "/documents/", "/anymail/", "/media/", "/static/"))


def admin_url(url: str) -> bool:
    path = urlsplit(url).path
    # failwhale is Wagtail's page that raises on purpose, to test the error reports.
    return path.startswith("/admin/") and not any(
        word in path for word in ("logout", "/password_reset", "/account/", "/failwhale/")
    )


def admin_routes() -> Iterator[str]:
    """Every admin route the resolver knows, as `pages/<int:page_id>/edit/`."""

    def walk(patterns, prefix: str) -> Iterator[str]:
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                yield prefix + route

    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and str(pattern.pattern) == "admin/":
            yield from walk(pattern.url_patterns, "admin/")


def fill_route(route: str, ints: list[int], words: list[str], rng: random.Random) -> str:
    route = route.lstrip("^").rstrip("$").replace("\\", "")

    def value(match: re.Match) -> str:
        converter = match.group(1) or "str"
        if converter == "int":
            return str(rng.choice(ints))
        if converter == "uuid":
            return "12345678-1234-5678-1234-567812345678"
        return quote(rng.choice(words), safe="")

    route = re.sub(r"<(?:(\w+):)?\w+>", value, route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", lambda _match: str(rng.choice(ints)), route)
    return "/" + route


def assert_no_failures(fuzzer: Fuzzer) -> None:
    assert not fuzzer.failures, fuzzer.report()


def test_the_public_site_survives_hostile_input(db):
    client = Client(raise_request_exception=True)
    fuzzer = Fuzzer(client, SEED)
    starts = ["/", "/es/", "/fr/", "/pt/", "/ar/", "/search/?query=library", "/sitemap.xml"]
    starts += [page.url for page in Page.objects.live().specific() if page.url]
    pages, forms = fuzzer.crawl(starts, public_url)
    assert len(pages) > 30, pages
    assert any(form.method == "post" for form in forms), "the crawl found no public form"
    fuzzer.attack(pages, forms, int(REQUESTS * (1 - ADMIN_SHARE)))
    assert fuzzer.sent >= int(REQUESTS * (1 - ADMIN_SHARE))
    assert_no_failures(fuzzer)


def test_the_admin_survives_hostile_input_from_a_director(db):
    client = Client(raise_request_exception=True)
    director = get_user_model().objects.get(username="director")

    def relogin() -> None:
        client.force_login(director)

    relogin()
    fuzzer = Fuzzer(client, SEED + 1, relogin=relogin)
    pages, forms = fuzzer.crawl(["/admin/", "/admin/pages/"], admin_url)
    assert len(pages) > 30, pages

    ints = [*Page.objects.values_list("pk", flat=True)[:20], 1, 2, 0, 2**31, 10**20]
    words = sorted({part for url in pages for part in urlsplit(url).path.split("/") if part})
    words += ["nonexistent", "..", "%27", "a" * 300]
    budget = int(REQUESTS * ADMIN_SHARE)
    for route in admin_routes():
        url = fill_route(route, ints, words, fuzzer.rng)
        if admin_url(url):
            fuzzer.send("GET", url, query=hostile_query(url, QUERY_NAMES, fuzzer.rng, 0))
    fuzzer.attack(pages, forms, max(budget - fuzzer.sent, budget // 2))
    assert fuzzer.sent >= budget
    assert_no_failures(fuzzer)
