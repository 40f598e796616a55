r"""Derivations of chapter 2 for multi-label training: the gradient of binary cross-entropy with
a positive weight (PyTorch's ``pos_weight``), and the constant prediction that minimises the
weighted loss of a label with a given base rate."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Hypothesis, Step
from ce_book.derivations.notation import Notation, frac, product, terms

z = sp.Symbol("z", real=True)
t = sp.Symbol("t", real=True)
w = sp.Symbol("w", positive=True)
sigma = sp.Function("sigma")
s = sigma(z)
L_w = sp.Symbol("L_w")

SIGMOID = Definition(s, 1 / (1 + sp.exp(-z)))
WEIGHTED_BCE = Definition(L_w, -(w * t * sp.log(s) + (1 - t) * sp.log(1 - s)))

_TEXT = (
    r"$z$ is a logit, $\sigma$ the logistic sigmoid, $t$ the target of one label (0 or 1, or a "
    r"soft target between them) and $w$ the weight of the positive term (PyTorch's "
    r"`pos_weight` for this label); $L_w$ is the weighted binary cross-entropy."
)
_OUTER = -(w * t / s - (1 - t) / (1 - s))

BCE_POS_WEIGHT_GRADIENT = Derivation(
    id="bce-pos-weight-gradient",
    title="The gradient of binary cross-entropy with a positive weight",
    statement=r"With the positive term weighted by $w$, the gradient with respect to the logit "
    r"is [[result]]. For a positive ($t$ equal to 1) it is $w$ times the unweighted push "
    r"$\sigma(z) - 1$; for a negative it is $\sigma(z)$, unchanged; with $w$ equal to 1 it is "
    r"the familiar error $\sigma(z) - t$ (bce-sigmoid-gradient).",
    assumptions=Assumptions(_TEXT, (z, t, w), (SIGMOID, WEIGHTED_BCE)),
    steps=(
        Step(
            sp.Eq(sp.Derivative(L_w, z), sp.Derivative(WEIGHTED_BCE.rhs, z)),
            "definition of $L_w$",
        ),
        Step(product(_OUTER, sp.Derivative(s, z)), "chain rule"),
        Step(
            product(_OUTER, s * (1 - s)),
            "the derivative of the sigmoid",
            cites=("sigmoid-derivative",),
        ),
        Step(-(w * t * (1 - s) - (1 - t) * s), r"cancel $\sigma(z)\,(1 - \sigma(z))$"),
        Step(terms(product(1 - t + w * t, s), -w * t), r"collect the terms in $\sigma(z)$"),
    ),
    result=sp.Eq(sp.Derivative(L_w, z), terms(product(1 - t + w * t, s), -w * t)),
)

# -- the best constant prediction under pos_weight ---------------------------------------------

pi = sp.Symbol("pi", positive=True)
u = sp.Symbol("u", positive=True)
L_bar = sp.Symbol(r"\bar{L}_w")
g = sp.Function("g")
s_star = Notation("s^*")

MEAN_LOSS = Definition(L_bar, -(pi * w * sp.log(s) + (1 - pi) * sp.log(1 - s)))
SLOPE = Definition(g(u), terms(product(1 - pi + w * pi, u), -w * pi))
OPTIMUM = Definition(s_star, frac(w * pi, 1 - pi + w * pi))
_BELOW_ONE = Hypothesis("H1", sp.Lt(pi, 1), "some examples are negatives")

POS_WEIGHT_OPTIMAL_ODDS = Derivation(
    id="pos-weight-optimal-odds",
    title="pos_weight multiplies the odds of the best constant prediction by w",
    statement=r"For a label that is positive in a fraction $\pi$ of the examples, a constant "
    r"logit $z$ has the mean weighted loss $\bar L_w$, whose slope is [[result:0]], with "
    r"$g(u)$ increasing in $u$. The slope vanishes where $\sigma(z)$ is $s^*$, since "
    r"[[result:1]]; there the mean loss is least, and the odds of the prediction are "
    r"[[result:2]]: the odds of the base rate, multiplied by $w$. With $w$ equal to the ratio of "
    r"negatives to positives, the best constant prediction is one half, whatever the base rate.",
    assumptions=Assumptions(
        r"$z$ is a constant logit with prediction $\sigma(z)$; a fraction $\pi$ of the examples "
        r"are positives ($t$ is 1) and the rest negatives; $w$ weights the positive term; "
        r"$\bar L_w$ is the mean weighted loss over the examples, $g$ names its slope as a "
        r"function of the prediction $u$, and $s^*$ is the prediction where that slope is zero.",
        (z, pi, w, u),
        (SIGMOID, MEAN_LOSS, SLOPE, OPTIMUM),
        hypotheses=(_BELOW_ONE,),
    ),
    steps=(
        Step(
            sp.Eq(sp.Derivative(L_bar, z), sp.Derivative(MEAN_LOSS.rhs, z)),
            r"definition of $\bar L_w$: the positives' term and the negatives' term, averaged",
        ),
        Step(
            -(pi * w * (1 - s) - (1 - pi) * s),
            r"$\frac{d}{dz}\log\sigma(z) = 1 - \sigma(z)$ and "
            r"$\frac{d}{dz}\log(1 - \sigma(z)) = -\sigma(z)$",
            cites=("sigmoid-derivative",),
        ),
        Step(g(s), "collect the terms in $\\sigma(z)$; definition of $g$"),
        Step(sp.Eq(g(s_star), g(OPTIMUM.rhs)), "definition of $s^*$"),
        Step(
            terms(product(1 - pi + w * pi, OPTIMUM.rhs), -w * pi),
            "definition of $g$ at $s^*$",
        ),
        Step(sp.S.Zero, "cancel the factor $1 - \\pi + w\\pi$"),
        Step(
            sp.Eq(frac(s_star, 1 - s_star), frac(OPTIMUM.rhs, 1 - OPTIMUM.rhs)),
            "definition of $s^*$",
        ),
        Step(frac(w * pi, 1 - pi), r"$1 - s^* = (1 - \pi)/(1 - \pi + w\pi)$", (_BELOW_ONE,)),
        Step(product(w, frac(pi, 1 - pi)), "as the odds of the base rate, times $w$"),
    ),
    result=(
        sp.Eq(sp.Derivative(L_bar, z), g(s)),
        sp.Eq(g(s_star), 0),
        sp.Eq(frac(s_star, 1 - s_star), product(w, frac(pi, 1 - pi))),
    ),
)

#: The chapter whose page shows these derivations.
CHAPTER = "binary"

DERIVATIONS = (BCE_POS_WEIGHT_GRADIENT, POS_WEIGHT_OPTIMAL_ODDS)
