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
# # Lab: categorical cross-entropy
#
# Companion to [chapter 3](../categorical.md). Everything here runs on `ce_book`; change the
# numbers and re-run the cells. The lab goes where the chapter does not:
#
# 1. Softmax with a temperature: the same logits, more or less decisive.
# 2. One loss, four routes, and PyTorch: the chapter's numbers recomputed every way.
# 3. Label smoothing is a soft target, and PyTorch's `label_smoothing` agrees.
# 4. Several true classes at once: independent sigmoids (`BCEWithLogitsLoss`) against a softmax.
# 5. The floor of a double softmax, as the number of classes grows.
# 6. Exercises that check themselves.
#
# PyTorch is optional: the cells that compare with it say so and skip when it is missing.

# %%

import matplotlib.pyplot as plt
import numpy as np

from ce_book import info, losses, tutorial_code
from ce_book.activations import log_softmax, sigmoid, softmax
from ce_book.figures.style import RC, show

plt.rcParams.update(RC)  # the book's fonts and colours: 12-point text, readable on a phone

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # the lab still runs; the comparisons with PyTorch are skipped
    torch = None
print("PyTorch", torch.__version__ if torch else "is not installed: its comparisons are skipped")



CLASSES = ["panda", "seal", "duck"]
P = np.array(tutorial_code.TUTORIAL_CATEGORICAL_INPUTS["p_list"])  # the Pinecone tutorial's example
Y = np.array([row.index(1) for row in tutorial_code.TUTORIAL_CATEGORICAL_INPUTS["t_list"]])

# %% [markdown]
# ## 1. Softmax with a temperature
#
# Dividing the logits by a temperature $T$ before the softmax keeps their order but changes
# how decisive the distribution is: $T \to 0$ approaches a one-hot vector on the largest
# logit, $T \to \infty$ approaches uniform, and the entropy moves between 0 and $\ln K$.
# Edit `z` and the temperatures.

# %%
z = np.array([2.0, 1.0, 0.1])  # <- edit me
temperatures = [0.25, 0.5, 1, 2, 8]

fig, axes = plt.subplots(1, len(temperatures), figsize=(11, 3), sharey=True, layout="constrained")
for ax, temp in zip(axes, temperatures, strict=True):
    p = softmax(z / temp)
    ax.bar(CLASSES, p, color="#0072B2")
    ax.set_title(f"T = {temp}")
    ax.set_ylim(0, 1)
    ax.tick_params(axis="x", rotation=40)
    print(f"T = {temp:>5}: p = {p.round(3)}, entropy = {float(info.entropy(p)):.3f} nats")
axes[0].set_ylabel("probability")
show(
    fig,
    "Five bar charts of the softmax of the logits 2, 1 and 0.1 for panda, seal and duck at "
    "the temperatures 0.25, 0.5, 1, 2 and 8. At 0.25 nearly all the probability is on panda; "
    "as the temperature rises the bars even out, and at 8 all three are close to one third.",
)

# %% [markdown]
# ## 2. One loss, four routes, and PyTorch
#
# The chapter gives the tutorial's four losses once. Here they are computed four different ways
# (chapter 1's `info.cross_entropy`, `nll_loss` of $\log p$, `cross_entropy` of the logits
# $\log p$ with class indices and with one-hot targets), and by PyTorch. The differences are
# rounding: a few units in the sixteenth digit, or exactly zero.

# %%
log_p = np.log(P)
routes = {
    "info.cross_entropy": info.cross_entropy(np.eye(3)[Y], P),
    "nll_loss(log p)": losses.nll_loss(log_p, Y, reduction="none"),
    "cross_entropy, indices": losses.cross_entropy(log_p, Y, reduction="none"),
    "cross_entropy, one-hot": losses.cross_entropy(log_p, np.eye(3)[Y], reduction="none"),
}
if torch is not None:
    routes["PyTorch F.cross_entropy"] = F.cross_entropy(
        torch.tensor(log_p), torch.tensor(Y), reduction="none"
    ).numpy()
