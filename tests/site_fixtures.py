"""Pytest fixtures that build the site once per test session (a plugin module).

``built_site`` is the path of a site built with ``mkdocs build --strict``; ``site_build``
also carries the build's log and duration. Register with ``pytest_plugins =
["site_fixtures"]`` in ``tests/conftest.py``, or import the fixtures into a test module.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class SiteBuild:
    path: Path
    log: str
    seconds: float


def build_site(site_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` into ``site_dir`` from the repository root."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir), *extra]
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800, check=False
    )


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    site_dir = tmp_path_factory.mktemp("site")
    start = time.perf_counter()
    result = build_site(site_dir)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}")
    return SiteBuild(site_dir, result.stdout + result.stderr, seconds)


@pytest.fixture(scope="session")
def built_site(site_build: SiteBuild) -> Path:
    """Directory of the site built with ``mkdocs build --strict``."""
    return site_build.path
