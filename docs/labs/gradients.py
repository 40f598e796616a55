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
# # Lab: gradient intuition
#
# Companion to [chapter 5](../gradients.md). Everything here runs on `ce_book`; change the
# numbers and re-run the cells. Sections 1 to 3 and the temperature sweep of section 5 rerun
# the chapter's experiments with numbers you can change; section 4 and the PyTorch half of
# section 5 go beyond it:
#
# 1. The forces $p - t$, checked against central differences and PyTorch's autograd.
# 2. The softmax Jacobian, and what one nudge of a logit does.
# 3. Nielsen's neuron: squared error against cross-entropy, from a bad and a mild start.
# 4. A hidden layer: cross-entropy does not cure a saturated hidden sigmoid (the gradients
#    compared).
# 5. Distillation: a temperature sweep, and the same loss in PyTorch's words (`KLDivLoss`).
# 6. Exercises that check themselves, among them moment matching in a fitted softmax
#    regression and a hand-written softmax backward pass.
#
# PyTorch is optional: the cells that compare with it say so and skip when it is missing.

# %%

import matplotlib.pyplot as plt
import numpy as np

from ce_book import distillation, exercises, gradients, losses, training
from ce_book.activations import sigmoid, softmax
from ce_book.figures.style import RC, show

plt.rcParams.update(RC)  # the book's fonts and colours: 12-point text, readable on a phone

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # the lab still runs; the comparisons with PyTorch are skipped
    torch = None
print("PyTorch", torch.__version__ if torch else "is not installed: its comparisons are skipped")


# %% [markdown]
# ## 1. Forces
#
# Pick logits and a true class. The gradient of the cross-entropy with respect to the logits
# is $p - t$: the true class $y$ is pulled up by $1 - p_y$, every other class is
# pushed down by its own probability. Check it against central differences and, if it is
# installed, against PyTorch's autograd; the sum of the components is zero up to rounding.

# %%
z = np.array([2.5, -1.0, 3.2, 0.5])  # <- edit me
true_class = 0

p = softmax(z)
g = gradients.cross_entropy_grad(z, true_class, reduction="sum")
numeric = gradients.numerical_gradient(lambda zz: float(losses.cross_entropy(zz, true_class)), z)
print("probabilities       ", p.round(4))
print("gradient p - t      ", g.round(4))
print("central differences ", numeric.round(4))
print("sum of the components", f"{float(g.sum()):.1e}")
if torch is not None:
    zt = torch.tensor(z[None], requires_grad=True)
    F.cross_entropy(zt, torch.tensor([true_class])).backward()
    print("PyTorch autograd    ", zt.grad[0].numpy().round(4))

# %% [markdown]
# ## 2. The Jacobian and one nudge
#
# Row 1 of the softmax Jacobian says how $p_1$ moves, to first order, when each logit $z_j$
# moves. Compare it with the true change for a nudge of size `delta`; make `delta` small and
# the two agree.

# %%
J = gradients.softmax_jacobian(z)
print("Jacobian (symmetric, rows and columns sum to 0):")
print(J.round(4))
print("row 1:        ", J[true_class].round(4))
print("-p1 * (p - t):", (-p[true_class] * g).round(4), "(the same, for a one-hot target)")

delta = 0.4  # <- edit me
for j, sign in [(0, +1), (1, -1), (2, -1), (3, -1)]:
    nudged = z.copy()
    nudged[j] += sign * delta
    actual = softmax(nudged)[0] - p[0]
    linear = sign * delta * J[0, j]
    word = "raise" if sign > 0 else "lower"
    print(f"{word} z{j + 1} by {delta}: p1 changes by {actual:+.4f} (first order {linear:+.4f})")

# %% [markdown]
# ## 3. Nielsen's neuron
#
# One sigmoid neuron, input 1, target 0, trained by gradient descent. Change the start, the
# learning rate or the number of epochs. The top row shows the output; the bottom row shows
# the logit $z = w + b$, whose change per epoch is the chapter's measure of learning speed.
# With squared error the bad start sits on a plateau in its output, and its logit creeps down
# slowly; with cross-entropy the bad start's logit falls fastest of all at first, although its
# output is slow to show it.

# %%
starts = {"bad start (2, 2)": (2.0, 2.0), "mild start (0.6, 0.9)": (0.6, 0.9)}
NAMES = {"squared_error": "squared error", "cross_entropy": "cross-entropy"}
rate, epochs = 0.15, 300  # <- edit me

