r"""Errata: every mistake found in the seed articles, and the misconceptions readers bring.

Each entry is one mistake: where it is (seed file and line), a few words quoted from it,
what kind of mistake it is, what is true instead, and the ID of a claim in the ledger
(:mod:`ce_book.claims`) whose check demonstrates the truth. The chapter "Misconceptions and
errata" (``docs/errata.md``) discusses every entry under an anchor equal to its ID, and the
tests make sure that no entry is left without its claim or its section.

The seed articles are the five texts the book grew from (see :data:`SEEDS`); line numbers
count from 1 in the stored text files.

>>> len(ERRATA) >= 15
True
>>> get("seed-nll-loss-softmax").claim
'errata-nll-loss-picks-and-negates'
"""

from __future__ import annotations

from dataclasses import dataclass

#: The seed articles: short name -> (stored file name, what the article is).
SEEDS: dict[str, tuple[str, str]] = {
    "000": ("000_32aa90d2e1bf5eac.txt", "a forum thread on log bases and on CE vs KL"),
    "001": ("001_f1756b3d601652ee.txt", "notes on sigmoid, softmax, log, NLL and CE"),
    "002": ("002_f80980b74928d5e1.txt", "measure-theory notes: CE as maximum likelihood"),
    "003": ("003_259d5b0e3f228c14.txt", "a tutorial on binary and categorical CE in Python"),
    "004": ("004_72ced2115f8399cf.txt", "notes on gradient intuition"),
}

#: The kinds of mistake, in the words the chapter uses for them.
KINDS = ("fact", "sign", "code", "number", "wording", "notation")


@dataclass(frozen=True)
class Erratum:
    """One mistake in a seed article (or, with ``source=None``, a common misconception).

    ``quote`` is a few words exactly as the source has them; ``truth`` says, in one or two
    sentences of Markdown, what is true instead; ``claim`` is the ID of the ledger entry that
    demonstrates it; ``see`` optionally points to the page (and anchor) of the book that treats
    the point at length; ``also`` lists other seeds that make the same mistake.
    """

    id: str
    source: str | None
    line: int | None
    kind: str
    quote: str
    truth: str
    claim: str
    see: str | None = None
    also: tuple[str, ...] = ()


