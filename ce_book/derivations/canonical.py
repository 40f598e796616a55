r"""Why the gradient is "prediction minus target": canonical links of exponential families.

For a one-parameter exponential family in its natural parameter, the negative log-likelihood
is ``A(z) - z t`` plus a term without ``z``, so its derivative is ``A'(z) - t``: the
mean predicted by the model minus the observation. The sigmoid (Bernoulli), the identity
(Gaussian) and the exponential (Poisson) are the links that make the output the mean.
The gradient of softmax regression with respect to its weights, and the cost Nielsen asks for
(the one whose gradient through a sigmoid is ``p - t``), close the chapter's exercises.
"""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Eq, Hypothesis, Lt, Step
from ce_book.derivations.notation import (
    SIZES,
    SOFTMAX,
    SOFTMAX_SUM,
    K,
    Notation,
    frac,
    j,
    k,
    p,
    product,
    sum_k,
    terms,
)
from ce_book.derivations.notation import t as tv
from ce_book.derivations.notation import z as zv

z = sp.Symbol("z", real=True)
t = sp.Symbol("t", real=True)
A = sp.Function("A", real=True)
h = sp.Function("h", positive=True)
L = sp.Symbol("L")
sigma = sp.Function("sigma")

EXP_FAMILY_NLL = Definition(L, -sp.log(h(t) * sp.exp(z * t - A(z))))

EXPONENTIAL_FAMILY_GRADIENT = Derivation(
    id="exponential-family-gradient",
    title="The gradient of the negative log-likelihood of an exponential family",
    statement=r"If a target $t$ has the probability (or density) "
    r"$h(t)\, e^{z t - A(z)}$ with natural parameter $z$, its negative log-likelihood "
    r"is [[result:0]] and its derivative is [[result:1]]. Since $A'(z)$ is the mean of $t$ "
    r"under the model, the gradient is the model's prediction of $t$ minus the observed $t$, "
    r"whatever the family.",
    assumptions=Assumptions(
        r"$z$ is the natural parameter (the output of the last layer, before the output "
        r"activation), in the family's natural-parameter space (where $A$ is finite), $t$ "
        r"the observed target, $h$ a function of $t$ alone, positive on the family's support, "
        r"$A$ the log-partition function that makes the probabilities sum to 1, and $L$ the "
        r"negative log-likelihood.",
        (z, t),
        (EXP_FAMILY_NLL,),
    ),
    steps=(
        Step(Eq(L, EXP_FAMILY_NLL.rhs), "definition of $L$"),
        Step(terms(A(z), -z * t, -sp.log(h(t))), "the log of a product; $\\log e^x = x$"),
        Step(
            Eq(sp.Derivative(L, z), sp.Derivative(A(z), z) - t),
            "differentiate: $h(t)$ does not depend on $z$",
        ),
    ),
    result=(
        Eq(L, terms(A(z), -z * t, -sp.log(h(t)))),
        Eq(sp.Derivative(L, z), sp.Derivative(A(z), z) - t),
    ),
)

# -- why A'(z) is the mean: differentiate the log-partition function ---------------------------

_INTEGRAL = lambda f: sp.Integral(f, (t, -sp.oo, sp.oo))  # noqa: E731
LOG_PARTITION_1D = Definition(A(z), sp.log(_INTEGRAL(h(t) * sp.exp(z * t))))
MEAN_T = Notation(r"\operatorname{E}_z[t]")
MODEL_MEAN = Definition(MEAN_T, _INTEGRAL(t * h(t) * sp.exp(z * t - A(z))))

