r"""The model of a derivation: an ordered list of SymPy steps, each with a one-line reason.

A derivation is a list of *chains*. A chain starts with a relation (``Eq``, ``Ge``, ...) whose
left side is what is being computed; each following step is either a plain expression (read
"``=`` the previous line") or a relation whose left side is the previous line's value (read
"``>=`` the previous line", for example). :meth:`Derivation.check` proves every link for
every size (``K``, ``N``) and then proves that the chains establish the claimed result;
:meth:`Derivation.latex` renders the very same SymPy objects as one ``aligned`` block with
numbered lines.

What a step may rely on is explicit: the definitions and the symbols' SymPy domains
(``positive=True``, ...), the named :class:`Hypothesis` objects of the derivation, facts
proved from the definitions, and the results of the derivations it *cites*, which are used
as proved rules (see :mod:`ce_book.derivations.prove`). The page prints the assumptions from
those objects (:meth:`Assumptions.describe`) and the statement's formulas from the checked
results (:meth:`Derivation.statement_markdown`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import sympy as sp

from ce_book.derivations import prove, render

RELATIONS = (sp.Eq, sp.Ge, sp.Gt, sp.Le, sp.Lt)


def _as_written(relation: type[sp.core.relational.Relational]):
    def make(lhs: sp.Basic, rhs: sp.Basic) -> sp.core.relational.Relational:
        return relation(lhs, rhs, evaluate=False)

    make.__name__ = make.__qualname__ = relation.__name__
    make.__doc__ = (
        f"``{relation.__name__}(lhs, rhs)`` as written: the relation a step states, never "
        "decided when it is made (SymPy's default asks its assumptions system whether the "
        "two sides are equal, which cost seven of the ten seconds of importing the "
        "derivations; deciding is the checker's job)."
    )
    return make


#: The relations the derivation modules write; see :func:`_as_written`.
Eq, Ge, Gt, Le, Lt = (_as_written(r) for r in RELATIONS)
#: A relation typed in inline math: ``=``, ``<``, ``>``, ``\le``, ``\geq``, ``\ne``, ...
TYPED_RELATION = re.compile(r"(?<![\\a-zA-Z])[=<>]|\\(?:le|ge|leq|geq|lt|gt|ne|neq|approx)\b")
_MATH = re.compile(r"\$([^$]+)\$")
_PLACEHOLDER = re.compile(r"\[\[result(?::(\d+))?\]\]")


@dataclass(frozen=True)
class Hypothesis:
    """A named assumption of a derivation: ``(H1)`` the relation, in words ``text``.

    A step that relies on it lists it in ``using``; the page prints it with the assumptions.
    """

    name: str
    relation: sp.Basic
    text: str

    def latex(self) -> str:
        return render.latex(self.relation)


@dataclass(frozen=True)
class Step:
    """One line of a derivation: a SymPy expression or relation and why it follows.

    ``using`` lists what this step relies on beyond the definitions: a :class:`Hypothesis`
    of the derivation, or a relation that the checker must first prove from the definitions
    (for example ``Eq(Sum(p_k), 1)`` for a softmax). ``cites`` names derivations whose
    results the step applies as proved rules.
    """

    expr: sp.Basic
    why: str
    using: tuple[Hypothesis | sp.Basic, ...] = ()
    cites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Definition:
    """``lhs := rhs``: notation shown on the page (``p_i``, ``\\sigma(z)``) and what it means.

    ``lhs`` is an ``Indexed`` with symbol indices (``p[i]``), an applied undefined function
    (``sigma(z)``) or a plain symbol; the checker replaces every occurrence by ``rhs``.
    """

    lhs: sp.Basic
    rhs: sp.Basic

    def latex(self) -> str:
        return f"{render.latex(self.lhs)} := {render.latex(self.rhs)}"


def _range(dim: sp.Basic) -> str:
    r"""The index set ``1..dim`` in LaTeX: ``\{1, 2\}`` for a small number, else with dots."""
    if dim.is_Integer and int(dim) <= 3:
        return r"\{" + ", ".join(str(n) for n in range(1, int(dim) + 1)) + r"\}"
    return rf"\{{1, \dots, {render.latex(dim)}\}}"


def _first_uses(exprs: list[sp.Basic]) -> dict[sp.IndexedBase, sp.Indexed]:
    """The first way each indexed symbol is written in ``exprs`` (in order), with symbolic
    indices: ``{W: W[k, a], h: h[a]}``."""
    uses: dict[sp.IndexedBase, sp.Indexed] = {}
    for e in exprs:
        for node in sp.preorder_traversal(e):
            if (
                isinstance(node, sp.Indexed)
                and node.base not in uses
                and all(isinstance(x, sp.Symbol) for x in node.indices)
            ):
                uses[node.base] = node
    return uses


@dataclass(frozen=True)
class Assumptions:
    """What the symbols are: a gloss for the reader, SymPy objects for the checker.

    ``text`` says in words what the symbols stand for (no formulas that state a relation:
    those are printed from the objects by :meth:`describe`). ``symbols`` carry their SymPy
    assumptions (``positive=True``, ``real=True``, ...). ``indices`` maps each free integer
    index to the dimension it runs over (``i`` in ``1..K``); ``sizes`` maps each dimension to
    the sizes used by the finite cross-check. ``arrays`` pairs matrix symbols with the
    indexed symbols that name their entries; ``hypotheses`` are the named assumptions.
    """

    text: str
    symbols: tuple[sp.Basic, ...] = ()
    definitions: tuple[Definition, ...] = ()
    indices: tuple[tuple[sp.Symbol, sp.Symbol], ...] = ()
    sizes: tuple[tuple[sp.Symbol, tuple[int, ...]], ...] = ()
    arrays: tuple[tuple[sp.MatrixSymbol, sp.IndexedBase], ...] = ()
    hypotheses: tuple[Hypothesis, ...] = ()

    def __str__(self) -> str:
        return self.describe()

    def describe(self, free: set | None = None, uses: dict | None = None) -> str:
        r"""The assumptions as Markdown, printed from the SymPy objects.

        >>> K = sp.Symbol("K", integer=True, positive=True)
        >>> i = sp.Symbol("i", integer=True, positive=True)
        >>> z = sp.IndexedBase("z", real=True)
        >>> print(Assumptions("", (K, i, z), indices=((i, K),)).describe())
        $K \in \{1, 2, 3, \dots\}$; $i \in \{1, \dots, K\}$; $z_{i} \in \mathbb{R}$.

        ``uses`` maps an indexed symbol to how the derivation writes it (``W`` to ``W_{ka}``),
        so that a matrix is not described with the index of a vector.
        """
        parts = [self._domains(free, uses or {})]
        if self.definitions:
            parts.append("; ".join(f"${d.latex()}$" for d in self.definitions))
        if self.hypotheses:
            parts.append("; ".join(f"({h.name}) ${h.latex()}$ ({h.text})" for h in self.hypotheses))
        return ". ".join(p for p in parts if p) + "."

    def _domains(self, free: set | None = None, uses: dict | None = None) -> str:
        """Each symbol's domain; with ``free``, integers that are only summation indices
        (not in ``free``) are left out: their range is in their sum."""
        ranged: dict[sp.Symbol, list[sp.Symbol]] = {}
        for s, dim in self.indices:
            ranged.setdefault(dim, []).append(s)
        shown = []
        index_of = {s for s, _ in self.indices}
        defined = {d.lhs for d in self.definitions} | {
            d.lhs.base for d in self.definitions if isinstance(d.lhs, sp.Indexed)
        }
        for s in self.symbols:
            if s in index_of or s in defined:
                continue
            sized = {d for d, _ in self.sizes} | set(ranged)
            if free is not None and s.is_integer and s not in free and s not in sized:
                continue
            if isinstance(s, sp.MatrixSymbol):
                continue
            shown.append(self._domain(s, (uses or {}).get(s)))
            if s in ranged:
                names = ", ".join(render.latex(x) for x in ranged[s])
                shown.append(rf"${names} \in {_range(s)}$")
        for dim, names in ranged.items():
            if dim not in self.symbols:
                listed = ", ".join(render.latex(x) for x in names)
                shown.append(rf"${listed} \in {_range(dim)}$")
        return "; ".join(x for x in shown if x)

    def _domain(self, s: sp.Basic, used: sp.Indexed | None = None) -> str:
        if isinstance(s, sp.IndexedBase):
            index = next((i for i, _ in self.indices), sp.Symbol("k", integer=True))
            tex, a = render.latex(used if used is not None else s[index]), s.assumptions0
        else:
            tex, a = render.latex(s), s.assumptions0
        if a.get("integer"):
            if a.get("positive"):
                return rf"${tex} \in \{{1, 2, 3, \dots\}}$"
            if a.get("nonnegative"):
                return rf"${tex} \in \{{0, 1, 2, \dots\}}$"
            return rf"${tex} \in \mathbb{{Z}}$"
        for key, rel in (
            ("positive", "> 0"),
            ("negative", "< 0"),
            ("nonnegative", r"\geq 0"),
            ("nonpositive", r"\leq 0"),
        ):
            if a.get(key):
                return f"${tex} {rel}$"
        if a.get("real"):
            return rf"${tex} \in \mathbb{{R}}$"
        return rf"${tex}$ (any complex number)"


@dataclass(frozen=True)
class StepCheck:
    """The outcome of checking one step (or, with ``index == -1``, the claimed result).

    ``method`` is ``"general"`` for a proof valid for every size and every value of the
    symbols, ``"hypothesis"`` for a line that is a declared hypothesis, ``""`` for a failure.
    ``sizes`` names the dimensions it holds for all of; ``hypotheses`` and ``cites`` what it
    relied on; ``facts`` the facts it relied on that were proved from the definitions.
    """

    index: int
    why: str
    ok: bool
    method: str
    reason: str = ""
    detail: str = ""
    sizes: tuple[str, ...] = ()
    hypotheses: tuple[str, ...] = ()
    cites: tuple[str, ...] = ()
    facts: int = 0

    def __str__(self) -> str:
        where = "result" if self.index < 0 else f"step {self.index + 1}"
        status = "ok" if self.ok else "FAILED"
        detail = f"{self.method}, {self.detail}" if self.ok else self.reason
        return f"{where} ({self.why}): {status}, {detail}"

    def summary(self) -> str:
        """How the line was checked, in words: ``proved for all K, citing softmax-partials``."""
        if not self.ok:
            return f"not proved: {self.reason}"
        if self.method == "hypothesis":
            return f"hypothesis ({', '.join(self.hypotheses)})"
        out = f"proved for all {' and '.join(self.sizes)}" if self.sizes else "proved"
        if self.cites:
            out += ", citing " + ", ".join(self.cites)
        if self.hypotheses:
            out += ", assuming " + ", ".join(f"({h})" for h in self.hypotheses)
        if self.facts:
            out += ", with a fact proved from the definitions"
        return out

    def as_dict(self) -> dict:
        return {
            "n": self.index + 1,
            "ok": self.ok,
            "method": self.method if self.ok else "failed",
            "sizes": list(self.sizes),
            "hypotheses": list(self.hypotheses),
            "cites": list(self.cites),
            "detail": self.detail,
            "reason": self.reason,
            "why": self.why,
        }


@dataclass(frozen=True)
class DerivationCheck:
    """Every step's check, the check that the steps establish the claimed result, and
    ``problems`` found in the derivation's text and symbols (typed relations, a symbol
    whose domain differs from its declaration)."""

    id: str
    steps: tuple[StepCheck, ...]
    result: StepCheck
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.result.ok and all(s.ok for s in self.steps) and not self.problems

    @property
    def failures(self) -> tuple[StepCheck, ...]:
        return tuple(s for s in self if not s.ok)

    def __iter__(self) -> Iterator[StepCheck]:
        yield from self.steps
        yield self.result

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "ok": self.ok,
            "steps": [s.as_dict() for s in self.steps],
            "result": self.result.as_dict() | {"n": None},
            "problems": list(self.problems),
        }

    @classmethod
    def from_dict(cls, data: dict) -> DerivationCheck:
        def step(d: dict, index: int) -> StepCheck:
            return StepCheck(
                index,
                d["why"],
                d["ok"],
                "" if d["method"] == "failed" else d["method"],
                d["reason"],
                d["detail"],
                tuple(d["sizes"]),
                tuple(d["hypotheses"]),
                tuple(d["cites"]),
            )

        steps = tuple(step(s, s["n"] - 1) for s in data["steps"])
        return cls(data["id"], steps, step(data["result"], -1), tuple(data["problems"]))


@dataclass(frozen=True)
class Derivation:
    """A checked derivation with a stable kebab-case ``id`` (also its page anchor).

    ``statement`` is prose; ``[[result]]`` (or ``[[result:N]]``, the N-th result, from 0)
    stands for a claimed result printed from the checked SymPy object. A relation typed in
    its math is reported as a problem.
    """

    id: str
    title: str
    statement: str
    assumptions: Assumptions
    steps: tuple[Step, ...]
    result: sp.Basic | tuple[sp.Basic, ...]
    links: tuple[tuple[int, sp.Basic, sp.Basic, type], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.steps or not isinstance(self.steps[0].expr, RELATIONS):
            raise ValueError(f"steps: {self.id} must start with a relation (lhs = rhs)")
        object.__setattr__(self, "links", tuple(_links(self.steps)))

    @property
    def results(self) -> tuple[sp.Basic, ...]:
        return self.result if isinstance(self.result, tuple) else (self.result,)

    @property
    def cites(self) -> tuple[str, ...]:
        """The derivations this one cites, in order of first use."""
        return tuple(dict.fromkeys(c for s in self.steps for c in s.cites))

    # -- checking ------------------------------------------------------------------------

    def check(self) -> DerivationCheck:
        """Prove every step from the previous one, and the claimed result from the chains."""
        checks = tuple(self.check_step(n) for n in range(len(self.steps)))
        return DerivationCheck(self.id, checks, self._check_result(), self.problems())

    def check_step(self, n: int) -> StepCheck:
        """Check step ``n`` (from 0) alone, from the previous line and what it relies on."""
        _, lhs, rhs, rel = self.links[n]
        step = self.steps[n]
        base = StepCheck(n, step.why, False, "")
        hyp = self._hypothesis_of(lhs, rhs, rel)
        if hyp is not None:
            return StepCheck(
                n,
                step.why,
                True,
                "hypothesis",
                detail="a declared hypothesis",
                hypotheses=(hyp.name,),
            )
        facts, names, proved, problem = self._facts(step)
        if problem:
            return _replace(base, reason=problem)
        rules, problem = self._rules(step)
        if problem:
            return _replace(base, reason=problem)
        outcome = prove.relation(lhs, rhs, rel, self.assumptions, facts, rules)
        return StepCheck(
            n,
            step.why,
            outcome.ok,
            outcome.method,
            outcome.reason,
            outcome.detail,
            outcome.dims,
            names,
            step.cites,
            proved,
        )

    def problems(self) -> tuple[str, ...]:
        """What is wrong outside the steps: typed relations in the statement or the gloss,
        placeholders without a result, symbols that differ from their declaration."""
        out = []
        for where, text in (("statement", self.statement), ("assumptions", self.assumptions.text)):
            for math in _MATH.findall(text):
                if TYPED_RELATION.search(math):
                    out.append(
                        f"{where}: ${math}$ types a relation; print it from the checked "
                        "objects ([[result]]) or state it as a definition or hypothesis"
                    )
        for m in _PLACEHOLDER.finditer(self.statement):
            if int(m.group(1) or 0) >= len(self.results):
                out.append(f"statement: {m.group(0)} names no result")
        out += _symbol_problems(self)
        return tuple(out)

    def _hypothesis_of(self, lhs, rhs, rel):
        for h in self.assumptions.hypotheses:
            r = h.relation
            if type(r) is rel and r.lhs == lhs and r.rhs == rhs:
                return h
        return None

    def _facts(self, step: Step):
        """The step's facts as relations; each a declared hypothesis or proved here."""
        declared = {h.name: h for h in self.assumptions.hypotheses}
        relations, names, proved = [], [], 0
        for fact in step.using:
            if isinstance(fact, Hypothesis):
                if declared.get(fact.name) != fact:
                    return (), (), 0, f"({fact.name}) is not a hypothesis of {self.id}"
                relations.append(fact.relation)
                names.append(fact.name)
                continue
            same = [h for h in declared.values() if h.relation == fact]
            if same:
                relations.append(fact)
                names.append(same[0].name)
                continue
            if not isinstance(fact, RELATIONS):
                return (), (), 0, f"the fact {fact} is not a relation"
            outcome = prove.relation(fact.lhs, fact.rhs, type(fact), self.assumptions)
            if not outcome.ok:
                return (
                    (),
                    (),
                    0,
                    (
                        f"the fact {render.latex(fact)} is neither a declared hypothesis nor "
                        f"proved from the definitions ({outcome.reason})"
                    ),
                )
            relations.append(fact)
            proved += 1
        return tuple(relations), tuple(names), proved, ""

    def _rules(self, step: Step) -> tuple[tuple[prove.Rule, ...], str]:
        from ce_book.derivations import get

        rules: list[prove.Rule] = []
        for cited in step.cites:
            try:
                other = get(cited)
            except KeyError:
                return (), f"cites {cited!r}, which is no derivation"
            if other.id == self.id:
                return (), "a derivation cannot cite itself"
            found, problem = other.rules_for(self.assumptions)
            if problem:
                return (), f"cites {cited}: {problem}"
            rules += found
        return tuple(rules), ""

    def rules_for(self, ctx: Assumptions) -> tuple[list[prove.Rule], str]:
        """This derivation's results as rules for a derivation with assumptions ``ctx``.

        A result applies only where the notation in it has the same definitions, and a result
        whose steps assume a hypothesis only where the same hypothesis is declared. Its free
        symbols other than dimensions and notation become pattern variables with the same
        domain (``x > 0`` matches only what SymPy knows to be positive).
        """
        mine = {_defined(d.lhs): d for d in self.assumptions.definitions}
        theirs = {_defined(d.lhs): d for d in ctx.definitions}
        declared = {h.relation for h in ctx.hypotheses}
        dims = {d for d, _ in self.assumptions.sizes} | {d for _, d in self.assumptions.indices}
        # Symbols that a definition depends on (beyond its own arguments) are fixed: ``L`` means
        # the loss of this ``z`` and this ``t``, so a rule about ``L`` may not rename them.
        fixed: set = set()
        for d in self.assumptions.definitions:
            params = set(getattr(d.lhs, "indices", ())) | set(getattr(d.lhs, "args", ()))
            if isinstance(d.lhs, sp.Symbol):
                params = set()
            fixed |= (
                (d.rhs.free_symbols - params) | {d.lhs}
                if isinstance(d.lhs, sp.Symbol)
                else (d.rhs.free_symbols - params)
            )
        rules, skipped = [], []
        for claim, using in zip(self.results, self._result_facts(), strict=True):
            used = {_defined(x) for x in _names(claim)} & set(mine)
            if any(theirs.get(name) != mine[name] for name in used):
                skipped.append("its notation is defined differently here")
                continue
            own = {h.relation for h in self.assumptions.hypotheses}
            if not all(r in declared for r in _relations(using) if r in own):
                skipped.append("it assumes a hypothesis not declared here")
                continue
            wild = {}
            for x in claim.lhs.free_symbols - dims - fixed:
                if isinstance(x, sp.Symbol) and not _is_notation(x):
                    a = x.assumptions0
                    props = [
                        lambda e, k=k: getattr(e, f"is_{k}") is True
                        for k in ("integer", "positive", "nonnegative", "real")
                        if a.get(k)
                    ]
                    wild[x] = sp.Wild(x.name, properties=props)
            pattern, value = claim.lhs.xreplace(wild), claim.rhs.xreplace(wild)
            rules.append(prove.Rule(self.id, pattern, value, type(claim)))
        if not rules:
            return [], "; ".join(dict.fromkeys(skipped)) or "it has no result"
        return rules, ""

    def _result_facts(self) -> list[tuple]:
        """For each result, the facts used by the chain of steps that shows it."""
        chains = _chains(self.links, self.steps)
        out = []
        for claim in self.results:
            facts: tuple = ()
            for chain in chains:
                if chain[0][0] == getattr(claim, "lhs", None):
                    facts = chain[-1][3]
                    break
            else:
                facts = tuple(f for s in self.steps for f in s.using)
            out.append(facts)
        return out

    def _check_result(self) -> StepCheck:
        chains = _chains(self.links, self.steps)
        methods = []
        for claim in self.results:
            if not isinstance(claim, RELATIONS):
                return StepCheck(-1, "claimed result", False, "", "result: not a relation")
            outcome = _establishes(chains, claim, self.assumptions)
            if not outcome.ok:
                return StepCheck(-1, "claimed result", False, "", outcome.reason)
            methods.append(outcome.detail or outcome.method)
        return StepCheck(
            -1, "claimed result", True, "general", detail="; ".join(dict.fromkeys(methods))
        )

    # -- printing ------------------------------------------------------------------------

    def latex(self) -> str:
        """One ``aligned`` block: a line per step, numbered ``(1)``, ``(2)``, ... at the right.

        The reasons are not part of the block: :attr:`steps` lists them in the same order
        (``steps[n - 1].why`` for the line numbered ``n``), for the page to show under it.
        """
        return render.aligned(self.links)

    def result_latex(self, i: int = 0) -> str:
        r"""The LaTeX of the ``i``-th claimed result, printed from the checked relation.

        >>> from ce_book.derivations import get
        >>> get("sigmoid-derivative").result_latex()
        '\\frac{d \\sigma(z)}{d z} = \\sigma(z) \\left(1 - \\sigma(z)\\right)'
        """
        return render.latex(self.results[i])

    def line_latex(self, n: int) -> str:
        r"""Line ``n`` (from 1) of the block as a relation of its own: ``lhs rel rhs``.

        A continuation line (``&= ...``) gets the left side of its link, which is the value
        of the line before it.

        >>> from ce_book.derivations import get
        >>> print(get("sigmoid-derivative").line_latex(5))
        \sigma(z) \left(1 - \frac{1}{1 + e^{- z}}\right) = \sigma(z) \left(1 - \sigma(z)\right)
        """
        if not 1 <= n <= len(self.links):
            raise IndexError(f"n: {self.id} has lines 1..{len(self.links)}, not {n}")
        _, lhs, rhs, rel = self.links[n - 1]
        return f"{render.latex(lhs)} {render.RELATION_LATEX[rel]} {render.latex(rhs)}"

    def assumptions_markdown(self) -> str:
        """The assumptions printed from the objects (:meth:`Assumptions.describe`), without
        the integers that only serve as summation indices."""
        free: set = set()
        exprs = [s.expr for s in self.steps] + list(self.results)
        for e in exprs:
            free |= e.free_symbols
        defined = [x for d in self.assumptions.definitions for x in (d.lhs, d.rhs)]
        return self.assumptions.describe(free, _first_uses(defined + exprs))

    def statement_markdown(self) -> str:
        """The statement with each ``[[result]]`` printed from the checked result."""
        return _PLACEHOLDER.sub(
            lambda m: f"${self.result_latex(int(m.group(1) or 0))}$", self.statement.strip()
        )


