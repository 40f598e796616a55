r"""Cross-entropy losses with the semantics of ``torch.nn.functional``.

Argument order, defaults and results follow PyTorch, so code moves between the book and
PyTorch without surprises:

- :func:`binary_cross_entropy` (probabilities in) and :func:`binary_cross_entropy_with_logits`
  (logits in), element by element;
- :func:`nll_loss` (log-probabilities in) and :func:`cross_entropy` (logits in), with the
  classes along axis 1 of ``(N, C)`` or ``(N, C, d1, ...)`` inputs, or along the only axis of
  a ``(C,)`` input. ``cross_entropy`` takes class-index targets (an integer array) or class
  probabilities (a float array of the input's shape).

``reduction`` is ``"none"`` (one loss per sample), ``"sum"`` or ``"mean"``. For class-index
targets the mean is *weighted*: the sum of :math:`w_{y_n} \ell_n` divided by the sum of
:math:`w_{y_n}` over the targets that are not ``ignore_index``. Results keep the input's dtype
(float32 or float64).

Where this module departs from PyTorch it raises instead of returning ``nan``: a mean over no
(or only zero-weight) targets is 0/0, and PyTorch returns ``nan`` for it.
"""

from __future__ import annotations

import numpy as np

from ce_book._targets import Categorical, check_pos_weight, prepare_binary, prepare_categorical
from ce_book.activations import exp_shifted_rows, log_sigmoid

LOG_CLAMP = -100.0
"""PyTorch's lower bound on each log in :func:`binary_cross_entropy` (so the loss stays finite)."""

CHUNK_ELEMENTS = 1 << 17
"""Rows are processed in chunks of about this many entries, so each chunk stays in cache."""


