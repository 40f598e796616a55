r"""Claims of the chapter beyond plain cross-entropy: label smoothing, class weights, focal
loss, temperature and calibration, and losses that know the distance between classes.

Values come from :mod:`ce_book.losses`, :mod:`ce_book.gradients`, :mod:`ce_book.focal`,
:mod:`ce_book.calibration` and :mod:`ce_book.ordinal`. Checks recompute each value another
way: exact fractions, SymPy, mpmath at 50 digits, plain Python loops, or PyTorch
(``needs=("torch",)``), never with the code under test.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import mpmath
import numpy as np
import sympy

from ce_book import calibration, focal, gradients, losses, ordinal
from ce_book.activations import softmax
from ce_book.claims import claim
from ce_book.claims._format import vector
from ce_book.reference import DIGITS, mp_cross_entropy

#: The running example of the book: logits (2, 1, 0.1), true class 0.
Z = [2.0, 1.0, 0.1]
EPS = 0.1
#: Three samples and class weights for the weighted mean.
BATCH = [[2.0, 1.0, 0.1], [0.5, 2.0, -1.0], [1.0, 1.0, 3.0]]
LABELS = [0, 1, 2]
WEIGHTS = [1.0, 2.0, 5.0]
#: The calibration problem: model logits 2.5 times the true ones.
SCALE = 2.5
BINS = 10
#: Near and far mistakes: K = 5 ordered classes, true class 0, 0.8 of the mass on one class.
K_ORD = 5
WRONG_MASS = Fraction(4, 5)


# --- label smoothing -------------------------------------------------------------------------


@claim(
    "beyond-ls-loss",
    "Cross-entropy of the logits $(2, 1, 0.1)$ with true class 0 and label smoothing "
    "$\\varepsilon = 0.1$.",
    reference="$-(1 - \\varepsilon)\\log p_0 - \\frac{\\varepsilon}{3}\\sum_k \\log p_k$ in "
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
    fmt=vector(4),
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
    reference="SymPy: $\\log\\frac{1 - \\varepsilon + \\varepsilon/K}{\\varepsilon/K} = \\log 91$",
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
    "$w_{y_n}\\ell_n$ divided by $w_{y_1} + w_{y_2} + w_{y_3} = 8$.",
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
    "Gradient of the focal loss ($\\gamma = 2$) at the logits $(2, 1, 0.1)$, true class 0.",
    reference="PyTorch autograd on $-(1 - p_y)^\\gamma \\log p_y$",
    fmt=vector(4),
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
    log_t = torch.zeros((), dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS(
        [log_t],
        max_iter=200,
        tolerance_grad=1e-14,
        tolerance_change=1e-16,
        line_search_fn="strong_wolfe",
    )

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(zt / log_t.exp(), yt)
        loss.backward()
        return loss

    opt.step(closure)
    assert abs(value - log_t.exp().item()) < 1e-6 * value
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
    """SymPy: the seed's field on K = 3 logits, true class 0, wrong class i scaled by d_i."""
    zs = sympy.symbols("z0:3", real=True)
    e = [sympy.exp(v) for v in zs]
    p = [v / sum(e) for v in e]
    field = [p[0] - 1, *(scale_by(p[i], i) for i in (1, 2))]
    return zs, field


@claim(
    "beyond-seed-field-uniform",
    "The seed's distance-scaled field at equal logits, $K = 3$, true class 0: "
    "$(p_0 - 1,\\ p_1 / 1,\\ p_2 / 2)$.",
    reference="exact fractions $(-2/3, 1/3, 1/6)$",
    fmt=vector(4),
)
def seed_field_uniform() -> np.ndarray:
    return ordinal.distance_scaled_field([0.0, 0.0, 0.0], 0)


@seed_field_uniform.check
def _(value: np.ndarray) -> None:
    exact = [Fraction(-2, 3), Fraction(1, 3), Fraction(1, 6)]
    assert all(abs(v - float(e)) < 1e-15 for v, e in zip(value, exact, strict=True))


@claim(
    "beyond-seed-field-sum",
    "The components of that field sum to this, not to 0: it has a part along "
    "$(1, 1, 1)$, a direction in which no loss of the softmax can change.",
    reference="exact fraction $-2/3 + 1/3 + 1/6 = -1/6$",
    fmt="{:.4f}",
)
def seed_field_sum() -> float:
    return float(ordinal.distance_scaled_field([0.0, 0.0, 0.0], 0).sum())


@seed_field_sum.check
def _(value: float) -> None:
    assert abs(value - float(Fraction(-1, 6))) < 1e-15


@claim(
    "beyond-seed-jacobian-asymmetry",
    "$\\partial F_1 / \\partial z_2 - \\partial F_2 / \\partial z_1$ for the seed's field at "
    "equal logits ($K = 3$, true class 0), by central differences: not 0, so $F$ is no gradient.",
    reference="SymPy: differentiate the field symbolically; exact value $-1/18$",
    fmt="{:.4f}",
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
    "beyond-seed-loop-integral",
    "Work done by the seed's field around the unit square in the $(z_1, z_2)$ plane "
    "($z_0 = 0$, true class 0). For a gradient it would be exactly 0.",
    reference="Green's theorem: $\\iint p_1 p_2 / 2\\, dz_1 dz_2$ with mpmath quadrature",
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
    "The same test for the field that *multiplies* by the distance, $F_i = p_i\\, d_i$: "
    "$\\partial F_1 / \\partial z_2 - \\partial F_2 / \\partial z_1$ at equal logits.",
    reference="SymPy: exact value $1/9$",
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
    "Cross-entropy when 0.8 of the mass sits on class 1, 2, 3 or 4 (true class 0, the other "
    "classes 0.05 each): the same four times.",
    reference="$-\\log 0.05$ in mpmath",
    fmt=vector(3),
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
    fmt=vector(3),
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
    reference="exact fractions of $\\sum_k |k - y|\\, p_k$",
    fmt=vector(2),
)
def w1_near_far() -> np.ndarray:
    return np.array([float(ordinal.emd_loss(np.log(p), 0, power=1)) for p in _near_far_probs()])


@w1_near_far.check
def _(value: np.ndarray) -> None:
    for v, wrong in zip(value, range(1, K_ORD), strict=True):
        p = _exact_near_far(wrong)
        assert abs(v - float(sum(k * pk for k, pk in enumerate(p)))) < 1e-14


@claim(
    "beyond-w1-gradient-uniform",
    "Gradient of the earth mover's distance ($r = 1$) at equal logits, $K = 3$, true class 0: "
    "$p_j(d_j - \\bar d)$ with $d = (0, 1, 2)$ and $\\bar d = 1$.",
    reference="exact fractions $(-1/3, 0, 1/3)$",
    fmt=vector(4),
)
def w1_gradient_uniform() -> np.ndarray:
    return ordinal.emd_loss_grad([0.0, 0.0, 0.0], 0, power=1)


@w1_gradient_uniform.check
def _(value: np.ndarray) -> None:
    exact = [Fraction(-1, 3), Fraction(0), Fraction(1, 3)]
    assert all(abs(v - float(e)) < 1e-15 for v, e in zip(value, exact, strict=True))


@claim(
    "beyond-emd-gradient-torch",
    "Gradient of the squared earth mover's distance at the logits $(2, 1, 0.1)$ with true "
    "class 2 (the far end).",
    reference="PyTorch autograd through cumulative sums of the softmax",
    fmt=vector(4),
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
