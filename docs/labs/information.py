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
# KL divergence and states their properties; this lab puts them to work on things the
# chapter only mentions:
#
# 1. a dataset's mean loss is an *estimate* of a cross-entropy, and how fast it settles;
# 2. real codes: Huffman's optimal code, and how coding blocks of symbols approaches the
#    entropy;
# 3. searching at random for a violation of Gibbs' inequality and of the triangle inequality;
# 4. forward and reverse KL on a categorical distribution you can edit;
# 5. PyTorch's `cross_entropy` and `kl_div` compared with `ce_book.info`;
# 6. exercises that check themselves.
#
# Every cell runs on `ce_book`; change the numbers and re-run. The functions take the true
# distribution $p$ first, and `base=2` for bits or nothing for nats.

# %%
import heapq
import itertools

import matplotlib
import numpy as np
from scipy.optimize import minimize

from ce_book import info
from ce_book.figures.style import COLORS, RC, new_figure, show

matplotlib.rcParams.update(RC)  # the book's figure style: readable fonts, colour-blind-safe colours



P = np.array([2, 3, 4]) / 9  # the bins of the chapter: red, green, blue
Q = np.array([4, 4, 1]) / 9

# %% [markdown]
# ## 1. A mean loss is an estimate of a cross-entropy
#
# Training never sees the true distribution $P$, only samples from it. The mean surprisal
# under $Q$ of $n$ balls drawn from $P$ is an average of independent numbers whose
# expectation is $H(P, Q)$, so by the law of large numbers it settles on the cross-entropy,
# with an error that shrinks like $1/\sqrt{n}$. This is exactly what a dataset's mean
# cross-entropy loss is: a sample estimate.

# %%
rng = np.random.default_rng(seed=0)
draws = rng.choice(3, size=100_000, p=P)
surprisal = info.surprisal(Q[draws], base=2)
running_mean = np.cumsum(surprisal) / np.arange(1, len(draws) + 1)
target = float(info.cross_entropy(P, Q, base=2))
for n in (10, 100, 1_000, 10_000, 100_000):
    print(f"n = {n:>7,}: mean surprisal {running_mean[n - 1]:.4f} bits   (H(P, Q) = {target:.4f})")

fig = new_figure()
ax = fig.add_subplot()
n = np.arange(1, len(draws) + 1)
ax.semilogx(n, running_mean, color=COLORS["blue"], label="mean surprisal of the first $n$ balls")
ax.axhline(target, color=COLORS["black"], linestyle=":", label="$H(P, Q)$")
ax.set_xlabel("number of balls $n$")
ax.set_ylabel("bits per ball")
ax.set_ylim(1, 3.5)
ax.legend(loc="upper right")
show(
    fig,
    "A jagged line of the running mean surprisal, in bits, against the number of balls drawn "
    "on a logarithmic axis from 1 to 100,000. It swings widely over the first hundred balls and "
    f"then settles onto a dotted horizontal line at H(P, Q), about {target:.2f} bits.",
)

# %% [markdown]
# Try it: change the random seed, or draw from $Q$ instead of $P$. Which number does the mean settle
# on then?

# %% [markdown]
# ## 2. Real codes: Huffman, and blocks of symbols
#
# Huffman's algorithm builds the best prefix code for known probabilities: repeatedly merge
# the two least likely entries. The function below returns the length of each code word.


# %%
def huffman_lengths(probs) -> list[int]:
    """Code-word lengths of a Huffman code for the probabilities ``probs``."""
    heap = [(float(p), i, [i]) for i, p in enumerate(probs)]
    heapq.heapify(heap)
    lengths = [0] * len(heap)
    counter = len(heap)
    while len(heap) > 1:
        p1, _, a = heapq.heappop(heap)
        p2, _, b = heapq.heappop(heap)
        for i in a + b:
            lengths[i] += 1  # every symbol in the merged group gets one more bit
        heapq.heappush(heap, (p1 + p2, counter, a + b))
        counter += 1
    return lengths


def shannon_lengths(probs) -> list[int]:
    return [int(np.ceil(-np.log2(p))) for p in probs]


for name, dist in (("P", P), ("Q", Q)):
    h = float(info.entropy(dist, base=2))
    sh, hu = shannon_lengths(dist), huffman_lengths(dist)
    print(
        f"{name}: entropy {h:.3f} bits; Shannon lengths {sh} -> {np.dot(dist, sh):.3f} bits; "
        f"Huffman lengths {hu} -> {np.dot(dist, hu):.3f} bits"
    )

# %% [markdown]
# Neither code reaches the entropy, because a single ball cannot use a fraction of a bit.
# Code *pairs* (or longer blocks) of balls instead: a block of $k$ independent balls has
# $3^k$ outcomes, and its best code, divided by $k$, comes within $1/k$ bit of the entropy.

# %%
for k in (1, 2, 3, 4, 5, 6):
    blocks = np.array([np.prod(c) for c in itertools.product(P, repeat=k)])
    per_ball = np.dot(blocks, huffman_lengths(blocks)) / k
    print(f"blocks of {k}: {per_ball:.4f} bits per ball   (entropy {info.entropy(P, base=2):.4f})")

# %% [markdown]
# The same holds for a code built for the wrong distribution: coded in long blocks, a code
# for $Q$ used on balls from $P$ costs $H(P, Q)$ per ball, the cross-entropy. Build Huffman
# codes for blocks drawn from $Q$ and measure them on $P$ to see it.

