"""python -m pdfwriter images: formats, page sizes, dpi, origin, margins, failures, progress."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from harness import check_pdf
from PIL import Image

from pdfwriter.cli import main
from pdfwriter.errors import ImageError
from pdfwriter.image.convert import images_to_pdf

RNG = np.random.default_rng(31)
PIXELS = RNG.integers(0, 256, (30, 40, 3), dtype=np.uint8)


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """A PNG, a JPEG, a .npy array and a three-frame TIFF."""
    files = {"png": tmp_path / "a.png", "jpg": tmp_path / "b.jpg", "npy": tmp_path / "c.npy", "tif": tmp_path / "d.tif"}
    Image.fromarray(PIXELS).save(files["png"])
    Image.fromarray(np.full((20, 50, 3), 100, np.uint8)).save(files["jpg"], quality=95)
    ramp = np.zeros((10, 20), dtype=np.uint8)
    ramp[0] = 255  # a white first row: shows which way up the array lands
    np.save(files["npy"], ramp)
    frames = [Image.fromarray(np.full((16, 12), v, np.uint8)) for v in (0, 128, 255)]
    frames[0].save(files["tif"], save_all=True, append_images=frames[1:])
    return files


def run(*args: object) -> tuple[int, str, str]:
    """main() in this process: (exit code, stdout, stderr)."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def page_sizes(checked) -> list[tuple[float, float]]:
    return [tuple(round(float(v), 2) for v in list(page.MediaBox)[2:]) for page in checked.pdf.pages]


