"""Figures of the chapter on numerical stability: how far each recipe is from the truth.

Errors are measured against mpmath at 50 digits. The textbook recipe comes from
:mod:`ce_book.naive` (``-log(softmax(z))``), the "log of a sum" recipe that PyTorch follows
from :func:`ce_book.naive.cross_entropy_log_sum`, and the book's from
:func:`ce_book.losses.cross_entropy`.
"""

from __future__ import annotations

from collections.abc import Callable

import mpmath
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ce_book import losses, naive
from ce_book.figures import figure
from ce_book.figures.style import COLORS, new_figure
from ce_book.reference import DIGITS, mp_cross_entropy

#: Two panels stacked, narrower than a column, so that the text stays legible on a phone.
STACKED = (5.0, 5.6)

FLOOR = 1e-18  # where an exact result is drawn on the log axis
CEILING = 1e3  # where inf or nan is drawn


def _relative_error(got: float, exact: mpmath.mpf) -> float:
    if not np.isfinite(got):
        return CEILING
    with mpmath.workdps(DIGITS):
        err = float(abs((mpmath.mpf(float(got)) - exact) / exact))
    return min(max(err, FLOOR), CEILING)


def _textbook(z: np.ndarray, k: int) -> float:
    return float(-naive.log_softmax(z)[k])


def _log_of_sum(z: np.ndarray, k: int) -> float:
    return float(naive.cross_entropy_log_sum(z, k))


def _ce_book(z: np.ndarray, k: int) -> float:
    return float(losses.cross_entropy(z[None, :], [k]))


RECIPES: tuple[tuple[str, Callable[[np.ndarray, int], float], str, str], ...] = (
    ("textbook: $-\\log(\\mathrm{softmax})$", _textbook, "green", ":"),
    ("log of a sum (as PyTorch)", _log_of_sum, "orange", "--"),
    ("ce_book: log1p", _ce_book, "blue", "-"),
)


def _errors(logit_rows: list[np.ndarray], k: int, recipe: Callable, dtype: type) -> np.ndarray:
    """Errors against the exact loss of the logits as rounded to ``dtype``."""
    rounded = [z.astype(dtype) for z in logit_rows]
    return np.array(
        [_relative_error(recipe(z, k), mp_cross_entropy(z.astype(np.float64), k)) for z in rounded]
    )


def _decorate(ax: Axes, xlabel: str) -> None:
    ax.set_yscale("log")
    ax.set_ylim(FLOOR / 3, CEILING * 3)
    ax.set_yticks([1e-16, 1e-12, 1e-8, 1e-4, 1, CEILING])
    ax.set_yticklabels(["$10^{-16}$", "$10^{-12}$", "$10^{-8}$", "$10^{-4}$", "1", "inf/nan"])
    ax.set_xlabel(xlabel)
    ax.axhline(2.0**-53, color=COLORS["black"], linewidth=0.8, linestyle=(0, (1, 2)))


@figure(
    "stability-relative-error",
    alt="Two panels of relative error on a logarithmic axis. Top: against the lead of the "
    "true logit over two others, from 0 to 60. The textbook recipe and the log-of-a-sum recipe "
    "lie on top of each other: they lose digits steadily from a lead of about 10 and reach a "
    "relative error of 1 (a loss of exactly 0) near 37 in float64 and 17 in float32; the "
    "book's log1p recipe stays near the rounding error of each format throughout. Bottom: "
    "against the size of three logits one apart, from 1 to 10000, true class the smallest. The "
    "textbook recipe is exact up to about 89 in float32 and 710 in float64 and then returns "
    "nan; the other two stay accurate in both formats.",
    caption="Relative error of three ways of computing cross-entropy from logits, against "
    "mpmath at 50 digits (the thin black dotted line is float64's half-spacing $2^{-53}$); thick "
    "lines are "
    "float64, thin pale ones float32. **Top:** a confident correct prediction, logits $(g, 0, 0)$ "
    "with the first class true. The textbook recipe (dotted) and the shifted log of a sum "
    "(dashed) both lose every digit of the tiny loss, reaching a relative error of 1 "
    "(a loss of exactly 0) near the leads listed in the table of the section on low precision "
    "(in float32 the textbook recipe one lead later), and `log1p` keeps them. "
    "**Bottom:** logits $(s, s - 1, s - 2)$ with the third class true; the loss is the same "
    "for every $s$, but the textbook softmax overflows, at a smaller size in float32.",
)
def stability_relative_error() -> Figure:
    fig = new_figure(STACKED)
    gap_ax, size_ax = fig.subplots(2, 1)

    gaps = np.linspace(0.5, 60, 120)
    gap_rows = [np.array([g, 0.0, 0.0]) for g in gaps]
    for label, recipe, color, style in RECIPES:
        gap_ax.plot(
            gaps, _errors(gap_rows, 0, recipe, np.float64), style, color=COLORS[color], label=label
        )
    for _, recipe, color, style in RECIPES:
        gap_ax.plot(
            gaps,
            _errors(gap_rows, 0, recipe, np.float32),
            style,
            color=COLORS[color],
            linewidth=0.9,
            alpha=0.45,
        )
    _decorate(gap_ax, "lead $g$ of the true logit")
    gap_ax.set_ylabel("relative error")
    gap_ax.set_xlim(0, 60)

    sizes = np.logspace(0, 4, 81)
    size_rows = [np.array([s, s - 1, s - 2]) for s in sizes]
    for label, recipe, color, style in RECIPES:
        size_ax.plot(
            sizes,
            _errors(size_rows, 2, recipe, np.float64),
            style,
            color=COLORS[color],
            label=label,
        )
        size_ax.plot(
            sizes,
            _errors(size_rows, 2, recipe, np.float32),
            style,
            color=COLORS[color],
            linewidth=0.9,
            alpha=0.45,
        )
    _decorate(size_ax, "size $s$ of the logits")
    size_ax.set_xscale("log")
    size_ax.set_ylabel("relative error")
    handles, labels = size_ax.get_legend_handles_labels()
    for width, alpha, name in ((1.5, 1.0, "float64 (thick)"), (0.9, 0.45, "float32 (thin)")):
        handles.append(Line2D([], [], color=COLORS["black"], linewidth=width, alpha=alpha))
        labels.append(name)
    # Outside the panels, below them, so that no curve is hidden; it serves both panels.
    fig.legend(handles, labels, loc="outside lower center", ncol=3, fontsize=8)
    return fig
