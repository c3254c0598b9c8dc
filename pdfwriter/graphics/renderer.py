"""The renderer: backend-neutral drawing calls turned into content-stream bytes.

Both the page API and the matplotlib adapter draw through these calls. Each
one sets the graphics state through the StateStack (only what changes),
writes geometry in bulk with numpy, and takes shared resources (ExtGState,
hatch patterns, marker forms, shadings) from the document's canon.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import replace
from typing import Any, Sequence

import numpy as np

from ..errors import GeometryError
from ..pdf.objects import Name, Stream
from ..resources.canon import ResourceCanon
from ..resources.hatch import check_hatch_origin, hatch_pattern
from ..resources.shading import gouraud_shading
from .color import Color
from .content import COLOR_DECIMALS, CONTENT_DECIMALS, COORDINATE_DECIMALS, ContentStream, rows_text
from .gstate import BLACK, JOINS, GraphicsContext, StateStack, _normal_dash
from ..text.base import Font
from ..text.layout import RENDER_MODES, TextStyle, text_operators
from .paint import LinearGradient, RadialGradient
from .path import Path, as_affine, to_operators

#: Up to this many plain markers are culled in Python floats (see draw_marker_array).
_FEW_MARKERS = 8
_NOT_POLYGON = np.array([Path.STOP, Path.MOVETO, Path.CURVE3, Path.CURVE4])
_PAINT = {
    (True, True, "nonzero"): b"B\n", (True, True, "evenodd"): b"B*\n",
    (True, False, "nonzero"): b"f\n", (True, False, "evenodd"): b"f*\n",
    (False, True, "nonzero"): b"S\n", (False, True, "evenodd"): b"S\n",
}
# Size model of a marker form against inlined copies, after compression: bytes per number
# that differs between items (measured: 2-3 for coordinates to 0.01 pt), and the form
# object with its dictionary and resource entry.
_NUMBER_BYTES = 2.5
_FORM_OVERHEAD = 150
_NUMBER_START = frozenset(b"-.0123456789")
#: Hatch tiles are this many points square (matplotlib's hatch unit is one inch).
HATCH_CELL = 72.0


def _visible(color: Color | None, alpha_override: float | None) -> Color | None:
    """The colour if painting with it would show anything, else None."""
    if color is None:
        return None
    alpha = color.alpha if alpha_override is None else alpha_override
    return color if alpha > 0 else None


def stroke_reach(gc: GraphicsContext) -> float:
    """How far a stroke can reach beyond its path (half the width, more for miter joins)."""
    if not gc.strokes():
        return 0.0
    factor = max(gc.miter_limit, 1.0) if JOINS[gc.join] == 0 else 1.0
    return gc.line_width / 2 * factor * (1.5 if gc.cap == "projecting" or gc.cap == "square" else 1.0)


class Renderer:
    """Draws into one content stream (a page or a form) within `bounds` (x0, y0, x1, y1)."""

    def __init__(
        self,
        content: ContentStream,
        canon: ResourceCanon,
        resources: dict[str, dict],
        bounds: tuple[float, float, float, float],
    ) -> None:
        self.content = content
        self.canon = canon
        self.resources = resources
        self.bounds = bounds
        self.stack = StateStack(content, canon, resources)
        #: Points per unit of the current user space (the CTM's largest stretch); the
        #: page API keeps it current inside its transform blocks.
        self.unit_scale = 1.0
        #: Decimals of a point that path and marker coordinates keep on the page.
        self.coordinate_places = COORDINATE_DECIMALS
        # Marker operators and extents by content: plotting libraries send the same marker
        # as a new object with every call.
        self._markers: dict[tuple, tuple[bytes, tuple[float, float, float, float] | None]] = {}

    def coordinate_decimals(self) -> int:
        """Decimals that put coordinates of the current user space on a page grid of coordinate_places
        (0.01 pt by default)."""
        extra = math.ceil(math.log10(self.unit_scale) - 1e-9) if self.unit_scale > 1 else 0
        return min(self.coordinate_places + extra, 12)

    # Paths ----------------------------------------------------------------
    def draw_path(
        self,
        gc: GraphicsContext,
        path: Path,
        transform: Any = None,
        fill: Color | None = None,
        *,
        simplify: float | None = None,
    ) -> None:
        """Fill and/or stroke a path; a hatch is painted over the fill."""
        if isinstance(fill, (LinearGradient, RadialGradient)):
            self._draw_gradient_path(gc, path, transform, fill, simplify)
            return
        fill = _visible(fill, gc.fill_alpha)
        stroke = gc.strokes()
        if fill is None and not stroke and not gc.hatch:
            return
        ops = to_operators(path, self.coordinate_decimals(), transform=transform, simplify=simplify)
        if not ops:
            return
        if gc.hatch:
            inherit = self.stack.inherit_color
            if inherit:
                # No colour can be set back after the pattern: the inherited one returns with Q.
                self.stack.set_clips(gc.scope)
                self.stack.push()
            self._draw_hatched(gc, fill, stroke, ops)
            if inherit:
                self.stack.pop()
            return
        self.stack.apply(gc, fill, stroke=stroke)
        self.content.raw(ops)
        self.content.raw(_PAINT[fill is not None, stroke, gc.fill_rule])

    def _draw_hatched(self, gc: GraphicsContext, fill: Color | None, stroke: bool, ops: bytes) -> None:
        """A path's fill and hatch pattern (see draw_path)."""
        if gc.fill_in_hatch and fill is not None:
            self._use_hatch(gc, fill)
            self.stack.apply(replace(gc, fill_alpha=fill.alpha), None, stroke=stroke, pattern=True)
            self.content.raw(ops + _PAINT[True, stroke, gc.fill_rule])
            return
        if fill is not None:
            self.stack.apply(gc, fill, stroke=False)
            self.content.raw(ops + _PAINT[True, False, gc.fill_rule])
        self._use_hatch(gc)
        # The pattern carries the hatch colour's alpha: paint it at full opacity.
        self.stack.apply(replace(gc, fill_alpha=1.0), None, stroke=stroke, pattern=True)
        self.content.raw(ops + _PAINT[True, stroke, gc.fill_rule])

    def _draw_gradient_path(
        self, gc: GraphicsContext, path: Path, transform: Any, paint: LinearGradient | RadialGradient,
        simplify: float | None,
    ) -> None:
        """Fill a path with a gradient (clip to it, paint the shading), then stroke it if asked."""
        ops = to_operators(path, self.coordinate_decimals(), transform=transform, simplify=simplify)
        if not ops:
            return
        built = paint.shading()
        name, ref = self.canon.get("Shading", "S", paint, lambda: built.shading)
        # sh paints with the fill alpha: the gradient's own (its stops' alphas go through a soft
        # mask), never one left set by an earlier fill.
        opacity = 1.0 if gc.fill_alpha is None else gc.fill_alpha
        self.stack.apply(replace(gc, fill_alpha=opacity), None, stroke=False)
        self.stack.use_resource("Shading", name, ref)
        clip = b"W n\n" if gc.fill_rule == "nonzero" else b"W* n\n"
        mask = b""
        if built.alpha_shading is not None:
            extents = (path.transformed(transform) if transform is not None else path).extents()
            mask_name, mask_ref = self._gradient_mask(paint, built.alpha_shading, extents)
            self.stack.use_resource("ExtGState", mask_name, mask_ref)
            mask = b"/" + mask_name.encode() + b" gs "
        self.content.raw(b"q\n" + ops + clip + mask + b"/" + name.encode() + b" sh\nQ\n")
        if gc.strokes():
            self.stack.apply(gc, None, stroke=True)
            self.content.raw(ops + b"S\n")

    def _gradient_mask(self, paint: Any, alpha_shading: dict, extents: tuple[float, float, float, float]) -> tuple[str, Any]:
        """An ExtGState whose luminosity soft mask paints a gradient's alpha over `extents`."""
        x0, y0, x1, y1 = extents

        def build() -> dict:
            group = Stream(
                b"/S0 sh\n",
                {
                    "Type": Name("XObject"), "Subtype": Name("Form"),
                    "BBox": [x0 - 1, y0 - 1, x1 + 1, y1 + 1],
                    "Group": {"S": Name("Transparency"), "CS": Name("DeviceGray")},
                    "Resources": {"Shading": {"S0": alpha_shading}},
                },
            )
            mask = {"Type": Name("Mask"), "S": Name("Luminosity"), "G": self.canon.writer.add(group)}
            return {"Type": Name("ExtGState"), "SMask": mask}

        return self.canon.get("ExtGState", "G", ("gradient-alpha", paint, extents), build)

    def _use_hatch(self, gc: GraphicsContext, background: Color | None = None) -> None:
        """Make the hatch pattern of gc (cells filled with `background`, opaque, if given) the current fill.

        One pattern per hatch, colour, width, origin and background.
        """
        # Origins whole cells apart tile alike, but viewers round the cells' device positions
        # from the origin as given (pdfium, measured), so each origin keeps its own pattern.
        origin = tuple(round(v, 4) + 0.0 for v in check_hatch_origin(gc.hatch_origin))
        if background is not None:
            background = replace(background, alpha=1.0)
        key = (gc.hatch, gc.hatch_color, round(gc.hatch_line_width, 4), origin, background)

        def build() -> Stream:
            return hatch_pattern(gc.hatch, color=gc.hatch_color, line_width=gc.hatch_line_width, size=HATCH_CELL,
                                 origin=origin, background=background)

        name, ref = self.canon.get("Pattern", "H", key, build)
        self.stack.set_fill_pattern(name, ref)

    # Markers --------------------------------------------------------------
    def draw_markers(
        self,
        gc: GraphicsContext,
        marker: Path,
        marker_transform: Any,
        path: Path,
        transform: Any = None,
        fill: Color | None = None,
    ) -> None:
        """Draw the same marker (in points, around the origin) at every vertex of `path`."""
        positions = self._positions(path, transform)
        self.draw_marker_array(gc, marker, marker_transform, positions, fill=fill)

    def draw_marker_array(
        self,
        gc: GraphicsContext,
        marker: Path,
        marker_transform: Any,
        positions: np.ndarray,
        *,
        fill: Color | None = None,
        fills: np.ndarray | None = None,
        strokes: np.ndarray | None = None,
        scales: np.ndarray | None = None,
    ) -> None:
        """Place a marker form at each (x, y), optionally with per-point RGBA fills, strokes and scales.

        The marker is one Form XObject; each placement is ``q s 0 0 s x y cm /M Do Q``.
        Per-point colours are set outside the q, each only where it changes, and
        alphas through one ExtGState per run of equal alphas, in drawing order;
        `strokes` replaces gc's stroke colour (gc's width, dash, cap and join
        still hold). The stroke width is divided by the scale so it stays the
        same on every marker. Markers entirely outside the bounds are skipped.
        """
        fill = _visible(fill, gc.fill_alpha)
        positions = np.asarray(positions, dtype=np.float64).reshape(-1, 2)
        count = len(positions)
        if fills is not None:
            fills = np.broadcast_to(np.asarray(fills, dtype=np.float64), (count, 4))
        if strokes is not None:
            strokes = np.broadcast_to(np.asarray(strokes, dtype=np.float64), (count, 4))
            if gc.line_width <= 0 or gc.stroke_alpha == 0:
                strokes = None
            elif gc.stroke is None:
                gc = replace(gc, stroke=BLACK)
        stroke = gc.strokes() or strokes is not None
        has_fill = fill is not None or fills is not None
        if not has_fill and not stroke:
            return
        ops, extents = self._marker_geometry(marker, marker_transform)
        if not ops or extents is None:
            return
        reach = stroke_reach(gc)
        x0, y0, x1, y1 = gc.cull_box or self.bounds
        mx0, my0, mx1, my1 = extents
        if count <= _FEW_MARKERS and fills is None and strokes is None and scales is None:
            # A few plain markers (a tick mark, a legend handle): the same culling in Python
            # floats, without the fixed cost of a dozen numpy operations.
            kept = [
                (x, y) for x, y in positions.tolist()
                if math.isfinite(x) and math.isfinite(y)
                and x + mx1 + reach > x0 and x + mx0 - reach < x1 and y + my1 + reach > y0 and y + my0 - reach < y1
            ]
            if not kept:
                return
            px, py = np.array([x for x, _ in kept]), np.array([y for _, y in kept])
            s = np.ones(len(kept))
            fill_alphas = stroke_alphas = None
        else:
            scales = np.ones(count) if scales is None else np.broadcast_to(np.asarray(scales, float), (count,))
            keep = np.isfinite(positions).all(axis=1) & np.isfinite(scales) & (scales > 0)
            s = np.where(keep, scales, 0)
            px, py = positions[:, 0], positions[:, 1]
            keep &= (px + s * mx1 + reach > x0) & (px + s * mx0 - reach < x1)
            keep &= (py + s * my1 + reach > y0) & (py + s * my0 - reach < y1)
            # Per-point alphas (to 1/255, as colours are seen) where the gc does not fix them.
            fill_alphas = None if fills is None or gc.fill_alpha is not None else np.round(fills[:, 3] * 255) / 255
            stroke_alphas = (None if strokes is None or gc.stroke_alpha is not None
                             else np.round(strokes[:, 3] * 255) / 255)
            if fills is not None or strokes is not None:
                shows_fill = (fill is not None) if fills is None else (fill_alphas > 0 if fill_alphas is not None else True)
                shows_stroke = (gc.strokes() if strokes is None
                                else (stroke_alphas > 0 if stroke_alphas is not None else True))
                keep &= shows_fill | shows_stroke
            if not keep.any():
                return
            px, py, s = px[keep], py[keep], s[keep]
            fills = None if fills is None else fills[keep]
            strokes = None if strokes is None else strokes[keep]
            fill_alphas = None if fill_alphas is None else fill_alphas[keep]
            stroke_alphas = None if stroke_alphas is None else stroke_alphas[keep]
        paint = _PAINT[has_fill, stroke, gc.fill_rule]
        pad = reach
        bbox = [mx0 - pad, my0 - pad, mx1 + pad, my1 + pad]
        key = (ops, paint, tuple(round(v, 3) for v in bbox))

        def build() -> Stream:
            return Stream(
                ops + paint,
                {"Type": Name("XObject"), "Subtype": Name("Form"), "BBox": bbox, "Resources": {}},
            )

        name, ref = self.canon.get("XObject", "M", key, build)
        self.stack.use_resource("XObject", name, ref)
        do = b" cm /" + name.encode() + b" Do Q\n"
        width = gc.line_width if stroke else None
        dash = _normal_dash(gc.dash) if stroke else None
        if fills is None and strokes is None:
            self.stack.apply(gc, fill, stroke=stroke)
            self.place_markers(px, py, s, width, do, [], dash=dash)
            return
        fill_rgb = None if fills is None else np.round(fills[:, :3], COLOR_DECIMALS)
        stroke_rgb = None if strokes is None else np.round(strokes[:, :3], COLOR_DECIMALS)
        alpha_columns = [a for a in (fill_alphas, stroke_alphas) if a is not None]
        # Runs of equal alphas keep the drawing order; each run sets its ExtGState once.
        starts = [0]
        if alpha_columns:
            alphas = np.column_stack(alpha_columns)
            starts += list(np.flatnonzero(np.any(alphas[1:] != alphas[:-1], axis=1)) + 1)
        for begin, end in zip(starts, [*starts[1:], len(px)]):
            run_gc, run_fill, prefix = gc, fill, []
            if fill_rgb is not None:
                run_fill = Color("rgb", tuple(float(v) for v in fill_rgb[begin]), 1.0)
                if fill_alphas is not None:
                    run_gc = replace(run_gc, fill_alpha=float(fill_alphas[begin]))
                prefix += self._colour_columns(fill_rgb[begin:end], b" rg\n")
            if stroke_rgb is not None:
                run_gc = replace(run_gc, stroke=Color("rgb", tuple(float(v) for v in stroke_rgb[begin]), 1.0))
                if stroke_alphas is not None:
                    run_gc = replace(run_gc, stroke_alpha=float(stroke_alphas[begin]))
                prefix += self._colour_columns(stroke_rgb[begin:end], b" RG\n")
            self.stack.apply(run_gc, run_fill, stroke=stroke)
            self.place_markers(px[begin:end], py[begin:end], s[begin:end], width, do, prefix, dash=dash)
            if fill_rgb is not None:
                self.stack.state["fill"] = ("rgb", tuple(float(v) for v in fill_rgb[end - 1]))
            if stroke_rgb is not None:
                self.stack.state["stroke"] = ("rgb", tuple(float(v) for v in stroke_rgb[end - 1]))

    def _marker_geometry(
        self, marker: Path, transform: Any
    ) -> tuple[bytes, tuple[float, float, float, float] | None]:
        """The form operators and extents of a marker under a transform, computed once per content."""
        codes = marker.codes
        key = (marker.vertices.tobytes(), None if codes is None else codes.tobytes(),
               None if transform is None else as_affine(transform).tobytes())
        found = self._markers.get(key)
        if found is None:
            found = (to_operators(marker, CONTENT_DECIMALS, transform=transform),
                     _extents_of_ops(marker, transform))
            if len(self._markers) >= 256:
                self._markers.clear()
            self._markers[key] = found
        return found

    def place_markers(
        self, px: np.ndarray, py: np.ndarray, s: np.ndarray, line_width: float | None,
        do: bytes, prefix: list, *, dash: tuple[tuple[float, ...], float] | None = None,
    ) -> None:
        """Write ``q [w] [d] s 0 0 s x y cm /M Do Q`` rows after optional per-row prefix columns.

        `do` is the row's tail (`` cm /M Do Q``), `prefix` format_rows columns
        (colour changes), `line_width` and `dash` the stroke's (None when not
        stroked). A hook: a subclass may write the placements another way (the
        raster fallback writes each marker as an inline path).
        """
        places = self.coordinate_decimals()
        x, y = (px, None, places), (py, None, places)
        if np.all(s == 1):
            parts = [*prefix, b"q 1 0 0 1 ", x, b" ", y, do]
        elif line_width is not None:
            # cm scales the form's strokes too: dividing w (and the dash) by the scale keeps them constant.
            # Decimals enough that the scale multiplies back to the lengths asked for.
            fine = CONTENT_DECIMALS + max(0, math.ceil(math.log10(float(s.max())))) if len(s) else CONTENT_DECIMALS
            parts = [*prefix, b"q ", (line_width / s, None, fine), b" w "]
            if dash is not None:
                pattern, offset = dash
                parts.append(b"[")
                for k, length in enumerate(pattern):
                    parts += [b" " if k else b"", (length / s, None, fine)]
                parts += [b"] ", (offset / s, None, fine), b" d "]
            parts += [s, b" 0 0 ", s, b" ", x, b" ", y, do]
        else:
            parts = [*prefix, b"q ", s, b" 0 0 ", s, b" ", x, b" ", y, do]
        self.content.raw(rows_text(parts, len(px), CONTENT_DECIMALS))

    def _positions(self, path: Path, transform: Any) -> np.ndarray:
        """The vertices of a path that are points (not CLOSEPOLY or STOP), transformed."""
        vertices = path.vertices[: len(path)]
        if path.codes is not None:
            vertices = vertices[(path.codes[: len(path)] != Path.CLOSEPOLY)]
        if transform is not None:
            m = as_affine(transform)
            vertices = vertices @ m[:2, :2].T + m[:2, 2]
        return vertices

    # Collections ------------------------------------------------------------
    def draw_path_collection(
        self,
        gc: GraphicsContext,
        paths: Sequence[Path],
        *,
        transforms: np.ndarray | None = None,
        offsets: np.ndarray | None = None,
        offset_transform: Any = None,
        master_transform: Any = None,
        fills: np.ndarray | None = None,
        strokes: np.ndarray | None = None,
        line_widths: Sequence[float] | None = None,
        dashes: Sequence[tuple[tuple[float, ...], float] | None] | None = None,
    ) -> None:
        """Draw many paths with per-item transforms, offsets, fills, strokes, widths and dashes.

        Item i uses entry ``i % len`` of every per-item sequence, as matplotlib's
        collections do; there are max(len(paths), len(offsets)) items. `fills`
        and `strokes` are RGBA arrays; None for `strokes` means gc's stroke, an
        empty array means no stroke; None or empty `fills` means no fill.
        Items are drawn in order; those entirely outside the bounds are skipped.
        """
        paths = list(paths)
        offsets = None if offsets is None else np.asarray(offsets, dtype=np.float64).reshape(-1, 2)
        if offsets is not None and offset_transform is not None:
            m = as_affine(offset_transform)
            offsets = offsets @ m[:2, :2].T + m[:2, 2]
        count = max(len(paths), len(offsets) if offsets is not None else 0) if paths else 0
        if count == 0:
            return
        transforms = None if transforms is None or len(transforms) == 0 else np.asarray(transforms, float)
        if transforms is not None:
            transforms = np.stack([as_affine(t) for t in transforms]) if transforms.ndim != 3 else transforms
        master = None if master_transform is None else as_affine(master_transform)
        fills = _rgba_rows(fills)
        strokes_rows = _rgba_rows(strokes)
        widths = [gc.line_width] if not line_widths else [float(w) for w in line_widths]
        dash_list = [gc.dash] if not dashes else list(dashes)
        if strokes is not None and strokes_rows is None:
            gc = replace(gc, stroke=None)
        uniform_stroke = (strokes_rows is None or len(strokes_rows) == 1) and len(widths) == 1 and len(dash_list) == 1
        if uniform_stroke:
            if strokes_rows is not None:
                gc = replace(gc, stroke=_color_from_row(strokes_rows[0]))
            gc = replace(gc, line_width=widths[0], dash=dash_list[0])
            # One path at many offsets: a form if that is smaller, else inline like a mesh.
            if not gc.hatch and self._collection_as_markers(gc, paths, transforms, offsets, master, fills, count):
                return
            if not gc.hatch and self._collection_as_mesh(gc, paths, transforms, offsets, master, fills, count):
                return
        for i in range(count):
            item_gc = gc
            if strokes_rows is not None:
                item_gc = replace(item_gc, stroke=_color_from_row(strokes_rows[i % len(strokes_rows)]))
            if not uniform_stroke:
                item_gc = replace(item_gc, line_width=widths[i % len(widths)], dash=dash_list[i % len(dash_list)])
            fill = _color_from_row(fills[i % len(fills)]) if fills is not None else None
            self.draw_path(item_gc, paths[i % len(paths)], self._item_transform(i, transforms, offsets, master), fill)

    @staticmethod
    def _item_transform(i: int, transforms: np.ndarray | None, offsets: np.ndarray | None, master: np.ndarray | None) -> np.ndarray:
        """Item i's transform: its own, then the master transform, then its offset."""
        m = np.eye(3)
        if transforms is not None:
            m = transforms[i % len(transforms)]
        if master is not None:
            m = master @ m
        if offsets is not None:
            m = m.copy()
            m[:2, 2] += offsets[i % len(offsets)]
        return m

    def _collection_as_mesh(
        self, gc: GraphicsContext, paths: list[Path], transforms: np.ndarray | None,
        offsets: np.ndarray | None, master: np.ndarray | None, fills: np.ndarray | None, count: int,
    ) -> bool:
        """Write same-shaped straight-edged polygons (or one at many offsets) in one vectorised pass.

        Returns False, having drawn nothing, if the items are not such polygons.
        Item order is kept, per-item alpha included.
        """
        if len(paths) not in (1, count) or count < 2 or transforms is not None and len(transforms) > 1:
            return False
        shape = _common_polygon_shape(paths)
        if shape is None:
            return False
        n_points, closes = shape
        # A CLOSEPOLY vertex carries no geometry: leave it out (it would spoil culling).
        if len(paths) == 1:
            vertices = np.broadcast_to(paths[0].vertices[:n_points], (count, n_points, 2))
        else:
            vertices = np.stack([p.vertices for p in paths])[:, :n_points]
        if not np.isfinite(vertices).all():
            return False
        m = self._item_transform(0, transforms, None, master)
        vertices = vertices @ m[:2, :2].T + m[:2, 2]
        if offsets is not None:
            vertices = vertices + offsets[np.arange(count) % len(offsets)][:, None, :]
        rgba = None if fills is None else np.broadcast_to(fills[np.arange(count) % len(fills)], (count, 4))
        self._write_polygons(gc, vertices, rgba, closes)
        return True

    def draw_quad_mesh(
        self, gc: GraphicsContext, coordinates: Any, colors: Any, transform: Any = None, *, closed: bool = True
    ) -> None:
        """Fill the quads of a (H+1, W+1, 2) grid of corners, one RGBA colour (0-1) per quad.

        Quad (i, j) has corners [i, j], [i, j+1], [i+1, j+1], [i+1, j]; `colors`
        holds H*W rows (or an (H, W, 4) array) in that row-major order, as
        matplotlib's pcolormesh does. Quads with a non-finite corner are left
        out; the quads are written in one vectorised pass, axis-aligned ones
        as rectangles, and gc's stroke (if any) outlines each quad: closed, or
        with `closed` False as an open path from the first corner round to it
        again (as matplotlib draws mesh edges: the line ends meeting there get
        caps, not a join).
        """
        grid = np.asarray(coordinates, dtype=np.float64)
        if grid.ndim != 3 or grid.shape[2] != 2 or grid.shape[0] < 2 or grid.shape[1] < 2:
            raise GeometryError(f"quad mesh coordinates must have shape (H+1, W+1, 2) with H, W >= 1, got {grid.shape}")
        rows, columns = grid.shape[0] - 1, grid.shape[1] - 1
        rgba = np.asarray(colors, dtype=np.float64)
        if rgba.size != rows * columns * 4:
            raise GeometryError(
                f"a {rows} x {columns} quad mesh needs {rows * columns} RGBA colours, got an array of shape {rgba.shape}"
            )
        rgba = rgba.reshape(-1, 4)
        if not np.isfinite(rgba).all() or rgba.min() < 0 or rgba.max() > 1:
            raise GeometryError("quad mesh colours must be finite numbers from 0 to 1")
        vertices = np.stack([grid[:-1, :-1], grid[:-1, 1:], grid[1:, 1:], grid[1:, :-1]], axis=2).reshape(-1, 4, 2)
        if transform is not None:
            m = as_affine(transform)
            vertices = vertices @ m[:2, :2].T + m[:2, 2]
        finite = np.isfinite(vertices).all(axis=(1, 2))
        if not finite.all():
            vertices, rgba = vertices[finite], rgba[finite]
        if not len(vertices):
            return
        if not closed and gc.strokes():
            self._write_polygons(gc, np.concatenate([vertices, vertices[:, :1]], axis=1), rgba, False)
        else:
            self._write_polygons(gc, vertices, rgba, True)

    def _write_polygons(self, gc: GraphicsContext, vertices: np.ndarray, rgba: np.ndarray | None, closes: bool) -> None:
        """Write polygons (N, k, 2), each filled with its RGBA row and/or stroked, in drawing order.

        One row of text per polygon; the fill colour is written only where it
        changes, the fill alpha (an ExtGState) once per run of equal alpha.
        """
        stroke = gc.strokes()
        if rgba is not None and (gc.fill_alpha if gc.fill_alpha is not None else rgba[:, 3].max()) <= 0:
            rgba = None
        if rgba is None and not stroke:
            return
        keep = self._inside(vertices, gc)
        vertices, rgba = vertices[keep], (None if rgba is None else rgba[keep])
        if len(vertices) == 0:
            return
        if rgba is None:
            self.stack.apply(gc, None, stroke=stroke)
            self.content.raw(rows_text(self._polygon_parts(gc, vertices, closes, False), len(vertices),
                                         CONTENT_DECIMALS))
            return
        rgb = np.round(rgba[:, :3], COLOR_DECIMALS)
        alphas = rgba[:, 3] if gc.fill_alpha is None else np.full(len(rgba), gc.fill_alpha)
        starts = [0, *(np.flatnonzero(alphas[1:] != alphas[:-1]) + 1)]
        for begin, end in zip(starts, [*starts[1:], len(rgb)]):
            if alphas[begin] <= 0:  # no fill to show: only the outlines, if any
                if stroke:
                    self.stack.apply(gc, None, stroke=stroke)
                    self.content.raw(rows_text(self._polygon_parts(gc, vertices[begin:end], closes, False),
                                                 end - begin, CONTENT_DECIMALS))
                continue
            run_rgb = rgb[begin:end]
            first_fill = Color("rgb", tuple(float(v) for v in run_rgb[0]), float(alphas[begin]))
            self.stack.apply(gc, first_fill, stroke=stroke)
            parts = self._colour_columns(run_rgb, b" rg\n") + self._polygon_parts(gc, vertices[begin:end], closes, True)
            self.content.raw(rows_text(parts, end - begin, CONTENT_DECIMALS))
            self.stack.state["fill"] = ("rgb", tuple(float(v) for v in run_rgb[-1]))

    def _colour_columns(self, rgb: np.ndarray, operator: bytes) -> list:
        """Per-row colour columns (see _colour_columns), none when the stream inherits its colours."""
        return [] if self.stack.inherit_color else _colour_columns(rgb, operator)

    def _polygon_parts(self, gc: GraphicsContext, vertices: np.ndarray, closes: bool, filled: bool) -> list:
        """format_rows parts writing and painting one polygon per row."""
        stroke = gc.strokes()
        n_points = vertices.shape[1]
        places = self.coordinate_decimals()
        parts: list = []
        # Axis-aligned quads become "x y w h re": the same area (and, closed, the same
        # outline) in half the bytes; a dash would start at another corner, so not then.
        as_rectangles = n_points == 4 and (closes or not stroke) and (gc.dash is None or not stroke)
        if as_rectangles and _axis_aligned(vertices):
            # Corners on the grid first, then sizes from them: neighbours share their edges exactly.
            scale = 10.0**places
            low = np.rint(vertices[:, 0] * scale)
            size = np.rint(vertices[:, 2] * scale) - low
            parts += [(low[:, 0] / scale, None, places), b" ", (low[:, 1] / scale, None, places), b" ",
                      (size[:, 0] / scale, None, places), b" ", (size[:, 1] / scale, None, places), b" re "]
        else:
            for j in range(n_points):
                parts += [(vertices[:, j, 0], None, places), b" ", (vertices[:, j, 1], None, places),
                          b" m " if j == 0 else b" l "]
            parts.append(b"h " if closes else b"")
        parts.append(_PAINT[filled, stroke, gc.fill_rule])
        return parts

    def _collection_as_markers(
        self, gc: GraphicsContext, paths: list[Path], transforms: np.ndarray | None,
        offsets: np.ndarray | None, master: np.ndarray | None, fills: np.ndarray | None, count: int,
    ) -> bool:
        """Draw one path at many offsets as a marker form, if that is smaller than inlining it."""
        if len(paths) != 1 or offsets is None or count < 2:
            return False
        scales = None
        base = master if master is not None else np.eye(3)
        if transforms is not None:
            t = transforms
            uniform = np.allclose(t[:, 0, 1], 0) & np.allclose(t[:, 1, 0], 0) & np.allclose(t[:, 0, 0], t[:, 1, 1])
            if not uniform or np.any(t[:, :2, 2] != 0):
                return False
            scales = t[np.arange(count) % len(t), 0, 0]
        # Compressed, what grows with the items is the numbers that differ between them
        # (the repeated operator text costs next to nothing): every coordinate inlined,
        # against a position (and a scale, and a line width kept constant) per placement.
        varying_inline = self._inline_numbers(gc, paths[0], self._item_transform(0, transforms, offsets, base))
        varying_form = 2 + (0 if scales is None else 1 + gc.strokes())
        form_ops = to_operators(paths[0], CONTENT_DECIMALS, transform=base)
        if (varying_inline - varying_form) * _NUMBER_BYTES * count <= _FORM_OVERHEAD + len(form_ops) // 2:
            return False
        # The form holds the path under the master's linear part; its translation moves the positions.
        linear = base.copy()
        linear[:2, 2] = 0.0
        positions = offsets[np.arange(count) % len(offsets)] + base[:2, 2]
        rows = None if fills is None else fills[np.arange(count) % len(fills)]
        self.draw_marker_array(gc, paths[0], linear, positions, fills=rows, scales=scales)
        return True

    def _inline_numbers(self, gc: GraphicsContext, path: Path, transform: np.ndarray) -> int:
        """How many numbers one inlined copy of the path writes that change from copy to copy."""
        ops = to_operators(path, self.coordinate_decimals(), transform=transform)
        shape = _common_polygon_shape([path])
        if shape is not None and shape[0] == 4 and (shape[1] or not gc.strokes()) and gc.dash is None:
            corners = path.transformed(transform).vertices[None, :4]
            if _axis_aligned(corners):
                return 2  # "x y w h re": only the corner moves
        return sum(1 for token in ops.split() if token[0] in _NUMBER_START)

    def _inside(self, vertices: np.ndarray, gc: GraphicsContext) -> np.ndarray:
        """Which items (N, k, 2) reach into the visible region."""
        x0, y0, x1, y1 = gc.cull_box or self.bounds
        reach = stroke_reach(gc)
        lo = vertices.min(axis=1) - reach
        hi = vertices.max(axis=1) + reach
        # Strict: an item that only touches the edge covers nothing visible.
        return (hi[:, 0] > x0) & (lo[:, 0] < x1) & (hi[:, 1] > y0) & (lo[:, 1] < y1)

    # Text -------------------------------------------------------------------
    def draw_text(
        self,
        gc: GraphicsContext,
        fill: Color | None,
        x: float,
        y: float,
        text: str,
        style: TextStyle,
        *,
        angle: float = 0.0,
        halign: str = "left",
        valign: str = "baseline",
        render: str = "fill",
    ) -> None:
        """Show text anchored at (x, y); `render` is fill, stroke, fill_stroke or invisible.

        Without a fill (None: none, or fully transparent) filled text shows
        nothing and fill_stroke text only its outlines.
        """
        mode = RENDER_MODES[render]
        stroke = mode in (1, 2) and gc.strokes()
        if fill is None and mode in (0, 2):
            if not stroke:
                return
            mode = 1
        self.stack.apply(gc, fill if mode in (0, 2) else None, stroke=stroke)
        self.content.raw(self.text_operators(x, y, text, style, angle=angle, halign=halign, valign=valign, mode=mode))

    def text_operators(
        self, x: float, y: float, text: str, style: TextStyle, *, angle: float, halign: str, valign: str, mode: int
    ) -> bytes:
        """The BT ... ET bytes for text, with its fonts registered in this stream's resources."""

        def font_names(font: Font, part: int) -> tuple[str, Any]:
            resource = self.canon.font(font)[2]
            name, ref = self.canon.font_part(font, part)
            self.stack.use_resource("Font", name, ref)
            return name, resource

        return text_operators(
            x, y, text, style, angle=angle, halign=halign, valign=valign, render_mode=mode,
            font_names=font_names, warned=self.canon.warned_chars,
        )

    # Gouraud shading ------------------------------------------------------
    def draw_gouraud_triangles(
        self, gc: GraphicsContext, points: np.ndarray, colors: np.ndarray, transform: Any = None
    ) -> None:
        """Paint triangles whose colours (RGBA, 0-1) blend smoothly between their vertices.

        The colours' alpha is the alpha (times gc.fill_alpha, if set): one value
        for every vertex is an ExtGState's, varying ones a soft mask. Either
        way no alpha left set by an earlier drawing applies.
        """
        points = np.asarray(points, dtype=np.float64).reshape(-1, 3, 2)
        colors = np.asarray(colors, dtype=np.float64).reshape(-1, 3, 4)
        if transform is not None:
            m = as_affine(transform)
            points = points @ m[:2, :2].T + m[:2, 2]
        opacity = 1.0 if gc.fill_alpha is None else gc.fill_alpha
        alphas = colors[:, :, 3]
        if len(alphas) and alphas.min() == alphas.max():
            opacity *= float(alphas.flat[0])
            colors = colors.copy()
            colors[:, :, 3] = 1.0
        built = gouraud_shading(points, colors)
        if built is None:
            return
        shading, alpha_shading = built
        digest = hashlib.sha1(shading.data).digest()
        name, ref = self.canon.get("Shading", "S", ("gouraud", digest), lambda: shading)
        self.stack.apply(replace(gc, fill_alpha=opacity), None, stroke=False)
        self.stack.use_resource("Shading", name, ref)
        if alpha_shading is None:
            self.content.raw(b"/" + name.encode() + b" sh\n")
            return
        alpha_digest = hashlib.sha1(alpha_shading.data).digest()
        mask_name, mask_ref = self._soft_mask(alpha_shading, alpha_digest, points)
        self.stack.use_resource("ExtGState", mask_name, mask_ref)
        self.content.raw(b"q /" + mask_name.encode() + b" gs /" + name.encode() + b" sh\nQ\n")

    def _soft_mask(self, alpha_shading: Stream, digest: bytes, points: np.ndarray) -> tuple[str, Any]:
        """An ExtGState whose luminosity soft mask paints the alpha shading."""
        x0, y0 = points.reshape(-1, 2).min(axis=0)
        x1, y1 = points.reshape(-1, 2).max(axis=0)

        def build() -> dict:
            shading_ref = self.canon.writer.add(alpha_shading)
            group = Stream(
                b"/S0 sh\n",
                {
                    "Type": Name("XObject"), "Subtype": Name("Form"),
                    "BBox": [float(x0) - 1, float(y0) - 1, float(x1) + 1, float(y1) + 1],
                    "Group": {"S": Name("Transparency"), "CS": Name("DeviceGray")},
                    "Resources": {"Shading": {"S0": shading_ref}},
                },
            )
            mask = {"Type": Name("Mask"), "S": Name("Luminosity"), "G": self.canon.writer.add(group)}
            return {"Type": Name("ExtGState"), "SMask": mask}

        return self.canon.get("ExtGState", "G", ("gouraud-alpha", digest), build)

    def finish(self) -> None:
        """Close every open q level (end of the page or form)."""
        self.stack.close()


