"""text.usetex figures through pdfwriter.mpl: TeX's glyphs in embedded Type 1 fonts, where matplotlib puts them.

Each figure is saved by matplotlib's PDF backend and by pdfwriter's and must
render within the fidelity corpus's tolerance (tests/test_mpl_fidelity.py);
pdfwriter's file must also extract as the words of the TeX source (matplotlib's
names its glyphs only) and embed every font. Most tests need a TeX
installation with the packages matplotlib's usetex loads and are skipped
without one.
"""

from __future__ import annotations

import io
from collections import Counter
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("agg")

from matplotlib.backends.backend_pdf import PdfFile, RendererPdf  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402

from harness import check_pdf, pixel  # noqa: E402
from pdfwriter import Document  # noqa: E402
from pdfwriter.errors import FontError  # noqa: E402
from pdfwriter.mpl.renderer import RendererPdfwriter  # noqa: E402
from pdfwriter.mpl.tex import glyph_text, read_encoding, tex_font  # noqa: E402
from test_mpl_fidelity import CHANNEL_TOLERANCE, MAX_DIFFERING, _embedded_problems  # noqa: E402

OURS = "module://pdfwriter.mpl"
# What matplotlib's usetex preamble loads (type1cm, underscore: texlive-latex-extra; type1ec: cm-super).
_PACKAGES = ("type1cm.sty", "type1ec.sty", "underscore.sty", "textcomp.sty", "geometry.sty")


def _tex_missing() -> str | None:
    """Why usetex cannot run here, or None."""
    if shutil.which("latex") is None or shutil.which("kpsewhich") is None:
        return "latex and kpsewhich are not on PATH (docs/MATPLOTLIB.md, TeX text, says what to install)"
    found = subprocess.run(["kpsewhich", *_PACKAGES], capture_output=True, text=True).stdout.split()
    missing = [p for p in _PACKAGES if not any(f.endswith("/" + p) for f in found)]
    if missing:
        return f"LaTeX packages matplotlib's usetex needs are missing: {', '.join(missing)}"
    return None


_MISSING = _tex_missing()
needs_tex = pytest.mark.skipif(_MISSING is not None, reason=str(_MISSING))


def _math_figure() -> Figure:
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [0, 1, 0.5])
    ax.set_title(r"Gaussian $\int_0^\infty e^{-x^2}\,dx = \frac{\sqrt{\pi}}{2}$")
    ax.set_ylabel(r"Amplitude $\alpha\beta$ office")
    ax.set_xlabel(r"$\left(\sum_{i=1}^n x_i\right)^2$ fluffy")
    fig.subplots_adjust(bottom=0.2, left=0.17)
    return fig


def _aligned_figure() -> Figure:
    fig = Figure(figsize=(4, 3))
    fig.text(0.5, 0.5, r"Rotated \textbf{bold} $y=\frac{a}{b}$", ha="center", va="center", rotation=30,
             color="tab:red", fontsize=14)
    fig.text(0.95, 0.1, r"right \textit{italic}", ha="right", va="baseline", alpha=0.5)
    fig.text(0.05, 0.95, r"$\displaystyle\sum_k \sqrt{k}$ top", ha="left", va="top", rotation=90)
    fig.text(0.05, 0.3, r"\underline{Underlined} words", fontsize=12)
    return fig


def _times_figure() -> Figure:
    fig = Figure(figsize=(4, 2))
    fig.text(0.05, 0.6, r"Times \textsl{slanted} \textit{italic} Caf\'e", fontsize=14)
    fig.text(0.05, 0.2, r"Sloping \textsl{slanted words}", rotation=12, fontsize=12)
    return fig


def _t1_figure() -> Figure:
    fig = Figure(figsize=(4, 2))
    fig.text(0.05, 0.5, r"Encoded na\"ive \guillemotleft{}words\guillemotright{} $x^2$", fontsize=14)
    return fig


FIGURES = {
    "math": (_math_figure, {}),
    "aligned": (_aligned_figure, {"font.family": "sans-serif"}),
    "times": (_times_figure, {"font.family": "serif", "font.serif": ["Times"]}),
    "t1": (_t1_figure, {"text.latex.preamble": r"\usepackage[T1]{fontenc}"}),
}
WORDS = {
    "math": ["Gaussian", "Amplitude", "office", "fluffy", "dx", "e", "x", "π", "αβ"],
    "aligned": ["Rotated", "bold", "right", "italic", "top", "Underlined", "words"],
    # OT1 accents are glyphs of their own, placed over the letter: Caf\'e extracts as "Cafe" and an accent.
    "times": ["Times", "slanted", "italic", "Cafe", "Sloping", "slanted", "words"],
    "t1": ["Encoded", "naïve", "words"],
}


