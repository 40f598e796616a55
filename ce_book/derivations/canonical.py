r"""Why the gradient is "prediction minus target": canonical links of exponential families.

For a one-parameter exponential family in its natural parameter, the negative log-likelihood
is ``A(z) - z y`` plus a term without ``z``, so its derivative is ``A'(z) - y``: the
mean predicted by the model minus the observation. The sigmoid (Bernoulli), the identity
(Gaussian) and the exponential (Poisson) are the links that make the output the mean.
The gradient of softmax regression with respect to its weights, and the cost Nielsen asks for
(the one whose gradient through a sigmoid is ``a - y``), close the chapter's exercises.
"""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Hypothesis, Step
from ce_book.derivations.notation import K, Notation, frac, i, j, k, p, product, sum_k, terms

z = sp.Symbol("z", real=True)
y = sp.Symbol("y", real=True)
A = sp.Function("A", real=True)
h = sp.Function("h", positive=True)
L = sp.Symbol("L")
sigma = sp.Function("sigma")

EXP_FAMILY_NLL = Definition(L, -sp.log(h(y) * sp.exp(z * y - A(z))))

EXPONENTIAL_FAMILY_GRADIENT = Derivation(
    id="exponential-family-gradient",
    title="The gradient of the negative log-likelihood of an exponential family",
    statement=r"If an observation $y$ has the probability (or density) "
    r"$h(y)\, e^{z y - A(z)}$ with natural parameter $z$, its negative log-likelihood "
    r"is [[result:0]] and its derivative is [[result:1]]. Since $A'(z)$ is the mean of $y$ "
    r"under the model, the gradient is the model's prediction of $y$ minus the observed $y$, "
    r"whatever the family.",
    assumptions=Assumptions(
        r"$z$ is the natural parameter (the model's output before any link), $y$ the "
        r"observation, $h$ a positive function of $y$ alone, $A$ the log-partition function "
        r"that makes the probabilities sum to 1, and $L$ the negative log-likelihood.",
        (z, y),
        (EXP_FAMILY_NLL,),
    ),
    steps=(
        Step(sp.Eq(L, EXP_FAMILY_NLL.rhs), "definition of $L$"),
        Step(terms(A(z), -z * y, -sp.log(h(y))), "the log of a product; $\\log e^x = x$"),
        Step(
            sp.Eq(sp.Derivative(L, z), sp.Derivative(A(z), z) - y),
            "differentiate: $h(y)$ does not depend on $z$",
        ),
    ),
    result=(
        sp.Eq(L, terms(A(z), -z * y, -sp.log(h(y)))),
        sp.Eq(sp.Derivative(L, z), sp.Derivative(A(z), z) - y),
    ),
)

# -- three families: Bernoulli (sigmoid), Gaussian (identity), Poisson (exp) --------------------

SIGMOID = Definition(sigma(z), 1 / (1 + sp.exp(-z)))
_BERNOULLI_NLL = -(y * sp.log(sigma(z)) + (1 - y) * sp.log(1 - sigma(z)))
_A_BERNOULLI = sp.log(1 + sp.exp(z))

CANONICAL_PAIRS = Derivation(
    id="canonical-pairs",
    title="Sigmoid with cross-entropy and identity with squared error are canonical pairs",
    statement=r"The binary cross-entropy of $\sigma(z)$ is an exponential-family negative "
    r"log-likelihood, [[result:0]], whose log-partition function has the derivative "
    r"[[result:1]]; half the squared error of an identity output is one too, [[result:2]], "
    r"with [[result:3]]. In both cases the gradient is prediction minus target.",
    assumptions=Assumptions(
        r"$z$ is the output of the last layer (a logit for the sigmoid, the prediction "
        r"itself for the identity), $y$ the target and $\sigma$ the logistic sigmoid.",
        (z, y),
        (SIGMOID,),
    ),
    steps=(
        Step(
            sp.Eq(_BERNOULLI_NLL, y * sp.log(1 + sp.exp(-z)) + (1 - y) * sp.log(1 + sp.exp(z))),
            r"definition of $\sigma$; $1 - \sigma(z) = 1 / (1 + e^{z})$",
        ),
        Step(
            terms(_A_BERNOULLI, -z * y),
            r"$\log(1 + e^{-z}) = \log(1 + e^{z}) - z$",
        ),
        Step(
            sp.Eq(sp.Derivative(_A_BERNOULLI, z), frac(sp.exp(z), 1 + sp.exp(z))),
            "chain rule",
        ),
        Step(sigma(z), r"divide by $e^{z}$: the definition of $\sigma$"),
        Step(
            sp.Eq(frac((y - z) ** 2, 2), terms(frac(z**2, 2), -z * y, frac(y**2, 2))),
            "expand the square",
        ),
        Step(sp.Eq(sp.Derivative(frac(z**2, 2), z), z), "the derivative of a square"),
    ),
    result=(
        sp.Eq(_BERNOULLI_NLL, terms(_A_BERNOULLI, -z * y)),
        sp.Eq(sp.Derivative(_A_BERNOULLI, z), sigma(z)),
        sp.Eq(frac((y - z) ** 2, 2), terms(frac(z**2, 2), -z * y, frac(y**2, 2))),
        sp.Eq(sp.Derivative(frac(z**2, 2), z), z),
    ),
)

