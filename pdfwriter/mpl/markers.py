"""Markers filled and stroked in one per-point colour: matplotlib's default scatter.

`scatter` edges every marker in its own face colour (edgecolors="face"), so
each point sets both the fill and the stroke colour. The core renderer's
marker placement sets per-point fills only; this places the same marker form
(one Form XObject, shared with the renderer's forms through the canon) with
``r g b rg r g b RG`` written only where the colour changes, and the stroke
width divided by each point's scale so every edge has the same width.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..graphics.color import Color
from ..graphics.content import CONTENT_DECIMALS
from ..graphics.path import Path, to_operators
from ..graphics.renderer import Renderer, stroke_reach
from ..graphics.gstate import GraphicsContext
from ..pdf.numbers import format_rows
from ..pdf.objects import Name, Stream


def draw_face_edged_markers(
    renderer: Renderer,
    gc: GraphicsContext,
    marker: Path,
    positions: np.ndarray,
    colors: np.ndarray,
    scales: np.ndarray | None = None,
) -> None:
    """Place `marker` (in points, around the origin) at each position, filled and stroked in colors[i] (RGBA)."""
    ops = to_operators(marker, CONTENT_DECIMALS)
    extents = marker.extents()
    if not ops or extents is None:
        return
    count = len(positions)
    scales = np.ones(count) if scales is None else np.asarray(scales, dtype=np.float64)
    alphas = np.round(colors[:, 3] * 255) / 255
    keep = np.isfinite(positions).all(axis=1) & np.isfinite(scales) & (scales > 0) & (alphas > 0)
    reach = stroke_reach(gc)
    x0, y0, x1, y1 = gc.cull_box or renderer.bounds
    mx0, my0, mx1, my1 = extents
    s = np.where(keep, scales, 0)
    px, py = positions[:, 0], positions[:, 1]
    keep &= (px + s * mx1 + reach > x0) & (px + s * mx0 - reach < x1)
    keep &= (py + s * my1 + reach > y0) & (py + s * my0 - reach < y1)
    if not keep.any():
        return
    px, py, s, rgb, alphas = px[keep], py[keep], s[keep], colors[keep, :3], alphas[keep]
    paint = b"B\n" if gc.fill_rule == "nonzero" else b"B*\n"
    bbox = [mx0 - reach, my0 - reach, mx1 + reach, my1 + reach]
    key = (ops, paint, tuple(round(v, 3) for v in bbox))

    def build() -> Stream:
        return Stream(ops + paint, {"Type": Name("XObject"), "Subtype": Name("Form"), "BBox": bbox, "Resources": {}})

    name, ref = renderer.canon.get("XObject", "M", key, build)
    renderer.stack.use_resource("XObject", name, ref)
    do = b" cm /" + name.encode() + b" Do Q\n"
    starts = [0, *(np.flatnonzero(alphas[1:] != alphas[:-1]) + 1)]
    for begin, end in zip(starts, [*starts[1:], len(rgb)]):
        first = Color("rgb", tuple(float(v) for v in rgb[begin]), 1.0)
        alpha = float(alphas[begin])
        renderer.stack.apply(replace(gc, stroke=first, fill_alpha=alpha, stroke_alpha=alpha), first, stroke=True)
        changed = np.ones(end - begin, dtype=bool)
        changed[1:] = np.any(rgb[begin + 1 : end] != rgb[begin : end - 1], axis=1)
        changed[0] = False
        r, g, b = rgb[begin:end, 0], rgb[begin:end, 1], rgb[begin:end, 2]
        parts: list = [(r, changed), (b" ", changed), (g, changed), (b" ", changed), (b, changed), (b" rg ", changed),
                       (r, changed), (b" ", changed), (g, changed), (b" ", changed), (b, changed), (b" RG\n", changed)]
        run_s = s[begin:end]
        if np.all(run_s == 1):
            parts += [b"q 1 0 0 1 ", px[begin:end], b" ", py[begin:end], do]
        else:
            parts += [b"q ", gc.line_width / run_s, b" w ", run_s, b" 0 0 ", run_s, b" ", px[begin:end], b" ",
                      py[begin:end], do]
        renderer.content.raw(format_rows(parts, end - begin, CONTENT_DECIMALS))
        last = ("rgb", tuple(float(v) for v in rgb[end - 1]))
        renderer.stack.state["fill"] = last
        renderer.stack.state["stroke"] = last
