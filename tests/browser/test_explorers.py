"""The two interactive explorers, driven in headless Chromium and compared with ce_book.

Each explorer page is loaded once; the tests drive it to the inputs of every test vector in
docs/assets/explorers/vectors.json (written from ce_book) and compare each output's
full-precision ``data-value`` with the vector, within the file's tolerances, and its rounded
text with that value. Keyboard use, accessible names, the dark scheme at phone width and
mkdocs-material's instant navigation are checked on the same pages; a screenshot of each
explorer is saved under test-artifacts/screenshots/.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import numpy as np
import pytest

from browser import checks
from browser import explorer_driver as drive
from browser.server import ARTIFACTS, site_pages
from ce_book.activations import log_sigmoid, log_softmax, sigmoid, softmax

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "docs" / "assets" / "explorers" / "vectors.json"
DATA = json.loads(VECTORS.read_text(encoding="utf-8"))
TOL = DATA["tolerances"]
PAGES = {"softmax": "gradients/", "binary": "binary/"}

browser_test = pytest.mark.browser


def _open(context, base_url: str, kind: str):
    page = context.new_page()
    visit = checks.visit(page, base_url + PAGES[kind])
    return page, visit


@pytest.fixture(scope="module")
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    yield context
    context.close()


def _look(page, kind: str, mode: str) -> dict:
    """Layout and contrast report of the explorer as it is now, and its screenshot."""
    report = drive.explorer(page, kind).evaluate(drive.LAYOUT_AND_CONTRAST)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    root = drive.explorer(page, kind)
    root.scroll_into_view_if_needed()
    root.screenshot(path=ARTIFACTS / f"explorer-{kind}-{mode}.png")
    return report


def _explorer_page(context, base_url: str, kind: str):
    """One page per explorer for the module; its look on arrival is recorded first."""
    page, visit = _open(context, base_url, kind)
    look = _look(page, kind, "light")
    yield page, visit, drive.prefix(page, kind), look
    page.close()


@pytest.fixture(scope="module")
def softmax_page(desktop, base_url):
    yield from _explorer_page(desktop, base_url, "softmax")


@pytest.fixture(scope="module")
def binary_page(desktop, base_url):
    yield from _explorer_page(desktop, base_url, "binary")


# The widest states: six classes with their soft-target boxes, long numbers everywhere.
WIDEST = {
    "softmax": {
        "logits": [1e30, -1e30, 9999.5, -3.25, 0.0, -1e-7],
        "temperature": 1e-6,
        "target_class": None,
        "target": [0.25, 0.0, 0.125, 0.125, 0.25, 0.25],
    },
    "binary": {"logit": -1e30, "label": 1.0},
}


@pytest.fixture(scope="module")
def phone_dark(browser, base_url):
    """Each explorer at 390 px in the slate scheme, driven to its widest state."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    out = {}
    for kind in PAGES:
        page, visit = _open(context, base_url, kind)
        page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
        pfx = drive.prefix(page, kind)
        driver = drive.drive_softmax if kind == "softmax" else drive.drive_binary
        driver(page, pfx, WIDEST[kind])
        out[kind] = (visit, _look(page, kind, "dark-390"))
        page.close()
    context.close()
    return out


def _page(request, kind: str):
    """The module's page of ``kind``, brought to the front (a background tab gets no animation
    frames, so every Playwright action on it would wait)."""
    page, visit, pfx, _ = request.getfixturevalue(f"{kind}_page")
    page.bring_to_front()
    return page, visit, pfx


# ---------- the pages load, and the site serves the vectors the tests use ----------


@browser_test
def test_site_serves_the_committed_vectors(site_dir):
    served = site_dir / "assets" / "explorers" / "vectors.json"
    assert served.read_text(encoding="utf-8") == VECTORS.read_text(encoding="utf-8"), (
        "the built site carries other vectors than docs/: rebuild it"
    )


