"""Hatch patterns and shadings, checked on pdfium renders: spacing, direction, seams, alpha, gradients, meshes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pikepdf
import pytest
from harness import assert_color, check_pdf, pixel

import pdfwriter
from pdfwriter.document import Document, Page
from pdfwriter.errors import StyleError
from pdfwriter.graphics.color import fill_operator, parse_color
from pdfwriter.pdf.objects import Name, Stream, serialize
from pdfwriter.resources.hatch import HATCH_CHARACTERS, hatch_pattern
from pdfwriter.resources.shading import gouraud_shading, linear_gradient, radial_gradient

DPI = 288
SCALE = DPI / 72
SIDE = 216  # page side in points; hatched squares cover 36..180
NAN = float("nan")
Draw = Callable[[Document, Page], None]


def render(tmp_pdf: Callable[[str], Path], draw: Draw, name: str) -> np.ndarray:
    """Write a SIDE x SIDE page drawn by `draw`, check it, and render it at DPI."""
    path = tmp_pdf(name)
    with pdfwriter.Document(path) as doc:
        draw(doc, doc.add_page((SIDE, SIDE)))
    with check_pdf(path) as checked:
        return checked.render(0, DPI)


def hatched(tmp_pdf: Callable[[str], Path], hatch: str, *, page_color: Any = None, **kwargs: Any) -> np.ndarray:
    """Render a 144 pt square at (36, 36) filled with a hatch pattern, over an optional page colour."""

    def draw(doc: Document, page: Page) -> None:
        if page_color is not None:
            page.content.raw(fill_operator(parse_color(page_color)) + b"\n0 0 %d %d re\nf\n" % (SIDE, SIDE))
        kwargs.setdefault("color", "black")
        page.add_resource("Pattern", "P0", doc.writer.add(hatch_pattern(hatch, **kwargs)))
        page.content.raw(b"/Pattern cs /P0 scn\n36 36 144 144 re\nf\n")

    return render(tmp_pdf, draw, "hatch")


def scan(image: np.ndarray, along: str, at: float) -> np.ndarray:
    """Darkness (lowest channel) along a page row (at = y) or column (at = x); index i is at (i + 1/2) / SCALE pt."""
    if along == "row":
        return image[image.shape[0] - 1 - int(at * SCALE)].min(axis=1)
    return image[:, int(at * SCALE)].min(axis=1)[::-1]


def runs(values: np.ndarray, lo: float, hi: float, threshold: int = 128) -> tuple[np.ndarray, np.ndarray]:
    """Centres and widths (pt) of the dark runs of a scan between lo and hi (pt)."""
    first, last = int(np.ceil(lo * SCALE)), int(np.floor(hi * SCALE))
    dark = np.concatenate([[False], values[first:last] < threshold, [False]])
    edges = np.flatnonzero(np.diff(dark.astype(np.int8)))
    starts, ends = edges[0::2], edges[1::2]
    return (first + (starts + ends) / 2) / SCALE, (ends - starts) / SCALE


def steps(start: float, step: float, count: int) -> list[float]:
    """start, start + step, ... (count values)."""
    return [start + step * k for k in range(count)]


# Hatch geometry ---------------------------------------------------------------
# Pattern space is the page's default space: cell corners at multiples of 72 pt.
# Lines: n = 6 per character per cell; '-' at y = (i + 1/2) 72 / n, '/' on x - y = k 144 / n.


@pytest.mark.parametrize(
    "hatch, along, at, expected",
    [
        ("-", "column", 100, steps(42, 12, 12)),
        ("-", "column", 72, steps(42, 12, 12)),
        ("--", "column", 100, steps(39, 6, 24)),
        ("|", "row", 100, steps(42, 12, 12)),
        ("|", "row", 144, steps(42, 12, 12)),
        ("||", "row", 100, steps(39, 6, 24)),
        ("+", "column", 48, steps(42, 12, 12)),
        ("+", "row", 48, steps(42, 12, 12)),
        ("-|", "row", 48, steps(42, 12, 12)),
        ("+-", "column", 45, steps(39, 6, 24)),
        ("/", "row", 42, steps(42, 24, 6)),
        ("/", "row", 54, steps(54, 24, 6)),
        ("/", "row", 72, steps(48, 24, 6)),
        ("\\", "row", 42, steps(54, 24, 6)),
        ("\\", "row", 54, steps(42, 24, 6)),
        ("//", "row", 42, steps(42, 12, 12)),
        ("x", "row", 42, steps(42, 12, 12)),
        ("/x", "row", 45, sorted(steps(45, 12, 12) + steps(51, 24, 6))),
    ],
)
def test_hatch_lines_spacing_and_direction(
    tmp_pdf: Callable[[str], Path], hatch: str, along: str, at: float, expected: list[float]
) -> None:
    image = hatched(tmp_pdf, hatch)
    centres, widths = runs(scan(image, along, at), 36, 180)
    np.testing.assert_allclose(centres, expected, atol=0.5)
    # Every line is whole, including across cell edges (x or y = 72, 144): no seam.
    diagonal = hatch.strip("-|+") != ""
    assert widths == pytest.approx(np.sqrt(2) if diagonal else 1.0, abs=0.5)


@pytest.mark.parametrize(
    "hatch, y, expected, rings",
    [
        (".", 60, steps(42, 12, 12), False),
        ("..", 66, steps(39, 6, 24), False),
        ("*", 60, steps(42, 12, 12), False),
        ("**", 66, steps(39, 6, 24), False),
        ("o", 60, steps(42, 12, 12), True),
        ("oo", 66, steps(39, 6, 24), True),
        ("O", 60, steps(42, 12, 12), True),
        ("OO", 66, steps(39, 6, 24), True),
    ],
)
def test_hatch_shapes_spacing(
    tmp_pdf: Callable[[str], Path], hatch: str, y: float, expected: list[float], rings: bool
) -> None:
    # Shapes stand in rows every 72 / n pt; this odd row is shifted by half a step.
    centres, _ = runs(scan(hatched(tmp_pdf, hatch), "row", y), 36, 180)
    if rings:
        # A ring is crossed twice, with its light hole between.
        assert len(centres) == 2 * len(expected)
        centres = (centres[0::2] + centres[1::2]) / 2
    np.testing.assert_allclose(centres, expected, atol=0.5)


@pytest.mark.parametrize("hatch, radius", [(".", 0.1 * 12 + 0.5), ("O", 0.35 * 12 + 0.5), ("*", None)])
def test_hatch_shapes_are_whole_across_cell_edges(
    tmp_pdf: Callable[[str], Path], hatch: str, radius: float | None
) -> None:
    # Even rows have shapes on the cell edges x = 72 and 144: each cell draws its half.
    centres, widths = runs(scan(hatched(tmp_pdf, hatch), "row", 48), 41, 175)
    if hatch == "O":
        centres, widths = (centres[0::2] + centres[1::2]) / 2, centres[1::2] - centres[0::2] + widths[1::2]
    np.testing.assert_allclose(centres, steps(48, 12, 11), atol=0.5)
    assert np.ptp(widths) <= 0.5
    if radius is not None:
        assert widths == pytest.approx(2 * radius, abs=0.5)


def test_x_is_X_and_repeats_add_up() -> None:
    assert HATCH_CHARACTERS == "/\\|-+xXoO.*"
    assert hatch_pattern("x", color="k").data == hatch_pattern("X", color="k").data
    assert hatch_pattern("+", color="k").data == hatch_pattern("-|", color="k").data
    assert hatch_pattern("x", color="k").data.count(b" m ") == hatch_pattern("/\\", color="k").data.count(b" m ")


# Hatch colour, background and alpha ----------------------------------------------


def test_hatch_without_background_shows_the_page_between_lines(tmp_pdf: Callable[[str], Path]) -> None:
    image = hatched(tmp_pdf, "-", page_color="red")
    assert_color(pixel(image, 100, 48, DPI), (255, 0, 0))
    assert_color(pixel(image, 100, 42, DPI), (0, 0, 0))
    assert_color(pixel(image, 20, 20, DPI), (255, 0, 0))


def test_hatch_background_and_colour(tmp_pdf: Callable[[str], Path]) -> None:
    image = hatched(tmp_pdf, "-", page_color="red", color="blue", background="yellow")
    assert_color(pixel(image, 100, 48, DPI), (255, 255, 0))
    assert_color(pixel(image, 100, 42, DPI), (0, 0, 255))


def test_hatch_alpha_blends_once(tmp_pdf: Callable[[str], Path]) -> None:
    image = hatched(tmp_pdf, "+", color=(0, 0, 0, 0.5))
    assert_color(pixel(image, 100, 42, DPI), (128, 128, 128), tol=3)
    # Where the lines cross, one stroke operation: still half, not three quarters, dark.
    assert_color(pixel(image, 42, 42, DPI), (128, 128, 128), tol=3)
    assert_color(pixel(image, 48, 48, DPI), (255, 255, 255))


def test_hatch_and_background_alpha(tmp_pdf: Callable[[str], Path]) -> None:
    image = hatched(tmp_pdf, "-", color="red", background=("blue", 0.5))
    assert_color(pixel(image, 100, 48, DPI), (128, 128, 255), tol=3)
    assert_color(pixel(image, 100, 42, DPI), (255, 0, 0))
    stream = hatch_pattern("-", color="red", background=("blue", 0.5))
    states = stream.dictionary["Resources"]["ExtGState"]
    assert states == {"A0": {"Type": Name("ExtGState"), "CA": 0.5, "ca": 0.5},
                      "A1": {"Type": Name("ExtGState"), "CA": 1.0, "ca": 1.0}}  # fmt: skip


def test_hatch_shape_alpha(tmp_pdf: Callable[[str], Path]) -> None:
    # Dots are filled and outlined in one fill: the body and its rim blend once.
    image = hatched(tmp_pdf, ".", color=(0, 0, 0, 0.5))
    values = scan(image, "row", 60)[int(41 * SCALE) : int(43 * SCALE)]
    assert int(values.min()) == pytest.approx(128, abs=3)


def test_hatch_line_width_and_size(tmp_pdf: Callable[[str], Path]) -> None:
    _, widths = runs(scan(hatched(tmp_pdf, "-", line_width=3), "column", 100), 36, 180)
    assert widths == pytest.approx(3, abs=0.5)
    centres, _ = runs(scan(hatched(tmp_pdf, "-", size=36), "column", 100), 36, 180)
    np.testing.assert_allclose(centres, steps(39, 6, 24), atol=0.5)


def test_hatch_cmyk_colour(tmp_pdf: Callable[[str], Path]) -> None:
    image = hatched(tmp_pdf, "|", color=("cmyk", 0, 0, 0, 1))
    assert max(pixel(image, 42, 100, DPI)) < 60
    assert b"0 0 0 1 K" in hatch_pattern("|", color=("cmyk", 0, 0, 0, 1)).data


def test_hatch_pattern_dictionary_round_trips(tmp_pdf: Callable[[str], Path]) -> None:
    stream = hatch_pattern("/o", color=("red", 0.25), size=50)
    path = tmp_pdf("pattern")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((100, 100))
        page.add_resource("Pattern", "P0", doc.writer.add(stream))
        page.content.raw(b"/Pattern cs /P0 scn\n0 0 100 100 re\nf\n")
    with check_pdf(path) as checked:
        pattern = checked.pdf.pages[0].Resources.Pattern.P0
        assert (pattern.PatternType, pattern.PaintType, pattern.TilingType) == (1, 1, 1)
        assert [float(v) for v in pattern.BBox] == [0, 0, 50, 50]
        assert (float(pattern.XStep), float(pattern.YStep)) == (50, 50)
        assert "/Matrix" not in pattern
        assert float(pattern.Resources.ExtGState.A0.ca) == 0.25
        assert pattern.read_bytes() == stream.data


def test_hatch_is_deterministic() -> None:
    first = hatch_pattern("xo*.", color="C1", line_width=0.7, background="0.9")
    second = hatch_pattern("xo*.", color="C1", line_width=0.7, background="0.9")
    assert first.data == second.data
    assert serialize(first.dictionary) == serialize(second.dictionary)


@pytest.mark.parametrize(
    "hatch, kwargs, message",
    [
        ("/a", {}, r"unknown character\(s\) 'a': use / \\ \| - \+ x X o O \. \*"),
        ("", {}, r"non-empty string"),
        (None, {}, r"non-empty string"),
        ("/", {"color": None}, r"hatch color cannot be None"),
        ("/", {"color": "nope"}, r"hatch color 'nope' is not a colour"),
        ("/", {"background": (2, 0, 0)}, r"hatch background \(2, 0, 0\) is not a colour"),
        ("/", {"line_width": -1}, r"line_width must be a finite number >= 0"),
        ("/", {"line_width": NAN}, r"line_width must be a finite number >= 0"),
        ("/", {"size": 0}, r"size must be a finite number > 0"),
        ("/", {"size": "big"}, r"size must be a number"),
    ],
)
def test_hatch_errors(hatch: Any, kwargs: dict[str, Any], message: str) -> None:
    kwargs.setdefault("color", "black")
    with pytest.raises(StyleError, match=message):
        hatch_pattern(hatch, **kwargs)


# Gradients -------------------------------------------------------------------------


def soft_mask(doc: Document, page: Page, alpha_shading: dict[str, Any] | Stream, name: str = "M0") -> str:
    """Name an ExtGState whose luminosity soft mask paints the alpha shading (the documented recipe)."""
    group = Stream(
        b"/A sh\n",
        {
            "Type": Name("XObject"),
            "Subtype": Name("Form"),
            "BBox": [0, 0, SIDE, SIDE],
            "Group": {"S": Name("Transparency"), "CS": Name("DeviceGray")},
            "Resources": {"Shading": {"A": doc.writer.add(alpha_shading)}},
        },
    )
    mask = {"Type": Name("Mask"), "S": Name("Luminosity"), "G": doc.writer.add(group)}
    return page.add_resource("ExtGState", name, doc.writer.add({"Type": Name("ExtGState"), "SMask": mask}))


def shaded(tmp_pdf: Callable[[str], Path], shading: Any, alpha_shading: Any = None) -> np.ndarray:
    """Render a page painted with a shading (through the alpha shading's soft mask, if any)."""

    def draw(doc: Document, page: Page) -> None:
        page.add_resource("Shading", "Sh0", doc.writer.add(shading))
        if alpha_shading is None:
            page.content.raw(b"/Sh0 sh\n")
        else:
            page.content.raw(b"q /" + soft_mask(doc, page, alpha_shading).encode() + b" gs /Sh0 sh\nQ\n")

    return render(tmp_pdf, draw, "shading")


def mix(a: Sequence[float], b: Sequence[float], t: float) -> tuple[float, ...]:
    """Linear interpolation between two colours."""
    return tuple(x + (y - x) * t for x, y in zip(a, b))


RED, LIME, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)


