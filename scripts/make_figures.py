"""Regenerate every figure of the book into docs/figures/<id>.svg.

python scripts/make_figures.py          write the SVG files (and remove orphans)
python scripts/make_figures.py --check  exit 1 if any committed SVG is missing or stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ce_book import artefacts

artefacts.pin_kernels()  # before NumPy is imported: the same bits on every CPU

from ce_book import figures  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)

    out_dir = ROOT / "docs" / "figures"
    wanted = {spec.id: ROOT / spec.path for spec in figures.all_figures()}
    problems = []
    for id, path in wanted.items():
        svg = figures.render(id)
        if args.check:
            if not path.exists():
                problems.append(f"{path.relative_to(ROOT)}: missing")
            elif not figures.matches(path.read_bytes(), svg):
                problems.append(f"{path.relative_to(ROOT)}: stale")
        elif not path.exists() or not figures.matches(path.read_bytes(), svg):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(svg)
            print(f"wrote {path.relative_to(ROOT)}")
    orphans = sorted(p for p in out_dir.glob("*.svg") if p.stem not in wanted)
    for path in orphans:
        if args.check:
            problems.append(f"{path.relative_to(ROOT)}: no figure function has this id")
        else:
            path.unlink()
            print(f"removed {path.relative_to(ROOT)}")
    if problems:
        print("figures out of date (run: python scripts/make_figures.py):", file=sys.stderr)
        print("\n".join(f"  {p}" for p in problems), file=sys.stderr)
        return 1
    if args.check:
        print(f"{len(wanted)} figures up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