for name, values in routes.items():
    print(f"{name:24s} {values}")
table = np.array(list(routes.values()))
print("largest disagreement between two routes:", np.max(np.ptp(table, axis=0)))

# %% [markdown]
# The binary loss is the two-class case. Compare `binary_cross_entropy_with_logits(z, t)` with
# `cross_entropy` of the logits $(0, z)$ and the target $(1 - t, t)$, from very negative to
# very positive logits, with hard and soft targets.

# %%
zs = np.array([-30.0, -6.0, -1.5, 0.0, 0.7, 3.0, 25.0, 40.0])
ts = np.array([1.0, 0.0, 1.0, 0.3, 0.0, 1.0, 1.0, 0.0])
binary = losses.binary_cross_entropy_with_logits(zs, ts, reduction="none")
two_class = losses.cross_entropy(
    np.stack([np.zeros_like(zs), zs], 1), np.stack([1 - ts, ts], 1), reduction="none"
)
print("binary     :", binary)
print("two classes:", two_class)
print("largest relative difference:", np.max(np.abs(binary - two_class) / binary))
if torch is not None:
    ref = F.binary_cross_entropy_with_logits(
        torch.tensor(zs), torch.tensor(ts), reduction="none"
    ).numpy()
    print("PyTorch    :", ref)

# %% [markdown]
# ## 3. Label smoothing is a soft target
#
# Label smoothing with weight $\varepsilon$ replaces the one-hot target by
# $(1 - \varepsilon)\, t + \varepsilon / K$. Build the smoothed targets by hand, pass them as
# probabilities, and compare with the `label_smoothing` argument (ours and PyTorch's).

# %%
eps = 0.1  # <- edit me
logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [-1.0, 0.0, 3.0]])
targets = np.array([0, 2, 2])
smoothed = (1 - eps) * np.eye(3)[targets] + eps / 3
by_hand = float(losses.cross_entropy(logits, smoothed))
built_in = float(losses.cross_entropy(logits, targets, label_smoothing=eps))
print("smoothed targets:\n", smoothed)
print("by hand:", by_hand, "  label_smoothing:", built_in)
if torch is not None:
    print(
        "PyTorch:",
        F.cross_entropy(torch.tensor(logits), torch.tensor(targets), label_smoothing=eps).item(),
    )

# %% [markdown]
# ## 4. Several true classes at once
#
# A photo can show a panda *and* a duck. A softmax cannot say "both, with probability 0.9
# each": its outputs sum to 1. The multi-label model gives every class its own sigmoid and its
# own binary loss, which is what PyTorch's `BCEWithLogitsLoss` computes; `pos_weight`
# multiplies the loss of the positive labels (useful when positives are rare).

# %%
z = np.array([2.2, -1.5, 2.0])  # panda, seal, duck
t = np.array([1.0, 0.0, 1.0])  # panda and duck are both in the photo
print("independent sigmoids:", sigmoid(z).round(3), " (no need to sum to 1)")
print("softmax             :", softmax(z).round(3))
multi = losses.binary_cross_entropy_with_logits(z, t)
print("multi-label loss (mean over the 3 labels):", float(multi))
pos_weight = np.array([1.0, 1.0, 3.0])
weighted = np.mean(-(pos_weight * t * np.log(sigmoid(z)) + (1 - t) * np.log(sigmoid(-z))))
print("with pos_weight (3, for duck):", float(weighted))
if torch is not None:
    print(
        "PyTorch BCEWithLogitsLoss:",
        torch.nn.BCEWithLogitsLoss()(torch.tensor(z), torch.tensor(t)).item(),
    )
    print(
        "PyTorch with pos_weight  :",
        torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(pos_weight))(
            torch.tensor(z), torch.tensor(t)
        ).item(),
    )