def test_linear_gradient_two_stops(tmp_pdf: Callable[[str], Path]) -> None:
    gradient = linear_gradient((36, 100), (180, 100), [(0, "red"), (1, "blue")])
    assert gradient.alpha_shading is None
    function = gradient.shading["Function"]
    assert (function["FunctionType"], function["N"], function["C0"], function["C1"]) == (2, 1, [1, 0, 0], [0, 0, 1])
    image = shaded(tmp_pdf, gradient.shading)
    for t in (0.05, 0.25, 0.5, 0.75, 0.95):
        assert_color(pixel(image, 36 + 144 * t, 100, DPI), mix(RED, BLUE, t), tol=4)
    assert_color(pixel(image, 10, 20, DPI), RED)
    assert_color(pixel(image, 206, 200, DPI), BLUE)


def test_linear_gradient_without_extend(tmp_pdf: Callable[[str], Path]) -> None:
    gradient = linear_gradient((36, 100), (180, 100), [(0, "red"), (1, "blue")], extend=(False, False))
    image = shaded(tmp_pdf, gradient.shading)
    assert_color(pixel(image, 10, 100, DPI), WHITE)
    assert_color(pixel(image, 206, 100, DPI), WHITE)
    assert_color(pixel(image, 40, 100, DPI), mix(RED, BLUE, 4 / 144), tol=4)


