"""The print edition: the one-page book that ``mkdocs-print-site-plugin`` writes to
``print_page/``, finished for printing and for ``scripts/pdf.sh``.

The plugin joins the HTML of every page before the build hook typesets math, so this module
typesets the joined page too, puts a cover in front (title, version, commit, date, address)
and labels each chapter "Chapter N". The print stylesheet (``book.css``, ``@media print``)
hides the explorers, cite boxes and navigation, keeps derivations and figures whole and
prints the address of each external link.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

import book_cite
import book_math

PRINT_PAGE = Path("print_page") / "index.html"


def cover(edition: book_cite.Edition) -> str:
    """The cover of the print edition."""
    authors = ", ".join(edition.authors)
    commit = edition.commit.removesuffix("-dirty")[:12]
    return (
        '<section class="ce-cover">'
        f'<p class="ce-cover-title">{html.escape(edition.title)}</p>'
        '<p class="ce-cover-subtitle">A textbook on cross-entropy loss in which every number, '
        "derivation and figure is computed by code and checked by tests</p>"
        f'<p class="ce-cover-authors">{html.escape(authors)}</p>'
        f'<p class="ce-cover-edition">Version {html.escape(edition.version)} · commit '
        f"<code>{commit}</code> · built {edition.built.isoformat()}</p>"
        f'<p class="ce-cover-url">{html.escape(edition.url())}</p>'
        "</section>"
    )


_LINK = re.compile(r'<a (?P<before>[^>]*?)href="(?P<href>https?://[^"]+)"')


def mark_external(page_html: str, site_url: str) -> str:
    """Give links that leave the book ``class="ce-external"``: print shows their address.

    >>> mark_external('<a href="https://doi.org/x">x</a> <a href="../y/">y</a>', "https://b/")
    '<a class="ce-external" href="https://doi.org/x">x</a> <a href="../y/">y</a>'
    """

    def one(m: re.Match[str]) -> str:
        if m["href"].startswith(site_url) or "class=" in m["before"]:
            return m[0]
        return f'<a {m["before"]}class="ce-external" href="{m["href"]}"'

    return _LINK.sub(one, page_html)


_POPOVER = re.compile(r'<span class="ce-pop"[ >]| aria-describedby="pop-[^"]*"')
_SPAN = re.compile(r"<span[ >]|</span>")


def drop_popovers(page_html: str) -> str:
    """Remove the values' popovers and the attributes that point at them.

    Print hides popovers (a page cannot be hovered), so the print page does without their
    text: a smaller page for Chromium to lay out, and a PDF that does not depend on when the
    values were last verified.

    >>> value = '<span class="ce-value" aria-describedby="pop-v"><span class="ce-num">2</span>'
    >>> drop_popovers(value + '<span class="ce-pop" id="pop-v">a <span>b</span> c</span></span> d')
    '<span class="ce-value"><span class="ce-num">2</span></span> d'
    """
    out, at = [], 0
    while m := _POPOVER.search(page_html, at):
        out.append(page_html[at : m.start()])
        at = m.end()
        if m[0].startswith(" aria"):
            continue
        depth = 1
        while depth:
            tag = _SPAN.search(page_html, at)
            if tag is None:
                raise ValueError("page_html: a popover's <span> is never closed")
            depth += -1 if tag[0] == "</span>" else 1
            at = tag.end()
    out.append(page_html[at:])
    return "".join(out)


_RELATIVE = re.compile(r'(?P<tag><a [^>]*?)href="(?P<path>\.\./[^"#]+)(?P<anchor>#[^"]*)?"')


def _absolute_files(page_html: str, edition: book_cite.Edition) -> str:
    """Links from the print page to files of the site (``../ce-book.bib``) point at the
    published edition: a PDF read anywhere must not link to the machine that printed it."""

    def one(m: re.Match[str]) -> str:
        path = posixpath.normpath(posixpath.join("print_page", m["path"]))
        return f'{m["tag"]}href="{edition.url(path)}{m["anchor"] or ""}"'

    return _RELATIVE.sub(one, page_html)


def finish(site_dir: Path, edition: book_cite.Edition, chapters: tuple[str, ...], renderer) -> None:
    """Typeset, add the cover and chapter numbers to ``print_page/index.html`` in place."""
    path = site_dir / PRINT_PAGE
    if not path.exists():
        return
    text = book_math.typeset(drop_popovers(path.read_text(encoding="utf-8")), renderer)
    text = mark_external(text, edition.site_url)
    text = _absolute_files(text, edition)

    def number(m: re.Match[str]) -> str:
        n = chapters.index(m["id"]) + 1
        return f'{m[0]}<span class="ce-chapter-number">Chapter {n}</span>'

    pattern = "|".join(re.escape(c) for c in chapters)
    text = re.sub(rf'<section class="print-page" id="(?P<id>{pattern})"[^>]*>(?=<h1)', number, text)
    start = '<div id="print-site-page" class="">'
    text = text.replace(start, start + cover(edition), 1)
    tags = book_cite.meta_tags(edition, edition.title, "print_page/")
    text = text.replace("</head>", tags + "\n</head>", 1)
    path.write_text(text, encoding="utf-8")
