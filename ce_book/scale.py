r"""Cross-entropy at the scale of language models, in NumPy alone (chapter 9).

- units: :func:`perplexity`, :func:`bits_per_token`, :func:`bits_per_byte`, and a tiny
  unigram model (:func:`unigram_nats`, in-sample, and :func:`held_out_nats`, fitted to one
  text and scored on another) on a text cut into characters or into words;
- scaling laws: :func:`scaling_law_loss`, with Hoffmann et al.'s fit :data:`CHINCHILLA_FIT`,
  and its compute-optimal split (:func:`compute_optimal_exponents`,
  :func:`compute_optimal_split`);
- memory: :func:`logits_bytes`, the size of the ``N x V`` logits a plain loss layer builds;
- the fused loss: :func:`linear_cross_entropy` and :func:`linear_cross_entropy_and_grad`
  compute :math:`\operatorname{CE}(h W^\top, y)` and its gradients for ``hidden`` ``(N, d)``
  and ``weight`` ``(V, d)`` without ever holding the ``N x V`` logits: rows are taken in
  chunks, and within a chunk the vocabulary in tiles, joined by the online log-sum-exp
  (:func:`online_logsumexp`);
- the regularisers of large models: :func:`z_loss` (PaLM) and :func:`soft_cap` (Gemma 2),
  with their gradients;
- :func:`accumulation_means`: the gradient-accumulation trap, mean of means versus token mean.

Validation follows :func:`ce_book.losses.cross_entropy`: bad input raises ``ValueError`` or
``TypeError`` whose message starts with the argument's name.
"""

from __future__ import annotations

import math
import numbers
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from ce_book._checks import as_float, as_logits, check_ignore_index, check_reduction
from ce_book._targets import _class_targets

try:  # BLAS that accumulates in place (beta = 1): grad_weight needs no temporary
    from scipy.linalg import blas as _blas
except ImportError:  # pragma: no cover - scipy is a pinned dependency
    _blas = None

LN2 = math.log(2)

#: Default budget of one chunk of logits, in elements (the rows of a chunk times its tile).
CHUNK_ELEMENTS = 1 << 22


# --- units ---------------------------------------------------------------------------------


def _nonnegative(x: object, name: str) -> np.ndarray:
    a = as_float(x, name)
    if (a < 0).any():
        raise ValueError(f"{name}: must be non-negative (a mean loss in nats), found {a.min()!r}")
    return a


def perplexity(nats_per_token: object) -> np.ndarray:
    r"""Perplexity of a mean cross-entropy in nats per token.

    .. math:: \operatorname{PPL} = e^{\bar H}, \qquad
              \bar H = -\frac{1}{N} \sum_{n=1}^{N} \log p(x_n \mid x_{<n})

    A model with perplexity :math:`k` is as uncertain as a uniform choice among :math:`k`
    tokens.

    >>> round(float(perplexity(np.log(50257))), 6)  # uniform over GPT-2's vocabulary
    50257.0
    """
    return np.exp(_nonnegative(nats_per_token, "nats_per_token"))


def bits_per_token(nats_per_token: object) -> np.ndarray:
    r"""The same mean loss in bits: :math:`\bar H / \ln 2 = \log_2 \operatorname{PPL}`.

    >>> float(bits_per_token(np.log(2)))
    1.0
    """
    return _nonnegative(nats_per_token, "nats_per_token") / LN2


def bits_per_byte(nats_per_token: object, n_tokens: int, n_bytes: int) -> np.ndarray:
    r"""Bits per byte of text: the total code length divided by the text's size in bytes.

    .. math:: \text{bpb} = \frac{N_{\text{tokens}}\, \bar H}{N_{\text{bytes}} \ln 2}

    It does not depend on how the text was cut into tokens, so models with different
    tokenizers can be compared by it (and not by perplexity).

    >>> float(bits_per_byte(np.log(256), 10, 10))  # uniform over bytes: 8 bits each
    8.0
    """
    for name, v in (("n_tokens", n_tokens), ("n_bytes", n_bytes)):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v <= 0:
            raise ValueError(f"{name}: must be a positive integer, got {v!r}")
    return _nonnegative(nats_per_token, "nats_per_token") * n_tokens / (n_bytes * LN2)


def logits_bytes(n_tokens: int, vocab_size: int, itemsize: int = 4) -> int:
    r"""Bytes of the ``N x V`` logits (the gradient of the logits takes as many again).

    .. math:: \text{bytes} = N \cdot V \cdot b

    >>> logits_bytes(8192, 128256, 4) / 2**30  # 8192 tokens, Llama 3's vocabulary, float32
    3.9140625
    """
    for name, v in (("n_tokens", n_tokens), ("vocab_size", vocab_size), ("itemsize", itemsize)):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v <= 0:
            raise ValueError(f"{name}: must be a positive integer, got {v!r}")
    return int(n_tokens) * int(vocab_size) * int(itemsize)