def test_linear_gradient_three_stops(tmp_pdf: Callable[[str], Path]) -> None:
    gradient = linear_gradient((36, 0), (180, 0), [(0, "red"), (0.5, "lime"), (1, "blue")])
    function = gradient.shading["Function"]
    assert function["FunctionType"] == 3
    assert function["Bounds"] == [0.5]
    assert function["Encode"] == [0, 1, 0, 1]
    image = shaded(tmp_pdf, gradient.shading)
    assert_color(pixel(image, 108, 50, DPI), LIME, tol=4)
    assert_color(pixel(image, 36 + 144 * 0.25, 50, DPI), mix(RED, LIME, 0.5), tol=4)
    assert_color(pixel(image, 36 + 144 * 0.75, 50, DPI), mix(LIME, BLUE, 0.5), tol=4)


def test_gradient_stops_inside_and_hard_edges(tmp_pdf: Callable[[str], Path]) -> None:
    # Colour holds before the first and after the last stop; equal offsets make a hard edge.
    stops = [(0.25, "red"), (0.5, "red"), (0.5, "blue"), (0.75, "lime")]
    gradient = linear_gradient((0, 0), (SIDE, 0), stops)
    assert gradient.shading["Function"]["Bounds"] == [0.25, 0.5, 0.75]
    image = shaded(tmp_pdf, gradient.shading)
    assert_color(pixel(image, SIDE * 0.1, 50, DPI), RED, tol=4)
    assert_color(pixel(image, SIDE * 0.49, 50, DPI), RED, tol=4)
    assert_color(pixel(image, SIDE * 0.51, 50, DPI), BLUE, tol=8)
    assert_color(pixel(image, SIDE * 0.625, 50, DPI), mix(BLUE, LIME, 0.5), tol=4)
    assert_color(pixel(image, SIDE * 0.9, 50, DPI), LIME, tol=4)


