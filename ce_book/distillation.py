r"""Knowledge distillation: a student trained on a teacher's softened probabilities.

Hinton, Vinyals and Dean (2015, arXiv:1503.02531) divide the logits of both a trained
*teacher* and the *student* by a temperature :math:`T > 1` and train the student on the
cross-entropy of the teacher's softened distribution :math:`t = \operatorname{softmax}(v / T)`
against its own, :math:`p = \operatorname{softmax}(z / T)`:

.. math:: L_{\mathrm{KD}} = T^2\, H\big(t, p\big), \qquad
          \frac{\partial L_{\mathrm{KD}}}{\partial z} = T\,(p - t)

(derivation ``distillation-gradient``). The factor :math:`T^2` keeps the size of this gradient
roughly independent of :math:`T`: for large :math:`T`, :math:`T(p - t)` tends to
:math:`\big((z - \bar z) - (v - \bar v)\big)/K`, while the gradient of :math:`H(t, p)` alone
fades like :math:`1/T^2`. The usual objective mixes it with the ordinary loss on the labels,

.. math:: L = \alpha\, T^2 H\big(t, p\big) + (1 - \alpha)\, H\big(y, \operatorname{softmax}(z)\big).

With a *uniform* teacher and :math:`T = 1` this is exactly label smoothing with
:math:`\varepsilon = \alpha` (Müller, Kornblith and Hinton, 2019, arXiv:1906.02629).

Losses follow :func:`ce_book.losses.cross_entropy`: rows are examples, ``reduction`` is
``"mean"``, ``"sum"`` or ``"none"``.
"""

from __future__ import annotations

import numpy as np

from ce_book import gradients, losses
from ce_book._checks import as_float
from ce_book.activations import softmax


def _temperature(temperature: object) -> float:
    if isinstance(temperature, bool) or not isinstance(temperature, int | float | np.floating):
        raise TypeError(f"temperature: expected a number, got {type(temperature).__name__}")
    t = float(temperature)
    if not (np.isfinite(t) and t > 0):
        raise ValueError(f"temperature: must be a finite number > 0, got {temperature!r}")
    return t


def _pair(student: object, teacher: object) -> tuple[np.ndarray, np.ndarray]:
    z = as_float(student, "student").astype(np.float64)
    v = as_float(teacher, "teacher").astype(np.float64)
    if z.ndim not in (1, 2):
        raise ValueError(f"student: expected shape (K,) or (N, K), got {z.shape}")
    if v.shape != z.shape:
        raise ValueError(f"teacher: expected the student's shape {z.shape}, got {v.shape}")
    return z, v


def soft_targets(teacher: object, temperature: float) -> np.ndarray:
    r"""The teacher's softened distribution :math:`\operatorname{softmax}(v / T)`, row by row.

    >>> soft_targets([2.0, 0.0, 0.0], 1.0).round(3)
    array([0.787, 0.107, 0.107])
    >>> soft_targets([2.0, 0.0, 0.0], 4.0).round(3)  # a higher temperature evens it out
    array([0.452, 0.274, 0.274])
    """
    v = as_float(teacher, "teacher").astype(np.float64)
    return softmax(v / _temperature(temperature))


def soft_target_loss(
    student: object,
    teacher: object,
    temperature: float,
    *,
    scaled: bool = True,
    reduction: str = "mean",
) -> np.ndarray:
    r"""The soft-target loss :math:`T^2 H(t, p)` (or :math:`H(t, p)` with ``scaled=False``).

    :math:`t = \operatorname{softmax}(v / T)` is the teacher's and
    :math:`p = \operatorname{softmax}(z / T)` the student's distribution. Equal logits give the
    floor, the entropy of :math:`t` (times :math:`T^2`), not 0.

    >>> round(float(soft_target_loss([1.0, 0.0], [1.0, 0.0], 1.0)), 6)  # H(0.731, 0.269)
    0.582203
    """
    z, v = _pair(student, teacher)
    t_ = _temperature(temperature)
    loss = losses.cross_entropy(z / t_, softmax(v / t_), reduction=reduction)
    return loss * t_**2 if scaled else loss


def soft_target_loss_grad(
    student: object,
    teacher: object,
    temperature: float,
    *,
    scaled: bool = True,
    reduction: str = "mean",
) -> np.ndarray:
    r"""Gradient of :func:`soft_target_loss` with respect to the student's logits.

    :math:`T (p - t)` per example with ``scaled=True`` (derivation ``distillation-gradient``),
    :math:`(p - t) / T` without the factor :math:`T^2`; divided by :math:`N` for ``"mean"``.

    >>> g = soft_target_loss_grad([2.0, 0.0, -1.0], [0.0, 1.0, 0.0], 2.0, reduction="sum")
    >>> bool(abs(g.sum()) < 1e-15)  # the components sum to zero
    True
    """
    z, v = _pair(student, teacher)
    t_ = _temperature(temperature)
    red = "none" if reduction == "none" else reduction
    g = gradients.cross_entropy_grad(z / t_, softmax(v / t_), reduction=red) / t_
    return g * t_**2 if scaled else g


def distillation_loss(
    student: object,
    teacher: object,
    target: object,
    temperature: float,
    alpha: float,
    *,
    reduction: str = "mean",
) -> np.ndarray:
    r"""Hinton et al.'s objective: :math:`\alpha T^2 H(t, p) + (1 - \alpha) H(y, q)`.

    :math:`q = \operatorname{softmax}(z)` is the student's distribution at temperature 1 and
    ``target`` the labels (class indices or probabilities, as in
    :func:`ce_book.losses.cross_entropy`). With ``alpha = 0`` it is the ordinary loss.

    >>> z = [[2.0, 0.5, -1.0]]
    >>> float(distillation_loss(z, [[0.0, 0.0, 0.0]], [0], 1.0, 0.0)) == float(
    ...     losses.cross_entropy(np.array(z), [0]))
    True
    """
    if isinstance(alpha, bool) or not isinstance(alpha, int | float | np.floating):
        raise TypeError(f"alpha: expected a number, got {type(alpha).__name__}")
    if not 0.0 <= float(alpha) <= 1.0:
        raise ValueError(f"alpha: must lie in [0, 1], got {alpha!r}")
    z, _ = _pair(student, teacher)
    soft = soft_target_loss(student, teacher, temperature, reduction=reduction)
    hard = losses.cross_entropy(z, target, reduction=reduction)
    return float(alpha) * soft + (1.0 - float(alpha)) * hard
