r"""Proving that one line of a derivation follows from the previous one, for every size.

The proof (the **general** route) works on the symbolic sizes (``K``, ``N``) and indices:

* cited results are used as proved rules: an identity ``lhs = rhs`` of a cited derivation
  rewrites every match of ``lhs``; an inequality ``lhs <= rhs`` rewrites ``lhs`` into
  ``rhs - s`` with a fresh slack ``s >= 0`` (an identity, since ``s`` is what is left over);
* hypotheses that bound a quantity become substitutions that encode the bound exactly:
  ``0 < x <= c`` is ``x = c / (1 + u)`` with ``u >= 0``, ``x > c`` is ``x = c + u`` with
  ``u > 0``; for an inequality, ``e^{x}`` with ``x > 0`` is ``1 + u`` with ``u > 0``;
* the notation is unfolded (``p_i`` to its softmax, ``\sigma(z)`` to its formula),
  derivatives and sums of Kronecker deltas are evaluated (``\delta_{i-1, j-1}`` is
  ``\delta_{ij}``; a condition on a sum's own index is decided from that sum's bounds), logs
  of products and quotients of positive factors are split, equations that hold (``using``)
  are substituted;
* for an identity, sums are split by linearity and each remaining sum becomes an opaque
  quantity; for an inequality (or when splitting fails) sums with equal limits are merged and
  each becomes an opaque quantity with the sign of its summand, which is positive only when
  the range is provably non-empty and non-negative only when its length is not negative;
* every ``\delta_{ab}`` is split into its two cases and every ``|x|``, ``\max``, ``\min``
  into the three signs of its argument; SymPy then has to show that the difference is zero
  (or non-negative, or positive); a one-variable inequality may also be proved from its
  derivative: ``f(c) >= 0`` and ``f'(x) = (x - c) g(x)`` with ``g >= 0`` (``c`` the least point).

A step passes only with a general proof. The **concrete** route (for the two smallest sizes,
every sum expanded and every index value tried) is a cross-check of identities; when it
disagrees with the general proof, the step fails.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

if TYPE_CHECKING:
    from ce_book.derivations.model import Assumptions

RELATIONS = (sp.Eq, sp.Ge, sp.Gt, sp.Le, sp.Lt)
_FAILURES = (TypeError, ValueError, NotImplementedError, RecursionError, AttributeError)


@dataclass(frozen=True)
class Outcome:
    """``ok`` with ``method`` ``"general"`` (a proof for every size and value), or a reason.

    ``detail`` says how the proof went (``symbolic, for all K; cross-check K=2,3``).
    """

    ok: bool
    method: str
    reason: str = ""
    detail: str = ""
    dims: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    r"""A proved result of a cited derivation, used as a rewrite rule.

    ``pattern rel replacement`` holds for every value of the ``sp.Wild`` symbols in it;
    ``rel`` is ``Eq``, ``Le``, ``Lt``, ``Ge`` or ``Gt``. An identity replaces ``pattern`` by
    ``replacement``; ``pattern <= replacement`` replaces it by ``replacement - s`` with a
    fresh slack ``s >= 0`` (``> 0`` for ``<``), and ``>=`` by ``replacement + s``.
    """

    source: str
    pattern: sp.Basic
    replacement: sp.Basic
    rel: type


def relation(
    lhs: sp.Basic,
    rhs: sp.Basic,
    rel: type,
    ctx: Assumptions,
    using: Sequence[sp.Basic] = (),
    rules: Sequence[Rule] = (),
    cross_check: bool = True,
) -> Outcome:
    """Prove ``lhs rel rhs`` (``rel`` one of ``Eq, Ge, Gt, Le, Lt``) under ``ctx``, for every size.

    ``using`` are relations known to hold (hypotheses, or facts proved from the
    definitions); ``rules`` are cited results.
    """
    if rel in (sp.Le, sp.Lt):
        lhs, rhs, rel = rhs, lhs, {sp.Le: sp.Ge, sp.Lt: sp.Gt}[rel]
    try:
        general = _general(lhs, rhs, rel, ctx, tuple(using), tuple(rules))
        if not general.ok:
            return general
        dims = _dimensions(lhs, rhs, ctx)
        if not dims or rel is not sp.Eq or not cross_check:
            return general
        concrete = _concrete(lhs, rhs, rel, ctx, using, dims, 1)
    except _FAILURES as err:
        # SymPy refused the question, or recursed without end (it can, on nested sums): the
        # step is not proven, and the report says why instead of the checker crashing.
        return Outcome(
            False, "", f"SymPy could not evaluate the step ({type(err).__name__}: {err})"
        )
    if not concrete.ok:
        return Outcome(False, "", f"the cross-check contradicts the proof: {concrete.reason}")
    return Outcome(
        True,
        "general",
        detail=f"{general.detail}; cross-check {concrete.detail}",
        dims=general.dims,
    )


# -- the general route ---------------------------------------------------------------------


def _general(lhs, rhs, rel: type, ctx: Assumptions, using, rules) -> Outcome:
    dims = tuple(str(d) for d in _dimensions(lhs, rhs, ctx))
    detail = f"symbolic, for all {', '.join(dims)}" if dims else "symbolic"
    pairs = _entries(lhs, rhs, ctx, _entry_indices(lhs, rhs, ctx))
    for a, b in pairs:
        diff = _rewrite(a - b, rules, inequality=rel is not sp.Eq)
        diff = _bounds(diff, using, ctx)
        reason = ""
        modes = (True, False) if rel is sp.Eq else (False,)
        # Without a sum, SymPy's full ``doit`` has nothing more to try.
        speeds = (True, False) if unfold(diff, ctx).has(sp.Sum) else (True,)
        for fast, linear in itertools.product(speeds, modes):
            reason, refuted = _prove_difference(diff, rel, ctx, using, linear, fast)
            if not reason or refuted:
                break
        if reason:
            return Outcome(False, "", f"no proof for every size: {reason}")
    return Outcome(True, "general", detail=detail, dims=dims)


def _prove_difference(
    diff, rel: type, ctx: Assumptions, using, linear: bool, fast: bool
) -> tuple[str, bool]:
    """An empty string if ``diff rel 0`` is proven, else what could not be shown; and whether
    a case came out as a plain number that breaks the relation (the other ways of simplifying
    cannot prove a step that one of them has reduced to, say, ``-1 = 0``)."""
    d = _evaluate(unfold(diff, ctx), ctx, linear, fast)
    d = _apply_facts_general(d, using, ctx, linear)
    if rel is not sp.Eq:
        d = _exp_substitute(d)
    for case in _cases(d, ctx):
        case = _evaluate(case, ctx, linear, fast)
        if not linear:
            case = _merge_sums(case)
        case = _abstract_sums(case, ctx, thorough=rel is not sp.Eq or not linear)
        if not (_holds(case, rel) or (rel is not sp.Eq and _one_variable(case, rel))):
            refuted = case.is_number and rel(case, 0) is sp.false
            return f"could not show {_show(rel)} 0 for {case}", bool(refuted)
    return "", False


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


# -- cited rules and bounds ------------------------------------------------------------------

_SLACKS = itertools.count(1)


def _rewrite(expr, rules: Sequence[Rule], inequality: bool):
    """Apply every cited rule; inequalities only when proving an inequality."""
    for rule in rules:
        if rule.rel is sp.Eq:
            expr = expr.replace(rule.pattern, rule.replacement)
        elif inequality:
            expr = expr.replace(rule.pattern, lambda r=rule, **m: _slacked(r, m))
    return expr


def _slacked(rule: Rule, match: dict):
    """``replacement -/+ s`` for one match, with ``s`` indexed by the match's integer symbols."""
    at = {w: match[w.name] for w in rule.pattern.atoms(sp.Wild) if w.name in match}
    value, found = rule.replacement.xreplace(at), rule.pattern.xreplace(at)
    strict = rule.rel in (sp.Lt, sp.Gt)
    sign = {"positive": True} if strict else {"nonnegative": True}
    ints = sorted((s for s in found.free_symbols if s.is_integer), key=sp.default_sort_key)
    name = f"s_{next(_SLACKS)}"
    slack = sp.IndexedBase(name, **sign)[tuple(ints)] if ints else sp.Dummy(name, **sign)
    return value - slack if rule.rel in (sp.Le, sp.Lt) else value + slack


