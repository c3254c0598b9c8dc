"""Drawing through the page API, checked by rendering with pdfium and by reading content streams."""

from __future__ import annotations

import io

import numpy as np
import pikepdf
import pytest
from harness import assert_color, check_pdf, pixel

import pdfwriter
from pdfwriter import Path
from pdfwriter.errors import GeometryError, StyleError
from pdfwriter.graphics.color import parse_color
from pdfwriter.graphics.gstate import GraphicsContext

WHITE, BLACK, RED, BLUE = (255, 255, 255), (0, 0, 0), (255, 0, 0), (0, 0, 255)


def draw(tmp_pdf, size=(200, 200), dpi=72, **options):
    """Decorator-like helper: run a drawing function on one page, return (image, checked pdf)."""

    def run(fn):
        path = tmp_pdf("drawing")
        with pdfwriter.Document(path, **options) as doc:
            fn(doc.add_page(size))
        checked = check_pdf(path)
        return checked.render(0, dpi=dpi), checked

    return run


def content_of(checked) -> bytes:
    return checked.pdf.pages[0].Contents.read_bytes()


# State diff ------------------------------------------------------------------

STATE_OPERATORS = {"g", "G", "rg", "RG", "k", "K", "w", "d", "J", "j", "M", "gs", "cs", "scn"}


def redundant_state_operators(data: bytes) -> list[str]:
    """Replay a content stream and list every state operator that set what was already set."""
    state: dict[str, object] = {}
    stack: list[dict[str, object]] = []
    redundant = []
    scratch = pikepdf.new()
    for operands, operator in pikepdf.parse_content_stream(scratch.make_stream(data)):
        op = str(operator)
        if op == "q":
            stack.append(dict(state))
        elif op == "Q":
            state = stack.pop()
        elif op in STATE_OPERATORS:
            slot = {"g": "fill", "rg": "fill", "k": "fill", "scn": "fill",
                    "G": "stroke", "RG": "stroke", "K": "stroke"}.get(op, op)
            if op in ("g", "rg", "k"):
                state.pop("cs", None)  # a device colour operator also sets the colour space
            value = (op, tuple(str(v) for v in operands))
            if state.get(slot) == value:
                redundant.append(f"{op} {value[1]}")
            state[slot] = value
    return redundant


