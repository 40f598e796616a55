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
# # Lab: cross-entropy is maximum likelihood
#
# Companion to [chapter 4](../likelihood.md). Everything here runs on `ce_book`; change the
# numbers and re-run the cells. Beyond the chapter, the lab shows:
#
# 1. The likelihood of a coin, and where it peaks.
# 2. Entropy plus KL, and what happens to the fitted coin as the data grows.
# 3. Two routes to a logistic regression, and PyTorch's L-BFGS as a third.
# 4. Underflow: multiply enough probabilities and you get `0.0`.
# 5. The NLL is minimised: perturbations, and gradient ascent running away.
# 6. Separable data: weight decay gives a minimiser, early stopping only a stopping time.
# 7. Exercises that check themselves.
#
# PyTorch is optional: the cells that compare with it say so and skip when it is missing.

# %%
import itertools

import matplotlib.pyplot as plt
import numpy as np

from ce_book import activations, gradients, info
from ce_book import likelihood as lk
from ce_book.figures.style import RC, show

plt.rcParams.update(RC)  # the book's fonts and colours: 12-point text, readable on a phone

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # the lab still runs; the comparisons with PyTorch are skipped
    torch = None
print("PyTorch", torch.__version__ if torch else "is not installed: its comparisons are skipped")



# %% [markdown]
# ## 1. A coin
#
# Ten flips, seven heads (1 = heads). The likelihood of a probability of heads $\theta$ is the
# product of the probabilities of the ten outcomes. Try other sequences: the peak is always at
# the fraction of heads.

# %%
flips = np.array([1, 1, 0, 1, 1, 1, 0, 1, 0, 1])  # <- edit me
thetas = np.linspace(0.01, 0.99, 99)
lik = [lk.bernoulli_likelihood(np.full(flips.size, t), flips) for t in thetas]
mean_ce = [-lk.bernoulli_log_likelihood(np.full(flips.size, t), flips) / flips.size for t in thetas]

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
ax1.plot(thetas, lik)
ax1.set_xlabel(r"$\theta$")
ax1.set_ylabel(r"likelihood $\mathcal{L}(\theta)$")
ax2.plot(thetas, mean_ce, color="C1")
ax2.set_xlabel(r"$\theta$")
ax2.set_ylabel("mean cross-entropy (nats)")
for ax in (ax1, ax2):
    ax.axvline(flips.mean(), linestyle="--", color="k")
show(
    fig,
    "Left: the likelihood of the ten flips against theta, a single bump that peaks at the "
    "fraction of heads (a dashed line). Right: the mean cross-entropy against theta, a bowl "
    "whose lowest point is at the same dashed line.",
)
print("argmax of the likelihood:   ", thetas[np.argmax(lik)])
print("argmin of the cross-entropy:", thetas[np.argmin(mean_ce)])

# %% [markdown]
# ## 2. Entropy plus KL, and more data
#
# The chapter splits the mean cross-entropy of any model $q$ into the entropy of the data and
# the KL divergence from the data to the model. Check the split at a few $\theta$. Then draw
# more and more flips of a coin whose true probability of heads is 0.7: the fitted $\hat\theta$
# (the fraction of heads) approaches 0.7, and the KL divergence from the *true* distribution
# to the fitted model shrinks roughly like $1/N$.

# %%
p_hat = np.array([flips.mean(), 1 - flips.mean()])
for theta in (0.3, 0.5, 0.7, 0.9):
    ce = -lk.bernoulli_log_likelihood(np.full(flips.size, theta), flips) / flips.size
    split = info.entropy(p_hat) + info.kl_divergence(p_hat, [theta, 1 - theta])
    print(f"theta = {theta}: mean CE {ce:.6f} = H + KL {float(split):.6f}")

