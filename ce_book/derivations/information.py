r"""Derivations from information theory: cross-entropy as entropy plus KL, log bases, the
tangent bound of the logarithm, Gibbs' inequality and the bounds of entropy."""

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
b = sp.Symbol("b", positive=True)
H_pq = Notation("H(p, q)")
H_p = Notation("H(p)")
KL = Notation(r"D_{\mathrm{KL}}(p \,\|\, q)")
H_b = Notation("H_b(p, q)")

ENTROPY = Definition(H_p, -sum_k(p[k] * sp.log(p[k])))
CROSS_ENTROPY = Definition(H_pq, -sum_k(p[k] * sp.log(q[k])))
KL_DIVERGENCE = Definition(KL, sum_k(p[k] * sp.log(p[k] / q[k])))
CROSS_ENTROPY_BASE = Definition(H_b, -sum_k(p[k] * LogBase(q[k], b)))

_TEXT = (
    r"$p$ and $q$ are distributions over $K$ outcomes with no zero entry; $H(p, q)$ is the "
    r"cross-entropy, $H(p)$ the entropy and $D_{\mathrm{KL}}(p \,\|\, q)$ the KL divergence, "
    r"all in nats."
)
_P_SUMS = Hypothesis("H1", Eq(sum_k(p[k]), 1), "$p$ sums to 1")
_Q_SUMS = Hypothesis("H2", Eq(sum_k(q[k]), 1), "$q$ sums to 1")

CE_ENTROPY_KL = Derivation(
    id="ce-entropy-kl",
    title="Cross-entropy is entropy plus KL divergence",
    statement=r"For any two distributions $p$ and $q$ with no zero entry, [[result]]: the entropy, "
    r"which $q$ cannot change, plus the divergence.",
    assumptions=Assumptions(
        _TEXT, (K, k, p, q), (ENTROPY, CROSS_ENTROPY, KL_DIVERGENCE), (), SIZES
    ),
    steps=(
        Step(Eq(H_pq, CROSS_ENTROPY.rhs), "definition of cross-entropy"),
        Step(
            terms(-sum_k(p[k] * sp.log(p[k])), sum_k(p[k] * (sp.log(p[k]) - sp.log(q[k])))),
            r"add and subtract $\sum_k p_k \log p_k$",
        ),
        Step(terms(ENTROPY.rhs, KL_DIVERGENCE.rhs), r"$\log a - \log b = \log(a / b)$"),
        Step(terms(H_p, KL), "definitions of entropy and KL divergence"),
    ),
    result=Eq(H_pq, terms(H_p, KL)),
)

_BASE = Hypothesis("H1", sp.Ne(b, 1), "a base other than 1")

LOG_BASE_CHANGE = Derivation(
    id="log-base-change",
    title="Changing the base of the logarithm rescales cross-entropy",
    statement=r"Measured with logarithms to a base $b$, [[result:0]]: a constant factor, "
    r"positive for every base above 1 (such as 2 or $e$), so the gradient only scales, "
    r"[[result:1]], and the minimising $q$ is the same in bits, nats or any other unit.",
    assumptions=Assumptions(
        r"$p$ and $q$ are distributions over $K$ outcomes with no zero entry; $H(p, q)$ is "
        r"the cross-entropy in nats, $b$ is the base, and $H_b$ is $H$ with $\log_b$ in place "
        r"of the natural $\log$.",
        (K, k, j, p, q, b),
        (CROSS_ENTROPY, CROSS_ENTROPY_BASE),
        ((j, K),),
        SIZES,
        hypotheses=(_BASE,),
    ),
    steps=(
        Step(Eq(H_b, CROSS_ENTROPY_BASE.rhs), "definition of $H_b$"),
        Step(
            -sum_k(p[k] * frac(sp.log(q[k]), sp.log(b))),
            r"$\log_b x = \log x / \log b$",
            (_BASE,),
        ),
        Step(
            product(frac(1, sp.log(b)), -sum_k(p[k] * sp.log(q[k]))),
            r"$1 / \log b$ does not depend on $k$",
        ),
        Step(frac(H_pq, sp.log(b)), "definition of $H(p, q)$"),
        Step(
            Eq(sp.Derivative(H_b, q[j]), product(frac(1, sp.log(b)), sp.Derivative(H_pq, q[j]))),
            "the derivative of a constant multiple",
        ),
    ),
    result=(
        Eq(H_b, H_pq / sp.log(b)),
        Eq(sp.Derivative(H_b, q[j]), sp.Derivative(H_pq, q[j]) / sp.log(b)),
    ),
)

