"""ce_book.scale against PyTorch (autograd), mpmath at 50 digits, exact arithmetic, and itself
under every chunking; bad input; the precision facts of chapter 9 against live PyTorch."""

from __future__ import annotations

import math
import tracemalloc
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ce_book import scale as S
from ce_book.reference import DIGITS

CHUNKINGS = [(None, None), (1, None), (7, None), (7, 5), (1, 1), (64, 3), (3, 64)]


def _problem(rng, n=37, d=6, v=23, dtype=np.float64, spread=2.0, ignored=(3, 11)):
    h = (rng.standard_normal((n, d)) * spread).astype(dtype)
    w = (rng.standard_normal((v, d)) * spread).astype(dtype)
    y = rng.integers(0, v, size=n)
    y[list(ignored)] = -100
    return h, w, y


def _torch_reference(torch, h, w, y, reduction):
    """Loss and gradients of F.cross_entropy(h @ W.T, y) by autograd, in float64."""
    ht = torch.tensor(h, dtype=torch.float64, requires_grad=True)
    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(ht @ wt.T, torch.tensor(y), reduction=reduction)
    loss.sum().backward()
    return loss.detach().numpy(), ht.grad.numpy(), wt.grad.numpy()


def _rel(got, ref) -> float:
    got, ref = np.asarray(got, np.float64), np.asarray(ref, np.float64)
    return float(np.max(np.abs(got - ref)) / np.max(np.abs(ref)))


# --- fused linear + cross-entropy against PyTorch ---------------------------------------------


@pytest.mark.torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(("chunk", "tile"), CHUNKINGS)
def test_float64_matches_torch_autograd(torch, rng, reduction, chunk, tile) -> None:
    h, w, y = _problem(rng)
    ref_loss, ref_gh, ref_gw = _torch_reference(torch, h, w, y, reduction)
    kw = {"chunk_size": chunk, "vocab_chunk_size": tile, "reduction": reduction}
    loss, gh, gw = S.linear_cross_entropy_and_grad(h, w, y, **kw)
    assert loss.dtype == gh.dtype == gw.dtype == np.float64
    assert gh.shape == h.shape and gw.shape == w.shape
    assert _rel(loss, ref_loss) < 1e-12
    assert _rel(gh, ref_gh) < 1e-12
    assert _rel(gw, ref_gw) < 1e-12
    np.testing.assert_array_equal(S.linear_cross_entropy(h, w, y, **kw), loss)


@pytest.mark.torch
@pytest.mark.parametrize(("chunk", "tile"), CHUNKINGS)
def test_float32_is_within_1e_5_of_the_float64_loss(torch, rng, chunk, tile) -> None:
    h, w, y = _problem(rng, n=64, d=16, v=300, spread=1.5)
    ref_loss, ref_gh, ref_gw = _torch_reference(torch, h, w, y, "mean")
    h32, w32 = h.astype(np.float32), w.astype(np.float32)
    loss, gh, gw = S.linear_cross_entropy_and_grad(
        h32, w32, y, chunk_size=chunk, vocab_chunk_size=tile
    )
    assert loss.dtype == gh.dtype == gw.dtype == np.float32
    assert abs(float(loss) - float(ref_loss)) <= 1e-5 * float(ref_loss)
    assert _rel(gh, ref_gh) < 1e-5 and _rel(gw, ref_gw) < 1e-5


@pytest.mark.torch
def test_large_logits_and_a_large_vocabulary(torch, rng) -> None:
    """Logits of size ~1e3 (exp would overflow) and V = 5000 across uneven tiles."""
    h, w, y = _problem(rng, n=20, d=4, v=5000, spread=12.0, ignored=())
    ref_loss, ref_gh, ref_gw = _torch_reference(torch, h, w, y, "sum")
    loss, gh, gw = S.linear_cross_entropy_and_grad(
        h, w, y, chunk_size=6, vocab_chunk_size=777, reduction="sum"
    )
    assert np.abs(h @ w.T).max() > 800
    assert _rel(loss, ref_loss) < 1e-12 and _rel(gh, ref_gh) < 1e-12 and _rel(gw, ref_gw) < 1e-12


