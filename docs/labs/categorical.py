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
# 2. One loss, four routes, and PyTorch: where they agree, and where they part ways.
# 3. Label smoothing is a soft target, and PyTorch's `label_smoothing` agrees.
# 4. Class weights: what `"mean"` divides by depends on how the targets are written.
# 5. The floor of a double softmax, as the number of classes grows, and what it does to
#    training.
# 6. Exercises that check your answers.
#
# PyTorch is optional: the cells that compare with it say so and skip when it is missing.

# %%

import math

import matplotlib.pyplot as plt
import numpy as np
from scipy.optimize import brentq

from ce_book import exercises, info, losses, tutorial_code
from ce_book.activations import softmax
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
# The tutorial's four losses can be computed four ways: chapter 1's `info.cross_entropy`,
# `nll_loss` of $\log p$, and `cross_entropy` of the logits $\log p$ with class indices and
# with one-hot targets. On the tutorial's rows they all agree with PyTorch to rounding.
#
# They are not the same function, though. Multiply every probability by `scale`, so that the
# rows no longer sum to 1, and run the cell again. Before you do: which routes will change,
# which will not, and which will refuse?

# %%
scale = 1.0  # <- try 2.0
q = scale * P


def route(compute):
    try:
        return np.round(compute(), 4)
    except ValueError as err:
        return f"ValueError: {err}"


routes = {
    "info.cross_entropy": lambda: info.cross_entropy(np.eye(3)[Y], q),
    "nll_loss(log q)": lambda: losses.nll_loss(np.log(q), Y, reduction="none"),
    "cross_entropy, indices": lambda: losses.cross_entropy(np.log(q), Y, reduction="none"),
    "cross_entropy, one-hot": lambda: losses.cross_entropy(
        np.log(q), np.eye(3)[Y], reduction="none"
    ),
}
if torch is not None:
    routes["PyTorch F.cross_entropy"] = lambda: F.cross_entropy(
        torch.tensor(np.log(q)), torch.tensor(Y), reduction="none"
    ).numpy()
for name, compute in routes.items():
    print(f"{name:24s} {route(compute)}")
log_p = np.log(P)  # the tutorial's log-probabilities, used below

# %% [markdown]
# With `scale = 2.0`, `info.cross_entropy` refuses: its second argument must be a
# distribution. `nll_loss` takes the numbers as they are, so every loss drops by $\ln 2$, and
# three of the four become negative. The `cross_entropy` routes do not move at all:
# $\log(2p)$ is $\log p$ shifted by $\ln 2$, and the softmax inside `cross_entropy` ignores a
# shift of every logit. That is why `cross_entropy` takes logits, which need not be
# normalised, and `nll_loss` takes log-probabilities, which must be.

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
# The book's `cross_entropy` uses `log1p`, so its two-class route keeps every digit. PyTorch's
# two-output `cross_entropy` does not: for a confident correct answer it loses digits, then
# the whole loss, where `BCEWithLogitsLoss` on the single logit keeps it (chapter 6, the
# tiny-loss regime).

# %%
if torch is not None:
    for z in (25.0, 40.0):
        two = F.cross_entropy(torch.tensor([[0.0, z]], dtype=torch.float64), torch.tensor([1]))
        one = F.binary_cross_entropy_with_logits(
            torch.tensor(z, dtype=torch.float64), torch.tensor(1.0, dtype=torch.float64)
        )
        print(
            f"z = {z:g}: two-output cross_entropy {two.item():.6e},",
            f"BCEWithLogitsLoss {one.item():.6e}",
        )

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
# ## 4. Class weights and the mean
#
# With class weights $w$, each sample's loss is multiplied by the weight of its class, and
# `reduction="mean"` then divides the weighted sum by something. What it divides by depends on
# how the targets are written: by the total weight of the targets for class indices, by the
# number of samples for probability targets. The same four samples, the same weights
# $(1, 2, 3)$, give two different "means".

# %%
weights = np.array([1.0, 2.0, 3.0])  # panda, seal, duck <- edit me
by_index = float(losses.cross_entropy(np.log(P), Y, weight=weights))
by_one_hot = float(losses.cross_entropy(np.log(P), np.eye(3)[Y], weight=weights))
weighted_sum = float((weights[Y] * -np.log(P[np.arange(4), Y])).sum())
print(f"class indices : {by_index:.4f}   = weighted sum / total weight {weights[Y].sum():g}")
print(f"one-hot       : {by_one_hot:.4f}   = weighted sum / number of samples 4")
print(f"weighted sum  : {weighted_sum:.4f}")
smoothed_index = float(losses.cross_entropy(np.log(P), Y, weight=weights, label_smoothing=0.1))
print(f"indices with label_smoothing=0.1: {smoothed_index:.4f}")
if torch is not None:
    lp, w_t = torch.tensor(np.log(P)), torch.tensor(weights)
    print(
        "PyTorch       :",
        round(F.cross_entropy(lp, torch.tensor(Y), weight=w_t).item(), 4),
        round(F.cross_entropy(lp, torch.tensor(np.eye(3)[Y]), weight=w_t).item(), 4),
        round(F.cross_entropy(lp, torch.tensor(Y), weight=w_t, label_smoothing=0.1).item(), 4),
    )