def test_radial_gradient(tmp_pdf: Callable[[str], Path]) -> None:
    gradient = radial_gradient((108, 108), 0, (108, 108), 72, [(0, "white"), (1, "lime")], extend=(False, False))
    assert gradient.shading["ShadingType"] == 3
    assert gradient.shading["Coords"] == [108, 108, 0, 108, 108, 72]
    image = shaded(tmp_pdf, gradient.shading)
    assert_color(pixel(image, 108, 108, DPI), WHITE, tol=4)
    assert_color(pixel(image, 108 + 36, 108, DPI), mix(WHITE, LIME, 0.5), tol=4)
    assert_color(pixel(image, 108, 108 - 68, DPI), mix(WHITE, LIME, 68 / 72), tol=4)
    assert_color(pixel(image, 108 + 80, 108, DPI), WHITE)
    extended = radial_gradient((108, 108), 0, (108, 108), 72, [(0, "white"), (1, "lime")])
    assert_color(pixel(shaded(tmp_pdf, extended.shading), 108 + 80, 108, DPI), LIME, tol=4)


def test_gradient_alpha_as_soft_mask(tmp_pdf: Callable[[str], Path]) -> None:
    gradient = linear_gradient((36, 0), (180, 0), [(0, "red"), (1, ("red", 0))])
    alpha = gradient.alpha_shading
    assert alpha is not None and alpha["ColorSpace"] == Name("DeviceGray")
    assert (alpha["Function"]["C0"], alpha["Function"]["C1"]) == ([1.0], [0.0])
    assert alpha["Coords"] == gradient.shading["Coords"]
    image = shaded(tmp_pdf, gradient.shading, alpha)
    for t in (0.1, 0.5, 0.9):
        assert_color(pixel(image, 36 + 144 * t, 50, DPI), mix(RED, WHITE, t), tol=5)


