r"""The ledger: every number or statement the book's prose relies on, by ID.

A claim couples three things: an ID that never changes meaning, a function that computes
the value from ``ce_book``, and a check that compares the value with an independent source
(mpmath, SymPy, a hand derivation, a published number, PyTorch). The site shows the value
where a page writes ``[[value:ID]]``; the tests run every check.

A claim whose value is PyTorch's own output is declared ``recorded=True``: its value is read
from ``recorded.json`` (see :mod:`ce_book.claims._recorded`), so building the site needs no
PyTorch, and the tests compute it again with the live PyTorch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ce_book._registry import Registry, check_id
from ce_book.claims import _recorded

_UNSET = object()


class Claim:
    """One entry of the ledger: ID, statement, how to compute it and how it is checked."""

    def __init__(
        self,
        id: str,
        statement: str,
        compute: Callable[[], Any],
        *,
        reference: str,
        fmt: str | Callable[[Any], str],
        needs: tuple[str, ...],
        recorded: bool = False,
    ) -> None:
        self.id = id
        self.recorded = recorded
        self.statement = statement
        self.compute = compute
        self.reference = reference
        self.fmt = fmt
        self.needs = needs
        self.chapter = compute.__module__.rpartition(".")[2]
        self.test = f"tests/test_claims.py::test_claim[{id}]"
        self._check: Callable[[Any], None] | None = None
        self._value: Any = _UNSET

    def __repr__(self) -> str:
        return f"Claim({self.id!r})"

    def check(self, func: Callable[[Any], None]) -> Callable[[Any], None]:
        """Decorator: register ``func(value)``, which raises ``AssertionError`` if wrong."""
        if self._check is not None:
            raise ValueError(f"check: claim {self.id!r} already has a check")
        self._check = func
        return func

    @property
    def has_check(self) -> bool:
        return self._check is not None

    def value(self) -> Any:
        """The claim's value, computed once and then cached (see :meth:`Ledger.clear_cache`).

        A recorded claim's value is read from ``recorded.json`` instead of computed.
        """
        if self._value is _UNSET:
            self._value = self.recorded_value() if self.recorded else self.compute()
        return self._value

    def recorded_value(self) -> Any:
        """The value stored in ``recorded.json``; ``KeyError`` if it was never recorded."""
        values = _recorded.load()["values"]
        if self.id not in values:
            raise KeyError(
                f"id: claim {self.id!r} is recorded but has no value in {_recorded.PATH.name}: "
                "run `python -m ce_book record`"
            )
        return _recorded.decode(values[self.id])

    def __call__(self) -> Any:
        return self.value()

    def format(self) -> str:
        """The value as the prose shows it, formatted with ``fmt``."""
        value = self.value()
        return self.fmt(value) if callable(self.fmt) else self.fmt.format(value)

    def verify(self) -> None:
        """Run the check on the value; raise ``AssertionError`` if it fails or is missing."""
        if self._check is None:
            raise AssertionError(f"claim {self.id!r} has no check")
        self._check(self.value())


class Ledger:
    """A registry of claims by ID; duplicate IDs are an error.

    >>> ledger = Ledger()
    >>> @ledger.claim("two-plus-two", "$2 + 2$ in integers.", reference="arithmetic", fmt="{:d}")
    ... def two_plus_two() -> int:
    ...     return 2 + 2
    >>> @two_plus_two.check
    ... def _(value: int) -> None:
    ...     assert value == 4
    >>> ledger.get("two-plus-two").format(), two_plus_two.verify()
    ('4', None)
    """

    def __init__(self) -> None:
        self._claims: Registry[Claim] = Registry("claim")

    def claim(
        self,
        id: str,
        statement: str,
        *,
        reference: str,
        fmt: str | Callable[[Any], str] = "{}",
        needs: tuple[str, ...] = (),
        recorded: bool = False,
    ) -> Callable[[Callable[[], Any]], Claim]:
        """Decorator that turns a function computing a value into a registered :class:`Claim`.

        ``statement`` is Markdown (``$math$`` allowed); ``reference`` says what the check
        compares with; ``fmt`` is a ``str.format`` pattern or a callable; ``needs`` names
        optional packages the check imports (``("torch",)``); ``recorded`` says that the
        value is PyTorch's own output, shown from ``recorded.json`` (``needs`` must name torch).
        """
        check_id(id)
        for name, text in (("statement", statement), ("reference", reference)):
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{name}: claim {id!r} needs a non-empty string")
        if not (isinstance(fmt, str) or callable(fmt)):
            raise TypeError(f"fmt: expected a format string or a callable, got {type(fmt)}")
        if isinstance(needs, str) or not all(isinstance(n, str) for n in needs):
            raise TypeError(f"needs: expected a tuple of package names, got {needs!r}")
        if recorded and "torch" not in needs:
            raise ValueError(f"recorded: claim {id!r} records PyTorch's output: needs torch")

        def register(compute: Callable[[], Any]) -> Claim:
            entry = Claim(
                id,
                statement,
                compute,
                reference=reference,
                fmt=fmt,
                needs=tuple(needs),
                recorded=recorded,
            )
            return self._claims.add(id, entry, where=compute.__module__)

        return register

    def get(self, id: str) -> Claim:
        """The claim with this ID; ``KeyError`` naming the ID if there is none."""
        return self._claims.get(id)

    def all(self) -> list[Claim]:
        """Every claim, in registration order."""
        return self._claims.all()

    def clear_cache(self) -> None:
        """Forget computed values, so the next :meth:`Claim.value` recomputes."""
        for entry in self._claims.all():
            entry._value = _UNSET

    def computed(self) -> dict[str, Any]:
        """The values computed so far, by ID (recorded claims, read from a file, excluded).

        The site build keeps them on disk, keyed on the package's sources, so that a second
        build from the same sources (another edition, the next ``mkdocs serve``) reuses them.
        """
        return {
            c.id: c._value for c in self._claims.all() if c._value is not _UNSET and not c.recorded
        }

    def restore(self, values: dict[str, Any]) -> int:
        """Take values that :meth:`computed` returned for the same sources; IDs no longer in
        the ledger are ignored. Returns how many were taken.

        >>> ledger = Ledger()
        >>> @ledger.claim("one", "One.", reference="arithmetic")
        ... def one() -> int:
        ...     return 1
        >>> ledger.computed(), one.value(), ledger.computed()
        ({}, 1, {'one': 1})
        >>> fresh = Ledger()
        >>> @fresh.claim("one", "One.", reference="arithmetic")
        ... def one_again() -> int:
        ...     raise AssertionError("not computed again")
        >>> fresh.restore({"one": 1, "gone": 2}), one_again.value()
        (1, 1)
        """
        taken = 0
        for id, value in values.items():
            if id in self._claims and not self._claims.get(id).recorded:
                self._claims.get(id)._value = value
                taken += 1
        return taken
