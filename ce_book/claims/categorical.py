r"""Claims of chapter 3, categorical cross-entropy: softmax, one-hot / class-index / soft
targets, the collapse to :math:`-\log p_{\text{true}}`, the Pinecone tutorial's four samples, what
``nll_loss`` computes, and binary cross-entropy as the two-class case.

Every check recomputes its value independently: with mpmath at 50 digits from the
definitions, with exact fractions, from the Pinecone tutorial's published numbers (typed from the
article into :mod:`ce_book.tutorial_code`), or against PyTorch 2.13.0.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import mpmath
import numpy as np

from ce_book import gradients, info, losses, tutorial_code
from ce_book.activations import log_softmax, softmax
from ce_book.claims import claim
from ce_book.claims._format import vector
from ce_book.reference import DIGITS, mp_softmax, to_mpf

EPS64 = float(np.finfo(np.float64).eps)

CLASSES = ("panda", "seal", "duck")
TUTORIAL_T = tutorial_code.TUTORIAL_CATEGORICAL_INPUTS["t_list"]
TUTORIAL_P = tutorial_code.TUTORIAL_CATEGORICAL_INPUTS["p_list"]
TUTORIAL_Y = [row.index(1) for row in TUTORIAL_T]  # the same targets as class indices
PUBLISHED = tutorial_code.published_losses(tutorial_code.PUBLISHED_CATEGORICAL_OUTPUT)

EXAMPLE_Z = (2.0, 1.0, 0.1)  # an illustrative vector of logits
SHIFT = 100.0
SOFT_T = (0.1, 0.8, 0.1)  # a soft target (for example from label smoothing)
WEIGHTS = (1.0, 2.0, 3.0)  # class weights for the weighted-mean example
# Logits for three samples, and their class-index targets, for the PyTorch split.
SPLIT_Z = ((2.0, 1.0, 0.1), (0.5, 2.5, -1.0), (-1.0, 0.0, 3.0))
SPLIT_Y = (0, 2, 2)
# Logits and targets for binary-as-two-class: every kind of target, both signs of logit.
TWO_CLASS_Z = (-6.0, -1.5, 0.0, 0.7, 3.0, 25.0)
TWO_CLASS_T = (1.0, 0.0, 1.0, 0.3, 0.0, 1.0)


def _fmt_gap(gap: float) -> str:
    """A disagreement between two computations: "0 (identical)" or its order of magnitude."""
    return "0 (identical)" if gap == 0 else f"{gap:.0e}"


def _mp_ce(t: Sequence[float], q: Sequence[mpmath.mpf | float]) -> mpmath.mpf:
    """Reference cross-entropy :math:`-\\sum_i t_i \\log q_i` at 50 digits (0 log 0 = 0)."""
    with mpmath.workdps(DIGITS):
        return -mpmath.fsum(
            mpmath.mpf(ti) * mpmath.log(mpmath.mpf(qi)) for ti, qi in zip(t, q, strict=True) if ti
        )


def _tutorial_log_p() -> np.ndarray:
    return np.log(np.array(TUTORIAL_P))


# --- softmax ------------------------------------------------------------------------------


@claim(
    "softmax-example",
    "Softmax of the logits $z = (2, 1, 0.1)$.",
    reference="mpmath at 50 digits: $e^{z_i} / \\sum_j e^{z_j}$",
    fmt=vector(3),
)
def softmax_example() -> list[float]:
    return softmax(EXAMPLE_Z).tolist()


@softmax_example.check
def _(value: list[float]) -> None:
    for v, ref in zip(value, mp_softmax(EXAMPLE_Z), strict=True):
        assert abs(v - float(ref)) <= 2 * EPS64


@claim(
    "softmax-shift-invariance",
    "Softmax of the logits $(102, 101, 100.1)$: the example's logits with 100 added to each. "
    "The probabilities are unchanged, because $e^{z_i + c} / \\sum_j e^{z_j + c} = e^{z_i} / "
    "\\sum_j e^{z_j}$.",
    reference="mpmath at 50 digits: the softmax of the unshifted logits $(2, 1, 0.1)$",
    fmt=vector(3),
)
def softmax_shift_invariance() -> list[float]:
    return softmax(np.array(EXAMPLE_Z) + SHIFT).tolist()


@softmax_shift_invariance.check
def _(value: list[float]) -> None:
    for v, ref in zip(value, mp_softmax(EXAMPLE_Z), strict=True):
        assert abs(v - float(ref)) <= 1e-13  # 100.1 is not exactly 100 + 0.1 in binary


@claim(
    "softmax-two-class-is-sigmoid",
    "With two classes, softmax of the logits $(0.3, 1.5)$ gives the second class the "
    "probability $\\sigma(1.5 - 0.3) = \\sigma(1.2)$: only the difference of the logits "
    "matters.",
    reference="mpmath at 50 digits: $1 / (1 + e^{-1.2})$",
    fmt="{:.4f}",
)
def softmax_two_class_is_sigmoid() -> float:
    return float(softmax([0.3, 1.5])[1])


@softmax_two_class_is_sigmoid.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = 1 / (1 + mpmath.exp(-(mpmath.mpf(1.5) - mpmath.mpf(0.3))))
    assert abs(value - float(exact)) <= 2 * EPS64


# --- the tutorial's four samples ------------------------------------------------------------------


def _tutorial_losses() -> np.ndarray:
    """Chapter 1's cross-entropy of each one-hot target and predicted distribution."""
    return info.cross_entropy(np.array(TUTORIAL_T, dtype=float), np.array(TUTORIAL_P))


