r"""Derivations for the chapter beyond plain cross-entropy: the focal-loss gradient, the
gradient of the earth mover's distance for ordered classes, and why dividing the gradient by
a class distance does not give the gradient of any loss."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Step
from ce_book.derivations.notation import (
    INDICES,
    SOFTMAX,
    SOFTMAX_TEXT,
    K,
    i,
    j,
    k,
    p,
    sum_k,
    z,
)

L = sp.Symbol("L")
gamma = sp.Symbol("gamma", positive=True)
y = sp.Symbol("y", integer=True, positive=True)
d = sp.IndexedBase("d", nonnegative=True)
F = sp.IndexedBase("F", real=True)
_DELTA_JY = sp.KroneckerDelta(j, y)
_DL = sp.Derivative(L, z[j])

# -- focal loss ------------------------------------------------------------------------------

_M = 1 - p[y]
FOCAL = Definition(L, -(_M**gamma) * sp.log(p[y]))
_G = _M**gamma - gamma * p[y] * _M ** (gamma - 1) * sp.log(p[y])
_PARTIAL_PY = p[y] * (_DELTA_JY - p[j])

FOCAL_LOSS_GRADIENT = Derivation(
    id="focal-loss-gradient",
    title="The gradient of the focal loss",
    statement=r"With $p_y$ the probability of the true class $y$, the focal loss "
    r"$L = -(1 - p_y)^\gamma \log p_y$ has the gradient "
    r"$\partial L / \partial z_j = g\,(p_j - \delta_{jy})$ with "
    r"$g = (1 - p_y)^\gamma - \gamma\, p_y (1 - p_y)^{\gamma - 1} \log p_y \ge 0$: the "
    r"cross-entropy gradient $p - e_y$, scaled down for examples already well classified.",
    assumptions=Assumptions(
        SOFTMAX_TEXT + r" $y$ is the true class, $\gamma > 0$ the focusing parameter and "
        r"$L = -(1 - p_y)^\gamma \log p_y$ the focal loss.",
        (K, i, j, k, y, z, p, gamma),
        (SOFTMAX, FOCAL),
        (*INDICES, (y, K)),
        ((K, (2, 3)),),
    ),
    steps=(
        Step(
            sp.Eq(
                _DL,
                -sp.Derivative(_M**gamma, z[j]) * sp.log(p[y])
                - _M**gamma * sp.Derivative(sp.log(p[y]), z[j]),
            ),
            "definition of $L$; product rule",
        ),
        Step(
            gamma * _M ** (gamma - 1) * sp.log(p[y]) * sp.Derivative(p[y], z[j])
            - _M**gamma / p[y] * sp.Derivative(p[y], z[j]),
            "chain rule, twice",
        ),
        Step(
            sp.Mul(
                gamma * _M ** (gamma - 1) * sp.log(p[y]) - _M**gamma / p[y],
                _PARTIAL_PY,
                evaluate=False,
            ),
            "softmax-partials",
        ),
        Step(sp.Mul(_G, p[j] - _DELTA_JY, evaluate=False), "multiply out; flip the sign"),
    ),
    result=sp.Eq(_DL, _G * (p[j] - _DELTA_JY)),
)

# -- earth mover's distance to a one-hot target, for ordered classes --------------------------

EMD = Definition(L, sum_k(d[k] * p[k]))
_MEAN_DIST = sum_k(d[k] * p[k])

EMD_ORDINAL_GRADIENT = Derivation(
    id="emd-ordinal-gradient",
    title="The gradient of the earth mover's distance to the true class",
    statement=r"For ordered classes one unit apart, the earth mover's distance from $p$ to the "
    r"one-hot target of class $y$ is the expected distance to the truth, "
    r"$L = \sum_k d_k\, p_k$ with $d_k = |k - y|$, and its gradient is "
    r"$\partial L / \partial z_j = p_j\big(d_j - \sum_k d_k\, p_k\big)$: a class is pushed "
    r"down in proportion to how much farther than the prediction's average distance it lies, "
    r"and the classes nearer than that average are pushed up.",
    assumptions=Assumptions(
        SOFTMAX_TEXT + r" The classes are ordered, neighbours one unit apart, and $y$ is the "
        r"true class. The earth mover's distance to the one-hot target is "
        r"$\sum_{b=1}^{K-1} |P_b - T_b|$ with $P_b = \sum_{k \le b} p_k$ and $T_b$ the "
        r"target's cumulative (0 below $y$, 1 from $y$ on); the mass $p_k$ crosses each of the "
        r"$|k - y|$ boundaries between $k$ and $y$ once, so it equals "
        r"$L = \sum_k d_k\, p_k$ with $d_k = |k - y| \ge 0$, constants that do not depend "
        r"on $z$.",
        (K, i, j, k, z, p, d),
        (SOFTMAX, EMD),
        INDICES,
        ((K, (2, 3)),),
    ),
    steps=(
        Step(
            sp.Eq(_DL, sum_k(d[k] * sp.Derivative(p[k], z[j]))),
            "definition of $L$ ($d$ is constant)",
        ),
        Step(sum_k(d[k] * p[k] * (sp.KroneckerDelta(k, j) - p[j])), "softmax-partials"),
        Step(d[j] * p[j] - p[j] * _MEAN_DIST, "the delta picks $k = j$"),
        Step(sp.Mul(p[j], d[j] - _MEAN_DIST, evaluate=False), "factor out $p_j$"),
    ),
    result=sp.Eq(_DL, p[j] * (d[j] - _MEAN_DIST)),
)

# -- the seed's distance-scaled "gradient" -----------------------------------------------------

SCALED = Definition(F[i], p[i] / d[i])
_CURL = sp.Derivative(F[i], z[j]) - sp.Derivative(F[j], z[i])
_CURL_RESULT = p[i] * p[j] * (1 / d[j] - 1 / d[i])
_AT_2_3 = _CURL_RESULT.xreplace({i: 2, j: 3})
_EXAMPLE = -p[2] * p[3] / 2

DISTANCE_SCALED_GRADIENT_NOT_CONSERVATIVE = Derivation(
    id="distance-scaled-gradient-not-conservative",
    title="Dividing the gradient by a class distance gives no loss",
    statement=r"The proposal $F_i = p_i / d_i$ for the wrong classes $i$ (with $d_i$ the "
    r"distance from class $i$ to the true class) has "
    r"$\partial F_i / \partial z_j - \partial F_j / \partial z_i = p_i p_j (1/d_j - 1/d_i)$, "
    r"which is not zero when $d_i \ne d_j$. The Jacobian of a gradient is a Hessian, and a "
    r"Hessian is symmetric, so $F$ is not the gradient of any twice-differentiable loss. "
    r"With $K = 3$ and true class 1 ($d_2 = 1$, $d_3 = 2$) the difference is $-p_2 p_3 / 2$.",
    assumptions=Assumptions(
        SOFTMAX_TEXT
        + r" $K \ge 3$; $i$ and $j$ are two wrong classes, $d_i > 0$ their distances to the "
        r"true class (constants, not depending on $z$), and $F_i = p_i / d_i$ is the proposed "
        r"gradient component for class $i$.",
        (K, i, j, k, z, p, d, F),
        (SOFTMAX, SCALED),
        INDICES,
        ((K, (3, 4)),),
    ),
    steps=(
        Step(
            sp.Eq(_CURL, sp.Derivative(p[i], z[j]) / d[i] - sp.Derivative(p[j], z[i]) / d[j]),
            "definition of $F$ ($d$ is constant)",
        ),
        Step(
            p[i] * (sp.KroneckerDelta(i, j) - p[j]) / d[i]
            - p[j] * (sp.KroneckerDelta(j, i) - p[i]) / d[j],
            "softmax-partials",
        ),
        Step(_CURL_RESULT, "the delta terms cancel"),
        Step(
            sp.Eq(_AT_2_3, _EXAMPLE),
            "$i = 2$, $j = 3$, $d_2 = 1$, $d_3 = 2$",
            (sp.Eq(d[2], 1), sp.Eq(d[3], 2)),
        ),
        Step(sp.Lt(_EXAMPLE, 0, evaluate=False), "probabilities are positive"),
    ),
    result=(
        sp.Eq(_CURL, _CURL_RESULT),
        sp.Lt(_AT_2_3, 0, evaluate=False),
    ),
)

#: The chapter whose page shows these derivations.
CHAPTER = "beyond"

DERIVATIONS = (
    FOCAL_LOSS_GRADIENT,
    EMD_ORDINAL_GRADIENT,
    DISTANCE_SCALED_GRADIENT_NOT_CONSERVATIVE,
)
