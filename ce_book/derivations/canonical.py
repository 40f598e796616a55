r"""Why the gradient is "prediction minus target": canonical links of exponential families.

For a one-parameter exponential family in its natural parameter, the negative log-likelihood
is ``A(eta) - eta y`` plus a term without ``eta``, so its derivative is ``A'(eta) - y``: the
mean predicted by the model minus the observation. The sigmoid (Bernoulli), the identity
(Gaussian) and the exponential (Poisson) are the links that make the output the mean.
The gradient of softmax regression with respect to its weights, and the cost Nielsen asks for
(the one whose gradient through a sigmoid is ``a - y``), close the chapter's exercises.
"""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Hypothesis, Step
from ce_book.derivations.notation import K, Notation, frac, i, j, k, p, product, sum_k, terms

eta = sp.Symbol("eta", real=True)
y = sp.Symbol("y", real=True)
A = sp.Function("A", real=True)
h = sp.Function("h", positive=True)
L = sp.Symbol("L")
sigma = sp.Function("sigma")

EXP_FAMILY_NLL = Definition(L, -sp.log(h(y) * sp.exp(eta * y - A(eta))))

EXPONENTIAL_FAMILY_GRADIENT = Derivation(
    id="exponential-family-gradient",
    title="The gradient of the negative log-likelihood of an exponential family",
    statement=r"If an observation $y$ has the probability (or density) "
    r"$h(y)\, e^{\eta y - A(\eta)}$ with natural parameter $\eta$, its negative log-likelihood "
    r"is [[result:0]] and its derivative is [[result:1]]. Since $A'(\eta)$ is the mean of $y$ "
    r"under the model, the gradient is the model's prediction of $y$ minus the observed $y$, "
    r"whatever the family.",
    assumptions=Assumptions(
        r"$\eta$ is the natural parameter (the model's output before any link), $y$ the "
        r"observation, $h$ a positive function of $y$ alone, $A$ the log-partition function "
        r"that makes the probabilities sum to 1, and $L$ the negative log-likelihood.",
        (eta, y),
        (EXP_FAMILY_NLL,),
    ),
    steps=(
        Step(sp.Eq(L, EXP_FAMILY_NLL.rhs), "definition of $L$"),
        Step(terms(A(eta), -eta * y, -sp.log(h(y))), "the log of a product; $\\log e^x = x$"),
        Step(
            sp.Eq(sp.Derivative(L, eta), sp.Derivative(A(eta), eta) - y),
            "differentiate: $h(y)$ does not depend on $\\eta$",
        ),
    ),
    result=(
        sp.Eq(L, terms(A(eta), -eta * y, -sp.log(h(y)))),
        sp.Eq(sp.Derivative(L, eta), sp.Derivative(A(eta), eta) - y),
    ),
)

# -- three families: Bernoulli (sigmoid), Gaussian (identity), Poisson (exp) --------------------

SIGMOID = Definition(sigma(eta), 1 / (1 + sp.exp(-eta)))
_BERNOULLI_NLL = -(y * sp.log(sigma(eta)) + (1 - y) * sp.log(1 - sigma(eta)))
_A_BERNOULLI = sp.log(1 + sp.exp(eta))

