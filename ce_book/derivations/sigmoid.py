r"""Derivations about the sigmoid: its derivative, and the gradients of BCE and MSE through it."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Step
from ce_book.derivations.notation import product, terms

z = sp.Symbol("z", real=True)
t = sp.Symbol("t", real=True)
y = sp.Symbol("y", real=True)
L = sp.Symbol("L")
sigma = sp.Function("sigma")
s = sigma(z)

SIGMOID = Definition(s, 1 / (1 + sp.exp(-z)))
BCE = Definition(L, -(t * sp.log(s) + (1 - t) * sp.log(1 - s)))

_TEXT = r"$z$ is a real logit and $\sigma(z) = 1/(1 + e^{-z})$ is the logistic sigmoid."
_BCE_TEXT = (
    _TEXT + r" $t \in [0, 1]$ is the target (a label or a soft target) and"
    r" $L = -\big(t \log \sigma(z) + (1 - t) \log(1 - \sigma(z))\big)$ is binary cross-entropy."
)


SIGMOID_DERIVATIVE = Derivation(
    id="sigmoid-derivative",
    title="The derivative of the sigmoid",
    statement=r"The sigmoid's slope is a product of its value and its complement: "
    r"$\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$, at most $1/4$ (at $z = 0$).",
    assumptions=Assumptions(_TEXT, (z,), (SIGMOID,)),
    steps=(
        Step(sp.Eq(sp.Derivative(s, z), sp.Derivative(SIGMOID.rhs, z)), r"definition of $\sigma$"),
        Step(sp.exp(-z) / (1 + sp.exp(-z)) ** 2, "chain rule"),
        Step(product(1 / (1 + sp.exp(-z)), sp.exp(-z) / (1 + sp.exp(-z))), "split"),
        Step(product(s, 1 - 1 / (1 + sp.exp(-z))), r"definition of $\sigma$"),
        Step(s * (1 - s), r"definition of $\sigma$"),
    ),
    result=sp.Eq(sp.Derivative(s, z), s * (1 - s)),
)

_OUTER = -(t / s - (1 - t) / (1 - s))

BCE_SIGMOID_GRADIENT = Derivation(
    id="bce-sigmoid-gradient",
    title="The gradient of binary cross-entropy with respect to the logit",
    statement=r"Through a sigmoid, binary cross-entropy has the gradient "
    r"$\partial L / \partial z = \sigma(z) - t$: the error itself, with no $\sigma'$ factor.",
    assumptions=Assumptions(_BCE_TEXT, (z, t), (SIGMOID, BCE)),
    steps=(
        Step(sp.Eq(sp.Derivative(L, z), sp.Derivative(BCE.rhs, z)), "definition of $L$"),
        Step(product(_OUTER, sp.Derivative(s, z)), "chain rule"),
        Step(product(_OUTER, s * (1 - s)), "sigmoid-derivative"),
        Step(-(t * (1 - s) - (1 - t) * s), r"cancel $\sigma(z)\,(1 - \sigma(z))$"),
        Step(s - t, "expand"),
    ),
    result=sp.Eq(sp.Derivative(L, z), s - t),
)

MSE_SIGMOID_GRADIENT = Derivation(
    id="mse-sigmoid-gradient",
    title="The gradient of squared error through a sigmoid",
    statement=r"Squared error keeps the sigmoid's slope as a factor: "
    r"$\frac{d}{dz}(\sigma(z) - y)^2 = 2(\sigma(z) - y)\,\sigma(z)(1 - \sigma(z))$, which "
    r"vanishes when the sigmoid saturates, even if the prediction is badly wrong.",
    assumptions=Assumptions(_TEXT + r" $y \in [0, 1]$ is the target.", (z, y), (SIGMOID,)),
    steps=(
        Step(
            sp.Eq(sp.Derivative((s - y) ** 2, z), product(2, s - y, sp.Derivative(s, z))),
            "chain rule",
        ),
        Step(product(2, s - y, s, 1 - s), "sigmoid-derivative"),
    ),
    result=sp.Eq(sp.Derivative((s - y) ** 2, z), product(2, s - y, s, 1 - s)),
)

_STABLE = terms(sp.Max(z, 0), -z * t, sp.log(1 + sp.exp(-sp.Abs(z))))

BCE_LOGITS_FORM = Derivation(
    id="bce-logits-form",
    title="Binary cross-entropy from logits, in a form that cannot overflow",
    statement=r"Written in terms of the logit, binary cross-entropy is "
    r"$\max(z, 0) - z t + \log(1 + e^{-|z|})$: every exponential is of a non-positive number, "
    r"so the form is finite for any finite $z$.",
    assumptions=Assumptions(_BCE_TEXT, (z, t), (SIGMOID, BCE)),
    steps=(
        Step(sp.Eq(L, BCE.rhs), "definition of $L$"),
        Step(-t * sp.log(s) - (1 - t) * sp.log(sigma(-z)), r"$1 - \sigma(z) = \sigma(-z)$"),
        Step(
            t * sp.log(1 + sp.exp(-z)) + (1 - t) * sp.log(1 + sp.exp(z)),
            r"$\log \sigma(x) = -\log(1 + e^{-x})$",
        ),
        Step(sp.log(1 + sp.exp(z)) - z * t, r"$\log(1 + e^{z}) - \log(1 + e^{-z}) = z$"),
        Step(_STABLE, r"$\log(1 + e^{z}) = \max(z, 0) + \log(1 + e^{-|z|})$"),
    ),
    result=sp.Eq(L, _STABLE),
)

#: The chapter whose page shows these derivations.
CHAPTER = "binary"

DERIVATIONS = (SIGMOID_DERIVATIVE, BCE_SIGMOID_GRADIENT, MSE_SIGMOID_GRADIENT, BCE_LOGITS_FORM)
