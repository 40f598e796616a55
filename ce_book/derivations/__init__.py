"""Derivations whose every step SymPy checks, and whose LaTeX is printed from those steps.

>>> d = get("sigmoid-derivative")
>>> d.check().ok
True
>>> d.latex().startswith(r"\\begin{aligned}")
True
"""

from __future__ import annotations

from ce_book.derivations import (
    beyond,
    cross_entropy,
    information,
    likelihood,
    nudges,
    sigmoid,
    softmax,
)
from ce_book.derivations.model import (
    Assumptions,
    Definition,
    Derivation,
    DerivationCheck,
    Step,
    StepCheck,
)

__all__ = [
    "Assumptions",
    "Definition",
    "Derivation",
    "DerivationCheck",
    "Step",
    "StepCheck",
    "all_derivations",
    "get",
]

_ALL: tuple[Derivation, ...] = (
    *sigmoid.DERIVATIONS,
    *softmax.DERIVATIONS,
    *cross_entropy.DERIVATIONS,
    *nudges.DERIVATIONS,
    *information.DERIVATIONS,
    *likelihood.DERIVATIONS,
    *beyond.DERIVATIONS,
)
_BY_ID = {d.id: d for d in _ALL}
assert len(_BY_ID) == len(_ALL), "derivations: two derivations share an id"


def all_derivations() -> list[Derivation]:
    """Every derivation of the book, in a stable order (the order of the chapters)."""
    return list(_ALL)


def get(id: str) -> Derivation:
    """The derivation with this ``id``; ``KeyError`` naming the id if there is none.

    >>> get("softmax-jacobian").title
    'The softmax Jacobian in matrix form'
    >>> get("no-such-thing")
    Traceback (most recent call last):
    ...
    KeyError: "id: no derivation is called 'no-such-thing'"
    """
    try:
        return _BY_ID[id]
    except KeyError:
        raise KeyError(f"id: no derivation is called {id!r}") from None
