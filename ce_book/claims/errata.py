r"""Claims of the chapter "Misconceptions and errata": one demonstration per correction.

Every entry of :mod:`ce_book.errata` names a claim; most are here, a few live with the
chapter that owns the idea (information theory, numerical stability). Each check compares
with an independent source: exact fractions, mpmath at 50 digits, SymPy, Python itself, or
PyTorch (``needs=("torch",)``).
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import sympy

from ce_book import activations, gradients, info, losses, ordinal, tutorial_code
from ce_book.claims import claim
from ce_book.claims._format import signed
from ce_book.reference import DIGITS, close_to, mp_softmax, to_mpf

# --- 000: log bases, the counterexample, CE versus KL ------------------------------------

#: Pairs (p, q) on which the bits/nats ratio is measured.
BASE_PAIRS = (
    ((2 / 9, 3 / 9, 4 / 9), (4 / 9, 4 / 9, 1 / 9)),
    ((0.5, 0.5), (0.9, 0.1)),
    ((0.1, 0.2, 0.3, 0.4), (0.25, 0.25, 0.25, 0.25)),
)


@claim(
    "errata-bits-over-nats-constant",
    "The ratio of cross-entropy in bits to cross-entropy in nats, for three unrelated pairs "
    "$(p, q)$: the same number, $1/\\ln 2$, every time.",
    reference="mpmath: $1/\\ln 2$ at 50 digits",
    fmt="{:.4f}",
)
def bits_over_nats_constant() -> float:
    ratios = [
        float(info.cross_entropy(p, q, base=2) / info.cross_entropy(p, q)) for p, q in BASE_PAIRS
    ]
    assert max(ratios) - min(ratios) < 1e-15
    return ratios[0]


@bits_over_nats_constant.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, 1 / mpmath.log(2))


@claim(
    "errata-pytorch-uses-nats",
    "PyTorch's binary cross-entropy of the prediction $0.5$ for label 1: $\\ln 2$, so the "
    "library measures in nats.",
    reference="torch 2.13.0, compared with mpmath's $\\ln 2$",
    fmt="{:.4f}",
    needs=("torch",),
    recorded=True,
)
def pytorch_uses_nats() -> float:
    import torch
    import torch.nn.functional as F

    one = torch.tensor([1.0], dtype=torch.float64)
    return float(F.binary_cross_entropy(one / 2, one))


@pytorch_uses_nats.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, mpmath.log(2), 1e-15)


COUNTEREXAMPLE = (0.2, 0.2, 0.2, 0.2)


@claim(
    "errata-counterexample-total",
    'Total probability of the forum reply\'s "probability mass function" '
    "$[0.2, 0.2, 0.2, 0.2]$: not 1, so it is not a distribution, and "
    "`ce_book.info.cross_entropy` refuses it with a `ValueError` naming `p`.",
    reference="exact fractions: $4 \\cdot \\tfrac15 = \\tfrac45$",
    fmt="{:.1f}",
)
def counterexample_total() -> float:
    try:
        info.cross_entropy(COUNTEREXAMPLE, COUNTEREXAMPLE)
    except ValueError as err:
        assert str(err).startswith("p")
    else:
        raise AssertionError("cross_entropy accepted a vector that does not sum to 1")
    return float(np.sum(COUNTEREXAMPLE))


@counterexample_total.check
def _(value: float) -> None:
    assert sum(Fraction(1, 5) for _ in COUNTEREXAMPLE) == Fraction(4, 5)
    assert abs(value - 0.8) < 1e-15


@claim(
    "errata-four-terms-bits",
    "The forum reply's sum $-\\sum 0.2 \\log_2 0.2$ over four entries of $0.2$, in bits: "
    "$0.8 \\log_2 5$, not the published $\\log_2 5$.",
    reference="mpmath: $\\tfrac45 \\log_2 5$ at 50 digits",
    fmt="{:.4f}",
)
def four_terms_bits() -> float:
    four = np.full(4, 0.2)
    return float(np.sum(four * info.surprisal(four, base=2)))


@four_terms_bits.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, mpmath.mpf(4) / 5 * mpmath.log(5, 2))
        assert abs(value - float(mpmath.log(5, 2))) > 0.4


BINS_P = (2 / 9, 3 / 9, 4 / 9)
#: Several predictions q, all compared with the bins' P.
CANDIDATES = ((4 / 9, 4 / 9, 1 / 9), (1 / 3, 1 / 3, 1 / 3), (0.1, 0.1, 0.8), (0.6, 0.3, 0.1))


#: The two predictions whose cross-entropy and KL divergence the chapter shows.
SHOWN_Q = ((1 / 3, 1 / 3, 1 / 3), (0.1, 0.1, 0.8))


@claim(
    "errata-ce-minus-kl-constant",
    "$H(t, p) - D_{\\mathrm{KL}}(t \\,\\|\\, p)$ in bits for the bins' target $t$ and the "
    "uniform prediction; the prediction $(0.1, 0.1, 0.8)$ and two more give the same number, "
    "$H(t)$, while the ratios $H / D_{\\mathrm{KL}}$ differ.",
    reference="exact fractions with mpmath at 50 digits: $H(t) = -\\sum_k t_k \\log_2 t_k$",
    fmt="{:.3f}",
)
def ce_minus_kl_constant() -> float:
    gaps = [
        float(info.cross_entropy(BINS_P, q, base=2) - info.kl_divergence(BINS_P, q, base=2))
        for q in CANDIDATES
    ]
    assert max(gaps) - min(gaps) < 1e-14
    return gaps[CANDIDATES.index(SHOWN_Q[0])]


@ce_minus_kl_constant.check
def _(value: float) -> None:
    p = [Fraction(2, 9), Fraction(3, 9), Fraction(4, 9)]
    with mpmath.workdps(DIGITS):
        h = -mpmath.fsum(
            mpmath.mpf(x.numerator)
            / x.denominator
            * mpmath.log(mpmath.mpf(x.numerator) / x.denominator, 2)
            for x in p
        )
        assert close_to(value, h)
        ratios = []
        for q in CANDIDATES:
            ce = -mpmath.fsum(to_mpf(pi) * mpmath.log(qi, 2) for pi, qi in zip(p, q, strict=True))
            ratios.append(ce / (ce - h))
        assert max(ratios) - min(ratios) > 1  # no constant factor


#: Names of the two predictions of the chapter's small table, in the order of :data:`SHOWN_Q`.
_SHOWN_NAMES = ("uniform", "peaked")


def _mp_bins_ce_kl(k: int) -> tuple[mpmath.mpf, mpmath.mpf]:
    """H(t, p) and D_KL(t || p) in bits at 50 digits, for the bins' t and prediction k."""
    t = [mpmath.mpf(2) / 9, mpmath.mpf(3) / 9, mpmath.mpf(4) / 9]
    pm = [mpmath.mpf(1) / 3] * 3 if k == 0 else [mpmath.mpf("0.1")] * 2 + [mpmath.mpf("0.8")]
    h = -mpmath.fsum(ti * mpmath.log(pi, 2) for ti, pi in zip(t, pm, strict=True))
    d = mpmath.fsum(ti * mpmath.log(ti / pi, 2) for ti, pi in zip(t, pm, strict=True))
    return h, d


