r"""Derivations about softmax cross-entropy: its gradient, its Hessian, label smoothing, a
temperature, and the total size of the gradient for a one-hot target."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Eq, Hypothesis, Le, Step
from ce_book.derivations.notation import (
    INDICES,
    JACOBIAN,
    SIZES,
    SOFTMAX,
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
    t,
    u,
    z,
)

L = sp.Symbol("L")
eps = sp.Symbol("epsilon", real=True)
CE = Definition(L, -sum_k(t[k] * sp.log(p[k])))
_SUM_T = Hypothesis("H1", Eq(sum_k(t[k]), 1), "the targets sum to 1")
_TEXT = SOFTMAX_TEXT + (
    r" $t_1, \dots, t_K$ are real targets (one-hot, or soft) and $L$ is the cross-entropy of "
    r"the prediction $p$ against $t$."
)
_CE = Assumptions(_TEXT, (K, i, j, k, z, p, t), (SOFTMAX, CE), INDICES, SIZES, hypotheses=(_SUM_T,))
_DL = sp.Derivative(L, z[j])
_GRADIENT = p[j] * sum_k(t[k]) - t[j]

CE_SOFTMAX_GRADIENT = Derivation(
    id="ce-softmax-gradient",
    title="The gradient of softmax cross-entropy with respect to the logits",
    statement=r"When the targets sum to 1 (one-hot or soft labels), the gradient is the "
    r"prediction minus the target, [[result:1]]. For any targets it is [[result:0]]; either "
    r"way the components sum to zero: [[result:2]].",
    assumptions=_CE,
    steps=(
        Step(
            Eq(_DL, -sum_k(t[k] * sp.Derivative(sp.log(p[k]), z[j]))),
            "definition of $L$; the derivative of a sum is the sum of the derivatives",
        ),
        Step(-sum_k(t[k] / p[k] * sp.Derivative(p[k], z[j])), "chain rule"),
        Step(
            -sum_k(sp.Mul(t[k] / p[k], p[k] * (sp.KroneckerDelta(k, j) - p[j]), evaluate=False)),
            "the partial derivatives of the softmax",
            cites=("softmax-partials",),
        ),
        Step(-sum_k(t[k] * (sp.KroneckerDelta(k, j) - p[j])), "cancel $p_k$"),
        Step(_GRADIENT, "the delta picks $k = j$"),
        Step(p[j] - t[j], "the targets sum to 1", (_SUM_T,)),
        Step(
            Eq(sp.Sum(_DL, (j, 1, K)), sp.Sum(_GRADIENT, (j, 1, K))),
            "the gradient above, summed over $j$",
        ),
        Step(sum_k(t[k]) * sp.Sum(p[j], (j, 1, K)) - sp.Sum(t[j], (j, 1, K)), "linearity"),
        Step(sp.S.Zero, "the probabilities sum to 1"),
    ),
    result=(
        Eq(_DL, _GRADIENT),
        Eq(_DL, p[j] - t[j]),
        Eq(sp.Sum(_DL, (j, 1, K)), 0),
    ),
)

_H = sp.Derivative(L, z[i], z[j])

CE_SOFTMAX_HESSIAN = Derivation(
    id="ce-softmax-hessian",
    title="The Hessian of softmax cross-entropy is the softmax Jacobian",
    statement=r"When the targets sum to 1, the Hessian of $L$ with respect to the logits is the "
    r"softmax Jacobian, [[result]], which is positive semi-definite (as the properties of the "
    r"softmax Jacobian show): $L$ is convex in the logits. The targets drop out, so the "
    r"curvature is the same for every target distribution (targets with any other sum "
    r"would give that sum times $J$).",
    assumptions=Assumptions(
        _TEXT + r" $J$ is the softmax Jacobian.",
        (K, i, j, k, z, p, t, J),
        (SOFTMAX, CE, JACOBIAN),
        INDICES,
        SIZES,
        hypotheses=(_SUM_T,),
    ),
    steps=(
        Step(
            Eq(_DL, _GRADIENT),
            "the gradient of softmax cross-entropy with respect to the logits, line 5",
            cites=("ce-softmax-gradient",),
        ),
        Step(
            Eq(_H, sum_k(t[k]) * sp.Derivative(p[j], z[i])),
            "differentiate line 1 with respect to $z_i$; the targets do not depend on $z$",
        ),
        Step(
            sum_k(t[k]) * p[j] * (sp.KroneckerDelta(j, i) - p[i]),
            "differentiate the softmax: its partial derivatives, with $i$ and $j$ exchanged",
        ),
        Step(p[j] * (sp.KroneckerDelta(j, i) - p[i]), "the targets sum to 1", (_SUM_T,)),
        Step(p[i] * (sp.KroneckerDelta(i, j) - p[j]), "the delta is zero unless $i = j$"),
        Step(
            sp.Derivative(p[i], z[j]),
            "the partial derivatives of the softmax",
            cites=("softmax-partials",),
        ),
        Step(J[i, j], "definition of the Jacobian"),
    ),
    result=Eq(_H, J[i, j]),
)

_SMOOTH_K = (1 - eps) * t[k] + eps / K
_SMOOTH_J = (1 - eps) * t[j] + eps / K
LS = Definition(L, -sum_k(_SMOOTH_K * sp.log(p[k])))

LABEL_SMOOTHING_GRADIENT = Derivation(
    id="label-smoothing-gradient",
    title="The gradient of cross-entropy with label smoothing",
    statement=r"Label smoothing with weight $\varepsilon$ over $K$ classes replaces the targets "
    r"by $(1 - \varepsilon) t + \varepsilon / K$, and the gradient becomes [[result]].",
    assumptions=Assumptions(
        SOFTMAX_TEXT + r" $t$ are the targets, $\varepsilon$ is the smoothing weight and $L$ the "
        r"cross-entropy against the smoothed targets.",
        (K, i, j, k, z, p, t, eps),
        (SOFTMAX, LS),
        INDICES,
        SIZES,
        hypotheses=(_SUM_T,),
    ),
    steps=(
        Step(
            Eq(_DL, p[j] * sum_k(_SMOOTH_K) - _SMOOTH_J),
            r"as for plain targets, with targets $(1 - \varepsilon) t + \varepsilon / K$",
        ),
        Step(p[j] * ((1 - eps) * sum_k(t[k]) + eps) - _SMOOTH_J, "linearity"),
        Step(p[j] - _SMOOTH_J, "the targets sum to 1", (_SUM_T,)),
    ),
    result=Eq(_DL, p[j] - _SMOOTH_J),
)

# -- a temperature -----------------------------------------------------------------------------

T = sp.Symbol("T", positive=True)
SOFTMAX_T = Definition(p[i], sp.exp(z[i] / T) / sum_k(sp.exp(z[k] / T)))
_TEMPERATURE = p[j] * sum_k(t[k]) - t[j]

TEMPERATURE_GRADIENT = Derivation(
    id="temperature-gradient",
    title="The gradient of cross-entropy through a softmax with a temperature",
    statement=r"Dividing the logits by a temperature $T$ before the softmax divides the gradient "
    r"with respect to the raw logits by $T$: [[result]].",
    assumptions=Assumptions(
        r"$K$ classes with real logits $z_1, \dots, z_K$, a temperature $T$, and $p$ the softmax "
        r"of $z / T$; $t$ are the targets and $L$ the cross-entropy of $p$ against them; "
        r"$\delta_{kj}$ is the Kronecker delta.",
        (K, i, j, k, z, p, t, T),
        (SOFTMAX_T, CE),
        INDICES,
        SIZES,
        hypotheses=(_SUM_T,),
    ),
    steps=(
        Step(
            Eq(_DL, -sum_k(t[k] * sp.Derivative(sp.log(p[k]), z[j]))),
            "definition of $L$; the derivative of a sum is the sum of the derivatives",
        ),
        Step(-sum_k(t[k] / p[k] * sp.Derivative(p[k], z[j])), "chain rule"),
        Step(
            -sum_k(product(t[k] / p[k], frac(p[k] * (sp.KroneckerDelta(k, j) - p[j]), T))),
            r"the partial derivatives of the softmax, times the inner derivative $1 / T$",
        ),
        Step(frac(_TEMPERATURE, T), "cancel $p_k$; the delta picks $k = j$"),
        Step(frac(p[j] - t[j], T), "the targets sum to 1", (_SUM_T,)),
    ),
    result=Eq(_DL, frac(p[j] - t[j], T)),
)

# -- the backward pass of a stand-alone softmax ------------------------------------------------

_BACKWARD = sp.Sum(u[i] * sp.Derivative(p[i], z[j]), (i, 1, K))
_WEIGHTED = sum_k(p[k] * u[k])

SOFTMAX_BACKWARD = Derivation(
    id="softmax-backward",
    title="The backward pass of a softmax needs no Jacobian matrix",
    statement=r"Whatever loss follows the softmax, if $u_i$ is its partial derivative with "
    r"respect to $p_i$, the chain rule gives the gradient with respect to the logits as "
    r"[[result]]: one weighted sum $\sum_k p_k u_k$, shared by every class, then one "
    r"subtraction and one product per class. That is of the order of $K$ operations, and the "
    r"$K \times K$ Jacobian is never formed.",
    assumptions=Assumptions(
        SOFTMAX_TEXT + r" $u_1, \dots, u_K$ are any real numbers: the partial derivatives of a "
        r"loss with respect to $p_1, \dots, p_K$, which the backward pass receives.",
        (K, i, j, k, z, p, u),
        (SOFTMAX,),
        INDICES,
        SIZES,
    ),
    steps=(
        Step(
            Eq(_BACKWARD, sp.Sum(u[i] * p[i] * (sp.KroneckerDelta(i, j) - p[j]), (i, 1, K))),
            "the partial derivatives of the softmax",
            cites=("softmax-partials",),
        ),
        Step(
            sp.Sum(u[i] * p[i] * sp.KroneckerDelta(i, j), (i, 1, K))
            - p[j] * sp.Sum(u[i] * p[i], (i, 1, K)),
            "expand; $p_j$ does not depend on $i$",
        ),
        Step(u[j] * p[j] - p[j] * _WEIGHTED, "the delta picks $i = j$; rename $i$ to $k$"),
        Step(p[j] * (u[j] - _WEIGHTED), "factor out $p_j$"),
    ),
    result=Eq(_BACKWARD, p[j] * (u[j] - _WEIGHTED)),
)

# -- the size of the gradient for a one-hot target -------------------------------------------

y = sp.Symbol("y", integer=True, positive=True)
ONE_HOT = Definition(t[k], sp.KroneckerDelta(k, y))
_P_SUMS = Hypothesis("H1", SUM_P, "the probabilities sum to 1")
_P_AT_MOST_1 = Hypothesis(
    "H2", Le(p[k], 1), "no probability exceeds 1; implied by (H1), as none is negative"
)
_DISTANCE = sum_k(sp.Abs(p[k] - t[k]))
_DELTA_KY = sp.KroneckerDelta(k, y)

L1_ONE_HOT = Derivation(
    id="l1-distance-one-hot",
    title="The total size of the cross-entropy gradient for a one-hot target",
    statement=r"For a one-hot target of class $y$, the components $p_k - t_k$ of the gradient "
    r"have total size [[result]]: twice the probability missing from the true class.",
    assumptions=Assumptions(
        r"$p$ is a distribution over $K$ classes with no zero entry (a softmax output, for "
        r"example), $y$ the true class and $t$ its one-hot target; $\delta_{ky}$ is the "
        r"Kronecker delta.",
        (K, k, y, p),
        (ONE_HOT,),
        ((y, K),),
        SIZES,
        hypotheses=(_P_SUMS, _P_AT_MOST_1),
    ),
    steps=(
        Step(Eq(_DISTANCE, sum_k(sp.Abs(p[k] - _DELTA_KY))), "the target is one-hot at $y$"),
        Step(
            sum_k((1 - _DELTA_KY) * p[k] + _DELTA_KY * (1 - p[k])),
            "each $p_k$ lies between 0 and 1",
            (_P_AT_MOST_1,),
        ),
        Step(sum_k(p[k]) - p[y] + (1 - p[y]), "the delta picks $k = y$"),
        Step(product(2, 1 - p[y]), "the probabilities sum to 1", (_P_SUMS,)),
    ),
    result=Eq(_DISTANCE, product(2, 1 - p[y])),
)

#: The chapter whose page shows these derivations.
CHAPTER = "gradients"

DERIVATIONS = (
    CE_SOFTMAX_GRADIENT,
    CE_SOFTMAX_HESSIAN,
    LABEL_SMOOTHING_GRADIENT,
    TEMPERATURE_GRADIENT,
    L1_ONE_HOT,
    SOFTMAX_BACKWARD,
)
