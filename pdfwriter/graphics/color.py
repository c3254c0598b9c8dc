"""Colours: what users write (CSS names, hex, tuples, matplotlib habits) parsed into Color values.

`parse_color` turns one value into a :class:`Color` (or None for "no colour"),
`parse_colors` turns per-item colours into an (N, 4) RGBA array, and
`fill_operator` / `stroke_operator` write a colour as its PDF operator
(``1 0 0 rg``, ``.5 G``, ``0 0 0 1 k``).
"""

from __future__ import annotations

import difflib
import math
import numbers
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import StyleError
from ..pdf.numbers import format_number

#: Decimals kept for colour components in content streams.
COLOR_DECIMALS = 4

_HINT = "use a CSS name, '#rrggbb', or an (r, g, b) tuple of 0-1 floats"

# The 148 CSS named colours (CSS Color Module Level 4, section 6.1).
CSS_COLORS: dict[str, str] = {
    "aliceblue": "f0f8ff", "antiquewhite": "faebd7", "aqua": "00ffff", "aquamarine": "7fffd4",
    "azure": "f0ffff", "beige": "f5f5dc", "bisque": "ffe4c4", "black": "000000",
    "blanchedalmond": "ffebcd", "blue": "0000ff", "blueviolet": "8a2be2", "brown": "a52a2a",
    "burlywood": "deb887", "cadetblue": "5f9ea0", "chartreuse": "7fff00", "chocolate": "d2691e",
    "coral": "ff7f50", "cornflowerblue": "6495ed", "cornsilk": "fff8dc", "crimson": "dc143c",
    "cyan": "00ffff", "darkblue": "00008b", "darkcyan": "008b8b", "darkgoldenrod": "b8860b",
    "darkgray": "a9a9a9", "darkgreen": "006400", "darkgrey": "a9a9a9", "darkkhaki": "bdb76b",
    "darkmagenta": "8b008b", "darkolivegreen": "556b2f", "darkorange": "ff8c00",
    "darkorchid": "9932cc", "darkred": "8b0000", "darksalmon": "e9967a",
    "darkseagreen": "8fbc8f", "darkslateblue": "483d8b", "darkslategray": "2f4f4f",
    "darkslategrey": "2f4f4f", "darkturquoise": "00ced1", "darkviolet": "9400d3",
    "deeppink": "ff1493", "deepskyblue": "00bfff", "dimgray": "696969", "dimgrey": "696969",
    "dodgerblue": "1e90ff", "firebrick": "b22222", "floralwhite": "fffaf0",
    "forestgreen": "228b22", "fuchsia": "ff00ff", "gainsboro": "dcdcdc", "ghostwhite": "f8f8ff",
    "gold": "ffd700", "goldenrod": "daa520", "gray": "808080", "green": "008000",
    "greenyellow": "adff2f", "grey": "808080", "honeydew": "f0fff0", "hotpink": "ff69b4",
    "indianred": "cd5c5c", "indigo": "4b0082", "ivory": "fffff0", "khaki": "f0e68c",
    "lavender": "e6e6fa", "lavenderblush": "fff0f5", "lawngreen": "7cfc00",
    "lemonchiffon": "fffacd", "lightblue": "add8e6", "lightcoral": "f08080",
    "lightcyan": "e0ffff", "lightgoldenrodyellow": "fafad2", "lightgray": "d3d3d3",
    "lightgreen": "90ee90", "lightgrey": "d3d3d3", "lightpink": "ffb6c1",
    "lightsalmon": "ffa07a", "lightseagreen": "20b2aa", "lightskyblue": "87cefa",
    "lightslategray": "778899", "lightslategrey": "778899", "lightsteelblue": "b0c4de",
    "lightyellow": "ffffe0", "lime": "00ff00", "limegreen": "32cd32", "linen": "faf0e6",
    "magenta": "ff00ff", "maroon": "800000", "mediumaquamarine": "66cdaa",
    "mediumblue": "0000cd", "mediumorchid": "ba55d3", "mediumpurple": "9370db",
    "mediumseagreen": "3cb371", "mediumslateblue": "7b68ee", "mediumspringgreen": "00fa9a",
    "mediumturquoise": "48d1cc", "mediumvioletred": "c71585", "midnightblue": "191970",
    "mintcream": "f5fffa", "mistyrose": "ffe4e1", "moccasin": "ffe4b5",
    "navajowhite": "ffdead", "navy": "000080", "oldlace": "fdf5e6", "olive": "808000",
    "olivedrab": "6b8e23", "orange": "ffa500", "orangered": "ff4500", "orchid": "da70d6",
    "palegoldenrod": "eee8aa", "palegreen": "98fb98", "paleturquoise": "afeeee",
    "palevioletred": "db7093", "papayawhip": "ffefd5", "peachpuff": "ffdab9", "peru": "cd853f",
    "pink": "ffc0cb", "plum": "dda0dd", "powderblue": "b0e0e6", "purple": "800080",
    "rebeccapurple": "663399", "red": "ff0000", "rosybrown": "bc8f8f", "royalblue": "4169e1",
    "saddlebrown": "8b4513", "salmon": "fa8072", "sandybrown": "f4a460", "seagreen": "2e8b57",
    "seashell": "fff5ee", "sienna": "a0522d", "silver": "c0c0c0", "skyblue": "87ceeb",
    "slateblue": "6a5acd", "slategray": "708090", "slategrey": "708090", "snow": "fffafa",
    "springgreen": "00ff7f", "steelblue": "4682b4", "tan": "d2b48c", "teal": "008080",
    "thistle": "d8bfd8", "tomato": "ff6347", "turquoise": "40e0d0", "violet": "ee82ee",
    "wheat": "f5deb3", "white": "ffffff", "whitesmoke": "f5f5f5", "yellow": "ffff00",
    "yellowgreen": "9acd32",
}  # fmt: skip