def test_gradient_dictionaries_round_trip(tmp_pdf: Callable[[str], Path]) -> None:
    gradient = linear_gradient((1.5, 2), (30, 40.25), [(0, "#336699"), (0.3, "gray"), (1, "C1")], extend=(True, False))
    path = tmp_pdf("gradient")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((100, 100))
        page.add_resource("Shading", "Sh0", doc.writer.add(gradient.shading))
        page.content.raw(b"/Sh0 sh\n")
    with check_pdf(path) as checked:
        shading = checked.pdf.pages[0].Resources.Shading.Sh0
        assert shading.ShadingType == 2 and shading.ColorSpace == "/DeviceRGB"
        assert [float(v) for v in shading.Coords] == [1.5, 2, 30, 40.25]
        assert [bool(v) for v in shading.Extend] == [True, False]
        pieces = shading.Function.Functions
        assert [float(v) for v in pieces[0].C0] == pytest.approx([0.2, 0.4, 0.6])
        assert [float(v) for v in shading.Function.Bounds] == [0.3]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: linear_gradient((0, 0), (1, 0), []), r"at least one"),
        (
            lambda: linear_gradient((0, 0), (1, 0), [(0.5, "red"), (0.2, "blue")]),
            r"must not decrease: stop 1 has 0.2 after 0.5",
        ),
        (
            lambda: linear_gradient((0, 0), (1, 0), [(0, "red"), (1.5, "blue")]),
            r"stop 1 offset must be between 0 and 1",
        ),
        (lambda: linear_gradient((0, 0), (1, 0), [(NAN, "red")]), r"stop 0 offset must be finite"),
        (lambda: linear_gradient((0, 0), (1, 0), [(0, "redd")]), r"stop 0 colour 'redd' is not a colour"),
        (lambda: linear_gradient((0, 0), (1, 0), [(0, None)]), r"stop 0 colour cannot be None"),
        (lambda: linear_gradient((0, 0), (1, 0), [(0, "red", 1)]), r"stop 0 must be an \(offset, colour\) pair"),
        (lambda: linear_gradient((0, 0), (1, 0), "red"), r"stop 0 must be an \(offset, colour\) pair"),
        (lambda: linear_gradient((0, 0), (0, 0), [(0, "red")]), r"two different points"),
        (lambda: linear_gradient((0, NAN), (1, 0), [(0, "red")]), r"p0 y must be finite"),
        (lambda: linear_gradient(5, (1, 0), [(0, "red")]), r"p0 must be an \(x, y\) point"),
        (lambda: linear_gradient((0, 0), (1, 0), [(0, "red")], extend=True), r"extend must be a pair"),
        (lambda: radial_gradient((0, 0), -1, (0, 0), 5, [(0, "red")]), r"radii must be >= 0"),
        (lambda: radial_gradient((0, 0), 0, (0, 0), 0, [(0, "red")]), r"not both 0"),
    ],
)
def test_gradient_errors(call: Callable[[], Any], message: str) -> None:
    with pytest.raises(StyleError, match=message):
        call()


