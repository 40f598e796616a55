r"""Maximum likelihood as the closest model, in KL divergence, to the empirical distribution.

The mean cross-entropy of a dataset, grouped by label (and by input), is the entropy of the
labels' empirical distribution plus the KL divergence from it to the model.
"""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Eq, Hypothesis, Step
from ce_book.derivations.notation import K, Notation, frac, k, product, sum_k, terms

N = sp.Symbol("N", integer=True, positive=True)
M = sp.Symbol("M", integer=True, positive=True)
g = sp.Symbol("g", integer=True, positive=True)
count = sp.IndexedBase("c", positive=True)
q = sp.IndexedBase("q", positive=True)
phat = sp.IndexedBase(r"\hat{p}", positive=True)

H_bar = Notation(r"\bar H(q)")
H_phat = Notation(r"H(\hat p)")
KL = Notation(r"D_{\mathrm{KL}}(\hat p \,\|\, q)")

MEAN_CE = Definition(H_bar, -product(frac(1, N), sum_k(count[k] * sp.log(q[k]))))
EMPIRICAL = Definition(phat[k], frac(count[k], N))
ENTROPY = Definition(H_phat, -sum_k(phat[k] * sp.log(phat[k])))
KL_DIVERGENCE = Definition(KL, sum_k(phat[k] * sp.log(phat[k] / q[k])))

SIZES = ((N, (1, 2, 3)), (K, (2, 3)))

MEAN_CE_EMPIRICAL_KL = Derivation(
    id="mean-ce-empirical-kl",
    title="Mean cross-entropy is the entropy of the data plus a KL divergence",
    statement=r"A model that predicts the distribution $q$ for each of $N$ examples, $c_k$ of "
    r"them labelled $k$, has the mean cross-entropy [[result]]. The entropy does not depend on "
    r"the model, so minimising the mean cross-entropy (maximising the likelihood) is "
    r"minimising the KL divergence from the empirical distribution $\hat p$ to the model.",
    assumptions=Assumptions(
        r"$N$ examples over $K$ classes; class $k$ is observed $c_k$ times (at least once, so "
        r"that every logarithm is defined: a class never observed adds nothing to the loss "
        r"and, with $0 \log 0$ counted as 0, nothing to the entropy or the divergence, so the "
        r"result holds with the sums over the observed classes); $q$ is the model's "
        r"distribution over the classes, with no zero entry; $\bar H(q)$ is "
        r"the mean cross-entropy of the examples, grouped by label, $\hat p$ the empirical "
        r"distribution of the labels, $H(\hat p)$ its entropy.",
        (N, K, k, count, q),
        (MEAN_CE, EMPIRICAL, ENTROPY, KL_DIVERGENCE),
        (),
        SIZES,
    ),
    steps=(
        Step(Eq(H_bar, MEAN_CE.rhs), "the mean of $-\\log q_{y_n}$, grouped by label"),
        Step(-sum_k(frac(count[k], N) * sp.log(q[k])), "move $1/N$ into the sum"),
        Step(-sum_k(phat[k] * sp.log(q[k])), r"definition of $\hat p_k$"),
        Step(
            terms(
                -sum_k(phat[k] * sp.log(phat[k])),
                sum_k(phat[k] * (sp.log(phat[k]) - sp.log(q[k]))),
            ),
            r"add and subtract $\sum_k \hat p_k \log \hat p_k$",
        ),
        Step(terms(ENTROPY.rhs, KL_DIVERGENCE.rhs), r"$\log a - \log b = \log(a / b)$"),
        Step(terms(H_phat, KL), "definitions of entropy and KL divergence"),
    ),
    result=Eq(H_bar, terms(H_phat, KL)),
)

# -- with inputs: the conditional version -----------------------------------------------------

cnt = sp.IndexedBase("c", positive=True)  # c_{gk}: examples with input g and label k
qc = sp.IndexedBase("q", positive=True)  # q_{gk}: the model's probability of k given input g
m = sp.IndexedBase("m", positive=True)  # m_g: examples with input g
H_cond = Notation(r"\bar H")
_INPUTS = Hypothesis(
    "H1",
    Eq(m[g], sum_k(cnt[g, k])),
    "$m_g$ counts the examples with input $g$",
)


