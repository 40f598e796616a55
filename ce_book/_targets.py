r"""Validation and reduction of the arguments ``input, target, weight, ignore_index, reduction``.

Shared by :mod:`ce_book.losses`, :mod:`ce_book.gradients` and :mod:`ce_book.focal`, so that a
loss and its gradient read their arguments, and divide by the mean's denominator, the same way:

- :func:`prepare_categorical` turns the arguments of ``cross_entropy`` / ``nll_loss`` into a
  :class:`Categorical`: the input flattened to rows of classes, the targets per row, and the
  denominator :math:`D` of the (weighted) mean;
- :func:`prepare_binary` does the same for the element-wise binary losses (:class:`Binary`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ce_book._checks import (
    as_float,
    as_logits,
    check_distribution,
    check_ignore_index,
    check_label_smoothing,
    check_nonnegative_weight,
    check_reduction,
    check_same_shape,
    check_unit_interval,
)


@dataclass(frozen=True)
class Categorical:
    """A validated categorical loss problem, flattened to rows of classes.

    ``x`` is ``(R, C)`` and C-contiguous; ``target`` is ``(R,)`` class indices or ``(R, C)``
    probabilities; the reduction divides the summed losses by ``denominator`` (``D``, the
    weighted count for a mean, else 1); ``valid`` marks rows whose target is not
    ``ignore_index``.
    """

    x: np.ndarray
    target: np.ndarray
    weight: np.ndarray | None
    label_smoothing: float
    reduction: str
    denominator: float
    valid: np.ndarray
    input_shape: tuple[int, ...]

    @property
    def class_indices(self) -> bool:
        return self.target.ndim == 1

    def safe_targets(self, rows: slice = slice(None)) -> tuple[np.ndarray, np.ndarray]:
        """Class indices of ``rows`` (0 where ignored) and their weights :math:`w_y` (0 there)."""
        valid = self.valid[rows]
        y = np.where(valid, self.target[rows], 0)
        w_y = valid.astype(self.x.dtype) if self.weight is None else self.weight[y] * valid
        return y, w_y

    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the per-sample losses: the input's shape without its class axis."""
        s = self.input_shape
        return () if len(s) == 1 else (s[0], *s[2:])

    def restore(self, rows: np.ndarray) -> np.ndarray:
        """An ``(R, C)`` array (a gradient) back in the shape of the input."""
        s = self.input_shape
        if len(s) <= 2:
            return rows.reshape(s)
        return np.moveaxis(rows.reshape(s[0], *s[2:], s[1]), -1, 1)

    def reduce(self, per_row: np.ndarray) -> np.ndarray:
        """Apply the reduction to per-row losses (already weighted, 0 for ignored rows)."""
        if self.reduction == "none":
            return per_row.reshape(self.batch_shape())
        return np.asarray(per_row.sum() / per_row.dtype.type(self.denominator))


def _as_rows(a: np.ndarray) -> np.ndarray:
    """Move the class axis (1, or 0 for a 1-D array) last and flatten the rest into rows."""
    if a.ndim == 1:
        return a.reshape(1, -1)
    if a.ndim == 2:
        return np.ascontiguousarray(a)
    return np.ascontiguousarray(np.moveaxis(a, 1, -1)).reshape(-1, a.shape[1])


def _class_targets(t: np.ndarray, x: np.ndarray, ignore_index: int) -> np.ndarray:
    expected = () if x.ndim == 1 else (x.shape[0], *x.shape[2:])
    if t.shape != expected:
        raise ValueError(
            f"target: shape {t.shape} does not fit input of shape {x.shape}; class indices "
            f"need shape {expected} (float targets are class probabilities, shaped like input)"
        )
    n_classes = x.shape[0] if x.ndim == 1 else x.shape[1]
    t = t.astype(np.int64, copy=False).reshape(-1)
    bad = (t != ignore_index) & ((t < 0) | (t >= n_classes))
    if bad.any():
        raise ValueError(
            f"target: class index {t[bad][0]} is out of range for {n_classes} classes "
            f"(valid: 0 to {n_classes - 1}, or ignore_index={ignore_index})"
        )
    return t


