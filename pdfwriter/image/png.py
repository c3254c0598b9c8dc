"""PNG files: embedded as they are when PDF can read them, decoded with numpy otherwise.

A PDF Flate stream with PNG predictors reads a PNG's concatenated IDAT data
unchanged, so a non-interlaced PNG without an alpha channel (gray, RGB or
palette, any bit depth) is embedded without decoding it: gray or RGB
transparency (tRNS) becomes a colour-key Mask. Its data is still inflated,
a piece at a time and kept nowhere, to check it as decoding would (one
complete zlib stream holding the rows the header needs, each of a known
filter type; data after them is let be, as libpng lets it be): PDF viewers
draw corrupt data as black, garbage or nothing. PNGs with an
alpha channel, palette transparency or interlacing are inflated and
unfiltered here (PNG's five row filters, Adam7), then encoded like arrays.

Palettes are read as libpng reads them: more than 256 colours is an error,
colours the bit depth cannot index are dropped, and indices past the last
colour are black (the palette is padded to 2**depth colours; PDF viewers
would otherwise differ, some drawing black, some the last colour).
"""

from __future__ import annotations

import math
import struct
import zlib
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..errors import ImageError
from ..pdf.objects import Name
from .arrays import view_as
from .sources import PNG_MAGIC, Encoded, ImageInput

try:  # zlib-ng inflates a third faster than zlib (as pdf/deflate.py, which deflates with it)
    from zlib_ng import zlib_ng as _engine
except ImportError:  # pragma: no cover - a platform without zlib-ng wheels
    _engine = zlib

# Colour type -> (channels, allowed bit depths).
_COLOR_TYPES = {0: (1, (1, 2, 4, 8, 16)), 2: (3, (8, 16)), 3: (1, (1, 2, 4, 8)), 4: (2, (8, 16)), 6: (4, (8, 16))}
# Adam7 passes as (x0, y0, dx, dy).
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
# IHDR fields: width, height, bit depth, colour type, interlace.
_Header = tuple[int, int, int, int, int]
# Working memory for the wavefront unfilter (int16 skewed rows), per band of rows.
_WAVEFRONT_BYTES = 1 << 26
# PNG's largest width or height.
_MAX_SIDE = (1 << 31) - 1
# Deflate's largest expansion: a 258-byte match in two bits.
_DEFLATE_RATIO = 1032
# Compressed bytes inflated at a time when checking data that is passed through.
_CHECK_PIECE = 1 << 16
# Inflated data beyond the rows an image needs is let be (as libpng does), up to this many times them.
_EXTRA_ROWS_RATIO = 2


def read_png(data: bytes, name: str = "PNG data") -> ImageInput:
    """Read a PNG file into an ImageInput: IDAT passed through when possible, else decoded pixels."""
    header, plte, transparency, icc, idat = _chunks(data, name)
    width, height, depth, color_type, interlace = header
    channels = _COLOR_TYPES[color_type][0]
    palette = opacity = None
    if color_type == 3:
        palette, entries = _palette(plte, depth, name)
        if transparency is not None:
            opacity = np.full(len(palette), 255, dtype=np.uint8)
            values = np.frombuffer(transparency, dtype=np.uint8)[:entries]
            opacity[: len(values)] = values
            if opacity.min() == 255:
                opacity = None
    space = {0: "gray", 2: "rgb", 3: "indexed"}.get(color_type)
    if not interlace and space is not None and opacity is None:
        _check_rows(idat, width, height, channels * depth, name)
        entries: dict = {
            "Filter": Name("FlateDecode"),
            "DecodeParms": {"Predictor": 15, "Colors": channels, "BitsPerComponent": depth, "Columns": width},
        }
        key = _color_key(transparency, color_type, depth)
        if key is not None:
            entries["Mask"] = key
        return ImageInput(width, height, space, palette=palette, icc_profile=icc, encoded=Encoded(idat, depth, entries))
    samples = _decode(idat, header, name)
    return _decoded_input(samples, header, palette, opacity, transparency, icc)


