"""Content streams: one small method per PDF operator, appending bytes to a buffer.

This layer writes operators exactly as asked; deciding *which* operators are
needed (the state diff) is the job of the graphics state engine above it.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..errors import DocumentError
from ..pdf.numbers import format_number, format_rows
from ..pdf.objects import Name, serialize

#: Decimals kept for operands in content streams by default.
CONTENT_DECIMALS = 4
#: Decimals of path coordinates in page units (points): a 0.01 pt grid, a
#: hundredth of the thinnest line a printer makes and invisible at any viewer
#: zoom; drawing in a user space scaled up by the CTM adds decimals to match
#: (see Renderer.coordinate_decimals).
COORDINATE_DECIMALS = 2
#: Decimals of colour components written in bulk: steps of 1/1000, finer than 8-bit colour.
COLOR_DECIMALS = 3


#: Up to this many rows, `rows_text` formats in Python: format_rows's array set-up costs
#: about 100 µs whatever the size, a Python row a few µs (one marker, one small path).
SMALL_ROWS = 16


_MAX_SCALED = 2**52
_LARGE = 2.0**52


def _num(value: float) -> bytes:
    return format_number(value, CONTENT_DECIMALS)


def small_numbers(values: Any, decimals: int) -> list[bytes]:
    """A few numbers, each written by the number policy (format_rows's bytes, without its array set-up)."""
    unit = 10**decimals
    texts = []
    for value in np.asarray(values, dtype=np.float64).ravel().tolist():
        # Scale, then round half to even: format_rows's arithmetic.
        scaled = round(value * unit) if -_LARGE < value < _LARGE else None
        if scaled is None or abs(scaled) > _MAX_SCALED:
            texts.append(format_number(value, decimals))  # huge, NaN or infinite: the general writer decides
        elif scaled == 0:
            texts.append(b"0")
        else:
            whole, frac = divmod(abs(scaled), unit)
            text = b"%d" % whole if whole else b""
            if frac:
                text += (b".%0*d" % (decimals, frac)).rstrip(b"0")
            texts.append(b"-" + text if scaled < 0 else text)
    return texts


def rows_text(parts: list, count: int, decimals: int) -> bytes:
    """format_rows (same parts, same bytes), done in Python when there are only a few rows."""
    if count > SMALL_ROWS:
        return format_rows(parts, count, decimals)
    columns = []
    for part in parts:
        mask, places = None, decimals
        if isinstance(part, tuple):
            part, mask, places = part if len(part) == 3 else (*part, decimals)
        if isinstance(part, (bytes, bytearray)):
            texts = [bytes(part)] * count
        else:
            texts = small_numbers(np.asarray(part, dtype=np.float64)[:count], places)
        if mask is not None:
            texts = [t if m else b"" for t, m in zip(texts, np.asarray(mask, dtype=bool).tolist())]
        columns.append(texts)
    return b"".join(b"".join(row) for row in zip(*columns))


class _Sealed(list):
    """The parts of a content stream that has gone to the file: empty, and refusing more."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def append(self, item: Any) -> None:
        raise DocumentError(self.message)


class ContentStream:
    """A growing content stream. `data` gives its bytes; `raw` appends pre-formatted ones."""

    __slots__ = ("_parts",)

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    @property
    def data(self) -> bytes:
        """The operators written so far, as bytes."""
        if len(self._parts) > 1:
            self._parts = [b"".join(self._parts)]
        return self._parts[0] if self._parts else b""

    def __len__(self) -> int:
        return sum(map(len, self._parts))

    def clear(self) -> None:
        """Drop everything written (after the stream has gone to the file)."""
        self._parts = []

    def seal(self, message: str) -> None:
        """Drop everything written and refuse more: any later drawing raises DocumentError(message)."""
        self._parts = _Sealed(message)

    def raw(self, data: bytes) -> None:
        """Append bytes that already are content-stream syntax (ending in a newline)."""
        self._parts.append(data)

    def op(self, name: bytes, *operands: Any) -> None:
        """Append one operator with arbitrary operands (numbers formatted by the content policy)."""
        parts = [
            _num(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else serialize(v)
            for v in operands
        ]
        parts.append(name)
        self._parts.append(b" ".join(parts) + b"\n")

    def _nums(self, name: bytes, *values: float) -> None:
        self._parts.append(b" ".join([_num(v) for v in values] + [name]) + b"\n")

    # Graphics state -------------------------------------------------------
    def save(self) -> None:
        """q: push the graphics state."""
        self._parts.append(b"q\n")

    def restore(self) -> None:
        """Q: pop the graphics state."""
        self._parts.append(b"Q\n")

    def transform(self, a: float, b: float, c: float, d: float, e: float, f: float) -> None:
        """cm: concatenate a matrix to the current transformation matrix."""
        self._nums(b"cm", a, b, c, d, e, f)

    def set_line_width(self, width: float) -> None:
        """w: line width in user units."""
        self._nums(b"w", width)

    def set_line_cap(self, cap: int) -> None:
        """J: line cap style (0 butt, 1 round, 2 projecting square)."""
        self._nums(b"J", cap)

    def set_line_join(self, join: int) -> None:
        """j: line join style (0 miter, 1 round, 2 bevel)."""
        self._nums(b"j", join)

    def set_miter_limit(self, limit: float) -> None:
        """M: miter limit."""
        self._nums(b"M", limit)

    def set_dash(self, pattern: Sequence[float], phase: float = 0) -> None:
        """d: dash array and phase."""
        self._parts.append(b"[" + b" ".join(_num(v) for v in pattern) + b"] " + _num(phase) + b" d\n")

    def set_state(self, name: str) -> None:
        """gs: apply a named ExtGState resource."""
        self._parts.append(serialize(Name(name)) + b" gs\n")

    # Colour ---------------------------------------------------------------
    def set_fill_gray(self, gray: float) -> None:
        """g: fill colour in DeviceGray."""
        self._nums(b"g", gray)

    def set_stroke_gray(self, gray: float) -> None:
        """G: stroke colour in DeviceGray."""
        self._nums(b"G", gray)

    def set_fill_rgb(self, r: float, g: float, b: float) -> None:
        """rg: fill colour in DeviceRGB."""
        self._nums(b"rg", r, g, b)

    def set_stroke_rgb(self, r: float, g: float, b: float) -> None:
        """RG: stroke colour in DeviceRGB."""
        self._nums(b"RG", r, g, b)

    def set_fill_cmyk(self, c: float, m: float, y: float, k: float) -> None:
        """k: fill colour in DeviceCMYK."""
        self._nums(b"k", c, m, y, k)

    def set_stroke_cmyk(self, c: float, m: float, y: float, k: float) -> None:
        """K: stroke colour in DeviceCMYK."""
        self._nums(b"K", c, m, y, k)

    # Path construction and painting ---------------------------------------
    def move_to(self, x: float, y: float) -> None:
        """m: begin a subpath."""
        self._nums(b"m", x, y)

    def line_to(self, x: float, y: float) -> None:
        """l: straight segment."""
        self._nums(b"l", x, y)

    def curve_to(self, x1: float, y1: float, x2: float, y2: float, x3: float, y3: float) -> None:
        """c: cubic Bezier segment."""
        self._nums(b"c", x1, y1, x2, y2, x3, y3)

    def close_path(self) -> None:
        """h: close the current subpath."""
        self._parts.append(b"h\n")

    def rectangle(self, x: float, y: float, width: float, height: float) -> None:
        """re: a closed rectangle subpath."""
        self._nums(b"re", x, y, width, height)

    def paint(self, operator: bytes) -> None:
        """A path-painting or clipping operator: S s f f* B B* b b* n, W n, W* n."""
        self._parts.append(operator + b"\n")

    # Text and external objects ---------------------------------------------
    def begin_text(self) -> None:
        """BT: begin a text object."""
        self._parts.append(b"BT\n")

    def end_text(self) -> None:
        """ET: end a text object."""
        self._parts.append(b"ET\n")

    def set_font(self, name: str, size: float) -> None:
        """Tf: select a font resource and size."""
        self._parts.append(serialize(Name(name)) + b" " + _num(size) + b" Tf\n")

    def set_text_matrix(self, a: float, b: float, c: float, d: float, e: float, f: float) -> None:
        """Tm: set the text matrix and text line matrix."""
        self._nums(b"Tm", a, b, c, d, e, f)

    def move_text(self, x: float, y: float) -> None:
        """Td: move to the start of the next line, offset by (x, y)."""
        self._nums(b"Td", x, y)

    def show_text(self, encoded: bytes) -> None:
        """Tj: show a string of already-encoded character codes."""
        self._parts.append(serialize(encoded) + b" Tj\n")

    def draw_xobject(self, name: str) -> None:
        """Do: paint a named XObject resource."""
        self._parts.append(serialize(Name(name)) + b" Do\n")

    def paint_shading(self, name: str) -> None:
        """sh: paint a named shading resource over the clip region."""
        self._parts.append(serialize(Name(name)) + b" sh\n")
