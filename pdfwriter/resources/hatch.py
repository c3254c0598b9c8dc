"""Hatch patterns: matplotlib's hatch strings as self-contained coloured tiling patterns.

A hatch string combines characters; repeating one makes it denser::

    /  diagonal lines up to the right      \\  diagonal lines down to the right
    |  vertical lines                      -  horizontal lines
    +  vertical and horizontal lines       x  both diagonals (X is the same)
    o  small rings                         O  large rings
    .  small dots                          *  stars

Each character contributes HATCH_DENSITY (6) lines, or rows of shapes, per
cell, and the counts of one kind add up: '//' and '/x' have twice the '/'
diagonals of '/', '+-' has 12 horizontal and 6 vertical lines. The geometry is
matplotlib's (lib/matplotlib/hatch.py), in a cell `size` points square:

* horizontal and vertical lines sit at (i + 1/2) / n of the cell;
* the diagonals of '/' are the lines x - y = c for c every 2/n from -1 to 1
  (2/n of the cell apart horizontally: sparser than '-'), each drawn across
  the whole cell and beyond its edges, so that the BBox clips them and
  neighbouring cells join without a seam; '\\' mirrors them;
* shapes stand in n + 1 rows at y = r / n: even rows at x = k / n for
  k = 0..n, odd rows shifted by half a step (k + 1/2) / n for k = 0..n-1.
  A shape on a cell edge is drawn in both cells, each half clipped by the
  BBox. Rings have radius 0.2 / n ('o') or 0.35 / n ('O') of the cell and
  a body from 0.9 of the radius to the radius; dots have radius 0.1 / n,
  stars an outer radius 1/3 / n and inner radius half that.

Lines and shapes make one path, filled and stroked by one operator (B), as
matplotlib's patterns are: each shape is filled and outlined with a line of
the hatch's width (a ring is the band between its circle and a reversed
circle of 0.9 its radius), so shapes are as large, and drawn as smoothly, as
matplotlib's. Fill and stroke of one operator blend as one, so a hatch colour
with alpha < 1 blends once where lines cross or shapes touch, not twice.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import StyleError
from ..graphics.color import Color, fill_operator, parse_color, stroke_operator
from ..pdf.numbers import format_array, format_number
from ..pdf.objects import Name, Stream
from ..graphics.checks import non_negative as _finite

#: The characters a hatch string may contain.
HATCH_CHARACTERS = "/\\|-+xXoO.*"
#: Lines (or rows of shapes) per cell for each occurrence of a character: matplotlib's density.
HATCH_DENSITY = 6
#: Decimals kept for coordinates in pattern cells.
HATCH_DECIMALS = 4

# Cubic Bezier circle of radius 1, counter-clockwise from (1, 0): a start point and four arcs.
_K = 4 / 3 * (math.sqrt(2) - 1)
_CIRCLE = np.array([
    (1, 0),
    (1, _K), (_K, 1), (0, 1),
    (-_K, 1), (-1, _K), (-1, 0),
    (-1, -_K), (-_K, -1), (0, -1),
    (_K, -1), (1, -_K), (1, 0),
])  # fmt: skip
_CIRCLE_OPS = [b" ", b" m\n"] + ([b" "] * 5 + [b" c\n"]) * 3 + [b" "] * 5 + [b" c\nh\n"]
# matplotlib's five-pointed star: points at radius 1 and 1/2, the first pointing up, counter-clockwise.
_STAR_ANGLES = np.pi / 2 + np.arange(10) * np.pi / 5
_STAR = np.column_stack([np.cos(_STAR_ANGLES), np.sin(_STAR_ANGLES)]) * np.where(np.arange(10) % 2, 0.5, 1.0)[:, None]
_STAR_OPS = [b" ", b" m\n"] + [b" ", b" l\n"] * 8 + [b" ", b" l\nh\n"]


def hatch_pattern(
    hatch: str,
    *,
    color: Any,
    line_width: float = 1.0,
    size: float = 72.0,
    background: Any = None,
    origin: tuple[float, float] = (0.0, 0.0),
) -> Stream:
    """A coloured tiling pattern (PatternType 1, PaintType 1) drawing `hatch` in a `size`-point cell.

    `color` is the hatch colour (anything parse_color reads; its alpha is
    honoured through an ExtGState in the pattern's own Resources, so the
    stream is self-contained); `line_width` is in points; `background`, if
    given, fills the cell first, else the cell is transparent behind the
    hatch. `origin` is where a cell corner sits in the default space of the
    page the pattern is used on (a Matrix translating the pattern space; none
    for (0, 0)), so cells line up with that point whatever draws with the
    pattern: matplotlib anchors them at the page's top-left corner. Equal
    arguments give byte-identical streams.
    """
    _check_hatch(hatch)
    hatch_color = parse_color(color, name="hatch color")
    if hatch_color is None:
        raise StyleError("hatch color cannot be None: give the colour of the hatch lines")
    fill = parse_color(background, name="hatch background")
    line_width = _finite("hatch line_width", line_width, allow_zero=True)
    size = _finite("hatch size", size, allow_zero=False)
    origin_x, origin_y = check_hatch_origin(origin)

    states: dict[float, str] = {}
    current_alpha = 1.0
    content: list[bytes] = []

    def use_alpha(alpha: float) -> None:
        nonlocal current_alpha
        if alpha != current_alpha:
            name = states.setdefault(alpha, f"A{len(states)}")
            content.append(b"/" + name.encode() + b" gs\n")
            current_alpha = alpha

    if fill is not None and fill.alpha > 0:
        use_alpha(fill.alpha)
        side = _num(size)
        content.append(fill_operator(fill) + b"\n0 0 " + side + b" " + side + b" re\nf\n")
    if hatch_color.alpha > 0:
        use_alpha(hatch_color.alpha)
        content.append(_hatch_content(hatch, hatch_color, line_width, size))
    resources: dict[str, Any] = {}
    if states:
        resources["ExtGState"] = {
            name: {"Type": Name("ExtGState"), "CA": alpha, "ca": alpha} for alpha, name in states.items()
        }
    dictionary = {
        "Type": Name("Pattern"),
        "PatternType": 1,
        "PaintType": 1,
        "TilingType": 1,
        "BBox": [0, 0, size, size],
        "XStep": size,
        "YStep": size,
        "Resources": resources,
    }
    if origin_x or origin_y:
        dictionary["Matrix"] = [1, 0, 0, 1, origin_x, origin_y]
    return Stream(b"".join(content), dictionary)


def _check_hatch(hatch: Any) -> None:
    """Raise StyleError unless `hatch` is a non-empty string of hatch characters."""
    if not isinstance(hatch, str) or not hatch:
        raise StyleError(f"hatch must be a non-empty string of {' '.join(HATCH_CHARACTERS)}, not {hatch!r}")
    unknown = sorted(set(hatch) - set(HATCH_CHARACTERS))
    if unknown:
        raise StyleError(
            f"hatch {hatch!r} has unknown character(s) {' '.join(map(repr, unknown))}: "
            f"use {' '.join(HATCH_CHARACTERS)} (repeat one for a denser hatch)"
        )


def check_hatch_origin(origin: Any) -> tuple[float, float]:
    """The pattern origin as two finite numbers, or StyleError."""
    try:
        x, y = (float(v) for v in origin)
    except (TypeError, ValueError, OverflowError):
        raise StyleError(f"hatch origin must be a pair of numbers (x, y), not {origin!r}") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise StyleError(f"hatch origin must be finite, not {origin!r}")
    return x + 0.0, y + 0.0


def _num(value: float) -> bytes:
    """One coordinate by the number policy."""
    return format_number(value, HATCH_DECIMALS)


def _hatch_content(hatch: str, color: Color, line_width: float, size: float) -> bytes:
    """The lines and shapes of a hatch as one path in a cell `size` points square, filled and stroked."""
    out = [_num(line_width) + b" w\n" + stroke_operator(color) + b"\n" + fill_operator(color) + b"\n"]
    segments = _line_segments(hatch)
    if len(segments):
        out.append(_rows(segments * size, [b" ", b" m ", b" ", b" l\n"]))
    out.extend(_rows(points.reshape(len(points), -1) * size, ops) for points, ops in _shapes(hatch))
    # B even for lines alone, as matplotlib writes it: some viewers (Ghostscript) paint the
    # zero-area fill of a line as a hairline, so S alone would draw thinner lines there.
    out.append(b"B\n")
    return b"".join(out)


def _count(hatch: str, characters: str) -> int:
    """How many lines (or rows) per cell the given characters of `hatch` ask for."""
    return sum(hatch.count(c) for c in characters) * HATCH_DENSITY


def _line_segments(hatch: str) -> np.ndarray:
    """All hatch lines of the unit cell as an (L, 4) array of x0, y0, x1, y1."""
    parts = []
    n = _count(hatch, "-+")
    if n:
        y = (np.arange(n) + 0.5) / n
        parts.append(np.column_stack([np.zeros(n), y, np.ones(n), y]))
    n = _count(hatch, "|+")
    if n:
        x = (np.arange(n) + 0.5) / n
        parts.append(np.column_stack([x, np.zeros(n), x, np.ones(n)]))
    n = _count(hatch, "/xX")
    if n:
        s = np.linspace(-0.5, 0.5, n + 1)
        parts.append(np.column_stack([s, -s, 1 + s, 1 - s]))
    n = _count(hatch, "\\xX")
    if n:
        s = np.linspace(-0.5, 0.5, n + 1)
        parts.append(np.column_stack([s, 1 + s, 1 + s, s]))
    return np.concatenate(parts) if parts else np.empty((0, 4))


def _centres(rows: int) -> np.ndarray:
    """Shape centres for `rows` rows per cell: (K, 2), even rows on the grid, odd rows shifted half a step."""
    step = 1.0 / rows
    even_y = np.arange(0, rows + 1, 2) * step
    odd_y = np.arange(1, rows + 1, 2) * step
    even_x = np.arange(rows + 1) * step
    odd_x = (np.arange(rows) + 0.5) * step
    even = np.stack(np.meshgrid(even_x, even_y), axis=-1).reshape(-1, 2)
    odd = np.stack(np.meshgrid(odd_x, odd_y), axis=-1).reshape(-1, 2)
    return np.concatenate([even, odd])


def _shapes(hatch: str) -> list[tuple[np.ndarray, list[bytes]]]:
    """Shapes of the unit cell: (points (K, P, 2), operator suffixes) per kind, in matplotlib's order."""
    shapes = []
    for character, radius in (("o", 0.2), ("O", 0.35)):
        rows = _count(hatch, character)
        if rows:
            centres = _centres(rows)[:, None, :]
            # The circle, then the same circle reversed at 0.9 the radius: filled (nonzero), a ring.
            shapes.append((centres + _CIRCLE * (radius / rows), _CIRCLE_OPS))
            shapes.append((centres + _CIRCLE * [1, -1] * (0.9 * radius / rows), _CIRCLE_OPS))
    rows = _count(hatch, ".")
    if rows:
        shapes.append((_centres(rows)[:, None, :] + _CIRCLE * (0.1 / rows), _CIRCLE_OPS))
    rows = _count(hatch, "*")
    if rows:
        shapes.append((_centres(rows)[:, None, :] + _STAR / 3 / rows, _STAR_OPS))
    return shapes


def _rows(values: np.ndarray, ops: list[bytes]) -> bytes:
    """Format each row of `values` by the number policy, each number followed by its suffix in `ops`."""
    tokens = format_array(values, HATCH_DECIMALS).split(b" ")
    return b"".join([token + op for token, op in zip(tokens, ops * len(values))])
