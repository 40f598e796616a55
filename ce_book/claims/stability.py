r"""Claims of the chapter on numerical stability.

Each failure is computed with the counter-examples of :mod:`ce_book.naive` and each fix with
the stable functions of :mod:`ce_book.activations`, :mod:`ce_book.losses` and
:mod:`ce_book.gradients`. Every check recomputes the mathematics with mpmath at 50 digits
(``_mp_*`` below), or asks PyTorch (``needs=("torch",)``), never the code under test.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import sympy

from ce_book import activations, gradients, losses, naive
from ce_book.claims import claim
from ce_book.reference import DIGITS, mp_binary_cross_entropy_with_logits, mp_cross_entropy

F64, F32 = np.float64, np.float32
#: The confident correct prediction of the chapter: the true class leads by GAP.
GAP = 40.0
TINY_LOGITS = (GAP, 0.0, 0.0)


_SUPERSCRIPT = str.maketrans(
    "-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
)


def _sci(digits: int):
    """A formatter writing ``x`` as "a × 10⁻ⁿ" (or "10⁻ⁿ" when ``a`` rounds to 1 with no
    decimals), with a real minus sign and superscript exponent, as the prose typesets it."""

    def fmt(value: float) -> str:
        if value == 0:
            return "0"
        mantissa, exponent = f"{value:.{digits}e}".split("e")
        power = "10" + str(int(exponent)).translate(_SUPERSCRIPT)
        if digits == 0 and abs(float(mantissa)) == 1:
            text = power if float(mantissa) > 0 else "-" + power
        else:
            text = f"{mantissa} \u00d7 {power}"
        return text.replace("-", "\u2212")

    return fmt


def _mp(x: float) -> mpmath.mpf:
    return mpmath.mpf(float(x))


def _mp_softplus(z: float) -> mpmath.mpf:
    """Reference: :math:`\\log(1 + e^{z})`, the BCE of logit ``z`` for label 0."""
    return mp_binary_cross_entropy_with_logits(z, 0.0)


def _rel(value: float, exact: mpmath.mpf) -> float:
    """Relative error of ``value``; a true value below the float64 range must give 0."""
    if float(exact) == 0:
        return 0.0 if value == 0 else float("inf")
    with mpmath.workdps(DIGITS):
        return float(abs((_mp(value) - exact) / exact))


def _emulated_log_sum(gap: float, dtype: type, pairwise: bool = False) -> float:
    """The log-of-a-sum loss of the logits ``(gap, 0, 0)``, first class true, emulated in IEEE 754.

    After the shift the terms are :math:`1, e^{-g}, e^{-g}`; the exponential and the log are
    taken from mpmath, correctly rounded to ``dtype``, and the two additions are done by numpy
    scalars of ``dtype``, each correctly rounded: ``(1 + e) + e`` in order, or ``1 + (e + e)``.
    """
    with mpmath.workdps(DIGITS):
        e = dtype(float(mpmath.exp(-_mp(gap))))
        one = dtype(1)
        total = one + (e + e) if pairwise else (one + e) + e
        return float(dtype(float(mpmath.log(_mp(total)))))


def _half_spacing_exponent(dtype: type) -> int:
    """:math:`1 + x` rounds to 1 for :math:`x \\le 2^{-m}`: m = 53 (float64), 24 (float32)."""
    return {F64: 53, F32: 24}[dtype]


# --- overflow of exp ------------------------------------------------------------------


@claim(
    "stability-exp-limit-float64",
    "The largest $z$ for which $e^{z}$ is a finite float64: the log of the largest float64.",
    reference="mpmath: $\\log\\big((2 - 2^{-52}) \\cdot 2^{1023}\\big)$ at 50 digits",
    fmt="{:.2f}",
)
def exp_limit_float64() -> float:
    return float(np.log(np.finfo(F64).max))


@exp_limit_float64.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = mpmath.log((2 - mpmath.mpf(2) ** -52) * mpmath.mpf(2) ** 1023)
    assert _rel(value, exact) < 1e-15


@claim(
    "stability-exp-limit-float32",
    "The largest $z$ for which $e^{z}$ is a finite float32.",
    reference="mpmath: $\\log\\big((2 - 2^{-23}) \\cdot 2^{127}\\big)$ at 50 digits",
    fmt="{:.2f}",
)
def exp_limit_float32() -> float:
    return float(np.log(np.finfo(F32).max, dtype=F64))


@exp_limit_float32.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = mpmath.log((2 - mpmath.mpf(2) ** -23) * mpmath.mpf(2) ** 127)
    assert _rel(value, exact) < 1e-15


@claim(
    "stability-naive-softmax-nan",
    "The textbook softmax of the logits $(1000, 0)$: the first probability comes out as "
    "`nan` ($\\infty / \\infty$), although it is $1 - e^{-1000}$, a hair below 1.",
    reference="mpmath: $e^{1000} / (e^{1000} + 1)$ at 50 digits is finite and below 1",
    fmt="`{}`",
)
def naive_softmax_nan() -> str:
    return str(naive.softmax([1000.0, 0.0])[0])


@naive_softmax_nan.check
def _(value: str) -> None:
    with mpmath.workdps(DIGITS):
        gap_below_one = mpmath.exp(-1000) / (1 + mpmath.exp(-1000))  # 1 - softmax_0
        assert 0 < gap_below_one < mpmath.mpf(10) ** -400
    assert value == "nan"


@claim(
    "stability-softmax-large-logits",
    "`ce_book.activations.softmax` of the logits $(1000, 0)$: the first probability, "
    "correctly rounded to float64.",
    reference="mpmath: $e^{1000} / (e^{1000} + 1)$ at 50 digits, rounded to float64",
    fmt="{:.1f}",
)
def softmax_large_logits() -> float:
    return float(activations.softmax([1000.0, 0.0])[0])


@softmax_large_logits.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert value == float(mpmath.exp(1000) / (mpmath.exp(1000) + 1))


@claim(
    "stability-naive-logsumexp-inf",
    "The textbook $\\log \\sum_j e^{z_j}$ of the logits $(1000, 1000)$: `inf`.",
    reference="mpmath: the true value $1000 + \\ln 2$ is finite",
    fmt="{}",
)
def naive_logsumexp_inf() -> str:
    return str(naive.logsumexp([1000.0, 1000.0]))


@naive_logsumexp_inf.check
def _(value: str) -> None:
    with mpmath.workdps(DIGITS):
        assert mpmath.isfinite(1000 + mpmath.log(2))
    assert value == "inf"


@claim(
    "stability-logsumexp-large",
    "`ce_book.activations.logsumexp` of $(1000, 1000)$, that is $1000 + \\ln 2$.",
    reference="mpmath: $\\log(2 e^{1000})$ at 50 digits",
    fmt="{:.4f}",
)
def logsumexp_large() -> float:
    return float(activations.logsumexp([1000.0, 1000.0]))


@logsumexp_large.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert _rel(value, mpmath.log(2 * mpmath.exp(1000))) < 1e-15


@claim(
    "stability-ce-huge-logits",
    "`ce_book.losses.cross_entropy` of the logits $(10^4, 0, -10^4)$ with true class 1 (the "
    "middle one): finite and exact.",
    reference="mpmath: $\\log(e^{10^4} + 1 + e^{-10^4})$ at 50 digits",
    fmt="{:,.0f}",
)
def ce_huge_logits() -> float:
    return float(losses.cross_entropy([[1e4, 0.0, -1e4]], [1]))


@ce_huge_logits.check
def _(value: float) -> None:
    assert _rel(value, mp_cross_entropy((1e4, 0.0, -1e4), 1)) < 4e-15


# --- underflow: products of probabilities, log(0) ---------------------------------------


@claim(
    "stability-likelihood-underflows",
    "The likelihood of 1000 independent observations, each given probability $0.4$, computed "
    "as a product of probabilities in float64: exactly 0.",
    reference="mpmath: $0.4^{1000}$ is positive but below the smallest positive float64 "
    "(the subnormal $2^{-1074}$), so the nearest float64 is 0",
    fmt="{:g}",
)
def likelihood_underflows() -> float:
    return float(naive.likelihood([0.4] * 1000))


@likelihood_underflows.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = mpmath.mpf("0.4") ** 1000
        assert 0 < exact < mpmath.mpf(2) ** -1075  # below half the smallest subnormal
    assert value == 0.0


@claim(
    "stability-likelihood-true-exponent",
    "The true likelihood $0.4^{1000}$ written as a power of ten: its base-10 exponent, "
    "from the sum of logs.",
    reference="mpmath: $1000 \\log_{10} 0.4$ at 50 digits",
    fmt="{:.0f}",
)
def likelihood_true_exponent() -> float:
    return float(np.sum(np.log10(np.full(1000, 0.4))))


@likelihood_true_exponent.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert _rel(value, 1000 * mpmath.log10(mpmath.mpf("0.4"))) < 1e-13


@claim(
    "stability-likelihood-factors-to-zero",
    "How many factors of $0.4$ the float64 running product survives before it becomes 0.",
    reference="the running product replayed in exact fractions, each step rounded to the "
    "nearest float64 as IEEE 754 does (subnormals included), until it is 0; cross-checked "
    "against mpmath's first $n$ with $0.4^{n}$ below half the smallest subnormal $2^{-1074}$",
    fmt="{:d}",
)
def likelihood_factors_to_zero() -> int:
    running = np.cumprod(np.full(1000, 0.4))
    return int(np.argmax(running == 0))  # index of the first zero = factors survived


@likelihood_factors_to_zero.check
def _(value: int) -> None:
    # IEEE 754 multiplication emulated: each product of two floats exactly, then rounded to
    # the nearest float64 (Python's correctly rounded float(Fraction)), subnormals included
    running, survived = Fraction(1), 0
    while (running := Fraction(float(running * Fraction(0.4)))) > 0:
        survived += 1
    assert value == survived
    with mpmath.workdps(DIGITS):  # near the exact power where 0.4^n drops below 2^-1075
        half_smallest = mpmath.mpf(2) ** -1075
        n = 1
        while mpmath.mpf("0.4") ** n > half_smallest:
            n += 1
    assert abs(value - (n - 1)) <= 1  # the running product rounds at every step


@claim(
    "stability-likelihood-factors-estimate",
    "Pen-and-paper estimate of the number of factors of 0.4 after which the product is at "
    "most $2^{-1075}$ (exercise 5): $1075 \\ln 2 / \\ln 2.5$.",
    reference="mpmath at 50 digits: $1075 \\log 2 / \\log 2.5$",
    fmt="{:.1f}",
)
def likelihood_factors_estimate() -> float:
    return 1075 * float(np.log(2.0)) / float(np.log(2.5))


@likelihood_factors_estimate.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = 1075 * mpmath.log(2) / mpmath.log(mpmath.mpf(5) / 2)
        assert abs(value - exact) < 1e-10
        assert mpmath.floor(exact) == likelihood_factors_to_zero()


@claim(
    "stability-log-likelihood-sum",
    "The same log-likelihood computed as a sum of logs: $1000 \\ln 0.4$, an ordinary number.",
    reference="mpmath: $1000 \\ln 0.4$ at 50 digits",
    fmt=lambda v: f"{v:.1f}".replace("-", "\u2212"),
)
def log_likelihood_sum() -> float:
    return float(np.sum(np.log(np.full(1000, 0.4))))


@log_likelihood_sum.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert _rel(value, 1000 * mpmath.log(mpmath.mpf("0.4"))) < 1e-13


@claim(
    "stability-naive-log-likelihood",
    "The log of the underflowed product: `-inf`.",
    reference="IEEE 754: $\\log 0 = -\\infty$; the true value $1000 \\ln 0.4$ is finite",
    fmt="{}",
)
def naive_log_likelihood() -> str:
    return str(naive.log_likelihood([0.4] * 1000))


@naive_log_likelihood.check
def _(value: str) -> None:
    with mpmath.workdps(DIGITS):
        assert mpmath.isfinite(1000 * mpmath.log(mpmath.mpf("0.4")))
    assert value == "-inf"


@claim(
    "stability-naive-log-softmax",
    "$\\log(\\operatorname{softmax}(z))_0$ for $z = (-800, 0)$, taking the log after the "
    "softmax: `-inf`, because $e^{-800}$ underflowed to 0.",
    reference="mpmath: the true log-probability $-800 - \\log(1 + e^{-800})$ is finite",
    fmt="{}",
)
def naive_log_softmax() -> str:
    return str(naive.log_softmax([-800.0, 0.0])[0])


@naive_log_softmax.check
def _(value: str) -> None:
    assert mpmath.isfinite(mp_cross_entropy((-800.0, 0.0), 0))
    assert value == "-inf"


@claim(
    "stability-log-softmax-fixed",
    "`ce_book.activations.log_softmax` of $(-800, 0)$, first entry: $z_0 - \\operatorname{LSE}"
    "(z)$ never forms the probability.",
    reference="mpmath: $-800 - \\log(1 + e^{-800})$ at 50 digits",
    fmt="{:.0f}",
)
def log_softmax_fixed() -> float:
    return float(activations.log_softmax([-800.0, 0.0])[0])


@log_softmax_fixed.check
def _(value: float) -> None:
    assert _rel(value, -mp_cross_entropy((-800.0, 0.0), 0)) < 1e-15


# --- the sigmoid and binary cross-entropy -------------------------------------------------


def _first_integer_where_sigmoid_is_one(dtype: type) -> int:
    z = np.arange(1, 100, dtype=dtype)
    return int(z[np.argmax(naive.sigmoid(z) == 1)])


def _check_sigmoid_threshold(value: int, dtype: type) -> None:
    # 1 + e^{-z} rounds to 1 when e^{-z} < 2^{-m}, i.e. z > m ln 2 (ties aside).
    with mpmath.workdps(DIGITS):
        threshold = _half_spacing_exponent(dtype) * mpmath.log(2)
        assert value == int(mpmath.ceil(threshold))
        assert 1 / (1 + mpmath.exp(-value)) < 1  # the true sigmoid is still below 1


@claim(
    "stability-sigmoid-rounds-to-one",
    "The first integer $z$ at which the textbook sigmoid $1/(1 + e^{-z})$ returns exactly "
    "1.0 in float64.",
    reference="mpmath: the smallest integer above $53 \\ln 2$ (where $e^{-z}$ drops below "
    "half the float64 spacing at 1)",
    fmt="{:d}",
)
def sigmoid_rounds_to_one() -> int:
    return _first_integer_where_sigmoid_is_one(F64)


@sigmoid_rounds_to_one.check
def _(value: int) -> None:
    _check_sigmoid_threshold(value, F64)


@claim(
    "stability-sigmoid-rounds-to-one-float32",
    "The same threshold in float32.",
    reference="mpmath: the smallest integer above $24 \\ln 2$",
    fmt="{:d}",
)
def sigmoid_rounds_to_one_float32() -> int:
    return _first_integer_where_sigmoid_is_one(F32)


@sigmoid_rounds_to_one_float32.check
def _(value: int) -> None:
    _check_sigmoid_threshold(value, F32)


def _sigmoid_threshold(dtype: type) -> float:
    """The smallest logit at which the textbook sigmoid is exactly 1, by bisection."""
    lo, hi = dtype(1), dtype(100)
    for _ in range(200):
        mid = dtype((lo + hi) / 2)
        if mid in (lo, hi):
            break
        if naive.sigmoid(mid) == 1:
            hi = mid
        else:
            lo = mid
    return float(hi)


for _dtype, _bits, _name in ((F64, 53, "float64"), (F32, 24, "float32")):

    def _threshold(dtype: type = _dtype) -> float:
        return _sigmoid_threshold(dtype)

    _threshold.__module__ = __name__
    _entry = claim(
        f"stability-sigmoid-threshold-{_name}",
        f"The smallest logit at which the textbook sigmoid $1/(1 + e^{{-z}})$ is exactly 1 in "
        f"{_name} (found by bisection over the floats): about ${_bits} \\ln 2$.",
        reference=f"mpmath: ${_bits} \\ln 2$, where $e^{{-z}}$ reaches half the spacing of "
        f"the {_name} numbers just above 1",
        fmt="{:.1f}",
    )(_threshold)

    @_entry.check
    def _(value: float, bits: int = _bits) -> None:
        with mpmath.workdps(DIGITS):
            exact = bits * mpmath.log(2)
            assert abs(value - exact) < 1e-3 * exact


@claim(
    "stability-naive-bce-inf",
    "Binary cross-entropy on the sigmoid's output for logit $40$ and label 0, "
    "$-\\log(1 - \\sigma(40))$, computed naively: `inf`.",
    reference="mpmath: the true loss $\\log(1 + e^{40})$ is finite",
    fmt="{}",
)
def naive_bce_inf() -> str:
    return str(naive.binary_cross_entropy(naive.sigmoid(GAP), 0.0))


@naive_bce_inf.check
def _(value: str) -> None:
    assert mpmath.isfinite(_mp_softplus(GAP))
    assert value == "inf"


@claim(
    "stability-bce-logits-large",
    "`ce_book.losses.binary_cross_entropy_with_logits` for logit 40 and label 0.",
    reference="mpmath: $\\log(1 + e^{40})$ at 50 digits",
    fmt="{:g}",
)
def bce_logits_large() -> float:
    return float(losses.binary_cross_entropy_with_logits(GAP, 0.0))


@bce_logits_large.check
def _(value: float) -> None:
    assert _rel(value, _mp_softplus(GAP)) < 4e-15


@claim(
    "stability-naive-bce-nan",
    "The textbook binary cross-entropy for $p = 0$ and label 0: `nan`, from $0 \\cdot \\log 0 "
    "= 0 \\cdot (-\\infty)$, where the loss is 0.",
    reference="SymPy: the limit $x \\log x \\to 0$ as $x \\to 0^+$, so the true loss is "
    "$-\\log 1 = 0$",
    fmt="`{}`",
)
def naive_bce_nan() -> str:
    return str(naive.binary_cross_entropy(0.0, 0.0))


@naive_bce_nan.check
def _(value: str) -> None:
    x = sympy.symbols("x", positive=True)
    assert sympy.limit(x * sympy.log(x), x, 0, "+") == 0
    assert value == "nan"


EPS = 1e-7  # the clipping constant of Keras's backend epsilon


@claim(
    "stability-clipped-bce-cap",
    "Binary cross-entropy with the probability clipped to $[\\epsilon, 1 - \\epsilon]$, "
    "$\\epsilon = 10^{-7}$, for logit 40 and label 0: capped at $-\\log \\epsilon$, "
    "whatever the logit.",
    reference="mpmath: $-\\log(10^{-7})$ at 50 digits (the true loss is about 40)",
    fmt="{:.2f}",
)
def clipped_bce_cap() -> float:
    return float(naive.binary_cross_entropy_clipped(naive.sigmoid(GAP), 0.0, eps=EPS))


@clipped_bce_cap.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        cap = -mpmath.log(mpmath.mpf(EPS))
        # sigma(40) rounds to 1 and is clipped to the float 1 - eps; 1 - p is then exact
        clipped = -mpmath.log(1 - _mp(1 - EPS))
        assert _rel(value, clipped) < 4e-16
        assert _rel(value, cap) < 1e-9  # -log eps, up to the rounding of 1 - eps
        assert _mp_softplus(GAP) > 2 * cap


@claim(
    "stability-clipped-bce-floor",
    "The same clipped loss for logit 40 and label 1 (a confident correct prediction): "
    "about $\\epsilon$, instead of the true $\\log(1 + e^{-40})$.",
    reference="mpmath: $-\\log(1 - 10^{-7})$ at 50 digits, against $\\log(1 + e^{-40})$",
    fmt=_sci(1),
)
def clipped_bce_floor() -> float:
    return float(naive.binary_cross_entropy_clipped(naive.sigmoid(GAP), 1.0, eps=EPS))


@clipped_bce_floor.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        floor = -mpmath.log(1 - mpmath.mpf(EPS))
        clipped = -mpmath.log(_mp(1 - EPS))  # the loss of the float 1 - eps
        assert _rel(value, clipped) < 4e-16
        assert _rel(value, floor) < 1e-8  # -log(1 - eps), up to the rounding of 1 - eps
        assert value > 1e10 * float(_mp_softplus(-GAP))


@claim(
    "stability-clipped-bce-gradient",
    "The slope of the clipped loss with respect to the logit at $z = 40$, label 0, by "
    "central differences: zero, so the mistake is never corrected.",
    reference="mpmath: the true slope $\\sigma(40) = 1 - e^{-40}/(1 + e^{-40})$, essentially 1",
    fmt="{:g}",
)
def clipped_bce_gradient() -> float:
    h = 1e-3

    def loss(z: float) -> float:
        return float(naive.binary_cross_entropy_clipped(naive.sigmoid(z), 0.0, eps=EPS))

    return float(gradients.numerical_gradient(lambda z: loss(float(z[0])), [GAP], h)[0])


@clipped_bce_gradient.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        true_slope = mpmath.diff(lambda z: mpmath.log(1 + mpmath.exp(z)), GAP)
        assert true_slope > 0.999
    assert value == 0.0


@claim(
    "stability-bce-logits-tiny",
    "`ce_book.losses.binary_cross_entropy_with_logits` for logit 40 and label 1: the tiny "
    "true loss $\\log(1 + e^{-40})$, to full precision.",
    reference="mpmath: $\\log(1 + e^{-40})$ at 50 digits",
    fmt=_sci(2),
)
def bce_logits_tiny() -> float:
    return float(losses.binary_cross_entropy_with_logits(GAP, 1.0))


@bce_logits_tiny.check
def _(value: float) -> None:
    assert _rel(value, _mp_softplus(-GAP)) < 4e-15


@claim(
    "stability-bce-logits-accuracy",
    "Worst relative error of `ce_book.losses.binary_cross_entropy_with_logits` in float64 over "
    "8,000 random logits (4,000 uniform on $[-708, 708]$, where every loss is a normal float, and "
    "4,000 uniform on $[-60, 60]$) and 58 log-spaced logits from $-10^4$ to $10^4$, with both "
    "labels, tiny losses included. A sample, not a bound.",
    reference="mpmath: $\\log(1 + e^{\\mp z})$ at 50 digits, rounded to float64 (it "
    "underflows to 0 beyond a lead of about 745)",
    fmt=_sci(1),
)
def bce_logits_accuracy() -> float:
    rng = np.random.default_rng(0)
    dense = np.concatenate([rng.uniform(-708.0, 708.0, 4000), rng.uniform(-60.0, 60.0, 4000)])
    z = np.concatenate([-np.logspace(-3, 4, 29), np.logspace(-3, 4, 29), dense])
    worst = 0.0
    for label in (0.0, 1.0):
        got = losses.binary_cross_entropy_with_logits(z, np.full_like(z, label), reduction="none")
        for zi, gi in zip(z, got, strict=True):
            worst = max(worst, _rel(float(gi), _mp_softplus(zi if label == 0 else -zi)))
    return worst


@bce_logits_accuracy.check
def _(value: float) -> None:
    assert value < 4e-15


@claim(
    "stability-bce-logits-torch-label-zero",
    "`torch.nn.functional.binary_cross_entropy_with_logits` for logit $-40$ and label 0, a "
    "confident correct prediction, in float64: exactly 0 (with label 1 and logit $+40$ it is "
    "accurate).",
    reference="torch 2.13.0 run against the mpmath value $\\log(1 + e^{-40}) > 0$",
    fmt="{:g}",
    needs=("torch",),
    recorded=True,
)
def bce_logits_torch_label_zero() -> float:
    import torch
    import torch.nn.functional as F

    z, t = torch.tensor([-GAP], dtype=torch.float64), torch.tensor([0.0], dtype=torch.float64)
    return float(F.binary_cross_entropy_with_logits(z, t))


@bce_logits_torch_label_zero.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    exact = _mp_softplus(-GAP)
    assert exact > 0
    assert value == 0.0
    mirrored = F.binary_cross_entropy_with_logits(
        torch.tensor([GAP], dtype=torch.float64), torch.tensor([1.0], dtype=torch.float64)
    )
    assert _rel(float(mirrored), exact) < 1e-15


# --- the tiny-loss regime: log of a sum versus log1p ----------------------------------------


@claim(
    "stability-tiny-loss-exact",
    "The true cross-entropy of the logits $(40, 0, 0)$ with the first class true: "
    "$\\log(1 + 2e^{-40})$.",
    reference="mpmath at 50 digits",
    fmt=_sci(2),
)
def tiny_loss_exact() -> float:
    return float(mp_cross_entropy(TINY_LOGITS, 0))


@tiny_loss_exact.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        series = 2 * mpmath.exp(-GAP) - 2 * mpmath.exp(-2 * GAP)  # log(1 + x) = x - x^2/2 ...
    assert _rel(value, series) < 1e-15


@claim(
    "stability-tiny-loss-log-sum-zero",
    "The log-of-a-sum recipe (shift by the maximum, then $\\log \\sum_j e^{z_j - m}$) on the "
    "logits $(40, 0, 0)$ with the first class true, in float64: exactly 0.",
    reference="mpmath: the true loss $\\log(1 + 2e^{-40})$ is positive, and $2e^{-40}$ is "
    "below half the float64 spacing at 1 ($2^{-53}$), so $1 + 2e^{-40}$ rounds to 1",
    fmt="{:g}",
)
def tiny_loss_log_sum_zero() -> float:
    return float(naive.cross_entropy_log_sum(TINY_LOGITS, 0))


@tiny_loss_log_sum_zero.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert 0 < 2 * mpmath.exp(-GAP) < mpmath.mpf(2) ** -53
    assert value == 0.0


@claim(
    "stability-tiny-loss-log-sum-error-30",
    "Relative error of the log-of-a-sum recipe for the logits $(30, 0, 0)$, first class true, in "
    "float64: most of the sixteen digits are gone.",
    reference="mpmath loss at 50 digits; the error is bounded by two roundings of size "
    "$2^{-53}$ divided by the loss",
    fmt=_sci(0),
)
def tiny_loss_log_sum_error_30() -> float:
    z = (30.0, 0.0, 0.0)
    return _rel(float(naive.cross_entropy_log_sum(z, 0)), mp_cross_entropy(z, 0))


@tiny_loss_log_sum_error_30.check
def _(value: float) -> None:
    exact = mp_cross_entropy((30.0, 0.0, 0.0), 0)
    assert abs(value - _rel(_emulated_log_sum(30.0, F64), exact)) < 1e-12
    assert 1e-6 < value <= 2 * 2.0**-53 / float(exact) * 1.01


@claim(
    "stability-tiny-loss-ce-book",
    "`ce_book.losses.cross_entropy` for the logits $(40, 0, 0)$, first class true, in float64: "
    "$-\\log(1 + r)$ is taken as `log1p(r)`, so every digit survives.",
    reference="mpmath: $\\log(1 + 2e^{-40})$ at 50 digits",
    fmt=_sci(2),
)
def tiny_loss_ce_book() -> float:
    return float(losses.cross_entropy([TINY_LOGITS], [0]))


@tiny_loss_ce_book.check
def _(value: float) -> None:
    assert _rel(value, mp_cross_entropy(TINY_LOGITS, 0)) < 4e-15


@claim(
    "stability-tiny-loss-ce-book-float32",
    "Relative error of `ce_book.losses.cross_entropy` for the logits $(40, 0, 0)$ in float32.",
    reference="mpmath: $\\log(1 + 2e^{-40})$ at 50 digits; float32 resolution about $10^{-7}$",
    fmt=_sci(0),
)
def tiny_loss_ce_book_float32() -> float:
    value = losses.cross_entropy(np.array([TINY_LOGITS], dtype=F32), [0])
    assert value.dtype == F32
    return _rel(float(value), mp_cross_entropy(TINY_LOGITS, 0))


@tiny_loss_ce_book_float32.check
def _(value: float) -> None:
    exact = mp_cross_entropy(TINY_LOGITS, 0)
    nearest = F32(float(exact))
    ulp = float(np.spacing(nearest))
    assert value * float(exact) <= ulp  # within one float32 unit of the true loss
    assert value < 1e-6


@claim(
    "stability-tiny-loss-torch-zero",
    "`torch.nn.functional.cross_entropy` for the logits $(40, 0, 0)$, first class true, in "
    "float64: exactly 0.",
    reference="torch 2.13.0 run against the mpmath value $\\log(1 + 2e^{-40}) > 0$",
    fmt="{:g}",
    needs=("torch",),
    recorded=True,
)
def tiny_loss_torch_zero() -> float:
    import torch
    import torch.nn.functional as F

    z = torch.tensor([TINY_LOGITS], dtype=torch.float64)
    return float(F.cross_entropy(z, torch.tensor([0])))


@tiny_loss_torch_zero.check
def _(value: float) -> None:
    assert mp_cross_entropy(TINY_LOGITS, 0) > 0
    assert value == 0.0


@claim(
    "stability-tiny-loss-torch-error-30",
    "Relative error of `torch.nn.functional.cross_entropy` for the logits $(30, 0, 0)$, first "
    "class true, in float64.",
    reference="torch 2.13.0 against mpmath at 50 digits",
    fmt=_sci(0),
    needs=("torch",),
    recorded=True,
)
def tiny_loss_torch_error_30() -> float:
    import torch
    import torch.nn.functional as F

    z = torch.tensor([[30.0, 0.0, 0.0]], dtype=torch.float64)
    return _rel(float(F.cross_entropy(z, torch.tensor([0]))), mp_cross_entropy((30.0, 0.0, 0.0), 0))


@tiny_loss_torch_error_30.check
def _(value: float) -> None:
    exact = mp_cross_entropy((30.0, 0.0, 0.0), 0)
    # the same rounding of 1 + r as the emulated log-of-a-sum, in one summation order or other
    emulated = {_rel(_emulated_log_sum(30.0, F64, pairwise), exact) for pairwise in (False, True)}
    assert min(abs(value - e) for e in emulated) < 1e-12
    assert 1e-6 < value <= 2 * 2.0**-53 / float(exact) * 1.01


def _torch_zero_gap(dtype_name: str) -> int:
    """First integer lead g at which PyTorch's cross-entropy of (g, 0, 0) is exactly 0."""
    import torch
    import torch.nn.functional as F

    dtype = getattr(torch, dtype_name)
    for g in range(1, 80):
        z = torch.tensor([[float(g), 0.0, 0.0]], dtype=dtype)
        if float(F.cross_entropy(z, torch.tensor([0]))) == 0.0:
            return g
    raise AssertionError("PyTorch never returned 0")


