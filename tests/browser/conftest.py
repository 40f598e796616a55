"""Fixtures for the browser tests: the built site served on 127.0.0.1, and headless Chromium.

Under ``CI=true`` a missing Chromium is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from browser.server import serve

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def need_chromium() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if path is None:
        reason = "Debian's chromium is not installed (scripts/test.sh installs it as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: browser tests must run, but {reason}")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def site_dir(request) -> Path:
    """The book built once per session with ``mkdocs build --strict`` (site_fixtures.py).

    ``CE_BOOK_SITE=/path/to/site`` reuses a site built beforehand (quicker while writing).
    """
    prebuilt = os.environ.get("CE_BOOK_SITE")
    return Path(prebuilt) if prebuilt else request.getfixturevalue("built_site")


@pytest.fixture(scope="session")
def base_url(site_dir):
    server, url = serve(site_dir)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    path = need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
