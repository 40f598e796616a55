"""Symbols shared by the vector derivations: K classes, logits z, softmax p, targets t."""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.diagonal import DiagMatrix

from ce_book.derivations.model import Definition

K = sp.Symbol("K", integer=True, positive=True)
i, j, k = sp.symbols("i j k", integer=True, positive=True)
z = sp.IndexedBase("z", real=True)
p = sp.IndexedBase("p", positive=True)
t = sp.IndexedBase("t", real=True)
v = sp.IndexedBase("v", real=True)
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
    r"$K \ge 2$ classes with real logits $z_1, \dots, z_K$, and "
    r"$p_i = e^{z_i} / \sum_{k=1}^{K} e^{z_k}$ the softmax, so every $p_i > 0$ and "
    r"$\sum_i p_i = 1$. Indices $i, j$ run over $1, \dots, K$; $\delta_{ij}$ is 1 when "
    r"$i = j$ and 0 otherwise."
)


def frac(top: sp.Basic, bottom: sp.Basic) -> sp.Mul:
    """``top / bottom`` kept as written (SymPy would otherwise merge it into its neighbours)."""
    return sp.Mul(top, sp.Pow(bottom, -1, evaluate=False), evaluate=False)


def sum_k(expr: sp.Basic) -> sp.Sum:
    """``sum_{k=1}^{K} expr``."""
    return sp.Sum(expr, (k, 1, K))
