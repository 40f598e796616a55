"""Every kind of bad input raises ValueError or TypeError whose message starts with the argument."""

from __future__ import annotations

import numpy as np
import pytest

from ce_book import activations as A
from ce_book import gradients as G
from ce_book import info
from ce_book import losses as L

Z = np.array([[1.0, 2.0, 0.5], [0.1, 0.2, 0.3]])
Y = np.array([0, 2])
P = np.array([[0.2, 0.8], [0.5, 0.5]])
T = np.array([[0.0, 1.0], [1.0, 0.0]])
NAN = np.array([[np.nan, 1.0, 0.0], [0.0, 0.0, 0.0]])

# (callable, exception type, argument the message must start with)
CASES = {
    # cross_entropy, and the same validation through its gradients
    "ce input NaN": (lambda: L.cross_entropy(NAN, Y), ValueError, "input"),
    "ce input +inf": (lambda: L.cross_entropy([[np.inf, 0.0]], [0]), ValueError, "input"),
    "ce input strings": (lambda: L.cross_entropy([["a", "b"]], [0]), TypeError, "input"),
    "ce input 0-d": (lambda: L.cross_entropy(1.0, 0), ValueError, "input"),
    "ce no classes": (lambda: L.cross_entropy(np.zeros((2, 0)), [0, 0]), ValueError, "input"),
    "ce all -inf row": (lambda: L.cross_entropy([[-np.inf, -np.inf]], [0]), ValueError, "input"),
    "ce empty mean": (
        lambda: L.cross_entropy(np.zeros((0, 3)), np.zeros(0, int)),
        ValueError,
        "input",
    ),
    "ce target shape": (lambda: L.cross_entropy(Z, [0, 1, 2]), ValueError, "target"),
    "ce target index high": (lambda: L.cross_entropy(Z, [0, 3]), ValueError, "target"),
    "ce target index negative": (lambda: L.cross_entropy(Z, [0, -1]), ValueError, "target"),
    "ce target bool": (lambda: L.cross_entropy(Z, [True, False]), TypeError, "target"),
    "ce target float indices": (lambda: L.cross_entropy(Z, [0.0, 2.0]), ValueError, "target"),
    "ce target strings": (lambda: L.cross_entropy(Z, ["a", "b"]), TypeError, "target"),
    "ce target probs not summing to 1": (
        lambda: L.cross_entropy(Z, np.full((2, 3), 0.5)),
        ValueError,
        "target",
    ),
    "ce target probs negative": (
        lambda: L.cross_entropy(Z, [[1.5, -0.5, 0.0], [0.0, 0.0, 1.0]]),
        ValueError,
        "target",
    ),
    "ce target NaN": (lambda: L.cross_entropy(Z, NAN), ValueError, "target"),
    "ce all ignored mean": (lambda: L.cross_entropy(Z, [-100, -100]), ValueError, "target"),
    "ce zero weight mean": (
        lambda: L.cross_entropy(Z, [1, 1], weight=[1.0, 0.0, 1.0]),
        ValueError,
        "target",
    ),
    "ce weight shape": (lambda: L.cross_entropy(Z, Y, weight=[1.0, 2.0]), ValueError, "weight"),
    "ce weight negative": (
        lambda: L.cross_entropy(Z, Y, weight=[1.0, -2.0, 1.0]),
        ValueError,
        "weight",
    ),
    "ce weight NaN": (
        lambda: L.cross_entropy(Z, Y, weight=[1.0, np.nan, 1.0]),
        ValueError,
        "weight",
    ),
    "ce reduction": (lambda: L.cross_entropy(Z, Y, reduction="avg"), ValueError, "reduction"),
    "ce smoothing high": (
        lambda: L.cross_entropy(Z, Y, label_smoothing=1.5),
        ValueError,
        "label_smoothing",
    ),
    "ce smoothing negative": (
        lambda: L.cross_entropy(Z, Y, label_smoothing=-0.1),
        ValueError,
        "label_smoothing",
    ),
    "ce smoothing type": (
        lambda: L.cross_entropy(Z, Y, label_smoothing="0.1"),
        TypeError,
        "label_smoothing",
    ),
    "ce ignore_index type": (
        lambda: L.cross_entropy(Z, Y, ignore_index=1.5),
        TypeError,
        "ignore_index",
    ),
    "ce grad target": (lambda: G.cross_entropy_grad(Z, [0, 3]), ValueError, "target"),
    "ce fused reduction": (
        lambda: G.cross_entropy_and_grad(Z, Y, reduction="max"),
        ValueError,
        "reduction",
    ),
    # nll_loss
    "nll float target": (lambda: L.nll_loss(Z, np.full((2, 3), 1 / 3)), TypeError, "target"),
    "nll index": (lambda: L.nll_loss(Z, [5, 0]), ValueError, "target"),
    "nll empty mean": (
        lambda: G.nll_loss_grad(np.zeros((0, 2)), np.zeros(0, int)),
        ValueError,
        "input",
    ),
    # binary losses
    "bce input above 1": (lambda: L.binary_cross_entropy([1.2], [1.0]), ValueError, "input"),
    "bce input negative": (lambda: L.binary_cross_entropy([-0.1], [1.0]), ValueError, "input"),
    "bce input NaN": (lambda: L.binary_cross_entropy([np.nan], [1.0]), ValueError, "input"),
    "bce target above 1": (lambda: L.binary_cross_entropy(P, P * 2), ValueError, "target"),
    "bce shape": (lambda: L.binary_cross_entropy(P, [1.0, 0.0]), ValueError, "target"),
    "bce weight shape": (lambda: L.binary_cross_entropy(P, T, [1.0, 2, 3]), ValueError, "weight"),
    "bce weight negative": (lambda: L.binary_cross_entropy(P, T, [1.0, -2]), ValueError, "weight"),
    "bce empty mean": (lambda: L.binary_cross_entropy([], []), ValueError, "input"),
    "bce reduction": (
        lambda: G.binary_cross_entropy_grad(P, T, None, "all"),
        ValueError,
        "reduction",
    ),
    "bcel input inf": (
        lambda: L.binary_cross_entropy_with_logits([np.inf], [1.0]),
        ValueError,
        "input",
    ),
    "bcel target": (lambda: L.binary_cross_entropy_with_logits([0.0], [2.0]), ValueError, "target"),
    "bcel pos_weight shape": (
        lambda: L.binary_cross_entropy_with_logits(P, T, pos_weight=[1.0, 2.0, 3.0]),
        ValueError,
        "pos_weight",
    ),
    "bcel pos_weight negative": (
        lambda: G.binary_cross_entropy_with_logits_grad(P, T, pos_weight=[-1.0, 2.0]),
        ValueError,
        "pos_weight",
    ),
    "bcel float16": (
        lambda: L.binary_cross_entropy_with_logits(np.zeros(2, np.float16), [0.0, 1.0]),
        TypeError,
        "input",
    ),
    # gradients' own arguments
    "numerical eps": (lambda: G.numerical_gradient(np.sum, [1.0], eps=0.0), ValueError, "eps"),
    "numerical x NaN": (lambda: G.numerical_gradient(np.sum, [np.nan]), ValueError, "x"),
    "jacobian NaN": (lambda: G.softmax_jacobian([np.nan, 1.0]), ValueError, "z"),
    "sigmoid' strings": (lambda: G.sigmoid_derivative("a"), TypeError, "z"),
    # activations and information theory
    "softmax NaN": (lambda: A.softmax([0.0, np.nan]), ValueError, "z"),
    "info p not summing to 1": (lambda: info.entropy([0.5, 0.6]), ValueError, "p"),
    "info q outside [0, 1]": (
        lambda: info.cross_entropy([0.5, 0.5], [1.5, -0.5]),
        ValueError,
        "q",
    ),
    "info shape": (lambda: info.kl_divergence([0.5, 0.5], [1.0]), ValueError, "q"),
    "info base": (lambda: info.entropy([1.0], base=1), ValueError, "base"),
    "surprisal above 1": (lambda: info.surprisal(1.5), ValueError, "p"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_names_the_argument(case) -> None:
    call, error, argument = CASES[case]
    with pytest.raises(error, match=f"^{argument}:"):
        call()


def test_all_ignored_with_sum_is_zero_not_an_error() -> None:
    """Only the mean is 0/0; a sum over no targets is 0, as in PyTorch."""
    assert float(L.cross_entropy(Z, [-100, -100], reduction="sum")) == 0.0
    assert G.cross_entropy_grad(Z, [-100, -100], reduction="sum").tolist() == [[0.0] * 3] * 2
