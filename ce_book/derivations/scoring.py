r"""Derivations for the chapter beyond plain cross-entropy: cross-entropy (the log score) and
the Brier score are strictly proper, so the expected score is smallest only for an honest
forecast."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Eq, Hypothesis, Lt, Step
from ce_book.derivations.notation import Notation, frac, product, terms

pi = sp.Symbol("pi", positive=True)
q = sp.Symbol("q", positive=True)
S = sp.Function("S")
B = sp.Function("B")

LOG_SCORE = Definition(
    S(q), terms(-pi * sp.log(q), sp.Mul(-1, 1 - pi, sp.log(1 - q), evaluate=False))
)
BRIER = Definition(B(q), terms(pi * (1 - q) ** 2, (1 - pi) * q**2))
_Q_BELOW_1 = Hypothesis("H1", Lt(q, 1), "the report is below 1")
_PI_BELOW_1 = Hypothesis("H2", Lt(pi, 1), "the probability of the event is below 1")
_TEXT = (
    r"An event happens with probability $\pi$, strictly between 0 and 1; a forecaster reports "
    r"the probability $q$, also strictly between 0 and 1."
)

LOG_SCORE_PROPER = Derivation(
    id="log-score-proper",
    title="Cross-entropy rewards the honest forecast",
    statement=r"The expected cross-entropy $S(q)$ of the reported probability $q$ has the slope "
    r"[[result]]. The denominator is positive, so the slope is negative below $\pi$ and "
    r"positive above it: the expected loss is smallest at the true probability $\pi$, and only "
    r"there.",
    assumptions=Assumptions(
        _TEXT + r" $S(q)$ is the expected binary cross-entropy of the report.",
        (pi, q),
        (LOG_SCORE,),
        hypotheses=(_Q_BELOW_1, _PI_BELOW_1),
    ),
    steps=(
        Step(
            Eq(sp.Derivative(S(q), q), terms(-frac(pi, q), frac(1 - pi, 1 - q))),
            r"definition of $S$; the derivatives of $\log q$ and $\log(1 - q)$",
        ),
        Step(
            frac(terms(-pi * (1 - q), q * (1 - pi)), product(q, 1 - q)),
            "common denominator",
        ),
        Step(frac(q - pi, product(q, 1 - q)), r"expand; the terms $\pi q$ cancel"),
    ),
    result=Eq(sp.Derivative(S(q), q), frac(q - pi, product(q, 1 - q))),
)

_KL = terms(pi * sp.log(frac(pi, q)), (1 - pi) * sp.log(frac(1 - pi, 1 - q)))
Excess = Notation(r"\Delta")
EXCESS = Definition(Excess, terms(LOG_SCORE.rhs, -LOG_SCORE.rhs.subs(q, pi)))

LOG_SCORE_EXCESS = Derivation(
    id="log-score-excess",
    title="What a dishonest forecast costs under cross-entropy",
    statement=r"Reporting $q$ instead of the true $\pi$ raises the expected cross-entropy by "
    r"[[result]], the KL divergence from the truth to the report: never negative, and 0 only "
    r"for the honest report (Gibbs' inequality).",
    assumptions=Assumptions(
        _TEXT + r" $\Delta$ is the expected cross-entropy of the report $q$ minus that of the "
        r"honest report $\pi$.",
        (pi, q),
        (EXCESS,),
        hypotheses=(_Q_BELOW_1, _PI_BELOW_1),
    ),
    steps=(
        Step(
            Eq(
                Excess,
                terms(
                    -pi * sp.log(q),
                    sp.Mul(-1, 1 - pi, sp.log(1 - q), evaluate=False),
                    pi * sp.log(pi),
                    (1 - pi) * sp.log(1 - pi),
                ),
            ),
            r"definition of $\Delta$",
        ),
        Step(
            _KL,
            "pair the terms; a difference of logs is the log of a ratio",
            (_Q_BELOW_1, _PI_BELOW_1),
        ),
    ),
    result=Eq(Excess, _KL),
)

BRIER_PROPER = Derivation(
    id="brier-score-proper",
    title="The Brier score rewards the honest forecast too",
    statement=r"The expected Brier score (squared error) of the report $q$ is [[result]]: a "
    r"square that vanishes only for the honest report, plus a part the forecaster cannot "
    r"change.",
    assumptions=Assumptions(
        _TEXT + r" $B(q)$ is the expected squared error $(q - t)^2$ with $t$ the 0/1 outcome.",
        (pi, q),
        (BRIER,),
        hypotheses=(_Q_BELOW_1, _PI_BELOW_1),
    ),
    steps=(
        Step(Eq(B(q), terms(pi * (1 - q) ** 2, (1 - pi) * q**2)), r"definition of $B$"),
        Step(terms(q**2, -2 * pi * q, pi), "expand; collect the powers of $q$"),
        Step(terms((q - pi) ** 2, pi * (1 - pi)), r"complete the square: add and subtract $\pi^2$"),
    ),
    result=Eq(B(q), terms((q - pi) ** 2, pi * (1 - pi))),
)

#: The chapter whose page shows these derivations.
CHAPTER = "beyond"

DERIVATIONS = (LOG_SCORE_PROPER, LOG_SCORE_EXCESS, BRIER_PROPER)
