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
# # Lab: beyond plain cross-entropy
#
# Companion to [chapter 8](../beyond.md). Everything here runs on `ce_book`; change the
# numbers and re-run the cells. Beyond what the chapter shows, the lab
#
# 1. finds where label smoothing stops pushing, for any smoothing weight;
# 2. averages the same weighted losses three ways;
# 3. maps where the focal loss pushes harder than cross-entropy, for every $\gamma$;
# 4. fits temperatures on one sample and judges them on another, and measures how noisy the
#    expected calibration error is;
# 5. lets honest and dishonest forecasters compete under three scores;
# 6. finds the report that label smoothing, class weights and the focal loss reward;
# 7. walks around loops of the distance-scaled field;
# 8. compares with PyTorch, where it is installed;
# 9. ends with exercises for you to solve, with the book's solutions in section 10.
#
# As in the chapter, the code numbers classes from 0: index 0 is the chapter's class 1.

# %%
import itertools
from fractions import Fraction

import mpmath
import numpy as np

from ce_book import calibration, exercises, focal, gradients, losses, ordinal
from ce_book.activations import softmax
from ce_book.figures.style import COLORS, CYCLE, new_figure, show

rng = np.random.default_rng(3)

# %% [markdown]
# ## 1. Label smoothing: where does the loss stop pushing?
#
# For each smoothing weight, find the lead of the true logit at which the smoothed gradient
# vanishes, and compare it with $\log\frac{1 - \varepsilon + \varepsilon/K}{\varepsilon/K}$.

# %%
K = 10
for eps in (0.01, 0.05, 0.1, 0.2):
    leads = np.linspace(0, 15, 3001)
    z = np.zeros((len(leads), K))
    z[:, 0] = leads
    g0 = gradients.cross_entropy_grad(
        z, np.zeros(len(leads), dtype=int), label_smoothing=eps, reduction="none"
    )[:, 0]
    found = leads[np.argmin(np.abs(g0))]
    formula = np.log((1 - eps + eps / K) / (eps / K))
    print(f"eps = {eps:4}: the gradient vanishes near {found:6.3f}, formula {formula:6.3f}")

# %% [markdown]
# ## 2. Class weights: which denominator?
#
# The same weighted losses, averaged three ways.

# %%
batch = np.array([[2.0, 1.0, 0.1], [0.5, 2.0, -1.0], [1.0, 1.0, 3.0]])
labels, w = np.array([0, 1, 2]), np.array([1.0, 2.0, 5.0])
print("class indices, mean:", float(losses.cross_entropy(batch, labels, weight=w)))
print("one-hot rows,  mean:", float(losses.cross_entropy(batch, np.eye(3)[labels], weight=w)))
print("weights x 10,  mean:", float(losses.cross_entropy(batch, labels, weight=10 * w)))
print("one-hot, x 10, mean:", float(losses.cross_entropy(batch, np.eye(3)[labels], weight=10 * w)))

# %% [markdown]
# ## 3. Focal loss: harder or softer than cross-entropy?
#
# The focal gradient is the cross-entropy gradient times a factor $g(p_y)$. Draw $g$ for
# several $\gamma$ and find, for each, the probability below which $g > 1$: the region where
# the focal loss pushes *harder* than cross-entropy.

# %%
p_y = np.linspace(0.005, 0.995, 397)
two_class = np.stack([np.log(p_y / (1 - p_y)), np.zeros_like(p_y)], axis=1)
targets = np.zeros(len(p_y), dtype=int)
ce = focal.softmax_focal_loss_grad(two_class, targets, gamma=0.0, reduction="sum")[:, 0]
fig = new_figure((6.0, 3.4))
ax = fig.subplots()
for gamma, color in zip((0.5, 1.0, 2.0, 3.0, 5.0), CYCLE, strict=False):
    gain = (
        focal.softmax_focal_loss_grad(two_class, targets, gamma=gamma, reduction="sum")[:, 0] / ce
    )
    above = p_y[gain > 1]
    edge = above.max() if above.size else float("nan")
    print(
        f"gamma = {gamma}: pushes harder than CE for p_y below about {edge:.3f}, "
        f"at most {gain.max():.2f} times"
    )
    ax.plot(p_y, gain, color=COLORS[color], label=f"$\\gamma = {gamma:g}$")
