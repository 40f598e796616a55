r"""Claims of the chapter on cross-entropy at scale.

Values come from :mod:`ce_book.scale`; checks recompute them with exact integer or fraction
arithmetic, mpmath at 50 digits, IEEE 754 emulated with mpmath, or live PyTorch
(``needs=("torch",)``). The low-precision thresholds are computed here by emulating the
log-of-a-sum in bfloat16 and float16 with NumPy, so reading the book needs no PyTorch; the
checks ask PyTorch itself.
"""

from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction

import mpmath
import numpy as np

from ce_book import activations, losses, scale
from ce_book.claims import claim
from ce_book.parallel import bytes_per_token
from ce_book.reference import DIGITS

GIB = 2**30
#: Llama 3's vocabulary, and a long training sequence of tokens.
VOCAB, TOKENS = 128256, 8192
#: The benchmark's problem (N, d, V).
BENCH = (2048, 256, 32768)


def _mp_unigram(tokens: list[str]) -> tuple[mpmath.mpf, int]:
    """Total nats of the in-sample unigram model, at 50 digits, counting by hand."""
    counts: dict[str, int] = {}
    for t in tokens:
        counts[t] = counts.get(t, 0) + 1
    n = len(tokens)
    with mpmath.workdps(DIGITS):
        total = -mpmath.fsum(c * mpmath.log(mpmath.mpf(c) / n) for c in counts.values())
    return total, n


def _units(how: str) -> tuple[float, float, int]:
    tokens = scale.tokenize(scale.SAMPLE_TEXT, how)
    nats = scale.unigram_nats(tokens)
    n_bytes = len(scale.SAMPLE_TEXT.encode("utf-8"))
    return (
        float(scale.perplexity(nats)),
        float(scale.bits_per_byte(nats, len(tokens), n_bytes)),
        len(tokens),
    )


def _check_units(value: tuple[float, float, int], how: str) -> None:
    text = scale.SAMPLE_TEXT
    tokens = list(text) if how == "chars" else _split_words(text)
    total, n = _mp_unigram(tokens)
    with mpmath.workdps(DIGITS):
        ppl = mpmath.exp(total / n)
        bpb = total / (len(text.encode("utf-8")) * mpmath.log(2))
        assert abs(value[0] - ppl) < 1e-12 * ppl
        assert abs(value[1] - bpb) < 1e-12 * bpb
    assert value[2] == n


def _split_words(text: str) -> list[str]:
    """Words by hand: runs of letters, every other character alone."""
    out, word = [], ""
    for ch in text:
        if ch.isalnum():
            word += ch
            continue
        if word:
            out.append(word)
            word = ""
        out.append(ch)
    return out + ([word] if word else [])


# --- units ---------------------------------------------------------------------------------


@claim(
    "scale-text-bytes",
    "The size of the chapter's sample text in bytes (ASCII: one byte per character).",
    reference="counted by hand: the characters of the text, each below 128",
    fmt="{:d}",
)
def text_bytes() -> int:
    return len(scale.SAMPLE_TEXT.encode("utf-8"))


@text_bytes.check
def _(value: int) -> None:
    assert all(ord(ch) < 128 for ch in scale.SAMPLE_TEXT)
    assert value == len(scale.SAMPLE_TEXT)


def _units_claims(how: str, what: str) -> None:
    for k, (name, fmt, words) in enumerate(
        (
            ("ppl", "{:.1f}", "perplexity per token"),
            ("bpb", "{:.2f}", "bits per byte"),
            ("tokens", "{:d}", "number of tokens"),
        )
    ):

        def compute(k: int = k) -> float | int:
            return _units(how)[k]

        compute.__module__ = __name__
        entry = claim(
            f"scale-{how}-{name}",
            f"The unigram model fitted to the sample text cut into {what}: its {words}.",
            reference="mpmath at 50 digits from token counts made by hand",
            fmt=fmt,
        )(compute)

        @entry.check
        def _(value: object, k: int = k) -> None:
            full = _units(how)
            assert value == full[k]
            _check_units(full, how)


_units_claims("chars", "characters")
_units_claims("words", "words")


@claim(
    "scale-words-bytes-per-token",
    "Bytes per token of the sample text cut into words (spaces and punctuation are tokens too).",
    reference="exact fractions from the hand count of words",
    fmt="{:.2f}",
)
def words_bytes_per_token() -> float:
    return len(scale.SAMPLE_TEXT.encode("utf-8")) / len(scale.tokenize(scale.SAMPLE_TEXT, "words"))


@words_bytes_per_token.check
def _(value: float) -> None:
    exact = Fraction(len(scale.SAMPLE_TEXT), len(_split_words(scale.SAMPLE_TEXT)))
    assert abs(Fraction(value) - exact) < Fraction(1, 10**14)


def _bits_per_token(how: str) -> float:
    return float(scale.bits_per_token(scale.unigram_nats(scale.tokenize(scale.SAMPLE_TEXT, how))))


for _how, _what in (("chars", "characters"), ("words", "words")):

    def _bpt(how: str = _how) -> float:
        return _bits_per_token(how)

    _bpt.__module__ = __name__
    _entry = claim(
        f"scale-{_how}-bits-per-token",
        f"The unigram model fitted to the sample text cut into {_what}: its bits per token.",
        reference="mpmath at 50 digits from token counts made by hand",
        fmt="{:.2f}",
    )(_bpt)

    @_entry.check
    def _(value: float, how: str = _how) -> None:
        tokens = list(scale.SAMPLE_TEXT) if how == "chars" else _split_words(scale.SAMPLE_TEXT)
        total, n = _mp_unigram(tokens)
        with mpmath.workdps(DIGITS):
            exact = total / (n * mpmath.log(2))
            assert abs(value - exact) < 1e-12 * exact


#: The made-up pair of models of the perplexity section: one text of 1000 bytes, cut by a
#: coarse tokenizer into 250 tokens and by a fine one into 500; total losses in nats.
PAIR_BYTES = 1000
PAIR = {"coarse": (250, 500), "fine": (500, 600)}


def _pair_units(which: str) -> tuple[float, float, float]:
    n_tokens, total = PAIR[which]
    nats = total / n_tokens
    return (
        float(scale.perplexity(nats)),
        float(scale.bits_per_token(nats)),
        float(scale.bits_per_byte(nats, n_tokens, PAIR_BYTES)),
    )


for _which in ("coarse", "fine"):
    for _k, (_name, _words) in enumerate(
        (("ppl", "perplexity"), ("bits-per-token", "bits per token"), ("bpb", "bits per byte"))
    ):

        def _unit(which: str = _which, k: int = _k) -> float:
            return _pair_units(which)[k]

        _unit.__module__ = __name__
        _n, _t = PAIR[_which]
        _entry = claim(
            f"scale-pair-{_which}-{_name}",
            f"The made-up {_which}-tokenizer model of the perplexity section ({_n} tokens, "
            f"{_t} nats in total, on a text of {PAIR_BYTES} bytes): its {_words}.",
            reference="SymPy: the exact expression in $e$ and $\\ln 2$, evaluated at 30 digits",
            fmt="{:.3f}" if _name == "bpb" else "{:.2f}",
        )(_unit)

        @_entry.check
        def _(value: float, which: str = _which, k: int = _k) -> None:
            import sympy

            n_tokens, total = PAIR[which]
            nats = sympy.Rational(total, n_tokens)
            exact = (
                sympy.exp(nats),
                nats / sympy.log(2),
                sympy.Rational(total, PAIR_BYTES) / sympy.log(2),
            )[k]
            assert abs(value - float(sympy.N(exact, 30))) < 1e-12 * float(sympy.N(exact, 30))


# --- the held-out unigram models of the lab ---------------------------------------------------


