"""The claims ledger of the book: one module per chapter, registered on import.

>>> from ce_book import claims
>>> entry = claims.get("bins-cross-entropy-bits")
>>> entry.chapter, entry.test
('information', 'tests/test_claims.py::test_claim[bins-cross-entropy-bits]')

Every module of this package whose name does not start with ``_`` is a chapter's claims
and is imported here, so adding a file is enough to add its claims to the book.
"""

from __future__ import annotations

from ce_book._registry import CHAPTERS, ID_PATTERN, import_modules
from ce_book.claims._ledger import Claim, Ledger
from ce_book.claims._recorded import encode as encode_value

LEDGER = Ledger()
claim = LEDGER.claim
get = LEDGER.get
all_claims = LEDGER.all
clear_cache = LEDGER.clear_cache

import_modules(__name__, __path__)

__all__ = [
    "CHAPTERS",
    "ID_PATTERN",
    "LEDGER",
    "Claim",
    "Ledger",
    "all_claims",
    "claim",
    "encode_value",
    "get",
]
