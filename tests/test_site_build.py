"""The site: strict build, computed references, offline assets, labs that fail loudly."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

import lxml.html
import pytest

# fixtures built_site and site_build come from tests/conftest.py
from site_fixtures import ROOT, SITE_URL, SiteBuild

from ce_book import claims

sys.path.insert(0, str(ROOT / "docs" / "hooks"))
import book_claims_cache
import book_labs
import book_refs
import book_theme

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


# --- the reference syntax -------------------------------------------------------------


def _resolve(ref: book_refs.Ref) -> str:
    if ref.id == "unknown":
        raise book_refs.RefError(f"unknown claim {ref.id!r}")
    return f"<{ref.kind}:{ref.id}:{'math' if ref.in_math else 'text'}>"


def test_latex_braces_pass_through_untouched() -> None:
    source = (
        "Text $\\{#x\\} + {{z_j}}$ and $[[value:a]]$ and $x =\n[[value:c]]$\n\n"
        "$$\n\\mathbf{1}\\{#S\\} = {{z}_{j}} + [[value:b]]\n$$\n"
    )
    text, errors = book_refs.substitute(source, _resolve)
    assert not errors
    assert "$\\{#x\\} + {{z_j}}$" in text
    assert "\\mathbf{1}\\{#S\\} = {{z}_{j}} + <value:b:math>" in text
    assert "$<value:a:math>$" in text
    assert "$x =\n<value:c:math>$" in text


def test_code_is_left_alone_and_prose_is_replaced() -> None:
    source = (
        "See [[value:a]] and [[eq:c]] and `[[value:shown]]`.\n\n"
        "```python\nprint('[[value:in-code]]')\n```\n\n"
        "    ```text\n    [[figure:indented-code]]\n    ```\n"
    )
    text, errors = book_refs.substitute(source, _resolve)
    assert not errors
    assert "See <value:a:text> and <eq:c:text>" in text
    assert "`[[value:shown]]`" in text and "[[value:in-code]]" in text
    assert "[[figure:indented-code]]" in text


def test_blocks_keep_the_indentation_of_their_line() -> None:
    source = "??? note\n\n    [[figure:f]]\n"
    text, errors = book_refs.substitute(
        source, lambda ref: "<figure>\nline two\n</figure>" if ref.kind == "figure" else ""
    )
    assert not errors
    assert text == "??? note\n\n    <figure>\n    line two\n    </figure>\n"


def test_misused_and_unknown_references_are_reported() -> None:
    source = "a [[value:unknown]] b [[figure:f]] c [[colour:x]] d [[claim:c]]\n\n$[[figure:c]]$\n"
    _, errors = book_refs.substitute(source, _resolve)
    assert errors == [
        "unknown claim 'unknown'",
        "[[figure:f]] must stand on a line of its own",
        "unknown reference kind 'colour' in [[colour:x]]",
        "unknown reference kind 'claim' in [[claim:c]]",
        "[[figure:c]] must stand on a line of its own",
    ]


# --- the built site ---------------------------------------------------------------------


def test_strict_build_has_no_warnings(site_build: SiteBuild) -> None:
    warnings = [line for line in site_build.log.splitlines() if re.match(r"WARNING\s+-", line)]
    assert not warnings, "\n".join(warnings)


#: What a page makes the browser fetch: script, stylesheet/icon, image, source and iframe
#: addresses (a canonical or alternate link only names an address), and the addresses that
#: inline scripts spell out.
_FETCHED = (
    "//script/@src | //link[not(@rel='canonical' or @rel='alternate')]/@href"
    " | //img/@src | //source/@src | //iframe/@src"
)
_PARSER = lxml.html.HTMLParser(huge_tree=True)


def _fetched_urls(page: Path) -> list[str]:
    tree = lxml.html.parse(str(page), _PARSER)
    urls = [str(u) for u in tree.xpath(_FETCHED)]
    for script in tree.xpath("//script[not(@src)]/text()"):
        urls += re.findall(r"https?://[^\s\"'`)]+", script)
    return urls


def _external(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and parsed.hostname not in LOCAL_HOSTS


def test_no_request_leaves_the_machine(built_site: Path) -> None:
    offenders = []
    for page in built_site.rglob("*.html"):
        urls = _fetched_urls(page)
        offenders += [f"{page.relative_to(built_site)}: {u}" for u in urls if _external(u)]
    for sheet in built_site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^)'\"]+)", sheet.read_text(encoding="utf-8")):
            if _external(url):
                offenders.append(f"{sheet.relative_to(built_site)}: {url}")
    assert not offenders, "\n".join(offenders)


def test_math_is_typeset_at_build_time(built_site: Path) -> None:
    """KaTeX's stylesheet and fonts are served by the site; no page loads a math script."""
    katex = built_site / "assets" / "katex"
    css = (katex / "katex.min.css").read_text(encoding="utf-8")
    fonts = set(re.findall(r"url\((fonts/[^)]+)\)", css))
    assert fonts and all((katex / f).is_file() for f in fonts)
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+(katex|mathjax|auto-render)", text, re.I), page
    home = (built_site / "information" / "index.html").read_text(encoding="utf-8")
    assert "katex.min.css" in home and home.count('class="katex"') > 50
    assert "<math" in home, "MathML is kept for screen readers"


