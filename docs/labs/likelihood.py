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
# 2. Entropy plus KL, and how fast the fitted coin approaches the true one: its divergence
#    from the truth is on average about $1/(2N)$.
# 3. Two routes to a logistic regression, and PyTorch's L-BFGS as a third; then how far
#    the fit moves from one sample to the next, against its standard error.
# 4. Underflow: multiply enough probabilities and you get `0.0`.
# 5. The NLL is minimised: perturbations, and gradient ascent running away.
# 6. Separable data: without weight decay the slope grows like the logarithm of the number of
#    steps, for ever; with it, the slope settles.
# 7. Sum or mean: PyTorch's `reduction`, the learning rate and weight decay.
# 8. Exercises that check your answers.
# 9. The book's solutions.
#
# PyTorch is optional: the cells that compare with it say so and skip when it is missing.

# %%
import matplotlib.pyplot as plt
import mpmath
import numpy as np
from scipy.special import log_softmax

from ce_book import activations, exercises, gradients, info
from ce_book import likelihood as lk
from ce_book.figures.style import RC, show

plt.rcParams.update(RC)  # the book's fonts and colours: 12-point text, readable on a phone

try:
    import torch
    import torch.nn.functional as F

    from ce_book.torch_reference import lbfgs
except ImportError:  # the lab still runs; the comparisons with PyTorch are skipped
    torch = None
print("PyTorch", torch.__version__ if torch else "is not installed: its comparisons are skipped")


# %% [markdown]
# ## 1. A coin
#
# Ten flips, seven heads (1 = heads). The likelihood of a probability of heads $\theta$ is the
# product of the probabilities of the ten outcomes. Try other sequences: the peak is at the
# fraction of heads. (If every flip agrees, the likelihood keeps rising to the edge of the
# range, 0 or 1, and the grid below, which stops at 0.01 and 0.99, shows its last point.)

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
print("argmax of the likelihood:   ", round(float(thetas[np.argmax(lik)]), 2))
print("argmin of the cross-entropy:", round(float(thetas[np.argmin(mean_ce)]), 2))

# %% [markdown]
# ## 2. Entropy plus KL, and more data
#
# The chapter splits the mean cross-entropy of any model $q$ into the entropy of the data and
# the KL divergence from the data to the model. Check the split at a few $\theta$.
#
# Then a question the chapter leaves open: how close does the fitted coin get to the true one?
# Repeat an experiment of $N$ flips of a coin whose true probability of heads is 0.7 many
# times, fit $\hat\theta$ (the fraction of heads) each time, and average the KL divergence
# from the *fitted* distribution to the true one, $D_{\mathrm{KL}}(\hat p \,\|\, p)$, the same
# divergence from the data to a model that the chapter's decomposition uses. $N$ times that
# average settles near $\tfrac12$: the fitted coin is off by about $1/(2N)$ nats. Asymptotic
# statistics says why: $\hat\theta - 0.7$ has variance $0.7 \cdot 0.3 / N$, and a small error
# $\delta$ costs a KL divergence of about $\delta^2 / (2 \cdot 0.7 \cdot 0.3)$ (half the square,
# divided by the same $0.7 \cdot 0.3$). Averaging, the divergence is about the variance divided
# by $2 \cdot 0.7 \cdot 0.3$, which is $1/(2N)$: a half per free parameter, and a $K$-class
# model would give $(K - 1)/(2N)$. (Statisticians know $2N$ times this divergence as the
# G-test statistic, which for large $N$ follows a $\chi^2$ distribution with $K - 1$ degrees of
# freedom, of mean $K - 1$.) The printed values scatter around $\tfrac12$ by a few percent:
# that is Monte Carlo noise from the 4000 repeats, not a trend.
#
# Why this direction? The other one, $D_{\mathrm{KL}}(p \,\|\, \hat p)$, is infinite whenever an
# experiment gives all heads or all tails: the fitted coin then calls an outcome impossible that the
# true coin does not, the all-heads problem of the chapter's exercise 1. That happens with positive
# probability at every $N$ (at $N = 100$, about $0.7^{100}$, some $10^{-16}$), so the exact mean of
# that divergence is infinite at every $N$, even though its distribution is nearly the same as the
# forward one's. The last lines show it at $N = 10$: the fitted-to-true direction stays finite, the
# other prints `inf`.

