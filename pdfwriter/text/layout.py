"""Text layout: lines of text placed, aligned, kerned and split across fallback fonts.

A line is measured exactly as it is shown: glyph advances, pair kerning
(written as TJ adjustments), character spacing (Tc), word spacing (added
after each space as a TJ adjustment, so it works with two-byte fonts too,
where Tw does not) and horizontal scaling (Tz). Characters the first font
lacks come from the first fallback font that has them; a character no font
has is drawn as the first font's .notdef, with one warning naming it.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Callable, Sequence

from ..pdf.numbers import format_number
from ..pdf.objects import serialize
from .base import Font, Glyph

RENDER_MODES = {"fill": 0, "stroke": 1, "fill_stroke": 2, "invisible": 3, "clip": 7}
HALIGN = ("left", "center", "right")
VALIGN = ("baseline", "top", "center", "bottom")
_DECIMALS = 4


def _num(value: float) -> bytes:
    return format_number(value, _DECIMALS)


@dataclass(frozen=True)
class TextStyle:
    """How a block of text is set: font chain, size, spacing, scaling."""

    fonts: tuple[Font, ...]
    size: float
    line_spacing: float = 1.2
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    horizontal_scale: float = 100.0
    kerning: bool = True


@dataclass
class Run:
    """Consecutive glyphs of one line that share a font."""

    font: Font
    glyphs: list[Glyph]


def split_runs(line: str, fonts: Sequence[Font], warned: set[str]) -> list[Run]:
    """Cut a line into runs, each character taken from the first font that has it."""
    runs: list[Run] = []
    primary = fonts[0]
    for char in line:
        font = next((f for f in fonts if f.has_char(char)), None)
        if font is None:
            font = primary
            if char not in warned:
                warned.add(char)
                warnings.warn(
                    f"no font has the character {char!r} (U+{ord(char):04X}); it is drawn as .notdef "
                    "(pass a font that has it, or add one to the fallback fonts)",
                    stacklevel=4,
                )
        glyph = font.glyphs(char)[0]
        if runs and runs[-1].font is font:
            runs[-1].glyphs.append(glyph)
        else:
            runs.append(Run(font, [glyph]))
    return runs


def line_width(runs: Sequence[Run], style: TextStyle) -> float:
    """The advance of a line of runs in points, as it will be shown."""
    total = 0.0
    count = 0
    for run in runs:
        glyphs = run.glyphs
        total += sum(g.advance for g in glyphs) * style.size / 1000
        if style.kerning:
            total += sum(run.font.kerning(a, b) for a, b in zip(glyphs, glyphs[1:])) * style.size / 1000
        total += style.word_spacing * sum(g.text == " " for g in glyphs)
        count += len(glyphs)
    total += style.char_spacing * count
    return total * style.horizontal_scale / 100


def measure(text: str, style: TextStyle) -> float:
    """The width of the widest line of `text`, in points."""
    warned: set[str] = set()
    return max(line_width(split_runs(line, style.fonts, warned), style) for line in text.split("\n"))


def tj_array(run: Run, encode: Callable[[Sequence[Glyph]], bytes], style: TextStyle) -> bytes:
    """The TJ operand for one run: encoded glyph strings with kerning and word-spacing adjustments."""
    parts: list[bytes] = []
    pending: list[Glyph] = []
    scale = 1000 / style.size
    glyphs = run.glyphs
    for i, glyph in enumerate(glyphs):
        pending.append(glyph)
        adjust = 0.0
        if style.kerning and i + 1 < len(glyphs):
            adjust -= run.font.kerning(glyph, glyphs[i + 1])
        if glyph.text == " " and style.word_spacing:
            adjust -= style.word_spacing * scale
        if adjust and i + 1 < len(glyphs):
            parts.append(serialize(encode(pending)))
            parts.append(_num(adjust))
            pending = []
    if pending:
        parts.append(serialize(encode(pending)))
    return b"[" + b" ".join(parts) + b"]"


def block_origin(
    lines: int, widths: Sequence[float], style: TextStyle, halign: str, valign: str
) -> tuple[list[float], float]:
    """Per-line x offsets for the alignment, and the first baseline's y offset from the anchor."""
    leading = style.size * style.line_spacing
    primary = style.fonts[0]
    ascent = primary.ascent * style.size / 1000
    descent = primary.descent * style.size / 1000
    shift = {"left": 0.0, "center": 0.5, "right": 1.0}[halign]
    xs = [-w * shift for w in widths]
    if valign == "baseline":
        y = 0.0
    elif valign == "top":
        y = -ascent
    elif valign == "bottom":
        y = (lines - 1) * leading - descent
    else:
        top, bottom = ascent, -(lines - 1) * leading + descent
        y = -(top + bottom) / 2
    return xs, y


def text_operators(
    x: float,
    y: float,
    text: str,
    style: TextStyle,
    *,
    angle: float,
    halign: str,
    valign: str,
    render_mode: int,
    font_names: Callable[[Font], tuple[str, Callable[[Sequence[Glyph]], bytes]]],
    warned: set[str],
) -> bytes:
    """BT ... ET for a block of text anchored at (x, y); font_names(font) -> (name, encode)."""
    lines = text.split("\n")
    runs_per_line = [split_runs(line, style.fonts, warned) for line in lines]
    widths = [line_width(runs, style) for runs in runs_per_line]
    xs, y0 = block_origin(len(lines), widths, style, halign, valign)
    leading = style.size * style.line_spacing
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    out = [b"BT\n"]
    if render_mode:
        out.append(b"%d Tr\n" % render_mode)
    if style.char_spacing:
        out.append(_num(style.char_spacing) + b" Tc\n")
    if style.horizontal_scale != 100:
        out.append(_num(style.horizontal_scale) + b" Tz\n")
    current_font = None
    for index, runs in enumerate(runs_per_line):
        dx, dy = xs[index], y0 - index * leading
        tx, ty = x + dx * cos - dy * sin, y + dx * sin + dy * cos
        out.append(b" ".join(_num(v) for v in (cos, sin, -sin, cos, tx, ty)) + b" Tm\n")
        for run in runs:
            name, encode = font_names(run.font)
            if name != current_font:
                out.append(b"/" + name.encode() + b" " + _num(style.size) + b" Tf\n")
                current_font = name
            out.append(tj_array(run, encode, style) + b" TJ\n")
    # Text state outlives ET: put back what this block changed.
    if render_mode:
        out.append(b"0 Tr\n")
    if style.char_spacing:
        out.append(b"0 Tc\n")
    if style.horizontal_scale != 100:
        out.append(b"100 Tz\n")
    out.append(b"ET\n")
    return b"".join(out)