def prepare_categorical(
    input: object,
    target: object,
    weight: object,
    ignore_index: object,
    reduction: object,
    label_smoothing: object,
    probabilities: bool = True,
) -> Categorical:
    """Validate the arguments of ``cross_entropy`` (or, without ``probabilities``, ``nll_loss``)."""
    x = as_logits(input, "input")
    if x.ndim == 0:
        raise ValueError("input: needs a class axis; got a 0-d array")
    n_classes = x.shape[0] if x.ndim == 1 else x.shape[1]
    if n_classes == 0:
        raise ValueError("input: needs at least one class")
    red = check_reduction(reduction)
    ii = check_ignore_index(ignore_index)
    eps = check_label_smoothing(label_smoothing)
    t = np.asarray(target)
    if t.dtype.kind in "iu":
        rows_t = _class_targets(t, x, ii)
    elif t.dtype.kind == "f" and probabilities:
        t = as_float(t, "target")
        check_same_shape(x, t, "input", "target")
        check_distribution(t, "target", axis=0 if t.ndim == 1 else 1)
        rows_t = _as_rows(t.astype(x.dtype, copy=False))
    else:
        kinds = "an integer array of class indices"
        if probabilities:
            kinds += " or a float array of class probabilities"
        raise TypeError(f"target: expected {kinds}, got dtype {t.dtype}")
    w = None
    if weight is not None:
        w = check_nonnegative_weight(weight, "weight", x.dtype, (n_classes,))
    rows_x = _as_rows(x)
    valid = np.ones(rows_x.shape[0], dtype=bool)
    denominator = float(rows_x.shape[0])
    if rows_t.ndim == 1:
        valid = rows_t != ii
        w_y = np.ones(1) if w is None else w[np.where(valid, rows_t, 0)]
        denominator = float(np.sum(np.where(valid, w_y, 0), dtype=np.float64))
    if red == "mean":
        if rows_x.shape[0] == 0:
            raise ValueError("input: is empty; the mean of no losses is undefined")
        if denominator == 0:
            raise ValueError(
                "target: every target is ignore_index or has weight 0, so the weighted mean "
                "is 0/0 (PyTorch returns nan); use reduction='sum' or 'none'"
            )
    denominator = denominator if red == "mean" else 1.0
    return Categorical(rows_x, rows_t, w, eps, red, denominator, valid, x.shape)


@dataclass(frozen=True)
class Binary:
    """Validated arguments of the binary losses (``denominator``: element count for a mean)."""

    x: np.ndarray
    target: np.ndarray
    weight: np.ndarray | None
    reduction: str
    denominator: float

    def reduce(self, per_element: np.ndarray) -> np.ndarray:
        if self.reduction == "none":
            return per_element
        return np.asarray(per_element.sum() / per_element.dtype.type(self.denominator))


def prepare_binary(
    input: object, target: object, weight: object, reduction: object, probs: bool
) -> Binary:
    """Validate the arguments of the binary losses (``probs``: input holds probabilities)."""
    x = as_float(input, "input")
    if probs:
        check_unit_interval(x, "input")
    elif not np.isfinite(x).all():
        raise ValueError("input: logits must be finite")
    t = as_float(target, "target")
    check_same_shape(x, t, "input", "target")
    check_unit_interval(t, "target")
    red = check_reduction(reduction)
    w = None
    if weight is not None:
        w = check_nonnegative_weight(weight, "weight", x.dtype, x.shape, broadcast=True)
    if red == "mean" and x.size == 0:
        raise ValueError("input: is empty; the mean of no losses is undefined")
    denominator = float(x.size) if red == "mean" else 1.0
    return Binary(x, t.astype(x.dtype, copy=False), w, red, denominator)


def check_pos_weight(pos_weight: object, x: np.ndarray) -> np.ndarray:
    """``pos_weight`` as a non-negative array, in ``x``'s dtype, that broadcasts to ``x``."""
    return check_nonnegative_weight(pos_weight, "pos_weight", x.dtype, x.shape, broadcast=True)
