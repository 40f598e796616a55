# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lab: information theory
#
# Companion to [chapter 1](../information.md). The chapter defines entropy, cross-entropy and
# KL divergence and proves their properties; this lab puts them to work on things the
# chapter only mentions:
#
# 1. a dataset's mean loss is an *estimate* of a cross-entropy, with an error that shrinks
#    like $1/\sqrt{n}$;
# 2. real codes: Huffman's optimal code, codes for blocks of symbols, and what a code built
#    for the wrong distribution really costs (sometimes less than the cross-entropy);
# 3. how the KL divergence grows near its minimum, and how often it breaks the triangle
#    inequality;
# 4. forward and reverse KL on a categorical distribution you can edit;
# 5. PyTorch's `cross_entropy` and `kl_div` compared with `ce_book.info`, traps included;
# 6. exercises that check your answers, with the book's solutions at the end.
#
# Every cell runs on `ce_book`; change the numbers and re-run. The functions take the true
# distribution $p$ first, and `base=2` for bits or nothing for nats.

# %%
import heapq
import itertools

import matplotlib
import numpy as np
from scipy.optimize import brentq, minimize

from ce_book import info
from ce_book.exercises import check, solution
from ce_book.figures.style import COLORS, RC, new_figure, show

matplotlib.rcParams.update(RC)  # the book's figure style: readable fonts, colour-blind-safe colours

P = np.array([2, 3, 4]) / 9  # the bins of the chapter: red, green, blue
Q = np.array([4, 4, 1]) / 9
H_P = float(info.entropy(P, base=2))
H_PQ = float(info.cross_entropy(P, Q, base=2))

# %% [markdown]
# ## 1. A mean loss is an estimate of a cross-entropy
#
# Training never sees the true distribution $P$, only samples from it. The mean surprisal
# under $Q$ of $n$ balls drawn from $P$ is an average of $n$ independent numbers whose
# expectation is $H(P, Q)$, so by the law of large numbers it settles on the cross-entropy.
# This is exactly what a dataset's mean cross-entropy loss is: a sample estimate.

# %%
rng = np.random.default_rng(seed=0)
draws = rng.choice(3, size=100_000, p=P)
surprisal = info.surprisal(Q[draws], base=2)
running_mean = np.cumsum(surprisal) / np.arange(1, len(draws) + 1)
for n in (10, 100, 1_000, 10_000, 100_000):
    print(f"n = {n:>7,}: mean surprisal {running_mean[n - 1]:.4f} bits   (H(P, Q) = {H_PQ:.4f})")

fig = new_figure()
ax = fig.add_subplot()
n = np.arange(1, len(draws) + 1)
ax.semilogx(n, running_mean, color=COLORS["blue"], label="mean surprisal of the first $n$ balls")
ax.axhline(H_PQ, color=COLORS["black"], linestyle=":", label="$H(P, Q)$")
ax.set_xlabel("number of balls $n$")
ax.set_ylabel("bits per ball")
ax.set_ylim(1, 3.5)
ax.legend(loc="upper right")
show(
    fig,
    "A jagged line of the running mean surprisal, in bits, against the number of balls drawn "
    "on a logarithmic axis from 1 to 100,000. It swings widely over the first hundred balls and "
    f"then settles onto a dotted horizontal line at H(P, Q), about {H_PQ:.2f} bits.",
)

# %% [markdown]
# How far off is the estimate from $n$ balls? Each ball's surprisal has a standard deviation
# $s$ (computed exactly below from $P$ and $Q$), so the mean of $n$ of them has a standard
# error of $s / \sqrt{n}$. Repeating the experiment 2,000 times at each $n$ shows it: a
# hundred times more data buys ten times more precision.

# %%
values = info.surprisal(Q, base=2)  # the surprisal of each colour under Q
s = float(np.sqrt(np.dot(P, (values - H_PQ) ** 2)))
rng = np.random.default_rng(seed=1)
for n in (10, 100, 1_000, 10_000):
    estimates = values[rng.choice(3, size=(2_000, n), p=P)].mean(axis=1)
    print(
        f"n = {n:>6,}: spread of 2,000 estimates {estimates.std():.4f} bits, "
        f"predicted s / sqrt(n) = {s / np.sqrt(n):.4f}"
    )

