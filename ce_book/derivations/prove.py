"""Proving that one line of a derivation follows from the previous one.

Two independent routes, and a step passes only if neither finds a problem:

* **general**: unfold the notation (``p_i`` to its softmax, ``\\sigma(z)`` to its formula),
  evaluate derivatives and sums of Kronecker deltas, split sums by linearity, treat each
  remaining sum as an opaque quantity, split cases on every ``\\delta_{ij}`` (``i = j`` or not)
  and on the sign of arguments of ``|z|`` and ``\\max``, then ask SymPy whether the
  difference simplifies to zero (or, for an inequality, is non-negative);
* **concrete**: for each size in the assumptions (``K = 2..5``, ...), expand every sum and
  check every assignment of the free indices explicitly.

A step with no dimension is checked by the general route alone. A step whose general proof is
beyond SymPy passes on the concrete route, and its method says so.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

if TYPE_CHECKING:
    from ce_book.derivations.model import Assumptions


@dataclass(frozen=True)
class Outcome:
    ok: bool
    method: str
    reason: str = ""


def relation(
    lhs: sp.Basic, rhs: sp.Basic, rel: type, ctx: Assumptions, using: tuple[sp.Eq, ...] = ()
) -> Outcome:
    """Prove ``lhs rel rhs`` (``rel`` one of ``Eq, Ge, Gt, Le, Lt``) under ``ctx``."""
    if rel in (sp.Le, sp.Lt):
        lhs, rhs, rel = rhs, lhs, {sp.Le: sp.Ge, sp.Lt: sp.Gt}[rel]
    try:
        general = _general(lhs, rhs, rel, ctx, using)
        dims = _dimensions(lhs, rhs, ctx)
        if not dims:
            return general
        # With a general proof, the two smallest sizes are a cross-check; without one, the
        # concrete sizes are the proof, and all of them are checked.
        concrete = _concrete(lhs, rhs, rel, ctx, using, dims, 2 if general.ok else None)
    except (TypeError, ValueError, NotImplementedError, RecursionError) as err:
        # SymPy refused the question, or recursed without end (it can, on nested sums): the
        # step is not proven, and the report says why instead of the checker crashing.
        return Outcome(
            False, "", f"SymPy could not evaluate the step ({type(err).__name__}: {err})"
        )
    if not concrete.ok:
        return concrete
    if general.ok:
        return Outcome(True, f"{general.method}; {concrete.method}")
    return Outcome(True, f"{concrete.method} (a general proof is beyond SymPy)")


# -- the general route ---------------------------------------------------------------------


def _general(lhs, rhs, rel: type, ctx: Assumptions, using) -> Outcome:
    pairs = _entries(lhs, rhs, ctx, _entry_indices(lhs, rhs, ctx))
    for a, b in pairs:
        d = _evaluate(unfold(a - b, ctx), ctx, linear=rel is sp.Eq)
        d = _apply_facts_general(d, using, ctx)
        for case in _cases(d, ctx):
            case = _evaluate(case, ctx, linear=rel is sp.Eq)
            case = _abstract_sums(case)
            if not _holds(case, rel):
                return Outcome(False, "", f"could not show {_show(rel)} 0 for {case}")
    dims = ", ".join(map(str, _dimensions(lhs, rhs, ctx)))
    return Outcome(True, f"symbolic (general {dims})" if dims else "symbolic")


def unfold(expr: sp.Basic, ctx: Assumptions) -> sp.Basic:
    """Replace every defined notation by its definition, until nothing changes."""
    for _ in range(10):
        before = expr
        for d in ctx.definitions:
            expr = _unfold_one(expr, d.lhs, d.rhs)
        if expr == before:
            return expr
    raise ValueError("definitions: they refer to each other in a cycle")


def _unfold_one(expr, lhs, rhs):
    if isinstance(lhs, sp.Indexed):
        return expr.replace(
            lambda e: isinstance(e, sp.Indexed) and e.base == lhs.base,
            lambda e: rhs.xreplace(dict(zip(lhs.indices, e.indices, strict=True))),
        )
    if isinstance(lhs, sp.core.function.AppliedUndef):
        return expr.replace(lhs.func, sp.Lambda(lhs.args, rhs))
    return expr.xreplace({lhs: rhs})


def _evaluate(expr, ctx: Assumptions, linear: bool):
    """Evaluate derivatives and delta sums; with ``linear``, split sums into a normal form."""
    for _ in range(10):
        before = expr
        expr = _resolve_ranges(expr.doit(), ctx)
        expr = expr.replace(lambda e: isinstance(e, sp.log), _log_of_product)
        if linear:
            expr = expr.replace(lambda e: isinstance(e, sp.Sum), _split_sum)
        if expr == before:
            break
    return expr


def _split_sum(s: sp.Sum):
    """Sum by linearity: constants out, one sum per term, index shifted to start at 1."""
    expr = s.function
    for limit in s.limits:
        expr = _split_one(expr, *limit)
    return expr


def _split_one(f, k, a, b):
    total = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(f)):
        const, dep = term.as_independent(k, as_Add=False)
        if dep == 1:
            total += const * (b - a + 1)
            continue
        used = [int(x.name[2:]) for x in dep.atoms(sp.Symbol) - {k} if x.name.startswith("_s")]
        kc = sp.Symbol(f"_s{max(used, default=0) + 1}", integer=True, positive=True)
        total += const * sp.Sum(dep.xreplace({k: kc + a - 1}), (kc, 1, b - a + 1))
    return total


def _log_of_product(e: sp.log):
    """``log(prod_n f_n) = sum_n log(f_n)`` when every factor is positive."""
    (prod,) = e.args
    if isinstance(prod, sp.Product) and prod.function.is_positive:
        return sp.Sum(sp.log(prod.function), *prod.limits)
    return e


def _resolve_ranges(expr, ctx: Assumptions):
    """Decide conditions such as ``j <= K`` that follow from the index ranges."""
    ranges = dict(ctx.indices)

    def decide(rel):
        idx = [s for s in rel.free_symbols if s in ranges]
        if len(idx) != 1:
            return rel
        i, dim = idx[0], ranges[idx[0]]
        u, w = sp.symbols("u w", integer=True, nonnegative=True)
        x = (rel.lhs - rel.rhs).xreplace({i: 1 + u, dim: 1 + u + w})
        x = -x if isinstance(rel, sp.Le | sp.Lt) else x
        strict = isinstance(rel, sp.Gt | sp.Lt)
        if (x.is_positive if strict else x.is_nonnegative) is True:
            return sp.true
        if (x.is_nonpositive if strict else x.is_negative) is True:
            return sp.false
        return rel

    def piecewise(pw):
        args = [
            (e, c.replace(lambda r: isinstance(r, sp.core.relational.Relational), decide))
            for e, c in pw.args
        ]
        return sp.Piecewise(*args)

    return expr.replace(lambda e: isinstance(e, sp.Piecewise), piecewise)


def _apply_facts_general(expr, using, ctx: Assumptions):
    for fact in using:
        lhs = _evaluate(unfold(fact.lhs, ctx), ctx, linear=True)
        expr = expr.subs(lhs, unfold(fact.rhs, ctx))
    return expr


def _cases(expr, ctx: Assumptions) -> Iterator[sp.Basic]:
    """Exhaustive cases: each ``\\delta_{ab}`` is 1 (``a = b``) or 0; each sign of a kink."""
    deltas = [d for d in expr.atoms(sp.KroneckerDelta) if d.free_symbols]
    if deltas:
        a, b = deltas[0].args
        var = sorted((a - b).free_symbols, key=sp.default_sort_key)[-1]
        (value,) = sp.solve(sp.Eq(a, b), var)
        yield from _cases(expr.xreplace({deltas[0]: 0}), ctx)
        yield from _cases(expr.subs(var, value), ctx)
        return
    kinks = sorted(
        {s for f in expr.atoms(sp.Abs, sp.Max, sp.Min) for s in f.free_symbols if s.is_real},
        key=sp.default_sort_key,
    )
    if kinks:
        w = sp.Dummy("w", positive=True)
        for value in (w, -w, sp.S.Zero):
            yield from _cases(expr.subs(kinks[0], value), ctx)
        return
    yield expr


def _abstract_sums(expr):
    """Replace each remaining sum by an opaque symbol that keeps the summand's sign."""
    table: dict[sp.Sum, sp.Dummy] = {}

    def opaque(s: sp.Sum) -> sp.Dummy:
        if s not in table:
            f = s.function
            sign = {"positive": True} if f.is_positive else {}
            sign = sign or ({"nonnegative": True} if f.is_nonnegative else {})
            table[s] = sp.Dummy("S", real=bool(f.is_real), **sign)
        return table[s]

    return expr.replace(lambda e: isinstance(e, sp.Sum), opaque)


