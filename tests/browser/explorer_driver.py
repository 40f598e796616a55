"""Driving the interactive explorers in a browser, and comparing what they show with vectors.

The explorers (docs/assets/explorers/explorers.js) build their controls inside
``.ce-explorer[data-explorer=...]`` with ids that start with the container's ``data-prefix``;
every output keeps its full-precision value in ``data-value`` and shows a rounded text. Each
explorer draws two plots (``svg.ce-x-plot``, the loss and its gradient against the moved
logit): every curve keeps its samples in ``data-x`` / ``data-y`` beside the drawn path, every
dot its point in ``data-x`` / ``data-y`` beside ``cx`` / ``cy``.
The comparison functions here are pure (numbers in, problems out), so a test can prove they
report a tampered value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from playwright.sync_api import Locator, Page

#: Output fields of each explorer, named as in vectors.json (lists hold one value per class).
SOFTMAX_FIELDS = ("probs", "target", "grad", "grad_z", "loss", "grad_sum")
BINARY_FIELDS = ("sigma", "bce", "bce_grad", "mse", "mse_grad")

# The shown target is the normalised soft-target weight: a probability like ``probs``.
_TOLERANCE_OF = {"target": "probs"}

Shown = Mapping[str, float | Sequence[float]]


def within(js: float, ref: float, tol: Mapping[str, float]) -> bool:
    """``|js - ref| <= max(abs, rel * |ref|)``; infinities must match exactly, NaN never passes."""
    if math.isnan(js) or math.isnan(ref):
        return False
    if math.isinf(ref) or math.isinf(js):
        return js == ref
    return abs(js - ref) <= max(tol["abs"], tol["rel"] * abs(ref))


def compare(
    shown: Shown, vector: Mapping, tolerances: Mapping[str, Mapping[str, float]], fields
) -> list[str]:
    """Every field of ``vector`` against what the explorer showed; one line per disagreement."""
    problems = []
    name = vector.get("id", "?")
    for field in fields:
        tol = tolerances[_TOLERANCE_OF.get(field, field)]
        ref, js = vector[field], shown.get(field)
        if js is None:
            problems.append(f"{name}: {field} not shown")
            continue
        if isinstance(ref, list):
            if len(js) != len(ref):
                problems.append(f"{name}: {field} shows {len(js)} values, expected {len(ref)}")
                continue
            pairs = [(f"{field}[{i}]", a, b) for i, (a, b) in enumerate(zip(js, ref, strict=True))]
        else:
            pairs = [(field, js, ref)]
        for label, a, b in pairs:
            if not within(a, b, tol):
                problems.append(f"{name}: {label} = {a!r}, expected {b!r} (tolerance {tol})")
    return problems


_EXP = re.compile(r"^(-?\d+(?:\.(\d+))?)e([+-]?\d+)$")
_FIXED = re.compile(r"^-?\d+(?:\.(\d+))?$")


_SUPERSCRIPT = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
_POWER = re.compile(r"^(\S+) × 10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)$")


def plain(text: str) -> str:
    """The explorer's typeset number as Python reads it: ``−4.25 × 10⁻¹⁸`` is ``-4.25e-18``."""
    text = text.replace("\u2212", "-")
    if m := _POWER.match(text):
        text = f"{m.group(1)}e{m.group(2).translate(_SUPERSCRIPT)}"
    return text


def fixed(x: float, digits: int = 3) -> str:
    """``x`` with ``digits`` decimals as the explorer shows it (a real minus sign)."""
    return f"{x:.{digits}f}".replace("-", "\u2212")


