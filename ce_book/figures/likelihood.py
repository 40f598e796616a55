"""Figures of chapter 4, cross-entropy as maximum likelihood (from :mod:`ce_book.likelihood`)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ce_book import activations
from ce_book import likelihood as lk
from ce_book.figures import figure
from ce_book.figures.style import COLORS, new_figure


@figure(
    "likelihood-objectives",
    alt="Three stacked curves against the slope w of a logistic regression, sharing one "
    "horizontal axis. Top: the likelihood, a narrow bump of tiny values. Middle: the "
    "log-likelihood, an upside-down bowl. Bottom: the mean cross-entropy, a bowl. A dashed "
    "vertical line through all three marks the fitted slope, where the first two peak and "
    "the third bottoms out.",
    caption="Three objectives for the slope $w$ of a logistic regression on "
    "`synthetic_binary(40)`, with the intercept held at its fitted value $\\hat b$: the "
    "likelihood $\\mathcal{L}(w)$, the log-likelihood $\\ell(w) = \\log \\mathcal{L}(w)$, and "
    "the mean cross-entropy "
    "$\\bar H(w) = -\\ell(w)/N$. The log and the factor $-1/N$ are monotone, so all three are "
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

    fig = new_figure((6.0, 6.2))
    axes = fig.subplots(3, 1, sharex=True)
    rows = (
        (lik, "likelihood $\\mathcal{L}(w)$", "max", COLORS["green"]),
        (ll, "log-likelihood $\\ell(w)$\n(nats)", "max", COLORS["blue"]),
        (ce, "mean cross-entropy\n$\\bar H(w)$ (nats)", "min", COLORS["vermillion"]),
    )
    for ax, (values, label, kind, color) in zip(axes, rows, strict=True):
        ax.plot(ws, values, color=color)
        ax.axvline(w_hat, color=COLORS["black"], linestyle="--", linewidth=1.2)
        best = float(np.max(values) if kind == "max" else np.min(values))
        ax.plot([w_hat], [best], "o", color=COLORS["black"])
        ax.set_ylabel(label)
    axes[0].ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
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
    caption="The likelihood of the first $n$ samples of `synthetic_binary(3000)` under its "
    "best-fitting logistic regression, on a log scale. The product of probabilities computed "
    "in float64 (orange) follows the exact value (blue, the sum of logs) down to the "
    "smallest positive float64, $2^{-1074}$ (about $5 \\times 10^{-324}$), sits there while "
    "the exact value keeps falling, and a few samples later is exactly $0.0$ for good. The "
    "sum of logs has no such floor.",
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
    ax.plot(ns, exact, label="exact: sum of logs / ln 10", color=COLORS["blue"])
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
