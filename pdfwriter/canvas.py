"""The friendly drawing API of a page: shapes, markers, meshes, clips and transforms.

Style keywords (fill, stroke, line_width, dash, cap, join, miter_limit, alpha,
fill_alpha, stroke_alpha, fill_rule, hatch, hatch_color, hatch_line_width,
hatch_origin, blend_mode) are checked here and turned into a GraphicsContext; the renderer
below does the drawing.
"""

from __future__ import annotations

import math
import numbers
import os
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Iterator

import numpy as np

from .errors import AnnotationError, FontError, StyleError
from .graphics.color import Color, is_single_color, parse_color, parse_colors
from .graphics.gstate import CAPS, FILL_RULES, JOINS, GraphicsContext
from .graphics.paint import LinearGradient, RadialGradient
from .graphics.path import Path, as_affine, to_operators
from .graphics.renderer import Renderer
from .pdf.numbers import format_array
from .resources.canon import BLEND_MODES
from .resources.hatch import HATCH_CHARACTERS, check_hatch_origin
from .text.base import Font
from .text.fonts import default_fallbacks, resolve_font
from .text.layout import HALIGN, RENDER_MODES, VALIGN, TextStyle, block_origin, lay_out
from .text.layout import measure as measure_text_width
from .graphics.checks import non_negative as _positive
from .graphics.checks import finite as _finite

if TYPE_CHECKING:
    from .annotations import Link, Note

# The image and annotation modules (and difflib, for suggestions) load on first use: a
# document of text and shapes starts a few milliseconds sooner without them.

STYLE_KEYWORDS = (
    "fill", "stroke", "line_width", "dash", "cap", "join", "miter_limit", "alpha", "fill_alpha",
    "stroke_alpha", "fill_rule", "hatch", "hatch_color", "hatch_line_width", "hatch_origin", "blend_mode",
)
# Named dashes, in multiples of the line width (on, off, ...).
DASHES = {
    "dashed": (3.7, 1.6),
    "dotted": (1.0, 1.65),
    "dashdot": (6.4, 1.6, 1.0, 1.6),
}


def _unit_markers() -> dict[str, Path]:
    """Marker shapes one point across (radius 0.5), centred on the origin."""
    half = 0.5
    shapes = {
        "o": Path.circle(0, 0, half),
        "s": Path.rectangle(-half, -half, 1, 1),
        "D": Path.polygon([(0, -half), (half, 0), (0, half), (-half, 0)]),
        "d": Path.polygon([(0, -half), (0.3, 0), (0, half), (-0.3, 0)]),
        "^": Path.unit_regular_polygon(3).transformed((half, 0, 0, half, 0, 0)),
        "p": Path.unit_regular_polygon(5).transformed((half, 0, 0, half, 0, 0)),
        "h": Path.unit_regular_polygon(6).transformed((half, 0, 0, half, 0, 0)),
        "*": Path.unit_star(5, 0.381966).transformed((half, 0, 0, half, 0, 0)),
        "+": Path([(-half, 0), (half, 0), (0, -half), (0, half)], [1, 2, 1, 2]),
        "x": Path([(-half, -half), (half, half), (-half, half), (half, -half)], [1, 2, 1, 2]),
        "|": Path([(0, -half), (0, half)]),
        "_": Path([(-half, 0), (half, 0)]),
        ".": Path.circle(0, 0, half / 2.5),
    }
    shapes["v"] = shapes["^"].transformed((1, 0, 0, -1, 0, 0))
    shapes["<"] = shapes["^"].transformed((0, 1, -1, 0, 0, 0))
    shapes[">"] = shapes["^"].transformed((0, -1, 1, 0, 0, 0))
    return shapes


MARKERS = _unit_markers()
_LINE_MARKERS = frozenset("+x|_")


def _per_point(colors: Any) -> bool:
    """True when a fill or stroke argument is one colour per point rather than one colour."""
    return not (colors is None or isinstance(colors, (str, Color, numbers.Real)) or is_single_color(colors))