def test_repeated_and_changing_styles_emit_no_redundant_state(tmp_pdf):
    styles = [
        dict(fill="red"), dict(fill="red"), dict(fill="red", stroke="blue", line_width=2),
        dict(fill="red", stroke="blue", line_width=2), dict(stroke="blue", line_width=2, dash="dashed"),
        dict(stroke="blue", line_width=2, dash="dashed"), dict(fill="#00ff0080"), dict(fill="#00ff0080"),
        dict(fill="green"), dict(stroke="black", cap="round", join="bevel"),
        dict(stroke="black", cap="round", join="bevel"), dict(fill="red", alpha=0.3), dict(fill="red", alpha=0.3),
        dict(fill="red", hatch="x"), dict(fill="red", hatch="x"), dict(fill="blue"),
    ]

    def scene(page):
        for i, style in enumerate(styles * 3):
            page.rect(5 + (i % 10) * 18, 5 + (i // 10) * 18, 15, 15, **style)

    _, checked = draw(tmp_pdf)(scene)
    data = content_of(checked)
    assert redundant_state_operators(data) == []
    # One ExtGState per distinct alpha combination, shared across the page.
    assert len(checked.pdf.pages[0].Resources.ExtGState) == 3


def test_extgstates_and_patterns_are_shared_across_pages(tmp_pdf):
    path = tmp_pdf("shared")
    with pdfwriter.Document(path) as doc:
        for _ in range(5):
            page = doc.add_page((100, 100))
            page.rect(10, 10, 50, 50, fill="red", alpha=0.5, hatch="/")
    with check_pdf(path) as checked:
        gs = {page.Resources.ExtGState.A0.objgen for page in checked.pdf.pages}
        patterns = {page.Resources.Pattern.H0.objgen for page in checked.pdf.pages}
        assert len(gs) == 1 and len(patterns) == 1


# Fills, strokes, dashes, caps, fill rules -------------------------------------


def test_filled_rectangle_colour_and_extent(tmp_pdf):
    image, _ = draw(tmp_pdf)(lambda page: page.rect(50, 40, 80, 30, fill=(0, 0, 1)))
    assert_color(pixel(image, 90, 55), BLUE)
    assert_color(pixel(image, 51, 41), BLUE)
    assert_color(pixel(image, 129, 69), BLUE)
    assert_color(pixel(image, 48, 55), WHITE)
    assert_color(pixel(image, 132, 55), WHITE)
    assert_color(pixel(image, 90, 72), WHITE)
    assert_color(pixel(image, 90, 38), WHITE)


@pytest.mark.parametrize("width", [2, 4, 8])
def test_stroke_width(tmp_pdf, width):
    image, _ = draw(tmp_pdf)(lambda page: page.line(20, 100, 180, 100, line_width=width))
    column = image[:, 100, 0]
    assert (column < 128).sum() == width


def test_dash_gaps(tmp_pdf):
    image, _ = draw(tmp_pdf)(lambda page: page.line(0, 100.5, 200, 100.5, line_width=1, dash=[10, 10]))
    row = image[200 - 101, :, 0] < 128
    # 10 on, 10 off, starting on at x=0.
    for start in range(0, 180, 20):
        assert row[start + 2 : start + 8].all(), start
        assert not row[start + 12 : start + 18].any(), start


def test_line_caps(tmp_pdf):
    def scene(page):
        page.line(50, 150, 150, 150, line_width=20, cap="butt")
        page.line(50, 50, 150, 50, line_width=20, cap="projecting")

    image, _ = draw(tmp_pdf)(scene)
    assert_color(pixel(image, 45, 150), WHITE)
    assert_color(pixel(image, 45, 50), BLACK)
    assert_color(pixel(image, 155, 50), BLACK)
    assert_color(pixel(image, 155, 150), WHITE)


def test_line_joins(tmp_pdf):
    corner = [(40, 40), (100, 160), (160, 40)]

    image, _ = draw(tmp_pdf)(lambda page: page.polygon(corner, closed=False, line_width=16, join="miter"))
    # A miter join extends past the apex; a bevel join would stop short of it.
    assert_color(pixel(image, 100, 172), BLACK)

    image, _ = draw(tmp_pdf)(lambda page: page.polygon(corner, closed=False, line_width=16, join="bevel"))
    assert_color(pixel(image, 100, 172), WHITE)


def test_even_odd_holes(tmp_pdf):
    ring = Path(
        [(20, 20), (180, 20), (180, 180), (20, 180), (0, 0), (60, 60), (140, 60), (140, 140), (60, 140), (0, 0)],
        [1, 2, 2, 2, 79, 1, 2, 2, 2, 79],
    )
    image, _ = draw(tmp_pdf)(lambda page: page.draw_path(ring, fill="black", fill_rule="evenodd"))
    assert_color(pixel(image, 100, 100), WHITE)
    assert_color(pixel(image, 40, 100), BLACK)
    image, _ = draw(tmp_pdf)(lambda page: page.draw_path(ring, fill="black"))
    assert_color(pixel(image, 100, 100), BLACK)


# Clips, transforms, alpha ----------------------------------------------------------


def test_clip_region_and_nested_clips_intersect(tmp_pdf):
    def scene(page):
        with page.clip((20, 20, 100, 100)):
            with page.clip(Path.circle(120, 120, 60)):
                page.rect(0, 0, 200, 200, fill="red")
        page.rect(150, 150, 20, 20, fill="blue")

    image, checked = draw(tmp_pdf)(scene)
    assert_color(pixel(image, 100, 100), RED)  # inside both
    assert_color(pixel(image, 30, 30), WHITE)  # inside the square, outside the circle
    assert_color(pixel(image, 150, 120), WHITE)  # inside the circle, outside the square
    assert_color(pixel(image, 160, 160), BLUE)  # after the clips: unclipped
    data = content_of(checked)
    assert data.count(b"q\n") == data.count(b"Q\n") == 2


def test_transform_context(tmp_pdf):
    def scene(page):
        with page.transform((2, 0, 0, 2, 100, 100)):
            page.rect(0, 0, 20, 10, fill="blue")

    image, _ = draw(tmp_pdf)(scene)
    assert_color(pixel(image, 138, 118), BLUE)
    assert_color(pixel(image, 142, 110), WHITE)


def test_alpha_blending(tmp_pdf):
    def scene(page):
        page.rect(0, 0, 200, 200, fill="blue")
        page.rect(50, 50, 100, 100, fill="red", alpha=0.5)
        page.rect(0, 0, 40, 40, fill="#ff000040")

    image, _ = draw(tmp_pdf)(scene)
    assert_color(pixel(image, 100, 100), (128, 0, 128), tol=3)
    assert_color(pixel(image, 20, 20), (64, 0, 191), tol=3)


def test_blend_mode(tmp_pdf):
    def scene(page):
        page.rect(0, 0, 200, 200, fill=(0.5, 0.5, 0.5))
        page.rect(50, 50, 100, 100, fill=(1, 0.5, 0), blend_mode="Multiply")

    image, _ = draw(tmp_pdf)(scene)
    assert_color(pixel(image, 100, 100), (128, 64, 0), tol=3)


def test_hatch_over_absent_fill_keeps_what_is_beneath(tmp_pdf):
    def scene(page):
        page.rect(0, 0, 200, 200, fill="red")
        page.rect(20, 20, 160, 160, hatch="-", hatch_color="blue", stroke=None)

    image, _ = draw(tmp_pdf)(scene)
    region = image[30:170, 100].astype(int)
    # Between the lines the red shows through; on them (antialiased) blue shows.
    assert (np.abs(region - RED).sum(axis=1) < 10).sum() > 60
    assert (region[:, 2] > 100).sum() > 5


def test_hatch_colour_alpha_is_honoured(tmp_pdf):
    def scene(page):
        page.rect(20, 20, 160, 160, hatch="---", hatch_color=(0, 0, 0, 0.5), hatch_line_width=4, stroke=None)

    image, _ = draw(tmp_pdf)(scene)
    values = image[30:170, 100, 0]
    assert values.min() >= 120 and values.min() <= 135


def test_hatch_over_a_translucent_fill_is_opaque(tmp_pdf):
    def scene(page):
        page.rect(20, 20, 160, 160, fill=(1, 0, 0, 0.5), hatch="-", hatch_color="blue", hatch_line_width=4,
                  stroke=None)

    image, _ = draw(tmp_pdf)(scene)
    assert_color(pixel(image, 100, 54), BLUE, tol=3)  # a line (y = 42 + 12 k): not lightened by the fill alpha
    assert_color(pixel(image, 100, 48), (255, 128, 128), tol=3)  # between lines: the half-transparent red


def _hatched_rect(page, hatch, **context):
    """A hatch (no fill, no stroke) over 20..180 drawn straight through the renderer with a GraphicsContext."""
    gc = GraphicsContext(stroke=None, hatch=hatch, hatch_color=parse_color("black"), **context)
    page.renderer.draw_path(gc, Path.rectangle(20, 20, 160, 160), None, None)


def _dark_rows(image, x):
    """Page y (pt, 72 dpi) of the dark pixels in the column at x."""
    column = image[:, int(x), 0]
    return sorted(image.shape[0] - 1 - np.flatnonzero(column < 128))


def test_hatch_origin_moves_the_cells(tmp_pdf):
    image, _ = draw(tmp_pdf)(lambda page: _hatched_rect(page, "-", hatch_line_width=2))
    moved, checked = draw(tmp_pdf)(lambda page: _hatched_rect(page, "-", hatch_line_width=2, hatch_origin=(0, 3)))
    default_rows, moved_rows = _dark_rows(image, 100), set(_dark_rows(moved, 100))
    # Lines every 12 pt, 3 pt higher; one more line now fits at the bottom of the rectangle.
    shifted = {row + 3 for row in default_rows}
    assert len(default_rows) > 20 and shifted <= moved_rows
    assert moved_rows - shifted == {20, 21}
    pattern = next(iter(checked.pdf.pages[0].Resources.Pattern.values()))
    assert [float(v) for v in pattern.Matrix] == [1, 0, 0, 1, 0, 3]


def test_hatch_patterns_are_shared_per_origin(tmp_pdf):
    def scene(page):
        for origin in [(0, 0), (0, 21.6), (0, 0), (0, 21.6)]:
            _hatched_rect(page, "/", hatch_origin=origin)

    _, checked = draw(tmp_pdf)(scene)
    assert len(checked.pdf.pages[0].Resources.Pattern) == 2


def test_bad_hatch_origin_is_refused(tmp_pdf):
    path = tmp_pdf("bad-origin")
    with pytest.raises(StyleError, match="hatch origin must be"):
        with pdfwriter.Document(path) as doc:
            _hatched_rect(doc.add_page((100, 100)), "/", hatch_origin=(0, float("nan")))


def test_fill_in_hatch_paints_face_and_lines_at_the_face_alpha(tmp_pdf):
    def scene(page):
        page.rect(0, 0, 200, 200, fill="blue")
        gc = GraphicsContext(stroke=None, hatch="-", hatch_color=parse_color("black"), hatch_line_width=4,
                             fill_in_hatch=True)
        page.renderer.draw_path(gc, Path.rectangle(20, 20, 160, 160), None, parse_color((1, 0, 0, 0.5)))

    image, _ = draw(tmp_pdf)(scene)
    # Between the lines: half red over blue. On a line (y = 42 + 12 k), no red: the lines
    # cover the face in the cell and only the page shows through them.
    assert_color(pixel(image, 100, 48), (128, 0, 128), tol=3)
    line = pixel(image, 100, 54)
    assert line[0] < 3 and line[1] < 3 and line[2] < 140
    assert_color(pixel(image, 10, 10), BLUE)


# Markers, collections, meshes -------------------------------------------------


def test_markers_land_where_asked(tmp_pdf):
    points = np.array([(30, 30), (100, 150), (170, 60)], float)

    def scene(page):
        page.markers(points, "s", size=10, fill=["red", "blue", "red"])

    image, checked = draw(tmp_pdf)(scene)
    assert_color(pixel(image, 30, 30), RED)
    assert_color(pixel(image, 100, 150), BLUE)
    assert_color(pixel(image, 170, 60), RED)
    assert_color(pixel(image, 100, 100), WHITE)
    assert_color(pixel(image, 37, 30), WHITE)
    forms = checked.pdf.pages[0].Resources.XObject
    assert len(forms) == 1


def test_markers_with_per_point_stroke_colours(tmp_pdf):
    points = np.array([(40, 100), (100, 100), (160, 100), (160, 40)], float)

    def scene(page):
        page.markers(points, "s", size=30, fill="white", stroke=["red", "blue", "blue", (0, 0.5, 0, 0.5)],
                     line_width=6)

    image, checked = draw(tmp_pdf)(scene)
    assert_color(pixel(image, 40, 100), WHITE)
    assert_color(pixel(image, 40 - 15, 100), RED, tol=3)  # on the left edge of each square
    assert_color(pixel(image, 100 - 15, 100), BLUE, tol=3)
    assert_color(pixel(image, 160 - 15, 100), BLUE, tol=3)
    assert_color(pixel(image, 160 - 15, 40), (128, 191, 128), tol=3)  # half-transparent green over white
    content = content_of(checked)
    assert content.count(b" RG") == 3  # the second blue is not written again


def test_markers_with_per_point_fills_and_strokes_keep_alpha_runs(tmp_pdf):
    points = np.array([(40, 100), (100, 100), (160, 100)], float)
    fills = [(1, 0, 0, 0.5), (1, 0, 0, 0.5), (1, 0, 0, 1)]

    def scene(page):
        page.rect(0, 0, 200, 200, fill="blue")
        page.markers(points, "s", size=30, fill=fills, stroke=["black", "white", "white"], line_width=4)

    image, _ = draw(tmp_pdf)(scene)
    assert_color(pixel(image, 40, 100), (128, 0, 128), tol=3)
    assert_color(pixel(image, 160, 100), RED, tol=3)
    assert_color(pixel(image, 40 - 15, 100), BLACK, tol=3)
    assert_color(pixel(image, 100 - 15, 100), WHITE, tol=3)


def test_matplotlib_scatter_edges_each_marker_in_its_own_colour(tmp_pdf):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1))
    ax = figure.add_axes([0, 0, 1, 1])
    ax.set_axis_off()
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 1)
    ax.scatter([0.5, 1.5], [0.5, 0.5], s=900, marker="s", facecolors="white", edgecolors=["red", "blue"],
               linewidths=4)
    path = tmp_pdf("scatter-edges")
    figure.savefig(path, format="pdf", backend="module://pdfwriter.mpl")
    with check_pdf(path) as checked:
        image = checked.render(0, 72)
        assert b" RG" in content_of(checked) and b" Do" in content_of(checked)  # one form, per-point edges
    # Squares 30 pt wide centred at (36, 36) and (108, 36): left edges at x = 21 and 93.
    assert_color(pixel(image, 21, 36), RED, tol=3)
    assert_color(pixel(image, 93, 36), BLUE, tol=3)
    assert_color(pixel(image, 36, 36), WHITE)