ax.axhline(1.0, color=COLORS["black"], linewidth=0.8, linestyle=(0, (1, 2)))
ax.set_xlabel("probability of the true class $p_y$")
ax.set_ylabel("focal gradient / CE gradient")
ax.set_ylim(0, 2)
ax.legend(ncols=2)
show(
    fig,
    alt="The factor by which the focal loss multiplies the cross-entropy gradient, "
    "against the probability p_y of the true class, for gamma = 0.5, 1, 2, 3 and 5. Every "
    "curve starts above the dotted line at 1 for small p_y and falls to 0 as p_y approaches "
    "1; the larger gamma, the higher the peak on the left and the sooner the curve drops "
    "below 1.",
)

# %% [markdown]
# ## 4. Temperature scaling, judged on fresh data
#
# Fit the temperature on one draw of the synthetic problem and measure the expected calibration
# error (ECE) on another. Then measure the ECE of a model that reports the *true* probabilities:
# it is not 0. An ECE within a couple of spreads of that floor is "as calibrated as 2000 samples
# can tell", nothing finer.

# %%
for scale in (0.5, 1.0, 2.5, 5.0):
    train = calibration.overconfident_problem(scale=scale, seed=7)
    test_z, test_y = calibration.overconfident_problem(scale=scale, seed=8)
    T = calibration.fit_temperature(*train)
    before = calibration.expected_calibration_error(softmax(test_z), test_y)
    after = calibration.expected_calibration_error(softmax(test_z / T), test_y)
    print(f"scale {scale}: T = {T:.3f}, held-out ECE {before:.3f} -> {after:.3f}")

floor = [
    calibration.expected_calibration_error(softmax(z), y)
    for z, y in (calibration.overconfident_problem(scale=1.0, seed=s) for s in range(20))
]
print(f"ECE of the true probabilities, 20 draws of 2000: {min(floor):.3f} to {max(floor):.3f}")
for n in (500, 2000, 8000):
    draws = [
        calibration.expected_calibration_error(softmax(z), y)
        for z, y in (
            calibration.overconfident_problem(n=n, scale=1.0, seed=s) for s in range(100, 140)
        )
    ]
    print(f"  {n:5d} samples: mean ECE over 40 draws {np.mean(draws):.3f}")

# %% [markdown]
# Every scale ends at the same held-out ECE, and that is no accident: the fitted $T$ comes out
# as the same multiple of the scale each time (about 1.013 times it), so $z / T$ is the same
# array whatever the scale was. Temperature scaling undoes a pure change of scale completely.
#
# On average the floor shrinks roughly like $1/\sqrt{n}$: four times the data, half the noise.
# A single draw is itself noisy, so compare averages (or ranges), not one draw with another.

# %% [markdown]
# ## 5. Honest and dishonest forecasters
#
# Events with known probabilities $\pi$ (drawn at random), four forecasters: the honest one
# reports $\pi$; the bold one pushes every report away from 1/2; the timid one pulls it toward
# 1/2; the lazy one reports the overall base rate. Average three scores over many events:
# cross-entropy and Brier (both proper) and ECE (not proper).

# %%
n = 20000
pi = rng.beta(2, 2, size=n)
outcome = (rng.random(n) < pi).astype(float)


def sharpen(q, factor):
    """Scale the log-odds of q by `factor` (> 1 bolder, < 1 more timid)."""
    return 1 / (1 + np.exp(-factor * np.log(q / (1 - q))))


forecasters = {
    "honest": pi,
    "bold": sharpen(pi, 2.0),
    "timid": sharpen(pi, 0.5),
    "lazy": np.full(n, outcome.mean()),
}
for name, q in forecasters.items():
    ce = float(losses.binary_cross_entropy(q, outcome))
    brier = float(np.mean((q - outcome) ** 2))
    two_col = np.stack([1 - q, q], axis=1)
    ece = calibration.expected_calibration_error(two_col, outcome.astype(int))
    print(f"{name:7s} cross-entropy {ce:.4f}   Brier {brier:.4f}   ECE {ece:.4f}")

# %% [markdown]
# The honest forecaster wins on both proper scores. On ECE the lazy forecaster, who has learned
# nothing, beats everyone, but only because its base rate was computed on these very outcomes:
# in-sample, all its reports fall in one bin whose accuracy equals its confidence, so its ECE
# is 0 by construction. On fresh events it would be small, not 0. Either way calibration alone
# does not measure skill.

