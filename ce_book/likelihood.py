r"""Likelihood of a dataset, and fitting a classifier by either of two equivalent objectives.

A model that outputs probabilities gives each observed label a probability. The *likelihood*
of the dataset is the product of those probabilities (the samples are taken as independent),
the *log-likelihood* is the sum of their logarithms, and the *negative log-likelihood* (NLL) is
minus that sum: the total surprisal of the observed labels under the model.

The fitting functions come in pairs that reach the same parameters by different routes:

- ``fit_*_max_likelihood`` maximises the log-likelihood :math:`\ell(\theta)` with Newton's
  method, the statistician's way: its score and Hessian are written straight from the
  likelihood, with the model's probabilities from :mod:`ce_book.activations`;
- ``fit_*_min_cross_entropy`` minimises the mean cross-entropy :math:`\bar H(\theta)` with plain
  gradient descent, the way a neural network is trained: its gradient is the loss gradient of
  :mod:`ce_book.gradients`, pushed through the linear logits.

Both start from zero parameters and involve no randomness, so every result is reproducible.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ce_book import activations, gradients, info, losses
from ce_book._checks import as_float, check_distribution, check_nonempty, check_unit_interval


class Fit(NamedTuple):
    """Parameters of a fitted model, and how many iterations the optimiser took.

    Logistic regression: ``w`` has shape ``(d,)`` and ``b`` is a 0-d array; the logit of
    sample :math:`i` is :math:`z_i = x_i^\top w + b`. Softmax regression: ``w`` has shape
    ``(d, K)`` and ``b`` shape ``(K,)``; the logits are :math:`z_i = W^\top x_i + b`.
    """

    w: np.ndarray
    b: np.ndarray
    steps: int


# --------------------------------------------------------------------------------------------
# Likelihood of a dataset under a model's predicted probabilities
# --------------------------------------------------------------------------------------------


def _labels(y: object, n: int, k: int, name: str = "y") -> np.ndarray:
    """Integer class labels in ``[0, k)``, one per sample."""
    arr = np.asarray(y)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            raise ValueError(f"{name}: labels must be whole numbers")
        arr = arr.astype(np.int64)
    elif arr.dtype.kind not in "biu":
        raise TypeError(f"{name}: expected integer class labels, got dtype {arr.dtype}")
    if arr.shape != (n,):
        raise ValueError(f"{name}: expected shape ({n},), one label per sample, got {arr.shape}")
    if np.any((arr < 0) | (arr >= k)):
        bad = arr[(arr < 0) | (arr >= k)][0]
        raise ValueError(f"{name}: labels must lie in [0, {k}), found {bad}")
    return arr.astype(np.int64)


def _observed_bernoulli(p: object, y: object) -> np.ndarray:
    """The probability the model gives to each observed outcome: ``p`` if y = 1, else 1 - p."""
    p_arr = as_float(p, "p")
    if p_arr.ndim != 1:
        raise ValueError(f"p: expected one probability per sample, shape (N,), got {p_arr.shape}")
    check_nonempty(p_arr, "p")
    check_unit_interval(p_arr, "p")
    y_arr = _labels(y, p_arr.shape[0], 2)
    return np.where(y_arr == 1, p_arr, 1 - p_arr)


def _observed_categorical(p: object, y: object) -> np.ndarray:
    """The probability the model gives to each observed class: ``p[i, y[i]]``."""
    p_arr = as_float(p, "p")
    if p_arr.ndim != 2:
        raise ValueError(
            f"p: expected shape (N, K), one distribution per sample, got {p_arr.shape}"
        )
    check_nonempty(p_arr, "p")
    check_distribution(p_arr, "p")
    y_arr = _labels(y, p_arr.shape[0], p_arr.shape[1])
    return p_arr[np.arange(p_arr.shape[0]), y_arr]


def bernoulli_likelihood(p: object, y: object) -> float:
    r"""Likelihood of labels ``y`` (0 or 1) when sample :math:`i` is 1 with probability :math:`p_i`.

    .. math:: L = \prod_{i=1}^{N} p_i^{\,y_i} (1 - p_i)^{1 - y_i}

    Computed as the literal product, in the dtype of ``p``. It underflows to ``0.0`` once the
    dataset is large (see :func:`bernoulli_log_likelihood` for the form to use).

    >>> bernoulli_likelihood([0.9, 0.2, 0.7], [1, 0, 1])  # 0.9 * 0.8 * 0.7
    0.504
    >>> bernoulli_likelihood([0.5] * 1075, [1] * 1075)  # 2**-1075 is below every float64
    0.0
    """
    return float(np.prod(_observed_bernoulli(p, y)))


def bernoulli_log_likelihood(p: object, y: object) -> float:
    r"""Log-likelihood of labels ``y`` (0 or 1) under probabilities ``p`` of the label 1.

    .. math:: \ell = \sum_{i=1}^{N} \bigl[y_i \log p_i + (1 - y_i) \log(1 - p_i)\bigr]
                   = -\sum_{i=1}^{N} I\bigl(P(y_i)\bigr)

    the sum of the logs of the probabilities of what was observed, i.e. minus the total
    surprisal (:func:`ce_book.info.surprisal`). It is ``-inf`` when an observed outcome had
    probability 0. Its negative is the NLL, :math:`N` times the mean binary cross-entropy.

    >>> round(bernoulli_log_likelihood([0.9, 0.2, 0.7], [1, 0, 1]), 6)  # log 0.504
    -0.685179
    >>> bernoulli_log_likelihood([0.5] * 1075, [1] * 1075) == -1075 * float(np.log(2))
    True
    """
    return -float(np.sum(info.surprisal(_observed_bernoulli(p, y))))


def categorical_likelihood(p: object, y: object) -> float:
    r"""Likelihood of class labels ``y`` under predicted distributions ``p`` of shape (N, K).

    .. math:: L = \prod_{i=1}^{N} \prod_{k=1}^{K} p_{ik}^{\,t_{ik}} = \prod_{i=1}^{N} p_{i, y_i}

    with :math:`t_i` the one-hot vector of label :math:`y_i`. The literal product; it underflows
    for large datasets (use :func:`categorical_log_likelihood`).

    >>> round(categorical_likelihood([[0.7, 0.2, 0.1], [0.1, 0.5, 0.4]], [0, 2]), 12)  # 0.7 * 0.4
    0.28
    """
    return float(np.prod(_observed_categorical(p, y)))


def categorical_log_likelihood(p: object, y: object) -> float:
    r"""Log-likelihood of class labels ``y`` under predicted distributions ``p`` (N, K).

    .. math:: \ell = \sum_{i=1}^{N} \sum_{k=1}^{K} t_{ik} \log p_{ik}
              = \sum_{i=1}^{N} \log p_{i, y_i}

    minus the total surprisal of the observed classes; ``-inf`` if one had probability 0.

    >>> round(categorical_log_likelihood([[0.7, 0.2, 0.1], [0.1, 0.5, 0.4]], [0, 2]), 6)
    -1.272966
    """
    return -float(np.sum(info.surprisal(_observed_categorical(p, y))))


# --------------------------------------------------------------------------------------------
# Logistic and softmax regression: the two objectives
# --------------------------------------------------------------------------------------------


def _design(x: object) -> np.ndarray:
    """Features as a float64 matrix of shape (N, d)."""
    x_arr = as_float(x, "x").astype(np.float64)
    if x_arr.ndim != 2:
        raise ValueError(
            f"x: expected shape (N, d), one row of features per sample, got {x_arr.shape}"
        )
    check_nonempty(x_arr, "x")
    if not np.all(np.isfinite(x_arr)):
        raise ValueError("x: features must be finite")
    return x_arr


def logistic_log_likelihood(x: object, y: object, w: object, b: object) -> float:
    r"""Log-likelihood of binary labels under logistic regression, :math:`p_i = \sigma(z_i)`.

    .. math:: \ell(w, b) = \sum_{i=1}^{N} \log \sigma\bigl(s_i z_i\bigr),
              \quad z_i = x_i^\top w + b, \quad s_i = 2 y_i - 1

    since :math:`1 - \sigma(z) = \sigma(-z)`: the log of the probability the model gives to the
    label that was observed, computed with :func:`ce_book.activations.log_sigmoid` (finite for
    every finite logit).

    >>> round(logistic_log_likelihood([[0.0], [1.0]], [0, 1], [0.0], 0.0), 6)  # 2 log(1/2)
    -1.386294
    """
    x_arr = _design(x)
    y_arr = _labels(y, x_arr.shape[0], 2)
    z = x_arr @ as_float(w, "w") + as_float(b, "b")
    return float(np.sum(activations.log_sigmoid(np.where(y_arr == 1, z, -z))))


def logistic_mean_cross_entropy(x: object, y: object, w: object, b: object) -> float:
    r"""Mean binary cross-entropy of logistic regression, the loss a network would minimise.

    .. math:: \bar H(w, b)
              = \frac{1}{N} \sum_{i=1}^{N} \operatorname{BCE}\bigl(\sigma(z_i), y_i\bigr)
              = -\frac{\ell(w, b)}{N}

    computed by :func:`ce_book.losses.binary_cross_entropy_with_logits`.

    >>> round(logistic_mean_cross_entropy([[0.0], [1.0]], [0, 1], [0.0], 0.0), 6)  # log 2
    0.693147
    """
    x_arr = _design(x)
    y_arr = _labels(y, x_arr.shape[0], 2)
    z = x_arr @ as_float(w, "w") + as_float(b, "b")
    return float(losses.binary_cross_entropy_with_logits(z, y_arr.astype(np.float64)))


def softmax_log_likelihood(x: object, y: object, w: object, b: object) -> float:
    r"""Log-likelihood of class labels under softmax regression.

    .. math:: \ell(W, b) = \sum_{i=1}^{N} \log \operatorname{softmax}(z_i)_{y_i},
              \quad z_i = W^\top x_i + b

    with :math:`p_i = \operatorname{softmax}(z_i)` from :func:`ce_book.activations.log_softmax`.

    >>> round(softmax_log_likelihood([[1.0]], [2], [[0.0, 0.0, 0.0]], [0.0, 0.0, 0.0]), 6)
    -1.098612
    """
    x_arr = _design(x)
    w_arr, b_arr = as_float(w, "w"), as_float(b, "b")
    y_arr = _labels(y, x_arr.shape[0], b_arr.shape[-1])
    log_p = activations.log_softmax(x_arr @ w_arr + b_arr)
    return float(np.sum(log_p[np.arange(x_arr.shape[0]), y_arr]))


def softmax_mean_cross_entropy(x: object, y: object, w: object, b: object) -> float:
    r"""Mean categorical cross-entropy of softmax regression.

    .. math:: \bar H(W, b)
              = \frac{1}{N} \sum_{i=1}^{N} H\bigl(t_i, \operatorname{softmax}(z_i)\bigr)
              = -\frac{\ell(W, b)}{N}

    computed by :func:`ce_book.losses.cross_entropy` with class-index targets.

    >>> round(softmax_mean_cross_entropy([[1.0]], [2], [[0.0, 0.0, 0.0]], [0.0, 0.0, 0.0]), 6)
    1.098612
    """
    x_arr = _design(x)
    w_arr, b_arr = as_float(w, "w"), as_float(b, "b")
    y_arr = _labels(y, x_arr.shape[0], b_arr.shape[-1])
    return float(losses.cross_entropy(x_arr @ w_arr + b_arr, y_arr))


# --------------------------------------------------------------------------------------------
# Two optimisers on the augmented parameters theta = [w; b]
# --------------------------------------------------------------------------------------------


def _augment(x_arr: np.ndarray) -> np.ndarray:
    """Append a column of ones, so that the bias is the last row of the parameters."""
    return np.hstack([x_arr, np.ones((x_arr.shape[0], 1))])


def _newton(
    score: Callable[[np.ndarray], np.ndarray],
    hessian: Callable[[np.ndarray], np.ndarray],
    theta: np.ndarray,
    tol: float,
    max_steps: int,
) -> tuple[np.ndarray, int]:
    r"""Maximise a concave function by Newton's method, :math:`\theta \leftarrow \theta - H^{+} g`.

    The pseudo-inverse step is the minimum-norm solution of :math:`H\,\delta = g`; where the
    Hessian is singular (softmax logits can all be shifted together), the step stays orthogonal
    to the directions along which nothing changes.
    """
    for step in range(1, max_steps + 1):
        g = score(theta)
        delta = np.linalg.lstsq(hessian(theta), g.ravel(), rcond=None)[0].reshape(theta.shape)
        theta = theta - delta
        if np.max(np.abs(delta)) < tol:
            return theta, step
    raise RuntimeError(f"max_steps: Newton's method did not converge in {max_steps} steps")


def _gradient_descent(
    grad: Callable[[np.ndarray], np.ndarray],
    theta: np.ndarray,
    lr: float,
    tol: float,
    max_steps: int,
) -> tuple[np.ndarray, int]:
    r"""Minimise a function by plain gradient descent, :math:`\theta \leftarrow \theta - \eta g`."""
    for step in range(1, max_steps + 1):
        g = grad(theta)
        if np.max(np.abs(g)) < tol:
            return theta, step - 1
        theta = theta - lr * g
    raise RuntimeError(f"max_steps: gradient descent did not converge in {max_steps} steps")


#: Largest curvature of the per-example loss along its logits: :math:`\sigma'(z) \le 1/4` for
#: the sigmoid, and every eigenvalue of the softmax Jacobian is at most :math:`1/2`.
_CURVATURE = {"logistic": 0.25, "softmax": 0.5}


def descent_step_size(x: object, model: str = "logistic") -> float:
    r"""The constant step :math:`\eta = 1/L` of the gradient-descent fits, for features ``x``.

    The Hessian of the mean cross-entropy of a logistic or softmax regression is at most
    :math:`c\, \tilde X^\top \tilde X / N` (with :math:`\tilde x_n = [x_n; 1]`, :math:`c = 1/4`
    for the sigmoid, :math:`c = 1/2` for the softmax), so its gradient is Lipschitz with

    .. math:: L = c\, \lambda_{\max}\big(\tilde X^\top \tilde X / N\big),

    and gradient descent with the step :math:`1/L` decreases the loss at every step.

    >>> descent_step_size([[1.0], [-1.0]])  # X~^T X~ / N is the identity, so L = 1/4
    4.0
    >>> descent_step_size([[1.0], [-1.0]], model="softmax")
    2.0
    """
    if model not in _CURVATURE:
        raise ValueError(f"model: expected 'logistic' or 'softmax', got {model!r}")
    xa = _augment(_design(x))
    return float(1.0 / (_CURVATURE[model] * np.linalg.eigvalsh(xa.T @ xa / xa.shape[0])[-1]))


def fit_logistic_max_likelihood(
    x: object, y: object, tol: float = 1e-12, max_steps: int = 100
) -> Fit:
    r"""Logistic regression by maximum likelihood: Newton's method on :math:`\ell(w, b)`.

    With :math:`\tilde x_i = [x_i; 1]`, :math:`\theta = [w; b]` and :math:`p_i = \sigma(z_i)`,
    the score and the Hessian of the log-likelihood are

    .. math:: \nabla \ell = \sum_i (y_i - p_i)\,\tilde x_i, \qquad
              \nabla^2 \ell = -\sum_i p_i (1 - p_i)\, \tilde x_i \tilde x_i^\top

    written straight from the likelihood, with :math:`p_i` from
    :func:`ce_book.activations.sigmoid` (no loss and no loss gradient is called). Each Newton
    step is :math:`\theta \leftarrow \theta - (\nabla^2 \ell)^{-1} \nabla \ell`, and the method
    stops when a step moves no parameter by more than ``tol``. The maximum exists when the two
    classes overlap (not linearly separable); otherwise the method does not converge and raises
    ``RuntimeError``.

    Two groups, x = 0 with one label 1 in three, x = 1 with two in three: the fitted model
    reproduces each group's frequency, so :math:`b = -\log 2` and :math:`w = 2 \log 2`.

    >>> fit = fit_logistic_max_likelihood([[0.0]] * 3 + [[1.0]] * 3, [0, 0, 1, 0, 1, 1])
    >>> round(float(fit.b / np.log(2)), 12), round(float(fit.w[0] / np.log(2)), 12)
    (-1.0, 2.0)
    """
    x_arr = _design(x)
    y_arr = _labels(y, x_arr.shape[0], 2).astype(np.float64)
    xa = _augment(x_arr)

    def score(theta: np.ndarray) -> np.ndarray:
        return xa.T @ (y_arr - activations.sigmoid(xa @ theta))

    def hessian(theta: np.ndarray) -> np.ndarray:
        p = activations.sigmoid(xa @ theta)
        return -(xa.T * (p * (1 - p))) @ xa

    theta, steps = _newton(score, hessian, np.zeros(xa.shape[1]), tol, max_steps)
    return Fit(theta[:-1], theta[-1], steps)


def fit_logistic_min_cross_entropy(
    x: object, y: object, tol: float = 1e-12, max_steps: int = 100_000
) -> Fit:
    r"""Logistic regression by minimising the mean cross-entropy with gradient descent.

    .. math:: \theta \leftarrow \theta - \eta\, \nabla \bar H(\theta), \qquad
              \nabla \bar H = \frac{1}{N} \sum_i (p_i - y_i)\, \tilde x_i

    with the per-logit gradient from :func:`ce_book.gradients.binary_cross_entropy_with_logits_grad`
    (``reduction="mean"``) and the constant step :math:`\eta = 4 / \lambda_{\max}(\tilde X^\top
    \tilde X / N)` of :func:`descent_step_size`, the inverse of the largest curvature
    :math:`\bar H` can have. It starts at
    zero and stops when no component of the gradient exceeds ``tol``.

    >>> fit = fit_logistic_min_cross_entropy([[0.0], [0.0], [1.0], [1.0]], [0, 1, 0, 1])
    >>> float(fit.w[0]), float(fit.b), fit.steps
    (0.0, 0.0, 0)
    """
    x_arr = _design(x)
    y_arr = _labels(y, x_arr.shape[0], 2).astype(np.float64)
    xa = _augment(x_arr)

    def grad(theta: np.ndarray) -> np.ndarray:
        dz = gradients.binary_cross_entropy_with_logits_grad(xa @ theta, y_arr, reduction="mean")
        return xa.T @ dz

    lr = descent_step_size(x_arr)
    theta, steps = _gradient_descent(grad, np.zeros(xa.shape[1]), lr, tol, max_steps)
    return Fit(theta[:-1], theta[-1], steps)


def fit_softmax_max_likelihood(
    x: object, y: object, k: int, tol: float = 1e-12, max_steps: int = 100
) -> Fit:
    r"""Softmax regression over ``k`` classes by maximum likelihood: Newton's method on ``ell``.

    With :math:`\Theta = [W; b^\top]` of shape :math:`(d + 1, K)`, the score and Hessian are

    .. math:: \nabla_\Theta \ell = \sum_i \tilde x_i (t_i - p_i)^\top, \qquad
              \nabla^2 \ell = -\sum_i \tilde x_i \tilde x_i^\top \otimes J_i,
              \quad J_i = \operatorname{diag}(p_i) - p_i p_i^\top

    written straight from the likelihood, with :math:`p_i` from
    :func:`ce_book.activations.softmax` and :math:`t_i` the one-hot label.
    Adding the same vector :math:`u \in \mathbb{R}^{d+1}` to every class's parameters
    (every column of :math:`\Theta`) changes no prediction, so the maximisers form a
    :math:`(d + 1)`-dimensional affine subspace, not a point; starting from zero with
    minimum-norm Newton steps picks the one point in it whose parameters sum to zero over the
    classes, :math:`\Theta \mathbf 1 = 0`.

    >>> fit = fit_softmax_max_likelihood([[0.0]] * 4, [0, 0, 1, 2], k=3)
    >>> [round(float(v), 12) for v in activations.softmax(fit.b)]  # the class frequencies
    [0.5, 0.25, 0.25]
    """
    x_arr = _design(x)
    y_arr = _labels(y, x_arr.shape[0], k)
    xa = _augment(x_arr)

    t = np.eye(k)[y_arr]

    def score(theta: np.ndarray) -> np.ndarray:
        return xa.T @ (t - activations.softmax(xa @ theta))

    def hessian(theta: np.ndarray) -> np.ndarray:
        p = activations.softmax(xa @ theta)
        jac = p[:, :, None] * (np.eye(k)[None] - p[:, None, :])  # diag(p_i) - p_i p_i^T
        h = np.einsum("ia,ib,ikl->akbl", xa, xa, jac)  # row-major order of theta's entries
        n_params = xa.shape[1] * k
        return -h.reshape(n_params, n_params)

    theta, steps = _newton(score, hessian, np.zeros((xa.shape[1], k)), tol, max_steps)
    return Fit(theta[:-1], theta[-1], steps)


def fit_softmax_min_cross_entropy(
    x: object, y: object, k: int, tol: float = 1e-12, max_steps: int = 100_000
) -> Fit:
    r"""Softmax regression by minimising the mean cross-entropy with gradient descent.

    .. math:: \Theta \leftarrow \Theta - \eta\, \frac{1}{N} \sum_i \tilde x_i (p_i - t_i)^\top

    with the gradient from :func:`ce_book.gradients.cross_entropy_grad` and the constant step
    :math:`\eta = 2 / \lambda_{\max}(\tilde X^\top \tilde X / N)` of :func:`descent_step_size`
    (the softmax Jacobian's eigenvalues are at most 1/2). From zero, every step keeps
    :math:`\Theta \mathbf 1 = 0` because each :math:`p_i - t_i` sums to zero, so it converges
    to the same point as :func:`fit_softmax_max_likelihood`.

    >>> fit = fit_softmax_min_cross_entropy([[0.0]] * 4, [0, 0, 1, 2], k=3)
    >>> [round(float(v), 9) for v in activations.softmax(fit.b)]
    [0.5, 0.25, 0.25]
    """
    x_arr = _design(x)
    y_arr = _labels(y, x_arr.shape[0], k)
    xa = _augment(x_arr)

    def grad(theta: np.ndarray) -> np.ndarray:
        return xa.T @ gradients.cross_entropy_grad(xa @ theta, y_arr, reduction="mean")

    lr = descent_step_size(x_arr, "softmax")
    theta, steps = _gradient_descent(grad, np.zeros((xa.shape[1], k)), lr, tol, max_steps)
    return Fit(theta[:-1], theta[-1], steps)


# --------------------------------------------------------------------------------------------
# Small synthetic datasets (fixed seeds) for the chapter, its figures and its lab
# --------------------------------------------------------------------------------------------


def synthetic_binary(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    r"""``n`` samples of one feature :math:`x \sim \mathcal N(0, 1)` and a label drawn with
    :math:`P(y = 1 \mid x) = \sigma(2x - 0.5)`; the classes overlap, so the MLE exists.

    >>> x, y = synthetic_binary(5)
    >>> x.shape, y.shape, y.dtype
    ((5, 1), (5,), dtype('int64'))
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 1))
    y = (rng.random(n) < activations.sigmoid(2.0 * x[:, 0] - 0.5)).astype(np.int64)
    return x, y


def synthetic_categorical(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    r"""``n`` samples of two features :math:`x \sim \mathcal N(0, I)` and one of three classes
    drawn from :math:`\operatorname{softmax}(W^\top x + b)` with a fixed :math:`W`, :math:`b`.

    >>> x, y = synthetic_categorical(5)
    >>> x.shape, y.shape, int(y.max()) <= 2
    ((5, 2), (5,), True)
    """
    w_true = np.array([[2.0, -1.0, -1.0], [0.0, 1.5, -1.5]])
    b_true = np.array([0.0, 0.5, -0.5])
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 2))
    p = activations.softmax(x @ w_true + b_true)
    u = rng.random((n, 1))
    y = np.minimum(np.sum(np.cumsum(p, axis=1) < u, axis=1), 2).astype(np.int64)
    return x, y