# -- the tangent bound of the logarithm, and Gibbs' inequality --------------------------------

x = sp.Symbol("x", positive=True)
_GAP = x - 1 - sp.log(x)

LOG_TANGENT_BOUND = Derivation(
    id="log-tangent-bound",
    title="The logarithm lies below its tangent at 1",
    statement=r"For every positive $x$, [[result]], with equality only at 1: the graph of the "
    r"logarithm lies below its tangent line there.",
    assumptions=Assumptions(r"$x$ is a positive number.", (x,)),
    steps=(
        Step(Eq(sp.Derivative(_GAP, x), 1 - 1 / x), "differentiate"),
        Step(
            frac(x - 1, x),
            "one fraction: negative below 1, positive above, so the gap falls and then rises",
        ),
        Step(
            Le(sp.log(x), x - 1),
            r"the gap $x - 1 - \log x$ is least at 1, where it is 0",
        ),
    ),
    result=Le(sp.log(x), x - 1),
)

_RATIO_SUM = sum_k(p[k] * sp.log(q[k] / p[k]))
_TANGENT_SUM = sum_k(p[k] * (q[k] / p[k] - 1))

GIBBS_INEQUALITY = Derivation(
    id="gibbs-inequality",
    title="Gibbs' inequality: the KL divergence is never negative",
    statement=r"For any two distributions $p$ and $q$, [[result]].",
    assumptions=Assumptions(
        _TEXT + r" Zero entries change nothing: outcomes $p$ never produces drop out of every "
        r"sum, the $q_k$ left add up to at most 1, which only strengthens the last line, and "
        r"where $q$ alone is zero the divergence is infinite.",
        (K, k, p, q),
        (KL_DIVERGENCE,),
        (),
        SIZES,
        hypotheses=(_P_SUMS, _Q_SUMS),
    ),
    steps=(
        Step(Eq(KL, KL_DIVERGENCE.rhs), "definition of the KL divergence"),
        Step(-_RATIO_SUM, r"$\log(a / b) = -\log(b / a)$"),
        Step(
            Ge(-_RATIO_SUM, -_TANGENT_SUM),
            r"put $x = q_k / p_k$",
            cites=("log-tangent-bound",),
        ),
        Step(terms(sum_k(p[k]), -sum_k(q[k])), "multiply out"),
        Step(sp.S.Zero, "both distributions sum to 1", (_P_SUMS, _Q_SUMS)),
    ),
    result=Ge(KL, 0),
)

# -- the bounds of entropy ---------------------------------------------------------------------

_AT_MOST_1 = Hypothesis("H2", Le(p[k], 1), "no probability exceeds 1")
_UNIFORM_RATIO = sum_k(p[k] * sp.log(1 / (K * p[k])))
_UNIFORM_TANGENT = sum_k(p[k] * (1 / (K * p[k]) - 1))

ENTROPY_BOUNDS = Derivation(
    id="entropy-bounds",
    title="Entropy lies between 0 and the log of the number of outcomes",
    statement=r"For a distribution over $K$ outcomes, [[result:0]] and [[result:1]].",
    assumptions=Assumptions(
        r"$p$ is a distribution over $K$ outcomes with no zero entry and $H(p)$ its entropy, in "
        r"nats. Outcomes of probability 0 add nothing to the entropy, so the bounds hold for "
        r"every distribution.",
        (K, k, p),
        (ENTROPY,),
        (),
        SIZES,
        hypotheses=(_P_SUMS, _AT_MOST_1),
    ),
    steps=(
        Step(Eq(H_p, ENTROPY.rhs), "definition of entropy"),
        Step(
            Ge(ENTROPY.rhs, 0),
            r"every term is at least 0, since a probability at most 1 has $\log p_k \le 0$",
            (_AT_MOST_1,),
        ),
        Step(
            Eq(H_p, terms(sp.log(K), _UNIFORM_RATIO)),
            r"add and subtract $\log K$, which is $\sum_k p_k \log K$",
            (_P_SUMS,),
        ),
        Step(
            Le(terms(sp.log(K), _UNIFORM_RATIO), terms(sp.log(K), _UNIFORM_TANGENT)),
            r"put $x = 1 / (K p_k)$",
            cites=("log-tangent-bound",),
        ),
        Step(terms(sp.log(K), 1, -sum_k(p[k])), "multiply out"),
        Step(sp.log(K), "the probabilities sum to 1", (_P_SUMS,)),
    ),
    result=(Ge(H_p, 0), Le(H_p, sp.log(K))),
)

