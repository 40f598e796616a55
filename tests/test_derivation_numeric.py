"""Each derivation's symbolic result, turned into numbers (mpmath at 50 digits), agrees with
three independent computations: the analytic code in ``ce_book``, central differences, and
PyTorch autograd; at random points, extreme points, and for K = 2..6."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

from ce_book import info, likelihood, losses
from ce_book.activations import log_sigmoid, log_softmax, logsumexp, sigmoid, softmax
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
        expr = prove.unfold(d.results[0].rhs, d.assumptions).xreplace(at).doit()
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


# -- the derivations added for issue 11 ------------------------------------------------------
# Each result is turned into numbers and compared with an independent computation: mpmath at 50
# digits from the definitions, central differences, or the book's numerical code.


def _mp(expr: sp.Basic, args: list[sp.Basic]):
    """``expr`` evaluated in mpmath at 50 digits (``log1p`` as mpmath's ``log1p``)."""
    keep = sp.Function("mplog1p")
    expr = expr.replace(nt.Log1p, keep).doit()
    f = sp.lambdify(args, expr, modules=[{"mplog1p": mpmath.log1p}, "mpmath"], dummify=True)

    def call(*values) -> mpmath.mpf:
        with mpmath.workdps(50):
            return f(
                *(x if isinstance(x, mpmath.mpf) else mpmath.mpf(str(float(x))) for x in values)
            )

    return call


def _instance(id: str, expr: sp.Basic, k: int, point: dict | None = None) -> sp.Basic:
    """``expr`` at ``K = k`` (and the index values ``point``), notation unfolded, ``log1p`` kept."""
    d = get(id)
    expr = prove.unfold(expr, d.assumptions).xreplace({nt.K: k, **(point or {})})
    return expr.replace(nt.Log1p, sp.Function("mplog1p")).doit()


def _distribution(values) -> list[mpmath.mpf]:
    """``values`` as a distribution that sums to 1 at 50 digits."""
    with mpmath.workdps(50):
        v = [mpmath.mpf(str(float(x))) for x in values]
        total = mpmath.fsum(v)
        return [x / total for x in v]


def test_log_tangent_bound_holds_and_touches_at_one() -> None:
    d = get("log-tangent-bound")
    (x,) = d.results[0].free_symbols
    gap = _mp(d.results[0].rhs - d.results[0].lhs, [x])
    for value in (1e-6, 0.01, 0.5, 0.999, 1.0, 1.001, 2.0, 50.0):
        with mpmath.workdps(50):
            expected = mpmath.mpf(str(value)) - 1 - mpmath.log(mpmath.mpf(str(value)))
        assert gap(value) == pytest.approx(expected, rel=1e-40, abs=1e-60)
        assert gap(value) >= 0
    assert gap(1.0) == 0


@pytest.mark.parametrize("k", [2, 3, 5])
def test_gibbs_and_entropy_bounds_hold_for_random_distributions(rng, k: int) -> None:
    from ce_book.derivations import information as inf

    kl = get("gibbs-inequality")
    ps, qs = [inf.p[n] for n in range(1, k + 1)], [inf.q[n] for n in range(1, k + 1)]
    divergence = _mp(_instance(kl.id, kl.results[0].lhs, k), ps + qs)
    bounds = get("entropy-bounds")
    entropy = _mp(_instance(bounds.id, bounds.results[0].lhs, k), ps)
    for alpha in (0.05, 1.0, 50.0):
        p, q = rng.dirichlet(np.full(k, alpha)), rng.dirichlet(np.full(k, alpha))
        p, q = np.maximum(p, 1e-12), np.maximum(q, 1e-12)
        p, q = p / p.sum(), q / q.sum()
        mp_p, mp_q = _distribution(p), _distribution(q)  # summing to 1 at 50 digits
        kl = divergence(*mp_p, *mp_q)
        assert float(kl) == pytest.approx(float(info.kl_divergence(p, q)), rel=1e-6, abs=1e-14)
        assert kl >= 0
        h = entropy(*mp_p)
        assert float(h) == pytest.approx(float(info.entropy(p)), rel=1e-9, abs=1e-15)
        assert 0 <= h <= mpmath.log(k) + mpmath.mpf(10) ** -40
    uniform = _distribution(np.ones(k))
    assert float(entropy(*uniform)) == pytest.approx(np.log(k), rel=1e-12)


def test_sigmoid_slope_is_at_most_a_quarter_and_the_gradient_ratio() -> None:
    bound = get("sigmoid-derivative-bound")
    slope = _mp(prove.unfold(bound.results[0].lhs, bound.assumptions), [sig.z])
    ratio = get("bce-mse-gradient-ratio")
    rhs = _mp(prove.unfold(ratio.results[0].rhs, ratio.assumptions), [sig.z])
    for z in MODERATE:
        numeric = numerical_gradient(lambda v: float(sigmoid(v[0])), [z])[0]
        assert float(slope(z)) == pytest.approx(numeric, rel=1e-7, abs=1e-9)
        assert slope(z) <= mpmath.mpf(1) / 4
        # BCE's gradient over squared error's, each from the book's code, for a target of 0.3
        bce = float(sigmoid(z)) - 0.3
        mse = 2 * (float(sigmoid(z)) - 0.3) * float(sigmoid_derivative(z))
        assert bce / mse == pytest.approx(float(rhs(z)), rel=1e-9)
    assert slope(0.0) == mpmath.mpf(1) / 4


def test_two_class_softmax_is_the_sigmoid_of_the_difference(rng) -> None:
    d = get("softmax-two-class-sigmoid")
    f = _mp(prove.unfold(d.results[0].rhs, d.assumptions), [nt.z[1], nt.z[2]])
    for z in [rng.normal(0, 3, 2) for _ in range(5)] + [np.array([40.0, -40.0])]:
        assert float(f(*z)) == pytest.approx(float(softmax(z)[0]), rel=1e-12)


def test_categorical_mle_is_the_frequencies(rng) -> None:
    from ce_book.derivations import likelihood as lk

    d = get("mle-categorical-counts")
    k = 4
    counts = rng.integers(1, 20, k)
    ns, qs = [lk.c[m] for m in range(1, k + 1)], [lk.q[m] for m in range(1, k + 1)]
    at = {lk.N: int(counts.sum())}
    left = _mp(_instance(d.id, d.results[0].lhs, k).xreplace(at), ns + qs)
    right = _mp(_instance(d.id, d.results[0].rhs, k).xreplace(at), ns)
    best = right(*counts)
    for _ in range(20):
        q = rng.dirichlet(np.ones(k))
        assert left(*counts, *q) <= best
    assert left(*counts, *(counts / counts.sum())) == pytest.approx(best, rel=1e-30)


@pytest.mark.parametrize("k", [2, 3, 5])
def test_temperature_gradient_matches_central_differences(rng, k: int) -> None:
    from ce_book.derivations.cross_entropy import T

    d = get("temperature-gradient")
    zs, ts = [nt.z[n] for n in range(1, k + 1)], [nt.t[n] for n in range(1, k + 1)]
    rows = [
        _mp(_instance(d.id, d.results[0].rhs, k, {nt.j: n}), [*zs, *ts, T]) for n in range(1, k + 1)
    ]
    for temp in (0.5, 1.0, 3.0):
        z, t = rng.normal(0, 2, k), rng.dirichlet(np.ones(k))
        numeric = numerical_gradient(
            lambda v, t=t, temp=temp: -float(np.sum(t * log_softmax(v / temp))), z
        )
        expected = [float(f(*z, *t, temp)) for f in rows]
        np.testing.assert_allclose(numeric, expected, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("k", [2, 3, 6])
def test_l1_distance_to_a_one_hot_target(rng, k: int) -> None:
    from ce_book.derivations.cross_entropy import y

    d = get("l1-distance-one-hot")
    ps = [nt.p[n] for n in range(1, k + 1)]
    for true in range(1, k + 1):
        f = _mp(_instance(d.id, d.results[0].rhs, k, {y: true}), ps)
        p = softmax(rng.normal(0, 2, k))
        expected = np.abs(p - np.eye(k)[true - 1]).sum()
        assert float(f(*p)) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("k", [2, 3, 6])
def test_log_sum_exp_shift_and_log1p_forms(rng, k: int) -> None:
    from ce_book.derivations import stability as st

    shift, log1p = get("log-sum-exp-shift"), get("log-softmax-log1p")
    zs = [nt.z[n] for n in range(1, k + 1)]
    shifted = _mp(_instance(shift.id, shift.results[0].rhs, k), [*zs, st.m])
    for z in [rng.normal(0, 5, k), np.linspace(-300, 300, k)]:
        with mpmath.workdps(50):
            exact = mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(str(x))) for x in z))
        assert float(shifted(*z, float(np.max(z)))) == pytest.approx(float(exact), rel=1e-15)
        assert float(shifted(*z, 0.7)) == pytest.approx(float(exact), rel=1e-15)
        assert float(logsumexp(z)) == pytest.approx(float(exact), rel=1e-14)
        top = int(np.argmax(z)) + 1
        loss = _mp(_instance(log1p.id, log1p.results[0].rhs, k, {st.y: top}), zs)
        assert float(loss(*z)) == pytest.approx(
            -float(log_softmax(z)[top - 1]), rel=1e-12, abs=1e-300
        )