def _replace(check: StepCheck, **changes) -> StepCheck:
    from dataclasses import replace

    return replace(check, **changes)


def _defined(lhs: sp.Basic) -> sp.Basic:
    if isinstance(lhs, sp.Indexed):
        return lhs.base
    if isinstance(lhs, sp.core.function.AppliedUndef):
        return lhs.func
    return lhs


def _names(expr: sp.Basic) -> set:
    out: set = set(expr.free_symbols)
    out |= {x.base for x in expr.atoms(sp.Indexed)}
    out |= {f.func for f in expr.atoms(sp.core.function.AppliedUndef)}
    return out


def _is_notation(s: sp.Basic) -> bool:
    from ce_book.derivations.notation import Notation

    return isinstance(s, Notation)


def _symbol_problems(d: Derivation) -> list[str]:
    """Every symbol in the steps is declared, with the same SymPy domain."""
    ctx = d.assumptions
    declared: dict[str, sp.Basic] = {}
    for s in ctx.symbols:
        declared[getattr(s, "name", str(s))] = s
    defined = {_defined(x.lhs) for x in ctx.definitions}
    exprs = [s.expr for s in d.steps] + list(d.results) + [x.rhs for x in ctx.definitions]
    exprs += [h.relation for h in ctx.hypotheses]
    used: dict[str, sp.Basic] = {}
    for e in exprs:
        for s in e.atoms(sp.Symbol, sp.IndexedBase):
            if isinstance(s, sp.Dummy) or _is_notation(s) or s in defined:
                continue
            if isinstance(s, sp.Symbol) and any(s == x.label for x in e.atoms(sp.IndexedBase)):
                continue
            used.setdefault(s.name, s)
    out = []
    for name, s in sorted(used.items()):
        if name not in declared:
            if isinstance(s, sp.Symbol) and s.is_integer:
                continue  # a summation or product index: its range is in the sum
            out.append(f"symbol {name}: used in the steps but not declared in the assumptions")
        elif declared[name] != s:
            out.append(
                f"symbol {name}: the steps use {_domain_words(s)}, the assumptions declare "
                f"{_domain_words(declared[name])}"
            )
    return out


