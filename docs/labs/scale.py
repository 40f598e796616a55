# %% [markdown]
# # Lab: cross-entropy at scale
#
# Companion to the chapter [Cross-entropy at scale](../scale.md). Everything here runs on
# `ce_book.scale` (NumPy only). Change the sizes, the chunks, the tiles and the precision, and
# watch what moves.

# %%
import time
import tracemalloc

import numpy as np

from ce_book import losses, scale

# %% [markdown]
# ## 1. Perplexity depends on the tokenizer, bits per byte does not
# Edit the text (or add a third way of cutting it) and compare the units.

# %%
text = scale.SAMPLE_TEXT
n_bytes = len(text.encode())
for how in ("chars", "words"):
    tokens = scale.tokenize(text, how)
    nats = scale.unigram_nats(tokens)
    print(f"{how:5s}: {len(tokens):4d} tokens, perplexity {float(scale.perplexity(nats)):6.2f}, "
          f"bits/token {float(scale.bits_per_token(nats)):.2f}, "
          f"bits/byte {float(scale.bits_per_byte(nats, len(tokens), n_bytes)):.2f}")

# %% [markdown]
# ## 2. The memory of the logits
# Try your own model: tokens per batch, vocabulary size, bytes per number.

# %%
for tokens, vocab in ((2048, 32000), (8192, 128256), (16384, 256000)):
    gib = scale.logits_bytes(tokens, vocab, 4) / 2**30
    print(f"{tokens:6d} tokens x {vocab:6d} classes: logits {gib:6.2f} GiB, with gradient {2 * gib:6.2f} GiB")

# %% [markdown]
# ## 3. The fused loss equals the plain one, at a fraction of the memory
# A small problem, so that the lab runs in seconds. Change `chunk` and `tile`. The times are
# wall-clock times on this small problem, measured while tracing memory (which slows NumPy
# down), so compare them with each other, not with the chapter's figure: that one compares
# with PyTorch on the full-size problem, without tracing.

# %%
rng = np.random.default_rng(0)
n, d, v = 512, 64, 8192
h = rng.standard_normal((n, d), dtype=np.float32)
W = rng.standard_normal((v, d), dtype=np.float32) * np.float32(d**-0.5)
y = rng.integers(0, v, size=n)
plain = losses.cross_entropy(h @ W.T, y)
for chunk, tile in ((None, None), (64, None), (16, None), (64, 1024)):
    tracemalloc.start()
    start = time.perf_counter()
    loss, gh, gw = scale.linear_cross_entropy_and_grad(h, W, y, chunk_size=chunk, vocab_chunk_size=tile)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    extra = (peak - gh.nbytes - gw.nbytes) / (n * v * 4)
    print(f"chunk {chunk!s:>4}, tile {tile!s:>4}: loss {float(loss):.6f} (plain {float(plain):.6f}), "
          f"extra memory {extra:.3f} of the logits, {seconds * 1e3:.0f} ms")

# %% [markdown]
# ## 4. The online log-sum-exp
# The result does not depend on the tile size; try logits that would overflow `exp`.

# %%
z = np.array([3.0, 1.0, 1000.0, 2.0, 999.0, -5.0])
for tile in (1, 2, 3, 6):
    print(tile, float(scale.online_logsumexp(z, tile_size=tile)))

# %% [markdown]
# ## 5. Low precision: when is the loss exactly 0?
# NumPy has float16; bfloat16 is emulated by rounding float32 to 8 significant bits. The sum of
# exponentials is stored in the low format before the log, as PyTorch does.

# %%
def to_bfloat16(x):
    bits = np.asarray(x, np.float32).view(np.uint32)
    bits = bits + np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))
    return (bits & np.uint32(0xFFFF0000)).view(np.float32)


for g in range(4, 11):
    total = np.float32(1) + 2 * np.exp(np.float32(-g))
    bf16 = float(np.log(to_bfloat16(total)))
    f16 = float(np.log(np.float32(np.float16(total))))
    print(f"lead {g:2d}: true {np.log1p(2 * np.exp(-g)):.2e}  bfloat16 {bf16:.2e}  float16 {f16:.2e}")

# %% [markdown]
# ## 6. The gradient-accumulation trap
# Make the micro-batches equal in size and the two means agree.

# %%
print(scale.accumulation_means([[2.0] * 6, [5.0]]))
print(scale.accumulation_means([[2.0] * 3, [5.0] * 3]))
