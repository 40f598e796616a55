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
# numbers and re-run the cells. Beyond what the chapter shows, the lab
#
# 1. lets you play the model against hidden labels, and shows that honesty wins on average;
# 2. measures the price of certainty, nine by nine;
# 3. finds the logit where the probability route breaks, in float32 and in float64;
# 4. trains a small multi-label model by gradient descent, with and without `pos_weight`,
#    and shows how the weight inflates its probabilities and how to undo that;
# 5. compares the losses and gradients with PyTorch's;
# 6. runs the Pinecone tutorial's own code on today's NumPy;
# 7. ends with exercises that check your answers.

# %%

import math

import matplotlib
import numpy as np

from ce_book import exercises, gradients, losses, tutorial_code
from ce_book.activations import sigmoid
from ce_book.figures.style import COLORS, RC, new_figure, show

try:  # PyTorch is optional: section 5 and exercises 2 and 3 compare with it where it is there
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None
    F = None
print("PyTorch", torch.__version__ if torch else "is not installed: its comparisons are skipped")

matplotlib.rcParams.update(RC)  # the book's figure style: readable fonts, colour-blind-safe colours


# %% [markdown]
# ## 1. Be the model
#
# Seven photos, and for each the chance that it shows a seal: take the tutorial's seven
# predictions as those true chances. The cell below draws the labels from the chances and
# keeps them hidden. The rule: you may look at the chances, not at the labels. Write your own
# probability for each photo in `mine`, then run the cell. It reveals the labels and scores
# you against three other players: the honest one says exactly the chances, the bold one
# rounds them to 0.01 or 0.99, and the hedger moves them halfway towards one half.

# %%
chances = np.array(tutorial_code.TUTORIAL_BINARY_INPUTS["p"])
rng = np.random.default_rng(seed=2)
hidden_labels = (rng.random(7) < chances).astype(float)  # drawn from the chances: no peeking

mine = np.array([0.1, 0.9, 0.8, 0.2, 0.6, 0.4, 0.9])  # <- edit me
players = {
    "mine": mine,
    "honest": chances,
    "bold": np.where(chances > 0.5, 0.99, 0.01),
    "hedger": (chances + 0.5) / 2,
}
print("labels:", hidden_labels.astype(int))
for name, q in players.items():
    loss = float(losses.binary_cross_entropy(q, hidden_labels))
    print(f"{name:>7}: mean loss {loss:.4f}")

# %% [markdown]
# One draw is partly luck: on some draws the bold player wins, because every label happened to
# fall its way. So play the same game 100,000 times, with fresh labels from the same chances,
# and average each player's mean loss.

# %%
draws = (rng.random((100_000, 7)) < chances).astype(float)
for name, q in players.items():
    per_draw = losses.binary_cross_entropy(
        np.broadcast_to(q, draws.shape), draws, reduction="none"
    ).mean(axis=1)
    print(f"{name:>7}: average mean loss {float(per_draw.mean()):.4f}")

# %% [markdown]
# With 100,000 draws the honest player wins unless your numbers are within a whisker of the
# chances. For each photo, the very best guess over the 100,000 draws is how often that
# photo's label actually came up, which differs from its chance by a little. Exaggerating
# loses, and so does hedging. That is what the chapter calls a *strictly proper* loss: in
# expectation, the only way to the lowest loss is to report the probabilities you believe.
# %% [markdown]
# ## 2. The price of certainty
#
# The label is 0 and the model says $p = 1 - 10^{-k}$: $k$ nines of confidence in the wrong
# answer. Each nine adds $\ln 10$ to the loss; squared error hardly moves. (Look closely at
# the last steps: the stored $p$ carries a rounding error of about $10^{-16}$, a growing
# fraction of $1 - p$ as $1 - p$ shrinks, so the step drifts in its fifth significant digit.
# Raise `k` to 17 and see what happens when $p$ rounds to exactly 1.)

# %%
k = np.arange(1, 13)
p = 1 - 10.0**-k
bce = losses.binary_cross_entropy(p, np.zeros_like(p), reduction="none")
squared = p**2  # (p - t)^2 with t = 0