fig, axes = plt.subplots(2, 2, figsize=(9, 6), sharex=True, sharey="row", layout="constrained")
runs = {}
for col, (name, (w, b)) in enumerate(starts.items()):
    for loss in training.LOSSES:
        run = training.train(w, b, loss=loss, learning_rate=rate, epochs=epochs)
        runs[name, loss] = run
        axes[0, col].plot(run.output, label=NAMES[loss])
        axes[1, col].plot(run.w + run.b, label=NAMES[loss])
    axes[0, col].axhline(0.5, color="black", linestyle=":", linewidth=1)
    axes[0, col].set_title(name)
    axes[1, col].set_xlabel("epoch")
axes[0, 0].set_ylabel("output of the neuron")
axes[1, 0].set_ylabel("logit z = w + b")
axes[0, 1].legend()
bad, mild = starts
for loss in training.LOSSES:
    run = runs[bad, loss]
    logit = run.w + run.b
    target = runs[mild, loss].output[0]
    below = np.flatnonzero(run.output < target)
    catch_up = f"epoch {below[0]}" if below.size else "never"
    print(
        f"{NAMES[loss]}, bad start: z falls by {logit[0] - logit[1]:.3f} in epoch 1; "
        f"the output reaches the mild start's {target:.2f} at {catch_up}"
    )
slow = runs[bad, "squared_error"]
slow_below = np.flatnonzero(slow.output < runs[mild, "squared_error"].output[0])
plateau = int(slow_below[0]) if slow_below.size else epochs
show(
    fig,
    f"Four panels against the epoch, from 0 to {epochs}. Top row, the neuron's output, with a "
    "dotted line at 1/2; bottom row, its logit z. Left, the bad start w = b = 2: with squared "
    f"error the output stays above the mild start's initial output for {plateau} epochs and "
    "its logit barely moves at first; with cross-entropy the logit falls steeply from the "
    "first epoch. Right, the mild start w = 0.6, b = 0.9: both fall from the first epoch.",
)

# %% [markdown]
# ## 4. A hidden layer: the slowdown cross-entropy does not remove
#
# Put one hidden sigmoid unit in front of the output: $h = \sigma(w_1 x)$,
# $p = \sigma(w_2 h + b_2)$, trained with cross-entropy. The gradient reaching the output layer
# is $p - t$, with no $\sigma'$; the gradient reaching the hidden weight $w_1$ is
# $(p - t)\, w_2\, \sigma'(w_1 x)\, x$, which still carries the hidden unit's slope. Start the
# hidden unit saturated ($w_1 x = 6$) or not ($w_1 x = 0.5$) and compare. The output error
# changes only a little between the two starts: the hidden unit's output rises from
# $\sigma(0.5)$ to nearly 1, which moves the output logit by less than
# $w_2 (1 - \sigma(0.5))$, and the output sigmoid flattens that further (the cell prints the
# output logits). The hidden gradient changes far more: the hidden unit's slope
# $\sigma'(w_1 x)$ makes the difference (the cell prints both ratios).

# %%
x_in, t_out, w2, b2 = 1.0, 0.0, 2.0, 0.5  # w2, b2: the output unit's weight and bias


def hidden_net_grads(w1):
    h = sigmoid(w1 * x_in)
    p_out = sigmoid(w2 * h + b2)
    err = p_out - t_out  # dL/d(output logit) with cross-entropy
    return float(err), float(err * w2 * h * (1 - h) * x_in)  # output error, dL/dw1


for w1 in (0.5, 6.0):
    err, dw1 = hidden_net_grads(w1)
    logit = w2 * float(sigmoid(w1 * x_in)) + b2
    print(
        f"w1 x = {w1:3}: output logit {logit:.3f}, output error p - t = {err:.3f}, "
        f"gradient on the hidden weight = {dw1:.5f}"
    )
(err_a, dw1_a), (err_b, dw1_b) = hidden_net_grads(0.5), hidden_net_grads(6.0)
print(f"unsaturated over saturated: output error {err_a / err_b:.2f}, hidden {dw1_a / dw1_b:.0f}")

# %% [markdown]
# ## 5. Distillation: the temperature, and PyTorch's words
#
# First the chapter's temperature sweep: the length of the soft-target gradient with and
# without the factor $T^2$. Without it the gradient fades like $1/T^2$; with it, after a small hump
# near $T = 2$, it settles at the length of the high-temperature limit.

