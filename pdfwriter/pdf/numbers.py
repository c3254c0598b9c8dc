"""The one number policy: fixed point, shortest form, never an exponent.

A number is rounded to a chosen count of decimals, then written with trailing
zeros and a trailing point removed, the leading zero of a pure fraction
dropped (``.5``, ``-.25``: valid PDF and a byte shorter) and ``-0`` written as
``0``. NaN and infinity raise :class:`~pdfwriter.errors.NumberError`.

`format_number` handles one scalar; `format_matrix` handles whole numpy arrays
at once and returns a character matrix with a keep-mask, so callers (paths,
widths arrays, shadings) can splice operators between the numbers and flatten
everything into a content stream without a Python loop per value.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import NumberError

#: Decimals kept for numbers in object dictionaries and operands by default.
DEFAULT_DECIMALS = 6

_DIGITS = np.frombuffer(b"0123456789", dtype=np.uint8)
# Scaled values must stay exactly representable in int64 and in float64's
# 53-bit mantissa; beyond it the vectorised path falls back to Python.
_MAX_SCALED = 2.0**52


def format_number(value: float | int, decimals: int = DEFAULT_DECIMALS) -> bytes:
    """Write one number by the policy (ints exactly, floats to `decimals` places)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return b"%d" % value
    value = float(value)
    if not math.isfinite(value):
        raise NumberError(
            f"cannot write {value!r} to a PDF: numbers must be finite "
            "(split paths at NaN/inf points, or replace them before drawing)"
        )
    if abs(value) >= _MAX_SCALED:
        # Written whole, 2**52 and more take 16+ digits that readers parse as 64-bit integers or
        # not at all (from about 2**63 pikepdf and qpdf read null); no drawing needs them.
        raise NumberError(
            f"cannot write {value!r} to a PDF: numbers must stay within +-2**52 (about 4.5e15); "
            "a coordinate or size this large is a mistake in units or in a transform"
        )
    # The same arithmetic as format_matrix: scale, then round half to even.
    scaled = round(value * 10**decimals)
    if scaled == 0:
        return b"0"
    whole, frac = divmod(abs(scaled), 10**decimals)
    text = b"%d" % whole if whole else b""
    if frac:
        text += b"." + (b"%0*d" % (decimals, frac)).rstrip(b"0")
    return b"-" + text if scaled < 0 else text


def check_finite(values: np.ndarray) -> None:
    """Raise NumberError if any value is NaN or infinite."""
    if not np.isfinite(values).all():
        raise NumberError(
            "cannot write NaN or infinity to a PDF: numbers must be finite "
            "(split paths at NaN/inf points, or replace them before drawing)"
        )


def format_matrix(values: np.ndarray, decimals: int) -> tuple[np.ndarray, np.ndarray]:
    """Format a 1-D float array as a (N, W) uint8 character matrix plus a keep mask.

    Row i, with the masked-out columns removed, is the text of values[i] by the
    policy. Rows are right-aligned on the decimal point, so callers can
    concatenate several matrices (and separator columns) side by side and take
    ``chars[keep]`` to get the bytes of a whole content stream at once.
    """
    layout = _Layout(values, decimals)
    chars = np.empty((layout.count, layout.width), dtype=np.uint8)
    keep = np.empty((layout.count, layout.width), dtype=bool)
    layout.fill(chars, keep)
    return chars, keep


class _Layout:
    """One array of numbers split into sign, whole and fraction, ready to be written as characters."""

    def __init__(self, values: np.ndarray, decimals: int) -> None:
        values = np.asarray(values, dtype=np.float64).ravel()
        check_finite(values)
        self.values = values
        self.decimals = decimals
        self.count = n = values.size
        scale = 10.0**decimals
        with np.errstate(over="ignore"):
            magnitude = np.abs(np.rint(values * scale))
        self.fallback = bool(n and not float(magnitude.max()) <= _MAX_SCALED)
        if self.fallback:
            self.texts = [format_number(float(v), decimals) for v in values]
            self.width = max(len(t) for t in self.texts)
            return
        self.magnitude = magnitude
        # Whole and fractional parts in float arithmetic, exact below 2**52.
        whole = np.floor(magnitude / scale)
        self.frac = (magnitude - whole * scale).astype(np.int64)
        top = int(whole.max()) if n else 0
        self.whole = whole.astype(np.int64)
        self.n_int = max(1, len(str(top)))
        self.width = 1 + self.n_int + (1 + decimals if decimals else 0)

    def fill(self, chars: np.ndarray, keep: np.ndarray) -> None:
        """Write the characters and keep mask into (N, width) views."""
        if self.fallback:
            chars[:] = ord(" ")
            keep[:] = False
            for i, text in enumerate(self.texts):
                chars[i, self.width - len(text) :] = np.frombuffer(text, dtype=np.uint8)
                keep[i, self.width - len(text) :] = True
            return
        whole, frac, n_int, decimals = self.whole, self.frac, self.n_int, self.decimals
        chars[:, 0] = ord("-")
        # The sign of what is written: -0 (and whatever rounds to it) is written 0.
        np.logical_and(self.values < 0, self.magnitude > 0, out=keep[:, 0])
        # Integer digits from a table; keep from the first non-zero one.
        _digits_into(chars[:, 1 : 1 + n_int], whole, n_int)
        for k in range(n_int):
            np.greater_equal(whole, 10 ** (n_int - 1 - k), out=keep[:, 1 + k])
        zero_whole = whole == 0
        if decimals:
            point = 1 + n_int
            chars[:, point] = ord(".")
            has_frac = frac > 0
            keep[:, point] = has_frac
            _digits_into(chars[:, point + 1 :], frac, decimals)
            # A fraction digit stays while a non-zero digit follows it (or is it).
            if decimals <= _TABLE_DIGITS:
                keep[:, point + 1 :] = np.take(_trailing_table(decimals), frac, axis=0)
            else:
                for k in range(decimals):
                    keep[:, point + 1 + k] = frac % 10 ** (decimals - k) != 0
            # Zero itself, and a whole part of 0 before no fraction: write "0".
            keep[:, n_int] |= zero_whole & ~has_frac
        else:
            keep[:, n_int] |= zero_whole


