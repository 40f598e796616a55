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


_SUPERSCRIPT = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
_POWER = re.compile(r"(−)?(?:(\d+(?:\.\d+)?) × )?10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_E_NOTATION = re.compile(r"(?<![\w.])(−)?(\d+(?:\.\d+)?)e([+-]?\d+)\b")
_OTHER_POWER = re.compile(r"(?<![\w.])(−)?(\d+)([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)")  # 2⁻⁵³
_MINUS = re.compile(r"(?<![\w.$\\])-(?=\d|inf\b)")


def typeset_number(text: str) -> str:
    r"""A formatted value as prose shows it: powers of ten as math, a real minus sign.

    >>> typeset_number("(-0.75, 0.40)"), typeset_number("4.25 × 10⁻¹⁸"), typeset_number("1e-16")
    ('(−0.75, 0.40)', '$4.25 \\times 10^{-18}$', '$10^{-16}$')
    >>> typeset_number("$9.2 \\times 10^{-9}$ and -inf"), typeset_number("-8.50e-18")
    ('$9.2 \\times 10^{-9}$ and −inf', '$-8.50 \\times 10^{-18}$')
    >>> typeset_number("2⁻⁵³"), typeset_number("5 × 2⁻¹⁰⁷⁴")
    ('$2^{-53}$', '5 × $2^{-1074}$')
    """
    out = []
    for i, part in enumerate(re.split(r"(\$[^$]*\$)", text)):
        if i % 2:  # already math
            out.append(part)
            continue
        part = html.escape(part)

        def power(m: re.Match[str]) -> str:
            sign = "-" if m.group(1) else ""  # the sign goes into the formula with its number
            mantissa, exponent = m.group(2), m.group(3).translate(_SUPERSCRIPT)
            exponent = str(int(exponent))
            if mantissa in (None, "1"):
                return f"${sign}10^{{{exponent}}}$"
            return f"${sign}{mantissa} \\times 10^{{{exponent}}}$"

        def other_power(m: re.Match[str]) -> str:
            sign = "-" if m.group(1) else ""
            return f"${sign}{m.group(2)}^{{{int(m.group(3).translate(_SUPERSCRIPT))}}}$"

        part = _MINUS.sub("−", part)  # before the powers: their exponents are math
        part = _POWER.sub(power, part)
        part = _E_NOTATION.sub(power, part)
        out.append(_OTHER_POWER.sub(other_power, part))
    return "".join(out)


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
    text = typeset_number(text)
    pop = f"pop-{anchor}"
    statement = claim.statement.strip()
    reference = claim.reference.rstrip(".")
    return (
        f'<span class="ce-value" id="{anchor}" tabindex="0" aria-describedby="{pop}">'
        f'<span class="ce-num">{text}</span>'
        f'<span class="ce-pop" id="{pop}" role="tooltip">{statement} '
        f'<span class="ce-pop-check">Independent check — {reference}. {verified}</span> '
        f"[Ledger entry `{claim.id}`]({_link_to_claims(page_src, claim.id)})</span></span>"
    )


def equation_text(tex: str, derivation: Any, where: str, page_src: str, key: str) -> str:
    """``[[eq:ID]]`` in prose: the checked formula as inline math, with a popover that names
    the derivation proving it and links to it."""
    pop = f"pop-{key}"
    link = f"[{html.escape(derivation.title)}]({_link_to_claims(page_src, derivation.id)})"
    if where == "definition":
        said = f"The definition the derivation {link} uses, printed from the object its checks use."
    elif where.startswith("line"):
        said = f"Line {where.removeprefix('line ')} of the derivation {link}, checked by SymPy."
    else:
        said = f"Proved by the derivation {link}, every step checked by SymPy."
    return (
        f'<span class="ce-value ce-eq" tabindex="0" aria-describedby="{pop}">${tex}$'
        f'<span class="ce-pop" id="{pop}" role="tooltip">{said}</span></span>'
    )


def cite_book(edition: Any, page_src: str) -> str:
    """``[[cite:book]]``: how to cite this edition, its BibTeX, and the files to download."""
    import book_cite

    pdf = (
        f' · <a href="{get_relative_url(book_cite.PDF_NAME, page_src)}">the PDF edition</a>'
        if edition.pdf is not None
        else ""
    )
    commit = edition.commit.removesuffix("-dirty")[:12]
    return "\n".join(
        [
            '<div class="ce-cite-book" markdown="1">',
            "",
            f"Cite this edition as: {', '.join(edition.authors)} ({edition.year}). "
            f"*{edition.title}*, version {edition.version} (commit `{commit}`). "
            f"<{edition.url()}>. To cite one derivation or number, use its own entry on the "
            f"[claims page]({get_relative_url(CLAIMS_PAGE, page_src)}): each has a stable ID "
            "and a BibTeX entry.",
            "",
            '<pre><code class="language-bibtex">'
            + html.escape(book_cite.book_bibtex(edition))
            + "</code></pre>",
            "",
            f'Download: <a href="{get_relative_url(book_cite.BIB_NAME, page_src)}">ce-book.bib</a> '
            "(the book and every derivation)"
            f"{pdf}.",
            "",
            "</div>",
        ]
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


def _base_words(check: Any) -> str:
    """How a line was proved, without what it used: "proved for all $K$", "proved"."""
    if not check.ok:
        return "**not proved**: `" + check.reason.replace("`", "'") + "`"
    if check.method == "hypothesis":
        return "hypothesis " + ", ".join(f"({h})" for h in check.hypotheses)
    sizes = " and ".join(f"${s}$" for s in check.sizes)
    return f"proved for all {sizes}" if sizes else "proved"


def _extra_words(check: Any, page_src: str, why: str = "") -> list[str]:
    """What a proved line used: cited derivations (as links), hypotheses, proved facts."""
    if not check.ok or check.method == "hypothesis":
        return []
    extra = []
    if check.cites:
        from ce_book.derivations import get

        titles = {c: _in_sentence(get(c).title) for c in check.cites}
        uncited = [c for c in check.cites if titles[c].lower() not in why.lower()]
        links = [f"[{titles[c]}]({_link_to_claims(page_src, c)})" for c in uncited]
        if links:  # a reason that already names the derivation it uses is not repeated
            extra.append("by " + ", ".join(links))
    unnamed = [h for h in check.hypotheses if f"({h})" not in why]  # not already in the reason
    if unnamed:
        extra.append("under " + ", ".join(f"({h})" for h in unnamed))
    if check.facts:
        extra.append("with a fact proved from the definitions")
    return extra


def _in_sentence(title: str) -> str:
    """A derivation's title as it reads inside a sentence: "by the derivative of ...".

    Its first word loses its capital unless it is a name (Gibbs', Shannon, KL, ...).

    >>> _in_sentence("The derivative of the sigmoid"), _in_sentence("With two classes, ...")
    ('the derivative of the sigmoid', 'with two classes, ...')
    >>> _in_sentence("Gibbs' inequality"), _in_sentence("KL divergence is not a metric")
    ("Gibbs' inequality", 'KL divergence is not a metric')
    """
    first, _, rest = title.partition(" ")
    if first in _NAMES or not first[:1].isupper() or first[1:2].isupper():
        return title
    return f"{first[0].lower()}{first[1:]} {rest}"


_NAMES = {"Gibbs'", "Shannon", "Shannon's", "Nielsen", "Nielsen's", "Brier", "Huffman", "Kraft"}


def _check_words(check: Any, page_src: str, why: str = "") -> str:
    """How one line was checked, from its check result: ``proved for all $K$, by ...``."""
    return ", ".join([_base_words(check), *_extra_words(check, page_src, why)])


def shared_check(report: Any) -> str | None:
    """How every line was checked, when all were proved the same way ("proved for all $K$");
    None when the lines differ or one is a hypothesis or unproved."""
    bases = {_base_words(check) for check in report.steps}
    uniform = all(check.ok and check.method != "hypothesis" for check in report.steps)
    return bases.pop() if len(bases) == 1 and uniform else None


def _check_badge(report: Any) -> str:
    """The title line's note on how the lines were checked (HTML: it sits in raw HTML)."""
    base = shared_check(report)
    if base is None:
        return ""
    words = re.sub(r"\$([^$]+)\$", r"<i>\1</i>", base.removeprefix("proved"))
    return f' <span class="ce-derivation-check">SymPy proves every line{words}</span>'


def step_reasons(derivation: Any, report: Any = None, page_src: str = CLAIMS_PAGE) -> list[str]:
    """Why each step holds and how it was checked, as a Markdown list numbered like the lines
    ``(1)``, ``(2)``, ...

    The reason comes from the same ``Step`` objects that the block above is printed from (it
    may contain inline math); how the line was checked comes from the step's check result
    (``report``, by default the cached check of ``ce_book.derivations.reports``): "proved for
    all $K$", "proved", "hypothesis (H1)", with the derivations it cites as links. When every
    line was proved the same way, the box's title says so once (``shared_check``) and each
    line keeps only what it used; otherwise each line says all of it.
    """
    if report is None:
        from ce_book.derivations import reports

        report = reports.report(derivation)
    pairs = list(zip(derivation.steps, report.steps, strict=True))
    shared = shared_check(report) is not None
    lines = []
    for n, (step, check) in enumerate(pairs, 1):
        how = (
            ", ".join(_extra_words(check, page_src, step.why))
            if shared
            else _check_words(check, page_src, step.why)
        )
        tag = f' <span class="ce-how">{how}</span>' if how else ""
        lines.append(f"{n}. {_link_named(step.why, check, page_src)}{tag}")
    return lines


def _link_named(why: str, check: Any, page_src: str) -> str:
    """The reason with the title of each derivation it cites and names turned into a link.

    >>> class Check:
    ...     ok, method, cites = True, "general", ("sigmoid-derivative",)
    >>> _link_named("the derivative of the sigmoid, line 2", Check(), "binary.md")
    '[the derivative of the sigmoid](claims.md#sigmoid-derivative), line 2'
    """
    if not check.ok or check.method == "hypothesis":
        return why
    from ce_book.derivations import get

    for c in check.cites:
        title = _in_sentence(get(c).title)
        start = why.lower().find(title.lower())
        if start >= 0:
            end = start + len(title)
            why = f"{why[:start]}[{why[start:end]}]({_link_to_claims(page_src, c)}){why[end:]}"
    return why


#: The title line of a derivation whose checks are still running (``mkdocs serve`` only).
BEING_CHECKED = (
    ' <span class="ce-derivation-check">being checked by SymPy in the background: '
    "save any page to see how each line was checked</span>"
)


def derivation_markdown(
    derivation: Any,
    *,
    latex: str,
    page_src: str,
    cite_url: str,
    version: str,
    anchor: bool,
    wait: bool = True,
) -> str:
    """``[[derivation:ID]]``: title, statement (its formulas printed from the checked results),
    what the symbols stand for, the assumptions (printed from the SymPy domains, definitions
    and hypotheses), the checked steps as display math with numbered lines, for each numbered
    line its reason and how it was checked, and a cite box.

    ``wait=False`` (``mkdocs serve``) does not wait for checks that have not been made yet:
    the box then gives each line's reason and says that SymPy is still checking them."""
    from ce_book.derivations import reports

    report = reports.report(derivation, wait=wait)
    id_attr = f' id="{derivation.id}"' if anchor else ""
    parts = [
        f'<div class="ce-derivation"{id_attr} markdown="1">',
        "",
        f'<p class="ce-derivation-title"><span class="ce-derivation-label">Derivation</span> '
        f'<a href="#{derivation.id}" title="link to this derivation">'
        f"{html.escape(derivation.title)}</a>"
        f"{BEING_CHECKED if report is None else _check_badge(report)}</p>",
        "",
        derivation.statement_markdown(),
        "",
    ]
    gloss = derivation.assumptions.text.strip()
    parts += [
        '<details class="ce-derivation-setup" markdown="1">',
        "<summary>What the symbols mean, and what is assumed</summary>",
        "",
        *([gloss, ""] if gloss else []),
        f"*Assumptions:* {derivation.assumptions_markdown()}",
        "",
        "</details>",
        "",
    ]
    parts += ["$$", latex.strip(), "$$", ""]
    parts += [
        '<div class="ce-derivation-steps" markdown="1">',
        "",
        *(
            [f"{n}. {step.why}" for n, step in enumerate(derivation.steps, 1)]
            if report is None
            else step_reasons(derivation, report, page_src)
        ),
        "",
        "</div>",
        "",
    ]
    failures = (
        []
        if report is None
        else [*report.problems, *([] if report.result.ok else [report.result.reason])]
    )
    if failures:
        shown = "; ".join(failures).replace("`", "'")
        parts += [f"**This derivation does not check:** `{shown}`", ""]
    link = _link_to_claims(page_src, derivation.id)
    command = f"python -m ce_book verify --only {derivation.id}"
    parts += [
        '<details class="quote ce-cite" markdown="1"><summary>Cite this derivation</summary>',
        "",
        f"Its stable ID is `{derivation.id}`, its [ledger entry]({link}) the address to cite; "
        f"`{command}` checks every line again.",
        "",
        '<pre><code class="language-bibtex">'
        + html.escape(bibtex(derivation, cite_url, version))
        + "</code></pre>",
        "",
        "</details>",
        "",
        "</div>",
    ]
    return "\n".join(parts)
