r"""Maximum likelihood is minimum cross-entropy, for binary and for categorical models."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Hypothesis, Step
from ce_book.derivations.notation import K, Notation, frac, k, product, sum_k, terms

N = sp.Symbol("N", integer=True, positive=True)
n = sp.Symbol("n", integer=True, positive=True)
y = sp.IndexedBase("y", nonnegative=True)
q = sp.IndexedBase("q", positive=True)
t = sp.IndexedBase("t", nonnegative=True)
logL = Notation(r"\log \mathcal{L}")

SIZES = ((N, (1, 2, 3)), (K, (2, 3)))


def _times_mean(term: sp.Basic) -> sp.Mul:
    r"""``-N \cdot \frac{1}{N} \sum_n term``, with ``N`` and ``1 / N`` shown, not cancelled."""
    return product(-1, N, frac(1, N), sp.Sum(term, (n, 1, N)))


_BCE = terms(-y[n] * sp.log(q[n]), product(-1, 1 - y[n], sp.log(1 - q[n])))
_BELOW_1 = Hypothesis("H1", sp.Lt(q[n], 1), "every prediction is below 1")
BERNOULLI = Definition(logL, sp.log(sp.Product(q[n] ** y[n] * (1 - q[n]) ** (1 - y[n]), (n, 1, N))))

MLE_BERNOULLI = Derivation(
    id="mle-bernoulli",
    title="Maximum likelihood for a binary model is minimum binary cross-entropy",
    statement=r"For $N$ independent labels predicted with probabilities $q_n$, [[result]], so "
    r"the parameters that maximise the likelihood are exactly those that minimise the mean "
    r"binary cross-entropy.",
    assumptions=Assumptions(
        r"$N$ examples with labels $y_n$ (0 or 1) and predicted probabilities $q_n$; "
        r"$\mathcal{L}$ is the Bernoulli likelihood of independent examples.",
        (N, n, y, q),
        (BERNOULLI,),
        (),
        SIZES[:1],
        hypotheses=(_BELOW_1,),
    ),
    steps=(
        Step(sp.Eq(logL, BERNOULLI.rhs), "independent Bernoulli examples"),
        Step(
            sp.Sum(terms(y[n] * sp.log(q[n]), (1 - y[n]) * sp.log(1 - q[n])), (n, 1, N)),
            "the log of a product is the sum of the logs (every factor is positive)",
            (_BELOW_1,),
        ),
        Step(_times_mean(_BCE), "multiply and divide by $N$"),
    ),
    result=sp.Eq(logL, _times_mean(_BCE)),
)

CATEGORICAL = Definition(
    logL, sp.log(sp.Product(sp.Product(q[n, k] ** t[n, k], (k, 1, K)), (n, 1, N)))
)
_CE = -sum_k(t[n, k] * sp.log(q[n, k]))

MLE_CATEGORICAL = Derivation(
    id="mle-categorical",
    title="Maximum likelihood for a categorical model is minimum cross-entropy",
    statement=r"For $N$ independent examples with one-hot targets $t_n$ and predicted "
    r"distributions $q_n$ over $K$ classes, [[result]]: maximising the likelihood and "
    r"minimising the mean cross-entropy (the bracket) have the same solutions.",
    assumptions=Assumptions(
        r"$N$ examples and $K$ classes; $t_{nk}$ is 1 for the observed class of example $n$ and "
        r"0 otherwise; $q_{nk}$ is the predicted probability of class $k$ for example $n$, and "
        r"$\mathcal{L}$ the likelihood of independent examples.",
        (N, K, n, k, t, q),
        (CATEGORICAL,),
        (),
        SIZES,
    ),
    steps=(
        Step(sp.Eq(logL, CATEGORICAL.rhs), "independent categorical examples"),
        Step(
            sp.Sum(sum_k(t[n, k] * sp.log(q[n, k])), (n, 1, N)),
            "the log of a product is the sum of the logs",
        ),
        Step(_times_mean(_CE), "multiply and divide by $N$; the bracket is $H(t_n, q_n)$"),
    ),
    result=sp.Eq(logL, _times_mean(_CE)),
)

# -- the categorical maximum-likelihood solution ----------------------------------------------

c = sp.IndexedBase("n", positive=True)
_COUNTS = Hypothesis("H1", sp.Eq(sum_k(c[k]), N), "the counts add up to the $N$ examples")
_DIST = Hypothesis("H2", sp.Eq(sum_k(q[k]), 1), "$q$ is a distribution")
_LOGLIK = sum_k(c[k] * sp.log(q[k]))
_AT_FREQ = sum_k(c[k] * sp.log(c[k] / N))
_RATIO = sum_k(c[k] * sp.log(N * q[k] / c[k]))
_TANGENT = sum_k(c[k] * (N * q[k] / c[k] - 1))

MLE_CATEGORICAL_COUNTS = Derivation(
    id="mle-categorical-counts",
    title="The maximum-likelihood categorical distribution is the observed frequencies",
    statement=r"With class $k$ observed $n_k$ times in $N$ examples, the log-likelihood of any "
    r"distribution $q$ is at most that of the frequencies $n_k / N$: [[result]]. Maximum "
    r"likelihood picks the frequencies, and the least mean cross-entropy is their entropy.",
    assumptions=Assumptions(
        r"$N$ examples over $K$ classes; class $k$ is observed $n_k$ times (at least once); $q$ "
        r"is a distribution over the classes with no zero entry.",
        (N, K, k, c, q),
        (),
        (),
        SIZES,
        hypotheses=(_COUNTS, _DIST),
    ),
    steps=(
        Step(sp.Eq(_LOGLIK - _AT_FREQ, _RATIO), r"$\log a - \log b = \log(a / b)$"),
        Step(
            sp.Le(_RATIO, _TANGENT),
            r"the logarithm lies below its tangent, at $x = N q_k / n_k$",
            cites=("log-tangent-bound",),
        ),
        Step(terms(product(N, sum_k(q[k])), -sum_k(c[k])), "multiply out"),
        Step(sp.S.Zero, "both sums are known", (_COUNTS, _DIST)),
    ),
    result=sp.Le(_LOGLIK, _AT_FREQ),
)

#: The chapter whose page shows these derivations.
CHAPTER = "likelihood"

DERIVATIONS = (MLE_BERNOULLI, MLE_CATEGORICAL, MLE_CATEGORICAL_COUNTS)
