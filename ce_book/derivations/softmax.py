r"""Derivations about the softmax: its partial derivatives, its Jacobian and the Jacobian's
properties (symmetric, rows summing to zero, positive semi-definite), its invariance under a
shift of the logits, the log of a softmax probability, the two-class softmax as a sigmoid, and
categorical cross-entropy with a one-hot target and with two classes."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Eq, Ge, Hypothesis, Step
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
    Notation,
    frac,
    i,
    j,
    k,
    p,
    product,
    sum_k,
    t,
    terms,
    u,
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
            Eq(sp.Derivative(p[i], z[j]), sp.Derivative(SOFTMAX.rhs, z[j])),
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
    result=Eq(sp.Derivative(p[i], z[j]), p[i] * (DELTA - p[j])),
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
        Step(Eq(J[i, j], sp.Derivative(p[i], z[j])), "definition of the Jacobian"),
        Step(
            p[i] * (DELTA - p[j]),
            "each output's slope in each logit",
            cites=("softmax-partials",),
        ),
        Step(p[i] * DELTA - p[i] * p[j], "expand"),
        Step(
            Eq(J_MAT, _DIAG_MINUS_OUTER),
            r"entries of $\operatorname{diag}(p)$ and of the outer product $p p^\top$",
        ),
    ),
    result=Eq(J_MAT, _DIAG_MINUS_OUTER),
)

_J_ENTRY = Definition(J[i, j], p[i] * (DELTA - p[j]))
_H1 = Hypothesis("H1", SUM_P, "the probabilities sum to 1")
_VJV = sp.Sum(sp.Sum(product(u[i], J[i, j], u[j]), (j, 1, K)), (i, 1, K))
_MEAN = sum_k(p[k] * u[k])
_SQUARES = sp.Sum(p[i] * (u[i] - _MEAN) ** 2, (i, 1, K))

SOFTMAX_JACOBIAN_PROPERTIES = Derivation(
    id="softmax-jacobian-properties",
    title="The softmax Jacobian is symmetric, sums to zero and is positive semi-definite",
    statement=r"The softmax Jacobian, or any matrix built the same way from "
    r"a distribution $p$, is symmetric, [[result:0]]; its rows sum to zero, [[result:1]] "
    r"(adding a constant to every logit changes nothing); and its quadratic form is the variance "
    r"of $u$ under $p$, never negative: [[result:2]].",
    assumptions=Assumptions(
        r"$p$ is a distribution over $K$ classes with no zero entry, $J$ the matrix built from it "
        r"as the softmax Jacobian is, and $u$ any real vector; $\delta_{ij}$ is the Kronecker "
        r"delta.",
        (K, i, j, k, p, u, J),
        (_J_ENTRY,),
        INDICES,
        SIZES,
        hypotheses=(_H1,),
    ),
    steps=(
        Step(Eq(J[i, j], p[i] * DELTA - p[i] * p[j]), "definition of $J$"),
        Step(p[j] * DELTA - p[j] * p[i], r"$\delta_{ij}$ is zero unless $i = j$"),
        Step(J[j, i], "definition of $J$, with $i$ and $j$ swapped"),
        Step(Eq(sp.Sum(J[i, j], (j, 1, K)), sp.Sum(p[i] * (DELTA - p[j]), (j, 1, K))), "row sum"),
        Step(p[i] - p[i] * sp.Sum(p[j], (j, 1, K)), "the delta picks $j = i$"),
        Step(sp.S.Zero, "the probabilities sum to 1", (_H1,)),
        Step(
            Eq(_VJV, sp.Sum(p[i] * u[i] ** 2, (i, 1, K)) - _MEAN**2),
            "definition of $J$; the delta picks $j = i$",
        ),
        Step(_SQUARES, "expand the square; the probabilities sum to 1", (_H1,)),
        Step(Ge(_SQUARES, 0), "a sum of squares with positive weights"),
    ),
    result=(
        Eq(J[i, j], J[j, i]),
        Eq(sp.Sum(J[i, j], (j, 1, K)), 0),
        Ge(_VJV, 0),
    ),
)

z1, z2 = z[1], z[2]
sigma = sp.Function("sigma")
_zs = sp.Symbol("z", real=True)  # sigma's argument, named as chapter 2 names it
SIGMOID = Definition(sigma(_zs), 1 / (1 + sp.exp(-_zs)))
TWO_CLASS = Definition(p[i], sp.exp(z[i]) / sp.Sum(sp.exp(z[k]), (k, 1, 2)))

SOFTMAX_TWO_CLASS_SIGMOID = Derivation(
    id="softmax-two-class-sigmoid",
    title="With two classes, the softmax is the sigmoid of the difference of the logits",
    statement=r"With two classes, [[result:0]] and [[result:1]]: a softmax over two outputs is "
    r"a sigmoid of one logit, the difference, so only that difference matters.",
    assumptions=Assumptions(
        r"Two classes with real logits $z_1, z_2$ and their softmax $p$; $\sigma$ is the "
        r"logistic sigmoid.",
        (z, p),
        (TWO_CLASS, SIGMOID),
        ((i, sp.Integer(2)),),
    ),
    steps=(
        Step(
            Eq(p[1], frac(sp.exp(z1), sp.exp(z1) + sp.exp(z2))),
            "definition of the softmax, with two classes",
        ),
        Step(frac(1, 1 + sp.exp(z2 - z1)), "divide above and below by $e^{z_1}$"),
        Step(sigma(z1 - z2), r"definition of $\sigma$"),
        Step(
            Eq(p[2], frac(sp.exp(z2), sp.exp(z1) + sp.exp(z2))),
            "definition of the softmax, for the second class",
        ),
        Step(frac(1, 1 + sp.exp(z1 - z2)), "divide above and below by $e^{z_2}$"),
        Step(sigma(z2 - z1), r"definition of $\sigma$"),
    ),
    result=(Eq(p[1], sigma(z1 - z2)), Eq(p[2], sigma(z2 - z1))),
)

# -- a shift of the logits, the log of a probability, a one-hot target -----------------------

c = sp.Symbol("c", real=True)
y = sp.Symbol("y", integer=True, positive=True)
L = sp.Symbol("L")
SHIFTED = Notation(r"\operatorname{softmax}(z + c)_{i}")
SHIFTED_SOFTMAX = Definition(SHIFTED, frac(sp.exp(z[i] + c), sum_k(sp.exp(z[k] + c))))

SOFTMAX_SHIFT_INVARIANCE = Derivation(
    id="softmax-shift-invariance",
    title="Adding the same number to every logit leaves the softmax unchanged",
    statement=r"For any real $c$, [[result]]: the factor $e^{c}$ cancels, so only the "
    r"differences between the logits matter.",
    assumptions=Assumptions(
        r"$K$ classes with real logits $z_1, \dots, z_K$ and their softmax $p$; $c$ is any real "
        r"number, added to every logit.",
        (K, i, z, p, c),
        (SOFTMAX, SHIFTED_SOFTMAX),
        ((i, K),),
        SIZES,
    ),
    steps=(
        Step(Eq(SHIFTED, SHIFTED_SOFTMAX.rhs), "definition of the softmax, at the shifted logits"),
        Step(
            frac(product(sp.exp(c), sp.exp(z[i])), sum_k(product(sp.exp(c), sp.exp(z[k])))),
            "the exponential of a sum is the product of the exponentials",
        ),
        Step(
            frac(product(sp.exp(c), sp.exp(z[i])), product(sp.exp(c), SOFTMAX_SUM)),
            r"$e^{c}$ does not depend on $k$",
        ),
        Step(frac(sp.exp(z[i]), SOFTMAX_SUM), r"cancel $e^{c}$"),
        Step(p[i], "definition of the softmax"),
    ),
    result=Eq(SHIFTED, p[i]),
)

LOG_SOFTMAX_AS_DIFFERENCE = Derivation(
    id="log-softmax-as-difference",
    title="The log of a softmax probability is a logit minus log-sum-exp",
    statement=r"[[result]]: the log-probabilities come straight from the logits, without "
    r"forming the probabilities themselves.",
    assumptions=Assumptions(SOFTMAX_TEXT, (K, i, k, z, p), (SOFTMAX,), ((i, K),), SIZES),
    steps=(
        Step(Eq(sp.log(p[i]), sp.log(SOFTMAX.rhs)), "definition of the softmax"),
        Step(
            terms(z[i], -sp.log(SOFTMAX_SUM)),
            r"the log of a quotient is the difference of the logs, and $\log e^{z_i}$ is $z_i$",
        ),
    ),
    result=Eq(sp.log(p[i]), terms(z[i], -sp.log(SOFTMAX_SUM))),
)

ONE_HOT = Definition(t[k], sp.KroneckerDelta(k, y))
CROSS_ENTROPY = Definition(L, -sum_k(t[k] * sp.log(p[k])))

CE_ONE_HOT_COLLAPSE = Derivation(
    id="ce-one-hot-collapse",
    title="With a one-hot target, cross-entropy is the surprisal of the true class",
    statement=r"When the target puts all its mass on the class $y$, every term of the sum but "
    r"one is multiplied by 0, and the loss collapses to [[result]].",
    assumptions=Assumptions(
        r"$p$ is a distribution over $K$ classes with no zero entry, $y$ the true class, $t$ "
        r"the one-hot target of class $y$ ($\delta_{ky}$ is the Kronecker delta) and $L$ the "
        r"cross-entropy of the prediction $p$ against $t$.",
        (K, k, y, p, t),
        (ONE_HOT, CROSS_ENTROPY),
        ((y, K),),
        SIZES,
    ),
    steps=(
        Step(Eq(L, CROSS_ENTROPY.rhs), "definition of $L$"),
        Step(-sum_k(sp.KroneckerDelta(k, y) * sp.log(p[k])), "the one-hot target"),
        Step(-sp.log(p[y]), "the delta picks $k = y$"),
    ),
    result=Eq(L, -sp.log(p[y])),
)

# -- the gradient through log-softmax: two moves ---------------------------------------------

_LSE_SUM = sp.Sum(sp.exp(z[i]), (i, 1, K))
_TARGET_SUM = Hypothesis("H1", Eq(sum_k(t[k]), 1), "the target sums to 1")
_DL_DZ = sp.Derivative(L, z[j])
_SPLIT = terms(-sum_k(t[k] * z[k]), product(sum_k(t[k]), sp.log(_LSE_SUM)))

CE_LOG_SOFTMAX_GRADIENT = Derivation(
    id="ce-log-softmax-gradient",
    title="The gradient of cross-entropy through log-softmax",
    statement=r"Written with log-softmax, the loss is a linear part in the logits plus the "
    r"log-sum-exp times the target's total mass, [[result:0]]. Differentiating each part gives "
    r"prediction minus target, [[result:1]], when the target sums to 1.",
    assumptions=Assumptions(
        SOFTMAX_TEXT + r" $t_1, \dots, t_K$ are real targets (one-hot, or soft) and $L$ is the "
        r"cross-entropy of the prediction $p$ against $t$.",
        (K, j, k, z, p, t),
        (SOFTMAX, CROSS_ENTROPY),
        ((j, K),),
        SIZES,
        hypotheses=(_TARGET_SUM,),
    ),
    steps=(
        Step(Eq(L, CROSS_ENTROPY.rhs), "definition of $L$"),
        Step(
            -sum_k(t[k] * terms(z[k], -sp.log(_LSE_SUM))),
            "the log-softmax form of each probability",
            cites=("log-softmax-as-difference",),
        ),
        Step(_SPLIT, "split the sum; the log-sum-exp does not depend on $k$"),
        Step(
            Eq(_DL_DZ, terms(-t[j], product(sum_k(t[k]), frac(sp.exp(z[j]), _LSE_SUM)))),
            r"differentiate line 3 in $z_j$: the first sum has the slope $-t_j$, and the log of "
            r"the sum has the slope $e^{z_j}$ over the sum",
        ),
        Step(terms(product(sum_k(t[k]), p[j]), -t[j]), "definition of the softmax"),
        Step(p[j] - t[j], "the target sums to 1", (_TARGET_SUM,)),
    ),
    result=(Eq(L, _SPLIT), Eq(_DL_DZ, p[j] - t[j])),
)

# -- two classes: categorical cross-entropy is binary cross-entropy ---------------------------

tt = sp.Symbol("t", real=True)
d = z2 - z1
H_TWO = Notation(r"H\big((1 - t, t), p\big)")
TWO_CLASS_CE = Definition(H_TWO, terms(-product(1 - tt, sp.log(p[1])), -product(tt, sp.log(p[2]))))
_BCE = terms(-product(tt, sp.log(sigma(d))), -product(1 - tt, sp.log(1 - sigma(d))))

TWO_CLASS_CE_IS_BCE = Derivation(
    id="two-class-ce-is-bce",
    title="Categorical cross-entropy with two classes is binary cross-entropy",
    statement=r"With two classes, [[result]]: the categorical loss of the two-class target "
    r"$(1 - t, t)$ is the binary cross-entropy of the single logit $z_2 - z_1$, for hard and "
    r"soft targets alike. With the logits $(0, z)$ it is the binary cross-entropy of $z$.",
    assumptions=Assumptions(
        r"Two classes with real logits $z_1, z_2$ and their softmax $p$; $\sigma$ is the "
        r"logistic sigmoid and $t$ the target of the second class (0 or 1, or a soft target "
        r"between them).",
        (z, p, tt),
        (TWO_CLASS, SIGMOID, TWO_CLASS_CE),
        ((i, sp.Integer(2)),),
    ),
    steps=(
        Step(Eq(H_TWO, TWO_CLASS_CE.rhs), "definition of cross-entropy, with two classes"),
        Step(
            terms(-product(1 - tt, sp.log(sigma(z1 - z2))), -product(tt, sp.log(sigma(d)))),
            "the two-class softmax as a sigmoid",
            cites=("softmax-two-class-sigmoid",),
        ),
        Step(
            terms(-product(1 - tt, sp.log(1 - sigma(d))), -product(tt, sp.log(sigma(d)))),
            "flip the sign of the logit inside the sigmoid",
            cites=("sigmoid-complement",),
        ),
        Step(_BCE, "reorder the two terms"),
    ),
    result=Eq(H_TWO, _BCE),
)

# -- two classes: the gradient is p - t ----------------------------------------------------------

L2 = sp.Symbol("L")
_D2 = z2 - z1
TWO_CLASS_BCE = Definition(
    L2, terms(-product(t[2], sp.log(sigma(_D2))), -product(t[1], sp.log(1 - sigma(_D2))))
)
_T_SUMS = Hypothesis("H1", Eq(t[1], 1 - t[2]), "the target sums to 1")

TWO_CLASS_CE_GRADIENT = Derivation(
    id="two-class-ce-gradient",
    title="With two classes, the gradient of cross-entropy is prediction minus target",
    statement=r"Write the two-class loss as the binary cross-entropy of the logit $z_2 - z_1$ "
    r"with the target $t_2$, as the derivation above does. Its gradients are [[result:0]] and "
    r"[[result:1]]: prediction minus target for each logit, chapter 2's $\sigma(z) - t$ seen "
    r"from both ends.",
    assumptions=Assumptions(
        r"Two classes with real logits $z_1, z_2$, their softmax $p$ and a target $(t_1, t_2)$; "
        r"$\sigma$ is the logistic sigmoid and $L$ the loss.",
        (z, p, t),
        (TWO_CLASS, SIGMOID, TWO_CLASS_BCE),
        ((i, sp.Integer(2)),),
        hypotheses=(_T_SUMS,),
    ),
    steps=(
        Step(
            Eq(sp.Derivative(L2, z2), sp.Derivative(TWO_CLASS_BCE.rhs, z2)),
            "definition of $L$",
        ),
        Step(
            terms(sigma(_D2), -t[2]),
            r"differentiate as in chapter 2, where the gradient is the error $\sigma - t$. The "
            r"logit $z_2 - z_1$ grows with $z_2$ at rate 1, and the target sums to 1",
            (_T_SUMS,),
        ),
        Step(
            terms(p[2], -t[2]),
            "the two-class softmax as a sigmoid",
            cites=("softmax-two-class-sigmoid",),
        ),
        Step(
            Eq(sp.Derivative(L2, z1), sp.Derivative(TWO_CLASS_BCE.rhs, z1)),
            "definition of $L$",
        ),
        Step(
            terms(t[2], -sigma(_D2)),
            r"the same gradient, with the opposite sign: the logit $z_2 - z_1$ falls as $z_1$ "
            r"grows",
            (_T_SUMS,),
        ),
        Step(terms(1 - sigma(_D2), -t[1]), "the target sums to 1", (_T_SUMS,)),
        Step(
            terms(sigma(z1 - z2), -t[1]),
            "flip the sign of the logit inside the sigmoid",
            cites=("sigmoid-complement",),
        ),
        Step(
            terms(p[1], -t[1]),
            "the two-class softmax as a sigmoid",
            cites=("softmax-two-class-sigmoid",),
        ),
    ),
    result=(
        Eq(sp.Derivative(L2, z1), terms(p[1], -t[1])),
        Eq(sp.Derivative(L2, z2), terms(p[2], -t[2])),
    ),
)

#: The chapter whose page shows these derivations.
CHAPTER = "categorical"

DERIVATIONS = (
    SOFTMAX_PARTIALS,
    SOFTMAX_JACOBIAN,
    SOFTMAX_JACOBIAN_PROPERTIES,
    SOFTMAX_TWO_CLASS_SIGMOID,
    SOFTMAX_SHIFT_INVARIANCE,
    LOG_SOFTMAX_AS_DIFFERENCE,
    CE_ONE_HOT_COLLAPSE,
    CE_LOG_SOFTMAX_GRADIENT,
    TWO_CLASS_CE_IS_BCE,
    TWO_CLASS_CE_GRADIENT,
)