CANONICAL_PAIRS = Derivation(
    id="canonical-pairs",
    title="Sigmoid with cross-entropy and identity with squared error are canonical pairs",
    statement=r"The binary cross-entropy of $\sigma(\eta)$ is an exponential-family negative "
    r"log-likelihood, [[result:0]], whose log-partition function has the derivative "
    r"[[result:1]]; half the squared error of an identity output is one too, [[result:2]], "
    r"with [[result:3]]. In both cases the gradient is prediction minus target.",
    assumptions=Assumptions(
        r"$\eta$ is the output of the last layer (a logit for the sigmoid, the prediction "
        r"itself for the identity), $y$ the target and $\sigma$ the logistic sigmoid.",
        (eta, y),
        (SIGMOID,),
    ),
    steps=(
        Step(
            sp.Eq(_BERNOULLI_NLL, y * sp.log(1 + sp.exp(-eta)) + (1 - y) * sp.log(1 + sp.exp(eta))),
            r"definition of $\sigma$; $1 - \sigma(\eta) = 1 / (1 + e^{\eta})$",
        ),
        Step(
            terms(_A_BERNOULLI, -eta * y),
            r"$\log(1 + e^{-\eta}) = \log(1 + e^{\eta}) - \eta$",
        ),
        Step(
            sp.Eq(sp.Derivative(_A_BERNOULLI, eta), frac(sp.exp(eta), 1 + sp.exp(eta))),
            "chain rule",
        ),
        Step(sigma(eta), r"divide by $e^{\eta}$: the definition of $\sigma$"),
        Step(
            sp.Eq(frac((y - eta) ** 2, 2), terms(frac(eta**2, 2), -eta * y, frac(y**2, 2))),
            "expand the square",
        ),
        Step(sp.Eq(sp.Derivative(frac(eta**2, 2), eta), eta), "the derivative of a square"),
    ),
    result=(
        sp.Eq(_BERNOULLI_NLL, terms(_A_BERNOULLI, -eta * y)),
        sp.Eq(sp.Derivative(_A_BERNOULLI, eta), sigma(eta)),
        sp.Eq(frac((y - eta) ** 2, 2), terms(frac(eta**2, 2), -eta * y, frac(y**2, 2))),
        sp.Eq(sp.Derivative(frac(eta**2, 2), eta), eta),
    ),
)

n = sp.Symbol("n", integer=True, nonnegative=True)
L_POISSON = Notation("L")
POISSON_NLL = Definition(
    L_POISSON, -sp.log(sp.exp(eta) ** n * sp.exp(-sp.exp(eta)) / sp.factorial(n))
)

POISSON_GRADIENT = Derivation(
    id="poisson-canonical-gradient",
    title="A count with a log link: the Poisson gradient is prediction minus target too",
    statement=r"A count $n$ modelled as Poisson with rate $e^{\eta}$ has the negative "
    r"log-likelihood [[result:0]] and the gradient [[result:1]]: the predicted mean count "
    r"$e^{\eta}$ minus the observed count.",
    assumptions=Assumptions(
        r"$\eta$ is the model's output, $n$ an observed count, $e^{\eta}$ the Poisson rate and "
        r"$L$ the negative log-likelihood of $n$.",
        (eta, n),
        (POISSON_NLL,),
    ),
    steps=(
        Step(sp.Eq(L_POISSON, POISSON_NLL.rhs), "definition of $L$"),
        Step(
            terms(sp.exp(eta), -eta * n, sp.log(sp.factorial(n))),
            "the log of a product and of a quotient",
        ),
        Step(
            sp.Eq(sp.Derivative(L_POISSON, eta), sp.exp(eta) - n),
            r"differentiate: $\log n!$ does not depend on $\eta$",
        ),
    ),
    result=(
        sp.Eq(L_POISSON, terms(sp.exp(eta), -eta * n, sp.log(sp.factorial(n)))),
        sp.Eq(sp.Derivative(L_POISSON, eta), sp.exp(eta) - n),
    ),
)

# -- the gradient of softmax regression with respect to its weights ----------------------------

D = sp.Symbol("D", integer=True, positive=True)
a, b = sp.symbols("a b", integer=True, positive=True)
label = sp.Symbol("y", integer=True, positive=True)
x = sp.IndexedBase("x", real=True)
W = sp.IndexedBase("W", real=True)
c = sp.IndexedBase("c", real=True)
L_REG = sp.Symbol("L")


def _logit(row: sp.Basic) -> sp.Basic:
    """The logit of class ``row``: :math:`\\sum_a W_{row, a} x_a + c_{row}`."""
    return sp.Sum(W[row, a] * x[a], (a, 1, D)) + c[row]


_Z_SUM = sum_k(sp.exp(_logit(k)))
REGRESSION_SOFTMAX = Definition(p[i], sp.exp(_logit(i)) / _Z_SUM)
REGRESSION_CE = Definition(L_REG, sp.log(_Z_SUM) - _logit(label))
_DELTA = sp.KroneckerDelta(j, label)
_DL_W = sp.Derivative(L_REG, W[j, b])
_DL_C = sp.Derivative(L_REG, c[j])

