r"""LaTeX for derivations, printed from the same SymPy objects that the checker proves.

The printer only changes how notation looks, never what is printed: ``p_{i}`` rather than
``{p}_{i}``, ``\sigma(z)`` rather than ``\sigma{\left(z \right)}``, ``\log q_{k}``,
``\operatorname{diag}(p)``, ``\frac{\partial p_{i}}{\partial z_{j}}``, and factors and terms in
a textbook's order. A product or sum built unevaluated (``Mul(..., evaluate=False)``) is
printed in the order it was written, so a step such as "multiply and divide by N" shows
``N \cdot \frac{1}{N}``; an evaluated one is put in the book's order: numbers, then
symbols, functions, Kronecker deltas, parenthesised sums of terms, exponentials, logarithms,
derivatives and, last, sums over an index (so that no factor reads as part of a summand);
positive terms before negative ones.
"""

from __future__ import annotations

from collections.abc import Iterable

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter

RELATION_LATEX = {sp.Eq: "=", sp.Ge: r"\geq", sp.Gt: ">", sp.Le: r"\leq", sp.Lt: "<"}
_ATOMS = sp.Symbol | sp.Indexed
_AS_WRITTEN: set[sp.Basic] = set()


class BookPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the book's notation and a textbook's order of factors."""

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        base = self._print(expr.base.label)
        indices = [self._print(i) for i in expr.indices]
        simple = all(
            isinstance(i, sp.Symbol | sp.Integer) and len(str(i)) == 1 for i in expr.indices
        )
        return f"{base}_{{{''.join(indices) if simple else ','.join(indices)}}}"

    def _print_KroneckerDelta(self, expr: sp.KroneckerDelta, exp: str | None = None) -> str:
        a, b = (self._print(i) for i in expr.args)
        out = rf"\delta_{{{a}{b}}}"
        return f"{out}^{{{exp}}}" if exp else out

    def _print_Function(self, expr, exp: str | None = None) -> str:
        if not isinstance(expr, AppliedUndef):
            return super()._print_Function(expr, exp)
        name = self._hprint_Function(expr.func.__name__)
        out = f"{name}{self._call(expr.args)}"
        return f"{out}^{{{exp}}}" if exp else out

    def _print_log(self, expr: sp.log, exp: str | None = None) -> str:
        (arg,) = expr.args
        inner = self._print(arg)
        simple = isinstance(arg, _ATOMS | AppliedUndef) or (arg.is_Integer and arg > 0)
        out = rf"\log {inner}" if simple else rf"\log\left({inner}\right)"
        return rf"\left({out}\right)^{{{exp}}}" if exp else out

    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        return r"\varepsilon" if expr.name == "epsilon" else super()._print_Symbol(expr, style)

    def _print_Sum(self, expr: sp.Sum) -> str:
        return self._big(r"\sum", expr)

    def _print_Product(self, expr: sp.Product) -> str:
        return self._big(r"\prod", expr)

    def _big(self, op: str, expr) -> str:
        """``\\sum`` or ``\\prod`` once per index, the outermost first."""
        out = ""
        for var, lo, hi in reversed(expr.limits):
            out += rf"{op}_{{{self._print(var)}={self._print(lo)}}}^{{{self._print(hi)}}} "
        body = self._print(expr.function)
        if isinstance(expr.function, sp.Add) or body.startswith("-"):
            body = rf"\left({body}\right)"
        return out + body

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        terms = list(expr.args) if _unevaluated(expr) else _textbook_terms(expr)
        out = ""
        for term in terms:
            tex = self._print(term)
            if not out:
                out = tex
            elif tex.startswith("-"):
                out += " - " + tex[1:].lstrip()
            else:
                out += " + " + tex
        return out

    def _print_Mul(self, expr) -> str:
        """A product: its sign, then its factors (one fraction, when SymPy built it)."""
        factors = list(sp.Mul.make_args(expr)) if isinstance(expr, sp.Mul) else [expr]
        written = isinstance(expr, sp.Mul) and _unevaluated(expr)
        if not written:
            factors = sorted(factors, key=_rank)
        sign = ""
        if factors[0].is_Number and factors[0].is_negative:
            sign, rest = "- ", -factors[0]
            factors = factors[1:] if rest == 1 and len(factors) > 1 else [rest, *factors[1:]]
            if len(factors) == 1 and isinstance(factors[0], sp.Add):  # -(1 - t), not -1 - t
                return rf"- \left({self._print(factors[0])}\right)"
        if written:  # as written; ``frac(a, b)`` is ``a`` times ``b`` to the power -1
            *top, last = factors
            if top and isinstance(last, sp.Pow) and last.exp == -1:
                return sign + rf"\frac{{{self._product(top)}}}{{{self._print(last.base)}}}"
            return sign + self._product(factors)
        top, bottom = [], []
        for f in factors:
            if f.is_Rational and not f.is_Integer:
                top += [sp.Integer(f.p)] if f.p != 1 else []
                bottom.append(sp.Integer(f.q))
            elif isinstance(f, sp.Pow) and f.exp.is_Number and f.exp.is_negative:
                bottom.append(f.base if f.exp == -1 else sp.Pow(f.base, -f.exp))
            else:
                top.append(f)
        if not bottom:
            return sign + self._product(top)
        after = [f for f in top if isinstance(f, sp.Derivative)]
        top = [f for f in top if not isinstance(f, sp.Derivative)]
        frac = rf"\frac{{{self._product(top) if top else '1'}}}{{{self._product(bottom)}}}"
        return sign + " ".join([frac, *(self._factor(f, False, True) for f in after)])

    def _product(self, factors: list) -> str:
        """Factors side by side; ``\\cdot`` before a number or a ``\\frac{1}{...}``."""
        if len(factors) == 1:
            return self._print(factors[0])
        out = ""
        for n, f in enumerate(factors):
            tex = self._factor(f, first=n == 0, last=n == len(factors) - 1)
            if out:
                out += r" \cdot " if tex[:1].isdigit() or tex.startswith(r"\frac{1}") else " "
            out += tex
        return out

    def _factor(self, f, first: bool, last: bool) -> str:
        tex = self._print(f)
        if (
            isinstance(f, sp.Add)
            or f.is_Relational
            or (not first and tex.startswith("-"))
            or (not last and f.has(sp.Sum, sp.Product) and not tex.startswith(r"\frac"))
        ):
            return rf"\left({tex}\right)"
        return tex

    def _print_DiagMatrix(self, expr) -> str:
        return rf"\operatorname{{diag}}\left({self._print(expr.args[0])}\right)"

    def _print_OneMatrix(self, expr) -> str:
        return r"\mathbf{1}"

    def _print_ZeroMatrix(self, expr) -> str:
        return r"\mathbf{0}"

    def _print_Transpose(self, expr) -> str:
        arg = self._print(expr.arg)
        if not isinstance(expr.arg, sp.MatrixSymbol):
            arg = rf"\left({arg}\right)"
        return rf"{arg}^{{\top}}"

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        inner = expr.expr
        order = sum(n for _, n in expr.variable_count)
        d = "d" if _univariate(inner, [v for v, _ in expr.variable_count]) else r"\partial"
        top = f"{d}^{{{order}}}" if order > 1 else d
        bottom = " ".join(
            f"{d} {self._print(v)}" + (f"^{{{n}}}" if n > 1 else "") for v, n in expr.variable_count
        )
        if isinstance(inner, _ATOMS | AppliedUndef):
            return rf"\frac{{{top} {self._print(inner)}}}{{{bottom}}}"
        if isinstance(inner, sp.log) and isinstance(inner.args[0], _ATOMS | AppliedUndef):
            return rf"\frac{{{top}}}{{{bottom}}} {self._print(inner)}"
        return rf"\frac{{{top}}}{{{bottom}}} \left({self._print(inner)}\right)"

    def _call(self, args) -> str:
        inner = ", ".join(self._print(a) for a in args)
        tall = any(x in inner for x in (r"\frac", r"\sum", "^"))
        return rf"\left({inner}\right)" if tall else f"({inner})"


def _univariate(inner: sp.Basic, variables: list[sp.Basic]) -> bool:
    """Whether the derivative is one of single-variable calculus (written with d, else with a
    partial sign): one variable, which is not a component of a vector, and no vector in the
    expression. Scalar parameters (a target ``t``, a weight ``w``) are constants here.

    >>> z, t, L = sp.symbols("z t L")
    >>> x = sp.IndexedBase("x")
    >>> _univariate(-t * sp.log(1 / (1 + sp.exp(-z))), [z]), _univariate(L, [z])
    (True, True)
    >>> _univariate(x[1] * z, [z]), _univariate(z, [x[1]]), _univariate(t * z, [t, z])
    (False, False, False)
    """
    if len(variables) != 1 or not isinstance(variables[0], sp.Symbol):
        return False
    return not inner.atoms(sp.Indexed)


def as_written(expr: sp.Basic) -> sp.Basic:
    """``expr``, whose terms or factors are to be shown in the order given.

    An ``Add`` built unevaluated in SymPy's own order is indistinguishable from an evaluated
    one, so the order is remembered here.
    """
    _AS_WRITTEN.add(expr)
    return expr


def _unevaluated(expr) -> bool:
    """``expr`` is to be shown as written: SymPy would reorder or merge its args."""
    return expr in _AS_WRITTEN or expr.func(*expr.args).args != expr.args


def _rank(f) -> int:
    """Where a factor goes in a product written the way a textbook writes it."""
    base = f.base if isinstance(f, sp.Pow) and not f.exp.is_negative else f
    if f.has(sp.Sum, sp.Product):
        return 9
    if f.is_Number:
        return 0
    if isinstance(base, sp.Add) and len(base.args) == 2 and base.args[0].is_Number:
        return 1 if base.args[1].is_Symbol or (-base.args[1]).is_Symbol else 5
    order = (
        (_ATOMS, 2),
        (AppliedUndef, 3),
        (sp.KroneckerDelta, 4),
        (sp.Add, 5),
        (sp.exp, 6),
        (sp.log, 7),
        (sp.Derivative, 8),
    )
    return next((r for kind, r in order if isinstance(base, kind)), 6)


def _textbook_terms(expr: sp.Add) -> list:
    """SymPy's order of terms, positive terms first (a positive number leading them)."""
    terms = expr.as_ordered_terms()
    return sorted(terms, key=lambda t: (t.could_extract_minus_sign(), not t.is_Number))


def latex(expr: sp.Basic) -> str:
    r"""The book's LaTeX for one SymPy object.

    >>> latex(sp.log(sp.Symbol("x")) / 2)
    '\\frac{\\log x}{2}'
    """
    return BookPrinter().doprint(expr)


def aligned(links: Iterable[tuple[int, sp.Basic, sp.Basic, type]]) -> str:
    r"""An ``aligned`` block, one numbered line per step: ``lhs &= rhs && \text{(n)}``.

    A new chain shows its left side, a continuation only ``&= ...``; the number refers to the
    step's justification, listed under the block (see :func:`justifications`).

    >>> x = sp.Symbol("x")
    >>> print(aligned([(1, 2 * x, x + x, sp.Eq)]))
    \begin{aligned}
    2 x &= 2 x && \text{(1)}
    \end{aligned}
    """
    lines = []
    current = None
    for n, (_, lhs, rhs, rel) in enumerate(links, start=1):
        left = "" if lhs == current and lines else latex(lhs)
        lines.append(rf"{left} &{RELATION_LATEX[rel]} {latex(rhs)} && \text{{({n})}}")
        current = rhs
    body = " \\\\\n".join(lines)
    return f"\\begin{{aligned}}\n{body}\n\\end{{aligned}}"