# %%
p_hat = np.array([flips.mean(), 1 - flips.mean()])
for theta in (0.3, 0.5, 0.7, 0.9):
    ce = -lk.bernoulli_log_likelihood(np.full(flips.size, theta), flips) / flips.size
    split = info.entropy(p_hat) + info.kl_divergence(p_hat, [theta, 1 - theta])
    print(f"theta = {theta}: mean CE {ce:.6f} = H + KL {float(split):.6f}")

rng = np.random.default_rng(0)
true = np.array([0.7, 0.3])
repeats = 4000  # experiments per N
for n in (100, 1000, 10000, 100000):
    fitted = rng.binomial(n, true[0], size=repeats) / n  # theta_hat of each experiment
    kl = info.kl_divergence(np.stack([fitted, 1 - fitted], axis=1), np.tile(true, (repeats, 1)))
    print(
        f"N = {n:6d}: mean theta_hat = {fitted.mean():.4f},"
        f" mean KL(fitted || true) = {kl.mean():.2e}, N * mean KL = {n * kl.mean():.3f}"
    )

fitted = rng.binomial(10, true[0], size=repeats) / 10  # N = 10: some experiments are all heads
pairs = np.stack([fitted, 1 - fitted], axis=1)
forward = info.kl_divergence(pairs, np.tile(true, (repeats, 1)))
with np.errstate(divide="ignore"):
    back = info.kl_divergence(np.tile(true, (repeats, 1)), pairs)
print(
    f"N = 10: all heads in {np.sum(fitted == 1)} of {repeats} experiments;"
    f" mean KL(fitted || true) = {forward.mean():.3f}, mean KL(true || fitted) = {back.mean()}"
)

# %% [markdown]
# ## 3. Two routes, one answer, and PyTorch
#
# `fit_logistic_max_likelihood` runs Newton's method on the log-likelihood, with the score
# and the curvature written straight from the likelihood; `fit_logistic_min_cross_entropy`
# runs gradient descent on the mean cross-entropy, with the loss gradient of
# `ce_book.gradients`. Change `n` or `seed`: the two fits keep agreeing to about ten digits, as
# long as the classes overlap. The data comes from slope 2 and intercept -0.5; watch the fits
# approach them as `n` grows. PyTorch's L-BFGS on `F.binary_cross_entropy_with_logits`, with
# PyTorch's own gradients, is a third route.

# %%
n, seed = 40, 0  # <- edit me
x, y = lk.synthetic_binary(n, seed=seed)
ml = lk.fit_logistic_max_likelihood(x, y)
ce = lk.fit_logistic_min_cross_entropy(x, y)
print(f"Newton ({ml.steps} steps):           w = {ml.w[0]:.12f}, b = {ml.b:.12f}")
print(f"gradient descent ({ce.steps} steps): w = {ce.w[0]:.12f}, b = {ce.b:.12f}")
if torch is not None:
    xt, yt = torch.tensor(x[:, 0]), torch.tensor(y, dtype=torch.float64)
    (wb,) = lbfgs(
        lambda wb: F.binary_cross_entropy_with_logits(wb[0] * xt + wb[1], yt),
        [np.zeros(2)],
        max_iter=200,
        tolerance_grad=1e-13,
    )
    print(f"PyTorch L-BFGS:                 w = {wb[0]:.12f}, b = {wb[1]:.12f}")

# %% [markdown]
# ### How far would another sample move the fit?
#
# The chapter's standard error of the slope comes from the curvature of the log-likelihood at
# the fit: it is the typical scatter of $\hat w$ from one sample to the next *for large $N$*.
# Check it directly: draw many fresh samples of size `n_small` from the same generator, fit
# each, and compare the spread of the slopes with the standard error of the first sample.
# Samples whose classes a threshold on $x$ separates have no estimate and are skipped (none at
# $N = 40$; set `n_small = 10` to see about a quarter of them skipped). At
# $N = 40$ the histogram is skewed to the right: a few samples almost separate and give steep
# slopes, the standard deviation exceeds the standard error, and the mean overshoots the true
# 2. Raise `n_small` to 160 or 640 and watch the skew and the bias fade.