def _register_ce_kl_cells(k: int) -> None:
    q = SHOWN_Q[k]
    shown = "the uniform prediction" if k == 0 else "the prediction $(0.1, 0.1, 0.8)$"
    name = _SHOWN_NAMES[k]

    @claim(
        f"errata-ce-table-{name}-ce",
        f"$H(t, p)$ in bits for the bins' target $t = (2/9, 3/9, 4/9)$ and {shown}.",
        reference="mpmath at 50 digits: $-\\sum_k t_k \\log_2 p_k$",
        fmt="{:.3f}",
    )
    def ce() -> float:
        return float(info.cross_entropy(BINS_P, q, base=2))

    @ce.check
    def _(value: float) -> None:
        with mpmath.workdps(DIGITS):
            assert close_to(value, _mp_bins_ce_kl(k)[0])

    @claim(
        f"errata-ce-table-{name}-kl",
        f"$D_{{\\mathrm{{KL}}}}(t \\,\\|\\, p)$ in bits for the bins' target $t$ and {shown}.",
        reference="mpmath at 50 digits: $\\sum_k t_k \\log_2(t_k / p_k)$",
        fmt="{:.3f}",
    )
    def kl() -> float:
        return float(info.kl_divergence(BINS_P, q, base=2))

    @kl.check
    def _(value: float) -> None:
        with mpmath.workdps(DIGITS):
            assert close_to(value, _mp_bins_ce_kl(k)[1])

    @claim(
        f"errata-ce-table-{name}-ratio",
        f"The ratio $H(t, p) / D_{{\\mathrm{{KL}}}}(t \\,\\|\\, p)$ for the bins' target $t$ "
        f"and {shown}.",
        reference="mpmath at 50 digits: the ratio of the two sums",
        fmt="{:.1f}",
    )
    def ratio() -> float:
        return float(info.cross_entropy(BINS_P, q, base=2) / info.kl_divergence(BINS_P, q, base=2))

    @ratio.check
    def _(value: float) -> None:
        with mpmath.workdps(DIGITS):
            h, d = _mp_bins_ce_kl(k)
            assert close_to(value, h / d, 1e-12)


for _k in range(len(SHOWN_Q)):
    _register_ce_kl_cells(_k)


# --- the log of one probability, and of a product ------------------------------------------


@claim(
    "errata-log-size-threshold",
    "The probability $p$ at which $-\\ln p = p$: below it the log of a probability is larger "
    "in size than the probability, above it smaller.",
    reference="mpmath: the omega constant $W(1)$, the solution of $x e^{x} = 1$, at 50 digits",
    fmt="{:.3f}",
)
def log_size_threshold() -> float:
    lo, hi = 0.1, 0.9  # p + ln p changes sign between them
    for _ in range(200):
        mid = (lo + hi) / 2
        if mid + float(np.log(mid)) < 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


@log_size_threshold.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, mpmath.lambertw(1).real, 1e-14)
        assert -mpmath.log(mpmath.mpf("0.9")) < mpmath.mpf("0.9")  # above it: smaller in size
        assert -mpmath.log(mpmath.mpf("0.4")) > mpmath.mpf("0.4")  # below it: larger


@claim(
    "errata-log-of-nine-tenths",
    "The natural log of the probability $0.9$: smaller in size than $0.9$ itself.",
    reference="mpmath: $\\ln 0.9$ at 50 digits",
    fmt=signed("{:.3f}"),
)
def log_of_nine_tenths() -> float:
    return float(np.log(0.9))


@log_of_nine_tenths.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, mpmath.log(mpmath.mpf("0.9")))
    assert abs(value) < 0.9


# --- 003 and readers: loss versus accuracy ------------------------------------------------

TIMID = (0.45, 0.45, 0.45, 0.45)  # probability given to the true label (label 1 everywhere)
BOLD = (0.6, 0.6, 0.6, 0.01)


def _loss_and_accuracy(p: tuple[float, ...]) -> tuple[float, float]:
    p_arr = np.array(p)
    loss = float(losses.binary_cross_entropy(p_arr, np.ones_like(p_arr)))
    return loss, float(np.mean(p_arr > 0.5))


@claim(
    "errata-lower-loss-lower-accuracy",
    "Two binary classifiers on four examples of class 1. The timid one gives each the "
    "probability $0.45$; the bold one gives $0.6$ to three of them and $0.01$ to the last. "
    "Mean cross-entropy of the timid one (accuracy 0%) against the bold one (accuracy 75%).",
    reference="mpmath: $-\\ln 0.45$ and $-(3\\ln 0.6 + \\ln 0.01)/4$ at 50 digits; "
    "accuracy counted by hand",
    fmt=lambda v: f"{v[0]:.2f} against {v[2]:.2f}",
)
def lower_loss_lower_accuracy() -> tuple[float, float, float, float]:
    return (*_loss_and_accuracy(TIMID), *_loss_and_accuracy(BOLD))


@lower_loss_lower_accuracy.check
def _(value: tuple[float, float, float, float]) -> None:
    timid_loss, timid_acc, bold_loss, bold_acc = value
    with mpmath.workdps(DIGITS):
        assert close_to(timid_loss, -mpmath.log(mpmath.mpf("0.45")))
        expected = -(3 * mpmath.log(mpmath.mpf("0.6")) + mpmath.log(mpmath.mpf("0.01"))) / 4
        assert close_to(bold_loss, expected)
    assert (timid_acc, bold_acc) == (0.0, 0.75)
    assert timid_loss < bold_loss and timid_acc < bold_acc


# --- 001: softmax, nll_loss, the gradient, the slogan -------------------------------------


@claim(
    "errata-softmax-slight-gap",
    "The largest softmax probability for the logits $(1.1, 1, 1)$: one logit slightly bigger "
    "than the others is not close to 1.",
    reference="mpmath: $e^{1.1} / (e^{1.1} + 2e)$ at 50 digits",
    fmt="{:.2f}",
)
def softmax_slight_gap() -> float:
    return float(activations.softmax([1.1, 1.0, 1.0])[0])


@softmax_slight_gap.check
def _(value: float) -> None:
    assert close_to(value, mp_softmax((1.1, 1.0, 1.0))[0])
    assert value < 0.4


NLL_INPUT = ((0.5, 2.0, -1.0), (3.0, 0.0, 1.5))  # not log-probabilities: any numbers
NLL_TARGET = (1, 2)


@claim(
    "errata-nll-loss-picks-and-negates",
    "`ce_book.losses.nll_loss` on the rows $(0.5, 2, -1)$ and $(3, 0, 1.5)$ with targets 1 "
    "and 2: minus the mean of the picked entries 2 and 1.5. No softmax, no log.",
    reference="hand computation: $-(2 + 1.5)/2$",
    fmt=signed("{:.2f}"),
)
def nll_loss_picks_and_negates() -> float:
    return float(losses.nll_loss(np.array(NLL_INPUT), np.array(NLL_TARGET)))


@nll_loss_picks_and_negates.check
def _(value: float) -> None:
    assert value == -(2.0 + 1.5) / 2
    with mpmath.workdps(DIGITS):  # what "softmax, then negative" would have given
        softmax_then_negative = -(mp_softmax(NLL_INPUT[0])[1] + mp_softmax(NLL_INPUT[1])[2]) / 2
    assert abs(value - float(softmax_then_negative)) > 1


