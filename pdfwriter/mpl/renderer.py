"""matplotlib's renderer calls mapped onto pdfwriter's Renderer.

`RendererPdfwriter` is what a figure draws on. Each call turns matplotlib's
graphics context into a pdfwriter GraphicsContext (colours with their
effective alphas, width, dashes, caps, joins, hatch, and the clip rectangle
and clip path as the call's scope) and hands the geometry to the page's
Renderer unchanged: matplotlib's path codes are pdfwriter's. Paths go through
matplotlib's own cleaning (NaN removal, clipping to the page and
simplification, as its PDF backend does), and text is measured by the
matplotlib PDF backend's own code, so layouts land where they would with
matplotlib's backend.
"""

from __future__ import annotations

import functools
import inspect
import math
import re
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib import cbook, font_manager
from matplotlib.backends._backend_pdf_ps import RendererPDFPSBase
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Affine2D

from ..document import Page
from ..graphics.color import Color
from ..graphics.content import CONTENT_DECIMALS
from ..graphics.gstate import GraphicsContext
from ..graphics.path import Path, to_operators
from ..image import draw_image as _draw_image
from ..pdf.numbers import format_array
from ..text.layout import TextStyle
from .measure import measure
from .tex import dvi_page, tex_operators
from .text import glyphs_operators, layout_glyphs, mathtext_glyphs, standard_font

def _matrix(transform: Any) -> np.ndarray:
    """A 3x3 matrix from a matplotlib affine transform (or identity for None)."""
    if transform is None:
        return np.eye(3)
    return np.asarray(transform.get_matrix(), dtype=np.float64)


_COORDINATE_PLACES = 3
# Paths and marker sets of up to _FINE_POINTS points are written to 0.0001 pt, nearer matplotlib's
# six decimals: 8 more of matplotlib's baseline PDFs match in Ghostscript (edges of dashes, markers,
# thin lines) for 0.5% more bytes over the fidelity corpus. Larger ones, whose bytes count, keep
# 0.001 pt: up to 1,000 points matched 3 more but grew a 100-page export of 200-point lines 8%,
# and at 0.0001 pt the million-point line's file grew 18%.
_FINE_PLACES = 4
_FINE_POINTS = 128


def _places(points: int) -> int:
    """Decimals of a point for a path or marker set of `points` points."""
    return _FINE_PLACES if points <= _FINE_POINTS else _COORDINATE_PLACES


def _rgb_color(rgba: Any, alpha: float) -> Color | None:
    """A pdfwriter Color from an RGB(A) tuple with the given effective alpha (None if invisible)."""
    if rgba is None or alpha <= 0:
        return None
    return Color("rgb", (float(rgba[0]), float(rgba[1]), float(rgba[2])), float(alpha))


def to_path(path: MplPath) -> Path:
    """A pdfwriter Path sharing a matplotlib path's vertices and codes (the same code values)."""
    return Path(np.ascontiguousarray(path.vertices, dtype=np.float64), path.codes)