def _bounds(expr, using, ctx: Assumptions):
    r"""Encode hypotheses ``x <= c``, ``x < c``, ``x >= c``, ``x > c`` by substitution.

    ``x`` is a symbol or an indexed symbol (an index not free in ``expr`` means "every
    index"). With ``x > 0``
    known and ``c > 0``: ``x = c / (1 + u)``; otherwise ``x = c - u`` (or ``c + u``), where
    ``u >= 0`` (``u > 0`` for a strict bound).
    """
    for fact in using:
        if isinstance(fact, sp.Eq) or not isinstance(fact, RELATIONS):
            continue
        x, c, rel = fact.lhs, fact.rhs, type(fact)
        if not isinstance(x, sp.Symbol | sp.Indexed):
            x, c, rel = c, x, {sp.Ge: sp.Le, sp.Gt: sp.Lt, sp.Le: sp.Ge, sp.Lt: sp.Gt}[rel]
        if not isinstance(x, sp.Symbol | sp.Indexed):
            continue
        strict = rel in (sp.Lt, sp.Gt)
        sign = {"positive": True} if strict else {"nonnegative": True}
        name = f"u_{next(_SLACKS)}"
        if isinstance(x, sp.Indexed):
            # An index free in the step (``p_y``) is that index; any other (``p_k`` with ``k``
            # a summation index) means every index.
            free = expr.free_symbols
            wilds = [
                i if i in free or not i.is_Symbol else sp.Wild(f"w{n}")
                for n, i in enumerate(x.indices)
            ]
            base = sp.IndexedBase(name, **sign)
            pattern = x.base[tuple(wilds)]
            at = dict(zip(x.indices, wilds, strict=True))
            bound = c.xreplace(at)
            u = base[tuple(wilds)]
        else:
            pattern, bound, u = x, c, sp.Dummy(name, **sign)
        if rel in (sp.Le, sp.Lt) and x.is_positive and c.is_positive:
            value = bound / (1 + u)
        else:
            value = bound - u if rel in (sp.Le, sp.Lt) else bound + u
        expr = expr.replace(pattern, value) if isinstance(x, sp.Indexed) else expr.subs(x, value)
    return expr