@claim(
    "errata-torch-nll-loss",
    "`torch.nn.functional.nll_loss` on the same rows and targets: the same number, so "
    "PyTorch also only picks and negates.",
    reference="torch 2.13.0 against the hand computation $-(2 + 1.5)/2$",
    fmt=signed("{:.2f}"),
    needs=("torch",),
    recorded=True,
)
def torch_nll_loss() -> float:
    import torch
    import torch.nn.functional as F

    return float(F.nll_loss(torch.tensor(NLL_INPUT), torch.tensor(NLL_TARGET)))


@torch_nll_loss.check
def _(value: float) -> None:
    assert value == -(2.0 + 1.5) / 2


AFFINE_A, AFFINE_B = np.zeros(3), np.array([6.0, 0.0, 0.0])


@claim(
    "errata-ce-gradient-not-affine",
    r"For true class 1, the gradient $g(z) = p - t$ at the midpoint $(3, 0, 0)$ of the logits "
    r"$a = (0, 0, 0)$ and $b = (6, 0, 0)$, compared with the mean of $g(a)$ and $g(b)$: the "
    r"largest component of $|g(\tfrac{a + b}{2}) - \tfrac12 (g(a) + g(b))|$. An affine map "
    r"(linear plus a constant) would give 0.",
    reference="mpmath softmax at 50 digits; every component of $p - t$ lies in $[-1, 1]$",
    fmt="{:.3f}",
)
def ce_gradient_not_affine() -> float:
    ga = gradients.cross_entropy_grad(AFFINE_A, 0)
    gb = gradients.cross_entropy_grad(AFFINE_B, 0)
    gm = gradients.cross_entropy_grad((AFFINE_A + AFFINE_B) / 2, 0)
    return float(np.abs(gm - (ga + gb) / 2).max())


@ce_gradient_not_affine.check
def _(value: float) -> None:
    one_hot = (1, 0, 0)
    with mpmath.workdps(DIGITS):

        def g(z: tuple[float, ...]) -> list[mpmath.mpf]:
            return [pi - ti for pi, ti in zip(mp_softmax(z), one_hot, strict=True)]

        ga, gb, gm = g((0.0, 0.0, 0.0)), g((6.0, 0.0, 0.0)), g((3.0, 0.0, 0.0))
        expected = max(abs(m - (a + b) / 2) for a, b, m in zip(ga, gb, gm, strict=True))
        # bounded and not constant: along z_0 = s the first component runs from -1 to 0
        assert all(-1 <= c <= 1 for c in ga + gb + gm) and gb[0] != ga[0]
    assert close_to(value, expected)
    assert value > 0.1


TUTORIAL_CATEGORICAL_P = np.array(tutorial_code.TUTORIAL_CATEGORICAL_INPUTS["p_list"])
TUTORIAL_CATEGORICAL_T = np.argmax(tutorial_code.TUTORIAL_CATEGORICAL_INPUTS["t_list"], axis=1)


@claim(
    "errata-total-ce-is-minus-log-likelihood",
    "The summed cross-entropy of the Pinecone tutorial's four-sample categorical example "
    '(`nll_loss` of the log-probabilities, `reduction="sum"`): equal to minus the log of '
    "the likelihood "
    "$0.91 \\cdot 0.8 \\cdot 0.6 \\cdot 0.25$.",
    reference="mpmath: $-\\ln(0.91 \\cdot 0.8 \\cdot 0.6 \\cdot 0.25)$ at 50 digits; "
    "the tutorial's published total 2.214574215671332",
    fmt="{:.4f}",
)
def total_ce_is_minus_log_likelihood() -> float:
    return float(
        losses.nll_loss(np.log(TUTORIAL_CATEGORICAL_P), TUTORIAL_CATEGORICAL_T, reduction="sum")
    )


@total_ce_is_minus_log_likelihood.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        likelihood = mpmath.fprod(mpmath.mpf(s) for s in ("0.91", "0.8", "0.6", "0.25"))
        assert close_to(value, -mpmath.log(likelihood))
    assert abs(value - tutorial_code.PUBLISHED_CATEGORICAL_TOTAL) < 1e-14


# --- 003: the tutorial's plot, code and numbers -------------------------------------------


@claim(
    "errata-log-at-grid-end",
    "$-\\log x$ at the last point of the Pinecone tutorial's grid `np.linspace(0.001, 1)`: "
    "0, neither positive nor negative.",
    reference="$\\log 1 = 0$ exactly",
    fmt="{:.0f}",
)
def log_at_grid_end() -> float:
    grid = np.linspace(0.001, 1)
    return float(info.surprisal(grid)[-1])


@log_at_grid_end.check
def _(value: float) -> None:
    assert value == 0.0


@claim(
    "errata-plot-snippet-name-error",
    "What Python says when the Pinecone tutorial's second plotting snippet runs after the "
    "first: `p` was never defined.",
    reference="Python's own error message for an undefined name",
    fmt="{}",
)
def plot_snippet_name_error() -> str:
    namespace = {"np": np, "x_arr": np.linspace(0.001, 1), "log_x": np.log(np.linspace(0.001, 1))}
    try:
        exec("bce_1 = -np.log(p)", namespace)  # the snippet's first line, quoted
    except NameError as err:
        return f"NameError: {err}"
    return "no error"


@plot_snippet_name_error.check
def _(value: str) -> None:
    assert value == "NameError: name 'p' is not defined"


@claim(
    "errata-np-float-removed",
    "What the Pinecone tutorial's `binary_cross_entropy` raises on the NumPy this book pins.",
    reference="`hasattr`: NumPy 2 has no attribute `float_`",
    fmt="{}",
)
def np_float_removed() -> str:
    try:
        tutorial_code.run_tutorial_code(
            "binary_cross_entropy", *tutorial_code.TUTORIAL_BINARY_INPUTS.values()
        )
    except AttributeError as err:
        return f"AttributeError: {err}"
    return "no error"


@np_float_removed.check
def _(value: str) -> None:
    assert int(np.__version__.split(".")[0]) >= 2
    assert not hasattr(np, "float_")
    assert value.startswith("AttributeError: `np.float_` was removed in the NumPy 2.0 release")


@claim(
    "errata-loss-at-0-17",
    "The binary cross-entropy of the prediction $0.17$ for label 1, $-\\ln 0.17$, at three "
    "decimals.",
    reference="mpmath: $-\\ln 0.17$ at 50 digits; the tutorial printed 1.7719568419318752",
    fmt="{:.3f}",
)
def seed_loss_at_0_17() -> float:
    return float(losses.binary_cross_entropy(0.17, 1.0))


@seed_loss_at_0_17.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, -mpmath.log(mpmath.mpf("0.17")))
    assert tutorial_code.published_losses(tutorial_code.PUBLISHED_BINARY_OUTPUT)[5] == value
    assert f"{value:.3f}" == "1.772"


OFF_DIAGONAL_Z = (2.0, 1.0, 0.1)


@claim(
    "errata-softmax-off-diagonal",
    "The entry $\\partial p_1 / \\partial z_2$ of the softmax Jacobian for the logits "
    "$(2, 1, 0.1)$: $-p_1 p_2$, not zero.",
    reference="SymPy: $\\partial p_1 / \\partial z_2$ of the symbolic softmax, evaluated "
    "at 50 digits",
    fmt=signed("{:.4f}"),
)
def softmax_off_diagonal() -> float:
    return float(gradients.softmax_jacobian(OFF_DIAGONAL_Z)[0, 1])


