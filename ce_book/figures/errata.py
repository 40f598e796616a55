"""Figure of the chapter on misconceptions and errata: a slope is not a step."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ce_book import gradients, losses
from ce_book.figures import figure
from ce_book.figures.style import COLORS, new_figure

#: The running example's logits, true class 1 (index 0).
LOGITS = np.array([2.0, 1.0, 0.1])


@figure(
    "errata-slope-versus-step",
    alt="The change of the loss against the size s of a step on the true logit, from 0 to 3, "
    "for the logits (2, 1, 0.1). The dashed straight line of the slope falls to about -1 at "
    "s = 3; the actual change (solid) starts along it but bends up and flattens, reaching "
    "only about -0.24 at s = 1, where the line is at -0.34, and about -0.39 at s = 3.",
    caption="A slope is not a step. For the logits $(2, 1, 0.1)$ with true class 1, the "
    "change of the cross-entropy when the true logit rises by $s$ (**solid**) against the "
    "first-order estimate, the slope $p_1 - 1$ times $s$ (**dashed**). The curve is convex, "
    "so it lies above its tangent: a whole step always gains less than the slope promises.",
)
def errata_slope_versus_step() -> Figure:
    base = float(losses.cross_entropy([LOGITS], [0]))
    slope = float(gradients.cross_entropy_grad([LOGITS], [0])[0, 0])
    steps = np.linspace(0, 3, 61)
    change = [
        float(losses.cross_entropy([LOGITS + np.array([s, 0.0, 0.0])], [0])) - base for s in steps
    ]
    fig = new_figure((6.0, 3.4))
    ax = fig.subplots()
    ax.plot(steps, change, color=COLORS["blue"], label="actual change of the loss")
    ax.plot(steps, slope * steps, "--", color=COLORS["vermillion"], label="slope times step")
    ax.axvline(1.0, color=COLORS["black"], linewidth=0.8, linestyle=(0, (1, 2)))
    ax.set_xlabel("step $s$ on the true logit")
    ax.set_ylabel("change of the loss")
    ax.set_xlim(0, 3)
    ax.legend()
    return fig
