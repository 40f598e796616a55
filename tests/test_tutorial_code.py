"""The seed article's quoted code: it fails on NumPy 2, and with one token fixed it prints
exactly what the article published; the published numbers agree with mpmath at 50 digits."""

from __future__ import annotations

import difflib

import mpmath
import numpy as np
import pytest

from ce_book import tutorial_code as sc
from ce_book.reference import mp_binary_cross_entropy

BINARY_ARGS = (sc.TUTORIAL_BINARY_INPUTS["t"], sc.TUTORIAL_BINARY_INPUTS["p"])
CATEGORICAL_ARGS = (
    sc.TUTORIAL_CATEGORICAL_INPUTS["t_list"],
    sc.TUTORIAL_CATEGORICAL_INPUTS["p_list"],
)
CASES = [
    ("binary_cross_entropy", BINARY_ARGS, sc.PUBLISHED_BINARY_OUTPUT, sc.PUBLISHED_BINARY_TOTAL),
    (
        "categorical_cross_entropy",
        CATEGORICAL_ARGS,
        sc.PUBLISHED_CATEGORICAL_OUTPUT,
        sc.PUBLISHED_CATEGORICAL_TOTAL,
    ),
]


def test_numpy_is_2() -> None:
    assert int(np.__version__.split(".")[0]) >= 2


@pytest.mark.parametrize(("name", "args", "_out", "_total"), CASES)
def test_unfixed_tutorial_code_fails_on_numpy_2(name, args, _out, _total) -> None:
    with pytest.raises(AttributeError, match=r"np\.float_` was removed in the NumPy 2\.0"):
        sc.run_tutorial_code(name, *args)


@pytest.mark.parametrize(("name", "args", "published", "total"), CASES)
def test_fixed_tutorial_code_prints_the_published_output(name, args, published, total) -> None:
    run = sc.run_tutorial_code(name, *args, fixed=True)
    assert run.printed == published
    assert run.total == total


@pytest.mark.parametrize("name", sorted(sc.TUTORIAL_SOURCES))
def test_fix_changes_only_the_removed_alias(name: str) -> None:
    before = sc.tutorial_source(name).splitlines()
    after = sc.tutorial_source(name, fixed=True).splitlines()
    changed = [
        (a, b)
        for a, b in zip(before, after, strict=True)
        if a != b  # same number of lines: the fix never adds or removes one
    ]
    assert len(changed) == 2  # the two conversion lines at the top of each function
    for a, b in changed:
        assert "np.float_(" in a and "np.float_" not in b
        assert a.replace("np.float_(", "np.float64(") == b
    assert "np.float_" not in "\n".join(after)
    assert list(difflib.unified_diff(before, after))  # there is a difference to show


def test_published_binary_numbers_agree_with_mpmath() -> None:
    with mpmath.workdps(50):
        # p is the float64 nearest the decimal, as the seed's code sees it
        exact = [mp_binary_cross_entropy(p, t) for t, p in zip(*BINARY_ARGS, strict=True)]
        published = sc.published_losses(sc.PUBLISHED_BINARY_OUTPUT)
        assert len(published) == 7
        for got, ref in zip(published, exact, strict=True):
            assert abs(got - ref) <= 4 * np.finfo(np.float64).eps * ref
        assert abs(sc.PUBLISHED_BINARY_TOTAL - mpmath.fsum(exact)) < 1e-14


def test_published_categorical_numbers_agree_with_mpmath() -> None:
    with mpmath.workdps(50):
        exact = [
            -mpmath.log(mpmath.mpf(p[t.index(1)])) for t, p in zip(*CATEGORICAL_ARGS, strict=True)
        ]
        published = sc.published_losses(sc.PUBLISHED_CATEGORICAL_OUTPUT)
        assert len(published) == 4
        for got, ref in zip(published, exact, strict=True):
            assert abs(got - ref) <= 4 * np.finfo(np.float64).eps * ref
        assert abs(sc.PUBLISHED_CATEGORICAL_TOTAL - mpmath.fsum(exact)) < 1e-14
        # the last sample is -log(1/4) = log 4 exactly
        assert abs(published[-1] - mpmath.log(4)) < 1e-15


def test_unknown_seed_function_is_named() -> None:
    with pytest.raises(ValueError, match=r"^name: "):
        sc.tutorial_source("mean_squared_error")
