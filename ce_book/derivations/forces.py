r"""The forces of chapter 5 in detail: how the pushes on two wrong classes compare, and why
the loss does not depend on the wrong classes' probabilities (although their logits are
pushed)."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Eq, Step
from ce_book.derivations.notation import (
    INDICES,
    SIZES,
    SOFTMAX,
    SOFTMAX_SUM,
    SOFTMAX_TEXT,
    K,
    frac,
    i,
    j,
    k,
    p,
    sum_k,
    t,
    z,
)

SOFTMAX_RATIO = Derivation(
    id="softmax-probability-ratio",
    title="The ratio of two softmax probabilities depends only on the gap between their logits",
    statement=r"For any two classes, [[result]]: the normalising sum cancels, so each unit of "
    r"logit between two classes multiplies the ratio of their probabilities by $e$, whatever "
    r"the other logits are.",
    assumptions=Assumptions(SOFTMAX_TEXT, (K, i, j, k, z, p), (SOFTMAX,), INDICES, SIZES),
    steps=(
        Step(
            Eq(frac(p[i], p[j]), frac(sp.exp(z[i]) / SOFTMAX_SUM, sp.exp(z[j]) / SOFTMAX_SUM)),
            "definition of the softmax",
        ),
        Step(frac(sp.exp(z[i]), sp.exp(z[j])), "the normalising sums cancel"),
        Step(sp.exp(z[i] - z[j]), "divide the powers: subtract the exponents"),
    ),
    result=Eq(frac(p[i], p[j]), sp.exp(z[i] - z[j])),
)

# -- the loss as a function of the probabilities ---------------------------------------------

y = sp.Symbol("y", integer=True, positive=True)
L = sp.Symbol("L")
ONE_HOT = Definition(t[k], sp.KroneckerDelta(k, y))
CE_OF_P = Definition(L, -sum_k(t[k] * sp.log(p[k])))
_DL_DP = sp.Derivative(L, p[j])

CE_PROBABILITY_GRADIENT = Derivation(
    id="ce-probability-gradient",
    title="Cross-entropy ignores the probabilities of the wrong classes",
    statement=r"As a function of the probabilities, the cross-entropy has the partial "
    r"derivatives [[result:0]]. For a one-hot target of class $y$ this is [[result:1]]: zero "
    r"for every class other than $y$. The loss reads only the true class's probability; the "
    r"wrong classes' logits are still pushed, through the softmax Jacobian.",
    assumptions=Assumptions(
        r"$K$ classes with positive probabilities $p_1, \dots, p_K$, each treated as a "
        r"variable of its own; $y$ is the true class, $t$ its one-hot target and $L$ the "
        r"cross-entropy of $p$ against $t$; $\delta_{jy}$ is the Kronecker delta.",
        (K, j, k, y, p),
        (ONE_HOT, CE_OF_P),
        ((j, K), (y, K)),
        SIZES,
    ),
    steps=(
        Step(
            Eq(_DL_DP, -sum_k(t[k] * sp.Derivative(sp.log(p[k]), p[j]))),
            "definition of $L$; the derivative of a sum is the sum of the derivatives",
        ),
        Step(-sum_k(t[k] * sp.KroneckerDelta(k, j) / p[k]), r"the derivative of $\log$"),
        Step(-t[j] / p[j], "the delta picks $k = j$"),
        Step(-sp.KroneckerDelta(j, y) / p[j], "the target is one-hot at $y$"),
    ),
    result=(Eq(_DL_DP, -t[j] / p[j]), Eq(_DL_DP, -sp.KroneckerDelta(j, y) / p[j])),
)

# -- the true class's row of the Jacobian ----------------------------------------------------

_DPY = sp.Derivative(p[y], z[j])

JACOBIAN_TRUE_ROW = Derivation(
    id="softmax-jacobian-true-row",
    title="The true class's row of the softmax Jacobian is a multiple of the gradient",
    statement=r"For a one-hot target of class $y$, how a nudge of $z_j$ moves the true class's "
    r"probability is [[result]]: row $y$ of the Jacobian is the gradient $p - t$ of the loss, "
    r"scaled by $-p_y$.",
    assumptions=Assumptions(
        SOFTMAX_TEXT + r" $y$ is the true class and $t$ its one-hot target.",
        (K, i, j, k, y, z, p, t),
        (SOFTMAX, ONE_HOT),
        (*INDICES, (y, K)),
        SIZES,
    ),
    steps=(
        Step(
            Eq(_DPY, p[y] * (sp.KroneckerDelta(y, j) - p[j])),
            "the partial derivatives of the softmax, for the output $y$",
            cites=("softmax-partials",),
        ),
        Step(-p[y] * (p[j] - sp.KroneckerDelta(j, y)), "take out the factor $-p_y$"),
        Step(-p[y] * (p[j] - t[j]), "the target is one-hot at $y$"),
    ),
    result=Eq(_DPY, -p[y] * (p[j] - t[j])),
)

#: The chapter whose page shows these derivations.
CHAPTER = "gradients"

DERIVATIONS = (SOFTMAX_RATIO, CE_PROBABILITY_GRADIENT, JACOBIAN_TRUE_ROW)