def _essay_halves() -> tuple[str, str]:
    """The lab's split of the essay: at the first paragraph break past the middle."""
    cut = scale.ESSAY.index("\n\n", len(scale.ESSAY) // 2)
    return scale.ESSAY[:cut], scale.ESSAY[cut:]


def _essay_units(how: str) -> tuple[float, float]:
    train, test = _essay_halves()
    n = len(scale.tokenize(test, how))
    nats = scale.held_out_nats(train, test, how) / n
    return float(scale.perplexity(nats)), float(scale.bits_per_byte(nats, n, len(test)))


def _mp_essay(how: str) -> tuple[mpmath.mpf, mpmath.mpf]:
    """Perplexity per token and bits per byte at 50 digits, from counts made by hand: add one
    to every count, one slot for the unknown token, unknown words spelled out by the smoothed
    character model, unknown characters at 8 bits each (the essay is ASCII)."""
    train, test = _essay_halves()
    cut = list if how == "chars" else _split_words
    with mpmath.workdps(DIGITS):

        def model(tokens: list[str]):
            counts = Counter(tokens)
            total = len(tokens) + len(counts) + 1
            return lambda t: -mpmath.log(mpmath.mpf(counts.get(t, 0) + 1) / total), counts

        cost, counts = model(cut(train))
        char_cost, char_counts = model(list(train))

        def spelled(t: str) -> mpmath.mpf:
            if how == "chars":
                return 8 * mpmath.log(2)
            return mpmath.fsum(
                char_cost(ch) + (0 if ch in char_counts else 8 * mpmath.log(2)) for ch in t
            )

        tokens = cut(test)
        total = mpmath.fsum(cost(t) + (0 if t in counts else spelled(t)) for t in tokens)
        return mpmath.exp(total / len(tokens)), total / (len(test) * mpmath.log(2))


for _how, _what in (("chars", "characters"), ("words", "words")):
    for _k, (_name, _words, _fmt) in enumerate(
        (("ppl", "perplexity per token", "{:.0f}"), ("bpb", "bits per byte", "{:.2f}"))
    ):

        def _essay_value(how: str = _how, k: int = _k) -> float:
            return _essay_units(how)[k]

        _essay_value.__module__ = __name__
        _entry = claim(
            f"scale-essay-{_how}-{_name}",
            f"The lab's unigram model of {_what}, fitted with add-one smoothing to the first half "
            f"of the book's essay (`ce_book.scale.ESSAY`) and scored on the second half, unknown "
            f"tokens spelled out: its {_words}.",
            reference="mpmath at 50 digits from token counts made by hand",
            fmt=_fmt,
        )(_essay_value)

        @_entry.check
        def _(value: float, how: str = _how, k: int = _k) -> None:
            assert scale.ESSAY.isascii()
            exact = _mp_essay(how)[k]
            with mpmath.workdps(DIGITS):
                assert abs(value - exact) < 1e-12 * exact


@claim(
    "scale-essay-words-bpb-end-marks",
    "The lab's held-out word model as an honest code: its bits per byte on the second half of "
    "the essay when each unknown word, spelled out, also pays for the character after it, "
    "which marks where its spelling ends (the last line of the lab's first cell).",
    reference="mpmath at 50 digits from token counts made by hand",
    fmt="{:.2f}",
)
def essay_words_bpb_end_marks() -> float:
    train, test = _essay_halves()
    nats = scale.held_out_nats(train, test, "words", end_marks=True)
    return nats / (len(test) * math.log(2))


@essay_words_bpb_end_marks.check
def _(value: float) -> None:
    train, test = _essay_halves()
    words, seen, chars = _split_words(test), set(_split_words(train)), Counter(train)
    with mpmath.workdps(DIGITS):
        char_total = mpmath.mpf(len(train) + len(chars) + 1)
        marks = mpmath.fsum(
            mpmath.log(char_total / (chars[nxt] + 1))
            if nxt in chars
            else mpmath.log(char_total) + 8 * mpmath.log(2)
            for w, nxt in zip(words, [*words[1:], " "], strict=True)
            if w not in seen
        )
        spelled_bpb = _mp_essay("words")[1]
        exact = spelled_bpb + marks / (len(test) * mpmath.log(2))
        assert abs(value - exact) < 1e-12 * exact


# --- memory of the logits --------------------------------------------------------------------


@claim(
    "scale-logits-gib",
    "Memory of the float32 logits of 8192 tokens over Llama 3's vocabulary of 128,256 "
    "tokens, in GiB.",
    reference="exact integer arithmetic: $8192 \\cdot 128256 \\cdot 4 / 2^{30}$",
    fmt="{:.1f}",
)
def logits_gib() -> float:
    return scale.logits_bytes(TOKENS, VOCAB, 4) / GIB


@logits_gib.check
def _(value: float) -> None:
    assert Fraction(value) == Fraction(8192 * 128256 * 4, 2**30)


@claim(
    "scale-bf16-logits-gib",
    "Memory of the bfloat16 logits (2 bytes each) of 32,768 tokens over a vocabulary of "
    "256,000 tokens, in GiB (exercise 6).",
    reference="exact integer arithmetic: $32768 \\cdot 256000 \\cdot 2 / 2^{30}$",
    fmt="{:.3f}",
)
def bf16_logits_gib() -> float:
    return scale.logits_bytes(32768, 256000, 2) / GIB


@bf16_logits_gib.check
def _(value: float) -> None:
    assert Fraction(value) == Fraction(32768 * 256000 * 2, 2**30) == Fraction(125, 8)


@claim(
    "scale-logits-and-grad-gib",
    "The same logits and their gradient together, in GiB.",
    reference="exact integer arithmetic, twice the above",
    fmt="{:.1f}",
)
def logits_and_grad_gib() -> float:
    return 2 * scale.logits_bytes(TOKENS, VOCAB, 4) / GIB


@logits_and_grad_gib.check
def _(value: float) -> None:
    assert Fraction(value) == Fraction(2 * 8192 * 128256 * 4, 2**30)


@claim(
    "scale-bench-logits-mib",
    "Memory of the float32 logits of the benchmark, $N = 2048$ tokens over $V = 32768$ "
    "classes, in MiB.",
    reference="exact integer arithmetic: $2048 \\cdot 32768 \\cdot 4 / 2^{20}$",
    fmt="{:.0f}",
)
def bench_logits_mib() -> float:
    n, _, v = BENCH
    return scale.logits_bytes(n, v, 4) / 2**20


@bench_logits_mib.check
def _(value: float) -> None:
    assert value == 2048 * 32768 * 4 // 2**20


@claim(
    "scale-bench-chunk-mib",
    "Memory of one chunk of 64 rows of logits of the benchmark in float32, in MiB: the "
    "largest temporary of the fused loss at `chunk_size=64`.",
    reference="exact integer arithmetic: $64 \\cdot 32768 \\cdot 4 / 2^{20}$",
    fmt="{:.0f}",
)
def bench_chunk_mib() -> float:
    return scale.logits_bytes(64, BENCH[2], 4) / 2**20


@bench_chunk_mib.check
def _(value: float) -> None:
    assert value == 64 * 32768 * 4 // 2**20


# --- the benchmark (recorded numbers) --------------------------------------------------------


def _default_chunk() -> int:
    return max(1, scale.CHUNK_ELEMENTS // BENCH[2])


@claim(
    "scale-bench-default-chunk",
    "The default `chunk_size` of the fused loss at $V = 32768$: as many rows as fit in "
    "`CHUNK_ELEMENTS` $= 2^{22}$ logits.",
    reference="arithmetic: $2^{22} / 2^{15} = 2^{7}$",
    fmt="{:d}",
)
def bench_default_chunk() -> int:
    return _default_chunk()


@bench_default_chunk.check
def _(value: int) -> None:
    assert value == 2**7


@claim(
    "scale-bench-extra-memory",
    "Extra memory of `linear_cross_entropy_and_grad` at $(N, d, V) = (2048, 256, 32768)$ "
    "float32 with the default chunk: the traced peak beyond its outputs, as a fraction of the "
    "$N \\times V$ logits.",
    reference="recorded by `scripts/bench_speed.py --fused`; the model: one chunk of "
    "$128 \\times V$ logits is $128 / 2048$ of them, plus row-sized vectors",
    fmt="{:.3f}",
)
def bench_extra_memory() -> float:
    return scale.MEASURED_FUSED[_default_chunk()][0]


@bench_extra_memory.check
def _(value: float) -> None:
    one_chunk = Fraction(_default_chunk(), BENCH[0])
    assert one_chunk <= Fraction(value) <= one_chunk + Fraction(1, 50)
    assert value <= 1 / 8


@claim(
    "scale-bench-time-ratio",
    "Time of `linear_cross_entropy_and_grad` with the default chunk over that of PyTorch's "
    "`F.linear` + `F.cross_entropy` forward and backward, measured in the same run.",
    reference="recorded by `scripts/bench_speed.py --fused` on the book's 2-core machine "
    "(timings vary from run to run)",
    fmt="{:.2f}",
)
def bench_time_ratio() -> float:
    return scale.MEASURED_FUSED[_default_chunk()][1]


@bench_time_ratio.check
def _(value: float) -> None:
    assert 0 < value == scale.MEASURED_FUSED[128][1]


@claim(
    "scale-bench-crossover",
    "The smallest recorded chunk size at which the fused loss is no slower than PyTorch's "
    "unfused layer and loss.",
    reference="read off the recorded benchmark table: the first chunk size, in increasing "
    "order, with a time ratio of at most 1",
    fmt="{:d}",
)
def bench_crossover() -> int:
    return min(c for c, (_, t) in scale.MEASURED_FUSED.items() if t <= 1.0)


@bench_crossover.check
def _(value: int) -> None:
    ordered = sorted(scale.MEASURED_FUSED.items())
    first = next(c for c, (_, t) in ordered if t <= 1.0)
    assert value == first
    assert all(t > 1.0 for c, (_, t) in ordered if c < first)


def _best_chunk() -> int:
    return min(scale.MEASURED_FUSED, key=lambda c: scale.MEASURED_FUSED[c][1])


@claim(
    "scale-bench-best-chunk",
    "The recorded chunk size at which the fused loss was fastest in the benchmark of the "
    "figure. Every recorded time is a ratio to one PyTorch timing of the same run, so the "
    "fastest chunk is the same whichever run is taken as the baseline, the whole batch as one "
    "chunk included.",
    reference="read off the recorded benchmark table: the chunk size with the smallest time ratio",
    fmt="{:d}",
)
def bench_best_chunk() -> int:
    return _best_chunk()


@bench_best_chunk.check
def _(value: int) -> None:
    ratios = sorted((t, c) for c, (_, t) in scale.MEASURED_FUSED.items())
    assert ratios[0][1] == value and ratios[0][0] < ratios[1][0]


@claim(
    "scale-bench-best-time-ratio",
    "The fused loss's time at its fastest recorded chunk size, as a ratio to PyTorch's "
    "unfused layer and loss measured in the same run.",
    reference="recorded by `scripts/bench_speed.py --fused` on the book's 2-core machine "
    "(timings vary from run to run); the smallest ratio of the table",
    fmt="{:.2f}",
)
def bench_best_time_ratio() -> float:
    return scale.MEASURED_FUSED[_best_chunk()][1]


@bench_best_time_ratio.check
def _(value: float) -> None:
    assert value == min(t for _, t in scale.MEASURED_FUSED.values())
    assert value < scale.MEASURED_FUSED[_default_chunk()][1]


@claim(
    "scale-bench-best-extra-memory",
    "Extra memory of the fused loss at its fastest recorded chunk size, as a fraction of the "
    "$N \\times V$ logits.",
    reference="recorded by `scripts/bench_speed.py --fused`; the model: one chunk of "
    "$c \\times V$ logits is $c / N$ of them, plus row-sized vectors",
    fmt="{:.3f}",
)
def bench_best_extra_memory() -> float:
    return scale.MEASURED_FUSED[_best_chunk()][0]


@bench_best_extra_memory.check
def _(value: float) -> None:
    one_chunk = Fraction(_best_chunk(), BENCH[0])
    assert one_chunk <= Fraction(value) <= one_chunk + Fraction(1, 50)


@claim(
    "scale-bench-full-chunk-time-ratio",
    "The fused loss's time when the whole batch of the benchmark is one chunk "
    "($N = 2048$ rows), as a ratio to PyTorch's unfused layer and loss.",
    reference="recorded by `scripts/bench_speed.py --fused` on the book's 2-core machine "
    "(timings vary from run to run)",
    fmt="{:.2f}",
)
def bench_full_chunk_time_ratio() -> float:
    return scale.MEASURED_FUSED[BENCH[0]][1]


@bench_full_chunk_time_ratio.check
def _(value: float) -> None:
    assert value == scale.MEASURED_FUSED[2048][1]
    assert value > scale.MEASURED_FUSED[_best_chunk()][1]


@claim(
    "scale-bench-default-vs-whole",
    "Time of the fused loss with the default chunk (128 rows) over that of the same NumPy code "
    "with the whole batch as one chunk, which holds all the logits and fuses nothing.",
    reference="recorded by `scripts/bench_speed.py --fused` on the book's 2-core machine: the "
    "quotient of the two recorded ratios to PyTorch's time, measured in the same run, typed "
    "into the check as 0.84 / 0.76 (timings vary from run to run)",
    fmt="{:.1f}",
)
def bench_default_vs_whole() -> float:
    return scale.fused_time_vs_unchunked(_default_chunk())


@bench_default_vs_whole.check
def _(value: float) -> None:
    assert abs(value - 0.84 / 0.76) < 1e-12
    assert value > 1


@claim(
    "scale-bench-best-vs-whole",
    "Time of the fused loss at its fastest recorded chunk size (512 rows) over that of the "
    "same NumPy code with the whole batch as one chunk.",
    reference="recorded by `scripts/bench_speed.py --fused` on the book's 2-core machine: the "
    "quotient of the two recorded ratios to PyTorch's time, measured in the same run, typed "
    "into the check as 0.47 / 0.76 (timings vary from run to run)",
    fmt="{:.1f}",
)
def bench_best_vs_whole() -> float:
    return scale.fused_time_vs_unchunked(_best_chunk())


@bench_best_vs_whole.check
def _(value: float) -> None:
    assert _best_chunk() == 512
    assert abs(value - 0.47 / 0.76) < 1e-12


@claim(
    "scale-bench-best-chunk-mib",
    "Memory of one chunk of logits of the benchmark at its fastest recorded chunk size "
    "(512 rows of $V = 32768$ float32 logits), in MiB.",
    reference="exact integer arithmetic: $512 \\cdot 32768 \\cdot 4 / 2^{20}$",
    fmt="{:.0f}",
)
def bench_best_chunk_mib() -> float:
    return scale.logits_bytes(_best_chunk(), BENCH[2], 4) / 2**20


@bench_best_chunk_mib.check
def _(value: float) -> None:
    assert value == 512 * 32768 * 4 // 2**20 == 64


@claim(
    "scale-bench-default-vs-best",
    "Time of the fused loss with the default chunk (128 rows) over its time at the fastest "
    "recorded chunk size (512 rows), in the benchmark of the figure.",
    reference="recorded by `scripts/bench_speed.py --fused` on the book's 2-core machine: the "
    "quotient of the two recorded ratios to PyTorch's time, measured in the same run, typed "
    "into the check as 0.84 / 0.47 (timings vary from run to run)",
    fmt="{:.1f}",
)
def bench_default_vs_best() -> float:
    return scale.fused_time_vs_unchunked(_default_chunk()) / scale.fused_time_vs_unchunked(
        _best_chunk()
    )


@bench_default_vs_best.check
def _(value: float) -> None:
    assert abs(value - 0.84 / 0.47) < 1e-12
    assert value > 1


# --- the fused loss -------------------------------------------------------------------------


def _small_problem() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The chapter's example: 6 tokens, hidden size 4, 50 classes."""
    rng = np.random.default_rng(0)
    h, w = rng.standard_normal((6, 4)), rng.standard_normal((50, 4))
    return h, w, np.array([3, 14, 15, 9, 26, 5])


@claim(
    "scale-fused-float64-error",
    "Relative error of `ce_book.scale.linear_cross_entropy` in float64 on the chapter's example "
    "(6 tokens, 50 classes, chunks of 2 rows and tiles of 16 classes) against the exact loss.",
    reference="mpmath at 50 digits: logits as exact dot products, then "
    "$\\log(1 + \\sum_{j \\ne y} e^{z_j - z_y})$ per token",
    fmt="{:.0e}",
)
def fused_float64_error() -> float:
    h, w, y = _small_problem()
    got = scale.linear_cross_entropy(h, w, y, chunk_size=2, vocab_chunk_size=16)
    exact = _mp_mean_loss(h, w, y)
    with mpmath.workdps(DIGITS):
        return float(abs((mpmath.mpf(float(got)) - exact) / exact))


def _mp_mean_loss(h, w, y) -> mpmath.mpf:
    with mpmath.workdps(DIGITS):
        total = mpmath.mpf(0)
        for hn, yn in zip(h, y, strict=True):
            z = [
                mpmath.fsum(mpmath.mpf(float(p)) * float(q) for p, q in zip(hn, r, strict=True))
                for r in w
            ]
            total += mpmath.log1p(
                mpmath.fsum(mpmath.exp(zj - z[yn]) for j, zj in enumerate(z) if j != yn)
            )
        return total / len(y)


@fused_float64_error.check
def _(value: float) -> None:
    assert value < 1e-14
    # correctly rounded: within half a unit in the last place of the exact loss
    h, w, y = _small_problem()
    got = float(scale.linear_cross_entropy(h, w, y, chunk_size=2, vocab_chunk_size=16))
    exact = _mp_mean_loss(h, w, y)
    with mpmath.workdps(DIGITS):
        assert abs(mpmath.mpf(got) - exact) <= mpmath.mpf(np.spacing(got)) / 2


# --- online softmax -------------------------------------------------------------------------

ONLINE_LOGITS = (3.0, 1.0, 1000.0, 2.0, 999.0, -5.0)


@claim(
    "scale-online-lse",
    "`ce_book.scale.online_logsumexp` of the logits $(3, 1, 1000, 2, 999, -5)$ in tiles of "
    "two: the maximum changes in the second tile and the running sum is rescaled.",
    reference="mpmath: $\\log \\sum_j e^{z_j}$ at 50 digits",
    fmt="{:.4f}",
)
def online_lse() -> float:
    return float(scale.online_logsumexp(ONLINE_LOGITS, tile_size=2))


@online_lse.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(v)) for v in ONLINE_LOGITS))
        assert abs(value - exact) < 1e-15 * exact