# %% [markdown]
# ## 6. What the variants reward
#
# For an event of probability $\pi$, search a fine grid of reports for the one with the
# smallest expected loss, under plain cross-entropy, label smoothing ($\varepsilon = 0.1$),
# a class weight of 3 on the event, and the focal loss ($\gamma = 2$). Only plain
# cross-entropy returns $\pi$.

# %%
reports = np.linspace(0.001, 0.999, 9981)
two_logits = np.stack([np.log(reports / (1 - reports)), np.zeros_like(reports)], axis=1)
event, other = np.zeros(len(reports), dtype=int), np.ones(len(reports), dtype=int)


def best_report(per_event, per_other, pi):
    """The report with the smallest expected loss, on the grid."""
    return reports[np.argmin(pi * per_event + (1 - pi) * per_other)]


def ce_rows(target, **kw):
    return losses.cross_entropy(two_logits, target, reduction="none", **kw)


variants = {
    "plain cross-entropy": (ce_rows(event), ce_rows(other)),
    "label smoothing 0.1": (
        ce_rows(event, label_smoothing=0.1),
        ce_rows(other, label_smoothing=0.1),
    ),
    "class weight 3": (3 * ce_rows(event), ce_rows(other)),
    "focal, gamma = 2": (
        focal.softmax_focal_loss(two_logits, event, reduction="none"),
        focal.softmax_focal_loss(two_logits, other, reduction="none"),
    ),
}
for pi_event in (0.3, 0.9):
    found = {name: best_report(*parts, pi_event) for name, parts in variants.items()}
    print(f"pi = {pi_event}: " + ", ".join(f"{k} {v:.3f}" for k, v in found.items()))

# %% [markdown]
# Dividing the class-weighted report by its weight and normalising undoes the weighting:

# %%
q = best_report(*variants["class weight 3"], 0.3)
print(f"weighted report {q:.4f} -> corrected {(q / 3) / (q / 3 + (1 - q)):.4f}")

# %% [markdown]
# ## 7. Walking around a loop
#
# The chapter shows that the distance-scaled field $F$ of the notes on network mechanics has a
# Jacobian that is not symmetric, so it is the gradient of no loss. A second way to see it: the
# work done by a gradient field around any closed loop is 0, because you come back to the
# height you started from. Compare $F$ with the gradient of the earth mover's distance, around
# squares of different sizes in the $(z_2, z_3)$ plane, with $z_1$ held at 0, walked
# counter-clockwise. By Green's theorem the work of $F$ is the integral, over the square, of the
# asymmetry $\partial F_3 / \partial z_2 - \partial F_2 / \partial z_3$, which is $p_2 p_3 / 2$:
# positive everywhere, so no loop can make it vanish.

# %%
nodes, weights = np.polynomial.legendre.leggauss(40)


def loop_work(field, side):
    corners = [(0, 0), (side, 0), (side, side), (0, side), (0, 0)]
    total = 0.0
    for (a1, a2), (b1, b2) in itertools.pairwise(corners):
        for s, wt in zip((nodes + 1) / 2, weights, strict=True):
            f = field(np.array([0.0, a1 + s * (b1 - a1), a2 + s * (b2 - a2)]))
            total += wt / 2 * (f[1] * (b1 - a1) + f[2] * (b2 - a2))
    return total


for side in (0.5, 1.0, 2.0, 4.0):
    scaled = loop_work(lambda v: ordinal.distance_scaled_field(v, 0), side)
    emd = loop_work(lambda v: ordinal.emd_loss_grad(v, 0, power=1), side)
    print(f"side {side}: distance-scaled field {scaled:+.6f}, EMD gradient {emd:+.1e}")

# %% [markdown]
# Following the distance-scaled field is not aimless, though. Its dot product with the
# gradient of plain cross-entropy, $p - e_y$, is $(1 - p_y)^2$ plus $p_i^2 / s_i$ for each
# wrong class $i$, positive wherever the prediction is not certain (the derivation
# [distance-field-descends](../claims.md#distance-field-descends) proves it for three
# classes). So a small step against $F$ lowers plain cross-entropy. Take such steps from a few
# random starts and watch the loss.

# %%
for start in range(3):
    v = np.random.default_rng(start).normal(size=3) * 2
    path = []
    for _ in range(2000):
        path.append(float(losses.cross_entropy([v], [0])))
        v = v - 0.1 * ordinal.distance_scaled_field(v, 0)
    falls = bool(np.all(np.diff(path) < 0))
    print(f"start {start}: loss {path[0]:.3f} -> {path[-1]:.4f}, falling at every step: {falls}")