# %% [markdown]
# ## 3. Looking for counterexamples
#
# Gibbs' inequality says $D_{\mathrm{KL}}(p \,\|\, q) \ge 0$ for every pair of distributions.
# A proof settles it, but it is instructive to look for a counterexample and fail. Change the
# random seed, the number of outcomes or the number of pairs.

# %%
rng = np.random.default_rng(seed=1)
p = rng.dirichlet(np.ones(5), size=10_000)
q = rng.dirichlet(np.ones(5), size=10_000)
kl = info.kl_divergence(p, q, base=2)
print(f"smallest KL divergence found: {kl.min():.2e} bits; negative ones: {int((kl < 0).sum())}")

# %% [markdown]
# The triangle inequality $D(a \,\|\, c) \le D(a \,\|\, b) + D(b \,\|\, c)$ is another story:
# random triples break it often.

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
# $-(k - \mu)^2 / (2 s^2)$ over the categories $k$, with two parameters. Edit the target.

# %%
k = np.arange(21)
target = np.exp(-((k - 5) ** 2) / 4) + 0.6 * np.exp(-((k - 15) ** 2) / 4)  # <- edit me
target /= target.sum()


def bell(params):
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

# %% [markdown]
# ## 5. PyTorch
#
# PyTorch computes the same quantities in nats. `F.cross_entropy` with a probability target
# is $H(p, q)$ with $q$ the softmax of the logits; `F.kl_div(input, target)` wants the
# model's **log**-probabilities first and the true distribution second, and its default
# reduction divides by the number of entries. The cell runs only where PyTorch is installed.

# %%
try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None
    print("PyTorch is not installed here: this section is skipped.")

if torch is not None:
    p_t = torch.tensor(P[None, :])
    q_t = torch.tensor(Q[None, :])
    logits = torch.log(q_t)  # any logits whose softmax is Q
    print("cross-entropy, ce_book:", float(info.cross_entropy(P, Q)))
    print("cross-entropy, PyTorch:", F.cross_entropy(logits, p_t).item())
    print("D(P || Q), ce_book:   ", float(info.kl_divergence(P, Q)))
    print("kl_div(log Q, P):     ", F.kl_div(q_t.log(), p_t, reduction="batchmean").item())
    print("kl_div(log P, Q):     ", F.kl_div(p_t.log(), q_t, reduction="batchmean").item())
    kl_torch = F.kl_div(q_t.log(), p_t, reduction="batchmean").item()
    assert abs(F.cross_entropy(logits, p_t).item() - float(info.cross_entropy(P, Q))) < 1e-12
    assert abs(kl_torch - float(info.kl_divergence(P, Q))) < 1e-12

# %% [markdown]
# ## 6. Exercises that check themselves
#
# Each cell holds an answer and an `assert` that checks it. The answers given are correct;
# replace them with your own working and re-run the cell.
#
# **Exercise 1.** A distribution over four outcomes has an entropy of exactly 1.5 bits. Give
# one.

# %%
answer = [0.5, 0.25, 0.25, 0.0]  # <- your distribution
assert abs(sum(answer) - 1) < 1e-12
assert abs(float(info.entropy(answer, base=2)) - 1.5) < 1e-12
print("correct")

# %% [markdown]
# **Exercise 2.** Make $Q$ give blue the probability 0.01 (and share the rest equally between
# red and green). Which colour's term of $H(P, Q)$ grows, and to how many bits?

# %%
Q2 = np.array([0.495, 0.495, 0.01])
terms = -P * np.log2(Q2)
colour = "blue"  # <- your answer
blue_term = 4 / 9 * np.log2(100)  # <- your answer, in bits
assert colour == ("red", "green", "blue")[int(np.argmax(terms))]
assert abs(blue_term - terms[2]) < 1e-12
print("correct: the blue term is", round(float(terms[2]), 3), "bits")

# %% [markdown]
# **Exercise 3.** For the spam example of the chapter, compute the mutual information as
# $H(Y) - H(Y \mid X)$ from the joint table, and compare it with `info.mutual_information`.

# %%
joint = np.array([[0.30, 0.05], [0.10, 0.55]])  # rows: "free" or not; columns: spam or not
p_x, p_y = joint.sum(axis=1), joint.sum(axis=0)
h_y = float(info.entropy(p_y, base=2))
h_y_given_x = sum(p_x[i] * float(info.entropy(joint[i] / p_x[i], base=2)) for i in range(2))
assert abs((h_y - h_y_given_x) - float(info.mutual_information(joint, base=2))) < 1e-12
print(f"I(X; Y) = {h_y - h_y_given_x:.3f} bits")

# %% [markdown]
# **Exercise 4.** Find a distribution $q$ over three outcomes with $H(P, q) < H(P)$, or
# convince yourself (chapter 1, Gibbs' inequality) that none exists. The cell searches
# 100,000 random candidates for you.

# %%
candidates = np.random.default_rng(seed=2).dirichlet(np.ones(3), size=100_000)
best = candidates[np.argmin(info.cross_entropy(np.broadcast_to(P, candidates.shape), candidates))]
assert float(info.cross_entropy(P, best)) >= float(info.entropy(P))
print("closest candidate:", best.round(3), "versus P =", P.round(3))