#: The chapter's traced row: six logits in tiles of two, the top moving once and then staying.
TRACE_LOGITS, TRACE_TILE = (1.0, 3.0, 2.0, 5.0, 4.0, 0.0), 2


def _mp_trace_pair(k: int) -> tuple[mpmath.mpf, mpmath.mpf]:
    """The invariant after ``k`` tiles, at 50 digits: ``m`` the largest logit seen so far and
    ``r`` the sum of ``e^(z - m)`` over every logit seen except one top term."""
    seen = TRACE_LOGITS[: k * TRACE_TILE]
    with mpmath.workdps(DIGITS):
        m = mpmath.mpf(max(seen))
        return m, mpmath.fsum(mpmath.exp(mpmath.mpf(v) - m) for v in seen) - 1


for _k in (1, 2, 3):

    def _trace_m(k: int = _k) -> float:
        return scale.online_logsumexp_trace(TRACE_LOGITS, TRACE_TILE)[k - 1][0]

    def _trace_r(k: int = _k) -> float:
        return scale.online_logsumexp_trace(TRACE_LOGITS, TRACE_TILE)[k - 1][1]

    def _trace_s(k: int = _k) -> float:
        return 1 + scale.online_logsumexp_trace(TRACE_LOGITS, TRACE_TILE)[k - 1][1]

    _trace_m.__module__ = _trace_r.__module__ = _trace_s.__module__ = __name__
    _m_entry = claim(
        f"scale-trace-m-{_k}",
        f"The running maximum $m$ of `ce_book.scale.online_logsumexp_trace` after tile {_k} of "
        "the logits $(1, 3, 2, 5, 4, 0)$ in tiles of two.",
        reference="by hand: the largest logit among the tiles seen so far",
        fmt="{:g}",
    )(_trace_m)
    _r_entry = claim(
        f"scale-trace-r-{_k}",
        f"The running sum $r$ after tile {_k} of the logits $(1, 3, 2, 5, 4, 0)$ in tiles of "
        "two: the sum of $e^{z_j - m}$ over the logits seen so far, the top's own 1 left out.",
        reference="mpmath at 50 digits: the sum over every logit seen so far, minus 1",
        fmt="{:.4f}",
    )(_trace_r)

    _s_entry = claim(
        f"scale-trace-s-{_k}",
        f"The plain running sum $s$, that is $1 + r$, after tile {_k} of the logits "
        "$(1, 3, 2, 5, 4, 0)$ in tiles of two: the sum of $e^{z_j - m}$ over every logit seen "
        "so far, the top's own 1 included.",
        reference="mpmath at 50 digits: the sum over every logit seen so far",
        fmt="{:.4f}",
    )(_trace_s)

    @_m_entry.check
    def _(value: float, k: int = _k) -> None:
        assert value == float(_mp_trace_pair(k)[0])

    @_s_entry.check
    def _(value: float, k: int = _k) -> None:
        with mpmath.workdps(DIGITS):
            m = mpmath.mpf(max(TRACE_LOGITS[: k * TRACE_TILE]))
            s = mpmath.fsum(mpmath.exp(mpmath.mpf(v) - m) for v in TRACE_LOGITS[: k * TRACE_TILE])
            assert abs(value - s) < 1e-15 * s

    @_r_entry.check
    def _(value: float, k: int = _k) -> None:
        with mpmath.workdps(DIGITS):
            assert abs(value - _mp_trace_pair(k)[1]) < 1e-15