fig = new_figure()
ax = fig.add_subplot()
ax.plot(k, bce, "o-", color=COLORS["blue"], label="binary cross-entropy")
ax.plot(k, squared, "s--", color=COLORS["vermillion"], label="squared error")
ax.set_xlabel("nines of confidence in the wrong answer")
ax.set_ylabel("loss")
ax.legend(loc="upper left")
show(
    fig,
    "Loss against the number of nines of confidence in the wrong answer, from 1 to 12. Binary "
    "cross-entropy, blue circles, rises in a straight line by about 2.3 per nine, to about 28 "
    "at twelve nines. Squared error, vermillion squares, stays flat just below 1.",
)
print("steps between consecutive nines:", np.diff(bce).round(6), "ln 10 =", np.log(10).round(6))

# %% [markdown]
# ## 3. Find the cliff
#
# For label 0 and growing logits $z$, compute the loss twice: from the probability
# $\sigma(z)$ and from the logit. Where do they part ways in float32? In float64?

# %%
for dtype in (np.float32, np.float64):
    z = np.arange(10, 45, dtype=dtype)
    zeros = np.zeros_like(z)
    from_p = losses.binary_cross_entropy(sigmoid(z), zeros, reduction="none")
    from_z = losses.binary_cross_entropy_with_logits(z, zeros, reduction="none")
    broken = z[np.abs(from_p - from_z) > 0.01 * from_z]
    saturated = z[sigmoid(z) == 1]
    name = np.dtype(dtype).name
    print(
        f"{name}: off by more than 1% from z = {broken[0]:g}; "
        f"sigma(z) is exactly 1 from z = {saturated[0]:g}"
    )

# %% [markdown]
# In float64 the two routes part ways only at $z = 37$, where $\sigma(z)$ rounds to 1. From
# there on the probability route reports 100, because `binary_cross_entropy` copies PyTorch's
# clamp of each log at $-100$; an unclamped formula would report an infinite loss instead.
#
# The gradient with respect to the logit, by the chain rule through the sigmoid: the loss's
# slope in $p$ times the sigmoid's slope $\sigma(z)(1 - \sigma(z))$. Watch which factor
# becomes 0, and which becomes huge.

# %%
z = np.float32([5, 10, 15, 16, 17, 20])
t0 = np.zeros_like(z)
p = sigmoid(z)
outer = gradients.binary_cross_entropy_grad(p, t0, reduction="sum")  # dL/dp
slope = p * (1 - p)  # dp/dz as autograd computes it
from_logits = gradients.binary_cross_entropy_with_logits_grad(z, t0, reduction="sum")
print("    z   dL/dp        dp/dz        product      logits form")
for row in zip(z, outer, slope, outer * slope, from_logits, strict=True):
    print("{:5g}   {:<12.4g} {:<12.4g} {:<12.4g} {:.6g}".format(*row))

# %% [markdown]
# ## 4. Many labels, and what the positive weight does to the probabilities
#
# A synthetic multi-label problem: 4,000 examples with 5 features and 3 labels, common,
# less common and rare (the cell prints their base rates). The model is one linear layer
# with a sigmoid per label, trained by full-batch gradient descent on the mean binary
# cross-entropy from logits, once plainly and once with `pos_weight` set to the ratio of
# negatives to positives of each label. The gradient comes from `ce_book.gradients`.

# %%
rng = np.random.default_rng(seed=3)
n_examples, n_features = 4000, 5
X = rng.normal(size=(n_examples, n_features))
true_W = rng.normal(size=(n_features, 3))
true_b = np.array([0.0, -2.5, -4.0])  # sets the base rates
Y = (rng.random((n_examples, 3)) < sigmoid(X @ true_W + true_b)).astype(float)
base_rate = Y.mean(axis=0)
pos_weight = (1 - base_rate) / base_rate
print("base rates:", base_rate.round(3), "  pos_weight:", pos_weight.round(1))


def train(pos_weight=None, steps=3000, lr=0.5):
    W, b = np.zeros((n_features, 3)), np.zeros(3)
    for _ in range(steps):
        z = X @ W + b
        g = gradients.binary_cross_entropy_with_logits_grad(z, Y, pos_weight=pos_weight)
        W -= lr * X.T @ g
        b -= lr * g.sum(axis=0)
    return W, b


fits = {"plain": train(), "pos_weight": train(pos_weight)}
for name, (W, b) in fits.items():
    q = sigmoid(X @ W + b)
    print(f"{name:>10}: mean predicted probability {q.mean(axis=0).round(3)}")

