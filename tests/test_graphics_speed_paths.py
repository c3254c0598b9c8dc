"""The fast routes for large figures: cheap Path construction, bulk meshes, 0.01 pt coordinates,
form-or-inline by size, and large streams deflated in pieces; each checked by what a user sees."""

from __future__ import annotations

import re
import zlib

import numpy as np
import pikepdf
import pytest
from harness import assert_color, check_pdf, pixel

import pdfwriter
from pdfwriter import Path
from pdfwriter.errors import GeometryError, NumberError
from pdfwriter.graphics import path as path_module
from pdfwriter.graphics.content import SMALL_ROWS, rows_text, small_numbers
from pdfwriter.graphics.color import parse_color
from pdfwriter.graphics.gstate import GraphicsContext
from pdfwriter.graphics.path import to_operators
from pdfwriter.pdf.numbers import format_array, format_matrix, format_number, format_rows

WHITE, RED, BLUE = (255, 255, 255), (255, 0, 0), (0, 0, 255)
QUAD_CODES = np.array([1, 2, 2, 2, 79], dtype=np.uint8)


def write(tmp_pdf, scene, size=(200, 200), name="drawing"):
    """Draw `scene(page)` on one page; return the checked PDF."""
    path = tmp_pdf(name)
    with pdfwriter.Document(path) as doc:
        scene(doc.add_page(size))
    return check_pdf(path)


def content_of(checked) -> bytes:
    return checked.pdf.pages[0].Contents.read_bytes()


def grid_quads(n: int, lo: float, hi: float, codes=QUAD_CODES) -> list[Path]:
    """An n x n grid of axis-aligned quads, row by row."""
    edges = np.linspace(lo, hi, n + 1)
    return [
        Path(np.array([(edges[i], edges[j]), (edges[i + 1], edges[j]), (edges[i + 1], edges[j + 1]),
                       (edges[i], edges[j + 1]), (edges[i], edges[j])]), codes)
        for j in range(n) for i in range(n)
    ]


# Path construction -----------------------------------------------------------------


def test_paths_with_equal_codes_share_one_checked_array_and_keep_the_callers_arrays_writable():
    vertices = np.zeros((5, 2))
    codes = QUAD_CODES.copy()
    first, second = Path(vertices, codes), Path(vertices + 1, codes.copy())
    assert first.codes is second.codes
    assert not first.codes.flags.writeable and not first.vertices.flags.writeable
    assert vertices.flags.writeable and codes.flags.writeable
    # Changing the caller's array later does not change what was checked for other paths.
    codes[4] = 2
    assert Path(vertices, QUAD_CODES).codes.tolist() == [1, 2, 2, 2, 79]
    assert Path(vertices, codes).codes.tolist() == [1, 2, 2, 2, 2]


@pytest.mark.parametrize(
    ("vertices", "codes", "message"),
    [
        (np.zeros((5, 2)), np.array([1, 2, 2, 2, 7], dtype=np.uint8), "unknown path code 7"),
        (np.zeros((5, 2)), np.array([2, 2, 2, 2, 79], dtype=np.uint8), "must start with MOVETO"),
        (np.zeros((4, 2)), np.array([1, 4, 4, 79], dtype=np.uint8), "cut short"),
        (np.zeros((5, 2)), np.array([1, 2, 2, 79], dtype=np.uint8), "5 vertices but 4 codes"),
        (np.zeros((5, 3)), QUAD_CODES, "shape (N, 2)"),
        (np.array([["a", "b"]]), None, "real numbers"),
    ],
)
def test_bad_paths_are_rejected_every_time(vertices, codes, message):
    for _ in range(3):  # a rejected sequence is never remembered as checked
        with pytest.raises(GeometryError, match=re.escape(message)):
            Path(vertices, codes)


# Meshes -----------------------------------------------------------------------------


