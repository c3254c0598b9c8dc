"""Paths: vertices plus matplotlib-style codes, turned into PDF path operators with numpy.

A `Path` holds an (N, 2) float64 vertex array and optional uint8 codes with
matplotlib's values (MOVETO, LINETO, CURVE3, CURVE4, CLOSEPOLY, STOP).
`to_operators` writes the ``m``/``l``/``c``/``h`` operators of a whole path
in one pass of array operations: every vertex becomes a row of a character
matrix (x, space, y, then an operator suffix), built by `format_rows`, and
one boolean-mask flatten yields the bytes. Quadratic
segments are degree-elevated to cubics; NaN or infinite vertices split the
path (a segment touching one is dropped and the next finite vertex starts a
new subpath), and a CLOSEPOLY whose subpath was broken is dropped.

Simplification (``simplify=tol``, in output units) removes interior vertices
of runs of finite straight segments so that every removed vertex lies within
`tol` of the simplified segment that replaces it; curves, subpath starts and
ends and the vertices next to gaps or closes stay. Every step is array code,
and the tolerance is split in half between two stages:

1. Column collapse: consecutive vertices inside one vertical strip of width
   tol/2 shrink to the strip's first, last, lowest and highest vertex. The
   kept lowest-to-highest segment crosses every removed vertex's height within
   the strip, so each removed vertex is within tol/2 of it. Dense samples (a
   million points across a plot) shrink 10-25x in a dozen array passes.
2. Douglas-Peucker at tol/2 on what is left, for all intervals of all runs
   at once: each round builds the vertices of the open intervals, measures
   their distance to their chord (to the segment, not the infinite line),
   takes each interval's maximum with ``maximum.reduceat`` and splits the
   intervals that exceed the tolerance at the farthest vertex, and at the
   midpoint too when that vertex sits in an outer quarter (so the rounds
   stay logarithmic even where plain Douglas-Peucker peels one vertex per
   round). Two helpers cut the rounds over dense data: vertices turning too
   sharply for any band of the tolerance are kept up front (an exact test,
   see `_sharp_turns`), and every 256th removable vertex is forced to stay,
   then dropped again afterwards wherever the chord between its kept
   neighbours still fits.

Measured on this machine, one core, 1,000,000 points spanning 1000 units,
tol 0.1, formatting included: a sine takes 38 ms (559 vertices) where
Douglas-Peucker alone takes 370 ms (386 vertices); a random walk
y = cumsum(N(0, 1)) takes 65 ms (29,000 vertices) where Douglas-Peucker alone
takes 640 ms and keeps 72,000. Writing the million points unsimplified
takes 0.13 s (to 0.01 pt, in cache-sized chunks, digits from tables). 2-D
random walks, which keep 40-90% of their vertices, take 0.6 s. The greedy "extend the segment while
the points fit the band" scheme of matplotlib was not chosen: it is
sequential, so in numpy chunks it costs one Python step per kept vertex, fine
for a sine but far too slow for a walk that keeps tens of thousands.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import GeometryError
from ..pdf.numbers import format_rows
from .content import CONTENT_DECIMALS, small_numbers

_TWO_THIRDS = 2.0 / 3.0
# Every _BLOCK-th removable vertex starts out forced to stay (see _simplify_mask).
_BLOCK = 256


class Path:
    """An immutable path: (N, 2) float64 vertices and optional matplotlib path codes."""

    __slots__ = ("_vertices", "_codes", "_stop")

    STOP = 0
    MOVETO = 1
    LINETO = 2
    CURVE3 = 3
    CURVE4 = 4
    CLOSEPOLY = 79

    def __init__(self, vertices: Any, codes: Any = None) -> None:
        """Check vertices (N, 2) and codes (N,), keeping float64 C-contiguous vertices uncopied."""
        self._vertices = _as_vertices(vertices)
        if codes is None:
            self._codes, self._stop = None, len(self._vertices)
        else:
            self._codes, self._stop = _checked_codes(codes, len(self._vertices))

    @property
    def vertices(self) -> np.ndarray:
        """The (N, 2) float64 vertex array (read-only)."""
        return self._vertices

    @property
    def codes(self) -> np.ndarray | None:
        """The uint8 code array (read-only), or None for a polyline (MOVETO then LINETOs)."""
        return self._codes

    def __len__(self) -> int:
        """Number of vertices, including any after a STOP."""
        return len(self._vertices)

    def __repr__(self) -> str:
        """Size and kind, not the vertices."""
        kind = "polyline" if self._codes is None else "codes"
        return f"Path({len(self)} vertices, {kind})"

    @property
    def is_empty(self) -> bool:
        """True if no vertex comes before the end of the path (its length or first STOP)."""
        return self._stop == 0

    def extents(self) -> tuple[float, float, float, float] | None:
        """(xmin, ymin, xmax, ymax) over the finite vertices (control points included), or None."""
        vertices = self._vertices[: self._stop]
        mask = np.isfinite(vertices).all(axis=1)
        if self._codes is not None:
            mask &= self._codes[: self._stop] != Path.CLOSEPOLY
        if not mask.any():
            return None
        used = vertices[mask]
        low, high = used.min(axis=0), used.max(axis=0)
        return float(low[0]), float(low[1]), float(high[0]), float(high[1])

    def transformed(self, matrix: Any) -> Path:
        """A new path with every vertex mapped by an affine matrix (see `as_affine`)."""
        x, y = _apply_affine(self._vertices[:, 0], self._vertices[:, 1], as_affine(matrix))
        return Path(np.column_stack([x, y]), self._codes)

    # Constructors -------------------------------------------------------------
    @classmethod
    def rectangle(cls, x: float, y: float, width: float, height: float) -> Path:
        """A closed rectangle with one corner at (x, y) and the given (possibly negative) size."""
        x, y = _finite("x", x), _finite("y", y)
        width, height = _finite("width", width), _finite("height", height)
        vertices = [(x, y), (x + width, y), (x + width, y + height), (x, y + height), (x, y)]
        codes = [cls.MOVETO, cls.LINETO, cls.LINETO, cls.LINETO, cls.CLOSEPOLY]
        return cls(vertices, np.array(codes, dtype=np.uint8))

    @classmethod
    def unit_circle(cls) -> Path:
        """A closed circle of radius 1 about the origin: four cubic quarter arcs, counter-clockwise."""
        points = _arc_points(0.0, 360.0)
        vertices = np.vstack([points, points[:1]])
        codes = np.full(len(vertices), cls.CURVE4, dtype=np.uint8)
        codes[0], codes[-1] = cls.MOVETO, cls.CLOSEPOLY
        return cls(vertices, codes)

    @classmethod
    def circle(cls, cx: float, cy: float, r: float) -> Path:
        """A closed circle of radius r about (cx, cy)."""
        return cls.ellipse(cx, cy, r, r)

    @classmethod
    def ellipse(cls, cx: float, cy: float, rx: float, ry: float) -> Path:
        """A closed axis-aligned ellipse with radii rx, ry about (cx, cy)."""
        cx, cy = _finite("cx", cx), _finite("cy", cy)
        rx, ry = _radius("rx", rx), _radius("ry", ry)
        unit = cls.unit_circle()
        return cls(unit.vertices * (rx, ry) + (cx, cy), unit.codes)

    @classmethod
    def arc(cls, cx: float, cy: float, r: float, theta1: float, theta2: float) -> Path:
        """An open arc of radius r from theta1 counter-clockwise to theta2 (degrees)."""
        cx, cy, r = _finite("cx", cx), _finite("cy", cy), _radius("r", r)
        points = _arc_points(_finite("theta1", theta1), _finite("theta2", theta2))
        codes = np.full(len(points), cls.CURVE4, dtype=np.uint8)
        codes[0] = cls.MOVETO
        return cls(points * r + (cx, cy), codes)

    @classmethod
    def wedge(cls, cx: float, cy: float, r: float, theta1: float, theta2: float) -> Path:
        """A closed pie slice: centre, arc from theta1 counter-clockwise to theta2 (degrees), centre."""
        cx, cy, r = _finite("cx", cx), _finite("cy", cy), _radius("r", r)
        points = _arc_points(_finite("theta1", theta1), _finite("theta2", theta2)) * r + (cx, cy)
        centre = np.array([[cx, cy]])
        vertices = np.vstack([centre, points, centre])
        codes = np.full(len(vertices), cls.CURVE4, dtype=np.uint8)
        codes[0], codes[1], codes[-1] = cls.MOVETO, cls.LINETO, cls.CLOSEPOLY
        return cls(vertices, codes)

    @classmethod
    def polygon(cls, xy: Any, closed: bool = True) -> Path:
        """A polyline through the (N, 2) points xy, closed by default."""
        points = _as_vertices(xy)
        if not closed or len(points) == 0:
            return cls(points)
        codes = np.full(len(points) + 1, cls.LINETO, dtype=np.uint8)
        codes[0], codes[-1] = cls.MOVETO, cls.CLOSEPOLY
        return cls(np.vstack([points, points[:1]]), codes)

    @classmethod
    def unit_regular_polygon(cls, n: int) -> Path:
        """A closed regular n-gon inscribed in the unit circle, first vertex at the top."""
        n = _count("n", n, 3)
        return cls.polygon(_unit_points(90.0 + 360.0 * np.arange(n) / n))

    @classmethod
    def unit_star(cls, n: int, inner_radius: float = 0.5) -> Path:
        """A closed n-pointed star: points on the unit circle (first at the top), notches at inner_radius."""
        n = _count("n", n, 2)
        inner = _radius("inner_radius", inner_radius)
        points = _unit_points(90.0 + 180.0 * np.arange(2 * n) / n)
        points[1::2] *= inner
        return cls.polygon(points)


def as_affine(matrix: Any) -> np.ndarray:
    """Normalise (a, b, c, d, e, f), a 2x3 [[a c e], [b d f]] or a 3x3 affine matrix to 3x3 float64."""
    try:
        m = np.asarray(matrix, dtype=np.float64)
    except (TypeError, ValueError, OverflowError) as exc:
        raise GeometryError(f"cannot read a transformation matrix from {matrix!r}") from exc
    if m.shape == (6,):
        a, b, c, d, e, f = m
        m = np.array([[a, c, e], [b, d, f], [0.0, 0.0, 1.0]])
    elif m.shape == (2, 3):
        m = np.vstack([m, [0.0, 0.0, 1.0]])
    elif m.shape == (3, 3):
        if not np.array_equal(m[2], [0.0, 0.0, 1.0]):
            raise GeometryError(
                f"a 3x3 transformation matrix must end with the row [0 0 1] (affine), got {m[2].tolist()}"
            )
        m = m.copy()
    else:
        raise GeometryError(
            "a transformation matrix must be (a, b, c, d, e, f), a 2x3 or a 3x3 array; "
            f"got shape {m.shape}"
        )
    if not np.isfinite(m).all():
        raise GeometryError(f"transformation matrix has a NaN or infinite entry: {m[:2].tolist()}")
    return m


def to_operators(
    path: Path | np.ndarray,
    decimals: int = CONTENT_DECIMALS,
    *,
    transform: Any = None,
    simplify: float | None = None,
) -> bytes:
    """The m/l/c/h bytes of a path (or (N, 2) polyline), mapped by `transform`, simplified to `simplify`."""
    if isinstance(decimals, bool) or not isinstance(decimals, (int, np.integer)) or not 0 <= decimals <= 15:
        raise GeometryError(f"decimals must be an integer from 0 to 15, got {decimals!r}")
    if not isinstance(path, Path):
        path = Path(path)
    n = path._stop
    if n == 0:
        return b""
    x, y = path.vertices[:n, 0], path.vertices[:n, 1]
    if transform is not None:
        x, y = _apply_affine(x, y, as_affine(transform))
    if path.codes is None:
        codes = np.full(n, Path.LINETO, dtype=np.uint8)
        codes[0] = Path.MOVETO
    else:
        codes = path.codes[:n]
    finite = np.isfinite(x) & np.isfinite(y)
    if simplify is not None:
        keep = _simplify_mask(x, y, codes, finite, _tolerance(simplify))
        if not keep.all():
            x, y, codes, finite = x[keep], y[keep], codes[keep], finite[keep]
    return _emit(x, y, codes, finite, decimals)


# Operator emission ------------------------------------------------------------
#: Paths up to this many vertices are written by a Python loop: the array pass costs
#: about 150 µs whatever the size, the loop a few µs a vertex (tiny plot elements).
SMALL_PATH = 48


def _emit(x: np.ndarray, y: np.ndarray, codes: np.ndarray, finite: np.ndarray, decimals: int) -> bytes:
    """Build the operator bytes of validated, STOP-free codes with one mask flatten."""
    n = len(codes)
    if n <= SMALL_PATH:
        return _emit_small(x, y, codes, finite, decimals)
    if not _CURVE_OR_CLOSE[codes].any() and finite.all():
        # Only moves and lines, all finite: every vertex is one row (the common polyline).
        is_move = codes == Path.MOVETO
        return format_rows([x, b" ", y, (b" m\n", is_move), (b" l\n", ~is_move)], n, decimals)
    index = np.arange(n)
    is_move = codes == Path.MOVETO
    is_close = codes == Path.CLOSEPOLY
    is_quad = codes == Path.CURVE3
    is_curve = is_quad | (codes == Path.CURVE4)
    # Vertices per segment (2 quadratic, 3 cubic, else 1) and position inside a run of one code.
    size = np.where(is_curve, codes - 1, 1).astype(np.intp)
    run_head = np.ones(n, dtype=bool)
    run_head[1:] = codes[1:] != codes[:-1]
    slot = (index - np.maximum.accumulate(np.where(run_head, index, 0))) % size
    is_end = slot == size - 1
    # A CLOSEPOLY is written only if no vertex since the subpath's MOVETO was non-finite.
    last_move = np.maximum.accumulate(np.where(is_move, index, 0))
    broken = np.concatenate([[0], np.cumsum(~finite & ~is_close)])
    close_ok = is_close & (broken[index] == broken[last_move])
    # After an endpoint the pen is valid if it was finite (or, for a CLOSEPOLY, if the h was written).
    pen = np.where(is_close, close_ok, finite)
    gaps = np.concatenate([[0], np.cumsum(~finite)])
    segment_end = is_end & ~is_move & ~is_close
    previous = np.maximum(index - size, 0)
    drawn = segment_end & pen[previous] & (gaps[index + 1] == gaps[index + 1 - size])
    moved = finite & (is_move | (segment_end & ~drawn))
    end_of = index + (size - 1 - slot)
    control = is_curve & ~is_end & drawn[end_of]
    # Rows: one per written vertex or h, two per quadratic control point (its two cubic controls).
    written = moved | drawn | control | close_ok
    rows = np.repeat(index, written.astype(np.intp) + (control & is_quad))
    rx, ry = x[rows], y[rows]
    second = np.zeros(len(rows), dtype=bool)
    second[1:] = rows[1:] == rows[:-1]
    quad = control[rows] & is_quad[rows]
    if quad.any():
        _elevate(rx, ry, x, y, rows, quad, second, is_close, last_move)
    row_close = is_close[rows]
    rx[row_close] = 0.0
    ry[row_close] = 0.0
    has_numbers = ~row_close
    row_moved, row_curve = moved[rows], is_curve[rows]
    ending = ~control[rows] & has_numbers
    return format_rows(
        [(rx, has_numbers), (b" ", has_numbers), (ry, has_numbers), (b" ", has_numbers),
         (b"m\n", ending & row_moved), (b"c\n", ending & ~row_moved & row_curve),
         (b"l\n", ending & ~row_moved & ~row_curve), (b"h\n", row_close)],
        len(rows), decimals,
    )


def _emit_small(x: np.ndarray, y: np.ndarray, codes: np.ndarray, finite: np.ndarray, decimals: int) -> bytes:
    """What _emit writes, for a short path, one segment at a time (the same rules, the same bytes)."""
    fin = finite.tolist()
    xy = np.column_stack([x, y])
    if not all(fin):
        xy[~finite] = 0.0  # never written
    numbers = small_numbers(xy, decimals)
    xs, ys = numbers[0::2], numbers[1::2]
    kinds = codes.tolist()
    out: list[bytes] = []
    pen = False  # the last vertex left a current point to draw from
    broken = False  # a vertex since the subpath's MOVETO was not finite
    last_move = 0
    i, n = 0, len(kinds)
    while i < n:
        code = kinds[i]
        if code == Path.MOVETO:
            pen = fin[i]
            broken = not pen
            last_move = i
            if pen:
                out += (xs[i], b" ", ys[i], b" m\n")
            i += 1
            continue
        if code == Path.CLOSEPOLY:
            pen = not broken
            if pen:
                out.append(b"h\n")
            i += 1
            continue
        end = i + (code - 1 if code in (Path.CURVE3, Path.CURVE4) else 1) - 1
        whole = all(fin[i : end + 1])
        broken = broken or not whole
        if pen and whole:
            if code == Path.LINETO:
                out += (xs[i], b" ", ys[i], b" l\n")
            elif code == Path.CURVE4:
                out += (xs[i], b" ", ys[i], b" ", xs[i + 1], b" ", ys[i + 1], b" ", xs[i + 2], b" ", ys[i + 2], b" c\n")
            else:
                start = last_move if kinds[i - 1] == Path.CLOSEPOLY else i - 1
                x0, y0, qx, qy, x2, y2 = (float(v) for v in (x[start], y[start], x[i], y[i], x[i + 1], y[i + 1]))
                controls = small_numbers(np.array([
                    x0 + (qx - x0) * _TWO_THIRDS, y0 + (qy - y0) * _TWO_THIRDS,
                    x2 + (qx - x2) * _TWO_THIRDS, y2 + (qy - y2) * _TWO_THIRDS,
                ]), decimals)  # fmt: skip
                out += (controls[0], b" ", controls[1], b" ", controls[2], b" ", controls[3], b" ",
                        xs[i + 1], b" ", ys[i + 1], b" c\n")
        elif fin[end]:
            out += (xs[end], b" ", ys[end], b" m\n")
        pen = fin[end]
        i = end + 1
    return b"".join(out)


def _elevate(
    rx: np.ndarray, ry: np.ndarray, x: np.ndarray, y: np.ndarray, rows: np.ndarray,
    quad: np.ndarray, second: np.ndarray, is_close: np.ndarray, last_move: np.ndarray,
) -> None:
    """Overwrite each quadratic control row pair with the two controls of the equivalent cubic."""
    first_rows = quad & ~second
    second_rows = quad & second
    q = rows[first_rows]
    start = q - 1
    start = np.where(is_close[start], last_move[start], start)
    rx[first_rows] = x[start] + (x[q] - x[start]) * _TWO_THIRDS
    ry[first_rows] = y[start] + (y[q] - y[start]) * _TWO_THIRDS
    q = rows[second_rows]
    rx[second_rows] = x[q + 1] + (x[q] - x[q + 1]) * _TWO_THIRDS
    ry[second_rows] = y[q + 1] + (y[q] - y[q + 1]) * _TWO_THIRDS


# Simplification ---------------------------------------------------------------
def _simplify_mask(
    x: np.ndarray, y: np.ndarray, codes: np.ndarray, finite: np.ndarray, tol: float
) -> np.ndarray:
    """Vertices to keep: interior vertices of finite LINETO runs go when within tol of the result."""
    n = len(codes)
    line = (codes == Path.LINETO) & finite
    # Removable: a finite LINETO between a finite endpoint (not a CLOSEPOLY) and a finite LINETO.
    removable = np.zeros(n, dtype=bool)
    if n >= 3:
        removable[1:-1] = line[1:-1] & line[2:] & finite[:-2] & (codes[:-2] != Path.CLOSEPOLY)
    if not removable.any():
        return np.ones(n, dtype=bool)
    if tol > 0:
        kept = np.flatnonzero(~removable | _column_collapse(x, y, removable, tol / 2))
        tol /= 2
    else:
        kept = np.arange(n)
    x, y, removable = x[kept], y[kept], removable[kept]
    removable &= ~_sharp_turns(x, y, tol)
    # Force every _BLOCK-th removable vertex to bound the rounds over dense data, then undo what it can.
    forced = np.zeros(len(kept), dtype=bool)
    forced[np.flatnonzero(removable)[_BLOCK - 1 :: _BLOCK]] = True
    keep = _douglas_peucker(x, y, removable & ~forced, tol)
    _unforce(x, y, keep, forced, tol)
    result = np.zeros(n, dtype=bool)
    result[kept[keep]] = True
    return result


def _sharp_turns(x: np.ndarray, y: np.ndarray, tol: float) -> np.ndarray:
    """Interior vertices no chord can absorb: their turn is too sharp for a band of half-width tol."""
    # If vertex i goes, i-1, i and i+1 all lie within tol of one chord, so each of the
    # edges u = p[i] - p[i-1] and v = p[i+1] - p[i] deviates from the chord's direction
    # by at most asin(2 tol / |edge|); a turn angle between the two deviations' sum and
    # pi minus it is then impossible, and the vertex is certainly kept.
    sharp = np.zeros(len(x), dtype=bool)
    if len(x) < 3:
        return sharp
    with np.errstate(all="ignore"):  # NaN or infinite vertices are never removable anyway
        ex, ey = np.diff(x), np.diff(y)
        lengths = np.hypot(ex, ey)
        sines = np.minimum(2 * tol / lengths, 1.0)
        cosines = np.sqrt(1.0 - sines * sines)
        turn = np.abs(ex[:-1] * ey[1:] - ey[:-1] * ex[1:]) / (lengths[:-1] * lengths[1:])
        su, sv, cu, cv = sines[:-1], sines[1:], cosines[:-1], cosines[1:]
        sharp[1:-1] = (cu * cv > su * sv) & (turn > su * cv + cu * sv)
    return sharp


def _column_collapse(x: np.ndarray, y: np.ndarray, removable: np.ndarray, width: float) -> np.ndarray:
    """Keep mask: per run of removable vertices in one strip of `width`, its first, last, min-y and max-y."""
    index = np.flatnonzero(removable)
    keep = np.zeros(len(removable), dtype=bool)
    if len(index) == 0:
        return keep
    # One unbroken run of removable vertices (a whole polyline) is read in place, not gathered.
    first = int(index[0])
    contiguous = int(index[-1]) - first + 1 == len(index)
    xs, heights = (x[first : first + len(index)], y[first : first + len(index)]) if contiguous else (x[index], y[index])
    with np.errstate(over="ignore", invalid="ignore"):
        column = np.divide(xs, width)
        np.floor(column, out=column)
    head = np.empty(len(index), dtype=bool)
    head[0] = True
    np.not_equal(column[1:], column[:-1], out=head[1:])
    if not contiguous:
        head[1:] |= index[1:] != index[:-1] + 1
    if not (-(2.0**52) < column.min() and column.max() < 2.0**52):
        # Strip numbers too large to tell neighbouring strips apart never merge.
        head[1:] |= ~(np.abs(column[1:]) < 2.0**52)
    starts = np.flatnonzero(head)
    lengths = np.diff(np.append(starts, len(index)))
    keep[index[starts]] = True
    keep[index[starts + lengths - 1]] = True
    for extreme in (np.minimum, np.maximum):
        hits = np.flatnonzero(heights == np.repeat(extreme.reduceat(heights, starts), lengths))
        # The first hit of each run: runs found by position, on the few hits only.
        run = np.searchsorted(starts, hits, side="right")
        first_hit = np.ones(len(hits), dtype=bool)
        first_hit[1:] = run[1:] != run[:-1]
        keep[index[hits[first_hit]]] = True
    return keep


def _douglas_peucker(x: np.ndarray, y: np.ndarray, removable: np.ndarray, tol: float) -> np.ndarray:
    """Douglas-Peucker on every run of removable vertices at once; returns the keep mask."""
    keep = ~removable
    points = np.flatnonzero(removable)
    head = np.ones(len(points), dtype=bool)
    head[1:] = points[1:] != points[:-1] + 1
    tail = np.ones(len(points), dtype=bool)
    tail[:-1] = head[1:]
    lo, hi = points[head] - 1, points[tail] + 1
    tol2 = tol * tol
    while len(lo):
        worst, far = _farthest(x, y, lo, hi)
        split = worst > tol2
        lo, hi, far = lo[split], hi[split], far[split]
        # Farthest vertex in an outer quarter: split at the midpoint too, to bound the rounds.
        middle = (lo + hi) // 2
        lopsided = np.minimum(far - lo, hi - far) * 4 < hi - lo
        cut1 = np.where(lopsided, np.minimum(far, middle), far)
        cut2 = np.where(lopsided, np.maximum(far, middle), far)
        keep[cut1] = True
        keep[cut2] = True
        lo, hi = np.concatenate([lo, cut1, cut2]), np.concatenate([cut1, cut2, hi])
        inner = hi - lo > 1
        lo, hi = lo[inner], hi[inner]
    return keep


def _unforce(x: np.ndarray, y: np.ndarray, keep: np.ndarray, forced: np.ndarray, tol: float) -> None:
    """Drop forced vertices from `keep` where the chord between their kept neighbours fits all in between."""
    tol2 = tol * tol
    forced = forced.copy()
    while forced.any():
        kept = np.flatnonzero(keep)
        rank = np.flatnonzero(forced[kept])
        # Try every other vertex of each run of neighbouring forced ones, so no two tries share a chord.
        head = np.ones(len(rank), dtype=bool)
        head[1:] = rank[1:] != rank[:-1] + 1
        order = np.arange(len(rank))
        rank = rank[(order - np.maximum.accumulate(np.where(head, order, 0))) % 2 == 0]
        worst, _ = _farthest(x, y, kept[rank - 1], kept[rank + 1])
        keep[kept[rank[worst <= tol2]]] = False
        forced[kept[rank]] = False


def _farthest(
    x: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per interval (lo, hi) with inner vertices: the largest squared distance to the chord, and where."""
    counts = hi - lo - 1
    starts = np.cumsum(counts) - counts
    points = np.arange(int(counts.sum())) + np.repeat(lo + 1 - starts, counts)
    ax, ay = x[lo], y[lo]
    with np.errstate(all="ignore"):  # overflow near the float limit gives inf or NaN: split there
        dx, dy = x[hi] - ax, y[hi] - ay
        length2 = dx * dx + dy * dy
        inverse = np.divide(1.0, length2, out=np.zeros_like(length2), where=length2 > 0)
        px = x[points] - np.repeat(ax, counts)
        py = y[points] - np.repeat(ay, counts)
        ex, ey = np.repeat(dx, counts), np.repeat(dy, counts)
        t = np.clip((px * ex + py * ey) * np.repeat(inverse, counts), 0.0, 1.0)
        px -= t * ex
        py -= t * ey
        d2 = px * px + py * py
    d2[np.isnan(d2)] = np.inf
    worst = np.maximum.reduceat(d2, starts)
    group = np.repeat(np.arange(len(lo)), counts)
    hits = np.flatnonzero(d2 == worst[group])
    first = np.ones(len(hits), dtype=bool)
    first[1:] = group[hits[1:]] != group[hits[:-1]]
    return worst, points[hits[first]]


