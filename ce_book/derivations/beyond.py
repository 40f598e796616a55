r"""Derivations for the chapter beyond plain cross-entropy: the focal-loss gradient and the sign
of its weight, the gradient of the earth mover's distance for ordered classes, why dividing (or
multiplying) the gradient by a class distance does not give the gradient of any loss, how far
ahead the true class is at the optimum of label smoothing, and why cross-entropy is convex in
the inverse temperature."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import (
    Assumptions,
    Definition,
    Derivation,
    Eq,
    Ge,
    Gt,
    Hypothesis,
    Lt,
    Step,
)
from ce_book.derivations.notation import (
    INDICES,
    SIZES,
    SOFTMAX,
    SOFTMAX_TEXT,
    K,
    Notation,
    frac,
    i,
    j,
    k,
    p,
    product,
    sum_k,
    terms,
    z,
)

L = sp.Symbol("L")
gamma = sp.Symbol("gamma", nonnegative=True)
y = sp.Symbol("y", integer=True, positive=True)
d = sp.IndexedBase("d", nonnegative=True)
F = sp.IndexedBase("F", real=True)
_DELTA_JY = sp.KroneckerDelta(j, y)
_DL = sp.Derivative(L, z[j])

# -- focal loss ------------------------------------------------------------------------------

_M = 1 - p[y]
FOCAL = Definition(L, -(_M**gamma) * sp.log(p[y]))
_G = _M**gamma - gamma * p[y] * _M ** (gamma - 1) * sp.log(p[y])
_PARTIAL_PY = p[y] * (_DELTA_JY - p[j])

FOCAL_LOSS_GRADIENT = Derivation(
    id="focal-loss-gradient",
    title="The gradient of the focal loss",
    statement=r"With $p_y$ the probability of the true class $y$, the focal loss has the "
    r"gradient [[result]]: the cross-entropy gradient $p - e_y$, times a weight that is always "
    r"positive (as the next derivation shows) and shrinks for examples already well classified.",
    assumptions=Assumptions(
        SOFTMAX_TEXT + r" $y$ is the true class, $\gamma$ the focusing parameter and $L$ the "
        r"focal loss.",
        (K, i, j, k, y, z, p, gamma),
        (SOFTMAX, FOCAL),
        (*INDICES, (y, K)),
        ((K, (2, 3)),),
    ),
    steps=(
        Step(
            Eq(
                _DL,
                -sp.Derivative(_M**gamma, z[j]) * sp.log(p[y])
                - _M**gamma * sp.Derivative(sp.log(p[y]), z[j]),
            ),
            "definition of $L$; product rule",
        ),
        Step(
            gamma * _M ** (gamma - 1) * sp.log(p[y]) * sp.Derivative(p[y], z[j])
            - _M**gamma / p[y] * sp.Derivative(p[y], z[j]),
            "chain rule, twice",
        ),
        Step(
            sp.Mul(
                gamma * _M ** (gamma - 1) * sp.log(p[y]) - _M**gamma / p[y],
                _PARTIAL_PY,
                evaluate=False,
            ),
            "the partial derivatives of the softmax",
            cites=("softmax-partials",),
        ),
        Step(sp.Mul(_G, p[j] - _DELTA_JY, evaluate=False), "multiply out; flip the sign"),
    ),
    result=Eq(_DL, _G * (p[j] - _DELTA_JY)),
)

# -- earth mover's distance to a one-hot target, for ordered classes --------------------------

EMD = Definition(L, sum_k(d[k] * p[k]))
_MEAN_DIST = sum_k(d[k] * p[k])

EMD_ORDINAL_GRADIENT = Derivation(
    id="emd-ordinal-gradient",
    title="The gradient of the earth mover's distance to the true class",
    statement=r"For ordered classes one unit apart, the earth mover's distance from $p$ to the "
    r"one-hot target of class $y$ is the expected distance to the truth, $L$ below, with $d_k$ "
    r"the distance from class $k$ to $y$, and its gradient is [[result]]: a class is pushed "
    r"down in proportion to how much farther than the prediction's average distance it lies, "
    r"and the classes nearer than that average are pushed up.",
    assumptions=Assumptions(
        SOFTMAX_TEXT + r" The classes are ordered, neighbours one unit apart, and $y$ is the "
        r"true class; $d_k$ is the distance from class $k$ to $y$, a constant that does not "
        r"depend on $z$. The earth mover's distance to the one-hot target moves the mass $p_k$ "
        r"across each of the $d_k$ boundaries between $k$ and $y$ once, so it is $L$.",
        (K, i, j, k, z, p, d),
        (SOFTMAX, EMD),
        INDICES,
        ((K, (2, 3)),),
    ),
    steps=(
        Step(
            Eq(_DL, sum_k(d[k] * sp.Derivative(p[k], z[j]))),
            "definition of $L$ ($d$ is constant)",
        ),
        Step(
            sum_k(d[k] * p[k] * (sp.KroneckerDelta(k, j) - p[j])),
            "the partial derivatives of the softmax",
            cites=("softmax-partials",),
        ),
        Step(d[j] * p[j] - p[j] * _MEAN_DIST, "the delta picks $k = j$"),
        Step(sp.Mul(p[j], d[j] - _MEAN_DIST, evaluate=False), "factor out $p_j$"),
    ),
    result=Eq(_DL, p[j] * (d[j] - _MEAN_DIST)),
)

# -- the seed's distance-scaled "gradient" -----------------------------------------------------

# The number of steps from a wrong class to the true class: positive, unlike the distance
# vector d of the earth mover's distance, whose entry for the true class is 0.
s = sp.IndexedBase("s", positive=True)
SCALED = Definition(F[i], p[i] / s[i])
_S2 = Hypothesis("H1", Eq(s[2], 1), "class 2 is one step from the true class 1")
_S3 = Hypothesis("H2", Eq(s[3], 2), "class 3 is two steps from it")
_CURL = sp.Derivative(F[i], z[j]) - sp.Derivative(F[j], z[i])
_CURL_RESULT = p[i] * p[j] * (1 / s[j] - 1 / s[i])
_AT_2_3 = _CURL_RESULT.xreplace({i: 2, j: 3})
_EXAMPLE = -p[2] * p[3] / 2
_WRONG_TEXT = (
    SOFTMAX_TEXT + r" $i$ and $j$ are two wrong classes, $s_i$ and $s_j$ the number of steps "
    r"from each to the true class (constants, not depending on $z$), and $F_i$ is the proposed "
    r"gradient component for class $i$ (the true class keeps $p_y - 1$; only the wrong classes "
    r"enter this check)."
)

DISTANCE_SCALED_GRADIENT_NOT_CONSERVATIVE = Derivation(
    id="distance-scaled-gradient-not-conservative",
    title="Dividing the gradient by a class distance gives no loss",
    statement=r"The proposal to divide the probability of each wrong class $i$ by its distance "
    r"$s_i$ to the true class has [[result:0]], which is not zero when the distances differ. "
    r"The Jacobian of a gradient is a Hessian, and a Hessian is symmetric, so the proposal is "
    r"not the gradient of any twice-differentiable loss. With three classes, true class 1 and "
    r"distances 1 and 2, [[result:1]].",
    assumptions=Assumptions(
        _WRONG_TEXT,
        (K, i, j, k, z, p, s, F),
        (SOFTMAX, SCALED),
        INDICES,
        ((K, (3, 4)),),
        hypotheses=(_S2, _S3),
    ),
    steps=(
        Step(
            Eq(_CURL, sp.Derivative(p[i], z[j]) / s[i] - sp.Derivative(p[j], z[i]) / s[j]),
            "definition of $F$ ($s$ is constant)",
        ),
        Step(
            p[i] * (sp.KroneckerDelta(i, j) - p[j]) / s[i]
            - p[j] * (sp.KroneckerDelta(j, i) - p[i]) / s[j],
            "the partial derivatives of the softmax",
            cites=("softmax-partials",),
        ),
        Step(_CURL_RESULT, "the delta terms cancel"),
        Step(
            Eq(_AT_2_3, _EXAMPLE),
            "classes 2 and 3, at their distances",
            (_S2, _S3),
        ),
        Step(Lt(_EXAMPLE, 0), "probabilities are positive"),
    ),
    result=(
        Eq(_CURL, _CURL_RESULT),
        Lt(_AT_2_3, 0),
    ),
)

# -- multiplying by the distance instead (an exercise) ---------------------------------------

G = sp.IndexedBase("G", real=True)
TIMES = Definition(G[i], p[i] * s[i])
_CURL_G = sp.Derivative(G[i], z[j]) - sp.Derivative(G[j], z[i])
_CURL_G_RESULT = p[i] * p[j] * (s[j] - s[i])

DISTANCE_TIMES_GRADIENT_NOT_CONSERVATIVE = Derivation(
    id="distance-times-gradient-not-conservative",
    title="Multiplying the gradient by a class distance gives no loss either",
    statement=r"If each wrong class $i$ gets $p_i$ times its distance $s_i$ instead, the field "
    r"$G$ has [[result:0]], again not zero when the distances differ, so $G$ is no gradient "
    r"either. With three classes, true class 1 and distances 1 and 2, [[result:1]].",
    assumptions=Assumptions(
        _WRONG_TEXT.replace("$F_i$ is the proposed", "$G_i$ is the proposed"),
        (K, i, j, k, z, p, s, G),
        (SOFTMAX, TIMES),
        INDICES,
        ((K, (3, 4)),),
        hypotheses=(_S2, _S3),
    ),
    steps=(
        Step(
            Eq(_CURL_G, sp.Derivative(p[i], z[j]) * s[i] - sp.Derivative(p[j], z[i]) * s[j]),
            "definition of $G$ ($s$ is constant)",
        ),
        Step(
            p[i] * (sp.KroneckerDelta(i, j) - p[j]) * s[i]
            - p[j] * (sp.KroneckerDelta(j, i) - p[i]) * s[j],
            "the partial derivatives of the softmax",
            cites=("softmax-partials",),
        ),
        Step(_CURL_G_RESULT, "the delta terms cancel"),
        Step(
            Eq(_CURL_G_RESULT.xreplace({i: 2, j: 3}), p[2] * p[3]),
            "classes 2 and 3, at their distances",
            (_S2, _S3),
        ),
        Step(Gt(p[2] * p[3], 0), "probabilities are positive"),
    ),
    result=(
        Eq(_CURL_G, _CURL_G_RESULT),
        Gt(_CURL_G_RESULT.xreplace({i: 2, j: 3}), 0),
    ),
)

# -- the sign of the focal weight -------------------------------------------------------------

g = Notation("g")
WEIGHT = Definition(g, _G)
_BELOW_1 = Hypothesis("H1", Lt(p[y], 1), "the true class does not hold all the probability")

FOCAL_WEIGHT_NONNEGATIVE = Derivation(
    id="focal-weight-nonnegative",
    title="The focal loss weight is positive",
    statement=r"Whenever the true class has probability below 1, as it always has for finite "
    r"logits, the weight $g$ of the focal-loss gradient (focal-loss-gradient) satisfies "
    r"[[result]]: the focal gradient points the same way as the cross-entropy gradient, only "
    r"shorter or longer.",
    assumptions=Assumptions(
        r"$p_y$ is the probability of the true class $y$ (a softmax output, so positive), "
        r"$\gamma$ the focusing parameter (0 gives cross-entropy), and $g$ the weight of the "
        r"focal-loss gradient.",
        (y, p, gamma),
        (WEIGHT,),
        hypotheses=(_BELOW_1,),
    ),
    steps=(
        Step(Eq(g, _G), "definition of $g$"),
        Step(
            Gt(_G, 0),
            r"the first term is positive, since $p_y < 1$; the second is at least 0, since "
            r"$\gamma \geq 0$, $p_y > 0$ and $\log p_y < 0$",
            (_BELOW_1,),
        ),
    ),
    result=Gt(g, 0),
)

# -- label smoothing: how far ahead the true logit ends up (an exercise) ---------------------

eps = sp.Symbol("epsilon", positive=True)
p_y = sp.Symbol("p_y", positive=True)
p_o = sp.Symbol("p_o", positive=True)
_P_Y = 1 - eps + eps / K
_P_O = eps / K
_EPS_BELOW_1 = Hypothesis("H1", Lt(eps, 1), "the smoothing weight is below 1")
_AT_OPT_Y = Hypothesis("H2", Eq(p_y, _P_Y), "at the optimum the true class gets its target")
_AT_OPT_O = Hypothesis("H3", Eq(p_o, _P_O), "and a wrong class gets its target")

_RATIO = 1 + K * (1 - eps) / eps

LABEL_SMOOTHING_OPTIMAL_LEAD = Derivation(
    id="label-smoothing-optimal-lead",
    title="How far ahead the true class is at the optimum of label smoothing",
    statement=r"Where the smoothed loss is smallest, the prediction equals the smoothed target "
    r"(there the gradient, prediction minus smoothed target, vanishes), and the true class "
    r"is [[result]] times as probable as any "
    r"other. For a softmax that ratio is $e^{z_y - z_o}$, so the true logit leads every other "
    r"by the log of it: a finite lead, which grows as $\varepsilon$ shrinks.",
    assumptions=Assumptions(
        r"At the optimum of the smoothed loss over $K$ classes, $p_y$ is the probability of the "
        r"true class $y$ and $p_o$ that of any other class $o$; $\varepsilon$ is the smoothing "
        r"weight.",
        (K, p_y, p_o, eps),
        (),
        (),
        SIZES,
        hypotheses=(_EPS_BELOW_1, _AT_OPT_Y, _AT_OPT_O),
    ),
    steps=(
        Step(
            Eq(frac(p_y, p_o), frac(_P_Y, _P_O)),
            "the probabilities at the optimum",
            (_AT_OPT_Y, _AT_OPT_O),
        ),
        Step(frac(K * (1 - eps) + eps, eps), r"multiply the top and the bottom by $K$"),
        Step(_RATIO, r"divide each term of the top by $\varepsilon$"),
    ),
    result=Eq(frac(p_y, p_o), _RATIO),
)

# -- temperature scaling: the loss is convex in the inverse temperature (an exercise) --------

beta = sp.Symbol("beta", real=True)
ell = sp.Function("L")
q = sp.IndexedBase("q", positive=True)
_NORM = sp.Sum(sp.exp(beta * z[k]), (k, 1, K))
p_s = sp.IndexedBase("p", positive=True)
SCALED_SOFTMAX = Definition(p_s[i], sp.exp(beta * z[i]) / sp.Sum(sp.exp(beta * z[k]), (k, 1, K)))
TEMPERED_LOSS = Definition(ell(beta), sp.log(_NORM) - beta * z[y])
_MEAN_Z = sp.Sum(p_s[i] * z[i], (i, 1, K))
_SLOPE = _MEAN_Z - z[y]
_VAR = sum_k(p_s[k] * (z[k] - _MEAN_Z) ** 2)
_Q_SUMS = Eq(sum_k(p_s[k]), 1)

TEMPERATURE_CONVEX = Derivation(
    id="temperature-loss-convex",
    title="Cross-entropy is convex in the inverse temperature",
    statement=r"For one sample with logits $z$ and true class $y$, the cross-entropy $L(\beta)$ "
    r"after multiplying the logits by $\beta$ has the slope [[result:0]], the mean logit under the "
    r"scaled prediction minus the true logit, and the curvature [[result:1]], the variance of "
    r"the logits under that prediction, so [[result:2]]. A mean over samples of convex "
    r"functions is convex, so the mean cross-entropy is convex in $\beta$ too.",
    assumptions=Assumptions(
        r"$K$ classes with real logits $z_1, \dots, z_K$ and the true class $y$; $\beta$ is the "
        r"inverse temperature, $p$ the softmax of the scaled logits $\beta z$, and "
        r"$L(\beta)$ the cross-entropy of $p$ for the class $y$.",
        (K, i, k, y, z, p_s, beta),
        (SCALED_SOFTMAX, TEMPERED_LOSS),
        ((i, K), (y, K)),
        SIZES,
    ),
    steps=(
        Step(
            Eq(
                sp.Derivative(ell(beta), beta),
                frac(sum_k(z[k] * sp.exp(beta * z[k])), _NORM) - z[y],
            ),
            r"definition of $L$; the derivative of a log is the derivative over the value",
        ),
        Step(_SLOPE, r"definition of $p$"),
        Step(
            Eq(
                sp.Derivative(ell(beta), beta, 2),
                frac(sum_k(z[k] ** 2 * sp.exp(beta * z[k])), _NORM)
                - frac(sum_k(z[k] * sp.exp(beta * z[k])), _NORM) ** 2,
            ),
            "differentiate the slope again: the quotient rule",
        ),
        Step(sum_k(p_s[k] * z[k] ** 2) - _MEAN_Z**2, r"definition of $p$"),
        Step(
            _VAR,
            r"expand the square; the $p_k$ sum to 1",
            (_Q_SUMS,),
        ),
        Step(Ge(_VAR, 0), "positive weights times squares"),
    ),
    result=(
        Eq(sp.Derivative(ell(beta), beta), _SLOPE),
        Eq(sp.Derivative(ell(beta), beta, 2), _VAR),
        Ge(sp.Derivative(ell(beta), beta, 2), 0),
    ),
)


# -- following the distance-scaled field still lowers cross-entropy --------------------------

p1, p2, p3 = sp.symbols("p_1 p_2 p_3", positive=True)
Dot = Notation(r"F \cdot \nabla L")
_PRODUCTS = terms(product(p1 - 1, p1 - 1), product(p2, p2), product(frac(p3, 2), p3))
FIELD_DOT = Definition(Dot, _PRODUCTS)

DISTANCE_FIELD_DESCENDS = Derivation(
    id="distance-field-descends",
    title="Following the distance-scaled field still lowers cross-entropy",
    statement=r"With three ordered classes, true class 1 and the wrong classes 2 and 3 at "
    r"distances 1 and 2, the distance-scaled field $F$ (components $p_1 - 1$, $p_2$ and "
    r"$p_3 / 2$) and the cross-entropy gradient $\nabla L$ (components $p_1 - 1$, $p_2$ and $p_3$) "
    r"have the inner product [[result:0]], so [[result:1]]: a small step against $F$ is a "
    r"step downhill for plain cross-entropy, at every point.",
    assumptions=Assumptions(
        r"$p_1, p_2, p_3$ are the softmax probabilities of three ordered classes, class 1 the "
        r"true one; $F$ is the field proposed by the notes on network mechanics and "
        r"$\nabla L$ the gradient of cross-entropy with respect to the logits; "
        r"$F \cdot \nabla L$ is the sum of the products of their components.",
        (p1, p2, p3),
        (FIELD_DOT,),
    ),
    steps=(
        Step(
            Eq(Dot, _PRODUCTS),
            r"definition of $F \cdot \nabla L$",
        ),
        Step(terms((p1 - 1) ** 2, p2**2, frac(p3**2, 2)), "collect the squares"),
        Step(
            Gt(terms((p1 - 1) ** 2, p2**2, frac(p3**2, 2)), 0),
            r"squares are at least 0, and $p_2$ is positive",
        ),
    ),
    result=(
        Eq(Dot, terms((p1 - 1) ** 2, p2**2, frac(p3**2, 2))),
        Gt(Dot, 0),
    ),
)

# -- what the variants of cross-entropy reward: the minimiser of the expected loss ------------

c = sp.Symbol("c", integer=True, positive=True)
pi_ = sp.IndexedBase("pi", positive=True)
r = sp.IndexedBase(r"\tilde{\pi}", positive=True)
w = sp.IndexedBase("w", positive=True)
W = sp.Symbol(r"\bar{w}", positive=True)
L_bar = Notation(r"\bar L")
L_w = Notation(r"\bar L_w")
_T_EPS = (1 - eps) * sp.KroneckerDelta(c, k) + eps / K
SMOOTHED_EXPECTED = Definition(
    L_bar, sp.Sum(pi_[c] * sp.Sum(-_T_EPS * sp.log(q[k]), (k, 1, K)), (c, 1, K))
)
_PI_SUMS = Hypothesis("H1", Eq(sp.Sum(pi_[c], (c, 1, K)), 1), "the class probabilities sum to 1")
_SMOOTHED_TRUTH = (1 - eps) * pi_[k] + eps / K

LABEL_SMOOTHING_EXPECTED = Derivation(
    id="label-smoothing-expected-loss",
    title="Label smoothing rewards the smoothed truth, not the truth",
    statement=r"If the true class is $c$ with probability $\pi_c$, the expected smoothed loss "
    r"of a prediction $q$ is [[result]]: the cross-entropy of $q$ against the smoothed truth "
    r"$(1 - \varepsilon)\,\pi + \varepsilon / K$. By Gibbs' inequality it is "
    r"smallest when $q$ is that smoothed truth, so a model trained to the optimum reports it, "
    r"not $\pi$.",
    assumptions=Assumptions(
        r"$K$ classes; the true class is $c$ with probability $\pi_c$; a prediction $q$ and "
        r"the smoothing weight $\varepsilon$; the smoothed target of class $c$ is "
        r"$(1 - \varepsilon)\,\delta_{ck} + \varepsilon / K$ for class $k$, and $\bar L$ is the "
        r"expected smoothed loss.",
        (K, c, k, pi_, q, eps),
        (SMOOTHED_EXPECTED,),
        ((c, K), (k, K)),
        ((K, (2, 3)),),
        hypotheses=(_PI_SUMS,),
    ),
    steps=(
        Step(
            Eq(
                L_bar,
                -sp.Sum(sp.Sum(pi_[c] * _T_EPS, (c, 1, K)) * sp.log(q[k]), (k, 1, K)),
            ),
            r"definition of $\bar L$; exchange the two sums",
        ),
        Step(
            -sp.Sum(
                ((1 - eps) * pi_[k] + eps / K * sp.Sum(pi_[c], (c, 1, K))) * sp.log(q[k]),
                (k, 1, K),
            ),
            r"the delta picks $c = k$",
        ),
        Step(
            -sp.Sum(_SMOOTHED_TRUTH * sp.log(q[k]), (k, 1, K)),
            r"the $\pi_c$ sum to 1",
            (_PI_SUMS,),
        ),
    ),
    result=Eq(L_bar, -sp.Sum(_SMOOTHED_TRUTH * sp.log(q[k]), (k, 1, K))),
)

WEIGHTED_EXPECTED = Definition(L_w, -sp.Sum(w[c] * pi_[c] * sp.log(q[c]), (c, 1, K)))
REWEIGHTED = Definition(r[c], frac(w[c] * pi_[c], W))

CLASS_WEIGHTS_EXPECTED = Derivation(
    id="class-weights-expected-loss",
    title="Class weights reward a reweighted truth",
    statement=r"If the true class is $c$ with probability $\pi_c$ and its loss is multiplied "
    r"by $w_c$, the expected weighted loss of a prediction $q$ is [[result]]: the mean weight "
    r"$\bar w$ times the "
    r"cross-entropy of $q$ against $\tilde\pi$, the truth reweighted by the class weights. "
    r"By Gibbs' inequality it is smallest when $q$ is $\tilde\pi$, not $\pi$; dividing each "
    r"probability of such a model by its class weight and normalising gives $\pi$ back.",
    assumptions=Assumptions(
        r"$K$ classes; the true class is $c$ with probability $\pi_c$ and class weight $w_c$; a "
        r"prediction $q$; $\bar w$, the mean class weight, is the sum of the $w_c \pi_c$ over "
        r"the classes, so the $\tilde\pi_c$ "
        r"sum to 1; $\bar L_w$ is the expected weighted loss.",
        (K, c, pi_, w, q, W, r),
        (WEIGHTED_EXPECTED, REWEIGHTED),
        ((c, K),),
        ((K, (2, 3)),),
    ),
    steps=(
        Step(
            Eq(L_w, -sp.Sum(w[c] * pi_[c] * sp.log(q[c]), (c, 1, K))),
            r"definition of $\bar L_w$",
        ),
        Step(
            -W * sp.Sum(r[c] * sp.log(q[c]), (c, 1, K)),
            r"multiply and divide each term by $\bar w$; definition of $\tilde\pi$",
        ),
    ),
    result=Eq(L_w, -W * sp.Sum(r[c] * sp.log(q[c]), (c, 1, K))),
)

#: The chapter whose page shows these derivations.
CHAPTER = "beyond"

# -- the robust losses for noisy labels: MAE and GCE -------------------------------------------

_MAE = Definition(L, 2 * (1 - p[y]))

MAE_GRADIENT = Derivation(
    id="mae-gradient",
    title="The gradient of the absolute error to a one-hot target",
    statement=r"Summed over the classes, the absolute error between $p$ and the one-hot target "
    r"of the true class $y$ is $2(1 - p_y)$. Its gradient is [[result]]: the cross-entropy "
    r"gradient $p - e_y$ times $2 p_y$, which vanishes for the examples the model most "
    r"disbelieves.",
    assumptions=Assumptions(
        SOFTMAX_TEXT + r" $y$ is the true class and $L$ the summed absolute error.",
        (K, i, j, k, y, z, p),
        (SOFTMAX, _MAE),
        (*INDICES, (y, K)),
        ((K, (2, 3)),),
    ),
    steps=(
        Step(Eq(_DL, -2 * sp.Derivative(p[y], z[j])), "definition of $L$"),
        Step(
            -2 * _PARTIAL_PY,
            "the partial derivatives of the softmax",
            cites=("softmax-partials",),
        ),
        Step(sp.Mul(2 * p[y], p[j] - _DELTA_JY, evaluate=False), "flip the sign"),
    ),
    result=Eq(_DL, 2 * p[y] * (p[j] - _DELTA_JY)),
)

q_gce = sp.Symbol("q", positive=True)
_GCE = Definition(L, (1 - p[y] ** q_gce) / q_gce)

GCE_GRADIENT = Derivation(
    id="gce-gradient",
    title="The gradient of the generalized cross-entropy",
    statement=r"The generalized cross-entropy of Zhang and Sabuncu, $(1 - p_y^{q}) / q$ for an "
    r"exponent $q$ between 0 and 1, has the gradient [[result]]: the cross-entropy gradient "
    r"$p - e_y$ times $p_y^{q}$. As $q$ falls to 0 the factor tends to 1, that of "
    r"cross-entropy; for the exponent 1 it is $p_y$, half the factor of the absolute error.",
    assumptions=Assumptions(
        SOFTMAX_TEXT + r" $y$ is the true class, $q$ a positive exponent and $L$ the loss.",
        (K, i, j, k, y, z, p, q_gce),
        (SOFTMAX, _GCE),
        (*INDICES, (y, K)),
        ((K, (2, 3)),),
    ),
    steps=(
        Step(
            Eq(_DL, -(p[y] ** (q_gce - 1)) * sp.Derivative(p[y], z[j])),
            "definition of $L$; chain rule",
        ),
        Step(
            -(p[y] ** (q_gce - 1)) * _PARTIAL_PY,
            "the partial derivatives of the softmax",
            cites=("softmax-partials",),
        ),
        Step(
            sp.Mul(p[y] ** q_gce, p[j] - _DELTA_JY, evaluate=False), "multiply out; flip the sign"
        ),
    ),
    result=Eq(_DL, p[y] ** q_gce * (p[j] - _DELTA_JY)),
)


DERIVATIONS = (
    FOCAL_LOSS_GRADIENT,
    FOCAL_WEIGHT_NONNEGATIVE,
    EMD_ORDINAL_GRADIENT,
    DISTANCE_SCALED_GRADIENT_NOT_CONSERVATIVE,
    DISTANCE_TIMES_GRADIENT_NOT_CONSERVATIVE,
    LABEL_SMOOTHING_OPTIMAL_LEAD,
    TEMPERATURE_CONVEX,
    DISTANCE_FIELD_DESCENDS,
    LABEL_SMOOTHING_EXPECTED,
    CLASS_WEIGHTS_EXPECTED,
    MAE_GRADIENT,
    GCE_GRADIENT,
)