def painted(image: np.ndarray) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of what is not white."""
    rows = np.flatnonzero((image < 250).any(axis=(1, 2)))
    columns = np.flatnonzero((image < 250).any(axis=(0, 2)))
    return rows[0], rows[-1] + 1, columns[0], columns[-1] + 1


def test_every_format_one_page_per_image_at_96_dpi(inputs, tmp_path):
    out = tmp_path / "all.pdf"
    code, stdout, stderr = run("images", *inputs.values(), "-o", out)
    assert code == 0, stderr
    assert f"wrote {out} (6 pages from 4 files)" in stdout
    with check_pdf(out) as checked:
        # 96 pixels an inch: a pixel is 0.75 pt.
        assert page_sizes(checked) == [(30, 22.5), (37.5, 15), (15, 7.5), (9, 12), (9, 12), (9, 12)]
        assert np.array_equal(checked.render(0, dpi=96), PIXELS)
        assert np.abs(checked.render(1, dpi=96).astype(int) - 100).max() <= 3
        assert [int(checked.render(i, dpi=96)[5, 5, 0]) for i in (3, 4, 5)] == [0, 128, 255]
        jpeg = next(iter(checked.pdf.pages[1].Resources.XObject.values()))
        assert jpeg.Filter == "/DCTDecode"  # embedded as it is


def test_dpi_option(inputs, tmp_path):
    out = tmp_path / "dpi.pdf"
    assert run("images", inputs["png"], "-o", out, "--dpi", 72)[0] == 0
    with check_pdf(out) as checked:
        assert page_sizes(checked) == [(40, 30)]
        assert np.array_equal(checked.render(0, dpi=72), PIXELS)


def test_origin_lower_flips_arrays(inputs, tmp_path):
    upper, lower = tmp_path / "upper.pdf", tmp_path / "lower.pdf"
    assert run("images", inputs["npy"], "-o", upper, "--dpi", 72)[0] == 0
    assert run("images", inputs["npy"], "-o", lower, "--dpi", 72, "--origin", "lower")[0] == 0
    with check_pdf(upper) as a, check_pdf(lower) as b:
        assert a.render(0)[0, 5, 0] == 255 and a.render(0)[9, 5, 0] == 0
        assert b.render(0)[0, 5, 0] == 0 and b.render(0)[9, 5, 0] == 255


@pytest.mark.parametrize(
    "size, expected",
    [("A4", (595.28, 841.89)), ("Letter", (612, 792)), ("400x300", (400, 300)), ("100x50mm", (283.46, 141.73))],
)
def test_fixed_page_size_fits_and_centres(inputs, tmp_path, size, expected):
    out = tmp_path / "fixed.pdf"
    code, _, stderr = run("images", inputs["png"], "-o", out, "--page-size", size, "--margin", 20)
    assert code == 0, stderr
    with check_pdf(out) as checked:
        assert page_sizes(checked) == [expected]
        image = checked.render(0, dpi=72)
        top, bottom, left, right = painted(image)
        width, height = right - left, bottom - top
        assert abs(width / height - 4 / 3) < 0.05  # aspect kept
        # Touches the margins on one axis, centred on both.
        assert min(abs(width - (expected[0] - 40)), abs(height - (expected[1] - 40))) <= 1.5
        assert abs(left - (image.shape[1] - right)) <= 1 and abs(top - (image.shape[0] - bottom)) <= 1


def test_margin_around_fit_pages(inputs, tmp_path):
    out = tmp_path / "margin.pdf"
    assert run("images", inputs["png"], "-o", out, "--dpi", 72, "--margin", 10)[0] == 0
    with check_pdf(out) as checked:
        assert page_sizes(checked) == [(60, 50)]
        image = checked.render(0, dpi=72)
        assert np.array_equal(image[10:40, 10:50], PIXELS)
        assert (image[:10] == 255).all()


def test_bad_files_are_reported_and_the_rest_converted(inputs, tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"this is not an image")
    out = tmp_path / "partial.pdf"
    code, stdout, stderr = run("images", inputs["png"], bad, tmp_path / "missing.jpg", inputs["jpg"], "-o", out)
    assert code == 1
    assert f"{bad}: not an image" in stderr and "missing.jpg: cannot read the file" in stderr
    assert "2 pages from 2 files; 2 failed" in stdout
    with check_pdf(out) as checked:
        assert checked.page_count == 2


def test_strict_stops_and_writes_nothing(inputs, tmp_path):
    bad = tmp_path / "bad.npy"
    bad.write_bytes(b"\x93NUMPY garbage")
    out = tmp_path / "strict.pdf"
    out.write_bytes(b"previous contents")
    code, _, stderr = run("images", inputs["png"], bad, inputs["jpg"], "-o", out, "--strict")
    assert code == 1 and f"{bad}:" in stderr and "Traceback" not in stderr
    assert out.read_bytes() == b"previous contents"  # atomic: the old file is untouched
    assert not list(tmp_path.glob(".strict.pdf.*"))


def test_nothing_readable_writes_nothing(tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    out = tmp_path / "none.pdf"
    code, _, stderr = run("images", bad, "-o", out)
    assert code == 1 and "no image could be read" in stderr and not out.exists()


def test_bad_options_are_clear(inputs, tmp_path):
    out = tmp_path / "opts.pdf"
    code, _, stderr = run("images", inputs["png"], "-o", out, "--page-size", "B7")
    assert code == 1 and "unknown page size 'B7'" in stderr
    code, _, stderr = run("images", inputs["png"], "-o", out, "--page-size", "A6", "--margin", 200)
    assert code == 1 and "no room" in stderr
    code, _, stderr = run("images", inputs["png"], "-o", out, "--dpi", 0)
    assert code == 1 and "dpi" in stderr
    code, _, stderr = run("images", inputs["png"], "-o", out, "--dpi", 0.1)
    assert code == 1 and "raise --dpi" in stderr
    assert not out.exists()


def test_progress_lines_on_stderr(inputs, tmp_path):
    out = tmp_path / "progress.pdf"
    code, _, stderr = run("images", inputs["png"], inputs["jpg"], "-o", out, "--progress")
    assert code == 0
    assert [line.split(" (")[0] for line in stderr.splitlines()] == [f"[1/2] {inputs['png']}", f"[2/2] {inputs['jpg']}"]
    check_pdf(out).close()


def test_tiff_without_pillow_says_what_to_install(inputs, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImageError, match=r"pip install pillow"):
        images_to_pdf([inputs["tif"]], tmp_path / "tiff.pdf", strict=True)
    result = images_to_pdf([inputs["png"], inputs["tif"]], tmp_path / "png-only.pdf")
    assert result.pages == 1 and result.failed[0][0] == str(inputs["tif"])
    check_pdf(tmp_path / "png-only.pdf").close()


def test_command_line_entry_point(inputs, tmp_path):
    result = subprocess.run([sys.executable, "-m", "pdfwriter", "images", str(inputs["png"]), "-o", "cli.pdf"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress when stderr is not a terminal
    check_pdf(tmp_path / "cli.pdf").close()
