r"""Derivations for the chapter "Misconceptions and errata": what a step on the true logit
really does to the loss, and where the distance-scaled "gradient" of one source goes wrong."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Eq, Hypothesis, Lt, Step
from ce_book.derivations.notation import SIZES, K, Notation, frac, k, sum_k, terms

# -- cross-entropy is entropy plus KL, in the letters of machine learning ------------------------

t = sp.IndexedBase("t", positive=True)
p = sp.IndexedBase("p", positive=True)
H_tp = Notation("H(t, p)")
H_t = Notation("H(t)")
KL_tp = Notation(r"D_{\mathrm{KL}}(t \,\|\, p)")
_ENTROPY_T = Definition(H_t, -sum_k(t[k] * sp.log(t[k])))
_CROSS_ENTROPY_TP = Definition(H_tp, -sum_k(t[k] * sp.log(p[k])))
_KL_TP = Definition(KL_tp, sum_k(t[k] * sp.log(t[k] / p[k])))

CE_ENTROPY_KL_TARGET = Derivation(
    id="ce-entropy-kl-target",
    title="Cross-entropy is the target's entropy plus the KL divergence",
    statement=r"For a target $t$ and a prediction $p$ with no zero entry, [[result]]: an added "
    r"term, the target's entropy, which the prediction cannot change, and not a factor.",
    assumptions=Assumptions(
        r"$t$ (the target) and $p$ (the prediction) are distributions over $K$ classes with no "
        r"zero entry; $H(t, p)$ is the cross-entropy, $H(t)$ the target's entropy and "
        r"$D_{\mathrm{KL}}(t \,\|\, p)$ the KL divergence, all in nats.",
        (K, k, t, p),
        (_ENTROPY_T, _CROSS_ENTROPY_TP, _KL_TP),
        (),
        SIZES,
    ),
    steps=(
        Step(Eq(H_tp, _CROSS_ENTROPY_TP.rhs), "definition of cross-entropy"),
        Step(
            terms(-sum_k(t[k] * sp.log(t[k])), sum_k(t[k] * (sp.log(t[k]) - sp.log(p[k])))),
            r"add and subtract $\sum_k t_k \log t_k$",
        ),
        Step(terms(_ENTROPY_T.rhs, _KL_TP.rhs), r"$\log a - \log b = \log(a / b)$"),
        Step(terms(H_t, KL_tp), "definitions of entropy and KL divergence"),
    ),
    result=Eq(H_tp, terms(H_t, KL_tp)),
)

# -- a finite step on the true logit ------------------------------------------------------------

A = sp.Symbol("A", positive=True)
b = sp.Symbol("b", real=True)
s = sp.Symbol("s", real=True)
p_y = Notation("p_y")
Delta = Notation(r"\Delta")

_LOSS_AFTER = sp.log(A + sp.exp(b + s)) - (b + s)
_LOSS_BEFORE = sp.log(A + sp.exp(b)) - b
STEP_CHANGE = Definition(Delta, _LOSS_AFTER - _LOSS_BEFORE)
P_TRUE = Definition(p_y, sp.exp(b) / (A + sp.exp(b)))
_EXACT = terms(sp.log(terms(1, -p_y, p_y * sp.exp(s))), -s)

TRUE_LOGIT_STEP_EXACT = Derivation(
    id="true-logit-step-exact",
    title="What a finite step on the true logit does to the loss",
    statement=r"Raising the true logit by $s$ changes the cross-entropy by [[result]]. Its "
    r"slope where the step starts is $p_y - 1$, the gradient; along the way $p_y$ grows, so "
    r"a whole step lowers the loss by less than the slope promises.",
    assumptions=Assumptions(
        r"The true class $y$ has logit $b$, and $A$ is the sum of $e^{z_k}$ over the other "
        r"classes, so the loss is $\log(A + e^{b}) - b$ and the true class has probability "
        r"$p_y$; $s$ is the size of the step and $\Delta$ the change of the loss.",
        (A, b, s),
        (STEP_CHANGE, P_TRUE),
    ),
    steps=(
        Step(
            Eq(Delta, terms(sp.log(A + sp.exp(b + s)), -sp.log(A + sp.exp(b)), -s)),
            r"definition of $\Delta$; the logit $b$ cancels",
        ),
        Step(
            terms(sp.log(frac(A + sp.exp(b) * sp.exp(s), A + sp.exp(b))), -s),
            "a difference of logs is the log of the ratio",
        ),
        Step(
            terms(
                sp.log(terms(frac(A, A + sp.exp(b)), frac(sp.exp(b), A + sp.exp(b)) * sp.exp(s))),
                -s,
            ),
            "split the fraction",
        ),
        Step(_EXACT, r"definition of $p_y$, whose complement is $A / (A + e^{b})$"),
    ),
    result=Eq(Delta, _EXACT),
)

# -- the components of the distance-scaled field ------------------------------------------------

p1, p2, p3 = sp.symbols("p_1 p_2 p_3", positive=True)
S = Notation(r"S")
FIELD_SUM = Definition(S, terms(p1 - 1, p2 / 1, p3 / 2))
_SUM_ONE = Hypothesis("H1", Eq(p1 + p2 + p3, 1), "the probabilities sum to 1")

DISTANCE_FIELD_SUM = Derivation(
    id="distance-field-sum",
    title="The distance-scaled field does not sum to zero",
    statement=r"With three ordered classes, true class 1, and the wrong classes 2 and 3 at "
    r"distances 1 and 2, the proposed components $p_1 - 1$, $p_2 / 1$ and $p_3 / 2$ add up to "
    r"[[result:0]], and so [[result:1]]. The gradient of any loss of the softmax sums to 0.",
    assumptions=Assumptions(
        r"$p_1, p_2, p_3$ are the softmax probabilities of three ordered classes, class 1 the "
        r"true one; $S$ is the sum of the three proposed components.",
        (p1, p2, p3),
        (FIELD_SUM,),
        hypotheses=(_SUM_ONE,),
    ),
    steps=(
        Step(Eq(S, terms(p1 - 1, p2, p3 / 2)), "definition of $S$"),
        Step(terms(-(p2 + p3), p2, p3 / 2), r"$p_1 - 1 = -(p_2 + p_3)$", (_SUM_ONE,)),
        Step(-p3 / 2, "collect"),
        Step(Lt(-p3 / 2, 0), "$p_3$ is positive"),
    ),
    result=(Eq(S, -p3 / 2), Lt(S, 0)),
)

#: The chapter whose page shows these derivations.
CHAPTER = "errata"

DERIVATIONS = (CE_ENTROPY_KL_TARGET, TRUE_LOGIT_STEP_EXACT, DISTANCE_FIELD_SUM)
