"""Every figure: a pure function returning a Figure, with alt text and caption, reproducible."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from ce_book import artefacts, figures
from ce_book.figures import style

ROOT = Path(__file__).resolve().parent.parent
SPECS = figures.all_figures()
OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_figure_is_described_and_its_committed_svg_is_fresh(spec: figures.FigureSpec) -> None:
    """Drawn once: a Figure with alt text and caption, whose SVG equals the committed file.

    The committed file was rendered in another process (``scripts/make_figures.py``), perhaps
    on another CPU, so equality (up to a coordinate's last printed digit, which a different
    ``exp`` kernel can flip) is also the check that rendering is reproducible.
    """
    assert artefacts.kernels_pinned(), "NumPy was imported before tests/conftest.py"
    with style.context():
        fig = spec.function()
    assert isinstance(fig, Figure)
    assert all(not ax.get_title() for ax in fig.axes), "no titles inside the image"
    svg = style.to_svg(fig)  # as figures.render does
    assert len(spec.alt.split()) >= 8, "alt text describes the picture in a sentence or more"
    assert spec.caption.strip() and spec.alt.strip() != spec.caption.strip()
    assert b"<dc:date>" not in svg
    assert b"<text" not in svg, "text is drawn as paths: no font needed"
    committed = ROOT / spec.path
    assert committed.exists() and figures.matches(committed.read_bytes(), svg), (
        f"{spec.path} is stale: run python scripts/make_figures.py"
    )


def test_palette_is_okabe_ito() -> None:
    assert set(style.COLORS.values()) == OKABE_ITO
    assert set(style.CYCLE) <= set(style.COLORS)


def test_registry_rejects_bad_and_duplicate_ids() -> None:
    with pytest.raises(ValueError, match=r"^id: "):
        figures.figure("Bad_Id", alt="a", caption="c")
    with pytest.raises(ValueError, match=r"^alt: "):
        figures.figure("fine-id", alt=" ", caption="c")
    with pytest.raises(ValueError, match=r"^id: duplicate figure id"):
        figures.figure(SPECS[0].id, alt="a", caption="c")(lambda: Figure())
    with pytest.raises(KeyError, match=r"no-such-figure"):
        figures.get("no-such-figure")


def test_no_orphan_svgs() -> None:
    ids = {s.id for s in SPECS}
    orphans = [p.name for p in (ROOT / "docs" / "figures").glob("*.svg") if p.stem not in ids]
    assert not orphans


def test_ids_are_kebab_case() -> None:
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s.id) for s in SPECS)
