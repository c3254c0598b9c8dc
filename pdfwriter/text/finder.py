"""Find and load fonts: by file, by bytes, by one of the 14 standard names, or by family name.

A family name is looked up among the bundled DejaVu fonts first, then with
fontconfig's fc-match when it is installed (checking that it matched the
family asked for rather than substituting another), else by reading the
names of the font files in the usual font folders.
"""

from __future__ import annotations

import difflib
import functools
import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

from fontTools.ttLib import TTCollection, TTFont

from ..errors import FontError
from ..fontfiles import CORE14_NAMES, bundled_font
from .base import Font
from .opentype import OpenTypeFont

OPENTYPE_SUFFIXES = frozenset([".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2"])
TYPE1_SUFFIXES = frozenset([".pfb", ".pfa", ".afm"])
_OPENTYPE_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf", b"wOFF", b"wOF2")
_TYPE1_MAGIC = (b"\x80\x01", b"%!PS-AdobeFont", b"%!FontType1", b"StartFontMetrics")
_COLLECTION_SUFFIXES = frozenset([".ttc", ".otc"])
_SCANNED_SUFFIXES = frozenset([".ttf", ".otf", ".ttc", ".otc"])
_FC_TIMEOUT_S = 10
# fontconfig weights from semibold (180) up count as bold; slants above 0 (italic 100, oblique 110) as italic.
_FC_BOLD, _FC_ITALIC = 180, 0


def font_dirs() -> tuple[Path, ...]:
    """The folders searched for installed fonts when fontconfig is not available."""
    home = Path.home()
    dirs = [
        Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts",
        home / ".local/share/fonts", Path("/Library/Fonts"), home / "Library/Fonts",
    ]  # fmt: skip
    if sys.platform == "win32":
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
        if "LOCALAPPDATA" in os.environ:
            dirs.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft/Windows/Fonts")
    return tuple(dirs)


def _fold(name: str) -> str:
    """A name compared as fontconfig compares family names: without case or spaces."""
    return "".join(name.split()).casefold()


def _style_words(bold: bool, italic: bool) -> list[str]:
    """Style suffixes of a full font name for this style ("Bold Oblique", ...)."""
    if bold and italic:
        return ["Bold Oblique", "Bold Italic"]
    if bold:
        return ["Bold"]
    if italic:
        return ["Oblique", "Italic"]
    return [""]


def _bundled(family: str, bold: bool, italic: bool) -> Path | None:
    """The bundled font of this family and style, if there is one."""
    for style in _style_words(bold, italic):
        try:
            return bundled_font(f"{family} {style}".strip())
        except FontError:
            continue
    return None


def find_font(family: str, *, bold: bool = False, italic: bool = False) -> Path:
    """The file of a font family in the given style: bundled fonts first, then installed ones."""
    return locate_font(family, bold=bold, italic=italic)[0]


def locate_font(family: str, *, bold: bool = False, italic: bool = False) -> tuple[Path, int]:
    """(file, index in a collection) of a font family in the given style."""
    if not isinstance(family, str) or not family.strip():
        raise FontError(f"a font family name must be a non-empty str, not {family!r}")
    return _locate(family, bool(bold), bool(italic))


@functools.lru_cache(maxsize=256)
def _locate(family: str, bold: bool, italic: bool) -> tuple[Path, int]:
    """locate_font, remembered per process."""
    found = _bundled(family, bold, italic)
    if found is not None:
        return found, 0
    if shutil.which("fc-match"):
        return _fontconfig_match(family, bold, italic)
    return _scan_match(family, bold, italic, font_dirs())


# fontconfig ---------------------------------------------------------------------------


