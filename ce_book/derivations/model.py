"""The model of a derivation: an ordered list of SymPy steps, each with a one-line reason.

A derivation is a list of *chains*. A chain starts with a relation (``Eq``, ``Ge``, ...) whose
left side is what is being computed; each following step is either a plain expression (read
"``=`` the previous line") or a relation whose left side is the previous line's value (read
"``>=`` the previous line", for example). :meth:`Derivation.check` proves every link and then
proves that the chains establish the claimed result; :meth:`Derivation.latex` renders the very
same SymPy objects as one ``aligned`` block with numbered lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import sympy as sp

from ce_book.derivations import prove, render

RELATIONS = (sp.Eq, sp.Ge, sp.Gt, sp.Le, sp.Lt)


@dataclass(frozen=True)
class Step:
    """One line of a derivation: a SymPy expression or relation and why it follows.

    ``using`` lists equations that this step relies on beyond the definitions (for example
    ``Eq(Sum(t_k), 1)``, "the targets sum to 1"); the checker substitutes them, and ``why``
    must say so in words.
    """

    expr: sp.Basic
    why: str
    using: tuple[sp.Eq, ...] = ()


@dataclass(frozen=True)
class Definition:
    """``lhs := rhs``: notation shown on the page (``p_i``, ``\\sigma(z)``) and what it means.

    ``lhs`` is an ``Indexed`` with symbol indices (``p[i]``), an applied undefined function
    (``sigma(z)``) or a plain symbol; the checker replaces every occurrence by ``rhs``.
    """

    lhs: sp.Basic
    rhs: sp.Basic


@dataclass(frozen=True)
class Assumptions:
    """What the symbols are: prose for the reader, SymPy objects for the checker.

    ``symbols`` carry their SymPy assumptions (``positive=True``, ``real=True``, ...).
    ``indices`` maps each free integer index to the dimension it runs over (``i`` in
    ``1..K``); ``sizes`` maps each dimension to the concrete sizes checked explicitly.
    ``arrays`` pairs matrix symbols with the indexed symbols that name their entries.
    """

    text: str
    symbols: tuple[sp.Basic, ...] = ()
    definitions: tuple[Definition, ...] = ()
    indices: tuple[tuple[sp.Symbol, sp.Symbol], ...] = ()
    sizes: tuple[tuple[sp.Symbol, tuple[int, ...]], ...] = ()
    arrays: tuple[tuple[sp.MatrixSymbol, sp.IndexedBase], ...] = ()

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class StepCheck:
    """The outcome of checking one step (or, with ``index == -1``, the claimed result)."""

    index: int
    why: str
    ok: bool
    method: str
    reason: str = ""

    def __str__(self) -> str:
        where = "result" if self.index < 0 else f"step {self.index + 1}"
        status = "ok" if self.ok else "FAILED"
        detail = self.method if self.ok else self.reason
        return f"{where} ({self.why}): {status}, {detail}"


@dataclass(frozen=True)
class DerivationCheck:
    """Every step's check, then the check that the steps establish the claimed result."""

    id: str
    steps: tuple[StepCheck, ...]
    result: StepCheck

    @property
    def ok(self) -> bool:
        return self.result.ok and all(s.ok for s in self.steps)

    @property
    def failures(self) -> tuple[StepCheck, ...]:
        return tuple(s for s in self if not s.ok)

    def __iter__(self) -> Iterator[StepCheck]:
        yield from self.steps
        yield self.result


@dataclass(frozen=True)
class Derivation:
    """A checked derivation with a stable kebab-case ``id`` (also its page anchor)."""

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

    def check(self) -> DerivationCheck:
        """Prove every step from the previous one, and the claimed result from the chains."""
        checks = tuple(
            _check_step(n, step, lhs, rhs, rel, self.assumptions)
            for (n, lhs, rhs, rel), step in zip(self.links, self.steps, strict=True)
        )
        return DerivationCheck(self.id, checks, self._check_result())

    def latex(self) -> str:
        """One ``aligned`` block: a line per step, numbered ``(1)``, ``(2)``, ... at the right.

        The reasons are not part of the block: :attr:`steps` lists them in the same order
        (``steps[n - 1].why`` for the line numbered ``n``), for the page to show under it.
        """
        return render.aligned(self.links)

    def _check_result(self) -> StepCheck:
        chains = _chains(self.links, self.steps)
        methods = []
        for claim in self.results:
            if not isinstance(claim, RELATIONS):
                return StepCheck(-1, "claimed result", False, "", "result: not a relation")
            outcome = _establishes(chains, claim, self.assumptions)
            if not outcome.ok:
                return StepCheck(-1, "claimed result", False, "", outcome.reason)
            methods.append(outcome.method)
        return StepCheck(-1, "claimed result", True, "; ".join(dict.fromkeys(methods)))


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


def _check_step(
    n: int, step: Step, lhs: sp.Basic, rhs: sp.Basic, rel: type, assumptions: Assumptions
) -> StepCheck:
    outcome = prove.relation(lhs, rhs, rel, assumptions, step.using)
    return StepCheck(n, step.why, outcome.ok, outcome.method, outcome.reason)


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
    far; otherwise the claim's right side must be proven equal to a chain's last value.
    """
    candidates = [
        chain
        for chain in chains
        if chain[0][0] == claim.lhs and all(rel in (sp.Eq, type(claim)) for _, _, rel, _ in chain)
    ]
    for chain in candidates:
        if any(value == claim.rhs for _, value, _, _ in chain):
            return prove.Outcome(True, "shown by the steps")
    reasons = []
    for chain in candidates:
        _, end, _, using = chain[-1]
        outcome = prove.relation(end, claim.rhs, sp.Eq, assumptions, using)
        if outcome.ok:
            return outcome
        reasons.append(outcome.reason)
    why = "; ".join(reasons) or f"no chain of steps starts at {claim.lhs} with {type(claim)}"
    return prove.Outcome(False, "", f"result: {why}")
