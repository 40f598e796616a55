"""Forward and reverse KL fits of one Gaussian to a mixture, against mpmath quadrature."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from ce_book import kl_fit

TARGET = kl_fit.Mixture((0.6, 0.4), (-2.0, 2.0), (0.7, 0.7))


def _mp_logpdf(x):
    return mpmath.log(
        mpmath.fsum(
            mpmath.mpf(w) * mpmath.npdf(x, m, s)
            for w, m, s in zip(TARGET.weights, TARGET.means, TARGET.sds, strict=True)
        )
    )


def test_mixture_density_integrates_to_one_and_matches_mpmath() -> None:
    with mpmath.workdps(30):
        assert (
            abs(float(mpmath.quad(lambda x: mpmath.exp(_mp_logpdf(x)), [-20, -2, 2, 20])) - 1)
            < 1e-14
        )
        for x in (-5.0, -2.0, 0.0, 1.3, 19.0):
            assert float(TARGET.logpdf(x)) == pytest.approx(float(_mp_logpdf(x)), rel=1e-13)


def test_forward_fit_is_moment_matching_and_a_minimum() -> None:
    mu, sigma = kl_fit.fit_forward(TARGET)
    assert mu == pytest.approx(-0.4, abs=1e-15)
    assert sigma**2 == pytest.approx(0.49 + 4 - 0.16, rel=1e-14)  # within-peak + between-peak
    best = kl_fit.forward_kl(TARGET, mu, sigma)
    for dm, ds in ((0.05, 0), (-0.05, 0), (0, 0.05), (0, -0.05)):
        assert kl_fit.forward_kl(TARGET, mu + dm, sigma + ds) > best


def test_reverse_fit_is_a_minimum_on_the_taller_peak() -> None:
    mu, sigma = kl_fit.fit_reverse(TARGET)
    assert -2.1 < mu < -1.9 and 0.6 < sigma < 0.8
    best = kl_fit.reverse_kl(TARGET, mu, sigma)
    for dm, ds in ((0.01, 0), (-0.01, 0), (0, 0.01), (0, -0.01)):
        assert kl_fit.reverse_kl(TARGET, mu + dm, sigma + ds) > best


def test_divergences_match_mpmath_quadrature() -> None:
    mu, sigma = 0.3, 1.7
    with mpmath.workdps(30):
        fwd = mpmath.quad(
            lambda x: (
                mpmath.exp(_mp_logpdf(x)) * (_mp_logpdf(x) - mpmath.log(mpmath.npdf(x, mu, sigma)))
            ),
            [-20, -2, 2, 20],
        )
        rev = mpmath.quad(
            lambda x: (
                mpmath.npdf(x, mu, sigma) * (mpmath.log(mpmath.npdf(x, mu, sigma)) - _mp_logpdf(x))
            ),
            [-20, -2, 0.3, 2, 20],
        )
    assert kl_fit.forward_kl(TARGET, mu, sigma) == pytest.approx(float(fwd), abs=1e-12)
    assert kl_fit.reverse_kl(TARGET, mu, sigma) == pytest.approx(float(rev), abs=1e-12)


def test_fits_are_deterministic() -> None:
    assert kl_fit.fit_reverse(TARGET) == kl_fit.fit_reverse(TARGET)


@pytest.mark.parametrize(
    ("weights", "means", "sds", "message"),
    [
        ((0.5, 0.6), (0.0, 1.0), (1.0, 1.0), "^weights: must be positive and sum to 1"),
        ((1.0,), (0.0, 1.0), (1.0,), "^weights: weights, means and sds"),
        ((1.0,), (0.0,), (0.0,), "^sds: must be positive"),
    ],
)
def test_bad_mixtures_are_rejected(weights, means, sds, message) -> None:
    with pytest.raises(ValueError, match=message):
        kl_fit.Mixture(weights, means, sds)


def test_gaussian_logpdf() -> None:
    assert float(kl_fit.gaussian_logpdf(0.0, 0.0, 1.0)) == pytest.approx(-0.5 * np.log(2 * np.pi))
