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
        return b"%d" % int(value)  # no fraction survives at this magnitude
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
    values = np.asarray(values, dtype=np.float64).ravel()
    check_finite(values)
    n = values.size
    scale = 10.0**decimals
    with np.errstate(over="ignore"):
        scaled = np.rint(values * scale)
    if n and not float(np.abs(scaled).max()) <= _MAX_SCALED:
        return _matrix_from_python(values, decimals)
    ints = scaled.astype(np.int64)
    negative = ints < 0
    mag = np.abs(ints)
    whole = mag // int(scale)
    frac = mag - whole * int(scale)
    top = int(whole.max()) if n else 0
    n_int = max(1, len(str(top)))
    width = 1 + n_int + (1 + decimals if decimals else 0)
    chars = np.empty((n, width), dtype=np.uint8)
    keep = np.zeros((n, width), dtype=bool)
    chars[:, 0] = ord("-")
    keep[:, 0] = negative
    # Integer digits: keep from the first non-zero one; drop a lone 0 before a fraction.
    for k in range(n_int):
        power = 10 ** (n_int - 1 - k)
        digit = (whole // power) % 10
        chars[:, 1 + k] = _DIGITS[digit]
        keep[:, 1 + k] = whole >= power
    if decimals:
        point = 1 + n_int
        chars[:, point] = ord(".")
        has_frac = frac > 0
        keep[:, point] = has_frac
        rest = frac.copy()
        # Digits from the last backwards: keep a digit once a non-zero one was seen.
        seen = np.zeros(n, dtype=bool)
        for k in range(decimals - 1, -1, -1):
            digit = rest % 10
            rest //= 10
            seen |= digit > 0
            chars[:, point + 1 + k] = _DIGITS[digit]
            keep[:, point + 1 + k] = seen
        # Zero itself: write "0".
        zero = (whole == 0) & ~has_frac
        keep[:, n_int] |= zero
    else:
        keep[:, n_int] |= whole == 0
    return chars, keep


def _matrix_from_python(values: np.ndarray, decimals: int) -> tuple[np.ndarray, np.ndarray]:
    """Fallback of format_matrix for huge magnitudes, one value at a time."""
    texts = [format_number(float(v), decimals) for v in values]
    width = max(len(t) for t in texts)
    chars = np.full((len(texts), width), ord(" "), dtype=np.uint8)
    keep = np.zeros((len(texts), width), dtype=bool)
    for i, text in enumerate(texts):
        chars[i, width - len(text):] = np.frombuffer(text, dtype=np.uint8)
        keep[i, width - len(text):] = True
    return chars, keep


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
    array of `count` numbers (formatted by the policy), or a (part, mask) pair
    whose text appears only on the rows where the boolean mask is true. Blocks
    are placed side by side and flattened with one boolean index.
    """
    if count == 0:
        return b""
    blocks: list[np.ndarray] = []
    keeps: list[np.ndarray] = []
    for part in parts:
        mask = None
        if isinstance(part, tuple):
            part, mask = part
        if isinstance(part, (bytes, bytearray)):
            chars = np.broadcast_to(np.frombuffer(part, dtype=np.uint8), (count, len(part)))
            keep = np.ones((count, len(part)), dtype=bool)
        else:
            chars, keep = format_matrix(part, decimals)
        if mask is not None:
            keep = keep & np.asarray(mask, dtype=bool)[:, None]
        blocks.append(chars)
        keeps.append(keep)
    return np.hstack(blocks)[np.hstack(keeps)].tobytes()