rng = np.random.default_rng(0)
true = np.array([0.7, 0.3])
for n in (10, 100, 1000, 10000, 100000):
    draws = (rng.random(n) < true[0]).astype(int)
    fitted = np.clip(draws.mean(), 1e-12, 1 - 1e-12)
    kl = float(info.kl_divergence(true, [fitted, 1 - fitted]))
    print(
        f"N = {n:6d}: theta_hat = {fitted:.4f}, KL(true || fitted) = {kl:.2e},"
        f" N * KL = {n * kl:.2f}"
    )

# %% [markdown]
# ## 3. Two routes, one answer, and PyTorch
#
# `fit_logistic_max_likelihood` runs Newton's method on the log-likelihood;
# `fit_logistic_min_cross_entropy` runs gradient descent on the mean cross-entropy computed by
# `ce_book.losses`. Change `n` or `seed`: the two fits keep agreeing to about ten digits, as
# long as the classes overlap. PyTorch's L-BFGS on `F.binary_cross_entropy_with_logits` is a
# third, unrelated route.

# %%
n, seed = 40, 0  # <- edit me
x, y = lk.synthetic_binary(n, seed=seed)
ml = lk.fit_logistic_max_likelihood(x, y)
ce = lk.fit_logistic_min_cross_entropy(x, y)
print(f"Newton ({ml.steps} steps):           w = {ml.w[0]:.12f}, b = {ml.b:.12f}")
print(f"gradient descent ({ce.steps} steps): w = {ce.w[0]:.12f}, b = {ce.b:.12f}")
if torch is not None:
    from ce_book.torch_reference import lbfgs

    xt, yt = torch.tensor(x[:, 0]), torch.tensor(y, dtype=torch.float64)
    (wb,) = lbfgs(
        lambda wb: F.binary_cross_entropy_with_logits(wb[0] * xt + wb[1], yt),
        [np.zeros(2)],
        max_iter=200,
        tolerance_grad=1e-13,
    )
    print(f"PyTorch L-BFGS:                 w = {wb[0]:.12f}, b = {wb[1]:.12f}")

# %% [markdown]
# ## 4. Underflow
#
# The running product of the probabilities of the observed labels, against the running sum of
# their logs. Make `n_large` bigger or smaller and see where the product becomes `0.0`.

# %%
n_large = 3000
xl, yl = lk.synthetic_binary(n_large)
fit = lk.fit_logistic_max_likelihood(xl, yl)
p = activations.sigmoid(xl[:, 0] * fit.w[0] + fit.b)
for m in (100, 1000, 1500, 1600, 1700, 3000):
    print(
        f"n = {m:5d}: product = {lk.bernoulli_likelihood(p[:m], yl[:m]):.3e}, "
        f"sum of logs = {lk.bernoulli_log_likelihood(p[:m], yl[:m]):9.2f}"
    )

# %% [markdown]
# ## 5. The NLL is minimised
#
# Perturb the fitted parameters in 200 random directions of length 0.1: the NLL always goes
# up. Then try the wrong sign, gradient *ascent* on the NLL with the step size that made
# descent converge, and watch both the NLL and the length of the gradient grow.

# %%
rng = np.random.default_rng(1)
nll_hat = -lk.logistic_log_likelihood(x, y, ml.w, ml.b)
increases = []
for _ in range(200):
    d = rng.standard_normal(2)
    d *= 0.1 / np.linalg.norm(d)
    increases.append(-lk.logistic_log_likelihood(x, y, ml.w + d[:1], ml.b + d[1]) - nll_hat)
print("smallest increase of the NLL over 200 perturbations:", min(increases))

xa = np.hstack([x, np.ones((n, 1))])
lr = lk.descent_step_size(x)
theta = np.zeros(2)
norms = []
for step in range(1, 101):
    dz = gradients.binary_cross_entropy_with_logits_grad(xa @ theta, y.astype(float))
    g = xa.T @ dz
    norms.append(np.linalg.norm(g))
    theta = theta + lr * g  # + : ascent, the wrong way
    if step in (1, 10, 50, 100):
        mean_ce = lk.logistic_mean_cross_entropy(x, y, theta[:1], theta[1])
        print(f"step {step:3d}: mean CE = {mean_ce:8.3f} nats, |gradient| = {norms[-1]:.3f}")

