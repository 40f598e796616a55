"""Claim values kept on disk between builds, keyed on what they are computed from.

Computing the ledger's values is most of a build's own work (a few claims fit models or
sweep thousands of inputs). A value depends only on ``ce_book``'s sources and the pinned
dependencies, so the build stores the values it computed in
``.cache/claims/<key>.pickle``, with the key a digest of the package's sources and
``pyproject.toml``, and the next build from the same sources (a second edition, the PDF's
build, the next ``mkdocs serve``) starts from them. Editing any file of ``ce_book`` changes
the key, and every value is computed afresh. The tests never read this cache: they compute
and check every claim themselves.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

CACHE_FORMAT = "1"  # bump to invalidate every stored file


def path(root: Path, package_digest: str) -> Path:
    """Where the values computed from these sources are kept."""
    key = hashlib.sha256(CACHE_FORMAT.encode() + package_digest.encode())
    key.update((root / "pyproject.toml").read_bytes())
    return root / ".cache" / "claims" / f"{key.hexdigest()[:20]}.pickle"


def load(file: Path) -> dict:
    """The stored values ({} if there are none or the file is unreadable)."""
    try:
        with file.open("rb") as handle:
            values = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return {}
    return values if isinstance(values, dict) else {}


def save(file: Path, values: dict) -> None:
    """Store the values atomically, and drop the files of older sources."""
    file.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=file.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        pickle.dump(values, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, file)
    for other in file.parent.glob("*.pickle"):
        if other != file:
            other.unlink(missing_ok=True)
