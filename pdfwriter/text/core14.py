"""The 14 standard PDF fonts: metrics from the bundled AFM files, nothing embedded.

The twelve text fonts (Courier, Helvetica, Times in four styles each) show
text in WinAnsiEncoding, so they cover the characters of Windows code page
1252 and no others. Symbol and ZapfDingbats use their own built-in encodings;
characters reach them through the glyph names (Greek letters, math signs,
dingbats). A character outside the encoding raises FontError by default, or
is drawn as '?' with `missing="replace"`.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass
from typing import Any, Sequence

from ..errors import FontError
from ..fontfiles import CORE14_NAMES, core14_afm
from ..pdf.objects import Name, Reference, Stream
from ..pdf.writer import PdfWriter
from .afm import AfmMetrics, parse_afm
from .base import Font, FontResource, Glyph
from .encodings import WIN_ANSI_CODES, WIN_ANSI_ENCODING, character_map
from .tounicode import to_unicode_cmap

#: The two standard fonts with their own built-in encoding.
SYMBOLIC_FONTS = ("Symbol", "ZapfDingbats")
_MISSING_MODES = ("error", "replace")


@dataclass(frozen=True)
class _Core14Data:
    """A standard font's metrics arranged by code: widths, names, character map, kerning."""

    afm: AfmMetrics
    widths: dict[int, float]
    names: dict[int, str]
    codes: dict[str, int]
    kerning: dict[tuple[int, int], float]


@functools.cache
def _core14_data(name: str) -> _Core14Data:
    """Parse a standard font's AFM once and index it by code."""
    afm = parse_afm(core14_afm(name))
    if name in SYMBOLIC_FONTS:
        names = {m.code: m.name for m in afm.chars.values() if 0 <= m.code <= 255}
        by_name = {glyph: code for code, glyph in names.items()}
        cmap = character_map(list(by_name), zapf_dingbats=name == "ZapfDingbats")
        codes = {char: by_name[glyph] for char, glyph in cmap.items()}
    else:
        names = {
            code: glyph
            for code, glyph in enumerate(WIN_ANSI_ENCODING)
            if glyph is not None and glyph in afm.chars
        }
        codes = {char: code for char, code in WIN_ANSI_CODES.items() if code in names}
    widths = {code: afm.chars[glyph].width for code, glyph in names.items()}
    codes_of: dict[str, list[int]] = {}
    for code, glyph in names.items():
        codes_of.setdefault(glyph, []).append(code)
    kerning = {
        (left_code, right_code): amount
        for (left, right), amount in afm.kerning.items()
        for left_code in codes_of.get(left, ())
        for right_code in codes_of.get(right, ())
    }
    return _Core14Data(afm, widths, names, codes, kerning)


class StandardFont(Font):
    """One of the 14 standard PDF fonts, by its exact PostScript name (e.g. "Helvetica-Bold").

    `missing` says what glyphs() does with a character outside the font's
    encoding: "error" raises FontError, "replace" draws '?' instead and warns
    once per character.
    """

    #: glyphs() gives one glyph per character and encode() concatenates per-glyph codes, so the
    #: layout may cache both by character (text/layout.py).
    one_glyph_per_char = True

    def __init__(self, name: str, *, missing: str = "error") -> None:
        if name not in CORE14_NAMES:
            core14_afm(name)  # raises FontError listing the valid names
        if missing not in _MISSING_MODES:
            raise FontError(f"missing must be one of {', '.join(_MISSING_MODES)}, not {missing!r}")
        self._data = _core14_data(name)
        self.missing = missing
        self._warned: set[str] = set()
        afm = self._data.afm
        self.postscript_name = name
        self.bbox = afm.bbox
        self.ascent = afm.ascender if afm.ascender is not None else afm.bbox[3]
        self.descent = afm.descender if afm.descender is not None else afm.bbox[1]
        self.cap_height = afm.cap_height if afm.cap_height is not None else afm.bbox[3]
        self.italic_angle = afm.italic_angle

    @property
    def symbolic(self) -> bool:
        """True for Symbol and ZapfDingbats, which have their own encoding."""
        return self.postscript_name in SYMBOLIC_FONTS

    def __repr__(self) -> str:
        return f"StandardFont({self.postscript_name!r})"

    def glyphs(self, text: str) -> list[Glyph]:
        """One glyph per character; gid is the character's code in the font's encoding."""
        codes = self._data.codes
        widths = self._data.widths
        result = []
        for char in text:
            code = codes.get(char)
            if code is None:
                code = self._replacement(char)
                char = "?" if "?" in codes else " "
            result.append(Glyph(code, widths[code], char))
        return result

    def _replacement(self, char: str) -> int:
        """The code drawn for a character the font lacks ('?', or space in ZapfDingbats), or FontError."""
        if self.missing == "error":
            encoding = "its built-in encoding" if self.symbolic else "WinAnsiEncoding"
            raise FontError(
                f"the standard font {self.postscript_name} cannot show {char!r} "
                f"(U+{ord(char):04X}): it is not in {encoding}; use an embedded font "
                "(TrueType/OpenType or Type 1) that has it, or missing='replace'"
            )
        codes = self._data.codes
        stand_in = "?" if "?" in codes else " "
        if char not in self._warned:
            self._warned.add(char)
            warnings.warn(
                f"{self.postscript_name} has no {char!r} (U+{ord(char):04X}); "
                f"drawing {stand_in!r} instead",
                stacklevel=3,
            )
        return codes[stand_in]

    def has_char(self, char: str) -> bool:
        """True if the character is in the font's encoding."""
        return char in self._data.codes

    def kerning(self, left: Glyph, right: Glyph) -> float:
        """The AFM's KPX amount for the pair (0 if none)."""
        return self._data.kerning.get((left.gid, right.gid), 0.0)

    def new_resource(self) -> StandardFontResource:
        """A per-document resource for this font."""
        return StandardFontResource(self)


class StandardFontResource(FontResource):
    """A standard font in one document: codes are bytes of the encoding; the font dict is tiny."""

    def __init__(self, font: StandardFont) -> None:
        self.font = font
        self._text: dict[int, str] = {}

    def encode(self, glyphs: Sequence[Glyph]) -> bytes:
        """One byte per glyph: its code."""
        names = self.font._data.names
        for glyph in glyphs:
            if glyph.gid not in names:
                raise FontError(
                    f"glyph id {glyph.gid} is not a code of {self.font.postscript_name}; "
                    "glyphs must come from this font's glyphs()"
                )
            self._text.setdefault(glyph.gid, glyph.text)
        return bytes(glyph.gid for glyph in glyphs)

    def write(self, writer: PdfWriter, ref: Reference) -> None:
        """Write the /Type1 font dictionary (and a ToUnicode CMap for Symbol and ZapfDingbats)."""
        font = self.font
        entry: dict[str, Any] = {
            "Type": Name("Font"),
            "Subtype": Name("Type1"),
            "BaseFont": Name(font.postscript_name),
        }
        if not font.symbolic:
            entry["Encoding"] = Name("WinAnsiEncoding")
        elif self._text:
            entry["ToUnicode"] = writer.add(Stream(to_unicode_cmap(self._text, code_bytes=1)))
        writer.add(entry, ref)
