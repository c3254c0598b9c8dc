"""Image sources normalised to one form: contiguous numpy pixels plus what PDF needs to know.

`to_array` accepts numpy arrays (and nested lists), PIL images, matplotlib Agg
canvases (anything with ``buffer_rgba()``), vtkImageData, anything with
``__array__``, and PNG or JPEG files (a path, or the file's bytes). Every
source becomes an :class:`ImageInput`: colour pixels (H, W, C) and an
optional separate alpha plane, or, for JPEG and the PNG fast path, the
compressed bytes to embed as they are. Pillow and VTK are never imported
unless the object is one of theirs.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ImageError
from ..pdf.deflate import side_by_side, worker_pool
from .arrays import view_as
from .palette import few_colors_rgba

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
# Images are hashed in pieces of this many bytes on the worker pool (see ImageInput.digest).
_HASH_PIECE = 1 << 21
# Values converted per step when floats become uint8 (keeps the temporaries in cache). Measured on
# a 3000 x 4000 RGBA array: 68 ms on one thread whatever the step; on two threads 37 ms with steps
# of 256 Ki values and more, but 55-87 ms with 128 Ki (more hand-overs of the GIL between steps).
_FLOAT_CHUNK = 1 << 19
# Float images of more values than this are converted on the worker threads too.
_FLOAT_SPLIT = 1 << 20
# Floats this far outside 0..1 are rounding noise (they still round to 0 or 255); further is an error.
_FLOAT_SLACK = 0.49 / 255
# RGBA images of more pixels than this are split on the worker threads too.
_RGBA_SPLIT = 1 << 18
# An RGBA pixel as its RGB bytes and its alpha byte (copying the RGB field is twice as fast as slicing channels).
_RGB_AND_ALPHA = np.dtype([("rgb", "V3"), ("alpha", "u1")])
# vtkDataArray.GetDataType() codes (vtkType.h) of the types images use.
_VTK_DTYPES = {
    1: np.bool_, 2: np.int8, 3: np.uint8, 4: np.int16, 5: np.uint16, 6: np.int32,
    7: np.uint32, 10: np.float32, 11: np.float64, 12: np.int64, 15: np.int8,
    16: np.int64, 17: np.uint64,
}  # fmt: skip


@dataclass(eq=False)
class Encoded:
    """Compressed image data embedded unchanged: the bytes and the stream entries that decode them."""

    data: bytes
    bits: int
    entries: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class ImageInput:
    """One image ready to encode: pixels or pass-through data, colour space, alpha, palette, ICC profile.

    `pixels` is (H, W, C) and C-contiguous: uint8, uint16 (16 bits per
    component) or bool (1 bit); C is 1 for "gray" and "indexed", 3 for "rgb",
    4 for "cmyk". `alpha` is a separate (H, W) uint8, uint16 or bool plane
    (255, 65535 or True is opaque). An "indexed" image has a (N, 3) uint8 RGB
    `palette`, N <= 256. `encoded` replaces `pixels` for JPEG and PNG data
    embedded as it is.
    """

    width: int
    height: int
    space: str
    pixels: np.ndarray | None = None
    alpha: np.ndarray | None = None
    palette: np.ndarray | None = None
    icc_profile: bytes | None = None
    encoded: Encoded | None = None
    _digest: bytes | None = field(default=None, init=False, repr=False)

    def digest(self) -> bytes:
        """A content hash (pixels, alpha, palette, profile, encoding): equal images, equal digests.

        SHA-256 (with the SHA instructions of current processors about 2 GB/s
        here, BLAKE2b 1.3 GB/s, MD5 0.85 GB/s); buffers over _HASH_PIECE are
        hashed in pieces on the worker pool, and the pieces' digests hashed.
        """
        if self._digest is None:
            h = hashlib.sha256()
            h.update(repr((self.width, self.height, self.space)).encode())
            for part in (self.pixels, self.alpha, self.palette):
                h.update(b"-" if part is None else repr((part.shape, part.dtype.str)).encode())
                if part is not None:
                    h.update(_hash_bytes(np.ascontiguousarray(part)))
            h.update(self.icc_profile or b"-")
            if self.encoded is not None:
                h.update(repr((self.encoded.bits, self.encoded.entries, len(self.encoded.data))).encode())
                h.update(_hash_bytes(self.encoded.data))
            self._digest = h.digest()
        return self._digest


def _hash_bytes(data: Any) -> Any:
    """The data itself when small, else the SHA-256 digests of its _HASH_PIECE pieces, hashed side by side."""
    view = memoryview(data).cast("B")
    if len(view) <= 2 * _HASH_PIECE:
        return view
    pieces = [view[start : start + _HASH_PIECE] for start in range(0, len(view), _HASH_PIECE)]
    return b"".join(worker_pool().map(lambda piece: hashlib.sha256(piece).digest(), pieces))


def to_array(data: Any) -> ImageInput:
    """Read any accepted image source into an ImageInput (see the module docstring)."""
    if isinstance(data, ImageInput):
        return data
    if isinstance(data, (str, os.PathLike)):
        return from_file_bytes(_read_file(data), repr(os.fspath(data)))
    if isinstance(data, (bytes, bytearray)) or (isinstance(data, memoryview) and data.ndim <= 1):
        return from_file_bytes(bytes(data), "image data")
    if _is_pil(data):
        return _from_pil(data)
    return from_array(raw_array(data), _describe(data))


def raw_array(data: Any) -> np.ndarray:
    """The numpy array behind an array-like source (array, canvas, vtkImageData, __array__), unconverted."""
    if isinstance(data, np.ndarray):
        return data
    if isinstance(data, memoryview):
        return np.asarray(data)
    if _is_pil(data):
        return np.asarray(data)
    if hasattr(data, "buffer_rgba"):
        return _from_canvas(data)
    if hasattr(data, "GetPointData") and hasattr(data, "GetDimensions"):
        return _from_vtk(data)
    if hasattr(data, "__array__") or isinstance(data, (list, tuple)):
        try:
            return np.asarray(data)
        except (ValueError, OverflowError) as exc:  # ragged nested lists, integers beyond any dtype
            raise ImageError(f"cannot read an image from this {type(data).__name__}: {exc}") from None
    raise ImageError(
        f"cannot read an image from a {type(data).__name__}: give a numpy array, a PIL image, "
        "a PNG or JPEG file (path or bytes), a matplotlib canvas or a vtkImageData"
    )


def _describe(data: Any) -> str:
    """A short name of a source for error messages."""
    return "image array" if isinstance(data, np.ndarray) else f"image from {type(data).__name__}"


def _read_file(path: str | os.PathLike) -> bytes:
    """The bytes of an image file, or ImageError naming it."""
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as exc:
        raise ImageError(f"cannot read image file {os.fspath(path)!r}: {exc.strerror or exc}") from exc


def from_file_bytes(data: bytes, name: str) -> ImageInput:
    """Read PNG or JPEG file contents, detected by their first bytes."""
    if data.startswith(PNG_MAGIC):
        from .png import read_png

        return read_png(data, name)
    if data.startswith(JPEG_MAGIC):
        from .jpeg import read_jpeg

        return read_jpeg(data, name)
    raise ImageError(f"{name} is not a PNG or JPEG image (it starts with {data[:8]!r})")


# Arrays -------------------------------------------------------------------------


def from_array(array: np.ndarray, name: str = "image array") -> ImageInput:
    """Normalise an (H, W) or (H, W, 1..4) array: gray, gray+alpha, RGB or RGBA."""
    if array.ndim == 2:
        array = array[:, :, None]
    if array.ndim != 3 or not 1 <= array.shape[2] <= 4:
        raise ImageError(
            f"{name} has shape {array.shape}: images are H x W (gray) or H x W x C with "
            "C = 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA)"
        )
    height, width, channels = array.shape
    if height == 0 or width == 0:
        raise ImageError(f"{name} is empty (shape {array.shape})")
    colors = 1 if channels <= 2 else 3
    space = "gray" if colors == 1 else "rgb"
    if array.dtype.kind == "f":
        pixels, alpha = _floats_to_uint8(array, colors, name)
        return ImageInput(width, height, space, pixels, alpha)
    array = _as_pixel_dtype(array, name)
    if array.dtype == np.uint8 and channels == 4 and array.strides[1:] == (4, 1):
        return _from_rgba_bytes(array)
    if array.dtype == np.bool_ and channels > 1:
        array = array.astype(np.uint8) * np.uint8(255)
    pixels = np.ascontiguousarray(array[:, :, :colors])
    alpha = np.ascontiguousarray(array[:, :, colors]) if channels in (2, 4) else None
    return ImageInput(width, height, space, pixels, alpha)


def _from_rgba_bytes(array: np.ndarray) -> ImageInput:
    """An (H, W, 4) uint8 image of contiguous pixels (rows of any stride): indexed when its colours are few.

    This is the form of matplotlib's and most canvases' buffers. An opaque
    alpha is dropped; the RGB is copied out three bytes at a time (half the
    time of numpy's channel slicing) only when the colours are not few.
    """
    height, width, _ = array.shape
    split = height * width > _RGBA_SPLIT
    alpha_view = array[:, :, 3]
    alpha = None
    lowest = [255]
    side_by_side(height, lambda a, b: lowest.append(int(alpha_view[a:b].min())), split=split)
    if min(lowest) != 255:
        alpha = np.empty((height, width), dtype=np.uint8)
        side_by_side(height, lambda a, b: np.copyto(alpha[a:b], alpha_view[a:b]), split=split)
    found = few_colors_rgba(array)
    if found is not None:
        indices, palette = found
        return ImageInput(width, height, "indexed", indices[:, :, None], alpha, palette)
    fields = view_as(array, _RGB_AND_ALPHA)[:, :, 0]["rgb"]
    rgb = np.empty((height, width), dtype=fields.dtype)
    side_by_side(height, lambda a, b: np.copyto(rgb[a:b], fields[a:b]), split=split)
    return ImageInput(width, height, "rgb", rgb.view(np.uint8).reshape(height, width, 3), alpha)


def _as_pixel_dtype(array: np.ndarray, name: str) -> np.ndarray:
    """A non-float array as uint8, uint16 or bool, converting integers that fit in 0..255."""
    kind = array.dtype.kind
    if array.dtype == np.uint8 or array.dtype == np.bool_:
        return array
    if kind == "u" and array.dtype.itemsize == 2:
        return array.astype(np.uint16, copy=False)
    if kind in "iu":
        low, high = int(array.min()), int(array.max())
        if low < 0 or high > 255:
            raise ImageError(
                f"{name} has {array.dtype} values from {low} to {high}: integer images must be "
                "0..255 (use dtype uint16 for 16-bit images, or pass cmap= to colour-map values)"
            )
        return array.astype(np.uint8)
    raise ImageError(
        f"{name} has dtype {array.dtype}, which is not an image type: use uint8, uint16, bool "
        "or floats in 0..1 (or pass cmap= to colour-map real values)"
    )


def _floats_to_uint8(array: np.ndarray, colors: int, name: str) -> tuple[np.ndarray, np.ndarray | None]:
    """(colour pixels, alpha) from floats in 0..1, rounded to uint8 in row chunks.

    NaN or out-of-range values raise ImageError.
    """
    height, width, channels = array.shape
    pixels = np.empty((height, width, colors), dtype=np.uint8)
    alpha = np.empty((height, width), dtype=np.uint8) if channels > colors else None
    rows = max(1, _FLOAT_CHUNK // (width * channels))

    def convert(first: int, last: int) -> None:
        work = np.empty((min(rows, last - first), width, channels), dtype=np.float32)
        for start in range(first, last, rows):
            chunk = array[start : min(start + rows, last)]
            low, high = chunk.min(), chunk.max()
            if not (low >= -_FLOAT_SLACK and high <= 1 + _FLOAT_SLACK):
                if np.isnan(low) or np.isnan(high):
                    raise ImageError(
                        f"{name} has NaN values: float images must be 0..1 everywhere "
                        "(pass cmap= to draw NaN as transparent)"
                    )
                raise ImageError(
                    f"{name} has float values from {low:g} to {high:g}: float images must be 0..1 "
                    "(divide 0-255 values by 255, or pass cmap= to colour-map real values)"
                )
            tmp = work[: len(chunk)]
            np.multiply(chunk, 255, out=tmp, casting="same_kind")
            tmp += 0.5
            pixels[start : start + len(chunk)] = tmp[:, :, :colors]
            if alpha is not None:
                alpha[start : start + len(chunk)] = tmp[:, :, colors]

    # Large images are converted in one piece per processor, side by side.
    side_by_side(height, convert, split=array.size > _FLOAT_SPLIT)
    return pixels, alpha


# Other sources ------------------------------------------------------------------


def _is_pil(data: Any) -> bool:
    """True for a PIL/Pillow image (checked without importing PIL)."""
    return type(data).__module__.startswith("PIL") and hasattr(data, "mode") and hasattr(data, "getpalette")


def _from_pil(image: Any) -> ImageInput:
    """Read a PIL image; palette images stay indexed, 16-bit stays 16-bit, CMYK stays CMYK.

    A colour key (info["transparency"] on a "1", "L" or "RGB" image, as
    Pillow reads a PNG's tRNS) becomes an alpha plane, and premultiplied
    alpha ("RGBa", "La") is divided out, both by Pillow's own conversion.
    """
    mode = image.mode
    icc = image.info.get("icc_profile") or None
    if image.width == 0 or image.height == 0:
        raise ImageError(f"PIL image (mode {mode}) is empty ({image.width} x {image.height} pixels)")
    keyed = mode in ("1", "L", "RGB") and image.info.get("transparency") is not None
    if keyed or mode in ("RGBa", "La"):
        target = "LA" if mode in ("1", "L", "La") else "RGBA"
        try:
            converted = image.convert(target)
        except ValueError:
            converted = image.convert("RGBA")  # Pillow converts some of these only to RGBA
        result = from_array(np.asarray(converted), f"PIL image (mode {mode})")
    elif mode == "P":
        result = _from_pil_palette(image)
    elif mode == "CMYK":
        pixels = np.ascontiguousarray(np.asarray(image))
        result = ImageInput(image.width, image.height, "cmyk", pixels)
    elif mode in ("1", "L", "LA", "RGB", "RGBA"):
        result = from_array(np.asarray(image), f"PIL image (mode {mode})")
    elif mode.startswith("I;16") or mode == "I":
        values = np.asarray(image)
        if mode == "I" and (values.min() < 0 or values.max() > 65535):
            raise ImageError("PIL image (mode I) has values outside 0..65535; convert it to 'I;16' or 'L'")
        result = from_array(values.astype(np.uint16), f"PIL image (mode {mode})")
    else:
        target = "RGBA" if "A" in mode or "transparency" in image.info else "RGB"
        result = from_array(np.asarray(image.convert(target)), f"PIL image (mode {mode})")
    result.icc_profile = icc
    return result


def _from_pil_palette(image: Any) -> ImageInput:
    """A PIL "P" image as indices plus an RGB palette, with its transparency as an alpha plane."""
    indices = np.asarray(image)
    palette_mode = getattr(image.palette, "mode", "RGB")
    if palette_mode not in ("RGB", "RGBA"):
        return from_array(np.asarray(image.convert("RGBA")), f"PIL image (mode P, {palette_mode} palette)")
    entries = np.array(image.getpalette(palette_mode) or [0, 0, 0], dtype=np.uint8).reshape(-1, len(palette_mode))
    count = max(len(entries), int(indices.max()) + 1)
    palette = np.zeros((count, 3), dtype=np.uint8)
    palette[: len(entries)] = entries[:, :3]
    opacity = np.full(count, 255, dtype=np.uint8)
    if palette_mode == "RGBA":
        opacity[: len(entries)] = entries[:, 3]
    transparency = image.info.get("transparency")
    if isinstance(transparency, int) and transparency < count:
        opacity[transparency] = 0
    elif isinstance(transparency, bytes):
        values = np.frombuffer(transparency, dtype=np.uint8)[:count]
        opacity[: len(values)] = values
    alpha = None
    if (opacity < 255).any():
        alpha = opacity[indices]
    return ImageInput(
        image.width, image.height, "indexed", np.ascontiguousarray(indices[:, :, None]), alpha, palette
    )


def _from_canvas(canvas: Any) -> np.ndarray:
    """The RGBA pixels of a matplotlib Agg canvas (or anything with buffer_rgba())."""
    array = np.asarray(canvas.buffer_rgba())
    if array.ndim == 1 and hasattr(canvas, "get_width_height"):
        width, height = canvas.get_width_height()
        array = array.reshape(int(height), int(width), 4)
    return array


def _from_vtk(image: Any) -> np.ndarray:
    """The scalars of a 2-D vtkImageData as (rows, columns, components), top row first."""
    dims = tuple(int(d) for d in image.GetDimensions())
    if len(dims) == 3 and dims[2] != 1:
        raise ImageError(f"vtkImageData has dimensions {dims}: only 2-D images (depth 1) can be drawn")
    scalars = image.GetPointData().GetScalars()
    if scalars is None:
        raise ImageError("vtkImageData has no point scalars to draw")
    components = int(scalars.GetNumberOfComponents())
    values = _vtk_values(scalars, components)
    columns, rows = dims[0], dims[1]
    if values.size != rows * columns * components:
        raise ImageError(
            f"vtkImageData has {values.size} scalar values for {columns} x {rows} points "
            f"of {components} components"
        )
    # VTK's first row is the bottom one: flip so that row 0 is the top.
    return values.reshape(rows, columns, components)[::-1]


def _vtk_values(scalars: Any, components: int) -> np.ndarray:
    """A vtkDataArray's values as a flat numpy array: numpy_support, the buffer protocol, or per value."""
    if type(scalars).__module__.startswith("vtk"):
        try:
            from vtkmodules.util.numpy_support import vtk_to_numpy
        except ImportError:
            pass
        else:
            return np.asarray(vtk_to_numpy(scalars)).ravel()
    dtype = _VTK_DTYPES.get(int(scalars.GetDataType())) if hasattr(scalars, "GetDataType") else None
    try:
        values = np.asarray(memoryview(scalars)).ravel()
    except TypeError:
        count = int(scalars.GetNumberOfTuples()) * components
        if hasattr(scalars, "GetValue"):
            values = np.fromiter((scalars.GetValue(i) for i in range(count)), dtype=dtype or np.float64, count=count)
        else:
            tuples = int(scalars.GetNumberOfTuples())
            values = np.array([scalars.GetTuple(i) for i in range(tuples)], dtype=dtype or np.float64)
    return values.astype(dtype, copy=False).ravel() if dtype is not None else values.ravel()
