"""The two interactive explorers, driven in headless Chromium and compared with ce_book.

Each explorer page is loaded once; the tests drive it to the inputs of every test vector in
docs/assets/explorers/vectors.json (written from ce_book) and compare each output's
full-precision ``data-value`` with the vector, within the file's tolerances, and its rounded
text with that value. The plots (loss and gradient against the moved logit) are compared with
the file's curve samples, point by drawn point, and their dots with the values shown. Invalid
input must show a message beside its field and blank the outputs until it is fixed. Keyboard
use, accessible names, the dark scheme at phone width and mkdocs-material's instant navigation
are checked on the same pages; a screenshot of each explorer is saved under
test-artifacts/screenshots/.
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
from ce_book import explorer_vectors
from ce_book.activations import log_sigmoid, log_softmax, sigmoid, softmax

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "docs" / "assets" / "explorers" / "vectors.json"
DATA = json.loads(VECTORS.read_text(encoding="utf-8"))
TOL = DATA["tolerances"]
#: Where each explorer is driven. Chapters 3 and 5 embed the same softmax explorer (one
#: element, built by the same script); it is driven in chapter 3, the page with a third of
#: chapter 5's elements, on which every interaction is that much quicker. Chapter 5's copy
#: is checked to start, and instant navigation lands there.
PAGES = {"softmax": "categorical/", "binary": "binary/"}

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


@browser_test
def test_the_softmax_explorer_also_starts_in_chapter_5(desktop, base_url):
    """Chapter 5 embeds the same softmax explorer; it starts there too and shows its loss."""
    page = desktop.new_page()
    try:
        visit = checks.visit(page, base_url + "gradients/")
        assert not visit.console_errors and not visit.page_errors, visit
        assert not visit.outside_requests and not visit.failed_requests, visit
        root = drive.explorer(page, "softmax")
        assert root.get_attribute("data-prefix") == "ce-softmax"
        assert root.locator("svg").count() > 0
        values, _ = drive.read_outputs(page, "ce-softmax")
        assert math.fsum(drive.softmax_shown(values, "ce-softmax")["probs"]) == pytest.approx(1.0)
    finally:
        page.close()


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
    problems += [f"{vector['id']}: {p}" for p in _softmax_dot_problems(page, pfx, values)]
    return problems + [f"{vector['id']}: {p}" for p in drive.text_problems(texts, values)]


def _softmax_dot_problems(page, pfx: str, values: dict) -> list[str]:
    """Both dots mark the moved logit and, exactly, the loss and dL/dz_j shown."""
    j = int(drive.explorer(page, "softmax").get_attribute("data-moved"))
    z = drive.number_boxes(page, pfx)[f"{pfx}-z-{j}-number"]
    plots = drive.read_plots(page, "softmax")
    return drive.dot_problems(plots["loss"], "loss", z, values[f"{pfx}-loss"]) + drive.dot_problems(
        plots["grad"], "grad", z, values[f"{pfx}-gz-{j}"]
    )


def _binary_dot_problems(page, pfx: str, values: dict) -> list[str]:
    z = drive.number_boxes(page, pfx)[f"{pfx}-z-number"]
    plots = drive.read_plots(page, "binary")
    problems = []
    for plot, keys in (("loss", ("bce", "mse")), ("grad", ("bce", "mse"))):
        for key in keys:
            field = key if plot == "loss" else f"{key}-grad"
            problems += drive.dot_problems(plots[plot], key, z, values[f"{pfx}-{field}"])
    return problems


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
        problems += [f"{vector['id']}: {p}" for p in _binary_dot_problems(page, pfx, values)]
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
        "grad_z": ((p - t) / temperature).tolist(),
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
    assert after != before and f"Loss {drive.fixed(ref['loss'])} nats" in after


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
    bce, grad = drive.fixed(ref["bce"]), drive.fixed(ref["bce_grad"])
    assert f"Cross-entropy loss {bce}, gradient {grad}" in summary


# ---------- plots: the curves are ce_book's, the dots mark the values shown ----------

CURVE_TOL = {"loss": TOL["loss"], "grad_z": TOL["grad_z"]}


def _drive_to_curve(page, pfx: str, case: dict) -> None:
    """The case's classes, target, temperature and logits; then its moved logit, typed last."""
    drive.drive_softmax(page, pfx, case)
    drive.move_logit(page, pfx, case["moved"], case["logits"][case["moved"]])


