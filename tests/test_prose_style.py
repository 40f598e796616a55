"""The chapters read as a book, not as a test log, and the math they show is checked math.

- No check marks, no pasted claim descriptions (``[[claim:``), no "seed" and no source file
  numbers in any page: the sources are named by title (``ce_book.sources``).
- Typed math that states a relation (``=``, ``\\le``, ``\\partial``, ...) is counted. A result
  belongs in a checked derivation, cited with ``[[eq:ID]]``; what is typed should be
  definitions, notation and the inputs of examples. The count may only go down: the test
  fails when a page adds typed relations, and prints every one so they can be reviewed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
sys.path.insert(0, str(DOCS / "hooks"))
import book_markdown  # noqa: E402 (the scanner the build hook uses)

PAGES = sorted(DOCS.glob("*.md"))
LABS = sorted((DOCS / "labs").glob("*.py"))

#: Typed relation segments in docs/*.md when this ratchet was set; lower it as pages move
#: results into derivations. (Issue target: at most 60, all of them definitions.)
TYPED_RELATIONS_AT_MOST = 449

_RELATION = re.compile(
    r"(?<![<>!:])=|\\le(?:q)?\b|\\ge(?:q)?\b|(?<!\\)[<>]|\\approx|\\ne(?:q)?\b|\\sim\b"
)
_FILE_NUMBER = re.compile(r"\(00[0-4],|\b00[0-4]_[0-9a-f]{6}|\bseed 00[0-4]\b")


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_pages_carry_no_checkmarks_pasted_claims_or_seed_wording(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert "✓" not in text
    assert "[[claim:" not in text
    assert not re.search(r"\bseeds?\b", text, re.IGNORECASE), page.name
    assert not _FILE_NUMBER.search(text), page.name


@pytest.mark.parametrize("lab", LABS, ids=[p.name for p in LABS])
def test_labs_say_seed_only_for_random_numbers(lab: Path) -> None:
    text = lab.read_text(encoding="utf-8")
    other = re.sub(r"\bseed\s*=|=\s*seed\b|`seed`|\bn, seed\b|random seed", "", text)
    assert not re.search(r"\bseeds?\b", other, re.IGNORECASE), lab.name
    assert "✓" not in text and not _FILE_NUMBER.search(text)


#: A value printed from a checked claim: ``= [[value:ID]]`` (inside the math, or just after it).
_PRINTED_VALUE = re.compile(r"(?:=|\\approx)\s*\[\[value:[^\]]+\]\]")
_SYMBOL = r"\\?[A-Za-z]+(?:_\{?[A-Za-z0-9,]+\}?)?"
_LITERAL = r"-?(?:\d+(?:\.\d+)?(?:/\d+)?|10\^\{-?\d+\}|\\tfrac\d\d)"
#: An example's input or a case being named: ``\gamma = 2``, ``t = (1, 0, 0)``, ``q = p``,
#: ``T > 1``, ``K \ge 2``: one symbol set to, or compared with, a literal or another symbol.
_INPUT = re.compile(
    rf"^\s*(?:\\hat\s*)?{_SYMBOL}\s*(?:=|<|>|\\[lg]eq?\b|\\neq?\b)\s*(?:{_LITERAL}|{_SYMBOL}"
    rf"|\(\s*{_LITERAL}(?:\s*,\s*{_LITERAL})*\s*\)(?:\s*/\s*\d+)?"
    rf"|{_LITERAL}(?:\s*,\s*{_LITERAL})+)\s*[.,]?\s*$"
)


def classify(markdown: str) -> dict[str, list[str]]:
    """Every math segment typed in the page that states a relation, by kind.

    - ``"typed"``: a relation typed by hand; a result belongs in a checked derivation, cited
      with ``[[eq:ID]]``, so what is left here must be a definition.
    - ``"input"``: one symbol set to, or compared with, a literal or another symbol
      (``\\gamma = 2``, ``t = (1, 0, 0)``, ``q = p``, ``T > 1``): an example's input, a
      symbol's domain, or the case a sentence speaks of.

    Not counted: segments with ``[[eq:ID]]`` (printed from a checked derivation), relations
    whose right side is a checked value ``= [[value:ID]]``, and math without a relation (a
    derivative named, ``\\partial L / \\partial z``, states nothing).
    """
    out: dict[str, list[str]] = {"typed": [], "input": []}
    for start, end, kind in book_markdown.spans(markdown):
        if kind != "math":
            continue
        segment = markdown[start:end]
        if "[[eq:" in segment:
            continue
        body = _PRINTED_VALUE.sub("", segment.strip("$"))
        if markdown[end : end + 10].lstrip().startswith("[[value:"):
            body = re.sub(r"(?:=|\\approx)\s*$", "", body.rstrip())
        if not _RELATION.search(body.replace("\\partial", "")):
            continue
        flat = " ".join(segment.split())
        out["input" if _INPUT.match(body) else "typed"].append(flat)
    return out


def typed_relations(markdown: str) -> list[str]:
    """Math segments typed in the page (not printed from a checked object) that state a result."""
    return classify(markdown)["typed"]


def test_the_relation_detector() -> None:
    sample = (
        "Typed $p = 0.3$ and $$\na \\le b + c\n$$ but not $x$, `a = b`, $[[eq:gibbs]]$, "
        "$H = [[value:h]]$, $H =$ [[value:h]] or $\\partial L / \\partial z$; "
        "$e^g = 81$ and $q = (1/2, 1/4)$ and $\\gamma = 2$, $T > 1$, $\\gamma \\ge 0$ or $x < y^2$."
    )
    assert classify(sample) == {
        "typed": ["$$ a \\le b + c $$", "$e^g = 81$", "$x < y^2$"],
        "input": ["$p = 0.3$", "$q = (1/2, 1/4)$", "$\\gamma = 2$", "$T > 1$", "$\\gamma \\ge 0$"],
    }


def test_typed_relations_only_go_down() -> None:
    found = {p.name: typed_relations(p.read_text(encoding="utf-8")) for p in PAGES}
    total = sum(len(v) for v in found.values())
    listing = "\n".join(f"{name}: {seg}" for name, segs in found.items() for seg in segs)
    print(f"{total} typed relation segments in docs/*.md:\n{listing}")
    assert total <= TYPED_RELATIONS_AT_MOST, (
        f"{total} typed relations (at most {TYPED_RELATIONS_AT_MOST}): cite a checked "
        "derivation with [[eq:ID]] instead of typing a result"
    )


if __name__ == "__main__":  # python tests/test_prose_style.py [page.md ...]: list what is typed
    for page in [DOCS / name for name in sys.argv[1:]] or PAGES:
        kinds = classify(page.read_text(encoding="utf-8"))
        for kind, segments in kinds.items():
            for segment in segments:
                print(f"{page.name}: {kind}: {segment}")
    totals = {k: 0 for k in ("typed", "input")}
    for page in PAGES:
        for kind, segments in classify(page.read_text(encoding="utf-8")).items():
            totals[kind] += len(segments)
    print(totals)
