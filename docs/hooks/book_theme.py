"""One change to the theme's static files: palette switches no longer restyle the whole page.

While it switches the colour scheme (on every page load, and at each press of the toggle),
Material for MkDocs sets ``data-md-color-switching`` on ``<body>`` and removes it a frame
later. Its palette style sheet turns transitions off meanwhile with

    [data-md-color-switching] *, ... {transition-duration: 0s !important}

and a rule of that form makes the browser restyle every element of the page each time the
attribute comes and goes. On the claims page (109,000 elements, most of them typeset math)
that is about 1.5 s each time in headless Chromium on the test machine; measured over the
claims, gradients and information pages, dropping the rule cut loading them from 25.7 s to
21.4 s and switching them to the dark scheme from 9.1 s to 4.2 s. Without it, the few
elements the theme animates (the header, links, buttons) fade to their new colours over a
quarter of a second when the reader switches the scheme.
"""

from __future__ import annotations

import re

#: The rule as the pinned theme writes it (``assets/stylesheets/palette.*.min.css``).
SWITCHING_RULE = (
    "[data-md-color-switching] *,[data-md-color-switching] :after,"
    "[data-md-color-switching] :before{transition-duration:0s!important}"
)
#: The theme's palette style sheet, by its path in the built site.
PALETTE_CSS = re.compile(r"assets/stylesheets/palette\.[0-9a-f]+\.min\.css")


def without_switching_rule(css: str) -> str:
    """The palette style sheet without the rule that restyles every element on a switch.

    >>> without_switching_rule("a{color:red}" + SWITCHING_RULE + "b{color:blue}")
    'a{color:red}b{color:blue}'

    A theme whose palette style sheet no longer has the rule is an error (the pinned version
    changed: look again at what it does while switching):

    >>> without_switching_rule("a{color:red}")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: css: the theme's palette style sheet has no rule ...
    """
    if css.count(SWITCHING_RULE) != 1:
        raise ValueError(
            "css: the theme's palette style sheet has no rule "
            f"{SWITCHING_RULE!r} (exactly once); see docs/hooks/book_theme.py"
        )
    return css.replace(SWITCHING_RULE, "")
