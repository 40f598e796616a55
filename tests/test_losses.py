"""Losses against hand calculation (math module), ce_book.info, and each other by Hypothesis."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ce_book import info
from ce_book import losses as L
from ce_book.activations import log_softmax, softmax


def _hand_log_softmax(z: list[float]) -> list[float]:
    total = sum(math.exp(v) for v in z)
    return [v - math.log(total) for v in z]


Z = [[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [0.0, 0.0, 3.0], [1.0, -2.0, 0.25]]
Y = [0, 1, 2, 1]
W = [0.5, 2.0, 1.5]


def test_cross_entropy_unweighted_by_hand() -> None:
    per = [-_hand_log_softmax(z)[y] for z, y in zip(Z, Y, strict=True)]
    np.testing.assert_allclose(L.cross_entropy(Z, Y, reduction="none"), per, rtol=1e-14)
    assert float(L.cross_entropy(Z, Y, reduction="sum")) == pytest.approx(sum(per), rel=1e-14)
    assert float(L.cross_entropy(Z, Y)) == pytest.approx(sum(per) / 4, rel=1e-14)


def test_weighted_mean_divides_by_the_weights_of_the_kept_targets() -> None:
    y = [0, 1, -100, 1]  # the third target is ignored
    per = [W[t] * -_hand_log_softmax(z)[t] if t != -100 else 0.0 for z, t in zip(Z, y, strict=True)]
    np.testing.assert_allclose(L.cross_entropy(Z, y, W, reduction="none"), per, rtol=1e-14)
    expected = sum(per) / (W[0] + W[1] + W[1])
    assert float(L.cross_entropy(Z, y, W)) == pytest.approx(expected, rel=1e-14)


def test_label_smoothing_with_weight_and_ignore_index_by_hand() -> None:
    """PyTorch's rule: each kept sample adds (1-e) w_y (-log p_y) + e/C sum_c w_c (-log p_c),
    and the mean divides both parts by the sum of w_y over kept samples."""
    eps, y = 0.3, [2, -100, 0, 1]
    total = 0.0
    for z, t in zip(Z, y, strict=True):
        if t == -100:
            continue
        lp = _hand_log_softmax(z)
        total += (1 - eps) * W[t] * -lp[t] + eps / 3 * sum(
            -w * v for w, v in zip(W, lp, strict=True)
        )
    expected = total / (W[2] + W[0] + W[1])
    got = L.cross_entropy(Z, y, W, label_smoothing=eps)
    assert float(got) == pytest.approx(expected, rel=1e-14)


def test_label_smoothing_is_cross_entropy_against_the_smoothed_target() -> None:
    eps = 0.2
    t = np.full((4, 3), eps / 3)
    t[np.arange(4), Y] += 1 - eps
    expected = info.cross_entropy(t, softmax(Z))
    np.testing.assert_allclose(
        L.cross_entropy(Z, Y, label_smoothing=eps, reduction="none"), expected, rtol=1e-14
    )
    np.testing.assert_allclose(L.cross_entropy(Z, t, reduction="none"), expected, rtol=1e-14)


def test_probability_targets_match_info_cross_entropy(rng) -> None:
    z = rng.normal(size=(5, 4)) * 3
    t = rng.dirichlet(np.ones(4), size=5)
    expected = info.cross_entropy(t, softmax(z))
    np.testing.assert_allclose(L.cross_entropy(z, t, reduction="none"), expected, rtol=1e-13)
    assert float(L.cross_entropy(z, t)) == pytest.approx(expected.mean(), rel=1e-13)


def test_k_dimensional_input_equals_flattened_rows(rng) -> None:
    x = rng.normal(size=(2, 4, 3, 5))  # (N, C, d1, d2)
    y = rng.integers(0, 4, size=(2, 3, 5))
    rows = np.moveaxis(x, 1, -1).reshape(-1, 4)
    per = L.cross_entropy(x, y, reduction="none")
    assert per.shape == (2, 3, 5)
    np.testing.assert_array_equal(
        per.reshape(-1), L.cross_entropy(rows, y.reshape(-1), reduction="none")
    )


def test_unbatched_input_gives_a_scalar() -> None:
    out = L.cross_entropy([2.0, 1.0, 0.1], 0, reduction="none")
    assert out.shape == ()
    assert float(out) == pytest.approx(-_hand_log_softmax([2.0, 1.0, 0.1])[0], rel=1e-14)


def test_nll_of_log_softmax_is_cross_entropy(rng) -> None:
    z = rng.normal(size=(6, 5))
    y = rng.integers(0, 5, size=6)
    w = rng.uniform(0.5, 2, size=5)
    np.testing.assert_allclose(
        L.nll_loss(log_softmax(z), y, w, reduction="none"),
        L.cross_entropy(z, y, w, reduction="none"),
        rtol=1e-14,
    )


def test_binary_cross_entropy_by_hand() -> None:
    p, t = [0.2, 0.9, 0.5], [0.0, 1.0, 0.3]
    per = [-(b * math.log(a) + (1 - b) * math.log(1 - a)) for a, b in zip(p, t, strict=True)]
    np.testing.assert_allclose(L.binary_cross_entropy(p, t, reduction="none"), per, rtol=1e-15)
    w = [1.0, 2.0, 0.5]
    weighted = sum(x * y for x, y in zip(w, per, strict=True)) / 3
    assert float(L.binary_cross_entropy(p, t, w)) == pytest.approx(weighted, rel=1e-15)


def test_binary_cross_entropy_clamps_each_log_at_minus_100() -> None:
    """PyTorch's documented behaviour, mirrored: -log 0 counts as 100, not infinity."""
    out = L.binary_cross_entropy([0.0, 1.0, 1e-50, 0.0], [1.0, 0.0, 1.0, 0.5], reduction="none")
    assert out.tolist() == [100.0, 100.0, 100.0, 50.0]


