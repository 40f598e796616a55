"""Every ```python fence in the book's Markdown is executed, and shown output is checked.

Convention (see ARCHITECTURE.md): a fence whose first line starts with ``>>>`` is a doctest,
so the page shows the output and this test compares it; any other ```python fence is run as
a script. The fences of one page share a namespace, top to bottom, like a notebook.
"""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = sorted(DOCS.glob("*.md"))
SYBIL = Sybil(
    parsers=[PythonCodeBlockParser(doctest_optionflags=doctest.NORMALIZE_WHITESPACE)],
    path=str(DOCS),
    patterns=["*.md"],
)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_code_fences_run_and_print_what_the_page_shows(page: Path) -> None:
    document = SYBIL.parse(page)
    for example in document:
        example.evaluate()


def test_convention_checks_doctest_output(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("```python\n>>> 1 + 1\n3\n```\n", encoding="utf-8")
    document = Sybil(parsers=[PythonCodeBlockParser()], path=str(tmp_path)).parse(page)
    with pytest.raises(Exception, match=r"Expected:\s+3\s+Got:\s+2"):
        for example in document:
            example.evaluate()