EXPONENTIAL_FAMILY_MEAN = Derivation(
    id="exponential-family-mean",
    title="The derivative of the log-partition function is the model's mean",
    statement=r"The log-partition function makes the density $h(t)\, e^{z t - A(z)}$ "
    r"integrate to 1, so it is the log of the integral of $h(t)\, e^{z t}$ (for a discrete "
    r"$t$, such as a coin, a count or a class, read the integral as a sum). Its derivative is "
    r"the mean of $t$ under the model: [[result]].",
    assumptions=Assumptions(
        r"$z$ is the natural parameter, inside the family's natural-parameter space, $h$ a "
        r"function of the target value $t$, positive on the family's support, and "
        r"$A$ the log-partition function; $\operatorname{E}_z[t]$ is the mean of $t$ under "
        r"the density $h(t)\, e^{z t - A(z)}$. The derivative may pass under the integral sign "
        r"(or the sum): this holds at every $z$ in the interior of the natural-parameter "
        r"space. For a target with discrete values (a coin, a count, a class) the integral "
        r"is a sum and the steps are the same.",
        (z, t),
        (LOG_PARTITION_1D, MODEL_MEAN),
    ),
    steps=(
        Step(
            Eq(
                sp.Derivative(A(z), z),
                sp.Derivative(sp.log(_INTEGRAL(h(t) * sp.exp(z * t))), z),
            ),
            "definition of $A$",
        ),
        Step(
            _INTEGRAL(t * h(t) * sp.exp(z * t)) / _INTEGRAL(h(t) * sp.exp(z * t)),
            "chain rule; differentiate under the integral sign",
        ),
        Step(
            _INTEGRAL(t * h(t) * sp.exp(z * t - A(z))),
            r"definition of $A$: $e^{-A(z)}$ is one over the integral",
        ),
        Step(MEAN_T, "definition of the mean"),
    ),
    result=Eq(sp.Derivative(A(z), z), MEAN_T),
)

# -- three families: Bernoulli (sigmoid), Gaussian (identity), Poisson (exp) --------------------

SIGMOID = Definition(sigma(z), 1 / (1 + sp.exp(-z)))
_BERNOULLI_NLL = -(t * sp.log(sigma(z)) + (1 - t) * sp.log(1 - sigma(z)))
_A_BERNOULLI = sp.log(1 + sp.exp(z))

CANONICAL_PAIRS = Derivation(
    id="canonical-pairs",
    title="Sigmoid with cross-entropy and identity with squared error are canonical pairs",
    statement=r"The binary cross-entropy of $\sigma(z)$ is an exponential-family negative "
    r"log-likelihood, [[result:0]], whose log-partition function has the derivative "
    r"[[result:1]]. Half the squared error of an identity output has the same form, "
    r"[[result:2]], with [[result:3]]: it is the negative log-likelihood of a Gaussian of unit "
    r"variance up to an additive constant that does not depend on $z$, since that density's "
    r"$-\log h(t)$ is $t^2/2$ plus $\tfrac12 \log 2\pi$. In both cases the gradient is "
    r"prediction minus target.",
    assumptions=Assumptions(
        r"$z$ is the output of the last layer (a logit for the sigmoid, the prediction "
        r"itself for the identity), $t$ the target and $\sigma$ the logistic sigmoid.",
        (z, t),
        (SIGMOID,),
    ),
    steps=(
        Step(
            Eq(_BERNOULLI_NLL, t * sp.log(1 + sp.exp(-z)) + (1 - t) * sp.log(1 + sp.exp(z))),
            r"definition of $\sigma$; $1 - \sigma(z) = 1 / (1 + e^{z})$",
        ),
        Step(
            terms(_A_BERNOULLI, -z * t),
            r"$\log(1 + e^{-z}) = \log(1 + e^{z}) - z$",
        ),
        Step(
            Eq(sp.Derivative(_A_BERNOULLI, z), frac(sp.exp(z), 1 + sp.exp(z))),
            "chain rule",
        ),
        Step(sigma(z), r"divide by $e^{z}$: the definition of $\sigma$"),
        Step(
            Eq(frac((t - z) ** 2, 2), terms(frac(z**2, 2), -z * t, frac(t**2, 2))),
            "expand the square",
        ),
        Step(Eq(sp.Derivative(frac(z**2, 2), z), z), "the derivative of a square"),
    ),
    result=(
        Eq(_BERNOULLI_NLL, terms(_A_BERNOULLI, -z * t)),
        Eq(sp.Derivative(_A_BERNOULLI, z), sigma(z)),
        Eq(frac((t - z) ** 2, 2), terms(frac(z**2, 2), -z * t, frac(t**2, 2))),
        Eq(sp.Derivative(frac(z**2, 2), z), z),
    ),
)