def test_pos_weight_multiplies_the_positive_term() -> None:
    x, t, q = 0.7, 0.4, 3.0
    s = 1 / (1 + math.exp(-x))
    expected = -(q * t * math.log(s) + (1 - t) * math.log(1 - s))
    assert float(L.binary_cross_entropy_with_logits([x], [t], pos_weight=[q])) == pytest.approx(
        expected, rel=1e-14
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept(dtype) -> None:
    z = np.array(Z, dtype=dtype)
    p = np.array([[0.2, 0.7]], dtype=dtype)
    for out in (
        L.cross_entropy(z, Y),
        L.cross_entropy(z, Y, reduction="none"),
        L.cross_entropy(z, softmax(np.array(Z)).astype(dtype)),
        L.nll_loss(z, Y, reduction="sum"),
        L.binary_cross_entropy(p, [[0.0, 1.0]]),
        L.binary_cross_entropy_with_logits(p, [[0.0, 1.0]], reduction="none"),
    ):
        assert out.dtype == dtype


def test_stable_at_extreme_logits_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert L.cross_entropy([[1e30, 0.0, -1e30]], [0]).item() == 0.0
        assert L.cross_entropy([[1e30, 0.0, -1e30]], [2]).item() == 2e30
        assert L.cross_entropy([[1e4, 1e4, 1e4, 1e4]], [3]).item() == pytest.approx(math.log(4))
        assert L.cross_entropy([[0.0, -np.inf]], [0]).item() == 0.0  # a masked class
        assert L.cross_entropy([[0.0, -np.inf]], [1]).item() == math.inf
        assert L.cross_entropy([[0.0, -np.inf]], [0], label_smoothing=0.1).item() == math.inf
        assert L.binary_cross_entropy_with_logits([1e30, -1e30], [1.0, 0.0]).item() == 0.0


# -- properties ---------------------------------------------------------------------------------

probabilities = st.floats(0, 1)


@settings(max_examples=100, deadline=None)
@given(hnp.arrays(np.float64, 8, elements=st.floats(-60, 60)), st.data())
def test_binary_cross_entropy_is_two_class_cross_entropy(x, data) -> None:
    """sigma(x) = softmax([0, x])[1], so BCE with logits is CE over the logits [0, x]."""
    t = data.draw(hnp.arrays(np.float64, 8, elements=probabilities))
    two = np.stack([np.zeros_like(x), x], axis=1)
    probs = np.stack([1 - t, t], axis=1)
    np.testing.assert_allclose(
        L.binary_cross_entropy_with_logits(x, t, reduction="none"),
        L.cross_entropy(two, probs, reduction="none"),
        rtol=1e-13,
        atol=1e-300,
    )
    # With probabilities in, the log-probabilities [log(1 - p), log p] serve as the logits.
    p = data.draw(hnp.arrays(np.float64, 8, elements=st.floats(1e-6, 1 - 1e-6)))
    np.testing.assert_allclose(
        L.binary_cross_entropy(p, t, reduction="none"),
        L.cross_entropy(np.log(np.stack([1 - p, p], axis=1)), probs, reduction="none"),
        rtol=1e-9,
        atol=1e-15,
    )
