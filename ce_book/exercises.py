"""Self-checking exercises for the labs.

A lab poses an exercise, leaves a cell with ``answer = None`` for the reader, and checks it
with :func:`check`, which says whether the answer passes and, if not, gives a hint. A later
cell holds the book's own solution and calls :func:`solution` with the same test: a solution
that fails its own test stops the build, so every solution shown is a checked one.

>>> def is_entropy_one_and_a_half(q):
...     return abs(sum(q) - 1) < 1e-12 and abs(-sum(x * math.log2(x) for x in q) - 1.5) < 1e-12
>>> import math
>>> check(None, is_entropy_one_and_a_half, hint="try halves and quarters")
Not answered yet: replace None with your answer and run the cell again.
>>> check([0.5, 0.5], is_entropy_one_and_a_half, hint="try halves and quarters")
Not yet: try halves and quarters.
>>> check([0.5, 0.25, 0.25], is_entropy_one_and_a_half, hint="try halves and quarters")
Correct.
>>> solution([0.5, 0.25, 0.25], is_entropy_one_and_a_half)
The book's answer passes the same test.
>>> solution([0.5, 0.5], is_entropy_one_and_a_half)
Traceback (most recent call last):
...
AssertionError: the book's solution fails its own test
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def check(answer: Any, accept: Callable[[Any], bool], *, hint: str) -> None:
    """Print whether ``answer`` passes ``accept`` (``None`` means not answered yet).

    An answer that makes ``accept`` raise (a wrong shape, a wrong type) counts as wrong, and
    the error is added to the hint. Nothing is returned, so a notebook shows only the message.
    """
    if answer is None:
        print("Not answered yet: replace None with your answer and run the cell again.")
        return
    try:
        ok = bool(accept(answer))
    except Exception as err:  # any error in a reader's answer makes it wrong
        ok, hint = False, f"{hint} ({type(err).__name__}: {err})"
    print("Correct." if ok else f"Not yet: {hint.rstrip('.')}.")


def solution(answer: Any, accept: Callable[[Any], bool]) -> None:
    """Assert that the book's own ``answer`` passes ``accept`` and say so; the build fails
    otherwise."""
    if not accept(answer):
        raise AssertionError("the book's solution fails its own test")
    print("The book's answer passes the same test.")
