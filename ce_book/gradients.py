r"""Analytic gradients and Jacobians of the activations and losses, and central differences.

Each ``*_grad`` function returns the gradient of the matching loss in :mod:`ce_book.losses`
with respect to its ``input``, in the input's shape and dtype, for the same options. With
``reduction="none"`` the gradient is that of the *sum* of the per-sample losses, which is what
PyTorch's autograd gives for ``loss.backward(torch.ones_like(loss))``.
:func:`numerical_gradient` checks all of them by central differences.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ce_book._checks import as_float, as_logits
from ce_book._targets import check_pos_weight, prepare_binary, prepare_categorical
from ce_book.activations import sigmoid, softmax
from ce_book.losses import _cross_entropy_rows

BCE_GRAD_EPSILON = float(np.float32(1e-12))
"""PyTorch's floor on :math:`p(1 - p)` in the gradient of binary cross-entropy.

PyTorch stores it as a float32 constant (``9.99999996e-13``) for every dtype; so does the book.
"""


def softmax_jacobian(z: object) -> np.ndarray:
    r"""Jacobian of the softmax: one ``(K, K)`` matrix per vector of logits.

    .. math:: \frac{\partial p_i}{\partial z_j} = p_i (\delta_{ij} - p_j),
              \qquad J = \operatorname{diag}(p) - p p^{\top}

    A batch of shape ``(..., K)`` gives ``(..., K, K)``. Every row and column sums to 0
    (the softmax does not change when all logits move together).

    >>> softmax_jacobian([0.0, 0.0]).tolist()
    [[0.25, -0.25], [-0.25, 0.25]]
    """
    p = softmax(z)
    eye = np.eye(p.shape[-1], dtype=p.dtype)
    return p[..., :, None] * eye - p[..., :, None] * p[..., None, :]


def sigmoid_derivative(z: object) -> np.ndarray:
    r"""Derivative of the logistic sigmoid.

    .. math:: \sigma'(z) = \sigma(z)\,(1 - \sigma(z)) = \sigma(z)\,\sigma(-z)

    The second form keeps full relative accuracy for large :math:`|z|`, where
    :math:`1 - \sigma(z)` would round to 0.

    >>> float(sigmoid_derivative(0.0))
    0.25
    >>> float(sigmoid_derivative(40.0))  # e^{-40}, not 0
    4.248354255291589e-18
    """
    z_arr = as_float(z, "z")
    return sigmoid(z_arr) * sigmoid(-z_arr)


def cross_entropy_and_grad(
    input: object,
    target: object,
    weight: object = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Loss and gradient of :func:`ce_book.losses.cross_entropy` in one fused pass.

    For a class-index target :math:`y`, smoothing :math:`\varepsilon`, class weights
    :math:`w` with sum :math:`W` and :math:`p = \operatorname{softmax}(z)`,

    .. math:: \frac{\partial \ell}{\partial z_j} = p_j\Big((1 - \varepsilon) w_y
              + \frac{\varepsilon W}{C}\Big) - (1 - \varepsilon) w_y \delta_{jy}
              - \frac{\varepsilon w_j}{C},

    and for a probability target :math:`t` (smoothed to :math:`t'`),
    :math:`\partial \ell / \partial z_j = p_j \sum_c w_c t'_c - w_j t'_j`; both are divided
    by the denominator of the mean, and are 0 for ignored targets. With
    ``reduction="none"`` the gradient is that of the sum of the per-sample losses.

    This is what a training loop calls: the logits are read once, in cache-sized chunks of
    rows, and the gradient array (the only logits-sized allocation) doubles as the buffer
    for the exponentials. The loss is the same as :func:`ce_book.losses.cross_entropy`'s.

    >>> loss, grad = cross_entropy_and_grad([[0.0, 0.0]], [0])
    >>> float(loss), grad.tolist()  # log 2; p - onehot
    (0.6931471805599453, [[-0.5, 0.5]])
    """
    pb = prepare_categorical(input, target, weight, ignore_index, reduction, label_smoothing)
    grad = np.empty_like(pb.x)
    loss = pb.reduce(_cross_entropy_rows(pb, grad))
    return loss, pb.restore(grad)


