"""Finding the colours of an image: gray images, and images of few colours as palette indices.

Colour-mapped pictures (a field drawn through viridis, a chart, a
screenshot of flat colours) have at most 256 distinct colours and are
stored as Indexed images, a third of the RGB samples. A small sample of
pixels rules most other images out before the whole image is scanned.

Colours are packed into 24-bit keys. Large images mark their keys in a
2**24-entry table and read the indices back from another; small ones sort
their keys instead (the tables' 32 MB cost some 4 ms to clear, more than
sorting up to _SORT_PIXELS keys). Keys are made a block of rows at a time
(_CHUNK_PIXELS, which stay in the processor's cache), once to mark and once
to look up: a whole image's keys would be 8 bytes a pixel, 96 MB for 12
million pixels, written once and read twice from memory. Four-channel uint8
pixels (matplotlib's RGBA buffers) are read as one 32-bit word a pixel with
the alpha byte masked off, which takes a quarter of the time of packing
three channels, and no RGB copy of the image is made at all when its
colours are few.
"""

from __future__ import annotations

import sys
from typing import Callable

import numpy as np

from ..pdf.deflate import side_by_side
from .arrays import view_as

#: Pixels looked at to rule out gray or few colours before scanning a whole image.
SAMPLE_PIXELS = 4096
# Measured on colour-mapped RGBA images: 40,000 pixels take 0.6 ms sorted and 2.2 ms through the
# tables (clearing and marking them costs about 2 ms), 120,000 pixels 3.3 ms sorted and 2.4 ms by table.
_SORT_PIXELS = 96 * 1024
# Pixels whose keys are made at a time (512 KiB of keys).
_CHUNK_PIXELS = 1 << 16
# Lightness weights (ITU-R 601) for ordering palettes.
_LIGHTNESS = np.array([299, 587, 114])
_RGB_ORDER = np.array([1 << 16, 1 << 8, 1])
# The RGB bytes of an RGBA pixel read as one native 32-bit word, and the shift that brings them to 24 bits.
_RGB_WORD = int(np.array([255, 255, 255, 0], dtype=np.uint8).view(np.uint32)[0])
_RGB_SHIFT = 8 if sys.byteorder == "big" else 0


