r"""Vocabulary-parallel cross-entropy on ``torch.distributed`` (chapter 9), as in Megatron-LM,
with the ``log1p`` form of chapter 6.

This is the one module of ``ce_book`` that uses PyTorch: a distributed engine is what it is
about. ``torch`` is imported inside the functions that need it, so ``import ce_book.parallel``
works without it and the rest of the package never needs it.

Each of :math:`P` ranks holds a slice of the vocabulary: the logits of its own classes,
``logits_shard`` of shape ``(N, V / P)``, for every token. Two all-reduces give every rank
what the softmax needs:

1. the maximum :math:`m_n = \max_r \max_{j \in \text{shard } r} z_{nj}` (``MAX``, one number
   per token);
2. one ``SUM`` of three numbers per token: the sum of :math:`e^{z_{nj} - m_n}` over the
   logits below the maximum, the count of logits equal to it, and the target logit
   :math:`z_{n y_n}` (held by one rank, 0 on the others).

The weight of the other classes is then :math:`r_n = \text{below} + (\text{count} - 1)`: the
one term :math:`e^0 = 1` of the top class is left out exactly, never added and subtracted, so
:math:`\ell_n = (m_n - z_{n y_n}) + \operatorname{log1p}(r_n)` keeps the tiny loss of a
confident correct prediction that :math:`m_n + \log s_n - z_{n y_n}` (Megatron-LM's form,
with :math:`s_n = 1 + r_n`) rounds to 0. The gradient of the rank's own logits,
:math:`(e^{z_{nj} - m_n} / (1 + r_n) - [j = y_n]) / N`, needs no further communication; for
the target it is formed as :math:`(e^{z_{n y_n} - m_n} - 1 - r_n) / (1 + r_n)`, which is
:math:`-r_n / (1 + r_n)` without cancellation when the target is on top.

:func:`simulate` runs every rank's part in one process, with the all-reduces done by hand and
every message kept, to look inside; :func:`run_local` spawns real processes.

Run across hosts the same way: ``torchrun --nnodes 2 --nproc-per-node 8 ... -m ce_book.parallel``
sets ``RANK``, ``WORLD_SIZE``, ``MASTER_ADDR`` and ``MASTER_PORT``, and
:func:`torchrun_main` joins the group with ``init_method="env://"``.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import numpy as np

from ce_book._checks import as_logits, check_ignore_index, check_reduction


def bytes_per_token(vocab_size: int, itemsize: int = 4) -> tuple[int, int]:
    r"""Bytes per token that the loss puts on the network: vocabulary-parallel, and gathering.

    The vocabulary-parallel loss all-reduces four numbers per token (the maximum; then the
    sum below it, the count at it and the target logit); gathering the logits to one place
    moves all :math:`V`:

    .. math:: 4b \quad\text{versus}\quad V b

    >>> bytes_per_token(128256)  # float32, Llama 3's vocabulary
    (16, 513024)
    """
    for name, v in (("vocab_size", vocab_size), ("itemsize", itemsize)):
        if isinstance(v, bool) or not isinstance(v, int | np.integer) or v <= 0:
            raise ValueError(f"{name}: must be a positive integer, got {v!r}")
    return 4 * int(itemsize), int(vocab_size) * int(itemsize)


def shard_bounds(vocab_size: int, world_size: int, rank: int) -> tuple[int, int]:
    r"""The classes ``[start, stop)`` that ``rank`` holds: contiguous, sizes differing by <= 1.

    .. math:: \text{start}_r = \lfloor r V / P \rfloor

    >>> [shard_bounds(10, 4, r) for r in range(4)]
    [(0, 2), (2, 5), (5, 7), (7, 10)]
    """
    if not 0 <= rank < world_size:
        raise ValueError(f"rank: must lie in [0, {world_size}), got {rank!r}")
    return rank * vocab_size // world_size, (rank + 1) * vocab_size // world_size


def vocab_parallel_cross_entropy(
    logits_shard: Any,
    target: Any,
    vocab_start: int,
    *,
    reduction: str = "mean",
    ignore_index: int = -100,
    group: Any = None,
) -> tuple[Any, Any]:
    r"""Loss and the gradient of this rank's logits, for the vocabulary slice it holds.

    ``logits_shard`` is a float tensor ``(N, V_r)`` holding classes
    ``vocab_start .. vocab_start + V_r - 1``; ``target`` the global class indices ``(N,)``.
    Every rank of ``group`` calls this with its own slice; all get the same loss
    (reduced like :func:`ce_book.losses.cross_entropy`), and each its slice of the gradient.
    Two all-reduces (a maximum, then a sum of three numbers per token), and none in the
    backward:

    .. math:: \ell_n = (m_n - z_{n y_n}) + \operatorname{log1p}(r_n), \qquad
              \frac{\partial L}{\partial z_{nj}} = \frac{1}{D}\Big(
              \frac{e^{z_{nj} - m_n}}{1 + r_n} - [j = y_n]\Big)

    (:math:`D` = number of kept targets for ``"mean"``, else 1).

    With one process and no group, the whole vocabulary is one shard (skipped here: the
    package's doctests run without torch; ``tests/test_parallel.py`` runs it):

    >>> import torch  # doctest: +SKIP
    >>> z, y = torch.zeros(1, 2, dtype=torch.float64), torch.tensor([0])  # doctest: +SKIP
    >>> loss, grad = vocab_parallel_cross_entropy(z, y, 0)  # doctest: +SKIP
    >>> float(loss), grad.tolist()  # doctest: +SKIP
    (0.6931471805599453, [[-0.5, 0.5]])
    """
    import torch.distributed as dist

    steps = _steps(logits_shard, target, vocab_start, reduction, ignore_index)
    distributed = dist.is_available() and dist.is_initialized()
    ops = {"max": dist.ReduceOp.MAX, "sum": dist.ReduceOp.SUM}
    message, op = next(steps)
    while True:
        if distributed:
            dist.all_reduce(message, op=ops[op], group=group)
        try:
            message, op = steps.send(message)
        except StopIteration as done:
            return done.value


def _steps(logits_shard: Any, target: Any, vocab_start: int, reduction: str, ignore_index: int):
    """One rank's part of the loss, as a generator: it yields each message it contributes to an
    all-reduce, with the reduction (``"max"`` or ``"sum"``), receives the reduced message back,
    and returns the loss and its gradient. The caller does the communication."""
    import torch

    red = check_reduction(reduction)
    ii = check_ignore_index(ignore_index)
    z = logits_shard.detach()
    n, width = z.shape
    # the sums travel in float32 at least: a count of ties is exact there up to 2^24, in
    # bfloat16 only up to 256
    acc = torch.promote_types(z.dtype, torch.float32)
    m = yield z.max(dim=1).values.clone(), "max"  # 1. the maximum
    e = torch.exp(z - m[:, None])
    top = z == m[:, None]  # e is exactly 1 there
    valid = target != ii
    local = valid & (target >= vocab_start) & (target < vocab_start + width)
    rows = torch.nonzero(local).squeeze(1)
    cols = target[rows] - vocab_start
    sums = torch.zeros((n, 3), dtype=acc)
    sums[:, 0] = torch.where(top, torch.zeros((), dtype=z.dtype), e).sum(dim=1, dtype=acc)
    sums[:, 1] = top.sum(dim=1).to(acc)  # at m
    sums[rows, 2] = z[rows, cols].to(acc)  # the target logit
    total = yield sums, "sum"  # 2. three sums
    below, at_top, z_y = total.unbind(1)
    r = below + (at_top - 1)  # the other classes' weight, without the top term's 1
    per_token = torch.where(valid, (m - z_y) + torch.log1p(r), torch.zeros((), dtype=acc))
    count = int(valid.sum())
    if red == "mean" and count == 0:
        raise ValueError("target: every target is ignore_index, so the mean is 0/0")
    scale = 1.0 / count if red == "mean" else 1.0
    grad = e.to(acc) / (1 + r)[:, None]
    grad[rows, cols] = ((e[rows, cols].to(acc) - 1) - r[rows]) / (1 + r[rows])
    grad[~valid] = 0
    grad = (grad * scale).to(z.dtype)
    if red == "none":
        return per_token, grad
    return per_token.sum() * scale, grad


def simulate(
    logits: object,
    target: object,
    world_size: int,
    *,
    reduction: str = "mean",
    ignore_index: int = -100,
) -> tuple[list[Any], Any, list[tuple[str, list[Any]]]]:
    r"""Every rank's part of :func:`vocab_parallel_cross_entropy` in this one process, with
    the all-reduces done by hand: the same code, without the network, to look inside.

    Returns every rank's loss, the gathered gradient, and the messages: for each all-reduce,
    its reduction and what each rank contributed. Rank ``r`` holds the classes of
    :func:`shard_bounds`.

    >>> import torch  # doctest: +SKIP
    >>> z = torch.tensor([[5.0, 0.0, 5.0, 0.0]], dtype=torch.float64)  # doctest: +SKIP
    >>> losses, grad, messages = simulate(z, torch.tensor([0]), 2)  # doctest: +SKIP
    >>> [op for op, _ in messages], messages[1][1][0].tolist()  # doctest: +SKIP
    (['max', 'sum'], [[0.006737946999085467, 1.0, 5.0]])
    """
    import torch

    z = torch.as_tensor(logits)
    t = torch.as_tensor(target)
    if z.ndim != 2 or not z.is_floating_point():
        raise ValueError(f"logits: expected a 2-D float tensor (N, V), got shape {tuple(z.shape)}")
    if isinstance(world_size, bool) or not isinstance(world_size, int) or world_size < 1:
        raise ValueError(f"world_size: must be a positive integer, got {world_size!r}")
    ranks = []
    for rank in range(world_size):
        start, stop = shard_bounds(z.shape[1], world_size, rank)
        ranks.append(_steps(z[:, start:stop], t, start, reduction, ignore_index))
    sent = [next(steps) for steps in ranks]
    messages: list[tuple[str, list[Any]]] = []
    while True:
        op = sent[0][1]
        parts = [message.clone() for message, _ in sent]
        messages.append((op, parts))
        stacked = torch.stack(parts)
        reduced = stacked.amax(dim=0) if op == "max" else stacked.sum(dim=0)
        following, results = [], []
        for steps in ranks:
            try:
                following.append(steps.send(reduced.clone()))
            except StopIteration as done:
                results.append(done.value)
        if results:  # every rank runs the same steps, so all finish together
            break
        sent = following
    return [loss for loss, _ in results], torch.cat([g for _, g in results], dim=1), messages


def _worker(rank: int, world_size: int, store_path: str, job: dict, queue: Any) -> None:
    import torch
    import torch.distributed as dist

    torch.set_num_threads(1)
    dist.init_process_group(
        "gloo", init_method=f"file://{store_path}", rank=rank, world_size=world_size
    )
    try:
        logits = torch.from_numpy(job["logits"])
        start, stop = shard_bounds(logits.shape[1], world_size, rank)
        loss, grad = vocab_parallel_cross_entropy(
            logits[:, start:stop].contiguous(),
            torch.from_numpy(job["target"]),
            start,
            reduction=job["reduction"],
            ignore_index=job["ignore_index"],
        )
        queue.put((rank, loss.numpy().copy(), grad.numpy().copy()))
    finally:
        dist.destroy_process_group()


def run_local(
    logits: object,
    target: object,
    world_size: int,
    *,
    reduction: str = "mean",
    ignore_index: int = -100,
) -> tuple[list[np.ndarray], np.ndarray]:
    r"""Spawn ``world_size`` processes on this machine (gloo), each with a slice of the
    vocabulary of ``logits`` ``(N, V)``; return every rank's loss and the gathered gradient.

    This is how the tests run the distributed loss; the losses of all ranks must agree.
    (Spawning processes takes seconds, so the example is not run as a doctest.)

    >>> losses, grad = run_local(np.zeros((3, 8)), np.array([0, 1, 2]), 2)  # doctest: +SKIP
    >>> [float(x) for x in losses]  # doctest: +SKIP
    [2.0794415416798357, 2.0794415416798357]

    .. math:: \text{rank } r \text{ holds } z_{:, \lfloor rV/P \rfloor : \lfloor (r+1)V/P \rfloor}
    """
    import torch.multiprocessing as mp

    z = as_logits(logits, "logits")
    if z.ndim != 2:
        raise ValueError(f"logits: expected a 2-D array (N, V), got shape {z.shape}")
    t = np.asarray(target)
    if t.dtype.kind not in "iu" or t.shape != (z.shape[0],):
        raise ValueError(f"target: expected {z.shape[0]} integer class indices")
    if isinstance(world_size, bool) or not isinstance(world_size, int) or world_size < 1:
        raise ValueError(f"world_size: must be a positive integer, got {world_size!r}")
    job = {
        "logits": np.ascontiguousarray(z),
        "target": t.astype(np.int64),
        "reduction": check_reduction(reduction),
        "ignore_index": check_ignore_index(ignore_index),
    }
    ctx = mp.get_context("spawn")
    queue = ctx.SimpleQueue()
    with tempfile.TemporaryDirectory() as tmp:
        store = os.path.join(tmp, "store")
        procs = [
            ctx.Process(target=_worker, args=(r, world_size, store, job, queue))
            for r in range(world_size)
        ]
        for p in procs:
            p.start()
        results = sorted(queue.get() for _ in procs)
        for p in procs:
            p.join()
        if any(p.exitcode != 0 for p in procs):
            raise RuntimeError(f"a worker failed: exit codes {[p.exitcode for p in procs]}")
    return [r[1] for r in results], np.concatenate([r[2] for r in results], axis=1)


def torchrun_main() -> None:  # pragma: no cover - run by torchrun, across processes or hosts
    """Entry point for ``torchrun ... -m ce_book.parallel``: a small check on every rank."""
    import torch
    import torch.distributed as dist

    dist.init_process_group("gloo", init_method="env://")
    rank, world = dist.get_rank(), dist.get_world_size()
    gen = torch.Generator().manual_seed(0)  # every rank draws the same full problem
    logits = torch.randn(8, 1000, generator=gen, dtype=torch.float64)
    target = torch.randint(0, 1000, (8,), generator=gen)
    start, stop = shard_bounds(1000, world, rank)
    loss, _ = vocab_parallel_cross_entropy(logits[:, start:stop], target, start)
    full = torch.nn.functional.cross_entropy(logits, target)
    print(f"rank {rank}/{world}: loss {float(loss):.12f}, one process {float(full):.12f}")
    dist.destroy_process_group()


if __name__ == "__main__":  # pragma: no cover
    torchrun_main()