@browser_test
@pytest.mark.parametrize("kind", ["softmax", "binary"])
def test_explorer_starts_without_errors(kind, request):
    page, visit, pfx = _page(request, kind)
    assert not visit.console_errors and not visit.page_errors, visit
    assert not visit.outside_requests and not visit.failed_requests, visit
    root = drive.explorer(page, kind)
    assert root.get_attribute("data-prefix") == pfx == f"ce-{kind}"
    assert page.locator(".ce-explorer").count() == 1


# ---------- every vector, shown as ce_book computes it ----------


def _input_problems(page, pfx: str, wanted: dict, name: str) -> list[str]:
    """The explorer's number boxes hold the vector's inputs, and none is marked invalid."""
    held = drive.number_boxes(page, pfx)
    problems = [
        f"{name}: {k} holds {held[k]!r}, not {v!r}" for k, v in wanted.items() if held[k] != v
    ]
    invalid = page.locator(f'.ce-explorer[data-prefix="{pfx}"] [aria-invalid="true"]').count()
    return problems + ([f"{name}: {invalid} inputs marked invalid"] if invalid else [])


def _softmax_problems(page, pfx: str, vector: dict) -> list[str]:
    values, texts = drive.read_outputs(page, pfx)
    shown = drive.softmax_shown(values, pfx)
    k = len(vector["logits"])
    problems = drive.compare(shown, vector, TOL, drive.SOFTMAX_FIELDS)
    problems += _input_problems(page, pfx, drive.softmax_inputs(pfx, vector), vector["id"])
    root = drive.explorer(page, "softmax")
    state = {a: root.get_attribute(f"data-{a}") for a in ("classes", "target", "valid")}
    cls = vector["target_class"]
    want = {"classes": str(k), "target": "soft" if cls is None else str(cls), "valid": "true"}
    if state != want:
        problems.append(f"{vector['id']}: container state {state}, expected {want}")
    if texts.pop(f"{pfx}-count") != f"{k} classes":
        problems.append(f"{vector['id']}: class count text is not '{k} classes'")
    if not math.isfinite(shown["loss"]):
        problems.append(f"{vector['id']}: loss {shown['loss']} is not finite")
    if not abs(shown["grad_sum"]) <= TOL["grad_sum"]["abs"]:
        problems.append(f"{vector['id']}: gradient sum {shown['grad_sum']} is not ~0")
    return problems + [f"{vector['id']}: {p}" for p in drive.text_problems(texts, values)]


@browser_test
def test_softmax_explorer_shows_every_vector(request):
    page, _, pfx = _page(request, "softmax")
    problems, compared = [], 0
    for vector in DATA["softmax"]:
        drive.drive_softmax(page, pfx, vector)
        problems += _softmax_problems(page, pfx, vector)
        compared += 1
    assert not problems, "\n".join(problems)
    assert compared == len(DATA["softmax"]) >= 10
    # The vectors reach the hard cases the explorer promises to survive.
    assert max(abs(z) for v in DATA["softmax"] for z in v["logits"]) >= 1e30
    assert min(v["temperature"] for v in DATA["softmax"]) <= 1e-6
    assert any(v["target_class"] is None for v in DATA["softmax"])
    assert {len(v["logits"]) for v in DATA["softmax"]} >= {3, 4, 5, 6}


@browser_test
def test_binary_explorer_shows_every_vector(request):
    page, _, pfx = _page(request, "binary")
    problems, compared = [], 0
    root = drive.explorer(page, "binary")
    for vector in DATA["binary"]:
        drive.drive_binary(page, pfx, vector)
        values, texts = drive.read_outputs(page, pfx)
        problems += drive.compare(drive.binary_shown(values, pfx), vector, TOL, drive.BINARY_FIELDS)
        problems += _input_problems(page, pfx, drive.binary_inputs(pfx, vector), vector["id"])
        problems += [f"{vector['id']}: {p}" for p in drive.text_problems(texts, values)]
        if root.get_attribute("data-label") != str(int(vector["label"])):
            problems.append(f"{vector['id']}: data-label is {root.get_attribute('data-label')}")
        compared += 1
    assert not problems, "\n".join(problems)
    assert compared == len(DATA["binary"]) >= 5
    assert {v["label"] for v in DATA["binary"]} == {0.0, 1.0}


