"""Type 3 fonts: an outline font's glyphs written as drawing procedures instead of an embedded font program.

`font.as_type3()` of an OpenType or Type 1 font gives a `Type3Font`: the
same metrics, character map and kerning, embedded differently. Each glyph used becomes a content
stream (``wx 0 llx lly urx ury d1``, the outline as ``m l c h``, then ``f``)
drawn with the fill colour of the text; TrueType quadratic curves are raised
to cubics, CFF cubics are kept. Coordinates are in 1/1000 em (FontMatrix
0.001, two decimals) and the widths are those the CID form of the font
writes, so both forms place every glyph alike.

A Type 3 font has one-byte codes, so at most 256 glyphs per PDF font. Rather
than lose extraction above code 255, a font that shows more distinct glyphs
is written as several Type 3 fonts ("parts") of up to 256 codes each, each
with its own ToUnicode CMap; the layout switches part (Tf) mid-line where the
glyphs require it. Codes are handed out in first-use order, one per distinct
(glyph, text) pair as for CID fonts, so shared glyphs and ligatures extract as
the text they stand for.
"""

from __future__ import annotations

import functools
import weakref
from typing import TYPE_CHECKING, Any, Callable, Sequence

from fontTools.pens.basePen import BasePen

from ..errors import FontError, PdfWriterError
from ..pdf.numbers import format_number
from ..pdf.objects import Name, Reference, Stream
from ..pdf.writer import PdfWriter
from .base import Font, FontResource, Glyph
from .tounicode import to_unicode_cmap

from .opentype import OpenTypeFont

if TYPE_CHECKING:
    from .type1 import Type1Font

#: Codes in one Type 3 font (one-byte codes).
PART_SIZE = 256


class _ProcedurePen(BasePen):
    """Collects a glyph outline as PDF path operators (components decomposed, quadratics as cubics)."""

    def __init__(self, glyph_set: Any, scale: float) -> None:
        super().__init__(glyph_set)
        self.scale = scale
        self.ops: list[bytes] = []
        self.xs: list[float] = []
        self.ys: list[float] = []

    def _points(self, *points: tuple[float, float]) -> bytes:
        scale = self.scale
        scaled = [(x * scale, y * scale) for x, y in points]
        for x, y in scaled:
            self.xs.append(x)
            self.ys.append(y)
        return b" ".join(format_number(v, 2) for p in scaled for v in p)

    def _moveTo(self, pt: tuple[float, float]) -> None:
        self.ops.append(self._points(pt) + b" m")

    def _lineTo(self, pt: tuple[float, float]) -> None:
        self.ops.append(self._points(pt) + b" l")

    def _curveToOne(self, pt1: tuple[float, float], pt2: tuple[float, float], pt3: tuple[float, float]) -> None:
        self.ops.append(self._points(pt1, pt2, pt3) + b" c")

    def _qCurveToOne(self, pt1: tuple[float, float], pt2: tuple[float, float]) -> None:
        x0, y0 = self._getCurrentPoint()
        (qx, qy), (x3, y3) = pt1, pt2
        c1 = (x0 + 2 / 3 * (qx - x0), y0 + 2 / 3 * (qy - y0))
        c2 = (x3 + 2 / 3 * (qx - x3), y3 + 2 / 3 * (qy - y3))
        self._curveToOne(c1, c2, pt2)

    def _closePath(self) -> None:
        self.ops.append(b"h")

    def _endPath(self) -> None:
        pass


class _Outlines:
    """Where glyph drawings come from: a fontTools glyph set, glyph names by id, and font units to 1/1000 em."""

    def __init__(self, font: OpenTypeFont | Type1Font) -> None:
        if isinstance(font, OpenTypeFont):
            self.glyph_set = font.glyph_set()
            self.name = font.glyph_name
            self.scale = font.units_scale
        else:
            from fontTools.t1Lib import T1Font

            try:
                program = T1Font(str(font.path))
                program.parse()
                self.glyph_set = program.getGlyphSet()
                self.scale = float(program.font.get("FontMatrix", [0.001])[0]) * 1000
            except Exception as exc:  # fontTools raises any exception type on malformed data
                raise FontError(f"cannot read the outlines of {font.path} ({type(exc).__name__}: {exc})") from None
            self.name = font.glyph_names.__getitem__


_TYPE3: weakref.WeakKeyDictionary[Font, Type3Font] = weakref.WeakKeyDictionary()


