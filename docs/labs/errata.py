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
# # Lab: checking a claim yourself
#
# Companion to [chapter 7](../errata.md). The chapter lists mistakes and their corrections;
# this lab is about the *method* that found them, so that you can check the next claim you
# read. It
#
# 1. recomputes a published number three independent ways;
# 2. hunts for counterexamples by random search (KL divergence and the triangle inequality);
# 3. compares a slope with a whole step, in a picture;
# 4. runs a tutorial's code on the inputs it was not tried on, and repairs it;
# 5. tests a proposed "gradient" for the two properties every gradient of a softmax loss has;
# 6. asks PyTorch the same questions, where it is installed;
# 7. ends with exercises that check themselves.

# %%
from fractions import Fraction

import mpmath
import numpy as np

from ce_book import gradients, info, losses, ordinal, tutorial_code
from ce_book.figures.style import COLORS, new_figure, show

mpmath.mp.dps = 50
rng = np.random.default_rng(12)



# %% [markdown]
# ## 1. One number, three routes
#
# The forum reply under the Pinecone tutorial says that the cross-entropy of
# $[0.2, 0.2, 0.2, 0.2]$ with itself is 2.3219 bits. Before arguing about what it means,
# recompute it. Three routes that share no code: the book's `info.cross_entropy` (which
# refuses the input, so we call its formula by hand), exact fractions for everything but the
# one logarithm, and mpmath at 50 digits.

# %%
p = [0.2, 0.2, 0.2, 0.2]
try:
    info.cross_entropy(p, p, base=2)
except ValueError as err:
    print("ce_book refuses it:", err)

by_hand = -sum(x * np.log2(x) for x in p)
total = sum(Fraction(1, 5) for _ in p)  # exact: the four masses add up to 4/5
with_fractions = float(total) * float(mpmath.log(5, 2))  # each term is (1/5) log2 5
with_mpmath = -mpmath.fsum(mpmath.mpf(1) / 5 * mpmath.log(mpmath.mpf(1) / 5, 2) for _ in p)
print(
    f"float64 by hand {by_hand:.6f}, fractions {with_fractions:.6f}, "
    f"mpmath {float(with_mpmath):.6f}"
)
print(f"the published 2.3219 is log2(5) = {float(mpmath.log(5, 2)):.6f}: five outcomes, not four")

# %% [markdown]
# Three routes agree with each other and not with the published number: the mistake is in
# the source, not in our arithmetic. When routes disagree with *each other*, suspect rounding
# first (section 3 of the stability lab shows how to tell).

# %% [markdown]
# ## 2. Looking for a counterexample
#
# The Pinecone tutorial calls KL divergence "a metric". One counterexample refutes that, and a
# random search is a cheap way to find one. A metric obeys the triangle inequality
# $d(p, r) \le d(p, q) + d(q, r)$; count how often KL divergence breaks it among random
# triples of distributions on three outcomes.


# %%
def random_distribution(k=3):
    x = rng.exponential(size=k)
    return x / x.sum()


broken, worst = 0, None
for _ in range(2000):
    a, b, c = random_distribution(), random_distribution(), random_distribution()
    direct = float(info.kl_divergence(a, c))
    detour = float(info.kl_divergence(a, b) + info.kl_divergence(b, c))
    if direct > detour:
        broken += 1
        if worst is None or direct - detour > worst[0]:
            worst = (direct - detour, a, b, c)
print(f"triangle inequality broken in {broken} of 2000 random triples")
print("largest violation:", round(worst[0], 3), "nats")

# %% [markdown]
# A random search proves nothing when it finds nothing, but one hit is a proof. (Symmetry
# fails even more easily: compare `info.kl_divergence(a, c)` with `info.kl_divergence(c, a)`.)

# %% [markdown]
# ## 3. A slope is not a step
#
# The notes on network mechanics say that raising the true logit by one unit "decreases the
# loss by $p_i - 1$". The slope is $p_i - 1$; a whole step does something else. The exact
# change (derived in the chapter's first exercise) is $\log(1 - p + p e^{s}) - s$. Draw it
# against the straight line of the slope for the logits $(2, 1, 0.1)$.