def test_marker_sizes_and_shapes(tmp_pdf):
    def scene(page):
        page.markers([(50, 100), (150, 100)], "o", size=[10, 40], fill="black")

    image, _ = draw(tmp_pdf)(scene)
    assert_color(pixel(image, 50, 100), BLACK)
    assert_color(pixel(image, 50, 108), WHITE)
    assert_color(pixel(image, 150, 117), BLACK)
    assert_color(pixel(image, 150, 123), WHITE)


def test_markers_off_page_or_outside_a_clip_are_not_written(tmp_pdf):
    rng = np.random.default_rng(1)
    outside = rng.uniform(300, 900, (20_000, 2))
    inside = np.array([(100, 100), (50, 50)], float)

    def scene(page):
        page.markers(np.vstack([outside, inside]), "o", size=6, fill="red")
        with page.clip((0, 0, 60, 60)):
            page.markers(np.vstack([inside, inside + 1]), "o", size=6, fill="blue")

    _, checked = draw(tmp_pdf)(scene)
    data = content_of(checked)
    assert data.count(b" Do ") == 2 + 2
    assert len(data) < 1000


@pytest.mark.parametrize("size", [1e-9, 1e6])
def test_extreme_marker_sizes_draw_quickly(tmp_pdf, size):
    image, _ = draw(tmp_pdf)(lambda page: page.markers([(100, 100)] * 1000, "o", size=size, fill="red"))
    if size > 1:
        assert_color(pixel(image, 10, 10), RED)