def test_stable_log_sigmoid_matches_mpmath_and_the_code() -> None:
    from ce_book.derivations import stability as st

    d = get("log-sigmoid-stable")
    f = _mp(prove.unfold(d.results[0].rhs, d.assumptions), [st.x])
    for z in SCALAR_POINTS:
        with mpmath.workdps(50):
            exact = -mpmath.log(1 + mpmath.exp(-mpmath.mpf(str(z))))
        assert float(f(z)) == pytest.approx(float(exact), rel=1e-15, abs=1e-300)
        assert float(log_sigmoid(z)) == pytest.approx(float(exact), rel=1e-13, abs=1e-300)


def test_focal_weight_is_never_negative() -> None:
    from ce_book.derivations import beyond as bd

    d = get("focal-weight-nonnegative")
    g = _mp(prove.unfold(d.results[0].lhs, d.assumptions), [bd.p[bd.y], bd.gamma])
    for p in (1e-9, 0.01, 0.3, 0.5, 0.9, 0.999999):
        for gamma in (0.1, 0.5, 1.0, 2.0, 5.0):
            with mpmath.workdps(50):
                pm, gm = mpmath.mpf(str(p)), mpmath.mpf(str(gamma))
                expected = (1 - pm) ** gm - gm * pm * (1 - pm) ** (gm - 1) * mpmath.log(pm)
            assert g(p, gamma) == pytest.approx(expected, rel=1e-40)
            assert g(p, gamma) >= 0