class RendererPdfwriter(RendererPDFPSBase):
    """Draws a matplotlib figure on one pdfwriter page (72 units per inch, y up)."""

    _afm_font_dir = cbook._get_data_path("fonts/pdfcorefonts")
    _use_afm_rc_name = "pdf.use14corefonts"

    def __init__(self, page: Page, image_dpi: float, height: float, width: float) -> None:
        super().__init__(width, height)
        self.page = page
        self.renderer = page.renderer
        # pdf.inheritcolor: no colour operators, as in matplotlib's backend (the figure is drawn in
        # the colours current where it is placed; its background too, unless transparent).
        self.renderer.stack.inherit_color = bool(mpl.rcParams["pdf.inheritcolor"])
        # Coordinates to 0.001 pt: matplotlib's layouts put edges at such values, often on a pixel
        # edge at 72 dpi, where rendering to 0.01 pt can move them onto the next pixel (half of the
        # differences from matplotlib's baseline PDFs in its image tests).
        self.renderer.coordinate_places = _COORDINATE_PLACES
        self.image_dpi = image_dpi
        self._page_box = (0.0, 0.0, width * 72.0, height * 72.0)
        # (clip rectangle, clip path id, its affine) -> (scope, visible box, the clip path kept alive).
        self._scopes: dict[Any, tuple[tuple[bytes, ...], tuple[float, float, float, float], Any]] = {}

    # Graphics state -------------------------------------------------------
    def _scope(self, gc: Any) -> tuple[tuple[bytes, ...], tuple[float, float, float, float]]:
        """The clip rectangle and clip path of gc as scope bytes, and the visible box they leave."""
        rect = gc.get_clip_rectangle()
        clip_path, clip_affine = gc.get_clip_path()
        rect_key = None if rect is None else tuple(rect.bounds)
        key = (rect_key, id(clip_path), None if clip_affine is None else tuple(clip_affine.to_values()))
        found = self._scopes.get(key)
        if found is not None and (clip_path is None or found[2] is clip_path):
            return found[0], found[1]
        scope: list[bytes] = []
        x0, y0, x1, y1 = self._page_box
        if rect is not None:
            bx, by, bw, bh = rect.bounds
            scope.append(format_array(np.array([bx, by, bw, bh]), CONTENT_DECIMALS) + b" re W n\n")
            x0, y0, x1, y1 = max(x0, bx), max(y0, by), min(x1, bx + bw), min(y1, by + bh)
        if clip_path is not None:
            ops = to_operators(to_path(clip_path), CONTENT_DECIMALS, transform=_matrix(clip_affine))
            scope.append(ops + b"W n\n")
            extents = clip_path.get_extents(clip_affine)
            x0, y0 = max(x0, extents.x0), max(y0, extents.y0)
            x1, y1 = min(x1, extents.x1), min(y1, extents.y1)
        result = (tuple(scope), (x0, y0, max(x0, x1), max(y0, y1)))
        self._scopes[key] = (*result, clip_path)
        return result

    def _alphas(self, gc: Any, fill: Any) -> tuple[float, float]:
        """Effective (stroke, fill) alphas, as matplotlib's PDF backend computes them."""
        rgb = gc.get_rgb()
        if gc.get_forced_alpha():
            return gc.get_alpha(), gc.get_alpha()
        stroke_alpha = rgb[3] if rgb is not None and len(rgb) > 3 else 1.0
        fill_alpha = fill[3] if fill is not None and len(fill) > 3 else 1.0
        return stroke_alpha, fill_alpha

    def _context(self, gc: Any, fill: Any = None) -> tuple[GraphicsContext, Color | None]:
        """The pdfwriter GraphicsContext and fill Color for a matplotlib gc and face colour."""
        stroke_alpha, fill_alpha = self._alphas(gc, fill)
        rgb = gc.get_rgb()
        stroke = _rgb_color(rgb, stroke_alpha) if gc.get_linewidth() > 0 else None
        offset, dashes = gc.get_dashes()
        dash = None
        if dashes is not None and len(dashes) and any(d > 0 for d in dashes):
            dash = (tuple(float(d) for d in dashes), float(offset or 0.0))
        scope, box = self._scope(gc)
        hatch = gc.get_hatch()
        context = GraphicsContext(
            stroke=stroke,
            line_width=float(gc.get_linewidth()),
            dash=dash,
            cap=gc.get_capstyle(),
            join=gc.get_joinstyle(),
            scope=scope,
            cull_box=box,
        )
        if hatch:
            # The stroke alpha matplotlib's backend sets with the pattern, which some viewers (pdfium) apply
            # to the hatch lines (StateStack.apply, pattern=True); but not 0 (an edge colour of "none"), with
            # which those viewers lose the lines that Agg draws: the fill's alpha then.
            context.stroke_alpha = stroke_alpha if stroke_alpha > 0 else None
            hatch_rgba = gc.get_hatch_color()
            hatch_alpha = hatch_rgba[3] if len(hatch_rgba) > 3 else 1.0
            context.hatch = hatch
            context.hatch_line_width = float(_hatch_linewidth(gc))
            # matplotlib anchors hatch cells at the page's top-left corner, and fills them with
            # the face colour behind opaque lines, the whole painted at the face's alpha.
            context.hatch_origin = (0.0, self._page_box[3])
            context.fill_in_hatch = True
            if fill is not None and fill_alpha > 0:
                hatch_alpha = 1.0
            context.hatch_color = Color("rgb", tuple(float(v) for v in hatch_rgba[:3]), float(hatch_alpha))
        return context, _rgb_color(fill, fill_alpha)

    # Paths ----------------------------------------------------------------
    def draw_path(self, gc: Any, path: MplPath, transform: Any, rgbFace: Any = None) -> None:
        """Fill and/or stroke a path; unfilled paths are clipped to the page and simplified, as in backend_pdf."""
        context, fill = self._context(gc, rgbFace)
        unfilled = rgbFace is None and not gc.get_hatch()
        cleaned = path.cleaned(
            transform=transform,
            remove_nans=True,
            clip=self._page_box if unfilled else None,
            simplify=path.should_simplify if unfilled else False,
            curves=True,
            sketch=gc.get_sketch_params(),
        )
        if len(cleaned.vertices) == 0:
            return
        renderer = self.renderer
        renderer.coordinate_places = _places(len(cleaned.vertices))
        renderer.draw_path(context, to_path(cleaned), None, fill)
        renderer.coordinate_places = _COORDINATE_PLACES
        if gc.get_url() is not None:
            self._link_box(gc, _drawn_vertices(cleaned), context.line_width / 2 if context.stroke is not None else 0.0)

    def draw_markers(
        self, gc: Any, marker_path: MplPath, marker_trans: Any, path: MplPath, trans: Any, rgbFace: Any = None
    ) -> None:
        """One marker form placed at every vertex of the path (NaN vertices skipped)."""
        context, fill = self._context(gc, rgbFace)
        vertices = _drawn_vertices(path)
        if len(vertices) == 0:
            return
        positions = np.asarray(trans.transform(vertices), dtype=np.float64)
        positions = positions[np.isfinite(positions).all(axis=1)]
        cleaned = marker_path.cleaned(transform=marker_trans, remove_nans=True, curves=True)
        marker = to_path(cleaned)
        renderer = self.renderer
        renderer.coordinate_places = _places(len(positions))
        renderer.draw_marker_array(context, marker, None, positions, fill=fill)
        renderer.coordinate_places = _COORDINATE_PLACES
        outline = _drawn_vertices(cleaned) if gc.get_url() is not None else ()
        if len(positions) and len(outline):
            # One link over every marker drawn (a link per marker would weigh on viewers for big plots).
            reach = context.line_width / 2 if context.stroke is not None else 0.0
            lo, hi = outline.min(axis=0), outline.max(axis=0)
            self._link_box(gc, np.vstack([positions.min(axis=0) + lo, positions.max(axis=0) + hi]), reach)

    def draw_path_collection(
        self, gc: Any, master_transform: Any, paths: Any, all_transforms: Any, offsets: Any,
        offset_trans: Any, facecolors: Any, edgecolors: Any, linewidths: Any, linestyles: Any,
        antialiaseds: Any, urls: Any, offset_position: Any, *, hatchcolors: Any = None,
    ) -> None:
        """Many paths with per-item transforms, offsets, colours, widths and dashes."""
        if gc.get_hatch():
            # Per-item hatch colours: matplotlib's generic loop, one draw_path per item.
            kwargs = {} if hatchcolors is None else {"hatchcolors": hatchcolors}
            super().draw_path_collection(
                gc, master_transform, paths, all_transforms, offsets, offset_trans, facecolors,
                edgecolors, linewidths, linestyles, antialiaseds, urls, offset_position, **kwargs,
            )
            return
        self._collection(
            gc, [to_path(p) for p in paths], master_transform, all_transforms, offsets, offset_trans,
            facecolors, edgecolors, linewidths, linestyles,
        )
        if urls is not None and any(url is not None for url in urls):
            self._collection_links(gc, paths, master_transform, all_transforms, offsets, offset_trans, urls)

    def _collection(
        self, gc: Any, paths: list[Path], master_transform: Any, all_transforms: Any, offsets: Any,
        offset_trans: Any, facecolors: Any, edgecolors: Any, linewidths: Any, linestyles: Any,
    ) -> None:
        """Hand a collection of pdfwriter Paths to the renderer with matplotlib's per-item cycling."""
        context, _ = self._context(gc, None)
        facecolors = np.asarray(facecolors, dtype=np.float64).reshape(-1, 4)
        edgecolors = np.asarray(edgecolors, dtype=np.float64).reshape(-1, 4)
        if gc.get_forced_alpha():
            alpha = gc.get_alpha()
            facecolors = facecolors.copy()
            edgecolors = edgecolors.copy()
            facecolors[:, 3] = alpha
            edgecolors[:, 3] = alpha
        widths = [float(w) for w in linewidths] if len(linewidths) else [context.line_width]
        dashes = []
        for offset, pattern in linestyles if len(linestyles) else [(0, None)]:
            if pattern is None or not len(pattern) or not any(d > 0 for d in pattern):
                dashes.append(None)
            else:
                dashes.append((tuple(float(d) for d in pattern), float(offset or 0.0)))
        transforms = np.asarray(all_transforms, dtype=np.float64) if len(all_transforms) else None
        offsets_array = np.asarray(offsets, dtype=np.float64).reshape(-1, 2) if len(offsets) else None
        if offsets_array is not None:
            offsets_array = np.asarray(offset_trans.transform(offsets_array), dtype=np.float64)
        master = _matrix(master_transform)
        renderer = self.renderer
        points = max(len(paths), 0 if offsets_array is None else len(offsets_array))
        if points <= _FINE_POINTS:
            points = max(points, sum(len(path.vertices) for path in paths))
        renderer.coordinate_places = _places(points)
        if not (
            len(paths) == 1 and offsets_array is not None and len(offsets_array) > 1 and len(widths) == 1
            and dashes == [None] and widths[0] > 0
            and self._as_markers(context, paths[0], master, transforms, offsets_array, facecolors, edgecolors,
                                 widths[0])
        ):
            renderer.draw_path_collection(
                context,
                paths,
                transforms=transforms,
                offsets=offsets_array,
                master_transform=master,
                fills=facecolors,
                strokes=edgecolors,
                line_widths=widths,
                dashes=dashes,
            )
        renderer.coordinate_places = _COORDINATE_PLACES

    def _as_markers(
        self, context: GraphicsContext, path: Path, master: np.ndarray, transforms: np.ndarray | None,
        offsets: np.ndarray, facecolors: np.ndarray, edgecolors: np.ndarray, line_width: float,
    ) -> bool:
        """Draw one path at many offsets, each filled and edged in its own colours, as markers; False if not that case."""
        count = len(offsets)
        if len(facecolors) not in (1, count) or len(edgecolors) not in (0, 1, count):
            return False
        scales = None
        if transforms is not None:
            t = transforms
            if not (np.all(t[:, 0, 1] == 0) and np.all(t[:, 1, 0] == 0) and np.array_equal(t[:, 0, 0], t[:, 1, 1])
                    and np.all(t[:, :2, 2] == 0)):
                return False
            scales = t[np.arange(count) % len(t), 0, 0]
        linear = master.copy()
        linear[:2, 2] = 0
        marker = path.transformed(linear)
        positions = offsets + master[:2, 2]
        fills = np.broadcast_to(facecolors, (count, 4))
        strokes = np.broadcast_to(edgecolors, (count, 4)) if len(edgecolors) else None
        context.line_width = line_width  # the collection's, not the gc's
        if strokes is None:
            context.stroke = None
        self.renderer.draw_marker_array(context, marker, None, positions, fills=fills, strokes=strokes, scales=scales)
        return True

    def draw_quad_mesh(
        self, gc: Any, master_transform: Any, meshWidth: int, meshHeight: int, coordinates: Any,
        offsets: Any, offsetTrans: Any, facecolors: Any, antialiased: bool, edgecolors: Any,
    ) -> None:
        """A quadrilateral mesh: the renderer's quad-mesh call where it has one, else a polygon collection."""
        coords = np.asarray(coordinates, dtype=np.float64).reshape(meshHeight + 1, meshWidth + 1, 2)
        if edgecolors is None:
            edgecolors = facecolors
        if self._quad_mesh(gc, master_transform, coords, offsets, offsetTrans, facecolors, edgecolors):
            return
        quads = np.stack(
            [coords[:-1, :-1], coords[:-1, 1:], coords[1:, 1:], coords[1:, :-1], coords[:-1, :-1]], axis=2
        ).reshape(-1, 5, 2)
        # As matplotlib's QuadMesh paths: the first corner repeated, no closepath.
        paths = [Path(q) for q in quads]
        self._collection(
            gc, paths, master_transform, [], offsets, offsetTrans, facecolors, edgecolors,
            [gc.get_linewidth()], [(0, None)],
        )

    def _quad_mesh(
        self, gc: Any, master_transform: Any, coords: np.ndarray, offsets: Any, offset_trans: Any,
        facecolors: Any, edgecolors: Any,
    ) -> bool:
        """Hand a mesh with one offset, per-quad fills and one edge colour (or none) to Renderer.draw_quad_mesh."""
        draw = getattr(self.renderer, "draw_quad_mesh", None)
        fills = np.asarray(facecolors, dtype=np.float64).reshape(-1, 4)
        edges = np.asarray(edgecolors, dtype=np.float64).reshape(-1, 4)
        offsets = np.asarray(offsets, dtype=np.float64).reshape(-1, 2)
        count = (coords.shape[0] - 1) * (coords.shape[1] - 1)
        if draw is None or gc.get_hatch() or len(fills) != count or len(offsets) > 1:
            return False
        if gc.get_forced_alpha():
            fills = fills.copy()
            fills[:, 3] = gc.get_alpha()
            edges = edges.copy()
            edges[:, 3] = gc.get_alpha()
        context, _ = self._context(gc, None)
        if len(edges) == 0 or not np.any(edges[:, 3] > 0) or context.line_width <= 0:
            context.stroke = None
        elif np.all(edges == edges[0]):
            context.stroke = _rgb_color(edges[0], edges[0, 3])
        else:
            return False
        transform = _matrix(master_transform)
        if len(offsets):
            shift = np.asarray(offset_trans.transform(offsets), dtype=np.float64)[0]
            transform = transform.copy()
            transform[:2, 2] += shift
        draw(context, coords, np.clip(fills, 0, 1), transform, closed=False)
        return True

    def draw_gouraud_triangles(self, gc: Any, triangles_array: Any, colors_array: Any, transform: Any) -> None:
        """Triangles whose colours blend between their vertices, as one shading."""
        points = np.asarray(triangles_array, dtype=np.float64)
        colors = np.asarray(colors_array, dtype=np.float64)
        if len(points) == 0:
            return
        if colors.shape[-1] == 1:
            colors = np.concatenate([np.repeat(colors, 3, axis=2), np.ones(colors.shape[:2] + (1,))], axis=2)
        context, _ = self._context(gc, None)
        self.renderer.draw_gouraud_triangles(context, points, np.clip(colors, 0, 1), _matrix(transform))

    # Images ---------------------------------------------------------------
    def get_image_magnification(self) -> float:
        """Images are resampled at the savefig dpi, as in matplotlib's PDF backend."""
        return self.image_dpi / 72.0

    def draw_image(self, gc: Any, x: float, y: float, im: Any, transform: Any = None) -> None:
        """An RGBA image (row 0 at the bottom) at (x, y), its pixels at image_dpi or placed by `transform`.

        The XObject holds the rows top first, as pictures are stored, so
        the image extracted from the file is the right way up.
        """
        h, w = im.shape[:2]
        if w == 0 or h == 0:
            return
        if transform is None:
            gc.set_alpha(1.0)
        context, _ = self._context(gc, None)
        context.fill_alpha = gc.get_alpha() if gc.get_forced_alpha() else 1.0
        pixels = np.asarray(im)[::-1]
        if transform is None:
            width, height = 72.0 * w / self.image_dpi, 72.0 * h / self.image_dpi
            _draw_image(self.renderer, context, pixels, x, y, width, height)
            if gc.get_url() is not None:
                self._link(gc, np.array([[x, y], [x + width, y], [x + width, y + height], [x, y + height]]))
            return
        placed = Affine2D().translate(x, y).get_matrix() @ _matrix(transform)
        values = (placed[0, 0], placed[1, 0], placed[0, 1], placed[1, 1], placed[0, 2], placed[1, 2])
        _draw_image(self.renderer, context, pixels, 0.0, 0.0, 1.0, 1.0, transform=values)
        if gc.get_url() is not None:
            self._link(gc, np.array([[0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]], dtype=np.float64) @ placed[:2].T)

    # Text -----------------------------------------------------------------
    def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any) -> tuple[float, float, float]:
        """matplotlib's PDF measurement of a string; plain text is remembered across figures (see _TextCache)."""
        key = _TEXT_CACHE.key(s, prop, "measure") if not ismath else None
        if key is None:
            return super().get_text_width_height_descent(s, prop, ismath)
        found = _TEXT_CACHE.get(key)
        if found is None:
            found = _TEXT_CACHE.put(key, self._measure_plain(s, prop, _TEXT_CACHE.variant(key, "layout")))
        return found

    def _measure_plain(self, s: str, prop: Any, layout_key: tuple[Any, ...]) -> tuple[float, float, float]:
        """A plain string's extents from its glyph layout, kept under `layout_key` for draw_text (see measure.py)."""
        if not mpl.rcParams["pdf.use14corefonts"]:
            font = self._get_font_ttf(prop)
            if hasattr(font, "_layout"):
                measured = measure(
                    s, font, prop.get_size_in_points(), mpl.rcParams["text.hinting_factor"],
                    lambda text: _layout(text, font),
                    lambda: super(RendererPdfwriter, self).get_text_width_height_descent(s, prop, False),
                )
                if measured is not None:
                    extents, items = measured
                    _TEXT_CACHE.put(layout_key, items)
                    return extents
        return super().get_text_width_height_descent(s, prop, False)

    def _fonttype(self) -> int:
        return int(mpl.rcParams["pdf.fonttype"])

    def _font_parts(self, font: Any, glyphs: Any) -> list[tuple[str, Any, int, int]]:
        """The PDF font object(s) showing `glyphs`, registered in the page resources (see text.FontParts)."""
        canon, stack = self.renderer.canon, self.renderer.stack
        name, ref, resource = canon.font(font)
        segments = getattr(resource, "segments", None)
        if segments is None:
            stack.use_resource("Font", name, ref)
            return [(name, resource.encode, 0, len(glyphs))]
        out = []
        for part, start, end in segments(glyphs):
            part_name, part_ref = canon.font_part(font, part)
            stack.use_resource("Font", part_name, part_ref)
            out.append((part_name, resource.encoder(part), start, end))
        return out

    def draw_text(
        self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float, ismath: Any = False, mtext: Any = None
    ) -> None:
        """Text laid out by matplotlib, shown glyph by glyph with the same font files."""
        if ismath == "TeX":
            self.draw_tex(gc, x, y, s, prop, angle, mtext=mtext)
            return
        if ismath:
            self.draw_mathtext(gc, x, y, s, prop, angle)
            return
        if not s:
            return
        context, fill = self._text_context(gc)
        size = prop.get_size_in_points()
        if mpl.rcParams["pdf.use14corefonts"]:
            afm = self._get_font_afm(prop)
            style = TextStyle(fonts=(standard_font(afm.get_fontname()),), size=size, kerning=False)
            # Control characters (a tab) go into matplotlib's file as their bytes, which
            # pdfium and Ghostscript show as a space (poppler as nothing): a space here.
            self.renderer.draw_text(context, fill, x, y, _CONTROL.sub(" ", s), style, angle=angle)
            if gc.get_url() is not None:  # (matplotlib's backend fails on this one: an AFM has no set_text)
                _, _, width, height, _ = afm.get_str_bbox_and_descent(s)
                self._text_link(gc, x, y, width * size / 1000, height * size / 1000, angle)
            return
        kwargs = {}
        if mtext is not None and hasattr(mtext, "get_fontfeatures"):
            kwargs = {"features": mtext.get_fontfeatures(), "language": mtext.get_language()}
        if fill is not None:  # None: fully transparent, nothing to show (a link still goes on)
            placed = self._placed_glyphs(s, prop, size, kwargs)
            self.renderer.stack.apply(context, fill, stroke=False)
            self.renderer.content.raw(glyphs_operators(placed, x, y, angle, self._font_parts))
        if gc.get_url() is not None:
            font = self._get_font_ttf(prop)
            font.set_text(s, **kwargs)
            width, height = font.get_width_height()
            self._text_link(gc, x, y, width / 64, height / 64, angle)

    def _placed_glyphs(self, s: str, prop: Any, size: float, kwargs: dict[str, Any]) -> list[Any]:
        """The glyphs of plain text at their pen positions, remembered across figures (see _TextCache)."""
        fonttype = self._fonttype()
        key = _TEXT_CACHE.key(s, prop, fonttype, kwargs.get("features"), kwargs.get("language"))
        placed = _TEXT_CACHE.get(key) if key is not None else None
        if placed is None:
            items = None
            if key is not None and kwargs.get("features") is None and kwargs.get("language") is None:
                items = _TEXT_CACHE.get(_TEXT_CACHE.variant(key, "layout"))  # kept when the string was measured
            if items is None:
                items = _layout(s, self._get_font_ttf(prop), **kwargs)
            placed = layout_glyphs(items, size, fonttype)
            if key is not None:
                _TEXT_CACHE.put(key, placed)
        return placed

    def draw_mathtext(self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float) -> None:
        """Mathtext: matplotlib's parser gives glyphs and rules; both are drawn rotated about (x, y)."""
        parsed = self._text2path.mathtext_parser.parse(s, 72, prop)
        glyphs, rects = parsed.glyphs, parsed.rects
        if gc.get_url() is not None:
            self._text_link(gc, x, y, parsed.width, parsed.height, angle)
        context, fill = self._text_context(gc)
        placed = mathtext_glyphs(glyphs, self._fonttype())
        if placed and fill is not None:
            self.renderer.stack.apply(context, fill, stroke=False)
            self.renderer.content.raw(glyphs_operators(placed, x, y, angle, self._font_parts, one_by_one=True))
        if rects and fill is not None:
            self._rules(context, fill, rects, x, y, angle)

    def draw_tex(self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float, *, mtext: Any = None) -> None:
        """TeX text (text.usetex): TeX's glyphs in embedded Type 1 subsets and its rules, rotated about (x, y)."""
        page = dvi_page(self.get_texmanager(), s, prop.get_size_in_points())
        if gc.get_url() is not None:
            self._text_link(gc, x, y, page.width, page.height, angle)
        context, fill = self._text_context(gc)
        if fill is None:
            return
        operators = tex_operators(page.text, x, y, angle, self._font_parts)
        if operators:
            self.renderer.stack.apply(context, fill, stroke=False)
            self.renderer.content.raw(operators)
        if page.boxes:
            self._rules(context, fill, [(bx, by, width, height) for bx, by, height, width in page.boxes], x, y, angle)

    def _rules(self, context: GraphicsContext, fill: Color, rects: Any, x: float, y: float, angle: float) -> None:
        """Filled rectangles (x, y, width, height) of a text's layout (fraction bars, TeX rules), rotated about (x, y)."""
        a = math.radians(angle)
        rotate = np.array([[math.cos(a), -math.sin(a), x], [math.sin(a), math.cos(a), y], [0.0, 0.0, 1.0]])
        context.stroke = None
        for ox, oy, width, height in rects:
            self.renderer.draw_path(context, Path.rectangle(ox, oy, width, height), rotate, fill)

    def _text_context(self, gc: Any) -> tuple[GraphicsContext, Color | None]:
        """Text fills with the gc colour (its alpha, or the forced alpha)."""
        rgb = gc.get_rgb()
        context, fill = self._context(gc, rgb)
        context.stroke = None
        return context, fill

    # Links ----------------------------------------------------------------
    def _text_link(self, gc: Any, x: float, y: float, width: float, height: float, angle: float) -> None:
        """A link over text, as matplotlib's PDF backend places it: the box above the baseline, rotated about (x, y)."""
        a = math.radians(angle)
        cos, sin = math.cos(a), math.sin(a)
        box = np.array([[0.0, 0.0], [width, 0.0], [width, height], [0.0, height]])
        self._link(gc, box @ np.array([[cos, sin], [-sin, cos]]) + (x, y))

    def _link_box(self, gc: Any, points: np.ndarray, reach: float = 0.0, url: Any = None) -> None:
        """A link (to gc's URL, or `url`) over the box around page-space points, widened by `reach` (half a stroke)."""
        points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        points = points[np.isfinite(points).all(axis=1)]
        if not len(points):
            return
        (x0, y0), (x1, y1) = points.min(axis=0) - reach, points.max(axis=0) + reach
        self._link(gc, np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]), url)

    def _link(self, gc: Any, corners: np.ndarray, url: Any = None) -> None:
        """A link to gc's URL (or `url`) over a page-space quadrilateral, cut to the visible box (none if empty)."""
        url = gc.get_url() if url is None else url
        lo, hi = corners.min(axis=0), corners.max(axis=0)
        bx0, by0, bx1, by1 = self._scope(gc)[1]
        x0, y0, x1, y1 = max(lo[0], bx0), max(lo[1], by0), min(hi[0], bx1), min(hi[1], by1)
        if x1 - x0 < 1e-3 or y1 - y0 < 1e-3:
            return
        x, y = corners[:, 0], corners[:, 1]
        doubled = abs(float((x * np.roll(y, -1) - np.roll(x, -1) * y).sum()))
        inside = (x0, y0, x1, y1) == (lo[0], lo[1], hi[0], hi[1])
        self.page.link(corners if inside and doubled > 1e-6 else (x0, y0, x1, y1), url)

    def _collection_links(
        self, gc: Any, paths: Any, master_transform: Any, all_transforms: Any, offsets: Any, offset_trans: Any,
        urls: Any,
    ) -> None:
        """One link per collection item with a URL, over the item's box, items cycled as matplotlib draws them."""
        master = _matrix(master_transform)
        transforms = np.asarray(all_transforms, dtype=np.float64).reshape(-1, 3, 3)
        offsets = np.asarray(offsets, dtype=np.float64).reshape(-1, 2)
        if len(offsets):
            offsets = np.asarray(offset_trans.transform(offsets), dtype=np.float64)
        count = max(len(paths), len(offsets)) if len(paths) else 0
        for index in range(count):
            url = urls[index % len(urls)]
            if url is None:
                continue
            vertices = _drawn_vertices(paths[index % len(paths)])
            matrix = master @ transforms[index % len(transforms)] if len(transforms) else master
            points = vertices @ matrix[:2, :2].T + matrix[:2, 2]
            if len(offsets):
                points = points + offsets[index % len(offsets)]
            self._link_box(gc, points, url=url)

    def finalize(self) -> None:
        """Close every open q level of the page."""
        self.renderer.finish()