# %%
n_small, repeats = 40, 1000  # <- edit me


def slope_and_se(x, y):
    """The Newton fit's slope and its standard error, from the Hessian of the log-likelihood."""
    fit = lk.fit_logistic_max_likelihood(x, y)
    xt = np.column_stack([x[:, 0], np.ones(len(x))])
    q = activations.sigmoid(xt @ np.array([fit.w[0], fit.b]))
    info_matrix = (xt * (q * (1 - q))[:, None]).T @ xt  # minus the Hessian of the log-likelihood
    return fit.w[0], np.sqrt(np.linalg.inv(info_matrix)[0, 0])


def separated(x, y):
    lo, hi = x[y == 0, 0], x[y == 1, 0]
    return lo.size == 0 or hi.size == 0 or lo.max() < hi.min() or hi.max() < lo.min()


w_first, se_first = slope_and_se(*lk.synthetic_binary(n_small))
slopes = np.array(
    [
        slope_and_se(*data)[0]
        for data in (lk.synthetic_binary(n_small, seed=s) for s in range(1, repeats + 1))
        if not separated(*data)
    ]
)
q1, q3 = np.percentile(slopes, [25, 75])
print(f"standard error of the first sample's slope: {se_first:.2f}")
print(f"{repeats - slopes.size} of {repeats} samples separated and skipped")
print(f"{slopes.size} fits: standard deviation {slopes.std(ddof=1):.2f}, mean {slopes.mean():.2f}")
print(f"middle half from {q1:.2f} to {q3:.2f}; a normal spread with the standard error would")
print(f"give a middle half {1.349 * se_first:.2f} wide, this one is {q3 - q1:.2f}")

fig, ax = plt.subplots(figsize=(7, 3.4), layout="constrained")
ax.hist(slopes, bins=60, density=True, color="C0", alpha=0.6, label="fitted slopes")
grid = np.linspace(slopes.min(), np.percentile(slopes, 99.5), 300)
ax.plot(
    grid,
    np.exp(-((grid - 2) ** 2) / (2 * se_first**2)) / (se_first * np.sqrt(2 * np.pi)),
    color="C1",
    label="normal, centred on 2, with the standard error",
)
ax.axvline(2, color="k", linestyle="--")
ax.set_xlim(grid[0], grid[-1])
ax.set_xlabel("fitted slope $\\hat w$")
ax.set_ylabel("density")
ax.legend()
show(
    fig,
    "A histogram of the fitted slopes of many fresh samples, with the normal curve that the "
    "standard error predicts, centred on the true slope 2 (dashed). At N = 40 the histogram "
    "peaks a little left of 2 and has a long tail to the right, beyond the normal curve.",
)

# %% [markdown]
# ## 4. Underflow
#
# The running product of the probabilities of the observed labels, against the running sum of
# their logs, at a few sample counts up to `n_large`. Make `n_large` bigger or smaller and see
# where the product becomes `0.0`. At 1,600 samples the product prints as a number near
# `1e-323`: already a subnormal, twice the smallest float64, $2^{-1074}$. Subnormals keep few
# significant digits, so the product moves in whole units of $2^{-1074}$ and can stick: at two
# units it stays put while the factors are at least 3/4 (anything less rounds it down), and at
# one unit, $2^{-1074}$ itself, multiplying it by any probability above one half rounds back to
# $2^{-1074}$. It becomes exactly zero at the first later sample whose probability is one half
# or less, which is why the float product reaches zero some samples after the exact one has
# passed below $2^{-1074}$. The last lines find where the exact
# product falls below $2^{-1074}$ and where the float product becomes exactly zero, the
# number the chapter quotes.

# %%
n_large = 3000
xl, yl = lk.synthetic_binary(n_large)
fit = lk.fit_logistic_max_likelihood(xl, yl)
p = activations.sigmoid(xl[:, 0] * fit.w[0] + fit.b)
for m in [m for m in (100, 1000, 1500, 1600, 1700, 3000) if m <= n_large]:
    print(
        f"n = {m:5d}: product = {lk.bernoulli_likelihood(p[:m], yl[:m]):.3e}, "
        f"sum of logs = {lk.bernoulli_log_likelihood(p[:m], yl[:m]):9.2f}"
    )
