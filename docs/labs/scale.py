# %% [markdown]
# # Lab: cross-entropy at scale
#
# Companion to the chapter [Cross-entropy at scale](../scale.md). Everything here runs on
# `ce_book.scale` (NumPy and SciPy), with PyTorch (2.13 when the book's numbers were made) as
# the yardstick where it is installed. Change the sizes, the chunks, the tiles and the
# precision, and watch what moves. Beyond what the chapter shows, the lab
#
# 1. scores two tokenizers of the same text per token and per byte;
# 2. walks along the best split of a fitted scaling law, budget by budget;
# 3. measures the memory of the fused loss and compares it with PyTorch's unfused one;
# 4. prints the messages of the vocabulary split between ranks;
# 5. finds the lead at which bfloat16 and float16 turn the loss into exactly 0;
# 6. slides float16's window over a spread of gradients with a loss scale;
# 7. shifts and caps logits under the z-loss and the soft cap;
# 8. averages a masked batch three ways;
# 9. ends with exercises that check your answers, with the book's solutions in section 10.
#
# Each section names its own variables: run a section's cells again, in order, after any other
# section, and they give the same results.

# %%
import os

# One thread for the matrix products, as in the chapter's benchmark: on a shared machine a
# pool of BLAS threads that wait for each other makes the timings below erratic. This must be
# set before NumPy is imported.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

# %%
import math
import time
import tracemalloc
from collections import Counter
from fractions import Fraction

import mpmath
import numpy as np
from scipy.optimize import minimize_scalar

from ce_book import exercises, losses, scale
from ce_book.activations import softmax
from ce_book.figures.style import COLORS, WIDE, new_figure, show

try:
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(1)
except ImportError:  # the PyTorch cells say so and skip
    torch = None

LN2 = math.log(2)

# %% [markdown]
# ## 1. Perplexity picks the wrong model; bits per byte does not
# Two unigram models of the same short essay, written for the book (`scale.ESSAY`): one whose
# tokens are single characters, and one whose tokens are words (what the pattern `\w+|\W`
# matches: runs of letters, digits and underscores, with every other character, each space and
# punctuation mark, a token of its own). Each is fitted to the first half of the
# essay and scored on the second half, which it has never seen. Two details make the scores
# honest. Add-one smoothing adds 1 to every count, so that no token is impossible, and keeps
# one slot for the *unknown* token, anything not seen in the first half. And an unknown token
# is spelled out, a word letter by letter by the character model, a character byte by byte at
# 8 bits each, so that both models pay for every byte of the text (up to a few bits per
# unknown word to mark where its spelling ends, which the last line below adds).
#
# The cell prints four lines: the character model; the word model, with unknown words spelled;
# a word model that cheats, paying only for the fact that a word is unknown; and the word
# model with an end mark for each spelled word, the one that is an honest code length.

