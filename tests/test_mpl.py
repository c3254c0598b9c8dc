"""pdfwriter.mpl as a matplotlib backend: the ways to select it, PdfPages, metadata, rcParams, text."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import textwrap
from typing import Any

import numpy as np
import pikepdf
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.backends.backend_pdf import RendererPdf  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402

import pdfwriter.mpl  # noqa: E402
from harness import char_boxes, check_pdf  # noqa: E402
from mpl_figures import MATPLOTLIB_VERSION  # noqa: E402
from pdfwriter.errors import MetadataError  # noqa: E402

OURS = "module://pdfwriter.mpl"


def _figure(title: str = "Hello figure") -> Figure:
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [2, 0, 1], color="C3", linewidth=4)
    ax.set_title(title)
    return fig


def _producer(path) -> str:
    with check_pdf(path) as pdf:
        return str(pdf.pdf.docinfo.get("/Producer", ""))


def _differing(a: np.ndarray, b: np.ndarray) -> float:
    return float((np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 32).mean())


# Selecting the backend -------------------------------------------------------------


def test_savefig_backend_keyword_writes_with_pdfwriter(tmp_pdf) -> None:
    path = tmp_pdf("kw")
    _figure().savefig(path, backend=OURS)
    assert _producer(path).startswith("pdfwriter")
    with check_pdf(path) as pdf:
        assert "Hello figure" in pdf.text(0)
        assert [float(v) for v in pdf.pdf.pages[0].mediabox] == [0, 0, 288, 216]


def test_matplotlib_use_module_backend(tmp_path) -> None:
    out = tmp_path / "use.pdf"
    script = textwrap.dedent(f"""
        import matplotlib
        matplotlib.use("module://pdfwriter.mpl")
        import matplotlib.pyplot as plt
        plt.plot([1, 2, 3], [3, 1, 2])
        plt.title("pyplot through pdfwriter")
        plt.savefig({str(out)!r})
        plt.show()
        print(type(plt.gcf().canvas).__name__)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "FigureCanvasPdfwriter"
    assert _producer(out).startswith("pdfwriter")
    with check_pdf(out) as pdf:
        assert "pyplot through pdfwriter" in pdf.text(0)


def test_install_makes_plain_savefig_use_pdfwriter(tmp_pdf) -> None:
    fig = _figure()
    pdfwriter.mpl.install()
    try:
        installed = tmp_pdf("installed")
        fig.savefig(installed)
        assert _producer(installed).startswith("pdfwriter")
    finally:
        pdfwriter.mpl.uninstall()
    fig = _figure()
    restored = tmp_pdf("restored")
    fig.savefig(restored)
    assert _producer(restored).startswith("Matplotlib")


def test_installed_backend_leaves_matplotlibs_pdfpages_working(tmp_pdf) -> None:
    from matplotlib.backends.backend_pdf import PdfPages as MplPdfPages

    path = tmp_pdf("mpl-pages")
    pdfwriter.mpl.install()
    try:
        with MplPdfPages(path) as pages:
            _figure("first").savefig(pages, format="pdf")
            pages.savefig(_figure("second"))
    finally:
        pdfwriter.mpl.uninstall()
    with check_pdf(path, external=False) as pdf:
        assert pdf.page_count == 2
        assert "first" in pdf.text(0) and "second" in pdf.text(1)


