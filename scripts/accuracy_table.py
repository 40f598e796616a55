"""Print the worst per-sample relative error of cross-entropy, ce_book vs PyTorch, per regime.

Usage: ``.venv/bin/python scripts/accuracy_table.py [--rows N]``

For each regime of :mod:`ce_book.reference` and each dtype, every row of logits goes through
``ce_book.losses.cross_entropy`` and ``torch.nn.functional.cross_entropy`` (reduction
"none"), and each result is compared with the mpmath value (50 digits) rounded to the dtype.
The book's targets are 4e-15 (float64) and 1e-6 (float32).
"""

from __future__ import annotations

import argparse

import numpy as np

from ce_book import losses as L
from ce_book import reference as R

TARGET = {np.float64: 4e-15, np.float32: 1e-6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60, help="rows of logits per regime")
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        torch = None

    def torch_loss(z: np.ndarray, y: int) -> float:
        return float(torch.nn.functional.cross_entropy(torch.from_numpy(z), torch.tensor(y)))

    header = f"{'regime':<12} {'dtype':<8} {'ce_book':>10} {'torch':>10} {'target':>8}"
    print(header)
    print("-" * len(header))
    for regime in R.REGIMES:
        for dtype in (np.float64, np.float32):
            ours = R.worst_relative_error(
                lambda z, y: L.cross_entropy(z, y), regime, dtype, n=args.rows
            )
            theirs = (
                R.worst_relative_error(torch_loss, regime, dtype, n=args.rows)
                if torch is not None
                else float("nan")
            )
            print(
                f"{regime:<12} {dtype.__name__:<8} {ours:>10.2e} {theirs:>10.2e} "
                f"{TARGET[dtype]:>8.0e}"
            )


if __name__ == "__main__":
    main()
