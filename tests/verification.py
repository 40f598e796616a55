"""Pytest plugin: the verification record, which says when and against what each claim and
each derivation of the book was last checked.

After a run that checked every claim and every derivation, the controlling process writes
``.cache/verification.json``: the commit, the date, the versions of Python, NumPy, SymPy,
mpmath and PyTorch, and the outcome of each check. The site build reads it (popovers, the
claims page, the JSON exports), and a release build refuses to run unless the record is
complete, passed, and from the commit being built. A partial run (``-k``, a single file)
leaves the last complete record alone.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import platform
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / ".cache" / "verification.json"
sys.path.insert(0, str(ROOT / "docs" / "hooks"))
import book_cite  # noqa: E402 (the build's own notion of the commit, so the two always agree)

#: Which test checks what: (kind, node ID pattern whose parameter is the entry's ID).
CHECKS = (
    ("claim", re.compile(r"^tests/test_claims\.py::test_claim\[(?P<id>[^\]]+)\]$")),
    (
        "derivation",
        re.compile(
            r"^tests/test_derivations\.py::test_every_step_is_proved_for_every_size\[(?P<id>[^\]]+)\]$"
        ),
    ),
)
LIBRARIES = ("numpy", "sympy", "mpmath", "torch", "matplotlib")


def _versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


class Recorder:
    def __init__(self) -> None:
        self.outcomes: dict[str, dict[str, str]] = {kind: {} for kind, _ in CHECKS}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for kind, pattern in CHECKS:
            m = pattern.match(report.nodeid)
            if m is None:
                continue
            entry = self.outcomes[kind]
            if report.when == "call" or report.outcome != "passed":
                # a failed setup or teardown counts against the entry; a passed one says nothing
                if entry.get(m["id"]) != "failed":
                    entry[m["id"]] = report.outcome

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if hasattr(session.config, "workerinput"):
            return  # an xdist worker: the controller sees every report and writes the record
        from ce_book import claims, derivations

        expected = {
            "claim": {c.id for c in claims.all_claims()},
            "derivation": {d.id for d in derivations.all_derivations()},
        }
        if any(set(self.outcomes[k]) != ids for k, ids in expected.items()):
            return  # not a complete run
        record = {
            "commit": book_cite.git_commit(ROOT),
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "versions": _versions(),
            "passed": all(
                o == "passed" for outcomes in self.outcomes.values() for o in outcomes.values()
            ),
            **{f"{kind}s": dict(sorted(v.items())) for kind, v in self.outcomes.items()},
        }
        RECORD.parent.mkdir(parents=True, exist_ok=True)
        RECORD.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(Recorder(), "ce-book-verification")
