"""Tests for pdfwriter.graphics.path: construction, validation, vectorised operators, simplification."""

from __future__ import annotations

import math
import pathlib
from collections.abc import Callable, Sequence

import numpy as np
import pikepdf
import pytest
from harness import check_pdf
from hypothesis import given, settings
from hypothesis import strategies as st

import pdfwriter
from pdfwriter.errors import GeometryError, PdfWriterError
from pdfwriter.graphics.path import Path, as_affine, to_operators
from pdfwriter.pdf.numbers import format_matrix

NAN, INF = float("nan"), float("inf")
MOVETO, LINETO, CURVE3, CURVE4, CLOSEPOLY, STOP = 1, 2, 3, 4, 79, 0


# A slow reference: one Python step per segment ------------------------------------
def ref_number(value: float, decimals: int) -> bytes:
    """One number as format_matrix writes it (the vectorised writer's formatter, one value at a time)."""
    chars, keep = format_matrix(np.array([value]), decimals)
    return chars[0][keep[0]].tobytes()


def reference_operators(path: Path, decimals: int = 4, transform: Sequence[float] | None = None) -> bytes:
    """The path operators by the documented rules, written with plain loops."""
    vertices = [tuple(v) for v in path.vertices.tolist()]
    if path.codes is None:
        codes = ([MOVETO] + [LINETO] * (len(vertices) - 1))[: len(vertices)]
    else:
        codes = path.codes.tolist()
    if transform is not None:
        a, b, c, d, e, f = transform
        vertices = [(a * x + c * y + e, b * x + d * y + f) for x, y in vertices]

    def finite(p: tuple[float, float]) -> bool:
        """Both coordinates finite."""
        return math.isfinite(p[0]) and math.isfinite(p[1])

    def point(p: tuple[float, float]) -> bytes:
        """The "x y" operand text of a point."""
        return ref_number(p[0], decimals) + b" " + ref_number(p[1], decimals)

    lines: list[bytes] = []
    pen, broken = False, True
    start = current = (0.0, 0.0)
    i = 0
    while i < len(codes) and codes[i] != STOP:
        code = codes[i]
        if code == MOVETO:
            p = vertices[i]
            pen = finite(p)
            broken = not pen
            if pen:
                lines.append(point(p) + b" m")
                start = current = p
            i += 1
        elif code == LINETO:
            p = vertices[i]
            if finite(p):
                lines.append(point(p) + (b" l" if pen else b" m"))
                pen, current = True, p
            else:
                pen, broken = False, True
            i += 1
        elif code in (CURVE3, CURVE4):
            size = 2 if code == CURVE3 else 3
            points = vertices[i : i + size]
            end = points[-1]
            ok = all(finite(p) for p in points)
            broken = broken or not ok
            if pen and ok:
                if size == 2:
                    q, t = points[0], 2.0 / 3.0
                    c1 = (current[0] + (q[0] - current[0]) * t, current[1] + (q[1] - current[1]) * t)
                    c2 = (end[0] + (q[0] - end[0]) * t, end[1] + (q[1] - end[1]) * t)
                else:
                    c1, c2 = points[0], points[1]
                lines.append(point(c1) + b" " + point(c2) + b" " + point(end) + b" c")
            elif finite(end):
                lines.append(point(end) + b" m")
            pen, current = finite(end), end
            i += size
        else:  # CLOSEPOLY
            if broken:
                pen = False
            else:
                lines.append(b"h")
                pen, current = True, start
            i += 1
    return b"".join(line + b"\n" for line in lines)


def parse(data: bytes) -> list[tuple[str, list[float]]]:
    """Operators and numeric operands of content-stream bytes, as pikepdf parses them."""
    pdf = pikepdf.new()
    stream = pikepdf.Stream(pdf, data)
    return [
        (str(op.operator), [float(v) for v in op.operands])
        for op in pikepdf.parse_content_stream(stream)
    ]


