"""Tests for ce_book.likelihood against independent references: mpmath at 50 digits, exact
IEEE-754 facts, closed-form maximum-likelihood estimates, and PyTorch."""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ce_book import likelihood as lk
from ce_book.torch_reference import lbfgs

# A tiny overlapping dataset for the high-precision checks.
X_TINY = np.array([[-1.5], [-0.5], [0.0], [0.5], [1.0], [2.0], [-1.0], [1.5]])
Y_TINY = np.array([0, 0, 1, 0, 1, 1, 1, 0])


def mp_logistic_mle(x: np.ndarray, y: np.ndarray) -> tuple[mpmath.mpf, mpmath.mpf]:
    """Solve the score equations sum_i (y_i - sigma(w x_i + b)) [x_i, 1] = 0 at 50 digits."""
    xs = [mpmath.mpf(float(v)) for v in x[:, 0]]
    ys = [int(v) for v in y]

    def score(w, b):
        r = [yi - 1 / (1 + mpmath.exp(-(w * xi + b))) for xi, yi in zip(xs, ys, strict=True)]
        return [mpmath.fsum(ri * xi for ri, xi in zip(r, xs, strict=True)), mpmath.fsum(r)]

    w, b = mpmath.findroot(score, (mpmath.mpf(0), mpmath.mpf(0)))
    return w, b


def mp_logistic_loglik(x: np.ndarray, y: np.ndarray, w: float, b: float) -> mpmath.mpf:
    total = mpmath.mpf(0)
    for xi, yi in zip(x[:, 0], y, strict=True):
        p = 1 / (1 + mpmath.exp(-(mpmath.mpf(w) * mpmath.mpf(float(xi)) + mpmath.mpf(b))))
        total += mpmath.log(p if yi == 1 else 1 - p)
    return total


# --- likelihood and log-likelihood of a dataset ---------------------------------------------


def test_bernoulli_small_example_by_hand() -> None:
    p, y = [0.9, 0.2, 0.7], [1, 0, 1]
    exact = Fraction(9, 10) * Fraction(8, 10) * Fraction(7, 10)
    assert lk.bernoulli_likelihood(p, y) == pytest.approx(float(exact), rel=1e-15)
    assert lk.bernoulli_log_likelihood(p, y) == pytest.approx(math.log(exact), rel=1e-15)


def test_categorical_small_example_by_hand() -> None:
    p = [[0.7, 0.2, 0.1], [0.1, 0.5, 0.4], [0.25, 0.25, 0.5]]
    y = [0, 2, 1]
    assert lk.categorical_likelihood(p, y) == pytest.approx(0.7 * 0.4 * 0.25, rel=1e-15)
    assert lk.categorical_log_likelihood(p, y) == pytest.approx(
        float(mpmath.log(mpmath.mpf("0.7") * mpmath.mpf("0.4") / 4)), rel=1e-15
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0.001, 0.999), st.integers(0, 1)), min_size=1, max_size=60))
def test_bernoulli_log_likelihood_is_log_of_product_mpmath(rows) -> None:
    p = np.array([r[0] for r in rows])
    y = np.array([r[1] for r in rows])
    exact = mpmath.fsum(mpmath.log(mpmath.mpf(pi) if yi else 1 - mpmath.mpf(pi)) for pi, yi in rows)
    assert lk.bernoulli_log_likelihood(p, y) == pytest.approx(float(exact), rel=1e-13, abs=1e-13)
    assert lk.bernoulli_likelihood(p, y) == pytest.approx(float(mpmath.exp(exact)), rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40), st.integers(2, 6), st.integers(0, 2**32 - 1))
def test_categorical_log_likelihood_mpmath(n: int, k: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(k), size=n)
    y = rng.integers(0, k, size=n)
    exact = mpmath.fsum(mpmath.log(mpmath.mpf(float(p[i, y[i]]))) for i in range(n))
    assert lk.categorical_log_likelihood(p, y) == pytest.approx(float(exact), rel=1e-13)


def test_product_underflows_at_1075_halves() -> None:
    # 2**-1074 is the smallest positive float64 (subnormal); 2**-1075 lies exactly halfway
    # between it and 0, and round-half-to-even gives 0.
    assert np.finfo(np.float64).smallest_subnormal == 2.0**-1074
    assert lk.bernoulli_likelihood([0.5] * 1074, [1] * 1074) == 2.0**-1074
    assert lk.bernoulli_likelihood([0.5] * 1075, [0] * 1075) == 0.0
    assert lk.bernoulli_log_likelihood([0.5] * 1075, [0] * 1075) == pytest.approx(
        float(-1075 * mpmath.log(2)), rel=1e-15
    )


def test_impossible_observation_has_minus_infinite_log_likelihood() -> None:
    assert lk.bernoulli_likelihood([1.0, 0.5], [0, 1]) == 0.0
    assert lk.bernoulli_log_likelihood([1.0, 0.5], [0, 1]) == -math.inf
    assert lk.categorical_log_likelihood([[1.0, 0.0], [0.5, 0.5]], [1, 0]) == -math.inf


