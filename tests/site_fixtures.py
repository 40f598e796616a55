"""Pytest fixtures that build the site once per test run (a plugin module).

``built_site`` is the path of a site built with ``mkdocs build --strict``; ``site_build``
also carries the build's log and duration. Register with ``pytest_plugins =
["site_fixtures"]`` in ``tests/conftest.py``, or import the fixtures into a test module.

The build starts in the background as soon as the tests are collected, if any of them needs
the site, so it runs while the first tests do instead of holding up the first browser test.
Under pytest-xdist every worker has its own session; the first one to get the run's file lock
starts the single build, into the run's shared temporary directory, and every worker waits
for its record (the pattern pytest-xdist documents for session fixtures).

The longest test modules are put first (``LONGEST_FIRST``, measured), so that the two workers
of ``scripts/test.sh`` (``--dist loadscope --no-loadscope-reorder``: whole modules, in this
order) finish at about the same time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parent.parent
#: The published address the test build uses: every URL the site emits must use it.
SITE_URL = "https://example.org/ce-book/"
#: Fixtures that mean "this test reads the built site".
SITE_FIXTURES = {"site_build", "built_site", "site_dir"}
#: The longest test modules, longest first (measured; the others follow in their order).
#: The first three need no built site, which is ready by the time one of them ends.
LONGEST_FIRST = (
    "test_derivations.py",
    "test_claims.py",
    "test_parallel.py",
    "test_pdf.py",
    "test_explorers.py",
    "test_pages.py",
    "test_editions.py",
    "test_gradients_nudges.py",
    "test_site_build.py",
)


@dataclass(frozen=True)
class SiteBuild:
    path: Path
    log: str
    seconds: float


def build_site(site_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` into ``site_dir`` from the repository root."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CE_BOOK_SITE_URL": SITE_URL}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir), *extra]
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800, check=False
    )


def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory every xdist worker of this run sees (the session's own one without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@dataclass(frozen=True)
class _Paths:
    site: Path
    record: Path  # the build's outcome, written once the build has finished
    started: Path  # the process ID of a build running in the background
    lock: Path

    @classmethod
    def of(cls, root: Path) -> _Paths:
        return cls(
            root / "site",
            root / "site-build.json",
            root / "site-build.pid",
            root / "site-build.lock",
        )


def _build_and_record(paths: _Paths) -> None:
    """Build the site and write the record (whatever happens, so nobody waits forever)."""
    start = time.perf_counter()
    outcome = {"ok": False, "log": "the build did not finish", "seconds": 0.0}
    try:
        result = build_site(paths.site)
        outcome = {"ok": result.returncode == 0, "log": result.stdout + result.stderr}
    except Exception as err:
        outcome["log"] = f"the build raised {err!r}"
    finally:
        outcome["seconds"] = time.perf_counter() - start
        partial = paths.record.with_suffix(".part")
        partial.write_text(json.dumps(outcome), encoding="utf-8")
        partial.replace(paths.record)


_background: list[subprocess.Popen] = []  # keeps the build's handle while this process lives


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put the longest modules first; start the build if a test needs the site."""

    def needs_site(item: pytest.Item) -> bool:
        return bool(SITE_FIXTURES & set(getattr(item, "fixturenames", ())))

    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)
    if os.environ.get("CE_BOOK_SITE") or not any(map(needs_site, items)):
        return
    # the factory the tmp_path_factory fixture returns (pytest keeps it on the config)
    paths = _Paths.of(shared_dir(config._tmp_path_factory))
    with FileLock(str(paths.lock)):
        if not paths.record.exists() and not paths.started.exists():
            process = subprocess.Popen([sys.executable, __file__, str(paths.site.parent)])
            _background.append(process)
            paths.started.write_text(str(process.pid), encoding="utf-8")


def _running(pid: int) -> bool:
    for process in _background:
        if process.pid == pid:
            return process.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    paths = _Paths.of(shared_dir(tmp_path_factory))
    with FileLock(str(paths.lock)):
        if not paths.record.exists() and not paths.started.exists():
            _build_and_record(paths)
    deadline = time.monotonic() + 1800
    while not paths.record.exists():
        pid = int(paths.started.read_text(encoding="utf-8"))
        if not _running(pid) and not paths.record.exists():
            pytest.fail(f"the background site build (process {pid}) ended without a record")
        if time.monotonic() > deadline:
            pytest.fail("the background site build took more than 30 minutes")
        time.sleep(0.2)
    outcome = json.loads(paths.record.read_text(encoding="utf-8"))
    if not outcome["ok"]:
        pytest.fail(f"mkdocs build --strict failed:\n{outcome['log']}")
    return SiteBuild(paths.site, outcome["log"], outcome["seconds"])


@pytest.fixture(scope="session")
def built_site(site_build: SiteBuild) -> Path:
    """Directory of the site built with ``mkdocs build --strict``."""
    return site_build.path


if __name__ == "__main__":  # the background build: python tests/site_fixtures.py RUN_DIR
    _build_and_record(_Paths.of(Path(sys.argv[1])))