# %%
essay = scale.ESSAY
cut = essay.index("\n\n", len(essay) // 2)  # the first paragraph break past the middle
essay_train, essay_test = essay[:cut], essay[cut:]
test_bytes = len(essay_test.encode())
print(f"fitted to {len(essay_train.encode())} bytes, scored on the other {test_bytes}")
for how, spell, label in (
    ("chars", True, "characters"),
    ("words", True, "words"),
    ("words", False, "words, unknown words free"),
):
    n_tokens = len(scale.tokenize(essay_test, how))
    nats = scale.held_out_nats(essay_train, essay_test, how, spell=spell) / n_tokens
    print(
        f"{label:25s} {n_tokens:5d} tokens, perplexity {float(scale.perplexity(nats)):6.1f}, "
        f"bits/token {float(scale.bits_per_token(nats)):5.2f}, "
        f"bits/byte {float(scale.bits_per_byte(nats, n_tokens, test_bytes)):.2f}"
    )

# A spelled word also needs an end: charge each unknown word one more character from the
# character model, the one after it in the text (a space or a punctuation mark), so that a
# decoder knows where the spelling stops.
words = scale.tokenize(essay_test, "words")
seen = set(scale.tokenize(essay_train, "words"))
chars = Counter(essay_train)
char_total = len(essay_train) + len(chars) + 1
end_marks = sum(
    math.log(char_total / (chars[nxt] + 1)) if nxt in chars else math.log(char_total) + 8 * LN2
    for w, nxt in zip(words, [*words[1:], " "], strict=True)
    if w not in seen
)
word_nats = scale.held_out_nats(essay_train, essay_test, "words")
print(
    f"words, with an end mark for each of the {sum(w not in seen for w in words)} unknown words: "
    f"bits/byte {(word_nats + end_marks) / (test_bytes * LN2):.2f}"
)

# %% [markdown]
# Read the first two lines against each other. Per token, the character model looks far
# better: its perplexity is a few dozen choices at most, the word model's hundreds. Per byte,
# the order flips, and the word model needs fewer bits to encode the same text. Both numbers
# are measured on the same bytes; what differs is the step. A character is an easy guess, a
# word a hard one, and perplexity averages over the steps, so it rewards the model that takes
# many small ones. Bits per byte divides the whole code length by the size of the text, which
# no tokenizer changes, and it says which model knows the text better: the word model.
#
# The third line is the word model that reports only the probability of its unknown slot and
# never spells the word out. It looks much better still, but it is not a code for the text: a
# decoder told "unknown" cannot get the word back. Compare models per byte only when each of
# them pays for every byte.
#
# Even the spelled word model of the second line is not quite a code: a decoder reading a
# spelled word letter by letter cannot tell where it stops. The fourth line charges an end mark
# for each unknown word, at the price the character model gives the character that follows
# the word. That costs a few bits per unknown word, and the word model still needs fewer bits
# per byte than the character model: the conclusion stands.
#
# Try `essay_test = essay_train` (scoring the models on the text they were fitted to, where
# the word model memorises its few words), a split nearer the start, or a text of your own.
# The essay is plain ASCII, one byte per character, so the character model's bits per token
# equal its bits per byte. Add a paragraph with accented letters or another script to `essay`
# and see which of the three numbers of each line change, and which way.

# %% [markdown]
# ## 2. A scaling law, budget by budget
# The chapter reads the form of Hoffmann et al.'s fit, $E + A / N_p^{a} + B / N_t^{b}$, for a
# model of $N_p$ parameters trained on $N_t$ tokens, with the printed constants in
# `scale.CHINCHILLA_FIT` ($E = 1.69$, $A = 406.4$, $B = 410.7$, $a = 0.34$, $b = 0.28$), and
# `scale.scaling_law_loss` evaluates it. Here you use it as a tool. A training run costs about
# $N_f = 6 N_p N_t$ floating-point operations: for each parameter and each token, a
# multiplication and an addition in the forward pass and twice as many in the backward pass.
# First Chinchilla itself, 70 billion parameters on 1.4 trillion tokens, its predicted loss
# taken apart into the fit's three terms:

# %%
law_fit = dict(scale.CHINCHILLA_FIT)  # a copy: change it freely
E_fit, a_fit, b_fit = law_fit["E"], law_fit["a"], law_fit["b"]


def law_terms(n_params, n_tokens):
    """The model term A / N_p^a and the data term B / N_t^b of the fit in `law_fit`."""
    return law_fit["A"] / n_params**a_fit, law_fit["B"] / n_tokens**b_fit


chin_params, chin_tokens = 70e9, 1.4e12
chin_budget = 6 * chin_params * chin_tokens
chin_model, chin_data = law_terms(chin_params, chin_tokens)
chin_loss = scale.scaling_law_loss(chin_params, chin_tokens, law_fit)
print(f"budget N_f = 6 N_p N_t = {chin_budget:.3g} operations")
print(
    f"loss {chin_loss:.4f} nats per token = floor {E_fit} + model term {chin_model:.4f} "
    f"+ data term {chin_data:.4f}"
)
print(
    f"a times the model term {a_fit * chin_model:.4f}, "
    f"b times the data term {b_fit * chin_data:.4f}"
)

# %% [markdown]
# The chapter shows that at the best split of a budget, $a$ times the model term equals $b$
# times the data term. For Chinchilla the second product is larger: by this fit, the run would
# have done better with fewer parameters and more tokens. How much better? Fix the budget, so
# that the tokens are $N_f / (6 N_p)$, and minimise the loss over the one number left, the size
# of the model. SciPy's `minimize_scalar` searches over $\ln N_p$, where the loss is a smooth
# bowl. The chapter's exercise 8 solves the same problem in closed form: the best size is
# $N_p = G\,(N_f/6)^{b/(a+b)}$ with $G = (aA / (bB))^{1/(a+b)}$, and
# `scale.compute_optimal_exponents` returns the exponent.


# %%
def best_split(budget):
    """The compute-optimal (parameters, tokens, loss) of the fit in `law_fit` at a budget N_f."""

    def loss_at(log_params):
        n_params = math.exp(log_params)
        return scale.scaling_law_loss(n_params, budget / (6 * n_params), law_fit)

    bounds = (math.log(1e3), math.log(budget / 6e3))  # at least a thousand of each
    best = minimize_scalar(loss_at, bounds=bounds, method="bounded", options={"xatol": 1e-9})
    n_params = math.exp(best.x)
    return n_params, budget / (6 * n_params), best.fun


opt_params, opt_tokens, opt_loss = best_split(chin_budget)
params_exponent, _ = scale.compute_optimal_exponents(law_fit)
G_fit = (a_fit * law_fit["A"] / (b_fit * law_fit["B"])) ** (1 / (a_fit + b_fit))
closed_params = G_fit * (chin_budget / 6) ** params_exponent
print(f"best size, minimize_scalar: {opt_params:.5e} parameters")
print(f"best size, closed form:     {closed_params:.5e} parameters")
print(f"relative difference {abs(opt_params / closed_params - 1):.1e}")
print(
    f"best split: {opt_tokens:.3g} tokens, {opt_tokens / opt_params:.0f} tokens per parameter "
    f"(Chinchilla: {chin_tokens / chin_params:.0f})"
)
opt_model, opt_data = law_terms(opt_params, opt_tokens)
print(
    f"a times the model term {a_fit * opt_model:.5f}, b times the data term {b_fit * opt_data:.5f}"
)
print(f"loss {opt_loss:.4f}, lower than Chinchilla's by {chin_loss - opt_loss:.4f} nats per token")

# %% [markdown]
# The search and the closed form agree to the tolerance of the search, and at the best size the
# two products are equal. The printed fit would have spent Chinchilla's budget on a model of
# less than half the size, trained on more than twice the tokens, and gained less than a
# hundredth of a nat per token: the bowl is flat at the bottom, so a model a factor of two away
# from the best size loses little. Keep the chapter's caution in mind: this is what the
# *printed* constants say. The paper's two other ways of fitting put the best split near
# Chinchilla's own, and the replication's refit of this one agrees with them.
#
# Now every budget at once: the best loss along the compute-optimal frontier, from $10^{18}$
# operations (under an hour of one large GPU) to $10^{28}$. The left panel draws it with the floor
# $E$; the right one draws Chinchilla's budget alone, the loss of every split of it.

# %%
budgets = np.logspace(18, 28, 41)
frontier = np.array([best_split(f)[2] for f in budgets])
sizes = np.logspace(9, 12, 61)
iso_loss = [scale.scaling_law_loss(n, chin_budget / (6 * n), law_fit) for n in sizes]

fig = new_figure(WIDE)
left, right = fig.subplots(1, 2)
left.plot(budgets, frontier, color=COLORS["blue"], label="best split")
left.axhline(E_fit, color=COLORS["black"], linestyle="--", linewidth=1, label="floor $E$")
left.plot([chin_budget], [chin_loss], "o", color=COLORS["vermillion"], label="Chinchilla")
left.set_xscale("log")
left.set_ylim(1.5, 4)
left.set_xlabel("compute budget $N_f$ (operations)")
left.set_ylabel("loss (nats per token)")
left.legend(loc="upper right")
right.plot(sizes, iso_loss, color=COLORS["blue"])
right.plot([opt_params], [opt_loss], "o", color=COLORS["green"], label="best split")
right.plot([chin_params], [chin_loss], "o", color=COLORS["vermillion"], label="Chinchilla")
right.set_xscale("log")
right.set_xlabel("parameters $N_p$ at Chinchilla's budget")
right.set_ylabel("loss (nats per token)")
right.legend(loc="upper center")
show(
    fig,
    alt="Two panels. Left: the loss at the best split of the printed Chinchilla fit against "
    "the compute budget, from 1e18 to 1e28 operations on a logarithmic axis. It falls from "
    "about 3.5 nats per token towards the dashed floor E of 1.69, ever more slowly, and "
    "Chinchilla's run sits on the curve. Right: at Chinchilla's budget, the loss against the "
    "number of parameters, from 1e9 to 1e12 on a logarithmic axis: a shallow bowl with its "
    "bottom near 3e10 parameters (green) and Chinchilla's 7e10 (red) just above it.",
)

# %% [markdown]
# On the left the loss falls ever more slowly and never reaches the floor: each tenfold budget
# buys less than the last. The gap to the floor is itself a power law. At the best split both
# terms are fixed multiples of $N_p^{-a}$, and $N_p$ grows as $N_f^{b/(a+b)}$, so the gap falls
# as $N_f^{-ab/(a+b)}$. Read the exponent off the curve:

# %%
gap_slope = np.polyfit(np.log(budgets), np.log(frontier - E_fit), 1)[0]
print(f"slope of log(loss - E) against log N_f: {gap_slope:.5f}")
print(f"-ab/(a + b):                            {-a_fit * b_fit / (a_fit + b_fit):.5f}")
print(f"a tenfold budget divides the gap to the floor by {10 ** (-gap_slope):.3f}")

# %% [markdown]
# A tenfold budget divides what is left above the floor by the same factor, however large the
# budget already is: it buys a fixed fraction of the gap, never a fixed amount of loss. Try
# another fit: set `law_fit` to a dictionary of your own, with equal exponents for instance,
# and run the section again. Exercise 2 asks how the gap above the floor is shared between
# the two terms at the best split.

# %% [markdown]
# ## 3. The fused loss equals the plain one, at a fraction of the memory
# A problem small enough to run in seconds, but large enough that the default chunk
# (`scale.CHUNK_ELEMENTS` logits, here 512 rows) splits the batch into four, so its extra
# memory is about a quarter of the logits. The last row also tiles the vocabulary, in tiles of
# 1024 classes.
#
# Memory is measured with `tracemalloc`, which traces every NumPy allocation (the BLAS
# library's own scratch space is not traced), so it is the same on every machine. The cell
# also prints a time, the median of five runs without tracing, and the number of passes the
# row makes over matrices of the size of $W$, which does not depend on the machine: per chunk,
# two products with $W$ and one update of `grad_weight`, and one product more when the
# vocabulary is tiled. Before the loop, the cell computes the loss and both gradients the plain
# way, over the whole matrix of logits in float64, and each row prints its errors against them.
#
# Then change the pairs of chunk and tile in the loop and run the cell again.

# %%
rng_fused = np.random.default_rng(0)
n, d, v = 2048, 64, 8192
h_fused = rng_fused.standard_normal((n, d), dtype=np.float32)
W_fused = rng_fused.standard_normal((v, d), dtype=np.float32) * np.float32(d**-0.5)
y_fused = rng_fused.integers(0, v, size=n)

# the reference: the whole matrix of logits, in float64, and the gradients written out
h64, W64 = h_fused.astype(np.float64), W_fused.astype(np.float64)
logits64 = h64 @ W64.T
ref_loss = float(losses.cross_entropy(logits64, y_fused))
dz = softmax(logits64)
dz[np.arange(n), y_fused] -= 1
dz /= n  # the gradient of the mean loss with respect to the logits
ref_gh, ref_gw = dz @ W64, dz.T @ h64
del logits64, dz


def rel_error(ours, ref):
    return float(np.abs(ours - ref).max() / np.abs(ref).max())


print(f"default chunk: {scale.CHUNK_ELEMENTS // v} rows of {n}; float64 loss {ref_loss:.9f}")
for chunk, tile in ((None, None), (64, None), (16, None), (512, 1024)):
    kwargs = {"chunk_size": chunk, "vocab_chunk_size": tile}
    tracemalloc.start()
    loss, gh, gw = scale.linear_cross_entropy_and_grad(h_fused, W_fused, y_fused, **kwargs)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    extra = (peak - gh.nbytes - gw.nbytes) / (n * v * 4)
    seconds = []
    for _ in range(5):
        start = time.perf_counter()
        scale.linear_cross_entropy_and_grad(h_fused, W_fused, y_fused, **kwargs)
        seconds.append(time.perf_counter() - start)
    rows = chunk or scale.CHUNK_ELEMENTS // v
    passes = (n // rows) * (4 if tile else 3)
    print(
        f"chunk {chunk!s:>4}, tile {tile!s:>4}: loss {float(loss):.7f}, "
        f"errors {abs(float(loss) / ref_loss - 1):.0e} {rel_error(gh, ref_gh):.0e} "
        f"{rel_error(gw, ref_gw):.0e}, extra memory {extra:.3f} of the logits, "
        f"{passes:3d} passes, {np.median(seconds) * 1e3:.0f} ms"
    )

# %% [markdown]
# The three errors are those of the loss, of the gradient of the hidden states and of the
# gradient of the output layer, each measured against the float64 computation over the whole
# matrix of logits (for a gradient, the largest difference as a share of its largest entry).
# The loss is off by about float32's rounding of one number, $2^{-24}$ or about
# $6 \times 10^{-8}$. Each entry of a gradient is a sum of thousands of float32 products, so
# its rounding errors add up and are larger, but they are rounding errors all the same. No
# error grows as the chunks shrink or the vocabulary is tiled: chunking and tiling change only
# the order in which the same float32 numbers are added. So every row computes the plain loss
# and gradients to float32 rounding, and the memory column is the lesson of this cell: it
# follows the chunk. The default holds a quarter of the logits, 64 rows 1/32, 16 rows 1/128.
# The tiled row holds 512 rows of only 1024 classes, 1/32 of the logits and an eighth of the
# default's memory, but it computes every logit twice, once to find each row's maximum and sum
# and once for the gradient: four passes per chunk instead of three.
#
# The passes column is the fixed cost the chapter reasons about: 16 rows make 32 times as
# many passes as the default. The times do not follow it. Here 16 rows are usually slower than
# the default, but by far less than 32 times, and the order of the other rows, the tiled one
# included, can change from one run to the next. This problem is small ($d = 64$ and
# $V = 8192$, against 256 and 32768 in the chapter's figure): $W$ takes 2 MiB and stays in
# cache, so a pass over it is cheap, while the
# default chunk of logits, 16 MiB, is larger than most caches. The times are then set mostly by
# how the chunk's own arrays meet the cache, and on a shared machine the same cell can move by
# a factor of two between runs. So the lesson of this cell is the memory column, which
# `tracemalloc` measures the same way everywhere. Before you choose a chunk for speed, time
# your own problem at its real size, with several repeats.

# %% [markdown]
# The same loss and both gradients from PyTorch's unfused layer and loss, `F.linear` then
# `F.cross_entropy`, which holds the whole matrix of logits (and, in the backward pass, its
# gradient). The fused loss never does, and the answers agree to float32 rounding.

# %%
if torch is None:
    print("PyTorch is not installed here: this comparison is skipped.")
else:
    th = torch.tensor(h_fused, requires_grad=True)
    tW = torch.tensor(W_fused, requires_grad=True)
    torch_loss = F.cross_entropy(F.linear(th, tW), torch.tensor(y_fused))
    torch_loss.backward()
    loss, gh, gw = scale.linear_cross_entropy_and_grad(h_fused, W_fused, y_fused, chunk_size=64)
    print(f"loss: ce_book {float(loss):.7f}, PyTorch {torch_loss.item():.7f}")
    for name, ours, theirs in (("hidden states", gh, th.grad), ("output layer", gw, tW.grad)):
        err = np.abs(ours - theirs.numpy()).max() / np.abs(theirs.numpy()).max()
        print(f"gradient of the {name}: largest difference {err:.1e} of the largest entry")

# %% [markdown]
# ## 4. The vocabulary split between ranks
# `ce_book.parallel` computes the loss with the vocabulary split between ranks, on
# `torch.distributed`. `parallel.simulate` runs every rank's part in this one process, does the
# two all-reduces by hand and keeps what each rank sent. The first case is exercise 2 of the
# chapter: the logits $(5, 0, 5, 0)$, target class 0, on two ranks that hold $(5, 0)$ and
# $(5, 0)$. In the first all-reduce each rank sends its maximum; in the second, for each
# token, the sum of its terms below the maximum, the number of its logits equal to it, and the
# target logit if it holds it (0 if not). The second case is a confident correct prediction,
# $(40, 0, 0, 0)$.

# %%
if torch is None:
    print("PyTorch is not installed here: this cell is skipped.")
else:
    from ce_book import parallel

    for row in ([5.0, 0.0, 5.0, 0.0], [40.0, 0.0, 0.0, 0.0]):
        z_row = torch.tensor([row], dtype=torch.float64)
        y_row = torch.tensor([0])
        split_losses, split_grad, messages = parallel.simulate(z_row, y_row, world_size=2)
        print(f"logits {row}, target 0")
        for op, parts in messages:
            sent = ", ".join(f"rank {r} sends {part[0].tolist()}" for r, part in enumerate(parts))
            print(f"  all-reduce ({op}): {sent}")
        print(
            f"  loss {float(split_losses[0]):.6e} on both ranks, "
            f"PyTorch in one piece {F.cross_entropy(z_row, y_row).item():.6e}"
        )
        print(f"  gradient {[float(f'{g:.6g}') for g in split_grad[0].tolist()]}")

# %% [markdown]
# In the first case each rank sends a count of 1, and the two counts are what tell every rank
# that a second logit ties for the top: $r$ is $2e^{-5} + 2 - 1$, the loss a little above
# $\ln 2$, and class 2 gets just under half the probability. In the second case the ranks
# never add the top term's 1 to anything, so the loss keeps its $3e^{-40}$, where PyTorch's
# loss of the whole row, the log of a sum, is exactly 0. Change the logits or the number of
# ranks; on a random problem split four ways the loss and the gradient are PyTorch's, to
# rounding:

# %%
if torch is not None:
    from ce_book import parallel

    gen = torch.Generator().manual_seed(0)
    z_rand = 3 * torch.randn(8, 1000, dtype=torch.float64, generator=gen)
    y_rand = torch.randint(0, 1000, (8,), generator=gen)
    split_losses, split_grad, _ = parallel.simulate(z_rand, y_rand, world_size=4)
    z_leaf = z_rand.clone().requires_grad_(True)
    F.cross_entropy(z_leaf, y_rand).backward()
    print(
        f"loss: split {float(split_losses[0]):.15f}, "
        f"PyTorch {F.cross_entropy(z_rand, y_rand).item():.15f}"
    )
    print(f"largest gradient difference: {(split_grad - z_leaf.grad).abs().max().item():.1e}")

# %% [markdown]
# `simulate` runs the same code as the distributed function; only the all-reduces are done by
# hand. `parallel.run_local(logits, target, world_size)` runs it in real processes that talk
# through `torch.distributed` (starting them takes a few seconds), and the chapter shows the
# `torchrun` command that runs it across hosts.

# %% [markdown]
# ## 5. Low precision: when is the loss exactly 0?
# NumPy has float16; bfloat16 is emulated by rounding float32 to 8 significant bits. The sum of
# exponentials is stored in the low format before the log, as PyTorch does.


# %%
def to_bfloat16(x):
    bits = np.asarray(x, np.float32).view(np.uint32)
    bits = bits + np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))
    return (bits & np.uint32(0xFFFF0000)).view(np.float32)