# %% [markdown]
# Switching a pipeline from class indices to one-hot or smoothed targets therefore changes the
# scale of a weighted loss, and with it the effective learning rate, without any error or
# warning. `label_smoothing` on index targets keeps the index rule: it divides by the total
# weight of the targets. Exercise 3 asks what the same smoothing gives when it is written out as
# probability targets.

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
    "prediction passed to cross_entropy as logits: the second stays less than one nat below "
    "the first, so with a doubled softmax the loss can fall by less than one nat however good "
    "the model gets.",
)
print("K = 1000: floor", float(losses.cross_entropy(np.eye(1000)[0], 0)), "  ln K", np.log(1000))

# %% [markdown]
# The floor does not stop the model from learning to classify: the largest probability is
# still on the largest logit. What the doubled softmax takes away is a loss value that means
# anything, and most of the size of the gradient. Train the same softmax regression twice on
# a synthetic problem with 10 classes, once correctly and once with a softmax too many, and
# watch the accuracy and the loss. The gradient of the doubled loss is the usual $p - t$,
# taken with respect to the model's probabilities and carried back through its softmax.

# %%
rng = np.random.default_rng(seed=7)
n_classes, n_features = 10, 20
centres = rng.normal(size=(n_classes, n_features))
labels = rng.integers(n_classes, size=2000)
X = centres[labels] + 2 * rng.normal(size=(2000, n_features))  # overlapping classes
one_hot = np.eye(n_classes)[labels]


def train_softmax_regression(doubled, steps=301, lr=0.5):
    W = np.zeros((n_features, n_classes))
    for step in range(steps):
        q = softmax(X @ W, axis=1)  # the model's probabilities
        if doubled:  # cross_entropy(q, y) takes q for logits and applies a second softmax
            g = softmax(q, axis=1) - one_hot  # gradient with respect to q
            g = q * (g - (g * q).sum(axis=1, keepdims=True))  # back through the softmax
            loss = float(losses.cross_entropy(q, labels))
        else:
            g = q - one_hot
            loss = float(losses.cross_entropy(X @ W, labels))
        if step in (0, 10, 100, 300):
            accuracy = float((q.argmax(axis=1) == labels).mean())
            push = float(np.abs(g).sum(axis=1).mean())  # size of dL/dz, per example
            print(
                f"  step {step:3d}: loss {loss:.3f}, accuracy {accuracy:.2f},",
                f"push on the logits {push:.3f}",
            )
        W -= lr * X.T @ g / len(X)


print("logits passed to cross_entropy:")
train_softmax_regression(doubled=False)
print("probabilities passed to cross_entropy (a softmax too many):")
train_softmax_regression(doubled=True)
print(f"floor for 10 classes {math.log(1 + 9 / math.e):.3f}, uniform guess {math.log(10):.3f}")

# %% [markdown]
# The doubled model classifies about as well as the correct one (the small difference in
# accuracy is within the noise of one run). Its loss, though, falls by
# only about half a nat and stays far above the correct model's, and its pushes on the logits
# (the size of the loss's gradient with respect to them) are several times smaller than the
# correct model's. Here the problem is simple enough (a linear model on Gaussian classes) that
# the accuracy catches up anyway, but
# the loss no longer measures anything, and on a harder problem, or with a tuned learning
# rate, the smaller push slows training. Nothing raises an error and the accuracy looks
# fine, which is what makes the mistake dangerous: the loss is the one number that says
# something is wrong, and it reads like the loss of a model that is merely poor.

# %% [markdown]
# ## 6. Exercises
#
# Each exercise leaves `answer = None` for you. Replace `None` with your answer and run the
# cell: it says whether the answer passes and, if not, gives a hint. The book's solution
# follows each one; try the exercise before you read it.
#
# **Exercise 1.** At which temperature $T$ does the softmax of the logits $(2, 1, 0.1)$ give
# panda exactly one half? (Give a float; section 1 shows which way to look.)

# %%
answer = None  # <- your answer


def accept_half_temperature(temp):
    # evaluate the softmax at the answer: panda must get one half, to three decimals
    return temp > 0 and abs(float(softmax(np.array([2.0, 1.0, 0.1]) / temp)[0]) - 0.5) < 1e-3


exercises.check(answer, accept_half_temperature, hint="panda gets 0.66 at T = 1; raise T")

# %% [markdown]
# **Solution.** At $T = 1$ panda gets 0.66, and raising $T$ evens the distribution out, so the
# answer is above 1. Panda's probability falls steadily as $T$ grows (towards one third), so a
# bracketing root finder pins it down: about 2.02.

# %%
book_answer = brentq(lambda temp: float(softmax(np.array([2.0, 1.0, 0.1]) / temp)[0]) - 0.5, 1, 10)
print(book_answer)
exercises.solution(book_answer, accept_half_temperature)

