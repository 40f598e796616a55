"""Input validation shared by every public function.

Each check raises ``TypeError`` or ``ValueError`` with a message that starts with the
argument's name, so that a reader knows which input is wrong and why.
"""

from __future__ import annotations

import numbers

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _float_array(x: object, name: str) -> np.ndarray:
    """``x`` as a float32 or float64 array (bools and integers become float64)."""
    try:
        a = np.asarray(x)
    except (ValueError, TypeError) as err:  # ragged nested lists, for example
        raise ValueError(f"{name}: cannot be read as an array ({err})") from None
    if a.dtype in FLOAT_DTYPES:
        return a
    if a.dtype.kind in "biu":
        return a.astype(np.float64)
    if a.dtype.kind == "f":
        raise TypeError(f"{name}: dtype {a.dtype} is not supported; use float32 or float64")
    raise TypeError(f"{name}: expected real numbers, got an array of dtype {a.dtype}")


def _largest(a: np.ndarray) -> float:
    """The maximum of ``a`` (NaN if it holds a NaN: ``max`` propagates it), 0 if empty.

    One read of the array and no temporary, unlike ``np.isnan(a).any()``.
    """
    return float(np.max(a)) if a.size else 0.0


def as_float(x: object, name: str) -> np.ndarray:
    """Return ``x`` as a float32 or float64 array, rejecting what cannot be a real number.

    float32 and float64 keep their dtype; bools and integers become float64.
    NaN is rejected (a NaN input has no meaningful loss or probability).
    """
    a = _float_array(x, name)
    if np.isnan(_largest(a)):
        raise ValueError(f"{name}: contains NaN")
    return a


def as_logits(z: object, name: str) -> np.ndarray:
    """Float array of logits: any finite value, or -inf (a masked class); never NaN or +inf."""
    a = _float_array(z, name)
    top = _largest(a)
    if np.isnan(top):
        raise ValueError(f"{name}: contains NaN")
    if top == np.inf:
        raise ValueError(f"{name}: contains +inf; logits must be finite (or -inf to mask a class)")
    return a


def check_nonempty(a: np.ndarray, name: str) -> None:
    if a.size == 0:
        raise ValueError(f"{name}: is empty")


def check_unit_interval(a: np.ndarray, name: str) -> None:
    """Every entry is a probability: 0 <= a <= 1."""
    if ((a < 0) | (a > 1)).any():
        bad = float(a[(a < 0) | (a > 1)].flat[0])
        raise ValueError(f"{name}: probabilities must lie in [0, 1], found {bad!r}")


def sum_tolerance(dtype: np.dtype, n: int) -> float:
    """How far a row of ``n`` probabilities may sum from 1 and still count as a distribution."""
    return float(max(n, 1) * 8 * np.finfo(dtype).eps + (1e-6 if dtype == np.float32 else 1e-12))


def check_distribution(a: np.ndarray, name: str, axis: int = -1) -> None:
    """Entries in [0, 1] and each slice along ``axis`` sums to 1 (within rounding).

    An entry may exceed 1 by as much as a sum may miss it: the one entry of a marginal
    computed by adding up rounded numbers can be ``1.0000000000000002``.
    """
    if a.shape[axis] == 0:
        raise ValueError(f"{name}: a distribution needs at least one outcome along axis {axis}")
    tol = sum_tolerance(a.dtype, a.shape[axis])
    outside = (a < 0) | (a > 1 + tol)
    if outside.any():
        bad = float(a[outside].flat[0])
        raise ValueError(f"{name}: probabilities must lie in [0, 1], found {bad!r}")
    s = a.sum(axis=axis)
    if (np.abs(s - 1) > tol).any():
        bad = float(np.asarray(s)[np.abs(s - 1) > tol].flat[0])
        raise ValueError(
            f"{name}: must sum to 1 along axis {axis} (a probability distribution), "
            f"found a sum of {bad!r}"
        )


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{name_b}: shape {b.shape} does not match the shape {a.shape} of {name_a}"
        )


def check_base(base: object) -> float | None:
    """``None`` (natural log, nats) or a real number b > 0, b != 1 (2 gives bits)."""
    if base is None:
        return None
    if isinstance(base, bool) or not isinstance(base, numbers.Real):
        raise TypeError(f"base: expected None or a real number, got {type(base).__name__}")
    b = float(base)
    if not np.isfinite(b) or b <= 0 or b == 1:
        raise ValueError(f"base: must be a finite number > 0 and != 1, got {base!r}")
    return b


def check_reduction(reduction: object) -> str:
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"reduction: must be 'none', 'mean' or 'sum', got {reduction!r}")
    return reduction  # type: ignore[return-value]


def check_nonnegative_weight(
    w: object, name: str, dtype: np.dtype, shape: tuple[int, ...], broadcast: bool = False
) -> np.ndarray:
    """A finite, non-negative weight array of ``shape`` (or broadcastable to it), in ``dtype``."""
    a = as_float(w, name)
    if broadcast:
        try:
            fits = np.broadcast_shapes(a.shape, shape) == shape
        except ValueError:
            fits = False
    else:
        fits = a.shape == shape
    if not fits:
        how = "broadcast to" if broadcast else "have"
        raise ValueError(f"{name}: shape {a.shape} does not {how} the shape {shape}")
    if not np.isfinite(a).all():
        raise ValueError(f"{name}: must be finite")
    if (a < 0).any():
        raise ValueError(f"{name}: must be non-negative, found {a[a < 0].flat[0]!r}")
    return a.astype(dtype, copy=False)


def check_real_at_least(x: object, name: str, lower: int) -> float:
    """A finite real number ``>= lower`` (not a bool), as a float."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name}: expected a real number, got {type(x).__name__}")
    if not np.isfinite(x) or x < lower:
        raise ValueError(f"{name}: must be a finite number >= {lower}, got {x!r}")
    return float(x)


def check_label_smoothing(x: object) -> float:
    """A real number in [0, 1]."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"label_smoothing: expected a real number, got {type(x).__name__}")
    if not 0.0 <= float(x) <= 1.0:
        raise ValueError(f"label_smoothing: must lie in [0, 1], got {x!r}")
    return float(x)


def check_ignore_index(x: object) -> int:
    """An integer (the class index whose targets are skipped)."""
    if isinstance(x, bool) or not isinstance(x, numbers.Integral):
        raise TypeError(f"ignore_index: expected an integer, got {type(x).__name__}")
    return int(x)