def test_path_collection_with_per_item_fills(tmp_pdf):
    square = Path.rectangle(0, 0, 20, 20)
    offsets = np.array([(10, 10), (50, 10), (90, 10)], float)
    fills = np.array([(1, 0, 0, 1), (0, 0, 1, 1), (1, 0, 0, 1)], float)

    def scene(page):
        from pdfwriter.graphics.gstate import GraphicsContext

        page.renderer.draw_path_collection(
            GraphicsContext(stroke=None), [square], offsets=offsets, fills=fills
        )

    image, _ = draw(tmp_pdf)(scene)
    assert_color(pixel(image, 20, 20), RED)
    assert_color(pixel(image, 60, 20), BLUE)
    assert_color(pixel(image, 100, 20), RED)
    assert_color(pixel(image, 40, 20), WHITE)


def test_gouraud_triangle_vertex_colours_and_interpolation(tmp_pdf):
    points = np.array([[(20, 20), (180, 20), (100, 180)]], float)
    colors = np.array([[(1, 0, 0), (0, 1, 0), (0, 0, 1)]], float)
    image, _ = draw(tmp_pdf)(lambda page: page.gouraud_triangles(points, colors))
    assert_color(pixel(image, 26, 23), (245, 8, 4), tol=20)
    assert_color(pixel(image, 174, 23), (8, 245, 4), tol=20)
    assert_color(pixel(image, 100, 170), (4, 8, 245), tol=20)
    assert_color(pixel(image, 100, 73), (85, 85, 85), tol=12)


