"""The claims ledger of the book: one module per chapter, registered on import.

>>> from ce_book import claims
>>> entry = claims.get("bins-cross-entropy-bits")
>>> entry.chapter, entry.test
('information', 'tests/test_claims.py::test_claim[bins-cross-entropy-bits]')

Every module of this package whose name does not start with ``_`` is a chapter's claims
and is imported here, so adding a file is enough to add its claims to the book.
"""

from __future__ import annotations

import importlib
import pkgutil

from ce_book.claims._ledger import ID_PATTERN, Claim, Ledger

#: The chapters of the book in reading order (page ``docs/<name>.md``, ledger module ``<name>``).
CHAPTERS = (
    "information",
    "binary",
    "categorical",
    "likelihood",
    "gradients",
    "stability",
    "errata",
    "beyond",
)

LEDGER = Ledger()
claim = LEDGER.claim
get = LEDGER.get
all_claims = LEDGER.all
clear_cache = LEDGER.clear_cache


def _chapter_modules() -> list[str]:
    found = {m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")}
    order = {name: i for i, name in enumerate(CHAPTERS)}
    return sorted(found, key=lambda name: (order.get(name, len(order)), name))


for _name in _chapter_modules():
    importlib.import_module(f"{__name__}.{_name}")

__all__ = ["CHAPTERS", "ID_PATTERN", "LEDGER", "Claim", "Ledger", "all_claims", "claim", "get"]
