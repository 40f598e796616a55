r"""Claims of chapter 5, gradient intuition: the softmax Jacobian, the gradient $p - t$, the
learning slowdown of a sigmoid neuron, and how nudging one logit moves the softmax outputs.

Every check recomputes its value independently: with mpmath at 50 digits from closed forms
derived by hand, with exact fractions, with a separate 50-digit gradient-descent loop written
from the hand-derived derivatives, or against Nielsen's published numbers.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise

import mpmath
import numpy as np

from ce_book import distillation, gradients, losses, training
from ce_book.activations import sigmoid, softmax
from ce_book.claims import claim
from ce_book.claims._format import vector
from ce_book.reference import DIGITS, close_to, mp_sigmoid, mp_softmax

# Nielsen's softmax configuration; class 1 (index 0) is the true class of the running example.
NUDGE_Z = (2.5, -1.0, 3.2, 0.5)
NUDGE = 0.4
TRUE_CLASS = 0

# Nielsen's sigmoid neuron: input 1, target 0, two starts, learning rate 0.15, 300 epochs.
BAD_START = (2.0, 2.0)
MILD_START = (0.6, 0.9)
RATE = 0.15
EPOCHS = 300


def _nudged(j: int, delta: float) -> list[float]:
    z = list(NUDGE_Z)
    z[j] += delta
    return z


def _change_in_a1(j: int, delta: float) -> float:
    """How much the first softmax output moves when logit ``j`` moves by ``delta``."""
    return float(softmax(_nudged(j, delta))[0] - softmax(NUDGE_Z)[0])


def _mp_change_in_a1(j: int, delta: float) -> mpmath.mpf:
    """Closed form, derived by hand from the definition (with a = softmax(z), e = exp(delta)):
    raising z_1 gives a_1 e / (1 + a_1 (e - 1)); moving z_j (j != 1) gives
    a_1 / (1 + a_j (e - 1))."""
    with mpmath.workdps(DIGITS):
        a = mp_softmax(NUDGE_Z)
        e = mpmath.exp(mpmath.mpf(delta))
        if j == 0:
            return a[0] * e / (1 + a[0] * (e - 1)) - a[0]
        return a[0] / (1 + a[j] * (e - 1)) - a[0]


# --- the running example: probabilities and the gradient p - t -------------------------


@claim(
    "nudge-probabilities",
    "Softmax of Nielsen's logits $z = (2.5, -1, 3.2, 0.5)$.",
    reference="mpmath: $e^{z_i} / \\sum_j e^{z_j}$ at 50 digits",
    fmt=vector(4),
)
def nudge_probabilities() -> list[float]:
    return softmax(NUDGE_Z).tolist()


@nudge_probabilities.check
def _(value: list[float]) -> None:
    for v, ref in zip(value, mp_softmax(NUDGE_Z), strict=True):
        assert close_to(v, ref)


@claim(
    "nudge-loss",
    "Cross-entropy $-\\log p_1$ of the running example when class 1 is the true class, in nats.",
    reference="mpmath: $\\log \\sum_j e^{z_j} - z_1$ at 50 digits",
    fmt="{:.3f}",
)
def nudge_loss() -> float:
    return float(losses.cross_entropy(np.array(NUDGE_Z), TRUE_CLASS))


@nudge_loss.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        ref = mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(v)) for v in NUDGE_Z)) - mpmath.mpf(2.5)
    assert close_to(value, ref)


def _forces() -> np.ndarray:
    return gradients.cross_entropy_grad(np.array(NUDGE_Z), TRUE_CLASS, reduction="sum")


@claim(
    "forces-gradient",
    "Gradient $p - t$ of the cross-entropy for $z = (2.5, -1, 3.2, 0.5)$ when class 1 is the "
    "true class: one pull (negative) and three pushes (positive).",
    reference="mpmath: softmax at 50 digits minus the one-hot target",
    fmt=vector(4),
)
def forces_gradient() -> list[float]:
    return _forces().tolist()


@forces_gradient.check
def _(value: list[float]) -> None:
    with mpmath.workdps(DIGITS):
        ref = [p - (i == TRUE_CLASS) for i, p in enumerate(mp_softmax(NUDGE_Z))]
    for v, r in zip(value, ref, strict=True):
        assert close_to(v, r)


@claim(
    "forces-sum",
    "Sum of the components of $p - t$ in the running example (zero up to rounding).",
    reference="hand derivation: $\\sum_i p_i - \\sum_i t_i = 1 - 1 = 0$; rounding below $10^{-15}$",
    fmt="{:.0e}",
)
def forces_sum() -> float:
    return float(np.sum(_forces()))


@forces_sum.check
def _(value: float) -> None:
    assert abs(value) < 1e-15


@claim(
    "forces-pull-true",
    "Size of the pull on the true class, $1 - p_1$, in the running example: the probability "
    "that the prediction is missing on the true class.",
    reference="mpmath: $p_2 + p_3 + p_4$ at 50 digits (the pushes), which must equal the pull",
    fmt="{:.4f}",
)
def forces_pull_true() -> float:
    return float(-_forces()[TRUE_CLASS])


@forces_pull_true.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        pushes = mpmath.fsum(p for i, p in enumerate(mp_softmax(NUDGE_Z)) if i != TRUE_CLASS)
    assert close_to(value, pushes)


@claim(
    "forces-push-ratio",
    "Ratio of the push on class 3 to the push on class 4 in the running example: the pushes "
    "scale with the predicted probabilities, so the ratio is $p_3 / p_4 = e^{z_3 - z_4}$.",
    reference="mpmath: $e^{3.2 - 0.5}$ at 50 digits",
    fmt="{:.2f}",
)
def forces_push_ratio() -> float:
    g = _forces()
    return float(g[2] / g[3])


@forces_push_ratio.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, mpmath.exp(mpmath.mpf("3.2") - mpmath.mpf("0.5")))


@claim(
    "forces-total-size",
    "L1 norm $\\sum_i |p_i - t_i|$ of the gradient in the running example: $2(1 - p_1)$, "
    "so the pulls and pushes grow with how wrong the prediction is, not with how right.",
    reference="mpmath: $2(1 - p_1)$ at 50 digits",
    fmt="{:.3f}",
)
def forces_total_size() -> float:
    return float(np.sum(np.abs(_forces())))


@forces_total_size.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, 2 * (1 - mp_softmax(NUDGE_Z)[TRUE_CLASS]))


@claim(
    "true-logit-loss-rate",
    "Rate at which the loss falls as the true logit $z_1$ rises, $-\\partial L / \\partial z_1 "
    "= 1 - p_1$, in the running example (positive: the loss goes down).",
    reference="mpmath: central difference of $-\\log \\operatorname{softmax}(z)_1$ with step "
    "$10^{-20}$ at 50 digits",
    fmt="{:.3f}",
)
def true_logit_loss_rate() -> float:
    return float(-_forces()[TRUE_CLASS])


@true_logit_loss_rate.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        h = mpmath.mpf("1e-20")

        def loss(z1: mpmath.mpf) -> mpmath.mpf:
            z = [z1, *(mpmath.mpf(v) for v in NUDGE_Z[1:])]
            return mpmath.log(mpmath.fsum(mpmath.exp(v) for v in z)) - z1

        z1 = mpmath.mpf(NUDGE_Z[0])
        rate = -(loss(z1 + h) - loss(z1 - h)) / (2 * h)
    assert rate > 0
    assert close_to(value, rate, 1e-12)


# --- nudging one logit ----------------------------------------------------------------


def _nudge_claim(j: int, delta: float, name: str, what: str) -> None:
    @claim(
        name,
        f"Change in $p_1$ when {what} by $0.4$, for $z = (2.5, -1, 3.2, 0.5)$.",
        reference="mpmath at 50 digits, closed forms for a nudge of size $\\Delta > 0$: "
        "$p_1 e^{\\Delta}/(1 + p_1(e^{\\Delta} - 1)) - p_1$ for raising $z_1$, "
        "$p_1 e^{-\\Delta}/(1 - p_1(1 - e^{-\\Delta})) - p_1$ for lowering it, and "
        "$p_1/(1 - p_j(1 - e^{-\\Delta})) - p_1$ for lowering another logit $z_j$",
        fmt="{:+.4f}",
    )
    def compute() -> float:
        return _change_in_a1(j, delta)

    @compute.check
    def _(value: float) -> None:
        assert close_to(value, _mp_change_in_a1(j, delta), 1e-12)


_nudge_claim(0, NUDGE, "nudge-a1-raise-z1", "$z_1$ is raised")
_nudge_claim(0, -NUDGE, "nudge-a1-lower-z1", "$z_1$ is lowered")
_nudge_claim(1, -NUDGE, "nudge-a1-lower-z2", "$z_2$ is lowered")
_nudge_claim(2, -NUDGE, "nudge-a1-lower-z3", "$z_3$ is lowered")
_nudge_claim(3, -NUDGE, "nudge-a1-lower-z4", "$z_4$ is lowered")


@claim(
    "nudge-a1-linear",
    "First-order prediction of the change in $p_1$ for a nudge of $0.4$ to $z_1$: "
    "$0.4\\,J_{11} = 0.4\\,p_1(1 - p_1)$, from the softmax Jacobian.",
    reference="mpmath: $0.4\\,p_1(1 - p_1)$ at 50 digits",
    fmt="{:+.4f}",
)
def nudge_a1_linear() -> float:
    return float(NUDGE * gradients.softmax_jacobian(np.array(NUDGE_Z))[0, 0])


@nudge_a1_linear.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        a1 = mp_softmax(NUDGE_Z)[0]
        assert close_to(value, mpmath.mpf(NUDGE) * a1 * (1 - a1), 1e-12)


@claim(
    "nudge-mechanics-ranking",
    'For $z = (2.5, -1, 3.2, 0.5)$ the ranking in the notes "Cross Entropy and Neural Network '
    'Mechanics" holds: raising $z_1$ by $0.4$ helps $p_1$ most, lowering $z_3$ second, and '
    "lowering $z_4$ or $z_2$ helps little.",
    reference="hand derivation: raising $z_1$ beats lowering $z_j$ iff $p_1 + p_j < 1$; "
    "lowering $z_j$ beats lowering $z_k$ iff $z_j > z_k$; both evaluated with mpmath",
    fmt=lambda v: "holds" if v else "fails",
)
def nudge_mechanics_ranking() -> bool:
    gains = [_change_in_a1(0, NUDGE), *(_change_in_a1(j, -NUDGE) for j in (2, 3, 1))]
    return bool(all(a > b for a, b in pairwise(gains)))


@nudge_mechanics_ranking.check
def _(value: bool) -> None:
    a = mp_softmax(NUDGE_Z)
    own_first = all(a[0] + a[j] < 1 for j in (1, 2, 3))
    others_by_logit = NUDGE_Z[2] > NUDGE_Z[3] > NUDGE_Z[1]
    assert value == (own_first and others_by_logit)
    assert value


@claim(
    "nudge-raise-equals-lower-rest",
    "Raising $z_1$ by $0.4$ gives exactly the same softmax as lowering all other logits by "
    "$0.4$ (shift invariance), which is why it beats lowering any single one of them.",
    reference="hand derivation: softmax is unchanged when every logit moves by the same amount",
    fmt=lambda v: "yes" if v else "no",
)
def nudge_raise_equals_lower_rest() -> bool:
    lowered = np.array(NUDGE_Z) - NUDGE
    lowered[0] = NUDGE_Z[0]
    return bool(np.allclose(softmax(_nudged(0, NUDGE)), softmax(lowered), rtol=1e-14, atol=0))


@nudge_raise_equals_lower_rest.check
def _(value: bool) -> None:
    with mpmath.workdps(DIGITS):  # the shift done exactly, in 50-digit arithmetic
        z = [mpmath.mpf(v) for v in NUDGE_Z]
        raised = [mpmath.exp(v + (NUDGE if i == 0 else 0)) for i, v in enumerate(z)]
        lowered = [mpmath.exp(v - (0 if i == 0 else NUDGE)) for i, v in enumerate(z)]
        gap = max(
            abs(a / mpmath.fsum(raised) - b / mpmath.fsum(lowered))
            for a, b in zip(raised, lowered, strict=True)
        )
    assert gap < mpmath.mpf(10) ** -45
    assert value is True


@claim(
    "nudge-a2-plus-a4",
    "Probability that classes 2 and 4 hold together, $p_2 + p_4$, for "
    "$z = (2.5, -1, 3.2, 0.5)$: the first-order gap between raising $z_1$ and lowering $z_3$, "
    "in units of $\\Delta\\, p_1$ for a nudge of size $\\Delta$.",
    reference="mpmath at 50 digits: $(e^{-1} + e^{0.5}) / \\sum_j e^{z_j}$",
    fmt="{:.3f}",
)
def nudge_a2_plus_a4() -> float:
    a = softmax(NUDGE_Z)
    return float(a[1] + a[3])


@nudge_a2_plus_a4.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        e = [mpmath.exp(mpmath.mpf(str(v))) for v in NUDGE_Z]
        assert close_to(value, (e[1] + e[3]) / mpmath.fsum(e))


@claim(
    "nudge-jacobian-row-true",
    "Row 1 of the softmax Jacobian for $z = (2.5, -1, 3.2, 0.5)$: how fast $p_1$ moves per "
    "unit of each logit, which is $-p_1 (p - t)$ with class 1 true.",
    reference="mpmath at 50 digits: numerical derivative of $e^{z_1} / \\sum_k e^{z_k}$ in each "
    "logit (mpmath.diff), not the closed form",
    fmt=vector(4),
)
def nudge_jacobian_row_true() -> list[float]:
    return gradients.softmax_jacobian(NUDGE_Z)[TRUE_CLASS].tolist()


@nudge_jacobian_row_true.check
def _(value: list[float]) -> None:
    with mpmath.workdps(DIGITS):
        for j, v in enumerate(value):

            def p1(x: mpmath.mpf, j: int = j) -> mpmath.mpf:
                z = [mpmath.mpf(str(c)) for c in NUDGE_Z]
                z[j] = x
                e = [mpmath.exp(c) for c in z]
                return e[TRUE_CLASS] / mpmath.fsum(e)

            assert close_to(v, mpmath.diff(p1, mpmath.mpf(str(NUDGE_Z[j]))))


# --- the slowdown: squared error against the prediction --------------------------------


@claim(
    "mechanics-se-gain-wrong",
    "Fall of the squared error $(\\hat y - 1)^2$ when a badly wrong prediction improves from "
    "$\\hat y = 0.01$ to $0.02$.",
    reference="exact fractions: $0.99^2 - 0.98^2$",
    fmt="{:.4f}",
)
def mechanics_se_gain_wrong() -> float:
    return float(np.subtract(*((np.array([0.01, 0.02]) - 1.0) ** 2)))


@mechanics_se_gain_wrong.check
def _(value: float) -> None:
    exact = Fraction(99, 100) ** 2 - Fraction(98, 100) ** 2
    assert abs(value - float(exact)) < 1e-15


@claim(
    "mechanics-se-gain-right",
    "Fall of the squared error $(\\hat y - 1)^2$ when a nearly right prediction improves from "
    "$\\hat y = 0.98$ to $0.99$.",
    reference="exact fractions: $0.02^2 - 0.01^2$",
    fmt="{:.4f}",
)
def mechanics_se_gain_right() -> float:
    return float(np.subtract(*((np.array([0.98, 0.99]) - 1.0) ** 2)))


@mechanics_se_gain_right.check
def _(value: float) -> None:
    exact = Fraction(2, 100) ** 2 - Fraction(1, 100) ** 2
    assert abs(value - float(exact)) < 1e-15


@claim(
    "mechanics-se-gain-ratio",
    "How many times more the squared error $(\\hat y - 1)^2$ falls when a badly wrong "
    "prediction improves from $\\hat y = 0.01$ to $0.02$ than when a nearly right one improves "
    "from $0.98$ to $0.99$: more than the ratio of the two gradients.",
    reference="exact fractions: $(0.99^2 - 0.98^2) / (0.02^2 - 0.01^2) = 197/3$",
    fmt="{:.0f}",
)
def mechanics_se_gain_ratio() -> float:
    return mechanics_se_gain_wrong() / mechanics_se_gain_right()


@mechanics_se_gain_ratio.check
def _(value: float) -> None:
    assert abs(value - float(Fraction(197, 3))) < 1e-9
    assert value > float(Fraction(99, 2))  # the ratio of the gradients, 2(0.01 - 1) / 2(0.98 - 1)


# --- the slowdown: Nielsen's neuron ---------------------------------------------------


def _mp_dz(z: mpmath.mpf, loss: str) -> mpmath.mpf:
    """Hand-derived dL/dz for target 0: 2 p^2 (1 - p) (squared error) or p (cross-entropy)."""
    a = mp_sigmoid(z)
    return 2 * a * a * (1 - a) if loss == "squared_error" else a


def _mp_loss(z: mpmath.mpf, loss: str) -> mpmath.mpf:
    a = mp_sigmoid(z)
    return a * a if loss == "squared_error" else -mpmath.log(1 - a)


def _mp_run(start: tuple[float, float], loss: str, rate: float = RATE) -> list[mpmath.mpf]:
    """Gradient descent at 50 digits, written from the hand-derived derivatives; returns z."""
    with mpmath.workdps(DIGITS):
        w, b, eta = mpmath.mpf(start[0]), mpmath.mpf(start[1]), mpmath.mpf(rate)
        zs = [w + b]
        for _ in range(EPOCHS):
            g = _mp_dz(w + b, loss)
            w, b = w - eta * g, b - eta * g
            zs.append(w + b)
        return zs


def _run(start: tuple[float, float], loss: training.Loss) -> training.Run:
    return training.train(*start, loss=loss, learning_rate=RATE, epochs=EPOCHS)


for _start, _start_name, _start_text in (
    (BAD_START, "bad", "the bad start $w = b = 2$"),
    (MILD_START, "mild", "the mild start $w = 0.6$, $b = 0.9$"),
):

    @claim(
        f"slowdown-output-{_start_name}",
        f"Output $\\sigma(w + b)$ of Nielsen's neuron at {_start_text}.",
        reference="Nielsen, chapter 3: initial outputs 0.98 (bad start) and 0.82 (mild start); "
        "mpmath: $\\sigma(w + b)$ at 50 digits",
        fmt="{:.2f}",
    )
    def _output(start: tuple[float, float] = _start) -> float:
        return float(sigmoid(start[0] + start[1]))

    @_output.check
    def _(value: float, start: tuple[float, float] = _start) -> None:
        published = {BAD_START: 0.98, MILD_START: 0.82}[start]
        assert round(value, 2) == published
        with mpmath.workdps(DIGITS):
            assert close_to(value, mp_sigmoid(mpmath.mpf(start[0]) + mpmath.mpf(start[1])))

    @claim(
        f"slowdown-sigma-prime-{_start_name}",
        f"The factor $\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$ at {_start_text}.",
        reference="mpmath: $\\sigma(z)(1 - \\sigma(z))$ at 50 digits",
        fmt="{:.3f}",
    )
    def _sigma_prime(start: tuple[float, float] = _start) -> float:
        z = start[0] + start[1]
        return float(sigmoid(z) * sigmoid(-z))

    @_sigma_prime.check
    def _(value: float, start: tuple[float, float] = _start) -> None:
        with mpmath.workdps(DIGITS):
            a = mp_sigmoid(mpmath.mpf(start[0]) + mpmath.mpf(start[1]))
            assert close_to(value, a * (1 - a))

    for _loss, _loss_name, _loss_text in (
        ("squared_error", "se", "squared error"),
        ("cross_entropy", "ce", "cross-entropy"),
    ):

        @claim(
            f"slowdown-grad-{_loss_name}-{_start_name}",
            f"Initial gradient $\\partial L / \\partial w$ (equal to $\\partial L/\\partial b$, "
            f"as $x = 1$) with the {_loss_text} at {_start_text}.",
            reference="mpmath: the hand-derived $2p^2(1 - p)$ (squared error) or $p$ "
            "(cross-entropy), $p = \\sigma(w + b)$, at 50 digits",
            fmt="{:.3f}",
        )
        def _grad(start: tuple[float, float] = _start, loss: training.Loss = _loss) -> float:
            return float(training.neuron_loss_grad(start[0] + start[1], 0.0, loss))

        @_grad.check
        def _(value: float, start: tuple[float, float] = _start, loss: str = _loss) -> None:
            with mpmath.workdps(DIGITS):
                assert close_to(value, _mp_dz(mpmath.mpf(start[0]) + mpmath.mpf(start[1]), loss))

        @claim(
            f"slowdown-first-step-{_loss_name}-{_start_name}",
            f"How far the first epoch of {_loss_text} moves the logit $z = w + b$ from "
            f"{_start_text}, learning rate $0.15$: $2 \\eta\\, \\partial L / \\partial z$, "
            "since $w$ and $b$ each move by $\\eta\\, \\partial L / \\partial z$. This is "
            "the chapter's measure of learning speed.",
            reference="an independent 50-digit gradient-descent loop (mpmath) written from the "
            "hand-derived derivatives",
            fmt="{:.3f}",
        )
        def _first_step(start: tuple[float, float] = _start, loss: training.Loss = _loss) -> float:
            run = _run(start, loss)
            return float((run.w[0] + run.b[0]) - (run.w[1] + run.b[1]))

        @_first_step.check
        def _(value: float, start: tuple[float, float] = _start, loss: str = _loss) -> None:
            with mpmath.workdps(DIGITS):
                zs = _mp_run(start, loss)
                assert close_to(value, zs[0] - zs[1], 1e-12)

        @claim(
            f"slowdown-epochs-{_loss_name}-{_start_name}",
            f"First epoch at which the output of the neuron trained with the {_loss_text} from "
            f"{_start_text} falls below $1/2$ (so the neuron finally leans towards the right "
            "answer), learning rate $0.15$.",
            reference="an independent 50-digit gradient-descent loop (mpmath) written from the "
            "hand-derived derivatives",
            fmt="{:d}",
        )
        def _epochs(start: tuple[float, float] = _start, loss: training.Loss = _loss) -> int:
            half = float(training.neuron_loss(0.0, 0.0, loss))
            epoch = _run(start, loss).first_epoch_below(half)
            assert epoch is not None
            return epoch

        @_epochs.check
        def _(value: int, start: tuple[float, float] = _start, loss: str = _loss) -> None:
            with mpmath.workdps(DIGITS):
                half = _mp_loss(mpmath.mpf(0), loss)
                losses_ = [_mp_loss(z, loss) for z in _mp_run(start, loss)]
            assert value == next(k for k, v in enumerate(losses_) if v < half)


for _loss, _loss_name, _loss_text in (
    ("squared_error", "se", "squared error"),
    ("cross_entropy", "ce", "cross-entropy"),
):

    @claim(
        f"slowdown-catch-up-{_loss_name}",
        f"Epochs the neuron trained with the {_loss_text} from the bad start $w = b = 2$ needs "
        "before its output first falls below the mild start's initial output "
        "$\\sigma(1.5) \\approx 0.82$: the time it takes to get where the mild start began "
        "(learning rate $0.15$).",
        reference="an independent 50-digit gradient-descent loop (mpmath) written from the "
        "hand-derived derivatives, compared with $\\sigma(1.5)$ at 50 digits",
        fmt="{:d}",
    )
    def _catch_up(loss: training.Loss = _loss) -> int:
        mild = float(sigmoid(MILD_START[0] + MILD_START[1]))
        run = _run(BAD_START, loss)
        return int(np.flatnonzero(run.output < mild)[0])

    @_catch_up.check
    def _(value: int, loss: str = _loss) -> None:
        with mpmath.workdps(DIGITS):
            mild = mp_sigmoid(mpmath.mpf(MILD_START[0]) + mpmath.mpf(MILD_START[1]))
            outputs = [mp_sigmoid(z) for z in _mp_run(BAD_START, loss)]
        assert value == next(k for k, v in enumerate(outputs) if v < mild)


@claim(
    "slowdown-se-plateau-output",
    "Output of the neuron after 50 epochs of squared error from the bad start $w = b = 2$: "
    "it has barely moved from its initial 0.98.",
    reference="an independent 50-digit gradient-descent loop (mpmath)",
    fmt="{:.3f}",
)
def slowdown_se_plateau_output() -> float:
    return float(_run(BAD_START, "squared_error").output[50])


@slowdown_se_plateau_output.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        ref = mp_sigmoid(_mp_run(BAD_START, "squared_error")[50])
    assert close_to(value, ref, 1e-10)


@claim(
    "slowdown-ce-output-50",
    "Output of the neuron after 50 epochs of cross-entropy from the bad start $w = b = 2$.",
    reference="an independent 50-digit gradient-descent loop (mpmath)",
    fmt="{:.3f}",
)
def slowdown_ce_output_50() -> float:
    return float(_run(BAD_START, "cross_entropy").output[50])


@slowdown_ce_output_50.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        ref = mp_sigmoid(_mp_run(BAD_START, "cross_entropy")[50])
    assert close_to(value, ref, 1e-10)


@claim(
    "slowdown-nielsen-final-output",
    "Output after 300 epochs from the mild start with Nielsen's own cost "
    "$\\tfrac12(a - y)^2$ and learning rate $0.15$, run as the book's squared error with "
    "learning rate $0.075$ (the same steps).",
    reference="Nielsen, chapter 3: the neuron ends with an output of about 0.09; his update "
    "rule redone at 50 digits (mpmath)",
    fmt="{:.2f}",
)
def slowdown_nielsen_final_output() -> float:
    run = training.train(*MILD_START, loss="squared_error", learning_rate=RATE / 2, epochs=EPOCHS)
    return float(run.output[-1])


@slowdown_nielsen_final_output.check
def _(value: float) -> None:
    assert abs(value - 0.09) < 0.005  # Nielsen's number
    # Nielsen's own rule at 50 digits: C = (a - y)^2 / 2, dC/dw = dC/db = (a - y) a (1 - a)
    with mpmath.workdps(DIGITS):
        w, b, eta = mpmath.mpf(MILD_START[0]), mpmath.mpf(MILD_START[1]), mpmath.mpf(RATE)
        for _ in range(EPOCHS):
            a = mp_sigmoid(w + b)
            g = (a - 0) * a * (1 - a)
            w, b = w - eta * g, b - eta * g
        assert close_to(value, mp_sigmoid(w + b), 1e-10)


@claim(
    "slowdown-max-sigma-prime",
    "Largest value of $\\sigma'(z)$ over all $z$ (reached at $z = 0$): the squared-error "
    "gradient with respect to $z$ is at most half the size of the error.",
    reference="hand derivation: $\\sigma(1 - \\sigma)$ is largest at $\\sigma = 1/2$, where it "
    "is $1/4$",
    fmt="{:.2f}",
)
def slowdown_max_sigma_prime() -> float:
    z = np.linspace(-10, 10, 2001)
    return float(np.max(sigmoid(z) * sigmoid(-z)))


@slowdown_max_sigma_prime.check
def _(value: float) -> None:
    assert value == 0.25


def _start_grad(start: tuple[float, float], loss: training.Loss) -> float:
    return float(training.neuron_loss_grad(start[0] + start[1], 0.0, loss))


@claim(
    "slowdown-se-grad-ratio",
    "How many times larger the squared-error gradient is at the mild start than at the bad "
    "start, although the bad start is further from the target.",
    reference="mpmath: ratio of the hand-derived gradients $2p^2(1 - p)$ at 50 digits",
    fmt="{:.0f}",
)
def slowdown_se_grad_ratio() -> float:
    return _start_grad(MILD_START, "squared_error") / _start_grad(BAD_START, "squared_error")


@slowdown_se_grad_ratio.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        ref = _mp_dz(mpmath.mpf("1.5"), "squared_error") / _mp_dz(mpmath.mpf(4), "squared_error")
    assert close_to(value, ref)


@claim(
    "slowdown-ce-over-se-bad",
    "How many times larger the cross-entropy gradient is than the squared-error gradient at "
    "the bad start $w = b = 2$ (so $z = 4$): $1/(2\\sigma'(4))$.",
    reference="mpmath: $1/(2\\sigma'(4))$ at 50 digits, from the hand-derived ratio",
    fmt="{:.1f}",
)
def slowdown_ce_over_se_bad() -> float:
    return _start_grad(BAD_START, "cross_entropy") / _start_grad(BAD_START, "squared_error")


@slowdown_ce_over_se_bad.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        s = 1 / (1 + mpmath.exp(-4))
        ref = 1 / (2 * s * (1 - s))
    assert close_to(value, ref)


@claim(
    "slowdown-ce-over-se-mild",
    "How many times larger the cross-entropy gradient is than the squared-error gradient at "
    "the mild start $w = 0.6$, $b = 0.9$ (so $z = 1.5$): $1/(2\\sigma'(1.5))$.",
    reference="mpmath: $1/(2\\sigma'(1.5))$ at 50 digits, from the hand-derived ratio",
    fmt="{:.1f}",
)
def slowdown_ce_over_se_mild() -> float:
    return _start_grad(MILD_START, "cross_entropy") / _start_grad(MILD_START, "squared_error")


@slowdown_ce_over_se_mild.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        s = 1 / (1 + mpmath.exp(-mpmath.mpf("1.5")))
        ref = 1 / (2 * s * (1 - s))
    assert close_to(value, ref)


@claim(
    "mechanics-se-grad-ratio",
    'Ratio of the two squared-error gradients with respect to the prediction in the notes "Cross '
    'Entropy and Neural Network Mechanics", $2(0.01 - 1)$ over $2(0.98 - 1)$: the badly wrong '
    "prediction gets the larger push.",
    reference="exact fractions: $0.99 / 0.02$",
    fmt="{:.1f}",
)
def mechanics_se_grad_ratio() -> float:
    return float((0.01 - 1.0) / (0.98 - 1.0))


@mechanics_se_grad_ratio.check
def _(value: float) -> None:
    assert abs(value - float(Fraction(99, 100) / Fraction(2, 100))) < 1e-12


@claim(
    "forces-pull-class-3",
    "Pull $1 - p_3$ on the logit of class 3 for $z = (2.5, -1, 3.2, 0.5)$ when class 3 is the "
    "true class.",
    reference="mpmath: $p_1 + p_2 + p_4$ at 50 digits",
    fmt="{:.3f}",
)
def forces_pull_class_3() -> float:
    return float(-gradients.cross_entropy_grad(np.array(NUDGE_Z), 2, reduction="sum")[2])


@forces_pull_class_3.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        pushes = mpmath.fsum(p for i, p in enumerate(mp_softmax(NUDGE_Z)) if i != 2)
    assert close_to(value, pushes)


# --- what goes wrong in practice --------------------------------------------------------


@claim(
    "gradients-diagonal-only",
    "The running example's gradient (class 1 true) from a chain rule that keeps only the "
    "diagonal $p_i(1 - p_i)$ of the softmax Jacobian: the wrong classes get no push at all, "
    "so the components no longer sum to zero.",
    reference="mpmath: $(p_1 - 1, 0, 0, 0)$ from the 50-digit softmax, against the full $p - t$",
    fmt=vector(4),
)
def gradients_diagonal_only() -> tuple[float, ...]:
    p = softmax(NUDGE_Z)
    t = np.eye(len(NUDGE_Z))[TRUE_CLASS]
    d_loss_d_p = np.where(t > 0, -t / p, 0.0)  # d(-sum t log p)/dp: 0 for wrong classes
    diagonal = np.diag(gradients.softmax_jacobian(NUDGE_Z))
    return tuple(float(v) for v in diagonal * d_loss_d_p)


@gradients_diagonal_only.check
def _(value: tuple[float, ...]) -> None:
    a = mp_softmax(NUDGE_Z)
    with mpmath.workdps(DIGITS):
        assert close_to(value[0], a[0] - 1)
    assert value[1:] == (0.0, 0.0, 0.0)
    assert all(p > 0.005 for p in a[1:])  # the full gradient p - t pushes every wrong class


TEMPERATURE = 0.25


@claim(
    "gradients-temperature-pull",
    "The pull on the true logit when the running example's logits are divided by the "
    "temperature $T = 0.25$ before the softmax: $(1 - p_1)/T$, far beyond the bound 1 of "
    "$p - t$.",
    reference="torch 2.13.0 autograd of `cross_entropy(z / T)`, float64",
    fmt="{:.2f}",
    needs=("torch",),
)
def gradients_temperature_pull() -> float:
    z = np.array(NUDGE_Z) / TEMPERATURE
    return float(-gradients.cross_entropy_grad(z, TRUE_CLASS, reduction="sum")[0] / TEMPERATURE)


@gradients_temperature_pull.check
def _(value: float) -> None:
    import torch
    import torch.nn.functional as F

    z = torch.tensor([NUDGE_Z], dtype=torch.float64, requires_grad=True)
    F.cross_entropy(z / TEMPERATURE, torch.tensor([TRUE_CLASS])).backward()
    assert abs(value + z.grad[0, 0].item()) < 1e-13
    assert value > 1


@claim(
    "gradients-temperature-pull-top",
    "The pull $(1 - p_3)/T$ on the true logit at the temperature $T = 0.25$ when the true "
    "class is class 3, the largest logit of $z = (2.5, -1, 3.2, 0.5)$: it shrinks as "
    "$T \\to 0$, because $p_3$ tends to 1 faster than $T$ tends to 0.",
    reference="mpmath at 50 digits: $(1 - p_3)/T$ with $p$ the softmax of $z/T$; and smaller "
    "again at $T = 0.1$",
    fmt="{:.3f}",
)
def gradients_temperature_pull_top() -> float:
    z = np.array(NUDGE_Z) / TEMPERATURE
    return float(-gradients.cross_entropy_grad(z, 2, reduction="sum")[2] / TEMPERATURE)


@gradients_temperature_pull_top.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):

        def pull(temp: str) -> mpmath.mpf:
            t = mpmath.mpf(temp)
            e = [mpmath.exp(mpmath.mpf(v) / t) for v in NUDGE_Z]
            return (1 - e[2] / mpmath.fsum(e)) / t

        assert close_to(value, pull("0.25"), 1e-12)
        assert pull("0.1") < pull("0.25") < pull("1")


def _temperature_pull_ratio(temperature: float) -> float:
    z = np.array(NUDGE_Z) / temperature
    wrong = -gradients.cross_entropy_grad(z, TRUE_CLASS, reduction="sum")[TRUE_CLASS]
    right = -gradients.cross_entropy_grad(z, 2, reduction="sum")[2]
    return float(wrong / right)


def _check_pull_ratio(value: float, temp: str) -> None:
    with mpmath.workdps(DIGITS):
        t = mpmath.mpf(temp)
        e = [mpmath.exp(mpmath.mpf(v) / t) for v in NUDGE_Z]
        total = mpmath.fsum(e)
        assert close_to(value, (1 - e[0] / total) / (1 - e[2] / total), 1e-12)


@claim(
    "gradients-temperature-pull-ratio",
    "How many times harder the wrong example (class 1 true) pulls its true logit than the right "
    "one (class 3 true), for the running example at the temperature $T = 0.25$: "
    "$(1 - p_1)/(1 - p_3)$ with $p$ the softmax of $z/T$ (the factor $1/T$ cancels).",
    reference="mpmath at 50 digits: $(1 - p_1)/(1 - p_3)$ with $p$ the softmax of $z/T$",
    fmt="{:.0f}",
)
def gradients_temperature_pull_ratio() -> float:
    return _temperature_pull_ratio(TEMPERATURE)


@gradients_temperature_pull_ratio.check
def _(value: float) -> None:
    _check_pull_ratio(value, "0.25")


@claim(
    "gradients-temperature-pull-ratio-t1",
    "The same ratio of pulls, wrong example over right example, at the temperature $T = 1$: "
    "$(1 - p_1)/(1 - p_3)$ for $z = (2.5, -1, 3.2, 0.5)$.",
    reference="mpmath at 50 digits: $(1 - p_1)/(1 - p_3)$ with $p$ the softmax of $z$",
    fmt="{:.1f}",
)
def gradients_temperature_pull_ratio_t1() -> float:
    return _temperature_pull_ratio(1.0)


@gradients_temperature_pull_ratio_t1.check
def _(value: float) -> None:
    _check_pull_ratio(value, "1")


# --- knowledge distillation ---------------------------------------------------------------

TEACHER_V = (5.0, -1.0, 2.0, 1.0)  # a teacher that is sure of class 1, with class 3 second


def _mp_soft(row: tuple[float, ...], temp: float) -> list[mpmath.mpf]:
    with mpmath.workdps(DIGITS):
        e = [mpmath.exp(mpmath.mpf(v) / mpmath.mpf(temp)) for v in row]
        s = mpmath.fsum(e)
        return [x / s for x in e]


def _teacher_claim(temp: float, name: str) -> None:
    @claim(
        name,
        f"The teacher's probabilities at the temperature $T = {temp:g}$, the softmax of "
        "$v / T$ for the teacher's logits $v = (5, -1, 2, 1)$.",
        reference="mpmath at 50 digits: $e^{v_i/T} / \\sum_j e^{v_j/T}$",
        fmt=vector(3),
    )
    def teacher() -> list[float]:
        return distillation.soft_targets(TEACHER_V, temp).tolist()

    @teacher.check
    def _(value: list[float]) -> None:
        for v, r in zip(value, _mp_soft(TEACHER_V, temp), strict=True):
            assert close_to(v, r)


_teacher_claim(1.0, "distill-teacher-t1")
_teacher_claim(4.0, "distill-teacher-t4")


def _mp_grad_length(temp: float, scaled: bool) -> mpmath.mpf:
    """Length of the soft-target gradient, T (p - t) or (p - t) / T, at 50 digits."""
    with mpmath.workdps(DIGITS):
        p, t = _mp_soft(NUDGE_Z, temp), _mp_soft(TEACHER_V, temp)
        factor = mpmath.mpf(temp) if scaled else 1 / mpmath.mpf(temp)
        return factor * mpmath.sqrt(mpmath.fsum((a - b) ** 2 for a, b in zip(p, t, strict=True)))


def _grad_length_claim(temp: float, scaled: bool, name: str) -> None:
    what = "$T^2 H(t, p)$" if scaled else "$H(t, p)$ alone"
    form = "T(p - t)" if scaled else "(p - t)/T"

    @claim(
        name,
        f"Length of the gradient of the soft-target loss {what} with respect to the student's "
        f"logits $z = (2.5, -1, 3.2, 0.5)$, teacher logits $v = (5, -1, 2, 1)$, at the "
        f"temperature $T = {temp:g}$: the length of ${form}$.",
        reference=f"mpmath at 50 digits: the length of ${form}$ from the two softmaxes",
        fmt="{:.3f}",
    )
    def length() -> float:
        g = distillation.soft_target_loss_grad(
            NUDGE_Z, TEACHER_V, temp, scaled=scaled, reduction="sum"
        )
        return float(np.linalg.norm(g))

    @length.check
    def _(value: float) -> None:
        assert close_to(value, _mp_grad_length(temp, scaled), 1e-12)


_grad_length_claim(1.0, False, "distill-grad-length-t1")
_grad_length_claim(8.0, False, "distill-grad-length-t8-unscaled")
_grad_length_claim(8.0, True, "distill-grad-length-t8-scaled")


@claim(
    "distill-grad-shrink-t8",
    "How many times shorter the gradient $(p - t)/T$ of the unscaled soft-target loss is at "
    "$T = 8$ than at $T = 1$, for the student's logits $z = (2.5, -1, 3.2, 0.5)$ and the "
    "teacher's $v = (5, -1, 2, 1)$.",
    reference="mpmath at 50 digits: the ratio of the two lengths, each from the two softmaxes",
    fmt="{:.0f}",
)
def distill_grad_shrink_t8() -> float:
    def length(temp: float) -> float:
        g = distillation.soft_target_loss_grad(
            NUDGE_Z, TEACHER_V, temp, scaled=False, reduction="sum"
        )
        return float(np.linalg.norm(g))

    return length(1.0) / length(8.0)


@distill_grad_shrink_t8.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        ratio = _mp_grad_length(1.0, False) / _mp_grad_length(8.0, False)
    assert close_to(value, ratio, 1e-12)


@claim(
    "distill-grad-limit",
    "The limit of the scaled soft-target gradient $T(p - t)$ as $T \\to \\infty$, "
    "$\\big((z - \\bar z) - (v - \\bar v)\\big)/K$, for the student's logits "
    "$z = (2.5, -1, 3.2, 0.5)$ and the teacher's $v = (5, -1, 2, 1)$: a quarter of the gap "
    "between the centred logits, which is what matching logits means.",
    reference="exact fractions from the logits; and mpmath at 50 digits: $T(p - t)$ at "
    "$T = 10^{6}$ agrees to 6 digits",
    fmt=vector(4),
)
def distill_grad_limit() -> list[float]:
    z, v = np.array(NUDGE_Z), np.array(TEACHER_V)
    return (((z - z.mean()) - (v - v.mean())) / z.size).tolist()


@distill_grad_limit.check
def _(value: list[float]) -> None:
    zf = [Fraction(str(v)) for v in NUDGE_Z]
    vf = [Fraction(str(v)) for v in TEACHER_V]
    zm, vm = sum(zf) / 4, sum(vf) / 4
    exact = [((a - zm) - (b - vm)) / 4 for a, b in zip(zf, vf, strict=True)]
    for v, e in zip(value, exact, strict=True):
        assert abs(v - float(e)) < 1e-15
    with mpmath.workdps(DIGITS):
        temp = mpmath.mpf(10) ** 6
        p, t = _mp_soft(NUDGE_Z, temp), _mp_soft(TEACHER_V, temp)
        for v, a, b in zip(value, p, t, strict=True):
            assert abs(temp * (a - b) - v) < 1e-5


@claim(
    "label-smoothing-is-uniform-teacher",
    "For the running example (class 1 true), cross-entropy with label smoothing "
    "$\\varepsilon = 0.1$, and the distillation loss with a teacher that predicts the uniform "
    "distribution, at $T = 1$ and weight $\\alpha = 0.1$: the same number.",
    reference="PyTorch 2.13.0 `F.cross_entropy(..., label_smoothing=0.1)`; mpmath at 50 "
    "digits: $-(1 - \\varepsilon)\\log p_1 - \\tfrac{\\varepsilon}{4}\\sum_k \\log p_k$",
    fmt=lambda v: f"{v[0]:.3f}",
    needs=("torch",),
)
def label_smoothing_is_uniform_teacher() -> tuple[float, float]:
    z = np.array([NUDGE_Z])
    smooth = float(losses.cross_entropy(z, [TRUE_CLASS], label_smoothing=0.1))
    kd = float(distillation.distillation_loss(z, np.zeros_like(z), [TRUE_CLASS], 1.0, 0.1))
    return smooth, kd


@label_smoothing_is_uniform_teacher.check
def _(value: tuple[float, float]) -> None:
    import torch
    import torch.nn.functional as F

    ref = F.cross_entropy(
        torch.tensor([NUDGE_Z], dtype=torch.float64),
        torch.tensor([TRUE_CLASS]),
        label_smoothing=0.1,
    ).item()
    with mpmath.workdps(DIGITS):
        p = mp_softmax(NUDGE_Z)
        eps = mpmath.mpf("0.1")
        exact = -(1 - eps) * mpmath.log(p[0]) - eps / 4 * mpmath.fsum(mpmath.log(v) for v in p)
    for v in value:
        assert abs(v - ref) < 1e-14
        assert close_to(v, exact)


# --- exercise: where label smoothing lets gradient descent settle --------------------------


def _smoothing_descent(steps: int = 4000, rate: float = 1.0) -> np.ndarray:
    """Gradient descent on four free logits from 0, class 1 true, label smoothing 0.1."""
    z = np.zeros((1, 4))
    for _ in range(steps):
        z = z - rate * gradients.cross_entropy_grad(z, [TRUE_CLASS], label_smoothing=0.1)
    return z[0]


@claim(
    "smoothing-minimiser-gap",
    "Four classes, class 1 true, label smoothing $\\varepsilon = 0.1$: the lead of the true "
    "logit over each other logit where gradient descent on the logits settles.",
    reference="mpmath: $\\log\\bigl((1 - \\varepsilon + \\varepsilon/K) / (\\varepsilon/K)\\bigr)"
    " = \\log 37$ at 50 digits, the lead at which the softmax equals the smoothed target",
    fmt="{:.2f}",
)
def smoothing_minimiser_gap() -> float:
    z = _smoothing_descent()
    return float(z[0] - np.mean(z[1:]))


@smoothing_minimiser_gap.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        ref = mpmath.log(mpmath.mpf(37))
    assert abs(value - float(ref)) < 1e-9


@claim(
    "smoothing-minimum-loss",
    "Four classes, class 1 true, label smoothing $\\varepsilon = 0.1$: the smallest loss the "
    "logits can reach, in nats.",
    reference="mpmath: the entropy of the smoothed target (0.925, 0.025, 0.025, 0.025) at 50 "
    "digits",
    fmt="{:.3f}",
)
def smoothing_minimum_loss() -> float:
    z = _smoothing_descent()
    return float(losses.cross_entropy(z[None, :], [TRUE_CLASS], label_smoothing=0.1))


@smoothing_minimum_loss.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        t = [mpmath.mpf("0.925")] + [mpmath.mpf("0.025")] * 3
        ref = -sum(x * mpmath.log(x) for x in t)
    assert close_to(value, ref)


# --- exercise: forces for a soft target ----------------------------------------------------

SOFT_TARGET = (0.5, 0.0, 0.5, 0.0)


def _soft_forces() -> np.ndarray:
    """The gradient p - t for the running example's logits and the soft target above."""
    return gradients.cross_entropy_grad(np.array([NUDGE_Z]), np.array([SOFT_TARGET]))[0]