def test_gouraud_per_vertex_alpha(tmp_pdf):
    points = np.array([[(0, 0), (200, 0), (0, 200)], [(200, 0), (200, 200), (0, 200)]], float)
    colors = np.zeros((2, 3, 4))
    colors[..., 0] = 1
    colors[0, :, 3] = [1, 0, 1]
    colors[1, :, 3] = [0, 0, 1]

    def scene(page):
        page.rect(0, 0, 200, 200, fill="blue")
        page.gouraud_triangles(points, colors)

    image, _ = draw(tmp_pdf)(scene)
    assert_color(pixel(image, 4, 4), (250, 0, 5), tol=15)
    assert_color(pixel(image, 196, 6), (5, 0, 250), tol=15)


def test_gouraud_alpha_is_the_colours_own_not_a_translucent_fill_before_it(tmp_pdf):
    """A half-transparent rectangle, then a green triangle at alpha 0.4 over white: 40% green,
    not 20% (the rectangle's alpha must not stay set for the shading)."""
    points = np.array([[(0, 0), (200, 0), (0, 200)]], float)
    colors = np.zeros((1, 3, 4))
    colors[..., 1] = 1
    colors[..., 3] = 0.4

    def scene(page):
        page.rect(150, 150, 50, 50, fill=(0, 0, 1, 0.5))
        page.gouraud_triangles(points, colors)

    image, checked = draw(tmp_pdf)(scene)
    assert_color(pixel(image, 20, 20), (153, 255, 153), tol=6)  # white under 40% green
    assert b"/G" not in content_of(checked)  # one alpha for every vertex: no soft mask


