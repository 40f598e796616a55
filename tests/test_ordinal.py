"""The ordinal EMD loss and its gradient against SymPy, a torch transcription with autograd,
central differences and mpmath; and the seed's distance-scaled field shown non-conservative."""

from __future__ import annotations

import itertools

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from ce_book.gradients import numerical_gradient
from ce_book.ordinal import distance_scaled_field, emd_loss, emd_loss_grad

RNG = np.random.default_rng(2016)


def random_distributions(n: int, k: int) -> np.ndarray:
    w = RNG.gamma(1.0, size=(n, k))
    return w / w.sum(axis=-1, keepdims=True)


# ---------- SymPy: the loss written from its definition, differentiated symbolically ----------


@pytest.mark.parametrize("k", [2, 3, 4, 5])
@pytest.mark.parametrize("power", [1, 2])
def test_gradient_matches_sympy(k, power):
    z = sp.symbols(f"z0:{k}", real=True)
    e = [sp.exp(v) for v in z]
    p = [v / sum(e) for v in e]
    for y in range(k):
        # For a one-hot target the gap P_k - T_k is positive below y and negative from y on.
        gaps = [sum(p[: b + 1]) - (1 if b >= y else 0) for b in range(k - 1)]
        loss = sum((g if b < y else -g) ** power for b, g in enumerate(gaps))
        grad = sp.lambdify(z, [sp.diff(loss, v) for v in z], "mpmath")
        point = RNG.normal(size=k)
        expected = np.array([float(v) for v in grad(*point)])
        assert float(emd_loss(point, y, power)) == pytest.approx(
            float(sp.lambdify(z, loss, "mpmath")(*point)), rel=1e-13
        )
        np.testing.assert_allclose(emd_loss_grad(point, y, power), expected, rtol=1e-11)


# ---------- torch: a direct transcription of the formula, differentiated by autograd ---------


def torch_emd(z, t, power, reduction):
    import torch

    gap = torch.cumsum(torch.softmax(z, -1), -1)[..., :-1] - torch.cumsum(t, -1)[..., :-1]
    loss = (gap.abs() ** power).sum(-1)
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


@pytest.mark.torch
@pytest.mark.parametrize("power", [1.0, 1.5, 2.0, 3.0])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("soft", [False, True])
def test_matches_torch_autograd(power, reduction, soft):
    import torch

    z = RNG.normal(scale=2.0, size=(6, 5))
    if soft:
        t = random_distributions(6, 5)
        target = t
    else:
        target = RNG.integers(0, 5, size=6)
        t = np.eye(5)[target]
    zt = torch.tensor(z, requires_grad=True)
    ref = torch_emd(zt, torch.tensor(t), power, reduction)
    ref.backward(torch.ones_like(ref))
    got = emd_loss(z, target, power, reduction)
    np.testing.assert_allclose(got, ref.detach().numpy(), rtol=1e-12, atol=1e-15)
    grad = emd_loss_grad(z, target, power, reduction)
    np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("power", [1.0, 2.0, 2.5])
def test_gradient_vs_central_differences(power):
    z = RNG.normal(size=(3, 6))
    t = random_distributions(3, 6)
    num = numerical_gradient(lambda v: emd_loss(v, t, power, "sum"), z)
    np.testing.assert_allclose(emd_loss_grad(z, t, power, "sum"), num, rtol=1e-6, atol=1e-8)


# ---------- accuracy at extreme logits: mpmath at 50 digits --------------------------------


def mp_emd_index(z, y, power):
    zs = [mp.mpf(v) for v in z]
    top = max(zs)
    e = [mp.exp(v - top) for v in zs]
    p = [v / mp.fsum(e) for v in e]
    below = [mp.fsum(p[: b + 1]) for b in range(len(p) - 1)]  # P_b, exact when small
    above = [mp.fsum(p[b + 1 :]) for b in range(len(p) - 1)]  # 1 - P_b, likewise
    return mp.fsum((below[b] if b < y else above[b]) ** power for b in range(len(p) - 1))