def _check_torch_zero_gap(value: int, dtype: type) -> None:
    # the first integer gap at which the emulated log-of-a-sum is 0, in either summation order
    emulated = {
        next(g for g in range(1, 80) if _emulated_log_sum(float(g), dtype, pairwise) == 0)
        for pairwise in (False, True)
    }
    assert value in emulated
    with mpmath.workdps(DIGITS):
        # (1 + e^{-g}) + e^{-g} rounds to 1 once e^{-g} <= 2^{-m}: g >= m log 2; 1 + 2e^{-g}
        # once 2e^{-g} <= 2^{-m}: g >= (m + 1) log 2
        m = _half_spacing_exponent(dtype)
        window = [int(mpmath.ceil(k * mpmath.log(2))) for k in (m, m + 1)]
    assert window[0] <= value <= window[1]
    assert mp_cross_entropy((float(value), 0.0, 0.0), 0) > 0


@claim(
    "stability-tiny-loss-torch-float64-gap",
    "The smallest integer lead $g$ (logits $(g, 0, 0)$, first class true) at which PyTorch's "
    "float64 cross-entropy returns exactly 0.",
    reference="torch 2.13.0; IEEE 754 emulated with mpmath: the sum $1 + e^{-g} + e^{-g}$ "
    "rounds to 1 in float64 once each addition does ($e^{-g} \\le 2^{-53}$, $g \\ge 37$) or, "
    "summed pairwise, once $2e^{-g} \\le 2^{-53}$ ($g \\ge 38$)",
    fmt="{:d}",
    needs=("torch",),
    recorded=True,
)
def tiny_loss_torch_float64_gap() -> int:
    return _torch_zero_gap("float64")


