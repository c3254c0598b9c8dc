"""Shadings: linear and radial gradients (types 2 and 3) and Gouraud triangle meshes (type 4).

Colours are painted in DeviceRGB. PDF shadings carry no alpha, so where the
colours are not all opaque a second, DeviceGray shading of the same geometry
carries the alpha values as gray levels, ready for a luminosity soft mask:

1. put the alpha shading in a Form XObject that paints it (``/Sh sh``),
   with ``/Group << /S /Transparency /CS /DeviceGray >>`` and a BBox
   covering the painted area;
2. make an ExtGState ``<< /SMask << /Type /Mask /S /Luminosity /G form >> >>``;
3. paint the colour shading with that ExtGState in force (``q /GS gs /Sh sh Q``).

Outside the alpha shading the group stays at its black backdrop, so the mask
is 0 there, which is also where the colour shading paints nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ..errors import StyleError
from ..graphics.color import parse_color
from ..pdf.objects import Name, Stream
from ..graphics.checks import finite as _number

_UINT32_MAX = 2**32 - 1
# Points are padded by this share of their extent (and at least this absolute amount)
# before quantising, so that the extreme vertices are not on the edge of the Decode range.
_PAD_SHARE = 1e-4
_PAD_MIN = 1e-3
_DECODE_DECIMALS = 4


@dataclass(frozen=True)
class Gradient:
    """A gradient shading dictionary, plus the DeviceGray alpha shading when any stop is translucent.

    `alpha_shading` is None when every stop is opaque; otherwise use it as a
    luminosity soft mask as the module documentation describes.
    """

    shading: dict[str, Any]
    alpha_shading: dict[str, Any] | None


def linear_gradient(
    p0: Sequence[float],
    p1: Sequence[float],
    stops: Sequence[tuple[float, Any]],
    *,
    extend: tuple[bool, bool] = (True, True),
) -> Gradient:
    """An axial (type 2) shading from p0 (offset 0) to p1 (offset 1) through the colour stops."""
    x0, y0 = point("p0", p0)
    x1, y1 = point("p1", p1)
    if (x0, y0) == (x1, y1):
        raise StyleError(f"a linear gradient needs two different points, not {p0!r} twice")
    return _gradient(2, [x0, y0, x1, y1], stops, extend)


def radial_gradient(
    c0: Sequence[float],
    r0: float,
    c1: Sequence[float],
    r1: float,
    stops: Sequence[tuple[float, Any]],
    *,
    extend: tuple[bool, bool] = (True, True),
) -> Gradient:
    """A radial (type 3) shading from the circle (c0, r0) (offset 0) to (c1, r1) (offset 1)."""
    x0, y0 = point("c0", c0)
    x1, y1 = point("c1", c1)
    radii = [_number("r0", r0), _number("r1", r1)]
    if min(radii) < 0 or max(radii) == 0:
        raise StyleError(f"gradient radii must be >= 0 and not both 0, not r0={r0!r}, r1={r1!r}")
    return _gradient(3, [x0, y0, radii[0], x1, y1, radii[1]], stops, extend)


def point(name: str, value: Any) -> tuple[float, float]:
    """An (x, y) pair of finite floats, else StyleError."""
    try:
        x, y = value
    except (TypeError, ValueError, OverflowError):
        raise StyleError(f"{name} must be an (x, y) point, not {value!r:.60}") from None
    return _number(f"{name} x", x), _number(f"{name} y", y)


def _gradient(kind: int, coords: list[float], stops: Any, extend: Any) -> Gradient:
    """The colour and (if needed) alpha shadings of a type 2 or 3 gradient."""
    offsets, colors = _stops(stops)
    if not isinstance(extend, (tuple, list)) or len(extend) != 2:
        raise StyleError(f"extend must be a pair of booleans (before the start, after the end), not {extend!r}")
    flags = [bool(extend[0]), bool(extend[1])]
    rgb = [list(c.rgb()) for c in colors]
    alphas = [[c.alpha] for c in colors]

    def shading(space: str, values: list[list[float]]) -> dict[str, Any]:
        return {
            "ShadingType": kind,
            "ColorSpace": Name(space),
            "Coords": coords,
            "Function": _function(offsets, values),
            "Extend": flags,
        }

    translucent = any(a[0] < 1 for a in alphas)
    return Gradient(shading("DeviceRGB", rgb), shading("DeviceGray", alphas) if translucent else None)


def _stops(stops: Any) -> tuple[list[float], list[Any]]:
    """Offsets (checked 0-1 and non-decreasing) and parsed colours of the gradient stops."""
    try:
        pairs = [tuple(stop) for stop in stops]
    except TypeError:
        raise StyleError(f"stops must be a list of (offset, colour) pairs, not {stops!r:.80}") from None
    if not pairs:
        raise StyleError("a gradient needs at least one (offset, colour) stop")
    offsets, colors = [], []
    for index, pair in enumerate(pairs):
        if len(pair) != 2:
            raise StyleError(f"stop {index} must be an (offset, colour) pair, not {pair!r}")
        offset = _number(f"stop {index} offset", pair[0])
        if not 0 <= offset <= 1:
            raise StyleError(f"stop {index} offset must be between 0 and 1, not {pair[0]!r}")
        if offsets and offset < offsets[-1]:
            raise StyleError(
                f"stop offsets must not decrease: stop {index} has {offset:g} after {offsets[-1]:g}"
            )
        color = parse_color(pair[1], name=f"stop {index} colour")
        if color is None:
            raise StyleError(f"stop {index} colour cannot be None; use 'transparent' for a clear stop")
        offsets.append(offset)
        colors.append(color)
    return offsets, colors


def _function(offsets: list[float], values: list[list[float]]) -> dict[str, Any]:
    """A type 2 function from the first to the last value, or a type 3 stitching of type 2 pieces.

    Before the first stop and after the last the colour holds; equal offsets
    make a hard edge (the later stop wins at the offset itself).
    """
    points = list(zip(offsets, values))
    if offsets[0] > 0:
        points.insert(0, (0.0, values[0]))
    if offsets[-1] < 1:
        points.append((1.0, values[-1]))
    pieces = [(a, b) for a, b in zip(points, points[1:]) if a[0] < b[0]]
    functions = [
        {"FunctionType": 2, "Domain": [0, 1], "C0": a[1], "C1": b[1], "N": 1} for a, b in pieces
    ]
    if len(functions) == 1:
        return functions[0]
    return {
        "FunctionType": 3,
        "Domain": [0, 1],
        "Functions": functions,
        "Bounds": [a[0] for a, _ in pieces[1:]],
        "Encode": [0, 1] * len(functions),
    }


def gouraud_shading(points: Any, colors: Any) -> tuple[Stream, Stream | None] | None:
    """A free-form Gouraud triangle mesh (type 4) in DeviceRGB, plus its alpha mesh if needed.

    `points` (N, 3, 2) are triangle vertices in the coordinates they are
    painted in; `colors` (N, 3, 4) (or (N, 3, 3), opaque) are RGBA in 0-1.
    Triangles with a non-finite vertex are dropped. Returns None when no
    triangle is left (nothing to paint); else (shading, alpha_shading), the
    second a DeviceGray mesh of the alpha values when any is below 1, for a
    luminosity soft mask (see the module documentation), else None.
    Coordinates are 32-bit over the points' padded bounding box, colour
    components 8-bit; every vertex has flag 0 (each triangle stands alone).
    """
    points = np.asarray(points, dtype=np.float64)
    colors = np.asarray(colors, dtype=np.float64)
    if points.ndim != 3 or points.shape[1:] != (3, 2):
        raise StyleError(f"Gouraud points must have shape (N, 3, 2), not {points.shape}")
    if colors.shape[:2] != points.shape[:2] or colors.ndim != 3 or colors.shape[2] not in (3, 4):
        raise StyleError(f"Gouraud colors must have shape (N, 3, 4) or (N, 3, 3) to match points, not {colors.shape}")
    keep = np.isfinite(points).all(axis=(1, 2))
    points, colors = points[keep], colors[keep]
    if len(points) == 0:
        return None
    if not ((colors >= 0) & (colors <= 1)).all():
        raise StyleError("Gouraud colors must be numbers between 0 and 1 (not NaN)")
    vertices = points.reshape(-1, 2)
    lo, hi = vertices.min(axis=0), vertices.max(axis=0)
    pad = np.maximum((hi - lo) * _PAD_SHARE, _PAD_MIN)
    scale = 10.0**_DECODE_DECIMALS
    lo = np.floor((lo - pad) * scale) / scale
    hi = np.ceil((hi + pad) * scale) / scale
    quantised = np.rint((vertices - lo) / (hi - lo) * _UINT32_MAX)
    coords = np.clip(quantised, 0, _UINT32_MAX).astype(np.uint32)
    levels = np.rint(colors.reshape(-1, colors.shape[2]) * 255).astype(np.uint8)
    decode = [float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])]
    shading = _mesh(coords, levels[:, :3], "DeviceRGB", decode)
    alpha = None
    if colors.shape[2] == 4 and (levels[:, 3] < 255).any():
        alpha = _mesh(coords, levels[:, 3:], "DeviceGray", decode)
    return shading, alpha


def _mesh(coords: np.ndarray, components: np.ndarray, space: str, decode: list[float]) -> Stream:
    """A type 4 shading stream: per vertex a 0 flag byte, x and y as big-endian uint32, 8-bit components."""
    count = components.shape[1]
    record = np.dtype([("flag", "u1"), ("x", ">u4"), ("y", ">u4"), ("c", "u1", (count,))])
    data = np.zeros(len(coords), dtype=record)
    data["x"] = coords[:, 0]
    data["y"] = coords[:, 1]
    data["c"] = components
    dictionary = {
        "ShadingType": 4,
        "ColorSpace": Name(space),
        "BitsPerCoordinate": 32,
        "BitsPerComponent": 8,
        "BitsPerFlag": 8,
        "Decode": decode + [0, 1] * count,
    }
    return Stream(data.tobytes(), dictionary)
