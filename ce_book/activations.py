r"""Activations that turn logits into probabilities, computed stably.

Every function here is finite and accurate for logits of any finite size: the exponential is
only ever taken of a non-positive number (so it cannot overflow), and the logarithm of a
probability close to 1 is taken as ``log1p`` of the small remainder (so it does not round to 0).
"""

from __future__ import annotations

import numpy as np

from ce_book._checks import as_float, as_logits


def sigmoid(z: object) -> np.ndarray:
    r"""The logistic sigmoid.

    .. math:: \sigma(z) = \frac{1}{1 + e^{-z}} = \frac{e^{z}}{1 + e^{z}}

    The first form is used for :math:`z \ge 0` and the second for :math:`z < 0`, so the
    exponential is always of :math:`-|z|` and never overflows.

    >>> float(sigmoid(0.0))
    0.5
    >>> float(sigmoid(-1000.0)), float(sigmoid(1000.0))
    (0.0, 1.0)
    """
    z_arr = as_float(z, "z")
    e = np.exp(-np.abs(z_arr))
    return np.where(z_arr >= 0, 1 / (1 + e), e / (1 + e))


def log_sigmoid(z: object) -> np.ndarray:
    r"""The logarithm of the sigmoid, without computing the sigmoid first.

    .. math:: \log \sigma(z) = \min(z, 0) - \log\left(1 + e^{-|z|}\right)

    ``log(sigmoid(z))`` would give ``-inf`` at ``z = -800`` and ``0`` for ``z = 40``; this
    form gives ``-800`` and ``-4.25e-18``.

    >>> float(log_sigmoid(-800.0))
    -800.0
    >>> float(log_sigmoid(40.0))
    -4.248354255291589e-18
    """
    z_arr = as_float(z, "z")
    return np.minimum(z_arr, 0) - np.log1p(np.exp(-np.abs(z_arr)))


def _shifted(z: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(m, z - m, log1p(rest))`` with ``m`` the maximum along ``axis``.

    ``rest`` is the sum of :math:`e^{z_j - m}` over every entry except one maximal one, so
    :math:`\\operatorname{logsumexp}(z) = m + \\log(1 + \\text{rest})` with the ``1`` exact.
    """
    m = np.max(z, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)  # a slice that is all -inf stays -inf below
    shifted = z - m
    e = np.exp(shifted)
    top = np.argmax(z, axis=axis, keepdims=True)
    np.put_along_axis(e, top, 0, axis=axis)
    return m, shifted, np.log1p(np.sum(e, axis=axis, keepdims=True))


def logsumexp(z: object, axis: int = -1) -> np.ndarray:
    r"""Log of the sum of exponentials along ``axis``.

    .. math:: \operatorname{LSE}(z) = \log \sum_j e^{z_j}
              = m + \log\Big(1 + \sum_{j \ne j^*} e^{z_j - m}\Big), \quad m = z_{j^*} = \max_j z_j

    >>> float(logsumexp([1000.0, 1000.0]))  # 1000 + log 2; the naive form overflows
    1000.6931471805599
    """
    z_arr = as_logits(z, "z")
    m, _, log1p_rest = _shifted(z_arr, axis)
    out = m + log1p_rest
    out = np.where(np.all(np.isneginf(z_arr), axis=axis, keepdims=True), -np.inf, out)
    return np.squeeze(out, axis=axis)


def log_softmax(z: object, axis: int = -1) -> np.ndarray:
    r"""Log of the softmax along ``axis``.

    .. math:: \log \operatorname{softmax}(z)_i = z_i - \operatorname{LSE}(z)

    For the largest logit this is exactly :math:`-\log(1 + \text{rest})`, computed with
    ``log1p``, so a confident correct prediction keeps its tiny loss instead of rounding to 0.

    >>> [round(float(v), 4) for v in log_softmax([2.0, 1.0, 0.1])]
    [-0.417, -1.417, -2.317]
    """
    z_arr = as_logits(z, "z")
    m, shifted, log1p_rest = _shifted(z_arr, axis)
    return shifted - log1p_rest


def softmax(z: object, axis: int = -1) -> np.ndarray:
    r"""Softmax along ``axis``: a probability distribution from logits.

    .. math:: \operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}
              = e^{\,z_i - \operatorname{LSE}(z)}

    >>> [round(float(v), 6) for v in softmax([2.0, 1.0, 0.1])]
    [0.659001, 0.242433, 0.098566]
    >>> softmax([1e30, 0.0]).tolist()
    [1.0, 0.0]
    """
    return np.exp(log_softmax(z, axis=axis))