# %% [markdown]
# The plain model's mean prediction matches each label's base rate: cross-entropy keeps
# probabilities honest. (For a model with a bias this holds exactly at the minimum, because
# the gradient with respect to a label's bias is the mean of $\sigma(z) - t$ over the
# examples, and it is zero there.) The weighted model's predictions are inflated, most for
# the rarest label, because `pos_weight` multiplies the odds by $w$ (the chapter's
# derivation). Subtract $\ln w$ from its logits to undo it, and compare how often each model
# finds the positives at a threshold of one half (recall) against how often its "yes" is
# right (precision).

# %%
W, b = fits["pos_weight"]
q_fixed = sigmoid(X @ W + b - np.log(pos_weight))
print("pos_weight, logits shifted by -ln w:", q_fixed.mean(axis=0).round(3))
for name, (W, b) in fits.items():
    yes = sigmoid(X @ W + b) > 0.5
    recall = (yes & (Y == 1)).sum(axis=0) / (Y == 1).sum(axis=0)
    precision = (yes & (Y == 1)).sum(axis=0) / np.maximum(yes.sum(axis=0), 1)
    print(f"{name:>10}: recall {recall.round(2)}   precision {precision.round(2)}")

# %% [markdown]
# `pos_weight` trades precision for recall at a fixed threshold. The chapter shows that at the
# optimum the weight only moves the threshold: the weighted model thresholded at one half
# decides like the plain model thresholded at $1/(1 + w)$. Check it on the two fits.

# %%
W, b = fits["plain"]
plain_low = sigmoid(X @ W + b) > 1 / (1 + pos_weight)
W, b = fits["pos_weight"]
weighted_half = sigmoid(X @ W + b) > 0.5
recall = (plain_low & (Y == 1)).sum(axis=0) / (Y == 1).sum(axis=0)
precision = (plain_low & (Y == 1)).sum(axis=0) / np.maximum(plain_low.sum(axis=0), 1)
print(f"plain, threshold 1/(1 + w): recall {recall.round(2)}   precision {precision.round(2)}")
print("decisions that agree with pos_weight at 1/2:", (plain_low == weighted_half).mean(axis=0))

# %% [markdown]
# Nearly every decision agrees. The few that differ sit close to the threshold: a linear model
# cannot reach the optimum at every input, so its two fits are not exact shifted copies of
# each other. So the same
# trade is available without the weight, by lowering the threshold of the plain model, and
# then its probabilities stay calibrated. These numbers are measured on the training data;
# draw a second sample with the same `true_W` and `true_b` to measure them on held-out data.

# %% [markdown]
# ## 5. PyTorch
#
# The chapter's claims about PyTorch, run live: the probability route at $z = 17$, where
# PyTorch's clamped loss reports 100 and its gradient with respect to $p$ is $10^{12}$, yet
# the gradient with respect to $z$ is 0; and `BCEWithLogitsLoss` with `pos_weight`. The cell
# runs only where PyTorch is installed.

# %%
if torch is not None:
    z = torch.tensor([17.0], requires_grad=True)
    p = torch.sigmoid(z)
    p.retain_grad()
    loss = F.binary_cross_entropy(p, torch.zeros(1))
    loss.backward()
    print(f"loss {loss.item():g}, dL/dp {p.grad.item():g}, dL/dz {z.grad.item():g}")
    assert loss.item() == 100.0 and z.grad.item() == 0.0

    logits = torch.tensor([[2.0, -1.0, -0.5, -3.0]], dtype=torch.float64)
    target = torch.tensor([[1.0, 0.0, 1.0, 0.0]], dtype=torch.float64)
    weights = torch.tensor([1.0, 3.0, 4.0, 9.0], dtype=torch.float64)
    ours = losses.binary_cross_entropy_with_logits(
        logits.numpy(), target.numpy(), reduction="none", pos_weight=weights.numpy()
    )
    theirs = torch.nn.BCEWithLogitsLoss(reduction="none", pos_weight=weights)(logits, target)
    print("ce_book:", ours.round(6), "\nPyTorch:", theirs.numpy().round(6))
    assert np.allclose(ours, theirs.numpy(), rtol=1e-15, atol=0)

# %% [markdown]
# ## 6. The tutorial's code on today's NumPy, and where it breaks
#
# The Pinecone tutorial's function, quoted as published, stops at its first line on NumPy 2.
# With one name changed it prints the article's numbers.

