"""Font resolution for the page API: what a `font=` argument names, and the default fallbacks."""

from __future__ import annotations

import functools
import os
from typing import Any

from ..errors import FontError
from .base import Font

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
        return _load_cached(spec)
    if isinstance(spec, (bytes, bytearray)):
        return finder.load_font(bytes(spec))
    raise FontError(f"font must be a Font, a path, a family name or a standard font name, not {type(spec).__name__}")


@functools.lru_cache(maxsize=64)
def _load_cached(spec: str) -> Font:
    """Load a font by path or name once per process."""
    from . import finder

    return finder.load_font(spec)


@functools.cache
def default_fallbacks() -> tuple[Font, ...]:
    """Fonts tried for characters the chosen font lacks: the first installed CJK family, if any."""
    from . import finder

    for family in FALLBACK_FAMILIES:
        try:
            return (finder.load_font(family),)
        except FontError:
            continue
    return ()
