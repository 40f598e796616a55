r"""Focal loss (Lin et al. 2017): cross-entropy that fades out on examples already learned.

The focal loss multiplies each example's cross-entropy by :math:`(1 - p_t)^\gamma`, where
:math:`p_t` is the probability the model gives to the true outcome. Confident correct
predictions (:math:`p_t \to 1`) then contribute almost nothing, and training concentrates on
the hard examples. With :math:`\gamma = 0` both losses here are exactly the cross-entropy.

Everything is computed from log-probabilities (``log_sigmoid``, ``log_softmax``), so that
:math:`1 - p_t` never suffers cancellation and huge logits give finite, accurate values.
"""

from __future__ import annotations

import numbers

import numpy as np

from ce_book._checks import as_float, check_nonempty, check_reduction, check_same_shape
from ce_book.activations import log_sigmoid, log_softmax, logsumexp


def _check_gamma(gamma: object) -> float:
    if isinstance(gamma, bool) or not isinstance(gamma, numbers.Real):
        raise TypeError(f"gamma: expected a real number, got {type(gamma).__name__}")
    if not np.isfinite(gamma) or gamma < 0:
        raise ValueError(f"gamma: must be a finite number >= 0, got {gamma!r}")
    return float(gamma)


def _check_alpha(alpha: object) -> float | None:
    if alpha is None:
        return None
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"alpha: expected None or a real number, got {type(alpha).__name__}")
    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha: must lie in [0, 1] (or be None), got {alpha!r}")
    return float(alpha)


def _finite_logits(x: object, name: str) -> np.ndarray:
    a = as_float(x, name)
    if not np.isfinite(a).all():
        raise ValueError(f"{name}: contains inf; logits must be finite")
    return a


def _binary_parts(input: object, target: object, alpha: object) -> tuple[np.ndarray, ...]:
    """Validated ``(t, alpha_t, log p, log(1 - p), log(1 - p_t), bce)`` for the binary loss."""
    alpha = _check_alpha(alpha)
    z = _finite_logits(input, "input")
    t = as_float(target, "target").astype(z.dtype, copy=False)
    check_same_shape(z, t, "input", "target")
    if ((t < 0) | (t > 1)).any():
        raise ValueError("target: must lie in [0, 1]")
    log_p, log_q = log_sigmoid(z), log_sigmoid(-z)
    with np.errstate(divide="ignore"):  # log 0 = -inf is meant: it drops a term from logaddexp
        log_m = np.logaddexp(np.log(t) + log_q, np.log1p(-t) + log_p)
    bce = -(t * log_p + (1 - t) * log_q)
    alpha_t = np.ones_like(t) if alpha is None else alpha * t + (1 - alpha) * (1 - t)
    return t, alpha_t, log_p, log_q, log_m, bce


def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    if reduction == "none":
        return loss
    if reduction == "sum":
        return np.sum(loss)
    return np.mean(loss)


def sigmoid_focal_loss(
    input: object,
    target: object,
    alpha: float | None = None,
    gamma: float = 2.0,
    reduction: str = "mean",
) -> np.ndarray:
    r"""Binary focal loss on logits, elementwise, with the semantics of torchvision's.

    .. math::
        p = \sigma(z), \quad p_t = p\,t + (1 - p)(1 - t), \quad
        \alpha_t = \alpha\,t + (1 - \alpha)(1 - t),

        \mathrm{FL}(z, t) = \alpha_t\,(1 - p_t)^{\gamma}\,
        \bigl(-t \log p - (1 - t) \log(1 - p)\bigr)

    ``target`` holds numbers in [0, 1] (usually 0 or 1). ``alpha=None`` means no
    :math:`\alpha_t` factor (torchvision spells this ``alpha=-1``; its default is 0.25).
    ``reduction`` is ``"none"``, ``"mean"`` (the default, as in ``torch.nn.functional``; note
    that torchvision's default is ``"none"``) or ``"sum"``.

    >>> float(sigmoid_focal_loss(0.0, 1.0, gamma=0.0))  # gamma = 0: plain BCE, log 2
    0.6931471805599453
    >>> float(sigmoid_focal_loss(0.0, 1.0))  # (1 - 1/2)^2 log 2
    0.17328679513998632
    >>> float(sigmoid_focal_loss(1e4, 0.0, gamma=2.0))  # confidently wrong: about 1e4
    10000.0
    """
    reduction = check_reduction(reduction)
    g = _check_gamma(gamma)
    _, alpha_t, _, _, log_m, bce = _binary_parts(input, target, alpha)
    loss = alpha_t * np.exp(g * log_m) * bce
    if reduction == "mean":
        check_nonempty(loss, "input")
    return _reduce(loss, reduction)