SOFTMAX_REGRESSION_GRADIENT = Derivation(
    id="softmax-regression-gradient",
    title="The gradient of softmax regression with respect to its weights and biases",
    statement=r"For one example with features $x$, weights $W$ and biases $c$, the "
    r"cross-entropy has the gradients [[result:0]] and [[result:1]]. In matrix form the weight "
    r"gradient is the outer product $(p - t)\, x^\top$ of the error $p - t$ (with $t$ the "
    r"one-hot target) and the input: each weight moves in proportion to its class's error and "
    r"to its input.",
    assumptions=Assumptions(
        r"One example with $D$ features $x_a$ and true class $y$; $K$ classes, each with a row "
        r"of weights $W_{ka}$ and a bias $c_k$; the logit of class $k$ is "
        r"$\sum_a W_{ka} x_a + c_k$, $p$ is the softmax of the logits and $L$ the cross-entropy, "
        r"the log-sum-exp of the logits minus the true logit; $\delta_{jy}$ is the Kronecker "
        r"delta.",
        (K, D, i, j, k, a, b, label, x, W, c, p),
        (REGRESSION_SOFTMAX, REGRESSION_CE),
        ((i, K), (j, K), (label, K), (b, D)),
        ((K, (2, 3)), (D, (1, 2))),
    ),
    steps=(
        Step(
            sp.Eq(_DL_W, frac(sp.exp(_logit(j)) * x[b], _Z_SUM) - _DELTA * x[b]),
            "definition of $L$; only the logit of class $j$ depends on row $j$ of $W$",
        ),
        Step(product(p[j] - _DELTA, x[b]), "definition of the softmax; factor out $x_b$"),
        Step(
            sp.Eq(_DL_C, frac(sp.exp(_logit(j)), _Z_SUM) - _DELTA),
            "the same for the bias, whose logit has the slope 1",
        ),
        Step(p[j] - _DELTA, "definition of the softmax"),
    ),
    result=(
        sp.Eq(_DL_W, product(p[j] - _DELTA, x[b])),
        sp.Eq(_DL_C, p[j] - _DELTA),
    ),
)

# -- Nielsen's question: which cost has dC/dz = a - y through a sigmoid? ----------------------

av = sp.Symbol("a", positive=True)
C = sp.Function("C")
_ASKED = Hypothesis(
    "H1",
    sp.Eq(sp.Derivative(C(av), av), frac(av - y, product(av, 1 - av))),
    r"the gradient Nielsen asks for, $a - y$, divided by the sigmoid's slope $a(1 - a)$",
)
_BELOW_ONE = Hypothesis("H2", sp.Lt(av, 1), "the output is below 1")
_CE_OF_A = -(y * sp.log(av) + (1 - y) * sp.log(1 - av))

NIELSEN_COST = Derivation(
    id="nielsen-cost-from-gradient",
    title="The cost whose gradient through a sigmoid is the error is the cross-entropy",
    statement=r"If a cost $C$ of the output $a$ of a sigmoid neuron is to have the gradient "
    r"$a - y$ with respect to the neuron's logit, the chain rule asks for (H1), the gradient "
    r"divided by the sigmoid's slope, and then [[result]]: $C$ and the binary cross-entropy "
    r"have the same derivative on $(0, 1)$, so they differ by a constant.",
    assumptions=Assumptions(
        r"$a$ is the output of a sigmoid neuron, strictly between 0 and 1; $y$ is the target; "
        r"$C$ is a cost to be found.",
        (av, y),
        (),
        hypotheses=(_ASKED, _BELOW_ONE),
    ),
    steps=(
        Step(
            sp.Eq(sp.Derivative(C(av), av), frac(av - y, product(av, 1 - av))),
            "what the chain rule asks for",
            (_ASKED,),
        ),
        Step(terms(-frac(y, av), frac(1 - y, 1 - av)), "partial fractions", (_BELOW_ONE,)),
        Step(sp.Derivative(_CE_OF_A, av), r"the derivative of $\log$", (_BELOW_ONE,)),
    ),
    result=sp.Eq(sp.Derivative(C(av), av), sp.Derivative(_CE_OF_A, av)),
)

#: The chapter whose page shows these derivations.
CHAPTER = "gradients"

DERIVATIONS = (
    EXPONENTIAL_FAMILY_GRADIENT,
    CANONICAL_PAIRS,
    POISSON_GRADIENT,
    SOFTMAX_REGRESSION_GRADIENT,
    NIELSEN_COST,
)
