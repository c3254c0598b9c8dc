"""Complex-script shaping with HarfBuzz (the optional ``uharfbuzz`` package, extra ``pdfwriter[shaping]``).

Scripts such as Arabic and Devanagari need more than one glyph per character:
contextual forms, conjuncts, reordered vowel signs, marks placed on their
base. A line that holds such characters (`needs_shaping`), or any line when
``shaping=True``, is laid out here instead of glyph by glyph:

1. Bidirectional levels, for a left-to-right paragraph (a compact form of the
   Unicode bidi algorithm: strong types, numbers, neutrals, no explicit
   embeddings), so right-to-left words and numbers inside them come out in
   visual order.
2. The line is cut where the font or the level changes; each piece is shaped
   by HarfBuzz in its direction and the pieces are put in visual order.
3. Every shaped glyph carries its shaped advance and offset; the first glyph of
   a cluster carries the cluster's text, the others none, so the ToUnicode
   CMap maps each cluster back to exactly the characters it shows.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
import weakref
from typing import TYPE_CHECKING, Any, Sequence

from ..errors import MissingDependencyError
from .base import Font, Glyph

if TYPE_CHECKING:
    from .layout import Run

# Characters whose display needs shaping: right-to-left scripts, the scripts of South and
# South-East Asia, Tibetan, Mongolian, Hangul jamo and the like. Combining marks alone do not
# count (decomposed Latin stays on the unshaped path; shaping=True positions its marks).
_COMPLEX = re.compile(
    "["
    "\u0590-\u08ff"  # Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic, Arabic supplements
    "\u0900-\u0dff"  # Devanagari ... Sinhala
    "\u0e00-\u0fff"  # Thai, Lao, Tibetan
    "\u1000-\u109f"  # Myanmar
    "\u1100-\u11ff"  # Hangul jamo
    "\u1700-\u18af"  # Philippine scripts, Khmer, Mongolian
    "\u1900-\u1aff"  # Limbu, Tai Le, New Tai Lue, Buginese, Tai Tham, combining marks extended
    "\u1b00-\u1cff"  # Balinese, Sundanese, Batak, Lepcha, Ol Chiki, Vedic extensions
    "\ua800-\ua82f\ua840-\ua8ff\ua900-\ua9ff\uaa00-\uaaff\uabc0-\uabff"  # Syloti Nagri ... Meetei Mayek
    "\ufb1d-\ufdff\ufe70-\ufeff"  # Hebrew and Arabic presentation forms
    "\U00010800-\U00010fff"  # historic right-to-left scripts
    "\U00011000-\U000111ff"  # Brahmi, Kaithi, Chakma, Sharada, ...
    "\U0001e800-\U0001efff"  # Mende Kikakui, Adlam, Arabic mathematical symbols
    "]"
)

_RTL_TYPES = frozenset(["R", "AL"])
_NUMBER_TYPES = frozenset(["EN", "AN"])


def needs_shaping(text: str) -> bool:
    """True if the text holds characters that are shown wrongly without shaping."""
    return _COMPLEX.search(text) is not None


def _harfbuzz() -> Any:
    """The uharfbuzz module, or a clear error naming the extra that installs it."""
    try:
        return importlib.import_module("uharfbuzz")
    except ImportError:
        raise MissingDependencyError(
            "this text needs complex-script shaping (Arabic, Devanagari, ...), which uses HarfBuzz: "
            "install it with  pip install 'pdfwriter[shaping]'  (the uharfbuzz package)"
        ) from None


def bidi_levels(text: str) -> list[int]:
    """Embedding levels of each character for a left-to-right paragraph (0 LTR, 1 RTL, 2 numbers in RTL)."""
    types = []
    previous = "L"
    for char in text:
        kind = unicodedata.bidirectional(char) or "L"
        if kind == "NSM":
            kind = previous
        elif kind in _RTL_TYPES:
            kind = "R"
        elif kind not in ("L", "EN", "AN"):
            kind = "N"
        types.append(kind)
        previous = kind
    # European numbers after left-to-right text (or at the start) are left-to-right text.
    strong = "L"
    for i, kind in enumerate(types):
        if kind in ("L", "R"):
            strong = kind
        elif kind == "EN" and strong == "L":
            types[i] = "L"
    # Neutrals between two of the same direction (numbers count as right-to-left) take it, others LTR.
    levels = [0] * len(types)
    i = 0
    while i < len(types):
        kind = types[i]
        if kind == "N":
            j = i
            while j < len(types) and types[j] == "N":
                j += 1
            before = "R" if i and types[i - 1] != "L" else "L"
            after = "R" if j < len(types) and types[j] != "L" else "L"
            level = 1 if before == after == "R" else 0
            levels[i:j] = [level] * (j - i)
            i = j
            continue
        levels[i] = 0 if kind == "L" else 1 if kind == "R" else 2
        i += 1
    return levels


def visual_order(levels: Sequence[int]) -> list[int]:
    """Indexes of items in visual order, reversing every stretch at each level from the highest down to 1."""
    order = list(range(len(levels)))
    top = max(levels, default=0)
    for level in range(top, 0, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


_HB_FONTS: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def _shaping_font(font: Font) -> Any:
    """The OpenType font whose file HarfBuzz shapes with (a Type 3 font shapes with its source), or None."""
    from .opentype import OpenTypeFont

    base = getattr(font, "base", font)
    return base if isinstance(base, OpenTypeFont) else None


def _hb_font(font: Any) -> Any:
    """A HarfBuzz font for an OpenTypeFont (made once per font)."""
    found = _HB_FONTS.get(font)
    if found is None:
        hb = _harfbuzz()
        data, index = font.font_data()
        face = hb.Face(data, index)
        found = _HB_FONTS[font] = (hb.Font(face), 1000 / face.upem)
    return found


def shape(font: Font, text: str, *, rtl: bool, kerning: bool = True) -> list[Glyph]:
    """Shaped glyphs of a piece of text in one font and direction, in visual order."""
    base = _shaping_font(font)
    if base is None:
        glyphs = font.glyphs(text)
        return glyphs[::-1] if rtl else glyphs
    hb = _harfbuzz()
    hb_font, scale = _hb_font(base)
    buffer = hb.Buffer()
    buffer.add_codepoints([ord(c) for c in text])
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS  # marks keep their own clusters
    hb.shape(hb_font, buffer, {} if kerning else {"kern": False})
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    starts = sorted({info.cluster for info in infos})
    ends = dict(zip(starts, starts[1:] + [len(text)]))
    seen: set[int] = set()
    glyphs = []
    for info, pos in zip(infos, positions):
        cluster = info.cluster
        chars = "" if cluster in seen else text[cluster : ends[cluster]]
        if rtl:
            chars = chars[::-1]  # extractors reverse right-to-left lines character by character
        seen.add(cluster)
        gid = info.codepoint
        glyphs.append(Glyph(gid, pos.x_advance * scale, chars, pos.x_offset * scale, pos.y_offset * scale, base.advance(gid)))
    return glyphs


def _font_for(char: str, fonts: Sequence[Font], previous: Font | None, warned: set[str]) -> Font:
    """The font that shows a character: marks stay with their base's font when it has them."""
    if previous is not None and unicodedata.category(char).startswith("M") and previous.has_char(char):
        return previous
    for font in fonts:
        if font.has_char(char):
            return font
    from .layout import warn_missing

    warn_missing(char, warned)
    return fonts[0]


