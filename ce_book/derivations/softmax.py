r"""Derivations about the softmax: its partial derivatives, its Jacobian and the Jacobian's
properties (symmetric, rows summing to zero, positive semi-definite)."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Step
from ce_book.derivations.notation import (
    ARRAYS,
    DELTA,
    DIAG_P,
    INDICES,
    J_MAT,
    JACOBIAN,
    P_VEC,
    SIZES,
    SOFTMAX,
    SOFTMAX_SUM,
    SOFTMAX_TEXT,
    J,
    K,
    frac,
    i,
    j,
    k,
    p,
    product,
    sum_k,
    v,
    z,
)

_SOFTMAX = Assumptions(SOFTMAX_TEXT, (K, i, j, k, z, p), (SOFTMAX,), INDICES, SIZES)
_E_I, _E_J = sp.exp(z[i]), sp.exp(z[j])

SOFTMAX_PARTIALS = Derivation(
    id="softmax-partials",
    title="The partial derivatives of the softmax",
    statement=r"For any number of classes $K$, "
    r"$\partial p_i / \partial z_j = p_i(\delta_{ij} - p_j)$: raising one logit raises its own "
    r"probability and lowers every other one.",
    assumptions=_SOFTMAX,
    steps=(
        Step(
            sp.Eq(sp.Derivative(p[i], z[j]), sp.Derivative(SOFTMAX.rhs, z[j])),
            "definition of the softmax",
        ),
        Step(
            frac(DELTA * _E_I * SOFTMAX_SUM - _E_I * _E_J, SOFTMAX_SUM**2),
            "quotient rule; the derivative of the sum is $e^{z_j}$",
        ),
        Step(
            sp.Mul(frac(_E_I, SOFTMAX_SUM), DELTA, evaluate=False)
            - sp.Mul(frac(_E_I, SOFTMAX_SUM), frac(_E_J, SOFTMAX_SUM), evaluate=False),
            "split the fraction",
        ),
        Step(p[i] * DELTA - p[i] * p[j], "definition of the softmax"),
        Step(p[i] * (DELTA - p[j]), "factor out $p_i$"),
    ),
    result=sp.Eq(sp.Derivative(p[i], z[j]), p[i] * (DELTA - p[j])),
)

_DIAG_MINUS_OUTER = DIAG_P - P_VEC * P_VEC.T

SOFTMAX_JACOBIAN = Derivation(
    id="softmax-jacobian",
    title="The softmax Jacobian in matrix form",
    statement=r"The Jacobian $J_{ij} = \partial p_i / \partial z_j$ of the softmax is "
    r"$J = \operatorname{diag}(p) - p p^\top$.",
    assumptions=Assumptions(
        SOFTMAX_TEXT + r" $J$ is the $K \times K$ matrix with entries $J_{ij}$.",
        (K, i, j, k, z, p, J),
        (SOFTMAX, JACOBIAN),
        INDICES,
        SIZES,
        ARRAYS,
    ),
    steps=(
        Step(sp.Eq(J[i, j], sp.Derivative(p[i], z[j])), "definition of the Jacobian"),
        Step(p[i] * (DELTA - p[j]), "softmax-partials"),
        Step(p[i] * DELTA - p[i] * p[j], "expand"),
        Step(
            sp.Eq(J_MAT, _DIAG_MINUS_OUTER),
            r"entries of $\operatorname{diag}(p)$ and of the outer product $p p^\top$",
        ),
    ),
    result=sp.Eq(J_MAT, _DIAG_MINUS_OUTER),
)

_J_ENTRY = Definition(J[i, j], p[i] * (DELTA - p[j]))
_SUM_P = sp.Eq(sum_k(p[k]), 1)
_VJV = sp.Sum(sp.Sum(product(v[i], J[i, j], v[j]), (j, 1, K)), (i, 1, K))
_MEAN = sum_k(p[k] * v[k])
_SQUARES = sp.Sum(p[i] * (v[i] - _MEAN) ** 2, (i, 1, K))

SOFTMAX_JACOBIAN_PROPERTIES = Derivation(
    id="softmax-jacobian-properties",
    title="The softmax Jacobian is symmetric, sums to zero and is positive semi-definite",
    statement=r"$J = \operatorname{diag}(p) - p p^\top$ is symmetric, $J \mathbf{1} = 0$ "
    r"(adding a constant to every logit changes nothing), and $v^\top J v \ge 0$ for every "
    r"$v$: the quadratic form is the variance of $v$ under $p$.",
    assumptions=Assumptions(
        SOFTMAX_TEXT.replace(
            "and $p_i", "and $p$ any distribution with all $p_i > 0$ (such as $p_i"
        ).replace(r"the softmax, so", r"the softmax), so")
        + r" $J_{ij} = p_i(\delta_{ij} - p_j)$ (softmax-jacobian) and $v \in \mathbb{R}^K$.",
        (K, i, j, k, p, v, J),
        (_J_ENTRY,),
        INDICES,
        SIZES,
    ),
    steps=(
        Step(sp.Eq(J[i, j], p[i] * DELTA - p[i] * p[j]), "softmax-jacobian"),
        Step(p[j] * DELTA - p[j] * p[i], r"$\delta_{ij}$ is zero unless $i = j$"),
        Step(J[j, i], "softmax-jacobian, with $i$ and $j$ swapped"),
        Step(
            sp.Eq(sp.Sum(J[i, j], (j, 1, K)), sp.Sum(p[i] * (DELTA - p[j]), (j, 1, K))), "row sum"
        ),
        Step(p[i] - p[i] * sp.Sum(p[j], (j, 1, K)), "the delta picks $j = i$", (_SUM_P,)),
        Step(sp.S.Zero, "the probabilities sum to 1", (_SUM_P,)),
        Step(
            sp.Eq(_VJV, sp.Sum(p[i] * v[i] ** 2, (i, 1, K)) - _MEAN**2),
            "softmax-jacobian; the delta picks $j = i$",
        ),
        Step(_SQUARES, "expand the square; the probabilities sum to 1", (_SUM_P,)),
        Step(sp.Ge(_SQUARES, 0, evaluate=False), "a sum of squares with positive weights"),
    ),
    result=(
        sp.Eq(J[i, j], J[j, i]),
        sp.Eq(sp.Sum(J[i, j], (j, 1, K)), 0),
        sp.Ge(_VJV, 0, evaluate=False),
    ),
)

#: The chapter whose page shows these derivations.
CHAPTER = "categorical"

DERIVATIONS = (SOFTMAX_PARTIALS, SOFTMAX_JACOBIAN, SOFTMAX_JACOBIAN_PROPERTIES)
