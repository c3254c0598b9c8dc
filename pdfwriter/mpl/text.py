"""Glyphs placed where matplotlib's layout puts them, shown with pdfwriter's embedded fonts.

matplotlib lays out a string with FreeType (unhinted advances, kerning and,
in recent versions, shaping and font fallback) and hands back each glyph's
font file, glyph index, pair kerning and pen position. The same font file is
loaded with pdfwriter's font loader and the glyphs are shown by glyph id, so
the PDF draws exactly the glyphs matplotlib measured. Positions follow
matplotlib's PDF backend: within a font, each glyph sits at the previous
one's advance plus the kerning; a glyph that changes font sits at its layout
x. Each run of glyphs in one font is one TJ whose adjustments put every
glyph at its position; mathtext glyphs come with their own offsets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..pdf.numbers import format_number
from ..pdf.objects import serialize, serialize_bytes
from ..text.base import Font, Glyph
from ..text.core14 import StandardFont
from ..text.finder import load_font
from ..text.opentype import OpenTypeFont
from ..text.type3 import Type3Font

_DECIMALS = 4
# TJ adjustments smaller than this (thousandths of the font size) are left out: invisible.
_ADJUST_MIN = 0.05


# Numbers written before: TJ adjustments (kerning), font sizes and the 0s and 1s of text matrices repeat.
_NUMBERS: dict[float, bytes] = {}


def _num(value: float) -> bytes:
    found = _NUMBERS.get(value)
    if found is None:
        if len(_NUMBERS) >= 4096:
            _NUMBERS.clear()
        found = _NUMBERS[value] = format_number(value, _DECIMALS)
    return found


_FONTS: dict[tuple[str, int, int], Font] = {}

#: font_parts(font, glyphs) -> [(resource name, encode, start, end)]: the PDF font object
#: (and its encoder) that shows each slice of glyphs; one slice except for fonts split
#: into several objects (Type 3 fonts past 256 glyphs).
FontParts = Callable[[Font, Sequence[Glyph]], "list[tuple[str, Callable[[Sequence[Glyph]], bytes], int, int]]"]


def font_for_file(path: str, index: int = 0, *, fonttype: int = 42) -> Font:
    """The pdfwriter font for a font file matplotlib resolved (loaded once per process).

    fonttype 42 embeds the outlines as a CIDFontType2 (or CFF) subset that
    keeps the font's hinting, as matplotlib's subsets do (so pdfium draws
    small text alike); fonttype 3 as Type 3 glyph procedures where the font offers that form
    (``as_type3``), else as fonttype 42: the page looks and extracts the same.
    """
    key = (path, index, fonttype)
    font = _FONTS.get(key)
    if font is None:
        base = _FONTS.get((path, index, 42))
        if base is None:
            base = _FONTS[(path, index, 42)] = load_font(path, index=index, hinting=True)
        if fonttype == 3 and isinstance(base, OpenTypeFont):
            font = Type3Font(base, procedures=_matplotlib_procedures(path, index))
        else:
            as_type3 = getattr(base, "as_type3", None) if fonttype == 3 else None
            font = as_type3() if as_type3 is not None else base
        _FONTS[key] = font
    return font


def _matplotlib_procedures(path: str, index: int) -> Callable[[int], bytes | None] | None:
    """Glyph procedures as matplotlib's PDF backend makes them, so Type 3 glyphs are drawn alike to the pixel.

    matplotlib writes each outline in whole 1/1000 em units, its quadratic
    curves raised to cubics by its own path writer. A face of a collection
    other than the first is named to it by a FontPath (matplotlib 3.11 on);
    glyphs it cannot make fall back to pdfwriter's procedures, which keep
    two decimals.
    """
    try:
        from matplotlib.backends.backend_pdf import _get_pdf_charprocs
    except ImportError:
        return None
    source: Any = path
    if index != 0:
        try:
            from matplotlib.font_manager import FontPath
        except ImportError:
            return None
        source = FontPath(path, index)

    def make(gid: int) -> bytes | None:
        try:
            made = _get_pdf_charprocs(source, [gid])
        except Exception:  # matplotlib's FreeType wrapper raises several kinds; ours draws the glyph then
            return None
        return next(iter(made.values()), None) if len(made) == 1 else None

    return make


_STANDARD: dict[str, StandardFont] = {}


def standard_font(name: str) -> StandardFont:
    """One of the 14 standard fonts (pdf.use14corefonts); characters outside its encoding show as '?', as in matplotlib."""
    font = _STANDARD.get(name)
    if font is None:
        font = _STANDARD[name] = StandardFont(name, missing="replace")
    return font


@dataclass
class PlacedGlyph:
    """One glyph of a laid-out string: its font, glyph id, text, pen position and size."""

    font: Font
    gid: int
    text: str
    x: float
    y: float
    size: float


def glyphs_operators(placed: Sequence[PlacedGlyph], x: float, y: float, angle: float, font_parts: FontParts,
                     *, one_by_one: bool = False) -> bytes:
    """BT ... ET showing the glyphs at (x, y) + their offsets, the whole block rotated by `angle` degrees.

    Consecutive glyphs on one baseline in one font and size share a TJ (split
    where the font changes PDF font object); with `one_by_one` each glyph is
    placed by its own text matrix, as matplotlib places mathtext glyphs
    (Ghostscript, rendering without anti-aliasing, rounds a glyph inside a TJ
    to another pixel at times: 11 of the 12 mathtext cases of matplotlib's
    baseline survey that differed match so).
    """
    if not placed:
        return b""
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    out = [b"BT\n"]
    current: list = [None]
    index = 0
    while index < len(placed):
        first = placed[index]
        end = index + 1
        while (
            not one_by_one
            and end < len(placed)
            and placed[end].font is first.font
            and placed[end].y == first.y
            and placed[end].size == first.size
        ):
            end += 1
        tx = x + first.x * cos - first.y * sin
        ty = y + first.x * sin + first.y * cos
        out.append(b" ".join(_num(v) for v in (cos, sin, -sin, cos, tx, ty)) + b" Tm\n")
        out.append(_show(placed[index:end], font_parts, current))
        index = end
    out.append(b"ET\n")
    return b"".join(out)


def _show(run: Sequence[PlacedGlyph], font_parts: FontParts, current: list) -> bytes:
    """Tf and TJ operators placing each glyph of a run at its own x, relative to the first."""
    font = run[0].font
    glyphs = [Glyph(item.gid, font.advance(item.gid), item.text) for item in run]
    return show_glyphs(font, glyphs, [item.x for item in run], run[0].size, font_parts, current)


def show_glyphs(
    font: Font, glyphs: Sequence[Glyph], positions: Sequence[float], size: float, font_parts: FontParts,
    current: list, *, adjust_min: float = _ADJUST_MIN,
) -> bytes:
    """Tf and TJ operators showing `glyphs` with each origin at its x in `positions` (text space, points).

    The first glyph sits at the text matrix's origin; TJ adjustments (of at
    least `adjust_min` thousandths of an em) move the others to their
    positions where the advances alone would not. `current` holds the
    (font name, size) already set, updated here.
    """
    out: list[bytes] = []
    pen = positions[0]
    for name, encode, start, end in font_parts(font, glyphs):
        if current[0] != (name, size):
            out.append(b"/" + name.encode() + b" " + _num(size) + b" Tf\n")
            current[0] = (name, size)
        run = glyphs[start:end]
        codes = encode(run)
        # Codes are one or two bytes a glyph: encode the run once and cut it where adjustments fall.
        step, rest = divmod(len(codes), len(run)) if run else (0, 1)
        parts: list[bytes] = []
        first = 0  # the first glyph of the run not yet written
        for index, (x, glyph) in enumerate(zip(positions[start:end], run)):
            adjust = (pen - x) * 1000 / size
            if abs(adjust) >= adjust_min:
                if index > first:
                    parts.append(_codes(codes, step, rest, encode, run, first, index))
                    first = index
                written = round(adjust, 2)
                parts.append(_num(written))
                pen -= written * size / 1000
            pen += glyph.advance * size / 1000
        if len(run) > first:
            parts.append(_codes(codes, step, rest, encode, run, first, len(run)))
        out.append(b"[" + b" ".join(parts) + b"] TJ\n")
    return b"".join(out)


def _codes(codes: bytes, step: int, rest: int, encode: Any, run: Sequence[Glyph], start: int, stop: int) -> bytes:
    """The PDF string of glyphs start..stop of a run: a slice of the run's codes when each glyph took `step` bytes."""
    if rest == 0 and step:
        return serialize_bytes(codes[start * step : stop * step])
    return serialize(encode(run[start:stop]))