def test_quad_mesh_outlines_open_or_closed(tmp_pdf):
    """closed=False strokes each quad from its first corner round to it again, without closepath (the
    line ends there get caps, as in matplotlib's pcolormesh edges); closed (the default) closes it."""
    corners = np.array([[(20, 20), (100, 30)], [(30, 120), (110, 110)]], float)
    gc = GraphicsContext(stroke=parse_color("black"), line_width=4)
    contents = {}
    for closed in (True, False):
        def scene(page):
            page.renderer.draw_quad_mesh(gc, corners, [[1, 0, 0, 1]], closed=closed)

        _, checked = draw(tmp_pdf)(scene)
        contents[closed] = content_of(checked)
    assert b" h " in contents[True] or b"h\n" in contents[True]
    assert b"h" not in contents[False].split(b"m", 1)[1].split(b"B")[0]
    assert contents[False].count(b" l") == 4 and b"20 20 l" in contents[False]


# Errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "style, message",
    [
        (dict(fill="reddish"), "fill"),
        (dict(stroke=(1, 2, 3)), "stroke"),
        (dict(fil="red"), "did you mean 'fill'"),
        (dict(line_width=-1), "line_width"),
        (dict(dash="wiggly"), "dash"),
        (dict(cap="flat"), "cap"),
        (dict(hatch="?"), "hatch"),
        (dict(alpha=2), "alpha"),
        (dict(blend_mode="Dissolve"), "blend_mode"),
    ],
)
def test_bad_styles_are_named_in_the_error(style, message):
    doc = pdfwriter.Document(io.BytesIO())
    page = doc.add_page()
    with pytest.raises(StyleError, match=message):
        page.rect(0, 0, 10, 10, **style)
    doc.abort()


def test_bad_geometry_is_rejected():
    doc = pdfwriter.Document(io.BytesIO())
    page = doc.add_page()
    with pytest.raises(GeometryError):
        page.polygon([[1, 2, 3]])
    with pytest.raises(StyleError, match="singular"):
        with page.transform((0, 0, 0, 0, 0, 0)):
            pass
    with pytest.raises(StyleError, match="marker"):
        page.markers([(1, 2)], "?")
    doc.abort()


def test_nan_splits_a_line_and_empty_paths_draw_nothing(tmp_pdf):
    xy = np.array([(10, 100), (90, 100), (np.nan, np.nan), (110, 100), (190, 100)], float)

    def scene(page):
        page.line(xy, line_width=4)
        page.draw_path(Path(np.zeros((0, 2))), fill="red")

    image, checked = draw(tmp_pdf)(scene)
    assert_color(pixel(image, 50, 100), BLACK)
    assert_color(pixel(image, 100, 100), WHITE)
    assert_color(pixel(image, 150, 100), BLACK)
    assert b"re" not in content_of(checked) and b"f\n" not in content_of(checked)


