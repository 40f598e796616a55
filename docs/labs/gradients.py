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
# numbers and re-run the cells. Beyond the chapter, the lab shows:
#
# 1. The forces $p - t$, checked against central differences and PyTorch's autograd.
# 2. The softmax Jacobian, and what one nudge of a logit does.
# 3. Nielsen's neuron: squared error against cross-entropy, from a bad and a mild start.
# 4. A hidden layer: cross-entropy does not cure a saturated hidden sigmoid.
# 5. Distillation in PyTorch's words: `KLDivLoss` and soft-target cross-entropy.
# 6. Exercises that check themselves.
#
# PyTorch is optional: the cells that compare with it say so and skip when it is missing.

# %%

import matplotlib.pyplot as plt
import numpy as np

from ce_book import distillation, gradients, losses, training
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
# is $p - t$: the true class is pulled up by $1 - p_{\text{true}}$, every other class is
# pushed down by its own probability. Check it against central differences and, if it is
# installed, against PyTorch's autograd; the sum of the components is zero up to rounding.

# %%
z = np.array([2.5, -1.0, 3.2, 0.5])  # <- edit me
true_class = 0

p = softmax(z)
g = gradients.cross_entropy_grad(z, true_class, reduction="sum")
numeric = gradients.numerical_gradient(lambda v: float(losses.cross_entropy(v, true_class)), z)
print("probabilities       ", p.round(4))
print("gradient p - t      ", g.round(4))
print("central differences ", numeric.round(4))
print("sum of the components", float(g.sum()))
if torch is not None:
    zt = torch.tensor([z], requires_grad=True)
    F.cross_entropy(zt, torch.tensor([true_class])).backward()
    print("PyTorch autograd    ", zt.grad[0].numpy().round(4))

# %% [markdown]
# ## 2. The Jacobian and one nudge
#
# Column $j$ of the softmax Jacobian says how every output moves, to first order, when $z_j$
# moves. Compare it with the true change for a nudge of size `delta`; make `delta` small and
# the two agree.

# %%
J = gradients.softmax_jacobian(z)
print("Jacobian (symmetric, rows and columns sum to 0):")
print(J.round(4))

delta = 0.4  # <- edit me
for j, sign in [(0, +1), (1, -1), (2, -1), (3, -1)]:
    nudged = z.copy()
    nudged[j] += sign * delta
    actual = softmax(nudged)[0] - p[0]
    linear = sign * delta * J[0, j]
    word = "raise" if sign > 0 else "lower"
    print(f"{word} z{j + 1} by {delta}: a1 changes by {actual:+.4f} (first order {linear:+.4f})")

# %% [markdown]
# ## 3. Nielsen's neuron
#
# One sigmoid neuron, input 1, target 0, trained by gradient descent. Change the start, the
# learning rate or the number of epochs. With squared error the bad start sits on a plateau;
# with cross-entropy it does not.

# %%
starts = {"bad start (2, 2)": (2.0, 2.0), "mild start (0.6, 0.9)": (0.6, 0.9)}
rate, epochs = 0.15, 300  # <- edit me

fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharey=True, layout="constrained")
for ax, (name, (w, b)) in zip(axes, starts.items(), strict=True):
    for loss in training.LOSSES:
        run = training.train(w, b, loss=loss, learning_rate=rate, epochs=epochs)
        ax.plot(run.output, label=loss.replace("_", " "))
    ax.set_title(name)
    ax.set_xlabel("epoch")
axes[0].set_ylabel("output of the neuron")
axes[1].legend()
show(
    fig,
    "Two panels of the neuron's output against the epoch, from 0 to 300. Left, the bad start "
    "w = b = 2: with squared error the output stays near 0.98 for about a hundred epochs before "
    "it falls; with cross-entropy it falls at once. Right, the mild start w = 0.6, b = 0.9: "
    "both outputs fall from the first epoch.",
)

# %% [markdown]
# ## 4. A hidden layer: the slowdown cross-entropy does not remove
#
# Put one hidden sigmoid unit in front of the output: $h = \sigma(u x)$, $a = \sigma(v h + c)$,
# trained with cross-entropy. The gradient reaching the output layer is $a - y$, with no
# $\sigma'$; the gradient reaching the hidden weight $u$ is $(a - y)\, v\, \sigma'(ux)\, x$,
# which still carries the hidden unit's slope. Start the hidden unit saturated ($u x = 6$) or
# not ($u x = 0.5$) and compare.

# %%
x_in, y_out, v, c = 1.0, 0.0, 2.0, 0.5