# %%
student = np.array([[2.5, -1.0, 3.2, 0.5]])
teacher = np.array([[5.0, -1.0, 2.0, 1.0]])
for temp in (1.0, 2.0, 4.0, 8.0, 16.0, 64.0):
    plain, scaled = (
        float(np.linalg.norm(distillation.soft_target_loss_grad(student, teacher, temp, scaled=s)))
        for s in (False, True)
    )
    print(f"T = {temp:4g}: |(p - t)/T| = {plain:.5f}, |T (p - t)| = {scaled:.4f}")
gap = (student - student.mean()) - (teacher - teacher.mean())
print("limit of |T (p - t)|:", round(float(np.linalg.norm(gap / student.size)), 4))

# %% [markdown]
# PyTorch examples of distillation often use the KL divergence,
# `F.kl_div(F.log_softmax(z / T, dim=1), F.softmax(v / T, dim=1), reduction="batchmean")`
# (or the module `nn.KLDivLoss`, which takes the same two arguments), rather than a
# cross-entropy with soft targets. The two differ by the teacher's entropy, a
# constant for the student, so their gradients are identical; both are multiplied by $T^2$.

# %%
T = 4.0  # <- edit me
soft_ce = float(distillation.soft_target_loss(student, teacher, T))
grad = distillation.soft_target_loss_grad(student, teacher, T)
print(f"T^2 H(t, p) from ce_book: {soft_ce:.6f}")
print("its gradient T (p - t):  ", grad.round(5))
if torch is not None:
    zt = torch.tensor(student, requires_grad=True)
    t_soft = F.softmax(torch.tensor(teacher) / T, dim=1)
    kl = T**2 * F.kl_div(F.log_softmax(zt / T, dim=1), t_soft, reduction="batchmean")
    kl.backward()
    entropy = -(t_soft * t_soft.log()).sum().item()
    total = kl.item() + T**2 * entropy
    print(f"T^2 KL from PyTorch:      {kl.item():.6f}, plus T^2 H(t): {total:.6f}")
    print(f"the two totals differ by {abs(total - soft_ce):.0e}")
    print("its gradient:            ", zt.grad.numpy().round(5))

# %% [markdown]
# ## 6. Exercises
#
# Each exercise leaves `answer = None` for you. Replace `None` with your answer and run the
# cell: it says whether the answer passes and, if not, gives a hint. The book's solution
# follows each one; try the exercise before you read it.
#
# **Exercise 1.** Write the gradient of the summed cross-entropy with respect to the logits,
# for a batch: a function `grad(z, t)` of two NumPy arrays of shape `(N, K)`, the logits and
# soft targets (each row of `t` sums to 1). Use NumPy only, in float64 (NumPy's default):
# the test compares it with PyTorch's autograd on random logits and targets to within
# $10^{-12}$, which float32 arithmetic cannot reach.

# %%
answer = None  # <- your answer: define def grad(z, t): ... above, then answer = grad


def accept_batch_grad(grad):
    rng = np.random.default_rng(seed=5)
    z_test = rng.normal(0, 3, (6, 5))
    t_test = rng.dirichlet(np.ones(5), size=6)
    mine = np.asarray(grad(z_test, t_test), dtype=float)
    if torch is None:  # without PyTorch: central differences of the book's loss
        ref = gradients.numerical_gradient(
            lambda v: float(losses.cross_entropy(v, t_test, reduction="sum")), z_test
        )
        return mine.shape == z_test.shape and np.allclose(mine, ref, atol=1e-7)
    zt = torch.tensor(z_test, requires_grad=True)
    F.cross_entropy(zt, torch.tensor(t_test), reduction="sum").backward()
    return mine.shape == z_test.shape and np.allclose(mine, zt.grad.numpy(), atol=1e-12)


exercises.check(answer, accept_batch_grad, hint="softmax of each row, minus the target")

# %% [markdown]
# **Solution.** Row by row it is the chapter's $p - t$. The softmax is computed with the
# largest logit of each row subtracted first, so that no exponential overflows (chapter 6).


# %%
def book_batch_grad(z, t):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True) - t


exercises.solution(book_batch_grad, accept_batch_grad)

# %% [markdown]
# **Exercise 2.** The Hessian of the loss with respect to the logits is the softmax Jacobian,
# $\operatorname{diag}(p) - pp^\top$. Along the vector of ones it has no curvature (the
# chapter says why). What is the curvature $d^\top H d$ along $d = e_1 - e_3$, which trades
# class 3's logit for class 1's, at the running example's logits $z = (2.5, -1, 3.2, 0.5)$?
# Compute it from the probabilities alone, without forming $H$: one number. The test asks
# PyTorch for the full Hessian (or, without PyTorch, takes a second difference of the loss).

