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


COMPENSATE_BELOW = 0.25
"""Rows whose ``rest`` is below this are recomputed with the rounding of ``z - m`` compensated.

There the loss of the top class is about ``rest`` itself, so the relative error of each
:math:`e^{z_j - m}` (up to :math:`|z_j - m|` units in the last place from rounding the
exponent) would show in it. Above it, that error stays within a few units in the last place.
"""


def exp_shifted_rows(z: np.ndarray, out: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Fill ``out`` with :math:`e^{z - m}` row by row; return ``(top, m, rest)``.

    ``z`` and ``out`` are 2-D arrays of one shape and dtype (rows of logits). ``top`` is the
    index of a maximal entry of each row and ``m`` its value, so ``out[i, top[i]] == 1``;
    ``rest`` is :math:`\sum_{j \ne \text{top}} e^{z_j - m}`, accurate to a few units in the
    last place even where it is tiny, so that
    :math:`\operatorname{LSE}(z) = m + \operatorname{log1p}(\text{rest})` keeps full relative
    accuracy. Where it matters (``rest`` below :data:`COMPENSATE_BELOW`) the rounding error
    :math:`\delta_j` of :math:`z_j - m` is recovered exactly (Knuth's TwoSum) and the sum
    is taken as :math:`\sum_j e^{d_j}(1 + \delta_j)`. A row that is entirely ``-inf`` gives
    ``m = -inf`` and an all-zero row in ``out``.

    This is the one place where the softmax normaliser is computed: :func:`logsumexp`,
    :func:`log_softmax`, :func:`softmax` and the cross-entropy losses all call it.

    >>> z = np.array([[2.0, 1.0, 0.1]])
    >>> out = np.empty_like(z)
    >>> top, m, rest = exp_shifted_rows(z, out)
    >>> int(top[0]), float(m[0]), round(float(rest[0]), 6)
    (0, 2.0, 0.517448)
    """
    rows = np.arange(z.shape[0])
    top = np.argmax(z, axis=1)
    m = z[rows, top]
    finite = np.isfinite(m)
    m_safe = np.where(finite, m, 0)[:, None]
    with np.errstate(over="ignore"):
        np.subtract(z, m_safe, out=out)
    np.exp(out, out=out)
    out[rows, top] = 0
    rest = out.sum(axis=1)
    small = np.flatnonzero(rest < COMPENSATE_BELOW)
    if small.size:
        rest[small] = _compensated_rest(z[small], m_safe[small], top[small])
    out[rows, top] = finite
    return top, m, rest


def _compensated_rest(z: np.ndarray, m: np.ndarray, top: np.ndarray) -> np.ndarray:
    """``rest`` for rows ``z`` with the rounding error of ``d = z - m`` added back (TwoSum)."""
    with np.errstate(over="ignore", invalid="ignore"):
        d = z - m
        b_virtual = d - z
        a_virtual = d - b_virtual
        delta = (z - a_virtual) + (-m - b_virtual)
    e = np.exp(d)
    e[np.arange(z.shape[0]), top] = 0
    correction = np.where(e > 0, e * np.where(np.isfinite(delta), delta, 0), 0)
    return e.sum(axis=1) + correction.sum(axis=1)


def _rows(z: np.ndarray, axis: int) -> tuple[np.ndarray, tuple[int, ...]]:
    """``z`` with ``axis`` moved last and flattened to rows, and the shape of those rows' batch."""
    moved = np.moveaxis(z, axis, -1)
    return np.ascontiguousarray(moved).reshape(-1, moved.shape[-1]), moved.shape[:-1]


def _normaliser(z: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(e, m, rest)`` with ``axis`` moved last (``m``, ``rest`` keep it with length 1)."""
    rows, batch = _rows(z, axis)
    e = np.empty_like(rows)
    _, m, rest = exp_shifted_rows(rows, e)
    k = rows.shape[-1]
    return e.reshape(*batch, k), m.reshape(*batch, 1), rest.reshape(*batch, 1)


def logsumexp(z: object, axis: int = -1) -> np.ndarray:
    r"""Log of the sum of exponentials along ``axis``.

    .. math:: \operatorname{LSE}(z) = \log \sum_j e^{z_j}
              = m + \log\Big(1 + \sum_{j \ne j^*} e^{z_j - m}\Big), \quad m = z_{j^*} = \max_j z_j

    >>> float(logsumexp([1000.0, 1000.0]))  # 1000 + log 2; the naive form overflows
    1000.6931471805599
    """
    z_arr = as_logits(z, "z")
    _, m, rest = _normaliser(z_arr, axis)
    return (m + np.log1p(rest))[..., 0]


def log_softmax(z: object, axis: int = -1) -> np.ndarray:
    r"""Log of the softmax along ``axis``.

    .. math:: \log \operatorname{softmax}(z)_i = z_i - \operatorname{LSE}(z)

    For the largest logit this is exactly :math:`-\log(1 + \text{rest})`, computed with
    ``log1p``, so a confident correct prediction keeps its tiny loss instead of rounding to 0.

    >>> [round(float(v), 4) for v in log_softmax([2.0, 1.0, 0.1])]
    [-0.417, -1.417, -2.317]
    >>> float(log_softmax([40.0, 0.0])[0])  # -e^{-40}; log(softmax) would give 0.0
    -4.248354255291589e-18
    """
    z_arr = as_logits(z, "z")
    _, m, rest = _normaliser(z_arr, axis)
    with np.errstate(over="ignore"):
        shifted = np.moveaxis(z_arr, axis, -1) - np.where(np.isfinite(m), m, 0)
    return np.moveaxis(shifted - np.log1p(rest), -1, axis)


def softmax(z: object, axis: int = -1) -> np.ndarray:
    r"""Softmax along ``axis``: a probability distribution from logits.

    .. math:: \operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}
              = \frac{e^{z_i - m}}{1 + \sum_{j \ne j^*} e^{z_j - m}}

    >>> [round(float(v), 6) for v in softmax([2.0, 1.0, 0.1])]
    [0.659001, 0.242433, 0.098566]
    >>> softmax([1e30, 0.0]).tolist()
    [1.0, 0.0]
    """
    z_arr = as_logits(z, "z")
    e, _, rest = _normaliser(z_arr, axis)
    return np.moveaxis(e / (1 + rest), -1, axis)
