"""Tests of ce_book.distillation: the soft-target loss, its gradient, and label smoothing.

References: the definitions evaluated with mpmath at 50 digits, central differences, the
high-temperature limit in closed form, and PyTorch 2.13.0 (``F.cross_entropy`` with
probability targets and ``label_smoothing``).
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from ce_book import distillation as kd
from ce_book import losses
from ce_book.gradients import numerical_gradient

DIGITS = 50
Z = np.array([[2.5, -1.0, 3.2, 0.5], [0.3, 0.1, -0.7, 1.9]])  # student logits
V = np.array([[4.0, 1.0, 2.0, -1.0], [-0.5, 0.0, 0.5, 2.5]])  # teacher logits


def _mp_softmax(row, temperature):
    e = [mpmath.exp(mpmath.mpf(float(x)) / mpmath.mpf(temperature)) for x in row]
    s = mpmath.fsum(e)
    return [x / s for x in e]


def _mp_soft_loss(z, v, temperature) -> float:
    with mpmath.workdps(DIGITS):
        total = mpmath.mpf(0)
        for zr, vr in zip(z, v, strict=True):
            t = _mp_softmax(vr, temperature)
            p = _mp_softmax(zr, temperature)
            total += -mpmath.fsum(ti * mpmath.log(pi) for ti, pi in zip(t, p, strict=True))
        return float(mpmath.mpf(temperature) ** 2 * total / len(z))


@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.0, 5.0, 20.0])
def test_soft_target_loss_matches_the_definition(temperature: float) -> None:
    value = float(kd.soft_target_loss(Z, V, temperature))
    ref = _mp_soft_loss(Z, V, temperature)
    assert abs(value - ref) <= 1e-13 * abs(ref)
    unscaled = float(kd.soft_target_loss(Z, V, temperature, scaled=False))
    assert abs(unscaled * temperature**2 - ref) <= 1e-13 * abs(ref)


@pytest.mark.parametrize("temperature", [0.5, 1.0, 3.0, 10.0])
@pytest.mark.parametrize("scaled", [True, False])
def test_gradient_matches_central_differences(temperature: float, scaled: bool) -> None:
    g = kd.soft_target_loss_grad(Z, V, temperature, scaled=scaled)
    num = numerical_gradient(
        lambda z: float(kd.soft_target_loss(z, V, temperature, scaled=scaled)), Z
    )
    assert np.allclose(g, num, rtol=1e-6, atol=1e-9)


def test_gradient_is_t_times_p_minus_t() -> None:
    temperature = 3.0
    g = kd.soft_target_loss_grad(Z, V, temperature, reduction="none")
    with mpmath.workdps(DIGITS):
        for row_g, zr, vr in zip(g, Z, V, strict=True):
            p = _mp_softmax(zr, temperature)
            t = _mp_softmax(vr, temperature)
            for gi, pi, ti in zip(row_g, p, t, strict=True):
                assert abs(gi - float(temperature * (pi - ti))) < 1e-14


def test_scaled_gradient_tends_to_the_centred_logit_gap() -> None:
    """T (p - t) -> ((z - mean z) - (v - mean v)) / K as T grows; unscaled fades like 1/T^2."""
    z, v = Z[0], V[0]
    limit = ((z - z.mean()) - (v - v.mean())) / z.size
    for temperature, tol in ((100.0, 0.02), (1000.0, 0.002)):
        g = kd.soft_target_loss_grad(z, v, temperature, reduction="sum")
        assert np.max(np.abs(g - limit)) < tol * np.max(np.abs(limit))
        raw = kd.soft_target_loss_grad(z, v, temperature, scaled=False, reduction="sum")
        assert np.allclose(raw * temperature**2, g, rtol=1e-12, atol=0)


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.3])
def test_uniform_teacher_at_t1_is_label_smoothing(eps: float) -> None:
    y = np.array([0, 3])
    kd_loss = kd.distillation_loss(Z, np.zeros_like(Z), y, 1.0, eps)
    smoothed = losses.cross_entropy(Z, y, label_smoothing=eps)
    assert abs(float(kd_loss) - float(smoothed)) < 1e-14


@pytest.mark.torch
def test_against_pytorch(torch) -> None:
    import torch.nn.functional as F

    temperature, alpha, y = 4.0, 0.7, np.array([2, 3])
    zt = torch.tensor(Z, requires_grad=True)
    vt = torch.tensor(V)
    soft = F.cross_entropy(zt / temperature, F.softmax(vt / temperature, dim=1))
    loss = alpha * temperature**2 * soft + (1 - alpha) * F.cross_entropy(zt, torch.tensor(y))
    loss.backward()
    ours = kd.distillation_loss(Z, V, y, temperature, alpha)
    assert abs(float(ours) - loss.item()) < 1e-13
    grad = alpha * kd.soft_target_loss_grad(Z, V, temperature)
    from ce_book.gradients import cross_entropy_grad

    grad = grad + (1 - alpha) * cross_entropy_grad(Z, y)
    assert np.allclose(grad, zt.grad.numpy(), rtol=0, atol=1e-14)
    smooth = F.cross_entropy(torch.tensor(Z), torch.tensor(y), label_smoothing=0.2).item()
    assert abs(float(kd.distillation_loss(Z, np.zeros_like(Z), y, 1.0, 0.2)) - smooth) < 1e-14


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"temperature": 0.0}, ValueError, "temperature"),
        ({"temperature": -1.0}, ValueError, "temperature"),
        ({"temperature": float("inf")}, ValueError, "temperature"),
        ({"temperature": "2"}, TypeError, "temperature"),
        ({"alpha": 1.5}, ValueError, "alpha"),
        ({"alpha": True}, TypeError, "alpha"),
    ],
)
def test_bad_arguments_name_themselves(kwargs: dict, error: type, name: str) -> None:
    args = {"temperature": 2.0, "alpha": 0.5} | kwargs
    with pytest.raises(error, match=rf"^{name}:"):
        kd.distillation_loss(Z, V, [0, 1], args["temperature"], args["alpha"])


def test_teacher_of_another_shape_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"^teacher:"):
        kd.soft_target_loss(Z, V[:, :3], 2.0)