# Random paths -----------------------------------------------------------------
coordinates = st.one_of(
    st.floats(-1000, 1000, allow_nan=False),
    st.integers(-5, 5).map(float),
    st.sampled_from([0.5, -0.25, 0.00005, 1.00005, 2.5e-5, -0.0]),
    st.sampled_from([NAN, INF, -INF]),
)
points = st.tuples(coordinates, coordinates)
finite_points = st.tuples(st.floats(-100, 100), st.floats(-100, 100))
KIND_CODES = {"M": MOVETO, "L": LINETO, "Q": CURVE3, "C": CURVE4, "Z": CLOSEPOLY}


@st.composite
def coded_paths(draw: st.DrawFn, point_strategy: st.SearchStrategy = points) -> Path:
    """A random valid path: MOVETO first, then any mix of segments, closes and maybe a STOP."""
    kinds = draw(st.lists(st.sampled_from("MLLLQCZ"), max_size=30))
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for k, kind in enumerate(kinds):
        code = MOVETO if k == 0 else KIND_CODES[kind]
        count = {CURVE3: 2, CURVE4: 3}.get(code, 1)
        vertices += [draw(point_strategy) for _ in range(count)]
        codes += [code] * count
    if codes and draw(st.booleans()):
        vertices += [draw(point_strategy) for _ in range(3)]
        codes += [STOP, CURVE4, LINETO]  # not checked after the STOP
    return Path(np.array(vertices, dtype=np.float64).reshape(-1, 2), np.array(codes, dtype=np.uint8))


polylines = st.lists(points, max_size=30).map(lambda ps: Path(np.array(ps, dtype=np.float64).reshape(-1, 2)))
transforms = st.none() | st.tuples(*[st.floats(-10, 10)] * 6)


@settings(max_examples=400, deadline=None)
@given(path=coded_paths() | polylines, decimals=st.sampled_from([0, 2, 4, 6]), transform=transforms)
def test_vectorised_output_equals_reference(path: Path, decimals: int, transform: tuple | None) -> None:
    got = to_operators(path, decimals, transform=transform)
    assert got == reference_operators(path, decimals, transform)
    ops = parse(got)
    assert [name for name, _ in ops] == [line.split()[-1].decode() for line in got.splitlines()]
    assert all(len(args) == {"m": 2, "l": 2, "c": 6, "h": 0}[name] for name, args in ops)


# NaN splitting, closes, STOP --------------------------------------------------------
def test_nan_splits_a_polyline() -> None:
    path = Path([[0, 0], [1, 1], [NAN, NAN], [2, 2], [3, 3]])
    assert to_operators(path) == b"0 0 m\n1 1 l\n2 2 m\n3 3 l\n"
    assert parse(to_operators(path)) == [("m", [0, 0]), ("l", [1, 1]), ("m", [2, 2]), ("l", [3, 3])]


@pytest.mark.parametrize(
    ("vertices", "codes", "expected"),
    [
        ([[NAN, 0], [1, 1], [2, 2]], None, b"1 1 m\n2 2 l\n"),
        ([[0, 0], [INF, 1], [-INF, 2], [3, 3]], None, b"0 0 m\n3 3 m\n"),
        ([[0, 0], [1, 1], [NAN, NAN]], None, b"0 0 m\n1 1 l\n"),
        ([[NAN, NAN], [NAN, 1]], None, b""),
        # An intact subpath closes; a broken one loses its h, and the next LINETO restarts.
        ([[0, 0], [1, 0], [1, 1], [0, 0]], [1, 2, 2, 79], b"0 0 m\n1 0 l\n1 1 l\nh\n"),
        ([[0, 0], [NAN, 0], [1, 1], [0, 0], [5, 5]], [1, 2, 2, 79, 2], b"0 0 m\n1 1 m\n5 5 m\n"),
        # After h the pen is back at the subpath start; a following LINETO draws from there.
        ([[0, 0], [1, 0], [NAN, NAN], [2, 2]], [1, 2, 79, 2], b"0 0 m\n1 0 l\nh\n2 2 l\n"),
        # A curve with a non-finite control point is dropped whole; its finite end starts anew.
        ([[0, 0], [1, NAN], [2, 1], [3, 0], [4, 0]], [1, 4, 4, 4, 2], b"0 0 m\n3 0 m\n4 0 l\n"),
        ([[0, 0], [1, 1], [NAN, 0], [4, 0]], [1, 3, 3, 2], b"0 0 m\n4 0 m\n"),
        # STOP ends the path; anything after it is ignored.
        ([[0, 0], [1, 1], [9, 9], [8, 8]], [1, 2, 0, 2], b"0 0 m\n1 1 l\n"),
        ([[0, 0]], [0], b""),
    ],
)
def test_gaps_closes_and_stop(vertices: list, codes: list | None, expected: bytes) -> None:
    path = Path(np.array(vertices, dtype=float), None if codes is None else np.array(codes, dtype=np.uint8))
    assert to_operators(path) == expected
    assert reference_operators(path) == expected


