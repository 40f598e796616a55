r"""Errata: every mistake found in the five source articles, and the misconceptions readers bring.

Each entry is one mistake: where it is (a source of :mod:`ce_book.sources`, a line, and for the
source stored as a single line a column), a few words quoted from it, what kind of mistake it
is, what is true instead, and the ID of a claim in the ledger (:mod:`ce_book.claims`) whose
check demonstrates the truth. The chapter "Misconceptions and errata" (``docs/errata.md``)
discusses every entry under an anchor equal to its ID and cites it as :func:`citation` writes
it: by the source's section (or post), never by a line of the stored text, which a reader
cannot see; a source without headings is cited by ``where``, a few words that say which part
of it. The tests make sure that no entry is left without its claim, its section or its
citation, and that every quote stands in the source where the entry says.

IDs are stable page anchors: ``erratum-...`` for a mistake in a source, ``note-...`` for a
correct statement that deserves a remark, ``myth-...`` for a misconception not tied to one
source.

>>> len(ERRATA) >= 15
True
>>> get("erratum-nll-loss-softmax").claim
'errata-torch-nll-loss'
>>> citation(get("erratum-np-float"))
'Pinecone tutorial "Cross-Entropy Loss", section "Binary Cross-Entropy Loss in Python"'
"""

from __future__ import annotations

from dataclasses import dataclass

from ce_book import sources

#: The kinds of entry, in the words the chapter uses for them. "reasoning" is a right conclusion
#: drawn for a wrong reason; a "note" flags no mistake.
KINDS = ("fact", "reasoning", "sign", "code", "number", "wording", "notation", "note")


@dataclass(frozen=True)
class Place:
    """Another place, in some source, that says the same thing (``quote`` stands there)."""

    source: str
    line: int
    quote: str
    column: int = 0
    where: str = ""


@dataclass(frozen=True)
class Erratum:
    """One mistake in a source article (or, with ``source=None``, a common misconception).

    ``source`` is a key of :data:`ce_book.sources.SOURCES`; ``line`` counts from 1 and
    ``column`` from 0 (it matters only for the source stored as one line). ``quote`` is a few
    words exactly as the source has them; ``truth`` says, in one or two sentences of Markdown,
    what is true instead; ``claim`` is the ID of the ledger entry that demonstrates it;
    ``see`` optionally points to the page (and anchor) of the book that treats the point at
    length; ``also`` lists other places that make the same mistake; ``where`` says which part
    of a source without headings the quote comes from.
    """

    id: str
    source: str | None
    line: int | None
    kind: str
    quote: str
    truth: str
    claim: str
    see: str | None = None
    also: tuple[Place, ...] = ()
    column: int = 0
    where: str = ""


