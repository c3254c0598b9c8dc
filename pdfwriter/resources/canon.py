"""The canon: every shared resource is made once per document, keyed by its content.

ExtGState objects, hatch patterns, shadings and marker XObjects are written
the first time a page asks for them; later requests, from any page, get the
same name and reference. Names are unique across the document, so a page's
resource dictionary can hold them unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Hashable

from ..pdf.objects import Name, Reference
from ..pdf.writer import PdfWriter

if TYPE_CHECKING:
    from ..text.base import Font, FontResource

#: Blend modes PDF defines (PDF 32000-1, 11.3.5).
BLEND_MODES = (
    "Normal", "Multiply", "Screen", "Overlay", "Darken", "Lighten", "ColorDodge", "ColorBurn",
    "HardLight", "SoftLight", "Difference", "Exclusion", "Hue", "Saturation", "Color", "Luminosity",
)


class ResourceCanon:
    """Makes each distinct resource once and hands out its (name, reference)."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self._made: dict[tuple[str, Hashable], tuple[str, Reference]] = {}
        self._counts: dict[str, int] = {}
        self._fonts: dict[int, tuple[str, Reference, FontResource]] = {}
        self._font_objects: list[Font] = []
        #: Font id -> references of its PDF font objects, where it needs more than one.
        self._font_parts: dict[int, list[Reference]] = {}
        #: Characters no font had, already warned about in this document.
        self.warned_chars: set[str] = set()

    def get(
        self, category: str, prefix: str, key: Hashable, build: Callable[[], Any]
    ) -> tuple[str, Reference]:
        """The (name, reference) of the resource for `key`, building and writing it on first use."""
        found = self._made.get((category, key))
        if found is None:
            number = self._counts.get(prefix, 0)
            self._counts[prefix] = number + 1
            found = (f"{prefix}{number}", self.writer.add(build()))
            self._made[(category, key)] = found
        return found

    def extgstate(self, stroke_alpha: float, fill_alpha: float, blend_mode: str) -> tuple[str, Reference]:
        """An ExtGState setting stroke alpha, fill alpha and blend mode together."""
        key = (round(stroke_alpha, 4), round(fill_alpha, 4), blend_mode)

        def build() -> dict[str, Any]:
            return {"Type": Name("ExtGState"), "CA": key[0], "ca": key[1], "BM": Name(blend_mode)}

        return self.get("ExtGState", "A", key, build)

    def font(self, font: Font) -> tuple[str, Reference, FontResource]:
        """The (name, reference, resource) of a font in this document; written at close()."""
        found = self._fonts.get(id(font))
        if found is None:
            found = (f"F{len(self._fonts)}", self.writer.reserve(), font.new_resource())
            # The font object itself is kept too, so its id cannot be reused meanwhile.
            self._fonts[id(font)] = found
            self._font_objects.append(font)
        return found

    def font_part(self, font: Font, part: int) -> tuple[str, Reference]:
        """The (name, reference) of one PDF font object of a font that needs several (Type 3, 256 codes each)."""
        name, ref, _ = self.font(font)
        if part == 0:
            return name, ref
        refs = self._font_parts.setdefault(id(font), [ref])
        while len(refs) <= part:
            refs.append(self.writer.reserve())
        return f"{name}_{part}", refs[part]

    def close(self) -> None:
        """Write what could only be written once every page was done (font subsets)."""
        for key, (_, ref, resource) in self._fonts.items():
            resource.write_parts(self.writer, self._font_parts.get(key, [ref]))
        self._fonts.clear()
        self._font_parts.clear()

    def __len__(self) -> int:
        return len(self._made) + len(self._fonts)
