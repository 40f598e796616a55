r"""Claims of chapter 2, binary cross-entropy: the sigmoid, the seven samples of the Pinecone
tutorial "Cross-Entropy Loss", why confident mistakes cost so much, why the loss should be
computed from logits, and multi-label classification with ``pos_weight``.

Every check recomputes its value independently: with mpmath at 50 digits from the formula
:math:`-[t \log p + (1 - t) \log(1 - p)]` or from :math:`\log(1 + e^{z}) - t z`, from the
tutorial's published numbers (typed from the article into :mod:`ce_book.tutorial_code`),
from a hand argument about float rounding, or against PyTorch 2.13.0.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
from scipy.optimize import brentq, minimize_scalar

from ce_book import gradients, losses, tutorial_code
from ce_book.activations import sigmoid, softmax
from ce_book.claims import claim
from ce_book.claims._format import vector
from ce_book.reference import (
    DIGITS,
    mp_binary_cross_entropy,
    mp_binary_cross_entropy_with_logits,
    mp_sigmoid,
    mp_softmax,
)

EPS64 = float(np.finfo(np.float64).eps)

TUTORIAL_T = tutorial_code.TUTORIAL_BINARY_INPUTS["t"]
TUTORIAL_P = tutorial_code.TUTORIAL_BINARY_INPUTS["p"]
PUBLISHED = tutorial_code.published_losses(tutorial_code.PUBLISHED_BINARY_OUTPUT)

MISTAKE_P = (0.9, 0.99, 0.999, 0.9999)  # confident predictions of the wrong class (t = 0)
SATURATED_Z = 17.0  # a float32 logit whose sigmoid rounds to exactly 1 (see the claim below)

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def scientific(value: float, digits: int) -> str:
    """``value`` as prose writes it: ``4.25 × 10⁻¹⁸``, or ``10¹²`` for an exact power of 10.

    >>> scientific(4.2483542552915889e-18, 2), scientific(1e12, 2)
    ('4.25 × 10⁻¹⁸', '10¹²')
    """
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    power = "10" + str(int(exponent)).translate(_SUPERSCRIPT)
    return power if float(mantissa) == 1 else f"{mantissa} × {power}"


def _tutorial_losses() -> np.ndarray:
    return losses.binary_cross_entropy(TUTORIAL_P, TUTORIAL_T, reduction="none")


# --- the sigmoid ----------------------------------------------------------------------------


@claim(
    "binary-sigmoid-log-odds",
    "The sigmoid of the log-odds $\\ln 3$ (odds of 3 to 1) is the probability $3/4$.",
    reference="exact: $\\sigma(\\ln 3) = 1/(1 + 1/3) = 3/4$",
    fmt="{:.2f}",
)
def binary_sigmoid_log_odds() -> float:
    return float(sigmoid(np.log(3.0)))


@binary_sigmoid_log_odds.check
def _(value: float) -> None:
    assert abs(value - 0.75) <= 2 * EPS64


# --- the tutorial's seven samples ---------------------------------------------------------------


def _tutorial_sample_claim(i: int) -> None:
    t, p = TUTORIAL_T[i], TUTORIAL_P[i]

    @claim(
        f"binary-tutorial-loss-{i + 1}",
        f"Binary cross-entropy of sample {i + 1} of the tutorial's example: label $t = {t}$, "
        f"predicted probability $p = {p}$.",
        reference="the tutorial's published per-sample loss, and mpmath at 50 digits",
        fmt="{:.4f}",
    )
    def seed_loss() -> float:
        return float(_tutorial_losses()[i])

    @seed_loss.check
    def _(value: float) -> None:
        assert abs(value - PUBLISHED[i]) <= 8 * EPS64 * PUBLISHED[i]
        assert abs(value - float(mp_binary_cross_entropy(p, t))) <= EPS64 * value


for _i in range(len(TUTORIAL_T)):
    _tutorial_sample_claim(_i)


@claim(
    "binary-tutorial-first-loss-error",
    "Relative error of the first sample's loss ($t = 0$, $p = 0.07$), in units of float64's "
    "machine epsilon $2^{-52}$: as the tutorial published it (computed as `log(1 - p)`, after "
    "$1 - 0.07$ has been rounded) and as the book computes it (`log1p(-p)`).",
    reference="mpmath at 50 digits: $-\\log(1 - p)$ for the float64 nearest 0.07",
    fmt=lambda value: f"{value[0]:.1f} and {value[1]:.1f}",
)
def binary_tutorial_first_loss_error() -> tuple[float, float]:
    book = float(_tutorial_losses()[0])
    with mpmath.workdps(DIGITS):
        exact = mp_binary_cross_entropy(TUTORIAL_P[0], TUTORIAL_T[0])  # the measuring stick
        return tuple(float(abs(v - exact) / exact) / EPS64 for v in (PUBLISHED[0], book))


@binary_tutorial_first_loss_error.check
def _(value: tuple[float, float]) -> None:
    with mpmath.workdps(DIGITS):
        exact = -mpmath.log1p(
            -mpmath.mpf(TUTORIAL_P[0])
        )  # log1p form, not the compute's log(1 - p)
        rounded_route = -mpmath.log(mpmath.mpf(1.0 - TUTORIAL_P[0]))  # log of the rounded 1 - p
        # the tutorial's value is the rounded route; the book's should be exact, correctly rounded
        expected = [
            float(abs(mpmath.mpf(float(v)) - exact) / exact) / EPS64 for v in (rounded_route, exact)
        ]
    assert PUBLISHED[0] == float(rounded_route)  # how the tutorial got it
    assert all(abs(v - e) <= 1e-9 for v, e in zip(value, expected, strict=True))
    assert value[0] > 2  # the tutorial's value is several units off
    assert value[1] <= 0.5  # the book's value is the correctly rounded one


@claim(
    "binary-tutorial-total",
    "Total binary cross-entropy of the tutorial's seven samples (its sum over the samples, "
    "PyTorch's `reduction='sum'`).",
    reference="the tutorial's published total 4.460303459760249, and mpmath at 50 digits",
    fmt="{:.4f}",
)
def binary_tutorial_total() -> float:
    return float(losses.binary_cross_entropy(TUTORIAL_P, TUTORIAL_T, reduction="sum"))


@binary_tutorial_total.check
def _(value: float) -> None:
    assert abs(value - tutorial_code.PUBLISHED_BINARY_TOTAL) <= 2 * EPS64 * value
    with mpmath.workdps(DIGITS):
        exact = mpmath.fsum(
            mp_binary_cross_entropy(p, t) for p, t in zip(TUTORIAL_P, TUTORIAL_T, strict=True)
        )
    assert abs(value - float(exact)) <= 4 * EPS64 * value


@claim(
    "binary-tutorial-mean",
    "Mean binary cross-entropy of the tutorial's seven samples (PyTorch's default, "
    "`reduction='mean'`).",
    reference="mpmath at 50 digits: the exact sum divided by 7",
    fmt="{:.4f}",
)
def binary_tutorial_mean() -> float:
    return float(losses.binary_cross_entropy(TUTORIAL_P, TUTORIAL_T))


@binary_tutorial_mean.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = (
            mpmath.fsum(
                mp_binary_cross_entropy(p, t) for p, t in zip(TUTORIAL_P, TUTORIAL_T, strict=True)
            )
            / 7
        )
    assert abs(value - float(exact)) <= 4 * EPS64 * value


@claim(
    "binary-tutorial-worst-sample",
    "The sample of the tutorial's example with the largest loss (counting from 1): the "
    "confident mistake $p = 0.85$ for label $0$.",
    reference="mpmath: the seven 50-digit losses, ranked",
    fmt="{:d}",
)
def binary_tutorial_worst_sample() -> int:
    return int(np.argmax(_tutorial_losses())) + 1


@binary_tutorial_worst_sample.check
def _(value: int) -> None:
    exact = [mp_binary_cross_entropy(p, t) for p, t in zip(TUTORIAL_P, TUTORIAL_T, strict=True)]
    assert value == 1 + max(range(len(exact)), key=exact.__getitem__)
    assert (TUTORIAL_T[value - 1], TUTORIAL_P[value - 1]) == (0, 0.85)


@claim(
    "binary-tutorial-code-numpy2-error",
    "Running the tutorial's `binary_cross_entropy` unchanged on NumPy 2 raises this error "
    "at its first line.",
    reference="NumPy 2 removed the alias `np.float_` (NumPy 2.0 release notes)",
    fmt=lambda value: f"`` {value} ``",
)
def binary_tutorial_code_numpy2_error() -> str:
    try:
        tutorial_code.run_tutorial_code("binary_cross_entropy", TUTORIAL_T, TUTORIAL_P)
    except AttributeError as err:
        return f"AttributeError: {err}"
    return "no error"


@binary_tutorial_code_numpy2_error.check
def _(value: str) -> None:
    assert int(np.__version__.split(".")[0]) >= 2
    assert not hasattr(np, "float_") and hasattr(np, "float64")
    assert value.startswith("AttributeError: ") and "np.float_" in value


@claim(
    "binary-tutorial-code-fixed-reproduces",
    "With `np.float_` replaced by `np.float64` (and nothing else changed), the tutorial's "
    "`binary_cross_entropy` prints the article's seven lines character for character and "
    "returns its published total.",
    reference="the tutorial's printed output and total, typed from the article",
    fmt=lambda value: "reproduced exactly" if value else "differs",
)
def binary_tutorial_code_fixed_reproduces() -> bool:
    run = tutorial_code.run_tutorial_code(
        "binary_cross_entropy", TUTORIAL_T, TUTORIAL_P, fixed=True
    )
    return run.printed == tutorial_code.PUBLISHED_BINARY_OUTPUT and run.total == (
        tutorial_code.PUBLISHED_BINARY_TOTAL
    )


@binary_tutorial_code_fixed_reproduces.check
def _(value: bool) -> None:
    assert value is True
    assert (
        tutorial_code.tutorial_source("binary_cross_entropy", fixed=True).count("np.float64(") == 2
    )


def _tutorial_code_losses(cases: tuple[tuple[float, float], ...]) -> tuple[float, ...]:
    """The repaired tutorial function on one sample at a time, its NumPy warnings silenced."""
    with np.errstate(all="ignore"):
        return tuple(
            tutorial_code.run_tutorial_code("binary_cross_entropy", [t], [p], fixed=True).total
            for t, p in cases
        )


@claim(
    "binary-tutorial-code-certain",
    "The repaired tutorial function on a certain prediction, $p = 1$: for label 1 (certain "
    "and right, true loss 0) and for label 0 (certain and wrong, true loss infinite).",
    reference="IEEE 754 by hand: for label 1 the formula multiplies $1 - t = 0$ by "
    "$\\log(1 - p) = -\\infty$, and $0 \\cdot (-\\infty)$ is nan; for label 0, "
    "$-\\log 0 = +\\infty$ (Python's own float arithmetic)",
    fmt=lambda value: f"{value[0]} and {value[1]}",
)
def binary_tutorial_code_certain() -> tuple[float, float]:
    return _tutorial_code_losses(((1, 1.0), (0, 1.0)))


@binary_tutorial_code_certain.check
def _(value: tuple[float, float]) -> None:
    import math

    assert math.isnan(value[0]) and math.isnan(0.0 * -math.inf)
    assert value[1] == math.inf


@claim(
    "binary-tutorial-code-invalid",
    "The repaired tutorial function on an invalid label: the label 2 with the probability "
    "0.9 gives a negative loss, and raises no error. (The probability 1.2 with label 0 gives "
    "nan, checked alongside.)",
    reference="by hand: $-[2 \\log 0.9 + (1 - 2) \\log 0.1] = \\log 0.1 - 2 \\log 0.9$, "
    "with mpmath; and $\\log(1 - 1.2)$ is the log of a negative number, nan",
    fmt="{:.2f}",
)
def binary_tutorial_code_invalid() -> float:
    return _tutorial_code_losses(((2, 0.9),))[0]


@binary_tutorial_code_invalid.check
def _(value: float) -> None:
    import math

    assert math.isnan(_tutorial_code_losses(((0, 1.2),))[0])
    with mpmath.workdps(DIGITS):
        exact = mpmath.log(mpmath.mpf("0.1")) - 2 * mpmath.log(mpmath.mpf("0.9"))
    assert value < 0
    assert abs(value - float(exact)) <= 1e-14


# --- confident mistakes ------------------------------------------------------------------------


@claim(
    "bce-confident-mistake-losses",
    "Binary cross-entropy when the label is $0$ and the model says $p = 0.9, 0.99, 0.999, 0.9999$.",
    reference="mpmath at 50 digits: $-\\log(1 - p)$",
    fmt=lambda value: _and_list(value, "{:.3f}"),
)
def bce_confident_mistake_losses() -> list[float]:
    p = np.array(MISTAKE_P)
    return losses.binary_cross_entropy(p, np.zeros_like(p), reduction="none").tolist()


@bce_confident_mistake_losses.check
def _(value: list[float]) -> None:
    for v, p in zip(value, MISTAKE_P, strict=True):
        assert abs(v - float(mp_binary_cross_entropy(p, 0))) <= 1e-15 * v


def _and_list(values: list[float], spec: str) -> str:
    """Numbers as a sentence lists them: ``2.303, 4.605, 6.908 and 9.210``."""
    parts = [spec.format(v) for v in values]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


@claim(
    "squared-error-confident-mistakes",
    "Squared error $(p - t)^2$ when the label is $0$ and the model says "
    "$p = 0.9, 0.99, 0.999, 0.9999$: it saturates below 1.",
    reference="exact fractions: $p^2$ for the decimal inputs",
    fmt=lambda value: _and_list(value, "{:.4g}"),
)
def squared_error_confident_mistakes() -> list[float]:
    p = np.array(MISTAKE_P)
    return ((p - 0.0) ** 2).tolist()


@squared_error_confident_mistakes.check
def _(value: list[float]) -> None:
    for v, p in zip(value, ("0.9", "0.99", "0.999", "0.9999"), strict=True):
        assert abs(v - float(Fraction(p) ** 2)) <= 1e-15
    assert [f"{v:.4g}" for v in value] == ["0.81", "0.9801", "0.998", "0.9998"]


@claim(
    "bce-loss-per-nine",
    "Each extra nine in a confident wrong prediction ($0.9 \\to 0.99 \\to 0.999 \\to 0.9999$) "
    "adds the same amount to the loss: $\\ln 10$ nats (the mean step is shown).",
    reference="mpmath: $\\ln 10$; $-\\log(1 - p)$ grows by $\\ln 10$ when $1 - p$ shrinks tenfold",
    fmt="{:.3f}",
)
def bce_loss_per_nine() -> float:
    return float(np.mean(np.diff(bce_confident_mistake_losses())))


@bce_loss_per_nine.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = [-mpmath.log1p(-mpmath.mpf(p)) for p in MISTAKE_P]  # of the floats 0.9, ...
        mean_step = (exact[-1] - exact[0]) / (len(exact) - 1)
        assert abs(value - float(mean_step)) <= 1e-14
        # ln 10 only up to the rounding of the decimal inputs (1 - 0.9999 is not 10^-4)
        assert abs(value - float(mpmath.log(10))) < 1e-12


@claim(
    "bce-gradient-confident-mistake",
    "The slope of the loss with respect to $p$ when the label is $0$ and $p = 0.999$: "
    "$1/(1 - p)$, so the push away from a confident mistake grows without bound.",
    reference="hand derivation: $\\frac{d}{dp}[-\\log(1 - p)] = 1/(1 - p)$, in mpmath",
    fmt="{:.0f}",
)
def bce_gradient_confident_mistake() -> float:
    return float(gradients.binary_cross_entropy_grad([0.999], [0.0], reduction="sum")[0])


@bce_gradient_confident_mistake.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = 1 / (1 - mpmath.mpf(0.999))
    assert abs(value - float(exact)) <= 1e-12 * value


# --- why the logits form --------------------------------------------------------------------


def _first_saturating_integer(dtype: type) -> int:
    z = np.arange(1, 60, dtype=dtype)
    return int(z[np.flatnonzero(sigmoid(z) == 1)[0]])


@claim(
    "sigmoid-rounds-to-one",
    "The smallest whole-number logit $z$ whose sigmoid rounds to exactly $1$, in float32 "
    "and in float64, for the book's own `ce_book.activations.sigmoid` as for the textbook "
    "formula: $1 + e^{-z}$ rounds to 1 before the division. (Even a correctly rounded "
    "sigmoid would reach 1 a single step later, at 18 and 38.)",
    reference="hand argument: $1/(1 + e^{-z})$ rounds to 1 once $e^{-z}$ is at most half "
    "the spacing of floats above 1 ($2^{-24}$ in float32, $2^{-53}$ in float64), i.e. "
    "$z \\ge 24 \\ln 2$ or $53 \\ln 2$; evaluated with mpmath",
    fmt=lambda value: f"{value[0]} (float32) and {value[1]} (float64)",
)
def sigmoid_rounds_to_one() -> tuple[int, int]:
    return _first_saturating_integer(np.float32), _first_saturating_integer(np.float64)


@sigmoid_rounds_to_one.check
def _(value: tuple[int, int]) -> None:
    with mpmath.workdps(DIGITS):
        expected = tuple(int(mpmath.ceil(bits * mpmath.log(2))) for bits in (24, 53))
        assert value == expected == (17, 37)
        # where the float nearest to sigma(z) itself becomes 1 (spacing below 1: 2^-24, 2^-53)
        gap = {z: 1 - 1 / (1 + mpmath.exp(-z)) for z in (17, 18, 37, 38)}
        assert gap[17] > mpmath.mpf(2) ** -25 > gap[18]
        assert gap[37] > mpmath.mpf(2) ** -54 > gap[38]


def _saturated() -> tuple[np.ndarray, np.ndarray]:
    z = np.array([SATURATED_Z], dtype=np.float32)
    return z, np.zeros_like(z)


@claim(
    "bce-probability-form-saturated",
    "Float32, logit $z = 17$, label $0$: binary cross-entropy computed from the probability "
    "$\\sigma(z)$. The sigmoid has rounded to $1$, $\\log(1 - 1) = -\\infty$, and PyTorch's "
    "clamp of each log at $-100$ turns the loss into exactly 100.",
    reference="PyTorch 2.13.0: `F.binary_cross_entropy(torch.sigmoid(z), t)`",
    fmt="{:.0f}",
    needs=("torch",),
)
def bce_probability_form_saturated() -> float:
    z, t = _saturated()
    return float(losses.binary_cross_entropy(sigmoid(z), t)[()])


@bce_probability_form_saturated.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    z = torch.tensor([SATURATED_Z], dtype=torch.float32)
    assert value == F.binary_cross_entropy(torch.sigmoid(z), torch.zeros(1)).item() == 100.0


@claim(
    "bce-logits-form-saturated",
    "The same case (float32, $z = 17$, label $0$) computed from the logit with "
    "`binary_cross_entropy_with_logits`: the true loss $\\log(1 + e^{17})$, correctly rounded "
    "to float32.",
    reference="mpmath at 50 digits, rounded to float32; and PyTorch 2.13.0",
    fmt="{:.4f}",
    needs=("torch",),
)
def bce_logits_form_saturated() -> float:
    z, t = _saturated()
    return float(losses.binary_cross_entropy_with_logits(z, t)[()])


@bce_logits_form_saturated.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    assert value == float(np.float32(float(mp_binary_cross_entropy_with_logits(SATURATED_Z, 0))))
    z = torch.tensor([SATURATED_Z], dtype=torch.float32)
    assert value == F.binary_cross_entropy_with_logits(z, torch.zeros(1)).item()


@claim(
    "bce-probability-form-gradient-saturated",
    "The gradient with respect to the logit in that case (float32, $z = 17$, label $0$) when "
    "the loss is computed from $\\sigma(z)$: the chain rule multiplies by "
    "$\\sigma(z)(1 - \\sigma(z)) = 1 \\cdot 0$, so the model's most confident mistake "
    "teaches it nothing.",
    reference="PyTorch 2.13.0 autograd through `torch.sigmoid` and `F.binary_cross_entropy`",
    fmt="{:.0f}",
    needs=("torch",),
)
def bce_probability_form_gradient_saturated() -> float:
    z, t = _saturated()
    p = sigmoid(z)
    # autograd's chain rule: dL/dp times the sigmoid's backward rule p (1 - p)
    return float((gradients.binary_cross_entropy_grad(p, t) * (p * (1 - p)))[0])


@bce_probability_form_gradient_saturated.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    z = torch.tensor([SATURATED_Z], dtype=torch.float32, requires_grad=True)
    F.binary_cross_entropy(torch.sigmoid(z), torch.zeros(1)).backward()
    assert value == z.grad.item() == 0.0


@claim(
    "bce-logits-form-gradient-saturated",
    "The gradient with respect to the logit in the same case from the logits form: "
    "$\\sigma(z) - t$, a full-strength push of (almost exactly) 1.",
    reference="hand derivation $\\sigma(17) - 0$ in mpmath, to float32 precision; and PyTorch "
    "2.13.0 autograd through `F.binary_cross_entropy_with_logits`",
    fmt="{:.4f}",
    needs=("torch",),
)
def bce_logits_form_gradient_saturated() -> float:
    z, t = _saturated()
    return float(gradients.binary_cross_entropy_with_logits_grad(z, t)[0])


@bce_logits_form_gradient_saturated.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    with mpmath.workdps(DIGITS):
        exact = 1 / (1 + mpmath.exp(-SATURATED_Z))
    assert abs(value - float(exact)) <= float(np.finfo(np.float32).eps)  # within a float32 step
    z = torch.tensor([SATURATED_Z], dtype=torch.float32, requires_grad=True)
    F.binary_cross_entropy_with_logits(z, torch.zeros(1)).backward()
    assert value == z.grad.item()


@claim(
    "bce-probability-form-error-before-saturation",
    "Float32, logit $z = 15$, label $0$: the relative error of the loss computed from "
    "$\\sigma(z)$, which has not yet rounded to 1 but has lost most of its digits in "
    "$1 - \\sigma(z)$.",
    reference="PyTorch 2.13.0 computes the same float32 value; mpmath at 50 digits gives "
    "the true loss $\\log(1 + e^{15})$",
    fmt="{:.1%}",
    needs=("torch",),
)
def bce_probability_form_error_before_saturation() -> float:
    z = np.array([15.0], dtype=np.float32)
    got = float(losses.binary_cross_entropy(sigmoid(z), np.zeros_like(z))[()])
    truth = float(losses.binary_cross_entropy_with_logits(z.astype(np.float64), [0.0])[()])
    return abs(got - truth) / truth


@bce_probability_form_error_before_saturation.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    z = torch.tensor([15.0], dtype=torch.float32)
    torch_value = F.binary_cross_entropy(torch.sigmoid(z), torch.zeros(1)).item()
    truth = mp_binary_cross_entropy_with_logits(15.0, 0)
    assert abs(value - float(abs(torch_value - truth) / truth)) < 1e-6
    assert 0.005 < value < 0.05  # about one per cent: wrong in the second digit


@claim(
    "sigmoid-complement-error-float32",
    "Float32, logit $z = 15$: the relative error of $1 - \\sigma(z)$ formed from the stored "
    "float32 sigmoid, against the true $1 - \\sigma(15) = 1/(1 + e^{15})$.",
    reference="mpmath at 50 digits for the true value; PyTorch 2.13.0's float32 sigmoid for the "
    "stored one",
    fmt="{:.0%}",
    needs=("torch",),
)
def sigmoid_complement_error_float32() -> float:
    s = sigmoid(np.array([15.0], dtype=np.float32))
    stored = float((np.float32(1) - s)[0])
    truth = 1.0 / (1.0 + np.exp(15.0))
    return abs(stored - truth) / truth


@sigmoid_complement_error_float32.check
def _(value: float) -> None:
    import torch

    stored = (1 - torch.sigmoid(torch.tensor([15.0], dtype=torch.float32))).item()
    truth = 1 / (1 + mpmath.exp(mpmath.mpf(15)))
    assert abs(value - float(abs(stored - truth) / truth)) < 1e-6
    assert 0.1 < value < 0.3  # not even the first digit is right


FLOAT64_Z = 40.0  # a float64 logit past the cliff: sigma rounds to 1 from 37 on


def _float64_cliff() -> tuple[np.ndarray, np.ndarray]:
    return np.array([FLOAT64_Z]), np.zeros(1)


@claim(
    "bce-probability-form-float64",
    "Float64, logit $z = 40$, label $0$: the loss computed from $\\sigma(z)$, which has "
    "rounded to 1, so $\\log(1 - 1) = -\\infty$ and PyTorch's clamp of each log at $-100$ "
    "reports 100.",
    reference="PyTorch 2.13.0: `F.binary_cross_entropy(torch.sigmoid(z), t)` in float64",
    fmt="{:.0f}",
    needs=("torch",),
)
def bce_probability_form_float64() -> float:
    z, t = _float64_cliff()
    return float(losses.binary_cross_entropy(sigmoid(z), t)[()])


@bce_probability_form_float64.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    z = torch.tensor([FLOAT64_Z], dtype=torch.float64)
    t = torch.zeros(1, dtype=torch.float64)
    assert value == F.binary_cross_entropy(torch.sigmoid(z), t).item() == 100.0


@claim(
    "bce-logits-form-float64",
    "The same case (float64, $z = 40$, label $0$) computed from the logit: the true loss "
    "$\\log(1 + e^{40})$, which is 40 plus $4 \\times 10^{-18}$.",
    reference="mpmath at 50 digits: $\\log(1 + e^{40})$",
    fmt="{:.4f}",
)
def bce_logits_form_float64() -> float:
    z, t = _float64_cliff()
    return float(losses.binary_cross_entropy_with_logits(z, t)[()])


@bce_logits_form_float64.check
def _(value: float) -> None:
    exact = float(mp_binary_cross_entropy_with_logits(FLOAT64_Z, 0))
    assert abs(value - exact) <= EPS64 * exact


@claim(
    "bce-probability-form-gradient-float64",
    "The gradient with respect to the logit in the same case (float64, $z = 40$, label $0$) "
    "when the loss is computed from $\\sigma(z)$: the sigmoid's slope is $1 \\cdot 0$ once "
    "$\\sigma(z)$ is stored as 1, so the gradient is 0, as in float32 at $z = 17$.",
    reference="PyTorch 2.13.0 autograd through `torch.sigmoid` and `F.binary_cross_entropy` in "
    "float64",
    fmt="{:.0f}",
    needs=("torch",),
)
def bce_probability_form_gradient_float64() -> float:
    z, t = _float64_cliff()
    p = sigmoid(z)
    return float((gradients.binary_cross_entropy_grad(p, t) * (p * (1 - p)))[0])


@bce_probability_form_gradient_float64.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    z = torch.tensor([FLOAT64_Z], dtype=torch.float64, requires_grad=True)
    F.binary_cross_entropy(torch.sigmoid(z), torch.zeros(1, dtype=torch.float64)).backward()
    assert value == z.grad.item() == 0.0


@claim(
    "bce-logits-form-gradient-float64",
    "The gradient with respect to the logit in the same case (float64, $z = 40$, label $0$) "
    "from the logits form: $\\sigma(z) - t$, a full-strength push of (almost exactly) 1.",
    reference="mpmath at 50 digits: $\\sigma(40) - 0$; and PyTorch 2.13.0 autograd through "
    "`F.binary_cross_entropy_with_logits` in float64",
    fmt="{:.4f}",
    needs=("torch",),
)
def bce_logits_form_gradient_float64() -> float:
    z, t = _float64_cliff()
    return float(gradients.binary_cross_entropy_with_logits_grad(z, t)[0])


@bce_logits_form_gradient_float64.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    assert abs(value - float(mp_sigmoid(FLOAT64_Z))) <= EPS64
    z = torch.tensor([FLOAT64_Z], dtype=torch.float64, requires_grad=True)
    F.binary_cross_entropy_with_logits(z, torch.zeros(1, dtype=torch.float64)).backward()
    assert value == z.grad.item()


@claim(
    "bce-confident-correct-probability-form",
    "Float64, logit $z = 40$, label $1$: a confident correct prediction. Computed from "
    "$\\sigma(z)$, which rounds to 1, the loss is exactly $-\\log 1 = 0$.",
    reference="by hand: $e^{-40}$ is below $2^{-53}$, so $1 + e^{-40}$ rounds to 1 and "
    "$\\sigma(40)$ is stored as 1; and PyTorch 2.13.0's `F.binary_cross_entropy`",
    fmt="{:g}",
    needs=("torch",),
)
def bce_confident_correct_probability_form() -> float:
    z, t = np.array([FLOAT64_Z]), np.ones(1)
    return float(losses.binary_cross_entropy(sigmoid(z), t)[()])


@bce_confident_correct_probability_form.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    with mpmath.workdps(DIGITS):
        assert mpmath.exp(-FLOAT64_Z) < mpmath.mpf(2) ** -53
    z = torch.tensor([FLOAT64_Z], dtype=torch.float64)
    t = torch.ones(1, dtype=torch.float64)
    assert value == F.binary_cross_entropy(torch.sigmoid(z), t).item() == 0.0


@claim(
    "bce-confident-correct",
    "Float64, logit $z = 40$, label $1$: the loss of this confident correct prediction from "
    "the logit, the true, tiny $\\log(1 + e^{-40})$, kept by `log1p`.",
    reference="mpmath at 50 digits: $\\log(1 + e^{-40})$",
    fmt=lambda value: scientific(value, 2),
)
def bce_confident_correct() -> float:
    z, t = np.array([FLOAT64_Z]), np.ones(1)
    return float(losses.binary_cross_entropy_with_logits(z, t)[()])


@bce_confident_correct.check
def _(value: float) -> None:
    exact = float(mp_binary_cross_entropy_with_logits(FLOAT64_Z, 1))
    assert abs(value - exact) <= 2 * EPS64 * exact


# --- where the probability route invents its number --------------------------------------------

KERAS_EPSILON = 1e-7  # Keras's default ``epsilon``: probabilities are clipped into [eps, 1 - eps]


@claim(
    "bce-clamp-threshold",
    "The probability below which PyTorch's `binary_cross_entropy` (and the book's) replaces "
    "$\\log p$ by its clamp $-100$: $e^{-100}$. Below it, a label 1 is charged 100 nats "
    "whatever the true loss.",
    reference="mpmath at 50 digits: $e^{-100}$; and the book's `binary_cross_entropy` "
    "reports exactly 100 for a label 1 at a probability below it",
    fmt=lambda value: scientific(value, 1),
)
def bce_clamp_threshold() -> float:
    return float(np.exp(losses.LOG_CLAMP))


@bce_clamp_threshold.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(value - float(mpmath.exp(-100))) <= 2 * EPS64 * value
    assert float(losses.binary_cross_entropy([value / 10], [1.0])) == 100.0


@claim(
    "bce-keras-clip-cap",
    "The largest loss Keras's `BinaryCrossentropy` on probabilities can report for a label 1 "
    "on its JAX, NumPy and PyTorch backends, once it has clipped $p$ into "
    "$[\\epsilon, 1 - \\epsilon]$ with the default $\\epsilon = 10^{-7}$: $-\\log 10^{-7}$ nats, "
    "whatever the prediction below $\\epsilon$. (The TensorFlow backend also adds $\\epsilon$ "
    "inside the logarithm, so its cap is $-\\log(2 \\times 10^{-7})$, a little lower.)",
    reference="mpmath at 50 digits: $7 \\ln 10$",
    fmt="{:.1f}",
)
def bce_keras_clip_cap() -> float:
    return float(losses.binary_cross_entropy([KERAS_EPSILON], [1.0]))


@bce_keras_clip_cap.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(value - float(7 * mpmath.log(10))) <= 1e-12


# --- exercises ------------------------------------------------------------------------------


@claim(
    "bce-uninformed",
    "Binary cross-entropy of the uninformed prediction $p = 1/2$, whatever the label: "
    "$\\ln 2$ nats (one bit).",
    reference="mpmath at 50 digits: $\\ln 2$",
    fmt="{:.4f}",
)
def bce_uninformed() -> float:
    return float(losses.binary_cross_entropy([0.5, 0.5], [0.0, 1.0], reduction="sum") / 2)


@bce_uninformed.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(value - float(mpmath.log(2))) <= EPS64


@claim(
    "bce-base-rate-baseline",
    "Mean binary cross-entropy of the tutorial's seven labels when every sample is given the "
    "base rate $4/7$ (the share of label 1): the binary entropy $H(4/7)$ in nats.",
    reference="mpmath at 50 digits: $-(4/7)\\ln(4/7) - (3/7)\\ln(3/7)$",
    fmt="{:.4f}",
)
def bce_base_rate_baseline() -> float:
    rate = float(np.mean(TUTORIAL_T))
    return float(losses.binary_cross_entropy([rate] * len(TUTORIAL_T), TUTORIAL_T))


@bce_base_rate_baseline.check
def _(value: float) -> None:
    assert Fraction(sum(TUTORIAL_T), len(TUTORIAL_T)) == Fraction(4, 7)
    with mpmath.workdps(DIGITS):
        a, b = mpmath.mpf(4) / 7, mpmath.mpf(3) / 7
        exact = -(a * mpmath.log(a) + b * mpmath.log(b))
    assert abs(value - float(exact)) <= 4 * EPS64


@claim(
    "bce-logits-exercise",
    "Binary cross-entropy of the logit $z = -3$ with label $1$: $\\log(1 + e^{3}) = 3 + "
    "\\log(1 + e^{-3})$.",
    reference="mpmath at 50 digits: $\\log(1 + e^{3})$",
    fmt="{:.4f}",
)
def bce_logits_exercise() -> float:
    return float(losses.binary_cross_entropy_with_logits(-3.0, 1.0))


@bce_logits_exercise.check
def _(value: float) -> None:
    assert abs(value - float(mp_binary_cross_entropy_with_logits(-3.0, 1))) <= 2 * EPS64 * value


@claim(
    "bce-logits-exercise-correction",
    "The last term of the stable logits form at $z = -3$: $\\log(1 + e^{-|z|})$, the small "
    "correction that the loss of label 1 adds to the size of the logit.",
    reference="mpmath at 50 digits: $\\log(1 + e^{-3})$, and the loss of the exercise minus 3",
    fmt="{:.4f}",
)
def bce_logits_exercise_correction() -> float:
    z = -3.0
    return float(np.log1p(np.exp(-abs(z))))


@bce_logits_exercise_correction.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = mpmath.log(1 + mpmath.exp(-3))
        assert abs(value - float(exact)) <= 2 * EPS64 * value
        loss = mp_binary_cross_entropy_with_logits(-3.0, 1)
        assert abs(loss - 3 - exact) < mpmath.mpf(10) ** -40  # loss = |z| + correction


# --- where the zero gradient comes from ------------------------------------------------------


@claim(
    "bce-probability-gradient-at-one",
    "Float32: the gradient of `binary_cross_entropy` with respect to its input $p$ at "
    "$p = 1$, label $0$. PyTorch floors the denominator $p(1 - p)$ at $10^{-12}$, so the "
    "gradient is huge, not zero: the clamp of the log at $-100$ changes the loss, not this "
    "gradient.",
    reference="PyTorch 2.13.0 autograd of `F.binary_cross_entropy` at $p = 1$; "
    "$(1 - 0)/10^{-12}$ by hand",
    fmt=lambda value: scientific(value, 2),
    needs=("torch",),
)
def bce_probability_gradient_at_one() -> float:
    p = np.ones(1, dtype=np.float32)
    return float(gradients.binary_cross_entropy_grad(p, np.zeros_like(p))[0])


@bce_probability_gradient_at_one.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    p = torch.ones(1, requires_grad=True)
    F.binary_cross_entropy(p, torch.zeros(1)).backward()
    assert value == p.grad.item()
    assert abs(value - 1e12) <= 1e12 * float(np.finfo(np.float32).eps)


@claim(
    "sigmoid-slope-saturated-float32",
    "Float32: the sigmoid's slope $\\sigma(z)(1 - \\sigma(z))$ at $z = 17$, as autograd "
    "computes it from the stored $\\sigma(z)$, which has rounded to 1.",
    reference="mpmath: $e^{-17}$ is below $2^{-24}$, so $1 + e^{-17}$ rounds to 1 in float32, "
    "the stored $\\sigma(17)$ is 1 and the product is $1 \\cdot 0$; and PyTorch 2.13.0's "
    "`torch.sigmoid` backward",
    fmt="{:.0f}",
    needs=("torch",),
)
def sigmoid_slope_saturated_float32() -> float:
    z, _ = _saturated()
    p = sigmoid(z)
    return float((p * (1 - p))[0])


@sigmoid_slope_saturated_float32.check
def _(value: float) -> None:
    import torch

    with mpmath.workdps(DIGITS):
        # 1 + e^{-17} rounds to 1 in float32 (e^{-17} is below 2^{-24}, half the spacing above
        # 1), so the stored sigma(17) is 1 and the slope is 1 * (1 - 1)
        assert mpmath.exp(-SATURATED_Z) < mpmath.mpf(2) ** -24
    z = torch.tensor([SATURATED_Z], requires_grad=True)
    torch.sigmoid(z).backward()
    assert value == z.grad.item() == 0.0


CLIP_EPS = 1e-7


def _clipped_gradient(z: np.ndarray) -> np.ndarray:
    """d/dz of BCE(clip(sigma(z), eps, 1 - eps), 0), by the chain rule as autograd does it."""
    p = sigmoid(z)
    lo, hi = z.dtype.type(CLIP_EPS), z.dtype.type(1) - z.dtype.type(CLIP_EPS)
    clipped = np.clip(p, lo, hi)
    inside = ((p >= lo) & (p <= hi)).astype(z.dtype)  # the clip passes gradient only inside
    outer = gradients.binary_cross_entropy_grad(clipped, np.zeros_like(z), reduction="sum")
    return outer * inside * (p * (1 - p))


@claim(
    "bce-clipped-gradient-saturated",
    "Float32, $z = 17$, label $0$: the gradient with respect to the logit when $p = "
    "\\sigma(z)$ is first clipped into $[10^{-7}, 1 - 10^{-7}]$. The clip passes no gradient "
    "where it is active, and the sigmoid's slope is 0 as well.",
    reference="PyTorch 2.13.0 autograd through `torch.sigmoid`, `torch.clamp` and "
    "`F.binary_cross_entropy`",
    fmt="{:.0f}",
    needs=("torch",),
)
def bce_clipped_gradient_saturated() -> float:
    z, _ = _saturated()
    return float(_clipped_gradient(z)[0])


@bce_clipped_gradient_saturated.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    z = torch.tensor([SATURATED_Z], requires_grad=True)
    p = torch.sigmoid(z).clamp(CLIP_EPS, 1 - CLIP_EPS)
    F.binary_cross_entropy(p, torch.zeros(1)).backward()
    assert value == z.grad.item() == 0.0


@claim(
    "bce-logits-form-without-log1p",
    "Float64, $z = 40$, label $1$: the logits form $\\log(1 + e^{-z})$ evaluated literally, "
    "with `log(1 + exp(-z))`: $1 + e^{-40}$ rounds to 1 before the logarithm, so the loss is "
    "0; `log1p(exp(-z))` keeps it.",
    reference="mpmath: $e^{-40}$ is below $2^{-53}$, half the spacing of float64 above 1, so "
    "$1 + e^{-40}$ rounds to exactly 1",
    fmt="{:g}",
)
def bce_logits_form_without_log1p() -> float:
    return float(np.log(1 + np.exp(-40.0)))


@bce_logits_form_without_log1p.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert mpmath.exp(-40) < mpmath.mpf(2) ** -53
    assert value == 0.0
    assert float(np.log1p(np.exp(-40.0))) > 0


# --- multi-label classification ---------------------------------------------------------------

TAGS = ("beach", "dog", "person", "car")
TAG_LOGITS = (2.0, -1.0, -0.5, -3.0)
TAG_TARGETS = (1.0, 0.0, 1.0, 0.0)
#: negatives per positive of each tag in a training set where they occur 50, 25, 20, 10 % of
#: the time: the usual choice of ``pos_weight``.
TAG_POS_WEIGHT = (1.0, 3.0, 4.0, 9.0)


def _tag_arrays() -> tuple[np.ndarray, np.ndarray]:
    return np.array([TAG_LOGITS]), np.array([TAG_TARGETS])


@claim(
    "multilabel-sigmoid-probs",
    "Independent sigmoids of the four tag logits $(2, -1, -0.5, -3)$ (beach, dog, person, "
    "car): one probability per tag, and they need not sum to 1.",
    reference="mpmath at 50 digits: $1/(1 + e^{-z_k})$",
    fmt=vector(3),
)
def multilabel_sigmoid_probs() -> list[float]:
    return sigmoid(np.array(TAG_LOGITS)).tolist()


@multilabel_sigmoid_probs.check
def _(value: list[float]) -> None:
    for v, z in zip(value, TAG_LOGITS, strict=True):
        assert abs(v - float(mp_sigmoid(z))) <= 2 * EPS64


@claim(
    "multilabel-softmax-probs",
    "The softmax of the same four tag logits: the tags now compete for one unit of probability.",
    reference="mpmath at 50 digits: $e^{z_k} / \\sum_j e^{z_j}$",
    fmt=vector(3),
)
def multilabel_softmax_probs() -> list[float]:
    return softmax(np.array(TAG_LOGITS)).tolist()


@multilabel_softmax_probs.check
def _(value: list[float]) -> None:
    for v, e in zip(value, mp_softmax(TAG_LOGITS), strict=True):
        assert abs(v - float(e)) <= 2 * EPS64


@claim(
    "multilabel-bce-losses",
    "Per-tag binary cross-entropy of the four tag logits against the targets "
    "$(1, 0, 1, 0)$ (beach and person present): "
    '`BCEWithLogitsLoss(reduction="none")`.',
    reference="PyTorch 2.13.0: `nn.BCEWithLogitsLoss(reduction='none')` in float64; and "
    "mpmath at 50 digits",
    fmt=vector(3),
    needs=("torch",),
)
def multilabel_bce_losses() -> list[float]:
    z, t = _tag_arrays()
    return losses.binary_cross_entropy_with_logits(z, t, reduction="none")[0].tolist()


@multilabel_bce_losses.check
def _(value: list[float]) -> None:
    import torch

    for v, z, t in zip(value, TAG_LOGITS, TAG_TARGETS, strict=True):
        assert abs(v - float(mp_binary_cross_entropy_with_logits(z, t))) <= 2 * EPS64 * v
    z, t = (torch.tensor(a, dtype=torch.float64) for a in _tag_arrays())
    ref = torch.nn.BCEWithLogitsLoss(reduction="none")(z, t)[0].tolist()
    assert all(abs(a - b) <= 2 * EPS64 * a for a, b in zip(value, ref, strict=True))


@claim(
    "multilabel-bce-mean",
    '`BCEWithLogitsLoss()` (default `reduction="mean"`) of the four tags: the mean over all '
    "$N \\times K$ entries of the batch, here one example with four tags.",
    reference="PyTorch 2.13.0: `nn.BCEWithLogitsLoss()` in float64; and the exact sum of the "
    "four 50-digit losses over 4",
    fmt="{:.3f}",
    needs=("torch",),
)
def multilabel_bce_mean() -> float:
    z, t = _tag_arrays()
    return float(losses.binary_cross_entropy_with_logits(z, t))


@multilabel_bce_mean.check
def _(value: float) -> None:
    import torch

    with mpmath.workdps(DIGITS):
        exact = mpmath.fsum(
            mp_binary_cross_entropy_with_logits(z, t)
            for z, t in zip(TAG_LOGITS, TAG_TARGETS, strict=True)
        ) / len(TAGS)
    assert abs(value - float(exact)) <= 4 * EPS64
    z, t = (torch.tensor(a, dtype=torch.float64) for a in _tag_arrays())
    assert abs(value - torch.nn.BCEWithLogitsLoss()(z, t).item()) <= 4 * EPS64


@claim(
    "multilabel-pos-weight-losses",
    "Per-tag losses of the same example with `pos_weight` $(1, 3, 4, 9)$: only the present tag "
    "with a weight above 1 changes (person's loss is multiplied by 4; beach's weight is 1); "
    "dog and car are negatives here, so their weights do nothing.",
    reference="PyTorch 2.13.0: `nn.BCEWithLogitsLoss(reduction='none', pos_weight=...)` in "
    "float64; and $w_k$ times the 50-digit loss for the positives",
    fmt=vector(3),
    needs=("torch",),
)
def multilabel_pos_weight_losses() -> list[float]:
    z, t = _tag_arrays()
    return losses.binary_cross_entropy_with_logits(
        z, t, reduction="none", pos_weight=np.array(TAG_POS_WEIGHT)
    )[0].tolist()


@multilabel_pos_weight_losses.check
def _(value: list[float]) -> None:
    import torch

    for v, z, t, w in zip(value, TAG_LOGITS, TAG_TARGETS, TAG_POS_WEIGHT, strict=True):
        expected = (w if t == 1 else 1) * float(mp_binary_cross_entropy_with_logits(z, t))
        assert abs(v - expected) <= 4 * EPS64 * v
    z, t = (torch.tensor(a, dtype=torch.float64) for a in _tag_arrays())
    loss = torch.nn.BCEWithLogitsLoss(
        reduction="none", pos_weight=torch.tensor(TAG_POS_WEIGHT, dtype=torch.float64)
    )
    ref = loss(z, t)[0].tolist()
    assert all(abs(a - b) <= 4 * EPS64 * a for a, b in zip(value, ref, strict=True))


BASE_RATE = 0.1  # one positive in ten examples
POS_WEIGHTS = (1.0, 3.0, 9.0)


def _best_constant_prediction(w: float) -> float:
    """The constant prediction that minimises the mean weighted loss over 1 positive and 9
    negatives, found by minimising ``ce_book``'s loss over the logit."""
    t = np.array([1.0] + [0.0] * 9)

    def mean_loss(z: float) -> float:
        zs = np.full_like(t, z)
        return float(losses.binary_cross_entropy_with_logits(zs, t, pos_weight=np.array(w)))

    best = minimize_scalar(
        mean_loss, bounds=(-10.0, 10.0), method="bounded", options={"xatol": 1e-10}
    )
    return float(sigmoid(best.x))