# %% [markdown]
# Try it: change the random seed, or draw from $Q$ instead of $P$. Which number does the mean
# settle on then?

# %% [markdown]
# ## 2. Real codes
#
# ### Huffman's code, and blocks of symbols
#
# Huffman's algorithm builds the best prefix code for known probabilities: repeatedly merge
# the two least likely entries. The function below returns the length of each code word;
# `shannon_lengths` rounds each surprisal up, as in the chapter.


# %%
def huffman_lengths(probs) -> np.ndarray:
    """Code-word lengths of a Huffman code for the probabilities ``probs``."""
    heap = [(float(p), i, [i]) for i, p in enumerate(probs)]
    heapq.heapify(heap)
    lengths = np.zeros(len(heap), dtype=int)
    counter = len(heap)  # breaks ties between equal probabilities, in a fixed order
    while len(heap) > 1:
        p1, _, a = heapq.heappop(heap)
        p2, _, b = heapq.heappop(heap)
        lengths[a + b] += 1  # every symbol in the merged group gets one more bit
        heapq.heappush(heap, (p1 + p2, counter, a + b))
        counter += 1
    return lengths


def shannon_lengths(probs) -> np.ndarray:
    """Each surprisal in bits rounded up (the small slack absorbs rounding in log2)."""
    return np.ceil(info.surprisal(np.asarray(probs), base=2) - 1e-12).astype(int)


for name, dist in (("P", P), ("Q", Q)):
    h = float(info.entropy(dist, base=2))
    sh, hu = shannon_lengths(dist), huffman_lengths(dist)
    print(
        f"{name}: entropy {h:.3f} bits; Shannon lengths {sh} -> {np.dot(dist, sh):.3f} bits; "
        f"Huffman lengths {hu} -> {np.dot(dist, hu):.3f} bits"
    )

# %% [markdown]
# The two rows print the same costs, but that is a coincidence of the bins, not a bug: on its
# own distribution, each Shannon code costs 20/9 bits and each Huffman code 14/9.
#
# Huffman's lengths for $Q$ are 2, 1, 2: red and green tie under $Q$ (4 balls each), and this
# implementation gives green the one-bit word, where the chapter's code 0, 10, 11 gives it to
# red. Both cost the same on balls from $Q$; on balls from $P$, where green is the commoner of
# the two, they differ: this one costs $15/9$ bits per ball, the chapter's $16/9$ (the next
# cells use this one).
#
# Neither code reaches the entropy, because a single ball cannot use a fraction of a bit.
# Code *blocks* of balls instead: a block of $n$ independent balls has $3^n$ outcomes, the
# entropy of a block is $n$ times that of a ball, and the best code for blocks, divided by
# $n$, comes within $1/n$ bit of the entropy per ball.


# %%
def blocks(dist, n: int) -> np.ndarray:
    """The probabilities of all 3^n blocks of n independent draws from ``dist``."""
    return np.array([np.prod(c) for c in itertools.product(dist, repeat=n)])


for n in range(1, 7):
    p_blocks = blocks(P, n)
    per_ball = np.dot(p_blocks, huffman_lengths(p_blocks)) / n
    print(f"blocks of {n}: {per_ball:.4f} bits per ball   (entropy {H_P:.4f})")

# %% [markdown]
# The cost per ball falls towards the entropy, but not at every step: from blocks of 5 to
# blocks of 6 it rises a little. The guarantee is a ceiling, less than $1/n$ bit above the
# entropy, not a steady decrease; how close each block length comes depends on how well its
# probabilities round to whole bits.

# %% [markdown]
# ### A code built for the wrong distribution
#
# Now build the codes for $Q$ and use them on balls from $P$. The chapter says what to
# expect from a Shannon code: at least $H(P, Q)$ bits per ball, and less than $1/n$ bit more
# for blocks of $n$. Huffman's code for $Q$ promises nothing of the kind on $P$. It is not
# even unique: blocks of the same make-up have the same probability under $Q$, and which of
# them gets the shorter word depends on how the merges break ties. The cell builds two
# Huffman codes for $Q$, one with the ties broken in the order above and one in the reverse
# order (for single balls, the second is the chapter's code 0, 10, 11); both are optimal
# for $Q$.