def _exp_substitute(expr):
    """``e^{x} = 1 + u`` for ``x > 0``, ``e^{x} = 1 / (1 + u)`` for ``x < 0`` (``u > 0``)."""

    def sub(e: sp.exp):
        (x,) = e.args
        if x.is_positive:
            return 1 + sp.Dummy("u", positive=True)
        if x.is_negative:
            return 1 / (1 + sp.Dummy("u", positive=True))
        return e

    return expr.replace(lambda e: isinstance(e, sp.exp) and e.args[0].is_extended_real, sub)


# -- evaluation and normal forms ------------------------------------------------------------


def _evaluate(expr, ctx: Assumptions, linear: bool, fast: bool = True):
    """Evaluate derivatives and delta sums; with ``linear``, split sums into a normal form."""
    for _ in range(10):
        before = expr
        expr = _resolve_ranges(_doit(expr) if fast else expr.doit(), ctx)
        expr = expr.replace(lambda e: isinstance(e, sp.KroneckerDelta), _normal_delta)
        expr = _pick_delta_terms(expr, ctx)
        expr = expr.replace(lambda e: isinstance(e, sp.log), _log_of_product)
        expr = expr.replace(lambda e: isinstance(e, sp.log), _split_log)
        if linear:
            expr = expr.replace(lambda e: isinstance(e, sp.Sum), _split_sum)
        else:
            expr = expr.replace(lambda e: isinstance(e, sp.Sum), _normal_sum)
        if expr == before:
            break
    return expr


