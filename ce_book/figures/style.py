"""The house style of every figure: palette, fonts, sizes, and reproducible SVG output.

Colours are the Okabe-Ito palette, distinguishable with the common forms of colour
blindness. Text is drawn as paths (``svg.fonttype = "path"``) so an SVG needs no font on
the reader's machine and no web font; the hash salt is fixed and the date left out, so
rendering a figure twice gives identical bytes.

>>> fig = new_figure()
>>> svg = to_svg(fig)
>>> svg.startswith(b"<?xml") and svg == to_svg(fig)
True
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib
from matplotlib.figure import Figure

#: Okabe-Ito colours by name (Okabe and Ito, "Color Universal Design", 2008).
COLORS = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
#: Order in which lines of one plot take their colours (yellow is kept for fills).
CYCLE = ("blue", "vermillion", "green", "orange", "purple", "sky", "black")

#: Width and height in inches: one column of the site's text at 100 % zoom.
SIZE = (6.0, 3.4)
#: A figure with two panels side by side.
WIDE = (8.0, 3.4)

RC = {
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
    # Large enough to stay readable when a phone shrinks a figure to ~60 % of its width.
    "font.size": 12,
    "axes.titlesize": 12,
    "axes.labelsize": 12,
    "legend.fontsize": 11,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "lines.linewidth": 2.0,
    "axes.prop_cycle": matplotlib.cycler(color=[COLORS[name] for name in CYCLE]),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.fonttype": "path",
    "svg.hashsalt": "ce-book",
    "svg.image_inline": True,
}


@contextmanager
def context() -> Iterator[None]:
    """Apply the house style while figures are created and saved."""
    with matplotlib.rc_context(RC):
        yield


def new_figure(size: tuple[float, float] = SIZE) -> Figure:
    """A blank figure in the house style, independent of pyplot's global state."""
    with context():
        return Figure(figsize=size, layout="constrained")


def to_svg(fig: Figure) -> bytes:
    """The figure as SVG bytes that are identical every time (no date, fixed hash salt)."""
    buffer = io.BytesIO()
    with context():
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "ce-book"})
    return buffer.getvalue()


def img_tag(fig: Figure, alt: str) -> str:
    """The figure as an ``<img>`` with its SVG inline and a real text alternative.

    >>> fig = new_figure((2, 1))
    >>> img_tag(fig, 'a "blank" figure').startswith('<img src="data:image/svg+xml;base64,')
    True
    """
    data = base64.b64encode(to_svg(fig)).decode()
    return (
        f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt)}" '
        'style="width: 100%; max-width: 720px">'
    )


def show(fig: Figure, alt: str) -> None:
    """Display a figure in a notebook (the labs), in the house style, with its alt text."""
    import matplotlib.pyplot as plt
    from IPython.display import HTML, display  # only in a notebook kernel

    display(HTML(img_tag(fig, alt)))
    plt.close(fig)  # a pyplot figure would otherwise be shown a second time