def _tutorial_sample_claim(i: int) -> None:
    cls = CLASSES[TUTORIAL_Y[i]]

    @claim(
        f"categorical-tutorial-loss-{i + 1}",
        f"Categorical cross-entropy of sample {i + 1} of the Pinecone tutorial's example: "
        f"true class {cls}, predicted probabilities {tuple(TUTORIAL_P[i])} "
        "for (panda, seal, duck).",
        reference="the Pinecone tutorial's published per-sample loss, and mpmath at 50 digits: "
        "$-\\log p_{\\text{true}}$",
        fmt="{:.4f}",
    )
    def seed_loss() -> float:
        return float(_tutorial_losses()[i])

    @seed_loss.check
    def _(value: float) -> None:
        assert abs(value - PUBLISHED[i]) <= 2 * EPS64 * PUBLISHED[i]
        with mpmath.workdps(DIGITS):
            exact = -mpmath.log(to_mpf(TUTORIAL_P[i][TUTORIAL_Y[i]]))
        assert abs(value - float(exact)) <= EPS64 * value


for _i in range(len(TUTORIAL_T)):
    _tutorial_sample_claim(_i)


@claim(
    "categorical-tutorial-total",
    "Total categorical cross-entropy of the Pinecone tutorial's four samples (the sum, PyTorch's "
    "`reduction='sum'`).",
    reference="the Pinecone tutorial's published total 2.214574215671332, and mpmath at 50 digits",
    fmt="{:.4f}",
)
def categorical_tutorial_total() -> float:
    return float(np.sum(_tutorial_losses()))


@categorical_tutorial_total.check
def _(value: float) -> None:
    assert abs(value - tutorial_code.PUBLISHED_CATEGORICAL_TOTAL) <= 2 * EPS64 * value
    with mpmath.workdps(DIGITS):
        exact = -mpmath.fsum(
            mpmath.log(to_mpf(p[y])) for p, y in zip(TUTORIAL_P, TUTORIAL_Y, strict=True)
        )
    assert abs(value - float(exact)) <= 2 * EPS64 * value


@claim(
    "categorical-tutorial-mean",
    "Mean categorical cross-entropy of the Pinecone tutorial's four samples (PyTorch's default, "
    "`reduction='mean'`), computed from the logits $\\log p$ with class-index targets.",
    reference="mpmath at 50 digits, and PyTorch 2.13.0 `F.cross_entropy`",
    fmt="{:.4f}",
    needs=("torch",),
)
def categorical_tutorial_mean() -> float:
    return float(losses.cross_entropy(_tutorial_log_p(), np.array(TUTORIAL_Y)))


@categorical_tutorial_mean.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    with mpmath.workdps(DIGITS):
        exact = -mpmath.fsum(
            mpmath.log(to_mpf(p[y])) for p, y in zip(TUTORIAL_P, TUTORIAL_Y, strict=True)
        )
        mean = exact / 4
    assert abs(value - float(mean)) <= 4 * EPS64 * value
    ref = F.cross_entropy(torch.tensor(_tutorial_log_p()), torch.tensor(TUTORIAL_Y)).item()
    assert abs(value - ref) <= 4 * EPS64 * value