n = sp.Symbol("n", integer=True, nonnegative=True)
L_POISSON = Notation("L")
POISSON_NLL = Definition(L_POISSON, -sp.log(sp.exp(z) ** n * sp.exp(-sp.exp(z)) / sp.factorial(n)))

POISSON_GRADIENT = Derivation(
    id="poisson-canonical-gradient",
    title="A count with a log link: the Poisson gradient is prediction minus target too",
    statement=r"A count $n$ modelled as Poisson with rate $e^{z}$ has the negative "
    r"log-likelihood [[result:0]] and the gradient [[result:1]]: the predicted mean count "
    r"$e^{z}$ minus the observed count.",
    assumptions=Assumptions(
        r"$z$ is the model's output, $n$ an observed count, $e^{z}$ the Poisson rate and "
        r"$L$ the negative log-likelihood of $n$.",
        (z, n),
        (POISSON_NLL,),
    ),
    steps=(
        Step(sp.Eq(L_POISSON, POISSON_NLL.rhs), "definition of $L$"),
        Step(
            terms(sp.exp(z), -z * n, sp.log(sp.factorial(n))),
            "the log of a product and of a quotient",
        ),
        Step(
            sp.Eq(sp.Derivative(L_POISSON, z), sp.exp(z) - n),
            r"differentiate: $\log n!$ does not depend on $z$",
        ),
    ),
    result=(
        sp.Eq(L_POISSON, terms(sp.exp(z), -z * n, sp.log(sp.factorial(n)))),
        sp.Eq(sp.Derivative(L_POISSON, z), sp.exp(z) - n),
    ),
)

# -- the gradient of softmax regression with respect to its weights ----------------------------

D = sp.Symbol("D", integer=True, positive=True)
a, m = sp.symbols("a m", integer=True, positive=True)
label = sp.Symbol("y", integer=True, positive=True)
x = sp.IndexedBase("x", real=True)
W = sp.IndexedBase("W", real=True)
bias = sp.IndexedBase("b", real=True)
L_REG = sp.Symbol("L")


def _logit(cls: sp.Basic) -> sp.Basic:
    """The logit of class ``cls``: :math:`\\sum_a W_{a, cls} x_a + b_{cls}`, column ``cls``
    of :math:`W^\\top x + b`."""
    return sp.Sum(W[a, cls] * x[a], (a, 1, D)) + bias[cls]


_Z_SUM = sum_k(sp.exp(_logit(k)))
REGRESSION_SOFTMAX = Definition(p[i], sp.exp(_logit(i)) / _Z_SUM)
REGRESSION_CE = Definition(L_REG, sp.log(_Z_SUM) - _logit(label))
_DELTA = sp.KroneckerDelta(j, label)
_DL_W = sp.Derivative(L_REG, W[m, j])
_DL_B = sp.Derivative(L_REG, bias[j])

SOFTMAX_REGRESSION_GRADIENT = Derivation(
    id="softmax-regression-gradient",
    title="The gradient of softmax regression with respect to its weights and biases",
    statement=r"For one example with features $x$, weights $W$ and biases $b$, the "
    r"cross-entropy has the gradients [[result:0]] and [[result:1]]. In matrix form the weight "
    r"gradient is the outer product $x\, (p - t)^\top$ of the input and the error $p - t$ "
    r"(with $t$ the one-hot target): each weight moves in proportion to its input and to its "
    r"class's error.",
    assumptions=Assumptions(
        r"One example with $D$ features $x_a$ and true class $y$; $K$ classes; $W_{ak}$ is the "
        r"weight from feature $a$ to class $k$ and $b_k$ the bias of class $k$, so the logits "
        r"are $W^\top x + b$; $p$ is their softmax and $L$ the cross-entropy, the log-sum-exp of "
        r"the logits minus the true logit; $\delta_{jy}$ is the Kronecker delta.",
        (K, D, i, j, k, a, m, label, x, W, bias, p),
        (REGRESSION_SOFTMAX, REGRESSION_CE),
        ((i, K), (j, K), (label, K), (m, D)),
        ((K, (2, 3)), (D, (1, 2))),
    ),
    steps=(
        Step(
            sp.Eq(_DL_W, frac(sp.exp(_logit(j)) * x[m], _Z_SUM) - _DELTA * x[m]),
            "definition of $L$; only the logit of class $j$ depends on column $j$ of $W$",
        ),
        Step(product(x[m], p[j] - _DELTA), "definition of the softmax; factor out $x_m$"),
        Step(
            sp.Eq(_DL_B, frac(sp.exp(_logit(j)), _Z_SUM) - _DELTA),
            "the same for the bias, whose logit has the slope 1",
        ),
        Step(p[j] - _DELTA, "definition of the softmax"),
    ),
    result=(
        sp.Eq(_DL_W, product(x[m], p[j] - _DELTA)),
        sp.Eq(_DL_B, p[j] - _DELTA),
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
