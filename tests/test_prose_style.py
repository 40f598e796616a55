"""The chapters read as a book, not as a test log, and the math they show is checked math.

- No check marks, no pasted claim descriptions (``[[claim:``), no "seed" and no source file
  numbers in any page: the sources are named by title (``ce_book.sources``).
- Typed math that states a relation (``=``, ``\\le``, ``<``, ``\\approx``, ...) is checked. A
  result belongs in a checked derivation, cited with ``[[eq:ID]]``, or is a checked value,
  ``[[value:ID]]``; what stays typed is an example's input (one symbol set to a literal) or a
  definition on the short reviewed list ``tests/typed_definitions.txt``. The test prints
  every typed relation, and the number of inputs, on each run.
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

#: At most this many typed relations, all of them definitions reviewed in
#: ``tests/typed_definitions.txt``; every other result is printed from a checked object.
TYPED_RELATIONS_AT_MOST = 60

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


def _reviewed_definitions() -> list[tuple[str, str]]:
    lines = (DOCS.parent / "tests" / "typed_definitions.txt").read_text(encoding="utf-8")
    return [
        tuple(line.split(": ", 1))  # type: ignore[misc]
        for line in lines.splitlines()
        if line.strip() and not line.startswith("#")
    ]


def test_typed_relations_are_reviewed_definitions() -> None:
    allowed = _reviewed_definitions()
    found = [(p.name, seg) for p in PAGES for seg in typed_relations(p.read_text(encoding="utf-8"))]
    inputs = sum(len(classify(p.read_text(encoding="utf-8"))["input"]) for p in PAGES)
    print(f"{len(found)} typed relation segments in docs/*.md (and {inputs} example inputs):")
    print("\n".join(f"{name}: {seg}" for name, seg in found))
    assert len(allowed) <= TYPED_RELATIONS_AT_MOST, "the list of typed definitions must stay short"
    unreviewed = [f"{name}: {seg}" for name, seg in found if (name, seg) not in allowed]
    assert not unreviewed, (
        "typed relations that are not reviewed definitions: cite a checked derivation with "
        "[[eq:ID]] (or a value with [[value:ID]]) instead, or, for a definition, add it to "
        "tests/typed_definitions.txt:\n" + "\n".join(unreviewed)
    )
    stale = [f"{name}: {seg}" for name, seg in allowed if (name, seg) not in found]
    assert not stale, "entries of tests/typed_definitions.txt no page holds:\n" + "\n".join(stale)


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
