"""Formatters the claims share: how a computed value is written in the prose."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def vector(digits: int) -> Callable[[object], str]:
    """A formatter writing a vector (any array-like, flattened) as ``(a, b, ...)``.

    >>> vector(2)([0.5, 1 / 3])
    '(0.50, 0.33)'
    """

    def fmt(values: object) -> str:
        return "(" + ", ".join(f"{float(v):.{digits}f}" for v in np.ravel(values)) + ")"

    return fmt


def signed(pattern: str) -> Callable[[object], str]:
    """A formatter that writes a negative number with a real minus sign, as the prose does.

    >>> signed("{:.2f}")(-0.5)
    '\u22120.50'
    """
    return lambda v: pattern.format(v).replace("-", "\u2212")