def test_empty_paths() -> None:
    assert to_operators(Path(np.empty((0, 2)))) == b""
    assert to_operators(Path([])) == b""
    assert Path([]).is_empty and len(Path([])) == 0
    assert Path([[0, 0]], [STOP]).is_empty
    assert not Path([[0, 0]]).is_empty
    assert Path([]).extents() is None
    assert Path([[NAN, 1]]).extents() is None


def test_extents_cover_finite_vertices_and_controls() -> None:
    path = Path([[0, 0], [5, -3], [2, 8], [1, 1], [NAN, 99], [100, 100]], [1, 4, 4, 4, 2, 79])
    assert path.extents() == (0.0, -3.0, 5.0, 8.0)


def test_accepts_plain_arrays_and_keeps_float64_without_copy() -> None:
    vertices = np.array([[0.0, 0.0], [1.5, 2.0]])
    path = Path(vertices)
    assert np.shares_memory(path.vertices, vertices)
    assert not path.vertices.flags.writeable and vertices.flags.writeable
    assert path.codes is None and len(path) == 2
    assert to_operators(vertices) == b"0 0 m\n1.5 2 l\n"
    ints = Path([[0, 0], [1, 2]], [1, 2])
    assert ints.vertices.dtype == np.float64 and ints.codes.dtype == np.uint8