# %%
answer = None  # <- your answer: one number
z_run, d_run = np.array([2.5, -1.0, 3.2, 0.5]), np.array([1.0, 0.0, -1.0, 0.0])


def accept_curvature(c):
    if torch is None:  # without PyTorch: a second difference of the book's loss along d

        def f(s):
            return float(losses.cross_entropy(z_run + s * d_run, 0))

        h = 1e-4
        curvature = (f(h) - 2 * f(0.0) + f(-h)) / h**2
        return abs(float(c) - curvature) < 1e-5
    H = torch.autograd.functional.hessian(
        lambda x: F.cross_entropy(x[None], torch.tensor([0])), torch.tensor(z_run)
    ).numpy()
    return abs(float(c) - d_run @ H @ d_run) < 1e-9


exercises.check(answer, accept_curvature, hint="d^T diag(p) d minus (p . d) squared")

# %% [markdown]
# **Solution.** $d^\top H d$ is $\sum_k p_k d_k^2 - (\sum_k p_k d_k)^2$: the variance of
# the entries of `d` under $p$, which is why it is never negative, and zero only when `d` is
# constant (the flat direction). Here it is $p_1 + p_3 - (p_1 - p_3)^2$.

# %%
p_run = np.exp(z_run) / np.exp(z_run).sum()
book_answer = float(p_run @ d_run**2 - (p_run @ d_run) ** 2)
print(f"curvature along e1 - e3: {book_answer:.4f}")
exercises.solution(book_answer, accept_curvature)

# %% [markdown]
# **Exercise 3.** Moment matching. The cell below fits a softmax regression with a bias, three
# classes and two features, to 60 noisy examples, by gradient descent on the mean
# cross-entropy, until the gradient is negligible. Before you look at the fitted model,
# predict the mean of its predicted probabilities over the training examples: one number per
# class, a NumPy array of three numbers. (Hint: what does the gradient with respect to the
# biases say at a stationary point?) The test compares your numbers with the fitted model's.

# %%
rng_mm = np.random.default_rng(seed=3)
X_mm = rng_mm.normal(0, 1, (60, 2))
true_logits = X_mm @ np.array([[1.0, -0.5, 0.0], [0.0, 1.0, -1.0]])
y_mm = np.array([rng_mm.choice(3, p=row) for row in softmax(true_logits)])  # noisy labels
Y_mm = np.eye(3)[y_mm]


def fit_softmax_regression(X, Y, bias=True, rate=0.5, steps=20_000):
    """Gradient descent on the mean cross-entropy; returns the predicted probabilities."""
    W, b = np.zeros((X.shape[1], Y.shape[1])), np.zeros(Y.shape[1])
    for _ in range(steps):
        P = softmax(X @ W + b)
        W -= rate * X.T @ (P - Y) / len(X)  # the batch gradient X^T (P - Y), averaged
        if bias:
            b -= rate * (P - Y).mean(axis=0)  # the column means of P - Y
    P = softmax(X @ W + b)
    print("largest gradient component left:", f"{np.abs(X.T @ (P - Y) / len(X)).max():.1e}")
    return P


P_fit = fit_softmax_regression(X_mm, Y_mm)
answer = None  # <- your answer: three numbers, one per class


def accept_moment_matching(m):
    m = np.asarray(m, dtype=float)
    return m.shape == (3,) and np.allclose(m, P_fit.mean(axis=0), atol=1e-6)


exercises.check(answer, accept_moment_matching, hint="count the classes")

# %% [markdown]
# **Solution.** The class frequencies in the training labels. The gradient with respect to the
# bias of class $j$ is the column sum of $P - Y$; at a stationary point it is zero, so the
# predicted probabilities of class $j$ add up to the number of examples of class $j$, whatever
# the features (the chapter's derivation "With a bias, the mean prediction misses the class
# frequency by the bias gradient"). Without a bias there is no such equation, and the means
# no longer match the frequencies exactly, as the second fit shows.

# %%
book_answer = np.bincount(y_mm, minlength=3) / len(y_mm)
print("class frequencies:            ", book_answer.round(4))
print("mean prediction, with a bias: ", P_fit.mean(axis=0).round(4))
no_bias = fit_softmax_regression(X_mm, Y_mm, bias=False)
print("mean prediction, without one: ", no_bias.mean(axis=0).round(4))
exercises.solution(book_answer, accept_moment_matching)

