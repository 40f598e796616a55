"""Figures of chapter 1, information theory; every curve is computed with :mod:`ce_book.info`."""

from __future__ import annotations

import matplotlib.patches
import numpy as np
from matplotlib.figure import Figure

from ce_book import info, kl_fit
from ce_book.figures import figure
from ce_book.figures.style import COLORS, WIDE, new_figure


def _coins(q: np.ndarray) -> np.ndarray:
    """Rows (q, 1 - q): one Bernoulli distribution per value of q."""
    return np.stack([q, 1 - q], axis=-1)


@figure(
    "surprisal-curve",
    alt="A decreasing curve of surprisal against probability, in bits and in nats. It is "
    "zero at probability 1 and grows without bound as the probability approaches 0; marked "
    "points show 1 bit at probability one half and 3 bits at one eighth.",
    caption="Surprisal $-\\log p$ of an event of probability $p$. Certain events carry no "
    "information; rare ones carry a lot. The two units differ only in scale: the bit curve is "
    "the nat curve multiplied by $1/\\log 2$.",
)
def surprisal_curve() -> Figure:
    fig = new_figure()
    ax = fig.add_subplot()
    p = np.linspace(0.005, 1, 400)
    ax.plot(p, info.surprisal(p, base=2), label="bits, $-\\log_2 p$")
    ax.plot(p, info.surprisal(p), label="nats, $-\\log p$", linestyle="--")
    marks = np.array([1 / 2, 1 / 8])
    ax.plot(marks, info.surprisal(marks, base=2), "o", color=COLORS["black"])
    for mark, text in zip(marks, ("1 bit at $p = 1/2$", "3 bits at $p = 1/8$"), strict=True):
        height = float(info.surprisal(mark, base=2))
        ax.annotate(text, (mark, height), xytext=(12, 6), textcoords="offset points")
    ax.set_xlabel("probability $p$ of the event")
    ax.set_ylabel("surprisal")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 8)
    ax.legend()
    return fig


@figure(
    "coin-entropy",
    alt="A symmetric arch of entropy in bits against the probability of heads. It is 0 for a "
    "coin that always or never lands heads and reaches its maximum of 1 bit for a fair coin; "
    "a marked point shows a coin with probability 0.9 of heads, below half a bit.",
    caption="Entropy of a coin that lands heads with probability $\\theta$, in bits. A fair coin "
    "is the hardest to predict (1 bit); a coin that always lands the same way has an outcome "
    "that tells us nothing.",
)
def coin_entropy() -> Figure:
    fig = new_figure()
    ax = fig.add_subplot()
    theta = np.linspace(0, 1, 401)
    ax.plot(theta, info.entropy(_coins(theta), base=2))
    biased = 0.9
    height = float(info.entropy([biased, 1 - biased], base=2))
    ax.plot([biased], [height], "o", color=COLORS["black"])
    ax.annotate(
        f"$\\theta = {biased}$", (biased, height), xytext=(-50, -4), textcoords="offset points"
    )
    ax.set_xlabel("probability of heads $\\theta$")
    ax.set_ylabel("entropy $H$ (bits)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.1)
    return fig


@figure(
    "ce-vs-kl",
    alt="Two U-shaped curves against the model's probability q, for a true coin with "
    "probability 0.3 of heads. The upper curve is cross-entropy, the lower is KL divergence; "
    "they are separated everywhere by the same gap, the entropy of the true coin, shown as a "
    "horizontal dotted line. Both curves are lowest at q = 0.3, where KL is zero.",
    caption="Cross-entropy $H(p, q)$ and KL divergence $D_{\\mathrm{KL}}(p \\,\\|\\, q)$ in bits, "
    "for a true coin that lands heads with probability 0.3 and a model coin that lands heads "
    "with probability $q$. The two curves differ by the constant $H(p)$, so they have the "
    "same minimiser, the true probability 0.3; only KL reaches zero there. Both are convex in "
    "$q$.",
)
def ce_vs_kl() -> Figure:
    fig = new_figure()
    ax = fig.add_subplot()
    p_true = 0.3
    q = np.linspace(0.01, 0.99, 393)
    p = _coins(np.full_like(q, p_true))
    entropy = float(info.entropy([p_true, 1 - p_true], base=2))
    ax.plot(q, info.cross_entropy(p, _coins(q), base=2), label="cross-entropy $H(p, q)$")
    ax.plot(
        q,
        info.kl_divergence(p, _coins(q), base=2),
        label=r"KL divergence $D_{\mathrm{KL}}(p \,\|\, q)$",
    )
    ax.axhline(entropy, color=COLORS["black"], linestyle=":", linewidth=1.2, label="$H(p)$")
    ax.axvline(p_true, color=COLORS["black"], linewidth=0.8)
    ax.set_xlabel("model probability of heads $q$ (true $p = 0.3$)")
    ax.set_ylabel("bits")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 4)
    ax.legend(loc="upper left", bbox_to_anchor=(0.34, 1.0))  # right of the line at q = 0.3
    return fig