# Curves ------------------------------------------------------------------------
def bezier(points: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Evaluate a Bezier curve of any degree (control points (k, 2)) at parameters t."""
    n = len(points) - 1
    weights = np.stack([math.comb(n, i) * t**i * (1 - t) ** (n - i) for i in range(n + 1)], axis=1)
    return weights @ points


@settings(max_examples=100, deadline=None)
@given(p0=finite_points, q=finite_points, p3=finite_points)
def test_quadratic_becomes_the_same_cubic(p0: tuple, q: tuple, p3: tuple) -> None:
    path = Path([p0, q, p3], [MOVETO, CURVE3, CURVE3])
    (_, start), (name, args) = parse(to_operators(path, 10))
    assert name == "c"
    t = np.linspace(0, 1, 101)
    cubic = bezier(np.array([start, args[0:2], args[2:4], args[4:6]]), t)
    quadratic = bezier(np.array([p0, q, p3], dtype=float), t)
    np.testing.assert_allclose(cubic, quadratic, rtol=0, atol=1e-8)


def test_quadratic_after_close_starts_at_the_subpath_start() -> None:
    path = Path([[0, 0], [3, 0], [9, 9], [0, 3], [3, 3]], [1, 2, 79, 3, 3])
    ops = parse(to_operators(path, 6))
    assert ops[-1][0] == "c"
    np.testing.assert_allclose(ops[-1][1], [0, 2, 1, 3, 3, 3], atol=1e-6)


def radial_error(path: Path, cx: float, cy: float, r: float) -> float:
    """Largest |distance to (cx, cy) - r| along the cubic segments of a circle-like path."""
    codes, vertices = path.codes, path.vertices
    t = np.linspace(0, 1, 1001)
    worst = 0.0
    for end in np.flatnonzero(codes == CURVE4)[2::3]:
        curve = bezier(vertices[end - 3 : end + 1], t)
        worst = max(worst, float(np.abs(np.hypot(curve[:, 0] - cx, curve[:, 1] - cy) - r).max()))
    return worst


@pytest.mark.parametrize(("cx", "cy", "r"), [(0, 0, 1), (10, -5, 3.5), (300, 400, 250)])
def test_circle_accuracy(cx: float, cy: float, r: float) -> None:
    path = Path.circle(cx, cy, r)
    assert path.codes.tolist() == [MOVETO] + [CURVE4] * 12 + [CLOSEPOLY]
    assert radial_error(path, cx, cy, r) < 3e-4 * r
    ends = path.vertices[[0, 3, 6, 9, 12]]
    np.testing.assert_allclose(np.hypot(ends[:, 0] - cx, ends[:, 1] - cy), r, rtol=1e-15)
    np.testing.assert_array_equal(path.vertices[0], path.vertices[12])
    assert path.extents() == pytest.approx((cx - r, cy - r, cx + r, cy + r))


def test_unit_circle_and_ellipse() -> None:
    unit = Path.unit_circle()
    np.testing.assert_array_equal(unit.vertices[[0, 3, 6, 9]], [[1, 0], [0, 1], [-1, 0], [0, -1]])
    kappa = 4 / 3 * math.tan(math.pi / 8)
    np.testing.assert_allclose(unit.vertices[1:3], [[1, kappa], [kappa, 1]], rtol=1e-15)
    ellipse = Path.ellipse(1, 2, 4, 0.5)
    np.testing.assert_allclose(ellipse.vertices, unit.vertices * [4, 0.5] + [1, 2])


@pytest.mark.parametrize(
    ("theta1", "theta2", "segments", "span"),
    [(0, 90, 1, 90), (0, 270, 3, 270), (30, 100, 1, 70), (350, 10, 1, 20), (90, 0, 3, 270),
     (45, 405, 4, 360), (-10, 190, 3, 200), (0, 360, 4, 360)],
)
def test_arc_and_wedge(theta1: float, theta2: float, segments: int, span: float) -> None:
    arc = Path.arc(2, 3, 5, theta1, theta2)
    assert arc.codes.tolist() == [MOVETO] + [CURVE4] * (3 * segments)
    first, last = np.radians(theta1), np.radians(theta1 + span)
    for vertex, angle in ((arc.vertices[0], first), (arc.vertices[-1], last)):
        np.testing.assert_allclose(vertex, [2 + 5 * math.cos(angle), 3 + 5 * math.sin(angle)], atol=1e-12)
    ends = arc.vertices[::3]
    np.testing.assert_allclose(np.hypot(ends[:, 0] - 2, ends[:, 1] - 3), 5, rtol=1e-14)
    # Counter-clockwise: each segment end lies span/segments degrees further round.
    angles = np.degrees(np.unwrap(np.arctan2(ends[:, 1] - 3, ends[:, 0] - 2)))
    np.testing.assert_allclose(np.diff(angles), span / segments, atol=1e-9)
    assert radial_error(arc, 2, 3, 5) < 3e-4 * 5
    wedge = Path.wedge(2, 3, 5, theta1, theta2)
    assert wedge.codes.tolist() == [MOVETO, LINETO] + [CURVE4] * (3 * segments) + [CLOSEPOLY]
    np.testing.assert_array_equal(wedge.vertices[0], [2, 3])
    np.testing.assert_allclose(wedge.vertices[1:-1], arc.vertices)
    assert parse(to_operators(wedge))[-1] == ("h", [])


def test_rectangle_and_polygons() -> None:
    assert to_operators(Path.rectangle(1, 2, 3, -4)) == b"1 2 m\n4 2 l\n4 -2 l\n1 -2 l\nh\n"
    assert to_operators(Path.polygon([[0, 0], [1, 0], [0, 1]])) == b"0 0 m\n1 0 l\n0 1 l\nh\n"
    assert to_operators(Path.polygon([[0, 0], [1, 0]], closed=False)) == b"0 0 m\n1 0 l\n"
    square = Path.unit_regular_polygon(4)
    np.testing.assert_array_equal(square.vertices[:4], [[0, 1], [-1, 0], [0, -1], [1, 0]])
    assert square.codes.tolist() == [MOVETO, LINETO, LINETO, LINETO, CLOSEPOLY]
    hexagon = Path.unit_regular_polygon(6).vertices[:6]
    np.testing.assert_allclose(np.hypot(hexagon[:, 0], hexagon[:, 1]), 1, rtol=1e-15)
    star = Path.unit_star(5, 0.4)
    radii = np.hypot(star.vertices[:10, 0], star.vertices[:10, 1])
    np.testing.assert_allclose(radii, [1, 0.4] * 5, rtol=1e-15)
    np.testing.assert_array_equal(star.vertices[0], [0, 1])
    assert len(star) == 11 and star.codes[-1] == CLOSEPOLY


# Transforms --------------------------------------------------------------------
def test_transform_forms_agree() -> None:
    a, b, c, d, e, f = 2.0, 0.5, -1.0, 3.0, 10.0, -20.0
    forms = [
        (a, b, c, d, e, f),
        [a, b, c, d, e, f],
        np.array([[a, c, e], [b, d, f]]),
        np.array([[a, c, e], [b, d, f], [0, 0, 1]]),
    ]
    expected = np.array([[a, c, e], [b, d, f], [0, 0, 1]])
    path = Path([[1, 2], [3, -4], [NAN, 0], [0.5, 0.25]], [1, 3, 3, 2])
    outputs = set()
    for form in forms:
        np.testing.assert_array_equal(as_affine(form), expected)
        moved = path.transformed(form)
        np.testing.assert_array_equal(moved.vertices[[0, 1, 3]], [[10, -13.5], [20, -30.5], [10.75, -19]])
        np.testing.assert_array_equal(moved.codes, path.codes)
        outputs.add(to_operators(path, transform=form))
        outputs.add(to_operators(moved))
    assert len(outputs) == 1


def test_transform_is_applied_before_simplification() -> None:
    x = np.linspace(0, 1, 1001)
    path = Path(np.column_stack([x, 0.001 * np.sin(x * 40)]))
    # In the path's own units the wiggle is below tolerance; scaled by 1000 it is far above it.
    assert len(parse(to_operators(path, simplify=0.01))) == 2
    assert len(parse(to_operators(path, transform=(1000, 0, 0, 1000, 0, 0), simplify=0.01))) > 20


# Invalid input --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("vertices", "codes", "message"),
    [
        (np.zeros((3, 3)), None, "shape"),
        (np.zeros(4), None, "shape"),
        (np.zeros((2, 2, 2)), None, "shape"),
        ([["a", "b"]], None, "real numbers"),
        (np.zeros((2, 2), dtype=complex), None, "real numbers"),
        (np.zeros((3, 2)), [1, 2], "3 vertices but 2 codes"),
        (np.zeros((2, 2)), [1, 5], "unknown path code 5 at index 1"),
        (np.zeros((2, 2)), [1.0, 2.0], "integers"),
        (np.zeros((2, 2)), [[1, 2]], "one-dimensional"),
        (np.zeros((2, 2)), [2, 2], "start with MOVETO"),
        (np.zeros((3, 2)), [1, 4, 4], "CURVE4"),
        (np.zeros((5, 2)), [1, 4, 4, 4, 4], "CURVE4"),
        (np.zeros((2, 2)), [1, 3], "CURVE3"),
        (np.zeros((4, 2)), [1, 3, 0, 3], "CURVE3"),
        (np.zeros((4, 2)), [1, 4, 4, 2], "cut short at index 3"),
    ],
)
def test_invalid_paths_raise(vertices: object, codes: object, message: str) -> None:
    with pytest.raises(GeometryError, match=message):
        Path(vertices, codes)


@pytest.mark.parametrize(
    "matrix",
    [(1, 0, 0, 1, 0), np.eye(2), np.zeros((3, 2)), np.array([[1, 0, 0], [0, 1, 0], [0.1, 0, 1]]),
     (1, 0, 0, 1, NAN, 0), (INF, 0, 0, 1, 0, 0), "abcdef", (1, 0, 0, "x", 0, 0)],
)
def test_invalid_matrices_raise(matrix: object) -> None:
    with pytest.raises(GeometryError):
        as_affine(matrix)
    with pytest.raises(GeometryError):
        to_operators(Path([[0, 0]]), transform=matrix)


def test_invalid_constructor_and_option_values_raise() -> None:
    calls = [
        lambda: Path.circle(0, 0, -1),
        lambda: Path.circle(0, NAN, 1),
        lambda: Path.arc(0, 0, 1, 0, INF),
        lambda: Path.rectangle(0, 0, "wide", 1),
        lambda: Path.unit_regular_polygon(2),
        lambda: Path.unit_regular_polygon(4.0),
        lambda: Path.unit_star(1),
        lambda: Path.unit_star(5, -0.5),
        lambda: to_operators(Path([[0, 0], [1, 1]]), simplify=-1),
        lambda: to_operators(Path([[0, 0], [1, 1]]), simplify=NAN),
        lambda: to_operators(Path([[0, 0], [1, 1]]), -1),
        lambda: to_operators(Path([[0, 0], [1, 1]]), 2.5),
        lambda: to_operators(np.zeros((2, 3))),
    ]
    for call in calls:
        with pytest.raises(GeometryError):
            call()
    assert issubclass(GeometryError, PdfWriterError) and issubclass(GeometryError, ValueError)


# Simplification --------------------------------------------------------------------
def segment_distance(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance from each point to the segment from a to b (all arrays (N, 2), row by row)."""
    ab = b - a
    length2 = (ab * ab).sum(axis=1)
    t = np.divide(((points - a) * ab).sum(axis=1), length2, out=np.zeros(len(points)), where=length2 > 0)
    closest = a + np.clip(t, 0, 1)[:, None] * ab
    return np.hypot(*(points - closest).T)


def vertices_of(data: bytes) -> np.ndarray:
    """The (x, y) operands of a polyline's m/l operators."""
    tokens = np.array(data.split()).reshape(-1, 3)
    assert set(tokens[1:, 2].tolist()) <= {b"l"} and tokens[0, 2] == b"m"
    return tokens[:, :2].astype(np.float64)


def test_simplify_million_point_sine() -> None:
    n, tol = 1_000_000, 0.1
    x = np.linspace(0, 1000, n)
    original = np.column_stack([x, 200 * np.sin(x / 30) + 20 * np.sin(x / 3)])
    kept = vertices_of(to_operators(Path(original), 6, simplify=tol))
    assert len(kept) * 10 <= n
    np.testing.assert_allclose(kept[[0, -1]], original[[0, -1]], atol=1e-6)
    # x increases, so each original vertex lies between the kept vertices around it.
    segment = np.clip(np.searchsorted(kept[:, 0], x, side="right") - 1, 0, len(kept) - 2)
    distance = segment_distance(original, kept[segment], kept[segment + 1])
    assert distance.max() <= tol + 1e-5


@st.composite
def wiggly_polylines(draw: st.DrawFn) -> Path:
    """Random walks with small and large steps, some NaN gaps, sometimes closed or in a coded path."""
    steps = draw(st.lists(st.tuples(st.floats(-1, 1), st.floats(-1, 1)), min_size=2, max_size=60))
    scale = draw(st.sampled_from([0.01, 0.1, 1.0]))
    walk = np.cumsum(np.array(steps) * scale, axis=0)
    for index in draw(st.lists(st.integers(0, len(walk) - 1), max_size=3)):
        walk[index] = NAN
    codes = np.full(len(walk), LINETO, dtype=np.uint8)
    codes[0] = MOVETO
    for index in draw(st.lists(st.integers(1, len(walk) - 1), max_size=3)):
        codes[index] = draw(st.sampled_from([MOVETO, CLOSEPOLY]))
    return Path(walk, codes)


def line_stretches(ops: list[tuple[str, list[float]]]) -> list[tuple[tuple[str, list[float]], list, list]]:
    """Split parsed path operators into (non-l operator, pen position after it, following l points)."""
    stretches: list = []
    subpath_start: list[float] = []
    for name, args in ops:
        if name == "l":
            stretches[-1][2].append(args)
            continue
        if name == "m":
            subpath_start = args
        stretches.append(((name, args), args[-2:] if args else subpath_start, []))
    return stretches


def is_subsequence(part: list, whole: list) -> bool:
    """True if `part` appears in `whole` in order (not necessarily contiguously)."""
    items = iter(whole)
    return all(any(item == wanted for item in items) for wanted in part)


@settings(max_examples=300, deadline=None)
@given(path=wiggly_polylines() | coded_paths(finite_points), tol=st.sampled_from([0.0, 0.01, 0.05, 0.3]))
def test_simplify_only_drops_line_vertices_within_tolerance(path: Path, tol: float) -> None:
    full = line_stretches(parse(to_operators(path, 6)))
    simple = line_stretches(parse(to_operators(path, 6, simplify=tol)))
    # Every m, c and h stays; between them some l vertices go, never the last one ...
    assert [stretch[0] for stretch in full] == [stretch[0] for stretch in simple]
    for (_, pen, lines), (_, _, kept) in zip(full, simple):
        assert is_subsequence(kept, lines) and kept[-1:] == lines[-1:]
        if len(kept) == len(lines):
            continue
        # ... and those that go lie within tol of the simplified polyline.
        polyline = np.array([pen] + kept)
        for point in lines:
            distances = segment_distance(np.array([point] * (len(polyline) - 1)), polyline[:-1], polyline[1:])
            assert distances.min() <= tol + 2e-6


def test_simplify_keeps_curves_and_subpath_ends() -> None:
    vertices = [[0, 0], [1, 0], [2, 0], [3, 0], [4, 1], [5, 1], [6, 0], [7, 0], [8, 0], [9, 0], [0, 0]]
    codes = [1, 2, 2, 2, 4, 4, 4, 2, 2, 2, 79]
    assert to_operators(Path(vertices, codes), simplify=0.5) == (
        b"0 0 m\n3 0 l\n4 1 5 1 6 0 c\n9 0 l\nh\n"
    )
    # Exactly collinear points go even at tolerance 0.
    assert to_operators(Path([[0, 0], [1, 1], [2, 2], [3, 0]]), simplify=0) == b"0 0 m\n2 2 l\n3 0 l\n"


def test_simplified_line_renders_like_the_original(tmp_pdf: Callable[[str], pathlib.Path]) -> None:
    n = 100_000
    x = np.linspace(20, 580, n)
    y = 200 + 120 * np.sin(x / 25) + 30 * np.sin(x / 7.3) + 10 * np.sin(x / 1.9)
    path = Path(np.column_stack([x, y]))
    original = to_operators(path)
    simplified = to_operators(path, simplify=0.25)
    assert len(simplified) * 10 < len(original)
    target = tmp_pdf("simplified")
    with pdfwriter.Document(target) as document:
        for data in (original, simplified):
            page = document.add_page((600, 400))
            page.content.raw(data + b"S\n")
    with check_pdf(target) as pdf:
        renders = [pdf.render(i, dpi=72).astype(np.int16) for i in range(2)]
    assert (renders[0] < 128).sum() > 1000  # the line is really drawn
    differing = (np.abs(renders[0] - renders[1]).max(axis=2) > 64).mean()
    assert differing <= 0.001