def _domain_words(s: sp.Basic) -> str:
    a = {
        k
        for k, v in s.assumptions0.items()
        if v and k in ("integer", "positive", "real", "nonnegative", "negative")
    }
    return f"{s.name} ({', '.join(sorted(a)) or 'no assumptions'})"


def _links(steps: tuple[Step, ...]) -> Iterator[tuple[int, sp.Basic, sp.Basic, type]]:
    """Each step as (index, left side, right side, relation); a plain expression means ``=``."""
    current = None
    for n, step in enumerate(steps):
        expr = step.expr
        if isinstance(expr, RELATIONS):
            lhs, rhs, rel = expr.lhs, expr.rhs, type(expr)
        else:
            lhs, rhs, rel = current, expr, sp.Eq
        yield n, lhs, rhs, rel
        current = rhs


def _relations(using: Iterable) -> tuple:
    return tuple(f.relation if isinstance(f, Hypothesis) else f for f in using)


def _chains(links, steps) -> list[list[tuple]]:
    """Chains ``start R value`` as lists of prefixes (start, value, relation, facts used)."""
    chains: list[list[tuple]] = []
    for (_, lhs, rhs, rel), step in zip(links, steps, strict=True):
        last = chains[-1][-1] if chains else None
        if last and last[1] == lhs and (rel is sp.Eq or last[2] in (sp.Eq, rel)):
            chains[-1].append(
                (last[0], rhs, last[2] if rel is sp.Eq else rel, last[3] + step.using)
            )
        else:
            chains.append([(lhs, rhs, rel, step.using)])
    return chains