# -- the categorical distribution: the same family, with a vector of natural parameters -------

A_LSE = Notation("A(z)")
LOG_PARTITION = Definition(A_LSE, sp.log(SOFTMAX_SUM))
label_c = sp.Symbol("y", integer=True, positive=True)
ONE_HOT = Definition(tv[k], sp.KroneckerDelta(k, label_c))
L_CAT = Notation("L")
_DOT = sum_k(zv[k] * tv[k])
CATEGORICAL_NLL = Definition(L_CAT, -sp.log(p[label_c]))

CATEGORICAL_FAMILY = Derivation(
    id="categorical-exponential-family",
    title="The categorical distribution is an exponential family with the softmax as its mean",
    statement=r"With the one-hot target $t$ of class $y$, the softmax probability of the "
    r"true class has the exponential-family form [[result:0]]: $h(t)$ is 1, the natural "
    r"parameters are the logits and the log-partition function $A(z)$ is their log-sum-exp. "
    r"Its partial derivatives are the probabilities, [[result:1]], and the gradient of the "
    r"negative log-likelihood is again the model's mean of $t$ minus $t$: [[result:2]]. "
    r"This is the derivation for a single natural parameter, with the gradient in place of "
    r"the derivative.",
    assumptions=Assumptions(
        r"$K$ classes with real logits $z_1, \dots, z_K$ and their softmax $p$; $y$ is the true "
        r"class and $t$ its one-hot target; $A(z)$ is the log-sum-exp of the logits and $L$ "
        r"the negative log-likelihood of the true class, $-\log p_y$; $\delta_{ky}$ is the "
        r"Kronecker delta.",
        (K, j, k, label_c, zv, p, tv),
        (SOFTMAX, LOG_PARTITION, ONE_HOT, CATEGORICAL_NLL),
        ((j, K), (label_c, K)),
        SIZES,
    ),
    steps=(
        Step(
            Eq(p[label_c], sp.exp(zv[label_c] - A_LSE)),
            "definition of the softmax and of $A(z)$",
        ),
        Step(sp.exp(_DOT - A_LSE), "the target is one-hot at $y$: the sum picks $z_y$"),
        Step(
            Eq(sp.Derivative(A_LSE, zv[j]), frac(sp.exp(zv[j]), SOFTMAX_SUM)),
            "definition of $A(z)$; chain rule",
        ),
        Step(p[j], "definition of the softmax"),
        Step(
            Eq(sp.Derivative(L_CAT, zv[j]), sp.Derivative(terms(A_LSE, -_DOT), zv[j])),
            "definition of $L$; line 2; $\\log e^x = x$",
        ),
        Step(
            sp.Derivative(A_LSE, zv[j]) - tv[j],
            "only the term $k = j$ of the sum depends on $z_j$",
        ),
        Step(p[j] - tv[j], "line 4"),
    ),
    result=(
        Eq(p[label_c], sp.exp(_DOT - A_LSE)),
        Eq(sp.Derivative(A_LSE, zv[j]), p[j]),
        Eq(sp.Derivative(L_CAT, zv[j]), p[j] - tv[j]),
    ),
)

c = sp.Symbol("t", integer=True, nonnegative=True)  # the observed count, the target
L_POISSON = Notation("L")
POISSON_NLL = Definition(L_POISSON, -sp.log(sp.exp(z) ** c * sp.exp(-sp.exp(z)) / sp.factorial(c)))

POISSON_GRADIENT = Derivation(
    id="poisson-canonical-gradient",
    title="A count with a log link: the Poisson gradient is prediction minus target too",
    statement=r"A count $t$ modelled as Poisson with rate $e^{z}$ (the canonical link is the "
    r"log, so the output activation is the exponential) has the negative log-likelihood"
    r" [[result:0]] and the gradient [[result:1]]: the predicted mean count "
    r"$e^{z}$ minus the observed count.",
    assumptions=Assumptions(
        r"$z$ is the model's output, $t$ the observed count (the target), $e^{z}$ the "
        r"Poisson rate and $L$ the negative log-likelihood of $t$.",
        (z, c),
        (POISSON_NLL,),
    ),
    steps=(
        Step(Eq(L_POISSON, POISSON_NLL.rhs), "definition of $L$"),
        Step(
            terms(sp.exp(z), -z * c, sp.log(sp.factorial(c))),
            "the log of a product and of a quotient",
        ),
        Step(
            Eq(sp.Derivative(L_POISSON, z), sp.exp(z) - c),
            r"differentiate: $\log t!$ does not depend on $z$",
        ),
    ),
    result=(
        Eq(L_POISSON, terms(sp.exp(z), -z * c, sp.log(sp.factorial(c)))),
        Eq(sp.Derivative(L_POISSON, z), sp.exp(z) - c),
    ),
)