@tiny_loss_torch_float64_gap.check
def _(value: int) -> None:
    _check_torch_zero_gap(value, F64)


@claim(
    "stability-tiny-loss-torch-float32-gap",
    "The same threshold for PyTorch's float32 cross-entropy.",
    reference="torch 2.13.0; IEEE 754 emulated with mpmath: in float32 the sum rounds to 1 "
    "once $e^{-g} \\le 2^{-24}$ ($g \\ge 17$) or, summed pairwise, $2e^{-g} \\le 2^{-24}$ "
    "($g \\ge 18$)",
    fmt="{:d}",
    needs=("torch",),
    recorded=True,
)
def tiny_loss_torch_float32_gap() -> int:
    return _torch_zero_gap("float32")


@tiny_loss_torch_float32_gap.check
def _(value: int) -> None:
    _check_torch_zero_gap(value, F32)


# --- the threshold depends on the number of classes ----------------------------------------

MANY = 1000  # a classifier with a thousand classes (an ImageNet-sized output layer)


def _torch_zero_gap_many(dtype_name: str) -> int:
    """First integer lead g at which PyTorch's cross-entropy of (g, 0, ..., 0), with MANY
    classes, is exactly 0."""
    import torch
    import torch.nn.functional as F

    dtype = getattr(torch, dtype_name)
    for g in range(1, 100):
        z = torch.zeros((1, MANY), dtype=dtype)
        z[0, 0] = float(g)
        if float(F.cross_entropy(z, torch.tensor([0]))) == 0.0:
            return g
    raise AssertionError("PyTorch never returned 0")