# ---------- keyboard: the reference here is ce_book, computed in the test ----------


def _softmax_reference(z: list[float], temperature: float, target: int) -> dict:
    u = np.asarray(z) / temperature
    p = softmax(u)
    t = np.eye(len(z))[target]
    return {
        "id": f"keyboard z={z}",
        "probs": p.tolist(),
        "target": t.tolist(),
        "grad": (p - t).tolist(),
        "loss": float(-log_softmax(u)[target]),
        "grad_sum": 0.0,
    }


def _binary_reference(z: float, label: int) -> dict:
    s = float(sigmoid(z))
    err = s - label
    return {
        "id": f"keyboard z={z} t={label}",
        "sigma": s,
        "bce": float(-log_sigmoid(z) if label else -log_sigmoid(-z)),
        "bce_grad": err,
        "mse": err * err,
        "mse_grad": 2 * err * s * (1 - s),
    }


@browser_test
def test_keyboard_moves_a_softmax_logit(request):
    page, _, pfx = _page(request, "softmax")
    start = DATA["softmax"][0]  # four classes, the first one true, T = 1
    assert start["target_class"] == 0 and start["temperature"] == 1.0
    drive.drive_softmax(page, pfx, start)
    summary = page.locator(f"#{pfx}-summary")
    before = summary.text_content()
    slider = page.locator(f"#{pfx}-z-0")
    slider.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    z0 = float(page.input_value(f"#{pfx}-z-0-number"))
    assert z0 == pytest.approx(start["logits"][0] + 0.4, abs=1e-12)
    assert float(slider.input_value()) == pytest.approx(z0, abs=1e-12)
    z = [z0, *start["logits"][1:]]
    values, _ = drive.read_outputs(page, pfx)
    ref = _softmax_reference(z, 1.0, 0)
    problems = drive.compare(drive.softmax_shown(values, pfx), ref, TOL, drive.SOFTMAX_FIELDS)
    assert not problems, "\n".join(problems)
    # The loss fell (the true class's logit rose), and the live summary says so.
    assert ref["loss"] < start["loss"]
    after = summary.text_content()
    assert after != before and f"Loss {ref['loss']:.3f} nats" in after


@browser_test
def test_keyboard_moves_the_binary_logit_and_label(request):
    page, _, pfx = _page(request, "binary")
    drive.drive_binary(page, pfx, {"logit": 1.5, "label": 0.0})
    page.locator(f"#{pfx}-z").focus()
    for _ in range(4):
        page.keyboard.press("ArrowLeft")
    z = float(page.input_value(f"#{pfx}-z-number"))
    assert z == pytest.approx(1.1, abs=1e-12)
    values, _ = drive.read_outputs(page, pfx)
    shown = drive.binary_shown(values, pfx)
    assert not drive.compare(shown, _binary_reference(z, 0), TOL, drive.BINARY_FIELDS)
    # Arrow keys move through the radio group: from t = 0 to t = 1.
    page.locator(f"#{pfx}-label-0").focus()
    page.keyboard.press("ArrowRight")
    assert page.is_checked(f"#{pfx}-label-1")
    values, _ = drive.read_outputs(page, pfx)
    ref = _binary_reference(z, 1)
    assert not drive.compare(drive.binary_shown(values, pfx), ref, TOL, drive.BINARY_FIELDS)
    summary = page.locator(f"#{pfx}-summary").text_content()
    assert f"Cross-entropy loss {ref['bce']:.3f}, gradient {ref['bce_grad']:.3f}" in summary


# ---------- names for screen readers ----------


@browser_test
@pytest.mark.parametrize("kind", ["softmax", "binary"])
def test_every_control_and_output_is_named(kind, request):
    page, _, pfx = _page(request, kind)
    root = drive.explorer(page, kind)
    assert not root.evaluate(drive.UNNAMED_CONTROLS)
    assert root.get_attribute("aria-label")
    assert page.locator(f"#{pfx}-summary").get_attribute("aria-live") == "polite"
    # Something to name: every control and output exists. Softmax: per class (six at most) a
    # logit slider and box, a soft-target slider and box, p, t and p - t; then temperature
    # slider and box, target select, two buttons; loss, gradient sum and class count.
    n_controls = root.locator("input, select, button").count()
    n_outputs = root.locator("output").count()
    assert (n_controls, n_outputs) == ((6 * 4 + 5, 6 * 3 + 3) if kind == "softmax" else (4, 5))