# --- against mpmath ----------------------------------------------------------------------------


def _mp_losses(h, w, y) -> list[mpmath.mpf]:
    """-log softmax(W h_n)_{y_n} at 50 digits from the exact floats, as log(1 + sum e^{z - z_y})."""
    out = []
    with mpmath.workdps(DIGITS):
        for hn, yn in zip(h, y, strict=True):
            z = [
                mpmath.fsum(
                    mpmath.mpf(float(a)) * mpmath.mpf(float(b)) for a, b in zip(hn, wr, strict=True)
                )
                for wr in w
            ]
            out.append(
                mpmath.log1p(
                    mpmath.fsum(mpmath.exp(zj - z[yn]) for j, zj in enumerate(z) if j != yn)
                )
            )
    return out


@pytest.mark.parametrize(("chunk", "tile"), CHUNKINGS)
def test_per_token_losses_match_mpmath_including_tiny_ones(chunk, tile) -> None:
    """Rows 0-2: the true class leads by about 40, so the loss is ~1e-17 (log1p keeps it)."""
    rng = np.random.default_rng(7)
    h, w, y = _problem(rng, n=12, d=3, v=9, ignored=())
    w[0] = [20.0, 0.0, 0.0]
    h[:3] = [[2.0, 0.0, 0.0]] * 3
    w[1:, 0] = 0.0
    y[:3] = 0
    got = S.linear_cross_entropy(h, w, y, chunk_size=chunk, vocab_chunk_size=tile, reduction="none")
    for g, exact in zip(got, _mp_losses(h, w, y), strict=True):
        with mpmath.workdps(DIGITS):
            assert abs(mpmath.mpf(float(g)) - exact) <= 1e-14 * exact
    assert 0 < got[0] < 1e-15


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(np.float64, st.integers(1, 12), elements=st.floats(-1e4, 1e4)),
    st.integers(1, 13),
)
def test_online_logsumexp_matches_mpmath(z, tile) -> None:
    with mpmath.workdps(DIGITS):
        exact = mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(float(v))) for v in z))
        got = S.online_logsumexp(z, tile_size=tile)
        assert abs(mpmath.mpf(float(got)) - exact) <= 4e-16 * max(abs(exact), 1)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 9),
    st.integers(1, 12),
    st.integers(1, 12),
    st.integers(1, 12),
    st.integers(0, 2**32 - 1),
)
def test_every_chunking_gives_the_same_loss_and_gradients(n, v, chunk, tile, seed) -> None:
    rng = np.random.default_rng(seed)
    h, w, y = _problem(rng, n=n, d=3, v=v, ignored=())
    whole = S.linear_cross_entropy_and_grad(h, w, y, reduction="sum")
    parts = S.linear_cross_entropy_and_grad(
        h, w, y, chunk_size=chunk, vocab_chunk_size=tile, reduction="sum"
    )
    for a, b in zip(whole, parts, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_gradients_match_central_differences(rng) -> None:
    from ce_book.gradients import numerical_gradient

    h, w, y = _problem(rng, n=5, d=3, v=4, ignored=(1,))
    _, gh, gw = S.linear_cross_entropy_and_grad(h, w, y, chunk_size=2, vocab_chunk_size=3)
    num_h = numerical_gradient(
        lambda x: float(S.linear_cross_entropy(x.reshape(h.shape), w, y)), h.ravel()
    )
    num_w = numerical_gradient(
        lambda x: float(S.linear_cross_entropy(h, x.reshape(w.shape), y)), w.ravel()
    )
    np.testing.assert_allclose(gh.ravel(), num_h, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(gw.ravel(), num_w, rtol=1e-6, atol=1e-9)


def test_memory_stays_a_fraction_of_the_logits() -> None:
    rng = np.random.default_rng(1)
    n, d, v = 512, 32, 4096
    h, w, y = _problem(rng, n=n, d=d, v=v, dtype=np.float32, spread=0.3, ignored=())
    tracemalloc.start()
    out = S.linear_cross_entropy_and_grad(h, w, y, chunk_size=32)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    extra = peak - sum(o.nbytes for o in out)
    assert extra <= n * v * 4 / 8


# --- units, memory, regularisers, accumulation -----------------------------------------------


def test_unit_conversions_against_mpmath() -> None:
    nats = 2.75
    with mpmath.workdps(DIGITS):
        x = mpmath.mpf(nats)
        assert float(S.perplexity(nats)) == pytest.approx(float(mpmath.exp(x)), rel=1e-15)
        assert float(S.bits_per_token(nats)) == pytest.approx(float(x / mpmath.log(2)), rel=1e-15)
        bpb = x * 1000 / (4321 * mpmath.log(2))
        assert float(S.bits_per_byte(nats, 1000, 4321)) == pytest.approx(float(bpb), rel=1e-15)
    assert math.log2(float(S.perplexity(nats))) == pytest.approx(float(S.bits_per_token(nats)))


def test_logits_bytes_is_exact_integer_arithmetic() -> None:
    assert S.logits_bytes(8192, 128256, 4) == 8192 * 128256 * 4
    assert S.logits_bytes(8192, 128256, 4) / 2**30 == 3.9140625
    assert S.logits_bytes(1, 1, 2) == 2


def test_tokenizers_cover_the_text_and_the_unigram_entropy_is_exact() -> None:
    text = "the cat sat on the mat, the end."
    for how in ("chars", "words"):
        tokens = S.tokenize(text, how)
        assert "".join(tokens) == text
        n = len(tokens)
        counts = {t: tokens.count(t) for t in set(tokens)}
        with mpmath.workdps(DIGITS):
            exact = -mpmath.fsum(
                mpmath.mpf(c) / n * mpmath.log(mpmath.mpf(c) / n) for c in counts.values()
            )
            assert S.unigram_nats(tokens) == pytest.approx(float(exact), rel=1e-14)


@pytest.mark.torch
def test_z_loss_and_its_gradient_match_torch_autograd(torch, rng) -> None:
    z = rng.standard_normal((6, 9)) * 5 + 3
    zt = torch.tensor(z, requires_grad=True)
    ref = 1e-4 * torch.logsumexp(zt, dim=-1) ** 2
    ref.sum().backward()
    np.testing.assert_allclose(S.z_loss(z), ref.detach().numpy(), rtol=1e-14)
    np.testing.assert_allclose(S.z_loss_grad(z), zt.grad.numpy(), rtol=1e-13)


def test_z_loss_against_mpmath() -> None:
    z = [3.0, -1.0, 0.5]
    with mpmath.workdps(DIGITS):
        lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in z))
        assert float(S.z_loss(z, coefficient=0.5)) == pytest.approx(float(0.5 * lse**2), rel=1e-15)
        grad = [2 * 0.5 * lse * mpmath.exp(v - lse) for v in z]
    np.testing.assert_allclose(
        S.z_loss_grad(z, coefficient=0.5), [float(g) for g in grad], rtol=1e-14
    )