@softmax_off_diagonal.check
def _(value: float) -> None:
    z = sympy.symbols("z0:3", real=True)
    p0 = sympy.exp(z[0]) / sum(sympy.exp(v) for v in z)
    at = dict(zip(z, (sympy.Integer(2), sympy.Integer(1), sympy.Rational(1, 10)), strict=True))
    exact = sympy.diff(p0, z[1]).subs(at).evalf(DIGITS)
    with mpmath.workdps(DIGITS):
        assert close_to(value, mpmath.mpf(str(exact)))
    assert value < -0.1


# --- 004: gradients as forces, the slowdown, distance -----------------------------------------

FORCE_Z = (2.0, 1.0, 0.1)
STEP = 1e-6


@claim(
    "errata-true-logit-step",
    "The slope of the loss along the true logit, for the logits $(2, 1, 0.1)$ and true class "
    "1, by central differences: the first-order change per unit step, negative, $p_1 - 1$.",
    reference="mpmath: $p_1 - 1$ from the 50-digit softmax",
    fmt=signed("{:.4f}"),
)
def true_logit_step() -> float:
    slopes = gradients.numerical_gradient(lambda z: losses.cross_entropy(z, 0), FORCE_Z, STEP)
    return float(slopes[0])


@true_logit_step.check
def _(value: float) -> None:
    expected = mp_softmax(FORCE_Z)[0] - 1
    assert close_to(value, expected, 1e-8)
    assert value < 0


@claim(
    "errata-true-logit-first-order",
    "For the logits $(2, 1, 0.1)$ and true class 1: the first-order estimate of how much a "
    "unit step up on the true logit lowers the loss, minus the slope, $1 - p_1$ (positive).",
    reference="mpmath: $1 - p_1$ from the 50-digit softmax",
    fmt="{:.4f}",
)
def true_logit_first_order() -> float:
    return float(-gradients.cross_entropy_grad(FORCE_Z, 0)[0])


@true_logit_first_order.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, 1 - mp_softmax(FORCE_Z)[0], 1e-14)
    assert value > 0


@claim(
    "errata-true-logit-unit-step",
    "For the logits $(2, 1, 0.1)$ and true class 1: how much a whole unit step up on the true "
    "logit, to $(3, 1, 0.1)$, lowers the loss; the first-order estimate $1 - p_1$ is larger.",
    reference="mpmath at 50 digits: $L(2, 1, 0.1) - L(3, 1, 0.1)$ and $1 - p_1$; "
    "the derivation true-logit-step-exact gives $s - \\log(1 - p_1 + p_1 e^{s})$ at $s = 1$",
    fmt=lambda v: f"{v[0]:.4f}",
)
def true_logit_unit_step() -> tuple[float, float]:
    before = float(losses.cross_entropy([FORCE_Z], [0]))
    after = float(losses.cross_entropy([[FORCE_Z[0] + 1, *FORCE_Z[1:]]], [0]))
    first_order = -float(gradients.cross_entropy_grad([FORCE_Z], [0])[0, 0])
    return before - after, first_order


@true_logit_unit_step.check
def _(value: tuple[float, float]) -> None:
    with mpmath.workdps(DIGITS):
        e = [mpmath.exp(mpmath.mpf(v)) for v in FORCE_Z]
        p0 = e[0] / mpmath.fsum(e)
        drop = mpmath.log(mpmath.fsum(e)) - 2 - (mpmath.log(e[0] * mpmath.e + e[1] + e[2]) - 3)
        assert close_to(value[0], drop)
        assert close_to(value[0], 1 - mpmath.log(1 - p0 + p0 * mpmath.e))  # the closed form
        assert close_to(value[1], 1 - p0)
    assert value[0] < value[1]


@claim(
    "errata-true-logit-floor",
    "The loss $-\\ln p_1$ of the logits $(2, 1, 0.1)$ with true class 1: the most that any "
    "step up on the true logit can lower it, since the loss stays positive (a step of 50 "
    "lowers it by this amount to within $10^{-20}$).",
    reference="mpmath: $-\\ln p_1$ from the 50-digit softmax, and the derivation "
    "true-logit-step-exact's change at $s = 50$",
    fmt="{:.3f}",
)
def true_logit_floor() -> float:
    return float(losses.cross_entropy([FORCE_Z], [0]))


@true_logit_floor.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        p0 = mp_softmax(FORCE_Z)[0]
        assert close_to(value, -mpmath.log(p0))
        big = mpmath.mpf(50)
        change = mpmath.log(1 - p0 + p0 * mpmath.exp(big)) - big
        assert abs(change - mpmath.log(p0)) < mpmath.mpf(10) ** -20


@claim(
    "errata-wrong-logit-unit-step",
    "For the logits $(2, 1, 0.1)$ and true class 1: how much a whole unit step up on the wrong "
    "logit $z_2$, to $(2, 2, 0.1)$, raises the loss; the first-order estimate, the slope $p_2$, "
    "is smaller, because the loss is convex along the step.",
    reference="mpmath at 50 digits: $L(2, 2, 0.1) - L(2, 1, 0.1)$ and the closed form "
    "$\\log(1 + p_2(e - 1))$",
    fmt="{:.3f}",
)
def wrong_logit_unit_step() -> float:
    before = float(losses.cross_entropy([FORCE_Z], [0]))
    after = float(losses.cross_entropy([[FORCE_Z[0], FORCE_Z[1] + 1, FORCE_Z[2]]], [0]))
    return after - before


@wrong_logit_unit_step.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        p = mp_softmax(FORCE_Z)
        e = [mpmath.exp(mpmath.mpf(v)) for v in FORCE_Z]
        rise = mpmath.log(e[0] + e[1] * mpmath.e + e[2]) - mpmath.log(mpmath.fsum(e))
        assert close_to(value, rise)
        assert close_to(value, mpmath.log(1 + p[1] * (mpmath.e - 1)))
        assert value > p[1]


@claim(
    "errata-wrong-logit-p2",
    "The probability $p_2$ of the wrong class 2 for the logits $(2, 1, 0.1)$: the slope of the "
    "loss along $z_2$.",
    reference="mpmath: the 50-digit softmax",
    fmt="{:.3f}",
)
def wrong_logit_p2() -> float:
    return float(gradients.cross_entropy_grad([FORCE_Z], [0])[0, 1])


@wrong_logit_p2.check
def _(value: float) -> None:
    assert close_to(value, mp_softmax(FORCE_Z)[1], 1e-15)


PULL_PROBS = (0.1, 0.5, 0.9, 0.99)


@claim(
    "errata-pull-shrinks-when-right",
    "The pull $|\\partial L / \\partial z_y|$ on the true logit when the true class gets "
    "probability $0.1$, $0.5$, $0.9$ and $0.99$: largest when the prediction is most wrong.",
    reference="hand derivation: $1 - p_y$",
    fmt=lambda v: ", ".join(f"{x:.2f}" for x in v),
)
def pull_shrinks_when_right() -> tuple[float, ...]:
    # two classes with logits (log(p / (1 - p)), 0) give the true class probability p
    return tuple(
        float(abs(gradients.cross_entropy_grad([np.log(p / (1 - p)), 0.0], 0)[0]))
        for p in PULL_PROBS
    )


@pull_shrinks_when_right.check
def _(value: tuple[float, ...]) -> None:
    for got, p in zip(value, PULL_PROBS, strict=True):
        assert abs(got - (1 - p)) < 1e-14


