r"""Knowledge distillation: the gradient of the soft-target loss, and why it is scaled by T^2.

The student's logits ``z`` and the teacher's are both divided by a temperature ``T``; the
soft-target loss is the cross-entropy of the teacher's softened distribution ``t`` against the
student's, ``p = softmax(z / T)``, multiplied by ``T^2`` (Hinton, Vinyals and Dean, 2015).
"""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Eq, Hypothesis, Step
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
    terms,
    z,
)

T = sp.Symbol("T", positive=True)
L = sp.Symbol("L")
L_KD = Notation(r"L_{\mathrm{KD}}")

# The same definitions and hypothesis as the derivation ``temperature-gradient`` (which this
# one cites): a result applies only where its notation means the same thing.
SOFTMAX_T = Definition(p[i], sp.exp(z[i] / T) / sum_k(sp.exp(z[k] / T)))
CE = Definition(L, -sum_k(t[k] * sp.log(p[k])))
_SUM_T = Hypothesis("H1", Eq(sum_k(t[k]), 1), "the targets sum to 1")
SOFT_LOSS = Definition(L_KD, product(T**2, L))

DISTILLATION_GRADIENT = Derivation(
    id="distillation-gradient",
    title="The gradient of the distillation loss, with its factor T squared",
    statement=r"With the student's probabilities $p$ the softmax of $z / T$ and the teacher's "
    r"softened probabilities $t$ as the target, the soft-target loss $T^2 L$ has the gradient "
    r"[[result]]: the cross-entropy's own gradient, $(p - t) / T$, multiplied by $T^2$.",
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
            Eq(sp.Derivative(L_KD, z[j]), product(T**2, sp.Derivative(L, z[j]))),
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
    result=Eq(sp.Derivative(L_KD, z[j]), product(T, p[j] - t[j])),
)

# -- high temperatures: the first-order expansion in beta = 1 / T -----------------------------

beta = sp.Symbol("beta", nonnegative=True)
v = sp.IndexedBase("v", real=True)
z_bar = Notation(r"\bar z")
v_bar = Notation(r"\bar v")
STUDENT_B = Definition(p[i], sp.exp(beta * z[i]) / sum_k(sp.exp(beta * z[k])))
TEACHER_B = Definition(t[i], sp.exp(beta * v[i]) / sum_k(sp.exp(beta * v[k])))
Z_BAR = Definition(z_bar, sum_k(z[k]) / K)
V_BAR = Definition(v_bar, sum_k(v[k]) / K)
_DP = sp.Derivative(p[i], beta)


def _at_zero(expr: sp.Basic) -> sp.Subs:
    """``expr`` at the inverse temperature 0 (the limit of an infinite temperature)."""
    return sp.Subs(expr, beta, 0)


_GAP = frac(terms(z[i], -z_bar, -v[i], v_bar), K)

HIGH_TEMPERATURE = Derivation(
    id="softmax-high-temperature",
    title="A softmax at a high temperature, to first order",
    statement=r"Write the temperature as its inverse $\beta$, so that a high temperature is a "
    r"small $\beta$. At $\beta$ zero every class gets $1/K$, and to first order in $\beta$ the "
    r"student's softmax is [[result:0]]: uniform, plus the centred logits scaled by $\beta$. "
    r"The teacher's softmax is the same with $v$ for $z$, so the two agree at $\beta$ zero, "
    r"[[result:1]], and their difference grows at the rate [[result:2]]. Hence "
    r"$T(p_i - t_i)$, which is $p_i - t_i$ divided by $\beta$, tends to that rate as $T$ grows: "
    r"the gap between the centred logits, divided by $K$.",
    assumptions=Assumptions(
        r"$K$ classes; $z$ are the student's logits and $v$ the teacher's; $\beta$ is the "
        r"inverse temperature, one over $T$; $p$ and $t$ are the softmaxes of $\beta z$ and "
        r"$\beta v$; $\bar z$ and $\bar v$ are the mean logits; a vertical bar marks a value "
        r"at $\beta$ zero.",
        (K, i, k, z, v, p, t, beta),
        (STUDENT_B, TEACHER_B, Z_BAR, V_BAR),
        ((i, K),),
        SIZES,
    ),
    steps=(
        Step(
            Eq(_DP, product(p[i], z[i] - sum_k(p[k] * z[k]))),
            "quotient rule; definition of the softmax",
        ),
        Step(Eq(_at_zero(p[i]), frac(1, K)), r"at $\beta$ zero every exponential is 1"),
        Step(
            Eq(_at_zero(_DP), frac(z[i] - z_bar, K)),
            r"line 1 at $\beta$ zero, where every $p_k$ is $1/K$",
        ),
        Step(Eq(_at_zero(p[i] - t[i]), 0), "line 2, and the same for the teacher"),
        Step(
            Eq(_at_zero(sp.Derivative(p[i] - t[i], beta)), _GAP),
            "line 3, and the same for the teacher",
        ),
    ),
    result=(
        Eq(
            terms(_at_zero(p[i]), product(beta, _at_zero(_DP))),
            frac(1 + beta * (z[i] - z_bar), K),
        ),
        Eq(_at_zero(p[i] - t[i]), 0),
        Eq(_at_zero(sp.Derivative(p[i] - t[i], beta)), _GAP),
    ),
)

#: The chapter whose page shows these derivations.
CHAPTER = "gradients"

DERIVATIONS = (DISTILLATION_GRADIENT, HIGH_TEMPERATURE)