# Validation and geometry helpers -------------------------------------------------
# Codes that need more than one row per vertex or none: indexed by code, true for curves and closes.
_CURVE_OR_CLOSE = np.zeros(256, dtype=bool)
_CURVE_OR_CLOSE[[Path.CURVE3, Path.CURVE4, Path.CLOSEPOLY]] = True
_KNOWN_CODES = np.array(
    [Path.STOP, Path.MOVETO, Path.LINETO, Path.CURVE3, Path.CURVE4, Path.CLOSEPOLY]
)


_FLOAT64 = np.dtype(np.float64)
_UINT8 = np.dtype(np.uint8)
# Checked code sequences, keyed by their bytes: a mesh of many small paths with the
# same codes checks them once and shares one read-only array (see _checked_codes).
_CODE_CACHE: dict[bytes, tuple[np.ndarray, int]] = {}
_CODE_CACHE_SIZE = 512
_CODE_CACHE_LENGTH = 64


def _as_vertices(vertices: Any) -> np.ndarray:
    """Check and convert vertices to a read-only (N, 2) float64 C-contiguous array."""
    if (
        type(vertices) is np.ndarray
        and vertices.dtype is _FLOAT64
        and vertices.ndim == 2
        and vertices.shape[1] == 2
        and vertices.flags.c_contiguous
    ):
        # The common case (matplotlib paths, mesh cells) without conversion: a read-only view.
        array = vertices.view()
        array.flags.writeable = False
        return array
    try:
        array = np.asarray(vertices)
    except ValueError:  # ragged nested lists
        raise GeometryError(f"path vertices must have shape (N, 2), not {vertices!r:.60}") from None
    if array.dtype.kind not in "biuf":
        raise GeometryError(f"path vertices must be real numbers, got dtype {array.dtype}")
    if array.size == 0 and array.ndim == 1:
        array = array.reshape(0, 2)
    if array.ndim != 2 or array.shape[1] != 2:
        raise GeometryError(f"path vertices must have shape (N, 2), got {array.shape}")
    array = np.ascontiguousarray(array, dtype=np.float64).view()
    array.flags.writeable = False
    return array


