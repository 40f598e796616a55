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
# Companion to [chapter 1](../information.md). Every number here is computed by
# `ce_book.info`; change the inputs and re-run the cells. The functions take the true
# distribution $p$ first, and `base=2` for bits or nothing for nats.

# %%
import matplotlib.pyplot as plt
import numpy as np

from ce_book import info

# %% [markdown]
# ## 1. The two bins
# Bin $P$ has 2 red, 3 green and 4 blue balls; bin $Q$ has 4, 4 and 1. Try other bins:
# the counts are turned into probabilities for you.

# %%
counts_p = np.array([2, 3, 4])
counts_q = np.array([4, 4, 1])
P, Q = counts_p / counts_p.sum(), counts_q / counts_q.sum()

for unit, base in (("bits", 2), ("nats", None)):
    print(
        f"{unit}: H(P) = {info.entropy(P, base=base):.4f}, "
        f"H(P, Q) = {info.cross_entropy(P, Q, base=base):.4f}, "
        f"KL(P || Q) = {info.kl_divergence(P, Q, base=base):.4f}"
    )

# %% [markdown]
# The decomposition $H(P, Q) = H(P) + D_{\mathrm{KL}}(P \,\|\, Q)$ holds up to rounding:

# %%
total = info.cross_entropy(P, Q, base=2)
parts = info.entropy(P, base=2) + info.kl_divergence(P, Q, base=2)
print(f"difference: {total - parts:.1e} bits")

# %% [markdown]
# ## 2. Where does the cross-entropy come from?
# Each colour contributes $-p_i \log_2 q_i$. Blue is common in $P$ but rare in $Q$.

# %%
for colour, p_i, q_i in zip(("red", "green", "blue"), P, Q, strict=True):
    surprise = info.surprisal(q_i, base=2)
    print(
        f"{colour:>5}: p = {p_i:.3f}, surprisal under Q = {surprise:.3f} bits, "
        f"term = {p_i * surprise:.3f} bits"
    )

# %% [markdown]
# ## 3. Cross-entropy and KL as the model changes
# A true coin with $p = 0.3$ and a model coin $q$. Change `p_true`: the two curves always
# differ by $H(p)$, and both are lowest at $q = p$.

# %%
p_true = 0.3
for q in (0.1, 0.2, 0.3, 0.5, 0.9):
    p, model = [p_true, 1 - p_true], [q, 1 - q]
    print(
        f"q = {q}: H(p, q) = {info.cross_entropy(p, model, base=2):.4f} bits, "
        f"KL = {info.kl_divergence(p, model, base=2):.4f} bits"
    )

# %%
q = np.linspace(0.01, 0.99, 197)
truth = np.stack([np.full_like(q, p_true), np.full_like(q, 1 - p_true)], axis=-1)
model = np.stack([q, 1 - q], axis=-1)
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.plot(q, info.cross_entropy(truth, model, base=2), label="cross-entropy $H(p, q)$")
ax.plot(q, info.kl_divergence(truth, model, base=2), label="KL divergence")
entropy = info.entropy([p_true, 1 - p_true], base=2)
ax.axhline(entropy, linestyle=":", color="black", label="$H(p)$")
ax.set_xlabel("model probability of heads $q$")
ax.set_ylabel("bits")
ax.set_ylim(0, 4)
ax.legend()
plt.show()

# %% [markdown]
# ## 4. Gibbs' inequality, tested on random pairs
# Draw many random pairs of distributions and look for one with
# $D_{\mathrm{KL}}(p \,\|\, q) < 0$. Change the seed, the number of outcomes or of pairs.

# %%
rng = np.random.default_rng(seed=1)
p = rng.dirichlet(np.ones(4), size=5000)
q = rng.dirichlet(np.ones(4), size=5000)
kl = info.kl_divergence(p, q, base=2)
print(f"smallest KL found: {kl.min():.2e} bits")
print(f"negative ones: {int((kl < 0).sum())}")

# %% [markdown]
# ## 5. KL is not symmetric and breaks the triangle inequality
# Search random triples $(a, b, c)$ for the largest violation of
# $D(a \,\|\, c) \le D(a \,\|\, b) + D(b \,\|\, c)$.

# %%
a, b, c = (rng.dirichlet(np.ones(3), size=5000) for _ in range(3))
direct = info.kl_divergence(a, c)
detour = info.kl_divergence(a, b) + info.kl_divergence(b, c)
excess = direct - detour
worst = int(np.argmax(excess))
print(f"{int((excess > 0).sum())} of 5000 triples violate it")
print(f"worst: direct {direct[worst]:.3f} nats, via b only {detour[worst]:.3f} nats")
print("a =", a[worst].round(3), " b =", b[worst].round(3), " c =", c[worst].round(3))

# %% [markdown]
# ## Try it yourself
# - Find a distribution over four outcomes whose entropy is exactly 1.5 bits.
# - Make $Q$ give blue probability $0.01$: how does $H(P, Q)$ change, and which term grows?
# - Set $Q = P$: what are the cross-entropy and the KL divergence now?
