"""The table of source articles agrees with the stored texts: every file exists, every heading
(or forum post) starts where the table says, and no heading of a source is missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ce_book import sources

ROOT = Path(__file__).resolve().parents[1]
# The source articles live beside the checkout (they are not the book's to commit);
# CE_BOOK_SEEDS points elsewhere when the checkout is somewhere else.
SOURCES_DIR = Path(os.environ.get("CE_BOOK_SEEDS", ROOT.parent / "shared" / "seeds"))
needs_files = pytest.mark.skipif(
    not SOURCES_DIR.is_dir(), reason=f"the source articles are not at {SOURCES_DIR}"
)


def _lines(src: sources.Source) -> list[str]:
    return (SOURCES_DIR / src.file).read_text(encoding="utf-8").splitlines()


def test_five_sources_with_distinct_keys_and_files() -> None:
    assert len(sources.SOURCES) == 5
    assert len({s.key for s in sources.SOURCES}) == 5
    assert len({s.file for s in sources.SOURCES}) == 5
    assert [s.key for s in sources.SOURCES if s.garbled] == ["measure"]


def test_names_carry_no_file_numbers_or_seed() -> None:
    for src in sources.SOURCES:
        for text in (src.name, src.reader_name, *(p.label for p in src.parts)):
            assert "seed" not in text.lower()
            assert not any(f"00{n}" in text for n in range(5))


@needs_files
@pytest.mark.parametrize("src", sources.SOURCES, ids=sources.KEYS)
def test_parts_start_where_the_table_says(src: sources.Source) -> None:
    lines = _lines(src)
    if src.one_line:
        assert len(lines) == 1
    for part in src.parts:
        line = lines[part.line - 1]
        if src.one_line:
            assert line.startswith(part.text, part.column), part.label
        else:
            assert line.strip() == part.text, part.label
    positions = [(p.line, p.column) for p in src.parts]
    assert positions == sorted(positions)


@needs_files
def test_no_markdown_heading_of_the_one_line_source_is_missing() -> None:
    import re

    (src,) = [s for s in sources.SOURCES if s.one_line]
    text = _lines(src)[0]
    found = {m.start() for m in re.finditer(r"(?:^| )(#{2,4}) ", text)}
    found = {c + 1 if text[c] == " " else c for c in found}
    assert found == {p.column for p in src.parts}


def test_section_and_cite_reject_bad_places() -> None:
    with pytest.raises(KeyError, match="key"):
        sources.cite("nowhere", 1)
    with pytest.raises(ValueError, match="line"):
        sources.section("pinecone", 0)
    with pytest.raises(ValueError, match="single line"):
        sources.section("mechanics", 2)