@pytest.mark.parametrize("scale", [1.0, 30.0, 300.0, 1e4, 1e30])
@pytest.mark.parametrize("power", [1, 2])
def test_extreme_logits_vs_mpmath(scale, power):
    z = np.array([0.5, 1.0, -0.25, 0.0]) * scale
    with mp.workdps(50):
        for y in range(4):
            ref = float(mp_emd_index(z, y, power))
            got = float(emd_loss(z, y, power))
            assert abs(got - ref) <= 4e-15 * ref + 1e-300
            assert np.isfinite(emd_loss_grad(z, y, power)).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_preserves_dtype(dtype):
    z = np.array([[3.0, 1.0, -2.0], [1e4, 0.0, 0.0]], dtype=dtype)
    assert emd_loss(z, np.array([0, 2])).dtype == dtype
    assert emd_loss_grad(z, np.array([0, 2])).dtype == dtype
    assert emd_loss(z, np.full((2, 3), 1 / 3, dtype=dtype)).dtype == dtype
    assert distance_scaled_field(z, np.array([0, 2])).dtype == dtype


# ---------- the properties the chapter relies on -------------------------------------------


@settings(max_examples=80, deadline=None)
@given(st.lists(st.floats(-30, 30), min_size=2, max_size=7), st.data())
def test_w1_is_expected_distance_and_gradient_sums_to_zero(z, data):
    y = data.draw(st.integers(0, len(z) - 1))
    z = np.array(z)
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    d = np.abs(np.arange(len(z)) - y)
    assert emd_loss(z, y, power=1) == pytest.approx(float(d @ p), rel=1e-12, abs=1e-300)
    # Hand derivation: d/dz_j sum_i d_i p_i = p_j (d_j - sum_i d_i p_i), in mpmath (the
    # difference d_j - mean cancels in float64 when one class takes nearly all the mass)
    with mp.workdps(50):
        e = [mp.exp(mp.mpf(v)) for v in z]
        mp_p = [v / mp.fsum(e) for v in e]
        mean = mp.fsum(int(di) * pi for di, pi in zip(d, mp_p, strict=True))
        ref = np.array([float(pi * (int(di) - mean)) for di, pi in zip(d, mp_p, strict=True)])
    np.testing.assert_allclose(emd_loss_grad(z, y, power=1), ref, rtol=1e-9, atol=1e-15 * len(z))
    for power in (1, 2):
        g = emd_loss_grad(z, y, power)
        assert abs(g.sum()) <= 1e-14 * max(1.0, np.abs(g).max())


def test_reversing_the_class_order_changes_nothing():
    z = RNG.normal(size=(5, 6))
    y = RNG.integers(0, 6, size=5)
    np.testing.assert_allclose(
        emd_loss(z, y, reduction="none"), emd_loss(z[:, ::-1], 5 - y, 2, "none")
    )


def test_far_mistakes_cost_more_than_near_ones():
    # 0.8 of the mass on one wrong class, the rest spread evenly: CE cannot tell where.
    k = 5
    costs = []
    for wrong in range(1, k):
        p = np.full(k, 0.05)
        p[wrong] = 0.8
        costs.append(float(emd_loss(np.log(p), 0)))
    assert all(a < b for a, b in itertools.pairwise(costs))


# ---------- the seed's distance-scaled field -------------------------------------------------


def test_distance_scaled_field_matches_its_definition():
    z = np.array([0.3, -1.0, 2.0, 0.5])
    p = np.exp(z) / np.exp(z).sum()
    expected = np.array([p[0], p[1] - 1, p[2], p[3] / 2])
    np.testing.assert_allclose(distance_scaled_field(z, 1), expected, rtol=1e-14)
    assert distance_scaled_field(np.array([1e4, 0.0, 0.0]), 0)[0] == 0.0