@claim(
    "errata-slowdown-factors",
    "Nielsen's badly started neuron (input 1, target 0, $w = b = 2$): the squared error's "
    "derivative $2(\\hat y - y)$ and the sigmoid's slope $\\sigma'(z)$ at $z = 4$. The first "
    "is large; the second makes the gradient small.",
    reference="mpmath: $\\sigma(4)$ and $\\sigma(4)(1 - \\sigma(4))$ at 50 digits",
    fmt=lambda v: f"{v[0]:.2f} and {v[1]:.3f}",
)
def slowdown_factors() -> tuple[float, float]:
    z = 2.0 * 1.0 + 2.0
    y_hat = float(activations.sigmoid(z))
    return 2 * (y_hat - 0.0), float(gradients.sigmoid_derivative(z))


@slowdown_factors.check
def _(value: tuple[float, float]) -> None:
    with mpmath.workdps(DIGITS):
        s = 1 / (1 + mpmath.exp(-4))
        assert close_to(value[0], 2 * s)
        assert close_to(value[1], s * (1 - s))
    assert value[0] > 1.9 and value[1] < 0.02


@claim(
    "errata-slow-neuron-slope",
    "The sigmoid's slope $\\sigma'(4)$ at the logit of Nielsen's badly started neuron "
    "($w = b = 2$, input 1): nearly flat.",
    reference="mpmath: $\\sigma(4)(1 - \\sigma(4))$ at 50 digits",
    fmt="{:.3f}",
)
def slow_neuron_slope() -> float:
    return float(gradients.sigmoid_derivative(2.0 * 1.0 + 2.0))


@slow_neuron_slope.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        s = 1 / (1 + mpmath.exp(-4))
        assert close_to(value, s * (1 - s))


@claim(
    "errata-fast-neuron-output",
    "Nielsen's well started neuron (input 1, target 0, $w = 0.6$, $b = 0.9$): its output "
    "$\\sigma(1.5)$, a poor prediction for the target 0, and the sigmoid's slope there.",
    reference="mpmath: $1/(1 + e^{-1.5})$ and its slope at 50 digits",
    fmt=lambda v: f"{v[0]:.2f} (with slope {v[1]:.3f})",
)
def fast_neuron_output() -> tuple[float, float]:
    z = 0.6 * 1.0 + 0.9
    return float(activations.sigmoid(z)), float(gradients.sigmoid_derivative(z))


@fast_neuron_output.check
def _(value: tuple[float, float]) -> None:
    with mpmath.workdps(DIGITS):
        s = 1 / (1 + mpmath.exp(mpmath.mpf(-3) / 2))
        assert close_to(value[0], s)
        assert close_to(value[1], s * (1 - s))
    assert value[0] > 0.8


@claim(
    "errata-squared-loss-improvements",
    "Improvement of the squared loss $(1 - \\hat y)^2$ when the prediction moves from $0.01$ "
    "to $0.02$, and when it moves from $0.98$ to $0.99$.",
    reference="exact fractions: $0.99^2 - 0.98^2$ and $0.02^2 - 0.01^2$",
    fmt=lambda v: f"{v[0]:.4f} and {v[1]:.4f}",
)
def squared_loss_improvements() -> tuple[float, float]:
    def loss(y_hat: float) -> float:
        return (1 - y_hat) ** 2

    return loss(0.01) - loss(0.02), loss(0.98) - loss(0.99)


@squared_loss_improvements.check
def _(value: tuple[float, float]) -> None:
    low = Fraction(99, 100) ** 2 - Fraction(98, 100) ** 2
    high = Fraction(2, 100) ** 2 - Fraction(1, 100) ** 2
    assert abs(value[0] - float(low)) < 1e-15 and abs(value[1] - float(high)) < 1e-15
    assert value[0] > 50 * value[1]


SMOOTHING = 0.1


@claim(
    "errata-smoothed-target-floor",
    "The smallest cross-entropy possible with three classes and label smoothing $0.1$: "
    "reached when the prediction equals the smoothed target, and equal to its entropy, in "
    "nats; above 0.",
    reference="mpmath: entropy of $(1 - 0.1 + 0.1/3, 0.1/3, 0.1/3)$ at 50 digits",
    fmt="{:.3f}",
)
def smoothed_target_floor() -> float:
    target = np.array([1 - SMOOTHING + SMOOTHING / 3, SMOOTHING / 3, SMOOTHING / 3])
    best = float(losses.cross_entropy(np.log(target)[None, :], [0], label_smoothing=SMOOTHING))
    assert abs(best - float(info.entropy(target))) < 1e-15
    return best


@smoothed_target_floor.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        third = mpmath.mpf(SMOOTHING) / 3
        t = [1 - mpmath.mpf(SMOOTHING) + third, third, third]
        floor = -mpmath.fsum(x * mpmath.log(x) for x in t)
        assert close_to(value, floor)
        # other predictions only raise the loss (Gibbs' inequality): 50-digit smoothed losses
        for z in ([3.0, 0.0, 0.0], [2.0, 0.1, -0.1], [5.0, 0.0, 0.0]):
            p = mp_softmax(z)
            assert -mpmath.fsum(ti * mpmath.log(pi) for ti, pi in zip(t, p, strict=True)) > floor


@claim(
    "errata-distance-field-not-gradient",
    "For the distance-scaled field of the notes on network mechanics at logits $(0, 0, 0)$, "
    "true class 1: "
    "$\\partial F_2/\\partial z_3 - \\partial F_3/\\partial z_2$ by central differences. A "
    "gradient field has a symmetric Jacobian, so this would be 0.",
    reference="SymPy: the same mixed partials of $p_2/1$ and $p_3/2$ with $p$ the softmax, "
    "exactly $-1/18$",
    fmt=signed("{:.4f}"),
)
def distance_field_not_gradient() -> float:
    h = 1e-5

    def field(z: np.ndarray) -> np.ndarray:
        return ordinal.distance_scaled_field(z, 0)

    origin = np.zeros(3)
    d1_d2 = gradients.numerical_gradient(lambda z: field(z)[1], origin, h)[2]
    d2_d1 = gradients.numerical_gradient(lambda z: field(z)[2], origin, h)[1]
    return float(d1_d2 - d2_d1)


@distance_field_not_gradient.check
def _(value: float) -> None:
    z = sympy.symbols("z0:3", real=True)
    total = sum(sympy.exp(v) for v in z)
    f1, f2 = sympy.exp(z[1]) / total / 1, sympy.exp(z[2]) / total / 2
    asym = sympy.diff(f1, z[2]) - sympy.diff(f2, z[1])
    exact = sympy.nsimplify(asym.subs({v: 0 for v in z}))
    assert exact == sympy.Rational(-1, 18)
    assert abs(value - float(exact)) < 1e-9


# --- misconceptions readers bring ---------------------------------------------------------

TEMPERATURE_Z = (2.0, 1.0, 0.1)


@claim(
    "errata-temperature-confidence",
    "The largest softmax probability for the logits $(2, 1, 0.1)$, and for the same logits "
    "multiplied by 5: a different confidence, the same predicted class.",
    reference="mpmath softmax at 50 digits",
    fmt=lambda v: f"{v[0]:.3f} and {v[1]:.3f}",
)
def temperature_confidence() -> tuple[float, float]:
    z = np.array(TEMPERATURE_Z)
    p1, p5 = activations.softmax(z), activations.softmax(5 * z)
    assert np.argmax(p1) == np.argmax(p5)
    return float(p1.max()), float(p5.max())


