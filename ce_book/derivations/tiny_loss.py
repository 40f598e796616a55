r"""Derivations for the chapter on numerical stability: the loss and the gradient of a confident
correct prediction, in the closed forms that show what floating point must keep, and how much
the loss moves when its logits do (its condition number)."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Eq, Ge, Hypothesis, Step
from ce_book.derivations.notation import K, Log1p, Notation, frac, product, terms

g = sp.Symbol("g", real=True)
L = Notation("L")
r = Notation("r")
_OTHERS = K - 1

LOSS = Definition(L, terms(sp.log(terms(sp.exp(g), _OTHERS)), -g))
REST = Definition(r, product(_OTHERS, sp.exp(-g)))
_TEXT = (
    r"$K$ classes; the true class has the logit $g$, the lead, and each of the $K - 1$ other "
    r"classes the logit 0, so the cross-entropy is $L$ below; $r$ is the total weight of the "
    r"other classes after the shift by the largest logit, and $\operatorname{log1p}$ is the "
    r"library function for the log of 1 plus its argument."
)

TINY_LOSS_CLOSED_FORM = Derivation(
    id="tiny-loss-closed-form",
    title="The loss of a confident correct prediction",
    statement=r"For the logits $(g, 0, \dots, 0)$ with the first class true, [[result]]. For a "
    r"large lead $g$ the argument $r$ is tiny, and the loss is about $r$ itself.",
    assumptions=Assumptions(_TEXT, (K, g), (LOSS, REST)),
    steps=(
        Step(Eq(L, terms(sp.log(terms(sp.exp(g), _OTHERS)), -g)), r"definition of $L$"),
        Step(
            sp.log(frac(terms(sp.exp(g), _OTHERS), sp.exp(g))),
            r"$g = \log e^{g}$; log of a ratio",
        ),
        Step(sp.log(terms(1, product(_OTHERS, sp.exp(-g)))), r"divide by $e^{g}$"),
        Step(Log1p(r), r"definition of $r$ and of $\operatorname{log1p}$"),
    ),
    result=Eq(L, Log1p(r)),
)

_DL = sp.Derivative(L, g)
p1 = Notation("p_1")
TRUE_PROBABILITY = Definition(p1, frac(sp.exp(g), terms(sp.exp(g), _OTHERS)))

TINY_LOSS_GRADIENT = Derivation(
    id="tiny-loss-gradient",
    title="The gradient of a confident correct prediction on its own logit",
    statement=r"The same loss has the slope [[result:0]] along the true logit: about $-r$ when "
    r"$r$ is tiny. The probability of the true class is [[result:1]], and the slope is also "
    r"[[result:2]]; computed that way, from a sum $1 + r$ that has rounded to 1, it comes out "
    r"as exactly 0.",
    assumptions=Assumptions(
        _TEXT + r" $p_1$ is the softmax probability of the true class.",
        (K, g),
        (LOSS, REST, TRUE_PROBABILITY),
    ),
    steps=(
        Step(
            Eq(_DL, terms(frac(sp.exp(g), terms(sp.exp(g), _OTHERS)), -1)),
            r"definition of $L$; chain rule",
        ),
        Step(terms(p1, -1), r"definition of $p_1$"),
        Step(frac(-_OTHERS, terms(sp.exp(g), _OTHERS)), "common denominator"),
        Step(
            frac(-product(_OTHERS, sp.exp(-g)), terms(1, product(_OTHERS, sp.exp(-g)))),
            r"divide above and below by $e^{g}$",
        ),
        Step(frac(-r, 1 + r), r"definition of $r$"),
        Step(Eq(p1, frac(sp.exp(g), terms(sp.exp(g), _OTHERS))), r"definition of $p_1$"),
        Step(frac(1, terms(1, product(_OTHERS, sp.exp(-g)))), r"divide above and below by $e^{g}$"),
        Step(frac(1, 1 + r), r"definition of $r$"),
    ),
    result=(
        Eq(_DL, frac(-r, 1 + r)),
        Eq(p1, frac(1, 1 + r)),
        Eq(_DL, terms(p1, -1)),
    ),
)

kappa = Notation(r"\kappa")
CONDITION = Definition(kappa, -product(frac(g, L), _DL))
_TWO_CLASSES = Hypothesis(
    "H1", Ge(K, 2), "there is at least one other class, so that $r$ and $L$ are positive"
)

TINY_LOSS_CONDITION = Derivation(
    id="tiny-loss-condition",
    title="How much the loss of a confident correct prediction moves with its lead",
    statement=r"The relative condition number of the same loss with respect to the lead $g$, "
    r"the factor by which a small relative change of $g$ is magnified in $L$, is [[result]]. "
    r"For a tiny $r$ the logarithm $\operatorname{log1p}(r)$ is about $r$, and so $\kappa$ is "
    r"about $g$ itself: a lead of 40 that is uncertain in its last bit gives a loss uncertain "
    r"in its last five or six bits.",
    assumptions=Assumptions(
        _TEXT + r" $\kappa$ is the relative condition number: minus $g$ times the slope of "
        r"$L$, divided by $L$ (the slope is negative, so $\kappa$ is positive).",
        (K, g),
        (LOSS, REST, CONDITION),
        hypotheses=(_TWO_CLASSES,),
    ),
    steps=(
        Step(
            Eq(kappa, -product(frac(g, L), _DL)),
            r"definition of $\kappa$; $L$ is not 0",
            using=(_TWO_CLASSES,),
        ),
        Step(
            -product(frac(g, L), frac(-r, 1 + r)),
            r"the slope of $L$ along its true logit",
            cites=("tiny-loss-gradient",),
        ),
        Step(frac(product(g, r), product(1 + r, L)), "the two minus signs cancel"),
        Step(
            frac(product(g, r), product(1 + r, Log1p(r))),
            r"the closed form of the loss",
            cites=("tiny-loss-closed-form",),
        ),
    ),
    result=Eq(kappa, frac(product(g, r), product(1 + r, Log1p(r)))),
)

#: The chapter whose page shows these derivations.
CHAPTER = "stability"

DERIVATIONS = (TINY_LOSS_CLOSED_FORM, TINY_LOSS_GRADIENT, TINY_LOSS_CONDITION)
