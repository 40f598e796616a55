r"""Small facts of chapter 2 about the sigmoid and the Bernoulli loss: the complement of a
sigmoid is the sigmoid of the negated logit, the logit is the log-odds, flipping the label
is the same as flipping the sign of the logit, and the slope of the loss in the probability."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Eq, Step
from ce_book.derivations.notation import frac, product, terms

z = sp.Symbol("z", real=True)
sigma = sp.Function("sigma")
L = sp.Function("L")
# the argument of the loss in its definition: a bound variable, not a symbol of the derivation
u = sp.Dummy("p", positive=True)
t = sp.Symbol("t", real=True)

SIGMOID = Definition(sigma(z), 1 / (1 + sp.exp(-z)))
_TEXT = r"$z$ is a logit and $\sigma$ the logistic sigmoid."

SIGMOID_COMPLEMENT = Derivation(
    id="sigmoid-complement",
    title="The complement of a sigmoid is the sigmoid of the negated logit",
    statement=r'[[result]]: flipping the sign of the logit swaps the probabilities of "yes" '
    r'and "no".',
    assumptions=Assumptions(_TEXT, (z,), (SIGMOID,)),
    steps=(
        Step(Eq(1 - sigma(z), 1 - SIGMOID.rhs), r"definition of $\sigma$"),
        Step(frac(sp.exp(-z), 1 + sp.exp(-z)), "one fraction"),
        Step(frac(1, 1 + sp.exp(z)), "multiply above and below by $e^{z}$"),
        Step(sigma(-z), r"definition of $\sigma$ at $-z$"),
    ),
    result=Eq(1 - sigma(z), sigma(-z)),
)

SIGMOID_LOG_ODDS = Derivation(
    id="sigmoid-log-odds",
    title="The logit is the log-odds of the sigmoid's probability",
    statement=r"[[result]]: the logit is the logarithm of the odds that the sigmoid's "
    r"probability expresses, so odds of 3 to 1 are a logit of $\ln 3$.",
    assumptions=Assumptions(_TEXT, (z,), (SIGMOID,)),
    steps=(
        Step(
            Eq(
                sp.log(sigma(z) / (1 - sigma(z))),
                sp.log(frac(frac(1, 1 + sp.exp(-z)), frac(sp.exp(-z), 1 + sp.exp(-z)))),
            ),
            r"definition of $\sigma$, and $1 - \sigma(z)$ as one fraction",
        ),
        Step(sp.log(frac(1, sp.exp(-z))), "cancel $1 + e^{-z}$"),
        Step(sp.log(sp.exp(z), evaluate=False), r"$1/e^{-z}$ is $e^{z}$"),
        Step(z, r"the logarithm undoes the exponential"),
    ),
    result=Eq(sp.log(sigma(z) / (1 - sigma(z))), z),
)

BCE = Definition(L(u, t), -(t * sp.log(u) + (1 - t) * sp.log(1 - u)))

BCE_LABEL_FLIP = Derivation(
    id="bce-label-flip",
    title="Flipping the label is flipping the sign of the logit",
    statement=r"[[result]]: the loss of label 1 at the logit $z$ is the loss of label 0 at "
    r"$-z$, so the two loss curves are mirror images.",
    assumptions=Assumptions(
        _TEXT + r" $L(p, t)$ is the binary cross-entropy of the prediction $p$ for the target "
        r"$t$.",
        (z, t),
        (SIGMOID, BCE),
    ),
    steps=(
        Step(Eq(L(sigma(z), 1), -sp.log(sigma(z))), "definition of $L$ with $t = 1$"),
        Step(
            -sp.log(1 - sigma(-z)), r"$\sigma(z) = 1 - \sigma(-z)$", cites=("sigmoid-complement",)
        ),
        Step(L(sigma(-z), 0), "definition of $L$ with $t = 0$"),
    ),
    result=Eq(L(sigma(z), 1), L(sigma(-z), 0)),
)

# -- the slope of the loss as a function of the probability ------------------------------------

prob = sp.Symbol("p", positive=True)
pi = sp.Symbol("pi", real=True)
BCE_OF_P = Definition(L(prob, t), -(t * sp.log(prob) + (1 - t) * sp.log(1 - prob)))

BCE_PROBABILITY_GRADIENT = Derivation(
    id="bce-probability-gradient",
    title="The slope of binary cross-entropy as a function of the probability",
    statement=r"As a function of the predicted probability $p$, the loss has the slope "
    r"[[result:0]]. For label 0 it is [[result:1]], which grows without bound as $p$ "
    r"approaches 1: the more confident the mistake, the steeper the loss. For the soft target "
    r"$\pi$, the average label of many cases, it is [[result:2]], negative below $\pi$ and "
    r"positive above it.",
    assumptions=Assumptions(
        r"$p$ is the predicted probability of label 1, strictly between 0 and 1, and $t$ the "
        r"target; $\pi$ a soft target; $L(p, t)$ is the binary cross-entropy.",
        (prob, t, pi),
        (BCE_OF_P,),
    ),
    steps=(
        Step(
            Eq(sp.Derivative(L(prob, t), prob), sp.Derivative(BCE_OF_P.rhs, prob)),
            "definition of $L$",
        ),
        Step(
            terms(-t / prob, frac(1 - t, 1 - prob)),
            r"the derivative of $\log p$ is $1/p$; chain rule for $\log(1 - p)$",
        ),
        Step(frac(prob - t, product(prob, 1 - prob)), "one fraction"),
        Step(
            Eq(sp.Derivative(L(prob, 0), prob), sp.Derivative(-sp.log(1 - prob), prob)),
            "definition of $L$ with $t = 0$",
        ),
        Step(frac(1, 1 - prob), r"chain rule for $\log(1 - p)$"),
        Step(
            Eq(
                sp.Derivative(L(prob, pi), prob),
                terms(-pi / prob, frac(1 - pi, 1 - prob)),
            ),
            r"the slope of line 2 with $t = \pi$",
        ),
        Step(frac(prob - pi, product(prob, 1 - prob)), "one fraction"),
    ),
    result=(
        Eq(sp.Derivative(L(prob, t), prob), frac(prob - t, product(prob, 1 - prob))),
        Eq(sp.Derivative(L(prob, 0), prob), frac(1, 1 - prob)),
        Eq(sp.Derivative(L(prob, pi), prob), frac(prob - pi, product(prob, 1 - prob))),
    ),
)

#: The chapter whose page shows these derivations.
CHAPTER = "binary"

DERIVATIONS = (SIGMOID_COMPLEMENT, SIGMOID_LOG_ODDS, BCE_LABEL_FLIP, BCE_PROBABILITY_GRADIENT)