def _drawn_vertices(path: MplPath) -> np.ndarray:
    """The vertices a path draws through (not the placeholders of CLOSEPOLY and STOP codes)."""
    vertices = np.asarray(path.vertices, dtype=np.float64)
    if path.codes is None:
        return vertices
    return vertices[(path.codes != MplPath.CLOSEPOLY) & (path.codes != MplPath.STOP)]


def _hatch_linewidth(gc: Any) -> float:
    """The gc's hatch line width (rcParams hatch.linewidth on matplotlib versions without the getter)."""
    getter = getattr(gc, "get_hatch_linewidth", None)
    return getter() if getter is not None else mpl.rcParams["hatch.linewidth"]


# C0 control characters but the line feed (matplotlib splits lines before drawing them).
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f]")

#: The rcParams naming the fonts behind generic families ("sans-serif" in FontProperties means their list).
_GENERIC_FAMILIES = ("font.serif", "font.sans-serif", "font.cursive", "font.fantasy", "font.monospace")


class _TextCache:
    """Measurements and glyph layouts of plain strings, kept across figures.

    matplotlib remembers text metrics per renderer, that is per figure; the
    tick labels and titles of a many-page export repeat from page to page, and
    their layout (FreeType, and shaping in recent matplotlib) is most of what
    drawing them costs. An entry is keyed by the string, the font properties
    (copied: equal properties hash equal), what the caller adds, and what
    else decides the result: the rcParams of font loading, the font lists of
    the generic families and the font manager's list of fonts (fonts added
    later make new keys).
    """

    LIMIT = 8192

    def __init__(self) -> None:
        self._entries: dict[tuple[Any, ...], Any] = {}

    def key(self, s: str, prop: Any, *extra: Any) -> tuple[Any, ...] | None:
        """The key of a string in a font with `extra` parts, or None when something in it cannot be hashed."""
        key = (s, prop, extra, self.state())
        try:
            hash(key)
        except TypeError:
            return None
        return key

    @staticmethod
    def variant(key: tuple[Any, ...], *extra: Any) -> tuple[Any, ...]:
        """The key of the same string, font and state with other `extra` parts."""
        return (key[0], key[1], extra, key[3])

    @staticmethod
    def state() -> tuple[Any, ...]:
        """What else decides a measurement or layout: rcParams of font loading and the font manager's fonts."""
        rc = mpl.rcParams
        read = getattr(rc, "_get", rc.__getitem__)  # without the deprecation checks of rc[...]
        manager = font_manager.fontManager
        return (
            read("pdf.use14corefonts"), read("text.hinting_factor"), read("text.kerning_factor"),
            id(manager), len(manager.ttflist), tuple(tuple(read(name)) for name in _GENERIC_FAMILIES),
        )  # fmt: skip

    def clear(self) -> None:
        """Forget every entry (benchmarks start each run as a first save would)."""
        self._entries.clear()

    def get(self, key: tuple[Any, ...]) -> Any:
        return self._entries.get(key)

    def put(self, key: tuple[Any, ...], value: Any) -> Any:
        """Remember `value` under `key` (with a copy of its font properties), and return it."""
        if len(self._entries) >= self.LIMIT:
            self._entries.clear()
        self._entries[(key[0], key[1].copy(), *key[2:])] = value
        return value


