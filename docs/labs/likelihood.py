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
# numbers and re-run the cells to see what moves and what does not.
#
# 1. The likelihood of a coin, and where it peaks.
# 2. Two routes to a logistic regression: Newton on the log-likelihood, gradient descent on
#    the mean cross-entropy.
# 3. Underflow: multiply enough probabilities and you get `0.0`.
# 4. The sign: the NLL is minimised, and "maximising" it runs away.

# %%
import matplotlib.pyplot as plt
import numpy as np

from ce_book import activations, gradients, info
from ce_book import likelihood as lk

# %% [markdown]
# ## 1. A coin
#
# Ten flips, seven heads (1 = heads). The likelihood of a probability of heads $\theta$ is the
# product of the probabilities of the ten outcomes. Try other sequences: the peak is always at
# the fraction of heads.

# %%
flips = np.array([1, 1, 0, 1, 1, 1, 0, 1, 0, 1])
thetas = np.linspace(0.01, 0.99, 99)
lik = [lk.bernoulli_likelihood(np.full(flips.size, t), flips) for t in thetas]
mean_ce = [-lk.bernoulli_log_likelihood(np.full(flips.size, t), flips) / flips.size for t in thetas]

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2))
ax1.plot(thetas, lik)
ax1.set_xlabel(r"$\theta$")
ax1.set_ylabel(r"likelihood $\mathcal{L}(\theta)$")
ax2.plot(thetas, mean_ce, color="C1")
ax2.set_xlabel(r"$\theta$")
ax2.set_ylabel("mean cross-entropy (nats)")
for ax in (ax1, ax2):
    ax.axvline(flips.mean(), linestyle="--", color="k")
plt.show()

print("argmax of the likelihood:   ", thetas[np.argmax(lik)])
print("argmin of the cross-entropy:", thetas[np.argmin(mean_ce)])
print("minimum mean CE (nats):     ", min(mean_ce))
print("entropy of the fitted coin: ", float(info.entropy([flips.mean(), 1 - flips.mean()])))

# %% [markdown]
# ## 2. Two routes, one answer
#
# `fit_logistic_max_likelihood` runs Newton's method on the log-likelihood;
# `fit_logistic_min_cross_entropy` runs gradient descent on the mean cross-entropy computed by
# `ce_book.losses`. Change `n` or `seed`: the two fits keep agreeing to about ten digits, as
# long as the classes overlap.

# %%
n, seed = 40, 0
x, y = lk.synthetic_binary(n, seed=seed)
ml = lk.fit_logistic_max_likelihood(x, y)
ce = lk.fit_logistic_min_cross_entropy(x, y)
print(f"Newton ({ml.steps} steps):           w = {ml.w[0]:.12f}, b = {ml.b:.12f}")
print(f"gradient descent ({ce.steps} steps): w = {ce.w[0]:.12f}, b = {ce.b:.12f}")
ll = lk.logistic_log_likelihood(x, y, ml.w, ml.b)
j = lk.logistic_mean_cross_entropy(x, y, ml.w, ml.b)
print("log-likelihood:", ll, "  -N * mean CE:", -n * j)

# %% [markdown]
# The same with three classes and two features:

# %%
xc, yc = lk.synthetic_categorical(90)
ml3 = lk.fit_softmax_max_likelihood(xc, yc, k=3)
ce3 = lk.fit_softmax_min_cross_entropy(xc, yc, k=3)
gap = max(np.abs(ml3.w - ce3.w).max(), np.abs(ml3.b - ce3.b).max())
print("largest difference between the two fits:", gap)
print(
    "class parameters sum to zero:", np.allclose(ml3.w.sum(axis=1), 0), np.isclose(ml3.b.sum(), 0)
)

# %% [markdown]
# ## 3. Underflow
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
# ## 4. The NLL is minimised
#
# Perturb the fitted parameters in random directions: the NLL always goes up. Then try the
# wrong sign, gradient *ascent* on the NLL with the step size that made descent converge
# (`descent_step_size`, the inverse of the largest curvature), and watch it grow without bound.

# %%
rng = np.random.default_rng(1)
nll_hat = -lk.logistic_log_likelihood(x, y, ml.w, ml.b)
increases = []
for _ in range(100):
    d = rng.standard_normal(2)
    d *= 0.1 / np.linalg.norm(d)
    increases.append(-lk.logistic_log_likelihood(x, y, ml.w + d[:1], ml.b + d[1]) - nll_hat)
print("smallest increase of the NLL over 100 perturbations:", min(increases))

# %%
xa = np.hstack([x, np.ones((n, 1))])
lr = lk.descent_step_size(x)
theta = np.zeros(2)
for step in range(1, 101):
    dz = gradients.binary_cross_entropy_with_logits_grad(xa @ theta, y.astype(float))
    theta = theta + lr * (xa.T @ dz)  # + : ascent, the wrong way
    if step in (1, 10, 50, 100):
        mean_ce = lk.logistic_mean_cross_entropy(x, y, theta[:1], theta[1])
        print(f"step {step:3d}: mean CE = {mean_ce:8.3f} nats")