# -- the chain rule of entropy -----------------------------------------------------------------

M = sp.Symbol("M", integer=True, positive=True)
xv, yv = sp.symbols("x y", integer=True, positive=True)


class _Prob(sp.Indexed):
    """A probability written as a function of its outcomes, ``p(x, y)`` or ``p(x)``, as the
    chapter's prose writes it; to the checker it is an ordinary indexed symbol."""

    def _latex(self, printer, exp: str | None = None, **kwargs) -> str:
        out = "p(" + ", ".join(printer._print(i) for i in self.indices) + ")"
        return f"{out}^{{{exp}}}" if exp else out


class _ProbBase(sp.IndexedBase):
    def __getitem__(self, indices, **kw_args):
        indices = tuple(indices) if isinstance(indices, tuple | list) else (indices,)
        return _Prob(self, *indices, **kw_args)


pj = _ProbBase("p", positive=True)  # p(x, y): the joint probability of x and y
px = _ProbBase("p^{X}", positive=True)  # p(x): the probability of x, summed over y
H_XY = Notation("H(X, Y)")
H_X = Notation("H(X)")
H_Y_X = Notation(r"H(Y \mid X)")


def _sum_x(expr: sp.Basic) -> sp.Sum:
    return sp.Sum(expr, (xv, 1, M))


def _sum_y(expr: sp.Basic) -> sp.Sum:
    return sp.Sum(expr, (yv, 1, K))


_COND = frac(pj[xv, yv], px[xv])
MARGINAL = Definition(px[xv], _sum_y(pj[xv, yv]))
JOINT_ENTROPY = Definition(H_XY, -_sum_x(_sum_y(pj[xv, yv] * sp.log(pj[xv, yv]))))
MARGINAL_ENTROPY = Definition(H_X, -_sum_x(px[xv] * sp.log(px[xv])))
CONDITIONAL_ENTROPY = Definition(
    H_Y_X, -_sum_x(product(px[xv], _sum_y(product(_COND, sp.log(_COND)))))
)

ENTROPY_CHAIN_RULE = Derivation(
    id="entropy-chain-rule",
    title="The chain rule: the entropy of a pair is that of the first plus the conditional one",
    statement=r"For any joint distribution of $X$ and $Y$, [[result]].",
    assumptions=Assumptions(
        r"$X$ takes $M$ values $x$ and $Y$ takes $K$ values $y$; $p(x, y)$ is their joint "
        r"distribution, with no zero entry, and $p(x)$ the distribution of $X$ alone, so "
        r"that $p(x, y) / p(x)$ is the conditional probability $p(y \mid x)$. All "
        r"entropies are in nats.",
        (M, K, xv, yv, pj),
        (MARGINAL, JOINT_ENTROPY, MARGINAL_ENTROPY, CONDITIONAL_ENTROPY),
        (),
        ((M, (1, 2, 3)), (K, (2, 3))),
    ),
    steps=(
        Step(Eq(H_XY, JOINT_ENTROPY.rhs), "definition of the joint entropy"),
        Step(
            -_sum_x(_sum_y(product(pj[xv, yv], terms(sp.log(px[xv]), sp.log(_COND))))),
            r"$p(x, y)$ is $p(x)$ times $p(y \mid x)$; the log of a product is a sum",
        ),
        Step(
            terms(
                -_sum_x(product(_sum_y(pj[xv, yv]), sp.log(px[xv]))),
                -_sum_x(_sum_y(product(pj[xv, yv], sp.log(_COND)))),
            ),
            r"split the sum; $\log p(x)$ does not depend on $y$",
        ),
        Step(
            terms(
                -_sum_x(px[xv] * sp.log(px[xv])),
                -_sum_x(product(px[xv], _sum_y(product(_COND, sp.log(_COND))))),
            ),
            r"summing $p(x, y)$ over $y$ gives $p(x)$; multiply and divide by $p(x)$",
        ),
        Step(terms(H_X, H_Y_X), "definitions of the two entropies"),
    ),
    result=Eq(H_XY, terms(H_X, H_Y_X)),
)