def _mp_soft_forces() -> list:
    with mpmath.workdps(DIGITS):
        return [p - mpmath.mpf(t) for p, t in zip(mp_softmax(NUDGE_Z), SOFT_TARGET, strict=True)]


@claim(
    "forces-soft-target",
    "Gradient $p - t$ for $z = (2.5, -1, 3.2, 0.5)$ and the soft target "
    "$t = (0.5, 0, 0.5, 0)$: class 3 is pushed down although it is a target class.",
    reference="mpmath: softmax at 50 digits minus the soft target",
    fmt=vector(4),
)
def forces_soft_target() -> list[float]:
    return _soft_forces().tolist()


@forces_soft_target.check
def _(value: list[float]) -> None:
    for v, r in zip(value, _mp_soft_forces(), strict=True):
        assert close_to(v, r)


@claim(
    "forces-soft-target-size",
    "L1 norm $\\sum_i |p_i - t_i|$ of the gradient for the soft target $t = (0.5, 0, 0.5, 0)$ "
    "and the running example's logits: twice the only pull, on class 1.",
    reference="mpmath: $\\sum_i |p_i - t_i|$ at 50 digits",
    fmt="{:.3f}",
)
def forces_soft_target_size() -> float:
    return float(np.sum(np.abs(_soft_forces())))