observed = np.where(yl == 1, p, 1 - p)  # the probability of each observed label
exact_log2 = np.cumsum(np.log2(observed))  # the exact running product, as a power of 2
print(
    "first sample at which the exact product is below 2**-1074:",
    int(np.argmax(exact_log2 < -1074)) + 1,
)
running = np.cumprod(observed)  # the float64 product, sample by sample
print("first sample at which the product is exactly 0.0:", int(np.argmax(running == 0)) + 1)

# %% [markdown]
# ## 5. The NLL is minimised
#
# Perturb the fitted parameters in 200 random directions of length 0.1: the NLL always goes up. Then
# try the wrong sign: gradient *ascent* on the mean cross-entropy (the NLL, with the step divided by
# $N$), with the step size that made descent converge. The loss grows without end. The gradient's
# length grows at first and then levels off: once every prediction is confident, each example's
# residual $\sigma(z_n) - y_n$ is close to 0 (a confidently right example) or $\pm 1$ (a confidently
# wrong one), the gradient of the mean tends to a fixed vector, every step is about the same, and
# the loss grows by about the same amount per step, linearly.

# %%
rng = np.random.default_rng(0)
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
# reached when you stopped it (early stopping). How fast does it grow? Once every point is
# classified with a margin, the gradient is dominated by the two points nearest the boundary,
# at $|x| = 1$: each contributes about $e^{-w}$, and the mean over the four points is about
# $e^{-w}/2$. A slope that grows at the rate $e^{-w}/2$ grows like $\log t$ after $t$ steps:
# each tenfold increase in the number of steps adds about the same amount, about $\ln 10$. Add
# weight decay,
# $\tfrac{\lambda}{2} w^2$, and the objective gets a minimiser: the slope settles, and a
# larger $\lambda$ settles it lower.

# %%
xs = np.array([-2.0, -1.0, 1.0, 2.0])
ys = np.array([0.0, 0.0, 1.0, 1.0])


def descend(lam, steps, record=False):
    """Gradient descent (step 1) on the mean cross-entropy plus lam / 2 * w^2, from w = 0."""
    w, path = 0.0, []
    for _ in range(steps):
        g = np.mean(
            gradients.binary_cross_entropy_with_logits_grad(w * xs, ys, reduction="none") * xs
        )
        w -= 1.0 * (g + lam * w)
        path.append(w)
    return np.array(path) if record else w


steps = 20000
paths = {lam: descend(lam, steps, record=True) for lam in (0.0, 0.01, 0.1)}
for t in (100, 1000, 10000, 20000):
    print(
        f"{t:6d} steps: "
        + ",  ".join(f"lambda = {lam}: w = {p[t - 1]:.3f}" for lam, p in paths.items())
    )

fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
for lam, path in paths.items():
    ax.plot(np.arange(1, steps + 1), path, label=f"$\\lambda = {lam}$")
ax.set_xscale("log")
ax.set_xlabel("gradient-descent steps (log scale)")
ax.set_ylabel("slope $w$")
ax.legend()
show(
    fig,
    "The slope w against the number of gradient-descent steps, on a logarithmic axis. Without "
    "weight decay the curve becomes a rising straight line: the slope grows like the logarithm "
    "of the number of steps and never levels off. With lambda = 0.01 and lambda = 0.1 the "
    "curves level off at finite slopes, the lower one for the larger lambda.",
)

# %% [markdown]
# ## 7. Sum or mean, in PyTorch
#
# `reduction="sum"` is the NLL, `reduction="mean"` the mean cross-entropy. Their gradients
# differ by the factor $N$, so plain gradient descent with the same learning rate takes steps
# $N$ times longer on the sum. With a penalty the two also stop agreeing on the minimiser:
# $\tfrac{\lambda}{2} w^2$ added to the sum weighs like $\tfrac{\lambda}{2N} w^2$ added to the mean.