def test_same_figure_same_bytes_with_source_date_epoch(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    outputs = []
    for _ in range(2):
        buffer = io.BytesIO()
        _figure("Reproducible").savefig(buffer, format="pdf", backend=OURS)
        outputs.append(buffer.getvalue())
    assert outputs[0] == outputs[1]
    with check_pdf(outputs[0]) as pdf:
        assert str(pdf.pdf.docinfo.CreationDate).startswith("D:20231114")


def test_core_never_imports_matplotlib() -> None:
    script = (
        "import sys, pdfwriter, pdfwriter.canvas, pdfwriter.document, pdfwriter.image, pdfwriter.text.fonts, "
        "pdfwriter.graphics.renderer, pdfwriter.cli; print('matplotlib' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_save_to_file_object_and_tight_bbox() -> None:
    buffer = io.BytesIO()
    reference = io.BytesIO()
    _figure().savefig(buffer, format="pdf", backend=OURS, bbox_inches="tight")
    _figure().savefig(reference, format="pdf", backend="pdf", bbox_inches="tight")
    with check_pdf(buffer.getvalue()) as ours, check_pdf(reference.getvalue(), external=False) as theirs:
        assert [float(v) for v in ours.pdf.pages[0].mediabox] == pytest.approx(
            [float(v) for v in theirs.pdf.pages[0].mediabox], abs=0.01)
        # Text at fractional positions: pdfium hints matplotlib's subsets (they keep the
        # TrueType hinting tables) but not pdfwriter's, so glyph edges differ by a pixel.
        assert _differing(ours.render(0), theirs.render(0)) < 0.02


# Metadata -------------------------------------------------------------------------------


def test_metadata_written_as_matplotlib_does(tmp_pdf) -> None:
    path = tmp_pdf("meta")
    _figure().savefig(path, backend=OURS, metadata={
        "Title": "A title", "Author": "Ann Author", "Keywords": "one, two", "Trapped": True, "CreationDate": None,
    })
    with check_pdf(path) as pdf:
        info = pdf.pdf.docinfo
        assert str(info.Title) == "A title"
        assert str(info.Author) == "Ann Author"
        assert str(info.Keywords) == "one, two"
        assert str(info.Creator) == f"Matplotlib v{mpl.__version__}, https://matplotlib.org"
        assert str(info.Trapped) == "/True"
        assert "/CreationDate" not in info


def test_metadata_can_remove_creator_and_rejects_bad_values(tmp_pdf) -> None:
    path = tmp_pdf("nocreator")
    _figure().savefig(path, backend=OURS, metadata={"Creator": None})
    with check_pdf(path) as pdf:
        assert "/Creator" not in pdf.pdf.docinfo
    with pytest.raises(MetadataError, match="Title"):
        _figure().savefig(tmp_pdf("bad"), backend=OURS, metadata={"Title": 42})
    with pytest.raises(MetadataError):
        _figure().savefig(tmp_pdf("bad2"), backend=OURS, metadata=["Title"])


# PdfPages -----------------------------------------------------------------------------


def test_pdfpages_several_pages_with_infodict_and_metadata(tmp_pdf) -> None:
    path = tmp_pdf("pages")
    with pdfwriter.mpl.PdfPages(path, metadata={"Author": "Pat"}) as pages:
        assert pages.get_pagecount() == 0
        for k in range(3):
            pages.savefig(_figure(f"Page number {k}"))
        assert pages.get_pagecount() == 3
        info = pages.infodict()
        info["Title"] = "Three pages"
        info["Subject"] = "Tests"
    with check_pdf(path) as pdf:
        assert pdf.page_count == 3
        for k in range(3):
            assert f"Page number {k}" in pdf.text(k)
        assert str(pdf.pdf.docinfo.Title) == "Three pages"
        assert str(pdf.pdf.docinfo.Author) == "Pat"
        assert str(pdf.pdf.docinfo.Subject) == "Tests"
        assert str(pdf.pdf.docinfo.Producer).startswith("pdfwriter")


def test_pdfpages_pyplot_figures_and_file_object() -> None:
    buffer = io.BytesIO()
    pages = pdfwriter.mpl.PdfPages(buffer, keep_empty=False)
    first = plt.figure(figsize=(3, 2))
    plt.plot([0, 1], [1, 0])
    plt.title("active figure")
    second = plt.figure(figsize=(2, 2))
    plt.title("figure by number")
    try:
        pages.savefig()
        pages.savefig(first.number)
        with pytest.raises(ValueError, match="No figure"):
            pages.savefig(987654)
        pages.close()
    finally:
        plt.close(first)
        plt.close(second)
    with check_pdf(buffer.getvalue()) as pdf:
        assert pdf.page_count == 2
        assert "figure by number" in pdf.text(0)
        assert "active figure" in pdf.text(1)
        assert [float(v) for v in pdf.pdf.pages[0].mediabox] == [0, 0, 144, 144]


def test_pdfpages_without_pages_or_after_an_error_writes_nothing(tmp_path) -> None:
    empty = tmp_path / "empty.pdf"
    with pdfwriter.mpl.PdfPages(empty):
        pass
    assert not empty.exists()
    failed = tmp_path / "failed.pdf"
    with pytest.raises(RuntimeError):
        with pdfwriter.mpl.PdfPages(failed) as pages:
            pages.savefig(_figure())
            raise RuntimeError("stop")
    assert not failed.exists()


def test_pdfpages_closed_refuses_more_pages(tmp_pdf) -> None:
    from pdfwriter.errors import DocumentError

    pages = pdfwriter.mpl.PdfPages(tmp_pdf("closed"))
    pages.savefig(_figure())
    pages.close()
    with pytest.raises(DocumentError, match="closed"):
        pages.savefig(_figure())


# rcParams ------------------------------------------------------------------------------


def test_pdf_compression_zero_writes_plain_content(tmp_pdf) -> None:
    plain, packed = tmp_pdf("plain"), tmp_pdf("packed")
    with mpl.rc_context({"pdf.compression": 0}):
        _figure().savefig(plain, backend=OURS)
    with mpl.rc_context({"pdf.compression": 9}):
        _figure().savefig(packed, backend=OURS)
    with check_pdf(plain) as pdf:
        contents = pdf.pdf.pages[0].Contents
        assert "/Filter" not in contents
        assert b" re W n" in contents.read_raw_bytes() or b" l\n" in contents.read_raw_bytes()
    with check_pdf(packed) as pdf:
        assert "/Filter" in pdf.pdf.pages[0].Contents
    assert plain.stat().st_size > packed.stat().st_size


def test_use14corefonts_draws_standard_fonts_like_matplotlib(tmp_pdf) -> None:
    ours, theirs = tmp_pdf("core14"), tmp_pdf("core14-mpl")
    with mpl.rc_context({"pdf.use14corefonts": True, "font.family": "sans-serif"}):
        _figure("Standard Helvetica text").savefig(ours, backend=OURS)
        _figure("Standard Helvetica text").savefig(theirs, backend="pdf")
    with check_pdf(ours) as pdf, check_pdf(theirs, external=False) as reference:
        fonts = {str(f.BaseFont) for f in pdf.pdf.pages[0].Resources.Font.values()}
        assert fonts == {"/Helvetica"}
        assert "Standard Helvetica text" in pdf.text(0)
        assert _differing(pdf.render(0), reference.render(0)) < 0.005


def test_use14corefonts_shows_a_question_mark_for_characters_outside_the_encoding(tmp_pdf) -> None:
    path = tmp_pdf("core14-missing")
    with mpl.rc_context({"pdf.use14corefonts": True}), pytest.warns(UserWarning, match="Ω"):
        _figure("Ωmega costs 5 €").savefig(path, backend=OURS)
    with check_pdf(path) as pdf:
        assert "?mega costs 5 €" in pdf.text(0)


def test_use14corefonts_shows_control_characters_as_spaces_as_matplotlibs_file_renders(tmp_pdf) -> None:
    """A tab (or another C0 control) in core-14 text: matplotlib writes its byte, which pdfium and
    Ghostscript show as a space; pdfwriter writes a space, without warning about a missing glyph."""
    import warnings

    ours, theirs = tmp_pdf("core14-tab"), tmp_pdf("core14-tab-mpl")
    with mpl.rc_context({"pdf.use14corefonts": True}):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            _figure("tab\there\rand\x01 end").savefig(ours, backend=OURS)
        _figure("tab\there\rand\x01 end").savefig(theirs, backend="pdf")
    with check_pdf(ours) as pdf, check_pdf(theirs, external=False) as reference:
        assert "tab here and end" in " ".join(pdf.text(0).split())
        assert _differing(pdf.render(0, 144), reference.render(0, 144)) == 0


@pytest.mark.parametrize("fonttype", [3, 42])
def test_fonttypes_embed_text_that_extracts(fonttype: int, tmp_pdf) -> None:
    from pdfwriter.text.opentype import OpenTypeFont

    path = tmp_pdf(f"fonttype{fonttype}")
    with mpl.rc_context({"pdf.fonttype": fonttype}):
        _figure("Fonttype text ÄÖÜ").savefig(path, backend=OURS)
    type3 = fonttype == 3 and hasattr(OpenTypeFont, "as_type3")
    with check_pdf(path) as pdf:
        assert "Fonttype text ÄÖÜ" in pdf.text(0)
        fonts = list(pdf.pdf.pages[0].Resources.Font.values())
        assert fonts
        for font in fonts:
            if type3:
                assert font.Subtype == "/Type3" and len(font.CharProcs) > 5
            else:
                descriptor = font.DescendantFonts[0].FontDescriptor
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


def test_type3_glyphs_are_drawn_by_the_procedures_matplotlib_writes(tmp_pdf) -> None:
    """fonttype 3: every glyph procedure equals matplotlib's (whole 1/1000 em units), in two font families
    and in a face of a font collection other than the first (Noto Sans CJK KR is face 1)."""
    procedures = []
    for backend in ("pdf", OURS):
        fig = Figure(figsize=(3, 1.5))
        fig.text(0.05, 0.7, "Quartz ÅéQ fiy 123", family="DejaVu Sans")
        fig.text(0.05, 0.4, "Serif gly", family="DejaVu Serif")
        if MATPLOTLIB_VERSION >= (3, 11):  # (earlier versions find only the first face of a collection)
            fig.text(0.05, 0.1, "Face two 한", family="Noto Sans CJK KR")
        path = tmp_pdf(f"type3-{backend.split('.')[-1]}")
        with mpl.rc_context({"pdf.fonttype": 3}):
            fig.savefig(path, backend=backend)
        with pikepdf.open(path) as pdf:
            found = set()
            for font in pdf.pages[0].Resources.Font.values():
                assert font.Subtype == "/Type3"
                found |= {bytes(proc.read_bytes()).strip() for proc in font.CharProcs.values()}
            procedures.append(found)
    assert len(procedures[1]) >= 20
    assert procedures[1] == procedures[0]
    assert all(b"." not in data.split(b"d1", 1)[1] for data in procedures[1])  # whole units


def test_hatch_color_and_linewidth_follow_rcparams(tmp_pdf) -> None:
    renders = {}
    for backend in ("pdf", OURS):
        with mpl.rc_context({"hatch.color": "tab:red", "hatch.linewidth": 2.5}):
            fig = Figure(figsize=(4, 3))
            ax = fig.add_subplot()
            ax.bar([0, 1, 2], [3, 2, 4], hatch="/", color="lightyellow", edgecolor="k")
            ax.bar([3], [2], hatch="x", fill=False)
            path = tmp_pdf(f"hatch-{backend.split('.')[-1]}")
            fig.savefig(path, backend=backend)
        with check_pdf(path, external=backend == OURS) as pdf:
            renders[backend] = pdf.render(0)
    ours = renders[OURS]
    if MATPLOTLIB_VERSION >= (3, 11):  # before, an edge colour decides the hatch colour, black here
        red = (ours[..., 0] > 180) & (ours[..., 1] < 120) & (ours[..., 2] < 120)
        assert red.mean() > 0.02
    assert _differing(ours, renders["pdf"]) < 0.005


def _inherit_color_figure() -> Figure:
    fig = Figure(figsize=(4, 3), facecolor="none")
    ax = fig.add_subplot(facecolor="none")
    ax.plot([0, 1, 2], [0, 2, 1], color="red", linewidth=3)
    ax.scatter([0.5, 1, 1.5], [1.5, 1.2, 0.4], c=[0.1, 0.5, 0.9], s=200)
    ax.bar([0.2], [0.8], width=0.3, hatch="//", color="yellow", edgecolor="blue")
    ax.bar([1.8], [0.8], width=0.3, color="green")  # after the hatch: not hatched
    ax.pcolormesh([2.2, 2.5, 2.8], [0, 1], [[0.2, 0.8]], cmap="viridis")
    ax.imshow([[0.0, 1.0]], extent=(2.2, 2.8, 1.2, 1.8), cmap="autumn", aspect="auto")
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 2.2)
    ax.set_title("Title in colour", color="purple")
    return fig


def test_inheritcolor_writes_no_colours_and_draws_like_matplotlib(tmp_pdf) -> None:
    """pdf.inheritcolor: no stroke or fill colour is set (lines, markers, meshes, text and bars take the
    colour current where the figure is placed, black on a page of its own); images and hatch patterns keep
    theirs. The page renders as matplotlib's does."""
    renders = {}
    for backend in ("pdf", OURS):
        path = tmp_pdf(f"inherit-{backend.split('.')[-1]}")
        with mpl.rc_context({"pdf.inheritcolor": True}):
            _inherit_color_figure().savefig(path, backend=backend)
        with check_pdf(path, external=backend == OURS) as pdf:
            renders[backend] = pdf.render(0)
            if backend == OURS:
                operators = {str(op) for _, op in pikepdf.parse_content_stream(pdf.pdf.pages[0])}
                assert not operators & {"rg", "RG", "g", "G", "k", "K", "sc", "SC"}
                assert "scn" in operators  # the hatch pattern
                assert len(pdf.pdf.pages[0].Resources.XObject) >= 1  # the image
    ours = renders[OURS]
    assert _differing(ours, renders["pdf"]) < 0.005
    red = (ours[..., 0] > 180) & (ours[..., 1] < 120) & (ours[..., 2] < 120)
    blue = (ours[..., 2] > 180) & (ours[..., 0] < 120) & (ours[..., 1] < 120)
    black = ours.max(axis=2) < 60
    assert black.mean() > 0.01  # the line, markers, mesh and text, drawn in the default black
    assert blue.mean() > 0.0005  # the hatch lines keep their colour
    assert red.mean() > 0.0005  # the autumn image keeps its colours (its red end)
    # Without the rcParam the same figure has its colours.
    path = tmp_pdf("no-inherit")
    _inherit_color_figure().savefig(path, backend=OURS)
    with check_pdf(path) as pdf:
        plain = pdf.render(0)
    assert (plain.max(axis=2) < 60).mean() < black.mean() / 2


def _assert_ghostscript_renders_alike(draw: Any, style: str, name: str, tmp_pdf: Any) -> None:
    """The figure `draw()` returns, saved by matplotlib's backend and by ours under a matplotlib style,
    renders in Ghostscript (as matplotlib's image tests compare PDFs: 72 dpi, no anti-aliasing) to the
    same pixels."""
    import matplotlib.style
    from matplotlib.testing.compare import compare_images, convert

    if shutil.which("gs") is None:
        pytest.skip("Ghostscript (gs) is not installed")
    pngs = []
    for backend in ("pdf", OURS):
        with matplotlib.style.context(style):
            fig = draw()
        path = tmp_pdf(f"{name}-{backend.split('.')[-1]}")
        fig.savefig(path, backend=backend)
        check_pdf(path, external=backend == OURS).close()
        pngs.append(convert(str(path), cache=False))
    assert compare_images(pngs[0], pngs[1], tol=0) is None


def test_layout_edges_render_pixel_exact_in_ghostscript(tmp_pdf) -> None:
    """matplotlib's layouts put edges at thousandths of a point, often just past a pixel edge at 72 dpi:
    kept to 0.001 pt (not 0.01), Ghostscript's rendering (what matplotlib's image tests compare) equals
    that of matplotlib's file exactly, as in its test_tight_layout1."""

    def draw() -> Figure:
        fig = Figure()
        ax = fig.add_subplot()
        ax.plot([1, 2])
        ax.locator_params(nbins=3)
        ax.set_xlabel("x-label", fontsize=24)
        ax.set_ylabel("y-label", fontsize=24)
        ax.set_title("Title", fontsize=24)
        fig.tight_layout()
        return fig

    _assert_ghostscript_renders_alike(draw, "mpl20", "edges", tmp_pdf)


def test_small_paths_and_marker_sets_render_pixel_exact_in_ghostscript(tmp_pdf) -> None:
    """Paths and marker sets of up to 128 points keep 0.0001 pt (matplotlib writes six decimals): the
    edges of thick dashed steps and of big translucent markers land on Ghostscript's pixels as
    matplotlib's do (at 0.001 pt some came out a pixel apart)."""

    def draw() -> Figure:
        fig = Figure()
        steps, markers = fig.subplots(1, 2)
        x = np.arange(10)
        for offset, (style, where) in enumerate([("--", "pre"), ("-.", "mid"), (":", "post")]):
            steps.step(x, x + offset, lw=5, linestyle=style, where=where)
        steps.axis([-1, 5, -1, 7])
        for i, edge in enumerate([(1, 0, 0, 1), (1, 0, 0, 0.5)]):
            for j, face in enumerate([(0, 0, 1, 1), (0, 0, 1, 0.5)]):
                markers.plot(i + 1, j + 1, "o", mfc=face, mec=edge, ms=60, mew=12, alpha=0.6)
                markers.plot(i + 1, j + 3, "x", mec=edge, ms=60, mew=12)
        markers.axis([-1, 4, 0, 5])
        for ax in (steps, markers):
            ax.set_xticks([])
            ax.set_yticks([])
        return fig

    _assert_ghostscript_renders_alike(draw, "classic", "fine", tmp_pdf)


def test_mesh_edges_and_translucent_gouraud_render_as_matplotlibs(tmp_pdf) -> None:
    """Mesh edges are open paths as matplotlib's (caps where each quad's outline starts and ends), and a
    gouraud mesh at alpha 0.4 drawn after a translucent patch is 40% opaque: at 150 dpi the pages agree."""
    import matplotlib.patches as mpatches

    renders = {}
    for backend in ("pdf", OURS):
        fig = Figure(figsize=(4, 3))
        ax1, ax2 = fig.subplots(1, 2)
        x, y = np.meshgrid(np.linspace(0, 1, 7), np.linspace(0, 1, 6))
        ax1.pcolormesh(x + 0.1 * y, y, np.sin(5 * x[:-1, :-1]), lw=2, edgecolors=["b", "w"])
        ax2.add_patch(mpatches.Rectangle((0, 0), 0.5, 1, facecolor=(0.7, 0.1, 0.1, 0.5)))
        ax2.pcolormesh(x, y, np.hypot(x, y), shading="gouraud", alpha=0.4)
        path = tmp_pdf(f"mesh-{backend.split('.')[-1]}")
        fig.savefig(path, backend=backend)
        with check_pdf(path, external=backend == OURS) as pdf:
            renders[backend] = pdf.render(0, 150)
    assert _differing(renders[OURS], renders["pdf"]) < 0.0005


def test_hatch_lines_take_the_alpha_matplotlib_sets_and_show_without_an_edge_colour(tmp_pdf) -> None:
    """A translucent hatched span: its lines as faint as in matplotlib's file (pdfium applies the stroke
    alpha set with the pattern to its lines). Hatched bars without an edge colour: their lines are drawn,
    as Agg draws them (matplotlib's file sets a stroke alpha of 0 there, which loses them in pdfium)."""
    renders = {}
    for backend in ("pdf", OURS):
        fig = Figure(figsize=(4, 3))
        ax1, ax2 = fig.subplots(1, 2)
        ax1.axvspan(0.2, 0.8, alpha=0.3, hatch="/")
        ax2.bar([0, 1], [1, 2], hatch="//", color="C1")
        path = tmp_pdf(f"hatch-alpha-{backend.split('.')[-1]}")
        fig.savefig(path, backend=backend)
        with check_pdf(path, external=backend == OURS) as pdf:
            renders[backend] = pdf.render(0, 144)
    ours, theirs = renders[OURS], renders["pdf"]
    left, right = slice(0, ours.shape[1] // 2), slice(ours.shape[1] // 2, None)
    assert _differing(ours[:, left], theirs[:, left]) < 0.002
    dark = (ours[:, right].max(axis=2) < 90).sum()  # hatch lines (the bars are orange)
    assert dark > 4000, dark  # about 1,500 are the axes, ticks and labels


@pytest.mark.parametrize("core14", [False, True])
def test_fully_transparent_text_shows_nothing_but_keeps_its_link(core14: bool, tmp_pdf) -> None:
    """alpha=0 text (plain and mathtext) after a red patch: nothing drawn (it was drawn in the red left
    current), as with matplotlib's backend; its link is still there."""
    path = tmp_pdf(f"alpha0-{core14}")
    with mpl.rc_context({"pdf.use14corefonts": core14}):
        fig = Figure(figsize=(3, 2))
        fig.patches.append(mpl.patches.Rectangle((0, 0), 0.1, 0.1, color="red", transform=fig.transFigure))
        fig.text(0.2, 0.6, "INVISIBLE", alpha=0, fontsize=24, url="https://example.com/a")
        fig.text(0.2, 0.2, r"$\sum x^2$ hidden", alpha=0, fontsize=24)
        fig.savefig(path, backend=OURS)
    with check_pdf(path) as pdf:
        image = pdf.render(0)
        assert (image[:, 30:].min(axis=2) < 200).sum() == 0
        assert [str(a.A.URI) for a in pdf.pdf.pages[0].Annots] == ["https://example.com/a"]


def test_path_simplify_shrinks_long_lines_without_changing_the_picture(tmp_pdf) -> None:
    rng = np.random.default_rng(7)
    y = np.cumsum(rng.normal(size=200_000))
    sizes = {}
    renders = {}
    for simplify in (True, False):
        fig = Figure(figsize=(4, 3))
        fig.add_subplot().plot(y, linewidth=0.5)
        path = tmp_pdf(f"simplify-{simplify}")
        with mpl.rc_context({"path.simplify": simplify, "path.simplify_threshold": 0.111}):
            fig.savefig(path, backend=OURS)
        sizes[simplify] = path.stat().st_size
        with check_pdf(path, external=False) as pdf:
            renders[simplify] = pdf.render(0)
    assert sizes[True] < sizes[False] / 3
    assert _differing(renders[True], renders[False]) < 0.01


def test_rasterized_artists_follow_savefig_dpi(tmp_pdf) -> None:
    widths = {}
    for dpi in (50, 200):
        fig = Figure(figsize=(4, 3))
        ax = fig.add_subplot()
        ax.scatter(*np.random.default_rng(1).random((2, 50)), rasterized=True)
        path = tmp_pdf(f"raster-{dpi}")
        fig.savefig(path, backend=OURS, dpi=dpi)
        with check_pdf(path) as pdf:
            images = [x for x in pdf.pdf.pages[0].Resources.XObject.values() if x.Subtype == "/Image"]
            assert len(images) == 1
            widths[dpi] = int(images[0].Width)
    assert widths[200] == pytest.approx(4 * widths[50], rel=0.05)


def test_clip_rectangle_keeps_lines_inside_the_axes(tmp_pdf) -> None:
    fig = Figure(figsize=(4, 3))
    ax = fig.add_axes((0.25, 0.25, 0.5, 0.5))
    ax.plot([-10, 10], [0.5, 0.5], color="red", linewidth=6)
    ax.set_xlim(0, 1)
    ax.set_axis_off()
    path = tmp_pdf("clip")
    fig.savefig(path, backend=OURS)
    with check_pdf(path) as pdf:
        img = pdf.render(0)
    row = img[108]
    assert tuple(row[144]) == (255, 0, 0)
    assert tuple(row[30]) == (255, 255, 255)
    assert tuple(row[260]) == (255, 255, 255)


# Text measurement ------------------------------------------------------------------------


@pytest.mark.parametrize("text, ismath", [("Sphinx of black quartz", False), ("AVA Wa fi", False),
                                          (r"$\frac{a}{b}\sqrt{x}$", True)])
def test_text_is_measured_exactly_as_matplotlibs_pdf_backend(text: str, ismath: bool) -> None:
    from pdfwriter import Document

    prop = FontProperties(family="DejaVu Sans", size=13)
    with Document(io.BytesIO()) as document:
        page = document.add_page((100, 100))
        ours = pdfwriter.mpl.RendererPdfwriter(page, 72, 100 / 72, 100 / 72)
        expected = RendererPdf.get_text_width_height_descent(ours, text, prop, ismath)
        assert ours.get_text_width_height_descent(text, prop, ismath) == expected
        assert expected[0] > 0


_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-−+()[]%éüñÅ fiffl AVTo WaYe αβγ ‰→∞½"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # text.hinting_factor is deprecated in matplotlib 3.11
@pytest.mark.parametrize("rc", [{}, {"text.hinting_factor": 1}], ids=["default", "hinting-factor"])
def test_plain_text_measured_from_its_layout_equals_matplotlibs_measurement(rc) -> None:
    """Random strings in several families, styles and sizes: the layout-based measurement is matplotlib's, exactly."""
    import random

    from pdfwriter import Document
    from pdfwriter.mpl import measure

    rng = random.Random(7)
    families = [("DejaVu Sans", "normal", "normal"), ("DejaVu Sans", "bold", "italic"), ("DejaVu Serif", "normal", "italic"),
                ("DejaVu Sans Mono", "normal", "normal"), ("STIXGeneral", "normal", "normal")]
    checked = 0
    with mpl.rc_context(rc), Document(io.BytesIO()) as document:
        page = document.add_page((100, 100))
        ours = pdfwriter.mpl.RendererPdfwriter(page, 72, 100 / 72, 100 / 72)
        for family, weight, style in families:
            for size in (4, 6.5, 10, 12, 17.28, 30):
                prop = FontProperties(family=family, size=size, weight=weight, style=style)
                for _ in range(12):
                    s = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 14)))
                    expected = RendererPdf.get_text_width_height_descent(ours, s, prop, False)
                    assert ours.get_text_width_height_descent(s, prop, False) == expected, (family, size, s)
                    checked += measure.is_plain(s)
    assert measure._enabled and checked > 300