@claim(
    "categorical-tutorial-code-fixed-reproduces",
    "With `np.float_` replaced by `np.float64` (and nothing else changed), the Pinecone tutorial's "
    "`categorical_cross_entropy` prints the article's four lines character for character and "
    "returns its published total; unchanged, it stops with `AttributeError` on NumPy 2.",
    reference="the tutorial's printed output and total, typed from it; NumPy 2 removed `np.float_`",
    fmt=lambda value: "reproduced exactly" if value else "differs",
)
def categorical_tutorial_code_fixed_reproduces() -> bool:
    args = (TUTORIAL_T, TUTORIAL_P)
    try:
        tutorial_code.run_tutorial_code("categorical_cross_entropy", *args)
        return False
    except AttributeError:
        pass
    run = tutorial_code.run_tutorial_code("categorical_cross_entropy", *args, fixed=True)
    return run.printed == tutorial_code.PUBLISHED_CATEGORICAL_OUTPUT and run.total == (
        tutorial_code.PUBLISHED_CATEGORICAL_TOTAL
    )


@categorical_tutorial_code_fixed_reproduces.check
def _(value: bool) -> None:
    assert value is True
    assert not hasattr(np, "float_")


@claim(
    "categorical-tutorial-routes-agree",
    "The Pinecone tutorial's per-sample losses by four routes: chapter 1's "
    "`info.cross_entropy` of the distributions, `nll_loss` of $\\log p$ with class indices, "
    "and `cross_entropy` of the logits $\\log p$ with class indices and with one-hot "
    "probability targets. The value shown is the largest disagreement between any two routes.",
    reference="each route compared with mpmath at 50 digits: $-\\log p_{\\text{true}}$",
    fmt=lambda routes: _fmt_gap(float(np.max(np.ptp(routes, axis=0)))),
)
def categorical_tutorial_routes_agree() -> np.ndarray:
    log_p, y = _tutorial_log_p(), np.array(TUTORIAL_Y)
    return np.stack(
        [
            _tutorial_losses(),
            losses.nll_loss(log_p, y, reduction="none"),
            losses.cross_entropy(log_p, y, reduction="none"),
            losses.cross_entropy(log_p, np.array(TUTORIAL_T, dtype=float), reduction="none"),
        ]
    )


@categorical_tutorial_routes_agree.check
def _(value: np.ndarray) -> None:
    assert value.shape == (4, len(TUTORIAL_Y))
    with mpmath.workdps(DIGITS):
        exact = [
            float(-mpmath.log(to_mpf(p[y]))) for p, y in zip(TUTORIAL_P, TUTORIAL_Y, strict=True)
        ]
    for route in value:
        for v, e in zip(route, exact, strict=True):
            assert abs(v - e) <= 2 * EPS64 * max(v, 1.0)


# --- targets: the collapse, and soft targets -------------------------------------------------


@claim(
    "categorical-soft-target-loss",
    "Cross-entropy of the soft target $t = (0.1, 0.8, 0.1)$ against the tutorial's second "
    "prediction $p = (0.11, 0.8, 0.09)$: every term of the sum counts, not only the true "
    "class's.",
    reference="mpmath at 50 digits: $-\\sum_i t_i \\log p_i$",
    fmt="{:.4f}",
)
def categorical_soft_target_loss() -> float:
    return float(info.cross_entropy(SOFT_T, TUTORIAL_P[1]))


@categorical_soft_target_loss.check
def _(value: float) -> None:
    assert abs(value - float(_mp_ce(SOFT_T, TUTORIAL_P[1]))) <= 4 * EPS64 * value


@claim(
    "categorical-soft-target-floor",
    "The smallest cross-entropy any prediction can reach for the soft target $t = (0.1, 0.8, "
    "0.1)$: its entropy $H(t)$, reached at $p = t$. A soft target's loss never falls to 0.",
    reference="mpmath at 50 digits: $-\\sum_i t_i \\log t_i$ (Gibbs' inequality makes it the "
    "minimum)",
    fmt="{:.4f}",
)
def categorical_soft_target_floor() -> float:
    return float(losses.cross_entropy(np.log(SOFT_T), np.array(SOFT_T)))