# %%
args = tutorial_code.TUTORIAL_BINARY_INPUTS.values()
try:
    tutorial_code.run_tutorial_code("binary_cross_entropy", *args)
except AttributeError as err:
    print("as published:", err)
run = tutorial_code.run_tutorial_code("binary_cross_entropy", *args, fixed=True)
print(run.printed + f"total: {run.total!r}")

# %% [markdown]
# Now feed the repaired function inputs its seven samples never had: a certain prediction, an
# impossible probability, an impossible label. Add your own cases. NumPy's warnings are
# silenced here so that only the results show; the book's `binary_cross_entropy` refuses the
# last two with an error that names the argument.

# %%
cases = [(1, 1.0), (0, 1.0), (1, 1e-300), (0, 1.2), (2, 0.5)]  # (label, probability) <- edit
for label, prob in cases:
    with np.errstate(all="ignore"):
        loss = tutorial_code.run_tutorial_code(
            "binary_cross_entropy", [label], [prob], fixed=True
        ).total
    try:
        ours = f"{float(losses.binary_cross_entropy(prob, float(label))):.6g}"
    except ValueError as err:
        ours = f"ValueError: {err}"
    print(f"t = {label}, p = {prob:<7g} tutorial: {loss:<10.6g} ce_book: {ours}")

# %% [markdown]
# Read the third line twice. For $p = 10^{-300}$ and label 1 the tutorial's plain formula is
# right, about 690.8 nats, and the book's reports 100, the clamp of section 3. Neither function
# can be trusted near 0 and 1; from the logit, `binary_cross_entropy_with_logits` needs no
# clamp.

# %% [markdown]
# ## 7. Exercises
#
# Each exercise leaves `answer = None` for you. Replace `None` with your answer and run the
# cell: it says whether the answer passes and, if not, gives a hint. The book's solution
# follows each one; try the exercise before you read it.
#
# **Exercise 1.** Keep only the tutorial's verdicts: a photo is on the "yes" side if the
# tutorial gave it more than one half, on the "no" side otherwise. A new model must give one
# probability to every photo on the "yes" side and one to every photo on the "no" side. Which
# pair `(c_yes, c_no)` gives the least mean loss on the seven labels? Does it beat the
# tutorial's own mean loss, although it throws information away?

# %%
answer = None  # <- your answer: a pair of floats


labels = np.array(tutorial_code.TUTORIAL_BINARY_INPUTS["t"], dtype=float)
yes_side = np.array(tutorial_code.TUTORIAL_BINARY_INPUTS["p"]) > 0.5


def accept_two_constants(pair):
    # a numerical search: no pair on a fine grid does better (up to rounding the answer)
    c_yes, c_no = (float(c) for c in pair)
    if not (0 < c_yes < 1 and 0 < c_no < 1):
        return False
    grid = np.linspace(0.001, 0.999, 9981)[:, None]
    best = 0.0
    for side in (yes_side, ~yes_side):
        on_side = np.broadcast_to(labels[side], (len(grid), int(side.sum())))
        on_grid = losses.binary_cross_entropy(
            np.broadcast_to(grid, on_side.shape), on_side, reduction="none"
        ).sum(axis=1)
        best += float(on_grid.min())
    q = np.where(yes_side, c_yes, c_no)
    return float(losses.binary_cross_entropy(q, labels, reduction="sum")) <= best + 1e-6


exercises.check(
    answer, accept_two_constants, hint="each side on its own: the best constant is a base rate"
)

# %% [markdown]
# **Solution.** Each side is a small dataset of its own, and the best constant for a dataset is
# its fraction of positives (Gibbs' inequality of chapter 1 in miniature). The "yes" side holds
# the labels 1, 1, 0, 1, so $c_{\text{yes}} = 3/4$; the "no" side holds 0, 0, 1, so
# $c_{\text{no}} = 1/3$. The new model beats the tutorial's, on the same seven labels it was
# fitted to: keeping the verdicts but replacing
# the overconfident probabilities with the frequencies observed on each side removes the cost
# of the two confident mistakes. This is recalibration by binning; chapter 8's temperature
# scaling does the same job smoothly.

# %%
book_answer = (float(labels[yes_side].mean()), float(labels[~yes_side].mean()))
recalibrated = np.where(yes_side, *book_answer)
print(book_answer)
print("mean loss, recalibrated:", float(losses.binary_cross_entropy(recalibrated, labels)))
print("mean loss, tutorial:    ", float(losses.binary_cross_entropy(chances, labels)))
exercises.solution(book_answer, accept_two_constants)