def test_text_with_marks_or_right_to_left_scripts_is_measured_by_matplotlib() -> None:
    from pdfwriter import Document
    from pdfwriter.mpl import measure

    assert measure.is_plain("Plain text 1.5 → ∞") and not measure.is_plain("")
    assert not measure.is_plain("x\u0302") and not measure.is_plain("שלום") and not measure.is_plain("\u202eab")
    prop = FontProperties(family="DejaVu Sans", size=11)
    with Document(io.BytesIO()) as document:
        ours = pdfwriter.mpl.RendererPdfwriter(document.add_page((100, 100)), 72, 100 / 72, 100 / 72)
        for s in ("X\u0302", "ab\u0308", "שלום עולם", "مرحبا"):
            assert ours.get_text_width_height_descent(s, prop, False) == RendererPdf.get_text_width_height_descent(
                ours, s, prop, False)


def test_a_measurement_that_differs_from_matplotlibs_turns_the_layout_path_off(monkeypatch) -> None:
    """The first measurements of each font are checked against matplotlib's; a difference is never returned."""
    from pdfwriter import Document
    from pdfwriter.mpl import measure
    from pdfwriter.mpl.renderer import _TEXT_CACHE

    if MATPLOTLIB_VERSION < (3, 11):
        pytest.skip("before matplotlib 3.11 text is always measured by matplotlib's own code")

    monkeypatch.setattr(measure, "_enabled", True)
    monkeypatch.setattr(measure, "_checked", {})
    monkeypatch.setattr(measure, "_glyph_numbers", {})
    monkeypatch.setattr(measure, "_numbers", lambda ft, gid: (0, 640, 1))  # a wrong advance and box
    _TEXT_CACHE.clear()
    prop = FontProperties(family="DejaVu Sans", size=9)
    with Document(io.BytesIO()) as document:
        ours = pdfwriter.mpl.RendererPdfwriter(document.add_page((100, 100)), 72, 100 / 72, 100 / 72)
        expected = RendererPdf.get_text_width_height_descent(ours, "Checked", prop, False)
        assert ours.get_text_width_height_descent("Checked", prop, False) == expected
        assert measure._enabled is False
        assert ours.get_text_width_height_descent("Checked too", prop, False) == (
            RendererPdf.get_text_width_height_descent(ours, "Checked too", prop, False))
    _TEXT_CACHE.clear()


