"""The errata list: every entry is well-formed, quotes its seed faithfully, is demonstrated
by a claim of the ledger, and has its own section (anchor = ID) on the errata page."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from markdown.extensions.toc import slugify

from ce_book import claims, errata

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "errata.md"
# The seed articles live beside the checkout (they are not the book's to commit);
# CE_BOOK_SEEDS points elsewhere when the checkout is somewhere else.
SEEDS_DIR = Path(os.environ.get("CE_BOOK_SEEDS", ROOT.parent / "shared" / "seeds"))
ENTRIES = errata.all_errata()
IDS = [e.id for e in ENTRIES]


def _normalise(text: str) -> str:
    """Collapse whitespace and typographic quotes, so a quote matches across line wraps."""
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text)


def test_at_least_fifteen_seed_errata_and_unique_ids() -> None:
    assert len(errata.ERRATA) >= 15
    assert len(set(IDS)) == len(IDS)
    assert {e.source for e in errata.ERRATA} == set(errata.SEEDS)  # every seed has mistakes


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_entry_is_well_formed(entry: errata.Erratum) -> None:
    assert claims.ID_PATTERN.fullmatch(entry.id)
    assert entry.kind in errata.KINDS
    assert 1 <= len(entry.quote.split()) <= 12, "a short quote: a few words only"
    assert entry.truth.strip()
    if entry.source is None:
        assert entry.line is None and entry.id.startswith("myth-")
    else:
        assert entry.source in errata.SEEDS and entry.line >= 1
        assert entry.id.startswith("seed-")
    assert all(s in errata.SEEDS and s != entry.source for s in entry.also)
    if entry.see is not None:
        page, _, anchor = entry.see.partition("#")
        assert (ROOT / "docs" / page).is_file(), f"see: {entry.see} is not a page of the book"
        if anchor:
            assert anchor in _anchors(ROOT / "docs" / page), f"see: no #{anchor} on {page}"


def _anchors(page: Path) -> set[str]:
    """Heading slugs (as the toc extension makes them), explicit { #id } and derivation IDs."""
    text = page.read_text(encoding="utf-8")
    found = set(re.findall(r"\{ *#([a-z0-9_-]+) *\}", text))
    found |= set(re.findall(r"\[\[derivation:([a-z0-9-]+)\]\]", text))
    for heading in re.findall(r"^#{1,6} (.+?)\s*$", text, flags=re.MULTILINE):
        found.add(slugify(re.sub(r"\{ *#.*\}$", "", heading).strip(), "-"))
    return found


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_claim_exists_and_holds(entry: errata.Erratum) -> None:
    entry_claim = claims.get(entry.claim)
    if "torch" in entry_claim.needs:
        pytest.importorskip("torch")
    entry_claim.verify()


@pytest.mark.parametrize("entry", errata.ERRATA, ids=[e.id for e in errata.ERRATA])
def test_quote_is_in_the_seed_at_that_line(entry: errata.Erratum) -> None:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"the seed articles are not at {SEEDS_DIR} (set CE_BOOK_SEEDS)")
    lines = (SEEDS_DIR / errata.SEEDS[entry.source][0]).read_text(encoding="utf-8").splitlines()
    assert _normalise(entry.quote) in _normalise(lines[entry.line - 1])


def test_the_page_has_a_section_per_entry_citing_its_claim() -> None:
    text = PAGE.read_text(encoding="utf-8")
    anchors = re.findall(r"^#{2,4} .*\{ *#([a-z0-9-]+) *\}\s*$", text, flags=re.MULTILINE)
    assert sorted(set(IDS) - set(anchors)) == []
    sections = re.split(r"^#{2,4} ", text, flags=re.MULTILINE)
    for entry in ENTRIES:
        (section,) = [s for s in sections if re.search(rf"\{{ *#{entry.id} *\}}", s)]
        assert f"[[claim:{entry.claim}]]" in section, f"{entry.id}: section must cite its claim"
        if entry.source is not None:
            assert f"`{entry.source}`" in section or entry.source in section
