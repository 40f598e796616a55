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
# numbers and re-run the cells.
#
# 1. The forces $p - t$: one pull, many pushes, sum zero.
# 2. The softmax Jacobian, and what one nudge of a logit does.
# 3. Nielsen's neuron: squared error against cross-entropy, from a bad and a mild start.

# %%
import matplotlib.pyplot as plt
import numpy as np

from ce_book import gradients, losses, training
from ce_book.activations import softmax

# %% [markdown]
# ## 1. Forces
#
# Pick logits and a true class. The gradient of the cross-entropy with respect to the logits
# is $p - t$: the true class is pulled up by $1 - p_{\text{true}}$, every other class is
# pushed down by its own probability. Try a soft target too (a distribution in place of the
# class index).

# %%
z = np.array([2.5, -1.0, 3.2, 0.5])
true_class = 0

p = softmax(z)
g = gradients.cross_entropy_grad(z, true_class, reduction="sum")
print("probabilities   ", p.round(4))
print("loss            ", round(float(losses.cross_entropy(z, true_class)), 4))
print("gradient p - t  ", g.round(4))
print("pull on the true class", round(float(-g[true_class]), 4))
print("sum of the pushes     ", round(float(np.delete(g, true_class).sum()), 4))
print("sum of all components ", float(g.sum()))

# %%
soft = np.array([0.7, 0.1, 0.2, 0.0])
print("soft-target gradient", gradients.cross_entropy_grad(z, soft, reduction="sum").round(4))

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

delta = 0.4
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
rate, epochs = 0.15, 300

fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), sharey=True, layout="constrained")
for ax, (name, (w, b)) in zip(axes, starts.items(), strict=True):
    for loss in training.LOSSES:
        run = training.train(w, b, loss=loss, learning_rate=rate, epochs=epochs)
        ax.plot(run.output, label=loss.replace("_", " "))
    ax.set_title(name)
    ax.set_xlabel("epoch")
axes[0].set_ylabel("output of the neuron")
axes[1].legend()
plt.show()

# %% [markdown]
# The gradients at the start explain the curves: squared error carries the factor
# $\sigma'(z)$, cross-entropy does not.

# %%
for name, (w, b) in starts.items():
    zs = w + b
    se = float(training.neuron_loss_grad(zs, 0.0, "squared_error"))
    ce = float(training.neuron_loss_grad(zs, 0.0, "cross_entropy"))
    slope = float(gradients.sigmoid_derivative(zs))
    print(f"{name}: sigma'(z) = {slope:.4f}, squared error {se:.4f}, cross-entropy {ce:.4f}")
