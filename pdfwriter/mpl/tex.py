"""TeX text (text.usetex): the DVI file TeX writes, drawn with embedded Type 1 subsets.

matplotlib's TexManager runs LaTeX on the string and matplotlib.dviread reads
the DVI back: glyphs (a TeX font, a one-byte code, a position in points from
the bottom-left of the text's box, its baseline at y = 0) and rules (filled
boxes: fraction bars, radical overbars). pdftex.map says which Type 1 file
draws each TeX font, which .enc file (if any) names the glyph of each code,
and any SlantFont/ExtendFont effect. The Type 1 file is embedded as a subset
by pdfwriter's own Type 1 support (one PDF font per file, whatever encodings
and effects its TeX fonts use): a glyph is shown by its name, the effect is
folded into the text matrix, and the glyph name gives the text that
extraction reports (the Adobe Glyph List, plus the names of TeX's math
fonts). Each run of glyphs on one baseline in one TeX font is one TJ.

Glyphs go where matplotlib's PDF backend puts them, so the two files render
alike to the pixel: matplotlib advances the pen by TeX's character widths
truncated to whole thousandths of an em (the /Widths it writes), and moves it
to a glyph's DVI position only where that is 0.1 point or more away (a kern),
so within a word the truncation adds up (21 characters into an 11 point line,
about 0.13 point left of TeX's positions). pdfwriter computes that pen and
places its own Type 1 glyphs, whose widths are the font program's, on it with
TJ adjustments.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from typing import Any, Sequence

from matplotlib import dviread

from ..errors import FontError
from ..pdf.numbers import format_number
from ..text.base import Glyph
from ..text.encodings import glyph_unicode
from ..text.type1 import Type1Font
from .text import FontParts, show_glyphs

_DECIMALS = 4
# TJ adjustments smaller than this (thousandths of the font size) are left out; each is
# measured from where the pen really is, so no glyph strays further than this from
# matplotlib's position (1/100,000 em, 0.0005 point at 50 points).
_ADJUST_MIN = 0.01
# matplotlib joins a glyph to the string before it when its DVI position is within this
# many points of the DVI end of that string, and kerns otherwise.
_KERN_MIN = 0.1


@dataclass(frozen=True)
class TexFont:
    """A TeX font as drawn: its Type 1 font, each DVI code's glyph id and text, and its effects."""

    font: Type1Font
    gids: tuple[int, ...]
    texts: tuple[str, ...]
    slant: float = 0.0
    extend: float = 1.0


_TYPE1: dict[str, Type1Font] = {}
_TEX_FONTS: dict[bytes, TexFont] = {}


def dvi_page(texmanager: Any, s: str, size: float) -> Any:
    """The DVI page TeX makes of `s` at `size` points, in points (matplotlib's TexManager and dviread)."""
    dvifile = texmanager.make_dvi(s, size)
    with dviread.Dvi(dvifile, 72) as dvi:
        return next(iter(dvi))


def tex_font(texname: bytes) -> TexFont:
    """The TexFont of a TeX font name, as pdftex.map describes it (loaded once per process)."""
    found = _TEX_FONTS.get(texname)
    if found is not None:
        return found
    name = texname.decode("latin-1")
    try:
        fontmap = dviread.PsfontsMap(dviread.find_tex_file("pdftex.map"))
    except (FileNotFoundError, RuntimeError) as exc:
        raise FontError(f"cannot find TeX's font map pdftex.map ({exc}): is TeX installed?") from None
    try:
        entry = fontmap[texname]
    except LookupError as exc:
        raise FontError(f"TeX font {name}: {exc}") from None
    if entry.filename is None:
        raise FontError(
            f"TeX font {name} ({os.fsdecode(entry.psname)}) has no Type 1 file in pdftex.map; "
            "install its Type 1 version (for the Computer Modern fonts: cm-super or amsfonts)"
        )
    path = os.fsdecode(entry.filename)
    font = _TYPE1.get(path)
    if font is None:
        font = _TYPE1[path] = Type1Font(path)
    if entry.encoding is not None:
        names: Sequence[str | None] = read_encoding(os.fsdecode(entry.encoding))
    else:
        names = font.program.builtin_encoding()
    gid_of = {glyph: gid for gid, glyph in enumerate(font.glyph_names)}
    gids = tuple(gid_of.get(glyph, 0) if glyph else 0 for glyph in names)
    texts = tuple(glyph_text(glyph) if glyph else "" for glyph in names)
    effects = entry.effects or {}
    found = _TEX_FONTS[texname] = TexFont(
        font, gids, texts, float(effects.get("slant", 0.0)), float(effects.get("extend", 1.0))
    )
    return found


