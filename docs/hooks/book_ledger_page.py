"""Generate the "Claims and derivations" page: the book's ledger, laid out like a blueprint.

Claims are grouped by chapter; each entry shows its ID (the anchor), statement, value,
status, what it is checked against, the test that checks it, the code that computes it,
and the pages that use it. Derivations follow, rendered from their SymPy steps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

INTRO = """\
Every number the prose shows and every derivation it renders is listed here by its ID, with
what checks it. The ID is the anchor of each entry (`claims/#ID`) and never changes meaning.
A claim is computed by the `ce_book` package when the site is built and checked against an
independent source (exact fractions with mpmath at 50 digits, SymPy, a hand derivation, a
published number, or PyTorch); each derivation is a list of SymPy steps, each step checked
against the one before. Re-check everything yourself with `bash scripts/test.sh`.
"""

STATUS = """\
How to read an entry: the **value** is what the prose shows, computed from `ce_book` while
this page was built. The **check** compares it with the independent source named under
*checked against*; the test named under *checked by* runs that check, and the book's test
command fails if any check fails. Checks are not re-run while the site builds, so that an
edit is served in about a second.
"""


def _used_in(pages: Sequence[str], titles: Mapping[str, str]) -> str:
    if not pages:
        return "not used on any page yet"
    return ", ".join(f"[{titles.get(src, src)}]({src})" for src in sorted(set(pages)))


def claims_page(
    claims: Sequence[Any],
    derivations: Sequence[Any],
    *,
    chapter_titles: Mapping[str, str],
    page_titles: Mapping[str, str],
    usage: Mapping[tuple[str, str], list[str]],
    render_derivation: Callable[[Any], str],
) -> str:
    """The Markdown of ``claims.md``."""
    lines = ["# Claims and derivations", "", INTRO]
    lines += [f"**{len(claims)} claims** and **{len(derivations)} derivations**.", "", STATUS, ""]
    chapters: dict[str, list[Any]] = {}
    for c in claims:
        chapters.setdefault(c.chapter, []).append(c)
    for chapter, entries in chapters.items():
        lines += [f"## {chapter_titles.get(chapter, chapter)}", ""]
        for c in entries:
            torch_note = " (compared with PyTorch)" if "torch" in c.needs else ""
            code = f"{c.compute.__module__}.{c.compute.__name__}"
            lines += [
                f"### `{c.id}` {{ #{c.id} .ce-ledger-entry }}",
                "",
                c.statement,
                "",
                f"- **Value:** `{c.format()}`",
                f"- **Checked against:** {c.reference}",
                f"- **Checked by:** `{c.test}`{torch_note}",
                f"- **Computed by:** `{code}`",
                f"- **Used in:** {_used_in(usage.get(('claim', c.id), []), page_titles)}",
                "",
            ]
    lines += ["## Derivations", ""]
    if not derivations:
        lines += ["No derivation is registered yet.", ""]
    for d in derivations:
        lines += [
            f"### `{d.id}` {{ #{d.id} .ce-ledger-entry }}",
            "",
            f"- **Steps:** {len(d.steps)}, each checked against the one before",
            "- **Checked by:** `tests/test_derivations.py` and `python -m ce_book verify`",
            f"- **Used in:** {_used_in(usage.get(('derivation', d.id), []), page_titles)}",
            "",
            render_derivation(d),
            "",
        ]
    return "\n".join(lines)