@categorical_soft_target_floor.check
def _(value: float) -> None:
    assert abs(value - float(_mp_ce(SOFT_T, SOFT_T))) <= 4 * EPS64 * value
    assert value < float(_mp_ce(SOFT_T, TUTORIAL_P[1]))  # below the loss of a nearby prediction


# --- how PyTorch splits it ------------------------------------------------------------------


@claim(
    "cross-entropy-is-log-softmax-then-nll",
    "For three samples with logits $(2, 1, 0.1)$, $(0.5, 2.5, -1)$, $(-1, 0, 3)$ and targets "
    "$0, 2, 2$: `cross_entropy(z, y)`, the mean loss; `nll_loss(log_softmax(z), y)` gives "
    "the same value (both are checked).",
    reference="mpmath at 50 digits from the definition, and PyTorch 2.13.0 `F.cross_entropy`",
    fmt=lambda value: f"{value[0]:.4f}",
    needs=("torch",),
)
def cross_entropy_is_log_softmax_then_nll() -> tuple[float, float]:
    z, y = np.array(SPLIT_Z), np.array(SPLIT_Y)
    return float(losses.cross_entropy(z, y)), float(losses.nll_loss(log_softmax(z), y))


@cross_entropy_is_log_softmax_then_nll.check
def _(value: tuple[float, float]) -> None:
    import torch
    import torch.nn.functional as F

    with mpmath.workdps(DIGITS):
        exact = mpmath.fsum(
            -mpmath.log(mp_softmax(z)[y]) for z, y in zip(SPLIT_Z, SPLIT_Y, strict=True)
        ) / len(SPLIT_Y)
    ref = F.cross_entropy(torch.tensor(SPLIT_Z), torch.tensor(SPLIT_Y)).item()  # float32
    for v in value:
        assert abs(v - float(exact)) <= 4 * EPS64 * v
        assert abs(v - ref) <= 1e-6 * v


@claim(
    "nll-loss-takes-no-log",
    "`nll_loss` applied to the tutorial's *probabilities* (not their logs), with targets "
    "$0, 1, 2, 0$: it returns minus the mean of the picked entries, a negative number, "
    "because it takes no log and no softmax.",
    reference="exact fractions: $-(0.91 + 0.8 + 0.6 + 0.25)/4$; and PyTorch 2.13.0 `F.nll_loss`",
    fmt="{:.2f}",
    needs=("torch",),
)
def nll_loss_takes_no_log() -> float:
    return float(losses.nll_loss(np.array(TUTORIAL_P), np.array(TUTORIAL_Y)))


@nll_loss_takes_no_log.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    assert TUTORIAL_Y == [0, 1, 2, 0]  # the targets the statement names
    exact = -(Fraction("0.91") + Fraction("0.8") + Fraction("0.6") + Fraction("0.25")) / 4
    assert abs(value - float(exact)) <= 2 * EPS64
    ref = F.nll_loss(torch.tensor(TUTORIAL_P, dtype=torch.float64), torch.tensor(TUTORIAL_Y)).item()
    assert abs(value - ref) <= 2 * EPS64


@claim(
    "nll-loss-weighted-mean",
    "`nll_loss` of the tutorial's $\\log p$ with class weights $(1, 2, 3)$ for (panda, seal, "
    "duck): a weighted mean, $\\sum_n w_{y_n} \\ell_n / \\sum_n w_{y_n}$, divided by the "
    "total weight of the targets (7 here), not by the number of samples.",
    reference="mpmath at 50 digits from the tutorial's probabilities; and PyTorch 2.13.0 "
    "`F.nll_loss(..., weight=w)`",
    fmt="{:.4f}",
    needs=("torch",),
)
def nll_loss_weighted_mean() -> float:
    return float(losses.nll_loss(_tutorial_log_p(), np.array(TUTORIAL_Y), weight=np.array(WEIGHTS)))


