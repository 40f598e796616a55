"""Figures of chapter 2, binary cross-entropy; every curve is computed with ``ce_book``."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ce_book import gradients, losses, tutorial_code
from ce_book.activations import sigmoid, softmax
from ce_book.figures import figure
from ce_book.figures.style import COLORS, WIDE, new_figure


@figure(
    "sigmoid-curve",
    alt="An S-shaped curve rising from 0 to 1 as the logit z goes from -8 to 8. It passes "
    "through one half at z = 0; a marked point shows that the logit ln 3, about 1.1, maps to "
    "the probability three quarters. Dotted lines at 0 and 1 are approached but never reached.",
    caption="The sigmoid $\\sigma(z) = 1/(1 + e^{-z})$ turns any real score into a "
    "probability. The logit is the log-odds: $z = \\ln 3$ (odds of 3 to 1) gives $3/4$.",
)
def sigmoid_curve() -> Figure:
    fig = new_figure()
    ax = fig.add_subplot()
    z = np.linspace(-8, 8, 401)
    ax.plot(z, sigmoid(z), label="$\\sigma(z)$")
    for level in (0, 1):
        ax.axhline(level, color=COLORS["black"], linestyle=":", linewidth=1)
    mark = np.log(3.0)
    ax.plot([0, mark], [0.5, float(sigmoid(mark))], "o", color=COLORS["black"])
    ax.annotate("$\\sigma(0) = 1/2$", (0, 0.5), xytext=(10, -16), textcoords="offset points")
    ax.annotate(
        "$\\sigma(\\ln 3) = 3/4$", (mark, 0.75), xytext=(-92, 8), textcoords="offset points"
    )
    ax.set_xlabel("logit $z$")
    ax.set_ylabel("probability $\\sigma(z)$")
    ax.set_xlim(-8, 8)
    ax.set_ylim(-0.05, 1.05)
    return fig


@figure(
    "bce-loss-curves",
    alt="Two curves of loss against the predicted probability p. For label 1 the loss "
    "-log p falls from large values near p = 0 to 0 at p = 1; for label 0 the mirror image "
    "-log(1 - p) rises towards p = 1. Seven dots mark the tutorial's samples on their curves; "
    "the two highest, at p = 0.85 with label 0 and p = 0.17 with label 1, are the two "
    "confident mistakes.",
    caption="Binary cross-entropy against the predicted probability $p$: $-\\log p$ when the "
    "label is 1 and $-\\log(1 - p)$ when it is 0. The dots are the tutorial's seven samples "
    "(filled: label 1, open: label 0). Both curves are unbounded: a confident mistake costs "
    "without limit.",
)
def bce_loss_curves() -> Figure:
    fig = new_figure()
    ax = fig.add_subplot()
    p = np.linspace(0.002, 0.998, 499)
    for label, colour, style in ((1, "blue", "-"), (0, "vermillion", "--")):
        loss = losses.binary_cross_entropy(p, np.full_like(p, label), reduction="none")
        ax.plot(p, loss, color=COLORS[colour], linestyle=style, label=f"label $t = {label}$")
    t = np.array(tutorial_code.TUTORIAL_BINARY_INPUTS["t"], dtype=float)
    q = np.array(tutorial_code.TUTORIAL_BINARY_INPUTS["p"])
    sample_losses = losses.binary_cross_entropy(q, t, reduction="none")
    for label, colour, face in ((1, "blue", COLORS["blue"]), (0, "vermillion", "white")):
        sel = t == label
        ax.plot(q[sel], sample_losses[sel], "o", color=COLORS[colour], markerfacecolor=face, ms=7)
    ax.set_xlabel("predicted probability $p$ of label 1")
    ax.set_ylabel("loss (nats)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 4)
    ax.legend(loc="upper center")
    return fig


@figure(
    "bce-probability-vs-logits",
    alt="Two panels against the logit z from 0 to 30, label 0, in float32. Left, the loss: "
    "computed from the logit it is log(1 + e^z), which starts at 0.69 and soon runs close to "
    "the straight line z; computed from the probability "
    "sigma(z) it follows the line until z is about 17, where it jumps to exactly 100 and "
    "stays there. Right, the gradient with respect to z: from the logit it stays at 1; "
    "through the probability it drops to 0 at the same point.",
    caption="Label 0, float32. Left: the loss computed from the probability $\\sigma(z)$ "
    "(PyTorch's `binary_cross_entropy`, which clamps each log at $-100$) and from the logit "
    "(`binary_cross_entropy_with_logits`). Right: the gradient with respect to $z$, by the "
    "chain rule through the sigmoid as autograd computes it, and from the logits form "
    "$\\sigma(z) - t$. Once $\\sigma(z)$ rounds to 1 the first route reports a made-up loss "
    "and a gradient of exactly 0. The jump comes where $\\sigma(z)$ first rounds to 1, a little "
    "before 17, the first whole-number logit past it.",
)
def bce_probability_vs_logits() -> Figure:
    fig = new_figure(WIDE)
    left, right = fig.subplots(1, 2)
    z = np.linspace(0, 30, 601, dtype=np.float32)
    t = np.zeros_like(z)
    p = sigmoid(z)
    from_p = losses.binary_cross_entropy(p, t, reduction="none")
    from_z = losses.binary_cross_entropy_with_logits(z, t, reduction="none")
    grad_p = gradients.binary_cross_entropy_grad(p, t, reduction="sum") * (p * (1 - p))
    grad_z = gradients.binary_cross_entropy_with_logits_grad(z, t, reduction="sum")
    for ax, a, b in ((left, from_p, from_z), (right, grad_p, grad_z)):
        ax.plot(z, b, color=COLORS["blue"], label="from the logit $z$")
        ax.plot(z, a, color=COLORS["vermillion"], linestyle="--", label="from $\\sigma(z)$")
        ax.set_xlabel("logit $z$ (label 0, float32)")
        ax.set_xlim(0, 30)
    left.set_ylabel("loss (nats)")
    left.set_ylim(0, 110)
    right.set_ylabel("gradient $\\partial L / \\partial z$")
    right.set_ylim(-0.05, 1.15)
    left.legend(loc="center right")
    return fig


@figure(
    "multilabel-sigmoid-vs-softmax",
    alt="Grouped bars for four tags of one photo: beach, dog, person and car; beach and person "
    "are present. Independent sigmoids of the logits give 0.88, 0.27, 0.38 and 0.05. A softmax "
    "of the same logits gives 0.88, 0.04, 0.07 and 0.01: the present tag person is pushed "
    "down to 0.07 because the softmax makes the tags share one unit of probability.",
    caption="The same four logits $(2, -1, -0.5, -3)$ read two ways. Independent sigmoids "
    "(multi-label) give each tag its own yes/no probability; a softmax (multi-class) makes the "
    "tags compete, so two tags cannot both be likely. The starred tags are present in the photo.",
)
def multilabel_sigmoid_vs_softmax() -> Figure:
    fig = new_figure()
    ax = fig.add_subplot()
    tags = ("beach", "dog", "person", "car")
    z = np.array([2.0, -1.0, -0.5, -3.0])
    present = np.array([True, False, True, False])
    x = np.arange(len(tags))
    width = 0.38
    sig, soft = sigmoid(z), softmax(z)
    ax.bar(x - width / 2, sig, width, color=COLORS["blue"], label="sigmoid of each logit")
    ax.bar(
        x + width / 2, soft, width, color=COLORS["orange"], hatch="//", label="softmax of all four"
    )
    for xi, a, b in zip(x, sig, soft, strict=True):
        ax.annotate(
            f"{a:.2f}",
            (xi - width / 2, a),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=10,
        )
        ax.annotate(
            f"{b:.2f}",
            (xi + width / 2, b),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=10,
        )
    ax.set_xticks(x, [f"{t} ★" if p else t for t, p in zip(tags, present, strict=True)])
    ax.grid(axis="x", visible=False)
    ax.set_ylabel("predicted probability")
    ax.set_ylim(0, 1.12)
    ax.legend(loc="upper right")
    return fig


@figure(
    "bce-vs-squared-error-logit",
    alt="Two panels against the logit z from -6 to 10, label 0. Left, the loss: cross-entropy "
    "starts near 0, passes 0.69 at z = 0 and then grows almost like the straight line z; "
    "squared error of the probability rises in an S from 0 to 1 and levels off there. Right, "
    "the gradient with respect to z: cross-entropy's gradient is the sigmoid, rising to 1 and "
    "staying there; squared error's gradient is a low hump just right of z = 0 that falls back "
    "towards 0 as the mistake grows more confident.",
    caption="A sample with label 0, as the logit $z$ grows more and more wrong. Left: "
    "cross-entropy grows without limit, almost like $z$ itself, while squared error "
    "$(\\sigma(z) - t)^2$ levels off at 1. Right: their gradients with respect to $z$. "
    "Cross-entropy's, the error $\\sigma(z) - t$, tends to a full push of 1; squared error's "
    "keeps the sigmoid's flat slope as a factor and fades towards 0: the most confident "
    "mistakes are the ones it corrects least.",
)
def bce_vs_squared_error_logit() -> Figure:
    fig = new_figure(WIDE)
    left, right = fig.subplots(1, 2)
    z = np.linspace(-6, 10, 641)
    t = np.zeros_like(z)
    s = sigmoid(z)
    ce = losses.binary_cross_entropy_with_logits(z, t, reduction="none")
    ce_grad = gradients.binary_cross_entropy_with_logits_grad(z, t, reduction="sum")
    se = (s - t) ** 2
    se_grad = 2 * (s - t) * gradients.sigmoid_derivative(z)  # chain rule through the sigmoid
    for ax, a, b in ((left, ce, se), (right, ce_grad, se_grad)):
        ax.plot(z, a, color=COLORS["blue"], label="cross-entropy")
        ax.plot(z, b, color=COLORS["vermillion"], linestyle="--", label="squared error")
        ax.set_xlabel("logit $z$ (label 0)")
        ax.set_xlim(-6, 10)
    left.set_ylabel("loss")
    left.set_ylim(0, 10)
    right.set_ylabel("gradient $\\partial L / \\partial z$")
    right.set_ylim(-0.05, 1.15)
    left.legend(loc="upper left")
    return fig
