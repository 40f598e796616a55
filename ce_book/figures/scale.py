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


# --- the fused loss, drawn ---------------------------------------------------------------------

#: The schematic's grid: rows of logits in chunks, the vocabulary in tiles.
SKETCH_ROWS, SKETCH_CHUNK, SKETCH_COLS, SKETCH_TILE = 8, 2, 12, 3
#: Which chunk, and which tile of it, the schematic shows alive.
SKETCH_NOW = (1, 2)


def sketch_state(chunk: int, tile: int) -> str:
    """The state of one tile of the schematic's grid at the moment it draws: ``"done"`` (folded
    into the running pair), ``"alive"`` (its logits exist now) or ``"later"`` (not yet formed).

    >>> [sketch_state(1, t) for t in range(4)]
    ['done', 'done', 'alive', 'later']
    >>> sketch_state(0, 3), sketch_state(2, 0)
    ('done', 'later')
    """
    now = SKETCH_NOW
    if (chunk, tile) == now:
        return "alive"
    return "done" if (chunk, tile) < now else "later"


@figure(
    "scale-fused-tiles",
    alt="A grid of logits, 8 rows (tokens) by 12 columns (vocabulary), cut into 4 chunks of 2 "
    "rows and, across, into 4 tiles of 3 columns. The first chunk is shaded grey as finished. "
    "In the second chunk the first two tiles are hatched as already folded into a running "
    "pair, the third tile is filled orange as the only logits that exist at this moment, and "
    "the fourth is blank, not yet computed. The third and fourth chunks are blank. To the "
    "right of the second chunk, one small box per row holds that row's running maximum m and "
    "sum r, which are all that survives of the tiles already seen.",
    caption="What the fused loss holds at one moment. The $N \\times V$ logits are never "
    "formed: the rows are taken in chunks (here 2 rows), and within a chunk the vocabulary in "
    "tiles (here 3 classes). Only the orange tile exists, computed from its rows of the hidden "
    "states and its rows of $W$. The tiles to its left have been folded into each row's "
    "running pair $(m, r)$ (and the target logit, kept when its tile passes) and thrown away; "
    "the tiles to its right are not yet computed. When the last tile of a chunk is folded in, "
    "each row's loss is its lead plus $\\operatorname{log1p}(r)$, and the next chunk starts "
    "(for the gradient, a second pass computes each tile of the chunk again).",
)
def scale_fused_tiles() -> Figure:
    from matplotlib.patches import Rectangle

    fig = new_figure((6.4, 4.2))
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_aspect("equal")
    n_chunks, n_tiles = SKETCH_ROWS // SKETCH_CHUNK, SKETCH_COLS // SKETCH_TILE
    style = {
        "done": {"facecolor": "#E0E0E0", "hatch": None},
        "alive": {"facecolor": COLORS["orange"], "hatch": None},
        "later": {"facecolor": "white", "hatch": None},
        "folded": {"facecolor": "white", "hatch": "///"},
    }
    for c in range(n_chunks):
        for t in range(n_tiles):
            state = sketch_state(c, t)
            if state == "done" and c == SKETCH_NOW[0]:
                state = "folded"
            y0 = SKETCH_ROWS - (c + 1) * SKETCH_CHUNK
            ax.add_patch(
                Rectangle(
                    (t * SKETCH_TILE, y0),
                    SKETCH_TILE,
                    SKETCH_CHUNK,
                    edgecolor=COLORS["black"],
                    linewidth=1.4,
                    **style[state],
                )
            )
    for x in range(SKETCH_COLS + 1):  # thin lines between the logits of a row
        ax.plot([x, x], [0, SKETCH_ROWS], color="#9E9E9E", linewidth=0.4)
    for y in range(SKETCH_ROWS + 1):
        ax.plot([0, SKETCH_COLS], [y, y], color="#9E9E9E", linewidth=0.4)
    # the running pair of each row of the chunk that is being computed
    c = SKETCH_NOW[0]
    for row in range(SKETCH_CHUNK):
        y = SKETCH_ROWS - c * SKETCH_CHUNK - row - 1
        ax.add_patch(
            Rectangle(
                (SKETCH_COLS + 0.8, y + 0.1),
                2.2,
                0.8,
                facecolor=COLORS["sky"],
                edgecolor=COLORS["black"],
                linewidth=1.0,
            )
        )
        ax.text(SKETCH_COLS + 1.9, y + 0.5, "$m,\\ r$", ha="center", va="center")
    ax.annotate(
        "running pair\nper row",
        (SKETCH_COLS + 1.9, SKETCH_ROWS - c * SKETCH_CHUNK),
        xytext=(SKETCH_COLS + 1.9, SKETCH_ROWS + 1.2),
        ha="center",
        va="bottom",
        fontsize="small",
        arrowprops={"arrowstyle": "->", "linewidth": 0.8},
    )
    ax.text(SKETCH_COLS / 2, SKETCH_ROWS + 0.35, "vocabulary (V classes), in tiles", ha="center")
    ax.text(
        -0.4, SKETCH_ROWS / 2, "tokens (N rows), in chunks", rotation=90, ha="right", va="center"
    )
    labels = (
        ("finished chunk", "done"),
        ("folded into (m, r)", "folded"),
        ("alive now", "alive"),
        ("not yet computed", "later"),
    )
    for k, (text, state) in enumerate(labels):
        x, y = (k % 2) * 7.0, -1.3 - (k // 2) * 1.1
        ax.add_patch(
            Rectangle((x, y), 0.7, 0.7, edgecolor=COLORS["black"], linewidth=1.0, **style[state])
        )
        ax.text(x + 1.0, y + 0.35, text, va="center", fontsize="small")
    ax.set_xlim(-1.5, SKETCH_COLS + 3.5)
    ax.set_ylim(-2.6, SKETCH_ROWS + 2.4)
    return fig


# --- the scaling law ---------------------------------------------------------------------------

#: Budgets of the fixed-compute curves, in floating-point operations.
ISO_BUDGETS = (1e21, 1e23, 1e25)


def frontier_loss(flops: np.ndarray) -> np.ndarray:
    """The printed fit's loss at its compute-optimal split, for each budget.

    >>> round(float(frontier_loss(np.array([6 * 70e9 * 1.4e12]))[0]), 2)
    1.93
    """
    out = []
    for c in np.asarray(flops, dtype=float):
        n_p, n_t = scale.compute_optimal_split(float(c))
        out.append(scale.scaling_law_loss(n_p, n_t))
    return np.array(out)


@figure(
    "scale-scaling-law",
    alt="Two panels. Left: the loss in nats per token predicted by Hoffmann et al.'s printed "
    "fit, against the training compute from 10 to the 18 to 10 to the 26 operations on a "
    "logarithmic axis, for the best split of each budget. The curve falls from about 3.5 to "
    "about 1.8 and bends towards a dashed horizontal line at 1.69, the fitted constant E, "
    "which it never reaches. Chinchilla's budget is marked with a dot. Right: for three fixed "
    "budgets, 10 to the 21, 23 and 25 operations, the loss against the number of parameters "
    "on a logarithmic axis; each curve is a valley whose lowest point, marked, moves to "
    "larger models as the budget grows, and the dashed floor at 1.69 is again below them all.",
    caption="The printed Chinchilla fit, $E + A / N_p^{a} + B / N_t^{b}$, with compute "
    "$N_f \\approx 6 N_p N_t$. **Left:** the best loss each budget can buy falls as a power "
    "of the compute towards the dashed floor $E$, the fit's estimate of the entropy of the "
    "text; each tenfold budget removes less than the last. The dot is Chinchilla's budget. "
    "**Right:** at a fixed budget, a larger model sees fewer tokens. Too small a model is "
    "held back by its own size, too large a model by its data; the bottom of each valley "
    "(the dot) is the compute-optimal split, and it moves to larger models, and to more "
    "tokens, as the budget grows.",
)
def scale_scaling_law() -> Figure:
    fig = new_figure((8.0, 3.6))
    left, right = fig.subplots(1, 2, sharey=True)
    floor = scale.CHINCHILLA_FIT["E"]
    flops = np.geomspace(1e18, 1e26, 81)
    left.plot(flops, frontier_loss(flops), color=COLORS["blue"])
    chinchilla = 6 * 70e9 * 1.4e12
    left.plot([chinchilla], frontier_loss(np.array([chinchilla])), "o", color=COLORS["black"])
    left.annotate(
        "Chinchilla's\nbudget",
        (chinchilla, float(frontier_loss(np.array([chinchilla]))[0])),
        xytext=(-40, 40),
        textcoords="offset points",
        fontsize="small",
        arrowprops={"arrowstyle": "->", "linewidth": 0.8},
    )
    left.set_xscale("log")
    left.set_xlabel("training compute (operations)")
    left.set_ylabel("loss (nats per token)")
    for ax in (left, right):
        ax.axhline(floor, color=COLORS["black"], linestyle="--", linewidth=1.0)
    left.text(1.5e18, floor + 0.04, "floor E", fontsize="small")

    params = np.geomspace(1e8, 1e13, 200)
    for budget, colour in zip(ISO_BUDGETS, ("vermillion", "green", "purple"), strict=True):
        tokens = budget / (6 * params)
        loss = np.array([scale.scaling_law_loss(p, t) for p, t in zip(params, tokens, strict=True)])
        keep = loss < 4.0
        label = f"$10^{{{np.log10(budget):.0f}}}$"
        right.plot(params[keep], loss[keep], color=COLORS[colour], label=label)
        n_p, n_t = scale.compute_optimal_split(budget)
        right.plot([n_p], [scale.scaling_law_loss(n_p, n_t)], "o", color=COLORS[colour])
    right.set_xscale("log")
    right.set_xlabel("parameters $N_p$ at a fixed budget")
    right.legend(title="operations", loc="upper right")
    left.set_ylim(1.5, 3.7)
    return fig


# --- the vocabulary split across ranks ---------------------------------------------------------

#: One token's logits over a vocabulary of 12, split between 4 ranks; its target is class 4.
SPLIT_LOGITS, SPLIT_RANKS, SPLIT_TARGET = (1, 4, 0, 2, 6, 3, 6, 1, 2, 0, 5, 1), 4, 4


def split_messages() -> list[tuple[int, int, int, int]]:
    """What each rank of the schematic sends: its slice's maximum, then (with the global
    maximum ``m`` known) the number of its logits equal to ``m`` and its target logit or 0.

    >>> split_messages()
    [(4, 0, 0, 0), (6, 1, 6, 1), (6, 1, 0, 2), (5, 0, 0, 3)]
    """
    width = len(SPLIT_LOGITS) // SPLIT_RANKS
    m = max(SPLIT_LOGITS)
    out = []
    for rank in range(SPLIT_RANKS):
        piece = SPLIT_LOGITS[rank * width : (rank + 1) * width]
        holds = rank * width <= SPLIT_TARGET < (rank + 1) * width
        target = SPLIT_LOGITS[SPLIT_TARGET] if holds else 0
        out.append((max(piece), piece.count(m), target, rank))
    return out


@figure(
    "scale-vocab-split",
    alt="One token's twelve logits, 1 4 0 2 6 3 6 1 2 0 5 1, split between four ranks of three "
    "logits each. The target, the 6 held by rank 1, is outlined in red; the two logits equal "
    "to 6, on ranks 1 and 2, are shaded orange. Below each rank its largest logit, 4, 6, 6 "
    "and 5, goes into a first all-reduce that takes the maximum, 6, and sends it back to "
    "every rank. Each rank then sends three numbers to a second all-reduce that adds them: "
    "the sum of e to the z minus 6 over its logits below 6, the number of its logits equal "
    "to 6 (0, 1, 1 and 0), and its target logit (6 from rank 1, 0 from the others). The "
    "totals give r as the first sum plus the count minus one, so the second 6 counts as a "
    "term of size 1, and every rank forms the loss as the lead plus log1p of r.",
    caption="The vocabulary-parallel loss for one token, split between four ranks. The first "
    "all-reduce agrees on the maximum $m$. The second adds three numbers per rank: the sum "
    "of $e^{z_j - m}$ over the logits *below* $m$, the count of logits *equal* to $m$, and "
    "the target logit (0 from the ranks that do not hold it). Here two ranks hold a 6, so "
    "the count is 2 and $r$ gets one term of size 1 for the tie, while the top's own 1 never "
    "enters a sum. Every rank then has $m$, $r$ and the target logit, and forms the loss and "
    "the gradient of its own slice with no further communication.",
)
def scale_vocab_split() -> Figure:
    from matplotlib.patches import FancyBboxPatch, Rectangle

    fig = new_figure((7.2, 4.8))
    ax = fig.add_subplot()
    ax.set_axis_off()
    width = len(SPLIT_LOGITS) // SPLIT_RANKS
    m = max(SPLIT_LOGITS)
    gap = 1.0
    messages = split_messages()
    for rank, (local_max, ties, target, _) in enumerate(messages):
        x0 = rank * (width + gap)
        ax.text(x0 + width / 2, 9.8, f"rank {rank}", ha="center", va="bottom")
        for k in range(width):
            j = rank * width + k
            z = SPLIT_LOGITS[j]
            ax.add_patch(
                Rectangle(
                    (x0 + k, 8.6),
                    1,
                    1,
                    facecolor=COLORS["orange"] if z == m else "white",
                    edgecolor=COLORS["vermillion"] if j == SPLIT_TARGET else COLORS["black"],
                    linewidth=3.0 if j == SPLIT_TARGET else 1.0,
                    zorder=3 if j == SPLIT_TARGET else 2,
                )
            )
            ax.text(x0 + k + 0.5, 9.1, str(z), ha="center", va="center", zorder=4)
        ax.text(x0 + width / 2, 7.9, f"max {local_max}", ha="center", va="center")
        ax.annotate(
            "",
            (x0 + width / 2, 6.75),
            (x0 + width / 2, 7.55),
            arrowprops={"arrowstyle": "->", "linewidth": 0.8},
        )
        lines = (
            "below $m$: sum of",
            f"$e^{{z_j - {m}}}$",
            f"equal to $m$: {ties}",
            f"target: {target}",
        )
        for k, line in enumerate(lines):
            ax.text(
                x0 + width / 2, 5.3 - 0.55 * k, line, ha="center", va="center", fontsize="small"
            )
        ax.annotate(
            "",
            (x0 + width / 2, 2.55),
            (x0 + width / 2, 3.3),
            arrowprops={"arrowstyle": "->", "linewidth": 0.8},
        )
    span = SPLIT_RANKS * (width + gap) - gap
    for y, text in (
        (6.1, f"all-reduce, maximum:  $m = {m}$, sent back to every rank"),
        (2.0, "all-reduce, sum:  $r$ = sum below $m$ + (count $-$ 1);  target logit"),
    ):
        ax.add_patch(
            FancyBboxPatch(
                (0, y - 0.45),
                span,
                0.9,
                boxstyle="round,pad=0.05",
                facecolor="#E8F4FB",
                edgecolor=COLORS["blue"],
                linewidth=1.0,
            )
        )
        ax.text(span / 2, y, text, ha="center", va="center")
    ax.text(
        span / 2,
        0.7,
        "every rank: loss = $(m - z_y) + \\operatorname{log1p}(r)$",
        ha="center",
        va="center",
    )
    ax.set_xlim(-0.3, span + 0.3)
    ax.set_ylim(0.2, 10.5)
    return fig