_TEXT_CACHE = _TextCache()


def _layout(s: str, font: Any, **kwargs: Any) -> Any:
    """matplotlib's own text layout (the one its PDF backend uses), without loading each glyph's outline."""
    from matplotlib import _text_helpers

    raw = getattr(font, "_layout", None)
    if raw is not None:
        from matplotlib.ft2font import LoadFlags

        return raw(s, LoadFlags.NO_HINTING, **kwargs)
    return _text_helpers.layout(s, font, **kwargs, **_unfitted_kerning())


@functools.lru_cache(maxsize=None)
def _unfitted_kerning() -> dict[str, Any]:
    """The kerning argument matplotlib's PDF backend gives its layout before 3.11: unfitted (unrounded) kerns.

    matplotlib 3.11 shapes text with HarfBuzz and its layout takes no kerning
    mode; before, the layout's default kerns are rounded to whole pixels.
    """
    from matplotlib import _text_helpers

    if "kern_mode" not in inspect.signature(_text_helpers.layout).parameters:
        return {}
    try:
        from matplotlib.ft2font import Kerning

        return {"kern_mode": Kerning.UNFITTED}
    except ImportError:  # matplotlib before 3.10
        from matplotlib.ft2font import KERNING_UNFITTED

        return {"kern_mode": KERNING_UNFITTED}
