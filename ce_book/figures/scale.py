"""Figures of the chapter on cross-entropy at scale: memory and time of the fused loss against
the chunk size, time relative to the same code with the whole batch as one chunk, from the
numbers recorded in :data:`ce_book.scale.MEASURED_FUSED` (never from live timings, so the
figure is the same bytes on every machine)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ce_book import scale
from ce_book.figures import figure
from ce_book.figures.style import COLORS, new_figure

#: The benchmark's problem (N, d, V), float32.
N, D, V = 2048, 256, 32768


def chunk_model(chunk: np.ndarray) -> np.ndarray:
    r"""The one chunk of logits the fused loss holds, as a fraction of the N x V logits.

    .. math:: \frac{\min(c, N)\, V}{N V} = \frac{\min(c, N)}{N}

    >>> chunk_model(np.array([128, 4096])).tolist()
    [0.0625, 1.0]
    """
    return np.minimum(chunk, N) / N


@figure(
    "scale-chunk-tradeoff",
    alt="Two panels against the chunk size in rows, from 16 to 2048 on a logarithmic axis. Top: "
    "the extra memory of the fused linear layer and cross-entropy, as a fraction of the "
    "logits, grows in proportion to the chunk size, from under one percent at 16 rows to the "
    "whole logits at 2048 rows, on the line of one chunk of logits. Bottom: the time as a "
    "ratio to the same code run with the whole batch as one chunk; it is more than twice "
    "that at 16 rows, about 1.1 times it at the default of 128 rows, lowest at 512 rows, "
    "about 0.6 times it, and 1 at 2048 rows by definition. A grey vertical line on both "
    "panels marks the default chunk of 128 rows.",
    caption="The fused loss at $(N, d, V) = (2048, 256, 32768)$ in float32 against its chunk "
    "size, as measured by the benchmark script (recorded numbers, forward and backward, on "
    "CPU). **Top:** extra memory beyond the outputs, in units of the $N \\times V$ logits; "
    "the dashed line is one chunk of logits. **Bottom:** time relative to the same NumPy code "
    "with the whole batch as one chunk (2048 rows, the dotted line), which holds all the "
    "logits. The grey vertical line marks the default chunk, 128 rows. Memory grows in "
    "proportion to the chunk; time falls as the chunk grows, is lowest at "
    f"{min(scale.MEASURED_FUSED, key=lambda c: scale.MEASURED_FUSED[c][1])} rows among the "
    "sizes measured in this run, and rises again when the whole batch is one chunk. A chunk "
    "of 1024 rows was not measured, hence the gap between 512 and 2048.",
)
def scale_chunk_tradeoff() -> Figure:
    chunks = np.array(sorted(scale.MEASURED_FUSED), dtype=float)
    memory = np.array([scale.MEASURED_FUSED[int(c)][0] for c in chunks])
    time = np.array([scale.fused_time_vs_unchunked(int(c)) for c in chunks])
    fig = new_figure((5.0, 5.6))
    mem_ax, time_ax = fig.subplots(2, 1, sharex=True)

    grid = np.geomspace(chunks[0], chunks[-1], 50)
    mem_ax.plot(chunks, memory, "o-", color=COLORS["blue"], label="measured")
    mem_ax.plot(
        grid, chunk_model(grid), "--", color=COLORS["black"], linewidth=1.0, label="one chunk"
    )
    mem_ax.set_xscale("log", base=2)
    mem_ax.set_yscale("log", base=2)
    mem_ax.set_ylabel("extra memory / logits")
    mem_ax.legend(loc="upper left")

    time_ax.plot(chunks, time, "o-", color=COLORS["vermillion"])
    time_ax.axhline(1.0, color=COLORS["black"], linewidth=0.8, linestyle=(0, (1, 2)))
    time_ax.set_ylim(0, float(time.max()) * 1.1)
    time_ax.set_xlabel("chunk size (rows of logits held at once)")
    time_ax.set_ylabel("time / one chunk of all rows")
    time_ax.set_xticks(chunks)
    time_ax.set_xticklabels([str(int(c)) for c in chunks])
    default = scale.CHUNK_ELEMENTS // V
    for ax in (mem_ax, time_ax):
        ax.axvline(default, color=COLORS["black"], linewidth=0.8, alpha=0.45)
    time_ax.annotate(
        f"default ({default})",
        (default, 0.05),
        xycoords=("data", "axes fraction"),
        xytext=(4, 0),
        textcoords="offset points",
        fontsize="small",
    )
    return fig
