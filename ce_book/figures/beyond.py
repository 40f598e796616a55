"""Figures of the chapter beyond plain cross-entropy: the focal loss against the probability of
the truth, reliability diagrams before and after temperature scaling, and how cross-entropy and
the earth mover's distance price near and far mistakes."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ce_book import calibration, focal, losses, ordinal
from ce_book.activations import softmax
from ce_book.figures import figure
from ce_book.figures.style import COLORS, CYCLE, WIDE, new_figure

GAMMAS = (0.0, 0.5, 1.0, 2.0, 5.0)
BINS = 10
#: Two square panels drawn smaller than ``WIDE``, so that their text stays legible when a phone
#: shrinks the figure to the width of its screen.
NARROW_PAIR = (5.0, 3.3)
#: Two panels side by side, each about as wide as one of ``NARROW_PAIR``'s but taller.
WIDE_PAIR = (7.0, 3.4)
#: A reliability bin with fewer predictions than this is drawn in grey, with its count.
SPARSE = 20
BIN_WIDTH = 1 / BINS
GREY = "#999999"


@figure(
    "beyond-focal-curves",
    alt="Two panels against the probability p_y given to the true class, from 0 to 1, for "
    "gamma = 0, 0.5, 1, 2 and 5. Left, the loss: gamma = 0 is cross-entropy, minus log p_y, and "
    "the focal curves lie below it, most of all on the right, where they are close to zero "
    "above p_y = 0.6. Right, the factor by which the focal loss multiplies the cross-entropy "
    "gradient: a thick flat line at 1 for gamma = 0; for gamma = 2 it rises above 1 for small p_y, "
    "peaking at about 1.22 near p_y = 0.1, crosses 1 near p_y = 0.3 and falls toward 0 as "
    "p_y approaches 1.",
    caption="The focal loss $-(1 - p_y)^\\gamma \\log p_y$ (**left**) and the factor $g$ by "
    "which it multiplies the cross-entropy gradient $p - e_y$ (**right**), against the "
    "probability $p_y$ of the true class, for five values of $\\gamma$ ($\\gamma = 0$ is "
    "cross-entropy, whose factor is the flat line at 1). The loss shrinks everywhere, but the "
    "gradient of a badly classified example grows: where a curve on the right lies above the "
    "flat line, the focal loss pushes harder than cross-entropy.",
)
def beyond_focal_curves() -> Figure:
    fig = new_figure(WIDE_PAIR)
    loss_ax, gain_ax = fig.subplots(1, 2)
    p_y = np.linspace(0.01, 0.99, 197)
    logits = np.log(p_y / (1 - p_y))
    target = np.ones_like(p_y)
    two_class = np.stack([logits, np.zeros_like(logits)], axis=1)
    labels = np.zeros(len(p_y), dtype=int)
    ce_grad = focal.softmax_focal_loss_grad(two_class, labels, gamma=0.0, reduction="sum")[:, 0]
    for gamma, color in zip(GAMMAS, CYCLE, strict=False):
        loss = focal.sigmoid_focal_loss(logits, target, gamma=gamma, reduction="none")
        label = f"$\\gamma = {gamma:g}$" + (" (CE)" if gamma == 0 else "")
        loss_ax.plot(p_y, loss, color=COLORS[color], label=label)
        grad = focal.softmax_focal_loss_grad(two_class, labels, gamma=gamma, reduction="sum")
        # gamma = 0 is the flat line at 1: drawn thick and underneath, so it stays visible
        gain_ax.plot(
            p_y,
            grad[:, 0] / ce_grad,
            color=COLORS[color],
            label=label,
            linewidth=3.0 if gamma == 0 else 1.5,
            zorder=1 if gamma == 0 else 2,
        )
    loss_ax.set_xlabel("probability of the true class $p_y$")
    loss_ax.set_ylabel("loss")
    loss_ax.set_xlim(0, 1)
    loss_ax.set_ylim(0, 4.6)
    loss_ax.legend()
    gain_ax.set_xlabel("probability of the true class $p_y$")
    gain_ax.set_ylabel("focal gradient / CE gradient")
    gain_ax.set_xlim(0, 1)
    gain_ax.set_ylim(0, 1.6)
    return fig


def _reliability_panel(ax: Axes, probs: np.ndarray, labels: np.ndarray, heading: str) -> None:
    bins = calibration.reliability_bins(probs, labels, BINS)
    ece = calibration.expected_calibration_error(probs, labels, BINS)
    left, width = bins.edges[:-1], np.diff(bins.edges)
    used = bins.count > 0
    sparse = used & (bins.count < SPARSE)
    for chosen, color, label in (
        (used & ~sparse, COLORS["blue"], "accuracy"),
        (sparse, GREY, f"accuracy (< {SPARSE} predictions)"),
    ):
        ax.bar(
            left[chosen],
            bins.accuracy[chosen],
            width=width[chosen],
            align="edge",
            color=color,
            edgecolor="white",
            label=label,
        )
    for x, n in zip(left[sparse], bins.count[sparse], strict=True):
        # the count, written upwards inside the grey bar from its foot
        ax.text(x + BIN_WIDTH / 2, 0.03, f"n = {n}", ha="center", va="bottom", rotation=90)
    ax.bar(
        left[used],
        bins.confidence[used] - bins.accuracy[used],
        bottom=bins.accuracy[used],
        width=width[used],
        align="edge",
        fill=False,
        hatch="///",
        edgecolor=COLORS["vermillion"],
        linewidth=1.0,
        label="gap to confidence",
    )
    ax.plot([0, 1], [0, 1], color=COLORS["black"], linewidth=1.0, linestyle="--")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel("confidence")
    ax.set_xticks([0, 0.5, 1])
    ax.set_yticks([0, 0.5, 1])
    ax.text(0.04, 0.96, f"{heading}\nECE = {ece:.3f}", va="top")


@figure(
    "beyond-reliability-diagram",
    alt="Two reliability diagrams side by side, confidence from 0 to 1 on the horizontal axis "
    "in ten bins and accuracy on the vertical axis, with a dashed diagonal for perfect "
    "calibration. Left, the raw model: from a confidence of 0.4 upward the blue accuracy bars "
    "stay well below the diagonal, with large hatched gaps up to the mean confidence. Right, "
    "after temperature scaling: the bars follow the diagonal and the gaps almost vanish. Bins "
    "that hold only a handful of predictions are grey, with their count printed: on the left "
    "the lowest bin, at a confidence of 0.2 to 0.3, whose accuracy is far above the diagonal; "
    "on the right the highest bin.",
    caption="Reliability diagrams of the over-confident model of the synthetic problem "
    "(2000 samples, 5 classes, logits 2.5 times the true ones), before (**left**) and after "
    "(**right**) dividing its logits by the temperature fitted on the same data. Bars: accuracy "
    "of the predictions in each confidence bin; hatched: the gap to their mean confidence, on "
    "whichever side of the bar it lies; "
    "dashed: perfect calibration. The confidence of a prediction is its largest probability. "
    "A bin with few predictions (grey, with its count) measures its accuracy poorly: the tall "
    "grey bar on the left is a handful of samples, not a sign of under-confidence.",
)
def beyond_reliability_diagram() -> Figure:
    z, y = calibration.overconfident_problem()
    t = calibration.fit_temperature(z, y)
    fig = new_figure(NARROW_PAIR)
    before, after = fig.subplots(1, 2, sharey=True)
    _reliability_panel(before, softmax(z), y, "raw logits")
    _reliability_panel(after, softmax(z / t), y, f"logits / {t:.2f}")
    before.set_ylabel("accuracy")
    entries: dict[str, object] = {}
    for ax in (before, after):
        for handle, name in zip(*ax.get_legend_handles_labels(), strict=True):
            entries.setdefault(name, handle)
    fig.legend(list(entries.values()), list(entries), loc="outside lower center", ncols=2)
    return fig


@figure(
    "beyond-near-far",
    alt="Two bar charts for four predictions that put 0.8 of the probability on class 2, 3, 4 or "
    "5 when the truth is class 1. Left, cross-entropy in nats: all four bars have the same "
    "height, about 3. Right, the earth mover's losses for r = 1 (in class steps) and r = 2 "
    "(squared gaps of the cumulative distributions): the bars grow steadily from class 2 to "
    "class 5.",
    caption="Five ordered classes, true class 1, and a prediction that puts 0.8 of its mass on "
    "one wrong class (0.05 on each of the others). **Left:** cross-entropy, in nats, only sees "
    "the 0.05 left on the truth, so it charges the same for a near and a far mistake. "
    "**Right:** the earth mover's losses $\\mathrm{EMD}_r$ charge more the farther the mass "
    "sits: for $r = 1$, the earth mover's distance itself, in steps between neighbouring "
    "classes; for $r = 2$, a sum of squared gaps between the cumulative distributions, which "
    "has no unit of distance (and is not the square of the $r = 1$ value). The panels have "
    "different units, so only the shapes compare.",
)
def beyond_near_far() -> Figure:
    k = 5
    wrong = np.arange(1, k)
    logits = []
    for c in wrong:
        p = np.full(k, 0.05)
        p[c] = 0.8
        logits.append(np.log(p))
    ce = [float(losses.cross_entropy(z, 0)) for z in logits]
    emd = (
        ("$r = 1$", [float(ordinal.emd_loss(z, 0, power=1)) for z in logits], "green"),
        ("$r = 2$", [float(ordinal.emd_loss(z, 0)) for z in logits], "blue"),
    )
    fig = new_figure(WIDE)
    fig.get_layout_engine().set(wspace=0.08)
    left, right = fig.subplots(1, 2)
    left.bar(wrong, ce, width=0.5, color=COLORS["vermillion"])
    left.set_ylabel("cross-entropy (nats)")
    left.set_ylim(0, 4)
    width = 0.36
    for n, (label, values, color) in enumerate(emd):
        right.bar(wrong + (n - 0.5) * width, values, width=width, color=COLORS[color], label=label)
    right.set_ylabel("earth mover's loss")
    right.set_ylim(0, 4)
    right.legend(loc="upper left")
    for ax in (left, right):
        ax.set_xticks(wrong)
        ax.set_xticklabels([f"class {c + 1}" for c in wrong])
        ax.set_xlabel("where the 0.8 sits (true class 1)")
        ax.grid(axis="x", visible=False)
    return fig


@figure(
    "beyond-proper-scores",
    alt="Two panels against the reported probability q, from 0 to 1, for an event whose true "
    "probability is 0.3. Left, the expected cross-entropy: a U-shaped curve, steep near 0 and "
    "near 1, with its lowest point at q = 0.3, marked by a dashed vertical line. Right, the "
    "expected Brier score: a parabola with its lowest point at the same q = 0.3. Both are "
    "higher for every other report.",
    caption="Why cross-entropy asks for honest probabilities. An event happens with "
    "probability 0.3; a forecaster reports $q$. **Left:** the expected cross-entropy "
    "$-0.3 \\log q - 0.7 \\log(1 - q)$; **right:** the expected Brier score "
    "$0.3 (1 - q)^2 + 0.7 q^2$. Both are lowest at the honest report $q = 0.3$ (dashed) and "
    "nowhere else: they are strictly proper scoring rules. Cross-entropy punishes a "
    "confident wrong report without limit, the Brier score by at most 1.",
)
def beyond_proper_scores() -> Figure:
    event = 0.3
    q = np.linspace(0.005, 0.995, 199)
    log_score = event * losses.binary_cross_entropy(q, np.ones_like(q), reduction="none") + (
        1 - event
    ) * losses.binary_cross_entropy(q, np.zeros_like(q), reduction="none")
    brier = event * (1 - q) ** 2 + (1 - event) * q**2
    fig = new_figure(WIDE_PAIR)
    left, right = fig.subplots(1, 2)
    for ax, values, name, color in (
        (left, log_score, "expected cross-entropy", "blue"),
        (right, brier, "expected Brier score", "vermillion"),
    ):
        ax.plot(q, values, color=COLORS[color])
        ax.axvline(event, color=COLORS["black"], linewidth=1.0, linestyle="--")
        best = int(np.argmin(values))
        ax.plot([q[best]], [values[best]], "o", color=COLORS[color])
        ax.set_xlabel("reported probability $q$")
        ax.set_ylabel(name)
        ax.set_xlim(0, 1)
        ax.set_xticks([0, 0.3, 0.5, 1])
    left.set_ylim(0, 3.0)
    right.set_ylim(0, 0.8)
    return fig
