"""Images: lossless image XObjects from arrays, PIL images, canvases, VTK data, PNG and JPEG files.

`draw_image` is the one entry point the page API and the matplotlib adapter
call. Each distinct image (by content hash) is written once per document and
placed with ``q a b c d e f cm /ImN Do Q``.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import replace
from typing import Any

import numpy as np

from ..errors import ImageError
from ..graphics.gstate import GraphicsContext
from ..graphics.path import as_affine
from ..graphics.renderer import Renderer
from ..pdf.numbers import format_array
from ..pdf.objects import Reference, Stream
from .colormaps import COLORMAPS, apply_colormap
from .encode import encode_image, icc_components, icc_stream
from .sources import ImageInput, to_array

__all__ = [
    "COLORMAPS", "ImageInput", "apply_colormap", "draw_image", "encode_image", "image_resource", "placement", "to_array",
]

ORIGINS = ("upper", "lower")
# Components an ICC profile must have for each kind of image (an indexed image's palette is RGB).
_ICC_COMPONENTS = {"gray": 1, "rgb": 3, "cmyk": 4, "indexed": 3}
# Decimals of the placement matrix (rotations need more than coordinates do).
_MATRIX_DECIMALS = 6


def draw_image(
    renderer: Renderer,
    gc: GraphicsContext,
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
) -> str:
    """Draw an image filling the rectangle (x, y, width, height) in points; return its XObject name.

    `data` is anything sources.to_array reads (an array, PIL image, canvas,
    vtkImageData, PNG or JPEG path or bytes) or, with `cmap`, a 2-D array of
    values mapped by colormaps.apply_colormap(values, cmap, vmin, vmax, norm,
    bad). The default size is one point per pixel; given only one of width
    and height, the other keeps the aspect ratio. origin="upper" puts row 0
    at the top (pictures), "lower" at the bottom (mathematical arrays).
    `transform` is an affine matrix (a, b, c, d, e, f) applied to the placed
    rectangle (rotation, skew). `interpolate` asks viewers to smooth the
    pixels when scaling up. gc supplies the scope (clips and transforms), the
    fill alpha as a constant opacity, and the blend mode.
    """
    if origin not in ORIGINS:
        raise ImageError(f"origin must be 'upper' or 'lower', not {origin!r}")
    if cmap is not None:
        image = apply_colormap(data, cmap, vmin, vmax, norm=norm, bad=bad)
    elif vmin is not None or vmax is not None or bad is not None or norm != "linear":
        raise ImageError("vmin, vmax, norm and bad colour-map values: pass cmap= too (e.g. cmap='viridis')")
    else:
        image = to_array(data)
    matrix = placement(image.width, image.height, x, y, width, height, origin=origin, transform=transform)
    name, ref = image_resource(renderer, image, interpolate=interpolate)
    opacity = 1.0 if gc.fill_alpha is None else gc.fill_alpha
    renderer.stack.apply(replace(gc, fill_alpha=opacity), None, stroke=False)
    renderer.stack.use_resource("XObject", name, ref)
    renderer.content.raw(b"q " + format_array(matrix, _MATRIX_DECIMALS) + b" cm /" + name.encode() + b" Do Q\n")
    return name


def placement(
    columns: int,
    rows: int,
    x: float,
    y: float,
    width: float | None,
    height: float | None,
    *,
    origin: str = "upper",
    transform: Any = None,
) -> np.ndarray:
    """The cm operands (a, b, c, d, e, f) mapping the image's unit square onto the placed rectangle."""
    if width is None and height is None:
        width, height = float(columns), float(rows)
    elif width is None:
        width = _size("height", height) * columns / rows
    elif height is None:
        height = _size("width", width) * rows / columns
    width, height = _size("width", width), _size("height", height)
    x, y = _size("x", x, allow_zero=True), _size("y", y, allow_zero=True)
    if origin == "upper":
        m = np.array([[width, 0.0, x], [0.0, height, y], [0.0, 0.0, 1.0]])
    else:
        m = np.array([[width, 0.0, x], [0.0, -height, y + height], [0.0, 0.0, 1.0]])
    if transform is not None:
        m = as_affine(transform) @ m
    return np.array([m[0, 0], m[1, 0], m[0, 1], m[1, 1], m[0, 2], m[1, 2]])


def _size(name: str, value: Any, *, allow_zero: bool = False) -> float:
    """A finite float (non-zero for sizes; negative sizes mirror), else ImageError."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ImageError(f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(number) or (number == 0 and not allow_zero):
        raise ImageError(f"{name} must be a finite{'' if allow_zero else ', non-zero'} number, not {value!r}")
    return number


def image_resource(renderer: Renderer, image: ImageInput, *, interpolate: bool = False) -> tuple[str, Reference]:
    """The (name, reference) of the image XObject for this content, encoding and writing it on first use."""
    canon = renderer.canon
    writer = canon.writer

    def build() -> Stream:
        """Encode the image, write its ICC profile and soft mask, and return the image stream."""
        icc = None
        profile = image.icc_profile
        if profile and icc_components(profile) == _ICC_COMPONENTS[image.space]:
            digest = hashlib.sha256(profile).digest()
            icc = canon.get("ColorSpace", "ICC", ("icc", digest), lambda: icc_stream(profile))[1]
        level = writer.compress_level if writer.compress else 0
        color, mask = encode_image(image, compress_level=level, interpolate=interpolate, icc=icc)
        if mask is not None:
            color.dictionary["SMask"] = writer.add(mask)
        if any(stream is not None and stream.dictionary["BitsPerComponent"] == 16 for stream in (color, mask)):
            writer.require_version("1.5")  # 16-bit samples
        return color

    return canon.get("XObject", "Im", ("image", image.digest(), bool(interpolate)), build)