print("the loss of the logits (g, 0, 0), and in brackets its error against the true loss")
for lead in range(4, 11):
    sum_exp = np.float32(1) + 2 * np.exp(np.float32(-lead))
    true_loss = math.log1p(2 * math.exp(-lead))
    bf16 = float(np.log(to_bfloat16(sum_exp)))
    f16 = float(np.log(np.float32(np.float16(sum_exp))))
    print(
        f"lead {lead:2d}: true {true_loss:.3e}   bfloat16 {bf16:.3e} ({bf16 / true_loss - 1:+7.1%})"
        f"   float16 {f16:.3e} ({f16 / true_loss - 1:+7.1%})"
    )

# %% [markdown]
# Read down the brackets. At a lead of 4 both formats are already off, bfloat16 by several
# times as much as float16. bfloat16 keeps 8 significant bits: its error grows with each step of the
# lead, to more than half the true loss at a lead of 6, and from 7 on it returns exactly 0, an
# error of the whole loss. float16 keeps 11 significant bits and lasts longer, but it too
# passes through a coarse stretch: at a lead of 8 its error is again close to half the true
# loss, and from 9 on it returns 0. Between "right" and "0" there is a stretch of leads where
# the loss is simply wrong, and a training run sees no warning of it.
#
# The emulation against PyTorch itself: its `F.cross_entropy` on bfloat16 logits $(g, 0, 0)$,
# on the CPU. The leads at which the two reach 0 should be the same.

