"""MkDocs hooks of the book: computed references, the ledger page, labs and offline math.

Events, in build order:

- ``on_config``: locate the repository, reload ``ce_book`` if its sources changed since the
  last build (``mkdocs serve`` keeps one Python process), and pin mkdocs-jupyter's cache.
- ``on_files``: add KaTeX's stylesheet and fonts from ``node_modules`` to the site, execute
  each lab into a cached notebook (see ``book_labs``), start from the claim values computed
  by an earlier build from the same sources (``book_claims_cache``), and generate ``claims.md``.
- ``on_nav``: list the labs under the "Labs" section.
- ``on_page_markdown``: replace ``[[value:ID]]``, ``[[eq:ID]]``, ``[[derivation:ID]]`` and
  ``[[figure:ID]]``; an unknown ID stops the build with the page and the ID.
- ``on_page_content``: give lab pages download links and drop the notebook template's
  MathJax and mermaid loaders (they point at a CDN; KaTeX renders the math instead).
- ``on_post_page``: typeset every formula with KaTeX at build time (``book_math``).
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import re
import sys
import time
from pathlib import Path
from typing import Any

import book_blocks
import book_cite
import book_claims_cache
import book_labs
import book_ledger_page
import book_math
import book_print
import book_refs
import book_theme
import jinja2
from book_state import STATE
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.book")

KATEX_FILES = ("katex.min.css",)  # the math is typeset at build time: no KaTeX script
LABS_SECTION = "Labs"
#: ``CE_BOOK_DRAFT=1 mkdocs build``: reuse each lab's latest execution even when ``ce_book``
#: changed since (as ``mkdocs serve`` does), for quick drafts; the tests never set it.
DRAFT = os.environ.get("CE_BOOK_DRAFT") == "1"


def _ce_book_modules() -> list[str]:
    return [name for name in sys.modules if name == "ce_book" or name.startswith("ce_book.")]


def on_startup(command: str, dirty: bool) -> None:
    STATE.serving = command == "serve"


@event_priority(100)  # the published address is set before any plugin reads it
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    STATE.root = Path(config.config_file_path).resolve().parent
    digest = book_labs.sources_digest(STATE.root / "ce_book")
    if STATE.digest and digest != STATE.digest:
        for name in _ce_book_modules():  # serve: a rebuild after an edit to ce_book
            del sys.modules[name]
        STATE.latex = {}
    STATE.digest = digest
    if STATE.math is None:
        STATE.math = book_math.Renderer(STATE.root)
    _edition(config)
    printer = config.plugins.get("print-site")
    if printer is not None and STATE.serving:  # the print edition is for builds, not edits
        printer.config["enabled"] = False
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is not None:
        jupyter.config["cache_dir"] = str(STATE.root / ".cache" / "mkdocs-jupyter")
    return config


def _edition(config: MkDocsConfig) -> None:
    """The edition being built; a release build (``CE_BOOK_RELEASE=1``) checks it first.

    ``CE_BOOK_SITE_URL`` sets the published address for every URL the site emits (sitemap,
    canonical links, cite boxes, meta tags, exports); ``mkdocs serve`` keeps its own address.
    Under ``mike deploy VERSION`` the edition lives at ``<address>/VERSION/``, and every
    citation points there: a stable edition, never the moving ``latest``.
    """
    import ce_book

    if not STATE.serving:
        config.site_url = book_cite.site_url(config.site_url)
    url = config.site_url or book_cite.site_url(None)
    deployed = os.environ.get("MIKE_DOCS_VERSION")  # set by `mike deploy` while it builds
    if deployed and not STATE.serving:
        # An edition at <site>/<version>/: mike's own plugin (after this hook) moves the
        # site_url there for the sitemap and canonical links; the citations follow it.
        url = f"{url}{deployed}/"
        config.extra["version"] = {"provider": "mike", "default": "latest"}
    try:
        STATE.edition = book_cite.read_edition(STATE.root, url, ce_book.__version__)
    except book_cite.EditionError as err:
        raise PluginError(str(err)) from None
    STATE.record = book_cite.read_record(STATE.root)
    if os.environ.get("CE_BOOK_RELEASE") == "1":
        try:
            book_cite.check_release(STATE.edition)
            book_cite.check_record(STATE.record, STATE.edition)
        except book_cite.EditionError as err:
            raise PluginError(str(err)) from None


# --- files: KaTeX, labs, the claims page ------------------------------------------------


def _katex_files(config: MkDocsConfig) -> list[File]:
    dist = STATE.root / "node_modules" / "katex" / "dist"
    if not (dist / "katex.min.js").exists():
        raise PluginError(
            f"KaTeX not found in {dist}: run `bash scripts/setup.sh docs` (it runs `npm ci`)"
        )
    paths = [dist / name for name in KATEX_FILES] + sorted((dist / "fonts").iterdir())
    return [
        File.generated(
            config, f"assets/katex/{p.relative_to(dist).as_posix()}", abs_src_path=str(p)
        )
        for p in paths
    ]


def _labs(files: Files, config: MkDocsConfig) -> list[File]:
    """Executed notebooks for every ``labs/*.py``; the ``.py`` stays as a download."""
    STATE.labs = {}
    out = []
    cache = STATE.root / ".cache" / "labs"
    for f in files:
        if re.fullmatch(r"labs/[a-z0-9_-]+\.py", f.src_uri):
            start = time.perf_counter()
            try:
                nb, fresh = book_labs.execute_lab(
                    Path(f.abs_src_path),
                    cache,
                    STATE.digest,
                    STATE.root,
                    allow_stale=STATE.serving or DRAFT,
                )
            except book_labs.LabError as err:
                raise PluginError(f"docs/{f.src_uri}: {err}") from None
            if not fresh and "unexecuted" in nb.parts:
                log.info("%s: shown without outputs while it runs in the background", f.src_uri)
            elif not fresh:
                log.info(
                    "%s: showing its last run; ce_book changed since (build re-runs it)", f.src_uri
                )
            log.debug("lab %s ready in %.1f s", f.src_uri, time.perf_counter() - start)
            src_uri = f.src_uri[:-3] + ".ipynb"
            STATE.labs[src_uri] = nb
            # A plain File (not File.generated): mkdocs-jupyter wraps it and needs src_dir.
            out.append(
                File(src_uri, str(nb.parents[1]), config.site_dir, config.use_directory_urls)
            )
    return out


def _titles(nav: list[Any]) -> dict[str, str]:
    """Nav title of every page listed in ``mkdocs.yml`` by its source path."""
    titles: dict[str, str] = {}
    for item in nav or []:
        if isinstance(item, dict):
            for title, target in item.items():
                if isinstance(target, str):
                    titles[target] = title
                else:
                    titles.update(_titles(target))
    return titles


def _value_anchor(claim_id: str, seen: dict[str, int]) -> str:
    """The element id of a value in the prose: ``v-ID``, then ``v-ID-2``, ... on one page."""
    seen[claim_id] = seen.get(claim_id, 0) + 1
    n = seen[claim_id]
    return f"v-{claim_id}" if n == 1 else f"v-{claim_id}-{n}"


def _scan_usage(files: Files) -> dict[tuple[str, str], list[str]]:
    """Where each claim and derivation is used: ``page.md#anchor`` (the paragraph's value)."""
    usage: dict[tuple[str, str], list[str]] = {}
    for f in files.documentation_pages():
        if not f.src_uri.endswith(".md") or f.src_uri == book_blocks.CLAIMS_PAGE:
            continue
        seen: dict[str, int] = {}
        for _, ref in book_refs.find_refs(f.content_string):
            kind = "claim" if ref.kind in ("value", "claim") else ref.kind
            target = f.src_uri
            if kind == "claim" and not ref.in_math:
                target += "#" + _value_anchor(ref.id, seen)
            elif kind == "derivation":
                target += "#" + ref.id
            usage.setdefault((kind, ref.id.partition("#")[0]), []).append(target)
    return usage


def _get_derivation(id: str) -> Any:
    from ce_book import derivations

    try:
        return derivations.get(id)
    except KeyError:
        raise book_refs.RefError(f"unknown derivation {id!r}") from None


def _render_derivation(d: Any, page: Page | None, config: MkDocsConfig, anchor: bool) -> str:
    page_src = page.file.src_uri if page else book_blocks.CLAIMS_PAGE
    if d.id not in STATE.latex:  # SymPy printing is the slow part; sources rarely change
        STATE.latex[d.id] = d.latex()
    return book_blocks.derivation_markdown(
        d,
        latex=STATE.latex[d.id],
        page_src=page_src,
        cite_url=STATE.edition.url(f"claims/#{d.id}"),  # the one canonical address
        version=STATE.edition,
        anchor=anchor,
        wait=not STATE.serving,
    )


@event_priority(50)  # before mkdocs-jupyter turns notebooks into pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    from ce_book import claims, derivations

    STATE.claims_cache = book_claims_cache.path(STATE.root, STATE.digest)
    STATE.claims_restored = claims.LEDGER.restore(book_claims_cache.load(STATE.claims_cache))
    for f in _katex_files(config) + _labs(files, config) + _theme_files(files, config):
        files.append(f)
    STATE.usage = _scan_usage(files)
    chapter_titles = {}
    titles = _titles(config.nav)
    for name in claims.CHAPTERS:
        chapter_titles[name] = titles.get(f"{name}.md", name)
    if STATE.serving:
        _check_derivations_meanwhile(config)
    # The page depends on ce_book, on where each entry is used, on the verification record,
    # on the edition and on whether the derivations' checks are in; a rebuild after a prose
    # edit that changes none of them reuses it.
    key = (
        STATE.digest,
        repr(sorted(STATE.usage.items())),
        repr(STATE.record),
        STATE.edition,
        STATE.checks_pending,
    )
    if STATE.claims_text is None or STATE.claims_text[0] != key:
        text = book_ledger_page.claims_page(
            claims.all_claims(),
            derivations.all_derivations(),
            chapter_titles=chapter_titles,
            page_titles=titles,
            usage=STATE.usage,
            render_derivation=lambda d: _render_derivation(d, None, config, anchor=False),
            record=STATE.record,
            edition=STATE.edition,
            graph_svg=_graph(),
        )
        STATE.claims_text = (key, text)
    text = STATE.claims_text[1]
    existing = files.get_file_from_path(book_blocks.CLAIMS_PAGE)
    if existing is not None:
        raise PluginError("docs/claims.md is generated by the build: delete the file")
    files.append(_generated_page(book_blocks.CLAIMS_PAGE, text, config))
    for f in _exports(config):
        files.append(f)
    if STATE.edition.pdf is not None:
        files.append(
            File.generated(config, book_cite.PDF_NAME, abs_src_path=str(STATE.edition.pdf))
        )
    return files


def _theme_files(files: Files, config: MkDocsConfig) -> list[File]:
    """The theme's palette style sheet without its page-wide switching rule (``book_theme``)."""
    out = []
    for f in list(files):
        if book_theme.PALETTE_CSS.fullmatch(f.src_uri):
            try:
                css = book_theme.without_switching_rule(f.content_string)
            except ValueError as err:
                raise PluginError(str(err)) from None
            files.remove(f)
            out.append(File.generated(config, f.src_uri, content=css))
    if not out:
        raise PluginError("the theme's palette style sheet is missing: see book_theme.py")
    return out


def _check_derivations_meanwhile(config: MkDocsConfig) -> None:
    """``mkdocs serve`` never waits for SymPy: without cached checks, the derivations are
    shown unchecked while they are checked in the background, from the end of the build
    (beside it they would slow it down). The first rebuild after the checks are in renders
    every page again (``--dirty`` would keep the unchecked boxes)."""
    from ce_book.derivations import reports

    if reports.ready():
        if STATE.checks_pending:  # shown unchecked before: every built page is out of date
            for built in Path(config.site_dir).rglob("*.html"):
                built.unlink()
            log.info("derivations: checked; every page is rebuilt to show how")
        STATE.checks_pending = False
        return
    if not STATE.checks_pending:
        log.info("derivations: shown unchecked while SymPy checks them in the background")
    STATE.checks_pending = True  # on_post_build starts the checks, once the pages are out


def _graph() -> str:
    """The derivations' dependency graph (``ce_book.derivations.graph``), one line of SVG."""
    from ce_book.derivations import graph

    svg = " ".join(graph.dependency_svg(wait=not STATE.serving).split())
    # xlink:href, not href: the theme's scripts assign `a.href` on every a[href], which an SVG
    # link does not allow (its href is read-only).
    svg = svg.replace("<a href=", "<a xlink:href=")
    if "xmlns:xlink" not in svg:
        svg = svg.replace("<svg ", '<svg xmlns:xlink="http://www.w3.org/1999/xlink" ', 1)
    return svg


def _generated_page(src_uri: str, text: str, config: MkDocsConfig) -> File:
    """A page the build writes, kept as a real file under ``.cache/generated/``.

    The file is rewritten only when its text changes, so ``mkdocs serve --dirty`` (which
    rebuilds only pages whose source is newer than their output) leaves the claims page
    alone while a chapter is edited: converting its Markdown is most of a full rebuild.
    """
    path = STATE.root / ".cache" / "generated" / src_uri
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return File(src_uri, str(path.parent), config.site_dir, config.use_directory_urls)


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    env.bytecode_cache = STATE.templates
    return env


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    section = next(
        (s for s in nav.items if isinstance(s, Section) and s.title == LABS_SECTION), None
    )
    if section is None:
        return nav
    from ce_book.claims import CHAPTERS

    order = {f"labs/{name}.ipynb": i for i, name in enumerate(CHAPTERS)}
    listed = {p.file.src_uri for p in section.children if isinstance(p, Page)}
    for src_uri in sorted(STATE.labs, key=lambda s: (order.get(s, len(order)), s)):
        if src_uri not in listed:
            page = Page(None, files.get_file_from_path(src_uri), config)
            page.parent = section
            section.children.append(page)
            nav.pages.append(page)
    for i, page in enumerate(nav.pages):
        page.previous_page = nav.pages[i - 1] if i else None
        page.next_page = nav.pages[i + 1] if i + 1 < len(nav.pages) else None
    return nav


# --- pages -----------------------------------------------------------------------------


def _figure_number(page: Page) -> str:
    from ce_book.claims import CHAPTERS

    STATE.figure_counts[page.file.src_uri] = STATE.figure_counts.get(page.file.src_uri, 0) + 1
    n = STATE.figure_counts[page.file.src_uri]
    stem = page.file.src_uri.removesuffix(".md")
    return f"{CHAPTERS.index(stem) + 1}.{n}" if stem in CHAPTERS else str(n)


def on_pre_build(config: MkDocsConfig) -> None:
    STATE.figure_counts = {}


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    from ce_book import claims, figures

    src = page.file.src_uri
    STATE.figure_counts[src] = 0
    values = iter(range(1, 1_000_000))
    seen: dict[str, int] = {}

    def resolve(ref: book_refs.Ref) -> str:
        if ref.kind == "value":
            try:
                entry = claims.get(ref.id)
            except KeyError:
                raise book_refs.RefError(f"unknown claim {ref.id!r}") from None
            try:
                if ref.kind == "value":
                    anchor = "" if ref.in_math else _value_anchor(entry.id, seen)
                    return book_blocks.value_text(
                        entry, ref.in_math, src, anchor, _verified(entry.id)
                    )
                anchor = _value_anchor(entry.id, seen)
                return book_blocks.value_text(entry, False, src, anchor, _verified(entry.id))
            except Exception as err:
                raise book_refs.RefError(f"claim {ref.id!r} cannot be computed: {err!r}") from None
        if ref.kind == "figure":
            try:
                spec = figures.get(ref.id)
            except KeyError:
                raise book_refs.RefError(f"unknown figure {ref.id!r}") from None
            if files.get_file_from_path(f"figures/{ref.id}.svg") is None:
                raise book_refs.RefError(
                    f"figure {ref.id!r} has no docs/figures/{ref.id}.svg: "
                    "run `python scripts/make_figures.py`"
                )
            return book_blocks.figure_html(spec, _figure_number(page), page.url)
        if ref.kind == "eq":
            return _equation(ref, src, f"eq-{next(values)}")
        if ref.kind == "cite":
            if ref.id != "book":
                raise book_refs.RefError(f"[[cite:{ref.id}]]: only [[cite:book]] exists")
            return book_blocks.cite_book(STATE.edition, src)
        box = _render_derivation(_get_derivation(ref.id), page, config, anchor=True)
        if not ref.indent:
            return box
        # Inside an indented block (an exercise's solution) Python-Markdown does not treat
        # HTML as a block, so `markdown="1"` would leak and paragraphs would nest. The box is
        # rendered at the top level, after the page, and moved into its slot afterwards.
        slot = len(boxes)
        boxes.append(f"<!--ce-slot-{slot}-->\n\n{box}\n\n<!--/ce-slot-{slot}-->")
        return f'<div class="ce-slot" data-slot="{slot}"></div>'

    boxes: list[str] = []
    text, errors = book_refs.substitute(markdown, resolve)
    if errors:
        raise PluginError(f"docs/{src}: " + "; ".join(errors))
    return "\n\n".join([text, *boxes])


_SLOT = re.compile(r'(?:<p>)?<div class="ce-slot" data-slot="(\d+)"></div>(?:</p>)?')
_SLOT_BOX = re.compile(r"<!--ce-slot-(\d+)-->\n?(.*?)\n?<!--/ce-slot-\1-->", re.DOTALL)


def _fill_slots(html: str) -> str:
    """Move each derivation box rendered after the page into its slot (see ``resolve``)."""
    boxes = {m.group(1): m.group(2) for m in _SLOT_BOX.finditer(html)}
    html = _SLOT_BOX.sub("", html)
    return _SLOT.sub(lambda m: boxes[m.group(1)], html)


def _equation(ref: book_refs.Ref, page_src: str, key: str) -> str:
    """``[[eq:ID]]`` (the derivation's result), ``[[eq:ID#N]]`` (its line N),
    ``[[eq:ID#rK]]`` (its K-th result, from 0) or ``[[eq:ID#dK]]`` (its K-th definition, from
    0, as the checker uses it): LaTeX printed from the checked SymPy objects.

    Inside math the bare LaTeX; in prose, inline math with a popover naming the derivation.
    """
    id, _, part = ref.id.partition("#")
    d = _get_derivation(id)
    try:
        if not part:
            tex, where = d.result_latex(0), "its result"
        elif part.startswith("r") and part[1:].isdigit():
            tex, where = d.result_latex(int(part[1:])), f"its result {int(part[1:]) + 1}"
        elif part.isdigit():
            tex, where = d.line_latex(int(part)), f"line ({int(part)})"
        elif part.startswith("d") and part[1:].isdigit():
            tex, where = d.assumptions.definitions[int(part[1:])].latex(), "definition"
        else:
            raise book_refs.RefError(
                f"[[eq:{ref.id}]]: write ID, ID#N (line N), ID#rK (result K) "
                "or ID#dK (definition K)"
            )
    except (IndexError, ValueError) as err:
        raise book_refs.RefError(f"[[eq:{ref.id}]]: {err}") from None
    if ref.in_math:
        return tex
    return book_blocks.equation_text(tex, d, where, page_src, key)


_NOTEBOOK_LOADERS = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->"
    r"|<script type=\"module\">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*?</script>",
    re.DOTALL,
)


# nbconvert's own "¶" heading links: the theme adds its permalinks, and the pilcrow would
# otherwise end up in the lab's title in the search index.
_ANCHOR_LINKS = re.compile(r'<a class="anchor-link" href="#[^"]*">¶</a>')


@event_priority(100)  # before the print-site plugin copies the page
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    src = page.file.src_uri
    if src not in STATE.labs:
        return _fill_slots(html)
    stem = src.removeprefix("labs/").removesuffix(".ipynb")
    notebook = get_relative_url(f"{src[:-6]}/{stem}.ipynb", page.url)
    script = get_relative_url(f"labs/{stem}.py", page.url)
    links = (
        '<p class="ce-lab-download">Download this lab: '
        f'<a href="{notebook}" download>executed notebook (.ipynb)</a> · '
        f'<a href="{script}" download>source (.py, jupytext percent format)</a>. '
        "It imports <code>ce_book</code>: run it from the repository's <code>.venv</code>.</p>"
    )
    html = _ANCHOR_LINKS.sub("", _NOTEBOOK_LOADERS.sub("", html))
    return links + _md_links_to_urls(html, page, files)


def _md_links_to_urls(html: str, page: Page, files: Files) -> str:
    """Links a lab writes to ``.md`` pages, relative to ``docs/labs/``, become page URLs."""

    def rewrite(m: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join("labs", m.group("path")))
        linked = files.get_file_from_path(target)
        if linked is None:
            raise PluginError(f"docs/{page.file.src_uri[:-6]}.py: link to missing {target}")
        return f'href="{get_relative_url(linked.url, page.url)}{m.group("anchor") or ""}"'

    return re.sub(r'href="(?P<path>[^":#]+\.md)(?P<anchor>#[^"]*)?"', rewrite, html)


@event_priority(100)  # before the search plugin reads the page
def _search_text(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    """The search index gets math as readable text (``p_i log q_i``), not TeX source."""
    STATE.content[page.file.src_uri] = page.content
    page.content = book_math.plain_math(page.content or "")
    return context


@event_priority(-100)  # after the search plugin: the page itself keeps its math
def _page_text(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    page.content = STATE.content.pop(page.file.src_uri)
    return context


on_page_context = CombinedEvent(_search_text, _page_text)


def _verified(claim_id: str) -> str:
    return book_cite.verified_note(STATE.record, "claim", claim_id)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Typeset every formula of the finished page (see ``book_math``); add citation tags."""
    try:
        output = book_math.typeset(output, STATE.math, dollars=page.file.src_uri in STATE.labs)
    except book_math.MathError as err:
        raise PluginError(f"docs/{page.file.src_uri}: {err}") from None
    output = book_print.mark_external(output, STATE.edition.site_url)
    title = page.title or STATE.edition.title
    tags = book_cite.meta_tags(STATE.edition, str(title), page.url)
    return output.replace("</head>", tags + "\n</head>", 1)


def _exports(config: MkDocsConfig) -> list[File]:
    """``ce-book.bib`` (the book and every derivation) and the ledger as JSON, at the site root."""
    from ce_book import claims, derivations
    from ce_book.claims import encode_value

    ed = STATE.edition
    out = []
    entries = [book_cite.book_bibtex(ed)] + [
        book_cite.bibtex(d.id, d.title, ed.url(f"claims/#{d.id}"), ed, note=f"Derivation {d.id}")
        for d in derivations.all_derivations()
    ]
    bib = "\n\n".join(entries) + "\n"
    out.append(File.generated(config, book_cite.BIB_NAME, content=bib))
    record = STATE.record or {}
    meta = {"edition": ed.version, "commit": ed.commit, "verified": record.get("date")}
    ledger = [
        {
            "id": c.id,
            "value": encode_value(c.value()),
            "shown": c.format(),
            "statement": c.statement,
            "reference": c.reference,
            "checked_by": c.test,
            "status": record.get("claims", {}).get(c.id, "unverified"),
            "url": ed.url(f"claims/#{c.id}"),
        }
        for c in claims.all_claims()
    ]
    steps = [
        {
            "id": d.id,
            "title": d.title,
            "steps": len(d.steps),
            "checked_by": "tests/test_derivations.py, python -m ce_book verify",
            "status": record.get("derivations", {}).get(d.id, "unverified"),
            "url": ed.url(f"claims/#{d.id}"),
        }
        for d in derivations.all_derivations()
    ]
    for name, items in (("claims.json", ledger), ("derivations.json", steps)):
        data = {**meta, name.removesuffix(".json"): items}
        out.append(File.generated(config, name, content=json.dumps(data, indent=1) + "\n"))
    return out


def on_post_build(config: MkDocsConfig) -> None:
    from ce_book.claims import CHAPTERS, LEDGER

    computed = LEDGER.computed()
    if len(computed) > STATE.claims_restored:
        book_claims_cache.save(STATE.claims_cache, computed)
        STATE.claims_restored = len(computed)
    try:
        book_print.finish(Path(config.site_dir), STATE.edition, CHAPTERS, STATE.math)
    except book_math.MathError as err:
        raise PluginError(f"print_page: {err}") from None
    for source_map in Path(config.site_dir).rglob("*.map"):  # the theme's; useless offline
        source_map.unlink()
    used = {nb.parents[1] for nb in STATE.labs.values()}
    book_labs.prune(STATE.root / ".cache" / "labs", used)
    book_labs.start_background()
    if STATE.checks_pending:
        from ce_book.derivations import reports

        reports.check_in_background()
    if not STATE.serving and STATE.math is not None:
        STATE.math.close()


def on_shutdown() -> None:
    if STATE.math is not None:
        STATE.math.close()
