"""Shared fixtures: mpmath's working precision, a seeded random generator, and PyTorch."""

from __future__ import annotations

import os
import types

from ce_book import artefacts

# Before NumPy is imported: figures and vectors come out the same bits on every CPU.
artefacts.pin_kernels()

import mpmath  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from ce_book.reference import DIGITS  # noqa: E402

pytest_plugins = ["site_fixtures", "verification"]


@pytest.fixture(scope="session", autouse=True)
def mpmath_digits() -> object:
    """Every test computes mpmath references at 50 digits, however the tests are selected."""
    with mpmath.workdps(DIGITS):
        yield


@pytest.fixture
def rng() -> np.random.Generator:
    """A fresh generator with a fixed seed, so every test sees the same numbers."""
    return np.random.default_rng(20260526)


@pytest.fixture(scope="session")
def torch() -> types.ModuleType:
    """The ``torch`` module, for the tests that use PyTorch as the reference implementation.

    Without torch installed, tests that use it skip with a visible reason; under ``CI=true``
    they fail instead, because CI installs torch and must run the reference tests.
    """
    try:
        import torch as torch_module
    except ImportError as err:
        if os.environ.get("CI") == "true":
            pytest.fail(f"torch is required under CI=true: {err}")
        pytest.skip(f"torch is not installed ({err}); run scripts/setup.sh with the torch extra")
    return torch_module