# %%
sizes = np.arange(1, 8)
shannon_cost, huffman_cost, reversed_cost = [], [], []
for n in sizes:
    p_blocks, q_blocks = blocks(P, n), blocks(Q, n)
    shannon_cost.append(np.dot(p_blocks, shannon_lengths(q_blocks)) / n)
    huffman_cost.append(np.dot(p_blocks, huffman_lengths(q_blocks)) / n)
    # the same algorithm on the blocks listed backwards: ties are broken the other way round
    reversed_cost.append(np.dot(p_blocks, huffman_lengths(q_blocks[::-1])[::-1]) / n)
    print(
        f"blocks of {n}: Shannon code for Q {shannon_cost[-1]:.4f}, Huffman codes for Q "
        f"{huffman_cost[-1]:.4f} and {reversed_cost[-1]:.4f} bits per ball from P"
    )
print(f"H(P, Q) = {H_PQ:.4f} bits, H(P) = {H_P:.4f} bits")
# the Shannon code stays within the chapter's bounds at every block length, and no code beats
# the entropy; these are the only guarantees, and if an edit breaks one, these lines say so
assert all(H_PQ <= c < H_PQ + 1 / n for c, n in zip(shannon_cost, sizes, strict=True))
assert all(H_P <= c for c in huffman_cost + reversed_cost)

fig = new_figure()
ax = fig.add_subplot()
ax.plot(sizes, shannon_cost, "o-", color=COLORS["blue"], label="Shannon code for $Q$")
ax.plot(
    sizes, huffman_cost, "s--", color=COLORS["vermillion"], label="Huffman for $Q$, ties one way"
)
ax.plot(
    sizes, reversed_cost, "^:", color=COLORS["orange"], label="Huffman for $Q$, ties the other way"
)
ax.plot(sizes, H_PQ + 1 / sizes, color=COLORS["green"], linestyle="-.", label="$H(P, Q) + 1/n$")
ax.axhline(H_PQ, color=COLORS["black"], linestyle=":", label="$H(P, Q)$")
ax.axhline(H_P, color=COLORS["black"], linestyle="--", linewidth=1, label="$H(P)$")
ax.set_xlabel("block length $n$ (balls per code word)")
ax.set_ylabel("bits per ball from $P$")
ax.set_ylim(1.4, 3.2)
ax.legend(loc="upper right", ncols=2, fontsize="small")
show(
    fig,
    "Bits per ball, on balls from P, of three codes built for Q, against the block length from "
    "1 to 7. The Shannon code (blue circles) stays between the dotted line at H(P, Q), about "
    f"{H_PQ:.2f} bits, and a falling green dash-dotted curve H(P, Q) + 1/n, so it closes in "
    "on H(P, Q). "
    "The two Huffman codes for Q (vermillion squares, orange triangles) differ only in how ties "
    "are broken; they cost different amounts, wander up and down with the block length, and "
    "stay above the dashed line at the entropy H(P), about "
    f"{H_P:.2f} bits.",
)

# %% [markdown]
# The Shannon code obeys the chapter's bounds. A Huffman code for $Q$ has no guarantee on
# $P$: here it mostly lands below $H(P, Q)$, but the two tie-breaks give different costs, and
# at blocks of 6 the second one lands just above $H(P, Q)$. So cross-entropy is the cost of
# the *ideal* code for $Q$, not a floor or a ceiling for every code built for $Q$; the only
# floor is the entropy $H(P)$, which no prefix code beats on balls from $P$, however it was
# built.

# %% [markdown]
# ## 3. The KL divergence near its minimum, and the triangle inequality
#
# Gibbs' inequality says that the KL divergence is never negative and zero only at $q = p$.
# How fast does it grow as $q$ leaves $p$? Chapter exercise 4 proves that for a small shift
# $\delta$ (entries summing to 0) it is about half the sum of the $\delta_k^2 / p_k$. The cell
# draws random distributions $p$ on five outcomes, moves each by a random shift of random
# size, and plots the exact divergence against that quadratic estimate.

