"""Time cross-entropy in ce_book against PyTorch (CPU) and the memory-bandwidth floor.

Usage: ``.venv/bin/python scripts/bench_speed.py [--repeats 7] [--shapes 2048x32000 ...]``

For float32 logits of each shape (default (4096, 10), (4096, 1000), (2048, 32000),
(512, 128000)) and random class-index targets, with reduction "mean", it times

- ``copy``: ``x.copy()``, a read and a write of the logits: the memory-bandwidth floor;
- ``ce fwd``: :func:`ce_book.losses.cross_entropy`;
- ``ce fused``: :func:`ce_book.gradients.cross_entropy_and_grad` (loss and gradient);
- ``torch fwd``: ``torch.nn.functional.cross_entropy``;
- ``torch f+b``: the same plus ``loss.backward()`` through autograd (the gradient is freed
  between runs).

Each backend runs in its own subprocess (their thread pools interfere), on the same data
(same seed), and reports the median of ``--repeats`` timed runs after one warm-up run.
PyTorch keeps its default thread count; NumPy runs on one thread.

Peak extra memory is measured on the first (warm-up) call of each subprocess, two ways:

- ``rss``: the growth of the process's peak resident set size (``ru_maxrss``) during that
  call, over the peak reached after creating the inputs. It sees every allocator (NumPy's
  and PyTorch's) and counts the returned gradient too; its resolution is a page.
- ``traced`` (NumPy backends only): the peak of :mod:`tracemalloc` during the call, which
  NumPy reports its array buffers to; it counts the returned arrays as well.

Both are printed in units of one logits-sized array (``N * C * 4`` bytes). The targets at
(2048, 32000) are: fused time <= torch f+b time, fused time <= 8x copy, fused extra memory
<= 1 logits-sized array (the gradient itself).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc

import numpy as np

SHAPES = [(4096, 10), (4096, 1000), (2048, 32000), (512, 128000)]
BACKENDS = ["copy", "ce fwd", "ce fused", "torch fwd", "torch f+b"]


def _inputs(n: int, c: int):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, c), dtype=np.float32) * np.float32(3)
    y = rng.integers(0, c, size=n)
    return x, y


def _runner(backend: str, x: np.ndarray, y: np.ndarray):
    """A function that runs ``backend`` once and returns what it produced."""
    if backend == "copy":
        return x.copy
    if backend == "ce fwd":
        from ce_book.losses import cross_entropy

        return lambda: cross_entropy(x, y)
    if backend == "ce fused":
        from ce_book.gradients import cross_entropy_and_grad

        return lambda: cross_entropy_and_grad(x, y)
    import torch

    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    if backend == "torch fwd":
        return lambda: torch.nn.functional.cross_entropy(xt, yt)
    xg = xt.clone().requires_grad_(True)

    def forward_backward():
        xg.grad = None
        loss = torch.nn.functional.cross_entropy(xg, yt)
        loss.backward()
        return loss, xg.grad

    return forward_backward


def _peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB


def worker(backend: str, n: int, c: int, repeats: int) -> dict:
    """Run in a subprocess: memory on the first call, then the median of timed calls."""
    x, y = _inputs(n, c)
    run = _runner(backend, x, y)
    logits_bytes = x.nbytes
    rss_before = _peak_rss_bytes()
    tracemalloc.start()
    result = run()
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss_extra = _peak_rss_bytes() - rss_before
    del result
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
        del result
    threads = None
    if backend.startswith("torch"):
        import torch

        threads = torch.get_num_threads()
    return {
        "median_s": statistics.median(times),
        "rss": rss_extra / logits_bytes,
        "traced": None if backend.startswith("torch") else traced / logits_bytes,
        "threads": threads,
    }


def measure(backend: str, n: int, c: int, repeats: int) -> dict:
    cmd = [sys.executable, __file__, "--worker", backend, f"{n}x{c}", "--repeats", str(repeats)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _shape(text: str) -> tuple[int, int]:
    n, c = text.lower().split("x")
    return int(n), int(c)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--shapes", nargs="*", type=_shape, default=SHAPES)
    parser.add_argument("--worker", nargs=2, metavar=("BACKEND", "NxC"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        backend, shape = args.worker
        print(json.dumps(worker(backend, *_shape(shape), args.repeats)))
        return

    print("float32 logits, class-index targets, reduction='mean'; medians in ms;")
    print("memory: peak extra during one call, in logits-sized arrays (rss / traced)\n")
    head = (
        f"{'shape':>13} {'copy':>7} {'ce fwd':>7} {'torch fwd':>9} {'fwd/torch':>9} "
        f"{'ce fused':>8} {'torch f+b':>9} {'fused/torch':>11} {'fused/copy':>10} "
        f"{'mem fused':>11} {'mem torch f+b':>13}"
    )
    print(head)
    print("-" * len(head))
    threads = None
    for n, c in args.shapes:
        r = {b: measure(b, n, c, args.repeats) for b in BACKENDS}
        threads = r["torch f+b"]["threads"]
        ms = {b: r[b]["median_s"] * 1e3 for b in BACKENDS}
        fused = r["ce fused"]
        print(
            f"{f'({n}, {c})':>13} {ms['copy']:7.2f} {ms['ce fwd']:7.2f} {ms['torch fwd']:9.2f} "
            f"{ms['ce fwd'] / ms['torch fwd']:9.2f} {ms['ce fused']:8.2f} "
            f"{ms['torch f+b']:9.2f} {ms['ce fused'] / ms['torch f+b']:11.2f} "
            f"{ms['ce fused'] / ms['copy']:10.2f} "
            f"{fused['rss']:5.2f}/{fused['traced']:5.2f} {r['torch f+b']['rss']:13.2f}"
        )
    print(f"\ntorch threads: {threads}; numpy: one thread")


if __name__ == "__main__":
    main()
