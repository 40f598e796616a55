r"""Derivations for the chapter on numerical stability: the loss and the gradient of a confident
correct prediction, in the closed forms that show what floating point must keep."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Step
from ce_book.derivations.notation import Log1p, Notation, frac, terms

g = sp.Symbol("g", real=True)
n = sp.Symbol("n", positive=True)
ell = Notation(r"\ell")
r = Notation("r")

LOSS = Definition(ell, terms(sp.log(terms(sp.exp(g), n)), -g))
REST = Definition(r, n * sp.exp(-g))
_TEXT = (
    r"The true class has the logit $g$ and each of the $n$ other classes the logit 0, so the "
    r"cross-entropy is $\ell$ below; $r$ is the total weight of the other classes after the "
    r"shift by the largest logit, and $\operatorname{log1p}$ is the library function for the "
    r"log of 1 plus its argument."
)

TINY_LOSS_CLOSED_FORM = Derivation(
    id="tiny-loss-closed-form",
    title="The loss of a confident correct prediction",
    statement=r"For the logits $(g, 0, \dots, 0)$ with the first class true, [[result]]. For a "
    r"large lead $g$ the argument $r$ is tiny, and the loss is about $r$ itself.",
    assumptions=Assumptions(_TEXT, (g, n), (LOSS, REST)),
    steps=(
        Step(sp.Eq(ell, terms(sp.log(terms(sp.exp(g), n)), -g)), r"definition of $\ell$"),
        Step(sp.log(frac(terms(sp.exp(g), n), sp.exp(g))), r"$g = \log e^{g}$; log of a ratio"),
        Step(sp.log(terms(1, n * sp.exp(-g))), r"divide by $e^{g}$"),
        Step(Log1p(r), r"definition of $r$ and of $\operatorname{log1p}$"),
    ),
    result=sp.Eq(ell, Log1p(r)),
)

_DL = sp.Derivative(ell, g)
p1 = Notation("p_1")
TRUE_PROBABILITY = Definition(p1, frac(sp.exp(g), terms(sp.exp(g), n)))

TINY_LOSS_GRADIENT = Derivation(
    id="tiny-loss-gradient",
    title="The gradient of a confident correct prediction on its own logit",
    statement=r"The same loss has the slope [[result:0]] along the true logit: about $-r$ when "
    r"$r$ is tiny. The probability of the true class is [[result:1]], and the slope is also "
    r"[[result:2]]; computed that way, with $p_1$ rounded to 1, it comes out as exactly 0.",
    assumptions=Assumptions(
        _TEXT + r" $p_1$ is the softmax probability of the true class.",
        (g, n),
        (LOSS, REST, TRUE_PROBABILITY),
    ),
    steps=(
        Step(
            sp.Eq(_DL, terms(frac(sp.exp(g), terms(sp.exp(g), n)), -1)),
            r"definition of $\ell$; chain rule",
        ),
        Step(terms(p1, -1), r"definition of $p_1$"),
        Step(frac(-n, terms(sp.exp(g), n)), "common denominator"),
        Step(frac(-n * sp.exp(-g), terms(1, n * sp.exp(-g))), r"divide above and below by $e^{g}$"),
        Step(frac(-r, 1 + r), r"definition of $r$"),
        Step(sp.Eq(p1, frac(sp.exp(g), terms(sp.exp(g), n))), r"definition of $p_1$"),
        Step(frac(1, terms(1, n * sp.exp(-g))), r"divide above and below by $e^{g}$"),
        Step(frac(1, 1 + r), r"definition of $r$"),
    ),
    result=(
        sp.Eq(_DL, frac(-r, 1 + r)),
        sp.Eq(p1, frac(1, 1 + r)),
        sp.Eq(_DL, terms(p1, -1)),
    ),
)

#: The chapter whose page shows these derivations.
CHAPTER = "stability"

DERIVATIONS = (TINY_LOSS_CLOSED_FORM, TINY_LOSS_GRADIENT)