def shape_line(line: str, fonts: Sequence[Font], warned: set[str], *, kerning: bool = True) -> list[Run]:
    """A line as shaped runs in visual order: cut by font and bidi level, each piece shaped."""
    from .layout import Run

    levels = bidi_levels(line)
    pieces: list[tuple[Font, int, int, int]] = []  # font, level, start, end
    previous: Font | None = None
    for i, char in enumerate(line):
        font = _font_for(char, fonts, previous, warned)
        previous = font
        if pieces and pieces[-1][0] is font and pieces[-1][1] == levels[i]:
            pieces[-1] = (font, levels[i], pieces[-1][2], i + 1)
        else:
            pieces.append((font, levels[i], i, i + 1))
    runs = []
    for index in visual_order([level for _, level, _, _ in pieces]):
        font, level, start, end = pieces[index]
        text, rtl = line[start:end], level % 2 == 1
        glyphs = shape(font, text, rtl=rtl, kerning=kerning)
        # Extractors reverse right-to-left text as they find it, /ActualText included, so a
        # right-to-left run shows (and marks) its text in visual order.
        shown = text[::-1] if rtl else text
        exact = all(g.text and not g.dy for g in glyphs) and "".join(g.text for g in glyphs) == shown
        runs.append(Run(font, glyphs, shaped=True, actual_text=None if exact else shown))
    return runs
