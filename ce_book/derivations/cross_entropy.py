r"""Derivations about softmax cross-entropy: its gradient, its Hessian and label smoothing."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Step
from ce_book.derivations.notation import (
    INDICES,
    JACOBIAN,
    SIZES,
    SOFTMAX,
    SOFTMAX_TEXT,
    J,
    K,
    i,
    j,
    k,
    p,
    sum_k,
    t,
    z,
)

L = sp.Symbol("L")
eps = sp.Symbol("epsilon", real=True)
CE = Definition(L, -sum_k(t[k] * sp.log(p[k])))
_SUM_T = sp.Eq(sum_k(t[k]), 1)
_TEXT = SOFTMAX_TEXT + (
    r" $t_1, \dots, t_K$ are real targets (one-hot, or soft) and "
    r"$L = -\sum_{k} t_k \log p_k$ is the cross-entropy of the prediction $p$ against $t$."
)
_CE = Assumptions(_TEXT, (K, i, j, k, z, p, t), (SOFTMAX, CE), INDICES, SIZES)
_DL = sp.Derivative(L, z[j])
_GRADIENT = p[j] * sum_k(t[k]) - t[j]

CE_SOFTMAX_GRADIENT = Derivation(
    id="ce-softmax-gradient",
    title="The gradient of softmax cross-entropy with respect to the logits",
    statement=r"$\partial L / \partial z_j = p_j \sum_k t_k - t_j$, which is $p_j - t_j$ when "
    r"the targets sum to 1 (one-hot or soft labels); either way the components sum to zero.",
    assumptions=_CE,
    steps=(
        Step(
            sp.Eq(_DL, -sum_k(t[k] * sp.Derivative(sp.log(p[k]), z[j]))),
            "definition of $L$; the derivative of a sum is the sum of the derivatives",
        ),
        Step(-sum_k(t[k] / p[k] * sp.Derivative(p[k], z[j])), "chain rule"),
        Step(
            -sum_k(sp.Mul(t[k] / p[k], p[k] * (sp.KroneckerDelta(k, j) - p[j]), evaluate=False)),
            "softmax-partials",
        ),
        Step(-sum_k(t[k] * (sp.KroneckerDelta(k, j) - p[j])), "cancel $p_k$"),
        Step(_GRADIENT, "the delta picks $k = j$"),
        Step(p[j] - t[j], "the targets sum to 1", (_SUM_T,)),
        Step(
            sp.Eq(sp.Sum(_DL, (j, 1, K)), sp.Sum(_GRADIENT, (j, 1, K))),
            "the gradient above, summed over $j$",
        ),
        Step(sum_k(t[k]) * sp.Sum(p[j], (j, 1, K)) - sp.Sum(t[j], (j, 1, K)), "linearity"),
        Step(sp.S.Zero, "the probabilities sum to 1"),
    ),
    result=(
        sp.Eq(_DL, _GRADIENT),
        sp.Eq(_DL, p[j] - t[j]),
        sp.Eq(sp.Sum(_DL, (j, 1, K)), 0),
    ),
)

_H = sp.Derivative(L, z[j], z[i])

CE_SOFTMAX_HESSIAN = Derivation(
    id="ce-softmax-hessian",
    title="The Hessian of softmax cross-entropy is the softmax Jacobian",
    statement=r"When the targets sum to 1, the Hessian of $L$ with respect to the logits is "
    r"$\partial^2 L / \partial z_i \partial z_j = J_{ij} = p_i(\delta_{ij} - p_j)$, which is "
    r"positive semi-definite (softmax-jacobian-properties): $L$ is convex in the logits.",
    assumptions=Assumptions(
        _TEXT + r" $J_{ij} = \partial p_i / \partial z_j$ is the softmax Jacobian.",
        (K, i, j, k, z, p, t, J),
        (SOFTMAX, CE, JACOBIAN),
        INDICES,
        SIZES,
    ),
    steps=(
        Step(sp.Eq(_H, sp.Derivative(_GRADIENT, z[i])), "ce-softmax-gradient"),
        Step(sum_k(t[k]) * sp.Derivative(p[j], z[i]), "the targets do not depend on $z$"),
        Step(sum_k(t[k]) * p[j] * (sp.KroneckerDelta(j, i) - p[i]), "softmax-partials"),
        Step(p[j] * (sp.KroneckerDelta(j, i) - p[i]), "the targets sum to 1", (_SUM_T,)),
        Step(p[i] * (sp.KroneckerDelta(i, j) - p[j]), "the delta is zero unless $i = j$"),
        Step(J[i, j], "softmax-partials"),
    ),
    result=sp.Eq(_H, J[i, j]),
)

_SMOOTH_K = (1 - eps) * t[k] + eps / K
_SMOOTH_J = (1 - eps) * t[j] + eps / K
LS = Definition(L, -sum_k(_SMOOTH_K * sp.log(p[k])))

LABEL_SMOOTHING_GRADIENT = Derivation(
    id="label-smoothing-gradient",
    title="The gradient of cross-entropy with label smoothing",
    statement=r"Label smoothing with weight $\varepsilon$ over $K$ classes replaces the targets "
    r"by $(1 - \varepsilon) t + \varepsilon / K$, and the gradient becomes "
    r"$p_j - \big((1 - \varepsilon) t_j + \varepsilon / K\big)$.",
    assumptions=Assumptions(
        SOFTMAX_TEXT + r" $t$ are targets that sum to 1, $\varepsilon$ is the smoothing weight and "
        r"$L = -\sum_k \big((1 - \varepsilon) t_k + \varepsilon / K\big) \log p_k$.",
        (K, i, j, k, z, p, t, eps),
        (SOFTMAX, LS),
        INDICES,
        SIZES,
    ),
    steps=(
        Step(
            sp.Eq(_DL, p[j] * sum_k(_SMOOTH_K) - _SMOOTH_J),
            r"ce-softmax-gradient with targets $(1 - \varepsilon) t + \varepsilon / K$",
        ),
        Step(p[j] * ((1 - eps) * sum_k(t[k]) + eps) - _SMOOTH_J, "linearity"),
        Step(p[j] - _SMOOTH_J, "the targets sum to 1", (_SUM_T,)),
    ),
    result=sp.Eq(_DL, p[j] - _SMOOTH_J),
)

#: The chapter whose page shows these derivations.
CHAPTER = "gradients"

DERIVATIONS = (CE_SOFTMAX_GRADIENT, CE_SOFTMAX_HESSIAN, LABEL_SMOOTHING_GRADIENT)
