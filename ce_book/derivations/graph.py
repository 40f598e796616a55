"""The dependency graph of the derivations, drawn as an accessible SVG (blueprint style).

Each derivation is a node labelled with its ID and linked to its anchor; an edge runs from a
cited derivation to the one that cites it (a step ``cites`` it, using its result as a proved
rule). Nodes are laid out in layers, left to right: a derivation sits one layer to the right of
the deepest derivation it cites, and within a layer nodes are ordered by the mean position of
what they cite (ties in the book's order), so the drawing is deterministic and needs no
Graphviz. The status is shown by colour *and* by a mark (``✓`` proved, ``✗`` not proved) and
a dashed border, so it does not rely on colour alone.

>>> svg = dependency_svg(statuses={})
>>> svg.startswith("<svg") and "<title" in svg and 'href="#softmax-partials"' in svg
True
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from ce_book.derivations.model import Derivation

_FONT = 12
_CHAR = 7.5  # width of a character of the 12 px monospace label, in px
_ROW = 30
_GAP_X = 70
_PAD = 16
_LEGEND = 64
_OK = ("#e3f1e9", "#1b7340", "✓")  # fill, stroke, mark (Okabe-Ito bluish green family)
_FAILED = ("#fbe3d6", "#b34700", "✗")  # vermillion family
_UNKNOWN = ("#eeeeee", "#555555", "?")


def edges(derivations: Sequence[Derivation]) -> list[tuple[str, str]]:
    """``(cited, citing)`` pairs between the given derivations, in a stable order."""
    ids = {d.id for d in derivations}
    return [(c, d.id) for d in derivations for c in d.cites if c in ids]


def layers(derivations: Sequence[Derivation]) -> dict[str, int]:
    """Each ID's layer: 0 without citations, else one more than its deepest citation.

    Raises ``ValueError`` naming a derivation on a cycle of citations.
    """
    cites = {d.id: [c for c in d.cites if c != d.id] for d in derivations}
    depth: dict[str, int] = {}
    visiting: set[str] = set()

    def visit(id: str) -> int:
        if id in depth:
            return depth[id]
        if id in visiting:
            raise ValueError(f"citations: {id} is on a cycle")
        visiting.add(id)
        known = [c for c in cites.get(id, []) if c in cites]
        depth[id] = 1 + max((visit(c) for c in known), default=-1)
        visiting.discard(id)
        return depth[id]

    for d in derivations:
        visit(d.id)
    return depth


def _positions(derivations: Sequence[Derivation]) -> dict[str, tuple[int, int]]:
    """``(layer, row)`` of each node: rows ordered by the mean row of the cited nodes."""
    layer = layers(derivations)
    order = {d.id: n for n, d in enumerate(derivations)}
    cites = {d.id: [c for c in d.cites if c in layer] for d in derivations}
    rows: dict[str, int] = {}
    for depth in range(max(layer.values(), default=-1) + 1):
        ids = [d.id for d in derivations if layer[d.id] == depth]

        def key(id: str) -> tuple[float, int]:
            cited = [rows[c] for c in cites[id] if c in rows]
            return (sum(cited) / len(cited) if cited else -1.0, order[id])

        for row, id in enumerate(sorted(ids, key=key)):
            rows[id] = row
    return {id: (layer[id], rows[id]) for id in layer}


def dependency_svg(
    derivations: Sequence[Derivation] | None = None,
    statuses: dict[str, bool] | None = None,
    href: Callable[[str], str] = lambda id: f"#{id}",
    wait: bool = True,
) -> str:
    """The graph as an SVG string with a title, a description, a legend and linked nodes.

    ``statuses`` maps an ID to whether it checks (missing: unknown); without it, the cached
    check reports are used (:func:`ce_book.derivations.reports.report`; ``wait=False``: only
    those already made, the others unknown).
    """
    from ce_book.derivations import all_derivations, reports

    derivations = list(all_derivations() if derivations is None else derivations)
    if statuses is None:
        found = {d.id: reports.report(d, wait=wait) for d in derivations}
        statuses = {id: r.ok for id, r in found.items() if r is not None}
    pos = _positions(derivations)
    width_of = {d.id: int(len(d.id) * _CHAR + 34) for d in derivations}
    n_layers = max((x for x, _ in pos.values()), default=-1) + 1
    col_width = [
        max((width_of[i] for i, (x, _) in pos.items() if x == c), default=0)
        for c in range(n_layers)
    ]
    col_x = [_PAD + sum(col_width[:c]) + _GAP_X * c for c in range(n_layers)]
    n_rows = max((y for _, y in pos.values()), default=-1) + 1
    width = max(col_x[-1] + col_width[-1] + _PAD if n_layers else 2 * _PAD, 420)
    height = _LEGEND + n_rows * _ROW + _PAD
    box = {i: (col_x[x], _LEGEND + y * _ROW, width_of[i], _ROW - 8) for i, (x, y) in pos.items()}

    proved = sum(1 for d in derivations if statuses.get(d.id) is True)
    failed = sum(1 for d in derivations if statuses.get(d.id) is False)
    links = edges(derivations)
    desc = (
        f"{len(derivations)} derivations in {n_layers} layers and {len(links)} citations; "
        f"{proved} proved, {failed} not proved. An arrow runs from a cited derivation to the "
        "derivation that uses its result."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="ce-graph-title '
        f'ce-graph-desc" class="ce-derivation-graph" font-family="monospace" '
        f'font-size="{_FONT}">',
        '<title id="ce-graph-title">How the derivations cite each other</title>',
        f'<desc id="ce-graph-desc">{html.escape(desc)}</desc>',
        "<defs>",
        '<marker id="ce-graph-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#555555"/></marker>',
        "</defs>",
    ]
    out += _legend()
    for cited, citing in links:
        x1, y1, w1, h1 = box[cited]
        x2, y2, _, h2 = box[citing]
        a, b = (x1 + w1, y1 + h1 / 2), (x2 - 2, y2 + h2 / 2)
        mid = (a[0] + b[0]) / 2
        out.append(
            f'<path d="M{a[0]:.1f},{a[1]:.1f} C{mid:.1f},{a[1]:.1f} {mid:.1f},{b[1]:.1f} '
            f'{b[0]:.1f},{b[1]:.1f}" fill="none" stroke="#555555" stroke-width="1.2" '
            f'marker-end="url(#ce-graph-arrow)"><title>{html.escape(citing)} cites '
            f"{html.escape(cited)}</title></path>"
        )
    for d in derivations:
        x, y, w, h = box[d.id]
        status = statuses.get(d.id)
        fill, stroke, mark = _OK if status is True else _FAILED if status is False else _UNKNOWN
        words = {True: "proved", False: "not proved"}.get(status, "status unknown")
        cited = ", ".join(d.cites) or "nothing"
        dash = ' stroke-dasharray="4 3"' if status is not True else ""
        out.append(
            f'<a href="{html.escape(href(d.id))}"><title>{html.escape(d.id)}: {words}; '
            f"{len(d.steps)} steps; cites {html.escape(cited)}</title>"
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="5" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="1.5"{dash}/>'
            f'<text x="{x + 8}" y="{y + h / 2 + 4:.1f}" fill="#1a1a1a">{mark} '
            f"{html.escape(d.id)}</text></a>"
        )
    out.append("</svg>")
    return "\n".join(out)


def _legend() -> list[str]:
    out = []
    for n, ((fill, stroke, mark), words, dash) in enumerate(
        (
            (_OK, "proved: every step, for every size", ""),
            (_FAILED, "not proved: a step or the result fails", ' stroke-dasharray="4 3"'),
        )
    ):
        y = _PAD + n * 20
        out.append(
            f'<rect x="{_PAD}" y="{y}" width="26" height="15" rx="4" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="1.5"{dash}/>'
            f'<text x="{_PAD + 6}" y="{y + 12}" fill="#1a1a1a">{mark}</text>'
            f'<text x="{_PAD + 36}" y="{y + 12}" fill="#1a1a1a">{html.escape(words)}</text>'
        )
    return out
