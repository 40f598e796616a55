r"""Claims of the chapter beyond plain cross-entropy: label smoothing, class weights, focal
loss, temperature and calibration, and losses that know the distance between classes.

Values come from :mod:`ce_book.losses`, :mod:`ce_book.gradients`, :mod:`ce_book.focal`,
:mod:`ce_book.calibration` and :mod:`ce_book.ordinal`. Checks recompute each value another
way: exact fractions, SymPy, mpmath at 50 digits, plain Python loops, or PyTorch
(``needs=("torch",)``), never with the code under test.
"""

from __future__ import annotations

import functools
import itertools
from fractions import Fraction

import mpmath
import numpy as np
import sympy

from ce_book import calibration, focal, gradients, losses, ordinal
from ce_book.activations import sigmoid, softmax
from ce_book.claims import claim
from ce_book.claims._format import signed, vector
from ce_book.reference import DIGITS, mp_cross_entropy
from ce_book.torch_reference import lbfgs


def _signed_vector(digits: int):
    """:func:`vector`, with real minus signs as the prose writes them."""
    return lambda v: vector(digits)(v).replace("-", "\u2212")


#: The running example of the book: logits (2, 1, 0.1), true class 1 (index 0 in code).
Z = [2.0, 1.0, 0.1]
EPS = 0.1
#: Three samples and class weights for the weighted mean.
BATCH = [[2.0, 1.0, 0.1], [0.5, 2.0, -1.0], [1.0, 1.0, 3.0]]
LABELS = [0, 1, 2]
WEIGHTS = [1.0, 2.0, 5.0]
#: The calibration problem: model logits 2.5 times the true ones.
SCALE = 2.5
BINS = 10
#: Near and far mistakes: K = 5 ordered classes, true class 1 (index 0), 0.8 of the mass on one
#: class.
K_ORD = 5
WRONG_MASS = Fraction(4, 5)


# --- label smoothing -------------------------------------------------------------------------


@claim(
    "beyond-ls-loss",
    "Cross-entropy of the logits $(2, 1, 0.1)$ with true class 1 and label smoothing "
    "$\\varepsilon = 0.1$.",
    reference="$-(1 - \\varepsilon)\\log p_1 - \\frac{\\varepsilon}{3}\\sum_k \\log p_k$ in "
    "mpmath at 50 digits",
    fmt="{:.4f}",
)
def ls_loss() -> float:
    return float(losses.cross_entropy([Z], [0], label_smoothing=EPS))


@ls_loss.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        eps = mpmath.mpf("0.1")
        nll = [mp_cross_entropy(Z, k) for k in range(3)]
        exact = (1 - eps) * nll[0] + eps / 3 * mpmath.fsum(nll)
    assert abs(value - float(exact)) < 1e-15


@claim(
    "beyond-ls-gradient",
    "Gradient of that smoothed loss with respect to the logits: $p - (0.9\\,e_0 + 0.1/3)$.",
    reference="PyTorch autograd through `F.cross_entropy(label_smoothing=0.1)`",
    fmt=_signed_vector(4),
    needs=("torch",),
)
def ls_gradient() -> np.ndarray:
    return gradients.cross_entropy_grad([Z], [0], label_smoothing=EPS)[0]


@ls_gradient.check
def _(value: np.ndarray) -> None:
    import torch
    import torch.nn.functional as F

    z = torch.tensor([Z], dtype=torch.float64, requires_grad=True)
    F.cross_entropy(z, torch.tensor([0]), label_smoothing=EPS).backward()
    assert np.allclose(value, z.grad.numpy()[0], rtol=1e-13, atol=1e-16)


def _smoothed_optimum_gap(k: int) -> float:
    """The logit lead of the true class at which the smoothed gradient vanishes (bisection)."""
    lo, hi = 0.0, 50.0
    for _ in range(200):
        mid = (lo + hi) / 2
        z = np.zeros(k)
        z[0] = mid
        if gradients.cross_entropy_grad([z], [0], label_smoothing=EPS)[0, 0] < 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


@claim(
    "beyond-ls-optimal-gap",
    "With $\\varepsilon = 0.1$ and $K = 10$ classes, the lead of the true logit over the others "
    "at which the smoothed loss is smallest (plain cross-entropy has no finite optimum).",
    reference="SymPy: $\\log\\frac{1 - \\varepsilon + \\varepsilon/K}{\\varepsilon/K} = \\log 91$, "
    "and the log of the ratio of derivation label-smoothing-optimal-lead",
    fmt="{:.2f}",
)
def ls_optimal_gap() -> float:
    return _smoothed_optimum_gap(10)


@ls_optimal_gap.check
def _(value: float) -> None:
    eps, k = sympy.Rational(1, 10), 10
    exact = sympy.log((1 - eps + eps / k) / (eps / k))
    assert exact == sympy.log(91)
    assert abs(value - float(exact)) < 1e-12
    from ce_book.derivations import beyond as bd
    from ce_book.derivations import get

    ratio = get("label-smoothing-optimal-lead").results[0].rhs.subs({bd.K: k, bd.eps: eps})
    assert sympy.log(ratio) == exact


def _smoothed_gap(k: int, eps: float) -> float:
    """The optimal lead of the true logit for ``k`` classes and smoothing ``eps`` (bisection)."""
    lo, hi = 0.0, 50.0
    for _ in range(60):
        mid = (lo + hi) / 2
        z = np.zeros(k)
        z[0] = mid
        grad = gradients.cross_entropy_grad([z], [0], label_smoothing=eps)[0, 0]
        lo, hi = (mid, hi) if grad < 0 else (lo, mid)
    return (lo + hi) / 2


@claim(
    "beyond-ls-eps-same-lead",
    "The smoothing $\\varepsilon$ that gives 1000 classes the same optimal logit lead as "
    "$\\varepsilon = 0.1$ gives 10 classes ($\\log 91$), found by bisection on $\\varepsilon$ "
    "with the lead computed from the smoothed gradient.",
    reference="SymPy: solve the ratio of derivation label-smoothing-optimal-lead at $K = 1000$ "
    "for the ratio 91: exactly $100/109$",
    fmt="{:.2f}",
)
def ls_eps_same_lead() -> float:
    target = _smoothed_gap(10, EPS)
    lo, hi = 0.01, 0.99
    for _ in range(40):
        mid = (lo + hi) / 2
        # a larger epsilon gives a smaller lead
        lo, hi = (mid, hi) if _smoothed_gap(1000, mid) > target else (lo, mid)
    return (lo + hi) / 2


@ls_eps_same_lead.check
def _(value: float) -> None:
    from ce_book.derivations import beyond as bd
    from ce_book.derivations import get

    ratio = get("label-smoothing-optimal-lead").results[0].rhs
    e = sympy.Symbol("e", positive=True)
    at_10 = ratio.subs({bd.K: 10, bd.eps: sympy.Rational(1, 10)})
    (exact,) = sympy.solve(sympy.Eq(ratio.subs({bd.K: 1000, bd.eps: e}), at_10), e)
    assert exact == sympy.Rational(100, 109)
    assert abs(value - float(exact)) < 1e-6


@claim(
    "beyond-ls-optimal-p",
    "With $\\varepsilon = 0.1$ and $K = 3$, the probability of the true class at the optimum "
    "of the smoothed loss.",
    reference="exact fraction $1 - \\varepsilon + \\varepsilon / K = 14/15$",
    fmt="{:.4f}",
)
def ls_optimal_p() -> float:
    gap = _smoothed_optimum_gap(3)
    return float(softmax([gap, 0.0, 0.0])[0])


@ls_optimal_p.check
def _(value: float) -> None:
    assert abs(value - 14 / 15) < 1e-12


# --- class weights ---------------------------------------------------------------------------


def _mp_weighted_terms() -> list[mpmath.mpf]:
    with mpmath.workdps(DIGITS):
        return [WEIGHTS[y] * mp_cross_entropy(z, y) for z, y in zip(BATCH, LABELS, strict=True)]


