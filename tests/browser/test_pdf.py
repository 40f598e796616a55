"""The PDF edition: scripts/make_pdf.py prints the built site's one-page book in Chromium.

Checked on the printed file itself (pypdf): enough pages, every chapter present, a PDF
outline, numbered pages, math typeset (no TeX source in the text), no unresolved
``[[...]]`` reference, and no loopback address in the text or in any link.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from ce_book.claims import CHAPTERS

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


def _make_pdf_module():
    spec = importlib.util.spec_from_file_location("make_pdf", ROOT / "scripts" / "make_pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pdf(browser, site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    out = tmp_path_factory.mktemp("pdf") / "ce-book.pdf"
    _make_pdf_module().make_pdf(site_dir, out, browser=browser)
    return PdfReader(out)


@pytest.fixture(scope="module")
def text(pdf: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in pdf.pages)


def test_the_book_is_long_and_numbered(pdf: PdfReader, text: str) -> None:
    n = len(pdf.pages)
    assert n >= 60, n
    assert f"1 / {n}" in text and f"{n} / {n}" in text  # page numbers on every page


def test_every_chapter_is_in_the_pdf_and_its_outline(pdf: PdfReader, text: str) -> None:
    titles = {
        name: re.search(r"^# (.+)$", (ROOT / "docs" / f"{name}.md").read_text(), re.M)[1]
        for name in CHAPTERS
    }

    def flatten(items):
        for item in items:
            yield from flatten(item) if isinstance(item, list) else [item.title]

    outline = list(flatten(pdf.outline))
    for n, (name, title) in enumerate(titles.items(), start=1):
        assert title in text, name
        assert f"CHAPTER {n}" in text.upper(), name
        assert title in outline, (name, outline[:20])


def test_no_tex_source_references_or_loopback_in_the_pdf(pdf: PdfReader, text: str) -> None:
    assert not re.search(r"\\(frac|sum|log|begin|mathrm)\b|\$\$|\\\(|\\\[", text)
    assert not re.search(r"\[\[(value|claim|derivation|figure|eq):", text)
    uris = [
        annot.get_object().get("/A", {}).get("/URI", "")
        for page in pdf.pages
        for annot in page.get("/Annots", []) or []
    ]
    for where in [text, *uris]:
        assert not re.search(r"127\.0\.0\.1|localhost", where), where[:200]
