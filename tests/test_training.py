"""Tests of ce_book.training: the sigmoid neuron trained by gradient descent.

References: SymPy derivatives, mpmath at 50 digits (including a gradient-descent loop written
independently from the hand-derived derivatives), central differences, Nielsen's published
numbers, and PyTorch autograd.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from ce_book import training
from ce_book.gradients import numerical_gradient

DIGITS = 50
LOGITS = [-1e4, -745.0, -40.0, -8.0, -1.5, -0.3, 0.0, 0.3, 1.5, 4.0, 8.0, 40.0, 745.0, 1e4]

_z, _y = sp.symbols("z y", real=True)
_sig = 1 / (1 + sp.exp(-_z))
_sig_neg = 1 / (1 + sp.exp(_z))  # 1 - sigma(z), written so that mpmath does not cancel
_SE = ((1 - _y) * _sig - _y * _sig_neg) ** 2  # (sigma - y)^2
_SE_DZ = sp.diff(_SE, _z)
_CE = -_y * sp.log(_sig) - (1 - _y) * sp.log(_sig_neg)
_CE_DZ = sp.diff(_CE, _z)


def _mp(expr: sp.Expr, z: float, y: float) -> mpmath.mpf:
    with mpmath.workdps(DIGITS):
        f = sp.lambdify((_z, _y), expr, "mpmath")
        return f(mpmath.mpf(z), mpmath.mpf(y))


def _rel_close(value: float, ref: mpmath.mpf, rel: float, tiny: float = 1e-300) -> bool:
    """Relative agreement, with an absolute floor for results in the subnormal range."""
    ref = float(ref)
    return abs(value - ref) <= max(rel * abs(ref), tiny)


# --- the losses of the neuron and their derivatives ------------------------------------


@pytest.mark.parametrize("y", [0.0, 1.0])
@pytest.mark.parametrize("z", LOGITS)
def test_squared_error_against_mpmath(z: float, y: float) -> None:
    assert _rel_close(float(training.squared_error(z, y)), _mp(_SE, z, y), 1e-14)
    assert _rel_close(float(training.squared_error_grad(z, y)), _mp(_SE_DZ, z, y), 1e-14)


@pytest.mark.parametrize("y", [0.0, 1.0])
@pytest.mark.parametrize("z", LOGITS)
def test_cross_entropy_neuron_against_mpmath(z: float, y: float) -> None:
    loss = float(training.neuron_loss(z, y, "cross_entropy"))
    grad = float(training.neuron_loss_grad(z, y, "cross_entropy"))
    assert _rel_close(loss, _mp(_CE, z, y), 1e-14)
    assert _rel_close(grad, _mp(_CE_DZ, z, y), 1e-14)


def test_symbolic_gradients_differ_by_sigma_prime() -> None:
    """The slowdown in one line: the squared-error gradient is 2 sigma'(z) times the other."""
    sigma_prime = sp.diff(_sig, _z)
    assert sp.simplify(_SE - (_sig - _y) ** 2) == 0
    assert sp.simplify(_SE_DZ - 2 * sigma_prime * _CE_DZ) == 0
    assert sp.simplify(_CE_DZ - (_sig - _y)) == 0


@pytest.mark.parametrize("loss", training.LOSSES)
def test_gradients_against_central_differences(loss: training.Loss) -> None:
    z = np.array([-6.0, -1.2, -0.1, 0.0, 0.4, 2.5, 7.0])
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0])
    numeric = numerical_gradient(lambda v: np.sum(training.neuron_loss(v, y, loss)), z)
    np.testing.assert_allclose(
        training.neuron_loss_grad(z, y, loss), numeric, rtol=1e-7, atol=1e-10
    )


@given(
    st.floats(-50, 50, allow_nan=False),
    st.sampled_from([0.0, 1.0]),
)
def test_squared_error_gradient_is_at_most_half_the_error(z: float, y: float) -> None:
    """|d SE / dz| = 2 |sigma - y| sigma'(z) <= |sigma - y| / 2 = |d CE / dz| / 2."""
    se = abs(float(training.neuron_loss_grad(z, y, "squared_error")))
    ce = abs(float(training.neuron_loss_grad(z, y, "cross_entropy")))
    assert se <= ce / 2 * (1 + 1e-15)


def test_float32_stays_float32() -> None:
    z = np.array([0.5, -3.0], dtype=np.float32)
    y = np.array([1.0, 0.0], dtype=np.float32)
    for loss in training.LOSSES:
        assert training.neuron_loss(z, y, loss).dtype == np.float32
        assert training.neuron_loss_grad(z, y, loss).dtype == np.float32