# %% [markdown]
# ## 6. Separable data: a minimiser, or only a stopping time
#
# On the four points $x = (-2, -1, 1, 2)$ with labels $(0, 0, 1, 1)$ the NLL keeps falling as
# the slope grows. Gradient descent therefore never stops: the slope it returns is whatever it
# reached when you stopped it (early stopping). Add weight decay, $\tfrac{\lambda}{2} w^2$, and
# the objective gets a minimiser: the slope settles, and a larger $\lambda$ settles it lower.

# %%
xs = np.array([-2.0, -1.0, 1.0, 2.0])
ys = np.array([0.0, 0.0, 1.0, 1.0])


def descend(lam, steps):
    w = 0.0
    for _ in range(steps):
        g = np.mean(
            gradients.binary_cross_entropy_with_logits_grad(w * xs, ys, reduction="none") * xs
        )
        w -= 1.0 * (g + lam * w)
    return w


for steps in (100, 1000, 10000):
    print(
        f"{steps:6d} steps: no decay w = {descend(0.0, steps):7.3f},"
        f"  lambda = 0.01: w = {descend(0.01, steps):.3f},"
        f"  lambda = 0.1: w = {descend(0.1, steps):.3f}"
    )

# %% [markdown]
# ## 7. Exercises
#
# Each cell states a fact as an `assert`. Run it; then change the numbers and predict whether
# it still holds before you run it again.
#
# **7.1** The log-likelihood is $-N$ times the mean cross-entropy, at *any* parameters, not
# only at the fit.

# %%
for w, b in ((0.0, 0.0), (1.0, -0.5), (ml.w[0], ml.b), (5.0, 2.0)):
    ll = lk.logistic_log_likelihood(x, y, [w], b)
    j = lk.logistic_mean_cross_entropy(x, y, [w], b)
    assert np.isclose(ll, -n * j, rtol=1e-13)

# %% [markdown]
# **7.2** The maximum-likelihood categorical distribution is the vector of class frequencies,
# and its mean cross-entropy is their entropy.

# %%
counts = np.array([5, 3, 2])
labels = np.repeat(np.arange(3), counts)
fit3 = lk.fit_softmax_max_likelihood(np.zeros((labels.size, 1)), labels, 3)
q = activations.softmax(fit3.b)
assert np.allclose(q, counts / counts.sum(), atol=1e-12)
best = -lk.categorical_log_likelihood(np.tile(q, (labels.size, 1)), labels) / labels.size
assert np.isclose(best, float(info.entropy(counts / counts.sum())), rtol=1e-12)

# %% [markdown]
# **7.3** Adding one vector to every class's parameters leaves the softmax regression's
# likelihood unchanged: three flat directions with two features.

# %%
xc, yc = lk.synthetic_categorical(90)
ml3 = lk.fit_softmax_max_likelihood(xc, yc, k=3)
u = np.array([0.3, -1.2, 2.0])  # a shift of (w_1, w_2, b), the same for every class
base = lk.softmax_log_likelihood(xc, yc, ml3.w, ml3.b)
moved = lk.softmax_log_likelihood(xc, yc, ml3.w + u[:2, None], ml3.b + u[2])
assert np.isclose(base, moved, rtol=1e-13)

# %% [markdown]
# **7.4** Gradient ascent on the NLL never lets the gradient shrink (section 5), so it cannot
# settle.

# %%
assert all(b >= a * (1 - 1e-12) for a, b in itertools.pairwise(norms))

# %% [markdown]
# **7.5** With weight decay the separable problem has a finite minimiser: more steps no longer
# move the slope.

# %%
assert abs(descend(0.1, 20000) - descend(0.1, 10000)) < 1e-9
assert descend(0.0, 20000) > descend(0.0, 10000) + 0.1  # without decay it keeps growing
print("all exercises pass")
