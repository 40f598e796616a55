"""The Markdown/HTML that replaces each kind of reference on a page."""

from __future__ import annotations

import html
import re
from typing import Any

from mkdocs.utils import get_relative_url

CLAIMS_PAGE = "claims.md"


def _link_to_claims(page_src: str, id: str) -> str:
    """Relative Markdown link target from the page's source to an entry of the claims page."""
    return f"{get_relative_url(CLAIMS_PAGE, page_src)}#{id}"


def value_text(claim: Any, in_math: bool, page_src: str, anchor: str, verified: str = "") -> str:
    """``[[value:ID]]``: the formatted value as the sentence reads it, and a popover.

    The popover (shown on hover, on keyboard focus and on a tap) holds what the sentence
    must not: the claim's description, what it is checked against, when it was last
    verified, and a link to its entry on the claims page. Inside math the value is the bare
    number. ``anchor`` is the value's element id, unique on its page (``v-ID``, ``v-ID-2``):
    the claims page links to the paragraph through it.
    """
    text = claim.format()
    if in_math:
        return text
    pop = f"pop-{anchor}"
    statement = claim.statement.strip()
    return (
        f'<span class="ce-value" id="{anchor}" tabindex="0" aria-describedby="{pop}">'
        f'<span class="ce-num">{html.escape(text)}</span>'
        f'<span class="ce-pop" id="{pop}" role="tooltip">{statement} '
        f'<span class="ce-pop-check">Checked against {claim.reference}. {verified}</span> '
        f"[Ledger entry `{claim.id}`]({_link_to_claims(page_src, claim.id)})</span></span>"
    )


def equation_text(tex: str, derivation: Any, where: str, page_src: str, key: str) -> str:
    """``[[eq:ID]]`` in prose: the checked formula as inline math, with a popover that names
    the derivation proving it and links to it."""
    pop = f"pop-{key}"
    return (
        f'<span class="ce-value ce-eq" tabindex="0" aria-describedby="{pop}">${tex}$'
        f'<span class="ce-pop" id="{pop}" role="tooltip">Proved as {where} of the derivation '
        f"[{html.escape(derivation.title)}]({_link_to_claims(page_src, derivation.id)}), "
        f"every step checked by SymPy.</span></span>"
    )


def figure_html(spec: Any, number: str, page_url: str) -> str:
    """``[[figure:ID]]``: the SVG with its alt text and a numbered caption."""
    src = get_relative_url(f"figures/{spec.id}.svg", page_url)
    return (
        f'<figure class="ce-figure" id="fig-{spec.id}" markdown="1">\n'
        f'<img src="{src}" alt="{html.escape(spec.alt)}" loading="lazy">\n'
        f'<figcaption markdown="span"><strong>Figure {number}.</strong> '
        f"{spec.caption}</figcaption>\n"
        f"</figure>"
    )


def bibtex(derivation: Any, url: str, edition: Any) -> str:
    """A BibTeX ``@misc`` entry citing the derivation by its stable ID and canonical URL."""
    import book_cite

    note = f"Derivation {derivation.id}; every step is checked with SymPy by the book's tests"
    return book_cite.bibtex(derivation.id, derivation.title, url, edition, note=note)


def step_reasons(derivation: Any) -> list[str]:
    """Why each step holds, as a Markdown list numbered like the lines ``(1)``, ``(2)``, ...

    Taken from the same ``Step`` objects that the block above is printed from, one item per
    line of the block; the reasons may contain inline math (``$p_i$``).
    """
    return [f"{n}. {step.why}" for n, step in enumerate(derivation.steps, start=1)]


def derivation_markdown(
    derivation: Any, *, latex: str, page_src: str, cite_url: str, version: str, anchor: bool
) -> str:
    """``[[derivation:ID]]``: title, statement, the checked steps as display math with
    numbered lines, the reason for each numbered line, and a cite box."""
    id_attr = f' id="{derivation.id}"' if anchor else ""
    parts = [
        f'<div class="ce-derivation"{id_attr} markdown="1">',
        "",
        f'<p class="ce-derivation-title"><span class="ce-derivation-label">Derivation</span> '
        f'<a href="#{derivation.id}"><code>{derivation.id}</code></a> '
        f"{html.escape(derivation.title)}</p>",
        "",
        derivation.statement.strip(),
        "",
    ]
    assumptions = str(getattr(derivation, "assumptions", "") or "").strip()
    if assumptions:
        parts += [f"*Assumptions:* {assumptions}", ""]
    parts += ["$$", latex.strip(), "$$", ""]
    parts += [
        '<div class="ce-derivation-steps" markdown="1">',
        "",
        *step_reasons(derivation),
        "",
        "</div>",
        "",
    ]
    link = _link_to_claims(page_src, derivation.id)
    parts += [
        f"Each numbered step is checked symbolically by SymPy "
        f"([ledger entry]({link}), `tests/test_derivations.py`).",
        "",
        '<details class="quote ce-cite"><summary>Cite this derivation</summary>',
        '<pre><code class="language-bibtex">'
        + html.escape(bibtex(derivation, cite_url, version))
        + "</code></pre>",
        "</details>",
        "",
        "</div>",
    ]
    return "\n".join(parts)