def test_one_stop_is_a_solid_colour() -> None:
    function = linear_gradient((0, 0), (1, 0), [(0.5, "red")]).shading["Function"]
    assert function["FunctionType"] == 3
    assert [f["C0"] for f in function["Functions"]] == [[1, 0, 0], [1, 0, 0]]


# Gouraud meshes --------------------------------------------------------------------

TRIANGLE = np.array([[[36.0, 36.0], [180.0, 36.0], [108.0, 180.0]]])
RGB_CORNERS = np.array([[[1.0, 0, 0, 1], [0, 1.0, 0, 1], [0, 0, 1.0, 1]]])


def test_gouraud_triangle_colours(tmp_pdf: Callable[[str], Path]) -> None:
    shading, alpha = gouraud_shading(TRIANGLE, RGB_CORNERS)
    assert alpha is None
    image = shaded(tmp_pdf, shading)
    vertices = TRIANGLE[0]
    centroid = vertices.mean(axis=0)
    assert_color(pixel(image, *centroid, DPI), (85, 85, 85), tol=6)
    for vertex, corner in zip(vertices, RGB_CORNERS[0]):
        near = vertex + 0.1 * (centroid - vertex)  # weights 14/15 for this vertex, 1/30 for the others
        expected = (corner[:3] * (14 / 15) + (1 - corner[:3]) / 30) * 255
        assert_color(pixel(image, *near, DPI), expected, tol=8)
    assert_color(pixel(image, 20, 20, DPI), WHITE)


