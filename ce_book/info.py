r"""Information theory: surprisal, entropy, cross-entropy, KL divergence, mutual information
and conditional entropy.

Every function takes ``p`` (the true distribution) first, along the last axis, so a batch of
distributions is an array of shape ``(..., K)``. ``base=None`` measures in nats (natural log,
what PyTorch and NumPy use); ``base=2`` measures in bits. Conventions from the mathematics:
:math:`0 \log 0 = 0`, and :math:`H(p, q) = \infty` when :math:`q_i = 0` where :math:`p_i > 0`.
"""

from __future__ import annotations

import numpy as np

from ce_book._checks import (
    as_float,
    check_base,
    check_distribution,
    check_same_shape,
    check_unit_interval,
)


def _to_base(nats: np.ndarray, base: float | None) -> np.ndarray:
    """Convert an amount of information from nats to the unit of ``base``."""
    if base is None:
        return nats
    return nats / nats.dtype.type(np.log(base))


def _safe_log(x: np.ndarray) -> np.ndarray:
    """log(x) where x > 0, and 0 elsewhere (the caller multiplies those entries by 0)."""
    return np.log(np.where(x > 0, x, 1))


def _distributions(p: object, q: object) -> tuple[np.ndarray, np.ndarray]:
    p_arr, q_arr = as_float(p, "p"), as_float(q, "q")
    check_same_shape(p_arr, q_arr, "p", "q")
    check_distribution(p_arr, "p")
    check_distribution(q_arr, "q")
    dtype = np.result_type(p_arr, q_arr)
    return p_arr.astype(dtype, copy=False), q_arr.astype(dtype, copy=False)


def surprisal(p: object, base: float | None = None) -> np.ndarray:
    r"""Surprisal (self-information) of an event of probability ``p``.

    .. math:: I(p) = -\log_b p

    Rare events carry more information; a certain event carries none, and an impossible
    one is infinitely surprising.

    >>> float(surprisal(0.5, base=2))
    1.0
    >>> float(surprisal(1.0)), float(surprisal(0.0))
    (0.0, inf)
    """
    p_arr = as_float(p, "p")
    b = check_base(base)
    check_unit_interval(p_arr, "p")
    with np.errstate(divide="ignore"):
        nats = -np.log(p_arr)
    return _to_base(nats + 0.0, b)  # + 0.0 turns -0.0 (at p = 1) into 0.0


def entropy(p: object, base: float | None = None) -> np.ndarray:
    r"""Entropy of the distribution ``p`` (along the last axis).

    .. math:: H(p) = -\sum_i p_i \log_b p_i, \qquad 0 \log 0 = 0

    >>> float(entropy([0.5, 0.5], base=2))
    1.0
    >>> float(entropy([1.0, 0.0]))
    0.0
    """
    p_arr = as_float(p, "p")
    b = check_base(base)
    check_distribution(p_arr, "p")
    nats = -np.sum(p_arr * _safe_log(p_arr), axis=-1) + 0.0
    return _to_base(nats, b)


def cross_entropy(p: object, q: object, base: float | None = None) -> np.ndarray:
    r"""Cross-entropy of the model distribution ``q`` relative to the true distribution ``p``.

    .. math:: H(p, q) = -\sum_i p_i \log_b q_i

    The average code length (in bits for ``base=2``) when outcomes drawn from ``p`` are
    encoded with a code built for ``q``. Terms with :math:`p_i = 0` contribute 0; a term with
    :math:`p_i > 0` and :math:`q_i = 0` makes it infinite.

    >>> float(cross_entropy([1.0, 0.0], [0.5, 0.5], base=2))
    1.0
    >>> float(cross_entropy([0.5, 0.5], [1.0, 0.0]))
    inf
    """
    p_arr, q_arr = _distributions(p, q)
    b = check_base(base)
    # log q where q > 0; -inf where q = 0 < p; 0 where p = q = 0 (0 log 0 = 0, no 0 * -inf)
    log_q = np.where(q_arr > 0, _safe_log(q_arr), np.where(p_arr > 0, -np.inf, 0))
    terms = p_arr * log_q
    nats = -np.sum(terms, axis=-1) + 0.0
    return _to_base(nats, b)


