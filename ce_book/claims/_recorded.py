r"""Values that are PyTorch's own outputs, recorded so that reading the book needs no PyTorch.

A claim declared with ``recorded=True`` computes its value by running PyTorch. The site shows
the value stored in ``recorded.json`` beside this module, with the PyTorch version that
produced it; the tests (which install the pinned PyTorch) compute every recorded value again
and fail on any difference, and ``python -m ce_book record`` rewrites the file.

Values are stored exactly: a float as its shortest round-trip decimal (``repr``), an array as
``{"array": [...], "dtype": "float64"}``.

>>> decode(encode(0.1 + 0.2)) == 0.1 + 0.2
True
>>> decode(encode(np.array([1.5, -2.0], dtype=np.float32)))
array([ 1.5, -2. ], dtype=float32)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

PATH = Path(__file__).with_name("recorded.json")


def encode(value: Any) -> Any:
    """A JSON-ready form of a claim's value that :func:`decode` turns back into the same value."""
    if isinstance(value, np.ndarray):
        return {"array": value.tolist(), "dtype": str(value.dtype)}
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    raise TypeError(f"value: cannot record a {type(value).__name__}")


def decode(data: Any) -> Any:
    """The value :func:`encode` was given."""
    if isinstance(data, dict):
        return np.array(data["array"], dtype=data["dtype"])
    if isinstance(data, list):
        return [decode(v) for v in data]
    return data


def live(entry: Any) -> Any:
    """A recorded claim's value computed now by PyTorch, on one thread (a reduction split
    between threads adds in another order), with the kernels of :mod:`ce_book.artefacts`
    (pinned by the caller before PyTorch is imported), so every machine computes the same bits.
    """
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return decode(encode(entry.compute()))
    finally:
        torch.set_num_threads(threads)


def load(path: Path = PATH) -> dict[str, Any]:
    """``{"torch": version, "values": {id: encoded value}}`` from the committed file."""
    if not path.exists():
        return {"torch": None, "values": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def dump(torch_version: str, values: dict[str, Any], path: Path = PATH) -> None:
    """Write the recorded values, sorted by ID, one per line (readable diffs)."""
    data = {"torch": torch_version, "values": {k: encode(values[k]) for k in sorted(values)}}
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
