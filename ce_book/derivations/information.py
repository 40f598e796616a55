r"""Derivations from information theory: cross-entropy as entropy plus KL, and log bases."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Step
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
    r"$p$ and $q$ are distributions over $K$ outcomes with every $p_k, q_k > 0$; "
    r"$H(p, q) = -\sum_k p_k \log q_k$, $H(p) = H(p, p)$ and "
    r"$D_{KL}(p \| q) = \sum_k p_k \log(p_k / q_k)$, all in nats."
)

CE_ENTROPY_KL = Derivation(
    id="ce-entropy-kl",
    title="Cross-entropy is entropy plus KL divergence",
    statement=r"$H(p, q) = H(p) + D_{KL}(p \| q)$: the extra cost of coding with $q$ instead of "
    r"the true $p$ is exactly the KL divergence, so for a fixed $p$ minimising $H(p, q)$ over "
    r"$q$ minimises $D_{KL}(p \| q)$.",
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

LOG_BASE_CHANGE = Derivation(
    id="log-base-change",
    title="Changing the base of the logarithm rescales cross-entropy",
    statement=r"Measured with logarithms to base $b > 1$, $H_b(p, q) = H(p, q) / \log b$: a "
    r"positive constant factor, so the gradient only scales and the minimising $q$ is the same "
    r"in bits, nats or any other unit.",
    assumptions=Assumptions(
        _TEXT + r" $b > 1$ is the base; $H_b$ is $H$ with $\log_b$ in place of the natural $\log$.",
        (K, k, j, p, q, b),
        (CROSS_ENTROPY, CROSS_ENTROPY_BASE),
        ((j, K),),
        SIZES,
    ),
    steps=(
        Step(sp.Eq(H_b, CROSS_ENTROPY_BASE.rhs), "definition of $H_b$"),
        Step(-sum_k(p[k] * frac(sp.log(q[k]), sp.log(b))), r"$\log_b x = \log x / \log b$"),
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

#: The chapter whose page shows these derivations.
CHAPTER = "information"

DERIVATIONS = (CE_ENTROPY_KL, LOG_BASE_CHANGE)