def cross_entropy_grad(
    input: object,
    target: object,
    weight: object = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> np.ndarray:
    r"""Gradient of :func:`ce_book.losses.cross_entropy` with respect to the logits ``input``.

    .. math:: \frac{\partial \ell}{\partial z} = \operatorname{softmax}(z) - t
              \quad\text{(no weight, no smoothing, one sample)}

    The general formula, with weights and label smoothing, is in
    :func:`cross_entropy_and_grad`, which computes it; with ``reduction="none"`` this is the
    gradient of the sum of the per-sample losses.

    >>> [round(v, 6) for v in cross_entropy_grad([2.0, 1.0, 0.1], 0).tolist()]
    [-0.340999, 0.242433, 0.098566]
    """
    return cross_entropy_and_grad(input, target, weight, ignore_index, reduction, label_smoothing)[
        1
    ]


def nll_loss_grad(
    input: object,
    target: object,
    weight: object = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> np.ndarray:
    r"""Gradient of :func:`ce_book.losses.nll_loss` with respect to the log-probabilities.

    .. math:: \frac{\partial \ell}{\partial x_{n,c}} = -\frac{w_{y_n}}{D}\, [c = y_n]

    with :math:`D` the denominator of the mean (1 for ``"sum"`` and ``"none"``), and 0 for
    ignored targets.

    >>> nll_loss_grad([[-1.0, -2.0], [-0.5, -1.0]], [1, 0]).tolist()
    [[0.0, -0.5], [-0.5, 0.0]]
    """
    pb = prepare_categorical(
        input, target, weight, ignore_index, reduction, 0.0, probabilities=False
    )
    y, w_y = pb.safe_targets()
    grad = np.zeros_like(pb.x)
    grad[np.arange(len(y)), y] = -w_y / pb.x.dtype.type(pb.denominator)
    return pb.restore(grad + 0.0)


def binary_cross_entropy_grad(
    input: object, target: object, weight: object = None, reduction: str = "mean"
) -> np.ndarray:
    r"""Gradient of :func:`ce_book.losses.binary_cross_entropy` with respect to ``input``.

    .. math:: \frac{\partial \ell_n}{\partial p_n}
              = \frac{w_n}{D} \frac{p_n - t_n}{\max(p_n (1 - p_n), 10^{-12})}

    The floor :math:`10^{-12}` on the denominator is PyTorch's (it keeps the gradient
    finite at ``p = 0`` and ``p = 1``); wherever :math:`p(1-p) > 10^{-12}` and no log is
    clamped, this is the exact derivative of the loss. :math:`D` is the number of elements
    for ``"mean"``, else 1.

    >>> binary_cross_entropy_grad([0.25, 0.5], [1.0, 0.0], reduction="sum").tolist()
    [-4.0, 2.0]
    """
    b = prepare_binary(input, target, weight, reduction, probs=True)
    p, t, dt = b.x, b.target, b.x.dtype.type
    grad = (p - t) / np.maximum(p * (1 - p), dt(BCE_GRAD_EPSILON)) / dt(b.denominator)
    return grad if b.weight is None else grad * b.weight


def binary_cross_entropy_with_logits_grad(
    input: object,
    target: object,
    weight: object = None,
    reduction: str = "mean",
    pos_weight: object = None,
) -> np.ndarray:
    r"""Gradient of :func:`ce_book.losses.binary_cross_entropy_with_logits` w.r.t. the logits.

    .. math:: \frac{\partial \ell_n}{\partial x_n}
              = \frac{w_n}{D}\big[(1 - t_n)\,\sigma(x_n) - q\, t_n\, \sigma(-x_n)\big]

    which is :math:`(\sigma(x_n) - t_n)\, w_n / D` without ``pos_weight`` (:math:`q = 1`).

    >>> binary_cross_entropy_with_logits_grad([0.0, 0.0], [1.0, 0.0], reduction="sum").tolist()
    [-0.5, 0.5]
    """
    b = prepare_binary(input, target, weight, reduction, probs=False)
    x, t = b.x, b.target
    pos = 1 if pos_weight is None else check_pos_weight(pos_weight, x)
    grad = ((1 - t) * sigmoid(x) - pos * t * sigmoid(-x)) / x.dtype.type(b.denominator)
    return grad if b.weight is None else grad * b.weight


def numerical_gradient(
    f: Callable[[np.ndarray], object], x: object, eps: float = 1e-6
) -> np.ndarray:
    r"""Gradient of the scalar function ``f`` at ``x`` by central differences.

    .. math:: \frac{\partial f}{\partial x_i} \approx
              \frac{f(x + h e_i) - f(x - h e_i)}{(x_i + h) - (x_i - h)}

    with :math:`h` = ``eps``; the denominator is the step actually taken in floating point.
    The error is :math:`O(h^2)` from truncation plus about :math:`\epsilon_{\text{mach}}
    |f| / h` from rounding, so use float64 and a smooth region. ``f`` is called
    :math:`2n` times for ``n`` entries of ``x``.

    >>> round(float(numerical_gradient(lambda v: float((v ** 3).sum()), [2.0])[0]), 6)
    12.0
    """
    x_arr = as_logits(x, "x")
    if not np.isfinite(x_arr).all():
        raise ValueError("x: must be finite")
    if not (isinstance(eps, float | int) and eps > 0):
        raise ValueError(f"eps: must be a positive number, got {eps!r}")
    grad = np.empty_like(x_arr)
    flat, out = x_arr.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        up, down = flat.copy(), flat.copy()
        up[i] += eps
        down[i] -= eps
        f_up = float(f(up.reshape(x_arr.shape)))
        f_down = float(f(down.reshape(x_arr.shape)))
        out[i] = (f_up - f_down) / (float(up[i]) - float(down[i]))
    return grad