ERRATA: tuple[Erratum, ...] = (
    # --- 000: the forum thread -----------------------------------------------------------
    Erratum(
        "seed-natural-log-wrong",
        "000",
        18,
        "fact",
        "report for that people that they are wrong",
        "The natural log is not wrong. Changing the base multiplies every cross-entropy by the "
        "same positive constant $1/\\ln b$, so the minimiser and the direction of every "
        "gradient are unchanged; PyTorch and TensorFlow measure in nats.",
        "errata-bits-over-nats-constant",
        see="information.md#bits-and-nats",
    ),
    Erratum(
        "seed-counterexample-not-a-distribution",
        "000",
        29,
        "fact",
        "[0.2,0.2,0.2,0.2]",
        "Four entries of 0.2 sum to 0.8, so this is not a probability mass function, and "
        "`ce_book.info.cross_entropy` refuses it.",
        "seed-four-fifths-total",
    ),
    Erratum(
        "seed-counterexample-value",
        "000",
        30,
        "number",
        "CE for them 2.3219",
        "The four terms $-0.2 \\log_2 0.2$ add up to $0.8 \\log_2 5$, not 2.3219; 2.3219 is "
        "$\\log_2 5$, the entropy of the uniform distribution on five outcomes. With five "
        "outcomes the commenter's point stands: $H(u, u) = \\log_2 5 \\neq 0$.",
        "errata-four-terms-bits",
    ),
    Erratum(
        "seed-constant-factor",
        "000",
        48,
        "fact",
        "identical up to a constant factor",
        "They differ by an additive constant, not a factor: "
        "$H(p, q) = H(p) + D_{\\mathrm{KL}}(p \\,\\|\\, q)$, so $H(p, q) - D_{\\mathrm{KL}}$ is "
        "the same for every $q$ while the ratio $H(p, q) / D_{\\mathrm{KL}}$ is not.",
        "errata-ce-minus-kl-constant",
    ),
    Erratum(
        "seed-ce-measures-difference",
        "000",
        24,
        "fact",
        "signifies how different the two distributions are",
        "Cross-entropy of a distribution with itself is its entropy, not 0, so cross-entropy "
        "alone does not say how different two distributions are; KL divergence, the part of "
        "$H(p, q)$ above $H(p)$, does.",
        "uniform-five-self-cross-entropy-bits",
        also=("001", "004"),
    ),
    Erratum(
        "seed-lower-loss-better-model",
        "003",
        5,
        "fact",
        "the lower the loss, the better the model",
        "Not by every measure: a model can have the lower mean cross-entropy and the lower "
        "accuracy at the same time, and a training loss that keeps falling can come with a "
        "validation loss that rises.",
        "errata-lower-loss-lower-accuracy",
        also=("000",),
    ),
    # --- 001: notes on sigmoid, softmax, log, NLL --------------------------------------------
    Erratum(
        "seed-sigmoid-strictly-inside",
        "001",
        3,
        "wording",
        "always outputs a number between 0 and 1",
        "True, and strictly between in exact arithmetic; but in floating point the endpoints "
        "are reached: from $z = 37$ (float64) the textbook sigmoid is exactly `1.0`, and then "
        "$\\log(1 - \\sigma(z)) = \\log 0$.",
        "stability-sigmoid-rounds-to-one",
        see="stability.md#the-logarithm-of-zero",
    ),
    Erratum(
        "seed-slightly-bigger-near-one",
        "001",
        26,
        "fact",
        "slightly bigger than the others",
        "A slightly bigger logit does not get a probability near 1: with logits $(1.1, 1, 1)$ "
        "the largest probability is close to $1/3$. How far apart logits must be depends on "
        "their scale; only a gap of several units concentrates the mass.",
        "errata-softmax-slight-gap",
        also=("004",),
    ),
    Erratum(
        "seed-nll-loss-softmax",
        "001",
        30,
        "code",
        "F.nll_loss takes the softmax and then takes the negative",
        "`nll_loss` applies neither a softmax nor a log: it picks each row's entry at the "
        "target index, negates it and averages. It expects log-probabilities, which is why "
        "it follows `log_softmax`.",
        "errata-nll-loss-picks-and-negates",
        see="categorical.md#what-nll_loss-really-computes",
    ),
    Erratum(
        "seed-negative-numbers-underflow",
        "001",
        34,
        "fact",
        "Multiplying lots of negative numbers",
        "Probabilities are positive. The likelihood is a product of many positive numbers "
        "below 1, which underflows to exactly 0; the sign plays no part.",
        "stability-likelihood-underflows",
        see="stability.md#underflow-products-of-probabilities",
    ),
    Erratum(
        "seed-log-makes-larger",
        "001",
        34,
        "wording",
        "transform these probabilities to larger values",
        "The log sends probabilities in $(0, 1)$ to negative numbers. What it buys is that a "
        "product becomes a sum of moderate terms, which no longer underflows.",
        "stability-log-likelihood-sum",
        see="stability.md#underflow-products-of-probabilities",
    ),
    Erratum(
        "seed-log-undefined-below-zero",
        "001",
        34,
        "wording",
        "It is not defined for numbers less than 0",
        "True, but not at 0 either: $\\log x \\to -\\infty$ as $x \\to 0^+$. In "
        "floating point `log(0)` is `-inf`, and a term $0 \\cdot \\log 0$ becomes `nan`.",
        "stability-naive-bce-nan",
        see="stability.md#the-logarithm-of-zero",
    ),
    Erratum(
        "seed-gradient-linear",
        "001",
        52,
        "fact",
        "The gradient of the Cross entropy loss is linear",
        "The gradient with respect to the logits is $p - t$: bounded (each component lies in "
        "$[-1, 1]$), which is what rules out sudden jumps, but not linear in the logits. "
        "With respect to a probability it is $-1/q$, further still from linear.",
        "errata-ce-gradient-not-linear",
        see="gradients.md#ce-softmax-gradient",
    ),
    Erratum(
        "seed-minimize-equals-maximize",
        "001",
        69,
        "wording",
        "Cross Entropy = minimize(Softmax + NLL) = maximize(LL)",
        "Cross-entropy is a number, not an optimisation. The identity behind the slogan is "
        "that the summed cross-entropy of a dataset equals minus its log-likelihood, so "
        "minimising the one maximises the other.",
        "errata-total-ce-is-minus-log-likelihood",
        see="likelihood.md#why-minimising-cross-entropy-is-maximising-likelihood",
    ),
    Erratum(
        "seed-bins-counts",
        "001",
        73,
        "notation",
        "Bin P = {2 red, 3 green, 4 blue}",
        "The bins are written as sets of counts; the distributions are the counts divided by "
        "9. The seed's sum then checks out (its value is not given there): it is the "
        "cross-entropy of the bins in bits.",
        "bins-cross-entropy-bits",
        see="information.md#two-bins-of-coloured-balls",
    ),
    # --- 002: measure-theory notes ----------------------------------------------------------
    Erratum(
        "seed-maximize-negative-ll",
        "002",
        23,
        "sign",
        "maximizing the (negative) log-likelihood",
        "Minimising cross-entropy is maximising the log-likelihood, i.e. minimising the "
        "negative log-likelihood; maximising the negative log-likelihood would maximise the "
        "cross-entropy.",
        "errata-total-ce-is-minus-log-likelihood",
        see="likelihood.md#minimised-not-maximised",
    ),
    Erratum(
        "seed-maximimizing-positive",
        "002",
        37,
        "sign",
        "maximimizing the negative log-likelihood",
        "The same sign slip again, with a reason that does not carry the conclusion: that "
        "$-\\log \\hat y > 0$ is irrelevant. The equivalence is the identity "
        "$\\ell = -\\sum_i H(y_i, \\hat y_i)$ derived in the step before.",
        "errata-total-ce-is-minus-log-likelihood",
        see="likelihood.md#minimised-not-maximised",
    ),
    # --- 003: the Python tutorial -----------------------------------------------------------
    Erratum(
        "seed-kl-metric",
        "003",
        15,
        "fact",
        "KL divergence, a metric",
        "KL divergence is not a metric: it is not symmetric and it breaks the triangle "
        "inequality (a detour through the uniform distribution can be shorter).",
        "bins-kl-via-uniform-bits",
        see="information.md#neither-is-a-distance",
    ),
    Erratum(
        "seed-log-sign-closed-interval",
        "003",
        53,
        "wording",
        "are negative and positive, respectively",
        "On $(0, 1]$ they are non-positive and non-negative: both are 0 at $x = 1$, the last "
        "point of the seed's own plotting grid.",
        "errata-log-at-grid-end",
    ),
    Erratum(
        "seed-undefined-p",
        "003",
        72,
        "code",
        "bce_1 = -np.log(p)",
        "The plotting snippet uses `p` without defining it, so it stops with `NameError`; "
        "it needs a grid such as `p = np.linspace(0.001, 0.999)` first.",
        "errata-plot-snippet-name-error",
    ),
    Erratum(
        "seed-np-float",
        "003",
        100,
        "code",
        "np.float_(t)",
        "`np.float_` was removed in NumPy 2.0, so both loss functions of the tutorial stop "
        "with `AttributeError`; `np.float64` (or `np.asarray(t, dtype=float)`) works.",
        "errata-np-float-removed",
        see="binary.md#the-tutorials-code-then-and-now",
    ),
    Erratum(
        "seed-rounding-1-771",
        "003",
        140,
        "number",
        "1.771 occurs",
        "The loss at $p = 0.17$ for label 1 is $-\\ln 0.17$, which rounds to 1.772 at three "
        "decimals (the article truncated its own printed value).",
        "errata-seed-loss-at-0-17",
    ),
    Erratum(
        "seed-two-cases-zi",
        "003",
        225,
        "wording",
        "with respect to the raw output z_i",
        "The two cases are $\\partial p_i / \\partial z_j$ for $i = j$ and for $i \\neq j$; "
        "the derivative with respect to $z_i$ alone is only the first. The second case, "
        "$-p_i p_j$, is not zero, and the loss gradient needs it.",
        "errata-softmax-off-diagonal",
        see="gradients.md#softmax-partials",
    ),
    # --- 004: gradient intuition ------------------------------------------------------------
    Erratum(
        "seed-decrease-by-p-minus-1",
        "004",
        1,
        "sign",
        "*decrease* our loss by $p_i - 1$",
        "$p_i - 1$ is negative: a unit step up on the true logit changes the loss by about "
        "$p_i - 1$, that is, decreases it by $1 - p_i$.",
        "errata-true-logit-step",
        see="gradients.md#forces-that-sum-to-zero",
    ),
    Erratum(
        "seed-force-proportional-correct",
        "004",
        1,
        "fact",
        "The amount by which our prediction is correct",
        "It is the other way round: the pull on the true logit is $1 - p$, the amount by "
        "which the prediction falls short, and it vanishes as the prediction becomes right.",
        "errata-pull-shrinks-when-right",
        see="gradients.md#forces-that-sum-to-zero",
    ),
    Erratum(
        "seed-quadratic-causes-slowdown",
        "004",
        1,
        "fact",
        "the gradients are small because we are using a quadratic loss function",
        "In Nielsen's example the squared error's own derivative is large when the neuron is "
        "badly wrong; the gradient is small because of the factor $\\sigma'(z)$ of the "
        "saturated sigmoid. The sigmoid is the cause, not an aggravation.",
        "errata-slowdown-factors",
        see="gradients.md#the-learning-slowdown-made-precise",
    ),
    Erratum(
        "seed-same-improvement",
        "004",
        1,
        "fact",
        "yield the *same improvement* in our loss",
        "The two steps improve the squared loss by very different amounts; the 0.02 that both "
        "rows share is the change in the gradient, not in the loss.",
        "errata-squared-loss-improvements",
        see="gradients.md#the-learning-slowdown-made-precise",
    ),
    Erratum(
        "seed-one-hot-always",
        "004",
        1,
        "fact",
        "$p$ is always going to have all probability mass",
        "Not always: soft targets and label smoothing spread the target's mass, and then the "
        "smallest possible loss is the target's entropy, above 0.",
        "errata-smoothed-target-floor",
        see="beyond.md#label-smoothing-a-target-you-can-actually-reach",
    ),
    Erratum(
        "seed-distance-gradient",
        "004",
        1,
        "fact",
        "\\frac{1}{\\text{distance of i to true class}}",
        "Dividing some components of the gradient by a distance gives a field that is not the "
        "gradient of any loss: its Jacobian is not symmetric.",
        "errata-distance-field-not-gradient",
        see="beyond.md#a-tempting-fix-that-is-not-a-loss",
    ),
)

