"""Write the explorers' test vectors, computed by ce_book, to docs/assets/explorers/vectors.json.

python scripts/make_explorer_vectors.py          write the JSON file
python scripts/make_explorer_vectors.py --check  exit 1 if the file is missing or stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ce_book import artefacts

artefacts.pin_kernels()  # before NumPy is imported: the same bits on every CPU

from ce_book import explorer_vectors  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PATH = ROOT / "docs" / "assets" / "explorers" / "vectors.json"


def render() -> str:
    """The JSON text, byte-for-byte reproducible (sorted keys, shortest float repr)."""
    return json.dumps(explorer_vectors.vectors(), indent=1, sort_keys=True, allow_nan=False) + "\n"


def fresh(committed: str, text: str) -> bool:
    """The committed JSON is ``text`` up to a relative 1e-13 in each number (or 1e-15 for a
    number that is rounding noise around 0): the last bit of
    NumPy's ``exp`` can differ between CPUs (see :mod:`ce_book.artefacts`)."""
    return artefacts.same_up_to_rounding(committed, text, rel=1e-13, absolute=1e-15)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    text = render()
    where = PATH.relative_to(ROOT)
    if args.check:
        if not PATH.exists() or not fresh(PATH.read_text(encoding="utf-8"), text):
            state = "missing" if not PATH.exists() else "stale"
            print(
                f"{where}: {state} (run: python scripts/make_explorer_vectors.py)", file=sys.stderr
            )
            return 1
        print(f"{where} up to date")
        return 0
    PATH.parent.mkdir(parents=True, exist_ok=True)
    if not PATH.exists() or not fresh(PATH.read_text(encoding="utf-8"), text):
        PATH.write_text(text, encoding="utf-8")
        print(f"wrote {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
