r"""Derivations behind the stable formulas: the log-sum-exp shift, its ``log1p`` form for the
log-probability of a class, and the stable log-sigmoid."""

from __future__ import annotations

import sympy as sp

from ce_book.derivations.model import Assumptions, Definition, Derivation, Eq, Step
from ce_book.derivations.notation import (
    SIZES,
    SOFTMAX,
    K,
    Log1p,
    Notation,
    i,
    k,
    p,
    product,
    sum_k,
    terms,
    z,
)

m = sp.Symbol("m", real=True)
y = sp.Symbol("y", integer=True, positive=True)
LSE = Notation(r"\operatorname{LSE}(z)")
LOG_SUM_EXP = Definition(LSE, sp.log(sum_k(sp.exp(z[k]))))
_TEXT = r"$K$ classes with real logits $z_1, \dots, z_K$; $\operatorname{LSE}$ is log-sum-exp."
_SHIFTED = sum_k(sp.exp(z[k] - m))

LOG_SUM_EXP_SHIFT = Derivation(
    id="log-sum-exp-shift",
    title="Log-sum-exp is unchanged by a shift of the logits",
    statement=r"For any real $m$, [[result]]. With $m$ the largest logit every exponential on the "
    r"right is at most 1, so nothing overflows, and the largest one is exactly 1, so the sum "
    r"cannot underflow to 0.",
    assumptions=Assumptions(
        _TEXT + r" $m$ is any real number (the book takes the largest logit).",
        (K, k, z, m),
        (LOG_SUM_EXP,),
        (),
        SIZES,
    ),
    steps=(
        Step(Eq(LSE, LOG_SUM_EXP.rhs), "definition of log-sum-exp"),
        Step(
            sp.log(sum_k(product(sp.exp(m), sp.exp(z[k] - m)))),
            r"$e^{z_k} = e^{m} e^{z_k - m}$",
        ),
        Step(sp.log(product(sp.exp(m), _SHIFTED)), r"$e^{m}$ does not depend on $k$"),
        Step(terms(m, sp.log(_SHIFTED)), "the log of a product is the sum of the logs"),
    ),
    result=Eq(LSE, terms(m, sp.log(_SHIFTED))),
)


class SumExcept(sp.Sum):
    r"""A sum over all classes but one, ``sum_k (1 - delta_{k c}) f_k``, printed as
    ``\sum_{k \ne c} f_k``; it is an ordinary :class:`sympy.Sum` for the checker."""

    def _latex(self, printer, exp: str | None = None) -> str:
        idx = self.limits[0][0]
        keep, skip = [], None
        for factor in sp.Mul.make_args(self.function):
            deltas = factor.atoms(sp.KroneckerDelta)
            if skip is None and len(deltas) == 1 and factor == 1 - next(iter(deltas)):
                (skip,) = set(next(iter(deltas)).args) - {idx}
                continue
            keep.append(factor)
        if skip is None:
            return printer._print_Sum(self)
        body = printer._print(sp.Mul(*keep))
        out = rf"\sum_{{{printer._print(idx)} \ne {printer._print(skip)}}} {body}"
        return rf"\left({out}\right)^{{{exp}}}" if exp else out


def sum_except(expr: sp.Basic, skip: sp.Basic) -> SumExcept:
    """The sum of ``expr`` over every class ``k`` but ``skip``."""
    return SumExcept((1 - sp.KroneckerDelta(k, skip)) * expr, (k, 1, K))


_REST = sum_except(sp.exp(z[k] - z[y]), y)
#: The class with the largest logit; the shift m is its logit.
top = sp.Symbol("j^*", integer=True, positive=True)
r = Notation("r")
TOP_LOGIT = Definition(m, z[top])
_OTHERS = sum_except(sp.exp(z[k] - m), top)
OTHERS_WEIGHT = Definition(r, _OTHERS)

