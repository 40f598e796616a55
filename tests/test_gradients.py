"""Analytic gradients against central differences, SymPy and mpmath; properties by Hypothesis."""

from __future__ import annotations

import itertools

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ce_book import gradients as G
from ce_book import losses as L
from ce_book.activations import softmax

RTOL, ATOL = 1e-6, 1e-9


def _numeric(loss_fn, x, eps=1e-6):
    return G.numerical_gradient(lambda v: float(np.sum(loss_fn(v))), x, eps=eps)


# -- numerical_gradient itself, on functions with known derivatives ---------------------------


def test_numerical_gradient_of_known_functions() -> None:
    x = np.array([-1.3, 0.0, 0.4, 2.0])
    np.testing.assert_allclose(G.numerical_gradient(lambda v: np.sin(v).sum(), x), np.cos(x))
    np.testing.assert_allclose(
        G.numerical_gradient(lambda v: (v**3).sum(), x), 3 * x**2, rtol=1e-9, atol=1e-9
    )
    m = np.array([[1.0, 2.0], [3.0, -4.0]])  # f(M) = sum(M * M) has gradient 2M, shape kept
    np.testing.assert_allclose(G.numerical_gradient(lambda v: (v * v).sum(), m), 2 * m)


def test_numerical_gradient_error_shrinks_like_h_squared() -> None:
    f, x = lambda v: float(np.exp(v).sum()), np.array([0.7])
    errs = [abs(G.numerical_gradient(f, x, eps=h)[0] - np.exp(0.7)) for h in (1e-2, 1e-3)]
    assert 50 < errs[0] / errs[1] < 150  # central differences: error ~ h^2 / 6 f'''


# -- cross-entropy: every option, random inputs -------------------------------------------------

CE_OPTIONS = list(
    itertools.product(
        ["class", "prob"], [None, "w"], [-100, 1], ["none", "mean", "sum"], [0.0, 0.25]
    )
)


def _ce_case(rng, kind, shape, ii):
    x = rng.normal(size=shape) * 2
    axis = 0 if len(shape) == 1 else 1
    if kind == "prob":
        t = rng.dirichlet(np.ones(shape[axis]), size=[s for i, s in enumerate(shape) if i != axis])
        return x, np.moveaxis(t, -1, axis)
    y = rng.integers(0, shape[axis], size=[s for i, s in enumerate(shape) if i != axis])
    y.flat[0] = (y.flat[0] + 1) % shape[axis] if y.flat[0] == ii else y.flat[0]  # one kept
    if ii == -100 and y.ndim:
        y.flat[-1] = -100
    return x, y