# %% [markdown]
# **Exercise 2.** The one-hot target is panda. Find a prediction `p` (three probabilities
# summing to 1) with the *same* one-hot loss as $(0.3, 0.35, 0.35)$ but a loss above 2 nats
# against the soft target $(0.8, 0.1, 0.1)$.

# %%
answer = None  # <- your answer


def accept_hidden_mass(p):
    # chapter 1's cross-entropy: equal one-hot losses, a soft-target loss above 2 nats
    p = np.asarray(p, dtype=float)
    one_hot, soft = np.array([1.0, 0.0, 0.0]), np.array([0.8, 0.1, 0.1])
    same = abs(float(info.cross_entropy(one_hot, p)) - np.log(1 / 0.3)) < 1e-9
    valid = p.shape == (3,) and (p > 0).all() and abs(p.sum() - 1) < 1e-12
    return valid and same and float(info.cross_entropy(soft, p)) > 2


exercises.check(answer, accept_hidden_mass, hint="the one-hot loss sees only panda's probability")

# %% [markdown]
# **Solution.** The one-hot loss depends only on panda's 0.3, so the remaining 0.7 can be
# split any way. The soft target gives each wrong class a tenth, so starving one of them
# costs a tenth of its surprisal. With $p = (0.3, 0.7 - x, x)$ the soft loss is
# $0.8(-\log 0.3) + 0.1(-\log(0.7 - x)) + 0.1(-\log x)$, about $0.999 + 0.1(-\log x)$ for a
# small $x$. It passes 2 nats once $-\log x$ passes about 10, that is, for $x$ below about
# $e^{-10}$.

# %%
book_answer = np.array([0.3, 0.7 - 1e-6, 1e-6])
print(float(info.cross_entropy(np.array([0.8, 0.1, 0.1]), book_answer)))
exercises.solution(book_answer, accept_hidden_mass)

# %% [markdown]
# **Exercise 3.** Build the label-smoothed targets of the tutorial's four samples by hand,
# $(1 - \varepsilon)\, t + \varepsilon / K$ with $\varepsilon = 0.1$, and pass them to
# `cross_entropy(log p, targets, weight=w)` with the class weights $(1, 2, 3)$ and the default
# `reduction="mean"`. What does it return? Compute it from the definition, not with the
# function: with probability targets, each sample's loss is $-\sum_k w_k t_k \log p_k$.

# %%
answer = None  # <- your answer

smoothed_targets = 0.9 * np.eye(3)[Y] + 0.1 / 3


def accept_weighted_soft_mean(value):
    # PyTorch's own cross_entropy (the book's when PyTorch is missing)
    w = np.array([1.0, 2.0, 3.0])
    if torch is None:
        ref = float(losses.cross_entropy(log_p, smoothed_targets, weight=w))
    else:
        ref = F.cross_entropy(
            torch.tensor(log_p), torch.tensor(smoothed_targets), weight=torch.tensor(w)
        ).item()
    return abs(float(value) - ref) < 1e-4


exercises.check(
    answer, accept_weighted_soft_mean, hint="probability targets: divide by the number of samples"
)

# %% [markdown]
# **Solution.** Each sample's loss weights every term of its sum by its class's weight; the
# mean over probability targets divides the total by the number of samples, 4. It differs from
# section 4's `label_smoothing` result on index targets, which divides by the total weight
# instead: the "same" smoothing, written two ways, gives two losses.

# %%
per_sample = -(np.array([1.0, 2.0, 3.0]) * smoothed_targets * log_p).sum(axis=1)
book_answer = float(per_sample.mean())
print(book_answer, "  label_smoothing on indices:", smoothed_index)
exercises.solution(book_answer, accept_weighted_soft_mean)

# %% [markdown]
# **Exercise 4.** A model with $K = 10$ classes ends in a softmax, and its output is passed to
# `cross_entropy` by mistake. What is the least loss it can ever reach?

# %%
answer = None  # <- your answer


def accept_double_floor(value):
    # a random search over distributions: the answer is reached (one-hot) and never beaten
    rng = np.random.default_rng(seed=5)
    q = np.vstack([np.eye(10)[0], rng.dirichlet(np.full(10, 0.05), size=4000)])
    doubled = losses.cross_entropy(q, np.zeros(len(q), dtype=int), reduction="none")
    return abs(float(value) - float(doubled.min())) < 1e-3 and (doubled >= value - 1e-3).all()


exercises.check(
    answer, accept_double_floor, hint="chapter 3, exercise 5: the bound log(1 + (K-1)/e)"
)

# %% [markdown]
# **Solution.** The chapter's exercise 5 bounds it: $\log(1 + (K - 1)/e)$, reached by a perfect
# one-hot prediction. For ten classes that is about 1.46 nats, about 63% of the
# $\ln 10 \approx 2.30$ nats of a uniform guess: the loss can fall by only about 0.84 nats,
# the remaining 37%.

# %%
book_answer = math.log(1 + 9 / math.e)
print(book_answer)
exercises.solution(book_answer, accept_double_floor)