# %%
rng = np.random.default_rng(seed=1)
p = rng.dirichlet(np.ones(5), size=2_000)
direction = rng.normal(size=(2_000, 5))
direction -= direction.mean(axis=1, keepdims=True)  # the shift must sum to 0
# scale each shift so that its largest relative change |delta_k| / p_k is between 0.001 and 0.9
relative = 10 ** rng.uniform(-3, np.log10(0.9), size=2_000)
delta = direction * (relative / np.abs(direction / p).max(axis=1))[:, None]
kl = info.kl_divergence(p, p + delta)
estimate = 0.5 * np.sum(delta**2 / p, axis=1)
print(f"negative divergences found: {int((kl < 0).sum())} of {len(kl)}")
for top in (0.9, 0.3, 0.1, 0.03):
    near = relative <= top
    ratio = kl[near] / estimate[near]
    print(
        f"largest relative change at most {top:>4}: exact / estimate between "
        f"{ratio.min():.3f} and {ratio.max():.3f}"
    )

fig = new_figure()
ax = fig.add_subplot()
ax.loglog(estimate, kl, ".", markersize=3, color=COLORS["blue"], label="random pairs")
line = np.array([estimate.min(), estimate.max()])
ax.loglog(line, line, color=COLORS["black"], linestyle=":", label="exact = estimate")
ax.set_xlabel(r"quadratic estimate $\frac{1}{2}\sum_k \delta_k^2 / p_k$ (nats)")
ax.set_ylabel(r"$D(p \,\|\, p + \delta)$ (nats)")
ax.legend(loc="upper left")
show(
    fig,
    "A cloud of points, the exact KL divergence against its quadratic estimate, both on "
    "logarithmic axes. The points lie along the dotted diagonal, tightly for small shifts, "
    "and spread a little above and below it for the largest ones.",
)

# %% [markdown]
# The points hug the diagonal, and the printed ratios close in on 1 as the shifts shrink:
# the divergence is flat at its minimum and curves up like a square, so halving a shift
# divides its cost by about four. What counts as small is the change *relative* to $p_k$: a
# shift of 0.01 is small next to a probability of 0.5 and huge next to one of 0.001, where
# the logarithm is far from its quadratic approximation.
#
# The triangle inequality, $D(a \,\|\, c)$ at most $D(a \,\|\, b) + D(b \,\|\, c)$, fails for
# a related reason: the cost of a step grows faster than the step, like a square for small
# steps and much faster near zero probabilities, where the logarithm blows up. Random triples
# break it often, and the worst ones are of the second kind: look at the tiny entry of $c$.

# %%
a, b, c = (rng.dirichlet(np.ones(3), size=5000) for _ in range(3))
direct = info.kl_divergence(a, c)
detour = info.kl_divergence(a, b) + info.kl_divergence(b, c)
worst = int(np.argmax(direct - detour))
print(f"{int((direct > detour).sum())} of 5000 triples violate it")
print(f"worst: direct {direct[worst]:.3f} nats, via b only {detour[worst]:.3f} nats")
print("a =", a[worst].round(3), " b =", b[worst].round(3), " c =", c[worst].round(3))

# %% [markdown]
# ## 4. Forward and reverse KL on a categorical distribution
#
# The chapter fits one Gaussian to two peaks. Here the same contest runs on 21 ordered
# categories: the target has two bumps, and the model is a "discretised bell", a softmax of
# $-(k - \mu)^2 / (2 s^2)$ over the categories $k$, with two parameters, $\mu$ and $s$.
# Edit the target.

# %%
k = np.arange(21)
target = np.exp(-((k - 5) ** 2) / 4) + 0.6 * np.exp(-((k - 15) ** 2) / 4)  # <- edit me
target /= target.sum()


def bell(params) -> np.ndarray:
    mu, log_s = params
    logits = -((k - mu) ** 2) / (2 * np.exp(2 * log_s))
    e = np.exp(logits - logits.max())
    return e / e.sum()


def fit(direction: str, start) -> np.ndarray:
    def loss(params):
        q = np.clip(bell(params), 1e-300, None)  # keep log q finite far from the bell
        if direction == "forward":
            return float(info.kl_divergence(target, q / q.sum()))
        return float(info.kl_divergence(q / q.sum(), target))

    return minimize(loss, start, method="Nelder-Mead", options={"xatol": 1e-8}).x


