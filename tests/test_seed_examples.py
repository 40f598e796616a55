"""The seed tutorial's published numbers (article 003), reproduced through the public API.

The inputs and printed numbers come from :mod:`ce_book.tutorial_code`, which quotes the article.
The article sums the per-sample losses, so the totals are ``reduction="sum"``.
"""

from __future__ import annotations

import numpy as np
import pytest

from ce_book import losses as L
from ce_book import tutorial_code as sc
from ce_book.activations import log_softmax

BINARY_T = sc.TUTORIAL_BINARY_INPUTS["t"]
BINARY_P = sc.TUTORIAL_BINARY_INPUTS["p"]
ONE_HOT = np.array(sc.TUTORIAL_CATEGORICAL_INPUTS["t_list"], dtype=float)
PROBS = np.array(sc.TUTORIAL_CATEGORICAL_INPUTS["p_list"])


def test_binary_example_per_sample_and_total() -> None:
    published = sc.published_losses(sc.PUBLISHED_BINARY_OUTPUT)
    assert len(published) == 7
    per = L.binary_cross_entropy(BINARY_P, BINARY_T, reduction="none")
    np.testing.assert_allclose(per, published, rtol=1e-15)
    total = float(L.binary_cross_entropy(BINARY_P, BINARY_T, reduction="sum"))
    assert total == pytest.approx(4.460303459760249, rel=1e-15)
    assert total == pytest.approx(sc.PUBLISHED_BINARY_TOTAL, rel=1e-15)


def test_categorical_example_per_sample_and_total() -> None:
    """The article feeds probabilities; their logs are logits whose softmax gives them back,
    so cross_entropy on log(p) with one-hot (probability) or class-index targets reproduces it."""
    published = sc.published_losses(sc.PUBLISHED_CATEGORICAL_OUTPUT)
    assert len(published) == 4
    logits = np.log(PROBS)
    classes = ONE_HOT.argmax(axis=1)
    for per in (
        L.cross_entropy(logits, ONE_HOT, reduction="none"),
        L.cross_entropy(logits, classes, reduction="none"),
        L.nll_loss(log_softmax(logits), classes, reduction="none"),
    ):
        np.testing.assert_allclose(per, published, rtol=1e-14)
    total = float(L.nll_loss(logits, classes, reduction="sum"))
    assert total == pytest.approx(2.214574215671332, rel=1e-15)
    assert total == pytest.approx(sc.PUBLISHED_CATEGORICAL_TOTAL, rel=1e-15)


def test_tutorial_code_no_longer_runs_on_numpy_2() -> None:
    """The article's functions start with ``np.float_(t)``. NumPy 2.0 removed the ``np.float_``
    alias (NEP 52, cleaning the main namespace), so the code stops with AttributeError there;
    ``np.float64`` is the replacement."""
    with pytest.raises(AttributeError, match="float_"):
        _ = np.float_  # noqa: NPY201  (the removed alias is the point of the test)
    assert np.float64(0.07) == 0.07
