r"""Derivations for the chapter beyond plain cross-entropy: the focal-loss gradient and the sign
of its weight, the gradient of the earth mover's distance for ordered classes, and why dividing
the gradient by a class distance does not give the gradient of any loss."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Hypothesis, Step
from ce_book.derivations.notation import (
    INDICES,
    SOFTMAX,
    SOFTMAX_TEXT,
    K,
    Notation,
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
    statement=r"With $p_y$ the probability of the true class $y$, the focal loss has the "
    r"gradient [[result]]: the cross-entropy gradient $p - e_y$, times a weight that is never "
    r"negative (focal-weight-nonnegative) and shrinks for examples already well classified.",
    assumptions=Assumptions(
        SOFTMAX_TEXT + r" $y$ is the true class, $\gamma$ the focusing parameter and $L$ the "
        r"focal loss.",
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
            "the partial derivatives of the softmax",
            cites=("softmax-partials",),
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
    r"one-hot target of class $y$ is the expected distance to the truth, $L$ below, with $d_k$ "
    r"the distance from class $k$ to $y$, and its gradient is [[result]]: a class is pushed "
    r"down in proportion to how much farther than the prediction's average distance it lies, "
    r"and the classes nearer than that average are pushed up.",
    assumptions=Assumptions(
        SOFTMAX_TEXT + r" The classes are ordered, neighbours one unit apart, and $y$ is the "
        r"true class; $d_k$ is the distance from class $k$ to $y$, a constant that does not "
        r"depend on $z$. The earth mover's distance to the one-hot target moves the mass $p_k$ "
        r"across each of the $d_k$ boundaries between $k$ and $y$ once, so it is $L$.",
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
        Step(
            sum_k(d[k] * p[k] * (sp.KroneckerDelta(k, j) - p[j])),
            "the partial derivatives of the softmax",
            cites=("softmax-partials",),
        ),
        Step(d[j] * p[j] - p[j] * _MEAN_DIST, "the delta picks $k = j$"),
        Step(sp.Mul(p[j], d[j] - _MEAN_DIST, evaluate=False), "factor out $p_j$"),
    ),
    result=sp.Eq(_DL, p[j] * (d[j] - _MEAN_DIST)),
)

# -- the seed's distance-scaled "gradient" -----------------------------------------------------

SCALED = Definition(F[i], p[i] / d[i])
_D2 = Hypothesis("H1", sp.Eq(d[2], 1), "class 2 is one step from the true class 1")
_D3 = Hypothesis("H2", sp.Eq(d[3], 2), "class 3 is two steps from it")
_CURL = sp.Derivative(F[i], z[j]) - sp.Derivative(F[j], z[i])
_CURL_RESULT = p[i] * p[j] * (1 / d[j] - 1 / d[i])
_AT_2_3 = _CURL_RESULT.xreplace({i: 2, j: 3})
_EXAMPLE = -p[2] * p[3] / 2

DISTANCE_SCALED_GRADIENT_NOT_CONSERVATIVE = Derivation(
    id="distance-scaled-gradient-not-conservative",
    title="Dividing the gradient by a class distance gives no loss",
    statement=r"The proposal to divide the probability of each wrong class $i$ by its distance "
    r"$d_i$ to the true class has [[result:0]], which is not zero when the distances differ. "
    r"The Jacobian of a gradient is a Hessian, and a Hessian is symmetric, so the proposal is "
    r"not the gradient of any twice-differentiable loss. With three classes, true class 1 and "
    r"distances 1 and 2, [[result:1]].",
    assumptions=Assumptions(
        SOFTMAX_TEXT + r" $i$ and $j$ are two wrong classes, $d_i$ and $d_j$ their distances to "
        r"the true class (constants, not depending on $z$), and $F_i$ is the proposed gradient "
        r"component for class $i$.",
        (K, i, j, k, z, p, d, F),
        (SOFTMAX, SCALED),
        INDICES,
        ((K, (3, 4)),),
        hypotheses=(_D2, _D3),
    ),
    steps=(
        Step(
            sp.Eq(_CURL, sp.Derivative(p[i], z[j]) / d[i] - sp.Derivative(p[j], z[i]) / d[j]),
            "definition of $F$ ($d$ is constant)",
        ),
        Step(
            p[i] * (sp.KroneckerDelta(i, j) - p[j]) / d[i]
            - p[j] * (sp.KroneckerDelta(j, i) - p[i]) / d[j],
            "the partial derivatives of the softmax",
            cites=("softmax-partials",),
        ),
        Step(_CURL_RESULT, "the delta terms cancel"),
        Step(
            sp.Eq(_AT_2_3, _EXAMPLE),
            "classes 2 and 3, at their distances",
            (_D2, _D3),
        ),
        Step(sp.Lt(_EXAMPLE, 0, evaluate=False), "probabilities are positive"),
    ),
    result=(
        sp.Eq(_CURL, _CURL_RESULT),
        sp.Lt(_AT_2_3, 0, evaluate=False),
    ),
)

# -- the sign of the focal weight -------------------------------------------------------------

g = Notation("g")
WEIGHT = Definition(g, _G)
_BELOW_1 = Hypothesis("H1", sp.Lt(p[y], 1), "the true class does not hold all the probability")

FOCAL_WEIGHT_NONNEGATIVE = Derivation(
    id="focal-weight-nonnegative",
    title="The focal loss weight is never negative",
    statement=r"The weight $g$ of the focal-loss gradient (focal-loss-gradient) satisfies "
    r"[[result]]: the focal gradient always points the same way as the cross-entropy gradient, "
    r"only shorter or longer.",
    assumptions=Assumptions(
        r"$p_y$ is the probability of the true class $y$, $\gamma$ the focusing parameter, and "
        r"$g$ the weight of the focal-loss gradient.",
        (y, p, gamma),
        (WEIGHT,),
        hypotheses=(_BELOW_1,),
    ),
    steps=(
        Step(sp.Eq(g, _G), "definition of $g$"),
        Step(
            sp.Ge(_G, 0),
            r"both terms are at least 0: $1 - p_y > 0$, and $\log p_y < 0$",
            (_BELOW_1,),
        ),
    ),
    result=sp.Ge(g, 0),
)

#: The chapter whose page shows these derivations.
CHAPTER = "beyond"

DERIVATIONS = (
    FOCAL_LOSS_GRADIENT,
    FOCAL_WEIGHT_NONNEGATIVE,
    EMD_ORDINAL_GRADIENT,
    DISTANCE_SCALED_GRADIENT_NOT_CONSERVATIVE,
)
