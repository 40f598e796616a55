"""Command line: ``python -m ce_book <command>``.

``verify`` re-checks every derivation step by step, for every size, and prints one line per
derivation (``--json``: every step's check as JSON); it exits with status 1 if any step
fails. The derivations are checked in parallel, one process per core.
New commands are added as sub-parsers below.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from ce_book import derivations
from ce_book.derivations import reports as checked


def verify(args: argparse.Namespace) -> int:
    """Check the derivations (all, or those named by ``--only``); 0 if every step holds."""
    chosen = derivations.all_derivations()
    if args.only:
        known = {d.id for d in chosen}
        unknown = [i for i in args.only if i not in known]
        if unknown:
            print(f"verify: unknown derivation id(s): {', '.join(unknown)}", file=sys.stderr)
            return 2
        chosen = [d for d in chosen if d.id in args.only]
    start = time.perf_counter()
    reports = checked.check_all(chosen, args.jobs)
    seconds = time.perf_counter() - start
    checked.store(reports, chosen)  # the site build shows these without proving them again
    failed = sum(not r.ok for r in reports)
    if args.json:
        print(json.dumps({"derivations": [r.as_dict() for r in reports]}, indent=1))
        return 1 if failed else 0
    width = max((len(d.id) for d in chosen), default=0)
    for d, report in zip(chosen, reports, strict=True):
        status = "ok" if report.ok else "FAILED"
        print(f"{status:6}  {d.id:{width}}  {len(report.steps)} steps checked", flush=True)
        for problem in report.problems:
            print(f"        {problem}")
        for step in report.failures:
            print(f"        {step}")
        if args.verbose and report.ok:
            for step in report:
                print(f"        {step}")
    print(f"{len(chosen) - failed} of {len(chosen)} derivations verified in {seconds:.1f} s")
    return 1 if failed else 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m ce_book", description=__doc__.split("\n")[0])
    commands = top.add_subparsers(dest="command", required=True)
    v = commands.add_parser("verify", help="re-check every derivation, step by step")
    v.add_argument("--only", nargs="+", metavar="ID", help="check only these derivations")
    v.add_argument("-v", "--verbose", action="store_true", help="show how each step was proven")
    v.add_argument("--json", action="store_true", help="print every step's check as JSON")
    v.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: cores)")
    v.set_defaults(run=verify)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
