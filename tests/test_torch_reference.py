"""Every loss and gradient against PyTorch (torch==2.13.0, CPU) as the reference implementation.

Losses are compared with ``torch.nn.functional``; gradients with autograd, back-propagating
ones (so for ``reduction="none"`` the gradient of the sum). The grid covers every option and
their combinations on small random cases, both target kinds and both dtypes.

The book mirrors two PyTorch conventions on purpose, and the tests below pin them:
``binary_cross_entropy`` clamps each log at -100, and its gradient divides by
``max(p (1 - p), 1e-12)``. It departs from PyTorch in one place: a mean over no (or only
zero-weight) targets raises instead of returning nan (tested in test_bad_input.py).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from ce_book import gradients as G
from ce_book import losses as L

pytestmark = pytest.mark.torch

TOL = {np.float64: {"rtol": 1e-12, "atol": 1e-14}, np.float32: {"rtol": 2e-5, "atol": 2e-6}}
REDUCTIONS = ["none", "mean", "sum"]
SHAPES = [(5,), (6, 5), (3, 4, 2, 3)]  # (C,), (N, C), (N, C, d1, d2)


def _torch_value_and_grad(torch, fn, x: np.ndarray, reduction: str, **kw):
    xt = torch.tensor(x, requires_grad=True)
    out = fn(xt, reduction=reduction, **kw)
    out.backward(torch.ones_like(out))
    return out.detach().numpy(), xt.grad.numpy()


def _check(ours, theirs, dtype) -> None:
    assert np.asarray(ours).dtype == dtype
    assert np.shape(ours) == np.shape(theirs)
    np.testing.assert_allclose(ours, theirs, **TOL[dtype])


def _class_case(rng, shape, dtype, ignore_index):
    x = (rng.normal(size=shape) * 3).astype(dtype)
    n_classes = shape[0] if len(shape) == 1 else shape[1]
    target_shape = () if len(shape) == 1 else (shape[0], *shape[2:])
    y = rng.integers(0, n_classes, size=target_shape)
    if y.flat[0] == ignore_index:  # keep one target, so that a mean is defined
        y.flat[0] = (y.flat[0] + 1) % n_classes
    if ignore_index == -100 and y.ndim:
        y.flat[1::2] = -100  # some targets ignored, not all
    return x, y


CE_GRID = list(
    itertools.product(
        SHAPES, [np.float64, np.float32], [None, "w"], [-100, 1], REDUCTIONS, [0.0, 0.3, 1.0]
    )
)


@pytest.mark.parametrize(("shape", "dtype", "weight", "ii", "reduction", "ls"), CE_GRID)
def test_cross_entropy_class_targets(torch, rng, shape, dtype, weight, ii, reduction, ls):
    x, y = _class_case(rng, shape, dtype, ii)
    n_classes = x.shape[0] if x.ndim == 1 else x.shape[1]
    w = None if weight is None else rng.uniform(0.2, 2.0, n_classes).astype(dtype)
    kw = {"ignore_index": ii, "label_smoothing": ls}
    tw = None if w is None else torch.tensor(w)
    ref_loss, ref_grad = _torch_value_and_grad(
        torch,
        lambda xt, **k: torch.nn.functional.cross_entropy(xt, torch.tensor(y), weight=tw, **k),
        x,
        reduction,
        **kw,
    )
    loss = L.cross_entropy(x, y, weight=w, reduction=reduction, **kw)
    fused_loss, fused_grad = G.cross_entropy_and_grad(x, y, weight=w, reduction=reduction, **kw)
    grad = G.cross_entropy_grad(x, y, weight=w, reduction=reduction, **kw)
    _check(loss, ref_loss, dtype)
    _check(fused_loss, ref_loss, dtype)
    np.testing.assert_array_equal(fused_loss, loss)  # one implementation, one answer
    _check(grad, ref_grad, dtype)
    _check(fused_grad, ref_grad, dtype)


@pytest.mark.parametrize(
    ("shape", "dtype", "weight", "reduction", "ls"),
    list(itertools.product(SHAPES, [np.float64, np.float32], [None, "w"], REDUCTIONS, [0, 0.3])),
)
def test_cross_entropy_probability_targets(torch, rng, shape, dtype, weight, reduction, ls):
    x = (rng.normal(size=shape) * 3).astype(dtype)
    axis = 0 if len(shape) == 1 else 1
    t = rng.dirichlet(np.ones(shape[axis]), size=[s for i, s in enumerate(shape) if i != axis])
    t = np.moveaxis(t, -1, axis).astype(dtype)
    w = None if weight is None else rng.uniform(0.2, 2.0, shape[axis]).astype(dtype)
    tw = None if w is None else torch.tensor(w)
    ref_loss, ref_grad = _torch_value_and_grad(
        torch,
        lambda xt, **k: torch.nn.functional.cross_entropy(xt, torch.tensor(t), weight=tw, **k),
        x,
        reduction,
        label_smoothing=ls,
    )
    kw = {"weight": w, "reduction": reduction, "label_smoothing": ls}
    loss, grad = G.cross_entropy_and_grad(x, t, **kw)
    _check(L.cross_entropy(x, t, **kw), ref_loss, dtype)
    _check(loss, ref_loss, dtype)
    _check(grad, ref_grad, dtype)
    _check(G.cross_entropy_grad(x, t, **kw), ref_grad, dtype)


@pytest.mark.parametrize(
    ("shape", "dtype", "weight", "ii", "reduction"),
    list(itertools.product(SHAPES, [np.float64, np.float32], [None, "w"], [-100, 2], REDUCTIONS)),
)
def test_nll_loss(torch, rng, shape, dtype, weight, ii, reduction):
    x, y = _class_case(rng, shape, dtype, ii)
    x = x - 5  # log-probabilities are usually negative; nll_loss accepts any real
    n_classes = x.shape[0] if x.ndim == 1 else x.shape[1]
    w = None if weight is None else rng.uniform(0.2, 2.0, n_classes).astype(dtype)
    tw = None if w is None else torch.tensor(w)
    ref_loss, ref_grad = _torch_value_and_grad(
        torch,
        lambda xt, **k: torch.nn.functional.nll_loss(xt, torch.tensor(y), weight=tw, **k),
        x,
        reduction,
        ignore_index=ii,
    )
    _check(L.nll_loss(x, y, weight=w, ignore_index=ii, reduction=reduction), ref_loss, dtype)
    _check(G.nll_loss_grad(x, y, weight=w, ignore_index=ii, reduction=reduction), ref_grad, dtype)


BINARY_GRID = list(
    itertools.product(
        [(7,), (4, 3)], [np.float64, np.float32], [None, "full", "last"], REDUCTIONS, [0, 1]
    )
)


def _binary_case(rng, shape, dtype, weight, hard):
    t = rng.integers(0, 2, size=shape) if hard else rng.uniform(0, 1, size=shape)
    w = {
        None: None,
        "full": rng.uniform(0.1, 2, size=shape),
        "last": rng.uniform(0.1, 2, size=shape[-1:]),  # broadcast along the last axis
    }[weight]
    return t.astype(dtype), None if w is None else w.astype(dtype)


@pytest.mark.parametrize(("shape", "dtype", "weight", "reduction", "hard"), BINARY_GRID)
def test_binary_cross_entropy(torch, rng, shape, dtype, weight, reduction, hard):
    p = rng.uniform(0.01, 0.99, size=shape).astype(dtype)
    t, w = _binary_case(rng, shape, dtype, weight, hard)
    tw = None if w is None else torch.tensor(w)
    ref_loss, ref_grad = _torch_value_and_grad(
        torch,
        lambda xt, **k: torch.nn.functional.binary_cross_entropy(xt, torch.tensor(t), tw, **k),
        p,
        reduction,
    )
    _check(L.binary_cross_entropy(p, t, w, reduction), ref_loss, dtype)
    _check(G.binary_cross_entropy_grad(p, t, w, reduction), ref_grad, dtype)


@pytest.mark.parametrize(("shape", "dtype", "weight", "reduction", "hard"), BINARY_GRID)
@pytest.mark.parametrize("pos", [False, True])
def test_binary_cross_entropy_with_logits(torch, rng, shape, dtype, weight, reduction, hard, pos):
    x = (rng.normal(size=shape) * 4).astype(dtype)
    t, w = _binary_case(rng, shape, dtype, weight, hard)
    pw = rng.uniform(0.2, 3, size=shape[-1:]).astype(dtype) if pos else None
    tw = None if w is None else torch.tensor(w)
    tpw = None if pw is None else torch.tensor(pw)
    ref_loss, ref_grad = _torch_value_and_grad(
        torch,
        lambda xt, **k: torch.nn.functional.binary_cross_entropy_with_logits(
            xt, torch.tensor(t), tw, pos_weight=tpw, **k
        ),
        x,
        reduction,
    )
    _check(L.binary_cross_entropy_with_logits(x, t, w, reduction, pos_weight=pw), ref_loss, dtype)
    grad = G.binary_cross_entropy_with_logits_grad(x, t, w, reduction, pos_weight=pw)
    _check(grad, ref_grad, dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_binary_cross_entropy_clamp_matches_torch(torch, dtype):
    """Probabilities of exactly 0 and 1 (and one below e^-100): the log clamp at -100 and the
    gradient floor 1e-12 are PyTorch's documented behaviour, mirrored on purpose."""
    p = np.array([0.0, 1.0, 0.0, 1.0, 1e-44, 1e-30, 0.5], dtype=dtype)
    t = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.25], dtype=dtype)
    ref_loss, ref_grad = _torch_value_and_grad(
        torch,
        lambda xt, **k: torch.nn.functional.binary_cross_entropy(xt, torch.tensor(t), **k),
        p,
        "none",
    )
    loss = L.binary_cross_entropy(p, t, reduction="none")
    assert loss[0] == loss[1] == 100.0
    _check(loss, ref_loss, dtype)
    _check(G.binary_cross_entropy_grad(p, t, reduction="none"), ref_grad, dtype)