@pytest.mark.torch
@pytest.mark.parametrize("loss", training.LOSSES)
def test_neuron_losses_against_torch(loss: training.Loss, torch) -> None:
    """Moderate logits only: for sigma(z) near 1 and y = 1, torch's sigma - y cancels (the
    extremes are checked against mpmath above)."""
    z = np.array([-8.0, -4.0, -0.7, 0.0, 0.9, 4.0, 8.0])
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0])
    zt = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    yt = torch.tensor(y, dtype=torch.float64)
    if loss == "squared_error":
        lt = torch.nn.functional.mse_loss(torch.sigmoid(zt), yt, reduction="none")
    else:
        lt = torch.nn.functional.binary_cross_entropy_with_logits(zt, yt, reduction="none")
    lt.sum().backward()
    np.testing.assert_allclose(training.neuron_loss(z, y, loss), lt.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(
        training.neuron_loss_grad(z, y, loss), zt.grad.numpy(), rtol=1e-12, atol=1e-300
    )


# --- gradient descent -----------------------------------------------------------------


def _mp_descent(w: float, b: float, loss: str, rate: float, epochs: int, half: bool = False):
    """Gradient descent at 50 digits from the hand-derived derivatives, x = 1, y = 0.

    ``half=True`` uses Nielsen's quadratic cost (a - y)^2 / 2 instead of (a - y)^2.
    """
    with mpmath.workdps(DIGITS):
        w, b, eta = mpmath.mpf(w), mpmath.mpf(b), mpmath.mpf(rate)
        outputs, losses_ = [], []
        for k in range(epochs + 1):
            a = 1 / (1 + mpmath.exp(-(w + b)))
            if loss == "squared_error":
                scale = mpmath.mpf(1) / 2 if half else 1
                losses_.append(scale * a * a)
                g = scale * 2 * a * a * (1 - a)
            else:
                losses_.append(-mpmath.log(1 - a))
                g = a
            outputs.append(a)
            if k < epochs:
                w, b = w - eta * g, b - eta * g
        return [float(v) for v in outputs], [float(v) for v in losses_]


@pytest.mark.parametrize("loss", training.LOSSES)
@pytest.mark.parametrize("start", [(2.0, 2.0), (0.6, 0.9)])
def test_train_follows_an_independent_high_precision_run(start, loss) -> None:
    run = training.train(*start, loss=loss)
    outputs, losses_ = _mp_descent(*start, loss, 0.15, 300)
    np.testing.assert_allclose(run.output, outputs, rtol=1e-11)
    np.testing.assert_allclose(run.losses, losses_, rtol=1e-11)
    np.testing.assert_allclose(run.w - run.w[0], run.b - run.b[0], rtol=0, atol=1e-14)
    assert run.w.shape == run.b.shape == run.output.shape == run.losses.shape == (301,)


def test_nielsen_quadratic_cost_is_ours_at_half_the_rate() -> None:
    """Nielsen's (a - y)^2 / 2 at rate 0.15 takes the same steps as (a - y)^2 at 0.075."""
    ours = training.train(0.6, 0.9, loss="squared_error", learning_rate=0.075)
    outputs, _ = _mp_descent(0.6, 0.9, "squared_error", 0.15, 300, half=True)
    np.testing.assert_allclose(ours.output, outputs, rtol=1e-11)
    # Nielsen, chapter 3: initial output 0.82, "an output from the neuron of about 0.09".
    assert round(float(ours.output[0]), 2) == 0.82
    assert round(float(ours.output[-1]), 2) == 0.09


def test_published_initial_outputs() -> None:
    """Nielsen, chapter 3: outputs 0.82 (w = 0.6, b = 0.9) and 0.98 (w = b = 2)."""
    assert round(float(training.train(0.6, 0.9, loss="cross_entropy").output[0]), 2) == 0.82
    assert round(float(training.train(2.0, 2.0, loss="cross_entropy").output[0]), 2) == 0.98


def test_the_slowdown_is_real() -> None:
    """From the bad start the squared error barely moves for 50 epochs; cross-entropy does."""
    se = training.train(2.0, 2.0, loss="squared_error")
    ce = training.train(2.0, 2.0, loss="cross_entropy")
    assert se.output[0] - se.output[50] < 0.05
    assert ce.output[50] < 0.2
    assert se.first_epoch_below(0.25) > 5 * ce.first_epoch_below(float(np.log(2)))


def test_train_is_deterministic_and_general() -> None:
    a = training.train(1.0, -0.5, loss="cross_entropy", x=2.0, y=1.0, epochs=20)
    b = training.train(1.0, -0.5, loss="cross_entropy", x=2.0, y=1.0, epochs=20)
    np.testing.assert_array_equal(a.losses, b.losses)
    # with x = 2 the weight moves twice as far as the bias at every step
    np.testing.assert_allclose(np.diff(a.w), 2 * np.diff(a.b), rtol=1e-12)
    assert np.all(np.diff(a.losses) < 0)
    assert training.train(1.0, 1.0, loss="squared_error", epochs=0).losses.shape == (1,)


def test_first_epoch_below() -> None:
    run = training.train(2.0, 2.0, loss="squared_error")
    k = run.first_epoch_below(0.5)
    assert run.losses[k] < 0.5 <= run.losses[k - 1]
    assert run.first_epoch_below(-1.0) is None


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"loss": "hinge"}, ValueError, "loss"),
        ({"loss": "cross_entropy", "epochs": 2.5}, TypeError, "epochs"),
        ({"loss": "cross_entropy", "epochs": True}, TypeError, "epochs"),
        ({"loss": "cross_entropy", "epochs": -1}, ValueError, "epochs"),
        ({"loss": "cross_entropy", "learning_rate": 0.0}, ValueError, "learning_rate"),
        ({"loss": "cross_entropy", "learning_rate": float("nan")}, ValueError, "learning_rate"),
        ({"loss": "cross_entropy", "x": [1.0, 2.0]}, ValueError, "x"),
        ({"loss": "cross_entropy", "y": float("nan")}, ValueError, "y"),
    ],
)
def test_bad_arguments_name_themselves(kwargs, error, name) -> None:
    with pytest.raises(error, match=rf"^{name}:"):
        training.train(1.0, 1.0, **kwargs)


def test_bad_weight_and_loss_name() -> None:
    with pytest.raises(ValueError, match=r"^w:"):
        training.train([1.0, 2.0], 1.0, loss="cross_entropy")
    with pytest.raises(ValueError, match=r"^loss:"):
        training.neuron_loss(0.0, 0.0, "mse")
    with pytest.raises(ValueError, match=r"^loss:"):
        training.neuron_loss_grad(0.0, 0.0, "mse")