def _doit(expr):
    """``expr.doit()``, without asking SymPy to sum in closed form the sums that cannot change.

    A sum over a symbolic range with no delta, derivative or case in it, outside every
    derivative and not depending on the index of an enclosing sum, is hidden while the rest is
    evaluated: SymPy would only try (slowly, and in vain) to find a closed form for
    ``sum_k e^{z_k}``. If a proof fails this way, it is tried again with SymPy's full ``doit``.
    """
    table: dict[sp.Dummy, sp.Sum] = {}

    def hide(e, bound: frozenset):
        if isinstance(e, sp.Derivative) or not e.args:
            return e
        if (
            isinstance(e, sp.Sum)
            and not e.has(sp.KroneckerDelta, sp.Derivative, sp.Piecewise)
            and not e.free_symbols & bound
            and not all(lo.is_number and hi.is_number for _, lo, hi in e.limits)
        ):
            d = sp.Dummy("hidden")
            table[d] = e
            return d
        inner = bound | {v for v, *_ in e.limits} if isinstance(e, sp.Sum) else bound
        args = [hide(a, inner) for a in e.args]
        changed = any(a is not b for a, b in zip(args, e.args, strict=True))
        return e.func(*args) if changed else e

    return hide(expr, frozenset()).doit().xreplace(table)


def _pick_delta_terms(expr, ctx: Assumptions):
    r"""``sum_k f(k, \delta_{ky}) = sum_k f(k, 0) + f(y, 1) - f(y, 0)`` for ``y`` in the range.

    Applied to a sum over ``1..K`` whose summand holds ``\delta_{ky}`` and no other use of
    ``y``, where ``y`` is an index that runs over ``1..K`` too.
    """
    ranges = dict(ctx.indices)

    def pick(s: sp.Sum):
        if len(s.limits) != 1:
            return s
        ((m, lo, hi),) = s.limits
        f = s.function
        for d in f.atoms(sp.KroneckerDelta):
            if m not in d.args or lo != 1:
                continue
            (y,) = [a for a in d.args if a != m] or [None]
            if y is None or ranges.get(y) != hi or f.xreplace({d: 0}).has(y):
                continue
            rest = f.xreplace({d: 0})
            at_y = f.xreplace({d: 1}).xreplace({m: y}) - rest.xreplace({m: y})
            return sp.Sum(rest, *s.limits) + at_y
        return s

    return expr.replace(lambda e: isinstance(e, sp.Sum) and e.has(sp.KroneckerDelta), pick)


def _normal_delta(e: sp.KroneckerDelta):
    r"""``\delta_{a+c, b+c}`` is ``\delta_{ab}``: a delta depends only on the difference."""
    a, b = e.args
    diff = sp.expand(a - b)
    terms = sp.Add.make_args(diff)
    plus = [t for t in terms if not t.is_Number and not t.could_extract_minus_sign()]
    minus = [-t for t in terms if not t.is_Number and t.could_extract_minus_sign()]
    const = sum((t for t in terms if t.is_Number), sp.S.Zero)
    if const == 0 and len(plus) == 1 and len(minus) == 1:
        return sp.KroneckerDelta(plus[0], minus[0])
    return e


def _split_sum(s: sp.Sum):
    """Sum by linearity: constants out, one sum per term, index shifted to start at 1."""
    expr = s.function
    for limit in s.limits:
        expr = _split_one(expr, *limit)
    return expr


def _fresh(dep, k) -> sp.Symbol:
    used = [int(x.name[2:]) for x in dep.atoms(sp.Symbol) - {k} if x.name.startswith("_s")]
    return sp.Symbol(f"_s{max(used, default=0) + 1}", integer=True, positive=True)


def _split_one(f, k, a, b):
    total = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(f)):
        const, dep = term.as_independent(k, as_Add=False)
        if dep == 1:
            total += const * (b - a + 1)
            continue
        kc = _fresh(dep, k)
        total += const * sp.Sum(dep.xreplace({k: kc + a - 1}), (kc, 1, b - a + 1))
    return total