def test_remembered_measurements_follow_changed_font_properties() -> None:
    """Strings measured once are remembered across figures, but never for other font properties.

    The same FontProperties object measured, then changed in place (size,
    family, weight) and measured again must give matplotlib's figures each
    time, as must rcParams that change how fonts load.
    """
    from pdfwriter import Document

    prop = FontProperties(family="DejaVu Sans", size=10)
    with Document(io.BytesIO()) as document:
        page = document.add_page((100, 100))
        for step in range(2):  # the second round is answered from what the first remembered
            ours = pdfwriter.mpl.RendererPdfwriter(page, 72, 100 / 72, 100 / 72)
            prop.set_size(10)
            prop.set_family("DejaVu Sans")
            prop.set_weight("normal")
            seen = []
            for change in (None, ("size", 20), ("family", "DejaVu Serif"), ("weight", "bold")):
                if change is not None:
                    getattr(prop, f"set_{change[0]}")(change[1])
                expected = RendererPdf.get_text_width_height_descent(ours, "Wide text 123", prop, False)
                assert ours.get_text_width_height_descent("Wide text 123", prop, False) == expected, (step, change)
                seen.append(expected)
            assert len(set(seen)) == 4
            with mpl.rc_context({"pdf.use14corefonts": True}):
                expected = RendererPdf.get_text_width_height_descent(ours, "Wide text 123", prop, False)
                assert ours.get_text_width_height_descent("Wide text 123", prop, False) == expected
                assert expected != seen[-1]


