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
# 6. walks around loops of the distance-scaled field;
# 7. compares with PyTorch, where it is installed;
# 8. ends with exercises that check themselves.

# %%
import itertools

import numpy as np

from ce_book import calibration, focal, gradients, losses, ordinal
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
# The focal gradient is the cross-entropy gradient times a factor $g(p_t)$. Draw $g$ for
# several $\gamma$ and find, for each, the probability below which $g > 1$: the region where
# the focal loss pushes *harder* than cross-entropy.

# %%
p_t = np.linspace(0.005, 0.995, 397)
two_class = np.stack([np.log(p_t / (1 - p_t)), np.zeros_like(p_t)], axis=1)
targets = np.zeros(len(p_t), dtype=int)
ce = focal.softmax_focal_loss_grad(two_class, targets, gamma=0.0, reduction="sum")[:, 0]
fig = new_figure((6.0, 3.4))
ax = fig.subplots()
for gamma, color in zip((0.5, 1.0, 2.0, 3.0, 5.0), CYCLE, strict=False):
    gain = (
        focal.softmax_focal_loss_grad(two_class, targets, gamma=gamma, reduction="sum")[:, 0] / ce
    )
    above = p_t[gain > 1]
    edge = above.max() if above.size else float("nan")
    print(
        f"gamma = {gamma}: pushes harder than CE for p_t below about {edge:.3f}, "
        f"at most {gain.max():.2f} times"
    )
    ax.plot(p_t, gain, color=COLORS[color], label=f"$\\gamma = {gamma:g}$")
ax.axhline(1.0, color=COLORS["black"], linewidth=0.8, linestyle=(0, (1, 2)))
ax.set_xlabel("probability of the true class $p_t$")
ax.set_ylabel("focal gradient / CE gradient")
ax.set_ylim(0, 2)
ax.legend(ncols=2)
show(
    fig,
    alt="The factor by which the focal loss multiplies the cross-entropy gradient, "
    "against the probability p_t of the true class, for gamma = 0.5, 1, 2, 3 and 5. Every "
    "curve starts above the dotted line at 1 for small p_t and falls to 0 as p_t approaches "
    "1; the larger gamma, the higher the peak on the left and the sooner the curve drops "
    "below 1.",
)

# %% [markdown]
# ## 4. Temperature scaling, judged on fresh data
#
# Fit the temperature on one draw of the synthetic problem and measure the expected calibration
# error (ECE) on another. Then measure the ECE of a model that reports the *true* probabilities:
# it is not 0, and that sets the floor below which no ECE on 2000 samples means anything.

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
    z, y = calibration.overconfident_problem(n=n, scale=1.0, seed=99)
    print(
        f"  one draw of {n:5d} samples: {calibration.expected_calibration_error(softmax(z), y):.3f}"
    )

# %% [markdown]
# The floor shrinks roughly like $1/\sqrt{n}$: four times the data, half the noise.

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
# nothing, is about as good as the honest one: calibration alone does not measure skill.

# %% [markdown]
# ## 6. Walking around a loop
#
# The work done by a gradient field around a closed loop is 0. Compare the distance-scaled
# field of the notes on network mechanics with the gradient of the earth mover's distance,
# around squares of different sizes in the $(z_1, z_2)$ plane.

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
# ## 7. PyTorch
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
# ## 8. Exercises that check themselves
#
# Each cell holds an answer and an `assert` that checks it. The answers given are correct;
# replace them with your own working and re-run the cell.
#
# **Exercise 1.** With $\gamma = 1$, below which probability of the true class does the focal
# loss push harder than cross-entropy? Solve $g(p) = 1$ with
# $g(p) = (1 - p)^\gamma - \gamma\,p\,(1 - p)^{\gamma - 1}\log p$.

# %%
answer = np.exp(-1)  # <- your answer (it has a closed form)
grid = np.linspace(0.01, 0.9, 89001)
g1 = (1 - grid) - grid * np.log(grid)
assert abs(answer - grid[np.flatnonzero(g1 > 1).max()]) < 1e-4
print("correct: 1 - p - p log p = 1 means p (1 + log p) = 0, so log p = -1: p = 1/e")

# %% [markdown]
# **Exercise 2.** An event has probability 0.2. Which report minimises the expected Brier
# score, and what is that smallest expected score? (Use the decomposition
# $(q - \pi)^2 + \pi(1 - \pi)$.)

# %%
best_report, best_score = 0.2, 0.16  # <- your answer
q = np.linspace(0, 1, 100001)
expected = 0.2 * (1 - q) ** 2 + 0.8 * q**2
assert abs(best_report - q[np.argmin(expected)]) < 1e-5
assert abs(best_score - expected.min()) < 1e-9
print("correct: the honest report, and pi (1 - pi) is what nobody can beat")

# %% [markdown]
# **Exercise 3.** Make a forecaster whose ECE on the events of section 5 is below 0.01 but
# whose cross-entropy is worse than the timid one's.

# %%
lazy = np.full(n, outcome.mean())  # <- your forecaster
ece_lazy = calibration.expected_calibration_error(
    np.stack([1 - lazy, lazy], axis=1), outcome.astype(int)
)
assert ece_lazy < 0.01
assert float(losses.binary_cross_entropy(lazy, outcome)) > float(
    losses.binary_cross_entropy(forecasters["timid"], outcome)
)
print(f"correct: ECE {ece_lazy:.4f}, and it has learned nothing")

# %% [markdown]
# **Exercise 4.** With probability targets, by what factor does multiplying every class
# weight by 10 change PyTorch's (and `ce_book`'s) weighted mean? And with class indices?

# %%
factor_one_hot, factor_indices = 10.0, 1.0  # <- your answer
one_hot = np.eye(3)[labels]
r1 = float(
    losses.cross_entropy(batch, one_hot, weight=10 * w)
    / losses.cross_entropy(batch, one_hot, weight=w)
)
r2 = float(
    losses.cross_entropy(batch, labels, weight=10 * w)
    / losses.cross_entropy(batch, labels, weight=w)
)
assert abs(r1 - factor_one_hot) < 1e-12 and abs(r2 - factor_indices) < 1e-12
print("correct: the one-hot mean divides by N, the class-index mean by the total weight")