@pytest.mark.parametrize(("kind", "weight", "ii", "reduction", "ls"), CE_OPTIONS)
@pytest.mark.parametrize("shape", [(4,), (3, 4), (2, 3, 2)])
def test_cross_entropy_grad_matches_central_differences(
    rng, kind, weight, ii, reduction, ls, shape
) -> None:
    x, t = _ce_case(rng, kind, shape, ii)
    w = None if weight is None else rng.uniform(0.5, 2, shape[0 if len(shape) == 1 else 1])
    kw = {"weight": w, "ignore_index": ii, "reduction": reduction, "label_smoothing": ls}
    numeric = _numeric(lambda v: L.cross_entropy(v, t, **kw), x)
    np.testing.assert_allclose(G.cross_entropy_grad(x, t, **kw), numeric, rtol=RTOL, atol=ATOL)
    loss, grad = G.cross_entropy_and_grad(x, t, **kw)
    np.testing.assert_array_equal(loss, L.cross_entropy(x, t, **kw))
    np.testing.assert_allclose(grad, numeric, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize(("weight", "ii", "reduction"), [(None, -100, "mean"), ("w", 2, "sum")])
def test_nll_loss_grad_matches_central_differences(rng, weight, ii, reduction) -> None:
    x = rng.normal(size=(5, 4)) - 2
    y = np.array([0, 2, 3, 1, 2])
    w = None if weight is None else rng.uniform(0.5, 2, 4)
    kw = {"weight": w, "ignore_index": ii, "reduction": reduction}
    numeric = _numeric(lambda v: L.nll_loss(v, y, **kw), x)
    np.testing.assert_allclose(G.nll_loss_grad(x, y, **kw), numeric, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_binary_grads_match_central_differences(rng, reduction) -> None:
    p = rng.uniform(0.05, 0.95, size=(3, 4))
    x = rng.normal(size=(3, 4)) * 3
    t = rng.uniform(size=(3, 4))
    w = rng.uniform(0.5, 2, size=4)
    pw = rng.uniform(0.5, 3, size=4)
    numeric = _numeric(lambda v: L.binary_cross_entropy(v, t, w, reduction), p)
    analytic = G.binary_cross_entropy_grad(p, t, w, reduction)
    np.testing.assert_allclose(analytic, numeric, rtol=RTOL, atol=ATOL)
    kw = {"weight": w, "reduction": reduction, "pos_weight": pw}
    numeric = _numeric(lambda v: L.binary_cross_entropy_with_logits(v, t, **kw), x)
    analytic = G.binary_cross_entropy_with_logits_grad(x, t, **kw)
    np.testing.assert_allclose(analytic, numeric, rtol=RTOL, atol=ATOL)


# -- extreme inputs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("z", "y", "eps"),
    [
        (np.array([[1e4 + 0.3, 1e4 - 1.2, 1e4 + 2.0]]), [1], 1e-6),  # large offset
        (np.array([[3.0, 3.0, 3.0, 3.0]]), [2], 1e-6),  # all equal
        (np.array([[1e30, -1e30, 0.0]]), [1], 1e24),  # huge: piecewise linear, step 1e24
        (np.array([[45.0, 0.5, -0.25]]), [0], 1e-6),  # tiny loss: gradients ~ 1e-20
        (np.array([[0.0, 40.0, -np.inf]]), [0], 1e-6),  # a masked class
    ],
)
def test_cross_entropy_grad_at_extreme_logits(z, y, eps) -> None:
    finite = np.isfinite(z)
    analytic = G.cross_entropy_grad(z, y, reduction="sum")

    def f(v):
        full = z.copy()
        full[finite] = v
        return L.cross_entropy(full, y, reduction="sum")

    numeric = G.numerical_gradient(lambda v: float(f(v)), z[finite], eps=eps)
    assert np.isfinite(analytic).all()
    np.testing.assert_allclose(analytic[finite], numeric, rtol=1e-6, atol=1e-300)
    assert analytic[~finite].tolist() == [0.0] * int((~finite).sum())


def test_tiny_loss_gradient_keeps_relative_accuracy() -> None:
    """d loss / d z_y = -rest / (1 + rest), not 1/(1 + rest) - 1 (which rounds to 0)."""
    z = np.array([60.0, 0.0, 1.0])
    with mpmath.workdps(50):
        rest = mpmath.exp(-60) + mpmath.exp(-59)
        expected = [-rest / (1 + rest), mpmath.exp(-60) / (1 + rest), mpmath.exp(-59) / (1 + rest)]
    np.testing.assert_allclose(G.cross_entropy_grad(z, 0), [float(v) for v in expected], rtol=1e-14)


@pytest.mark.parametrize("t", [0.0, 1.0])
@pytest.mark.parametrize("x", [-700.0, -40.0, 40.0, 700.0])
def test_binary_with_logits_grad_at_extreme_logits(x, t) -> None:
    analytic = G.binary_cross_entropy_with_logits_grad([x], [t])
    numeric = _numeric(lambda v: L.binary_cross_entropy_with_logits(v, [t]), np.array([x]))
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-300)


def test_binary_grad_near_the_ends_of_the_unclamped_range() -> None:
    p = np.array([1e-5, 1 - 1e-5])
    t = np.array([1.0, 0.0])
    numeric = G.numerical_gradient(
        lambda v: float(L.binary_cross_entropy(v, t, reduction="sum")), p, eps=1e-11
    )
    np.testing.assert_allclose(G.binary_cross_entropy_grad(p, t, reduction="sum"), numeric, 1e-5)


# -- softmax Jacobian and sigmoid derivative: SymPy and mpmath ----------------------------------


def test_softmax_jacobian_matches_sympy() -> None:
    zs = sp.symbols("z0:3")
    den = sum(sp.exp(v) for v in zs)
    soft = [sp.exp(v) / den for v in zs]
    point = {zs[0]: sp.Rational(1, 2), zs[1]: -1, zs[2]: 2}
    expected = [
        [float(sp.diff(soft[i], zs[j]).subs(point).evalf(30)) for j in range(3)] for i in range(3)
    ]
    np.testing.assert_allclose(G.softmax_jacobian([0.5, -1.0, 2.0]), expected, rtol=1e-14)


