"""What a reader sees, as checks on one page loaded in headless Chromium.

Every check returns a list of human-readable problems (empty means the page passed), so the
same functions serve the real pages and the negative tests that prove each check can fail.
"""

from __future__ import annotations

import functools
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import lxml.html
from playwright.sync_api import Page

from browser.server import ARTIFACTS

LOCAL_HOSTS = {"127.0.0.1", "localhost"}

#: libxml2's HTML parser without its limits on the size of a text node or of the tree.
_PARSER = lxml.html.HTMLParser(huge_tree=True)

# Raw TeX that should never survive rendering: delimiters and common macros.
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\frac|\\sum|\\log|\\begin\{")


@dataclass
class Visit:
    """What happened while one page loaded."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)


def visit(page: Page, url: str) -> Visit:
    """Load ``url``, recording console errors, page errors and requests that leave 127.0.0.1.

    Requests to other hosts are aborted (the test machine is offline anyway), so a page that
    depends on a CDN shows up here instead of hanging.
    """
    v = Visit(url)
    page.on("console", lambda m: v.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: v.page_errors.append(str(e)))
    page.on(
        "requestfailed",
        lambda r: (
            v.failed_requests.append(r.url) if urlparse(r.url).hostname in LOCAL_HOSTS else None
        ),
    )

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            r.continue_()
        else:
            v.outside_requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="load")
    wait_for_quiet_network(page)
    wait_for_math(page)
    return v


def wait_for_quiet_network(page: Page, quiet_ms: int = 150, timeout_ms: int = 15000) -> None:
    """Wait until no request has been in flight for ``quiet_ms`` (after the load event).

    Playwright's ``networkidle`` waits 500 ms of silence; the site makes its last requests
    (search index, web worker) right after load, so a shorter window sees them all and
    saves about a third of a second per page.
    """
    state = {"inflight": 0, "last": 0.0}

    def started(_request) -> None:
        state["inflight"] += 1

    def ended(_request) -> None:
        state["inflight"] = max(0, state["inflight"] - 1)
        state["last"] = time.monotonic()

    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)
    start = state["last"] = time.monotonic()
    try:
        while time.monotonic() - start < timeout_ms / 1000:
            page.wait_for_timeout(50)
            if state["inflight"] == 0 and time.monotonic() - state["last"] >= quiet_ms / 1000:
                return
    finally:
        page.remove_listener("request", started)
        page.remove_listener("requestfinished", ended)
        page.remove_listener("requestfailed", ended)


def wait_for_math(page: Page, timeout_ms: int = 5000) -> None:
    """Wait until every math element of the page has been typeset (or the timeout passes)."""
    try:
        page.wait_for_function(
            """() => [...document.querySelectorAll('.arithmatex')]
                   .every(el => el.querySelector('.katex') || el.querySelector('.katex-error'))""",
            timeout=timeout_ms,
        )
    except Exception:  # the math check below reports what is left untypeset
        pass


def math_problems(page: Page) -> list[str]:
    """Every formula typeset, no renderer errors, no raw TeX left in the reading text."""
    report = page.evaluate(
        """() => {
        const out = [];
        for (const el of document.querySelectorAll('.arithmatex')) {
            if (!el.querySelector('.katex')) out.push('untypeset: ' + el.textContent.slice(0, 60));
        }
        for (const el of document.querySelectorAll('.katex-error')) {
            out.push('renderer error: ' + (el.title || el.textContent).slice(0, 100));
        }
        // With throwOnError off, KaTeX typesets an unknown macro in its error colour.
        for (const el of document.querySelectorAll('.katex mstyle[mathcolor="#cc0000"]')) {
            out.push('renderer error: unknown macro ' + el.textContent.slice(0, 60));
        }
        for (const el of document.querySelectorAll('.katex')) {
            const r = el.getBoundingClientRect();
            const hidden = el.closest('details:not([open])') || el.offsetParent === null;
            if (!hidden && (r.width < 2 || r.height < 2)) out.push('empty formula box');
        }
        // Reading text (the article and the navigation, with math and code removed) must
        // contain no TeX. A lab cell's hidden copy of its code (what its copy button copies)
        // is code too.
        const copy = document.body.cloneNode(true);
        copy.querySelectorAll(
            '.katex, pre, code, script, style, .md-search, .md-footer, .clipboard-copy-txt'
        ).forEach(n => n.remove());
        out.push('text: ' + copy.textContent);
        return out;
    }"""
    )
    text = report.pop()[len("text: ") :]
    problems = list(report)
    for m in RAW_TEX.finditer(text):
        start = max(0, m.start() - 30)
        problems.append(f"raw TeX in text: ...{text[start : m.end() + 30]!r}...")
    return problems


def image_problems(page: Page) -> list[str]:
    """Every image loaded (natural size > 0) and has non-empty alt text.

    Lazy images are switched to eager loading first, so images below the fold count too.
    """
    page.evaluate(
        """async () => {
        const imgs = [...document.querySelectorAll('article img')];
        imgs.forEach(img => { img.loading = 'eager'; });
        await Promise.all(imgs.map(img => img.decode().catch(() => null)));
    }"""
    )
    return page.evaluate(
        """() => [...document.querySelectorAll('article img')].flatMap(img => {
            const out = [];
            const name = img.getAttribute('src');
            if (!img.complete || img.naturalWidth === 0) out.push('not loaded: ' + name);
            if (!(img.getAttribute('alt') || '').trim()) out.push('no alt text: ' + name);
            return out;
        })"""
    )


def overflow_problems(page: Page) -> list[str]:
    """Nothing in the text column sticks out of the screen sideways.

    Wide formulas, tables and code may scroll inside their own box (``overflow-x: auto``);
    anything else whose right edge passes the viewport is cut off or makes the page scroll.
    """
    return page.evaluate(
        """() => {
        const out = [];
        const doc = document.documentElement;
        if (doc.scrollWidth > doc.clientWidth + 1)
            out.push(`page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
        const width = window.innerWidth;
        const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
        for (const el of document.querySelectorAll('article *')) {
            if (el.closest('.katex-mathml') || el.closest('svg') !== null && el.tagName !== 'svg')
                continue;
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.right <= width + 1) continue;
            let boxed = false;
            for (let a = el.parentElement; a && a.tagName !== 'ARTICLE'; a = a.parentElement) {
                if (scrolls(a)) { boxed = true; break; }
            }
            if (!boxed && !scrolls(el))
                out.push(`sticks out (${Math.round(r.right)} > ${width}): ` +
                         `<${el.tagName.toLowerCase()} class="${el.className}">`);
        }
        return out.slice(0, 10);
    }"""
    )


def derivation_scroll_problems(page: Page) -> list[str]:
    """On a desktop screen every derivation fits its block: no formula needs sideways scrolling."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.ce-derivation .katex-display')]
            .filter(el => el.scrollWidth > el.clientWidth + 1)
            .map(el => {
                const id = el.closest('.ce-derivation').id || '?';
                return `derivation ${id} scrolls: ${el.scrollWidth} > ${el.clientWidth}`;
            })"""
    )


def _shot_name(rel: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", rel.lower()).strip("-") or "home"


#: ``CE_BOOK_FULL_SCREENSHOTS=1``: save whole desktop pages, for a person to read through.
FULL_SCREENSHOTS = os.environ.get("CE_BOOK_FULL_SCREENSHOTS") == "1"


#: The two ways every page is looked at: a desktop screen in the light scheme, then a phone.
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 900}


def _screenshot(page: Page, rel: str, mode: str, width: int, *, full: bool) -> None:
    shot = ARTIFACTS / f"{_shot_name(rel)}-{mode}.png"
    if full:
        page.screenshot(path=shot, full_page=True)
    else:
        height = min(3 * 900, page.evaluate("document.documentElement.scrollHeight"))
        page.screenshot(path=shot, clip={"x": 0, "y": 0, "width": width, "height": height})


def switch_to_dark(page: Page) -> None:
    """Switch to the dark (slate) scheme with the header's toggle, as a reader would.

    The toggle is clicked from the page's script: right after the resize the theme may still
    be moving the header, and Playwright's click would wait for it to stand still (once more
    than 30 s on a loaded machine).
    """
    page.evaluate(
        """document.querySelector('[data-md-component="palette"] label[for="__palette_1"]')
               .click()"""
    )
    page.wait_for_function(
        "document.body.getAttribute('data-md-color-scheme') === 'slate'", timeout=10000
    )


def record_pages(browser, base_url: str, pages: list[str]) -> dict:
    """Load every page once and check it twice: on a desktop screen (1280 px) in the light
    scheme, then resized to a phone (390 px) in the dark scheme, as a reader turning a tablet
    or switching the scheme would see it.

    Returns ``{page: {"visit": Visit, "math": [...], "images": [...], "overflow": [...],
    "derivations": [...], "phone_overflow": [...]}}``; the visit records every request and
    error from the load to the last phone check. A screenshot of the first three screens of
    each look is saved under ``test-artifacts/screenshots/`` (``CE_BOOK_FULL_SCREENSHOTS=1``:
    the whole page on the desktop, except for the claims page; a picture of a whole chapter
    is 20,000 pixels tall and takes seconds to encode, so the test command does not draw them
    unless asked). The checks cover the whole page either way.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    out = {}
    for rel in pages:
        page = context.new_page()
        record = visit(page, base_url + rel)
        out[rel] = {
            "visit": record,
            "math": math_problems(page),
            "images": image_problems(page),
            "overflow": overflow_problems(page),
            "derivations": derivation_scroll_problems(page),
        }
        full = FULL_SCREENSHOTS and rel != "claims/"
        _screenshot(page, rel, "light", DESKTOP["width"], full=full)
        page.set_viewport_size(PHONE)
        switch_to_dark(page)
        out[rel]["phone_overflow"] = overflow_problems(page)
        _screenshot(page, rel, "dark-390", PHONE["width"], full=False)
        page.evaluate("localStorage.clear()")  # the next page starts in the light scheme again
        page.close()
    context.close()
    return out


def failures(reports: dict, key: str) -> dict:
    """The pages of ``record_pages``'s reports whose check ``key`` found problems."""
    return {rel: r[key] for rel, r in reports.items() if r[key]}


@dataclass(frozen=True)
class _Anchors:
    ids: frozenset[str]
    links: tuple[str, ...]


@functools.cache
def _parse(path: Path) -> _Anchors:
    """The ids (and ``<a name>``) and link targets of a built page, parsed once per test
    session (pages do not change), with libxml2's HTML parser (lxml)."""
    tree = lxml.html.parse(str(path), _PARSER)
    return _Anchors(
        frozenset(tree.xpath("//@id")) | frozenset(tree.xpath("//a/@name")),
        tuple(tree.xpath("//a/@href")),
    )


def link_problems(site: Path, page_file: Path) -> list[str]:
    """Every internal link of a built page points to a page that exists, and to an id in it."""
    base = "http://site/" + page_file.relative_to(site).as_posix()
    problems = []
    for href in _parse(page_file).links:
        target = urljoin(base, href)
        parts = urlparse(target)
        if parts.scheme in ("mailto", "javascript") or parts.hostname != "site":
            continue
        path, frag = urldefrag(unquote(parts.path).lstrip("/"))[0], parts.fragment
        file = site / path
        if file.is_dir() or path.endswith("/") or path == "":
            file = file / "index.html"
        if not file.exists():
            problems.append(f"broken link {href!r}: no {file.relative_to(site)}")
            continue
        if frag and file.suffix == ".html":
            if frag not in _parse(file).ids:
                problems.append(f"missing anchor {href!r}: no id {frag!r} in {path or 'index'}")
    return problems
