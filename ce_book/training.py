r"""Gradient descent on one sigmoid neuron: the learning-slowdown experiment.

Nielsen's toy problem (*Neural Networks and Deep Learning*, chapter 3): a neuron with one weight
:math:`w` and a bias :math:`b` sees the input :math:`x = 1` and should output :math:`y = 0`. Its
output is :math:`a = \sigma(z)` with :math:`z = wx + b`. We train it by plain gradient descent,
once with the squared error :math:`(a - y)^2` and once with the binary cross-entropy, and record
the loss at every epoch. The two gradients differ by one factor, :math:`\sigma'(z)`, and that
factor is the whole story of the slowdown.

Nielsen's quadratic cost is half of ours, :math:`\tfrac12 (a - y)^2`; gradient descent on it with
step :math:`\eta` is gradient descent on :math:`(a - y)^2` with step :math:`\eta / 2`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from ce_book import gradients, losses
from ce_book._checks import as_float
from ce_book.activations import sigmoid

Loss = Literal["squared_error", "cross_entropy"]
LOSSES: tuple[Loss, ...] = ("squared_error", "cross_entropy")


def _error(z: object, y: object) -> np.ndarray:
    """sigma(z) - y without cancellation: the binary cross-entropy gradient, elementwise."""
    return gradients.binary_cross_entropy_with_logits_grad(z, y, reduction="none")


def squared_error(z: object, y: object) -> np.ndarray:
    r"""Squared error of a sigmoid output, as a function of the logit :math:`z` (elementwise).

    .. math:: L_{\mathrm{SE}}(z, y) = \big(\sigma(z) - y\big)^2

    >>> float(squared_error(0.0, 1.0))
    0.25
    >>> float(squared_error(-1000.0, 0.0))
    0.0
    """
    return _error(z, y) ** 2


def squared_error_grad(z: object, y: object) -> np.ndarray:
    r"""Derivative of :func:`squared_error` with respect to the logit (elementwise).

    .. math:: \frac{\partial L_{\mathrm{SE}}}{\partial z}
              = 2\big(\sigma(z) - y\big)\,\sigma'(z),
              \qquad \sigma'(z) = \sigma(z)\big(1 - \sigma(z)\big)

    The factor :math:`\sigma'(z) \le \tfrac14` vanishes when the neuron saturates, however
    wrong its output is:

    >>> float(squared_error_grad(0.0, 1.0))
    -0.25
    >>> float(squared_error_grad(10.0, 0.0)) < 1e-4  # badly wrong, yet almost no gradient
    True
    """
    return 2 * _error(z, y) * gradients.sigmoid_derivative(z)


def neuron_loss(z: object, y: object, loss: Loss) -> np.ndarray:
    r"""The loss of a sigmoid neuron with logit :math:`z` and target :math:`y` (elementwise).

    ``"squared_error"`` is :math:`(\sigma(z) - y)^2`; ``"cross_entropy"`` is the binary
    cross-entropy :math:`-y \log \sigma(z) - (1 - y) \log(1 - \sigma(z))`, from the logit.

    >>> float(neuron_loss(0.0, 0.0, "squared_error")), float(neuron_loss(0.0, 0.0, "cross_entropy"))
    (0.25, 0.6931471805599453)
    """
    _check_loss(loss)
    if loss == "squared_error":
        return squared_error(z, y)
    return losses.binary_cross_entropy_with_logits(z, y, reduction="none")


def neuron_loss_grad(z: object, y: object, loss: Loss) -> np.ndarray:
    r"""Derivative of :func:`neuron_loss` with respect to the logit :math:`z` (elementwise).

    .. math:: \frac{\partial L_{\mathrm{SE}}}{\partial z} = 2(\sigma(z) - y)\,\sigma'(z),
              \qquad \frac{\partial L_{\mathrm{CE}}}{\partial z} = \sigma(z) - y

    >>> float(neuron_loss_grad(0.0, 0.0, "squared_error"))
    0.25
    >>> float(neuron_loss_grad(0.0, 0.0, "cross_entropy"))
    0.5
    """
    _check_loss(loss)
    if loss == "squared_error":
        return squared_error_grad(z, y)
    return gradients.binary_cross_entropy_with_logits_grad(z, y, reduction="none")


@dataclass(frozen=True)
class Run:
    """One gradient-descent run; entry ``k`` of each array is the state after ``k`` updates."""

    loss: Loss
    learning_rate: float
    w: np.ndarray
    b: np.ndarray
    output: np.ndarray
    losses: np.ndarray

    def first_epoch_below(self, threshold: float) -> int | None:
        r"""The first epoch whose loss is below ``threshold`` (``None`` if none is).

        Epoch ``k`` is the state after ``k`` updates (epoch 0 is the start). The chapter asks
        when the output first drops below 1/2: with the target ``y = 0`` both losses increase
        with the output, so that is the first epoch whose loss is below the loss at output
        1/2, ``neuron_loss(0.0, 0.0, loss)`` (1/4 for the squared error, :math:`\ln 2` for the
        cross-entropy).

        >>> run = train(2.0, 2.0, loss="squared_error")
        >>> k = run.first_epoch_below(float(neuron_loss(0.0, 0.0, "squared_error")))
        >>> bool(run.output[k] < 0.5 <= run.output[k - 1])
        True
        >>> run = train(0.6, 0.9, loss="cross_entropy")
        >>> run.first_epoch_below(0.0) is None  # the cross-entropy is never 0
        True
        """
        below = np.flatnonzero(self.losses < threshold)
        return int(below[0]) if below.size else None


def train(
    w: float,
    b: float,
    *,
    loss: Loss,
    x: float = 1.0,
    y: float = 0.0,
    learning_rate: float = 0.15,
    epochs: int = 300,
) -> Run:
    r"""Train one sigmoid neuron on the single example :math:`(x, y)` by gradient descent.

    Each epoch updates both parameters with the gradient of the loss at :math:`z = wx + b`:

    .. math:: w \leftarrow w - \eta\, \frac{\partial L}{\partial z}\, x, \qquad
              b \leftarrow b - \eta\, \frac{\partial L}{\partial z}

    Deterministic: the same arguments always give the same run.

    >>> run = train(2.0, 2.0, loss="squared_error")
    >>> round(float(run.output[0]), 2)  # Nielsen's bad start: the neuron says 0.98, not 0
    0.98
    >>> len(run.losses)  # the loss before training and after each of the 300 epochs
    301
    """
    _check_loss(loss)
    if isinstance(epochs, bool) or not isinstance(epochs, int):
        raise TypeError(f"epochs: expected an int, got {type(epochs).__name__}")
    if epochs < 0:
        raise ValueError(f"epochs: must be >= 0, got {epochs}")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate: must be > 0, got {learning_rate!r}")
    params = {"w": w, "b": b, "x": x, "y": y}
    for name, value in params.items():
        if as_float(value, name).shape != ():
            raise ValueError(f"{name}: expected a single number")
    ws = np.empty(epochs + 1)
    bs = np.empty(epochs + 1)
    ws[0], bs[0] = float(w), float(b)
    for k in range(epochs):
        g = float(neuron_loss_grad(ws[k] * x + bs[k], y, loss))
        ws[k + 1] = ws[k] - learning_rate * g * x
        bs[k + 1] = bs[k] - learning_rate * g
    z = ws * x + bs
    return Run(
        loss=loss,
        learning_rate=float(learning_rate),
        w=ws,
        b=bs,
        output=sigmoid(z),
        losses=np.asarray(neuron_loss(z, np.full_like(z, y), loss)),
    )


def _check_loss(loss: object) -> None:
    if loss not in LOSSES:
        raise ValueError(f"loss: must be one of {LOSSES}, got {loss!r}")
