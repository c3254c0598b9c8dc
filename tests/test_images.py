"""Images: sources, PNG/JPEG pass-through and decoding, lossless encoding, placement, colour maps.

Pixels are checked two ways: decoded from the PDF's image streams (qpdf
undoes Flate and the PNG predictors; palettes and bit packing are read here)
and rendered by pdfium on a page sized so one pixel is one point at 72 dpi.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pikepdf
import pytest
from harness import check_pdf
from PIL import Image, ImageCms

import pdfwriter
from pdfwriter.errors import ImageError, PdfWriterError
from pdfwriter.graphics.gstate import GraphicsContext
from pdfwriter.image import COLORMAPS, apply_colormap, draw_image, to_array
from pdfwriter.image.encode import encode_image
from pdfwriter.pdf.deflate import adler32_combine, deflate_many
from pdfwriter.image.png import read_png

RNG = np.random.default_rng(20240501)


# Helpers -------------------------------------------------------------------------------


def draw_pdf(tmp_pdf, data, size=None, name="image", doc_options=None, **options):
    """Write one image filling a page of `size` (default: one point per pixel); return check_pdf's result."""
    path = tmp_pdf(name)
    with pdfwriter.Document(path, **(doc_options or {})) as doc:
        if size is None:
            image = to_array(data) if options.get("cmap") is None else apply_colormap(data, options["cmap"])
            size = (image.width, image.height)
        page = doc.add_page(size)
        draw_image(page.renderer, GraphicsContext(scope=()), data, 0, 0, size[0], size[1], **options)
    return check_pdf(path)


def xobjects(checked, page=0):
    """The image XObjects a page's resources name, in name order."""
    named = checked.pdf.pages[page].Resources.XObject
    return [named[key] for key in sorted(named.keys())]


def components(space) -> int:
    """Colour components of a PDF colour space object (an Indexed space has one: the index)."""
    if isinstance(space, pikepdf.Name):
        return {"/DeviceGray": 1, "/DeviceRGB": 3, "/DeviceCMYK": 4}[str(space)]
    if space[0] == "/ICCBased":
        return int(space[1].N)
    assert space[0] == "/Indexed"
    return 1


def decoded(xobj) -> np.ndarray:
    """An image XObject's samples as (H, W, C): bits unpacked, 16-bit as uint16, Indexed looked up."""
    width, height, bits = int(xobj.Width), int(xobj.Height), int(xobj.BitsPerComponent)
    space = xobj.get("/ColorSpace", pikepdf.Name("/DeviceGray"))
    count = components(space)
    row_bytes = (width * count * bits + 7) // 8
    rows = np.frombuffer(xobj.read_bytes(), dtype=np.uint8)[: height * row_bytes].reshape(height, row_bytes)
    if bits == 16:
        values = rows.view(">u2").astype(np.uint16)
    elif bits == 8:
        values = rows
    else:
        bits_array = np.unpackbits(rows, axis=1).reshape(height, -1, bits)
        weights = 1 << np.arange(bits - 1, -1, -1)
        values = (bits_array * weights).sum(axis=2).astype(np.uint8)
    values = values[:, : width * count].reshape(height, width, count)
    if not isinstance(space, pikepdf.Name) and space[0] == "/Indexed":
        lookup = space[3]
        table = bytes(lookup.read_bytes() if isinstance(lookup, pikepdf.Stream) else lookup)
        base = components(space[1])
        palette = np.frombuffer(table, dtype=np.uint8).reshape(-1, base)
        values = palette[values[:, :, 0]]
    return values


def render_exact(checked) -> np.ndarray:
    """The page rendered at 72 dpi (one pixel per point)."""
    return checked.render(0, dpi=72)


def png_bytes(image: Image.Image, **options) -> bytes:
    """A PNG file written by Pillow."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **options)
    return buffer.getvalue()


def jpeg_bytes(image: Image.Image, **options) -> bytes:
    """A JPEG file written by Pillow."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def idat_of(png: bytes) -> bytes:
    """The concatenated IDAT chunk data of a PNG file."""
    at, parts = 8, []
    while at < len(png):
        length, kind = struct.unpack_from(">I4s", png, at)
        if kind == b"IDAT":
            parts.append(png[at + 8 : at + 8 + length])
        at += 12 + length
    return b"".join(parts)


# A PNG writer for the tests: chosen filters per row, any bit depth, Adam7 -------------------


