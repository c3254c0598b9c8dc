"""OpenType and TrueType fonts (.ttf, .otf, .ttc, .otc): metrics, kerning, and embedding as subset CID fonts.

Loading reads only what metrics need (head, hhea, hmtx, maxp, OS/2, post,
name, cmap; advances, the character map and the post header straight from
the file's bytes, by glyph id, so glyph names are read only when something
needs them); the kerning tables are read at the first kerning query (GPOS
pair lookups from the bytes too), the outlines when the document closes. In the PDF every font is a Type0 font
with two-byte Identity-H codes, that is CIDs:

* TrueType outlines (glyf) become a CIDFontType2 (FontFile2). CIDs are handed
  out in first-use order, one per distinct (glyph, text) pair, so characters
  drawn with one glyph (a space and a no-break space) each extract as
  themselves; a CIDToGIDMap stream maps CIDs to the glyphs of a renumbered
  subset. Measured against keeping the original glyph ids (fontTools
  ``retain_gids``), this is smaller and its widths array has few runs. CIDs
  with a byte a literal string must escape ( ) \\ CR are skipped, so the
  layout writes codes raw.
* CFF outlines become a CIDFontType0 with a bare CFF program (FontFile3
  /CIDFontType0C). In a name-keyed CFF the CIDs are glyph indexes: CIDs go
  one per glyph in first-use order, and the subset's charset is put in that
  order. A CID-keyed CFF keeps its own CIDs, which its charset maps to the
  subset's glyphs.

The embedded subset keeps only the tables a PDF renderer reads: no layout
tables (GSUB, GPOS, kern), no cmap, name, OS/2 or post, and no hinting unless
the font is loaded with ``hinting=True``, which keeps the TrueType hinting
programs (fpgm, prep, cvt, gasp and each glyph's instructions) or the CFF
hints. Off by default: measured with pdfium on a 200-page report, hinting
changes under 0.1% of the pixels at 72-144 dpi, while it makes the font
program two to four times larger (DejaVu Sans, 67 glyphs: 3.9 KB compressed
without, 10.7 KB with). The matplotlib backend turns it on for fonttype 42,
as matplotlib's own subsets keep hinting and small text then renders the
same. TrueType subsets are cut straight from the file's bytes (sfnt.py); CFF
and WOFF fonts go through fontTools' subsetter.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import struct
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

import numpy as np
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from ..errors import FontError
from ..pdf.numbers import format_number
from ..pdf.objects import Name, Reference, Stream
from ..pdf.writer import PdfWriter
from .base import Font, FontResource, Glyph
from .sfnt import (
    HINTING_TABLES,
    PairSubtable,
    SfntError,
    advances,
    best_cmap,
    glyph_top,
    kern_lookups,
    post_header,
    subset_glyf,
)
from .tounicode import to_unicode_cmap

if TYPE_CHECKING:
    from .type3 import Type3Font

# FontDescriptor Flags bits (PDF 32000-1, 9.8.2).
FIXED_PITCH, SERIF, SYMBOLIC, SCRIPT, NONSYMBOLIC, ITALIC = 1, 2, 4, 8, 32, 64

# Tables an embedded subset keeps ('GlyphOrder' is fontTools' own pseudo-table).
_GLYF_TABLES = frozenset(["glyf", "loca", "head", "hhea", "hmtx", "maxp", "GlyphOrder"])
_CFF_TABLES = frozenset(["CFF", "head", "hhea", "hmtx", "maxp", "GlyphOrder"])
_HINTING_TABLES = frozenset(tag.decode().strip() for tag in HINTING_TABLES)

# OS/2 fsType embedding bits.
_FS_RESTRICTED, _FS_NO_SUBSETTING, _FS_BITMAP_ONLY = 0x0002, 0x0100, 0x0200

# sFamilyClass classes with serifs (1-5 and 7); 10 is Scripts.
_SERIF_CLASSES = frozenset([1, 2, 3, 4, 5, 7])

# Characters of the Adobe standard Latin character set (PDF 32000-1, Annex D), by codec.
_LATIN_CODECS = ("cp1252", "mac_roman")

_MAX_CID = 0xFFFF
# Bytes a literal string must escape: TrueType CIDs avoid them, so codes go into content streams raw.
_ESCAPED_BYTES = frozenset(b"()\\\r")


def _describe(exc: BaseException) -> str:
    """A short text for an exception raised by fontTools on a malformed font."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _clean_ps_name(name: str) -> str:
    """A PostScript name fit for BaseFont: printable ASCII without delimiters, at most 63 bytes."""
    kept = "".join(c for c in name if 33 <= ord(c) <= 126 and c not in "[](){}<>/%")
    return kept[:63]