def text_problems(texts: Mapping[str, str], values: Mapping[str, float]) -> list[str]:
    """The rounded text of each output agrees with its ``data-value`` to the digits shown.

    ``1.2346`` must be within half a unit of the 4th decimal; ``4.25 × 10⁻¹⁸`` within half a
    unit of its last mantissa digit; the gradient sum may read ``0 (up to rounding)`` when it
    is. Outputs are typeset as the book prints numbers (real minus sign, powers of ten), and
    an ASCII ``-`` or ``e`` in a shown number is itself a problem.
    """
    problems = []
    for key, shown in texts.items():
        value = values[key]
        text = plain(shown)
        if re.search(r"\d-|^-|\de", shown):
            problems.append(f"{key}: {shown!r} is not typeset (ASCII minus or e notation)")
            continue
        if text.startswith("0 (up to rounding)"):
            if abs(value) >= 1e-12:
                problems.append(f"{key}: reads {text!r} but is {value!r}")
            continue
        if text in ("Infinity", "-Infinity", "NaN"):
            if text != str(value).replace("inf", "Infinity").replace("nan", "NaN"):
                problems.append(f"{key}: reads {text!r} but is {value!r}")
            continue
        if m := _EXP.match(text):
            step = 10.0 ** (int(m.group(3)) - len(m.group(2) or ""))
        elif m := _FIXED.match(text):
            step = 10.0 ** -len(m.group(1) or "")
        else:
            problems.append(f"{key}: unreadable text {text!r}")
            continue
        if not abs(float(text) - value) <= 0.5 * step * (1 + 1e-9):
            problems.append(f"{key}: reads {text!r} but is {value!r}")
    return problems


def explorer(page: Page, kind: str) -> Locator:
    """The started explorer of ``kind`` on the page (waits for ``data-ready``).

    Generous: after an instant navigation the page is fetched and swapped in first, which on a
    loaded two-core machine has taken more than 5 s; a broken explorer still fails here."""
    root = page.locator(f'.ce-explorer[data-explorer="{kind}"][data-ready="true"]').first
    root.wait_for(state="attached", timeout=20_000)
    return root


def prefix(page: Page, kind: str) -> str:
    return explorer(page, kind).get_attribute("data-prefix")


def number_boxes(page: Page, pfx: str) -> dict[str, float | None]:
    """The value in every number box of the explorer, by id (None when empty or invalid)."""
    raw = page.evaluate(
        """(pfx) => Object.fromEntries([...document.querySelectorAll(
               `.ce-explorer[data-prefix="${pfx}"] input.ce-x-number`)]
               .map(el => [el.id, el.value]))""",
        pfx,
    )
    return {k: float(v) if v not in ("", None) else None for k, v in raw.items()}


def fill_numbers(page: Page, pfx: str, wanted: Mapping[str, float]) -> None:
    """Type each value into its number box (Playwright fires the input event), skipping the
    boxes that already hold exactly that value."""
    now = number_boxes(page, pfx)
    for element_id, value in wanted.items():
        if now[element_id] != float(value):
            page.fill(f"#{element_id}", repr(float(value)))


def move_logit(page: Page, pfx: str, index: int, value: float) -> None:
    """Type ``value`` into logit ``index``'s box, always: that logit becomes the moved one."""
    page.fill(f"#{pfx}-z-{index}-number", repr(float(value)))


def set_class_count(page: Page, pfx: str, k: int) -> None:
    """Press the add / remove buttons until the explorer has ``k`` classes."""
    count = page.locator(f"#{pfx}-count")
    for _ in range(10):
        now = int(count.get_attribute("data-value"))
        if now == k:
            return
        page.click(f"#{pfx}-add" if now < k else f"#{pfx}-remove")
    raise AssertionError(f"{pfx}: could not reach {k} classes (at {now})")


def softmax_inputs(pfx: str, vector: Mapping) -> dict[str, float]:
    """Number-box values that put the softmax explorer at ``vector`` (ids to values)."""
    wanted = {f"{pfx}-temperature-number": vector["temperature"]}
    if vector["target_class"] is None:
        wanted |= {f"{pfx}-t-{i}-number": w for i, w in enumerate(vector["target"])}
    return wanted | {f"{pfx}-z-{i}-number": z for i, z in enumerate(vector["logits"])}


def drive_softmax(page: Page, pfx: str, vector: Mapping) -> None:
    """Classes, target (class or soft weights), temperature, then every logit."""
    set_class_count(page, pfx, len(vector["logits"]))
    cls = vector["target_class"]
    page.select_option(f"#{pfx}-target", "soft" if cls is None else str(cls))
    fill_numbers(page, pfx, softmax_inputs(pfx, vector))


def binary_inputs(pfx: str, vector: Mapping) -> dict[str, float]:
    return {f"{pfx}-z-number": vector["logit"]}


def drive_binary(page: Page, pfx: str, vector: Mapping) -> None:
    page.check(f"#{pfx}-label-{int(vector['label'])}")
    fill_numbers(page, pfx, binary_inputs(pfx, vector))