@pytest.mark.torch
def test_soft_cap_and_its_gradient_match_torch_autograd(torch, rng) -> None:
    z = rng.standard_normal(50) * 40
    zt = torch.tensor(z, requires_grad=True)
    ref = 30.0 * torch.tanh(zt / 30.0)
    ref.sum().backward()
    np.testing.assert_allclose(S.soft_cap(z, 30.0), ref.detach().numpy(), rtol=1e-14)
    np.testing.assert_allclose(S.soft_cap_grad(z, 30.0), zt.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_accumulation_means_against_fractions() -> None:
    batches = [[0.5, 1.5, 2.0, 1.0], [3.0], [0.25, 0.75]]
    fr = [[Fraction(x) for x in b] for b in batches]
    mean_of_means = sum(sum(b) / len(b) for b in fr) / len(fr)
    token_mean = sum(sum(b) for b in fr) / sum(len(b) for b in fr)
    got = S.accumulation_means(batches)
    assert got == (
        pytest.approx(float(mean_of_means), rel=1e-15),
        pytest.approx(float(token_mean), rel=1e-15),
    )
    equal = S.accumulation_means([[1.0, 2.0], [3.0, 5.0]])
    assert equal[0] == equal[1]


# --- bad input ----------------------------------------------------------------------------------

H = np.ones((3, 2))
W = np.ones((4, 2))
Y = np.array([0, 1, 3])
BAD = {
    "hidden NaN": (lambda: S.linear_cross_entropy([[np.nan, 0.0]], W, [0]), ValueError, "hidden"),
    "hidden inf": (lambda: S.linear_cross_entropy([[np.inf, 0.0]], W, [0]), ValueError, "hidden"),
    "hidden 1-d": (lambda: S.linear_cross_entropy(np.ones(2), W, [0]), ValueError, "hidden"),
    "hidden strings": (lambda: S.linear_cross_entropy([["a", "b"]], W, [0]), TypeError, "hidden"),
    "hidden float16": (
        lambda: S.linear_cross_entropy(H.astype(np.float16), W, Y),
        TypeError,
        "hidden",
    ),
    "hidden empty mean": (
        lambda: S.linear_cross_entropy(np.ones((0, 2)), W, np.zeros(0, int)),
        ValueError,
        "hidden",
    ),
    "weight dtype": (
        lambda: S.linear_cross_entropy(H.astype(np.float32), W, Y),
        TypeError,
        "weight",
    ),
    "weight width": (lambda: S.linear_cross_entropy(H, np.ones((4, 3)), Y), ValueError, "weight"),
    "weight no rows": (lambda: S.linear_cross_entropy(H, np.ones((0, 2)), Y), ValueError, "weight"),
    "weight NaN": (lambda: S.linear_cross_entropy(H, W * np.nan, Y), ValueError, "weight"),
    "target shape": (lambda: S.linear_cross_entropy(H, W, [0, 1]), ValueError, "target"),
    "target high": (lambda: S.linear_cross_entropy(H, W, [0, 1, 4]), ValueError, "target"),
    "target negative": (lambda: S.linear_cross_entropy(H, W, [0, 1, -1]), ValueError, "target"),
    "target float": (lambda: S.linear_cross_entropy(H, W, [0.0, 1.0, 2.0]), TypeError, "target"),
    "target bool": (lambda: S.linear_cross_entropy(H, W, [True, False, True]), TypeError, "target"),
    "all ignored mean": (lambda: S.linear_cross_entropy(H, W, [-100] * 3), ValueError, "target"),
    "reduction": (
        lambda: S.linear_cross_entropy(H, W, Y, reduction="avg"),
        ValueError,
        "reduction",
    ),
    "ignore_index": (
        lambda: S.linear_cross_entropy(H, W, Y, ignore_index=1.5),
        TypeError,
        "ignore_index",
    ),
    "chunk_size zero": (
        lambda: S.linear_cross_entropy(H, W, Y, chunk_size=0),
        ValueError,
        "chunk_size",
    ),
    "chunk_size float": (
        lambda: S.linear_cross_entropy(H, W, Y, chunk_size=2.0),
        TypeError,
        "chunk_size",
    ),
    "vocab_chunk_size": (
        lambda: S.linear_cross_entropy_and_grad(H, W, Y, vocab_chunk_size=-1),
        ValueError,
        "vocab_chunk_size",
    ),
    "grad target high": (
        lambda: S.linear_cross_entropy_and_grad(H, W, [9, 0, 0]),
        ValueError,
        "target",
    ),
    "tile_size": (lambda: S.online_logsumexp([1.0], tile_size=0), ValueError, "tile_size"),
    "z NaN": (lambda: S.online_logsumexp([np.nan]), ValueError, "z"),
    "z empty": (lambda: S.online_logsumexp([]), ValueError, "z"),
    "trace rows": (lambda: S.online_logsumexp_trace([[1.0, 2.0]], 1), ValueError, "z"),
    "trace tile": (lambda: S.online_logsumexp_trace([1.0], 0), ValueError, "tile_size"),
    "trace tile None": (lambda: S.online_logsumexp_trace([1.0], None), ValueError, "tile_size"),
    "split flops": (lambda: S.compute_optimal_split(0.0), ValueError, "flops"),
    "split fit": (
        lambda: S.compute_optimal_split(1e21, {**S.CHINCHILLA_FIT, "a": 0.0}),
        ValueError,
        "fit",
    ),
    "end marks chars": (
        lambda: S.held_out_nats("a", "a", "chars", end_marks=True),
        ValueError,
        "end_marks",
    ),
    "perplexity negative": (lambda: S.perplexity(-1.0), ValueError, "nats_per_token"),
    "bits_per_byte bytes": (lambda: S.bits_per_byte(1.0, 10, 0), ValueError, "n_bytes"),
    "logits_bytes vocab": (lambda: S.logits_bytes(10, 0), ValueError, "vocab_size"),
    "z_loss coefficient": (lambda: S.z_loss([1.0], coefficient=-1.0), ValueError, "coefficient"),
    "z_loss logits inf": (lambda: S.z_loss([np.inf, 0.0]), ValueError, "logits"),
    "soft_cap zero": (lambda: S.soft_cap([1.0], 0.0), ValueError, "cap"),
    "soft_cap string": (lambda: S.soft_cap_grad([1.0], "30"), TypeError, "cap"),
    "tokenize how": (lambda: S.tokenize("ab", "bytes"), ValueError, "how"),
    "unigram empty": (lambda: S.unigram_nats([]), ValueError, "tokens"),
    "held_out empty": (lambda: S.held_out_nats("", "a", "chars"), ValueError, "train_text"),
    "held_out bytes": (lambda: S.held_out_nats("a", b"a", "chars"), TypeError, "test_text"),
    "held_out how": (lambda: S.held_out_nats("a", "a", "bytes"), ValueError, "how"),
    "accumulation empty": (lambda: S.accumulation_means([]), ValueError, "micro_batches"),
    "accumulation 2-d": (lambda: S.accumulation_means([[[1.0]]]), ValueError, "micro_batches"),
}


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_bad_input_names_the_argument(case) -> None:
    call, exc, name = case
    with pytest.raises(exc, match=rf"^{name}: "):
        call()


def test_target_messages_match_losses_cross_entropy() -> None:
    from ce_book.losses import cross_entropy

    with pytest.raises(ValueError) as ours:
        S.linear_cross_entropy(H, W, [0, 1, 4])
    with pytest.raises(ValueError) as theirs:
        cross_entropy(H @ W.T, [0, 1, 4])
    assert str(ours.value) == str(theirs.value)


# --- precision facts, against live PyTorch ------------------------------------------------------


@pytest.mark.torch
def test_float16_exp_overflows_just_above_11_09(torch) -> None:
    limit = float(np.log(np.finfo(np.float16).max))
    assert round(limit, 2) == 11.09
    below = torch.tensor(np.nextafter(np.float16(limit), np.float16(0)), dtype=torch.float16)
    assert torch.isfinite(torch.exp(below)) and torch.isinf(
        torch.exp(torch.tensor(11.1, dtype=torch.float16))
    )


@pytest.mark.torch
@pytest.mark.parametrize(("dtype", "first_zero"), [("bfloat16", 7), ("float16", 9)])
def test_low_precision_cross_entropy_is_exactly_zero_from_a_lead(torch, dtype, first_zero) -> None:
    ce = torch.nn.functional.cross_entropy

    def loss(g):
        return float(
            ce(torch.tensor([[float(g), 0.0, 0.0]], dtype=getattr(torch, dtype)), torch.tensor([0]))
        )

    assert loss(first_zero - 1) > 0
    assert all(loss(g) == 0 for g in range(first_zero, first_zero + 30))
    assert (
        float(ce(torch.tensor([[float(first_zero), 0.0, 0.0]]), torch.tensor([0]))) > 0
    )  # float32


@pytest.mark.torch
def test_autocast_computes_the_loss_in_float32(torch) -> None:
    x, w = torch.randn(4, 8), torch.randn(5, 8)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        logits = torch.nn.functional.linear(x, w)
        loss = torch.nn.functional.cross_entropy(logits, torch.tensor([0, 1, 2, 3]))
    assert logits.dtype == torch.bfloat16
    assert loss.dtype == torch.float32


def test_held_out_nats_against_counts_made_by_hand() -> None:
    # train "ab a" in words: tokens ab, " ", a (N = 3, K = 3, so 7 slots); test "ab b":
    # ab seen once (2/7), " " seen once (2/7), b unknown (1/7) and spelled from the character
    # model of "ab a" (a twice, b once, space once: 4 characters, 3 distinct, 8 slots), 2/8
    with mpmath.workdps(DIGITS):
        exact = -mpmath.log(mpmath.mpf(2) / 7 * mpmath.mpf(2) / 7 * mpmath.mpf(1) / 7 * 2 / 8)
        assert S.held_out_nats("ab a", "ab b", "words") == pytest.approx(float(exact), rel=1e-15)
        unspelled = -mpmath.log(mpmath.mpf(2) / 7 * mpmath.mpf(2) / 7 / 7)
        got = S.held_out_nats("ab a", "ab b", "words", spell=False)
        assert got == pytest.approx(float(unspelled), rel=1e-15)
        # characters: c is unknown (1/8) and spelled as one byte of 8 bits; an unseen
        # character inside an unknown word is spelled the same way
        chars = -mpmath.log(mpmath.mpf(3) / 8 / 8 / 256)
        assert S.held_out_nats("ab a", "ac", "chars") == pytest.approx(float(chars), rel=1e-15)
        word = -mpmath.log(mpmath.mpf(1) / 7 * mpmath.mpf(3) / 8 / 8 / 256)
        assert S.held_out_nats("ab a", "ac", "words") == pytest.approx(float(word), rel=1e-15)


def test_on_the_essay_perplexity_and_bits_per_byte_disagree() -> None:
    # the lab's point: the character model has the lower perplexity, the word model the lower
    # bits per byte, once unknown words are paid for
    cut = S.ESSAY.index("\n\n", len(S.ESSAY) // 2)
    train, test = S.ESSAY[:cut], S.ESSAY[cut:]
    per_token = {}
    per_byte = {}
    for how in ("chars", "words"):
        total = S.held_out_nats(train, test, how)
        per_token[how] = total / len(S.tokenize(test, how))
        per_byte[how] = total / len(test.encode())
    assert per_token["chars"] < per_token["words"]
    assert per_byte["words"] < per_byte["chars"]


def test_scaling_law_loss_is_the_fitted_formula_and_checks_its_input() -> None:
    fit = S.CHINCHILLA_FIT
    got = S.scaling_law_loss(70e9, 1.4e12)
    assert got == pytest.approx(
        fit["E"] + fit["A"] / 70e9 ** fit["a"] + fit["B"] / 1.4e12 ** fit["b"]
    )
    # more parameters or more tokens lower the loss, towards E
    assert S.scaling_law_loss(1e12, 1.4e12) < got
    assert S.scaling_law_loss(1e30, 1e30) == pytest.approx(fit["E"], abs=1e-5)
    for bad in (0, -1.0, float("nan"), True):
        with pytest.raises(ValueError, match="n_params"):
            S.scaling_law_loss(bad, 1e9)


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(np.float64, st.integers(1, 12), elements=st.floats(-50, 50)),
    st.integers(1, 5),
)
def test_online_trace_keeps_its_invariant(z, tile) -> None:
    # after k tiles, m is the largest logit seen and r the sum of e^(z - m) over the others
    trace = S.online_logsumexp_trace(z, tile)
    assert len(trace) == -(-len(z) // tile)
    with mpmath.workdps(DIGITS):
        for k, (m, r) in enumerate(trace, start=1):
            seen = z[: k * tile]
            assert m == seen.max()
            exact = mpmath.fsum(mpmath.exp(mpmath.mpf(float(v)) - mpmath.mpf(m)) for v in seen) - 1
            assert abs(mpmath.mpf(r) - exact) <= 1e-14 * max(exact, 1)
        assert trace[-1][0] + math.log1p(trace[-1][1]) == S.online_logsumexp(z, tile_size=tile)


def test_compute_optimal_split_minimises_the_law_at_its_budget() -> None:
    for flops in (1e20, 5.88e23, 1e27):
        n_p, n_t = S.compute_optimal_split(flops)
        assert 6 * n_p * n_t == pytest.approx(flops, rel=1e-12)
        best = S.scaling_law_loss(n_p, n_t)
        for step in (0.99, 1.01):  # a little more or less model, the same budget
            assert S.scaling_law_loss(n_p * step, n_t / step) > best
        # the first-order condition a A / N_p^a = b B / N_t^b
        f = S.CHINCHILLA_FIT
        assert f["a"] * f["A"] / n_p ** f["a"] == pytest.approx(
            f["b"] * f["B"] / n_t ** f["b"], rel=1e-12
        )
    # the exponents: parameters and tokens grow as these powers of the budget
    (p1, t1), (p2, t2) = S.compute_optimal_split(1e20), S.compute_optimal_split(1e24)
    e_p, e_t = S.compute_optimal_exponents()
    assert math.log(p2 / p1) / math.log(1e4) == pytest.approx(e_p, rel=1e-12)
    assert math.log(t2 / t1) / math.log(1e4) == pytest.approx(e_t, rel=1e-12)


def test_end_marks_charge_the_character_after_each_unknown_word() -> None:
    # train "ab a": words ab, " ", a; characters a twice, b once, space once (8 slots).
    # test "ab b": b is unknown; the character after it is the end of the text, charged as a
    # space (1 + 1)/8. In "ab c," both c and the comma are unknown tokens: c pays for the comma
    # after it, never seen (1/8 and 8 bits), and the comma for the end, a space (2/8).
    with mpmath.workdps(DIGITS):
        plain = S.held_out_nats("ab a", "ab b", "words")
        marked = S.held_out_nats("ab a", "ab b", "words", end_marks=True)
        assert marked - plain == pytest.approx(float(-mpmath.log(mpmath.mpf(2) / 8)), rel=1e-14)
        plain = S.held_out_nats("ab a", "ab c,", "words")
        marked = S.held_out_nats("ab a", "ab c,", "words", end_marks=True)
        extra = -mpmath.log(mpmath.mpf(1) / 8 / 256 * mpmath.mpf(2) / 8)
        assert marked - plain == pytest.approx(float(extra), rel=1e-14)
    # seen words pay nothing more
    assert S.held_out_nats("ab a", "ab a", "words", end_marks=True) == S.held_out_nats(
        "ab a", "ab a", "words"
    )


# --- the chapter's pointers into its lab ------------------------------------------------------

#: Every "the lab's exercise N" in chapter 9, by the words that follow it, and a phrase that
#: exercise N of the lab must contain. A new pointer needs an entry here, so a renumbering of
#: the lab's exercises cannot leave the chapter pointing at the wrong one.
_LAB_POINTERS = {
    "codes it": "the online step",
    "finds it for 50,000": "A vocabulary of 50,000 tokens",
}


def test_the_chapters_pointers_into_the_lab_name_the_right_exercises() -> None:
    import re
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs"
    chapter = " ".join((docs / "scale.md").read_text(encoding="utf-8").split())
    lab = (docs / "labs" / "scale.py").read_text(encoding="utf-8")
    bodies = {
        int(n): " ".join(re.sub(r"(?m)^# ?", "", body).split())
        for n, body in re.findall(r"(?ms)^# \*\*Exercise (\d+)\.\*\*(.*?)^# %%", lab)
    }
    pointers = re.findall(r"the lab's exercise (\d+) ([^.;)]*)", chapter)
    assert len(pointers) == len(_LAB_POINTERS)
    for number, following in pointers:
        phrase = next(
            (p for words, p in _LAB_POINTERS.items() if following.startswith(words)), None
        )
        assert phrase is not None, (
            f"no entry for the pointer 'the lab's exercise {number} {following}'"
        )
        assert phrase in bodies[int(number)], (number, following)