# -- the gradient of softmax regression with respect to its weights ----------------------------

D = sp.Symbol("d", integer=True, positive=True)
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
REGRESSION_SOFTMAX = Definition(p[j], sp.exp(_logit(j)) / _Z_SUM)
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
        r"One example with $d$ features $x_a$ and true class $y$; $K$ classes; $W_{ak}$ is the "
        r"weight from feature $a$ to class $k$ and $b_k$ the bias of class $k$, so the logits "
        r"are $W^\top x + b$; $p$ is their softmax and $L$ the cross-entropy, the log-sum-exp of "
        r"the logits minus the true logit; $\delta_{jy}$ is the Kronecker delta.",
        (K, D, j, k, a, m, label, x, W, bias, p),
        (REGRESSION_SOFTMAX, REGRESSION_CE),
        ((j, K), (label, K), (m, D)),
        ((K, (2, 3)), (D, (1, 2))),
    ),
    steps=(
        Step(
            Eq(_DL_W, frac(sp.exp(_logit(j)) * x[m], _Z_SUM) - _DELTA * x[m]),
            "definition of $L$; only the logit of class $j$ depends on column $j$ of $W$",
        ),
        Step(product(x[m], p[j] - _DELTA), "definition of the softmax; factor out $x_m$"),
        Step(
            Eq(_DL_B, frac(sp.exp(_logit(j)), _Z_SUM) - _DELTA),
            "the same for the bias, whose logit has the slope 1",
        ),
        Step(p[j] - _DELTA, "definition of the softmax"),
    ),
    result=(
        Eq(_DL_W, product(x[m], p[j] - _DELTA)),
        Eq(_DL_B, p[j] - _DELTA),
    ),
)

# -- the gradient with respect to the features: pulled to w_y, pushed from the mean ------------

# Only feature m matters for the derivative: the rest of each logit is one symbol c_j, which
# keeps the sums flat (one sum over the classes, none over the features).
rest = sp.IndexedBase("c", real=True)


def _feature_logit(cls: sp.Basic) -> sp.Basic:
    """The logit of class ``cls`` seen from feature ``m``: :math:`W_{m, cls} x_m + c_{cls}`."""
    return W[m, cls] * x[m] + rest[cls]


_FEATURE_Z = sum_k(sp.exp(_feature_logit(k)))
FEATURE_SOFTMAX = Definition(p[j], sp.exp(_feature_logit(j)) / _FEATURE_Z)
FEATURE_CE = Definition(L_REG, sp.log(_FEATURE_Z) - _feature_logit(label))
_DL_X = sp.Derivative(L_REG, x[m])
_MEAN_W = sp.Sum(p[j] * W[m, j], (j, 1, K))
_PULL_PUSH = sp.Sum(W[m, j] * (p[j] - sp.KroneckerDelta(j, label)), (j, 1, K))

