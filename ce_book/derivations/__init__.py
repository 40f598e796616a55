"""Derivations whose every step SymPy checks, and whose LaTeX is printed from those steps.

>>> d = get("sigmoid-derivative")
>>> d.check().ok
True
>>> d.latex().startswith(r"\\begin{aligned}")
True
"""

from __future__ import annotations

import sys

from ce_book._registry import CHAPTERS, Registry, import_modules
from ce_book.derivations.model import (
    Assumptions,
    Definition,
    Derivation,
    DerivationCheck,
    Hypothesis,
    Step,
    StepCheck,
)

__all__ = [
    "Assumptions",
    "Definition",
    "Derivation",
    "DerivationCheck",
    "Hypothesis",
    "Step",
    "StepCheck",
    "all_derivations",
    "get",
]

_HELPERS = ("graph", "model", "notation", "prove", "render", "reports")
_REGISTRY: Registry[Derivation] = Registry("derivation")


def _register() -> None:
    """Import every topic module and register its ``DERIVATIONS`` in the chapters' order.

    A topic module names the chapter that shows its derivations in ``CHAPTER``.
    """
    modules = [sys.modules[f"{__name__}.{n}"] for n in import_modules(__name__, __path__, _HELPERS)]
    for module in sorted(modules, key=lambda m: CHAPTERS.index(m.CHAPTER)):
        for d in module.DERIVATIONS:
            _REGISTRY.add(d.id, d, where=module.__name__)


_register()


def all_derivations() -> list[Derivation]:
    """Every derivation of the book, in a stable order (the order of the chapters)."""
    return _REGISTRY.all()


def get(id: str) -> Derivation:
    """The derivation with this ``id``; ``KeyError`` naming the id if there is none.

    >>> get("softmax-jacobian").title
    'The softmax Jacobian in matrix form'
    >>> get("no-such-thing")
    Traceback (most recent call last):
    ...
    KeyError: "id: unknown derivation 'no-such-thing'"
    """
    return _REGISTRY.get(id)
