"""The runner of matplotlib's own PDF tests (tests/mpl_suite) and the backend fixes it led to."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("agg")

from matplotlib.figure import Figure  # noqa: E402

from harness import assert_color, check_pdf, pixel  # noqa: E402
from mpl_figures import MATPLOTLIB_VERSION  # noqa: E402

SUITE = Path(__file__).resolve().parent / "mpl_suite"
sys.path.insert(0, str(SUITE))
import mpl_plugin as plugin  # noqa: E402

pytest_plugins = ["pytester"]
OURS = "module://pdfwriter.mpl"


def test_figure_narrower_than_a_viewer_page_is_saved_at_the_bottom_left(tmp_pdf) -> None:
    fig = Figure(figsize=(0.02, 2), dpi=100)  # 1.44 points wide
    fig.patch.set_facecolor("red")
    path = tmp_pdf("narrow")
    fig.savefig(path, backend=OURS)
    with check_pdf(path) as pdf:
        box = [float(v) for v in pdf.pdf.pages[0].MediaBox]
        assert box == [0, 0, 3, 144]
        img = pdf.render(dpi=288)
    assert_color(pixel(img, 0.5, 72, dpi=288), (255, 0, 0))
    assert_color(pixel(img, 2.5, 72, dpi=288), (255, 255, 255))


def test_image_is_stored_top_row_first_so_extraction_matches_the_array(tmp_pdf) -> None:
    pikepdf = pytest.importorskip("pikepdf")
    data = np.zeros((4, 3, 3), dtype=np.uint8)
    data[0] = (255, 0, 0)  # top row of the figure image
    data[-1] = (0, 0, 255)
    fig = Figure(figsize=(3 / 72, 4 / 72), dpi=72)
    fig.figimage(data, resize=True)
    path = tmp_pdf("image")
    fig.savefig(path, backend=OURS, dpi=72)
    with check_pdf(path) as pdf:
        page = pdf.pdf.pages[0]
        (image,) = (page.get_images() if hasattr(page, "get_images") else page.images).values()
        extracted = np.asarray(pikepdf.PdfImage(image).as_pil_image().convert("RGB"))
        img = pdf.render(dpi=72 * 8)
    np.testing.assert_array_equal(extracted, data)
    assert_color(pixel(img, 1.5, 3.5, dpi=72 * 8), (255, 0, 0))  # top row at the top of the page
    assert_color(pixel(img, 1.5, 0.5, dpi=72 * 8), (0, 0, 255))


@pytest.mark.parametrize(
    "fontset, text",
    [("cm", r"$\{ \rm braces \}$"), ("cm", r"${x}_{92}^{31415}+\pi $"),
     ("dejavusans", r"$\sqrt{1+\sqrt{1+\sqrt{1+\sqrt{1+\sqrt{1+\sqrt{1+\sqrt{1+x}}}}}}}$"),
     ("stixsans", r"$\alpha \beta \gamma \delta \epsilon \zeta \eta \theta \iota \lambda \mu \nu \xi \pi$")],
    ids=["cm-braces", "cm-scripts", "dejavusans-roots", "stixsans-greek"],
)
def test_mathtext_matches_matplotlibs_file_in_ghostscript_to_the_pixel(fontset: str, text: str, tmp_path) -> None:
    """Mathtext glyphs are each placed by their own text matrix, as matplotlib places them: Ghostscript,
    which renders without anti-aliasing in matplotlib's image comparisons, put some glyphs of a shared TJ
    a pixel apart. Cases of matplotlib's test_mathtext_rendering that differed so, drawn as it draws them."""
    import matplotlib.style
    from matplotlib.testing.compare import comparable_formats, compare_images

    if MATPLOTLIB_VERSION < (3, 11):
        pytest.skip("before 3.11 matplotlib draws mathtext glyphs past U+00FF as forms (docs/MATPLOTLIB.md)")
    if "pdf" not in comparable_formats():
        pytest.skip("matplotlib compares PDFs through Ghostscript, which is not installed")
    files = []
    for backend in ("pdf", OURS):
        with matplotlib.style.context("mpl20"), mpl.rc_context({"mathtext.fontset": fontset}):
            fig = Figure(figsize=(5.25, 0.75))
            fig.text(0.5, 0.5, text, fontsize=12, horizontalalignment="center", verticalalignment="center")
            path = tmp_path / f"{backend.rsplit('.', 1)[-1]}.pdf"
            fig.savefig(path, backend=backend)
        files.append(str(path))
    assert compare_images(files[0], files[1], tol=0) is None


def test_expected_failures_list_is_well_formed() -> None:
    listed = plugin.read_expected(plugin.EXPECTED_FAILURES)
    assert listed
    for test_id, reason in listed.items():
        assert test_id.startswith("test_") and ".py::test_" in test_id, test_id
        assert len(reason) > 20, f"{test_id}: say why it cannot pass"