def _window(dtype: type, k: int) -> tuple[int, int]:
    """Where a log-of-a-sum loss of ``(g, 0, ..., 0)`` (``k`` classes) must become 0.

    Added one by one to the 1, each term ``e^{-g}`` is lost once it is at most half the spacing
    at 1, :math:`2^{-m}` (a tie goes to the even neighbour, 1): from :math:`g \\ge m \\ln 2`,
    whatever ``k``. Summed among themselves first, the ``k - 1`` terms are lost together only
    once :math:`(k - 1) e^{-g} \\le 2^{-m}`: from :math:`g \\ge m \\ln 2 + \\ln(k - 1)`. Any
    order of summation lies between the two.
    """
    m = _half_spacing_exponent(dtype)
    with mpmath.workdps(DIGITS):
        low = m * mpmath.log(2)
        return int(mpmath.ceil(low)), int(mpmath.ceil(low + mpmath.log(k - 1)))


@claim(
    "stability-tiny-loss-window-1000",
    "For a thousand classes, the two extreme integer leads at which a log-of-a-sum "
    "cross-entropy of $(g, 0, \\dots, 0)$ becomes 0 in float64: adding the small terms to the "
    "1 one at a time, and adding them up first.",
    reference="mpmath: $\\lceil 53 \\ln 2 \\rceil$ and $\\lceil 53 \\ln 2 + \\ln 999 \\rceil$, "
    "with each end confirmed by correctly rounded float64 sums",
    fmt=lambda v: f"{v[0]} and {v[1]}",
)
def tiny_loss_window_1000() -> tuple[int, int]:
    return _window(F64, MANY)