def _extents_of_ops(path: Path, transform: Any) -> tuple[float, float, float, float] | None:
    """Extents of a path after a transform (control points included)."""
    if transform is not None:
        path = path.transformed(transform)
    return path.extents()


def _common_polygon_shape(paths: list[Path]) -> tuple[int, bool] | None:
    """(points, closed) if every path is the same straight-edged single polygon, else None.

    Paths built with equal codes share one checked code array (see Path), so
    the common case is settled by identity; otherwise the codes are compared
    in one array operation.
    """
    first = paths[0]
    k = len(first)
    if k < 2 or k > 64:
        return None
    codes = first.codes
    if codes is None:
        if any(p.codes is not None or len(p) != k for p in paths):
            return None
        return k, False
    inner = codes[1:-1]
    if first.is_empty or codes[0] != Path.MOVETO or np.any(np.isin(codes[1:], _NOT_POLYGON)):
        return None
    if np.any(inner == Path.CLOSEPOLY):
        return None
    others = [p.codes for p in paths]
    if not all(c is codes for c in others):
        if any(c is None or len(c) != k for c in others) or not (np.stack(others) == codes).all():
            return None
    closes = bool(codes[-1] == Path.CLOSEPOLY)
    return (k - 1 if closes else k), closes


def _axis_aligned(vertices: np.ndarray) -> bool:
    """True if every quad (N, 4, 2) is an axis-aligned rectangle (edges in either order)."""
    x, y = vertices[..., 0], vertices[..., 1]
    across = (y[:, 1] == y[:, 0]) & (x[:, 2] == x[:, 1]) & (y[:, 3] == y[:, 2]) & (x[:, 3] == x[:, 0])
    upward = (x[:, 1] == x[:, 0]) & (y[:, 2] == y[:, 1]) & (x[:, 3] == x[:, 2]) & (y[:, 3] == y[:, 0])
    return bool((across | upward).all())


def _colour_columns(rgb: np.ndarray, operator: bytes) -> list:
    """format_rows prefix columns writing ``r g b <operator>`` on the rows where the colour changes."""
    changed = np.ones(len(rgb), dtype=bool)
    changed[1:] = np.any(rgb[1:] != rgb[:-1], axis=1)
    changed[0] = False
    return [(rgb[:, 0], changed, COLOR_DECIMALS), (b" ", changed), (rgb[:, 1], changed, COLOR_DECIMALS),
            (b" ", changed), (rgb[:, 2], changed, COLOR_DECIMALS), (operator, changed)]


def _rgba_rows(values: Any) -> np.ndarray | None:
    """An (N, 4) RGBA float array, or None when there are no rows."""
    if values is None:
        return None
    rows = np.asarray(values, dtype=np.float64)
    if rows.size == 0:
        return None
    return rows.reshape(-1, 4)


def _color_from_row(row: np.ndarray) -> Color | None:
    """A Color from one RGBA row (None when fully transparent)."""
    if row[3] <= 0:
        return None
    return Color("rgb", (float(row[0]), float(row[1]), float(row[2])), float(row[3]))
