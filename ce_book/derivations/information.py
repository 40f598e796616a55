r"""Derivations from information theory: cross-entropy as entropy plus KL, log bases, the
tangent bound of the logarithm, Gibbs' inequality and the bounds of entropy."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Hypothesis, Step
from ce_book.derivations.notation import (
    SIZES,
    K,
    LogBase,
    Notation,
    frac,
    j,
    k,
    product,
    sum_k,
    terms,
)

p = sp.IndexedBase("p", positive=True)
q = sp.IndexedBase("q", positive=True)
b = sp.Symbol("b", positive=True)
H_pq = Notation("H(p, q)")
H_p = Notation("H(p)")
KL = Notation(r"D_{\mathrm{KL}}(p \,\|\, q)")
H_b = Notation("H_b(p, q)")

ENTROPY = Definition(H_p, -sum_k(p[k] * sp.log(p[k])))
CROSS_ENTROPY = Definition(H_pq, -sum_k(p[k] * sp.log(q[k])))
KL_DIVERGENCE = Definition(KL, sum_k(p[k] * sp.log(p[k] / q[k])))
CROSS_ENTROPY_BASE = Definition(H_b, -sum_k(p[k] * LogBase(q[k], b)))

_TEXT = (
    r"$p$ and $q$ are distributions over $K$ outcomes with no zero entry; $H(p, q)$ is the "
    r"cross-entropy, $H(p)$ the entropy and $D_{\mathrm{KL}}(p \,\|\, q)$ the KL divergence, "
    r"all in nats."
)
_P_SUMS = Hypothesis("H1", sp.Eq(sum_k(p[k]), 1), "$p$ sums to 1")
_Q_SUMS = Hypothesis("H2", sp.Eq(sum_k(q[k]), 1), "$q$ sums to 1")

CE_ENTROPY_KL = Derivation(
    id="ce-entropy-kl",
    title="Cross-entropy is entropy plus KL divergence",
    statement=r"[[result]]: the extra cost of coding with $q$ instead of the true $p$ is exactly "
    r"the KL divergence, so for a fixed $p$ minimising the cross-entropy over $q$ minimises the "
    r"divergence.",
    assumptions=Assumptions(
        _TEXT, (K, k, p, q), (ENTROPY, CROSS_ENTROPY, KL_DIVERGENCE), (), SIZES
    ),
    steps=(
        Step(sp.Eq(H_pq, CROSS_ENTROPY.rhs), "definition of cross-entropy"),
        Step(
            terms(-sum_k(p[k] * sp.log(p[k])), sum_k(p[k] * (sp.log(p[k]) - sp.log(q[k])))),
            r"add and subtract $\sum_k p_k \log p_k$",
        ),
        Step(terms(ENTROPY.rhs, KL_DIVERGENCE.rhs), r"$\log a - \log b = \log(a / b)$"),
        Step(terms(H_p, KL), "definitions of entropy and KL divergence"),
    ),
    result=sp.Eq(H_pq, terms(H_p, KL)),
)

_BASE = Hypothesis("H1", sp.Gt(b, 1), "a base of logarithms above 1")

LOG_BASE_CHANGE = Derivation(
    id="log-base-change",
    title="Changing the base of the logarithm rescales cross-entropy",
    statement=r"Measured with logarithms to a base $b$, [[result:0]]: a positive constant "
    r"factor, so the gradient only scales, [[result:1]], and the minimising $q$ is the same in "
    r"bits, nats or any other unit.",
    assumptions=Assumptions(
        r"$p$ and $q$ are distributions over $K$ outcomes with no zero entry; $H(p, q)$ is "
        r"the cross-entropy in nats, $b$ is the base, and $H_b$ is $H$ with $\log_b$ in place "
        r"of the natural $\log$.",
        (K, k, j, p, q, b),
        (CROSS_ENTROPY, CROSS_ENTROPY_BASE),
        ((j, K),),
        SIZES,
        hypotheses=(_BASE,),
    ),
    steps=(
        Step(sp.Eq(H_b, CROSS_ENTROPY_BASE.rhs), "definition of $H_b$"),
        Step(
            -sum_k(p[k] * frac(sp.log(q[k]), sp.log(b))),
            r"$\log_b x = \log x / \log b$",
            (_BASE,),
        ),
        Step(
            product(frac(1, sp.log(b)), -sum_k(p[k] * sp.log(q[k]))),
            r"$1 / \log b$ does not depend on $k$",
        ),
        Step(frac(H_pq, sp.log(b)), "definition of $H(p, q)$"),
        Step(
            sp.Eq(sp.Derivative(H_b, q[j]), product(frac(1, sp.log(b)), sp.Derivative(H_pq, q[j]))),
            "the derivative of a constant multiple",
        ),
    ),
    result=(
        sp.Eq(H_b, H_pq / sp.log(b)),
        sp.Eq(sp.Derivative(H_b, q[j]), sp.Derivative(H_pq, q[j]) / sp.log(b)),
    ),
)

# -- the tangent bound of the logarithm, and Gibbs' inequality --------------------------------

x = sp.Symbol("x", positive=True)
_GAP = x - 1 - sp.log(x)

LOG_TANGENT_BOUND = Derivation(
    id="log-tangent-bound",
    title="The logarithm lies below its tangent at 1",
    statement=r"For every positive $x$, [[result]], with equality only at 1: the graph of the "
    r"logarithm lies below its tangent line there.",
    assumptions=Assumptions(r"$x$ is a positive number.", (x,)),
    steps=(
        Step(sp.Eq(sp.Derivative(_GAP, x), 1 - 1 / x), "differentiate"),
        Step(
            frac(x - 1, x),
            "one fraction: negative below 1, positive above, so the gap falls and then rises",
        ),
        Step(
            sp.Le(sp.log(x), x - 1),
            r"the gap $x - 1 - \log x$ is least at 1, where it is 0",
        ),
    ),
    result=sp.Le(sp.log(x), x - 1),
)

_RATIO_SUM = sum_k(p[k] * sp.log(q[k] / p[k]))
_TANGENT_SUM = sum_k(p[k] * (q[k] / p[k] - 1))

GIBBS_INEQUALITY = Derivation(
    id="gibbs-inequality",
    title="Gibbs' inequality: the KL divergence is never negative",
    statement=r"[[result]] for any two distributions with no zero entries: an ideal code built "
    r"for the wrong distribution never saves bits, and cross-entropy is never below entropy "
    r"(ce-entropy-kl). Zero entries change nothing: outcomes $p$ never produces drop out, the "
    r"$q_k$ left add up to at most 1, which only strengthens the last line, and where $q$ "
    r"alone is zero the divergence is infinite.",
    assumptions=Assumptions(
        _TEXT, (K, k, p, q), (KL_DIVERGENCE,), (), SIZES, hypotheses=(_P_SUMS, _Q_SUMS)
    ),
    steps=(
        Step(sp.Eq(KL, KL_DIVERGENCE.rhs), "definition of the KL divergence"),
        Step(-_RATIO_SUM, r"$\log(a / b) = -\log(b / a)$"),
        Step(
            sp.Ge(-_RATIO_SUM, -_TANGENT_SUM),
            r"the logarithm lies below its tangent, at $x = q_k / p_k$",
            cites=("log-tangent-bound",),
        ),
        Step(terms(sum_k(p[k]), -sum_k(q[k])), "multiply out"),
        Step(sp.S.Zero, "both distributions sum to 1", (_P_SUMS, _Q_SUMS)),
    ),
    result=sp.Ge(KL, 0),
)

# -- the bounds of entropy ---------------------------------------------------------------------

_AT_MOST_1 = Hypothesis("H2", sp.Le(p[k], 1), "no probability exceeds 1")
_UNIFORM_RATIO = sum_k(p[k] * sp.log(1 / (K * p[k])))
_UNIFORM_TANGENT = sum_k(p[k] * (1 / (K * p[k]) - 1))

ENTROPY_BOUNDS = Derivation(
    id="entropy-bounds",
    title="Entropy lies between 0 and the log of the number of outcomes",
    statement=r"For a distribution over $K$ outcomes with no zero entry, [[result:0]] and "
    r"[[result:1]]: no outcome is less surprising than a certain one, and no distribution is "
    r"more uncertain than the uniform one, whose entropy is the upper bound. Outcomes of "
    r"probability 0 add nothing to the entropy, so the bounds hold for every distribution.",
    assumptions=Assumptions(
        r"$p$ is a distribution over $K$ outcomes with no zero entry and $H(p)$ its entropy, in "
        r"nats.",
        (K, k, p),
        (ENTROPY,),
        (),
        SIZES,
        hypotheses=(_P_SUMS, _AT_MOST_1),
    ),
    steps=(
        Step(sp.Eq(H_p, ENTROPY.rhs), "definition of entropy"),
        Step(
            sp.Ge(ENTROPY.rhs, 0),
            r"every term is at least 0, since a probability at most 1 has $\log p_k \le 0$",
            (_AT_MOST_1,),
        ),
        Step(
            sp.Eq(H_p, terms(sp.log(K), _UNIFORM_RATIO)),
            r"add and subtract $\log K$, which is $\sum_k p_k \log K$",
            (_P_SUMS,),
        ),
        Step(
            sp.Le(terms(sp.log(K), _UNIFORM_RATIO), terms(sp.log(K), _UNIFORM_TANGENT)),
            r"the logarithm lies below its tangent, at $x = 1 / (K p_k)$",
            cites=("log-tangent-bound",),
        ),
        Step(terms(sp.log(K), 1, -sum_k(p[k])), "multiply out"),
        Step(sp.log(K), "the probabilities sum to 1", (_P_SUMS,)),
    ),
    result=(sp.Ge(H_p, 0), sp.Le(H_p, sp.log(K))),
)

#: The chapter whose page shows these derivations.
CHAPTER = "information"

DERIVATIONS = (
    CE_ENTROPY_KL,
    LOG_BASE_CHANGE,
    LOG_TANGENT_BOUND,
    GIBBS_INEQUALITY,
    ENTROPY_BOUNDS,
)