def _as_codes(codes: Any, count: int) -> np.ndarray:
    """Check and convert codes to a read-only uint8 array of `count` known codes."""
    array = np.asarray(codes)
    if array.dtype.kind not in "iu":
        raise GeometryError(f"path codes must be integers, got dtype {array.dtype}")
    if array.ndim != 1:
        raise GeometryError(f"path codes must be one-dimensional, got shape {array.shape}")
    if len(array) != count:
        raise GeometryError(f"path has {count} vertices but {len(array)} codes")
    unknown = ~np.isin(array, _KNOWN_CODES)
    if unknown.any():
        where = int(np.argmax(unknown))
        raise GeometryError(
            f"unknown path code {int(array[where])} at index {where} "
            "(known: STOP 0, MOVETO 1, LINETO 2, CURVE3 3, CURVE4 4, CLOSEPOLY 79)"
        )
    array = np.ascontiguousarray(array, dtype=np.uint8).view()
    array.flags.writeable = False
    return array


def _checked_codes(codes: Any, count: int) -> tuple[np.ndarray, int]:
    """Checked read-only uint8 codes for `count` vertices and the index of their first STOP.

    Short uint8 code arrays are checked once per distinct sequence: later paths
    with equal codes share the checked array, which makes building many small
    paths cheap and lets collections compare codes by identity.
    """
    if type(codes) is np.ndarray and codes.dtype is _UINT8 and codes.ndim == 1 and len(codes) == count:
        if count <= _CODE_CACHE_LENGTH:
            key = codes.tobytes()
            hit = _CODE_CACHE.get(key)
            if hit is not None:
                return hit
            checked = _as_codes(codes.copy(), count)  # a copy: the caller may change theirs
            entry = (checked, _check_sequence(checked))
            if len(_CODE_CACHE) >= _CODE_CACHE_SIZE:
                _CODE_CACHE.clear()
            _CODE_CACHE[key] = entry
            return entry
    checked = _as_codes(codes, count)
    return checked, _check_sequence(checked)


