r"""Losses that know how far apart the classes are, for ordered (ordinal) classes.

Cross-entropy only looks at the probability of the true class: putting mass one class away
from the truth costs the same as putting it ten classes away. When the classes are ordered
(ratings 1 to 5, age brackets, histogram bins) the earth mover's distance between the predicted
and the target distribution does see the difference. On a line of classes spaced one unit
apart it is a sum over the :math:`K - 1` boundaries between neighbouring classes of the gap
between the two cumulative distributions:

.. math:: \mathrm{EMD}_r(p, t) = \sum_{k=1}^{K-1} \lvert P_k - T_k \rvert^{r}, \qquad
          P_k = \sum_{i \le k} p_i, \quad T_k = \sum_{i \le k} t_i

:math:`r = 1` is the Wasserstein-1 distance; :math:`r = 2` is the squared EMD loss of
Hou, Yu and Samaras (2016). This module also holds the vector field that the seed article
proposes in place of a gradient, so that the book can show it is not the gradient of any loss.
"""

from __future__ import annotations

import numpy as np

from ce_book._checks import (
    as_float,
    as_logits,
    check_distribution,
    check_nonempty,
    check_real_at_least,
    check_reduction,
    check_same_shape,
)
from ce_book.activations import softmax


def _batched(input: object, target: object, reduction: str) -> tuple[np.ndarray, np.ndarray]:
    """Validated softmax probabilities and target distributions, both of shape (N, K)."""
    z = as_logits(input, "input")
    if z.ndim not in (1, 2):
        raise ValueError(f"input: expected shape (K,) or (N, K), got {z.shape}")
    z2 = np.atleast_2d(z)
    k = z2.shape[1]
    if k < 2:
        raise ValueError(f"input: needs at least 2 classes, got {k}")
    if reduction == "mean":
        check_nonempty(z2, "input")
    y = np.asarray(target)
    if y.dtype.kind in "iu":
        if y.shape != z.shape[:-1]:
            raise ValueError(f"target: shape {y.shape} does not match input's batch {z.shape[:-1]}")
        y = np.atleast_1d(y)
        if ((y < 0) | (y >= k)).any():
            raise ValueError(f"target: class indices must lie in [0, {k - 1}]")
        t = np.zeros_like(z2)
        t[np.arange(len(y)), y] = 1
    else:
        t = as_float(target, "target").astype(z.dtype, copy=False)
        check_same_shape(z, t, "input", "target")
        check_distribution(t, "target")
        t = np.atleast_2d(t)
    return softmax(z2), t