def sigmoid_focal_loss_grad(
    input: object,
    target: object,
    alpha: float | None = None,
    gamma: float = 2.0,
    reduction: str = "mean",
) -> np.ndarray:
    r"""Gradient of :func:`sigmoid_focal_loss` with respect to the logits ``input``.

    With :math:`m = 1 - p_t = t\,(1-p) + (1-t)\,p` and
    :math:`\ell = -t\log p - (1-t)\log(1-p)`:

    .. math::
        \frac{\partial\,\mathrm{FL}}{\partial z} = \alpha_t\Bigl[(p - t)\,m^{\gamma}
        - \gamma\,(2t - 1)\,p\,(1-p)\,m^{\gamma - 1}\,\ell\Bigr]

    which for :math:`t = 1` is :math:`\alpha_t (1-p)^{\gamma}(\gamma\,p \log p + p - 1)`.
    For ``"mean"`` the elementwise gradient is divided by the number of elements; for
    ``"none"`` each element's own derivative is returned.

    >>> float(sigmoid_focal_loss_grad(0.0, 1.0, gamma=0.0))  # BCE: sigma(0) - 1
    -0.5
    >>> round(float(sigmoid_focal_loss_grad(0.0, 1.0)), 6)  # (1/4)(log(1/2) + 1/2 - 1)
    -0.298287
    """
    reduction = check_reduction(reduction)
    g = _check_gamma(gamma)
    t, alpha_t, log_p, log_q, log_m, bce = _binary_parts(input, target, alpha)
    p, q = np.exp(log_p), np.exp(log_q)
    # p(1-p) m^(gamma-1) in logs: finite even when m -> 0 with gamma < 1.
    slope = np.exp(log_p + log_q + (g - 1) * log_m) if g > 0 else 0
    grad = alpha_t * ((1 - t) * p - t * q) * np.exp(g * log_m)
    grad = grad - alpha_t * g * (2 * t - 1) * slope * bce
    if reduction == "mean":
        check_nonempty(grad, "input")
        grad = grad / grad.size
    return grad


def _categorical_parts(
    input: object, target: object, weight: object, reduction: str
) -> tuple[np.ndarray, ...]:
    """Validated ``(y, w_y, log p, log p_y, log(1 - p_y))``, batched to shape (N, C)."""
    z = _finite_logits(input, "input")
    if z.ndim not in (1, 2):
        raise ValueError(f"input: expected shape (C,) or (N, C), got {z.shape}")
    z2 = np.atleast_2d(z)
    if z2.shape[1] < 2:
        raise ValueError(f"input: needs at least 2 classes, got {z2.shape[1]}")
    y = np.asarray(target)
    if y.dtype.kind not in "iu":
        raise TypeError(f"target: expected integer class indices, got dtype {y.dtype}")
    if y.shape != z.shape[:-1]:
        raise ValueError(f"target: shape {y.shape} does not match input's batch {z.shape[:-1]}")
    y = np.atleast_1d(y)
    if reduction == "mean":
        check_nonempty(y, "input")
    c = z2.shape[1]
    if ((y < 0) | (y >= c)).any():
        raise ValueError(f"target: class indices must lie in [0, {c - 1}]")
    if weight is None:
        w = np.ones(c, dtype=z.dtype)
    else:
        w = as_float(weight, "weight").astype(z.dtype, copy=False)
        if w.shape != (c,):
            raise ValueError(f"weight: expected shape ({c},), got {w.shape}")
        if (w < 0).any() or not np.isfinite(w).all():
            raise ValueError("weight: must be finite and >= 0")
    log_p = log_softmax(z2)
    rows = np.arange(len(y))
    log_py = log_p[rows, y]
    others = z2.copy()
    others[rows, y] = -np.inf
    log_m = logsumexp(others) - logsumexp(z2)  # log(1 - p_y) without cancellation
    return y, w[y], log_p, log_py, log_m


