r"""Counter-examples: textbook formulas typed straight into NumPy, and how each one fails.

**Do not use these functions.** They exist so that the chapter on numerical stability can
show each failure happening, on real inputs, next to the stable function in ``ce_book``
that fixes it:

- :func:`softmax` and :func:`logsumexp`: ``exp`` overflows for logits above about 710
  (float64). Fixed by :func:`ce_book.activations.softmax` and
  :func:`ce_book.activations.logsumexp`, which only exponentiate ``z - max(z)``.
- :func:`log_softmax`: the log of a probability that underflowed to 0 is ``-inf``. Fixed by
  :func:`ce_book.activations.log_softmax`, which never forms the probability.
- :func:`likelihood` and :func:`log_likelihood`: a product of many probabilities is exactly 0.
  Fixed by summing logs instead of multiplying probabilities.
- :func:`sigmoid` and :func:`binary_cross_entropy`: the sigmoid rounds to exactly 1.0 from
  ``z`` about 37, then ``log(0)`` gives ``inf``, or ``nan`` from ``0 * inf``. Fixed by
  :func:`ce_book.activations.log_sigmoid` and ``ce_book.losses.binary_cross_entropy_with_logits``.
- :func:`binary_cross_entropy_clipped`: clipping with ``eps`` caps the loss and flattens its
  gradient. Fixed the same way: work with logits.
- :func:`cross_entropy_log_sum`: ``log(1 + tiny)`` rounds to 0 for a confident correct
  prediction. Fixed by ``ce_book.losses.cross_entropy``, which uses ``log1p``.

NumPy reports overflow, underflow, division by zero and invalid operations as
``RuntimeWarning``. Here those warnings are switched off, so the failure shows only in the
returned value: in a long training run, that is how such bugs are usually met.
"""

from __future__ import annotations

import numpy as np

from ce_book._checks import as_float

_QUIET = {"over": "ignore", "under": "ignore", "divide": "ignore", "invalid": "ignore"}


def softmax(z: object) -> np.ndarray:
    r"""Softmax exactly as the definition reads, along the last axis.

    .. math:: \operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}

    Correct for moderate logits; once a logit passes :math:`\log(\text{largest float})`
    (about 709.8 in float64, 88.7 in float32), :math:`e^{z}` is ``inf`` and ``inf / inf``
    is ``nan``.

    >>> softmax([2.0, 1.0, 0.1]).round(6).tolist()
    [0.659001, 0.242433, 0.098566]
    >>> softmax([1000.0, 0.0]).tolist()
    [nan, 0.0]
    """
    z_arr = as_float(z, "z")
    with np.errstate(**_QUIET):
        e = np.exp(z_arr)
        return e / np.sum(e, axis=-1, keepdims=True)


def logsumexp(z: object) -> np.ndarray:
    r"""Log of a sum of exponentials, unshifted, along the last axis.

    .. math:: \operatorname{LSE}(z) = \log \sum_j e^{z_j}

    Overflows to ``inf`` as soon as one :math:`e^{z_j}` does, although the true value is
    close to :math:`\max_j z_j`; underflows to ``-inf`` when every :math:`e^{z_j}` is 0.

    >>> float(logsumexp([1.0, 2.0]))  # log(e + e^2)
    2.3132616875182226
    >>> float(logsumexp([1000.0, 1000.0])), float(logsumexp([-1000.0, -1000.0]))
    (inf, -inf)
    """
    z_arr = as_float(z, "z")
    with np.errstate(**_QUIET):
        return np.log(np.sum(np.exp(z_arr), axis=-1))


def log_softmax(z: object) -> np.ndarray:
    r"""The log of :func:`softmax`, computed as ``log(softmax(z))``.

    .. math:: \log \operatorname{softmax}(z)_i = \log \frac{e^{z_i}}{\sum_j e^{z_j}}

    A probability too small for the float format becomes 0, and its log becomes ``-inf``
    although the true log-probability is a modest number such as :math:`-800`.

    >>> log_softmax([0.0, 0.0]).tolist() == [np.log(0.5)] * 2
    True
    >>> log_softmax([-800.0, 0.0]).tolist()
    [-inf, 0.0]
    """
    with np.errstate(**_QUIET):
        return np.log(softmax(z))


def likelihood(p: object) -> np.ndarray:
    r"""The likelihood of independent observations: the product of their probabilities.

    .. math:: L = \prod_{i=1}^{n} p_i

    Every factor is a positive number below 1, so the product shrinks geometrically and, for
    a few hundred observations, falls below the smallest positive float and becomes exactly 0.

    >>> float(likelihood([0.5, 0.5, 0.5]))
    0.125
    >>> float(likelihood([0.4] * 1000))
    0.0
    """
    p_arr = as_float(p, "p")
    with np.errstate(**_QUIET):
        return np.prod(p_arr, axis=-1)


def log_likelihood(p: object) -> np.ndarray:
    r"""The log-likelihood taken as the log of :func:`likelihood`, i.e. after the product.

    .. math:: \ell = \log \prod_{i=1}^{n} p_i

    Once the product has underflowed, its log is ``-inf``; the sum of the logs,
    :math:`\sum_i \log p_i`, would have been an ordinary number.

    >>> bool(log_likelihood([0.5, 0.5]) == 2 * np.log(0.5))
    True
    >>> float(log_likelihood([0.4] * 1000))
    -inf
    """
    with np.errstate(**_QUIET):
        return np.log(likelihood(p))