# %%
theta0 = np.array([0.3, -0.2])  # any parameters (w, b)
z0 = theta0[0] * x[:, 0] + theta0[1]
grad = {
    r: xa.T @ gradients.binary_cross_entropy_with_logits_grad(z0, y.astype(float), reduction=r)
    for r in ("mean", "sum")
}
print("ce_book: gradient of the sum / gradient of the mean =", grad["sum"] / grad["mean"])
if torch is not None:
    wb = torch.tensor(theta0, requires_grad=True)
    xt, yt = torch.tensor(x[:, 0]), torch.tensor(y, dtype=torch.float64)
    for r in ("mean", "sum"):
        loss = F.binary_cross_entropy_with_logits(wb[0] * xt + wb[1], yt, reduction=r)
        (g,) = torch.autograd.grad(loss, wb)
        print(f"PyTorch, reduction={r!r}: {g.numpy()}, ce_book: {grad[r]}")

# %% [markdown]
# The same $\lambda = 0.1$ on the slope, added once to the mean and once to the sum, fitted by
# PyTorch's L-BFGS (skipped without PyTorch). Expect the penalty on the mean to pull the slope
# much further towards 0: next to the data, it weighs $N$ times as much as the same penalty on
# the sum ($N = 40$ unless you changed `n` in section 3; the cell prints it).

# %%
print("N =", len(y))
if torch is not None:
    for r in ("mean", "sum"):
        (wb_fit,) = lbfgs(
            lambda wb, r=r: (
                F.binary_cross_entropy_with_logits(wb[0] * xt + wb[1], yt, reduction=r)
                + 0.1 / 2 * wb[0] ** 2
            ),
            [np.zeros(2)],
            max_iter=200,
            tolerance_grad=1e-12,
        )
        print(f"{r:4s} + (0.1/2) w^2: w = {wb_fit[0]:.6f}, b = {wb_fit[1]:.6f}")
    print(f"no penalty:         w = {ml.w[0]:.6f}, b = {ml.b:.6f}")

# %% [markdown]
# ## 8. Exercises
#
# Each exercise leaves a cell with `answer = None`: replace `None` with your answer and run the
# cell. The check does not redo the book's solution; it tests a property any right answer has.
# The book's own answers are in section 9, checked by the same tests.
#
# **Exercise 1. The learning rate of the sum.** Gradient descent on the *mean* cross-entropy
# of section 3's data `x, y` converges with the step size `lk.descent_step_size(x)` (section 5
# uses it). Which step size on the *sum*, the NLL, takes exactly the same steps?

# %%
answer = None  # <- your step size for the NLL


def accept_sum_step(step):
    # 30 steps of descent on the NLL with your step, against 30 steps on the mean with the
    # book's; every gradient comes from PyTorch's autograd (or, without PyTorch, from central
    # differences of the NLL)
    def nll(t):
        return -lk.logistic_log_likelihood(x, y, t[:1], t[1])

    def grad_nll(t):
        if torch is None:
            return gradients.numerical_gradient(nll, t)
        tt = torch.tensor(t, requires_grad=True)
        xt, yt = torch.tensor(x[:, 0]), torch.tensor(y, dtype=torch.float64)
        loss = F.binary_cross_entropy_with_logits(tt[0] * xt + tt[1], yt, reduction="sum")
        return torch.autograd.grad(loss, tt)[0].numpy()

    on_sum, on_mean = np.zeros(2), np.zeros(2)
    for _ in range(30):
        on_sum = on_sum - float(step) * grad_nll(on_sum)
        on_mean = on_mean - lk.descent_step_size(x) * grad_nll(on_mean) / len(y)
    return np.allclose(on_sum, on_mean, rtol=1e-6, atol=1e-9)


exercises.check(answer, accept_sum_step, hint="the NLL is N times the mean")

# %% [markdown]
# **Exercise 2. Where weight decay stops the slope.** On the separable points of section 6,
# with $\lambda = 0.1$ added to the mean cross-entropy as $\tfrac{\lambda}{2} w^2$ (and no
# intercept), find the slope $w$ that minimises the penalised objective, to six digits.

# %%
answer = None  # <- your slope


def accept_decayed_slope(w):
    # the derivative of the penalised objective, at 50 digits, changes sign within 1e-6 of w
    def slope_of_objective(v):
        with mpmath.workdps(50):
            v = mpmath.mpf(v)
            terms = [
                (1 / (1 + mpmath.exp(-v * xi)) - yi) * xi
                for xi, yi in zip(xs.tolist(), ys.tolist(), strict=True)
            ]
            return mpmath.fsum(terms) / len(xs) + mpmath.mpf("0.1") * v

    w = float(w)
    return slope_of_objective(w - 1e-6) < 0 < slope_of_objective(w + 1e-6)