@claim(
    "pos-weight-best-constant",
    "For a label present in 10 % of the examples, the constant prediction that minimises the "
    "mean loss with `pos_weight` $w = 1, 3, 9$: $w$ multiplies the odds, so the prediction "
    "is no longer the base rate.",
    reference="exact fractions: $w\\pi/(w\\pi + 1 - \\pi)$ with $\\pi = 1/10$; and PyTorch "
    "2.13.0: the gradient of the mean `BCEWithLogitsLoss` vanishes at that logit",
    fmt=lambda value: ", ".join(f"{v:.2f}" for v in value),
    needs=("torch",),
)
def pos_weight_best_constant() -> list[float]:
    return [_best_constant_prediction(w) for w in POS_WEIGHTS]


@pos_weight_best_constant.check
def _(value: list[float]) -> None:
    import torch

    pi = Fraction(1, 10)
    for v, w in zip(value, POS_WEIGHTS, strict=True):
        exact = Fraction(w) * pi / (Fraction(w) * pi + 1 - pi)
        assert abs(v - float(exact)) < 1e-6
        z = torch.tensor([float(mpmath.log(exact / (1 - exact)))] * 10, requires_grad=True)
        t = torch.tensor([1.0] + [0.0] * 9)
        loss = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(w))(z, t)
        loss.backward()
        assert abs(z.grad.sum().item()) < 1e-6
    assert [round(v, 2) for v in value] == [0.1, 0.25, 0.5]


@claim(
    "pos-weight-threshold",
    "The decision threshold on the unweighted model that makes the same decisions as a model "
    "trained with `pos_weight` $w = 9$ and thresholded at one half: the unweighted "
    "probability whose odds, multiplied by 9, are even.",
    reference="exact fraction $1/(1 + w)$ (derivation pos-weight-threshold)",
    fmt="{:.2f}",
)
def pos_weight_threshold() -> float:
    w = POS_WEIGHTS[-1]
    # the unweighted probability at which the weighted optimum, sigmoid(logit + log w), is 1/2
    return float(
        brentq(
            lambda p: float(sigmoid(np.log(p / (1 - p)) + np.log(w))) - 0.5, 1e-9, 0.5, xtol=1e-15
        )
    )


@pos_weight_threshold.check
def _(value: float) -> None:
    exact = Fraction(1) / (1 + Fraction(POS_WEIGHTS[-1]))
    assert abs(value - float(exact)) < 1e-12
