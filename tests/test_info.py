"""Information theory functions against mpmath and hand calculation; Hypothesis properties."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ce_book import info

# The bins of the notes "Understanding Cross Entropy":
# P = {2 red, 3 green, 4 blue}, Q = {4 red, 4 green, 1 blue}.
P = np.array([2, 3, 4]) / 9
Q = np.array([4, 4, 1]) / 9


def _mp_bits(terms) -> float:
    return float(mpmath.fsum(terms) / mpmath.log(2))


def test_bins_example_in_bits() -> None:
    """H(P, Q) = -[(2/9) log2(4/9) + (3/9) log2(4/9) + (4/9) log2(1/9)], computed at 50 digits."""
    p = [mpmath.mpf(2) / 9, mpmath.mpf(3) / 9, mpmath.mpf(4) / 9]
    q = [mpmath.mpf(4) / 9, mpmath.mpf(4) / 9, mpmath.mpf(1) / 9]
    h_pq = _mp_bits(-a * mpmath.log(b) for a, b in zip(p, q, strict=True))
    h_p = _mp_bits(-a * mpmath.log(a) for a in p)
    kl = _mp_bits(a * mpmath.log(a / b) for a, b in zip(p, q, strict=True))
    assert float(info.cross_entropy(P, Q, base=2)) == pytest.approx(h_pq, rel=1e-15)
    assert float(info.entropy(P, base=2)) == pytest.approx(h_p, rel=1e-15)
    assert float(info.kl_divergence(P, Q, base=2)) == pytest.approx(kl, rel=1e-14)


def test_surprisal_by_hand() -> None:
    assert info.surprisal([0.5, 0.25, 1.0], base=2).tolist() == [1.0, 2.0, 0.0]
    assert float(info.surprisal(0.1)) == pytest.approx(math.log(10), rel=1e-15)
    assert float(info.surprisal(0.0)) == math.inf


def test_entropy_of_uniform_and_certain_distributions() -> None:
    assert float(info.entropy(np.full(8, 1 / 8), base=2)) == pytest.approx(3.0, rel=1e-15)
    assert float(info.entropy([0.0, 1.0, 0.0])) == 0.0  # 0 log 0 = 0
    assert float(info.entropy([0.5, 0.5], base=10)) == pytest.approx(math.log10(2), rel=1e-15)


def test_zero_probability_conventions() -> None:
    assert float(info.cross_entropy([1.0, 0.0], [0.5, 0.5], base=2)) == 1.0  # 0 log q = 0
    assert float(info.cross_entropy([0.0, 1.0], [1.0, 0.0])) == math.inf  # q = 0 < p
    assert float(info.kl_divergence([0.5, 0.5], [1.0, 0.0])) == math.inf
    assert float(info.kl_divergence([1.0, 0.0], [0.5, 0.5])) == pytest.approx(math.log(2))


def test_batches_along_the_last_axis() -> None:
    p = np.stack([P, Q])
    out = info.cross_entropy(p, np.stack([Q, P]))
    assert out.shape == (2,)
    assert out[0] == pytest.approx(float(info.cross_entropy(P, Q)), rel=1e-15)


# -- properties ---------------------------------------------------------------------------------


@st.composite
def distributions(draw, size):
    w = draw(hnp.arrays(np.float64, size, elements=st.floats(0, 10)))
    assume(w.sum() > 1e-3)
    return w / w.sum()


@st.composite
def pairs(draw):
    n = draw(st.integers(1, 8))
    return draw(distributions(n)), draw(distributions(n))


@settings(max_examples=200, deadline=None)
@given(pairs())
@example(pq=(np.array([1.44070766e-307, 1.0]), np.array([1.13523907e-258, 1.0])))
def test_gibbs_and_the_decomposition(pq) -> None:
    p, q = pq
    h_pq, h_p, kl = info.cross_entropy(p, q), info.entropy(p), info.kl_divergence(p, q)
    assert h_pq >= h_p - 1e-12  # Gibbs' inequality
    assert kl >= 0
    if np.isfinite(h_pq):
        assert h_pq == pytest.approx(h_p + kl, rel=1e-9, abs=1e-12)
    else:
        assert kl == math.inf


@settings(max_examples=200, deadline=None)
@given(pairs())
def test_kl_is_zero_exactly_when_p_equals_q(pq) -> None:
    p, q = pq
    assert float(info.kl_divergence(p, p)) == 0.0
    if np.abs(p - q).max() > 1e-6:
        assert float(info.kl_divergence(p, q)) > 0


@settings(max_examples=100, deadline=None)
@given(pairs())
def test_bits_are_nats_over_ln_2(pq) -> None:
    p, q = pq
    for f in (info.entropy, info.surprisal):
        np.testing.assert_allclose(f(p, base=2), f(p) / math.log(2), rtol=1e-15)
    np.testing.assert_allclose(
        info.cross_entropy(p, q, base=2), info.cross_entropy(p, q) / math.log(2), rtol=1e-15
    )


def test_zero_times_log_zero_and_tiny_q_give_no_warning_and_the_right_value() -> None:
    """Regressions: p = q = 0 once computed 0 * -inf, and a subnormal q overflowed p / q."""
    with np.errstate(all="raise"):
        assert float(info.cross_entropy([1.0, 0.0], [1.0, 0.0])) == 0.0
        got = float(info.kl_divergence([0.5, 0.5], [1.0, 2.225073858507e-309]))
    q = mpmath.mpf(2.225073858507e-309)
    expected = 0.5 * mpmath.log(0.5) + 0.5 * mpmath.log(mpmath.mpf(0.5) / q)
    assert got == pytest.approx(float(expected), rel=1e-15)


def test_mutual_information_against_mpmath_and_entropies() -> None:
    """I(X; Y) = H(X) + H(Y) - H(X, Y), at 50 digits, for a table with exact fractions."""
    joint = [[mpmath.mpf(3) / 10, mpmath.mpf(5) / 100], [mpmath.mpf(1) / 10, mpmath.mpf(55) / 100]]
    with mpmath.workdps(50):
        px = [sum(row) for row in joint]
        py = [joint[0][j] + joint[1][j] for j in range(2)]
        h = lambda ps: -mpmath.fsum(v * mpmath.log(v) for v in ps)  # noqa: E731
        expected = h(px) + h(py) - h([v for row in joint for v in row])
    got = info.mutual_information(np.array([[0.30, 0.05], [0.10, 0.55]]))
    assert float(got) == pytest.approx(float(expected), rel=1e-13)


def test_mutual_information_limits() -> None:
    independent = np.outer([0.2, 0.8], [0.3, 0.3, 0.4])
    assert float(info.mutual_information(independent)) == pytest.approx(0.0, abs=1e-15)
    copy = np.diag([0.25, 0.25, 0.5])  # Y = X: I = H(X)
    assert float(info.mutual_information(copy, base=2)) == pytest.approx(1.5, rel=1e-15)
    batch = np.stack([independent[:, :2] / independent[:, :2].sum(), np.diag([0.5, 0.5])])
    assert info.mutual_information(batch, base=2).tolist() == pytest.approx([0.0, 1.0])


def test_mutual_information_rejects_bad_tables() -> None:
    with pytest.raises(ValueError, match=r"^joint: needs two axes"):
        info.mutual_information([0.5, 0.5])
    with pytest.raises(ValueError, match=r"^joint: must sum to 1"):
        info.mutual_information([[0.5, 0.5], [0.5, 0.5]])
