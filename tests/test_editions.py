"""Stable editions: two versions deployed with ``mike`` into a temporary git repository, then
served from its ``gh-pages`` branch, as GitHub Pages would serve them.

Each edition lives at ``<site>/<version>/`` and cites itself there (canonical links, BibTeX,
meta tags); ``latest`` is an alias of the newest; ``versions.json`` feeds the theme's version
selector; the PDF given in ``CE_BOOK_PDF`` is published beside the pages.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

import pytest
from browser.server import serve
from pypdf import PdfWriter
from site_fixtures import SITE_URL

ROOT = Path(__file__).resolve().parent.parent
SKIP = (".git", ".venv", "node_modules", ".cache", "site", "build", "test-artifacts")


def _run(*command: str, cwd: Path, env: dict[str, str]) -> None:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def pages_branch(tmp_path_factory: pytest.TempPathFactory, site_build) -> Path:
    """The ``gh-pages`` branch after deploying 0.1 and then 0.2 (alias latest), checked out.

    It waits for the run's own site build (``site_build``), which fills the caches of executed
    labs, derivation checks and claim values that the two edition builds then share, so that a
    fresh checkout does not run every lab three times at once.
    """
    tmp = tmp_path_factory.mktemp("editions")
    repo = tmp / "repo"
    shutil.copytree(
        ROOT, repo, ignore=shutil.ignore_patterns(*SKIP, "__pycache__", ".*_cache", ".hypothesis")
    )
    (repo / "node_modules").symlink_to(ROOT / "node_modules")
    (repo / ".cache").mkdir()
    # executed labs, derivation checks and claim values are keyed on their sources: safe to share
    for shared in ("labs", "mkdocs-jupyter", "derivations", "claims"):
        if (ROOT / ".cache" / shared).exists():
            (repo / ".cache" / shared).symlink_to(ROOT / ".cache" / shared)
    pdf = tmp / "ce-book.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(pdf)
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONPATH": str(repo),  # the copy's ce_book, not the editable install's
        "CE_BOOK_SITE_URL": SITE_URL,
        "CE_BOOK_PDF": str(pdf),
        "GIT_AUTHOR_NAME": "ce-book tests",
        "GIT_AUTHOR_EMAIL": "tests@example.org",
        "GIT_COMMITTER_NAME": "ce-book tests",
        "GIT_COMMITTER_EMAIL": "tests@example.org",
    }
    _run("git", "init", "-q", "-b", "main", cwd=repo, env=env)
    _run("git", "add", "-A", cwd=repo, env=env)
    _run("git", "commit", "-q", "-m", "edition", cwd=repo, env=env)
    mike = (str(Path(sys.executable).parent / "mike"),)
    _run(*mike, "deploy", "--update-aliases", "0.1", "latest", cwd=repo, env=env)
    _run(*mike, "deploy", "--update-aliases", "0.2", "latest", cwd=repo, env=env)
    _run(*mike, "set-default", "latest", cwd=repo, env=env)
    archive = tmp / "pages.tar"
    _run("git", "archive", "-o", str(archive), "gh-pages", cwd=repo, env=env)
    served = tmp / "served"
    with tarfile.open(archive) as tar:
        tar.extractall(served, filter="data")
    return served


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8", errors="replace")


def test_two_versions_and_an_alias_are_listed(pages_branch: Path) -> None:
    versions = json.loads((pages_branch / "versions.json").read_text(encoding="utf-8"))
    by_version = {v["version"]: v["aliases"] for v in versions}
    assert by_version == {"0.2": ["latest"], "0.1": []}


def test_each_edition_cites_its_own_versioned_address(pages_branch: Path) -> None:
    for version in ("0.1", "0.2"):
        base = f"{SITE_URL}{version}/"
        page = (pages_branch / version / "binary" / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{base}binary/">' in page
        assert f'<meta name="citation_public_url" content="{base}binary/">' in page
        assert f'<meta name="citation_pdf_url" content="{base}ce-book.pdf">' in page
        cites = re.findall(r"url\s+= \{([^}]*)\}", page)
        assert cites and all(c.startswith(f"{base}claims/#") for c in cites)
        assert '"provider": "mike"' in page or '"provider":"mike"' in page
        assert (pages_branch / version / "ce-book.pdf").is_file()
        assert f"{base}claims/#" in (pages_branch / version / "ce-book.bib").read_text()


def test_the_branch_serves_both_editions_and_the_default(pages_branch: Path) -> None:
    server, url = serve(pages_branch)
    try:
        assert "latest/" in _get(url)  # the root redirects to the default alias
        assert "Binary cross-entropy" in _get(url + "0.1/binary/")
        assert "Binary cross-entropy" in _get(url + "latest/binary/")
        assert json.loads(_get(url + "versions.json"))[0]["version"] == "0.2"
    finally:
        server.shutdown()