@tiny_loss_window_1000.check
def _(value: tuple[int, int]) -> None:
    low, high = value
    # IEEE 754 sums (numpy float64 scalars, each addition correctly rounded)
    with mpmath.workdps(DIGITS):

        def term(g: int) -> np.float64:
            return F64(float(mpmath.exp(-g)))

    def one_by_one(g: int) -> np.float64:
        total = F64(1)
        for _ in range(MANY - 1):
            total = total + term(g)
        return total

    def summed_first(g: int) -> np.float64:
        return F64(1) + F64(float(mpmath.mpf(float(term(g))) * (MANY - 1)))

    assert one_by_one(low) == 1 and one_by_one(low - 1) > 1
    assert summed_first(high) == 1 and summed_first(high - 1) > 1


@claim(
    "stability-tiny-loss-torch-float64-gap-1000",
    "The smallest integer lead $g$ at which PyTorch's float64 cross-entropy of "
    "$(g, 0, \\dots, 0)$ with a thousand classes (first class true) returns exactly 0.",
    reference="torch 2.13.0; must lie in the window between adding the terms to the 1 one at "
    "a time and adding them up first (IEEE 754 emulated with mpmath)",
    fmt="{:d}",
    needs=("torch",),
    recorded=True,
)
def tiny_loss_torch_float64_gap_1000() -> int:
    return _torch_zero_gap_many("float64")


@tiny_loss_torch_float64_gap_1000.check
def _(value: int) -> None:
    low, high = _window(F64, MANY)
    assert low <= value <= high
    assert value > _torch_zero_gap("float64")  # more classes, a later zero
    z = [float(value)] + [0.0] * (MANY - 1)
    assert mp_cross_entropy(z, 0) > 0


@claim(
    "stability-tiny-loss-torch-float32-gap-1000",
    "The same threshold for PyTorch's float32 cross-entropy with a thousand classes.",
    reference="torch 2.13.0; must lie between $\\lceil 24 \\ln 2 \\rceil$ and "
    "$\\lceil 24 \\ln 2 + \\ln 999 \\rceil$",
    fmt="{:d}",
    needs=("torch",),
    recorded=True,
)
def tiny_loss_torch_float32_gap_1000() -> int:
    return _torch_zero_gap_many("float32")


@tiny_loss_torch_float32_gap_1000.check
def _(value: int) -> None:
    low, high = _window(F32, MANY)
    assert low <= value <= high
    assert value > _torch_zero_gap("float32")


@claim(
    "stability-tiny-loss-torch-float16-gap-1000",
    "The smallest integer lead $g$ at which PyTorch's CPU cross-entropy of float16 logits "
    "$(g, 0, \\dots, 0)$ with a thousand classes (first class true) returns exactly 0.",
    reference="torch 2.13.0; mpmath: the kernel adds the exponentials in float32 and stores "
    "the sum in float16, which is 1 once $999 e^{-g} \\le 2^{-11}$: "
    "$\\lceil 11 \\ln 2 + \\ln 999 \\rceil$",
    fmt="{:d}",
    needs=("torch",),
    recorded=True,
)
def tiny_loss_torch_float16_gap_1000() -> int:
    return _torch_zero_gap_many("float16")


@tiny_loss_torch_float16_gap_1000.check
def _(value: int) -> None:
    assert _torch_zero_gap_many_16("float16", 10) == value
    with mpmath.workdps(DIGITS):
        assert value == int(mpmath.ceil(11 * mpmath.log(2) + mpmath.log(MANY - 1)))


@claim(
    "stability-tiny-loss-torch-bfloat16-gap-1000",
    "The same threshold for bfloat16 logits.",
    reference="torch 2.13.0; mpmath: the sum, stored in bfloat16, is 1 once "
    "$999 e^{-g} \\le 2^{-8}$: $\\lceil 8 \\ln 2 + \\ln 999 \\rceil$",
    fmt="{:d}",
    needs=("torch",),
    recorded=True,
)
def tiny_loss_torch_bfloat16_gap_1000() -> int:
    return _torch_zero_gap_many("bfloat16")


@tiny_loss_torch_bfloat16_gap_1000.check
def _(value: int) -> None:
    assert _torch_zero_gap_many_16("bfloat16", 7) == value
    with mpmath.workdps(DIGITS):
        assert value == int(mpmath.ceil(8 * mpmath.log(2) + mpmath.log(MANY - 1)))


VOCAB = 50_000


