"""Activations against mpmath at 50 digits, at ordinary and extreme logits; shift invariance."""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ce_book import activations as A
from ce_book.reference import mp_cross_entropy


def _mp_log_softmax(z) -> list[mpmath.mpf]:
    """:math:`\\log \\operatorname{softmax}(z)_y = -\\text{cross-entropy}(z, y)` at 50 digits."""
    return [-mp_cross_entropy(z, y) for y in range(len(z))]


@pytest.mark.parametrize("z", [-800.0, -40.0, -1.0, 0.0, 1e-10, 3.0, 40.0, 800.0])
def test_sigmoid_and_log_sigmoid_match_mpmath(z) -> None:
    zm = mpmath.mpf(z)
    assert float(A.sigmoid(z)) == pytest.approx(float(1 / (1 + mpmath.exp(-zm))), rel=1e-15)
    assert float(A.log_sigmoid(z)) == pytest.approx(
        float(-mpmath.log1p(mpmath.exp(-zm))), rel=1e-15
    )


@pytest.mark.parametrize(
    "z",
    [
        [2.0, 1.0, 0.1],
        [1e4 + 0.5, 1e4, 1e4 - 3.0],
        [1e30, 0.0, -1e30],
        [5.0, 5.0, 5.0, 5.0],
        [50.0, 0.25, -3.0],  # the top class has log-probability ~ -2e-22
        [700.3, 0.3],  # z_j - m rounds: needs the compensated sum for the top entry
    ],
)
def test_log_softmax_softmax_logsumexp_match_mpmath(z) -> None:
    expected = _mp_log_softmax(z)
    got = A.log_softmax(z)
    for g, e in zip(got, expected, strict=True):
        assert float(g) == pytest.approx(float(e), rel=4e-15)
    # A probability e^{z_j - m} inherits the rounding of its exponent: up to |z_j - m| units
    # of 2^-53 of relative error (4.6e-14 at z_j - m = -700); its logarithm does not.
    np.testing.assert_allclose(A.softmax(z), [float(mpmath.exp(e)) for e in expected], rtol=1e-13)
    lse = mpmath.mpf(z[0]) - expected[0]
    assert float(A.logsumexp(z)) == pytest.approx(float(lse), rel=4e-15)


def test_axis_and_batches(rng) -> None:
    z = rng.normal(size=(3, 4, 5))
    for axis in (0, 1, 2, -1):
        moved = np.moveaxis(z, axis, -1)
        expected = np.moveaxis(moved - np.log(np.exp(moved).sum(-1, keepdims=True)), -1, axis)
        np.testing.assert_allclose(A.log_softmax(z, axis=axis), expected, rtol=1e-13)
        np.testing.assert_allclose(A.softmax(z, axis=axis).sum(axis=axis), 1, rtol=1e-15)
        assert A.logsumexp(z, axis=axis).shape == moved.shape[:-1]


def test_masked_classes_and_float32() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert A.softmax([0.0, -np.inf]).tolist() == [1.0, 0.0]
        assert A.logsumexp([-np.inf, -np.inf]) == -np.inf
    z32 = np.array([3.0, 1.0], dtype=np.float32)
    for f in (A.sigmoid, A.log_sigmoid, A.softmax, A.log_softmax, A.logsumexp):
        assert f(z32).dtype == np.float32


def test_exp_shifted_rows_contract() -> None:
    z = np.array([[0.0, 3.0, 1.0], [2.0, 2.0, -np.inf]])
    out = np.empty_like(z)
    top, m, rest = A.exp_shifted_rows(z, out)
    assert top.tolist() == [1, 0] and m.tolist() == [3.0, 2.0]
    np.testing.assert_allclose(out, [[np.exp(-3), 1.0, np.exp(-2)], [1.0, 1.0, 0.0]], rtol=1e-15)
    np.testing.assert_allclose(rest, [np.exp(-3) + np.exp(-2), 1.0], rtol=1e-15)


@settings(max_examples=100, deadline=None)
@given(
    hnp.arrays(np.float64, st.integers(1, 12), elements=st.floats(-100, 100)),
    st.floats(-1e3, 1e3),
)
def test_softmax_is_shift_invariant(z, c) -> None:
    np.testing.assert_allclose(A.softmax(z + c), A.softmax(z), rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(A.logsumexp(z + c), A.logsumexp(z) + c, rtol=1e-12, atol=1e-9)