SOFTMAX_FEATURE_GRADIENT = Derivation(
    id="softmax-feature-gradient",
    title="The gradient of softmax cross-entropy with respect to the features",
    statement=r"For one example whose logits are $W^\top x + b$, the gradient of the "
    r"cross-entropy with respect to feature $x_m$ is [[result:0]]: the probability-weighted "
    r"mean of the class weights on that feature minus the true class's weight. Written with the "
    r"error $p - t$ (with $t$ the one-hot target) it is [[result:1]], component $m$ of "
    r"$W(p - t)$.",
    assumptions=Assumptions(
        r"One example with features $x_a$ (the input of the last layer, computed by the layers "
        r"below) and true class $y$; $K$ classes; $W_{ak}$ is the weight from feature $a$ to "
        r"class $k$, so the logits are $W^\top x + b$. Seen from one feature $x_m$, the logit of "
        r"class $j$ is $W_{mj} x_m$ plus a rest $c_j$ (the bias and the other features' terms) "
        r"that does not depend on $x_m$; $p$ is the softmax of the logits and $L$ the "
        r"cross-entropy, the log-sum-exp of the logits minus the true logit; $\delta_{jy}$ is "
        r"the Kronecker delta.",
        (K, j, k, m, label, x, W, rest, p),
        (FEATURE_SOFTMAX, FEATURE_CE),
        ((label, K), (j, K)),
        SIZES,
    ),
    steps=(
        Step(
            Eq(_DL_X, frac(sum_k(sp.exp(_feature_logit(k)) * W[m, k]), _FEATURE_Z) - W[m, label]),
            "definition of $L$; chain rule: the logit of class $k$ has the slope $W_{mk}$ in $x_m$",
        ),
        Step(
            sp.Sum(frac(sp.exp(_feature_logit(j)), _FEATURE_Z) * W[m, j], (j, 1, K)) - W[m, label],
            "the denominator does not depend on the class; rename $k$ to $j$",
        ),
        Step(_MEAN_W - W[m, label], "definition of the softmax"),
        Step(
            _PULL_PUSH,
            r"write $W_{my}$ as the sum of $W_{mj}\,\delta_{jy}$ over $j$; factor out $W_{mj}$",
        ),
    ),
    result=(
        Eq(_DL_X, _MEAN_W - W[m, label]),
        Eq(_DL_X, _PULL_PUSH),
    ),
)

# -- a batch with a bias: mean prediction minus frequency is the bias gradient over N ---------

N = sp.Symbol("N", integer=True, positive=True)
n = sp.Symbol("n", integer=True, positive=True)


def _sum_n(expr: sp.Basic) -> sp.Sum:
    """``sum_{n=1}^{N} expr``, over the examples of the batch."""
    return sp.Sum(expr, (n, 1, N))


def _batch_logit(cls: sp.Basic) -> sp.Basic:
    """Logit of class ``cls`` for example ``n``, seen from the biases: ``b_cls + c_{n, cls}``."""
    return bias[cls] + rest[n, cls]


_BATCH_Z = sum_k(sp.exp(_batch_logit(k)))
BATCH_SOFTMAX = Definition(p[n, j], sp.exp(_batch_logit(j)) / _BATCH_Z)
BATCH_CE = Definition(L_REG, _sum_n(terms(sp.log(_BATCH_Z), -sum_k(tv[n, k] * _batch_logit(k)))))
_DL_BIAS = sp.Derivative(L_REG, bias[j])
_BIAS_GRAD = _sum_n(p[n, j] - tv[n, j])
_MEAN_P = product(frac(1, N), _sum_n(p[n, j]))
_MEAN_T = product(frac(1, N), _sum_n(tv[n, j]))