forward = bell(fit("forward", [10.0, 1.5]))
reverse = min(
    (bell(fit("reverse", [m, 0.5])) for m in (5.0, 15.0)),
    key=lambda q: float(info.kl_divergence(q, target)),
)
fig = new_figure()
ax = fig.add_subplot()
ax.bar(k, target, color="#BBBBBB", label="target $p$")
ax.plot(k, forward, "o--", color=COLORS["blue"], label="forward fit")
ax.plot(k, reverse, "s-", color=COLORS["vermillion"], label="reverse fit")
ax.set_xlabel("category $k$")
ax.set_ylabel("probability")
ax.legend(loc="upper right")
show(
    fig,
    "Grey bars of a two-bumped target over 21 categories, with bumps at 5 and 15. The forward "
    "fit, blue circles on a dashed line, is one wide bell spanning both bumps; the reverse fit, "
    "vermillion squares, is a narrow bell on the taller bump at 5.",
)
for name, q in (("forward fit", forward), ("reverse fit", reverse)):
    print(
        f"{name}: D(p || q) = {info.kl_divergence(target, q):.3f} nats, "
        f"D(q || p) = {info.kl_divergence(q, target):.3f} nats"
    )

# %% [markdown]
# Try it: make the two bumps equal in height. The reverse fit then has two equally good
# answers; which one the optimiser finds depends only on where it starts.
#
# The chapter proves that the forward fit of a Gaussian density matches the target's mean
# and variance. Does it here, where the model lives on 21 categories? The cell compares them,
# and the fitted parameters $\mu$ and $s$.

# %%
forward_params = fit("forward", [10.0, 1.5])
for name, dist in (("target", target), ("forward fit", forward)):
    mean = float(np.dot(k, dist))
    sd = float(np.sqrt(np.dot((k - mean) ** 2, dist)))
    print(f"{name:>12}: mean {mean:.3f}, standard deviation {sd:.3f}")
print(f"fitted mu = {forward_params[0]:.3f}, s = {np.exp(forward_params[1]):.3f}")

# %% [markdown]
# The mean and the standard deviation match to every printed digit, yet $\mu$ and $s$
# differ noticeably from them. The bell is a softmax of a quadratic in $k$, so its log is
# $a k + b k^2$ minus a normaliser, and for any model of that form the slopes of the forward
# divergence vanish exactly when the model's averages of $k$ and $k^2$ equal the target's: the
# moments match, as in the chapter. The parameters are another matter. This bell is so wide that the
# ends of the 21 categories cut off its tails, so its $s$ must be larger than the standard
# deviation it ends with; and since the cut-offs pull its mean towards the middle category,
# 10, its $\mu$ must sit further from the middle than the mean it ends with.

# %% [markdown]
# ## 5. PyTorch
#
# PyTorch computes the same quantities in nats. `F.cross_entropy` with a probability target
# is $H(p, q)$ with $q$ the softmax of the logits; `F.kl_div(input, target)` wants the
# model's **log**-probabilities first and the true distribution second. Its default
# reduction divides by the number of entries, and `batchmean` divides by the length of the
# first axis, whatever that axis means. The cell runs only where PyTorch is installed.

# %%
try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None
    print("PyTorch is not installed here: this section is skipped.")

