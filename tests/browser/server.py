"""Serving the built site on 127.0.0.1 and listing its pages (used by the browser tests)."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


def serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``directory`` on a free port of 127.0.0.1; return the server and its base URL."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the built site, as a path relative to the site root."""
    pages = []
    for f in sorted(site.rglob("index.html")):
        rel = f.parent.relative_to(site).as_posix()
        if rel.startswith(("assets", "search", "print_page")):  # print_page: see test_pdf.py
            continue
        pages.append("" if rel == "." else rel + "/")
    return pages