# %%
z0 = np.array([2.0, 1.0, 0.1])
base = float(losses.cross_entropy([z0], [0]))
slope = float(gradients.cross_entropy_grad([z0], [0])[0, 0])
steps = np.linspace(0, 3, 61)
change = [float(losses.cross_entropy([z0 + np.array([s, 0, 0])], [0])) - base for s in steps]

fig = new_figure((6.0, 3.4))
ax = fig.subplots()
ax.plot(steps, change, color=COLORS["blue"], label="actual change of the loss")
ax.plot(steps, slope * steps, "--", color=COLORS["vermillion"], label="slope times step")
ax.axvline(1.0, color=COLORS["black"], linewidth=0.8, linestyle=(0, (1, 2)))
ax.set_xlabel("step $s$ on the true logit")
ax.set_ylabel("change of the loss")
ax.legend()
show(
    fig,
    alt="The change of the loss against the size s of a step on the true logit, from 0 "
    "to 3, for the logits (2, 1, 0.1). The dashed straight line of the slope falls to about "
    "-1 at s = 3; the actual change (solid) starts along it but bends up and flattens, "
    "reaching only about -0.24 at s = 1, where the line is at -0.34, and about -0.39 at s = 3.",
)
print(f"at s = 1: actual {change[20]:+.4f}, slope x step {slope:+.4f}")

# %% [markdown]
# The actual curve is convex, so it lies above its tangent: a step always gains less than the
# slope promises. Gradient descent works with small steps for exactly this reason.

# %% [markdown]
# ## 4. Running code on the inputs nobody tried
#
# The tutorial's `categorical_cross_entropy` was shown on four friendly examples. Feed it a
# prediction with an exact zero on a wrong class, which a softmax produces in float64 as soon as
# a logit trails by more than about 745.

# %%
with np.errstate(divide="ignore", invalid="ignore"):
    run = tutorial_code.run_tutorial_code(
        "categorical_cross_entropy", [[1, 0, 0]], [[0.9, 0.1, 0.0]], fixed=True
    )
print("the tutorial's code returns", run.total)


def categorical_cross_entropy(t_list, p_list):
    """The tutorial's function, repaired: take the log only where the target has mass."""
    t, p = np.asarray(t_list, dtype=float), np.asarray(p_list, dtype=float)
    safe = np.where(t > 0, p, 1.0)  # log 1 = 0 where the target is 0
    return float(-np.sum(t * np.log(safe)))


print("repaired:", categorical_cross_entropy([[1, 0, 0]], [[0.9, 0.1, 0.0]]))
print(
    "published total still reproduced:",
    categorical_cross_entropy(
        tutorial_code.TUTORIAL_CATEGORICAL_INPUTS["t_list"], tutorial_code.TUTORIAL_CATEGORICAL_INPUTS["p_list"]
    ),
    "vs",
    tutorial_code.PUBLISHED_CATEGORICAL_TOTAL,
)

# %% [markdown]
# The repair keeps every published number: a fix should change the broken case and nothing
# else. (With a target of 0 on a class predicted with probability 0, the term is 0 by the
# convention $0 \log 0 = 0$; a positive target on a zero prediction still gives `inf`, which is
# the right answer.)

# %% [markdown]
# ## 5. Is it a gradient?
#
# The gradient of any loss of the softmax has two properties you can test without knowing the
# loss: its components sum to 0 (adding a constant to every logit changes nothing), and its
# Jacobian is symmetric (it is a Hessian). Test the notes' distance-scaled field and the
# gradient of the earth mover's distance at random logits.


# %%
def jacobian(field, z, h=1e-6):
    cols = [(field(z + h * e) - field(z - h * e)) / (2 * h) for e in np.eye(len(z))]
    return np.array(cols).T


for name, field in (
    ("distance-scaled", lambda v: ordinal.distance_scaled_field(v, 0)),
    ("earth mover's", lambda v: ordinal.emd_loss_grad(v, 0, power=2)),
):
    z = rng.normal(size=4)
    f, jac = field(z), jacobian(field, z)
    print(
        f"{name:16s} sum of components {f.sum():+.2e}   "
        f"largest asymmetry of the Jacobian {np.abs(jac - jac.T).max():.2e}"
    )