def read_encoding(path: str) -> list[str | None]:
    """The 256 glyph names of a PostScript encoding vector file (.enc), None for .notdef."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as exc:
        raise FontError(f"cannot read TeX encoding file {path}: {exc.strerror or exc}") from None
    data = re.sub(rb"%[^\r\n]*", b"", data)
    start, end = data.find(b"["), data.find(b"]")
    if start < 0 or end < start:
        raise FontError(f"{path} is not an encoding file: no [ ... ] array of glyph names")
    names = [n.decode("latin-1") for n in re.findall(rb"/([^\s/\[\]{}()<>%]+)", data[start:end])]
    if len(names) < 256:
        names += [".notdef"] * (256 - len(names))
    return [None if n == ".notdef" else n for n in names[:256]]


# The text of glyphs in TeX's fonts whose names the Adobe Glyph List does not know, maps
# to a presentation form or private use, or (Delta, Omega, mu) to a non-Greek symbol.
_TEX_GLYPHS = {
    "Delta": "\u0394", "Omega": "\u03a9", "mu": "\u03bc",
    "ff": "ff", "fi": "fi", "fl": "fl", "ffi": "ffi", "ffl": "ffl",
    "dotlessj": "\u0237", "epsilon1": "\u03b5", "pi1": "\u03d6", "rho1": "\u03f1", "lscript": "\u2113",
    "Ifractur": "\u2111", "Rfractur": "\u211c", "angbracketleft": "\u27e8", "angbracketright": "\u27e9",
    "arrowbothv": "\u2195", "arrowdblbothv": "\u21d5", "arrowtp": "\u2191", "arrowbt": "\u2193",
    "arrowdbltp": "\u21d1", "arrowdblbt": "\u21d3", "arrownortheast": "\u2197", "arrownorthwest": "\u2196",
    "arrowsoutheast": "\u2198", "arrowsouthwest": "\u2199", "arrowlefttophalf": "\u21bc",
    "arrowleftbothalf": "\u21bd", "arrowrighttophalf": "\u21c0", "arrowrightbothalf": "\u21c1",
    "bardbl": "\u2016", "ceilingleft": "\u2308", "ceilingright": "\u2309", "floorleft": "\u230a",
    "floorright": "\u230b", "circlecopyrt": "\u25ef", "circledivide": "\u2298", "circledot": "\u2299",
    "circleminus": "\u2296", "contintegral": "\u222e", "coproduct": "\u2210", "diamondmath": "\u22c4",
    "equivasymptotic": "\u224d", "flat": "\u266d", "natural": "\u266e", "sharp": "\u266f",
    "follows": "\u227b", "followsequal": "\u2ab0", "precedesequal": "\u2aaf", "greatermuch": "\u226b",
    "lessmuch": "\u226a", "intersectionsq": "\u2293", "unionsq": "\u2294", "unionmulti": "\u228e",
    "latticetop": "\u22a4", "mapsto": "\u21a6", "negationslash": "\u0338", "owner": "\u220b",
    "prime": "\u2032", "similarequal": "\u2243", "star": "\u22c6", "subsetsqequal": "\u2291",
    "supersetsqequal": "\u2292", "slurabove": "\u2322", "slurbelow": "\u2323", "triangle": "\u25b3",
    "triangleinv": "\u25bd", "triangleleft": "\u25c1", "triangleright": "\u25b7", "turnstileleft": "\u22a2",
    "turnstileright": "\u22a3", "vector": "\u20d7", "visiblespace": "\u2423", "wreathproduct": "\u2240",
    "hatwide": "\u02c6", "hatwider": "\u02c6", "hatwidest": "\u02c6", "tildewide": "\u02dc",
    "tildewider": "\u02dc", "tildewidest": "\u02dc", "radicalbt": "\u221a",
}
# Big and display sizes of a math symbol (and old-style digits) stand for the symbol.
_SIZE_SUFFIX = re.compile(r"(?:bigg|Bigg|big|Big|display|text|oldstyle)$")
# The top piece of a built-up delimiter stands for it; the other pieces stand for nothing.
_TOP_PIECE = re.compile(r"^(paren|bracket|brace|ceiling|floor)(left|right)tp$")
_PIECES = re.compile(
    r"^(?:(?:paren|bracket|brace|ceiling|floor)(?:left|right)|brace|radical|arrow|arrowdbl|vextend)"
    r"(?:tp|mid|bt|ex|vertex|vertexdbl|single|double)$"
    r"|^(?:tie|suppress|arrowhookleft|arrowhookright|bracehtip\w+)$"
)


def glyph_text(name: str) -> str:
    """The text a glyph of a TeX font stands for ('' for pieces of built-up symbols and unknown names)."""
    text = _TEX_GLYPHS.get(name)
    if text is not None:
        return text
    top = _TOP_PIECE.match(name)
    if top:
        return glyph_text(top.group(1) + top.group(2))
    if _PIECES.match(name):
        return ""
    text = glyph_unicode(name)
    if text and not any(0xE000 <= ord(c) <= 0xF8FF for c in text):
        return text
    base = _SIZE_SUFFIX.sub("", name)
    return glyph_text(base) if base and base != name else ""


def _num(value: float) -> bytes:
    return format_number(value, _DECIMALS)


def tex_operators(items: Sequence[Any], x: float, y: float, angle: float, font_parts: FontParts) -> bytes:
    """BT ... ET showing a DVI page's glyphs at (x, y) + their positions, rotated by `angle` degrees.

    Each run of glyphs in one TeX font on one baseline gets a text matrix
    (rotation, then the font's slant and extension) and one TJ.
    """
    if not items:
        return b""
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    out = [b"BT\n"]
    current: list[Any] = [None]
    index = 0
    while index < len(items):
        first = items[index]
        end = index + 1
        while end < len(items) and items[end].y == first.y and (
            items[end].font is first.font or items[end].font == first.font
        ):
            end += 1
        tex = tex_font(first.font.texname)
        e, s = tex.extend, tex.slant
        tx = x + first.x * cos - first.y * sin
        ty = y + first.x * sin + first.y * cos
        matrix = (cos * e, sin * e, cos * s - sin, sin * s + cos, tx, ty)
        out.append(b" ".join(_num(v) for v in matrix) + b" Tm\n")
        out.append(_show(tex, items[index:end], float(first.font.size), font_parts, current))
        index = end
    out.append(b"ET\n")
    return b"".join(out)


def _show(tex: TexFont, run: Sequence[Any], size: float, font_parts: FontParts, current: list[Any]) -> bytes:
    """Tf and TJ operators placing each glyph of a run at its DVI x (text space: divided by the extension)."""
    font = tex.font
    glyphs = []
    for item in run:
        code = item.glyph
        if not 0 <= code < len(tex.gids):
            raise FontError(f"DVI code {code} is outside the 256 codes of TeX font {item.font.texname!r}")
        gid = tex.gids[code]
        glyphs.append(Glyph(gid, font.glyph_width(gid), tex.texts[code]))
    origin = run[0].x
    positions = [(x - origin) / tex.extend for x in matplotlib_pen(run, size)]
    return show_glyphs(font, glyphs, positions, size, font_parts, current, adjust_min=_ADJUST_MIN)


def matplotlib_pen(run: Sequence[Any], size: float) -> list[float]:
    """Where matplotlib's PDF backend places each glyph of a run (DVI points, along the baseline).

    The first sits at its DVI x. Each next one follows the previous at its
    truncated width (`truncated_width`); when its DVI x is _KERN_MIN or more
    from the DVI end of the string so far, a kern of that difference moves
    it there, and the string's DVI end restarts from it.
    """
    pen = [run[0].x]
    dvi_end = run[0].x + run[0].width
    for before, item in zip(run, run[1:]):
        step = truncated_width(before.font, before.glyph) * size / 1000
        gap = item.x - dvi_end
        if abs(gap) < _KERN_MIN:
            pen.append(pen[-1] + step)
            dvi_end += item.width
        else:
            pen.append(pen[-1] + step + gap)
            dvi_end = item.x + item.width
    return pen


def truncated_width(dvifont: Any, code: int) -> int:
    """A character's TeX width in whole thousandths of an em, truncated, as matplotlib writes it in /Widths."""
    metrics = getattr(dvifont, "_metrics", None)
    if metrics is not None:  # matplotlib 3.11 on
        found = metrics.get_metrics(code)
        return (1000 * found.tex_width) >> 20 if found is not None else 0
    tfm = getattr(dvifont, "_tfm", None)
    if tfm is not None:
        return (1000 * tfm.width.get(code, 0)) >> 20
    widths = dvifont.widths
    return widths[code] if code < len(widths) else 0