@claim(
    "scale-trace-lse",
    "The log-sum-exp of the traced row $(1, 3, 2, 5, 4, 0)$ from the last running pair, "
    "$m + \\operatorname{log1p}(r)$.",
    reference="mpmath: $\\log \\sum_j e^{z_j}$ at 50 digits",
    fmt="{:.4f}",
)
def trace_lse() -> float:
    m, r = scale.online_logsumexp_trace(TRACE_LOGITS, TRACE_TILE)[-1]
    return m + float(np.log1p(r))


@trace_lse.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(v)) for v in TRACE_LOGITS))
        assert abs(value - exact) < 1e-15 * exact


@claim(
    "scale-trace-lse-direct",
    "The log-sum-exp of the same row in one piece, `ce_book.activations.logsumexp`.",
    reference="mpmath: $\\log \\sum_j e^{z_j}$ at 50 digits",
    fmt="{:.4f}",
)
def trace_lse_direct() -> float:
    return float(activations.logsumexp(np.array(TRACE_LOGITS)))


@trace_lse_direct.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(v)) for v in TRACE_LOGITS))
        assert abs(value - exact) < 1e-15 * exact


# --- across machines -------------------------------------------------------------------------


@claim(
    "scale-parallel-bytes",
    "Bytes per token that the vocabulary-parallel loss all-reduces in float32, its two "
    "all-reduces together: four numbers (the maximum in the first; the sum below it, the count "
    "at it and the target logit in the second).",
    reference="arithmetic: 4 numbers of 4 bytes",
    fmt="{:d}",
)
def parallel_bytes() -> int:
    return bytes_per_token(VOCAB, 4)[0]


