r"""Derivations of chapter 1 beyond the definitions: the loss of a model that outputs the
uniform distribution, the code-length bounds of a Shannon code built for the wrong
distribution, and the gradient of the cross-entropy of a Gaussian model,
which shows that the forward KL divergence fits a Gaussian by matching mean and variance."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import (
    Assumptions,
    Definition,
    Derivation,
    Eq,
    Ge,
    Hypothesis,
    Lt,
    Step,
)
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
length = sp.IndexedBase("l", real=True)
TWO = sp.Integer(2)

# -- the uniform model: the loss of knowing nothing -------------------------------------------

H_UNIFORM = Notation(r"H(p, u)")
UNIFORM_CE = Definition(H_UNIFORM, -sum_k(p[k] * sp.log(frac(1, K))))
_P_SUMS_U = Hypothesis("H1", Eq(sum_k(p[k]), 1), "$p$ sums to 1")

UNIFORM_MODEL_CE = Derivation(
    id="uniform-model-cross-entropy",
    title="A model that outputs the uniform distribution scores log K, whatever the truth",
    statement=r"A model $u$ that gives each of $K$ outcomes the same probability $1/K$ has "
    r"the cross-entropy [[result]] relative to every distribution $p$.",
    assumptions=Assumptions(
        r"$p$ is a distribution over $K$ outcomes, $u$ the uniform distribution over the same "
        r"outcomes, and $H(p, u)$ the cross-entropy in nats.",
        (K, k, p),
        (UNIFORM_CE,),
        (),
        SIZES,
        hypotheses=(_P_SUMS_U,),
    ),
    steps=(
        Step(
            Eq(H_UNIFORM, UNIFORM_CE.rhs),
            r"definition of cross-entropy, with every $u_k$ equal to $1/K$",
        ),
        Step(
            product(sp.log(K), sum_k(p[k])),
            r"$-\log(1/K)$ is $\log K$, which does not depend on $k$",
        ),
        Step(sp.log(K), "$p$ sums to 1", (_P_SUMS_U,)),
    ),
    result=Eq(H_UNIFORM, sp.log(K)),
)

# -- Shannon codes ------------------------------------------------------------------------------

E_LENGTH = Notation(r"\bar{l}")
H_BITS = Notation(r"H_2(p, q)")
MEAN_LENGTH = Definition(E_LENGTH, sum_k(p[k] * length[k]))
CROSS_ENTROPY_BITS = Definition(H_BITS, -sum_k(p[k] * LogBase(q[k], TWO)))

_AT_LEAST = Hypothesis(
    "H1",
    Ge(length[k], -LogBase(q[k], TWO)),
    r"each length is the surprisal $-\log_2 q_k$ rounded up to a whole number of bits",
)
_LESS_THAN = Hypothesis(
    "H2", Lt(length[k], terms(-LogBase(q[k], TWO), 1)), "rounding up adds less than one bit"
)
_P_SUMS = Hypothesis("H3", Eq(sum_k(p[k]), 1), "$p$ sums to 1")
_SURPRISAL_SUM = -sum_k(p[k] * LogBase(q[k], TWO))

SHANNON_CODE_BOUNDS = Derivation(
    id="shannon-code-bounds",
    title="A Shannon code for q costs between H(p, q) and H(p, q) + 1 bits on data from p",
    statement=r"On symbols drawn from $p$, a Shannon code for $q$ has a mean length with "
    r"[[result:0]] and [[result:1]].",
    assumptions=Assumptions(
        r"$p$ (the source) and $q$ (the distribution the code was built for) are distributions "
        r"over $K$ outcomes with no zero entry; $l_k$ is the length in bits of the code word of "
        r"outcome $k$, $\bar l$ the mean length on data from $p$, and $H_2(p, q)$ the "
        r"cross-entropy in bits.",
        (K, k, p, q, length),
        (MEAN_LENGTH, CROSS_ENTROPY_BITS),
        (),
        SIZES,
        hypotheses=(_AT_LEAST, _LESS_THAN, _P_SUMS),
    ),
    steps=(
        Step(Eq(E_LENGTH, MEAN_LENGTH.rhs), "definition of the mean length"),
        Step(
            Ge(MEAN_LENGTH.rhs, _SURPRISAL_SUM),
            r"the weights $p_k$ are positive, and each length is at least the surprisal",
            (_AT_LEAST,),
        ),
        Step(H_BITS, "definition of the cross-entropy in bits"),
        Step(Eq(E_LENGTH, MEAN_LENGTH.rhs), "definition of the mean length, again"),
        Step(
            Lt(MEAN_LENGTH.rhs, sum_k(p[k] * terms(-LogBase(q[k], TWO), 1))),
            "each length is less than the surprisal plus one bit",
            (_LESS_THAN,),
        ),
        Step(terms(_SURPRISAL_SUM, sum_k(p[k])), "split the sum"),
        Step(terms(H_BITS, 1), "definition of $H_2(p, q)$; $p$ sums to 1", (_P_SUMS,)),
    ),
    result=(Ge(E_LENGTH, H_BITS), Lt(E_LENGTH, terms(H_BITS, 1))),
)

# -- no prefix code beats the entropy ------------------------------------------------------------

rate = sp.IndexedBase("r", positive=True)
KRAFT = Notation("S")
H2_P = Notation(r"H_2(p)")
D2_PR = Notation(r"D_2(p \,\|\, r)")
KRAFT_SUM = Definition(KRAFT, sp.Sum(TWO ** (-length[j]), (j, 1, K)))
KRAFT_SHARE = Definition(rate[k], frac(TWO ** (-length[k]), KRAFT))
ENTROPY_BITS = Definition(H2_P, -sum_k(p[k] * LogBase(p[k], TWO)))
KL_BITS = Definition(D2_PR, sum_k(p[k] * LogBase(p[k] / rate[k], TWO)))
_P_SUMS_K = Hypothesis("H1", Eq(sum_k(p[k]), 1), "$p$ sums to 1")

PREFIX_CODE_ENTROPY_FLOOR = Derivation(
    id="prefix-code-entropy-floor",
    title="The mean length of a code exceeds the entropy by a divergence plus a Kraft term",
    statement=r"On data from $p$, the mean length of any code exceeds the entropy in bits by "
    r"[[result]].",
    assumptions=Assumptions(
        r"$p$ is a distribution over $K$ outcomes with no zero entry; $l_k$ is the length in "
        r"bits of the code word of outcome $k$, $\bar l$ the mean length on data from $p$; "
        r"$S$ is Kraft's sum, $r$ the distribution proportional to $2^{-l_k}$; $H_2$ and $D_2$ "
        r"are the entropy and the KL divergence in bits.",
        (K, k, p, length),
        (KRAFT_SUM, KRAFT_SHARE, MEAN_LENGTH, ENTROPY_BITS, KL_BITS),
        (),
        SIZES,
        hypotheses=(_P_SUMS_K,),
    ),
    steps=(
        Step(
            Eq(terms(E_LENGTH, -H2_P), terms(MEAN_LENGTH.rhs, -ENTROPY_BITS.rhs)),
            "definitions of the mean length and of the entropy in bits",
        ),
        Step(
            sum_k(p[k] * LogBase(p[k] * TWO ** length[k], TWO)),
            r"$l_k$ is $\log_2 2^{l_k}$; one logarithm per term",
        ),
        Step(
            sum_k(p[k] * terms(LogBase(p[k] / rate[k], TWO), -LogBase(KRAFT, TWO))),
            r"$2^{l_k}$ is $1 / (r_k S)$, by the definition of $r_k$",
        ),
        Step(terms(D2_PR, -LogBase(KRAFT, TWO)), "split the sum; $p$ sums to 1", (_P_SUMS_K,)),
    ),
    result=Eq(terms(E_LENGTH, -H2_P), terms(D2_PR, -LogBase(KRAFT, TWO))),
)

# -- the forward KL divergence fits a Gaussian by its mean and variance ------------------------

x = sp.IndexedBase("x", real=True)
mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
H_GAUSS = Notation(r"H(p, q_{\mu, \sigma})")
MEAN_P = Notation(r"\mu_p")
VAR_P = Notation(r"\sigma_p^2")

_NEG_LOG_DENSITY = terms(frac((x[k] - mu) ** 2, 2 * sigma**2), sp.log(sigma), sp.log(2 * sp.pi) / 2)
GAUSS_CE = Definition(H_GAUSS, sum_k(p[k] * _NEG_LOG_DENSITY))
MEAN_DEF = Definition(MEAN_P, sum_k(p[k] * x[k]))
VAR_DEF = Definition(VAR_P, sum_k(p[k] * (x[k] - MEAN_P) ** 2))
_P_SUMS_1 = Hypothesis("H1", Eq(sum_k(p[k]), 1), "$p$ sums to 1")
_SPREAD = terms(VAR_P, (mu - MEAN_P) ** 2)
_CLOSED = terms(frac(_SPREAD, 2 * sigma**2), sp.log(sigma), sp.log(2 * sp.pi) / 2)

GAUSSIAN_CE_GRADIENT = Derivation(
    id="gaussian-cross-entropy-gradient",
    title="Fitting a Gaussian by cross-entropy matches the mean and the variance",
    statement=r"The expected negative log-density of a Gaussian model $q_{\mu, \sigma}$ under "
    r"$p$ has the closed form of line 3 and the slopes [[result:1]] and [[result:2]].",
    assumptions=Assumptions(
        r"$p$ is a distribution over $K$ points $x_1, \dots, x_K$ with no zero entry, with "
        r"mean $\mu_p$ and variance $\sigma_p^2$; the model $q_{\mu, \sigma}$ is the Gaussian "
        r"density with mean $\mu$ and standard deviation $\sigma$, so that "
        r"$-\log q_{\mu, \sigma}(x_k)$ is the bracket in line 1. For a density $p$ the algebra "
        r"is the same with integrals in place of sums, and the mean and the variance may be "
        r"those of any $p$ with a finite variance.",
        (K, k, p, x, mu, sigma),
        (GAUSS_CE, MEAN_DEF, VAR_DEF),
        (),
        SIZES,
        hypotheses=(_P_SUMS_1,),
    ),
    steps=(
        Step(
            Eq(H_GAUSS, GAUSS_CE.rhs),
            r"definition: the mean over $p$ of the Gaussian's $-\log q_{\mu, \sigma}(x_k)$",
        ),
        Step(
            terms(
                frac(sum_k(p[k] * (x[k] - mu) ** 2), 2 * sigma**2),
                sp.log(sigma),
                sp.log(2 * sp.pi) / 2,
            ),
            r"the last two terms do not depend on $k$, and $p$ sums to 1",
            (_P_SUMS_1,),
        ),
        Step(
            _CLOSED,
            r"write $x_k - \mu$ as $(x_k - \mu_p) - (\mu - \mu_p)$ and expand: the cross term "
            r"averages to 0",
            (_P_SUMS_1,),
        ),
        Step(
            Eq(sp.Derivative(H_GAUSS, mu), frac(mu - MEAN_P, sigma**2)),
            r"differentiate line 3, which rests on (H1): only the square depends on $\mu$",
            (_P_SUMS_1,),
        ),
        Step(
            Eq(
                sp.Derivative(H_GAUSS, sigma),
                terms(-frac(_SPREAD, sigma**3), frac(1, sigma)),
            ),
            "differentiate line 3, which rests on (H1), term by term",
            (_P_SUMS_1,),
        ),
        Step(frac(sigma**2 - _SPREAD, sigma**3), "one fraction"),
    ),
    result=(
        Eq(H_GAUSS, _CLOSED),
        Eq(sp.Derivative(H_GAUSS, mu), frac(mu - MEAN_P, sigma**2)),
        Eq(sp.Derivative(H_GAUSS, sigma), frac(sigma**2 - _SPREAD, sigma**3)),
    ),
)

#: The chapter whose page shows these derivations.
CHAPTER = "information"

DERIVATIONS = (
    UNIFORM_MODEL_CE,
    SHANNON_CODE_BOUNDS,
    PREFIX_CODE_ENTROPY_FLOOR,
    GAUSSIAN_CE_GRADIENT,
)
