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

``--fused`` times the fused linear + cross-entropy of chapter 9 instead, at
(N, d, V) = (2048, 256, 32768) float32 by default (``--fused-shape NxDxV``):

- ``lce C``: :func:`ce_book.scale.linear_cross_entropy_and_grad` with ``chunk_size=C`` for
  every ``C`` of ``--chunks`` (loss, grad_hidden and grad_weight);
- ``torch linear+ce``: ``F.linear`` then ``F.cross_entropy``, forward and backward through
  autograd (the N x V logits and their gradient are materialised).

Extra memory is the tracemalloc peak of one call minus the bytes of what it returns, in units
of the N x V float32 logits (targets: <= 1/8), each backend in a fresh subprocess; time is
the ratio to ``torch linear+ce``, all backends timed in one subprocess, interleaved round by
round (best and median of ``--repeats`` rounds; target: <= 1.0). Both libraries run on
``--threads`` threads (default 1: OPENBLAS_NUM_THREADS / OMP_NUM_THREADS for the subprocess, and
``torch.set_num_threads``); on a shared machine a busy-waiting BLAS pool with more threads
than free cores slows down by an order of magnitude.
``--json FILE`` also writes the numbers (the chapter's figure reads numbers recorded so).
"""

from __future__ import annotations

import argparse
import json
import os
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


FUSED_SHAPE = (2048, 256, 32768)
CHUNKS = [16, 32, 64, 128, 256, 512, 2048]


def _fused_inputs(n: int, d: int, v: int):
    rng = np.random.default_rng(0)
    h = rng.standard_normal((n, d), dtype=np.float32)
    w = rng.standard_normal((v, d), dtype=np.float32) * np.float32(d**-0.5)
    y = rng.integers(0, v, size=n)
    return h, w, y


def _fused_runner(backend: str, h: np.ndarray, w: np.ndarray, y: np.ndarray):
    if backend.startswith("lce "):
        from ce_book.scale import linear_cross_entropy_and_grad

        chunk = int(backend.split()[1])
        return lambda: linear_cross_entropy_and_grad(h, w, y, chunk_size=chunk)
    import torch

    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    ht = torch.from_numpy(h).requires_grad_(True)
    wt = torch.from_numpy(w).requires_grad_(True)
    yt = torch.from_numpy(y)

    def forward_backward():
        ht.grad = wt.grad = None
        loss = torch.nn.functional.cross_entropy(torch.nn.functional.linear(ht, wt), yt)
        loss.backward()
        return loss, ht.grad, wt.grad

    return forward_backward


def fused_memory_worker(backend: str, n: int, d: int, v: int) -> dict:
    """Run in a subprocess: the extra memory of one (the first) call of ``backend``."""
    h, w, y = _fused_inputs(n, d, v)
    run = _fused_runner(backend, h, w, y)
    rss_before = _peak_rss_bytes()
    tracemalloc.start()
    result = run()
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss_extra = _peak_rss_bytes() - rss_before
    out_bytes = sum(int(np.asarray(r).nbytes) for r in result) if backend.startswith("lce") else 0
    logits = n * v * 4
    return {
        "extra": (traced - out_bytes) / logits if backend.startswith("lce") else None,
        "rss": rss_extra / logits,
    }


def fused_timing_worker(backends: list[str], n: int, d: int, v: int, repeats: int) -> dict:
    """Run in one subprocess: every backend once per round, ``repeats`` rounds, interleaved,
    so that a burst of load from other processes hits all of them alike."""
    h, w, y = _fused_inputs(n, d, v)
    runs = {b: _fused_runner(b, h, w, y) for b in backends}
    for run in runs.values():  # warm-up
        run()
    times: dict[str, list[float]] = {b: [] for b in backends}
    for _ in range(repeats):
        for b, run in runs.items():
            start = time.perf_counter()
            result = run()
            times[b].append(time.perf_counter() - start)
            del result
    return times


def main_fused(
    shape: tuple[int, int, int], chunks: list[int], repeats: int, threads: int, out: str | None
) -> None:
    n, d, v = shape
    env = dict(os.environ)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = str(threads)
    print(f"fused linear + cross-entropy, (N, d, V) = {shape} float32, forward + backward,")
    print(f"{threads} thread(s) for both libraries, {repeats} interleaved rounds;")
    print("extra memory: traced peak beyond the outputs, in N x V logits (rss growth too)\n")
    backends = ["torch linear+ce"] + [f"lce {c}" for c in chunks if c <= n]
    geometry = f"{n}x{d}x{v}"
    rows = {}
    for b in backends:
        cmd = [sys.executable, __file__, "--fused-worker", b, geometry]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout
        rows[b] = json.loads(done.strip().splitlines()[-1])
    cmd = [sys.executable, __file__, "--fused-timing", ",".join(backends), geometry]
    cmd += ["--repeats", str(repeats)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout
    times = json.loads(done.strip().splitlines()[-1])
    for b in backends:
        rows[b]["min_s"] = min(times[b])
        rows[b]["median_s"] = statistics.median(times[b])
    base_min, base_med = rows["torch linear+ce"]["min_s"], rows["torch linear+ce"]["median_s"]
    print(
        f"{'backend':>16} {'min ms':>9} {'median ms':>10} {'time/torch (min)':>17} "
        f"{'(median)':>9} {'extra (traced)':>15} {'rss':>7}"
    )
    for b, r in rows.items():
        extra = "" if r["extra"] is None else f"{r['extra']:.4f}"
        print(
            f"{b:>16} {r['min_s'] * 1e3:9.1f} {r['median_s'] * 1e3:10.1f} "
            f"{r['min_s'] / base_min:17.2f} {r['median_s'] / base_med:9.2f} {extra:>15} "
            f"{r['rss']:7.3f}"
        )
    if out:
        with open(out, "w", encoding="utf-8") as f:
            data = {"shape": list(shape), "repeats": repeats, "threads": threads, "rows": rows}
            json.dump(data, f, indent=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--shapes", nargs="*", type=_shape, default=SHAPES)
    parser.add_argument("--worker", nargs=2, metavar=("BACKEND", "NxC"), help=argparse.SUPPRESS)
    parser.add_argument("--fused", action="store_true", help="fused linear + CE (chapter 9)")
    parser.add_argument("--fused-shape", default="x".join(map(str, FUSED_SHAPE)))
    parser.add_argument("--chunks", nargs="*", type=int, default=CHUNKS)
    parser.add_argument("--json", default=None, help="with --fused: write the numbers here")
    parser.add_argument("--threads", type=int, default=1, help="with --fused: BLAS threads")
    parser.add_argument("--fused-worker", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--fused-timing", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fused_worker:
        backend, shape = args.fused_worker
        n, d, v = map(int, shape.split("x"))
        print(json.dumps(fused_memory_worker(backend, n, d, v)))
        return
    if args.fused_timing:
        backends, shape = args.fused_timing
        n, d, v = map(int, shape.split("x"))
        print(json.dumps(fused_timing_worker(backends.split(","), n, d, v, args.repeats)))
        return
    if args.fused:
        shape = tuple(map(int, args.fused_shape.split("x")))
        main_fused(shape, args.chunks, args.repeats, args.threads, args.json)
        return
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
