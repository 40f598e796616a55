"""Figures of chapter 4, cross-entropy as maximum likelihood (from :mod:`ce_book.likelihood`)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ce_book import activations, info
from ce_book import likelihood as lk
from ce_book.figures import figure
from ce_book.figures.style import COLORS, new_figure


@figure(
    "likelihood-coin",
    alt="Two panels side by side, both against the probability of heads theta from 0 to 1, "
    "for ten coin flips with seven heads. Left: the likelihood, a single bump of small values "
    "that is zero at both ends and peaks at theta = 0.7. Right: the mean binary cross-entropy, "
    "a bowl that rises steeply towards both ends and is lowest at the same theta = 0.7. A "
    "dashed vertical line at 0.7 runs through both panels.",
    caption="The ten flips (seven heads) seen two ways. Left: the likelihood "
    "$\\mathcal{L}(\\theta)$, the probability of the observed sequence, peaks at the fraction "
    "of heads. Right: the mean binary cross-entropy between the flips and the prediction "
    "$\\theta$ is lowest at the same $\\hat\\theta$ (dashed), where it equals the entropy of "
    "the observed frequencies.",
)
def likelihood_coin() -> Figure:
    flips = np.array([1, 1, 0, 1, 1, 1, 0, 1, 0, 1])
    thetas = np.linspace(0.01, 0.99, 197)
    lik = np.array([lk.bernoulli_likelihood(np.full(flips.size, t), flips) for t in thetas])
    mean_ce = np.array(
        [-lk.bernoulli_log_likelihood(np.full(flips.size, t), flips) / flips.size for t in thetas]
    )
    theta_hat = float(flips.mean())
    fig = new_figure((7.0, 3.2))
    left, right = fig.subplots(1, 2)
    left.plot(thetas, lik * 1e3, color=COLORS["green"])
    left.set_ylabel("likelihood $\\mathcal{L}(\\theta)$ ($\\times 10^{-3}$)")
    left.set_ylim(0, 1.15e3 * float(np.max(lik)))
    right.plot(thetas, mean_ce, color=COLORS["vermillion"])
    right.set_ylabel("mean cross-entropy (nats)")
    right.set_ylim(0, 2.5)
    for ax in (left, right):
        ax.axvline(theta_hat, color=COLORS["black"], linestyle="--", linewidth=1.2)
        ax.set_xlabel("probability of heads $\\theta$")
        ax.set_xlim(0, 1)
    left.plot([theta_hat], [1e3 * float(np.max(lik))], "o", color=COLORS["black"])
    right.plot([theta_hat], [float(np.min(mean_ce))], "o", color=COLORS["black"])
    return fig


@figure(
    "likelihood-objectives",
    alt="Three stacked curves against the slope w of a logistic regression, sharing one "
    "horizontal axis. Top: the likelihood, a narrow bump of tiny values. Middle: the "
    "log-likelihood, an upside-down bowl. Bottom: the mean cross-entropy, a bowl. A dashed "
    "vertical line through all three marks the fitted slope, where the first two peak and "
    "the third bottoms out.",
    caption="Three objectives for the slope $w$ of a logistic regression on "
    "`synthetic_binary(40)`, with the intercept held at its fitted value $\\hat b$: the "
    "likelihood $\\mathcal{L}(w)$, its logarithm $\\ell(w)$, and the mean cross-entropy "
    "$\\bar H(w)$, which is $\\ell(w)$ times $-1/N$. The log and the factor $-1/N$ are "
    "monotone, so all three are "
    "optimised by the same $\\hat w$ (dashed line): the maximum-likelihood slope is the "
    "minimum-cross-entropy slope.",
)
def likelihood_objectives() -> Figure:
    x, y = lk.synthetic_binary(40)
    fit = lk.fit_logistic_max_likelihood(x, y)
    w_hat, b_hat = float(fit.w[0]), float(fit.b)
    ws = np.linspace(w_hat - 2.5, w_hat + 2.5, 201)
    ll = np.array([lk.logistic_log_likelihood(x, y, [w], b_hat) for w in ws])
    ce = np.array([lk.logistic_mean_cross_entropy(x, y, [w], b_hat) for w in ws])
    lik = np.array(
        [lk.bernoulli_likelihood(activations.sigmoid(x[:, 0] * w + b_hat), y) for w in ws]
    )

    scale = 10.0 ** int(np.floor(np.log10(float(np.max(lik)))))  # e.g. 1e-9
    lik = lik / scale
    fig = new_figure((6.0, 6.2))
    axes = fig.subplots(3, 1, sharex=True)
    rows = (
        (
            lik,
            f"likelihood $\\mathcal{{L}}(w)$\n($\\times 10^{{{int(np.log10(scale))}}}$)",
            "max",
            COLORS["green"],
        ),
        (ll, "log-likelihood $\\ell(w)$\n(nats)", "max", COLORS["blue"]),
        (ce, "mean cross-entropy\n$\\bar H(w)$ (nats)", "min", COLORS["vermillion"]),
    )
    for ax, (values, label, kind, color) in zip(axes, rows, strict=True):
        ax.plot(ws, values, color=color)
        ax.axvline(w_hat, color=COLORS["black"], linestyle="--", linewidth=1.2)
        best = float(np.max(values) if kind == "max" else np.min(values))
        ax.plot([w_hat], [best], "o", color=COLORS["black"])
        ax.set_ylabel(label)
    axes[0].set_ylim(0, 1.45 * float(np.max(lik)))  # headroom for the label above the peak
    axes[0].annotate(
        "$\\hat w$, the same for all three",
        (w_hat, float(np.max(lik))),
        xytext=(0.98, 0.9),
        textcoords="axes fraction",
        ha="right",
        arrowprops={"arrowstyle": "->", "color": COLORS["black"], "linewidth": 0.8},
    )
    axes[-1].set_xlabel("slope $w$")
    return fig


@figure(
    "likelihood-underflow",
    alt="Two lines of the base-10 logarithm of the likelihood against the number of samples, "
    "up to 3000. The exact value falls in a straight line to about minus 600. The value "
    "computed as a float64 product follows it down to about minus 323, the smallest float64 "
    "(a dashed horizontal line), and stops there: from about 1600 samples on, the product is "
    "exactly zero.",
    caption="The base-10 logarithm of the likelihood of the first $n$ samples of "
    "`synthetic_binary(3000)` under its best-fitting logistic regression. The product of "
    "probabilities computed in float64 (orange) follows the sum of logs (blue) down to the "
    "smallest positive float64, $2^{-1074}$ (about $5 \\times 10^{-324}$), and soon after "
    "becomes exactly $0.0$ and stays there. The sum of logs has no such floor.",
)
def likelihood_underflow() -> Figure:
    x, y = lk.synthetic_binary(3000)
    fit = lk.fit_logistic_max_likelihood(x, y)
    p = activations.sigmoid(x[:, 0] * fit.w[0] + fit.b)
    ns = np.arange(1, y.size + 1)
    exact = np.array([lk.bernoulli_log_likelihood(p[:n], y[:n]) for n in ns]) / np.log(10)
    product = np.array([lk.bernoulli_likelihood(p[:n], y[:n]) for n in ns])
    positive = product > 0
    first_zero = int(ns[~positive][0])

    fig = new_figure()
    ax = fig.add_subplot()
    ax.plot(ns, exact, label="exact (sum of logs, as $\\log_{10}$)", color=COLORS["blue"])
    ax.plot(
        ns[positive],
        np.log10(product[positive]),
        label="float64 product of probabilities",
        color=COLORS["orange"],
        linestyle="--",
    )
    ax.plot([first_zero], [np.log10(2.0**-1074)], "x", color=COLORS["vermillion"], ms=9)
    ax.annotate(
        f"product = 0.0 from n = {first_zero}",
        (first_zero, np.log10(2.0**-1074)),
        xytext=(8, 10),
        textcoords="offset points",
    )
    smallest = np.log10(2.0**-1074)
    ax.axhline(smallest, color=COLORS["black"], linewidth=1, linestyle=":")
    ax.annotate("smallest float64", (50, smallest), xytext=(0, 4), textcoords="offset points")
    ax.set_xlabel("number of samples $n$")
    ax.set_ylabel("$\\log_{10}$ likelihood")
    ax.set_xlim(0, y.size)
    ax.legend(loc="lower left")
    return fig


@figure(
    "likelihood-kl-decomposition",
    alt="A U-shaped curve of the mean cross-entropy of ten coin flips, seven of them heads, "
    "against the model's probability of heads theta, from 0.2 to 0.95. A dashed horizontal "
    "line at about 0.61 nats marks the entropy of the data, the floor; the curve touches it "
    "only at theta = 0.7. At theta = 0.5 a vertical bracket spans the gap between the floor "
    "and the curve, about 0.08 nats: the KL divergence from the data to the fair coin.",
    caption="The mean cross-entropy of the ten flips (seven heads) for every model $\\theta$ "
    "splits into two parts: the entropy of the data, $H(\\hat p)$ for the observed "
    "frequencies $\\hat p = (0.7, 0.3)$, the same for every model (dashed), and the KL divergence "
    "from the data to the model (the gap, shaded). "
    "Maximum likelihood closes the gap: the KL divergence is zero only at the fitted "
    "$\\hat\\theta$, the fraction of heads. The bracket shows it for the fair coin.",
)
def likelihood_kl_decomposition() -> Figure:
    flips = np.array([1, 1, 0, 1, 1, 1, 0, 1, 0, 1])
    thetas = np.linspace(0.2, 0.95, 151)
    mean_ce = np.array(
        [-lk.bernoulli_log_likelihood(np.full(flips.size, t), flips) / flips.size for t in thetas]
    )
    floor = float(info.entropy([0.7, 0.3]))
    fig = new_figure()
    ax = fig.add_subplot()
    ax.fill_between(thetas, floor, mean_ce, color=COLORS["sky"], alpha=0.35, linewidth=0)
    ax.plot(thetas, mean_ce, color=COLORS["blue"], label="mean cross-entropy")
    ax.axhline(floor, color=COLORS["black"], linestyle="--", linewidth=1.2)
    ax.annotate(
        "entropy of the data $H(\\hat p)$: the floor",
        (0.22, floor),
        xytext=(0, -16),
        textcoords="offset points",
    )
    half = float(-lk.bernoulli_log_likelihood(np.full(flips.size, 0.5), flips) / flips.size)
    ax.annotate(
        "",
        (0.5, floor),
        xytext=(0.5, half),
        arrowprops={"arrowstyle": "<->", "color": COLORS["vermillion"], "linewidth": 1.5},
    )
    ax.annotate(
        "$D_{\\mathrm{KL}}(\\hat p \\,\\|\\,$ fair coin$)$",
        (0.5, (floor + half) / 2),
        xytext=(-8, 0),
        textcoords="offset points",
        ha="right",
        va="center",
        color=COLORS["vermillion"],
    )
    ax.plot([0.7], [floor], "o", color=COLORS["black"])
    ax.annotate("$\\hat\\theta = 0.7$", (0.7, floor), xytext=(6, 8), textcoords="offset points")
    ax.set_xlabel("model's probability of heads $\\theta$")
    ax.set_ylabel("nats per flip")
    ax.set_xlim(0.2, 0.95)
    ax.set_ylim(0.5, 1.1)
    return fig