# matplotlib's Tableau palette: its default colour cycle, C0 to C9 in this order.
TABLEAU_COLORS: dict[str, str] = {
    "tab:blue": "1f77b4", "tab:orange": "ff7f0e", "tab:green": "2ca02c", "tab:red": "d62728",
    "tab:purple": "9467bd", "tab:brown": "8c564b", "tab:pink": "e377c2", "tab:gray": "7f7f7f",
    "tab:olive": "bcbd22", "tab:cyan": "17becf",
}  # fmt: skip

# matplotlib's single-letter colours.
_BASE_COLORS: dict[str, tuple[float, float, float]] = {
    "b": (0.0, 0.0, 1.0), "g": (0.0, 0.5, 0.0), "r": (1.0, 0.0, 0.0), "c": (0.0, 0.75, 0.75),
    "m": (0.75, 0.0, 0.75), "y": (0.75, 0.75, 0.0), "k": (0.0, 0.0, 0.0), "w": (1.0, 1.0, 1.0),
}  # fmt: skip


def _hex_rgb(digits: str) -> tuple[float, float, float]:
    """(r, g, b) in 0-1 from six hex digits."""
    return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


_NAMED: dict[str, tuple[float, float, float]] = {k: _hex_rgb(v) for k, v in CSS_COLORS.items()}
_NAMED.update({k: _hex_rgb(v) for k, v in TABLEAU_COLORS.items()})
_NAMED["tab:grey"] = _NAMED["tab:gray"]
_NAMED.update({f"c{i}": _hex_rgb(v) for i, v in enumerate(TABLEAU_COLORS.values())})
_NAMED.update(_BASE_COLORS)
_HEX = re.compile(r"#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})")


@dataclass(frozen=True, slots=True)
class Color:
    """A colour in one device space: `space` "gray", "rgb" or "cmyk", `components` and `alpha` in 0-1."""

    space: str
    components: tuple[float, ...]
    alpha: float = 1.0

    def rgb(self) -> tuple[float, float, float]:
        """The colour as (r, g, b): gray repeated, CMYK by the naive (1 - c)(1 - k) conversion."""
        if self.space == "rgb":
            return self.components  # type: ignore[return-value]
        if self.space == "gray":
            return (self.components[0],) * 3  # type: ignore[return-value]
        c, m, y, k = self.components
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))