@claim(
    "stability-vocab-threshold-float32",
    "For a vocabulary of 50,000 tokens, the first integer lead $g$ at which the sum "
    "$1 + 49{,}999\\, e^{-g}$, with the small terms added up first, rounds to 1 in float32.",
    reference="mpmath: $\\lceil 24 \\ln 2 + \\ln 49{,}999 \\rceil$; confirmed with a correctly "
    "rounded float32 addition",
    fmt="{:d}",
)
def vocab_threshold_float32() -> int:
    return _window(F32, VOCAB)[1]


@vocab_threshold_float32.check
def _(value: int) -> None:
    with mpmath.workdps(DIGITS):

        def total(g: int) -> np.float32:
            rest = F32(float((VOCAB - 1) * mpmath.exp(-g)))
            return F32(1) + rest

    assert total(value) == 1 and total(value - 1) > 1


# --- the gradient of the tiny loss ------------------------------------------------------------


@claim(
    "stability-tiny-grad-torch",
    "PyTorch's gradient of the float64 cross-entropy of $(40, 0, 0)$, first class true, on the "
    "true logit: exactly 0, because it is computed as $p_1 - 1$ with $p_1$ rounded to 1.",
    reference="torch 2.13.0 autograd against the mpmath value $-2e^{-40}/(1 + 2e^{-40}) \\neq 0$",
    fmt="{:g}",
    needs=("torch",),
    recorded=True,
)
def tiny_grad_torch() -> float:
    import torch
    import torch.nn.functional as F

    z = torch.tensor([TINY_LOGITS], dtype=torch.float64, requires_grad=True)
    F.cross_entropy(z, torch.tensor([0])).backward()
    return float(z.grad[0, 0])


@tiny_grad_torch.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        r = 2 * mpmath.exp(-GAP)
        assert -r / (1 + r) < 0
    assert value == 0.0


@claim(
    "stability-tiny-grad-ce-book",
    "`ce_book.gradients.cross_entropy_grad` for the logits $(40, 0, 0)$, first class true, on the "
    "true logit: $-r/(1 + r)$ with $r = 2e^{-40}$, kept to full precision.",
    reference="mpmath: $-2e^{-40}/(1 + 2e^{-40})$ at 50 digits (derivation tiny-loss-gradient)",
    fmt=_sci(2),
)
def tiny_grad_ce_book() -> float:
    return float(gradients.cross_entropy_grad([TINY_LOGITS], [0])[0, 0])


@tiny_grad_ce_book.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        r = 2 * mpmath.exp(-GAP)
        assert _rel(value, -r / (1 + r)) < 4e-15


@claim(
    "stability-sigmoid-rounds-to-one-bfloat16",
    "The first integer $z$ at which the textbook sigmoid $1/(1 + e^{-z})$, computed in "
    "bfloat16 (8 significant bits), returns exactly 1.",
    reference="torch 2.13.0; mpmath: the smallest integer above $8 \\ln 2$, where $e^{-z}$ "
    "drops below half the bfloat16 spacing at 1, $2^{-8}$",
    fmt="{:d}",
    needs=("torch",),
    recorded=True,
)
def sigmoid_rounds_to_one_bfloat16() -> int:
    import torch

    for z in range(1, 40):
        x = torch.tensor(float(z), dtype=torch.bfloat16)
        if float(1 / (1 + torch.exp(-x))) == 1.0:
            return z
    raise AssertionError("the bfloat16 sigmoid never reached 1")


@sigmoid_rounds_to_one_bfloat16.check
def _(value: int) -> None:
    with mpmath.workdps(DIGITS):
        assert value == int(mpmath.ceil(8 * mpmath.log(2)))
        assert 1 / (1 + mpmath.exp(-value)) < 1


@claim(
    "stability-sigmoid-rounds-to-one-float16",
    "The first integer $z$ at which the textbook sigmoid $1/(1 + e^{-z})$, computed in "
    "float16 (11 significant bits), returns exactly 1.",
    reference="torch 2.13.0; mpmath: the smallest integer above $11 \\ln 2$, where $e^{-z}$ "
    "drops below half the float16 spacing at 1, $2^{-11}$",
    fmt="{:d}",
    needs=("torch",),
    recorded=True,
)
def sigmoid_rounds_to_one_float16() -> int:
    import torch

    for z in range(1, 40):
        x = torch.tensor(float(z), dtype=torch.float16)
        if float(1 / (1 + torch.exp(-x))) == 1.0:
            return z
    raise AssertionError("the float16 sigmoid never reached 1")


@sigmoid_rounds_to_one_float16.check
def _(value: int) -> None:
    with mpmath.workdps(DIGITS):
        assert value == int(mpmath.ceil(11 * mpmath.log(2)))
        assert 1 / (1 + mpmath.exp(-value)) < 1


@claim(
    "stability-exp-limit-bfloat16",
    "The largest $z$ for which $e^{z}$ is a finite bfloat16: the log of the largest bfloat16, "
    "$(2 - 2^{-7}) \\cdot 2^{127}$.",
    reference="mpmath: $\\log\\big((2 - 2^{-7}) \\cdot 2^{127}\\big)$ at 50 digits",
    fmt="{:.2f}",
)
def exp_limit_bfloat16() -> float:
    # bfloat16 is the top half of a float32: its largest number has the bits 0x7F7F
    largest = np.array(0x7F7F0000, dtype=np.uint32).view(F32)
    return float(np.log(F64(largest)))


@exp_limit_bfloat16.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = mpmath.log((2 - mpmath.mpf(2) ** -7) * mpmath.mpf(2) ** 127)
    assert _rel(value, exact) < 1e-15


def _torch_zero_gap_many_16(dtype_name: str, stored_bits: int) -> int:
    """The first lead at which PyTorch's CPU cross-entropy of ``(g, 0, ..., 0)`` with a thousand
    16-bit logits is 0, checked against the kernel's mechanism: the exponentials are added in
    float32 (accurately, for a thousand terms) and the sum is stored once in the 16-bit format,
    so the loss is 0 once :math:`999 e^{-g}` is at most half the spacing at 1."""
    value = _torch_zero_gap_many(dtype_name)
    with mpmath.workdps(DIGITS):
        half = mpmath.mpf(2) ** -(stored_bits + 1)
        assert (MANY - 1) * mpmath.exp(-value) < half < (MANY - 1) * mpmath.exp(-(value - 1))
    return value


# --- where 1 + x rounds to 1, and the leads that follow from it ----------------------------


def _power_of_two(value: float) -> str:
    """``2.0**-53`` as "2⁻⁵³", as the prose writes it."""
    exponent = int(np.log2(value))
    assert value == 2.0**exponent
    return "2" + str(exponent).translate(_SUPERSCRIPT).replace("-", "\u207b")


def _largest_lost_addend(dtype: type) -> float:
    """The largest positive ``x`` of ``dtype`` with ``1 + x`` rounding to exactly 1, found by
    bisection over the bit patterns of the positive floats (their order is the numbers')."""
    bits = {F64: np.uint64, F32: np.uint32}[dtype]
    one = dtype(1)
    low, high = 0, int(np.array(np.spacing(one), dtype).view(bits))  # 1 + spacing is not 1
    while high - low > 1:
        mid = (low + high) // 2
        x = np.array(mid, dtype=bits).view(dtype)
        low, high = (mid, high) if one + x == one else (low, mid)
    return float(np.array(low, dtype=bits).view(dtype))


def _check_largest_lost_addend(value: float, bits: int) -> None:
    # IEEE 754 by hand, in exact fractions: with `bits` significant bits the floats just above
    # 1 are 1 and 1 + 2^(1 - bits); a sum is rounded to the nearer, and a tie to the one whose
    # last bit is even, which is 1. So 1 + x rounds to 1 exactly when x <= 2^-bits.
    x, gap = Fraction(value), Fraction(1, 2 ** (bits - 1))
    for y in (x, x * (1 + Fraction(1, 2**40))):  # the value, and a hair above it
        below, above = y, gap - y  # distances of 1 + y to its neighbours 1 and 1 + gap
        rounds_to_one = below < above or below == above  # a tie goes to the even 1
        assert rounds_to_one == (y == x)


