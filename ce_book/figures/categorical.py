"""Figures of chapter 3, categorical cross-entropy; every value is computed with ``ce_book``."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ce_book import gradients, info, tutorial_code
from ce_book.activations import softmax
from ce_book.figures import figure
from ce_book.figures.style import COLORS, WIDE, new_figure

CLASSES = ("panda", "seal", "duck")
EXAMPLE_Z = (2.0, 1.0, 0.1)


@figure(
    "softmax-bars",
    alt="Two bar charts. Left: three logits, 2, 1 and 0.1, for panda, seal and duck. Right: "
    "their softmax, about 0.66, 0.24 and 0.10, which are positive and sum to 1. The order is "
    "kept and the gaps are stretched: a lead of one unit in the logits becomes a factor e in "
    "the probabilities.",
    caption="Softmax turns the logits $z = (2, 1, 0.1)$ (left) into probabilities (right): "
    "exponentiate, then divide by the total. The order is kept and the gaps are stretched: "
    "a lead of one unit in the logits becomes a factor $e$ in the probabilities.",
)
def softmax_bars() -> Figure:
    fig = new_figure(WIDE)
    left, right = fig.subplots(1, 2)
    x = np.arange(len(CLASSES))
    p = softmax(EXAMPLE_Z)
    left.bar(x, EXAMPLE_Z, 0.55, color=COLORS["sky"])
    right.bar(x, p, 0.55, color=COLORS["blue"])
    for ax, values, fmt in ((left, EXAMPLE_Z, "{:g}"), (right, p, "{:.3f}")):
        for xi, v in zip(x, values, strict=True):
            ax.annotate(
                fmt.format(v), (xi, v), xytext=(0, 3), textcoords="offset points", ha="center"
            )
        ax.set_xticks(x, CLASSES)
        ax.grid(axis="x", visible=False)
    left.set_ylabel("logit $z_i$")
    left.set_ylim(0, 2.4)
    right.set_ylabel("probability $\\mathrm{softmax}(z)_i$")
    right.set_ylim(0, 0.8)
    return fig


@figure(
    "categorical-tutorial-predictions",
    alt="Four small bar charts, one per sample of the Pinecone tutorial's example. Each shows, "
    "for panda, seal and duck, the target as an outlined bar of height 1 on the true class and "
    "the model's predicted probabilities as filled bars, with the loss written above. Sample "
    "1: panda, predicted 0.91, small loss. Sample 2: seal, 0.8. Sample 3: duck, 0.6. Sample 4: "
    "panda, but only 0.25 on panda and more on seal and duck, the largest loss.",
    caption="The Pinecone tutorial's four samples. Outlined: the one-hot target; filled: the "
    "predicted distribution. Only the filled bar under the outline matters for the loss "
    "$-\\log p_{\\text{true}}$; how the rest of the probability is spread does not.",
)
def categorical_tutorial_predictions() -> Figure:
    fig = new_figure((8.0, 2.9))
    axes = fig.subplots(1, 4, sharey=True)
    t = np.array(tutorial_code.TUTORIAL_CATEGORICAL_INPUTS["t_list"], dtype=float)
    p = np.array(tutorial_code.TUTORIAL_CATEGORICAL_INPUTS["p_list"])
    loss = info.cross_entropy(t, p)
    x = np.arange(len(CLASSES))
    for n, ax in enumerate(axes):
        ax.bar(x, p[n], 0.6, color=COLORS["blue"], label="predicted $p$")
        ax.bar(
            x,
            t[n],
            0.6,
            fill=False,
            edgecolor=COLORS["black"],
            linewidth=1.5,
            linestyle="--",
            label="target $t$",
        )
        ax.set_xticks(x, CLASSES, rotation=35)
        ax.grid(axis="x", visible=False)
        ax.text(1, 1.08, f"sample {n + 1}\nloss {loss[n]:.3f}", ha="center", va="bottom")
    axes[0].set_ylabel("probability")
    axes[0].set_ylim(0, 1.4)
    axes[0].set_yticks([0, 0.5, 1])
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)  # below, clear of the bars
    return fig


@figure(
    "categorical-loss-vs-p-true",
    alt="A decreasing curve of loss, -log p, against the probability the model gives the "
    "true class, from near 0 to 1. Four dots mark the tutorial's samples at 0.91, 0.8, 0.6 and "
    "0.25; the loss at 0.25 is log 4, about 1.39, and the curve reaches 0 at p = 1. A dotted "
    "horizontal line at ln 3, about 1.10, marks the loss of a uniform guess over three classes: "
    "samples 1 to 3 lie below it, sample 4 above.",
    caption="With a one-hot target, categorical cross-entropy depends only on the "
    "probability $p_{\\text{true}}$ given to the true class: $-\\log p_{\\text{true}}$. The "
    "dots are the tutorial's four samples; the dotted line is the loss of a model that knows "
    "nothing and says one third for each class.",
)
def categorical_loss_vs_p_true() -> Figure:
    fig = new_figure()
    ax = fig.add_subplot()
    q = np.linspace(0.01, 1, 400)
    ax.plot(q, info.surprisal(q), label="$-\\log p_{\\text{true}}$")
    t = tutorial_code.TUTORIAL_CATEGORICAL_INPUTS["t_list"]
    p = tutorial_code.TUTORIAL_CATEGORICAL_INPUTS["p_list"]
    p_true = np.array([row[target.index(1)] for row, target in zip(p, t, strict=True)])
    ax.plot(p_true, info.surprisal(p_true), "o", color=COLORS["vermillion"], ms=7)
    for n, v in enumerate(p_true):
        ax.annotate(
            f"{n + 1}", (v, float(info.surprisal(v))), xytext=(6, 5), textcoords="offset points"
        )
    uniform = float(info.surprisal(1 / len(CLASSES)))
    ax.axhline(uniform, color=COLORS["black"], linestyle=":", linewidth=1)
    ax.annotate(
        "uniform guess, $\\ln 3$", (0.55, uniform), xytext=(0, 4), textcoords="offset points"
    )
    ax.set_xlabel("probability of the true class $p_{\\text{true}}$")
    ax.set_ylabel("loss (nats)")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 3)
    return fig


@figure(
    "categorical-gradient-sample-4",
    alt="Grouped bars for panda, seal and duck, the tutorial's fourth sample, whose true class "
    "is panda. The predicted probabilities are 0.25, 0.40 and 0.35; the one-hot target is 1 "
    "on panda; the gradient p minus t is -0.75 on panda, pulling its logit up, and +0.40 and "
    "+0.35 on seal and duck, pushing theirs down in proportion to their probability.",
    caption="The gradient of the loss with respect to the logits of the tutorial's fourth "
    "sample (true class panda) is prediction minus target. It is negative on the true class, "
    "so a gradient step raises that logit, and on every other class it is that class's own "
    "probability, so the step lowers each wrong logit in proportion to the probability it "
    "took.",
)
def categorical_gradient_sample_4() -> Figure:
    fig = new_figure()
    ax = fig.add_subplot()
    p = np.array(tutorial_code.TUTORIAL_CATEGORICAL_INPUTS["p_list"][3])
    t = np.array(tutorial_code.TUTORIAL_CATEGORICAL_INPUTS["t_list"][3], dtype=float)
    grad = gradients.cross_entropy_grad(np.log(p), int(t.argmax()))
    x = np.arange(len(CLASSES))
    width = 0.26
    bars = (
        (-width, p, dict(color=COLORS["blue"]), "prediction $p$"),
        (
            0.0,
            t,
            dict(fill=False, edgecolor=COLORS["black"], linewidth=1.5, linestyle="--"),
            "target $t$",
        ),
        (width, grad, dict(color=COLORS["vermillion"], hatch="//"), "gradient $p - t$"),
    )
    for shift, values, style, label in bars:
        ax.bar(x + shift, values, width, label=label, **style)
        for xi, v in zip(x, values, strict=True):
            ax.annotate(
                (f"{v:+.2f}" if label.startswith("gradient") else f"{v:.2f}").replace(
                    "-", "\N{MINUS SIGN}"
                ),
                (xi + shift, v),
                xytext=(0, 3 if v >= 0 else -12),
                textcoords="offset points",
                ha="center",
                fontsize=9,
            )
    ax.axhline(0, color=COLORS["black"], linewidth=0.8)
    ax.set_xticks(x, [f"{c} (true)" if ti else c for c, ti in zip(CLASSES, t, strict=True)])
    ax.grid(axis="x", visible=False)
    ax.set_ylim(-0.95, 1.2)
    ax.set_ylabel("value per class")
    ax.legend(loc="upper right", fontsize=9)
    return fig
