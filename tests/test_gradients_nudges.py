"""The nudge derivations (ce_book.derivations.nudges): every step checks, a broken step is
caught, and the closed forms agree with ce_book's softmax on random logits."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import sympy as sp

from ce_book.activations import softmax
from ce_book.derivations import nudges


@pytest.mark.parametrize("d", nudges.DERIVATIONS, ids=lambda d: d.id)
def test_every_step_checks(d) -> None:
    report = d.check()
    assert report.ok, "\n".join(map(str, report.failures))
    assert d.latex().startswith(r"\begin{aligned}")


@pytest.mark.parametrize("d", nudges.DERIVATIONS, ids=lambda d: d.id)
def test_a_broken_step_is_caught(d) -> None:
    # The closed form with its sign flipped, and the sign claim reversed: each caught alone.
    steps = list(d.steps)
    steps[2] = dataclasses.replace(steps[2], expr=-steps[2].expr)
    assert not dataclasses.replace(d, steps=tuple(steps)).check_step(2).ok
    sign = d.steps[3].expr
    steps = list(d.steps)
    steps[3] = dataclasses.replace(steps[3], expr=sp.Lt(sign.lhs, 0, evaluate=False))
    assert not dataclasses.replace(d, steps=tuple(steps)).check_step(3).ok


def test_the_sign_of_lowering_needs_its_hypothesis() -> None:
    # Without "E_j > E_k" the difference can have either sign: the step must fail.
    d = nudges.NUDGE_LOWER_LARGER
    steps = list(d.steps)
    steps[3] = dataclasses.replace(steps[3], using=())
    assert not dataclasses.replace(d, steps=tuple(steps)).check_step(3).ok
    assert d.check_step(3).hypotheses == ("H1",)


def _closed_form(d, values: dict) -> float:
    rhs = d.results[0].rhs
    symbols = {s.name: s for s in rhs.free_symbols}
    return float(rhs.subs({symbols[k]: v for k, v in values.items()}))


def test_lowering_the_larger_logit_needs_no_fourth_class() -> None:
    # With three classes nothing is left over: R = 0 is allowed, and the sign still holds.
    (rest,) = (s for s in nudges.NUDGE_LOWER_LARGER.assumptions.symbols if s.name == "R")
    assert rest.is_nonnegative and not rest.is_positive
    assert nudges.NUDGE_LOWER_LARGER.check().ok


@pytest.mark.parametrize("k", [3, 4, 6])
def test_closed_forms_match_the_softmax(rng, k: int) -> None:
    for _ in range(50):
        z = rng.normal(0, 2, size=k)
        delta = float(rng.uniform(0.01, 2))
        e = np.exp(z)
        up, down_1, down_2 = z.copy(), z.copy(), z.copy()
        up[0] += delta
        down_1[1] -= delta
        down_2[2] -= delta
        a_up, a_d1, a_d2 = (float(softmax(v)[0]) for v in (up, down_1, down_2))
        own = _closed_form(
            nudges.NUDGE_OWN_VS_OTHER,
            {"E_1": e[0], "E_j": e[1], "R": e[2:].sum(), "Delta": delta},
        )
        lower = _closed_form(
            nudges.NUDGE_LOWER_LARGER,
            {"E_1": e[0], "E_j": e[1], "E_k": e[2], "R": e[3:].sum(), "Delta": delta},
        )
        assert own > 0 and a_up > a_d1  # the sign the derivation proves (results[1])
        assert isinstance(nudges.NUDGE_OWN_VS_OTHER.results[1], sp.Gt)
        np.testing.assert_allclose(a_up - a_d1, own, rtol=1e-9, atol=1e-15)
        np.testing.assert_allclose(a_d1 - a_d2, lower, rtol=1e-9, atol=1e-15)
        assert (a_d1 > a_d2) == (z[1] > z[2])