# Gradients and meshes -----------------------------------------------------------------


def test_linear_gradient_fill_hits_its_stops(tmp_pdf):
    gradient = pdfwriter.LinearGradient((20, 0), (180, 0), [(0, "red"), (0.5, "yellow"), (1, "blue")])
    image, _ = draw(tmp_pdf)(lambda page: page.rect(20, 20, 160, 60, fill=gradient))
    assert_color(pixel(image, 21, 50), RED, tol=12)
    assert_color(pixel(image, 100, 50), (255, 255, 0), tol=8)
    assert_color(pixel(image, 179, 50), BLUE, tol=12)
    assert_color(pixel(image, 100, 90), WHITE)  # the fill stays inside the path


def test_radial_gradient_with_translucent_stop(tmp_pdf):
    gradient = pdfwriter.RadialGradient((100, 100), 0, (100, 100), 80, [(0, "red"), (1, (1, 0, 0, 0))])

    def scene(page):
        page.rect(0, 0, 200, 200, fill="blue")
        page.rect(0, 0, 200, 200, fill=gradient)

    image, _ = draw(tmp_pdf)(scene)
    assert_color(pixel(image, 100, 100), RED, tol=8)
    assert_color(pixel(image, 100, 140), (128, 0, 128), tol=12)
    assert_color(pixel(image, 100, 195), BLUE, tol=8)


def test_gradient_after_a_translucent_fill_is_opaque(tmp_pdf):
    gradient = pdfwriter.LinearGradient((20, 0), (180, 0), [(0, "red"), (1, "red")])

    def scene(page):
        page.rect(0, 0, 200, 200, fill="blue")
        page.rect(0, 0, 10, 10, fill=(0, 1, 0, 0.3))
        page.rect(20, 20, 160, 160, fill=gradient)

    image, _ = draw(tmp_pdf)(scene)
    assert_color(pixel(image, 100, 100), RED, tol=3)


def quad_mesh(n: int, lo: float, hi: float) -> list[Path]:
    edges = np.linspace(lo, hi, n + 1)
    return [
        Path([(edges[i], edges[j]), (edges[i + 1], edges[j]), (edges[i + 1], edges[j + 1]), (edges[i], edges[j + 1]), (0, 0)],
             [1, 2, 2, 2, 79])
        for i in range(n) for j in range(n)
    ]


def test_adjacent_mesh_quads_show_no_seams(tmp_pdf):
    from pdfwriter.graphics.gstate import GraphicsContext

    quads = quad_mesh(37, 10.3, 190.7)
    fills = np.tile([0.1, 0.2, 0.7, 1.0], (len(quads), 1))
    fills[::2, 0] = 0.1001  # neighbours differ, so each quad is painted on its own

    def scene(page):
        page.renderer.draw_path_collection(GraphicsContext(stroke=None), quads, fills=fills)

    image, checked = draw(tmp_pdf)(scene)
    inner = image[15:185, 15:185].astype(int)
    assert np.abs(inner - inner[5, 5]).max() <= 2
    if checked.text_poppler(0) is not None:  # poppler is installed: check its rendering too
        import subprocess

        out = subprocess.run(["pdftoppm", "-r", "72", "-png", str(checked.path)], capture_output=True).stdout
        from PIL import Image

        poppler = np.asarray(Image.open(io.BytesIO(out)).convert("RGB")).astype(int)[15:185, 15:185]
        assert np.abs(poppler - poppler[5, 5]).max() <= 2


def test_mesh_collection_is_written_in_bulk_and_culled(tmp_pdf):
    from pdfwriter.graphics.gstate import GraphicsContext

    quads = quad_mesh(20, -300, 300)
    rng = np.random.default_rng(2)
    fills = np.column_stack([rng.uniform(0, 1, (len(quads), 3)), np.ones(len(quads))])

    def scene(page):
        page.renderer.draw_path_collection(GraphicsContext(stroke=None), quads, fills=fills)

    image, checked = draw(tmp_pdf)(scene)
    data = content_of(checked)
    # Only the quads that reach the 200x200 page are written (7x7 of the 20x20 grid).
    assert data.count(b" f\n") + data.startswith(b"f") == 49
    assert redundant_state_operators(data) == []