def _chunks(data: bytes, name: str) -> tuple[_Header, bytes | None, bytes | None, bytes | None, bytes]:
    """Parse and CRC-check the chunks: (IHDR fields, PLTE, tRNS, ICC profile, joined IDAT)."""
    view = memoryview(data)
    at = len(PNG_MAGIC)
    header = plte = transparency = icc = None
    idat: list[memoryview] = []
    while True:
        if at + 8 > len(data):
            raise ImageError(f"{name} is a truncated PNG file (no IEND chunk)")
        length, kind = struct.unpack_from(">I4s", data, at)
        body = view[at + 8 : at + 8 + length]
        crc = data[at + 8 + length : at + 12 + length]
        if len(body) < length or len(crc) < 4:
            raise ImageError(f"{name} is a truncated PNG file (in its {kind.decode('latin-1')} chunk)")
        if zlib.crc32(body, zlib.crc32(kind)) != int.from_bytes(crc, "big"):
            raise ImageError(f"{name} is a corrupt PNG file (CRC mismatch in its {kind.decode('latin-1')} chunk)")
        at += 12 + length
        if kind == b"IHDR":
            header = _header(bytes(body), name)
        elif kind == b"PLTE":
            plte = bytes(body)
        elif kind == b"tRNS":
            transparency = bytes(body)
        elif kind == b"iCCP":
            icc = _icc(bytes(body), name)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None or not idat:
        raise ImageError(f"{name} has no {'IHDR' if header is None else 'IDAT'} chunk")
    return header, plte, transparency, icc, b"".join(idat)


def _header(body: bytes, name: str) -> _Header:
    """(width, height, bit depth, colour type, interlace) from IHDR, checked."""
    if len(body) != 13:
        raise ImageError(f"{name} has a malformed IHDR chunk")
    width, height, depth, color_type, method, filtering, interlace = struct.unpack(">IIBBBBB", body)
    if width == 0 or height == 0:
        raise ImageError(f"{name} is empty ({width} x {height} pixels)")
    if width > _MAX_SIDE or height > _MAX_SIDE:
        raise ImageError(f"{name} has an invalid size ({width} x {height} pixels; PNG allows up to {_MAX_SIDE} a side)")
    if color_type not in _COLOR_TYPES or depth not in _COLOR_TYPES[color_type][1]:
        raise ImageError(f"{name} has an invalid colour type {color_type} with bit depth {depth}")
    if method != 0 or filtering != 0 or interlace not in (0, 1):
        raise ImageError(f"{name} uses an unknown PNG compression, filter or interlace method")
    return width, height, depth, color_type, interlace