@nll_loss_weighted_mean.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    assert sum(WEIGHTS[y] for y in TUTORIAL_Y) == 7  # the total weight the statement names
    with mpmath.workdps(DIGITS):
        w = [mpmath.mpf(WEIGHTS[y]) for y in TUTORIAL_Y]
        terms = [
            -wi * mpmath.log(to_mpf(p[y]))
            for wi, p, y in zip(w, TUTORIAL_P, TUTORIAL_Y, strict=True)
        ]
        exact = mpmath.fsum(terms) / mpmath.fsum(w)
    assert abs(value - float(exact)) <= 4 * EPS64 * value
    ref = F.nll_loss(
        torch.tensor(_tutorial_log_p()),
        torch.tensor(TUTORIAL_Y),
        weight=torch.tensor(WEIGHTS, dtype=torch.float64),
    ).item()
    assert abs(value - ref) <= 4 * EPS64 * value


@claim(
    "cross-entropy-weighted-one-hot-mean",
    "`cross_entropy` of the tutorial's $\\log p$ with the class weights $(1, 2, 3)$ and the "
    "same targets written one-hot (as probabilities): with probability targets PyTorch's "
    '`"mean"` divides the weighted sum by the number of samples, 4, not by the total weight '
    "7.",
    reference="mpmath at 50 digits from the tutorial's probabilities; and PyTorch 2.13.0 "
    "`F.cross_entropy(..., weight=w)` with one-hot targets",
    fmt="{:.4f}",
    needs=("torch",),
)
def cross_entropy_weighted_one_hot_mean() -> float:
    one_hot = np.eye(len(CLASSES))[TUTORIAL_Y]
    return float(losses.cross_entropy(_tutorial_log_p(), one_hot, weight=np.array(WEIGHTS)))


@cross_entropy_weighted_one_hot_mean.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    with mpmath.workdps(DIGITS):
        terms = [
            -mpmath.mpf(WEIGHTS[y]) * mpmath.log(to_mpf(p[y]))
            for p, y in zip(TUTORIAL_P, TUTORIAL_Y, strict=True)
        ]
        exact = mpmath.fsum(terms) / len(TUTORIAL_Y)
    assert abs(value - float(exact)) <= 4 * EPS64 * value
    ref = F.cross_entropy(
        torch.tensor(_tutorial_log_p()),
        torch.tensor(np.eye(len(CLASSES))[TUTORIAL_Y]),
        weight=torch.tensor(WEIGHTS, dtype=torch.float64),
    ).item()
    assert abs(value - ref) <= 4 * EPS64 * value


@claim(
    "cross-entropy-on-probabilities",
    "Mean loss when the Pinecone tutorial's probabilities are passed to `cross_entropy` as if "
    "they were logits (a common mistake: the softmax is then applied twice). The correct mean "
    "loss, from $\\log p$, is checked alongside.",
    reference="mpmath at 50 digits: $-\\log \\operatorname{softmax}(p)_y$ averaged, and "
    "$-\\log p_y$ averaged; PyTorch 2.13.0 `F.cross_entropy` for the first",
    fmt=lambda value: f"{value[0]:.4f}",
    needs=("torch",),
)
def cross_entropy_on_probabilities() -> tuple[float, float]:
    p, y = np.array(TUTORIAL_P), np.array(TUTORIAL_Y)
    return float(losses.cross_entropy(p, y)), float(losses.cross_entropy(np.log(p), y))


@cross_entropy_on_probabilities.check
def _(value: tuple[float, float]) -> None:
    import torch
    import torch.nn.functional as F

    with mpmath.workdps(DIGITS):
        wrong = mpmath.fsum(
            -mpmath.log(mp_softmax(p)[y]) for p, y in zip(TUTORIAL_P, TUTORIAL_Y, strict=True)
        )
        right = -mpmath.fsum(
            mpmath.log(to_mpf(p[y])) for p, y in zip(TUTORIAL_P, TUTORIAL_Y, strict=True)
        )
        wrong, right = wrong / 4, right / 4
    assert abs(value[0] - float(wrong)) <= 4 * EPS64 * value[0]
    assert abs(value[1] - float(right)) <= 4 * EPS64 * value[1]
    ref = F.cross_entropy(torch.tensor(TUTORIAL_P, dtype=torch.float64), torch.tensor(TUTORIAL_Y))
    assert abs(value[0] - ref.item()) <= 4 * EPS64 * value[0]


# --- binary as the two-class case -------------------------------------------------------------