@browser_test
def test_softmax_plots_draw_the_curves_of_ce_book(request):
    page, _, pfx = _page(request, "softmax")
    root = drive.explorer(page, "softmax")
    problems = []
    for case in DATA["curves"]["softmax"]:
        _drive_to_curve(page, pfx, case)
        j, name = case["moved"], case["id"]
        assert root.get_attribute("data-moved") == str(j)
        plots = drive.read_plots(page, "softmax")
        problems += [
            f"{name}: loss {p}"
            for p in drive.curve_problems(
                plots["loss"], "loss", case["x"], case["loss"], TOL["loss"]
            )
        ]
        problems += [
            f"{name}: grad {p}"
            for p in drive.curve_problems(
                plots["grad"], "grad", case["x"], case["grad_z"], TOL["grad_z"]
            )
        ]
        values, _ = drive.read_outputs(page, pfx)
        problems += [f"{name}: {p}" for p in _softmax_dot_problems(page, pfx, values)]
        # The plots name the logit they move, in the title and the text alternative.
        for plot in plots.values():
            if f"z{j + 1}" not in plot["title"] or f"z{j + 1} = " not in plot["desc"]:
                problems.append(f"{name}: plot does not name z{j + 1}: {plot['title']!r}")
        if f"(p{j + 1} \u2212 t{j + 1}) / T" not in plots["grad"]["title"]:
            problems.append(f"{name}: gradient plot title {plots['grad']['title']!r}")
    assert not problems, "\n".join(problems)
    assert len(DATA["curves"]["softmax"]) >= 4


@browser_test
def test_binary_plots_draw_the_curves_of_ce_book(request):
    page, _, pfx = _page(request, "binary")
    problems = []
    for case in DATA["curves"]["binary"]:
        drive.drive_binary(page, pfx, {"logit": 1.5, "label": case["label"]})
        plots = drive.read_plots(page, "binary")
        for plot, key, field in (
            ("loss", "bce", "bce"),
            ("loss", "mse", "mse"),
            ("grad", "bce", "bce_grad"),
            ("grad", "mse", "mse_grad"),
        ):
            found = drive.curve_problems(plots[plot], key, case["x"], case[field], TOL[field])
            problems += [f"{case['id']}: {plot} {p}" for p in found]
        values, _ = drive.read_outputs(page, pfx)
        problems += [f"{case['id']}: {p}" for p in _binary_dot_problems(page, pfx, values)]
    assert not problems, "\n".join(problems)
    assert {c["label"] for c in DATA["curves"]["binary"]} == {0.0, 1.0}


@browser_test
def test_dots_follow_the_slider(request):
    """Arrow keys on a slider: the plots switch to that logit and both dots walk along."""
    page, _, pfx = _page(request, "softmax")
    drive.drive_softmax(page, pfx, DATA["softmax"][0])  # four classes, class 1 true, T = 1
    slider = page.locator(f"#{pfx}-z-2")
    slider.focus()
    page.keyboard.press("ArrowLeft")  # z3: 3.2 -> 3.1, now the moved logit
    assert drive.explorer(page, "softmax").get_attribute("data-moved") == "2"
    before = drive.read_plots(page, "softmax")
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    after = drive.read_plots(page, "softmax")
    z = float(page.input_value(f"#{pfx}-z-2-number"))
    assert z == pytest.approx(2.6, abs=1e-12)
    values, _ = drive.read_outputs(page, pfx)
    assert not _softmax_dot_problems(page, pfx, values)
    left, _, right, _ = after["loss"]["frame"]
    step = 0.5 * (right - left) / 20  # half a unit of z, in SVG units
    for key in ("loss", "grad"):
        moved = before[key]["dots"][key]["cx"] - after[key]["dots"][key]["cx"]
        assert moved == pytest.approx(step, abs=0.011)
    # Lowering a wrong class's logit lowers the loss: the dot went down the curve.
    assert after["loss"]["dots"]["loss"]["y"] < before["loss"]["dots"]["loss"]["y"]


@browser_test
def test_binary_dot_waits_at_the_edge_beyond_the_plot(request):
    page, _, pfx = _page(request, "binary")
    for z, edge in ((1e30, 2), (-40.0, 0)):
        drive.drive_binary(page, pfx, {"logit": z, "label": 1.0})
        values, _ = drive.read_outputs(page, pfx)
        assert not _binary_dot_problems(page, pfx, values)
        plot = drive.read_plots(page, "binary")["loss"]
        assert plot["dots"]["bce"]["offscale"] and plot["dots"]["bce"]["cx"] == plot["frame"][edge]
        assert "off the plotted range" in plot["desc"] and "The dot" not in plot["desc"]


