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

from ce_book._checks import check_real_at_least
from ce_book._targets import Binary, Categorical, prepare_binary, prepare_categorical
from ce_book.activations import log_sigmoid, log_softmax, logsumexp


def _check_alpha(alpha: object) -> float | None:
    if alpha is None:
        return None
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"alpha: expected None or a real number, got {type(alpha).__name__}")
    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha: must lie in [0, 1] (or be None), got {alpha!r}")
    return float(alpha)


def _binary_parts(
    input: object, target: object, alpha: object, reduction: object
) -> tuple[Binary, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Validated arguments and ``(alpha_t, log p, log(1 - p), log(1 - p_t))``."""
    alpha = _check_alpha(alpha)
    b = prepare_binary(input, target, None, reduction, probs=False)
    t = b.target
    log_p, log_q = log_sigmoid(b.x), log_sigmoid(-b.x)
    with np.errstate(divide="ignore"):  # log 0 = -inf is meant: it drops a term from logaddexp
        log_m = np.logaddexp(np.log(t) + log_q, np.log1p(-t) + log_p)
    alpha_t = np.ones_like(t) if alpha is None else alpha * t + (1 - alpha) * (1 - t)
    return b, alpha_t, log_p, log_q, log_m


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
    g = check_real_at_least(gamma, "gamma", 0)
    b, alpha_t, log_p, log_q, log_m = _binary_parts(input, target, alpha, reduction)
    bce = -(b.target * log_p + (1 - b.target) * log_q)
    return b.reduce(alpha_t * np.exp(g * log_m) * bce)


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
    g = check_real_at_least(gamma, "gamma", 0)
    b, alpha_t, log_p, log_q, log_m = _binary_parts(input, target, alpha, reduction)
    t = b.target
    bce = -(t * log_p + (1 - t) * log_q)
    p, q = np.exp(log_p), np.exp(log_q)
    # p(1-p) m^(gamma-1) in logs: finite even when m -> 0 with gamma < 1.
    slope = np.exp(log_p + log_q + (g - 1) * log_m) if g > 0 else 0
    grad = alpha_t * ((1 - t) * p - t * q) * np.exp(g * log_m)
    grad = grad - alpha_t * g * (2 * t - 1) * slope * bce
    return grad / grad.dtype.type(b.denominator)


def _categorical_parts(
    input: object, target: object, weight: object, ignore_index: object, reduction: object
) -> tuple[Categorical, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Validated problem (rows of classes) and ``(y, w_y, log p, log p_y, log(1 - p_y))``.

    ``y`` and ``w_y`` are 0 on rows whose target is ``ignore_index``.
    """
    pb = prepare_categorical(
        input, target, weight, ignore_index, reduction, 0.0, probabilities=False
    )
    rows = np.arange(pb.x.shape[0])
    y, w_y = pb.safe_targets()
    log_p = log_softmax(pb.x)
    others = pb.x.copy()
    others[rows, y] = -np.inf
    with np.errstate(invalid="ignore"):  # -inf - (-inf) for a row with no possible class
        log_m = logsumexp(others) - logsumexp(pb.x)  # log(1 - p_y) without cancellation
    if np.isnan(log_m).any():
        raise ValueError("input: a row of logits is entirely -inf (no class is possible)")
    return pb, y, w_y, log_p, log_p[rows, y], log_m


def softmax_focal_loss(
    input: object,
    target: object,
    weight: object = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    gamma: float = 2.0,
) -> np.ndarray:
    r"""Multi-class focal loss on logits, with class-index targets.

    .. math::
        p = \operatorname{softmax}(z), \qquad
        \mathrm{FL}(z, y) = -\,w_y\,(1 - p_y)^{\gamma} \log p_y

    The arguments are those of :func:`ce_book.losses.cross_entropy` (with ``gamma`` in place
    of ``label_smoothing``) and mean the same: ``weight`` (the :math:`\alpha` of Lin et al.,
    one per class), ``ignore_index``, and a ``"mean"`` that divides by the sum of the weights
    of the targets. With :math:`\gamma = 0` this *is* ``cross_entropy``.

    >>> round(float(softmax_focal_loss([2.0, 1.0, 0.1], 0, gamma=0.0)), 4)  # plain CE
    0.417
    >>> round(float(softmax_focal_loss([2.0, 1.0, 0.1], 0)), 4)  # scaled by (1 - 0.659)^2
    0.0485
    """
    g = check_real_at_least(gamma, "gamma", 0)
    pb, _, w_y, _, log_py, log_m = _categorical_parts(
        input, target, weight, ignore_index, reduction
    )
    with np.errstate(invalid="ignore"):  # weight 0 (or ignored) times log p_y = -inf
        loss = np.where(w_y > 0, -w_y * np.exp(g * log_m) * log_py, 0)
    return pb.reduce(loss.astype(pb.x.dtype, copy=False))


def softmax_focal_loss_grad(
    input: object,
    target: object,
    weight: object = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    gamma: float = 2.0,
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
    g = check_real_at_least(gamma, "gamma", 0)
    pb, y, w_y, log_p, log_py, log_m = _categorical_parts(
        input, target, weight, ignore_index, reduction
    )
    scale = np.exp(g * log_m)
    if g > 0:
        with np.errstate(divide="ignore"):  # log 0 = -inf when p_y rounds to 1: the term is 0
            scale = scale + g * np.exp(log_py + (g - 1) * log_m + np.log(-log_py))
    rows = np.arange(len(w_y))
    grad = np.exp(log_p)
    # p_y - 1 = -(1 - p_y), without cancellation
    grad[rows, y] = -np.exp(log_m)
    grad = np.where(w_y[:, None] > 0, (w_y * scale)[:, None] * grad, 0)
    return pb.restore(grad.astype(pb.x.dtype, copy=False) / pb.x.dtype.type(pb.denominator))