class OpenTypeFont(Font):
    """An OpenType or TrueType font from a path, bytes or a fontTools TTFont; `index` picks a collection member."""

    #: glyphs() gives one glyph per character and encode() concatenates per-glyph codes, so the
    #: layout may cache both by character (text/layout.py).
    one_glyph_per_char = True

    def __init__(
        self, source: str | os.PathLike[str] | bytes | TTFont, *, index: int = 0, hinting: bool = False
    ) -> None:
        self.path: Path | None = None
        self.index = index
        #: Keep the hinting programs and hints in embedded subsets (see the module docstring).
        self.hinting = bool(hinting)
        self._data: bytes | None = None
        ttfont: TTFont | None = None
        if isinstance(source, TTFont):
            self.name = f"<fontTools TTFont {getattr(getattr(source.reader, 'file', None), 'name', 'in memory')}>"
            ttfont = source
        elif isinstance(source, (bytes, bytearray, memoryview)):
            self._data = bytes(source)
            self.name = f"<font data, {len(self._data)} bytes>"
        elif isinstance(source, (str, os.PathLike)):
            self.path = Path(source)
            self.name = str(self.path)
            try:
                self._data = self.path.read_bytes()
            except OSError as exc:
                raise FontError(f"cannot read font file {self.name}: {exc.strerror or exc}") from None
        else:
            raise FontError(
                f"an OpenType font is loaded from a path, bytes or a fontTools TTFont, not {type(source).__name__}"
            )
        try:
            if ttfont is None:
                ttfont = self._parse(self._data or b"", lazy=True)
            self._read(ttfont)
        except FontError:
            raise
        except Exception as exc:  # fontTools raises any exception type on malformed data
            raise FontError(f"{self.name} is not a usable OpenType/TrueType font ({_describe(exc)})") from None
        self._glyph_cache: dict[str, Glyph] = {}
        self._kern_cache: dict[int, float] = {}
        self._kerning: _Kerning | None = None

    def __repr__(self) -> str:
        return f"OpenTypeFont({self.postscript_name!r}, {self.name!r})"

    # Loading ------------------------------------------------------------------

    def _parse(self, data: bytes, *, lazy: bool | None) -> TTFont:
        """A fontTools TTFont of the font data (the `index` member of a collection)."""
        if len(data) < 12:
            raise FontError(f"{self.name} is not a font file: {len(data)} bytes is too short")
        if data[:4] != b"ttcf" and self.index != 0:
            raise FontError(f"{self.name} is a single font, not a collection: use index 0, not {self.index}")
        font = TTFont(io.BytesIO(data), fontNumber=self.index, lazy=lazy, recalcTimestamp=False)
        font.flavor = None  # a WOFF source still saves as plain sfnt
        return font

    def _read(self, font: TTFont) -> None:
        """Read the metrics, names and character map; check that the font may be embedded."""
        if "CFF2" in font:
            raise FontError(f"{self.name} has CFF2 outlines (a variable font), which pdfwriter cannot embed")
        if "glyf" not in font and "CFF " not in font:
            raise FontError(f"{self.name} has no outlines (no glyf or CFF table): bitmap or colour fonts cannot be embedded")
        os2 = font["OS/2"] if "OS/2" in font else None
        fs_type = os2.fsType if os2 is not None else 0
        if fs_type & 0x000F == _FS_RESTRICTED:
            raise FontError(
                f"{self.name}: the font's licence forbids embedding it (OS/2 fsType 'restricted license "
                "embedding'), and a PDF must embed its fonts to show them reliably; use another font"
            )
        if fs_type & _FS_BITMAP_ONLY:
            raise FontError(
                f"{self.name}: the font's licence allows embedding bitmaps only (OS/2 fsType bit 9), "
                "and pdfwriter embeds outlines; use another font"
            )
        #: False if the licence forbids subsetting (fsType bit 8): the whole font is embedded.
        self.subsettable = not fs_type & _FS_NO_SUBSETTING
        head, hhea = font["head"], font["hhea"]
        if not 16 <= head.unitsPerEm <= 16384:
            raise FontError(f"{self.name} has an invalid unitsPerEm of {head.unitsPerEm}")
        scale = 1000 / head.unitsPerEm
        self._scale = scale
        #: Font units to 1/1000 em.
        self.units_scale = scale
        self.is_cff = "CFF " in font
        self.cid_keyed = self.is_cff and hasattr(font["CFF "].cff.topDictIndex[0], "ROS")
        self._ttfont = font
        upem = head.unitsPerEm
        raw = self._data if self._data is not None and self._data[:4] not in (b"wOFF", b"wOF2") else None
        mapped: tuple[dict[int, int], bool] | None = None
        post_values: tuple[float, bool] | None = None
        if raw is not None:  # by glyph id from the bytes: no glyph names needed (see sfnt.py)
            try:
                units = advances(raw, self.index)
                mapped = best_cmap(raw, self.index)
                post_values = post_header(raw, self.index)
            except (SfntError, struct.error) as exc:
                raise FontError(f"{self.name} is not a usable OpenType/TrueType font ({_describe(exc)})") from None
        else:
            metrics = font["hmtx"].metrics
            units = [metrics[name][0] for name in self._glyph_order]
            post = font["post"] if "post" in font else None
            post_values = None if post is None else (float(post.italicAngle), bool(post.isFixedPitch))
        # Whole thousandths of an em, rounded as matplotlib's PDF backend does: viewers (pdfium)
        # truncate fractional /W widths, so the layout uses exactly the widths written.
        self._advances = [round(width / upem * 1000) for width in units]
        if mapped is not None:
            self.symbol_cmap = mapped[1]
            self._cmap = {code: gid for code, gid in mapped[0].items() if gid < len(units)}
            if self.symbol_cmap:
                for code, gid in list(self._cmap.items()):
                    if 0xF000 <= code <= 0xF0FF:
                        self._cmap.setdefault(code - 0xF000, gid)
        else:
            self._cmap = self._read_cmap(font)
        self._read_names(font)
        if os2 is not None and os2.fsSelection & (1 << 7):
            ascent, descent = os2.sTypoAscender, os2.sTypoDescender
        else:
            ascent, descent = hhea.ascent, hhea.descent
        if ascent == descent == 0:
            ascent, descent = head.yMax, head.yMin
        self.ascent = ascent * scale
        self.descent = -abs(descent) * scale
        cap = os2.sCapHeight if os2 is not None and os2.version >= 2 else 0
        self.cap_height = (cap * scale) if cap > 0 else (self._glyph_top(font, "H") or self.ascent)
        self.italic_angle = post_values[0] if post_values is not None else 0.0
        self.bbox = (head.xMin * scale, head.yMin * scale, head.xMax * scale, head.yMax * scale)
        self.flags = self._base_flags(font, os2, post_values)
        weight = os2.usWeightClass if os2 is not None else 400
        #: Estimated dominant vertical stem width, from the weight class (400 -> 80, 700 -> 160).
        self.stem_v = max(20, round(80 + (weight - 400) * 80 / 300))

    @functools.cached_property
    def _glyph_order(self) -> list[str]:
        """Glyph names by glyph id (read when first needed: Type 3 outlines, CFF charsets, fontTools' readers)."""
        return self._ttfont.getGlyphOrder()

    def _read_cmap(self, font: TTFont) -> dict[int, int]:
        """Code point -> glyph id, from the best Unicode cmap (or a symbol cmap, at U+F0xx and U+00xx)."""
        gid_of = font.getReverseGlyphMap()
        count = len(self._glyph_order)
        best = font.getBestCmap()
        #: True if the font has only a symbol cmap (3, 0): its text is symbolic.
        self.symbol_cmap = best is None
        if best is None:
            table = font["cmap"].getcmap(3, 0) if "cmap" in font else None
            if table is None:
                raise FontError(f"{self.name} has no Unicode character map (cmap), so text cannot be mapped to glyphs")
            best = dict(table.cmap)
            for code, name in table.cmap.items():
                if 0xF000 <= code <= 0xF0FF:
                    best.setdefault(code - 0xF000, name)
        cmap = {}
        for code, name in best.items():
            gid = gid_of.get(name, 0)
            if 0 < gid < count:
                cmap[code] = gid
        return cmap

    def _read_names(self, font: TTFont) -> None:
        """PostScript and family names from the name table (or the CFF font name)."""
        table = font["name"] if "name" in font else None
        ps_name = table.getDebugName(6) if table is not None else None
        if not ps_name and self.is_cff:
            ps_name = font["CFF "].cff.fontNames[0]
        self.family_name: str = (table.getBestFamilyName() if table is not None else None) or ""
        fallback = self.family_name or (self.path.stem if self.path else "Font")
        self.postscript_name = _clean_ps_name(ps_name or "") or _clean_ps_name(fallback) or "Font"

    def _glyph_top(self, font: TTFont, char: str) -> float:
        """The top of a character's outline in 1/1000 em (0 if the font lacks it or it is empty)."""
        gid = self._cmap.get(ord(char))
        if gid is None:
            return 0.0
        if not self.is_cff and self._data is not None and self._data[:4] not in (b"wOFF", b"wOF2"):
            try:
                top = glyph_top(self._data, self.index, gid)  # the glyph's header, without parsing glyf
            except (SfntError, struct.error) as exc:
                raise FontError(f"{self.name} is not a usable TrueType font ({_describe(exc)})") from None
            return 0.0 if top is None else top * self._scale
        glyph_set = font.getGlyphSet()
        pen = BoundsPen(glyph_set)
        glyph_set[self._glyph_order[gid]].draw(pen)
        return pen.bounds[3] * self._scale if pen.bounds else 0.0

    def _base_flags(self, font: TTFont, os2: Any, post: tuple[float, bool] | None) -> int:
        """FontDescriptor flags known from the font alone (Symbolic/Nonsymbolic depend on the text used)."""
        flags = 0
        panose = getattr(os2, "panose", None)
        if (post is not None and post[1]) or (panose is not None and panose.bProportion == 9):
            flags |= FIXED_PITCH
        family_class = (os2.sFamilyClass >> 8) if os2 is not None else 0
        latin_text = panose is not None and panose.bFamilyType == 2
        if family_class in _SERIF_CLASSES or (latin_text and 2 <= panose.bSerifStyle <= 10):
            flags |= SERIF
        if family_class == 10 or (panose is not None and panose.bFamilyType == 3):
            flags |= SCRIPT
        italic = (os2 is not None and os2.fsSelection & 1) or font["head"].macStyle & 2
        if italic or (post is not None and post[0] != 0):
            flags |= ITALIC
        return flags

    def full_font(self) -> TTFont:
        """A fresh, fully loadable TTFont of this font (for subsetting)."""
        if self._data is None:
            buffer = io.BytesIO()
            self._ttfont.save(buffer, reorderTables=False)
            self._data = buffer.getvalue()
            self.index = 0
        return self._parse(self._data, lazy=None)

    # Font interface -------------------------------------------------------------

    def glyphs(self, text: str) -> list[Glyph]:
        """One glyph per character, from the cmap (gid 0, .notdef, where the font has none)."""
        cache = self._glyph_cache
        try:
            return [cache[c] for c in text]
        except KeyError:
            return [cache.get(c) or self._new_glyph(c) for c in text]

    def _new_glyph(self, char: str) -> Glyph:
        """Make and cache the glyph of a character."""
        gid = self._cmap.get(ord(char), 0)
        glyph = self._glyph_cache[char] = Glyph(gid, self._advances[gid], char)
        return glyph

    def has_char(self, char: str) -> bool:
        """True if the font maps this character to a glyph."""
        return ord(char) in self._cmap

    @property
    def glyph_count(self) -> int:
        """Number of glyphs in the font."""
        return len(self._advances)

    def advance(self, gid: int) -> float:
        """A glyph's advance width in 1/1000 em."""
        return self._advances[gid]

    def glyph_name(self, gid: int) -> str:
        """A glyph's name in the font's glyph order."""
        return self._glyph_order[gid]

    def cff_cid(self, gid: int) -> int:
        """The CID a CID-keyed CFF gives a glyph (its charset entry)."""
        name = self._glyph_order[gid]
        return int(name[3:]) if name.startswith("cid") else 0

    def kerning(self, left: Glyph, right: Glyph) -> float:
        """Pair kerning from GPOS 'kern' lookups (or the legacy 'kern' table), in 1/1000 em."""
        key = left.gid << 16 | right.gid
        value = self._kern_cache.get(key)
        if value is None:
            kerning = self._kerning or self._load_kerning()
            try:
                value = kerning.pair(left.gid, right.gid)
            except Exception as exc:  # rows are read on first use; fontTools raises any type on bad data
                raise FontError(f"cannot read the kerning of {self.name} ({_describe(exc)})") from None
            if value is None:
                return 0.0
            self._kern_cache[key] = value
        return value

    def _load_kerning(self) -> _Kerning:
        """Read the kerning tables (once): GPOS from the file's bytes where it can, else through fontTools."""
        try:
            data = self._data
            lookups = None
            if data is not None and data[:4] not in (b"wOFF", b"wOF2"):
                lookups = kern_lookups(data, self.index)
            self._kerning = _Kerning(self._ttfont, self._scale, lookups)
        except Exception as exc:  # fontTools raises any exception type on malformed data
            raise FontError(f"cannot read the kerning of {self.name} ({_describe(exc)})") from None
        return self._kerning

    def new_resource(self) -> OpenTypeResource:
        """A fresh per-document resource for this font."""
        return OpenTypeResource(self)

    def glyph_set(self) -> Any:
        """The font's outlines by glyph name (a fontTools glyph set), for drawing glyphs as paths."""
        return self._ttfont.getGlyphSet()

    def font_data(self) -> tuple[bytes, int]:
        """The font file's bytes and the member index in a collection (for a shaping engine)."""
        if self._data is None:
            self.full_font()  # serialises a TTFont source once
        assert self._data is not None
        return self._data, self.index

    def as_type3(self) -> Type3Font:
        """This font embedded as Type 3 fonts (glyph procedures) instead of a CID font; the same object each call."""
        from .type3 import type3_of

        return type3_of(self)

    def as_type42(self) -> OpenTypeFont:
        """This font embedded as a CID font with its font program (TrueType: Type 42's PDF form); the default."""
        return self