ERRATA: tuple[Erratum, ...] = (
    # --- the forum thread on the Pinecone tutorial -------------------------------------------
    Erratum(
        "erratum-natural-log-wrong",
        "forum",
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
        "erratum-counterexample-not-a-distribution",
        "forum",
        29,
        "fact",
        "[0.2,0.2,0.2,0.2]",
        "Four entries of 0.2 sum to 0.8, so this is not a probability mass function, and "
        "`ce_book.info.cross_entropy` refuses it.",
        "errata-counterexample-total",
    ),
    Erratum(
        "erratum-constant-factor",
        "forum",
        48,
        "wording",
        "identical up to a constant factor",
        "They differ by an additive constant, not a factor: cross-entropy is the target's "
        "entropy plus the KL divergence, so $H(t, p) - D_{\\mathrm{KL}}(t \\,\\|\\, p)$ is the "
        "same for every prediction $p$ while the ratio of the two is not.",
        "errata-ce-minus-kl-constant",
    ),
    # --- the notes "Understanding Cross Entropy" ---------------------------------------------
    Erratum(
        "erratum-slightly-bigger-near-one",
        "mechanics",
        1,
        "fact",
        "if one value is even slightly larger than the rest",
        "A slightly larger logit does not rapidly get most of the probability: with logits "
        "$(1.1, 1, 1)$ the largest probability is close to $1/3$. How far apart logits must be "
        "depends on their scale; only a gap of several units concentrates the mass.",
        "errata-softmax-slight-gap",
        column=13020,
    ),
    Erratum(
        "erratum-nll-loss-softmax",
        "understanding",
        30,
        "code",
        "F.nll_loss takes the softmax and then takes the negative",
        "`nll_loss` applies neither a softmax nor a log: it picks each row's entry at the "
        "target index, negates it and averages. It expects log-probabilities, which is why "
        "it follows `log_softmax`.",
        "errata-torch-nll-loss",
        see="categorical.md#what-nll_loss-really-computes",
    ),
    Erratum(
        "erratum-negative-numbers-underflow",
        "understanding",
        34,
        "wording",
        "Multiplying lots of negative numbers",
        "Probabilities are positive. The likelihood is a product of many positive numbers "
        "below 1, which underflows to exactly 0; the sign plays no part.",
        "stability-likelihood-underflows",
        see="stability.md#underflow-products-of-probabilities",
    ),
    Erratum(
        "erratum-log-makes-larger",
        "understanding",
        34,
        "wording",
        "transform these probabilities to larger values",
        "The log does not make probabilities larger: it makes them negative, and larger in "
        "size only below about 0.567. What it makes larger is the product: a product that "
        "underflows to 0 becomes a moderate sum of logs.",
        "stability-log-likelihood-sum",
        see="stability.md#underflow-products-of-probabilities",
    ),
    Erratum(
        "erratum-gradient-linear",
        "understanding",
        52,
        "fact",
        "The gradient of the Cross entropy loss is linear",
        "The gradient with respect to the logits is $p - t$: bounded (each component lies in "
        "$[-1, 1]$), which rules out exponential growth, and smooth, with derivatives that are "
        "products of probabilities, which rules out sudden jumps. For that very reason it is not "
        "linear, nor even affine, in the logits: a non-constant affine map is unbounded.",
        "errata-ce-gradient-not-affine",
        see="gradients.md#ce-softmax-gradient",
    ),
    Erratum(
        "erratum-ce-measures-difference",
        "understanding",
        55,
        "fact",
        "a measure of the difference between two probability distributions",
        "Cross-entropy of a distribution with itself is its entropy, not 0, so cross-entropy "
        "alone does not say how different two distributions are; KL divergence, the part of "
        "$H(p, q)$ above $H(p)$, does.",
        "uniform-five-self-cross-entropy-bits",
        also=(
            Place(
                "mechanics",
                1,
                "Cross entropy is simply one way of measuring the difference",
                45,
            ),
        ),
    ),
    Erratum(
        "erratum-minimize-equals-maximize",
        "understanding",
        69,
        "wording",
        "Cross Entropy = minimize(Softmax + NLL) = maximize(LL)",
        "Cross-entropy is a number, not an optimisation. The identity behind the slogan is "
        "that the summed cross-entropy of a dataset equals minus its log-likelihood, so "
        "minimising the one maximises the other.",
        "errata-total-ce-is-minus-log-likelihood",
        see="likelihood.md#why-minimising-cross-entropy-is-maximising-likelihood",
    ),
    # --- the measure-theory notes "Cross Entropy Loss" ---------------------------------------
    Erratum(
        "erratum-density-not-bits",
        "measure",
        19,
        "wording",
        "the average number of bits you'd use to represent",
        "The code-length reading holds for discrete distributions (the expected length of an "
        "ideal code), in bits when the log is to "
        "base 2, with the code built for $Q$ and the words drawn from $P$. For the densities "
        "of the integral the notes write just before, cross-entropy is not a number of bits "
        "at all: it can be negative.",
        "errata-density-cross-entropy-negative",
        where="remark after the definition",
    ),
    Erratum(
        "erratum-measure-notation",
        "measure",
        15,
        "notation",
        "\\log(q(x)) \\, dp(x)",
        "Integrating against $dp(x)$ mixes the two notations: the measure is $P$, so the "
        "integral is against $dP(x)$, or against $p(x)\\,dx$ with the density. Likewise "
        "$\\mathbb{E}_P[\\log Q]$ takes the log of a measure; what is meant is "
        "$\\mathbb{E}_P[\\log q(X)]$, the log of the density (or mass) of $Q$ at a draw from "
        "$P$.",
        "bins-cross-entropy-bits",
        see="information.md#cross-entropy",
        where="opening definition",
    ),
    Erratum(
        "erratum-maximize-negative-ll",
        "measure",
        23,
        "sign",
        "maximizing the (negative) log-likelihood",
        "Minimising cross-entropy is maximising the log-likelihood, i.e. minimising the "
        "negative log-likelihood; maximising the negative log-likelihood would maximise the "
        "cross-entropy. The proof's last step repeats the slip and justifies it by the "
        "positivity of $-\\log \\hat y$, which is beside the point: the equivalence is the "
        "identity $\\ell = -\\sum_i H(y_i, \\hat y_i)$ derived in the step before.",
        "errata-total-ce-is-minus-log-likelihood",
        see="likelihood.md#why-minimising-cross-entropy-is-maximising-likelihood",
        where="statement of the result",
    ),
    # --- the Pinecone tutorial "Cross-Entropy Loss" ------------------------------------------
    Erratum(
        "erratum-kl-metric",
        "pinecone",
        15,
        "wording",
        "KL divergence, a metric",
        "KL divergence is not a metric: it is not symmetric and it breaks the triangle "
        "inequality (a detour through the uniform distribution can be shorter).",
        "bins-kl-via-uniform-bits",
        see="information.md#neither-is-a-distance",
    ),
    Erratum(
        "erratum-log-sign-closed-interval",
        "pinecone",
        53,
        "wording",
        "are negative and positive, respectively",
        "On $(0, 1]$ they are non-positive and non-negative: both are 0 at $x = 1$, the last "
        "point of the tutorial's own plotting grid.",
        "errata-log-at-grid-end",
    ),
    Erratum(
        "erratum-undefined-p",
        "pinecone",
        72,
        "code",
        "bce_1 = -np.log(p)",
        "The plotting snippet uses `p` without defining it, so it stops with `NameError`; "
        "it needs a grid such as `p = np.linspace(0.001, 0.999)` first.",
        "errata-plot-snippet-name-error",
    ),
    Erratum(
        "erratum-np-float",
        "pinecone",
        100,
        "code",
        "np.float_(t)",
        "`np.float_` was removed in NumPy 2.0, so both loss functions of the tutorial stop "
        "with `AttributeError`; `np.float64` (or `np.asarray(t, dtype=float)`) works.",
        "errata-np-float-removed",
        see="binary.md#the-tutorials-code-and-what-to-keep-from-it",
    ),
    Erratum(
        "erratum-rounding-1-771",
        "pinecone",
        140,
        "number",
        "1.771 occurs",
        "The loss at $p = 0.17$ for label 1 is $-\\ln 0.17$, which rounds to 1.772 at three "
        "decimals (the article truncated its own printed value).",
        "errata-loss-at-0-17",
    ),
    Erratum(
        "erratum-categorical-code-nan",
        "pinecone",
        190,
        "code",
        "loss = -np.sum(t * np.log(p))",
        "The sum multiplies every $\\log p_i$ by $t_i$, including the zeros of the one-hot "
        "target. A predicted probability of exactly 0 on a wrong class gives "
        "$0 \\cdot (-\\infty)$, which is `nan`, where the loss is finite.",
        "errata-categorical-code-nan",
    ),
    Erratum(
        "erratum-two-cases-zi",
        "pinecone",
        225,
        "wording",
        "with respect to the raw output z_i",
        "The two cases are $\\partial p_i / \\partial z_j$ for $i = j$ and for $i \\neq j$; "
        "the derivative with respect to $z_i$ alone is only the first. The second case, "
        "$-p_i p_j$, is not zero, and the loss gradient needs it.",
        "errata-softmax-off-diagonal",
        see="gradients.md#softmax-partials",
    ),
    # --- the notes "Cross Entropy and Neural Network Mechanics" (one line) ------------------
    Erratum(
        "erratum-decrease-by-p-minus-1",
        "mechanics",
        1,
        "sign",
        "*decrease* our loss by $p_i - 1$",
        "$p_i - 1$ is negative: to first order, a small step up on the true logit changes the "
        "loss by $p_i - 1$ times the step, that is, decreases it by $1 - p_i$ times the step. "
        "A whole unit step lowers it by less, because $p_i$ grows along the way; on a wrong "
        "logit the whole step raises it by more than the slope, for the same reason: the loss "
        "is convex along any step.",
        "errata-true-logit-unit-step",
        see="gradients.md#forces-that-sum-to-zero",
        column=5717,
    ),
    Erratum(
        "erratum-force-proportional-correct",
        "mechanics",
        1,
        "fact",
        "The amount by which our prediction is correct",
        "It is the other way round: the pull on the true logit is $1 - p$, the amount by "
        "which the prediction falls short, and it vanishes as the prediction becomes right.",
        "errata-pull-shrinks-when-right",
        see="gradients.md#forces-that-sum-to-zero",
        column=7178,
    ),
    Erratum(
        "erratum-quadratic-causes-slowdown",
        "mechanics",
        1,
        "reasoning",
        "the gradients are small because we are using a quadratic loss function",
        "In Nielsen's example the squared error's own derivative is large when the neuron is "
        "badly wrong; the small factor is the slope $\\sigma'(z)$ of the saturated sigmoid. "
        "Squared error leaves that factor in place and cross-entropy cancels it, so the sigmoid "
        "is not a mere aggravation: without it there is no slowdown.",
        "errata-slowdown-factors",
        see="gradients.md#the-learning-slowdown-made-precise",
        column=9691,
    ),
    Erratum(
        "erratum-same-improvement",
        "mechanics",
        1,
        "fact",
        "yield the *same improvement* in our loss",
        "The two steps improve the squared loss by very different amounts; the 0.02 that both "
        "rows share is the change in the gradient, not in the loss.",
        "errata-squared-loss-improvements",
        see="gradients.md#the-learning-slowdown-made-precise",
        column=10184,
    ),
    Erratum(
        "erratum-large-loss-large-update",
        "mechanics",
        1,
        "reasoning",
        "produce a large loss and hence yield larger updates",
        "The very wrong prediction does get the larger update, but not because its loss or the "
        "slope $-1/q$ is large. Through the sigmoid or softmax $-1/q$ is multiplied by "
        "$q(1 - q)$, so the push on the logit is $q - 1$: at most 1 in size, however large "
        "the loss.",
        "errata-logit-push-bounded",
        see="gradients.md#the-learning-slowdown-made-precise",
        column=11422,
    ),
    Erratum(
        "erratum-one-hot-always",
        "mechanics",
        1,
        "wording",
        "$p$ is always going to have all probability mass",
        "True for hard labels, the notes' setting, but not for every target: soft targets "
        "and label smoothing spread the target's mass, and then the "
        "smallest possible loss is the target's entropy, above 0.",
        "errata-smoothed-target-floor",
        see="beyond.md#label-smoothing-a-target-you-can-actually-reach",
        column=938,
    ),
    Erratum(
        "erratum-distance-gradient",
        "mechanics",
        1,
        "fact",
        "\\frac{1}{\\text{distance of i to true class}}",
        "Dividing some components of the gradient by a distance gives a field that is not the "
        "gradient of any loss (its Jacobian is not symmetric), whose components no longer sum "
        "to 0, and which pushes hardest on the nearest wrong class, the opposite of the aim.",
        "errata-distance-field-not-gradient",
        see="beyond.md#a-tempting-fix-that-is-not-a-loss",
        column=15499,
    ),
)

