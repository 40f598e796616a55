r"""Maximum likelihood is minimum cross-entropy, for binary and for categorical models; the
coin's likelihood and its peak; the shift that leaves a softmax regression unchanged; and why
gradient ascent on a convex loss never settles."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import (
    Assumptions,
    Definition,
    Derivation,
    Eq,
    Ge,
    Hypothesis,
    Le,
    Lt,
    Step,
)
from ce_book.derivations.notation import K, Notation, frac, i, k, product, sum_k, terms, u, z

N = sp.Symbol("N", integer=True, positive=True)
n = sp.Symbol("n", integer=True, positive=True)
y = sp.IndexedBase("y", nonnegative=True)
q = sp.IndexedBase("q", positive=True)
t = sp.IndexedBase("t", nonnegative=True)
logL = Notation(r"\ell(\theta)")
H_bar = Notation(r"\bar H(\theta)")

SIZES = ((N, (1, 2, 3)), (K, (2, 3)))

# -- the coin: ten flips, seven heads ---------------------------------------------------------

theta = sp.Symbol("theta", positive=True)
L_coin = Notation(r"\mathcal{L}(\theta)")
_COIN = product(theta**7, (1 - theta) ** 3)
COIN_LIKELIHOOD = Definition(L_coin, theta**7 * (1 - theta) ** 3)
_HEADS_NOT_SURE = Hypothesis("H1", Lt(theta, 1), "the coin is not certain to land heads")
_COIN_LOG = terms(7 * sp.log(theta), 3 * sp.log(1 - theta))
_SLOPE = sp.Derivative(sp.log(L_coin), theta)
_CURVATURE = sp.Derivative(sp.log(L_coin), (theta, 2))
_SLOPE_VALUE = frac(7 - 10 * theta, product(theta, 1 - theta))
_CURVATURE_VALUE = terms(-frac(7, theta**2), -frac(3, (1 - theta) ** 2))
_L_SLOPE = sp.Derivative(L_coin, theta)
_L_SLOPE_VALUE = product(theta**6, (1 - theta) ** 2, 7 - 10 * theta)

COIN_LOG_LIKELIHOOD = Derivation(
    id="coin-log-likelihood",
    title="The likelihood of seven heads in ten flips, and where it peaks",
    statement=r"Ten independent flips with seven heads have the likelihood [[result:0]], the "
    r"log-likelihood [[result:1]] and its slope [[result:2]]. The slope is positive below "
    r"seven tenths and negative above, so the likelihood peaks at the fraction of heads. The "
    r"curvature [[result:3]] is negative everywhere: the log-likelihood is concave, and the "
    r"peak is its only maximum. The likelihood itself has the slope [[result:4]], zero also at 0 "
    r"and 1, where it is smallest; that slope is the likelihood times the slope of its log, "
    r"[[result:5]].",
    assumptions=Assumptions(
        r"$\theta$ is the probability that the coin lands heads; the flips are independent, "
        r"seven of them heads and three tails, and $\mathcal{L}(\theta)$ is the probability of "
        r"the observed sequence.",
        (theta,),
        (COIN_LIKELIHOOD,),
        hypotheses=(_HEADS_NOT_SURE,),
    ),
    steps=(
        Step(
            Eq(L_coin, _COIN),
            r"a factor $\theta$ for each of the seven heads, $1 - \theta$ for each of the "
            "three tails",
        ),
        Step(Eq(sp.log(L_coin), sp.log(_COIN)), "take logarithms"),
        Step(_COIN_LOG, "the log of a product is the sum of the logs", (_HEADS_NOT_SURE,)),
        Step(
            Eq(_SLOPE, terms(frac(7, theta), -frac(3, 1 - theta))),
            "differentiate",
            (_HEADS_NOT_SURE,),
        ),
        Step(_SLOPE_VALUE, "one fraction", (_HEADS_NOT_SURE,)),
        Step(Eq(_CURVATURE, _CURVATURE_VALUE), "differentiate again", (_HEADS_NOT_SURE,)),
        Step(
            Eq(_L_SLOPE, product(_COIN, _SLOPE)),
            r"the slope of the likelihood itself: the chain rule on "
            r"$\mathcal{L} = e^{\log \mathcal{L}}$",
            (_HEADS_NOT_SURE,),
        ),
        Step(product(_COIN, _SLOPE_VALUE), "the likelihood times the slope of its log, line 5"),
        Step(_L_SLOPE_VALUE, r"cancel $\theta (1 - \theta)$", (_HEADS_NOT_SURE,)),
    ),
    result=(
        Eq(L_coin, _COIN),
        Eq(sp.log(L_coin), _COIN_LOG),
        Eq(_SLOPE, _SLOPE_VALUE),
        Eq(_CURVATURE, _CURVATURE_VALUE),
        Eq(_L_SLOPE, _L_SLOPE_VALUE),
        Eq(_L_SLOPE, product(_COIN, _SLOPE)),
    ),
)


def _times_mean(term: sp.Basic) -> sp.Mul:
    r"""``-N \cdot \frac{1}{N} \sum_n term``, with ``N`` and ``1 / N`` shown, not cancelled."""
    return product(-1, N, frac(1, N), sp.Sum(term, (n, 1, N)))


_BCE = terms(-y[n] * sp.log(q[n]), product(-1, 1 - y[n], sp.log(1 - q[n])))
_BELOW_1 = Hypothesis("H1", Lt(q[n], 1), "every prediction is below 1")
BERNOULLI = Definition(logL, sp.log(sp.Product(q[n] ** y[n] * (1 - q[n]) ** (1 - y[n]), (n, 1, N))))
MEAN_BCE = Definition(H_bar, product(frac(1, N), sp.Sum(_BCE, (n, 1, N))))

MLE_BERNOULLI = Derivation(
    id="mle-bernoulli",
    title="Maximum likelihood for a binary model is minimum binary cross-entropy",
    statement=r"For $N$ independent labels predicted with probabilities $q_n$, the "
    r"log-likelihood is $-N$ times the mean binary cross-entropy at every $\theta$, "
    r"[[result:0]]; written out, [[result:1]], where the bracket is the binary cross-entropy "
    r"of example $n$. So the parameters that maximise the likelihood are exactly those that "
    r"minimise the mean binary cross-entropy.",
    assumptions=Assumptions(
        r"$N$ examples with labels $y_n$ (0 or 1) and predicted probabilities $q_n$ that the "
        r"label is 1, computed by a model with parameters $\theta$; $\ell(\theta)$ is the "
        r"log-likelihood of independent examples and $\bar H(\theta)$ their mean binary "
        r"cross-entropy.",
        (N, n, y, q),
        (BERNOULLI, MEAN_BCE),
        ((n, N),),
        SIZES[:1],
        hypotheses=(_BELOW_1,),
    ),
    steps=(
        Step(Eq(logL, BERNOULLI.rhs), "independent Bernoulli examples"),
        Step(
            sp.Sum(terms(y[n] * sp.log(q[n]), (1 - y[n]) * sp.log(1 - q[n])), (n, 1, N)),
            "the log of a product is the sum of the logs (every factor is positive)",
            (_BELOW_1,),
        ),
        Step(_times_mean(_BCE), "multiply and divide by $N$"),
        Step(product(-1, N, H_bar), r"the mean binary cross-entropy is $\bar H(\theta)$"),
    ),
    result=(Eq(logL, product(-1, N, H_bar)), Eq(logL, _times_mean(_BCE))),
)

CATEGORICAL = Definition(
    logL, sp.log(sp.Product(sp.Product(q[n, k] ** t[n, k], (k, 1, K)), (n, 1, N)))
)
_CE = -sum_k(t[n, k] * sp.log(q[n, k]))
MEAN_CE = Definition(H_bar, product(frac(1, N), sp.Sum(_CE, (n, 1, N))))

MLE_CATEGORICAL = Derivation(
    id="mle-categorical",
    title="Maximum likelihood for a categorical model is minimum cross-entropy",
    statement=r"For $N$ independent examples with one-hot targets $t_n$ and predicted "
    r"distributions $q_n$ over $K$ classes, [[result:1]] at every $\theta$ (line 3 shows the "
    r"sum: the bracket is the cross-entropy $H(t_n, q_n)$ of example $n$). Maximising the "
    r"likelihood and minimising the mean cross-entropy have the same solutions. The algebra "
    r"allows any non-negative targets; for soft targets it gives a weighted log-likelihood, "
    r"not the probability of observed labels.",
    assumptions=Assumptions(
        r"$N$ examples and $K$ classes; $t_{nk}$ is 1 for the observed class of example $n$ and "
        r"0 otherwise (the algebra needs only non-negative targets); $q_{nk}$ is the "
        r"probability that a model with parameters $\theta$ gives to class $k$ for example $n$; "
        r"$\ell(\theta)$ is the log-likelihood of independent examples and $\bar H(\theta)$ "
        r"their mean cross-entropy.",
        (N, K, n, k, t, q),
        (CATEGORICAL, MEAN_CE),
        (),
        SIZES,
    ),
    steps=(
        Step(Eq(logL, CATEGORICAL.rhs), "independent categorical examples"),
        Step(
            sp.Sum(sum_k(t[n, k] * sp.log(q[n, k])), (n, 1, N)),
            r"the log of a product is the sum of the logs, and $\log q^{t} = t \log q$",
        ),
        Step(_times_mean(_CE), "multiply and divide by $N$; the bracket is $H(t_n, q_n)$"),
        Step(product(-1, N, H_bar), r"the mean cross-entropy is $\bar H(\theta)$"),
    ),
    result=(Eq(logL, _times_mean(_CE)), Eq(logL, product(-1, N, H_bar))),
)

# -- the categorical maximum-likelihood solution ----------------------------------------------

c = sp.IndexedBase("c", positive=True)
_COUNTS = Hypothesis("H1", Eq(sum_k(c[k]), N), "the counts add up to the $N$ examples")
_DIST = Hypothesis("H2", Eq(sum_k(q[k]), 1), "$q$ is a distribution")
_LOGLIK = sum_k(c[k] * sp.log(q[k]))
_AT_FREQ = sum_k(c[k] * sp.log(c[k] / N))
_RATIO = sum_k(c[k] * sp.log(N * q[k] / c[k]))
_TANGENT = sum_k(c[k] * (N * q[k] / c[k] - 1))

MLE_CATEGORICAL_COUNTS = Derivation(
    id="mle-categorical-counts",
    title="The maximum-likelihood categorical distribution is the observed frequencies",
    statement=r"With class $k$ observed $c_k$ times in $N$ examples, the log-likelihood of any "
    r"distribution $q$ is at most that of the frequencies $c_k / N$: [[result]]. Maximum "
    r"likelihood picks the frequencies, and the least mean cross-entropy is their entropy.",
    assumptions=Assumptions(
        r"$N$ examples over $K$ classes; class $k$ is observed $c_k$ times (at least once: a "
        r"class never observed contributes nothing to the log-likelihood, and its best "
        r"probability is 0); $q$ is a distribution over the classes with no zero entry.",
        (N, K, k, c, q),
        (),
        (),
        SIZES,
        hypotheses=(_COUNTS, _DIST),
    ),
    steps=(
        Step(Eq(_LOGLIK - _AT_FREQ, _RATIO), r"$\log a - \log b = \log(a / b)$"),
        Step(
            Le(_RATIO, _TANGENT),
            r"the logarithm lies below its tangent, at $x = N q_k / c_k$",
            cites=("log-tangent-bound",),
        ),
        Step(terms(product(N, sum_k(q[k])), -sum_k(c[k])), "multiply out"),
        Step(sp.S.Zero, "both sums are known", (_COUNTS, _DIST)),
    ),
    result=Le(_LOGLIK, _AT_FREQ),
)

# -- softmax regression: one shift of every class's parameters changes nothing ---------------

d = sp.Symbol("d", integer=True, positive=True)
j = sp.Symbol("j", integer=True, positive=True)
w = sp.IndexedBase("w", real=True)
x = sp.IndexedBase("x", real=True)
bias = sp.IndexedBase("b", real=True)
u0 = sp.Symbol("u_0", real=True)
c_shift = sp.Symbol("c", real=True)
z_shifted = sp.IndexedBase("z'", real=True)
q_shifted = sp.IndexedBase("q'", positive=True)


def _sum_j(expr: sp.Basic, top: sp.Basic = d) -> sp.Sum:
    return sp.Sum(expr, (j, 1, top))


LOGITS = Definition(z[k], terms(_sum_j(w[j, k] * x[j]), bias[k]))
SHIFTED_LOGITS = Definition(z_shifted[k], terms(_sum_j((w[j, k] + u[j]) * x[j]), bias[k], u0))
SHIFT = Definition(c_shift, terms(_sum_j(u[j] * x[j]), u0))
PREDICTION = Definition(q[i], sp.exp(z[i]) / sum_k(sp.exp(z[k])))
SHIFTED_PREDICTION = Definition(q_shifted[i], sp.exp(z_shifted[i]) / sum_k(sp.exp(z_shifted[k])))

SOFTMAX_REGRESSION_SHIFT = Derivation(
    id="softmax-regression-shift",
    title="Adding one vector to every class's parameters changes no prediction",
    statement=r"Add the same numbers $u_1, \dots, u_d$ to every class's weights and the same "
    r"$u_0$ to every class's bias. Every logit grows by the same amount, [[result:0]], and "
    r"the softmax ignores a shift shared by all classes: [[result:1]]. No prediction changes, "
    r"so neither does the likelihood of any data: a softmax regression's parameters are "
    r"determined at best up to such a shift, a family with $d + 1$ free numbers.",
    assumptions=Assumptions(
        r"A softmax regression with $d$ real features $x_j$ and $K$ classes: $w_{jk}$ is the "
        r"weight of feature $j$ for class $k$, $b_k$ the bias of class $k$, $z$ the logits and "
        r"$q$ their softmax. The shift $u_1, \dots, u_d, u_0$ is any real numbers; $z'$ and "
        r"$q'$ are the logits and the prediction after it, and $c$ what every logit gains.",
        (d, K, j, k, i, w, x, bias, u, u0, c_shift, z, z_shifted, q, q_shifted),
        (LOGITS, SHIFTED_LOGITS, SHIFT, PREDICTION, SHIFTED_PREDICTION),
        ((i, K),),
        ((d, (1, 2)), (K, (2, 3))),
    ),
    steps=(
        Step(
            Eq(z_shifted[i], terms(_sum_j((w[j, i] + u[j]) * x[j]), bias[i], u0)),
            "definition of the shifted logits",
        ),
        Step(terms(_sum_j(w[j, i] * x[j]), bias[i], _sum_j(u[j] * x[j]), u0), "split the sum"),
        Step(terms(z[i], c_shift), "definitions of $z_i$ and $c$"),
        Step(
            Eq(q_shifted[i], frac(sp.exp(z[i] + c_shift), sum_k(sp.exp(z[k] + c_shift)))),
            r"definition of $q'_i$, with the line above for every class",
        ),
        Step(
            frac(
                product(sp.exp(c_shift), sp.exp(z[i])),
                product(sp.exp(c_shift), sum_k(sp.exp(z[k]))),
            ),
            r"$e^{a + c} = e^{c} e^{a}$, and $e^{c}$ does not depend on $k$",
        ),
        Step(q[i], r"cancel $e^{c}$; definition of $q_i$"),
    ),
    result=(Eq(z_shifted[i], terms(z[i], c_shift)), Eq(q_shifted[i], q[i])),
)

# -- gradient ascent on a convex function never settles ---------------------------------------

P = sp.Symbol("P", integer=True, positive=True)
g = sp.IndexedBase("g", real=True)
g_new = sp.IndexedBase("g'", real=True)
th = sp.IndexedBase(r"\theta", real=True)
th_new = sp.IndexedBase(r"\theta'", real=True)
eta = sp.Symbol("eta", positive=True)
f_old = Notation(r"f(\theta)", real=True)
f_new = Notation(r"f(\theta')", real=True)
monotone = Notation(r"(g' - g)^{\top} (\theta' - \theta)", real=True)
ASCENT_STEP = Definition(th_new[j], terms(th[j], product(eta, g[j])))
MONOTONE = Definition(monotone, _sum_j((g_new[j] - g[j]) * (th_new[j] - th[j]), P))
_TANGENT_PLANE = Hypothesis(
    "H1",
    Ge(f_new, terms(f_old, _sum_j(g[j] * (th_new[j] - th[j]), P))),
    r"a convex function lies above its tangent plane at $\theta$",
)
_MONOTONE = Hypothesis("H2", Ge(monotone, 0), "the gradient of a convex function is monotone")
_SQUARED = _sum_j(g[j] ** 2, P)

CONVEX_ASCENT_STEP = Derivation(
    id="convex-ascent-step",
    title="An ascent step on a convex function climbs, and its gradient does not shrink",
    statement=r"One step of gradient ascent on a convex function $f$ raises it by at least "
    r"$\eta$ times the squared length of the gradient, [[result:0]], and the new gradient "
    r"reaches at least as far along the old one: [[result:1]]. By the Cauchy-Schwarz "
    r"inequality the new gradient is therefore at least as long as the old one, so repeated "
    r"ascent steps climb by at least a fixed amount each time and never settle.",
    assumptions=Assumptions(
        r"$f$ is a convex, differentiable function of $P$ real parameters; $g$ is its gradient "
        r"at $\theta$, $\theta'$ the point one ascent step of size $\eta$ away, and $g'$ the "
        r"gradient there.",
        (P, j, g, g_new, th, th_new, eta, f_old, f_new, monotone),
        (ASCENT_STEP, MONOTONE),
        ((j, P),),
        ((P, (1, 2, 3)),),
        hypotheses=(_TANGENT_PLANE, _MONOTONE),
    ),
    steps=(
        Step(_TANGENT_PLANE.relation, "convexity", (_TANGENT_PLANE,)),
        Step(terms(f_old, _sum_j(g[j] * product(eta, g[j]), P)), r"the ascent step, $\eta g_j$"),
        Step(terms(f_old, product(eta, _SQUARED)), r"$\eta$ does not depend on $j$"),
        Step(
            Eq(_sum_j(g_new[j] * g[j], P), terms(_SQUARED, product(frac(1, eta), monotone))),
            r"each $\theta'_j - \theta_j$ is $\eta g_j$",
        ),
        Step(
            Ge(terms(_SQUARED, product(frac(1, eta), monotone)), _SQUARED),
            r"the gradient is monotone, and $\eta$ is positive",
            (_MONOTONE,),
        ),
    ),
    result=(
        Ge(f_new, terms(f_old, product(eta, _SQUARED))),
        Ge(_sum_j(g_new[j] * g[j], P), _SQUARED),
    ),
)

# -- squared error is the log-likelihood of Gaussian noise ------------------------------------

mu = sp.IndexedBase("mu", real=True)
obs = sp.IndexedBase("y", real=True)
s_dev = sp.Symbol("s", positive=True)
logL_gauss = Notation(r"\ell(\mu)")
_SQ = (obs[n] - mu[n]) ** 2
_TWO_PI_S2 = product(2, sp.pi, s_dev**2)
_DENSITY = product(
    frac(1, sp.Pow(_TWO_PI_S2, sp.Rational(1, 2), evaluate=False)),
    sp.exp(-frac(_SQ, 2 * s_dev**2)),
)
GAUSSIAN = Definition(logL_gauss, sp.log(sp.Product(_DENSITY, (n, 1, N))))
_GAUSS_RESULT = terms(
    -product(frac(1, 2 * s_dev**2), sp.Sum(_SQ, (n, 1, N))),
    -product(frac(N, 2), sp.log(_TWO_PI_S2)),
)

GAUSSIAN_LOG_LIKELIHOOD = Derivation(
    id="gaussian-log-likelihood",
    title="Squared error is the log-likelihood of Gaussian noise",
    statement=r"If each observation $y_n$ is its mean $\mu_n$ plus independent Gaussian noise "
    r"of standard deviation $s$, the log-likelihood of the means is [[result]]. The second "
    r"term does not depend on the means, so the means that maximise the likelihood are those "
    r"with the smallest sum of squared errors.",
    assumptions=Assumptions(
        r"$N$ real observations $y_n$, each drawn independently from a Gaussian with mean "
        r"$\mu_n$ (for a regression, the model's prediction for input $n$) and the same "
        r"standard deviation $s$; $\ell(\mu)$ is the log of the product of their densities.",
        (N, n, obs, mu, s_dev),
        (GAUSSIAN,),
        ((n, N),),
        SIZES[:1],
    ),
    steps=(
        Step(Eq(logL_gauss, GAUSSIAN.rhs), "independent Gaussian observations"),
        Step(
            sp.Sum(sp.log(_DENSITY), (n, 1, N)),
            "the log of a product is the sum of the logs (every density is positive)",
        ),
        Step(
            sp.Sum(
                terms(-frac(_SQ, 2 * s_dev**2), -product(frac(1, 2), sp.log(_TWO_PI_S2))),
                (n, 1, N),
            ),
            r"$\log e^{a} = a$ and $\log(1 / \sqrt{b}) = -\tfrac12 \log b$",
        ),
        Step(_GAUSS_RESULT, "split the sum; the second term is the same for every $n$"),
    ),
    result=Eq(logL_gauss, _GAUSS_RESULT),
)

#: The chapter whose page shows these derivations.
CHAPTER = "likelihood"

DERIVATIONS = (
    COIN_LOG_LIKELIHOOD,
    MLE_BERNOULLI,
    MLE_CATEGORICAL,
    MLE_CATEGORICAL_COUNTS,
    SOFTMAX_REGRESSION_SHIFT,
    CONVEX_ASCENT_STEP,
    GAUSSIAN_LOG_LIKELIHOOD,
)
