"""PNG and JPEG files with bad data are refused with an ImageError, not embedded as corrupt streams.

PNGs are passed through (IDAT data copied into the PDF) when they are
non-interlaced without alpha; their data is still inflated to check it, so
the same bad bytes get the same message as in a PNG that is decoded
(gray with alpha here). JPEGs are checked for an EOI marker after the scan.
The malformed files are built here, small, chunk by chunk.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pikepdf
import pytest
from harness import assert_color, check_pdf, pixel
from test_images import idat_of
from PIL import Image

import pdfwriter
from pdfwriter.errors import ImageError
from pdfwriter.image import to_array
from pdfwriter.image import png as png_module

RNG = np.random.default_rng(20250301)
# Four palette colours: red, green, blue, yellow.
FOUR_COLOURS = bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0])
BLACK = (0, 0, 0)


# Helpers -------------------------------------------------------------------------------------


def chunk(kind: bytes, body: bytes) -> bytes:
    """One PNG chunk: length, type, body, CRC."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_file(width, height, depth, color_type, idat, *, interlace=0, plte=None, trns=None) -> bytes:
    """A PNG file of the given header, chunks and IDAT data (already compressed, or not zlib at all)."""
    header = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, interlace)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
    if plte is not None:
        data += chunk(b"PLTE", plte)
    if trns is not None:
        data += chunk(b"tRNS", trns)
    return data + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def draw(tmp_pdf, data, size=(40, 40), name="image"):
    """Write one image filling a page of `size`; return check_pdf's result."""
    path = tmp_pdf(name)
    with pdfwriter.Document(path) as doc:
        doc.add_page(size).image(data, 0, 0, *size)
    return check_pdf(path)


def only_image(checked):
    """The page's one image XObject."""
    (xobj,) = checked.pdf.pages[0].Resources.XObject.values()
    return xobj


def jpeg_bytes(pixels: np.ndarray, **options) -> bytes:
    """A JPEG file written by Pillow."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", **options)
    return buffer.getvalue()


# 2 x 2 gray rows (filter byte, two samples): passed through as they are, or with alpha decoded.
GRAY_ROWS = bytes([0, 10, 200, 0, 90, 250])
GRAY_ALPHA_ROWS = bytes([0, 10, 255, 200, 255, 0, 90, 255, 250, 255])


def bad_rows(rows: bytes, case: str) -> bytes:
    """The IDAT data of `rows` spoiled as `case` says."""
    compressed = zlib.compress(rows)
    spoiled = {
        "not zlib": b"not zlib at all",
        "too little": zlib.compress(rows[: len(rows) // 2]),
        "too much": zlib.compress(rows + bytes(len(rows) // 2)),
        "filter type 9": zlib.compress(bytes([9]) + rows[1:]),
        "truncated stream": compressed[:-4],
        "bytes after the stream": compressed + b"junk",
    }
    return spoiled[case]


BAD_ROWS_MESSAGES = {
    "not zlib": "corrupt image data: .*incorrect header check",
    "too little": r"too little image data \(\d+ bytes where \d+ are needed\)",
    "filter type 9": "unknown PNG row filter type 9",
    "truncated stream": "corrupt image data: its compressed stream is incomplete or truncated",
}


# PNG data passed through is checked -----------------------------------------------------------


@pytest.mark.parametrize("case", list(BAD_ROWS_MESSAGES))
@pytest.mark.parametrize("kind", ["passed through", "decoded"])
def test_bad_png_data_is_refused_alike_passed_through_or_decoded(tmp_pdf, kind, case):
    if kind == "passed through":
        data = png_file(2, 2, 8, 0, bad_rows(GRAY_ROWS, case))
        assert to_array(png_file(2, 2, 8, 0, zlib.compress(GRAY_ROWS))).encoded is not None
    else:
        data = png_file(2, 2, 8, 4, bad_rows(GRAY_ALPHA_ROWS, case))
    path = tmp_pdf("bad")
    with pytest.raises(ImageError, match=BAD_ROWS_MESSAGES[case]):
        with pdfwriter.Document(path) as doc:
            doc.add_page((40, 40)).image(data, 0, 0, 40, 40)
    assert not path.exists()


@pytest.mark.parametrize("piece", [1, 7, 64])
@pytest.mark.parametrize("bad_row", [0, 1, 37, 99])
def test_a_bad_row_filter_type_is_found_in_any_piece_of_passed_through_data(monkeypatch, piece, bad_row):
    """The check inflates a few compressed bytes at a time; a row's filter type may start any piece."""
    monkeypatch.setattr(png_module, "_CHECK_PIECE", piece)
    rows = np.zeros((100, 1 + 3 * 5), dtype=np.uint8)
    rows[:, 0] = RNG.integers(0, 5, 100)
    rows[:, 1:] = RNG.integers(0, 256, (100, 15))
    assert to_array(png_file(5, 100, 8, 2, zlib.compress(rows.tobytes()))).encoded is not None
    rows[bad_row, 0] = 5
    with pytest.raises(ImageError, match="unknown PNG row filter type 5"):
        to_array(png_file(5, 100, 8, 2, zlib.compress(rows.tobytes())))