def test_softmax_jacobian_batches_and_matches_central_differences(rng) -> None:
    z = rng.normal(size=(2, 3, 4))
    jac = G.softmax_jacobian(z)
    assert jac.shape == (2, 3, 4, 4)
    for idx in np.ndindex(2, 3):
        for i in range(4):
            row = G.numerical_gradient(lambda v, i=i: softmax(v)[i], z[idx])
            np.testing.assert_allclose(jac[idx][i], row, rtol=1e-7, atol=1e-10)
        np.testing.assert_allclose(jac[idx].sum(axis=0), 0, atol=1e-16)


@pytest.mark.parametrize("z", [-700.0, -40.0, -1.0, 0.0, 0.5, 40.0, 700.0])
def test_sigmoid_derivative_matches_mpmath(z) -> None:
    with mpmath.workdps(50):
        expected = mpmath.diff(lambda v: 1 / (1 + mpmath.exp(-v)), mpmath.mpf(z))
    assert float(G.sigmoid_derivative(z)) == pytest.approx(float(expected), rel=1e-14)


def test_float32_in_float32_out(rng) -> None:
    x = rng.normal(size=(3, 4)).astype(np.float32)
    y = np.array([0, 1, 3])
    p = rng.uniform(0.1, 0.9, size=(3, 4)).astype(np.float32)
    t = rng.uniform(size=(3, 4)).astype(np.float32)
    for out in (
        G.cross_entropy_grad(x, y),
        G.cross_entropy_and_grad(x, y)[0],
        G.nll_loss_grad(x, y),
        G.binary_cross_entropy_grad(p, t),
        G.binary_cross_entropy_with_logits_grad(x, t),
        G.softmax_jacobian(x),
        G.sigmoid_derivative(x),
    ):
        assert out.dtype == np.float32


# -- property: the gradient with respect to the logits sums to zero -------------------------

finite_logits = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=2, max_side=6),
    elements=st.floats(-50, 50),
)


@settings(max_examples=60, deadline=None)
@given(finite_logits, st.data())
def test_cross_entropy_grad_sums_to_zero(z, data) -> None:
    """Targets sum to 1 (one-hot or a distribution), so shifting all logits changes nothing."""
    n, c = z.shape
    y = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    w = data.draw(st.one_of(st.none(), hnp.arrays(np.float64, c, elements=st.floats(0.1, 5))))
    ls = data.draw(st.floats(0, 1))
    # Each entry is a difference of terms as large as the row's total weight, so rounding
    # is measured against that scale (not against the possibly tiny result).
    scale = 1e-15 * c * (1 if w is None else w.max())
    grad = G.cross_entropy_grad(z, y, weight=w, label_smoothing=ls, reduction="sum")
    assert np.all(np.abs(grad.sum(axis=1)) <= scale)
    t = softmax(data.draw(hnp.arrays(np.float64, (n, c), elements=st.floats(-5, 5))))
    grad = G.cross_entropy_grad(z, t, weight=w, reduction="sum")
    assert np.all(np.abs(grad.sum(axis=1)) <= scale)


@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
def test_bad_start_counts_are_the_catch_up_plus_the_mild_run(loss) -> None:
    """The chapter says the bad start's epochs to change its mind are exactly the catch-up to
    the mild start's output plus the mild start's own count; in general the sum could be off
    by one (the checkpoint falls between two epochs), so the page must change if this fails."""
    from ce_book import training
    from ce_book.activations import sigmoid

    half = float(training.neuron_loss(0.0, 0.0, loss))
    bad = training.train(2.0, 2.0, loss=loss)
    mild = training.train(0.6, 0.9, loss=loss)
    catch_up = int(np.flatnonzero(bad.output < float(sigmoid(1.5)))[0])
    assert bad.first_epoch_below(half) == catch_up + mild.first_epoch_below(half)


def test_a_fitted_softmax_regression_with_a_bias_matches_the_class_frequencies(rng) -> None:
    """Moment matching (derivation softmax-bias-moment-matching): at a stationary point of the
    batch loss, each class's mean predicted probability is its training frequency."""
    x = rng.normal(0, 1, (40, 2))
    y = rng.integers(0, 3, 40)
    t = np.eye(3)[y]
    w, b = np.zeros((2, 3)), np.zeros(3)
    for _ in range(5000):
        p = softmax(x @ w + b)
        w -= 0.5 * x.T @ (p - t) / len(x)
        b -= 0.5 * (p - t).mean(axis=0)
    p = softmax(x @ w + b)
    assert np.abs(x.T @ (p - t)).max() < 1e-9
    assert np.allclose(p.mean(axis=0), np.bincount(y, minlength=3) / len(y), atol=1e-10)
