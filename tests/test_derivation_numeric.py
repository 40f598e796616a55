"""Each derivation's symbolic result, turned into numbers (mpmath at 50 digits), agrees with
three independent computations: the analytic code in ``ce_book``, central differences, and
PyTorch autograd; at random points, extreme points, and for K = 2..6."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

from ce_book import info, likelihood, losses
from ce_book.activations import log_softmax, sigmoid, softmax
from ce_book.derivations import get, prove
from ce_book.derivations import notation as nt
from ce_book.derivations import sigmoid as sig
from ce_book.gradients import (
    binary_cross_entropy_with_logits_grad,
    cross_entropy_grad,
    numerical_gradient,
    sigmoid_derivative,
    softmax_jacobian,
)

KS = [2, 3, 4, 5, 6]
# Code that forms sigma(z) (1 - sigma(z)) or sigma(z) - t in float64 (PyTorch, or products of
# the book's functions) has an absolute error of about 1e-16 near saturation, not a relative one.
FLOAT = {"rel": 1e-9, "abs": 1e-15}
SCALAR_POINTS = [-745.0, -40.0, -7.5, -1.0, -1e-9, 0.0, 0.3, 2.0, 12.0, 40.0, 745.0]
MODERATE = [-7.5, -1.0, -1e-3, 0.0, 0.3, 2.0, 6.0]


def _numbers(expr: sp.Basic, args: list[sp.Basic]):
    """``expr`` as a function of ``args`` evaluated in mpmath at 50 digits, returned as floats."""
    f = sp.lambdify(args, expr, modules="mpmath", dummify=True)

    def call(*values: float) -> float:
        with mpmath.workdps(50):
            return float(f(*(mpmath.mpf(float(x)) for x in values)))

    return call


def _logits(rng: np.random.Generator, k: int) -> list[np.ndarray]:
    """Random logits at three scales and two extreme vectors (spread and near-tie)."""
    spread = np.linspace(-300.0, 300.0, k)
    tie = np.full(k, 50.0) + np.arange(k) * 1e-7
    return [rng.normal(0, s, k) for s in (0.1, 1.0, 5.0)] + [spread, tie]


def _matrix(expr: sp.Basic, derivation: str, k: int, entry=None) -> callable:
    """The result for ``K = k`` as a function of the logits ``z_1..z_k`` giving a matrix."""
    d = get(derivation)
    at = {nt.K: k}
    if entry is None:
        m = prove.instantiate(expr, d.assumptions, at)
    else:
        m = sp.Matrix(k, k, lambda r, c: entry(r + 1, c + 1, at))
    zs = [nt.z[n] for n in range(1, k + 1)]
    cells = [[_numbers(m[r, c], zs) for c in range(k)] for r in range(k)]
    return lambda z: np.array([[f(*z) for f in row] for row in cells])


def _vector(expr: sp.Basic, derivation: str, k: int, extra: dict | None = None):
    """The result (with a free index ``j``) for ``K = k`` as a function of z (and targets)."""
    d = get(derivation)
    at = {nt.K: k}
    zs = [nt.z[n] for n in range(1, k + 1)]
    ts = [nt.t[n] for n in range(1, k + 1)]
    rows = [
        _numbers(
            prove.instantiate(expr, d.assumptions, at, {nt.j: n}).xreplace(extra or {}), zs + ts
        )
        for n in range(1, k + 1)
    ]
    return lambda z, t: np.array([f(*z, *t) for f in rows])


# -- sigmoid ---------------------------------------------------------------------------------


def _scalar_result(id: str, n: int = 0):
    d = get(id)
    return prove.unfold(d.results[n].rhs, d.assumptions)


def test_sigmoid_derivative_matches_analytic_and_central_differences() -> None:
    f = _numbers(_scalar_result("sigmoid-derivative"), [sig.z])
    for z in SCALAR_POINTS:
        assert float(sigmoid_derivative(z)) == pytest.approx(f(z), rel=1e-12, abs=1e-300)
    for z in MODERATE:
        numeric = numerical_gradient(lambda v: float(sigmoid(v[0])), [z])[0]
        assert numeric == pytest.approx(f(z), rel=1e-7, abs=1e-9)


@pytest.mark.torch
def test_sigmoid_derivative_matches_torch(torch) -> None:
    f = _numbers(_scalar_result("sigmoid-derivative"), [sig.z])
    x = torch.tensor(SCALAR_POINTS, dtype=torch.float64, requires_grad=True)
    torch.sigmoid(x).sum().backward()
    for z, g in zip(SCALAR_POINTS, x.grad.tolist(), strict=True):
        assert g == pytest.approx(f(z), **FLOAT)


def _bce_points(rng: np.random.Generator):
    z = np.concatenate([SCALAR_POINTS, rng.normal(0, 4, 9)])
    t = np.concatenate([[0.0, 1.0, 0.25, 1.0, 0.0, 0.5, 1.0, 0.0, 0.9, 1.0, 0.0], rng.random(9)])
    return z, t


def test_bce_gradient_matches_analytic_and_central_differences(rng) -> None:
    f = _numbers(_scalar_result("bce-sigmoid-gradient"), [sig.z, sig.t])
    z, t = _bce_points(rng)
    expected = np.array([f(a, b) for a, b in zip(z, t, strict=True)])
    analytic = binary_cross_entropy_with_logits_grad(z, t, reduction="sum")
    np.testing.assert_allclose(analytic, expected, rtol=1e-12, atol=1e-300)
    mid = np.abs(z) < 10
    numeric = numerical_gradient(
        lambda v: losses.binary_cross_entropy_with_logits(v, t[mid], reduction="sum"), z[mid]
    )
    np.testing.assert_allclose(numeric, expected[mid], rtol=1e-6, atol=1e-8)


@pytest.mark.torch
def test_bce_gradient_and_stable_form_match_torch(torch, rng) -> None:
    grad = _numbers(_scalar_result("bce-sigmoid-gradient"), [sig.z, sig.t])
    value = _numbers(_scalar_result("bce-logits-form"), [sig.z, sig.t])
    z, t = _bce_points(rng)
    x = torch.tensor(z, requires_grad=True)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(
        x, torch.tensor(t), reduction="none"
    )
    loss.sum().backward()
    for a, b, g, v in zip(z, t, x.grad.tolist(), loss.tolist(), strict=True):
        assert g == pytest.approx(grad(a, b), **FLOAT)
        assert v == pytest.approx(value(a, b), **FLOAT)


def test_bce_stable_form_matches_the_loss_and_the_definition(rng) -> None:
    d = get("bce-logits-form")
    stable = _numbers(_scalar_result("bce-logits-form"), [sig.z, sig.t])
    definition = _numbers(prove.unfold(sig.BCE.rhs, d.assumptions), [sig.z, sig.t])
    z, t = _bce_points(rng)
    ours = losses.binary_cross_entropy_with_logits(z, t, reduction="none")
    for a, b, v in zip(z, t, ours, strict=True):
        assert float(v) == pytest.approx(stable(a, b), rel=1e-12, abs=1e-300)
        if abs(a) <= 40:  # beyond, 1 - sigma(z) needs more than 50 digits
            assert definition(a, b) == pytest.approx(stable(a, b), rel=1e-30, abs=1e-300)


def test_mse_gradient_matches_analytic_and_central_differences() -> None:
    f = _numbers(_scalar_result("mse-sigmoid-gradient"), [sig.z, sig.y])
    for z in SCALAR_POINTS:
        for y in (0.0, 0.3, 1.0):
            analytic = 2 * (float(sigmoid(z)) - y) * float(sigmoid_derivative(z))
            assert analytic == pytest.approx(f(z, y), **FLOAT)
    for z in MODERATE:
        numeric = numerical_gradient(lambda v: float((sigmoid(v[0]) - 0.3) ** 2), [z])[0]
        assert numeric == pytest.approx(f(z, 0.3), rel=1e-7, abs=1e-9)


@pytest.mark.torch
def test_mse_gradient_matches_torch(torch) -> None:
    f = _numbers(_scalar_result("mse-sigmoid-gradient"), [sig.z, sig.y])
    x = torch.tensor(SCALAR_POINTS, dtype=torch.float64, requires_grad=True)
    ((torch.sigmoid(x) - 0.3) ** 2).sum().backward()
    for z, g in zip(SCALAR_POINTS, x.grad.tolist(), strict=True):
        assert g == pytest.approx(f(z, 0.3), **FLOAT)


# -- softmax ---------------------------------------------------------------------------------


def _partials(k: int):
    d = get("softmax-partials")
    rhs = d.results[0].rhs
    return _matrix(
        None,
        "softmax-partials",
        k,
        lambda r, c, at: prove.instantiate(rhs, d.assumptions, at, {nt.i: r, nt.j: c}),
    )


def _numerical_jacobian(f, z: np.ndarray) -> np.ndarray:
    return np.array([numerical_gradient(lambda v, r=r: float(f(v)[r]), z) for r in range(len(z))])


@pytest.mark.parametrize("k", KS)
def test_softmax_jacobian_matches_analytic_and_central_differences(rng, k: int) -> None:
    matrix = _matrix(get("softmax-jacobian").results[0].rhs, "softmax-jacobian", k)
    partials = _partials(k)
    for z in _logits(rng, k):
        expected = matrix(z)
        np.testing.assert_allclose(partials(z), expected, rtol=1e-13, atol=1e-300)
        np.testing.assert_allclose(softmax_jacobian(z), expected, rtol=1e-9, atol=1e-15)
        if np.ptp(z) < 20:
            numeric = _numerical_jacobian(softmax, z)
            np.testing.assert_allclose(numeric, expected, rtol=1e-6, atol=1e-9)


@pytest.mark.torch
@pytest.mark.parametrize("k", KS)
def test_softmax_jacobian_matches_torch(torch, rng, k: int) -> None:
    matrix = _matrix(get("softmax-jacobian").results[0].rhs, "softmax-jacobian", k)
    for z in _logits(rng, k):
        jac = torch.autograd.functional.jacobian(lambda x: torch.softmax(x, dim=0), torch.tensor(z))
        np.testing.assert_allclose(jac.numpy(), matrix(z), rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("k", KS)
def test_softmax_jacobian_properties_hold_numerically(rng, k: int) -> None:
    matrix = _matrix(get("softmax-jacobian").results[0].rhs, "softmax-jacobian", k)
    for z in _logits(rng, k):
        jac = matrix(z)
        p = softmax(z)
        np.testing.assert_allclose(jac, jac.T, rtol=0, atol=0)
        np.testing.assert_allclose(jac @ np.ones(k), 0, atol=1e-15)
        v = rng.normal(size=k)
        variance = np.sum(p * (v - np.sum(p * v)) ** 2)
        assert v @ jac @ v == pytest.approx(variance, rel=1e-9, abs=1e-15)
        assert np.linalg.eigvalsh(jac).min() > -1e-15


# -- softmax cross-entropy -------------------------------------------------------------------


def _targets(rng: np.random.Generator, k: int) -> list[np.ndarray]:
    one_hot = np.eye(k)[rng.integers(k)]
    return [one_hot, rng.dirichlet(np.ones(k))]


@pytest.mark.parametrize("k", KS)
def test_ce_gradient_matches_analytic_and_central_differences(rng, k: int) -> None:
    d = get("ce-softmax-gradient")
    general = _vector(d.results[0].rhs, d.id, k)
    summed = _vector(d.results[1].rhs, d.id, k)
    for z in _logits(rng, k):
        for t in _targets(rng, k):
            expected = summed(z, t)
            np.testing.assert_allclose(general(z, t), expected, rtol=1e-12, atol=1e-15)
            analytic = cross_entropy_grad(z[None], t[None], reduction="sum")[0]
            np.testing.assert_allclose(analytic, expected, rtol=1e-9, atol=1e-15)
            assert abs(expected.sum()) < 1e-14
        if np.ptp(z) < 20:
            soft = 2.5 * rng.random(k)  # the general form, with targets that do not sum to 1
            numeric = numerical_gradient(lambda v, t=soft: -float(np.sum(t * log_softmax(v))), z)
            np.testing.assert_allclose(numeric, general(z, soft), rtol=1e-6, atol=1e-8)


@pytest.mark.torch
@pytest.mark.parametrize("k", KS)
def test_ce_gradient_matches_torch(torch, rng, k: int) -> None:
    d = get("ce-softmax-gradient")
    general = _vector(d.results[0].rhs, d.id, k)
    for z in _logits(rng, k):
        for t in [*_targets(rng, k), 2.5 * rng.random(k)]:
            x = torch.tensor(z[None], requires_grad=True)
            torch.nn.functional.cross_entropy(x, torch.tensor(t[None]), reduction="sum").backward()
            np.testing.assert_allclose(x.grad[0].numpy(), general(z, t), rtol=1e-9, atol=1e-15)


def _hessian(k: int):
    d = get("ce-softmax-hessian")
    rhs = d.results[0].rhs
    return _matrix(
        None,
        d.id,
        k,
        lambda r, c, at: prove.instantiate(rhs, d.assumptions, at, {nt.i: r, nt.j: c}),
    )


@pytest.mark.parametrize("k", KS)
def test_ce_hessian_matches_analytic_and_central_differences(rng, k: int) -> None:
    hessian = _hessian(k)
    for z in _logits(rng, k):
        expected = hessian(z)
        np.testing.assert_allclose(softmax_jacobian(z), expected, rtol=1e-9, atol=1e-15)
        if np.ptp(z) < 20:
            t = rng.dirichlet(np.ones(k))
            numeric = _numerical_jacobian(
                lambda v, t=t: cross_entropy_grad(v[None], t[None], reduction="sum")[0], z
            )
            np.testing.assert_allclose(numeric, expected, rtol=1e-6, atol=1e-9)


@pytest.mark.torch
@pytest.mark.parametrize("k", KS)
def test_ce_hessian_matches_torch(torch, rng, k: int) -> None:
    hessian = _hessian(k)
    for z in _logits(rng, k):
        t = torch.tensor(rng.dirichlet(np.ones(k))[None])
        h = torch.autograd.functional.hessian(
            lambda x, t=t: torch.nn.functional.cross_entropy(x[None], t, reduction="sum"),
            torch.tensor(z),
        )
        np.testing.assert_allclose(h.numpy(), hessian(z), rtol=1e-9, atol=1e-15)


def _smoothing(k: int):
    d = get("label-smoothing-gradient")
    from ce_book.derivations.cross_entropy import eps

    return lambda e: _vector(d.results[0].rhs, d.id, k, {eps: sp.Float(e, 30)})


@pytest.mark.parametrize("k", KS)
def test_label_smoothing_gradient_matches_analytic_and_central_differences(rng, k: int) -> None:
    for e in (0.0, 0.1, 0.35):
        f = _smoothing(k)(e)
        for z in _logits(rng, k):
            y = int(rng.integers(k))
            expected = f(z, np.eye(k)[y])
            analytic = cross_entropy_grad(z[None], [y], reduction="sum", label_smoothing=e)[0]
            np.testing.assert_allclose(analytic, expected, rtol=1e-9, atol=1e-15)
            if np.ptp(z) < 20:
                numeric = numerical_gradient(
                    lambda v, y=y, e=e: float(
                        losses.cross_entropy(v[None], [y], reduction="sum", label_smoothing=e)
                    ),
                    z,
                )
                np.testing.assert_allclose(numeric, expected, rtol=1e-6, atol=1e-8)


@pytest.mark.torch
@pytest.mark.parametrize("k", KS)
def test_label_smoothing_gradient_matches_torch(torch, rng, k: int) -> None:
    f = _smoothing(k)(0.2)
    for z in _logits(rng, k):
        y = int(rng.integers(k))
        x = torch.tensor(z[None], requires_grad=True)
        torch.nn.functional.cross_entropy(
            x, torch.tensor([y]), reduction="sum", label_smoothing=0.2
        ).backward()
        np.testing.assert_allclose(x.grad[0].numpy(), f(z, np.eye(k)[y]), rtol=1e-9, atol=1e-15)


# -- information theory and likelihood -------------------------------------------------------


@pytest.mark.parametrize("k", KS)
def test_ce_entropy_kl_and_base_change_match_info(rng, k: int) -> None:
    from ce_book.derivations import information as inf

    d = get("ce-entropy-kl")
    at = {nt.K: k}
    ps = [inf.p[n] for n in range(1, k + 1)]
    qs = [inf.q[n] for n in range(1, k + 1)]
    lhs = _numbers(prove.instantiate(d.results[0].lhs, d.assumptions, at), ps + qs)
    rhs = _numbers(prove.instantiate(d.results[0].rhs, d.assumptions, at), ps + qs)
    base = get("log-base-change")
    in_base = _numbers(
        prove.instantiate(base.results[0].rhs, base.assumptions, at), [*ps, *qs, inf.b]
    )
    for _ in range(4):
        p, q = rng.dirichlet(np.ones(k)), rng.dirichlet(np.full(k, 0.3))
        q = np.maximum(q, 1e-300) / np.sum(np.maximum(q, 1e-300))
        assert lhs(*p, *q) == pytest.approx(rhs(*p, *q), rel=1e-40)
        assert float(info.cross_entropy(p, q)) == pytest.approx(rhs(*p, *q), rel=1e-12)
        split = float(info.entropy(p) + info.kl_divergence(p, q))
        assert split == pytest.approx(rhs(*p, *q), rel=1e-12)
        for b in (2.0, 10.0, np.e):
            ours = float(info.cross_entropy(p, q, base=b))
            assert ours == pytest.approx(in_base(*p, *q, b), rel=1e-12)


def test_mle_bernoulli_matches_likelihood_and_mean_bce(rng) -> None:
    from ce_book.derivations import likelihood as lk

    d = get("mle-bernoulli")
    for n in (1, 4, 7):
        at = {lk.N: n}
        qs, ys = [lk.q[m] for m in range(1, n + 1)], [lk.y[m] for m in range(1, n + 1)]
        expr = d.results[0].rhs.xreplace(at).doit()
        f = _numbers(expr, qs + ys)
        q, y = rng.uniform(0.01, 0.99, n), rng.integers(0, 2, n).astype(float)
        expected = f(*q, *y)
        assert likelihood.bernoulli_log_likelihood(q, y) == pytest.approx(expected, rel=1e-12)
        mean_bce = float(losses.binary_cross_entropy(q, y, reduction="mean"))
        assert -n * mean_bce == pytest.approx(expected, rel=1e-12)


def test_mle_categorical_matches_likelihood_and_mean_nll(rng) -> None:
    from ce_book.derivations import likelihood as lk

    d = get("mle-categorical")
    for n, k in ((1, 2), (3, 4), (5, 6)):
        at = {lk.N: n, nt.K: k}
        cells = [(a, c) for a in range(1, n + 1) for c in range(1, k + 1)]
        expr = d.results[0].rhs.xreplace(at).doit()
        f = _numbers(expr, [lk.q[a, c] for a, c in cells] + [lk.t[a, c] for a, c in cells])
        q = rng.dirichlet(np.ones(k), n)
        y = rng.integers(0, k, n)
        expected = f(*q.ravel(), *np.eye(k)[y].ravel())
        assert likelihood.categorical_log_likelihood(q, y) == pytest.approx(expected, rel=1e-12)
        mean_nll = float(losses.nll_loss(np.log(q), y, reduction="mean"))
        assert -n * mean_nll == pytest.approx(expected, rel=1e-12)


@pytest.mark.torch
def test_mle_categorical_matches_torch(torch, rng) -> None:
    from ce_book.derivations import likelihood as lk

    d = get("mle-categorical")
    n, k = 4, 3
    at = {lk.N: n, nt.K: k}
    cells = [(a, c) for a in range(1, n + 1) for c in range(1, k + 1)]
    f = _numbers(
        d.results[0].rhs.xreplace(at).doit(),
        [lk.q[a, c] for a, c in cells] + [lk.t[a, c] for a, c in cells],
    )
    q, y = rng.dirichlet(np.ones(k), n), rng.integers(0, k, n)
    nll = torch.nn.functional.nll_loss(torch.tensor(np.log(q)), torch.tensor(y))
    assert -n * float(nll) == pytest.approx(f(*q.ravel(), *np.eye(k)[y].ravel()), rel=1e-12)
