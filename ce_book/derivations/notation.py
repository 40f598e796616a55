"""Symbols shared by the vector derivations: K classes, logits z, softmax p, targets t."""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.diagonal import DiagMatrix

from ce_book.derivations.model import Definition, Eq
from ce_book.derivations.render import as_written

K = sp.Symbol("K", integer=True, positive=True)
i, j, k = sp.symbols("i j k", integer=True, positive=True)
z = sp.IndexedBase("z", real=True)
p = sp.IndexedBase("p", positive=True)
t = sp.IndexedBase("t", real=True)
v = sp.IndexedBase("v", real=True)  # a teacher's logits (distillation)
u = sp.IndexedBase("u", real=True)  # any real vector
J = sp.IndexedBase("J", real=True)

SIZES = ((K, (2, 3, 4, 5)),)
INDICES = ((i, K), (j, K))

SOFTMAX_SUM = sp.Sum(sp.exp(z[k]), (k, 1, K))
SOFTMAX = Definition(p[i], sp.exp(z[i]) / SOFTMAX_SUM)
JACOBIAN = Definition(J[i, j], sp.Derivative(p[i], z[j]))
DELTA = sp.KroneckerDelta(i, j)

P_VEC = sp.MatrixSymbol("p", K, 1)
J_MAT = sp.MatrixSymbol("J", K, K)
DIAG_P = DiagMatrix(P_VEC)
ONES = sp.OneMatrix(K, 1)
ARRAYS = ((P_VEC, p), (J_MAT, J))

SOFTMAX_TEXT = (
    r"$K$ classes with real logits $z_1, \dots, z_K$ and their softmax $p$; the indices $i$ "
    r"and $j$ name classes, and $\delta_{ij}$ is the Kronecker delta (1 for the same class, "
    r"0 otherwise)."
)
#: The softmax outputs sum to 1 (proved from the definition where it is used).
SUM_P = Eq(sp.Sum(p[k], (k, 1, K)), 1)


def frac(top: sp.Basic, bottom: sp.Basic) -> sp.Mul:
    """``top / bottom`` kept as written (SymPy would otherwise merge it into its neighbours)."""
    return sp.Mul(top, sp.Pow(bottom, -1, evaluate=False), evaluate=False)


def product(*factors: sp.Basic) -> sp.Mul:
    """A product kept as written: shown in this order, ``N`` and ``1 / N`` not cancelled."""
    return as_written(sp.Mul(*factors, evaluate=False))


def terms(*summands: sp.Basic) -> sp.Add:
    """A sum of terms kept as written, and shown in this order."""
    return as_written(sp.Add(*summands, evaluate=False))


class Notation(sp.Symbol):
    r"""A quantity with a name of its own, shown as that LaTeX: ``Notation(r"H(p, q)")``."""

    def _latex(self, printer) -> str:
        return self.name


class LogBase(sp.Function):
    r"""``\log_b x``, kept as written; it means ``log(x) / log(b)`` (``doit`` turns it into that).

    SymPy's own ``log(x, b)`` becomes ``log(x) / log(b)`` at once, so a step that changes the
    base would show the same line twice.
    """

    nargs = 2

    def doit(self, deep: bool = True, **hints) -> sp.Basic:
        x, b = (a.doit(deep=deep, **hints) for a in self.args) if deep else self.args
        return sp.log(x) / sp.log(b)

    def _latex(self, printer, exp: str | None = None) -> str:
        x, b = self.args
        inner = printer._print(x)
        simple = isinstance(x, sp.Symbol | sp.Indexed) or (x.is_Integer and x > 0)
        arg = inner if simple else rf"\left({inner}\right)"  # log_2 (p_k 2^{l_k}), bracketed
        out = rf"\log_{{{printer._print(b)}}} {arg}"
        return rf"\left({out}\right)^{{{exp}}}" if exp else out


def sum_k(expr: sp.Basic) -> sp.Sum:
    """``sum_{k=1}^{K} expr``."""
    return sp.Sum(expr, (k, 1, K))


class Log1p(sp.Function):
    r"""``\operatorname{log1p}(x)``, the library function for ``\log(1 + x)`` (``doit``)."""

    nargs = 1

    def doit(self, deep: bool = True, **hints) -> sp.Basic:
        (x,) = (a.doit(deep=deep, **hints) for a in self.args) if deep else self.args
        return sp.log(1 + x)

    def _latex(self, printer, exp: str | None = None) -> str:
        out = rf"\operatorname{{log1p}}\left({printer._print(self.args[0])}\right)"
        return rf"\left({out}\right)^{{{exp}}}" if exp else out