def _save(name: str, backend: str, path: Path) -> None:
    make, rc = FIGURES[name]
    with mpl.rc_context({"text.usetex": True, **rc}):
        make().savefig(path, format="pdf", backend=backend)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+|[π∑√]", text)


@needs_tex
@pytest.mark.parametrize("name", list(FIGURES))
def test_usetex_figure_matches_matplotlib(name: str, tmp_pdf) -> None:
    reference, ours = tmp_pdf(f"{name}-matplotlib"), tmp_pdf(f"{name}-pdfwriter")
    _save(name, "pdf", reference)
    _save(name, OURS, ours)
    with check_pdf(reference, external=False) as expected, check_pdf(ours) as actual:
        assert _embedded_problems(actual.pdf) == []
        fonts = actual.pdf.pages[0].Resources.Font
        assert {str(f.Subtype) for f in fonts.values()} == {"/Type1"}
        a, b = expected.render(0, 72).astype(int), actual.render(0, 72).astype(int)
        assert a.shape == b.shape
        differing = (np.abs(a - b).max(axis=2) > CHANNEL_TOLERANCE).mean()
        assert differing <= MAX_DIFFERING, f"{differing:.3%} of pixels differ"
        words = _words(actual.text(0))
        for word in WORDS[name]:
            assert word in words, f"{word!r} not extracted from {actual.text(0)!r}"
        # poppler guesses words in rotated text poorly (for matplotlib's files too): its letters must be there.
        poppler = actual.text_poppler(0)
        if poppler is not None:
            assert not Counter("".join(WORDS[name])) - Counter(poppler), f"letters missing from {poppler!r}"


@needs_tex
@pytest.mark.parametrize("name", ["times", "t1"])
def test_tex_glyphs_sit_where_matplotlibs_do(name: str, tmp_pdf) -> None:
    """matplotlib advances by TeX's widths truncated to 1/1000 em and kerns only from 0.1 point: pdfwriter
    places its glyphs on that pen, so text-only figures render alike even at 300 dpi (edges within 16 levels;
    placed at TeX's own positions, glyphs 0.1 point apart differ by 70 to 100)."""
    reference, ours = tmp_pdf(f"{name}-matplotlib"), tmp_pdf(f"{name}-pdfwriter")
    _save(name, "pdf", reference)
    _save(name, OURS, ours)
    with check_pdf(reference, external=False) as expected, check_pdf(ours) as actual:
        a, b = expected.render(0, 300).astype(int), actual.render(0, 300).astype(int)
        assert np.abs(a - b).max() <= 16


def test_matplotlib_pen_joins_within_a_tenth_of_a_point_and_kerns_beyond() -> None:
    from pdfwriter.mpl.tex import matplotlib_pen

    class Font:  # TeX widths in 12.20 fixed point: 0.5004 and 0.25 em
        _metrics = type("M", (), {"get_metrics": lambda self, code: type("G", (), {"tex_width": {1: 524707, 2: 262144}[code]})()})()

    def item(x: float, code: int) -> Any:
        return type("Text", (), {"x": x, "width": {1: 5.004, 2: 2.5}[code], "font": Font(), "glyph": code})()

    # At 10 points: widths truncate to 500 and 250 thousandths (5 and 2.5 points).
    run = [item(0.0, 1), item(5.004, 1), item(10.008, 2), item(12.7, 1)]
    pen = matplotlib_pen(run, 10.0)
    # Joined (gap 0): the pen moves by the truncated 5 points; the third too (DVI end 10.008).
    # The fourth is 0.192 past the DVI end 12.508: kerned there from the pen's 12.5.
    assert pen == pytest.approx([0.0, 5.0, 10.0, 12.5 + 0.192])


@needs_tex
def test_usetex_text_is_text_not_outlines(tmp_pdf) -> None:
    """Without draw_tex the base class would draw TeX as paths: nothing to extract or search."""
    path = tmp_pdf()
    with mpl.rc_context({"text.usetex": True}):
        fig = Figure(figsize=(3, 1))
        fig.text(0.1, 0.4, r"Searchable $E=mc^2$")
        fig.savefig(path, backend=OURS)
    with check_pdf(path) as pdf:
        assert _words(pdf.text(0)) == ["Searchable", "E", "mc"]