_READ = """(pfx) => {
    const root = document.querySelector(`.ce-explorer[data-prefix="${pfx}"]`);
    const out = {};
    for (const o of root.querySelectorAll('output[id]')) {
        if (o.closest('[hidden]')) continue;
        out[o.id] = [o.getAttribute('data-value'), o.textContent];
    }
    return out;
}"""


def read_outputs(page: Page, pfx: str) -> tuple[dict[str, float], dict[str, str]]:
    """Every visible output of the explorer: ``({id: data-value}, {id: shown text})``.

    An output without ``data-value`` reads as NaN, which no comparison accepts."""
    raw = page.evaluate(_READ, pfx)
    values = {k: math.nan if v is None else float(v) for k, (v, _) in raw.items()}
    return values, {k: t for k, (_, t) in raw.items()}


def softmax_shown(values: Mapping[str, float], pfx: str) -> dict:
    """Outputs of the softmax explorer named like the vector fields (``probs`` for ``p``)."""
    k = int(values[f"{pfx}-count"])
    return {
        "probs": [values[f"{pfx}-p-{i}"] for i in range(k)],
        "target": [values[f"{pfx}-target-{i}"] for i in range(k)],
        "grad": [values[f"{pfx}-g-{i}"] for i in range(k)],
        "grad_z": [values[f"{pfx}-gz-{i}"] for i in range(k)],
        "loss": values[f"{pfx}-loss"],
        "grad_sum": values[f"{pfx}-grad-sum"],
    }


def binary_shown(values: Mapping[str, float], pfx: str) -> dict:
    return {f: values[f"{pfx}-{f.replace('_', '-')}"] for f in BINARY_FIELDS}


# Problems with names for assistive technology inside one explorer: every control named by
# aria-label, aria-labelledby, a <label> or (buttons) its text; every output by aria-label;
# a polite or assertive live region; the container a labelled group.
UNNAMED_CONTROLS = """(root) => {
    const out = [];
    const named = el => (el.getAttribute('aria-label') || '').trim()
        || (el.getAttribute('aria-labelledby') || '').trim()
        || [...(el.labels || [])].some(l => l.textContent.trim())
        || (el.tagName === 'BUTTON' && el.textContent.trim());
    for (const el of root.querySelectorAll('input, select, button, textarea')) {
        if (!named(el)) out.push(`${el.tagName.toLowerCase()}#${el.id} has no accessible name`);
    }
    for (const el of root.querySelectorAll('output')) {
        if (!(el.getAttribute('aria-label') || '').trim())
            out.push(`output#${el.id} has no aria-label`);
    }
    const live = root.querySelectorAll('[aria-live]');
    if (!live.length) out.push('no aria-live summary region');
    for (const el of live) {
        if (!['polite', 'assertive'].includes(el.getAttribute('aria-live')))
            out.push(`#${el.id} aria-live is ${el.getAttribute('aria-live')}`);
    }
    if (root.getAttribute('role') !== 'group' || !root.getAttribute('aria-label'))
        out.push('container is not a labelled group');
    return out;
}"""