@claim(
    "beyond-weighted-mean",
    "Weighted mean cross-entropy of three samples with class weights $(1, 2, 5)$: the sum of "
    "$w_{y_n} L_n$ divided by $w_{y_1} + w_{y_2} + w_{y_3} = 8$.",
    reference="mpmath at 50 digits, and `torch.nn.functional.cross_entropy(weight=...)`",
    fmt="{:.4f}",
    needs=("torch",),
)
def weighted_mean() -> float:
    return float(losses.cross_entropy(BATCH, LABELS, weight=WEIGHTS))


@weighted_mean.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    assert sum(WEIGHTS[y] for y in LABELS) == 8  # the total weight the statement names
    with mpmath.workdps(DIGITS):
        exact = mpmath.fsum(_mp_weighted_terms()) / sum(WEIGHTS[y] for y in LABELS)
    assert abs(value - float(exact)) < 1e-15
    ref = F.cross_entropy(
        torch.tensor(BATCH, dtype=torch.float64),
        torch.tensor(LABELS),
        weight=torch.tensor(WEIGHTS, dtype=torch.float64),
    )
    assert abs(value - ref.item()) < 1e-15


@claim(
    "beyond-weighted-sum-over-n",
    "The same weighted losses summed and divided by $N = 3$ instead: not what `reduction="
    '"mean"` returns for class-index targets.',
    reference="mpmath at 50 digits",
    fmt="{:.4f}",
)
def weighted_sum_over_n() -> float:
    return float(losses.cross_entropy(BATCH, LABELS, weight=WEIGHTS, reduction="sum")) / 3


@weighted_sum_over_n.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = mpmath.fsum(_mp_weighted_terms()) / 3
    assert abs(value - float(exact)) < 1e-15


@claim(
    "beyond-weighted-mean-scale-free",
    "Multiplying every class weight by 10 leaves the weighted mean unchanged.",
    reference="`torch.nn.functional.cross_entropy` with weights $(10, 20, 50)$",
    fmt=lambda v: "unchanged" if v else "changed",
    needs=("torch",),
)
def weighted_mean_scale_free() -> bool:
    tenfold = losses.cross_entropy(BATCH, LABELS, weight=[10 * w for w in WEIGHTS])
    return bool(abs(float(tenfold) - weighted_mean()) < 1e-15)


@weighted_mean_scale_free.check
def _(value: bool) -> None:
    import torch
    import torch.nn.functional as F

    z, y = torch.tensor(BATCH, dtype=torch.float64), torch.tensor(LABELS)
    w = torch.tensor(WEIGHTS, dtype=torch.float64)
    same = abs(F.cross_entropy(z, y, weight=10 * w).item() - F.cross_entropy(z, y, weight=w).item())
    assert value is True and same < 1e-15


@claim(
    "beyond-weighted-one-hot-mean",
    "The same targets written as one-hot probability rows: the weighted `mean` now divides by "
    "$N = 3$, in PyTorch as in `ce_book`.",
    reference="`torch.nn.functional.cross_entropy` with probability targets, and mpmath",
    fmt="{:.4f}",
    needs=("torch",),
)
def weighted_one_hot_mean() -> float:
    return float(losses.cross_entropy(BATCH, np.eye(3)[LABELS], weight=WEIGHTS))


@weighted_one_hot_mean.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    ref = F.cross_entropy(
        torch.tensor(BATCH, dtype=torch.float64),
        torch.eye(3, dtype=torch.float64)[LABELS],
        weight=torch.tensor(WEIGHTS, dtype=torch.float64),
    )
    assert abs(value - ref.item()) < 1e-15
    with mpmath.workdps(DIGITS):
        assert abs(value - float(mpmath.fsum(_mp_weighted_terms()) / 3)) < 1e-15


# --- focal loss ------------------------------------------------------------------------------


def _focal_ratio(p_t: float) -> float:
    z = float(np.log(p_t / (1 - p_t)))  # the logit whose sigmoid is p_t
    return float(focal.sigmoid_focal_loss(z, 1.0) / focal.sigmoid_focal_loss(z, 1.0, gamma=0.0))


@claim(
    "beyond-focal-ratio-easy",
    "Focal loss ($\\gamma = 2$) over cross-entropy for an easy example, $p_t = 0.9$.",
    reference="hand derivation: the ratio is $(1 - p_t)^\\gamma = 0.01$",
    fmt="{:.2f}",
)
def focal_ratio_easy() -> float:
    return _focal_ratio(0.9)


@focal_ratio_easy.check
def _(value: float) -> None:
    assert abs(value - 0.01) < 1e-14


@claim(
    "beyond-focal-ratio-hard",
    "Focal loss ($\\gamma = 2$) over cross-entropy for a hard example, $p_t = 0.1$.",
    reference="hand derivation: the ratio is $(1 - p_t)^\\gamma = 0.81$",
    fmt="{:.2f}",
)
def focal_ratio_hard() -> float:
    return _focal_ratio(0.1)


@focal_ratio_hard.check
def _(value: float) -> None:
    assert abs(value - 0.81) < 1e-14


FOCAL_Z = [-3.0, -0.5, 0.2, 2.0, 6.0]
FOCAL_T = [0.0, 1.0, 0.0, 1.0, 1.0]


@claim(
    "beyond-focal-torchvision",
    "Mean binary focal loss with $\\alpha = 0.25$, $\\gamma = 2$ (torchvision's defaults) for "
    "logits $(-3, -0.5, 0.2, 2, 6)$ and targets $(0, 1, 0, 1, 1)$.",
    reference="Lin et al. (2017), eq. 5, as torchvision writes it, retyped in PyTorch",
    fmt="{:.4f}",
    needs=("torch",),
)
def focal_torchvision() -> float:
    return float(focal.sigmoid_focal_loss(FOCAL_Z, FOCAL_T, alpha=0.25, gamma=2.0))


@focal_torchvision.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    z = torch.tensor(FOCAL_Z, dtype=torch.float64)
    t = torch.tensor(FOCAL_T, dtype=torch.float64)
    p = torch.sigmoid(z)
    ce = F.binary_cross_entropy_with_logits(z, t, reduction="none")
    p_t = p * t + (1 - p) * (1 - t)
    loss = (0.25 * t + 0.75 * (1 - t)) * ce * (1 - p_t) ** 2
    assert abs(value - loss.mean().item()) < 1e-15


@claim(
    "beyond-focal-gradient",
    "Gradient of the focal loss ($\\gamma = 2$) at the logits $(2, 1, 0.1)$, true class 1.",
    reference="PyTorch autograd on $-(1 - p_y)^\\gamma \\log p_y$",
    fmt=_signed_vector(4),
    needs=("torch",),
)
def focal_gradient() -> np.ndarray:
    return focal.softmax_focal_loss_grad(Z, 0)


@focal_gradient.check
def _(value: np.ndarray) -> None:
    import torch

    z = torch.tensor(Z, dtype=torch.float64, requires_grad=True)
    log_p = torch.log_softmax(z, 0)[0]
    (-((1 - log_p.exp()) ** 2) * log_p).backward()
    assert np.allclose(value, z.grad.numpy(), rtol=1e-13, atol=1e-16)


# --- temperature and calibration -------------------------------------------------------------


def _problem() -> tuple[np.ndarray, np.ndarray]:
    return calibration.overconfident_problem(scale=SCALE)


def _loop_ece(probs: np.ndarray, labels: np.ndarray) -> float:
    """Guo et al. (2017), eq. 3, as a plain loop over bins and samples."""
    total = 0.0
    rows = [
        (max(row), int(np.argmax(row)) == y)
        for row, y in zip(probs.tolist(), labels.tolist(), strict=True)
    ]
    for m in range(BINS):
        inside = [(c, ok) for c, ok in rows if m / BINS < c <= (m + 1) / BINS]
        if inside:
            conf = sum(c for c, _ in inside) / len(inside)
            acc = sum(ok for _, ok in inside) / len(inside)
            total += len(inside) / len(rows) * abs(acc - conf)
    return total