def test_remembered_text_follows_the_fonts_of_generic_families(tmp_pdf) -> None:
    """"sans-serif" means rcParams' list: changing the list between figures changes measurement and drawing."""
    from pdfwriter import Document

    prop = FontProperties(family="sans-serif", size=12)
    measured, fonts = [], []
    for names in (["DejaVu Sans"], ["DejaVu Serif"], ["DejaVu Sans"]):
        with mpl.rc_context({"font.sans-serif": names, "pdf.fonttype": 42}):
            with Document(io.BytesIO()) as document:
                page = document.add_page((100, 100))
                ours = pdfwriter.mpl.RendererPdfwriter(page, 72, 100 / 72, 100 / 72)
                expected = RendererPdf.get_text_width_height_descent(ours, "Generic text", prop, False)
                assert ours.get_text_width_height_descent("Generic text", prop, False) == expected
                measured.append(expected)
            path = tmp_pdf(names[0].replace(" ", ""))
            fig = Figure(figsize=(2, 1))
            fig.text(0.1, 0.5, "Generic text", family="sans-serif")
            fig.savefig(path, backend=OURS)
            with pikepdf.open(path) as pdf:
                fonts.append(str(next(iter(pdf.pages[0].Resources.Font.values())).BaseFont))
    assert measured[0] == measured[2] != measured[1]
    assert "Serif" in fonts[1] and "Serif" not in fonts[0] and "Serif" not in fonts[2]