def test_float32_probabilities_underflow_sooner() -> None:
    # float32's smallest subnormal is 2**-149.
    p = np.full(150, 0.5, dtype=np.float32)
    assert lk.bernoulli_likelihood(p[:149], np.ones(149, dtype=int)) == 2.0**-149
    assert lk.bernoulli_likelihood(p, np.ones(150, dtype=int)) == 0.0


@pytest.mark.torch
def test_log_likelihoods_are_minus_torch_summed_losses() -> None:
    import torch
    import torch.nn.functional as F

    rng = np.random.default_rng(3)
    p = rng.uniform(0.01, 0.99, size=30)
    y = rng.integers(0, 2, size=30)
    ref = -F.binary_cross_entropy(
        torch.tensor(p), torch.tensor(y, dtype=torch.float64), reduction="sum"
    )
    assert lk.bernoulli_log_likelihood(p, y) == pytest.approx(ref.item(), rel=1e-13)

    q = rng.dirichlet(np.ones(5), size=30)
    c = rng.integers(0, 5, size=30)
    ref = -F.nll_loss(torch.log(torch.tensor(q)), torch.tensor(c), reduction="sum")
    assert lk.categorical_log_likelihood(q, c) == pytest.approx(ref.item(), rel=1e-13)


@pytest.mark.parametrize(
    ("call", "exc", "name"),
    [
        (lambda: lk.bernoulli_likelihood([0.5, 1.2], [1, 0]), ValueError, "p:"),
        (lambda: lk.bernoulli_likelihood([0.5, 0.5], [1, 2]), ValueError, "y:"),
        (lambda: lk.bernoulli_likelihood([0.5, 0.5], [1]), ValueError, "y:"),
        (lambda: lk.bernoulli_likelihood([0.5, 0.5], [1.0, 0.5]), ValueError, "y:"),
        (lambda: lk.bernoulli_likelihood([0.5, 0.5], ["a", "b"]), TypeError, "y:"),
        (lambda: lk.bernoulli_likelihood([], []), ValueError, "p:"),
        (lambda: lk.bernoulli_likelihood([[0.5]], [1]), ValueError, "p:"),
        (lambda: lk.bernoulli_log_likelihood([np.nan], [1]), ValueError, "p:"),
        (lambda: lk.categorical_likelihood([[0.5, 0.6]], [0]), ValueError, "p:"),
        (lambda: lk.categorical_likelihood([[0.5, 0.5]], [2]), ValueError, "y:"),
        (lambda: lk.categorical_log_likelihood([0.5, 0.5], [0]), ValueError, "p:"),
        (lambda: lk.logistic_log_likelihood([1.0, 2.0], [0, 1], [1.0], 0.0), ValueError, "x:"),
        (lambda: lk.logistic_log_likelihood([[np.inf]], [0], [1.0], 0.0), ValueError, "x:"),
        (lambda: lk.fit_softmax_max_likelihood([[0.0]], [3], k=3), ValueError, "y:"),
    ],
)
def test_bad_input_names_the_argument(call, exc, name) -> None:
    with pytest.raises(exc, match=f"^{name}"):
        call()


# --- the two objectives of logistic and softmax regression ----------------------------------


def test_logistic_objectives_against_mpmath() -> None:
    w, b = 0.8, -0.3
    exact = mp_logistic_loglik(X_TINY, Y_TINY, w, b)
    ll = lk.logistic_log_likelihood(X_TINY, Y_TINY, [w], b)
    j = lk.logistic_mean_cross_entropy(X_TINY, Y_TINY, [w], b)
    assert ll == pytest.approx(float(exact), rel=1e-14)
    assert j == pytest.approx(float(-exact / len(Y_TINY)), rel=1e-14)


@pytest.mark.torch
def test_softmax_objectives_against_torch() -> None:
    import torch
    import torch.nn.functional as F

    x, y = lk.synthetic_categorical(25, seed=4)
    rng = np.random.default_rng(1)
    w, b = rng.standard_normal((2, 3)), rng.standard_normal(3)
    logits = torch.tensor(x) @ torch.tensor(w) + torch.tensor(b)
    ref = F.cross_entropy(logits, torch.tensor(y)).item()
    assert lk.softmax_mean_cross_entropy(x, y, w, b) == pytest.approx(ref, rel=1e-14)
    assert lk.softmax_log_likelihood(x, y, w, b) == pytest.approx(-25 * ref, rel=1e-14)


def test_logistic_fits_solve_the_score_equations_mpmath() -> None:
    w_mp, b_mp = mp_logistic_mle(X_TINY, Y_TINY)
    ml = lk.fit_logistic_max_likelihood(X_TINY, Y_TINY)
    ce = lk.fit_logistic_min_cross_entropy(X_TINY, Y_TINY)
    assert abs(ml.w[0] - float(w_mp)) < 1e-13 and abs(ml.b - float(b_mp)) < 1e-13
    assert abs(ce.w[0] - float(w_mp)) < 1e-8 and abs(ce.b - float(b_mp)) < 1e-8
    assert ml.steps < 15  # Newton converges quadratically