@browser_test
def test_the_naming_check_can_fail(browser):
    page = browser.new_page()
    page.set_content(
        '<div role="group" aria-label="x"><label for="a">ok</label><input id="a">'
        '<input id="b" type="number"><button id="c"></button><output id="d"></output></div>'
    )
    problems = page.locator("div").evaluate(drive.UNNAMED_CONTROLS)
    page.close()
    assert problems == [
        "input#b has no accessible name",
        "button#c has no accessible name",
        "output#d has no aria-label",
        "no aria-live summary region",
    ]


# ---------- both colour schemes, desktop and phone width ----------

MIN_TEXT_CONTRAST = 4.5  # WCAG AA for normal text
MIN_BAR_CONTRAST = 1.5  # the bars stand out from their track at all (WCAG asks 3, see below)
LOOKS = [("softmax", "light"), ("binary", "light"), ("softmax", "dark-390"), ("binary", "dark-390")]


def _report(request, kind: str, mode: str) -> dict:
    if mode == "light":
        return request.getfixturevalue(f"{kind}_page")[3]
    visit, report = request.getfixturevalue("phone_dark")[kind]
    assert not visit.console_errors and not visit.page_errors, visit
    return report


@browser_test
@pytest.mark.parametrize(("kind", "mode"), LOOKS)
def test_explorer_fits_and_reads(kind, mode, request):
    report = _report(request, kind, mode)
    assert not report["overflow"], "\n".join(report["overflow"])
    assert len(report["contrast"]) >= 10 and report["graphics"]
    low = [c for c in report["contrast"] if c["ratio"] < MIN_TEXT_CONTRAST]
    assert not low, low
    faint = [c for c in report["graphics"] if c["ratio"] < MIN_BAR_CONTRAST]
    assert not faint, faint


@browser_test
def test_bars_meet_wcag_non_text_contrast(request):
    faint = [
        (kind, mode, c)
        for kind, mode in LOOKS
        for c in _report(request, kind, mode)["graphics"]
        if c["ratio"] < 3
    ]
    assert not faint, faint