def layout_glyphs(items: Any, size: float, fonttype: int) -> list[PlacedGlyph]:
    """PlacedGlyphs from matplotlib's text layout items (pen positions in points).

    As matplotlib's PDF backend does, a glyph after another of the same font
    sits at the previous glyph's advance plus the pair kerning, and a glyph
    that starts a new font sits at its layout x: the layout's x values are
    rounded to 1/64 point, the advances are not.
    """
    placed: list[PlacedGlyph] = []
    fonts: dict[int, Font] = {}  # by id of matplotlib's font object (the items keep them alive)
    last = None
    for item in items:
        ft = item.ft_object
        font = fonts.get(id(ft))
        if font is None:
            font = fonts[id(ft)] = font_for_file(ft.fname, getattr(ft, "face_index", 0), fonttype=fonttype)
        gid = getattr(item, "glyph_index", None)
        if gid is None:
            gid = item.glyph_idx
        y = float(getattr(item, "y", 0.0))
        if last is not None and last.font is font and last.y == y:
            x = last.x + font.advance(last.gid) * size / 1000 + float(item.prev_kern)
        else:
            x = float(item.x)
        last = PlacedGlyph(font, int(gid), item.char, x, y, size)
        placed.append(last)
    return placed


def mathtext_glyphs(glyphs: Any, fonttype: int) -> list[PlacedGlyph]:
    """PlacedGlyphs from the glyph list of matplotlib's mathtext parser (offsets in points)."""
    placed = []
    for entry in glyphs:
        if len(entry) == 6:
            ft, size, code, gid, ox, oy = entry
        else:
            ft, size, code, ox, oy = entry
            gid = ft.get_char_index(code)
        font = font_for_file(ft.fname, getattr(ft, "face_index", 0), fonttype=fonttype)
        placed.append(PlacedGlyph(font, int(gid), chr(code), float(ox), float(oy), float(size)))
    return placed
