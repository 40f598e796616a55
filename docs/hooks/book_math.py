r"""Math typeset while the site builds: every formula becomes KaTeX HTML (with MathML).

Pages load no math JavaScript, show no raw TeX while they load, and print the same HTML.
One Node process (``katex_render.js``, with the KaTeX pinned in ``package-lock.json``) serves
a whole build, and under ``mkdocs serve`` every rebuild; each distinct formula is rendered
once and remembered. A formula KaTeX rejects stops the build, naming the page and the TeX.

Where formulas are found in a page's HTML:

- ``<span class="arithmatex">\(...\)</span>`` and ``<div class="arithmatex">\[...\]</div>``,
  which ``pymdownx.arithmatex`` (generic mode) makes of ``$...$`` and ``$$...$$``;
- ``\(...\)`` in the navigation and table of contents (headings with math);
- ``$...$`` and ``$$...$$`` in the text of a lab (notebook Markdown cells keep them as typed),
  outside code, preformatted output, scripts and tags.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path


class MathError(Exception):
    """KaTeX could not typeset a formula; the message quotes the TeX and KaTeX's reason."""


class Renderer:
    """A KaTeX process, started on first use, and the formulas it has rendered so far."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._process: subprocess.Popen[str] | None = None
        self._cache: dict[tuple[str, bool], str] = {}

    def render(self, tex: str, display: bool) -> str:
        """KaTeX's HTML for ``tex``; :class:`MathError` if KaTeX rejects it."""
        key = (tex, display)
        if key not in self._cache:
            answer = self._ask({"tex": tex, "display": display})
            if "error" in answer:
                raise MathError(f"KaTeX cannot typeset {tex!r}: {answer['error']}")
            self._cache[key] = answer["html"]
        return self._cache[key]

    def _ask(self, request: dict[str, object]) -> dict[str, str]:
        if self._process is None or self._process.poll() is not None:
            script = self.root / "docs" / "hooks" / "katex_render.js"
            katex = self.root / "node_modules" / "katex"
            if not katex.is_dir():
                raise MathError(f"KaTeX not found in {katex}: run `bash scripts/setup.sh docs`")
            self._process = subprocess.Popen(
                ["node", str(script)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                bufsize=1,
            )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise MathError("the KaTeX process (docs/hooks/katex_render.js) stopped")
        return json.loads(line)

    def close(self) -> None:
        """Stop the Node process (the cache of rendered formulas is kept)."""
        if self._process is not None:
            self._process.stdin.close()  # type: ignore[union-attr]
            self._process.wait(timeout=10)
            self._process = None


_ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])\s*</(?P=tag)>",
    re.DOTALL,
)
_NAV_TEXT = re.compile(r'(<span class="md-ellipsis">)(.*?)(</span>)', re.DOTALL)
_BRACKETS = re.compile(r"\\\((.+?)\\\)", re.DOTALL)
# Code, and mkdocs-jupyter's hidden copy of each code cell (what the copy button copies).
_VERBATIM = re.compile(
    r'<div class="clipboard-copy-txt"[^>]*>.*?</div>'
    r"|<(pre|code|script|style|textarea)\b.*?</\1>|<[^>]*>",
    re.DOTALL | re.IGNORECASE,
)
_DOLLARS = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)([^$]+?)(?<![\s\\])\$", re.DOTALL)


def typeset(page_html: str, renderer: Renderer, dollars: bool = False) -> str:
    """The page with every formula typeset; ``dollars`` also for ``$...$`` in text (labs)."""

    def arithmatex(m: re.Match[str]) -> str:
        display = m.group("display") is not None
        tex = html.unescape(m.group("display") if display else m.group("inline"))
        tag = m.group("tag")
        return f'<{tag} class="arithmatex">{renderer.render(tex, display)}</{tag}>'

    def nav(m: re.Match[str]) -> str:
        text = _BRACKETS.sub(lambda b: renderer.render(html.unescape(b.group(1)), False), m[2])
        return m[1] + text + m[3]

    out = _ARITHMATEX.sub(arithmatex, page_html)
    out = _NAV_TEXT.sub(nav, out)
    if dollars:
        out = _typeset_dollars(out, renderer)
    return out


def _typeset_dollars(page_html: str, renderer: Renderer) -> str:
    """``$...$`` and ``$$...$$`` in the text between tags, never inside code or output."""

    def text(segment: str) -> str:
        def one(m: re.Match[str]) -> str:
            display = m.group(1) is not None
            tex = html.unescape(m.group(1) if display else m.group(2))
            return renderer.render(tex, display)

        return _DOLLARS.sub(one, segment)

    out, last = [], 0
    for m in _VERBATIM.finditer(page_html):
        out.append(text(page_html[last : m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(text(page_html[last:]))
    return "".join(out)


_PLAIN = {
    r"\sum": "∑",
    r"\prod": "∏",
    r"\log": "log",
    r"\ln": "ln",
    r"\exp": "exp",
    r"\cdot": "·",
    r"\times": "×",
    r"\le": "≤",
    r"\leq": "≤",
    r"\ge": "≥",
    r"\geq": "≥",
    r"\ne": "≠",
    r"\neq": "≠",
    r"\approx": "≈",
    r"\infty": "∞",
    r"\partial": "∂",
    r"\to": "→",
    r"\sigma": "σ",
    r"\eta": "η",
    r"\theta": "θ",
    r"\alpha": "α",
    r"\beta": "β",
    r"\gamma": "γ",
    r"\delta": "δ",
    r"\epsilon": "ε",
    r"\varepsilon": "ε",
    r"\lambda": "λ",
    r"\mu": "μ",
    r"\pi": "π",
    r"\tau": "τ",
    r"\Delta": "Δ",
    r"\|": "‖",
}
_COMMAND = re.compile(r"\\[a-zA-Z]+|\\.")
_FRAC = re.compile(r"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}")


def plain_text(tex: str) -> str:
    r"""A readable plain-text rendering of TeX for search snippets.

    >>> plain_text(r"H(p, q) = -\sum_k p_k \log q_k")
    'H(p, q) = -∑_k p_k log q_k'
    >>> plain_text(r"\frac{1}{2} \le \mathrm{KL}")
    '1/2 ≤ KL'
    """
    text = _FRAC.sub(r"\1/\2", tex)
    text = _COMMAND.sub(
        lambda m: _PLAIN.get(m.group(0), " " if m.group(0) in ("\\,", "\\;", "\\ ") else ""), text
    )
    text = text.replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", text).strip()


def plain_math(page_html: str) -> str:
    """The page's HTML with each formula as plain text (what the search index should hold)."""

    def one(m: re.Match[str]) -> str:
        tex = html.unescape(
            m.group("display") if m.group("display") is not None else m.group("inline")
        )
        return f"<{m.group('tag')}>{html.escape(plain_text(tex))}</{m.group('tag')}>"

    return _ARITHMATEX.sub(one, page_html)