def test_the_plot_checks_can_fail():
    """A curve sample off by 1e-9, a point drawn a pixel away, a dot in the wrong place."""
    xs = [-10.0, 0.0, 10.0]
    ys = [2.0, 1.0, 0.0]
    plot = {
        "frame": [50.0, 20.0, 250.0, 120.0],
        "x_domain": [-10.0, 10.0],
        "y_domain": [0.0, 2.0],
        "curves": {"c": {"x": xs, "y": ys, "d": "M50 20L150 70L250 120"}},
        "dots": {
            "c": {"cx": 150.0, "cy": 70.0, "x": 0.0, "y": 1.0, "offscale": False, "shown": True}
        },
    }
    tol = TOL["loss"]
    assert drive.curve_problems(plot, "c", xs, ys, tol) == []
    assert drive.dot_problems(plot, "c", 0.0, 1.0) == []
    assert len(drive.curve_problems(plot, "c", xs, [2.0, 1.0 + 1e-9, 0.0], tol)) == 1
    bent = copy.deepcopy(plot)
    bent["curves"]["c"]["d"] = "M50 20L150 71L250 120"
    assert len(drive.curve_problems(bent, "c", xs, ys, tol)) == 1
    assert len(drive.dot_problems(plot, "c", 0.0, 1.5)) == 2  # marks and sits elsewhere
    gone = copy.deepcopy(plot)
    gone["dots"]["c"]["shown"] = False
    assert drive.dot_problems(gone, "c", 0.0, 1.0) == ["dot c: hidden"]


# ---------- invalid input: a message by the field, no stale numbers ----------

# (field, text typed, words the message must contain); softmax fields by their box's suffix.
SOFTMAX_BAD = [
    ("temperature", "", "T is empty"),
    ("temperature", "0", "T must be greater than 0"),
    ("temperature", "-0.5", "T must be greater than 0"),
    ("temperature", "NaN", "T holds \u201cNaN\u201d, which is not a number"),
    ("z-1", "abc", "z2 holds \u201cabc\u201d, which is not a number"),
    ("z-3", "1e999", "z4 is too large"),
    ("t-2", "-0.2", "t3 is negative"),
    ("t-0", "0.5", "t sums to 0.8, not 1"),
]
BINARY_BAD = [("z", "", "z is empty"), ("z", "NaN", "z holds \u201cNaN\u201d")]


def _ids(cases) -> list[str]:
    return [f"{box}={text or 'empty'}" for box, text, _ in cases]


STALE_STATE = """(root) => {
    const outs = [...root.querySelectorAll('output')].filter(o => o.dataset.output !== 'class-count'
        && !o.closest('[hidden]'));
    const note = root.querySelector('.ce-x-stale-note');
    return {
        valid: root.dataset.valid,
        outputs: outs.map(o => ({id: o.id, text: o.textContent, value: o.getAttribute('data-value'),
                                 stale: o.dataset.stale, color: getComputedStyle(o).color})),
        note: note.hidden ? null : note.textContent,
        plots: [...root.querySelectorAll('svg.ce-x-plot')].map(s => ({
            stale: s.dataset.stale, opacity: +getComputedStyle(s).opacity,
            dots: [...s.querySelectorAll('.ce-x-dot')].filter(
                d => getComputedStyle(d).visibility !== 'hidden').length})),
        text: root.innerText,
    };
}"""


def _bad_input_problems(page, kind: str, pfx: str, box: str, text: str, words: str, old: dict):
    """After typing ``text`` into ``box``: the message, the marks, and no number left over."""
    problems = []
    root = drive.explorer(page, kind)
    field = page.locator(f"#{box}")
    messages = page.locator(".ce-explorer [data-error-for]").all()
    shown = [m.text_content() for m in messages if m.is_visible()]
    if not any(words in m for m in shown):
        problems.append(f"no visible message with {words!r}: {shown}")
    if field.get_attribute("aria-invalid") != "true":
        problems.append(f"{box} not marked aria-invalid")
    described = field.get_attribute("aria-describedby")
    if not described or words not in (page.locator(f"#{described}").text_content() or ""):
        problems.append(f"{box} is not described by its message (aria-describedby={described})")
    state = root.evaluate(STALE_STATE)
    if state["valid"] != "false":
        problems.append("container still data-valid=true")
    for o in state["outputs"]:
        if o["value"] is not None or o["stale"] != "true" or o["text"] != "\u2014":
            problems.append(f"{o['id']} still shows {o['text']!r} (data-value {o['value']})")
        if o["color"] == old["color"]:
            problems.append(f"{o['id']} is not greyed ({o['color']})")
    if not state["note"] or words not in state["note"]:
        problems.append(f"no visible note that the outputs wait for the input: {state['note']!r}")
    for plot in state["plots"]:
        if plot["stale"] != "true" or plot["opacity"] > 0.5 or plot["dots"]:
            problems.append(f"plot not greyed, or a dot still shown: {plot}")
    # The old loss is nowhere on screen (the numbers behind it are gone with it).
    if old["loss_text"] in state["text"]:
        problems.append(f"the old loss {old['loss_text']} is still on screen")
    return problems


