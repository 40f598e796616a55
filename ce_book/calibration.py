r"""Calibration: do a classifier's probabilities mean what they say?

A classifier is *calibrated* when, among the predictions made with confidence 0.8, about 80%
are right. This module measures that (reliability-diagram bins and the expected calibration
error of Guo et al. 2017) and repairs the most common failure, over-confidence, with
*temperature scaling*: divide every logit by one number :math:`T > 0`, fitted by minimising
the cross-entropy (negative log-likelihood) on held-out data. Dividing by :math:`T` keeps the
order of the logits, so the predicted classes (and the accuracy) do not change.

It also builds the small, deterministic synthetic problem the book uses to show all this.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np

from ce_book._checks import as_float, check_distribution, check_nonempty
from ce_book.activations import softmax


def _labels(labels: object, n: int, num_classes: int) -> np.ndarray:
    y = np.asarray(labels)
    if y.dtype.kind not in "iu":
        raise TypeError(f"labels: expected integer class indices, got dtype {y.dtype}")
    if y.shape != (n,):
        raise ValueError(f"labels: expected shape ({n},), got {y.shape}")
    if ((y < 0) | (y >= num_classes)).any():
        raise ValueError(f"labels: class indices must lie in [0, {num_classes - 1}]")
    return y


def _matrix(x: object, name: str) -> np.ndarray:
    a = as_float(x, name)
    if a.ndim != 2 or a.shape[1] < 2:
        raise ValueError(f"{name}: expected shape (N, C) with C >= 2, got {a.shape}")
    check_nonempty(a, name)
    return a


def _nll_slope(z: np.ndarray, y: np.ndarray, beta: float) -> tuple[float, float]:
    """First and second derivative in :math:`\\beta = 1/T` of the mean NLL of softmax(beta z)."""
    p = softmax(beta * z)
    mean_z = np.sum(p * z, axis=-1)
    var_z = np.sum(p * (z - mean_z[:, None]) ** 2, axis=-1)
    return float(np.mean(mean_z - z[np.arange(len(y)), y])), float(np.mean(var_z))


def fit_temperature(logits: object, labels: object) -> float:
    r"""The temperature :math:`T > 0` that minimises the mean cross-entropy of
    :math:`\operatorname{softmax}(z / T)` against ``labels``.

    .. math:: T^\star = \arg\min_{T > 0} \frac{1}{N} \sum_{n=1}^{N}
              -\log \operatorname{softmax}(z_n / T)_{y_n}

    In :math:`\beta = 1/T` the objective is convex: its derivative is
    :math:`\frac1N\sum_n (\mathbb{E}_{p_n}[z_n] - z_{n, y_n})` and its second derivative the
    mean variance of the logits under :math:`p_n = \operatorname{softmax}(\beta z_n)`. The root
    of the derivative is found by Newton's method kept inside a bisection bracket.

    ``logits``: finite, shape (N, C). ``labels``: integer classes, shape (N,). Raises
    ``ValueError`` when no finite positive temperature is optimal (logits no better than
    uniform guessing, or every label already has the top logit, so the loss keeps falling as
    T -> 0).

    Two of three margins of 2 point the right way; the optimum is :math:`T = 2/\ln 2`:

    >>> round(fit_temperature([[2.0, 0.0], [0.0, 2.0], [2.0, 0.0]], [0, 1, 1]), 12)
    2.885390081778
    """
    z = _matrix(logits, "logits").astype(np.float64)
    if not np.isfinite(z).all():
        raise ValueError("logits: must be finite")
    y = _labels(labels, len(z), z.shape[1])
    if (z[np.arange(len(y)), y] >= z.max(axis=-1)).all():
        raise ValueError("labels: every sample's label has the top logit; the loss falls as T -> 0")
    if _nll_slope(z, y, 0.0)[0] >= 0:
        raise ValueError("logits: no better than uniform guessing; no temperature T > 0 helps")
    lo, hi = 0.0, 1.0
    while _nll_slope(z, y, hi)[0] < 0:
        lo, hi = hi, 2 * hi
        if hi > 2.0**60:
            raise ValueError("logits: no finite temperature found (margins too small)")
    beta = min(max(1.0, lo), hi)
    for _ in range(200):
        slope, curvature = _nll_slope(z, y, beta)
        if slope < 0:
            lo = beta
        else:
            hi = beta
        step = slope / curvature if curvature > 0 else np.inf
        new = beta - step
        if not lo < new < hi:
            new = (lo + hi) / 2
        if abs(new - beta) <= 1e-15 * beta or hi - lo <= 1e-15 * hi:
            beta = new
            break
        beta = new
    return 1.0 / beta


class ReliabilityBins(NamedTuple):
    """Equal-width confidence bins: ``edges`` (M + 1,), then per bin the number of samples,
    their mean confidence and their accuracy (both NaN for an empty bin)."""

    edges: np.ndarray
    count: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray


def reliability_bins(probs: object, labels: object, n_bins: int = 10) -> ReliabilityBins:
    r"""Group predictions by confidence into ``n_bins`` equal bins :math:`B_m = (\frac{m-1}{M},
    \frac{m}{M}]`, as a reliability diagram shows them.

    The confidence of a prediction is its largest probability and the prediction is its
    arg max; a bin's accuracy is the fraction of its predictions that equal the label.

    >>> bins = reliability_bins([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]], [0, 1, 1], n_bins=2)
    >>> bins.count.tolist(), bins.accuracy.tolist()
    ([0, 3], [nan, 0.6666666666666666])
    """
    if isinstance(n_bins, bool) or not isinstance(n_bins, numbers.Integral) or n_bins < 1:
        raise ValueError(f"n_bins: must be a positive integer, got {n_bins!r}")
    p = _matrix(probs, "probs")
    check_distribution(p, "probs")
    y = _labels(labels, len(p), p.shape[1])
    confidence = p.max(axis=-1)
    correct = (p.argmax(axis=-1) == y).astype(np.float64)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, n_bins - 1)
    count = np.bincount(which, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):  # an empty bin has no mean: NaN
        mean_conf = np.bincount(which, weights=confidence, minlength=n_bins) / count
        accuracy = np.bincount(which, weights=correct, minlength=n_bins) / count
    return ReliabilityBins(edges, count, mean_conf, accuracy)


def expected_calibration_error(probs: object, labels: object, n_bins: int = 10) -> float:
    r"""Expected calibration error: the bin-weighted gap between accuracy and confidence.

    .. math:: \mathrm{ECE} = \sum_{m=1}^{M} \frac{|B_m|}{N}\,
              \bigl|\operatorname{acc}(B_m) - \operatorname{conf}(B_m)\bigr|

    >>> probs = [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]]  # mean confidence 0.8, 2 of 3 right
    >>> round(expected_calibration_error(probs, [0, 1, 1], n_bins=2), 12)
    0.133333333333
    """
    bins = reliability_bins(probs, labels, n_bins)
    used = bins.count > 0
    gaps = np.abs(bins.accuracy[used] - bins.confidence[used])
    return float(np.sum(bins.count[used] * gaps) / np.sum(bins.count))


def overconfident_problem(
    n: int = 2000, num_classes: int = 5, scale: float = 2.5, spread: float = 1.0, seed: int = 7
) -> tuple[np.ndarray, np.ndarray]:
    r"""A deterministic synthetic classification problem with an over-confident model.

    Each sample has true logits :math:`u_n \sim \mathcal N(0, \text{spread}^2 I)`; its label is
    drawn from :math:`\operatorname{softmax}(u_n)`, and the model reports the logits
    :math:`z_n = \text{scale} \cdot u_n`. The model ranks the classes exactly as the truth does
    but is sharper than the truth, so temperature scaling should find :math:`T \approx` scale.
    Returns ``(logits, labels)``, of shapes (n, num_classes) and (n,).

    >>> z, y = overconfident_problem(n=4, num_classes=3)
    >>> z.shape, y.shape, y.dtype.kind
    ((4, 3), (4,), 'i')
    """
    if not (isinstance(n, numbers.Integral) and n > 0):
        raise ValueError(f"n: must be a positive integer, got {n!r}")
    if not (isinstance(num_classes, numbers.Integral) and num_classes >= 2):
        raise ValueError(f"num_classes: must be an integer >= 2, got {num_classes!r}")
    if not scale > 0:
        raise ValueError(f"scale: must be > 0, got {scale!r}")
    rng = np.random.default_rng(seed)
    true_logits = rng.normal(scale=spread, size=(n, num_classes))
    cdf = np.cumsum(softmax(true_logits), axis=-1)
    labels = np.minimum((rng.random(n)[:, None] > cdf).sum(axis=-1), num_classes - 1)
    return scale * true_logits, labels