@parallel_bytes.check
def _(value: int) -> None:
    assert value == 4 * 4


@claim(
    "scale-gather-bytes",
    "Bytes per token that gathering every float32 logit of Llama 3's vocabulary would move.",
    reference="arithmetic: $128256 \\cdot 4$",
    fmt="{:,d}",
)
def gather_bytes() -> int:
    return bytes_per_token(VOCAB, 4)[1]


@gather_bytes.check
def _(value: int) -> None:
    assert value == 128256 * 4


@claim(
    "scale-parallel-tiny-loss",
    "The loss of `ce_book.parallel.vocab_parallel_cross_entropy` for the float64 logits "
    "$(40, 0, 0, 0)$, first class true, with the vocabulary split over two processes.",
    reference="mpmath at 50 digits: $\\operatorname{log1p}(3 e^{-40})$, to a relative "
    "$4 \\times 10^{-16}$; where PyTorch's single-process `F.cross_entropy` gives exactly 0",
    fmt="{:.2e}",
    needs=("torch",),
    recorded=True,
)
def parallel_tiny_loss() -> float:
    from ce_book import parallel

    per_rank, _ = parallel.run_local(
        np.array([[40.0, 0.0, 0.0, 0.0]]), np.array([0]), 2, reduction="none"
    )
    values = {float(loss[0]) for loss in per_rank}
    assert len(values) == 1  # every rank returns the same loss
    return values.pop()


@parallel_tiny_loss.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    with mpmath.workdps(DIGITS):
        exact = mpmath.log1p(3 * mpmath.exp(-40))
        assert abs(mpmath.mpf(value) - exact) <= 4e-16 * exact
    z = torch.tensor([[40.0, 0.0, 0.0, 0.0]], dtype=torch.float64)
    assert float(F.cross_entropy(z, torch.tensor([0]))) == 0.0


@claim(
    "scale-float32-lost-loss",
    "The largest loss that the log of a sum, $m + \\log(1 + r) - z_y$ in float32, rounds to 0: "
    "$1 + r$ rounds to 1 for $r$ up to half the spacing of float32 just above 1, and the true "
    "loss $\\operatorname{log1p}(r)$ is at most $r$.",
    reference="IEEE 754 in exact fractions: $1 + 2^{-24}$ lies halfway between 1 and the next "
    "float32, $1 + 2^{-23}$, and rounds to 1 (ties to even); anything above rounds up",
    fmt="{:.1e}",
)
def float32_lost_loss() -> float:
    return float(np.finfo(np.float32).eps) / 2


@float32_lost_loss.check
def _(value: float) -> None:
    assert Fraction(value) == Fraction(1, 2**24)
    one = np.float32(1)
    assert one + np.float32(value) == one  # a tie, rounded to the even neighbour, 1
    assert one + np.float32(value) * np.float32(1 + 2**-20) > one
    with mpmath.workdps(DIGITS):
        assert mpmath.log1p(mpmath.mpf(value)) < value


# --- precision -------------------------------------------------------------------------------


@claim(
    "scale-float16-exp-limit",
    "The largest $z$ for which $e^{z}$ is a finite float16: the log of the largest float16, 65504.",
    reference="mpmath: $\\log\\big((2 - 2^{-10}) \\cdot 2^{15}\\big)$ at 50 digits",
    fmt="{:.2f}",
)
def float16_exp_limit() -> float:
    return float(np.log(np.float64(np.finfo(np.float16).max)))


@float16_exp_limit.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = mpmath.log((2 - mpmath.mpf(2) ** -10) * mpmath.mpf(2) ** 15)
        assert abs(value - exact) < 1e-15 * exact


def _to_bfloat16(x: np.ndarray) -> np.ndarray:
    """Round float32 values to the nearest bfloat16 (ties to even), returned as float32."""
    bits = np.asarray(x, np.float32).view(np.uint32)
    rounded = bits + np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))
    return (rounded & np.uint32(0xFFFF0000)).view(np.float32)


def _log_sum_loss(gap: float, fmt: str) -> float:
    """The loss of the logits ``(gap, 0, 0)``, true class 0, computed as PyTorch's CPU kernel
    does for low-precision logits: the exponentials and their sum in float32, the sum then
    stored in the logits' format ``fmt`` ("bfloat16" or "float16"), its log taken in float32
    and rounded to ``fmt``."""
    e = np.exp(np.float32(-gap))
    total = np.float32(1) + e + e
    if fmt == "float16":
        return float(np.float16(np.log(np.float32(np.float16(total)))))
    return float(_to_bfloat16(np.log(_to_bfloat16(total))))


def _first_zero(fmt: str) -> int:
    return next(g for g in range(1, 80) if _log_sum_loss(float(g), fmt) == 0)


def _check_first_zero(value: int, dtype_name: str, stored_bits: int) -> None:
    import torch
    import torch.nn.functional as F

    def torch_loss(g: int) -> float:
        z = torch.tensor([[float(g), 0.0, 0.0]], dtype=getattr(torch, dtype_name))
        return float(F.cross_entropy(z, torch.tensor([0])))

    assert torch_loss(value) == 0 and torch_loss(value - 1) > 0
    with mpmath.workdps(DIGITS):
        # 1 + 2e^{-g} rounds to 1 once 2e^{-g} is below half the spacing at 1, 2^{-bits - 1}
        half = mpmath.mpf(2) ** -(stored_bits + 1)
        assert 2 * mpmath.exp(-value) < half < 2 * mpmath.exp(-(value - 1))
        assert mpmath.log1p(2 * mpmath.exp(-value)) > 0  # the true loss is not 0


@claim(
    "scale-bfloat16-zero-lead",
    "The smallest integer lead $g$ (logits $(g, 0, 0)$, true class 0) at which the cross-entropy "
    "of bfloat16 logits is exactly 0: the sum of the exponentials, stored in bfloat16, is "
    "exactly 1.",
    reference="torch 2.13.0 `F.cross_entropy` on bfloat16 logits (0 at this lead, positive "
    "one below); mpmath: $2e^{-g}$ falls below half the bfloat16 spacing at 1, $2^{-8}$",
    fmt="{:d}",
    needs=("torch",),
)
def bfloat16_zero_lead() -> int:
    return _first_zero("bfloat16")


@bfloat16_zero_lead.check
def _(value: int) -> None:
    _check_first_zero(value, "bfloat16", 7)


@claim(
    "scale-float16-zero-lead",
    "The same threshold for float16 logits.",
    reference="torch 2.13.0 `F.cross_entropy` on float16 logits; mpmath: $2e^{-g}$ falls below "
    "half the float16 spacing at 1, $2^{-11}$",
    fmt="{:d}",
    needs=("torch",),
)
def float16_zero_lead() -> int:
    return _first_zero("float16")


@float16_zero_lead.check
def _(value: int) -> None:
    _check_first_zero(value, "float16", 10)