# Sticks-out and contrast checks of one explorer, in the page's own rendering. Colours are
# normalised by painting them on a 1x1 canvas (works for any CSS colour syntax); a background
# is the ancestors' backgrounds composited over white; ratios follow WCAG 2.
LAYOUT_AND_CONTRAST = """(root) => {
    const out = {overflow: [], contrast: [], graphics: []};
    const doc = document.documentElement;
    const width = doc.clientWidth;
    if (doc.scrollWidth > width + 1)
        out.overflow.push(`page scrolls sideways: ${doc.scrollWidth} > ${width}`);
    if (root.scrollWidth > root.clientWidth + 1)
        out.overflow.push(`explorer wider than its box: ${root.scrollWidth} > ${root.clientWidth}`);
    const tag = el => `<${el.tagName.toLowerCase()} id="${el.id}" class="${el.className}">`;
    for (const el of [root, ...root.querySelectorAll('*')]) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || el.closest('[hidden]')) continue;
        if (r.right > width + 1 || r.left < -1)
            out.overflow.push(`${tag(el)} spans ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    const ctx = Object.assign(document.createElement('canvas'), {width: 1, height: 1})
        .getContext('2d', {willReadFrequently: true});
    const rgba = c => {
        ctx.clearRect(0, 0, 1, 1);
        ctx.fillStyle = '#000';
        ctx.fillStyle = c;
        ctx.fillRect(0, 0, 1, 1);
        return [...ctx.getImageData(0, 0, 1, 1).data];
    };
    const over = (fg, bg) => [0, 1, 2].map(i => fg[i] * fg[3] / 255 + bg[i] * (1 - fg[3] / 255));
    const background = el => {
        const layers = [];
        for (let a = el; a; a = a.parentElement)
            layers.push(rgba(getComputedStyle(a).backgroundColor));
        return layers.reverse().reduce((bg, layer) => over(layer, bg), [255, 255, 255]);
    };
    const lum = c => {
        const lin = v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        const [r, g, b] = c.map(v => lin(v / 255));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => {
        const [hi, lo] = [lum(a), lum(b)].sort((p, q) => q - p);
        return (hi + 0.05) / (lo + 0.05);
    };
    const texts = 'output, label, legend, span, p, button, select, input.ce-x-number';
    for (const el of root.querySelectorAll(texts)) {
        if (el.closest('[hidden]') || !el.getClientRects().length) continue;
        const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        if (!own && !el.matches('input, select')) continue;
        const bg = background(el);
        const text = (el.value || el.textContent).trim().slice(0, 30);
        out.contrast.push({what: `${tag(el)} "${text}"`,
                           ratio: ratio(over(rgba(getComputedStyle(el).color), bg), bg)});
    }
    // Plot text is painted with fill, not color; the plot's background is its box's.
    for (const el of root.querySelectorAll('svg text')) {
        if (el.closest('[hidden]') || !el.getClientRects().length) continue;
        const bg = background(el.closest('svg').parentElement);
        out.contrast.push({what: `plot text "${el.textContent.slice(0, 30)}"`,
                           ratio: ratio(over(rgba(getComputedStyle(el).fill), bg), bg)});
    }
    // Curves and dots are graphics too: their stroke or fill against the plot's background.
    for (const el of root.querySelectorAll('svg .ce-x-curve, svg .ce-x-dot')) {
        if (el.closest('[hidden]') || el.getAttribute('visibility') === 'hidden') continue;
        const bg = background(el.closest('svg').parentElement);
        const style = getComputedStyle(el);
        const paint = el.matches('.ce-x-dot') && el.dataset.offscale !== 'true'
            ? style.fill : style.stroke;
        out.graphics.push({what: `${el.getAttribute('class')} ${el.dataset.curve}`,
                           ratio: ratio(over(rgba(paint), bg), bg)});
    }
    // Bars are graphics a reader must see: their colour against the track behind them.
    for (const el of root.querySelectorAll('.ce-x-bar')) {
        if (el.closest('[hidden]') || el.getBoundingClientRect().width < 1) continue;
        const bg = background(el.parentElement);
        const row = el.closest('[data-index]');
        out.graphics.push({what: `${tag(el)} of ${row ? 'class ' + row.dataset.index : 'z'}`,
                           ratio: ratio(over(rgba(getComputedStyle(el).backgroundColor), bg), bg)});
    }
    return out;
}"""


# ---------- plots ----------

# Every plot of one explorer as drawn: its frame and axis ranges, and per curve the drawn path
# with the samples it claims to draw; per dot its position and the point it claims to mark.
READ_PLOTS = """(root) => {
    const nums = s => s.trim().split(/\\s+/).map(Number);
    const out = {};
    for (const svg of root.querySelectorAll('svg.ce-x-plot')) {
        const id = (svg.getAttribute('aria-labelledby') || '').split(' ');
        const text = i => (document.getElementById(i) || {}).textContent || '';
        const curves = {}, dots = {};
        for (const c of svg.querySelectorAll('.ce-x-curve')) curves[c.dataset.curve] = {
            d: c.getAttribute('d'), x: JSON.parse(c.dataset.x), y: JSON.parse(c.dataset.y)};
        for (const d of svg.querySelectorAll('.ce-x-dot')) dots[d.dataset.curve] = {
            cx: +d.getAttribute('cx'), cy: +d.getAttribute('cy'),
            x: +d.dataset.x, y: +d.dataset.y, offscale: d.dataset.offscale === 'true',
            shown: d.getAttribute('visibility') !== 'hidden'
                && getComputedStyle(d).visibility !== 'hidden'};
        out[svg.dataset.plot] = {
            frame: nums(svg.dataset.frame), x_domain: nums(svg.dataset.xDomain),
            y_domain: nums(svg.dataset.yDomain), stale: svg.dataset.stale === 'true',
            role: svg.getAttribute('role'), title: text(id[0]), desc: text(id[1]),
            opacity: +getComputedStyle(svg).opacity, curves, dots};
    }
    return out;
}"""


