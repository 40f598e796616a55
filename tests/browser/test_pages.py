"""Every page of the built book, as a reader sees it in headless Chromium.

Each page is loaded once, checked on a desktop screen in the light scheme, then resized to a
phone (390 px) in the dark scheme and checked again; the tests read what was recorded, and
screenshots of both looks are saved under test-artifacts/screenshots/ for a person to look
through.
"""

from __future__ import annotations

import pytest

from browser import checks
from browser.server import site_pages

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def desktop(browser, base_url, site_dir):
    return checks.record_pages(browser, base_url, site_pages(site_dir))


def test_the_site_has_every_chapter(site_dir):
    pages = site_pages(site_dir)
    for slug in (
        "information/",
        "binary/",
        "categorical/",
        "likelihood/",
        "gradients/",
        "stability/",
        "errata/",
        "beyond/",
        "claims/",
        "notation/",
        "bibliography/",
    ):
        assert slug in pages


def test_no_console_or_page_errors(desktop):
    bad = {
        rel: r["visit"].console_errors + r["visit"].page_errors
        for rel, r in desktop.items()
        if r["visit"].console_errors or r["visit"].page_errors
    }
    assert not bad


def test_no_horizontal_overflow_at_phone_width_in_dark_scheme(desktop):
    assert not checks.failures(desktop, "phone_overflow")


def test_no_request_leaves_localhost(desktop):
    bad = {
        rel: r["visit"].outside_requests
        for rel, r in desktop.items()
        if r["visit"].outside_requests
    }
    assert not bad


def test_no_local_request_fails(desktop):
    bad = {
        rel: r["visit"].failed_requests for rel, r in desktop.items() if r["visit"].failed_requests
    }
    assert not bad


def test_every_formula_is_typeset(desktop):
    assert not checks.failures(desktop, "math")


def test_every_image_loads_with_alt_text(desktop):
    assert not checks.failures(desktop, "images")


def test_derivations_fit_a_desktop_screen(desktop):
    assert not checks.failures(desktop, "derivations")


def test_math_survives_instant_navigation(browser, base_url):
    """Math is typeset on a page reached by a click (instant navigation), not only on load."""
    page = browser.new_page()
    checks.visit(page, base_url)
    page.click("a[href$='information/']")
    page.wait_for_url("**/information/")
    checks.wait_for_math(page)
    assert page.locator(".katex").count() > 10
    assert not checks.math_problems(page)
    page.close()


def test_every_internal_link_and_anchor_resolves(site_dir):
    bad = {}
    for rel in site_pages(site_dir):
        problems = checks.link_problems(site_dir, site_dir / rel / "index.html")
        if problems:
            bad[rel] = problems
    assert not bad


@pytest.mark.parametrize(
    ("term", "expected"), [("Gibbs", "information/"), ("nll_loss", "categorical/")]
)
def test_search_works_offline(browser, base_url, term, expected):
    page = browser.new_page()
    checks.visit(page, base_url)
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially(term, delay=20)
    result = page.locator(".md-search-result__item a").first
    result.wait_for(timeout=10000)
    hrefs = page.locator(".md-search-result__item a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert any(expected in h for h in hrefs), hrefs
    page.close()