@claim(
    "scale-bfloat16-loss-at-lead-6",
    "PyTorch's cross-entropy of the bfloat16 logits $(6, 0, 0)$, true class 0: the sum of "
    "exponentials $1 + 2e^{-6}$, stored in bfloat16, becomes the next bfloat16 above 1, "
    "$1 + 2^{-7}$.",
    reference="torch 2.13.0; mpmath: $\\log(1 + 2^{-7})$ rounded to bfloat16, against the "
    "true loss $\\log(1 + 2e^{-6})$",
    fmt="{:.4f}",
    needs=("torch",),
)
def bfloat16_loss_at_6() -> float:
    return _log_sum_loss(6.0, "bfloat16")


@bfloat16_loss_at_6.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    z = torch.tensor([[6.0, 0.0, 0.0]], dtype=torch.bfloat16)
    assert float(F.cross_entropy(z, torch.tensor([0]))) == value
    with mpmath.workdps(DIGITS):
        assert abs(value - mpmath.log1p(mpmath.mpf(2) ** -7)) < 2**-14
        assert abs(value - mpmath.log1p(2 * mpmath.exp(-6))) > 0.002  # far from the truth


@claim(
    "scale-bfloat16-lead-6-ratio",
    "The bfloat16 loss of the logits $(6, 0, 0)$ (the log of the next bfloat16 above 1, "
    "$\\log(1 + 2^{-7})$, as the kernel computes it) over the true loss "
    "$\\log(1 + 2e^{-6})$.",
    reference="mpmath at 50 digits: $\\log(1 + 2^{-7}) / \\log(1 + 2e^{-6})$",
    fmt="{:.1f}",
)
def bfloat16_lead_6_ratio() -> float:
    true = float(losses.cross_entropy([[6.0, 0.0, 0.0]], [0]))
    return _log_sum_loss(6.0, "bfloat16") / true


@bfloat16_lead_6_ratio.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = mpmath.log1p(mpmath.mpf(2) ** -7) / mpmath.log1p(2 * mpmath.exp(-6))
        assert abs(value - exact) < 1e-2  # the kernel rounds the log to bfloat16 too


# --- z-loss and soft-capping -----------------------------------------------------------------

Z_LOGITS = (2.0, 1.0, 0.1)


def _mp_lse(z) -> mpmath.mpf:
    with mpmath.workdps(DIGITS):
        return mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(v)) for v in z))


def _z_loss_claim(shift: float) -> None:
    def compute() -> float:
        return float(scale.z_loss(np.add(Z_LOGITS, shift)))

    compute.__module__ = __name__
    entry = claim(
        f"scale-z-loss-shift-{int(shift)}",
        f"The z-loss ($c = 10^{{-4}}$) of the logits $(2, 1, 0.1)$ shifted up by {int(shift)}: "
        "the cross-entropy is the same for every shift, the z-loss is not.",
        reference="mpmath: $10^{-4} \\operatorname{LSE}(z)^2$ at 50 digits",
        fmt="{:.2e}",
    )(compute)

    @entry.check
    def _(value: float) -> None:
        with mpmath.workdps(DIGITS):
            exact = mpmath.mpf("1e-4") * _mp_lse([v + shift for v in Z_LOGITS]) ** 2
            assert abs(value - exact) < 1e-14 * exact


_z_loss_claim(0.0)
_z_loss_claim(10.0)


@claim(
    "scale-soft-cap-50",
    "Gemma 2's soft-capping at 30 applied to a logit of 50.",
    reference="mpmath: $30 \\tanh(50 / 30)$ at 50 digits",
    fmt="{:.1f}",
)
def soft_cap_50() -> float:
    return float(scale.soft_cap(50.0, 30.0))


@soft_cap_50.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(value - 30 * mpmath.tanh(mpmath.mpf(50) / 30)) < 1e-13


@claim(
    "scale-soft-cap-grad-50",
    "The factor by which soft-capping at 30 scales the gradient at a logit of 50.",
    reference="mpmath: $1 - \\tanh^2(50 / 30)$ at 50 digits, and its derivative by mpmath.diff",
    fmt="{:.2f}",
)
def soft_cap_grad_50() -> float:
    return float(scale.soft_cap_grad(50.0, 30.0))


@soft_cap_grad_50.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        slope = mpmath.diff(lambda s: 30 * mpmath.tanh(s / 30), 50)
        assert abs(value - slope) < 1e-13


@claim(
    "scale-soft-cap-grad-5",
    "The same factor at a logit of 5.",
    reference="mpmath: $1 - \\tanh^2(5 / 30)$ at 50 digits",
    fmt="{:.2f}",
)
def soft_cap_grad_5() -> float:
    return float(scale.soft_cap_grad(5.0, 30.0))


@soft_cap_grad_5.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(value - (1 - mpmath.tanh(mpmath.mpf(5) / 30) ** 2)) < 1e-15


# --- gradient accumulation -------------------------------------------------------------------

#: Two micro-batches: six padded-out tokens of loss 2, and one token of loss 5.
MICRO_BATCHES = ((2.0, 2.0, 2.0, 2.0, 2.0, 2.0), (5.0,))


@claim(
    "scale-accum-mean-of-means",
    "The mean of the two micro-batches' mean losses: six tokens of loss 2 and one of loss 5.",
    reference="exact fractions: $(2 + 5) / 2$",
    fmt="{:g}",
)
def accum_mean_of_means() -> float:
    return scale.accumulation_means(MICRO_BATCHES)[0]


@accum_mean_of_means.check
def _(value: float) -> None:
    assert Fraction(value) == Fraction(2 + 5, 2)


@claim(
    "scale-accum-token-mean",
    "The mean over all seven tokens of the same micro-batches, what one large batch gives.",
    reference="exact fractions: $(6 \\cdot 2 + 5) / 7$",
    fmt="{:.2f}",
)
def accum_token_mean() -> float:
    return scale.accumulation_means(MICRO_BATCHES)[1]


@accum_token_mean.check
def _(value: float) -> None:
    assert abs(Fraction(value) - Fraction(6 * 2 + 5, 7)) < Fraction(1, 10**15)
    counts = Counter(len(b) for b in MICRO_BATCHES)
    assert counts == {6: 1, 1: 1}


# --- the first exercise: a loss of ln 4 nats per token, 4 bytes per token ------------------

_EXERCISE_NATS = float(np.log(4.0))
_EXERCISE_BYTES_PER_TOKEN = 4


@claim(
    "scale-exercise-ppl",
    "The perplexity of a model whose loss is $\\ln 4$ nats per token: $e^{\\ln 4}$.",
    reference="SymPy: $e^{\\ln 4}$ simplifies to 4",
    fmt="{:.0f}",
)
def exercise_ppl() -> float:
    return float(scale.perplexity(_EXERCISE_NATS))


@exercise_ppl.check
def _(value: float) -> None:
    import sympy

    exact = sympy.exp(sympy.log(4))
    assert exact == 4 and abs(value - float(exact)) < 1e-12


@claim(
    "scale-exercise-second-bits-per-byte",
    "Bits per byte of the second model of exercise 1: perplexity 3 per token, tokens of 2 "
    "bytes, so $\\log_2 3 / 2$.",
    reference="mpmath at 50 digits: $\\log 3 / (2 \\log 2)$",
    fmt="{:.2f}",
)
def exercise_second_bits_per_byte() -> float:
    return float(scale.bits_per_byte(np.log(3.0), 1, 2))


@exercise_second_bits_per_byte.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = mpmath.log(3) / (2 * mpmath.log(2))
        assert abs(value - exact) < 1e-14


@claim(
    "scale-exercise-bits-per-token",
    "Bits per token of the same model: $\\ln 4 / \\ln 2$, that is $\\log_2 4$.",
    reference="SymPy: $\\log 4 / \\log 2$ simplifies to 2",
    fmt="{:.0f}",
)
def exercise_bits_per_token() -> float:
    return float(scale.bits_per_token(_EXERCISE_NATS))


