"""Generate the "Claims and derivations" page: the book's ledger, laid out like a blueprint.

Claims sit in one compact table per chapter: a row per claim, whose id is the claim's ID
(the canonical anchor ``claims/#ID``), with its description, the value the prose shows, what
it is checked against, its status in the last verification record, and links to each
paragraph that uses it. Derivations follow under their canonical anchors: the statement and a
link to the chapter that shows the steps, or the whole derivation when no chapter shows it.
The page is left out of the site search: its hundreds of short entries would drown the
chapters' results.
"""

from __future__ import annotations

import inspect
import posixpath
from collections.abc import Callable, Mapping, Sequence
from typing import Any

FRONT_MATTER = """\
---
search:
  exclude: true
---
"""

INTRO = """\
Every number the prose shows and every derivation it renders is listed here by its ID, with
what checks it. The ID is the anchor of each entry (`claims/#ID`), the one address to cite,
and never changes meaning. A claim's value is computed by the `ce_book` package when the site
is built; the test suite checks it against an independent source (mpmath at 50 digits,
SymPy, exact fractions, a hand derivation, a published number, or PyTorch). A derivation is a
list of SymPy steps, each checked against the one before. Re-check everything yourself with
`bash scripts/test.sh`; the ledger is also available as [claims.json](claims.json),
[derivations.json](derivations.json) and, for reference managers, [ce-book.bib](ce-book.bib).
"""


def _record_line(record: Mapping[str, Any] | None) -> str:
    if record is None:
        return (
            "**Verification:** no test run has been recorded in this checkout yet, so the "
            "status column says *unverified*; `bash scripts/test.sh` records one."
        )
    v = record["versions"]
    libs = ", ".join(f"{k} {v[k]}" for k in ("numpy", "sympy", "mpmath", "torch") if v.get(k))
    verdict = "every check passed" if record["passed"] else "**some checks failed**"
    return (
        f"**Verification:** last complete test run on {record['date'][:10]} at commit "
        f"`{record['commit'][:12]}`, Python {v['python']}, {libs}: {verdict}."
    )


def _status(record: Mapping[str, Any] | None, kind: str, id: str) -> str:
    outcome = (record or {}).get(f"{kind}s", {}).get(id)
    if outcome is None:
        return '<span class="ce-status ce-status-none">unverified</span>'
    label = "verified" if outcome == "passed" else outcome
    return f'<span class="ce-status ce-status-{outcome}">{label}</span>'


def _used_in(targets: Sequence[str], titles: Mapping[str, str]) -> str:
    if not targets:
        return "not used on any page yet"
    links, counts = [], {}
    for target in targets:
        src = target.partition("#")[0]
        counts[src] = counts.get(src, 0) + 1
        n = counts[src]
        label = titles.get(src, src) + ("" if n == 1 else f" ({n})")
        links.append(f"[{label}]({target})")
    return ", ".join(links)


def _source(func: Callable[..., Any], edition: Any) -> str:
    """Where a function is defined: a link into the repository at the built commit, or a path."""
    module = inspect.getmodule(func)
    rel = module.__name__.replace(".", "/") + ".py"  # ce_book is a top-level package
    line = inspect.getsourcelines(func)[1]
    commit = edition.commit.removesuffix("-dirty")
    if edition.repository and commit != "unknown":
        return f"[`{rel}:{line}`]({edition.repository}/blob/{commit}/{rel}#L{line})"
    return f"`{rel}:{line}`"


def _cell(text: str) -> str:
    return f'<td markdown="span">{" ".join(text.split())}</td>'


def claims_page(
    claims: Sequence[Any],
    derivations: Sequence[Any],
    *,
    chapter_titles: Mapping[str, str],
    page_titles: Mapping[str, str],
    usage: Mapping[tuple[str, str], list[str]],
    render_derivation: Callable[[Any], str],
    record: Mapping[str, Any] | None,
    edition: Any,
    graph_svg: str = "",
) -> str:
    """The Markdown of ``claims.md``."""
    lines = [FRONT_MATTER, "# Claims and derivations", "", INTRO]
    lines += [
        f"**{len(claims)} claims** and **{len(derivations)} derivations**. {_record_line(record)}",
        "",
    ]
    chapters: dict[str, list[Any]] = {}
    for c in claims:
        chapters.setdefault(c.chapter, []).append(c)
    for chapter, entries in chapters.items():
        lines += [f"## {chapter_titles.get(chapter, chapter)}", ""]
        lines += [
            '<table class="ce-ledger" markdown="1">',
            "<thead><tr><th>Claim</th><th>Value</th><th>Checked against</th>"
            "<th>Status</th><th>Used in</th></tr></thead>",
            '<tbody markdown="1">',
        ]
        for c in entries:
            torch_note = " (the value is PyTorch's, recorded)" if c.recorded else ""
            test = posixpath.basename(c.test.partition("::")[0])
            lines += [
                f'<tr id="{c.id}" markdown="1">',
                _cell(f"[`{c.id}`](#{c.id})<br>{c.statement}"),
                _cell(f"`{c.format()}`"),
                _cell(
                    f"{c.reference}{torch_note}<br><small>computed by "
                    f"{_source(c.compute, edition)}; checked by `{test}`</small>"
                ),
                f"<td>{_status(record, 'claim', c.id)}</td>",
                _cell(_used_in(usage.get(("claim", c.id), []), page_titles)),
                "</tr>",
            ]
        lines += ["</tbody>", "</table>", ""]
    lines += ["## Derivations", ""]
    if graph_svg:
        lines += [
            "How the derivations build on each other: an arrow from one to another means the "
            "second cites the first as a proved rule.",
            "",
            f'<div class="ce-graph">{graph_svg}</div>',
            "",
        ]
    for d in derivations:
        shown = usage.get(("derivation", d.id), [])
        lines += [
            f"### {d.title} {{ #{d.id} .ce-ledger-entry }}",
            "",
            f"`{d.id}`: {len(d.steps)} steps, each checked against the one before by "
            f"`tests/test_derivations.py` and `python -m ce_book verify`. "
            f"Status: {_status(record, 'derivation', d.id)}. "
            f"Shown in: {_used_in(shown, page_titles)}.",
            "",
        ]
        # A derivation a chapter shows is read there (this entry is its address to cite);
        # one that chapters only cite is shown here in full.
        lines += [d.statement_markdown() if shown else render_derivation(d), ""]
    return "\n".join(lines)
