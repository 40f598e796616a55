r"""Derivations about the softmax: its partial derivatives, its Jacobian and the Jacobian's
properties (symmetric, rows summing to zero, positive semi-definite), and the two-class softmax
as a sigmoid."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Hypothesis, Step
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
    SUM_P,
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
    statement=r"For any number of classes, [[result]]: raising one logit raises its own "
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
    statement=r"The Jacobian of the softmax, the matrix of its partial derivatives, is [[result]].",
    assumptions=Assumptions(
        SOFTMAX_TEXT + r" $J$ is the $K \times K$ Jacobian matrix, with entries $J_{ij}$.",
        (K, i, j, k, z, p, J),
        (SOFTMAX, JACOBIAN),
        INDICES,
        SIZES,
        ARRAYS,
    ),
    steps=(
        Step(sp.Eq(J[i, j], sp.Derivative(p[i], z[j])), "definition of the Jacobian"),
        Step(
            p[i] * (DELTA - p[j]),
            "the partial derivatives of the softmax",
            cites=("softmax-partials",),
        ),
        Step(p[i] * DELTA - p[i] * p[j], "expand"),
        Step(
            sp.Eq(J_MAT, _DIAG_MINUS_OUTER),
            r"entries of $\operatorname{diag}(p)$ and of the outer product $p p^\top$",
        ),
    ),
    result=sp.Eq(J_MAT, _DIAG_MINUS_OUTER),
)

_J_ENTRY = Definition(J[i, j], p[i] * (DELTA - p[j]))
_H1 = Hypothesis("H1", SUM_P, "the probabilities sum to 1")
_VJV = sp.Sum(sp.Sum(product(v[i], J[i, j], v[j]), (j, 1, K)), (i, 1, K))
_MEAN = sum_k(p[k] * v[k])
_SQUARES = sp.Sum(p[i] * (v[i] - _MEAN) ** 2, (i, 1, K))

SOFTMAX_JACOBIAN_PROPERTIES = Derivation(
    id="softmax-jacobian-properties",
    title="The softmax Jacobian is symmetric, sums to zero and is positive semi-definite",
    statement=r"The softmax Jacobian (softmax-jacobian), or any matrix built the same way from "
    r"a distribution $p$, is symmetric, [[result:0]]; its rows sum to zero, [[result:1]] "
    r"(adding a constant to every logit changes nothing); and its quadratic form is the variance "
    r"of $v$ under $p$, never negative: [[result:2]].",
    assumptions=Assumptions(
        r"$p$ is a distribution over $K$ classes with no zero entry, $J$ the matrix built from it "
        r"as the softmax Jacobian is, and $v$ any real vector; $\delta_{ij}$ is the Kronecker "
        r"delta.",
        (K, i, j, k, p, v, J),
        (_J_ENTRY,),
        INDICES,
        SIZES,
        hypotheses=(_H1,),
    ),
    steps=(
        Step(sp.Eq(J[i, j], p[i] * DELTA - p[i] * p[j]), "definition of $J$"),
        Step(p[j] * DELTA - p[j] * p[i], r"$\delta_{ij}$ is zero unless $i = j$"),
        Step(J[j, i], "definition of $J$, with $i$ and $j$ swapped"),
        Step(
            sp.Eq(sp.Sum(J[i, j], (j, 1, K)), sp.Sum(p[i] * (DELTA - p[j]), (j, 1, K))), "row sum"
        ),
        Step(p[i] - p[i] * sp.Sum(p[j], (j, 1, K)), "the delta picks $j = i$"),
        Step(sp.S.Zero, "the probabilities sum to 1", (_H1,)),
        Step(
            sp.Eq(_VJV, sp.Sum(p[i] * v[i] ** 2, (i, 1, K)) - _MEAN**2),
            "definition of $J$; the delta picks $j = i$",
        ),
        Step(_SQUARES, "expand the square; the probabilities sum to 1", (_H1,)),
        Step(sp.Ge(_SQUARES, 0, evaluate=False), "a sum of squares with positive weights"),
    ),
    result=(
        sp.Eq(J[i, j], J[j, i]),
        sp.Eq(sp.Sum(J[i, j], (j, 1, K)), 0),
        sp.Ge(_VJV, 0, evaluate=False),
    ),
)

z1, z2 = z[1], z[2]
x = sp.Symbol("x", real=True)
sigma = sp.Function("sigma")
SIGMOID_X = Definition(sigma(x), 1 / (1 + sp.exp(-x)))
TWO_CLASS = Definition(p[i], sp.exp(z[i]) / sp.Sum(sp.exp(z[k]), (k, 1, 2)))

SOFTMAX_TWO_CLASS_SIGMOID = Derivation(
    id="softmax-two-class-sigmoid",
    title="With two classes, the softmax is the sigmoid of the difference of the logits",
    statement=r"With two classes, [[result]]: a softmax over two outputs is a sigmoid of one "
    r"logit, the difference, so only that difference matters.",
    assumptions=Assumptions(
        r"Two classes with real logits $z_1, z_2$ and their softmax $p$; $\sigma$ is the "
        r"logistic sigmoid.",
        (k, z, p, x),
        (TWO_CLASS, SIGMOID_X),
        ((i, sp.Integer(2)),),
    ),
    steps=(
        Step(
            sp.Eq(p[1], frac(sp.exp(z1), sp.exp(z1) + sp.exp(z2))),
            "definition of the softmax, with two classes",
        ),
        Step(frac(1, 1 + sp.exp(z2 - z1)), "divide above and below by $e^{z_1}$"),
        Step(sigma(z1 - z2), r"definition of $\sigma$"),
    ),
    result=sp.Eq(p[1], sigma(z1 - z2)),
)

#: The chapter whose page shows these derivations.
CHAPTER = "categorical"

DERIVATIONS = (
    SOFTMAX_PARTIALS,
    SOFTMAX_JACOBIAN,
    SOFTMAX_JACOBIAN_PROPERTIES,
    SOFTMAX_TWO_CLASS_SIGMOID,
)
