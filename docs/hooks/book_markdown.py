"""Which spans of a page's Markdown are code, math, references, link targets or HTML tags.

The one scanner the build hook (``book_refs``: where a ``[[kind:ID]]`` may be replaced) and
the tests (``tests/test_prose_numbers.py``: where a typed-in number is prose) share, so the
two cannot disagree about what is prose. It works on the source text and returns character
offsets, which a replacement needs (markdown-it-py's inline tokens carry no offsets).

>>> text = "See `x = 1.5` and $y = 2$ and [[value:a-b]] in [a](u.md)."
>>> [(kind, text[start:end]) for start, end, kind in spans(text)]
[('code', '`x = 1.5`'), ('math', '$y = 2$'), ('ref', '[[value:a-b]]'), ('link', '](u.md)')]
>>> blank(text, ("code", "math"))[:28]
'See           and         an'
"""

from __future__ import annotations

import re

KINDS = ("code", "math", "ref", "link", "html")

_SCANNER = re.compile(
    # fenced code, at any indentation (inside admonitions and tabs)
    r"(?P<code>^[ \t]*(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*(?P=fence)[ \t]*$|\Z)"
    # inline code: a run of backticks closed by the same run
    r"|(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))"
    # display math, then inline math (not across a blank line, not `\$`, not `$ x$`)
    r"|(?P<display>\$\$.+?\$\$)"
    r"|(?P<inline>(?<![\\$])\$(?![\s$])(?:[^$\n]|\n(?![ \t]*\n))+?(?<![\s\\])\$(?!\$))"
    r"|(?P<ref>\[\[[a-z-]+:[^\]\n]*\]\])"
    r"|(?P<link>\]\([^)\n]*\))"
    r"|(?P<html></?[a-zA-Z][^>\n]*>)",
    re.MULTILINE | re.DOTALL,
)


def spans(markdown: str) -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of every protected region, in order, not overlapping.

    ``kind`` is ``"code"``, ``"math"`` (inline or display), ``"ref"`` (a ``[[kind:ID]]``
    outside code and math), ``"link"`` (a link's ``](target)``) or ``"html"`` (a tag).
    """
    out = []
    for m in _SCANNER.finditer(markdown):
        if m.group("display") is not None or m.group("inline") is not None:
            kind = "math"
        else:
            kind = next(k for k in ("code", "ref", "link", "html") if m.group(k) is not None)
        out.append((m.start(), m.end(), kind))
    return out


def blank(markdown: str, kinds: tuple[str, ...] = KINDS) -> str:
    """The text with every region of the given kinds replaced by spaces (offsets kept)."""
    chars = list(markdown)
    for start, end, kind in spans(markdown):
        if kind in kinds:
            chars[start:end] = " " * (end - start)
    return "".join(chars)