def _fresh_state(page, kind: str, pfx: str) -> dict:
    loss_id = f"{pfx}-loss" if kind == "softmax" else f"{pfx}-bce"
    return {
        "loss_text": page.locator(f"#{loss_id}").text_content(),
        "color": page.locator(f"#{loss_id}").evaluate("o => getComputedStyle(o).color"),
    }


def _recovered_problems(page, kind: str, pfx: str) -> list[str]:
    root = drive.explorer(page, kind)
    problems = []
    if root.get_attribute("data-valid") != "true":
        problems.append("not valid again")
    invalid = root.locator('[aria-invalid="true"]').count()
    shown = [m for m in root.locator("[data-error-for]:not([hidden])").all_text_contents()]
    if invalid or shown:
        problems.append(f"still marked: {invalid} aria-invalid, messages {shown}")
    if root.locator(".ce-x-stale-note").is_visible():
        problems.append("the out-of-date note is still shown")
    state = root.evaluate(STALE_STATE)
    if any(p["stale"] or p["opacity"] < 1 or not p["dots"] for p in state["plots"]):
        problems.append(f"plots not restored: {state['plots']}")
    return problems


@browser_test
@pytest.mark.parametrize(("box", "text", "words"), SOFTMAX_BAD, ids=_ids(SOFTMAX_BAD))
def test_softmax_invalid_input_is_named_and_blanks_the_outputs(box, text, words, request):
    page, _, pfx = _page(request, "softmax")
    vector = (
        next(v for v in DATA["softmax"] if v["id"] == "soft-three")
        if box.startswith("t-")
        else DATA["softmax"][0]
    )
    drive.drive_softmax(page, pfx, vector)
    assert drive.explorer(page, "softmax").get_attribute("data-valid") == "true"
    old = _fresh_state(page, "softmax", pfx)
    element = f"{pfx}-{box}-number"
    good = drive.number_boxes(page, pfx)[element]
    page.fill(f"#{element}", text)
    page.locator(f"#{element}").dispatch_event("change")  # as when the reader leaves the box
    problems = _bad_input_problems(page, "softmax", pfx, element, text, words, old)
    summary = page.locator(f"#{pfx}-summary").text_content()
    if words not in summary or "out of date" not in summary:
        problems.append(f"the live summary says {summary!r}")
    assert not problems, "\n".join(problems)
    # Valid again: every number is back, and right.
    page.fill(f"#{element}", repr(good))
    problems = _recovered_problems(page, "softmax", pfx)
    problems += _softmax_problems(page, pfx, vector)
    assert not problems, "\n".join(problems)


@browser_test
def test_soft_targets_that_do_not_sum_to_one_can_be_divided_by_their_sum(request):
    page, _, pfx = _page(request, "softmax")
    vector = next(v for v in DATA["softmax"] if v["id"] == "soft-three")
    drive.drive_softmax(page, pfx, vector)
    old = _fresh_state(page, "softmax", pfx)
    page.fill(f"#{pfx}-t-0-number", "1.4")  # t = (1.4, 0.1, 0.2), sum 1.7
    problems = _bad_input_problems(
        page, "softmax", pfx, f"{pfx}-t-0-number", "1.4", "t sums to 1.7, not 1", old
    )
    # Every soft-target box is marked while the sum is wrong.
    for i in range(3):
        if page.get_attribute(f"#{pfx}-t-{i}-number", "aria-invalid") != "true":
            problems.append(f"t{i + 1} not marked")
    assert not problems, "\n".join(problems)
    page.click(f"#{pfx}-normalise")
    problems = _recovered_problems(page, "softmax", pfx)
    values, _ = drive.read_outputs(page, pfx)
    t = np.array([1.4, 0.1, 0.2]) / 1.7
    ref = explorer_vectors.softmax_vector(vector["logits"], vector["temperature"], t.tolist())
    problems += drive.compare(drive.softmax_shown(values, pfx), ref, TOL, drive.SOFTMAX_FIELDS)
    assert not problems, "\n".join(problems)
    assert not page.locator(f"#{pfx}-normalise").is_visible()