@figure(
    "bins-p-q",
    alt="Two bar charts side by side. Left: the bins P and Q as probabilities of red, green "
    "and blue balls; P has 2, 3 and 4 ninths, Q has 4, 4 and 1 ninths. Right: the surprisal "
    "in bits of each colour under Q, largest for blue, which Q considers rare.",
    caption="The running example. Left: bin $P$ (the truth) and bin $Q$ (the model) as "
    "probabilities over the colours. Right: the surprisal $-\\log_2 q_k$ of each colour under "
    "$Q$. Cross-entropy averages these bars with the weights $p_k$; blue is common in $P$ but "
    "rare in $Q$, and it dominates the sum.",
)
def bins_p_q() -> Figure:
    fig = new_figure(WIDE)
    left, right = fig.subplots(1, 2)
    colours = ["red", "green", "blue"]
    p = np.array([2, 3, 4]) / 9
    q = np.array([4, 4, 1]) / 9
    x = np.arange(len(colours))
    width = 0.38
    left.bar(x - width / 2, p, width, label="$P$ (truth)", color=COLORS["blue"])
    left.bar(x + width / 2, q, width, label="$Q$ (model)", color=COLORS["orange"], hatch="//")
    left.set_ylabel("probability")
    left.set_ylim(0, 0.62)  # head room for the legend above the bars
    right.bar(x, info.surprisal(q, base=2), 0.5, color=COLORS["orange"], hatch="//")
    right.set_ylabel("surprisal under $Q$ (bits)")
    for ax in (left, right):
        ax.set_xticks(x, colours)
        ax.grid(axis="x", visible=False)
    left.legend(loc="upper left", ncols=2)
    return fig


@figure(
    "kl-forward-reverse",
    alt="A two-peaked target density, shaded grey, with a tall peak at x = -2 and a lower one "
    "at x = 2, and two single-Gaussian fits. The forward-KL fit, a dashed blue curve, is one "
    "wide bell centred at -0.4 that spans both peaks and puts much of its mass in the valley "
    "between them, where the target has little. The reverse-KL fit, a solid vermillion "
    "curve, is a narrow bell sitting on the tall peak at -2 and ignoring the other one.",
    caption="One Gaussian $q$ fitted to a two-peaked target $p$ (grey) in each direction. "
    "Minimising the forward divergence $D_{\\mathrm{KL}}(p \\,\\|\\, q)$, which is what "
    "cross-entropy training does, matches the mean and variance of $p$ and covers both peaks. "
    "Minimising the reverse divergence $D_{\\mathrm{KL}}(q \\,\\|\\, p)$ locks onto one peak "
    "(the taller; started on the other it settles there instead, a worse local minimum).",
)
def kl_forward_reverse() -> Figure:
    fig = new_figure()
    ax = fig.add_subplot()
    target = kl_fit.Mixture((0.6, 0.4), (-2.0, 2.0), (0.7, 0.7))
    x = np.linspace(-6, 6, 601)
    ax.fill_between(x, target.pdf(x), color="#BBBBBB", label="target $p$ (two peaks)")
    mu, sigma = kl_fit.fit_forward(target)
    forward = np.exp(kl_fit.gaussian_logpdf(x, mu, sigma))
    ax.plot(x, forward, color=COLORS["blue"], linestyle="--", label="forward fit, covers both")
    mu, sigma = kl_fit.fit_reverse(target)
    reverse = np.exp(kl_fit.gaussian_logpdf(x, mu, sigma))
    ax.plot(x, reverse, color=COLORS["vermillion"], label="reverse fit, seeks one peak")
    ax.set_xlabel("$x$")
    ax.set_ylabel("density")
    ax.set_xlim(-6, 6)
    ax.set_ylim(0, 0.62)
    ax.legend(loc="upper right")
    return fig