def test_axis_aligned_mesh_quads_are_written_as_rectangles(tmp_pdf):
    quads = grid_quads(10, 0, 200)
    fills = np.array([(1, 0, 0, 1) if (k // 10 + k % 10) % 2 else (0, 0, 1, 1) for k in range(100)], float)

    def scene(page):
        page.renderer.draw_path_collection(GraphicsContext(stroke=None), quads, fills=fills)

    checked = write(tmp_pdf, scene)
    data = content_of(checked)
    assert data.count(b" re ") == 100 and b" l " not in data
    image = checked.render(0)
    assert_color(pixel(image, 10, 10), BLUE)
    assert_color(pixel(image, 30, 10), RED)
    assert_color(pixel(image, 30, 30), BLUE)
    assert_color(pixel(image, 190, 190), BLUE)


def test_rotated_or_dashed_quads_keep_their_outline(tmp_pdf):
    square = np.array([(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)], float)
    turned = [Path(square @ np.array([[0.8, 0.6], [-0.6, 0.8]]) + (50 + 20 * k, 100), QUAD_CODES) for k in range(5)]
    upright = [Path(square + (50 + 20 * k, 40), QUAD_CODES) for k in range(5)]

    def scene(page):
        page.renderer.draw_path_collection(GraphicsContext(stroke=None), turned, fills=[(1, 0, 0, 1)])
        dashed = GraphicsContext(dash=((2.0, 1.0), 0.5))
        page.renderer.draw_path_collection(dashed, upright, fills=[(0, 0, 1, 1)])

    checked = write(tmp_pdf, scene)
    data = content_of(checked)
    assert b" re " not in data and data.count(b" m ") == 10
    image = checked.render(0)
    assert_color(pixel(image, 54, 106), RED)
    assert_color(pixel(image, 55, 45), BLUE)


def test_mesh_of_separately_coded_quads_is_written_in_bulk_and_mixed_codes_are_not_merged(tmp_pdf):
    same = grid_quads(4, 0, 100, codes=[1, 2, 2, 2, 79])  # list codes: checked one by one, compared at once
    assert same[0].codes is not same[1].codes
    mixed = grid_quads(2, 100, 200)
    mixed[1] = Path(mixed[1].vertices, [1, 2, 2, 2, 2])  # an open outline among closed quads

    def scene(page):
        page.renderer.draw_path_collection(GraphicsContext(stroke=None), same, fills=[(1, 0, 0, 1)])
        page.renderer.draw_path_collection(GraphicsContext(), mixed, fills=[(0, 0, 1, 1)])

    checked = write(tmp_pdf, scene)
    data = content_of(checked)
    assert data.count(b" re ") == 16
    # Mixed codes go item by item: three closed outlines and the open one, each painted.
    assert data.count(b"B\n") == 4 and data.count(b"h\n") == 3
    image = checked.render(0)
    assert_color(pixel(image, 50, 50), RED)
    assert_color(pixel(image, 125, 125), BLUE)
    assert_color(pixel(image, 175, 125), BLUE)


def test_one_rectangle_at_many_offsets_is_inlined_in_bulk(tmp_pdf):
    square = Path.rectangle(0, 0, 6, 6)
    offsets = np.array([(10 + 20 * i, 10 + 20 * j) for j in range(9) for i in range(9)], float)

    def scene(page):
        page.renderer.draw_path_collection(GraphicsContext(stroke=None), [square], offsets=offsets,
                                           fills=[(1, 0, 0, 1)])

    checked = write(tmp_pdf, scene)
    data = content_of(checked)
    assert data.count(b" 6 6 re f\n") == 81 and b" Do " not in data
    image = checked.render(0)
    assert_color(pixel(image, 13, 13), RED)
    assert_color(pixel(image, 173, 173), RED)
    assert_color(pixel(image, 20, 20), WHITE)


# Form XObject or inline, by size ------------------------------------------------------


def _collection(path: Path, offsets: np.ndarray):
    def scene(page):
        page.renderer.draw_path_collection(GraphicsContext(), [path], offsets=offsets, fills=[(1, 0, 0, 1)])

    return scene


def _as_form(path: Path, offsets: np.ndarray):
    def scene(page):
        page.renderer.draw_marker_array(GraphicsContext(), path, None, offsets, fill=pdfwriter.graphics.color.Color(
            "rgb", (1.0, 0.0, 0.0), 1.0))

    return scene


def _inline(path: Path, offsets: np.ndarray):
    def scene(page):
        fill = pdfwriter.graphics.color.Color("rgb", (1.0, 0.0, 0.0), 1.0)
        for x, y in offsets:
            page.renderer.draw_path(GraphicsContext(), path, (1, 0, 0, 1, x, y), fill)

    return scene


@pytest.mark.parametrize(
    ("shape", "expect_form"),
    [(Path([(0, 0), (2, 1)]), True), (Path.rectangle(0, 0, 3, 3), False), (Path.circle(0, 0, 3), True),
     (Path.unit_star(12).transformed((4, 0, 0, 4, 0, 0)), True)],
    ids=["tick", "square", "circle", "star"],
)
def test_collection_picks_the_smaller_of_form_and_inline(tmp_pdf, shape, expect_form):
    rng = np.random.default_rng(7)
    offsets = rng.uniform(10, 190, (400, 2))
    chosen = write(tmp_pdf, _collection(shape, offsets), name="chosen")
    form = write(tmp_pdf, _as_form(shape, offsets), name="form")
    inline = write(tmp_pdf, _inline(shape, offsets), name="inline")
    uses_form = b" Do " in content_of(chosen)
    assert uses_form == expect_form
    other = inline if uses_form else form
    assert chosen.path.stat().st_size < other.path.stat().st_size
    # Both routes draw the same picture.
    a, b = chosen.render(0, dpi=72).astype(int), other.render(0, dpi=72).astype(int)
    assert np.abs(a - b).mean() < 1.0


def test_scaled_items_under_a_translating_master_transform_land_where_asked(tmp_pdf):
    circle = Path.circle(0, 0, 1)
    offsets = np.array([(40, 40), (120, 60), (80, 150)], float)
    scales = np.array([np.diag([5.0, 5.0, 1.0]), np.diag([8.0, 8.0, 1.0]), np.diag([3.0, 3.0, 1.0])])

    def scene(page):
        page.renderer.draw_path_collection(GraphicsContext(stroke=None), [circle], transforms=scales,
                                           offsets=offsets, master_transform=(1, 0, 0, 1, 10, 20),
                                           fills=[(0, 0, 1, 1)])

    image = write(tmp_pdf, scene).render(0)
    for (x, y), radius in zip(offsets, (5, 8, 3)):
        assert_color(pixel(image, x + 10, y + 20), BLUE)
        assert_color(pixel(image, x + 10 + radius + 2, y + 20), WHITE)


# Coordinates on a 0.01 pt grid ------------------------------------------------------------


def _scene_for_precision(page, decimals_scale: float):
    """Thin lines, curves and a mesh at coordinates with many decimals."""
    page.renderer.unit_scale = decimals_scale
    rng = np.random.default_rng(3)
    walk = np.column_stack([np.linspace(2, 38, 400), 20 + np.cumsum(rng.normal(0, 0.3, 400))])
    page.line(walk, line_width=0.1, stroke="black")
    page.circle(20.0123, 20.0456, 7.777, stroke="blue", line_width=0.05)
    quads = grid_quads(7, 3.333, 36.667)
    fills = np.column_stack([rng.uniform(0, 1, (len(quads), 3)), np.full(len(quads), 1.0)])
    with page.clip((0, 0, 40, 12)):
        page.renderer.draw_path_collection(GraphicsContext(stroke=None), quads, fills=fills)


def test_two_decimal_coordinates_look_the_same_as_four_at_high_zoom(tmp_pdf):
    coarse = write(tmp_pdf, lambda page: _scene_for_precision(page, 1.0), size=(40, 40), name="coarse")
    fine = write(tmp_pdf, lambda page: _scene_for_precision(page, 100.0), size=(40, 40), name="fine")
    numbers = re.findall(rb"-?\d*\.(\d+)", content_of(coarse))
    assert numbers and max(len(n) for n in numbers) <= 3  # coordinates 2, colours 3
    assert max(len(n) for n in re.findall(rb"-?\d*\.(\d+)", content_of(fine))) == 4
    assert len(content_of(coarse)) < 0.85 * len(content_of(fine))
    # At 1200 and 2400 dpi (17 and 33 pixels per point) every pixel of one rendering is
    # found in the other within one pixel's shift: thin lines may snap to a neighbouring
    # pixel row, nothing moves further or changes colour.
    for dpi in (1200, 2400):
        a, b = coarse.render(0, dpi=dpi).astype(int), fine.render(0, dpi=dpi).astype(int)
        assert np.abs(a - b).mean() < 1.0
        best = np.full(a.shape[:2], 255)
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                shifted = np.roll(b, (dy, dx), axis=(0, 1))
                best = np.minimum(best, np.abs(a - shifted).max(axis=2))
        assert best[2:-2, 2:-2].max() <= 64


def test_coordinates_keep_more_decimals_inside_an_enlarging_transform(tmp_pdf):
    def scene(page):
        with page.transform((100, 0, 0, 100, 0, 0)):
            page.line(0.123456, 0.5, 1.5, 1.987654, stroke="red", line_width=0.02)
        page.line(1.23456, 150, 190.98765, 150, stroke="blue")

    checked = write(tmp_pdf, scene)
    data = content_of(checked)
    assert b".1235 .5 m" in data and b"1.5 1.9877 l" in data
    assert b"1.23 150 m" in data and b"190.99 150 l" in data
    image = checked.render(0)
    assert_color(pixel(image, 81.17, 124.38), RED, tol=40)


# Number formatting and large streams ------------------------------------------------------


@pytest.mark.parametrize("decimals", [0, 1, 2, 3, 4, 6])
def test_bulk_formatting_matches_the_scalar_policy(decimals):
    rng = np.random.default_rng(decimals)
    values = np.concatenate([
        rng.normal(0, 1, 300), rng.normal(0, 1e4, 300), rng.uniform(-1, 1, 300) * 10.0 ** -decimals,
        [0.0, -0.0, 0.5, -0.5, 1e-9, -1e-9, 999.995, 1e15, -2.5e15],
    ])
    chars, keep = format_matrix(values, decimals)
    for value, row, row_keep in zip(values, chars, keep):
        assert row[row_keep].tobytes() == format_number(float(value), decimals)


def test_rows_formatted_in_chunks_equal_one_pass():
    count = 100_000  # more rows than one chunk
    rng = np.random.default_rng(5)
    x, y = rng.uniform(-500, 500, count), rng.uniform(0, 9, count)
    mask = rng.uniform(0, 1, count) < 0.3
    parts = [x, b" ", (y, None, 3), (b" m", mask), b"\n"]
    expected = b"".join(
        format_number(float(a), 2) + b" " + format_number(float(b), 3) + (b" m" if m else b"") + b"\n"
        for a, b, m in zip(x, y, mask)
    )
    assert format_rows(parts, count, 2) == expected


@pytest.mark.parametrize("decimals", [0, 2, 4, 6])
def test_small_number_writer_matches_the_bulk_one(decimals):
    rng = np.random.default_rng(decimals)
    values = np.concatenate([
        rng.normal(0, 1, 200), rng.normal(0, 1e4, 200).round(1), rng.uniform(-1, 1, 200) * 10.0 ** -decimals,
        [0.0, -0.0, 0.5, -0.5, 2.5, 0.015, 999.995, 1e15, -2.5e15, 2.0**51 / 10**decimals],
    ])
    assert b" ".join(small_numbers(values, decimals)) == format_array(values, decimals)
    with pytest.raises(NumberError):
        small_numbers([1.0, float("nan")], decimals)


def test_few_rows_are_written_as_many_rows_are():
    rng = np.random.default_rng(3)
    for count in range(1, SMALL_ROWS + 1):
        x, y = rng.uniform(-500, 500, count), rng.uniform(0, 9, count)
        mask = rng.uniform(0, 1, count) < 0.5
        parts = [(x, mask, 3), (b" rg ", mask), b"q 1 0 0 1 ", x, b" ", (y, None, 1), b" cm /M0 Do Q\n"]
        assert rows_text(parts, count, 2) == format_rows(parts, count, 2)


def _random_path(rng, length):
    codes = [Path.MOVETO]
    while len(codes) < length:
        kind = rng.choice([Path.MOVETO, Path.LINETO, Path.LINETO, Path.CURVE3, Path.CURVE4, Path.CLOSEPOLY])
        codes += [kind] * {Path.CURVE3: 2, Path.CURVE4: 3}.get(kind, 1)
    vertices = rng.uniform(-50, 50, (len(codes), 2)).round(int(rng.integers(0, 5)))
    broken = rng.uniform(0, 1, len(codes)) < 0.15
    vertices[broken, rng.integers(0, 2)] = rng.choice([np.nan, np.inf])
    return Path(vertices, np.array(codes, dtype=np.uint8))


def test_short_paths_are_written_as_long_paths_are(monkeypatch):
    # Short paths take a Python loop; the same path through the array pass must give the same bytes
    # (moves, lines, quadratics raised to cubics, cubics, closes, and gaps at NaN and infinity).
    rng = np.random.default_rng(11)
    paths = [_random_path(rng, int(rng.integers(1, path_module.SMALL_PATH))) for _ in range(1500)]
    places = [int(rng.integers(0, 5)) for _ in paths]
    short = [to_operators(p, d) for p, d in zip(paths, places)]
    monkeypatch.setattr(path_module, "SMALL_PATH", 0)
    assert [to_operators(p, d) for p, d in zip(paths, places)] == short
    assert sum(b"c\n" in ops for ops in short) > 100 and sum(b"h\n" in ops for ops in short) > 100


def test_a_large_content_stream_is_deflated_in_pieces_into_one_valid_stream(tmp_pdf):
    rng = np.random.default_rng(11)
    xy = np.column_stack([np.linspace(0, 200, 300_000), 100 + np.cumsum(rng.normal(0, 0.5, 300_000))])
    checked = write(tmp_pdf, lambda page: page.line(xy, stroke="black", line_width=0.2))
    stream = checked.pdf.pages[0].Contents
    raw, data = stream.read_raw_bytes(), stream.read_bytes()
    assert len(data) > 4 << 20 and stream.Filter == pikepdf.Name.FlateDecode
    assert zlib.decompress(raw) == data  # one zlib stream, checksum included
    assert data.count(b" l\n") == 299_999
    assert len(raw) < len(data) / 3


# The quad-mesh entry point ---------------------------------------------------------------


def test_quad_mesh_fills_each_cell_with_its_colour_in_one_pass(tmp_pdf):
    ys, xs = np.mgrid[0:5, 0:5] * 40.0
    corners = np.stack([xs, ys], axis=2)
    colors = np.zeros((4, 4, 4))
    colors[..., 3] = 1
    colors[::2, ::2, 0] = 1  # red where row and column are both even
    colors[1::2, 1::2, 2] = 1  # blue where both are odd; black elsewhere

    checked = write(tmp_pdf, lambda page: page.quad_mesh(corners, colors))
    data = content_of(checked)
    assert data.count(b" re f\n") == 16
    image = checked.render(0)
    assert_color(pixel(image, 20, 20), RED)
    assert_color(pixel(image, 60, 60), BLUE)
    assert_color(pixel(image, 60, 20), (0, 0, 0))
    assert_color(pixel(image, 140, 140), BLUE)
    assert_color(pixel(image, 180, 180), WHITE)


def test_quad_mesh_on_a_curved_grid_with_gaps_alpha_and_outlines(tmp_pdf):
    u, v = np.meshgrid(np.linspace(0.2, 1.0, 9), np.linspace(0, np.pi / 2, 9))
    corners = np.stack([20 + 170 * u * np.cos(v), 20 + 170 * u * np.sin(v)], axis=2)
    corners[4, 4] = np.nan  # the four quads around this corner are left out
    rgba = np.tile([0.0, 0.0, 1.0, 1.0], (64, 1))
    rgba[:32, 3] = 0.5

    checked = write(tmp_pdf, lambda page: page.quad_mesh(corners, rgba, stroke="red", line_width=0.5))
    data = content_of(checked)
    assert data.count(b"h B\n") == 64 - 4 and b" re " not in data
    assert len(checked.pdf.pages[0].Resources.ExtGState) >= 1  # the half-transparent rows
    image = checked.render(0, dpi=144)
    gap = 20 + 170 * 0.6 * np.array([np.cos(np.pi / 4), np.sin(np.pi / 4)])  # where the NaN corner was
    assert_color(pixel(image, *gap, dpi=144), WHITE, tol=10)
    inner = 20 + 170 * 0.95 * np.array([np.cos(np.pi / 2 * 0.9), np.sin(np.pi / 2 * 0.9)])
    assert_color(pixel(image, *inner, dpi=144), BLUE, tol=40)


def test_quad_mesh_rejects_bad_shapes_and_colours(tmp_pdf):
    path = tmp_pdf("bad")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((100, 100))
        with pytest.raises(pdfwriter.errors.StyleError, match="H\\+1, W\\+1, 2"):
            page.quad_mesh(np.zeros((3, 2)), "red")
        with pytest.raises(pdfwriter.errors.StyleError, match="4 items"):
            page.quad_mesh(np.zeros((3, 3, 2)), ["red", "blue"])
        with pytest.raises(pdfwriter.errors.StyleError, match="fill"):
            page.quad_mesh(np.zeros((3, 3, 2)), "red", fill="blue")
        with pytest.raises(GeometryError, match="colours"):
            page.renderer.draw_quad_mesh(GraphicsContext(), np.zeros((3, 3, 2)), np.full((4, 4), 2.0))
        page.rect(10, 10, 10, 10)
    check_pdf(path)


@pytest.mark.parametrize("points", [
    [(50.0, 60.0)],
    [(50.0, 60.0), (np.nan, 10.0), (-500.0, 20.0), (120.0, 190.0), (199.5, 3.0)],
], ids=["one", "with-gaps-and-off-page"])
def test_a_few_markers_write_the_same_bytes_as_the_array_route(tmp_pdf, points):
    """Up to a few plain markers are culled in Python floats: same content as the numpy route, same pixels."""
    marker = Path.circle(0, 0, 1)
    gc = GraphicsContext(stroke=parse_color("navy"), line_width=1.5)
    fill = parse_color("orange")

    def scene(route):
        def draw(page):
            extra = {} if route == "few" else {"scales": np.ones(len(points))}
            page.renderer.draw_marker_array(gc, marker, [[4, 0, 0], [0, 4, 0]], np.array(points), fill=fill, **extra)
        return draw

    few = content_of(write(tmp_pdf, scene("few"), name="few"))
    bulk = content_of(write(tmp_pdf, scene("bulk"), name="bulk"))
    assert few == bulk
    assert few.count(b" Do Q") == sum(1 for x, y in points if np.isfinite(x) and -4 < x < 204)
    with write(tmp_pdf, scene("few"), name="few-render") as checked:
        assert_color(pixel(checked.render(0, 72), 50, 60), (255, 165, 0), tol=3)