@claim(
    "stability-round-to-one-float64",
    "The largest $x$ for which $1 + x$ rounds to exactly 1 in float64: half the spacing of "
    "the float64 numbers just above 1, the tie at that point going to the even neighbour, 1.",
    reference="IEEE 754 round-to-nearest-even worked in exact fractions for 53 significant "
    "bits, at the value and just above it",
    fmt=_power_of_two,
)
def round_to_one_float64() -> float:
    return _largest_lost_addend(F64)


@round_to_one_float64.check
def _(value: float) -> None:
    _check_largest_lost_addend(value, 53)


@claim(
    "stability-round-to-one-float32",
    "The same in float32: the largest $x$ for which $1 + x$ rounds to exactly 1.",
    reference="IEEE 754 round-to-nearest-even worked in exact fractions for 24 significant "
    "bits, at the value and just above it",
    fmt=_power_of_two,
)
def round_to_one_float32() -> float:
    return _largest_lost_addend(F32)


@round_to_one_float32.check
def _(value: float) -> None:
    _check_largest_lost_addend(value, 24)


def _lead(lost: float, terms: int) -> float:
    """The lead ``g`` at which ``terms`` equal terms ``e^{-g}`` add up to exactly ``lost``."""
    return float(np.log(terms) - np.log(lost))


@claim(
    "stability-lead-one-at-a-time",
    "The lead $g$ at which one term $e^{-g}$ equals $2^{-53}$, the largest addend that 1 "
    "swallows in float64: $53 \\ln 2$.",
    reference="mpmath: $53 \\ln 2$ at 50 digits",
    fmt="{:.1f}",
)
def lead_one_at_a_time() -> float:
    return _lead(round_to_one_float64.compute(), 1)


@lead_one_at_a_time.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(_mp(value) - 53 * mpmath.log(2)) < 1e-13


@claim(
    "stability-sigmoid-lead-float32",
    "The logit $z$ at which $e^{-z}$ equals $2^{-24}$, the largest addend that 1 swallows in "
    "float32: $24 \\ln 2$.",
    reference="mpmath: $24 \\ln 2$ at 50 digits",
    fmt="{:.1f}",
)
def sigmoid_lead_float32() -> float:
    return _lead(round_to_one_float32.compute(), 1)


@sigmoid_lead_float32.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(_mp(value) - 24 * mpmath.log(2)) < 1e-13


@claim(
    "stability-vocab-lead-float32",
    "The lead $g$ at which 49,999 terms $e^{-g}$ add up to $2^{-24}$: $24 \\ln 2 + \\ln 49{,}999$.",
    reference="mpmath: $24 \\ln 2 + \\ln 49{,}999$ at 50 digits",
    fmt="{:.1f}",
)
def vocab_lead_float32() -> float:
    return _lead(round_to_one_float32.compute(), VOCAB - 1)


@vocab_lead_float32.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(_mp(value) - (24 * mpmath.log(2) + mpmath.log(VOCAB - 1))) < 1e-13


@claim(
    "stability-ce-book-zero-lead",
    "The first integer lead $g$ at which `ce_book.losses.cross_entropy` of the float64 logits "
    "$(g, 0, 0)$, first class true, returns 0.",
    reference="mpmath: the first integer lead at which the true loss $\\log(1 + 2e^{-g})$ is at "
    "most half the smallest positive float64, $2^{-1075}$, and so rounds to 0",
    fmt="{:d}",
)
def ce_book_zero_lead() -> int:
    for g in range(700, 800):
        if float(losses.cross_entropy([[float(g), 0.0, 0.0]], [0])) == 0.0:
            return g
    raise AssertionError("ce_book's loss never reached 0")


@ce_book_zero_lead.check
def _(value: int) -> None:
    with mpmath.workdps(DIGITS):
        half_smallest = mpmath.mpf(2) ** -1075
        rounds_to_zero = [
            mp_cross_entropy((float(g), 0.0, 0.0), 0) <= half_smallest for g in (value - 1, value)
        ]
    assert rounds_to_zero == [False, True]


# --- conditioning: how much the loss moves with its logits ------------------------------------


def _condition(gap: float) -> float:
    """The relative condition number of the loss of ``(gap, 0, 0)`` with respect to the lead,
    from the checked closed form :math:`g r / ((1 + r) \\operatorname{log1p}(r))`."""
    r = 2 * np.exp(-gap)
    return float(gap * r / ((1 + r) * np.log1p(r)))


def _mp_condition(gap: float) -> mpmath.mpf:
    """Reference: :math:`-g L'(g) / L(g)` with the derivative taken numerically by mpmath."""
    with mpmath.workdps(DIGITS):
        loss = lambda g: mpmath.log1p(2 * mpmath.exp(-g))  # noqa: E731
        g = _mp(gap)
        return -g * mpmath.diff(loss, g) / loss(g)


@claim(
    "stability-tiny-loss-condition-noise",
    "The relative change of the loss of $(40, 0, 0)$ caused by a relative change of $2^{-53}$ "
    "in the lead (half a unit in the last place of a float64): the relative condition number "
    "times $2^{-53}$.",
    reference="mpmath at 50 digits: $-g L'(g) / L(g)$ with the derivative taken numerically, "
    "times $2^{-53}$",
    fmt=_sci(1),
)
def tiny_loss_condition_noise() -> float:
    return _condition(GAP) * 2.0**-53


@tiny_loss_condition_noise.check
def _(value: float) -> None:
    assert _rel(value, _mp_condition(GAP) * mpmath.mpf(2) ** -53) < 1e-14


@claim(
    "stability-tiny-loss-condition-float32",
    "The same for a lead computed in float32, uncertain by a relative $2^{-24}$: the relative "
    "condition number of the loss of $(40, 0, 0)$ times $2^{-24}$.",
    reference="mpmath at 50 digits: $-g L'(g) / L(g)$ with the derivative taken numerically, "
    "times $2^{-24}$",
    fmt=_sci(1),
)
def tiny_loss_condition_float32() -> float:
    return _condition(GAP) * 2.0**-24


@tiny_loss_condition_float32.check
def _(value: float) -> None:
    assert _rel(value, _mp_condition(GAP) * mpmath.mpf(2) ** -24) < 1e-14


# --- soft targets -------------------------------------------------------------------------------

SOFT_LOGITS = (0.0, -800.0, 0.0)
SOFT_TARGET = (0.5, 0.0, 0.5)


@claim(
    "stability-soft-target-naive-nan",
    "The soft-target cross-entropy $-\\sum_k t_k \\log p_k$ of the logits $(0, -800, 0)$ and "
    "the target $(0.5, 0, 0.5)$, with $p$ the textbook softmax: its middle probability "
    "underflows to 0, and $0 \\cdot \\log 0$ is `nan`.",
    reference="mpmath at 50 digits: the true loss $\\log(2 + e^{-800})$ is finite",
    fmt="`{}`",
)
def soft_target_naive_nan() -> str:
    q = naive.softmax(list(SOFT_LOGITS))
    with np.errstate(divide="ignore", invalid="ignore"):
        return str(float(-np.sum(np.asarray(SOFT_TARGET) * np.log(q))))


@soft_target_naive_nan.check
def _(value: str) -> None:
    assert value == "nan"
    with mpmath.workdps(DIGITS):
        assert mpmath.isfinite(mpmath.log(2 + mpmath.exp(-800)))


@claim(
    "stability-soft-target-ce-book",
    "`ce_book.losses.cross_entropy` of the same logits and soft target: the log-probabilities "
    "come from the log-softmax, finite when the differences of the logits are finite floats, so "
    "the zero target costs nothing.",
    reference="mpmath: $-\\sum_k t_k (z_k - \\log \\sum_j e^{z_j})$ at 50 digits",
    fmt="{:.6f}",
)
def soft_target_ce_book() -> float:
    return float(losses.cross_entropy([list(SOFT_LOGITS)], [list(SOFT_TARGET)]))


@soft_target_ce_book.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        z = [_mp(v) for v in SOFT_LOGITS]
        lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in z))
        exact = -mpmath.fsum(_mp(t) * (v - lse) for t, v in zip(SOFT_TARGET, z, strict=True))
    assert _rel(value, exact) < 4e-16