def _palette(plte: bytes | None, depth: int, name: str) -> tuple[np.ndarray, int]:
    """The (2**depth, 3) palette of a PLTE chunk, padded with black, and the number of entries it gives.

    As libpng: entries the bit depth cannot index are dropped; more than 256
    entries, none, or a length that is not a multiple of 3 is an error.
    """
    if plte is None:
        raise ImageError(f"{name} is a palette PNG without a PLTE chunk")
    if not plte or len(plte) % 3 or len(plte) > 3 * 256:
        raise ImageError(
            f"{name} has a malformed PLTE chunk ({len(plte)} bytes, where PNG allows 1 to 256 colours of 3 bytes)"
        )
    entries = min(len(plte) // 3, 1 << depth)
    palette = np.zeros((1 << depth, 3), dtype=np.uint8)
    palette[:entries] = np.frombuffer(plte, dtype=np.uint8)[: 3 * entries].reshape(-1, 3)
    return palette, entries


def _icc(body: bytes, name: str) -> bytes | None:
    """The ICC profile of an iCCP chunk (keyword, NUL, method 0, zlib data)."""
    end = body.find(b"\x00")
    if end < 0 or end + 2 > len(body) or body[end + 1] != 0:
        return None
    try:
        return zlib.decompress(body[end + 2 :])
    except zlib.error:
        raise ImageError(f"{name} has a corrupt ICC profile (iCCP chunk)") from None


def _color_key(transparency: bytes | None, color_type: int, depth: int) -> list[int] | None:
    """A gray or RGB tRNS colour as a PDF colour-key Mask array [min max ...]."""
    if transparency is None or color_type not in (0, 2):
        return None
    count = 1 if color_type == 0 else 3
    if len(transparency) < 2 * count:
        return None
    values = struct.unpack_from(f">{count}H", transparency)
    if max(values) >= 1 << depth:
        return None
    return [v for value in values for v in (value, value)]


# Checking and decoding -----------------------------------------------------------


def _check_rows(idat: bytes, width: int, height: int, bits: int, name: str) -> None:
    """Check the IDAT data of a non-interlaced image that is passed through, as _decode would find it.

    It must be one complete zlib stream of at least `height` rows, each a
    filter type (0-4) and the row's bytes (`bits` a pixel). It is inflated
    _CHECK_PIECE compressed bytes at a time and only the filter types are
    read, so nothing the size of the image is kept: a 4000 x 3000 RGB photo
    (23 MB of IDAT) takes about 80 ms, the time zlib-ng takes to inflate it.
    As libpng, data after the rows or after the stream is let be (a PDF
    reader stops at the rows too), up to _EXTRA_ROWS_RATIO times the rows.
    """
    stride = (width * bits + 7) // 8 + 1
    needed = height * stride
    most = needed * _EXTRA_ROWS_RATIO
    inflater = _inflater(idat, needed, name)
    view = memoryview(idat)
    done = 0
    for start in range(0, len(view), _CHECK_PIECE):
        piece = _inflate(inflater, view[start : start + _CHECK_PIECE], most - done, name)
        rows = piece[: max(0, needed - done)]
        types = np.frombuffer(rows, dtype=np.uint8)[-done % stride :: stride]
        if len(types) and types.max() > 4:
            raise ImageError(f"{name} has an unknown PNG row filter type {int(types.max())}")
        done += len(piece)
        if inflater.eof or done > most:
            break
    _check_end(inflater, done, needed, name)


def _inflater(idat: bytes, needed: int, name: str) -> Any:
    """A decompressor for IDAT data that must inflate to `needed` bytes (which deflate must be able to make)."""
    if needed > _DEFLATE_RATIO * len(idat):
        raise ImageError(
            f"{name} has too little image data ({len(idat)} compressed bytes cannot hold the {needed} bytes needed)"
        )
    return _engine.decompressobj()


def _inflate(inflater: Any, data: bytes | memoryview, room: int, name: str) -> bytes:
    """Inflate `data`, stopping one byte past `room` bytes (more is too much: _check_end says so)."""
    try:
        return inflater.decompress(data, room + 1)
    except (zlib.error, _engine.error) as exc:
        raise ImageError(f"{name} has corrupt image data: {exc}") from None


def _check_end(inflater: Any, done: int, needed: int, name: str) -> None:
    """Check that `done` inflated bytes hold the `needed` ones, not absurdly many more, and that the zlib
    stream ended (a cut stream is what PDF readers refuse; bytes after its end are let be, as by libpng)."""
    if done < needed:
        raise ImageError(f"{name} has too little image data ({done} bytes where {needed} are needed)")
    if done > needed * _EXTRA_ROWS_RATIO:
        raise ImageError(f"{name} has too much image data (more than {_EXTRA_ROWS_RATIO} times the {needed} bytes needed)")
    if not inflater.eof:
        raise ImageError(f"{name} has corrupt image data: its compressed stream is incomplete or truncated")


def _decode(idat: bytes, header: _Header, name: str) -> np.ndarray:
    """Inflate and unfilter the IDAT data into (H, W, channels) samples (uint8 or uint16)."""
    width, height, depth, color_type, interlace = header
    channels = _COLOR_TYPES[color_type][0]
    passes = [(0, 0, 1, 1, width, height)]
    if interlace:
        passes = [
            (x0, y0, dx, dy, -(-(width - x0) // dx), -(-(height - y0) // dy))
            for x0, y0, dx, dy in _ADAM7
            if width > x0 and height > y0
        ]
    needed = sum(rows * ((columns * channels * depth + 7) // 8 + 1) for *_, columns, rows in passes)
    inflater = _inflater(idat, needed, name)
    inflated = _inflate(inflater, idat, needed * _EXTRA_ROWS_RATIO, name)
    _check_end(inflater, len(inflated), needed, name)
    raw = np.frombuffer(inflated, dtype=np.uint8)
    if not interlace:
        return _decode_pass(raw, width, height, channels, depth, name)[0]
    image = np.zeros((height, width, channels), dtype=np.uint16 if depth == 16 else np.uint8)
    at = 0
    for x0, y0, dx, dy, pass_width, pass_height in passes:
        samples, used = _decode_pass(raw[at:], pass_width, pass_height, channels, depth, name)
        image[y0::dy, x0::dx] = samples
        at += used
    return image


def _decode_pass(
    raw: np.ndarray, width: int, height: int, channels: int, depth: int, name: str
) -> tuple[np.ndarray, int]:
    """Unfilter one (sub)image and unpack its samples; also return the bytes it used."""
    row_bytes = (width * channels * depth + 7) // 8
    needed = height * (row_bytes + 1)
    if len(raw) < needed:
        raise ImageError(f"{name} has too little image data ({len(raw)} bytes where {needed} are needed)")
    rows = raw[:needed].reshape(height, row_bytes + 1)
    if rows[:, 0].max() > 4:
        raise ImageError(f"{name} has an unknown PNG row filter type {int(rows[:, 0].max())}")
    data = unfilter(rows[:, 1:], rows[:, 0], max(1, channels * depth // 8))
    return _samples(data, width, channels, depth), needed


def unfilter(data: np.ndarray, types: np.ndarray, bpp: int) -> np.ndarray:
    """Undo PNG row filters on (H, row bytes) uint8 data; `bpp` is bytes per complete pixel (>= 1)."""
    if (types >= 3).any():
        return _unfilter_wavefront(data, types, bpp)
    height, row_bytes = data.shape
    out = np.empty((height, row_bytes), dtype=np.uint8)
    plain = types == 0
    out[plain] = data[plain]
    sub = types == 1
    if sub.any():
        rows = data[sub].reshape(-1, row_bytes // bpp, bpp)
        out[sub] = np.cumsum(rows, axis=1, dtype=np.uint8).reshape(-1, row_bytes)
    # Each run of Up rows is a running sum down the columns, from the row above the run.
    up = np.flatnonzero(types == 2)
    if len(up):
        breaks = np.flatnonzero(np.diff(up) != 1)
        for start, last in zip(up[np.r_[0, breaks + 1]], up[np.r_[breaks, len(up) - 1]]):
            run = np.cumsum(data[start : last + 1], axis=0, dtype=np.uint8)
            if start > 0:
                run += out[start - 1]
            out[start : last + 1] = run
    return out


def _unfilter_wavefront(data: np.ndarray, types: np.ndarray, bpp: int) -> np.ndarray:
    """Undo any mix of filters (Average and Paeth too) in bands of rows, one anti-diagonal at a time."""
    height, row_bytes = data.shape
    units = row_bytes // bpp
    # Rows per band: the skewed int16 working array is about band * (band + units) * bpp * 2 bytes.
    limit = _WAVEFRONT_BYTES / (2 * bpp)
    band = max(1, min(height, int((math.sqrt(units * units + 4 * limit) - units) / 2)))
    out = np.empty((height, row_bytes), dtype=np.uint8)
    previous = np.zeros(row_bytes, dtype=np.uint8)
    for start in range(0, height, band):
        stop = min(height, start + band)
        out[start:stop] = _wavefront_band(np.ascontiguousarray(data[start:stop]), types[start:stop], previous, bpp)
        previous = out[stop - 1]
    return out


def _wavefront_band(data: np.ndarray, types: np.ndarray, previous: np.ndarray, bpp: int) -> np.ndarray:
    """Unfilter rows below `previous` along anti-diagonals r + c = d, vectorised across each diagonal.

    Pixel (r, c) depends on (r, c-1), (r-1, c) and (r-1, c-1), all on earlier
    diagonals. Working in skewed coordinates, S[d + 2, r + 1] = out[r, c], the
    three neighbours of a whole diagonal are plain slices of the two before it.
    None, Sub and Up are Paeth with some neighbours zeroed (Paeth(0, 0, 0) = 0,
    Paeth(a, 0, 0) = a, Paeth(0, b, 0) = b), so one formula serves every row
    but Average rows.
    """
    height, row_bytes = data.shape
    units = row_bytes // bpp
    item = data.reshape(height, units, bpp)
    # skewed[d, r] = item[r, d - r]; only the valid (0 <= d - r < units) entries are read.
    skewed = as_strided(item, shape=(height + units - 1, height, bpp), strides=(bpp, (units - 1) * bpp, 1))
    s = np.zeros((height + units + 1, height + 1, bpp), dtype=np.int16)
    s[1 : units + 1, 0] = previous.reshape(units, bpp)
    uses_a = np.isin(types, (1, 3, 4)).astype(np.int16)[:, None]
    uses_b = np.isin(types, (2, 3, 4)).astype(np.int16)[:, None]
    uses_c = (types == 4).astype(np.int16)[:, None]
    average = (types == 3)[:, None]
    any_average = bool(average.any())
    for d in range(height + units - 1):
        r0, r1 = max(0, d - units + 1), min(height, d + 1)
        a = s[d + 1, r0 + 1 : r1 + 1] * uses_a[r0:r1]
        b = s[d + 1, r0:r1] * uses_b[r0:r1]
        prediction = _paeth(a, b, s[d, r0:r1] * uses_c[r0:r1])
        if any_average:
            prediction = np.where(average[r0:r1], (a + b) >> 1, prediction)
        prediction += skewed[d, r0:r1]
        prediction &= 255
        s[d + 2, r0 + 1 : r1 + 1] = prediction
    element = s.itemsize
    plane = s.reshape(-1)[2 * (height + 1) * bpp + bpp :]
    strides = ((height + 2) * bpp * element, (height + 1) * bpp * element, element)
    return as_strided(plane, shape=(height, units, bpp), strides=strides).astype(np.uint8).reshape(height, row_bytes)


def _paeth(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """The Paeth predictor of left a, up b and upper-left c (int16 arrays)."""
    b_c = b - c
    a_c = a - c
    pa = np.abs(b_c)
    pb = np.abs(a_c)
    pc = np.abs(a_c + b_c)
    return np.where(pa <= np.minimum(pb, pc), a, np.where(pb <= pc, b, c))


def _samples(data: np.ndarray, width: int, channels: int, depth: int) -> np.ndarray:
    """Unfiltered rows as (H, W, channels) samples: uint8, or uint16 for 16-bit (1-4 bit values unscaled)."""
    height = data.shape[0]
    if depth == 8:
        return data[:, : width * channels].reshape(height, width, channels)
    if depth == 16:
        return view_as(data[:, : width * channels * 2], ">u2").astype(np.uint16).reshape(height, width, channels)
    shifts = np.arange(8 - depth, -1, -depth, dtype=np.uint8)
    values = (data[:, :, None] >> shifts) & np.uint8((1 << depth) - 1)
    return values.reshape(height, -1)[:, :width, None]


def _decoded_input(
    samples: np.ndarray,
    header: _Header,
    palette: np.ndarray | None,
    opacity: np.ndarray | None,
    transparency: bytes | None,
    icc: bytes | None,
) -> ImageInput:
    """An ImageInput from decoded samples: alpha split off, tRNS applied, low-depth gray scaled to 8 bits."""
    width, height, depth, color_type, _ = header
    if color_type == 3:
        alpha = None if opacity is None else opacity[samples[:, :, 0]]
        return ImageInput(width, height, "indexed", np.ascontiguousarray(samples), alpha, palette, icc)
    colors = 1 if color_type in (0, 4) else 3
    pixels = np.ascontiguousarray(samples[:, :, :colors])
    alpha = np.ascontiguousarray(samples[:, :, colors]) if color_type in (4, 6) else None
    key = _color_key(transparency, color_type, depth)
    if key is not None:
        alpha = (pixels != np.array(key[::2], dtype=pixels.dtype)).any(axis=2)
    if depth < 8:
        pixels = pixels * np.uint8(255 // ((1 << depth) - 1))
    return ImageInput(width, height, "gray" if colors == 1 else "rgb", pixels, alpha, icc_profile=icc)
