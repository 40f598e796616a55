"""The edition being built and how to cite it: BibTeX, Highwire meta tags, the site address.

An :class:`Edition` is read once per build: the authors, title and release date from
``CITATION.cff``, the version from ``ce_book.__version__``, the commit from git, and the
published address from ``CE_BOOK_SITE_URL`` (else ``site_url`` in ``mkdocs.yml``). Every URL
the site emits for citing (cite boxes, meta tags, the ``.bib`` file, the JSON exports, the
PDF) is made here from that one address.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import yaml

LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}
PDF_NAME = "ce-book.pdf"
BIB_NAME = "ce-book.bib"


class EditionError(Exception):
    """The build cannot make a citable edition (a release with a loopback address, ...)."""


@dataclass(frozen=True)
class Edition:
    title: str
    authors: tuple[str, ...]
    version: str
    commit: str
    released: dt.date
    built: dt.date
    site_url: str
    repository: str
    pdf: Path | None = None  # the PDF edition the site offers (CE_BOOK_PDF), if any

    @property
    def year(self) -> int:
        return self.released.year

    def url(self, path: str = "") -> str:
        """The published address of a page or file (``path`` relative to the site root)."""
        return self.site_url.rstrip("/") + "/" + path.lstrip("/")


def is_loopback(url: str) -> bool:
    return (urlparse(url).hostname or "") in LOOPBACK


def site_url(configured: str | None) -> str:
    """``CE_BOOK_SITE_URL`` if set, else the configured ``site_url``, with a final slash."""
    url = os.environ.get("CE_BOOK_SITE_URL") or configured or "http://127.0.0.1:8000/"
    return url if url.endswith("/") else url + "/"


def git_commit(root: Path) -> str:
    """The commit the site is built from; ``-dirty`` when the work tree has changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("-dirty" if dirty else "")


def read_edition(root: Path, url: str, version: str) -> Edition:
    """The edition published at ``url``, described by ``CITATION.cff``, git and the environment."""
    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    authors = tuple(_author_name(a) for a in cff["authors"])
    released = cff.get("date-released")
    released = dt.date.fromisoformat(str(released)) if released else dt.date.today()
    repository = os.environ.get("CE_BOOK_REPOSITORY") or cff.get("repository-code", "")
    return Edition(
        title=cff["title"],
        authors=authors,
        version=version,
        commit=git_commit(root),
        released=released,
        built=dt.datetime.now(dt.UTC).date(),
        site_url=url if url.endswith("/") else url + "/",
        repository=repository,
        pdf=_pdf(),
    )


def _pdf() -> Path | None:
    """``CE_BOOK_PDF``: a PDF made by ``scripts/pdf.sh``, published as ``ce-book.pdf``."""
    path = os.environ.get("CE_BOOK_PDF")
    if not path:
        return None
    if not Path(path).is_file():
        raise EditionError(f"CE_BOOK_PDF={path}: no such file (run `bash scripts/pdf.sh {path}`)")
    return Path(path).resolve()


def check_release(edition: Edition) -> None:
    """A release build needs a published (non-loopback) address and a clean commit."""
    if is_loopback(edition.site_url):
        raise EditionError(
            f"release build with the loopback address {edition.site_url}: "
            "set CE_BOOK_SITE_URL to the published address"
        )
    if edition.commit == "unknown" or edition.commit.endswith("-dirty"):
        raise EditionError(f"release build from commit {edition.commit!r}: commit your changes")


def _author_name(author: dict[str, str]) -> str:
    if "name" in author:
        return author["name"]
    return f"{author['family-names']}, {author['given-names']}"


def _bibtex_escape(text: str) -> str:
    """Protect capitals and math in a BibTeX title: ``$x$`` becomes ``{$x$}``."""
    return re.sub(r"\$([^$]*)\$", r"{$\1$}", text)


def bibtex(key: str, title: str, url: str, edition: Edition, note: str = "") -> str:
    """A BibTeX ``@misc`` entry (biblatex reads ``urldate`` and ``version`` too)."""
    authors = " and ".join("{" + a + "}" if "," not in a else a for a in edition.authors)
    fields = [
        ("title", "{" + _bibtex_escape(title) + "}"),
        ("author", authors),
        ("year", str(edition.year)),
        ("version", edition.version),
        ("url", url),
        ("urldate", edition.built.isoformat()),
        ("howpublished", f"ce-book {edition.version}, commit {edition.commit[:12]}"),
    ]
    if note:
        fields.append(("note", note))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name:<{width}} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"


def book_bibtex(edition: Edition) -> str:
    return bibtex(
        "ce-book",
        edition.title,
        edition.url(),
        edition,
        note="A textbook whose every number, derivation and figure is computed and checked",
    )


def meta_tags(edition: Edition, title: str, page_url: str) -> str:
    """Highwire Press ``citation_*`` tags (Google Scholar, Zotero) for one page."""
    tags = [("citation_title", title)]
    tags += [("citation_author", a) for a in edition.authors]
    tags += [
        ("citation_publication_date", edition.released.strftime("%Y/%m/%d")),
        ("citation_online_date", edition.built.strftime("%Y/%m/%d")),
        ("citation_publisher", edition.title),
        ("citation_public_url", edition.url(page_url)),
        ("citation_version", edition.version),
    ]
    if edition.pdf is not None:
        tags.append(("citation_pdf_url", edition.url(PDF_NAME)))
    return "\n".join(
        f'<meta name="{name}" content="{html.escape(value, quote=True)}">' for name, value in tags
    )


RECORD = Path(".cache") / "verification.json"


def read_record(root: Path) -> dict | None:
    """The last complete test run's verification record (``tests/verification.py``), if any."""
    path = root / RECORD
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def check_record(record: dict | None, edition: Edition) -> None:
    """A release build shows only what the tests verified at the very commit being built."""
    if record is None:
        raise EditionError(f"release build without {RECORD}: run `bash scripts/test.sh` first")
    if not record["passed"]:
        raise EditionError(f"release build after a failing test run ({RECORD})")
    if record["commit"] != edition.commit:
        raise EditionError(
            f"release build of {edition.commit[:12]} with a verification record of "
            f"{record['commit'][:12]}: run `bash scripts/test.sh` on this commit"
        )


def verified_note(record: dict | None, kind: str, id: str) -> str:
    """One sentence for a popover or ledger entry: when and against what this was checked."""
    if record is None or id not in record.get(f"{kind}s", {}):
        return "Not yet verified in this checkout (`bash scripts/test.sh` records it)."
    outcome = record[f"{kind}s"][id]
    when = record["date"][:10]
    what = "Verified" if outcome == "passed" else f"Check {outcome.upper()}"
    return f"{what} on {when} (commit {record['commit'][:7]}; versions on the claims page)."