def _fc(args: list[str]) -> str:
    """Run a fontconfig tool and return its output ('' if it fails)."""
    try:
        result = subprocess.run(
            args, capture_output=True, text=True, errors="replace", timeout=_FC_TIMEOUT_S, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout if result.returncode == 0 else ""


def _fc_escape(name: str) -> str:
    """A family name escaped for a fontconfig pattern."""
    return "".join("\\" + c if c in "\\-:,=" else c for c in name)


def _style_text(bold: bool, italic: bool) -> str:
    """A style in words, for messages."""
    return " ".join(w for w, on in (("bold", bold), ("italic", italic)) if on) or "regular"


def _fontconfig_match(family: str, bold: bool, italic: bool) -> tuple[Path, int]:
    """Ask fc-match for the family; refuse a substitute of another family or style."""
    pattern = _fc_escape(family) + (":bold" if bold else "") + (":italic" if italic else "")
    fields = "%{file}\\n%{index}\\n%{family}\\n%{weight}\\n%{slant}\\n%{embolden}\\n%{matrix}\\n"
    lines = _fc(["fc-match", "-f", fields, pattern]).split("\n")
    if len(lines) < 7 or not lines[0]:
        raise FontError(f"fc-match found no font for {family!r}")
    file, index, families, weight, slant, embolden, matrix = lines[:7]
    if _fold(family) not in {_fold(n) for n in families.split(",")}:
        # Not a family: maybe the full or PostScript name of one face ("Noto Sans CJK SC Bold").
        for key in ("fullname", "postscriptname"):
            named = _fc(["fc-list", "-f", "%{file}\\n%{index}\\n", f":{key}={_fc_escape(family)}"]).split("\n")
            if len(named) >= 2 and named[0]:
                return Path(named[0]), int(_number(named[1]))
        raise FontError(_not_found(family, _fc_families(), "fontconfig would substitute another font"))
    # fontconfig may fake a missing style (embolden, a slanting matrix): pdfwriter cannot.
    fake_bold = embolden.lower() == "true" or _number(weight) < _FC_BOLD
    fake_italic = matrix.split() not in ([], ["1", "0", "0", "1"]) or _number(slant) <= _FC_ITALIC
    if (bold and fake_bold) or (italic and fake_italic):
        styles = sorted(set(_fc(["fc-list", "-f", "%{style[0]}\\n", _fc_escape(family)]).splitlines()) - {""})
        raise FontError(
            f"font family {family!r} has no {_style_text(bold, italic)} style installed"
            + (f"; it has: {', '.join(styles)}" if styles else "")
        )
    return Path(file), int(_number(index))


def _number(text: str) -> float:
    """A number printed by fontconfig (0 if absent)."""
    try:
        return float(text.split(",")[0])
    except ValueError:
        return 0.0


@functools.cache
def _fc_families() -> tuple[str, ...]:
    """Every family name fontconfig knows."""
    names = {name.strip() for line in _fc(["fc-list", ":", "family"]).splitlines() for name in line.split(",")}
    return tuple(sorted(n for n in names if n))


def _not_found(family: str, known: tuple[str, ...], why: str) -> str:
    """The message for a family that is not installed, with close matches."""
    folded = {_fold(n): n for n in known}
    close = [folded[n] for n in difflib.get_close_matches(_fold(family), list(folded), n=5, cutoff=0.6)]
    hint = f"; close matches: {', '.join(close)}" if close else ""
    return f"no installed font family {family!r} ({why}){hint}"


# Scanning font folders ------------------------------------------------------------------


class FaceInfo(NamedTuple):
    """Names and style of one font face found in a font folder."""

    path: Path
    index: int
    family: str
    names: frozenset[str]
    bold: bool
    italic: bool
    plain: bool


def _face_info(font: TTFont, path: Path, index: int) -> FaceInfo | None:
    """The family, names and style of one face (None without a name table)."""
    if "name" not in font:
        return None
    table = font["name"]
    family = table.getBestFamilyName() or ""
    names = {family, table.getDebugName(1) or "", table.getBestFullName() or "", table.getDebugName(6) or ""}
    os2 = font["OS/2"] if "OS/2" in font else None
    mac_style = font["head"].macStyle if "head" in font else 0
    bold = bool(os2.fsSelection & 0x20) if os2 is not None else bool(mac_style & 1)
    italic = bool(os2.fsSelection & 0x201) if os2 is not None else bool(mac_style & 2)
    plain = os2 is None or (os2.usWidthClass == 5 and os2.usWeightClass in (400, 700))
    return FaceInfo(path, index, family, frozenset(_fold(n) for n in names if n), bold, italic, plain)


@functools.cache
def scan_fonts(dirs: tuple[Path, ...]) -> tuple[FaceInfo, ...]:
    """Every OpenType face in these folders (recursively), read once per process."""
    faces = []
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            suffix = path.suffix.lower()
            if suffix not in _SCANNED_SUFFIXES:
                continue
            try:
                opened = TTCollection(path, lazy=True) if suffix in _COLLECTION_SUFFIXES else TTFont(path, lazy=True)
                with opened:
                    members = opened.fonts if isinstance(opened, TTCollection) else [opened]
                    faces.extend(f for i, font in enumerate(members) if (f := _face_info(font, path, i)))
            except Exception:  # an unreadable file in a font folder is skipped, as fontconfig skips it
                continue
    return tuple(faces)


def _scan_match(family: str, bold: bool, italic: bool, dirs: tuple[Path, ...]) -> tuple[Path, int]:
    """The face of a family and style among the fonts in `dirs`."""
    faces = scan_fonts(dirs)
    wanted = _fold(family)
    members = [f for f in faces if _fold(f.family) == wanted]
    if not members:
        named = [f for f in faces if wanted in f.names]
        if named:
            return named[0].path, named[0].index
        known = tuple(sorted({f.family for f in faces}))
        raise FontError(_not_found(family, known, f"searched {', '.join(map(str, dirs))}"))
    styled = [f for f in members if f.bold == bold and f.italic == italic]
    if not styled:
        raise FontError(f"font family {family!r} has no {_style_text(bold, italic)} style installed")
    best = min(styled, key=lambda f: (not f.plain, str(f.path), f.index))
    return best.path, best.index


# Loading ----------------------------------------------------------------------------------


def _optional_class(module: str, name: str, what: str) -> Any:
    """A class from an optional pdfwriter.text module, or FontError if it is not there."""
    try:
        found = importlib.import_module(f"{__package__}.{module}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.{module}":
            raise
        found = None
    cls = getattr(found, name, None)
    if cls is None:
        raise FontError(f"{what} are handled by {__package__}.{module}, which is not available")
    return cls


def _type1(path: Path) -> Font:
    """A Type 1 font from its .pfb/.pfa file, or from an .afm with the font file beside it."""
    type1_font = _optional_class("type1", "Type1Font", "Type 1 fonts")
    if path.suffix.lower() != ".afm":
        return type1_font(path)
    for suffix in (".pfb", ".pfa", ".PFB", ".PFA"):
        program = path.with_suffix(suffix)
        if program.is_file():
            return type1_font(program, afm=path)
    raise FontError(f"{path} holds metrics only; the font program (.pfb or .pfa) must be next to it")


def _sniff(head: bytes) -> str:
    """'opentype', 'type1' or '' from the first bytes of a file."""
    if head.startswith(_OPENTYPE_MAGIC):
        return "opentype"
    if head.startswith(_TYPE1_MAGIC):
        return "type1"
    return ""


def _load_path(path: Path, index: int, hinting: bool = False) -> Font:
    """A font from a file, by its extension or else its first bytes."""
    if not path.is_file():
        raise FontError(f"font file not found: {path}")
    suffix = path.suffix.lower()
    if suffix in TYPE1_SUFFIXES:
        return _type1(path)
    if suffix not in OPENTYPE_SUFFIXES:
        try:
            with path.open("rb") as file:
                kind = _sniff(file.read(16))
        except OSError as exc:
            raise FontError(f"cannot read font file {path}: {exc.strerror or exc}") from None
        if kind == "type1":
            return _type1(path)
        if kind != "opentype":
            raise FontError(f"{path} is not a font file pdfwriter reads (.ttf, .otf, .ttc, .otc, .pfb, .pfa)")
    return OpenTypeFont(path, index=index, hinting=hinting)


def load_font(
    spec: str | os.PathLike[str] | bytes, *, index: int = 0, bold: bool = False, italic: bool = False,
    hinting: bool = False,
) -> Font:
    """A Font from a file path, font bytes, one of the 14 standard names, or a family name (with style).

    `hinting` keeps an OpenType font's hinting in its embedded subsets (see OpenTypeFont).
    """
    if isinstance(spec, (bytes, bytearray, memoryview)):
        data = bytes(spec)
        kind = _sniff(data[:16])
        if kind == "type1":
            raise FontError("Type 1 fonts are loaded from their .pfb or .pfa file, not from bytes")
        if kind != "opentype":
            raise FontError(f"these {len(data)} bytes are not an OpenType or TrueType font")
        return OpenTypeFont(data, index=index, hinting=hinting)
    if isinstance(spec, os.PathLike):
        return _load_path(Path(spec), index, hinting)
    if not isinstance(spec, str):
        raise FontError(f"a font is given as a path, bytes or a name, not {type(spec).__name__}")
    if spec in CORE14_NAMES:
        return _optional_class("core14", "StandardFont", "the 14 standard fonts")(spec)
    path = Path(spec).expanduser()
    looks_like_path = path.suffix.lower() in OPENTYPE_SUFFIXES | TYPE1_SUFFIXES or os.sep in spec or (
        os.altsep is not None and os.altsep in spec
    )
    if looks_like_path or path.is_file():
        return _load_path(path, index, hinting)
    found, found_index = locate_font(spec, bold=bold, italic=italic)
    return OpenTypeFont(found, index=found_index, hinting=hinting)


@functools.cache
def default_font() -> OpenTypeFont:
    """The default font: the bundled DejaVu Sans, loaded once."""
    return OpenTypeFont(bundled_font("DejaVu Sans"))
