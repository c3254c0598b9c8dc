"""Every corpus figure saved by matplotlib's PDF backend and by pdfwriter's must look and read the same.

Each figure is saved with pdf.fonttype 42 and 3 (matplotlib's default).
Both files are rendered with pdfium at 72 dpi: at most 0.5% of the pixels may
differ by more than 32 in any channel. pdfium and poppler must each
extract the same characters from both files, and the same words (runs of
letters) in at least one of them: both guess word breaks and reading order
from glyph gaps, and each guesses differently for either file somewhere near
tick labels, superscripts or rotated text. Every font pdfwriter's file uses
must be embedded.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("agg")

from harness import check_pdf  # noqa: E402
from mpl_figures import FIGURES, MATPLOTLIB_VERSION  # noqa: E402

OURS = "module://pdfwriter.mpl"
MAX_DIFFERING = 0.005
CHANNEL_TOLERANCE = 32

KNOWN_FAILURES = {
}
# matplotlib before 3.11 fills the stars and dots of hatch patterns with the face colour (white
# here: outlines), where Agg, matplotlib 3.11 and pdfwriter fill them with the hatch colour.
OLD_HATCH_FILL = {"hatches"}


def _save(name: str, backend: str, path: Path) -> None:
    figure = FIGURES[name]()
    figure.savefig(path, format="pdf", backend=backend)


def _characters(text: str) -> list[str]:
    """Every extracted character but white space, in any order."""
    return sorted(re.sub(r"\s", "", text))


def _single_byte(text: str) -> str:
    """The text without the characters past U+00FF."""
    return "".join(char for char in text if ord(char) <= 0xFF)


def _words(text: str) -> list[str]:
    """The runs of letters (digits left out: the extractors join and split numbers by guesswork)."""
    return sorted(re.findall(r"[^\W\d_]+", text))


def _embedded_problems(pdf) -> list[str]:
    """Fonts of page 1 whose program is not in the file (Type 3 fonts carry their glyphs as CharProcs)."""
    problems = []
    fonts = pdf.pages[0].Resources.get("/Font", {})
    for name, font in fonts.items():
        if font.get("/Subtype") == "/Type3":
            if len(font.get("/CharProcs", {})) == 0:
                problems.append(f"{name} is a Type 3 font without glyph procedures")
            continue
        descriptor = font.get("/FontDescriptor")
        if "/DescendantFonts" in font:
            descriptor = font.DescendantFonts[0].get("/FontDescriptor")
        if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            problems.append(f"{name} ({font.get('/BaseFont')}) is not embedded")
    return problems


@pytest.mark.parametrize(
    "name, fonttype",
    [
        pytest.param(name, fonttype, marks=pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[name, fonttype]))
        if (name, fonttype) in KNOWN_FAILURES else (name, fonttype)
        for fonttype in (42, 3)
        for name in FIGURES
    ],
)
def test_figure_matches_matplotlib(name: str, fonttype: int, tmp_pdf) -> None:
    if name in OLD_HATCH_FILL and MATPLOTLIB_VERSION < (3, 11):
        pytest.skip("matplotlib before 3.11 fills hatch stars and dots with the face colour")
    reference, ours = tmp_pdf(f"{name}-matplotlib"), tmp_pdf(f"{name}-pdfwriter")
    with mpl.rc_context({"pdf.fonttype": fonttype}):
        _save(name, "pdf", reference)
        _save(name, OURS, ours)
    # matplotlib before 3.11 draws the characters of a Type 3 font past U+00FF as
    # form XObjects, which extract as nothing; pdfwriter's extract, and are left out to compare.
    readable = _single_byte if fonttype == 3 and MATPLOTLIB_VERSION < (3, 11) else str
    with check_pdf(reference, external=False) as expected, check_pdf(ours) as actual:
        assert actual.page_count == 1
        assert _embedded_problems(actual.pdf) == []
        text = readable(actual.text(0))
        assert _characters(text) == _characters(expected.text(0))
        same_words = _words(text) == _words(expected.text(0))
        poppler = actual.text_poppler(0)
        if poppler is not None:
            assert _characters(readable(poppler)) == _characters(expected.text_poppler(0))
            same_words = same_words or _words(readable(poppler)) == _words(expected.text_poppler(0))
        assert same_words, f"different words: {text!r} vs {expected.text(0)!r}"
        a, b = expected.render(0, 72).astype(int), actual.render(0, 72).astype(int)
        assert a.shape == b.shape
        differing = (np.abs(a - b).max(axis=2) > CHANNEL_TOLERANCE).mean()
        assert differing <= MAX_DIFFERING, f"{differing:.3%} of pixels differ"