def test_claims_page_lists_every_claim(built_site: Path) -> None:
    page = (built_site / "claims" / "index.html").read_text(encoding="utf-8")
    for entry in claims.all_claims():
        assert f'<tr id="{entry.id}"' in page, entry.id
    assert page.count("test_claims.py") >= len(claims.all_claims())


# --- the citable edition ------------------------------------------------------------------


def test_no_built_file_names_a_loopback_address(built_site: Path) -> None:
    """The test build publishes at https://example.org/ce-book/ (site_fixtures.SITE_URL)."""
    offenders = [
        str(f.relative_to(built_site))
        for f in built_site.rglob("*")
        if f.is_file() and re.search(rb"127\.0\.0\.1|localhost", f.read_bytes())
    ]
    assert not offenders
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITE_URL}information/</loc>" in sitemap


def test_every_page_carries_citation_meta_tags(built_site: Path) -> None:
    for page in built_site.rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        if "<head>" not in text or page.parent.name in ("search", "assets"):
            continue
        for name in ("citation_title", "citation_author", "citation_publication_date"):
            assert f'<meta name="{name}"' in text, (page, name)
        assert "citation_pdf_url" not in text  # this build offers no PDF (CE_BOOK_PDF unset)


def test_cite_boxes_and_bib_use_the_published_address_and_a_year(built_site: Path) -> None:
    from ce_book import derivations

    bib = (built_site / "ce-book.bib").read_text(encoding="utf-8")
    entries = re.findall(r"@misc\{([^,]+),(.*?)\n\}", bib, re.DOTALL)
    assert [k for k, _ in entries] == ["ce-book"] + [d.id for d in derivations.all_derivations()]
    for key, body in entries:
        assert re.search(r"year\s+= \{20\d\d\}", body), key
        assert re.search(r"author\s+= \{.+\}", body) and "urldate" in body, key
        url = re.search(r"url\s+= \{([^}]*)\}", body)[1]
        assert url.startswith(SITE_URL), url
    binary = (built_site / "binary" / "index.html").read_text(encoding="utf-8")
    cites = re.findall(r"url\s+= \{([^}]*)\}", binary)
    assert cites and all(c.startswith(f"{SITE_URL}claims/#") for c in cites)