def _faded(colors: np.ndarray, style: dict[str, Any], own: str) -> np.ndarray:
    """Per-item RGBA rows with their alpha times the style's `alpha` and `own` (fill_alpha or stroke_alpha)."""
    factor = 1.0
    for key in ("alpha", own):
        if style.get(key) is not None:
            factor *= style[key]
    return colors if factor == 1.0 else colors * [1.0, 1.0, 1.0, factor]


def _unit_interval(name: str, value: Any) -> float:
    number = _positive(name, value)
    if number > 1:
        raise StyleError(f"{name} must be between 0 and 1, not {value!r}")
    return number


def _choice(name: str, value: Any, options: Any) -> str:
    if not isinstance(value, str) or value not in options:
        raise StyleError(f"{name} must be one of {', '.join(map(repr, options))}, not {value!r}")
    return value


def _numbers(what: str, values: Any) -> np.ndarray:
    """values as a float64 array, else StyleError naming `what` (ragged lists, text, numbers past float)."""
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise StyleError(f"{what} needs arrays of numbers, not {values!r:.60}") from None


def parse_dash(dash: Any, line_width: float) -> tuple[tuple[float, ...], float] | None:
    """A dash keyword: None/'solid', 'dashed', 'dotted', 'dashdot', a sequence, or (sequence, offset)."""
    if dash is None or (isinstance(dash, str) and dash == "solid"):
        return None
    if isinstance(dash, str):
        if dash not in DASHES:
            raise StyleError(f"dash must be 'solid', {', '.join(map(repr, DASHES))} or a sequence of lengths, not {dash!r}")
        scale = max(line_width, 0.1)
        return tuple(v * scale for v in DASHES[dash]), 0.0
    offset = 0.0
    if isinstance(dash, tuple) and len(dash) == 2 and not np.isscalar(dash[0]):
        dash, offset = dash
        offset = _finite("dash offset", offset)
    try:
        lengths = tuple(float(v) for v in dash)
    except (TypeError, ValueError, OverflowError):
        raise StyleError(f"dash must be a name or a sequence of lengths in points, not {dash!r:.60}") from None
    if not lengths or any(not math.isfinite(v) or v < 0 for v in lengths) or not any(lengths):
        raise StyleError(f"dash lengths must be finite, non-negative and not all zero: {dash!r:.60}")
    return lengths, offset


_IDENTITY = np.eye(3).tobytes()

# Text calls repeat their arguments: the TextStyle and the (GraphicsContext, fill) each distinct
# set makes are kept, up to a limit (both are immutable once made).
_TEXT_STYLES: dict[Any, Any] = {}
_TEXT_GRAPHICS: dict[Any, Any] = {}
_TEXT_CACHE_LIMIT = 512


def _cached(cache: dict[Any, Any], key: Any, build: Any) -> Any:
    """cache[key], built on first use; unhashable arguments (a list of fallbacks, a colour array) are not kept."""
    try:
        found = cache.get(key)
    except TypeError:
        return build()
    if found is None:
        if len(cache) >= _TEXT_CACHE_LIMIT:
            cache.clear()
        found = cache[key] = build()
    return found


def _with_alpha(color: Color | None, *factors: float | None) -> Color | None:
    """The colour with its alpha multiplied by the given factors (None ignored)."""
    if color is None:
        return None
    alpha = color.alpha
    for factor in factors:
        if factor is not None:
            alpha *= factor
    return replace(color, alpha=alpha) if alpha != color.alpha else color