class _LazyRows(dict):
    """Rows of a kerning subtable, each read from the font the first time it is asked for.

    A document uses few of a font's first glyphs, and reading every row of a
    large GPOS table costs more than laying out a long report.
    """

    def __init__(self, index: dict[int, int], read: Callable[[int], Any]) -> None:
        super().__init__()
        #: Row key -> its index in the subtable.
        self.index = index
        self.read = read

    def __missing__(self, key: int) -> Any:
        row = self[key] = self.read(self.index[key])
        return row


class _GlyphPairs:
    """Kerning by explicit glyph pairs: a PairPos format 1 subtable, or one legacy 'kern' subtable."""

    def __init__(self, pairs: dict[int, dict[int, float]], firsts: Iterable[int] | None = None) -> None:
        self.pairs = pairs
        self.firsts = pairs.keys() if firsts is None else firsts

    def value(self, left: int, right: int) -> float | None:
        """The pair's value, or None if this subtable does not hold the pair."""
        return self.pairs[left].get(right)


class _ClassPairs:
    """Kerning by glyph classes: a PairPos format 2 subtable."""

    def __init__(
        self, firsts: set[int], class1: dict[int, int], class2: dict[int, int], matrix: dict[int, list[float]], rows: int
    ) -> None:
        self.firsts = firsts
        self.class1 = class1
        self.class2 = class2
        self.matrix = matrix
        self.rows = rows

    def value(self, left: int, right: int) -> float:
        """The pair's value (a covered first glyph always applies, class 0 included)."""
        row, column = self.class1.get(left, 0), self.class2.get(right, 0)
        if row < self.rows:
            values = self.matrix[row]
            if column < len(values):
                return values[column]
        return 0.0


