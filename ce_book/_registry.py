r"""One registry mechanism for everything the book names by ID: claims, figures, derivations.

The chapters of the book, in reading order, are :data:`CHAPTERS`: chapter ``name`` is the page
``docs/<name>.md``, and a package that holds one module per chapter (``ce_book.claims``,
``ce_book.figures``) finds them with :func:`import_modules`.

>>> reg = Registry("widget")
>>> reg.add("blue-widget", 1, where="here")
1
>>> reg.get("blue-widget"), reg.all(), "blue-widget" in reg
(1, [1], True)
>>> reg.add("blue-widget", 2, where="there")
Traceback (most recent call last):
...
ValueError: id: duplicate widget id 'blue-widget' (already defined in here)
>>> reg.add("Blue_Widget", 3, where="there")
Traceback (most recent call last):
...
ValueError: id: 'Blue_Widget' is not a lowercase kebab-case ID
>>> reg.get("red-widget")
Traceback (most recent call last):
...
KeyError: "id: unknown widget 'red-widget'"
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable
from typing import Generic, TypeVar

#: The chapters of the book in reading order (page ``docs/<name>.md``, module ``<name>``).
CHAPTERS = (
    "information",
    "binary",
    "categorical",
    "likelihood",
    "gradients",
    "stability",
    "errata",
    "beyond",
    "scale",
)

#: IDs are lowercase kebab-case; an ID is also the page anchor, so it must be URL-safe.
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

T = TypeVar("T")


def check_id(id: object) -> str:
    """Return ``id`` if it is a lowercase kebab-case string, else raise ``ValueError``."""
    if not isinstance(id, str) or not ID_PATTERN.fullmatch(id):
        raise ValueError(f"id: {id!r} is not a lowercase kebab-case ID")
    return id


class Registry(Generic[T]):
    """Entries of one ``kind`` by ID, in registration order; a duplicate ID is an error."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, tuple[T, str]] = {}

    def add(self, id: str, entry: T, *, where: str) -> T:
        """Register ``entry`` under ``id``; ``where`` names its source for error messages."""
        check_id(id)
        if id in self._entries:
            raise ValueError(
                f"id: duplicate {self.kind} id {id!r} (already defined in {self._entries[id][1]})"
            )
        self._entries[id] = (entry, where)
        return entry

    def get(self, id: str) -> T:
        """The entry with this ID; ``KeyError`` naming the ID if there is none."""
        try:
            return self._entries[id][0]
        except KeyError:
            raise KeyError(f"id: unknown {self.kind} {id!r}") from None

    def all(self) -> list[T]:
        """Every entry, in registration order."""
        return [entry for entry, _ in self._entries.values()]

    def __contains__(self, id: object) -> bool:
        return id in self._entries

    def __len__(self) -> int:
        return len(self._entries)


def chapter_order(names: Iterable[str]) -> list[str]:
    """``names`` sorted in reading order; names that are not chapters follow, alphabetically.

    >>> chapter_order(["zeta", "binary", "information", "alpha"])
    ['information', 'binary', 'alpha', 'zeta']
    """
    order = {name: i for i, name in enumerate(CHAPTERS)}
    return sorted(names, key=lambda name: (order.get(name, len(order)), name))


def import_modules(package: str, path: Iterable[str], skip: Iterable[str] = ()) -> list[str]:
    """Import every public submodule of ``package`` (chapters first, in reading order).

    Modules whose name starts with ``_`` and those in ``skip`` are helpers, not content.
    Returns the imported module names.
    """
    skipped = set(skip)
    found = [
        m.name
        for m in pkgutil.iter_modules(path)
        if not m.name.startswith("_") and m.name not in skipped
    ]
    names = chapter_order(found)
    for name in names:
        importlib.import_module(f"{package}.{name}")
    return names