# %%
if torch is None:
    print("PyTorch is not installed here: this comparison is skipped.")
else:
    for lead in range(4, 11):
        logits_bf16 = torch.tensor([[float(lead), 0.0, 0.0]], dtype=torch.bfloat16)
        theirs = F.cross_entropy(logits_bf16, torch.tensor([0])).item()
        ours = float(np.log(to_bfloat16(np.float32(1) + 2 * np.exp(np.float32(-lead)))))
        print(f"lead {lead:2d}: PyTorch bfloat16 {theirs:.3e}   emulated {ours:.3e}")

# %% [markdown]
# ## 6. Small gradients in float16, and loss scaling
# The gradient of a mean loss over 8192 tokens, on the logit of a class of probability
# $10^{-4}$, is $10^{-4} / 8192$. float16 cannot hold it; multiplied by a loss scale of $2^{16}$
# first, it survives, and dividing by the scale in float32 gives it back.

# %%
small = 1e-4 / 8192
scaled = np.float16(small * 2**16)
print(f"gradient {small:.3e}: in float16 {float(np.float16(small))}")
print(
    f"scaled by 2^16: in float16 {float(scaled):.3e}, unscaled in float32 "
    f"{float(np.float32(scaled) / np.float32(2**16)):.3e}"
)
with np.errstate(over="ignore"):
    print(f"too large a scale: a gradient of 0.5 times 2^17 is {float(np.float16(0.5 * 2**17))}")