def _x_advance(value: Any, scale: float) -> float:
    """The XAdvance of a GPOS ValueRecord (None or without XAdvance: 0), in 1/1000 em."""
    return round((getattr(value, "XAdvance", 0) or 0) * scale, 1)


def _pair_set_reader(sub: Any, gid_of: dict[str, int], scale: float) -> Callable[[int], dict[int, float]]:
    """Reads row i of a PairPos format 1 subtable: second glyph -> value."""
    return lambda i: {gid_of[r.SecondGlyph]: _x_advance(r.Value1, scale) for r in sub.PairSet[i].PairValueRecord}


def _class_row_reader(sub: Any, scale: float) -> Callable[[int], list[float]]:
    """Reads row i of a PairPos format 2 subtable: one value per second class."""
    return lambda i: [_x_advance(r.Value1, scale) for r in sub.Class1Record[i].Class2Record]


def _from_raw(sub: PairSubtable, scale: float) -> _GlyphPairs | _ClassPairs:
    """A PairPos subtable read from bytes, its rows scaled to 1/1000 em as they are read."""
    if sub.format == 1:
        index = {gid: i for i, gid in enumerate(sub.coverage)}

        def read_pairs(i: int) -> dict[int, float]:
            row = sub.row(i)
            assert isinstance(row, dict)
            return {second: round(value * scale, 1) for second, value in row.items()}

        return _GlyphPairs(_LazyRows(index, read_pairs), index.keys())

    def read_row(i: int) -> list[float]:
        return [round(value * scale, 1) for value in sub.row(i)]

    matrix = _LazyRows({row: row for row in range(sub.rows)}, read_row)
    return _ClassPairs(set(sub.coverage), sub.class1, sub.class2, matrix, sub.rows)