def test_ledger_exports_hold_every_entry_at_full_precision(built_site: Path) -> None:
    data = json.loads((built_site / "claims.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in data["claims"]] == [c.id for c in claims.all_claims()]
    first = claims.all_claims()[0]
    row = data["claims"][0]
    assert row["value"] == claims.encode_value(first.value())  # not the rounded text
    assert row["shown"] == first.format() and row["url"] == f"{SITE_URL}claims/#{first.id}"
    steps = json.loads((built_site / "derivations.json").read_text(encoding="utf-8"))
    assert all(d["url"].startswith(f"{SITE_URL}claims/#") for d in steps["derivations"])


def test_figures_and_values_are_substituted(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"\[\[(value|claim|derivation|figure):", text) or page.match(
            "claims/index.html"
        ), page


def test_derivation_boxes_in_solutions_are_well_formed(built_site: Path) -> None:
    """A box inside an exercise's solution is real HTML, not Markdown that leaked: no
    ``markdown="1"`` attribute reaches a page and no paragraph wraps a block element."""
    nested = re.compile(r"<p>\s*<(?:p|div|details|pre)\b")
    boxes_in_solutions = 0
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'markdown="1"' not in text, page
        assert not nested.search(text), (page, nested.search(text))
        assert "ce-slot" not in text, page
        boxes_in_solutions += len(
            re.findall(
                r'<summary>Solution</summary>(?:(?!</details>).)*class="ce-derivation"', text, re.S
            )
        )
    assert boxes_in_solutions > 0  # the case this test is about does occur


def test_labs_offer_downloads(built_site: Path) -> None:
    for lab in (ROOT / "docs" / "labs").glob("*.py"):
        page_dir = built_site / "labs" / lab.stem
        html = (page_dir / "index.html").read_text(encoding="utf-8")
        assert f'href="{lab.stem}.ipynb"' in html and (page_dir / f"{lab.stem}.ipynb").is_file()
        assert f'href="../../labs/{lab.stem}.py"' in html or f'href="../{lab.stem}.py"' in html
        assert (built_site / "labs" / f"{lab.stem}.py").is_file()
        assert "MathJax" not in html


def test_lab_copy_buttons_copy_the_code_as_written(built_site: Path) -> None:
    """The hidden text a lab cell's copy button copies is never typeset as math."""
    copies = 0
    for lab in (ROOT / "docs" / "labs").glob("*.py"):
        html = (built_site / "labs" / lab.stem / "index.html").read_text(encoding="utf-8")
        for text in re.findall(r'<div class="clipboard-copy-txt"[^>]*>(.*?)</div>', html, re.S):
            copies += 1
            assert "<span" not in text, f"{lab.stem}: markup in a copied cell: {text[:200]}"
    assert copies > 50


# --- failures stop the build ------------------------------------------------------------


def test_unknown_claim_id_fails_the_build() -> None:
    """The build hook itself, in-process, on a page that names a claim the ledger lacks."""
    import book
    from mkdocs.config import load_config
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    config = load_config(str(ROOT / "mkdocs.yml"))
    book.on_config(config)
    book.on_pre_build(config)
    file = File("notation.md", config.docs_dir, config.site_dir, config.use_directory_urls)
    page = Page(None, file, config)
    markdown = file.content_string + "\nA number: [[value:no-such-claim]].\n"
    with pytest.raises(PluginError, match=r"^docs/notation\.md: unknown claim 'no-such-claim'$"):
        book.on_page_markdown(markdown, page, config, Files([file]))
    assert book.on_page_markdown(file.content_string, page, config, Files([file]))


def test_a_lab_that_raises_fails(tmp_path: Path) -> None:
    lab = tmp_path / "broken.py"
    lab.write_text('# %% [markdown]\n# # Broken\n\n# %%\nraise RuntimeError("lab is broken")\n')
    with pytest.raises(book_labs.LabError, match=r"broken.py: a cell raised(.|\n)*lab is broken"):
        book_labs.execute_lab(lab, tmp_path / "cache", "digest", ROOT)
    assert not list((tmp_path / "cache").rglob("*.ipynb"))


def test_lab_cache_is_keyed_on_lab_and_package_sources(tmp_path: Path) -> None:
    lab = tmp_path / "tiny.py"
    lab.write_text("# %%\nprint(6 * 7)\n")
    cache = tmp_path / "cache"
    first, fresh = book_labs.execute_lab(lab, cache, "sources-1", ROOT)
    assert fresh and '"42\\n"' in first.read_text()
    assert book_labs.execute_lab(lab, cache, "sources-1", ROOT) == (first, True)  # cached
    stale, fresh = book_labs.execute_lab(lab, cache, "sources-2", ROOT, allow_stale=True)
    assert (stale, fresh) == (first, False)  # serve: no kernel for a package change
    rerun, fresh = book_labs.execute_lab(lab, cache, "sources-2", ROOT)
    assert fresh and rerun != first
    ids = [cell["id"] for cell in json.loads(rerun.read_text())["cells"]]
    assert ids == ["tiny-0"]
    assert rerun.read_bytes() == first.read_bytes()  # same lab, same output: same bytes


def test_claim_values_are_kept_per_package_sources(tmp_path: Path) -> None:
    (tmp_path / "ce_book").mkdir()
    (tmp_path / "pyproject.toml").write_text("[project]\n")
    module = tmp_path / "ce_book" / "a.py"
    module.write_text("X = 1\n")
    first = book_claims_cache.path(tmp_path, book_labs.sources_digest(tmp_path / "ce_book"))
    assert book_claims_cache.load(first) == {}
    book_claims_cache.save(first, {"x": 1.5})
    assert book_claims_cache.load(first) == {"x": 1.5}
    module.write_text("X = 2\n")  # an edit to the package: a new key, and the old file goes
    second = book_claims_cache.path(tmp_path, book_labs.sources_digest(tmp_path / "ce_book"))
    assert second != first and book_claims_cache.load(second) == {}
    book_claims_cache.save(second, {"x": 3.0})
    assert not first.exists()
    second.write_bytes(b"not a pickle")
    assert book_claims_cache.load(second) == {}


def test_a_release_build_refuses_a_loopback_address(monkeypatch: pytest.MonkeyPatch) -> None:
    import book
    from mkdocs.config import load_config
    from mkdocs.exceptions import PluginError

    monkeypatch.setenv("CE_BOOK_RELEASE", "1")
    monkeypatch.delenv("CE_BOOK_SITE_URL", raising=False)
    with pytest.raises(PluginError, match=r"loopback address http://127\.0\.0\.1:8000/"):
        book.on_config(load_config(str(ROOT / "mkdocs.yml")))


def test_a_release_needs_a_passing_record_of_the_commit_built() -> None:
    import book_cite

    edition = book_cite.read_edition(ROOT, SITE_URL, "0.1.0")
    record = {"commit": edition.commit, "passed": True}
    book_cite.check_record(record, edition)  # the one acceptable record
    for bad, reason in (
        (None, "without"),
        ({**record, "passed": False}, "failing"),
        ({**record, "commit": "0" * 40}, "verification record of 000000000000"),
    ):
        with pytest.raises(book_cite.EditionError, match=reason):
            book_cite.check_record(bad, edition)
    dirty = book_cite.Edition(**{**edition.__dict__, "commit": "abc-dirty"})
    with pytest.raises(book_cite.EditionError, match="commit your changes"):
        book_cite.check_release(dirty)


def test_serve_shows_a_lab_never_run_at_once_and_runs_it_after_the_build(tmp_path: Path) -> None:
    lab = tmp_path / "first.py"
    lab.write_text("# %%\nprint(6 * 7)\n")
    cache = tmp_path / "cache"
    shown, fresh = book_labs.execute_lab(lab, cache, "sources-1", ROOT, allow_stale=True)
    assert not fresh and "unexecuted" in shown.parts
    assert '"42\\n"' not in shown.read_text() and "running in the background" in shown.read_text()
    # nothing runs while the build is still going: the lab waits for the build's end
    again, fresh = book_labs.execute_lab(lab, cache, "sources-1", ROOT, allow_stale=True)
    assert not fresh and again == shown
    book_labs.start_background()  # what the hook calls once the build is done
    book_labs._BACKGROUND.submit(lambda: None).result(timeout=300)  # the queue is one worker
    executed, fresh = book_labs.execute_lab(lab, cache, "sources-1", ROOT, allow_stale=True)
    assert fresh and '"42\\n"' in executed.read_text()


def test_the_palette_style_sheet_is_the_themes_without_the_switching_rule(built_site) -> None:
    import material

    theme = Path(material.__file__).parent / "templates"
    (built,) = built_site.glob("assets/stylesheets/palette.*.min.css")
    original = (theme / built.relative_to(built_site)).read_text(encoding="utf-8")
    assert book_theme.SWITCHING_RULE in original
    assert built.read_text(encoding="utf-8") == original.replace(book_theme.SWITCHING_RULE, "")
    assert "[data-md-color-switching]" not in built.read_text(encoding="utf-8")
