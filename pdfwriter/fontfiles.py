"""Locate the font files bundled with pdfwriter: DejaVu TrueType fonts and the core-14 AFM metrics."""

from __future__ import annotations

import functools
from pathlib import Path

from pdfwriter.errors import FontError

CORE14_NAMES: tuple[str, ...] = (
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Symbol",
    "ZapfDingbats",
)

# Display name -> file stem of each bundled TrueType font.
_BUNDLED_TTF: dict[str, str] = {
    "DejaVu Sans": "DejaVuSans",
    "DejaVu Sans Bold": "DejaVuSans-Bold",
    "DejaVu Sans Oblique": "DejaVuSans-Oblique",
    "DejaVu Sans Bold Oblique": "DejaVuSans-BoldOblique",
    "DejaVu Sans Mono": "DejaVuSansMono",
    "DejaVu Serif": "DejaVuSerif",
}

# Case-folded display names and file stems -> file stem.
_TTF_LOOKUP: dict[str, str] = {
    key.casefold(): stem for name, stem in _BUNDLED_TTF.items() for key in (name, stem)
}

# A file every copy of the fonts folder holds, to tell it from an unrelated "fonts" folder.
_MARKER = "DejaVuSans.ttf"


@functools.cache
def fonts_dir() -> Path:
    """Return the folder of bundled fonts: pdfwriter/fonts in a wheel, or fonts/ in a source checkout."""
    package_dir = Path(__file__).resolve().parent
    candidates = (package_dir / "fonts", package_dir.parent / "fonts")
    for candidate in candidates:
        if (candidate / _MARKER).is_file():
            return candidate
    raise FontError(
        "pdfwriter's bundled fonts folder is missing; looked in "
        + " and ".join(str(c) for c in candidates)
    )


def _check_str(name: object) -> str:
    """Return name if it is a str, else raise FontError."""
    if not isinstance(name, str):
        raise FontError(f"a font name must be a str, not {type(name).__name__}")
    return name


def bundled_font(name: str) -> Path:
    """Return the path of a bundled TrueType font by display name or file stem, ignoring case."""
    key = " ".join(_check_str(name).split()).casefold()
    stem = _TTF_LOOKUP.get(key)
    if stem is None:
        valid = ", ".join(f"{n!r} ({s})" for n, s in _BUNDLED_TTF.items())
        raise FontError(
            f"unknown bundled font {name!r}; the bundled fonts are (name or file stem, any case): {valid}"
        )
    return fonts_dir() / f"{stem}.ttf"


def core14_afm(name: str) -> Path:
    """Return the path of the AFM metrics of a standard PDF font, by its exact PostScript name."""
    if _check_str(name) not in CORE14_NAMES:
        raise FontError(
            f"unknown standard PDF font {name!r}; the 14 standard fonts are (exact PostScript names): "
            + ", ".join(CORE14_NAMES)
        )
    return fonts_dir() / f"{name}.afm"