# --- adding up many losses ----------------------------------------------------------------------

N_LOSSES = 10**6
EACH = 0.7


def _sum_error(total: np.float32) -> float:
    """Relative error of a float32 total of N_LOSSES copies of float32(EACH), in exact fractions."""
    exact = Fraction(float(F32(EACH))) * N_LOSSES
    return float(abs(Fraction(float(total)) - exact) / exact)


@claim(
    "stability-running-sum-error",
    "Relative error of a running float32 total (one addition after another, `numpy.cumsum`) of "
    "a million losses of 0.7 each.",
    reference="exact rational arithmetic: the total is a million times the float32 nearest 0.7",
    fmt=_sci(0),
)
def running_sum_error() -> float:
    return _sum_error(np.cumsum(np.full(N_LOSSES, EACH, dtype=F32))[-1])


@running_sum_error.check
def _(value: float) -> None:
    # replay the running total in exact fractions, rounding each partial sum to float32
    total, term = F32(0), F32(EACH)
    for _ in range(N_LOSSES):
        total = F32(total + term)
    assert value == _sum_error(total) and value > 1e-3


@claim(
    "stability-pairwise-sum-error",
    "Relative error of the same float32 total formed by `numpy.sum`, which adds in pairs.",
    reference="exact rational arithmetic; the bound for pairwise summation, about "
    "$\\log_2 n$ roundings of $2^{-24}$ each",
    fmt=_sci(0),
)
def pairwise_sum_error() -> float:
    return _sum_error(np.sum(np.full(N_LOSSES, EACH, dtype=F32)))


@pairwise_sum_error.check
def _(value: float) -> None:
    assert value <= np.log2(N_LOSSES) * 2.0**-24


# --- the slope of the binary loss ---------------------------------------------------------------


@claim(
    "stability-bce-slope-naive-nan",
    "The slope of the binary cross-entropy of label 0 at logit 800, computed as the textbook "
    "$e^{z} / (1 + e^{z})$: $e^{800}$ overflows and $\\infty / \\infty$ is `nan`.",
    reference="mpmath at 50 digits: the true slope $e^{800} / (1 + e^{800})$ is within "
    "$e^{-800}$ of 1",
    fmt="`{}`",
)
def bce_slope_naive_nan() -> str:
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(F64(800.0))
        return str(float(e / (1 + e)))


@bce_slope_naive_nan.check
def _(value: str) -> None:
    assert value == "nan"
    with mpmath.workdps(DIGITS):
        assert 1 - mpmath.exp(800) / (1 + mpmath.exp(800)) < mpmath.exp(-799)


@claim(
    "stability-bce-slope-cancel",
    "The slope of the binary cross-entropy of label 1 at logit 40, computed as $\\sigma(z) - 1$ "
    "with the stable sigmoid: $\\sigma(40)$ rounds to 1 and the difference is 0.",
    reference="mpmath at 50 digits: the true slope $-\\sigma(-40)$ is not 0",
    fmt="{:g}",
)
def bce_slope_cancel() -> float:
    return float(activations.sigmoid(GAP) - 1.0)


@bce_slope_cancel.check
def _(value: float) -> None:
    assert value == 0.0
    with mpmath.workdps(DIGITS):
        assert 1 / (1 + mpmath.exp(GAP)) > 0


@claim(
    "stability-bce-slope-stable",
    "The same slope computed as $-\\sigma(-40)$ with the stable sigmoid, without a subtraction.",
    reference="mpmath: $-1 / (1 + e^{40})$ at 50 digits",
    fmt=_sci(2),
)
def bce_slope_stable() -> float:
    return float(-activations.sigmoid(-GAP))


@bce_slope_stable.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert _rel(value, -1 / (1 + mpmath.exp(_mp(GAP)))) < 4e-16


@claim(
    "stability-masked-row-nan",
    "The shift by the largest logit on a fully masked row, logits $(-\\infty, -\\infty, "
    "-\\infty)$: the maximum $m$ is $-\\infty$ and $z_k - m$ is $-\\infty - (-\\infty)$, `nan`.",
    reference="IEEE 754: $\\infty - \\infty$ is an invalid operation whose result is NaN "
    "(mpmath agrees); where PyTorch is installed, its `F.cross_entropy` of the row is `nan` too",
    fmt="`{}`",
)
def masked_row_nan() -> str:
    row = np.full(3, -np.inf)
    with np.errstate(invalid="ignore"):
        return str(float((row - np.max(row))[0]))


@masked_row_nan.check
def _(value: str) -> None:
    assert value == "nan"
    assert mpmath.isnan(mpmath.mpf("-inf") - mpmath.mpf("-inf"))
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        return
    row = torch.full((1, 3), float("-inf"), dtype=torch.float64)
    assert torch.isnan(F.cross_entropy(row, torch.tensor([0])))


@claim(
    "stability-masked-row-ignored-grad-nan",
    "The gradient of a fully masked row of logits $(-\\infty, -\\infty, -\\infty)$ whose target is "
    "`ignore_index`: the loss skips the row, but the backward pass of its log-softmax, "
    "$g_j - p_j \\sum_k g_k$ with $g = 0$, multiplies 0 by the row's `nan` probabilities.",
    reference="IEEE 754: $\\infty - \\infty$ and $0 \\cdot \\mathrm{NaN}$ are NaN; where PyTorch "
    "is installed, the gradient `F.cross_entropy` gives the row (target $-100$, next to an "
    "ordinary row) is `nan` in every entry, and 0 when the mask is the format's most negative "
    "finite number, `torch.finfo(dtype).min`, instead (float32 and float64)",
    fmt="`{}`",
)
def masked_row_ignored_grad_nan() -> str:
    row = np.full(3, -np.inf)
    upstream = np.zeros(3)  # the ignored row's loss contributes nothing
    with np.errstate(invalid="ignore"):
        shifted = row - np.max(row)
        log_p = shifted - np.log(np.sum(np.exp(shifted)))
        grad = upstream - np.exp(log_p) * np.sum(upstream)
    return str(float(grad[0]))


@masked_row_ignored_grad_nan.check
def _(value: str) -> None:
    assert value == "nan"
    assert mpmath.isnan(0 * (mpmath.mpf("-inf") - mpmath.mpf("-inf")))
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        return
    target = torch.tensor([0, -100])
    for dtype in (torch.float32, torch.float64):
        for mask, bad in ((float("-inf"), True), (torch.finfo(dtype).min, False)):
            z = torch.tensor([[2.0, 0.0, 1.0], [mask] * 3], dtype=dtype, requires_grad=True)
            loss = F.cross_entropy(z, target)
            loss.backward()
            assert torch.isfinite(loss)
            assert bool(torch.isnan(z.grad[1]).all()) is bad
            assert torch.isfinite(z.grad[0]).all()
    # -1e308, finite in float64, is -inf in float32: the gradient is nan again
    assert torch.tensor(-1e308, dtype=torch.float32).item() == float("-inf")


@claim(
    "stability-float16-mask-overflow-logit",
    "The largest integer logit $z$ for which adding the most negative float16, $-65504$, gives "
    "$-\\infty$: the spacing of float16 numbers near 65504 is 32, and a sum at or beyond "
    "$65504 + 16$ in size rounds to infinity.",
    reference="IEEE 754 by hand: a float16 result overflows once its size is at least "
    "$(2 - 2^{-11}) \\cdot 2^{15} = 65520$, the largest float16 plus half its spacing "
    "(round to nearest even, the tie going to the even $2^{16}$)",
    fmt="{:d}",
)
def float16_mask_overflow_logit() -> int:
    low = np.float16(np.finfo(np.float16).min)
    with np.errstate(over="ignore"):
        return next(z for z in range(-1, -100, -1) if np.isinf(low + np.float16(z)))


@float16_mask_overflow_logit.check
def _(value: int) -> None:
    largest = (2 - Fraction(1, 2**10)) * 2**15
    threshold = (2 - Fraction(1, 2**11)) * 2**15
    assert largest == 65504 and threshold == 65520
    assert largest - value >= threshold > largest - (value + 1)