def _cdf_gaps(p: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(P, S, D)`` at the K - 1 boundaries: CDF, survival 1 - CDF and the gap P - T.

    The gap is taken from whichever side of the CDF is at most 1/2, so it is never the
    difference of two numbers close to 1 (with a one-hot target there is no rounding at all).
    """
    cdf_p, cdf_t = np.cumsum(p, axis=-1)[:, :-1], np.cumsum(t, axis=-1)[:, :-1]
    sf_p = np.cumsum(p[:, ::-1], axis=-1)[:, ::-1][:, 1:]
    sf_t = np.cumsum(t[:, ::-1], axis=-1)[:, ::-1][:, 1:]
    gap = np.where(cdf_p <= 0.5, cdf_p - cdf_t, sf_t - sf_p)
    return cdf_p, sf_p, gap


def emd_loss(
    input: object, target: object, power: float = 2.0, reduction: str = "mean"
) -> np.ndarray:
    r"""Earth mover's distance between :math:`\operatorname{softmax}(z)` and the target.

    .. math:: \ell(z, t) = \sum_{k=1}^{K-1} \bigl\lvert P_k - T_k \bigr\rvert^{r},
              \qquad P_k = \sum_{i \le k} \operatorname{softmax}(z)_i

    ``input``: logits of shape (K,) or (N, K), classes in their natural order, neighbours one
    unit apart. ``target``: class indices (integers, shape () or (N,)) or distributions of the
    input's shape. ``power`` :math:`r \ge 1` (2 is the squared EMD, 1 the Wasserstein-1
    distance). ``reduction``: ``"none"``, ``"mean"`` over the batch, or ``"sum"``.

    With a class-index target :math:`y` and :math:`r = 1` this is the expected distance from
    the truth, :math:`\sum_k |k - y|\, p_k`:

    >>> float(emd_loss([0.0, 0.0, 0.0], 0, power=1))  # (0 + 1 + 2) / 3
    1.0
    >>> float(emd_loss([0.0, 0.0, 0.0], 0))  # (2/3)^2 + (1/3)^2
    0.5555555555555556
    """
    reduction = check_reduction(reduction)
    r = check_real_at_least(power, "power", 1)
    p, t = _batched(input, target, reduction)
    loss = np.sum(np.abs(_cdf_gaps(p, t)[2]) ** r, axis=-1)
    if reduction == "none":
        return loss if np.ndim(input) == 2 else loss[0]
    return np.sum(loss) if reduction == "sum" else np.mean(loss)


def emd_loss_grad(
    input: object, target: object, power: float = 2.0, reduction: str = "mean"
) -> np.ndarray:
    r"""Gradient of :func:`emd_loss` with respect to the logits.

    With :math:`D_k = P_k - T_k`, :math:`g_k = r\,\lvert D_k\rvert^{r-1}\operatorname{sign} D_k`
    and :math:`\partial P_k / \partial z_j = p_j\,([j \le k] - P_k)`:

    .. math:: \frac{\partial \ell}{\partial z_j}
              = p_j \Bigl(\sum_{k \ge j} g_k\,(1 - P_k) \;-\; \sum_{k < j} g_k\,P_k\Bigr)

    For :math:`r = 1` and a class-index target this is :math:`p_j (|j - y| - \bar d)` with
    :math:`\bar d = \sum_i |i - y|\,p_i`. (For :math:`r = 1` the loss has a kink where
    :math:`P_k = T_k`; there ``sign 0 = 0`` picks a subgradient.)

    >>> [round(float(v), 4) for v in emd_loss_grad([0.0, 0.0, 0.0], 0, power=1)]
    [-0.3333, 0.0, 0.3333]
    """
    reduction = check_reduction(reduction)
    r = check_real_at_least(power, "power", 1)
    p, t = _batched(input, target, reduction)
    cdf, sf, gap = _cdf_gaps(p, t)
    g = r * np.abs(gap) ** (r - 1) * np.sign(gap) if r > 1 else np.sign(gap)
    zero = np.zeros_like(p[:, :1])
    above = np.cumsum((g * sf)[:, ::-1], axis=-1)[:, ::-1]  # sum over boundaries k >= j
    below = np.cumsum(g * cdf, axis=-1)  # sum over boundaries k < j
    grad = p * (np.concatenate([above, zero], axis=-1) - np.concatenate([zero, below], axis=-1))
    if reduction == "mean":
        grad = grad / len(p)
    return grad if np.ndim(input) == 2 else grad[0]


def distance_scaled_field(input: object, target: object) -> np.ndarray:
    r"""The seed article's proposal: the cross-entropy gradient divided by the class distance.

    .. math:: F_j(z) = \begin{cases} p_j / |j - y| & j \ne y \\ p_y - 1 & j = y \end{cases}
              \qquad p = \operatorname{softmax}(z)

    A vector field on the logits, not the gradient of any loss: its Jacobian
    :math:`\partial F_i / \partial z_j = -p_i p_j / |i - y|` (for :math:`i \ne j`, both
    :math:`\ne y`) is not symmetric. ``input`` has shape (K,) or (N, K), ``target`` holds
    class indices.

    >>> [round(float(v), 4) for v in distance_scaled_field([0.0, 0.0, 0.0], 0)]
    [-0.6667, 0.3333, 0.1667]
    """
    if np.asarray(target).dtype.kind not in "iu":
        raise TypeError("target: expected integer class indices")
    p, t = _batched(input, target, "none")
    distance = np.abs(np.arange(p.shape[1]) - np.argmax(t, axis=-1)[:, None])
    wrong = np.where(distance == 0, 0, p)
    # p_y - 1 is minus the mass on the wrong classes (no cancellation when p_y is near 1)
    field = np.where(
        distance == 0,
        -np.sum(wrong, axis=-1, keepdims=True),
        wrong / np.maximum(distance, 1).astype(p.dtype),
    )
    return field if np.ndim(input) == 2 else field[0]