@forces_soft_target_size.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        ref = sum(abs(x) for x in _mp_soft_forces())
    assert close_to(value, ref)


# --- exercises: the slowdown ratio elsewhere, and a student that ranks like its teacher --


def _ce_over_se_at(p: float) -> float:
    z = float(np.log(p / (1 - p)))
    return float(
        training.neuron_loss_grad(z, 0.0, "cross_entropy")
        / training.neuron_loss_grad(z, 0.0, "squared_error")
    )


@claim(
    "slowdown-ratio-at-099",
    "How many times larger the cross-entropy gradient is than the squared-error gradient for "
    "a sigmoid neuron whose output is $0.99$ (target 0): $1/(2 \\cdot 0.99 \\cdot 0.01)$.",
    reference="exact fractions: $1/(2 \\cdot 0.99 \\cdot 0.01) = 5000/99$",
    fmt="{:.1f}",
)
def slowdown_ratio_at_099() -> float:
    return _ce_over_se_at(0.99)


@slowdown_ratio_at_099.check
def _(value: float) -> None:
    assert close_to(value, float(Fraction(5000, 99)), 1e-9)


def _ratio_ten_outputs() -> list[float]:
    """The two outputs where the ratio is 10, found by bisection on the implementation."""
    out = []
    for lo, hi in ((1e-6, 0.5), (0.5, 1 - 1e-6)):
        f_lo = _ce_over_se_at(lo) - 10
        for _ in range(200):
            mid = (lo + hi) / 2
            f_mid = _ce_over_se_at(mid) - 10
            if (f_mid > 0) == (f_lo > 0):
                lo, f_lo = mid, f_mid
            else:
                hi = mid
        out.append((lo + hi) / 2)
    return out


