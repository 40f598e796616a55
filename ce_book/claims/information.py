r"""Claims of chapter 1, information theory: surprisal, entropy, cross-entropy and KL.

Every check recomputes the value independently, with exact fractions and mpmath at 50
digits (``_mp_*`` below), from hand-derived closed forms, or from a source's published
number. The running example is the pair of bins of coloured balls from the notes
"Understanding Cross Entropy":
:math:`P = (2, 3, 4)/9` and :math:`Q = (4, 4, 1)/9` over (red, green, blue).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import mpmath
import numpy as np

from ce_book import info, kl_fit
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
    "One nat expressed in bits, $1/\\log 2$: the factor between the two units.",
    reference="mpmath: $1/\\log 2$ at 50 digits",
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
    reference="mpmath: $\\log_2 5$ at 50 digits",
    fmt="{:.4f}",
)
def uniform_five_self_cross_entropy_bits() -> float:
    uniform = np.full(5, 0.2)
    return float(info.cross_entropy(uniform, uniform, base=2))


@uniform_five_self_cross_entropy_bits.check
def _(value: float) -> None:
    assert close_to(value, _mp_log(5, 2))


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
    fmt="{:g}",
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


# --- Shannon codes: lengths rounded up --------------------------------------------------------

# Huffman's code for Q = (4, 4, 1)/9: words 0, 10, 11 (lengths 1, 2, 2).
BINS_Q_BEST_LENGTHS = (1, 2, 2)


def _shannon_lengths(q: Sequence[Fraction]) -> list[int]:
    """Code-word lengths of a Shannon code for ``q``: each surprisal rounded up, in bits."""
    return [int(np.ceil(info.surprisal(float(qi), base=2))) for qi in q]


def _exact_ceil_log2_inverse(qi: Fraction) -> int:
    """The least whole n with 2^-n <= q_i, by exact integer arithmetic."""
    n = 0
    while Fraction(1, 2**n) > qi:
        n += 1
    return n


@claim(
    "bins-shannon-lengths",
    "Code-word lengths in bits of a Shannon code for the bin $Q = (4, 4, 1)/9$: each surprisal "
    "$-\\log_2 q_k$ rounded up to a whole number.",
    reference="exact integer arithmetic: the least $n$ with $2^{-n} \\le q_k$",
    fmt=lambda value: ", ".join(str(v) for v in value),
)
def bins_shannon_lengths() -> list[int]:
    return _shannon_lengths(BINS_Q)


@bins_shannon_lengths.check
def _(value: list[int]) -> None:
    assert value == [_exact_ceil_log2_inverse(qi) for qi in BINS_Q] == [2, 2, 4]


@claim(
    "bins-shannon-mean-length-bits",
    "Mean length in bits of the Shannon code for $Q$ on symbols drawn from $P$: between "
    "$H(P, Q)$ and $H(P, Q) + 1$.",
    reference="exact fractions: $\\tfrac29 \\cdot 2 + \\tfrac39 \\cdot 2 + \\tfrac49 \\cdot 4 = "
    "\\tfrac{26}{9}$; the bounds with mpmath at 50 digits",
    fmt="{:.4f}",
)
def bins_shannon_mean_length_bits() -> float:
    return float(np.dot(_array(BINS_P), _shannon_lengths(BINS_Q)))


@bins_shannon_mean_length_bits.check
def _(value: float) -> None:
    assert abs(value - float(Fraction(26, 9))) < 1e-15
    h = _mp_cross_entropy(BINS_P, BINS_Q, 2)
    assert h <= value < h + 1


@claim(
    "bins-shannon-own-mean-length-bits",
    "Mean length in bits of the Shannon code for $Q$ on symbols drawn from $Q$ itself.",
    reference="exact fractions: $\\tfrac49 \\cdot 2 + \\tfrac49 \\cdot 2 + \\tfrac19 \\cdot 4 = "
    "\\tfrac{20}{9}$",
    fmt="{:.4f}",
)
def bins_shannon_own_mean_length_bits() -> float:
    return float(np.dot(_array(BINS_Q), _shannon_lengths(BINS_Q)))


@bins_shannon_own_mean_length_bits.check
def _(value: float) -> None:
    assert abs(value - float(Fraction(20, 9))) < 1e-15


@claim(
    "bins-best-code-mean-length-bits",
    "Mean length in bits of the code 0, 10, 11 (Huffman's code for $Q$) on symbols drawn from "
    "$Q$: shorter than the Shannon code's.",
    reference="exact fractions: $\\tfrac49 \\cdot 1 + \\tfrac49 \\cdot 2 + \\tfrac19 \\cdot 2 = "
    "\\tfrac{14}{9}$; Kraft's sum of 0, 10, 11 is exactly 1",
    fmt="{:.4f}",
)
def bins_best_code_mean_length_bits() -> float:
    return float(np.dot(_array(BINS_Q), BINS_Q_BEST_LENGTHS))


@bins_best_code_mean_length_bits.check
def _(value: float) -> None:
    assert abs(value - float(Fraction(14, 9))) < 1e-15
    assert sum(Fraction(1, 2**n) for n in BINS_Q_BEST_LENGTHS) == 1  # a complete prefix code
    assert value < bins_shannon_own_mean_length_bits()


@claim(
    "bins-best-code-on-p-mean-length-bits",
    "Mean length in bits of the code 0, 10, 11 (a Huffman code for $Q$ that gives red the "
    "one-bit word) on symbols drawn from $P$: "
    "below the cross-entropy $H(P, Q)$, though never below the entropy $H(P)$.",
    reference="exact fractions: $\\tfrac29 \\cdot 1 + \\tfrac39 \\cdot 2 + \\tfrac49 \\cdot 2 = "
    "\\tfrac{16}{9}$; the bounds with mpmath at 50 digits",
    fmt="{:.4f}",
)
def bins_best_code_on_p_mean_length_bits() -> float:
    return float(np.dot(_array(BINS_P), BINS_Q_BEST_LENGTHS))


@bins_best_code_on_p_mean_length_bits.check
def _(value: float) -> None:
    assert abs(value - float(Fraction(16, 9))) < 1e-15
    assert _mp_cross_entropy(BINS_P, BINS_P, 2) < value < _mp_cross_entropy(BINS_P, BINS_Q, 2)


@claim(
    "bins-other-huffman-on-p-mean-length-bits",
    "Mean length in bits, on symbols drawn from $P$, of a Huffman code for $Q$ that gives green "
    "the one-bit word (lengths 2, 1, 2; red and green tie under $Q$).",
    reference="exact fractions: $\\tfrac29 \\cdot 2 + \\tfrac39 \\cdot 1 + \\tfrac49 \\cdot 2 = "
    "\\tfrac{15}{9}$; above $H(P)$ with mpmath at 50 digits",
    fmt="{:.4f}",
)
def bins_other_huffman_on_p_mean_length_bits() -> float:
    return float(np.dot(_array(BINS_P), (2, 1, 2)))


@bins_other_huffman_on_p_mean_length_bits.check
def _(value: float) -> None:
    assert abs(value - float(Fraction(15, 9))) < 1e-15
    assert _mp_cross_entropy(BINS_P, BINS_P, 2) < value


@claim(
    "bins-entropy-q-bits",
    "Entropy of the bin $Q = (4, 4, 1)/9$, in bits: no code for $Q$ can do better on average.",
    reference="exact fractions evaluated with mpmath at 50 digits",
    fmt="{:.4f}",
)
def bins_entropy_q_bits() -> float:
    return float(info.entropy(_array(BINS_Q), base=2))


@bins_entropy_q_bits.check
def _(value: float) -> None:
    assert close_to(value, _mp_cross_entropy(BINS_Q, BINS_Q, 2))


# --- mutual information: what a feature tells about the label --------------------------------

# Rows: the e-mail contains the word "free" (x = 1) or not (x = 0); columns: spam, not spam.
SPAM_JOINT = ((Fraction(30, 100), Fraction(5, 100)), (Fraction(10, 100), Fraction(55, 100)))


def _mp_entropy(dist: Sequence[Fraction]) -> mpmath.mpf:
    return _mp_cross_entropy(dist, dist, 2)


def _spam_label() -> tuple[Fraction, Fraction]:
    return tuple(sum(row[y] for row in SPAM_JOINT) for y in (0, 1))


def _mp_conditional_entropy() -> mpmath.mpf:
    """H(Y | X) in bits: the entropy of each row's conditional, weighted by the row's mass."""
    with mpmath.workdps(DIGITS):
        return mpmath.fsum(
            to_mpf(sum(row)) * _mp_entropy([v / sum(row) for v in row]) for row in SPAM_JOINT
        )


@claim(
    "spam-label-entropy-bits",
    "Entropy of the label (spam or not, 40 % spam) in bits: the best mean cross-entropy of a "
    "classifier that sees no feature, which can only predict the base rate.",
    reference="exact fractions evaluated with mpmath at 50 digits",
    fmt="{:.3f}",
)
def spam_label_entropy_bits() -> float:
    joint = np.array(SPAM_JOINT, dtype=float)
    base_rate = joint.sum(axis=0)
    return float(info.cross_entropy(base_rate, base_rate, base=2))


@spam_label_entropy_bits.check
def _(value: float) -> None:
    assert close_to(value, _mp_entropy(_spam_label()))


@claim(
    "spam-conditional-entropy-bits",
    "Mean cross-entropy in bits of the best classifier that sees whether an e-mail contains "
    '"free": it predicts $p(y \\mid x)$, and its mean loss is the conditional entropy '
    "$H(Y \\mid X)$.",
    reference="exact fractions evaluated with mpmath at 50 digits: $\\sum_x p(x) H(Y \\mid X = x)$",
    fmt="{:.3f}",
)
def spam_conditional_entropy_bits() -> float:
    joint = np.array(SPAM_JOINT, dtype=float)
    p_x = joint.sum(axis=1)
    best = joint / p_x[:, None]  # the classifier's prediction for each x: p(y | x)
    return float(np.dot(p_x, info.cross_entropy(best, best, base=2)))


@spam_conditional_entropy_bits.check
def _(value: float) -> None:
    assert close_to(value, _mp_conditional_entropy())


@claim(
    "spam-feature-entropy-bits",
    'Entropy in bits of the feature ("free" in 35 % of the e-mails).',
    reference="mpmath at 50 digits: $H(0.35, 0.65)$ from exact fractions",
    fmt="{:.3f}",
)
def spam_feature_entropy_bits() -> float:
    return float(info.entropy(np.array(SPAM_JOINT, dtype=float).sum(axis=1), base=2))


@spam_feature_entropy_bits.check
def _(value: float) -> None:
    assert close_to(value, _mp_entropy([sum(row) for row in SPAM_JOINT]))


@claim(
    "spam-joint-entropy-bits",
    "Entropy in bits of the pair (feature, label) in the spam table: by the chain rule, the "
    "feature's entropy plus the conditional entropy of the label.",
    reference="mpmath at 50 digits: the entropy of the four cells from exact fractions; and "
    "the chain rule $H(X) + H(Y \\mid X)$ computed separately",
    fmt="{:.3f}",
)
def spam_joint_entropy_bits() -> float:
    return float(info.entropy(np.array(SPAM_JOINT, dtype=float).ravel(), base=2))


@spam_joint_entropy_bits.check
def _(value: float) -> None:
    cells = [c for row in SPAM_JOINT for c in row]
    assert close_to(value, _mp_entropy(cells))
    with mpmath.workdps(DIGITS):
        chain = _mp_entropy([sum(row) for row in SPAM_JOINT]) + _mp_conditional_entropy()
    assert close_to(value, chain)


@claim(
    "spam-mutual-information-bits",
    'Mutual information in bits between the feature ("free" in the e-mail) and the label '
    "(spam): how much the feature lowers the best achievable mean cross-entropy.",
    reference="mpmath at 50 digits: $H(Y) - H(Y \\mid X)$ from exact fractions (a different "
    "formula from the code's $D_{\\mathrm{KL}}(p(x, y) \\,\\|\\, p(x) p(y))$)",
    fmt="{:.3f}",
)
def spam_mutual_information_bits() -> float:
    return float(info.mutual_information(np.array(SPAM_JOINT, dtype=float), base=2))


@spam_mutual_information_bits.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, _mp_entropy(_spam_label()) - _mp_conditional_entropy())


# --- forward and reverse KL: one Gaussian fitted to two peaks ---------------------------------

TARGET = kl_fit.Mixture((0.6, 0.4), (-2.0, 2.0), (0.7, 0.7))


def _mp_logpdf_target(x: mpmath.mpf) -> mpmath.mpf:
    return mpmath.log(
        mpmath.fsum(
            to_mpf(w) * mpmath.npdf(x, to_mpf(m), to_mpf(s))
            for w, m, s in zip(TARGET.weights, TARGET.means, TARGET.sds, strict=True)
        )
    )


def _mp_gauss_kl(direction: str, mu: float, sigma: float) -> mpmath.mpf:
    """D(p || q) ('forward') or D(q || p) ('reverse') by mpmath quadrature, at 30 digits."""
    with mpmath.workdps(30):
        m, s = to_mpf(mu), to_mpf(sigma)

        def log_q(x):
            return mpmath.log(mpmath.npdf(x, m, s))

        if direction == "forward":

            def f(x):
                return mpmath.exp(_mp_logpdf_target(x)) * (_mp_logpdf_target(x) - log_q(x))
        else:

            def f(x):
                return mpmath.npdf(x, m, s) * (log_q(x) - _mp_logpdf_target(x))

        cuts = sorted({-12.0, -2.0, 2.0, 12.0, mu - 10 * sigma, mu, mu + 10 * sigma})
        return mpmath.quad(f, [to_mpf(c) for c in cuts])


@claim(
    "kl-fit-target-moments",
    "Mean and standard deviation of the two-peaked target $p = 0.6\\,\\mathcal{N}(-2, 0.7^2) "
    "+ 0.4\\,\\mathcal{N}(2, 0.7^2)$; the Gaussian that minimises the forward divergence "
    "$D_{\\mathrm{KL}}(p \\,\\|\\, q)$ has exactly these (derivation "
    "gaussian-cross-entropy-gradient).",
    reference="mpmath quadrature of $\\int x\\, p(x)\\, dx$ and $\\int (x - m)^2 p(x)\\, dx$",
    fmt=lambda value: f"{value[0]:.1f} and {value[1]:.2f}".replace("-", "−"),
)
def kl_fit_target_moments() -> tuple[float, float]:
    return kl_fit.fit_forward(TARGET)


@kl_fit_target_moments.check
def _(value: tuple[float, float]) -> None:
    with mpmath.workdps(30):
        density = lambda x: mpmath.exp(_mp_logpdf_target(x))  # noqa: E731
        mean = mpmath.quad(lambda x: x * density(x), [-20, -2, 2, 20])
        var = mpmath.quad(lambda x: (x - mean) ** 2 * density(x), [-20, -2, 2, 20])
        sd = mpmath.sqrt(var)
    assert abs(value[0] - float(mean)) < 1e-12
    assert abs(value[1] - float(sd)) < 1e-12


@claim(
    "kl-fit-reverse-params",
    "Mean and standard deviation of the Gaussian that minimises the reverse divergence "
    "$D_{\\mathrm{KL}}(q \\,\\|\\, p)$ for the same two-peaked target: it sits on the taller "
    "peak.",
    reference="mpmath quadrature at 30 digits: the slopes of $D_{\\mathrm{KL}}(q \\,\\|\\, p)$ "
    "in $\\mu$ and $\\sigma$ vanish there (central differences), and its value is below that "
    "of the local minimum on the other peak",
    fmt=lambda value: f"{value[0]:.2f} and {value[1]:.2f}".replace("-", "−"),
)
def kl_fit_reverse_params() -> tuple[float, float]:
    return kl_fit.fit_reverse(TARGET)


@kl_fit_reverse_params.check
def _(value: tuple[float, float]) -> None:
    mu, sigma = value
    h = 1e-4
    with mpmath.workdps(30):
        d_mu = (_mp_gauss_kl("reverse", mu + h, sigma) - _mp_gauss_kl("reverse", mu - h, sigma)) / (
            2 * h
        )
        d_sigma = (
            _mp_gauss_kl("reverse", mu, sigma + h) - _mp_gauss_kl("reverse", mu, sigma - h)
        ) / (2 * h)
        # the other local minimum, on the peak at 2 (found by the same descent started there)
        other = _mp_gauss_kl("reverse", 1.9759705, 0.7331421)
        here = _mp_gauss_kl("reverse", mu, sigma)
    assert abs(d_mu) < 1e-6 and abs(d_sigma) < 1e-6
    assert -2.1 < mu < -1.9  # on the taller peak, at -2
    assert here < other


@claim(
    "kl-fit-forward-scores",
    "The forward fit scored both ways, in nats: $D_{\\mathrm{KL}}(p \\,\\|\\, q)$ (the "
    "divergence it minimises) and $D_{\\mathrm{KL}}(q \\,\\|\\, p)$.",
    reference="mpmath quadrature at 30 digits",
    fmt=lambda value: f"{value[0]:.2f} and {value[1]:.2f}",
)
def kl_fit_forward_scores() -> tuple[float, float]:
    mu, sigma = kl_fit.fit_forward(TARGET)
    return kl_fit.forward_kl(TARGET, mu, sigma), kl_fit.reverse_kl(TARGET, mu, sigma)


@kl_fit_forward_scores.check
def _(value: tuple[float, float]) -> None:
    mu, sigma = kl_fit.fit_forward(TARGET)
    assert abs(value[0] - float(_mp_gauss_kl("forward", mu, sigma))) < 1e-9
    assert abs(value[1] - float(_mp_gauss_kl("reverse", mu, sigma))) < 1e-9


@claim(
    "kl-fit-reverse-scores",
    "The reverse fit scored both ways, in nats: $D_{\\mathrm{KL}}(p \\,\\|\\, q)$ and "
    "$D_{\\mathrm{KL}}(q \\,\\|\\, p)$ (the divergence it minimises).",
    reference="mpmath quadrature at 30 digits",
    fmt=lambda value: f"{value[0]:.2f} and {value[1]:.2f}",
)
def kl_fit_reverse_scores() -> tuple[float, float]:
    mu, sigma = kl_fit.fit_reverse(TARGET)
    return kl_fit.forward_kl(TARGET, mu, sigma), kl_fit.reverse_kl(TARGET, mu, sigma)


@kl_fit_reverse_scores.check
def _(value: tuple[float, float]) -> None:
    mu, sigma = kl_fit.fit_reverse(TARGET)
    assert abs(value[0] - float(_mp_gauss_kl("forward", mu, sigma))) < 1e-9
    assert abs(value[1] - float(_mp_gauss_kl("reverse", mu, sigma))) < 1e-9
    forward_fit = kl_fit.fit_forward(TARGET)
    # each fit wins in its own direction
    assert value[1] < float(_mp_gauss_kl("reverse", *forward_fit))
    assert value[0] > float(_mp_gauss_kl("forward", *forward_fit))


# --- PyTorch's kl_div: the arguments are (log q, p) -------------------------------------------


def _torch_kl_div(log_input: np.ndarray, target: np.ndarray, reduction: str) -> float:
    import warnings

    import torch
    import torch.nn.functional as F

    with warnings.catch_warnings():
        # reduction="mean" warns that it divides by the number of entries: that is the point
        warnings.simplefilter("ignore", UserWarning)
        return F.kl_div(
            torch.tensor(log_input[None, :], dtype=torch.float64),
            torch.tensor(target[None, :], dtype=torch.float64),
            reduction=reduction,
        ).item()


@claim(
    "torch-kl-div-bins-nats",
    "$D_{\\mathrm{KL}}(P \\,\\|\\, Q)$ of the bins in nats, which is what "
    '`F.kl_div(Q.log(), P, reduction="batchmean")` returns for a batch of one row.',
    reference="PyTorch 2.13.0: `torch.nn.functional.kl_div` in float64; and exact fractions "
    "with mpmath at 50 digits",
    fmt="{:.4f}",
    needs=("torch",),
)
def torch_kl_div_bins_nats() -> float:
    return float(info.kl_divergence(_array(BINS_P), _array(BINS_Q)))


@torch_kl_div_bins_nats.check
def _(value: float) -> None:
    assert close_to(value, _mp_kl(BINS_P, BINS_Q, None))
    torch_value = _torch_kl_div(np.log(_array(BINS_Q)), _array(BINS_P), "batchmean")
    assert abs(value - torch_value) <= 4e-16


@claim(
    "torch-kl-div-swapped-nats",
    'What `F.kl_div(P.log(), Q, reduction="batchmean")` returns, with the arguments in the '
    "order of $D_{\\mathrm{KL}}(P \\,\\|\\, Q)$: the reverse divergence "
    "$D_{\\mathrm{KL}}(Q \\,\\|\\, P)$, in nats.",
    reference="PyTorch 2.13.0 in float64; and exact fractions with mpmath at 50 digits",
    fmt="{:.4f}",
    needs=("torch",),
)
def torch_kl_div_swapped_nats() -> float:
    return float(info.kl_divergence(_array(BINS_Q), _array(BINS_P)))


@torch_kl_div_swapped_nats.check
def _(value: float) -> None:
    assert close_to(value, _mp_kl(BINS_Q, BINS_P, None))
    torch_value = _torch_kl_div(np.log(_array(BINS_P)), _array(BINS_Q), "batchmean")
    assert abs(value - torch_value) <= 4e-16


@claim(
    "torch-kl-div-mean-nats",
    'What `F.kl_div(Q.log(), P)` returns with its default `reduction="mean"`: the '
    "divergence divided by the number of entries (3), not by the number of rows (1).",
    reference="PyTorch 2.13.0 in float64; and $D_{\\mathrm{KL}}(P \\,\\|\\, Q)/3$ from exact "
    "fractions with mpmath at 50 digits",
    fmt="{:.4f}",
    needs=("torch",),
)
def torch_kl_div_mean_nats() -> float:
    return float(info.kl_divergence(_array(BINS_P), _array(BINS_Q))) / len(BINS_P)


@torch_kl_div_mean_nats.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        assert close_to(value, _mp_kl(BINS_P, BINS_Q, None) / 3)
    torch_value = _torch_kl_div(np.log(_array(BINS_Q)), _array(BINS_P), "mean")
    assert abs(value - torch_value) <= 4e-16


# --- codes: the tie under Q, and Kraft's sum ---------------------------------------------------


@claim(
    "bins-tied-code-on-p-mean-length-bits",
    "Mean length in bits, on symbols drawn from $P$, of the other optimal code for $Q$: red and "
    "green tie under $Q$, and giving green the one-bit word (lengths 2, 1, 2) suits $P$ better.",
    reference="exact fractions: $\\tfrac29 \\cdot 2 + \\tfrac39 \\cdot 1 + \\tfrac49 \\cdot 2 = "
    "\\tfrac{15}{9}$; on $Q$ it costs the same $\\tfrac{14}{9}$ as 0, 10, 11",
    fmt="{:.4f}",
)
def bins_tied_code_on_p_mean_length_bits() -> float:
    return float(np.dot(_array(BINS_P), (2, 1, 2)))


@bins_tied_code_on_p_mean_length_bits.check
def _(value: float) -> None:
    assert abs(value - float(Fraction(15, 9))) < 1e-15
    on_q = [
        sum(q * n for q, n in zip(BINS_Q, lengths, strict=True))
        for lengths in ((1, 2, 2), (2, 1, 2))
    ]
    assert on_q[0] == on_q[1] == Fraction(14, 9)


@claim(
    "bins-shannon-kraft-sum",
    "Kraft's sum $\\sum_k 2^{-l_k}$ of the Shannon code for $Q$ (lengths 2, 2 and 4): at most 1, "
    "so a prefix code with these lengths exists.",
    reference="exact fractions: $\\tfrac14 + \\tfrac14 + \\tfrac1{16} = \\tfrac9{16}$",
    fmt="{:.4f}",
)
def bins_shannon_kraft_sum() -> float:
    return float(np.sum(2.0 ** -np.array(_shannon_lengths(BINS_Q))))


@bins_shannon_kraft_sum.check
def _(value: float) -> None:
    assert value == float(Fraction(9, 16))


# A complete code with lengths l_k is the ideal code for r_k = 2^(-l_k): the two Huffman codes.
HUFFMAN_IMPLIED = (
    (Fraction(1, 2), Fraction(1, 4), Fraction(1, 4)),  # 0, 10, 11: red gets the short word
    (Fraction(1, 4), Fraction(1, 2), Fraction(1, 4)),  # 10, 0, 11: green gets it
)


@claim(
    "bins-huffman-implied-kl-bits",
    "KL divergence in bits, from $P$, of the distributions $2^{-l_k}$ that the two Huffman codes "
    "for $Q$ are ideal for: $(1/2, 1/4, 1/4)$ (red gets the one-bit word), then "
    "$(1/4, 1/2, 1/4)$ (green gets it). Both are closer to $P$ than $Q$ is.",
    reference="exact fractions with mpmath at 50 digits; each equals the code's mean length on "
    "$P$ ($\\tfrac{16}{9}$, $\\tfrac{15}{9}$) minus $H_2(P)$ (derivation "
    "prefix-code-entropy-floor with Kraft's sum 1)",
    fmt=lambda value: f"{value[0]:.4f} and {value[1]:.4f}",
)
def bins_huffman_implied_kl_bits() -> tuple[float, float]:
    p = _array(BINS_P)
    return tuple(float(info.kl_divergence(p, _array(r), base=2)) for r in HUFFMAN_IMPLIED)


@bins_huffman_implied_kl_bits.check
def _(value: tuple[float, float]) -> None:
    with mpmath.workdps(DIGITS):
        h_p = _mp_cross_entropy(BINS_P, BINS_P, 2)
        excess = [to_mpf(n) - h_p for n in (Fraction(16, 9), Fraction(15, 9))]
    for got, r, over in zip(value, HUFFMAN_IMPLIED, excess, strict=True):
        assert close_to(got, _mp_kl(BINS_P, r, 2))
        assert close_to(got, over)
        assert got < _mp_kl(BINS_P, BINS_Q, 2)


# Four balls drawn from P, scored by a model that believes Q for every ball.
SAMPLE = ("red", "blue", "green", "blue")
COLOURS = ("red", "green", "blue")


@claim(
    "bins-q-surprisals-bits",
    "Surprisal in bits under $Q = (4, 4, 1)/9$ of a red or green ball, then of a blue one.",
    reference="mpmath at 50 digits: $\\log_2 \\tfrac94$ and $\\log_2 9$",
    fmt=lambda value: f"{value[0]:.4f} and {value[1]:.4f}",
)
def bins_q_surprisals_bits() -> tuple[float, float]:
    return float(info.surprisal(4 / 9, base=2)), float(info.surprisal(1 / 9, base=2))


@bins_q_surprisals_bits.check
def _(value: tuple[float, float]) -> None:
    assert close_to(value[0], _mp_log(Fraction(9, 4), 2))
    assert close_to(value[1], _mp_log(9, 2))


@claim(
    "bins-sample-mean-loss-bits",
    "Mean loss in bits of the model $Q$ on the four balls red, blue, green, blue: the "
    "cross-entropy $H(\\hat p, Q)$ from their label frequencies $\\hat p = (1/4, 1/4, 1/2)$, "
    "not $H(P, Q)$.",
    reference="exact fractions with mpmath at 50 digits: the cross-entropy of the counted "
    "frequencies, and $\\log_2 9 - 1$ by hand",
    fmt="{:.4f}",
)
def bins_sample_mean_loss_bits() -> float:
    q = dict(zip(COLOURS, _array(BINS_Q), strict=True))
    return float(np.mean([info.surprisal(q[ball], base=2) for ball in SAMPLE]))


@bins_sample_mean_loss_bits.check
def _(value: float) -> None:
    p_hat = tuple(Fraction(SAMPLE.count(c), len(SAMPLE)) for c in COLOURS)
    assert p_hat == (Fraction(1, 4), Fraction(1, 4), Fraction(1, 2))
    assert close_to(value, _mp_cross_entropy(p_hat, BINS_Q, 2))
    with mpmath.workdps(DIGITS):
        by_hand = _mp_log(9, 2) - 1
    assert close_to(value, by_hand)


# --- the exercises ----------------------------------------------------------------------------


@claim(
    "uniform-ten-class-loss-nats",
    "Cross-entropy in nats of a ten-class model that outputs the uniform distribution, for any "
    "true distribution: $\\log 10$, roughly the first loss of a freshly initialised classifier "
    "whose logits start close to equal.",
    reference="mpmath: $\\log 10$ at 50 digits (derivation uniform-model-cross-entropy)",
    fmt="{:.4f}",
)
def uniform_ten_class_loss_nats() -> float:
    truth = np.array([0.5, 0.2, 0.1, 0.1, 0.05, 0.05, 0.0, 0.0, 0.0, 0.0])
    return float(info.cross_entropy(truth, np.full(10, 0.1)))


@uniform_ten_class_loss_nats.check
def _(value: float) -> None:
    assert close_to(value, _mp_log(10, None))


@claim(
    "uniform-two-class-loss-nats",
    "Cross-entropy in nats of a two-class model that outputs $(1/2, 1/2)$, for any labels: "
    "$\\log 2$.",
    reference="mpmath: $\\log 2$ at 50 digits (derivation uniform-model-cross-entropy)",
    fmt="{:.3f}",
)
def uniform_two_class_loss_nats() -> float:
    return float(info.cross_entropy([0.95, 0.05], [0.5, 0.5]))


@uniform_two_class_loss_nats.check
def _(value: float) -> None:
    assert close_to(value, _mp_log(2, None))


@claim(
    "imbalanced-base-rate-loss-nats",
    "Mean cross-entropy in nats of a two-class model that ignores the input and predicts the "
    "base rates $(0.95, 0.05)$ on data with 95 % of one class: the entropy of the labels.",
    reference="mpmath: $-0.95 \\log 0.95 - 0.05 \\log 0.05$ at 50 digits",
    fmt="{:.3f}",
)
def imbalanced_base_rate_loss_nats() -> float:
    return float(info.cross_entropy([0.95, 0.05], [0.95, 0.05]))


@imbalanced_base_rate_loss_nats.check
def _(value: float) -> None:
    p = (Fraction(95, 100), Fraction(5, 100))
    assert close_to(value, _mp_cross_entropy(p, p, None))


@claim(
    "certain-vs-fair-kl-bits",
    "KL divergence $D_{\\mathrm{KL}}(q \\,\\|\\, p)$ in bits of the fair coin $p = (1/2, 1/2)$ "
    "from the certain $q = (1, 0)$: finite, although the other direction is infinite.",
    reference="hand derivation: $1 \\cdot \\log_2 \\frac{1}{1/2} = 1$",
    fmt="{:.0f}",
)
def certain_vs_fair_kl_bits() -> float:
    return float(info.kl_divergence([1.0, 0.0], [0.5, 0.5], base=2))


@certain_vs_fair_kl_bits.check
def _(value: float) -> None:
    assert abs(value - 1.0) < 1e-15


@claim(
    "fair-vs-certain-kl",
    "KL divergence $D_{\\mathrm{KL}}(p \\,\\|\\, q)$ of the certain $q = (1, 0)$ from the fair "
    "coin $p = (1/2, 1/2)$: infinite, because $q$ rules out an outcome that $p$ produces.",
    reference="the definition: the term $\\tfrac12 \\log \\frac{1/2}{0} = +\\infty$",
    fmt=lambda value: "∞" if value == float("inf") else f"{value:.4f}",
)
def fair_vs_certain_kl() -> float:
    return float(info.kl_divergence([0.5, 0.5], [1.0, 0.0]))


@fair_vs_certain_kl.check
def _(value: float) -> None:
    assert value == float("inf")


SMOOTHED = (Fraction(9, 10), Fraction(1, 20), Fraction(1, 20))


@claim(
    "smoothed-target-entropy-nats",
    "Entropy in nats of the smoothed target $t = (0.9, 0.05, 0.05)$: the least cross-entropy "
    "any model can reach on it, reached only at $q = t$.",
    reference="mpmath: $-0.9 \\log 0.9 - 0.1 \\log 0.05$ at 50 digits",
    fmt="{:.4f}",
)
def smoothed_target_entropy_nats() -> float:
    return float(info.entropy(_array(SMOOTHED)))


@smoothed_target_entropy_nats.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        expected = -to_mpf(Fraction(9, 10)) * _mp_log(Fraction(9, 10), None) - to_mpf(
            Fraction(1, 10)
        ) * _mp_log(Fraction(1, 20), None)
    assert close_to(value, expected)


BERNOULLI_A = (Fraction(1, 2), Fraction(1, 2))
BERNOULLI_B = (Fraction(3, 10), Fraction(7, 10))
BERNOULLI_C = (Fraction(1, 10), Fraction(9, 10))


@claim(
    "bernoulli-kl-triangle-nats",
    "For the coins $a = (0.5, 0.5)$, $b = (0.3, 0.7)$ and $c = (0.1, 0.9)$, in nats: the direct "
    "$D_{\\mathrm{KL}}(a \\,\\|\\, c)$, then the detour "
    "$D_{\\mathrm{KL}}(a \\,\\|\\, b) + D_{\\mathrm{KL}}(b \\,\\|\\, c)$, which is shorter.",
    reference="exact fractions evaluated with mpmath at 50 digits",
    fmt=lambda value: f"{value[0]:.4f} and {value[1]:.4f}",
)
def bernoulli_kl_triangle_nats() -> tuple[float, float]:
    a, b, c = (_array(d) for d in (BERNOULLI_A, BERNOULLI_B, BERNOULLI_C))
    direct = float(info.kl_divergence(a, c))
    return direct, float(info.kl_divergence(a, b) + info.kl_divergence(b, c))


@bernoulli_kl_triangle_nats.check
def _(value: tuple[float, float]) -> None:
    a, b, c = BERNOULLI_A, BERNOULLI_B, BERNOULLI_C
    with mpmath.workdps(DIGITS):
        direct = _mp_kl(a, c, None)
        detour = _mp_kl(a, b, None) + _mp_kl(b, c, None)
    assert close_to(value[0], direct)
    assert close_to(value[1], detour)
    assert detour < direct


@claim(
    "bernoulli-kl-quadratic-nats",
    "For the coins $a = (0.5, 0.5)$ and $b = (0.3, 0.7)$, in nats: the quadratic estimate "
    "$\\tfrac12 \\sum_k \\delta_k^2 / a_k$ of $D_{\\mathrm{KL}}(a \\,\\|\\, b)$, with "
    "$\\delta = b - a$ (derivation kl-quadratic), then the exact divergence.",
    reference="hand derivation: $\\tfrac12 (0.04 / 0.5 + 0.04 / 0.5) = 0.08$; the exact value "
    "from exact fractions with mpmath at 50 digits",
    fmt=lambda value: f"{value[0]:.4f} and {value[1]:.4f}",
)
def bernoulli_kl_quadratic_nats() -> tuple[float, float]:
    a, b = (_array(d) for d in (BERNOULLI_A, BERNOULLI_B))
    quadratic = 0.5 * float(np.sum((b - a) ** 2 / a))
    return quadratic, float(info.kl_divergence(a, b))


@bernoulli_kl_quadratic_nats.check
def _(value: tuple[float, float]) -> None:
    assert abs(value[0] - float(Fraction(2, 25))) < 1e-15
    assert close_to(value[1], _mp_kl(BERNOULLI_A, BERNOULLI_B, None))
    assert value[0] < value[1]


EXERCISE_TARGET = kl_fit.Mixture((0.5, 0.5), (-1.0, 3.0), (0.5, 0.5))


@claim(
    "kl-fit-exercise-moments",
    "Mean and standard deviation of the Gaussian that minimises the forward divergence to "
    "$0.5\\,\\mathcal{N}(-1, 0.5^2) + 0.5\\,\\mathcal{N}(3, 0.5^2)$: the mixture's own.",
    reference="exact fractions: mean $\\tfrac12(-1) + \\tfrac12 \\cdot 3 = 1$, variance "
    "$0.25 + \\tfrac12(1 + 9) - 1 = \\tfrac{17}{4}$",
    fmt=lambda value: f"{value[0]:.0f} and {value[1]:.2f}",
)
def kl_fit_exercise_moments() -> tuple[float, float]:
    return kl_fit.fit_forward(EXERCISE_TARGET)


@kl_fit_exercise_moments.check
def _(value: tuple[float, float]) -> None:
    assert abs(value[0] - 1.0) < 1e-15
    with mpmath.workdps(DIGITS):
        assert close_to(value[1], mpmath.sqrt(to_mpf(Fraction(17, 4))))


# The exercise's table: rows "free" in the e-mail or not; columns spam, not spam.
SPAM_JOINT_2 = ((Fraction(20, 100), Fraction(10, 100)), (Fraction(20, 100), Fraction(50, 100)))


@claim(
    "spam-exercise-mutual-information-bits",
    'Mutual information in bits of the feature ("free") and the label for the exercise\'s '
    "table: 20 % spam with the word, 20 % spam without, 10 % legitimate with, 50 % without.",
    reference="mpmath at 50 digits: $H(Y) - \\sum_x p(x) H(Y \\mid X = x)$ from exact fractions",
    fmt="{:.3f}",
)
def spam_exercise_mutual_information_bits() -> float:
    return float(info.mutual_information(np.array(SPAM_JOINT_2, dtype=float), base=2))


@spam_exercise_mutual_information_bits.check
def _(value: float) -> None:
    label = tuple(sum(row[y] for row in SPAM_JOINT_2) for y in (0, 1))
    with mpmath.workdps(DIGITS):
        conditional = mpmath.fsum(
            to_mpf(sum(row)) * _mp_entropy([v / sum(row) for v in row]) for row in SPAM_JOINT_2
        )
        assert close_to(value, _mp_entropy(label) - conditional)


@claim(
    "kl-fit-exercise-mass-near-peak",
    "Probability within 0.5 of the point 1 (the peak of the forward fit) under the fit "
    "$\\mathcal{N}(1, 17/4)$ and under the exercise's mixture "
    "$0.5\\,\\mathcal{N}(-1, 0.5^2) + 0.5\\,\\mathcal{N}(3, 0.5^2)$.",
    reference="mpmath at 50 digits: differences of the normal distribution function "
    "$\\tfrac12(1 + \\operatorname{erf}(z / \\sqrt2))$ at the band's ends",
    fmt=lambda value: f"{value[0]:.4f} and {value[1]:.4f}",
)
def kl_fit_exercise_mass_near_peak() -> tuple[float, float]:
    from scipy.stats import norm

    mean, std = kl_fit.fit_forward(EXERCISE_TARGET)
    fit = norm.cdf(mean + 0.5, mean, std) - norm.cdf(mean - 0.5, mean, std)
    data = sum(
        w * (norm.cdf(1.5, m, s) - norm.cdf(0.5, m, s))
        for w, m, s in zip(
            EXERCISE_TARGET.weights, EXERCISE_TARGET.means, EXERCISE_TARGET.sds, strict=True
        )
    )
    return float(fit), float(data)


@kl_fit_exercise_mass_near_peak.check
def _(value: tuple[float, float]) -> None:
    with mpmath.workdps(DIGITS):

        def phi(z: mpmath.mpf) -> mpmath.mpf:
            return (1 + mpmath.erf(z / mpmath.sqrt(2))) / 2

        half = mpmath.mpf(1) / 2
        sd_fit = mpmath.sqrt(mpmath.mpf(17) / 4)
        fit = phi(half / sd_fit) - phi(-half / sd_fit)
        data = half * (phi((1.5 - mpmath.mpf(-1)) / half) - phi((half - mpmath.mpf(-1)) / half))
        data += half * (phi((1.5 - mpmath.mpf(3)) / half) - phi((half - mpmath.mpf(3)) / half))
        assert close_to(value[0], fit)
        assert close_to(value[1], data)


@claim(
    "spam-group-entropies-bits",
    'Entropy in bits of the label within the e-mails with "free" (6 spam in 7) and within '
    "those without it (2 spam in 13), for the chapter's spam table.",
    reference="exact fractions evaluated with mpmath at 50 digits",
    fmt=lambda value: f"{value[0]:.3f} and {value[1]:.3f}",
)
def spam_group_entropies_bits() -> tuple[float, float]:
    joint = np.array(SPAM_JOINT, dtype=float)
    rows = joint / joint.sum(axis=1, keepdims=True)
    return float(info.entropy(rows[0], base=2)), float(info.entropy(rows[1], base=2))


@spam_group_entropies_bits.check
def _(value: tuple[float, float]) -> None:
    with mpmath.workdps(DIGITS):
        free = _mp_entropy([Fraction(6, 7), Fraction(1, 7)])
        no_free = _mp_entropy([Fraction(2, 13), Fraction(11, 13)])
        assert close_to(value[0], free)
        assert close_to(value[1], no_free)
