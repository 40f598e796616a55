"""Execute the labs (jupytext percent scripts) into notebooks, cached by content.

A lab ``docs/labs/<name>.py`` is executed once per distinct (lab source, ``ce_book``
sources) pair; the executed notebook is kept at
``.cache/labs/<name>/<source key>/<ce_book key>/labs/<name>.ipynb`` (the last key directory
mirrors ``docs/`` so that MkDocs can read the notebook from there),
so editing a chapter never re-runs a kernel, while editing ``ce_book`` does. Cell IDs are
numbered (``<name>-0``, ``<name>-1``, ...) and no timings are recorded, so the notebook,
and the HTML rendered from it, are the same bytes every time.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import shutil
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

CACHE_FORMAT = "1"  # bump to invalidate every cached lab


class LabError(Exception):
    """A lab raised while executing; the message names the lab and shows the traceback."""


def sources_digest(package_dir: Path) -> str:
    """SHA-256 over every Python source of the package (paths and contents)."""
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*.py")):
        digest.update(path.relative_to(package_dir).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def execute_lab(
    source: Path, cache_dir: Path, package_digest: str, cwd: Path, *, allow_stale: bool = False
) -> tuple[Path, bool]:
    """The executed notebook for ``source`` and whether it ran with the current sources.

    The cache key has two levels, ``<name>/<lab source>/<ce_book sources>``. With
    ``allow_stale`` (``mkdocs serve``), a lab whose own source is unchanged reuses its latest
    execution even if ``ce_book`` changed since, so that a rebuild never waits for kernels;
    ``mkdocs build`` and the tests always execute against the current sources.
    """
    source_dir = cache_dir / source.stem / _digest(CACHE_FORMAT.encode() + source.read_bytes())
    target = source_dir / _digest(package_digest.encode()) / "labs" / f"{source.stem}.ipynb"
    if target.exists():
        return target, True
    if allow_stale:
        earlier = sorted(source_dir.glob(f"*/labs/{source.stem}.ipynb"), key=_mtime)
        if earlier:
            return earlier[-1], False
        # Never run in this checkout: serve the lab without outputs at once and run it in
        # the background once the build is done (start_background); the next rebuild shows
        # the executed notebook.
        _WAITING.append((source, cache_dir, package_digest, cwd))
        return _unexecuted(source, source_dir), False
    return _execute(source, target, cwd), True


_BACKGROUND = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="lab")
_WAITING: list[tuple[Path, Path, str, Path]] = []


def start_background() -> None:
    """Run the labs that ``execute_lab`` left waiting, one at a time, in the background.

    Called when a build has finished: a kernel running beside the first build of a fresh
    checkout would take one of the machine's cores from it and delay the first page.
    """
    while _WAITING:
        _BACKGROUND.submit(_run_quietly, *_WAITING.pop(0))


def _run_quietly(source: Path, cache_dir: Path, package_digest: str, cwd: Path) -> None:
    try:
        execute_lab(source, cache_dir, package_digest, cwd)
    except LabError:
        pass  # `mkdocs build` and the tests report it; serve keeps showing the unexecuted lab


def _notebook(source: Path) -> nbformat.NotebookNode:
    nb = jupytext.read(source, fmt="py:percent")
    for i, cell in enumerate(nb.cells):
        cell.id = f"{source.stem}-{i}"
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def _unexecuted(source: Path, source_dir: Path) -> Path:
    """The lab as a notebook without outputs, with a note saying so (``mkdocs serve`` only)."""
    nb = _notebook(source)
    note = nbformat.v4.new_markdown_cell(
        "*This lab is running in the background for the first time in this checkout: its "
        "outputs appear with the next rebuild (save any page).*"
    )
    note.id = f"{source.stem}-note"
    nb.cells.insert(1, note)
    target = source_dir / "unexecuted" / "labs" / f"{source.stem}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return target


def _execute(source: Path, target: Path, cwd: Path) -> Path:
    nb = _notebook(source)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        allow_errors=False,
        record_timing=False,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no TCP notice on stderr
        resources={"metadata": {"path": str(cwd)}},
    )
    try:
        client.execute()
    except CellExecutionError as err:
        raise LabError(
            f"{source.name}: a cell raised, so the book does not build.\n{err}"
        ) from None

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    nbformat.write(nb, partial)
    partial.replace(target)
    return target


def _mtime(path: Path) -> float:
    return path.stat().st_mtime


def prune(cache_dir: Path, keep: set[Path], max_age_days: float = 1.0) -> None:
    """Remove cached executions not in ``keep`` and older than ``max_age_days``.

    The age limit leaves alone entries that a concurrent build (with other sources) may
    still be reading.
    """
    limit = time.time() - max_age_days * 86400
    for key_dir in cache_dir.glob("*/*/*"):
        if key_dir not in keep and key_dir.is_dir() and key_dir.stat().st_mtime < limit:
            shutil.rmtree(key_dir, ignore_errors=True)