@pytest.mark.parametrize("case", ["too much", "bytes after the stream"])
@pytest.mark.parametrize("kind", ["passed through", "decoded"])
def test_data_after_the_rows_is_let_be_as_libpng_lets_it_be(tmp_pdf, kind, case):
    """Rows past the image's height and bytes after the zlib stream do not spoil the picture; the file is
    embedded (passed through, a PDF reader stops at the rows) and shows its pixels."""
    if kind == "passed through":
        data = png_file(2, 2, 8, 0, bad_rows(GRAY_ROWS, case))
    else:
        data = png_file(2, 2, 8, 4, bad_rows(GRAY_ALPHA_ROWS, case))
    path = tmp_pdf(f"extra-{case}")
    with pdfwriter.Document(path) as doc:
        doc.add_page((40, 40)).image(data, 0, 0, 40, 40)
    with check_pdf(path) as pdf:
        img = pdf.render(0)
    assert pixel(img, 10, 30)[:3] == (10, 10, 10) and pixel(img, 30, 10)[:3] == (250, 250, 250)


@pytest.mark.parametrize("piece", [1, 7, 64, 1 << 16])
def test_rows_far_beyond_the_image_are_refused_in_any_piece(monkeypatch, piece):
    """Data after the rows is let be up to twice the rows (a zip bomb is not inflated to its end)."""
    monkeypatch.setattr(png_module, "_CHECK_PIECE", piece)
    rows = bytes(100 * (1 + 3 * 5))
    assert to_array(png_file(5, 100, 8, 2, zlib.compress(rows) + bytes(300))).encoded is not None
    assert to_array(png_file(5, 100, 8, 2, zlib.compress(rows * 2))).encoded is not None
    with pytest.raises(ImageError, match="too much image data"):
        to_array(png_file(5, 100, 8, 2, zlib.compress(rows * 3)))


@pytest.mark.parametrize("interlace", [0, 1])
def test_png_sizes_beyond_png_limits_or_the_data_are_refused(interlace):
    data = zlib.compress(bytes(10))
    with pytest.raises(ImageError, match=r"invalid size \(4294967295 x 1 pixels; PNG allows up to 2147483647"):
        to_array(png_file(0xFFFFFFFF, 1, 8, 0, data, interlace=interlace))
    # The largest size PNG allows: the inflated data could not be long enough, so none is inflated or allocated.
    for color_type in (0, 6):
        with pytest.raises(ImageError, match=r"too little image data \(\d+ compressed bytes cannot hold"):
            to_array(png_file(0x7FFFFFFF, 0x7FFFFFFF, 8, color_type, data, interlace=interlace))
    with pytest.raises(ImageError, match=r"too little image data \(\d+ compressed bytes cannot hold"):
        to_array(png_file(20000, 20000, 8, 2, data, interlace=interlace))


def test_an_interlaced_png_of_a_huge_size_is_refused_before_its_image_is_allocated():
    """The full image of an interlaced PNG was allocated before its data was measured (numpy's ValueError)."""
    with pytest.raises(ImageError, match="too little image data"):
        to_array(png_file(0x7FFFFFFF, 0x7FFFFFFF, 8, 6, zlib.compress(bytes(100)), interlace=1))
    # Data deflate could inflate to the size needed, but which falls short: measured once inflated.
    short = zlib.compress(RNG.integers(0, 256, 100_000, dtype=np.uint8).tobytes())
    with pytest.raises(ImageError, match=r"too little image data \(100000 bytes where 360\d{3} are needed\)"):
        to_array(png_file(300, 300, 8, 6, short, interlace=1))