def sigmoid(z: object) -> np.ndarray:
    r"""The sigmoid exactly as the definition reads.

    .. math:: \sigma(z) = \frac{1}{1 + e^{-z}}

    Its value is never 1 in exact arithmetic, but :math:`1 + e^{-z}` rounds to exactly 1
    once :math:`e^{-z}` is below half the float spacing at 1, that is from :math:`z = 37` in
    float64 (:math:`z = 17` in float32); after that, ``log(1 - sigmoid(z))`` is ``log(0)``.
    (For very negative ``z``, :math:`e^{-z}` also overflows, though the quotient still comes
    out as 0.)

    >>> float(sigmoid(0.0))
    0.5
    >>> float(sigmoid(37.0)), float(sigmoid(np.float32(17.0)))
    (1.0, 1.0)
    """
    z_arr = as_float(z, "z")
    with np.errstate(**_QUIET):
        return 1 / (1 + np.exp(-z_arr))


def binary_cross_entropy(p: object, t: object) -> np.ndarray:
    r"""Per-sample binary cross-entropy from a probability ``p`` and a label ``t``.

    .. math:: \ell(p, t) = -\left[t \log p + (1 - t) \log(1 - p)\right]

    With :math:`p = 0` and :math:`t = 1` the loss is ``inf`` (the mathematics agrees). With
    :math:`p = 0` and :math:`t = 0` the loss should be 0, but the unused term is
    :math:`0 \cdot \log 0 = 0 \cdot (-\infty)`, which is ``nan`` in floating point.

    >>> binary_cross_entropy([0.5], [1.0]).tolist() == [np.log(2)]
    True
    >>> binary_cross_entropy([0.0, 0.0, 1.0], [1.0, 0.0, 1.0]).tolist()
    [inf, nan, nan]
    """
    p_arr, t_arr = as_float(p, "p"), as_float(t, "t")
    with np.errstate(**_QUIET):
        return -(t_arr * np.log(p_arr) + (1 - t_arr) * np.log(1 - p_arr))


def binary_cross_entropy_clipped(p: object, t: object, eps: float = 1e-7) -> np.ndarray:
    r"""Binary cross-entropy after clipping ``p`` into :math:`[\epsilon, 1 - \epsilon]`.

    .. math:: \ell_\epsilon(p, t) = \ell\big(\min(\max(p, \epsilon), 1 - \epsilon),\ t\big)

    The usual patch for :func:`binary_cross_entropy`: no more ``inf`` or ``nan``, but every
    loss is capped at :math:`-\log \epsilon` (about 16.1 for the common
    :math:`\epsilon = 10^{-7}`), a confident correct prediction is charged at least
    :math:`-\log(1 - \epsilon) \approx \epsilon` instead of its true tiny loss, and the
    gradient is 0 wherever the clip is active.

    >>> [round(float(v), 4) for v in binary_cross_entropy_clipped([0.0, 1.0], [1.0, 1.0])]
    [16.1181, 0.0]
    """
    p_arr = as_float(p, "p")
    return binary_cross_entropy(np.clip(p_arr, eps, 1 - eps), t)


def cross_entropy_log_sum(z: object, target: object) -> np.ndarray:
    r"""Cross-entropy from logits via a shifted log-sum-exp, ending in ``log`` of a sum.

    .. math:: \ell(z, k) = \log \sum_j e^{z_j - m} - (z_k - m), \qquad m = \max_j z_j

    This is the usual "stable" recipe and the order of operations of PyTorch's
    ``log_softmax``: the shift by :math:`m` removes overflow. What remains is the last step.
    When the true class :math:`k` has the largest logit, the sum is :math:`1 + r` with
    :math:`r = \sum_{j \ne k} e^{z_j - m}` tiny, and ``1 + r`` is rounded before the log is
    taken: the loss :math:`\log(1 + r) \approx r` keeps only a few correct digits, and is
    exactly 0 once the sum rounds to 1. NumPy's sum of a short row adds the terms one at a
    time, so that happens when each :math:`e^{z_j - m}` alone is at most half the float
    spacing at 1 (a tie rounds to the even neighbour, 1): for two equal others, from a logit
    gap of 37 in float64 and 17 in float32, where :math:`r` itself is still above half the
    spacing. Had the small terms been added up first, the gap would be
    :math:`m \ln 2 + \ln(K - 1)`; any other order lies between. ``log1p(r)`` avoids the
    rounding altogether.

    ``z`` has shape ``(N, C)`` (or ``(C,)``) and ``target`` holds class indices.

    >>> round(float(cross_entropy_log_sum([2.0, 1.0, 0.1], 0)), 4)
    0.417
    >>> float(cross_entropy_log_sum([40.0, 0.0, 0.0], 0))  # true loss is about 8.5e-18
    0.0
    """
    z_arr = as_float(z, "z")
    idx = np.asarray(target)
    m = np.max(z_arr, axis=-1, keepdims=True)
    shifted = z_arr - m
    log_sum = np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    shifted_k = np.take_along_axis(shifted, idx[..., None], axis=-1)
    return np.squeeze(log_sum - shifted_k, axis=-1)
