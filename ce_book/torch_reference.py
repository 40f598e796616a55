r"""PyTorch as a reference: one L-BFGS fit that claims, tests and labs share.

PyTorch is never a runtime dependency of the book; this module imports it inside the
function, so only the callers that compare with PyTorch need it installed.

>>> import numpy as np
>>> (x,) = lbfgs(lambda t: ((t - 3.0) ** 2).sum(), [np.zeros(2)])
>>> np.allclose(x, 3.0)
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


def lbfgs(
    loss: Callable[..., Any],
    start: Sequence[np.ndarray],
    *,
    max_iter: int = 500,
    tolerance_grad: float = 1e-14,
    tolerance_change: float = 0.0,
) -> list[np.ndarray]:
    r"""Minimise ``loss(*params)`` with ``torch.optim.LBFGS`` (strong-Wolfe line search, float64).

    Starts from ``start`` (one array per parameter) and returns the minimisers as arrays:
    :math:`\hat\theta = \arg\min_\theta L(\theta)` as PyTorch's optimiser finds it, to compare
    with the book's own fits (Newton's method, bisection).
    """
    import torch

    params = [torch.tensor(np.asarray(p, dtype=np.float64), requires_grad=True) for p in start]
    opt = torch.optim.LBFGS(
        params,
        lr=1,
        max_iter=max_iter,
        tolerance_grad=tolerance_grad,
        tolerance_change=tolerance_change,
        line_search_fn="strong_wolfe",
    )

    def closure() -> Any:
        opt.zero_grad()
        value = loss(*params)
        value.backward()
        return value

    opt.step(closure)
    return [p.detach().numpy().copy() for p in params]
