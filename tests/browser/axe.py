"""axe-core in the browser tests: fetched once (a pinned version, from the npm registry) into
a cache folder outside git, injected into a page of a context that bypasses the page's CSP
(the site's own policy stays as strict as in production), and run with the WCAG 2.2 A/AA
rules. A violation is reported with its rule, impact, selectors and help text."""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page

from tests.conftest import require_or_skip

AXE_VERSION = "4.14.1"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CACHE = Path(__file__).resolve().parents[2] / ".cache" / "axe-core" / AXE_VERSION


@dataclass(frozen=True)
class Exclusion:
    """A violation that comes from Wagtail's own markup, which the project cannot change;
    `reason` names the element and why."""

    rule: str
    selector: str
    reason: str


def axe_source() -> str:
    """The minified axe-core script, fetched with `npm pack` the first time."""
    script = CACHE / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            require_or_skip(
                settings.REQUIRE_BROWSER,
                f"axe-core {AXE_VERSION} is not in {CACHE} and npm is not installed to fetch it",
            )
        with tempfile.TemporaryDirectory() as folder:
            done = subprocess.run(
                [npm, "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", folder],
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
            tarballs = list(Path(folder).glob("axe-core-*.tgz"))
            if done.returncode != 0 or not tarballs:
                require_or_skip(
                    settings.REQUIRE_BROWSER,
                    f"could not fetch axe-core {AXE_VERSION} from the npm registry: "
                    f"{done.stderr.strip()[-500:]}",
                )
            with tarfile.open(tarballs[0]) as archive:
                member = archive.extractfile("package/axe.min.js")
                CACHE.mkdir(parents=True, exist_ok=True)
                script.write_bytes(member.read())
    return script.read_text(encoding="utf-8")


def new_axe_page(browser, base_url: str, **options) -> Page:
    """A page in a context that ignores the CSP, so that the injected script may run."""
    context = browser.new_context(base_url=base_url, bypass_csp=True, **options)
    context.set_default_timeout(15_000)
    return context.new_page()


def violations(page: Page, script: str, exclusions: tuple[Exclusion, ...] = ()) -> list[dict]:
    """Runs axe on the page as it is now; the violations that no exclusion covers."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=script)
    result = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            });
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }""",
        WCAG_TAGS,
    )
    found = []
    for violation in [*result, *broken_references(page)]:
        nodes = [
            node
            for node in violation["nodes"]
            if not any(
                e.rule == violation["id"] and e.selector == node["target"] for e in exclusions
            )
        ]
        if nodes:
            found.append({**violation, "nodes": nodes})
    return found


def broken_references(page: Page) -> list[dict]:
    """Elements whose aria-labelledby or aria-describedby names an id that is not on the page
    (axe lets one good id in the list stand for all); reported as axe reports."""
    nodes = page.evaluate(
        """() => [...document.querySelectorAll('[aria-labelledby], [aria-describedby]')]
            .flatMap(el => ['aria-labelledby', 'aria-describedby'].flatMap(attr =>
                (el.getAttribute(attr) || '').split(/\\s+/).filter(Boolean)
                    .filter(id => !document.getElementById(id))
                    .map(id => ({
                        target: el.id ? `#${el.id}` : [el.localName, ...el.classList].join('.'),
                        summary: `${attr} -> #${id}`,
                    }))))"""
    )
    if not nodes:
        return []
    return [
        {
            "id": "aria-idref-missing",
            "impact": "serious",
            "help": "ARIA references must point at elements on the page",
            "helpUrl": "https://www.w3.org/TR/wai-aria-1.2/#valuetype_idref_list",
            "nodes": nodes,
        }
    ]


def report(where: str, found: list[dict]) -> str:
    lines = [f"{where}: {len(found)} axe violation(s)"]
    for violation in found:
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:10]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"      {node['target']}  -- {summary[:300]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"      ... and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)