def test_gouraud_stream_round_trips(tmp_pdf: Callable[[str], Path]) -> None:
    rng = np.random.default_rng(7)
    points = rng.uniform(10, 200, size=(50, 3, 2))
    colors = rng.uniform(0, 1, size=(50, 3, 4))
    colors[..., 3] = 1
    shading, alpha = gouraud_shading(points, colors)
    assert alpha is None
    path = tmp_pdf("mesh")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((SIDE, SIDE))
        page.add_resource("Shading", "Sh0", doc.writer.add(shading))
        page.content.raw(b"/Sh0 sh\n")
    with check_pdf(path) as checked:
        stream = checked.pdf.pages[0].Resources.Shading.Sh0
        assert isinstance(stream, pikepdf.Stream)
        assert stream.ShadingType == 4 and stream.ColorSpace == "/DeviceRGB"
        assert (stream.BitsPerCoordinate, stream.BitsPerComponent, stream.BitsPerFlag) == (32, 8, 8)
        decode = [float(v) for v in stream.Decode]
        data = stream.read_bytes()
    assert data == shading.data
    record = np.dtype([("flag", "u1"), ("x", ">u4"), ("y", ">u4"), ("c", "u1", (3,))])
    vertices = np.frombuffer(data, dtype=record)
    assert len(vertices) == 150 and not vertices["flag"].any()
    x = decode[0] + vertices["x"] / (2**32 - 1) * (decode[1] - decode[0])
    y = decode[2] + vertices["y"] / (2**32 - 1) * (decode[3] - decode[2])
    np.testing.assert_allclose(np.column_stack([x, y]), points.reshape(-1, 2), atol=1e-6)
    np.testing.assert_array_equal(vertices["c"], np.rint(colors.reshape(-1, 4)[:, :3] * 255))
    assert decode[4:] == [0, 1] * 3
    assert decode[0] < points[..., 0].min() and decode[1] > points[..., 0].max()


def test_gouraud_alpha_mesh(tmp_pdf: Callable[[str], Path]) -> None:
    colors = np.array([[[1.0, 0, 0, 0.5]] * 3])
    shading, alpha = gouraud_shading(TRIANGLE, colors)
    assert alpha is not None
    assert alpha.dictionary["ColorSpace"] == Name("DeviceGray")
    assert alpha.dictionary["Decode"] == shading.dictionary["Decode"][:4] + [0, 1]
    assert len(alpha.data) == 3 * 10 and alpha.data[9::10] == bytes([128] * 3)
    image = shaded(tmp_pdf, shading, alpha)
    assert_color(pixel(image, 108, 80, DPI), (255, 128, 128), tol=4)
    assert_color(pixel(image, 20, 20, DPI), WHITE)