def _sum_g(expr: sp.Basic) -> sp.Sum:
    return sp.Sum(expr, (g, 1, M))


MEAN_CE_COND = Definition(H_cond, -product(frac(1, N), _sum_g(sum_k(cnt[g, k] * sp.log(qc[g, k])))))
phat_g = sp.IndexedBase(r"\hat{p}", positive=True)  # \hat p_{gk} = n_{gk} / m_g
EMPIRICAL_COND = Definition(phat_g[g, k], frac(cnt[g, k], m[g]))
_P = phat_g[g, k]
_INNER = terms(
    -sum_k(product(_P, sp.log(_P))),
    sum_k(product(_P, sp.log(_P / qc[g, k]))),
)
_RESULT = _sum_g(product(frac(m[g], N), _INNER))
H_g = Notation(r"H(\hat p_g)")
KL_g = Notation(r"D_{\mathrm{KL}}(\hat p_g \,\|\, q_g)")
ENTROPY_G = Definition(H_g, -sum_k(product(_P, sp.log(_P))))
KL_G = Definition(KL_g, sum_k(product(_P, sp.log(_P / qc[g, k]))))
_NAMED = _sum_g(product(frac(m[g], N), terms(H_g, KL_g)))

MEAN_CE_CONDITIONAL_KL = Derivation(
    id="mean-ce-conditional-kl",
    title="With inputs: the mean cross-entropy is an average over inputs of entropy plus KL",
    statement=r"Group $N$ examples by their input $g$ ($m_g$ examples each) and label $k$ "
    r"($c_{gk}$ examples), and let $\hat p_{gk}$ be the frequency of label $k$ among the "
    r"examples with input $g$. A model that predicts $q_{g}$ for input $g$ has the mean "
    r"cross-entropy [[result:1]] (line 4 writes the sums out): for each input, the "
    r"entropy of the "
    r"labels observed with it plus "
    r"the KL divergence from their frequencies to the model's prediction, weighted by how often "
    r"the input occurs. The entropies are a floor that no model of these inputs can beat.",
    assumptions=Assumptions(
        r"$N$ examples whose inputs take $M$ distinct values $g$ and whose labels take $K$ "
        r"values $k$; $c_{gk}$ examples have input $g$ and label $k$ (at least one each, so "
        r"that every logarithm is defined; a label never seen with input $g$ adds nothing to "
        r"the loss and, with $0 \log 0$ counted as 0, nothing to the entropy or the "
        r"divergence, so the result holds with each input's sums over the labels seen with "
        r"it), $m_g$ have input $g$; $q_{gk}$ is the model's "
        r"probability of label $k$ for input $g$; $\bar H$ is the mean cross-entropy of the "
        r"examples, grouped by input and label.",
        (N, M, K, g, k, cnt, qc, m),
        (MEAN_CE_COND, EMPIRICAL_COND, ENTROPY_G, KL_G),
        (),
        ((N, (1, 2)), (M, (1, 2)), (K, (2, 3))),
        hypotheses=(_INPUTS,),
    ),
    steps=(
        Step(Eq(H_cond, MEAN_CE_COND.rhs), "the mean of $-\\log q_{g_n y_n}$, grouped"),
        Step(
            -_sum_g(
                product(frac(m[g], N), sum_k(product(frac(cnt[g, k], m[g]), sp.log(qc[g, k]))))
            ),
            "multiply and divide by $m_g$",
        ),
        Step(
            -_sum_g(product(frac(m[g], N), sum_k(product(_P, sp.log(qc[g, k]))))),
            r"definition of $\hat p_{gk}$",
        ),
        Step(
            _RESULT,
            r"add and subtract $\sum_k \hat p_{gk} \log \hat p_{gk}$; "
            r"$\log a - \log b = \log(a / b)$",
        ),
        Step(_NAMED, "definitions of entropy and KL divergence, input by input"),
    ),
    result=(Eq(H_cond, _RESULT), Eq(H_cond, _NAMED)),
)