def _chunk(kind: bytes, body: bytes) -> bytes:
    """One PNG chunk: length, type, body, CRC."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _filter_rows(raw: np.ndarray, filters: np.ndarray, bpp: int) -> bytes:
    """Apply PNG filters (encoder side) to (H, row bytes) uint8 rows."""
    height, width = raw.shape
    x = raw.astype(np.int16)
    up = np.vstack([np.zeros((1, width), np.int16), x[:-1]])
    left = np.hstack([np.zeros((height, bpp), np.int16), x[:, :-bpp]])
    upleft = np.hstack([np.zeros((height, bpp), np.int16), up[:, :-bpp]])
    p = left + up - upleft
    pa, pb, pc = np.abs(p - left), np.abs(p - up), np.abs(p - upleft)
    paeth = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, up, upleft))
    predictions = [np.zeros_like(x), left, up, (left + up) // 2, paeth]
    out = np.empty((height, width + 1), np.uint8)
    out[:, 0] = filters
    for kind in range(5):
        chosen = filters == kind
        out[chosen, 1:] = ((x - predictions[kind]) % 256)[chosen]
    return out.tobytes()


def _pack_samples(samples: np.ndarray, depth: int) -> tuple[np.ndarray, int]:
    """(H, W, C) samples as (H, row bytes) PNG rows, and bytes per pixel for filtering."""
    height, width, channels = samples.shape
    if depth == 16:
        rows = samples.astype(">u2").view(np.uint8).reshape(height, -1)
    elif depth == 8:
        rows = samples.astype(np.uint8).reshape(height, -1)
    else:
        flat = samples.reshape(height, -1).astype(np.uint8)
        per = 8 // depth
        padded = np.zeros((height, -(-flat.shape[1] // per) * per), np.uint8)
        padded[:, : flat.shape[1]] = flat
        groups = padded.reshape(height, -1, per)
        rows = sum(groups[:, :, k] << (8 - depth * (k + 1)) for k in range(per)).astype(np.uint8)
    return rows, max(1, channels * depth // 8)


ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def make_png(samples, color_type, depth, *, filters=None, interlace=False, palette=None, trns=None, rng=RNG):
    """A PNG file of (H, W, C) samples, each row filtered as `filters` says (random types by default)."""
    height, width, _ = samples.shape
    header = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, int(interlace))
    passes = [(samples, filters)] if not interlace else [
        (samples[y0::dy, x0::dx], None) for x0, y0, dx, dy in ADAM7 if samples[y0::dy, x0::dx].size
    ]
    data = b""
    for sub, chosen in passes:
        rows, bpp = _pack_samples(sub, depth)
        kinds = rng.integers(0, 5, len(rows)) if chosen is None else np.asarray(chosen)
        data += _filter_rows(rows, kinds, bpp)
    body = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
    if palette is not None:
        body += _chunk(b"PLTE", palette.astype(np.uint8).tobytes())
    if trns is not None:
        body += _chunk(b"tRNS", trns)
    return body + _chunk(b"IDAT", zlib.compress(data)) + _chunk(b"IEND", b"")


# Arrays: pixel-exact round trips -----------------------------------------------------------


def test_rgb_round_trip_through_pikepdf_and_pdfium(tmp_pdf):
    pixels = RNG.integers(0, 256, (23, 37, 3), dtype=np.uint8)
    with draw_pdf(tmp_pdf, pixels) as checked:
        (xobj,) = xobjects(checked)
        assert xobj.ColorSpace == "/DeviceRGB" and xobj.BitsPerComponent == 8
        assert "/SMask" not in xobj
        assert np.array_equal(decoded(xobj), pixels)
        assert np.array_equal(np.asarray(pikepdf.PdfImage(xobj).as_pil_image()), pixels)
        assert np.array_equal(render_exact(checked), pixels)


def test_rgba_alpha_goes_to_an_smask(tmp_pdf):
    pixels = RNG.integers(0, 256, (19, 29, 4), dtype=np.uint8)
    with draw_pdf(tmp_pdf, pixels) as checked:
        (xobj,) = xobjects(checked)
        assert np.array_equal(decoded(xobj), pixels[:, :, :3])
        assert xobj.SMask.BitsPerComponent == 8 and xobj.SMask.ColorSpace == "/DeviceGray"
        assert np.array_equal(decoded(xobj.SMask)[:, :, 0], pixels[:, :, 3])


def test_opaque_alpha_is_dropped_and_binary_alpha_is_one_bit(tmp_pdf):
    pixels = RNG.integers(0, 256, (13, 21, 4), dtype=np.uint8)
    pixels[:, :, 3] = 255
    with draw_pdf(tmp_pdf, pixels) as checked:
        (xobj,) = xobjects(checked)
        assert "/SMask" not in xobj
        assert np.array_equal(render_exact(checked), pixels[:, :, :3])
    pixels[::2, ::3, 3] = 0
    with draw_pdf(tmp_pdf, pixels) as checked:
        mask = xobjects(checked)[0].SMask
        assert mask.BitsPerComponent == 1
        assert np.array_equal(decoded(mask)[:, :, 0] * 255, pixels[:, :, 3])


def test_gray_and_gray_alpha(tmp_pdf):
    gray = RNG.integers(0, 256, (17, 33), dtype=np.uint8)
    with draw_pdf(tmp_pdf, gray) as checked:
        (xobj,) = xobjects(checked)
        assert xobj.ColorSpace == "/DeviceGray"
        assert np.array_equal(decoded(xobj)[:, :, 0], gray)
        assert np.array_equal(render_exact(checked), np.repeat(gray[:, :, None], 3, axis=2))
    gray_alpha = RNG.integers(0, 256, (17, 33, 2), dtype=np.uint8)
    with draw_pdf(tmp_pdf, gray_alpha) as checked:
        (xobj,) = xobjects(checked)
        assert np.array_equal(decoded(xobj)[:, :, 0], gray_alpha[:, :, 0])
        assert np.array_equal(decoded(xobj.SMask)[:, :, 0], gray_alpha[:, :, 1])


def test_sixteen_bit_is_kept(tmp_pdf):
    for shape in [(11, 15), (11, 15, 3), (11, 15, 4)]:
        pixels = RNG.integers(0, 65536, shape, dtype=np.uint16)
        with draw_pdf(tmp_pdf, pixels, doc_options={"xref_stream": False}) as checked:
            (xobj,) = xobjects(checked)
            assert xobj.BitsPerComponent == 16
            colors = pixels if pixels.ndim == 3 else pixels[:, :, None]
            assert np.array_equal(decoded(xobj), colors[:, :, :3])
            if pixels.ndim == 3 and pixels.shape[2] == 4:
                assert xobj.SMask.BitsPerComponent == 16
                assert np.array_equal(decoded(xobj.SMask)[:, :, 0], pixels[:, :, 3])
            # 16-bit samples need PDF 1.5: a classic-xref file (header 1.4) says so in its catalog.
            assert checked.pdf.Root.Version == "/1.5"


def test_sixteen_bit_renders_like_its_high_bytes(tmp_pdf):
    pixels = (RNG.integers(0, 256, (9, 14, 3)) * 257).astype(np.uint16)
    with draw_pdf(tmp_pdf, pixels) as checked:
        assert np.array_equal(render_exact(checked), (pixels >> 8).astype(np.uint8))


def test_bool_array_is_one_bit_gray(tmp_pdf):
    bits = RNG.random((10, 19)) > 0.5
    with draw_pdf(tmp_pdf, bits) as checked:
        (xobj,) = xobjects(checked)
        assert xobj.BitsPerComponent == 1 and xobj.ColorSpace == "/DeviceGray"
        assert np.array_equal(decoded(xobj)[:, :, 0].astype(bool), bits)
        assert np.array_equal(render_exact(checked)[:, :, 0], bits * np.uint8(255))


def test_float_images_round_to_uint8(tmp_pdf):
    levels = RNG.integers(0, 256, (8, 12, 3))
    floats = levels / 255.0
    floats[0, 0, 0] = 1.0 + 1e-7
    floats[0, 1, 0] = -1e-7
    levels[0, 0, 0], levels[0, 1, 0] = 255, 0
    image = to_array(floats.astype(np.float32))
    assert np.array_equal(image.pixels, levels)
    assert np.array_equal(to_array(np.float16(0.5) * np.ones((2, 2))).pixels[:, :, 0], np.full((2, 2), 128))
    with draw_pdf(tmp_pdf, floats) as checked:
        assert np.array_equal(render_exact(checked), levels)


def test_views_with_strides_and_array_likes(tmp_pdf):
    base = RNG.integers(0, 256, (40, 60, 4), dtype=np.uint8)
    bgr = base[::-2, 1::3, 2::-1]
    assert not bgr.flags.c_contiguous
    with draw_pdf(tmp_pdf, bgr) as checked:
        assert np.array_equal(render_exact(checked), bgr)

    class Wrapped:
        def __array__(self, dtype=None, copy=None):
            return base[:, :, :3]

    assert np.array_equal(to_array(Wrapped()).pixels, base[:, :, :3])
    assert np.array_equal(to_array(base[:, :, 0].tolist()).pixels[:, :, 0], base[:, :, 0])


def test_integer_arrays_in_byte_range(tmp_pdf):
    pixels = RNG.integers(0, 256, (6, 7, 3))
    assert pixels.dtype == np.int64
    assert np.array_equal(to_array(pixels).pixels, pixels)
    with pytest.raises(ImageError, match="0..255"):
        to_array(pixels * 2)


# Choosing the smallest form ------------------------------------------------------------------


@pytest.mark.parametrize(("count", "bits"), [(2, 1), (3, 2), (4, 2), (10, 4), (16, 4), (17, 8), (200, 8), (256, 8)])
def test_few_colours_become_indexed(tmp_pdf, count, bits):
    palette = RNG.integers(0, 256, (count, 3), dtype=np.uint8)
    palette[:, 0] = np.arange(count)  # all distinct, none gray
    palette[:, 1] = 255 - palette[:, 0]
    indices = RNG.integers(0, count, (21, 37))
    indices.flat[:count] = np.arange(count)
    pixels = palette[indices]
    with draw_pdf(tmp_pdf, pixels) as checked:
        (xobj,) = xobjects(checked)
        space = xobj.ColorSpace
        assert space[0] == "/Indexed" and space[1] == "/DeviceRGB" and int(space[2]) == count - 1
        assert xobj.BitsPerComponent == bits
        assert np.array_equal(decoded(xobj), pixels)
        assert np.array_equal(np.asarray(pikepdf.PdfImage(xobj).as_pil_image().convert("RGB")), pixels)
        assert np.array_equal(render_exact(checked), pixels)


class _NumpyBefore123(np.ndarray):
    """An array whose view() refuses, as numpy before 1.23 does, other-sized dtypes of a non-contiguous array."""

    def view(self, *args, **kwargs):
        if not self.flags.c_contiguous:
            raise ValueError("To change to a dtype of a different size, the array must be C-contiguous")
        return super().view(*args, **kwargs)


@pytest.mark.parametrize("numpy_before_123", [False, True], ids=["in-place", "copied"])
def test_rgba_rows_of_any_stride_are_read_one_word_a_pixel(numpy_before_123):
    """Flipped and cropped RGBA rows (matplotlib's buffers, crops of canvases) are read as one 32-bit word a
    pixel; where numpy refuses such a view of a non-contiguous array, from a copy."""
    from pdfwriter.image.arrays import view_as

    rgba = RNG.integers(0, 256, (9, 7, 4), dtype=np.uint8)
    for piece in (rgba[::-1], rgba[2:8, 1:6]):
        if numpy_before_123:
            piece = piece.view(_NumpyBefore123)
            with pytest.raises(ValueError):
                piece.view(np.uint32)
        words = view_as(piece, np.uint32)
        assert words.shape == (*piece.shape[:2], 1)
        assert np.array_equal(np.ascontiguousarray(words).view(np.uint8).reshape(piece.shape), piece)


@pytest.mark.parametrize("shape", [(30, 40), (600, 700)], ids=["sorted", "tabled"])
def test_rgba_buffers_read_in_place_give_the_palette_of_their_rgb(tmp_pdf, shape):
    """A flipped RGBA uint8 view (as matplotlib hands images over) of few colours: Indexed, pixel-exact.

    It gets the same palette and indices as its RGB copy would, with an
    SMask only when some pixel is not opaque.
    """
    from pdfwriter.image.palette import few_colors, few_colors_rgba

    palette = np.stack([np.arange(200), 255 - np.arange(200), (np.arange(200) * 7) % 256], axis=1).astype(np.uint8)
    indices = RNG.integers(0, 200, shape)
    indices.flat[:200] = np.arange(200)
    rgba = np.empty((*shape, 4), dtype=np.uint8)
    rgba[:, :, :3] = palette[indices]
    rgba[:, :, 3] = 255
    view = rgba[::-1]
    ours, theirs = few_colors_rgba(view), few_colors(np.ascontiguousarray(view[:, :, :3]), 256)
    assert np.array_equal(ours[0], theirs[0]) and np.array_equal(ours[1], theirs[1])
    assert np.array_equal(ours[1][ours[0]], view[:, :, :3])
    with draw_pdf(tmp_pdf, view) as checked:
        (xobj,) = xobjects(checked)
        assert xobj.ColorSpace[0] == "/Indexed" and int(xobj.ColorSpace[2]) == 199
        assert "/SMask" not in xobj
        assert np.array_equal(decoded(xobj), view[:, :, :3])
    rgba[: shape[0] // 2, :, 3] = np.arange(shape[1]) % 256  # translucent rows: the bottom half of the view
    with draw_pdf(tmp_pdf, view, name="alpha") as checked:
        (xobj,) = xobjects(checked)
        assert xobj.ColorSpace[0] == "/Indexed"
        assert np.array_equal(decoded(xobj), view[:, :, :3])
        assert np.array_equal(decoded(xobj.SMask)[:, :, 0], view[:, :, 3])


@pytest.mark.parametrize(("count", "space"), [(256, "/Indexed"), (257, "/DeviceRGB")])
def test_rgba_buffers_at_the_palette_limit(tmp_pdf, count, space):
    """256 colours fit a palette; the 257th keeps the image RGB (both read in place from a large RGBA view)."""
    colors = np.stack([np.arange(count) % 256, np.arange(count) // 256 * 40 + 3, np.full(count, 9)], axis=1)
    indices = RNG.integers(0, count, (700, 500))
    indices.flat[:count] = np.arange(count)
    rgba = np.empty((700, 500, 4), dtype=np.uint8)
    rgba[:, :, :3] = colors.astype(np.uint8)[indices]
    rgba[:, :, 3] = 255
    with draw_pdf(tmp_pdf, rgba[::-1], name=f"limit{count}") as checked:
        (xobj,) = xobjects(checked)
        kind = xobj.ColorSpace if isinstance(xobj.ColorSpace, pikepdf.Name) else xobj.ColorSpace[0]
        assert kind == space
        assert np.array_equal(decoded(xobj), rgba[::-1, :, :3])


def test_rgba_buffers_of_gray_or_many_colours_keep_their_form(tmp_pdf):
    gray = RNG.integers(0, 256, (300, 400), dtype=np.uint8)
    rgba = np.stack([gray, gray, gray, np.full_like(gray, 255)], axis=2)[::-1]
    with draw_pdf(tmp_pdf, rgba) as checked:
        (xobj,) = xobjects(checked)
        assert xobj.ColorSpace == "/DeviceGray" and np.array_equal(decoded(xobj)[:, :, 0], gray[::-1])
    noise = RNG.integers(0, 256, (300, 400, 4), dtype=np.uint8)
    with draw_pdf(tmp_pdf, noise[::-1], name="noise") as checked:
        (xobj,) = xobjects(checked)
        assert xobj.ColorSpace == "/DeviceRGB"
        assert np.array_equal(decoded(xobj), noise[::-1, :, :3])
        assert np.array_equal(decoded(xobj.SMask)[:, :, 0], noise[::-1, :, 3])


def test_many_colours_stay_rgb(tmp_pdf):
    pixels = np.zeros((20, 20, 3), dtype=np.uint8)
    pixels[:, :, 0] = np.arange(400).reshape(20, 20) % 256
    pixels[:, :, 1] = np.arange(400).reshape(20, 20) // 256
    with draw_pdf(tmp_pdf, pixels) as checked:
        assert xobjects(checked)[0].ColorSpace == "/DeviceRGB"


def test_gray_detection_and_few_gray_levels(tmp_pdf):
    gray = RNG.integers(0, 256, (15, 25), dtype=np.uint8)
    with draw_pdf(tmp_pdf, np.repeat(gray[:, :, None], 3, axis=2)) as checked:
        (xobj,) = xobjects(checked)
        assert xobj.ColorSpace == "/DeviceGray" and xobj.BitsPerComponent == 8
        assert np.array_equal(decoded(xobj)[:, :, 0], gray)
    levels = np.array([0, 40, 90, 255], dtype=np.uint8)[RNG.integers(0, 4, (15, 25))]
    with draw_pdf(tmp_pdf, np.repeat(levels[:, :, None], 3, axis=2)) as checked:
        (xobj,) = xobjects(checked)
        assert xobj.ColorSpace[0] == "/Indexed" and xobj.ColorSpace[1] == "/DeviceGray"
        assert xobj.BitsPerComponent == 2
        assert np.array_equal(decoded(xobj)[:, :, 0], levels)
        assert np.array_equal(render_exact(checked)[:, :, 1], levels)


def test_identical_images_are_stored_once(tmp_pdf):
    pixels = RNG.integers(0, 256, (30, 40, 3), dtype=np.uint8)
    path = tmp_pdf("dedupe")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((200, 200))
        gc = GraphicsContext(scope=())
        first = draw_image(page.renderer, gc, pixels, 0, 0)
        second = draw_image(page.renderer, gc, pixels.copy(), 50, 50, 80)
        third = draw_image(page.renderer, gc, pixels / 255.0, 100, 100)
        page = doc.add_page((200, 200))
        fourth = draw_image(page.renderer, gc, pixels, 0, 0)
        other = draw_image(page.renderer, gc, pixels[::-1], 0, 0)
    assert first == second == third == fourth != other
    with check_pdf(path) as checked:
        images = [o for o in checked.pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        assert len(images) == 2


def test_interpolate_flag_and_default_sizes(tmp_pdf):
    pixels = RNG.integers(0, 256, (10, 20, 3), dtype=np.uint8)
    path = tmp_pdf("sizes")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((300, 300))
        gc = GraphicsContext(scope=())
        draw_image(page.renderer, gc, pixels, 0, 0, interpolate=True)
        draw_image(page.renderer, gc, pixels, 10, 20, width=100)
        draw_image(page.renderer, gc, pixels, 10, 20, height=100)
        draw_image(page.renderer, gc, pixels, 10, 20, 30, 40, origin="lower")
    with check_pdf(path) as checked:
        content = checked.pdf.pages[0].Contents.read_bytes()
        assert content.splitlines() == [
            b"q 20 0 0 10 0 0 cm /Im0 Do Q",
            b"q 100 0 0 50 10 20 cm /Im1 Do Q",
            b"q 200 0 0 100 10 20 cm /Im1 Do Q",
            b"q 30 0 0 -40 10 60 cm /Im1 Do Q",
        ]
        named = checked.pdf.pages[0].Resources.XObject
        assert named.Im0.Interpolate is True and "/Interpolate" not in named.Im1


def test_origin_lower_flips_rows(tmp_pdf):
    pixels = RNG.integers(0, 256, (12, 16, 3), dtype=np.uint8)
    with draw_pdf(tmp_pdf, pixels, origin="lower") as checked:
        assert np.array_equal(render_exact(checked), pixels[::-1])


def test_transform_rotates_the_placement(tmp_pdf):
    pixels = RNG.integers(0, 256, (20, 30, 3), dtype=np.uint8)
    path = tmp_pdf("rotated")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((20, 30))
        draw_image(page.renderer, GraphicsContext(scope=()), pixels, 0, 0, transform=(0, 1, -1, 0, 20, 0))
    with check_pdf(path) as checked:
        assert np.array_equal(render_exact(checked), np.rot90(pixels))


def test_scope_and_alpha_from_the_graphics_context(tmp_pdf):
    pixels = np.full((4, 4, 3), 200, dtype=np.uint8)
    path = tmp_pdf("scoped")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((40, 40))
        gc = GraphicsContext(scope=(b"0 0 10 40 re W n\n",), fill_alpha=0.5)
        draw_image(page.renderer, gc, pixels, 0, 0, 40, 40)
    with check_pdf(path) as checked:
        content = checked.pdf.pages[0].Contents.read_bytes()
        assert b"re W n" in content and b" gs" in content
        image = render_exact(checked)
        assert abs(int(image[20, 5, 0]) - 228) <= 2  # 200 at half opacity over white
        assert (image[20, 15:] == 255).all()  # clipped away


# PIL images ---------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "PA", "RGB", "RGBA", "I;16", "CMYK", "YCbCr"])
def test_pil_modes(tmp_pdf, mode):
    rgba = Image.fromarray(RNG.integers(0, 256, (14, 22, 4), dtype=np.uint8), "RGBA")
    if mode == "P":
        image = rgba.convert("RGB").quantize(50)
    elif mode == "I;16":
        image = Image.fromarray(RNG.integers(0, 65536, (14, 22), dtype=np.uint16))
    else:
        image = rgba.convert(mode)
    with draw_pdf(tmp_pdf, image, name=f"pil-{mode}") as checked:
        (xobj,) = xobjects(checked)
        colors = decoded(xobj)
        if mode == "1":
            assert np.array_equal(colors[:, :, 0].astype(bool), np.asarray(image))
        elif mode in ("L", "LA"):
            assert np.array_equal(colors[:, :, 0], np.asarray(image.convert("L")))
        elif mode == "I;16":
            assert xobj.BitsPerComponent == 16
            assert np.array_equal(colors[:, :, 0], np.asarray(image))
        elif mode == "CMYK":
            assert xobj.ColorSpace == "/DeviceCMYK"
            assert np.array_equal(colors, np.asarray(image))
        elif mode == "P":
            assert xobj.ColorSpace[0] == "/Indexed"
            assert np.array_equal(colors, np.asarray(image.convert("RGB")))
        else:
            assert np.array_equal(colors, np.asarray(image.convert("RGB")))
        if "A" in mode:
            assert np.array_equal(decoded(xobj.SMask)[:, :, 0], np.asarray(image.convert("RGBA"))[:, :, 3])


def test_pil_palette_transparency_and_icc_profile(tmp_pdf):
    image = Image.fromarray(RNG.integers(0, 256, (10, 12, 3), dtype=np.uint8)).quantize(8)
    image.info["transparency"] = 3
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.info["icc_profile"] = profile
    with draw_pdf(tmp_pdf, image) as checked:
        (xobj,) = xobjects(checked)
        space = xobj.ColorSpace
        assert space[0] == "/Indexed" and space[1][0] == "/ICCBased" and space[1][1].N == 3
        assert space[1][1].read_bytes() == profile
        indices = np.asarray(image)
        assert np.array_equal(decoded(xobj.SMask)[:, :, 0].astype(bool), indices != 3)


# Other sources ------------------------------------------------------------------------------


class FakeScalars:
    """A stand-in for vtkDataArray: values per point, read one at a time."""

    def __init__(self, values: np.ndarray, data_type: int) -> None:
        self.values = values.reshape(len(values), -1)
        self.data_type = data_type

    def GetNumberOfComponents(self) -> int:
        return self.values.shape[1]

    def GetNumberOfTuples(self) -> int:
        return len(self.values)

    def GetDataType(self) -> int:
        return self.data_type

    def GetValue(self, index: int) -> float:
        return self.values.flat[index].item()

    def GetTuple(self, index: int) -> tuple:
        return tuple(self.values[index].tolist())


class TupleScalars:
    """A stand-in for a vtkDataArray read one tuple at a time (no GetValue)."""

    def __init__(self, values: np.ndarray, data_type: int) -> None:
        self.values = values
        self.data_type = data_type

    def GetNumberOfComponents(self) -> int:
        return self.values.shape[1]

    def GetNumberOfTuples(self) -> int:
        return len(self.values)

    def GetDataType(self) -> int:
        return self.data_type

    def GetTuple(self, index: int) -> tuple:
        return tuple(self.values[index].tolist())


class FakePointData:
    def __init__(self, scalars: FakeScalars) -> None:
        self.scalars = scalars

    def GetScalars(self) -> FakeScalars:
        return self.scalars


class vtkImageData:  # noqa: N801 - named like VTK's class
    """A stand-in for a 2-D vtkImageData: points run along x first, rows from the bottom up."""

    def __init__(self, top_first: np.ndarray, data_type: int) -> None:
        self.rows, self.columns = top_first.shape[:2]
        self.point_data = FakePointData(FakeScalars(top_first[::-1].reshape(self.rows * self.columns, -1), data_type))

    def GetDimensions(self) -> tuple[int, int, int]:
        return (self.columns, self.rows, 1)

    def GetPointData(self) -> FakePointData:
        return self.point_data


def test_vtk_image_comes_out_the_right_way_up(tmp_pdf):
    pixels = RNG.integers(0, 256, (9, 13, 3), dtype=np.uint8)
    with draw_pdf(tmp_pdf, vtkImageData(pixels, 3)) as checked:
        assert np.array_equal(render_exact(checked), pixels)
    wide = RNG.integers(0, 65536, (5, 6), dtype=np.uint16)
    image = to_array(vtkImageData(wide, 5))
    assert image.pixels.dtype == np.uint16 and np.array_equal(image.pixels[:, :, 0], wide)
    floats = RNG.random((4, 7, 4))
    fake = vtkImageData(floats, 11)
    fake.point_data.scalars = TupleScalars(fake.point_data.scalars.values, 11)
    image = to_array(fake)
    assert np.array_equal(image.pixels, np.floor(floats[:, :, :3] * 255 + 0.5))
    assert np.array_equal(image.alpha, np.floor(floats[:, :, 3] * 255 + 0.5))
    with pytest.raises(ImageError, match="2-D"):
        fake = vtkImageData(pixels, 3)
        fake.GetDimensions = lambda: (13, 9, 2)
        to_array(fake)


def test_matplotlib_canvas_buffer(tmp_pdf):
    pytest.importorskip("matplotlib")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(1.5, 1), dpi=40)
    figure.patch.set_alpha(0.5)
    figure.add_subplot().plot([0, 1, 0.3], color="tab:red")
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba()).copy()
    with draw_pdf(tmp_pdf, canvas) as checked:
        (xobj,) = xobjects(checked)
        assert np.array_equal(decoded(xobj), rgba[:, :, :3])
        assert np.array_equal(decoded(xobj.SMask)[:, :, 0], rgba[:, :, 3])


# JPEG -----------------------------------------------------------------------------------------


def _photo(height=32, width=48) -> np.ndarray:
    """A smooth RGB test picture."""
    y, x = np.mgrid[0:height, 0:width]
    return np.stack([x * 255 // width, y * 255 // height, (x + y) * 255 // (width + height)], axis=2).astype(np.uint8)


@pytest.mark.parametrize(
    ("mode", "options", "space"),
    [
        ("RGB", {}, "/DeviceRGB"),
        ("L", {}, "/DeviceGray"),
        ("RGB", {"progressive": True}, "/DeviceRGB"),
        ("CMYK", {}, "/DeviceCMYK"),
    ],
)
def test_jpeg_is_embedded_unchanged(tmp_pdf, tmp_path, mode, options, space):
    data = jpeg_bytes(Image.fromarray(_photo()).convert(mode), quality=95, **options)
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    for source in (data, path, str(path)):
        with draw_pdf(tmp_pdf, source) as checked:
            (xobj,) = xobjects(checked)
            assert xobj.Filter == "/DCTDecode" and xobj.ColorSpace == space
            assert xobj.read_raw_bytes() == data
            assert (xobj.Width, xobj.Height) == (48, 32)
            if mode == "CMYK":
                assert list(xobj.Decode) == [1, 0] * 4
            else:
                assert "/Decode" not in xobj
                expected = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)
                assert np.abs(render_exact(checked).astype(int) - expected).max() <= 3


def test_cmyk_jpeg_renders_with_its_colours(tmp_pdf):
    cmyk = np.zeros((16, 16, 4), dtype=np.uint8)
    cmyk[:, :8] = (0, 255, 255, 0)  # red
    cmyk[:, 8:] = (255, 0, 0, 0)  # cyan
    data = jpeg_bytes(Image.fromarray(cmyk, "CMYK"), quality=100)
    with draw_pdf(tmp_pdf, data) as checked:
        image = render_exact(checked).astype(int)
        assert image[8, 3, 0] > 200 and image[8, 3, 1] < 80 and image[8, 3, 2] < 80
        assert image[8, 12, 0] < 80 and image[8, 12, 1] > 150 and image[8, 12, 2] > 150


def test_jpeg_icc_profile_is_embedded(tmp_pdf):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = jpeg_bytes(Image.fromarray(_photo()), icc_profile=profile)
    with draw_pdf(tmp_pdf, data) as checked:
        (xobj,) = xobjects(checked)
        assert xobj.ColorSpace[0] == "/ICCBased" and xobj.ColorSpace[1].read_bytes() == profile
        assert xobj.read_raw_bytes() == data


# PNG --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "colors", "bits"),
    [
        (Image.fromarray(_photo()), 3, 8),
        (Image.fromarray(_photo()[:, :, 0]), 1, 8),
        (Image.fromarray(_photo()[:, :, 0] > 100), 1, 1),
        (Image.fromarray(_photo()).quantize(12), 1, 4),
        (Image.fromarray(_photo()).quantize(200), 1, 8),
        (Image.fromarray(_photo()[:, :, 0].astype(np.uint16) * 257), 1, 16),
    ],
    ids=["rgb", "gray", "1-bit", "palette-4-bit", "palette-8-bit", "gray-16"],
)
def test_png_fast_path_embeds_idat_unchanged(tmp_pdf, image, colors, bits):
    data = png_bytes(image)
    with draw_pdf(tmp_pdf, data) as checked:
        (xobj,) = xobjects(checked)
        assert xobj.read_raw_bytes() == idat_of(data)
        assert xobj.Filter == "/FlateDecode" and xobj.BitsPerComponent == bits
        parms = xobj.DecodeParms
        assert (parms.Predictor, parms.Colors, parms.BitsPerComponent, parms.Columns) == (15, colors, bits, 48)
        expected = np.asarray(image.convert("RGB"))
        if image.mode == "I;16":
            expected = np.repeat((np.asarray(image) >> 8).astype(np.uint8)[:, :, None], 3, axis=2)
        assert np.array_equal(render_exact(checked), expected)


def test_png_sixteen_bit_rgb_fast_path(tmp_pdf):
    samples = RNG.integers(0, 65536, (7, 10, 3), dtype=np.uint16)
    data = make_png(samples, 2, 16)
    with draw_pdf(tmp_pdf, data) as checked:
        (xobj,) = xobjects(checked)
        assert xobj.read_raw_bytes() == idat_of(data) and xobj.BitsPerComponent == 16
        assert np.array_equal(decoded(xobj), samples)


def test_png_gray_transparency_becomes_a_colour_key_mask(tmp_pdf):
    gray = np.array([[0, 100, 200], [100, 100, 0]], dtype=np.uint8).repeat(4, axis=0).repeat(4, axis=1)
    data = png_bytes(Image.fromarray(gray), transparency=100)
    with draw_pdf(tmp_pdf, data) as checked:
        (xobj,) = xobjects(checked)
        assert list(xobj.Mask) == [100, 100]
        assert xobj.read_raw_bytes() == idat_of(data)
        alpha = checked.render_rgba(0, dpi=72)[:, :, 3]
        assert np.array_equal(alpha == 0, gray == 100)


def test_png_with_alpha_is_decoded(tmp_pdf):
    rgba = RNG.integers(0, 256, (20, 31, 4), dtype=np.uint8)
    rgba[:10, :, :3] = 90  # some flat area, so the encoder mixes its filters
    for image in (Image.fromarray(rgba, "RGBA"), Image.fromarray(rgba[:, :, :2], "LA")):
        data = png_bytes(image)
        with draw_pdf(tmp_pdf, data) as checked:
            (xobj,) = xobjects(checked)
            expected = np.asarray(image)
            colors = expected.shape[2] - 1
            assert np.array_equal(decoded(xobj), expected[:, :, :colors])
            assert np.array_equal(decoded(xobj.SMask)[:, :, 0], expected[:, :, colors])


def test_png_palette_transparency_is_decoded_to_an_smask(tmp_pdf):
    image = Image.fromarray(_photo()).quantize(16)
    trns = bytes([0, 128] + [255] * 14)
    data = png_bytes(image, transparency=trns)
    with draw_pdf(tmp_pdf, data) as checked:
        (xobj,) = xobjects(checked)
        assert xobj.ColorSpace[0] == "/Indexed"
        indices = np.asarray(image)
        assert np.array_equal(decoded(xobj), np.asarray(image.convert("RGB")))
        opacity = np.frombuffer(trns, dtype=np.uint8)[indices]
        assert np.array_equal(decoded(xobj.SMask)[:, :, 0], opacity)


@pytest.mark.parametrize(
    ("color_type", "depth", "channels"),
    [(0, 1, 1), (0, 2, 1), (0, 4, 1), (0, 8, 1), (0, 16, 1), (2, 8, 3), (2, 16, 3), (3, 2, 1), (3, 8, 1),
     (4, 8, 2), (4, 16, 2), (6, 8, 4), (6, 16, 4)],
)
@pytest.mark.parametrize("interlace", [False, True])
def test_png_unfilter_every_filter_depth_and_interlace(color_type, depth, channels, interlace):
    height, width = 19, 27
    top = (1 << depth) - 1 if color_type != 3 else min(5, (1 << depth) - 1)
    samples = RNG.integers(0, top + 1, (height, width, channels))
    samples[4:9] = samples[4]  # repeated rows, where Up and Paeth matter
    palette = RNG.integers(0, 256, (6, 3)) if color_type == 3 else None
    data = make_png(samples, color_type, depth, interlace=interlace, palette=palette,
                    trns=bytes([255, 0, 255, 255, 128]) if color_type == 3 else None)
    image = read_png(data)
    if color_type == 3:
        assert image.space == "indexed" and np.array_equal(image.pixels[:, :, 0], samples[:, :, 0])
        assert np.array_equal(image.alpha, np.array([255, 0, 255, 255, 128, 255])[samples[:, :, 0]])
        return
    if not interlace and color_type in (0, 2):
        assert image.encoded is not None
        return
    colors = channels - (color_type in (4, 6))
    scale = 255 // top if depth < 8 else 1
    assert np.array_equal(image.pixels, samples[:, :, :colors] * scale)
    if color_type in (4, 6):
        assert np.array_equal(image.alpha, samples[:, :, colors])


def test_png_unfilter_long_paeth_image():
    samples = RNG.integers(0, 256, (300, 70, 4))
    samples[:, 35:] = samples[:, :35]
    for filters in (np.full(300, 4), np.full(300, 3), RNG.integers(0, 5, 300)):
        image = read_png(make_png(samples, 6, 8, filters=filters))
        assert np.array_equal(image.pixels, samples[:, :, :3])
        assert np.array_equal(image.alpha, samples[:, :, 3])


def test_png_unfilter_in_bands(monkeypatch):
    from pdfwriter.image import png

    monkeypatch.setattr(png, "_WAVEFRONT_BYTES", 4000)
    samples = RNG.integers(0, 256, (61, 23, 2))
    image = read_png(make_png(samples, 4, 8))
    assert np.array_equal(image.pixels[:, :, 0], samples[:, :, 0])
    assert np.array_equal(image.alpha, samples[:, :, 1])


def test_png_rgb_transparency_in_an_interlaced_file():
    samples = RNG.integers(0, 4, (9, 11, 3)) * 60
    key = samples[0, 0]
    data = make_png(samples, 2, 8, interlace=True, trns=struct.pack(">3H", *key))
    image = read_png(data)
    assert np.array_equal(image.alpha, (samples != key).any(axis=2))


# Large images and compression ------------------------------------------------------------------


def test_large_image_exact_through_pikepdf(tmp_pdf):
    height, width = 6000, 8000
    y = np.arange(height, dtype=np.uint32)[:, None]
    x = np.arange(width, dtype=np.uint32)[None, :]
    pixels = np.empty((height, width, 3), dtype=np.uint8)
    pixels[:, :, 0] = (x * 3 + y // 7) & 0xFF
    pixels[:, :, 1] = ((x // 16) ^ (y // 16)) * 37 & 0xFF
    pixels[:, :, 2] = (x * y >> 9) & 0xFF
    pixels[1000:1100, 2000:2400] = RNG.integers(0, 256, (100, 400, 3), dtype=np.uint8)
    with draw_pdf(tmp_pdf, pixels, size=(800, 600), name="large") as checked:
        (xobj,) = xobjects(checked)
        assert (xobj.Width, xobj.Height) == (width, height) and xobj.ColorSpace == "/DeviceRGB"
        assert xobj.Filter == "/FlateDecode"
        assert len(xobj.read_raw_bytes()) < pixels.nbytes / 4
        assert np.array_equal(decoded(xobj), pixels)


def test_parallel_deflate_pieces_join_into_one_zlib_stream():
    data = np.frombuffer(np.cumsum(RNG.integers(-2, 3, 12_000_000)).astype(np.uint8).tobytes(), dtype=np.uint8)
    for strategy in (zlib.Z_DEFAULT_STRATEGY, zlib.Z_RLE):
        (packed,) = deflate_many([(data, strategy, 3)])
        assert zlib.decompress(packed) == data.tobytes()


def test_filter_trials_take_the_quickest_strategy_when_sizes_tie():
    """Noisy rows deflate alike under every strategy: the quickest (Huffman-only) is chosen. Rows with
    repeats, where the strategies differ in size, keep the smallest."""
    from pdfwriter.image.encode import _choose_filter

    y, x = np.mgrid[0:600, 0:800]
    smooth = np.stack([x / 4, y / 3, (x + y) / 6], axis=-1)
    noisy = (smooth + RNG.integers(0, 26, (600, 800, 3))).astype(np.uint8).reshape(600, -1)
    kind, strategy, _ = _choose_filter(noisy, 3, 6)
    assert strategy == zlib.Z_HUFFMAN_ONLY
    tiles = np.tile(RNG.integers(0, 256, (5, 37, 3), dtype=np.uint8), (120, 22, 1))[:, :800].reshape(600, -1)
    kind, strategy, _ = _choose_filter(np.ascontiguousarray(tiles), 3, 6)
    assert strategy != zlib.Z_HUFFMAN_ONLY


def test_filter_trials_sample_a_quarter_of_a_medium_plane_and_256_kib_of_a_large_one():
    from pdfwriter.image.encode import _sample_blocks

    def sampled(height: int, row_bytes: int) -> int:
        blocks = _sample_blocks(height, row_bytes)
        assert all(0 <= a < b <= height for a, b in blocks) and len(blocks) <= 8
        return sum(b - a for a, b in blocks) * row_bytes

    assert 0.2 < sampled(231, 864) / (231 * 864) < 0.3  # a 231 x 288 RGB image
    assert 200_000 < sampled(1080, 5760) <= 1 << 18  # a 1920 x 1080 screenshot: about 256 KiB
    assert sampled(40, 864) >= 32 * 864  # a small plane: at least _SAMPLE_MIN (32 KiB) or four rows a block


def test_of_trials_within_three_tenths_of_a_percent_the_quickest_strategy_wins():
    from pdfwriter.image.encode import _quickest_of_smallest

    def trial(size: int, strategy: int) -> tuple:
        return size, 1, strategy, b"", b""

    tied = [trial(10_000, zlib.Z_RLE), trial(10_020, zlib.Z_HUFFMAN_ONLY), trial(10_010, zlib.Z_FILTERED)]
    assert _quickest_of_smallest(tied)[2] == zlib.Z_HUFFMAN_ONLY
    assert _quickest_of_smallest(tied[::2])[2] == zlib.Z_RLE
    apart = [trial(10_000, zlib.Z_FILTERED), trial(10_040, zlib.Z_HUFFMAN_ONLY), trial(10_050, zlib.Z_RLE)]
    assert _quickest_of_smallest(apart)[2] == zlib.Z_FILTERED


def large_patterns() -> dict[str, np.ndarray]:
    """1237 x 1301 RGB images (several deflate pieces, the last one short), each best with another row filter."""
    height, width = 1237, 1301
    y, x = np.mgrid[0:height, 0:width]
    noise = RNG.normal(0, 0.4, (height, width, 1))
    return {
        "none": np.tile(RNG.integers(0, 256, (7, width, 3), dtype=np.uint8), (height // 7 + 1, 1, 1))[:height],
        "sub": np.clip(np.stack([x * 0.19, x * 0.1 + 20, 255 - x * 0.19], axis=2) + noise, 0, 255).astype(np.uint8),
        "up": (RNG.integers(0, 200, (1, width, 3)) + y[:, :, None] // 50).astype(np.uint8),
    }


@pytest.mark.parametrize("kind", ["none", "sub", "up"])
def test_planes_filtered_and_deflated_in_pieces_decode_exactly(tmp_pdf, kind):
    pixels = large_patterns()[kind]
    alpha = (np.arange(pixels.shape[1]) * 255 // pixels.shape[1]).astype(np.uint8)
    rgba = np.dstack([pixels, np.broadcast_to(alpha, pixels.shape[:2])])
    color, mask = encode_image(to_array(rgba))
    expected_tag = {"none": None, "sub": 1, "up": 2}[kind]
    tag = zlib.decompress(color.data)[0] if "DecodeParms" in color.dictionary else None
    assert tag == expected_tag and len(color.data) < pixels.nbytes / 4
    assert encode_image(to_array(rgba.copy()))[0].data == color.data  # pieces do not depend on timing
    with draw_pdf(tmp_pdf, rgba, name=f"pieces-{kind}") as checked:
        (xobj,) = xobjects(checked)
        assert np.array_equal(decoded(xobj), pixels)
        assert np.array_equal(decoded(xobj.SMask)[:, :, 0], rgba[:, :, 3])


def test_adler32_of_joined_pieces():
    first, second = RNG.integers(0, 256, 100_003, dtype=np.uint8).tobytes(), b"\xff" * 70_000
    for a, b in ((first, second), (second, first), (b"", first), (first, b"")):
        assert adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(a + b)


def test_large_images_hash_in_pieces_by_content():
    pixels = large_patterns()["sub"]
    same, other = to_array(pixels.copy()), pixels.copy()
    other[-1, -1, 2] ^= 1
    assert to_array(pixels).digest() == same.digest() != to_array(other).digest()
    assert to_array(pixels).digest() != to_array(pixels[:, :, :2].copy()).digest()


def test_incompressible_pixels_are_stored_and_level_zero_is_plain(tmp_pdf):
    noise = RNG.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    color, mask = encode_image(to_array(noise))
    assert "Filter" not in color.dictionary and color.data == noise.tobytes() and mask is None
    y, x = np.mgrid[0:64, 0:64]
    smooth = np.stack([x * 4, y * 4, (x + y) * 2], axis=2).astype(np.uint8)
    color, _ = encode_image(to_array(smooth), compress_level=0)
    assert "Filter" not in color.dictionary and color.data == smooth.tobytes()
    color, _ = encode_image(to_array(smooth))
    assert color.dictionary["Filter"] == "FlateDecode" and len(color.data) < smooth.nbytes / 10
    with draw_pdf(tmp_pdf, smooth, doc_options={"compress": False}) as checked:
        assert "/Filter" not in xobjects(checked)[0]
        assert np.array_equal(render_exact(checked), smooth)


# Colour maps ------------------------------------------------------------------------------------


def test_viridis_with_nan_pixels_transparent(tmp_pdf):
    values = RNG.normal(size=(24, 30))
    values[3:6, 4:20] = np.nan
    values[10, 10] = np.inf
    with draw_pdf(tmp_pdf, values, cmap="viridis") as checked:
        (xobj,) = xobjects(checked)
        assert xobj.ColorSpace[0] == "/Indexed" and int(xobj.ColorSpace[2]) <= 255
        assert xobj.SMask.BitsPerComponent == 1
        rgba = checked.render_rgba(0, dpi=72)
    good = np.isfinite(values)
    assert (rgba[:, :, 3][~good] == 0).all() and (rgba[:, :, 3][good] == 255).all()
    low, high = values[good].min(), values[good].max()
    indices = np.clip(((values - low) / (high - low) * 256), 0, 255)
    indices = np.where(good, indices, 0).astype(int)
    assert np.array_equal(rgba[:, :, :3][good], COLORMAPS["viridis"][indices][good])


def test_colormap_tables_match_matplotlib():
    matplotlib = pytest.importorskip("matplotlib")
    values = RNG.uniform(-3, 5, (40, 50))
    for name in ("viridis", "magma", "inferno", "plasma", "cividis", "gray", "viridis_r"):
        image = apply_colormap(values, name, vmin=-2, vmax=4)
        ours = image.palette[image.pixels[:, :, 0]]
        norm = matplotlib.colors.Normalize(vmin=-2, vmax=4)
        # The tables are matplotlib's floats rounded (its bytes=True truncates, even for gray).
        theirs = np.round(matplotlib.colormaps[name](norm(values))[:, :, :3] * 255)
        assert np.array_equal(ours, theirs), name


def test_colormap_options():
    values = np.array([[0.001, 0.01, 0.1], [1.0, 10.0, -1.0]])
    image = apply_colormap(values, ["black", "#ffffff"], norm="log", vmin=0.01, vmax=10)
    assert image.palette[image.pixels[0, 1, 0]].tolist() == [0, 0, 0]
    assert image.palette[image.pixels[1, 1, 0]].tolist() == [255, 255, 255]
    assert image.alpha[1, 2] == 0 and image.alpha[0, 0]  # <= 0 is bad for log; below vmin clips
    opaque = apply_colormap(np.array([[np.nan, 1.0], [2.0, 3.0]]), "gray", bad="red")
    assert opaque.space == "rgb" and opaque.pixels[0, 0].tolist() == [255, 0, 0] and opaque.alpha is None
    called = apply_colormap(np.arange(6.0).reshape(2, 3), lambda x: np.stack([x, 1 - x, x * 0, x * 0 + 0.5], axis=1))
    assert called.alpha is not None and (called.alpha == 128).all()
    with pytest.raises(ImageError, match="did you mean 'viridis'"):
        apply_colormap(values, "viridi")
    with pytest.raises(ImageError, match="vmin"):
        apply_colormap(values, "gray", norm="log", vmin=0)
    with pytest.raises(ImageError, match="cmap="):
        draw_image(None, GraphicsContext(), values, 0, 0, vmin=0)


# Errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (np.zeros((0, 5, 3), dtype=np.uint8), "empty"),
        (np.zeros((5, 0), dtype=np.uint8), "empty"),
        (np.zeros(10, dtype=np.uint8), "shape"),
        (np.zeros((4, 4, 5), dtype=np.uint8), "shape"),
        (np.zeros((2, 2, 2, 2), dtype=np.uint8), "shape"),
        (np.zeros((4, 4), dtype=complex), "dtype complex128"),
        (np.array([["a", "b"]]), "dtype"),
        (np.array([[0.5, np.nan]]), "NaN"),
        (np.array([[0.5, 255.0]]), "0..1"),
        (b"GIF89a....", "not a PNG or JPEG"),
        (object(), "cannot read an image from a object"),
    ],
)
def test_errors(data, match):
    with pytest.raises(ImageError, match=match):
        to_array(data)


@pytest.mark.parametrize("where", ["first rows", "last rows"])
def test_bad_values_of_a_large_float_image_are_found_wherever_they_are(tmp_path, where):
    """Large float images are converted side by side on the worker threads; a bad value in any piece is reported."""
    data = np.full((1200, 1000, 4), 0.5)
    data[5 if where == "first rows" else -5, 7, 2] = np.nan
    path = tmp_path / "bad.pdf"
    with pytest.raises(ImageError, match="NaN"):
        with pdfwriter.Document(path) as doc:
            doc.add_page((100, 100)).image(data, 0, 0, 100, 100)
    assert not path.exists()
    data[:] = 0.25
    data[-3, 2, 0] = 7.0
    with pytest.raises(ImageError, match="from 0.25 to 7"):
        to_array(data)
    data[-3, 2, 0] = 1.0
    image = to_array(data)
    assert image.pixels[-3, 2, 0] == 255 and image.pixels[0, 0, 0] == 64 and image.alpha.min() == 64


def test_error_types_and_file_names(tmp_path):
    notes = tmp_path / "notes.png"
    notes.write_text("these are my notes, not a picture\n")
    with pytest.raises(ImageError, match="notes.png.*not a PNG or JPEG"):
        to_array(notes)
    with pytest.raises(ImageError, match="missing.png"):
        to_array(tmp_path / "missing.png")
    broken = png_bytes(Image.new("RGB", (4, 4)))
    with pytest.raises(ImageError, match="CRC"):
        to_array(broken[:40] + bytes([broken[40] ^ 1]) + broken[41:])
    with pytest.raises(ImageError, match="truncated"):
        to_array(jpeg_bytes(Image.new("RGB", (4, 4)))[:30])
    error = pytest.raises(ImageError, to_array, np.zeros((0, 0))).value
    assert isinstance(error, PdfWriterError) and isinstance(error, ValueError)


def test_placement_errors():
    with pytest.raises(ImageError, match="origin"):
        draw_image(None, GraphicsContext(), np.zeros((2, 2)), 0, 0, origin="top")
    from pdfwriter.image import placement

    with pytest.raises(ImageError, match="width"):
        placement(4, 4, 0, 0, 0, None)
    with pytest.raises(ImageError, match="height"):
        placement(4, 4, 0, 0, None, float("nan"))


def test_a_colour_mapped_field_is_indexed_filtered_and_half_the_size_of_pillows_png(tmp_pdf):
    """An RGB rendering of a smooth field through a 256-colour map: Indexed, row-filtered, exact, small."""
    rng = np.random.default_rng(5)
    y, x = np.mgrid[0:600, 0:800]
    field = np.sin(x / 60.0) * np.cos(y / 45.0) + 0.1 * rng.random((600, 800))
    lut = COLORMAPS["viridis"]
    values = np.round((field - field.min()) / np.ptp(field) * (len(lut) - 1)).astype(int)
    rgb = np.ascontiguousarray(lut[values][:, :, :3])
    with draw_pdf(tmp_pdf, rgb, name="field") as checked:
        (image,) = xobjects(checked)
        assert image.ColorSpace[0] == "/Indexed"
        assert int(image.DecodeParms.Predictor) >= 10
        assert np.array_equal(decoded(image), rgb)
        embedded = len(image.read_raw_bytes())
    # Pillow's PNG of the array (what images-to-PDF tools copy into the file).
    assert embedded < len(png_bytes(Image.fromarray(rgb), optimize=True)) / 2


@pytest.mark.parametrize("shape", [(40, 50), (600, 500)], ids=["sorted", "table"])
def test_few_colour_images_become_indexed_both_ways_of_finding_colours(tmp_pdf, shape):
    """Small images find their colours by sorting, large ones by a table: both give exact Indexed images."""
    rng = np.random.default_rng(11)
    palette = rng.integers(0, 256, (37, 3), dtype=np.uint8)
    rgb = palette[rng.integers(0, 37, shape)]
    with draw_pdf(tmp_pdf, rgb, name=f"few-{shape[0]}") as checked:
        (image,) = xobjects(checked)
        assert image.ColorSpace[0] == "/Indexed" and int(image.ColorSpace[2]) == 36
        assert np.array_equal(decoded(image), rgb)
        assert np.array_equal(render_exact(checked), rgb)