def _holds(d, rel: type) -> bool:
    """``d == 0`` (for ``Eq``) or ``d >= 0`` / ``d > 0``, by increasingly thorough means."""
    if rel is sp.Eq:
        test = lambda e: e == 0  # noqa: E731
    elif rel is sp.Ge:
        test = lambda e: e.is_nonnegative is True  # noqa: E731
    else:
        test = lambda e: e.is_positive is True  # noqa: E731
    if test(d):
        return True
    for tactic in (sp.expand, sp.cancel, sp.simplify, _log_simplify, _log_combine, sp.factor):
        try:
            if test(tactic(d)):
                return True
        except (sp.PolynomialError, sp.CoercionFailed, TypeError):
            continue
    return False


def _log_combine(e):
    return sp.simplify(sp.logcombine(sp.expand(e)))


def _log_simplify(e):
    return sp.simplify(sp.expand(sp.expand_log(sp.powsimp(e), force=False)))


# -- the concrete route --------------------------------------------------------------------


def _dimensions(lhs, rhs, ctx: Assumptions) -> list[sp.Symbol]:
    """The dimensions (``K``, ``N``) the step depends on, after unfolding its notation."""
    free = set()
    for side in (lhs, rhs):
        free |= _symbols(unfold(side, ctx))
    dims = [d for d, _ in ctx.sizes]
    ranges = dict(ctx.indices)
    return [d for d in dims if d in free or any(ranges.get(s) == d for s in free)]


