r"""The five source articles the book grew from: what each one is, and how to cite a place in it.

The book names a source by its kind and title, as its text shows them (the Pinecone tutorial
"Cross-Entropy Loss", the notes "Understanding Cross Entropy", ...), never by the name of
the file that stores it. A place in a source is cited by the source's own section heading,
where it has headings, and by the line of the stored text (lines count from 1). The forum
thread has no headings; its parts are its posts. The notes "Cross Entropy and Neural Network
Mechanics" are stored as one single line with their Markdown headings inline, so a place in
them is a column of that line and is cited by section alone.

The stored texts are not part of the book (they live beside the checkout, in
``../shared/seeds`` or wherever ``$CE_BOOK_SEEDS`` points); the tables here are checked
against them by ``tests/test_sources.py``, and nothing here needs them at run time.

>>> cite("pinecone", 100)
'Pinecone tutorial "Cross-Entropy Loss", section "Binary Cross-Entropy Loss in Python", line 100'
>>> cite("forum", 24)
"forum thread on the Pinecone tutorial, Konstantin Burlachenko's reply, line 24"
>>> cite("mechanics", 1, 5717)
'notes "Cross Entropy and Neural Network Mechanics", section "1.2 Enter: The Gradient"'
>>> section("understanding", 9) is None  # before the first heading
True
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    """A heading (or, in the forum thread, a post) and where it starts in the stored text.

    ``text`` is the heading as it stands in the file (for the one-line source, with its
    Markdown ``#`` marks); ``label`` is what a citation shows; ``line`` and ``column`` (from 0)
    locate its first character.
    """

    text: str
    label: str
    line: int
    column: int = 0


@dataclass(frozen=True)
class Source:
    """One source article.

    ``name`` is how a citation begins; ``reader_name`` how a sentence names it the first time.
    ``heading_kind`` is ``"section"`` (the source has headings), ``"post"`` (a forum thread:
    its posts), or ``None`` (no headings). ``one_line`` marks a text stored as a single line.
    """

    key: str
    title: str
    kind: str
    file: str
    name: str
    reader_name: str
    heading_kind: str | None
    parts: tuple[Part, ...] = ()
    one_line: bool = False
    garbled: bool = False


SOURCES: tuple[Source, ...] = (
    Source(
        key="pinecone",
        title="Cross-Entropy Loss",
        kind="tutorial",
        file="003_259d5b0e3f228c14.txt",
        name='Pinecone tutorial "Cross-Entropy Loss"',
        reader_name='the Pinecone tutorial "Cross-Entropy Loss", on binary and categorical '
        "cross-entropy in Python",
        heading_kind="section",
        parts=(
            Part("What is Cross Entropy?", "What is Cross Entropy?", 13),
            Part(
                "Cross-Entropy Loss for Binary Classification",
                "Cross-Entropy Loss for Binary Classification",
                31,
            ),
            Part("Binary Cross-Entropy Loss in Python", "Binary Cross-Entropy Loss in Python", 95),
            Part(
                "Categorical Cross-Entropy Loss for Multiclass Classification",
                "Categorical Cross-Entropy Loss for Multiclass Classification",
                146,
            ),
            Part(
                "Categorical Cross-Entropy Loss in Python",
                "Categorical Cross-Entropy Loss in Python",
                181,
            ),
            Part(
                "Derivative of the Softmax Cross-Entropy Loss Function",
                "Derivative of the Softmax Cross-Entropy Loss Function",
                213,
            ),
            Part("Derivative of the Softmax Function", "Derivative of the Softmax Function", 221),
            Part(
                "Derivative of the Cross-Entropy Loss Function",
                "Derivative of the Cross-Entropy Loss Function",
                229,
            ),
            Part("Wrapping Up", "Wrapping Up", 235),
        ),
    ),
    Source(
        key="forum",
        title="Cross-Entropy Loss",
        kind="forum thread",
        file="000_32aa90d2e1bf5eac.txt",
        name="forum thread on the Pinecone tutorial",
        reader_name="the forum thread on the Pinecone community that discusses that tutorial",
        heading_kind="post",
        parts=(
            Part("Cross-Entropy Loss", "opening post", 1),
            Part(
                "Dear author of the post. Thanks for your work.",
                "Konstantin Burlachenko's reply",
                8,
            ),
            Part("Hello Konstantin,", "reply by the tutorial's author", 41),
        ),
    ),
    Source(
        key="understanding",
        title="Understanding Cross Entropy",
        kind="notes",
        file="001_f1756b3d601652ee.txt",
        name='notes "Understanding Cross Entropy"',
        reader_name='the notes "Understanding Cross Entropy", on the sigmoid, softmax, log, NLL '
        "and cross-entropy",
        heading_kind="section",
        parts=(
            Part("Cross-Entropy Loss", "Cross-Entropy Loss", 11),
            Part("Log", "Log", 32),
            Part(
                "Softmax + Negative Log = Cross Entropy Loss",
                "Softmax + Negative Log = Cross Entropy Loss",
                47,
            ),
        ),
    ),
    Source(
        key="measure",
        title="Cross Entropy Loss",
        kind="measure-theory notes",
        file="002_f80980b74928d5e1.txt",
        name='measure-theory notes "Cross Entropy Loss"',
        reader_name='the measure-theory notes "Cross Entropy Loss", on cross-entropy as maximum '
        "likelihood (their stored text has a garbled character encoding, but the LaTeX on each "
        "line is intact)",
        heading_kind=None,
        garbled=True,
    ),
    Source(
        key="mechanics",
        title="Cross Entropy and Neural Network Mechanics",
        kind="notes",
        file="004_72ced2115f8399cf.txt",
        name='notes "Cross Entropy and Neural Network Mechanics"',
        reader_name='the notes "Cross Entropy and Neural Network Mechanics", on the intuition '
        "behind the gradient",
        heading_kind="section",
        one_line=True,
        parts=(
            Part(
                "## 1. The Andrej Karpathy Vantage Point",
                "1. The Andrej Karpathy Vantage Point",
                1,
                750,
            ),
            Part(
                "### 1.1 The Softmax: From Logits to Probabilities",
                "1.1 The Softmax: From Logits to Probabilities",
                1,
                790,
            ),
            Part("### 1.2 Enter: The Gradient", "1.2 Enter: The Gradient", 1, 2840),
            Part(
                "## 2. The Michael Nielsen Viewpoint", "2. The Michael Nielsen Viewpoint", 1, 7295
            ),
            Part(
                "### Putting it all together: The animation and the intuition",
                "Putting it all together: The animation and the intuition",
                1,
                13246,
            ),
            Part(
                "### Ignoring Distance Between Classes",
                "Ignoring Distance Between Classes",
                1,
                14137,
            ),
        ),
    ),
)

_BY_KEY = {s.key: s for s in SOURCES}
#: The keys of the sources, in the order the book lists them.
KEYS: tuple[str, ...] = tuple(_BY_KEY)


def get(key: str) -> Source:
    """The source with this key; ``KeyError`` naming the key otherwise.

    >>> get("measure").garbled
    True
    """
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"key: unknown source {key!r}; expected one of {KEYS}") from None


def section(key: str, line: int, column: int = 0) -> Part | None:
    """The heading (or post) in effect at ``line`` (from 1) and ``column`` (from 0) of the
    source, or ``None`` when the place comes before the first one or the source has none.

    >>> section("pinecone", 140).label
    'Binary Cross-Entropy Loss in Python'
    >>> section("forum", 48).label
    "reply by the tutorial's author"
    """
    src = get(key)
    if isinstance(line, bool) or not isinstance(line, int) or line < 1:
        raise ValueError(f"line: must be a positive integer, got {line!r}")
    if src.one_line and line != 1:
        raise ValueError(f"line: {src.name} is stored as a single line, got line {line}")
    before = [p for p in src.parts if (p.line, p.column) <= (line, column)]
    return before[-1] if before else None


def cite(key: str, line: int, column: int = 0) -> str:
    """Where a place in a source is, as the book cites it: name, section or post, line.

    A one-line source is cited by section only; a place before the first heading by line only.

    >>> cite("measure", 23)
    'measure-theory notes "Cross Entropy Loss", line 23'
    """
    src = get(key)
    part = section(key, line, column)
    pieces = [src.name]
    if part is not None:
        pieces.append(f'section "{part.label}"' if src.heading_kind == "section" else part.label)
    elif src.one_line:
        pieces.append("opening paragraph")
    if not src.one_line:
        pieces.append(f"line {line}")
    return ", ".join(pieces)
