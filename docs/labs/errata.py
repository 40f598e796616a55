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
# 1. recomputes a published number by three routes;
# 2. hunts for counterexamples by random search (KL divergence and the triangle inequality);
# 3. compares a slope with a whole step, in a picture;
# 4. runs a tutorial's code on the inputs it was not tried on, and repairs it;
# 5. tests a proposed "gradient" for the two properties every gradient of a softmax loss has;
# 6. asks PyTorch the same questions, where it is installed;
# 7. ends with exercises for you to solve, with the book's solutions in section 8.

# %%
from fractions import Fraction

import mpmath
import numpy as np

from ce_book import exercises, gradients, info, losses, ordinal, tutorial_code
from ce_book.activations import softmax
from ce_book.figures.style import COLORS, new_figure, show

mpmath.mp.dps = 50
rng = np.random.default_rng(12)

# %% [markdown]
# ## 1. One number, three routes
#
# The forum reply under the Pinecone tutorial says that the cross-entropy of
# $[0.2, 0.2, 0.2, 0.2]$ with itself is 2.3219 bits. Before arguing about what it means,
# recompute it, three ways: the formula by hand in float64 (the book's `info.cross_entropy`
# refuses the input), exact fractions for the sum with mpmath for the one logarithm, and
# mpmath at 50 digits throughout. The last two share mpmath's logarithm, so they are
# independent in the arithmetic, not in every function they call.

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
# The three routes agree with each other and not with the published number: the mistake is
# in the source, not in our arithmetic. When routes disagree with *each other*, suspect rounding
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
# The notes on network mechanics say that each unit increase of the true logit will
# "*decrease* our loss by $p_i - 1$". The slope is $p_i - 1$; a whole step does something
# else. The exact change (derived in the chapter's first exercise) is
# $\log(1 - p + p e^{s}) - s$. Draw it against the straight line of the slope for the logits
# $(2, 1, 0.1)$.

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
# slope promises. The slope is a good guide only near the point where it was measured, which
# is one reason why gradient descent takes small steps.

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
        tutorial_code.TUTORIAL_CATEGORICAL_INPUTS["t_list"],
        tutorial_code.TUTORIAL_CATEGORICAL_INPUTS["p_list"],
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
# gradient of the earth mover's distance at random logits. (The code numbers classes from 0,
# as Python does: index 0 is the chapter's true class 1.)


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

# At equal logits with three classes, the asymmetry of the chapter (index 1 and 2 are its
# classes 2 and 3): dF_2/dz_3 - dF_3/dz_2 is -1/18 there.
jac = jacobian(lambda v: ordinal.distance_scaled_field(v, 0), np.zeros(3))
print(f"equal logits, K = 3: {jac[1, 2] - jac[2, 1]:+.6f}  (-1/18 = {-1 / 18:+.6f})")

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
# ## 7. Exercises
#
# Each exercise leaves `answer = None` for you. Replace `None` with your answer and run the
# cell: it says whether the answer passes and, if not, gives a hint. The book's solutions are
# in section 8; try first.
#
# **Exercise 1.** The forum reply wanted a distribution whose cross-entropy with itself is not
# 0. The uniform distribution on four outcomes gives 2 bits. Find one on four outcomes, none of
# them zero, whose cross-entropy with itself is exactly 1.75 bits. (Give a list of four
# probabilities.)

# %%
answer = None  # <- your answer


def accept_entropy_175(q):
    # any four-outcome distribution with entropy 1.75 bits passes; the intended one has
    # probabilities that are powers of 1/2, so every log2 is an integer
    q = [Fraction(x).limit_denominator(1 << 20) for x in q]
    if len(q) != 4 or sum(q) != 1 or min(q) <= 0:
        return False
    bits = [mpmath.log(mpmath.mpf(x.numerator) / x.denominator, 2) for x in q]
    return abs(-mpmath.fsum(float(x) * b for x, b in zip(q, bits, strict=True)) - 1.75) < 1e-12


exercises.check(answer, accept_entropy_175, hint="halve the mass again and again")

# %% [markdown]
# **Exercise 2.** Section 2 found random triples on three outcomes for which KL divergence
# breaks the triangle inequality. Find three distributions on **two** outcomes that break it.
# (Give a tuple `(a, b, c)` of three pairs.)

# %%
answer = None  # <- your answer


def accept_triangle(triple):
    # KL from its definition at 50 digits, not from ce_book
    def kl(p, q):
        return mpmath.fsum(
            mpmath.mpf(x) * mpmath.log(mpmath.mpf(x) / y) for x, y in zip(p, q, strict=True)
        )

    a, b, c = triple
    pairs = all(len(x) == 2 and abs(sum(x) - 1) < 1e-12 and min(x) > 0 for x in (a, b, c))
    return pairs and kl(a, c) > kl(a, b) + kl(b, c)


