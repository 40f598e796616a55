"""Print the book's one-page edition (``print_page/`` of a built site) to a PDF.

Usage: ``.venv/bin/python scripts/make_pdf.py SITE_DIR OUT.pdf`` (``scripts/pdf.sh`` builds
the site first). Headless Chromium (Debian's ``chromium``, as in the browser tests) loads the
page from 127.0.0.1, without the theme's script (printing needs none of it), and prints it
with the book's print stylesheet (A4, numbered pages), a PDF outline (bookmarks) from the
headings, tagged for screen readers. The math is already typeset in the HTML.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


#: The theme's script (navigation, search, colour toggle): the printed page needs none of it,
#: and on the 285,000-element print page it costs Chromium some 15 s of re-layouts.
#: The print-site plugin's own script (the contents) still runs.
THEME_SCRIPT = "/assets/javascripts/bundle."


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def make_pdf(site: Path, out: Path, chromium: str | None = None, browser=None) -> Path:
    """Write the PDF of ``site``'s print page to ``out``; return ``out``.

    ``browser`` is a Playwright Chromium already running (the tests pass theirs); without it,
    Debian's ``chromium`` (or ``chromium``, a path) is started for the job.
    """
    page_file = site / "print_page" / "index.html"
    if not page_file.exists():
        raise FileNotFoundError(f"{page_file}: build the site first (print-site plugin)")
    handler = functools.partial(_Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/print_page/"
    try:
        if browser is not None:
            _print(browser, url, out)
        else:
            executable = chromium or os.environ.get("CHROMIUM") or shutil.which("chromium")
            if executable is None:
                raise FileNotFoundError("chromium: install Debian's chromium (test.sh does)")
            with sync_playwright() as p:
                own = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
                _print(own, url, out)
                own.close()
    finally:
        server.shutdown()
    return out


def _print(browser, url: str, out: Path) -> None:
    page = browser.new_page()

    def route(r) -> None:
        wanted = "127.0.0.1" in r.request.url and THEME_SCRIPT not in r.request.url
        r.continue_() if wanted else r.abort()

    page.route("**/*", route)
    page.goto(url, timeout=180_000)  # one page of some 150 printed pages: allow a loaded machine
    page.wait_for_load_state("networkidle", timeout=180_000)
    page.emulate_media(media="print")
    out.parent.mkdir(parents=True, exist_ok=True)
    page.set_default_timeout(180_000)
    page.pdf(
        path=out,
        prefer_css_page_size=True,  # A4, margins and page numbers: book.css @page
        print_background=True,
        outline=True,
        tagged=True,
    )
    page.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    print(f"pdf: wrote {make_pdf(Path(sys.argv[1]), Path(sys.argv[2]))}")