@claim(
    "binary-is-two-class-categorical",
    "Binary cross-entropy of a logit $z$ and target $t$ equals categorical cross-entropy of "
    "the two logits $(0, z)$ and the two-class target $(1 - t, t)$. Checked at "
    "$z = -6, -1.5, 0, 0.7, 3, 25$ with hard and soft targets; the value shown is the "
    "largest difference between the two.",
    reference="both forms compared with mpmath at 50 digits: "
    "$-[t \\log \\sigma(z) + (1 - t) \\log(1 - \\sigma(z))]$ from the definition of $\\sigma$",
    fmt=lambda forms: _fmt_gap(float(np.max(np.abs(forms[0] - forms[1])))),
)
def binary_is_two_class_categorical() -> np.ndarray:
    z, t = np.array(TWO_CLASS_Z), np.array(TWO_CLASS_T)
    bce = losses.binary_cross_entropy_with_logits(z, t, reduction="none")
    two = losses.cross_entropy(
        np.stack([np.zeros_like(z), z], 1), np.stack([1 - t, t], 1), reduction="none"
    )
    return np.stack([bce, two])


@binary_is_two_class_categorical.check
def _(value: np.ndarray) -> None:
    with mpmath.workdps(DIGITS):
        for zi, ti, *forms in zip(TWO_CLASS_Z, TWO_CLASS_T, *value, strict=True):
            s = 1 / (1 + mpmath.exp(-mpmath.mpf(zi)))
            t_mp = mpmath.mpf(ti)
            exact = float(-(t_mp * mpmath.log(s) + (1 - t_mp) * mpmath.log(1 - s)))
            for v in forms:
                assert abs(v - exact) <= 8 * EPS64 * exact


# --- the gradient, briefly -------------------------------------------------------------------


@claim(
    "categorical-tutorial-gradient-sample-4",
    "Gradient of the loss of the tutorial's fourth sample (true class panda, $p = (0.25, 0.4, "
    "0.35)$) with respect to its logits: $p - t$.",
    reference="exact fractions: $(0.25 - 1, 0.4, 0.35)$",
    fmt=vector(2),
)
def categorical_tutorial_gradient_sample_4() -> list[float]:
    return gradients.cross_entropy_grad(_tutorial_log_p()[3], TUTORIAL_Y[3]).tolist()


@categorical_tutorial_gradient_sample_4.check
def _(value: list[float]) -> None:
    assert (TUTORIAL_Y[3], tuple(TUTORIAL_P[3])) == (0, (0.25, 0.4, 0.35))  # as the statement says
    expected = [Fraction(str(p)) - t for p, t in zip(TUTORIAL_P[3], TUTORIAL_T[3], strict=True)]
    for v, e in zip(value, expected, strict=True):
        assert abs(v - float(e)) <= 4 * EPS64


# --- exercises ------------------------------------------------------------------------------


@claim(
    "categorical-uniform-loss",
    "Categorical cross-entropy of the uniform prediction $(1/3, 1/3, 1/3)$ over three "
    "classes, whatever the true class: $\\ln 3$.",
    reference="mpmath at 50 digits: $\\ln 3$",
    fmt="{:.4f}",
)
def categorical_uniform_loss() -> float:
    return float(losses.cross_entropy(np.zeros(3), 1))


@categorical_uniform_loss.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(value - float(mpmath.log(3))) <= 2 * EPS64


@claim(
    "nll-loss-ignore-index",
    "Mean `nll_loss` of the tutorial's $\\log p$ when the fourth target is replaced by "
    "`ignore_index` ($-100$): the ignored sample leaves both the sum and the count.",
    reference="mpmath at 50 digits: the mean of the first three losses; and PyTorch 2.13.0 "
    "`F.nll_loss`",
    fmt="{:.4f}",
    needs=("torch",),
)
def nll_loss_ignore_index() -> float:
    y = np.array([*TUTORIAL_Y[:3], -100])
    return float(losses.nll_loss(_tutorial_log_p(), y))


@nll_loss_ignore_index.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    with mpmath.workdps(DIGITS):
        exact = (
            -mpmath.fsum(
                mpmath.log(to_mpf(p[y]))
                for p, y in zip(TUTORIAL_P[:3], TUTORIAL_Y[:3], strict=True)
            )
            / 3
        )
    assert abs(value - float(exact)) <= 4 * EPS64 * value
    y = torch.tensor([*TUTORIAL_Y[:3], -100])
    assert abs(value - F.nll_loss(torch.tensor(_tutorial_log_p()), y).item()) <= 4 * EPS64 * value