def _normal_sum(s: sp.Sum):
    """One sum, its index renamed and shifted to start at 1 (so equal sums compare equal)."""
    if len(s.limits) != 1:
        return s
    ((k, a, b),) = s.limits
    if a == 1 and k.name.startswith("_s"):
        return s
    kc = _fresh(s.function, k)
    return sp.Sum(s.function.xreplace({k: kc + a - 1}), (kc, 1, b - a + 1))


def _merge_sums(expr):
    """Sums over equal limits merged into one: ``c sum f + d sum g = sum (c f + d g)``."""
    groups: dict[tuple, sp.Basic] = {}
    rest = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(expr, deep=False, mul=True, multinomial=False)):
        const, dep = term.as_independent(sp.Sum, as_Add=False)
        if isinstance(dep, sp.Sum) and len(dep.limits) == 1:
            (k, a, b) = dep.limits[0]
            kc = sp.Symbol("_m", integer=True, positive=True)
            key = (a, b)
            f = dep.function.xreplace({k: kc})
            if not const.has(kc):
                groups[key] = groups.get(key, sp.S.Zero) + const * f
                continue
        rest += term
    kc = sp.Symbol("_m", integer=True, positive=True)
    for (a, b), f in groups.items():
        rest += sp.Sum(f, (kc, a, b))
    return rest


def _log_of_product(e: sp.log):
    """``log(prod_n f_n) = sum_n log(f_n)`` when every factor is positive."""
    (prod,) = e.args
    if isinstance(prod, sp.Product):
        f = sp.together(prod.function)
        if f.is_positive or sp.factor(f).is_positive:
            return sp.Sum(sp.log(sp.factor(f)), *prod.limits)
    return e


def _split_log(e: sp.log):
    """``log(a b / c) = log a + log b - log c`` and ``log(a^y) = y log a``, for positive factors."""
    (arg,) = e.args
    if isinstance(arg, sp.Mul | sp.Pow):
        out = sp.expand_log(e, force=False)
        return out
    if isinstance(arg, sp.Add) and arg.has(sp.Pow):
        combined = sp.factor(sp.together(arg))
        if combined != arg and isinstance(combined, sp.Mul | sp.Pow):
            out = sp.expand_log(sp.log(combined), force=False)
            if not out.has(sp.log(combined)):
                return out
    return e


def _resolve_ranges(expr, ctx: Assumptions):
    """Decide conditions such as ``j <= K`` from the index ranges and from the bounds of the
    sum that an index belongs to."""
    base = {s: (sp.S.One, dim) for s, dim in ctx.indices}
    return _resolve(expr, base)


def _resolve(expr, bounds: dict):
    if isinstance(expr, sp.Sum):
        inner = dict(bounds)
        for var, lo, hi in expr.limits:
            inner[var] = (lo, hi)
        return sp.Sum(_resolve(expr.function, inner), *expr.limits)
    if isinstance(expr, sp.Piecewise):
        args = []
        for e, c in expr.args:
            c = c.replace(
                lambda r: isinstance(r, sp.core.relational.Relational),
                lambda r: _decide(r, bounds),
            )
            args.append((_resolve(e, bounds), c))
        return sp.Piecewise(*args)
    if not expr.args or not expr.has(sp.Piecewise):
        return expr
    return expr.func(*(_resolve(a, bounds) for a in expr.args))


def _decide(rel, bounds: dict):
    """A linear condition on one ranged index holds (or fails) at both ends of its range."""
    idx = [s for s in rel.free_symbols if s in bounds]
    if len(idx) != 1:
        return rel
    i = idx[0]
    lo, hi = bounds[i]
    x = rel.lhs - rel.rhs
    if sp.degree(x, i) > 1 if x.is_polynomial(i) else True:
        return rel
    x = -x if isinstance(rel, sp.Le | sp.Lt) else x
    strict = isinstance(rel, sp.Gt | sp.Lt)
    ends = [sp.expand(x.xreplace({i: v})) for v in (lo, hi)]
    if all((e.is_positive if strict else e.is_nonnegative) is True for e in ends):
        return sp.true
    if all((e.is_nonpositive if strict else e.is_negative) is True for e in ends):
        return sp.false
    return rel