def softmax_focal_loss(
    input: object,
    target: object,
    weight: object = None,
    gamma: float = 2.0,
    reduction: str = "mean",
) -> np.ndarray:
    r"""Multi-class focal loss on logits, with class-index targets.

    .. math::
        p = \operatorname{softmax}(z), \qquad
        \mathrm{FL}(z, y) = -\,w_y\,(1 - p_y)^{\gamma} \log p_y

    ``weight`` (the :math:`\alpha` of Lin et al., one per class) and ``reduction`` follow
    ``torch.nn.functional.cross_entropy``: ``"mean"`` divides by the sum of the weights of
    the targets, so with :math:`\gamma = 0` this is exactly ``cross_entropy``.
    ``input`` has shape (C,) or (N, C), ``target`` shape () or (N,).

    >>> round(float(softmax_focal_loss([2.0, 1.0, 0.1], 0, gamma=0.0)), 4)  # plain CE
    0.417
    >>> round(float(softmax_focal_loss([2.0, 1.0, 0.1], 0)), 4)  # scaled by (1 - 0.659)^2
    0.0485
    """
    reduction = check_reduction(reduction)
    g = _check_gamma(gamma)
    _, w_y, _, log_py, log_m = _categorical_parts(input, target, weight, reduction)
    loss = -w_y * np.exp(g * log_m) * log_py
    if reduction == "none":
        return loss if np.ndim(input) == 2 else loss[0]
    if reduction == "sum":
        return np.sum(loss)
    return np.sum(loss) / np.sum(w_y)


def softmax_focal_loss_grad(
    input: object,
    target: object,
    weight: object = None,
    gamma: float = 2.0,
    reduction: str = "mean",
) -> np.ndarray:
    r"""Gradient of :func:`softmax_focal_loss` with respect to the logits.

    The focal gradient is the cross-entropy gradient :math:`p - e_y` times a non-negative
    scalar per example:

    .. math::
        \frac{\partial\,\mathrm{FL}}{\partial z_j} = w_y\,g\,(p_j - \delta_{jy}), \qquad
        g = (1 - p_y)^{\gamma} - \gamma\,p_y\,(1 - p_y)^{\gamma - 1}\log p_y \;\ge 0

    >>> [round(float(v), 4) for v in softmax_focal_loss_grad([2.0, 1.0, 0.1], 0, gamma=0.0)]
    [-0.341, 0.2424, 0.0986]
    """
    reduction = check_reduction(reduction)
    g = _check_gamma(gamma)
    y, w_y, log_p, log_py, log_m = _categorical_parts(input, target, weight, reduction)
    scale = np.exp(g * log_m)
    if g > 0:
        with np.errstate(divide="ignore"):  # log 0 = -inf when p_y rounds to 1: the term is 0
            scale = scale + g * np.exp(log_py + (g - 1) * log_m + np.log(-log_py))
    grad = np.exp(log_p)
    grad[np.arange(len(y)), y] = -np.exp(log_m)  # p_y - 1 = -(1 - p_y), without cancellation
    grad = (w_y * scale)[:, None] * grad
    if reduction == "mean":
        grad = grad / np.sum(w_y)
    return grad if np.ndim(input) == 2 else grad[0]
