r"""Test vectors for the site's interactive explorers, computed by ``ce_book``.

The explorers (``docs/assets/explorers/explorers.js``) recompute softmax, cross-entropy,
sigmoid, binary cross-entropy and squared error in the reader's browser. To prove that the
browser shows the book's numbers, :func:`vectors` lists inputs (including huge logits and a
temperature near 0) with the outputs ``ce_book`` computes for them; the script
``scripts/make_explorer_vectors.py`` writes them to ``docs/assets/explorers/vectors.json`` and
the browser tests drive each explorer to those inputs and compare what it shows.

Softmax explorer, for logits :math:`z`, temperature :math:`T` and a target distribution
:math:`t` (one-hot or soft), with :math:`u = z / T`:

.. math:: p = \operatorname{softmax}(u), \qquad L = -\sum_i t_i \log p_i, \qquad
          \frac{\partial L}{\partial u} = p - t, \qquad
          \frac{\partial L}{\partial z} = \frac{p - t}{T}

Binary explorer, for a logit :math:`z` and a label :math:`t \in \{0, 1\}`: :math:`\sigma(z)`,
the binary cross-entropy and its gradient :math:`\sigma(z) - t`, the squared error
:math:`(\sigma(z) - t)^2` and its gradient :math:`2(\sigma(z) - t)\,\sigma'(z)`.

Both explorers also plot the loss and its gradient against the logit the reader moves (the
others held fixed), sampled on :data:`CURVE_X`, the slider's range in steps of 1/4. The
``curves`` section lists such samples, computed here by ``ce_book``, for the browser tests to
compare with the points each plot draws.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ce_book import gradients, losses, training
from ce_book.activations import sigmoid, softmax

FORMAT_VERSION = 2

#: Where the explorers sample their curves: the logit slider's range, -10 to 10, in steps of
#: 1/4 (81 points, each exact in binary, so JavaScript builds the very same grid).
CURVE_X: tuple[float, ...] = tuple(-10 + i / 4 for i in range(81))

#: How closely the browser must agree with ``ce_book``, per output: ``|js - ref| <= max(abs,
#: rel * |ref|)``. Probabilities and losses must match to 1e-12 relative (no absolute slack, so
#: a tiny loss of 1e-18 must really be computed); differences such as ``p - t`` may differ in
#: the last bits of numbers near 1, hence the small absolute slack there.
TOLERANCES: dict[str, dict[str, float]] = {
    "probs": {"rel": 1e-12, "abs": 0.0},
    "loss": {"rel": 1e-12, "abs": 0.0},
    "grad": {"rel": 1e-12, "abs": 1e-15},
    "grad_z": {"rel": 1e-12, "abs": 1e-15},
    "grad_sum": {"rel": 0.0, "abs": 1e-14},
    "sigma": {"rel": 1e-12, "abs": 0.0},
    "bce": {"rel": 1e-12, "abs": 0.0},
    "bce_grad": {"rel": 1e-12, "abs": 1e-15},
    "mse": {"rel": 1e-12, "abs": 1e-30},
    "mse_grad": {"rel": 1e-12, "abs": 1e-30},
}

# (name, logits, temperature, target): target is a class index or a list of probabilities.
SOFTMAX_CASES: tuple[tuple[str, list[float], float, int | list[float]], ...] = (
    ("nielsen-true-1", [2.5, -1.0, 3.2, 0.5], 1.0, 0),
    ("nielsen-true-3", [2.5, -1.0, 3.2, 0.5], 1.0, 2),
    ("three-classes", [2.0, 1.0, 0.1], 1.0, 0),
    ("all-equal-six", [0.0, 0.0, 0.0, 0.0, 0.0, 0.0], 1.0, 5),
    ("five-classes-soft", [1.0, -2.0, 0.5, 3.0, -0.5], 1.0, [0.1, 0.0, 0.2, 0.6, 0.1]),
    ("soft-three", [2.5, -1.0, 3.2], 2.0, [0.7, 0.1, 0.2]),
    ("hot-temperature", [2.5, -1.0, 3.2, 0.5], 10.0, 1),
    ("cold-temperature", [2.5, -1.0, 3.2, 0.5], 0.01, 0),
    ("near-zero-temperature", [2.5, -1.0, 3.2, 0.5], 1e-6, 2),
    ("near-zero-temperature-wrong", [2.5, -1.0, 3.2, 0.5], 1e-6, 0),
    ("confident-correct", [40.0, 0.0, -3.0], 1.0, 0),
    ("confident-wrong", [40.0, 0.0, -3.0], 1.0, 1),
    ("huge-logits", [1e4, -1e4, 0.0, 9999.0], 1.0, 3),
    ("enormous-logits", [1e30, 0.0, -1e30], 1.0, 0),
    ("enormous-logits-wrong", [1e30, 0.0, -1e30], 1.0, 1),
)

# Curves of the softmax explorer: (name, logits, temperature, target, index of the moved logit).
SOFTMAX_CURVES: tuple[tuple[str, list[float], float, int | list[float], int], ...] = (
    ("move-the-true-logit", [2.5, -1.0, 3.2, 0.5], 1.0, 0, 0),
    ("move-a-wrong-logit", [2.5, -1.0, 3.2, 0.5], 1.0, 0, 2),
    ("soft-target-hot", [2.5, -1.0, 3.2], 2.0, [0.7, 0.1, 0.2], 1),
    ("cold-temperature", [2.5, -1.0, 3.2, 0.5, 1.0], 0.1, 2, 0),
    ("confident-tiny-loss", [40.0, 0.0, -3.0], 1.0, 0, 1),
)

# (name, logit, label)
BINARY_CASES: tuple[tuple[str, float, float], ...] = (
    ("zero", 0.0, 1.0),
    ("nielsen-bad-start", 4.0, 0.0),
    ("nielsen-mild-start", 1.5, 0.0),
    ("slightly-wrong", -0.5, 1.0),
    ("badly-wrong", -8.0, 1.0),
    ("confident-right", 40.0, 1.0),
    ("confident-wrong", 40.0, 0.0),
    ("huge-wrong", -1e4, 1.0),
    ("huge-right", -1e4, 0.0),
    ("enormous", 1e30, 0.0),
)


def softmax_vector(logits: list[float], temperature: float, target: int | list[float]) -> dict:
    r"""One softmax-explorer vector: inputs and the outputs of ``ce_book`` for them.

    >>> v = softmax_vector([0.0, 0.0, 0.0], 1.0, 2)
    >>> v["probs"] == [1 / 3] * 3, round(v["loss"], 12), v["target"]
    (True, 1.098612288668, [0.0, 0.0, 1.0])
    """
    if not temperature > 0:
        raise ValueError(f"temperature: must be > 0, got {temperature!r}")
    u = np.asarray(logits, dtype=np.float64) / temperature
    if isinstance(target, int):
        t = np.zeros_like(u)
        t[target] = 1.0
        tgt: Any = target
    else:
        t = np.asarray(target, dtype=np.float64)
        tgt = t
    grad = gradients.cross_entropy_grad(u, tgt, reduction="sum")
    return {
        "logits": [float(v) for v in logits],
        "temperature": float(temperature),
        "target_class": target if isinstance(target, int) else None,
        "target": t.tolist(),
        "probs": softmax(u).tolist(),
        "loss": float(losses.cross_entropy(u, tgt, reduction="sum")),
        "grad": grad.tolist(),
        "grad_z": (grad / temperature).tolist(),
        "grad_sum": float(np.sum(grad)),
    }


def binary_vector(logit: float, label: float) -> dict:
    r"""One binary-explorer vector: inputs and the outputs of ``ce_book`` for them.

    >>> v = binary_vector(0.0, 1.0)
    >>> v["sigma"], round(v["bce"], 12), v["bce_grad"], v["mse"], v["mse_grad"]
    (0.5, 0.69314718056, -0.5, 0.25, -0.25)
    """
    z = np.float64(logit)
    t = np.float64(label)
    return {
        "logit": float(logit),
        "label": float(label),
        "sigma": float(sigmoid(z)),
        "bce": float(losses.binary_cross_entropy_with_logits(z, t, reduction="sum")),
        "bce_grad": float(gradients.binary_cross_entropy_with_logits_grad(z, t, reduction="sum")),
        "mse": float(training.squared_error(z, t)),
        "mse_grad": float(training.squared_error_grad(z, t)),
    }


def softmax_curve(
    logits: list[float], temperature: float, target: int | list[float], moved: int
) -> dict:
    r"""Loss and :math:`\partial L / \partial z_j` as logit ``moved`` (:math:`j`) runs over
    :data:`CURVE_X`, the other logits fixed: the two curves the softmax explorer draws.

    >>> c = softmax_curve([0.0, 0.0, 0.0], 1.0, 0, 0)
    >>> c["x"][40], round(c["loss"][40], 12), round(c["grad_z"][40], 12)  # z = (0, 0, 0)
    (0.0, 1.098612288668, -0.666666666667)
    """
    points = []
    for x in CURVE_X:
        z = list(logits)
        z[moved] = x
        points.append(softmax_vector(z, temperature, target))
    first = softmax_vector(logits, temperature, target)
    return {
        "logits": first["logits"],
        "temperature": first["temperature"],
        "target_class": first["target_class"],
        "target": first["target"],
        "moved": moved,
        "x": list(CURVE_X),
        "loss": [v["loss"] for v in points],
        "grad_z": [v["grad_z"][moved] for v in points],
    }


def binary_curve(label: float) -> dict:
    """Both losses and both gradients as the logit runs over :data:`CURVE_X`.

    >>> c = binary_curve(1.0)
    >>> c["x"][40], c["bce_grad"][40], c["mse"][40]  # z = 0, sigma = 1/2
    (0.0, -0.5, 0.25)
    """
    points = [binary_vector(x, label) for x in CURVE_X]
    fields = ("bce", "bce_grad", "mse", "mse_grad")
    return {"label": float(label), "x": list(CURVE_X)} | {f: [v[f] for v in points] for f in fields}


def vectors() -> dict:
    """Every test vector, with the tolerances, as one JSON-ready dictionary.

    >>> data = vectors()
    >>> sorted(data), len(data["softmax"]) > 10, len(data["binary"]) > 5
    (['binary', 'curves', 'format', 'softmax', 'tolerances'], True, True)
    >>> sorted(data["curves"]), len(data["curves"]["binary"])
    (['binary', 'softmax'], 2)
    """
    return {
        "format": FORMAT_VERSION,
        "tolerances": TOLERANCES,
        "curves": {
            "softmax": [
                {"id": name, **softmax_curve(z, temp, target, moved)}
                for name, z, temp, target, moved in SOFTMAX_CURVES
            ],
            "binary": [{"id": f"label-{int(t)}", **binary_curve(t)} for t in (0.0, 1.0)],
        },
        "softmax": [
            {"id": name, **softmax_vector(z, temp, target)}
            for name, z, temp, target in SOFTMAX_CASES
        ],
        "binary": [{"id": name, **binary_vector(z, t)} for name, z, t in BINARY_CASES],
    }
