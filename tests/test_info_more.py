"""``ce_book.info.conditional_entropy`` against mpmath, the chain rule, and its edge cases."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ce_book import info

# The spam example of chapter 1: rows "free" in the e-mail or not; columns spam, not spam.
SPAM = np.array([[0.30, 0.05], [0.10, 0.55]])


def _mp_conditional_entropy_bits(joint) -> float:
    """sum_x p(x) H(Y | X = x) at 50 digits, term by term from the rows."""
    with mpmath.workdps(50):
        total = mpmath.mpf(0)
        for row in joint:
            row = [mpmath.mpf(str(v)) for v in row]
            p_x = mpmath.fsum(row)
            total += -mpmath.fsum(v * mpmath.log(v / p_x, 2) for v in row if v > 0)
        return float(total)


def test_spam_example_against_mpmath() -> None:
    value = float(info.conditional_entropy(SPAM, base=2))
    assert value == pytest.approx(_mp_conditional_entropy_bits(SPAM), rel=1e-14)


def test_edge_cases() -> None:
    copy = [[0.5, 0.0], [0.0, 0.5]]
    assert float(info.conditional_entropy(copy)) == 0.0
    independent = np.outer([0.2, 0.8], [0.3, 0.7])
    h_y = float(info.entropy([0.3, 0.7]))
    assert float(info.conditional_entropy(independent)) == pytest.approx(h_y, rel=1e-14)
    with pytest.raises(ValueError, match=r"^joint"):
        info.conditional_entropy([0.5, 0.5])
    with pytest.raises(ValueError, match=r"^joint"):
        info.conditional_entropy([[0.5, 0.5], [0.5, 0.5]])


def test_batches_along_leading_axes() -> None:
    batch = np.stack([SPAM, np.full((2, 2), 0.25)])
    out = info.conditional_entropy(batch, base=2)
    assert out.shape == (2,)
    assert out[1] == pytest.approx(1.0)


_joints = hnp.arrays(
    np.float64,
    st.tuples(st.integers(1, 4), st.integers(1, 4)),
    elements=st.floats(0.0, 1.0, allow_subnormal=False),
).filter(lambda a: a.sum() > 1e-3)


@settings(max_examples=200, deadline=None)
@given(_joints)
def test_chain_rule_and_bounds(raw: np.ndarray) -> None:
    """I(X; Y) = H(Y) - H(Y | X), and 0 <= H(Y | X) <= H(Y)."""
    joint = raw / raw.sum()
    h_y = float(info.entropy(joint.sum(axis=0)))
    h_y_x = float(info.conditional_entropy(joint))
    mi = float(info.mutual_information(joint))
    assert h_y_x == pytest.approx(h_y - mi, abs=1e-9)
    assert -1e-12 <= h_y_x <= h_y + 1e-9