@browser_test
def test_a_target_slider_keeps_the_targets_a_distribution(request):
    page, _, pfx = _page(request, "softmax")
    vector = next(v for v in DATA["softmax"] if v["id"] == "soft-three")  # t = (0.7, 0.1, 0.2)
    drive.drive_softmax(page, pfx, vector)
    page.locator(f"#{pfx}-t-0").focus()
    for _ in range(10):
        page.keyboard.press("ArrowLeft")  # t1: 0.7 -> 0.6; t2, t3 share 0.4 as 1 : 2
    values, _ = drive.read_outputs(page, pfx)
    t = drive.softmax_shown(values, pfx)["target"]
    assert t == pytest.approx([0.6, 0.4 / 3, 0.8 / 3], abs=1e-12)
    assert drive.explorer(page, "softmax").get_attribute("data-valid") == "true"


@browser_test
def test_adding_or_removing_a_class_keeps_soft_targets_a_distribution(request):
    page, _, pfx = _page(request, "softmax")
    z = [2.5, -1.0, 3.2, 0.5]
    start = {"logits": z, "temperature": 1.0, "target_class": None, "target": [0.5, 0.1, 0.2, 0.2]}
    drive.drive_softmax(page, pfx, start)
    page.click(f"#{pfx}-remove")  # (0.5, 0.1, 0.2) / 0.8
    page.click(f"#{pfx}-add")  # the fourth target, 0.2, is back: (0.625, 0.125, 0.25, 0.2) / 1.2
    expected = {3: np.array([0.5, 0.1, 0.2]) / 0.8}
    expected[4] = np.append(expected[3], 0.2) / 1.2
    values, _ = drive.read_outputs(page, pfx)
    ref = explorer_vectors.softmax_vector(z, 1.0, expected[4].tolist()) | {"id": "re-added"}
    problems = drive.compare(drive.softmax_shown(values, pfx), ref, TOL, drive.SOFTMAX_FIELDS)
    assert not problems, "\n".join(problems)
    assert drive.explorer(page, "softmax").get_attribute("data-valid") == "true"


@browser_test
@pytest.mark.parametrize(("box", "text", "words"), BINARY_BAD, ids=_ids(BINARY_BAD))
def test_binary_invalid_input_is_named_and_blanks_the_outputs(box, text, words, request):
    page, _, pfx = _page(request, "binary")
    vector = DATA["binary"][1]
    drive.drive_binary(page, pfx, vector)
    old = _fresh_state(page, "binary", pfx)
    element = f"{pfx}-{box}-number"
    page.fill(f"#{element}", text)
    problems = _bad_input_problems(page, "binary", pfx, element, text, words, old)
    assert not problems, "\n".join(problems)
    # Moving the slider is a way back too: the box takes the slider's value.
    page.locator(f"#{pfx}-z").focus()
    page.keyboard.press("ArrowRight")
    problems = _recovered_problems(page, "binary", pfx)
    z = float(page.input_value(f"#{element}"))
    values, _ = drive.read_outputs(page, pfx)
    ref = explorer_vectors.binary_vector(z, vector["label"]) | {"id": "recovered"}
    problems += drive.compare(drive.binary_shown(values, pfx), ref, TOL, drive.BINARY_FIELDS)
    problems += _binary_dot_problems(page, pfx, values)
    assert not problems, "\n".join(problems)


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
    # logit slider and box, a soft-target slider and box, p, t, p - t and dL/dz; then
    # temperature slider and box, target select, three buttons (classes, normalise t); loss,
    # gradient sum and class count.
    n_controls = root.locator("input, select, button").count()
    n_outputs = root.locator("output").count()
    assert (n_controls, n_outputs) == ((6 * 4 + 6, 6 * 4 + 3) if kind == "softmax" else (4, 5))
    # Each plot is an image named by its <title> and described by its <desc>.
    plots = drive.read_plots(page, kind)
    assert sorted(plots) == ["grad", "loss"]
    for plot in plots.values():
        assert plot["role"] == "img" and " against z" in plot["title"]
        assert " the current z" in plot["desc"] and " goes from " in plot["desc"]


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
    good = {"a": "0.3145", "b": "4.25 × 10⁻¹⁸", "c": "0 (up to rounding)"}
    assert drive.text_problems(good, values) == []
    bad = {"a": "0.3146", "b": "4.24 × 10⁻¹⁸", "d": "0 (up to rounding)"}
    assert len(drive.text_problems(bad, values)) == 3
    assert len(drive.text_problems({"b": "4.25e-18"}, values)) == 1  # not typeset
    assert drive.text_problems({"a": "−0.3145"}, {"a": -0.31453609296517854}) == []
    assert drive.text_problems({"e": "−1.00 × 10⁶"}, {"e": -1.0e6}) == []
    assert len(drive.text_problems({"a": "-0.3145"}, {"a": -0.31453609296517854})) == 1
