"""Negative tests: the browser checks catch a broken formula, a request to an outside host,
a missing anchor, a missing image and a page that scrolls sideways.

A copy of the built home page, beside it, gets one defect injected into its article; the same check
functions that pass on the real pages must report it.
"""

from __future__ import annotations

import shutil

import pytest

from browser import checks
from browser.server import serve

pytestmark = pytest.mark.browser

DEFECTS = {
    "formula": r'<div class="arithmatex">\[\frac{1}{\notamacro{2}}\]</div>',
    "outside": '<img src="https://cdn.example.com/logo.png" alt="logo">',
    "anchor": '<a href="information/#no-such-anchor">see</a>',
    "image": '<img src="figures/no-such-figure.svg" alt="missing">',
    "overflow": '<div style="width: 3000px">wide</div>',
}


@pytest.fixture(scope="module")
def broken_site(site_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("broken") / "site"
    shutil.copytree(site_dir, root)
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    assert "<article" in home
    for name, html in DEFECTS.items():
        # Same folder as the home page, so its relative asset paths keep working.
        page = root / f"broken-{name}.html"
        page.write_text(home.replace("<article", f"<article>{html}</article><article", 1))
    server, url = serve(root)
    yield root, url
    server.shutdown()


def _load(browser, url, width=1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    return page, checks.visit(page, url)


def test_broken_formula_is_caught(browser, broken_site):
    page, _ = _load(browser, broken_site[1] + "broken-formula.html")
    problems = checks.math_problems(page)
    assert any("renderer error" in p or "untypeset" in p for p in problems), problems


def test_request_to_outside_host_is_caught(browser, broken_site):
    _, visit = _load(browser, broken_site[1] + "broken-outside.html")
    assert any("cdn.example.com" in u for u in visit.outside_requests)


def test_missing_anchor_is_caught(broken_site):
    root = broken_site[0]
    problems = checks.link_problems(root, root / "broken-anchor.html")
    assert any("no-such-anchor" in p for p in problems), problems


def test_missing_image_is_caught(browser, broken_site):
    page, _ = _load(browser, broken_site[1] + "broken-image.html")
    assert any("not loaded" in p for p in checks.image_problems(page))


def test_overflow_is_caught(browser, broken_site):
    page, _ = _load(browser, broken_site[1] + "broken-overflow.html", width=390)
    assert checks.overflow_problems(page)