# %% [markdown]
# The first line is the silent loss of the chapter's precision section: the gradient is not
# small, it is 0. The last line is why PyTorch's `GradScaler` watches for `inf` and halves the
# scale when it sees one.
#
# One gradient is easy to save; a network has millions, spread over many orders of magnitude.
# A loss scale $S$ does not make float16 any wider, it slides float16's window over them.
# Below, a made-up set of gradients, spread evenly in their logarithms from $10^{-12}$ to
# $10^{-1}$, is stored in float16 after scaling by several $S$. Each line sorts them four ways:
# rounded to 0; *subnormal*, below float16's smallest normal number $2^{-14}$, where fewer
# than its 11 significant bits are left; normal, with all 11 bits; and overflowed to `inf`.

# %%
rng_grads = np.random.default_rng(4)
grads = 10.0 ** rng_grads.uniform(-12, -1, size=100_000)
smallest_normal = float(np.finfo(np.float16).tiny)
columns = ("rounded to 0", "subnormal", "normal", "inf")
print("scale S " + "".join(f"{column:>14s}" for column in columns))
for k in (0, 8, 16, 24, 32):
    with np.errstate(over="ignore"):
        stored = np.abs(np.float16(grads * 2.0**k))
    shares = [
        np.mean(stored == 0),
        np.mean((stored > 0) & (stored < smallest_normal)),
        np.mean((stored >= smallest_normal) & np.isfinite(stored)),
        np.mean(np.isinf(stored)),
    ]
    print(f"2^{k:<2d}    " + "".join(f"{share:14.1%}" for share in shares))
largest = float(np.finfo(np.float16).max)
print(f"float16's normal numbers span {math.log10(largest / smallest_normal):.1f} decimal orders")