def type3_of(font: Font) -> Type3Font:
    """The Type 3 form of an outline font: the same object for the same font, so a document embeds it once."""
    found = _TYPE3.get(font)
    if found is None:
        found = _TYPE3[font] = Type3Font(font)  # type: ignore[arg-type]  # Type3Font checks the kind
    return found


class Type3Font(Font):
    """An outline font (OpenType or Type 1) embedded as Type 3 fonts: glyph procedures, subset to the glyphs used."""

    #: Codes depend on the document's first-use order and may switch part: no per-character fast path.
    one_glyph_per_char = False
    #: Glyph procedures fill with the text colour; text rendering modes (stroke, clip) do not apply.
    paints_glyphs = True

    def __init__(
        self, base: OpenTypeFont | Type1Font, *, procedures: Callable[[int], bytes | None] | None = None
    ) -> None:
        """`procedures`, when given, makes the content stream of a glyph id (None: the outline is converted here)."""
        from .type1 import Type1Font

        if not isinstance(base, (OpenTypeFont, Type1Font)):
            raise FontError(f"{type(base).__name__} cannot be embedded as Type 3: load an OpenType or Type 1 font file")
        self.base = base
        self.name = getattr(base, "name", None) or str(base.path)
        self.postscript_name = base.postscript_name
        self.ascent = base.ascent
        self.descent = base.descent
        self.cap_height = base.cap_height
        self.italic_angle = base.italic_angle
        self.bbox = base.bbox
        self._outlines: _Outlines | None = None
        self._make_procedure = procedures
        #: Glyph procedures by glyph id, kept across documents (a figure series embeds the same glyphs).
        self._procedures: dict[int, bytes] = {}
        #: Their stream data by (glyph id, compression level): (data, deflated).
        self._packed: dict[tuple[int, int], tuple[bytes, bool]] = {}

    def procedure(self, gid: int) -> bytes:
        """The content stream drawing glyph `gid` (made once per font and kept)."""
        found = self._procedures.get(gid)
        if found is None and self._make_procedure is not None:
            found = self._make_procedure(gid)
            if found is not None:
                self._procedures[gid] = found
        if found is None:
            try:
                if self._outlines is None:
                    self._outlines = _Outlines(self.base)
                outlines = self._outlines
                found = _procedure(outlines.glyph_set, outlines.name(gid), self.advance(gid), outlines.scale)
            except PdfWriterError:
                raise
            except Exception as exc:  # fontTools reads damaged tables lazily, with errors of many kinds
                raise FontError(f"{self.name}: cannot draw glyph {gid} as Type 3, the font file is damaged "
                                f"({type(exc).__name__}: {exc})") from exc
            self._procedures[gid] = found
        return found

    def procedure_stream(self, gid: int, writer: PdfWriter) -> Stream:
        """Glyph `gid`'s procedure as the stream `writer` would write (deflated as it would, kept across documents)."""
        data = self.procedure(gid)
        if not writer.compress:
            return Stream(data, compress=False)
        key = (gid, writer.compress_level)
        found = self._packed.get(key)
        if found is None:
            found = self._packed[key] = writer.packed(data)
        packed, flate = found
        return Stream(packed, {"Filter": Name("FlateDecode")} if flate else None, compress=False)

    def __repr__(self) -> str:
        return f"Type3Font({self.postscript_name!r}, {self.name!r})"

    def glyphs(self, text: str) -> list[Glyph]:
        """One glyph per character, from the font's cmap."""
        return self.base.glyphs(text)

    def has_char(self, char: str) -> bool:
        """True if the font maps this character to a glyph."""
        return self.base.has_char(char)

    def kerning(self, left: Glyph, right: Glyph) -> float:
        """Pair kerning of the underlying font, in 1/1000 em."""
        return self.base.kerning(left, right)

    def advance(self, gid: int) -> float:
        """A glyph's advance width in 1/1000 em."""
        base = self.base
        return base.advance(gid) if isinstance(base, OpenTypeFont) else base.glyph_width(gid)

    @property
    def glyph_count(self) -> int:
        """Number of glyphs in the font."""
        base = self.base
        return base.glyph_count if isinstance(base, OpenTypeFont) else len(base.glyph_names)

    def as_type3(self) -> Type3Font:
        """This font (already Type 3)."""
        return self

    def new_resource(self) -> Type3Resource:
        """A fresh per-document resource for this font."""
        return Type3Resource(self)


