"""The errata list: every entry is well-formed, quotes its source faithfully at the place it
cites, is demonstrated by a claim of the ledger, and has its own section (anchor = ID) on the
errata page, which shows the claim's value (or links to the entry that shows it) and cites the
place by the source's name and section, never by a file or a line of the stored text."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from markdown.extensions.toc import slugify

from ce_book import claims, errata, sources

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "errata.md"
# The source articles live beside the checkout (they are not the book's to commit);
# CE_BOOK_SEEDS points elsewhere when the checkout is somewhere else.
SOURCES_DIR = Path(os.environ.get("CE_BOOK_SEEDS", ROOT.parent / "shared" / "seeds"))
ENTRIES = errata.all_errata()
IDS = [e.id for e in ENTRIES]
PREFIX = {"note": "note-"}


def _normalise(text: str) -> str:
    """Collapse whitespace and typographic quotes, so a quote matches across line wraps."""
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text)


def test_at_least_fifteen_errata_and_unique_ids() -> None:
    assert len([e for e in errata.ERRATA if e.kind != "note"]) >= 15
    assert len(set(IDS)) == len(IDS)
    assert {e.source for e in errata.ERRATA} == set(sources.KEYS)  # every source has mistakes


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_entry_is_well_formed(entry: errata.Erratum) -> None:
    assert claims.ID_PATTERN.fullmatch(entry.id)
    assert "seed" not in entry.id
    assert entry.kind in errata.KINDS
    assert 1 <= len(entry.quote.split()) <= 12, "a short quote: a few words only"
    assert entry.truth.strip()
    if entry.source is None:
        assert entry.line is None and entry.id.startswith("myth-")
    else:
        assert entry.source in sources.KEYS and entry.line >= 1
        assert entry.id.startswith(PREFIX.get(entry.kind, "erratum-"))
    assert all(p.source in sources.KEYS and p.source != entry.source for p in entry.also)
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
    found |= set(re.findall(r'<span id="([a-z0-9_-]+)"', text))
    for heading in re.findall(r"^#{1,6} (.+?)\s*$", text, flags=re.MULTILINE):
        found.add(slugify(re.sub(r"\{ *#.*\}$", "", heading).strip(), "-"))
    return found


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_claim_exists_and_holds(entry: errata.Erratum) -> None:
    entry_claim = claims.get(entry.claim)
    if "torch" in entry_claim.needs:
        pytest.importorskip("torch")
    entry_claim.verify()


PLACES = [(e.id, e) for e in errata.ERRATA] + [
    (f"{e.id}-also-{n}", p) for e in errata.ERRATA for n, p in enumerate(e.also)
]


@pytest.mark.parametrize("place", [p for _, p in PLACES], ids=[i for i, _ in PLACES])
def test_quote_is_in_the_source_at_that_place(place) -> None:
    if not SOURCES_DIR.is_dir():
        pytest.skip(f"the source articles are not at {SOURCES_DIR} (set CE_BOOK_SEEDS)")
    src = sources.get(place.source)
    lines = (SOURCES_DIR / src.file).read_text(encoding="utf-8").splitlines()
    line = lines[place.line - 1]
    if src.one_line:
        assert line.startswith(place.quote, place.column)
    else:
        assert place.column == 0
        assert _normalise(place.quote) in _normalise(line)


def _sections(text: str) -> dict[str, str]:
    """Each entry's text: a section whose heading carries its ID, or (a small slip) a list
    item that starts with ``<span id="ID"></span>`` and runs to the next item or paragraph."""
    sections = re.split(r"^#{2,4} ", text, flags=re.MULTILINE)
    out = {}
    for s in sections:
        m = re.search(r"\{ *#([a-z0-9-]+) *\}", s.splitlines()[0] if s else "")
        if m:
            out[m.group(1)] = s
    for m in re.finditer(
        r'^- <span id="([a-z0-9-]+)"></span>(.*?)(?=^- |^\S|\Z)', text, re.MULTILINE | re.DOTALL
    ):
        out[m.group(1)] = m.group(2)
    return out


def test_the_page_has_a_section_per_entry_citing_its_claim_and_place() -> None:
    text = PAGE.read_text(encoding="utf-8")
    sections = _sections(text)
    assert sorted(set(IDS) - set(sections)) == []
    for entry in ENTRIES:
        section = _normalise(sections[entry.id])
        # its claim's value, or a link to another entry that shows the same value
        shown_by = [
            other.id
            for other in ENTRIES
            if f"(#{other.id})" in section and f"[[value:{entry.claim}]]" in sections[other.id]
        ]
        assert f"[[value:{entry.claim}]]" in section or shown_by, (
            f"{entry.id}: must show its claim's value"
        )
        if entry.source is not None:
            assert _normalise(errata.citation(entry)) in section, f"{entry.id}: cite the place"
            for place in entry.also:
                assert _normalise(errata.citation(place)) in section, f"{entry.id}: cite also"


def test_the_page_names_sources_not_files() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert not re.search(r"\bline \d|\blines \d|stored text", text), "cite sections, not lines"
    assert "[[claim:" not in text
    assert "\u2713" not in text
    assert not re.search(
        r"\bseed",
        re.sub(r"\{ *#[^}]*\}|\[\[[a-z]+:[^\]]*\]\]|\(#[^)]*\)|id=\"[^\"]*\"", "", text),
        re.I,
    )
    assert not re.search(r"(?<![\d.])00[0-4](?![\d.])", text)