class _Kerning:
    """Pair kerning from GPOS 'kern' lookups or, without them, the legacy 'kern' table."""

    def __init__(self, font: TTFont, scale: float, raw: list[list[PairSubtable]] | None = None) -> None:
        #: Lookups in order; each is a list of subtables, the first one holding a pair wins.
        self.lookups: list[list[_GlyphPairs | _ClassPairs]] = []
        if raw is not None:  # the GPOS kern lookups, read from the font's bytes
            self.lookups = [[_from_raw(sub, scale) for sub in lookup] for lookup in raw]
            self.firsts = set().union(*(sub.firsts for lookup in self.lookups for sub in lookup))
            return
        gid_of = font.getReverseGlyphMap()
        if "GPOS" in font:
            self._read_gpos(font["GPOS"].table, gid_of, scale)
        if not self.lookups and "kern" in font:
            self._read_kern(font["kern"], gid_of, scale)
        self.firsts = set().union(*(sub.firsts for lookup in self.lookups for sub in lookup))

    def _read_gpos(self, gpos: Any, gid_of: dict[str, int], scale: float) -> None:
        """Collect the PairPos subtables of every lookup the 'kern' feature uses."""
        if gpos.FeatureList is None or gpos.LookupList is None:
            return
        indices = sorted({
            index
            for record in gpos.FeatureList.FeatureRecord
            if record.FeatureTag == "kern"
            for index in record.Feature.LookupListIndex
        })
        for index in indices:
            lookup = gpos.LookupList.Lookup[index]
            subtables = []
            for sub in lookup.SubTable:
                if lookup.LookupType == 9:
                    sub = sub.ExtSubTable
                if getattr(sub, "LookupType", lookup.LookupType) != 2 or sub.Coverage is None:
                    continue
                covered = [gid_of[name] for name in sub.Coverage.glyphs]
                if sub.Format == 1:
                    index = {gid: i for i, gid in enumerate(covered)}
                    pairs = _LazyRows(index, _pair_set_reader(sub, gid_of, scale))
                    subtables.append(_GlyphPairs(pairs, index.keys()))
                elif sub.Format == 2:
                    class1 = {gid_of[n]: c for n, c in sub.ClassDef1.classDefs.items()} if sub.ClassDef1 else {}
                    class2 = {gid_of[n]: c for n, c in sub.ClassDef2.classDefs.items()} if sub.ClassDef2 else {}
                    rows = len(sub.Class1Record)
                    matrix = _LazyRows({row: row for row in range(rows)}, _class_row_reader(sub, scale))
                    subtables.append(_ClassPairs(set(covered), class1, class2, matrix, rows))
            if subtables:
                self.lookups.append(subtables)

    def _read_kern(self, table: Any, gid_of: dict[str, int], scale: float) -> None:
        """Use the horizontal format 0 subtables of a legacy 'kern' table (each adds up)."""
        for sub in table.kernTables:
            if getattr(sub, "format", None) != 0:
                continue
            apple = getattr(sub, "apple", False)
            if apple and sub.coverage & 0xE0 or not apple and (not sub.coverage & 1 or sub.coverage & 6):
                continue
            pairs: dict[int, dict[int, float]] = {}
            for (left, right), value in sub.kernTable.items():
                if left in gid_of and right in gid_of:
                    pairs.setdefault(gid_of[left], {})[gid_of[right]] = round(value * scale, 1)
            self.lookups.append([_GlyphPairs(pairs)])

    def pair(self, left: int, right: int) -> float | None:
        """The kerning of a pair, or None when the left glyph has no kerning at all."""
        if left not in self.firsts:
            return None
        total = 0.0
        for lookup in self.lookups:
            for sub in lookup:
                if left in sub.firsts:
                    value = sub.value(left, right)
                    if value is not None:
                        total += value
                        break
        return total