def _error(name: str, value: Any, reason: str) -> StyleError:
    """The StyleError for a value that is not a colour."""
    return StyleError(f"{name} {value!r:.80} is not a colour ({reason}): {_HINT}")


def _unit(number: Any, name: str, value: Any) -> float:
    """A number in 0..1 as float, else StyleError naming the whole value."""
    if isinstance(number, (bool, np.bool_)) or not isinstance(number, numbers.Real):
        raise _error(name, value, f"{number!r:.40} is not a number")
    try:
        result = float(number)
    except OverflowError:
        result = math.inf
    if not 0.0 <= result <= 1.0:  # NaN fails too
        reason = f"{number!r:.40} is outside 0-1"
        if 1.0 < result <= 255.0:
            reason += "; divide 0-255 values by 255"
        raise _error(name, value, reason)
    return result


def cmyk(c: float, m: float, y: float, k: float, alpha: float = 1.0) -> Color:
    """A DeviceCMYK colour from four 0-1 components (and an optional alpha)."""
    value = (c, m, y, k, alpha)
    return Color("cmyk", tuple(_unit(v, "cmyk", value) for v in (c, m, y, k)), _unit(alpha, "cmyk", value))


def parse_color(value: Any, *, name: str = "colour") -> Color | None:
    """Read one colour; None (or "none") means no colour. Bad values raise StyleError naming `name`."""
    if value is None or isinstance(value, Color):
        return value
    if isinstance(value, str):
        return _parse_string(value, name)
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        return Color("gray", (_unit(value, name, value),))
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise _error(name, value, f"an array of shape {value.shape}, not (3,) or (4,)")
        value = tuple(value.tolist())
    if not isinstance(value, (tuple, list)):
        raise _error(name, value, f"a {type(value).__name__}")
    items = tuple(value)
    if items and isinstance(items[0], str):
        if items[0].lower() == "cmyk" and len(items) in (5, 6):
            return cmyk(*items[1:])
        if len(items) == 2:
            inner = _parse_string(items[0], name)
            alpha = _unit(items[1], name, value)
            return None if inner is None else Color(inner.space, inner.components, alpha)
        raise _error(name, value, "a sequence starting with a string must be ('cmyk', c, m, y, k) or (colour, alpha)")
    if len(items) not in (3, 4):
        raise _error(name, value, f"{len(items)} components, not 3 (RGB) or 4 (RGBA)")
    floats = tuple(_unit(v, name, value) for v in items)
    return Color("rgb", floats[:3], floats[3] if len(floats) == 4 else 1.0)


def _parse_string(text: str, name: str) -> Color | None:
    """A colour written as a string: a name, hex, or a gray level such as "0.5"."""
    key = text.strip().lower()
    rgb = _NAMED.get(key)
    if rgb is not None:
        return Color("rgb", rgb)
    if key == "none":
        return None
    if key == "transparent":
        return Color("rgb", (0.0, 0.0, 0.0), 0.0)
    if key.startswith("#"):
        match = _HEX.fullmatch(key)
        if match is None:
            raise _error(name, text, "hex colours are #rgb, #rgba, #rrggbb or #rrggbbaa")
        digits = match.group(1)
        if len(digits) <= 4:
            digits = "".join(d * 2 for d in digits)
        channels = [int(digits[i : i + 2], 16) / 255 for i in range(0, len(digits), 2)]
        return Color("rgb", tuple(channels[:3]), channels[3] if len(channels) == 4 else 1.0)
    try:
        level = float(key)
    except ValueError:
        close = difflib.get_close_matches(key, _NAMED, n=1)
        hint = f"did you mean {close[0]!r}?" if close else "unknown name"
        raise _error(name, text, hint) from None
    if not 0.0 <= level <= 1.0:
        raise _error(name, text, "a gray level string must be between 0 and 1")
    return Color("gray", (level,))


def _rgba(color: Color | None) -> tuple[float, float, float, float]:
    """One RGBA row; no colour is transparent black."""
    if color is None:
        return (0.0, 0.0, 0.0, 0.0)
    return (*color.rgb(), color.alpha)


