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
# # Lab: binary cross-entropy
#
# Companion to [chapter 2](../binary.md). Everything here runs on `ce_book`; change the
# numbers and re-run the cells.
#
# 1. Be the model: pick your own probabilities for the seven samples and try to beat the
#    seed's score.
# 2. The price of certainty: how much each extra nine of confidence costs when you are wrong.
# 3. Find the cliff: the logit where the probability route breaks, in float32 and float64.
# 4. The seed's code on today's NumPy.

# %%
import matplotlib.pyplot as plt
import numpy as np

from ce_book import gradients, losses, seed_code
from ce_book.activations import sigmoid

# %% [markdown]
# ## 1. Be the model
#
# The seven labels of the seed's example are below, with the seed's predictions. Replace
# `mine` with your own guesses (probabilities of label 1) and compare the mean losses. A
# guess of exactly 0 or 1 is allowed: see what it costs when you are wrong.

# %%
t = np.array(seed_code.SEED_BINARY_INPUTS["t"], dtype=float)
seed = np.array(seed_code.SEED_BINARY_INPUTS["p"])
mine = np.array([0.1, 0.9, 0.8, 0.2, 0.6, 0.4, 0.9])  # <- edit me

for name, p in (("seed", seed), ("mine", mine), ("coin", np.full(7, 0.5))):
    per_sample = losses.binary_cross_entropy(p, t, reduction="none")
    print(f"{name:>5}: mean {float(per_sample.mean()):.4f}   per sample {per_sample.round(3)}")

# %% [markdown]
# Hedging on the two hard samples (5 and 6) beats the seed's confident mistakes, even though
# it costs a little on the easy ones. A model that is rewarded for honesty about its
# uncertainty is exactly what log loss is designed to produce.

# %% [markdown]
# ## 2. The price of certainty
#
# The label is 0 and the model says $p = 1 - 10^{-k}$: $k$ nines of confidence in the wrong
# answer. Each nine adds $\ln 10$ to the loss; squared error hardly moves. (Look closely at
# the last step: $1 - 10^{-12}$ is not exactly a float, so the step drifts in its fifth
# digit. Raise `k` to 17 and see what happens when $p$ rounds to exactly 1.)

# %%
k = np.arange(1, 13)
p = 1 - 10.0**-k
bce = losses.binary_cross_entropy(p, np.zeros_like(p), reduction="none")
squared = p**2  # (p - t)^2 with t = 0

fig, ax = plt.subplots(figsize=(6, 3.2))
ax.plot(k, bce, "o-", label="binary cross-entropy")
ax.plot(k, squared, "s--", label="squared error")
ax.set_xlabel("nines of confidence in the wrong answer")
ax.set_ylabel("loss")
ax.legend()
print("steps between consecutive nines:", np.diff(bce).round(6), "ln 10 =", np.log(10).round(6))

# %% [markdown]
# ## 3. Find the cliff
#
# For label 0 and growing logits $z$, compute the loss twice: from the probability
# $\sigma(z)$ and from the logit. Where do they part ways in float32? In float64? Try
# changing `dtype`.

# %%
for dtype in (np.float32, np.float64):
    z = np.arange(10, 45, dtype=dtype)
    zeros = np.zeros_like(z)
    from_p = losses.binary_cross_entropy(sigmoid(z), zeros, reduction="none")
    from_z = losses.binary_cross_entropy_with_logits(z, zeros, reduction="none")
    broken = z[np.abs(from_p - from_z) > 0.01 * from_z]
    name = np.dtype(dtype).name
    print(f"{name}: the probability route is off by more than 1 % from z = {broken[0]:g}")

# %% [markdown]
# And the gradient with respect to the logit. The probability route goes through the
# sigmoid's slope $\sigma(z)(1 - \sigma(z))$, which rounds to 0; the logits form is
# $\sigma(z) - t$.

# %%
z = np.float32([5, 10, 15, 16, 17, 20])
t0 = np.zeros_like(z)
p = sigmoid(z)
through_p = gradients.binary_cross_entropy_grad(p, t0, reduction="sum") * p * (1 - p)
from_logits = gradients.binary_cross_entropy_with_logits_grad(z, t0, reduction="sum")
for zi, a, b in zip(z, through_p, from_logits, strict=True):
    print(f"z = {zi:4g}   through sigma: {a:<10.6g}   logits form: {b:.6g}")

# %% [markdown]
# ## 4. The seed's code on today's NumPy
#
# The seed tutorial's function, quoted as published in `ce_book.seed_code`, stops at its
# first line on NumPy 2. With one name changed it prints the article's numbers.

# %%
args = seed_code.SEED_BINARY_INPUTS.values()
try:
    seed_code.run_seed_code("binary_cross_entropy", *args)
except AttributeError as err:
    print("as published:", err)
run = seed_code.run_seed_code("binary_cross_entropy", *args, fixed=True)
print(run.printed + f"total: {run.total!r}")