def test_logistic_fit_is_a_maximum_by_central_differences() -> None:
    from ce_book.gradients import numerical_gradient

    x, y = lk.synthetic_binary(40)
    fit = lk.fit_logistic_max_likelihood(x, y)
    theta = np.array([fit.w[0], fit.b])

    def ll(t: np.ndarray) -> float:
        return lk.logistic_log_likelihood(x, y, t[:1], t[1])

    assert np.max(np.abs(numerical_gradient(ll, theta))) < 1e-6
    for d in ([1e-3, 0], [0, 1e-3], [-1e-3, 1e-3]):
        assert ll(theta + np.array(d)) < ll(theta)


def test_intercept_only_mle_is_the_sample_mean() -> None:
    # Closed form: with no features, the Bernoulli MLE is the fraction of ones.
    y = np.array([1, 1, 0, 1, 1, 1, 0, 1, 0, 1])
    x = np.zeros((10, 1))
    for fit in (lk.fit_logistic_max_likelihood(x, y), lk.fit_logistic_min_cross_entropy(x, y)):
        assert float(1 / (1 + np.exp(-fit.b))) == pytest.approx(0.7, abs=1e-9)


def test_intercept_only_softmax_mle_is_the_class_frequencies() -> None:
    y = np.array([0, 1, 1, 2, 2, 2, 2, 0, 2, 1])
    x = np.zeros((10, 1))
    freq = np.array([2, 3, 5]) / 10
    for fit in (lk.fit_softmax_max_likelihood(x, y, 3), lk.fit_softmax_min_cross_entropy(x, y, 3)):
        assert np.allclose(np.exp(fit.b) / np.exp(fit.b).sum(), freq, atol=1e-9)
        assert abs(fit.b.sum()) < 1e-12  # the sum-zero representative


def test_softmax_fits_agree_and_sum_to_zero() -> None:
    x, y = lk.synthetic_categorical(60)
    ml = lk.fit_softmax_max_likelihood(x, y, 3)
    ce = lk.fit_softmax_min_cross_entropy(x, y, 3)
    assert np.max(np.abs(ml.w - ce.w)) < 1e-8 and np.max(np.abs(ml.b - ce.b)) < 1e-8
    assert np.allclose(ml.w.sum(axis=1), 0, atol=1e-12) and abs(ml.b.sum()) < 1e-12


@pytest.mark.torch
def test_softmax_fit_matches_torch_lbfgs() -> None:
    import torch
    import torch.nn.functional as F

    x, y = lk.synthetic_categorical(60)
    xt, yt = torch.tensor(x), torch.tensor(y)
    w, b = lbfgs(lambda w, b: F.cross_entropy(xt @ w + b, yt), [np.zeros((2, 3)), np.zeros(3)])
    w_ref = w - w.mean(axis=1, keepdims=True)
    b_ref = b - b.mean()
    ml = lk.fit_softmax_max_likelihood(x, y, 3)
    assert np.max(np.abs(ml.w - w_ref)) < 1e-6 and np.max(np.abs(ml.b - b_ref)) < 1e-6


def test_separable_data_has_no_maximum() -> None:
    x = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    y = np.array([0, 0, 1, 1])
    with pytest.raises(RuntimeError, match=r"^max_steps:"):
        lk.fit_logistic_max_likelihood(x, y, max_steps=30)


def test_synthetic_data_is_reproducible() -> None:
    a, b = lk.synthetic_binary(50, seed=7), lk.synthetic_binary(50, seed=7)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    _, y = lk.synthetic_categorical(300)
    assert set(np.unique(y)) == {0, 1, 2}


@pytest.mark.torch
@pytest.mark.parametrize("model", ["logistic", "softmax"])
def test_descent_step_size_bounds_the_curvature_torch(model: str) -> None:
    """1 / step is at least the largest Hessian eigenvalue of the mean cross-entropy (torch
    autograd), anywhere; for the logistic model the bound is attained at zero parameters."""
    import torch
    import torch.nn.functional as F

    x, y = lk.synthetic_binary(30) if model == "logistic" else lk.synthetic_categorical(30)
    k = 1 if model == "logistic" else 3
    xa = torch.tensor(np.hstack([x, np.ones((len(y), 1))]))
    yt = torch.tensor(y)

    def mean_ce(theta: torch.Tensor) -> torch.Tensor:
        z = xa @ theta.reshape(xa.shape[1], k)
        if model == "logistic":
            return F.binary_cross_entropy_with_logits(z[:, 0], yt.double())
        return F.cross_entropy(z, yt)

    bound = 1 / lk.descent_step_size(x, model)
    rng = np.random.default_rng(3)
    for scale in (0.0, 0.5, 3.0):
        theta = torch.tensor(scale * rng.standard_normal(xa.shape[1] * k))
        h = torch.autograd.functional.hessian(mean_ce, theta).numpy()
        top = np.linalg.eigvalsh(h)[-1]
        assert top <= bound * (1 + 1e-12)
        if model == "logistic" and scale == 0.0:
            assert top == pytest.approx(bound, rel=1e-12)


def test_descent_step_size_rejects_an_unknown_model() -> None:
    with pytest.raises(ValueError, match=r"^model:"):
        lk.descent_step_size([[1.0]], model="probit")