@exercise_bits_per_token.check
def _(value: float) -> None:
    import sympy

    exact = sympy.simplify(sympy.log(4) / sympy.log(2))
    assert exact == 2 and abs(value - float(exact)) < 1e-12


@claim(
    "scale-exercise-bits-per-byte",
    "Bits per byte of the same model when each token covers 4 bytes: 2 bits over 4 bytes.",
    reference="exact fractions: $2 / 4$, from SymPy's $\\log_2 4$",
    fmt="{:.1f}",
)
def exercise_bits_per_byte() -> float:
    tokens = 1000  # any number of tokens: only the bytes per token matter
    return float(scale.bits_per_byte(_EXERCISE_NATS, tokens, tokens * _EXERCISE_BYTES_PER_TOKEN))


@exercise_bits_per_byte.check
def _(value: float) -> None:
    assert abs(value - float(Fraction(2, _EXERCISE_BYTES_PER_TOKEN))) < 1e-12


# --- loss scaling in float16 ----------------------------------------------------------------

#: A wrong class of probability 1e-4, in the mean loss over a sequence of TOKENS tokens.
_SMALL_P = 1e-4
#: The loss scale: the gradient is multiplied by it before it meets float16.
LOSS_SCALE = 2.0**16


def _small_gradient() -> float:
    """The gradient of the mean loss on that logit: :math:`p_j / N`."""
    return _SMALL_P / TOKENS


@claim(
    "scale-fp16-small-gradient",
    "The gradient of the mean loss over 8192 tokens on a logit whose class has probability "
    "$10^{-4}$: $p_j / N$.",
    reference="exact fractions: $10^{-4} / 8192$",
    fmt="{:.1e}",
)
def fp16_small_gradient() -> float:
    return _small_gradient()


@fp16_small_gradient.check
def _(value: float) -> None:
    exact = Fraction(1, 10**4 * TOKENS)
    assert abs(Fraction(value) - exact) <= exact / 2**52


@claim(
    "scale-fp16-small-gradient-rounded",
    "That gradient stored in float16: it is below half the smallest positive float16, "
    "$2^{-25}$, and rounds to 0.",
    reference="IEEE 754 in exact fractions: the gradient is below $2^{-25}$, so the nearest "
    "float16, with ties to even, is 0",
    fmt="{:g}",
)
def fp16_small_gradient_rounded() -> float:
    return float(np.float16(_small_gradient()))


@fp16_small_gradient_rounded.check
def _(value: float) -> None:
    assert value == 0.0
    assert Fraction(1, 10**4 * TOKENS) < Fraction(1, 2**25)


@claim(
    "scale-fp16-scaled-gradient",
    "The same gradient with the loss multiplied by $2^{16}$ first, stored in float16: a normal "
    "float16 with 11 significant bits.",
    reference="exact fractions: $2^{16} \\cdot 10^{-4} / 8192$ lies between $2^{-11}$ and "
    "$2^{-10}$, far above float16's smallest normal number $2^{-14}$",
    fmt="{:.1e}",
)
def fp16_scaled_gradient() -> float:
    return float(np.float16(LOSS_SCALE * _small_gradient()))


@fp16_scaled_gradient.check
def _(value: float) -> None:
    exact = Fraction(2**16, 10**4 * TOKENS)
    assert Fraction(1, 2**11) < exact < Fraction(1, 2**10)
    assert abs(Fraction(value) - exact) <= Fraction(1, 2**22)  # half a float16 spacing there


# --- choosing a chunk size --------------------------------------------------------------------

#: The memory the fused loss may spend on its one chunk of float32 logits.
CHUNK_BUDGET = 256 * 2**20


@claim(
    "scale-exercise-chunk-rows",
    "The most rows of float32 logits over Llama 3's vocabulary that fit in 256 MiB.",
    reference="exact integer arithmetic: $\\lfloor 2^{28} / (128256 \\cdot 4) \\rfloor$",
    fmt="{:d}",
)
def exercise_chunk_rows() -> int:
    return CHUNK_BUDGET // scale.logits_bytes(1, VOCAB, 4)


@exercise_chunk_rows.check
def _(value: int) -> None:
    assert value * VOCAB * 4 <= 2**28 < (value + 1) * VOCAB * 4


# --- scaling laws ----------------------------------------------------------------------------

#: Chinchilla: 70 billion parameters trained on 1.4 trillion tokens.
CHINCHILLA = (70 * 10**9, 14 * 10**11)


def _mp_chinchilla() -> mpmath.mpf:
    """Hoffmann et al.'s fitted law at Chinchilla's size, at 50 digits, with the constants
    typed from the paper (approach 3): E = 1.69, A = 406.4, B = 410.7, a = 0.34, b = 0.28."""
    n_p, n_t = CHINCHILLA
    with mpmath.workdps(DIGITS):
        return (
            mpmath.mpf("1.69")
            + mpmath.mpf("406.4") / mpmath.mpf(n_p) ** mpmath.mpf("0.34")
            + mpmath.mpf("410.7") / mpmath.mpf(n_t) ** mpmath.mpf("0.28")
        )


@claim(
    "scale-chinchilla-loss",
    "The loss, in nats per token, that Hoffmann et al.'s fitted scaling law predicts for "
    "Chinchilla (70 billion parameters, 1.4 trillion tokens): "
    "$1.69 + 406.4 / N_p^{0.34} + 410.7 / N_t^{0.28}$.",
    reference="mpmath at 50 digits, with the paper's published constants (Hoffmann et al., "
    "2022, approach 3) typed into the check",
    fmt="{:.2f}",
)
def chinchilla_loss() -> float:
    return scale.scaling_law_loss(*CHINCHILLA)


@chinchilla_loss.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(value - _mp_chinchilla()) < 1e-12


@claim(
    "scale-chinchilla-floor-share",
    "The share of that predicted loss that is the fitted constant $E = 1.69$, the part no "
    "larger model or longer training removes.",
    reference="mpmath at 50 digits: $1.69$ over the law evaluated with the paper's constants",
    fmt="{:.0%}",
)
def chinchilla_floor_share() -> float:
    return scale.CHINCHILLA_FIT["E"] / scale.scaling_law_loss(*CHINCHILLA)


@chinchilla_floor_share.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(value - mpmath.mpf("1.69") / _mp_chinchilla()) < 1e-12


#: The width of a vocabulary tile in the chunk-size exercise.
EXERCISE_TILE = 4096


@claim(
    "scale-exercise-tiled-rows",
    "The most rows of float32 logits that fit in 256 MiB when each row holds only one tile of "
    "4096 logits.",
    reference="exact integer arithmetic: $2^{28} / (4096 \\cdot 4) = 2^{14}$",
    fmt="{:,d}",
)
def exercise_tiled_rows() -> int:
    return CHUNK_BUDGET // scale.logits_bytes(1, EXERCISE_TILE, 4)


@exercise_tiled_rows.check
def _(value: int) -> None:
    assert value == 2**14


def _mp_optimal_params(budget: mpmath.mpf) -> mpmath.mpf:
    """The compute-optimal number of parameters at ``N_p N_t = budget``, by minimising the law
    with the paper's constants typed in, at 50 digits (a root of the derivative in log N_p)."""
    a, b = mpmath.mpf("0.34"), mpmath.mpf("0.28")
    big_a, big_b = mpmath.mpf("406.4"), mpmath.mpf("410.7")

    def slope(log_np: mpmath.mpf) -> mpmath.mpf:
        return mpmath.diff(
            lambda u: big_a * mpmath.exp(-a * u) + big_b * (budget / mpmath.exp(u)) ** (-b),
            log_np,
        )

    return mpmath.exp(mpmath.findroot(slope, mpmath.log(budget) / 2))