def kl_divergence(p: object, q: object, base: float | None = None) -> np.ndarray:
    r"""Kullback-Leibler divergence of ``q`` from ``p``.

    .. math:: D_{\mathrm{KL}}(p \,\|\, q) = \sum_i p_i \log_b \frac{p_i}{q_i}

    Non-negative (Gibbs' inequality), zero exactly when ``p == q``, and not symmetric.
    Terms with :math:`p_i = 0` contribute 0; :math:`q_i = 0 < p_i` makes it infinite.

    >>> float(kl_divergence([0.5, 0.5], [0.5, 0.5]))
    0.0
    >>> round(float(kl_divergence([1.0, 0.0], [0.5, 0.5], base=2)), 12)
    1.0
    """
    p_arr, q_arr = _distributions(p, q)
    b = check_base(base)
    both = (p_arr > 0) & (q_arr > 0)
    with np.errstate(over="ignore"):
        ratio = np.where(both, p_arr, 1) / np.where(both, q_arr, 1)
    # log(p / q) is the accurate form when p is close to q; when p / q overflows or leaves
    # the normal range (a q or p near the bottom of the range), log p - log q stays exact.
    normal = np.isfinite(ratio) & (ratio >= np.finfo(ratio.dtype).tiny)
    log_ratio = np.where(
        normal, np.log(np.where(normal, ratio, 1)), _safe_log(p_arr) - _safe_log(q_arr)
    )
    terms = np.where(both, p_arr * log_ratio, 0)
    terms = np.where((p_arr > 0) & (q_arr == 0), np.inf, terms)
    # Inputs are distributions only to within rounding: p = (1e-307, 1), q = (1e-258, 1) both
    # sum to 1.0, yet their terms add up to -1.6e-305. Gibbs' inequality holds for the
    # distributions they stand for, so the divergence is never below 0.
    nats = np.maximum(np.sum(terms, axis=-1), 0) + 0.0
    return _to_base(nats, b)


def mutual_information(joint: object, base: float | None = None) -> np.ndarray:
    r"""Mutual information of two variables from their joint distribution (the last two axes).

    .. math:: I(X; Y) = D_{\mathrm{KL}}\big(p(x, y) \,\|\, p(x)\, p(y)\big)
              = \sum_{x, y} p(x, y) \log_b \frac{p(x, y)}{p(x)\, p(y)}

    ``joint[..., x, y]`` is the probability of the pair; its entries must sum to 1 over the
    last two axes. Zero exactly when the variables are independent; at most
    :math:`\min(H(X), H(Y))`.

    >>> float(mutual_information([[0.5, 0.0], [0.0, 0.5]], base=2))  # Y is a copy of X
    1.0
    >>> float(mutual_information([[0.25, 0.25], [0.25, 0.25]]))  # independent
    0.0
    """
    r = as_float(joint, "joint")
    if r.ndim < 2:
        raise ValueError(f"joint: needs two axes (x, y), got shape {r.shape}")
    check_distribution(r.reshape(*r.shape[:-2], -1), "joint")
    b = check_base(base)
    # log p(x, y) - log p(x) - log p(y), in logs: the product p(x) p(y) of two tiny marginals
    # would underflow to 0 and make the ratio infinite. Terms with p(x, y) = 0 are 0.
    log_ratio = (
        _safe_log(r)
        - _safe_log(r.sum(axis=-1, keepdims=True))
        - _safe_log(r.sum(axis=-2, keepdims=True))
    )
    nats = np.sum(np.where(r > 0, r * log_ratio, 0.0), axis=(-2, -1)) + 0.0
    return _to_base(np.maximum(nats, 0), b)


def conditional_entropy(joint: object, base: float | None = None) -> np.ndarray:
    r"""Conditional entropy :math:`H(Y \mid X)` from the joint distribution (the last two axes).

    .. math:: H(Y \mid X) = \sum_x p(x)\, H(Y \mid X = x)
              = -\sum_{x, y} p(x, y) \log_b \frac{p(x, y)}{p(x)}

    ``joint[..., x, y]`` is the probability of the pair, rows indexed by the condition ``x``;
    its entries must sum to 1 over the last two axes. It is the entropy of ``y`` left once
    ``x`` is known, averaged over ``x``: the lowest mean cross-entropy any predictor of ``y``
    from ``x`` can reach. Between 0 (``y`` a function of ``x``) and :math:`H(Y)` (independent).

    >>> float(conditional_entropy([[0.5, 0.0], [0.0, 0.5]], base=2))  # Y is a copy of X
    0.0
    >>> float(conditional_entropy([[0.25, 0.25], [0.25, 0.25]], base=2))  # independent
    1.0
    """
    r = as_float(joint, "joint")
    if r.ndim < 2:
        raise ValueError(f"joint: needs two axes (x, y), got shape {r.shape}")
    check_distribution(r.reshape(*r.shape[:-2], -1), "joint")
    b = check_base(base)
    p_x = r.sum(axis=-1, keepdims=True)
    # p(y | x) where p(x, y) > 0; the other terms are 0 (0 log 0 = 0)
    cond = np.where(r > 0, r, 1) / np.where(p_x > 0, p_x, 1)
    nats = -np.sum(r * _safe_log(np.where(r > 0, cond, 1)), axis=(-2, -1)) + 0.0
    return _to_base(np.maximum(nats, 0), b)