class Canvas:
    """Drawing methods shared by pages (and, later, forms). Needs a `renderer` and a size."""

    renderer: Renderer
    width: float
    height: float

    def _init_canvas(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self._scope: tuple[bytes, ...] = ()
        self._ctm = np.eye(3)
        # The visible region in page space: the page, narrowed by clips.
        self._visible_box = (0.0, 0.0, float(self.width), float(self.height))
        #: Links and notes, written with the page in the order they were made.
        self.annotations: list[Link | Note] = []

    # Style ------------------------------------------------------------------
    def _style(self, style: dict[str, Any], *, default_stroke: Any) -> tuple[GraphicsContext, Color | None]:
        """Check style keywords and build the GraphicsContext and fill colour they ask for."""
        for key in style:
            if key not in STYLE_KEYWORDS:
                import difflib

                near = difflib.get_close_matches(key, STYLE_KEYWORDS, n=1)
                hint = f"; did you mean {near[0]!r}?" if near else f"; valid: {', '.join(STYLE_KEYWORDS)}"
                raise StyleError(f"unknown style keyword {key!r}{hint}")
        alpha = style.get("alpha")
        alpha = None if alpha is None else _unit_interval("alpha", alpha)
        fill_alpha = style.get("fill_alpha")
        fill_alpha = None if fill_alpha is None else _unit_interval("fill_alpha", fill_alpha)
        stroke_alpha = style.get("stroke_alpha")
        stroke_alpha = None if stroke_alpha is None else _unit_interval("stroke_alpha", stroke_alpha)
        fill_value = style.get("fill")
        if isinstance(fill_value, (LinearGradient, RadialGradient)):
            fill = fill_value
            gradient_alpha = fill_alpha if fill_alpha is not None else alpha
        else:
            fill = _with_alpha(parse_color(fill_value, name="fill"), alpha, fill_alpha)
            gradient_alpha = None
        stroke_value = style.get("stroke", default_stroke)
        stroke = _with_alpha(parse_color(stroke_value, name="stroke"), alpha, stroke_alpha)
        line_width = _positive("line_width", style.get("line_width", 1.0))
        hatch = style.get("hatch")
        if hatch is not None:
            if not isinstance(hatch, str) or not hatch or set(hatch) - set(HATCH_CHARACTERS):
                raise StyleError(f"hatch must be a string of {' '.join(HATCH_CHARACTERS)}, not {hatch!r}")
        hatch_color = parse_color(style.get("hatch_color", "black"), name="hatch_color")
        if hatch_color is None:
            raise StyleError("hatch_color cannot be None; leave hatch out instead")
        gc = GraphicsContext(
            stroke=stroke,
            line_width=line_width,
            dash=parse_dash(style.get("dash"), line_width),
            cap=_choice("cap", style.get("cap", "butt"), tuple(CAPS)),
            join=_choice("join", style.get("join", "miter"), tuple(JOINS)),
            miter_limit=_positive("miter_limit", style.get("miter_limit", 10.0)),
            blend_mode=_choice("blend_mode", style.get("blend_mode", "Normal"), BLEND_MODES),
            scope=self._scope,
            hatch=hatch,
            hatch_color=_with_alpha(hatch_color, alpha),
            hatch_line_width=_positive("hatch_line_width", style.get("hatch_line_width", 1.0)),
            hatch_origin=check_hatch_origin(style.get("hatch_origin", (0.0, 0.0))),
            fill_rule=_choice("fill_rule", style.get("fill_rule", "nonzero"), FILL_RULES),
            cull_box=self._cull_box(),
            fill_alpha=gradient_alpha,
        )
        return gc, fill

    def _cull_box(self) -> tuple[float, float, float, float]:
        """The visible region in the current user space (where drawing coordinates live)."""
        x0, y0, x1, y1 = self._visible_box
        if self._ctm.tobytes() == _IDENTITY:
            return x0, y0, x1, y1
        inverse = np.linalg.inv(self._ctm)
        corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]]) @ inverse.T
        return (*corners[:, :2].min(axis=0), *corners[:, :2].max(axis=0))

    # Shapes ----------------------------------------------------------------
    def draw_path(self, path: Path, *, transform: Any = None, simplify: float | None = None, **style: Any) -> None:
        """Fill and/or stroke a Path (stroked in black unless a fill or stroke is given)."""
        if not isinstance(path, Path):
            raise StyleError(f"draw_path takes a pdfwriter.Path, not {type(path).__name__}")
        gc, fill = self._style(style, default_stroke=None if "fill" in style else "black")
        if simplify is not None:
            simplify = _positive("simplify", simplify, allow_zero=False)
        self.renderer.draw_path(gc, path, transform, fill, simplify=simplify)

    def line(self, *points: Any, simplify: float | None = None, **style: Any) -> None:
        """Stroke a polyline: line(x0, y0, x1, y1) or line(xy) with an (N, 2) array."""
        if len(points) == 4:
            xy = _numbers("line", points).reshape(2, 2)
        elif len(points) == 1:
            xy = _numbers("line", points[0])
        else:
            raise StyleError("line takes (x0, y0, x1, y1) or one (N, 2) array of points")
        if "fill" in style:
            raise StyleError("line cannot be filled; use polygon(..., fill=...) for a filled shape")
        self.draw_path(Path(xy), simplify=simplify, **style)

    def rect(self, x: float, y: float, width: float, height: float, **style: Any) -> None:
        """A rectangle with its lower-left corner at (x, y)."""
        self.draw_path(Path.rectangle(x, y, width, height), **style)

    def circle(self, cx: float, cy: float, r: float, **style: Any) -> None:
        """A circle of radius r centred on (cx, cy)."""
        self.draw_path(Path.circle(cx, cy, r), **style)

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, **style: Any) -> None:
        """An axis-aligned ellipse centred on (cx, cy)."""
        self.draw_path(Path.ellipse(cx, cy, rx, ry), **style)

    def polygon(self, xy: Any, *, closed: bool = True, **style: Any) -> None:
        """A polygon through the (N, 2) points, closed unless closed=False."""
        self.draw_path(Path.polygon(xy, closed=closed), **style)

    def markers(
        self,
        xy: Any,
        marker: str | Path = "o",
        size: Any = 6.0,
        *,
        fill: Any = "black",
        stroke: Any = None,
        **style: Any,
    ) -> None:
        """Draw a marker of `size` points at each (x, y); fill, stroke and size may be per point.

        `marker` is one of o s D d ^ v < > p h * + x | _ . or a Path around the
        origin, one unit across. `fill` and `stroke` are each a colour or a
        sequence of colours (or an (N, 3)/(N, 4) array), one per point; `size`
        a number or one per point.
        """
        xy = _numbers("markers", xy)
        if xy.ndim != 2 or xy.shape[1] != 2:
            raise StyleError(f"markers needs an (N, 2) array of points, got shape {xy.shape}")
        shape = marker if isinstance(marker, Path) else MARKERS.get(marker)
        if shape is None:
            raise StyleError(f"unknown marker {marker!r}; use one of {' '.join(MARKERS)} or a Path")
        if not isinstance(marker, Path) and marker in _LINE_MARKERS and stroke is None:
            stroke, fill = fill, None
        sizes = _numbers("marker size", size)
        if sizes.ndim > 1 or (sizes.ndim == 1 and len(sizes) != len(xy)):
            raise StyleError(f"size must be a number or one per point ({len(xy)}), got shape {sizes.shape}")
        if np.any(~np.isfinite(sizes)) or np.any(sizes < 0):
            raise StyleError("marker sizes must be finite and non-negative")
        fills = parse_colors(fill, len(xy), name="fill") if _per_point(fill) else None
        strokes = parse_colors(stroke, len(xy), name="stroke") if _per_point(stroke) else None
        gc, fill_color = self._style({**style, "fill": None if fills is not None else fill,
                                      "stroke": None if strokes is not None else stroke}, default_stroke=None)
        if fills is not None:
            fills = _faded(fills, style, "fill_alpha")
        if strokes is not None:
            strokes = _faded(strokes, style, "stroke_alpha")
        self.renderer.draw_marker_array(gc, shape, None, xy, fill=fill_color, fills=fills, strokes=strokes,
                                        scales=sizes)

    def gouraud_triangles(self, points: Any, colors: Any) -> None:
        """Triangles (N, 3, 2) whose vertex colours (N, 3, 3 or 4; 0-1) blend smoothly across them."""
        points = _numbers("gouraud_triangles", points)
        colors = _numbers("gouraud_triangles colors", colors)
        if points.ndim != 3 or points.shape[1:] != (3, 2) or len(points) == 0:
            raise StyleError(f"gouraud_triangles needs points of shape (N, 3, 2), N >= 1, got {points.shape}")
        if colors.shape[:2] != points.shape[:2] or colors.shape[2] not in (3, 4):
            raise StyleError(f"colors must have shape (N, 3, 3) or (N, 3, 4) to match points, got {colors.shape}")
        if colors.shape[2] == 3:
            colors = np.concatenate([colors, np.ones(colors.shape[:2] + (1,))], axis=2)
        if not np.isfinite(colors).all() or colors.min() < 0 or colors.max() > 1:
            raise StyleError("gouraud colors must be finite numbers between 0 and 1")
        gc = GraphicsContext(scope=self._scope)
        self.renderer.draw_gouraud_triangles(gc, points, colors)

    def quad_mesh(self, coordinates: Any, colors: Any, *, stroke: Any = None, **style: Any) -> None:
        """Fill a grid of quads, one colour each: corners (H+1, W+1, 2), colours for the H*W quads row by row.

        Colours are anything `markers` takes per point (an (H*W, 3 or 4) array,
        a list of colours, or one colour); quads with a NaN corner are left out.
        """
        grid = _numbers("quad_mesh", coordinates)
        if grid.ndim != 3 or grid.shape[2] != 2 or grid.shape[0] < 2 or grid.shape[1] < 2:
            raise StyleError(f"quad_mesh needs corners of shape (H+1, W+1, 2) with H, W >= 1, got {grid.shape}")
        count = (grid.shape[0] - 1) * (grid.shape[1] - 1)
        if isinstance(colors, np.ndarray) and colors.ndim == 3:
            colors = colors.reshape(-1, colors.shape[2])
        if "fill" in style:
            raise StyleError("quad_mesh takes its fill colours from `colors`, not `fill`")
        fills = parse_colors(colors, count)
        gc, _ = self._style({**style, "stroke": stroke}, default_stroke=None)
        self.renderer.draw_quad_mesh(gc, grid, _faded(fills, style, "fill_alpha"))

    # Text -------------------------------------------------------------------
    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        font: Any = None,
        size: float = 12.0,
        color: Any = "black",
        angle: float = 0.0,
        halign: str = "left",
        valign: str = "baseline",
        line_spacing: float = 1.2,
        char_spacing: float = 0.0,
        word_spacing: float = 0.0,
        horizontal_scale: float = 100.0,
        render: str = "fill",
        stroke: Any = None,
        line_width: float = 1.0,
        alpha: float | None = None,
        kerning: bool = True,
        fallback: Any = None,
        shaping: bool | None = None,
        url: str | None = None,
    ) -> None:
        """Show text with its anchor at (x, y); lines split at newlines.

        `font` is a Font, a file path, a family name or one of the 14 standard
        names (default: the bundled DejaVu Sans); `fallback` fonts supply
        characters it lacks (default: a CJK font when one is installed).
        `render` is fill, stroke, fill_stroke or invisible (a searchable layer
        over a scanned image); `angle` in degrees, counter-clockwise.
        `shaping`: None shapes lines of scripts that need it (Arabic,
        Devanagari, ...) with HarfBuzz (the ``pdfwriter[shaping]`` extra), True
        shapes every line (ligatures, mark positioning), False none.
        ``font.as_type3()`` embeds an OpenType or Type 1 font as Type 3.
        `url` makes each line's box (ascent to descent) a link to that address.
        """
        style = self._text_style(font, size, line_spacing, char_spacing, word_spacing, horizontal_scale, kerning, fallback,
                                 shaping)
        if not isinstance(render, str) or render not in RENDER_MODES or render == "clip":
            raise StyleError(f"render must be one of fill, stroke, fill_stroke, invisible, not {render!r} (use clip_text to clip)")
        _choice("halign", halign, HALIGN)
        _choice("valign", valign, VALIGN)
        if not isinstance(text, str):
            raise StyleError(f"text must be a str, not {type(text).__name__}")
        shape_style: dict[str, Any] = {"fill": color, "stroke": stroke if render in ("stroke", "fill_stroke") else None,
                                       "line_width": line_width}
        if alpha is not None:
            shape_style["alpha"] = alpha
        if render in ("stroke", "fill_stroke") and stroke is None:
            shape_style["stroke"] = color
        # Labels by the thousand repeat one style: its GraphicsContext is made once per scope.
        key = (color, shape_style["stroke"], line_width, alpha, self._scope, self._visible_box, self._ctm.tobytes())
        gc_fill = _cached(_TEXT_GRAPHICS, key, lambda: self._style(shape_style, default_stroke=None))
        gc, fill = gc_fill
        if url is not None:
            from .annotations import Link, normalize_uri, place
        uri = None if url is None else normalize_uri(url)
        x, y = _finite("x", x), _finite("y", y)
        self.renderer.draw_text(gc, fill, x, y, text, style, angle=_finite("angle", angle), halign=halign,
                                valign=valign, render=render)
        if uri is not None:
            quads = self._text_boxes(x, y, text, style, angle, halign, valign)
            if len(quads):
                rect, quad_points = place(quads, self._ctm)
                self._annotate(Link(rect, quad_points, uri=uri))

    def _text_boxes(
        self, x: float, y: float, text: str, style: TextStyle, angle: float, halign: str, valign: str
    ) -> np.ndarray:
        """Each non-empty line's box, from the primary font's descent to its ascent: (n, 4, 2) corners."""
        laid_out = lay_out(text, style, self.renderer.canon.warned_chars)
        widths = [width for width, _ in laid_out]
        xs, first = block_origin(len(widths), widths, style, halign, valign)
        leading = style.size * style.line_spacing
        ascent = style.fonts[0].ascent * style.size / 1000
        descent = style.fonts[0].descent * style.size / 1000
        boxes = []
        for index, (left, width) in enumerate(zip(xs, widths)):
            if width > 0:
                low, high = first - index * leading + descent, first - index * leading + ascent
                boxes.append([(left, low), (left + width, low), (left + width, high), (left, high)])
        corners = np.array(boxes, dtype=np.float64).reshape(-1, 4, 2)
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        return corners @ np.array([[cos, sin], [-sin, cos]]) + (x, y)

    def measure_text(
        self, text: str, *, font: Any = None, size: float = 12.0, char_spacing: float = 0.0,
        word_spacing: float = 0.0, horizontal_scale: float = 100.0, kerning: bool = True, fallback: Any = None,
        shaping: bool | None = None,
    ) -> float:
        """The width in points of the widest line of `text`, exactly as text() would show it."""
        style = self._text_style(font, size, 1.2, char_spacing, word_spacing, horizontal_scale, kerning, fallback,
                                 shaping)
        return measure_text_width(text, style)

    @contextmanager
    def clip_text(
        self, x: float, y: float, text: str, *, font: Any = None, size: float = 12.0, angle: float = 0.0,
        halign: str = "left", valign: str = "baseline", fallback: Any = None,
    ) -> Iterator[None]:
        """Clip drawing inside the block to the outlines of a text."""
        style = self._text_style(font, size, 1.2, 0.0, 0.0, 100.0, True, fallback)
        x, y = _finite("x", x), _finite("y", y)
        ops = self.renderer.text_operators(x, y, text, style, angle=_finite("angle", angle), halign=_choice("halign", halign, HALIGN),
                                           valign=_choice("valign", valign, VALIGN), mode=RENDER_MODES["clip"])
        saved = self._scope
        self._scope = self._scope + (ops,)
        try:
            yield
        finally:
            self._scope = saved

    def _text_style(
        self, font: Any, size: float, line_spacing: float, char_spacing: float, word_spacing: float,
        horizontal_scale: float, kerning: bool, fallback: Any, shaping: bool | None = None,
    ) -> TextStyle:
        """Resolve fonts and check the numbers of a text call (each distinct call once)."""
        key = (font, size, line_spacing, char_spacing, word_spacing, horizontal_scale, kerning, fallback, shaping)
        return _cached(_TEXT_STYLES, key, lambda: self._new_text_style(*key))

    def _new_text_style(
        self, font: Any, size: float, line_spacing: float, char_spacing: float, word_spacing: float,
        horizontal_scale: float, kerning: bool, fallback: Any, shaping: bool | None,
    ) -> TextStyle:
        primary = resolve_font(font)
        if fallback is None:
            fallbacks = default_fallbacks()
        else:
            if isinstance(fallback, (str, Font, os.PathLike)):
                items = [fallback]
            elif isinstance(fallback, (list, tuple)):
                items = list(fallback)
            else:
                raise FontError(f"fallback must be a font or a list of fonts, not {type(fallback).__name__}")
            fallbacks = tuple(resolve_font(f) for f in items)
        return TextStyle(
            fonts=(primary, *[f for f in fallbacks if f is not primary]),
            size=_positive("size", size, allow_zero=False),
            line_spacing=_finite("line_spacing", line_spacing),
            char_spacing=_finite("char_spacing", char_spacing),
            word_spacing=_finite("word_spacing", word_spacing),
            horizontal_scale=_positive("horizontal_scale", horizontal_scale, allow_zero=False),
            kerning=bool(kerning),
            shaping=None if shaping is None else bool(shaping),
        )

    # Annotations ------------------------------------------------------------
    def link(
        self,
        area: Any,
        uri: str | None = None,
        *,
        page: Any = None,
        top: float | None = None,
        left: float | None = None,
        zoom: float | None = None,
        border: float = 0.0,
        color: Any = None,
    ) -> None:
        """Make an area clickable: it opens `uri`, or goes to `page` of this document.

        `area` is a rectangle (x0, y0, x1, y1) or four (x, y) corners in order
        (rotated text), in the current user space: transform blocks apply.
        `page` is an index (0 for the first page, possibly one not added yet)
        or a Page. The jump shows the whole page, or, given `top` (and `left`,
        `zoom`: 1 for 100%) in that page's points, puts that point at the
        window's top-left. No border is drawn unless `border` (a width in
        points, in `color`) is given.
        """
        from .annotations import Link, area_corners, destination_view, normalize_uri, place

        if (uri is None) == (page is None):
            raise AnnotationError("a link needs either a uri or page=... (a page index or a Page), not both")
        if uri is not None and (top is not None or left is not None or zoom is not None):
            raise AnnotationError("top, left and zoom set the view of a page link; a uri link has none")
        rect, quad_points = place(area_corners(area), self._ctm)
        width = _positive("border", border)
        border_color = parse_color(color, name="color")
        if uri is not None:
            self._annotate(Link(rect, quad_points, uri=normalize_uri(uri), border=width, color=border_color))
            return
        view = destination_view(left, top, zoom)
        self._annotate(
            Link(rect, quad_points, target=self._page_target(page), view=view, border=width, color=border_color)
        )

    def note(
        self,
        at: Any,
        text: str,
        *,
        author: str | None = None,
        subject: str | None = None,
        icon: str = "Note",
        color: Any = None,
        open: bool = False,
    ) -> None:
        """A note: an icon that opens to `text` in viewers (a Text annotation).

        `at` is a point (x, y), the icon's top-left corner (viewers draw it
        about 20 points square at any zoom), or a rectangle (x0, y0, x1, y1).
        `icon` is one of Note, Comment, Key, Help, NewParagraph, Paragraph,
        Insert; `author` shows in the note's title bar; `open` shows the text
        when the page opens.
        """
        from .annotations import Note, check_icon, check_text, note_rect

        self._annotate(
            Note(
                note_rect(at, self._ctm),
                check_text("text", text),
                icon=check_icon(icon),
                author=None if author is None else check_text("author", author),
                subject=None if subject is None else check_text("subject", subject),
                color=parse_color(color, name="color"),
                open=bool(open),
            )
        )

    def _annotate(self, annotation: Link | Note) -> None:
        """Keep a link or note for the page's /Annots."""
        self.annotations.append(annotation)

    def _page_target(self, target: Any) -> int:
        """The index of a page a link goes to."""
        from .annotations import page_index

        return page_index(target)

    # Scopes ---------------------------------------------------------------
    @contextmanager
    def clip(self, shape: Path | tuple[float, float, float, float], *, fill_rule: str = "nonzero") -> Iterator[None]:
        """Clip drawing inside the block to a Path or an (x, y, width, height) rectangle."""
        path = shape if isinstance(shape, Path) else Path.rectangle(*shape)
        _choice("fill_rule", fill_rule, FILL_RULES)
        ops = to_operators(path)
        extents = path.extents()
        saved = self._scope, self._visible_box
        self._scope = self._scope + (ops + (b"W n\n" if fill_rule == "nonzero" else b"W* n\n"),)
        if extents is not None:
            corners = np.array(
                [[extents[0], extents[1], 1], [extents[2], extents[1], 1],
                 [extents[0], extents[3], 1], [extents[2], extents[3], 1]]
            ) @ self._ctm.T
            lo, hi = corners[:, :2].min(axis=0), corners[:, :2].max(axis=0)
            x0, y0, x1, y1 = self._visible_box
            self._visible_box = (max(x0, lo[0]), max(y0, lo[1]), min(x1, hi[0]), min(y1, hi[1]))
        try:
            yield
        finally:
            self._scope, self._visible_box = saved

    @contextmanager
    def transform(self, matrix: Any) -> Iterator[None]:
        """Draw inside the block in a coordinate system moved by an affine matrix (a, b, c, d, e, f)."""
        m = as_affine(matrix)
        if abs(np.linalg.det(m[:2, :2])) < 1e-12:
            raise StyleError("the transformation matrix is singular (it collapses the drawing to a line)")
        values = m[:2, :].T.ravel()
        saved = self._scope, self._ctm, self.renderer.unit_scale
        self._scope = self._scope + (format_array(values, 6) + b" cm\n",)
        self._ctm = self._ctm @ m
        # Coordinates keep more decimals where a unit of user space spans more of the page.
        self.renderer.unit_scale = float(np.linalg.norm(self._ctm[:2, :2], 2))
        try:
            yield
        finally:
            self._scope, self._ctm, self.renderer.unit_scale = saved

    # Images and raster groups -------------------------------------------------
    def image(
        self,
        data: Any,
        x: float,
        y: float,
        width: float | None = None,
        height: float | None = None,
        *,
        origin: str = "upper",
        interpolate: bool = False,
        transform: Any = None,
        cmap: Any = None,
        vmin: float | None = None,
        vmax: float | None = None,
        norm: str = "linear",
        bad: Any = None,
        alpha: float | None = None,
        blend_mode: str = "Normal",
    ) -> None:
        """Draw an image with its lower-left corner at (x, y), `width` x `height` points.

        `data` is a numpy array (gray, gray+alpha, RGB, RGBA; uint8, uint16,
        bool or floats 0..1), a PIL image, a matplotlib canvas, a vtkImageData,
        or a PNG or JPEG file (path or bytes; embedded without re-encoding when
        possible). The default size is one point per pixel; given one of width
        and height, the other keeps the aspect ratio. origin="upper" puts row 0
        at the top, "lower" at the bottom. With `cmap` a 2-D array of values is
        colour-mapped (vmin, vmax, norm "linear" or "log", `bad` colour for NaN).
        """
        style: dict[str, Any] = {"blend_mode": blend_mode}
        if alpha is not None:
            style["alpha"] = alpha
        gc, _ = self._style(style, default_stroke=None)
        gc = replace(gc, fill_alpha=None if alpha is None else _unit_interval("alpha", alpha))
        from .image import draw_image

        draw_image(self.renderer, gc, data, x, y, width, height, origin=origin, interpolate=interpolate,
                   transform=transform, cmap=cmap, vmin=vmin, vmax=vmax, norm=norm, bad=bad)

    @contextmanager
    def rasterized(self, dpi: float = 150.0) -> Iterator[None]:
        """Draw everything inside the block as one image at `dpi`, placed where the vectors would be.

        For drawings too heavy as vectors (millions of markers, dense meshes):
        the block is rendered by pdfium (the `raster` extra: pypdfium2) to an
        RGBA raster over what was drawn, clipped to the visible page, and
        embedded as one image with a soft mask. Clips and transforms around the
        block apply as they would to vectors. On a Page, operators written
        straight into `page.content` inside the block are rasterized too.
        """
        from .raster import RasterGroup

        group = RasterGroup(self, dpi)
        restore = group.enter(self)
        try:
            yield
        except BaseException:
            restore()
            group.discard()
            raise
        restore()
        group.place(self)