# Digits are looked up in tables of this many places at a time.
_TABLE_DIGITS = 3
_DIGIT_TABLE = np.array(
    [[ord(c) for c in f"{i:0{_TABLE_DIGITS}d}"] for i in range(10**_TABLE_DIGITS)], dtype=np.uint8
)
_TRAILING: dict[int, np.ndarray] = {}


def _digits_into(out: np.ndarray, numbers: np.ndarray, places: int) -> None:
    """Write the last `places` decimal digits of non-negative int64 `numbers` into out (N, places)."""
    end = places
    rest = numbers
    while end > 0:
        take = min(_TABLE_DIGITS, end)
        # The leading group needs no remainder: the numbers have at most `places` digits.
        group = rest if end == take else rest % 10**take
        out[:, end - take : end] = np.take(_DIGIT_TABLE[:, _TABLE_DIGITS - take :], group, axis=0)
        end -= take
        if end:
            rest = rest // 10**take


def _trailing_table(decimals: int) -> np.ndarray:
    """(10**decimals, decimals) bool: which fraction digits of each value are not trailing zeros."""
    table = _TRAILING.get(decimals)
    if table is None:
        frac = np.arange(10**decimals)
        table = np.column_stack([frac % 10 ** (decimals - k) != 0 for k in range(decimals)])
        _TRAILING[decimals] = table
    return table


def format_array(values: np.ndarray, decimals: int = DEFAULT_DECIMALS, sep: bytes = b" ") -> bytes:
    """Format every value of an array by the policy, joined by `sep` (one byte)."""
    values = np.asarray(values, dtype=np.float64).ravel()
    if values.size == 0:
        return b""
    chars, keep = format_matrix(values, decimals)
    sep_col = np.full((values.size, 1), sep[0], dtype=np.uint8)
    sep_keep = np.ones((values.size, 1), dtype=bool)
    sep_keep[-1] = False
    chars = np.hstack([chars, sep_col])
    keep = np.hstack([keep, sep_keep])
    return chars[keep].tobytes()


def format_rows(parts: list, count: int, decimals: int) -> bytes:
    """Build `count` rows of content-stream text at once and return them joined.

    Each part is a column block: bytes (the same text on every row), a 1-D
    array of `count` numbers (formatted by the policy to `decimals`), a
    (part, mask) pair whose text appears only on the rows where the boolean
    mask is true (None: on every row), or a (numbers, mask, decimals) triple
    whose numbers keep their own count of decimals. The blocks are written
    side by side into one character matrix, flattened with one boolean index.
    """
    if count == 0:
        return b""
    if count > _ROWS_PER_CHUNK:
        return b"".join(
            _format_chunk(parts, start, min(start + _ROWS_PER_CHUNK, count), decimals)
            for start in range(0, count, _ROWS_PER_CHUNK)
        )
    return _format_chunk(parts, 0, count, decimals)


# Rows formatted at a time: the working matrices stay in the processor's cache.
_ROWS_PER_CHUNK = 1 << 15


def _format_chunk(parts: list, start: int, stop: int, decimals: int) -> bytes:
    """format_rows for rows start:stop of every part."""
    count = stop - start
    blocks = []
    width = 0
    for part in parts:
        mask = None
        places = decimals
        if isinstance(part, tuple):
            part, mask, places = part if len(part) == 3 else (*part, decimals)
        if mask is not None:
            mask = np.asarray(mask, dtype=bool)[start:stop, None]
        if isinstance(part, (bytes, bytearray)):
            block: Any = np.frombuffer(part, dtype=np.uint8)
            size = len(part)
        else:
            block = _Layout(part[start:stop], places)
            size = block.width
        blocks.append((block, mask, width, size))
        width += size
    chars = np.empty((count, width), dtype=np.uint8)
    keep = np.empty((count, width), dtype=bool)
    for block, mask, at, size in blocks:
        if isinstance(block, _Layout):
            block.fill(chars[:, at : at + size], keep[:, at : at + size])
            if mask is not None:
                keep[:, at : at + size] &= mask
        else:
            chars[:, at : at + size] = block
            keep[:, at : at + size] = True if mask is None else mask
    return chars[keep].tobytes()
