r"""LaTeX for derivations, printed from the same SymPy objects that the checker proves.

The printer only changes how notation looks (``p_{i}`` rather than ``{p}_{i}``,
``\operatorname{diag}(p)``, ``\mathbf{1}``, ``\frac{\partial p_{i}}{\partial z_{j}}``); it never
changes what is printed.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter

RELATION_LATEX = {sp.Eq: "=", sp.Ge: r"\geq", sp.Gt: ">", sp.Le: r"\leq", sp.Lt: "<"}
TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


class BookPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the book's notation for indexed and matrix symbols."""

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
        if not isinstance(inner, sp.Symbol | sp.Indexed | sp.core.function.AppliedUndef):
            return super()._print_Derivative(expr)
        order = sum(n for _, n in expr.variable_count)
        d = r"\partial" if len(expr.variables) > 1 or not _univariate(inner) else "d"
        top = f"{d}^{{{order}}}" if order > 1 else d
        bottom = " ".join(
            f"{d} {self._print(v)}" + (f"^{{{n}}}" if n > 1 else "") for v, n in expr.variable_count
        )
        return rf"\frac{{{top} {self._print(inner)}}}{{{bottom}}}"


def _univariate(inner) -> bool:
    return isinstance(inner, sp.core.function.AppliedUndef) and len(inner.args) == 1


def latex(expr) -> str:
    """The book's LaTeX for one SymPy object."""
    return BookPrinter({"ln_notation": True}).doprint(expr)


def text(why: str) -> str:
    r"""Plain text as the argument of ``\text{...}``, with TeX's special characters escaped."""
    return "".join(TEXT_ESCAPES.get(c, c) for c in why)


def aligned(steps, links) -> str:
    """An ``aligned`` block: a new chain shows its left side, a continuation only ``&= ...``."""
    lines = []
    current = None
    for step, (_, lhs, rhs, rel) in zip(steps, links, strict=True):
        left = "" if lhs == current and lines else latex(lhs)
        lines.append(rf"{left} &{RELATION_LATEX[rel]} {latex(rhs)} && \text{{{text(step.why)}}}")
        current = rhs
    body = " \\\\\n".join(lines)
    return f"\\begin{{aligned}}\n{body}\n\\end{{aligned}}"