def read_plots(page: Page, kind: str) -> dict:
    """The explorer's plots by ``data-plot`` (``loss``, ``grad``), read by :data:`READ_PLOTS`."""
    return explorer(page, kind).evaluate(READ_PLOTS)


_POINT = re.compile(r"([ML])(-?[\d.]+) (-?[\d.]+)")

#: Drawn coordinates are rounded to 0.01 of an SVG unit.
PIXEL_SLACK = 0.0051


def _mapper(plot: Mapping):
    left, top, right, bottom = plot["frame"]
    (x0, x1), (y0, y1) = plot["x_domain"], plot["y_domain"]

    def to_px(x: float, y: float) -> tuple[float, float]:
        return (
            left + (x - x0) / (x1 - x0) * (right - left),
            bottom - (y - y0) / (y1 - y0) * (bottom - top),
        )

    return to_px


def curve_problems(
    plot: Mapping, key: str, xs: Sequence[float], ys: Sequence[float], tol: Mapping[str, float]
) -> list[str]:
    """Curve ``key`` of ``plot`` carries the samples ``(xs, ys)`` (within ``tol``), its path
    goes through exactly those points, and it stays inside the plot's frame."""
    curve = plot["curves"].get(key)
    if curve is None:
        return [f"{key}: no such curve"]
    problems = []
    if curve["x"] != list(xs):
        problems.append(f"{key}: sampled at other x than expected")
    if len(curve["y"]) != len(ys):
        return [*problems, f"{key}: {len(curve['y'])} samples, expected {len(ys)}"]
    problems += [
        f"{key}: y at x = {x} is {a!r}, expected {b!r}"
        for x, a, b in zip(xs, curve["y"], ys, strict=True)
        if not within(a, b, tol)
    ]
    drawn = [(float(x), float(y)) for _, x, y in _POINT.findall(curve["d"] or "")]
    if len(drawn) != len(xs):
        return [*problems, f"{key}: path has {len(drawn)} points, expected {len(xs)}"]
    to_px = _mapper(plot)
    left, top, right, bottom = plot["frame"]
    for (px, py), x, y in zip(drawn, curve["x"], curve["y"], strict=True):
        ex, ey = to_px(x, y)
        if abs(px - ex) > PIXEL_SLACK or abs(py - ey) > PIXEL_SLACK:
            problems.append(f"{key}: point for x = {x} drawn at ({px}, {py}), not ({ex}, {ey})")
        if not (left - 0.01 <= px <= right + 0.01 and top - 2 <= py <= bottom + 0.01):
            problems.append(f"{key}: point ({px}, {py}) outside the frame")
    return problems


def dot_problems(plot: Mapping, key: str, x: float, y: float) -> list[str]:
    """Dot ``key`` marks exactly ``(x, y)`` and is drawn there (at the frame's edge, hollow,
    when ``x`` is beyond the plotted range)."""
    dot = plot["dots"].get(key)
    if dot is None:
        return [f"dot {key}: missing"]
    problems = []
    if not dot["shown"]:
        problems.append(f"dot {key}: hidden")
    if dot["x"] != x or dot["y"] != y:
        problems.append(f"dot {key}: marks ({dot['x']!r}, {dot['y']!r}), not ({x!r}, {y!r})")
    (x0, x1), left, right = plot["x_domain"], plot["frame"][0], plot["frame"][2]
    inside = x0 <= x <= x1
    if dot["offscale"] == inside:
        problems.append(f"dot {key}: offscale is {dot['offscale']} for x = {x}")
    if inside:
        ex, ey = _mapper(plot)(x, y)
        if abs(dot["cx"] - ex) > PIXEL_SLACK or abs(dot["cy"] - ey) > PIXEL_SLACK:
            problems.append(f"dot {key}: at ({dot['cx']}, {dot['cy']}), not ({ex}, {ey})")
    elif dot["cx"] != (left if x < x0 else right):
        problems.append(f"dot {key}: off the range but at cx = {dot['cx']}, not at the edge")
    return problems