for _index, _side in ((0, "low"), (1, "high")):

    @claim(
        f"slowdown-ratio-ten-{_side}",
        f"The {'smaller' if _index == 0 else 'larger'} of the two outputs $p$ of a sigmoid "
        "neuron (target 0) at which the cross-entropy gradient is 10 times the squared-error "
        "gradient: a root of $2p(1 - p) = 1/10$.",
        reference="mpmath at 50 digits: $(1 \\mp \\sqrt{0.8})/2$ from the quadratic formula",
        fmt="{:.3f}",
    )
    def _ratio_ten(index: int = _index) -> float:
        return _ratio_ten_outputs()[index]

    @_ratio_ten.check
    def _(value: float, index: int = _index) -> None:
        with mpmath.workdps(DIGITS):
            r = mpmath.sqrt(mpmath.mpf("0.8"))
            ref = (1 - r) / 2 if index == 0 else (1 + r) / 2
        assert close_to(value, ref, 1e-9)


@claim(
    "distill-double-student-limit",
    "The limit of the scaled soft-target gradient $T(p - t)$ as $T \\to \\infty$ for a student "
    "whose logits are twice the teacher's $v = (5, -1, 2, 1)$: the centred teacher logits "
    "divided by $K = 4$.",
    reference="exact fractions from the logits; and mpmath at 50 digits: $T(p - t)$ at "
    "$T = 10^{6}$ agrees to 5 digits",
    fmt=vector(4),
)
def distill_double_student_limit() -> list[float]:
    v = np.array(TEACHER_V)
    z = 2 * v
    return (((z - z.mean()) - (v - v.mean())) / z.size).tolist()