# %% [markdown]
# **Exercise 2.** A label is present in 20% of the examples and trained with `pos_weight`
# 2. Which constant probability minimises the mean weighted loss? Guess first: is it the base
# rate?

# %%
answer = None  # <- your answer


def accept_weighted_constant(c):
    # PyTorch's own BCEWithLogitsLoss and autograd: its slope vanishes at the answer's logit
    z = np.log(c / (1 - c))
    targets = np.array([1.0] * 2 + [0.0] * 8)  # 20% positives
    if torch is None:  # without PyTorch, the book's gradient
        g = gradients.binary_cross_entropy_with_logits_grad(
            np.full(10, z), targets, pos_weight=np.array(2.0)
        )
        return abs(float(g.sum())) < 1e-3
    zt = torch.full((10,), float(z), dtype=torch.float64, requires_grad=True)
    loss = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(2.0, dtype=torch.float64))
    loss(zt, torch.tensor(targets)).backward()
    return abs(float(zt.grad.sum())) < 1e-3


exercises.check(answer, accept_weighted_constant, hint="pos_weight multiplies the odds by w")

# %% [markdown]
# **Solution.** Not the base rate. The chapter's derivation of the
# [best constant prediction](../binary.md#pos-weight-optimal-odds) says the best odds are the
# base rate's odds times $w$: $2 \times 0.2 / 0.8 = 1/2$, a probability of $1/3$. Only with
# $w$ equal to the ratio of negatives to positives, 4 here, would it be one half.

# %%
w, base = 2.0, 0.2
odds = w * base / (1 - base)
book_answer = odds / (1 + odds)
print(book_answer)
exercises.solution(book_answer, accept_weighted_constant)

# %% [markdown]
# **Exercise 3.** Write the gradient of the weighted loss $L_w$ with respect to the logit, as
# a function `grad(z, t, w)` of NumPy arrays. The test compares it with PyTorch's autograd at
# random logits, targets (soft ones too) and weights.

# %%
answer = None  # <- your answer: define def grad(z, t, w): ... above, then answer = grad


def accept_pos_weight_grad(grad):
    rng = np.random.default_rng(seed=11)
    z, tt, w = rng.normal(0, 4, 50), rng.random(50), rng.uniform(0.5, 10, 50)
    mine = np.asarray(grad(z, tt, w), dtype=float)
    if torch is None:  # without PyTorch: central differences of the book's loss
        ref = np.array(
            [
                gradients.numerical_gradient(
                    lambda v, i=i: losses.binary_cross_entropy_with_logits(
                        v, tt[i : i + 1], reduction="sum", pos_weight=w[i : i + 1]
                    ),
                    z[i : i + 1],
                )[0]
                for i in range(50)
            ]
        )
        return np.allclose(mine, ref, rtol=1e-6, atol=1e-8)
    zt = torch.tensor(z, requires_grad=True)
    F.binary_cross_entropy_with_logits(
        zt, torch.tensor(tt), pos_weight=torch.tensor(w), reduction="sum"
    ).backward()
    return np.allclose(mine, zt.grad.numpy(), rtol=1e-12, atol=1e-15)


exercises.check(
    answer, accept_pos_weight_grad, hint="chain rule through the sigmoid, as unweighted"
)

# %% [markdown]
# **Solution.** The chapter derives it in its `pos_weight` section
# ([the weighted gradient](../binary.md#bce-pos-weight-gradient)):
# $(1 - t + w t)\,\sigma(z) - w t$. For $w = 1$ it is the familiar $\sigma(z) - t$.


# %%
def book_grad(z, t, w):
    return (1 - t + w * t) * sigmoid(z) - w * t


exercises.solution(book_grad, accept_pos_weight_grad)

# %% [markdown]
# **Exercise 4.** Written literally, the logits form's last term `log(1 + exp(-z))` returns
# exactly 0 for large logits, although the true value is positive. In float32 that happens
# from $z = 17$, the logit from which section 3 found $\sigma(z)$ stored as 1: both happen when
# $1 + e^{-z}$ rounds to 1. Many GPUs train in float16, which keeps 10 bits after the
# leading bit. From which whole-number logit does the literal term return 0 in float16? Find it
# without a loop over logits: think about the spacing of float16 numbers just above 1.