def _check_sequence(codes: np.ndarray) -> int:
    """Check the code sequence up to its first STOP; return that STOP's index (or the length)."""
    stops = np.flatnonzero(codes == Path.STOP)
    n = int(stops[0]) if len(stops) else len(codes)
    if n and codes[0] != Path.MOVETO:
        raise GeometryError(f"a path must start with MOVETO (1), got code {int(codes[0])}")
    used = codes[:n]
    head = np.ones(n, dtype=bool)
    head[1:] = used[1:] != used[:-1]
    starts = np.flatnonzero(head)
    lengths = np.diff(np.append(starts, n))
    kinds = used[starts]
    for code, size, name in ((Path.CURVE3, 2, "CURVE3 (quadratic)"), (Path.CURVE4, 3, "CURVE4 (cubic)")):
        bad = (kinds == code) & (lengths % size != 0)
        if bad.any():
            where = int(np.argmax(bad))
            end = int(starts[where] + lengths[where])
            raise GeometryError(
                f"{name} segments need {size} vertices each, but the run of {int(lengths[where])} "
                f"{name} codes at index {int(starts[where])} is cut short at index {end}"
            )
    return n


def _apply_affine(x: np.ndarray, y: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x' = a x + c y + e, y' = b x + d y + f, elementwise (the order the reference uses)."""
    (a, c, e), (b, d, f) = m[0].tolist(), m[1].tolist()
    with np.errstate(all="ignore"):  # NaN/inf vertices stay non-finite and split the path
        return a * x + c * y + e, b * x + d * y + f


def _unit_points(degrees: np.ndarray) -> np.ndarray:
    """(N, 2) points on the unit circle, exact at multiples of 90 degrees."""
    degrees = np.mod(degrees, 360.0)
    radians = np.radians(degrees)
    points = np.column_stack([np.cos(radians), np.sin(radians)])
    quarter = degrees / 90.0
    exact = quarter == np.round(quarter)
    turns = np.round(quarter[exact]).astype(np.intp) % 4
    points[exact] = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])[turns]
    return points


def _arc_points(theta1: float, theta2: float) -> np.ndarray:
    """Vertices (start, then 3 per cubic) of a unit arc from theta1 counter-clockwise to theta2."""
    span = (theta2 - theta1) % 360.0
    if span == 0.0 and theta2 != theta1:
        span = 360.0
    count = max(1, math.ceil(span / 90.0))
    angles = theta1 + span * np.arange(count + 1) / count
    angles[-1] = theta1 + span
    ends = _unit_points(angles)
    kappa = 4.0 / 3.0 * math.tan(math.radians(span / count) / 4.0)
    tangents = np.column_stack([-ends[:, 1], ends[:, 0]]) * kappa
    points = np.empty((3 * count + 1, 2))
    points[0] = ends[0]
    points[1::3] = ends[:-1] + tangents[:-1]
    points[2::3] = ends[1:] - tangents[1:]
    points[3::3] = ends[1:]
    return points


def _finite(name: str, value: float) -> float:
    """value as a float, or GeometryError if it is not a finite real number."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise GeometryError(f"{name} must be a number, got {value!r}") from exc
    if not math.isfinite(number):
        raise GeometryError(f"{name} must be finite, got {number!r}")
    return number


def _radius(name: str, value: float) -> float:
    """A finite, non-negative radius."""
    number = _finite(name, value)
    if number < 0:
        raise GeometryError(f"{name} must not be negative, got {number!r}")
    return number


def _count(name: str, value: int, minimum: int) -> int:
    """An integer count of at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise GeometryError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _tolerance(value: float) -> float:
    """A finite, non-negative simplification tolerance."""
    number = _finite("simplify", value)
    if number < 0:
        raise GeometryError(f"simplify must be a non-negative tolerance, got {number!r}")
    return number