def _apply_facts_general(expr, using, ctx: Assumptions, linear: bool):
    for fact in using:
        if not isinstance(fact, sp.Eq):
            continue
        lhs = _evaluate(unfold(fact.lhs, ctx), ctx, linear=linear)
        expr = expr.subs(lhs, unfold(fact.rhs, ctx))
    return expr


def _cases(expr, ctx: Assumptions) -> Iterator[sp.Basic]:
    """Exhaustive cases: each ``\\delta_{ab}`` is 1 (``a = b``) or 0; each sign of a kink."""
    bound = {v for s in expr.atoms(sp.Sum) for v, *_ in s.limits}
    deltas = [
        d for d in expr.atoms(sp.KroneckerDelta) if d.free_symbols and not d.free_symbols & bound
    ]
    if deltas:
        delta = sorted(deltas, key=sp.default_sort_key)[0]
        a, b = delta.args
        var = sorted((a - b).free_symbols, key=sp.default_sort_key)[-1]
        (value,) = sp.solve(sp.Eq(a, b), var)
        yield from _cases(expr.xreplace({delta: 0}), ctx)
        yield from _cases(expr.subs(var, value), ctx)
        return
    labels = {x.base.label for x in expr.atoms(sp.Indexed)}
    kinks = sorted(
        {
            s
            for f in expr.atoms(sp.Abs, sp.Max, sp.Min)
            for s in f.free_symbols
            if isinstance(s, sp.Symbol)
            and s.is_real
            and not s.is_integer
            and s not in bound | labels
        },
        key=sp.default_sort_key,
    )
    if kinks:
        w = sp.Dummy("w", positive=True)
        for value in (w, -w, sp.S.Zero):
            yield from _cases(expr.subs(kinks[0], value), ctx)
        return
    abs_args = [f for f in expr.atoms(sp.Abs) if not f.free_symbols & bound]
    for f in abs_args:  # |x| with a known sign, once the kink symbols are gone
        (x,) = f.args
        if x.is_nonnegative or x.is_nonpositive:
            continue
        simpler = sp.factor(sp.together(x))
        if simpler.is_nonnegative:
            yield from _cases(expr.xreplace({f: simpler}), ctx)
            return
        if simpler.is_nonpositive:
            yield from _cases(expr.xreplace({f: -simpler}), ctx)
            return
    yield expr


def _abstract_sums(expr, ctx: Assumptions, thorough: bool = True):
    """Replace each remaining sum by an opaque symbol that keeps what is known of its sign.

    A sum of terms ``> 0`` is positive only if its range is provably non-empty, and a sum of
    terms ``>= 0`` is non-negative only if its length is not negative (SymPy's sum over a
    reversed range is minus a sum). A sum whose terms are zero in every case is zero.
    """
    table: dict[sp.Sum, sp.Basic] = {}
    # Without ``thorough`` (an identity whose sums were split by linearity) only SymPy's own
    # assumptions decide a summand's sign: enough for splitting logs, and much faster.
    holds = _holds if thorough else _known

    def opaque(s: sp.Sum) -> sp.Basic:
        if s in table:
            return table[s]
        f = s.function
        length = sp.S.One
        for _, lo, hi in s.limits:
            length *= hi - lo + 1
        cases = list(_cases(f, ctx)) if f.has(sp.KroneckerDelta, sp.Abs) else [f]
        if all(holds(c, sp.Eq) for c in cases):
            table[s] = sp.S.Zero
            return table[s]
        sign: dict[str, bool] = {}
        nonempty = (length - 1).is_nonnegative and all(
            (hi - lo).is_nonnegative for _, lo, hi in s.limits
        )
        if length.is_nonnegative or nonempty:
            if nonempty and all(holds(c, sp.Gt) for c in cases):
                sign = {"positive": True}
            elif all(holds(c, sp.Ge) for c in cases):
                sign = {"nonnegative": True}
            elif nonempty and all(holds(-c, sp.Gt) for c in cases):
                sign = {"negative": True}
            elif all(holds(-c, sp.Ge) for c in cases):
                sign = {"nonpositive": True}
        real = all(c.is_real for c in cases) or bool(sign)
        table[s] = sp.Dummy("S", real=real, **sign)
        return table[s]

    return expr.replace(lambda e: isinstance(e, sp.Sum), opaque)


