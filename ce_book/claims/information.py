r"""Claims of chapter 1, information theory: surprisal, entropy, cross-entropy and KL.

Every check recomputes the value independently, with exact fractions and mpmath at 50
digits (``_mp_*`` below), from hand-derived closed forms, or from a seed article's
published number. The running example is the seed's pair of bins of coloured balls:
:math:`P = (2, 3, 4)/9` and :math:`Q = (4, 4, 1)/9` over (red, green, blue).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import mpmath
import numpy as np

from ce_book import info
from ce_book.claims import claim
from ce_book.reference import DIGITS, close_to, to_mpf

BINS_P = (Fraction(2, 9), Fraction(3, 9), Fraction(4, 9))
BINS_Q = (Fraction(4, 9), Fraction(4, 9), Fraction(1, 9))
UNIFORM_3 = (Fraction(1, 3),) * 3
# A code built for Q_CODE uses 1, 2 and 2 bits per symbol (for example 0, 10, 11).
P_CODE = (Fraction(1, 4), Fraction(1, 4), Fraction(1, 2))
Q_CODE = (Fraction(1, 2), Fraction(1, 4), Fraction(1, 4))
CODE_LENGTHS = (1, 2, 2)


def _array(dist: Sequence[Fraction]) -> np.ndarray:
    return np.array([float(x) for x in dist])


def _mp_log(x: Fraction | int, base: int | None) -> mpmath.mpf:
    """Reference logarithm at 50 digits; ``base=None`` is the natural log."""
    with mpmath.workdps(DIGITS):
        return mpmath.log(to_mpf(x)) if base is None else mpmath.log(to_mpf(x), base)


def _mp_cross_entropy(p: Sequence[Fraction], q: Sequence[Fraction], base: int | None) -> mpmath.mpf:
    """Reference: -sum p_i log_b q_i with exact fractions and 50-digit logarithms."""
    with mpmath.workdps(DIGITS):
        return -mpmath.fsum(
            to_mpf(pi) * _mp_log(qi, base) for pi, qi in zip(p, q, strict=True) if pi
        )


def _mp_kl(p: Sequence[Fraction], q: Sequence[Fraction], base: int | None) -> mpmath.mpf:
    with mpmath.workdps(DIGITS):
        return _mp_cross_entropy(p, q, base) - _mp_cross_entropy(p, p, base)


# --- surprisal ------------------------------------------------------------------------


@claim(
    "surprisal-one-in-hundred-bits",
    "Surprisal of an event of probability $0.01$, in bits.",
    reference="mpmath: $\\log_2 100$ at 50 digits",
    fmt="{:.4f}",
)
def surprisal_one_in_hundred_bits() -> float:
    return float(info.surprisal(0.01, base=2))


@surprisal_one_in_hundred_bits.check
def _(value: float) -> None:
    assert close_to(value, _mp_log(100, 2))


@claim(
    "surprisal-one-in-eight-bits",
    "Surprisal of an event of probability $1/8$, in bits: exactly three yes/no questions.",
    reference="hand derivation: $-\\log_2 2^{-3} = 3$",
    fmt="{:.0f}",
)
def surprisal_one_in_eight_bits() -> float:
    return float(info.surprisal(1 / 8, base=2))


@surprisal_one_in_eight_bits.check
def _(value: float) -> None:
    assert value == 3.0


# --- entropy --------------------------------------------------------------------------


@claim(
    "coin-entropy-fair-bits",
    "Entropy of a fair coin, in bits.",
    reference="hand derivation: $-2 \\cdot \\tfrac12 \\log_2 \\tfrac12 = 1$",
    fmt="{:.0f}",
)
def coin_entropy_fair_bits() -> float:
    return float(info.entropy([0.5, 0.5], base=2))


@coin_entropy_fair_bits.check
def _(value: float) -> None:
    assert value == 1.0


@claim(
    "coin-entropy-biased-bits",
    "Entropy of a coin that lands heads with probability $0.9$, in bits.",
    reference="mpmath: $-0.9\\log_2 0.9 - 0.1 \\log_2 0.1$ at 50 digits",
    fmt="{:.4f}",
)
def coin_entropy_biased_bits() -> float:
    return float(info.entropy([0.9, 0.1], base=2))


@coin_entropy_biased_bits.check
def _(value: float) -> None:
    coin = (Fraction(9, 10), Fraction(1, 10))
    assert close_to(value, _mp_cross_entropy(coin, coin, 2))


@claim(
    "die-entropy-bits",
    "Entropy of a fair eight-sided die, in bits.",
    reference="hand derivation: $\\log_2 8 = 3$",
    fmt="{:.0f}",
)
def die_entropy_bits() -> float:
    return float(info.entropy(np.full(8, 1 / 8), base=2))


@die_entropy_bits.check
def _(value: float) -> None:
    assert value == 3.0


# --- bits and nats --------------------------------------------------------------------


@claim(
    "one-nat-in-bits",
    "One nat expressed in bits, $1/\\ln 2$: the factor between the two units.",
    reference="mpmath: $1/\\ln 2$ at 50 digits",
    fmt="{:.4f}",
)
def one_nat_in_bits() -> float:
    bins_p, bins_q = _array(BINS_P), _array(BINS_Q)
    return float(info.cross_entropy(bins_p, bins_q, base=2) / info.cross_entropy(bins_p, bins_q))


@one_nat_in_bits.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, 1 / _mp_log(2, None))


# --- the bins example -----------------------------------------------------------------


@claim(
    "bins-entropy-p-bits",
    "Entropy of the bin $P = (2, 3, 4)/9$, in bits.",
    reference="exact fractions evaluated with mpmath at 50 digits",
    fmt="{:.4f}",
)
def bins_entropy_p_bits() -> float:
    return float(info.entropy(_array(BINS_P), base=2))


@bins_entropy_p_bits.check
def _(value: float) -> None:
    assert close_to(value, _mp_cross_entropy(BINS_P, BINS_P, 2))


@claim(
    "bins-cross-entropy-bits",
    "Cross-entropy $H(P, Q)$ of the bin $Q = (4, 4, 1)/9$ relative to $P = (2, 3, 4)/9$, in bits.",
    reference="exact fractions evaluated with mpmath at 50 digits",
    fmt="{:.4f}",
)
def bins_cross_entropy_bits() -> float:
    return float(info.cross_entropy(_array(BINS_P), _array(BINS_Q), base=2))


@bins_cross_entropy_bits.check
def _(value: float) -> None:
    assert close_to(value, _mp_cross_entropy(BINS_P, BINS_Q, 2))


@claim(
    "bins-cross-entropy-nats",
    "Cross-entropy $H(P, Q)$ of the bins, in nats (natural logarithm, as PyTorch reports it).",
    reference="exact fractions evaluated with mpmath at 50 digits",
    fmt="{:.4f}",
)
def bins_cross_entropy_nats() -> float:
    return float(info.cross_entropy(_array(BINS_P), _array(BINS_Q)))


@bins_cross_entropy_nats.check
def _(value: float) -> None:
    assert close_to(value, _mp_cross_entropy(BINS_P, BINS_Q, None))


@claim(
    "bins-cross-entropy-reverse-bits",
    "Cross-entropy $H(Q, P)$ of the bins with the roles swapped, in bits.",
    reference="exact fractions evaluated with mpmath at 50 digits",
    fmt="{:.4f}",
)
def bins_cross_entropy_reverse_bits() -> float:
    return float(info.cross_entropy(_array(BINS_Q), _array(BINS_P), base=2))


@bins_cross_entropy_reverse_bits.check
def _(value: float) -> None:
    assert close_to(value, _mp_cross_entropy(BINS_Q, BINS_P, 2))


@claim(
    "bins-kl-bits",
    "KL divergence $D_{\\mathrm{KL}}(P \\,\\|\\, Q)$ of the bins, in bits.",
    reference="exact fractions evaluated with mpmath at 50 digits",
    fmt="{:.4f}",
)
def bins_kl_bits() -> float:
    return float(info.kl_divergence(_array(BINS_P), _array(BINS_Q), base=2))


@bins_kl_bits.check
def _(value: float) -> None:
    assert close_to(value, _mp_kl(BINS_P, BINS_Q, 2))


@claim(
    "bins-kl-reverse-bits",
    "KL divergence $D_{\\mathrm{KL}}(Q \\,\\|\\, P)$ of the bins, in bits; it differs from "
    "$D_{\\mathrm{KL}}(P \\,\\|\\, Q)$.",
    reference="exact fractions evaluated with mpmath at 50 digits",
    fmt="{:.4f}",
)
def bins_kl_reverse_bits() -> float:
    return float(info.kl_divergence(_array(BINS_Q), _array(BINS_P), base=2))


@bins_kl_reverse_bits.check
def _(value: float) -> None:
    assert close_to(value, _mp_kl(BINS_Q, BINS_P, 2))
    assert abs(float(_mp_kl(BINS_Q, BINS_P, 2) - _mp_kl(BINS_P, BINS_Q, 2))) > 0.1


@claim(
    "bins-decomposition-gap",
    "$|H(P, Q) - H(P) - D_{\\mathrm{KL}}(P \\,\\|\\, Q)|$ for the bins in float64: zero up to "
    "rounding.",
    reference="the identity $H(p, q) = H(p) + D_{\\mathrm{KL}}(p \\,\\|\\, q)$ (derivation "
    "ce-entropy-kl); float64 rounding bound of a few ulps",
    fmt="{:.1e}",
)
def bins_decomposition_gap() -> float:
    bins_p, bins_q = _array(BINS_P), _array(BINS_Q)
    total = info.cross_entropy(bins_p, bins_q, base=2)
    return float(
        abs(total - info.entropy(bins_p, base=2) - info.kl_divergence(bins_p, bins_q, base=2))
    )


@bins_decomposition_gap.check
def _(value: float) -> None:
    assert value <= 8 * np.finfo(np.float64).eps * float(_mp_cross_entropy(BINS_P, BINS_Q, 2))


@claim(
    "bins-kl-via-uniform-bits",
    "$D_{\\mathrm{KL}}(P \\,\\|\\, U) + D_{\\mathrm{KL}}(U \\,\\|\\, Q)$ for the bins with the "
    "uniform $U = (1, 1, 1)/3$ in between, in bits: smaller than the direct "
    "$D_{\\mathrm{KL}}(P \\,\\|\\, Q)$, so KL breaks the triangle inequality.",
    reference="exact fractions evaluated with mpmath at 50 digits",
    fmt="{:.4f}",
)
def bins_kl_via_uniform_bits() -> float:
    bins_p, bins_q, uniform = _array(BINS_P), _array(BINS_Q), _array(UNIFORM_3)
    return float(
        info.kl_divergence(bins_p, uniform, base=2) + info.kl_divergence(uniform, bins_q, base=2)
    )


@bins_kl_via_uniform_bits.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        expected = _mp_kl(BINS_P, UNIFORM_3, 2) + _mp_kl(UNIFORM_3, BINS_Q, 2)
        assert close_to(value, expected)
        assert expected < _mp_kl(BINS_P, BINS_Q, 2)


# --- cross-entropy is not a distance --------------------------------------------------


@claim(
    "uniform-five-self-cross-entropy-bits",
    "Cross-entropy $H(u, u)$ of the uniform distribution on five outcomes with itself, in bits: "
    "not zero, although the two distributions are identical.",
    reference="seed article 000's published 2.3219, and $\\log_2 5$ with mpmath at 50 digits",
    fmt="{:.4f}",
)
def uniform_five_self_cross_entropy_bits() -> float:
    uniform = np.full(5, 0.2)
    return float(info.cross_entropy(uniform, uniform, base=2))


@uniform_five_self_cross_entropy_bits.check
def _(value: float) -> None:
    assert close_to(value, _mp_log(5, 2))
    assert round(value, 4) == 2.3219  # the seed's number, printed to four decimals


@claim(
    "seed-four-fifths-total",
    "Total probability of the seed's counterexample $[0.2, 0.2, 0.2, 0.2]$: not 1, so it is "
    "not a distribution.",
    reference="exact fractions: $4 \\cdot \\tfrac15 = \\tfrac45$",
    fmt="{:.1f}",
)
def seed_four_fifths_total() -> float:
    return float(np.sum(np.full(4, 0.2)))


@seed_four_fifths_total.check
def _(value: float) -> None:
    assert abs(value - float(4 * Fraction(1, 5))) < 1e-15


@claim(
    "seed-counterexample-rejected",
    "`ce_book.info.cross_entropy` rejects $[0.2, 0.2, 0.2, 0.2]$ with a `ValueError` naming `p`.",
    reference="the definition: a distribution's entries sum to 1",
    fmt=lambda value: "rejected" if value else "accepted",
)
def seed_counterexample_rejected() -> bool:
    four = np.full(4, 0.2)
    try:
        info.cross_entropy(four, four, base=2)
    except ValueError as err:
        return str(err).startswith("p:")
    return False


@seed_counterexample_rejected.check
def _(value: bool) -> None:
    assert value is True


# --- code lengths ---------------------------------------------------------------------


@claim(
    "code-cross-entropy-bits",
    "Cross-entropy $H(p, q)$ in bits for $p = (1/4, 1/4, 1/2)$ and $q = (1/2, 1/4, 1/4)$: the "
    "mean length of the code words 0, 10, 11 (built for $q$) on symbols drawn from $p$.",
    reference="hand count: $\\tfrac14 \\cdot 1 + \\tfrac14 \\cdot 2 + \\tfrac12 \\cdot 2$ bits",
    fmt="{:.2f}",
)
def code_cross_entropy_bits() -> float:
    return float(info.cross_entropy(_array(P_CODE), _array(Q_CODE), base=2))


@code_cross_entropy_bits.check
def _(value: float) -> None:
    mean_length = sum(p * n for p, n in zip(P_CODE, CODE_LENGTHS, strict=True))
    assert value == float(mean_length)


@claim(
    "code-entropy-bits",
    "Entropy $H(p)$ in bits for $p = (1/4, 1/4, 1/2)$: the mean length of the best code for "
    "$p$ (words of 2, 2 and 1 bits).",
    reference="hand count: $\\tfrac14 \\cdot 2 + \\tfrac14 \\cdot 2 + \\tfrac12 \\cdot 1$ bits",
    fmt="{:.2f}",
)
def code_entropy_bits() -> float:
    return float(info.entropy(_array(P_CODE), base=2))


@code_entropy_bits.check
def _(value: float) -> None:
    assert value == float(Fraction(1, 4) * 2 + Fraction(1, 4) * 2 + Fraction(1, 2) * 1)


@claim(
    "code-kl-bits",
    "KL divergence $D_{\\mathrm{KL}}(p \\,\\|\\, q)$ in bits for the same code example: the "
    "bits wasted per symbol by using the code built for $q$.",
    reference="hand count: difference of the two mean code lengths, $\\tfrac74 - \\tfrac32$",
    fmt="{:.2f}",
)
def code_kl_bits() -> float:
    return float(info.kl_divergence(_array(P_CODE), _array(Q_CODE), base=2))


@code_kl_bits.check
def _(value: float) -> None:
    assert value == float(Fraction(7, 4) - Fraction(3, 2))


# --- what goes wrong ------------------------------------------------------------------


@claim(
    "zero-probability-cross-entropy",
    "Cross-entropy of $q = (1, 0)$ relative to $p = (1/2, 1/2)$: infinite, because $q$ gives "
    "probability 0 to an outcome that happens.",
    reference="the definition: $-\\tfrac12 \\log 0 = +\\infty$",
    fmt=lambda value: "∞" if value == float("inf") else f"{value:.4f}",
)
def zero_probability_cross_entropy() -> float:
    return float(info.cross_entropy([0.5, 0.5], [1.0, 0.0]))


@zero_probability_cross_entropy.check
def _(value: float) -> None:
    assert value == float("inf")


@claim(
    "bins-blue-term-bits",
    "The blue term $-p_{\\text{blue}} \\log_2 q_{\\text{blue}} = \\tfrac49 \\log_2 9$ of the "
    "bins' cross-entropy, in bits.",
    reference="mpmath: $\\tfrac49 \\log_2 9$ at 50 digits",
    fmt="{:.4f}",
)
def bins_blue_term_bits() -> float:
    return float(BINS_P[2]) * float(info.surprisal(float(BINS_Q[2]), base=2))


@bins_blue_term_bits.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, to_mpf(BINS_P[2]) * _mp_log(9, 2))


GIBBS_PAIRS = 10_000


@claim(
    "gibbs-random-pairs",
    f"Out of {GIBBS_PAIRS:,} random pairs of distributions over five outcomes (Dirichlet, "
    "seed 0), how many have $H(p, q) \\ge H(p)$, that is $D_{\\mathrm{KL}}(p \\,\\|\\, q) \\ge 0$.",
    reference="Gibbs' inequality (the property every pair must satisfy); the pair closest to "
    "violating it is recomputed with mpmath at 50 digits",
    fmt="{:,}",
)
def gibbs_random_pairs() -> int:
    p, q = _gibbs_pairs()
    return int(np.sum(info.cross_entropy(p, q) >= info.entropy(p)))


def _gibbs_pairs() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.dirichlet(np.ones(5), GIBBS_PAIRS), rng.dirichlet(np.ones(5), GIBBS_PAIRS)


@gibbs_random_pairs.check
def _(value: int) -> None:
    assert value == GIBBS_PAIRS
    p, q = _gibbs_pairs()
    closest = int(np.argmin(info.kl_divergence(p, q)))
    with mpmath.workdps(DIGITS):
        exact = mpmath.fsum(
            mpmath.mpf(pi) * mpmath.log(mpmath.mpf(pi) / mpmath.mpf(qi))
            for pi, qi in zip(p[closest], q[closest], strict=True)
        )
    assert exact >= 0


@claim(
    "seed-four-fifths-formula-bits",
    "The cross-entropy formula $-\\sum_i p_i \\log_2 p_i$ applied blindly to the seed's "
    "$[0.2, 0.2, 0.2, 0.2]$, in bits: not the value the seed quotes.",
    reference="hand derivation: $4 \\cdot \\tfrac15 \\log_2 5 = \\tfrac45 \\log_2 5$, with mpmath "
    "at 50 digits; the seed's published 2.3219",
    fmt="{:.4f}",
)
def seed_four_fifths_formula_bits() -> float:
    four = np.full(4, 0.2)
    return float(-np.sum(four * np.log2(four)))


@seed_four_fifths_formula_bits.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, to_mpf(Fraction(4, 5)) * _mp_log(5, 2))
    assert round(value, 4) != 2.3219