def _symbols(expr) -> set:
    """Free symbols, including the indices of the variables of derivatives."""
    out = set(expr.free_symbols)
    for d in expr.atoms(sp.Derivative):
        out |= set().union(*(x.free_symbols for x in d.variables))
    out -= {lim[0] for s in expr.atoms(sp.Sum) for lim in s.limits}
    if isinstance(expr, sp.MatrixExpr):
        out |= set().union(*(sp.sympify(n).free_symbols for n in expr.shape))
    return out


def _concrete(lhs, rhs, rel, ctx: Assumptions, using, dims, first: int | None) -> Outcome:
    sizes = {d: n[:first] for d, n in ctx.sizes}
    ranges = dict(ctx.indices)
    for combo in itertools.product(*(sizes[d] for d in dims)):
        at = dict(zip(dims, combo, strict=True))
        a, b = lhs.xreplace(at), rhs.xreplace(at)
        used = _symbols(unfold(a, ctx)) | _symbols(unfold(b, ctx))
        free = sorted((s for s in used if s in ranges), key=sp.default_sort_key)
        for values in itertools.product(*(range(1, at[ranges[s]] + 1) for s in free)):
            point = dict(zip(free, values, strict=True))
            for ea, eb in _entries(a.xreplace(point), b.xreplace(point), ctx, None):
                d = unfold(ea - eb, ctx).xreplace(at).xreplace(point).doit()
                d = _apply_facts_concrete(d, using, ctx, at)
                for case in _cases(d, ctx):
                    if not _holds(case, rel):
                        where = ", ".join(f"{k}={v}" for k, v in {**at, **point}.items())
                        return Outcome(False, "", f"at {where}: not {_show(rel)} 0: {case}")
    shown = "; ".join(f"{d}={_span(sizes[d])}" for d in dims)
    return Outcome(True, f"concrete {shown}")