# %% [markdown]
# **Exercise 4.** Distillation at a very high temperature: without computing any softmax,
# predict the limit of the scaled gradient $T(p - t)$ as $T$ grows, for the teacher `vs` of
# section 5 and a new student `zs` $= (3, 1, 0, 2)$, which already ranks the seal first (a
# NumPy array of four numbers). Which logit does it push down hardest? The test evaluates
# $T(p - t)$ at $T = 10^8$ with 50-digit arithmetic.

# %%
zs, vs = np.array([3.0, 1.0, 0.0, 2.0]), teacher[0]
answer = None  # <- your answer


def accept_distillation_limit(g):
    import mpmath

    g = np.asarray(g, dtype=float)
    with mpmath.workdps(50):
        big = mpmath.mpf(10) ** 8

        def soft(row):
            e = [mpmath.exp(mpmath.mpf(float(x)) / big) for x in row]
            return [x / mpmath.fsum(e) for x in e]

        exact = [big * (a - b) for a, b in zip(soft(zs), soft(vs), strict=True)]
    return g.shape == (4,) and all(abs(a - float(b)) < 1e-6 for a, b in zip(g, exact, strict=True))


exercises.check(answer, accept_distillation_limit, hint="expand each softmax to first order in 1/T")

# %% [markdown]
# **Solution.** The chapter's high-temperature expansion: at a high temperature
# each softmax is uniform plus its centred logits divided by $KT$, so $T(p - t)$ tends to the
# gap between the centred logits divided by $K$. The student ranks class 1 first, as the
# teacher does, but its logits are not the teacher's: the limit pulls $z_1$ up (the
# teacher's lead is larger), and $z_3$ by as much, and pushes $z_2$ down hardest, the duck
# that the student rates far above the teacher. At a high temperature, distillation matches logits, not rankings.

# %%
book_answer = ((zs - zs.mean()) - (vs - vs.mean())) / zs.size
print(book_answer)
exercises.solution(book_answer, accept_distillation_limit)

# %% [markdown]
# **Exercise 5.** A softmax layer on its own receives the partial derivatives `u` of the loss
# with respect to its outputs $p$, and must return the gradient with respect to its logits,
# the product of the transposed Jacobian with `u`. Write `backward(p, u)` for one example
# without forming the $K \times K$ Jacobian (chapter exercise 9 derives the formula). The
# test compares it with the full Jacobian product on random inputs, and on the running
# example it shows what a backward pass that keeps only the diagonal of the Jacobian would
# have returned instead.

# %%
answer = None  # <- your answer: define def backward(p, u): ... above, then answer = backward


def accept_softmax_backward(backward):
    rng = np.random.default_rng(seed=9)
    cases = [(softmax(z), -np.eye(4)[true_class] / softmax(z))]  # the running example's u
    for _ in range(5):
        z_test = rng.normal(0, 2, 6)
        cases.append((softmax(z_test), rng.normal(0, 1, 6)))
    for p_test, u_test in cases:
        mine = np.asarray(backward(p_test, u_test), dtype=float)
        full = gradients.softmax_jacobian(np.log(p_test)).T @ u_test
        if mine.shape != full.shape or not np.allclose(mine, full, atol=1e-12):
            return False
    return True


p_run, u_run = softmax(z), -np.eye(4)[true_class] / softmax(z)
J_run = gradients.softmax_jacobian(z)
print("full Jacobian product:", (J_run.T @ u_run).round(4), "(this is p - t)")
print("diagonal only:        ", (np.diag(J_run) * u_run).round(4) + 0.0, "(the pushes are lost)")
exercises.check(answer, accept_softmax_backward, hint="p * (u - (weighted sum of u under p))")

# %% [markdown]
# **Solution.** Component $j$ is $p_j(u_j - \sum_k p_k u_k)$: compute the weighted sum once,
# then one subtraction and one product per class. With the cross-entropy's $u$ (minus one
# over $p_y$ at the true class, zero elsewhere) it returns $p - t$. The diagonal-only version
# keeps just $p_j(1 - p_j) u_j$, which is zero for every wrong class, so it returns a pull
# on the true class and no pushes at all.


# %%
def book_backward(p, u):
    return p * (u - np.dot(p, u))


exercises.solution(book_backward, accept_softmax_backward)