# -- the expected loss: the conditional entropy of the truth plus the expected divergence -----

prob = sp.IndexedBase(r"\pi", positive=True)  # pi_g: the probability of input g
truth = sp.IndexedBase("p", positive=True)  # p_{gk}: the true probability of label k given g
model = sp.IndexedBase("q", positive=True)  # q_{gk}: the model's probability of label k given g
E_H_bar = Notation(r"\mathbb{E}\, \bar H(\theta)")
H_Y_X = Notation(r"H(Y \mid X)")
E_KL = Notation(
    r"\mathbb{E}_X\, D_{\mathrm{KL}}\big(p(\cdot \mid X) \,\|\, q_\theta(\cdot \mid X)\big)"
)
_TP = truth[g, k]
EXPECTED_CE = Definition(
    E_H_bar, -_sum_g(product(prob[g], sum_k(product(_TP, sp.log(model[g, k])))))
)
CONDITIONAL_ENTROPY = Definition(H_Y_X, -_sum_g(product(prob[g], sum_k(product(_TP, sp.log(_TP))))))
EXPECTED_KL = Definition(
    E_KL, _sum_g(product(prob[g], sum_k(product(_TP, sp.log(_TP / model[g, k])))))
)

EXPECTED_CE_CONDITIONAL_KL = Derivation(
    id="expected-ce-conditional-kl",
    title="The expected loss is the conditional entropy of the truth plus a KL divergence",
    statement=r"If the examples are drawn independently from a fixed distribution, the "
    r"expected mean cross-entropy of a model is [[result]]: the conditional entropy of the "
    r"true labels given the inputs, which no model changes, plus the KL divergence from the "
    r"true conditional distribution to the model's prediction, averaged over the inputs.",
    assumptions=Assumptions(
        r"Inputs take $M$ values $g$, input $g$ with probability $\pi_g$; given input $g$ the "
        r"label is $k$ with the true probability $p_{gk}$, and the model predicts $q_{gk}$ "
        r"(both with no zero entry; with continuous inputs the sums over $g$ become "
        r"integrals). $\mathbb{E}\, \bar H(\theta)$ is the expected mean cross-entropy of $N$ "
        r"examples drawn independently, which is the expected cross-entropy of one example; "
        r"$H(Y \mid X)$ is the conditional entropy of the true labels and "
        r"$\mathbb{E}_X\, D_{\mathrm{KL}}$ the divergence averaged over the inputs.",
        (M, K, g, k, prob, truth, model),
        (EXPECTED_CE, CONDITIONAL_ENTROPY, EXPECTED_KL),
        (),
        ((M, (1, 2)), (K, (2, 3))),
    ),
    steps=(
        Step(
            Eq(E_H_bar, EXPECTED_CE.rhs),
            r"one example costs $-\log q_{gk}$ when its input is $g$ and its label $k$",
        ),
        Step(
            _sum_g(
                product(
                    prob[g],
                    terms(
                        -sum_k(product(_TP, sp.log(_TP))),
                        sum_k(product(_TP, sp.log(_TP / model[g, k]))),
                    ),
                )
            ),
            r"add and subtract $\sum_k p_{gk} \log p_{gk}$; $\log a - \log b = \log(a / b)$",
        ),
        Step(
            terms(CONDITIONAL_ENTROPY.rhs, EXPECTED_KL.rhs),
            r"split the sum over $g$",
        ),
        Step(terms(H_Y_X, E_KL), "definitions of the conditional entropy and the mean divergence"),
    ),
    result=Eq(E_H_bar, terms(H_Y_X, E_KL)),
)

#: The chapter whose page shows these derivations.
CHAPTER = "likelihood"

DERIVATIONS = (MEAN_CE_EMPIRICAL_KL, MEAN_CE_CONDITIONAL_KL, EXPECTED_CE_CONDITIONAL_KL)