# %% [markdown]
# Without a scale, a large share of these gradients is lost outright, and many of the rest are
# subnormal. A scale of $2^{16}$ loses none to 0 or to `inf` here, though many are still
# subnormal; a larger scale makes more of them normal but overflows the largest, and
# `GradScaler`, seeing `inf`, would halve it again. No scale makes every gradient normal: these
# gradients spread over eleven decimal orders, more than the window of normal float16 numbers
# that the last line prints, so the best a scale can do is to place the window where the
# gradients that matter are. bfloat16's normal numbers span the range of
# float32, which is why it needs no scaling. Change the spread, or add a few large gradients,
# and find the scale that works best.
#
# ## 7. Keeping logits in range: the z-loss and the soft cap
# The softmax cannot see a shift of all the logits together; the z-loss can. Shift the logits
# $(2, 1, 0.1)$ up by 0, 10 and 30 and watch the cross-entropy stay put while the z-loss (with
# PaLM's $c = 10^{-4}$) grows with $\log Z$. Then soft-cap a row of logits at Gemma 2's
# $C = 30$, and see how much of the gradient reaches each raw logit.

# %%
base = np.array([2.0, 1.0, 0.1])
for shift in (0.0, 10.0, 30.0):
    z_shifted = base + shift
    ce = float(losses.cross_entropy(z_shifted[None, :], np.array([0])))
    log_z = float(scale.online_logsumexp(z_shifted, tile_size=3))
    print(
        f"shift {shift:4.0f}: cross-entropy {ce:.6f}, log Z {log_z:7.3f}, "
        f"z-loss {float(scale.z_loss(z_shifted)):.3e}, its pull on each logit "
        f"{np.round(scale.z_loss_grad(z_shifted), 5).tolist()}"
    )
raw = np.array([1.0, 5.0, 20.0, 50.0, 200.0])
print("raw logits      ", raw.tolist())
print("soft-capped     ", np.round(scale.soft_cap(raw, 30.0), 2).tolist())
print("gradient factor ", [float(f"{f:.2g}") for f in scale.soft_cap_grad(raw, 30.0)])

# %% [markdown]
# The cross-entropy is the same on every line, to rounding; the z-loss is what notices the
# shift, and its pull, $2c \log Z$ times each probability, pushes the most probable logit down
# the most. The soft cap leaves a logit of 1 or 5 almost untouched, holds 50 and 200 below 30,
# and passes on ever less of the gradient to a raw logit that has run away. Try a larger $c$,
# or train the three logits by hand: take a few steps of gradient descent on the z-loss alone
# and watch $\log Z$ fall towards 0.

# %% [markdown]
# ## 8. Token mean, sequence mean and micro-batches
# Three sequences of a batch, padded to a common length of 8, with their prompts masked: the
# targets of the prompt and of the padding are `ignore_index` (−100), so only the answers
# count. The answers are 6, 2 and 1 tokens long. `losses.cross_entropy(..., reduction="none")`
# gives each position its loss (0 where the target is ignored); from those come the token mean,
# the sequence mean, and what gradient accumulation computes when the batch is split into two
# micro-batches, the first two sequences and then the third.

# %%
rng_batch = np.random.default_rng(1)
vocab, length = 10, 8
answers = [6, 2, 1]  # real (unmasked) tokens per sequence
prompts = [1, 3, 2]  # masked prompt tokens before each answer; the rest is padding
logits_batch = rng_batch.normal(size=(len(answers), length, vocab)) * 2
target_batch = np.full((len(answers), length), -100)
for i, (p_len, a_len) in enumerate(zip(prompts, answers, strict=True)):
    target_batch[i, p_len : p_len + a_len] = rng_batch.integers(0, vocab, a_len)
per_token = losses.cross_entropy(
    logits_batch.reshape(-1, vocab), target_batch.reshape(-1), reduction="none"
).reshape(target_batch.shape)
kept = target_batch != -100
seq_losses = [per_token[i][kept[i]] for i in range(len(answers))]

token_mean = sum(seq.sum() for seq in seq_losses) / kept.sum()
sequence_mean = np.mean([seq.mean() for seq in seq_losses])
print(f"real tokens per sequence {kept.sum(axis=1).tolist()}")
print(f"token mean    {token_mean:.4f}  (every real token weighs 1/{kept.sum()})")
print(f"sequence mean {sequence_mean:.4f}  (a token of sequence i weighs 1/(3 n_i))")
one_piece = losses.cross_entropy(logits_batch.reshape(-1, vocab), target_batch.reshape(-1))
print(f"reduction='mean' over the whole batch at once: {float(one_piece):.4f}")

micro = [np.concatenate(seq_losses[:2]), seq_losses[2]]
mean_of_means, summed = scale.accumulation_means(micro)
print(f"two micro-batches, each averaged, then averaged: {mean_of_means:.4f}")
print(f"two micro-batches, summed, divided once by {kept.sum()}:  {summed:.4f}")

# %% [markdown]
# The token mean and `reduction="mean"` over the whole batch agree: both divide the sum of the
# kept losses by the number of kept tokens. The sequence mean lets the one-token answer weigh
# as much as the six-token one. Split into micro-batches of 8 and 1 real tokens, averaging each
# gives the lone token of the second micro-batch eight times the weight of any other (1/2
# against 1/16), and the result is neither mean; summing with `reduction="sum"` and dividing
# once by the total count gives the token mean back. Now make every answer 2 tokens long: the
# sequence mean joins the token mean, but the mean of micro-batch means still does not, because
# its micro-batches, two sequences and one, still hold different numbers of tokens.
#
# ## 9. Exercises
#
# Each exercise leaves `answer = None` for you. Replace `None` with your answer and run the
# cell: it says whether the answer passes and, if not, gives a hint. The book's solutions
# are in section 10; try each exercise before you read its solution.
#
# **Exercise 1.** A model has a perplexity of 20 per token, with a tokenizer whose tokens
# average 4.2 bytes. What perplexity *per byte* must a byte-level model reach to be exactly as
# good a model of the text? (Give a float; three significant digits are enough.)

# %%
answer = None  # <- your answer