def widths_array(widths: dict[int, float], default: float) -> list[Any]:
    """A compact W array: runs as ``c [w ...]``, equal stretches as ``c_first c_last w`` where shorter, `default` left out."""
    out: list[Any] = []
    start, pending = 0, []  # the open ``c [w ...]`` entry

    def flush() -> None:
        nonlocal pending
        if pending:
            out.extend([start, pending])
            pending = []

    items = sorted(widths.items())
    i = 0
    while i < len(items):
        cid, width = items[i]
        j = i
        while j + 1 < len(items) and items[j + 1] == (items[j][0] + 1, width):
            j += 1
        last, count = items[j][0], j - i + 1
        size = len(format_number(width)) + 1
        contiguous = bool(pending) and start + len(pending) == cid
        # Leaving an open list for a range or a gap costs a new "c [" if the next CID follows on.
        restart = len(b"%d" % (last + 1)) + 3 if j + 1 < len(items) and items[j + 1][0] == last + 1 else 0
        in_list = count * size + (0 if contiguous else len(b"%d" % cid) + 3)
        as_range = len(b"%d %d" % (cid, last)) + size + 1 + restart
        omitted = restart if width == default else float("inf")
        best = min(in_list, as_range, omitted)
        if best == in_list:
            if not contiguous:
                flush()
                start = cid
            pending.extend([width] * count)
        else:
            flush()
            if best == as_range:
                out.extend([cid, last, width])
        i = j + 1
    flush()
    return out