exercises.check(
    answer, accept_decayed_slope, hint="run descend long enough, or solve for a zero slope"
)

# %% [markdown]
# **Exercise 3. A change that changes nothing.** Take the softmax regression `ml3` fitted to
# `synthetic_categorical(90)` below. Give changes `(dw, db)` of its weights (shape `(2, 3)`)
# and biases (shape `(3,)`) that move some parameter by at least 1 and yet leave the
# log-likelihood unchanged (to $10^{-9}$).

# %%
xc, yc = lk.synthetic_categorical(90)
ml3 = lk.fit_softmax_max_likelihood(xc, yc, k=3)
answer = None  # <- a pair (dw, db)


def accept_flat_change(change):
    # the log-likelihood recomputed with SciPy's log_softmax, an implementation of its own
    dw, db = (np.asarray(a, dtype=float) for a in change)
    if dw.shape != (2, 3) or db.shape != (3,) or max(np.abs(dw).max(), np.abs(db).max()) < 1:
        return False

    def loglik(w, b):
        return log_softmax(xc @ w + b, axis=1)[np.arange(len(yc)), yc].sum()

    return abs(loglik(ml3.w + dw, ml3.b + db) - loglik(ml3.w, ml3.b)) < 1e-9


exercises.check(
    answer, accept_flat_change, hint="which change adds the same amount to every logit?"
)

# %% [markdown]
# **Exercise 4. Confident models underflow too.** A model that gives every observed label the
# probability 0.9 is doing well. How many such probabilities can you multiply before the
# exact product falls below the smallest *normal* float64, $2^{-1022}$, where floats start to
# lose significant digits? Give the largest count whose product is still at least
# $2^{-1022}$.

# %%
answer = None  # <- a whole number


def accept_normal_count(n):
    # exact powers of the decimal 0.9, at 60 digits, on either side of the answer
    n = int(n)
    with mpmath.workdps(60):
        p, smallest = mpmath.mpf("0.9"), mpmath.mpf(2) ** -1022
        return p**n >= smallest > p ** (n + 1)


exercises.check(answer, accept_normal_count, hint="take logarithms: n log 0.9 against -1022 log 2")

# %% [markdown]
# ## 9. Solutions
#
# The book's answers, run through the same checks as yours.

# %% [markdown]
# **Exercise 1.** The NLL is $N$ times the mean cross-entropy, so its gradient is $N$ times
# larger and the step size must be $N$ times smaller: here divided by `len(y)`, which is 40
# unless you changed `n` in section 3.

# %%
book_answer = lk.descent_step_size(x) / len(y)
print("N =", len(y), " step size on the NLL:", book_answer)
exercises.solution(book_answer, accept_sum_step)

# %% [markdown]
# **Exercise 2.** Gradient descent with the penalty converges (section 6): run it until the
# slope stops moving. The penalised objective is strictly convex, so this is its only
# minimiser.

# %%
book_answer = descend(0.1, 20000)
print(book_answer)
exercises.solution(book_answer, accept_decayed_slope)

# %% [markdown]
# **Exercise 3.** Add one vector $u = (u_1, u_2, u_0)$ to every class's parameters: each logit
# of an example then gains the same $u_1 x_1 + u_2 x_2 + u_0$, which the softmax ignores
# (the chapter's side note derives it: "Adding one vector to every class's parameters changes
# no prediction"). Any $u$ will do; here
# $(0.3, -1.2, 2.0)$.

# %%
u = np.array([0.3, -1.2, 2.0])
book_answer = (np.tile(u[:2, None], (1, 3)), np.full(3, u[2]))
exercises.solution(book_answer, accept_flat_change)

# %% [markdown]
# **Exercise 4.** The product of $n$ factors 0.9 stays at least $2^{-1022}$ as long as
# $n \ln 0.9$ stays at least $-1022 \ln 2$, so the count is the whole part of
# $1022 \ln 2 / \ln(1/0.9)$: a few thousand samples, even for a good model.

# %%
book_answer = int(np.floor(1022 * np.log(2) / -np.log(0.9)))
print(book_answer)
exercises.solution(book_answer, accept_normal_count)