def is_single_color(values: Any) -> bool:
    """True when a sequence is one colour, not one per item: (r, g, b[, a]), ('cmyk', ...) or (colour, alpha)."""
    if isinstance(values, np.ndarray):
        return values.ndim == 1 and len(values) in (3, 4) and values.dtype.kind in "fiu"
    if not isinstance(values, (tuple, list)) or not values:
        return False
    if isinstance(values[0], str):
        return values[0].lower() == "cmyk" or (
            len(values) == 2 and isinstance(values[1], numbers.Real) and not isinstance(values[1], bool)
        )
    return len(values) in (3, 4) and all(
        isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_)) for v in values
    )


def parse_colors(values: Any, n: int, *, name: str = "colors") -> np.ndarray:
    """Per-item colours as an (n, 4) float RGBA array.

    `values` is an (N, 3) or (N, 4) array of 0-1 floats, a sequence of any
    colours parse_color reads (None items become transparent rows), or one
    colour for every item (a 1-D sequence of 3 or 4 numbers is one RGB(A)
    colour, as in matplotlib); N must be n or 1 (repeated). Gray and CMYK
    colours are converted to RGB (CMYK naively), as this array form is RGB only.
    """
    if values is None or isinstance(values, (str, Color, numbers.Real)) or is_single_color(values):
        return np.tile(np.array(_rgba(parse_color(values, name=name)), dtype=np.float64), (n, 1))
    rows = _numeric_rows(values, name)
    if rows is None:
        try:
            items = list(values)
        except TypeError:
            raise _error(name, values, f"a {type(values).__name__}, not a sequence of colours") from None
        rows = np.array([_rgba(parse_color(v, name=f"{name}[{i}]")) for i, v in enumerate(items)])
        rows = rows.reshape(-1, 4)
    if len(rows) == n:
        return rows
    if len(rows) == 1:
        return np.tile(rows, (n, 1))
    raise StyleError(f"{name} has {len(rows)} colours for {n} items: give one per item or a single colour")


def _numeric_rows(values: Any, name: str) -> np.ndarray | None:
    """An all-numeric array-like of grays (N,) or RGB(A) (N, 3|4) as (N, 4) RGBA, checked; else None."""
    if isinstance(values, np.ndarray):
        if values.dtype.kind not in "fiu":
            return None
        array = values.astype(np.float64)
    else:
        if not isinstance(values, (list, tuple)) or any(isinstance(v, (str, Color)) or v is None for v in values):
            return None
        try:
            array = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            return None
    if array.ndim == 1:
        array = np.repeat(array[:, None], 3, axis=1)
    if array.ndim != 2 or array.shape[1] not in (3, 4):
        raise StyleError(f"{name} must have shape (N, 3) or (N, 4), not {array.shape}")
    bad = ~((array >= 0) & (array <= 1)).all(axis=1)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise _error(f"{name}[{first}]", tuple(array[first].tolist()), "components must be 0-1 and not NaN")
    if array.shape[1] == 3:
        array = np.hstack([array, np.ones((len(array), 1))])
    return array


_FILL_OPERATORS = {"gray": b"g", "rgb": b"rg", "cmyk": b"k"}
_STROKE_OPERATORS = {"gray": b"G", "rgb": b"RG", "cmyk": b"K"}


def _operator(color: Color, table: dict[str, bytes]) -> bytes:
    """Components by the number policy, then the operator of the colour's space."""
    parts = [format_number(v, COLOR_DECIMALS) for v in color.components]
    parts.append(table[color.space])
    return b" ".join(parts)


def fill_operator(color: Color) -> bytes:
    """The operator setting `color` as the fill colour, e.g. b"1 0 0 rg" (no newline; alpha not included)."""
    return _operator(color, _FILL_OPERATORS)


def stroke_operator(color: Color) -> bytes:
    """The operator setting `color` as the stroke colour, e.g. b".5 G" (no newline; alpha not included)."""
    return _operator(color, _STROKE_OPERATORS)
