"""The PDF edition: scripts/make_pdf.py prints the built site's one-page book in Chromium.

Checked on the printed file itself (pypdf): enough pages, every chapter present, a PDF
outline, numbered pages, math typeset (no TeX source in the text), no unresolved
``[[...]]`` reference, and no loopback address in the text or in any link.

Printing the book takes Chromium about a minute, the longest single job of the test run, so
the printed file is kept in ``.cache/pdf/`` under a hash of everything the print depends on:
the print page, every file it loads, the printing script and the browser's version. A run
that changes any of them prints again; a run that changes none reads the same bytes Chromium
would print. The hash leaves out commit hashes and ISO dates (the cover's build line, the
citation, the claims page's verification line), which change with every commit and every day
although the book does not, and which none of the checks below can see.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from ce_book.claims import CHAPTERS

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
PDF_CACHE = ROOT / ".cache" / "pdf"
#: The folders of the built site that the print page loads files from.
PRINTED_FROM = ("assets", "css", "js", "figures")
#: Commit hashes (with git's ``-dirty``) and ISO dates: not part of the book's content.
STAMPS = re.compile(r"\b[0-9a-f]{7,40}(-dirty)?\b|\b\d{4}-\d{2}-\d{2}\b")


def _make_pdf_module():
    spec = importlib.util.spec_from_file_location("make_pdf", ROOT / "scripts" / "make_pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def print_key(site: Path, browser_version: str) -> str:
    """A hash of what the PDF of ``site`` depends on (see the module's docstring)."""
    digest = hashlib.sha256(browser_version.encode())
    digest.update((ROOT / "scripts" / "make_pdf.py").read_bytes())
    page = (site / "print_page" / "index.html").read_text(encoding="utf-8")
    digest.update(STAMPS.sub("", page).encode())
    for folder in PRINTED_FROM:
        for file in sorted((site / folder).rglob("*")):
            if file.is_file():
                digest.update(file.relative_to(site).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:24]


@pytest.fixture(scope="module")
def pdf(browser, site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    out = tmp_path_factory.mktemp("pdf") / "ce-book.pdf"
    cached = PDF_CACHE / f"{print_key(site_dir, browser.version)}.pdf"
    if cached.exists():
        shutil.copyfile(cached, out)
    else:
        _make_pdf_module().make_pdf(site_dir, out, browser=browser)
        PDF_CACHE.mkdir(parents=True, exist_ok=True)
        for old in PDF_CACHE.glob("*.pdf"):  # keep only the latest print
            old.unlink()
        shutil.copyfile(out, cached)
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


def test_the_print_key_follows_the_book_but_not_its_stamps(tmp_path: Path) -> None:
    """The cache of the printed PDF is re-used only when nothing the print reads has changed."""
    page = tmp_path / "print_page" / "index.html"
    page.parent.mkdir()
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "book.css").write_text("body { color: black }")
    page.write_text("<p>commit <code>0123abcd</code> · built 2026-12-01</p><p>Chapter 1</p>")
    key = print_key(tmp_path, "140.0")
    page.write_text("<p>commit <code>4567cdef-dirty</code> · built 2027-01-02</p><p>Chapter 1</p>")
    assert print_key(tmp_path, "140.0") == key  # a new commit or day: the same book
    page.write_text("<p>commit <code>4567cdef</code> · built 2027-01-02</p><p>Chapter 2</p>")
    assert print_key(tmp_path, "140.0") != key  # the text changed
    key = print_key(tmp_path, "140.0")
    (tmp_path / "css" / "book.css").write_text("body { color: navy }")
    assert print_key(tmp_path, "140.0") != key  # a stylesheet the print loads changed
    key = print_key(tmp_path, "140.0")
    assert print_key(tmp_path, "141.0") != key  # another Chromium


def test_the_print_page_leaves_out_the_popovers(site_dir: Path, text: str) -> None:
    """Print cannot hover: the print page has no popover and nothing that points at one, so
    the PDF does not change with the date a value was last verified."""
    page = (site_dir / "print_page" / "index.html").read_text(encoding="utf-8")
    chapter = (site_dir / "gradients" / "index.html").read_text(encoding="utf-8")
    assert chapter.count('class="ce-pop"') > 10  # the chapters have them
    assert 'class="ce-pop"' not in page and 'aria-describedby="pop-' not in page
    assert page.count('class="ce-value') > 100  # the values themselves are printed
    assert "Ledger entry" not in text and "Independent check" not in text