def _kraft_words(lengths: list[int]) -> list[str]:
    """Prefix-code words with the given lengths, handed out in order of increasing length,
    each the first bit string of its length that does not start with an earlier word."""
    words: list[str] = [""] * len(lengths)
    next_value, current = 0, 0  # the next free string, read as a number of `current` bits
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        next_value <<= lengths[i] - current
        current = lengths[i]
        words[i] = format(next_value, f"0{current}b")
        next_value += 1
    return words


@figure(
    "prefix-code-tree",
    alt="A binary tree, read from the top: each left branch is the bit 0, each right branch "
    "the bit 1. The Shannon code for Q puts red at 00 and green at 01, two levels down, and "
    "blue at 1000, four levels down; the grey branches 11, 101 and 1001 are unused. Below the "
    "tree a bar of sixteen cells, one per four-bit string, shows the share of all long bit "
    "strings that each word begins: red and green own four cells each, a quarter each, blue "
    "one cell, a sixteenth, and seven cells are left unused.",
    caption="The Shannon code for $Q$ as a tree: a word is the path from the top, 0 to the "
    "left and 1 to the right, and no word lies on the path to another, which is what *prefix* "
    "code means: no word is the beginning of another. A word of $l$ bits "
    "owns the share $2^{-l}$ of all long bit strings (the bar below): red and green a quarter "
    "each, blue a sixteenth. The shares cannot overlap, so they add up to at most 1 (Kraft's "
    "inequality); here they leave seven sixteenths unused.",
)
def prefix_code_tree() -> Figure:
    names, colours = ("red", "green", "blue"), ("vermillion", "green", "blue")
    q = np.array([4, 4, 1]) / 9
    lengths = [int(n) for n in np.ceil(info.surprisal(q, base=2) - 1e-12)]
    words = _kraft_words(lengths)
    depth = max(lengths)
    fig = new_figure(WIDE)
    ax = fig.add_subplot()

    def place(bits: str) -> tuple[float, float]:
        """A node sits above the middle of the strings it begins; deeper nodes lower."""
        width = 2.0 ** -len(bits)
        start = int(bits, 2) * width if bits else 0.0
        return start + width / 2, -len(bits)

    used = {w[:n] for w in words for n in range(len(w) + 1)}  # every node on a word's path
    grey = "#999999"
    for node in sorted(used, key=lambda s: (len(s), s)):
        if node in words:
            continue
        for bit in "01":
            child = node + bit
            on_path = child in used
            (x0, y0), (x1, y1) = place(node), place(child)
            ax.plot(
                [x0, x1],
                [y0, y1],
                color=COLORS["black"] if on_path else grey,
                linestyle="-" if on_path else ":",
                linewidth=1.5,
                zorder=1,
            )
            ax.annotate(
                bit,
                ((x0 + x1) / 2, (y0 + y1) / 2),
                xytext=(-9 if bit == "0" else 5, 0),
                textcoords="offset points",
                color=COLORS["black"] if on_path else grey,
                fontsize=10,
            )
            if not on_path:
                ax.text(x1, y1 - 0.25, child, ha="center", va="top", color=grey, fontsize=10)
    for node in sorted(used - set(words)):
        ax.plot(*place(node), "o", color=COLORS["black"], markersize=4, zorder=2)
    for word, name, colour in zip(words, names, colours, strict=True):
        x, y = place(word)
        ax.plot(x, y, "s", color=COLORS[colour], markersize=10, zorder=3)
        ax.text(x, y - 0.3, f"{name}\n{word}", ha="center", va="top", fontsize=10)
    cells = 2**depth
    bar = -depth - 1.6
    owner = ["unused"] * cells
    for word, colour in zip(words, colours, strict=True):
        first = int(word, 2) << (depth - len(word))
        for c in range(first, first + 2 ** (depth - len(word))):
            owner[c] = colour
    for c in range(cells):
        colour = "#DDDDDD" if owner[c] == "unused" else COLORS[owner[c]]
        ax.add_patch(
            matplotlib.patches.Rectangle(
                (c / cells, bar), 1 / cells, 0.5, facecolor=colour, edgecolor="white"
            )
        )
    for word in words:
        share = 2.0 ** -len(word)
        start = int(word, 2) * share
        ax.text(start + share / 2, bar - 0.15, f"$2^{{-{len(word)}}}$", ha="center", va="top")
    unused = sum(o == "unused" for o in owner) / cells
    ax.text(
        1 - unused / 2,
        bar - 0.15,
        f"unused: {sum(o == 'unused' for o in owner)}/16",
        ha="center",
        va="top",
        color="#555555",
    )
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(bar - 0.8, 0.4)
    ax.axis("off")
    return fig
