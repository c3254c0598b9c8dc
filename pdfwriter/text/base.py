"""The interface every font kind implements, so layout code treats them alike.

A `Font` is what the user names: metrics, a character-to-glyph map and
kerning, shareable between documents. A `FontResource` is that font inside
one document: it records which glyphs the pages used, assigns the codes the
content streams show, and writes the PDF font objects (a subset holding every
glyph any page used) once, when the document closes.

All metrics are in PDF glyph space: 1/1000 of the font size.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Callable, Sequence

from ..pdf.objects import Reference
from ..pdf.writer import PdfWriter


@dataclass(frozen=True)
class Glyph:
    """One glyph to show: its id in the font, its advance, and the text it stands for.

    Shaped glyphs (see shaping.py) also carry their offset from the pen
    position (dx, dy) and the font's own advance (`nominal`), which the PDF
    font moves by; `advance` is then the shaped advance. A glyph after the
    first of a shaped cluster has empty text: the first carries the cluster's.
    """

    gid: int
    advance: float
    text: str
    dx: float = 0.0
    dy: float = 0.0
    nominal: float | None = None


class Font(ABC):
    """A font's metrics and character map (see the module docstring)."""

    #: PostScript name, e.g. "DejaVuSans-Bold".
    postscript_name: str
    #: Typographic metrics in 1/1000 em (descent negative).
    ascent: float
    descent: float
    cap_height: float
    italic_angle: float
    bbox: tuple[float, float, float, float]

    @abstractmethod
    def glyphs(self, text: str) -> list[Glyph]:
        """Map text to glyphs, one per character (gid 0, .notdef, where the font has none)."""

    @abstractmethod
    def has_char(self, char: str) -> bool:
        """True if the font has a glyph for this character."""

    @abstractmethod
    def kerning(self, left: Glyph, right: Glyph) -> float:
        """Pair kerning between two glyphs in 1/1000 em (negative brings them closer)."""

    @abstractmethod
    def new_resource(self) -> FontResource:
        """A fresh per-document resource for this font."""

    def as_type3(self) -> Font:
        """This font embedded as Type 3 fonts (glyph drawing procedures): OpenType and Type 1 fonts; the same object each call."""
        from .type3 import type3_of

        return type3_of(self)

    def measure(self, text: str, size: float, *, kerning: bool = True) -> float:
        """Advance width of `text` at `size` points, glyph by glyph (Page.measure_text also shapes complex scripts)."""
        glyphs = self.glyphs(text)
        total = sum(g.advance for g in glyphs)
        if kerning:
            total += sum(self.kerning(a, b) for a, b in zip(glyphs, glyphs[1:]))
        return total * size / 1000


class FontResource(ABC):
    """A font inside one document: codes for the content stream, and the font objects at close."""

    @abstractmethod
    def encode(self, glyphs: Sequence[Glyph]) -> bytes:
        """The string bytes that show these glyphs (each glyph is recorded as used)."""

    @abstractmethod
    def write(self, writer: PdfWriter, ref: Reference) -> None:
        """Write the font dictionary at `ref` (and its subset, widths, ToUnicode, ...)."""

    def segments(self, glyphs: Sequence[Glyph]) -> list[tuple[int, int, int]]:
        """(part, start, end) slices of `glyphs` by PDF font object: one part unless the font needs several (Type 3)."""
        return [(0, 0, len(glyphs))]

    def encoder(self, part: int) -> Callable[[Sequence[Glyph]], bytes]:
        """The encode function for glyphs of one part (see `segments`)."""
        return self.encode

    def write_parts(self, writer: PdfWriter, refs: Sequence[Reference]) -> None:
        """Write every PDF font object of this font, part i at refs[i]."""
        self.write(writer, refs[0])