def _known(d, rel: type) -> bool:
    """``d rel 0`` from SymPy's assumptions alone, with no simplification."""
    if rel is sp.Eq:
        return d == 0
    return (d.is_nonnegative if rel is sp.Ge else d.is_positive) is True


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


def _one_variable(d, rel: type) -> bool:
    """``d(x) >= 0`` for the one real variable ``x``, from its least point ``c``.

    If ``d(c) >= 0`` and ``d'(x) = (x - c) g(x)`` with ``g(x) >= 0`` on the (interval) domain
    of ``x``, then ``d`` falls until ``c`` and rises after it, so ``d(x) >= d(c)``.
    """
    free = [s for s in d.free_symbols if isinstance(s, sp.Symbol)]
    if len(free) != 1 or not free[0].is_real or rel is not sp.Ge:
        return False
    (x,) = free
    slope = sp.diff(d, x)
    try:
        points = sp.solve(slope, x)
    except NotImplementedError:
        return False
    for c in points:
        if not c.is_real or (x.is_positive and not c.is_positive):
            continue
        if _holds(d.subs(x, c), sp.Ge) and _holds(sp.cancel(slope / (x - c)), sp.Ge):
            return True
    return False


def _log_combine(e):
    return sp.simplify(sp.logcombine(sp.expand(e)))


def _log_simplify(e):
    return sp.simplify(sp.expand(sp.expand_log(sp.powsimp(e), force=False)))


# -- the concrete route (a cross-check) ----------------------------------------------------


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
                d = unfold(_bounds(ea - eb, using, ctx), ctx).xreplace(at).xreplace(point).doit()
                d = _apply_facts_concrete(d, using, ctx, at)
                for case in _cases(d, ctx):
                    if not _numerically_zero(case, rel) and not _holds(case, rel):
                        where = ", ".join(f"{k}={v}" for k, v in {**at, **point}.items())
                        return Outcome(False, "", f"at {where}: not {_show(rel)} 0: {case}")
    shown = "; ".join(f"{d}={_span(sizes[d])}" for d in dims)
    return Outcome(True, "concrete", detail=shown)


def _numerically_zero(d, rel: type, points: int = 3) -> bool:
    """``d`` is zero (within 1e-9) at a few fixed pseudo-random points of its symbols' domains.

    The cross-check of an identity at a concrete size tries this first (it is much faster than
    simplifying) and SymPy's simplification only when it fails; positive symbols take values
    in ``(0.05, 0.45)`` so that complements such as ``1 - p_1`` stay positive.
    """
    if rel is not sp.Eq:
        return False
    atoms = sorted(
        d.atoms(sp.Indexed) | {s for s in d.free_symbols if isinstance(s, sp.Symbol)},
        key=sp.default_sort_key,
    )
    atoms = [
        a
        for a in atoms
        if not any(a in x.atoms(sp.Symbol) for x in d.atoms(sp.Indexed))
        or isinstance(a, sp.Indexed)
    ]
    for n in range(points):
        values = {}
        for m, a in enumerate(atoms):
            u = ((n + 1) * 0.6180339887 + (m + 1) * 0.4142135623) % 1.0
            values[a] = 0.05 + 0.4 * u if a.is_nonnegative else 4 * u - 2
        try:
            value = complex(d.xreplace(values).evalf(30))
        except (TypeError, ValueError):
            return False
        if not abs(value) < 1e-9:
            return False
    return True


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
        if not isinstance(fact, sp.Eq):
            continue
        eq = (unfold(fact.lhs, ctx) - unfold(fact.rhs, ctx)).subs(at).doit()
        atoms = sorted(eq.atoms(sp.Indexed) or eq.free_symbols, key=sp.default_sort_key)
        solutions = sp.solve(eq, atoms[-1], dict=True) if atoms else []
        if len(solutions) == 1:  # none: the fact holds by the definitions alone
            expr = expr.subs(solutions[0])
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