def _cross_entropy_rows(pb: Categorical, grad: np.ndarray | None = None) -> np.ndarray:
    r"""Per-row losses of a validated problem; with ``grad`` given, also fill it with the gradient.

    One pass over the logits, in chunks of rows that stay in cache. ``grad`` (shape ``(R, C)``,
    the input's dtype) is the only logits-sized array written; without it a chunk-sized
    scratch buffer is used. Per row, with :math:`m = \max_j z_j`,
    :math:`\text{rest} = \sum_{j \ne j^*} e^{z_j - m}` and :math:`L = \log(1 + \text{rest})`,
    the loss of class :math:`c` is :math:`-\log p_c = (m - z_c) + L`, a sum of two
    non-negative terms, so no digits cancel.
    """
    x = pb.x
    n_rows, n_classes = x.shape
    step = max(1, CHUNK_ELEMENTS // max(n_classes, 1))
    scratch = None if grad is not None else np.empty((min(step, n_rows), n_classes), x.dtype)
    losses = np.empty(n_rows, dtype=x.dtype)
    for start in range(0, n_rows, step):
        stop = min(start + step, n_rows)
        buf = grad[start:stop] if grad is not None else scratch[: stop - start]
        chunk = slice(start, stop)
        if pb.class_indices:
            losses[chunk] = _class_chunk(pb, x[chunk], chunk, buf, grad is not None)
        else:
            losses[chunk] = _probability_chunk(pb, x[chunk], chunk, buf, grad is not None)
    return losses


def _class_chunk(pb: Categorical, z: np.ndarray, chunk: slice, buf: np.ndarray, want_grad: bool):
    dt = z.dtype.type
    eps, n_classes, w = pb.label_smoothing, z.shape[1], pb.weight
    rows = np.arange(z.shape[0])
    valid = pb.valid[chunk]
    y, w_y = pb.safe_targets(chunk)
    w_total = dt(n_classes) if w is None else w.sum(dtype=z.dtype)
    top, m, rest = exp_shifted_rows(z, buf)
    if not np.isfinite(m).all():
        raise ValueError("input: a row of logits is entirely -inf (no class is possible)")
    log1p_rest = np.log1p(rest)
    loss = np.zeros(len(y), z.dtype)
    with np.errstate(over="ignore", invalid="ignore"):  # masked (-inf) logits give inf
        if eps < 1:
            nll = w_y * ((m - z[rows, y]) + log1p_rest)
            loss += dt(1 - eps) * np.where(w_y > 0, nll, 0)
        if eps > 0:
            gap = m[:, None] - z
            spread = gap.sum(axis=1) if w is None else gap @ w
            loss += dt(eps / n_classes) * np.where(valid, spread + w_total * log1p_rest, 0)
    if want_grad:
        s = 1 / dt(pb.denominator)
        coef = s * (dt(1 - eps) * w_y + dt(eps / n_classes) * w_total * valid)
        buf *= (coef / (1 + rest))[:, None]
        buf[rows, y] -= s * dt(1 - eps) * w_y
        if eps > 0:
            buf -= s * dt(eps / n_classes) * (dt(1) if w is None else w)
            buf[~valid] = 0
        # For the top class p - 1 = -rest / (1 + rest); the subtraction above cancels.
        sure = np.flatnonzero((y == top) & valid)
        if sure.size:
            p_top = 1 / (1 + rest[sure])
            w_top = dt(1) if w is None else w[y[sure]]
            buf[sure, y[sure]] = s * (
                -dt(1 - eps) * w_y[sure] * rest[sure] * p_top
                + dt(eps / n_classes) * (w_total * p_top - w_top)
            )
    return loss


def _probability_chunk(pb: Categorical, z: np.ndarray, chunk: slice, buf: np.ndarray, want_grad):
    dt = z.dtype.type
    eps, n_classes = pb.label_smoothing, z.shape[1]
    t = pb.target[chunk]
    if eps > 0:
        t = dt(1 - eps) * t + dt(eps / n_classes)
    tw = t if pb.weight is None else t * pb.weight
    _, m, rest = exp_shifted_rows(z, buf)
    if not np.isfinite(m).all():
        raise ValueError("input: a row of logits is entirely -inf (no class is possible)")
    total_w = tw.sum(axis=1)
    with np.errstate(over="ignore", invalid="ignore"):
        terms = np.where(tw > 0, tw * (m[:, None] - z), 0)  # 0 log 0 = 0 for masked classes
    loss = terms.sum(axis=1) + total_w * np.log1p(rest)
    if want_grad:
        s = 1 / dt(pb.denominator)
        buf *= (s * total_w / (1 + rest))[:, None]
        buf -= s * tw
    return loss


def cross_entropy(
    input: object,
    target: object,
    weight: object = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> np.ndarray:
    r"""Cross-entropy between logits and targets, as ``torch.nn.functional.cross_entropy``.

    With :math:`\log p_{n,c} = z_{n,c} - \operatorname{LSE}(z_n)`, class weights :math:`w`
    (default 1), :math:`C` classes and smoothing :math:`\varepsilon`, a class-index target
    :math:`y_n` gives

    .. math:: \ell_n = -(1 - \varepsilon)\, w_{y_n} \log p_{n,y_n}
              - \frac{\varepsilon}{C} \sum_c w_c \log p_{n,c}

    (0 when :math:`y_n` is ``ignore_index``), and a probability target :math:`t_n` gives
    :math:`\ell_n = -\sum_c w_c\, t'_{n,c} \log p_{n,c}` with
    :math:`t' = (1 - \varepsilon)\, t + \varepsilon / C`.
    ``"mean"`` divides the sum by :math:`\sum_{n \text{ not ignored}} w_{y_n}` for class
    indices (for the smoothing term too, as PyTorch does) and by the number of samples
    for probabilities.

    >>> round(float(cross_entropy([[2.0, 1.0, 0.1]], [0])), 6)  # -log softmax(z)_0
    0.41703
    >>> float(cross_entropy([[1e30, 0.0]], [1]))  # huge logits stay finite
    1e+30
    >>> cross_entropy([[0.0, 0.0], [0.0, 0.0]], [[1.0, 0.0], [0.5, 0.5]], reduction="none")
    array([0.69314718, 0.69314718])
    """
    pb = prepare_categorical(input, target, weight, ignore_index, reduction, label_smoothing)
    return pb.reduce(_cross_entropy_rows(pb))


def nll_loss(
    input: object,
    target: object,
    weight: object = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> np.ndarray:
    r"""Negative log-likelihood of class-index targets, as ``torch.nn.functional.nll_loss``.

    ``input`` holds log-probabilities (for example from :func:`ce_book.activations.log_softmax`):

    .. math:: \ell_n = -w_{y_n}\, x_{n, y_n}, \qquad
              \text{mean} = \frac{\sum_n \ell_n}{\sum_{n \text{ not ignored}} w_{y_n}}

    >>> import numpy as np
    >>> float(nll_loss(np.log([[0.25, 0.75], [0.5, 0.5]]), [1, 0], reduction="sum"))
    0.9808292530117262
    """
    pb = prepare_categorical(
        input, target, weight, ignore_index, reduction, 0.0, probabilities=False
    )
    rows = np.arange(pb.x.shape[0])
    y, w_y = pb.safe_targets()
    with np.errstate(invalid="ignore"):  # weight 0 times a log-probability of -inf
        per_row = np.where(w_y > 0, -w_y * pb.x[rows, y], 0).astype(pb.x.dtype, copy=False)
    return pb.reduce(per_row + 0.0)


def binary_cross_entropy(
    input: object, target: object, weight: object = None, reduction: str = "mean"
) -> np.ndarray:
    r"""Binary cross-entropy of probabilities, as ``torch.nn.functional.binary_cross_entropy``.

    .. math:: \ell_n = -w_n \big[t_n \max(\log p_n, -100)
              + (1 - t_n) \max(\log(1 - p_n), -100)\big]

    Each log is clamped at :math:`-100`, exactly as PyTorch documents it, so a confident wrong
    prediction (``p = 0`` with ``t = 1``) costs 100 instead of :math:`\infty`. The book keeps
    this clamp so that both give the same numbers; the unclamped loss is
    :func:`binary_cross_entropy_with_logits`, or :func:`ce_book.info.cross_entropy`. The
    :math:`\log(1 - p)` is computed as ``log1p(-p)``. ``"mean"`` averages over all elements.

    >>> t = [0, 1, 1, 0, 0, 1, 1]; p = [0.07, 0.91, 0.74, 0.23, 0.85, 0.17, 0.94]
    >>> round(float(binary_cross_entropy(p, t, reduction="sum")), 12)
    4.46030345976
    >>> float(binary_cross_entropy([0.0], [1.0]))
    100.0
    """
    b = prepare_binary(input, target, weight, reduction, probs=True)
    p, t = b.x, b.target
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p), LOG_CLAMP)
        log_q = np.maximum(np.log1p(-p), LOG_CLAMP)
    loss = -(t * log_p + (1 - t) * log_q) + 0.0
    return b.reduce(loss if b.weight is None else loss * b.weight)


def binary_cross_entropy_with_logits(
    input: object,
    target: object,
    weight: object = None,
    reduction: str = "mean",
    pos_weight: object = None,
) -> np.ndarray:
    r"""Binary cross-entropy of logits, as PyTorch's ``binary_cross_entropy_with_logits``.

    With :math:`\log \sigma` from :func:`ce_book.activations.log_sigmoid` and the weight
    :math:`q` of positives (``pos_weight``, broadcast along the last axis, default 1):

    .. math:: \ell_n = -w_n \big[q\, t_n \log \sigma(x_n) + (1 - t_n) \log \sigma(-x_n)\big]

    Exact for every finite logit: no clamp is needed.

    >>> round(float(binary_cross_entropy_with_logits([0.0], [1.0])), 12)  # log 2
    0.69314718056
    >>> float(binary_cross_entropy_with_logits([-1000.0], [1.0]))
    1000.0
    """
    b = prepare_binary(input, target, weight, reduction, probs=False)
    x, t = b.x, b.target
    pos = 1 if pos_weight is None else check_pos_weight(pos_weight, x)
    loss = -(pos * t * log_sigmoid(x) + (1 - t) * log_sigmoid(-x)) + 0.0
    return b.reduce(loss if b.weight is None else loss * b.weight)