@distill_double_student_limit.check
def _(value: list[float]) -> None:
    vf = [Fraction(str(v)) for v in TEACHER_V]
    vm = sum(vf) / 4
    exact = [(b - vm) / 4 for b in vf]
    for v, e in zip(value, exact, strict=True):
        assert abs(v - float(e)) < 1e-15
    with mpmath.workdps(DIGITS):
        temp = mpmath.mpf(10) ** 6
        student = tuple(2 * x for x in TEACHER_V)
        p, t = _mp_soft(student, temp), _mp_soft(TEACHER_V, temp)
        for v, a, b in zip(value, p, t, strict=True):
            assert abs(temp * (a - b) - v) < 1e-4


# --- features: a two-class case where the true score falls ---------------------------
# Class vectors along one direction, the favoured class's twice as long as the true one's:
# w_y = (1, 0), w_f = (2, 0). The features x = (ln 9, 0) give the scores (ln 9, 2 ln 9), so
# p_f = 81 / 90 = 0.9. One step of size 1 against the feature gradient W (p - t).
_FEAT_W = np.array([[1.0, 2.0], [0.0, 0.0]])  # columns w_y, w_f
_FEAT_X = np.array([np.log(9.0), 0.0])
_FEAT_RATE = 1.0


def _feature_step_score_changes() -> np.ndarray:
    p = softmax(_FEAT_W.T @ _FEAT_X)
    grad_x = _FEAT_W @ (p - np.array([1.0, 0.0]))
    x_new = _FEAT_X - _FEAT_RATE * grad_x
    return _FEAT_W.T @ x_new - _FEAT_W.T @ _FEAT_X


