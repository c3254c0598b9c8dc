"""Simple-font encodings (WinAnsiEncoding, StandardEncoding) and glyph names <-> Unicode.

Glyph names map to Unicode by the Adobe Glyph List specification
(fontTools.agl: AGL names, uniXXXX, uXXXX[XX], ligatures joined by '_',
suffixes after '.' dropped), plus the ITC Zapf Dingbats glyph list for the
ZapfDingbats font.
"""

from __future__ import annotations

from fontTools import agl

# StandardEncoding (PDF 32000-1, Annex D.2): runs of consecutive codes, by first code.
_STANDARD_RUNS = {
    32: "space exclam quotedbl numbersign dollar percent ampersand quoteright parenleft "
    "parenright asterisk plus comma hyphen period slash zero one two three four five six seven "
    "eight nine colon semicolon less equal greater question at A B C D E F G H I J K L M N O P "
    "Q R S T U V W X Y Z bracketleft backslash bracketright asciicircum underscore quoteleft "
    "a b c d e f g h i j k l m n o p q r s t u v w x y z braceleft bar braceright asciitilde",
    161: "exclamdown cent sterling fraction yen florin section currency quotesingle "
    "quotedblleft guillemotleft guilsinglleft guilsinglright fi fl",
    177: "endash dagger daggerdbl periodcentered",
    182: "paragraph bullet quotesinglbase quotedblbase quotedblright guillemotright ellipsis "
    "perthousand",
    191: "questiondown",
    193: "grave acute circumflex tilde macron breve dotaccent dieresis",
    202: "ring cedilla",
    205: "hungarumlaut ogonek caron emdash",
    225: "AE",
    227: "ordfeminine",
    232: "Lslash Oslash OE ordmasculine",
    241: "ae",
    245: "dotlessi",
    248: "lslash oslash oe germandbls",
}


def _from_runs(runs: dict[int, str]) -> tuple[str | None, ...]:
    """A 256-entry code -> glyph name table from runs of names."""
    table: list[str | None] = [None] * 256
    for first, names in runs.items():
        for offset, name in enumerate(names.split()):
            table[first + offset] = name
    return tuple(table)


#: StandardEncoding: code -> glyph name (None where undefined).
STANDARD_ENCODING = _from_runs(_STANDARD_RUNS)
#: StandardEncoding: glyph name -> code.
STANDARD_CODES = {name: code for code, name in enumerate(STANDARD_ENCODING) if name}

# Where WinAnsiEncoding names a glyph other than the AGL name of the cp1252
# character (PDF 32000-1, Annex D.2, notes 5 and 6: space and hyphen repeat).
_WIN_ANSI_NAMES = {0xA0: "space", 0xAD: "hyphen"}
# Legacy AGL names for characters the AGL for New Fonts names uniXXXX.
_LEGACY_NAMES = {chr(uv): name for name, uvs in agl.LEGACY_AGL2UV.items() for uv in uvs}


def _win_ansi() -> tuple[tuple[str | None, ...], dict[str, int]]:
    """WinAnsiEncoding built from cp1252 and the AGL: (code -> name, character -> code)."""
    names: list[str | None] = [None] * 256
    codes: dict[str, int] = {}
    for code in [*range(0x20, 0x7F), *range(0x80, 0x100)]:
        try:
            char = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            continue
        names[code] = _WIN_ANSI_NAMES.get(code) or agl.UV2AGL.get(ord(char)) or _LEGACY_NAMES[char]
        codes[char] = code
    return tuple(names), codes


#: WinAnsiEncoding: code -> glyph name (None where undefined).
#: WIN_ANSI_CODES: character -> code.
WIN_ANSI_ENCODING, WIN_ANSI_CODES = _win_ansi()

# Characters a glyph also stands for beyond its AGL mapping: the AGL maps these
# names to the compatibility characters (U+2206 INCREMENT, U+2126 OHM SIGN,
# U+00B5 MICRO SIGN); fonts such as Symbol draw the Greek letters with them.
_GREEK_ALIASES = {"Delta": "\u0394", "Omega": "\u03a9", "mu": "\u03bc"}
# Characters that another glyph draws when the font has no glyph of their own.
_CHAR_FALLBACKS = {"\u00a0": "space", "\u00ad": "hyphen"}


def glyph_unicode(name: str, *, zapf_dingbats: bool = False) -> str:
    """The text a glyph name stands for ('' if none), per the AGL specification."""
    if name == ".notdef":
        return ""
    if zapf_dingbats and name == "space":
        return " "
    return agl.toUnicode(name, zapf_dingbats)


def character_map(names: list[str], *, zapf_dingbats: bool = False) -> dict[str, str]:
    """Character -> glyph name for a font's glyph names (single characters, no '.' variants).

    A character reached by several names keeps the first; Greek letters drawn by
    Delta, Omega and mu, and NBSP and soft hyphen, map to those glyphs when the
    font has no glyph named for them.
    """
    cmap: dict[str, str] = {}
    present = set(names)
    for name in names:
        if "." in name:
            continue
        text = glyph_unicode(name, zapf_dingbats=zapf_dingbats)
        if len(text) == 1:
            cmap.setdefault(text, name)
    for name, char in _GREEK_ALIASES.items():
        if name in present:
            cmap.setdefault(char, name)
    for char, name in _CHAR_FALLBACKS.items():
        if name in present:
            cmap.setdefault(char, name)
    return cmap