def accept_byte_perplexity(ppl):
    # equal bits per byte: log2(20) / 4.2 bits for each byte, so a per-byte perplexity of
    # 2^(log2(20) / 4.2) = 20^(1 / 4.2)
    return math.isclose(ppl, 20 ** (1 / 4.2), rel_tol=2e-3)


exercises.check(answer, accept_byte_perplexity, hint="match the bits per byte, then undo the log")

# %% [markdown]
# **Exercise 2.** Take the printed fit of section 2. At the best split of a budget, the gap
# above the floor, the loss minus $E$, is the model term plus the data term. What share of the
# gap is the model term? The answer is one number, the same for every budget, and it does not
# depend on $A$ or $B$. The test finds the best split of three budgets with a grid search of
# its own and compares your share with the one it finds.

# %%
answer = None  # <- your answer: one number


def accept_model_share(share):
    # a grid of a million sizes per budget, without SciPy and without the closed form
    fit = scale.CHINCHILLA_FIT
    for budget in (1e20, 6 * 70e9 * 1.4e12, 1e27):
        n_params = np.exp(np.linspace(math.log(1e3), math.log(budget / 6e3), 1_000_001))
        model = fit["A"] / n_params ** fit["a"]
        data = fit["B"] / (budget / (6 * n_params)) ** fit["b"]
        best = np.argmin(model + data)
        if abs(float(share) - model[best] / (model[best] + data[best])) > 1e-3:
            return False
    return True


exercises.check(
    answer, accept_model_share, hint="at the best split, a times one term equals b times the other"
)

# %% [markdown]
# **Exercise 3.** Two tiles of a vocabulary have been reduced to a shift and a sum each:
# $(m_1, s_1) = (3, 1.5)$ and $(m_2, s_2) = (1000, 1.2)$, where $s_i$ is the sum of
# $e^{z - m_i}$ over tile $i$. What is the log-sum-exp of all the logits? Compute it in float64
# without overflow (the naive $\log(s_1 e^{m_1} + s_2 e^{m_2})$ overflows).

# %%
answer = None  # <- your answer


def accept_merged_lse(value):
    # 50-digit arithmetic, where e^1000 is an ordinary number
    with mpmath.workdps(50):
        exact = mpmath.log(1.5 * mpmath.exp(3) + 1.2 * mpmath.exp(1000))
        return abs(mpmath.mpf(float(value)) - exact) <= 4e-16 * exact


exercises.check(answer, accept_merged_lse, hint="rescale both sums to the larger shift, 1000")

# %% [markdown]
# **Exercise 4.** Data parallelism over three ranks that hold 5, 2 and 1 real tokens of a
# batch. Each rank computes the mean loss of its own tokens and multiplies it by a factor
# $c_\rho$ before the backward pass; `DistributedDataParallel` then *averages* the three ranks'
# gradients. Which factors make the result the gradient of the token mean over all eight
# tokens, whatever the losses are? Give a list of three numbers (fractions or floats).

# %%
answer = None  # <- your answer, e.g. [1, 1, 1]


def accept_factors(factors):
    # a property: for any losses, the average over ranks of c_rho times rank rho's mean equals
    # the mean over all eight tokens
    c = [Fraction(f).limit_denominator(1000) for f in factors]
    if len(c) != 3:
        return False
    rng = np.random.default_rng(1)
    for _ in range(5):
        shards = [[Fraction(int(x)) for x in rng.integers(0, 100, n)] for n in (5, 2, 1)]
        means = [sum(shard) / len(shard) for shard in shards]
        if (
            sum(cq * mq for cq, mq in zip(c, means, strict=True)) / 3
            != sum(sum(sh) for sh in shards) / 8
        ):
            return False
    return True


exercises.check(
    answer, accept_factors, hint="the average divides by the 3 ranks, the token mean by 8 tokens"
)

# %% [markdown]
# **Exercise 5.** A vocabulary of 50,000 tokens, and the bfloat16 logits $(g, 0, \dots, 0)$
# with the first class true. Suppose the 49,999 small terms $e^{-g}$ are added exactly and only
# the total $1 + 49999\,e^{-g}$ is stored in bfloat16 before the log. From which integer lead
# $g$ is the loss exactly 0? bfloat16 has 8 significant bits: reason from the spacing of its
# numbers just above 1. (The stability lab's exercise 2 asks the same of float32; compare the
# two answers.)

# %%
answer = None  # <- your answer


def accept_bfloat16_lead(g):
    # closed form: 1 + x rounds to 1 in bfloat16 for x up to half the spacing, 2^-8, so the
    # loss is 0 once 49999 e^{-g} <= 2^-8, from g = ln(49999 * 2^8) on
    return g == math.ceil(math.log(49999 * 2**8))


exercises.check(answer, accept_bfloat16_lead, hint="half the spacing above 1 is 2^-8")

# %% [markdown]
# **Exercise 6.** Build the heart of the fused loss: the online step. Write
# `step(m, r, tile)` for one row. `m` is the largest logit seen so far ($-\infty$ before the
# first tile), `r` the sum of $e^{z_j - m}$ over every logit seen so far *except* the maximum's
# own term (0 at the start), and `tile` a 1-D NumPy array of new logits. Return the new pair
# `(m, r)`. After the last tile, the log-sum-exp is `m + np.log1p(r)`. Follow exercise 4(b) of
# the chapter: when the tile raises the maximum, the old top's 1 and the old `r` move below
# the new top; when it does not, the whole tile joins the terms below the top, a tie as a term
# of exactly 1. The grader folds random tiles through your step and compares the result with
# 50-digit arithmetic, checks a tie, and checks that the tiny $r$ of a confident row survives.

# %%
answer = None  # <- your answer: define def step(m, r, tile): ... above, then answer = step