# %% [markdown]
# The three starts end at almost the same loss. Once the prediction is nearly right, each step
# lowers the loss by about a fixed multiple of its square, so the loss falls like one over the
# number of steps and forgets where it started. Change the number of steps to see it: ten
# times the steps, a tenth of the loss.

# %% [markdown]
# ## 8. PyTorch
#
# The chapter compares three things with PyTorch: the smoothed loss and its gradient, the
# weighted means, and the focal loss as torchvision writes it. Run live, where PyTorch is
# installed.

# %%
try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None
    print("PyTorch is not installed here: this section is skipped.")

if torch is not None:
    zt = torch.tensor([[2.0, 1.0, 0.1]], dtype=torch.float64, requires_grad=True)
    smoothed = F.cross_entropy(zt, torch.tensor([0]), label_smoothing=0.1)
    smoothed.backward()
    ours = gradients.cross_entropy_grad([[2.0, 1.0, 0.1]], [0], label_smoothing=0.1)
    print("smoothed loss:", smoothed.item(), "gradient agrees:", np.allclose(ours, zt.grad.numpy()))
    bt, lt = torch.tensor(batch), torch.tensor(labels)
    for name, tgt in (
        ("class indices", lt),
        ("one-hot rows", torch.eye(3, dtype=torch.float64)[lt]),
    ):
        print(f"{name}: PyTorch {F.cross_entropy(bt, tgt, weight=torch.tensor(w)).item():.4f}")
    zb = torch.tensor([-3.0, -0.5, 0.2, 2.0, 6.0], dtype=torch.float64)
    tb = torch.tensor([0.0, 1.0, 0.0, 1.0, 1.0], dtype=torch.float64)
    p = torch.sigmoid(zb)
    p_t = p * tb + (1 - p) * (1 - tb)
    fl = (
        (0.25 * tb + 0.75 * (1 - tb))
        * (1 - p_t) ** 2
        * F.binary_cross_entropy_with_logits(zb, tb, reduction="none")
    )
    print(
        "focal loss: torchvision's formula",
        round(fl.mean().item(), 6),
        " ce_book",
        round(float(focal.sigmoid_focal_loss(zb.numpy(), tb.numpy(), alpha=0.25)), 6),
    )

# %% [markdown]
# ## 9. Exercises
#
# Each exercise leaves `answer = None` for you. Replace `None` with your answer and run the
# cell: it says whether the answer passes and, if not, gives a hint. The book's solutions are
# in section 10; try first.
#
# **Exercise 1.** Section 3 drew the focal factor $g(p)$ for several $\gamma$. With
# $\gamma = 1$, below which probability of the true class does the focal loss push harder than
# cross-entropy? Solve $g(p) = 1$ with $g(p) = (1 - p)^\gamma - \gamma\,p\,(1 - p)^{\gamma - 1}
# \log p$; the answer has a closed form.

# %%
answer = None  # <- your answer


def accept_gamma_one_crossover(p):
    # the factor at 50 digits, and the gradients on either side compared with ce_book's
    with mpmath.workdps(50):
        x = mpmath.mpf(float(p))
        if not 0.01 < x < 1 or abs((1 - x) - x * mpmath.log(x) - 1) > 1e-12:
            return False
    ratio = []
    for q in (float(p) - 0.01, float(p) + 0.01):  # the true class just below and just above
        z = np.array([np.log(q / (1 - q)), 0.0])
        focal_grad = focal.softmax_focal_loss_grad(z, 0, gamma=1.0)[0]
        ratio.append(focal_grad / gradients.cross_entropy_grad([z], [0])[0, 0])
    return ratio[0] > 1 > ratio[1]


exercises.check(answer, accept_gamma_one_crossover, hint="with gamma = 1, g(p) = 1 - p - p log p")

# %% [markdown]
# **Exercise 2.** An event has probability 0.2. Which report $q$ minimises the expected Brier
# score, and what is that smallest expected score? (Give a pair `(q, score)`.)

# %%
answer = None  # <- your answer


