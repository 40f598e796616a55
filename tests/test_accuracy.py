"""Per-sample losses against mpmath at 50 digits, in every regime and both dtypes.

Targets (from the book's accuracy requirement): relative error at most 4e-15 in float64 and
1e-6 in float32, measured against the mpmath value rounded to the dtype. The regimes and
the reference live in :mod:`ce_book.reference`; ``scripts/accuracy_table.py`` prints the
same measurement for the book and for PyTorch side by side.
"""

from __future__ import annotations

import numpy as np
import pytest

from ce_book import gradients as G
from ce_book import losses as L
from ce_book import reference as R

TOLERANCE = {np.float64: 4e-15, np.float32: 1e-6}
DTYPES = [np.float64, np.float32]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("regime", list(R.REGIMES))
def test_cross_entropy_per_sample(regime, dtype) -> None:
    worst = R.worst_relative_error(lambda z, y: L.cross_entropy(z, y), regime, dtype)
    assert worst <= TOLERANCE[dtype]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("regime", list(R.REGIMES))
def test_fused_loss_is_as_accurate_in_a_batch(regime, dtype) -> None:
    """Many rows of one length at once, through the chunked fused kernel."""
    rng = np.random.default_rng(7)
    rows, targets = R.REGIMES[regime](rng, 200, dtype)
    n_classes = len(rows[0])
    batch = [(z, y) for z, y in zip(rows, targets, strict=True) if len(z) == n_classes]
    z = np.stack([b[0] for b in batch])
    y = np.array([b[1] for b in batch])
    loss, _ = G.cross_entropy_and_grad(z, y, reduction="none")
    assert loss.dtype == dtype
    np.testing.assert_array_equal(loss, L.cross_entropy(z, y, reduction="none"))
    worst = max(
        R.relative_error(v, R.mp_cross_entropy(zi, yi), dtype)
        for v, zi, yi in zip(loss, z, y, strict=True)
    )
    assert worst <= TOLERANCE[dtype]


def test_tiny_loss_needs_the_compensated_exponent() -> None:
    """Without recovering the rounding error of z_j - m, the tiny-loss regime misses 4e-15.

    Gap 699.99 above a logit of 0.3: z_j - m rounds with an absolute error of up to
    2^-44 ~ 5.7e-14, which is the relative error of e^{z_j - m} and so of the loss.
    """
    z = np.array([700.29, 0.3])
    naive = np.log1p(np.exp(z[1] - z[0]))
    ref = R.mp_cross_entropy(z, 0)
    assert R.relative_error(naive, ref, np.float64) > 4e-15
    assert R.relative_error(L.cross_entropy(z, 0), ref, np.float64) <= 4e-15


@pytest.mark.parametrize("dtype", DTYPES)
def test_binary_with_logits_at_extreme_logits(dtype) -> None:
    xs = [0.0, 1e-8, -1e-8, 30.0, -30.0, 100.0, -100.0, 700.0, -700.0, 1e4, -1e4, 1e30, -1e30]
    worst = 0.0
    for x in xs:
        for t in (0.0, 1.0, 0.25):
            x_d, t_d = dtype(x), dtype(t)
            got = L.binary_cross_entropy_with_logits(np.array([x_d]), np.array([t_d]))
            ref = R.mp_binary_cross_entropy_with_logits(x_d, t_d)
            worst = max(worst, R.relative_error(got, ref, dtype))
    assert worst <= TOLERANCE[dtype]