if torch is not None:
    import warnings

    p_t = torch.tensor(P[None, :])  # one row: a batch of one distribution
    q_t = torch.tensor(Q[None, :])
    logits = torch.log(q_t)  # any logits whose softmax is Q
    kl_nats = float(info.kl_divergence(P, Q))
    rows = {
        "cross-entropy, ce_book": float(info.cross_entropy(P, Q)),
        "F.cross_entropy(logits, P)": F.cross_entropy(logits, p_t).item(),
        "D(P || Q), ce_book": kl_nats,
        'kl_div(log Q, P, "batchmean")': F.kl_div(q_t.log(), p_t, reduction="batchmean").item(),
        'kl_div(log P, Q, "batchmean")': F.kl_div(p_t.log(), q_t, reduction="batchmean").item(),
        'kl_div(log Q, P, "batchmean"), 1-D': F.kl_div(
            q_t[0].log(), p_t[0], reduction="batchmean"
        ).item(),
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows['kl_div(log Q, P), default "mean"'] = F.kl_div(q_t.log(), p_t).item()
    for name, value in rows.items():
        print(f"{name:>36}: {value:.6f} nats")
    for warning in caught:
        print("PyTorch warns:", str(warning.message)[:90], "...")
    assert abs(rows["F.cross_entropy(logits, P)"] - rows["cross-entropy, ce_book"]) < 1e-12
    assert abs(rows['kl_div(log Q, P, "batchmean")'] - kl_nats) < 1e-12
    assert abs(rows['kl_div(log Q, P, "batchmean"), 1-D'] - kl_nats / 3) < 1e-12
    assert abs(rows['kl_div(log Q, P), default "mean"'] - kl_nats / 3) < 1e-12

# %% [markdown]
# Swapping the arguments gives the other divergence, $D(Q \,\|\, P)$, without any error; the
# one-dimensional tensor and the default reduction both divide by the 3 colours. Only the
# row with the model's log-probabilities first, a batch axis and `batchmean` is
# $D(P \,\|\, Q)$.

# %% [markdown]
# ## 6. Exercises that check your answers
#
# Replace each `None` with your answer and run the cell: it says whether the answer passes,
# and gives a hint if not. The book's own solutions are at the end of the lab, checked by
# the same tests.
#
# **Exercise 1.** Give a distribution over four outcomes whose entropy is exactly 1.5 bits
# (an outcome may have probability 0).


# %%
def accept_1(answer) -> bool:
    q = np.asarray(answer, dtype=float)
    return (
        q.shape == (4,)
        and bool((q >= 0).all())
        and abs(q.sum() - 1) < 1e-9
        and abs(float(info.entropy(q, base=2)) - 1.5) < 1e-9
    )


answer_1 = None  # <- four probabilities
passed_1 = check(
    answer_1, accept_1, hint="four probabilities that sum to 1; try halves and quarters"
)

# %% [markdown]
# **Exercise 2.** Make $Q$ give blue the probability 0.01 and share the rest equally between
# red and green. How many bits does the blue term of $H(P, Q)$ contribute now? (It was about
# 1.41 bits with the chapter's $Q$.)


# %%
def accept_2(answer) -> bool:
    return abs(float(answer) - 4 / 9 * float(info.surprisal(0.01, base=2))) < 1e-3


answer_2 = None  # <- a number of bits
passed_2 = check(answer_2, accept_2, hint="the blue term is P(blue) times the surprisal of 0.01")

# %% [markdown]
# **Exercise 3.** For the spam example of the chapter (the table below), compute the mutual
# information of the feature and the label as $H(Y) - H(Y \mid X)$, in bits.

# %%
joint = np.array([[0.30, 0.05], [0.10, 0.55]])  # rows: "free" or not; columns: spam or not


def accept_3(answer) -> bool:
    return abs(float(answer) - float(info.mutual_information(joint, base=2))) < 1e-3


answer_3 = None  # <- a number of bits
passed_3 = check(
    answer_3,
    accept_3,
    hint="H(Y) from the column sums; H(Y | X) is each row's entropy, weighted by the row's sum",
)

# %% [markdown]
# **Exercise 4.** Move an amount $\delta$ of probability from blue to green: the model is
# $q = P + (0, \delta, -\delta)$. What is the largest $\delta$ for which the cross-entropy
# $H(P, q)$ stays within 0.01 bit of the entropy $H(P)$? Give it to three decimals. What does
# that say about how sharply the loss singles out the truth?


# %%
def excess_4(delta: float) -> float:
    """H(P, q) - H(P) in bits, for delta moved from blue to green."""
    return float(info.cross_entropy(P, P + np.array([0.0, delta, -delta]), base=2)) - H_P


def accept_4(answer) -> bool:
    largest = brentq(lambda d: excess_4(d) - 0.01, 1e-9, P[2] - 1e-9)
    return abs(float(answer) - largest) < 0.0005


answer_4 = None  # <- a number: the largest delta
passed_4 = check(
    answer_4,
    accept_4,
    hint="try a few values of delta with excess_4(delta); the excess grows like delta squared",
)

# %% [markdown]
# **Exercise 5.** Give whole-number code-word lengths for red, green and blue that a prefix
# code can have (Kraft's inequality, from the chapter: the sum of $2^{-l_k}$ is at most 1)
# and whose mean length on balls from $P$ is below the cross-entropy $H(P, Q)$. Can you also
# get below the entropy $H(P)$?


# %%
def accept_5(answer) -> bool:
    lengths = np.asarray(answer)
    return (
        lengths.shape == (3,)
        and np.issubdtype(lengths.dtype, np.integer)
        and bool((lengths >= 1).all())
        and float(np.sum(2.0**-lengths)) <= 1
        and float(np.dot(P, lengths)) < H_PQ
    )


answer_5 = None  # <- three whole numbers
passed_5 = check(
    answer_5,
    accept_5,
    hint="find lengths whose implied distribution 2^(-l) is closer to P than Q is",
)

# %% [markdown]
# ## Solutions
#
# Each cell runs the book's solution through the test of its exercise; the lab would fail
# to build if a solution did not pass.
#
# **1.** Halves and quarters have whole-number surprisals: $(1/2, 1/4, 1/4, 0)$ has
# $\tfrac12 \cdot 1 + \tfrac14 \cdot 2 + \tfrac14 \cdot 2$ bits (the empty outcome adds
# nothing). With an eighth the surprisals are still whole numbers, but the total changes:
# $(1/2, 1/4, 1/8, 1/8)$ has 1.75 bits.

# %%
solution([0.5, 0.25, 0.25, 0.0], accept_1)
print("entropy of (1/2, 1/4, 1/8, 1/8):", float(info.entropy([0.5, 0.25, 0.125, 0.125], base=2)))

# %% [markdown]
# **2.** The blue term is $\tfrac49 \log_2 100$: the weight of blue under $P$ times its new
# surprisal. Only the blue entries of $P$ and $Q$ matter: how $Q$ splits the rest between red
# and green changes the other terms, not this one. Making the model more confident that blue
# is rare makes every blue ball more expensive.

# %%
blue_term = 4 / 9 * np.log2(100)
solution(blue_term, accept_2)
print(f"blue term: {blue_term:.3f} bits")

# %% [markdown]
# **3.** Sum the table's columns for $p(y)$ and its rows for $p(x)$; the conditional
# entropy weights each row's entropy by the row's total.

# %%
p_x, p_y = joint.sum(axis=1), joint.sum(axis=0)
h_y = float(info.entropy(p_y, base=2))
h_y_given_x = sum(p_x[i] * float(info.entropy(joint[i] / p_x[i], base=2)) for i in range(2))
solution(h_y - h_y_given_x, accept_3)
print(f"H(Y) = {h_y:.3f}, H(Y | X) = {h_y_given_x:.3f}, I(X; Y) = {h_y - h_y_given_x:.3f} bits")

# %% [markdown]
# **4.** About 0.052: five percentage points of probability moved from blue to green cost
# only a hundredth of a bit. Near the truth the excess, which is the KL divergence, grows only
# with the *square* of the change, about $\tfrac12 \delta^2 (1/p_\text{green} +
# 1/p_\text{blue})$ nats, so halving $\delta$ divides it by about four, as the cell shows. The
# loss is flat around its minimum: a small difference in loss can hide a visible difference
# in the probabilities.

# %%
delta_4 = brentq(lambda d: excess_4(d) - 0.01, 1e-9, P[2] - 1e-9)
solution(round(delta_4, 3), accept_4)
for d in (delta_4, delta_4 / 2, delta_4 / 4):
    print(f"delta = {d:.4f}: H(P, q) - H(P) = {excess_4(d):.5f} bits")
print(f"halving delta divides the excess by {excess_4(delta_4) / excess_4(delta_4 / 2):.2f}")

# %% [markdown]
# **5.** The lengths 2, 1, 2 (Huffman's code for $Q$ with green as the short word; red as the
# short word works too) cost less than $H(P, Q)$ on balls from $P$. No lengths that satisfy
# Kraft's inequality can get below $H(P)$: that is the entropy's floor. The cell checks it for
# every choice of lengths from 1 to 8.

# %%
solution(np.array([2, 1, 2]), accept_5)
prefix_codes = [
    np.array(lengths)
    for lengths in itertools.product(range(1, 9), repeat=3)
    if sum(2.0 ** -np.array(lengths)) <= 1
]
cheapest = min(float(np.dot(P, lengths)) for lengths in prefix_codes)
print(f"cheapest prefix code on P: {cheapest:.3f} bits per ball; H(P) = {H_P:.3f}")
assert cheapest >= H_P