def hidden_net_grads(u):
    h = sigmoid(u * x_in)
    a = sigmoid(v * h + c)
    err = a - y_out  # dL/d(output logit) with cross-entropy
    return float(err), float(err * v * h * (1 - h) * x_in)  # output error, dL/du


for u in (0.5, 6.0):
    err, du = hidden_net_grads(u)
    print(f"u x = {u:3}: output error a - y = {err:.3f}, gradient on the hidden weight = {du:.5f}")

# %% [markdown]
# ## 5. Distillation in PyTorch's words
#
# PyTorch examples of distillation often use `KLDivLoss(log_softmax(z/T), softmax(v/T))`
# rather than a cross-entropy with soft targets. The two differ by the teacher's entropy, a
# constant for the student, so their gradients are identical; both are multiplied by $T^2$.

# %%
student = np.array([[2.5, -1.0, 3.2, 0.5]])
teacher = np.array([[5.0, -1.0, 2.0, 1.0]])
T = 4.0  # <- edit me
soft_ce = float(distillation.soft_target_loss(student, teacher, T))
grad = distillation.soft_target_loss_grad(student, teacher, T)
print("T^2 H(t, p) from ce_book:", soft_ce)
print("its gradient T (p - t):  ", grad.round(5))
if torch is not None:
    zt = torch.tensor(student, requires_grad=True)
    t_soft = F.softmax(torch.tensor(teacher) / T, dim=1)
    kl = T**2 * F.kl_div(F.log_softmax(zt / T, dim=1), t_soft, reduction="batchmean")
    kl.backward()
    entropy = -(t_soft * t_soft.log()).sum().item()
    print("T^2 KL from PyTorch:     ", kl.item(), " + T^2 H(t) =", kl.item() + T**2 * entropy)
    print("its gradient:            ", zt.grad.numpy().round(5))

# %% [markdown]
# ## 6. Exercises
#
# Each cell states a fact as an `assert`. Run it; then change the numbers and predict whether
# it still holds before you run it again.
#
# **6.1** For soft targets too, the gradient is $p - t$ and sums to zero.

# %%
soft = np.array([0.7, 0.1, 0.2, 0.0])
g_soft = gradients.cross_entropy_grad(z, soft, reduction="sum")
assert np.allclose(g_soft, softmax(z) - soft, atol=1e-15)
assert abs(g_soft.sum()) < 1e-15

# %% [markdown]
# **6.2** A matched pair gives "prediction minus target": identity output with half the squared
# error, and a Poisson rate $e^z$ with its negative log-likelihood. Check by central
# differences.

# %%
y_real, z0 = 1.7, 0.4
half_se = gradients.numerical_gradient(lambda s: 0.5 * (s[0] - y_real) ** 2, np.array([z0]))
assert np.isclose(half_se[0], z0 - y_real, rtol=1e-8)
count = 3
poisson = gradients.numerical_gradient(lambda s: np.exp(s[0]) - s[0] * count, np.array([z0]))
assert np.isclose(poisson[0], np.exp(z0) - count, rtol=1e-8)

# %% [markdown]
# **6.3** The mismatched pair (sigmoid with squared error) learns slowest where it is most
# wrong: its gradient at $z = 4$ is smaller than at $z = 1.5$, although $\sigma(4)$ is
# further from the target 0.

# %%
se = training.neuron_loss_grad(np.array([1.5, 4.0]), np.zeros(2), "squared_error")
assert se[1] < se[0]

# %% [markdown]
# **6.4** The hidden-layer slowdown of section 4: the saturated hidden unit gets a far smaller
# gradient, although the output error is about the same.

# %%
err_small, du_small = hidden_net_grads(0.5)
err_sat, du_sat = hidden_net_grads(6.0)
assert abs(err_sat - err_small) < 0.1 and du_sat < du_small / 20

# %% [markdown]
# **6.5** The distillation gradient $T(p - t)$ tends to $\big((z - \bar z) - (v - \bar
# v)\big)/K$ as $T$ grows, while $(p - t)/T$ fades like $1/T^2$.

# %%
zs, vs = student[0], teacher[0]
limit = ((zs - zs.mean()) - (vs - vs.mean())) / zs.size
big = distillation.soft_target_loss_grad(zs, vs, 1000.0, reduction="sum")
assert np.allclose(big, limit, atol=1e-3)
raw = [
    np.linalg.norm(distillation.soft_target_loss_grad(zs, vs, t_, scaled=False))
    for t_ in (100.0, 200.0)
]
assert 3.9 < raw[0] / raw[1] < 4.1  # doubling T divides it by about 4
print("all exercises pass")