def test_distance_scaled_field_has_an_asymmetric_jacobian():
    # A gradient field has a symmetric Jacobian (the Hessian); this one does not.
    z = np.array([0.2, -0.4, 0.9])
    jac = np.stack(
        [numerical_gradient(lambda v, i=i: distance_scaled_field(v, 0)[i], z) for i in range(3)]
    )
    p = np.exp(z) / np.exp(z).sum()
    assert jac[1, 2] == pytest.approx(-p[1] * p[2], rel=1e-7)
    assert jac[2, 1] == pytest.approx(-p[1] * p[2] / 2, rel=1e-7)


@pytest.mark.parametrize(
    ("call", "exc", "name"),
    [
        (lambda: emd_loss([0.0, 1.0], 0, power=0.5), ValueError, "power"),
        (lambda: emd_loss([0.0, 1.0], 0, power="2"), TypeError, "power"),
        (lambda: emd_loss([0.0], 0), ValueError, "input"),
        (lambda: emd_loss(np.zeros((2, 2, 2)), 0), ValueError, "input"),
        (lambda: emd_loss([0.0, np.nan], 0), ValueError, "input"),
        (lambda: emd_loss(np.zeros((0, 3)), np.zeros(0, int)), ValueError, "input"),
        (lambda: emd_loss([0.0, 1.0], 2), ValueError, "target"),
        (lambda: emd_loss([[0.0, 1.0]], [0, 1]), ValueError, "target"),
        (lambda: emd_loss([0.0, 1.0], [0.5, 0.6]), ValueError, "target"),
        (lambda: emd_loss([0.0, 1.0], [1.0, 0.0, 0.0]), ValueError, "target"),
        (lambda: emd_loss([0.0, 1.0], 0, reduction="avg"), ValueError, "reduction"),
        (lambda: distance_scaled_field([0.0, 1.0], [1.0, 0.0]), TypeError, "target"),
    ],
)
def test_bad_input_names_the_argument(call, exc, name):
    with pytest.raises(exc, match=f"^{name}:"):
        call()


# ---------- the derivations, turned into numbers ------------------------------------------------


@pytest.mark.parametrize("k", [2, 3, 5])
def test_emd_derivation_result_matches_the_code(k):
    from ce_book.derivations import beyond, get, prove
    from ce_book.derivations import notation as nt

    d = get("emd-ordinal-gradient")
    zs = [nt.z[n] for n in range(1, k + 1)]
    z = RNG.normal(scale=2.0, size=k)
    for y in range(1, k + 1):
        distances = {beyond.d[n]: abs(n - y) for n in range(1, k + 1)}
        rows = [
            prove.instantiate(d.results[0].rhs, d.assumptions, {nt.K: k}, {nt.j: j}).xreplace(
                distances
            )
            for j in range(1, k + 1)
        ]
        f = sp.lambdify(zs, rows, modules="mpmath")
        with mp.workdps(50):
            expected = np.array([float(v) for v in f(*map(mp.mpf, z))])
        np.testing.assert_allclose(
            emd_loss_grad(z, y - 1, power=1), expected, rtol=1e-12, atol=1e-15
        )


def test_curl_derivation_matches_the_field():
    from ce_book.derivations import beyond, get, prove
    from ce_book.derivations import notation as nt

    d = get("distance-scaled-gradient-not-conservative")
    curl = d.results[0].rhs  # dF_i/dz_j - dF_j/dz_i
    z = np.array([0.4, -0.3, 1.1, 0.2])
    zs = [nt.z[n] for n in range(1, 5)]
    jac = np.stack(
        [numerical_gradient(lambda v, i=i: distance_scaled_field(v, 0)[i], z) for i in range(4)]
    )
    for i, j in [(2, 3), (2, 4), (3, 4)]:
        value = prove.instantiate(curl, d.assumptions, {nt.K: 4}, {nt.i: i, nt.j: j})
        value = value.xreplace({beyond.s[i]: i - 1, beyond.s[j]: j - 1})
        with mp.workdps(50):
            expected = float(sp.lambdify(zs, value, modules="mpmath")(*map(mp.mpf, z)))
        assert jac[i - 1, j - 1] - jac[j - 1, i - 1] == pytest.approx(expected, rel=1e-6)
        assert expected != 0
