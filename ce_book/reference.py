r"""High-precision references for the losses, and the input regimes their accuracy is judged in.

The references use mpmath at 50 significant digits and never call the float code they check.
Each input float is converted exactly to an mpmath number, so a reference is the exact loss of
the very floats the fast code received; it is then rounded once to that code's dtype.

Regimes (:data:`REGIMES`), each a function ``(rng, n, dtype) -> (logits, target)``:

- ``random``: logits :math:`\mathcal{N}(0, 3^2)`, 2 to 1000 classes;
- ``offset-1e4``: :math:`10^4 + \mathcal{N}(0, 3^2)` (large logits, ordinary losses);
- ``scale-1e4``, ``scale-1e30``: :math:`\mathcal{N}(0, 1)` times :math:`10^4` or :math:`10^{30}`;
- ``all-equal``: every logit the same (0, 1e4 or 1e30), so the loss is :math:`\log C`;
- ``tiny-loss``: the true logit exceeds every other by 30 to 700, so the loss is about
  :math:`\sum_{j \ne y} e^{z_j - z_y}`, far below the rounding unit of 1 (in float32 the
  loss underflows past a gap of about 103, and both sides are then 0).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

import mpmath
import numpy as np

DIGITS = 50


def to_mpf(x: float | int | Fraction) -> mpmath.mpf:
    r"""``x`` as an mpmath number: a float or an integer exactly, a fraction :math:`a/b` as
    :math:`\operatorname{fl}_{\text{mp}}(a / b)` at the working precision.

    >>> with mpmath.workdps(DIGITS):
    ...     print(to_mpf(0.1))  # the float 0.1, not the decimal
    0.1000000000000000055511151231257827021181583404541
    """
    x = Fraction(x)
    return mpmath.mpf(x.numerator) / x.denominator


def mp_softmax(z: Sequence[float]) -> list[mpmath.mpf]:
    r"""Softmax at 50 digits, straight from the definition.

    .. math:: \operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}

    >>> [float(p) for p in mp_softmax([0.0, 0.0])]
    [0.5, 0.5]
    """
    with mpmath.workdps(DIGITS):
        e = [mpmath.exp(mpmath.mpf(v)) for v in z]
        total = mpmath.fsum(e)
        return [v / total for v in e]


def mp_sigmoid(z: float | mpmath.mpf) -> mpmath.mpf:
    r"""Logistic sigmoid at 50 digits.

    .. math:: \sigma(z) = \frac{1}{1 + e^{-z}}

    >>> float(mp_sigmoid(0.0))
    0.5
    """
    with mpmath.workdps(DIGITS):
        return 1 / (1 + mpmath.exp(-mpmath.mpf(z)))


def mp_cross_entropy(z: np.ndarray | Sequence[float], y: int) -> mpmath.mpf:
    r"""Exact-to-50-digits :math:`-\log \operatorname{softmax}(z)_y` of one row of logits.

    .. math:: -\log \operatorname{softmax}(z)_y = \log\Big(1 + \sum_{j \ne y} e^{z_j - z_y}\Big)

    The form avoids the cancellation in :math:`\operatorname{LSE}(z) - z_y` that would
    otherwise need hundreds of digits when the loss is tiny.

    >>> float(mp_cross_entropy(np.array([0.0, 0.0]), 0))  # log 2
    0.6931471805599453
    """
    with mpmath.workdps(DIGITS):
        z_y = mpmath.mpf(float(z[y]))
        others = (mpmath.mpf(float(v)) for j, v in enumerate(z) if j != y)
        rest = mpmath.fsum(mpmath.exp(v - z_y) for v in others)
        return mpmath.log1p(rest)


def mp_binary_cross_entropy_with_logits(x: float, t: float) -> mpmath.mpf:
    r"""Exact-to-50-digits :math:`-[t \log \sigma(x) + (1 - t) \log \sigma(-x)]`.

    .. math:: -\log \sigma(x) = \log(1 + e^{-x})

    >>> float(mp_binary_cross_entropy_with_logits(0.0, 1.0))
    0.6931471805599453
    """
    with mpmath.workdps(DIGITS):
        xm, tm = mpmath.mpf(float(x)), mpmath.mpf(float(t))
        return tm * mpmath.log1p(mpmath.exp(-xm)) + (1 - tm) * mpmath.log1p(mpmath.exp(xm))


def mp_binary_cross_entropy(p: float, t: float) -> mpmath.mpf:
    r"""Exact-to-50-digits binary cross-entropy of the probability ``p`` (the float it is).

    .. math:: -[t \log p + (1 - t) \log(1 - p)]

    >>> float(mp_binary_cross_entropy(0.5, 1.0))
    0.6931471805599453
    """
    with mpmath.workdps(DIGITS):
        pm, tm = mpmath.mpf(p), mpmath.mpf(t)
        return -(tm * mpmath.log(pm) + (1 - tm) * mpmath.log(1 - pm))


def close_to(value: float, expected: mpmath.mpf, tol: float = 1e-13) -> bool:
    r"""Whether ``value`` agrees with a reference, relatively (absolutely near 0).

    .. math:: |\text{value} - \operatorname{fl}(\text{expected})|
              \le \text{tol} \cdot \max(1, |\operatorname{fl}(\text{expected})|)

    >>> close_to(0.1 + 0.2, mpmath.mpf(3) / 10)
    True
    """
    return abs(value - float(expected)) <= tol * max(1.0, abs(float(expected)))


def relative_error(got: float, reference: mpmath.mpf, dtype: type) -> float:
    r"""Relative error of ``got`` against ``reference`` rounded to ``dtype``.

    .. math:: \frac{|\text{got} - \operatorname{fl}(\text{ref})|}
              {\max(|\operatorname{fl}(\text{ref})|, \text{tiny})}

    with tiny the smallest normal number of the dtype, so that results in the subnormal
    range, where a dtype keeps fewer digits, are judged by their absolute error.

    >>> relative_error(1.0, mpmath.mpf(1), np.float64)
    0.0
    """
    ref = float(dtype(float(reference)))
    tiny = float(np.finfo(dtype).tiny)
    return abs(float(got) - ref) / max(abs(ref), tiny)


def _classes(rng: np.random.Generator, n: int) -> list[int]:
    return list(rng.choice([2, 3, 10, 100, 1000], size=n))


def _random(rng, n, dtype, loc=0.0, scale=3.0):
    rows = [(loc + scale * rng.normal(size=c)).astype(dtype) for c in _classes(rng, n)]
    return rows, [int(rng.integers(0, len(r))) for r in rows]


def _all_equal(rng, n, dtype):
    rows = [np.full(c, rng.choice([0.0, 1e4, 1e30]), dtype=dtype) for c in _classes(rng, n)]
    return rows, [int(rng.integers(0, len(r))) for r in rows]


def _tiny_loss(rng, n, dtype):
    rows, targets = [], []
    for c in rng.choice([2, 3, 10, 30], size=n):
        z = rng.normal(size=c)
        y = int(rng.integers(0, c))
        z[y] = np.delete(z, y).max() + rng.uniform(30, 700)
        rows.append(z.astype(dtype))
        targets.append(y)
    return rows, targets


Regime = Callable[[np.random.Generator, int, type], tuple[list[np.ndarray], list[int]]]

REGIMES: dict[str, Regime] = {
    "random": _random,
    "offset-1e4": lambda rng, n, dt: _random(rng, n, dt, loc=1e4),
    "scale-1e4": lambda rng, n, dt: _random(rng, n, dt, scale=1e4),
    "scale-1e30": lambda rng, n, dt: _random(rng, n, dt, scale=1e30),
    "all-equal": _all_equal,
    "tiny-loss": _tiny_loss,
}
"""Named regimes of (rows of logits, class targets); rows may differ in length."""


def worst_relative_error(
    per_sample_loss: Callable[[np.ndarray, int], float],
    regime: str,
    dtype: type,
    n: int = 40,
    seed: int = 0,
) -> float:
    r"""Largest :func:`relative_error` of ``per_sample_loss(z, y)`` over ``n`` rows of a regime.

    .. math:: \max_{1 \le r \le n} \frac{|\ell(z_r, y_r) - \operatorname{fl}(\ell^\ast_r)|}
              {\max(|\operatorname{fl}(\ell^\ast_r)|, \text{tiny})}

    with :math:`\ell^\ast_r` the 50-digit :func:`mp_cross_entropy` of row :math:`r`.

    >>> import ce_book.losses as L
    >>> worst_relative_error(lambda z, y: L.cross_entropy(z, y), "all-equal", np.float64) < 4e-15
    True
    """
    rows, targets = REGIMES[regime](np.random.default_rng(seed), n, dtype)
    return max(
        relative_error(per_sample_loss(z, y), mp_cross_entropy(z, y), dtype)
        for z, y in zip(rows, targets, strict=True)
    )
