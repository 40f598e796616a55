r"""Historical code quoted from a source article, kept so the book can show it failing.

The Pinecone tutorial "Cross-Entropy Loss" (pinecone.io; see :mod:`ce_book.sources`)
published two NumPy functions, ``binary_cross_entropy(t, p)`` and
``categorical_cross_entropy(t_list, p_list)``, with the numbers they printed (of the binary
one it shows two versions; the second, kept here, also prints each sample's loss). Both begin by
converting their inputs with ``np.float_``, an alias that NumPy 2.0 removed, so on the NumPy
this book pins they stop at the first line with ``AttributeError``.

This module is **not** the book's implementation (that is :mod:`ce_book.losses`). It holds the
tutorial's code as quoted text, reproduced as published (only the indentation is normalised), and
runs it in two ways:

- :func:`run_tutorial_code` executes the text unchanged;
- with ``fixed=True`` it first replaces the one removed name, ``np.float_``, by
  ``np.float64`` (:data:`FIX`), so the rest of the computation is the tutorial's own, token
  for token.

Both functions print one line per sample, as in the article; :func:`run_tutorial_code` returns
what they printed together with the returned total, so the printed lines can be compared with
the published ones.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass

import numpy as np

SOURCE_ATTRIBUTION = (
    'Quoted from "Cross-Entropy Loss", a tutorial published on pinecone.io, one of the '
    "source articles of this book. Reproduced as historical code, to be critiqued; "
    "it is not the book's implementation."
)

TUTORIAL_BINARY_SOURCE = """\
def binary_cross_entropy(t,p):
    t = np.float_(t)
    p = np.float_(p)
    for tt, pp in zip(t,p):
      print(f'true_val = {tt}, predicted_val = {pp}, loss = {-(tt * np.log(pp) + (1 - tt) * np.log(1 - pp))}')
    return -np.sum(t * np.log(p) + (1 - t) * np.log(1 - p))
"""  # noqa: E501  (quoted verbatim, long line included)

TUTORIAL_CATEGORICAL_SOURCE = """\
def categorical_cross_entropy(t_list,p_list):
    t_list = np.float_(t_list)
    p_list = np.float_(p_list)
    losses = []
    for t,p in zip(t_list,p_list):
      loss = -np.sum(t * np.log(p))
      losses.append(loss)
      print(f't:{t}, p:{p},loss:{loss}\\n')
    return np.sum(losses)
"""

TUTORIAL_SOURCES = {
    "binary_cross_entropy": TUTORIAL_BINARY_SOURCE,
    "categorical_cross_entropy": TUTORIAL_CATEGORICAL_SOURCE,
}

FIX = ("np.float_(", "np.float64(")
"""The one change that makes the tutorial's code run on NumPy 2: ``(old, new)`` text."""

TUTORIAL_BINARY_INPUTS = {
    "t": [0, 1, 1, 0, 0, 1, 1],
    "p": [0.07, 0.91, 0.74, 0.23, 0.85, 0.17, 0.94],
}
"""The tutorial's seven-sample binary example: true labels ``t`` and predicted probabilities."""

TUTORIAL_CATEGORICAL_INPUTS = {
    "t_list": [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]],
    "p_list": [[0.91, 0.04, 0.05], [0.11, 0.8, 0.09], [0.3, 0.1, 0.6], [0.25, 0.4, 0.35]],
}
"""The four-sample categorical example: one-hot targets and predicted distributions."""


PUBLISHED_BINARY_OUTPUT = """\
true_val = 0.0, predicted_val = 0.07, loss = 0.0725706928348355
true_val = 1.0, predicted_val = 0.91, loss = 0.09431067947124129
true_val = 1.0, predicted_val = 0.74, loss = 0.3011050927839216
true_val = 0.0, predicted_val = 0.23, loss = 0.2613647641344075
true_val = 0.0, predicted_val = 0.85, loss = 1.897119984885881
true_val = 1.0, predicted_val = 0.17, loss = 1.7719568419318752
true_val = 1.0, predicted_val = 0.94, loss = 0.06187540371808753
"""
"""The lines the tutorial printed for the binary example, typed from the article."""

PUBLISHED_BINARY_TOTAL = 4.460303459760249
"""The total the tutorial published for the binary example."""

PUBLISHED_CATEGORICAL_OUTPUT = """\
t:[1. 0. 0.], p:[0.91 0.04 0.05],loss:0.09431067947124129

t:[0. 1. 0.], p:[0.11 0.8  0.09],loss:0.2231435513142097

t:[0. 0. 1.], p:[0.3 0.1 0.6],loss:0.5108256237659907

t:[1. 0. 0.], p:[0.25 0.4  0.35],loss:1.3862943611198906

"""
"""The lines the tutorial printed for the categorical example, typed from the article."""

PUBLISHED_CATEGORICAL_TOTAL = 2.214574215671332
"""The total the tutorial published for the categorical example."""


def published_losses(output: str) -> tuple[float, ...]:
    """The per-sample losses in printed ``output``: the number after each ``loss`` label.

    >>> published_losses(PUBLISHED_CATEGORICAL_OUTPUT)[-1]
    1.3862943611198906
    """
    return tuple(float(v) for v in re.findall(r"loss\s*[=:]\s*([0-9.eE+-]+)", output))


@dataclass(frozen=True)
class SeedRun:
    """What one call of a quoted function printed and returned."""

    printed: str
    total: float


def tutorial_source(name: str, fixed: bool = False) -> str:
    r"""The quoted source of the tutorial's function ``name``, optionally with :data:`FIX` applied.

    The fix replaces every occurrence of ``np.float_(`` and nothing else:

    .. math:: \text{fixed source} = \text{source with } \texttt{np.float\_(} \mapsto
              \texttt{np.float64(}

    >>> print(tutorial_source("binary_cross_entropy", fixed=True).splitlines()[1])
        t = np.float64(t)
    """
    if name not in TUTORIAL_SOURCES:
        raise ValueError(f"name: must be one of {sorted(TUTORIAL_SOURCES)}, got {name!r}")
    source = TUTORIAL_SOURCES[name]
    return source.replace(*FIX) if fixed else source


def run_tutorial_code(name: str, *args: object, fixed: bool = False) -> SeedRun:
    r"""Execute the tutorial's function ``name`` on ``args`` and capture what it prints.

    The function is compiled from its quoted text in a namespace that holds only ``np``
    (the NumPy installed here). Unfixed, on NumPy 2, it raises ``AttributeError``:

    >>> run_tutorial_code("binary_cross_entropy", [1], [0.5])
    Traceback (most recent call last):
    ...
    AttributeError: `np.float_` was removed in the NumPy 2.0 release. Use `np.float64` instead.

    Fixed, it computes the tutorial's sum of per-sample losses :math:`-\sum_i [t_i \log p_i +
    (1 - t_i)\log(1 - p_i)]`:

    >>> run = run_tutorial_code("binary_cross_entropy", [1], [0.5], fixed=True)
    >>> print(run.printed.strip())
    true_val = 1.0, predicted_val = 0.5, loss = 0.6931471805599453
    >>> run.total
    0.6931471805599453
    """
    namespace: dict[str, object] = {"np": np}
    exec(compile(tutorial_source(name, fixed), f"<Pinecone tutorial: {name}>", "exec"), namespace)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        total = namespace[name](*args)
    return SeedRun(printed=out.getvalue(), total=float(total))
