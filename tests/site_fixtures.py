"""Pytest fixtures that build the site once per test run (a plugin module).

``built_site`` is the path of a site built with ``mkdocs build --strict``; ``site_build``
also carries the build's log and duration. Register with ``pytest_plugins =
["site_fixtures"]`` in ``tests/conftest.py``, or import the fixtures into a test module.

Under pytest-xdist every worker has its own session, so the first worker that needs the site
builds it into the run's shared temporary directory while holding a file lock; the others
wait for it and reuse it (the pattern pytest-xdist documents for session fixtures).
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


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    root = shared_dir(tmp_path_factory)
    site_dir, record = root / "site", root / "site-build.json"
    with FileLock(str(root / "site-build.lock")):
        if not record.exists():
            start = time.perf_counter()
            result = build_site(site_dir)
            outcome = {
                "ok": result.returncode == 0,
                "log": result.stdout + result.stderr,
                "seconds": time.perf_counter() - start,
            }
            record.write_text(json.dumps(outcome), encoding="utf-8")
    outcome = json.loads(record.read_text(encoding="utf-8"))
    if not outcome["ok"]:
        pytest.fail(f"mkdocs build --strict failed:\n{outcome['log']}")
    return SiteBuild(site_dir, outcome["log"], outcome["seconds"])


@pytest.fixture(scope="session")
def built_site(site_build: SiteBuild) -> Path:
    """Directory of the site built with ``mkdocs build --strict``."""
    return site_build.path