def accept_brier_minimum(pair):
    # a brute-force search over a fine grid of reports, with exact fractions
    report, score = pair
    grid = [Fraction(n, 1000) for n in range(1001)]
    expected = [Fraction(1, 5) * (1 - q) ** 2 + Fraction(4, 5) * q**2 for q in grid]
    best = min(range(len(grid)), key=expected.__getitem__)
    return abs(report - float(grid[best])) < 1e-9 and abs(score - float(expected[best])) < 1e-12


exercises.check(answer, accept_brier_minimum, hint="complete the square in q")

# %% [markdown]
# **Exercise 3.** Make a forecaster (an array of `n` probabilities, one per event of section
# 5) whose expected calibration error on those events is below 0.01 but whose cross-entropy is
# worse than the timid forecaster's.

# %%
answer = None  # <- your answer


def accept_calibrated_but_useless(q):
    # ECE and cross-entropy computed here from their definitions, not with ce_book
    q = np.asarray(q, dtype=float)
    if q.shape != (n,) or not ((q > 0) & (q < 1)).all():
        return False
    conf = np.maximum(q, 1 - q)
    right = (q >= 0.5) == (outcome == 1)
    bins = np.minimum((conf * 10).astype(int), 9)
    ece = sum(
        abs(right[bins == b].mean() - conf[bins == b].mean()) * (bins == b).mean()
        for b in range(10)
        if (bins == b).any()
    )

    def bce(r):
        return -np.mean(outcome * np.log(r) + (1 - outcome) * np.log(1 - r))

    return ece < 0.01 and bce(q) > bce(forecasters["timid"])


exercises.check(answer, accept_calibrated_but_useless, hint="ignore the events altogether")

# %% [markdown]
# **Exercise 4.** Take the batch of section 2. With one-hot probability targets, by what
# factor does multiplying every class weight by 10 change the weighted mean (of PyTorch and
# `ce_book`)? And with class-index targets? (Give a pair `(one_hot, indices)`.)

# %%
answer = None  # <- your answer


def accept_weight_factors(pair):
    # the two reductions written out from PyTorch's documentation, with a log-softmax by hand
    logp = batch - np.log(np.exp(batch).sum(axis=1, keepdims=True))
    per_sample = -logp[np.arange(3), labels]

    def one_hot_mean(wt):
        return np.mean(wt[labels] * per_sample)

    def index_mean(wt):
        return np.sum(wt[labels] * per_sample) / np.sum(wt[labels])

    factors = (one_hot_mean(10 * w) / one_hot_mean(w), index_mean(10 * w) / index_mean(w))
    return np.allclose(pair, factors, rtol=1e-12)


exercises.check(answer, accept_weight_factors, hint="ask what each mean divides by")

# %% [markdown]
# ## 10. Solutions
#
# **Solution 1.** With $\gamma = 1$, $g(p) = 1 - p - p \log p$, and $g(p) = 1$ means
# $p(1 + \log p) = 0$. The factor $p$ is not 0, so $\log p = -1$: $p = 1/e$, about 0.368.

# %%
book_answer = float(np.exp(-1))
print(book_answer)
exercises.solution(book_answer, accept_gamma_one_crossover)

# %% [markdown]
# **Solution 2.** The chapter's derivation brier-score-proper writes the expected score as
# $(q - \pi)^2 + \pi(1 - \pi)$: the honest report 0.2 removes the square, and what is left,
# $0.2 \cdot 0.8$, is what no report can beat.

# %%
book_answer = (0.2, 0.2 * 0.8)
print(book_answer)
exercises.solution(book_answer, accept_brier_minimum)

# %% [markdown]
# **Solution 3.** Report the base rate for every event. All reports fall in one bin, whose
# confidence is the share of the more common outcome and whose accuracy is the same share (in
# sample: the base rate comes from these very outcomes):

# %%
book_answer = np.full(n, outcome.mean())
two_col = np.stack([1 - book_answer, book_answer], axis=1)
print("ECE", calibration.expected_calibration_error(two_col, outcome.astype(int)))
exercises.solution(book_answer, accept_calibrated_but_useless)

# %% [markdown]
# **Solution 4.** With probability targets the mean divides by $N$, so the weights scale it;
# with class indices it divides by the total weight of the targets, which scales along:

# %%
one_hot = np.eye(3)[labels]
book_answer = tuple(
    float(losses.cross_entropy(batch, t, weight=10 * w) / losses.cross_entropy(batch, t, weight=w))
    for t in (one_hot, labels)
)
print(book_answer)
exercises.solution(book_answer, accept_weight_factors)