def sample(pixels: np.ndarray) -> np.ndarray:
    """Up to SAMPLE_PIXELS pixels spread evenly over an (H, W, C) image (any strides), as (n, C)."""
    height, width, channels = pixels.shape
    count = height * width
    if count <= SAMPLE_PIXELS:
        return pixels.reshape(-1, channels)
    flat = np.linspace(0, count - 1, SAMPLE_PIXELS).astype(np.intp)
    return pixels[flat // width, flat % width]


def _all_gray(pixels: np.ndarray) -> bool:
    """True when R, G and B are equal in every row of (n, 3 or more) pixels."""
    return bool((pixels[:, 0] == pixels[:, 1]).all() and (pixels[:, 1] == pixels[:, 2]).all())


def is_gray(pixels: np.ndarray) -> bool:
    """True when every pixel's R, G and B are equal (a sample is checked first)."""
    if not _all_gray(sample(pixels)):
        return False
    return bool(np.array_equal(pixels[:, :, 0], pixels[:, :, 1]) and np.array_equal(pixels[:, :, 1], pixels[:, :, 2]))


def few_colors(pixels: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(indices (H, W) uint8, palette (N, C) uint8) when a uint8 (H, W, 1 or 3) image has at most `limit` colours.

    None when it has more. RGB palettes are in order of lightness.
    """
    if len(np.unique(_keys(sample(pixels)))) > limit:
        return None
    height, width, channels = pixels.shape
    return _index(lambda a, b: _keys(pixels[a:b].reshape(-1, channels)), (height, width), channels, limit)


def few_colors_rgba(rgba: np.ndarray, limit: int = 256) -> tuple[np.ndarray, np.ndarray] | None:
    """few_colors of the RGB of an (H, W, 4) uint8 image whose pixels are 4 contiguous bytes, alpha ignored.

    The rows may have any stride (a flipped view is read in place). None also
    when the image is gray (a gray image is smaller as DeviceGray) or has
    more than `limit` colours.
    """
    sampled = sample(rgba)
    if _all_gray(sampled):
        return None
    if len(np.unique(_keys(sampled[:, :3]))) > limit:
        return None
    words = view_as(rgba, np.uint32)[:, :, 0]

    def keys(start: int, stop: int) -> np.ndarray:
        found = np.bitwise_and(words[start:stop], _RGB_WORD, dtype=np.intp).reshape(-1)
        if _RGB_SHIFT:
            found >>= _RGB_SHIFT
        return found

    return _index(keys, rgba.shape[:2], 3, limit, little=not _RGB_SHIFT)


def _keys(flat: np.ndarray) -> np.ndarray:
    """Each (n, 1) or (n, 3) uint8 row packed into one integer key, R in the high byte."""
    if flat.shape[1] == 1:
        return flat[:, 0].astype(np.intp)
    keys = flat[:, 0].astype(np.intp) << 16
    keys |= flat[:, 1].astype(np.intp) << 8
    keys |= flat[:, 2]
    return keys


def _blocks(start: int, stop: int, width: int) -> list[tuple[int, int]]:
    """Rows start..stop in blocks of about _CHUNK_PIXELS pixels."""
    step = max(1, _CHUNK_PIXELS // width)
    return [(a, min(stop, a + step)) for a in range(start, stop, step)]


def _index(
    keys: Callable[[int, int], np.ndarray], shape: tuple[int, int], channels: int, limit: int, *,
    little: bool = False,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Indices and palette from one key a pixel: keys(start, stop) are those of rows start..stop, flat
    (24-bit RGB keys with R high, or R low when `little`)."""
    height, width = shape
    small = height * width <= _SORT_PIXELS
    if small:
        colors, inverse = np.unique(keys(0, height), return_inverse=True)
    else:
        # Each piece marks its own table: pieces marking one table fight over its few cache lines.
        found: list[np.ndarray] = []

        def mark(start: int, stop: int) -> None:
            present = np.zeros(1 << (8 * channels), dtype=np.bool_)
            for a, b in _blocks(start, stop, width):
                present[keys(a, b)] = True
            found.append(np.flatnonzero(present))

        side_by_side(height, mark)
        colors = found[0] if len(found) == 1 else np.unique(np.concatenate(found))
    if len(colors) > limit:
        return None
    shifts = [8 * (channels - 1 - k) for k in range(channels)]
    if little:
        shifts.reverse()
    palette = np.stack([(colors >> shift) & 0xFF for shift in shifts], axis=1)
    if channels == 3:
        # Palette in order of lightness: neighbouring pixels of similar colour get near
        # indices, which the row filters turn into small numbers (a colour-mapped field:
        # 17% smaller than in key order, since colormaps run monotonically in lightness).
        # Ties are broken by the colour, so RGB and RGBA input give the same palette.
        order = np.lexsort((palette @ _RGB_ORDER, palette @ _LIGHTNESS))
        colors, palette = colors[order], palette[order]
    else:
        order = np.arange(len(colors))
    if small:
        rank = np.empty(len(order), dtype=np.uint8)
        rank[order] = np.arange(len(order), dtype=np.uint8)
        indices = rank[inverse.reshape(-1)].reshape(shape)
    else:
        table = np.zeros(1 << (8 * channels), dtype=np.uint8)
        table[colors] = np.arange(len(colors), dtype=np.uint8)
        indices = np.empty(shape, dtype=np.uint8)

        def look_up(start: int, stop: int) -> None:
            for a, b in _blocks(start, stop, width):
                np.take(table, keys(a, b), out=indices[a:b].reshape(-1))

        side_by_side(height, look_up)
    return indices, palette.astype(np.uint8)
