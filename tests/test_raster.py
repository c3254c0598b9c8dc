"""page.rasterized: the block becomes one image that lands where its vectors would have been."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from harness import check_pdf

import pdfwriter
from pdfwriter.errors import ImageError, MissingDependencyError, PdfWriterError
from pdfwriter.pdf import Name

RNG = np.random.default_rng(99)


def scene(page) -> None:
    """Paths, markers, text and an image: one of each kind of drawing."""
    page.rect(30, 25, 120, 60, fill=(0.9, 0.1, 0.1, 0.5), stroke="navy", line_width=2)
    page.circle(130, 95, 28, fill="seagreen", stroke="black", dash="dashed")
    page.markers(RNG.uniform((40, 40), (200, 140), (40, 2)), "o", size=7, fill="orange", alpha=0.8)
    page.markers(RNG.uniform((40, 40), (200, 140), (30, 2)), "^", size=RNG.uniform(4, 12, 30),
                 fill=RNG.uniform(0, 1, (30, 3)), stroke="black", line_width=0.7)
    page.text(45, 120, "Raster 42", size=18)
    page.image(np.arange(48, dtype=np.uint8).reshape(6, 8) * 5, 170, 30, 32, 24)


def write(path, draw, size=(240, 168), dpi=None) -> None:
    """One page drawn by draw(page), inside page.rasterized(dpi) when dpi is given."""
    with pdfwriter.Document(path) as doc:
        page = doc.add_page(size)
        page.rect(0, 0, size[0], 10, fill="lightgray")  # vector in both
        if dpi is None:
            draw(page)
        else:
            with page.rasterized(dpi=dpi):
                draw(page)


def compare(tmp_pdf, draw, dpi, size=(240, 168)):
    """Render the vector and rasterized versions at the raster's dpi; return both and the raster's page."""
    vector, raster = tmp_pdf("vector"), tmp_pdf("raster")
    state = RNG.bit_generator.state
    write(vector, draw, size)
    RNG.bit_generator.state = state
    write(raster, draw, size, dpi)
    with check_pdf(vector) as a, check_pdf(raster) as b:
        page = b.pdf.pages[0]
        content = page.Contents.read_bytes()
        xobjects = [(str(x.Subtype), "/SMask" in x) for x in page.Resources.XObject.values()]
        return a.render(0, dpi).astype(int), b.render(0, dpi).astype(int), (content, xobjects)


def assert_same_pixels(a: np.ndarray, b: np.ndarray, ignore: np.ndarray | None = None, allowed: int = 0) -> None:
    """Equal up to rounding, except where `ignore` is True and at most `allowed` other pixels."""
    assert a.shape == b.shape
    difference = np.abs(a - b).max(axis=2)
    if ignore is not None:
        difference[ignore] = 0
    assert (difference > 8).sum() <= allowed, f"{(difference > 8).sum()} pixels differ, up to {difference.max()}"


# 108 and 180 dpi put most of the drawing between pixel boundaries (1.5 and 2.5 pixels a point).
@pytest.mark.parametrize("dpi", [72, 108, 144, 180])
def test_rasterized_block_lands_on_the_vector_pixels(tmp_pdf, dpi):
    a, b, (content, xobjects) = compare(tmp_pdf, scene, dpi)
    assert (a < 250).any(axis=2).sum() > 1000
    assert_same_pixels(a, b)
    assert content.count(b" Do") == 1 and b"BT" not in content  # one image, no text or markers
    assert xobjects == [("/Image", True)]


def test_image_size_follows_dpi_and_what_was_drawn(tmp_pdf):
    for dpi in (72, 144, 216):
        path = tmp_pdf(f"dpi{dpi}")
        with pdfwriter.Document(path) as doc:
            page = doc.add_page((200, 100))
            with page.rasterized(dpi=dpi):
                page.rect(20, 30, 100, 50, fill="black", stroke=None)
        with check_pdf(path) as checked:
            (xobj,) = checked.pdf.pages[0].Resources.XObject.values()
            scale = dpi / 72
            assert (int(xobj.Width), int(xobj.Height)) == (round(100 * scale), round(50 * scale))
            image = checked.render(0, 72)
            rows = np.flatnonzero((image < 128).any(axis=(1, 2)))
            columns = np.flatnonzero((image < 128).any(axis=(0, 2)))
            assert (rows[0], rows[-1], columns[0], columns[-1]) == (20, 69, 20, 119)


def test_nested_transforms_and_clips(tmp_pdf):
    def draw(page):
        page.rect(10, 10, 200, 100, fill="lavender")
        page.markers(np.random.default_rng(5).uniform((0, 0), (180, 120), (200, 2)), "s", size=6, fill="purple")
        with page.transform((0.8, 0.3, -0.2, 0.9, 10, 5)), page.clip((10, 10, 120, 90)):
            page.circle(60, 60, 50, fill="teal", stroke="black", line_width=3)
            page.text(20, 40, "inside", size=14, angle=20)

    def outer(page, inner):
        with page.transform((1, 0, 0, 1, 20, 15)), page.clip(pdfwriter.Path.circle(100, 70, 75)):
            inner(page)

    vector, raster = tmp_pdf("nested-vector"), tmp_pdf("nested-raster")
    write(vector, lambda page: outer(page, draw))

    def rasterized(page):
        with page.rasterized(dpi=144):
            draw(page)

    write(raster, lambda page: outer(page, rasterized))
    with check_pdf(vector) as a, check_pdf(raster) as b:
        va, vb = a.render(0, 144).astype(int), b.render(0, 144).astype(int)
        assert (va[:, :, 0] < 100).sum() > 1000  # the teal circle is there
        # The outer clip is the viewer's in both, but vectors blend each shape's edge pixels with
        # it in turn where the raster is clipped once: only pixels on the clip's edge may differ.
        rows, columns = np.indices(va.shape[:2]) + 0.5
        distance = np.hypot(columns - 240, rows - 166) - 150  # circle (120, 85) r 75 pt at 2 px/pt
        edge = np.abs(distance) < 1.5
        assert (np.abs(va - vb).max(axis=2)[edge] > 8).any()
        # Elsewhere pdfium may round a few edge pixels of shapes under a clip the other way.
        assert_same_pixels(va, vb, ignore=edge, allowed=va.shape[0] * va.shape[1] // 1000)


def test_rotated_page_transform_around_the_block(tmp_pdf):
    def draw(page):
        page.polygon([(0, 0), (80, 0), (40, 60)], fill="crimson", stroke="black")

    def around(page, inner):
        with page.transform((0.866, 0.5, -0.5, 0.866, 120, 20)):
            inner(page)

    vector, raster = tmp_pdf("rot-vector"), tmp_pdf("rot-raster")
    write(vector, lambda page: around(page, draw))

    def rasterized(page):
        with page.rasterized(dpi=216):
            draw(page)

    write(raster, lambda page: around(page, rasterized))
    with check_pdf(vector) as a, check_pdf(raster) as b:
        assert_same_pixels(a.render(0, 216).astype(int), b.render(0, 216).astype(int))


def test_drawing_off_the_page_is_cropped_to_the_page(tmp_pdf):
    path = tmp_pdf("off-page")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((100, 100))
        with page.rasterized(dpi=72):
            page.rect(50, 50, 500, 500, fill="black")
    with check_pdf(path) as checked:
        (xobj,) = checked.pdf.pages[0].Resources.XObject.values()
        assert (int(xobj.Width), int(xobj.Height)) == (50, 50)
        image = checked.render(0, 72)
        assert (image[:50, 50:] == 0).all() and (image[50:] == 255).all()


def test_empty_and_invisible_blocks_add_nothing(tmp_pdf):
    path = tmp_pdf("empty")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((100, 100))
        with page.rasterized():
            pass
        with page.rasterized():
            page.rect(10, 10, 20, 20, fill=(1, 0, 0, 0))
        with page.clip((0, 0, 0, 0)), page.rasterized():
            page.rect(10, 10, 20, 20, fill="black")
        page.rect(0, 0, 5, 5, fill="black")
    with check_pdf(path) as checked:
        assert "/XObject" not in checked.pdf.pages[0].Resources


def test_an_error_inside_the_block_leaves_the_page_usable(tmp_pdf):
    path = tmp_pdf("raise-inside")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((100, 100))
        with pytest.raises(ZeroDivisionError), page.rasterized():
            page.rect(10, 10, 20, 20, fill="black")
            1 / 0
        page.rect(50, 50, 20, 20, fill="blue")
    with check_pdf(path) as checked:
        image = checked.render(0, 72)
        assert (image[25, 15] == 255).all() and tuple(image[40, 60]) == (0, 0, 255)


def test_nested_raster_blocks(tmp_pdf):
    def draw(page):
        page.rect(20, 20, 100, 100, fill="gold")
        with page.rasterized(dpi=144):
            page.circle(70, 70, 30, fill="navy")

    a, b, (content, xobjects) = compare(tmp_pdf, draw, 144)
    assert_same_pixels(a, b)
    assert xobjects == [("/Image", False)]  # one image; the crop is all opaque, so no soft mask


def test_bad_dpi(tmp_pdf):
    with pdfwriter.Document(tmp_pdf("bad-dpi")) as doc:
        page = doc.add_page((100, 100))
        for dpi in (0, -5, float("nan"), "high"):
            with pytest.raises(ImageError, match="dpi"):
                with page.rasterized(dpi=dpi):
                    pass
        with pytest.raises(ImageError, match="too large"):
            with page.rasterized(dpi=100_000):
                pass
        page.rect(0, 0, 5, 5)


def test_missing_pypdfium2_names_the_extra(tmp_pdf, monkeypatch):
    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    monkeypatch.setitem(sys.modules, "pypdfium2.raw", None)
    with pdfwriter.Document(tmp_pdf("no-pdfium")) as doc:
        page = doc.add_page((100, 100))
        with pytest.raises(MissingDependencyError, match=r"pdfwriter\[raster\]") as caught:
            with page.rasterized():
                page.rect(0, 0, 10, 10)
        assert isinstance(caught.value, (ImportError, PdfWriterError))
        page.rect(0, 0, 10, 10)


def test_small_drawing_on_a_large_page_keeps_its_stroke_spikes(tmp_pdf):
    def draw(page):
        # A sharp miter join reaches far beyond the path's points; text reaches beyond its origin.
        page.polygon([(60, 60), (160, 70), (60, 80)], fill=None, stroke="black", line_width=8, join="miter",
                     miter_limit=20)
        page.text(70, 100, "gg", size=20)

    a, b, (content, xobjects) = compare(tmp_pdf, draw, 288)
    assert_same_pixels(a, b)
    assert (a[:, :, 0] < 128).sum() > 500
    assert xobjects == [("/Image", True)]


def test_raw_content_inside_the_block_is_rasterized(tmp_pdf):
    def draw(page):
        page.rect(20, 20, 60, 40, fill="gold")
        page.content.raw(b"q 0 0 1 rg 50 30 80 50 re f Q\n")  # page coordinates, as outside a block
        page.circle(120, 90, 20, fill="navy")

    a, b, (content, xobjects) = compare(tmp_pdf, draw, 144)
    assert_same_pixels(a, b)
    assert tuple(b[(168 - 45) * 2, 100 * 2]) == (0, 0, 255)
    assert b"50 30 80 50 re" not in content and content.count(b" Do") == 1
    assert xobjects == [("/Image", True)]


def test_raw_content_with_its_own_resources_inside_the_block(tmp_pdf):
    path = tmp_pdf("raw-resources")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((100, 100))
        with page.rasterized(dpi=72):
            page.add_resource("ExtGState", "Half", {"Type": Name("ExtGState"), "ca": 0.5})
            page.content.raw(b"q /Half gs 0 0 1 rg 10 10 50 50 re f Q\n")
        document_object = doc.writer.add({"Type": Name("ExtGState"), "ca": 0.25})
        with pytest.raises(ImageError, match="outside the block"):
            with page.rasterized(dpi=72):
                page.add_resource("ExtGState", "Quarter", document_object)
                page.content.raw(b"q /Quarter gs 1 0 0 rg 60 60 30 30 re f Q\n")
        page.rect(70, 10, 20, 20, fill="black")  # the page is still usable
    with check_pdf(path) as checked:
        image = checked.render(0, 72).astype(int)
        assert np.abs(image[65, 35] - (127, 127, 255)).max() <= 2
        assert (image[25, 75] == 255).all()  # nothing of the refused block
        assert (image[80, 80] == 0).all()


@pytest.mark.parametrize("dpi", [None, 144], ids=["vector", "raster"])
def test_dashed_marker_outlines_keep_the_dash_asked_for(tmp_pdf, dpi):
    """Scaled markers, as vectors or in a raster, are dashed as a path of their shape is (the dash is not scaled)."""
    squares = (((60, 60), 33.0), ((160, 84), 80.0))  # corners inside dashes or gaps, not on their ends

    def markers(page):
        page.markers([xy for xy, _ in squares], "s", size=[d for _, d in squares], fill=None, stroke="black",
                     line_width=2, dash=(6, 4))

    def paths(page):
        for (x, y), d in squares:
            page.rect(x - d / 2, y - d / 2, d, d, fill=None, stroke="black", line_width=2, dash=(6, 4))

    vector, raster = tmp_pdf("dash-vector"), tmp_pdf("dash-raster")
    write(vector, paths)
    write(raster, markers, dpi=dpi)
    with check_pdf(vector) as a, check_pdf(raster) as b:
        expected, got = a.render(0, 144).astype(int), b.render(0, 144).astype(int)
    assert_same_pixels(expected, got)
    edge = got[(168 - 44) * 2 + 1, 2 * 122 : 2 * 198, 0]  # along the big square's bottom edge
    assert 5 <= np.count_nonzero(np.diff((edge < 128).astype(int)) == 1) <= 9  # 6 + 4 pt dashes: 7-8 of them