def test_repeated_labels_in_many_pages_keep_their_own_sizes_and_fonts(tmp_pdf) -> None:
    """Pages repeating one string at other sizes, fonts and font types each draw it as asked."""
    path = tmp_pdf()
    sizes = [10, 24, 10, 24]
    families = ["DejaVu Sans", "DejaVu Sans", "DejaVu Serif", "DejaVu Serif"]
    with pdfwriter.mpl.PdfPages(path) as pages:
        for fonttype in (3, 42):
            with mpl.rc_context({"pdf.fonttype": fonttype}):
                for size, family in zip(sizes, families):
                    fig = Figure(figsize=(3, 1))
                    fig.text(0.05, 0.3, "Repeated 0.5", fontsize=size, family=family)
                    pages.savefig(fig)
    check_pdf(path, external=True).close()
    widths = []
    for index in range(8):
        boxes = char_boxes(path, page_index=index)
        assert "".join(c for c, _ in boxes) == "Repeated0.5"
        widths.append(boxes[-1][1][2] - boxes[0][1][0])
    with pikepdf.open(path) as pdf:
        fonts = [next(iter(page.Resources.Font.values())) for page in pdf.pages]
        assert [str(font.Subtype) for font in fonts] == ["/Type3"] * 4 + ["/Type0"] * 4
        assert "Serif" in str(fonts[6].BaseFont) and "Serif" not in str(fonts[4].BaseFont)
        objects = [font.objgen for font in fonts]
        assert objects[0] == objects[1] != objects[2] == objects[3]
    for ours, theirs in zip(widths[:4], widths[4:]):
        assert ours == pytest.approx(theirs, rel=0.02)
    assert widths[1] == pytest.approx(widths[0] * 2.4, rel=0.05)