def _wcag_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two opaque colours given as hex, computed here by hand."""

    def luminance(hex_colour: str) -> float:
        c = np.array([int(hex_colour[i : i + 2], 16) for i in (0, 2, 4)]) / 255
        lin = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return float(lin @ [0.2126, 0.7152, 0.0722])

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@browser_test
def test_the_layout_and_contrast_checks_can_fail(browser):
    page = browser.new_page(viewport={"width": 390, "height": 600})
    page.set_content(
        '<div class="ce-explorer" style="background: #777">'
        '<p style="color: #888">grey on grey</p><p style="width: 900px">wide</p>'
        '<span class="ce-x-bar" style="display: block; width: 50px; background: #787878">'
        "</span></div>"
    )
    report = page.locator(".ce-explorer").evaluate(drive.LAYOUT_AND_CONTRAST)
    page.close()
    assert any("page scrolls sideways" in o for o in report["overflow"])
    assert any('<p id="" class=""> spans' in o for o in report["overflow"])
    grey = [c["ratio"] for c in report["contrast"] if "grey on grey" in c["what"]]
    assert grey == [pytest.approx(_wcag_ratio("888888", "777777"), rel=1e-6)]
    assert grey[0] < MIN_TEXT_CONTRAST
    bars = [c["ratio"] for c in report["graphics"]]
    assert bars == [pytest.approx(_wcag_ratio("787878", "777777"), rel=1e-6)]
    assert bars[0] < MIN_BAR_CONTRAST


# ---------- instant navigation ----------


def _sitemap(base_url: str, site_dir) -> str:
    urls = "".join(f"<url><loc>{base_url}{rel}</loc></url>" for rel in site_pages(site_dir))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )


@browser_test
@pytest.mark.parametrize("instant", [False, True], ids=["as-built", "with-sitemap"])
def test_navigation_starts_the_explorer(instant, browser, base_url, site_dir):
    """Clicking the nav link from the home page gives a started explorer.

    mkdocs-material only navigates instantly to pages listed in sitemap.xml, which stays empty
    while mkdocs.yml has no site_url; the second case serves a full sitemap, as a site built
    with site_url has, so the theme swaps the page in without reloading (document$ path).
    """
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    visit = checks.visit(page, base_url)
    if instant:
        xml = _sitemap(base_url, site_dir)
        page.route("**/sitemap.xml", lambda r: r.fulfill(body=xml, content_type="text/xml"))
        page.reload(wait_until="networkidle")
    page.evaluate("window.__sameDocument = true")
    page.locator('nav.md-nav--primary a.md-nav__link[href$="gradients/"]').first.click()
    page.wait_for_url("**/gradients/")
    pfx = drive.prefix(page, "softmax")
    same_document = page.evaluate("window.__sameDocument === true")
    assert same_document is instant
    assert page.locator(f"#{pfx}-z-0").count() == 1
    if instant:  # back home and forward again: the explorer is rebuilt once, not twice
        page.go_back()
        page.wait_for_url(base_url)
        page.go_forward()
        page.wait_for_url("**/gradients/")
        drive.explorer(page, "softmax")
        assert page.evaluate("window.__sameDocument === true")
        assert page.locator(".ce-explorer .ce-x-class").count() == 6
    values, _ = drive.read_outputs(page, pfx)
    assert math.fsum(drive.softmax_shown(values, pfx)["probs"]) == pytest.approx(1.0)
    page.close()
    assert not visit.console_errors and not visit.page_errors, visit


# ---------- the comparison itself can fail (no browser) ----------


def _as_shown(vector: dict, fields) -> dict:
    return {f: copy.deepcopy(vector[f]) for f in fields}


def test_comparison_reports_a_tampered_value():
    vector = DATA["softmax"][0]
    shown = _as_shown(vector, drive.SOFTMAX_FIELDS)
    assert drive.compare(shown, vector, TOL, drive.SOFTMAX_FIELDS) == []
    tampered = copy.deepcopy(vector)
    tampered["probs"][1] *= 1 + 1e-9  # far inside the rounding a reader sees, outside 1e-12
    problems = drive.compare(shown, tampered, TOL, drive.SOFTMAX_FIELDS)
    assert len(problems) == 1 and "probs[1]" in problems[0]

    binary = DATA["binary"][5]  # a loss of about 4e-18: only a relative tolerance catches it
    shown = _as_shown(binary, drive.BINARY_FIELDS)
    shown["bce"] = 0.0
    problems = drive.compare(shown, binary, TOL, drive.BINARY_FIELDS)
    assert len(problems) == 1 and "bce" in problems[0]


def test_comparison_reports_missing_nan_and_wrong_length():
    vector = DATA["softmax"][2]
    shown = _as_shown(vector, drive.SOFTMAX_FIELDS)
    shown["loss"] = float("nan")
    shown["grad"] = shown["grad"][:-1]
    del shown["grad_sum"]
    problems = drive.compare(shown, vector, TOL, drive.SOFTMAX_FIELDS)
    assert len(problems) == 3
    assert drive.within(float("inf"), float("inf"), TOL["loss"])
    assert not drive.within(float("inf"), 1e308, TOL["loss"])


def test_rounded_text_must_match_its_value():
    values = {"a": 0.31453609296517854, "b": 4.248354255291589e-18, "c": 1e-13, "d": 2e-12}
    good = {"a": "0.3145", "b": "4.25e-18", "c": "0 (up to rounding)"}
    assert drive.text_problems(good, values) == []
    bad = {"a": "0.3146", "b": "4.24e-18", "d": "0 (up to rounding)"}
    assert len(drive.text_problems(bad, values)) == 3