@needs_tex
def test_pdffonts_lists_embedded_type1_subsets_with_tounicode(tmp_pdf) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    path = tmp_pdf()
    _save("math", OURS, path)
    check_pdf(path).close()
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = [line.split() for line in lines[2:]]
    assert len(rows) >= 5
    names = {row[0].split("+")[-1] for row in rows}
    assert {"CMR10", "CMMI12", "CMEX10", "CMSY8"} <= names
    for row in rows:
        # name, type "Type 1", encoding, emb, sub, uni, object number, generation
        assert row[1:3] == ["Type", "1"], row
        assert row[-5:-2] == ["yes", "yes", "yes"], f"not embedded, subset and mapped to Unicode: {row}"


@needs_tex
def test_rules_fill_in_the_text_colour_and_turn_with_it(tmp_pdf) -> None:
    path = tmp_pdf()
    with mpl.rc_context({"text.usetex": True}):
        fig = Figure(figsize=(3, 3))
        # A 72 x 18 pt TeX rule at (21.6, 21.6), and one turned upright about (194.4, 64.8).
        fig.text(0.1, 0.1, r"\rule{72bp}{18bp}", color="#0000ff")
        fig.text(0.9, 0.3, r"\rule{72bp}{18bp}", color="#00ff00", rotation=90, rotation_mode="anchor")
        fig.savefig(path, backend=OURS)
    with check_pdf(path) as pdf:
        image = pdf.render(0, 72)
        assert pixel(image, 21.6 + 36, 21.6 + 9) == (0, 0, 255)
        assert pixel(image, 21.6 + 80, 21.6 + 9) == (255, 255, 255)
        assert pixel(image, 194.4 - 9, 64.8 + 36) == (0, 255, 0)
        assert pixel(image, 194.4 - 9, 64.8 + 80) == (255, 255, 255)
        assert pixel(image, 194.4 + 9, 64.8 - 36) == (255, 255, 255)


@needs_tex
def test_tex_text_metrics_are_matplotlibs() -> None:
    prop = FontProperties(size=13)
    with Document(io.BytesIO()) as document:
        ours = RendererPdfwriter(document.add_page((288, 216)), 72, 3, 4)
        theirs = RendererPdf(PdfFile(io.BytesIO()), 72, 3, 4)
        with mpl.rc_context({"text.usetex": True}):
            for s in (r"Width $\frac{a}{b}$", r"\textbf{gy} $\sum_i$"):
                expected = theirs.get_text_width_height_descent(s, prop, ismath="TeX")
                actual = ours.get_text_width_height_descent(s, prop, ismath="TeX")
                assert actual == pytest.approx(expected)
                assert actual[0] > 0 and actual[1] > 0 and actual[2] > 0


@needs_tex
def test_tight_bounding_box_is_matplotlibs(tmp_pdf) -> None:
    reference, ours = tmp_pdf("matplotlib"), tmp_pdf("pdfwriter")
    with mpl.rc_context({"text.usetex": True}):
        for backend, path in (("pdf", reference), (OURS, ours)):
            _math_figure().savefig(path, backend=backend, bbox_inches="tight")
    with check_pdf(reference, external=False) as expected, check_pdf(ours) as actual:
        assert [float(v) for v in actual.pdf.pages[0].mediabox] == pytest.approx(
            [float(v) for v in expected.pdf.pages[0].mediabox], abs=0.01
        )


@needs_tex
def test_tex_font_not_in_pdftex_map_raises_font_error() -> None:
    with pytest.raises(FontError, match="nosuchfont10"):
        tex_font(b"nosuchfont10")


@needs_tex
def test_builtin_encoding_and_glyph_texts() -> None:
    font = tex_font(b"cmr10")
    names = font.font.program.builtin_encoding()
    assert names[11] == "ff" and names[65] == "A" and names[0] == "Gamma"
    assert font.texts[11] == "ff" and font.texts[12] == "fi" and font.texts[0] == "\u0393"
    assert font.font.glyph_names[font.gids[65]] == "A"


def test_tex_glyph_names_give_text() -> None:
    assert [glyph_text(n) for n in ("ffi", "dagger", "summationdisplay", "parenleftbigg", "parenleftbt",
                                    "radicalbt", "radicalvertex", "Delta", "mu", "zerooldstyle")] == \
        ["ffi", "\u2020", "\u2211", "(", "", "\u221a", "", "\u0394", "\u03bc", "0"]


def test_read_encoding(tmp_path) -> None:
    enc = tmp_path / "test.enc"
    enc.write_text("% a comment /notaname\n/TestEncoding [ /A /B % more\n /.notdef /C ] def\n")
    names = read_encoding(str(enc))
    assert len(names) == 256
    assert names[:4] == ["A", "B", None, "C"] and names[4] is None
    enc.write_text("no array here")
    with pytest.raises(FontError, match="not an encoding file"):
        read_encoding(str(enc))
    with pytest.raises(FontError, match="cannot read"):
        read_encoding(str(tmp_path / "missing.enc"))