def test_glyphs_land_where_matplotlib_puts_them(tmp_pdf) -> None:
    """Kerned, aligned and rotated glyphs: each character's box matches matplotlib's to 0.02 pt.

    Horizontal text compares the loose boxes' left and right (the glyph's
    origin and advance); rotated text the glyph outlines' boxes.
    """
    loose, tight = [], []
    for backend in ("pdf", OURS):
        fig = Figure(figsize=(3, 2))
        fig.text(0.95, 0.7, "AVATAR Wave, To", ha="right", fontsize=14)
        fig.text(0.1, 0.4, "Ta Yo fi ffl", fontsize=11, family="DejaVu Serif")
        fig.text(0.2, 0.1, "rotated 30 Tokyo", rotation=30, fontsize=12)
        path = tmp_pdf(f"glyphs-{backend.split('.')[-1]}")
        with mpl.rc_context({"pdf.fonttype": 42}):
            fig.savefig(path, backend=backend)
        check_pdf(path, external=backend == OURS).close()
        loose.append(char_boxes(path, loose=True))
        tight.append(char_boxes(path))
    assert [c for c, _ in loose[1]] == [c for c, _ in loose[0]]
    assert len(loose[0]) == 36
    for index, ((char, ours), (_, theirs)) in enumerate(zip(loose[1], loose[0])):
        if index < 22:
            assert (ours[0], ours[2]) == pytest.approx((theirs[0], theirs[2]), abs=0.02), char
    for (char, ours), (_, theirs) in list(zip(tight[1], tight[0]))[22:]:
        assert ours == pytest.approx(theirs, abs=0.02), char


@pytest.mark.skipif(MATPLOTLIB_VERSION < (3, 11), reason="text shaped by HarfBuzz in matplotlib from 3.11")
@pytest.mark.parametrize("fonttype", [3, 42])
def test_glyphs_after_a_zero_width_space_stay_where_matplotlib_lays_them_out(fonttype: int, tmp_pdf) -> None:
    """Each glyph's origin is where matplotlib's layout (and Agg) puts it, zero-width and thin spaces included.

    matplotlib's own file draws the zero-width space with the width of a
    space and the kern that undoes it on the next letter: pdfium shows
    "Zerowidth" with the "o" and "w" overlapping, 3.8 pt short. The tolerance
    allows for glyph widths in whole thousandths of an em, which drift from the
    layout by up to 0.03 pt over this string in matplotlib's file as in ours.
    """
    from matplotlib import _text_helpers
    from matplotlib.font_manager import findfont, get_font

    text = "Zero\u200bwidth nbsp\u00a0thin\u2009end"
    fig = Figure(figsize=(3, 1))
    fig.text(0.1, 0.5, text, fontsize=12)
    path = tmp_pdf(f"zero-width-{fonttype}")
    with mpl.rc_context({"pdf.fonttype": fonttype}):
        fig.savefig(path, backend=OURS)
    check_pdf(path, external=True).close()
    font = get_font(findfont(FontProperties()))
    font.set_size(12, 72)
    drawn = [item for item in _text_helpers.layout(text, font) if item.char.isprintable() and not item.char.isspace()]
    expected = [(item.char, 0.1 * 216 + item.x) for item in drawn]
    found = [(char, box[0]) for char, box in char_boxes(path, loose=True) if char.isprintable()]
    assert [char for char, _ in found] == [char for char, _ in expected]
    for (char, left), (_, wanted) in zip(found, expected):
        assert left == pytest.approx(wanted, abs=0.05), char

def test_mathtext_glyphs_land_where_the_parser_puts_them(tmp_pdf) -> None:
    """Each mathtext glyph's origin (loose box left) is at x + its parser offset."""
    from matplotlib.mathtext import MathTextParser

    text = r"$\mathrm{x}_1^2 + \frac{1}{2} \sqrt{3}$"
    fig = Figure(figsize=(3, 2))
    fig.text(0.1, 0.5, text, fontsize=12)
    path = tmp_pdf("mathtext-glyphs")
    fig.savefig(path, backend=OURS)
    with check_pdf(path):
        pass
    parsed = MathTextParser("path").parse(text, 72, FontProperties(size=12))
    lefts = sorted(box[0] for _, box in char_boxes(path, loose=True))
    offsets = sorted(float(entry[-2]) for entry in parsed.glyphs)
    assert len(lefts) == len(offsets) >= 8
    origin = 0.1 * 3 * 72
    assert np.allclose(np.array(lefts) - origin, offsets, atol=0.01)


# Links and notes -------------------------------------------------------------------


def _link_rects(path, page_index: int = 0) -> list[tuple[str, list[float], bool]]:
    """(uri, rect, has QuadPoints) of every link annotation, as pikepdf reads them."""
    with check_pdf(path) as pdf:
        annots = pdf.pdf.pages[page_index].obj.get("/Annots", [])
        return [
            (str(a.A.URI), [float(v) for v in a.Rect], "/QuadPoints" in a)
            for a in annots if a.Subtype == "/Link"
        ]


def test_text_urls_give_the_link_rectangles_of_matplotlibs_backend(tmp_pdf) -> None:
    from test_annotations import pdfium_links

    found = {}
    for backend in ("pdf", OURS):
        fig = Figure(figsize=(4, 3))
        ax = fig.add_subplot()
        ax.set_title("Title link", url="https://example.org/title")
        fig.text(0.1, 0.9, "Plain text link", url="https://example.org/plain")
        fig.text(0.5, 0.5, "rotated link", rotation=30, url="https://example.org/rotated")
        fig.text(0.1, 0.1, r"$\alpha^2 + \beta$", url="https://example.org/math")
        fig.text(0.7, 0.1, "no link")
        path = tmp_pdf(f"urls-{backend.split('.')[-1]}")
        fig.savefig(path, backend=backend)
        found[backend] = _link_rects(path)
    theirs, ours = sorted(found["pdf"]), sorted(found[OURS])
    assert [uri for uri, _, _ in ours] == [uri for uri, _, _ in theirs] == [
        "https://example.org/math", "https://example.org/plain", "https://example.org/rotated",
        "https://example.org/title",
    ]
    for (uri, rect, quads), (_, expected, expected_quads) in zip(ours, theirs):
        assert rect == pytest.approx(expected, abs=0.5), uri
        assert quads == expected_quads, uri
    rotated = [link for link in pdfium_links(path) if link["uri"].endswith("rotated")]
    assert len(rotated) == 1 and len(rotated[0]["quads"]) == 1