# %% [markdown]
# ## 6. PyTorch
#
# Two of the chapter's claims about PyTorch, live: `nll_loss` only picks and negates, and the
# order of the arguments of `binary_cross_entropy` matters. The cell runs only where PyTorch is
# installed.

# %%
try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None
    print("PyTorch is not installed here: this section is skipped.")

if torch is not None:
    rows = torch.tensor([[0.5, 2.0, -1.0], [3.0, 0.0, 1.5]])  # not log-probabilities
    print("nll_loss:", F.nll_loss(rows, torch.tensor([1, 2])).item(), "= -(2 + 1.5) / 2")
    t = torch.tensor(tutorial_code.TUTORIAL_BINARY_INPUTS["t"], dtype=torch.float64)
    p = torch.tensor(tutorial_code.TUTORIAL_BINARY_INPUTS["p"], dtype=torch.float64)
    print("binary_cross_entropy(p, t):", round(F.binary_cross_entropy(p, t).item(), 4))
    print(
        "binary_cross_entropy(t, p):",
        round(F.binary_cross_entropy(t, p).item(), 4),
        "(swapped: no error, wrong number)",
    )

# %% [markdown]
# ## 7. Exercises that check themselves
#
# Each cell holds an answer and an `assert` that checks it. The answers given are correct;
# replace them with your own working and re-run the cell.
#
# **Exercise 1.** The forum reply wanted a distribution whose cross-entropy with itself is not
# 0. Give one on four outcomes whose value is exactly 2 bits.

# %%
answer = [0.25, 0.25, 0.25, 0.25]  # <- your answer
assert abs(sum(answer) - 1) < 1e-12
assert abs(float(info.cross_entropy(answer, answer, base=2)) - 2) < 1e-12
print("correct: the uniform distribution, log2 4 = 2 bits")

# %% [markdown]
# **Exercise 2.** Find three distributions on two outcomes for which KL divergence breaks the
# triangle inequality. (Hint: put the middle one halfway between two far-apart ones.)

# %%
a, b, c = [0.99, 0.01], [0.5, 0.5], [0.01, 0.99]  # <- your answer
direct = float(info.kl_divergence(a, c))
detour = float(info.kl_divergence(a, b) + info.kl_divergence(b, c))
assert direct > detour
print(f"correct: {direct:.2f} nats direct, {detour:.2f} via the middle")

# %% [markdown]
# **Exercise 3.** By how much does a step of 2 on the true logit of $(2, 1, 0.1)$ lower the
# loss? Use the closed form $s - \log(1 - p + p e^{s})$ with $p$ the softmax probability of
# the true class.

# %%
p0 = float(np.exp(2) / (np.exp(2) + np.exp(1) + np.exp(0.1)))
answer = 2 - np.log(1 - p0 + p0 * np.exp(2))  # <- your answer
actual = float(
    losses.cross_entropy([[2.0, 1.0, 0.1]], [0]) - losses.cross_entropy([[4.0, 1.0, 0.1]], [0])
)
assert abs(answer - actual) < 1e-12
with mpmath.workdps(50):
    e = [mpmath.exp(v) for v in (2, 1, mpmath.mpf("0.1"))]
    exact = mpmath.log(sum(e)) - 2 - (mpmath.log(e[0] * mpmath.exp(2) + e[1] + e[2]) - 4)
assert abs(answer - float(exact)) < 1e-12
print(f"correct: {answer:.4f}, less than twice the slope, {2 * (1 - p0):.4f}")

# %% [markdown]
# **Exercise 4.** Multiply the distance-scaled field by the distance instead of dividing,
# $F_i = p_i d_i$ for the wrong classes (and $p_y - 1$ for the true one). Is it a gradient?
# Answer `True` or `False`, and let the test of section 5 decide.

# %%
answer = False  # <- your answer


def times_distance(v, y=0):
    prob = np.exp(v - v.max()) / np.exp(v - v.max()).sum()
    d = np.abs(np.arange(len(v)) - y)
    return np.where(d == 0, prob - 1, prob * d)


jac = jacobian(times_distance, rng.normal(size=4))
assert answer == bool(np.abs(jac - jac.T).max() < 1e-6)
print("correct: its Jacobian is not symmetric either")
