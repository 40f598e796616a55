"""Record the claims whose values are PyTorch's own outputs into ce_book/claims/recorded.json.

Usage: ``.venv/bin/python scripts/record_torch_values.py`` (needs the pinned PyTorch, which
``bash scripts/test.sh`` installs). The site reads the file, so serving the book needs no
PyTorch; ``tests/test_claims.py`` computes every recorded value again and fails on any change.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from ce_book import artefacts

artefacts.pin_kernels()  # before NumPy and PyTorch load: the same bits on every CPU

import torch  # noqa: E402

from ce_book import claims  # noqa: E402
from ce_book.claims import _recorded  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def pinned_torch() -> str:
    """The PyTorch version pinned in pyproject.toml's ``torch`` extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (pin,) = project["optional-dependencies"]["torch"]
    return pin.partition("==")[2]


def main() -> int:
    if torch.__version__.split("+")[0] != pinned_torch():
        print(f"record: torch {torch.__version__} is not the pinned {pinned_torch()}")
        return 1
    values = {c.id: _recorded.live(c) for c in claims.all_claims() if c.recorded}
    _recorded.dump(torch.__version__.split("+")[0], values)
    print(f"record: {len(values)} values from torch {torch.__version__} -> {_recorded.PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
