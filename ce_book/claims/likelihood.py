r"""Claims of chapter 4, cross-entropy as maximum likelihood.

The checks recompute each value independently: exact fractions, mpmath at 50 digits (sums
and products of probabilities, and the score equations solved by ``mpmath.findroot``), the
IEEE-754 definition of the smallest float, and PyTorch's L-BFGS where marked. The running
examples: ten coin flips with seven heads; a logistic regression on ``synthetic_binary(40)``;
a softmax regression on ``synthetic_categorical(90)``; and ``synthetic_binary(3000)`` for
underflow.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from functools import cache

import mpmath
import numpy as np

from ce_book import activations, gradients, info
from ce_book import likelihood as lk
from ce_book.claims import claim
from ce_book.reference import DIGITS, mp_sigmoid, to_mpf
from ce_book.torch_reference import lbfgs

COIN = np.array([1, 1, 0, 1, 1, 1, 0, 1, 0, 1])  # seven heads (1) in ten flips
COUNTS = (5, 3, 2)  # a three-class dataset: how often each class was observed
N_LOGISTIC, N_SOFTMAX, N_LARGE, K = 40, 90, 3000, 3
PERTURB_SEED, N_PERTURB, PERTURB_SIZE = 0, 200, 0.1
ASCENT_STEPS = 100


def _fmt_sci(value: float) -> str:
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"${mantissa} \\times 10^{{{int(exponent)}}}$"


# --- shared fits (computed once) ------------------------------------------------------------


@cache
def _logistic() -> tuple[np.ndarray, np.ndarray, lk.Fit, lk.Fit]:
    x, y = lk.synthetic_binary(N_LOGISTIC)
    return x, y, lk.fit_logistic_max_likelihood(x, y), lk.fit_logistic_min_cross_entropy(x, y)


@cache
def _softmax() -> tuple[np.ndarray, np.ndarray, lk.Fit, lk.Fit]:
    x, y = lk.synthetic_categorical(N_SOFTMAX)
    return x, y, lk.fit_softmax_max_likelihood(x, y, K), lk.fit_softmax_min_cross_entropy(x, y, K)


@cache
def _large() -> tuple[np.ndarray, np.ndarray]:
    """``synthetic_binary(3000)`` and the probability its best-fitting model gives each label."""
    x, y = lk.synthetic_binary(N_LARGE)
    fit = lk.fit_logistic_max_likelihood(x, y)
    p = activations.sigmoid(x[:, 0] * fit.w[0] + fit.b)
    return y, p


def _mp_observed_large() -> list[mpmath.mpf]:
    """The probabilities of the observed labels of the large dataset, exactly (1 - p exact)."""
    y, p = _large()
    return [
        to_mpf(v) if yi else 1 - to_mpf(v) for v, yi in zip(p.tolist(), y.tolist(), strict=True)
    ]


def _mp_loglik_logistic(x: np.ndarray, y: np.ndarray, w: float, b: float) -> mpmath.mpf:
    """Reference log-likelihood of logistic regression at 50 digits.

    Each term is :math:`\\log P(y_i) = -\\log(1 + e^{-s_i z_i})` with :math:`s_i = \\pm 1`, which
    stays accurate however confident the model is.
    """
    with mpmath.workdps(DIGITS):
        terms = []
        for xi, yi in zip(x[:, 0], y, strict=True):
            z = mpmath.mpf(w) * to_mpf(float(xi)) + mpmath.mpf(b)  # floats exactly, or mpf
            terms.append(-mpmath.log(1 + mpmath.exp(-z if yi == 1 else z)))
        return mpmath.fsum(terms)


@cache
def _mp_logistic_data() -> tuple[list[mpmath.mpf], list[int]]:
    """The features and labels of ``synthetic_binary(40)``, as 50-digit numbers and ints."""
    x, y = lk.synthetic_binary(N_LOGISTIC)
    with mpmath.workdps(DIGITS):
        return [to_mpf(float(v)) for v in x[:, 0]], [int(v) for v in y]


def _mp_residuals(w: mpmath.mpf, b: mpmath.mpf) -> list[mpmath.mpf]:
    """:math:`\\sigma(w x_i + b) - y_i` for ``synthetic_binary(40)``, at 50 digits."""
    xs, y = _mp_logistic_data()
    with mpmath.workdps(DIGITS):
        return [mp_sigmoid(w * xi + b) - yi for xi, yi in zip(xs, y, strict=True)]


def _mp_mean_gradient(w: mpmath.mpf, b: mpmath.mpf) -> tuple[mpmath.mpf, mpmath.mpf]:
    """Hand-derived gradient of the mean cross-entropy: :math:`\\frac1N \\sum_i r_i (x_i, 1)`."""
    xs, _ = _mp_logistic_data()
    with mpmath.workdps(DIGITS):
        r = _mp_residuals(w, b)
        n = len(r)
        return mpmath.fsum(ri * xi for ri, xi in zip(r, xs, strict=True)) / n, mpmath.fsum(r) / n


@cache
def _mp_step_size() -> mpmath.mpf:
    """:math:`1/\\beta = 4 / \\lambda_{\\max}(\\tilde X^\\top \\tilde X / N)` at 50 digits, with the
    largest eigenvalue of the 2-by-2 matrix :math:`[[a, m], [m, 1]]` in closed form."""
    xs, _ = _mp_logistic_data()
    with mpmath.workdps(DIGITS):
        a = mpmath.fsum(xi * xi for xi in xs) / len(xs)
        m = mpmath.fsum(xs) / len(xs)
        return 4 / ((a + 1) / 2 + mpmath.sqrt(((a - 1) / 2) ** 2 + m**2))


def _mp_ascend(steps: int) -> tuple[mpmath.mpf, mpmath.mpf]:
    """``steps`` of gradient ascent on the mean cross-entropy from zero, at 50 digits."""
    with mpmath.workdps(DIGITS):
        w, b, lr = mpmath.mpf(0), mpmath.mpf(0), _mp_step_size()
        for _ in range(steps):
            gw, gb = _mp_mean_gradient(w, b)
            w, b = w + lr * gw, b + lr * gb
        return w, b


@cache
def _mp_logistic_root() -> tuple[float, float]:
    """The MLE of the logistic regression: root of the score equations, at 50 digits.

    sum_i (y_i - sigma(w x_i + b)) x_i = 0 and sum_i (y_i - sigma(w x_i + b)) = 0.
    """
    xs, y = _mp_logistic_data()
    with mpmath.workdps(DIGITS):

        def score(w: mpmath.mpf, b: mpmath.mpf) -> list[mpmath.mpf]:
            r = [yi - mp_sigmoid(w * xi + b) for xi, yi in zip(xs, y, strict=True)]
            return [mpmath.fsum(ri * xi for ri, xi in zip(r, xs, strict=True)), mpmath.fsum(r)]

        w, b = mpmath.findroot(score, (mpmath.mpf(1), mpmath.mpf(0)))
    return float(w), float(b)


@cache
def _mp_softmax_root() -> tuple[np.ndarray, np.ndarray]:
    """The MLE of the softmax regression, at 50 digits, as the sum-zero representative.

    Solved with the last class as reference (its parameters fixed at 0, which removes the
    shift that changes nothing), then shifted so the parameters sum to zero over classes.
    """
    x, y = lk.synthetic_categorical(N_SOFTMAX)
    with mpmath.workdps(DIGITS):
        rows = [[to_mpf(float(v)) for v in xi] + [mpmath.mpf(1)] for xi in x]
        n_feat = len(rows[0])

        def score(*params: mpmath.mpf) -> list[mpmath.mpf]:
            theta = [params[c * n_feat : (c + 1) * n_feat] for c in range(K - 1)]
            eqs = [mpmath.mpf(0)] * ((K - 1) * n_feat)
            for xi, yi in zip(rows, y, strict=True):
                z = [mpmath.fsum(a * t for a, t in zip(xi, th, strict=True)) for th in theta]
                denom = 1 + mpmath.fsum(mpmath.exp(zc) for zc in z)
                for c in range(K - 1):
                    r = (1 if yi == c else 0) - mpmath.exp(z[c]) / denom
                    for j in range(n_feat):
                        eqs[c * n_feat + j] += r * xi[j]
            return eqs

        sol = mpmath.findroot(score, [mpmath.mpf(0)] * ((K - 1) * n_feat))
    theta = np.array([float(v) for v in sol]).reshape(K - 1, n_feat).T  # (d + 1, K - 1)
    theta = np.hstack([theta, np.zeros((n_feat, 1))])
    theta -= theta.mean(axis=1, keepdims=True)
    return theta[:-1], theta[-1]


# --- the coin: one Bernoulli parameter ------------------------------------------------------


@claim(
    "coin-mle",
    "Ten coin flips with seven heads: the probability of heads that maximises the likelihood, "
    "found by Newton's method on the log-likelihood of the model $P(\\text{heads}) = \\sigma(b)$.",
    reference="closed form: the MLE of a Bernoulli parameter is the sample mean, exactly 7/10",
    fmt="{:.1f}",
)
def coin_mle() -> float:
    fit = lk.fit_logistic_max_likelihood(np.zeros((COIN.size, 1)), COIN)
    return float(activations.sigmoid(fit.b))


@coin_mle.check
def _(value: float) -> None:
    assert abs(value - 0.7) < 1e-14


@claim(
    "coin-likelihood-at-mle",
    "Likelihood of the ten flips (seven heads) when the probability of heads is $0.7$.",
    reference="exact fraction $0.7^7\\, 0.3^3$",
    fmt=_fmt_sci,
)
def coin_likelihood_at_mle() -> float:
    return lk.bernoulli_likelihood(np.full(COIN.size, 0.7), COIN)


@coin_likelihood_at_mle.check
def _(value: float) -> None:
    exact = Fraction(7, 10) ** 7 * Fraction(3, 10) ** 3
    assert abs(value - float(exact)) <= 1e-15 * float(exact)


@claim(
    "coin-likelihood-area",
    "Area under the coin's likelihood $\\theta^7 (1 - \\theta)^3$ for $\\theta$ from 0 to 1 "
    "(seven heads in ten flips), by Simpson's rule on a fine grid.",
    reference="exact Beta integral $7!\\, 3! / 11! = 1/1320$ (Python fractions)",
    fmt=lambda value: f"$1/{round(1 / value)}$",
)
def coin_likelihood_area() -> float:
    thetas = np.linspace(0.0, 1.0, 2001)
    lik = np.array([lk.bernoulli_likelihood(np.full(COIN.size, t), COIN) for t in thetas])
    h = thetas[1] - thetas[0]
    return float(h / 3 * (lik[0] + lik[-1] + 4 * lik[1:-1:2].sum() + 2 * lik[2:-1:2].sum()))


@coin_likelihood_area.check
def _(value: float) -> None:
    exact = Fraction(math.factorial(7) * math.factorial(3), math.factorial(11))
    assert exact == Fraction(1, 1320)
    assert abs(value - float(exact)) < 1e-9 * float(exact)
    assert round(1 / value) == 1320


@claim(
    "coin-likelihood-at-half",
    "Likelihood of the same ten flips under a fair coin, probability of heads $0.5$.",
    reference="exact fraction $2^{-10}$",
    fmt=_fmt_sci,
)
def coin_likelihood_at_half() -> float:
    return lk.bernoulli_likelihood(np.full(COIN.size, 0.5), COIN)


@coin_likelihood_at_half.check
def _(value: float) -> None:
    assert value == 2.0**-10


@claim(
    "coin-mean-ce-at-mle",
    "The smallest mean binary cross-entropy of the ten flips, reached at $\\hat\\theta = 0.7$ "
    "(nats per flip): the entropy of a coin with $P(\\text{heads}) = 0.7$.",
    reference="mpmath: $-(0.7 \\ln 0.7 + 0.3 \\ln 0.3)$ at 50 digits",
    fmt="{:.6f}",
)
def coin_mean_ce_at_mle() -> float:
    return -lk.bernoulli_log_likelihood(np.full(COIN.size, coin_mle()), COIN) / COIN.size


@coin_mean_ce_at_mle.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        a, b = to_mpf(Fraction(7, 10)), to_mpf(Fraction(3, 10))
        expected = -(a * mpmath.log(a) + b * mpmath.log(b))
    assert abs(value - float(expected)) < 1e-13


@claim(
    "coin-mean-ce-at-mle-bits",
    "The same minimum in bits per flip: the entropy of the fitted coin in bits.",
    reference="mpmath: $-(0.7 \\log_2 0.7 + 0.3 \\log_2 0.3)$ at 50 digits",
    fmt="{:.4f}",
)
def coin_mean_ce_at_mle_bits() -> float:
    theta = coin_mle()
    return float(info.entropy([theta, 1 - theta], base=2))


@coin_mean_ce_at_mle_bits.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        a, b = to_mpf(Fraction(7, 10)), to_mpf(Fraction(3, 10))
        expected = -(a * mpmath.log(a, 2) + b * mpmath.log(b, 2))
    assert abs(value - float(expected)) < 1e-13


@claim(
    "counts-mle",
    "Three classes observed 5, 3 and 2 times, and a model that predicts the same distribution "
    "for every example: the distribution that maximises the likelihood, found by Newton's "
    "method on the log-likelihood of the model $\\operatorname{softmax}(b)$.",
    reference="exact fractions: the class frequencies $5/10$, $3/10$ and $2/10$",
    fmt=lambda values: "(" + ", ".join(f"{v:.1f}" for v in values) + ")",
)
def counts_mle() -> list[float]:
    y = np.repeat(np.arange(3), COUNTS)
    fit = lk.fit_softmax_max_likelihood(np.zeros((y.size, 1)), y, 3)
    return [float(v) for v in activations.softmax(fit.b)]


@counts_mle.check
def _(value: list[float]) -> None:
    total = sum(COUNTS)
    for got, count in zip(value, COUNTS, strict=True):
        assert abs(got - float(Fraction(count, total))) < 1e-12


@claim(
    "counts-min-mean-ce",
    "Three classes observed 5, 3 and 2 times: the smallest mean cross-entropy any model with a "
    "single predicted distribution can reach (nats), attained at the class frequencies.",
    reference="mpmath: entropy of $(0.5, 0.3, 0.2)$ at 50 digits",
    fmt="{:.4f}",
)
def counts_min_mean_ce() -> float:
    y = np.repeat(np.arange(3), COUNTS)
    fit = lk.fit_softmax_max_likelihood(np.zeros((y.size, 1)), y, 3)
    p = np.tile(activations.softmax(fit.b), (y.size, 1))
    return -lk.categorical_log_likelihood(p, y) / y.size


@counts_min_mean_ce.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        freqs = [to_mpf(Fraction(c, 10)) for c in COUNTS]
        expected = -mpmath.fsum(f * mpmath.log(f) for f in freqs)
    assert abs(value - float(expected)) < 1e-12


# Positives counted omega times (PyTorch's pos_weight): 10 positives and 90 negatives, omega = 9.
WEIGHTED_POSITIVES, WEIGHTED_NEGATIVES, POS_WEIGHT = 10, 90, 9


@claim(
    "weighted-coin-mle",
    "A constant model fitted to 10 positives and 90 negatives with every positive counted "
    "$\\omega = 9$ times (a weighted likelihood, as with `pos_weight`): the fitted probability "
    "of a positive, found by Newton's method on the log-likelihood of the dataset in which each "
    "positive appears 9 times.",
    reference="exact fraction: the fraction of positives in the duplicated data, "
    "$9 \\cdot 10 / (9 \\cdot 10 + 90)$",
    fmt="{:.1f}",
)
def weighted_coin_mle() -> float:
    y = np.repeat([1, 0], [POS_WEIGHT * WEIGHTED_POSITIVES, WEIGHTED_NEGATIVES])
    fit = lk.fit_logistic_max_likelihood(np.zeros((y.size, 1)), y)
    return float(activations.sigmoid(fit.b))


@weighted_coin_mle.check
def _(value: float) -> None:
    weighted = POS_WEIGHT * WEIGHTED_POSITIVES
    assert abs(value - float(Fraction(weighted, weighted + WEIGHTED_NEGATIVES))) < 1e-14


@claim(
    "weighted-coin-base-rate",
    "The same data without weights: the fraction of positives, 10 in 100, which the unweighted "
    "maximum-likelihood fit reproduces.",
    reference="exact fraction $10 / 100$",
    fmt="{:.1f}",
)
def weighted_coin_base_rate() -> float:
    y = np.repeat([1, 0], [WEIGHTED_POSITIVES, WEIGHTED_NEGATIVES])
    fit = lk.fit_logistic_max_likelihood(np.zeros((y.size, 1)), y)
    return float(activations.sigmoid(fit.b))


@weighted_coin_base_rate.check
def _(value: float) -> None:
    total = WEIGHTED_POSITIVES + WEIGHTED_NEGATIVES
    assert abs(value - float(Fraction(WEIGHTED_POSITIVES, total))) < 1e-14


# --- why the log: underflow of the product --------------------------------------------------


@claim(
    "underflow-halves-n",
    "The number of probabilities $\\tfrac12$ whose float64 product is exactly $0.0$ "
    "(the product of one fewer is still positive).",
    reference="IEEE 754: the smallest float64 is $2^{-1074}$; $2^{-1075}$ is halfway to 0 and "
    "rounds to even, i.e. to 0",
    fmt="{:d}",
)
def underflow_halves_n() -> int:
    n = 1
    while lk.bernoulli_likelihood(np.full(n, 0.5), np.ones(n, dtype=int)) > 0:
        n += 1
    return n


@underflow_halves_n.check
def _(value: int) -> None:
    assert np.finfo(np.float64).smallest_subnormal == 2.0**-1074
    assert value == 1074 + 1


@claim(
    "underflow-halves-n-float32",
    "The same count in float32.",
    reference="IEEE 754: the smallest float32 is $2^{-149}$",
    fmt="{:d}",
)
def underflow_halves_n_float32() -> int:
    n = 1
    while lk.bernoulli_likelihood(np.full(n, 0.5, dtype=np.float32), np.ones(n, dtype=int)) > 0:
        n += 1
    return n


@underflow_halves_n_float32.check
def _(value: int) -> None:
    assert np.finfo(np.float32).smallest_subnormal == np.float32(2.0**-149)
    assert value == 149 + 1


@claim(
    "underflow-dataset-size",
    "Number of samples in the dataset used to show underflow, `synthetic_binary(3000)`.",
    reference="the input itself",
    fmt="{:,d}",
)
def underflow_dataset_size() -> int:
    return int(_large()[0].size)


@underflow_dataset_size.check
def _(value: int) -> None:
    assert value == N_LARGE


@claim(
    "underflow-product",
    "The likelihood of `synthetic_binary(3000)` under its best-fitting logistic regression, "
    "computed as a float64 product of the 3000 probabilities.",
    reference="mpmath: the exact product is positive but below $2^{-1075}$, so float64 holds 0",
    fmt="{}",
)
def underflow_product() -> float:
    y, p = _large()
    return lk.bernoulli_likelihood(p, y)


@underflow_product.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = mpmath.fprod(_mp_observed_large())
        assert 0 < exact < mpmath.mpf(2) ** -1075
    assert value == 0.0


@claim(
    "underflow-log-likelihood",
    "The log-likelihood of the same dataset and model, computed as a sum of logs (nats).",
    reference="mpmath: sum of the 3000 logarithms at 50 digits",
    fmt="{:.1f}",
)
def underflow_log_likelihood() -> float:
    y, p = _large()
    return lk.bernoulli_log_likelihood(p, y)


@underflow_log_likelihood.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        exact = mpmath.fsum(mpmath.log(v) for v in _mp_observed_large())
    assert abs(value - float(exact)) < 1e-10 * abs(float(exact))


@claim(
    "underflow-exact-log10",
    "The exact likelihood of the same dataset is about $10^{e}$; this is $e$ (rounded down).",
    reference="mpmath: $\\log_{10}$ of the exact product at 50 digits",
    fmt="{:d}",
)
def underflow_exact_log10() -> int:
    return int(np.floor(underflow_log_likelihood() / np.log(10)))


@underflow_exact_log10.check
def _(value: int) -> None:
    with mpmath.workdps(DIGITS):
        exact = mpmath.fprod(_mp_observed_large())
        assert value == int(mpmath.floor(mpmath.log10(exact)))


@claim(
    "underflow-first-zero",
    "In the same dataset, the number of samples after which the running float64 product of "
    "probabilities first equals $0.0$.",
    reference="IEEE 754 multiplication emulated with exact fractions: each product of two "
    "floats computed exactly, then rounded to the nearest float64 (Python's correctly rounded "
    "`float(Fraction)`)",
    fmt="{:,d}",
)
def underflow_first_zero() -> int:
    y, p = _large()
    for n in range(1, y.size + 1):
        if lk.bernoulli_likelihood(p[:n], y[:n]) == 0.0:
            return n
    raise AssertionError("the product never underflowed")


@underflow_first_zero.check
def _(value: int) -> None:
    y, p = _large()
    running = Fraction(1)
    for n, (v, yi) in enumerate(zip(p.tolist(), y.tolist(), strict=True), start=1):
        running = Fraction(float(running * Fraction(v if yi else 1.0 - v)))
        if running == 0:
            assert value == n
            return
    raise AssertionError("the emulated product never underflowed")


@claim(
    "underflow-exact-below-smallest",
    "In the same dataset, the number of samples after which the exact product of "
    "probabilities is below the smallest positive float64, $2^{-1074}$: the float product "
    "has lost every significant digit well before it reads $0.0$.",
    reference="mpmath: the exact running product at 50 digits",
    fmt="{:,d}",
)
def underflow_exact_below_smallest() -> int:
    y, p = _large()
    limit = -1074 * math.log(2)
    for n in range(1, y.size + 1):
        if lk.bernoulli_log_likelihood(p[:n], y[:n]) < limit:
            return n
    raise AssertionError("the product never fell below the smallest float")


@underflow_exact_below_smallest.check
def _(value: int) -> None:
    with mpmath.workdps(DIGITS):
        running, smallest = mpmath.mpf(1), mpmath.mpf(2) ** -1074
        for n, v in enumerate(_mp_observed_large(), start=1):
            running *= v
            if running < smallest:
                assert value == n
                return
    raise AssertionError("the exact product never fell below the smallest float")


# --- the two routes land on the same parameters ---------------------------------------------


@claim(
    "logistic-mle-w",
    "Slope $\\hat w$ of the logistic regression fitted to `synthetic_binary(40)` by maximum "
    "likelihood (Newton's method).",
    reference="mpmath.findroot on the score equations at 50 digits",
    fmt="{:.3f}",
)
def logistic_mle_w() -> float:
    return float(_logistic()[2].w[0])


@logistic_mle_w.check
def _(value: float) -> None:
    assert abs(value - _mp_logistic_root()[0]) < 1e-12


@claim(
    "logistic-mle-b",
    "Intercept $\\hat b$ of the same fit.",
    reference="mpmath.findroot on the score equations at 50 digits",
    fmt="{:.3f}",
)
def logistic_mle_b() -> float:
    return float(_logistic()[2].b)


@logistic_mle_b.check
def _(value: float) -> None:
    assert abs(value - _mp_logistic_root()[1]) < 1e-12


def _standard_errors() -> np.ndarray:
    """Square roots of the diagonal of the inverse Hessian of the NLL at the Newton fit."""
    x, _, ml, _ = _logistic()
    xt = np.column_stack([x[:, 0], np.ones(len(x))])
    q = activations.sigmoid(xt @ np.array([ml.w[0], ml.b]))
    hess = (xt * (q * (1 - q))[:, None]).T @ xt  # observed information, sum q(1-q) x x^T
    return np.sqrt(np.diag(np.linalg.inv(hess)))


def _mp_standard_errors() -> tuple[mpmath.mpf, mpmath.mpf]:
    """The same at 50 digits: 2x2 information matrix at the mpmath root, inverted by hand."""
    xs, _ = _mp_logistic_data()
    w, b = _mp_logistic_root()
    with mpmath.workdps(DIGITS):
        c = [mp_sigmoid(w * xi + b) * mp_sigmoid(-(w * xi + b)) for xi in xs]
        sxx = mpmath.fsum(ci * xi * xi for ci, xi in zip(c, xs, strict=True))
        sx = mpmath.fsum(ci * xi for ci, xi in zip(c, xs, strict=True))
        s1 = mpmath.fsum(c)
        det = sxx * s1 - sx * sx
        return mpmath.sqrt(s1 / det), mpmath.sqrt(sxx / det)


@claim(
    "logistic-se-w",
    "Standard error of the slope $\\hat w$ of the logistic regression fitted to "
    "`synthetic_binary(40)`: the square root of the slope's entry of the inverse of the NLL's "
    "Hessian (the observed Fisher information) at the fit.",
    reference="the $2 \\times 2$ information matrix rebuilt at 50 digits (mpmath) at the root of "
    "the score equations and inverted by the cofactor formula",
    fmt="{:.2f}",
)
def logistic_se_w() -> float:
    return float(_standard_errors()[0])


@logistic_se_w.check
def _(value: float) -> None:
    assert abs(value - float(_mp_standard_errors()[0])) < 1e-9


@claim(
    "logistic-se-b",
    "Standard error of the intercept $\\hat b$ of the same fit, from the same inverse Hessian.",
    reference="the $2 \\times 2$ information matrix rebuilt at 50 digits (mpmath) at the root of "
    "the score equations and inverted by the cofactor formula",
    fmt="{:.2f}",
)
def logistic_se_b() -> float:
    return float(_standard_errors()[1])


@logistic_se_b.check
def _(value: float) -> None:
    assert abs(value - float(_mp_standard_errors()[1])) < 1e-9


# --- how much does the fit move from one sample of 40 to the next? --------------------------

REFIT_DATASETS = 1000  # fresh samples of 40 from the same generator, seeds 1, 2, ...


def _separated(x: np.ndarray, y: np.ndarray) -> bool:
    """One feature: the classes are separated when a threshold on ``x`` splits them."""
    if y.min() == y.max():
        return True
    lo, hi = x[y == 0, 0], x[y == 1, 0]
    return bool(lo.max() < hi.min() or hi.max() < lo.min())


@cache
def _refits() -> tuple[np.ndarray, int]:
    """Newton fits of ``synthetic_binary(40, seed)`` for seeds 1 to ``REFIT_DATASETS``: the
    slopes of the samples that have a maximum-likelihood estimate, and how many do not."""
    slopes, separated = [], 0
    for seed in range(1, REFIT_DATASETS + 1):
        x, y = lk.synthetic_binary(N_LOGISTIC, seed=seed)
        if _separated(x, y):
            separated += 1
            continue
        slopes.append(float(lk.fit_logistic_max_likelihood(x, y).w[0]))
    return np.array(slopes), separated


@cache
def _scipy_refit_slopes() -> np.ndarray:
    """The same slopes as roots of the hand-written score equations (SciPy's ``root``), for
    the samples whose labels, sorted by ``x``, are not already in order."""
    from scipy.optimize import root
    from scipy.special import expit

    slopes = []
    for seed in range(1, REFIT_DATASETS + 1):
        x, y = lk.synthetic_binary(N_LOGISTIC, seed=seed)
        xs, labels = x[:, 0], y.astype(float)
        ordered = labels[np.argsort(xs)]
        if np.all(np.diff(ordered) >= 0) or np.all(np.diff(ordered) <= 0):
            continue  # a threshold splits the classes: no root

        def score(wb: np.ndarray, xs=xs, labels=labels) -> list[float]:
            r = labels - expit(wb[0] * xs + wb[1])
            return [float(np.sum(r * xs)), float(np.sum(r))]

        sol = root(score, [1.0, 0.0], tol=1e-12)
        assert max(abs(v) for v in score(sol.x)) < 1e-9  # a root of the score equations
        slopes.append(float(sol.x[0]))
    return np.array(slopes)


@claim(
    "logistic-refit-count",
    f"Fresh samples of 40 from the generator of `synthetic_binary` (seeds 1 to {REFIT_DATASETS}) "
    "that have a maximum-likelihood estimate and are fitted for the spread of the slope: all "
    "those whose classes no threshold on $x$ separates.",
    reference="the samples whose labels, sorted by $x$, are not already in order (a second test "
    "of separation, written separately), each solved by SciPy's root",
    fmt="{:,d}",
)
def logistic_refit_count() -> int:
    return int(_refits()[0].size)


@logistic_refit_count.check
def _(value: int) -> None:
    assert value == _scipy_refit_slopes().size == REFIT_DATASETS - _refits()[1]
    assert value == REFIT_DATASETS  # every sample has an estimate: the page says "fit each"


@claim(
    "logistic-refit-sd-w",
    f"Standard deviation of the fitted slope $\\hat w$ over {REFIT_DATASETS} fresh samples of "
    "40 from the generator of `synthetic_binary` (seeds 1 onwards), each fitted by maximum "
    "likelihood; the samples whose classes a threshold separates, which have no estimate, are "
    "left out.",
    reference="the same slopes found independently as roots of the hand-written score equations "
    "(SciPy's root, with SciPy's expit), and their standard deviation",
    fmt="{:.2f}",
)
def logistic_refit_sd_w() -> float:
    return float(np.std(_refits()[0], ddof=1))


@logistic_refit_sd_w.check
def _(value: float) -> None:
    ref = _scipy_refit_slopes()
    assert ref.size == _refits()[0].size == REFIT_DATASETS - _refits()[1]
    assert abs(value - float(np.std(ref, ddof=1))) < 1e-8
    assert value > logistic_se_w()  # the spread at N = 40 is wider than the standard error


@claim(
    "logistic-refit-mean-w",
    "Mean of the same fitted slopes: the true slope is 2, so the excess is the upward bias of "
    "maximum likelihood at $N = 40$.",
    reference="the mean of the slopes found as roots of the score equations (SciPy's root)",
    fmt="{:.2f}",
)
def logistic_refit_mean_w() -> float:
    return float(np.mean(_refits()[0]))


@logistic_refit_mean_w.check
def _(value: float) -> None:
    assert abs(value - float(np.mean(_scipy_refit_slopes()))) < 1e-8
    assert value > 2.0


@claim(
    "logistic-refit-quartiles-w",
    "The lower and upper quartiles of the same fitted slopes: the middle half of the samples "
    "gave a slope between them.",
    reference="the quartiles of the slopes found as roots of the score equations (SciPy's root)",
    fmt=lambda values: " and ".join(f"{v:.2f}" for v in values),
)
def logistic_refit_quartiles_w() -> list[float]:
    return [float(v) for v in np.percentile(_refits()[0], [25, 75])]


@logistic_refit_quartiles_w.check
def _(value: list[float]) -> None:
    ref = np.sort(_scipy_refit_slopes())
    for got, quarter in zip(value, (1, 3), strict=True):
        # linear interpolation between order statistics, written out
        pos = quarter * (ref.size - 1) / 4
        lo = math.floor(pos)
        expected = ref[lo] + (pos - lo) * (ref[min(lo + 1, ref.size - 1)] - ref[lo])
        assert abs(got - float(expected)) < 1e-8
    assert value[0] < 2.0 < value[1]
    # "a spread of the size the standard error suggests": the interquartile range of a normal
    # distribution is 1.349 standard deviations
    assert abs((value[1] - value[0]) / 1.349 / logistic_se_w() - 1) < 0.25


@claim(
    "logistic-newton-steps",
    "Newton steps taken by the maximum-likelihood fit of `synthetic_binary(40)`, from zero, "
    "run to full double precision: the last step is the first that moves no parameter by as "
    "much as $10^{-12}$.",
    reference="Newton's method redone at 50 digits (mpmath) from the hand-derived score and "
    "Hessian, with the same stopping rule; it converges quadratically, in a handful of steps",
    fmt="{:d}",
)
def logistic_newton_steps() -> int:
    return _logistic()[2].steps


@logistic_newton_steps.check
def _(value: int) -> None:
    # Newton's method from zero at 50 digits, with the fit's stopping rule (a step moving no
    # parameter by 1e-12 or more is the last): score and Hessian derived by hand
    xs, _ = _mp_logistic_data()
    with mpmath.workdps(DIGITS):
        w, b, steps = mpmath.mpf(0), mpmath.mpf(0), 0
        while steps < 50:
            steps += 1
            r = _mp_residuals(w, b)  # sigma(z_i) - y_i
            curv = [mp_sigmoid(w * xi + b) * mp_sigmoid(-(w * xi + b)) for xi in xs]
            cx = mpmath.fsum(c * xi for c, xi in zip(curv, xs, strict=True))
            cxx = mpmath.fsum(c * xi * xi for c, xi in zip(curv, xs, strict=True))
            hess = mpmath.matrix([[cxx, cx], [cx, mpmath.fsum(curv)]])  # of the NLL
            grad = mpmath.matrix(
                [mpmath.fsum(ri * xi for ri, xi in zip(r, xs, strict=True)), mpmath.fsum(r)]
            )
            delta = mpmath.lu_solve(hess, grad)
            w, b = w - delta[0], b - delta[1]
            if max(abs(delta[0]), abs(delta[1])) < mpmath.mpf("1e-12"):
                break
    assert value == steps
    assert 3 <= value <= 12  # quadratic convergence: a handful of steps


@claim(
    "logistic-gd-steps",
    "Gradient-descent steps taken by the minimum-cross-entropy fit of the same data, from zero "
    "with the fixed step $1/\\beta$, run to full double precision: it stops once no component "
    "of the gradient reaches $10^{-12}$.",
    reference="gradient descent redone at 50 digits (mpmath) from the hand-derived gradient and "
    "step size $1/\\beta$, with the same stopping rule; linear convergence, many more steps "
    "than Newton",
    fmt="{:d}",
)
def logistic_gd_steps() -> int:
    return _logistic()[3].steps


@logistic_gd_steps.check
def _(value: int) -> None:
    # gradient descent from zero at 50 digits, step 1/L: updates made before no component of
    # the hand-derived gradient reaches 1e-12
    with mpmath.workdps(DIGITS):
        w, b, lr, taken = mpmath.mpf(0), mpmath.mpf(0), _mp_step_size(), 0
        while True:
            gw, gb = _mp_mean_gradient(w, b)
            if max(abs(gw), abs(gb)) < mpmath.mpf("1e-12"):
                break
            w, b, taken = w - lr * gw, b - lr * gb, taken + 1
            assert taken < 10_000
    assert value == taken
    assert value > 5 * logistic_newton_steps()  # linear against quadratic convergence


@claim(
    "logistic-routes-gap",
    "Largest difference between a parameter of the logistic regression fitted by maximum "
    "likelihood (Newton) and the same parameter fitted by minimum mean cross-entropy "
    "(gradient descent).",
    reference="both fits within $10^{-10}$ of the 50-digit root of the score equations (mpmath)",
    fmt=_fmt_sci,
)
def logistic_routes_gap() -> float:
    _, _, ml, ce = _logistic()
    return float(max(np.max(np.abs(ml.w - ce.w)), abs(ml.b - ce.b)))


@logistic_routes_gap.check
def _(value: float) -> None:
    _, _, ml, ce = _logistic()
    w, b = _mp_logistic_root()
    for fit in (ml, ce):
        assert abs(fit.w[0] - w) < 1e-10 and abs(fit.b - b) < 1e-10
    assert 0 <= value < 2e-10


@claim(
    "softmax-routes-gap",
    "Largest difference between a parameter of the three-class softmax regression fitted to "
    "`synthetic_categorical(90)` by maximum likelihood (Newton) and by minimum mean "
    "cross-entropy (gradient descent).",
    reference="both fits within $10^{-9}$ of the 50-digit root of the score equations (mpmath)",
    fmt=_fmt_sci,
)
def softmax_routes_gap() -> float:
    _, _, ml, ce = _softmax()
    return float(max(np.max(np.abs(ml.w - ce.w)), np.max(np.abs(ml.b - ce.b))))


@softmax_routes_gap.check
def _(value: float) -> None:
    _, _, ml, ce = _softmax()
    w, b = _mp_softmax_root()
    for fit in (ml, ce):
        assert np.max(np.abs(fit.w - w)) < 1e-9 and np.max(np.abs(fit.b - b)) < 1e-9
    assert 0 <= value < 2e-9


@claim(
    "softmax-mle-torch",
    "Largest difference between the softmax regression's maximum-likelihood parameters and "
    "those PyTorch's L-BFGS finds by minimising `F.cross_entropy` (shifted to sum to zero "
    "over the classes).",
    reference="PyTorch 2.13.0: `torch.optim.LBFGS` on `F.cross_entropy`, float64",
    fmt=_fmt_sci,
    needs=("torch",),
    recorded=True,
)
def softmax_mle_torch() -> float:
    import torch
    import torch.nn.functional as F

    x, y, ml, _ = _softmax()
    xt, yt = torch.tensor(x), torch.tensor(y)
    w_ref, b_ref = lbfgs(
        lambda w, b: F.cross_entropy(xt @ w + b, yt),
        [np.zeros((x.shape[1], K)), np.zeros(K)],
        tolerance_grad=1e-13,
    )
    w_ref = w_ref - w_ref.mean(axis=1, keepdims=True)
    return float(max(np.max(np.abs(ml.w - w_ref)), np.max(np.abs(ml.b - (b_ref - b_ref.mean())))))


@softmax_mle_torch.check
def _(value: float) -> None:
    assert 0 <= value < 1e-7


# --- the NLL is minimised, not maximised ----------------------------------------------------


def _perturbations() -> np.ndarray:
    """``N_PERTURB`` random directions in (w, b), each of length ``PERTURB_SIZE``."""
    d = np.random.default_rng(PERTURB_SEED).standard_normal((N_PERTURB, 2))
    return PERTURB_SIZE * d / np.linalg.norm(d, axis=1, keepdims=True)


@claim(
    "nll-perturbed-min-increase",
    "Over 200 random perturbations of length $0.1$ of the fitted $(\\hat w, \\hat b)$ of "
    "`synthetic_binary(40)`, the smallest increase of the NLL (nats): every perturbation makes "
    "the NLL larger, so the fit sits at its minimum.",
    reference="mpmath: the NLL at every perturbed point recomputed at 50 digits",
    fmt="{:.4f}",
)
def nll_perturbed_min_increase() -> float:
    x, y, ml, _ = _logistic()
    nll_hat = -lk.logistic_log_likelihood(x, y, ml.w, ml.b)
    nll = [-lk.logistic_log_likelihood(x, y, ml.w + d[:1], ml.b + d[1]) for d in _perturbations()]
    return float(min(nll) - nll_hat)


@nll_perturbed_min_increase.check
def _(value: float) -> None:
    x, y, ml, _ = _logistic()
    w, b = float(ml.w[0]), float(ml.b)
    with mpmath.workdps(DIGITS):
        nll_hat = -_mp_loglik_logistic(x, y, w, b)
        increases = [
            -_mp_loglik_logistic(x, y, w + float(d[0]), b + float(d[1])) - nll_hat
            for d in _perturbations()
        ]
    assert min(increases) > 0
    assert abs(value - float(min(increases))) < 1e-10


@claim(
    "likelihood-perturbed-max-ratio",
    "Over the same perturbations, the largest ratio $L(\\theta')/L(\\hat\\theta)$ of perturbed "
    "to fitted likelihood: below 1, so the fitted likelihood is the largest.",
    reference="mpmath: the likelihoods as exact products at 50 digits",
    fmt="{:.4f}",
)
def likelihood_perturbed_max_ratio() -> float:
    x, y, ml, _ = _logistic()

    def likelihood(w: np.ndarray, b: float) -> float:
        return lk.bernoulli_likelihood(activations.sigmoid(x[:, 0] * w[0] + b), y)

    best = likelihood(ml.w, ml.b)
    return max(likelihood(ml.w + d[:1], ml.b + d[1]) for d in _perturbations()) / best


@likelihood_perturbed_max_ratio.check
def _(value: float) -> None:
    x, y, ml, _ = _logistic()
    w, b = float(ml.w[0]), float(ml.b)
    with mpmath.workdps(DIGITS):
        best = mpmath.exp(_mp_loglik_logistic(x, y, w, b))
        ratios = [
            mpmath.exp(_mp_loglik_logistic(x, y, w + float(d[0]), b + float(d[1]))) / best
            for d in _perturbations()
        ]
    assert max(ratios) < 1
    assert abs(value - float(max(ratios))) < 1e-12


@claim(
    "nll-ascent-mean-ce",
    "Mean cross-entropy of the logistic regression on `synthetic_binary(40)` after 100 steps of "
    "gradient *ascent* on the mean cross-entropy from zero, with the step size of the descent "
    "fit (equivalently, ascent on the NLL with that step divided by $N$): the erratum's "
    '"maximising the negative log-likelihood" taken literally (nats; it was $\\ln 2$ at '
    "the start).",
    reference="mpmath: the ascent redone at 50 digits from the hand-derived gradient and step "
    "size, its mean cross-entropy, and that it keeps growing (no maximum)",
    fmt="{:.1f}",
)
def nll_ascent_mean_ce() -> float:
    x, y, _, _ = _logistic()
    w, b = _ascend(ASCENT_STEPS)
    return lk.logistic_mean_cross_entropy(x, y, w, b)


def _ascend(steps: int) -> tuple[np.ndarray, float]:
    """Gradient ascent on the mean cross-entropy, with the step size of the descent fit."""
    x, y, _, _ = _logistic()
    xa = np.hstack([x, np.ones((x.shape[0], 1))])
    lr = lk.descent_step_size(x)
    theta = np.zeros(2)
    for _ in range(steps):
        dz = gradients.binary_cross_entropy_with_logits_grad(xa @ theta, y.astype(np.float64))
        theta = theta + lr * (xa.T @ dz)
    return theta[:1], float(theta[1])


@nll_ascent_mean_ce.check
def _(value: float) -> None:
    # the ascent redone at 50 digits from the hand-derived gradient and step size
    x, y, _, _ = _logistic()
    with mpmath.workdps(DIGITS):
        mean_ce = [
            -_mp_loglik_logistic(x, y, *_mp_ascend(steps)) / len(y)
            for steps in (ASCENT_STEPS, 2 * ASCENT_STEPS)
        ]
    assert abs(value - float(mean_ce[0])) < 1e-12 * value
    assert mean_ce[1] > 1.5 * value > 100 * math.log(2)  # it keeps growing


# --- separable data: no maximum -------------------------------------------------------------

X_SEPARABLE = np.array([[-2.0], [-1.0], [1.0], [2.0]])
Y_SEPARABLE = np.array([0, 0, 1, 1])


@claim(
    "separable-nll-decreasing",
    "On the separable dataset $x = (-2, -1, 1, 2)$, $y = (0, 0, 1, 1)$, the NLL of logistic "
    "regression with $b = 0$ at slopes $w = 1, 2, 4, 8, 16$: it falls towards 0 at every "
    "doubling and no finite slope attains the infimum, so no maximum-likelihood estimate exists.",
    reference="mpmath: $\\sum_n \\log(1 + e^{-w |x_n|})$ at 50 digits",
    fmt=lambda values: ", ".join(_fmt_sci(v) if v < 1e-3 else f"{v:.3f}" for v in values),
)
def separable_nll_decreasing() -> list[float]:
    return [
        -lk.logistic_log_likelihood(X_SEPARABLE, Y_SEPARABLE, [w], 0.0) for w in (1, 2, 4, 8, 16)
    ]


@separable_nll_decreasing.check
def _(value: list[float]) -> None:
    for got, w in zip(value, (1, 2, 4, 8, 16), strict=True):
        with mpmath.workdps(DIGITS):
            expected = -_mp_loglik_logistic(X_SEPARABLE, Y_SEPARABLE, float(w), 0.0)
        assert abs(got - float(expected)) < 1e-14 * float(expected)
    assert all(b < a for a, b in itertools.pairwise(value)) and value[-1] > 0


# --- maximum likelihood is the closest model in KL to the empirical distribution ------------


def _coin_mean_ce(theta: float) -> float:
    return -lk.bernoulli_log_likelihood(np.full(COIN.size, theta), COIN) / COIN.size


def _mp_coin_kl(theta: str) -> mpmath.mpf:
    with mpmath.workdps(DIGITS):
        a, b = to_mpf(Fraction(7, 10)), to_mpf(Fraction(3, 10))
        t = to_mpf(Fraction(theta))
        return a * mpmath.log(a / t) + b * mpmath.log(b / (1 - t))


@claim(
    "coin-mean-ce-at-half",
    "Mean binary cross-entropy of the ten flips (seven heads) under a fair coin, "
    "$\\theta = 0.5$ (nats per flip): $\\ln 2$ whatever the flips.",
    reference="mpmath at 50 digits: $\\ln 2$, and the entropy of the observed frequencies "
    "$(0.7, 0.3)$ plus the KL divergence from them to $(0.5, 0.5)$, computed separately",
    fmt="{:.6f}",
)
def coin_mean_ce_at_half() -> float:
    return _coin_mean_ce(0.5)


@coin_mean_ce_at_half.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        a, b = to_mpf(Fraction(7, 10)), to_mpf(Fraction(3, 10))
        entropy = -(a * mpmath.log(a) + b * mpmath.log(b))
        assert abs(value - float(mpmath.log(2))) < 1e-15
        assert abs(value - float(entropy + _mp_coin_kl("1/2"))) < 1e-15


@claim(
    "coin-kl-at-half",
    "The KL divergence from the ten flips' empirical distribution $\\hat p = (0.7, 0.3)$ to a "
    "fair coin $(0.5, 0.5)$, in nats: how much the fair coin's mean cross-entropy exceeds the "
    "floor $H(\\hat p)$.",
    reference="mpmath at 50 digits: $0.7 \\ln(0.7/0.5) + 0.3 \\ln(0.3/0.5)$",
    fmt="{:.6f}",
)
def coin_kl_at_half() -> float:
    return float(info.kl_divergence([0.7, 0.3], [0.5, 0.5]))


@coin_kl_at_half.check
def _(value: float) -> None:
    assert abs(value - float(_mp_coin_kl("1/2"))) < 1e-15
    assert abs(value - (_coin_mean_ce(0.5) - coin_mean_ce_at_mle())) < 1e-14


# Two groups of inputs: x = 0 with one label 1 in three, x = 1 with two labels 1 in three.
X_GROUPS = np.array([[0.0]] * 3 + [[1.0]] * 3)
Y_GROUPS = np.array([0, 0, 1, 0, 1, 1])


@claim(
    "conditional-entropy-floor",
    "Six examples in two groups of inputs, $x = 0$ with one label 1 in three and $x = 1$ with "
    "two in three: the mean cross-entropy of the fitted logistic regression (nats). It "
    "reproduces each group's frequency, so it reaches the floor, the conditional entropy of "
    "the labels given the input, here the entropy of $(1/3, 2/3)$; no model of these inputs "
    "can do better.",
    reference="mpmath at 50 digits: $-(\\tfrac13 \\ln \\tfrac13 + \\tfrac23 \\ln \\tfrac23)$",
    fmt="{:.4f}",
)
def conditional_entropy_floor() -> float:
    fit = lk.fit_logistic_max_likelihood(X_GROUPS, Y_GROUPS)
    return lk.logistic_mean_cross_entropy(X_GROUPS, Y_GROUPS, fit.w, fit.b)


@conditional_entropy_floor.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        third = mpmath.mpf(1) / 3
        floor = -(third * mpmath.log(third) + (1 - third) * mpmath.log(1 - third))
    assert abs(value - float(floor)) < 1e-14
    assert value > 0.6  # labels are not determined by the input: the floor is far from 0


@claim(
    "softmax-invariance-dimension",
    "The softmax regression on `synthetic_categorical(90)` (two features, three classes, so "
    "nine parameters): the number of independent directions in which the parameters can move "
    "at the maximum without changing the likelihood (the null space of the Hessian). Adding "
    "one vector $u \\in \\mathbb{R}^{d + 1}$ to every class's $(w_k, b_k)$ changes no "
    "prediction, so it is $d + 1 = 3$.",
    reference="hand derivation: the directions are $u \\mathbf{1}^\\top$, $d + 1$ of them when "
    "the augmented features have full column rank (checked); and the 50-digit log-likelihood "
    "(mpmath) is unchanged by three such shifts",
    fmt="{:d}",
)
def softmax_invariance_dimension() -> int:
    x, _, ml, _ = _softmax()
    xa = np.hstack([x, np.ones((x.shape[0], 1))])
    theta = np.vstack([ml.w, ml.b])
    jac = gradients.softmax_jacobian(xa @ theta)
    h = np.einsum("ia,ib,ikl->akbl", xa, xa, jac).reshape(xa.shape[1] * K, xa.shape[1] * K)
    eig = np.linalg.eigvalsh(h)
    return int(np.sum(eig < 1e-10 * eig[-1]))


@softmax_invariance_dimension.check
def _(value: int) -> None:
    x, y, ml, _ = _softmax()
    xa = np.hstack([x, np.ones((x.shape[0], 1))])
    assert np.linalg.matrix_rank(xa) == xa.shape[1]  # full column rank: d + 1 directions
    assert value == xa.shape[1]
    theta = np.vstack([ml.w, ml.b])

    def mp_loglik(th: np.ndarray) -> mpmath.mpf:
        with mpmath.workdps(DIGITS):
            total = mpmath.mpf(0)
            for xi, yi in zip(xa.tolist(), y.tolist(), strict=True):
                z = [
                    mpmath.fsum(to_mpf(a) * to_mpf(float(th[r, c])) for r, a in enumerate(xi))
                    for c in range(K)
                ]
                total += z[yi] - mpmath.log(mpmath.fsum(mpmath.exp(v) for v in z))
            return total

    base = mp_loglik(theta)
    for u in np.eye(xa.shape[1]):
        shifted = theta + np.outer(u, np.ones(K))  # u added to every class's parameters
        assert abs(mp_loglik(shifted) - base) < mpmath.mpf(10) ** -12


@claim(
    "nll-ascent-gradient-growth",
    "In the 100 steps of gradient ascent on the mean cross-entropy of `synthetic_binary(40)` "
    "from zero (the NLL divided by $N$), the ratio of the gradient's length at the last step to "
    "its length at the first: it never shrinks, because the loss is convex, so ascent cannot "
    "settle anywhere. Most of the growth comes within the first five steps.",
    reference="mpmath: the ascent redone at 50 digits from the hand-derived gradient; the "
    "gradient's length checked to grow at every step, and to have done most of its growing "
    "after five steps",
    fmt="{:.1f}",
)
def nll_ascent_gradient_growth() -> float:
    x, y, _, _ = _logistic()
    xa = np.hstack([x, np.ones((x.shape[0], 1))])
    lr = lk.descent_step_size(x)
    theta = np.zeros(2)
    norms = []
    for _ in range(ASCENT_STEPS):
        dz = gradients.binary_cross_entropy_with_logits_grad(xa @ theta, y.astype(np.float64))
        g = xa.T @ dz
        norms.append(float(np.linalg.norm(g)))
        theta = theta + lr * g
    return norms[-1] / norms[0]


@nll_ascent_gradient_growth.check
def _(value: float) -> None:
    with mpmath.workdps(DIGITS):
        w, b, lr = mpmath.mpf(0), mpmath.mpf(0), _mp_step_size()
        norms = []
        for _ in range(ASCENT_STEPS):
            gw, gb = _mp_mean_gradient(w, b)
            norms.append(mpmath.sqrt(gw**2 + gb**2))
            w, b = w + lr * gw, b + lr * gb
        assert all(b_ >= a_ for a_, b_ in itertools.pairwise(norms))
        assert abs(value - float(norms[-1] / norms[0])) < 1e-10 * value
        # "most of it within the first five steps": the growth after five steps is more than
        # half of the whole growth
        assert norms[5] / norms[0] - 1 > (value - 1) / 2