def _mp_feature_changes() -> tuple[mpmath.mpf, mpmath.mpf]:
    """Hand derivation: with two classes and w_f = 2 w_y, the mean vector is (1 + p_f) w_y, so
    x moves by -eta p_f w_y; the scores change by -eta p_f |w_y|^2 and -2 eta p_f |w_y|^2.
    p_f is recomputed with mpmath from the scores (ln 9, 2 ln 9)."""
    with mpmath.workdps(DIGITS):
        a = mpmath.log(9)
        p_f = mpmath.exp(2 * a) / (mpmath.exp(a) + mpmath.exp(2 * a))
        return -p_f, -2 * p_f


@claim(
    "features-two-class-true-change",
    "Two classes with $w_y = (1, 0)$, $w_f = (2, 0)$ and $p_f = 0.9$: change of the true score "
    "$x \\cdot w_y$ after one step of size 1 against the feature gradient $W(p - t)$.",
    reference="hand derivation $-\\eta\\, p_f \\lVert w_y \\rVert^2$, with $p_f$ from mpmath at "
    "50 digits",
    fmt="{:.1f}",
)
def features_two_class_true_change() -> float:
    return float(_feature_step_score_changes()[0])


@features_two_class_true_change.check
def _(value: float) -> None:
    assert close_to(value, _mp_feature_changes()[0])


