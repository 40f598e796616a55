# %% [markdown]
# # Lab: numerical stability
#
# Companion to the chapter [Numerical stability](../stability.md). Every textbook formula here
# comes from `ce_book.naive` (counter-examples kept for teaching), every fix from `ce_book`.
# Change the numbers and watch where each one breaks.

# %%
import mpmath
import numpy as np

from ce_book import activations, losses, naive

mpmath.mp.dps = 50


def exact_ce(z, k):
    """Cross-entropy of logits z with true class k, at 50 digits."""
    return mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(float(v))) for v in z)) - float(z[k])


# %% [markdown]
# ## 1. Overflow: find where the textbook softmax breaks
# Try logits just below and just above $\log(\text{largest float})$, in both formats.

# %%
for dtype in (np.float64, np.float32):
    limit = np.log(np.finfo(dtype).max)
    for z0 in (limit - 0.5, limit + 0.5):
        z = np.array([z0, 0.0], dtype=dtype)
        print(dtype.__name__, f"z0 = {z0:8.2f}", naive.softmax(z), activations.softmax(z))

# %% [markdown]
# ## 2. Underflow: how long does a product of probabilities survive?
# Change `p` and see how many factors the running product takes before it is exactly 0.

# %%
for p in (0.9, 0.5, 0.4, 0.1):
    running = np.cumprod(np.full(20000, p))
    survived = int(np.argmax(running == 0)) if (running == 0).any() else None
    print(f"p = {p}: zero after {survived} factors; sum of logs of 1000 factors = "
          f"{np.sum(np.log(np.full(1000, p))):.2f}")

# %% [markdown]
# ## 3. Clipping versus logits
# The clipped loss is capped and flat; the logits form follows the true loss.

# %%
for z in (5.0, 10.0, 20.0, 40.0):
    clipped = float(naive.binary_cross_entropy_clipped(naive.sigmoid(z), 0.0))
    stable = float(losses.binary_cross_entropy_with_logits(z, 0.0))
    print(f"logit {z:5.1f}, label 0: clipped {clipped:8.4f}   logits form {stable:8.4f}")

# %% [markdown]
# ## 4. The tiny-loss regime
# Relative error of the log-of-a-sum recipe (PyTorch's order of operations) and of
# `ce_book.losses.cross_entropy`, as the lead of the true logit grows.

# %%
for gap in (5, 10, 20, 30, 35, 37, 40, 60):
    z = np.array([float(gap), 0.0, 0.0])
    exact = exact_ce(z, 0)
    log_sum = float(naive.cross_entropy_log_sum(z, 0))
    ours = float(losses.cross_entropy(z[None, :], [0]))
    print(f"gap {gap:3d}: exact {float(exact):.3e}  log-of-sum error "
          f"{float(abs(log_sum - exact) / exact):.1e}  ce_book error {float(abs(ours - exact) / exact):.1e}")

# %% [markdown]
# Try it in float32: replace `np.array([...])` by `np.array([...], dtype=np.float32)` above
# and see the log-of-a-sum recipe give up at a much smaller lead.