SOFTMAX_BIAS_MOMENT_MATCHING = Derivation(
    id="softmax-bias-moment-matching",
    title="With a bias, the mean prediction misses the class frequency by the bias gradient",
    statement=r"For a batch of $N$ examples, the gradient of the summed cross-entropy with "
    r"respect to the bias of class $j$ is its error summed over the examples, [[result:0]]. "
    r"Divided by $N$, it is how far the mean predicted probability of class $j$ is from the "
    r"mean target: "
    r"[[result:1]]. At a stationary point the gradient is zero, so every class's mean "
    r"predicted probability equals its mean target, its frequency in the batch for one-hot "
    r"targets.",
    assumptions=Assumptions(
        r"A batch of $N$ examples and $K$ classes; $t_{nk}$ is the target of example $n$ for "
        r"class $k$ (one-hot or soft), and each example's targets sum to 1; $b_k$ is the bias "
        r"of class $k$, and $c_{nk}$ the rest of the logit of class $k$ for example $n$ (the "
        r"weights times the features, or anything else that does not depend on the biases); "
        r"$p_{nk}$ is the softmax of example $n$'s logits; $L$ is the summed cross-entropy, "
        r"written as in chapter 3 as the log-sum-exp of the logits minus the target-weighted "
        r"logits, which is its value when the targets sum to 1.",
        (N, K, n, j, k, p, tv, bias, rest),
        (BATCH_SOFTMAX, BATCH_CE),
        ((j, K),),
        ((N, (1, 2)), (K, (2, 3))),
    ),
    steps=(
        Step(
            Eq(
                _DL_BIAS,
                _sum_n(
                    terms(
                        frac(sp.exp(_batch_logit(j)), _BATCH_Z),
                        -sum_k(tv[n, k] * sp.KroneckerDelta(k, j)),
                    )
                ),
            ),
            "definition of $L$; only the logits of class $j$ contain $b_j$, with slope 1",
        ),
        Step(_BIAS_GRAD, "definition of the softmax; the delta picks $k = j$"),
        Step(
            Eq(terms(_MEAN_P, -_MEAN_T), product(frac(1, N), _BIAS_GRAD)),
            "both means have the factor $1/N$; the difference of two sums is one sum",
        ),
        Step(product(frac(1, N), _DL_BIAS), "line 2"),
    ),
    result=(
        Eq(_DL_BIAS, _BIAS_GRAD),
        Eq(terms(_MEAN_P, -_MEAN_T), product(frac(1, N), _DL_BIAS)),
    ),
)

# -- Nielsen's question: which cost has dC/dz = p - t through a sigmoid? ----------------------

pv = sp.Symbol("p", positive=True)
C = sp.Function("C")
_ASKED = Hypothesis(
    "H1",
    Eq(sp.Derivative(C(pv), pv), frac(pv - t, product(pv, 1 - pv))),
    r"the gradient Nielsen asks for, $p - t$, divided by the sigmoid's slope $p(1 - p)$",
)
_BELOW_ONE = Hypothesis("H2", Lt(pv, 1), "the output is below 1")
_CE_OF_P = -(t * sp.log(pv) + (1 - t) * sp.log(1 - pv))

NIELSEN_COST = Derivation(
    id="nielsen-cost-from-gradient",
    title="The cost whose gradient through a sigmoid is the error is the cross-entropy",
    statement=r"If a cost $C$ of the output $p$ of a sigmoid neuron is to have the gradient "
    r"$p - t$ with respect to the neuron's logit, the chain rule asks for (H1), the gradient "
    r"divided by the sigmoid's slope, and then [[result]]: $C$ and the binary cross-entropy "
    r"have the same derivative on $(0, 1)$, so they differ by a constant.",
    assumptions=Assumptions(
        r"$p$ is the output of a sigmoid neuron, strictly between 0 and 1; $t$ is the target; "
        r"$C$ is a cost to be found.",
        (pv, t),
        (),
        hypotheses=(_ASKED, _BELOW_ONE),
    ),
    steps=(
        Step(
            Eq(sp.Derivative(C(pv), pv), frac(pv - t, product(pv, 1 - pv))),
            "the gradient the chain rule asks for:",
            (_ASKED,),
        ),
        Step(
            terms(-frac(t, pv), frac(1 - t, 1 - pv)),
            "partial fractions, valid as $p$ lies strictly between 0 and 1 (H2)",
            (_BELOW_ONE,),
        ),
        Step(
            sp.Derivative(_CE_OF_P, pv),
            r"the derivative of $\log$, defined as $1 - p$ is positive (H2)",
            (_BELOW_ONE,),
        ),
    ),
    result=Eq(sp.Derivative(C(pv), pv), sp.Derivative(_CE_OF_P, pv)),
)

#: The chapter whose page shows these derivations.
CHAPTER = "gradients"

DERIVATIONS = (
    EXPONENTIAL_FAMILY_GRADIENT,
    EXPONENTIAL_FAMILY_MEAN,
    CATEGORICAL_FAMILY,
    CANONICAL_PAIRS,
    POISSON_GRADIENT,
    SOFTMAX_REGRESSION_GRADIENT,
    SOFTMAX_FEATURE_GRADIENT,
    SOFTMAX_BIAS_MOMENT_MATCHING,
    NIELSEN_COST,
)