exercises.check(answer, accept_triangle, hint="put the middle one halfway between two far ones")

# %% [markdown]
# **Exercise 3.** Section 3 showed that a step $s$ on the true logit of $(2, 1, 0.1)$ changes
# the loss by $\log(1 - p + p e^{s}) - s$, with $p$ the probability of the true class. How large
# a step lowers the loss by exactly 0.3? Turn the formula around instead of searching.

# %%
answer = None  # <- your answer


def accept_step_for_03(step):
    # the loss before and after the step, from the definition at 50 digits
    with mpmath.workdps(50):
        z = [mpmath.mpf(2), mpmath.mpf(1), mpmath.mpf("0.1")]

        def loss(v):
            return mpmath.log(mpmath.fsum(mpmath.exp(x) for x in v)) - v[0]

        after = loss([z[0] + mpmath.mpf(float(step)), z[1], z[2]])
        return abs(loss(z) - after - mpmath.mpf("0.3")) < 1e-12


exercises.check(answer, accept_step_for_03, hint="set the change to -0.3 and solve for e^s")

# %% [markdown]
# **Exercise 4.** The notes on network mechanics wanted a rule that pushes harder on classes far
# from the truth. Section 5 tests whether a field is a gradient. Write a function `field(z)` for
# three ordered classes, the true one at index 0, that passes that test (components summing to
# 0, a symmetric Jacobian) and that, at equal logits, pushes the far class (index 2) down
# harder than the near one (index 1).

# %%
answer = None  # <- your answer: a function of a logit vector of length 3


def accept_distance_aware_gradient(field):
    # the two properties every gradient of a loss of the softmax has, at random logits,
    # checked with central differences, and the wish of the notes at equal logits
    test_rng = np.random.default_rng(5)
    for _ in range(5):
        z = test_rng.normal(size=3)
        f = np.asarray(field(z), dtype=float)
        if f.shape != (3,) or abs(f.sum()) > 1e-9:
            return False
        if np.abs(jacobian(field, z) - jacobian(field, z).T).max() > 1e-6:
            return False
    at_equal = np.asarray(field(np.zeros(3)), dtype=float)
    return at_equal[2] > at_equal[1]


exercises.check(
    answer, accept_distance_aware_gradient, hint="start from a loss that knows the distance"
)

# %% [markdown]
# ## 8. Solutions
#
# **Solution 1.** Give one outcome half the mass and halve what is left each time:
# $(1/2, 1/4, 1/8, 1/8)$. The self-information of each outcome is 1, 2, 3 and 3 bits, and
# their average, weighted by the probabilities, is $1/2 + 2/4 + 3/8 + 3/8$:

# %%
book_answer = [0.5, 0.25, 0.125, 0.125]
print(float(info.cross_entropy(book_answer, book_answer, base=2)), "bits")
exercises.solution(book_answer, accept_entropy_175)

# %% [markdown]
# **Solution 2.** Two confident distributions that disagree, and the fair coin between them.
# The direct route pays for the disagreement of two confident beliefs; each half of the detour
# pays only for moving to or from a fair coin:

# %%
book_answer = ([0.99, 0.01], [0.5, 0.5], [0.01, 0.99])
a, b, c = book_answer
print(
    f"direct {float(info.kl_divergence(a, c)):.2f} nats, via the middle "
    f"{float(info.kl_divergence(a, b) + info.kl_divergence(b, c)):.2f}"
)
exercises.solution(book_answer, accept_triangle)

# %% [markdown]
# **Solution 3.** Setting $\log(1 - p + p e^{s}) - s$ to $-0.3$ and taking exponentials gives
# $1 - p + p e^{s} = e^{s} e^{-0.3}$, so $e^{s} = (1 - p) / (e^{-0.3} - p)$. That needs
# $p < e^{-0.3}$: a loss can only fall by 0.3 if it is above 0.3 to begin with.

# %%
p0 = float(softmax(np.array([2.0, 1.0, 0.1]))[0])
book_answer = float(np.log((1 - p0) / (np.exp(-0.3) - p0)))
print(f"p = {p0:.4f}, step {book_answer:.4f}")
exercises.solution(book_answer, accept_step_for_03)

# %% [markdown]
# **Solution 4.** Start from a quantity, not from a gradient: the earth mover's distance to the
# true class, whose gradient is $p_j(d_j - \bar d)$ (see the
# [chapter Beyond](../beyond.md#a-loss-that-knows-the-distance-the-earth-movers-distance)).


# %%
def book_answer(z):
    return ordinal.emd_loss_grad(z, 0, power=1)


print("at equal logits:", book_answer(np.zeros(3)).round(4))
exercises.solution(book_answer, accept_distance_aware_gradient)
