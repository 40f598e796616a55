"""Check reports of the registered derivations: computed in parallel, cached on disk.

:func:`check_all` checks derivations in worker processes (one per core);
:func:`report` gives one derivation's report, from a cache keyed on the sources of
``ce_book/derivations`` and the SymPy version, so that the site build shows how each line was
checked without re-proving anything when nothing changed. A derivation that is not the
registered one of its ID (an altered copy in a test) is always checked afresh.
:func:`check_in_background` fills the cache without blocking (``mkdocs serve`` on a fresh
checkout); ``report(d, wait=False)`` then answers ``None`` until it is done.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import sympy as sp

from ce_book.derivations.model import Derivation, DerivationCheck

_HERE = Path(__file__).resolve().parent
_MEMORY: dict[str, dict[str, DerivationCheck]] = {}


def _check(id: str) -> dict:
    """Check one registered derivation (in a worker process) and return its report."""
    from ce_book.derivations import get

    return get(id).check().as_dict()


def registered(d: Derivation) -> bool:
    """``d`` is the registered derivation of its ID (a worker process can look it up)."""
    from ce_book.derivations import get

    try:
        return get(d.id) is d
    except KeyError:
        return False


def check_all(chosen: list[Derivation], jobs: int | None = None) -> list[DerivationCheck]:
    """The checks of ``chosen``, in order; registered ones in ``jobs`` worker processes."""
    jobs = jobs or min(len(chosen), os.cpu_count() or 1)
    if jobs <= 1 or len(chosen) < 2 or not all(registered(d) for d in chosen):
        return [d.check() for d in chosen]
    # Derivations over sizes and with many steps are the slow ones: they go first, so that
    # no worker is left with a long one at the end.
    cost = [len(d.steps) * (1 + len(d.assumptions.sizes)) for d in chosen]
    order = sorted(range(len(chosen)), key=lambda n: -cost[n])
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        done = dict(zip(order, pool.map(_check, [chosen[n].id for n in order]), strict=True))
    return [DerivationCheck.from_dict(done[n]) for n in range(len(chosen))]


def source_key() -> str:
    """A hash of the derivation sources and the SymPy version: the cache's key."""
    h = hashlib.sha256(sp.__version__.encode())
    for path in sorted(_HERE.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:20]


def cache_dir() -> Path | None:
    """``$CE_BOOK_CACHE/derivations``, else ``.cache/derivations`` in the source checkout."""
    if os.environ.get("CE_BOOK_CACHE"):
        return Path(os.environ["CE_BOOK_CACHE"]) / "derivations"
    root = _HERE.parents[1]
    return root / ".cache" / "derivations" if (root / "pyproject.toml").is_file() else None


def store(reports: list[DerivationCheck], chosen: list[Derivation]) -> None:
    """Remember the reports of every registered derivation (in memory and on disk).

    Nothing is stored unless ``chosen`` are exactly the registered derivations (not a
    selection, not an altered copy).
    """
    from ce_book.derivations import _REGISTRY

    if len(chosen) != len(_REGISTRY) or not all(registered(d) for d in chosen):
        return
    key = source_key()
    _MEMORY[key] = {r.id: r for r in reports}
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f"{key}.json.tmp"
        tmp.write_text(json.dumps({"derivations": [r.as_dict() for r in reports]}))
        tmp.replace(folder / f"{key}.json")
    except OSError:
        pass


def _load(key: str) -> dict[str, DerivationCheck] | None:
    if key in _MEMORY:
        return _MEMORY[key]
    folder = cache_dir()
    path = folder / f"{key}.json" if folder else None
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text())["derivations"]
    except (OSError, ValueError, KeyError):
        return None
    _MEMORY[key] = {r["id"]: DerivationCheck.from_dict(r) for r in data}
    return _MEMORY[key]


def report(d: Derivation, *, wait: bool = True) -> DerivationCheck | None:
    """The check of ``d``: cached for a registered derivation, fresh for any other.

    ``wait=False`` never checks: it gives the cached check, or ``None`` while there is none
    (``mkdocs serve`` shows the derivation unchecked meanwhile; see
    :func:`check_in_background`).
    """
    from ce_book.derivations import all_derivations

    if not registered(d):
        return d.check() if wait else None
    key = source_key()
    cached = _load(key)
    if (cached is None or d.id not in cached) and wait:
        everything = all_derivations()
        store(check_all(everything), everything)
        cached = _load(key) or {}
    if cached is not None and d.id in cached:
        return cached[d.id]
    return d.check() if wait else None


_BACKGROUND = ThreadPoolExecutor(max_workers=1, thread_name_prefix="derivation-checks")
_RUNNING: dict[str, Future] = {}


def ready() -> bool:
    """Every registered derivation has a cached check for the current sources."""
    from ce_book.derivations import all_derivations

    cached = _load(source_key())
    return cached is not None and all(d.id in cached for d in all_derivations())


def check_in_background() -> Future:
    """Check every registered derivation in the background and cache the reports, once per
    source key; the returned future is done when :func:`report` can answer without waiting."""
    from ce_book.derivations import all_derivations

    key = source_key()
    if key not in _RUNNING:
        everything = all_derivations()
        _RUNNING[key] = _BACKGROUND.submit(lambda: store(check_all(everything), everything))
    return _RUNNING[key]
