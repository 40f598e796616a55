r"""Derivations of chapter 2 for multi-label training: the gradient of binary cross-entropy with
a positive weight (PyTorch's ``pos_weight``), and the constant prediction that minimises the
weighted loss of a label with a given base rate."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import (
    Assumptions,
    Definition,
    Derivation,
    Eq,
    Gt,
    Hypothesis,
    Lt,
    Step,
)
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
_GRADIENT = terms(product(terms(1, -t, product(w, t)), s), -product(w, t))

BCE_POS_WEIGHT_GRADIENT = Derivation(
    id="bce-pos-weight-gradient",
    title="The gradient of binary cross-entropy with a positive weight",
    statement=r"With the positive term weighted by $w$, the gradient with respect to the logit "
    r"is [[result]]. For a positive ($t$ equal to 1) it is $w$ times the unweighted push "
    r"$\sigma(z) - 1$; for a negative it is $\sigma(z)$, unchanged; with $w$ equal to 1 it is "
    r"the familiar error $\sigma(z) - t$.",
    assumptions=Assumptions(_TEXT, (z, t, w), (SIGMOID, WEIGHTED_BCE)),
    steps=(
        Step(
            Eq(sp.Derivative(L_w, z), sp.Derivative(WEIGHTED_BCE.rhs, z)),
            "definition of $L_w$",
        ),
        Step(product(_OUTER, sp.Derivative(s, z)), "chain rule"),
        Step(
            product(_OUTER, s * (1 - s)),
            "the sigmoid's slope",
            cites=("sigmoid-derivative",),
        ),
        Step(-(w * t * (1 - s) - (1 - t) * s), r"cancel $\sigma(z)\,(1 - \sigma(z))$"),
        Step(_GRADIENT, r"collect the terms in $\sigma(z)$"),
    ),
    result=Eq(sp.Derivative(L_w, z), _GRADIENT),
)

# -- the best constant prediction under pos_weight ---------------------------------------------

pi = sp.Symbol("pi", positive=True)
u = sp.Dummy("p", real=True)  # the argument of g in its definition: a bound variable
L_bar = sp.Symbol(r"\bar{L}_w")
g = sp.Function("g")
s_star = Notation("s^*")

_FACTOR = terms(1, -pi, product(w, pi))  # 1 - pi + w pi, positive
MEAN_LOSS = Definition(L_bar, -(pi * w * sp.log(s) + (1 - pi) * sp.log(1 - s)))
SLOPE = Definition(g(u), terms(product(_FACTOR, u), -product(w, pi)))
OPTIMUM = Definition(s_star, frac(product(w, pi), _FACTOR))
_BELOW_ONE = Hypothesis("H1", Lt(pi, 1), "some examples are negatives")

POS_WEIGHT_OPTIMAL_ODDS = Derivation(
    id="pos-weight-optimal-odds",
    title="pos_weight multiplies the odds of the best constant prediction by w",
    statement=r"For a label that is positive in a fraction $\pi$ of the examples, a constant "
    r"logit $z$ has the mean weighted loss $\bar L_w$, whose slope is [[result:0]]. The "
    r"function $g$ rises with the prediction, [[result:1]], and the sigmoid rises with $z$, so "
    r"the slope is negative while $\sigma(z)$ is below $s^*$ and positive above it: the mean "
    r"loss falls, then rises, and is least where the slope vanishes, since [[result:2]]. There "
    r"the odds of the prediction are [[result:3]], the odds of the base rate multiplied by $w$. "
    r"They are positive, [[result:4]], so $s^*$ lies strictly between 0 and 1 and a finite "
    r"logit reaches it. With $w$ equal to the ratio of negatives to positives, the best "
    r"constant prediction is one half, whatever the base rate.",
    assumptions=Assumptions(
        r"$z$ is a constant logit with prediction $\sigma(z)$; a fraction $\pi$ of the examples "
        r"are positives ($t$ is 1) and the rest negatives; $w$ weights the positive term; "
        r"$\bar L_w$ is the mean weighted loss over the examples, $g$ names its slope as a "
        r"function of the prediction $p$, and $s^*$ is the prediction where that slope is zero.",
        (z, pi, w),
        (SIGMOID, MEAN_LOSS, SLOPE, OPTIMUM),
        hypotheses=(_BELOW_ONE,),
    ),
    steps=(
        Step(
            Eq(sp.Derivative(L_bar, z), sp.Derivative(MEAN_LOSS.rhs, z)),
            r"definition of $\bar L_w$: the positives' term and the negatives' term, averaged",
        ),
        Step(
            -(pi * w * (1 - s) - (1 - pi) * s),
            r"$\frac{d}{dz}\log\sigma(z) = 1 - \sigma(z)$ and "
            r"$\frac{d}{dz}\log(1 - \sigma(z)) = -\sigma(z)$",
            cites=("sigmoid-derivative",),
        ),
        Step(g(s), "collect the terms in $\\sigma(z)$; definition of $g$"),
        Step(Eq(sp.Derivative(g(u), u), sp.Derivative(SLOPE.rhs, u)), "definition of $g$"),
        Step(_FACTOR, "differentiate: $g$ is a straight line in $p$"),
        Step(
            Gt(_FACTOR, 0),
            r"$w\pi$ is positive because $w$ and $\pi$ are, and $1 - \pi$ is positive",
            (_BELOW_ONE,),
        ),
        Step(Eq(g(s_star), g(OPTIMUM.rhs)), "definition of $s^*$"),
        Step(
            terms(product(_FACTOR, OPTIMUM.rhs), -product(w, pi)),
            "definition of $g$ at $s^*$",
        ),
        Step(sp.S.Zero, "cancel the factor $1 - \\pi + w\\pi$"),
        Step(
            Eq(frac(s_star, 1 - s_star), frac(OPTIMUM.rhs, 1 - OPTIMUM.rhs)),
            "definition of $s^*$",
        ),
        Step(
            frac(product(w, pi), 1 - pi), r"$1 - s^* = (1 - \pi)/(1 - \pi + w\pi)$", (_BELOW_ONE,)
        ),
        Step(product(w, frac(pi, 1 - pi)), "as the odds of the base rate, times $w$"),
        Step(
            Gt(product(w, frac(pi, 1 - pi)), 0),
            r"$w$, $\pi$ and $1 - \pi$ are positive",
            (_BELOW_ONE,),
        ),
    ),
    result=(
        Eq(sp.Derivative(L_bar, z), g(s)),
        Gt(sp.Derivative(g(u), u), 0),
        Eq(g(s_star), 0),
        Eq(frac(s_star, 1 - s_star), product(w, frac(pi, 1 - pi))),
        Gt(frac(s_star, 1 - s_star), 0),
    ),
)

# -- the decision threshold: pos_weight or a lower threshold ---------------------------------

prob = sp.Symbol("p", positive=True)
q_w = sp.Function("q_w")
WEIGHTED_PREDICTION = Definition(q_w(u), frac(product(w, u), terms(1, -u, product(w, u))))
_THRESHOLD = frac(1, 1 + w)


def _q_at(x: sp.Basic) -> sp.Basic:
    """The definition of :math:`q_w` at ``x``, kept as written."""
    return frac(product(w, x), terms(1, -x, product(w, x)))


_P_BELOW_ONE = Hypothesis("H1", Lt(prob, 1), "the unweighted prediction is below 1")

POS_WEIGHT_THRESHOLD = Derivation(
    id="pos-weight-threshold",
    title="pos_weight moves the decision threshold from one half to 1/(1 + w)",
    statement=r"Where a model trained without weight predicts $p$, the optimum with "
    r"`pos_weight` $w$ has $w$ times the odds, that is, the prediction $q_w(p)$. It is one half "
    r"exactly where the unweighted prediction is $1/(1 + w)$, [[result:0]], and it rises with "
    r"$p$, [[result:1]]. So the weighted model thresholded at one half says yes for the same "
    r"inputs as the unweighted model thresholded at $1/(1 + w)$.",
    assumptions=Assumptions(
        r"$p$ is the unweighted model's prediction, strictly between 0 and 1, $w$ the weight of "
        r"the positive term, and $q_w(p)$ the prediction whose odds are $w$ times the odds of "
        r"$p$.",
        (w, prob),
        (WEIGHTED_PREDICTION,),
        hypotheses=(_P_BELOW_ONE,),
    ),
    steps=(
        Step(
            Eq(q_w(_THRESHOLD), _q_at(_THRESHOLD)),
            r"definition of $q_w$",
        ),
        Step(frac(w, 2 * w), r"multiply above and below by $1 + w$"),
        Step(sp.Rational(1, 2), r"cancel $w$"),
        Step(
            Eq(
                sp.Derivative(q_w(prob), prob),
                sp.Derivative(_q_at(prob), prob),
            ),
            r"definition of $q_w$",
        ),
        Step(frac(w, terms(1, -prob, product(w, prob)) ** 2), "quotient rule"),
        Step(
            Gt(frac(w, terms(1, -prob, product(w, prob)) ** 2), 0),
            r"$w$ is positive, and so is the square of $(1 - p) + wp$",
            (_P_BELOW_ONE,),
        ),
    ),
    result=(
        Eq(q_w(_THRESHOLD), sp.Rational(1, 2)),
        Gt(sp.Derivative(q_w(prob), prob), 0),
    ),
)

#: The chapter whose page shows these derivations.
CHAPTER = "binary"

DERIVATIONS = (BCE_POS_WEIGHT_GRADIENT, POS_WEIGHT_OPTIMAL_ODDS, POS_WEIGHT_THRESHOLD)
