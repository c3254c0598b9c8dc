"""Plain text measured from the glyph layout that drawing it needs anyway.

matplotlib's PDF backend measures a string with FreeType's ``set_text``
and draws it from a second layout of the same string (``_layout``): two
passes of shaping and glyph loading for every label. Its measurement is
fully determined by that layout and a few numbers per glyph:

- the width is where the pen ends: the last glyph's x plus its advance,
  FreeType's linear (unhinted) advance rounded to 1/64 point as HarfBuzz
  rounds it, half up;
- the height and descent come from the glyphs' outline boxes (unhinted, in
  1/64 point) placed at their layout positions.

So a string is laid out once, measured from the layout and its per-glyph
numbers (kept per font file, size and glyph), and the layout is kept for
drawing. This holds for left-to-right text without combining marks; other
strings (right-to-left scripts, marks placed over their base, explicit
direction controls) are measured by matplotlib's own code. The first
measurements of each font, and one in _RECHECK after that, are compared
with matplotlib's; one difference turns this path off for the process.
"""

from __future__ import annotations

import logging
import unicodedata
from typing import Any, Callable

_log = logging.getLogger(__name__)

#: Bidirectional classes of characters that reorder or attach to others: such strings are not measured here.
_NOT_PLAIN = frozenset({"R", "AL", "AN", "NSM", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
# Measurements of a font compared with matplotlib's before it is trusted, then one in this many.
_FIRST_CHECKS = 4
_RECHECK = 64

try:
    from matplotlib.ft2font import LoadFlags

    _NO_HINTING: Any = LoadFlags.NO_HINTING
except ImportError:  # matplotlib before 3.10 names the flag LOAD_NO_HINTING
    from matplotlib.ft2font import LOAD_NO_HINTING as _NO_HINTING

_plain_chars: dict[str, bool] = {}
# (font file, face, size, hinting factor) -> glyph index -> (outline bottom, outline top, advance), 1/64 pt.
_glyph_numbers: dict[tuple[Any, ...], dict[int, tuple[int, int, int]]] = {}
_checked: dict[str, int] = {}
_enabled = True


def is_plain(s: str) -> bool:
    """True for non-empty text that lays out left to right with no combining marks or direction controls."""
    if not s:
        return False
    for char in s:
        plain = _plain_chars.get(char)
        if plain is None:
            plain = _plain_chars[char] = (
                unicodedata.combining(char) == 0 and unicodedata.bidirectional(char) not in _NOT_PLAIN
            )
        if not plain:
            return False
    return True


def measure(
    s: str, font: Any, size: float, hinting_factor: Any, layout: Callable[[str], Any],
    reference: Callable[[], tuple[float, float, float]],
) -> tuple[tuple[float, float, float], Any] | None:
    """((width, height, descent) in points, the layout items) of plain text in a FreeType font set at `size`.

    `layout(s)` is matplotlib's glyph layout of `s` in `font`; `reference()`
    measures it matplotlib's way, for the checks. None when the text is not
    plain, the layout is empty, or this path is off.
    """
    if not _enabled or not is_plain(s):
        return None
    items = layout(s)
    if not items:
        return None
    try:
        result = _extents(items, size, hinting_factor)
    except (AttributeError, TypeError, ValueError) as exc:  # a matplotlib whose layout items differ
        _disable(f"its layout items cannot be read ({exc})")
        return None
    if not _agrees(font.fname, result, reference):
        return None
    return result, items


def _extents(items: Any, size: float, hinting_factor: Any) -> tuple[float, float, float]:
    """(width, height, descent) in points of laid-out glyphs (see the module's notes)."""
    bottom, top = 1 << 60, -(1 << 60)
    numbers = None
    fonts: dict[int, dict[int, tuple[int, int, int]]] = {}  # by id of the layout's font objects (kept alive by it)
    for item in items:
        ft = item.ft_object
        glyphs = fonts.get(id(ft))
        if glyphs is None:
            glyphs = fonts[id(ft)] = _glyphs_of(ft, size, hinting_factor)
        gid = item.glyph_index
        numbers = glyphs.get(gid)
        if numbers is None:
            numbers = glyphs[gid] = _numbers(ft, gid)
        y = item.y
        if y:
            y = round(y * 64)
            bottom = min(bottom, numbers[0] + y)
            top = max(top, numbers[1] + y)
        else:
            bottom = min(bottom, numbers[0])
            top = max(top, numbers[1])
    assert numbers is not None
    width = (round(items[-1].x * 512) + 8 * numbers[2]) / 512
    return width, (top - bottom) / 64, -bottom / 64 + 0.0


def _glyphs_of(ft: Any, size: float, hinting_factor: Any) -> dict[int, tuple[int, int, int]]:
    """The numbers known of a font file's glyphs at a size: glyph index -> (bottom, top, advance) in 1/64 pt."""
    key = (ft.fname, getattr(ft, "face_index", 0), size, hinting_factor)
    glyphs = _glyph_numbers.get(key)
    if glyphs is None:
        if len(_glyph_numbers) >= 256:
            _glyph_numbers.clear()
        glyphs = _glyph_numbers[key] = {}
    return glyphs


def _numbers(ft: Any, gid: int) -> tuple[int, int, int]:
    """A glyph's unhinted outline bottom and top and its linear advance rounded half up, in 1/64 point."""
    glyph = ft.load_glyph(gid, _NO_HINTING)
    return glyph.bbox[1], glyph.bbox[3], (glyph.linearHoriAdvance + 512) >> 10


def _agrees(fname: str, result: tuple[float, float, float], reference: Callable[[], tuple[float, float, float]]) -> bool:
    """Compare with matplotlib's measurement when due; a difference turns this path off (and says so once)."""
    count = _checked.get(fname, 0)
    _checked[fname] = count + 1
    if count >= _FIRST_CHECKS and count % _RECHECK:
        return True
    expected = tuple(float(v) for v in reference())
    if expected == result:
        return True
    _disable(f"{result} measured where matplotlib measures {expected} in {fname}")
    return False


def _disable(why: str) -> None:
    """Measure with matplotlib's code from now on."""
    global _enabled
    _enabled = False
    _log.info("plain text is measured by matplotlib from now on: %s", why)
