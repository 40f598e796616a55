r"""Derivations about the sigmoid: its derivative and its bound, the gradients of BCE and MSE
through it, and the ratio of those two gradients."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Eq, Hypothesis, Le, Step
from ce_book.derivations.notation import Notation, frac, product, terms

z = sp.Symbol("z", real=True)
t = sp.Symbol("t", real=True)
#: The target of squared error is called t as well (the name ``y`` is kept for older callers).
y = t
L = sp.Symbol("L")
sigma = sp.Function("sigma")
s = sigma(z)

SIGMOID = Definition(s, 1 / (1 + sp.exp(-z)))
BCE = Definition(L, -(t * sp.log(s) + (1 - t) * sp.log(1 - s)))

_TEXT = r"$z$ is a logit and $\sigma$ the logistic sigmoid."
_BCE_TEXT = (
    _TEXT + r" $t$ is the target (a label, or a soft target between 0 and 1) and $L$ the binary "
    r"cross-entropy of the prediction $\sigma(z)$ against it."
)


SIGMOID_DERIVATIVE = Derivation(
    id="sigmoid-derivative",
    title="The derivative of the sigmoid",
    statement=r"The sigmoid's slope is a product of its value and its complement: [[result]].",
    assumptions=Assumptions(_TEXT, (z,), (SIGMOID,)),
    steps=(
        Step(Eq(sp.Derivative(s, z), sp.Derivative(SIGMOID.rhs, z)), r"definition of $\sigma$"),
        Step(sp.exp(-z) / (1 + sp.exp(-z)) ** 2, "chain rule"),
        Step(product(1 / (1 + sp.exp(-z)), sp.exp(-z) / (1 + sp.exp(-z))), "split"),
        Step(
            product(s, 1 - 1 / (1 + sp.exp(-z))),
            r"definition of $\sigma$; $e^{-z}/(1 + e^{-z}) = 1 - 1/(1 + e^{-z})$",
        ),
        Step(s * (1 - s), r"definition of $\sigma$"),
    ),
    result=Eq(sp.Derivative(s, z), s * (1 - s)),
)

_OUTER = -(t / s - (1 - t) / (1 - s))

BCE_SIGMOID_GRADIENT = Derivation(
    id="bce-sigmoid-gradient",
    title="The gradient of binary cross-entropy with respect to the logit",
    statement=r"Through a sigmoid, binary cross-entropy has the gradient [[result]]: the error "
    r"itself, with no factor of the sigmoid's slope.",
    assumptions=Assumptions(_BCE_TEXT, (z, t), (SIGMOID, BCE)),
    steps=(
        Step(Eq(sp.Derivative(L, z), sp.Derivative(BCE.rhs, z)), "definition of $L$"),
        Step(product(_OUTER, sp.Derivative(s, z)), "chain rule"),
        Step(
            product(_OUTER, s * (1 - s)),
            "the sigmoid's slope",
            cites=("sigmoid-derivative",),
        ),
        Step(-(t * (1 - s) - (1 - t) * s), r"cancel $\sigma(z)\,(1 - \sigma(z))$"),
        Step(s - t, "expand"),
    ),
    result=Eq(sp.Derivative(L, z), s - t),
)

BCE_CURVATURE = Derivation(
    id="bce-logit-curvature",
    title="The curvature of binary cross-entropy in the logit",
    statement=r"The second derivative of the loss in the logit is [[result]], the sigmoid's "
    r"slope, which is positive for every logit and every target: the loss is convex in $z$.",
    assumptions=Assumptions(_BCE_TEXT, (z, t), (SIGMOID, BCE)),
    steps=(
        Step(
            Eq(sp.Derivative(L, (z, 2)), sp.Derivative(s - t, z)),
            "the gradient of the loss",
            cites=("bce-sigmoid-gradient",),
        ),
        Step(sp.Derivative(s, z), "the target does not depend on $z$"),
        Step(s * (1 - s), "the sigmoid's slope", cites=("sigmoid-derivative",)),
    ),
    result=Eq(sp.Derivative(L, (z, 2)), s * (1 - s)),
)

MSE_SIGMOID_GRADIENT = Derivation(
    id="mse-sigmoid-gradient",
    title="The gradient of squared error through a sigmoid",
    statement=r"Squared error keeps the sigmoid's slope as a factor: [[result]], which "
    r"vanishes when the sigmoid saturates, even if the prediction is badly wrong.",
    assumptions=Assumptions(_TEXT + r" $t$ is the target.", (z, t), (SIGMOID,)),
    steps=(
        Step(
            Eq(sp.Derivative((s - t) ** 2, z), product(2, s - t, sp.Derivative(s, z))),
            "chain rule",
        ),
        Step(
            product(2, s - t, s, 1 - s),
            "the sigmoid's slope",
            cites=("sigmoid-derivative",),
        ),
    ),
    result=Eq(sp.Derivative((s - t) ** 2, z), product(2, s - t, s, 1 - s)),
)

_STABLE = terms(sp.Max(z, 0), -z * t, sp.log(1 + sp.exp(-sp.Abs(z))))

BCE_LOGITS_FORM = Derivation(
    id="bce-logits-form",
    title="Binary cross-entropy from logits, in a form that cannot overflow",
    statement=r"Written in terms of the logit, binary cross-entropy is [[result]]: every "
    r"exponential is of a number that is not positive, so the form is finite for any finite "
    r"logit.",
    assumptions=Assumptions(_BCE_TEXT, (z, t), (SIGMOID, BCE)),
    steps=(
        Step(Eq(L, BCE.rhs), "definition of $L$"),
        Step(-t * sp.log(s) - (1 - t) * sp.log(sigma(-z)), r"$1 - \sigma(z) = \sigma(-z)$"),
        Step(
            t * sp.log(1 + sp.exp(-z)) + (1 - t) * sp.log(1 + sp.exp(z)),
            r"$\log \sigma(x) = -\log(1 + e^{-x})$",
        ),
        Step(sp.log(1 + sp.exp(z)) - z * t, r"$\log(1 + e^{z}) - \log(1 + e^{-z}) = z$"),
        Step(_STABLE, r"$\log(1 + e^{z}) = \max(z, 0) + \log(1 + e^{-|z|})$"),
    ),
    result=Eq(L, _STABLE),
)

_QUARTER = sp.Rational(1, 4)
_SQUARE = terms(_QUARTER, -((s - sp.Rational(1, 2)) ** 2))

SIGMOID_DERIVATIVE_BOUND = Derivation(
    id="sigmoid-derivative-bound",
    title="The sigmoid's slope is at most a quarter",
    statement=r"[[result]] for every logit, with equality only at the origin: a sigmoid unit "
    r"passes back at most a quarter of the gradient it receives.",
    assumptions=Assumptions(_TEXT, (z,), (SIGMOID,)),
    steps=(
        Step(
            Eq(sp.Derivative(s, z), s * (1 - s)),
            "the sigmoid's slope",
            cites=("sigmoid-derivative",),
        ),
        Step(_SQUARE, "complete the square"),
        Step(Le(_SQUARE, _QUARTER), "a square is never negative"),
    ),
    result=Le(sp.Derivative(s, z), _QUARTER),
)

ratio = Notation("r(z)")
sigma_prime = Notation(r"\sigma'(z)")
SIGMA_PRIME = Definition(sigma_prime, sp.Derivative(s, z))
_MSE = sp.Derivative((s - t) ** 2, z)
RATIO = Definition(ratio, frac(sp.Derivative(L, z), _MSE))
_NOT_EXACT = Hypothesis("H1", sp.Ne(s, t), "the prediction is not exactly the target")

GRADIENT_RATIO = Derivation(
    id="bce-mse-gradient-ratio",
    title="Cross-entropy's gradient over squared error's, through a sigmoid",
    statement=r"Through a sigmoid, the gradient of binary cross-entropy divided by that of "
    r"squared error is [[result]]: at least 2, since the slope is at most a quarter, and huge "
    r"where the sigmoid saturates, which is where squared error learns slowly.",
    assumptions=Assumptions(
        _BCE_TEXT + r" $r(z)$ is the ratio of the two gradients with respect to the logit, and "
        r"$\sigma'(z)$ the sigmoid's slope.",
        (z, t),
        (SIGMOID, BCE, RATIO, SIGMA_PRIME),
        hypotheses=(_NOT_EXACT,),
    ),
    steps=(
        Step(Eq(ratio, RATIO.rhs), "definition of the ratio"),
        Step(
            frac(s - t, product(2, s - t, s, 1 - s)),
            "the two gradients",
            cites=("bce-sigmoid-gradient", "mse-sigmoid-gradient"),
        ),
        Step(frac(1, product(2, s, 1 - s)), r"cancel $\sigma(z) - t$", (_NOT_EXACT,)),
        Step(
            frac(1, product(2, sigma_prime)),
            "the sigmoid's slope",
            cites=("sigmoid-derivative",),
        ),
    ),
    result=Eq(ratio, frac(1, product(2, sigma_prime))),
)

#: The chapter whose page shows these derivations.
CHAPTER = "binary"

DERIVATIONS = (
    SIGMOID_DERIVATIVE,
    SIGMOID_DERIVATIVE_BOUND,
    BCE_SIGMOID_GRADIENT,
    BCE_CURVATURE,
    MSE_SIGMOID_GRADIENT,
    GRADIENT_RATIO,
    BCE_LOGITS_FORM,
)