@temperature_confidence.check
def _(value: tuple[float, float]) -> None:
    assert close_to(value[0], mp_softmax(TEMPERATURE_Z)[0])
    assert close_to(value[1], mp_softmax(tuple(5 * v for v in TEMPERATURE_Z))[0])


@claim(
    "errata-coin-flip-loss",
    "Binary cross-entropy of the prediction $0.5$ for either label, in nats: the loss of a "
    "model that has learned nothing.",
    reference="mpmath: $\\ln 2$ at 50 digits",
    fmt="{:.2f}",
)
def coin_flip_loss() -> float:
    return float(losses.binary_cross_entropy([0.5, 0.5], [0.0, 1.0]))


@coin_flip_loss.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, mpmath.log(2))


@claim(
    "errata-class-frequency-baseline",
    "Mean binary cross-entropy of the Pinecone tutorial's seven labels (four positive) when "
    "every prediction is the class frequency $4/7$: the entropy of the class frequencies, "
    "below $\\ln 2$ because the classes are not balanced.",
    reference="mpmath: $H(4/7) = -\\tfrac47 \\ln \\tfrac47 - \\tfrac37 \\ln \\tfrac37$ "
    "at 50 digits",
    fmt="{:.3f}",
)
def class_frequency_baseline() -> float:
    t = np.array(tutorial_code.TUTORIAL_BINARY_INPUTS["t"], dtype=float)
    return float(losses.binary_cross_entropy(np.full(t.shape, t.mean()), t))


@class_frequency_baseline.check
def _(value: float) -> None:
    assert sum(tutorial_code.TUTORIAL_BINARY_INPUTS["t"]) == 4
    with mpmath.workdps(DIGITS):
        pi = mpmath.mpf(4) / 7
        h = -pi * mpmath.log(pi) - (1 - pi) * mpmath.log(1 - pi)
        assert close_to(value, h)
        assert h < mpmath.log(2)


@claim(
    "errata-sigmoid-one-threshold",
    "The logit from which the textbook sigmoid $1/(1 + e^{-z})$ returns exactly 1.0 in "
    "float64, found by bisection over float64 logits.",
    reference="mpmath: $53 \\ln 2$, where $e^{-z}$ drops to $2^{-53}$, half the float64 "
    "spacing just below 1",
    fmt="{:.2f}",
)
def sigmoid_one_threshold() -> float:
    def textbook(z: float) -> float:
        return 1.0 / (1.0 + float(np.exp(-z)))

    lo, hi = 30.0, 40.0
    assert textbook(lo) < 1.0 and textbook(hi) == 1.0
    while np.nextafter(lo, hi) < hi:
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        lo, hi = (mid, hi) if textbook(mid) < 1.0 else (lo, mid)
    return hi


@sigmoid_one_threshold.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(value - float(53 * mpmath.log(2))) < 1e-9
    assert 36 < value < 37


@claim(
    "errata-loss-to-probability",
    "The Pinecone tutorial's seven-sample binary example: mean loss, and "
    "$e^{-\\text{mean loss}}$, which is the geometric mean of the probabilities given to the "
    "true labels.",
    reference="mpmath: the geometric mean of $0.93, 0.91, 0.74, 0.77, 0.15, 0.17, 0.94$ at 50 "
    "digits; the tutorial's published total divided by 7",
    fmt=lambda v: f"{v[0]:.3f} and {v[1]:.3f}",
)
def loss_to_probability() -> tuple[float, float]:
    t = np.array(tutorial_code.TUTORIAL_BINARY_INPUTS["t"], dtype=float)
    p = np.array(tutorial_code.TUTORIAL_BINARY_INPUTS["p"])
    mean = float(losses.binary_cross_entropy(p, t))
    return mean, float(np.exp(-mean))


@loss_to_probability.check
def _(value: tuple[float, float]) -> None:
    on_truth = ("0.93", "0.91", "0.74", "0.77", "0.15", "0.17", "0.94")
    with mpmath.workdps(DIGITS):
        geometric = mpmath.fprod(mpmath.mpf(x) for x in on_truth) ** (mpmath.mpf(1) / 7)
        assert close_to(value[1], geometric)
    assert close_to(value[0], tutorial_code.PUBLISHED_BINARY_TOTAL / 7)


@claim(
    "errata-binary-is-two-class",
    "Binary cross-entropy with logits for $z = 1.3$ and label 1, and the two-class "
    "cross-entropy of the logits $(1.3, 0)$ with the first class: the same number, in nats.",
    reference="mpmath: $\\log(1 + e^{-1.3})$ at 50 digits",
    fmt="{:.3f}",
)
def binary_is_two_class() -> float:
    binary = float(losses.binary_cross_entropy_with_logits(1.3, 1.0))
    two_class = float(losses.cross_entropy([[1.3, 0.0]], [0]))
    assert abs(binary - two_class) <= 4 * np.finfo(np.float64).eps * binary
    return two_class


@binary_is_two_class.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = mpmath.log1p(mpmath.exp(-mpmath.mpf(1.3)))
    assert close_to(value, exact, 4e-15)
    assert close_to(float(losses.binary_cross_entropy_with_logits(1.3, 1.0)), exact, 4e-15)


# --- new errata: densities, the tutorial's categorical code, the push on the logit -----------

SIGMA = "0.1"


@claim(
    "errata-density-cross-entropy-negative",
    "The cross-entropy $-\\int p \\log q$ of the normal density $\\mathcal N(0, 0.1^2)$ with "
    "itself, in nats: negative, so not a number of bits or nats of any code.",
    reference="mpmath: the integral by quadrature at 50 digits, and the closed form "
    "$\\tfrac12 \\ln(2\\pi e \\sigma^2)$",
    fmt=signed("{:.3f}"),
)
def density_cross_entropy_negative() -> float:
    sigma = float(SIGMA)
    # -E[log q(x)] for x ~ N(0, s^2), with q the same density: E[x^2] = s^2 by sampling-free
    # Gauss-Hermite quadrature of the log-density (exact for this polynomial integrand)
    nodes, weights = np.polynomial.hermite_e.hermegauss(20)
    x = sigma * nodes
    log_q = -(x**2) / (2 * sigma**2) - 0.5 * np.log(2 * np.pi * sigma**2)
    return float(-np.sum(weights * log_q) / np.sqrt(2 * np.pi))


@density_cross_entropy_negative.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        s = mpmath.mpf(SIGMA)

        def density(x: mpmath.mpf) -> mpmath.mpf:
            return mpmath.exp(-(x**2) / (2 * s**2)) / mpmath.sqrt(2 * mpmath.pi * s**2)

        integral = -mpmath.quad(
            lambda x: density(x) * mpmath.log(density(x)), [-mpmath.inf, 0, mpmath.inf]
        )
        closed = mpmath.log(2 * mpmath.pi * mpmath.e * s**2) / 2
        assert abs(integral - closed) < mpmath.mpf(10) ** -30
        assert close_to(value, closed, 1e-13)
    assert value < 0