def fold(step, z, width):
    m, r = -math.inf, 0.0
    for start in range(0, len(z), width):
        m, r = step(m, r, np.asarray(z[start : start + width], dtype=np.float64))
    return float(m), float(r)


def accept_online_step(step):
    rng = np.random.default_rng(2)
    for _ in range(20):
        z = rng.normal(0, 30, size=int(rng.integers(1, 40)))
        m, r = fold(step, z, int(rng.integers(1, 8)))
        with mpmath.workdps(50):
            exact = mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(float(x))) for x in z))
            if m != z.max() or abs(m + math.log1p(r) - exact) > 1e-12 * max(1, abs(exact)):
                return False
    # a tie for the top, in two tiles: r is 1 + 2e^-5, so the log-sum-exp is 5 + log(2 + 2e^-5)
    m, r = fold(step, [5.0, 0.0, 5.0, 0.0], 2)
    if m != 5.0 or not math.isclose(r, 1 + 2 * math.exp(-5), rel_tol=1e-14):
        return False
    # a confident row: the maximum's 1 is never added to r, so r keeps its 3e^-40
    m, r = fold(step, [0.0, 40.0, 0.0, 0.0], 1)
    return m == 40.0 and math.isclose(r, 3 * math.exp(-40), rel_tol=1e-14)


exercises.check(
    answer,
    accept_online_step,
    hint="rescale by e^(m - m_new); on the first tile e^(-inf) is 0; keep the top's 1 out of r",
)

# %% [markdown]
# ## 10. Solutions
#
# **Solution 1.** The token model spends $\log_2 20$ bits per token, shared by 4.2 bytes, so
# $\log_2 20 / 4.2$ bits per byte. A byte-level model spends its bits per token on one byte
# each, so it must reach $2^{\log_2 20 / 4.2}$, that is $20^{1/4.2}$: a perplexity of about 2
# per byte matches a perplexity of 20 per token. `scale.bits_per_byte` gives the same bits:

# %%
# a loss of ln 20 nats per token, over 10 tokens that cover 42 bytes (4.2 bytes per token)
book_answer = 2 ** float(scale.bits_per_byte(math.log(20), 10, 42))
print(book_answer)
exercises.solution(book_answer, accept_byte_perplexity)

# %% [markdown]
# **Solution 2.** At the best split, $a$ times the model term equals $b$ times the data term
# (section 2 printed both products). So the data term is $a/b$ times the model term, and the
# model term's share of the two is $b / (a + b)$, whatever the budget, $A$ and $B$. With the
# printed exponents that is a little under one half: the term whose exponent is larger, the
# model term here, is driven lower at the best split. It is the same number as the exponent
# with which the best size grows with the budget, `scale.compute_optimal_exponents()[0]`.

# %%
a_printed, b_printed = scale.CHINCHILLA_FIT["a"], scale.CHINCHILLA_FIT["b"]
book_answer = b_printed / (a_printed + b_printed)
print(f"b / (a + b) = {book_answer:.6f}")
print(
    "at the best split of Chinchilla's budget (section 2): "
    f"{opt_model / (opt_model + opt_data):.6f}"
)
exercises.solution(book_answer, accept_model_share)

# %% [markdown]
# **Solution 3.** Move both sums to the common shift $m = 1000$, the larger one; then every
# exponent is at most 0 (the online log-sum-exp of the chapter):

# %%
m1, s1, m2, s2 = 3.0, 1.5, 1000.0, 1.2
m_common = max(m1, m2)
book_answer = m_common + math.log(s1 * math.exp(m1 - m_common) + s2 * math.exp(m2 - m_common))
print(book_answer)
exercises.solution(book_answer, accept_merged_lse)

# %% [markdown]
# **Solution 4.** The token mean weighs rank $\rho$'s mean by its share of the tokens,
# $n_\rho / 8$; the average over ranks weighs $c_\rho$ times it by $1/3$. So $c_\rho$ is
# $3 n_\rho / 8$: $15/8$, $3/4$ and $3/8$. The ranks need one all-reduce of their token
# counts to know the 8.

# %%
book_answer = [3 * n / 8 for n in (5, 2, 1)]
exercises.solution(book_answer, accept_factors)

# %% [markdown]
# **Solution 5.** $49999\,e^{-g}$ is lost once it is at most $2^{-8}$, that is from the lead
# $\ln(49999 \cdot 2^8)$, about 16.4: the first integer lead is 17, ten more than for three
# classes, because the many small terms add up. The emulation of section 5 agrees:

# %%
book_answer = next(
    g for g in range(1, 60) if to_bfloat16(np.float32(1 + 49999 * math.exp(-g))) == 1
)
print(book_answer)
exercises.solution(book_answer, accept_bfloat16_lead)

# %% [markdown]
# **Solution 6.** Find the tile's largest logit $t$ and the sum $\tau$ of $e^{z_j - t}$ over the
# rest of the tile. If $t > m$: the new maximum is $t$ and $r$ becomes $(1 + r)e^{m - t} + \tau$.
# Otherwise $r$ grows by $e^{t - m}(1 + \tau)$, which is the whole tile shifted by $m$. On the
# first tile $e^{m - t}$ is $e^{-\infty} = 0$. `ce_book.scale._online_step` does the same for
# many rows at once. Check the result against the library on a random row:


# %%
def book_step(m, r, tile):
    top = int(np.argmax(tile))
    t = float(tile[top])
    tau = float(np.exp(np.delete(tile, top) - t).sum())
    if t > m:
        return t, (1 + r) * math.exp(m - t) + tau
    return m, r + math.exp(t - m) * (1 + tau)


z_check = np.random.default_rng(3).normal(0, 10, size=25)
m_fold, r_fold = fold(book_step, z_check, 4)
print(m_fold + math.log1p(r_fold), float(scale.online_logsumexp(z_check, tile_size=4)))
exercises.solution(book_step, accept_online_step)
