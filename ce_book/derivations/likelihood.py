r"""Maximum likelihood is minimum cross-entropy, for binary and for categorical models."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Step
from ce_book.derivations.notation import K, Notation, frac, k, product, sum_k, terms

N = sp.Symbol("N", integer=True, positive=True)
n = sp.Symbol("n", integer=True, positive=True)
y = sp.IndexedBase("y", nonnegative=True)
u = sp.IndexedBase("u", positive=True)
q = sp.IndexedBase("q", positive=True)
t = sp.IndexedBase("t", nonnegative=True)
logL = Notation(r"\log \mathcal{L}")

SIZES = ((N, (1, 2, 3)), (K, (2, 3)))


def _times_mean(term: sp.Basic) -> sp.Mul:
    r"""``-N \cdot \frac{1}{N} \sum_n term``, with ``N`` and ``1 / N`` shown, not cancelled."""
    return product(-1, N, frac(1, N), sp.Sum(term, (n, 1, N)))


_BCE = terms(-y[n] * sp.log(q[n]), product(-1, 1 - y[n], sp.log(1 - q[n])))
# Every q in (0, 1) is 1 / (1 + u) for exactly one u > 0: the checker works with u, so that
# SymPy knows that both q_n and 1 - q_n are positive.
PROBABILITY = Definition(q[n], 1 / (1 + u[n]))
BERNOULLI = Definition(logL, sp.log(sp.Product(q[n] ** y[n] * (1 - q[n]) ** (1 - y[n]), (n, 1, N))))

MLE_BERNOULLI = Derivation(
    id="mle-bernoulli",
    title="Maximum likelihood for a binary model is minimum binary cross-entropy",
    statement=r"For $N$ independent labels $y_n \in \{0, 1\}$ predicted with probabilities "
    r"$q_n$, $\log \mathcal{L} = -N \cdot \frac{1}{N} \sum_n \mathrm{BCE}(q_n, y_n)$, so the "
    r"parameters that maximise the likelihood are exactly those that minimise the mean binary "
    r"cross-entropy.",
    assumptions=Assumptions(
        r"$N \ge 1$ examples with labels $y_n \in \{0, 1\}$ and predicted probabilities "
        r"$0 < q_n < 1$ (so $1 - q_n > 0$); $\mathcal{L} = \prod_n q_n^{y_n}(1 - q_n)^{1 - y_n}$ "
        r"is the Bernoulli likelihood of independent examples. (The check writes "
        r"$q_n = 1 / (1 + u_n)$ with $u_n > 0$, which covers every $q_n \in (0, 1)$.)",
        (N, n, y, q),
        (BERNOULLI, PROBABILITY),
        (),
        SIZES[:1],
    ),
    steps=(
        Step(sp.Eq(logL, BERNOULLI.rhs), "independent Bernoulli examples"),
        Step(
            sp.Sum(terms(y[n] * sp.log(q[n]), (1 - y[n]) * sp.log(1 - q[n])), (n, 1, N)),
            "the log of a product is the sum of the logs",
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
    r"distributions $q_n$ over $K$ classes, $\log \mathcal{L} = -N \cdot \frac{1}{N} \sum_n "
    r"H(t_n, q_n)$: maximising the likelihood and minimising the mean cross-entropy have the "
    r"same solutions.",
    assumptions=Assumptions(
        r"$N \ge 1$ examples, $K \ge 2$ classes; $t_{nk}$ is 1 for the observed class of "
        r"example $n$ and 0 otherwise; $q_{nk} > 0$ is the predicted probability of class $k$. "
        r"$\mathcal{L} = \prod_n \prod_k q_{nk}^{t_{nk}}$ (the probability of the observed class, "
        r"since $t_n$ is one-hot) and $H(t_n, q_n) = -\sum_k t_{nk} \log q_{nk}$.",
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

#: The chapter whose page shows these derivations.
CHAPTER = "likelihood"

DERIVATIONS = (MLE_BERNOULLI, MLE_CATEGORICAL)