# %% [markdown]
# ## 5. The floor of a double softmax
#
# Passing probabilities to `cross_entropy` applies a second softmax. Even a perfect one-hot
# prediction then has the loss $\log(1 + (K - 1)/e)$, and with many classes that is almost
# the loss of a uniform guess, $\ln K$. Plot both against $K$.

# %%
ks = np.unique(np.geomspace(2, 10000, 40).astype(int))
floor = [float(losses.cross_entropy(np.eye(k)[0], 0)) for k in ks]
fig, ax = plt.subplots(figsize=(6, 3.4), layout="constrained")
ax.semilogx(ks, np.log(ks), label="uniform guess, $\\ln K$")
ax.semilogx(ks, floor, "--", label="perfect one-hot, passed as logits")
ax.set_xlabel("number of classes $K$")
ax.set_ylabel("loss (nats)")
ax.legend()
show(
    fig,
    "Two rising curves of the loss against the number of classes K, from 2 to 10000, on a "
    "logarithmic axis. The loss of a uniform guess, ln K, and the loss of a perfect one-hot "
    "prediction passed to cross_entropy as logits: the second stays about one nat below the "
    "first for large K, so a doubled softmax leaves almost nothing to learn.",
)
print("K = 1000: floor", float(losses.cross_entropy(np.eye(1000)[0], 0)), "  ln K", np.log(1000))

# %% [markdown]
# ## 6. Exercises
#
# Each cell below states a fact as an `assert`. Run it; then change the numbers and predict
# whether it still holds before you run it again.
#
# **6.1** `cross_entropy` is `log_softmax` followed by `nll_loss`, for any logits.

# %%
rng = np.random.default_rng(3)
logits = rng.normal(scale=3, size=(5, 4))
targets = rng.integers(0, 4, size=5)
assert np.isclose(
    float(losses.cross_entropy(logits, targets)),
    float(losses.nll_loss(log_softmax(logits), targets)),
    rtol=1e-14,
)

# %% [markdown]
# **6.2** Moving probability between the *wrong* classes does not change a one-hot loss, but
# it changes a soft-target loss. Check both.

# %%
one_hot, soft = np.array([1.0, 0.0, 0.0]), np.array([0.8, 0.1, 0.1])
a, b = np.array([0.3, 0.35, 0.35]), np.array([0.3, 0.69, 0.01])
assert np.isclose(float(info.cross_entropy(one_hot, a)), float(info.cross_entropy(one_hot, b)))
assert float(info.cross_entropy(soft, b)) > float(info.cross_entropy(soft, a))

# %% [markdown]
# **6.3** With class weights, `"mean"` divides by the total weight of the targets. Rebuild the
# weighted mean by hand.

# %%
w = np.array([1.0, 2.0, 3.0])
by_hand = -(w[Y] * log_p[np.arange(len(Y)), Y]).sum() / w[Y].sum()
assert np.isclose(float(losses.nll_loss(log_p, Y, weight=w)), by_hand, rtol=1e-14)

# %% [markdown]
# **6.4** The double-softmax floor: no distribution over three classes, passed as logits, gets
# below $\log(1 + 2/e)$. Try random distributions.

# %%
qs = rng.dirichlet(np.ones(3), size=2000)
doubled = losses.cross_entropy(qs, np.zeros(2000, dtype=int), reduction="none")
assert doubled.min() >= np.log(1 + 2 / np.e) - 1e-15

# %% [markdown]
# **6.5** A one-vs-rest sum of binary losses is not the categorical loss: for sample 1 it is
# about twice as large.

# %%
one_vs_rest = float(losses.binary_cross_entropy(P[0], np.eye(3)[Y[0]], reduction="sum"))
categorical = float(losses.cross_entropy(log_p[:1], Y[:1]))
assert 1.9 < one_vs_rest / categorical < 2.1
print("all exercises pass")