# -- the KL divergence near its minimum grows like a square ------------------------------------

s_ = sp.Symbol("s", real=True)
delta = sp.IndexedBase("delta", real=True)
D_s = sp.Function("D")(s_)
_SHIFTED = terms(p[k], product(s_, delta[k]))
KL_PATH = Definition(D_s, sum_k(p[k] * sp.log(frac(p[k], _SHIFTED))))
_SHIFTS_SUM = Hypothesis("H1", Eq(sum_k(delta[k]), 0), r"the shifts $\delta_k$ sum to 0")
_D1 = sp.Derivative(D_s, s_)
_D2 = sp.Derivative(D_s, (s_, 2))


def _at_s0(expr: sp.Basic) -> sp.Subs:
    """``expr`` at ``s = 0``, where the model is the truth."""
    return sp.Subs(expr, s_, 0)


_CURVATURE = sum_k(frac(delta[k] ** 2, p[k]))

KL_QUADRATIC = Derivation(
    id="kl-quadratic",
    title="Near its minimum the KL divergence grows like a square",
    statement=r"Move the model from $p$ to $p + s\,\delta$ along shifts $\delta_k$ that sum "
    r"to 0, and let $D(s)$ be the divergence of the moved model from $p$. At $s$ zero, "
    r"[[result:0]] and [[result:1]], while [[result:2]]; so, to second order in $s$, the "
    r"divergence is half of $s^2$ times that sum.",
    assumptions=Assumptions(
        r"$p$ is a distribution over $K$ outcomes with no zero entry; the shifts $\delta_k$ are "
        r"real numbers and $s$ is small enough that every $p_k + s\,\delta_k$ stays positive, "
        r"so the moved model is a distribution; $D(s)$ is "
        r"$D_{\mathrm{KL}}(p \,\|\, p + s\,\delta)$ in nats, and a vertical bar marks a "
        r"value at $s$ zero.",
        (K, k, p, delta, s_),
        (KL_PATH,),
        (),
        SIZES,
        hypotheses=(_SHIFTS_SUM,),
    ),
    steps=(
        Step(Eq(D_s, KL_PATH.rhs), "definition of the KL divergence"),
        Step(
            Eq(_D1, -sum_k(frac(p[k] * delta[k], _SHIFTED))),
            r"differentiate each term: only $\log(p_k + s\,\delta_k)$ depends on $s$",
        ),
        Step(
            Eq(_D2, sum_k(frac(p[k] * delta[k] ** 2, _SHIFTED**2))),
            "differentiate again",
        ),
        Step(Eq(_at_s0(D_s), 0), r"at $s$ zero every ratio in line 1 is 1"),
        Step(Eq(_at_s0(_D1), -sum_k(delta[k])), r"line 2 at $s$ zero"),
        Step(sp.S.Zero, "the shifts sum to 0", (_SHIFTS_SUM,)),
        Step(Eq(_at_s0(_D2), _CURVATURE), r"line 3 at $s$ zero"),
    ),
    result=(
        Eq(_at_s0(D_s), 0),
        Eq(_at_s0(_D1), 0),
        Eq(_at_s0(_D2), _CURVATURE),
    ),
)

#: The chapter whose page shows these derivations.
CHAPTER = "information"

DERIVATIONS = (
    CE_ENTROPY_KL,
    LOG_BASE_CHANGE,
    LOG_TANGENT_BOUND,
    GIBBS_INEQUALITY,
    ENTROPY_BOUNDS,
    ENTROPY_CHAIN_RULE,
    KL_QUADRATIC,
)