def _gaussian_self_cross_entropy(sigma: float) -> float:
    """-E[log q(x)] for x ~ N(0, sigma^2) and q the same density, by Gauss-Hermite quadrature."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(20)
    x = sigma * nodes
    log_q = -(x**2) / (2 * sigma**2) - 0.5 * np.log(2 * np.pi * sigma**2)
    return float(-np.sum(weights * log_q) / np.sqrt(2 * np.pi))


@claim(
    "errata-density-zero-sigma",
    "The standard deviation at which the cross-entropy of the normal density with itself is 0 "
    "nats; below it the value is negative. Found by bisection on the quadrature.",
    reference=r"mpmath: $1/\sqrt{2\pi e}$ at 50 digits, where $\tfrac12 \ln(2\pi e \sigma^2)$ "
    "vanishes",
    fmt="{:.3f}",
)
def density_zero_sigma() -> float:
    lo, hi = 0.01, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if _gaussian_self_cross_entropy(mid) < 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


@density_zero_sigma.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, 1 / mpmath.sqrt(2 * mpmath.pi * mpmath.e), 1e-12)


NAN_T, NAN_P = [[1, 0, 0]], [[0.9, 0.1, 0.0]]


@claim(
    "errata-categorical-code-nan",
    "The Pinecone tutorial's `categorical_cross_entropy` (with only `np.float_` replaced by "
    "`np.float64`) on the target $(1, 0, 0)$ and the prediction $(0.9, 0.1, 0)$: `nan`, where "
    "the loss is $-\\ln 0.9$.",
    reference="IEEE 754: $0 \\cdot (-\\infty)$ is NaN; mpmath: $-\\ln 0.9$ is finite",
    fmt="{}",
)
def categorical_code_nan() -> str:
    with np.errstate(divide="ignore", invalid="ignore"):
        run = tutorial_code.run_tutorial_code("categorical_cross_entropy", NAN_T, NAN_P, fixed=True)
    return str(run.total)


@categorical_code_nan.check
def _(value: str) -> None:
    assert value == "nan"
    assert float("0") * float("-inf") != float("0") * float("-inf")  # 0 * -inf is NaN
    with mpmath.workdps(DIGITS):
        assert mpmath.isfinite(-mpmath.log(mpmath.mpf("0.9")))


PUSH_Q = (0.01, 0.98)


@claim(
    "errata-logit-push-bounded",
    "For label 1 and predicted probabilities $p = 0.01$ and $p = 0.98$: the slope of the loss "
    "$-\\log p$ with respect to the logit $z$ (where $p = \\sigma(z)$), which is what reaches "
    "the weights. With respect to $p$ itself the slopes are $-100$ and about $-1.02$.",
    reference="hand derivation: $-1/p$, and $-1/p \\cdot p(1 - p) = p - 1$; mpmath at 50 digits",
    fmt=lambda v: f"{v[2]:.2f} and {v[3]:.2f}".replace("-", "\u2212"),
)
def logit_push_bounded() -> tuple[float, float, float, float]:
    by_q = tuple(-1 / q for q in PUSH_Q)
    by_z = tuple(
        float(gradients.binary_cross_entropy_with_logits_grad(np.log(q / (1 - q)), 1.0))
        for q in PUSH_Q
    )
    return (*by_q, *by_z)


@logit_push_bounded.check
def _(value: tuple[float, float, float, float]) -> None:
    with mpmath.workdps(DIGITS):
        for n, q in enumerate(PUSH_Q):
            qm = mpmath.mpf(q)
            assert close_to(value[n], -1 / qm)
            z = mpmath.log(qm / (1 - qm))
            assert close_to(
                value[2 + n], mpmath.diff(lambda v: mpmath.log1p(mpmath.exp(-v)), z), 1e-12
            )
    assert all(-1 < v < 0 for v in value[2:])


@claim(
    "errata-swapped-arguments",
    "Binary cross-entropy of the Pinecone tutorial's seven samples with prediction and target "
    "swapped, `binary_cross_entropy(t, p)` in PyTorch's `(input, target)` order (the correct "
    "mean is about 0.64): the log of each 0/1 label is clamped at $-100$.",
    reference="`torch.nn.functional.binary_cross_entropy` on the swapped arguments; by hand: "
    "$\\frac17 \\sum_n 100\\,[\\,p_n (1 - t_n) + (1 - p_n)\\,t_n\\,]$",
    fmt=lambda v: f"{v[0]:.1f}",
    needs=("torch",),
)
def swapped_arguments() -> tuple[float, float]:
    t = np.array(tutorial_code.TUTORIAL_BINARY_INPUTS["t"], dtype=float)
    p = np.array(tutorial_code.TUTORIAL_BINARY_INPUTS["p"])
    return float(losses.binary_cross_entropy(t, p)), float(losses.binary_cross_entropy(p, t))


@swapped_arguments.check
def _(value: tuple[float, float]) -> None:
    import torch
    import torch.nn.functional as F

    t = torch.tensor(tutorial_code.TUTORIAL_BINARY_INPUTS["t"], dtype=torch.float64)
    p = torch.tensor(tutorial_code.TUTORIAL_BINARY_INPUTS["p"], dtype=torch.float64)
    assert abs(value[0] - F.binary_cross_entropy(t, p).item()) < 1e-12
    by_hand = (
        sum(
            100 * (pn * (1 - tn) + (1 - pn) * tn)
            for tn, pn in zip(
                tutorial_code.TUTORIAL_BINARY_INPUTS["t"],
                tutorial_code.TUTORIAL_BINARY_INPUTS["p"],
                strict=True,
            )
        )
        / 7
    )
    assert abs(value[0] - by_hand) < 1e-9
    assert close_to(value[1], tutorial_code.PUBLISHED_BINARY_TOTAL / 7)


# --- exercises ---------------------------------------------------------------------------------


@claim(
    "errata-uniform-four-bits",
    "The cross-entropy $H(u, u)$ of the uniform distribution on four outcomes with itself, in "
    "bits: the counterexample the forum reply meant to give, not 0.",
    reference="exact: $-4 \\cdot \\tfrac14 \\log_2 \\tfrac14 = \\log_2 4 = 2$",
    fmt="{:.0f}",
)
def uniform_four_bits() -> float:
    u = np.full(4, 0.25)
    return float(info.cross_entropy(u, u, base=2))


@uniform_four_bits.check
def _(value: float) -> None:
    assert value == 2.0


@claim(
    "errata-categorical-fixed",
    "The loss of the prediction $(0.9, 0.1, 0)$ for true class 1, computed by picking the true "
    "class's probability instead of multiplying every log by the target: $-\\ln 0.9$.",
    reference="mpmath: $-\\ln 0.9$ at 50 digits",
    fmt="{:.4f}",
)
def categorical_fixed() -> float:
    p = np.array(NAN_P[0])
    with np.errstate(divide="ignore"):
        return float(losses.nll_loss(np.log(p)[None, :], [0]))


@categorical_fixed.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, -mpmath.log(mpmath.mpf("0.9")))


@claim(
    "errata-lead-for-ninety",
    "How far one logit must lead nine equal others for the softmax to give it probability "
    "0.9: the lead $g$ with $e^{g} / (e^{g} + 9) = 0.9$.",
    reference="mpmath: $\\ln 81$ at 50 digits",
    fmt="{:.2f}",
)
def lead_for_ninety() -> float:
    lo, hi = 0.0, 20.0
    for _ in range(100):
        mid = (lo + hi) / 2
        z = np.zeros(10)
        z[0] = mid
        lo, hi = (mid, hi) if activations.softmax(z)[0] < 0.9 else (lo, mid)
    return (lo + hi) / 2


@lead_for_ninety.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, mpmath.log(81), 1e-12)


@claim(
    "errata-lead-exp-for-ninety",
    "The factor $e^{g}$ by which one logit's exponential must exceed each of nine equal others "
    "for the softmax to give it probability 0.9: $e^{g}$ of the lead found by bisection.",
    reference="exact fractions: $9 \\cdot 0.9 / (1 - 0.9)$",
    fmt="{:.0f}",
)
def lead_exp_for_ninety() -> float:
    return float(np.exp(lead_for_ninety()))


@lead_exp_for_ninety.check
def _(value: float) -> None:
    q = Fraction(9, 10)
    assert abs(value - float(9 * q / (1 - q))) < 1e-9


@claim(
    "errata-true-logit-p0",
    "The probability $p_1$ of the true class for the logits $(2, 1, 0.1)$.",
    reference="mpmath: the 50-digit softmax",
    fmt="{:.3f}",
)
def true_logit_p0() -> float:
    return float(activations.softmax(np.array(FORCE_Z))[0])


@true_logit_p0.check
def _(value: float) -> None:
    assert close_to(value, mp_softmax(FORCE_Z)[0], 1e-15)


@claim(
    "errata-equal-logits-p3",
    "The probability $p_3$ of the third of three classes at equal logits.",
    reference="exact fraction $1/3$",
    fmt=lambda v: str(Fraction(v).limit_denominator(10)),
)
def equal_logits_p3() -> float:
    return float(activations.softmax(np.zeros(3))[2])


@equal_logits_p3.check
def _(value: float) -> None:
    assert abs(value - 1 / 3) < 1e-16


# --- the arithmetic behind the numbers (round 6) ------------------------------------------------


@claim(
    "errata-kl-detour-legs",
    "The two legs of the detour through the uniform $u = (1, 1, 1)/3$ for the bins "
    "$t = (2, 3, 4)/9$ and $p = (4, 4, 1)/9$: $D_{\\mathrm{KL}}(t \\,\\|\\, u)$ and "
    "$D_{\\mathrm{KL}}(u \\,\\|\\, p)$, in bits.",
    reference="exact fractions evaluated with mpmath at 50 digits",
    fmt=lambda v: f"{v[0]:.4f} and {v[1]:.4f}",
)
def kl_detour_legs() -> tuple[float, float]:
    t, p, u = np.array(BINS_P), np.array(CANDIDATES[0]), np.full(3, 1 / 3)
    return float(info.kl_divergence(t, u, base=2)), float(info.kl_divergence(u, p, base=2))


@kl_detour_legs.check
def _(value: tuple[float, float]) -> None:
    with mpmath.workdps(DIGITS):
        t = [mpmath.mpf(k) / 9 for k in (2, 3, 4)]
        p = [mpmath.mpf(k) / 9 for k in (4, 4, 1)]
        u = [mpmath.mpf(1) / 3] * 3

        def kl(a: list, b: list) -> mpmath.mpf:
            return mpmath.fsum(x * mpmath.log(x / y, 2) for x, y in zip(a, b, strict=True))

        assert close_to(value[0], kl(t, u)) and close_to(value[1], kl(u, p))
        assert kl(t, u) + kl(u, p) < kl(t, p)


@claim(
    "errata-not-affine-p1s",
    "The true class's probability $p_1$ at the midpoint $(3, 0, 0)$ and at the end "
    "$(6, 0, 0)$ of the segment from $(0, 0, 0)$, where it is $1/3$.",
    reference="mpmath: the 50-digit softmax",
    fmt=lambda v: f"{v[0]:.4f} and {v[1]:.4f}",
)
def not_affine_p1s() -> tuple[float, float]:
    mid = activations.softmax((AFFINE_A + AFFINE_B) / 2)[0]
    return float(mid), float(activations.softmax(AFFINE_B)[0])


@not_affine_p1s.check
def _(value: tuple[float, float]) -> None:
    assert close_to(value[0], mp_softmax((3.0, 0.0, 0.0))[0])
    assert close_to(value[1], mp_softmax((6.0, 0.0, 0.0))[0])
    # the gap of the entry: midpoint gradient against the mean of the end gradients
    gap = (value[0] - 1) - ((1 / 3 - 1) + (value[1] - 1)) / 2
    assert abs(gap - ce_gradient_not_affine()) < 1e-12


@claim(
    "errata-swapped-mean-distance",
    "The mean distance $|t_n - p_n|$ between the Pinecone tutorial's seven binary labels and "
    "predictions: a swapped call to PyTorch's `binary_cross_entropy` returns 100 times it.",
    reference="exact fractions of the published inputs",
    fmt="{:.4f}",
)
def swapped_mean_distance() -> float:
    t = np.array(tutorial_code.TUTORIAL_BINARY_INPUTS["t"], dtype=float)
    p = np.array(tutorial_code.TUTORIAL_BINARY_INPUTS["p"], dtype=float)
    return float(np.mean(np.abs(t - p)))


@swapped_mean_distance.check
def _(value: float) -> None:
    exact = sum(
        abs(Fraction(str(tn)) - Fraction(str(pn)))
        for tn, pn in zip(
            tutorial_code.TUTORIAL_BINARY_INPUTS["t"],
            tutorial_code.TUTORIAL_BINARY_INPUTS["p"],
            strict=True,
        )
    ) / len(tutorial_code.TUTORIAL_BINARY_INPUTS["t"])
    assert abs(value - float(exact)) < 1e-15


GAIN = 0.3


@claim(
    "errata-step-for-gain",
    "For the logits $(2, 1, 0.1)$ and true class 1: the step $s$ on the true logit that "
    "lowers the loss by exactly 0.3 nats, and the first-order estimate $0.3 / (1 - p_1)$.",
    reference="mpmath: root of $s - \\log(1 - p_1 + p_1 e^{s}) - 0.3$ by findroot at 50 "
    "digits, and the closed form $\\log\\frac{1 - p_1}{e^{-0.3} - p_1}$",
    fmt=lambda v: f"{v[0]:.3f}",
)
def step_for_gain() -> tuple[float, float]:
    p = float(activations.softmax(np.array(FORCE_Z))[0])
    step = float(np.log((1 - p) / (np.exp(-GAIN) - p)))
    before = float(losses.cross_entropy([FORCE_Z], [0]))
    after = float(losses.cross_entropy([[FORCE_Z[0] + step, *FORCE_Z[1:]]], [0]))
    assert abs(before - after - GAIN) < 1e-12
    return step, GAIN / (1 - p)


@step_for_gain.check
def _(value: tuple[float, float]) -> None:
    with mpmath.workdps(DIGITS):
        p = mp_softmax(FORCE_Z)[0]
        gain = mpmath.mpf(3) / 10
        root = mpmath.findroot(lambda s: s - mpmath.log(1 - p + p * mpmath.exp(s)) - gain, 1.5)
        assert close_to(value[0], root, 1e-12)
        assert close_to(value[1], gain / (1 - p))
        assert value[0] > value[1]


@claim(
    "errata-step-for-gain-first-order",
    "The first-order estimate $0.3 / (1 - p_1)$ of the step on the true logit that lowers the "
    "loss by 0.3 nats, for the logits $(2, 1, 0.1)$ and true class 1.",
    reference="mpmath: $0.3 / (1 - p_1)$ from the 50-digit softmax",
    fmt="{:.3f}",
)
def step_for_gain_first_order() -> float:
    return step_for_gain()[1]


@step_for_gain_first_order.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, (mpmath.mpf(3) / 10) / (1 - mp_softmax(FORCE_Z)[0]))