def test_gouraud_varying_alpha(tmp_pdf: Callable[[str], Path]) -> None:
    colors = np.array([[[0, 0, 1.0, 1], [0, 0, 1.0, 0], [0, 0, 1.0, 0.5]]])
    image = shaded(tmp_pdf, *gouraud_shading(TRIANGLE, colors))
    centroid = TRIANGLE[0].mean(axis=0)
    assert_color(pixel(image, *centroid, DPI), mix(WHITE, BLUE, 0.5), tol=6)


def test_gouraud_drops_non_finite_triangles() -> None:
    points = np.concatenate([TRIANGLE, [[[0, 0], [NAN, 1], [1, 1]]], TRIANGLE + 1])
    colors = np.concatenate([RGB_CORNERS, np.full((1, 3, 4), NAN), RGB_CORNERS])
    shading, _ = gouraud_shading(points, colors)
    assert len(shading.data) == 6 * 12
    assert shading.data == gouraud_shading(np.concatenate([TRIANGLE, TRIANGLE + 1]), RGB_CORNERS.repeat(2, 0))[0].data


def test_gouraud_empty_gives_none() -> None:
    assert gouraud_shading(np.empty((0, 3, 2)), np.empty((0, 3, 4))) is None
    assert gouraud_shading(np.full((2, 3, 2), np.inf), np.zeros((2, 3, 4))) is None


def test_gouraud_rgb_colors_and_degenerate_extent() -> None:
    points = np.full((1, 3, 2), 5.0)
    shading, alpha = gouraud_shading(points, np.zeros((1, 3, 3)))
    assert alpha is None
    lo_x, hi_x = shading.dictionary["Decode"][:2]
    assert lo_x < 5 < hi_x


def test_gouraud_is_vectorised_and_deterministic() -> None:
    rng = np.random.default_rng(1)
    points = rng.uniform(0, 500, size=(200_000, 3, 2))
    colors = rng.uniform(0, 1, size=(200_000, 3, 4))
    first, first_alpha = gouraud_shading(points, colors)
    assert len(first.data) == 200_000 * 3 * 12 and len(first_alpha.data) == 200_000 * 3 * 10
    assert gouraud_shading(points, colors)[0].data == first.data


@pytest.mark.parametrize(
    "points, colors, message",
    [
        (np.zeros((2, 3)), np.zeros((2, 3, 4)), r"points must have shape \(N, 3, 2\)"),
        (np.zeros((2, 3, 2)), np.zeros((3, 3, 4)), r"colors must have shape"),
        (np.zeros((2, 3, 2)), np.zeros((2, 3, 5)), r"colors must have shape"),
        (np.zeros((1, 3, 2)), np.full((1, 3, 4), 1.5), r"between 0 and 1"),
        (np.zeros((1, 3, 2)), np.full((1, 3, 4), NAN), r"between 0 and 1"),
    ],
)
def test_gouraud_errors(points: np.ndarray, colors: np.ndarray, message: str) -> None:
    with pytest.raises(StyleError, match=message):
        gouraud_shading(points, colors)


def test_page_api_hatch_origin_moves_the_lines(tmp_pdf: Callable[[str], Path]) -> None:
    """hatch_origin (page points) shifts where the cells start: '-' lines move up by the shift."""

    def draw(origin: Any) -> Callable[[Document, Page], None]:
        def scene(doc: Document, page: Page) -> None:
            page.rect(36, 36, 144, 144, fill=None, stroke=None, hatch="-", hatch_origin=origin)
        return scene

    default = runs(scan(render(tmp_pdf, draw((0, 0)), "origin-0"), "column", 100), 36, 180)[0]
    moved = runs(scan(render(tmp_pdf, draw((10, 5)), "origin-5"), "column", 100), 36, 180)[0]
    np.testing.assert_allclose(default, steps(42, 12, 12), atol=0.5)
    np.testing.assert_allclose(moved, steps(47, 12, 12), atol=0.5)  # every line 5 pt higher
    with pytest.raises(StyleError, match="hatch origin"):
        render(tmp_pdf, draw((0, float("nan"))), "origin-bad")
