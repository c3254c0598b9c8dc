"""Font resolution for the page API: what a `font=` argument names, and the default fallbacks."""

from __future__ import annotations

import functools
import os
from typing import Any

from ..errors import FontError
from ..pdf.objects import has_lone_surrogate
from .base import Font, FontResource, Glyph

# Families tried, in order, for characters the first font lacks (CJK first).
FALLBACK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK TC")


def resolve_font(spec: Any) -> Font:
    """A Font from a Font, a path, bytes, a family name or a standard font name (None: the default)."""
    from . import finder

    if spec is None:
        return finder.default_font()
    if isinstance(spec, Font):
        return spec
    if isinstance(spec, os.PathLike):
        spec = os.fspath(spec)
    if isinstance(spec, str):
        if "\x00" in spec or has_lone_surrogate(spec):
            raise FontError(f"font {spec!r:.60} is not a usable name or path (a NUL or a lone surrogate in it)")
        return _load_cached(spec)
    if isinstance(spec, (bytes, bytearray)):
        return finder.load_font(bytes(spec))
    raise FontError(f"font must be a Font, a path, a family name or a standard font name, not {type(spec).__name__}")


@functools.lru_cache(maxsize=64)
def _load_cached(spec: str) -> Font:
    """Load a font by path or name once per process."""
    from . import finder

    return finder.load_font(spec)


class DeferredFallback(Font):
    """The first installed font of some families, loaded when a character is first looked up in it.

    Loading a CJK collection takes about half a second; text that the chosen
    font covers never pays it. Everything else is the loaded font's.
    """

    def __init__(self, families: tuple[str, ...] = FALLBACK_FAMILIES) -> None:
        self.families = families
        self._font: Font | None = None
        self._tried = False

    def __repr__(self) -> str:
        state = repr(self._font) if self._tried else "not loaded yet"
        return f"DeferredFallback({', '.join(self.families)}: {state})"

    @property
    def base(self) -> Font:
        """The loaded font (FontError if none of the families is installed)."""
        if not self._tried:
            self._tried = True
            from . import finder

            for family in self.families:
                try:
                    self._font = finder.load_font(family)
                    break
                except FontError:
                    continue
        if self._font is None:
            raise FontError(f"none of the fallback font families is installed: {', '.join(self.families)}")
        return self._font

    def installed(self) -> bool:
        """True if one of the families is installed (loads it)."""
        try:
            self.base
        except FontError:
            return False
        return True

    def has_char(self, char: str) -> bool:
        """True if the loaded font has the character (False when none is installed)."""
        return self.installed() and self.base.has_char(char)

    def glyphs(self, text: str) -> list[Glyph]:
        """The loaded font's glyphs."""
        return self.base.glyphs(text)

    def kerning(self, left: Glyph, right: Glyph) -> float:
        """The loaded font's kerning."""
        return self.base.kerning(left, right)

    def new_resource(self) -> FontResource:
        """The loaded font's resource."""
        return self.base.new_resource()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or not self.installed():
            raise AttributeError(name)
        return getattr(self.base, name)


@functools.cache
def default_fallbacks() -> tuple[Font, ...]:
    """Fonts tried for characters the chosen font lacks: the first installed CJK family, loaded on first need."""
    return (DeferredFallback(),)