def test_scatter_urls_link_each_marker_and_skip_items_without_one(tmp_pdf) -> None:
    from test_annotations import pdfium_link_at

    fig = Figure(figsize=(4, 3), dpi=72)  # transData in points, as on the page
    ax = fig.add_subplot()
    ax.set_xlim(0, 4)
    ax.set_ylim(0, 4)
    points = np.array([[1.0, 1.0], [2.0, 3.0], [3.0, 2.0]])
    collection = ax.scatter(points[:, 0], points[:, 1], s=[100, 400, 100])
    collection.set_urls(["https://example.org/a", None, "https://example.org/c"])
    path = tmp_pdf("scatter-urls")
    fig.savefig(path, backend=OURS)
    links = _link_rects(path)
    assert [uri for uri, _, _ in links] == ["https://example.org/a", "https://example.org/c"]
    centres = ax.transData.transform(points)
    for (uri, rect, quads), centre in zip(links, centres[[0, 2]]):
        assert ((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2) == pytest.approx(tuple(centre), abs=0.01)
        assert rect[2] - rect[0] == pytest.approx(10, abs=0.01)  # s=100: a marker 10 points across
        assert not quads
    assert pdfium_link_at(path, *centres[0])
    assert not pdfium_link_at(path, *centres[1])


def test_image_and_line_urls_link_their_boxes(tmp_pdf) -> None:
    fig = Figure(figsize=(4, 3), dpi=72)
    ax = fig.add_subplot()
    ax.imshow(np.arange(4.0).reshape(2, 2), extent=(0, 2, 0, 2), url="https://example.org/image")
    ax.plot([0.5, 1.5], [0.5, 1.0], url="https://example.org/line", linewidth=2)
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 2)
    path = tmp_pdf("image-url")
    fig.savefig(path, backend=OURS)
    links = dict((uri, rect) for uri, rect, _ in _link_rects(path))
    (x0, y0), (x1, y1) = ax.transData.transform([(0, 0), (2, 2)])
    assert links["https://example.org/image"] == pytest.approx([x0, y0, x1, y1], abs=0.5)
    (lx0, ly0), (lx1, ly1) = ax.transData.transform([(0.5, 0.5), (1.5, 1.0)])
    assert links["https://example.org/line"] == pytest.approx([lx0 - 1, ly0 - 1, lx1 + 1, ly1 + 1], abs=0.05)


def test_pdfpages_attach_note_goes_on_the_next_page_saved(tmp_pdf) -> None:
    from test_annotations import pdfium_annotations

    path = tmp_pdf("notes")
    with pdfwriter.mpl.PdfPages(path) as pages:
        pages.savefig(_figure("one"))
        pages.attach_note("about page two")
        pages.attach_note("placed", positionRect=[10, 20, 30, 40])
        pages.savefig(_figure("two"))
        pages.savefig(_figure("three"))
    with check_pdf(path, external=True) as pdf:
        annots = [list(page.obj.get("/Annots", [])) for page in pdf.pdf.pages]
        assert [len(a) for a in annots] == [0, 2, 0]
        first, second = annots[1]
        assert first.Subtype == "/Text" and str(first.Contents) == "about page two"
        assert [float(v) for v in first.Rect] == [-100, -100, 0, 0]
        assert [float(v) for v in second.Rect] == [10, 20, 30, 40]
    assert [text for _, _, text in pdfium_annotations(path, 1)] == ["about page two", "placed"]


def test_attach_note_rejects_bad_input(tmp_pdf) -> None:
    from pdfwriter.errors import AnnotationError, GeometryError

    with pdfwriter.mpl.PdfPages(tmp_pdf("bad-note")) as pages:
        with pytest.raises(AnnotationError):
            pages.attach_note(3)
        with pytest.raises(GeometryError):
            pages.attach_note("x", positionRect=[0, 0, float("nan"), 1])
        pages.savefig(_figure())


def test_marker_line_url_links_the_box_of_its_markers(tmp_pdf) -> None:
    fig = Figure(figsize=(4, 3), dpi=72)
    ax = fig.add_subplot()
    ax.set_xlim(0, 4)
    ax.set_ylim(0, 4)
    ax.plot([1, 3], [1, 2], "s", markersize=10, markeredgewidth=0, url="https://example.org/markers")
    path = tmp_pdf("marker-url")
    fig.savefig(path, backend=OURS)
    ((uri, rect, quads),) = _link_rects(path)
    (x0, y0), (x1, y1) = ax.transData.transform([(1, 1), (3, 2)])
    assert uri == "https://example.org/markers" and not quads
    assert rect == pytest.approx([x0 - 5, y0 - 5, x1 + 5, y1 + 5], abs=0.01)


def test_figures_saved_from_several_threads_at_once_are_the_files_saved_one_by_one(monkeypatch) -> None:
    """Report servers save figures from worker threads: the shared caches (text layouts, fonts, markers,
    the deflate pool) must not mix one save into another. (Figures without mathtext: matplotlib's
    mathtext parser is not thread-safe, with its own backend either.)"""
    import hashlib
    import threading

    from mpl_figures import FIGURES

    names = ["lines", "markers", "hatches", "imshow_large", "legends", "font_families", "large_scatter"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the same dates and file ID in every save

    def save(name: str) -> str:
        out = io.BytesIO()
        FIGURES[name]().savefig(out, format="pdf", backend=OURS)
        return hashlib.sha256(out.getvalue()).hexdigest()

    expected = {name: save(name) for name in names}
    found: list[tuple[str, str]] = []
    errors: list[BaseException] = []

    def worker(shift: int) -> None:
        try:
            for name in names[shift:] + names[:shift]:
                found.append((name, save(name)))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(found) == 4 * len(names)
    assert [name for name, digest in found if digest != expected[name]] == []