class Type3Resource(FontResource):
    """A Type 3 font in one document: one-byte codes in parts of 256, glyph procedures written at close."""

    def __init__(self, font: Type3Font) -> None:
        self.font = font
        #: (gid, text) -> (part, code)
        self._codes: dict[tuple[int, str], tuple[int, int]] = {}
        #: Per part: code -> (gid, text), in first-use order.
        self.parts: list[list[tuple[int, str]]] = []

    def _code(self, glyph: Glyph) -> tuple[int, int]:
        """The (part, code) of a glyph, assigned on first use."""
        key = (glyph.gid, glyph.text)
        found = self._codes.get(key)
        if found is None:
            count = self.font.glyph_count
            if not 0 <= glyph.gid < count:
                raise FontError(f"glyph id {glyph.gid} is not in {self.font.name} ({count} glyphs)")
            if not self.parts or len(self.parts[-1]) == PART_SIZE:
                self.parts.append([])
            found = self._codes[key] = (len(self.parts) - 1, len(self.parts[-1]))
            self.parts[-1].append(key)
        return found

    def segments(self, glyphs: Sequence[Glyph]) -> list[tuple[int, int, int]]:
        """(part, start, end) slices of `glyphs` that each stay within one part."""
        out: list[tuple[int, int, int]] = []
        for i, glyph in enumerate(glyphs):
            part = self._code(glyph)[0]
            if out and out[-1][0] == part:
                out[-1] = (part, out[-1][1], i + 1)
            else:
                out.append((part, i, i + 1))
        return out

    def encode(self, glyphs: Sequence[Glyph]) -> bytes:
        """The one-byte codes of glyphs in the first part (the font's first 256 glyph/text pairs)."""
        return self.encode_part(0, glyphs)

    def encoder(self, part: int) -> Callable[[Sequence[Glyph]], bytes]:
        """The encode function for glyphs of one part."""
        return functools.partial(self.encode_part, part)

    def encode_part(self, part: int, glyphs: Sequence[Glyph]) -> bytes:
        """The one-byte codes of glyphs that are all in `part` (split them with `segments` first)."""
        codes = [self._code(g) for g in glyphs]
        if any(p != part for p, _ in codes):
            raise FontError(
                f"{self.font.name}: these glyphs are not all in Type 3 part {part}; split them with segments() "
                "and select each part's font (ResourceCanon.font_part)"
            )
        return bytes(code for _, code in codes)

    def write(self, writer: PdfWriter, ref: Reference) -> None:
        """Write a font that needed one part at `ref`."""
        self.write_parts(writer, [ref])

    def write_parts(self, writer: PdfWriter, refs: Sequence[Reference]) -> None:
        """Write each part as a Type 3 font at its reference."""
        if len(refs) < len(self.parts):
            raise FontError(f"{self.font.name}: {len(self.parts)} Type 3 parts used but {len(refs)} references given")
        font = self.font
        procedures: dict[int, tuple[Reference, float]] = {}
        for part, ref in zip(self.parts, refs):
            char_procs: dict[str, Reference] = {}
            widths: list[float] = []
            for code, (gid, _) in enumerate(part):
                if gid not in procedures:
                    procedures[gid] = (writer.add(font.procedure_stream(gid, writer)), font.advance(gid))
                proc, width = procedures[gid]
                char_procs[f"g{code:02X}"] = proc
                widths.append(width)
            to_unicode = writer.add(Stream(to_unicode_cmap({c: text for c, (_, text) in enumerate(part)}, code_bytes=1)))
            writer.add(
                {
                    "Type": Name("Font"),
                    "Subtype": Name("Type3"),
                    "Name": Name(font.postscript_name or "Type3"),
                    "FontBBox": [round(v) for v in font.bbox],
                    "FontMatrix": [0.001, 0, 0, 0.001, 0, 0],
                    "CharProcs": char_procs,
                    "Encoding": {"Type": Name("Encoding"), "Differences": [0, *[Name(n) for n in char_procs]]},
                    "FirstChar": 0,
                    "LastChar": len(part) - 1,
                    "Widths": widths,
                    "Resources": {},
                    "ToUnicode": to_unicode,
                },
                ref,
            )


def _procedure(glyph_set: Any, name: str, width: float, scale: float) -> bytes:
    """The content stream drawing one glyph: d1 with its advance and bounding box, the outline, fill."""
    pen = _ProcedurePen(glyph_set, scale)
    glyph_set[name].draw(pen)
    if pen.xs:
        box = (min(pen.xs), min(pen.ys), max(pen.xs), max(pen.ys))
    else:
        box = (0, 0, 0, 0)
    head = b" ".join(format_number(v, 3) for v in (width, 0, *box)) + b" d1\n"
    if not pen.ops:
        return head
    return head + b"\n".join(pen.ops) + b"\nf\n"
