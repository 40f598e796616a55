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
# numbers and re-run the cells.
#
# 1. Softmax with a temperature: divide the logits by $T$ and watch the distribution sharpen
#    or flatten.
# 2. Only the true class counts: reshuffle the wrong classes' probability, the loss stays put.
# 3. Take `nll_loss` apart: it only picks, negates, weights and averages.
# 4. Two classes, one sigmoid.

# %%
import matplotlib.pyplot as plt
import numpy as np

from ce_book import info, losses, seed_code
from ce_book.activations import log_softmax, sigmoid, softmax

CLASSES = ["panda", "seal", "duck"]

# %% [markdown]
# ## 1. Softmax with a temperature
#
# Dividing the logits by a temperature $T$ before the softmax keeps their order but changes
# how decisive the distribution is: $T \to 0$ approaches a one-hot vector on the largest
# logit, $T \to \infty$ approaches uniform. Edit `z` and the temperatures.

# %%
z = np.array([2.0, 1.0, 0.1])  # <- edit me
temperatures = [0.25, 0.5, 1, 2, 8]

fig, axes = plt.subplots(1, len(temperatures), figsize=(11, 2.6), sharey=True)
for ax, temp in zip(axes, temperatures, strict=True):
    p = softmax(z / temp)
    ax.bar(CLASSES, p, color="#0072B2")
    ax.set_title(f"T = {temp}")
    ax.set_ylim(0, 1)
    print(f"T = {temp:>5}: p = {p.round(3)}, entropy = {float(info.entropy(p)):.3f} nats")

# %% [markdown]
# ## 2. Only the true class counts
#
# With a one-hot target, the loss is $-\log p_{\text{true}}$. Keep the true class's
# probability fixed and move the rest around between the wrong classes: the loss does not
# change. A soft target would notice.

# %%
one_hot = np.array([1.0, 0.0, 0.0])  # panda
soft = np.array([0.8, 0.1, 0.1])
for rest in ([0.35, 0.35], [0.6, 0.1], [0.69, 0.01]):
    p = np.array([0.3, *rest])
    print(
        f"p = {p}:  one-hot loss {float(info.cross_entropy(one_hot, p)):.4f}"
        f"   soft-target loss {float(info.cross_entropy(soft, p)):.4f}"
    )

# %% [markdown]
# ## 3. Take nll_loss apart
#
# `nll_loss(x, y)` is, for each row, `-x[row, y[row]]`, then a (weighted) mean. Rebuild it
# with plain indexing and compare, on the seed's four samples. Then feed it something that
# is not a log-probability and see that it does not complain.

# %%
p = np.array(seed_code.SEED_CATEGORICAL_INPUTS["p_list"])
y = np.array([row.index(1) for row in seed_code.SEED_CATEGORICAL_INPUTS["t_list"]])
w = np.array([1.0, 2.0, 3.0])  # class weights: <- edit me

log_p = np.log(p)
by_hand = -(w[y] * log_p[np.arange(len(y)), y]).sum() / w[y].sum()
print("nll_loss          :", float(losses.nll_loss(log_p, y, weight=w)))
print("by hand           :", float(by_hand))
print("cross_entropy     :", float(losses.cross_entropy(log_p, y, weight=w)))
print("fed probabilities :", float(losses.nll_loss(p, y)), "(no log is taken!)")
print("fed logits 10 * p :", float(losses.nll_loss(10 * p, y)), "(nor a softmax)")

# %% [markdown]
# `cross_entropy` is `nll_loss` after `log_softmax`. Check it on random logits:

# %%
rng = np.random.default_rng(3)
logits = rng.normal(scale=3, size=(5, 4))
targets = rng.integers(0, 4, size=5)
print(float(losses.cross_entropy(logits, targets)))
print(float(losses.nll_loss(log_softmax(logits), targets)))

# %% [markdown]
# ## 4. Two classes, one sigmoid
#
# The two-class softmax of the logits $(0, z)$ is $\sigma(z)$, and the categorical loss of the
# target $(1 - t, t)$ is the binary loss. Try other logits and soft targets.

# %%
z = np.array([-4.0, -0.5, 0.0, 1.0, 6.0])
t = np.array([1.0, 0.0, 0.3, 1.0, 0.0])
two_logits = np.stack([np.zeros_like(z), z], axis=1)
print("softmax(0, z)[1] :", softmax(two_logits)[:, 1].round(6))
print("sigmoid(z)       :", sigmoid(z).round(6))
two_targets = np.stack([1 - t, t], axis=1)
categorical = losses.cross_entropy(two_logits, two_targets, reduction="none")
binary = losses.binary_cross_entropy_with_logits(z, t, reduction="none")
print("categorical loss :", categorical.round(6))
print("binary loss      :", binary.round(6))