def test_a_valid_large_png_is_passed_through_and_renders_its_colours(tmp_pdf):
    """A 900 x 600 photo-like RGB PNG (400 KB of IDAT, several pieces of the check): its IDAT is embedded
    unchanged with PNG predictors, and pdfium draws its colours."""
    height, width = 600, 900
    y, x = np.mgrid[0:height, 0:width]
    pixels = np.stack([x * 255 // width, y * 255 // height, np.full_like(x, 60)], axis=2)
    pixels = np.clip(pixels + RNG.integers(-4, 5, pixels.shape), 0, 255).astype(np.uint8)
    pixels[:300, :450] = (200, 30, 40)  # flat quadrants to read the colours back
    pixels[300:, 450:] = (20, 180, 220)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    data = buffer.getvalue()
    assert len(idat_of(data)) > 4 * 65536 and data.count(b"IDAT") > 1  # several of the check's 64 KiB pieces
    with draw(tmp_pdf, data, size=(width, height)) as checked:
        xobj = only_image(checked)
        assert xobj.Filter == "/FlateDecode" and xobj.ColorSpace == "/DeviceRGB"
        parms = xobj.DecodeParms
        assert (parms.Predictor, parms.Colors, parms.BitsPerComponent, parms.Columns) == (15, 3, 8, width)
        assert xobj.read_raw_bytes() == idat_of(data)
        image = checked.render(0)
        assert_color(pixel(image, 100, 500), (200, 30, 40))  # the upper left quadrant
        assert_color(pixel(image, 800, 100), (20, 180, 220))  # the lower right
        assert_color(pixel(image, 800.5, 500.5), pixels[99, 800], tol=3)
        assert np.abs(image.astype(int) - pixels).max() <= 3


# Palettes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("trns", [None, b"\x00"])
@pytest.mark.parametrize("colours", [257, 300])
def test_palettes_of_more_than_256_colours_are_refused(colours, trns):
    plte = (FOUR_COLOURS * 100)[: 3 * colours]
    data = png_file(2, 2, 8, 3, zlib.compress(bytes([0, 0, 1, 0, 2, 3])), plte=plte, trns=trns)
    with pytest.raises(ImageError, match=rf"malformed PLTE chunk \({3 * colours} bytes, where PNG allows 1 to 256"):
        to_array(data)


@pytest.mark.parametrize("trns", [None, b"\x00"])
@pytest.mark.parametrize("plte", [b"", FOUR_COLOURS[:4], FOUR_COLOURS + b"\x80"])
def test_empty_or_ragged_palettes_are_refused(plte, trns):
    data = png_file(2, 2, 8, 3, zlib.compress(bytes([0, 0, 1, 0, 2, 3])), plte=plte, trns=trns)
    with pytest.raises(ImageError, match=rf"malformed PLTE chunk \({len(plte)} bytes"):
        to_array(data)
    with pytest.raises(ImageError, match="palette PNG without a PLTE chunk"):
        to_array(png_file(2, 2, 8, 3, zlib.compress(bytes([0, 0, 1, 0, 2, 3])), trns=trns))


def test_a_palette_longer_than_the_bit_depth_indexes_is_cut_to_it(tmp_pdf):
    """As libpng reads it (Pillow keeps the colours, which no index reaches): a 2-bit image of 8 colours."""
    rows = bytes([0, 0b00_01_0000, 0, 0b10_11_0000])
    data = png_file(2, 2, 2, 3, zlib.compress(rows), plte=FOUR_COLOURS + bytes(range(12)))
    with draw(tmp_pdf, data) as checked:
        space = only_image(checked).ColorSpace
        assert space[0] == "/Indexed" and space[2] == 3 and bytes(space[3]) == FOUR_COLOURS
        image = checked.render(0)
        colours = np.frombuffer(FOUR_COLOURS, np.uint8).reshape(4, 3)
        for (x, y), colour in zip([(10, 30), (30, 30), (10, 10), (30, 10)], colours):
            assert_color(pixel(image, x, y), colour)


@pytest.mark.parametrize("trns", [None, b"\xff\xff\xff\x80"], ids=["passed through", "decoded"])
def test_indices_past_the_palette_are_black_in_every_viewer(tmp_pdf, trns):
    """libpng and Pillow draw them black. Passed through, the palette is padded with black to 2**depth
    colours: PDF viewers differ past its end (pdfium draws black; Ghostscript, MuPDF and Poppler the last colour)."""
    data = png_file(2, 2, 8, 3, zlib.compress(bytes([0, 0, 7, 0, 200, 3])), plte=FOUR_COLOURS, trns=trns)
    with draw(tmp_pdf, data) as checked:
        xobj = only_image(checked)
        space = xobj.ColorSpace
        lookup = bytes(space[3].read_bytes() if isinstance(space[3], pikepdf.Stream) else space[3])
        if trns is None:
            assert xobj.read_raw_bytes() == zlib.compress(bytes([0, 0, 7, 0, 200, 3]))
            assert space[2] == 255 and lookup[:12] == FOUR_COLOURS and lookup[12:] == bytes(3 * 252)
        table = np.frombuffer(lookup, np.uint8).reshape(-1, 3)
        assert all(index >= len(table) or tuple(table[index]) == BLACK for index in (7, 200))
        image = checked.render(0)
        assert_color(pixel(image, 10, 30), (255, 0, 0))
        assert_color(pixel(image, 30, 30), BLACK)
        assert_color(pixel(image, 10, 10), BLACK)
        assert_color(pixel(image, 30, 10), (255, 255, 0) if trns is None else (255, 255, 127), tol=3)


# JPEG -------------------------------------------------------------------------------------------


def _quadrants() -> np.ndarray:
    """A 128 x 128 picture of red, green, blue and yellow quadrants."""
    colours = np.array([[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [255, 255, 0]]], np.uint8)
    return colours.repeat(64, axis=0).repeat(64, axis=1)


@pytest.mark.parametrize("progressive", [False, True])
def test_a_jpeg_cut_off_in_its_image_data_is_refused(tmp_pdf, progressive):
    data = jpeg_bytes(_quadrants(), quality=95, progressive=progressive)
    scan = data.find(b"\xff\xda")
    for end in (scan + 20, scan + (len(data) - scan) // 3, len(data) - 2, len(data) - 1):
        path = tmp_pdf("cut")
        with pytest.raises(ImageError, match=r"truncated JPEG file \(no EOI marker after its image data\)"):
            with pdfwriter.Document(path) as doc:
                doc.add_page((128, 128)).image(data[:end], 0, 0)
        assert not path.exists()


def test_a_jpeg_whose_eoi_comes_before_any_scan_is_refused():
    data = jpeg_bytes(_quadrants())
    scan = data.find(b"\xff\xda")
    with pytest.raises(ImageError, match=r"no image data \(its EOI marker comes before any scan\)"):
        to_array(data[:scan] + b"\xff\xd9")


def test_a_jpeg_with_bytes_after_its_eoi_and_an_eoi_in_its_thumbnail_is_embedded_unchanged(tmp_pdf):
    """Cameras and editors append data after the EOI; an EXIF thumbnail (in APP1) has an EOI of its own
    before the main scan, which does not count as the main image's."""
    thumbnail = jpeg_bytes(_quadrants()[::16, ::16])
    main = jpeg_bytes(_quadrants(), quality=95)
    app1 = b"Exif\x00\x00" + thumbnail
    data = main[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + main[2:] + b"\x00trailer\xff\xd8"
    with draw(tmp_pdf, data, size=(128, 128)) as checked:
        xobj = only_image(checked)
        assert xobj.Filter == "/DCTDecode" and xobj.read_raw_bytes() == data
        image = checked.render(0)
        for (x, y), colour in zip([(32, 96), (96, 96), (32, 32), (96, 32)], _quadrants()[::64, ::64].reshape(-1, 3)):
            assert_color(pixel(image, x, y), colour, tol=8)
    cut = data[: data.find(b"\xff\xda", 4 + len(app1)) + 100]
    with pytest.raises(ImageError, match="truncated JPEG file"):
        to_array(cut)
