"""What the build hook knows across the rebuilds of ``mkdocs serve``.

MkDocs executes a hook file afresh each time it loads the configuration, which ``mkdocs
serve`` does before every rebuild; an ordinary module imported by the hook stays in
``sys.modules``. So the hook keeps its state here: whether it is serving, the caches of
printed derivations, typeset formulas and compiled templates, and the generated claims page.
"""

from __future__ import annotations

from pathlib import Path

import book_cite
import book_math
import jinja2


class _TemplateCache(jinja2.BytecodeCache):
    """Compiled theme templates, kept in memory across the rebuilds of ``mkdocs serve``
    (each rebuild makes a new Jinja environment, which would compile them all again)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class _State:
    """What one build knows, kept in the module between the rebuilds of ``mkdocs serve``."""

    root: Path
    digest: str = ""
    usage: dict[tuple[str, str], list[str]]
    labs: dict[str, Path]
    serving: bool = False
    latex: dict[str, str] = {}  # noqa: RUF012 (one process-wide cache, reset with ce_book)
    figure_counts: dict[str, int]
    math: book_math.Renderer | None = None
    templates = _TemplateCache()
    claims_text: tuple[object, str] | None = None
    edition: book_cite.Edition
    content: dict[str, str | None] = {}  # noqa: RUF012 (pages whose search text is swapped)
    record: dict | None = None
    claims_cache: Path
    claims_restored: int = 0  # claim values this build took from book_claims_cache
    checks_pending: bool = False  # serve: derivations shown unchecked, their checks running


STATE = _State()