# --- one loss per class is not the categorical loss -----------------------------------------


@claim(
    "categorical-sample-1-one-vs-rest",
    "Sample 1 of the Pinecone tutorial's example, $p = (0.91, 0.04, 0.05)$ with true class "
    "panda, scored as three separate binary problems (one-vs-rest): the sum of the binary "
    "cross-entropies of the three classes, $-\\log 0.91 - \\log 0.96 - \\log 0.95$. It is not "
    "the categorical loss $-\\log 0.91$.",
    reference="mpmath at 50 digits from the definition; PyTorch 2.13.0 "
    "`F.binary_cross_entropy(..., reduction='sum')`",
    fmt="{:.4f}",
    needs=("torch",),
)
def categorical_sample_1_one_vs_rest() -> float:
    return float(
        losses.binary_cross_entropy(
            np.array(TUTORIAL_P[0]), np.array(TUTORIAL_T[0], dtype=float), reduction="sum"
        )
    )


@categorical_sample_1_one_vs_rest.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    with mpmath.workdps(DIGITS):
        exact = -mpmath.fsum(
            mpmath.log(to_mpf(p) if t else 1 - to_mpf(p))
            for p, t in zip(TUTORIAL_P[0], TUTORIAL_T[0], strict=True)
        )
    assert abs(value - float(exact)) <= 4 * EPS64 * value
    ref = F.binary_cross_entropy(
        torch.tensor(TUTORIAL_P[0], dtype=torch.float64),
        torch.tensor(TUTORIAL_T[0], dtype=torch.float64),
        reduction="sum",
    ).item()
    assert abs(value - ref) <= 4 * EPS64 * value
    assert value > 1.9 * PUBLISHED[0]  # about twice the categorical loss of the sample


@claim(
    "categorical-sample-1-one-vs-rest-mean",
    "The same one-vs-rest scoring of sample 1 with `binary_cross_entropy`'s default "
    '`reduction="mean"`: the sum divided by the $N \\times K$ entries, here 3, which makes '
    "it smaller than the correct categorical loss $-\\log 0.91$.",
    reference="mpmath at 50 digits: the three binary losses over 3; PyTorch 2.13.0 "
    "`F.binary_cross_entropy` with its default reduction",
    fmt="{:.4f}",
    needs=("torch",),
)
def categorical_sample_1_one_vs_rest_mean() -> float:
    return float(
        losses.binary_cross_entropy(np.array(TUTORIAL_P[0]), np.array(TUTORIAL_T[0], dtype=float))
    )


@categorical_sample_1_one_vs_rest_mean.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    with mpmath.workdps(DIGITS):
        exact = -mpmath.fsum(
            mpmath.log(to_mpf(p) if t else 1 - to_mpf(p))
            for p, t in zip(TUTORIAL_P[0], TUTORIAL_T[0], strict=True)
        ) / len(CLASSES)
        right = -mpmath.log(to_mpf(TUTORIAL_P[0][0]))
    assert abs(value - float(exact)) <= 4 * EPS64 * value
    ref = F.binary_cross_entropy(
        torch.tensor(TUTORIAL_P[0], dtype=torch.float64),
        torch.tensor(TUTORIAL_T[0], dtype=torch.float64),
    ).item()
    assert abs(value - ref) <= 4 * EPS64 * value
    assert value < right  # below the correct loss: the mistake hides


# --- label smoothing: the floor of the loss ----------------------------------------------------

SMOOTHING, SMOOTHING_K = 0.1, 10


@claim(
    "label-smoothing-floor",
    "The least loss against a label-smoothed target with $\\varepsilon = 0.1$ and $K = 10$ "
    "classes, the entropy of the target $(0.91, 0.01, \\dots, 0.01)$: what a perfect model "
    "scores.",
    reference="mpmath at 50 digits: $-(0.91 \\log 0.91 + 9 \\cdot 0.01 \\log 0.01)$",
    fmt="{:.4f}",
)
def label_smoothing_floor() -> float:
    target = (1 - SMOOTHING) * np.eye(SMOOTHING_K)[0] + SMOOTHING / SMOOTHING_K
    return float(info.entropy(target))


@label_smoothing_floor.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        eps, k = mpmath.mpf(1) / 10, SMOOTHING_K
        top, rest = 1 - eps + eps / k, eps / k
        exact = -(top * mpmath.log(top) + (k - 1) * rest * mpmath.log(rest))
    assert abs(value - float(exact)) <= 4 * EPS64 * value