def _establishes(chains, claim: sp.Basic, assumptions: Assumptions) -> prove.Outcome:
    """A chain starts at the claim's left side and reaches its right side, with its relation.

    A step that shows the right side exactly establishes the claim with the facts used so
    far; otherwise the claim's right side must be proven equal to a chain's last value. A
    chain ``a rel b`` also establishes ``c rel d`` when ``c - d`` is ``a - b`` rearranged.
    """
    ok_rel = lambda chain: all(r in (sp.Eq, type(claim)) for _, _, r, _ in chain)  # noqa: E731
    prefixes = [chain[: n + 1] for chain in chains for n in range(len(chain))]
    candidates = [chain for chain in prefixes if chain[0][0] == claim.lhs and ok_rel(chain)]
    for chain in candidates:
        if any(value == claim.rhs for _, value, _, _ in chain):
            return prove.Outcome(True, "general", detail="shown by the steps")
    reasons = []
    for chain in candidates:
        _, end, _, using = chain[-1]
        outcome = prove.relation(end, claim.rhs, sp.Eq, assumptions, _relations(using))
        if outcome.ok:
            return outcome
        reasons.append(outcome.reason)
    for chain in chains:
        start, end, rel, using = chain[-1]
        if ok_rel(chain) and rel is type(claim):
            moved = prove.relation(
                claim.lhs - claim.rhs, start - end, sp.Eq, assumptions, _relations(using)
            )
            if moved.ok:
                return prove.Outcome(True, "general", detail="the steps, rearranged")
    why = "; ".join(reasons) or f"no chain of steps starts at {claim.lhs} with {type(claim)}"
    return prove.Outcome(False, "", f"result: {why}")