def instantiate(expr: sp.Basic, ctx: Assumptions, at: dict, point: dict | None = None) -> sp.Basic:
    """``expr`` for concrete sizes ``at`` (``{K: 3}``) and indices ``point`` (``{i: 1}``),
    with notation unfolded and sums expanded: an explicit matrix for a matrix expression."""
    point = point or {}
    expr = expr.xreplace(at).xreplace(point)
    if _is_matrix(expr):
        return sp.Matrix(expr.as_explicit()).applyfunc(lambda e: instantiate(e, ctx, at, point))
    return unfold(_indexed(expr, ctx), ctx).xreplace(at).xreplace(point).doit()


def _apply_facts_concrete(expr, using, ctx: Assumptions, at: dict):
    for fact in using:
        eq = (unfold(fact.lhs, ctx) - unfold(fact.rhs, ctx)).subs(at).doit()
        atoms = sorted(eq.atoms(sp.Indexed) or eq.free_symbols, key=sp.default_sort_key)
        (solution,) = sp.solve(eq, atoms[-1], dict=True)
        expr = expr.subs(solution)
    return expr


def _span(values: tuple[int, ...]) -> str:
    contiguous = list(values) == list(range(values[0], values[-1] + 1))
    return (
        f"{values[0]}..{values[-1]}"
        if contiguous and len(values) > 2
        else ",".join(map(str, values))
    )


# -- matrices ------------------------------------------------------------------------------


def _entry_indices(lhs, rhs, ctx: Assumptions):
    """Symbolic row and column indices for an entrywise comparison of matrix expressions."""
    if not _is_matrix(lhs) and not _is_matrix(rhs):
        return None
    shape = (lhs if _is_matrix(lhs) else rhs).shape
    ranges = dict(ctx.indices)
    out = []
    for n in shape:
        if n == 1:
            out.append(sp.S.One)
            continue
        pick = [s for s, d in ranges.items() if d == n and s not in out]
        if not pick:
            raise ValueError(f"assumptions: no index runs over 1..{n}")
        out.append(pick[0])
    return tuple(out)


def _is_matrix(x) -> bool:
    return isinstance(x, sp.MatrixExpr | sp.MatrixBase)


def _entries(lhs, rhs, ctx: Assumptions, indices):
    """Pairs of corresponding scalar entries (1-based indexed notation) of two sides."""
    if not _is_matrix(lhs) and not _is_matrix(rhs):
        return [(lhs, rhs)]
    if indices is None:  # concrete shape: every entry of the explicit matrices
        mats = [x.as_explicit() if _is_matrix(x) else sp.Matrix([[x]]) for x in (lhs, rhs)]
        if mats[0].shape != mats[1].shape:
            raise ValueError(f"shapes differ: {mats[0].shape} and {mats[1].shape}")
        return [(_indexed(x, ctx), _indexed(y, ctx)) for x, y in zip(*mats, strict=True)]
    r, c = (i - 1 for i in indices)
    pick = lambda x: x[r, c] if _is_matrix(x) else x  # noqa: E731
    return [(_indexed(pick(lhs), ctx), _indexed(pick(rhs), ctx))]


def _indexed(expr, ctx: Assumptions):
    """Matrix entries ``p[i - 1, 0]`` (0-based) as the book's notation ``p_i`` (1-based)."""
    bases = {m.name: b for m, b in ctx.arrays}

    def entry(e: MatrixElement):
        m, i, j = e.args
        base = bases[m.name]
        return base[i + 1] if m.shape[1] == 1 else base[i + 1, j + 1]

    return sp.sympify(expr).replace(
        lambda e: isinstance(e, MatrixElement) and e.args[0].name in bases, entry
    )


def _show(rel: type) -> str:
    return {sp.Eq: "=", sp.Ge: ">=", sp.Gt: ">"}[rel]