def _mp_probabilities(z: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Softmax of every row of ``z / temperature`` from its definition, at 30 digits."""
    with mpmath.workdps(30):
        t = mpmath.mpf(temperature)
        rows = []
        for row in z.tolist():
            e = [mpmath.exp((mpmath.mpf(v) - max(row)) / t) for v in row]
            total = mpmath.fsum(e)
            rows.append([float(v / total) for v in e])
    return np.array(rows)


def _stationary_temperature(z: np.ndarray, y: np.ndarray) -> float:
    r"""The temperature minimising the mean cross-entropy, by bisection on its derivative.

    Hand derivation: :math:`\frac{d}{dT} \frac1N \sum_n \big[\log \sum_j e^{z_{nj}/T} -
    z_{ny}/T\big] = \frac{1}{N T^2} \sum_n \big(z_{ny} - \sum_j p_{nj} z_{nj}\big)` with
    :math:`p_n = \operatorname{softmax}(z_n / T)`; the bisection needs it negative at
    :math:`T = 0.5` and positive at :math:`T = 20`, which is asserted.
    """

    def slope(t: float) -> float:
        e = np.exp((z - z.max(axis=1, keepdims=True)) / t)
        p = e / e.sum(axis=1, keepdims=True)
        return float(np.sum(z[np.arange(len(y)), y] - np.sum(p * z, axis=1)))

    lo, hi = 0.5, 20.0
    assert slope(lo) < 0 < slope(hi)
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if slope(mid) < 0 else (lo, mid)
    return (lo + hi) / 2


@claim(
    "beyond-calib-accuracy",
    "Accuracy of the over-confident model on the synthetic problem (2000 samples, 5 classes).",
    reference="a plain count of correct arg-max predictions",
    fmt="{:.1%}",
)
def calib_accuracy() -> float:
    z, y = _problem()
    bins = calibration.reliability_bins(softmax(z), y, BINS)
    return float(np.nansum(bins.accuracy * bins.count) / bins.count.sum())


@calib_accuracy.check
def _(value: float) -> None:
    z, y = _problem()
    right = sum(
        int(max(range(5), key=lambda c, r=row: r[c]) == t) for row, t in zip(z, y, strict=True)
    )
    assert abs(value - right / len(y)) < 1e-12


@claim(
    "beyond-calib-confidence",
    "Mean confidence (largest probability) of the over-confident model on the same problem.",
    reference="a plain Python mean of the row maxima of the softmax",
    fmt="{:.1%}",
)
def calib_confidence() -> float:
    z, y = _problem()
    bins = calibration.reliability_bins(softmax(z), y, BINS)
    return float(np.nansum(bins.confidence * bins.count) / bins.count.sum())


@calib_confidence.check
def _(value: float) -> None:
    z, _ = _problem()
    with mpmath.workdps(30):
        tops = [1 / mpmath.fsum(mpmath.exp(v - max(row)) for v in row) for row in z.tolist()]
        assert abs(value - float(mpmath.fsum(tops) / len(tops))) < 1e-12


@claim(
    "beyond-calib-ece-before",
    "Expected calibration error (10 bins) of the over-confident model.",
    reference="Guo et al. (2017) eq. 3 as a plain loop, on probabilities from mpmath",
    fmt="{:.3f}",
)
def calib_ece_before() -> float:
    z, y = _problem()
    return calibration.expected_calibration_error(softmax(z), y, BINS)


@calib_ece_before.check
def _(value: float) -> None:
    z, y = _problem()
    assert abs(value - _loop_ece(_mp_probabilities(z), y)) < 1e-12


@claim(
    "beyond-calib-temperature",
    "The temperature fitted by minimising the cross-entropy on the synthetic problem; the "
    "model's logits are 2.5 times the true ones.",
    reference="PyTorch L-BFGS on $\\log T$ (the way Guo et al. fit it); within 5% of 2.5",
    fmt="{:.2f}",
    needs=("torch",),
)
def calib_temperature() -> float:
    return calibration.fit_temperature(*_problem())


@calib_temperature.check
def _(value: float) -> None:
    import torch

    z, y = _problem()
    zt, yt = torch.tensor(z), torch.tensor(y)
    (log_t,) = lbfgs(
        lambda log_t: torch.nn.functional.cross_entropy(zt / log_t.exp(), yt),
        [np.zeros(())],
        max_iter=200,
        tolerance_change=1e-16,
    )
    assert abs(value - float(np.exp(log_t))) < 1e-6 * value
    assert abs(value - SCALE) < 0.05 * SCALE


@claim(
    "beyond-calib-ece-after",
    "Expected calibration error (10 bins) after dividing the logits by the fitted temperature.",
    reference="Guo et al. (2017) eq. 3 as a plain loop, on probabilities from mpmath at the "
    "temperature where the hand-derived slope of the mean cross-entropy vanishes (bisection)",
    fmt="{:.3f}",
)
def calib_ece_after() -> float:
    z, y = _problem()
    return calibration.expected_calibration_error(
        softmax(z / calibration.fit_temperature(z, y)), y, BINS
    )


@calib_ece_after.check
def _(value: float) -> None:
    z, y = _problem()
    t = _stationary_temperature(z, y)
    assert abs(value - _loop_ece(_mp_probabilities(z, t), y)) < 1e-9


# --- distance between classes ----------------------------------------------------------------


def _symbolic_field(scale_by):
    """SymPy: the distance-scaled field on K = 3 logits, true class 0, wrong class i scaled
    by its distance s_i."""
    zs = sympy.symbols("z0:3", real=True)
    e = [sympy.exp(v) for v in zs]
    p = [v / sum(e) for v in e]
    field = [p[0] - 1, *(scale_by(p[i], i) for i in (1, 2))]
    return zs, field


@claim(
    "beyond-distance-field-uniform",
    "The distance-scaled field (the proposal of the notes on network mechanics) at equal "
    "logits, $K = 3$, true class 1: "
    "$(p_1 - 1,\\ p_2 / 1,\\ p_3 / 2)$.",
    reference="exact fractions $(-2/3, 1/3, 1/6)$",
    fmt=_signed_vector(4),
)
def seed_field_uniform() -> np.ndarray:
    return ordinal.distance_scaled_field([0.0, 0.0, 0.0], 0)


@seed_field_uniform.check
def _(value: np.ndarray) -> None:
    exact = [Fraction(-2, 3), Fraction(1, 3), Fraction(1, 6)]
    assert all(abs(v - float(e)) < 1e-15 for v, e in zip(value, exact, strict=True))


@claim(
    "beyond-distance-field-sum",
    "The components of that field sum to this, not to 0: it has a part along "
    "$(1, 1, 1)$, a direction in which no loss of the softmax can change.",
    reference="exact fraction $-2/3 + 1/3 + 1/6 = -1/6$",
    fmt=lambda v: f"{v:.4f}".replace("-", "\u2212"),
)
def seed_field_sum() -> float:
    return float(ordinal.distance_scaled_field([0.0, 0.0, 0.0], 0).sum())


@seed_field_sum.check
def _(value: float) -> None:
    assert abs(value - float(Fraction(-1, 6))) < 1e-15


@claim(
    "beyond-distance-jacobian-asymmetry",
    "$\\partial F_2 / \\partial z_3 - \\partial F_3 / \\partial z_2$ for the distance-scaled "
    "field at equal logits ($K = 3$, true class 1), by central differences: not 0, so $F$ "
    "is no gradient.",
    reference="SymPy: differentiate the field symbolically; exact value $-1/18$",
    fmt=lambda v: f"{v:.4f}".replace("-", "\u2212"),
)
def seed_jacobian_asymmetry() -> float:
    z = np.zeros(3)
    d1 = gradients.numerical_gradient(lambda v: ordinal.distance_scaled_field(v, 0)[1], z)
    d2 = gradients.numerical_gradient(lambda v: ordinal.distance_scaled_field(v, 0)[2], z)
    return float(d1[2] - d2[1])


@seed_jacobian_asymmetry.check
def _(value: float) -> None:
    zs, f = _symbolic_field(lambda p, i: p / i)
    exact = (sympy.diff(f[1], zs[2]) - sympy.diff(f[2], zs[1])).subs(dict.fromkeys(zs, 0))
    assert sympy.nsimplify(exact) == sympy.Rational(-1, 18)
    assert abs(value - float(exact)) < 1e-9


def _gauss_legendre_loop(field, n: int = 40) -> float:
    """Line integral of ``field`` counter-clockwise around the unit square of (z_1, z_2)."""
    nodes, weights = np.polynomial.legendre.leggauss(n)
    s = (nodes + 1) / 2
    total = 0.0
    corners = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
    for (a1, a2), (b1, b2) in itertools.pairwise(corners):
        for si, wi in zip(s, weights, strict=True):
            f = field(np.array([0.0, a1 + si * (b1 - a1), a2 + si * (b2 - a2)]))
            total += wi / 2 * (f[1] * (b1 - a1) + f[2] * (b2 - a2))
    return total


@claim(
    "beyond-distance-loop-integral",
    "Work done by the distance-scaled field around the unit square in the $(z_2, z_3)$ plane "
    "($z_1 = 0$, true class 1). For a gradient it would be exactly 0.",
    reference="Green's theorem: $\\iint p_2 p_3 / 2\\, dz_2 dz_3$ with mpmath quadrature",
    fmt="{:.4f}",
)
def seed_loop_integral() -> float:
    return _gauss_legendre_loop(lambda v: ordinal.distance_scaled_field(v, 0))


@seed_loop_integral.check
def _(value: float) -> None:
    def curl(z1: mpmath.mpf, z2: mpmath.mpf) -> mpmath.mpf:
        total = 1 + mpmath.exp(z1) + mpmath.exp(z2)
        return mpmath.exp(z1) * mpmath.exp(z2) / total**2 / 2

    with mpmath.workdps(30):
        exact = mpmath.quad(curl, [0, 1], [0, 1])
    assert abs(value - float(exact)) < 1e-12


@claim(
    "beyond-times-distance-asymmetry",
    "The same test for the field that *multiplies* by the distance, $G_i = p_i\\, s_i$: "
    "$\\partial G_2 / \\partial z_3 - \\partial G_3 / \\partial z_2$ at equal logits.",
    reference="SymPy: exact value $1/9$; derivation distance-times-gradient-not-conservative "
    "gives $p_2 p_3 (s_3 - s_2)$",
    fmt="{:.4f}",
)
def times_distance_asymmetry() -> float:
    def field(v: np.ndarray) -> np.ndarray:
        return softmax(v) * np.array([0.0, 1.0, 2.0])  # only F_1 and F_2 are compared

    z = np.zeros(3)
    d1 = gradients.numerical_gradient(lambda v: field(v)[1], z)
    d2 = gradients.numerical_gradient(lambda v: field(v)[2], z)
    return float(d1[2] - d2[1])


@times_distance_asymmetry.check
def _(value: float) -> None:
    zs, f = _symbolic_field(lambda p, i: p * i)
    exact = (sympy.diff(f[1], zs[2]) - sympy.diff(f[2], zs[1])).subs(dict.fromkeys(zs, 0))
    assert sympy.nsimplify(exact) == sympy.Rational(1, 9)
    assert abs(value - float(exact)) < 1e-9


def _near_far_probs() -> list[np.ndarray]:
    rows = []
    for wrong in range(1, K_ORD):
        p = np.full(K_ORD, 0.05)
        p[wrong] = 0.8
        rows.append(p)
    return rows


def _exact_near_far(wrong: int) -> list[Fraction]:
    p = [Fraction(1, 20)] * K_ORD
    p[wrong] = WRONG_MASS
    return p


@claim(
    "beyond-ce-near-far",
    "Cross-entropy when 0.8 of the mass sits on class 2, 3, 4 or 5 (true class 1, the other "
    "classes 0.05 each): the same four times, so one number is shown.",
    reference="$-\\log 0.05$ in mpmath",
    fmt=lambda v: f"{v[0]:.2f}",
)
def ce_near_far() -> np.ndarray:
    return np.array([float(losses.cross_entropy(np.log(p), 0)) for p in _near_far_probs()])


@ce_near_far.check
def _(value: np.ndarray) -> None:
    with mpmath.workdps(DIGITS):
        exact = float(-mpmath.log(mpmath.mpf(1) / 20))
    assert np.allclose(value, exact, rtol=1e-14)


@claim(
    "beyond-emd-near-far",
    "Squared earth mover's distance for the same four predictions: it grows with the distance "
    "of the mistake.",
    reference="exact fractions: $\\sum_b (P_b - T_b)^2$ over the cumulative sums",
    fmt=_signed_vector(4),  # exact at four decimals (15/16, 39/16, ...): no ties to break
)
def emd_near_far() -> np.ndarray:
    return np.array([float(ordinal.emd_loss(np.log(p), 0)) for p in _near_far_probs()])


@emd_near_far.check
def _(value: np.ndarray) -> None:
    for v, wrong in zip(value, range(1, K_ORD), strict=True):
        p = _exact_near_far(wrong)
        gaps = [sum(p[: b + 1]) - 1 for b in range(K_ORD - 1)]  # the target's CDF is 1 from 0
        assert abs(v - float(sum(g * g for g in gaps))) < 1e-14


@claim(
    "beyond-w1-near-far",
    "Earth mover's distance ($r = 1$) for the same four predictions: the expected distance "
    "$\\sum_k |k - y|\\,p_k$.",
    reference="exact fractions of $\\sum_k |k - y|\\, p_k$; the identity of the cumulative "
    "form and the expected distance in exact fractions for every $K$ up to 12 and every true "
    "class, and SciPy's `wasserstein_distance`",
    fmt=_signed_vector(2),
)
def w1_near_far() -> np.ndarray:
    return np.array([float(ordinal.emd_loss(np.log(p), 0, power=1)) for p in _near_far_probs()])


@w1_near_far.check
def _(value: np.ndarray) -> None:
    for v, wrong in zip(value, range(1, K_ORD), strict=True):
        p = _exact_near_far(wrong)
        assert abs(v - float(sum(k * pk for k, pk in enumerate(p)))) < 1e-14
    # For a one-hot target the cumulative form is the expected distance, for every K and y:
    # exact fractions on random distributions, and SciPy's earth mover's distance.
    from scipy.stats import wasserstein_distance

    rng = np.random.default_rng(7)
    for k in range(2, 13):
        for _ in range(3):
            p = [Fraction(int(n), 1) for n in rng.integers(1, 50, size=k)]
            p = [x / sum(p) for x in p]
            for y in range(k):
                cdf = [sum(p[: b + 1]) for b in range(k - 1)]
                gaps = sum(abs(c - (1 if b >= y else 0)) for b, c in enumerate(cdf))
                assert gaps == sum(abs(i - y) * pi for i, pi in enumerate(p))
                onehot = np.eye(k)[y]
                scipy_w1 = wasserstein_distance(range(k), range(k), [float(x) for x in p], onehot)
                assert abs(scipy_w1 - float(gaps)) < 1e-12


@claim(
    "beyond-w1-gradient-uniform",
    "Gradient of the earth mover's distance ($r = 1$) at equal logits, $K = 3$, true class 1: "
    "$p_j(d_j - \\bar d)$ with $d = (0, 1, 2)$ and $\\bar d = 1$.",
    reference="exact fractions $(-1/3, 0, 1/3)$",
    fmt=_signed_vector(4),
)
def w1_gradient_uniform() -> np.ndarray:
    return ordinal.emd_loss_grad([0.0, 0.0, 0.0], 0, power=1)


@w1_gradient_uniform.check
def _(value: np.ndarray) -> None:
    exact = [Fraction(-1, 3), Fraction(0), Fraction(1, 3)]
    assert all(abs(v - float(e)) < 1e-15 for v, e in zip(value, exact, strict=True))


@claim(
    "beyond-w1-gradient-four",
    "Gradient of the earth mover's distance ($r = 1$) for four ordered classes, true class 1, "
    "at the prediction $p = (0.1, 0.2, 0.3, 0.4)$ (logits $\\log p$): $p_j(d_j - \\bar d)$ "
    "with $d = (0, 1, 2, 3)$ and $\\bar d = 2$.",
    reference="exact fractions $(-1/5, -1/5, 0, 2/5)$",
    fmt=_signed_vector(2),
)
def w1_gradient_four() -> np.ndarray:
    return ordinal.emd_loss_grad(np.log([0.1, 0.2, 0.3, 0.4]), 0, power=1)


@w1_gradient_four.check
def _(value: np.ndarray) -> None:
    p = [Fraction(1, 10), Fraction(2, 10), Fraction(3, 10), Fraction(4, 10)]
    dbar = sum(k * pk for k, pk in enumerate(p))
    exact = [pk * (k - dbar) for k, pk in enumerate(p)]
    assert exact == [Fraction(-1, 5), Fraction(-1, 5), Fraction(0), Fraction(2, 5)]
    assert all(abs(v - float(e)) < 1e-14 for v, e in zip(value, exact, strict=True))


@claim(
    "beyond-emd-gradient-torch",
    "Gradient of the squared earth mover's distance at the logits $(2, 1, 0.1)$ with true "
    "class 3 (the far end).",
    reference="PyTorch autograd through cumulative sums of the softmax",
    fmt=_signed_vector(4),
    needs=("torch",),
)
def emd_gradient_torch() -> np.ndarray:
    return ordinal.emd_loss_grad(Z, 2)


@emd_gradient_torch.check
def _(value: np.ndarray) -> None:
    import torch

    z = torch.tensor(Z, dtype=torch.float64, requires_grad=True)
    gap = torch.cumsum(torch.softmax(z, 0), 0)[:-1] - torch.tensor([0.0, 0.0], dtype=z.dtype)
    (gap**2).sum().backward()
    assert np.allclose(value, z.grad.numpy(), rtol=1e-13, atol=1e-16)


# --- focal loss: where it helps the hard examples ------------------------------------------


def _focal_gain(p_t: float, gamma: float = 2.0) -> float:
    """Focal gradient over cross-entropy gradient on the logits, for true-class probability
    ``p_t`` (two classes, logits ``(log(p/(1-p)), 0)``): the focal weight of the derivation."""
    z = [float(np.log(p_t / (1 - p_t))), 0.0]
    fl = focal.softmax_focal_loss_grad(z, 0, gamma=gamma)[0]
    ce = focal.softmax_focal_loss_grad(z, 0, gamma=0.0)[0]
    return float(fl / ce)


def _mp_gain(p: mpmath.mpf) -> mpmath.mpf:
    """The focal weight $g = (1 - p)^2 - 2 p (1 - p) \\log p$ of focal-loss-gradient, gamma 2."""
    return (1 - p) ** 2 - 2 * p * (1 - p) * mpmath.log(p)


@claim(
    "beyond-focal-crossover",
    "With $\\gamma = 2$, the probability of the true class below which the focal loss pushes "
    "the logits *harder* than cross-entropy: where the focal weight $g$ equals 1.",
    reference="mpmath: the root of $(1 - p)^2 - 2p(1 - p)\\log p = 1$ in $(0, 1)$ at 50 digits",
    fmt="{:.3f}",
)
def focal_crossover() -> float:
    lo, hi = 0.05, 0.9  # the gain is above 1 at lo and below 1 at hi
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _focal_gain(mid) > 1 else (lo, mid)
    return (lo + hi) / 2


@focal_crossover.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        root = mpmath.findroot(lambda p: _mp_gain(p) - 1, mpmath.mpf("0.3"))
        assert abs(value - float(root)) < 1e-12


@functools.cache
def _focal_peak() -> tuple[float, float]:
    """Where the focal weight is largest, by golden-section search on ``_focal_gain``."""
    lo, hi = 0.01, 0.6
    ratio = (np.sqrt(5) - 1) / 2
    for _ in range(60):
        a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        lo, hi = (a, hi) if _focal_gain(a) < _focal_gain(b) else (lo, b)
    p = (lo + hi) / 2
    return p, _focal_gain(p)


@claim(
    "beyond-focal-max-gain",
    "With $\\gamma = 2$, the largest factor by which the focal loss multiplies the "
    "cross-entropy gradient, over all probabilities of the true class.",
    reference="mpmath: the maximum of $(1 - p)^2 - 2p(1 - p)\\log p$, where its derivative "
    "vanishes, at 50 digits",
    fmt="{:.2f}",
)
def focal_max_gain() -> float:
    return _focal_peak()[1]


@focal_max_gain.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        p = mpmath.findroot(lambda x: mpmath.diff(_mp_gain, x), mpmath.mpf("0.1"))
        assert abs(value - float(_mp_gain(p))) < 1e-12


@claim(
    "beyond-focal-max-gain-at",
    "The probability of the true class at which that largest factor is reached.",
    reference="mpmath: the root of the derivative of $(1 - p)^2 - 2p(1 - p)\\log p$",
    fmt="{:.2f}",
)
def focal_max_gain_at() -> float:
    return _focal_peak()[0]


@focal_max_gain_at.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        p = mpmath.findroot(lambda x: mpmath.diff(_mp_gain, x), mpmath.mpf("0.1"))
        assert abs(value - float(p)) < 1e-6


PRIOR = 0.01


@claim(
    "beyond-focal-prior-bias",
    "The initial bias of the classification layer in Lin et al.'s detector, "
    "$-\\log((1 - \\pi)/\\pi)$ with $\\pi = 0.01$, which makes every anchor start with "
    "probability 0.01 of being foreground.",
    reference="mpmath: $-\\ln 99$ at 50 digits; the sigmoid of the bias is 0.01",
    fmt=signed("{:.2f}"),
)
def focal_prior_bias() -> float:
    b = -float(np.log((1 - PRIOR) / PRIOR))
    assert abs(float(sigmoid(b)) - PRIOR) < 1e-15
    return b


@focal_prior_bias.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert abs(value + float(mpmath.log(99))) < 1e-14


# --- class weights with probability targets ------------------------------------------------


@claim(
    "beyond-weighted-one-hot-scale",
    "With the same targets written as one-hot probability rows, the weighted mean for weights "
    "$(10, 20, 50)$ divided by the weighted mean for $(1, 2, 5)$: the mean divides by $N$, "
    "so it scales with the weights.",
    reference="`torch.nn.functional.cross_entropy` with probability targets, both weightings",
    fmt="{:.0f}",
    needs=("torch",),
)
def weighted_one_hot_scale() -> float:
    one_hot = np.eye(3)[LABELS]
    tenfold = losses.cross_entropy(BATCH, one_hot, weight=[10 * w for w in WEIGHTS])
    return float(tenfold / losses.cross_entropy(BATCH, one_hot, weight=WEIGHTS))


@weighted_one_hot_scale.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    z = torch.tensor(BATCH, dtype=torch.float64)
    t = torch.eye(3, dtype=torch.float64)[LABELS]
    w = torch.tensor(WEIGHTS, dtype=torch.float64)
    ratio = F.cross_entropy(z, t, weight=10 * w).item() / F.cross_entropy(z, t, weight=w).item()
    assert abs(value - ratio) < 1e-12 and abs(value - 10) < 1e-12


# --- temperature scaling: Newton, held-out data, the noise floor of ECE --------------------


def _np_mean_nll(z: np.ndarray, y: np.ndarray, beta: float) -> float:
    """Mean cross-entropy of softmax(beta z), written out in NumPy (not ce_book)."""
    s = beta * z
    top = s.max(axis=1, keepdims=True)
    lse = top[:, 0] + np.log(np.exp(s - top).sum(axis=1))
    return float(np.mean(lse - s[np.arange(len(y)), y]))


@claim(
    "beyond-calib-newton-step",
    "Plain Newton's method on the mean cross-entropy in $\\beta = 1/T$, one step from "
    "$\\beta = 1$ on the synthetic problem: the new $\\beta$ is negative, a temperature "
    "below zero, which would reverse every ranking.",
    reference="slope and curvature of the mean cross-entropy by central differences of a "
    "separate NumPy implementation",
    fmt=signed("{:.2f}"),
)
def calib_newton_step() -> float:
    z, y = _problem()
    p = softmax(z)
    mean_z = np.sum(p * z, axis=1)
    slope = float(np.mean(mean_z - z[np.arange(len(y)), y]))
    curvature = float(np.mean(np.sum(p * (z - mean_z[:, None]) ** 2, axis=1)))
    return 1.0 - slope / curvature


@calib_newton_step.check
def _(value: float) -> None:
    z, y = _problem()
    h = 1e-4
    f = [_np_mean_nll(z, y, 1.0 + k * h) for k in (-1, 0, 1)]
    slope, curvature = (f[2] - f[0]) / (2 * h), (f[2] - 2 * f[1] + f[0]) / h**2
    assert abs(value - (1 - slope / curvature)) < 1e-4
    assert value < 0


ALL_RIGHT_Z = np.array([[2.0, 0.0, 0.0], [0.5, 1.5, 0.0], [0.0, 0.2, 1.0]])
ALL_RIGHT_Y = np.array([0, 1, 2])
ALL_RIGHT_T = (1.0, 0.5, 0.25, 0.125)


@claim(
    "beyond-all-right-losses",
    "Three held-out samples whose labels all have the top logit: the mean cross-entropy at "
    "the temperatures 1, 1/2, 1/4 and 1/8. It keeps falling toward 0 as $T \\to 0$, so no "
    "finite temperature minimises it (and `fit_temperature` says so with a `ValueError`).",
    reference="mpmath at 50 digits",
    fmt=lambda v: ", ".join(f"{x:.3f}" for x in v[:-1]) + f" and {v[-1]:.3f}",
)
def all_right_losses() -> tuple[float, ...]:
    try:
        calibration.fit_temperature(ALL_RIGHT_Z, ALL_RIGHT_Y)
    except ValueError:
        pass
    else:
        raise AssertionError("fit_temperature returned a temperature for an all-right set")
    return tuple(float(losses.cross_entropy(ALL_RIGHT_Z / t, ALL_RIGHT_Y)) for t in ALL_RIGHT_T)


@all_right_losses.check
def _(value: tuple[float, ...]) -> None:
    with mpmath.workdps(DIGITS):
        for got, t in zip(value, ALL_RIGHT_T, strict=True):
            rows = [[v / t for v in row] for row in ALL_RIGHT_Z.tolist()]
            exact = mpmath.fsum(
                mp_cross_entropy(r, int(y)) for r, y in zip(rows, ALL_RIGHT_Y, strict=True)
            ) / len(rows)
            assert abs(got - float(exact)) < 1e-14
    assert all(a > b for a, b in itertools.pairwise(value))


MAE_PROBS = (0.01, 0.99)


@claim(
    "beyond-mae-push-ratio",
    "The push on the true logit under the mean absolute error between $p$ and the one-hot "
    "target, $2(1 - p_y)$, divided by cross-entropy's push, for two classes and $p_y = 0.01$ "
    "(an example the model disbelieves, perhaps mislabelled) and $p_y = 0.99$: by central "
    "differences of the MAE against `cross_entropy_grad`.",
    reference="hand derivation: the ratio is $2 p_y$ (the MAE gradient is $2 p_y (p - e_y)$)",
    fmt=lambda v: f"{v[0]:.2f} and {v[1]:.2f}",
)
def mae_push_ratio() -> tuple[float, float]:
    out = []
    for prob in MAE_PROBS:
        z = np.array([np.log(prob / (1 - prob)), 0.0])
        mae = gradients.numerical_gradient(lambda v: 2 * (1 - softmax(v)[0]), z)[0]
        out.append(float(mae / gradients.cross_entropy_grad([z], [0])[0, 0]))
    return tuple(out)


@mae_push_ratio.check
def _(value: tuple[float, float]) -> None:
    for got, prob in zip(value, MAE_PROBS, strict=True):
        assert abs(got - 2 * prob) < 1e-6


HELD_OUT_SEED = 8
#: Draws for the noise floor: none of them the data the temperature is fitted on (seed 7) or
#: tested on (seed 8).
NOISE_SEEDS = range(100, 200)


def _np_probs(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _hist_ece(probs: np.ndarray, labels: np.ndarray) -> float:
    """ECE with equal-width bins (m/10, (m+1)/10], by ``np.digitize``: a second implementation."""
    conf = probs.max(axis=1)
    right = (probs.argmax(axis=1) == labels).astype(float)
    which = np.digitize(conf, np.linspace(0, 1, BINS + 1)[1:-1], right=True)
    total = 0.0
    for m in range(BINS):
        inside = which == m
        if inside.any():
            total += inside.mean() * abs(right[inside].mean() - conf[inside].mean())
    return total


def _noise_floor() -> list[float]:
    eces = []
    for seed in NOISE_SEEDS:
        z, y = calibration.overconfident_problem(scale=1.0, seed=seed)
        eces.append(calibration.expected_calibration_error(softmax(z), y, BINS))
    return eces


@claim(
    "beyond-ece-noise-floor",
    "The expected calibration error (10 bins) of a perfectly calibrated model (it reports the "
    "true probabilities) on 2000 samples, over 100 independent draws of the synthetic "
    "problem (none of them the data the temperature is fitted or tested on): the mean and the "
    "standard deviation over the draws.",
    reference="a second ECE implementation (bins by `np.digitize`) on probabilities computed "
    "in plain NumPy, averaged by hand",
    fmt=lambda v: f"{v[0]:.3f} on average, with a spread (standard deviation) of {v[1]:.3f}",
)
def ece_noise_floor() -> tuple[float, float]:
    eces = np.array(_noise_floor())
    return float(eces.mean()), float(eces.std())


@ece_noise_floor.check
def _(value: tuple[float, float]) -> None:
    eces = []
    for seed in NOISE_SEEDS:
        z, y = calibration.overconfident_problem(scale=1.0, seed=seed)
        eces.append(_hist_ece(_np_probs(z), y))
    n = len(eces)
    mean = sum(eces) / n
    std = (sum((e - mean) ** 2 for e in eces) / n) ** 0.5
    assert abs(value[0] - mean) < 1e-12 and abs(value[1] - std) < 1e-12
    assert 0 < value[1] < value[0] < 0.05


def _held_out() -> tuple[np.ndarray, np.ndarray]:
    return calibration.overconfident_problem(scale=SCALE, seed=HELD_OUT_SEED)


@claim(
    "beyond-calib-ece-heldout",
    "Expected calibration error (10 bins) on 2000 fresh held-out samples of the same problem, "
    "after dividing the logits by the temperature fitted on the first 2000.",
    reference="a second ECE implementation (bins by `np.digitize`), plain NumPy probabilities, "
    "at the temperature where the hand-derived slope vanishes (bisection)",
    fmt="{:.3f}",
)
def calib_ece_heldout() -> float:
    t = calibration.fit_temperature(*_problem())
    z, y = _held_out()
    return calibration.expected_calibration_error(softmax(z / t), y, BINS)


@calib_ece_heldout.check
def _(value: float) -> None:
    t = _stationary_temperature(*_problem())
    z, y = _held_out()
    assert abs(value - _hist_ece(_np_probs(z / t), y)) < 1e-9


@claim(
    "beyond-calib-ece-heldout-before",
    "The same held-out ECE before temperature scaling.",
    reference="a second ECE implementation (bins by `np.digitize`), plain NumPy probabilities",
    fmt="{:.3f}",
)
def calib_ece_heldout_before() -> float:
    z, y = _held_out()
    return calibration.expected_calibration_error(softmax(z), y, BINS)


@calib_ece_heldout_before.check
def _(value: float) -> None:
    z, y = _held_out()
    assert abs(value - _hist_ece(_np_probs(z), y)) < 1e-12


# --- proper scoring rules -------------------------------------------------------------------

EVENT = 0.3  # the true probability of the event
REPORT = 0.5  # a dishonest (or lazy) report


def _expected_log_score(q: float) -> float:
    """Expected binary cross-entropy of the report ``q`` when the event has probability EVENT."""
    return float(
        EVENT * losses.binary_cross_entropy(q, 1.0)
        + (1 - EVENT) * losses.binary_cross_entropy(q, 0.0)
    )


@claim(
    "beyond-log-score-minimiser",
    "The report $q$ that minimises the expected cross-entropy when the event has probability "
    "0.3, found by golden-section search on `ce_book.losses.binary_cross_entropy`.",
    reference="derivation log-score-proper: the slope $(q - \\pi)/(q(1 - q))$ vanishes only "
    "at $q = \\pi = 0.3$",
    fmt="{:.3f}",
)
def log_score_minimiser() -> float:
    lo, hi = 1e-6, 1 - 1e-6
    ratio = (np.sqrt(5) - 1) / 2
    for _ in range(200):
        a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        lo, hi = (lo, b) if _expected_log_score(a) < _expected_log_score(b) else (a, hi)
    return (lo + hi) / 2


@log_score_minimiser.check
def _(value: float) -> None:
    q, p = sympy.symbols("q pi", positive=True)
    slope = sympy.diff(-p * sympy.log(q) - (1 - p) * sympy.log(1 - q), q)
    assert sympy.solve(sympy.Eq(slope.subs(p, sympy.Rational(3, 10)), 0), q) == [
        sympy.Rational(3, 10)
    ]
    assert abs(value - 0.3) < 1e-7


@claim(
    "beyond-log-score-penalty",
    "How much the expected cross-entropy rises when the forecaster reports 0.5 for an event "
    "of probability 0.3, in nats.",
    reference="mpmath: $0.3 \\ln(0.3/0.5) + 0.7 \\ln(0.7/0.5)$, the KL divergence of "
    "derivation log-score-excess, at 50 digits",
    fmt="{:.4f}",
)
def log_score_penalty() -> float:
    return _expected_log_score(REPORT) - _expected_log_score(EVENT)


@log_score_penalty.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        p, q = mpmath.mpf("0.3"), mpmath.mpf("0.5")
        kl = p * mpmath.log(p / q) + (1 - p) * mpmath.log((1 - p) / (1 - q))
        assert abs(value - float(kl)) < 1e-15


@claim(
    "beyond-brier-penalty",
    "The same dishonest report under the Brier score (expected squared error $(q - t)^2$): "
    "how much it rises.",
    reference="derivation brier-score-proper: $(0.5 - 0.3)^2$ in exact fractions",
    fmt="{:.2f}",
)
def brier_penalty() -> float:
    def expected(q: float) -> float:
        return EVENT * (q - 1) ** 2 + (1 - EVENT) * q**2

    return expected(REPORT) - expected(EVENT)


@brier_penalty.check
def _(value: float) -> None:
    assert abs(value - float((Fraction(1, 2) - Fraction(3, 10)) ** 2)) < 1e-15


# --- what the variants reward: the minimiser of the expected loss ---------------------------


def _best_logit(slope) -> float:
    """The logit where ``slope`` (increasing through 0) changes sign, by bisection."""
    lo, hi = -20.0, 20.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if slope(mid) < 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


#: Class weights for the reweighting example: the event (index 0) counts three times.
EVENT_WEIGHTS = [3.0, 1.0]


@claim(
    "beyond-ls-expected-minimiser",
    "Two classes, an event of probability $0.3$, label smoothing $\\varepsilon = 0.1$: the "
    "probability of the event that minimises the expected smoothed loss (found by bisection on "
    "the gradient of `cross_entropy`).",
    reference="derivation label-smoothing-expected-loss and Gibbs' inequality: "
    "$(1 - \\varepsilon)\\pi + \\varepsilon / K = 8/25$ in exact fractions",
    fmt="{:.2f}",
)
def ls_expected_minimiser() -> float:
    def slope(u: float) -> float:
        z = [[u, 0.0]]
        g1 = gradients.cross_entropy_grad(z, [0], label_smoothing=EPS)[0, 0]
        g0 = gradients.cross_entropy_grad(z, [1], label_smoothing=EPS)[0, 0]
        return EVENT * g1 + (1 - EVENT) * g0

    return float(softmax(np.array([_best_logit(slope), 0.0]))[0])


@ls_expected_minimiser.check
def _(value: float) -> None:
    pi, eps, k = Fraction(3, 10), Fraction(1, 10), 2
    assert (1 - eps) * pi + eps / k == Fraction(8, 25)
    assert abs(value - 8 / 25) < 1e-12


def _weighted_minimiser() -> float:
    def slope(u: float) -> float:
        z = [[u, 0.0]]
        g1 = gradients.cross_entropy_grad(z, [0], weight=EVENT_WEIGHTS, reduction="sum")[0, 0]
        g0 = gradients.cross_entropy_grad(z, [1], weight=EVENT_WEIGHTS, reduction="sum")[0, 0]
        return EVENT * g1 + (1 - EVENT) * g0

    return float(softmax(np.array([_best_logit(slope), 0.0]))[0])


@claim(
    "beyond-weighted-expected-minimiser",
    "Two classes, an event of probability $0.3$ whose class weight is 3 (the other class 1): "
    "the probability of the event that minimises the expected weighted loss (bisection on the "
    "weighted gradient of `cross_entropy`).",
    reference="derivation class-weights-expected-loss and Gibbs' inequality: "
    "$3 \\cdot 0.3 / (3 \\cdot 0.3 + 0.7) = 9/16$ in exact fractions",
    fmt="{:.4f}",
)
def weighted_expected_minimiser() -> float:
    return _weighted_minimiser()


@weighted_expected_minimiser.check
def _(value: float) -> None:
    pi, w = Fraction(3, 10), Fraction(3)
    assert w * pi / (w * pi + (1 - pi)) == Fraction(9, 16)
    assert abs(value - 9 / 16) < 1e-12


@claim(
    "beyond-weighted-corrected",
    "The weighted model's probability of the event after dividing each class's probability "
    "by its class weight and normalising: the event's true probability again.",
    reference="exact fractions: $(9/16)/3$ against $(7/16)/1$, normalised, is $3/10$",
    fmt="{:.2f}",
)
def weighted_corrected() -> float:
    q = _weighted_minimiser()
    a, b = q / EVENT_WEIGHTS[0], (1 - q) / EVENT_WEIGHTS[1]
    return a / (a + b)


@weighted_corrected.check
def _(value: float) -> None:
    a, b = Fraction(9, 16) / 3, Fraction(7, 16)
    assert a / (a + b) == Fraction(3, 10)
    assert abs(value - 0.3) < 1e-12


def _focal_minimiser(pi: float) -> float:
    def slope(u: float) -> float:
        g1 = float(focal.sigmoid_focal_loss_grad([u], [1.0], gamma=2.0)[0])
        g0 = float(focal.sigmoid_focal_loss_grad([u], [0.0], gamma=2.0)[0])
        return pi * g1 + (1 - pi) * g0

    return float(sigmoid(_best_logit(slope)))


@claim(
    "beyond-focal-expected-minimiser",
    "Focal loss with $\\gamma = 2$, an event of probability $0.3$ and one of probability $0.9$: "
    "the reported probability that minimises the expected focal loss in each case (bisection "
    "on the gradient of `sigmoid_focal_loss`). Both are pulled toward one half.",
    reference="mpmath at 50 digits: the root of the derivative of "
    "$-\\pi (1 - q)^2 \\log q - (1 - \\pi) q^2 \\log(1 - q)$",
    fmt=lambda v: f"{v[0]:.2f} and {v[1]:.2f}",
)
def focal_expected_minimiser() -> tuple[float, float]:
    return _focal_minimiser(0.3), _focal_minimiser(0.9)


@focal_expected_minimiser.check
def _(value: tuple[float, float]) -> None:
    with mpmath.workdps(DIGITS):
        for pi, got in zip((mpmath.mpf("0.3"), mpmath.mpf("0.9")), value, strict=True):

            def expected(q, pi=pi):
                return -pi * (1 - q) ** 2 * mpmath.log(q) - (1 - pi) * q**2 * mpmath.log(1 - q)

            root = mpmath.findroot(lambda q, f=expected: mpmath.diff(f, q), float(got))
            assert abs(got - float(root)) < 1e-9
            assert mpmath.diff(expected, root, 2) > 0
    assert value[0] > 0.3 and value[1] < 0.9


#: A confidently wrong binary prediction: logit -8 for an event that happened.
SATURATED_LOGIT = -8.0


@claim(
    "beyond-brier-saturated-grad",
    "Derivative with respect to the logit $z = -8$, label 1, of the Brier score "
    "$(\\sigma(z) - 1)^2$ and of binary cross-entropy: the first fades with the sigmoid's "
    "slope, the second does not.",
    reference="mpmath at 50 digits: $2(\\sigma(z) - 1)\\,\\sigma(z)(1 - \\sigma(z))$ "
    "(derivation mse-sigmoid-gradient) and $\\sigma(z) - 1$ (derivation bce-sigmoid-gradient)",
    fmt=lambda v: f"{v[0]:.5f} and {v[1]:.4f}".replace("-", "\u2212"),
)
def brier_saturated_grad() -> tuple[float, float]:
    z = np.array([SATURATED_LOGIT])
    brier = gradients.sigmoid_derivative(z)[0] * 2 * (float(sigmoid(z)[0]) - 1)
    ce = float(gradients.binary_cross_entropy_with_logits_grad(z, np.ones(1))[0])
    return float(brier), ce


@brier_saturated_grad.check
def _(value: tuple[float, float]) -> None:
    with mpmath.workdps(DIGITS):
        s = 1 / (1 + mpmath.exp(-mpmath.mpf(SATURATED_LOGIT)))
        assert abs(value[0] - float(2 * (s - 1) * s * (1 - s))) < 1e-15
        assert abs(value[1] - float(s - 1)) < 1e-15


def _base_rates() -> np.ndarray:
    _, y = _problem()
    return np.bincount(y, minlength=5) / len(y)


@claim(
    "beyond-ece-constant",
    "Expected calibration error (10 bins), on the held-out samples, of a useless forecaster "
    "that reports the training set's class frequencies for every sample.",
    reference="a second ECE implementation (bins by `np.digitize`); the constant report puts "
    "every sample in one bin",
    fmt="{:.3f}",
)
def ece_constant() -> float:
    _, y = _held_out()
    return calibration.expected_calibration_error(np.tile(_base_rates(), (len(y), 1)), y, BINS)


@ece_constant.check
def _(value: float) -> None:
    _, y_train = _problem()
    _, y = _held_out()
    rates = np.bincount(y_train, minlength=5) / len(y_train)
    assert abs(value - _hist_ece(np.tile(rates, (len(y), 1)), y)) < 1e-12
    # one bin: |share of the most frequent training class among held-out labels - its rate|
    top = int(np.argmax(rates))
    assert abs(value - abs(float(np.mean(y == top)) - rates[top])) < 1e-12


@claim(
    "beyond-ce-constant",
    "Mean cross-entropy of that constant forecaster on the held-out samples, in nats.",
    reference="mpmath: minus the mean log of the reported frequency of each held-out label",
    fmt="{:.3f}",
)
def ce_constant() -> float:
    _, y = _held_out()
    rates = _base_rates()
    return float(losses.cross_entropy(np.log(np.tile(rates, (len(y), 1))), y))


@ce_constant.check
def _(value: float) -> None:
    _, y = _held_out()
    rates = _base_rates()
    with mpmath.workdps(DIGITS):
        exact = -mpmath.fsum(mpmath.log(mpmath.mpf(float(rates[c]))) for c in y) / len(y)
        assert abs(value - float(exact)) < 1e-13


@claim(
    "beyond-ce-scaled-heldout",
    "Mean cross-entropy of the temperature-scaled model on the same held-out samples, in nats.",
    reference="a separate NumPy implementation at the temperature where the hand-derived "
    "slope vanishes (bisection)",
    fmt="{:.3f}",
)
def ce_scaled_heldout() -> float:
    t = calibration.fit_temperature(*_problem())
    z, y = _held_out()
    return float(losses.cross_entropy(z / t, y))


@ce_scaled_heldout.check
def _(value: float) -> None:
    t = _stationary_temperature(*_problem())
    z, y = _held_out()
    assert abs(value - _np_mean_nll(z, y, 1 / t)) < 1e-9


# --- the earth mover's distance when the softmax saturates ---------------------------------

SATURATED_Z = [0.0, 0.0, 0.0, 0.0, 8.0]


@claim(
    "beyond-emd-saturated-grad",
    "Largest component, in size, of the gradient of the earth mover's distance ($r = 1$) at "
    "the confidently wrong logits $(0, 0, 0, 0, 8)$, true class 1.",
    reference="mpmath at 50 digits: $p_j (d_j - \\bar d)$ of derivation emd-ordinal-gradient",
    fmt="{:.4f}",
)
def emd_saturated_grad() -> float:
    return float(np.abs(ordinal.emd_loss_grad(SATURATED_Z, 0, power=1)).max())


@emd_saturated_grad.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        e = [mpmath.exp(v) for v in SATURATED_Z]
        p = [x / mpmath.fsum(e) for x in e]
        mean_d = mpmath.fsum(k * pk for k, pk in enumerate(p))
        exact = max(abs(pk * (k - mean_d)) for k, pk in enumerate(p))
    assert abs(value - float(exact)) < 1e-15


@claim(
    "beyond-ce-saturated-grad",
    "Largest component, in size, of the cross-entropy gradient $p - t$ at the same logits.",
    reference="mpmath at 50 digits: $1 - p_1$",
    fmt="{:.4f}",
)
def ce_saturated_grad() -> float:
    return float(np.abs(gradients.cross_entropy_grad(SATURATED_Z, 0)).max())


@ce_saturated_grad.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        e = [mpmath.exp(v) for v in SATURATED_Z]
        assert abs(value - float(1 - e[0] / mpmath.fsum(e))) < 1e-15


@claim(
    "beyond-emd2-saturated-grad",
    "Largest component, in size, of the gradient of the squared EMD loss ($r = 2$) at the "
    "confidently wrong logits $(0, 0, 0, 0, 8)$, true class 1: the square does not undo the "
    "saturation of the softmax.",
    reference="mpmath at 50 digits: numerical derivatives (mpmath.diff) of "
    "$\\sum_b (P_b - 1)^2$ with respect to each logit",
    fmt="{:.4f}",
)
def emd2_saturated_grad() -> float:
    return float(np.abs(ordinal.emd_loss_grad(SATURATED_Z, 0, power=2)).max())


@emd2_saturated_grad.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):

        def loss(*z: mpmath.mpf) -> mpmath.mpf:
            e = [mpmath.exp(v) for v in z]
            p = [x / mpmath.fsum(e) for x in e]
            cum = [mpmath.fsum(p[: b + 1]) for b in range(len(p) - 1)]
            return mpmath.fsum((c - 1) ** 2 for c in cum)

        z0 = [mpmath.mpf(v) for v in SATURATED_Z]
        grads = []
        for j in range(len(z0)):
            order = [0] * len(z0)
            order[j] = 1
            grads.append(mpmath.diff(loss, z0, tuple(order)))
        exact = max(abs(g) for g in grads)
    assert abs(value - float(exact)) < 1e-14
    assert value < 0.01


@claim(
    "beyond-focal-running-factor",
    "The factor $g$ by which the focal loss ($\\gamma = 2$) scales the cross-entropy gradient "
    "of the running example, logits $(2, 1, 0.1)$ and true class 1: well below 1.",
    reference="mpmath at 50 digits: $(1 - p_y)^2 - 2 p_y (1 - p_y) \\log p_y$ "
    "(derivation focal-loss-gradient)",
    fmt="{:.2f}",
)
def focal_running_factor() -> float:
    ratio = focal.softmax_focal_loss_grad(Z, 0) / gradients.cross_entropy_grad(Z, 0)
    assert np.ptp(ratio) < 1e-12
    return float(ratio[0])


@focal_running_factor.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        e = [mpmath.exp(mpmath.mpf(v)) for v in Z]
        p = e[0] / mpmath.fsum(e)
        g = (1 - p) ** 2 - 2 * p * (1 - p) * mpmath.log(p)
    assert abs(value - float(g)) < 1e-13