def _mp_params_exponent() -> mpmath.mpf:
    """The slope of log N_p* against log C between two budgets four orders of magnitude apart."""
    with mpmath.workdps(DIGITS):
        c1, c2 = mpmath.mpf(10) ** 20, mpmath.mpf(10) ** 24
        return mpmath.log(_mp_optimal_params(c2) / _mp_optimal_params(c1)) / mpmath.log(c2 / c1)


@claim(
    "scale-chinchilla-params-exponent",
    "With Hoffmann et al.'s fitted exponents $a = 0.34$ and $b = 0.28$, the compute-optimal "
    "number of parameters grows as this power of the compute $N_f \\propto N_p N_t$: "
    "$b / (a + b)$.",
    reference="mpmath at 50 digits: the law minimised numerically at two budgets, "
    "$10^{20}$ and $10^{24}$, and the slope of $\\log N_p$ against $\\log N_f$",
    fmt="{:.2f}",
)
def chinchilla_params_exponent() -> float:
    return scale.compute_optimal_exponents()[0]


@chinchilla_params_exponent.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(value - _mp_params_exponent()) < 1e-9


@claim(
    "scale-chinchilla-tokens-exponent",
    "With the same fit, the compute-optimal number of training tokens grows as this power of "
    "the compute: $a / (a + b)$.",
    reference="mpmath at 50 digits: one minus the numerically fitted exponent of the parameters "
    "(the two exponents add to 1 because $N_p N_t$ is the budget)",
    fmt="{:.2f}",
)
def chinchilla_tokens_exponent() -> float:
    return scale.compute_optimal_exponents()[1]


@chinchilla_tokens_exponent.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(value - (1 - _mp_params_exponent())) < 1e-9


def _mp_ratio_exponent() -> mpmath.mpf:
    """The slope of log(N_t*/N_p*) against log F between two budgets, by numerical minimisation."""
    with mpmath.workdps(DIGITS):
        c1, c2 = mpmath.mpf(10) ** 20, mpmath.mpf(10) ** 24
        n1, n2 = _mp_optimal_params(c1), _mp_optimal_params(c2)
        return mpmath.log((c2 / n2**2) / (c1 / n1**2)) / mpmath.log(c2 / c1)


@claim(
    "scale-chinchilla-ratio-exponent",
    "With Hoffmann et al.'s fitted exponents, the compute-optimal number of training tokens per "
    "parameter grows as this power of the compute: $(a - b) / (a + b)$.",
    reference="mpmath at 50 digits: the law minimised numerically at budgets $10^{20}$ and "
    "$10^{24}$, and the slope of $\\log(N_t / N_p)$ against $\\log N_f$",
    fmt="{:.2f}",
)
def chinchilla_ratio_exponent() -> float:
    params, tokens = scale.compute_optimal_exponents()
    return tokens - params


@chinchilla_ratio_exponent.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(value - _mp_ratio_exponent()) < 1e-9


@claim(
    "scale-chinchilla-ratio-growth-1000",
    "With the same fit, the factor by which the compute-optimal tokens per parameter grow when "
    "the compute budget grows a thousandfold.",
    reference="mpmath at 50 digits: the law minimised numerically at budgets $10^{21}$ and "
    "$10^{24}$, and the ratio of the two optimal tokens-per-parameter",
    fmt="{:.2f}",
)
def chinchilla_ratio_growth_1000() -> float:
    params, tokens = scale.compute_optimal_exponents()
    return 1000.0 ** (tokens - params)


@chinchilla_ratio_growth_1000.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        c1, c2 = mpmath.mpf(10) ** 21, mpmath.mpf(10) ** 24
        n1, n2 = _mp_optimal_params(c1), _mp_optimal_params(c2)
        assert abs(value - (c2 / n2**2) / (c1 / n1**2)) < 1e-9


#: Chinchilla's training compute, about 6 N_p N_t floating-point operations.
CHINCHILLA_FLOPS = 6 * CHINCHILLA[0] * CHINCHILLA[1]


@claim(
    "scale-chinchilla-flops",
    "Chinchilla's training compute, $6 N_p N_t$ floating-point operations for 70 billion "
    "parameters and 1.4 trillion tokens.",
    reference="exact integer arithmetic",
    fmt="{:.2e}",
)
def chinchilla_flops() -> float:
    return float(scale.FLOPS_PER_PARAM_TOKEN * CHINCHILLA[0] * CHINCHILLA[1])


@chinchilla_flops.check
def _(value: float) -> None:
    assert value == float(Fraction(588) * 10**21)


def _mp_optimum(flops: int) -> tuple[mpmath.mpf, mpmath.mpf]:
    """Parameters and tokens per parameter minimising the law at ``flops`` = 6 N_p N_t, found
    numerically at 50 digits from the constants typed in the check."""
    with mpmath.workdps(DIGITS):
        pairs = mpmath.mpf(flops) / 6
        n_p = _mp_optimal_params(pairs)
        return n_p, pairs / n_p**2


@claim(
    "scale-chinchilla-optimal-params-billions",
    "The number of parameters, in billions, at which the printed fit is lowest for Chinchilla's "
    "compute budget ($6 N_p N_t$ fixed): `ce_book.scale.compute_optimal_split`.",
    reference="mpmath at 50 digits: the law minimised numerically over $\\log N_p$, with the "
    "paper's constants typed into the check",
    fmt="{:.0f}",
)
def chinchilla_optimal_params() -> float:
    return scale.compute_optimal_split(CHINCHILLA_FLOPS)[0] / 1e9


@chinchilla_optimal_params.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(value - _mp_optimum(CHINCHILLA_FLOPS)[0] / 10**9) < 1e-9 * value


@claim(
    "scale-chinchilla-optimal-tokens-per-param",
    "The tokens per parameter at the printed fit's optimum for Chinchilla's compute budget.",
    reference="mpmath at 50 digits: the law minimised numerically, with the paper's constants "
    "typed into the check",
    fmt="{:.0f}",
)
def chinchilla_optimal_tokens_per_param() -> float:
    n_p, n_t = scale.compute_optimal_split(CHINCHILLA_FLOPS)
    return n_t / n_p


@chinchilla_optimal_tokens_per_param.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(value - _mp_optimum(CHINCHILLA_FLOPS)[1]) < 1e-9 * value


@claim(
    "scale-chinchilla-optimal-tokens-per-param-1000",
    "The tokens per parameter at the printed fit's optimum for a thousand times Chinchilla's "
    "compute budget.",
    reference="mpmath at 50 digits: the law minimised numerically, with the paper's constants "
    "typed into the check",
    fmt="{:.0f}",
)
def chinchilla_optimal_tokens_per_param_1000() -> float:
    n_p, n_t = scale.compute_optimal_split(1000 * CHINCHILLA_FLOPS)
    return n_t / n_p


@chinchilla_optimal_tokens_per_param_1000.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(value - _mp_optimum(1000 * CHINCHILLA_FLOPS)[1]) < 1e-9 * value


@claim(
    "scale-ratio-from-20-1000",
    "Chinchilla's 20 tokens per parameter multiplied by the printed fit's growth factor for a "
    "thousandfold budget: the ratio a reader who starts from 20 would predict.",
    reference="mpmath at 50 digits: 20 times the ratio of the optimal tokens per parameter at "
    "$10^{24}$ and $10^{21}$, each found by minimising the law numerically",
    fmt="{:.0f}",
)
def ratio_from_20_1000() -> float:
    return 20 * chinchilla_ratio_growth_1000()


@ratio_from_20_1000.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        c1, c2 = mpmath.mpf(10) ** 21, mpmath.mpf(10) ** 24
        n1, n2 = _mp_optimal_params(c1), _mp_optimal_params(c2)
        assert abs(value - 20 * (c2 / n2**2) / (c1 / n1**2)) < 1e-8
