"""No typed-in computed results: a decimal with four or more significant digits in a chapter's
prose must come from the ledger (``[[value:ID]]``) instead.

Exempt: code (fences: their output is checked by tests/test_docs_code.py), math, ledger
references, link targets and HTML tags, as ``docs/hooks/book_markdown.py`` finds them.
Version numbers (0.16.25) and identifiers such as arXiv:1708.02002 are not decimals.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
sys.path.insert(0, str(DOCS / "hooks"))
import book_markdown  # noqa: E402 (the scanner the build hook uses, so both agree on what is prose)

PAGES = sorted(p for p in DOCS.glob("*.md") if p.name != "bibliography.md")

_DECIMAL = re.compile(r"(?<![\w.:/-])[-+]?(\d*\.\d+)(?:[eE][-+]?\d+)?(?![\w.]*\d)")


def significant_digits(decimal: str) -> int:
    """Significant digits of a decimal written in prose: '0.0120' has 3, '2.3219' has 5."""
    digits = decimal.replace(".", "").lstrip("0")
    return len(digits)


def typed_results(markdown: str) -> list[str]:
    """Decimals with four or more significant digits outside the exempt regions."""
    prose = book_markdown.blank(markdown)
    return [m.group(0) for m in _DECIMAL.finditer(prose) if significant_digits(m.group(1)) >= 4]


def test_detector_catches_typed_numbers_and_spares_exempt_ones() -> None:
    sample = (
        "The loss is 2.3219 bits, or 0.1234, or 1.609e-3.\n"
        "Fine: 0.4, 2.5, 0.01, version 0.16.25, arXiv:1708.02002, [[value:bins-kl-bits]],\n"
        "$H = 1.5305$ and\n$$\nx = 3.14159\n$$\n"
        '[a link](https://example.org/v1.2345) and <span data-x="1.2345">.</span>\n'
        "```python\n>>> 0.5283208335737187\n```\n"
    )
    assert typed_results(sample) == ["2.3219", "0.1234", "1.609e-3"]
    assert significant_digits("0.0120") == 3
    assert significant_digits("100.0") == 4


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_no_typed_in_results(page: Path) -> None:
    found = typed_results(page.read_text(encoding="utf-8"))
    assert not found, f"{page.name}: use [[value:ID]] for {found}"