# %%
answer = None  # <- your answer


def accept_literal_cliff(z):
    # the event itself, in NumPy float16 arithmetic: 0 at z, not yet at z - 1
    def literal(v):
        one = np.float16(1)
        return np.log(one + np.exp(-np.float16(v)))

    return float(z) == int(z) and literal(z) == 0 and literal(z - 1) > 0


exercises.check(
    answer, accept_literal_cliff, hint="1 + x rounds to 1 once x is at most half the gap above 1"
)

# %% [markdown]
# **Solution.** With 10 bits after the leading 1, the float16 numbers above 1 are $2^{-10}$
# apart, so $1 + e^{-z}$ rounds to 1 once $e^{-z}$ is at most half of that gap, $2^{-11}$ (a
# tie rounds to the even neighbour, 1): from $z = 11 \ln 2 \approx 7.6$, that is from the
# whole number 8. In float32 the same argument with $2^{-24}$ gives 17, in float64 with
# $2^{-53}$ it gives 37. `log1p(exp(-z))` never forms $1 + e^{-z}$ and keeps every digit.

# %%
book_answer = math.ceil(11 * math.log(2))
print(book_answer, "  log1p keeps it:", np.log1p(np.exp(-np.float16(book_answer))))
exercises.solution(book_answer, accept_literal_cliff)

# %% [markdown]
# **Exercise 5.** Section 4 suggests lowering the threshold of the plain model instead of
# training with `pos_weight`, with the threshold chosen on held-out data. Do it for the rare
# third label. The cell below draws 4,000 fresh examples from the same `true_W` and `true_b`.
# Which threshold on the plain model's probability gives the best F1 score (the harmonic mean
# of precision and recall) on them? Give a float. Then compare its F1 with the F1 at one half
# and at section 4's $1/(1 + w)$, the threshold that `pos_weight` amounts to.

# %%
answer = None  # <- your answer

rng_held_out = np.random.default_rng(seed=4)
X_held_out = rng_held_out.normal(size=(n_examples, n_features))
Y_held_out = (rng_held_out.random((n_examples, 3)) < sigmoid(X_held_out @ true_W + true_b)).astype(
    float
)
W, b = fits["plain"]
q_rare = sigmoid(X_held_out @ W + b)[:, 2]  # the plain model's probability of the rare label
y_rare = Y_held_out[:, 2] == 1


def f1_at(threshold):
    yes = q_rare > threshold
    hits = float((yes & y_rare).sum())
    return 2 * hits / max(float(yes.sum() + y_rare.sum()), 1.0)


def accept_best_threshold(threshold):
    # a numerical search: on a fine grid of thresholds, none has an F1 more than 0.01 higher
    grid = np.linspace(0.005, 0.995, 199)
    return 0 < float(threshold) < 1 and f1_at(float(threshold)) >= max(map(f1_at, grid)) - 0.01


exercises.check(
    answer, accept_best_threshold, hint="try a grid of thresholds with f1_at and keep the best"
)

# %% [markdown]
# **Solution.** Search a grid of thresholds on the held-out examples and keep the best. It lies
# between the two candidates: below one half, which misses many positives of a rare label
# whose honest probabilities seldom pass even odds, and well above $1/(1 + w)$, the base rate,
# where the model says "yes" so readily that precision collapses. `pos_weight` set to the
# ratio of negatives to positives fixes one particular trade of precision for recall; a
# threshold chosen on held-out data picks the trade that your metric wants, and the
# probabilities stay calibrated. (Held out, because a threshold tuned on the training
# examples is tuned to their noise as well. For the same reason the best F1 printed below is
# a little optimistic: the threshold was chosen on these very examples. An honest report
# picks the threshold on one part of the held-out data and measures F1 on another.)

# %%
grid = np.linspace(0.005, 0.995, 199)
book_answer = float(grid[np.argmax([f1_at(c) for c in grid])])
print(f"best threshold {book_answer:.3f}, F1 {f1_at(book_answer):.3f}")
print(
    f"at one half: F1 {f1_at(0.5):.3f};  at 1/(1 + w) = {1 / (1 + pos_weight[2]):.3f}: "
    f"F1 {f1_at(1 / (1 + pos_weight[2])):.3f}"
)
exercises.solution(book_answer, accept_best_threshold)