MISCONCEPTIONS: tuple[Erratum, ...] = (
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
        "about $10^{-17}$; `log1p` keeps it to a few units in the last place.",
        "stability-tiny-loss-log-sum-zero",
        see="stability.md#confident-correct-predictions",
    ),
    Erratum(
        "myth-argument-order",
        None,
        None,
        "code",
        "the order of prediction and target does not matter",
        "It does, and nothing warns you. The Pinecone tutorial's functions take `(t, p)`, "
        "PyTorch's take `(input, target)`; swapped, PyTorch's binary cross-entropy takes the "
        "log of the 0/1 labels, clamps it at $-100$ and returns a large, meaningless number.",
        "errata-swapped-arguments",
        see="binary.md",
    ),
)


def all_errata() -> tuple[Erratum, ...]:
    """Every erratum and note on a source, followed by every misconception.

    >>> all(e.kind in KINDS for e in all_errata())
    True
    """
    return ERRATA + MISCONCEPTIONS


def get(id: str) -> Erratum:
    """The entry with this ID; ``KeyError`` naming the ID otherwise.

    >>> get("erratum-kl-metric").source
    'pinecone'
    """
    for entry in all_errata():
        if entry.id == id:
            return entry
    raise KeyError(f"id: unknown erratum {id!r}")


def citation(entry: Erratum | Place) -> str:
    """Where the entry (or another place) stands, as the chapter cites it: the source's name
    and its section (or, in the forum thread, the post); for a source without headings, the
    entry's ``where``. Never a line number: the reader sees the article, not our stored copy.

    >>> citation(get("erratum-decrease-by-p-minus-1"))
    'notes "Cross Entropy and Neural Network Mechanics", section "1.2 Enter: The Gradient"'
    >>> citation(get("erratum-maximize-negative-ll"))
    'measure-theory notes "Cross Entropy Loss", statement of the result'
    """
    if entry.source is None:
        raise ValueError(f"entry: {entry.id!r} is a misconception, not tied to a source")
    src = sources.get(entry.source)
    part = sources.section(entry.source, entry.line, entry.column)
    pieces = [src.name]
    if part is not None:
        pieces.append(f'section "{part.label}"' if src.heading_kind == "section" else part.label)
    elif entry.where:
        pieces.append(entry.where)
    elif src.one_line:
        pieces.append("opening paragraph")
    else:
        raise ValueError(f"entry: say `where` in {src.name} the quote stands")
    return ", ".join(pieces)