# --- the floor of a double softmax ------------------------------------------------------------


def _double_softmax_floor(k: int) -> float:
    """The loss of a perfect one-hot prediction passed to ``cross_entropy`` as logits."""
    return float(losses.cross_entropy(np.eye(k)[0], 0))


def _floor_claim(k: int, name: str) -> None:
    @claim(
        name,
        f"With {k} classes, the smallest loss `cross_entropy` can return when it is given "
        "probabilities instead of logits: that of a perfect one-hot prediction, "
        f"$\\log(1 + {k - 1}/e)$, whatever the model predicts.",
        reference="mpmath at 50 digits: $\\log(1 + (K - 1)/e)$; a hand proof (each of the "
        "$K - 1$ other exponentials is at least 1, and $q_y \\le 1$); and, for three classes, "
        "the 50-digit loss on a grid over all distributions, which is never lower",
        fmt="{:.4f}" if k == 3 else "{:.2f}",
    )
    def floor() -> float:
        return _double_softmax_floor(k)

    @floor.check
    def _(value: float) -> None:
        with mpmath.workdps(DIGITS):
            exact = mpmath.log(1 + (k - 1) / mpmath.e)
            assert abs(value - float(exact)) <= 4 * EPS64 * max(value, 1.0)
            if k == 3:
                steps = 40
                for a in range(steps + 1):
                    for b in range(steps + 1 - a):
                        q = [mpmath.mpf(a) / steps, mpmath.mpf(b) / steps]
                        q.append(1 - q[0] - q[1])
                        loss = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in q)) - q[0]
                        assert loss >= exact - mpmath.mpf(10) ** -40


_floor_claim(3, "double-softmax-floor")
_floor_claim(1000, "double-softmax-floor-1000")


@claim(
    "uniform-loss-1000",
    "Cross-entropy of the uniform prediction over 1000 classes, $\\ln 1000$: the loss of a "
    "model that knows nothing.",
    reference="mpmath at 50 digits: $\\ln 1000$",
    fmt="{:.2f}",
)
def uniform_loss_1000() -> float:
    return float(losses.cross_entropy(np.zeros(1000), 0))


@uniform_loss_1000.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(value - float(mpmath.log(1000))) <= 4 * EPS64 * value


# --- where log(softmax(z)) breaks -------------------------------------------------------------


def _first_underflowing_gap(dtype: type) -> int:
    gaps = np.arange(1, 2000, dtype=dtype)
    z = np.stack([-gaps, np.zeros_like(gaps)], axis=1)
    return int(gaps[np.flatnonzero(softmax(z, axis=1)[:, 0] == 0)[0]])


@claim(
    "softmax-underflow-gap",
    "The smallest whole-number lead of the largest logit over another at which the other's "
    "softmax probability underflows to exactly 0 (so that `log(softmax(z))` is minus infinity), "
    "in float32 and in float64.",
    reference="hand argument: $e^{-g}$ rounds to 0 once it is below half the smallest "
    "subnormal float ($2^{-150}$ in float32, $2^{-1075}$ in float64), i.e. $g > 150 \\ln 2$ "
    "or $1075 \\ln 2$, evaluated with mpmath; and PyTorch 2.13.0's `torch.softmax` in both "
    "precisions",
    fmt=lambda value: f"{value[0]} in float32 (the default) or {value[1]} in float64",
    needs=("torch",),
)
def softmax_underflow_gap() -> tuple[int, int]:
    return _first_underflowing_gap(np.float32), _first_underflowing_gap(np.float64)


@softmax_underflow_gap.check
def _(value: tuple[int, int]) -> None:
    import torch

    with mpmath.workdps(DIGITS):
        expected = tuple(int(mpmath.floor(bits * mpmath.log(2))) + 1 for bits in (150, 1075))
    assert value == expected
    for gap, dtype in zip(value, (torch.float32, torch.float64), strict=True):
        below = torch.softmax(torch.tensor([-(gap - 1.0), 0.0], dtype=dtype), dim=0)[0]
        at = torch.softmax(torch.tensor([-float(gap), 0.0], dtype=dtype), dim=0)[0]
        assert below.item() > 0 and at.item() == 0