def subset_tag(key: bytes) -> str:
    """Six uppercase letters derived from a hash of `key` (the subset's glyph assignment)."""
    return "".join(chr(65 + b % 26) for b in hashlib.sha256(key).digest()[:6])


def _is_latin(text: str) -> bool:
    """True if every character is in the standard Latin character set."""
    for codec in _LATIN_CODECS:
        try:
            text.encode(codec)
            return True
        except UnicodeEncodeError:
            continue
    return False


class OpenTypeResource(FontResource):
    """An OpenType font in one document: two-byte CIDs for the glyphs used, a subset written at close."""

    def __init__(self, font: OpenTypeFont) -> None:
        self.font = font
        self._codes: dict[tuple[int, str], bytes] = {}
        #: CID -> glyph id in the font, in the order CIDs were handed out (CID 0 is .notdef).
        self.cid_gid: dict[int, int] = {0: 0}
        #: CID -> the text it stands for (the first text wins where one glyph shows several).
        self.cid_text: dict[int, str] = {}
        self._gid_cid: dict[int, int] = {0: 0}
        self._next_cid = 1

    def encode(self, glyphs: Sequence[Glyph]) -> bytes:
        """The two-byte codes of these glyphs (each recorded as used)."""
        codes = self._codes
        out = []
        for glyph in glyphs:
            code = codes.get((glyph.gid, glyph.text))
            if code is None:
                code = self._assign(glyph)
            out.append(code)
        return b"".join(out)

    def _assign(self, glyph: Glyph) -> bytes:
        """Give a (glyph, text) pair its CID."""
        font, gid = self.font, glyph.gid
        if not 0 <= gid < font.glyph_count:
            raise FontError(f"glyph id {gid} is not in {font.name} ({font.glyph_count} glyphs)")
        if font.cid_keyed:
            cid = font.cff_cid(gid)
        elif font.is_cff:
            cid = self._gid_cid.get(gid, len(self.cid_gid))
        else:
            cid = self._next_cid
            while cid & 0xFF in _ESCAPED_BYTES or cid >> 8 in _ESCAPED_BYTES:
                cid += 1
            self._next_cid = cid + 1
        if cid > _MAX_CID:
            if gid not in self._gid_cid:
                raise FontError(f"{font.name}: more than 65535 distinct glyph/text pairs in one document")
            cid = self._gid_cid[gid]
        self.cid_gid.setdefault(cid, gid)
        self._gid_cid.setdefault(gid, cid)
        self.cid_text.setdefault(cid, glyph.text)
        code = self._codes[(gid, glyph.text)] = cid.to_bytes(2, "big")
        return code

    # Writing --------------------------------------------------------------------------

    def write(self, writer: PdfWriter, ref: Reference) -> None:
        """Write the Type0 font at `ref`, with its CIDFont, descriptor, subset, widths and ToUnicode."""
        font = self.font
        try:
            program, new_gids = self._subset()
        except SfntError as exc:
            raise FontError(f"cannot embed a subset of {font.name} ({exc})") from None
        except FontError:
            raise
        except Exception as exc:  # fontTools raises any exception type on malformed data
            raise FontError(f"cannot embed a subset of {font.name} ({_describe(exc)})") from None
        base_font = font.postscript_name
        if font.subsettable:
            key = font.postscript_name.encode() + np.array(sorted(self.cid_gid.items()), ">u2").tobytes()
            base_font = f"{subset_tag(key)}+{base_font}"
        texts = "".join(self.cid_text.values())
        symbolic = font.symbol_cmap or not _is_latin(texts)
        file_dict: dict[str, Any] = {}
        if font.is_cff:
            file_dict["Subtype"] = Name("CIDFontType0C")
        else:
            file_dict["Length1"] = len(program)
        file_key = "FontFile3" if font.is_cff else "FontFile2"
        descriptor = {
            "Type": Name("FontDescriptor"),
            "FontName": Name(base_font),
            "Flags": font.flags | (SYMBOLIC if symbolic else NONSYMBOLIC),
            "FontBBox": [round(v) for v in font.bbox],
            "ItalicAngle": font.italic_angle,
            "Ascent": round(font.ascent),
            "Descent": round(font.descent),
            "CapHeight": round(font.cap_height),
            "StemV": font.stem_v,
            file_key: writer.add(Stream(program, file_dict)),
        }
        widths = {cid: font.advance(gid) for cid, gid in self.cid_gid.items()}
        # The most common width becomes DW; poppler reads DW only as an integer.
        default = Counter(widths.values()).most_common(1)[0][0]
        if default != int(default):
            default = 1000
        cid_font: dict[str, Any] = {
            "Type": Name("Font"),
            "Subtype": Name("CIDFontType0" if font.is_cff else "CIDFontType2"),
            "BaseFont": Name(base_font),
            "CIDSystemInfo": {"Registry": "Adobe", "Ordering": "Identity", "Supplement": 0},
            "FontDescriptor": writer.add(descriptor),
        }
        if default != 1000:
            cid_font["DW"] = int(default)
        w = widths_array(widths, default)
        if w:
            cid_font["W"] = w
        if not font.is_cff:
            gid_map = np.zeros(max(self.cid_gid) + 1, ">u2")
            for cid, gid in self.cid_gid.items():
                gid_map[cid] = new_gids[gid]
            cid_font["CIDToGIDMap"] = writer.add(Stream(gid_map.tobytes()))
        to_unicode = writer.add(Stream(to_unicode_cmap(self.cid_text)))
        writer.add(
            {
                "Type": Name("Font"),
                "Subtype": Name("Type0"),
                "BaseFont": Name(base_font),
                "Encoding": Name("Identity-H"),
                "DescendantFonts": [writer.add(cid_font)],
                "ToUnicode": to_unicode,
            },
            ref,
        )

    def _subset(self) -> tuple[bytes, dict[int, int]]:
        """The embedded font program and the map from the font's glyph ids to the program's."""
        font = self.font
        gids: Iterable[int] = set(self.cid_gid.values()) if font.subsettable else range(font.glyph_count)
        if not font.is_cff:
            data, index = font.font_data()
            if data[:4] not in (b"wOFF", b"wOF2"):
                return subset_glyf(data, index, gids, hinting=font.hinting)
        from fontTools import subset as ft_subset  # about 75 ms to import: only CFF and WOFF fonts need it

        ttfont = font.full_font()
        keep = _CFF_TABLES if font.is_cff else _GLYF_TABLES
        if font.hinting:
            keep = keep | _HINTING_TABLES
        # Deleted before subsetting, the tables dropped are never parsed (GSUB/GPOS would be).
        for tag in [tag for tag in ttfont.keys() if tag.strip() not in keep]:
            del ttfont[tag]
        options = ft_subset.Options(
            hinting=font.hinting,
            desubroutinize=True,  # smaller once compressed, even for 2000 CJK glyphs
            notdef_outline=True,  # a missing character shows the font's .notdef box
            drop_tables=[],
        )
        subsetter = ft_subset.Subsetter(options)
        subsetter.populate(gids=sorted(gids))
        subsetter.subset(ttfont)
        new_gids: dict[int, int] = subsetter.glyph_index_map
        if not font.is_cff:
            buffer = io.BytesIO()
            ttfont.save(buffer)
            return buffer.getvalue(), new_gids
        cff = ttfont["CFF "].cff
        if not font.cid_keyed:
            # CIDs index the charstrings here: put the glyphs in CID order (components last).
            top = cff.topDictIndex[0]
            ordered = [font.glyph_name(gid) for _, gid in sorted(self.cid_gid.items())]
            chosen = set(ordered)
            top.charset = ordered + [name for name in top.charset if name not in chosen]
        return ttfont["CFF "].compile(ttfont), new_gids
