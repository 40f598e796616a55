"""Every figure of the book: pure functions registered by ID, one module per chapter.

>>> from ce_book import figures
>>> spec = figures.get("surprisal-curve")
>>> spec.chapter, spec.path
('information', 'docs/figures/surprisal-curve.svg')

A figure function takes no required arguments and returns a ``matplotlib`` Figure built
with :mod:`ce_book.figures.style`; :func:`render` turns it into reproducible SVG bytes, and
``scripts/make_figures.py`` writes them to ``docs/figures/<id>.svg``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.figure import Figure

from ce_book._registry import Registry, check_id, import_modules
from ce_book.artefacts import same_up_to_rounding
from ce_book.figures import style


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure: ID, alt text, caption (Markdown) and the function drawing it."""

    id: str
    alt: str
    caption: str
    function: Callable[[], Figure]

    @property
    def chapter(self) -> str:
        return self.function.__module__.rpartition(".")[2]

    @property
    def path(self) -> str:
        """Where the rendered SVG lives, relative to the repository root."""
        return f"docs/figures/{self.id}.svg"


_FIGURES: Registry[FigureSpec] = Registry("figure")


def figure(
    id: str, *, alt: str, caption: str
) -> Callable[[Callable[[], Figure]], Callable[[], Figure]]:
    """Decorator registering a figure function under ``id``; the function is returned as is."""
    check_id(id)
    for name, text in (("alt", alt), ("caption", caption)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{name}: figure {id!r} needs a non-empty string")

    def register(function: Callable[[], Figure]) -> Callable[[], Figure]:
        _FIGURES.add(id, FigureSpec(id, alt, caption, function), where=function.__module__)
        return function

    return register


def get(id: str) -> FigureSpec:
    """The figure registered as ``id``; ``KeyError`` naming the ID if there is none."""
    return _FIGURES.get(id)


def all_figures() -> list[FigureSpec]:
    """Every registered figure, chapter by chapter."""
    return _FIGURES.all()


def matches(committed: bytes, svg: bytes) -> bool:
    """Whether a committed SVG is ``svg`` up to the last printed digit of a coordinate (a
    ten-thousandth of a point), which can differ between CPUs; see :mod:`ce_book.artefacts`."""
    return same_up_to_rounding(committed.decode(), svg.decode(), rel=1e-9, absolute=1e-4)


def render(id: str) -> bytes:
    """Draw figure ``id`` in the house style and return its SVG bytes."""
    spec = get(id)
    with style.context():
        fig = spec.function()
    if not isinstance(fig, Figure):
        raise TypeError(f"id: figure {id!r} returned {type(fig).__name__}, not a Figure")
    return style.to_svg(fig)


import_modules(__name__, __path__, skip=("style",))

__all__ = ["FigureSpec", "all_figures", "figure", "get", "matches", "render", "style"]
