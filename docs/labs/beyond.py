# %% [markdown]
# # Lab: beyond plain cross-entropy
#
# Companion to the chapter [Beyond plain cross-entropy](../beyond.md). Everything here comes
# from `ce_book`; change the numbers and rerun.

# %%
import numpy as np

from ce_book import calibration, focal, gradients, losses, ordinal
from ce_book.activations import softmax

# %% [markdown]
# ## 1. Label smoothing: where does the loss stop pushing?
# For each smoothing weight, find the lead of the true logit at which the smoothed gradient
# vanishes, and compare it with $\log\frac{1 - \varepsilon + \varepsilon/K}{\varepsilon/K}$.

# %%
K = 10
for eps in (0.01, 0.05, 0.1, 0.2):
    leads = np.linspace(0, 15, 3001)
    z = np.zeros((len(leads), K))
    z[:, 0] = leads
    g0 = gradients.cross_entropy_grad(z, np.zeros(len(leads), dtype=int), label_smoothing=eps,
                                      reduction="none")[:, 0]
    found = leads[np.argmin(np.abs(g0))]
    print(f"eps = {eps:4}: zero of the gradient near {found:6.3f}, formula "
          f"{np.log((1 - eps + eps / K) / (eps / K)):6.3f}")

# %% [markdown]
# ## 2. Class weights: which denominator?
# The same weighted losses, averaged three ways.

# %%
batch = np.array([[2.0, 1.0, 0.1], [0.5, 2.0, -1.0], [1.0, 1.0, 3.0]])
labels, w = np.array([0, 1, 2]), np.array([1.0, 2.0, 5.0])
print("class indices, mean:", losses.cross_entropy(batch, labels, weight=w))
print("one-hot rows,  mean:", losses.cross_entropy(batch, np.eye(3)[labels], weight=w))
print("weights x 10,  mean:", losses.cross_entropy(batch, labels, weight=10 * w))

# %% [markdown]
# ## 3. Focal loss: how much does each example still count?
# The ratio of focal loss to cross-entropy is $(1 - p_t)^\gamma$. Try other values of
# $\gamma$, and look at the gradient's size for an easy and a hard example.

# %%
for gamma in (0.0, 0.5, 1.0, 2.0, 5.0):
    easy = focal.softmax_focal_loss_grad([4.0, 0.0, 0.0], 0, gamma=gamma)
    hard = focal.softmax_focal_loss_grad([0.0, 2.0, 0.0], 0, gamma=gamma)
    print(f"gamma = {gamma}: |grad| easy {np.linalg.norm(easy):.2e}, hard {np.linalg.norm(hard):.2e}")

# %% [markdown]
# ## 4. Temperature scaling
# Make the synthetic model more or less over-confident (`scale`), fit the temperature, and
# watch the expected calibration error before and after. With `scale < 1` the model is
# under-confident and the fitted temperature is below 1.

# %%
for scale in (0.5, 1.0, 2.5, 5.0):
    logits, y = calibration.overconfident_problem(scale=scale)
    T = calibration.fit_temperature(logits, y)
    before = calibration.expected_calibration_error(softmax(logits), y)
    after = calibration.expected_calibration_error(softmax(logits / T), y)
    print(f"scale {scale}: T = {T:.3f}, ECE {before:.3f} -> {after:.3f}")

# %% [markdown]
# ## 5. Walking around a loop
# The work done by a gradient field around a closed loop is 0. Compare the seed's
# distance-scaled field with the gradient of the earth mover's distance, around squares of
# different sizes in the $(z_1, z_2)$ plane.

# %%
nodes, weights = np.polynomial.legendre.leggauss(40)


def loop_work(field, side):
    corners = [(0, 0), (side, 0), (side, side), (0, side), (0, 0)]
    total = 0.0
    for (a1, a2), (b1, b2) in zip(corners, corners[1:]):
        for s, w in zip((nodes + 1) / 2, weights):
            f = field(np.array([0.0, a1 + s * (b1 - a1), a2 + s * (b2 - a2)]))
            total += w / 2 * (f[1] * (b1 - a1) + f[2] * (b2 - a2))
    return total


for side in (0.5, 1.0, 2.0, 4.0):
    seed = loop_work(lambda v: ordinal.distance_scaled_field(v, 0), side)
    emd = loop_work(lambda v: ordinal.emd_loss_grad(v, 0, power=1), side)
    print(f"side {side}: seed's field {seed:+.6f}, EMD gradient {emd:+.1e}")