LOG_SOFTMAX_LOG1P = Derivation(
    id="log-softmax-log1p",
    title="The loss of a class as log1p of the other classes' weights",
    statement=r"For any class $y$, [[result:0]]: exact, but for a class far below the top its "
    r"terms overflow. Shifting by the largest logit $m$ instead gives [[result:1]], and so "
    r"[[result:2]]. Now every term of $r$ is at most 1, both terms of the loss are at least 0, "
    r"so their sum never cancels, and $\operatorname{log1p}$ keeps every digit of a tiny loss "
    r"that $\log(1 + r)$ would round to 0.",
    assumptions=Assumptions(
        _TEXT + r" $p$ is their softmax, $y$ the true class, $j^*$ the class with the largest "
        r"logit $m$ and $r$ the weight of the other classes after the shift by $m$; "
        r"$\operatorname{log1p}$ is the library function for the log of 1 plus its argument.",
        (K, k, y, top, z, p, m, r),
        (SOFTMAX, LOG_SUM_EXP, TOP_LOGIT, OTHERS_WEIGHT),
        ((i, K), (y, K), (top, K)),
        SIZES,
    ),
    steps=(
        Step(Eq(-sp.log(p[y]), -sp.log(SOFTMAX.rhs.xreplace({i: y}))), "definition of $p$"),
        Step(sp.log(sum_k(sp.exp(z[k] - z[y]))), r"divide above and below by $e^{z_y}$"),
        Step(sp.log(1 + _REST), r"the term of class $y$ is $e^{0} = 1$"),
        Step(Log1p(_REST), r"definition of $\operatorname{log1p}$"),
        Step(
            Eq(-sp.log(p[y]), terms(m - z[y], sp.log(sum_k(sp.exp(z[k] - m))))),
            r"definition of $p$; divide above and below by $e^{m}$ instead",
        ),
        Step(
            terms(m - z[y], sp.log(1 + _OTHERS)),
            r"definition of $m$: the term of class $j^*$ is $e^{0} = 1$",
        ),
        Step(terms(m - z[y], Log1p(r)), r"definitions of $r$ and of $\operatorname{log1p}$"),
        Step(Eq(LSE, terms(m, Log1p(r))), "the same steps without the true logit"),
    ),
    result=(
        Eq(-sp.log(p[y]), Log1p(_REST)),
        Eq(-sp.log(p[y]), terms(m - z[y], Log1p(r))),
        Eq(LSE, terms(m, Log1p(r))),
    ),
)

x = sp.Symbol("z", real=True)
sigma = sp.Function("sigma")
SIGMOID = Definition(sigma(x), 1 / (1 + sp.exp(-x)))
_STABLE = terms(sp.Min(x, 0), -Log1p(sp.exp(-sp.Abs(x))))

LOG_SIGMOID_STABLE = Derivation(
    id="log-sigmoid-stable",
    title="The log-sigmoid in a form that neither overflows nor rounds to log 0",
    statement=r"[[result]]: the only exponential is of a number that is not positive, and "
    r"$\operatorname{log1p}$ keeps the tiny values that $\log \sigma(z)$ takes for large "
    r"positive logits.",
    assumptions=Assumptions(
        r"$z$ is a logit and $\sigma$ the logistic sigmoid; $\operatorname{log1p}$ is the "
        r"library function for the log of 1 plus its argument.",
        (x,),
        (SIGMOID,),
    ),
    steps=(
        Step(Eq(sp.log(sigma(x)), sp.log(SIGMOID.rhs)), r"definition of $\sigma$"),
        Step(-sp.log(1 + sp.exp(-x)), "the log of a reciprocal"),
        Step(
            _STABLE,
            r"for a negative $z$, take $e^{-z}$ out of the logarithm: "
            r"$\log(1 + e^{-z}) = -z + \log(1 + e^{z})$; for $z \ge 0$ it is the same "
            r"expression, since then $\min(z, 0) = 0$ and $\lvert z\rvert = z$",
        ),
    ),
    result=Eq(sp.log(sigma(x)), _STABLE),
)

#: The chapter whose page shows these derivations.
CHAPTER = "stability"

DERIVATIONS = (LOG_SUM_EXP_SHIFT, LOG_SOFTMAX_LOG1P, LOG_SIGMOID_STABLE)
