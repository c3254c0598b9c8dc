"""Unusual image sources: premultiplied and colour-keyed PIL images, masked and extreme values, and inputs
that must be refused with ImageError (or another PdfWriterError), not an error from numpy or Pillow."""

from __future__ import annotations

import io

import numpy as np
import pytest
from harness import check_pdf
from PIL import Image

import pdfwriter
from pdfwriter.errors import ImageError, PdfWriterError


def _quadrants(tmp_pdf, name: str, data, **options) -> list[list[int]]:
    """Draw a 2 x 2 image over a 200 x 200 pt white page; the colour at the centre of each quadrant,
    top row first, as RGB lists."""
    path = tmp_pdf(name)
    with pdfwriter.Document(path) as doc:
        doc.add_page((200, 200)).image(data, 0, 0, 200, 200, **options)
    with check_pdf(path) as pdf:
        img = pdf.render(0)
    return [img[row, col, :3].astype(int).tolist() for row in (50, 150) for col in (50, 150)]


def _over_white(rgba: np.ndarray) -> list[list[int]]:
    """Straight-alpha RGBA pixels (2 x 2) composited over white, as _quadrants lists them."""
    rgba = rgba.astype(float)
    rgb = rgba[..., :3] * rgba[..., 3:] / 255 + 255 * (1 - rgba[..., 3:] / 255)
    return np.round(rgb).astype(int).reshape(4, 3).tolist()


@pytest.mark.parametrize("mode", ["RGBa", "La"])
def test_premultiplied_pil_images_keep_their_transparency(mode: str, tmp_pdf) -> None:
    """Pillow's premultiplied modes are divided out as Pillow converts them: a transparent pixel shows the
    page (it came out black, or "La" raised ValueError)."""
    if mode == "RGBa":
        pixels = np.array([[[255, 0, 0, 255], [0, 0, 0, 0]], [[0, 0, 128, 128], [255, 255, 0, 255]]], np.uint8)
    else:
        pixels = np.array([[[200, 255], [0, 0]], [[60, 128], [30, 255]]], np.uint8)
    image = Image.frombytes(mode, (2, 2), pixels.tobytes())
    straight = np.asarray(image.convert("RGBA" if mode == "RGBa" else "LA"))
    if mode == "La":
        straight = np.concatenate([straight[..., :1].repeat(3, axis=2), straight[..., 1:]], axis=2)
    got = _quadrants(tmp_pdf, f"premultiplied-{mode}", image)
    assert got[1] == [255, 255, 255]
    assert np.abs(np.array(got) - np.array(_over_white(straight))).max() <= 2


@pytest.mark.parametrize("mode, key", [("RGB", (255, 0, 0)), ("L", 0)])
def test_a_pil_colour_key_is_transparent(mode: str, key, tmp_pdf) -> None:
    """A colour key in info["transparency"] (Pillow's reading of a PNG's tRNS) lets the page show through,
    as it does when the same PNG is passed as bytes (it was drawn opaque)."""
    if mode == "RGB":
        image = Image.new("RGB", (2, 2), (255, 0, 0))
        image.putpixel((1, 1), (0, 0, 255))
    else:
        image = Image.new("L", (2, 2), 0)
        image.putpixel((1, 1), 90)
    image.info["transparency"] = key
    got = _quadrants(tmp_pdf, f"colour-key-{mode}", image)
    assert got[:3] == [[255, 255, 255]] * 3
    assert got[3] == ([0, 0, 255] if mode == "RGB" else [90, 90, 90])


@pytest.mark.parametrize("mode", ["P", "I", "CMYK", "L", "RGBa"])
def test_empty_pil_images_are_refused(mode: str) -> None:
    with pdfwriter.Document(io.BytesIO()) as doc:
        page = doc.add_page()
        with pytest.raises(ImageError, match=r"is empty \(0 x 5 pixels\)"):
            page.image(Image.new(mode, (0, 5)), 0, 0)


@pytest.mark.parametrize("dtype, extreme", [(np.float32, 2e38), (np.float64, 1.5e308)])
def test_colour_mapping_values_whose_range_overflows_their_type(dtype, extreme, tmp_pdf) -> None:
    """A data range wider than the largest float of its type is still scaled evenly (everything came out
    the first colour): -x, 0, x/2, x go to the start, middle, three quarters and end of viridis."""
    values = np.array([[-extreme, 0], [extreme / 2, extreme]], dtype=dtype)
    got = _quadrants(tmp_pdf, f"overflowing-range-{np.dtype(dtype).name}", values, cmap="viridis")
    assert got == [[68, 1, 84], [33, 145, 140], [94, 201, 98], [253, 231, 37]]


def test_masked_entries_take_the_bad_colour(tmp_pdf) -> None:
    """Masked values are bad, as NaN is (transparent by default, or the `bad` colour), whatever hides
    under the mask; the automatic range leaves them out."""
    values = np.ma.masked_array([[1e30, 1], [2, 3]], mask=[[1, 0], [0, 0]])
    assert _quadrants(tmp_pdf, "masked", values, cmap="viridis") == [
        [255, 255, 255], [68, 1, 84], [33, 145, 140], [253, 231, 37]]
    assert _quadrants(tmp_pdf, "masked-bad", values, cmap="viridis", bad="red")[0] == [255, 0, 0]


@pytest.mark.parametrize("option", ["x", "width", "alpha", "vmin", "transform"])
def test_integers_too_large_for_a_float_are_refused_clearly(option: str) -> None:
    """10**400 cannot become a float: a PdfWriterError naming the option (it was OverflowError)."""
    huge = 10**400
    options = {"cmap": "viridis"} if option == "vmin" else {}
    args = [np.zeros((2, 2)), 0, 0]
    if option == "x":
        args[1] = huge
    elif option == "transform":
        options["transform"] = (huge, 0, 0, 1, 0, 0)
    else:
        options[option] = huge
    with pdfwriter.Document(io.BytesIO()) as doc:
        page = doc.add_page()
        with pytest.raises(PdfWriterError):
            page.image(*args, **options)


def test_ragged_lists_and_non_numeric_colour_maps_are_refused() -> None:
    with pdfwriter.Document(io.BytesIO()) as doc:
        page = doc.add_page()
        with pytest.raises(ImageError, match="cannot read an image from this list"):
            page.image([[0.1, 0.2], [0.3]], 0, 0)
        with pytest.raises(ImageError, match="cannot read an image from this list"):
            page.image([[0.1, 0.2], [0.3]], 0, 0, cmap="viridis")
        with pytest.raises(ImageError, match="colours as numbers"):
            page.image(np.eye(2), 0, 0, cmap=lambda at: np.array([["red"] * 3] * len(at)))


def test_vmin_above_vmax_is_refused_with_the_way_to_reverse_a_map() -> None:
    """As matplotlib's normalisation refuses it (pdfwriter drew every value in the first colour)."""
    with pdfwriter.Document(io.BytesIO()) as doc:
        page = doc.add_page()
        with pytest.raises(ImageError, match=r"vmin \(5\) is above vmax \(1\).*'viridis_r'"):
            page.image(np.eye(3), 0, 0, cmap="viridis", vmin=5, vmax=1)
        with pytest.raises(ImageError, match="is above vmax"):
            page.image(np.eye(3), 0, 0, cmap="viridis", vmin=5)
        page.image(np.eye(3), 0, 0, cmap="viridis_r", vmin=0, vmax=1)