#: The scaling law fitted by Hoffmann et al. (2022), their equation (10): the loss in nats per
#: token of a model of ``N_p`` parameters trained on ``N_t`` tokens of their data.
CHINCHILLA_FIT = {"E": 1.69, "A": 406.4, "B": 410.7, "a": 0.34, "b": 0.28}


def scaling_law_loss(n_params: float, n_tokens: float, fit: dict | None = None) -> float:
    r"""The loss :math:`E + A / N_p^{a} + B / N_t^{b}` of a fitted scaling law
    (by default :data:`CHINCHILLA_FIT`), in nats per token.

    >>> round(scaling_law_loss(70e9, 1.4e12), 2)  # Chinchilla: 70B parameters, 1.4T tokens
    1.94
    """
    f = CHINCHILLA_FIT if fit is None else fit
    for name, v in (("n_params", n_params), ("n_tokens", n_tokens)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not v > 0:
            raise ValueError(f"{name}: must be a positive number, got {v!r}")
    return f["E"] + f["A"] / float(n_params) ** f["a"] + f["B"] / float(n_tokens) ** f["b"]


def compute_optimal_exponents(fit: dict | None = None) -> tuple[float, float]:
    r"""The exponents of the compute-optimal split of a fitted scaling law: at a budget
    :math:`C \propto N_p N_t`, the loss is lowest where :math:`a A / N_p^{a} = b B / N_t^{b}`,
    so :math:`N_p \propto C^{b / (a + b)}` and :math:`N_t \propto C^{a / (a + b)}`.

    >>> [round(e, 2) for e in compute_optimal_exponents()]  # Hoffmann et al.'s fit
    [0.45, 0.55]
    """
    f = CHINCHILLA_FIT if fit is None else fit
    a, b = float(f["a"]), float(f["b"])
    if not (a > 0 and b > 0):
        raise ValueError(f"fit: the exponents must be positive, got a={a!r}, b={b!r}")
    return b / (a + b), a / (a + b)


#: Floating-point operations of training per parameter and per token (forward and backward).
FLOPS_PER_PARAM_TOKEN = 6


def compute_optimal_split(flops: float, fit: dict | None = None) -> tuple[float, float]:
    r"""The parameters and tokens that minimise a fitted scaling law (by default
    :data:`CHINCHILLA_FIT`) at a compute budget of ``flops`` operations,
    :math:`N_f \approx 6 N_p N_t`. At the optimum :math:`a A / N_p^{a} = b B / N_t^{b}`, so

    .. math:: N_p = \Bigl(\frac{a A}{b B} \bigl(N_f / 6\bigr)^{b}\Bigr)^{1/(a + b)},
              \qquad N_t = \frac{N_f}{6 N_p}

    >>> n_p, n_t = compute_optimal_split(6 * 70e9 * 1.4e12)  # Chinchilla's budget
    >>> round(n_p / 1e9), round(n_t / n_p)
    (32, 93)
    """
    f = CHINCHILLA_FIT if fit is None else fit
    if isinstance(flops, bool) or not isinstance(flops, numbers.Real) or not flops > 0:
        raise ValueError(f"flops: must be a positive number, got {flops!r}")
    compute_optimal_exponents(f)  # validates the exponents
    ea, eb = float(f["a"]), float(f["b"])
    pairs = float(flops) / FLOPS_PER_PARAM_TOKEN
    n_params = (ea * f["A"] / (eb * f["B"]) * pairs**eb) ** (1.0 / (ea + eb))
    return n_params, pairs / n_params


_WORD = re.compile(r"\w+|\W", re.UNICODE)


def tokenize(text: str, how: str) -> list[str]:
    r"""Cut ``text`` into tokens: ``"chars"`` (one per character) or ``"words"`` (runs of
    letters and digits, and every other character on its own). Joined, they give the text.

    >>> tokenize("to be, or", "words")
    ['to', ' ', 'be', ',', ' ', 'or']
    """
    if not isinstance(text, str):
        raise TypeError(f"text: expected a str, got {type(text).__name__}")
    if how == "chars":
        return list(text)
    if how == "words":
        return _WORD.findall(text)
    raise ValueError(f"how: must be 'chars' or 'words', got {how!r}")


def unigram_nats(tokens: Sequence[str]) -> float:
    r"""Mean cross-entropy (nats per token) of the unigram model fitted to ``tokens`` by
    maximum likelihood, evaluated on the same tokens: the entropy of their frequencies.

    .. math:: \bar H = -\sum_{w} \frac{c_w}{N} \log \frac{c_w}{N}

    >>> round(unigram_nats(list("abab")), 12) == round(math.log(2), 12)
    True
    """
    if len(tokens) == 0:
        raise ValueError("tokens: is empty")
    n = len(tokens)
    counts = np.array(sorted(Counter(tokens).values()), dtype=np.float64)
    return float(-np.sum(counts / n * np.log(counts / n)))


def held_out_nats(
    train_text: str, test_text: str, how: str, *, spell: bool = True, end_marks: bool = False
) -> float:
    r"""Code length of ``test_text`` in nats under the unigram model fitted to ``train_text``,
    both cut by :func:`tokenize` (``how`` is ``"chars"`` or ``"words"``).

    Add-one smoothing: of the :math:`N` training tokens, :math:`K` distinct, a token seen
    :math:`c_w` times gets the probability :math:`(c_w + 1) / (N + K + 1)`, and every token
    never seen shares the one slot left over, the *unknown* token, with :math:`1 / (N + K + 1)`.
    An unknown token is then spelled out, so that the code length is that of the text itself:
    a word letter by letter with the character model of the same training text, a character
    byte by byte at 8 bits a byte. With ``spell=False`` it costs only the unknown slot, as a
    model with an unknown token reports its loss; that is not a code for the text.

    A spelled word is still not quite a code: a decoder reading it letter by letter cannot tell
    where it stops. With ``end_marks=True`` (words only) each unknown word also pays, under the
    character model, for the character that follows it in the text (a space at the very end),
    which marks where its spelling ends: the honest code length that the lab prints last.

    .. math:: \ell(w) = -\log \frac{c_w + 1}{N + K + 1}

    >>> round(held_out_nats("aab", "ab", "chars"), 12) == round(-math.log(3 / 6 * 2 / 6), 12)
    True
    """
    for name, text in (("train_text", train_text), ("test_text", test_text)):
        if not isinstance(text, str):
            raise TypeError(f"{name}: expected a str, got {type(text).__name__}")
    if not train_text:
        raise ValueError("train_text: is empty")
    train = tokenize(train_text, how)
    counts = Counter(train)
    log_total = math.log(len(train) + len(counts) + 1)
    if how == "words":
        char_counts = Counter(train_text)
        char_log_total = math.log(len(train_text) + len(char_counts) + 1)

    def spelled(token: str) -> float:
        if not spell:
            return 0.0
        if how == "chars":
            return len(token.encode("utf-8")) * math.log(256)
        return sum(
            char_log_total - math.log(char_counts[ch] + 1)
            if ch in char_counts
            else char_log_total + len(ch.encode("utf-8")) * math.log(256)
            for ch in token
        )

    if end_marks and not (spell and how == "words"):
        raise ValueError("end_marks: needs how='words' and spell=True")
    test = tokenize(test_text, how)
    total = math.fsum(
        log_total - math.log(counts[t] + 1) if t in counts else log_total + spelled(t) for t in test
    )
    if not end_marks:
        return total
    following = [*test[1:], " "]
    return total + math.fsum(
        spelled(following[k][0]) for k, t in enumerate(test) if t not in counts
    )


# --- the online log-sum-exp ----------------------------------------------------------------


def _online_step(
    m: np.ndarray, r: np.ndarray, arg: np.ndarray, tile: np.ndarray, offset: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""One step of the recurrence for rows: fold ``tile`` into the running ``(m, r, arg)``.

    ``m`` is the running maximum, ``arg`` where it sits, and ``r`` the sum of
    :math:`e^{z_j - m}` over every other entry seen so far (the maximum's own term, exactly 1,
    is kept out of ``r`` so that :math:`\operatorname{log1p}(r)` keeps tiny values). ``tile``
    is overwritten with :math:`e^{z - m_{\text{new}}}`.
    """
    rows = np.arange(tile.shape[0])
    top = np.argmax(tile, axis=1)
    t_max = tile[rows, top]
    new = t_max > m
    m_new = np.where(new, t_max, m)
    np.subtract(tile, m_new[:, None], out=tile)
    np.exp(tile, out=tile)
    top_term = tile[rows, top].copy()
    tile[rows, top] = 0
    rest = tile.sum(axis=1, dtype=tile.dtype)
    tile[rows, top] = top_term
    old = np.exp(np.where(new, m - m_new, 0))  # e^{m_old - m_new}; 0 on the first tile
    r_new = np.where(new, old * (1 + r) + rest, r + rest + top_term)
    return m_new, r_new.astype(tile.dtype), np.where(new, top + offset, arg)


def online_logsumexp(z: object, tile_size: int = 1) -> np.ndarray:
    r"""Log-sum-exp along the last axis in one pass over tiles of ``tile_size`` entries.

    The running maximum :math:`m` and sum :math:`s = \sum_{\text{seen}} e^{z_j - m}` are
    updated tile by tile; when a tile raises the maximum, the old sum is rescaled:

    .. math:: m_t = \max(m_{t-1}, \max_{j \in T_t} z_j), \qquad
              s_t = s_{t-1}\, e^{m_{t-1} - m_t} + \sum_{j \in T_t} e^{z_j - m_t},
              \qquad \operatorname{LSE}(z) = m_T + \log s_T

    Every exponent is :math:`\le 0`, and no tile needs to see another. (The sum is kept as
    :math:`s = 1 + r`, with :math:`\log s` taken as :math:`\operatorname{log1p}(r)`.)

    >>> float(online_logsumexp([1000.0, 1000.0], tile_size=1))  # 1000 + log 2
    1000.6931471805599
    >>> online_logsumexp([[0.0, 0.0, 0.0, 0.0]], tile_size=3).round(6).tolist()  # log 4
    [1.386294]
    """
    a = as_logits(z, "z")
    if a.ndim == 0 or a.shape[-1] == 0:
        raise ValueError("z: needs a non-empty last axis")
    _check_chunk(tile_size, "tile_size")
    rows = a.reshape(-1, a.shape[-1])
    m = np.full(rows.shape[0], -np.inf, dtype=a.dtype)
    r = np.zeros(rows.shape[0], dtype=a.dtype)
    arg = np.zeros(rows.shape[0], dtype=np.int64)
    for start in range(0, rows.shape[1], tile_size):
        tile = rows[:, start : start + tile_size].copy()
        m, r, arg = _online_step(m, r, arg, tile, start)
    return (m + np.log1p(r)).reshape(a.shape[:-1])


def online_logsumexp_trace(z: object, tile_size: int) -> list[tuple[float, float]]:
    r"""The running pair :math:`(m, r)` of :func:`online_logsumexp` after each tile of one row
    of logits ``z``: what the chapter's table traces by hand. The log-sum-exp is
    :math:`m + \operatorname{log1p}(r)` of the last pair.

    >>> [(m, round(r, 4)) for m, r in online_logsumexp_trace([1.0, 3.0, 2.0, 5.0], 2)]
    [(3.0, 0.1353), (5.0, 0.2034)]
    """
    a = as_logits(z, "z")
    if a.ndim != 1 or a.shape[0] == 0:
        raise ValueError(f"z: expected one non-empty row of logits, got shape {a.shape}")
    size = _check_chunk(tile_size, "tile_size")
    if size is None:
        raise ValueError("tile_size: must be a positive integer, got None")
    m = np.full(1, -np.inf, dtype=a.dtype)
    r = np.zeros(1, dtype=a.dtype)
    arg = np.zeros(1, dtype=np.int64)
    trace = []
    for start in range(0, a.shape[0], size):
        tile = a[None, start : start + size].copy()
        m, r, arg = _online_step(m, r, arg, tile, start)
        trace.append((float(m[0]), float(r[0])))
    return trace


# --- fused linear + cross-entropy ----------------------------------------------------------


def _check_chunk(value: object, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected None or a positive integer, got {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name}: must be a positive integer, got {value!r}")
    return int(value)


def _finite_matrix(x: object, name: str, dtype: np.dtype | None = None) -> np.ndarray:
    a = as_float(x, name)
    if a.ndim != 2:
        raise ValueError(f"{name}: expected a 2-D array, got shape {a.shape}")
    if dtype is not None and a.dtype != dtype:
        raise TypeError(f"{name}: dtype {a.dtype} does not match hidden's dtype {dtype}")
    if not np.isfinite(a).all():
        raise ValueError(f"{name}: must be finite")
    return np.ascontiguousarray(a)


class _Problem:
    """Validated arguments of the fused loss."""

    def __init__(self, hidden, weight, target, chunk_size, vocab_chunk_size, reduction, ii):
        self.h = _finite_matrix(hidden, "hidden")
        self.w = _finite_matrix(weight, "weight", self.h.dtype)
        n, d = self.h.shape
        v = self.w.shape[0]
        if self.w.shape[1] != d:
            raise ValueError(
                f"weight: shape {self.w.shape} does not fit hidden of shape {self.h.shape}; "
                f"expected (V, {d})"
            )
        if v == 0:
            raise ValueError("weight: needs at least one row (one class)")
        self.reduction = check_reduction(reduction)
        self.ignore_index = ignore_index = check_ignore_index(ii)
        t = np.asarray(target)
        if t.dtype.kind not in "iu":
            raise TypeError(f"target: expected an integer array of class indices, got {t.dtype}")
        if t.shape != (n,):
            raise ValueError(
                f"target: shape {t.shape} does not fit hidden of shape {(n, d)}; expected ({n},)"
            )
        # the range check of losses.cross_entropy, on a zero-stride stand-in for the logits
        self.y = _class_targets(
            t, np.broadcast_to(np.empty((), self.h.dtype), (n, v)), ignore_index
        )
        self.valid = self.y != ignore_index
        count = int(self.valid.sum())
        if self.reduction == "mean":
            if n == 0:
                raise ValueError("hidden: is empty; the mean of no losses is undefined")
            if count == 0:
                raise ValueError(
                    "target: every target is ignore_index, so the mean is 0/0 (PyTorch "
                    "returns nan); use reduction='sum' or 'none'"
                )
        self.scale = 1.0 / count if self.reduction == "mean" else 1.0
        cs = _check_chunk(chunk_size, "chunk_size")
        vt = _check_chunk(vocab_chunk_size, "vocab_chunk_size")
        self.tile = min(vt or v, v)
        self.rows = cs or max(1, CHUNK_ELEMENTS // self.tile)

    def reduce(self, per_row: np.ndarray) -> np.ndarray:
        dt = self.h.dtype
        if self.reduction == "none":
            return per_row.astype(dt)
        return np.asarray(dt.type(per_row.sum(dtype=np.float64) * self.scale))


def _row_chunk_forward(pb: _Problem, h: np.ndarray, y: np.ndarray, buf: np.ndarray):
    """Online pass over the vocabulary tiles for rows ``h``: ``(m, r, arg, z_y)``."""
    n, v = h.shape[0], pb.w.shape[0]
    dt = h.dtype
    m = np.full(n, -np.inf, dt)
    r = np.zeros(n, dt)
    arg = np.zeros(n, np.int64)
    z_y = np.zeros(n, dt)
    for start in range(0, v, pb.tile):
        stop = min(start + pb.tile, v)
        tile = _view(buf, n, stop - start)
        _product(tile, h, pb.w[start:stop], b_transposed=True)
        inside = np.flatnonzero((y >= start) & (y < stop))
        z_y[inside] = tile[inside, y[inside] - start]
        m, r, arg = _online_step(m, r, arg, tile, start)
    return m, r, arg, z_y


def _losses(m, r, z_y, valid) -> np.ndarray:
    return np.where(valid, (m - z_y) + np.log1p(r), 0).astype(m.dtype)


def linear_cross_entropy(
    hidden: object,
    weight: object,
    target: object,
    *,
    chunk_size: int | None = None,
    vocab_chunk_size: int | None = None,
    reduction: str = "mean",
    ignore_index: int = -100,
) -> np.ndarray:
    r"""``cross_entropy(hidden @ weight.T, target)`` without materialising the logits.

    For hidden states :math:`h_n \in \mathbb{R}^d` (``hidden``, ``(N, d)``) and the output
    layer :math:`W \in \mathbb{R}^{V \times d}` (``weight``), the logits are
    :math:`z_n = W h_n` and

    .. math:: \ell_n = \operatorname{LSE}(W h_n) - w_{y_n}^\top h_n,

    0 for a target equal to ``ignore_index``; ``"mean"`` divides the sum by the number of
    kept targets. Rows are processed ``chunk_size`` at a time (default: about
    :data:`CHUNK_ELEMENTS` logits per chunk), the vocabulary ``vocab_chunk_size`` at a time
    (default: all of it), joined by the online log-sum-exp; the largest temporary is one
    chunk of ``chunk_size x vocab_chunk_size`` logits. float32 or float64, as ``hidden``.

    >>> h = np.array([[1.0, 0.0], [0.0, 1.0]]); W = np.array([[2.0, 0.0], [0.0, 0.0]])
    >>> round(float(linear_cross_entropy(h, W, [0, 1], chunk_size=1, vocab_chunk_size=1)), 12)
    0.410037595801
    """
    pb = _Problem(hidden, weight, target, chunk_size, vocab_chunk_size, reduction, ignore_index)
    n = pb.h.shape[0]
    per_row = np.zeros(n, pb.h.dtype)
    buf = np.empty(min(pb.rows, max(n, 1)) * pb.tile, pb.h.dtype)
    for s in range(0, n, pb.rows):
        rows = slice(s, min(s + pb.rows, n))
        y = np.where(pb.valid[rows], pb.y[rows], -1)
        m, r, _, z_y = _row_chunk_forward(pb, pb.h[rows], y, buf)
        per_row[rows] = _losses(m, r, z_y, pb.valid[rows])
    return pb.reduce(per_row)


def _view(buf: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """A C-contiguous ``(rows, cols)`` array on the front of the flat scratch buffer."""
    return buf[: rows * cols].reshape(rows, cols)


def _product(
    c: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    *,
    b_transposed: bool = False,
    accumulate: bool = False,
) -> None:
    r"""``c = a @ op(b)`` (or ``c += ...`` with ``accumulate``), in place; all C-contiguous.

    One BLAS ``gemm`` (SciPy's) does every product of the fused loss, so only one BLAS thread
    pool is busy, and with :math:`\beta = 1` it accumulates into ``c`` with no temporary.
    In Fortran order the call computes ``c.T = op(b).T @ a.T``.
    """
    if _blas is None:  # pragma: no cover - scipy is a pinned dependency
        prod = a @ (b.T if b_transposed else b)
        if accumulate:
            c += prod
        else:
            c[...] = prod
        return
    gemm = _blas.sgemm if c.dtype == np.float32 else _blas.dgemm
    beta = 1.0 if accumulate else 0.0
    out = gemm(1.0, b.T, a.T, beta=beta, c=c.T, trans_a=int(b_transposed), overwrite_c=1)
    if not np.shares_memory(out, c):  # pragma: no cover - c was not usable in place
        c[...] = out.T


def _add_product(c: np.ndarray, a: np.ndarray, b: np.ndarray, *, a_transposed: bool) -> None:
    r"""``c += a.T @ b`` (``a_transposed``) or ``c += a @ b``, in place, ``c`` C-contiguous."""
    if not a_transposed:
        _product(c, a, b, accumulate=True)
        return
    if _blas is None:  # pragma: no cover - scipy is a pinned dependency
        c += a.T @ b
        return
    gemm = _blas.sgemm if c.dtype == np.float32 else _blas.dgemm
    # in Fortran order: c.T (d x k) += b.T (d x n) @ a (n x k), a given as a.T with trans_b
    gemm(1.0, b.T, a.T, beta=1.0, c=c.T, trans_b=1, overwrite_c=1)


def _gradient_tile(tile, start, m, r, arg, y, valid, scale) -> None:
    r"""Turn ``tile`` (holding :math:`e^{z - m}` or the logits) into :math:`G = s(p - e_y)`."""
    dt = tile.dtype
    coef = np.where(valid, dt.type(scale) / (1 + r), 0).astype(dt)
    tile *= coef[:, None]
    inside = np.flatnonzero(valid & (y >= start) & (y < start + tile.shape[1]))
    tile[inside, y[inside] - start] -= dt.type(scale)
    # the true class is the top one: p - 1 = -r / (1 + r) without the cancellation
    sure = inside[arg[inside] == y[inside]]
    tile[sure, y[sure] - start] = -dt.type(scale) * r[sure] / (1 + r[sure])


def linear_cross_entropy_and_grad(
    hidden: object,
    weight: object,
    target: object,
    *,
    chunk_size: int | None = None,
    vocab_chunk_size: int | None = None,
    reduction: str = "mean",
    ignore_index: int = -100,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""The loss of :func:`linear_cross_entropy` and its gradients, chunk by chunk.

    With :math:`G = s\,(\operatorname{softmax}(h W^\top) - E_y)` (:math:`E_y` one-hot rows,
    zero rows for ignored targets, :math:`s = 1/N_{\text{kept}}` for ``"mean"``, else 1;
    ``"none"`` gives the gradients of the sum):

    .. math:: \frac{\partial L}{\partial h} = G W, \qquad
              \frac{\partial L}{\partial W} = G^\top h

    Each chunk of :math:`G` is formed, used for both products, and dropped; ``grad_weight``
    is accumulated in place (BLAS ``gemm`` with :math:`\beta = 1`). With the whole vocabulary
    in one tile (the default) a chunk's logits are computed once; with ``vocab_chunk_size``
    smaller, a first pass finds the log-sum-exp online and a second recomputes each tile.

    >>> h = np.array([[1.0, 0.0]]); W = np.array([[0.0, 0.0], [0.0, 0.0]])
    >>> loss, gh, gw = linear_cross_entropy_and_grad(h, W, [0])
    >>> round(float(loss), 12), gh.tolist(), gw.tolist()  # log 2; p - e_y = (-1/2, 1/2)
    (0.69314718056, [[0.0, 0.0]], [[-0.5, 0.0], [0.5, 0.0]])
    """
    pb = _Problem(hidden, weight, target, chunk_size, vocab_chunk_size, reduction, ignore_index)
    h, w = pb.h, pb.w
    n, v = h.shape[0], w.shape[0]
    per_row = np.zeros(n, h.dtype)
    grad_h = np.zeros_like(h)
    grad_w = np.zeros_like(w)
    buf = np.empty(min(pb.rows, max(n, 1)) * pb.tile, h.dtype)
    one_tile = pb.tile >= v
    for s in range(0, n, pb.rows):
        rows = slice(s, min(s + pb.rows, n))
        hc, valid = h[rows], pb.valid[rows]
        y = np.where(valid, pb.y[rows], -1)
        m, r, arg, z_y = _row_chunk_forward(pb, hc, y, buf)
        per_row[rows] = _losses(m, r, z_y, valid)
        for start in range(0, v, pb.tile):
            stop = min(start + pb.tile, v)
            tile = _view(buf, hc.shape[0], stop - start)
            if not one_tile:  # recompute this tile's logits, then e^{z - m}
                _product(tile, hc, w[start:stop], b_transposed=True)
                np.subtract(tile, m[:, None], out=tile)
                np.exp(tile, out=tile)
            _gradient_tile(tile, start, m, r, arg, y, valid, pb.scale)
            if one_tile:
                _product(grad_h[rows], tile, w)
            else:
                _add_product(grad_h[rows], tile, w[start:stop], a_transposed=False)
            _add_product(grad_w[start:stop], tile, hc, a_transposed=True)
    return pb.reduce(per_row), grad_h, grad_w


# --- z-loss and soft-capping ---------------------------------------------------------------


def _rows_of_logits(z: object) -> np.ndarray:
    a = as_logits(z, "logits")
    if a.ndim == 0 or a.shape[-1] == 0:
        raise ValueError("logits: needs a non-empty class axis (the last one)")
    if not np.isfinite(a).all():
        raise ValueError("logits: must be finite")
    return a


def _coefficient(c: object, name: str, positive: bool = False) -> float:
    if isinstance(c, bool) or not isinstance(c, numbers.Real):
        raise TypeError(f"{name}: expected a real number, got {type(c).__name__}")
    if not np.isfinite(c) or c < 0 or (positive and c == 0):
        raise ValueError(
            f"{name}: must be a finite number {'> 0' if positive else '>= 0'}, got {c!r}"
        )
    return float(c)


def z_loss(logits: object, coefficient: float = 1e-4) -> np.ndarray:
    r"""PaLM's auxiliary z-loss of each row of logits (classes on the last axis).

    .. math:: \ell_z = c \,(\log Z)^2, \qquad \log Z = \operatorname{LSE}(z)

    It pulls the normaliser :math:`\log Z` towards 0, so the logits cannot drift upwards
    together (the softmax does not see a common shift; the loss does).

    >>> float(z_loss([0.0, 0.0], coefficient=1.0)) == math.log(2) ** 2
    True
    """
    a = _rows_of_logits(logits)
    c = _coefficient(coefficient, "coefficient")
    return c * online_logsumexp(a, tile_size=a.shape[-1]) ** 2


def z_loss_grad(logits: object, coefficient: float = 1e-4) -> np.ndarray:
    r"""The gradient of :func:`z_loss` with respect to the logits, row by row.

    .. math:: \frac{\partial \ell_z}{\partial z_j} = 2c \log Z \; \operatorname{softmax}(z)_j

    >>> z_loss_grad([0.0, 0.0], coefficient=1.0).round(6).tolist()  # 2 log 2 * (1/2, 1/2)
    [0.693147, 0.693147]
    """
    a = _rows_of_logits(logits)
    c = _coefficient(coefficient, "coefficient")
    lse = online_logsumexp(a, tile_size=a.shape[-1])
    return 2 * c * lse[..., None] * np.exp(a - lse[..., None])


def soft_cap(logits: object, cap: float) -> np.ndarray:
    r"""Gemma 2's logit soft-capping: squash every logit smoothly into :math:`(-c, c)`.

    .. math:: \operatorname{cap}(z) = c \tanh(z / c)

    Near 0 it is the identity; far out it flattens at :math:`\pm c` (Gemma 2 uses
    :math:`c = 30` on its final logits).

    >>> soft_cap([0.0, 1e6], 30.0).tolist()
    [0.0, 30.0]
    """
    a = as_float(logits, "logits")
    c = _coefficient(cap, "cap", positive=True)
    return c * np.tanh(a / c)


def soft_cap_grad(logits: object, cap: float) -> np.ndarray:
    r"""The derivative of :func:`soft_cap`, element by element.

    .. math:: \frac{d}{dz}\, c \tanh(z / c) = 1 - \tanh^2(z / c)

    >>> soft_cap_grad([0.0], 30.0).tolist()
    [1.0]
    """
    a = as_float(logits, "logits")
    c = _coefficient(cap, "cap", positive=True)
    return 1 - np.tanh(a / c) ** 2


# --- gradient accumulation -------------------------------------------------------------------


def accumulation_means(micro_batches: Sequence[object]) -> tuple[float, float]:
    r"""Mean of per-micro-batch mean losses, and the mean over every token, in that order.

    For micro-batches :math:`b` holding :math:`n_b` token losses with sums :math:`S_b`:

    .. math:: \frac{1}{B} \sum_b \frac{S_b}{n_b} \quad\text{versus}\quad
              \frac{\sum_b S_b}{\sum_b n_b}

    They agree when every :math:`n_b` is the same; otherwise the first over-weights the
    tokens of short micro-batches. The fix: add up sums, divide once by the token count.

    >>> accumulation_means([[1.0, 1.0, 1.0], [4.0]])
    (2.5, 1.75)
    """
    if isinstance(micro_batches, np.ndarray | str) or len(micro_batches) == 0:
        raise ValueError("micro_batches: expected a non-empty sequence of 1-D loss arrays")
    batches = [as_float(b, "micro_batches") for b in micro_batches]
    if any(b.ndim != 1 or b.size == 0 for b in batches):
        raise ValueError("micro_batches: every micro-batch must be a non-empty 1-D array")
    mean_of_means = float(np.mean([b.mean() for b in batches]))
    token_mean = float(sum(b.sum() for b in batches) / sum(b.size for b in batches))
    return mean_of_means, token_mean


# --- numbers the chapter shows ---------------------------------------------------------------

#: The small text of the chapter, cut into characters and into words to compare perplexities.
SAMPLE_TEXT = (
    "the cat sat on the mat. the dog sat on the log. the cat saw the dog, and the dog saw "
    "the cat. a cat and a dog sat on a mat and a log. the end of the cat and the dog."
)

#: A short essay written for the book, plain ASCII in paragraphs: the lab fits unigram models
#: to its first half and scores them on the second (:func:`held_out_nats`).
ESSAY = (
    "A weather forecaster who says there is a seventy per cent chance of rain is making a bet. "
    "If it rains, she was right to lean that way; if it stays dry, she was not wrong, only less"
    " right than she could have been. Over many days we can score her. On each day we look at "
    "what happened and take the probability she gave to it. A forecaster who gave high "
    "probabilities to what happened is a good one, and a forecaster who was often sure of the "
    "wrong thing is a bad one. The score that rewards this most fairly is the log of the "
    "probability given to what happened, added up over the days. Its negative is called the "
    "cross-entropy, and it is the loss that trains most of the models we use today.\n\n"
    "The same bet is made by a model of language. Given the words of a text so far, it gives a "
    "probability to every word that could come next. Then the next word is revealed, and the "
    "model is scored by the log of the probability it gave to that word. A model that spreads "
    "its bets thinly over many words is never badly wrong and never very right. A model that "
    "puts all its weight on one word is brilliant when that word comes and terrible when it "
    "does not. The best model is the one whose probabilities match how often things really "
    "happen, and no amount of cleverness can beat that.\n\n"
    "There is a second way to see the same score. Suppose you want to send a text to a friend "
    "over a slow line, and you both have the same model. For each word, you send a short code "
    "if the model thought the word was likely, and a long code if it thought the word was rare."
    " The best codes have a length equal to minus the log of the probability, measured in bits "
    "when the log is taken to base two. So the cross-entropy of a model on a text is the number"
    " of bits it would need to send that text, and a better model is simply a better "
    "compressor. This is why people who build language models talk about bits, and why a model "
    "that predicts well can also be used to pack a file into fewer bytes.\n\n"
    "The score depends on what counts as one step. A model that reads one letter at a time "
    'makes many small bets, each of them easy: after the letters of the word "the", a space is '
    'very likely, and after a "q" a "u" is nearly certain. A model that reads one word at a '
    "time makes fewer bets, but each of them is harder, because there are many more words than "
    "letters. If we compare the two by their average loss per step, the letter model looks far "
    "better, only because its steps are smaller. The fair comparison counts the bits needed for"
    " the whole text and divides by its length in bytes, which is the same for both models. "
    "Then the question is no longer how hard each step was, but how well each model knew the "
    "text.\n\n"
    "There is also the question of words that a model has never seen. A model that learned its "
    "words from one book will meet new words in the next one, and it must still give them some "
    "probability, or its loss would be infinite. The simplest cure is to add one to every "
    "count, so that nothing is ever impossible, and to keep a single place for all the words it"
    " does not know. But a place for unknown words is not a code for them: to send a new word "
    "to a friend, you must still spell it out, letter by letter, and those letters cost bits "
    "too. A model that forgets to pay for them looks better than it is.\n\n"
    "All of this becomes harder when the model is large. A modern model has a vocabulary of "
    "tens of thousands of pieces of words, and at every step it must give a probability to each"
    " of them. For a long text and a large batch, the table of all those scores fills the "
    "memory of the machine before anything else does. The people who train such models have "
    "learned to compute the loss a piece at a time, to keep only the numbers they need, and to "
    "split the table between many machines that each hold a slice. They have also learned to be"
    " careful with the precision of their numbers, because a loss that is very small can round "
    "to zero, and a gradient that is very small can vanish, in the short formats that make the "
    "arithmetic fast.\n\n"
    "None of this changes the idea. The loss is still the log of the probability given to what "
    "happened, averaged over what happened. A forecaster, a compressor and a language model are"
    " all judged by it, and all of them improve in the same way: by learning, from the past, "
    "how often things happen, and by being neither more sure nor less sure than the evidence "
    "allows. The rest is bookkeeping, and most of this book is about doing that bookkeeping "
    "carefully, so that the number we report is the number we meant.\n\n"
    "A good way to learn this is to try it. Take a text, cut it into letters or into words, "
    "count how often each piece appears in the first half, and use those counts to score the "
    "second half. Compare the two models per step and per byte, and see whether they agree. "
    "Then try a text of your own, a longer one or a shorter one, and see when the answer "
    "changes. The numbers will differ, but the lesson will not: before you compare two losses, "
    "make sure they count the same thing.\n"
)

#: Measured by ``scripts/bench_speed.py --fused --repeats 5`` at (N, d, V) = (2048, 256, 32768)
#: float32 on the book's 2-core machine, one thread for each library: for each ``chunk_size``,
#: the extra memory of :func:`linear_cross_entropy_and_grad` (traced peak beyond its outputs,
#: in N x V float32 logits) and its time as a ratio to PyTorch's unfused ``F.linear`` +
#: ``F.cross_entropy`` forward and backward, best of five rounds interleaved in one process.
#: Timings vary from run to run; the chapter's figure draws these recorded numbers, never
#: live ones.
MEASURED_FUSED: dict[int, tuple[float, float]] = {
    16: (0.0080, 1.71),
    32: (0.0158, 1.14),
    64: (0.0314, 0.95),
    128: (0.0626, 0.84),
    256: (0.1252, 0.68),
    512: (0.2503, 0.47),
    2048: (1.0008, 0.76),
}


def fused_time_vs_unchunked(chunk: int) -> float:
    """The recorded time of the fused loss at ``chunk`` rows over that of the same code with the
    whole batch as one chunk (2048 rows), both from :data:`MEASURED_FUSED`: two ratios to the
    same PyTorch timing of one run, so their quotient compares the NumPy code with itself.

    >>> round(fused_time_vs_unchunked(2048), 2)
    1.0
    """
    whole = max(MEASURED_FUSED)
    return MEASURED_FUSED[chunk][1] / MEASURED_FUSED[whole][1]
