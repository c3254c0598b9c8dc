"""page.image: placement, default sizes, scopes, alpha, colour maps, and pixel-exact round trips."""

from __future__ import annotations

import io

import numpy as np
import pytest
from harness import check_pdf
from PIL import Image

import pdfwriter
from pdfwriter.errors import ImageError, StyleError

RNG = np.random.default_rng(4242)


def one_image(tmp_pdf, size, data, *args, name="page-image", **options):
    """Write a page of `size` with one page.image call; return the checked PDF."""
    path = tmp_pdf(name)
    with pdfwriter.Document(path) as doc:
        doc.add_page(size).image(data, *args, **options)
    return check_pdf(path)


def painted(image: np.ndarray) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) pixel bounds of what is not white."""
    rows = np.flatnonzero((image < 250).any(axis=(1, 2)))
    columns = np.flatnonzero((image < 250).any(axis=(0, 2)))
    return rows[0], rows[-1] + 1, columns[0], columns[-1] + 1


def test_native_resolution_round_trip_is_pixel_exact(tmp_pdf):
    pixels = RNG.integers(0, 256, (48, 64, 3), dtype=np.uint8)
    with one_image(tmp_pdf, (64, 48), pixels, 0, 0) as checked:
        assert np.array_equal(checked.render(0, dpi=72), pixels)


def test_origin_lower_puts_row_zero_at_the_bottom(tmp_pdf):
    pixels = RNG.integers(0, 256, (30, 20, 3), dtype=np.uint8)
    with one_image(tmp_pdf, (20, 30), pixels, 0, 0, origin="lower") as checked:
        assert np.array_equal(checked.render(0, dpi=72), pixels[::-1])


def test_placement_in_points_from_the_lower_left_corner(tmp_pdf):
    pixels = np.zeros((10, 10, 3), dtype=np.uint8)
    with one_image(tmp_pdf, (200, 100), pixels, 30, 20, 50, 40) as checked:
        image = checked.render(0, dpi=72)
        # 20 pt from the bottom of a 100 pt page, 40 high: rows 40..80; columns 30..80.
        assert painted(image) == (40, 80, 30, 80)


@pytest.mark.parametrize(
    "size, expected",
    [((None, None), (16, 24)), ((48, None), (32, 48)), ((None, 8), (8, 12))],
    ids=["pixels", "width-only", "height-only"],
)
def test_default_sizes_keep_the_aspect_ratio(tmp_pdf, size, expected):
    pixels = np.zeros((16, 24, 3), dtype=np.uint8)
    with one_image(tmp_pdf, (100, 100), pixels, 10, 10, *size) as checked:
        top, bottom, left, right = painted(checked.render(0, dpi=72))
        assert (bottom - top, right - left) == expected
        assert (bottom, left) == (90, 10)


def test_scaled_up_pixels_cover_whole_blocks(tmp_pdf):
    pixels = RNG.integers(0, 256, (6, 8, 3), dtype=np.uint8)
    with one_image(tmp_pdf, (80, 60), pixels, 0, 0, 80, 60) as checked:
        assert np.array_equal(checked.render(0, dpi=72), pixels.repeat(10, axis=0).repeat(10, axis=1))


def test_page_transform_and_clip_apply_to_images(tmp_pdf):
    pixels = RNG.integers(0, 256, (20, 30, 3), dtype=np.uint8)
    path = tmp_pdf("scoped-image")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((20, 30))
        with page.clip((0, 0, 10, 30)), page.transform((0, 1, -1, 0, 20, 0)):
            page.image(pixels, 0, 0)
    with check_pdf(path) as checked:
        image = checked.render(0, dpi=72)
        assert np.array_equal(image[:, :10], np.rot90(pixels)[:, :10])
        assert (image[:, 10:] == 255).all()


def test_alpha_and_rgba_soft_mask(tmp_pdf):
    path = tmp_pdf("alpha-image")
    rgba = np.zeros((10, 10, 4), dtype=np.uint8)
    rgba[:, :5] = (0, 0, 255, 255)
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((40, 20))
        page.image(np.full((10, 10, 3), 100, dtype=np.uint8), 0, 0, 20, 20, alpha=0.5)
        page.image(rgba, 20, 0, 20, 20)
    with check_pdf(path) as checked:
        image = checked.render(0, dpi=72).astype(int)
        assert np.abs(image[10, 10] - 178).max() <= 2  # 100 at half opacity over white
        assert tuple(image[10, 25]) == (0, 0, 255)
        assert tuple(image[10, 35]) == (255, 255, 255)  # transparent half


def test_png_and_jpeg_files_through_the_page(tmp_pdf, tmp_path):
    pixels = RNG.integers(0, 256, (12, 18, 3), dtype=np.uint8)
    png = tmp_path / "in.png"
    Image.fromarray(pixels).save(png)
    buffer = io.BytesIO()
    Image.fromarray(np.full((12, 18, 3), 90, dtype=np.uint8)).save(buffer, "JPEG", quality=95)
    path = tmp_pdf("files")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((36, 12))
        page.image(png, 0, 0)
        page.image(buffer.getvalue(), 18, 0)
    with check_pdf(path) as checked:
        image = checked.render(0, dpi=72).astype(int)
        assert np.array_equal(image[:, :18], pixels)
        assert np.abs(image[:, 18:] - 90).max() <= 3
        filters = {str(x.get("/Filter")) for x in checked.pdf.pages[0].Resources.XObject.values()}
        assert "/DCTDecode" in filters


def test_colormap_through_the_page(tmp_pdf):
    values = np.array([[0.0, 1.0], [np.nan, 0.5]])
    with one_image(tmp_pdf, (4, 4), values, 0, 0, 4, 4, cmap="gray", bad=(1, 0, 0)) as checked:
        image = checked.render(0, dpi=36).astype(int)
        assert tuple(image[0, 0]) == (0, 0, 0) and tuple(image[0, 1]) == (255, 255, 255)
        assert tuple(image[1, 0]) == (255, 0, 0)
        assert abs(image[1, 1, 0] - 128) <= 1


def test_large_image_exact_pixels_through_the_page(tmp_pdf):
    height, width = 6000, 8000
    y = np.arange(height, dtype=np.uint32)[:, None]
    x = np.arange(width, dtype=np.uint32)[None, :]
    pixels = np.empty((height, width, 3), dtype=np.uint8)
    pixels[:, :, 0] = (x * 5 + y // 3) & 0xFF
    pixels[:, :, 1] = ((x // 8) ^ (y // 8)) * 29 & 0xFF
    pixels[:, :, 2] = (x * y >> 11) & 0xFF
    pixels[3000:3200, 4000:4300] = RNG.integers(0, 256, (200, 300, 3), dtype=np.uint8)
    with one_image(tmp_pdf, (width / 4, height / 4), pixels, 0, 0, width / 4, height / 4, name="large") as checked:
        assert np.array_equal(checked.render(0, dpi=288), pixels)


def test_bad_arguments_raise_clear_errors(tmp_pdf):
    with pdfwriter.Document(tmp_pdf("errors")) as doc:
        page = doc.add_page((10, 10))
        with pytest.raises(StyleError, match="alpha"):
            page.image(np.zeros((2, 2)), 0, 0, alpha=2)
        with pytest.raises(ImageError, match="origin"):
            page.image(np.zeros((2, 2)), 0, 0, origin="top")
        with pytest.raises(ImageError, match="width"):
            page.image(np.zeros((2, 2)), 0, 0, width=0)
        with pytest.raises(ImageError, match="cmap"):
            page.image(np.zeros((2, 2)), 0, 0, vmin=0)
        page.rect(0, 0, 5, 5, fill="black")
