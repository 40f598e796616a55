"""Focal loss against independent references: torch transcriptions of Lin et al. (2017),
mpmath at 50 digits, central differences, and the gamma = 0 reduction to cross-entropy."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ce_book.focal import (
    sigmoid_focal_loss,
    sigmoid_focal_loss_grad,
    softmax_focal_loss,
    softmax_focal_loss_grad,
)
from ce_book.gradients import numerical_gradient

RNG = np.random.default_rng(20170807)
GAMMAS = (0.0, 0.5, 1.0, 2.0, 5.0)


# ---------- binary: torch transcription of the published formula (torchvision semantics) ----


def torch_sigmoid_focal(z, t, alpha, gamma, reduction):
    """Lin et al. eq. (5) as torchvision.ops.sigmoid_focal_loss writes it, retyped in torch."""
    import torch
    import torch.nn.functional as F

    p = torch.sigmoid(z)
    ce = F.binary_cross_entropy_with_logits(z, t, reduction="none")
    p_t = p * t + (1 - p) * (1 - t)
    loss = ce * (1 - p_t) ** gamma
    if alpha is not None:
        loss = (alpha * t + (1 - alpha) * (1 - t)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


@pytest.mark.torch
@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("alpha", [None, 0.25, 0.9])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("soft", [False, True])
def test_sigmoid_focal_matches_torch(gamma, alpha, reduction, soft):
    import torch

    z = RNG.normal(scale=4.0, size=(6, 3))
    t = RNG.uniform(size=z.shape) if soft else RNG.integers(0, 2, size=z.shape).astype(float)
    zt = torch.tensor(z, requires_grad=True)
    ref = torch_sigmoid_focal(zt, torch.tensor(t), alpha, gamma, reduction)
    ref.backward(torch.ones_like(ref))
    got = sigmoid_focal_loss(z, t, alpha=alpha, gamma=gamma, reduction=reduction)
    np.testing.assert_allclose(got, ref.detach().numpy(), rtol=1e-12, atol=1e-15)
    grad = sigmoid_focal_loss_grad(z, t, alpha=alpha, gamma=gamma, reduction=reduction)
    np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=1e-10, atol=1e-15)


@pytest.mark.torch
def test_sigmoid_focal_gamma_zero_is_bce_with_logits():
    import torch
    import torch.nn.functional as F

    z = RNG.normal(scale=3.0, size=10)
    t = RNG.integers(0, 2, size=10).astype(float)
    ref = F.binary_cross_entropy_with_logits(torch.tensor(z), torch.tensor(t))
    assert sigmoid_focal_loss(z, t, gamma=0.0) == pytest.approx(float(ref), rel=1e-14)


def mp_binary_focal(z, t, alpha, gamma):
    z, t = mp.mpf(z), mp.mpf(t)
    log_p, log_q = -mp.log1p(mp.exp(-z)), -mp.log1p(mp.exp(z))  # log q = log(1 - p)
    one_minus_p_t = t * mp.exp(log_q) + (1 - t) * mp.exp(log_p)
    a_t = 1 if alpha is None else alpha * t + (1 - alpha) * (1 - t)
    return a_t * one_minus_p_t**gamma * -(t * log_p + (1 - t) * log_q)


@pytest.mark.parametrize("z", [-1e4, -745.0, -100.0, -30.0, -1.0, 0.0, 2.5, 30.0, 100.0, 1e4])
@pytest.mark.parametrize("t", [0.0, 1.0, 0.3])
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
def test_sigmoid_focal_extreme_logits_vs_mpmath(z, t, gamma):
    with mp.workdps(50):
        ref_loss = mp_binary_focal(z, t, 0.25, gamma)
        ref_grad = mp.diff(lambda v: mp_binary_focal(v, t, 0.25, gamma), mp.mpf(z))
    loss = float(sigmoid_focal_loss(z, t, alpha=0.25, gamma=gamma))
    grad = float(sigmoid_focal_loss_grad(z, t, alpha=0.25, gamma=gamma))
    assert np.isfinite(loss) and np.isfinite(grad)
    tiny = 1e-300  # values below this are rounded to 0 by float64: compare absolutely
    assert abs(loss - float(ref_loss)) <= 1e-13 * abs(float(ref_loss)) + tiny
    assert abs(grad - float(ref_grad)) <= 1e-12 * abs(float(ref_grad)) + tiny


@pytest.mark.parametrize("gamma", GAMMAS)
def test_sigmoid_focal_grad_vs_central_differences(gamma):
    z = RNG.normal(scale=2.0, size=(4, 5))
    t = RNG.integers(0, 2, size=z.shape).astype(float)
    num = numerical_gradient(lambda v: sigmoid_focal_loss(v, t, 0.25, gamma, "sum"), z)
    got = sigmoid_focal_loss_grad(z, t, 0.25, gamma, "sum")
    np.testing.assert_allclose(got, num, rtol=1e-6, atol=1e-7)


def test_sigmoid_focal_t1_closed_form():
    # Hand derivation for t = 1: alpha (1 - p)^gamma (gamma p log p + p - 1).
    z, gamma = np.linspace(-6, 6, 13), 2.0
    p = 1 / (1 + np.exp(-z))
    expected = 0.25 * (1 - p) ** gamma * (gamma * p * np.log(p) + p - 1)
    got = sigmoid_focal_loss_grad(z, np.ones_like(z), alpha=0.25, gamma=gamma, reduction="none")
    np.testing.assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_focal_preserves_dtype(dtype):
    z = np.array([-2.0, 0.5, 40.0], dtype=dtype)
    t = np.array([1.0, 0.0, 1.0], dtype=dtype)
    assert sigmoid_focal_loss(z, t, reduction="none").dtype == dtype
    assert sigmoid_focal_loss(z, t).dtype == dtype
    assert sigmoid_focal_loss_grad(z, t).dtype == dtype


# ---------- multi-class: torch transcription of -w_y (1 - p_y)^gamma log p_y -----------------


def torch_softmax_focal(z, y, weight, gamma, reduction):
    import torch

    log_p = torch.log_softmax(z, dim=-1).gather(-1, y[:, None])[:, 0]
    w = torch.ones(z.shape[-1], dtype=z.dtype) if weight is None else weight
    loss = -w[y] * (1 - log_p.exp()) ** gamma * log_p
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / w[y].sum()}[reduction]


@pytest.mark.torch
@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_softmax_focal_matches_torch(gamma, weighted, reduction):
    import torch

    z = RNG.normal(scale=3.0, size=(7, 4))
    y = RNG.integers(0, 4, size=7)
    w = RNG.uniform(0.5, 3.0, size=4) if weighted else None
    zt = torch.tensor(z, requires_grad=True)
    wt = None if w is None else torch.tensor(w)
    ref = torch_softmax_focal(zt, torch.tensor(y), wt, gamma, reduction)
    ref.backward(torch.ones_like(ref))
    got = softmax_focal_loss(z, y, weight=w, reduction=reduction, gamma=gamma)
    np.testing.assert_allclose(got, ref.detach().numpy(), rtol=1e-12)
    grad = softmax_focal_loss_grad(z, y, weight=w, reduction=reduction, gamma=gamma)
    np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=1e-10, atol=1e-15)


@pytest.mark.torch
def test_softmax_focal_gamma_zero_is_weighted_cross_entropy():
    import torch
    import torch.nn.functional as F

    z = RNG.normal(size=(9, 5))
    y = RNG.integers(0, 5, size=9)
    w = np.array([1.0, 2.0, 0.5, 4.0, 1.5])
    ref = F.cross_entropy(torch.tensor(z), torch.tensor(y), weight=torch.tensor(w))
    got = softmax_focal_loss(z, y, weight=w, gamma=0.0)
    assert got == pytest.approx(float(ref), rel=1e-14)


@pytest.mark.parametrize("gamma", GAMMAS)
def test_softmax_focal_grad_vs_central_differences(gamma):
    z = RNG.normal(scale=2.0, size=(3, 4))
    y = np.array([0, 3, 1])
    num = numerical_gradient(lambda v: softmax_focal_loss(v, y, reduction="sum", gamma=gamma), z)
    got = softmax_focal_loss_grad(z, y, reduction="sum", gamma=gamma)
    np.testing.assert_allclose(got, num, rtol=1e-6, atol=1e-7)


def mp_softmax_focal(z, y, gamma):
    zs = [mp.mpf(v) for v in z]
    lse = mp.log(mp.fsum(mp.exp(v) for v in zs))
    rest = mp.fsum(mp.exp(v - zs[y]) for j, v in enumerate(zs) if j != y)
    log_py = -mp.log1p(rest)
    one_minus_py = mp.fsum(mp.exp(v - lse) for j, v in enumerate(zs) if j != y)
    return -(one_minus_py**gamma) * log_py


@pytest.mark.parametrize("scale", [1.0, 40.0, 800.0, 1e4])
@pytest.mark.parametrize("gamma", [0.5, 2.0])
def test_softmax_focal_extreme_logits_vs_mpmath(scale, gamma):
    z = [1.0 * scale, -0.5 * scale, 0.25 * scale]
    for y in range(3):
        # A derivative of size e^-600 beside a loss of 1200 needs ~300 digits to resolve.
        with mp.workdps(400):
            ref = mp_softmax_focal(z, y, gamma)
            ref_grad = [
                mp.diff(
                    lambda v, j=j, y=y: mp_softmax_focal([*z[:j], v, *z[j + 1 :]], y, gamma), z[j]
                )
                for j in range(3)
            ]
        loss = float(softmax_focal_loss(z, y, gamma=gamma))
        grad = softmax_focal_loss_grad(z, y, gamma=gamma)
        assert abs(loss - float(ref)) <= 1e-13 * abs(float(ref)) + 1e-300
        for g, r in zip(grad, ref_grad, strict=True):
            assert abs(g - float(r)) <= 1e-12 * abs(float(r)) + 1e-300


@pytest.mark.torch
def test_softmax_focal_ignore_index_and_spatial_inputs_match_torch():
    import torch

    z = RNG.normal(scale=2.0, size=(3, 4, 2, 5))  # (N, C, d1, d2), classes on axis 1
    y = RNG.integers(0, 4, size=(3, 2, 5))
    y[0, 1, :2] = -100
    w = np.array([1.0, 0.5, 2.0, 3.0])
    zt = torch.tensor(z, requires_grad=True)
    zr = zt.movedim(1, -1).reshape(-1, 4)
    yr = torch.tensor(y).reshape(-1)
    keep = yr != -100
    ref = torch_softmax_focal(zr[keep], yr[keep], torch.tensor(w), 2.0, "mean")
    ref.backward()
    got = softmax_focal_loss(z, y, weight=w)
    assert got == pytest.approx(ref.item(), rel=1e-12)
    grad = softmax_focal_loss_grad(z, y, weight=w)
    np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=1e-10, atol=1e-15)
    assert softmax_focal_loss(z, y, weight=w, reduction="none").shape == (3, 2, 5)


def test_softmax_focal_masked_logits():
    # A class masked with -inf has probability 0; it neither costs nor receives gradient.
    z = np.array([[2.0, -np.inf, 0.5]])
    np.testing.assert_allclose(
        softmax_focal_loss(z, [0]), softmax_focal_loss([[2.0, 0.5]], [0]), rtol=1e-15
    )
    assert softmax_focal_loss_grad(z, [0])[0, 1] == 0
    assert softmax_focal_loss(z, [1]) == np.inf


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-50, 50), min_size=2, max_size=6),
    st.data(),
    st.floats(0, 5),
)
def test_softmax_focal_properties(z, data, gamma):
    y = data.draw(st.integers(0, len(z) - 1))
    ce = softmax_focal_loss(z, y, gamma=0.0)
    fl = softmax_focal_loss(z, y, gamma=gamma)
    assert 0 <= fl <= ce  # the modulating factor lies in [0, 1]
    grad = softmax_focal_loss_grad(z, y, gamma=gamma)
    assert abs(grad.sum()) <= 1e-12 * max(1.0, np.abs(grad).max())  # shift invariance
    assert grad[y] <= 0 and (np.delete(grad, y) >= 0).all()  # same signs as CE


def test_softmax_focal_single_sample_shapes_and_dtype():
    z = np.array([2.0, 1.0, 0.1], dtype=np.float32)
    assert softmax_focal_loss(z, 0).dtype == np.float32
    assert softmax_focal_loss(z, 0, reduction="none").shape == ()
    assert softmax_focal_loss_grad(z, 0).shape == (3,)
    assert softmax_focal_loss_grad(z, 0).dtype == np.float32
    assert softmax_focal_loss(np.tile(z, (2, 1)), np.array([0, 1]), reduction="none").shape == (2,)


@pytest.mark.parametrize(
    ("call", "exc", "name"),
    [
        (lambda: sigmoid_focal_loss([0.0], [1.0], gamma=-1.0), ValueError, "gamma"),
        (lambda: sigmoid_focal_loss([0.0], [1.0], gamma="2"), TypeError, "gamma"),
        (lambda: sigmoid_focal_loss([0.0], [1.0], alpha=1.5), ValueError, "alpha"),
        (lambda: sigmoid_focal_loss([0.0], [1.5]), ValueError, "target"),
        (lambda: sigmoid_focal_loss([0.0, 1.0], [1.0]), ValueError, "target"),
        (lambda: sigmoid_focal_loss([np.inf], [1.0]), ValueError, "input"),
        (lambda: sigmoid_focal_loss([np.nan], [1.0]), ValueError, "input"),
        (lambda: sigmoid_focal_loss([], []), ValueError, "input"),
        (lambda: sigmoid_focal_loss([0.0], [1.0], reduction="avg"), ValueError, "reduction"),
        (lambda: softmax_focal_loss([1.0, 2.0], 2), ValueError, "target"),
        (lambda: softmax_focal_loss([1.0, 2.0], 1.0), TypeError, "target"),
        (lambda: softmax_focal_loss([[1.0, 2.0]], [0, 1]), ValueError, "target"),
        (lambda: softmax_focal_loss([1.0, 2.0], 0, weight=[1.0]), ValueError, "weight"),
        (lambda: softmax_focal_loss([1.0, 2.0], 0, weight=[1.0, -1.0]), ValueError, "weight"),
        (lambda: softmax_focal_loss(np.zeros((0, 3)), np.zeros(0, int)), ValueError, "input"),
        (lambda: softmax_focal_loss_grad([-np.inf, -np.inf], 0), ValueError, "input"),
        (lambda: softmax_focal_loss([1.0, np.inf], 0), ValueError, "input"),
        (lambda: softmax_focal_loss([1.0, 2.0], -100), ValueError, "target"),
    ],
)
def test_bad_input_names_the_argument(call, exc, name):
    with pytest.raises(exc, match=f"^{name}:"):
        call()


# ---------- the derivation focal-loss-gradient, turned into numbers ---------------------------


@pytest.mark.parametrize("k", [2, 3, 5])
def test_derivation_result_matches_the_code(k):
    import sympy as sp

    from ce_book.derivations import beyond, get, prove
    from ce_book.derivations import notation as nt

    d = get("focal-loss-gradient")
    zs = [nt.z[n] for n in range(1, k + 1)]
    z = RNG.normal(scale=2.0, size=k)
    for y in range(1, k + 1):
        for gamma in (0.5, 2.0):
            at = {nt.K: k}
            rows = [
                prove.instantiate(d.results[0].rhs, d.assumptions, at, {nt.j: j, beyond.y: y})
                for j in range(1, k + 1)
            ]
            f = sp.lambdify([*zs, beyond.gamma], rows, modules="mpmath")
            with mp.workdps(50):
                expected = np.array([float(v) for v in f(*map(mp.mpf, z), mp.mpf(gamma))])
            got = softmax_focal_loss_grad(z, y - 1, reduction="sum", gamma=gamma)
            np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)