def test_bad_list_line_is_a_usage_error(tmp_path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("test_x.py::test_y\n", encoding="utf-8")
    with pytest.raises(pytest.UsageError, match="test id | reason"):
        plugin.read_expected(listing)


_MODULE = """
from matplotlib.testing.decorators import check_figures_equal

@check_figures_equal(extensions=["png", "pdf"])
def test_same(fig_test, fig_ref):
    fig_test.subplots().plot([0, 1])
    fig_ref.subplots().plot([0, 1])

@check_figures_equal(extensions=["png", "pdf"])
def test_listed_but_passing(fig_test, fig_ref):
    fig_test.subplots().plot([0, 1])
    fig_ref.subplots().plot([0, 1])

@check_figures_equal(extensions=["pdf"])
def test_listed_failing(fig_test, fig_ref):
    fig_test.subplots().plot([0, 1], lw=8)
    fig_ref.subplots().plot([1, 0], lw=8)

@check_figures_equal(extensions=["pdf"])
def test_unlisted_failing(fig_test, fig_ref):
    fig_test.subplots().bar([0], [1])
    fig_ref.subplots().bar([0], [2])

def test_not_a_figure_comparison():
    assert False
"""


def _run_plugin(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *extra: str) -> pytest.RunResult:
    pytester.makepyfile(test_sample=_MODULE)
    listing = pytester.path / "expected.txt"
    listing.write_text(
        "test_sample.py::test_listed_failing[pdf] | draws another line\n"
        "test_sample.py::test_listed_but_passing[pdf] | fixed since\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PYTHONPATH", str(SUITE))
    return pytester.runpytest_subprocess(
        "-p", "mpl_plugin", "--mpl-expected", str(listing), "--mpl-results", str(pytester.path / "results"),
        "-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning", *extra,
    )


def test_plugin_fails_the_run_only_on_an_unlisted_failure(pytester: pytest.Pytester, monkeypatch) -> None:
    pytest.importorskip("matplotlib.testing.compare")
    from matplotlib.testing.compare import comparable_formats

    if "pdf" not in comparable_formats():
        pytest.skip("matplotlib compares PDFs through Ghostscript, which is not installed")
    result = _run_plugin(pytester, monkeypatch)
    # Only the pdf case of figure comparisons runs: png cases and other tests are deselected.
    result.assert_outcomes(passed=1, failed=1, xfailed=1, xpassed=1, deselected=3)
    result.stdout.fnmatch_lines([
        "*listed in expected_failures.txt but passed*", "test_sample.py::test_listed_but_passing[[]pdf[]]",
        "FAILED test_sample.py::test_unlisted_failing[[]pdf[]]*",
    ])
    assert result.ret == pytest.ExitCode.TESTS_FAILED

    strict = _run_plugin(pytester, monkeypatch, "--mpl-strict", "-k", "listed_but_passing")
    strict.assert_outcomes(failed=1, deselected=6)


def test_own_backend_option_leaves_matplotlibs_pdf_writer(pytester: pytest.Pytester, monkeypatch) -> None:
    """--mpl-own-backend runs the same selection with matplotlib's backend: the yardstick of the survey."""
    pytester.makepyfile(test_backend_pdf="""
from matplotlib.backend_bases import get_registered_canvas_class

def test_writer():
    print("WRITER", get_registered_canvas_class("pdf").__module__)
""")
    monkeypatch.setenv("PYTHONPATH", str(SUITE))
    for extra, writer in (((), "pdfwriter.mpl*"), (("--mpl-own-backend",), "matplotlib.backends.backend_pdf")):
        result = pytester.runpytest_subprocess("-p", "mpl_plugin", "-p", "no:cacheprovider", "-s", *extra)
        result.assert_outcomes(passed=1)
        result.stdout.fnmatch_lines([f"*WRITER {writer}"])


def test_images_survey_fetches_only_baseline_pdfs_of_every_module(tmp_path, monkeypatch) -> None:
    """run.py --mpl-images: the baseline PDFs of every module (not their PNGs or SVGs) and data/, from the sdist."""
    import io
    import tarfile

    import run

    prefix = "matplotlib-9.9/lib/matplotlib/tests/"
    files = {
        "baseline_images/test_axes/a.pdf": b"%PDF-a", "baseline_images/test_axes/a.png": b"png",
        "baseline_images/test_text/b.pdf": b"%PDF-b", "baseline_images/test_text/b.svg": b"svg",
        "data/font.ttf": b"ttf", "test_axes.py": b"code",
    }
    sdist = tmp_path / "matplotlib-9.9.tar.gz"
    with tarfile.open(sdist, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(prefix + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    monkeypatch.setenv("PDFWRITER_MPL_SDIST", str(sdist))
    monkeypatch.setenv("PDFWRITER_MPL_CACHE", str(tmp_path / "cache"))
    root = run.baselines("9.9", every_module=True)
    found = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert found == ["baseline_images/test_axes/a.pdf", "baseline_images/test_text/b.pdf", "data/font.ttf"]
    sdist.unlink()
    assert run.baselines("9.9", every_module=True) == root  # kept: not fetched again
    assert root.name == "matplotlib-9.9-every-module"  # apart from the gate's test_backend_pdf baselines


def test_images_survey_selects_the_pdf_case_of_image_comparisons(tmp_path) -> None:
    import run

    for name, text in {
        "test_a.py": "@image_comparison(['x'])", "test_b.py": "@check_figures_equal()",
        "test_backend_pdf.py": "@image_comparison(['y'])",
    }.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert [Path(p).name for p in run.test_modules(tmp_path, images=True)] == ["test_a.py"]
    assert [Path(p).name for p in run.test_modules(tmp_path)] == ["test_b.py", "test_backend_pdf.py"]

    class Item:
        def __init__(self, module: str, params: dict) -> None:
            self.path = tmp_path / module
            self.callspec = type("Callspec", (), {"params": params})()

    assert plugin._is_pdf_image_comparison(Item("test_a.py", {"extension": "pdf"}))
    assert not plugin._is_pdf_image_comparison(Item("test_a.py", {"extension": "png"}))
    assert not plugin._is_pdf_image_comparison(Item("test_backend_pdf.py", {"extension": "pdf"}))