@claim(
    "features-two-class-favoured-change",
    "Same two-class step: change of the favoured class's score $x \\cdot w_f$.",
    reference="hand derivation $-2\\eta\\, p_f \\lVert w_y \\rVert^2$, with $p_f$ from mpmath at "
    "50 digits",
    fmt="{:.1f}",
)
def features_two_class_favoured_change() -> float:
    return float(_feature_step_score_changes()[1])


@features_two_class_favoured_change.check
def _(value: float) -> None:
    assert close_to(value, _mp_feature_changes()[1])


# A Poisson count model (canonical link: the log) predicting a mean of 3 and observing 5.
POISSON_MEAN = 3
POISSON_COUNT = 5


def _poisson_nll(z: np.ndarray) -> float:
    """Negative log-likelihood of the count ``POISSON_COUNT`` under the rate ``exp(z)``."""
    log_factorial = float(np.log(np.prod(range(1, POISSON_COUNT + 1))))
    return float(np.exp(z[0]) - z[0] * POISSON_COUNT + log_factorial)


@claim(
    "canonical-poisson-example-gradient",
    "Poisson negative log-likelihood with natural parameter $z$ set to $\\log 3$ (predicted "
    "mean 3) and observed count 5: its derivative in $z$, by central differences.",
    reference="exact arithmetic: the predicted mean minus the observed count, $3 - 5$",
    fmt="{:.0f}",
)
def canonical_poisson_example_gradient() -> float:
    z = np.array([float(np.log(POISSON_MEAN))])
    return float(gradients.numerical_gradient(_poisson_nll, z)[0])


@canonical_poisson_example_gradient.check
def _(value: float) -> None:
    exact = Fraction(POISSON_MEAN) - POISSON_COUNT
    assert abs(value - float(exact)) < 1e-7
