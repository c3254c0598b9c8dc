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
from typing import Sequence

from ..pdf.objects import Reference
from ..pdf.writer import PdfWriter


@dataclass(frozen=True)
class Glyph:
    """One glyph to show: its id in the font, its advance, and the text it stands for."""

    gid: int
    advance: float
    text: str


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

    def measure(self, text: str, size: float, *, kerning: bool = True) -> float:
        """Advance width of `text` at `size` points, as the page will show it."""
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