MISCONCEPTIONS: tuple[Erratum, ...] = (
    Erratum(
        "myth-ce-is-a-distance",
        None,
        None,
        "fact",
        "cross-entropy is the distance between two distributions",
        "A distance is symmetric and zero between equal arguments; cross-entropy is neither: "
        "$H(p, q) \\neq H(q, p)$ in general and $H(p, p) = H(p)$.",
        "bins-cross-entropy-reverse-bits",
        see="information.md#neither-is-a-distance",
    ),
    Erratum(
        "myth-softmax-calibrated",
        None,
        None,
        "fact",
        "softmax outputs are calibrated probabilities",
        "Softmax turns any logits into numbers that sum to 1. Scaling the logits changes "
        "every confidence without changing a single prediction, so the numbers are only "
        "frequencies if training made them so.",
        "errata-temperature-confidence",
        see="beyond.md#temperature-and-calibration",
    ),
    Erratum(
        "myth-loss-as-percentage",
        None,
        None,
        "wording",
        "a loss of 0.69 means 69%",
        "A mean loss $L$ in nats means the probability given to the true class has geometric "
        "mean $e^{-L}$: a loss of $\\ln 2 \\approx 0.69$ is a fair coin's 50%, the baseline of "
        "a binary classifier that has learned nothing.",
        "errata-loss-to-probability",
    ),
    Erratum(
        "myth-lower-loss-higher-accuracy",
        None,
        None,
        "fact",
        "lower loss always means higher accuracy",
        "Loss weighs confidence, accuracy counts the arg max: one confident mistake can cost "
        "more loss than several timid correct answers earn.",
        "errata-lower-loss-lower-accuracy",
    ),
    Erratum(
        "myth-zero-is-the-floor",
        None,
        None,
        "fact",
        "a perfect model reaches zero loss",
        "Only with one-hot targets. With soft targets the smallest cross-entropy is the "
        "entropy of the target, reached when the prediction equals it.",
        "errata-smoothed-target-floor",
        see="beyond.md#label-smoothing-a-target-you-can-actually-reach",
    ),
    Erratum(
        "myth-binary-is-different",
        None,
        None,
        "fact",
        "binary cross-entropy is a different loss",
        "Binary cross-entropy on a logit $z$ is the two-class cross-entropy on the logits "
        "$(z, 0)$: the sigmoid is the softmax of two classes.",
        "errata-binary-is-two-class",
        see="categorical.md#binary-cross-entropy-is-the-two-class-case",
    ),
    Erratum(
        "myth-eps-is-harmless",
        None,
        None,
        "fact",
        "clipping probabilities with a small eps is harmless",
        "Clipping caps every loss at $-\\log \\epsilon$ and sets the gradient to 0 where it "
        "acts, so the worst mistakes stop being corrected. Working with logits needs no eps.",
        "stability-clipped-bce-cap",
        see="stability.md#clipping-with-eps-versus-working-in-logits",
    ),
    Erratum(
        "myth-float64-is-enough",
        None,
        None,
        "fact",
        "float64 is precise enough for any loss",
        "The precision of the format is not the precision of the formula: in float64, "
        "`log` of a sum returns exactly 0 for a confident correct prediction whose loss is "
        "about $10^{-17}$; `log1p` keeps every digit.",
        "stability-tiny-loss-log-sum-zero",
        see="stability.md#the-tiny-loss-regime-where-even-pytorch-loses-every-digit",
    ),
)


def all_errata() -> tuple[Erratum, ...]:
    """Every seed erratum followed by every misconception.

    >>> all(e.kind in KINDS for e in all_errata())
    True
    """
    return ERRATA + MISCONCEPTIONS


def get(id: str) -> Erratum:
    """The erratum (or misconception) with this ID; ``KeyError`` naming the ID otherwise.

    >>> get("seed-kl-metric").source
    '003'
    """
    for entry in all_errata():
        if entry.id == id:
            return entry
    raise KeyError(f"id: unknown erratum {id!r}")
