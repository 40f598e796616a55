"""Find ``[[kind:ID]]`` references in a page's Markdown, outside code, and replace them.

Code (fenced blocks and inline spans) is left alone, so a page can show the syntax itself.
Math (``$...$``, ``$$...$$``) is left alone too, except that ``[[value:ID]]`` inside math is
replaced by the bare value and ``[[eq:ID]]`` by the bare LaTeX of a checked result.
Nothing here touches braces, so ``{#`` and ``{{`` in LaTeX pass through unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from book_markdown import spans

KINDS = ("value", "derivation", "figure", "eq", "cite")
BLOCK_KINDS = ("derivation", "figure", "cite")
REF = re.compile(r"\[\[(?P<kind>[a-z]+):(?P<id>[^\]\n]*)\]\]")


class RefError(Exception):
    """A reference that cannot be resolved: unknown kind or ID, or misplaced."""


@dataclass(frozen=True)
class Ref:
    kind: str
    id: str
    in_math: bool
    indent: str  # leading whitespace of the line, for block references


def _protected_spans(markdown: str) -> list[tuple[int, int, bool]]:
    """(start, end, is_math) of every code or math region (``book_markdown`` finds them)."""
    return [(a, b, kind == "math") for a, b, kind in spans(markdown) if kind in ("code", "math")]


def find_refs(markdown: str) -> Iterator[tuple[re.Match[str], Ref]]:
    """Every reference outside code, with whether it sits inside math."""
    spans = _protected_spans(markdown)
    for m in REF.finditer(markdown):
        inside = next((s for s in spans if s[0] <= m.start() < s[1]), None)
        if inside is not None and not inside[2]:
            continue
        line_start = markdown.rfind("\n", 0, m.start()) + 1
        line_end = markdown.find("\n", m.end())
        before = markdown[line_start : m.start()]
        after = markdown[m.end() : len(markdown) if line_end < 0 else line_end]
        indent = before if not before.strip() and not after.strip() else ""
        yield m, Ref(m.group("kind"), m.group("id"), inside is not None, indent)


def substitute(markdown: str, resolve: Callable[[Ref], str]) -> tuple[str, list[str]]:
    """Replace every reference by ``resolve(ref)``; return the text and the error messages.

    ``resolve`` raises :class:`RefError` for a reference it cannot resolve; the caller
    decides how to report the collected messages.
    """
    out, errors, last = [], [], 0
    for m, ref in find_refs(markdown):
        out.append(markdown[last : m.start()])
        last = m.end()
        try:
            if ref.kind not in KINDS:
                raise RefError(f"unknown reference kind {ref.kind!r} in {m.group(0)}")
            if ref.kind in BLOCK_KINDS and (ref.in_math or not _own_line(markdown, m)):
                raise RefError(f"{m.group(0)} must stand on a line of its own")
            if ref.in_math and ref.kind not in ("value", "eq"):
                raise RefError(f"{m.group(0)} cannot appear inside math")
            text = resolve(ref)
        except RefError as err:
            errors.append(str(err))
            text = m.group(0)
        if ref.kind in BLOCK_KINDS:
            text = text.replace("\n", "\n" + ref.indent)
        out.append(text)
    out.append(markdown[last:])
    return "".join(out), errors


def _own_line(markdown: str, m: re.Match[str]) -> bool:
    line_start = markdown.rfind("\n", 0, m.start()) + 1
    line_end = markdown.find("\n", m.end())
    line = markdown[line_start : len(markdown) if line_end < 0 else line_end]
    return line.strip() == m.group(0)
