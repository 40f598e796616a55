r"""Knowledge distillation: the gradient of the soft-target loss, and why it is scaled by T^2.

The student's logits ``z`` and the teacher's are both divided by a temperature ``T``; the
soft-target loss is the cross-entropy of the teacher's softened distribution ``t`` against the
student's, ``p = softmax(z / T)``, multiplied by ``T^2`` (Hinton, Vinyals and Dean, 2015).
"""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Hypothesis, Step
from ce_book.derivations.notation import (
    INDICES,
    SIZES,
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
    z,
)

T = sp.Symbol("T", positive=True)
L = sp.Symbol("L")
L_KD = Notation(r"L_{\mathrm{KD}}")

# The same definitions and hypothesis as the derivation ``temperature-gradient`` (which this
# one cites): a result applies only where its notation means the same thing.
SOFTMAX_T = Definition(p[i], sp.exp(z[i] / T) / sum_k(sp.exp(z[k] / T)))
CE = Definition(L, -sum_k(t[k] * sp.log(p[k])))
_SUM_T = Hypothesis("H1", sp.Eq(sum_k(t[k]), 1), "the targets sum to 1")
SOFT_LOSS = Definition(L_KD, product(T**2, L))

DISTILLATION_GRADIENT = Derivation(
    id="distillation-gradient",
    title="The gradient of the distillation loss, with its factor T squared",
    statement=r"With the student's probabilities $p$ the softmax of $z / T$ and the teacher's "
    r"softened probabilities $t$ as the target, the soft-target loss $T^2 L$ has the gradient "
    r"[[result]]. The cross-entropy alone has the gradient $(p - t) / T$, and $p - t$ itself "
    r"shrinks like $1 / T$ as $T$ grows, so without the factor $T^2$ the soft targets' gradient "
    r"would fade like $1 / T^2$.",
    assumptions=Assumptions(
        r"$K$ classes; $z$ are the student's logits, $T$ the temperature, $p$ the softmax of "
        r"$z / T$; $t$ is the teacher's softmax at the same temperature, which does not depend "
        r"on $z$; $L$ is the cross-entropy of $p$ against $t$ and $L_{\mathrm{KD}}$ the "
        r"soft-target loss.",
        (K, i, j, k, z, p, t, T),
        (SOFTMAX_T, CE, SOFT_LOSS),
        INDICES,
        SIZES,
        hypotheses=(_SUM_T,),
    ),
    steps=(
        Step(
            sp.Eq(sp.Derivative(L_KD, z[j]), product(T**2, sp.Derivative(L, z[j]))),
            "definition of $L_{\\mathrm{KD}}$; $T$ does not depend on $z$",
        ),
        Step(
            product(T**2, frac(p[j] - t[j], T)),
            "the gradient through a softmax with a temperature",
            (_SUM_T,),
            cites=("temperature-gradient",),
        ),
        Step(product(T, p[j] - t[j]), "cancel one factor $T$"),
    ),
    result=sp.Eq(sp.Derivative(L_KD, z[j]), product(T, p[j] - t[j])),
)

#: The chapter whose page shows these derivations.
CHAPTER = "gradients"

DERIVATIONS = (DISTILLATION_GRADIENT,)
